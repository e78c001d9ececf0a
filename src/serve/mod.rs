//! `newsgraph serve`: a SPARQL 1.1 Protocol endpoint over a build's store, at the paths
//! Oxigraph's server uses (`/query`, `/update`, `/store`), with content negotiation, CORS,
//! a query timeout and a result limit, read-only unless made writable, and a small HTML
//! page at `/`. Owns HTTP routing and status codes; query evaluation is `store`'s,
//! request parsing `protocol`'s, format choice `negotiate`'s.

pub mod negotiate;
mod page;
pub mod protocol;

use crate::store::{write_answer_as, Answer, GraphSelection, GraphStore, QueryOptions, StoreError};
use protocol::{HttpError, Kind, Params};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Request bodies larger than this are refused (413).
pub const MAX_BODY: u64 = 64 * 1024 * 1024;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// A build's output directory.
    pub store: PathBuf,
    /// The address to listen on (port 0: any free port).
    pub bind: String,
    /// Accept SPARQL Update on `/update`.
    pub writable: bool,
    /// Cancel queries after this long.
    pub timeout: Option<Duration>,
    /// Refuse answers with more rows (or triples) than this.
    pub max_results: Option<usize>,
    /// Send CORS headers and answer preflight requests.
    pub cors: bool,
    /// Queries without `GRAPH` see the union of all graphs.
    pub union_default_graph: bool,
    /// Worker threads handling requests.
    pub threads: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            store: PathBuf::from("output"),
            bind: "127.0.0.1:7878".into(),
            writable: false,
            timeout: Some(Duration::from_secs(30)),
            max_results: Some(100_000),
            cors: true,
            union_default_graph: false,
            threads: 4,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {message}")]
    Bind {
        /// The address.
        addr: String,
        /// What went wrong.
        message: String,
    },
}

/// One handled request, for the access log.
#[derive(Debug, Clone)]
pub struct Access {
    /// HTTP method.
    pub method: String,
    /// The path (without the query string).
    pub path: String,
    /// The response status.
    pub status: u16,
    /// Time taken.
    pub elapsed: Duration,
}

/// A bound server, ready to run.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
    addr: SocketAddr,
}

struct State {
    store: GraphStore,
    opts: ServeOptions,
    page: String,
}

/// A response before it is sent.
struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    /// Sent instead of `body` (chunked) when set: a serialization running on its own thread.
    stream: Option<std::io::PipeReader>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn ok(content_type: String, body: Vec<u8>) -> Self {
        Self {
            status: 200,
            content_type,
            body,
            stream: None,
            headers: Vec::new(),
        }
    }

    fn error(e: HttpError) -> Self {
        let mut body = e.message.into_bytes();
        body.push(b'\n');
        Self {
            status: e.status,
            content_type: "text/plain; charset=utf-8".into(),
            body,
            stream: None,
            headers: Vec::new(),
        }
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

impl Server {
    /// Opens the store and binds the address; nothing is served until [`Server::run`].
    pub fn bind(opts: ServeOptions) -> Result<Self, ServeError> {
        let store = if opts.writable {
            GraphStore::open_writable(&opts.store)?
        } else {
            GraphStore::open(&opts.store)?
        };
        let http = tiny_http::Server::http(opts.bind.as_str()).map_err(|e| ServeError::Bind {
            addr: opts.bind.clone(),
            message: e.to_string(),
        })?;
        let addr = http.server_addr().to_ip().ok_or_else(|| ServeError::Bind {
            addr: opts.bind.clone(),
            message: "not an IP address".into(),
        })?;
        let page = page::index(opts.writable);
        Ok(Self {
            http: Arc::new(http),
            state: Arc::new(State { store, opts, page }),
            addr,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The number of quads served.
    pub fn quads(&self) -> Result<usize, StoreError> {
        self.state.store.len()
    }

    /// Serves requests until the process ends, each handled by one of the worker threads;
    /// `log` sees every request after its response is sent.
    pub fn run(self, log: impl Fn(&Access) + Send + Sync + 'static) {
        let log = Arc::new(log);
        let workers: Vec<_> = (0..self.state.opts.threads.max(1))
            .map(|_| {
                let (http, state, log) = (
                    Arc::clone(&self.http),
                    Arc::clone(&self.state),
                    Arc::clone(&log),
                );
                std::thread::spawn(move || {
                    while let Ok(req) = http.recv() {
                        let access = handle(&state, req);
                        log(&access);
                    }
                })
            })
            .collect();
        for w in workers {
            // A worker only ends when the listener fails; the others keep serving.
            let _ = w.join();
        }
    }
}

fn header<'a>(req: &'a tiny_http::Request, name: &str) -> Option<&'a str> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn read_body(req: &mut tiny_http::Request) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    req.as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| HttpError::new(400, format!("cannot read the request body: {e}")))?;
    if body.len() as u64 > MAX_BODY {
        return Err(HttpError::new(
            413,
            format!("request body larger than {MAX_BODY} bytes"),
        ));
    }
    Ok(body)
}

fn handle(state: &Arc<State>, mut req: tiny_http::Request) -> Access {
    let started = Instant::now();
    let method = req.method().as_str().to_ascii_uppercase();
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let params = protocol::parse_params(query.as_bytes());
    let reply = route(state, &mut req, &method, path, &params).unwrap_or_else(Reply::error);
    let status = reply.status;
    let mut resp = match reply.stream {
        Some(reader) => tiny_http::Response::new(
            tiny_http::StatusCode(status),
            Vec::new(),
            reader,
            None,
            None,
        )
        .boxed(),
        None => tiny_http::Response::from_data(reply.body)
            .with_status_code(status)
            .boxed(),
    };
    let mut headers = reply.headers;
    headers.push(("Content-Type", reply.content_type));
    if status == 405 {
        if let Some(m) = methods_for(path) {
            headers.push(("Allow", m.to_string()));
        }
    }
    if state.opts.cors {
        headers.push(("Access-Control-Allow-Origin", "*".into()));
    }
    for (name, value) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            resp.add_header(h);
        }
    }
    // The client may have gone; nothing to do then.
    let _ = req.respond(resp);
    Access {
        method,
        path: path.to_string(),
        status,
        elapsed: started.elapsed(),
    }
}

