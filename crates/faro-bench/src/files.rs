//! Upload and download of one large file through the REST API, with the server's memory
//! watched.
//!
//! The API runs in a child process (this same binary, `faro-bench server`, exactly as `faro
//! serve` on SQLite), so its resident memory is its own: sampled from `/proc/<pid>/status`
//! every 10 ms while a staff member publishes a version of `size_mb` MiB (one multipart
//! request, streamed from a reused buffer, as a build pipeline does) and while a client's
//! member downloads it back through `latest`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use faro_core::records::Actor;
use faro_core::{Email, Role, Viewer};
use faro_store::NewStaff;

const STAFF: &str = "banco@soporte.es";

/// `faro-bench server`: the API on 127.0.0.1 with a staff member (`STAFF`) and a client's member
/// (`seed::MEMBER`), its address written to `address_file`.
pub async fn server(data_dir: PathBuf, address_file: PathBuf) -> anyhow::Result<()> {
    let (store, running) = crate::api::start(faro_api::config::Config {
        data_dir,
        // Room for the bench's file (the default limit is 10 GB).
        download_max_mb: 64 * 1024,
        ..faro_api::config::Config::default()
    })
    .await?;
    store
        .create_staff(
            &Viewer::system(),
            &Actor::default(),
            NewStaff {
                email: Email::parse(STAFF)?,
                name: "Banco de pruebas".into(),
                role: Role::Admin,
                language: faro_core::Lang::Es,
                password: Some(crate::seed::password_hash()?),
            },
            None,
        )
        .await?;
    crate::seed::member(&store).await?;
    std::fs::write(&address_file, running.base_url.as_bytes())?;
    running.wait().await;
    Ok(())
}

pub(crate) fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Samples the child's RSS until stopped; returns the peak in KiB.
pub(crate) struct Sampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<()>,
}

impl Sampler {
    pub(crate) fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Self { stop, peak, thread }
    }

    pub(crate) fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        self.peak.load(Ordering::Relaxed)
    }
}

pub(crate) struct ChildGuard(pub(crate) Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_size(&p)
            } else {
                e.metadata().map(|m| m.len()).unwrap_or(0)
            }
        })
        .sum()
}

/// Starts `faro-bench <command>` (a portal) on a data folder under `dir`; gives it back with
/// its address once it listens.
pub(crate) async fn spawn_portal(
    command: &str,
    dir: &Path,
) -> anyhow::Result<(ChildGuard, String)> {
    let port_file = dir.join("address");
    let child = Command::new(std::env::current_exe()?)
        .arg(command)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--address-file")
        .arg(&port_file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let child = ChildGuard(child);
    let start = Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(&port_file)
            && !s.is_empty()
        {
            return Ok((child, s));
        }
        anyhow::ensure!(
            start.elapsed() < Duration::from_secs(60),
            "the portal did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A body of `size_mb` MiB of varied bytes: one 1 MiB buffer sent over and over (no
/// client-side cost per byte).
pub(crate) fn big_body(size_mb: u64) -> reqwest::Body {
    let block: bytes::Bytes = (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect::<Vec<u8>>()
        .into();
    reqwest::Body::wrap_stream(futures_util::stream::iter(
        (0..size_mb).map(move |_| Ok::<_, std::io::Error>(block.clone())),
    ))
}

/// One timed transfer: how long it took and the server's resident memory (KiB) just before it
/// and at its peak.
pub(crate) struct Measured {
    secs: f64,
    baseline: u64,
    peak: u64,
}

/// Lets the server settle, then runs `transfer` with its memory sampled.
pub(crate) async fn measured<T>(
    pid: u32,
    transfer: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<(T, Measured)> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let baseline = rss_kib(pid);
    let sampler = Sampler::start(pid);
    let t = Instant::now();
    let out = transfer.await;
    let secs = t.elapsed().as_secs_f64();
    let peak = sampler.finish();
    Ok((
        out?,
        Measured {
            secs,
            baseline,
            peak,
        },
    ))
}

/// Sends `req` and reads the whole body; the number of bytes received.
pub(crate) async fn fetch_all(req: reqwest::RequestBuilder) -> anyhow::Result<u64> {
    let mut res = req.send().await?;
    anyhow::ensure!(res.status().is_success(), "download: {}", res.status());
    let mut received: u64 = 0;
    while let Some(chunk) = res.chunk().await? {
        received += chunk.len() as u64;
    }
    Ok(received)
}

/// The table of an upload and a download of `size_mb` MiB.
pub(crate) fn report(title: &str, size_mb: u64, rows: [(&str, &Measured); 2]) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!();
    println!("| {title} | time | throughput | server peak RSS | growth over baseline |");
    println!("|---|---|---|---|---|");
    for (label, m) in rows {
        println!(
            "| {label} | {:.1} s | {:.0} MiB/s | {:.1} MiB | {:.1} MiB |",
            m.secs,
            size_mb as f64 / m.secs,
            mib(m.peak),
            mib(m.peak.saturating_sub(m.baseline))
        );
    }
    println!(
        "(baselines: {:.1} MiB before the upload, {:.1} MiB before the download; goal: growth < 20 MiB)",
        mib(rows[0].1.baseline),
        mib(rows[1].1.baseline)
    );
}

pub async fn run(size_mb: u64) -> anyhow::Result<()> {
    faro_files::install_tls_provider();
    let dir = tempfile::tempdir()?;
    let (child, base) = spawn_portal("server", dir.path()).await?;
    let pid = child.0.id();
    let api = format!("{base}/api/v1");
    let http = reqwest::Client::new();
    let staff = crate::seed::login(&http, &api, STAFF, crate::seed::PASSWORD).await?;
    let member =
        crate::seed::login(&http, &api, crate::seed::MEMBER, crate::seed::PASSWORD).await?;
    let res = http
        .post(format!("{api}/downloads"))
        .bearer_auth(&staff)
        .json(&serde_json::json!({"kind": "software", "title": "Instalador grande"}))
        .send()
        .await?;
    anyhow::ensure!(
        res.status().as_u16() == 201,
        "item not created: {}",
        res.status()
    );
    let item: serde_json::Value = res.json().await?;
    let slug = item["slug"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no slug in {item}"))?
        .to_owned();

    let total = size_mb * 1024 * 1024;
    println!("Publishing a version of {size_mb} MiB…");
    let form = reqwest::multipart::Form::new()
        .text("label", "1.0")
        .text("notes", "")
        .part(
            "file",
            reqwest::multipart::Part::stream_with_length(big_body(size_mb), total)
                .file_name("grande.bin"),
        );
    let (res, upload) = measured(pid, async {
        let url = format!("{api}/downloads/{slug}/versions");
        Ok(http
            .post(url)
            .bearer_auth(&staff)
            .multipart(form)
            .send()
            .await?)
    })
    .await?;
    anyhow::ensure!(
        res.status().as_u16() == 201,
        "upload refused: {}",
        res.status()
    );
    let stored = dir_size(&dir.path().join("data/files"));
    anyhow::ensure!(stored == total, "stored {stored} bytes, expected {total}");

    println!("A member downloads it back through `latest`…");
    let latest = format!("{api}/downloads/{slug}/latest");
    let (received, download) =
        measured(pid, fetch_all(http.get(&latest).bearer_auth(&member))).await?;
    anyhow::ensure!(received == total, "received {received} of {total} bytes");
    report(
        "over the REST API",
        size_mb,
        [
            (&format!("publish a version of {size_mb} MiB"), &upload),
            (&format!("download {size_mb} MiB (`latest`)"), &download),
        ],
    );
    Ok(())
}
