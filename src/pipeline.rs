//! The stage order of a build: load → extract → merge → RDF → files (and the on-disk store).
//! The only module that imports every stage; it implements none of them. A build adds to
//! what its output directory holds (see [`crate::outdir`]): the articles given are
//! extracted and replace those with the same id, the others are kept from their records,
//! and the whole graph is merged and written again.

use crate::article::{self, ArticleError, LoadOptions, Loaded};
use crate::export::ExportError;
use crate::extract::{self, Extractor};
use crate::lexicon::{Lexicon, LexiconError};
use crate::merge;
use crate::model::{Article, EntityKind, Extraction, IdRegistry, KnowledgeGraph};
use crate::outdir::{Generation, OutDir, OutDirError, Record};
use crate::rdf;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why a build failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The lexicons could not be loaded.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    /// The inputs could not be listed.
    #[error(transparent)]
    Input(ArticleError),
    /// No input held an article.
    #[error("no articles to build (inputs: {0})")]
    NoArticles(String),
    /// Writing the files failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The on-disk store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The output directory could not be read or written.
    #[error(transparent)]
    OutDir(#[from] OutDirError),
    /// Nothing to remove from: no build was committed in the directory.
    #[error("{0} holds no newsgraph build (no {manifest}): nothing to remove", manifest = crate::outdir::MANIFEST_FILE)]
    NotABuild(PathBuf),
    /// Articles to remove are not in the build.
    #[error("no article {} in {dir}; it holds {known}", quoted(.unknown))]
    UnknownArticles {
        /// The directory.
        dir: PathBuf,
        /// The ids not found.
        unknown: Vec<String>,
        /// The ids it holds (the first few).
        known: String,
    },
}

fn quoted(ids: &[String]) -> String {
    let v: Vec<String> = ids.iter().map(|i| format!("{i:?}")).collect();
    v.join(", ")
}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Files and directories of articles.
    pub inputs: Vec<PathBuf>,
    /// The output directory.
    pub out: PathBuf,
    /// Extra lexicon directories.
    pub lexicons: Vec<PathBuf>,
    /// Show a progress bar.
    pub progress: bool,
    /// How to read inputs.
    pub load: LoadOptions,
}

impl BuildOptions {
    /// Builds `inputs` into `out` with the built-in lexicons, no progress bar, default limits.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> Self {
        Self {
            inputs,
            out,
            lexicons: Vec::new(),
            progress: false,
            load: LoadOptions::default(),
        }
    }
}

/// What a build or a removal changed in the output directory, by article id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Articles new to the directory.
    pub added: Vec<String>,
    /// Articles given again whose text, metadata or extraction changed.
    pub replaced: Vec<String>,
    /// Articles given again with the same text, metadata and extraction.
    pub unchanged: Vec<String>,
    /// Articles removed.
    pub removed: Vec<String>,
    /// Articles already in the directory and not given, kept from their records.
    pub kept: usize,
    /// Kept articles extracted again from their stored text, because this newsgraph or
    /// its lexicons differ from those that built them.
    pub reextracted: usize,
    /// The directory held graph files without an article index (a build by an older
    /// newsgraph): they were replaced.
    pub unindexed: bool,
}

