//! `newsgraph push`: sends a build's graphs to an external store, one named graph at a
//! time with replace semantics, either over the SPARQL 1.1 Graph Store HTTP Protocol (PUT
//! the first batch of a graph, POST the following ones) or over SPARQL Update (`DROP SILENT
//! GRAPH` + `INSERT DATA` batches); retries 5xx answers and connection errors with backoff,
//! and checks the per-graph triple counts on the target with a SPARQL query. Owns the HTTP
//! client side; reading the build is `store`'s.

use crate::store::{GraphStore, StoreError};
use base64::Engine as _;
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Where and how graphs are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A Graph Store Protocol endpoint (Oxigraph `/store`, Fuseki `/ds/data`, GraphDB
    /// `/repositories/R/rdf-graphs/service`, Virtuoso `/sparql-graph-crud`).
    GraphStore(String),
    /// A SPARQL Update endpoint (Oxigraph `/update`, Fuseki `/ds/update`, GraphDB
    /// `/repositories/R/statements`, Virtuoso `/sparql`).
    Update(String),
}

impl Target {
    fn url(&self) -> &str {
        match self {
            Target::GraphStore(u) | Target::Update(u) => u,
        }
    }
}

/// The body format of Graph Store Protocol requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PushFormat {
    /// Turtle with the project's prefixes (`text/turtle`).
    #[default]
    Turtle,
    /// N-Triples (`application/n-triples`).
    NTriples,
}

/// How to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// A build's output directory.
    pub store: PathBuf,
    /// Where to write.
    pub target: Target,
    /// Where to count the pushed triples; `None` guesses from the target URL.
    pub query_endpoint: Option<String>,
    /// Check the counts on the target after the push.
    pub check: bool,
    /// HTTP Basic credentials.
    pub basic_auth: Option<(String, String)>,
    /// Extra request headers (`Authorization: Bearer …`, …).
    pub headers: Vec<(String, String)>,
    /// Triples per request; a larger graph is split.
    pub batch_size: usize,
    /// Graphs sent at the same time, each over its own connection.
    pub parallel: usize,
    /// Body format for the Graph Store Protocol.
    pub format: PushFormat,
    /// Retries of one request after a 5xx answer or a connection error.
    pub retries: u32,
    /// The first retry's delay; each further retry doubles it (at most 30 s).
    pub backoff: Duration,
    /// Time limit of one request.
    pub request_timeout: Duration,
    /// Show a progress bar.
    pub progress: bool,
}

impl PushOptions {
    /// Options with defaults for everything but the build and the target.
    pub fn new(store: PathBuf, target: Target) -> Self {
        Self {
            store,
            target,
            query_endpoint: None,
            check: true,
            basic_auth: None,
            headers: Vec::new(),
            batch_size: 50_000,
            parallel: 2,
            format: PushFormat::Turtle,
            retries: 5,
            backoff: Duration::from_millis(500),
            request_timeout: Duration::from_secs(300),
            progress: false,
        }
    }
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The build could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The options do not make sense.
    #[error("{0}")]
    Options(String),
    /// The target answered with an error status.
    #[error("{method} {url} answered {status}: {body}")]
    Status {
        /// The request method.
        method: &'static str,
        /// The request URL.
        url: String,
        /// The status code.
        status: u16,
        /// The start of the answer's body.
        body: String,
    },
    /// The target could not be reached (after the retries).
    #[error("{method} {url} failed after {attempts} attempt(s): {message}")]
    Transport {
        /// The request method.
        method: &'static str,
        /// The request URL.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// The last error.
        message: String,
    },
    /// Serializing a batch failed.
    #[error("cannot serialize a batch: {0}")]
    Serialize(String),
    /// The target's count answer could not be read.
    #[error("cannot read the count from {url}: {message}")]
    CountAnswer {
        /// The query endpoint.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The target does not hold what was pushed.
    #[error("count check failed at {url}: {details}")]
    Mismatch {
        /// The query endpoint.
        url: String,
        /// The graphs whose counts differ, with expected and found counts.
        details: String,
    },
}

/// The result of the count check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountCheck {
    /// Every pushed graph has as many triples on the target as in the build.
    Matched {
        /// The query endpoint asked.
        endpoint: String,
    },
    /// Not asked for, or no query endpoint was given or could be guessed.
    Skipped,
}

