//! Interoperability with Python's RDF tools: the files a build writes (`graph.trig`,
//! `graph.nq`, `graph.ttl`) parse with rdflib to the same quads and triples as the store
//! holds, and SPARQLWrapper and rdflib read `newsgraph serve` (SPARQL JSON, RDF/XML,
//! JSON-LD).

use crate::servers::{newsgraph_serve, python, run_python};
use crate::util::{build, tempdir};
use newsgraph::store::{Answer, GraphStore};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Term};
use std::collections::BTreeSet;

/// Parses a file with rdflib and writes what it read as N-Quads (or N-Triples) to stdout.
const REWRITE: &str = r#"
import sys, rdflib
fmt, path = sys.argv[1], sys.argv[2]
if fmt in ("trig", "nquads"):
    ds = rdflib.Dataset()
    ds.parse(path, format=fmt)
    sys.stdout.write(ds.serialize(format="nquads"))
else:
    g = rdflib.Graph()
    g.parse(path, format=fmt)
    sys.stdout.write(g.serialize(format="nt"))
"#;

fn parse(text: &str, format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|q| q.unwrap_or_else(|e| panic!("rdflib's output does not parse: {e}")))
        .map(|q: Quad| q.to_string())
        .collect()
}

fn number(answer: Answer) -> usize {
    match answer {
        Answer::Solutions { rows, .. } => match rows.first().and_then(|r| r.first()) {
            Some(Some(Term::Literal(l))) => l.value().parse().unwrap_or(0),
            _ => 0,
        },
        _ => 0,
    }
}

fn check_build(inputs: &[&str]) {
    let Some(py) = python() else { return };
    let dir = tempdir();
    let (_, quads) = build(inputs, dir.path());
    let store = GraphStore::open(dir.path()).expect("open the build");
    assert_eq!(store.len().expect("len"), quads.len());
    let expected: BTreeSet<String> = quads.iter().map(Quad::to_string).collect();
    for (file, fmt) in [("graph.trig", "trig"), ("graph.nq", "nquads")] {
        let path = dir.path().join(file);
        let out = run_python(&py, REWRITE, &[fmt, path.to_str().expect("utf8 path")]);
        let got = parse(&out, RdfFormat::NQuads);
        assert_eq!(
            got.len(),
            quads.len(),
            "{file}: rdflib reads {} quads",
            got.len()
        );
        let missing: Vec<_> = expected.difference(&got).take(3).collect();
        assert!(missing.is_empty(), "{file}: rdflib lost {missing:?}");
    }
    // graph.ttl is the union of the graphs: as many triples as distinct triples in the store.
    let distinct = number(
        store
            .query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
            .expect("count"),
    );
    assert!(distinct > 0);
    let path = dir.path().join("graph.ttl");
    let out = run_python(&py, REWRITE, &["turtle", path.to_str().expect("utf8 path")]);
    let got = parse(&out, RdfFormat::NTriples);
    assert_eq!(
        got.len(),
        distinct,
        "graph.ttl: rdflib reads {} triples",
        got.len()
    );
}

#[test]
fn rdflib_reads_the_sample_build() {
    check_build(&["articles"]);
}

#[test]
fn rdflib_reads_the_fixture_build() {
    check_build(&["tests/fixtures/articles"]);
}

/// Queries a running `newsgraph serve` the way a Python user would.
const CLIENT: &str = r#"
import sys, rdflib
from SPARQLWrapper import SPARQLWrapper, JSON, XML, JSONLD
url = sys.argv[1]
sw = SPARQLWrapper(url + "/query")
sw.setQuery("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
sw.setReturnFormat(JSON)
print(sw.query().convert()["results"]["bindings"][0]["n"]["value"])
construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/newsgraph/graph/merged> { ?s ?p ?o } }"
for fmt in (XML, JSONLD):
    sw = SPARQLWrapper(url + "/query")
    sw.setQuery(construct)
    sw.setReturnFormat(fmt)
    print(len(sw.query().convert()))
ds = rdflib.Dataset()
ds.parse(url + "/store", format="json-ld")
print(sum(1 for _ in ds.quads((None, None, None, None))))
"#;

#[test]
fn python_clients_query_the_endpoint() {
    let Some(py) = python() else { return };
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let merged = quads
        .iter()
        .filter(|q| q.graph_name.to_string() == "<https://w3id.org/newsgraph/graph/merged>")
        .count();
    let server = newsgraph_serve(dir.path(), &[]);
    let out = run_python(&py, CLIENT, &[&server.url]);
    let lines: Vec<usize> = out
        .lines()
        .map(|l| l.trim().parse().unwrap_or_else(|_| panic!("{out}")))
        .collect();
    assert_eq!(
        lines,
        vec![quads.len(), merged, merged, quads.len()],
        "{out}"
    );
}
