//! Real servers and tools for the endpoint, push and interop tests: `newsgraph serve` (the
//! built binary), an Oxigraph server (`NEWSGRAPH_OXIGRAPH_BIN` or `oxigraph` on PATH), and
//! a Python with rdflib (`NEWSGRAPH_PYTHON` or `python3` on PATH). `.ci/run` installs the
//! last two; without them a test is skipped with a notice, unless `CI` or
//! `NEWSGRAPH_REQUIRE_SERVERS=1` is set, where it fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether missing servers fail the tests instead of skipping them.
pub fn required() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    ci || std::env::var("NEWSGRAPH_REQUIRE_SERVERS").is_ok_and(|v| v == "1")
}

/// Skips (prints a notice, returns `None`) or fails when a tool is missing.
fn missing<T>(what: &str, how: &str) -> Option<T> {
    if required() {
        panic!("{what} is missing and CI / NEWSGRAPH_REQUIRE_SERVERS=1 requires it: {how}");
    }
    // Written past the test harness's capture, so the skip shows in a normal run.
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED: {what} is missing ({how}); set NEWSGRAPH_REQUIRE_SERVERS=1 to make this a failure"
    );
    None
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The Oxigraph server binary, if there is one.
pub fn oxigraph_bin() -> Option<PathBuf> {
    let found = std::env::var_os("NEWSGRAPH_OXIGRAPH_BIN")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| on_path("oxigraph"));
    match found {
        Some(p) => Some(p),
        None => missing(
            "the Oxigraph server",
            "pip install oxigraph (bash .ci/run does, into ~/.cache/newsgraph-venv) and set NEWSGRAPH_OXIGRAPH_BIN",
        ),
    }
}

/// A Python that imports rdflib (and SPARQLWrapper), if there is one.
pub fn python() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("NEWSGRAPH_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(on_path("python3"))
        .collect();
    for p in candidates {
        let ok = Command::new(&p)
            .args(["-c", "import rdflib, SPARQLWrapper"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(p);
        }
    }
    missing(
        "a Python with rdflib and SPARQLWrapper",
        "pip install rdflib sparqlwrapper (bash .ci/run does, into ~/.cache/newsgraph-venv) and set NEWSGRAPH_PYTHON",
    )
}

/// Runs a Python script with arguments; returns its stdout, failing on a non-zero exit.
pub fn run_python(python: &Path, script: &str, args: &[&str]) -> String {
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A child process killed when dropped.
pub struct Running {
    child: Child,
    // Kept open: the server's later lines must not meet a closed pipe.
    _stdout: Option<BufReader<ChildStdout>>,
    /// The server's base URL, without a trailing slash.
    pub url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

/// Starts `newsgraph serve --store DIR --bind 127.0.0.1:0 ARGS` and reads the address it
/// prints.
pub fn newsgraph_serve(store: &Path, args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .arg("serve")
        .arg("--store")
        .arg(store)
        .args(["--bind", "127.0.0.1:0", "--quiet", "--threads", "3"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start newsgraph serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let _ = stdout.read_line(&mut line);
    let Some(url) = line
        .trim()
        .strip_prefix("listening on ")
        .map(|u| u.trim_end_matches('/').to_string())
    else {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let _ = child.kill();
        panic!("newsgraph serve did not start: {line:?} {err}");
    };
    Running {
        child,
        _stdout: Some(stdout),
        url,
    }
}

/// Starts an in-memory Oxigraph server on a free loopback port and waits until it answers.
pub fn oxigraph(bin: &Path) -> Running {
    oxigraph_on(bin, free_port())
}

/// Starts an in-memory Oxigraph server on this port and waits until it answers.
pub fn oxigraph_on(bin: &Path, port: u16) -> Running {
    let child = Command::new(bin)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start oxigraph serve");
    let running = Running {
        child,
        _stdout: None,
        url: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    loop {
        let ask = format!("{}/query?query=ASK%7B%7D", running.url);
        if ureq::get(&ask).call().is_ok() {
            return running;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "oxigraph did not answer on port {port} within 20s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An HTTP agent that returns error statuses as responses.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// A response's status, `Content-Type`, other headers asked for, and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// The value of a header, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a ureq response into an [`Answer`].
pub fn answer(resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut resp = resp.expect("HTTP request");
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let body = resp
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

/// Asks a SPARQL endpoint for one number (`SELECT (COUNT(*) AS ?n) …`) in CSV.
pub fn count(query_url: &str, query: &str) -> usize {
    let a = answer(
        agent()
            .post(query_url)
            .header("Accept", "text/csv")
            .send_form([("query", query)]),
    );
    assert_eq!(a.status, 200, "{query}: {}", a.body);
    a.body
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in {:?}", a.body))
}
