//! `newsgraph serve` as a real server on a free loopback port, queried over HTTP: the
//! SPARQL protocol's three request forms, every results and RDF format by `Accept`, status
//! codes, CORS, the timeout and the result limit, read-only refusals, Graph Store reads,
//! SPARQL Update when writable, and the page at `/`.

use crate::servers::{agent, answer, count, newsgraph_serve, Answer};
use crate::util::{build, tempdir};
use oxigraph::io::{RdfFormat, RdfParser};
use std::time::{Duration, Instant};

const COUNT_ALL: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
const LABELS: &str = "SELECT ?l WHERE { GRAPH <https://w3id.org/newsgraph/graph/merged> { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l } } ORDER BY ?l LIMIT 5";
const CONSTRUCT: &str =
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/newsgraph/graph/merged> { ?s ?p ?o } }";

fn get_query(url: &str, query: &str, accept: &str) -> Answer {
    answer(
        agent()
            .get(format!("{url}/query"))
            .query("query", query)
            .header("Accept", accept)
            .call(),
    )
}

fn triples(body: &str, format: RdfFormat) -> usize {
    let mut n = 0;
    for q in RdfParser::from_format(format).for_slice(body.as_bytes()) {
        if let Err(e) = q {
            panic!("{e} in {body}");
        }
        n += 1;
    }
    n
}

#[test]
fn queries_in_every_form_and_format() {
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &[]);
    let url = &server.url;

    // GET, POST form, POST direct: the same answer.
    let a = get_query(url, LABELS, "application/sparql-results+json");
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.content_type
            .starts_with("application/sparql-results+json"),
        "{}",
        a.content_type
    );
    let json: serde_json::Value = serde_json::from_str(&a.body).expect("JSON results");
    assert_eq!(json["head"]["vars"][0], "l");
    assert_eq!(
        json["results"]["bindings"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0),
        5
    );
    let form = answer(
        agent()
            .post(format!("{url}/query"))
            .header("Accept", "application/sparql-results+json")
            .send_form([("query", LABELS)]),
    );
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(form.body, a.body);
    let direct = answer(
        agent()
            .post(format!("{url}/query"))
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "application/sparql-results+json")
            .send(LABELS),
    );
    assert_eq!(direct.status, 200, "{}", direct.body);
    assert_eq!(direct.body, a.body);
    assert_eq!(count(&format!("{url}/query"), COUNT_ALL), quads.len());

    // Results formats by Accept, the default JSON.
    for (accept, media, start) in [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<?xml",
        ),
        ("text/csv", "text/csv", "l\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            "?l\n",
        ),
        ("*/*", "application/sparql-results+json", "{"),
        ("text/html;q=0.9, text/csv;q=0.5", "text/csv", "l\r\n"),
    ] {
        let a = get_query(url, LABELS, accept);
        assert_eq!(a.status, 200, "{accept}: {}", a.body);
        assert!(
            a.content_type.starts_with(media),
            "{accept}: {}",
            a.content_type
        );
        assert!(a.body.starts_with(start), "{accept}: {}", a.body);
    }
    let ask = get_query(
        url,
        "ASK { GRAPH ?g { ?s a <http://schema.org/Event> } }",
        "*/*",
    );
    assert!(ask.body.contains("\"boolean\":true"), "{}", ask.body);

    // RDF formats for CONSTRUCT, the default Turtle; each parses back to the same triples.
    let expected = count(
        &format!("{url}/query"),
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/newsgraph/graph/merged> { ?s ?p ?o } }",
    );
    assert!(expected > 0);
    for (accept, media, format) in [
        ("text/turtle", "text/turtle", RdfFormat::Turtle),
        (
            "application/n-triples",
            "application/n-triples",
            RdfFormat::NTriples,
        ),
        (
            "application/rdf+xml",
            "application/rdf+xml",
            RdfFormat::RdfXml,
        ),
        (
            "application/ld+json",
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("*/*", "text/turtle", RdfFormat::Turtle),
    ] {
        let a = get_query(url, CONSTRUCT, accept);
        assert_eq!(a.status, 200, "{accept}: {}", a.body);
        assert!(
            a.content_type.starts_with(media),
            "{accept}: {}",
            a.content_type
        );
        assert_eq!(triples(&a.body, format), expected, "{accept}");
    }
    // The format= parameter, for links in a browser.
    let a = answer(
        agent()
            .get(format!("{url}/query"))
            .query("query", LABELS)
            .query("format", "csv")
            .call(),
    );
    assert!(a.content_type.starts_with("text/csv"), "{}", a.content_type);

    // Nothing acceptable: 406 naming what is.
    let a = get_query(url, LABELS, "image/png");
    assert_eq!(a.status, 406, "{}", a.body);
    assert!(a.body.contains("text/csv"), "{}", a.body);
}

