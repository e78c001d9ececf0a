//! The graph in pieces, for writing large graphs without holding all their quads: the
//! dataset (N-Quads, TriG) as a sequence of pieces in output order (each article's graph,
//! then the merger's graph one subject group at a time), and the union of all graphs
//! (Turtle) as a sequence of subject groups. Concatenating the pieces gives exactly the
//! sorted quads of [`to_quads`](super::to_quads) and the sorted union triples.
//!
//! Why the order is right: pieces are sorted by a key, and every piece holds either one
//! subject (key `<subject>`) or every subject that starts with a prefix no other piece's
//! subjects start with (key = the prefix): an article's NIF nodes `<article#…>` (no encoded
//! id holds `#`) and an entity's merge evidence `<entity/evidence/…>` (ids hold one `/`).

use super::order::{cmp_parts, sort_stmts};
use super::stmts::Stmts;
use foldhash::{HashMap, HashMapExt};

/// The flag of a meeting's local index in [`Pieces`]' occurrences.
const MEETING: u32 = 1 << 31;
use super::{
    article_graph, article_iri, article_node, entity_facts, entity_iri, entity_links,
    meeting_facts, meeting_links, merged_entity, merged_evidence, merged_meeting, merged_node,
    EntityPart, Links, Out,
};
use crate::model::{ArticleGraph, KnowledgeGraph};
use crate::rdf::vocab::MERGED_GRAPH;
use oxigraph::model::NamedNode;
use rayon::slice::ParallelSliceMut;

/// About how many quads an article's graph holds: its NIF nodes (a few per mention) and
/// the facts of its entities and meetings.
fn article_weight(a: &ArticleGraph) -> usize {
    let x = &a.extraction;
    let mentions: usize = x.entities.iter().map(|e| e.mentions.len()).sum::<usize>()
        + x.meetings.iter().map(|m| m.mentions.len()).sum::<usize>();
    32 + 6 * mentions + 8 * (x.entities.len() + x.meetings.len())
}

/// Most evidence nodes in one piece: a country's evidence (150k statements at 100k
/// articles) comes in pieces of a few megabytes.
const EVIDENCE_PART: usize = 2048;

