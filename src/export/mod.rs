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
    predicates, Edge, Facts, Gathering, Node, NodeKind, Picture, Rel, Selection, DEFAULT_MAX_NODES,
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

/// The bytes a serializer writes: a vector whose `write_fmt` puts each piece of text
/// straight into it. Oxigraph's serializers write through `write!`, literals one character
/// at a time; through `std`'s default `write_fmt` each character is encoded into a scratch
/// buffer and passed to a fallible `write_all` (those layers took a sixth of a build's
/// serialisation time). The bytes are the same.
#[derive(Default)]
pub(crate) struct FmtBuf(Vec<u8>);

impl FmtBuf {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    pub(crate) fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl std::io::Write for FmtBuf {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
        std::fmt::Write::write_fmt(&mut TextSink(&mut self.0), args)
            .map_err(|_| std::io::Error::other("a term could not be formatted"))
    }
}

/// [`FmtBuf`]'s text side.
struct TextSink<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for TextSink<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }

    #[inline]
    fn write_char(&mut self, c: char) -> std::fmt::Result {
        if c.is_ascii() {
            self.0.push(c as u8);
        } else {
            self.0
                .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
        Ok(())
    }
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
    let mut s = serializer(format).for_writer(FmtBuf::with_capacity(n * per_quad));
    for q in quads {
        s.serialize_quad(q).map_err(ser_err(name))?;
    }
    s.finish().map(FmtBuf::into_inner).map_err(ser_err(name))
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

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Quad};

    /// Serialising into [`FmtBuf`] gives the bytes of serialising into a plain vector, for
    /// literals that need escapes, non-ASCII text and IRIs with and without prefixes.
    #[test]
    fn fmt_buf_holds_the_bytes_a_vector_would() {
        let g = NamedNode::new_unchecked("https://w3id.org/newsgraph/article/a%20b");
        let s = NamedNode::new_unchecked("https://w3id.org/newsgraph/id/person/faiz-hameed");
        let p = NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");
        let texts = [
            "plain",
            "quote \" backslash \\ tab \t newline \n return \r",
            "control \u{1} \u{7f} bom \u{feff} zero-width \u{200b}",
            "Hameed é ü ß 日本語 عربي 🙂 e\u{301}",
        ];
        let quads: Vec<Quad> = texts
            .iter()
            .map(|t| {
                Quad::new(
                    s.clone(),
                    p.clone(),
                    Literal::new_simple_literal(*t),
                    g.clone(),
                )
            })
            .chain([Quad::new(
                s.clone(),
                p.clone(),
                NamedNode::new_unchecked("http://example.org/x#y"),
                g.clone(),
            )])
            .collect();
        for format in [RdfFormat::NQuads, RdfFormat::TriG] {
            let got = dataset_bytes(quads.iter().map(|q| q.as_ref()), quads.len(), format)
                .expect("serialise");
            let mut plain = serializer(format).for_writer(Vec::new());
            for q in &quads {
                plain.serialize_quad(q).expect("serialise");
            }
            let want = plain.finish().expect("finish");
            assert!(!want.is_empty());
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want)
            );
        }
    }
}
