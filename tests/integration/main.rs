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
/// The merger on the merge corpus: look-alikes apart, variants together.
mod merge;
/// Inputs as they come in the wild; exit codes; outputs re-parsed, offsets exact.
mod robust;
/// Shared helpers.
mod util;
