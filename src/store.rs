//! The query engine: an Oxigraph store opened from a build's output directory (the on-disk
//! RocksDB store with the `rocksdb` feature when present, else an in-memory store bulk-loaded
//! from `graph.nq`), SPARQL queries and their result formats. Knows nothing of extraction
//! or merging.

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No graph to read in the directory.
    #[error("no graph in {dir}: run `newsgraph build --out {dir}` first (missing {file})")]
    Missing {
        /// The directory.
        dir: PathBuf,
        /// The file looked for.
        file: String,
    },
    /// Reading a file failed.
    #[error("cannot read {path}: {message}")]
    Load {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The store itself failed.
    #[error("store: {0}")]
    Storage(String),
    /// The query is malformed.
    #[error("bad SPARQL query: {0}")]
    Syntax(String),
    /// The query failed while running.
    #[error("query failed: {0}")]
    Evaluation(String),
    /// Writing results failed.
    #[error("cannot write results: {0}")]
    Output(#[from] std::io::Error),
    /// The query ran longer than its time limit and was cancelled.
    #[error("query timed out after {}s", .0.as_secs_f64())]
    Timeout(std::time::Duration),
    /// The answer has more rows (or triples) than the limit.
    #[error("the answer has more than {0} results; add a LIMIT or raise the limit")]
    TooLarge(usize),
    /// The update is malformed or failed.
    #[error("SPARQL update failed: {0}")]
    Update(String),
    /// No named graph with this IRI.
    #[error("no graph named <{0}>")]
    NoSuchGraph(String),
    /// RDF data sent to the store does not parse.
    #[error("bad RDF data: {0}")]
    BadData(String),
}

fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

/// A query's results, materialised.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// SELECT: variable names and rows.
    Solutions {
        /// Variables, in order.
        vars: Vec<Variable>,
        /// Rows, one value (or none) per variable.
        rows: Vec<Vec<Option<Term>>>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT / DESCRIBE.
    Graph(Vec<Triple>),
}

/// Output formats for answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnswerFormat {
    /// An aligned text table (graphs as Turtle).
    Table,
    /// SPARQL results CSV.
    Csv,
    /// SPARQL results TSV.
    Tsv,
    /// SPARQL results JSON.
    Json,
    /// SPARQL results XML.
    Xml,
    /// Turtle (for CONSTRUCT/DESCRIBE).
    Turtle,
}

/// The graph of a build, ready for queries.
pub struct GraphStore {
    store: Store,
}

impl GraphStore {
    /// Opens the graph of the build in `dir`: `dir/store` when this build has the on-disk
    /// store and it exists, else `dir/graph.nq` loaded into memory.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        #[cfg(feature = "rocksdb")]
        {
            let disk = dir.join("store");
            if disk.is_dir() {
                let store = Store::open_read_only(&disk).map_err(storage)?;
                return Ok(Self { store });
            }
        }
        let nq = dir.join("graph.nq");
        if !nq.is_file() {
            return Err(StoreError::Missing {
                dir: dir.to_path_buf(),
                file: "graph.nq".into(),
            });
        }
        let bytes = std::fs::read(&nq).map_err(|e| StoreError::Load {
            path: nq.clone(),
            message: e.to_string(),
        })?;
        Self::from_nquads(&bytes).map_err(|e| match e {
            StoreError::Storage(message) => StoreError::Load { path: nq, message },
            other => other,
        })
    }

    /// An in-memory store holding these N-Quads.
    pub fn from_nquads(bytes: &[u8]) -> Result<Self, StoreError> {
        let store = Store::new().map_err(storage)?;
        let mut loader = store.bulk_loader();
        loader
            .load_from_slice(RdfFormat::NQuads, bytes)
            .map_err(storage)?;
        loader.commit().map_err(storage)?;
        Ok(Self { store })
    }

    /// An in-memory store holding these quads.
    pub fn from_quads(quads: &[Quad]) -> Result<Self, StoreError> {
        let store = Store::new().map_err(storage)?;
        let mut loader = store.bulk_loader();
        loader.load_quads(quads.iter().cloned()).map_err(storage)?;
        loader.commit().map_err(storage)?;
        Ok(Self { store })
    }

    /// The number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.store.len().map_err(storage)
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.store.is_empty().map_err(storage)
    }

    /// The number of named graphs.
    pub fn graph_count(&self) -> Result<usize, StoreError> {
        let mut n = 0;
        for g in self.store.named_graphs() {
            g.map_err(storage)?;
            n += 1;
        }
        Ok(n)
    }

    /// Runs a SPARQL query.
    pub fn query(&self, sparql: &str) -> Result<Answer, StoreError> {
        let prepared = SparqlEvaluator::new()
            .parse_query(sparql)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        let results = prepared
            .on_store(&self.store)
            .execute()
            .map_err(|e| StoreError::Evaluation(e.to_string()))?;
        Ok(match results {
            QueryResults::Boolean(b) => Answer::Boolean(b),
            QueryResults::Solutions(sols) => {
                let vars = sols.variables().to_vec();
                let mut rows = Vec::new();
                for s in sols {
                    let s = s.map_err(|e| StoreError::Evaluation(e.to_string()))?;
                    rows.push(vars.iter().map(|v| s.get(v).cloned()).collect());
                }
                Answer::Solutions { vars, rows }
            }
            QueryResults::Graph(triples) => {
                let mut v = Vec::new();
                for t in triples {
                    v.push(t.map_err(|e| StoreError::Evaluation(e.to_string()))?);
                }
                Answer::Graph(v)
            }
        })
    }
}

