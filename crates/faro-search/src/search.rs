//! Read paths: search, type-ahead suggestions and related articles.

use std::collections::BTreeSet;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::analyzer;
use crate::highlight;
use crate::index::SearchIndex;
use crate::query::{self, Highlight, box_clone_all};
use crate::schema::{self, Fields};
use crate::syntax;
use crate::{
    Hit, MAX_LIMIT, MAX_OFFSET, Scope, SearchError, SearchRequest, SearchResults, Suggestion,
};

/// Related articles are found from the source's most telling words; more adds noise and cost.
const RELATED_MAX_TERMS: usize = 24;
const SUGGEST_MAX: usize = 50;

impl SearchIndex {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let inner = &self.inner;
        let f = &inner.fields;
        let parsed = syntax::parse(&req.text);
        let searcher = inner.reader.searcher();
        let mut plan = query::plan(&parsed, f, &inner.analyzers, &searcher);
        for id in &req.exclude {
            plan.negatives.push(query::id_query(f, *id));
        }
        let mut results = SearchResults {
            total: 0,
            hits: Vec::new(),
            fell_back: parsed.malformed,
            relaxed: false,
        };
        if plan.only_stop_words {
            return Ok(results);
        }
        let mut filters = query::visibility(
            f,
            &req.scope,
            req.include_unpublished && req.scope == Scope::All,
        );
        filters.extend(query::kinds_filter(f, &req.kinds));
        filters.extend(query::category_filter(f, req.category.as_deref()));

        let limit = req.limit.min(MAX_LIMIT);
        let offset = req.offset.min(MAX_OFFSET);

        if plan.positives.is_empty() {
            let q = query::combine(Vec::new(), plan.negatives, filters);
            let (total, docs) = newest_first(&searcher, q.as_ref(), limit, offset)?;
            results.total = total;
            results.hits = self.hits(&searcher, &docs, &plan.highlight)?;
            return Ok(results);
        }

