//! HTML for titles and snippets. All text passes through [`escape`]; only our own `<b>`
//! markers are emitted raw, so article text can never inject markup into result pages.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use tantivy::schema::Field;
use tantivy::snippet::{SnippetGenerator, collapse_overlapped_ranges};

use crate::analyzer;
use crate::query::{Analyzers, Highlight};

pub const SNIPPET_CHARS: usize = 200;
/// Titles are highlighted whole; this only bounds pathological ones.
const TITLE_CHARS: usize = 1_000;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes `text`, wrapping the byte `ranges` in `<b>`. Ranges that do not fall on character
/// boundaries are ignored rather than trusted.
fn render(text: &str, ranges: &[Range<usize>]) -> String {
    let mut html = String::new();
    let mut at = 0;
    for r in collapse_overlapped_ranges(ranges) {
        let (Some(before), Some(marked)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        html.push_str(&escape(before));
        html.push_str("<b>");
        html.push_str(&escape(marked));
        html.push_str("</b>");
        at = r.end;
    }
    html.push_str(&escape(text.get(at..).unwrap_or_default()));
    html
}

/// The stems to mark in `text`: the query's exact stems, plus the stems of words in `text`
/// that a typo-tolerant clause accepted (the index cannot tell us which ones it matched).
fn terms_for(text: &str, h: &Highlight, a: &Analyzers) -> BTreeMap<String, f32> {
    let mut terms: BTreeMap<String, f32> = h.stems.iter().map(|s| (s.clone(), 1.0)).collect();
    if h.fuzzy.is_empty() {
        return terms;
    }
    let stems: HashMap<usize, String> = analyzer::tokens(&a.stemmed, text)
        .into_iter()
        .map(|t| (t.offsets.start, t.text))
        .collect();
    for word in analyzer::tokens(&a.plain, text) {
        let close = h
            .fuzzy
            .iter()
            .any(|(q, d)| analyzer::edit_distance(q, &word.text) <= usize::from(*d));
        if let (true, Some(stem)) = (close, stems.get(&word.offsets.start)) {
            terms.entry(stem.clone()).or_insert(0.5);
        }
    }
    terms
}

fn generator(
    terms: BTreeMap<String, f32>,
    a: &Analyzers,
    field: Field,
    max: usize,
) -> SnippetGenerator {
    SnippetGenerator::new(terms, a.stemmed.clone(), field, max)
}

pub fn title_html(title: &str, field: Field, h: &Highlight, a: &Analyzers) -> String {
    let snippet = generator(terms_for(title, h, a), a, field, TITLE_CHARS).snippet(title);
    let base = snippet.fragment_range().start;
    let ranges: Vec<Range<usize>> = snippet
        .highlighted()
        .iter()
        .map(|r| r.start + base..r.end + base)
        .collect();
    // The fragment ends at the last token, dropping a closing "?" or ")"; render the whole title.
    render(title, &ranges)
}

/// Best ~200-character passage of the body with the query marked; the summary when the body
/// has no match; the start of the summary (or body) when nothing matches at all.
pub fn snippet_html(
    body: &str,
    summary: &str,
    body_field: Field,
    summary_field: Field,
    h: &Highlight,
    a: &Analyzers,
) -> String {
    for (text, field) in [(body, body_field), (summary, summary_field)] {
        if h.stems.is_empty() && h.fuzzy.is_empty() {
            break;
        }
        let snippet = generator(terms_for(text, h, a), a, field, SNIPPET_CHARS).snippet(text);
        if snippet.is_empty() {
            continue;
        }
        let range = snippet.fragment_range();
        let mut html = String::new();
        if range.start > 0 {
            html.push('…');
        }
        html.push_str(&render(snippet.fragment(), snippet.highlighted()));
        if range.end < text.trim_end().len() {
            html.push('…');
        }
        return html;
    }
    let lead = if summary.trim().is_empty() {
        body
    } else {
        summary
    };
    lead_html(lead)
}

/// The opening of `text`, cut at a word boundary.
pub fn lead_html(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= SNIPPET_CHARS {
        return escape(text);
    }
    let cut = text
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let head = text.get(..cut).unwrap_or(text);
    let head = head
        .rfind(char::is_whitespace)
        .and_then(|i| head.get(..i))
        .unwrap_or(head);
    format!("{}…", escape(head.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn render_ignores_ranges_off_char_boundaries() {
        assert_eq!(
            render("ñandú <x>", std::slice::from_ref(&(0..2))),
            "<b>ñ</b>andú &lt;x&gt;"
        );
        assert_eq!(
            render("ñandú <x>", std::slice::from_ref(&(1..2))),
            "ñandú &lt;x&gt;"
        );
        assert_eq!(render("ñandú", std::slice::from_ref(&(4..99))), "ñandú");
    }

    #[test]
    fn lead_is_cut_on_a_word_boundary() {
        let text = "palabra ".repeat(60);
        let lead = lead_html(&text);
        assert!(lead.ends_with("palabra…"), "{lead}");
        assert!(lead.chars().count() <= SNIPPET_CHARS + 1);
    }
}