/// Replaces, in the on-disk store at `dir`, the graphs with the quads of a build: see
/// [`replace_graphs`].
#[cfg(feature = "rocksdb")]
pub fn update_disk_store(dir: &Path, quads: &[Quad]) -> Result<(), StoreError> {
    let store = Store::open(dir).map_err(storage)?;
    replace_graphs(&store, quads)?;
    store.flush().map_err(storage)?;
    Ok(())
}

/// Makes `store` hold exactly `quads` (a whole build): every named graph whose quads differ
/// is replaced in one transaction of its own, graphs the build no longer has are removed,
/// each in its own transaction, and unchanged graphs are left alone. An interrupted update
/// leaves each graph either old or new, never half. Returns how many graphs changed.
pub fn replace_graphs(store: &Store, quads: &[Quad]) -> Result<usize, StoreError> {
    use oxigraph::model::GraphName;
    use std::collections::{BTreeMap, HashSet};
    let mut by_graph: BTreeMap<String, (GraphName, HashSet<&Quad>)> = BTreeMap::new();
    for q in quads {
        by_graph
            .entry(q.graph_name.to_string())
            .or_insert_with(|| (q.graph_name.clone(), HashSet::new()))
            .1
            .insert(q);
    }
    let mut changed = 0;
    // Graphs the new build no longer has go.
    let mut stale = Vec::new();
    for g in store.named_graphs() {
        let g = g.map_err(storage)?;
        if !by_graph.contains_key(&GraphName::from(g.clone()).to_string()) {
            stale.push(g);
        }
    }
    for g in stale {
        store.remove_named_graph(g.as_ref()).map_err(storage)?;
        changed += 1;
    }
    for (g, qs) in by_graph.values() {
        let mut same = true;
        let mut n = 0;
        for q in store.quads_for_pattern(None, None, None, Some(g.as_ref())) {
            let q = q.map_err(storage)?;
            n += 1;
            if !qs.contains(&q) {
                same = false;
                break;
            }
        }
        if same && n == qs.len() {
            continue;
        }
        let mut tx = store.start_transaction().map_err(storage)?;
        tx.clear_graph(g.as_ref()).map_err(storage)?;
        for q in qs {
            tx.insert(q.as_ref());
        }
        tx.commit().map_err(storage)?;
        changed += 1;
    }
    Ok(changed)
}

