//! SVG of the entity/meeting graph, laid out in-process and deterministically: people on
//! the left, meetings as hubs in the middle, agencies and organisations next, places on the
//! right; rows ordered by the barycentre of their neighbours to reduce crossings; a legend.

use super::dot::{wrap, NodeKind, Picture};
use std::collections::BTreeMap;
use std::fmt::Write;

const COL_WIDTH: f64 = 330.0;
const NODE_WIDTH: f64 = 200.0;
const LINE_HEIGHT: f64 = 15.0;
const GAP: f64 = 18.0;
const TOP: f64 = 70.0;
const LEFT: f64 = 30.0;

fn column(k: NodeKind) -> usize {
    match k {
        NodeKind::Official | NodeKind::Person => 0,
        NodeKind::Meeting => 1,
        NodeKind::Agency | NodeKind::Organization => 2,
        NodeKind::Country | NodeKind::City | NodeKind::Place => 3,
    }
}

fn color(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Meeting => "#ffd27f",
        NodeKind::Official => "#add8e6",
        NodeKind::Person => "#e0ffff",
        NodeKind::Agency => "#98fb98",
        NodeKind::Organization => "#d3d3d3",
        NodeKind::Country => "#ffffc0",
        NodeKind::City => "#ffc0cb",
        NodeKind::Place => "#e6e6fa",
    }
}

fn kind_name(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Meeting => "meeting",
        NodeKind::Official => "official",
        NodeKind::Person => "person",
        NodeKind::Agency => "agency",
        NodeKind::Organization => "organisation",
        NodeKind::Country => "country",
        NodeKind::City => "city",
        NodeKind::Place => "place",
    }
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => o.push(c),
        }
    }
    o
}

struct Placed {
    x: f64,
    y: f64,
    h: f64,
    lines: Vec<String>,
}

