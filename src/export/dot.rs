//! GraphViz DOT text of a picture: one node per entity and meeting (shape and colour by
//! kind; the name in bold, titles and dates under it in the label), one labelled edge per
//! relation read in its natural direction (attendee → meeting, meeting → place), hosts in
//! thick red, and a legend as the graph's label. Renders with `dot` without warnings.

use super::font::wrap;
use super::layout::{ATTR_SIZE, NAME_SIZE};
use super::picture::{NodeKind, Picture, Rel};
use std::fmt::Write;

/// The DOT shape of a kind.
fn shape(k: NodeKind) -> (&'static str, &'static str) {
    match k {
        NodeKind::Meeting => ("box", "filled,bold"),
        NodeKind::Official => ("box", "filled,rounded"),
        NodeKind::Person => ("box", "filled,rounded,dashed"),
        NodeKind::Agency => ("box", "filled"),
        NodeKind::Organization => ("box", "filled,dashed"),
        NodeKind::Country => ("box", "filled,peripheries"),
        NodeKind::City => ("box", "filled,rounded"),
        NodeKind::Place => ("box", "filled,rounded,dashed"),
    }
}

/// Text for a DOT HTML-like label.
fn html(s: &str) -> String {
    super::svg::escape(s)
}

fn node_label(name: &str, attrs: &[String]) -> String {
    let mut parts: Vec<String> = wrap(name, NAME_SIZE, true, 190.0)
        .iter()
        .map(|l| format!("<b>{}</b>", html(l)))
        .collect();
    for a in attrs {
        for l in wrap(a, ATTR_SIZE, false, 190.0) {
            parts.push(format!(
                r##"<font point-size="9" color="#444444">{}</font>"##,
                html(&l)
            ));
        }
    }
    parts.join("<br/>")
}

/// The DOT text of `pic`.
pub fn to_dot(pic: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph newsgraph {{");
    let mut legend = String::new();
    for k in NodeKind::ALL {
        if pic.nodes.iter().any(|n| n.kind == k) {
            let (fill, stroke) = k.colors();
            let _ = write!(
                legend,
                r#"<td bgcolor="{fill}" color="{stroke}" border="1">{}</td>"#,
                k.name()
            );
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for r in Rel::ALL {
        if pic.edges.iter().any(|e| e.rel == r) && !seen.contains(&r.label()) {
            seen.push(r.label());
            let _ = write!(
                legend,
                r#"<td><font color="{}">— {}</font></td>"#,
                r.color(),
                r.label()
            );
        }
    }
    // The heading: title, notes and legend, one HTML table.
    let mut heading = format!(
        r#"<table border="0" cellspacing="2"><tr><td align="left"><b>{}</b></td></tr>"#,
        html(&pic.title)
    );
    for note in &pic.notes {
        let _ = write!(
            heading,
            r##"<tr><td align="left"><font color="#b00020">{}</font></td></tr>"##,
            html(note)
        );
    }
    if !legend.is_empty() {
        let _ = write!(
            heading,
            r#"<tr><td align="left"><table border="0" cellspacing="4"><tr>{legend}</tr></table></td></tr>"#
        );
    }
    heading.push_str("</table>");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, ranksep=0.9, nodesep=0.2, fontname=\"Liberation Sans\", fontsize=11, labelloc=t, labeljust=l, label=<{heading}>];"
    );
    let _ = writeln!(
        out,
        "  node [fontname=\"Liberation Sans\", fontsize=11, margin=\"0.12,0.06\", penwidth=1.2];"
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"Liberation Sans\", fontsize=9, arrowsize=0.6];"
    );
    for (i, n) in pic.nodes.iter().enumerate() {
        let (shape, style) = shape(n.kind);
        let (fill, stroke) = n.kind.colors();
        let _ = writeln!(
            out,
            "  n{i} [label=<{}>, shape={shape}, style=\"{}\", fillcolor=\"{fill}\", color=\"{stroke}\"{}, tooltip=\"{}\"];",
            node_label(&n.label, &n.attrs),
            style.replace(",peripheries", ""),
            if style.contains("peripheries") {
                ", peripheries=2"
            } else {
                ""
            },
            html(&n.iri)
        );
    }
    for e in &pic.edges {
        let extra = if e.rel == Rel::Hosted {
            ", penwidth=2.2"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label=\"{}\", color=\"{c}\", fontcolor=\"{c}\"{extra}];",
            e.from,
            e.to,
            e.rel.label(),
            c = e.rel.color()
        );
    }
    let _ = writeln!(out, "}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::picture::{Edge, Node};

    #[test]
    fn labels_are_html_with_attributes() {
        let pic = Picture {
            title: "t".into(),
            nodes: vec![
                Node {
                    iri: "x:m".into(),
                    label: "Meeting of intelligence chiefs in Islamabad".into(),
                    kind: NodeKind::Meeting,
                    attrs: vec!["meeting · 2021-09-11".into()],
                },
                Node {
                    iri: "x:a".into(),
                    label: "A & \"B\"".into(),
                    kind: NodeKind::Country,
                    attrs: Vec::new(),
                },
            ],
            edges: vec![Edge {
                from: 1,
                to: 0,
                rel: Rel::Hosted,
            }],
            ..Picture::default()
        };
        let dot = to_dot(&pic);
        assert!(dot.contains("<b>A &amp; &quot;B&quot;</b>"), "{dot}");
        assert!(dot.contains("2021-09-11</font>"));
        assert!(dot.contains("peripheries=2"));
        assert!(dot.contains("n1 -> n0 [label=\"hosted\""));
    }
}
