//! Helpers shared by the integration tests.

use newsgraph::pipeline::{self, BuildOptions, BuildSummary};
use oxigraph::model::Quad;
use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `inputs` (relative to the crate root) into `out`.
pub fn build(inputs: &[&str], out: &Path) -> (BuildSummary, Vec<Quad>) {
    let opts = BuildOptions::new(
        inputs.iter().map(PathBuf::from).collect(),
        out.to_path_buf(),
    );
    // Paths are given relative to the crate root, as a user in the checkout would.
    std::env::set_current_dir(root()).expect("crate root");
    let summary = pipeline::build(&opts).expect("build");
    (summary, read_nquads(&out.join("graph.nq")))
}

/// The quads of an N-Quads file, parsed by Oxigraph.
pub fn read_nquads(path: &Path) -> Vec<Quad> {
    let bytes = std::fs::read(path).expect("read graph.nq");
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .expect("valid N-Quads")
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Compares `actual` with the golden file, or rewrites it when UPDATE_GOLDEN=1.
pub fn assert_golden(golden: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("mkdir");
        std::fs::write(golden, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(golden)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", golden.display()));
    if expected != actual {
        let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
        let mut shown = 0;
        for i in 0..e.len().max(a.len()) {
            let (x, y) = (
                e.get(i).copied().unwrap_or("<none>"),
                a.get(i).copied().unwrap_or("<none>"),
            );
            if x != y && shown < 10 {
                eprintln!("line {}:\n  expected: {x}\n  actual:   {y}", i + 1);
                shown += 1;
            }
        }
        panic!(
            "{} differs from the build ({} vs {} lines); review and rerun with UPDATE_GOLDEN=1",
            golden.display(),
            e.len(),
            a.len()
        );
    }
}

/// Parses every RDF file of a build with Oxigraph's parsers (N-Quads, TriG, Turtle), checks
/// that the three agree, and returns the quads of `graph.nq`.
pub fn parse_outputs(out: &Path) -> Vec<Quad> {
    use oxigraph::io::{RdfFormat, RdfParser};
    use std::collections::BTreeSet;
    let parse = |file: &str, format: RdfFormat| -> Vec<Quad> {
        let bytes = std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        RdfParser::from_format(format)
            .for_slice(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{file} does not parse: {e}"))
    };
    let nq = parse("graph.nq", RdfFormat::NQuads);
    let trig = parse("graph.trig", RdfFormat::TriG);
    let ttl = parse("graph.ttl", RdfFormat::Turtle);
    let set = |v: &[Quad]| -> BTreeSet<String> { v.iter().map(ToString::to_string).collect() };
    assert_eq!(set(&nq), set(&trig), "graph.nq and graph.trig differ");
    let union: BTreeSet<String> = nq
        .iter()
        .map(|q| oxigraph::model::Triple::from(q.clone()).to_string())
        .collect();
    let ttl_set: BTreeSet<String> = ttl
        .iter()
        .map(|q| oxigraph::model::Triple::from(q.clone()).to_string())
        .collect();
    assert_eq!(union, ttl_set, "graph.ttl is not the union of the graphs");
    nq
}

/// For every NIF mention, the characters `[begin, end)` of its context's `nif:isString`
/// are its `nif:anchorOf`; returns the number of mentions checked.
pub fn assert_nif_offsets_exact(quads: &[Quad]) -> usize {
    use oxigraph::model::{NamedOrBlankNode, Term};
    use std::collections::HashMap;
    const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
    let mut props: HashMap<(String, &str), &Term> = HashMap::new();
    let mut mentions = Vec::new();
    for q in quads {
        let NamedOrBlankNode::NamedNode(s) = &q.subject else {
            continue;
        };
        let Some(local) = q.predicate.as_str().strip_prefix(NIF) else {
            continue;
        };
        let key = (q.graph_name.to_string(), local);
        if local == "anchorOf" {
            mentions.push((q.graph_name.to_string(), s.as_str().to_string()));
        }
        props.insert((format!("{}|{}", key.0, s.as_str()), local), &q.object);
    }
    let get = |g: &str, s: &str, p: &'static str| -> Option<&Term> {
        props.get(&(format!("{g}|{s}"), p)).copied()
    };
    let lit = |t: Option<&Term>| -> String {
        match t {
            Some(Term::Literal(l)) => l.value().to_string(),
            other => panic!("expected a literal, got {other:?}"),
        }
    };
    let iri = |t: Option<&Term>| -> String {
        match t {
            Some(Term::NamedNode(n)) => n.as_str().to_string(),
            other => panic!("expected an IRI, got {other:?}"),
        }
    };
    for (g, m) in &mentions {
        let anchor = lit(get(g, m, "anchorOf"));
        let begin: usize = lit(get(g, m, "beginIndex")).parse().expect("begin");
        let end: usize = lit(get(g, m, "endIndex")).parse().expect("end");
        let ctx = iri(get(g, m, "referenceContext"));
        let text = lit(get(g, &ctx, "isString"));
        let slice: String = text.chars().skip(begin).take(end - begin).collect();
        assert_eq!(
            slice, anchor,
            "{m}: isString[{begin}..{end}] is not the anchor"
        );
    }
    mentions.len()
}
