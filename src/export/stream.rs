//! Writing a large graph piece by piece: pieces are serialised in parallel batches by
//! Oxigraph's serializers, each with a fresh serializer, and joined in order into files
//! byte-identical to serialising all quads at once (the prefix lines are written once; a
//! named graph split over several pieces is opened once and closed once). Memory holds one
//! batch of pieces, not the graph.

use super::direct::DirectFile;
use super::{main_meeting_picture, ser_err, to_dot, to_svg, write_atomic};
use super::{ExportError, Facts, FmtBuf, Format, Gathering, Selection, MEETING_SVG};
use crate::rdf::Stmts;
use indicatif::ProgressBar;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, Quad, TripleRef};
use rayon::prelude::*;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Most pieces serialised together (in parallel) before they are written.
const BATCH: usize = 128;

/// Most quads (as estimated) in one batch: about as many as [`BATCH`] article graphs.
/// Large pieces (the merge evidence of a country, 150k quads at 100k articles) make short
/// batches, so that the serialised batch held in memory stays about that size.
const BATCH_QUADS: usize = 64 * 1024;

/// Cuts `pieces` into consecutive batches of at most [`BATCH`] pieces and, by `weight`
/// (estimated quads of a piece), at most [`BATCH_QUADS`] quads; a heavier piece is a batch
/// of its own.
fn batches(pieces: Range<usize>, weight: impl Fn(usize) -> usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut quads) = (pieces.start, 0);
    for i in pieces.clone() {
        let w = weight(i);
        if i > start && (i - start == BATCH || quads + w > BATCH_QUADS) {
            out.push(start..i);
            (start, quads) = (i, 0);
        }
        quads += w;
    }
    if start < pieces.end {
        out.push(start..pieces.end);
    }
    out
}

/// Makes the pieces of each batch with `make` (in parallel) and hands them, in order, to
/// `write`; the next batch is made while one is written, so the writer leaves no core idle.
fn pipelined<T: Send>(
    batches: &[Range<usize>],
    make: impl Fn(usize) -> Result<T, ExportError> + Sync,
    mut write: impl FnMut(T) -> Result<(), ExportError> + Send,
) -> Result<(), ExportError> {
    let batch =
        |r: Range<usize>| -> Vec<Result<T, ExportError>> { r.into_par_iter().map(&make).collect() };
    let mut pending = batches.first().cloned().map(batch).unwrap_or_default();
    for k in 0..batches.len() {
        let next = batches.get(k + 1).cloned();
        let written = || -> Result<(), ExportError> {
            for c in pending {
                write(c?)?;
            }
            Ok(())
        };
        let (made, written) = rayon::join(|| next.map(batch), written);
        written?;
        pending = made.unwrap_or_default();
    }
    Ok(())
}

/// What a streamed export wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The files, in the order of [`Format::ALL`].
    pub files: Vec<PathBuf>,
    /// Quads in the dataset files.
    pub quads: usize,
}

/// The prefix lines a serializer writes before its first statement.
fn prelude(format: RdfFormat) -> Result<Vec<u8>, ExportError> {
    let name = format.name();
    let probe = Quad::new(
        oxigraph::model::NamedNode::new_unchecked("urn:x:s"),
        oxigraph::model::NamedNode::new_unchecked("urn:x:p"),
        oxigraph::model::NamedNode::new_unchecked("urn:x:o"),
        GraphName::DefaultGraph,
    );
    let mut s = super::serializer(format).for_writer(Vec::new());
    s.serialize_quad(&probe).map_err(ser_err(name))?;
    let bytes = s.finish().map_err(ser_err(name))?;
    let mut end = 0;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"@prefix ") || line.starts_with(b"@base ") {
            end += line.len();
        } else {
            break;
        }
    }
    Ok(bytes[..end].to_vec())
}

