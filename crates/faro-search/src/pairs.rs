//! Word pairs: each kept token joined to the next one, with the stop words between them
//! counted, so that a two-word phrase in an article body is one term to look up instead of
//! two position lists to walk. `"copia de seguridad"` becomes the pair `copi _ segur` (one
//! stop word between) on both sides; longer phrases become all their pairs, which narrow the
//! candidates before positions are checked.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::analyzer::Token as Analysed;

/// What stands for each removed word between the two halves of a pair.
const GAP: &str = "_";

/// The pair term for `first` followed by `second`, `gap` positions later (1 when adjacent).
pub fn pair(first: &str, second: &str, gap: usize) -> String {
    let mut out = String::with_capacity(first.len() + second.len() + 2 * gap);
    out.push_str(first);
    for _ in 1..gap {
        out.push(' ');
        out.push_str(GAP);
    }
    out.push(' ');
    out.push_str(second);
    out
}

/// The pair terms of analysed tokens, in order: what a phrase of them was indexed as.
pub fn pairs_of(tokens: &[Analysed]) -> Vec<String> {
    tokens
        .windows(2)
        .map(|w| {
            pair(
                &w[0].text,
                &w[1].text,
                w[1].position.saturating_sub(w[0].position),
            )
        })
        .collect()
}

/// Turns a token stream into the stream of its neighbouring pairs.
#[derive(Clone, Copy)]
pub struct PairFilter;

impl TokenFilter for PairFilter {
    type Tokenizer<T: Tokenizer> = Pairing<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Pairing<T> {
        Pairing { tokenizer }
    }
}

#[derive(Clone)]
pub struct Pairing<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for Pairing<T> {
    type TokenStream<'a> = PairStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairStream {
            tail: self.tokenizer.token_stream(text),
            previous: None,
            token: Token::default(),
            count: 0,
        }
    }
}

pub struct PairStream<S> {
    tail: S,
    /// The last token seen: text, position and where it starts.
    previous: Option<(String, usize, usize)>,
    token: Token,
    count: usize,
}

impl<S: TokenStream> TokenStream for PairStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let t = self.tail.token();
            let here = (t.text.clone(), t.position, t.offset_from);
            if let Some((text, position, from)) = self.previous.replace(here) {
                let t = self.tail.token();
                self.token = Token {
                    offset_from: from,
                    offset_to: t.offset_to,
                    // Pairs are looked up as single terms, never as phrases of pairs.
                    position: self.count,
                    text: pair(&text, &t.text, t.position.saturating_sub(position)),
                    position_length: 1,
                };
                self.count += 1;
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use crate::analyzer;

    fn texts(text: &str) -> Vec<String> {
        analyzer::tokens(&analyzer::pairs(), text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn neighbours_pair_up_with_the_stop_words_between_counted() {
        assert_eq!(
            texts("Copia de seguridad diaria"),
            vec!["copi _ segur", "segur diari"]
        );
        assert!(texts("impresora").is_empty());
        assert!(texts("").is_empty());
    }

    #[test]
    fn a_typed_phrase_gives_the_pairs_its_text_was_indexed_as() {
        let typed = analyzer::tokens(&analyzer::stemmed(), "copias de SEGURIDAD");
        assert_eq!(super::pairs_of(&typed), texts("la copia de seguridad"));
    }
}