/// Whether the request comes from a browser page of another origin than this server's.
fn cross_origin(req: &tiny_http::Request) -> bool {
    let Some(origin) = header(req, "Origin") else {
        return false;
    };
    let host = header(req, "Host").unwrap_or("");
    let own = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|rest| rest.eq_ignore_ascii_case(host));
    !own
}

/// The methods a path answers, or `None` for an unknown path.
fn methods_for(path: &str) -> Option<&'static str> {
    Some(match path {
        "/" | "/index.html" => "GET, HEAD, OPTIONS",
        "/query" => "GET, POST, OPTIONS",
        "/update" => "POST, OPTIONS",
        "/store" => "GET, HEAD, PUT, POST, DELETE, OPTIONS",
        _ => return None,
    })
}

fn allowed(methods: &str, method: &str) -> Result<(), HttpError> {
    if methods.split(", ").any(|m| m == method) {
        Ok(())
    } else {
        Err(HttpError::new(
            405,
            format!("method {method} is not allowed here (allowed: {methods})"),
        ))
    }
}

fn route(
    state: &Arc<State>,
    req: &mut tiny_http::Request,
    method: &str,
    path: &str,
    params: &Params,
) -> Result<Reply, HttpError> {
    let Some(methods) = methods_for(path) else {
        return Err(HttpError::new(
            404,
            format!("no such path {path}: try /, /query, /update or /store"),
        ));
    };
    if method == "OPTIONS" {
        return Ok(preflight(state, req, methods));
    }
    let writes =
        path == "/update" || (path == "/store" && matches!(method, "PUT" | "POST" | "DELETE"));
    if writes && state.opts.writable && cross_origin(req) {
        // A page on any site can make a browser POST a form here (no preflight needed),
        // so writes from other origins are refused; queries are not.
        return Err(HttpError::new(
            403,
            "writes from another origin (a web page elsewhere) are refused; send them without an Origin header, e.g. with curl or newsgraph push",
        ));
    }
    if path == "/update" && !state.opts.writable {
        let status = if method == "POST" { 403 } else { 405 };
        return Err(HttpError::new(
            status,
            "this endpoint is read-only: start `newsgraph serve --writable` to accept SPARQL Update",
        ));
    }
    if path == "/store" && matches!(method, "PUT" | "POST" | "DELETE") {
        if !state.opts.writable {
            return Err(HttpError::new(
                405,
                "the Graph Store Protocol is read-only here (GET, HEAD): start `newsgraph serve --writable` to accept PUT, POST and DELETE",
            ));
        }
        return graph_store_write(state, req, method, params);
    }
    allowed(methods, method)?;
    match path {
        "/query" => {
            let body = read_body(req)?;
            let op = protocol::operation(
                Kind::Query,
                method,
                params,
                header(req, "Content-Type"),
                &body,
            )?;
            let wanted = wanted(req, params);
            query(state, &op, &wanted)
        }
        "/update" => {
            let body = read_body(req)?;
            let op = protocol::operation(
                Kind::Update,
                method,
                params,
                header(req, "Content-Type"),
                &body,
            )?;
            update(state, &op)
        }
        "/store" => {
            let wanted = wanted(req, params);
            graph_store(state, params, &wanted)
        }
        _ => Ok(Reply::ok(
            "text/html; charset=utf-8".into(),
            state.page.clone().into_bytes(),
        )),
    }
}

