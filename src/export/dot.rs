//! GraphViz DOT of the entity/meeting graph: one node per entity and meeting (shape and
//! colour by kind, titles and dates inside the label), one edge per relation, labelled.

use crate::rdf::vocab::{ng, rdf, rdfs, schema};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

/// What to draw.
#[derive(Debug, Clone)]
pub struct DotOptions {
    /// Past this many nodes, the least connected are dropped (and a note says so).
    pub max_nodes: usize,
}

impl Default for DotOptions {
    fn default() -> Self {
        Self { max_nodes: 150 }
    }
}

/// Kinds of node, in drawing priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum NodeKind {
    Meeting,
    Official,
    Person,
    Agency,
    Organization,
    Country,
    City,
    Place,
}

impl NodeKind {
    /// DOT shape and fill colour.
    pub fn style(self) -> (&'static str, &'static str) {
        match self {
            Self::Meeting => ("box", "orange"),
            Self::Official => ("ellipse", "lightblue"),
            Self::Person => ("ellipse", "lightcyan"),
            Self::Agency => ("box", "palegreen"),
            Self::Organization => ("box", "lightgray"),
            Self::Country => ("doublecircle", "lightyellow"),
            Self::City => ("ellipse", "pink"),
            Self::Place => ("ellipse", "lavender"),
        }
    }
}

const EDGES: &[(&str, &str)] = &[
    ("http://schema.org/organizer", "hosted"),
    ("http://schema.org/attendee", "attended"),
    ("http://schema.org/location", "in"),
    ("http://schema.org/memberOf", "member of"),
    ("http://schema.org/worksFor", "works for"),
    ("http://schema.org/nationality", "nationality"),
    ("http://schema.org/areaServed", "country"),
    ("http://schema.org/containedInPlace", "in"),
];

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Wraps a label at about `width` chars per line.
pub(crate) fn wrap(s: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in s.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines.join("\n")
}

/// A node of the picture.
#[derive(Debug, Clone)]
pub struct Node {
    /// The entity's IRI.
    pub iri: String,
    /// The label, titles included.
    pub label: String,
    /// What it is.
    pub kind: NodeKind,
}

/// The entity/meeting graph to draw, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Picture {
    /// Nodes, sorted by IRI.
    pub nodes: Vec<Node>,
    /// Edges: (from, to, short label), node indexes.
    pub edges: Vec<(usize, usize, &'static str)>,
    /// Nodes left out by the size guard.
    pub dropped: usize,
}

/// The picture of the graph in `quads`.
pub fn picture(quads: &[Quad], opts: &DotOptions) -> Picture {
    let mut b = PictureBuilder::default();
    for q in quads {
        b.add(q);
    }
    b.finish(opts)
}

/// Collects what the picture needs from quads seen one at a time (in output order), so that
/// a large graph is drawn without holding its quads. IRIs are stored once (interned).
#[derive(Debug, Clone, Default)]
pub struct PictureBuilder {
    ids: HashMap<Box<str>, u32>,
    kinds: HashMap<u32, NodeKind>,
    labels: HashMap<u32, String>,
    titles: HashMap<u32, BTreeSet<String>>,
    edges: HashSet<(u32, u32, &'static str)>,
}

/// The interned IRIs by id.
fn iri_table(ids: HashMap<Box<str>, u32>) -> Vec<Box<str>> {
    let mut v: Vec<(u32, Box<str>)> = ids.into_iter().map(|(s, i)| (i, s)).collect();
    v.sort_unstable_by_key(|(i, _)| *i);
    v.into_iter().map(|(_, s)| s).collect()
}

impl PictureBuilder {
    fn intern(&mut self, iri: &str) -> u32 {
        if let Some(&i) = self.ids.get(iri) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.insert(iri.into(), i);
        i
    }

    fn subject(&mut self, q: &Quad) -> u32 {
        match &q.subject {
            NamedOrBlankNode::NamedNode(n) => self.intern(n.as_str()),
            other => self.intern(&other.to_string()),
        }
    }

    /// Takes one quad into account.
    pub fn add(&mut self, q: &Quad) {
        let p = q.predicate.as_str();
        match &q.object {
            Term::NamedNode(o) if p == rdf::TYPE.as_str() => {
                let k = match o.as_str() {
                    x if x == ng::MEETING.as_str() => Some(NodeKind::Meeting),
                    x if x == ng::OFFICIAL.as_str() => Some(NodeKind::Official),
                    x if x == ng::PERSON.as_str() => Some(NodeKind::Person),
                    x if x == ng::AGENCY.as_str() => Some(NodeKind::Agency),
                    x if x == ng::ORGANIZATION.as_str() => Some(NodeKind::Organization),
                    x if x == ng::COUNTRY.as_str() => Some(NodeKind::Country),
                    x if x == ng::CITY.as_str() => Some(NodeKind::City),
                    x if x == ng::PLACE.as_str() => Some(NodeKind::Place),
                    _ => None,
                };
                if let Some(k) = k {
                    let s = self.subject(q);
                    let e = self.kinds.entry(s).or_insert(k);
                    *e = (*e).min(k);
                }
            }
            Term::NamedNode(o) => {
                if let Some((_, l)) = EDGES.iter().find(|(iri, _)| *iri == p) {
                    let s = self.subject(q);
                    let o = self.intern(o.as_str());
                    self.edges.insert((s, o, l));
                }
            }
            Term::Literal(l) if p == rdfs::LABEL.as_str() => {
                let s = self.subject(q);
                self.labels
                    .entry(s)
                    .or_insert_with(|| l.value().to_string());
            }
            Term::Literal(l) if p == schema::JOB_TITLE.as_str() => {
                let s = self.subject(q);
                self.titles
                    .entry(s)
                    .or_default()
                    .insert(l.value().to_string());
            }
            _ => {}
        }
    }

