//! Photo storage behind a small trait: content-addressed blobs. Two stores: files under the
//! data directory (the default on SQLite, one machine) and the database itself (the default on
//! PostgreSQL: every API node on the database serves every photo, with nothing shared on disk).

use std::path::PathBuf;

use linli_infra::{Database, repo::photos as repo, time::to_millis};
use sha2::{Digest, Sha256};

pub trait PhotoStore: Send + Sync {
    /// Store `bytes`; returns their content hash (SHA-256, hex), the key to read them back.
    fn put(&self, bytes: &[u8]) -> std::io::Result<String>;
    fn get(&self, hash: &str) -> std::io::Result<Vec<u8>>;
}

/// Files at `<root>/<first two hex chars>/<hash>`; identical photos are stored once.
pub struct FsPhotoStore {
    root: PathBuf,
}

impl FsPhotoStore {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, hash: &str) -> std::io::Result<PathBuf> {
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "bad photo key",
            ));
        }
        Ok(self.root.join(&hash[..2]).join(hash))
    }
}

impl PhotoStore for FsPhotoStore {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hash = hex::encode(Sha256::digest(bytes));
        let path = self.path(&hash)?;
        if !path.exists() {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Write to a temporary file of this upload's own, then rename: a reader never sees
            // half a file, and parallel uploads of the same bytes never share a temporary name
            // (the last rename wins with identical content).
            let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
            let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path));
            if written.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            written?;
        }
        Ok(hash)
    }

    fn get(&self, hash: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path(hash)?)
    }
}

/// Where photos are kept (`LINLI_PHOTO_STORE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoStoreKind {
    /// Files under `<data dir>/photos`.
    Files,
    /// The `photo_blobs` table of the database.
    Database,
}

/// Blobs in the database's `photo_blobs` table, keyed by content hash.
pub struct DbPhotoStore {
    db: Database,
}

impl DbPhotoStore {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

fn io_error(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl PhotoStore for DbPhotoStore {
    fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hash = hex::encode(Sha256::digest(bytes));
        let now = to_millis(chrono::Utc::now());
        let mut conn = self.db.write_conn().map_err(io_error)?;
        repo::put_blob(&mut conn, &hash, bytes, now).map_err(io_error)?;
        Ok(hash)
    }

    fn get(&self, hash: &str) -> std::io::Result<Vec<u8>> {
        let mut conn = self.db.read_conn().map_err(io_error)?;
        repo::get_blob(&mut conn, hash).map_err(io_error)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn parallel_puts_of_the_same_bytes_all_succeed() {
        use super::{FsPhotoStore, PhotoStore};
        let dir = std::env::temp_dir().join(format!("linli-photos-{}", uuid::Uuid::new_v4()));
        let store = FsPhotoStore::new(dir.clone());
        let bytes = vec![7u8; 256 * 1024];
        let hashes: Vec<std::io::Result<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8).map(|_| s.spawn(|| store.put(&bytes))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for h in &hashes {
            assert!(h.is_ok(), "{h:?}");
        }
        let hash = hashes[0].as_ref().unwrap();
        assert_eq!(store.get(hash).unwrap(), bytes);
        let leftovers = std::fs::read_dir(dir.join(&hash[..2])).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
