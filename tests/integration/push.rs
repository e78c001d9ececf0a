//! `newsgraph push` into a real Oxigraph server: the sample build over the Graph Store
//! Protocol (whole and split graphs) and over SPARQL Update, counts checked with SPARQL
//! COUNT, nothing duplicated by a second push, replace semantics, and retries through a
//! real socket that answers 503 once, and against a server that starts late.

use crate::servers::{count, free_port, oxigraph, oxigraph_bin, oxigraph_on, Running};
use crate::util::{build, tempdir};
use oxigraph::model::Quad;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn push(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .arg("push")
        .arg("--store")
        .arg(store)
        .arg("--quiet")
        .args(args)
        .output()
        .expect("run newsgraph push")
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "push failed: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Triples per graph in the build.
fn per_graph(quads: &[Quad]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for q in quads {
        *m.entry(q.graph_name.to_string()).or_insert(0) += 1;
    }
    m
}

/// Triples per graph on the server, by SPARQL.
fn server_per_graph(server: &Running) -> BTreeMap<String, usize> {
    let q = format!("{}/query", server.url);
    let mut m = BTreeMap::new();
    let a = crate::servers::answer(
        crate::servers::agent()
            .post(&q)
            .header("Accept", "text/tab-separated-values")
            .send_form([(
                "query",
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            )]),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    for line in a.body.lines().skip(1) {
        let mut cells = line.split('\t');
        let (Some(g), Some(n)) = (cells.next(), cells.next()) else {
            continue;
        };
        let n = n.split("^^").next().unwrap_or(n).trim_matches('"');
        m.insert(g.to_string(), n.parse().expect("count"));
    }
    m
}

const TOTAL: &str = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";

#[test]
fn push_sample_build_graph_store_and_update() {
    let Some(bin) = oxigraph_bin() else { return };
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let server = oxigraph(&bin);
    let store = format!("{}/store", server.url);
    let query = format!("{}/query", server.url);

    let s = ok(&push(dir.path(), &["--endpoint", &store]));
    assert!(
        s.contains(&format!("pushed {} triples in 3 graphs", quads.len())),
        "{s}"
    );
    assert!(s.contains(&format!("counts match at {query}")), "{s}");
    assert_eq!(count(&query, TOTAL), quads.len());
    assert_eq!(server_per_graph(&server), per_graph(&quads));

    // Again, each graph split into batches of 100 (PUT then POSTs), in N-Triples: the
    // same counts, nothing duplicated.
    let s = ok(&push(
        dir.path(),
        &[
            "--endpoint",
            &store,
            "--batch-size",
            "100",
            "--format",
            "n-triples",
        ],
    ));
    assert!(s.contains("counts match"), "{s}");
    let requests: usize = per_graph(&quads).values().map(|n| n.div_ceil(100)).sum();
    assert!(s.contains(&format!("({} requests", requests + 1)), "{s}");
    assert_eq!(server_per_graph(&server), per_graph(&quads));

    // Replace semantics: a triple added on the server to an article graph is gone after
    // the next push; a graph the build does not have stays.
    let update = format!("{}/update", server.url);
    let a = crate::servers::answer(crate::servers::agent().post(&update).send_form([(
        "update",
        "INSERT DATA { GRAPH <https://w3id.org/newsgraph/article/dawn-2021-09-12-spymasters> { <http://e/s> <http://e/p> <http://e/o> } GRAPH <http://e/other> { <http://e/s> <http://e/p> <http://e/o> } }",
    )]));
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(count(&query, TOTAL), quads.len() + 2);
    // Over SPARQL Update this time (DROP SILENT GRAPH + INSERT DATA batches).
    let s = ok(&push(
        dir.path(),
        &["--update-endpoint", &update, "--batch-size", "500"],
    ));
    assert!(s.contains(&format!("counts match at {query}")), "{s}");
    assert_eq!(count(&query, TOTAL), quads.len() + 1);
    let mut expected = per_graph(&quads);
    expected.insert("<http://e/other>".into(), 1);
    assert_eq!(server_per_graph(&server), expected);
}

#[test]
fn push_reports_http_errors() {
    let Some(bin) = oxigraph_bin() else { return };
    let dir = tempdir();
    build(&["articles"], dir.path());
    let server = oxigraph(&bin);
    // A path the server does not have: a 4xx is not retried, and the message says why.
    let started = Instant::now();
    let out = push(
        dir.path(),
        &["--endpoint", &format!("{}/nowhere", server.url)],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("answered 404"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // No target at all is a usage error.
    let out = push(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
}

/// A proxy on a real socket: the first request gets `503 Service Unavailable`, the
/// following connections are passed through to `upstream`. Stops after `max` connections.
fn flaky_proxy(upstream: String, max: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
    let addr = listener.local_addr().expect("proxy addr");
    std::thread::spawn(move || {
        for (i, conn) in listener.incoming().take(max).enumerate() {
            let Ok(mut client) = conn else { continue };
            if i == 0 {
                read_request(&mut client);
                let _ = client.write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbusy\n",
                );
                let _ = client.shutdown(Shutdown::Both);
                continue;
            }
            let Ok(server) = TcpStream::connect(&upstream) else {
                continue;
            };
            let (Ok(mut c2), Ok(mut s2)) = (client.try_clone(), server.try_clone()) else {
                continue;
            };
            let mut server = server;
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut server);
                let _ = server.shutdown(Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s2, &mut client);
                let _ = client.shutdown(Shutdown::Write);
            });
        }
    });
    format!("http://{addr}")
}

/// Reads one HTTP request (headers and a `Content-Length` body) from a socket.
fn read_request(s: &mut TcpStream) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let Ok(n) = s.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let Ok(n) = s.read(&mut chunk) else { return };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return;
        }
    }
}

