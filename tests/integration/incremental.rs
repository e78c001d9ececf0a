//! Incremental builds into one output directory: adding, replacing and removing articles,
//! never re-reading old inputs, changed lexicons, and builds killed (SIGKILL) at any moment.

use crate::util::{root, tempdir};
use newsgraph::outdir::OutDir;
use newsgraph::pipeline::{self, BuildOptions, BuildSummary, RemoveOptions};
use newsgraph::store::{Answer, GraphStore};
use oxigraph::io::{RdfFormat, RdfParser};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fixture articles, sorted.
fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/articles"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    p.file_stem().expect("stem").to_string_lossy().into_owned()
}

fn build_with(inputs: &[PathBuf], out: &Path, lexicons: &[PathBuf]) -> BuildSummary {
    let mut opts = BuildOptions::new(inputs.to_vec(), out.to_path_buf());
    opts.lexicons = lexicons.to_vec();
    pipeline::build(&opts).expect("build")
}

fn build(inputs: &[PathBuf], out: &Path) -> BuildSummary {
    build_with(inputs, out, &[])
}

fn remove(ids: &[String], out: &Path) -> BuildSummary {
    let opts = RemoveOptions {
        ids: ids.to_vec(),
        out: out.to_path_buf(),
        lexicons: Vec::new(),
        progress: false,
    };
    pipeline::remove(&opts).expect("remove")
}

/// Every file under `dir` (the on-disk store's files excepted) by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.expect("entry").path();
            let rel = p
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            if p.is_dir() {
                if rel != "store" {
                    walk(base, &p, out);
                }
            } else {
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A snapshot as a build's contents, whatever history made it: the article records by id
/// instead of the packs that hold them (packs depend on which build wrote what), and the
/// manifest's record entries reduced to their digests.
fn logical(snap: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let mut out: BTreeMap<String, Vec<u8>> = snap
        .iter()
        .filter(|(k, _)| !k.starts_with("articles/") && *k != "manifest.json")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&snap["manifest.json"]).expect("the manifest parses");
    let articles = manifest["articles"].as_object_mut().expect("articles");
    for (id, entry) in articles.iter_mut() {
        let pack = &snap[record_file(entry).expect("a pack")];
        let at = |k: &str| entry[k].as_u64().expect("offset and length") as usize;
        let (offset, len) = (at("offset"), at("len"));
        out.insert(format!("record/{id}"), pack[offset..offset + len].to_vec());
        *entry = entry["digest"].clone();
    }
    out.insert(
        "manifest.json".into(),
        serde_json::to_vec_pretty(&manifest).expect("json"),
    );
    out
}

/// Only the files that show the graph.
fn graph_files(snap: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    snap.iter()
        .filter(|(k, _)| k.starts_with("graph.") || *k == "meeting.svg")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Asserts two sets of files are equal, naming the first file and line that differ.
fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let (ka, kb): (Vec<&String>, Vec<&String>) = (a.keys().collect(), b.keys().collect());
    assert_eq!(ka, kb, "{what}: not the same files");
    for (k, x) in a {
        let y = &b[k];
        if x != y {
            let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
            let line = x
                .lines()
                .zip(y.lines())
                .position(|(p, q)| p != q)
                .unwrap_or(0);
            panic!(
                "{what}: {k} differs at line {}:\n  {}\n  {}",
                line + 1,
                x.lines().nth(line).unwrap_or("<end>"),
                y.lines().nth(line).unwrap_or("<end>")
            );
        }
    }
}

/// The quads of each named graph of an RDF file, as sorted N-Quads lines.
fn graphs_of(bytes: &[u8], format: RdfFormat) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for q in RdfParser::from_format(format).for_slice(bytes) {
        let q = q.unwrap_or_else(|e| panic!("does not parse as {format}: {e}"));
        out.entry(q.graph_name.to_string())
            .or_default()
            .insert(q.to_string());
    }
    out
}

