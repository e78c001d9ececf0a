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

/// The entity ids of persons in a build's merged graph.
fn person_ids(out: &std::path::Path) -> BTreeSet<String> {
    let store = GraphStore::open(out).expect("open");
    let q = "SELECT ?e WHERE { GRAPH <https://w3id.org/newsgraph/graph/merged> { ?e a <http://schema.org/Person> } }";
    let Answer::Solutions { rows, .. } = store.query(q).expect("query") else {
        panic!("not a select")
    };
    rows.iter()
        .filter_map(|r| r[0].as_ref().map(|t| t.to_string()))
        .collect()
}

#[test]
fn adding_articles_keeps_entity_iris_and_joins_with_same_as() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let out = dir.path().join("out");
    let write = |name: &str, text: &str| {
        std::fs::write(input.join(name), text).expect("write");
    };
    let run = |paths: &[&std::path::Path]| {
        let opts = newsgraph::pipeline::BuildOptions::new(
            paths.iter().map(|p| p.to_path_buf()).collect(),
            out.clone(),
        );
        newsgraph::pipeline::build(&opts).expect("build");
    };
    write(
        "a.txt",
        "Talks\n\nPakistan's army chief Gen Qamar Bajwa met Supreme Leader Khamenei in Tehran.\n",
    );
    run(&[&input.join("a.txt")]);
    let first = person_ids(&out);
    assert!(
        first.iter().any(|i| i.ends_with("/person/qamar-bajwa>")),
        "{first:?}"
    );
    // A longer form of the name arrives: the label grows, the IRI stays.
    write(
        "b.txt",
        "Visit\n\nGeneral Qamar Javed Bajwa visited Kabul on Monday.\n",
    );
    run(&[&input.join("a.txt"), &input.join("b.txt")]);
    let second = person_ids(&out);
    assert!(
        second.iter().any(|i| i.ends_with("/person/qamar-bajwa>")),
        "{second:?}"
    );
    assert!(
        !second
            .iter()
            .any(|i| i.ends_with("/person/qamar-javed-bajwa>")),
        "{second:?}"
    );
    // Built alone (a and b removed first), "Ali Khamenei" gets an IRI of its own; joined
    // with "Khamenei" later, one IRI stays and the other is linked to it.
    write(
        "c.txt",
        "Meeting\n\nIran's Supreme Leader Ali Khamenei received officials.\n",
    );
    newsgraph::pipeline::remove(&newsgraph::pipeline::RemoveOptions {
        ids: vec!["a".into(), "b".into()],
        out: out.clone(),
        lexicons: Vec::new(),
        progress: false,
    })
    .expect("remove");
    run(&[&input.join("c.txt")]);
    run(&[
        &input.join("a.txt"),
        &input.join("b.txt"),
        &input.join("c.txt"),
    ]);
    let store = GraphStore::open(&out).expect("open");
    let q = "ASK { GRAPH <https://w3id.org/newsgraph/graph/merged> {
        <https://w3id.org/newsgraph/id/person/ali-khamenei> <http://www.w3.org/2002/07/owl#sameAs> <https://w3id.org/newsgraph/id/person/khamenei> } }";
    assert_eq!(store.query(q).expect("ask"), Answer::Boolean(true));
    drop(store);
    // The link stays in later builds.
    run(&[&input.join("c.txt")]);
    let store = GraphStore::open(&out).expect("open");
    assert_eq!(store.query(q).expect("ask"), Answer::Boolean(true));
}