fn term_text(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

/// Writes an answer in the chosen format.
pub fn write_answer(
    answer: &Answer,
    format: AnswerFormat,
    out: &mut dyn Write,
) -> Result<(), StoreError> {
    let results_format = match format {
        AnswerFormat::Csv => Some(QueryResultsFormat::Csv),
        AnswerFormat::Tsv => Some(QueryResultsFormat::Tsv),
        AnswerFormat::Json => Some(QueryResultsFormat::Json),
        AnswerFormat::Xml => Some(QueryResultsFormat::Xml),
        AnswerFormat::Table | AnswerFormat::Turtle => None,
    };
    match answer {
        Answer::Graph(triples) => {
            let mut s = RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, iri) in crate::rdf::vocab::PREFIXES {
                s = s
                    .with_prefix(*p, *iri)
                    .map_err(|e| StoreError::Storage(e.to_string()))?;
            }
            let mut w = s.for_writer(out);
            for t in triples {
                w.serialize_quad(t.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
            }
            w.finish()?;
        }
        Answer::Boolean(b) => match results_format {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, *b)?;
            }
            None => writeln!(out, "{b}")?,
        },
        Answer::Solutions { vars, rows } => match results_format {
            Some(f) => {
                let mut w = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(out, vars.clone())?;
                for r in rows {
                    let pairs: Vec<(&Variable, &Term)> = vars
                        .iter()
                        .zip(r)
                        .filter_map(|(v, t)| t.as_ref().map(|t| (v, t)))
                        .collect();
                    w.serialize(pairs.into_iter().map(|(v, t)| (v.as_ref(), t.as_ref())))?;
                }
                w.finish()?;
            }
            None => write_table(vars, rows, out)?,
        },
    }
    Ok(())
}

fn write_table(
    vars: &[Variable],
    rows: &[Vec<Option<Term>>],
    out: &mut dyn Write,
) -> Result<(), StoreError> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(term_text).unwrap_or_default())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = vars.iter().map(|v| v.as_str().chars().count()).collect();
    for r in &cells {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count().min(60));
        }
    }
    let line = |out: &mut dyn Write, vals: Vec<String>| -> std::io::Result<()> {
        let parts: Vec<String> = vals
            .iter()
            .zip(&widths)
            .map(|(v, w)| {
                let v: String = if v.chars().count() > 60 {
                    v.chars().take(59).chain(std::iter::once('…')).collect()
                } else {
                    v.clone()
                };
                format!("{v:<w$}")
            })
            .collect();
        writeln!(out, "| {} |", parts.join(" | "))
    };
    line(out, vars.iter().map(|v| v.as_str().to_string()).collect())?;
    writeln!(
        out,
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    )?;
    for r in cells {
        line(out, r)?;
    }
    writeln!(out, "({} rows)", rows.len())?;
    Ok(())
}

/// How one query runs: its time and size limits and its dataset (the SPARQL protocol's
/// `default-graph-uri` / `named-graph-uri`).
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Cancel the query after this long.
    pub timeout: Option<Duration>,
    /// Fail when the answer has more rows (SELECT) or triples (CONSTRUCT/DESCRIBE).
    pub max_results: Option<usize>,
    /// IRIs of the graphs whose union is the default graph (none: the store's default graph).
    pub default_graphs: Vec<String>,
    /// IRIs of the only named graphs the query sees (none: all of them).
    pub named_graphs: Vec<String>,
    /// The default graph is the union of all graphs (when `default_graphs` is empty).
    pub union_default_graph: bool,
}

/// Which graphs of the store to write out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphSelection {
    /// The whole dataset, every graph (needs a quad format).
    Dataset,
    /// The default graph.
    Default,
    /// The named graph with this IRI.
    Named(String),
}

fn named_node(iri: &str) -> Result<NamedNode, StoreError> {
    NamedNode::new(iri).map_err(|e| StoreError::Syntax(format!("bad graph IRI <{iri}>: {e}")))
}

/// Cancels a query's token when its deadline passes, unless dropped before.
struct Deadline {
    done: Option<mpsc::Sender<()>>,
    fired: Arc<AtomicBool>,
    timeout: Duration,
}

impl Deadline {
    fn start(timeout: Option<Duration>, token: &CancellationToken) -> Option<Self> {
        let timeout = timeout?;
        let (done, wait) = mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let (token, flag) = (token.clone(), Arc::clone(&fired));
        std::thread::spawn(move || {
            // Returns early when the query ends (the sender is dropped).
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(timeout) {
                flag.store(true, Ordering::SeqCst);
                token.cancel();
            }
        });
        Some(Self {
            done: Some(done),
            fired,
            timeout,
        })
    }