/// What a push did.
#[derive(Debug, Clone)]
pub struct PushSummary {
    /// Graphs written.
    pub graphs: usize,
    /// Triples sent (each once, however often retried).
    pub triples: usize,
    /// Requests that succeeded.
    pub requests: usize,
    /// Requests that were retried.
    pub retries: usize,
    /// Time taken by the push (without the count check).
    pub elapsed: Duration,
    /// The count check.
    pub check: CountCheck,
}

impl PushSummary {
    /// Triples per second.
    pub fn rate(&self) -> f64 {
        self.triples as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The one-line summary.
    pub fn line(&self, target: &str) -> String {
        let check = match &self.check {
            CountCheck::Matched { endpoint } => format!("counts match at {endpoint}"),
            CountCheck::Skipped => "counts not checked".to_string(),
        };
        format!(
            "pushed {} triples in {} graphs ({} requests, {} retries) in {:.2}s ({:.0} triples/s) → {target}; {check}",
            self.triples,
            self.graphs,
            self.requests,
            self.retries,
            self.elapsed.as_secs_f64(),
            self.rate()
        )
    }
}

/// The query endpoint that usually sits beside a store's Graph Store or Update endpoint:
/// Oxigraph `/store`, `/update` → `/query`; Fuseki `/ds/data`, `/ds/update` → `/ds/sparql`;
/// GraphDB `/repositories/R/rdf-graphs/service`, `/repositories/R/statements` →
/// `/repositories/R`; Virtuoso `/sparql-graph-crud[-auth]` → `/sparql`.
pub fn guess_query_endpoint(url: &str) -> Option<String> {
    let base = url.split(['?', '#']).next().unwrap_or(url);
    let base = base.trim_end_matches('/');
    const RULES: &[(&str, &str)] = &[
        ("/rdf-graphs/service", ""),
        ("/statements", ""),
        ("/sparql-graph-crud-auth", "/sparql"),
        ("/sparql-graph-crud", "/sparql"),
        ("/store", "/query"),
        ("/data", "/sparql"),
        ("/update", "/query"),
        ("/sparql", "/sparql"),
    ];
    for (suffix, replacement) in RULES {
        if let Some(stem) = base.strip_suffix(suffix) {
            if *suffix == "/update" && is_fuseki_dataset(stem) {
                return Some(format!("{stem}/sparql"));
            }
            return Some(format!("{stem}{replacement}"));
        }
    }
    None
}

/// Fuseki's services sit under a dataset path (`http://host:3030/ds/update`); Oxigraph's at
/// the root (`http://host:7878/update`).
fn is_fuseki_dataset(stem: &str) -> bool {
    let path = stem
        .split_once("://")
        .map_or(stem, |(_, rest)| rest)
        .split_once('/')
        .map_or("", |(_, p)| p);
    !path.is_empty()
}

/// The Graph Store Protocol URL of one graph.
pub fn graph_url(endpoint: &str, graph: &GraphName) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    match graph {
        GraphName::DefaultGraph => format!("{endpoint}{sep}default"),
        GraphName::NamedNode(n) => {
            let q: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("graph", n.as_str())
                .finish();
            format!("{endpoint}{sep}{q}")
        }
        GraphName::BlankNode(b) => format!("{endpoint}{sep}graph=_:{}", b.as_str()),
    }
}

/// An HTTP client with the push's credentials, headers and retry policy.
struct Client {
    agent: ureq::Agent,
    headers: Vec<(String, String)>,
    retries: u32,
    backoff: Duration,
    requests: usize,
    retried: usize,
}