#[test]
fn push_retries_after_503() {
    let Some(bin) = oxigraph_bin() else { return };
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let server = oxigraph(&bin);
    let upstream = server.url.trim_start_matches("http://").to_string();
    let proxy = flaky_proxy(upstream, 50);
    let s = ok(&push(
        dir.path(),
        &[
            "--endpoint",
            &format!("{proxy}/store"),
            "--query-endpoint",
            &format!("{}/query", server.url),
        ],
    ));
    assert!(s.contains("(4 requests, 1 retries)"), "{s}");
    assert!(s.contains("counts match"), "{s}");
    assert_eq!(server_per_graph(&server), per_graph(&quads));
}

#[test]
fn push_waits_for_a_server_that_starts_late() {
    let Some(bin) = oxigraph_bin() else { return };
    let dir = tempdir();
    let (_, quads) = build(&["articles"], dir.path());
    let port = free_port();
    // Nothing listens yet: the push retries (0.5 s, 1 s, 2 s, …) until the server is up.
    let child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["push", "--quiet", "--retries", "6", "--store"])
        .arg(dir.path())
        .args(["--endpoint", &format!("http://127.0.0.1:{port}/store")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start push");
    std::thread::sleep(Duration::from_millis(1200));
    let server = oxigraph_on(&bin, port);
    let out = child.wait_with_output().expect("push");
    let s = ok(&out);
    assert!(!s.contains(" 0 retries"), "{s}");
    assert!(s.contains("counts match"), "{s}");
    assert_eq!(server_per_graph(&server), per_graph(&quads));
}

#[test]
fn push_into_newsgraph_serve_writable() {
    // The target serves another build; the push replaces the graphs both have (the
    // merger's) and adds the others.
    let (target_dir, source_dir) = (tempdir(), tempdir());
    let (_, target_quads) = build(&["tests/fixtures/merge"], target_dir.path());
    let (_, quads) = build(&["articles"], source_dir.path());
    let server = crate::servers::newsgraph_serve(target_dir.path(), &["--writable"]);
    let s = ok(&push(
        source_dir.path(),
        &[
            "--endpoint",
            &format!("{}/store", server.url),
            "--batch-size",
            "200",
        ],
    ));
    assert!(
        s.contains(&format!("counts match at {}/query", server.url)),
        "{s}"
    );
    let mut expected = per_graph(&target_quads);
    expected.extend(per_graph(&quads));
    assert_eq!(server_per_graph(&server), expected);
}
