//! Joins organisations, places and lexicon entities: candidates sharing a blocking key (a
//! lexicon id, a normalised name, an acronym) are joined to the first of their block.

use super::names::{id32, Names};
use super::{Cands, Group, Join, Rule};
use crate::model::{Candidate, EntityKind};
use foldhash::{HashMap, HashMapExt};
use petgraph::unionfind::UnionFind;
use std::cmp::Ordering;

/// A blocking key. Blocks are joined in the order of the keys written out as text
/// (`acr:org:ISI` < `key:country/pakistan` < `name:org:inter services intelligence`),
/// which decides the rule recorded for a candidate that two blocks join.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Block<'a> {
    Acronym(Group, &'a str),
    Lexicon(&'a str),
    Name(Group, u32),
}

impl Block<'_> {
    fn rank(&self) -> u8 {
        match self {
            Self::Acronym(..) => 0,
            Self::Lexicon(_) => 1,
            Self::Name(..) => 2,
        }
    }

    /// The order of the keys as text, without writing them out.
    fn cmp(&self, other: &Self, names: &Names) -> Ordering {
        match (self, other) {
            (Self::Acronym(g, a), Self::Acronym(h, b)) => (g, a).cmp(&(h, b)),
            (Self::Lexicon(a), Self::Lexicon(b)) => a.cmp(b),
            (Self::Name(g, a), Self::Name(h, b)) => g
                .cmp(h)
                .then_with(|| names.norm_str(*a).cmp(names.norm_str(*b))),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// The blocking keys of a candidate: two candidates are compared only when they share one.
/// Persons without a lexicon id have none (`people` joins them).
fn block_keys<'a>(c: &'a Candidate, norm: u32, out: &mut Vec<Block<'a>>) {
    if let Some(k) = &c.key {
        out.push(Block::Lexicon(k));
        return;
    }
    if c.kind.is_person() {
        return;
    }
    let g = Group::of(c.kind);
    out.push(Block::Name(g, norm));
    for a in &c.acronyms {
        out.push(Block::Acronym(g, a));
    }
    if c.name
        .chars()
        .all(|ch| ch.is_uppercase() || ch.is_ascii_digit())
    {
        out.push(Block::Acronym(g, &c.name));
    }
}

/// Whether two candidates (of kinds `a` and `b`) sharing a block are the same entity, and
/// by which rule.
fn joinable(block: &Block, a: EntityKind, b: EntityKind) -> Option<Join> {
    if let Block::Lexicon(_) = block {
        return Some(Join::SameLexiconId);
    }
    let both_bodies = matches!(a, EntityKind::Agency | EntityKind::Organization)
        && matches!(b, EntityKind::Agency | EntityKind::Organization);
    if !a.compatible(b) && !both_bodies {
        return None;
    }
    if let Block::Acronym(..) = block {
        return Some(Join::Acronym);
    }
    Some(Join::SameName)
}

/// A member of a block: the candidate and its kind.
#[derive(Clone, Copy)]
struct Member {
    i: u32,
    kind: EntityKind,
}

/// For a list's room not yet written (`group_by_block`).
impl Default for Member {
    fn default() -> Self {
        Self {
            i: 0,
            kind: EntityKind::Place,
        }
    }
}

/// Joins each candidate to the first candidate of every block it is in.
pub(super) fn join<'a>(
    cands: &Cands<'a>,
    names: &Names<'a>,
    uf: &mut UnionFind<u32>,
    rules: &mut [Rule],
) {
    // Blocks are found by hashing, and their members listed in one array (block by block,
    // in candidate order), so that no key is sorted per mention. A member carries its kind,
    // all the joins read of it: the members of a block lie all over the corpus, and reading
    // each candidate again would be a few cache misses each.
    let mut index: HashMap<Block<'a>, u32> = HashMap::new();
    let mut blocks: Vec<Block<'a>> = Vec::new();
    let mut entries: Vec<(u32, Member)> = Vec::with_capacity(cands.len());
    let mut keys = Vec::new();
    for i in 0..cands.len() {
        keys.clear();
        let c = cands.get(i);
        block_keys(c, names.norm(cands.name(i)), &mut keys);
        for &k in &keys {
            let b = *index.entry(k).or_insert_with(|| {
                blocks.push(k);
                id32(blocks.len() - 1)
            });
            entries.push((
                b,
                Member {
                    i: id32(i),
                    kind: c.kind,
                },
            ));
        }
    }
    let (starts, members) = group_by_block(blocks.len(), &entries);
    let mut order: Vec<u32> = (0..id32(blocks.len())).collect();
    order.sort_unstable_by(|&a, &b| blocks[a as usize].cmp(&blocks[b as usize], names));
    for b in order {
        let block = &blocks[b as usize];
        let m = &members[starts[b as usize] as usize..starts[b as usize + 1] as usize];
        let Some((&first, rest)) = m.split_first() else {
            continue;
        };
        for &m in rest {
            if let Some(rule) = joinable(block, first.kind, m.kind) {
                if uf.union(first.i, m.i) {
                    rules[m.i as usize] = Some((rule, first.i));
                }
            }
        }
    }
}

/// The members of each block, from (block, member) pairs: `members[starts[b]..starts[b + 1]]`
/// lists block `b`'s in the order of the pairs (a counting sort: linear, stable).
pub(super) fn group_by_block<T: Copy + Default>(
    blocks: usize,
    entries: &[(u32, T)],
) -> (Vec<u32>, Vec<T>) {
    let mut starts = vec![0u32; blocks + 1];
    for &(b, _) in entries {
        starts[b as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut next = starts.clone();
    let mut members = vec![T::default(); entries.len()];
    for &(b, i) in entries {
        let at = &mut next[b as usize];
        members[*at as usize] = i;
        *at += 1;
    }
    (starts, members)
}