impl Changes {
    /// "2 added, 1 replaced, 17 kept" (the counts that are not zero).
    pub fn counts(&self) -> String {
        let parts = [
            (self.added.len(), "added"),
            (self.replaced.len(), "replaced"),
            (self.unchanged.len(), "unchanged"),
            (self.removed.len(), "removed"),
            (self.kept, "kept"),
        ];
        let v: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{n} {w}"))
            .collect();
        v.join(", ")
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Articles in the graph after the build.
    pub articles: usize,
    /// What changed, by article.
    pub changes: Changes,
    /// Inputs that failed, with the reason.
    pub failed: Vec<String>,
    /// Inputs that were built after a repair (invalid UTF-8), with what was repaired.
    pub warnings: Vec<String>,
    /// Merged entities by kind.
    pub entities: BTreeMap<EntityKind, usize>,
    /// Merged meetings.
    pub meetings: usize,
    /// Quads written.
    pub quads: usize,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildSummary {
    /// The one-line summary printed at the end of a build.
    pub fn line(&self) -> String {
        let total: usize = self.entities.values().sum();
        let kinds: Vec<String> = self
            .entities
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        let counts = self.changes.counts();
        format!(
            "built {} articles{}: {} entities ({}), {} meetings, {} quads in {:.2}s{}",
            self.articles,
            if counts.is_empty() {
                String::new()
            } else {
                format!(" ({counts})")
            },
            total,
            kinds.join(", "),
            self.meetings,
            self.quads,
            self.elapsed.as_secs_f64(),
            if self.failed.is_empty() {
                String::new()
            } else {
                format!("; {} inputs failed", self.failed.len())
            }
        )
    }
}

/// What loading the inputs gave.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The articles, in input order, ids unique.
    pub articles: Vec<Article>,
    /// Inputs (or records) that failed, each naming the file and the problem.
    pub failed: Vec<String>,
    /// Repairs made (invalid UTF-8), each naming the file.
    pub warnings: Vec<String>,
}

/// Loads every input, files in parallel; failures are collected, not fatal. Articles keep
/// the order of the sorted file list (and of the lines of a JSONL file); an id seen before
/// is a failure of the later article.
pub fn load_articles(inputs: &[PathBuf], opts: &LoadOptions) -> Result<Inputs, BuildError> {
    let files = article::discover(inputs).map_err(BuildError::Input)?;
    let loaded: Vec<Result<Loaded, ArticleError>> = files
        .par_iter()
        .map(|f| article::load_with(f, opts))
        .collect();
    let mut out = Inputs::default();
    let mut ids = BTreeSet::new();
    for r in loaded {
        match r {
            Ok(l) => {
                out.warnings.extend(l.warnings);
                out.failed.extend(l.failed.iter().map(ToString::to_string));
                for a in l.articles {
                    if ids.insert(a.id.clone()) {
                        out.articles.push(a);
                    } else {
                        out.failed
                            .push(format!("{}: duplicate article id {:?}", a.source, a.id));
                    }
                }
            }
            Err(e) => out.failed.push(e.to_string()),
        }
    }
    Ok(out)
}

/// Runs the extractors over every article, in parallel; the results keep the input order,
/// so the output does not depend on the number of threads. An article whose extraction
/// fails (a bug, never expected) is left out and reported in `failed`, so that one bad
/// text cannot stop a build.
pub fn extract_all(
    articles: Vec<Article>,
    lex: &Lexicon,
    bar: &ProgressBar,
    failed: &mut Vec<String>,
) -> Vec<(Article, Extraction)> {
    let set: Vec<Arc<dyn Extractor>> = extract::default_set();
    let results: Vec<(Article, Option<Extraction>)> = articles
        .into_par_iter()
        .map(|a| {
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                extract::extract(&a, lex, &set)
            }));
            bar.inc(1);
            (a, run.ok())
        })
        .collect();
    let mut items = Vec::with_capacity(results.len());
    for (a, x) in results {
        match x {
            Some(x) => items.push((a, x)),
            None => failed.push(format!("{}: extraction failed (internal error)", a.source)),
        }
    }
    items
}

/// Extracts and merges articles into the knowledge graph (see [`extract_all`]).
pub fn analyse(
    articles: Vec<Article>,
    lex: &Lexicon,
    prior: &IdRegistry,
    bar: &ProgressBar,
    failed: &mut Vec<String>,
) -> KnowledgeGraph {
    let items = extract_all(articles, lex, bar, failed);
    merge::merge_with(items, lex, prior)
}

/// The file, in an output directory, that keeps the ids of names between builds.
pub use crate::outdir::REGISTRY_FILE;

