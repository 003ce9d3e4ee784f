//! The user-facing query syntax: words, "quoted phrases", `-word` and `-"phrase"`.
//!
//! Deliberately tiny and total: every input parses. Anything we cannot read as intended is
//! flagged `malformed` and re-read as plain words, so a stray quote never costs the user
//! their results.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    Word(String),
    Phrase(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub clause: Clause,
    pub excluded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub items: Vec<Item>,
    pub malformed: bool,
}

/// Characters of other query languages (Lucene, tantivy) that users paste or try. We do not
/// support them, so their presence means the user asked for something we will not do.
fn is_foreign_syntax(c: char) -> bool {
    matches!(
        c,
        '(' | ')' | '[' | ']' | '{' | '}' | ':' | '*' | '~' | '^' | '\\' | '|' | '&'
    )
}

/// What is being typed into a search box: the words already finished, and the one still being
/// typed (none once a space follows it), which suggestions complete as a prefix.
pub fn typed_words(prefix: &str) -> (Vec<&str>, Option<&str>) {
    let mut words: Vec<&str> = prefix.split_whitespace().collect();
    let partial = if prefix.ends_with(char::is_whitespace) {
        None
    } else {
        words.pop()
    };
    (words, partial)
}

pub fn parse(input: &str) -> Parsed {
    strict(input).unwrap_or_else(|| Parsed {
        items: lenient(input),
        malformed: true,
    })
}

fn strict(input: &str) -> Option<Parsed> {
    let mut items = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let excluded = rest.starts_with('-');
        if excluded {
            rest = &rest[1..];
            // A '-' followed by nothing, a space or another '-' excludes nothing.
            if rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with('-') {
                return None;
            }
        }
        if let Some(after_quote) = rest.strip_prefix('"') {
            let end = after_quote.find('"')?;
            let phrase = after_quote[..end].trim();
            if !phrase.is_empty() {
                items.push(Item {
                    clause: Clause::Phrase(phrase.to_owned()),
                    excluded,
                });
            } else if excluded {
                return None;
            }
            rest = &after_quote[end + 1..];
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            let word = &rest[..end];
            if word.contains(is_foreign_syntax) {
                return None;
            }
            items.push(Item {
                clause: Clause::Word(word.to_owned()),
                excluded,
            });
            rest = &rest[end..];
        }
        rest = rest.trim_start();
    }
    Some(Parsed {
        items,
        malformed: false,
    })
}

/// Every piece of text becomes a plain positive word; operators lose their meaning.
fn lenient(input: &str) -> Vec<Item> {
    input
        .split(|c: char| c.is_whitespace() || c == '"' || is_foreign_syntax(c))
        .map(|w| w.trim_start_matches('-'))
        .filter(|w| !w.is_empty())
        .map(|w| Item {
            clause: Clause::Word(w.to_owned()),
            excluded: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_split_off_the_word_being_typed() {
        assert_eq!(
            typed_words("impresora ofi"),
            (vec!["impresora"], Some("ofi"))
        );
        assert_eq!(
            typed_words("impresora ofi "),
            (vec!["impresora", "ofi"], None)
        );
        assert_eq!(typed_words("  "), (vec![], None));
        assert_eq!(typed_words(""), (vec![], None));
    }

    fn word(w: &str, excluded: bool) -> Item {
        Item {
            clause: Clause::Word(w.into()),
            excluded,
        }
    }

    fn phrase(p: &str, excluded: bool) -> Item {
        Item {
            clause: Clause::Phrase(p.into()),
            excluded,
        }
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let p = parse(r#"  impresora "papel atascado" -láser -"tóner vacío" wi-fi "#);
        assert!(!p.malformed);
        assert_eq!(
            p.items,
            vec![
                word("impresora", false),
                phrase("papel atascado", false),
                word("láser", true),
                phrase("tóner vacío", true),
                word("wi-fi", false),
            ]
        );
    }

    #[test]
    fn empty_input_is_not_malformed() {
        assert_eq!(parse("   "), Parsed::default());
        assert_eq!(parse(r#""""#), Parsed::default());
    }

    #[test]
    fn malformed_inputs_degrade_to_plain_words() {
        let cases: &[(&str, &[&str])] = &[
            (r#""abc"#, &["abc"]),
            ("-", &[]),
            ("impresora -", &["impresora"]),
            ("(((", &[]),
            ("title:foo", &["title", "foo"]),
            ("a~2^3*", &["a", "2", "3"]),
            (r#"--red "wifi"#, &["red", "wifi"]),
            (r#"-"""#, &[]),
        ];
        for (input, words) in cases {
            let p = parse(input);
            assert!(p.malformed, "{input}");
            let expected: Vec<Item> = words.iter().map(|w| word(w, false)).collect();
            assert_eq!(p.items, expected, "{input}");
        }
    }
}
