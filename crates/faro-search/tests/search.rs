//! What only the embedded index does: its cursor committed with its data, its schema version
//! on disk, clones shared across threads. What every engine does is in `contract.rs`.

use faro_search::{Document, Scope, SearchIndex, SearchRequest};
use uuid::Uuid;

mod common;
use common::doc;

fn found(index: &SearchIndex, text: &str) -> Vec<String> {
    index
        .search(&SearchRequest::new(text, Scope::All))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.slug)
        .collect()
}

#[test]
fn cursor_is_committed_with_the_batch_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert!(index.needs_rebuild(), "a new index starts empty");
        assert_eq!(index.cursor().unwrap(), 0);
        let docs: Vec<Document> = (1..=3).map(|n| doc(n, "Impresora", "x")).collect();
        index.upsert_with_cursor(&docs, &[], 17).unwrap();
        index
            .upsert_with_cursor(&[], &[Uuid::from_u128(2)], 18)
            .unwrap();
        // Writes without a cursor keep the last one.
        index.upsert(&[doc(9, "Correo", "y")]).unwrap();
        assert_eq!(index.cursor().unwrap(), 18);
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(!index.needs_rebuild());
    assert_eq!(index.cursor().unwrap(), 18);
    assert_eq!(index.doc_count(), 3);
    assert_eq!(found(&index, "impresora").len(), 2);
    index.clear().unwrap();
    drop(index);
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!((index.cursor().unwrap(), index.doc_count()), (0, 0));
}

#[test]
fn other_schema_version_is_wiped_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index
            .upsert_with_cursor(&[doc(1, "Impresora", "x")], &[], 5)
            .unwrap();
    }
    std::fs::write(dir.path().join("faro-schema-version"), "0").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not ours").unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(index.needs_rebuild());
    assert_eq!((index.cursor().unwrap(), index.doc_count()), (0, 0));
    drop(index);
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(!index.needs_rebuild(), "the recreated index is current");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("faro-schema-version")).unwrap(),
        faro_search::SCHEMA_VERSION.to_string()
    );
}

#[test]
fn clones_share_one_index_across_threads() {
    let index = SearchIndex::in_memory().unwrap();
    let handles: Vec<_> = (0..4u128)
        .map(|t| {
            let index = index.clone();
            std::thread::spawn(move || {
                for n in 0..5 {
                    index.upsert(&[doc(t * 10 + n, "Hilo", "x")]).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(index.doc_count(), 20);
}

#[test]
fn a_second_process_cannot_open_the_same_directory() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open(dir.path()).unwrap();
    match SearchIndex::open(dir.path()) {
        Err(faro_search::SearchError::InUse(d)) => assert_eq!(d, dir.path()),
        other => panic!("expected InUse, got {other:?}"),
    }
    // Between writes no tantivy writer exists, so only the claim keeps the second one out.
    first.upsert(&[doc(1, "Impresora", "x")]).unwrap();
    assert!(SearchIndex::open(dir.path()).is_err());
    drop(first);
    let again = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(again.doc_count(), 1);
}

/// Each batch gets a writer of its own; the merges its commit starts still run to the end, so
/// a day of one-article saves does not leave one segment per save.
#[test]
fn many_small_batches_are_merged() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    for n in 0..40u128 {
        index
            .upsert_with_cursor(&[doc(n, "Impresora", "x")], &[], n as u64 + 1)
            .unwrap();
    }
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("meta.json")).unwrap())
            .unwrap();
    let segments = meta["segments"].as_array().unwrap().len();
    assert!(segments <= 12, "{segments} segments after 40 batches");
    assert_eq!(index.doc_count(), 40);
    assert_eq!(index.cursor().unwrap(), 40);
}
