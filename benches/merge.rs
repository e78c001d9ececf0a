//! Benchmark of the merger alone on synthetic mentions: 10k, 100k and 1M mentions of
//! people (with transliteration variants and surname-only forms), agencies and countries,
//! ten per article. Reports the best CPU time (and wall time) of a few runs of each size
//! and the growth factor of the CPU time per 10× mentions.
//!
//! Run: `cargo bench --bench merge` (add `-- --quick` for 10k and 100k only, `-- --size N`
//! for N mentions only). With
//! `-- --digest`, it prints instead a SHA-256 of the merged graph of each size (its `Debug`
//! form), to check that a change to the merger leaves its output as it was.
//!
//! Every size is timed in the same memory state: with memory the allocator already holds
//! (it kept what the previous run freed), so that no timed run waits for the kernel to hand
//! out and zero fresh pages. mimalloc returns freed memory to the kernel 10 ms after it is
//! freed: left as it is, a run shorter than that (10k mentions) reuses the previous run's
//! memory and pays no page fault, while a longer one (1M) gets fresh pages, zeroed, on every
//! run (a fifth of its time or more), and the sizes are not compared like with like. So the
//! bench runs itself again with `MIMALLOC_PURGE_DELAY=-1` (mimalloc reads its options when
//! the process starts). With `-- --fresh-memory` it uses `MIMALLOC_PURGE_DELAY=0` instead:
//! memory goes back to the kernel as soon as it is freed, and every run of every size pays
//! for fresh pages. A `MIMALLOC_PURGE_DELAY` already set is kept. Even so the allocator
//! holds no memory for a size's first run, and not all it needs for the second (at 1M
//! mentions here: some 300 and 30 page faults, 1.9 s and 0.8 s against 0.67–0.70 s for the
//! runs after them): each size is run twice untimed first. The page faults of the timed
//! runs are counted (on Linux) and printed.
//!
//! Likewise for the caches: the inputs of all the runs of a size are copied before the
//! first is timed, so that no run finds its input in the caches because it was copied just
//! before it (10k mentions' input, a few MB, would still be there; 1M's would not).

use newsgraph::lexicon::Lexicon;
use newsgraph::merge::merge;
use newsgraph::model::{Article, Candidate, CharSpan, EntityKind, Extraction, Mention};
use sha2::{Digest, Sha256};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::collections::HashMap;
use std::time::Instant;

/// A small deterministic generator (no external crate, same corpus every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, v: &'a [String]) -> &'a str {
        &v[(self.next() as usize) % v.len()]
    }
}

fn syllables(rng: &mut Lcg, n: usize) -> String {
    const S: [&str; 16] = [
        "ka", "ra", "mi", "to", "sha", "lo", "ve", "din", "zar", "no", "bek", "ham", "ee", "ov",
        "us", "ir",
    ];
    let mut w = String::new();
    for _ in 0..n {
        w.push_str(S[(rng.next() as usize) % S.len()]);
    }
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => w,
    }
}

/// A name spelled from syllables that is different for every `i`: the base-15 digits of
/// `i`, least significant first, one syllable each (at least `min` syllables). Each
/// syllable has its own consonant, so different names keep different transliteration keys
/// (the merger's phonetic key drops vowels), as real names mostly do.
fn spelled(i: u64, min: usize) -> String {
    const S: [&str; 15] = [
        "ba", "ce", "di", "fo", "gu", "ka", "le", "mi", "no", "pu", "ra", "se", "ti", "vo", "xu",
    ];
    let mut w = String::new();
    let (mut n, mut k) = (i, 0);
    while n > 0 || k < min {
        w.push_str(S[(n % 15) as usize]);
        n /= 15;
        k += 1;
    }
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => w,
    }
}

