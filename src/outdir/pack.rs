//! Article records packed into few files: a build writes the records it did not have
//! before as the lines of one pack (`articles/records-<digest>.jsonl`, named by its
//! contents, never overwritten), and the manifest names each record by pack, offset,
//! length and digest. Thousands of articles make one file, not thousands.

use super::{read_err, write_err, OutDirError, ARTICLES_DIR};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Where a record is: a line of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct RecordRef {
    /// The pack, relative to the output directory.
    pub pack: String,
    /// The record's first byte in the pack.
    pub offset: u64,
    /// Its length in bytes (the newline included).
    pub len: u64,
    /// The first 8 bytes of its SHA-256, in hex: tells versions apart, checks reads.
    pub digest: String,
}

/// The digest a [`RecordRef`] carries.
pub(super) fn digest(bytes: &[u8]) -> String {
    hex8(&Sha256::digest(bytes))
}

fn hex8(d: &[u8]) -> String {
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// One pack being written: records go to a temporary file as they come (memory holds
/// none of them), and [`PackWriter::finish`] names the pack by the digest of its contents.
pub(super) struct PackWriter {
    tmp: std::path::PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    hasher: Sha256,
    len: u64,
    places: Vec<(String, u64, u64, String)>,
}

impl PackWriter {
    /// A pack to be written into `dir`'s articles directory.
    pub(super) fn new(dir: &Path) -> Self {
        Self {
            tmp: dir.join(ARTICLES_DIR).join("records-new.jsonl.tmp"),
            file: None,
            hasher: Sha256::new(),
            len: 0,
            places: Vec::new(),
        }
    }

    /// Appends the record of article `id` (`bytes`, one line, whose digest is `digest`).
    pub(super) fn push(
        &mut self,
        id: String,
        bytes: &[u8],
        digest: String,
    ) -> Result<(), OutDirError> {
        let file = match &mut self.file {
            Some(f) => f,
            None => {
                let f = std::fs::File::create(&self.tmp).map_err(write_err(&self.tmp))?;
                self.file
                    .insert(std::io::BufWriter::with_capacity(1 << 20, f))
            }
        };
        file.write_all(bytes).map_err(write_err(&self.tmp))?;
        self.hasher.update(bytes);
        self.places.push((id, self.len, bytes.len() as u64, digest));
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Makes the pack durable under its name (synced, renamed); returns where each record
    /// is. Writes nothing when no record came.
    pub(super) fn finish(self, dir: &Path) -> Result<BTreeMap<String, RecordRef>, OutDirError> {
        let mut refs = BTreeMap::new();
        let Some(file) = self.file else {
            return Ok(refs);
        };
        let name = format!(
            "{ARTICLES_DIR}/records-{}.jsonl",
            hex8(&self.hasher.finalize())
        );
        let path = dir.join(&name);
        let f = file
            .into_inner()
            .map_err(|e| write_err(&self.tmp)(e.into_error()))?;
        f.sync_all().map_err(write_err(&self.tmp))?;
        drop(f);
        std::fs::rename(&self.tmp, &path).map_err(write_err(&path))?;
        for (id, offset, len, digest) in self.places {
            let pack = name.clone();
            refs.insert(
                id,
                RecordRef {
                    pack,
                    offset,
                    len,
                    digest,
                },
            );
        }
        Ok(refs)
    }
}

/// Reads the records `refs` names (id → where), checking each against its digest; gives
/// (id, bytes) in id order. Packs are read in parallel slices, each slice through its own
/// handle.
pub(super) fn read(
    dir: &Path,
    refs: &BTreeMap<String, RecordRef>,
) -> Result<Vec<(String, Vec<u8>)>, OutDirError> {
    let all: Vec<(&String, &RecordRef)> = refs.iter().collect();
    let parts: Vec<Vec<(String, Vec<u8>)>> = all
        .par_chunks(256)
        .map(|chunk| {
            let mut open: Option<(&str, std::fs::File)> = None;
            let mut out = Vec::with_capacity(chunk.len());
            for &(id, r) in chunk {
                let path = dir.join(&r.pack);
                let file = match &mut open {
                    Some((p, f)) if *p == r.pack => f,
                    _ => {
                        let f = std::fs::File::open(&path).map_err(read_err(&path))?;
                        &mut open.insert((r.pack.as_str(), f)).1
                    }
                };
                let len = usize::try_from(r.len).map_err(|_| damaged(&path, id, "too long"))?;
                let mut bytes = vec![0; len];
                file.seek(SeekFrom::Start(r.offset))
                    .and_then(|_| file.read_exact(&mut bytes))
                    .map_err(|e| match e.kind() {
                        std::io::ErrorKind::UnexpectedEof => {
                            damaged(&path, id, "the pack is shorter than the manifest says")
                        }
                        _ => read_err(&path)(e),
                    })?;
                if digest(&bytes) != r.digest {
                    return Err(damaged(&path, id, "its bytes do not match its digest"));
                }
                out.push((id.clone(), bytes));
            }
            Ok(out)
        })
        .collect::<Result<_, _>>()?;
    Ok(parts.into_iter().flatten().collect())
}

fn damaged(path: &Path, id: &str, what: &str) -> OutDirError {
    OutDirError::Damaged {
        path: path.to_path_buf(),
        message: format!("the record of article {id:?}: {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(
        dir: &Path,
        records: Vec<(&str, &str)>,
    ) -> Result<BTreeMap<String, RecordRef>, OutDirError> {
        let mut w = PackWriter::new(dir);
        for (id, body) in records {
            let bytes = format!("{body}\n").into_bytes();
            let d = digest(&bytes);
            w.push(id.to_string(), &bytes, d)?;
        }
        w.finish(dir)
    }

    #[test]
    fn records_come_back_from_their_pack() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        std::fs::create_dir_all(tmp.path().join(ARTICLES_DIR)).map_err(write_err(tmp.path()))?;
        let refs = write(tmp.path(), vec![("a", "{\"x\":1}"), ("b", "{\"y\":\"é\"}")])?;
        assert_eq!(refs["a"].pack, refs["b"].pack);
        assert_eq!((refs["a"].offset, refs["b"].offset), (0, 8));
        let back = read(tmp.path(), &refs)?;
        assert_eq!(
            back[1],
            ("b".to_string(), "{\"y\":\"é\"}\n".as_bytes().to_vec())
        );
        assert!(write(tmp.path(), Vec::new())?.is_empty());
        Ok(())
    }

    #[test]
    fn a_damaged_pack_is_an_error_naming_the_file_and_the_article() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        std::fs::create_dir_all(tmp.path().join(ARTICLES_DIR)).map_err(write_err(tmp.path()))?;
        let refs = write(tmp.path(), vec![("a", "{\"x\":1}"), ("b", "{\"y\":2}")])?;
        let path = tmp.path().join(&refs["b"].pack);
        std::fs::write(&path, b"{\"x\":1}\n{\"y\":3}\n").map_err(write_err(&path))?;
        let e = read(tmp.path(), &refs).err().map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(
            e.contains("records-") && e.contains("\"b\"") && e.contains("digest"),
            "{e}"
        );
        std::fs::write(&path, b"{").map_err(write_err(&path))?;
        let e = read(tmp.path(), &refs).err().map(|e| e.to_string());
        assert!(e.unwrap_or_default().contains("shorter"));
        Ok(())
    }
}
