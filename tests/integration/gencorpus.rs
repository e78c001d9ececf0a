//! The synthetic corpus generator (`gen-corpus`): deterministic for a seed, readable by the
//! build; and the streamed writer against the all-in-memory reference on generated and
//! fixture corpora, byte for byte.

use crate::util::{root, tempdir};
use assert_cmd::Command;
use indicatif::ProgressBar;
use newsgraph::article::LoadOptions;
use newsgraph::export;
use newsgraph::lexicon::Lexicon;
use newsgraph::model::IdRegistry;
use newsgraph::pipeline::{self, BuildOptions};
use newsgraph::rdf;
use std::path::{Path, PathBuf};

fn ng() -> Command {
    let mut c = Command::cargo_bin("newsgraph").expect("binary");
    c.current_dir(root());
    c
}

/// Every file under `dir` (recursively: a build's article records too; not the on-disk
/// store), by relative path.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, v: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                // The on-disk store (feature `rocksdb`) keeps logs with times: its
                // contents are compared by the store tests, not byte by byte.
                if p.file_name().is_some_and(|n| n == "store") {
                    continue;
                }
                walk(root, &p, v);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                v.push((
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(&p).expect("read"),
                ));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

#[test]
fn same_seed_same_files_and_the_build_reads_them() {
    let dir = tempdir();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    for (out, seed) in [(&a, "5"), (&b, "5"), (&c, "6")] {
        let o = ng()
            .args(["gen-corpus", "--articles", "40", "--seed", seed, "--out"])
            .arg(out)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(files(&a).len(), 40);
    assert_eq!(files(&a), files(&b));
    assert_ne!(files(&a), files(&c));
    let out = dir.path().join("out");
    let o = ng()
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .arg(&a)
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("built 40 articles"), "{s}");
    // The articles are about officials meeting: the graph has officials and meetings.
    let n = |kind: &str| -> usize {
        s.split(['(', ',', ')'])
            .find_map(|part| {
                let mut w = part.split_whitespace();
                let num = w.next()?.parse::<usize>().ok()?;
                (w.next()? == kind).then_some(num)
            })
            .unwrap_or(0)
    };
    assert!(n("official") >= 20, "{s}");
    assert!(s.contains(" meetings"), "{s}");
}

/// Builds `inputs` through the streamed writer and through `rdf::to_quads` +
/// `export::write_all`, and compares every file.
fn assert_streamed_equals_reference(inputs: Vec<PathBuf>) {
    let dir = tempdir();
    let streamed = dir.path().join("streamed");
    let reference = dir.path().join("reference");
    pipeline::build(&BuildOptions::new(inputs.clone(), streamed.clone())).expect("build");
    let lex = Lexicon::load(&[]).expect("lexicon");
    let loaded = pipeline::load_articles(&inputs, &LoadOptions::default()).expect("load");
    let mut failed = Vec::new();
    let kg = pipeline::analyse(
        loaded.articles,
        &lex,
        &IdRegistry::default(),
        &ProgressBar::hidden(),
        &mut failed,
    );
    export::write_all(&reference, &rdf::to_quads(&kg)).expect("write");
    for f in [
        "graph.nq",
        "graph.trig",
        "graph.ttl",
        "graph.dot",
        "graph.svg",
    ] {
        let a = std::fs::read(streamed.join(f)).expect("streamed file");
        let b = std::fs::read(reference.join(f)).expect("reference file");
        assert!(
            a == b,
            "{f} differs between the streamed and the reference writer"
        );
    }
}

#[test]
fn streamed_files_equal_the_reference_on_fixtures() {
    assert_streamed_equals_reference(vec![
        root().join("articles"),
        root().join("tests/fixtures/articles"),
        root().join("tests/fixtures/merge/articles"),
    ]);
}

#[test]
fn streamed_files_equal_the_reference_on_a_generated_corpus() {
    let dir = tempdir();
    newsgraph::gen_corpus::write_corpus(
        newsgraph::gen_corpus::CorpusSpec {
            articles: 300,
            seed: 3,
        },
        dir.path(),
        newsgraph::gen_corpus::CorpusFormat::Txt,
    )
    .expect("corpus");
    assert_streamed_equals_reference(vec![dir.path().to_path_buf()]);
}

#[test]
fn one_thread_and_many_threads_write_the_same_files() {
    let dir = tempdir();
    let corpus = dir.path().join("corpus");
    newsgraph::gen_corpus::write_corpus(
        newsgraph::gen_corpus::CorpusSpec {
            articles: 120,
            seed: 11,
        },
        &corpus,
        newsgraph::gen_corpus::CorpusFormat::Jsonl,
    )
    .expect("corpus");
    let mut outputs = Vec::new();
    for jobs in ["1", "4"] {
        let out = dir.path().join(format!("out-{jobs}"));
        let o = ng()
            .args(["build", "--quiet", "--jobs", jobs, "--out"])
            .arg(&out)
            .arg(&corpus)
            .arg(root().join("tests/fixtures/articles"))
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outputs.push(files(&out));
    }
    // The graph files, ids.tsv, the manifest and one pack of every article's record.
    let packs: Vec<&(String, Vec<u8>)> = outputs[0]
        .iter()
        .filter(|(name, _)| name.starts_with("articles"))
        .collect();
    assert_eq!(packs.len(), 1, "one pack of records");
    let records = packs[0].1.iter().filter(|b| **b == b'\n').count();
    assert!(records >= 120, "{records} article records");
    assert_eq!(outputs[0].len(), 9);
    assert_eq!(outputs[0].len(), outputs[1].len());
    for (a, b) in outputs[0].iter().zip(&outputs[1]) {
        assert!(a == b, "{} differs between 1 and 4 threads", a.0);
    }
}

#[test]
fn streamed_files_equal_the_reference_when_ids_are_prefixes_of_others() {
    // "a" is a prefix of "a-1" and "a1": the union (Turtle) order of their NIF nodes differs
    // from the dataset order, and the writer takes its other path.
    let dir = tempdir();
    let text =
        std::fs::read_to_string(root().join("articles/news18-isi-hosts-intelligence-heads.txt"))
            .expect("sample");
    for id in ["a", "a-1", "a1", "a.b", "b"] {
        std::fs::write(dir.path().join(format!("{id}.txt")), &text).expect("write");
    }
    assert_streamed_equals_reference(vec![dir.path().to_path_buf()]);
}
