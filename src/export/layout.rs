//! Geometry of a picture, computed in-process and deterministically: a layered layout with
//! one column per group of kinds (people, meetings, agencies, countries, places; the column
//! order that makes edges shortest), long edges routed through gaps in the columns between,
//! rows ordered by barycentre sweeps and placed near their neighbours, boxes sized from the
//! embedded font's real text widths. Edge labels sit on labelled stubs ("ports") at the hub
//! end of each edge — the meeting end, else the subject end — one slot per relation and
//! side, so no two texts can overlap. Knows nothing of SVG syntax.

use super::font::{text_width, wrap};
use super::picture::{NodeKind, Picture, Rel};
use std::collections::BTreeMap;

/// Font sizes, in pixels.
pub const NAME_SIZE: f64 = 12.5;
/// Attribute lines under a name.
pub const ATTR_SIZE: f64 = 10.5;
/// Edge labels.
pub const LABEL_SIZE: f64 = 10.0;
const HEADER_SIZE: f64 = 13.0;
const TITLE_SIZE: f64 = 16.0;
const LEGEND_SIZE: f64 = 11.0;
const NOTE_SIZE: f64 = 11.5;

/// The share of the font size above the baseline and below it (Liberation Sans).
pub const ASCENT: f64 = 0.905;
/// Below the baseline.
pub const DESCENT: f64 = 0.212;

const MARGIN: f64 = 24.0;
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 6.0;
const NAME_LINE: f64 = 15.0;
const ATTR_LINE: f64 = 13.0;
const MAX_TEXT: f64 = 190.0;
const SLOT: f64 = 16.0;
const PLAIN_SLOT: f64 = 7.0;
const NODE_GAP: f64 = 14.0;
const DUMMY_GAP: f64 = 8.0;
const CURVE_GAP: f64 = 56.0;
const ARC: f64 = 36.0;

/// Where a text is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// At its start.
    Start,
    /// At its middle.
    Middle,
    /// At its end.
    End,
}

/// A line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Anchor x.
    pub x: f64,
    /// Baseline y.
    pub y: f64,
    /// Font size in pixels.
    pub size: f64,
    /// Bold or regular.
    pub bold: bool,
    /// Anchoring.
    pub anchor: Anchor,
    /// Colour.
    pub color: &'static str,
    /// Drawn on a white background (edge labels over lines).
    pub halo: bool,
    /// The text.
    pub text: String,
}

impl Text {
    /// The text's box: left, top, right, bottom.
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        let w = text_width(&self.text, self.size, self.bold);
        let left = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - w / 2.0,
            Anchor::End => self.x - w,
        };
        (
            left,
            self.y - ASCENT * self.size,
            left + w,
            self.y + DESCENT * self.size,
        )
    }
}

/// A node's box with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    /// The node's index in the picture.
    pub node: usize,
    /// Its kind (shape and colour).
    pub kind: NodeKind,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Name and attribute lines.
    pub texts: Vec<Text>,
}

/// A drawn line (an edge or a port's stub).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// SVG path data.
    pub d: String,
    /// The relation it draws.
    pub rel: Rel,
    /// A tooltip.
    pub title: String,
}

/// A legend entry's mark.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A small box of the kind's shape and colour.
    Kind(NodeKind),
    /// A short line of the relation's colour.
    Rel(Rel),
}

/// A legend entry's mark, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Swatch {
    /// What it shows.
    pub mark: Mark,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A laid-out picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// Title, legend, notes, column headers and edge labels.
    pub texts: Vec<Text>,
    /// Legend marks.
    pub swatches: Vec<Swatch>,
    /// Edges and stubs, drawn under the boxes.
    pub lines: Vec<Line>,
    /// Node boxes.
    pub boxes: Vec<NodeBox>,
}

/// The column group of a kind.
fn group(k: NodeKind) -> usize {
    match k {
        NodeKind::Official | NodeKind::Person => 0,
        NodeKind::Meeting => 1,
        NodeKind::Agency | NodeKind::Organization => 2,
        NodeKind::Country => 3,
        NodeKind::City | NodeKind::Place => 4,
    }
}

