//! Names that break naive RDF writers: quotes, backslashes, angle brackets, `#`, `%`,
//! newlines and Unicode in file names, JSONL ids, titles, URLs, lexicon ids and entity
//! names. Every output file must re-parse with Oxigraph's parsers, NIF offsets stay exact,
//! and the odd strings come back unchanged from the store.

use crate::util::{assert_nif_offsets_exact, parse_outputs, root, tempdir};
use assert_cmd::Command;
use newsgraph::store::{Answer, GraphStore};
use oxigraph::model::Term;
use std::collections::BTreeSet;

const ODD: &str = "Director \"Ali <Khan>\" #1 %20 \\x";
const AGENCY: &str = "Bureau of \"Special\" <Affairs> #1 %20 \\ Ω";

fn ng() -> Command {
    let mut c = Command::cargo_bin("newsgraph").expect("binary");
    c.current_dir(root());
    c
}

fn identifiers(store: &GraphStore) -> BTreeSet<String> {
    let q = "SELECT ?id WHERE { GRAPH ?g { ?g <http://schema.org/identifier> ?id } }";
    let Answer::Solutions { rows, .. } = store.query(q).expect("query") else {
        panic!("not solutions")
    };
    rows.into_iter()
        .filter_map(|r| match r.into_iter().next().flatten() {
            Some(Term::Literal(l)) => Some(l.value().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn odd_names_give_valid_iris_and_literals() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let body = format!(
        "Talks in Islamabad\n\n{ODD} met Pakistan's army chief Gen Qamar Bajwa in Islamabad on Monday, officials said. The {AGENCY} hosted the talks.\n\nA second line with \"quotes\", <tags>, 100% and #hash.\n"
    );
    let stems = [
        ODD.to_string(),
        "line\nbreak".to_string(),
        "ünï-مرحبا-漢字 \u{200b}".to_string(),
        "back\\slash %41 #frag".to_string(),
        "..".to_string(),
    ];
    for stem in &stems {
        std::fs::write(input.join(format!("{stem}.txt")), &body).expect("write");
    }
    let records = [
        serde_json::json!({
            "id": "a\"b<c>#d%e\\f\ng ü",
            "title": "T\"itle\n<x> #1 %20 \\",
            "url": "http://exa mple.com/<x>",
            "published": "2024-01-02",
            "body": body,
        }),
        serde_json::json!({
            "id": "}{>{<",
            "url": "https://example.org/a?b=%20&c=<d>",
            "body": body,
        }),
    ];
    let jsonl: Vec<String> = records.iter().map(ToString::to_string).collect();
    std::fs::write(input.join("odd.jsonl"), jsonl.join("\n")).expect("write");
    // A user lexicon with an agency whose id and name are odd.
    let lex = dir.path().join("lexicon");
    std::fs::create_dir_all(&lex).expect("mkdir");
    std::fs::write(
        lex.join("agencies.tsv"),
        format!(
            "id\tname\tacronyms\tcountry\tkind\taliases\nwe\"ird <id> #1 %20 \\x Ω\t{AGENCY}\tBSA\tpakistan\tintelligence\t\n"
        ),
    )
    .expect("write");

    let out = dir.path().join("out");
    let o = ng()
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .arg("--lexicon")
        .arg(&lex)
        .arg(&input)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("built 7 articles"));

    let quads = parse_outputs(&out);
    assert!(assert_nif_offsets_exact(&quads) >= 7 * 4);
    let store = GraphStore::open(&out).expect("store");
    let ids = identifiers(&store);
    for stem in &stems {
        assert!(ids.contains(stem), "{stem:?} missing from {ids:?}");
    }
    assert!(ids.contains("a\"b<c>#d%e\\f\ng ü"));
    assert!(ids.contains("}{>{<"));
    // Titles and odd strings come back as literals, unchanged.
    let literals: BTreeSet<String> = quads
        .iter()
        .filter_map(|q| match &q.object {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        })
        .collect();
    assert!(literals.contains("T\"itle\n<x> #1 %20 \\"));
    assert!(literals.contains(AGENCY), "the odd agency was not found");
    // A URL that is not an IRI is kept as a literal; a valid one is an IRI.
    assert!(literals.contains("http://exa mple.com/<x>"));
    assert!(quads.iter().any(|q| matches!(&q.object,
        Term::NamedNode(n) if n.as_str() == "https://example.org/a?b=%20&c=<d>")
        || matches!(&q.object, Term::Literal(l) if l.value() == "https://example.org/a?b=%20&c=<d>")));
    // The odd lexicon id is percent-encoded in the entity IRI.
    assert!(
        quads.iter().any(|q| q.subject.to_string()
            == "<https://w3id.org/newsgraph/id/agency/we%22ird%20%3Cid%3E%20%231%20%2520%20%5Cx%20%CE%A9>"),
        "no entity IRI for the odd agency id"
    );
    // Article IRIs are distinct per id and valid (they parsed), even for "..".
    let graphs: BTreeSet<String> = quads.iter().map(|q| q.graph_name.to_string()).collect();
    assert_eq!(graphs.len(), 7 + 1, "{graphs:?}");
    // The pictures escape what their syntax needs.
    let svg = std::fs::read_to_string(out.join("graph.svg")).expect("svg");
    assert!(!svg.contains("<Affairs>"));
    assert!(!svg
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t'));
    let dot = std::fs::read_to_string(out.join("graph.dot")).expect("dot");
    for line in dot.lines().filter(|l| l.contains("label=\"")) {
        let unescaped = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(unescaped % 2, 0, "unbalanced quotes in {line}");
    }
}

#[test]
fn explain_takes_odd_names_and_iris_safely() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let o = ng()
        .args(["build", "articles", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(o.status.success());
    for name in [
        "a\"b\\c\nd",
        "x } UNION { ?e ?p ?o",
        "https://w3id.org/newsgraph/id/person/x> } ?a ?b ?c { <y",
    ] {
        let o = ng()
            .args(["explain", name, "--store"])
            .arg(&out)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name:?}: {err}");
        assert!(
            err.contains("no entity named") || err.contains("not an IRI"),
            "{name:?}: {err}"
        );
    }
}
