//! SVG text of a laid-out picture: boxes shaped and coloured by kind, edges coloured by
//! relation (hosts thick red), labelled stubs, a legend. Every text element carries its
//! own font attributes. Byte-identical for the same picture.

use super::font::FAMILY;
use super::layout::{layout, Anchor, Layout, Mark, Text};
use super::picture::{NodeKind, Picture, Rel};
use std::fmt::Write;

/// Text for XML (SVG) and for Graphviz's HTML-like labels: markup characters escaped,
/// control characters as spaces.
pub(super) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if (c as u32) < 0x20 => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

fn text(out: &mut String, t: &Text) {
    let anchor = match t.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    if t.halo {
        let (l, top, r, b) = t.bbox();
        let _ = writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="white" fill-opacity="0.9"/>"#,
            l - 1.5,
            top,
            r - l + 3.0,
            b - top
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="{}" font-weight="{}" text-anchor="{anchor}" fill="{}">{}</text>"#,
        t.x,
        t.y,
        t.size,
        if t.bold { "bold" } else { "normal" },
        t.color,
        escape(&t.text)
    );
}

/// The outline of a box of kind `k`.
fn shape(out: &mut String, k: NodeKind, x: f64, y: f64, w: f64, h: f64, big: bool) {
    let (fill, stroke) = k.colors();
    let sw = if k == NodeKind::Meeting { 2.0 } else { 1.2 };
    let dash = if matches!(
        k,
        NodeKind::Person | NodeKind::Organization | NodeKind::Place
    ) {
        r#" stroke-dasharray="4 2""#
    } else {
        ""
    };
    let rx = match k {
        NodeKind::Official | NodeKind::Person => (h / 2.0).min(if big { 14.0 } else { 7.0 }),
        NodeKind::City | NodeKind::Place => (h / 2.0).min(if big { 8.0 } else { 4.0 }),
        NodeKind::Meeting => 2.0,
        _ => 0.0,
    };
    let _ = writeln!(
        out,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{rx:.1}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"{dash}/>"#
    );
    if k == NodeKind::Country {
        // A double border, like Graphviz's doublecircle.
        let _ = writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="{stroke}" stroke-width="0.8"/>"#,
            x + 2.5,
            y + 2.5,
            (w - 5.0).max(0.0),
            (h - 5.0).max(0.0)
        );
    }
}

/// The SVG document of a laid-out picture.
pub fn to_svg(pic: &Picture, lay: &Layout) -> String {
    let mut s = String::new();
    let (w, h) = (lay.width.ceil(), lay.height.ceil());
    let _ = writeln!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FAMILY}">
<title>{}</title>
<rect width="100%" height="100%" fill="white"/>"#,
        escape(&pic.title)
    );
    for sw in &lay.swatches {
        match &sw.mark {
            Mark::Kind(k) => shape(&mut s, *k, sw.x, sw.y, sw.w, sw.h, false),
            Mark::Rel(r) => {
                let _ = writeln!(
                    s,
                    r#"<path d="M{:.1},{:.1} L{:.1},{:.1}" stroke="{}" stroke-width="{}" fill="none"/>"#,
                    sw.x,
                    sw.y + sw.h / 2.0,
                    sw.x + sw.w,
                    sw.y + sw.h / 2.0,
                    r.color(),
                    r.width()
                );
            }
        }
    }
    let _ = writeln!(s, r#"<g fill="none">"#);
    // Thin lines first, hosts on top.
    let mut lines: Vec<&super::layout::Line> = lay.lines.iter().collect();
    lines.sort_by_key(|l| l.rel == Rel::Hosted);
    for l in lines {
        let _ = writeln!(
            s,
            r#"<path d="{}" stroke="{}" stroke-width="{}" stroke-opacity="0.85"><title>{}</title></path>"#,
            l.d,
            l.rel.color(),
            l.rel.width(),
            escape(&l.title)
        );
    }
    let _ = writeln!(s, "</g>");
    for t in &lay.texts {
        text(&mut s, t);
    }
    for b in &lay.boxes {
        let node = &pic.nodes[b.node];
        let _ = writeln!(
            s,
            r#"<g class="node {}"><title>{}</title>"#,
            node.kind.name(),
            escape(&node.iri)
        );
        shape(&mut s, b.kind, b.x, b.y, b.w, b.h, true);
        for t in &b.texts {
            text(&mut s, t);
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</svg>");
    s
}

/// Lays out and renders the picture as a standalone SVG document.
pub fn render(pic: &Picture) -> String {
    to_svg(pic, &layout(pic))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::picture::{Edge, Node};

    #[test]
    fn renders_every_label_escaped() {
        let pic = Picture {
            title: "t".into(),
            nodes: vec![
                Node {
                    iri: "m".into(),
                    label: "Meeting".into(),
                    kind: NodeKind::Meeting,
                    attrs: vec!["meeting · 2021-09-11".into()],
                },
                Node {
                    iri: "a".into(),
                    label: "A & <B>".into(),
                    kind: NodeKind::Official,
                    attrs: Vec::new(),
                },
            ],
            edges: vec![Edge {
                from: 1,
                to: 0,
                rel: Rel::Attended,
            }],
            ..Picture::default()
        };
        let svg = render(&pic);
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains(">attended</text>"));
        assert!(svg.contains("2021-09-11"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg, render(&pic));
    }
}
