//! Serves the built single-page app (`web/dist`, or `FARO_WEB_DIR`) next to the API: its files
//! as they are, and `index.html` for every other path that is not the API's, so deep links
//! work. `index.html` is never cached; the other files are revalidated (they get content
//! hashes in their names when the SPA build adds them).

use std::path::{Component, Path, PathBuf};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

/// The SPA's files, if a build is there.
#[derive(Clone, Debug)]
pub struct SpaFiles {
    dir: PathBuf,
}

impl SpaFiles {
    /// The folder of a built SPA (it has an `index.html`), if there is one.
    pub fn find(dir: &Path) -> Option<Self> {
        dir.join("index.html").is_file().then(|| Self {
            dir: dir.to_path_buf(),
        })
    }

    /// Whether `path` belongs to the SPA rather than to the API or the probes.
    pub fn claims(path: &str) -> bool {
        !(path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/readyz")
    }

    fn file_for(&self, path: &str) -> Option<PathBuf> {
        let rel = Path::new(path.trim_start_matches('/'));
        // Only plain names: no `..`, no absolute parts.
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return None;
        }
        let file = self.dir.join(rel);
        file.is_file().then_some(file)
    }

    pub async fn serve(&self, req: &HttpRequest) -> HttpResponse {
        let (file, is_index) = match self.file_for(req.path()) {
            Some(f) => (f, false),
            None => (self.dir.join("index.html"), true),
        };
        let is_index = is_index || file.file_name().is_some_and(|n| n == "index.html");
        let Ok(bytes) = tokio::fs::read(&file).await else {
            return HttpResponse::NotFound().finish();
        };
        let mut res = HttpResponse::Ok();
        res.content_type(content_type(&file));
        res.insert_header((
            header::CACHE_CONTROL,
            if is_index {
                "no-cache, no-store"
            } else {
                "no-cache"
            },
        ));
        res.body(bytes)
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
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
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html>").unwrap();
        std::fs::write(dir.path().join("faro.js"), "x").unwrap();
        let spa = SpaFiles::find(dir.path()).unwrap();
        assert!(spa.file_for("/faro.js").is_some());
        assert!(spa.file_for("/../Cargo.toml").is_none());
        assert!(spa.file_for("/memberships/1").is_none());
        assert!(SpaFiles::claims("/login"));
        assert!(!SpaFiles::claims("/api/v1/me"));
        assert!(!SpaFiles::claims("/healthz"));
    }
}
