//! Pictures: the SVG is well-formed, shows every node's label and attributes, and no two
//! texts overlap (sample corpus and the 20 fixture articles, whole graph and main meeting);
//! Graphviz renders our DOT without warnings; the `render` command's focus, filters,
//! formats, errors and determinism.

use crate::util::{build, root, tempdir};
use assert_cmd::Command;
use newsgraph::export::{self, Facts, Picture, Selection};
use std::path::Path;

/// A text element of an SVG and its box.
#[derive(Debug)]
struct TextBox {
    text: String,
    node: Option<String>,
    bbox: (f64, f64, f64, f64),
}

fn attr(n: &roxmltree::Node, name: &str) -> f64 {
    n.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("text without numeric {name}"))
}

/// Every `<text>` of `svg` with its box, measured with the font the SVG names.
fn texts(svg: &str) -> Vec<TextBox> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let mut out = Vec::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let text: String = t.text().unwrap_or("").to_string();
        let (x, y, size) = (attr(&t, "x"), attr(&t, "y"), attr(&t, "font-size"));
        let bold = t.attribute("font-weight") == Some("bold");
        let w = export::text_width(&text, size, bold);
        let left = match t.attribute("text-anchor") {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let node = t
            .parent()
            .filter(|p| p.has_tag_name("g"))
            .and_then(|g| g.children().find(|c| c.has_tag_name("title")))
            .and_then(|c| c.text())
            .map(str::to_string);
        out.push(TextBox {
            text,
            node,
            bbox: (left, y - 0.905 * size, left + w, y + 0.212 * size),
        });
    }
    out
}

