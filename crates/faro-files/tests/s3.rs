//! The S3 backend against a real S3-protocol server (s3s-fs, serving a temporary folder over
//! HTTP with signature checks): multipart streaming, ranges, refusals that leave nothing.

use bytes::Bytes;
use faro_files::{FileStore, FileStoreConfig, FilesError};
use futures_util::StreamExt;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;

const KEY_ID: &str = "AKIDFAROTEST";
const SECRET: &str = "faro-test-secret-key";

async fn s3_server(root: &std::path::Path) -> String {
    std::fs::create_dir_all(root.join("faro")).unwrap();
    let fs = s3s_fs::FileSystem::new(root).unwrap();
    let mut b = S3ServiceBuilder::new(fs);
    b.set_auth(SimpleAuth::from_single(KEY_ID, SECRET));
    let service = b.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let conn = ConnBuilder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(socket), service.clone())
                .into_owned();
            tokio::spawn(conn);
        }
    });
    format!("http://{addr}")
}

fn chunks(
    data: &[u8],
    size: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, String>> + Unpin {
    let parts: Vec<Result<Bytes, String>> = data
        .chunks(size)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    futures_util::stream::iter(parts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_backend_streams_reads_ranges_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let endpoint = s3_server(dir.path()).await;
    // SAFETY: this test binary has this one test; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("AWS_ACCESS_KEY_ID", KEY_ID);
        std::env::set_var("AWS_SECRET_ACCESS_KEY", SECRET);
    }
    let store = FileStore::open(&FileStoreConfig::S3 {
        bucket: "faro".into(),
        endpoint: Some(endpoint),
        region: Some("eu-south-2".into()),
    })
    .unwrap();
    assert_eq!(store.describe(), "S3 bucket faro");

    // Large enough for three parts.
    let data: Vec<u8> = (0..12 * 1024 * 1024 + 321)
        .map(|i: usize| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let key = FileStore::new_key();
    let stored = store
        .put_stream(&key, chunks(&data, 256 * 1024), u64::MAX)
        .await
        .unwrap();
    assert_eq!(stored.size, data.len() as u64);
    assert_eq!(store.size(&key).await.unwrap(), Some(data.len() as u64));
    assert_eq!(store.read_all(&key, u64::MAX).await.unwrap(), data);
    let mut part = store.get(&key, Some(7_000_000..7_000_500)).await.unwrap();
    let mut got = Vec::new();
    while let Some(c) = part.stream.next().await {
        got.extend_from_slice(&c.unwrap());
    }
    assert_eq!(got, &data[7_000_000..7_000_500]);

    // Over the limit and broken uploads are aborted: only the first object is there.
    let err = store
        .put_stream(
            &FileStore::new_key(),
            chunks(&data, 1024 * 1024),
            6 * 1024 * 1024,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, FilesError::TooLarge { .. }));
    let broken = futures_util::stream::iter(vec![
        Ok(Bytes::from(vec![7u8; 6 * 1024 * 1024])),
        Err("client went away".to_string()),
    ]);
    let err = store
        .put_stream(&FileStore::new_key(), broken, u64::MAX)
        .await
        .unwrap_err();
    assert!(matches!(err, FilesError::Interrupted(_)));
    let keys: Vec<String> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.0)
        .collect();
    assert_eq!(keys, vec![key.clone()]);

    store.delete(&key).await.unwrap();
    assert_eq!(store.size(&key).await.unwrap(), None);
    assert!(matches!(
        store.get(&key, None).await,
        Err(FilesError::NotFound)
    ));
}
