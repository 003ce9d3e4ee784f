//! Markdown to typst markup.
//!
//! Every piece of user text is escaped before it reaches the typst source, and
//! all structure is emitted as function calls (`#list(..)`, `#table(..)`)
//! rather than whitespace-sensitive markup, so that no input can change what
//! the generated code means.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::world::image_path;

/// Escapes text for typst markup. Every ASCII punctuation character gets a
/// backslash: that is more than strictly needed, but it also defuses the
/// context-dependent syntax (list and heading markers at the start of a line,
/// `1.` enumerations, `http://` autolinks, `...` and `--` shorthands, field
/// access after an embedded expression) without having to track context.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        match c {
            // A newline is only a space in markup, but a blank line would
            // start a new paragraph in the middle of, say, a table cell.
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A typst string literal holding `text` verbatim.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Converts article Markdown to typst markup. Images whose URL is in `images`
/// are embedded from the virtual paths the World serves (see
/// [`image_paths`]); any other image becomes its alt text in italics.
pub fn markdown_to_typst(md: &str, images: &HashSet<String>) -> String {
    convert(md, &image_paths(images.iter().map(String::as_str)))
}

/// [`markdown_to_typst`] with the image paths already assigned.
pub(crate) fn convert(md: &str, paths: &HashMap<&str, String>) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut writer = Writer {
        out: String::with_capacity(md.len() * 2),
        images: paths,
        capture: None,
        links: Vec::new(),
        open: Vec::new(),
        depth: 0,
    };
    for event in Parser::new_ext(md, options) {
        writer.event(event);
    }
    writer.out
}

/// Maps each image URL to the virtual path it is served under. Sorting makes
/// the numbering independent of hash order, so the markup and the World agree.
pub(crate) fn image_paths<'a>(urls: impl Iterator<Item = &'a str>) -> HashMap<&'a str, String> {
    let mut urls: Vec<&str> = urls.collect();
    urls.sort_unstable();
    urls.dedup();
    urls.into_iter()
        .enumerate()
        .map(|(index, url)| (url, image_path(index)))
        .collect()
}

/// Text that must be collected before it can be emitted, because it ends up
/// in a string argument rather than in markup.
enum Capture {
    Code {
        lang: Option<String>,
        text: String,
    },
    Image {
        path: Option<String>,
        alt: String,
        /// Images nested in the alt text, which CommonMark allows.
        depth: usize,
    },
}

struct PendingLink {
    url: String,
    clickable: bool,
    /// Where the link text starts in the output, to tell whether the text
    /// already shows the address.
    text_start: usize,
}

struct Writer<'a> {
    out: String,
    images: &'a HashMap<&'a str, String>,
    capture: Option<Capture>,
    links: Vec<PendingLink>,
    /// For each open element, whether it was emitted (see [`MAX_DEPTH`]).
    open: Vec<bool>,
    /// Emitted elements that nest content, currently open.
    depth: usize,
}

/// Deeper nesting than this is flattened. Typst gives up on deeply nested
/// content ("maximum show rule depth exceeded" from about 60 nested quotes),
/// and a pathological article should still print, just with less structure.
const MAX_DEPTH: usize = 16;

/// Elements that wrap their content in a typst call.
fn nests(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Paragraph
            | Tag::HtmlBlock
            | Tag::TableRow
            | Tag::TableHead
            | Tag::CodeBlock(_)
            | Tag::Image { .. }
    )
}

fn nests_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::HtmlBlock
            | TagEnd::TableRow
            | TagEnd::TableHead
            | TagEnd::CodeBlock
            | TagEnd::Image
    )
}