fn article_graph(id: &str) -> String {
    format!("<https://w3id.org/newsgraph/article/{id}>")
}

#[test]
fn adding_articles_gives_the_graph_of_building_them_at_once() {
    let all = fixtures();
    // These articles name no entity of the others in another spelling: adding them gives
    // the same files, byte for byte, as building everything at once.
    let late = [
        "china-mfa-wang-yi-meets-sullivan",
        "eu-kallas-video-conference-eastern-partners",
        "gulf-jordan-iraq-fm-amman",
        "latam-vieira-werthein-brasilia",
        "ng-daily-ribadu-chad-security-abuja",
        "whitehouse-readout-sullivan-wang-geneva",
    ];
    let (b, a): (Vec<PathBuf>, Vec<PathBuf>) = all
        .iter()
        .cloned()
        .partition(|p| late.contains(&stem(p).as_str()));
    assert_eq!(b.len(), late.len());
    let step = tempdir();
    let first = build(&a, step.path());
    assert_eq!(first.changes.added.len(), 14);
    let second = build(&b, step.path());
    assert_eq!(second.articles, 20);
    assert_eq!(second.changes.added.len(), 6);
    assert_eq!(second.changes.kept, 14);
    assert!(second
        .line()
        .starts_with("built 20 articles (6 added, 14 kept): "));
    let once = tempdir();
    let whole = build(&all, once.path());
    assert_eq!(whole.quads, second.quads);
    assert_same(
        &logical(&snapshot(once.path())),
        &logical(&snapshot(step.path())),
        "A then B vs A+B",
    );
}

#[test]
fn adding_articles_keeps_older_iris_and_the_rest_of_the_graph() {
    // The second half names people of the first in other spellings ("Alexandr Bortnikov"):
    // the IRIs of the first build stay, and the graph is otherwise that of one build.
    let all = fixtures();
    let (a, b) = all.split_at(10);
    let step = tempdir();
    build(a, step.path());
    let before = graphs_of(
        &std::fs::read(step.path().join("graph.nq")).expect("nq"),
        RdfFormat::NQuads,
    );
    let iris = |g: &BTreeMap<String, BTreeSet<String>>| -> BTreeSet<String> {
        g.values()
            .flatten()
            .flat_map(|q| q.split(' ').take(1).map(str::to_string).collect::<Vec<_>>())
            .filter(|s| s.starts_with("<https://w3id.org/newsgraph/id/"))
            .collect()
    };
    let second = build(b, step.path());
    // Building the same again changes nothing: the links to joined IRIs stay.
    let snap = snapshot(step.path());
    build(b, step.path());
    assert_same(&snap, &snapshot(step.path()), "the same build again");
    let once = tempdir();
    let whole = build(&all, once.path());
    assert_eq!(
        (&second.entities, second.meetings),
        (&whole.entities, whole.meetings)
    );
    let after = graphs_of(
        &std::fs::read(step.path().join("graph.nq")).expect("nq"),
        RdfFormat::NQuads,
    );
    let fresh = graphs_of(
        &std::fs::read(once.path().join("graph.nq")).expect("nq"),
        RdfFormat::NQuads,
    );
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    // The same facts but for the links from kept IRIs to joined ones.
    let facts = |g: &BTreeMap<String, BTreeSet<String>>| -> usize {
        g.values()
            .flatten()
            .filter(|q| !q.contains("owl#sameAs> <https://w3id.org/newsgraph/id/"))
            .count()
    };
    assert_eq!(facts(&after), facts(&fresh));
    // An IRI of the first build stays, or a new article joined its entity or meeting to
    // another one and the merger's graph links it with owl:sameAs.
    let linked: BTreeSet<String> = after
        .values()
        .flatten()
        .filter_map(|q| {
            let mut parts = q.splitn(3, ' ');
            let (_, p, rest) = (parts.next()?, parts.next()?, parts.next()?);
            (p == "<http://www.w3.org/2002/07/owl#sameAs>")
                .then(|| rest.split(' ').next().unwrap_or("").to_string())
        })
        .collect();
    let (kept, now) = (iris(&before), iris(&after));
    let lost: Vec<&String> = kept
        .difference(&now)
        .filter(|i| !linked.contains(*i))
        .collect();
    assert!(lost.is_empty(), "IRIs of the first build lost: {lost:?}");
    assert_ne!(
        iris(&fresh),
        now,
        "some IRI differs from a fresh build (else this test shows nothing)"
    );
}