/// `bytes` without the prelude it must start with.
fn strip_prelude<'b>(
    bytes: &'b [u8],
    prelude: &[u8],
    format: &'static str,
) -> Result<&'b [u8], ExportError> {
    bytes
        .strip_prefix(prelude)
        .ok_or_else(|| ExportError::Serialize {
            format,
            message: "unexpected prefix lines in a piece".into(),
        })
}

/// One dataset piece, serialised, with the union pieces it gives (as Turtle).
struct DatasetChunk {
    graph: Option<GraphName>,
    nquads: Vec<u8>,
    trig: Vec<u8>,
    turtle: Vec<Vec<u8>>,
    facts: Facts,
    quads: usize,
}

fn dataset_chunk(st: Stmts, union: Vec<Range<usize>>) -> Result<DatasetChunk, ExportError> {
    let nquads = super::dataset_bytes(st.iter(), st.len(), RdfFormat::NQuads)?;
    let trig = super::dataset_bytes(st.iter(), st.len(), RdfFormat::TriG)?;
    let mut turtle = Vec::with_capacity(union.len());
    for r in union {
        let part = r.filter_map(|i| st.get(i));
        turtle.push(turtle_chunk(part.map(TripleRef::from))?);
    }
    let mut facts = Facts::reading(None).for_drawing();
    for q in st.iter() {
        facts.add(q);
    }
    Ok(DatasetChunk {
        graph: st.first_graph(),
        nquads,
        trig,
        turtle,
        facts,
        quads: st.len(),
    })
}

fn turtle_chunk<'t>(
    triples: impl IntoIterator<Item = TripleRef<'t>>,
) -> Result<Vec<u8>, ExportError> {
    let mut s = super::serializer(RdfFormat::Turtle).for_writer(FmtBuf::with_capacity(4096));
    for t in triples {
        s.serialize_quad(t.in_graph(GraphNameRef::DefaultGraph))
            .map_err(ser_err("Turtle"))?;
    }
    s.finish()
        .map(FmtBuf::into_inner)
        .map_err(ser_err("Turtle"))
}

/// Turtle pieces joined into one document: the prefix lines once.
struct TurtleJoin {
    prelude: Vec<u8>,
    started: bool,
}

impl TurtleJoin {
    fn push(&mut self, out: &mut TmpFile, chunk: &[u8]) -> Result<(), ExportError> {
        if chunk.is_empty() {
            return Ok(());
        }
        if !self.started {
            out.write(&self.prelude)?;
            self.started = true;
        }
        out.write(strip_prelude(chunk, &self.prelude, "Turtle")?)
    }
}

/// A file written through a temporary name, renamed into place when complete.
struct TmpFile {
    path: PathBuf,
    tmp: PathBuf,
    w: DirectFile,
}

impl TmpFile {
    fn create(path: PathBuf) -> Result<Self, ExportError> {
        let tmp = path.with_extension(format!(
            "{}.tmp",
            path.extension().and_then(|e| e.to_str()).unwrap_or("out")
        ));
        let w = DirectFile::create(&tmp).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(Self { path, tmp, w })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.w.write(bytes).map_err(|source| ExportError::Write {
            path: self.path.clone(),
            source,
        })
    }

    fn commit(self) -> Result<PathBuf, ExportError> {
        let err = |source| ExportError::Write {
            path: self.path.clone(),
            source,
        };
        let f = self.w.finish().map_err(err)?;
        f.sync_all().map_err(err)?;
        std::fs::rename(&self.tmp, &self.path).map_err(err)?;
        Ok(self.path)
    }

    /// [`TmpFile::commit`] on a thread of its own: the rest of the export goes on while the
    /// file reaches the disk (a gigabyte of N-Quads takes a second or more).
    fn commit_in_background(self) -> Committing {
        let path = self.path.clone();
        Committing {
            path,
            handle: std::thread::spawn(move || self.commit()),
        }
    }
}

