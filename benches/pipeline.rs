//! Benchmark of the whole build on synthetic corpora (`gen-corpus`) of 1k, 10k and 100k
//! articles: articles/s, MB/s and peak memory of each stage (load, extraction, merge, file
//! export, store load), the end-to-end rate (load + extraction + merge + file export), how
//! the time grows per 10× articles, and the store load against `oxigraph load` on the same
//! N-Quads (the `oxigraph` CLI from PyPI `oxigraph`, found on PATH or through
//! `OXIGRAPH_CLI`; the bench says so when it is absent). Then it times the `newsgraph
//! build` command, in a process of its own, on the same corpus into a fresh directory: the
//! command overlaps some stages (lexicons read while articles load, records written during
//! the merge) and starts with a fresh process, so its time is the end to end a user sees.
//!
//! Sizes up to 2,000 articles are built five times and sizes up to 20,000 three times
//! (stages and command alike), and the median is reported with the range of the runs: a
//! half-second build on a shared machine varies by a third from one run to the next.
//!
//! Run: `cargo bench --bench pipeline` (all three sizes), `-- --quick` (1k and 10k), or
//! `-- --sizes 2000,20000 --seed 7 --threads 2`. The store load (Oxigraph's in-memory store,
//! about 650 bytes per quad) is measured up to 20k articles (`--store-up-to N`).

use newsgraph::article::LoadOptions;
use newsgraph::gen_corpus::{write_corpus, CorpusFormat, CorpusSpec};
use newsgraph::lexicon::Lexicon;
use newsgraph::model::IdRegistry;
use newsgraph::outdir::{Generation, OutDir};
use newsgraph::pipeline;
use newsgraph::store::GraphStore;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

// The same allocator as the `newsgraph` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Peak resident memory (VmHWM) in bytes, when the platform tells.
fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time (user + system) of the process so far, when the platform tells: contention from
/// other processes on a shared machine shows as wall time above CPU time / threads.
fn cpu_time() -> Option<Duration> {
    stat_times(11)
}

/// CPU time (user + system) of the child processes waited for so far, when the platform
/// tells.
fn children_cpu_time() -> Option<Duration> {
    stat_times(13)
}

/// The sum of the two CPU times of `/proc/self/stat` from field `first` (counted after the
/// process state: 11 is utime, 13 cutime).
fn stat_times(first: usize) -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(first)?.parse::<u64>().ok()? + f.get(first + 1)?.parse::<u64>().ok()?;
    // /proc reports in USER_HZ, 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// Resets the peak to the current resident memory (Linux), so each stage gets its own peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

struct Stage {
    name: &'static str,
    time: Duration,
    cpu: Option<Duration>,
    peak: Option<u64>,
    bytes: u64,
}

fn timed<T>(name: &'static str, bytes: u64, f: impl FnOnce() -> T) -> (T, Stage) {
    reset_peak();
    let cpu0 = cpu_time();
    let t = Instant::now();
    let v = f();
    let time = t.elapsed();
    let cpu = cpu_time().zip(cpu0).map(|(b, a)| b.saturating_sub(a));
    (
        v,
        Stage {
            name,
            time,
            cpu,
            peak: peak_rss(),
            bytes,
        },
    )
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn oxigraph_cli() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OXIGRAPH_CLI") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("oxigraph"))
        .find(|p| p.is_file())
}

struct Run {
    n: usize,
    stages: Vec<Stage>,
    end_to_end: Duration,
    /// The whole `newsgraph build` of the corpus into a fresh directory, as the command
    /// runs it (lexicons read while articles load, records written during the merge, ...).
    build: Stage,
    /// The shortest and longest end-to-end time of the stages' runs.
    range: (Duration, Duration),
    /// The shortest and longest time of the command's runs.
    build_range: (Duration, Duration),
    /// How many times each was run (the median is reported).
    times: usize,
    quads: usize,
    oxigraph: Option<Duration>,
}

/// Oxigraph's in-memory store takes about 650 bytes per quad: past this many articles
/// (about 420 quads each) the store load is not measured unless asked (`--store-up-to`).
const STORE_UP_TO: usize = 20_000;

/// How many times a size is built (stages and command alike): a build of 1k articles takes
/// half a second, and on a shared machine (a VM whose host backs freshly touched memory
/// lazily) one run of it can take 30 % longer than the next with the same CPU time in user
/// space, so the small sizes report the median of several runs and their range.
fn repeats(n: usize) -> usize {
    match n {
        0..=2_000 => 5,
        2_001..=20_000 => 3,
        _ => 1,
    }
}

/// The median of `runs` (by `key`; the upper one of an even count) and the range of `key`.
fn median_of<T>(mut runs: Vec<T>, key: impl Fn(&T) -> Duration) -> (T, Duration, Duration) {
    runs.sort_by_key(|r| key(r));
    let lo = runs.first().map(&key).unwrap_or_default();
    let hi = runs.last().map(&key).unwrap_or_default();
    let mid = runs.len() / 2;
    let median = runs.swap_remove(mid);
    (median, lo, hi)
}