#[test]
fn rebuilding_an_article_replaces_its_graph() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let picked: Vec<PathBuf> = fixtures().into_iter().take(3).collect();
    for f in &picked {
        std::fs::copy(f, input.join(f.file_name().expect("name"))).expect("copy");
    }
    let out = tmp.path().join("out");
    build(std::slice::from_ref(&input), &out);
    let before = graphs_of(
        &std::fs::read(out.join("graph.nq")).expect("nq"),
        RdfFormat::NQuads,
    );
    // The same article again: nothing changes.
    let target = input.join(picked[1].file_name().expect("name"));
    let id = stem(&target);
    let snap = snapshot(&out);
    let again = build(std::slice::from_ref(&target), &out);
    assert_eq!(again.changes.unchanged, vec![id.clone()]);
    assert_eq!(again.changes.kept, 2);
    assert_same(&snap, &snapshot(&out), "rebuilding an unchanged article");
    // A new text under the same id replaces the article's graph.
    let text = std::fs::read_to_string(&picked[1]).expect("read");
    let cut: String = text.lines().take(6).collect::<Vec<_>>().join("\n");
    std::fs::write(&target, format!("{cut}\n")).expect("write");
    let replaced = build(std::slice::from_ref(&target), &out);
    assert_eq!(replaced.changes.replaced, vec![id.clone()]);
    assert_eq!(replaced.articles, 3);
    let after = graphs_of(
        &std::fs::read(out.join("graph.nq")).expect("nq"),
        RdfFormat::NQuads,
    );
    let g = article_graph(&id);
    assert!(
        after[&g].len() < before[&g].len(),
        "the shorter text has fewer facts"
    );
    for other in picked.iter().filter(|p| stem(p) != id) {
        let g = article_graph(&stem(other));
        assert_eq!(before[&g], after[&g], "{g} is kept as it was");
    }
    // The graph of building the three (one of them new) at once, but for ids that the
    // registry keeps (a meeting of the old text keeps its id reserved).
    let fresh = tmp.path().join("fresh");
    let whole = build(std::slice::from_ref(&input), &fresh);
    assert_eq!(
        (replaced.quads, &replaced.entities, replaced.meetings),
        (whole.quads, &whole.entities, whole.meetings)
    );
    let fresh = graphs_of(
        &std::fs::read(fresh.join("graph.nq")).expect("nq"),
        RdfFormat::NQuads,
    );
    assert_eq!(after[&g].len(), fresh[&g].len());
    let text = |gr: &BTreeSet<String>| -> Vec<String> {
        gr.iter()
            .filter(|q| q.contains("nif-core#isString"))
            .cloned()
            .collect()
    };
    assert_eq!(text(&after[&g]), text(&fresh[&g]));
    // One record per article: the replaced one is gone.
    let records = OutDir::open(&out)
        .expect("open")
        .load_records()
        .expect("records");
    assert_eq!(records.len(), 3);
}