        let strict = query::combine(
            box_clone_all(&plan.positives),
            box_clone_all(&plan.negatives),
            box_clone_all(&filters),
        );
        let (mut total, mut docs) = by_score(&searcher, strict.as_ref(), limit, offset)?;
        if total == 0 && plan.positives.len() > 1 {
            // Nothing has every word: rank by how many (and how well) words match instead.
            let any = Box::new(BooleanQuery::union(plan.positives));
            let relaxed = query::combine(vec![any], plan.negatives, filters);
            (total, docs) = by_score(&searcher, relaxed.as_ref(), limit, offset)?;
            results.relaxed = true;
        }
        results.total = total;
        results.hits = self.hits(&searcher, &docs, &plan.highlight)?;
        Ok(results)
    }

    /// Published titles for type-ahead: earlier words must match (any inflection), the last
    /// one is a prefix (with one typo allowed once it has 5 letters) unless followed by a space.
    pub fn suggest(
        &self,
        prefix: &str,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let inner = &self.inner;
        let f = &inner.fields;
        let limit = limit.min(SUGGEST_MAX);
        let (complete, partial) = syntax::typed_words(prefix);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for word in complete {
            for t in analyzer::tokens(&inner.analyzers.stemmed, word) {
                clauses.push(Box::new(TermQuery::new(
                    Term::from_field_text(f.title, &t.text),
                    IndexRecordOption::WithFreqs,
                )));
            }
        }
        if let Some(word) = partial {
            let tokens = analyzer::tokens(&inner.analyzers.plain, word);
            if let Some((last, whole)) = tokens.split_last() {
                for t in whole {
                    clauses.push(Box::new(TermQuery::new(
                        Term::from_field_text(f.title_plain, &t.text),
                        IndexRecordOption::WithFreqs,
                    )));
                }
                let budget = analyzer::typo_budget(&last.text).min(1);
                let term = Term::from_field_text(f.title_plain, &last.text);
                clauses.push(Box::new(FuzzyTermQuery::new_prefix(term, budget, true)));
            }
        }
        if clauses.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let q = query::combine(clauses, Vec::new(), query::visibility(f, scope, false));
        let searcher = inner.reader.searcher();
        let top = searcher.search(q.as_ref(), &TopDocs::with_limit(limit).order_by_score())?;
        top.into_iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(addr)?;
                Ok(Suggestion {
                    slug: text(&doc, f.slug),
                    title: text(&doc, f.title),
                    kind: text(&doc, f.kind),
                })
            })
            .collect()
    }

    /// Published articles sharing the most telling words of `id`'s title, tags and summary.
    /// Empty when `id` is unknown or outside `scope`, so the answer never reveals either.
    pub fn related(
        &self,
        id: uuid::Uuid,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let inner = &self.inner;
        let f = &inner.fields;
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = inner.reader.searcher();
        // Staff may look at a draft and still want its neighbours; clients only see published.
        let source_q = query::combine(
            vec![query::id_query(f, id)],
            Vec::new(),
            query::visibility(f, scope, *scope == Scope::All),
        );
        let Some((_, addr)) = searcher
            .search(source_q.as_ref(), &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let source: TantivyDocument = searcher.doc(addr)?;

        let mut stems = BTreeSet::new();
        for field in [f.title, f.tags, f.summary] {
            for value in source.get_all(field) {
                let Some(s) = value.as_str() else { continue };
                for t in analyzer::tokens(&inner.analyzers.stemmed, s) {
                    if stems.len() < RELATED_MAX_TERMS {
                        stems.insert(t.text);
                    }
                }
            }
        }
        if stems.is_empty() {
            return Ok(Vec::new());
        }
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        for stem in &stems {
            for (field, boost) in query::weighted(f) {
                let tq = TermQuery::new(
                    Term::from_field_text(field, stem),
                    IndexRecordOption::WithFreqs,
                );
                should.push(Box::new(BoostQuery::new(Box::new(tq), boost)));
            }
        }
        // Neighbours of an article are articles: never downloads, catalogue entries or incidents.
        let q = query::combine(
            vec![Box::new(BooleanQuery::union(should))],
            vec![
                query::id_query(f, id),
                query::term_query(f.kind, crate::KIND_DOWNLOAD),
                query::term_query(f.kind, crate::KIND_RESOURCE),
                query::term_query(f.kind, crate::KIND_INCIDENT),
            ],
            query::visibility(f, scope, false),
        );
        let top = searcher.search(q.as_ref(), &TopDocs::with_limit(limit).order_by_score())?;
        self.hits(&searcher, &top, &Highlight::default())
    }

    fn hits(
        &self,
        searcher: &Searcher,
        docs: &[(f32, DocAddress)],
        h: &Highlight,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = &self.inner.fields;
        let a = &self.inner.analyzers;
        docs.iter()
            .map(|&(score, addr)| {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let title = text(&doc, f.title);
                let body = text(&doc, f.body);
                let summary = text(&doc, f.summary);
                Ok(Hit {
                    id: parse_id(&doc, f)?,
                    slug: text(&doc, f.slug),
                    title_html: highlight::title_html(&title, f.title, h, a),
                    snippet_html: highlight::snippet_html(&body, &summary, f.body, f.summary, h, a),
                    title,
                    kind: text(&doc, f.kind),
                    score,
                })
            })
            .collect()
    }
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse_id(doc: &TantivyDocument, f: &Fields) -> Result<uuid::Uuid, SearchError> {
    let raw = text(doc, f.id);
    uuid::Uuid::parse_str(&raw).map_err(|e| {
        SearchError::Tantivy(tantivy::TantivyError::InternalError(format!(
            "stored id {raw:?} is not a UUID: {e}"
        )))
    })
}

fn by_score(
    searcher: &Searcher,
    q: &dyn Query,
    limit: usize,
    offset: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>), SearchError> {
    if limit == 0 {
        return Ok((searcher.search(q, &Count)?, Vec::new()));
    }
    let top = TopDocs::with_limit(limit)
        .and_offset(offset)
        .order_by_score();
    Ok(searcher.search(q, &(Count, top))?)
}

fn newest_first(
    searcher: &Searcher,
    q: &dyn Query,
    limit: usize,
    offset: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>), SearchError> {
    if limit == 0 {
        return Ok((searcher.search(q, &Count)?, Vec::new()));
    }
    let top = TopDocs::with_limit(limit)
        .and_offset(offset)
        .order_by_fast_field::<i64>(schema::UPDATED_AT, Order::Desc);
    let (total, docs) = searcher.search(q, &(Count, top))?;
    // Browsing has no relevance; report a neutral score.
    Ok((
        total,
        docs.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
    ))
}