/// A file being made durable and renamed into place by [`TmpFile::commit_in_background`].
struct Committing {
    path: PathBuf,
    handle: std::thread::JoinHandle<Result<PathBuf, ExportError>>,
}

impl Committing {
    /// Waits until the file is in place.
    fn wait(self) -> Result<PathBuf, ExportError> {
        self.handle.join().unwrap_or_else(|_| {
            Err(ExportError::Write {
                path: self.path,
                source: std::io::Error::other("the thread committing the file panicked"),
            })
        })
    }
}

/// TriG pieces joined into one document: a graph split over pieces is opened by its first
/// piece and closed after its last.
struct TrigJoin {
    prelude: Vec<u8>,
    started: bool,
    open: Option<GraphName>,
}

impl TrigJoin {
    /// Appends one piece (a fresh serializer's output for quads of `graph`).
    fn push(
        &mut self,
        out: &mut TmpFile,
        graph: &GraphName,
        chunk: &[u8],
    ) -> Result<(), ExportError> {
        let body = strip_prelude(chunk, &self.prelude, "TriG")?;
        if !self.started {
            out.write(&self.prelude)?;
            self.started = true;
        }
        if graph.is_default_graph() {
            // Default-graph statements carry no braces (never written by a build).
            if self.open.take().is_some() {
                out.write(b"}\n")?;
            }
            return out.write(body);
        }
        let mut body = body;
        if self.open.as_ref() == Some(graph) {
            // Continue the open graph: drop this piece's "<g> {" line.
            let nl = body.iter().position(|b| *b == b'\n').map_or(0, |i| i + 1);
            body = &body[nl..];
        } else if self.open.take().is_some() {
            out.write(b"}\n")?;
        }
        // Hold the closing brace back until the graph changes.
        let body = body.strip_suffix(b"}\n").unwrap_or(body);
        out.write(body)?;
        self.open = Some(graph.clone());
        Ok(())
    }

    fn finish(&mut self, out: &mut TmpFile) -> Result<(), ExportError> {
        if self.open.take().is_some() {
            out.write(b"}\n")?;
        }
        Ok(())
    }
}

/// Writes the output files from pieces, in two passes: [`PieceWriter::dataset`] (N-Quads,
/// TriG, the union pieces the dataset pieces give, and the facts of the pictures), then
/// [`PieceWriter::union`] (the other union pieces, Turtle; the pictures may be drawn with
/// [`write_pictures`] meanwhile), then [`PieceWriter::finish`]. Between the passes the
/// caller may free what only the first needed (the articles' texts).
pub struct PieceWriter {
    dir: PathBuf,
    ttl: TmpFile,
    ttl_join: TurtleJoin,
    /// The dataset pass under way.
    data: Option<DatasetOut>,
    /// `graph.nq` and `graph.trig`, once the dataset pass is over.
    committing: Vec<Committing>,
    quads: usize,
}

/// What the dataset pass writes and reads: `graph.nq`, `graph.trig`, the pictures' facts.
struct DatasetOut {
    nq: TmpFile,
    trig: TmpFile,
    trig_join: TrigJoin,
    facts: Gathering,
}

impl DatasetOut {
    fn create(dir: &Path) -> Result<Self, ExportError> {
        Ok(Self {
            nq: TmpFile::create(dir.join(Format::NQuads.file_name()))?,
            trig: TmpFile::create(dir.join(Format::TriG.file_name()))?,
            trig_join: TrigJoin {
                prelude: prelude(RdfFormat::TriG)?,
                started: false,
                open: None,
            },
            facts: Gathering::for_drawing(),
        })
    }
}