#[test]
fn removing_articles_deletes_what_only_they_asserted() {
    let all = fixtures();
    let (a, b) = all.split_at(10);
    let out = tempdir();
    build(a, out.path());
    build(b, out.path());
    let ids: Vec<String> = b.iter().map(|p| stem(p)).collect();
    let s = remove(&ids, out.path());
    assert_eq!(s.changes.removed.len(), 10);
    assert_eq!(s.changes.kept, 10);
    assert_eq!(s.articles, 10);
    let alone = tempdir();
    build(a, alone.path());
    assert_same(
        &graph_files(&snapshot(alone.path())),
        &graph_files(&snapshot(out.path())),
        "A+B minus B vs A",
    );
    // Whatever readers open (the on-disk store with the rocksdb feature) shows the same.
    {
        let store = GraphStore::open(out.path()).expect("open");
        assert_eq!(store.len().expect("len"), s.quads);
        assert_eq!(store.graph_count().expect("graphs"), 11);
    }
    let records = OutDir::open(out.path()).expect("open");
    assert_eq!(records.load_records().expect("records").len(), 10);
    // An article IRI names an article too; removing the last one leaves an empty graph.
    let iris: Vec<String> = a
        .iter()
        .map(|p| format!("https://w3id.org/newsgraph/article/{}", stem(p)))
        .collect();
    let empty = remove(&iris, out.path());
    assert_eq!((empty.articles, empty.quads), (0, 0));
    assert_eq!(
        GraphStore::open(out.path())
            .expect("open")
            .len()
            .expect("len"),
        0
    );
    assert!(!out.path().join("meeting.svg").exists());
}

#[test]
fn the_meeting_picture_goes_with_the_last_meeting() {
    let tmp = tempdir();
    let quiet = tmp.path().join("profile.txt");
    std::fs::write(&quiet, "Profile\n\nIslamabad is the capital of Pakistan.\n").expect("write");
    let out = tmp.path().join("out");
    let meeting = fixtures().into_iter().next().expect("a fixture");
    let s = build(&[meeting.clone(), quiet], &out);
    assert!(s.meetings > 0);
    assert!(out.join("meeting.svg").is_file());
    let s = remove(&[stem(&meeting)], &out);
    assert_eq!(s.meetings, 0);
    assert!(!out.join("meeting.svg").exists());
    let manifest = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    assert!(!manifest.contains("meeting.svg"), "{manifest}");
}

#[test]
fn old_inputs_are_never_read_again() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let all = fixtures();
    for f in &all[..3] {
        std::fs::copy(f, input.join(f.file_name().expect("name"))).expect("copy");
    }
    let newcomer = all[3].clone();
    let fresh = tmp.path().join("fresh");
    build(&[input.clone(), newcomer.clone()], &fresh);
    let out = tmp.path().join("out");
    build(std::slice::from_ref(&input), &out);
    // The old inputs are gone: a build that needed them would fail.
    std::fs::remove_dir_all(&input).expect("rm");
    let s = build(std::slice::from_ref(&newcomer), &out);
    assert_eq!((s.articles, s.changes.kept), (4, 3));
    assert_same(
        &logical(&snapshot(&fresh)),
        &logical(&snapshot(&out)),
        "built from records vs from inputs",
    );
}

#[test]
fn kept_articles_are_extracted_again_when_the_lexicons_change() {
    let tmp = tempdir();
    let lexicon = tmp.path().join("lexicon");
    std::fs::create_dir_all(&lexicon).expect("mkdir");
    std::fs::write(
        lexicon.join("organizations.tsv"),
        "id\tname\tacronyms\tkind\tcountry\taliases\nquenzar\tQuenzar Group\tQZG\tngo\t\t\n",
    )
    .expect("write");
    let a = tmp.path().join("a.txt");
    std::fs::write(
        &a,
        "Talks\n\nOfficials of the QZG met Pakistan's foreign minister in Islamabad on Monday.\n",
    )
    .expect("write");
    let b = fixtures().into_iter().next().expect("a fixture");
    let out = tmp.path().join("out");
    let with = build_with(
        std::slice::from_ref(&a),
        &out,
        std::slice::from_ref(&lexicon),
    );
    let plain = tmp.path().join("plain");
    let without = build(std::slice::from_ref(&a), &plain);
    assert_ne!(
        with.entities, without.entities,
        "the extra lexicon makes a difference"
    );
    // Adding b without the extra lexicon extracts a again, from its record.
    let s = build(std::slice::from_ref(&b), &out);
    assert_eq!((s.changes.reextracted, s.changes.kept), (1, 1));
    let fresh = tmp.path().join("fresh");
    build(&[a, b], &fresh);
    assert_same(
        &graph_files(&snapshot(&fresh)),
        &graph_files(&snapshot(&out)),
        "after a lexicon change vs fresh",
    );
}