/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Client {
    fn new(opts: &PushOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(opts.request_timeout))
            .user_agent(concat!("newsgraph/", env!("CARGO_PKG_VERSION")))
            .build();
        let mut headers = opts.headers.clone();
        if let Some((user, password)) = &opts.basic_auth {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            headers.push(("Authorization".into(), format!("Basic {token}")));
        }
        Self {
            agent: config.into(),
            headers,
            retries: opts.retries,
            backoff: opts.backoff,
            requests: 0,
            retried: 0,
        }
    }

    /// Sends one request, retrying 5xx/408/429 answers and connection errors; returns the
    /// answer's body.
    fn send(
        &mut self,
        method: &'static str,
        url: &str,
        content_type: &str,
        accept: Option<&str>,
        body: &[u8],
    ) -> Result<Vec<u8>, PushError> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut req = match method {
                "PUT" => self.agent.put(url),
                _ => self.agent.post(url),
            }
            .header("Content-Type", content_type);
            if let Some(a) = accept {
                req = req.header("Accept", a);
            }
            for (k, v) in &self.headers {
                req = req.header(k.as_str(), v.as_str());
            }
            let (retry_after, failure) = match req.send(body) {
                Ok(mut resp) => {
                    let status = resp.status().as_u16();
                    let text = resp
                        .body_mut()
                        .with_config()
                        .limit(64 * 1024 * 1024)
                        .read_to_vec()
                        .unwrap_or_default();
                    if (200..300).contains(&status) {
                        self.requests += 1;
                        return Ok(text);
                    }
                    let err = PushError::Status {
                        method,
                        url: url.to_string(),
                        status,
                        body: String::from_utf8_lossy(&text).chars().take(500).collect(),
                    };
                    if !(status >= 500 || status == 408 || status == 429) {
                        return Err(err);
                    }
                    let after = resp
                        .headers()
                        .get("Retry-After")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    (after, err)
                }
                Err(e) => (
                    None,
                    PushError::Transport {
                        method,
                        url: url.to_string(),
                        attempts: attempt,
                        message: e.to_string(),
                    },
                ),
            };
            if attempt > self.retries {
                return Err(failure);
            }
            self.retried += 1;
            let delay = retry_after.unwrap_or_else(|| {
                self.backoff
                    .saturating_mul(1u32 << (attempt - 1).min(16))
                    .min(MAX_BACKOFF)
            });
            std::thread::sleep(delay.min(MAX_BACKOFF));
        }
    }
}

/// Serializes triples of one batch as a Graph Store Protocol body.
fn graph_body(quads: &[Quad], format: PushFormat) -> Result<Vec<u8>, PushError> {
    let ser = |e: std::io::Error| PushError::Serialize(e.to_string());
    let mut s = RdfSerializer::from_format(match format {
        PushFormat::Turtle => RdfFormat::Turtle,
        PushFormat::NTriples => RdfFormat::NTriples,
    });
    if format == PushFormat::Turtle {
        for (p, iri) in crate::rdf::vocab::PREFIXES {
            s = s
                .with_prefix(*p, *iri)
                .map_err(|e| PushError::Serialize(e.to_string()))?;
        }
    }
    let mut w = s.for_writer(Vec::new());
    for q in quads {
        w.serialize_triple(q.as_ref()).map_err(ser)?;
    }
    w.finish().map_err(ser)
}

/// The SPARQL Update text of one batch: `DROP SILENT GRAPH` first when `replace`, then
/// `INSERT DATA` of the batch, written by spargebra.
fn update_body(graph: &GraphName, quads: &[Quad], replace: bool) -> String {
    use spargebra::term::{GraphName as UGraph, Quad as UQuad};
    use spargebra::{GraphUpdateOperation, Update};
    let mut operations = Vec::new();
    if replace {
        let target = match graph {
            GraphName::NamedNode(n) => spargebra::algebra::GraphTarget::NamedNode(n.clone()),
            _ => spargebra::algebra::GraphTarget::DefaultGraph,
        };
        operations.push(GraphUpdateOperation::Drop {
            silent: true,
            graph: target,
        });
    }
    let g = match graph {
        GraphName::NamedNode(n) => UGraph::NamedNode(n.clone()),
        _ => UGraph::DefaultGraph,
    };
    operations.push(GraphUpdateOperation::InsertData {
        data: quads
            .iter()
            .map(|q| UQuad {
                subject: q.subject.clone(),
                predicate: q.predicate.clone(),
                object: q.object.clone(),
                graph_name: g.clone(),
            })
            .collect(),
    });
    Update {
        base_iri: None,
        operations,
    }
    .to_string()
}

