//! Keeping file bytes where they belong: article images uploaded before the file store existed
//! move out of the database into it (once, a few at a time, safe to repeat on every node).

use faro_files::FileStore;
use faro_store::{NewFile, Store};

/// Moves every article image still held in the database; returns how many moved.
pub async fn move_article_images(
    store: &Store,
    files: &FileStore,
) -> Result<usize, faro_core::StoreError> {
    let mut moved = 0;
    loop {
        let batch = store.images_in_database(20).await?;
        if batch.is_empty() {
            return Ok(moved);
        }
        for (id, name, bytes) in batch {
            let key = FileStore::new_key();
            let file_id = store.begin_file(&key, &name).await?;
            let stored = match files.put_bytes(&key, bytes.into()).await {
                Ok(s) => s,
                Err(e) => {
                    store.discard_file(file_id).await?;
                    return Err(faro_core::StoreError::Other(e.to_string()));
                }
            };
            let file = NewFile {
                file_id,
                size: stored.size,
                sha256: stored.sha256,
            };
            match store.image_moved(id, &file).await {
                Ok(true) => moved += 1,
                Ok(false) => {
                    let _ = files.delete(&key).await;
                    store.discard_file(file_id).await?;
                }
                Err(e) => {
                    let _ = files.delete(&key).await;
                    store.discard_file(file_id).await?;
                    return Err(e);
                }
            }
        }
    }
}
