//! The single-page app as the server hands it out: deep links get `index.html` (never cached),
//! hashed files are cached for a year, browsers that take brotli or gzip get the build's
//! precompressed copies, and a missing file is a 404 rather than HTML.

use reqwest::header;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_is_served_with_its_caching_and_compression() {
    let web = tempfile::tempdir().unwrap();
    let hashed = "faro-0123456789abcdef.js";
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Faro</title>",
    )
    .unwrap();
    std::fs::write(web.path().join(hashed), "console.log('faro')").unwrap();
    std::fs::write(web.path().join(format!("{hashed}.br")), b"BROTLI").unwrap();
    std::fs::write(web.path().join(format!("{hashed}.gz")), b"GZIP").unwrap();
    let dir = web.path().to_path_buf();
    let app = TestApp::spawn_with(Db::Sqlite, move |c| c.web_dir = Some(dir))
        .await
        .unwrap();
    let http = reqwest::Client::builder().build().unwrap();
    let get = |path: &str, encoding: &str| {
        http.get(format!("{}{path}", app.base))
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
    };

    // Deep links are the app's; index.html is never kept.
    for path in [
        "/",
        "/memberships/019a0000-0000-7000-8000-0000000000aa",
        "/join?code=X",
    ] {
        let r = get(path, "identity").await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-cache, no-store");
        assert!(
            r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(r.text().await.unwrap().contains("<title>Faro</title>"));
    }

    // Hashed files: a year, immutable; the precompressed copy the browser takes.
    let r = get(&format!("/{hashed}"), "gzip, deflate, br")
        .await
        .unwrap();
    assert_eq!(
        r.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(r.headers()[header::VARY], "Accept-Encoding");
    assert!(
        r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"BROTLI");
    let r = get(&format!("/{hashed}"), "gzip, br;q=0").await.unwrap();
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"GZIP");
    let r = get(&format!("/{hashed}"), "identity").await.unwrap();
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(r.text().await.unwrap(), "console.log('faro')");

    // Last release's script, or any missing file, is a plain 404; nothing outside the folder.
    for path in [
        "/faro-fedcba9876543210.js",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
    ] {
        let r = get(path, "identity").await.unwrap();
        assert!(
            r.status() == 404
                || (r.status() == 200 && r.text().await.unwrap().contains("<title>Faro")),
            "{path}"
        );
    }
    assert_eq!(
        get("/faro-fedcba9876543210.js", "br")
            .await
            .unwrap()
            .status(),
        404
    );

    // The API's paths stay the API's.
    let r = get("/api/v1/nothing-here", "identity").await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("problem+json")
    );
    app.finish().await;
}
