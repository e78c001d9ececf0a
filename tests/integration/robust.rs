//! Inputs as they come in the wild, built in one corpus: empty, blank and binary files,
//! invalid UTF-8, a BOM, CRLF, a 100 MB file, a 1 MB single line, control characters,
//! right-to-left text, zero-width and combining characters, an HTML page, UTF-16, JSONL
//! with bad records, standard input; exit codes; every output file re-parsed and every NIF
//! offset checked against the published text.

use crate::util::{assert_nif_offsets_exact, parse_outputs, root, tempdir};
use assert_cmd::Command;
use oxigraph::model::{Quad, Term};
use std::path::Path;

fn ng() -> Command {
    let mut c = Command::cargo_bin("newsgraph").expect("binary");
    c.current_dir(root());
    c
}

/// The objects of `predicate` in the graph of article `id`.
fn article_values(quads: &[Quad], id: &str, predicate: &str) -> Vec<String> {
    let graph = format!(
        "<https://w3id.org/newsgraph/article/{}>",
        newsgraph::rdf::encode_segment(id)
    );
    let in_graph: Vec<&Quad> = quads
        .iter()
        .filter(|q| q.graph_name.to_string() == graph)
        .collect();
    in_graph
        .iter()
        .filter(|q| q.predicate.as_str() == predicate)
        .map(|q| match &q.object {
            Term::Literal(l) => l.value().to_string(),
            Term::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        })
        .collect()
}

const IS_STRING: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString";

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).expect("write");
}

#[test]
fn wild_inputs_are_built_or_reported_and_outputs_stay_valid() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let article =
        std::fs::read_to_string(root().join("articles/news18-isi-hosts-intelligence-heads.txt"))
            .expect("sample");
    write(&input, "good.txt", &article);
    write(&input, "empty.txt", "");
    write(&input, "blank.txt", " \n\r\n\t \n");
    write(
        &input,
        "binary.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    );
    let mut latin1 = b"Talks in Beijing\n\nPakistan's army chief Gen Qamar Bajwa met Chinese officials in Beijing on Monday. The caf".to_vec();
    latin1.push(0xe9); // é in Latin-1: invalid UTF-8
    latin1.extend_from_slice(b" talks ended late.\n");
    write(&input, "latin1.txt", &latin1);
    write(&input, "bom.txt", format!("\u{feff}{article}"));
    write(&input, "crlf.txt", article.replace('\n', "\r\n"));
    // 100 MB: refused by its size, before it is read.
    {
        let f = std::fs::File::create(input.join("huge.txt")).expect("create");
        f.set_len(100 << 20).expect("grow");
    }
    // 1 MB on one line: an article paragraph, then prose without names.
    let para = article.replace('\n', " ");
    let filler = " and the weather stayed mild over the hills all week long";
    let mut line = para.clone();
    while line.len() < 1_000_000 {
        line.push_str(filler);
    }
    write(&input, "oneline.txt", &line);
    write(
        &input,
        "control.txt",
        "Spy chiefs\x07 meet\n\nISLAMABAD\x1b: Intelligence chief Lt Gen Faiz Hameed\x0b hosted Russian officials in Islamabad on Saturday.\x7f\x01 The talks\x0c lasted hours.\n",
    );
    write(
        &input,
        "rtl.txt",
        "\u{202b}رؤساء المخابرات يجتمعون في إسلام آباد\u{202c}\n\nISLAMABAD: \u{200f}قال مسؤولون\u{200f} إن Lt Gen Faiz Hameed met Iranian officials in Islamabad. שלום עולם Pakistan and Iran agreed to meet again in Tehran.\n",
    );
    write(
        &input,
        "zw.txt",
        "Envoys meet\n\nTu\u{308}rkiye's intelligence chief Ibrahim Kal\u{131}n met Jose\u{301} Garci\u{301}a in Ankara. Faiz\u{200b} Hameed and Ira\u{200d}n's envoy \u{1F600} joined the\u{200c} talks in Islamabad on Monday.\n",
    );
    write(
        &input,
        "page.html",
        r#"<!DOCTYPE html><html><head><title>Spy chiefs meet | Site</title>
<meta property="og:title" content="Spy chiefs meet in Islamabad">
<meta property="article:published_time" content="2021-09-12T10:00:00Z">
<link rel="canonical" href="https://news.example/spy-chiefs">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Spy chiefs meet in Islamabad</h1>
<p>ISLAMABAD: Pakistan's spy chief Lt Gen Faiz Hameed hosted the intelligence chiefs of China, Russia and Iran in Islamabad on Saturday.</p>
<p>The meeting focused on Afghanistan, officials said.</p></article>
<footer><p>Copyright Site. All rights reserved, with a long line about cookies and terms.</p></footer>
<script>var x = "Do not read this";</script></body></html>"#,
    );
    let good_record = serde_json::json!({
        "id": "j-good",
        "title": "Envoys meet",
        "published": "2024-03-05",
        "body": "ANKARA: Turkish intelligence chief Ibrahim Kalin met Russian officials in Ankara on Monday."
    });
    let empty_body = serde_json::json!({"id": "j-empty", "body": "  "});
    write(
        &input,
        "mixed.jsonl",
        format!("{good_record}\r\n{{not json}}\n{empty_body}\n"),
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Talks in Tehran\r\n\r\nIran's foreign minister met Pakistan's army chief Gen Qamar Bajwa in Tehran.\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    write(&input, "utf16.txt", &utf16);

    let out = dir.path().join("out");
    let o = ng()
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{err}");
    for (file, problem) in [
        ("empty.txt", "empty input"),
        ("blank.txt", "empty input"),
        ("binary.txt", "binary data"),
        ("huge.txt", "too large"),
        ("mixed.jsonl:2", "bad JSONL record"),
        ("mixed.jsonl:3", "empty body"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.starts_with("error: ") && l.contains(file) && l.contains(problem)),
            "no error naming {file} ({problem}):\n{err}"
        );
    }
    assert!(
        err.lines().any(|l| l.starts_with("warning: ")
            && l.contains("latin1.txt")
            && l.contains("invalid UTF-8 at byte offset 107")),
        "{err}"
    );
    // good, latin1, bom, crlf, oneline, control, rtl, zw, page, j-good, utf16.
    assert!(stdout.contains("built 11 articles"), "{stdout}\n{err}");

    let quads = parse_outputs(&out);
    let checked = assert_nif_offsets_exact(&quads);
    assert!(checked > 100, "only {checked} mentions");

    // The published text: a BOM is dropped, CRLF and control characters are kept.
    let text = |id: &str| -> String {
        let v = article_values(&quads, id, IS_STRING);
        assert_eq!(v.len(), 1, "{id}: {v:?}");
        v[0].clone()
    };
    assert_eq!(text("bom"), article);
    assert_eq!(text("crlf"), article.replace('\n', "\r\n"));
    assert!(text("control").contains('\x07'));
    assert!(text("latin1").contains("caf\u{fffd} talks"));
    assert!(text("zw").contains("Faiz\u{200b} Hameed"));
    assert!(text("utf16").starts_with("Talks in Tehran\r\n"));
    assert_eq!(text("oneline").chars().count(), line.chars().count());
    // The HTML page: main text without chrome, metadata from the head.
    let page = text("page");
    assert!(
        page.starts_with("Spy chiefs meet in Islamabad\n\nISLAMABAD:"),
        "{page}"
    );
    assert!(!page.contains("Do not read") && !page.contains("World") && !page.contains("cookies"));
    assert_eq!(
        article_values(&quads, "page", "http://schema.org/url"),
        vec!["https://news.example/spy-chiefs"]
    );
    assert_eq!(
        article_values(&quads, "page", "http://schema.org/datePublished"),
        vec!["2021-09-12"]
    );
    // Mentions were found in the repaired and unusual texts too.
    for id in [
        "latin1", "bom", "crlf", "control", "rtl", "zw", "page", "utf16",
    ] {
        let mentions = article_values(&quads, id, "http://schema.org/mentions");
        assert!(!mentions.is_empty(), "{id}: nothing found");
    }
}

