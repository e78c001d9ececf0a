//! The sample corpus against its golden N-Quads and DOT, and byte-identical rebuilds.

use crate::util::{assert_golden, build, root, tempdir};
use newsgraph::export::Format;

#[test]
fn sample_corpus_matches_golden_files() {
    let dir = tempdir();
    build(&["articles"], dir.path());
    let golden = root().join("tests/cases/sample/out");
    for f in [Format::NQuads, Format::Dot] {
        let actual = std::fs::read_to_string(dir.path().join(f.file_name())).expect("output");
        assert_golden(&golden.join(f.file_name()), &actual);
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let (a, b) = (tempdir(), tempdir());
    build(&["articles"], a.path());
    build(&["articles"], b.path());
    for f in Format::ALL {
        let x = std::fs::read(a.path().join(f.file_name())).expect("a");
        let y = std::fs::read(b.path().join(f.file_name())).expect("b");
        assert!(x == y, "{} differs between two builds", f.file_name());
    }
}

#[test]
fn rebuilding_into_the_same_directory_keeps_the_quad_count() {
    let dir = tempdir();
    let (first, _) = build(&["articles"], dir.path());
    let (second, _) = build(&["articles"], dir.path());
    assert_eq!(first.quads, second.quads);
    let store = newsgraph::store::GraphStore::open(dir.path()).expect("open");
    assert_eq!(store.len().expect("len"), second.quads);
    // With the rocksdb feature the on-disk store is what readers open: it must not
    // accumulate duplicates either.
    #[cfg(feature = "rocksdb")]
    assert!(dir.path().join("store").is_dir());
}