#[test]
fn errors_have_status_and_message() {
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &[]);
    let url = &server.url;

    let a = get_query(url, "SELECT ?x WHERE { ?x ", "*/*");
    assert_eq!(a.status, 400);
    assert!(
        a.body.starts_with("bad SPARQL query:") && a.body.contains("error at 1:"),
        "{}",
        a.body
    );
    let a = answer(agent().get(format!("{url}/query")).call());
    assert_eq!(a.status, 400);
    assert!(a.body.contains("'query' parameter"), "{}", a.body);
    let a = answer(
        agent()
            .post(format!("{url}/query"))
            .header("Content-Type", "text/plain")
            .send("ASK {}"),
    );
    assert_eq!(a.status, 415, "{}", a.body);
    let a = answer(agent().get(format!("{url}/nowhere")).call());
    assert_eq!(a.status, 404);
    let a = answer(agent().delete(format!("{url}/query")).call());
    assert_eq!(a.status, 405);
    assert_eq!(a.header("allow"), Some("GET, POST, OPTIONS"));

    // Read-only: no SPARQL Update, no Graph Store writes.
    let a = answer(
        agent()
            .post(format!("{url}/update"))
            .header("Content-Type", "application/sparql-update")
            .send("CLEAR ALL"),
    );
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("--writable"), "{}", a.body);
    let a = answer(
        agent()
            .post(format!("{url}/update"))
            .send_form([("update", "CLEAR ALL")]),
    );
    assert_eq!(a.status, 403, "{}", a.body);
    let a = answer(agent().get(format!("{url}/update")).call());
    assert_eq!(a.status, 405);
    let a = answer(
        agent()
            .put(format!("{url}/store?default"))
            .header("Content-Type", "text/turtle")
            .send("<http://e/s> <http://e/p> <http://e/o> ."),
    );
    assert_eq!(a.status, 405, "{}", a.body);
    assert_eq!(count(&format!("{url}/query"), COUNT_ALL), quads.len());
}

#[test]
fn cors_headers_and_preflight() {
    let dir = tempdir();
    build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &[]);
    let url = &server.url;
    let a = answer(
        agent()
            .get(format!("{url}/query"))
            .query("query", "ASK {}")
            .header("Origin", "http://example.org")
            .call(),
    );
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    let pre = answer(
        agent()
            .options(format!("{url}/query"))
            .header("Origin", "http://example.org")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
            .call(),
    );
    assert_eq!(pre.status, 204);
    assert_eq!(pre.header("access-control-allow-origin"), Some("*"));
    let methods = pre.header("access-control-allow-methods").unwrap_or("");
    assert!(methods.contains("POST"), "{methods}");
    assert_eq!(
        pre.header("access-control-allow-headers"),
        Some("content-type")
    );

    let closed = newsgraph_serve(dir.path(), &["--no-cors"]);
    let a = answer(
        agent()
            .get(format!("{}/query", closed.url))
            .query("query", "ASK {}")
            .header("Origin", "http://example.org")
            .call(),
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.header("access-control-allow-origin"), None);
}