#[test]
fn standard_input_is_an_article_or_jsonl() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let article = std::fs::read(root().join("articles/news18-isi-hosts-intelligence-heads.txt"))
        .expect("sample");
    let o = ng()
        .args(["build", "-", "--quiet", "--out"])
        .arg(&out)
        .write_stdin(article)
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let quads = parse_outputs(&out);
    assert!(!article_values(&quads, "stdin", "http://schema.org/mentions").is_empty());
    assert_nif_offsets_exact(&quads);

    let out2 = dir.path().join("out2");
    let rec = serde_json::json!({"id": "piped-1", "body": "ANKARA: Turkish intelligence chief Ibrahim Kalin met Russian officials in Ankara on Monday."});
    let o = ng()
        .args(["build", "-", "--quiet", "--out"])
        .arg(&out2)
        .write_stdin(format!("{rec}\n"))
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let quads = parse_outputs(&out2);
    assert_eq!(
        article_values(&quads, "piped-1", "http://schema.org/identifier"),
        vec!["piped-1"]
    );
}

#[test]
fn nothing_to_build_is_an_error_naming_the_failures() {
    let dir = tempdir();
    write(dir.path(), "empty.txt", "");
    let o = ng()
        .args(["build", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .arg(dir.path().join("empty.txt"))
        .arg(dir.path().join("missing.txt"))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no articles to build"), "{err}");
    assert!(err.contains("empty.txt: empty input"), "{err}");
    assert!(err.contains("missing.txt"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        vec!["build", "--max-article-mb", "0"],
        vec!["build", "--jobs", "many"],
        vec!["gen-corpus", "--seed", "1"],
        vec!["no-such-command"],
    ] {
        let o = ng().args(&args).output().expect("run");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}
