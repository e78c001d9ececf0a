//! Helpers shared by the integration tests.

use newsgraph::pipeline::{self, BuildOptions, BuildSummary};
use oxigraph::model::Quad;
use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `inputs` (relative to the crate root) into `out`.
pub fn build(inputs: &[&str], out: &Path) -> (BuildSummary, Vec<Quad>) {
    let opts = BuildOptions::new(
        inputs.iter().map(PathBuf::from).collect(),
        out.to_path_buf(),
    );
    // Paths are given relative to the crate root, as a user in the checkout would.
    std::env::set_current_dir(root()).expect("crate root");
    let summary = pipeline::build(&opts).expect("build");
    (summary, read_nquads(&out.join("graph.nq")))
}

/// The quads of an N-Quads file, parsed by Oxigraph.
pub fn read_nquads(path: &Path) -> Vec<Quad> {
    let bytes = std::fs::read(path).expect("read graph.nq");
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .expect("valid N-Quads")
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Compares `actual` with the golden file, or rewrites it when UPDATE_GOLDEN=1.
pub fn assert_golden(golden: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("mkdir");
        std::fs::write(golden, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(golden)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", golden.display()));
    if expected != actual {
        let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
        let mut shown = 0;
        for i in 0..e.len().max(a.len()) {
            let (x, y) = (
                e.get(i).copied().unwrap_or("<none>"),
                a.get(i).copied().unwrap_or("<none>"),
            );
            if x != y && shown < 10 {
                eprintln!("line {}:\n  expected: {x}\n  actual:   {y}", i + 1);
                shown += 1;
            }
        }
        panic!(
            "{} differs from the build ({} vs {} lines); review and rerun with UPDATE_GOLDEN=1",
            golden.display(),
            e.len(),
            a.len()
        );
    }
}
