//! Joins persons across articles: candidates are blocked by surname key, mentions of one
//! name join at once, distinct names are compared pairwise within sub-blocks (transliteration
//! keys, dropped first or middle names), a cluster never takes a name that conflicts with
//! one it holds (two different first names) nor a person of another country, and a surname
//! alone joins the one identity of its block when there is exactly one.

use super::blocks::group_by_block;
use super::names::{id32, Names};
use super::{Cands, Rule};
use crate::extract::word_key;
use crate::lexicon::Lexicon;
use foldhash::{HashMap, HashMapExt};
use petgraph::unionfind::UnionFind;
use std::borrow::Cow;

/// A person block: the surname key, or the first two word keys of a longer name.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Block {
    Surname(u32),
    Start(u32, u32),
}

/// What the person joins read of every candidate, computed once and kept together.
struct People {
    /// The name entry of each person candidate (`u32::MAX` for others).
    entry: Vec<u32>,
    /// Whether its name has two words or more.
    multi: Vec<bool>,
    /// The country its article gives it (nationality), as an id.
    nation: Vec<Option<u32>>,
    /// The countries each cluster root holds, sorted: two people of different countries
    /// never join.
    nations: HashMap<usize, Vec<u32>>,
    /// The names each cluster root holds (entries, sorted), for the conflict guard.
    names: HashMap<usize, Vec<u32>>,
}

impl People {
    /// The countries the cluster of `i` holds (its own one when it was never joined).
    fn held_nations(&self, uf: &mut UnionFind<usize>, i: usize) -> &[u32] {
        match self.nations.get(&uf.find_mut(i)) {
            Some(v) => v,
            None => self.nation[i].as_slice(),
        }
    }

    /// Whether the clusters of `i` and `j` hold countries and none in common.
    fn nations_conflict(&self, uf: &mut UnionFind<usize>, i: usize, j: usize) -> bool {
        let a = self.held_nations(uf, i);
        let b = self.held_nations(uf, j);
        !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
    }

    /// Records, after `i` and `j` were joined, the countries their cluster holds.
    fn join_nations(&mut self, uf: &mut UnionFind<usize>, i: usize, j: usize) {
        let mut all: Vec<u32> = Vec::new();
        for x in [i, j] {
            let r = uf.find_mut(x);
            match self.nations.remove(&r) {
                Some(v) => all.extend(v),
                None => all.extend(self.nation[x]),
            }
        }
        all.sort_unstable();
        all.dedup();
        if !all.is_empty() {
            self.nations.insert(uf.find_mut(i), all);
        }
    }
}

