//! Benchmark of the merger alone on synthetic mentions: 10k, 100k and 1M mentions of
//! people (with transliteration variants and surname-only forms), agencies and countries,
//! ten per article. Reports the best time of a few runs of each size and the growth factor
//! per 10× mentions.
//!
//! Run: `cargo bench --bench merge` (add `-- --quick` for 10k and 100k only).

use newsgraph::lexicon::Lexicon;
use newsgraph::merge::merge;
use newsgraph::model::{Article, Candidate, CharSpan, EntityKind, Extraction, Mention};
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

fn corpus(mentions: usize, lex: &Lexicon) -> Vec<(Article, Extraction)> {
    let mut rng = Lcg(42);
    let people = (mentions / 20).max(100);
    let firsts: Vec<String> = (0..people / 10 + 10)
        .map(|_| syllables(&mut rng, 2))
        .collect();
    let lasts: Vec<String> = (0..people / 5 + 10)
        .map(|_| syllables(&mut rng, 3))
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
                        1 => format!("{} {last}", first.replace("ee", "i")),
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

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let lex = Lexicon::load(&[]).expect("lexicon");
    let sizes: &[usize] = if quick {
        &[10_000, 100_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let mut prev: Option<f64> = None;
    for &n in sizes {
        let items = corpus(n, &lex);
        // The best of a few runs: on a shared machine a single run measures the neighbours.
        let runs = if n >= 1_000_000 { 2 } else { 5 };
        let mut secs = f64::INFINITY;
        let mut entities = 0;
        for _ in 0..runs {
            let input = items.clone();
            let t = Instant::now();
            let kg = merge(input, &lex);
            secs = secs.min(t.elapsed().as_secs_f64());
            entities = kg.entities.len();
        }
        let growth = prev
            .map(|p| format!(", {:.1}× the time of 10× fewer mentions", secs / p))
            .unwrap_or_default();
        println!(
            "merge: {n:>9} mentions → {entities:>7} entities in {secs:.3}s ({:.0} mentions/s{growth}, best of {runs})",
            n as f64 / secs
        );
        prev = Some(secs);
    }
}
