//! Opening, versioning and writing the index. Reads live in `search.rs`.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::query::Analyzers;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{Document, SearchError, analyzer};

/// Written beside tantivy's files; tantivy's own metadata cannot tell us whether our
/// analysis chain changed.
const VERSION_FILE: &str = "faro-schema-version";
/// Tantivy's minimum per indexing thread. One thread: indexing runs beside the web server
/// on small machines, and the knowledge base is small.
const RAM_WRITER_BYTES: usize = 15_000_000;
const DISK_WRITER_BYTES: usize = 32_000_000;

/// The commit payload: what the index has applied, stored atomically with the data.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    cursor: u64,
}

/// The knowledge-base index. Cheap to clone; clones share one writer.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) analyzers: Analyzers,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    /// Mirrors the last committed payload, so reading it needs no lock.
    cursor: AtomicU64,
    needs_rebuild: bool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.doc_count())
            .field("cursor", &self.inner.cursor.load(Ordering::Acquire))
            .field("needs_rebuild", &self.inner.needs_rebuild)
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, which it owns: creates it when missing, and wipes and
    /// recreates it when it was built by another [`SCHEMA_VERSION`] or cannot be read.
    /// Either way the index starts empty and [`Self::needs_rebuild`] is true.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let existing = match open_existing(dir, &schema) {
            Ok(found) => found,
            Err(reason) => {
                tracing::warn!(dir = %dir.display(), %reason, "search index unusable; rebuilding");
                wipe(dir)?;
                None
            }
        };
        let (index, cursor, needs_rebuild) = match existing {
            Some((index, cursor)) => (index, cursor, false),
            None => {
                let index = Index::create_in_dir(dir, schema)?;
                fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())?;
                (index, 0, true)
            }
        };
        Self::assemble(index, fields, cursor, needs_rebuild, DISK_WRITER_BYTES)
    }

    /// A throw-away index in memory, for tests. Like a fresh directory, it needs a rebuild.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::assemble(
            Index::create_in_ram(schema),
            fields,
            0,
            true,
            RAM_WRITER_BYTES,
        )
    }

    fn assemble(
        index: Index,
        fields: Fields,
        cursor: u64,
        needs_rebuild: bool,
        writer_bytes: usize,
    ) -> Result<Self, SearchError> {
        // Analyzers are not persisted by tantivy: register them on every open.
        index
            .tokenizers()
            .register(analyzer::STEMMED, analyzer::stemmed());
        index
            .tokenizers()
            .register(analyzer::PLAIN, analyzer::plain());
        index
            .tokenizers()
            .register(analyzer::PAIRS, analyzer::pairs());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, writer_bytes)?;
        Ok(Self {
            inner: Arc::new(Inner {
                reader,
                fields,
                analyzers: Analyzers::new(),
                writer: Mutex::new(writer),
                cursor: AtomicU64::new(cursor),
                needs_rebuild,
            }),
        })
    }

    /// True when this open started from an empty index (new, or wiped because it was built
    /// by another schema version): the caller should re-index everything.
    pub fn needs_rebuild(&self) -> bool {
        self.inner.needs_rebuild
    }

    /// Replaces these documents (matched by id) and makes them searchable before returning.
    pub fn upsert(&self, docs: &[Document]) -> Result<(), SearchError> {
        self.write(None, |w, f| add_all(w, f, docs))
    }

    pub fn delete(&self, id: uuid::Uuid) -> Result<(), SearchError> {
        self.write(None, |w, f| {
            w.delete_term(id_term(f, id));
            Ok(())
        })
    }

    /// Empties the index and resets the cursor to 0: an empty index has applied nothing.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.write(Some(0), |w, _| {
            w.delete_all_documents()?;
            Ok(())
        })
    }

    /// The change sequence number of the last batch applied with
    /// [`Self::upsert_with_cursor`]; 0 for a new or cleared index. Survives restarts.
    pub fn cursor(&self) -> Result<u64, SearchError> {
        Ok(self.inner.cursor.load(Ordering::Acquire))
    }

    /// Applies a batch of changes and records `cursor` in the same commit, so after a crash
    /// the index and its cursor always agree.
    pub fn upsert_with_cursor(
        &self,
        docs: &[Document],
        deleted: &[uuid::Uuid],
        cursor: u64,
    ) -> Result<(), SearchError> {
        self.write(Some(cursor), |w, f| {
            for id in deleted {
                w.delete_term(id_term(f, *id));
            }
            add_all(w, f, docs)
        })
    }

    pub fn doc_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Runs `ops` and commits with the cursor payload, or rolls everything back: a failed
    /// batch must not linger in the writer and slip into the next commit.
    fn write(
        &self,
        new_cursor: Option<u64>,
        ops: impl FnOnce(&IndexWriter<TantivyDocument>, &Fields) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let inner = &self.inner;
        let mut writer = inner.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let cursor = new_cursor.unwrap_or_else(|| inner.cursor.load(Ordering::Acquire));
        let result = ops(&writer, &inner.fields).and_then(|()| commit(&mut writer, cursor));
        if let Err(err) = result {
            if let Err(rollback) = writer.rollback() {
                tracing::error!(%rollback, "search index rollback failed");
            }
            return Err(err);
        }
        inner.cursor.store(cursor, Ordering::Release);
        inner.reader.reload()?;
        Ok(())
    }
}

fn id_term(f: &Fields, id: uuid::Uuid) -> tantivy::Term {
    tantivy::Term::from_field_text(f.id, &schema::id_value(id))
}

fn add_all(
    writer: &IndexWriter<TantivyDocument>,
    f: &Fields,
    docs: &[Document],
) -> Result<(), SearchError> {
    for doc in docs {
        // Deletes only affect documents added before them, so a repeated id within one
        // batch still leaves a single copy: the last one.
        writer.delete_term(id_term(f, doc.id));
        writer.add_document(schema::to_tantivy(f, doc))?;
    }
    Ok(())
}

fn commit(writer: &mut IndexWriter<TantivyDocument>, cursor: u64) -> Result<(), SearchError> {
    let payload = serde_json::to_string(&Payload { cursor })
        .map_err(|e| SearchError::Payload(e.to_string()))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

/// `Ok(None)`: nothing there yet. `Err`: something is there but we cannot use it.
fn open_existing(
    dir: &Path,
    schema: &tantivy::schema::Schema,
) -> Result<Option<(Index, u64)>, String> {
    let has_meta = dir.join("meta.json").exists();
    let version = fs::read_to_string(dir.join(VERSION_FILE)).ok();
    match (has_meta, version) {
        (false, None) => return Ok(None),
        (false, Some(_)) => return Err("version file without an index".into()),
        (true, None) => return Err("index without a schema version".into()),
        (true, Some(v)) if v.trim() != SCHEMA_VERSION.to_string() => {
            return Err(format!(
                "schema version {} on disk, {SCHEMA_VERSION} expected",
                v.trim()
            ));
        }
        (true, Some(_)) => {}
    }
    let index = Index::open_in_dir(dir).map_err(|e| e.to_string())?;
    if index.schema() != *schema {
        return Err("schema on disk differs from this build".into());
    }
    let payload = index.load_metas().map_err(|e| e.to_string())?.payload;
    let cursor = match payload {
        None => 0,
        Some(p) => {
            serde_json::from_str::<Payload>(&p)
                .map_err(|e| format!("commit payload: {e}"))?
                .cursor
        }
    };
    Ok(Some((index, cursor)))
}

/// Removes the files of an unusable index. Only plain files: tantivy keeps no
/// sub-directories, and anything else someone put there is not ours to delete.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