    fn error(deadline: &Option<Self>, message: String) -> StoreError {
        match deadline {
            Some(d) if d.fired.load(Ordering::SeqCst) => StoreError::Timeout(d.timeout),
            _ => StoreError::Evaluation(message),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.done.take();
    }
}

impl GraphStore {
    /// Opens the graph of the build in `dir` for reading and writing: the on-disk store
    /// (`rocksdb` feature) is opened read-write; an in-memory store is loaded from
    /// `graph.nq` as [`GraphStore::open`] does, and changes to it are lost at exit.
    pub fn open_writable(dir: &Path) -> Result<Self, StoreError> {
        #[cfg(feature = "rocksdb")]
        {
            let disk = dir.join("store");
            if disk.is_dir() {
                let store = Store::open(&disk).map_err(storage)?;
                return Ok(Self { store });
            }
        }
        Self::open(dir)
    }

    /// Runs a SPARQL query within `opts`' limits: [`StoreError::Syntax`] for a malformed
    /// query, [`StoreError::Timeout`] when cancelled at the deadline,
    /// [`StoreError::TooLarge`] when the answer exceeds the result limit.
    pub fn query_with(&self, sparql: &str, opts: &QueryOptions) -> Result<Answer, StoreError> {
        let token = CancellationToken::new();
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(token.clone())
            .parse_query(sparql)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        let dataset = prepared.dataset_mut();
        if !opts.default_graphs.is_empty() {
            let graphs = opts
                .default_graphs
                .iter()
                .map(|g| named_node(g).map(GraphName::from))
                .collect::<Result<Vec<_>, _>>()?;
            dataset.set_default_graph(graphs);
        } else if opts.union_default_graph {
            dataset.set_default_graph_as_union();
        }
        if !opts.named_graphs.is_empty() {
            let graphs = opts
                .named_graphs
                .iter()
                .map(|g| named_node(g).map(NamedOrBlankNode::from))
                .collect::<Result<Vec<_>, _>>()?;
            dataset.set_available_named_graphs(graphs);
        }
        let deadline = Deadline::start(opts.timeout, &token);
        let fail =
            |e: oxigraph::sparql::QueryEvaluationError| Deadline::error(&deadline, e.to_string());
        let max = opts.max_results.unwrap_or(usize::MAX);
        let results = prepared.on_store(&self.store).execute().map_err(fail)?;
        let answer = match results {
            QueryResults::Boolean(b) => Answer::Boolean(b),
            QueryResults::Solutions(sols) => {
                let vars = sols.variables().to_vec();
                let mut rows = Vec::new();
                for s in sols {
                    let s = s.map_err(fail)?;
                    if rows.len() == max {
                        return Err(StoreError::TooLarge(max));
                    }
                    rows.push(vars.iter().map(|v| s.get(v).cloned()).collect());
                }
                Answer::Solutions { vars, rows }
            }
            QueryResults::Graph(triples) => {
                let mut v = Vec::new();
                for t in triples {
                    let t = t.map_err(fail)?;
                    if v.len() == max {
                        return Err(StoreError::TooLarge(max));
                    }
                    v.push(t);
                }
                Answer::Graph(v)
            }
        };
        Ok(answer)
    }

    /// Runs a SPARQL update (`INSERT DATA`, `DELETE … WHERE`, `DROP GRAPH`, …).
    pub fn update(&self, sparql: &str) -> Result<(), StoreError> {
        SparqlEvaluator::new()
            .parse_update(sparql)
            .map_err(|e| StoreError::Syntax(e.to_string()))?
            .on_store(&self.store)
            .execute()
            .map_err(|e| StoreError::Update(e.to_string()))
    }

    /// Whether the store has a named graph with this IRI.
    pub fn has_named_graph(&self, iri: &str) -> Result<bool, StoreError> {
        let g = named_node(iri)?;
        self.store.contains_named_graph(&g).map_err(storage)
    }

    /// The graphs that hold quads: the default graph first when it is not empty, then
    /// the named graphs in order of their names.
    pub fn graph_names(&self) -> Result<Vec<GraphName>, StoreError> {
        let mut named: Vec<GraphName> = Vec::new();
        for g in self.store.named_graphs() {
            named.push(match g.map_err(storage)? {
                NamedOrBlankNode::NamedNode(n) => n.into(),
                NamedOrBlankNode::BlankNode(b) => b.into(),
            });
        }
        named.sort_by_key(|g| g.to_string());
        let mut out = Vec::with_capacity(named.len() + 1);
        let default_empty = self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .next()
            .is_none();
        if !default_empty {
            out.push(GraphName::DefaultGraph);
        }
        out.extend(named);
        Ok(out)
    }

