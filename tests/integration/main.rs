//! Integration tests, one binary. Each module says what belongs in it.

/// Odd names (quotes, brackets, `#`, `%`, newlines, Unicode): valid IRIs and literals.
mod adversarial;
/// The command line, run as a user would, in temp dirs.
mod cli;
/// Contract checks (SPARQL ASK queries) over built graphs.
mod contract;
/// The fixture corpus: extraction invariants on every article.
mod fixtures;
/// The synthetic corpus generator, and the streamed writer against the reference writer.
mod gencorpus;
/// Golden files of the sample corpus, and determinism.
mod golden;
/// Incremental builds: add, replace, remove, crash safety.
mod incremental;
/// Python's rdflib and SPARQLWrapper read the build's files and the endpoint.
mod interop;
/// The merger on the merge corpus: look-alikes apart, variants together.
mod merge;
/// `newsgraph push` into a real Oxigraph server: counts, no duplicates, retries.
mod push;
/// Pictures: SVG/PNG/DOT, overlap checks, the render command.
mod render;
/// Inputs as they come in the wild; exit codes; outputs re-parsed, offsets exact.
mod robust;
/// `newsgraph serve` over HTTP: protocol forms, formats, status codes, CORS, limits.
mod serve;
/// Real servers and tools for the HTTP tests (newsgraph serve, Oxigraph, Python).
mod servers;
/// Shared helpers.
mod util;
