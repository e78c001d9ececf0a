//! The output directory as an incremental store. It owns what a build keeps there besides
//! the graph files: one record per article under `articles/` (the article's text, metadata
//! and extraction, so that later builds never re-read old inputs), `ids.tsv`, and
//! `manifest.json`, which commits a build. Knows nothing of extraction or merging.
//!
//! Records are packed: each build writes the records it did not have before as one pack
//! file (see [`pack`]); when dead records (replaced or removed articles) outweigh the live
//! ones, or packs pile up, the live records are written again into one pack.
//!
//! Crash safety: every file is written under a temporary name, synced and renamed into
//! place, so a reader sees each file whole, old or new. A build writes its new pack first
//! (content-addressed name, never overwriting a committed one), then the graph files,
//! `ids.tsv` and the on-disk store (one transaction per graph), and the manifest last: the
//! manifest names the records of the last committed build, and packs it does not name are
//! leftovers of an interrupted one, deleted by the next commit.

mod pack;

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

/// The version of the manifest layout (2: records in packs).
const FORMAT: u32 = 2;
/// The manifest layout of one file per record, still read.
const FORMAT_FILES: u32 = 1;
/// The version of the record layout.
const RECORD_FORMAT: u32 = 1;
/// Records serialised together before they are written.
const RECORD_SLICE: usize = 1024;
/// At most this many packs are kept; past it the live records are packed again.
const MAX_PACKS: usize = 32;

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
    /// Article id → where its record is.
    articles: BTreeMap<String, Stored>,
    /// The graph files of this build, relative to the directory.
    files: Vec<String>,
}

/// Where a record is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
enum Stored {
    /// A line of a pack (layout 2).
    Packed(pack::RecordRef),
    /// A file of its own, relative to the directory (layout 1).
    File(String),
}

impl Stored {
    /// The file it is in, relative to the directory.
    fn file(&self) -> &str {
        match self {
            Self::Packed(r) => &r.pack,
            Self::File(f) => f,
        }
    }
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

/// Where the records of a build are (see [`OutDir::write_records`]).
#[derive(Debug)]
pub struct Records(BTreeMap<String, Stored>);

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
                if m.format != FORMAT && m.format != FORMAT_FILES {
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
        let Some(m) = &self.manifest else {
            return Ok(BTreeMap::new());
        };
        let mut packed = BTreeMap::new();
        let mut raw: Vec<(String, PathBuf, Vec<u8>)> = Vec::with_capacity(m.articles.len());
        for (id, stored) in &m.articles {
            match stored {
                Stored::Packed(r) => {
                    packed.insert(id.clone(), r.clone());
                }
                Stored::File(f) => {
                    let path = self.dir.join(f);
                    let bytes = std::fs::read(&path).map_err(read_err(&path))?;
                    raw.push((id.clone(), path, bytes));
                }
            }
        }
        for (id, bytes) in pack::read(&self.dir, &packed)? {
            let path = self.dir.join(&packed[&id].pack);
            raw.push((id, path, bytes));
        }
        let parsed: Vec<Result<(String, Record), OutDirError>> = raw
            .into_par_iter()
            .map(|(id, path, bytes)| parse_record(id, &path, &bytes))
            .collect();
        parsed.into_iter().collect()
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
        let records = self.write_records(&g.kg.articles, |a| (&a.article, &a.extraction))?;
        self.commit_with(g, records)
    }

