//! Typeset PDFs of knowledge-base articles, rendered with typst as a library.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod article;
mod markdown;
mod world;

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Datelike, Timelike, Utc};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::visualize::{ExchangeFormat, RasterImage};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

pub use markdown::markdown_to_typst;

/// How many renders a memoized typst result may go unused before it is
/// dropped. typst's caches are process-wide; without eviction a long-running
/// server would keep every article it ever rendered in memory.
const CACHE_MAX_AGE: usize = 10;

/// An article ready to be typeset. Labels and values come already translated.
#[derive(Clone, Default)]
pub struct ArticlePdf<'a> {
    /// Language code (`"es"`, `"en"`) for hyphenation and typography.
    pub lang: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// Label/value lines shown under the title, e.g. `("Tipo", "Procedimiento")`.
    pub meta: Vec<(&'a str, String)>,
    pub body_markdown: &'a str,
    /// Image bytes (PNG or JPEG) by the URL the Markdown uses for them.
    pub images: HashMap<String, Vec<u8>>,
    /// Text at the left of the page footer.
    pub footer: &'a str,
    /// Word before the page numbers in the footer: "Página" gives "Página 3 / 7".
    pub page_label: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("typst compilation failed: {0}")]
    Compile(String),
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// Renders `article` to PDF bytes. CPU-bound (tens to hundreds of
/// milliseconds): call it from a blocking thread in async code.
pub fn render_article(article: &ArticlePdf) -> Result<Vec<u8>, PdfError> {
    let started = Instant::now();
    let images = usable_images(&article.images);
    let paths = markdown::image_paths(images.keys().copied());
    let body = markdown::convert(article.body_markdown, &paths);
    let source = article::article_source(article, &body);
    let files = paths
        .iter()
        .filter_map(|(url, path)| Some((path.clone(), images.get(url)?.clone())))
        .collect();
    let world = world::ArticleWorld::new(source, files).map_err(PdfError::Compile)?;

    let result = compile_pdf(&world);
    typst::comemo::evict(CACHE_MAX_AGE);
    let pdf = result?;
    tracing::debug!(
        title = article.title,
        bytes = pdf.len(),
        elapsed_ms = started.elapsed().as_millis(),
        "article PDF rendered"
    );
    Ok(pdf)
}

fn compile_pdf(world: &world::ArticleWorld) -> Result<Vec<u8>, PdfError> {
    let compiled = typst::compile::<PagedDocument>(world);
    for warning in &compiled.warnings {
        tracing::debug!(message = %warning.message, "typst warning");
    }
    let document = compiled
        .output
        .map_err(|errors| PdfError::Compile(join_messages(errors.iter().map(|e| &e.message))))?;
    let options = PdfOptions {
        creator: Smart::Custom(Some("Faro".to_owned())),
        timestamp: now_timestamp(),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| PdfError::Export(join_messages(errors.iter().map(|e| &e.message))))
}

fn join_messages<'a>(messages: impl Iterator<Item = &'a typst::ecow::EcoString>) -> String {
    messages.map(|m| m.as_str()).collect::<Vec<_>>().join("; ")
}

fn now_timestamp() -> Option<Timestamp> {
    let now = Utc::now();
    let datetime = Datetime::from_ymd_hms(
        now.year(),
        u8::try_from(now.month()).ok()?,
        u8::try_from(now.day()).ok()?,
        u8::try_from(now.hour()).ok()?,
        u8::try_from(now.minute()).ok()?,
        u8::try_from(now.second()).ok()?,
    )?;
    Some(Timestamp::new_utc(datetime))
}

/// Keeps the images typst can decode. A broken upload would otherwise fail
/// the whole document; dropped, it shows as its alt text instead.
fn usable_images(images: &HashMap<String, Vec<u8>>) -> HashMap<&str, Bytes> {
    images
        .iter()
        .filter_map(|(url, data)| {
            let format = ExchangeFormat::detect(data)
                .filter(|f| matches!(f, ExchangeFormat::Png | ExchangeFormat::Jpg));
            let Some(format) = format else {
                tracing::warn!(url, "article image is not PNG or JPEG; showing its alt text");
                return None;
            };
            let bytes = Bytes::new(data.clone());
            // Decoding is memoized, so the compile reuses this work.
            match RasterImage::plain(bytes.clone(), format) {
                Ok(_) => Some((url.as_str(), bytes)),
                Err(error) => {
                    tracing::warn!(url, %error, "article image does not decode; showing its alt text");
                    None
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The World is the second line of defence: even typst code that slipped
    /// through escaping cannot read server files.
    #[test]
    fn typst_code_cannot_read_server_files() {
        for source in [
            r#"#read("/etc/passwd")"#,
            r#"#read("../../../../etc/passwd")"#,
            r#"#image("/etc/hostname")"#,
            r#"#import "/Cargo.toml": *"#,
        ] {
            let world = world::ArticleWorld::new(source.to_owned(), Vec::new()).unwrap();
            match compile_pdf(&world) {
                Err(PdfError::Compile(message)) => {
                    let refused = message.contains("not found") || message.contains("escape");
                    assert!(refused, "{source}: {message}");
                }
                other => panic!("{source} compiled: {:?}", other.map(|pdf| pdf.len())),
            }
        }
    }
}
