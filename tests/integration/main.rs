//! Integration tests, one binary. Each module says what belongs in it.

/// The command line, run as a user would, in temp dirs.
mod cli;
/// Contract checks (SPARQL ASK queries) over built graphs.
mod contract;
/// The fixture corpus: extraction invariants on every article.
mod fixtures;
/// Golden files of the sample corpus, and determinism.
mod golden;
/// Incremental builds: add, replace, remove, crash safety.
mod incremental;
/// The merger on the merge corpus: look-alikes apart, variants together.
mod merge;
/// Pictures: SVG/PNG/DOT, overlap checks, the render command.
mod render;
/// Shared helpers.
mod util;