#[test]
fn timeout_and_result_limit() {
    let dir = tempdir();
    build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &["--timeout", "0.5", "--max-results", "10"]);
    let url = &server.url;
    // About 4.6e9 combinations: far longer than half a second.
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } GRAPH ?c { ?s3 ?p3 ?o3 } }";
    let started = Instant::now();
    let a = get_query(url, slow, "*/*");
    let took = started.elapsed();
    assert_eq!(a.status, 503, "{}", a.body);
    assert!(a.body.contains("timed out after 0.5s"), "{}", a.body);
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
    // The server still answers.
    assert_eq!(get_query(url, "ASK {}", "*/*").status, 200);

    let many = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }";
    let a = get_query(url, many, "*/*");
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("more than 10 results"), "{}", a.body);
    let a = get_query(url, &format!("{many} LIMIT 10"), "text/csv");
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body.lines().count(), 11);
    let a = get_query(
        url,
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
        "*/*",
    );
    assert_eq!(a.status, 422, "{}", a.body);
}

#[test]
fn graph_store_reads() {
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &[]);
    let url = &server.url;
    let merged = "https://w3id.org/newsgraph/graph/merged";
    let in_merged = quads
        .iter()
        .filter(|q| q.graph_name.to_string() == format!("<{merged}>"))
        .count();
    assert!(in_merged > 0);

    let a = answer(
        agent()
            .get(format!("{url}/store"))
            .query("graph", merged)
            .call(),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(
        a.content_type.starts_with("text/turtle"),
        "{}",
        a.content_type
    );
    assert_eq!(triples(&a.body, RdfFormat::Turtle), in_merged);
    let a = answer(
        agent()
            .get(format!("{url}/store"))
            .query("graph", merged)
            .header("Accept", "application/n-triples")
            .call(),
    );
    assert_eq!(triples(&a.body, RdfFormat::NTriples), in_merged);

    // The whole dataset, TriG by default, N-Quads and JSON-LD on request.
    let a = answer(agent().get(format!("{url}/store")).call());
    assert!(
        a.content_type.starts_with("application/trig"),
        "{}",
        a.content_type
    );
    assert_eq!(triples(&a.body, RdfFormat::TriG), quads.len());
    let a = answer(
        agent()
            .get(format!("{url}/store"))
            .header("Accept", "application/n-quads")
            .call(),
    );
    assert_eq!(triples(&a.body, RdfFormat::NQuads), quads.len());
    let a = answer(
        agent()
            .get(format!("{url}/store"))
            .header("Accept", "text/turtle")
            .call(),
    );
    assert_eq!(a.status, 406, "a dataset has no Turtle form: {}", a.body);

    // The default graph (empty in a build), and a graph that is not there.
    let a = answer(agent().get(format!("{url}/store?default")).call());
    assert_eq!(a.status, 200);
    assert_eq!(triples(&a.body, RdfFormat::Turtle), 0);
    let a = answer(
        agent()
            .get(format!("{url}/store"))
            .query("graph", "https://w3id.org/newsgraph/article/none")
            .call(),
    );
    assert_eq!(a.status, 404, "{}", a.body);
    let a = answer(
        agent()
            .head(format!("{url}/store"))
            .query("graph", merged)
            .call(),
    );
    assert_eq!(a.status, 200);
    assert!(a.body.is_empty());
}

