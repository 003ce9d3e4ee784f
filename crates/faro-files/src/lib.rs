//! Faro's file store: every stored byte (download versions, hosted resources, attachments) goes
//! through here, to a folder under the data directory or to S3-compatible storage, over
//! `object_store`.
//!
//! Uploads stream: a file is never held whole in memory. Its size and sha256 are computed on the
//! way through, the size limit is enforced while reading, and a failed, refused or interrupted
//! upload is aborted so no partial object stays behind. The database keeps the rows; callers
//! write a row only after [`FileStore::put_stream`] succeeded and delete the object again if the
//! row cannot be written (see `faro-store`'s `stored_files`).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod disposition;
mod range;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{
    GetOptions, GetRange, GetResultPayload, ObjectStore, ObjectStoreExt, WriteMultipart,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

pub use disposition::disposition;
pub use range::{RangeRequest, parse_range};

/// Bytes buffered before a part is handed to S3, which wants at least 5 MiB per part.
const S3_PART_SIZE: usize = 5 * 1024 * 1024;
/// A local folder takes parts of any size: smaller parts keep less of an upload in memory.
const LOCAL_PART_SIZE: usize = 1024 * 1024;
/// Bytes read from a local file per chunk of a download stream.
const READ_CHUNK: usize = 256 * 1024;

/// Where the bytes live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStoreConfig {
    /// A folder (created if missing), normally `<data>/files`.
    Local { root: PathBuf },
    /// An S3 bucket. Credentials come from the usual `AWS_*` environment variables.
    S3 {
        bucket: String,
        /// For S3-compatible services (MinIO, Ceph, Garage…): their address.
        endpoint: Option<String>,
        region: Option<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// The upload went past the size limit; nothing was kept.
    #[error("file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// The sender's stream broke off (client gone, malformed body); nothing was kept.
    #[error("upload interrupted: {0}")]
    Interrupted(String),
    #[error("file not found")]
    NotFound,
    /// The requested range starts at or after the end of the file.
    #[error("range not satisfiable")]
    RangeNotSatisfiable,
    #[error("file store: {0}")]
    Store(String),
    #[error("file store configuration: {0}")]
    Config(String),
}

fn store_err(e: object_store::Error) -> FilesError {
    match e {
        object_store::Error::NotFound { .. } => FilesError::NotFound,
        other => FilesError::Store(other.to_string()),
    }
}

/// Makes rustls with ring the process's TLS provider (S3 over https, and any other HTTP client
/// in the process, since the build carries reqwest without a provider of its own). Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// What a finished upload reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub key: String,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// A download in progress: the bytes of `range` (the whole file unless a range was asked).
pub struct ObjectStream {
    pub range: Range<u64>,
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, FilesError>>,
}

/// The handle the rest of Faro keeps. Cheap to clone.
#[derive(Clone, Debug)]
pub struct FileStore {
    inner: Arc<dyn ObjectStore>,
    description: String,
    /// The folder of a local store: an upload cut short by a crash leaves a staging file
    /// (`<key>#<n>`) there that only a direct look can find.
    local_root: Option<PathBuf>,
    part_size: usize,
}

impl FileStore {
    pub fn open(config: &FileStoreConfig) -> Result<Self, FilesError> {
        match config {
            FileStoreConfig::Local { root } => Self::local(root),
            FileStoreConfig::S3 {
                bucket,
                endpoint,
                region,
            } => Self::s3(bucket, endpoint.as_deref(), region.as_deref()),
        }
    }

    fn local(root: &Path) -> Result<Self, FilesError> {
        std::fs::create_dir_all(root)
            .map_err(|e| FilesError::Config(format!("{}: {e}", root.display())))?;
        let fs = LocalFileSystem::new_with_prefix(root)
            .map_err(|e| FilesError::Config(e.to_string()))?
            .with_automatic_cleanup(true);
        Ok(Self {
            inner: Arc::new(fs),
            description: format!("folder {}", root.display()),
            local_root: Some(root.to_path_buf()),
            part_size: LOCAL_PART_SIZE,
        })
    }

    fn s3(bucket: &str, endpoint: Option<&str>, region: Option<&str>) -> Result<Self, FilesError> {
        install_tls_provider();
        let mut b = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = endpoint {
            b = b
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                // Most S3-compatible servers want path-style addresses.
                .with_virtual_hosted_style_request(false);
        }
        if let Some(region) = region {
            b = b.with_region(region);
        }
        let s3 = b.build().map_err(|e| FilesError::Config(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(s3),
            description: format!("S3 bucket {bucket}"),
            local_root: None,
            part_size: S3_PART_SIZE,
        })
    }

