//! Byte formats of the graph: N-Quads, TriG and Turtle through Oxigraph's serializers,
//! pictures (GraphViz DOT, SVG laid out in-process, PNG rasterised in-process). Reads only
//! sorted quads, so every file shows the same facts; writes files by temporary name and
//! rename.

mod direct;
mod dot;
mod font;
mod layout;
mod picture;
mod png;
mod stream;
mod svg;

pub use dot::to_dot;
pub use font::text_width;
pub use layout::{layout, Layout};
pub use picture::{
    predicates, Edge, Facts, Node, NodeKind, Picture, Rel, Selection, DEFAULT_MAX_NODES,
};
pub use png::{svg_to_png, PngError};
pub use stream::{write_graph, write_pictures, PieceWriter, Written};
pub use svg::render as to_svg;

use crate::rdf::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, QuadRef, Triple};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing a file failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Serialising failed.
    #[error("cannot serialise {format}: {message}")]
    Serialize {
        /// The format.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// The output files, closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `graph.nq`.
    NQuads,
    /// `graph.trig`.
    TriG,
    /// `graph.ttl`: the union of all graphs as one default graph.
    Turtle,
    /// `graph.dot`.
    Dot,
    /// `graph.svg`.
    Svg,
}

impl Format {
    /// Every file a build writes, in order.
    pub const ALL: [Format; 5] = [Self::NQuads, Self::TriG, Self::Turtle, Self::Dot, Self::Svg];

    /// The file name in the output directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::NQuads => "graph.nq",
            Self::TriG => "graph.trig",
            Self::Turtle => "graph.ttl",
            Self::Dot => "graph.dot",
            Self::Svg => "graph.svg",
        }
    }
}

fn ser_err(format: &'static str) -> impl Fn(std::io::Error) -> ExportError {
    move |e| ExportError::Serialize {
        format,
        message: e.to_string(),
    }
}

fn with_prefixes(mut s: RdfSerializer) -> RdfSerializer {
    for (p, iri) in PREFIXES {
        s = match s.clone().with_prefix(*p, *iri) {
            Ok(x) => x,
            Err(_) => s,
        };
    }
    s
}

/// A serializer for `format` with the project's prefixes (built once, then cloned).
fn serializer(format: RdfFormat) -> RdfSerializer {
    static TRIG: OnceLock<RdfSerializer> = OnceLock::new();
    static TURTLE: OnceLock<RdfSerializer> = OnceLock::new();
    let cell = match format {
        RdfFormat::TriG => &TRIG,
        RdfFormat::Turtle => &TURTLE,
        other => return with_prefixes(RdfSerializer::from_format(other)),
    };
    cell.get_or_init(|| with_prefixes(RdfSerializer::from_format(format)))
        .clone()
}

/// Serialises `n` quads (already sorted) as N-Quads or TriG.
pub fn dataset_bytes<'q>(
    quads: impl IntoIterator<Item = QuadRef<'q>>,
    n: usize,
    format: RdfFormat,
) -> Result<Vec<u8>, ExportError> {
    let name = format.name();
    // Room for the usual size (a quad takes about 215 bytes in N-Quads, 45 in TriG), so
    // that the buffer is not copied as it grows.
    let per_quad = if format == RdfFormat::NQuads { 256 } else { 64 };
    let mut s = serializer(format).for_writer(Vec::with_capacity(n * per_quad));
    for q in quads {
        s.serialize_quad(q).map_err(ser_err(name))?;
    }
    s.finish().map_err(ser_err(name))
}

/// Serialises the union of all graphs as Turtle (each triple once, sorted).
pub fn union_turtle(quads: &[Quad]) -> Result<Vec<u8>, ExportError> {
    let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut triples: Vec<Triple> = Vec::new();
    for q in quads {
        let t = Triple::from(q.clone());
        if seen.insert((
            t.subject.to_string(),
            t.predicate.to_string(),
            t.object.to_string(),
        )) {
            triples.push(t);
        }
    }
    // One key per triple (a key per comparison would cost seconds on large graphs).
    triples.sort_by_cached_key(|t| {
        (
            t.subject.to_string(),
            t.predicate.to_string(),
            t.object.to_string(),
        )
    });
    let mut s = with_prefixes(RdfSerializer::from_format(RdfFormat::Turtle)).for_writer(Vec::new());
    for t in &triples {
        s.serialize_quad(t.as_ref().in_graph(GraphName::DefaultGraph.as_ref()))
            .map_err(ser_err("Turtle"))?;
    }
    s.finish().map_err(ser_err("Turtle"))
}

/// The focused picture of the corpus's main meeting that a build writes.
pub const MEETING_SVG: &str = "meeting.svg";

/// The picture of the corpus's main meeting (see [`Facts::main_meeting`]): the meeting,
/// its hosts, attendees and place, and the attendees' agencies.
pub fn main_meeting_picture(facts: &Facts) -> Option<Picture> {
    let m = facts.main_meeting()?;
    Some(facts.picture(&Selection {
        focus: vec![m],
        ..Selection::default()
    }))
}

/// Writes `bytes` to `path` through a temporary file and a rename, so that a reader never
/// sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let err = |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    {
        let mut f = std::fs::File::create(&tmp).map_err(err)?;
        f.write_all(bytes).map_err(err)?;
        f.sync_all().map_err(err)?;
    }
    std::fs::rename(&tmp, path).map_err(err)
}

/// Writes every output file into `dir`; returns the paths written.
pub fn write_all(dir: &Path, quads: &[Quad]) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let facts = Facts::from_quads(quads, None);
    let whole = facts.picture(&Selection::default());
    let mut written = Vec::new();
    for f in Format::ALL {
        let bytes = match f {
            Format::NQuads => dataset_bytes(
                quads.iter().map(Quad::as_ref),
                quads.len(),
                RdfFormat::NQuads,
            )?,
            Format::TriG => {
                dataset_bytes(quads.iter().map(Quad::as_ref), quads.len(), RdfFormat::TriG)?
            }
            Format::Turtle => union_turtle(quads)?,
            Format::Dot => to_dot(&whole).into_bytes(),
            Format::Svg => to_svg(&whole).into_bytes(),
        };
        let p = dir.join(f.file_name());
        write_atomic(&p, &bytes)?;
        written.push(p);
    }
    // The main meeting's picture, when the corpus has a meeting.
    if let Some(pic) = main_meeting_picture(&facts) {
        let p = dir.join(MEETING_SVG);
        write_atomic(&p, to_svg(&pic).as_bytes())?;
        written.push(p);
    }
    Ok(written)
}
