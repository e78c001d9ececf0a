//! The query engine: an Oxigraph store opened from a build's output directory (the on-disk
//! RocksDB store with the `rocksdb` feature when present, else an in-memory store bulk-loaded
//! from `graph.nq`), SPARQL queries and their result formats. Knows nothing of extraction
//! or merging.

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

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
