//! Opening, versioning and writing the index. Reads live in `search.rs`.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::indexer::IndexWriterOptions;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::query::Analyzers;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::{Document, SearchError, analyzer};

/// Written beside tantivy's files; tantivy's own metadata cannot tell us whether our
/// analysis chain changed.
const VERSION_FILE: &str = "faro-schema-version";
/// Locked for as long as a process has the index open: tantivy's own writer lock lasts only
/// while a writer exists, and here one exists only while writing.
const LOCK_FILE: &str = "faro-open.lock";
/// Tantivy's minimum per indexing thread. One thread: indexing runs beside the web server
/// on small machines, and the knowledge base is small.
const RAM_WRITER_BYTES: usize = 15_000_000;
const DISK_WRITER_BYTES: usize = 32_000_000;

/// The commit payload: what the index has applied, stored atomically with the data.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    cursor: u64,
}

/// The knowledge-base index. Cheap to clone; clones share one reader and take turns writing.
///
/// A writer is made for each batch and let go once its commit and the merges it started are
/// done. Kept open, tantivy's writer holds a 10,000-slot document channel (2.4 MB) and six
/// threads for good; the knowledge base changes a few times a day, and a one-article batch
/// takes about 15 ms on disk, the writer, the commit's fsync and the merges included.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) analyzers: Analyzers,
    index: Index,
    writer_bytes: usize,
    /// One batch at a time.
    writing: Mutex<()>,
    /// This process's claim on the directory (none in memory); released when dropped.
    _open: Option<fs::File>,
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
        let claim = claim(dir)?;
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
        Self::assemble(
            index,
            fields,
            cursor,
            needs_rebuild,
            DISK_WRITER_BYTES,
            Some(claim),
        )
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
            None,
        )
    }

    fn assemble(
        index: Index,
        fields: Fields,
        cursor: u64,
        needs_rebuild: bool,
        writer_bytes: usize,
        claim: Option<fs::File>,
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
        Ok(Self {
            inner: Arc::new(Inner {
                reader,
                fields,
                analyzers: Analyzers::new(),
                index,
                writer_bytes,
                writing: Mutex::new(()),
                _open: claim,
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

    /// Runs `ops` in a writer of its own and commits with the cursor payload. A failed batch
    /// dies with its writer, uncommitted, so nothing of it slips into a later commit.
    fn write(
        &self,
        new_cursor: Option<u64>,
        ops: impl FnOnce(&IndexWriter<TantivyDocument>, &Fields) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let inner = &self.inner;
        let _turn = inner.writing.lock().map_err(|_| SearchError::Poisoned)?;
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(inner.writer_bytes)
            .num_worker_threads(1)
            .num_merge_threads(1)
            .build();
        let mut writer = inner.index.writer_with_options(options)?;
        let cursor = new_cursor.unwrap_or_else(|| inner.cursor.load(Ordering::Acquire));
        ops(&writer, &inner.fields).and_then(|()| commit(&mut writer, cursor))?;
        inner.cursor.store(cursor, Ordering::Release);
        // The merges the commit started finish before the writer goes, so readers open the
        // merged segments. The batch is committed either way: a failed merge leaves the
        // segments as they were and is not the batch's failure.
        if let Err(e) = writer.wait_merging_threads() {
            tracing::warn!(error = %e, "search index merge failed; segments left unmerged");
        }
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

/// Takes this process's claim on `dir`, or says another process holds it.
fn claim(dir: &Path) -> Result<fs::File, SearchError> {
    let path: PathBuf = dir.join(LOCK_FILE);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(SearchError::InUse(dir.to_path_buf())),
        Err(fs::TryLockError::Error(e)) if e.kind() == ErrorKind::Unsupported => {
            tracing::warn!(dir = %dir.display(), "file locks unsupported here; not guarding the search index against a second process");
            Ok(file)
        }
        Err(fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// Removes the files of an unusable index (not the claim). Only plain files: tantivy keeps no
/// sub-directories, and anything else someone put there is not ours to delete.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() && entry.file_name() != LOCK_FILE {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
