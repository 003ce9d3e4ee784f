//! Markdown from people (articles, comments) to HTML that cannot run, and to plain text for
//! the search index: pulldown-cmark renders,
//! ammonia keeps only harmless tags and attributes (no script, no event handlers, no
//! `javascript:` URLs, no raw HTML that can run).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod rendered;

pub use rendered::Rendered;

use std::collections::HashSet;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("img", ["src", "alt", "title"])
        .add_tag_attributes("code", ["class"])
        .set_tag_attribute_value("img", "loading", "lazy")
        .id_prefix(Some("md-"));
    b
}

/// Renders Markdown to sanitised HTML.
pub fn to_html(md: &str) -> String {
    let parser = Parser::new_ext(md, options());
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    cleaner().clean(&raw).to_string()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The words of a Markdown text without its markup: what the search index reads.
pub fn to_plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => out.push('\n'),
            Event::Start(Tag::Image { title, .. }) if !title.is_empty() => {
                out.push_str(&title);
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_usual_markdown() {
        let html = to_html(
            "# Título\n\n- uno\n- dos\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`código` y [enlace](https://ejemplo.es)",
        );
        assert!(html.contains("<h1>Título</h1>"));
        assert!(html.contains("<li>uno</li>"));
        assert!(html.contains("<table>") && html.contains("<td>1</td>"));
        assert!(html.contains("<code>código</code>"));
        assert!(
            html.contains("href=\"https://ejemplo.es\"")
                && html.contains("rel=\"noopener noreferrer nofollow\"")
        );
    }

    #[test]
    fn nothing_can_run() {
        let evil = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[clic](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">x</a>\n\n<iframe src=\"https://evil\"></iframe>\n\n<div onclick=\"alert(3)\" style=\"x\">d</div>\n\n![i](javascript:alert(4))";
        let html = to_html(evil);
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "onclick",
            "style=",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        let t = to_plain_text("## Paso 1\n\nAbre **Configuración** y pulsa `Aceptar`.\n\n- uno");
        assert!(t.contains("Paso 1") && t.contains("Abre Configuración y pulsa Aceptar."));
        assert!(!t.contains('#') && !t.contains('*') && !t.contains('`'));
    }
}
