//! Photo storage behind a small trait: content-addressed blobs. The default keeps files under
//! the data directory; several API nodes share that directory (or swap in an object store).

use std::path::PathBuf;

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