/// Joins the persons without a lexicon id (see the module doc).
pub(super) fn join<'a>(
    cands: &Cands<'a>,
    names: &mut Names<'a>,
    lex: &Lexicon,
    uf: &mut UnionFind<usize>,
    rules: &mut [Rule],
) {
    let n = cands.len();
    let mut p = People {
        entry: vec![u32::MAX; n],
        multi: vec![false; n],
        nation: vec![None; n],
        nations: HashMap::new(),
        names: HashMap::new(),
    };
    let mut nation_ids: HashMap<&'a str, u32> = HashMap::new();
    let mut index: HashMap<Block, u32> = HashMap::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut entries: Vec<(u32, u32)> = Vec::new();
    let mut add = |b: Block, i: usize, entries: &mut Vec<(u32, u32)>| {
        let k = *index.entry(b).or_insert_with(|| {
            blocks.push(b);
            id32(blocks.len() - 1)
        });
        entries.push((k, id32(i)));
    };
    for i in 0..n {
        let c = cands.get(i);
        if !c.kind.is_person() || c.key.is_some() {
            continue;
        }
        let e = names.entry(&c.name);
        p.entry[i] = e;
        p.multi[i] = c.name.split_whitespace().nth(1).is_some();
        p.nation[i] = c
            .country
            .and_then(|k| cands.extraction(i).entities.get(k))
            .and_then(|e| e.key.as_deref())
            .map(|k| {
                let next = id32(nation_ids.len());
                *nation_ids.entry(k).or_insert(next)
            });
        add(Block::Surname(names.surname(e)), i, &mut entries);
        // Long names are also met by their first two words, so that a dropped last
        // name ("Mohamed bin Zayed [Al Nahyan]") is compared.
        if let [a, b, _, ..] = *names.words(e) {
            add(Block::Start(a, b), i, &mut entries);
        }
    }
    // A name without letters has one empty word key where sub-blocks are concerned.
    let empty = [names.key(&word_key(""))];
    let names = &*names;
    let (starts, members) = group_by_block(blocks.len(), &entries);
    // Blocks run in the order of their keys as text, so that the joins are the same in
    // every run; only the distinct keys are sorted.
    let mut order: Vec<(Cow<str>, u32)> = blocks
        .iter()
        .enumerate()
        .map(|(k, b)| {
            let text = match *b {
                Block::Surname(s) => Cow::Borrowed(names.key_str(s)),
                Block::Start(a, b) => {
                    Cow::Owned(format!("{} {} +", names.key_str(a), names.key_str(b)))
                }
            };
            (text, id32(k))
        })
        .collect();
    order.sort_unstable();
    let order: Vec<u32> = order.into_iter().map(|(_, k)| k).collect();

    // The first mention of each name in the current block (stamped with the block), and the
    // later ones of that name that could not join it, chained: mentions of one name join
    // without pairwise comparison.
    let mut first_of: Vec<(u32, u32)> = vec![(u32::MAX, 0); names.norm_count()];
    let mut reps: Vec<(u32, u32)> = Vec::new();
    let mut distinct: Vec<usize> = Vec::new();
    let (mut multi, mut single) = (Vec::new(), Vec::new());
    let mut sub: Vec<(bool, u32, u32, u32)> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (stamp, &b) in order.iter().enumerate() {
        let stamp = id32(stamp);
        let all = &members[starts[b as usize] as usize..starts[b as usize + 1] as usize];
        reps.clear();
        distinct.clear();
        for &i in all {
            let i = i as usize;
            let norm = names.norm(p.entry[i]) as usize;
            let (seen, head) = first_of[norm];
            let mut at = if seen == stamp { head } else { u32::MAX };
            let mut last = u32::MAX;
            let mut joined = false;
            while at != u32::MAX {
                let (r, next) = reps[at as usize];
                let r = r as usize;
                if !p.nations_conflict(uf, r, i) {
                    if uf.union(r, i) {
                        rules[i] = Some(("same-name", r));
                    }
                    p.join_nations(uf, r, i);
                    joined = true;
                    break;
                }
                last = at;
                at = next;
            }
            if joined {
                continue;
            }
            // A new name in this block, or one whose mentions so far are of other countries.
            let me = id32(reps.len());
            reps.push((id32(i), u32::MAX));
            if last == u32::MAX {
                first_of[norm] = (stamp, me);
            } else {
                reps[last as usize].1 = me;
            }
            distinct.push(i);
        }
        multi.clear();
        single.clear();
        for &i in &distinct {
            if p.multi[i] {
                multi.push(i);
            } else {
                single.push(i);
            }
        }
        // Only names that can match are compared: same first and last word key, or a
        // shorter name that ends a longer one (met through the longer one's last two
        // words), or a three-word name that starts a longer one.
        sub.clear();
        for &i in &multi {
            let w = match names.words(p.entry[i]) {
                [] => &empty[..],
                w => w,
            };
            if let (Some(&f), Some(&l)) = (w.first(), w.last()) {
                sub.push((false, f, l, id32(i)));
            }
            if w.len() >= 3 {
                sub.push((false, w[w.len() - 2], w[w.len() - 1], id32(i)));
                sub.push((true, w[0], w[1], id32(i)));
            }
        }
        sub.sort_unstable();
        pairs.clear();
        for run in sub.chunk_by(|x, y| (x.0, x.1, x.2) == (y.0, y.1, y.2)) {
            for (x, a) in run.iter().enumerate() {
                for b in &run[x + 1..] {
                    if a.3 != b.3 {
                        pairs.push((a.3.min(b.3) as usize, a.3.max(b.3) as usize));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for &(i, j) in &pairs {
            let (ei, ej) = (p.entry[i], p.entry[j]);
            if !names.same_person(ei, ej) {
                continue;
            }
            let (ri, rj) = (uf.find_mut(i), uf.find_mut(j));
            if ri == rj {
                continue;
            }
            let own_i = [ei];
            let own_j = [ej];
            let hi: &[u32] = p.names.get(&ri).map_or(&own_i, |v| v);
            let hj: &[u32] = p.names.get(&rj).map_or(&own_j, |v| v);
            let conflict = hi
                .iter()
                .any(|&x| hj.iter().any(|&y| !names.same_person(x, y)));
            if conflict || p.nations_conflict(uf, i, j) {
                continue;
            }
            let mut all: Vec<u32> = hi.iter().chain(hj).copied().collect();
            all.sort_unstable();
            all.dedup();
            uf.union(i, j);
            p.join_nations(uf, i, j);
            let rule = if names.norm(ei) == names.norm(ej) {
                "same-name"
            } else {
                "transliteration"
            };
            rules[j] = Some((rule, i));
            let r = uf.find_mut(i);
            p.names.remove(&ri);
            p.names.remove(&rj);
            p.names.insert(r, all);
        }
        // How many identities the full names of this block are: none, one, or more.
        let roots = match multi.split_first() {
            None => 0,
            Some((&m, rest)) => {
                let r = uf.find_mut(m);
                if rest.iter().all(|&i| uf.find_mut(i) == r) {
                    1
                } else {
                    2
                }
            }
        };
        match roots {
            // One identity with this surname: the surname alone is that person (unless the
            // word is also a given name: "King Abdullah" is not "Abdullah Abdullah").
            1 => {
                for &i in &single {
                    if lex.is_first_name(names.text(p.entry[i])) {
                        continue;
                    }
                    let m = multi[0];
                    if p.nations_conflict(uf, m, i) {
                        continue;
                    }
                    if uf.union(m, i) {
                        rules[i] = Some(("surname", m));
                    }
                    p.join_nations(uf, m, i);
                }
            }
            // No full name at all: the same surname alone is the same name.
            0 => {
                if let Some((&first, rest)) = single.split_first() {
                    for &i in rest {
                        if names.words(p.entry[first]) == names.words(p.entry[i])
                            && !p.nations_conflict(uf, first, i)
                            && uf.union(first, i)
                        {
                            rules[i] = Some(("same-name", first));
                            p.join_nations(uf, first, i);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
