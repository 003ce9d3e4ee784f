//! Text analysis shared by indexing and querying, so both sides always agree.

use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

/// Spanish analysis with stemming: what the searchable fields use.
pub const STEMMED: &str = "faro_es";
/// Same chain without the stemmer: typo matching and type-ahead need whole words,
/// because a stem ("configur") is not a prefix of every misspelling or partial word.
pub const PLAIN: &str = "faro_es_plain";
/// Neighbouring stems as one term each (see [`pairs`]).
pub const PAIRS: &str = "faro_es_pairs";

/// Longer tokens are base64 blobs, hashes or URLs pasted into articles; indexing them only
/// bloats the term dictionary.
const MAX_TOKEN_BYTES: usize = 40;

/// tantivy's Spanish list holds some words only with their accent ("también", "estará").
/// Folding runs before the stop filter, so that "tambien" and "también" behave the same;
/// these are the folded forms the built-in list lacks.
const FOLDED_STOP_WORDS: &[&str] = &[
    "mas",
    "tambien",
    "mio",
    "mia",
    "mios",
    "mias",
    "estais",
    "estan",
    "estes",
    "esteis",
    "esten",
    "estare",
    "estaras",
    "estara",
    "estareis",
    "estaran",
    "estaria",
    "estarias",
    "estariamos",
    "estariais",
    "estarian",
    "estabamos",
    "estuvieramos",
    "estuviesemos",
    "habeis",
    "hayais",
    "habre",
    "habras",
    "habra",
    "habreis",
    "habran",
    "habria",
    "habrias",
    "habriamos",
    "habriais",
    "habrian",
    "habia",
    "habias",
    "habiamos",
    "habiais",
    "habian",
    "hubieramos",
    "hubiesemos",
    "seais",
    "sere",
    "seras",
    "sera",
    "sereis",
    "seran",
    "seria",
    "serias",
    "seriamos",
    "seriais",
    "serian",
    "eramos",
    "fueramos",
    "fuesemos",
    "teneis",
    "tengais",
    "tendre",
    "tendras",
    "tendra",
    "tendreis",
    "tendran",
    "tendria",
    "tendrias",
    "tendriamos",
    "tendriais",
    "tendrian",
    "tenia",
    "tenias",
    "teniamos",
    "teniais",
    "tenian",
    "tuvieramos",
    "tuviesemos",
];

fn folded_stop_words() -> StopWordFilter {
    StopWordFilter::remove(FOLDED_STOP_WORDS.iter().map(|w| (*w).to_owned()))
}

/// Lower-case, fold accents, drop Spanish stop words, stem.
pub fn stemmed() -> TextAnalyzer {
    spanish_stems(false)
}

/// The stems of [`stemmed`] joined with their neighbours ([`crate::pairs`]): what the body's
/// pair field holds, so that a phrase is looked up as terms instead of walked by position.
pub fn pairs() -> TextAnalyzer {
    spanish_stems(true)
}

fn spanish_stems(paired: bool) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(folded_stop_words())
        .dynamic();
    // The stop list ships behind tantivy's default `stopwords` feature; without it we still
    // index correctly, just with a few more common words.
    let builder = match StopWordFilter::new(Language::Spanish) {
        Some(stop) => builder.filter_dynamic(stop),
        None => builder,
    };
    let builder = builder.filter_dynamic(Stemmer::new(Language::Spanish));
    if paired {
        builder.filter_dynamic(crate::pairs::PairFilter).build()
    } else {
        builder.build()
    }
}

/// Like [`stemmed`] but keeps whole words.
pub fn plain() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(folded_stop_words())
        .dynamic();
    match StopWordFilter::new(Language::Spanish) {
        Some(stop) => builder.filter_dynamic(stop).build(),
        None => builder.build(),
    }
}

/// One analysed token: its term text, its position (gaps mark removed stop words, which
/// phrase queries must respect) and where it came from in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub position: usize,
    pub offsets: Range<usize>,
}

pub fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<Token> {
    // token_stream needs `&mut`; analyzers are cheap to clone (an Arc'd stop list).
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push(Token {
            text: t.text.clone(),
            position: t.position,
            offsets: t.offset_from..t.offset_to,
        });
    }
    out
}

/// Allowed typos for a folded word, mirroring how the query side builds fuzzy queries.
pub fn typo_budget(folded_word: &str) -> u8 {
    match folded_word.chars().count() {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// Edit distance where swapping two neighbouring letters costs one edit, like tantivy's
/// fuzzy automaton with `transposition_cost_one`. Used to highlight what a fuzzy query matched.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i;
        }
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokens(&stemmed(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn accents_case_and_plurals_share_a_stem() {
        let expected = terms("configuración");
        assert_eq!(expected.len(), 1);
        for variant in [
            "configuracion",
            "Configuración",
            "CONFIGURACIONES",
            "configuraciones",
        ] {
            assert_eq!(terms(variant), expected, "{variant}");
        }
    }

    #[test]
    fn stop_words_go_with_or_without_accent() {
        assert!(terms("de la también tambien está esta más mas").is_empty());
    }

    #[test]
    fn positions_keep_gaps_left_by_stop_words() {
        let t = tokens(&stemmed(), "configuración de la impresora");
        let positions: Vec<usize> = t.iter().map(|t| t.position).collect();
        assert_eq!(positions, vec![0, 3]);
    }

    #[test]
    fn plain_analyzer_folds_but_keeps_whole_words() {
        let t: Vec<String> = tokens(&plain(), "Configuración de Impresoras")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, vec!["configuracion", "impresoras"]);
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("impresora", "impresroa"), 1);
        assert_eq!(edit_distance("configuracion", "configurasion"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