/// Runs a whole build: the articles in `opts.inputs` are added to the output directory
/// (replacing those with the same id), and every file there is written again.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let start = Instant::now();
    // The lexicons are read while the articles load (a lexicon error is still the one
    // reported first).
    let (lex, inputs) = rayon::join(
        || Lexicon::load(&opts.lexicons),
        || load_articles(&opts.inputs, &opts.load),
    );
    let lex = lex?;
    let Inputs {
        articles,
        mut failed,
        warnings,
    } = inputs?;
    if articles.is_empty() {
        let names: Vec<String> = opts
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut msg = names.join(", ");
        if !failed.is_empty() {
            msg.push_str(&format!("; failures: {}", failed.join("; ")));
        }
        return Err(BuildError::NoArticles(msg));
    }
    let mut out = OutDir::open(&opts.out)?;
    let stored = out.load_records()?;
    let mut changes = Changes {
        unindexed: out.is_unindexed(),
        ..Changes::default()
    };
    let items = refresh(
        articles,
        stored,
        &out,
        &lex,
        opts.progress,
        &mut failed,
        &mut changes,
    );
    let mut summary = commit(&mut out, items, &lex, changes, failed, start, opts.progress)?;
    summary.warnings = warnings;
    Ok(summary)
}

/// What to remove from a build.
#[derive(Debug, Clone)]
pub struct RemoveOptions {
    /// Article ids (or article IRIs).
    pub ids: Vec<String>,
    /// The output directory.
    pub out: PathBuf,
    /// Extra lexicon directories (those of the build, for the merge).
    pub lexicons: Vec<PathBuf>,
    /// Show a progress bar.
    pub progress: bool,
}

/// Removes articles from the build in `opts.out`: their graphs and their part of the
/// merger's graph go, and every file there is written again. Unknown ids remove nothing.
pub fn remove(opts: &RemoveOptions) -> Result<BuildSummary, BuildError> {
    let start = Instant::now();
    let lex = Lexicon::load(&opts.lexicons)?;
    let mut out = OutDir::open(&opts.out)?;
    if !out.is_indexed() {
        return Err(BuildError::NotABuild(opts.out.clone()));
    }
    let mut stored = out.load_records()?;
    let mut gone = BTreeSet::new();
    let mut unknown = Vec::new();
    for given in &opts.ids {
        let found = stored
            .keys()
            .find(|id| *id == given || rdf::article_iri(id).as_str() == given.as_str());
        match found {
            Some(id) => {
                gone.insert(id.clone());
            }
            None => unknown.push(given.clone()),
        }
    }
    if !unknown.is_empty() {
        let ids = out.article_ids();
        let mut known: Vec<String> = ids.iter().take(10).map(|i| format!("{i:?}")).collect();
        if ids.len() > known.len() {
            known.push(format!("… ({} articles)", ids.len()));
        }
        return Err(BuildError::UnknownArticles {
            dir: opts.out.clone(),
            unknown,
            known: if known.is_empty() {
                "no article".into()
            } else {
                known.join(", ")
            },
        });
    }
    for id in &gone {
        stored.remove(id);
    }
    let mut changes = Changes {
        removed: gone.into_iter().collect(),
        ..Changes::default()
    };
    let mut failed = Vec::new();
    let items = refresh(
        Vec::new(),
        stored,
        &out,
        &lex,
        opts.progress,
        &mut failed,
        &mut changes,
    );
    commit(&mut out, items, &lex, changes, failed, start, opts.progress)
}

/// What the extractions of a build are made with: records made with another newsgraph or
/// other lexicons are out of date.
pub fn extraction_fingerprint(lex: &Lexicon) -> String {
    format!(
        "newsgraph {} lexicons {}",
        env!("CARGO_PKG_VERSION"),
        lex.fingerprint()
    )
}

