//! The merger on the merge corpus (`tests/fixtures/merge/`): look-alike people are never
//! joined, and people reported under several spellings mostly become one node.

use crate::util::{build, root, tempdir};
use newsgraph::store::{Answer, GraphStore};
use std::collections::{BTreeMap, BTreeSet};

/// (article, alias) → gold person id, from the gold files.
fn gold_people() -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    let dir = root().join("tests/fixtures/merge/gold");
    for e in std::fs::read_dir(dir).expect("gold dir") {
        let p = e.expect("entry").path();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("json");
        let stem = v["id"].as_str().unwrap_or_default().to_string();
        for ent in v["entities"].as_array().into_iter().flatten() {
            let t = ent["type"].as_str().unwrap_or_default();
            if t != "Official" && t != "Person" {
                continue;
            }
            let id = ent["id"].as_str().unwrap_or_default().to_string();
            for a in ent["aliases"].as_array().into_iter().flatten() {
                if let Some(a) = a.as_str() {
                    out.insert((stem.clone(), a.to_string()), id.clone());
                }
            }
        }
    }
    out
}

#[test]
fn look_alike_people_are_never_joined_and_variants_are() {
    let dir = tempdir();
    let (_, quads) = build(&["tests/fixtures/merge/articles"], dir.path());
    let store = GraphStore::from_quads(&quads).expect("store");
    let q = "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
             PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
             PREFIX schema: <http://schema.org/>
             SELECT ?id ?anchor ?e WHERE { GRAPH ?g { ?m nif:anchorOf ?anchor ; itsrdf:taIdentRef ?e .
               ?e a schema:Person . ?g schema:identifier ?id } }";
    let Answer::Solutions { rows, .. } = store.query(q).expect("query") else {
        panic!("not a select")
    };
    let gold = gold_people();
    let lit = |t: &Option<oxigraph::model::Term>| match t {
        Some(oxigraph::model::Term::Literal(l)) => l.value().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut iri_to_gold: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut gold_to_iri: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        let (stem, anchor, iri) = (lit(&r[0]), lit(&r[1]), lit(&r[2]));
        if let Some(g) = gold.get(&(stem, anchor)) {
            iri_to_gold
                .entry(iri.clone())
                .or_default()
                .insert(g.clone());
            gold_to_iri.entry(g.clone()).or_default().insert(iri);
        }
    }
    let joined: Vec<_> = iri_to_gold.iter().filter(|(_, g)| g.len() > 1).collect();
    assert!(joined.is_empty(), "different people joined: {joined:?}");
    let total = gold_to_iri.len();
    let whole = gold_to_iri.values().filter(|v| v.len() == 1).count();
    assert!(total >= 40, "only {total} gold people matched");
    assert!(
        whole * 100 >= total * 90,
        "only {whole} of {total} people are one node: {:?}",
        gold_to_iri
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .collect::<Vec<_>>()
    );
}
