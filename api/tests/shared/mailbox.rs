#![allow(dead_code)]
//! Shared by the API's and the legacy portal's integration tests: the e-mails Faro wrote into
//! its outbox folder, decoded.

use std::path::Path;
use std::time::{Duration, Instant};

/// The e-mails delivered to `to` so far (oldest first).
pub fn mails_to(outbox: &Path, to: &str) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return Vec::new();
    };
    let mut mails: Vec<(std::time::SystemTime, Mail)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| {
            let raw = std::fs::read_to_string(e.path()).ok()?;
            let modified = e.metadata().ok()?.modified().ok()?;
            Some((modified, Mail::parse(&raw)))
        })
        .filter(|(_, m)| m.to.contains(to))
        .collect();
    mails.sort_by_key(|(t, _)| *t);
    mails.into_iter().map(|(_, m)| m).collect()
}

/// Waits (up to 10 s) for a new e-mail to `to` with a link to `path` (more than `before` such
/// mails) and returns that link.
pub async fn wait_for_link(outbox: &Path, to: &str, path: &str, before: usize) -> String {
    let start = Instant::now();
    loop {
        let with_link: Vec<Mail> = mails_to(outbox, to)
            .into_iter()
            .filter(|m| m.text.contains(path))
            .collect();
        if with_link.len() > before {
            return with_link[with_link.len() - 1].link(path).to_string();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no new {path} link to {to} within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A delivered e-mail, with its parts decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    pub fn parse(raw: &str) -> Self {
        let raw = raw.replace("\r\n", "\n");
        // Long headers are folded over several lines (RFC 5322): unfold the header block.
        let head_end = raw.find("\n\n").unwrap_or(raw.len());
        let headers = raw[..head_end].replace("\n ", " ").replace("\n\t", " ");
        let header = |name: &str| {
            headers
                .lines()
                .find(|l| {
                    l.to_ascii_lowercase()
                        .starts_with(&format!("{}:", name.to_ascii_lowercase()))
                })
                .map(|l| l[name.len() + 1..].trim().to_string())
                .unwrap_or_default()
        };
        let mut text = String::new();
        let mut html = String::new();
        for part in raw.split("\n--").skip(1) {
            let Some((head, body)) = part.split_once("\n\n") else {
                continue;
            };
            let head_l = head.to_ascii_lowercase();
            let decoded = if head_l.contains("content-transfer-encoding: base64") {
                String::from_utf8(base64_decode(body)).unwrap_or_default()
            } else if head_l.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable_decode(body)
            } else {
                body.to_string()
            };
            if head_l.contains("content-type: text/plain") {
                text = decoded;
            } else if head_l.contains("content-type: text/html") {
                html = decoded;
            }
        }
        Self {
            to: header("To"),
            subject: decode_subject(&header("Subject")),
            text,
            html,
        }
    }

    /// The first link in the text part whose path starts with `path`.
    pub fn link(&self, path: &str) -> String {
        let start = self
            .text
            .find(path)
            .unwrap_or_else(|| panic!("no {path} link in {}", self.text));
        let rest = &self.text[start..];
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        rest[..end].to_string()
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

fn quoted_printable_decode(s: &str) -> String {
    let joined = s.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes RFC 2047 `=?utf-8?b?…?=` / `=?utf-8?q?…?=` words.
fn decode_subject(s: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in s.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let decoded = if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            Some(String::from_utf8_lossy(&base64_decode(&word[10..word.len() - 2])).into_owned())
        } else if lower.starts_with("=?utf-8?q?") && word.ends_with("?=") {
            Some(quoted_printable_decode(
                &word[10..word.len() - 2].replace('_', " "),
            ))
        } else {
            None
        };
        // Whitespace between two encoded words is not part of the text (RFC 2047).
        match decoded {
            Some(d) => {
                if !out.is_empty() && !previous_encoded {
                    out.push(' ');
                }
                out.push_str(&d);
                previous_encoded = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
                previous_encoded = false;
            }
        }
    }
    out
}