impl PieceWriter {
    /// Starts writing into `dir`.
    pub fn create(dir: &Path) -> Result<Self, ExportError> {
        std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Self {
            dir: dir.to_path_buf(),
            ttl: TmpFile::create(dir.join(Format::Turtle.file_name()))?,
            ttl_join: TurtleJoin {
                prelude: prelude(RdfFormat::Turtle)?,
                started: false,
            },
            data: None,
            committing: Vec::new(),
            quads: 0,
        })
    }

    /// The dataset pass, in one or more calls over consecutive ranges of pieces, then
    /// [`PieceWriter::end_dataset`]: `dataset(i)` for `i` in `pieces` gives the sorted quads
    /// of dataset piece `i` (one graph each, pieces in output order) and the ranges of those
    /// quads that are the first union pieces (in union order); `weight(i)` estimates how
    /// many quads it holds. Writes `graph.nq`, `graph.trig` and the start of `graph.ttl`.
    pub fn dataset<D, W>(
        &mut self,
        pieces: Range<usize>,
        dataset: D,
        weight: W,
        bar: &ProgressBar,
    ) -> Result<(), ExportError>
    where
        D: Fn(usize) -> (Stmts, Vec<Range<usize>>) + Sync,
        W: Fn(usize) -> usize,
    {
        if self.data.is_none() {
            self.data = Some(DatasetOut::create(&self.dir)?);
        }
        let Some(d) = self.data.as_mut() else {
            return Ok(());
        };
        pipelined(
            &batches(pieces, weight),
            |i| {
                let (q, u) = dataset(i);
                dataset_chunk(q, u)
            },
            |c: DatasetChunk| {
                bar.inc(1);
                for t in &c.turtle {
                    self.ttl_join.push(&mut self.ttl, t)?;
                }
                let Some(g) = &c.graph else { return Ok(()) };
                d.nq.write(&c.nquads)?;
                d.trig_join.push(&mut d.trig, g, &c.trig)?;
                d.facts.absorb(c.facts);
                self.quads += c.quads;
                Ok(())
            },
        )
    }

    /// Completes `graph.nq` and `graph.trig` (they are made durable and put in place in
    /// the background, see [`PieceWriter::finish`]); returns the facts of the pictures as
    /// gathered, for [`Gathering::into_facts`], [`Facts::finish`] and then
    /// [`write_pictures`] (which may run beside the union pass).
    pub fn end_dataset(&mut self) -> Result<Gathering, ExportError> {
        let mut d = match self.data.take() {
            Some(d) => d,
            None => DatasetOut::create(&self.dir)?,
        };
        d.trig_join.finish(&mut d.trig)?;
        self.committing.push(d.nq.commit_in_background());
        self.committing.push(d.trig.commit_in_background());
        Ok(d.facts)
    }

    /// The union pass: `union_piece(i)` for `i` in `pieces` gives the sorted, distinct
    /// triples of union piece `i` (the ones the dataset pass did not give); `weight(i)`
    /// estimates how many it holds.
    pub fn union<U, W>(
        &mut self,
        pieces: Range<usize>,
        union_piece: U,
        weight: W,
        bar: &ProgressBar,
    ) -> Result<(), ExportError>
    where
        U: Fn(usize) -> Stmts + Sync,
        W: Fn(usize) -> usize,
    {
        pipelined(
            &batches(pieces, weight),
            |i| turtle_chunk(union_piece(i).iter().map(TripleRef::from)),
            |c: Vec<u8>| {
                bar.inc(1);
                self.ttl_join.push(&mut self.ttl, &c)
            },
        )
    }

    /// Completes `graph.ttl` and waits until `graph.nq` and `graph.trig` are in place;
    /// returns them and `pictures` (the files of [`write_pictures`]), in the order of
    /// [`Format::ALL`].
    pub fn finish(self, pictures: Vec<PathBuf>) -> Result<Written, ExportError> {
        let ttl = self.ttl.commit();
        // Every file is waited for, even after an error, so that none is left half done.
        let dataset: Vec<Result<PathBuf, ExportError>> =
            self.committing.into_iter().map(Committing::wait).collect();
        let mut files = dataset.into_iter().collect::<Result<Vec<_>, _>>()?;
        files.push(ttl?);
        files.extend(pictures);
        Ok(Written {
            files,
            quads: self.quads,
        })
    }

    /// Gives up after a failed pass: `graph.ttl` stays as it was (its temporary file is
    /// left for the next build to remove); waits for the files already complete.
    pub fn abandon(self) {
        for c in self.committing {
            // The failure that made us give up is the one to report.
            let _ = c.wait();
        }
    }
}

