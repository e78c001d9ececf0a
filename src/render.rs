//! The `render` command's library side: reads the facts a picture needs from a build's store
//! (one SPARQL query, so it works on any build directory and either store), narrows them to
//! the picture asked for, and draws it as SVG, PNG or DOT — in-process, or with Graphviz's
//! `dot` when asked. Knows nothing of layout or of the command line.

use crate::export::{self, Facts, NodeKind, Picture, PngError, Selection};
use crate::store::{Answer, GraphStore, StoreError};
use chrono::NaiveDate;
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

/// Picture formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PictureFormat {
    /// SVG.
    Svg,
    /// PNG.
    Png,
    /// GraphViz DOT text.
    Dot,
}

impl PictureFormat {
    /// The format a file name's extension asks for.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_lowercase().as_str() {
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            "dot" | "gv" => Some(Self::Dot),
            _ => None,
        }
    }
}

/// Who lays the picture out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Engine {
    /// newsgraph's own layout (no Graphviz needed).
    #[default]
    Builtin,
    /// Graphviz's `dot` program.
    Dot,
}

/// What to draw and how.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The byte format.
    pub format: PictureFormat,
    /// The layout engine.
    pub engine: Engine,
    /// A name (label or alias, case-insensitive; else a part of one) or an IRI.
    pub focus: Option<String>,
    /// Hops from the focus.
    pub depth: usize,
    /// Only these kinds.
    pub kinds: Option<BTreeSet<NodeKind>>,
    /// Only this article's graph (its id).
    pub article: Option<String>,
    /// Only meetings on or after this date.
    pub since: Option<NaiveDate>,
    /// Only meetings on or before this date.
    pub until: Option<NaiveDate>,
    /// The size guard.
    pub max_nodes: usize,
    /// PNG pixels per SVG unit.
    pub scale: f32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            format: PictureFormat::Svg,
            engine: Engine::Builtin,
            focus: None,
            depth: 1,
            kinds: None,
            article: None,
            since: None,
            until: None,
            max_nodes: export::DEFAULT_MAX_NODES,
            scale: 2.0,
        }
    }
}

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The build could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Nothing is named so.
    #[error("no entity or meeting is named {name:?}{hint}")]
    UnknownFocus {
        /// The name asked for.
        name: String,
        /// Names that come close, if any.
        hint: String,
    },
    /// The name is too vague.
    #[error("{name:?} names {count} entities ({examples}…): give more of the name, or an IRI")]
    VagueFocus {
        /// The name asked for.
        name: String,
        /// How many it names.
        count: usize,
        /// The first few.
        examples: String,
    },
    /// No such article in the build.
    #[error("no article {id:?} in this build (articles: {known})")]
    UnknownArticle {
        /// The id asked for.
        id: String,
        /// Some ids that exist.
        known: String,
    },
    /// `--since` after `--until`.
    #[error("--since {since} is after --until {until}")]
    BadRange {
        /// Since.
        since: NaiveDate,
        /// Until.
        until: NaiveDate,
    },
    /// Rasterising failed.
    #[error(transparent)]
    Png(#[from] PngError),
    /// Graphviz is not installed.
    #[error("Graphviz's `dot` was not found on PATH: install Graphviz (Debian/Ubuntu: apt-get install graphviz) or leave out --engine dot to use the built-in layout")]
    DotMissing,
    /// Graphviz failed.
    #[error("Graphviz's `dot` failed: {0}")]
    DotFailed(String),
}

/// A drawn picture.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// What it shows.
    pub picture: Picture,
    /// The IRIs the focus resolved to.
    pub focus: Vec<String>,
    /// What `dot` said on stderr, if it was used and said anything.
    pub warnings: String,
}