    /// The quads of one graph, in the store's order.
    pub fn graph_quads<'a>(
        &'a self,
        graph: &'a GraphName,
    ) -> impl Iterator<Item = Result<Quad, StoreError>> + 'a {
        self.store
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .map(|q| q.map_err(storage))
    }

    /// Writes the selected graphs in `format`: a graph in any RDF format, the whole dataset
    /// only in a format with named graphs (TriG, N-Quads, JSON-LD). A named graph that is
    /// not there is [`StoreError::Missing`].
    pub fn dump(
        &self,
        which: &GraphSelection,
        format: RdfFormat,
        out: &mut dyn Write,
    ) -> Result<(), StoreError> {
        let serializer = prefixed(format)?;
        let result = match which {
            GraphSelection::Dataset => self.store.dump_to_writer(serializer, out).map(|_| ()),
            GraphSelection::Default => self
                .store
                .dump_graph_to_writer(GraphNameRef::DefaultGraph, serializer, out)
                .map(|_| ()),
            GraphSelection::Named(iri) => {
                let g = named_node(iri)?;
                if !self.store.contains_named_graph(&g).map_err(storage)? {
                    return Err(StoreError::NoSuchGraph(iri.clone()));
                }
                self.store
                    .dump_graph_to_writer(&g, serializer, out)
                    .map(|_| ())
            }
        };
        result.map_err(|e| StoreError::Storage(e.to_string()))
    }

    /// Writes RDF data (`body` in `format`) into the selected graph, replacing what it
    /// held when `replace` (Graph Store Protocol PUT) or adding to it (POST): parsed first,
    /// then applied in one transaction, so bad data changes nothing. Triples go into the
    /// selected graph; for the whole dataset, quads go to their graphs and triples to the
    /// default graph. Blank nodes get fresh ids. Returns whether the graph existed.
    pub fn write_graph(
        &self,
        which: &GraphSelection,
        format: RdfFormat,
        body: &[u8],
        replace: bool,
    ) -> Result<bool, StoreError> {
        let mut parser = RdfParser::from_format(format).rename_blank_nodes();
        let (graph, existed) = match which {
            GraphSelection::Dataset => (None, !self.store.is_empty().map_err(storage)?),
            GraphSelection::Default => (Some(GraphName::DefaultGraph), true),
            GraphSelection::Named(iri) => {
                let n = named_node(iri)?;
                let existed = self.store.contains_named_graph(&n).map_err(storage)?;
                (Some(GraphName::NamedNode(n)), existed)
            }
        };
        if let Some(g) = &graph {
            parser = parser.with_default_graph(g.clone()).without_named_graphs();
        }
        let quads = parser
            .for_slice(body)
            .collect::<Result<Vec<Quad>, _>>()
            .map_err(|e| StoreError::BadData(e.to_string()))?;
        let mut tx = self.store.start_transaction().map_err(storage)?;
        match (&graph, replace) {
            (Some(g), true) => tx.clear_graph(g.as_ref()).map_err(storage)?,
            (None, true) => tx.clear().map_err(storage)?,
            _ => {}
        }
        if let Some(GraphName::NamedNode(n)) = &graph {
            // An empty PUT still creates the graph.
            tx.insert_named_graph(n);
        }
        tx.extend(quads.iter());
        tx.commit().map_err(storage)?;
        Ok(existed)
    }

    /// Deletes the selected graph (a named graph goes; the default graph and the dataset
    /// are emptied). [`StoreError::NoSuchGraph`] for a named graph that is not there.
    pub fn delete_graph(&self, which: &GraphSelection) -> Result<(), StoreError> {
        match which {
            GraphSelection::Dataset => self.store.clear().map_err(storage),
            GraphSelection::Default => self
                .store
                .clear_graph(GraphNameRef::DefaultGraph)
                .map_err(storage),
            GraphSelection::Named(iri) => {
                let n = named_node(iri)?;
                if !self.store.contains_named_graph(&n).map_err(storage)? {
                    return Err(StoreError::NoSuchGraph(iri.clone()));
                }
                self.store.remove_named_graph(&n).map_err(storage)
            }
        }
    }
}