fn ng(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .output()
        .expect("run newsgraph")
}

#[test]
fn cli_reports_changes_and_refuses_unknown_ids() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let all = fixtures();
    let o = ng(&[
        "build".as_ref(),
        all[0].as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    assert!(o.status.success());
    let o = ng(&[
        "build".as_ref(),
        all[1].as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stdout.starts_with("built 2 articles (1 added, 1 kept): "),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("added: {}", stem(&all[1]))),
        "{stderr}"
    );
    // An unknown id: exit 2, the id named, nothing changed.
    let before = snapshot(&out);
    let o = ng(&[
        "remove".as_ref(),
        stem(&all[0]).as_ref(),
        "no-such-article".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("\"no-such-article\""), "{stderr}");
    assert!(
        stderr.contains(&stem(&all[1])),
        "lists the ids it holds: {stderr}"
    );
    assert_same(&before, &snapshot(&out), "after a refused remove");
    // A directory without a build: exit 2.
    let o = ng(&[
        "remove".as_ref(),
        "x".as_ref(),
        "--out".as_ref(),
        tmp.path().join("nothing").as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds no newsgraph build"));
    // A known id.
    let o = ng(&[
        "remove".as_ref(),
        stem(&all[0]).as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("built 1 articles (1 removed, 1 kept): "),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn a_directory_of_an_older_newsgraph_is_replaced_with_a_note() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    // Graph files, no manifest: what builds wrote before incremental builds.
    std::fs::write(
        out.join("graph.nq"),
        "<http://e/a> <http://e/p> <http://e/b> <http://e/g> .\n",
    )
    .expect("write");
    let all = fixtures();
    let o = ng(&[
        "build".as_ref(),
        all[0].as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "-q".as_ref(),
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("note: "));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("built 1 articles (1 added): "));
    let nq = std::fs::read_to_string(out.join("graph.nq")).expect("nq");
    assert!(!nq.contains("<http://e/a>"));
    assert!(out.join("manifest.json").is_file());
}

/// Copies a directory tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let p = e.path();
        let q = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &q);
        } else {
            std::fs::copy(&p, &q).expect("copy");
        }
    }
}

/// The files under `dir` (the store excepted) with their inode: a file renamed into place
/// has a new one.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeSet<(String, u64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeSet::new();
    for d in [dir.to_path_buf(), dir.join("articles")] {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            if let Ok(m) = e.metadata() {
                if m.is_file() {
                    out.insert((e.path().to_string_lossy().into_owned(), m.ino()));
                }
            }
        }
    }
    out
}

/// How many files under `dir` were written since `before` (temporary files excepted).
#[cfg(unix)]
fn written_since(dir: &Path, before: &BTreeSet<(String, u64)>) -> usize {
    inodes(dir)
        .iter()
        .filter(|f| !f.0.ends_with(".tmp") && !before.contains(*f))
        .count()
}

/// When to kill a run.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// This long after the start.
    After(Duration),
    /// As soon as this many files have been written.
    Written(usize),
}