/// Appends the indexes of an entity's `n` evidence nodes to `order` and returns the pieces
/// they come in, as ranges of `order`. One piece holds them all when they are few (its
/// statements are sorted anyway); else they are put in the order of their IRIs
/// (`<…/evidence/K>`, K = index + 1, compared as N-Triples, so `10>` before `1>`) and
/// cut into consecutive pieces of at most [`EVIDENCE_PART`].
fn evidence_parts(order: &mut Vec<u32>, n: usize) -> Vec<(u32, u32)> {
    let start = order.len();
    order.extend((0..n).map(|k| k as u32));
    if n > EVIDENCE_PART {
        order[start..].sort_by_cached_key(|k| format!("{}>", k + 1));
    }
    (start..start + n)
        .step_by(EVIDENCE_PART)
        .map(|from| (from as u32, (from + EVIDENCE_PART).min(start + n) as u32))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dataset<'a> {
    /// A whole article graph.
    Article(usize),
    /// The merger's graph node.
    MergedNode,
    /// A merged entity's node in the merger's graph.
    EntityNode(&'a str),
    /// Some of a merged entity's evidence nodes: `Pieces::evidence_order[from..to]`.
    Evidence(&'a str, u32, u32),
    /// A merged meeting in the merger's graph.
    Meeting(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Union<'a> {
    /// An article's NIF context and mentions.
    Fragments(usize),
    /// An article's node.
    ArticleNode(usize),
    /// The merger's graph node.
    MergedNode,
    /// An entity or meeting (index into the subject ids): what every article and the
    /// merger say about it.
    Subject(u32),
    /// Some of a merged entity's evidence nodes: `Pieces::evidence_order[from..to]`.
    Evidence(&'a str, u32, u32),
}

/// The graph of a build as pieces in output order.
#[derive(Debug)]
pub struct Pieces<'a> {
    kg: &'a KnowledgeGraph,
    dataset: Vec<Dataset<'a>>,
    union: Vec<Union<'a>>,
    /// The ids of the union's entity and meeting subjects.
    subjects: Vec<&'a str>,
    /// (subject, article, local index) of every entity and meeting of every article, sorted;
    /// meetings flagged with [`MEETING`].
    occurrences: Vec<(u32, u32, u32)>,
    /// The indexes of every entity's evidence, entity by entity, each entity's in the
    /// order of its evidence nodes' IRIs (when it has more than [`EVIDENCE_PART`]).
    evidence_order: Vec<u32>,
    /// How many union pieces, from the first, the article pieces of the dataset give (their
    /// NIF nodes and article node, in dataset order); 0 when the orders differ.
    union_from_dataset: usize,
}

/// A sort key: nothing, `<IRI>`, or `<IRI` and a separator (the prefix of a group of
/// subjects); the IRI is an index into a table.
#[derive(Debug, Clone, Copy)]
enum Key {
    Empty,
    Node(u32),
    Prefix(u32, &'static [u8]),
}

fn key_parts(iris: &[String], k: Key) -> [&[u8]; 3] {
    match k {
        Key::Empty => [b"", b"", b""],
        Key::Node(i) => [b"<", iris[i as usize].as_bytes(), b">"],
        Key::Prefix(i, sep) => [b"<", iris[i as usize].as_bytes(), sep],
    }
}

impl<'a> Pieces<'a> {
    /// Orders the pieces of `kg`.
    pub fn new(kg: &'a KnowledgeGraph) -> Self {
        // Every IRI a key needs, once.
        let mut iris: Vec<String> = vec![MERGED_GRAPH.to_string()];
        let mut iri = |n: NamedNode| -> u32 {
            iris.push(n.into_string());
            (iris.len() - 1) as u32
        };
        let merged = Key::Node(0);
        let mut dataset: Vec<(Dataset<'a>, Key, Key)> = Vec::new();
        let mut union: Vec<(Union<'a>, Key)> = Vec::new();
        for (i, a) in kg.articles.iter().enumerate() {
            let k = iri(article_iri(&a.article.id));
            dataset.push((Dataset::Article(i), Key::Node(k), Key::Empty));
            union.push((Union::Fragments(i), Key::Prefix(k, b"#")));
            union.push((Union::ArticleNode(i), Key::Node(k)));
        }
        if !kg.articles.is_empty() || !kg.entities.is_empty() || !kg.meetings.is_empty() {
            dataset.push((Dataset::MergedNode, merged, merged));
            union.push((Union::MergedNode, merged));
        }
        // Entities and meetings: the merged ones, and any an article names without a merged
        // counterpart.
        let mut subjects: Vec<&'a str> = Vec::new();
        let mut evidence_order: Vec<u32> = Vec::new();
        let mut subject_of: HashMap<&'a str, (u32, u32)> = HashMap::new();
        let mut subject = |id: &'a str, union: &mut Vec<(Union<'a>, Key)>| -> (u32, u32) {
            if let Some(&sk) = subject_of.get(id) {
                return sk;
            }
            let s = subjects.len() as u32;
            subjects.push(id);
            let k = iri(entity_iri(id));
            subject_of.insert(id, (s, k));
            union.push((Union::Subject(s), Key::Node(k)));
            (s, k)
        };
        for (id, e) in &kg.entities {
            let (_, k) = subject(id, &mut union);
            dataset.push((Dataset::EntityNode(id), merged, Key::Node(k)));
            // Pieces of one key keep the order they are pushed in (the sorts are stable).
            let p = Key::Prefix(k, b"/evidence/");
            for (from, to) in evidence_parts(&mut evidence_order, e.evidence.len()) {
                dataset.push((Dataset::Evidence(id, from, to), merged, p));
                union.push((Union::Evidence(id, from, to), p));
            }
        }
        for id in kg.meetings.keys() {
            let (_, k) = subject(id, &mut union);
            dataset.push((Dataset::Meeting(id), merged, Key::Node(k)));
        }
        let mut occurrences: Vec<(u32, u32, u32)> = Vec::new();
        for (ai, a) in kg.articles.iter().enumerate() {
            for (i, id) in a.entity_ids.iter().enumerate() {
                let (s, _) = subject(id, &mut union);
                occurrences.push((s, ai as u32, i as u32));
            }
            for (i, id) in a.meeting_ids.iter().enumerate() {
                let (s, _) = subject(id, &mut union);
                occurrences.push((s, ai as u32, i as u32 | MEETING));
            }
        }
        drop(subject_of);
        occurrences.sort_unstable();
        // Stable sorts, on every core (a large corpus has hundreds of thousands of pieces).
        dataset.par_sort_by(|a, b| {
            cmp_parts(&key_parts(&iris, a.1), &key_parts(&iris, b.1))
                .then_with(|| cmp_parts(&key_parts(&iris, a.2), &key_parts(&iris, b.2)))
        });
        union.par_sort_by(|a, b| cmp_parts(&key_parts(&iris, a.1), &key_parts(&iris, b.1)));
        let dataset: Vec<Dataset<'a>> = dataset.into_iter().map(|(d, _, _)| d).collect();
        let union: Vec<Union<'a>> = union.into_iter().map(|(u, _)| u).collect();
        // Usually (unless an article id is another one's prefix) the union starts with each
        // article's NIF nodes and node in the order of the dataset's article graphs.
        let in_dataset_order = dataset
            .iter()
            .filter_map(|d| match d {
                Dataset::Article(a) => Some([Union::Fragments(*a), Union::ArticleNode(*a)]),
                _ => None,
            })
            .flatten();
        let n = 2 * kg.articles.len();
        let union_from_dataset =
            if union.len() >= n && in_dataset_order.eq(union[..n].iter().copied()) {
                n
            } else {
                0
            };
        Self {
            kg,
            dataset,
            union,
            subjects,
            occurrences,
            evidence_order,
            union_from_dataset,
        }
    }

    /// Number of dataset pieces.
    pub fn dataset_len(&self) -> usize {
        self.dataset.len()
    }

    /// How many dataset pieces, from the first, are article graphs (all of them, the
    /// usual case, when the article graphs sort before the merger's graph).
    pub fn articles_first(&self) -> usize {
        let k = self
            .dataset
            .iter()
            .take_while(|d| matches!(d, Dataset::Article(_)))
            .count();
        if k == self.kg.articles.len() {
            k
        } else {
            0
        }
    }

    /// Number of union pieces.
    pub fn union_len(&self) -> usize {
        self.union.len()
    }

    /// Evidence indexes `from..to` of [`Self::evidence_order`].
    fn evidence(&self, from: u32, to: u32) -> &[u32] {
        self.evidence_order
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    /// About how many quads dataset piece `i` holds (to size batches).
    pub fn dataset_weight(&self, i: usize) -> usize {
        let evidence = |id: &str| self.kg.entities.get(id).map_or(0, |e| e.evidence.len());
        match self.dataset.get(i) {
            Some(Dataset::Article(a)) => article_weight(&self.kg.articles[*a]),
            Some(Dataset::EntityNode(id)) => 16 + evidence(id),
            Some(Dataset::Evidence(_, from, to)) => 8 * (to - from) as usize,
            Some(Dataset::MergedNode) => self.kg.articles.len(),
            Some(Dataset::Meeting(_)) => 16,
            None => 0,
        }
    }

    /// About how many triples union piece `i` holds (to size batches).
    pub fn union_weight(&self, i: usize) -> usize {
        let evidence = |id: &str| self.kg.entities.get(id).map_or(0, |e| e.evidence.len());
        match self.union.get(i) {
            Some(Union::Fragments(a) | Union::ArticleNode(a)) => {
                article_weight(&self.kg.articles[*a])
            }
            Some(Union::MergedNode) => self.kg.articles.len(),
            Some(Union::Subject(s)) => {
                let start = self.occurrences.partition_point(|o| o.0 < *s);
                let end = self.occurrences.partition_point(|o| o.0 <= *s);
                let id = self.subjects.get(*s as usize).copied().unwrap_or_default();
                16 + 4 * (end - start) + evidence(id)
            }
            Some(Union::Evidence(_, from, to)) => 8 * (to - from) as usize,
            None => 0,
        }
    }

    /// Dataset piece `i` (in output order): statements of one graph, sorted, without
    /// duplicates.
    pub fn dataset_piece(&self, i: usize) -> Stmts {
        let Some(&piece) = self.dataset.get(i) else {
            return Stmts::new();
        };
        let kg = self.kg;
        let mut out = Out::new();
        let merged = || NamedNode::new_unchecked(MERGED_GRAPH);
        match piece {
            Dataset::Article(a) => article_graph(kg, &kg.articles[a], &mut out),
            Dataset::MergedNode => {
                merged_node(kg, &mut out);
            }
            Dataset::EntityNode(id) => {
                if let Some(e) = kg.entities.get(id) {
                    merged_entity(id, e, &merged(), EntityPart::Node, &mut out);
                }
            }
            Dataset::Evidence(id, from, to) => {
                if let Some(e) = kg.entities.get(id) {
                    let ks = self.evidence(from, to);
                    merged_evidence(id, e, ks, &merged(), &mut out);
                }
            }
            Dataset::Meeting(id) => {
                if let Some(m) = kg.meetings.get(id) {
                    merged_meeting(id, m, &merged(), &mut out);
                }
            }
        }
        sort_stmts(out.stmts)
    }

    /// The union pieces that [`Self::dataset_piece_with_union`] gives: `0..k`; the others
    /// come from [`Self::union_piece`].
    pub fn union_from_dataset(&self) -> std::ops::Range<usize> {
        0..self.union_from_dataset
    }

    /// Dataset piece `i` and, when it is an article graph whose union pieces come in dataset
    /// order, the ranges of its quads that are those union pieces (NIF nodes, article node).
    pub fn dataset_piece_with_union(&self, i: usize) -> (Stmts, Vec<std::ops::Range<usize>>) {
        let st = self.dataset_piece(i);
        let Some(Dataset::Article(a)) = self.dataset.get(i) else {
            return (st, Vec::new());
        };
        if self.union_from_dataset == 0 {
            return (st, Vec::new());
        }
        let g = article_iri(&self.kg.articles[*a].article.id);
        let prefix = format!("{}#", g.as_str());
        let fragment = |s: &str| s.starts_with(&prefix);
        // Sorted statements: each group is one contiguous run.
        let run = |pred: &dyn Fn(&str) -> bool| {
            let subjects: Vec<&str> = (0..st.len())
                .filter_map(|k| st.at(k))
                .map(|x| st.subject(x))
                .collect();
            let start = subjects
                .iter()
                .position(|s| pred(s))
                .unwrap_or(subjects.len());
            let len = subjects[start..].iter().take_while(|s| pred(s)).count();
            start..start + len
        };
        let ranges = vec![run(&fragment), run(&|s: &str| s == g.as_str())];
        (st, ranges)
    }

    /// Union piece `i` (in output order): statements of the default graph, sorted, without
    /// duplicates.
    pub fn union_piece(&self, i: usize) -> Stmts {
        let Some(&piece) = self.union.get(i) else {
            return Stmts::new();
        };
        let kg = self.kg;
        let mut out = Out::new();
        out.named = false;
        match piece {
            Union::Fragments(a) | Union::ArticleNode(a) => {
                let art = &kg.articles[a];
                let (g, ctx) = article_node(art, &mut out);
                let fragments = matches!(piece, Union::Fragments(_));
                let which = if fragments {
                    Links::Nodes
                } else {
                    Links::Mentions
                };
                for k in 0..art.extraction.entities.len() {
                    entity_links(art, k, &g, &ctx, which, &mut out);
                }
                for k in 0..art.extraction.meetings.len() {
                    meeting_links(art, k, &g, &ctx, which, &mut out);
                }
                out.stmts
                    .retain_subjects(|s| (s == g.as_str()) != fragments);
            }
            Union::MergedNode => {
                merged_node(kg, &mut out);
            }
            Union::Subject(s) => {
                let id = self.subjects.get(s as usize).copied().unwrap_or_default();
                let start = self.occurrences.partition_point(|o| o.0 < s);
                for &(os, a, k) in &self.occurrences[start..] {
                    if os != s {
                        break;
                    }
                    let art = &kg.articles[a as usize];
                    let g = article_iri(&art.article.id);
                    let local = (k & !MEETING) as usize;
                    if k & MEETING != 0 {
                        meeting_facts(kg, art, local, &g, &mut out);
                    } else {
                        entity_facts(kg, art, local, &g, &mut out);
                    }
                }
                let merged = NamedNode::new_unchecked(MERGED_GRAPH);
                if let Some(e) = kg.entities.get(id) {
                    merged_entity(id, e, &merged, EntityPart::Node, &mut out);
                }
                if let Some(m) = kg.meetings.get(id) {
                    merged_meeting(id, m, &merged, &mut out);
                }
                let node = entity_iri(id);
                out.stmts.retain_subjects(|s| s == node.as_str());
            }
            Union::Evidence(id, from, to) => {
                if let Some(e) = kg.entities.get(id) {
                    let g = NamedNode::new_unchecked(MERGED_GRAPH);
                    merged_evidence(id, e, self.evidence(from, to), &g, &mut out);
                }
            }
        }
        sort_stmts(out.stmts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_parts_follow_the_order_of_the_evidence_iris() {
        let mut order = vec![7];
        // Few: one piece, in index order.
        assert_eq!(evidence_parts(&mut order, 3), vec![(1, 4)]);
        assert_eq!(order, vec![7, 0, 1, 2]);
        // Many: pieces of at most EVIDENCE_PART, in the order of `<…/evidence/K>`.
        let n = 2 * EVIDENCE_PART + 5;
        let parts = evidence_parts(&mut order, n);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].0, 4);
        assert_eq!(parts[2].1 as usize, 4 + n);
        assert!(parts.windows(2).all(|w| w[0].1 == w[1].0));
        let iri = |k: u32| format!("<x/evidence/{}>", k + 1);
        let mut want: Vec<u32> = (0..n as u32).collect();
        want.sort_by_key(|k| iri(*k));
        assert_eq!(&order[4..], &want[..]);
        // `<…/evidence/1000>` comes first (`0` sorts before `>`), index 999.
        assert_eq!(&order[4..6], &[999, 1000]);
    }
}
