//! One large incident attachment through the REST API, with the server's memory watched.
//!
//! The API runs in a child process (`faro-bench api-server`, exactly as `faro serve` on SQLite),
//! so its resident memory is its own: sampled every 10 ms while a client's member opens an
//! incident with one file of `size_mb` MiB (one multipart request, streamed from a reused
//! buffer), and while the member reads it back through its signed address.

use std::path::PathBuf;

use crate::files::{big_body, dir_size, fetch_all, measured, report, spawn_portal};

/// `faro-bench api-server`: the API on 127.0.0.1 with one member of one membership
/// (`seed::member`), its address written to `address_file`.
pub async fn server(data_dir: PathBuf, address_file: PathBuf) -> anyhow::Result<()> {
    let (store, running) = crate::api::start(faro_api::config::Config {
        data_dir,
        // Room for the bench's file (the default limit is 200 MB).
        attachment_max_mb: 64 * 1024,
        ..faro_api::config::Config::default()
    })
    .await?;
    crate::seed::member(&store).await?;
    std::fs::write(&address_file, running.base_url.as_bytes())?;
    running.wait().await;
    Ok(())
}

pub async fn run(size_mb: u64) -> anyhow::Result<()> {
    faro_files::install_tls_provider();
    let dir = tempfile::tempdir()?;
    let (child, base) = spawn_portal("api-server", dir.path()).await?;
    let pid = child.0.id();
    let http = reqwest::Client::new();
    let token = crate::seed::login(
        &http,
        &format!("{base}/api/v1"),
        crate::seed::MEMBER,
        crate::seed::PASSWORD,
    )
    .await?;

    let total = size_mb * 1024 * 1024;
    println!("Opening an incident with a {size_mb} MiB file…");
    let form = reqwest::multipart::Form::new()
        .text("title", "Vídeo de la avería")
        .text("description", "Grabación completa de la línea.")
        .text("priority", "medium")
        .part(
            "files",
            reqwest::multipart::Part::stream_with_length(big_body(size_mb), total)
                .file_name("grabacion.mp4")
                .mime_str("video/mp4")?,
        );
    let (res, upload) = measured(pid, async {
        let url = format!("{base}/api/v1/incidents");
        Ok(http
            .post(url)
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await?)
    })
    .await?;
    anyhow::ensure!(res.status().as_u16() == 201, "refused: {}", res.status());
    let incident: serde_json::Value = res.json().await?;
    let stored = dir_size(&dir.path().join("data/files"));
    anyhow::ensure!(stored == total, "stored {stored} bytes, expected {total}");
    let url = incident["timeline"][0]["attachments"][0]["url"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no attachment in {incident}"))?;

    println!("Reading it back through its signed address…");
    let (received, download) = measured(pid, fetch_all(http.get(format!("{base}{url}")))).await?;
    anyhow::ensure!(received == total, "received {received} of {total} bytes");
    report(
        "over the REST API",
        size_mb,
        [
            (&format!("open an incident with {size_mb} MiB"), &upload),
            ("read the attachment back", &download),
        ],
    );
    Ok(())
}