#[test]
fn writable_accepts_updates() {
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &["--writable"]);
    let url = &server.url;
    let a = answer(
        agent()
            .post(format!("{url}/update"))
            .header("Content-Type", "application/sparql-update")
            .send("INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> \"o\" } }"),
    );
    assert_eq!(a.status, 204, "{}", a.body);
    let a = answer(agent().post(format!("{url}/update")).send_form([(
        "update",
        "INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> \"o2\" } }",
    )]));
    assert_eq!(a.status, 204, "{}", a.body);
    let q = format!("{url}/query");
    assert_eq!(
        count(
            &q,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/g> { ?s ?p ?o } }"
        ),
        2
    );
    let a = answer(
        agent()
            .post(format!("{url}/update"))
            .header("Content-Type", "application/sparql-update")
            .send("INSERT DATA { broken"),
    );
    assert_eq!(a.status, 400, "{}", a.body);

    // A web page elsewhere cannot make a browser write (a form POST needs no preflight);
    // the server's own page can.
    let a = answer(
        agent()
            .post(format!("{url}/update"))
            .header("Origin", "http://evil.example")
            .send_form([("update", "CLEAR ALL")]),
    );
    assert_eq!(a.status, 403, "{}", a.body);
    let own = url.clone();
    let a = answer(
        agent()
            .post(format!("{url}/update"))
            .header("Origin", own.as_str())
            .send_form([(
                "update",
                "INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> \"o\" } }",
            )]),
    );
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(
        count(
            &q,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/g> { ?s ?p ?o } }"
        ),
        2
    );

    // Graph Store writes: PUT creates (201) or replaces (204), POST adds, DELETE removes.
    let store = format!("{url}/store");
    let put = |body: &str| {
        answer(
            agent()
                .put(&store)
                .query("graph", "http://e/h")
                .header("Content-Type", "text/turtle")
                .send(body),
        )
    };
    let a = put("<http://e/s> <http://e/p> 1, 2, 3 .");
    assert_eq!(a.status, 201, "{}", a.body);
    let in_h = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/h> { ?s ?p ?o } }";
    assert_eq!(count(&q, in_h), 3);
    let a = put("<http://e/s> <http://e/p> 4 .");
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(count(&q, in_h), 1);
    let a = answer(
        agent()
            .post(&store)
            .query("graph", "http://e/h")
            .header("Content-Type", "application/n-triples")
            .send("<http://e/s> <http://e/p> \"5\" .\n"),
    );
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(count(&q, in_h), 2);
    let a = put("<http://e/s> <http://e/p> broken");
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(count(&q, in_h), 2, "bad data changes nothing");
    let a = answer(
        agent()
            .put(&store)
            .query("graph", "http://e/h")
            .header("Content-Type", "image/png")
            .send("x"),
    );
    assert_eq!(a.status, 415, "{}", a.body);
    let a = answer(agent().delete(&store).query("graph", "http://e/h").call());
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(count(&q, in_h), 0);
    let a = answer(agent().delete(&store).query("graph", "http://e/h").call());
    assert_eq!(a.status, 404, "{}", a.body);

    // An in-memory store forgets the updates at exit (the build's files are untouched);
    // the on-disk store of the `rocksdb` build keeps them.
    drop(server);
    let again = newsgraph_serve(dir.path(), &[]);
    let kept = if cfg!(feature = "rocksdb") { 2 } else { 0 };
    assert_eq!(
        count(&format!("{}/query", again.url), COUNT_ALL),
        quads.len() + kept
    );
}

#[test]
fn page_lists_example_queries() {
    let dir = tempdir();
    build(&["articles"], dir.path());
    let server = newsgraph_serve(dir.path(), &[]);
    let a = answer(agent().get(format!("{}/", server.url)).call());
    assert_eq!(a.status, 200);
    assert!(
        a.content_type.starts_with("text/html"),
        "{}",
        a.content_type
    );
    assert!(a.body.contains("<textarea"), "query box");
    assert!(a.body.contains("meetings.rq"), "example queries");
    assert!(a.body.contains("Read-only."));
    // Each example runs on the served build.
    for (name, text) in [
        (
            "meetings",
            include_str!("../../ontology/queries/meetings.rq"),
        ),
        (
            "officials",
            include_str!("../../ontology/queries/officials.rq"),
        ),
    ] {
        let r = get_query(&server.url, text, "text/csv");
        assert_eq!(r.status, 200, "{name}: {}", r.body);
        assert!(r.body.lines().count() > 1, "{name}: {}", r.body);
    }
}
