//! The command line: clap types, turning arguments into library calls, and user-facing
//! messages. Never parses article text or names an RDF term.

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use newsgraph::export::NodeKind;
use newsgraph::pipeline::{self, BuildError, BuildOptions, BuildSummary, RemoveOptions};
use newsgraph::render::{self as draw, Engine, PictureFormat, RenderError, RenderOptions};
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
    /// Build the graph from articles (.txt, .jsonl; directories are searched recursively).
    /// Adds to what the output directory holds: an article with the id of one already
    /// there replaces it; the others stay.
    #[command(
        after_help = "Examples:\n  newsgraph build                      # the bundled articles/ into output/\n  newsgraph build news/ more.jsonl --out graph/\n  newsgraph build --lexicon my-lexicon/ articles/\n  newsgraph build new-story.txt --out graph/   # adds it to graph/ (the rest is kept)"
    )]
    Build {
        /// Article files and directories [default: articles/].
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

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Build {
            paths,
            out,
            lexicons,
            quiet,
        } => {
            let inputs = if paths.is_empty() {
                vec![PathBuf::from("articles")]
            } else {
                paths
            };
            let opts = BuildOptions {
                inputs,
                out: out.clone(),
                lexicons,
                progress: !quiet,
            };
            let (summary, _) = pipeline::build(&opts)
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
                Ok((summary, _)) => Ok(report(&summary, &out)),
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
        Command::Explain { name, store } => {
            let g = GraphStore::open(&store)?;
            explain(&g, &name)?;
            Ok(0)
        }
    }
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

fn literal_or_iri(t: &Option<oxigraph::model::Term>) -> String {
    match t {
        Some(oxigraph::model::Term::Literal(l)) => l.value().to_string(),
        Some(oxigraph::model::Term::NamedNode(n)) => n.as_str().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn explain(g: &GraphStore, name: &str) -> Result<()> {
    let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
    let find = if name.starts_with("http://") || name.starts_with("https://") {
        format!("SELECT DISTINCT ?e WHERE {{ BIND(<{name}> AS ?e) GRAPH <https://w3id.org/newsgraph/graph/merged> {{ ?e ?p ?o }} }}")
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
