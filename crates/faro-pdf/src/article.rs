//! The typst template of an article: page setup, title block and body.

use std::fmt::Write as _;

use crate::ArticlePdf;
use crate::markdown::string_literal;

/// Typst rejects anything but an ISO 639 code, and a bad language must not
/// cost the reader the PDF, so unknown values fall back to Spanish.
fn language(lang: &str) -> String {
    let lang = lang.trim();
    if (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphabetic()) {
        lang.to_ascii_lowercase()
    } else {
        "es".to_owned()
    }
}

/// The complete typst source of `article`, with its body already converted.
pub(crate) fn article_source(article: &ArticlePdf, body: &str) -> String {
    let mut src = String::with_capacity(body.len() + 4096);
    let title = string_literal(article.title);
    let footer = string_literal(article.footer);
    let page_label = string_literal(article.page_label);
    let lang = string_literal(&language(article.lang));

    // User values only enter as string literals bound to names; the template
    // code around them is fixed.
    let _ = write!(
        src,
        r##"#let faro-title = {title}
#let faro-footer = {footer}
#let faro-page-label = {page_label}
#set document(title: faro-title)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: {lang}, hyphenate: true)
#set par(justify: true, leading: 0.6em, spacing: 1em)
#set page(
  paper: "a4",
  margin: (x: 2.2cm, top: 2.5cm, bottom: 2.5cm),
  header: context {{
    if here().page() > 1 {{
      set text(size: 8pt, fill: luma(90))
      block(width: 100%, stroke: (bottom: 0.4pt + luma(170)), inset: (bottom: 4pt), faro-title)
    }}
  }},
  footer: context {{
    set text(size: 8pt, fill: luma(90))
    faro-footer
    h(1fr)
    [#faro-page-label #counter(page).display() / #counter(page).final().first()]
  }},
)
#show raw: set text(font: "DejaVu Sans Mono", size: 0.85em)
#show raw.where(block: true): set block(fill: luma(245), inset: 8pt, radius: 2pt, width: 100%)
#show raw.where(block: true): set par(justify: false)
#show heading: set par(justify: false)
#show heading: set text(hyphenate: false)
#show heading: set block(above: 1.4em, below: 0.8em)
#show heading.where(level: 1): set text(size: 20pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 4): set text(size: 11pt)
#show quote.where(block: true): it => block(
  stroke: (left: 2pt + luma(190)), inset: (left: 10pt, y: 4pt), it.body,
)
#set table(stroke: 0.5pt + luma(170), inset: 5pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show link: set text(fill: rgb("#1f4e8c"))
#set footnote.entry(separator: line(length: 30%, stroke: 0.4pt))

#heading(level: 1, faro-title)
"##
    );

    if let Some(summary) = article.summary.filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(
            src,
            "#block(below: 1.2em, emph({}))",
            string_literal(summary)
        );
    }

    if !article.meta.is_empty() {
        src.push_str(
            "#block(below: 1em, text(size: 9pt, grid(columns: (auto, 1fr), column-gutter: 1.2em, row-gutter: 0.5em,\n",
        );
        for (label, value) in &article.meta {
            let _ = writeln!(
                src,
                "  text(weight: \"bold\", {}), {},",
                string_literal(label),
                string_literal(value)
            );
        }
        src.push_str(")))\n");
    }

    src.push_str("#line(length: 100%, stroke: 0.6pt + luma(120))\n\n");
    src.push_str(body);
    src
}
