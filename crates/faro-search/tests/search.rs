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
