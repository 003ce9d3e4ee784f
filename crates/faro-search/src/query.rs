//! Turns parsed user input and filters into tantivy queries.

use std::collections::BTreeSet;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use crate::Scope;
use crate::analyzer::{self, Token};
use crate::exclusion::Excluded;
use crate::schema::{self, Fields};
use crate::syntax::{Clause, Parsed};

/// Field weights: a word in the title or tags says more about an article than one in its body.
pub fn weighted(f: &Fields) -> [(Field, f32); 4] {
    [
        (f.title, 3.0),
        (f.tags, 2.5),
        (f.summary, 1.5),
        (f.body, 1.0),
    ]
}

/// Typo matches score a constant (times this boost) instead of BM25, kept well below an exact
/// hit so that spelling a word right always ranks first.
const FUZZY_TITLE_BOOST: f32 = 0.6;
const FUZZY_BOOST: f32 = 0.3;
const SYNONYM_BOOST: f32 = 0.8;

#[derive(Clone)]
pub struct Analyzers {
    pub stemmed: TextAnalyzer,
    pub plain: TextAnalyzer,
}

impl Analyzers {
    pub fn new() -> Self {
        Self {
            stemmed: analyzer::stemmed(),
            plain: analyzer::plain(),
        }
    }
}

/// What to highlight in results: exact stems, plus folded words that were matched with typos.
#[derive(Debug, Default, Clone)]
pub struct Highlight {
    pub stems: BTreeSet<String>,
    pub fuzzy: Vec<(String, u8)>,
}

pub struct Plan {
    /// One query per user word or phrase; all must match (or, relaxed, any).
    pub positives: Vec<Box<dyn Query>>,
    pub negatives: Vec<Box<dyn Query>>,
    /// The user typed words but all were stop words: that is a search for nothing, not a browse.
    pub only_stop_words: bool,
    pub highlight: Highlight,
}

/// Typo matching walks the term dictionary of two fields, the costliest part of a query. A word
/// that several articles already contain as typed is not a typo worth correcting, so it is
/// looked up exactly; typo tolerance is for words the index barely knows.
const FUZZY_ONLY_BELOW_DOC_FREQ: u64 = 3;

pub fn plan(parsed: &Parsed, f: &Fields, a: &Analyzers, searcher: &tantivy::Searcher) -> Plan {
    let mut plan = Plan {
        positives: Vec::new(),
        negatives: Vec::new(),
        only_stop_words: false,
        highlight: Highlight::default(),
    };
    let mut positive_words = 0usize;
    for item in &parsed.items {
        let text = match &item.clause {
            Clause::Word(w) | Clause::Phrase(w) => w.as_str(),
        };
        let stems = analyzer::tokens(&a.stemmed, text);
        if !item.excluded {
            positive_words += 1;
        }
        let query = match (&item.clause, stems.as_slice()) {
            (_, []) => continue,
            (Clause::Word(_), [single]) if !item.excluded => {
                let plain = analyzer::tokens(&a.plain, text);
                let fuzzy = match plain.as_slice() {
                    [p] if searcher
                        .doc_freq(&Term::from_field_text(f.plain, &p.text))
                        .map_or(true, |n| n < FUZZY_ONLY_BELOW_DOC_FREQ) =>
                    {
                        Some(p.text.as_str())
                    }
                    _ => None,
                };
                word_query(f, &single.text, fuzzy, &mut plan.highlight)
            }
            (_, [single]) => exact_any_field(f, &single.text),
            (_, many) => phrase_any_field(f, many),
        };
        if item.excluded {
            plan.negatives.push(query);
        } else {
            plan.highlight
                .stems
                .extend(stems.into_iter().map(|t| t.text));
            plan.positives.push(query);
        }
    }
    plan.only_stop_words = positive_words > 0 && plan.positives.is_empty();
    plan
}

pub fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn word_query(
    f: &Fields,
    stem: &str,
    folded: Option<&str>,
    highlight: &mut Highlight,
) -> Box<dyn Query> {
    let mut should: Vec<Box<dyn Query>> = weighted(f)
        .into_iter()
        .map(|(field, boost)| boosted(term_query(field, stem), boost))
        .collect();
    // A synonym counts as the word itself, a little below it.
    for synonym in crate::spanish::synonyms(stem) {
        should.push(boosted(exact_any_field(f, synonym), SYNONYM_BOOST));
        highlight.stems.insert(synonym.clone());
    }
    if let Some(folded) = folded {
        let budget = analyzer::typo_budget(folded);
        if budget > 0 {
            for (field, boost) in [(f.title_plain, FUZZY_TITLE_BOOST), (f.plain, FUZZY_BOOST)] {
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, folded), budget, true);
                should.push(boosted(Box::new(fuzzy), boost));
            }
            highlight.fuzzy.push((folded.to_owned(), budget));
        }
    }
    Box::new(BooleanQuery::union(should))
}