/// The `format=` parameter and the `Accept` header.
fn wanted(req: &tiny_http::Request, params: &Params) -> negotiate::Wanted {
    negotiate::Wanted {
        format: protocol::param(params, "format").map(str::to_string),
        accept: header(req, "Accept").map(str::to_string),
    }
}

fn preflight(state: &State, req: &tiny_http::Request, methods: &str) -> Reply {
    let mut reply = Reply {
        status: 204,
        content_type: "text/plain".into(),
        body: Vec::new(),
        stream: None,
        headers: vec![("Allow", methods.to_string())],
    };
    if state.opts.cors {
        let asked = header(req, "Access-Control-Request-Headers")
            .unwrap_or("Content-Type, Accept")
            .to_string();
        reply = reply
            .with_header("Access-Control-Allow-Methods", methods)
            .with_header("Access-Control-Allow-Headers", asked)
            .with_header("Access-Control-Max-Age", "86400");
    }
    reply
}

fn store_error(e: StoreError) -> HttpError {
    let status = match &e {
        StoreError::Syntax(_) | StoreError::BadData(_) => 400,
        StoreError::NoSuchGraph(_) => 404,
        StoreError::TooLarge(_) => 422,
        StoreError::Timeout(_) => 503,
        _ => 500,
    };
    HttpError::new(status, e.to_string())
}

fn query(
    state: &Arc<State>,
    op: &protocol::Operation,
    wanted: &negotiate::Wanted,
) -> Result<Reply, HttpError> {
    let opts = QueryOptions {
        timeout: state.opts.timeout,
        max_results: state.opts.max_results,
        default_graphs: op.default_graphs.clone(),
        named_graphs: op.named_graphs.clone(),
        union_default_graph: state.opts.union_default_graph,
    };
    let answer = evaluate(state, &op.text, opts)?;
    let mut body = Vec::new();
    let content_type = if let Answer::Graph(_) = answer {
        let f = wanted.graph().ok_or_else(|| not_acceptable(true, false))?;
        write_answer_as(
            &answer,
            oxigraph::sparql::results::QueryResultsFormat::Json,
            f,
            &mut body,
        )
        .map_err(store_error)?;
        negotiate::rdf_media(f)
    } else {
        let f = wanted
            .results()
            .ok_or_else(|| not_acceptable(false, false))?;
        write_answer_as(&answer, f, oxigraph::io::RdfFormat::Turtle, &mut body)
            .map_err(store_error)?;
        negotiate::results_media(f)
    };
    Ok(Reply::ok(content_type, body).with_header("Vary", "Accept"))
}

/// How long past the deadline a query may take to notice its cancellation before the
/// client is told it timed out anyway.
const CANCEL_GRACE: Duration = Duration::from_millis(200);

/// Evaluates a query. With a timeout it runs on its own thread: Oxigraph checks the
/// cancellation token as it reads the store, but some operators (joins and aggregates over
/// intermediate results) can go on a while before the next check, so the client is
/// answered at the deadline and the thread ends when the evaluation notices.
fn evaluate(state: &Arc<State>, text: &str, opts: QueryOptions) -> Result<Answer, HttpError> {
    let Some(timeout) = opts.timeout else {
        return state.store.query_with(text, &opts).map_err(store_error);
    };
    let (send, receive) = std::sync::mpsc::channel();
    let (state, text) = (Arc::clone(state), text.to_string());
    std::thread::spawn(move || {
        // The receiver is gone when the client was already answered.
        let _ = send.send(state.store.query_with(&text, &opts));
    });
    match receive.recv_timeout(timeout + CANCEL_GRACE) {
        Ok(result) => result.map_err(store_error),
        Err(_) => Err(store_error(StoreError::Timeout(timeout))),
    }
}