impl Writer<'_> {
    fn event(&mut self, event: Event) {
        if self.captured(&event) {
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => self.out.push_str(&escape_text(&text)),
            Event::Code(code) => {
                self.out.push_str("#raw(");
                self.out.push_str(&string_literal(&code));
                self.out.push(')');
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()\n"),
            Event::Rule => self
                .out
                .push_str("\n#line(length: 100%, stroke: 0.5pt + luma(150))\n\n"),
            Event::TaskListMarker(done) => {
                let mark = if done {
                    "#align(center + horizon, text(size: 0.7em, sym.checkmark))"
                } else {
                    ""
                };
                let _ = write!(
                    self.out,
                    "#box(width: 0.8em, height: 0.8em, stroke: 0.6pt, baseline: 0.05em)[{mark}] "
                );
            }
        }
    }

    /// Feeds code block and image alt text into the pending capture; returns
    /// whether the event was consumed.
    fn captured(&mut self, event: &Event) -> bool {
        match &mut self.capture {
            None => false,
            Some(Capture::Code { lang, text }) => {
                match event {
                    Event::Text(t) => text.push_str(t),
                    Event::End(TagEnd::CodeBlock) => {
                        let code = text.strip_suffix('\n').unwrap_or(text);
                        self.out.push_str("\n#raw(block: true, ");
                        if let Some(lang) = lang {
                            let _ = write!(self.out, "lang: {}, ", string_literal(lang));
                        }
                        self.out.push_str(&string_literal(code));
                        self.out.push_str(")\n\n");
                        self.capture = None;
                    }
                    _ => {}
                }
                true
            }
            Some(Capture::Image { path, alt, depth }) => {
                match event {
                    Event::Text(t) | Event::Code(t) => alt.push_str(t),
                    Event::SoftBreak | Event::HardBreak => alt.push(' '),
                    Event::Start(Tag::Image { .. }) => *depth += 1,
                    Event::End(TagEnd::Image) if *depth > 0 => *depth -= 1,
                    Event::End(TagEnd::Image) => {
                        match path {
                            Some(path) => {
                                let _ = write!(
                                    self.out,
                                    "\n#align(center, image({}, alt: {}))\n",
                                    string_literal(path),
                                    string_literal(alt)
                                );
                            }
                            None if alt.trim().is_empty() => {}
                            None => {
                                let _ = write!(self.out, "#emph[{}]", escape_text(alt));
                            }
                        }
                        self.capture = None;
                    }
                    _ => {}
                }
                true
            }
        }
    }

    /// Whether the innermost open element was emitted as typst structure.
    fn parent_emitted(&self) -> bool {
        self.open.last().copied().unwrap_or(true)
    }

    fn start(&mut self, tag: Tag) {
        let emit = match &tag {
            // Their syntax belongs to the parent call, so they follow it.
            Tag::Item | Tag::TableHead | Tag::TableRow | Tag::TableCell => self.parent_emitted(),
            Tag::Paragraph | Tag::HtmlBlock => true,
            // Self-contained; their end events are consumed by the capture.
            Tag::CodeBlock(_) | Tag::Image { .. } => true,
            _ => self.depth < MAX_DEPTH,
        };
        if !matches!(tag, Tag::CodeBlock(_) | Tag::Image { .. }) {
            self.open.push(emit);
        }
        if !emit {
            return;
        }
        if nests(&tag) {
            self.depth += 1;
        }
        match tag {
            Tag::Paragraph | Tag::HtmlBlock | Tag::TableRow => {}
            Tag::Heading { level, .. } => {
                // The article title is the only level-1 heading.
                let level = (level as usize + 1).min(6);
                let _ = write!(self.out, "\n#heading(level: {level})[");
            }
            Tag::BlockQuote(_) => self.out.push_str("\n#quote(block: true)["),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(str::to_owned)
                        .filter(|l| !l.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                self.capture = Some(Capture::Code {
                    lang,
                    text: String::new(),
                });
            }
            Tag::List(None) => self.out.push_str("\n#list("),
            Tag::List(Some(start)) => {
                // Typst integers are i64; CommonMark caps list numbers at
                // nine digits anyway.
                let start = start.min(999_999_999);
                let _ = write!(self.out, "\n#enum(start: {start}, ");
            }
            Tag::Item => self.out.push('['),
            Tag::Table(alignments) => {
                let aligns: String = alignments
                    .iter()
                    .map(|a| match a {
                        Alignment::None | Alignment::Left => "left, ",
                        Alignment::Center => "center, ",
                        Alignment::Right => "right, ",
                    })
                    .collect();
                let _ = write!(
                    self.out,
                    "\n#table(columns: {}, align: ({aligns}), ",
                    alignments.len().max(1)
                );
            }
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::TableCell => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Superscript => self.out.push_str("#super["),
            Tag::Subscript => self.out.push_str("#sub["),
            Tag::Link { dest_url, .. } => {
                let url = dest_url.trim().to_owned();
                let clickable = is_external(&url);
                if clickable {
                    let _ = write!(self.out, "#link({})[", string_literal(&url));
                }
                self.links.push(PendingLink {
                    url,
                    clickable,
                    text_start: self.out.len(),
                });
            }
            Tag::Image { dest_url, .. } => {
                self.capture = Some(Capture::Image {
                    path: self.images.get(dest_url.as_ref()).cloned(),
                    alt: String::new(),
                    depth: 0,
                });
            }
            // Not enabled in the parser options; their text still shows.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        let emitted = self.open.pop().unwrap_or(true);
        if !emitted {
            // Flattened structure still needs its parts kept apart.
            match tag {
                TagEnd::Item | TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Heading(_) => {
                    self.out.push_str("\n\n");
                }
                TagEnd::TableCell => self.out.push_str(" \\| "),
                TagEnd::TableHead | TagEnd::TableRow => self.out.push_str("#linebreak()\n"),
                _ => {}
            }
            return;
        }
        if nests_end(&tag) {
            self.depth = self.depth.saturating_sub(1);
        }
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.out.push_str("\n\n"),
            TagEnd::Heading(_) | TagEnd::BlockQuote(_) => self.out.push_str("]\n\n"),
            TagEnd::List(_) => self.out.push_str(")\n\n"),
            TagEnd::Item | TagEnd::TableCell => self.out.push_str("], "),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => self.out.push(']'),
            TagEnd::Link => self.end_link(),
            // Code blocks and images end inside their capture.
            TagEnd::CodeBlock
            | TagEnd::Image
            | TagEnd::TableRow
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// A printed page cannot be clicked, so the address goes into a footnote
    /// unless the link text already shows it.
    fn end_link(&mut self) {
        let Some(link) = self.links.pop() else {
            return;
        };
        let shown = self
            .out
            .get(link.text_start..)
            .unwrap_or_default()
            .to_owned();
        if link.clickable {
            self.out.push(']');
        }
        let address = link.url.strip_prefix("mailto:").unwrap_or(&link.url);
        if address.is_empty() || link.url.starts_with('#') || shown == escape_text(address) {
            return;
        }
        let text = escape_text(address);
        if link.clickable {
            let _ = write!(
                self.out,
                "#footnote[#link({})[{text}]]",
                string_literal(&link.url)
            );
        } else {
            let _ = write!(self.out, "#footnote[{text}]");
        }
    }
}

/// Only these schemes become clickable: a PDF link to `javascript:` or
/// `file:` is not something a support article should carry.
fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::{SyntaxKind, SyntaxNode, parse};

    fn typst(md: &str) -> String {
        markdown_to_typst(md, &HashSet::new())
    }

    /// Every identifier the converter itself may emit. Any other identifier in
    /// the parsed output would mean user text reached typst as code.
    const OURS: &[&str] = &[
        "heading",
        "level",
        "emph",
        "strong",
        "strike",
        "super",
        "sub",
        "raw",
        "block",
        "lang",
        "list",
        "enum",
        "start",
        "table",
        "columns",
        "align",
        "header",
        "left",
        "center",
        "right",
        "link",
        "footnote",
        "image",
        "alt",
        "linebreak",
        "line",
        "length",
        "stroke",
        "luma",
        "quote",
        "box",
        "width",
        "height",
        "baseline",
        "horizon",
        "text",
        "size",
        "sym",
        "checkmark",
    ];

    fn collect_idents(node: &SyntaxNode, idents: &mut Vec<String>) {
        if matches!(node.kind(), SyntaxKind::Ident | SyntaxKind::MathIdent) {
            idents.push(node.leaf_text().to_string());
        }
        for child in node.children() {
            collect_idents(child, idents);
        }
    }

    /// Parses the output and fails on syntax errors or foreign identifiers.
    fn assert_inert(markup: &str) {
        let root = parse(markup);
        let (errors, _) = root.errors_and_warnings();
        assert!(errors.is_empty(), "syntax errors {errors:?} in:\n{markup}");
        let mut idents = Vec::new();
        collect_idents(&root, &mut idents);
        for ident in idents {
            assert!(
                OURS.contains(&ident.as_str()),
                "user code `{ident}` in:\n{markup}"
            );
        }
    }

    #[test]
    #[should_panic(expected = "user code `eval`")]
    fn the_inertness_check_catches_code() {
        assert_inert("a #eval(\"1\") b");
    }

    #[test]
    fn escapes_every_typst_special_character() {
        assert_eq!(
            escape_text(r#"\ # [ ] * _ ` $ < > @ = - + / ~ " ' : ; . ( )"#),
            r#"\\ \# \[ \] \* \_ \` \$ \< \> \@ \= \- \+ \/ \~ \" \' \: \; \. \( \)"#
        );
        assert_eq!(escape_text("línea\nsiguiente"), "línea siguiente");
        assert_eq!(escape_text("¿Qué? ¡Sí! ñ"), r"¿Qué\? ¡Sí\! ñ");
    }

    #[test]
    fn string_literals_cannot_be_closed_early() {
        assert_eq!(string_literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string_literal("x\ny\u{7}"), r#""x\ny\u{7}""#);
    }

    #[test]
    fn injection_attempts_stay_text() {
        let attacks = [
            "#import \"/etc/passwd\": *",
            "#eval(\"1 + 1\")",
            "#read(\"/etc/passwd\")",
            "$x^2 + #read(\"/etc/hosts\")$",
            "@ref and <label> and #let x = 1",
            "#set page(width: 1cm)\n#show: none",
            "`#read(\"a\")` and \\#x and \\",
            "```rust\"); read(\"/etc/passwd\n#eval(\"x\")\n```",
            "[link](https://a.example/\"#read(\"x\")) ![img](\"#read(\"y\"))",
            "= Not a heading\n- not a list with #strong[x]\n+ 1. /term: x",
            "a *b]#eval(\"x\")[ c* d\n\nhttp://x.example/#eval(\"y\")",
            "<div onclick=\"x\">#eval(\"html\")</div>\n\n<b>#read(\"z\")</b>",
            "| a | #eval(\"t\") |\n|---|---|\n| ] | [ |",
            "text]#strong[x]\n\n)#emph[x](",
        ];
        for attack in attacks {
            let out = typst(attack);
            // Inside string literals (code, URLs) these are inert, hence the
            // parse rather than a substring check.
            assert_inert(&out);
        }
    }

    #[test]
    fn headings_shift_below_the_title() {
        let out = typst("# Uno\n\n## Dos\n\n#### Cuatro\n\n###### Seis");
        assert!(out.contains("#heading(level: 2)[Uno]"), "{out}");
        assert!(out.contains("#heading(level: 3)[Dos]"), "{out}");
        assert!(out.contains("#heading(level: 5)[Cuatro]"), "{out}");
        assert!(out.contains("#heading(level: 6)[Seis]"), "{out}");
        assert_inert(&out);
    }

    #[test]
    fn inline_styles_and_breaks() {
        let out = typst("*a* **b** ~~c~~ `d \"e\"` f  \ng\nh");
        assert!(out.contains("#emph[a]"), "{out}");
        assert!(out.contains("#strong[b]"), "{out}");
        assert!(out.contains("#strike[c]"), "{out}");
        assert!(out.contains(r#"#raw("d \"e\"")"#), "{out}");
        assert!(out.contains("f#linebreak()\ng h"), "{out}");
        assert_inert(&out);
    }

    #[test]
    fn lists_nest_and_keep_their_start() {
        let out = typst("- a\n  - b\n    1. c\n- d\n\n3. x\n4. y\n\n- [x] hecho\n- [ ] pendiente");
        assert!(
            out.contains("#list([a\n#list([b\n#enum(start: 1, [c], )"),
            "{out}"
        );
        assert!(out.contains("#enum(start: 3, [x], [y], )"), "{out}");
        assert!(out.contains("sym.checkmark"), "{out}");
        assert_inert(&out);
    }

    #[test]
    fn tables_have_a_header_row_and_alignment() {
        let out = typst("| Equipo | Estado |\n|:--|--:|\n| HP | *ok* |");
        assert!(
            out.contains("#table(columns: 2, align: (left, right, ), table.header([Equipo], [Estado], ), [HP], [#emph[ok]], )"),
            "{out}"
        );
        assert_inert(&out);
    }

    #[test]
    fn code_blocks_keep_language_and_text() {
        let out = typst("```powershell\nGet-Printer | Where Name -eq \"HP\"\n```");
        assert!(
            out.contains(
                r#"#raw(block: true, lang: "powershell", "Get-Printer | Where Name -eq \"HP\"")"#
            ),
            "{out}"
        );
        assert_inert(&out);
    }

    #[test]
    fn links_print_their_address() {
        let out = typst("[la guía](https://example.com/guia) <https://example.com/x> [ancla](#s)");
        assert!(
            out.contains(r#"#link("https://example.com/guia")[la guía]#footnote[#link("https://example.com/guia")[https\:\/\/example\.com\/guia]]"#),
            "{out}"
        );
        // An autolink already shows its address.
        assert!(
            !out.contains("#footnote[#link(\"https://example.com/x\")"),
            "{out}"
        );
        assert!(out.contains("ancla") && !out.contains("#s"), "{out}");
        assert_inert(&out);
    }

    #[test]
    fn unsafe_link_schemes_are_not_clickable() {
        let out = typst("[pulsa](javascript:alert(1))");
        assert!(!out.contains("#link"), "{out}");
        assert!(
            out.contains("pulsa#footnote[javascript\\:alert\\(1\\)]"),
            "{out}"
        );
    }

    #[test]
    fn only_provided_images_are_embedded() {
        let images = HashSet::from(["/kb/files/b.png".to_owned(), "/kb/files/a.png".to_owned()]);
        let out = markdown_to_typst(
            "![Esquema](/kb/files/b.png) ![Foto *externa*](https://x.example/p.png) ![](/nope.png)",
            &images,
        );
        // Sorted URLs: a.png is /img/0, b.png is /img/1.
        assert!(out.contains(r#"image("/img/1", alt: "Esquema")"#), "{out}");
        assert!(out.contains("#emph[Foto externa]"), "{out}");
        assert!(!out.contains("x.example") && !out.contains("nope"), "{out}");
        assert_inert(&out);
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = typst("<script>alert(1)</script>\n\nuno <b>dos</b>");
        assert!(out.contains(r"\<script\>alert\(1\)\<\/script\>"), "{out}");
        assert!(out.contains(r"uno \<b\>dos\<\/b\>"), "{out}");
        assert_inert(&out);
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let out = typst(&(">".repeat(100) + " hondo\n\n" + &"*a ".repeat(100)));
        assert_eq!(out.matches("#quote(").count(), MAX_DEPTH, "{out}");
        assert!(out.contains("hondo"), "{out}");
        assert_inert(&out);
        let lists: String = (0..40)
            .map(|i| format!("{}- n{i}\n", "  ".repeat(i)))
            .collect();
        let out = typst(&lists);
        assert!(out.contains("n39"), "{out}");
        assert!(out.matches("#list(").count() <= MAX_DEPTH, "{out}");
        assert_inert(&out);
    }

    #[test]
    fn quotes_and_rules() {
        let out = typst("> cita\n\n---\n\nfin");
        assert!(out.contains("#quote(block: true)[cita"), "{out}");
        assert!(out.contains("#line(length: 100%"), "{out}");
        assert_inert(&out);
    }
}
