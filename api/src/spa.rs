//! Serves the built single-page app next to the API: from the copy built into the binary
//! (`--features embed-web`), or from a folder (`FARO_WEB_DIR`, else `web/dist`).
//!
//! - Every GET outside the API that names no file gets `index.html`, so deep links work;
//!   `index.html` is never cached (a new release is seen at the next load).
//! - Files with a content hash in their name (`faro-0123456789abcdef.js`, as `web/build.sh`
//!   names them) are cached for a year, immutable; other files are revalidated.
//! - The build's precompressed `.br` / `.gz` twins are sent to browsers that accept them.
//! - A missing file (a name with an extension) is a 404, not `index.html`: an old tab asking
//!   for last release's script gets a clear failure rather than HTML.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

#[cfg(feature = "embed-web")]
mod embedded {
    // Written by build.rs: `pub static FILES: &[(&str, &[u8])]`, web/dist's files.
    include!(concat!(env!("OUT_DIR"), "/web_files.rs"));
}

#[derive(Debug)]
enum Source {
    Dir(PathBuf),
    #[cfg_attr(not(feature = "embed-web"), allow(dead_code))]
    Embedded(&'static [(&'static str, &'static [u8])]),
}

/// The SPA's files, if a build is there.
#[derive(Clone, Debug)]
pub struct SpaFiles {
    source: Arc<Source>,
}

impl SpaFiles {
    /// `FARO_WEB_DIR` when set; else the copy inside the binary, else `web/dist`.
    pub fn locate(dir: Option<&Path>) -> Option<Self> {
        match dir {
            Some(d) => Self::find(d),
            None => Self::embedded().or_else(|| Self::find(Path::new("web/dist"))),
        }
    }

    /// The folder of a built SPA (it has an `index.html`), if there is one.
    pub fn find(dir: &Path) -> Option<Self> {
        dir.join("index.html").is_file().then(|| Self {
            source: Arc::new(Source::Dir(dir.to_path_buf())),
        })
    }

    #[cfg(feature = "embed-web")]
    fn embedded() -> Option<Self> {
        Some(Self {
            source: Arc::new(Source::Embedded(embedded::FILES)),
        })
    }

    #[cfg(not(feature = "embed-web"))]
    fn embedded() -> Option<Self> {
        None
    }

    /// Where the files come from, for the start-up log.
    pub fn describe(&self) -> String {
        match &*self.source {
            Source::Dir(d) => d.display().to_string(),
            Source::Embedded(files) => format!("built into the binary ({} files)", files.len()),
        }
    }

    /// Whether `path` belongs to the SPA rather than to the API or the probes.
    pub fn claims(path: &str) -> bool {
        !(path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/readyz")
    }

    async fn read(&self, name: &str) -> Option<Cow<'static, [u8]>> {
        match &*self.source {
            Source::Dir(dir) => {
                let file = dir.join(name);
                if !file.is_file() {
                    return None;
                }
                tokio::fs::read(file).await.ok().map(Cow::Owned)
            }
            Source::Embedded(files) => files
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| Cow::Borrowed(*b)),
        }
    }

    pub async fn serve(&self, req: &HttpRequest) -> HttpResponse {
        let wanted = plain_name(req.path());
        let mut found = None;
        if let Some(name) = &wanted {
            found = self.read(name).await.map(|b| (name.clone(), b));
        }
        let (name, mut body) = match found {
            Some(f) => f,
            None if wanted.as_deref().is_some_and(names_a_file) => {
                return HttpResponse::NotFound()
                    .insert_header((header::CACHE_CONTROL, "no-cache"))
                    .finish();
            }
            None => match self.read("index.html").await {
                Some(b) => ("index.html".to_string(), b),
                None => return HttpResponse::NotFound().finish(),
            },
        };
        let mut res = HttpResponse::Ok();
        res.content_type(content_type(&name));
        res.insert_header((header::VARY, "Accept-Encoding"));
        res.insert_header((header::CACHE_CONTROL, cache_control(&name)));
        let accepted = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for (coding, ext) in [("br", "br"), ("gzip", "gz")] {
            if !accepts(accepted, coding) {
                continue;
            }
            if let Some(b) = self.read(&format!("{name}.{ext}")).await {
                body = b;
                res.insert_header((header::CONTENT_ENCODING, coding));
                break;
            }
        }
        match body {
            Cow::Borrowed(b) => res.body(b),
            Cow::Owned(b) => res.body(b),
        }
    }
}

/// The file a request path names: only plain components (no `..`, nothing absolute).
fn plain_name(path: &str) -> Option<String> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() {
        return None;
    }
    Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| rel.to_string())
}

/// A path whose last part has an extension asks for a file, not a screen.
fn names_a_file(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// `faro-0123456789abcdef.js`: the stem ends in 16 hex digits after a dash.
fn is_hashed(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.split('.').next().unwrap_or("");
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn cache_control(name: &str) -> &'static str {
    if name == "index.html" {
        "no-cache, no-store"
    } else if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Whether an `Accept-Encoding` value takes `coding` (and not with `q=0`).
fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|part| {
        let mut bits = part.split(';').map(str::trim);
        bits.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
            && !bits.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            })
    })
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_reach_files() {
        assert_eq!(plain_name("/faro.js").as_deref(), Some("faro.js"));
        assert!(plain_name("/../Cargo.toml").is_none());
        assert!(plain_name("/").is_none());
        assert!(names_a_file("faro-0123.js"));
        assert!(!names_a_file(
            "memberships/019a0000-0000-7000-8000-0000000000aa"
        ));
        assert!(SpaFiles::claims("/login"));
        assert!(!SpaFiles::claims("/api/v1/me"));
        assert!(!SpaFiles::claims("/healthz"));
    }

    #[test]
    fn hashed_names_are_cached_for_a_year() {
        assert_eq!(
            cache_control("faro_bg-0123456789abcdef.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("faro_bg.wasm"), "no-cache");
        assert_eq!(cache_control("index.html"), "no-cache, no-store");
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("brotli", "br"));
    }
}