fn corpus(mentions: usize, lex: &Lexicon) -> Vec<(Article, Extraction)> {
    let mut rng = Lcg(42);
    let people = (mentions / 20).max(100);
    // Distinct names (a syllable spelling of the index): random syllables alone
    // run out of combinations at a million mentions, and the corpus would then hold far
    // more namesakes than a real one.
    let firsts: Vec<String> = (0..people / 10 + 10)
        .map(|i| spelled(i as u64, 2))
        .collect();
    let lasts: Vec<String> = (0..people / 5 + 10)
        .map(|i| spelled(i as u64 + 7919, 3))
        .collect();
    let agencies: Vec<String> = (0..200)
        .map(|i| format!("{} Directorate {i}", syllables(&mut Lcg(i), 2)))
        .collect();
    let countries: Vec<&str> = lex
        .entries
        .iter()
        .filter(|e| e.kind == EntityKind::Country)
        .map(|e| e.key.as_str())
        .collect();
    let mut out = Vec::new();
    let per_article = 10;
    for a in 0..mentions / per_article {
        let article = Article {
            id: format!("a{a:07}"),
            title: String::new(),
            published: None,
            url: None,
            text: String::new(),
            body: 0..0,
            source: String::new(),
        };
        let mut x = Extraction::default();
        for k in 0..per_article {
            let span = CharSpan {
                begin: k * 10,
                end: k * 10 + 5,
            };
            let c = match rng.next() % 10 {
                0..=5 => {
                    let first = rng.pick(&firsts).to_string();
                    let last = rng.pick(&lasts).to_string();
                    let name = match rng.next() % 6 {
                        0 => last.clone(),
                        // A transliteration variant: one vowel spelled differently.
                        1 => format!(
                            "{} {last}",
                            first.replacen('a', "e", 1).replacen('o', "u", 1)
                        ),
                        _ => format!("{first} {last}"),
                    };
                    let mut c = Candidate::new(EntityKind::Official, name.clone(), None);
                    c.mentions.push(Mention { span, text: name });
                    c
                }
                6..=7 => {
                    let name = rng.pick(&agencies).to_string();
                    let mut c = Candidate::new(EntityKind::Agency, name.clone(), None);
                    c.mentions.push(Mention { span, text: name });
                    c
                }
                _ => {
                    let key = countries[(rng.next() as usize) % countries.len()];
                    let name = lex.get(key).map(|e| e.name.clone()).unwrap_or_default();
                    let mut c =
                        Candidate::new(EntityKind::Country, name.clone(), Some(key.to_string()));
                    c.mentions.push(Mention { span, text: name });
                    c
                }
            };
            x.entities.push(c);
        }
        out.push((article, x));
    }
    out
}

/// The CPU time this thread has used (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, precise to
/// the nanosecond: `/proc/thread-self/schedstat`, read by the running thread itself, only
/// moves at scheduler ticks, 4 ms here, a sixth of the 10k point). On a shared machine it
/// measures the merger, not the neighbours; where there is no such clock the wall clock is
/// used.
#[cfg(unix)]
fn cpu_seconds() -> Option<f64> {
    use rustix::time::{clock_gettime, ClockId};
    let t = clock_gettime(ClockId::ThreadCPUTime);
    Some(t.tv_sec as f64 + t.tv_nsec as f64 / 1e9)
}

#[cfg(not(unix))]
fn cpu_seconds() -> Option<f64> {
    None
}

/// Runs the bench again with mimalloc's purge delay set alike for all sizes (see the module
/// doc), unless it is set already; the exit code of that run.
fn run_with_memory_setting() -> Option<i32> {
    const DELAY: &str = "MIMALLOC_PURGE_DELAY";
    if std::env::var_os(DELAY).is_some() {
        return None;
    }
    let fresh = std::env::args().any(|a| a == "--fresh-memory");
    let exe = std::env::current_exe().ok()?;
    let status = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(DELAY, if fresh { "0" } else { "-1" })
        .status()
        .ok()?;
    Some(status.code().unwrap_or(1))
}