    /// For logs and `--help`-style messages: where the bytes go.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// A fresh key: nothing in it comes from the user, so no path tricks are possible.
    pub fn new_key() -> String {
        let now = chrono::Utc::now();
        format!(
            "objects/{}/{}",
            now.format("%Y/%m"),
            uuid::Uuid::now_v7().simple()
        )
    }

    fn path(key: &str) -> Result<ObjectPath, FilesError> {
        ObjectPath::parse(key).map_err(|e| FilesError::Store(e.to_string()))
    }

    /// Streams `body` into the object `key`, at most `limit` bytes. On any failure the upload is
    /// aborted and nothing stays in the store.
    pub async fn put_stream<S, E>(
        &self,
        key: &str,
        mut body: S,
        limit: u64,
    ) -> Result<StoredObject, FilesError>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = Self::path(key)?;
        let upload = self.inner.put_multipart(&path).await.map_err(store_err)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, self.part_size);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let failure = loop {
            match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(FilesError::Interrupted(e.to_string())),
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > limit {
                        break Some(FilesError::TooLarge { limit });
                    }
                    hasher.update(&chunk);
                    // One part in flight at most: memory stays near two parts per upload.
                    if let Err(e) = writer.wait_for_capacity(1).await {
                        break Some(store_err(e));
                    }
                    writer.put(chunk);
                }
            }
        };
        if let Some(e) = failure {
            if let Err(abort) = writer.abort().await {
                tracing::warn!(key, error = %abort, "could not abort an upload");
            }
            return Err(e);
        }
        writer.finish().await.map_err(store_err)?;
        Ok(StoredObject {
            key: key.to_owned(),
            size,
            sha256: hex(&hasher.finalize()),
        })
    }

    /// Stores bytes already in memory (small files: generated PDFs, demo data).
    pub async fn put_bytes(&self, key: &str, bytes: Bytes) -> Result<StoredObject, FilesError> {
        let size = bytes.len() as u64;
        let stream = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(bytes)]);
        self.put_stream(key, stream, size).await
    }

    /// Opens `key` for reading, the whole object or `range` (already checked against `size`
    /// by the caller, see [`parse_range`]).
    pub async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<ObjectStream, FilesError> {
        let path = Self::path(key)?;
        let opts = GetOptions {
            range: range.clone().map(GetRange::Bounded),
            ..Default::default()
        };
        let got = match self.inner.get_opts(&path, opts).await {
            Ok(g) => g,
            Err(object_store::Error::NotFound { .. }) => return Err(FilesError::NotFound),
            Err(e) if range.is_some() && e.to_string().contains("range") => {
                return Err(FilesError::RangeNotSatisfiable);
            }
            Err(e) => return Err(store_err(e)),
        };
        let size = got.meta.size;
        let range = got.range.clone();
        let stream = match got.payload {
            // object_store reads local files 8 KiB per blocking call; larger reads keep a
            // multi-gigabyte download from costing a thread hop per 8 KiB.
            GetResultPayload::File(file, _) => local_stream(file, range.clone()),
            GetResultPayload::Stream(s) => s.map_err(store_err).boxed(),
        };
        Ok(ObjectStream {
            range,
            size,
            stream,
        })
    }

    /// Reads a whole object into memory; refuses objects larger than `max` bytes.
    pub async fn read_all(&self, key: &str, max: u64) -> Result<Vec<u8>, FilesError> {
        let mut got = self.get(key, None).await?;
        if got.size > max {
            return Err(FilesError::TooLarge { limit: max });
        }
        let mut out = Vec::with_capacity(usize::try_from(got.size).unwrap_or(0));
        while let Some(chunk) = got.stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Whether `key` exists, and its size.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, FilesError> {
        match self.inner.head(&Self::path(key)?).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_err(e)),
        }
    }

    /// Removes `key`, and what an upload to it cut short by a crash left behind; a key that is
    /// already gone is not an error. (On S3, unfinished multipart uploads are the bucket's
    /// lifecycle rule's job.)
    pub async fn delete(&self, key: &str) -> Result<(), FilesError> {
        let path = Self::path(key)?;
        if let Some(root) = &self.local_root {
            let file = root.join(path.as_ref());
            for n in 1..=8 {
                let mut staged = file.clone().into_os_string();
                staged.push(format!("#{n}"));
                let _ = tokio::fs::remove_file(&staged).await;
            }
        }
        match self.inner.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_err(e)),
        }
    }

    /// Every key in the store with its size (for checks and tests; lists the whole store).
    pub async fn list(&self) -> Result<Vec<(String, u64)>, FilesError> {
        self.inner
            .list(None)
            .map_ok(|m| (m.location.to_string(), m.size))
            .map_err(store_err)
            .try_collect()
            .await
    }
}

