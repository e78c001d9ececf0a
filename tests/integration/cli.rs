//! The `newsgraph` binary in temp dirs: build, query, stats, explain, help, bad input and
//! exit codes.

use crate::util::{root, tempdir};
use assert_cmd::Command;

fn ng() -> Command {
    let mut c = Command::cargo_bin("newsgraph").expect("binary");
    c.current_dir(root());
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn build_then_query_stats_explain() {
    let dir = tempdir();
    let out = dir.path().to_str().expect("utf8 path");
    let s = stdout(ng().args(["build", "articles", "--out", out, "--quiet"]));
    assert!(s.contains("built 2 articles"), "{s}");
    for f in [
        "graph.trig",
        "graph.nq",
        "graph.ttl",
        "graph.dot",
        "graph.svg",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let s = stdout(ng().args([
        "query",
        "-f",
        "ontology/queries/meetings.rq",
        "--store",
        out,
    ]));
    assert!(s.contains("Islamabad"), "{s}");
    let s = stdout(ng().args([
        "query",
        "ASK { GRAPH ?g { ?s a <http://schema.org/Event> } }",
        "--store",
        out,
        "--format",
        "json",
    ]));
    assert!(s.contains("\"boolean\":true"), "{s}");
    let s = stdout(ng().args([
        "query",
        "SELECT ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } } LIMIT 1",
        "--store",
        out,
        "--format",
        "csv",
    ]));
    assert!(s.starts_with("l\r\n"), "{s}");
    let s = stdout(ng().args([
        "query",
        "CONSTRUCT { ?s a ?t } WHERE { GRAPH ?g { ?s a ?t } } LIMIT 2",
        "--store",
        out,
        "--format",
        "turtle",
    ]));
    assert!(s.contains(" a "), "{s}");
    let s = stdout(ng().args(["stats", "--store", out]));
    assert!(s.contains("meetings:"), "{s}");
    let s = stdout(ng().args(["explain", "Faiz Hamid", "--store", out]));
    assert!(s.contains("person/faiz-hameed"), "{s}");
    assert!(s.contains("mentioned in"), "{s}");
}

#[test]
fn help_explains_every_command_with_an_example() {
    for cmd in ["build", "query", "stats", "explain"] {
        let s = stdout(ng().args([cmd, "--help"]));
        assert!(s.contains("Example"), "{cmd}: {s}");
    }
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_built() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("empty.txt"), "").expect("write");
    std::fs::write(input.join("binary.txt"), [0xff, 0xfe, 0x00, 0x41]).expect("write");
    std::fs::write(input.join("bad.jsonl"), "{not json}\n").expect("write");
    std::fs::copy(
        root().join("articles/news18-isi-hosts-intelligence-heads.txt"),
        input.join("good.txt"),
    )
    .expect("copy");
    let out = dir.path().join("out");
    let o = ng()
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
    assert!(err.contains("binary.txt") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("bad.jsonl:1"), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("built 1 articles"));
    assert!(out.join("graph.nq").is_file());
}

#[test]
fn jsonl_articles_are_read_with_their_metadata() {
    let dir = tempdir();
    let input = dir.path().join("news.jsonl");
    let rec = serde_json::json!({
        "id": "j1",
        "title": "Envoys meet",
        "published": "2024-03-05",
        "url": "https://example.org/j1",
        "body": "ANKARA: Turkish intelligence chief Ibrahim Kalin met Russian officials in Ankara on Monday."
    });
    std::fs::write(&input, format!("{rec}\n\n")).expect("write");
    let out = dir.path().join("out");
    let s = stdout(
        ng().args(["build", "--quiet", "--out"])
            .arg(&out)
            .arg(&input),
    );
    assert!(s.contains("built 1 articles"), "{s}");
    let store = out.to_str().expect("utf8");
    let s = stdout(ng().args([
        "query",
        "SELECT ?d ?u ?n WHERE { GRAPH ?g { ?g <http://schema.org/datePublished> ?d ; <http://schema.org/url> ?u ; <http://schema.org/name> ?n . ?m <http://schema.org/startDate> ?x } }",
        "--store",
        store,
        "--format",
        "tsv",
    ]));
    assert!(s.contains("2024-03-05"), "{s}");
    assert!(s.contains("<https://example.org/j1>"), "{s}");
    assert!(s.contains("Envoys meet"), "{s}");
}

#[test]
fn usage_errors_exit_with_2() {
    let o = ng()
        .args(["build", "--no-such-flag"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn malformed_query_is_a_clear_error() {
    let o = ng()
        .args(["query", "SELEC nothing", "--store", "output"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad SPARQL query"));
}

#[test]
fn missing_store_names_the_directory() {
    let dir = tempdir();
    let o = ng()
        .args(["stats", "--store"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("graph.nq"));
}
