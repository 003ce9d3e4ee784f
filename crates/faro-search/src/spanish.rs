//! Spanish word lists both engines share: the stop words Meilisearch is told to skip (each is
//! also one the embedded analyzer drops, so the engines agree on what is never searched) and
//! the synonyms of a support desk's vocabulary.

use std::collections::HashMap;
use std::sync::LazyLock;

use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer;

/// Function words: articles, prepositions, pronouns, conjunctions and the commonest forms of
/// "ser", "estar", "haber" and "tener", folded and with their accents.
const STOP_WORDS: &[&str] = &[
    "a", "al", "algo", "algunas", "algunos", "ante", "antes", "como", "con", "contra", "cual",
    "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "él", "ella", "ellas", "ellos",
    "en", "entre", "era", "es", "esa", "esas", "ese", "eso", "esos", "esta", "está", "estaba",
    "estado", "estamos", "estan", "están", "estar", "estas", "estás", "este", "esto", "estos",
    "fue", "ha", "han", "hasta", "hay", "la", "las", "le", "les", "lo", "los", "más", "mas", "me",
    "mi", "mis", "mucho", "muy", "nada", "ni", "no", "nos", "nosotros", "o", "otra", "otras",
    "otro", "otros", "para", "pero", "poco", "por", "porque", "que", "qué", "quien", "se", "sea",
    "sin", "sobre", "son", "su", "sus", "también", "tambien", "te", "tiene", "tienen", "todo",
    "todos", "tu", "tú", "tus", "un", "una", "uno", "unos", "y", "ya", "yo",
];

/// Words a client and a technician use for the same thing. Single words only: each is matched
/// as a whole (stemmed) word.
const SYNONYMS: &[&[&str]] = &[
    &["contraseña", "clave", "password"],
    &["correo", "email", "mail"],
    &["ordenador", "computadora", "pc"],
    &["portátil", "laptop"],
    &["móvil", "celular", "smartphone"],
    &["pantalla", "monitor"],
    &["avería", "fallo"],
    &["actualización", "update"],
    &["escáner", "scanner"],
];

pub fn stop_words() -> Vec<String> {
    STOP_WORDS.iter().map(|w| (*w).to_owned()).collect()
}

/// Whether Meilisearch skips `folded` as a stop word.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

/// The words of `text` as Meilisearch's stemmed copies hold them: each word's stem, unless
/// the stem is itself a stop word ("láser" stems to "las"), which Meilisearch would skip;
/// then the whole folded word. Documents and queries go through this same function.
pub fn index_terms(stemmed: &TextAnalyzer, plain: &TextAnalyzer, text: &str) -> Vec<String> {
    // Both chains drop the same stop words, so their tokens pair up one to one.
    analyzer::tokens(stemmed, text)
        .into_iter()
        .zip(analyzer::tokens(plain, text))
        .map(|(s, p)| {
            if is_stop_word(&s.text) {
                p.text
            } else {
                s.text
            }
        })
        .collect()
}

static SYNONYM_MAP: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(stemmed_synonyms);

/// The stems of the synonyms of the word whose stem is `stem` (none for most words).
pub fn synonyms(stem: &str) -> &'static [String] {
    SYNONYM_MAP.get(stem).map_or(&[], Vec::as_slice)
}

/// Each synonym's stem mapped to the stems of the others in its group.
pub fn stemmed_synonyms() -> HashMap<String, Vec<String>> {
    let (stemmed, plain) = (analyzer::stemmed(), analyzer::plain());
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for group in SYNONYMS {
        let stems: Vec<String> = group
            .iter()
            .filter_map(|w| index_terms(&stemmed, &plain, w).into_iter().next())
            .collect();
        for s in &stems {
            let others = stems.iter().filter(|o| *o != s).cloned();
            map.entry(s.clone()).or_default().extend(others);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_word_is_one_the_embedded_analyzer_drops() {
        let plain = analyzer::plain();
        let kept: Vec<&str> = STOP_WORDS
            .iter()
            .copied()
            .filter(|w| !analyzer::tokens(&plain, w).is_empty())
            .collect();
        assert!(kept.is_empty(), "{kept:?}");
    }

    #[test]
    fn a_stem_that_is_a_stop_word_stays_whole() {
        let (s, p) = (analyzer::stemmed(), analyzer::plain());
        assert_eq!(
            index_terms(&s, &p, "Láser de las impresoras"),
            ["laser", "impresor"]
        );
    }

    #[test]
    fn synonyms_map_stems_both_ways() {
        let map = stemmed_synonyms();
        let stem = |w: &str| analyzer::tokens(&analyzer::stemmed(), w)[0].text.clone();
        assert!(map[&stem("contraseñas")].contains(&stem("clave")));
        assert!(map[&stem("claves")].contains(&stem("contraseña")));
        assert!(!map[&stem("clave")].contains(&stem("clave")));
    }
}
