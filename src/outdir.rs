//! The output directory as an incremental store. It owns what a build keeps there besides
//! the graph files: one record per article under `articles/` (the article's text, metadata
//! and extraction, so that later builds never re-read old inputs), `ids.tsv`, and
//! `manifest.json`, which commits a build. Knows nothing of extraction or merging.
//!
//! Crash safety: every file is written under a temporary name, synced and renamed into
//! place, so a reader sees each file whole, old or new. A build writes new records first
//! (content-addressed names, never overwriting a committed one), then the graph files,
//! `ids.tsv` and the on-disk store (one transaction per graph), and the manifest last: the
//! manifest names the records of the last committed build, and records it does not name are
//! leftovers of an interrupted one, deleted by the next commit.

use crate::export::{self, ExportError};
use crate::merge;
use crate::model::{Article, Extraction, IdRegistry, KnowledgeGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The file that commits a build: its article records and files.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The directory of per-article records.
pub const ARTICLES_DIR: &str = "articles";
/// The file that keeps the ids of names between builds.
pub const REGISTRY_FILE: &str = "ids.tsv";
/// The on-disk Oxigraph store (with the `rocksdb` feature).
pub const STORE_DIR: &str = "store";

/// The version of the manifest and record layout.
const FORMAT: u32 = 1;

/// Why the output directory could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file or directory could not be written or removed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The manifest or a record is not what a build writes.
    #[error("{path}: {message}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Writing the graph files failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The on-disk store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// One article as a build keeps it: the article (text included) and its extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The article.
    pub article: Article,
    /// What was extracted from it.
    pub extraction: Extraction,
}

/// A record as written: borrowed, with the layout version.
#[derive(Serialize)]
struct RecordOut<'a> {
    format: u32,
    article: &'a Article,
    extraction: &'a Extraction,
}

/// A record as read.
#[derive(Deserialize)]
struct RecordIn {
    format: u32,
    article: Article,
    extraction: Extraction,
}

/// What a committed build consists of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    /// The layout version.
    format: u32,
    /// The program that wrote it.
    generator: String,
    /// What the records' extractions were made with (see [`Generation::fingerprint`]).
    extraction: String,
    /// Article id → its record file, relative to the directory.
    articles: BTreeMap<String, String>,
    /// The graph files of this build, relative to the directory.
    files: Vec<String>,
}

/// What to commit: the whole graph after a build.
#[derive(Debug)]
pub struct Generation<'a> {
    /// The merged graph: every article with its extraction, and the ids of names for the
    /// next build. Writing the files releases the articles' texts (see
    /// [`export::write_graph`]).
    pub kg: &'a mut KnowledgeGraph,
    /// What the extractions were made with (program version and lexicons): records made
    /// with another fingerprint are out of date.
    pub fingerprint: &'a str,
    /// Show a progress bar while the files are written.
    pub progress: bool,
}

/// What a commit wrote.
#[derive(Debug, Clone, Default)]
pub struct Committed {
    /// The files written (records excepted).
    pub files: Vec<PathBuf>,
    /// Quads in the graph.
    pub quads: usize,
}

/// A build's output directory.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    manifest: Option<Manifest>,
    unindexed: bool,
}

fn read_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutDirError + '_ {
    move |source| OutDirError::Read {
        path: path.to_path_buf(),
        source,
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutDirError + '_ {
    move |source| OutDirError::Write {
        path: path.to_path_buf(),
        source,
    }
}

