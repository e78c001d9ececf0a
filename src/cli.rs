//! The command line: clap types, turning arguments into library calls, and user-facing
//! messages. Never parses article text or names an RDF term.

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use newsgraph::export::NodeKind;
use newsgraph::gen_corpus::{write_corpus, CorpusFormat, CorpusSpec};
use newsgraph::pipeline::{self, BuildError, BuildOptions, BuildSummary, RemoveOptions};
use newsgraph::push::{self, PushFormat, PushOptions, Target};
use newsgraph::render::{self as draw, Engine, PictureFormat, RenderError, RenderOptions};
use newsgraph::serve::{Access, ServeOptions, Server};
use newsgraph::store::{write_answer, Answer, AnswerFormat, GraphStore};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

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
    /// recursively; `-` reads standard input). Adds to what the output directory holds: an
    /// article with the id of one already there replaces it; the others stay.
    #[command(
        after_help = "Examples:\n  newsgraph build                      # the bundled articles/ into output/\n  newsgraph build news/ more.jsonl page.html --out graph/\n  curl -s https://example.org/story | newsgraph build - --out story/\n  newsgraph build --lexicon my-lexicon/ articles/\n  newsgraph build new-story.txt --out graph/   # adds it to graph/ (the rest is kept)\n\nExit codes: 0 all built, 1 some inputs failed (listed on stderr; the others are built), 2 usage error."
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
    /// Remove articles from a build: their graphs, and what only they said in the merger's
    /// graph. The other articles and their entities' IRIs stay.
    #[command(
        after_help = "Examples:\n  newsgraph remove dawn-2021-09-12-spymasters\n  newsgraph remove a b c --out graph/\n  newsgraph remove https://w3id.org/newsgraph/article/dawn-2021-09-12-spymasters\n\nAn id is the article's file stem (the `id` of a JSONL record), as in its IRI; the\narticles of a build are listed in DIR/manifest.json. An unknown id removes nothing\n(exit code 2)."
    )]
    Remove {
        /// Article ids or article IRIs.
        #[arg(required = true)]
        ids: Vec<String>,
        /// The build's output directory.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Extra lexicon directory, as given to the build; repeatable.
        #[arg(long = "lexicon")]
        lexicons: Vec<PathBuf>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
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
    /// Serve a build over the SPARQL 1.1 Protocol (same paths as Oxigraph's server):
    /// queries at /query, the Graph Store Protocol at /store (writes and /update only with
    /// --writable), a query page at /.
    #[command(
        after_help = "Examples:\n  newsgraph serve                               # output/ on http://127.0.0.1:7878/\n  newsgraph serve --store graph/ --bind 127.0.0.1:0   # any free port; the URL is printed\n  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5' http://127.0.0.1:7878/query\n  curl 'http://127.0.0.1:7878/store?graph=https://w3id.org/newsgraph/graph/merged'"
    )]
    Serve {
        /// A build's output directory.
        #[arg(long, default_value = "output")]
        store: PathBuf,
        /// Address to listen on (port 0: any free port). Loopback by default.
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: String,
        /// Accept SPARQL Update on /update (changes to an in-memory store are lost at exit).
        #[arg(long)]
        writable: bool,
        /// Cancel a query after this many seconds (0: never).
        #[arg(long, default_value_t = 30.0)]
        timeout: f64,
        /// Refuse answers with more rows or triples than this (0: no limit).
        #[arg(long, default_value_t = 100_000)]
        max_results: usize,
        /// Send no CORS headers (browser pages from other origins cannot query).
        #[arg(long)]
        no_cors: bool,
        /// Queries without GRAPH see the union of all graphs.
        #[arg(long)]
        union_default_graph: bool,
        /// Worker threads.
        #[arg(long, default_value_t = 4)]
        threads: usize,
        /// No access log on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Push a build into an external triple store, one named graph per request with
    /// replace semantics, over the SPARQL 1.1 Graph Store Protocol (--endpoint) or SPARQL
    /// Update (--update-endpoint); then check the counts with a SPARQL query.
    #[command(
        group(clap::ArgGroup::new("target").required(true).args(["endpoint", "update_endpoint"])),
        after_help = "Examples:\n  newsgraph push --endpoint http://localhost:7878/store                        # Oxigraph\n  newsgraph push --endpoint http://localhost:3030/news/data --user admin --password pw   # Fuseki\n  newsgraph push --endpoint http://localhost:7200/repositories/news/rdf-graphs/service   # GraphDB\n  newsgraph push --endpoint http://localhost:8890/sparql-graph-crud-auth --user dba --password dba   # Virtuoso\n  newsgraph push --update-endpoint http://localhost:3030/news/update --header 'Authorization: Bearer TOKEN'"
    )]
    Push {
        /// A build's output directory.
        #[arg(long, default_value = "output")]
        store: PathBuf,
        /// Graph Store Protocol endpoint: graph N is PUT to URL?graph=N.
        #[arg(long)]
        endpoint: Option<String>,
        /// SPARQL Update endpoint, for stores without the Graph Store Protocol.
        #[arg(long)]
        update_endpoint: Option<String>,
        /// SPARQL query endpoint for the count check [default: guessed from the target URL].
        #[arg(long)]
        query_endpoint: Option<String>,
        /// Skip the count check.
        #[arg(long)]
        no_check: bool,
        /// HTTP Basic user.
        #[arg(long)]
        user: Option<String>,
        /// HTTP Basic password (or set NEWSGRAPH_PASSWORD).
        #[arg(long, requires = "user")]
        password: Option<String>,
        /// Extra request header, 'Name: value'; repeatable.
        #[arg(long = "header")]
        headers: Vec<String>,
        /// Triples per request; larger graphs are split (first batch PUT, then POST).
        #[arg(long, default_value_t = 50_000)]
        batch_size: usize,
        /// Graphs sent at the same time, each over its own connection.
        #[arg(long, default_value_t = 2)]
        parallel: usize,
        /// Body format of Graph Store Protocol requests.
        #[arg(long, value_enum, default_value = "turtle")]
        format: PushFormat,
        /// Retries of a request after a 5xx answer or a connection error.
        #[arg(long, default_value_t = 5)]
        retries: u32,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Draw the graph, or the neighbourhood of one entity or meeting, as SVG, PNG or DOT.
    #[command(
        after_help = "Examples:\n  newsgraph render -o graph.svg                          # the whole graph\n  newsgraph render --focus 'Faiz Hameed' --depth 2 -o faiz.png\n  newsgraph render --kinds official,meeting,country --since 2021-09-01 --until 2021-09-30 -o sept.svg\n  newsgraph render --article dawn-2021-09-12-spymasters -o dawn.svg\n  newsgraph render --engine dot -o graph.svg             # laid out by Graphviz\n\nThe format follows the file's extension (.svg, .png, .dot) unless --format is given.\nKinds: official, person, meeting, agency, organisation, country, city, place."
    )]
    Render {
        /// The picture file ("-" writes to standard output).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// A build's output directory.
        #[arg(long, default_value = "output")]
        store: PathBuf,
        /// svg, png or dot [default: from the file's extension, else svg].
        #[arg(long, value_enum)]
        format: Option<PictureFormat>,
        /// Centre on this entity or meeting: a name or alias (case-insensitive; else part of
        /// a name) or an IRI.
        #[arg(long)]
        focus: Option<String>,
        /// Hops from the focus (or from the meetings in --since/--until).
        #[arg(long, default_value_t = 1)]
        depth: usize,
        /// Only these kinds, comma-separated (the focus is always drawn).
        #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
        kinds: Vec<NodeKind>,
        /// Only what this article says (its id, e.g. the file stem).
        #[arg(long)]
        article: Option<String>,
        /// Only meetings on or after this date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<NaiveDate>,
        /// Only meetings on or before this date (YYYY-MM-DD).
        #[arg(long)]
        until: Option<NaiveDate>,
        /// Past this many nodes, the least connected are left out (and the picture says so).
        #[arg(long, default_value_t = newsgraph::export::DEFAULT_MAX_NODES)]
        max_nodes: usize,
        /// builtin (no Graphviz needed) or dot (Graphviz's dot program).
        #[arg(long, value_enum, default_value = "builtin")]
        engine: Engine,
        /// PNG pixels per SVG unit.
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
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
            Ok(report(&summary, &out))
        }
        Command::Remove {
            ids,
            out,
            lexicons,
            quiet,
        } => {
            let opts = RemoveOptions {
                ids,
                out: out.clone(),
                lexicons,
                progress: !quiet,
            };
            match pipeline::remove(&opts) {
                Ok(summary) => Ok(report(&summary, &out)),
                Err(e @ (BuildError::UnknownArticles { .. } | BuildError::NotABuild(_))) => {
                    eprintln!("error: {e}");
                    Ok(2)
                }
                Err(e) => Err(e).with_context(|| format!("removing from {}", out.display())),
            }
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
        Command::Serve {
            store,
            bind,
            writable,
            timeout,
            max_results,
            no_cors,
            union_default_graph,
            threads,
            quiet,
        } => serve(
            ServeOptions {
                store,
                bind,
                writable,
                timeout: (timeout > 0.0)
                    .then(|| Duration::try_from_secs_f64(timeout))
                    .transpose()
                    .context("--timeout")?,
                max_results: (max_results > 0).then_some(max_results),
                cors: !no_cors,
                union_default_graph,
                threads,
            },
            quiet,
        ),
        Command::Push {
            store,
            endpoint,
            update_endpoint,
            query_endpoint,
            no_check,
            user,
            password,
            headers,
            batch_size,
            parallel,
            format,
            retries,
            quiet,
        } => {
            let target = match (endpoint, update_endpoint) {
                (Some(e), None) => Target::GraphStore(e),
                (None, Some(u)) => Target::Update(u),
                _ => bail!("give --endpoint or --update-endpoint"),
            };
            let shown = match &target {
                Target::GraphStore(u) | Target::Update(u) => u.clone(),
            };
            let mut opts = PushOptions::new(store.clone(), target);
            opts.query_endpoint = query_endpoint;
            let password = password.or_else(|| std::env::var("NEWSGRAPH_PASSWORD").ok());
            opts.basic_auth = match (user, password) {
                (Some(u), Some(p)) => Some((u, p)),
                (Some(_), None) => bail!("--user needs --password (or NEWSGRAPH_PASSWORD)"),
                _ => None,
            };
            for h in headers {
                let Some((k, v)) = h.split_once(':') else {
                    bail!("--header {h:?}: expected 'Name: value'");
                };
                opts.headers
                    .push((k.trim().to_string(), v.trim().to_string()));
            }
            opts.batch_size = batch_size;
            opts.parallel = parallel;
            opts.format = format;
            opts.retries = retries;
            opts.progress = !quiet;
            opts.check = !no_check;
            let summary = push::push(&opts)
                .with_context(|| format!("pushing {} to {shown}", store.display()))?;
            println!("{}", summary.line(&shown));
            Ok(0)
        }
        Command::Render {
            output,
            store,
            format,
            focus,
            depth,
            kinds,
            article,
            since,
            until,
            max_nodes,
            engine,
            scale,
        } => {
            let format = format
                .or_else(|| PictureFormat::from_path(&output))
                .unwrap_or(PictureFormat::Svg);
            let opts = RenderOptions {
                format,
                engine,
                focus,
                depth,
                kinds: if kinds.is_empty() {
                    None
                } else {
                    Some(kinds.into_iter().collect())
                },
                article,
                since,
                until,
                max_nodes,
                scale,
            };
            let g = GraphStore::open(&store)?;
            let drawn = match draw::render(&g, &opts) {
                Ok(d) => d,
                Err(
                    e @ (RenderError::UnknownFocus { .. }
                    | RenderError::VagueFocus { .. }
                    | RenderError::UnknownArticle { .. }
                    | RenderError::BadRange { .. }),
                ) => {
                    eprintln!("error: {e}");
                    return Ok(2);
                }
                Err(e) => return Err(e.into()),
            };
            if drawn.focus.len() > 1 {
                let names: Vec<String> = drawn
                    .focus
                    .iter()
                    .map(|iri| {
                        let label = drawn
                            .picture
                            .nodes
                            .iter()
                            .find(|n| &n.iri == iri)
                            .map_or("", |n| n.label.as_str());
                        format!("{label} <{iri}>")
                    })
                    .collect();
                eprintln!(
                    "note: the focus names {} entities, all drawn: {}",
                    names.len(),
                    names.join(", ")
                );
            }
            for note in &drawn.picture.notes {
                eprintln!("note: {note}");
            }
            if !drawn.warnings.trim().is_empty() {
                eprintln!("dot: {}", drawn.warnings.trim());
            }
            if output.as_os_str() == "-" {
                let stdout = std::io::stdout();
                let mut out = stdout.lock();
                out.write_all(&drawn.bytes)
                    .context("writing to standard output")?;
                out.flush().ok();
            } else {
                newsgraph::export::write_atomic(&output, &drawn.bytes)
                    .with_context(|| format!("writing {}", output.display()))?;
                println!(
                    "drew {} nodes, {} edges{} → {}",
                    drawn.picture.nodes.len(),
                    drawn.picture.edges.len(),
                    if drawn.picture.dropped > 0 {
                        format!(" ({} not drawn)", drawn.picture.dropped)
                    } else {
                        String::new()
                    },
                    output.display()
                );
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

fn serve(opts: ServeOptions, quiet: bool) -> Result<u8> {
    let store = opts.store.clone();
    let server =
        Server::bind(opts.clone()).with_context(|| format!("serving {}", store.display()))?;
    let addr = server.addr();
    println!("listening on http://{addr}/");
    let limits = format!(
        "timeout {}, result limit {}",
        opts.timeout
            .map_or("none".to_string(), |t| format!("{}s", t.as_secs_f64())),
        opts.max_results
            .map_or("none".to_string(), |n| n.to_string())
    );
    println!(
        "{} quads from {}, {}, {limits}; query page http://{addr}/, SPARQL http://{addr}/query",
        server.quads()?,
        store.display(),
        if opts.writable {
            "writable (POST /update)"
        } else {
            "read-only"
        },
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {} — reachable from other machines{}",
            addr.ip(),
            if opts.writable { ", and writable" } else { "" }
        );
    }
    server.run(move |a: &Access| {
        if !quiet {
            eprintln!(
                "{} {} {} {:.1}ms",
                a.method,
                a.path,
                a.status,
                a.elapsed.as_secs_f64() * 1000.0
            );
        }
    });
    Ok(0)
}

/// Prints what a build or removal did; returns the exit code.
fn report(summary: &BuildSummary, out: &std::path::Path) -> u8 {
    let c = &summary.changes;
    if c.unindexed {
        eprintln!(
            "note: {} held graph files of a build without an article index (an older \
             newsgraph); they now show only this build's articles",
            out.display()
        );
    }
    if c.reextracted > 0 {
        eprintln!(
            "note: {} kept articles were extracted again from their stored text (this \
             newsgraph or its lexicons differ from those that built them)",
            c.reextracted
        );
    }
    for (what, ids) in [
        ("added", &c.added),
        ("replaced", &c.replaced),
        ("unchanged", &c.unchanged),
        ("removed", &c.removed),
    ] {
        if !ids.is_empty() && ids.len() <= 10 {
            eprintln!("{what}: {}", ids.join(", "));
        }
    }
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    for f in &summary.failed {
        eprintln!("error: {f}");
    }
    println!("{} → {}", summary.line(), out.display());
    if summary.failed.is_empty() {
        0
    } else {
        1
    }
}

fn parse_kind(s: &str) -> Result<NodeKind, String> {
    NodeKind::from_name(s).ok_or_else(|| {
        let all: Vec<&str> = NodeKind::ALL.iter().map(|k| k.name()).collect();
        format!("unknown kind {s:?} (kinds: {})", all.join(", "))
    })
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
