//! A page rendered once with marks where each reader's own values go, then filled per request.
//!
//! An article page is the same for every person of one membership, role and language except
//! for a few values: their CSRF token, their name, the address they asked for and what they
//! answered to "was it helpful?". Rendering the whole template per request costs more than the
//! rest of the request together; filling four holes in a kept copy costs a copy. The marks carry
//! a random nonce chosen at start, so no text a person writes (an article, a comment) can
//! forge one.

/// The values that differ between readers of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hole {
    Csrf,
    Name,
    Here,
    /// Trusted HTML built by the handler (the "your answer" note), inserted as is.
    Feedback,
}

const HOLES: [Hole; 4] = [Hole::Csrf, Hole::Name, Hole::Here, Hole::Feedback];

/// The marks a page is rendered with. They contain nothing HTML escaping would change.
pub struct Marks {
    prefix: String,
    marks: [String; 4],
}

impl Default for Marks {
    fn default() -> Self {
        let prefix = format!("\u{1}{}:", uuid::Uuid::new_v4().simple());
        let marks = HOLES.map(|h| format!("{prefix}{}\u{1}", h as usize));
        Self { prefix, marks }
    }
}

impl Marks {
    pub fn mark(&self, hole: Hole) -> &str {
        &self.marks[hole as usize]
    }
}

enum Part {
    Text(Box<str>),
    Hole(Hole),
}

/// A rendered page cut at its marks.
pub struct Mold {
    parts: Vec<Part>,
    text_len: usize,
}

/// One reader's values, not yet escaped (except `feedback`, which is HTML).
pub struct Values<'a> {
    pub csrf: &'a str,
    pub name: &'a str,
    pub here: &'a str,
    pub feedback: &'a str,
}

impl Mold {
    /// Cuts `html`, rendered with `marks`, at each mark.
    pub fn cut(html: &str, marks: &Marks) -> Self {
        let mut parts = Vec::new();
        let mut text_len = 0;
        let mut rest = html;
        while let Some(at) = rest.find(&marks.prefix) {
            let after = &rest[at + marks.prefix.len()..];
            let hole = HOLES
                .iter()
                .copied()
                .find(|h| after.starts_with(&marks.mark(*h)[marks.prefix.len()..]));
            let Some(hole) = hole else {
                // Not one of ours after all: keep the text and look further.
                let keep = at + marks.prefix.len();
                text_len += keep;
                parts.push(Part::Text(rest[..keep].into()));
                rest = &rest[keep..];
                continue;
            };
            text_len += at;
            parts.push(Part::Text(rest[..at].into()));
            parts.push(Part::Hole(hole));
            rest = &rest[at + marks.mark(hole).len()..];
        }
        text_len += rest.len();
        parts.push(Part::Text(rest.into()));
        Self { parts, text_len }
    }

    pub fn fill(&self, v: &Values<'_>) -> String {
        let mut out = String::with_capacity(self.text_len + 512);
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Hole(Hole::Csrf) => escape_into(&mut out, v.csrf),
                Part::Hole(Hole::Name) => escape_into(&mut out, v.name),
                Part::Hole(Hole::Here) => escape_into(&mut out, v.here),
                Part::Hole(Hole::Feedback) => out.push_str(v.feedback),
            }
        }
        out
    }
}

/// What askama's HTML escaper does, for the few values filled in here. Most of them (tokens,
/// paths) need nothing, which one quick scan finds.
pub fn escape_into(out: &mut String, text: &str) {
    use askama::filters::Escaper as _;
    if !text
        .bytes()
        .any(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\''))
    {
        out.push_str(text);
        return;
    }
    let _ = askama::filters::Html.write_escaped_str(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_mark_and_escapes() {
        let marks = Marks::default();
        let html = format!(
            "<p>{}</p><input value=\"{}\"><a>{}</a>{}{}",
            marks.mark(Hole::Name),
            marks.mark(Hole::Csrf),
            marks.mark(Hole::Here),
            marks.mark(Hole::Feedback),
            marks.mark(Hole::Csrf),
        );
        let mold = Mold::cut(&html, &marks);
        let page = mold.fill(&Values {
            csrf: "abc",
            name: "Ana <b>\"&'",
            here: "/kb/x?a=1&b=2",
            feedback: "<p class=\"muted\">Sí</p>",
        });
        assert_eq!(
            page,
            "<p>Ana &#60;b&#62;&#34;&#38;&#39;</p><input value=\"abc\"><a>/kb/x?a=1&#38;b=2</a><p class=\"muted\">Sí</p>abc"
        );
    }

    #[test]
    fn text_that_only_looks_like_a_mark_stays() {
        let marks = Marks::default();
        let fake = format!("{}9\u{1}", marks.prefix);
        let html = format!("a{fake}b{}c\u{1}d", marks.mark(Hole::Csrf));
        let page = Mold::cut(&html, &marks).fill(&Values {
            csrf: "T",
            name: "",
            here: "",
            feedback: "",
        });
        assert_eq!(page, format!("a{fake}bTc\u{1}d"));
    }
}