/// Runs newsgraph in `dir` and kills it (SIGKILL) at `when`; returns whether it was still
/// running then.
#[cfg(unix)]
fn run_and_kill(args: &[&std::ffi::OsStr], dir: &Path, when: Kill) -> bool {
    let before = inodes(dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(300);
    match when {
        Kill::After(d) => std::thread::sleep(d),
        Kill::Written(n) => {
            while written_since(dir, &before) < n
                && child.try_wait().expect("wait").is_none()
                && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
    }
    let running = child.try_wait().expect("wait").is_none();
    child.kill().ok();
    child.wait().expect("wait");
    running
}

/// Runs newsgraph to its end; returns its exit code.
fn run(args: &[&std::ffi::OsStr]) -> Option<i32> {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run newsgraph")
        .code()
}

/// The file a manifest entry names: the pack of a packed record.
fn record_file(entry: &serde_json::Value) -> Option<&str> {
    entry["pack"].as_str()
}

/// A snapshot without the records that its manifest does not name (leftovers that the
/// next commit deletes).
fn committed(snap: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&snap["manifest.json"]).expect("the manifest parses");
    let named: BTreeSet<&str> = manifest["articles"]
        .as_object()
        .expect("articles")
        .values()
        .filter_map(record_file)
        .collect();
    snap.iter()
        .filter(|(k, _)| !k.starts_with("articles/") || named.contains(k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// What a killed run left: every file is whole (the old or the new one, byte for byte),
/// every RDF file parses, every article graph in it is the old or the new one whole, and
/// the directory is readable.
fn assert_whole(
    dir: &Path,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let now = snapshot(dir);
    for (name, bytes) in &now {
        if name.ends_with(".tmp") {
            continue;
        }
        assert!(
            old.get(name) == Some(bytes) || new.get(name) == Some(bytes),
            "{what}: {name} is neither the old nor the new file"
        );
    }
    for (name, format) in [
        ("graph.nq", RdfFormat::NQuads),
        ("graph.trig", RdfFormat::TriG),
        ("graph.ttl", RdfFormat::Turtle),
    ] {
        let bytes = now.get(name).unwrap_or_else(|| panic!("{what}: no {name}"));
        let graphs = graphs_of(bytes, format);
        if format == RdfFormat::Turtle {
            continue;
        }
        let (was, will) = (graphs_of(&old[name], format), graphs_of(&new[name], format));
        for (g, quads) in &graphs {
            assert!(
                was.get(g) == Some(quads) || will.get(g) == Some(quads),
                "{what}: {g} in {name} is neither the old nor the new graph"
            );
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&now["manifest.json"]).expect("the manifest parses");
    for file in manifest["articles"].as_object().expect("articles").values() {
        let file = record_file(file).expect("a record file");
        assert!(
            now.contains_key(file),
            "{what}: the manifest names {file}, which is missing"
        );
    }
    // Readers open it (the on-disk store with the rocksdb feature), each graph whole.
    let counts = |nq: &[u8]| -> BTreeMap<String, usize> {
        graphs_of(nq, RdfFormat::NQuads)
            .into_iter()
            .map(|(g, q)| (g, q.len()))
            .collect()
    };
    let (was, will) = (counts(&old["graph.nq"]), counts(&new["graph.nq"]));
    let store = GraphStore::open(dir).unwrap_or_else(|e| panic!("{what}: cannot open: {e}"));
    let q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g";
    let Answer::Solutions { rows, .. } = store.query(q).expect("query") else {
        panic!("not a select")
    };
    for r in rows {
        let (Some(g), Some(oxigraph::model::Term::Literal(n))) = (&r[0], &r[1]) else {
            panic!("{what}: bad row {r:?}")
        };
        let n: usize = n.value().parse().expect("a count");
        let g = g.to_string();
        assert!(
            was.get(&g) == Some(&n) || will.get(&g) == Some(&n),
            "{what}: the store's {g} has {n} quads, neither the old nor the new count"
        );
    }
}

/// The build, then the removal, killed (SIGKILL) after each of their writes in turn, and
/// once while still reading: each time every file and every article graph is whole, and
/// the same command run again gives the directory of an uninterrupted run, byte for byte.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_every_file_and_article_whole() {
    let tmp = tempdir();
    let (old_in, new_in) = (tmp.path().join("old"), tmp.path().join("new"));
    std::fs::create_dir_all(&old_in).expect("mkdir");
    std::fs::create_dir_all(&new_in).expect("mkdir");
    let all: Vec<PathBuf> = fixtures().into_iter().step_by(2).collect();
    // Before: copy 0 of half the fixtures. The build adds copy 1 of each and gives two of
    // copy 0 new texts (replacing them).
    for (i, f) in all.iter().enumerate() {
        let s = stem(f);
        std::fs::copy(f, old_in.join(format!("{s}-0.txt"))).expect("copy");
        std::fs::copy(f, new_in.join(format!("{s}-1.txt"))).expect("copy");
        if i % 5 == 3 {
            let other = &all[(i + 1) % all.len()];
            std::fs::copy(other, new_in.join(format!("{s}-0.txt"))).expect("copy");
        }
    }
    let before = tmp.path().join("before");
    build(std::slice::from_ref(&old_in), &before);
    let removed: Vec<String> = all
        .iter()
        .step_by(3)
        .map(|p| format!("{}-1", stem(p)))
        .collect();
    let build_args = |dir: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "build".into(),
            new_in.clone().into(),
            "--out".into(),
            dir.into(),
            "-q".into(),
        ]
    };
    let remove_args = |dir: &Path| -> Vec<std::ffi::OsString> {
        let mut v: Vec<std::ffi::OsString> = vec!["remove".into()];
        v.extend(removed.iter().map(Into::into));
        v.extend(["--out".into(), dir.into(), "-q".into()]);
        v
    };
    type Args<'a> = &'a dyn Fn(&Path) -> Vec<std::ffi::OsString>;
    let steps: [(&str, Args<'_>); 2] = [("build", &build_args), ("remove", &remove_args)];
    let mut start = before;
    let mut killed = 0;
    for (name, args) in steps {
        let old = snapshot(&start);
        // The uninterrupted run.
        let reference = tmp.path().join(format!("{name}-reference"));
        copy_dir(&start, &reference);
        let a = args(&reference);
        let a: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
        assert_eq!(run(&a), Some(0), "{name} failed");
        let new = snapshot(&reference);
        assert!(
            new.keys().all(|k| !k.ends_with(".tmp")),
            "an uninterrupted run leaves no temporary file"
        );
        // Kill once while reading, then after the 1st, 2nd, … write (at most 8 stops).
        let writes = new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).count();
        let mut stops: Vec<Kill> = vec![Kill::After(Duration::from_millis(30))];
        let step = writes.div_ceil(8).max(1);
        stops.extend((1..=writes).step_by(step).map(Kill::Written));
        for (i, &when) in stops.iter().enumerate() {
            let dir = tmp.path().join(format!("{name}-{i}"));
            copy_dir(&start, &dir);
            let a = args(&dir);
            let a: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
            let running = run_and_kill(&a, &dir, when);
            killed += usize::from(running);
            let what = format!("{name} killed at {when:?}");
            assert_whole(&dir, &old, &new, &what);
            let left = snapshot(&dir);
            let renewed = left
                .iter()
                .filter(|(k, v)| new.get(*k) == Some(*v) && old.get(*k) != Some(*v))
                .count();
            eprintln!(
                "{what}: {}; {renewed} of {writes} files new, {} temporary",
                if running { "killed" } else { "had ended" },
                left.keys().filter(|k| k.ends_with(".tmp")).count()
            );
            // Run again, it gives what the uninterrupted run gave. A removal that was
            // committed before the kill is refused (its ids are gone) and changes nothing
            // but leftovers.
            let code = run(&a);
            let now = snapshot(&dir);
            match code {
                Some(0) => assert_same(&new, &now, &format!("{what}, then run again")),
                Some(2) if name == "remove" => {
                    assert_same(&new, &committed(&now), &format!("{what}, then refused"))
                }
                other => panic!("{what}, then run again: exit code {other:?}"),
            }
        }
        std::fs::remove_dir_all(&start).ok();
        start = reference;
    }
    assert!(
        killed >= 10,
        "only {killed} runs were killed before their end"
    );
}