fn not_acceptable(graph: bool, dataset: bool) -> HttpError {
    HttpError::new(
        406,
        format!(
            "no acceptable format; available: {}",
            negotiate::offered(graph, dataset)
        ),
    )
}

fn update(state: &State, op: &protocol::Operation) -> Result<Reply, HttpError> {
    if !op.default_graphs.is_empty() || !op.named_graphs.is_empty() {
        return Err(HttpError::new(
            400,
            "using-graph-uri / using-named-graph-uri are not supported; use USING in the update",
        ));
    }
    state.store.update(&op.text).map_err(store_error)?;
    Ok(Reply {
        status: 204,
        content_type: "text/plain".into(),
        body: Vec::new(),
        stream: None,
        headers: Vec::new(),
    })
}

/// Graph Store Protocol writes (`--writable` only): PUT replaces a graph (201 when it is
/// new), POST adds to it, DELETE removes it.
fn graph_store_write(
    state: &State,
    req: &mut tiny_http::Request,
    method: &str,
    params: &Params,
) -> Result<Reply, HttpError> {
    let which = match protocol::graph_target(params)? {
        protocol::GraphTarget::Dataset => GraphSelection::Dataset,
        protocol::GraphTarget::Default => GraphSelection::Default,
        protocol::GraphTarget::Named(iri) => GraphSelection::Named(iri),
    };
    let done = |status: u16| Reply {
        status,
        content_type: "text/plain".into(),
        body: Vec::new(),
        stream: None,
        headers: Vec::new(),
    };
    if method == "DELETE" {
        state.store.delete_graph(&which).map_err(store_error)?;
        return Ok(done(204));
    }
    let content_type = header(req, "Content-Type").map(str::to_string);
    let format = content_type
        .as_deref()
        .and_then(oxigraph::io::RdfFormat::from_media_type)
        .ok_or_else(|| {
            HttpError::new(
                415,
                format!(
                    "unsupported Content-Type {:?}: send an RDF format (text/turtle, application/n-triples, application/trig, application/n-quads, …)",
                    content_type.as_deref().unwrap_or("")
                ),
            )
        })?;
    let body = read_body(req)?;
    let existed = state
        .store
        .write_graph(&which, format, &body, method == "PUT")
        .map_err(store_error)?;
    Ok(done(if existed { 204 } else { 201 }))
}

fn graph_store(
    state: &Arc<State>,
    params: &Params,
    wanted: &negotiate::Wanted,
) -> Result<Reply, HttpError> {
    let (which, format) = match protocol::graph_target(params)? {
        protocol::GraphTarget::Dataset => (
            GraphSelection::Dataset,
            wanted
                .dataset()
                .ok_or_else(|| not_acceptable(false, true))?,
        ),
        protocol::GraphTarget::Default => (
            GraphSelection::Default,
            wanted.graph().ok_or_else(|| not_acceptable(true, false))?,
        ),
        protocol::GraphTarget::Named(iri) => (
            GraphSelection::Named(iri),
            wanted.graph().ok_or_else(|| not_acceptable(true, false))?,
        ),
    };
    if let GraphSelection::Named(iri) = &which {
        if !state.store.has_named_graph(iri).map_err(store_error)? {
            return Err(store_error(StoreError::NoSuchGraph(iri.clone())));
        }
    }
    // Streamed: a whole dataset can be far larger than anyone wants held in memory. A
    // storage error after the first bytes can only cut the stream short.
    let (reader, mut writer) = std::io::pipe()
        .map_err(|e| HttpError::new(500, format!("cannot stream the graph: {e}")))?;
    let state = Arc::clone(state);
    std::thread::spawn(move || {
        // Fails only when the client stops reading; nothing to tell anyone then.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut writer);
        let _ = state.store.dump(&which, format, &mut out);
        let _ = out.flush();
    });
    let mut reply =
        Reply::ok(negotiate::rdf_media(format), Vec::new()).with_header("Vary", "Accept");
    reply.stream = Some(reader);
    Ok(reply)
}