/// One build of the corpus stage by stage in this process: the stages' times and what the
/// export wrote (into `out`, emptied first).
fn stages(
    n: usize,
    corpus: &Path,
    out: &Path,
    input_bytes: u64,
    lex: &Lexicon,
) -> (Vec<Stage>, Duration, usize) {
    let _ = std::fs::remove_dir_all(out);
    let show = n >= 10_000;
    let (loaded, s_load) = timed("load", input_bytes, || {
        pipeline::load_articles(&[corpus.to_path_buf()], &LoadOptions::default()).expect("load")
    });
    assert_eq!(loaded.articles.len(), n, "failed: {:?}", loaded.failed);
    let mut failed = Vec::new();
    let bar = newsgraph::progress::bar(show, n, "extracting");
    let (items, s_extract) = timed("extraction", input_bytes, || {
        pipeline::extract_all(loaded.articles, lex, &bar, &mut failed)
    });
    bar.finish_and_clear();
    let (mut kg, s_merge) = timed("merge", input_bytes, || {
        newsgraph::merge::merge_with(items, lex, &IdRegistry::default())
    });
    // What `newsgraph build` writes: the article records, the graph files, `ids.tsv` and
    // the manifest (see `newsgraph::outdir`).
    let fingerprint = pipeline::extraction_fingerprint(lex);
    let (outputs, mut s_export) = timed("file export", 0, || {
        let mut dir = OutDir::open(out).expect("output directory");
        dir.commit(&mut Generation {
            kg: &mut kg,
            fingerprint: &fingerprint,
            progress: show,
        })
        .expect("export")
    });
    s_export.bytes = dir_bytes(out);
    drop(kg);
    let end_to_end = s_load.time + s_extract.time + s_merge.time + s_export.time;
    (
        vec![s_load, s_extract, s_merge, s_export],
        end_to_end,
        outputs.quads,
    )
}

fn run(n: usize, seed: u64, lex: &Lexicon, store_up_to: usize) -> Run {
    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = tmp.path().join("corpus");
    let out = tmp.path().join("out");
    eprintln!("generating {n} articles (seed {seed})…");
    let input_bytes =
        write_corpus(CorpusSpec { articles: n, seed }, &corpus, CorpusFormat::Txt).expect("corpus");
    let times = repeats(n);
    eprintln!("building ({times}×)…");
    // The stages `times` times (the last run's output stays for the store load), then the
    // command `times` times.
    let builds: Vec<_> = (0..times)
        .map(|_| stages(n, &corpus, &out, input_bytes, lex))
        .collect();
    let ((mut stages, end_to_end, quads), lo, hi) = median_of(builds, |b| b.1);
    let oxigraph = if n <= store_up_to {
        let (s_store, oxigraph) = store_load(&out, quads);
        stages.push(s_store);
        oxigraph
    } else {
        None
    };
    // Removed for disk room at 100k articles.
    let _ = std::fs::remove_dir_all(&out);
    let commands: Vec<Stage> = (0..times)
        .map(|_| whole_build(n, &corpus, &tmp.path().join("build"), input_bytes))
        .collect();
    let (build, build_lo, build_hi) = median_of(commands, |b| b.time);
    Run {
        n,
        stages,
        end_to_end,
        range: (lo, hi),
        build,
        build_range: (build_lo, build_hi),
        times,
        quads,
        oxigraph,
    }
}

/// Times the store load of `out`'s `graph.nq` (of `quads` quads), and `oxigraph load` of
/// the same file when its CLI is found.
fn store_load(out: &Path, quads: usize) -> (Stage, Option<Duration>) {
    let nq = out.join("graph.nq");
    let nq_bytes = std::fs::metadata(&nq).map(|m| m.len()).unwrap_or(0);
    // The export writes past the page cache (see `newsgraph::export`): the file is read once
    // before either load is timed, so that both read it from memory, like with like.
    if let Ok(mut f) = std::fs::File::open(&nq) {
        let _ = std::io::copy(&mut f, &mut std::io::sink());
    }
    let (store, s_store) = timed("store load", nq_bytes, || {
        let bytes = std::fs::read(&nq).expect("graph.nq");
        GraphStore::from_nquads(&bytes).expect("store")
    });
    assert_eq!(store.len().expect("len"), quads);
    drop(store);
    let oxigraph = oxigraph_cli().and_then(|cli| {
        let loc = out.with_file_name("oxigraph-store");
        let t = Instant::now();
        let ok = Command::new(&cli)
            .args(["load", "--location"])
            .arg(&loc)
            .arg("--file")
            .arg(&nq)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        let _ = std::fs::remove_dir_all(&loc);
        ok.then(|| t.elapsed())
    });
    (s_store, oxigraph)
}

