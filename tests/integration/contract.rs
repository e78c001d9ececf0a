//! The output contract as SPARQL ASK queries (`ontology/queries/contract/*.rq`, each true
//! on a violation), run through the store over the sample and the fixture corpora.

use crate::util::{build, root, tempdir};
use newsgraph::store::{Answer, GraphStore};

fn check(inputs: &[&str]) {
    let dir = tempdir();
    let (summary, quads) = build(inputs, dir.path());
    let store = GraphStore::from_quads(&quads).expect("store");
    let mut n = 0;
    let mut paths: Vec<_> = std::fs::read_dir(root().join("ontology/queries/contract"))
        .expect("contract dir")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for p in paths {
        let q = std::fs::read_to_string(&p).expect("query");
        let a = store
            .query(&q)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(
            a,
            Answer::Boolean(false),
            "contract violated: {}",
            p.display()
        );
        n += 1;
    }
    assert!(n >= 8, "only {n} contract queries");
    // One graph per article, plus the merger's graph.
    assert_eq!(store.graph_count().expect("graphs"), summary.articles + 1);
}

#[test]
fn sample_corpus_keeps_the_contract() {
    check(&["articles"]);
}

#[test]
fn fixture_corpus_keeps_the_contract() {
    check(&["tests/fixtures/articles"]);
}

#[test]
fn every_entity_has_a_schema_type_and_label() {
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let store = GraphStore::from_quads(&quads).expect("store");
    let q = "PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
             SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?e .
               ?e a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l .
               FILTER(STRSTARTS(STR(?t), \"http://schema.org/\")) } }";
    match store.query(q).expect("query") {
        Answer::Solutions { rows, .. } => {
            let n = rows[0][0]
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default();
            assert!(!n.starts_with("\"0\""), "no typed entities: {n}");
        }
        other => panic!("{other:?}"),
    }
}
