//! The command line: clap types, turning arguments into library calls, and user-facing
//! messages. Never parses article text or names an RDF term.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use newsgraph::gen_corpus::{write_corpus, CorpusFormat, CorpusSpec};
use newsgraph::pipeline::{self, BuildOptions};
use newsgraph::store::{write_answer, Answer, AnswerFormat, GraphStore};
use std::io::Write;
use std::path::PathBuf;

/// newsgraph: news articles → a knowledge graph of officials, agencies, countries, cities
/// and meetings, as RDF files, pictures and a SPARQL-ready store.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the graph from articles (.txt, .jsonl, .html; directories are searched
    /// recursively; `-` reads standard input).
    #[command(
        after_help = "Examples:\n  newsgraph build                      # the bundled articles/ into output/\n  newsgraph build news/ more.jsonl page.html --out graph/\n  curl -s https://example.org/story | newsgraph build - --out story/\n  newsgraph build --lexicon my-lexicon/ articles/\n\nExit codes: 0 all built, 1 some inputs failed (listed on stderr; the others are built), 2 usage error."
    )]
    Build {
        /// Article files and directories, `-` for standard input [default: articles/].
        paths: Vec<PathBuf>,
        /// Output directory.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Extra lexicon directory (same file names as ontology/lexicon/); repeatable.
        #[arg(long = "lexicon")]
        lexicons: Vec<PathBuf>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// The largest input for one article (a text file, an HTML page, a JSONL record), in MB.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=4096))]
        max_article_mb: u64,
        /// Worker threads [default: one per core].
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) against a build.
    #[command(
        after_help = "Examples:\n  newsgraph query 'SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }'\n  newsgraph query -f ontology/queries/meetings.rq --format csv"
    )]
    Query {
        /// The query text.
        query: Option<String>,
        /// Read the query from a file.
        #[arg(short = 'f', long = "file", conflicts_with = "query")]
        file: Option<PathBuf>,
        /// A build's output directory.
        #[arg(long, default_value = "output")]
        store: PathBuf,
        /// Output format (SPARQL results formats; Turtle for graphs).
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormat,
    },
    /// Summarise a build: articles, entities by kind, meetings, quads.
    #[command(after_help = "Example:\n  newsgraph stats --store output/")]
    Stats {
        /// A build's output directory.
        #[arg(long, default_value = "output")]
        store: PathBuf,
    },
    /// Write a synthetic corpus of realistic news articles (officials, agencies, countries,
    /// meetings from the lexicons), for benchmarks; the same seed gives the same corpus.
    #[command(
        name = "gen-corpus",
        after_help = "Examples:\n  newsgraph gen-corpus --articles 10000 --seed 1 --out /tmp/corpus-10k\n  newsgraph gen-corpus --articles 1000 --format jsonl --out /tmp/c1k   # one corpus.jsonl"
    )]
    GenCorpus {
        /// Number of articles.
        #[arg(long)]
        articles: usize,
        /// Seed of the random generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// One .txt file per article, or one corpus.jsonl.
        #[arg(long, value_enum, default_value = "txt")]
        format: CorpusFormatArg,
    },
    /// Show an entity's cluster: its names, the articles that mention it, and why its
    /// mentions were joined.
    #[command(
        after_help = "Examples:\n  newsgraph explain 'Faiz Hameed'\n  newsgraph explain https://w3id.org/newsgraph/id/person/faiz-hameed"
    )]
    Explain {
        /// A name (label or alias) or an entity IRI.
        name: String,
        /// A build's output directory.
        #[arg(long, default_value = "output")]
        store: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CorpusFormatArg {
    Txt,
    Jsonl,
}

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Build {
            paths,
            out,
            lexicons,
            quiet,
            max_article_mb,
            jobs,
        } => {
            set_jobs(jobs)?;
            let inputs = if paths.is_empty() {
                vec![PathBuf::from("articles")]
            } else {
                paths
            };
            let mut opts = BuildOptions::new(inputs, out.clone());
            opts.lexicons = lexicons;
            opts.progress = !quiet;
            opts.load.max_article_bytes =
                usize::try_from(max_article_mb << 20).unwrap_or(usize::MAX);
            let summary = pipeline::build(&opts)
                .with_context(|| format!("building into {}", out.display()))?;
            for w in &summary.warnings {
                eprintln!("warning: {w}");
            }
            for f in &summary.failed {
                eprintln!("error: {f}");
            }
            println!("{} → {}", summary.line(), out.display());
            Ok(if summary.failed.is_empty() { 0 } else { 1 })
        }
        Command::Query {
            query,
            file,
            store,
            format,
        } => {
            let text = match (query, file) {
                (Some(q), None) => q,
                (None, Some(f)) => std::fs::read_to_string(&f)
                    .with_context(|| format!("reading query file {}", f.display()))?,
                _ => bail!("give a query or -f FILE"),
            };
            let g = GraphStore::open(&store)?;
            let answer = g.query(&text)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            write_answer(&answer, format, &mut out)?;
            out.flush().ok();
            Ok(0)
        }
        Command::Stats { store } => {
            let g = GraphStore::open(&store)?;
            println!("store: {}", store.display());
            println!("quads: {}", g.len()?);
            println!("named graphs: {}", g.graph_count()?);
            let q = include_str!("../ontology/queries/stats.rq");
            if let Answer::Solutions { rows, .. } = g.query(q)? {
                for r in rows {
                    let cell = |i: usize| -> String {
                        r.get(i)
                            .and_then(|t| t.as_ref())
                            .map(|t| match t {
                                oxigraph::model::Term::Literal(l) => l.value().to_string(),
                                other => other.to_string(),
                            })
                            .unwrap_or_default()
                    };
                    println!("{}: {}", cell(0), cell(1));
                }
            }
            Ok(0)
        }
        Command::GenCorpus {
            articles,
            seed,
            out,
            format,
        } => {
            let format = match format {
                CorpusFormatArg::Txt => CorpusFormat::Txt,
                CorpusFormatArg::Jsonl => CorpusFormat::Jsonl,
            };
            let t = std::time::Instant::now();
            let bytes = write_corpus(CorpusSpec { articles, seed }, &out, format)?;
            println!(
                "wrote {articles} articles ({:.1} MB, seed {seed}) in {:.2}s → {}",
                bytes as f64 / 1e6,
                t.elapsed().as_secs_f64(),
                out.display()
            );
            Ok(0)
        }
        Command::Explain { name, store } => {
            let g = GraphStore::open(&store)?;
            explain(&g, &name)?;
            Ok(0)
        }
    }
}