const GROUP_NAMES: [&str; 5] = [
    "People",
    "Meetings",
    "Agencies & organisations",
    "Countries",
    "Cities & places",
];

fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &x) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, x);
            out.push(p);
        }
    }
    out
}

/// The column of each group: the order of the groups present that makes the edges span
/// the fewest columns (the first such order in lexicographic order, so the usual one is
/// people, meetings, agencies, countries, places).
fn columns(pic: &Picture) -> Vec<Option<usize>> {
    let mut present: Vec<usize> = pic.nodes.iter().map(|n| group(n.kind)).collect();
    present.sort_unstable();
    present.dedup();
    let mut best: Option<(usize, Vec<usize>)> = None;
    for perm in permutations(&present) {
        let col = |g: usize| perm.iter().position(|x| *x == g).unwrap_or(0);
        let cost: usize = pic
            .edges
            .iter()
            .map(|e| {
                let (a, b) = (
                    col(group(pic.nodes[e.from].kind)),
                    col(group(pic.nodes[e.to].kind)),
                );
                a.abs_diff(b).saturating_sub(1)
            })
            .sum();
        if best.as_ref().is_none_or(|b| cost < b.0) {
            best = Some((cost, perm));
        }
    }
    let perm = best.map(|b| b.1).unwrap_or_default();
    let mut out = vec![None; GROUP_NAMES.len()];
    for (c, g) in perm.iter().enumerate() {
        out[*g] = Some(c);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Left,
    Right,
}

/// Where an edge ends on a node: at a labelled port, or plainly at the border.
#[derive(Debug, Clone, Copy)]
enum End {
    Port(usize),
    Plain(usize),
}

struct Port {
    node: usize,
    side: Side,
    rel: Rel,
    y: f64,
}

struct Plain {
    node: usize,
    side: Side,
    y: f64,
}

/// The non-decreasing sequence closest to `z` (weighted least squares): pool adjacent
/// violators.
fn isotonic(z: &[f64], w: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new(); // (mean, weight, count)
    for (i, &v) in z.iter().enumerate() {
        blocks.push((v, w[i], 1));
        while blocks.len() >= 2 {
            let n = blocks.len();
            let (b, a) = (blocks[n - 1], blocks[n - 2]);
            if a.0 <= b.0 {
                break;
            }
            let wt = a.1 + b.1;
            let mean = (a.0 * a.1 + b.0 * b.1) / wt;
            blocks.truncate(n - 2);
            blocks.push((mean, wt, a.2 + b.2));
        }
    }
    blocks
        .iter()
        .flat_map(|b| std::iter::repeat_n(b.0, b.2))
        .collect()
}

fn fmt_point(x: f64, y: f64) -> String {
    format!("{x:.1},{y:.1}")
}

/// Lays out `pic`.
pub fn layout(pic: &Picture) -> Layout {
    let n = pic.nodes.len();
    let colmap = columns(pic);
    let ncols = colmap.iter().flatten().count();
    let col_of = |i: usize| colmap[group(pic.nodes[i].kind)].unwrap_or(0);

    // Node text.
    let mut name_lines: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut attr_lines: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut text_w = vec![0.0f64; n];
    let mut text_h = vec![0.0f64; n];
    for (i, node) in pic.nodes.iter().enumerate() {
        let names = wrap(&node.label, NAME_SIZE, true, MAX_TEXT);
        let attrs: Vec<String> = node
            .attrs
            .iter()
            .flat_map(|a| wrap(a, ATTR_SIZE, false, MAX_TEXT))
            .collect();
        let w = names
            .iter()
            .map(|l| text_width(l, NAME_SIZE, true))
            .chain(attrs.iter().map(|l| text_width(l, ATTR_SIZE, false)))
            .fold(0.0, f64::max);
        text_w[i] = w;
        text_h[i] = names.len() as f64 * NAME_LINE
            + attrs.len() as f64 * ATTR_LINE
            + if attrs.is_empty() { 0.0 } else { 1.0 }
            + 2.0 * PAD_Y;
        name_lines.push(names);
        attr_lines.push(attrs);
    }

    // Ends: the meeting end of an edge is labelled, else the subject end.
    let mut ports: Vec<Port> = Vec::new();
    let mut port_index: BTreeMap<(usize, Side, Rel), usize> = BTreeMap::new();
    let mut plains: Vec<Plain> = Vec::new();
    let mut ends: Vec<(End, End)> = Vec::with_capacity(pic.edges.len());
    for e in &pic.edges {
        let (a, b) = (e.from, e.to);
        let labelled_a =
            pic.nodes[a].kind == NodeKind::Meeting || pic.nodes[b].kind != NodeKind::Meeting;
        let side = |me: usize, other: usize| {
            if col_of(other) < col_of(me) {
                Side::Left
            } else {
                Side::Right
            }
        };
        let mut end = |me: usize, other: usize, labelled: bool| {
            let s = side(me, other);
            if labelled {
                let k = (me, s, e.rel);
                let idx = *port_index.entry(k).or_insert_with(|| {
                    ports.push(Port {
                        node: me,
                        side: s,
                        rel: e.rel,
                        y: 0.0,
                    });
                    ports.len() - 1
                });
                End::Port(idx)
            } else {
                plains.push(Plain {
                    node: me,
                    side: s,
                    y: 0.0,
                });
                End::Plain(plains.len() - 1)
            }
        };
        let ea = end(a, b, labelled_a);
        let eb = end(b, a, !labelled_a);
        ends.push((ea, eb));
    }
    // A side with ports gives each port a labelled slot and each plain end a thin one.
    let mut node_h = text_h.clone();
    for (i, h) in node_h.iter_mut().enumerate() {
        for s in [Side::Left, Side::Right] {
            let k = ports.iter().filter(|p| p.node == i && p.side == s).count();
            let m = plains.iter().filter(|p| p.node == i && p.side == s).count();
            if k > 0 {
                *h = h.max(k as f64 * SLOT + m as f64 * PLAIN_SLOT + 8.0);
            }
        }
    }

    // Columns: widths, label zones and x.
    let mut col_w = vec![0.0f64; ncols];
    let mut headers = vec![String::new(); ncols];
    for (g, c) in colmap.iter().enumerate() {
        if let Some(c) = c {
            let count = pic.nodes.iter().filter(|x| group(x.kind) == g).count();
            headers[*c] = format!("{} ({count})", GROUP_NAMES[g]);
            col_w[*c] = col_w[*c].max(text_width(&headers[*c], HEADER_SIZE, true) + 8.0);
        }
    }
    for i in 0..n {
        col_w[col_of(i)] = col_w[col_of(i)].max(text_w[i] + 2.0 * PAD_X);
    }
    let label_zone = |c: usize, s: Side| -> f64 {
        ports
            .iter()
            .filter(|p| p.side == s && col_of(p.node) == c)
            .map(|p| text_width(p.rel.label(), LABEL_SIZE, false) + 12.0)
            .fold(0.0, f64::max)
    };
    let zone_r: Vec<f64> = (0..ncols).map(|c| label_zone(c, Side::Right)).collect();
    let zone_l: Vec<f64> = (0..ncols).map(|c| label_zone(c, Side::Left)).collect();
    let mut col_x = vec![MARGIN + zone_l.first().copied().unwrap_or(0.0); ncols];
    for c in 1..ncols {
        col_x[c] = col_x[c - 1] + col_w[c - 1] + zone_r[c - 1] + zone_l[c] + CURVE_GAP;
    }
    let same_col_arcs = pic.edges.iter().any(|e| col_of(e.from) == col_of(e.to));
    let content_right = col_x.last().copied().unwrap_or(MARGIN)
        + col_w.last().copied().unwrap_or(0.0)
        + zone_r.last().copied().unwrap_or(0.0)
        + if same_col_arcs { ARC } else { 0.0 };

    // Vertices: the nodes, then one dummy per column an edge passes through.
    let mut layer: Vec<usize> = (0..n).map(col_of).collect();
    let mut vh: Vec<f64> = node_h.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(pic.edges.len());
    for e in &pic.edges {
        let (l, r) = if col_of(e.from) <= col_of(e.to) {
            (e.from, e.to)
        } else {
            (e.to, e.from)
        };
        let mut chain = vec![l];
        if col_of(l) != col_of(r) {
            for c in col_of(l) + 1..col_of(r) {
                layer.push(c);
                vh.push(0.0);
                chain.push(layer.len() - 1);
            }
        }
        chain.push(r);
        chains.push(chain);
    }
    let nv = layer.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); nv];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); nv];
    for ch in &chains {
        for w in ch.windows(2) {
            if layer[w[0]] + 1 == layer[w[1]] {
                down[w[0]].push(w[1]);
                up[w[1]].push(w[0]);
            }
        }
    }

    // Order within columns: barycentre sweeps, keeping the order with fewest crossings.
    // Start from a breadth-first visit (meetings first), so that connected parts start
    // together.
    let mut rank = vec![usize::MAX; nv];
    let mut next = 0;
    for s in 0..nv {
        if rank[s] != usize::MAX {
            continue;
        }
        let mut queue = std::collections::VecDeque::from([s]);
        rank[s] = next;
        next += 1;
        while let Some(v) = queue.pop_front() {
            for &u in up[v].iter().chain(down[v].iter()) {
                if rank[u] == usize::MAX {
                    rank[u] = next;
                    next += 1;
                    queue.push_back(u);
                }
            }
        }
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ncols];
    for v in 0..nv {
        layers[layer[v]].push(v);
    }
    for l in layers.iter_mut() {
        l.sort_by_key(|v| rank[*v]);
    }
    let mut pos = vec![0usize; nv];
    let renumber = |layers: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for l in layers {
            for (i, v) in l.iter().enumerate() {
                pos[*v] = i;
            }
        }
    };
    renumber(&layers, &mut pos);
    let crossings = |layers: &Vec<Vec<usize>>, pos: &Vec<usize>| -> usize {
        let mut total = 0;
        for layer_l in layers.iter().take(ncols.saturating_sub(1)) {
            let segs: Vec<(usize, usize)> = layer_l
                .iter()
                .flat_map(|v| down[*v].iter().map(|u| (pos[*v], pos[*u])))
                .collect();
            for (i, a) in segs.iter().enumerate() {
                for b in &segs[i + 1..] {
                    if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                        total += 1;
                    }
                }
            }
        }
        total
    };
    let mut best = (crossings(&layers, &pos), layers.clone());
    for it in 0..24 {
        // Down sweeps by the left neighbours, up sweeps by the right ones, and sweeps by
        // both.
        let mode = it % 3;
        let order: Vec<usize> = match mode {
            0 => (1..ncols).collect(),
            1 => (0..ncols.saturating_sub(1)).rev().collect(),
            _ => (0..ncols).collect(),
        };
        for l in order {
            let mut keyed: Vec<(f64, usize, usize)> = layers[l]
                .iter()
                .map(|&v| {
                    let nb: Vec<usize> = match mode {
                        0 => up[v].clone(),
                        1 => down[v].clone(),
                        _ => up[v].iter().chain(down[v].iter()).copied().collect(),
                    };
                    // Positions as fractions of their column, columns differ in length.
                    let frac = |u: usize| (pos[u] as f64 + 0.5) / layers[layer[u]].len() as f64;
                    let key = if nb.is_empty() {
                        frac(v)
                    } else {
                        nb.iter().map(|u| frac(*u)).sum::<f64>() / nb.len() as f64
                    };
                    (key, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.iter().map(|k| k.2).collect();
            renumber(&layers, &mut pos);
        }
        let c = crossings(&layers, &pos);
        if c < best.0 {
            best = (c, layers.clone());
        }
    }
    layers = best.1;
    renumber(&layers, &mut pos);

    // Rows: each vertex near the mean of its neighbours, in order, without overlaps.
    let sep = |a: usize, b: usize| {
        if a < n && b < n {
            NODE_GAP
        } else {
            DUMMY_GAP
        }
    };
    let mut y = vec![0.0f64; nv];
    for l in &layers {
        let mut t = 0.0;
        for (i, v) in l.iter().enumerate() {
            if i > 0 {
                t += sep(l[i - 1], *v);
            }
            y[*v] = t;
            t += vh[*v];
        }
    }
    for it in 0..12 {
        let order: Vec<usize> = if it % 2 == 0 {
            (0..ncols).collect()
        } else {
            (0..ncols).rev().collect()
        };
        for l in order {
            let vs = &layers[l];
            if vs.is_empty() {
                continue;
            }
            let mut z = Vec::with_capacity(vs.len());
            let mut wt = Vec::with_capacity(vs.len());
            let mut offset = 0.0;
            for (i, &v) in vs.iter().enumerate() {
                if i > 0 {
                    offset += vh[vs[i - 1]] + sep(vs[i - 1], v);
                }
                let nbrs: Vec<usize> = up[v].iter().chain(down[v].iter()).copied().collect();
                let centre = if nbrs.is_empty() {
                    // Unconnected: close under the one above.
                    match i.checked_sub(1).map(|p| vs[p]) {
                        Some(p) => y[p] + vh[p] + sep(p, v) + vh[v] / 2.0,
                        None => y[v] + vh[v] / 2.0,
                    }
                } else {
                    nbrs.iter().map(|u| y[*u] + vh[*u] / 2.0).sum::<f64>() / nbrs.len() as f64
                };
                z.push(centre - vh[v] / 2.0 - offset);
                wt.push(if nbrs.is_empty() {
                    0.05
                } else if v < n {
                    1.0 + nbrs.len() as f64
                } else {
                    0.5
                });
            }
            let fit = isotonic(&z, &wt);
            let mut offset = 0.0;
            for (i, &v) in vs.iter().enumerate() {
                if i > 0 {
                    offset += vh[vs[i - 1]] + sep(vs[i - 1], v);
                }
                y[v] = fit[i] + offset;
            }
        }
    }

    // Header block: title, legend, notes, column headers.
    let width = (content_right + MARGIN).max(720.0);
    let inner = width - 2.0 * MARGIN;
    let mut texts: Vec<Text> = Vec::new();
    let mut swatches: Vec<Swatch> = Vec::new();
    let mut cy = MARGIN;
    for line in wrap(&pic.title, TITLE_SIZE, true, inner) {
        cy += TITLE_SIZE * 1.25;
        texts.push(Text {
            x: MARGIN,
            y: cy,
            size: TITLE_SIZE,
            bold: true,
            anchor: Anchor::Start,
            color: "#1a1a1a",
            halo: false,
            text: line,
        });
    }
    let summary = format!(
        "{} nodes, {} edges{}",
        pic.nodes.len(),
        pic.edges.len(),
        if pic.dropped > 0 {
            format!(" ({} more not drawn)", pic.dropped)
        } else {
            String::new()
        }
    );
    cy += LEGEND_SIZE * 1.5;
    texts.push(Text {
        x: MARGIN,
        y: cy,
        size: LEGEND_SIZE,
        bold: false,
        anchor: Anchor::Start,
        color: "#555555",
        halo: false,
        text: summary,
    });
    // Legend: the kinds and relations drawn.
    let mut entries: Vec<(Mark, String)> = Vec::new();
    for k in NodeKind::ALL {
        if pic.nodes.iter().any(|x| x.kind == k) {
            entries.push((Mark::Kind(k), k.name().to_string()));
        }
    }
    let mut seen_labels: Vec<&str> = Vec::new();
    for r in Rel::ALL {
        if pic.edges.iter().any(|e| e.rel == r) && !seen_labels.contains(&r.label()) {
            seen_labels.push(r.label());
            entries.push((Mark::Rel(r), r.label().to_string()));
        }
    }
    if !entries.is_empty() {
        cy += 10.0;
        let row_h = 20.0;
        let mut x = MARGIN;
        let mut top = cy;
        for (mark, label) in entries {
            let w = 24.0 + 6.0 + text_width(&label, LEGEND_SIZE, false);
            if x > MARGIN && x + w > MARGIN + inner {
                x = MARGIN;
                top += row_h;
            }
            swatches.push(Swatch {
                mark,
                x,
                y: top + 3.0,
                w: 24.0,
                h: 14.0,
            });
            texts.push(Text {
                x: x + 30.0,
                y: top + 14.0,
                size: LEGEND_SIZE,
                bold: false,
                anchor: Anchor::Start,
                color: "#333333",
                halo: false,
                text: label,
            });
            x += w + 18.0;
        }
        cy = top + row_h;
    }
    for note in &pic.notes {
        for line in wrap(note, NOTE_SIZE, false, inner) {
            cy += NOTE_SIZE * 1.3;
            texts.push(Text {
                x: MARGIN,
                y: cy,
                size: NOTE_SIZE,
                bold: false,
                anchor: Anchor::Start,
                color: "#b00020",
                halo: false,
                text: line,
            });
        }
    }
    cy += 14.0 + HEADER_SIZE;
    for c in 0..ncols {
        texts.push(Text {
            x: col_x[c] + col_w[c] / 2.0,
            y: cy,
            size: HEADER_SIZE,
            bold: true,
            anchor: Anchor::Middle,
            color: "#444444",
            halo: false,
            text: headers[c].clone(),
        });
    }
    let content_top = cy + 16.0;
    let min_y = y.iter().copied().fold(f64::INFINITY, f64::min);
    let shift = if min_y.is_finite() {
        content_top - min_y
    } else {
        0.0
    };
    for v in y.iter_mut() {
        *v += shift;
    }
    // Empty bands across all columns (parts that float apart) close up.
    let mut spans: Vec<(f64, f64)> = (0..nv).map(|v| (y[v], y[v] + vh[v])).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut cuts: Vec<(f64, f64)> = Vec::new(); // (from y, shift up by)
    let mut reach = f64::NEG_INFINITY;
    for (top, bot) in spans {
        if reach.is_finite() && top - reach > 2.0 * NODE_GAP {
            cuts.push((top, top - reach - 2.0 * NODE_GAP));
        }
        reach = reach.max(bot);
    }
    for v in y.iter_mut() {
        let up: f64 = cuts.iter().filter(|c| *v >= c.0).map(|c| c.1).sum();
        *v -= up;
    }
    let centre = |v: usize| y[v] + vh[v] / 2.0;

    // Ports and plain ends get their rows on each node side, ordered by where the edges go.
    let next_of = |ei: usize, node: usize| -> usize {
        let ch = &chains[ei];
        if ch.len() < 2 {
            return node;
        }
        if ch[0] == node {
            ch[1]
        } else {
            ch[ch.len() - 2]
        }
    };
    for i in 0..n {
        for s in [Side::Left, Side::Right] {
            // (where its edges go, port or plain, index)
            let mut mine: Vec<(f64, bool, usize)> = Vec::new();
            for (pi, p) in ports.iter().enumerate() {
                if p.node == i && p.side == s {
                    let ys: Vec<f64> = ends
                        .iter()
                        .enumerate()
                        .filter(|(_, (a, b))| {
                            matches!(a, End::Port(x) if *x == pi)
                                || matches!(b, End::Port(x) if *x == pi)
                        })
                        .map(|(ei, _)| centre(next_of(ei, i)))
                        .collect();
                    let key = ys.iter().sum::<f64>() / ys.len().max(1) as f64;
                    mine.push((key, true, pi));
                }
            }
            for (ei, (a, b)) in ends.iter().enumerate() {
                for e in [a, b] {
                    if let End::Plain(x) = e {
                        if plains[*x].node == i && plains[*x].side == s {
                            mine.push((centre(next_of(ei, i)), false, *x));
                        }
                    }
                }
            }
            mine.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let n_ports = mine.iter().filter(|m| m.1).count();
            if n_ports == 0 {
                // Plain ends only: spread over the side.
                let k = mine.len() as f64;
                for (j, (_, _, x)) in mine.iter().enumerate() {
                    plains[*x].y = y[i] + vh[i] * (j as f64 + 1.0) / (k + 1.0);
                }
                continue;
            }
            let total: f64 = mine
                .iter()
                .map(|m| if m.1 { SLOT } else { PLAIN_SLOT })
                .sum();
            let mut t = centre(i) - total / 2.0;
            for (_, is_port, x) in &mine {
                if *is_port {
                    // The stub's line is at the slot's bottom, its label above it.
                    ports[*x].y = t + SLOT / 2.0 + 6.0;
                    t += SLOT;
                } else {
                    plains[*x].y = t + PLAIN_SLOT / 2.0;
                    t += PLAIN_SLOT;
                }
            }
        }
    }
    let col_left = |v: usize| col_x[layer[v]];
    let col_right = |v: usize| col_x[layer[v]] + col_w[layer[v]];
    let anchor = |end: End| -> (f64, f64) {
        match end {
            End::Port(p) => {
                let port = &ports[p];
                let c = col_of(port.node);
                match port.side {
                    Side::Left => (col_x[c] - zone_l[c], port.y),
                    Side::Right => (col_x[c] + col_w[c] + zone_r[c], port.y),
                }
            }
            End::Plain(p) => {
                let pl = &plains[p];
                match pl.side {
                    Side::Left => (col_left(pl.node), pl.y),
                    Side::Right => (col_right(pl.node), pl.y),
                }
            }
        }
    };

    // Lines: edges, then each port's stub and label.
    let mut lines: Vec<Line> = Vec::new();
    for (ei, e) in pic.edges.iter().enumerate() {
        let (ea, eb) = ends[ei];
        let ch = &chains[ei];
        let (start, end) = if ch[0] == e.from { (ea, eb) } else { (eb, ea) };
        let (x0, y0) = anchor(start);
        let (x1, y1) = anchor(end);
        let title = format!(
            "{} {} {}",
            pic.nodes[e.from].label,
            e.rel.label(),
            pic.nodes[e.to].label
        );
        let mut d = format!("M{}", fmt_point(x0, y0));
        if col_of(e.from) == col_of(e.to) {
            let x = x0.max(x1) + ARC;
            d.push_str(&format!(
                " C{} {} {}",
                fmt_point(x, y0),
                fmt_point(x, y1),
                fmt_point(x1, y1)
            ));
        } else {
            let mut pts: Vec<(f64, f64)> = Vec::new();
            for v in &ch[1..ch.len() - 1] {
                pts.push((col_left(*v), y[*v]));
                pts.push((col_right(*v), y[*v]));
            }
            pts.push((x1, y1));
            let (mut px, mut py) = (x0, y0);
            for (k, (qx, qy)) in pts.iter().enumerate() {
                if k % 2 == 1 && k + 1 < pts.len() {
                    d.push_str(&format!(" L{}", fmt_point(*qx, *qy)));
                } else {
                    let mx = (px + qx) / 2.0;
                    d.push_str(&format!(
                        " C{} {} {}",
                        fmt_point(mx, py),
                        fmt_point(mx, *qy),
                        fmt_point(*qx, *qy)
                    ));
                }
                (px, py) = (*qx, *qy);
            }
        }
        lines.push(Line {
            d,
            rel: e.rel,
            title,
        });
    }
    for p in &ports {
        let c = col_of(p.node);
        let (border, tip, tx, anchor) = match p.side {
            Side::Left => (col_x[c], col_x[c] - zone_l[c], col_x[c] - 6.0, Anchor::End),
            Side::Right => (
                col_x[c] + col_w[c],
                col_x[c] + col_w[c] + zone_r[c],
                col_x[c] + col_w[c] + 6.0,
                Anchor::Start,
            ),
        };
        lines.push(Line {
            d: format!("M{} L{}", fmt_point(border, p.y), fmt_point(tip, p.y)),
            rel: p.rel,
            title: format!("{}: {}", pic.nodes[p.node].label, p.rel.label()),
        });
        texts.push(Text {
            x: tx,
            y: p.y - 3.0,
            size: LABEL_SIZE,
            bold: false,
            anchor,
            color: p.rel.color(),
            halo: true,
            text: p.rel.label().to_string(),
        });
    }

    // Boxes.
    let mut boxes = Vec::with_capacity(n);
    let mut bottom = content_top;
    for i in 0..n {
        let (x, w, h) = (col_left(i), col_w[col_of(i)], vh[i]);
        let top = y[i];
        bottom = bottom.max(top + h);
        let cx = x + w / 2.0;
        let block = text_h[i] - 2.0 * PAD_Y;
        let mut ty = top + (h - block) / 2.0;
        let mut bt = Vec::new();
        for l in &name_lines[i] {
            ty += NAME_LINE;
            bt.push(Text {
                x: cx,
                y: ty - 3.5,
                size: NAME_SIZE,
                bold: true,
                anchor: Anchor::Middle,
                color: "#1a1a1a",
                halo: false,
                text: l.clone(),
            });
        }
        if !attr_lines[i].is_empty() {
            ty += 1.0;
        }
        for l in &attr_lines[i] {
            ty += ATTR_LINE;
            bt.push(Text {
                x: cx,
                y: ty - 3.0,
                size: ATTR_SIZE,
                bold: false,
                anchor: Anchor::Middle,
                color: "#444444",
                halo: false,
                text: l.clone(),
            });
        }
        boxes.push(NodeBox {
            node: i,
            kind: pic.nodes[i].kind,
            x,
            y: top,
            w,
            h,
            texts: bt,
        });
    }
    for yv in y.iter().skip(n) {
        bottom = bottom.max(*yv);
    }
    for p in &ports {
        bottom = bottom.max(p.y);
    }
    Layout {
        width,
        height: bottom + MARGIN,
        texts,
        swatches,
        lines,
        boxes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::picture::{Edge, Node};

    fn node(label: &str, kind: NodeKind) -> Node {
        Node {
            iri: format!("x:{label}"),
            label: label.into(),
            kind,
            attrs: Vec::new(),
        }
    }

    #[test]
    fn isotonic_pools_violators() {
        let fit = isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]);
        assert_eq!(fit, vec![1.0, 2.5, 2.5, 4.0]);
    }

    #[test]
    fn columns_minimise_span() {
        let pic = Picture {
            nodes: vec![
                node("M", NodeKind::Meeting),
                node("A", NodeKind::Official),
                node("C", NodeKind::Country),
            ],
            edges: vec![
                Edge {
                    from: 1,
                    to: 0,
                    rel: Rel::Attended,
                },
                Edge {
                    from: 2,
                    to: 0,
                    rel: Rel::Attended,
                },
            ],
            ..Picture::default()
        };
        let cols = columns(&pic);
        let (p, m, c) = (cols[0], cols[1], cols[3]);
        assert_eq!((p, m, c), (Some(0), Some(1), Some(2)));
        let l = layout(&pic);
        assert_eq!(l.boxes.len(), 3);
        // One labelled stub per meeting side: "attended" on the left and on the right.
        assert_eq!(
            l.texts
                .iter()
                .filter(|t| t.text == "attended" && t.halo)
                .count(),
            2
        );
    }
}