/// A serializer for `format` with the project's prefixes where the format has prefixes.
fn prefixed(format: RdfFormat) -> Result<RdfSerializer, StoreError> {
    let mut s = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::N3) {
        for (p, iri) in crate::rdf::vocab::PREFIXES {
            s = s
                .with_prefix(*p, *iri)
                .map_err(|e| StoreError::Storage(e.to_string()))?;
        }
    }
    Ok(s)
}

/// Writes an answer for the SPARQL protocol: solutions and booleans in a SPARQL results
/// format, graphs (CONSTRUCT/DESCRIBE) in an RDF format.
pub fn write_answer_as(
    answer: &Answer,
    results: QueryResultsFormat,
    graph: RdfFormat,
    out: &mut dyn Write,
) -> Result<(), StoreError> {
    match answer {
        Answer::Graph(triples) => {
            let mut w = prefixed(graph)?.for_writer(out);
            for t in triples {
                w.serialize_quad(t.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
            }
            w.finish()?;
        }
        Answer::Boolean(b) => {
            QueryResultsSerializer::from_format(results).serialize_boolean_to_writer(out, *b)?;
        }
        Answer::Solutions { vars, rows } => {
            let mut w = QueryResultsSerializer::from_format(results)
                .serialize_solutions_to_writer(out, vars.clone())?;
            for r in rows {
                w.serialize(
                    vars.iter()
                        .zip(r)
                        .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
                )?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_formats() -> Result<(), StoreError> {
        let s = GraphStore::from_nquads(
            b"<http://e/a> <http://e/p> \"x\" <http://e/g> .\n<http://e/b> <http://e/p> \"y\" <http://e/g> .\n",
        )?;
        assert_eq!(s.len()?, 2);
        assert_eq!(s.graph_count()?, 1);
        let a = s.query("SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s")?;
        let mut buf = Vec::new();
        write_answer(&a, AnswerFormat::Table, &mut buf)?;
        let text = String::from_utf8_lossy(&buf);
        assert!(text.contains("| http://e/a | x "));
        assert!(text.contains("(2 rows)"));
        let mut buf = Vec::new();
        write_answer(&a, AnswerFormat::Csv, &mut buf)?;
        assert!(String::from_utf8_lossy(&buf).starts_with("s,o\r\n"));
        assert_eq!(
            s.query("ASK { GRAPH ?g { ?s ?p \"y\" } }")?,
            Answer::Boolean(true)
        );
        assert!(matches!(
            s.query("SELEC nothing"),
            Err(StoreError::Syntax(_))
        ));
        Ok(())
    }

    fn quads(nq: &str) -> Vec<Quad> {
        oxigraph::io::RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(nq.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn replacing_graphs_adds_replaces_removes_and_skips_the_unchanged() -> Result<(), StoreError> {
        let store = Store::new().map_err(storage)?;
        let first = quads(
            "<http://e/a> <http://e/p> \"1\" <http://e/g1> .\n\
             <http://e/b> <http://e/p> \"2\" <http://e/g2> .\n\
             <http://e/c> <http://e/p> \"3\" <http://e/g3> .\n",
        );
        assert_eq!(replace_graphs(&store, &first)?, 3);
        assert_eq!(replace_graphs(&store, &first)?, 0);
        // g1 unchanged, g2 replaced, g3 gone, g4 new.
        let second = quads(
            "<http://e/a> <http://e/p> \"1\" <http://e/g1> .\n\
             <http://e/b> <http://e/p> \"2b\" <http://e/g2> .\n\
             <http://e/d> <http://e/p> \"4\" <http://e/g4> .\n",
        );
        assert_eq!(replace_graphs(&store, &second)?, 3);
        let mut now: Vec<String> = store
            .iter()
            .map(|q| q.map(|q| q.to_string()).map_err(storage))
            .collect::<Result<_, _>>()?;
        now.sort();
        let mut want: Vec<String> = second.iter().map(ToString::to_string).collect();
        want.sort();
        assert_eq!(now, want);
        Ok(())
    }
}

#[cfg(test)]
mod protocol_tests {
    use super::*;

    const DATA: &[u8] = b"<http://e/a> <http://e/p> \"x\" <http://e/g> .\n<http://e/b> <http://e/p> \"y\" <http://e/g> .\n<http://e/c> <http://e/p> \"z\" <http://e/h> .\n";

    #[test]
    fn limits_and_dataset() -> Result<(), StoreError> {
        let s = GraphStore::from_nquads(DATA)?;
        let all = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }";
        let limited = QueryOptions {
            max_results: Some(2),
            ..QueryOptions::default()
        };
        assert!(matches!(
            s.query_with(all, &limited),
            Err(StoreError::TooLarge(2))
        ));
        let one_graph = QueryOptions {
            max_results: Some(2),
            named_graphs: vec!["http://e/g".into()],
            ..QueryOptions::default()
        };
        assert!(matches!(
            s.query_with(all, &one_graph)?,
            Answer::Solutions { rows, .. } if rows.len() == 2
        ));
        let union = QueryOptions {
            union_default_graph: true,
            ..QueryOptions::default()
        };
        let plain = "SELECT ?s WHERE { ?s ?p ?o }";
        assert!(matches!(
            s.query_with(plain, &union)?,
            Answer::Solutions { rows, .. } if rows.len() == 3
        ));
        let from_h = QueryOptions {
            default_graphs: vec!["http://e/h".into()],
            ..QueryOptions::default()
        };
        assert!(matches!(
            s.query_with(plain, &from_h)?,
            Answer::Solutions { rows, .. } if rows.len() == 1
        ));
        assert!(matches!(
            s.query_with(plain, &QueryOptions::default())?,
            Answer::Solutions { rows, .. } if rows.is_empty()
        ));
        Ok(())
    }

    #[test]
    fn timeout_cancels() -> Result<(), StoreError> {
        let mut nq = String::new();
        for i in 0..400 {
            nq.push_str(&format!(
                "<http://e/s{i}> <http://e/p> \"{i}\" <http://e/g> .\n"
            ));
        }
        let s = GraphStore::from_nquads(nq.as_bytes())?;
        let opts = QueryOptions {
            timeout: Some(Duration::from_millis(200)),
            ..QueryOptions::default()
        };
        let slow = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } GRAPH ?i { ?x ?y ?z } }";
        let started = std::time::Instant::now();
        assert!(matches!(
            s.query_with(slow, &opts),
            Err(StoreError::Timeout(_))
        ));
        assert!(started.elapsed() < Duration::from_secs(60));
        // A quick query within the time limit is answered.
        assert!(matches!(
            s.query_with("ASK {}", &opts)?,
            Answer::Boolean(true)
        ));
        Ok(())
    }

    #[test]
    fn graph_writes_and_dumps() -> Result<(), StoreError> {
        let s = GraphStore::from_nquads(DATA)?;
        let g = GraphSelection::Named("http://e/g".into());
        let mut out = Vec::new();
        s.dump(&g, RdfFormat::NTriples, &mut out)?;
        assert_eq!(String::from_utf8_lossy(&out).lines().count(), 2);
        assert!(!s.write_graph(
            &GraphSelection::Named("http://e/new".into()),
            RdfFormat::Turtle,
            b"<http://e/s> <http://e/p> 1 .",
            true
        )?);
        assert!(s.write_graph(
            &g,
            RdfFormat::Turtle,
            b"<http://e/s> <http://e/p> 2 .",
            true
        )?);
        assert!(s.write_graph(
            &g,
            RdfFormat::Turtle,
            b"<http://e/s> <http://e/p> 3 .",
            false
        )?);
        assert_eq!(s.len()?, 4);
        assert!(matches!(
            s.write_graph(&g, RdfFormat::Turtle, b"<http://e/s> <http://e/p> ", true),
            Err(StoreError::BadData(_))
        ));
        assert_eq!(s.len()?, 4);
        s.delete_graph(&g)?;
        assert!(!s.has_named_graph("http://e/g")?);
        assert!(matches!(
            s.delete_graph(&g),
            Err(StoreError::NoSuchGraph(_))
        ));
        assert!(matches!(
            s.dump(&g, RdfFormat::Turtle, &mut Vec::new()),
            Err(StoreError::NoSuchGraph(_))
        ));
        let names: Vec<String> = s.graph_names()?.iter().map(|g| g.to_string()).collect();
        assert_eq!(names, vec!["<http://e/h>", "<http://e/new>"]);
        Ok(())
    }
}
