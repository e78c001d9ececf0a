//! The `newsgraph` binary: parses the command line and runs it.

mod cli;

use clap::Parser;
use std::process::ExitCode;

// Building a graph allocates many small strings on every thread: mimalloc is much faster
// at that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