    /// Takes into account what `later` saw (quads that come after this builder's).
    pub fn absorb(&mut self, later: PictureBuilder) {
        let map: Vec<u32> = iri_table(later.ids)
            .iter()
            .map(|iri| self.intern(iri))
            .collect();
        for (s, k) in later.kinds {
            let e = self.kinds.entry(map[s as usize]).or_insert(k);
            *e = (*e).min(k);
        }
        for (s, l) in later.labels {
            self.labels.entry(map[s as usize]).or_insert(l);
        }
        for (s, t) in later.titles {
            self.titles.entry(map[s as usize]).or_default().extend(t);
        }
        for (a, b, l) in later.edges {
            self.edges.insert((map[a as usize], map[b as usize], l));
        }
    }

    /// The picture.
    pub fn finish(self, opts: &DotOptions) -> Picture {
        let PictureBuilder {
            ids,
            kinds,
            labels,
            titles,
            mut edges,
            ..
        } = self;
        let iris = iri_table(ids);
        let iri = |i: u32| &*iris[i as usize];
        edges.retain(|(a, b, _)| kinds.contains_key(a) && kinds.contains_key(b) && a != b);
        // Nodes in IRI order.
        let mut nodes: Vec<u32> = kinds.keys().copied().collect();
        nodes.sort_by(|a, b| iri(*a).cmp(iri(*b)));
        // Size guard: keep the best-connected nodes.
        let mut dropped = 0;
        if nodes.len() > opts.max_nodes {
            let mut degree: HashMap<u32, usize> = HashMap::new();
            for (a, b, _) in &edges {
                *degree.entry(*a).or_default() += 1;
                *degree.entry(*b).or_default() += 1;
            }
            let deg = |n: &u32| degree.get(n).copied().unwrap_or(0);
            let mut ranked = nodes.clone();
            ranked.sort_by(|a, b| deg(b).cmp(&deg(a)).then(iri(*a).cmp(iri(*b))));
            let keep: HashSet<u32> = ranked.into_iter().take(opts.max_nodes).collect();
            dropped = nodes.len() - keep.len();
            nodes.retain(|n| keep.contains(n));
            edges.retain(|(a, b, _)| keep.contains(a) && keep.contains(b));
        }
        let index: HashMap<u32, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let mut edge_list: Vec<(&str, &str, &'static str, usize, usize)> = edges
            .iter()
            .map(|(a, b, l)| (iri(*a), iri(*b), *l, index[a], index[b]))
            .collect();
        edge_list.sort();
        let nodes = nodes
            .iter()
            .map(|n| {
                let mut label = labels
                    .get(n)
                    .cloned()
                    .unwrap_or_else(|| iri(*n).to_string());
                if let Some(t) = titles.get(n) {
                    let t: Vec<&str> = t.iter().map(String::as_str).take(2).collect();
                    label = format!("{label} ({})", t.join(", "));
                }
                Node {
                    iri: iri(*n).to_string(),
                    label,
                    kind: kinds[n],
                }
            })
            .collect();
        Picture {
            nodes,
            edges: edge_list
                .into_iter()
                .map(|(_, _, l, a, b)| (a, b, l))
                .collect(),
            dropped,
        }
    }
}

/// The DOT text of the graph in `quads`.
pub fn to_dot(quads: &[Quad], opts: &DotOptions) -> String {
    dot_text(&picture(quads, opts))
}

/// The DOT text of a picture.
pub fn dot_text(pic: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph newsgraph {{");
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(
        out,
        "  node [style=filled, fontname=\"Helvetica\", fontsize=12];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    if pic.dropped > 0 {
        let _ = writeln!(
            out,
            "  // {} less connected nodes dropped; narrow the picture with a focus",
            pic.dropped
        );
    }
    for (i, n) in pic.nodes.iter().enumerate() {
        let (shape, color) = n.kind.style();
        let _ = writeln!(
            out,
            "  n{i} [label=\"{}\", shape={shape}, fillcolor={color}];",
            escape(&wrap(&n.label, 24))
        );
    }
    for (a, b, l) in &pic.edges {
        let _ = writeln!(out, "  n{a} -> n{b} [label=\"{l}\"];");
    }
    let _ = writeln!(out, "}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap() {
        assert_eq!(
            wrap("Meeting of intelligence chiefs in Islamabad", 20),
            "Meeting of\nintelligence chiefs\nin Islamabad"
        );
        assert_eq!(escape("a\"b"), "a\\\"b");
    }
}