/// Pushes the build in `opts.store` to the target and checks the counts.
pub fn push(opts: &PushOptions) -> Result<PushSummary, PushError> {
    if opts.batch_size == 0 {
        return Err(PushError::Options("--batch-size must be at least 1".into()));
    }
    let store = GraphStore::open(&opts.store)?;
    let graphs = store.graph_names()?;
    if let Some(g) = graphs.iter().find(|g| matches!(g, GraphName::BlankNode(_))) {
        return Err(PushError::Options(format!(
            "graph {g} is a blank node; only IRI-named graphs can be pushed"
        )));
    }
    let total = store.len()?;
    let bar = if opts.progress {
        let b = ProgressBar::new(total as u64);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} pushing [{bar:30}] {pos}/{len} triples ({per_sec}, eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    // Graphs are handed out one at a time to `parallel` workers, each with its own
    // connection; the first error stops them all.
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let worker = || -> Result<Worked, PushError> {
        let mut client = Client::new(opts);
        let mut done = Vec::new();
        while !failed.load(Ordering::SeqCst) {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(graph) = graphs.get(i) else { break };
            match push_graph(&mut client, opts, &store, graph, &bar) {
                Ok(n) => done.push((i, n)),
                Err(e) => {
                    failed.store(true, Ordering::SeqCst);
                    return Err(e);
                }
            }
            let n = finished.fetch_add(1, Ordering::SeqCst) + 1;
            bar.set_message(format!("{n}/{} graphs", graphs.len()));
        }
        Ok((done, client))
    };
    let outcomes: Vec<Result<Worked, PushError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..opts.parallel.max(1)).map(|_| s.spawn(worker)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(PushError::Options("a push thread panicked".into())))
            })
            .collect()
    });
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut client = Client::new(opts);
    for outcome in outcomes {
        let (done, c) = outcome?;
        counts.extend(done);
        client.requests += c.requests;
        client.retried += c.retried;
    }
    counts.sort_unstable();
    let sent: usize = counts.iter().map(|(_, n)| n).sum();
    let expected: Vec<(GraphName, usize)> = counts
        .iter()
        .filter_map(|(i, n)| graphs.get(*i).map(|g| (g.clone(), *n)))
        .collect();
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let endpoint = opts
        .query_endpoint
        .clone()
        .or_else(|| guess_query_endpoint(opts.target.url()))
        .filter(|_| opts.check);
    let check = match endpoint {
        Some(url) => {
            check_counts(&mut client, &url, &expected)?;
            CountCheck::Matched { endpoint: url }
        }
        None => CountCheck::Skipped,
    };
    Ok(PushSummary {
        graphs: graphs.len(),
        triples: sent,
        requests: client.requests,
        retries: client.retried,
        elapsed,
        check,
    })
}

/// What one push worker did: (graph index, triples) per graph sent, and its client.
type Worked = (Vec<(usize, usize)>, Client);

/// Sends one graph in batches (the first replaces); returns its triple count.
fn push_graph(
    client: &mut Client,
    opts: &PushOptions,
    store: &GraphStore,
    graph: &GraphName,
    bar: &ProgressBar,
) -> Result<usize, PushError> {
    let mut batch: Vec<Quad> = Vec::with_capacity(opts.batch_size.min(100_000));
    let mut first = true;
    let mut count = 0usize;
    let mut quads = store.graph_quads(graph);
    loop {
        let next = quads.next().transpose()?;
        let full = batch.len() == opts.batch_size;
        let last = next.is_none();
        if (full || last) && (!batch.is_empty() || first) {
            send_batch(client, opts, graph, &batch, first)?;
            first = false;
            count += batch.len();
            bar.inc(batch.len() as u64);
            batch.clear();
        }
        match next {
            Some(q) => batch.push(q),
            None => break,
        }
    }
    Ok(count)
}

fn send_batch(
    client: &mut Client,
    opts: &PushOptions,
    graph: &GraphName,
    batch: &[Quad],
    first: bool,
) -> Result<(), PushError> {
    match &opts.target {
        Target::GraphStore(endpoint) => {
            let url = graph_url(endpoint, graph);
            let media = match opts.format {
                PushFormat::Turtle => "text/turtle",
                PushFormat::NTriples => "application/n-triples",
            };
            let body = graph_body(batch, opts.format)?;
            client.send(if first { "PUT" } else { "POST" }, &url, media, None, &body)?;
        }
        Target::Update(endpoint) => {
            let body = update_body(graph, batch, first);
            client.send(
                "POST",
                endpoint,
                "application/sparql-update",
                None,
                body.as_bytes(),
            )?;
        }
    }
    Ok(())
}