/// Reads the facts pictures need from a build's store; with `article`, only that article's.
pub fn load_facts(store: &GraphStore, article: Option<&str>) -> Result<Facts, RenderError> {
    let values: Vec<String> = export::predicates()
        .iter()
        .map(|p| format!("<{p}>"))
        .collect();
    let q = format!(
        "SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {} }} GRAPH ?g {{ ?s ?p ?o }} }}",
        values.join(" ")
    );
    let Answer::Solutions { rows, .. } = store.query(&q)? else {
        return Ok(Facts::default());
    };
    let mut quads: Vec<Quad> = Vec::with_capacity(rows.len());
    for r in rows {
        let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o), Some(Term::NamedNode(g))) = (
            r.first().cloned().flatten(),
            r.get(1).cloned().flatten(),
            r.get(2).cloned().flatten(),
            r.get(3).cloned().flatten(),
        ) else {
            continue;
        };
        quads.push(Quad::new(NamedOrBlankNode::from(s), p, o, g));
    }
    quads.sort_by_cached_key(|q| q.to_string());
    let facts = Facts::from_quads(&quads, article);
    if let Some(a) = article {
        if !facts.article_ids().contains(a) {
            let known: Vec<&str> = facts
                .article_ids()
                .iter()
                .take(8)
                .map(String::as_str)
                .collect();
            return Err(RenderError::UnknownArticle {
                id: a.to_string(),
                known: format!(
                    "{}{}",
                    known.join(", "),
                    if facts.article_ids().len() > 8 {
                        ", …"
                    } else {
                        ""
                    }
                ),
            });
        }
    }
    Ok(facts)
}

/// The IRIs `name` names in `facts`, or why it names none (or too many).
pub fn resolve_focus(facts: &Facts, name: &str) -> Result<Vec<String>, RenderError> {
    let found = facts.find(name);
    if found.is_empty() {
        return Err(RenderError::UnknownFocus {
            name: name.to_string(),
            hint: " (a name, an alias or part of one, or an IRI; `newsgraph stats` and `newsgraph query` list what the build holds)".to_string(),
        });
    }
    if found.len() > 12 {
        let ex: Vec<String> = found.iter().take(5).map(|i| facts.label(i)).collect();
        return Err(RenderError::VagueFocus {
            name: name.to_string(),
            count: found.len(),
            examples: ex.join(", "),
        });
    }
    Ok(found)
}

/// Lays `dot` text out with Graphviz's `dot` into `format` (`svg` or `png`).
pub fn run_graphviz(dot: &str, format: &str) -> Result<(Vec<u8>, String), RenderError> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                RenderError::DotMissing
            } else {
                RenderError::DotFailed(e.to_string())
            }
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .map_err(|e| RenderError::DotFailed(e.to_string()))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| RenderError::DotFailed(e.to_string()))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(RenderError::DotFailed(format!(
            "{}: {}",
            out.status,
            stderr.trim()
        )));
    }
    Ok((out.stdout, stderr))
}

/// Draws the picture `opts` asks for from the build in `store`.
pub fn render(store: &GraphStore, opts: &RenderOptions) -> Result<Rendered, RenderError> {
    if let (Some(since), Some(until)) = (opts.since, opts.until) {
        if since > until {
            return Err(RenderError::BadRange { since, until });
        }
    }
    let facts = load_facts(store, opts.article.as_deref())?;
    let focus = match &opts.focus {
        Some(name) => resolve_focus(&facts, name)?,
        None => Vec::new(),
    };
    let mut picture = facts.picture(&Selection {
        focus: focus.clone(),
        depth: opts.depth,
        kinds: opts.kinds.clone(),
        since: opts.since,
        until: opts.until,
        max_nodes: opts.max_nodes,
    });
    if let Some(a) = &opts.article {
        picture.title = format!("{} — article {a}", picture.title);
    }
    let mut warnings = String::new();
    let bytes = match (opts.format, opts.engine) {
        (PictureFormat::Dot, _) => export::to_dot(&picture).into_bytes(),
        (PictureFormat::Svg, Engine::Builtin) => export::to_svg(&picture).into_bytes(),
        (PictureFormat::Png, Engine::Builtin) => {
            export::svg_to_png(&export::to_svg(&picture), opts.scale)?
        }
        (f, Engine::Dot) => {
            let t = if f == PictureFormat::Png {
                "png"
            } else {
                "svg"
            };
            let (bytes, w) = run_graphviz(&export::to_dot(&picture), t)?;
            warnings = w;
            bytes
        }
    };
    Ok(Rendered {
        bytes,
        picture,
        focus,
        warnings,
    })
}