/// Sizes the worker pool (`--jobs`); one thread per core when not given.
fn set_jobs(jobs: Option<usize>) -> Result<()> {
    if let Some(n) = jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("starting worker threads")?;
    }
    Ok(())
}

fn literal_or_iri(t: &Option<oxigraph::model::Term>) -> String {
    match t {
        Some(oxigraph::model::Term::Literal(l)) => l.value().to_string(),
        Some(oxigraph::model::Term::NamedNode(n)) => n.as_str().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The body of a SPARQL string literal holding `s` (quotes, backslashes and line breaks
/// escaped).
fn sparql_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

fn explain(g: &GraphStore, name: &str) -> Result<()> {
    let escaped = sparql_string(name);
    let find = if name.starts_with("http://") || name.starts_with("https://") {
        let iri = oxigraph::model::NamedNode::new(name)
            .with_context(|| format!("{name:?} is not an IRI"))?;
        format!("SELECT DISTINCT ?e WHERE {{ BIND({iri} AS ?e) GRAPH <https://w3id.org/newsgraph/graph/merged> {{ ?e ?p ?o }} }}")
    } else {
        format!(
            "SELECT DISTINCT ?e WHERE {{ GRAPH <https://w3id.org/newsgraph/graph/merged> {{ ?e <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?l FILTER(LCASE(STR(?l)) = LCASE(\"{escaped}\")) }} }} ORDER BY ?e"
        )
    };
    let Answer::Solutions { rows, .. } = g.query(&find)? else {
        bail!("unexpected answer")
    };
    if rows.is_empty() {
        bail!("no entity named {name:?}");
    }
    for r in rows {
        let iri = literal_or_iri(&r[0]);
        println!("{iri}");
        let q = format!(include_str!("../ontology/queries/explain.rq"), iri = iri);
        if let Answer::Solutions { rows, .. } = g.query(&q)? {
            for r in rows {
                let what = literal_or_iri(&r[0]);
                let value = literal_or_iri(&r[1]);
                let extra = literal_or_iri(&r[2]);
                if extra.is_empty() {
                    println!("  {what}: {value}");
                } else {
                    println!("  {what}: {value} ({extra})");
                }
            }
        }
    }
    Ok(())
}