/// Times `newsgraph build` of `corpus` into the fresh directory `fresh` (removed after):
/// the command itself, in a process of its own, as a user runs it.
fn whole_build(n: usize, corpus: &Path, fresh: &Path, input_bytes: u64) -> Stage {
    let _ = std::fs::remove_dir_all(fresh);
    let cpu0 = children_cpu_time();
    let t = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .arg("build")
        .arg(corpus)
        .arg("--out")
        .arg(fresh)
        .arg("-q")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("newsgraph build");
    let time = t.elapsed();
    assert!(status.success(), "newsgraph build of {n} articles failed");
    let _ = std::fs::remove_dir_all(fresh);
    Stage {
        name: "build",
        time,
        cpu: children_cpu_time()
            .zip(cpu0)
            .map(|(b, a)| b.saturating_sub(a)),
        peak: None,
        bytes: input_bytes,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let mut sizes: Vec<usize> = if args.iter().any(|a| a == "--quick") {
        vec![1_000, 10_000]
    } else {
        vec![1_000, 10_000, 100_000]
    };
    if let Some(s) = arg("--sizes") {
        sizes = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    }
    let seed = arg("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let store_up_to = arg("--store-up-to")
        .and_then(|s| s.parse().ok())
        .unwrap_or(STORE_UP_TO);
    if let Some(t) = arg("--threads").and_then(|s| s.parse::<usize>().ok()) {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global();
    }
    let lex = Lexicon::load(&[]).expect("lexicon");
    let cli = oxigraph_cli();
    println!(
        "pipeline benchmark: {} threads, seed {seed}; oxigraph CLI: {}",
        rayon::current_num_threads(),
        cli.as_ref().map_or(
            "absent (set OXIGRAPH_CLI or put `oxigraph` on PATH; pip install oxigraph)".to_string(),
            |p| p.display().to_string()
        )
    );
    let mut runs = Vec::new();
    for &n in &sizes {
        let r = run(n, seed, &lex, store_up_to);
        let median = if r.times > 1 {
            format!(
                " (median of {} runs; the stages' times are those of the median run)",
                r.times
            )
        } else {
            String::new()
        };
        println!("\n{} articles, {} quads{median}", r.n, r.quads);
        println!(
            "  {:<12} {:>9} {:>9} {:>12} {:>9} {:>11}",
            "stage", "time s", "cpu s", "articles/s", "MB/s", "peak MB"
        );
        for s in &r.stages {
            let secs = s.time.as_secs_f64().max(1e-9);
            println!(
                "  {:<12} {:>9.2} {:>9} {:>12.0} {:>9.1} {:>11}",
                s.name,
                secs,
                s.cpu
                    .map_or("n/a".into(), |c| format!("{:.2}", c.as_secs_f64())),
                r.n as f64 / secs,
                mb(s.bytes) / secs,
                s.peak.map_or("n/a".into(), |p| format!("{:.0}", mb(p)))
            );
        }
        let e2e = r.end_to_end.as_secs_f64().max(1e-9);
        println!(
            "  end to end (load + extraction + merge + file export): {:.2} s, {:.0} articles/s{}",
            e2e,
            r.n as f64 / e2e,
            range(r.n, r.times, r.range)
        );
        let b = r.build.time.as_secs_f64().max(1e-9);
        println!(
            "  `newsgraph build` (the command, in its own process: stages overlapped, lexicons read too): {:.2} s, {:.0} articles/s, {} CPU s{}",
            b,
            r.n as f64 / b,
            r.build.cpu.map_or("n/a".into(), |c| format!("{:.2}", c.as_secs_f64())),
            range(r.n, r.times, r.build_range)
        );
        match (r.stages.get(4), r.oxigraph) {
            (None, _) => println!(
                "  store load: not measured above {store_up_to} articles (the in-memory store needs about 650 bytes per quad; --store-up-to N)"
            ),
            (Some(store), Some(t)) => println!(
                "  store load {:.2} s vs `oxigraph load` {:.2} s: {:.2}× its speed",
                store.time.as_secs_f64(),
                t.as_secs_f64(),
                t.as_secs_f64() / store.time.as_secs_f64().max(1e-9)
            ),
            (Some(_), None) => println!("  `oxigraph load`: not measured (CLI absent or failed)"),
        }
        runs.push(r);
    }
    if runs.len() > 1 {
        println!("\ngrowth of the end-to-end time:");
        for w in runs.windows(2) {
            let f = w[1].end_to_end.as_secs_f64() / w[0].end_to_end.as_secs_f64().max(1e-9);
            let g = w[1].build.time.as_secs_f64() / w[0].build.time.as_secs_f64().max(1e-9);
            println!(
                "  {} → {} articles ({:.0}×): {:.2}× the time (stages), {:.2}× (`newsgraph build`)",
                w[0].n,
                w[1].n,
                w[1].n as f64 / w[0].n as f64,
                f,
                g
            );
        }
    }
}

/// How the runs of a size spread (slowest to fastest, in articles/s), when there were
/// several.
fn range(n: usize, times: usize, (lo, hi): (Duration, Duration)) -> String {
    if times < 2 {
        return String::new();
    }
    let rate = |d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    format!(
        "; runs {:.2}–{:.2} s ({:.0}–{:.0} articles/s)",
        lo.as_secs_f64(),
        hi.as_secs_f64(),
        rate(hi),
        rate(lo)
    )
}