/// Renders the picture as a standalone SVG document.
pub fn render(pic: &Picture, title: &str) -> String {
    let n = pic.nodes.len();
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); 4];
    for (i, node) in pic.nodes.iter().enumerate() {
        cols[column(node.kind)].push(i);
    }
    // Order: meetings by label, then each other column by the mean row of its neighbours
    // in already-ordered columns (two sweeps), ties by label.
    let mut row = vec![0.0f64; n];
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in &pic.edges {
        adj[a].push(b);
        adj[b].push(a);
    }
    cols[1].sort_by(|&a, &b| pic.nodes[a].label.cmp(&pic.nodes[b].label));
    for (r, &i) in cols[1].iter().enumerate() {
        row[i] = r as f64;
    }
    let mut ordered = vec![false; n];
    for &i in &cols[1] {
        ordered[i] = true;
    }
    for c in [0usize, 2, 3, 2, 0] {
        let mut keyed: Vec<(f64, String, usize)> = cols[c]
            .iter()
            .map(|&i| {
                let ns: Vec<f64> = adj[i]
                    .iter()
                    .filter(|&&j| ordered[j] && column(pic.nodes[j].kind) != c)
                    .map(|&j| row[j])
                    .collect();
                let bary = if ns.is_empty() {
                    f64::MAX
                } else {
                    ns.iter().sum::<f64>() / ns.len() as f64
                };
                (bary, pic.nodes[i].label.clone(), i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cols[c] = keyed.iter().map(|k| k.2).collect();
        for (r, &i) in cols[c].iter().enumerate() {
            row[i] = r as f64;
            ordered[i] = true;
        }
    }
    // Place.
    let mut placed: BTreeMap<usize, Placed> = BTreeMap::new();
    let mut height: f64 = TOP;
    for (c, col) in cols.iter().enumerate() {
        let mut y = TOP;
        for &i in col {
            let lines: Vec<String> = wrap(&pic.nodes[i].label, 28)
                .lines()
                .map(str::to_string)
                .collect();
            let h = lines.len() as f64 * LINE_HEIGHT + 12.0;
            placed.insert(
                i,
                Placed {
                    x: LEFT + c as f64 * COL_WIDTH,
                    y,
                    h,
                    lines,
                },
            );
            y += h + GAP;
        }
        height = height.max(y);
    }
    let width = LEFT * 2.0 + 3.0 * COL_WIDTH + NODE_WIDTH;
    let height = height + 40.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif">
<title>{}</title>
<rect width="100%" height="100%" fill="white"/>"#,
        esc(title)
    );
    // Legend.
    let mut lx = LEFT;
    for k in [
        NodeKind::Official,
        NodeKind::Person,
        NodeKind::Meeting,
        NodeKind::Agency,
        NodeKind::Organization,
        NodeKind::Country,
        NodeKind::City,
    ] {
        let _ = writeln!(
            s,
            r##"<rect x="{lx:.0}" y="20" width="14" height="14" rx="3" fill="{}" stroke="#555"/><text x="{:.0}" y="32" font-size="12">{}</text>"##,
            color(k),
            lx + 20.0,
            kind_name(k)
        );
        lx += 30.0 + kind_name(k).len() as f64 * 7.0;
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.0}" y="32" font-size="12" fill="#b22">— hosted</text><text x="{:.0}" y="32" font-size="12" fill="#444">— other relations</text>"##,
        lx + 10.0,
        lx + 80.0
    );
    if pic.dropped > 0 {
        let _ = writeln!(
            s,
            r##"<text x="{LEFT}" y="52" font-size="12" fill="#a00">{} less connected nodes not shown: narrow the picture (focus on one entity or meeting).</text>"##,
            pic.dropped
        );
    }
    // Edges first, under the nodes.
    for &(a, b, label) in &pic.edges {
        let (Some(pa), Some(pb)) = (placed.get(&a), placed.get(&b)) else {
            continue;
        };
        let (ya, yb) = (pa.y + pa.h / 2.0, pb.y + pb.h / 2.0);
        let (x1, x2, c1, c2) = if (pa.x - pb.x).abs() < 1.0 {
            // Same column: an arc on the right.
            let x = pa.x + NODE_WIDTH;
            (x, x, x + 60.0, x + 60.0)
        } else if pa.x < pb.x {
            let (x1, x2) = (pa.x + NODE_WIDTH, pb.x);
            (x1, x2, x1 + (x2 - x1) / 2.0, x1 + (x2 - x1) / 2.0)
        } else {
            let (x1, x2) = (pa.x, pb.x + NODE_WIDTH);
            (x1, x2, x1 - (x1 - x2) / 2.0, x1 - (x1 - x2) / 2.0)
        };
        let stroke = if label == "hosted" { "#b22" } else { "#888" };
        let width = if label == "hosted" { 2.0 } else { 1.0 };
        let _ = writeln!(
            s,
            r#"<path d="M{x1:.1},{ya:.1} C{c1:.1},{ya:.1} {c2:.1},{yb:.1} {x2:.1},{yb:.1}" fill="none" stroke="{stroke}" stroke-width="{width}" marker-end="url(#arrow)"><title>{}</title></path>"#,
            esc(label)
        );
        // Label near the target end, where edges fan out least.
        let (lx, ly) = (x2 + (c2 - x2) * 0.35, yb + (ya - yb) * 0.06 - 2.0);
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" font-size="9" fill="{stroke}" text-anchor="middle">{}</text>"##,
            esc(label)
        );
    }
    let _ = writeln!(
        s,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>"##
    );
    for (i, p) in &placed {
        let node = &pic.nodes[*i];
        let rx = match node.kind {
            NodeKind::Official | NodeKind::Person | NodeKind::City => 14,
            NodeKind::Country => 8,
            _ => 3,
        };
        let _ = writeln!(
            s,
            r##"<g><title>{}</title><rect x="{:.1}" y="{:.1}" width="{NODE_WIDTH}" height="{:.1}" rx="{rx}" fill="{}" stroke="#555"/>"##,
            esc(&node.iri),
            p.x,
            p.y,
            p.h,
            color(node.kind)
        );
        for (k, line) in p.lines.iter().enumerate() {
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">{}</text>"#,
                p.x + NODE_WIDTH / 2.0,
                p.y + 6.0 + LINE_HEIGHT * (k as f64 + 0.8),
                esc(line)
            );
        }
        let _ = writeln!(s, "</g>");
    }
    let _ = writeln!(s, "</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::dot::Node;

    #[test]
    fn renders_every_label_escaped() {
        let pic = Picture {
            nodes: vec![
                Node {
                    iri: "a".into(),
                    label: "A & <B>".into(),
                    kind: NodeKind::Official,
                },
                Node {
                    iri: "m".into(),
                    label: "Meeting".into(),
                    kind: NodeKind::Meeting,
                },
            ],
            edges: vec![(1, 0, "attended")],
            dropped: 0,
        };
        let svg = render(&pic, "t");
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains("attended"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