    /// [`OutDir::commit`] of a build whose records [`OutDir::write_records`] wrote (from
    /// the articles of `g`, in their order).
    pub fn commit_with(
        &mut self,
        g: &mut Generation<'_>,
        records: Records,
    ) -> Result<Committed, OutDirError> {
        let articles_dir = self.dir.join(ARTICLES_DIR);
        let index = records.0;
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

    /// Writes the records of a build (`articles`, each an article and its extraction by
    /// `record`, in the order of the build's articles) that the directory does not have yet
    /// as one pack (or, when the packs hold more dead records than live ones or there are
    /// too many packs, every record); returns where each article's record is, for
    /// [`OutDir::commit_with`]. The manifest does not name them yet.
    pub fn write_records<T: Sync>(
        &self,
        articles: &[T],
        record: impl Fn(&T) -> (&Article, &Extraction) + Sync,
    ) -> Result<Records, OutDirError> {
        let articles_dir = self.dir.join(ARTICLES_DIR);
        std::fs::create_dir_all(&articles_dir).map_err(write_err(&articles_dir))?;
        self.remove_leftovers()?;
        let old = self.manifest.as_ref().map(|m| &m.articles);
        let mut kept: BTreeMap<String, Stored> = BTreeMap::new();
        let mut pack = pack::PackWriter::new(&self.dir);
        // Serialised in parallel a slice at a time, written in article order: memory holds
        // one slice of records, not all of them.
        for slice in articles.chunks(RECORD_SLICE) {
            let records: Vec<(Vec<u8>, String)> = slice
                .par_iter()
                .map(|t| {
                    let (article, extraction) = record(t);
                    let bytes = record_bytes(article, extraction)?;
                    let digest = pack::digest(&bytes);
                    Ok((bytes, digest))
                })
                .collect::<Result<_, OutDirError>>()?;
            for (t, (bytes, digest)) in slice.iter().zip(records) {
                let id = &record(t).0.id;
                match old.and_then(|o| o.get(id)) {
                    Some(Stored::Packed(p)) if p.digest == digest => {
                        kept.insert(id.clone(), Stored::Packed(p.clone()));
                    }
                    _ => pack.push(id.clone(), &bytes, digest)?,
                }
            }
        }
        // Packs of kept records: when they hold more dead bytes than live ones (and a
        // mebibyte of them), or there are too many, the kept records join the new pack.
        let mut packs: BTreeMap<&str, u64> = BTreeMap::new();
        for s in kept.values() {
            if let Stored::Packed(p) = s {
                *packs.entry(p.pack.as_str()).or_default() += p.len;
            }
        }
        let mut missing = false;
        let mut dead = 0u64;
        let mut live = 0u64;
        for (pack, used) in &packs {
            let path = self.dir.join(pack);
            match std::fs::metadata(&path) {
                Ok(m) => dead += m.len().saturating_sub(*used),
                Err(_) => missing = true,
            }
            live += used;
        }
        let repack = missing || (dead > live && dead > 1 << 20) || packs.len() >= MAX_PACKS;
        drop(packs);
        if repack && !kept.is_empty() {
            let again: BTreeSet<String> = std::mem::take(&mut kept).into_keys().collect();
            for (article, extraction) in articles
                .iter()
                .map(&record)
                .filter(|(a, _)| again.contains(&a.id))
            {
                let bytes = record_bytes(article, extraction)?;
                let digest = pack::digest(&bytes);
                pack.push(article.id.clone(), &bytes, digest)?;
            }
        }
        let written = pack.finish(&self.dir)?;
        kept.extend(written.into_iter().map(|(id, r)| (id, Stored::Packed(r))));
        Ok(Records(kept))
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
            .flat_map(|m| m.articles.values().map(Stored::file))
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
            let ours =
                name.ends_with(".json") || name.ends_with(".jsonl") || name.ends_with(".tmp");
            if ours && !named.contains(format!("{ARTICLES_DIR}/{name}").as_str()) {
                remove_if_present(&entry.path())?;
            }
        }
        Ok(())
    }
}

