//! The stage order of a build: load → extract → merge → RDF → files (and the on-disk store).
//! The only module that imports every stage; it implements none of them.

use crate::article::{self, ArticleError, LoadOptions, Loaded};
use crate::export::{self, ExportError};
use crate::extract::{self, Extractor};
use crate::lexicon::{Lexicon, LexiconError};
use crate::merge;
use crate::model::{Article, EntityKind, Extraction, IdRegistry, KnowledgeGraph};
use crate::rdf;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
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

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Articles built.
    pub articles: usize,
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
        format!(
            "built {} articles: {} entities ({}), {} meetings, {} quads in {:.2}s{}",
            self.articles,
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

/// A progress bar for `n` items of work named `what`, shown when asked for and worth it.
pub fn progress_bar(show: bool, n: usize, what: &str) -> ProgressBar {
    if !show || n < 50 {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(n as u64);
    b.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} ({{per_sec}}, eta {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b
}

/// The file, in an output directory, that keeps the ids of names between builds.
pub const REGISTRY_FILE: &str = "ids.tsv";

/// What writing the outputs did.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Quads in the dataset files.
    pub quads: usize,
}

/// Writes the graph files (piece by piece, see [`rdf::Pieces`]), the id registry and, with
/// the `rocksdb` feature, the on-disk store. The articles' texts are released once the
/// files that publish them are written (the rest of the export does not need them), so
/// `kg` may come back without article texts.
pub fn write_outputs(
    out: &Path,
    kg: &mut KnowledgeGraph,
    progress: bool,
) -> Result<Outputs, BuildError> {
    #[cfg(feature = "rocksdb")]
    crate::store::update_disk_store(&out.join("store"), &rdf::to_quads(kg))?;
    let mut writer = export::PieceWriter::create(out)?;
    let pieces = rdf::Pieces::new(kg);
    let union_rest = pieces.union_from_dataset().end..pieces.union_len();
    let bar = progress_bar(
        progress && kg.articles.len() >= 50,
        pieces.dataset_len() + union_rest.len(),
        "writing",
    );
    writer.dataset(
        pieces.dataset_len(),
        |i| pieces.dataset_piece_with_union(i),
        &bar,
    )?;
    // When the dataset pass wrote the articles' NIF contexts into the Turtle file too (the
    // usual case), the texts are no longer needed.
    let texts_written = !pieces.union_from_dataset().is_empty();
    drop(pieces);
    if texts_written {
        for a in &mut kg.articles {
            a.article.text = String::new();
        }
    }
    {
        let pieces = rdf::Pieces::new(kg);
        writer.union(union_rest, |i| pieces.union_piece(i), &bar)?;
    }
    bar.finish_and_clear();
    let written = writer.finish()?;
    let mut files = written.files;
    let registry = out.join(REGISTRY_FILE);
    export::write_atomic(&registry, merge::registry_to_tsv(&kg.registry).as_bytes())?;
    files.push(registry);
    Ok(Outputs {
        files,
        quads: written.quads,
    })
}

/// The ids given by earlier builds into `out` (empty when there were none).
pub fn prior_registry(out: &Path) -> IdRegistry {
    std::fs::read_to_string(out.join(REGISTRY_FILE))
        .map(|t| merge::registry_from_tsv(&t))
        .unwrap_or_default()
}

/// Runs a whole build.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let start = Instant::now();
    let lex = Lexicon::load(&opts.lexicons)?;
    let Inputs {
        articles,
        mut failed,
        warnings,
    } = load_articles(&opts.inputs, &opts.load)?;
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
    let bar = progress_bar(opts.progress, articles.len(), "extracting");
    let n_articles = articles.len();
    // Ids given by earlier builds into the same directory stay.
    let prior = prior_registry(&opts.out);
    let mut kg = analyse(articles, &lex, &prior, &bar, &mut failed);
    bar.finish_and_clear();
    let outputs = write_outputs(&opts.out, &mut kg, opts.progress)?;
    let mut entities: BTreeMap<EntityKind, usize> = BTreeMap::new();
    for e in kg.entities.values() {
        *entities.entry(e.kind).or_default() += 1;
    }
    Ok(BuildSummary {
        articles: n_articles,
        failed,
        warnings,
        entities,
        meetings: kg.meetings.len(),
        quads: outputs.quads,
        files: outputs.files,
        elapsed: start.elapsed(),
    })
}