/// Writes `graph.dot`, `graph.svg` and `meeting.svg` into `dir` from the facts a dataset
/// pass read; returns the files written.
pub fn write_pictures(dir: &Path, facts: &Facts) -> Result<Vec<PathBuf>, ExportError> {
    let whole = facts.picture(&Selection::default());
    let dot = dir.join(Format::Dot.file_name());
    write_atomic(&dot, to_dot(&whole).as_bytes())?;
    let svg = dir.join(Format::Svg.file_name());
    write_atomic(&svg, to_svg(&whole).as_bytes())?;
    let mut files = vec![dot, svg];
    // The main meeting's picture, when the corpus has a meeting.
    if let Some(pic) = main_meeting_picture(facts) {
        let p = dir.join(MEETING_SVG);
        write_atomic(&p, to_svg(&pic).as_bytes())?;
        files.push(p);
    }
    Ok(files)
}

/// Writes the graph files of `kg` into `dir` piece by piece (see [`crate::rdf::Pieces`]),
/// in two passes. The articles' texts are released once the files that publish them are
/// written (the rest of the export does not need them), so `kg` may come back without
/// article texts.
pub fn write_graph(
    dir: &Path,
    kg: &mut crate::model::KnowledgeGraph,
    progress: bool,
) -> Result<Written, ExportError> {
    let mut writer = PieceWriter::create(dir)?;
    let pieces = crate::rdf::Pieces::new(kg);
    let union_rest = pieces.union_from_dataset().end..pieces.union_len();
    let n = pieces.dataset_len();
    let bar = crate::progress::bar(
        progress && kg.articles.len() >= 50,
        n + union_rest.len(),
        "writing",
    );
    // When the article graphs come first and give the articles' NIF nodes for the Turtle
    // file too (the usual case), the texts are no longer needed after them: the rest is
    // written without them.
    let articles = pieces.articles_first();
    let texts_written = articles > 0 && !pieces.union_from_dataset().is_empty();
    let split = if texts_written { articles } else { 0 };
    writer.dataset(
        0..split,
        |i| pieces.dataset_piece_with_union(i),
        |i| pieces.dataset_weight(i),
        &bar,
    )?;
    drop(pieces);
    if texts_written {
        for a in &mut kg.articles {
            a.article.text = String::new();
        }
    }
    let pieces = crate::rdf::Pieces::new(kg);
    writer.dataset(
        split..n,
        |i| pieces.dataset_piece_with_union(i),
        |i| pieces.dataset_weight(i),
        &bar,
    )?;
    let facts = writer.end_dataset()?;
    // The pictures' facts are completed and drawn (and then freed) on one thread while the
    // Turtle pass runs on the others.
    let (pictures, union) = rayon::join(
        || write_pictures(dir, &facts.into_facts().finish()),
        || {
            writer.union(
                union_rest,
                |i| pieces.union_piece(i),
                |i| pieces.union_weight(i),
                &bar,
            )
        },
    );
    drop(pieces);
    bar.finish_and_clear();
    match (union, pictures) {
        (Ok(()), Ok(pictures)) => writer.finish(pictures),
        (Err(e), _) | (_, Err(e)) => {
            writer.abandon();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    /// The merged graph of `texts` (id, text).
    fn graph_of(texts: &[(String, String)]) -> crate::model::KnowledgeGraph {
        let lex = match Lexicon::load(&[]) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let set = crate::extract::default_set();
        let items: Vec<_> = texts
            .iter()
            .map(|(id, t)| {
                let a = crate::article::from_text(
                    id.clone(),
                    t.clone(),
                    None,
                    None,
                    None,
                    format!("{id}.txt"),
                );
                let x = crate::extract::extract(&a, &lex, &set);
                (a, x)
            })
            .collect();
        crate::merge::merge(items, &lex)
    }

    /// Checks that the streamed export of `kg` writes the bytes of the one-shot export
    /// ([`super::super::write_all`] of all quads), and comes back without the articles'
    /// texts.
    fn streams_as_whole(mut kg: crate::model::KnowledgeGraph) {
        let quads = crate::rdf::to_quads(&kg);
        let (whole, streamed) = match (tempfile::tempdir(), tempfile::tempdir()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => panic!("no temporary directory"),
        };
        let files = match super::super::write_all(whole.path(), &quads) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        let written = match write_graph(streamed.path(), &mut kg, false) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        };
        assert!(kg.articles.iter().all(|g| g.article.text.is_empty()));
        assert_eq!(written.quads, quads.len());
        assert_eq!(written.files.len(), files.len());
        for f in &files {
            let name = f.file_name().unwrap_or_default();
            let read = |d: &Path| std::fs::read(d.join(name)).unwrap_or_default();
            let one = read(whole.path());
            assert!(!one.is_empty(), "{name:?}");
            assert!(one == read(streamed.path()), "{name:?} differs");
        }
    }

    #[test]
    fn streamed_files_equal_the_whole_export_and_texts_are_released() {
        let texts = [
            ("a", "Talks\n\nPakistani Foreign Minister Ahmed Hassan met Lt Gen Faiz Hameed, the ISI chief, in Islamabad on Saturday."),
            ("b", "Visit\n\nGeneral Faiz Hamid of Pakistan visited Kabul and met Afghan officials."),
            ("c", "Call\n\nPresident Vladimir Putin held a phone call with Xi Jinping of China."),
        ];
        let texts: Vec<(String, String)> = texts
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let kg = graph_of(&texts);
        assert!(kg.entities.values().any(|e| !e.evidence.is_empty()));
        assert!(!kg.meetings.is_empty());
        streams_as_whole(kg);
    }

    /// An entity with more evidence than one piece holds: its evidence comes in several
    /// pieces, in the order of the one-shot export.
    #[test]
    fn evidence_split_over_pieces_keeps_its_order() {
        let texts: Vec<(String, String)> = (0..2300)
            .map(|i| (format!("a{i:04}"), "Title\n\nPakistan said so.".to_string()))
            .collect();
        let kg = graph_of(&texts);
        assert!(kg.entities.values().any(|e| e.evidence.len() > 2 * 1024));
        streams_as_whole(kg);
    }

    #[test]
    fn batches_hold_at_most_batch_pieces_and_batch_quads() {
        // Light pieces: full batches of BATCH.
        let b = batches(0..600, |_| 1);
        assert_eq!(b, vec![0..128, 128..256, 256..384, 384..512, 512..600]);
        // Heavy pieces: one a batch; a heavier-than-allowed piece is alone.
        let heavy = |i: usize| {
            if (10..13).contains(&i) {
                BATCH_QUADS
            } else {
                100
            }
        };
        let b = batches(0..20, heavy);
        assert_eq!(b, vec![0..10, 10..11, 11..12, 12..13, 13..20]);
        // Every piece once, in order.
        let b = batches(5..1000, |i| i * 150);
        let all: Vec<usize> = b.iter().flat_map(Clone::clone).collect();
        assert_eq!(all, (5..1000).collect::<Vec<_>>());
        for r in &b {
            let sum: usize = r.clone().map(|i| i * 150).sum();
            assert!(r.len() == 1 || sum <= BATCH_QUADS, "{r:?}");
        }
        assert!(batches(3..3, |_| 1).is_empty());
    }
}