impl OutDir {
    /// Opens `dir` (which need not exist yet) and reads its manifest.
    pub fn open(dir: &Path) -> Result<Self, OutDirError> {
        let path = dir.join(MANIFEST_FILE);
        let manifest = match std::fs::read(&path) {
            Ok(bytes) => {
                let m: Manifest =
                    serde_json::from_slice(&bytes).map_err(|e| OutDirError::Damaged {
                        path: path.clone(),
                        message: format!(
                            "not a newsgraph manifest ({e}); a build cannot add to this \
                             directory: build into a new one"
                        ),
                    })?;
                if m.format != FORMAT {
                    return Err(OutDirError::Damaged {
                        path,
                        message: format!(
                            "layout version {} (this newsgraph reads version {FORMAT}); \
                             build into a new directory",
                            m.format
                        ),
                    });
                }
                Some(m)
            }
            Err(e) if e.kind() == ErrorKind::NotFound => None,
            Err(e) => return Err(read_err(&path)(e)),
        };
        let unindexed = manifest.is_none()
            && export::Format::ALL
                .iter()
                .any(|f| dir.join(f.file_name()).is_file());
        Ok(Self {
            dir: dir.to_path_buf(),
            manifest,
            unindexed,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Whether a build has been committed here (the directory has a manifest).
    pub fn is_indexed(&self) -> bool {
        self.manifest.is_some()
    }

    /// Whether the directory holds graph files but no manifest: a build by an older
    /// newsgraph, whose articles cannot be kept.
    pub fn is_unindexed(&self) -> bool {
        self.unindexed
    }

    /// The ids of the articles in the committed build, sorted.
    pub fn article_ids(&self) -> Vec<&str> {
        self.manifest
            .iter()
            .flat_map(|m| m.articles.keys().map(String::as_str))
            .collect()
    }

    /// What the committed records' extractions were made with.
    pub fn fingerprint(&self) -> Option<&str> {
        self.manifest.as_ref().map(|m| m.extraction.as_str())
    }

    /// Reads the record of every article in the committed build.
    pub fn load_records(&self) -> Result<BTreeMap<String, Record>, OutDirError> {
        let mut out = BTreeMap::new();
        let Some(m) = &self.manifest else {
            return Ok(out);
        };
        let read: Vec<Result<(String, Record), OutDirError>> = m
            .articles
            .par_iter()
            .map(|(id, file)| self.read_record(id, file))
            .collect();
        for r in read {
            let (id, record) = r?;
            out.insert(id, record);
        }
        Ok(out)
    }

    /// One article record, checked against the manifest's id.
    fn read_record(&self, id: &str, file: &str) -> Result<(String, Record), OutDirError> {
        let path = self.dir.join(file);
        let bytes = std::fs::read(&path).map_err(read_err(&path))?;
        let damaged = |message: String| OutDirError::Damaged {
            path: path.clone(),
            message,
        };
        let r: RecordIn = serde_json::from_slice(&bytes)
            .map_err(|e| damaged(format!("not a newsgraph article record: {e}")))?;
        if r.format != FORMAT {
            return Err(damaged(format!("layout version {}", r.format)));
        }
        if r.article.id != id {
            return Err(damaged(format!(
                "holds article {:?}, the manifest says {id:?}",
                r.article.id
            )));
        }
        Ok((
            id.to_string(),
            Record {
                article: r.article,
                extraction: r.extraction,
            },
        ))
    }

    /// The ids given to names by earlier builds (empty when there were none).
    pub fn registry(&self) -> Result<IdRegistry, OutDirError> {
        let path = self.dir.join(REGISTRY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(t) => Ok(merge::registry_from_tsv(&t)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(IdRegistry::default()),
            Err(e) => Err(read_err(&path)(e)),
        }
    }

    /// Writes a build: new records, the graph files, `ids.tsv`, the on-disk store, and
    /// the manifest last; then deletes what no build names any more. Returns the files
    /// written (records excepted).
    pub fn commit(&mut self, g: &mut Generation<'_>) -> Result<Committed, OutDirError> {
        let articles_dir = self.dir.join(ARTICLES_DIR);
        std::fs::create_dir_all(&articles_dir).map_err(write_err(&articles_dir))?;
        self.remove_leftovers()?;
        // Records: content-addressed, so a committed record is never overwritten and an
        // unchanged one is not written again.
        // Written in parallel and unsynced, then made durable together (one `syncfs` on
        // Linux rather than one `fsync` per record), before the manifest names them.
        let written: Vec<Result<(String, String, bool), OutDirError>> =
            g.kg.articles
                .par_iter()
                .map(|ag| {
                    let (a, x) = (&ag.article, &ag.extraction);
                    let bytes = record_bytes(a, x)?;
                    let name = format!("{ARTICLES_DIR}/{}", record_file_name(&a.id, &bytes));
                    let path = self.dir.join(&name);
                    let new = !path.is_file();
                    if new {
                        write_unsynced(&path, &bytes)?;
                    }
                    Ok((a.id.clone(), name, new))
                })
                .collect();
        let mut index = BTreeMap::new();
        let mut fresh = Vec::new();
        for w in written {
            let (id, name, new) = w?;
            if new {
                fresh.push(self.dir.join(&name));
            }
            index.insert(id, name);
        }
        sync_files(&articles_dir, &fresh)?;
        // The on-disk store first: it needs the articles' texts, which writing the files
        // releases.
        #[cfg(feature = "rocksdb")]
        crate::store::update_disk_store(&self.dir.join(STORE_DIR), &crate::rdf::to_quads(g.kg))?;
        let graph = export::write_graph(&self.dir, g.kg, g.progress)?;
        let mut written = graph.files;
        let registry = self.dir.join(REGISTRY_FILE);
        export::write_atomic(&registry, merge::registry_to_tsv(&g.kg.registry).as_bytes())?;
        written.push(registry);
        let files: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        // Files of the last build that this one does not write (the main meeting's
        // picture, when no meeting is left) go.
        let mut old: BTreeSet<String> = self
            .manifest
            .iter()
            .flat_map(|m| m.files.iter().cloned())
            .collect();
        old.insert(export::MEETING_SVG.to_string());
        for f in old
            .iter()
            .filter(|f| !files.contains(f) && is_plain_name(f))
        {
            remove_if_present(&self.dir.join(f))?;
        }
        // The renames above must be durable before the manifest names them.
        sync_dir(&articles_dir)?;
        sync_dir(&self.dir)?;
        let manifest = Manifest {
            format: FORMAT,
            generator: format!("newsgraph {}", env!("CARGO_PKG_VERSION")),
            extraction: g.fingerprint.to_string(),
            articles: index,
            files,
        };
        let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| OutDirError::Damaged {
            path: self.dir.join(MANIFEST_FILE),
            message: e.to_string(),
        })?;
        bytes.push(b'\n');
        let path = self.dir.join(MANIFEST_FILE);
        export::write_atomic(&path, &bytes)?;
        sync_dir(&self.dir)?;
        written.push(path);
        self.manifest = Some(manifest);
        self.unindexed = false;
        self.collect_garbage()?;
        Ok(Committed {
            files: written,
            quads: graph.quads,
        })
    }

    /// Deletes the temporary files of an interrupted write.
    fn remove_leftovers(&self) -> Result<(), OutDirError> {
        let ours = export::Format::ALL.iter().map(|f| f.file_name()).chain([
            export::MEETING_SVG,
            REGISTRY_FILE,
            MANIFEST_FILE,
        ]);
        for name in ours {
            remove_if_present(&self.dir.join(format!("{name}.tmp")))?;
        }
        Ok(())
    }

    /// Deletes the records that the manifest does not name (replaced or removed articles,
    /// leftovers of interrupted builds) and temporary files in `articles/`.
    fn collect_garbage(&self) -> Result<(), OutDirError> {
        let named: BTreeSet<&str> = self
            .manifest
            .iter()
            .flat_map(|m| m.articles.values().map(String::as_str))
            .collect();
        let dir = self.dir.join(ARTICLES_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(read_err(&dir)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(read_err(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.ends_with(".json") || name.ends_with(".tmp");
            if ours && !named.contains(format!("{ARTICLES_DIR}/{name}").as_str()) {
                remove_if_present(&entry.path())?;
            }
        }
        Ok(())
    }
}

fn record_bytes(a: &Article, x: &Extraction) -> Result<Vec<u8>, OutDirError> {
    let r = RecordOut {
        format: FORMAT,
        article: a,
        extraction: x,
    };
    let mut bytes = serde_json::to_vec(&r).map_err(|e| OutDirError::Damaged {
        path: PathBuf::from(&a.id),
        message: format!("cannot serialise the article record: {e}"),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `<readable part of the id>.<digest of the contents>.json`: the id may hold any
/// character and any length, the name is short and portable; the digest tells versions
/// apart.
fn record_file_name(id: &str, bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if stem.is_empty() {
        stem.push_str("article");
    }
    let digest: String = Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{stem}.{digest}.json")
}

/// A file name without a directory part (what a manifest lists as graph files).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

fn remove_if_present(path: &Path) -> Result<(), OutDirError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(write_err(path)(e)),
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, without waiting for the
/// disk: [`sync_files`] makes such files durable together.
fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<(), OutDirError> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes).map_err(write_err(path))?;
    std::fs::rename(&tmp, path).map_err(write_err(path))
}

/// Makes `files` (written by [`write_unsynced`] into `dir`) durable: on Linux one
/// `syncfs` of their file system, elsewhere an `fsync` of each.
fn sync_files(dir: &Path, files: &[PathBuf]) -> Result<(), OutDirError> {
    if files.is_empty() {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        let d = std::fs::File::open(dir).map_err(read_err(dir))?;
        if rustix::fs::syncfs(&d).is_ok() {
            return Ok(());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    files.par_iter().try_for_each(|p| {
        std::fs::File::open(p)
            .and_then(|f| f.sync_all())
            .map_err(write_err(p))
    })
}

/// Makes the renames in a directory durable.
fn sync_dir(dir: &Path) -> Result<(), OutDirError> {
    #[cfg(unix)]
    {
        let f = std::fs::File::open(dir).map_err(read_err(dir))?;
        f.sync_all().map_err(write_err(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, text: &str) -> Article {
        crate::article::from_text(
            id.to_string(),
            text.to_string(),
            None,
            None,
            None,
            format!("{id}.txt"),
        )
    }

    /// A graph of `articles` with nothing extracted.
    fn graph(articles: &[&Article]) -> KnowledgeGraph {
        KnowledgeGraph {
            articles: articles
                .iter()
                .map(|a| crate::model::ArticleGraph {
                    article: (*a).clone(),
                    extraction: Extraction::default(),
                    entity_ids: Vec::new(),
                    meeting_ids: Vec::new(),
                })
                .collect(),
            ..KnowledgeGraph::default()
        }
    }

    #[test]
    fn record_names_are_short_portable_and_tell_versions_apart() {
        let a = record_file_name("dawn-2021/09?x", b"one");
        assert!(a.starts_with("dawn-2021_09_x."), "{a}");
        assert!(a.ends_with(".json"));
        assert_ne!(a, record_file_name("dawn-2021/09?x", b"two"));
        assert_eq!(a, record_file_name("dawn-2021/09?x", b"one"));
        let long = record_file_name(&"é".repeat(500), b"x");
        assert!(long.len() < 100, "{long}");
        assert!(record_file_name("", b"x").starts_with("article."));
    }

    #[test]
    fn commit_then_open_gives_the_records_back_and_collects_garbage() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        let dir = tmp.path().join("out");
        let a = article("a", "Talks\n\nPakistan met China.\n");
        let b = article("b", "Visit\n\nIran met Russia.\n");
        let mut out = OutDir::open(&dir)?;
        assert!(!out.is_indexed() && !out.is_unindexed());
        out.commit(&mut Generation {
            kg: &mut graph(&[&a, &b]),
            fingerprint: "f1",
            progress: false,
        })?;
        let out = OutDir::open(&dir)?;
        assert_eq!(out.article_ids(), vec!["a", "b"]);
        assert_eq!(out.fingerprint(), Some("f1"));
        let records = out.load_records()?;
        assert_eq!(records.get("b").map(|r| &r.article), Some(&b));
        // A leftover of an interrupted build: a record no manifest names, a temp file.
        let stray = dir.join(ARTICLES_DIR).join("c.0000.json");
        std::fs::write(&stray, b"{}").map_err(write_err(&stray))?;
        let tmp_file = dir.join("graph.nq.tmp");
        std::fs::write(&tmp_file, b"half").map_err(write_err(&tmp_file))?;
        let mut out = OutDir::open(&dir)?;
        out.commit(&mut Generation {
            kg: &mut graph(&[&a]),
            fingerprint: "f1",
            progress: false,
        })?;
        let names: Vec<String> = std::fs::read_dir(dir.join(ARTICLES_DIR))
            .map_err(read_err(&dir))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("a."), "{names:?}");
        assert!(!tmp_file.exists());
        assert_eq!(OutDir::open(&dir)?.article_ids(), vec!["a"]);
        Ok(())
    }

    #[test]
    fn a_damaged_manifest_is_an_error_naming_the_file() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        let m = tmp.path().join(MANIFEST_FILE);
        std::fs::write(&m, b"{not json").map_err(write_err(&m))?;
        match OutDir::open(tmp.path()) {
            Err(e @ OutDirError::Damaged { .. }) => {
                assert!(e.to_string().contains("manifest.json"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }

    #[test]
    fn graph_files_without_a_manifest_are_an_unindexed_build() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        let nq = tmp.path().join("graph.nq");
        std::fs::write(&nq, b"").map_err(write_err(&nq))?;
        let out = OutDir::open(tmp.path())?;
        assert!(out.is_unindexed() && !out.is_indexed());
        assert!(out.load_records()?.is_empty());
        Ok(())
    }
}