fn local_stream(
    file: std::fs::File,
    range: Range<u64>,
) -> BoxStream<'static, Result<Bytes, FilesError>> {
    let io = |e: std::io::Error| FilesError::Store(e.to_string());
    futures_util::stream::once(async move {
        let mut file = tokio::fs::File::from_std(file);
        file.seek(std::io::SeekFrom::Start(range.start))
            .await
            .map_err(io)?;
        let reader = file.take(range.end - range.start);
        Ok::<_, FilesError>(futures_util::stream::try_unfold(
            reader,
            move |mut r| async move {
                let mut buf = vec![0u8; READ_CHUNK];
                let n = r.read(&mut buf).await.map_err(io)?;
                if n == 0 {
                    return Ok(None);
                }
                buf.truncate(n);
                Ok(Some((Bytes::from(buf), r)))
            },
        ))
    })
    .try_flatten()
    .boxed()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(
        parts: Vec<Result<Bytes, String>>,
    ) -> impl futures_util::Stream<Item = Result<Bytes, String>> + Unpin {
        futures_util::stream::iter(parts)
    }

    fn local() -> (tempfile::TempDir, FileStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::open(&FileStoreConfig::Local {
            root: dir.path().join("files"),
        })
        .unwrap();
        (dir, store)
    }

    fn files_on_disk(root: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
        out
    }

    #[tokio::test]
    async fn streams_in_hashes_and_reads_ranges() {
        let (_dir, store) = local();
        let key = FileStore::new_key();
        let data: Vec<u8> = (0..(S3_PART_SIZE * 2 + 123))
            .map(|i| (i % 251) as u8)
            .collect();
        let parts = data
            .chunks(70_000)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let stored = store
            .put_stream(&key, chunks(parts), u64::MAX)
            .await
            .unwrap();
        assert_eq!(stored.size, data.len() as u64);
        assert_eq!(stored.sha256, hex(&Sha256::digest(&data)));
        assert_eq!(store.read_all(&key, u64::MAX).await.unwrap(), data);
        let mut part = store.get(&key, Some(1000..5000)).await.unwrap();
        assert_eq!(part.range, 1000..5000);
        let mut got = Vec::new();
        while let Some(c) = part.stream.next().await {
            got.extend_from_slice(&c.unwrap());
        }
        assert_eq!(got, &data[1000..5000]);
        store.delete(&key).await.unwrap();
        assert_eq!(store.size(&key).await.unwrap(), None);
        assert!(matches!(
            store.get(&key, None).await,
            Err(FilesError::NotFound)
        ));
    }

    #[tokio::test]
    async fn refused_and_interrupted_uploads_leave_nothing() {
        let (dir, store) = local();
        let big = vec![
            Ok(Bytes::from(vec![1u8; S3_PART_SIZE + 10])),
            Ok(Bytes::from(vec![2u8; 10])),
        ];
        let err = store
            .put_stream(&FileStore::new_key(), chunks(big), S3_PART_SIZE as u64)
            .await
            .unwrap_err();
        assert!(matches!(err, FilesError::TooLarge { .. }));
        let broken = vec![
            Ok(Bytes::from(vec![1u8; S3_PART_SIZE * 2])),
            Err("connection reset".to_string()),
        ];
        let err = store
            .put_stream(&FileStore::new_key(), chunks(broken), u64::MAX)
            .await
            .unwrap_err();
        assert!(matches!(err, FilesError::Interrupted(_)));
        assert!(store.list().await.unwrap().is_empty());
        assert!(files_on_disk(&dir.path().join("files")).is_empty());
    }

    #[tokio::test]
    async fn empty_file_is_a_file() {
        let (_dir, store) = local();
        let key = FileStore::new_key();
        let stored = store.put_stream(&key, chunks(vec![]), 10).await.unwrap();
        assert_eq!(stored.size, 0);
        assert_eq!(
            stored.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(store.read_all(&key, 10).await.unwrap().is_empty());
    }
}