/// Every article of the next build with its extraction: `given` are extracted and replace
/// the stored articles with their ids; the other stored articles are kept, extracted again
/// from their stored text when their records are out of date. An article whose new
/// extraction fails keeps its stored one.
fn refresh(
    given: Vec<Article>,
    mut stored: BTreeMap<String, Record>,
    out: &OutDir,
    lex: &Lexicon,
    progress: bool,
    failed: &mut Vec<String>,
    changes: &mut Changes,
) -> Vec<(Article, Extraction)> {
    let previous: BTreeMap<String, Record> = given
        .iter()
        .filter_map(|a| stored.remove_entry(&a.id))
        .collect();
    let current = out.fingerprint() == Some(extraction_fingerprint(lex).as_str());
    let stale: BTreeMap<String, Record> = if current {
        BTreeMap::new()
    } else {
        std::mem::take(&mut stored)
    };
    changes.kept = stored.len() + stale.len();
    let mut todo = given;
    todo.extend(stale.values().map(|r| r.article.clone()));
    let bar = crate::progress::bar(progress, todo.len(), "extracting");
    let extracted = extract_all(todo, lex, &bar, failed);
    bar.finish_and_clear();
    let mut items: BTreeMap<String, (Article, Extraction)> = stored
        .into_iter()
        .map(|(id, r)| (id, (r.article, r.extraction)))
        .collect();
    for (a, x) in extracted {
        if stale.contains_key(&a.id) {
            changes.reextracted += 1;
        } else {
            match previous.get(&a.id) {
                Some(r) if r.article == a && r.extraction == x => {
                    changes.unchanged.push(a.id.clone())
                }
                Some(_) => changes.replaced.push(a.id.clone()),
                None => changes.added.push(a.id.clone()),
            }
        }
        items.insert(a.id.clone(), (a, x));
    }
    for (id, r) in previous.into_iter().chain(stale) {
        items.entry(id).or_insert((r.article, r.extraction));
    }
    items.into_values().collect()
}

/// Merges every article and commits the graph to the directory.
fn commit(
    out: &mut OutDir,
    items: Vec<(Article, Extraction)>,
    lex: &Lexicon,
    changes: Changes,
    failed: Vec<String>,
    start: Instant,
    progress: bool,
) -> Result<BuildSummary, BuildError> {
    // A large graph takes seconds to merge: say what is going on.
    let spinner = if progress && items.len() >= 50 {
        let b = ProgressBar::new_spinner();
        b.enable_steady_tick(Duration::from_millis(120));
        b.set_message(format!("merging {} articles", items.len()));
        b
    } else {
        ProgressBar::hidden()
    };
    // Ids given by earlier builds into the same directory stay.
    let prior = out.registry()?;
    // The records are written while the entities are merged (on one core).
    let (mut kg, records) = merge::merge_beside(items, lex, &prior, |items| {
        out.write_records(items, |(a, x)| (a, x))
    });
    let records = records?;
    spinner.finish_and_clear();
    let fingerprint = extraction_fingerprint(lex);
    let mut entities: BTreeMap<EntityKind, usize> = BTreeMap::new();
    for e in kg.entities.values() {
        *entities.entry(e.kind).or_default() += 1;
    }
    let (articles, meetings) = (kg.articles.len(), kg.meetings.len());
    let written = out.commit_with(
        &mut Generation {
            kg: &mut kg,
            fingerprint: &fingerprint,
            progress,
        },
        records,
    )?;
    // The graph is freed on a thread of its own (millions of small allocations at 100k
    // articles, a fraction of a second): the build is done. Should no thread start, it is
    // freed here.
    let _ = std::thread::Builder::new()
        .name("free-graph".into())
        .spawn(move || drop(kg));
    Ok(BuildSummary {
        articles,
        changes,
        failed,
        warnings: Vec::new(),
        entities,
        meetings,
        quads: written.quads,
        files: written.files,
        elapsed: start.elapsed(),
    })
}