fn record_bytes(a: &Article, x: &Extraction) -> Result<Vec<u8>, OutDirError> {
    let r = RecordOut {
        format: RECORD_FORMAT,
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

/// One article record, checked against the manifest's id.
fn parse_record(id: String, path: &Path, bytes: &[u8]) -> Result<(String, Record), OutDirError> {
    let damaged = |message: String| OutDirError::Damaged {
        path: path.to_path_buf(),
        message,
    };
    let mut r: RecordIn = serde_json::from_slice(bytes)
        .map_err(|e| damaged(format!("not a newsgraph article record ({id:?}): {e}")))?;
    if r.format != RECORD_FORMAT {
        return Err(damaged(format!("record layout version {}", r.format)));
    }
    if r.article.id != id {
        return Err(damaged(format!(
            "holds article {:?}, the manifest says {id:?}",
            r.article.id
        )));
    }
    r.extraction.shrink_to_fit();
    Ok((
        id,
        Record {
            article: r.article,
            extraction: r.extraction,
        },
    ))
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
        let stray = dir.join(ARTICLES_DIR).join("records-0000.jsonl");
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
        // Half the records died, but less than a mebibyte: the pack stays.
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("records-"), "{names:?}");
        assert!(!tmp_file.exists());
        assert_eq!(OutDir::open(&dir)?.article_ids(), vec!["a"]);
        Ok(())
    }

    /// The files in the articles directory, sorted.
    fn record_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(ARTICLES_DIR))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn commit(dir: &Path, articles: &[&Article]) -> Result<(), OutDirError> {
        OutDir::open(dir)?.commit(&mut Generation {
            kg: &mut graph(articles),
            fingerprint: "f1",
            progress: false,
        })?;
        Ok(())
    }

    #[test]
    fn unchanged_records_are_not_written_again_and_changed_ones_go_into_a_new_pack(
    ) -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        let dir = tmp.path().join("out");
        let a = article("a", "Talks\n\nPakistan met China.\n");
        let b = article("b", "Visit\n\nIran met Russia.\n");
        commit(&dir, &[&a, &b])?;
        let first = record_files(&dir);
        assert_eq!(first.len(), 1, "{first:?}");
        commit(&dir, &[&a, &b])?;
        assert_eq!(record_files(&dir), first);
        let b2 = article("b", "Visit\n\nIran met Turkey.\n");
        commit(&dir, &[&a, &b2])?;
        let now = record_files(&dir);
        assert_eq!(now.len(), 2, "{now:?}");
        assert!(now.contains(&first[0]), "a's record stays where it was");
        let records = OutDir::open(&dir)?.load_records()?;
        assert_eq!(records.get("b").map(|r| &r.article), Some(&b2));
        assert_eq!(records.get("a").map(|r| &r.article), Some(&a));
        Ok(())
    }

    #[test]
    fn dead_records_outweighing_live_ones_are_packed_away() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        let dir = tmp.path().join("out");
        // Over a mebibyte of records, then all but one removed.
        let big: Vec<Article> = (0..40)
            .map(|i| {
                article(
                    &format!("a{i:02}"),
                    &format!("T\n\n{}\n", "word ".repeat(6000)),
                )
            })
            .collect();
        commit(&dir, &big.iter().collect::<Vec<_>>())?;
        let small = article("z", "Talks\n\nPakistan met China.\n");
        commit(&dir, &[&big[0], &small])?;
        let files = record_files(&dir);
        assert_eq!(files.len(), 1, "one pack of the live records: {files:?}");
        let size = std::fs::metadata(dir.join(ARTICLES_DIR).join(&files[0]))
            .map_err(read_err(&dir))?
            .len();
        assert!(size < 100_000, "{size}");
        let records = OutDir::open(&dir)?.load_records()?;
        assert_eq!(records.keys().collect::<Vec<_>>(), vec!["a00", "z"]);
        assert_eq!(records.get("a00").map(|r| &r.article), Some(&big[0]));
        Ok(())
    }

    #[test]
    fn a_directory_of_one_file_per_record_is_read_and_packed() -> Result<(), OutDirError> {
        let tmp = tempfile::tempdir().map_err(write_err(Path::new("tmp")))?;
        let dir = tmp.path().join("out");
        let a = article("a", "Talks\n\nPakistan met China.\n");
        // Layout 1, as an older newsgraph wrote it.
        let rec = dir.join(ARTICLES_DIR).join("a.0123456789abcdef.json");
        std::fs::create_dir_all(dir.join(ARTICLES_DIR)).map_err(write_err(&dir))?;
        let bytes = record_bytes(&a, &Extraction::default())?;
        std::fs::write(&rec, &bytes).map_err(write_err(&rec))?;
        let manifest = serde_json::json!({
            "format": 1, "generator": "newsgraph 0.1.0", "extraction": "f1",
            "articles": {"a": "articles/a.0123456789abcdef.json"}, "files": []
        });
        let m = dir.join(MANIFEST_FILE);
        std::fs::write(&m, manifest.to_string()).map_err(write_err(&m))?;
        let out = OutDir::open(&dir)?;
        let records = out.load_records()?;
        assert_eq!(records.get("a").map(|r| &r.article), Some(&a));
        commit(&dir, &[&a])?;
        let files = record_files(&dir);
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].starts_with("records-"), "{files:?}");
        assert_eq!(OutDir::open(&dir)?.load_records()?.len(), 1);
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