/// Asks the target for the triple count of every named graph and compares it with what
/// was pushed (the default graph is not checked: stores differ in what it means).
fn check_counts(
    client: &mut Client,
    url: &str,
    expected: &[(GraphName, usize)],
) -> Result<(), PushError> {
    let query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g";
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", query)
        .finish();
    let body = client.send(
        "POST",
        url,
        "application/x-www-form-urlencoded",
        Some("application/sparql-results+json"),
        form.as_bytes(),
    )?;
    let bad = |message: String| PushError::CountAnswer {
        url: url.to_string(),
        message,
    };
    let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
        .for_reader(body.as_slice())
        .map_err(|e| bad(e.to_string()))?;
    let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
        return Err(bad("a boolean instead of solutions".into()));
    };
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for s in solutions {
        let s = s.map_err(|e| bad(e.to_string()))?;
        let (Some(Term::NamedNode(g)), Some(Term::Literal(n))) = (s.get("g"), s.get("n")) else {
            continue;
        };
        let n = n
            .value()
            .parse::<usize>()
            .map_err(|e| bad(format!("count {:?}: {e}", n.value())))?;
        found.insert(g.as_str().to_string(), n);
    }
    let mut wrong = Vec::new();
    for (g, n) in expected {
        let GraphName::NamedNode(iri) = g else {
            continue;
        };
        let got = found.get(iri.as_str()).copied().unwrap_or(0);
        if got != *n {
            wrong.push(format!("<{}> expected {n}, found {got}", iri.as_str()));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        let more = if wrong.len() > 5 {
            format!(" (and {} more)", wrong.len() - 5)
        } else {
            String::new()
        };
        wrong.truncate(5);
        Err(PushError::Mismatch {
            url: url.to_string(),
            details: format!("{}{more}", wrong.join("; ")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn query_endpoints_beside_store_endpoints() {
        let g = |u: &str| guess_query_endpoint(u);
        assert_eq!(
            g("http://localhost:7878/store"),
            Some("http://localhost:7878/query".into())
        );
        assert_eq!(
            g("http://localhost:7878/update"),
            Some("http://localhost:7878/query".into())
        );
        assert_eq!(
            g("http://h:3030/ds/data"),
            Some("http://h:3030/ds/sparql".into())
        );
        assert_eq!(
            g("http://h:3030/ds/update"),
            Some("http://h:3030/ds/sparql".into())
        );
        assert_eq!(
            g("http://h:7200/repositories/news/rdf-graphs/service"),
            Some("http://h:7200/repositories/news".into())
        );
        assert_eq!(
            g("http://h:7200/repositories/news/statements"),
            Some("http://h:7200/repositories/news".into())
        );
        assert_eq!(
            g("http://h:8890/sparql-graph-crud-auth"),
            Some("http://h:8890/sparql".into())
        );
        assert_eq!(g("http://h/elsewhere"), None);
    }

    #[test]
    fn graph_urls() -> Result<(), oxigraph::model::IriParseError> {
        let g = GraphName::from(NamedNode::new("https://w3id.org/newsgraph/article/a?b&c")?);
        assert_eq!(
            graph_url("http://h/store", &g),
            "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fnewsgraph%2Farticle%2Fa%3Fb%26c"
        );
        assert_eq!(
            graph_url("http://h/crud?x=1", &GraphName::DefaultGraph),
            "http://h/crud?x=1&default"
        );
        Ok(())
    }

    #[test]
    fn update_batches_parse_back() -> Result<(), Box<dyn std::error::Error>> {
        let g = GraphName::from(NamedNode::new("http://e/g")?);
        let q = Quad::new(
            NamedNode::new("http://e/s")?,
            NamedNode::new("http://e/p")?,
            Literal::new_simple_literal("line\n\"quoted\" }"),
            g.clone(),
        );
        let text = update_body(&g, std::slice::from_ref(&q), true);
        assert!(text.starts_with("DROP SILENT GRAPH <http://e/g>"), "{text}");
        let store = GraphStore::from_quads(&[])?;
        store.update(&text)?;
        assert_eq!(store.len()?, 1);
        let quads: Vec<Quad> = store.graph_quads(&g).collect::<Result<_, _>>()?;
        assert_eq!(quads, vec![q.clone()]);
        // Replacing drops what was there; appending keeps it.
        store.update(&update_body(&g, &[], true))?;
        assert_eq!(store.len()?, 0);
        Ok(())
    }

    #[test]
    fn turtle_batches_have_the_triples() -> Result<(), Box<dyn std::error::Error>> {
        let g = GraphName::from(NamedNode::new("http://e/g")?);
        let q = Quad::new(
            NamedNode::new("http://schema.org/x")?,
            NamedNode::new("http://e/p")?,
            Literal::new_simple_literal("v"),
            g,
        );
        let ttl = String::from_utf8(graph_body(&[q], PushFormat::Turtle)?)?;
        assert!(ttl.contains("schema:x <http://e/p> \"v\""), "{ttl}");
        let nt = String::from_utf8(graph_body(&[], PushFormat::NTriples)?)?;
        assert!(nt.is_empty());
        Ok(())
    }
}