fn exact_any_field(f: &Fields, stem: &str) -> Box<dyn Query> {
    Box::new(BooleanQuery::union(
        weighted(f)
            .into_iter()
            .map(|(field, boost)| boosted(term_query(field, stem), boost))
            .collect(),
    ))
}

/// Callers guarantee at least two tokens (PhraseQuery asserts it). The short fields are walked
/// by position; the body, where a phrase would walk long position lists across many articles,
/// is looked up by its pairs of neighbouring stems (`body_pairs`): a two-word phrase is exactly
/// its one pair, a longer one is checked by position only where all its pairs are.
fn phrase_any_field(f: &Fields, tokens: &[Token]) -> Box<dyn Query> {
    let mut should: Vec<Box<dyn Query>> = weighted(f)
        .into_iter()
        .filter(|(field, _)| *field != f.body)
        .map(|(field, boost)| boosted(phrase(field, tokens), boost))
        .collect();
    let pairs = crate::pairs::pairs_of(tokens);
    let body: Box<dyn Query> = match pairs.as_slice() {
        [one] => term_query(f.body_pairs, one),
        _ => {
            let all_pairs = BooleanQuery::intersection(
                pairs.iter().map(|p| term_query(f.body_pairs, p)).collect(),
            );
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, phrase(f.body, tokens)),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(all_pairs), 0.0)),
                ),
            ]))
        }
    };
    should.push(body);
    Box::new(BooleanQuery::union(should))
}

fn phrase(field: Field, tokens: &[Token]) -> Box<dyn Query> {
    let first = tokens.first().map_or(0, |t| t.position);
    let terms = tokens
        .iter()
        .map(|t| {
            (
                t.position.saturating_sub(first),
                Term::from_field_text(field, &t.text),
            )
        })
        .collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// Documents `scope` may see. Published-only unless staff explicitly asks for drafts.
pub fn visibility(f: &Fields, scope: &Scope, include_unpublished: bool) -> Vec<Box<dyn Query>> {
    let published = || -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_bool(f.published, true),
            IndexRecordOption::Basic,
        ))
    };
    match scope {
        Scope::All if include_unpublished => Vec::new(),
        Scope::All => vec![published()],
        Scope::Membership(m) => vec![
            published(),
            Box::new(BooleanQuery::union(vec![
                term_query(f.membership, &schema::membership_value(Some(*m))),
                term_query(f.membership, schema::GLOBAL),
            ])),
        ],
    }
}

pub fn kinds_filter(f: &Fields, kinds: &[String]) -> Option<Box<dyn Query>> {
    let kinds: Vec<Box<dyn Query>> = kinds
        .iter()
        .filter(|k| !k.is_empty())
        .map(|k| term_query(f.kind, k))
        .collect();
    (!kinds.is_empty()).then(|| Box::new(BooleanQuery::union(kinds)) as Box<dyn Query>)
}

pub fn category_filter(f: &Fields, category: Option<&str>) -> Option<Box<dyn Query>> {
    category
        .filter(|c| !c.is_empty())
        .map(|c| term_query(f.categories, c))
}

pub fn id_query(f: &Fields, id: uuid::Uuid) -> Box<dyn Query> {
    term_query(f.id, &schema::id_value(id))
}

/// Combines scored clauses with hard filters. Filters are `Must` with a zero constant score:
/// they decide membership in the result set and never nudge the ranking.
pub fn combine(
    positives: Vec<Box<dyn Query>>,
    negatives: Vec<Box<dyn Query>>,
    filters: Vec<Box<dyn Query>>,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if positives.is_empty() {
        // A boolean query without a positive clause matches nothing.
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    clauses.extend(positives.into_iter().map(|q| (Occur::Must, q)));
    clauses.extend(
        negatives
            .into_iter()
            .map(|q| (Occur::MustNot, Box::new(Excluded(q)) as Box<dyn Query>)),
    );
    if !filters.is_empty() {
        let all_filters = BooleanQuery::intersection(filters);
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(all_filters), 0.0)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

pub fn box_clone_all(queries: &[Box<dyn Query>]) -> Vec<Box<dyn Query>> {
    queries.iter().map(|q| q.box_clone()).collect()
}