/// Fails on any two texts whose boxes intersect.
fn assert_no_overlap(svg: &str, what: &str) {
    let ts = texts(svg);
    assert!(!ts.is_empty(), "{what}: no text");
    let mut clashes = Vec::new();
    for (i, a) in ts.iter().enumerate() {
        for b in &ts[i + 1..] {
            let (l1, t1, r1, b1) = a.bbox;
            let (l2, t2, r2, b2) = b.bbox;
            if l1 < r2 - 0.5 && l2 < r1 - 0.5 && t1 < b2 - 0.5 && t2 < b1 - 0.5 {
                clashes.push(format!(
                    "{:?} {:?} / {:?} {:?}",
                    a.text, a.bbox, b.text, b.bbox
                ));
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "{what}: {} overlapping texts, first: {}",
        clashes.len(),
        clashes
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    );
}

#[test]
fn the_overlap_check_sees_overlaps() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><text x="10" y="20" font-size="12" font-weight="normal" text-anchor="start">attended</text><text x="40" y="24" font-size="10" font-weight="normal" text-anchor="middle">hosted</text></svg>"#;
    let caught = std::panic::catch_unwind(|| assert_no_overlap(svg, "test"));
    assert!(caught.is_err());
    let apart = svg.replace(r#"y="24""#, r#"y="40""#);
    assert_no_overlap(&apart, "test");
}

/// Every node's name and attributes are written, as its own texts.
fn assert_labels(svg: &str, pic: &Picture, what: &str) {
    let ts = texts(svg);
    for n in &pic.nodes {
        let mine: Vec<&str> = ts
            .iter()
            .filter(|t| t.node.as_deref() == Some(n.iri.as_str()))
            .map(|t| t.text.as_str())
            .collect();
        let shown = mine.join(" ");
        let mut want = n.label.clone();
        for a in &n.attrs {
            want.push(' ');
            want.push_str(a);
        }
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(norm(&shown), norm(&want), "{what}: node {}", n.iri);
    }
}

fn facts_of(inputs: &[&str], dir: &Path) -> Facts {
    let (_, quads) = build(inputs, dir);
    Facts::from_quads(&quads, None)
}

fn check_pictures(inputs: &[&str], what: &str) -> (Picture, Picture) {
    let dir = tempdir();
    let facts = facts_of(inputs, dir.path());
    let whole = facts.picture(&Selection::default());
    let meeting = export::main_meeting_picture(&facts).expect("a main meeting");
    for (pic, name) in [(&whole, "whole graph"), (&meeting, "main meeting")] {
        let svg = export::to_svg(pic);
        assert_no_overlap(&svg, &format!("{what}, {name}"));
        assert_labels(&svg, pic, &format!("{what}, {name}"));
    }
    // The build wrote the same pictures.
    let built = std::fs::read_to_string(dir.path().join("graph.svg")).expect("graph.svg");
    assert_eq!(built, export::to_svg(&whole));
    let built = std::fs::read_to_string(dir.path().join(export::MEETING_SVG)).expect("meeting.svg");
    assert_eq!(built, export::to_svg(&meeting));
    (whole, meeting)
}

#[test]
fn sample_pictures_are_readable() {
    let (whole, meeting) = check_pictures(&["articles"], "sample");
    assert!(whole.nodes.len() > 30);
    // The main meeting of the sample: the Islamabad intelligence chiefs' meeting, with its
    // hosts, attendees and place.
    assert_eq!(
        meeting.nodes[0].label,
        "Meeting of intelligence chiefs in Islamabad"
    );
    assert_eq!(
        meeting.nodes[0].attrs,
        vec!["meeting · 2021-09-11".to_string()]
    );
    let labels: Vec<&str> = meeting.nodes.iter().map(|n| n.label.as_str()).collect();
    for want in [
        "Faiz Hameed",
        "Inter-Services Intelligence",
        "China",
        "Islamabad",
    ] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    assert!(meeting
        .edges
        .iter()
        .any(|e| e.rel == export::Rel::Hosted && meeting.nodes[e.from].label == "Pakistan"));
}

#[test]
fn fixture_pictures_are_readable() {
    let (whole, meeting) = check_pictures(&["tests/fixtures/articles"], "fixtures");
    assert!(whole.nodes.len() > 60, "{}", whole.nodes.len());
    assert!(meeting.nodes.len() >= 3);
}

#[test]
fn size_guard_says_what_it_dropped() {
    let dir = tempdir();
    let facts = facts_of(&["tests/fixtures/articles"], dir.path());
    let pic = facts.picture(&Selection {
        max_nodes: 20,
        ..Selection::default()
    });
    assert_eq!(pic.nodes.len(), 20);
    assert!(pic.dropped > 0);
    assert!(pic.notes[0].contains("not drawn") && pic.notes[0].contains("--focus"));
    let svg = export::to_svg(&pic);
    assert!(svg.contains("not drawn"));
    assert_no_overlap(&svg, "size guard");
}

fn dot_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn graphviz_renders_our_dot_without_warnings() {
    if !dot_available() {
        // CI installs Graphviz (.ci/run): there, a missing dot is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz's dot is missing on CI"
        );
        eprintln!("SKIPPED: Graphviz's dot is not installed (.ci/run installs it)");
        return;
    }
    for inputs in ["articles", "tests/fixtures/articles"] {
        let dir = tempdir();
        let facts = facts_of(&[inputs], dir.path());
        let whole = std::fs::read_to_string(dir.path().join("graph.dot")).expect("graph.dot");
        let meeting = export::to_dot(&export::main_meeting_picture(&facts).expect("meeting"));
        for dot in [whole, meeting] {
            let (svg, warnings) = newsgraph::render::run_graphviz(&dot, "svg").expect("dot runs");
            assert!(warnings.trim().is_empty(), "{inputs}: dot says: {warnings}");
            assert!(String::from_utf8_lossy(&svg).contains("</svg>"));
        }
    }
}

fn ng() -> Command {
    let mut c = Command::cargo_bin("newsgraph").expect("binary");
    c.current_dir(root());
    c
}

#[test]
fn render_command() {
    let dir = tempdir();
    build(&["articles"], dir.path());
    let store = dir.path().to_str().expect("utf8");
    let file = |name: &str| dir.path().join(name).to_str().expect("utf8").to_string();

    // A focus by alias, case-insensitively; the format from the extension.
    let out = ng()
        .args([
            "render",
            "--store",
            store,
            "--focus",
            "faiz hamid",
            "-o",
            &file("f.svg"),
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("drew "));
    let svg = std::fs::read_to_string(file("f.svg")).expect("f.svg");
    assert!(svg.contains("Faiz Hameed (depth 1)"));
    assert!(svg.contains(">Visit of Faiz Hameed to Kabul</text>"));
    assert_no_overlap(&svg, "focus");

    // By IRI, depth 2, only some kinds; byte-identical twice.
    let args = |o: &str| {
        vec![
            "render".to_string(),
            "--store".into(),
            store.into(),
            "--focus".into(),
            "https://w3id.org/newsgraph/id/person/faiz-hameed".into(),
            "--depth".into(),
            "2".into(),
            "--kinds".into(),
            "official,meeting,countries".into(),
            "-o".into(),
            o.into(),
        ]
    };
    for o in ["a.svg", "b.svg", "a.png", "b.png"] {
        ng().args(args(&file(o))).assert().success();
    }
    let read = |o: &str| std::fs::read(file(o)).expect("file");
    assert_eq!(read("a.svg"), read("b.svg"));
    assert_eq!(read("a.png"), read("b.png"));
    assert!(read("a.png").starts_with(b"\x89PNG"));
    let svg = String::from_utf8(read("a.svg")).expect("utf8");
    assert!(svg.contains(">Pakistan</text>") && !svg.contains("Inter-Services"));

    // DOT, dates, one article.
    let out = ng()
        .args([
            "render",
            "--store",
            store,
            "--since",
            "2021-09-10",
            "--format",
            "dot",
            "-o",
            "-",
        ])
        .output()
        .expect("run");
    let dot = String::from_utf8_lossy(&out.stdout);
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.contains("intelligence chiefs") && !dot.contains("Visit of William Burns"));
    ng().args([
        "render",
        "--store",
        store,
        "--article",
        "dawn-2021-09-12-spymasters",
        "-o",
        &file("art.svg"),
    ])
    .assert()
    .success();

    // Usage errors: exit 2 with a clear message.
    for (args, msg) in [
        (
            vec!["--focus", "Nobody Anywhere"],
            "no entity or meeting is named",
        ),
        (vec!["--article", "no-such-article"], "no article"),
        (
            vec!["--since", "2022-01-01", "--until", "2021-01-01"],
            "is after",
        ),
        (vec!["--kinds", "planets"], "unknown kind"),
    ] {
        let out = ng()
            .args(["render", "--store", store, "-o", &file("x.svg")])
            .args(&args)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(msg),
            "{args:?}"
        );
    }

    // The size guard speaks on stderr.
    let out = ng()
        .args([
            "render",
            "--store",
            store,
            "--max-nodes",
            "8",
            "-o",
            &file("s.svg"),
        ])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not drawn") && err.contains("--focus"),
        "{err}"
    );

    // Graphviz as the engine, when it is installed.
    if dot_available() {
        ng().args([
            "render",
            "--store",
            store,
            "--engine",
            "dot",
            "-o",
            &file("g.svg"),
        ])
        .assert()
        .success();
        let svg = std::fs::read_to_string(file("g.svg")).expect("g.svg");
        assert!(svg.contains("Faiz Hameed"));
    }
}