fn main() {
    if let Some(code) = run_with_memory_setting() {
        std::process::exit(code);
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let lex = Lexicon::load(&[]).expect("lexicon");
    let only: Option<usize> = std::env::args()
        .skip_while(|a| a != "--size")
        .nth(1)
        .and_then(|n| n.parse().ok());
    let sizes: &[usize] = match (only, quick) {
        (Some(_), _) => &[],
        (None, true) => &[10_000, 100_000],
        (None, false) => &[10_000, 100_000, 1_000_000],
    };
    let only = only.map(|n| [n]);
    let sizes: &[usize] = only.as_ref().map_or(sizes, |o| &o[..]);
    if std::env::args().any(|a| a == "--digest") {
        for &n in sizes {
            let kg = merge(corpus(n, &lex), &lex);
            let digest = Sha256::digest(format!("{kg:?}").as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            println!("merge: {n:>9} mentions → {hex}");
        }
        return;
    }
    if std::env::args().any(|a| a == "--baseline") {
        baseline(sizes, &lex);
        return;
    }
    let delay = std::env::var("MIMALLOC_PURGE_DELAY").unwrap_or_default();
    println!(
        "merge: memory {} (MIMALLOC_PURGE_DELAY={delay})",
        match delay.as_str() {
            "-1" => "kept by the allocator between runs",
            "0" => "fresh from the kernel in every run",
            _ => "as the allocator's purge delay gives it",
        }
    );
    let mut prev: Option<f64> = None;
    for &n in sizes {
        let items = corpus(n, &lex);
        let runs = runs(n);
        let mut secs = f64::INFINITY;
        let mut wall = f64::INFINITY;
        let mut entities = 0;
        let mut faults = Some(0);
        // Every input copied before any run is timed (see the module doc), and used in the
        // order of the copies: the last one copied is the last one used.
        let inputs: Vec<_> = (0..WARM_UP + runs).map(|_| items.clone()).collect();
        for (r, input) in inputs.into_iter().enumerate() {
            if r < WARM_UP {
                drop(merge(input, &lex));
                continue;
            }
            let before = minor_faults();
            let t = Instant::now();
            let cpu = cpu_seconds();
            let kg = merge(input, &lex);
            let w = t.elapsed().as_secs_f64();
            wall = wall.min(w);
            secs = secs.min(match (cpu, cpu_seconds()) {
                (Some(a), Some(b)) => b - a,
                _ => w,
            });
            entities = kg.entities.len();
            faults = match (faults, before, minor_faults()) {
                (Some(f), Some(a), Some(b)) => Some(f + b.saturating_sub(a)),
                _ => None,
            };
        }
        let faults = match faults {
            Some(f) => format!(", {f} page faults in the timed runs"),
            None => String::new(),
        };
        let growth = prev
            .map(|p| format!(", {:.1}× the time of 10× fewer mentions", secs / p))
            .unwrap_or_default();
        println!(
            "merge: {n:>9} mentions → {entities:>7} entities in {secs:.3}s CPU, {wall:.3}s wall ({:.0} mentions/s{growth}, best of {runs}{faults})",
            n as f64 / secs
        );
        prev = Some(secs);
    }
}

/// Times work that is linear by construction on the same corpora, to show what 10× the data
/// costs on this machine whatever the algorithm: a clone of the corpus (allocation and
/// copying in memory order) and a hash map from every candidate's name to a number (a
/// random access per mention into a table that outgrows the caches).
fn baseline(sizes: &[usize], lex: &Lexicon) {
    let mut prev: Option<(f64, f64)> = None;
    for &n in sizes {
        let items = corpus(n, lex);
        let runs = runs(n);
        let (mut clone, mut hash) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..runs {
            let a = cpu_seconds().unwrap_or(0.0);
            let copy = items.clone();
            let b = cpu_seconds().unwrap_or(0.0);
            let mut ids: HashMap<&str, usize> = HashMap::new();
            for (_, x) in &items {
                for c in &x.entities {
                    let next = ids.len();
                    ids.entry(c.name.as_str()).or_insert(next);
                }
            }
            let c = cpu_seconds().unwrap_or(0.0);
            clone = clone.min(b - a);
            hash = hash.min(c - b);
            drop(copy);
        }
        let growth = prev
            .map(|(pc, ph)| format!(" ({:.1}× and {:.1}×)", clone / pc, hash / ph))
            .unwrap_or_default();
        println!(
            "baseline: {n:>9} mentions → clone {clone:.4}s, hash {hash:.4}s CPU{growth}, best of {runs}"
        );
        prev = Some((clone, hash));
    }
}

/// How many timed runs a size gets (the best one counts): on a shared machine a single run
/// measures the neighbours (their cache traffic too), and small sizes are cheap to repeat.
fn runs(n: usize) -> usize {
    match n {
        0..100_000 => 20,
        100_000..1_000_000 => 10,
        _ => 5,
    }
}

/// How many untimed runs each size gets first (see the module doc).
const WARM_UP: usize = 2;

/// The page faults this thread has caused so far (minor ones: memory handed out by the
/// kernel, each a zeroed page), where the system tells them.
fn minor_faults() -> Option<u64> {
    // `/proc/thread-self/stat`: the tenth field, the seventh after the command name (in
    // parentheses, which may hold spaces).
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(7)?.parse().ok()
}
