//! Joins persons across articles: candidates are blocked by surname key, mentions of one
//! name join at once, distinct names are compared pairwise within sub-blocks (transliteration
//! keys, dropped first or middle names), a cluster never takes a name that conflicts with
//! one it holds (two different first names) nor a person of another country, and a surname
//! alone joins the one identity of its block when there is exactly one.

use super::blocks::group_by_block;
use super::names::{id32, Names};
use super::{Cands, Join, Rule};
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

/// A person mention in a block: what the block loop reads of it, copied into the block's
/// list so that the loop reads one array in order instead of several at random.
#[derive(Clone, Copy, Default)]
struct Member {
    i: u32,
    /// Its normalised name.
    norm: u32,
    /// Whether its name has two words or more.
    multi: bool,
    /// How many word keys its name has (an empty name counts one empty key), and the first
    /// three and last two (repeated when there are fewer).
    len: usize,
    first: u32,
    second: u32,
    third: u32,
    before_last: u32,
    last: u32,
}

/// What the person joins read of every candidate, computed once and kept together.
struct People {
    /// The name entry of each person candidate (`u32::MAX` for others).
    entry: Vec<u32>,
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
    fn held_nations(&self, uf: &mut UnionFind<u32>, i: usize) -> &[u32] {
        // No cluster holds countries yet: its root need not be found.
        if self.nations.is_empty() {
            return self.nation[i].as_slice();
        }
        match self.nations.get(&find(uf, i)) {
            Some(v) => v,
            None => self.nation[i].as_slice(),
        }
    }

    /// Whether the clusters of `i` and `j` hold countries and none in common.
    fn nations_conflict(&self, uf: &mut UnionFind<u32>, i: usize, j: usize) -> bool {
        let a = self.held_nations(uf, i);
        let b = self.held_nations(uf, j);
        !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
    }

    /// Records, after `i` and `j` were joined, the countries their cluster holds.
    fn join_nations(&mut self, uf: &mut UnionFind<u32>, i: usize, j: usize) {
        if self.nations.is_empty() && self.nation[i].is_none() && self.nation[j].is_none() {
            return;
        }
        let mut all: Vec<u32> = Vec::new();
        for x in [i, j] {
            let r = find(uf, x);
            match self.nations.remove(&r) {
                Some(v) => all.extend(v),
                None => all.extend(self.nation[x]),
            }
        }
        all.sort_unstable();
        all.dedup();
        if !all.is_empty() {
            self.nations.insert(find(uf, i), all);
        }
    }
}

/// The root of `i`'s cluster.
fn find(uf: &mut UnionFind<u32>, i: usize) -> usize {
    uf.find_mut(id32(i)) as usize
}

/// Joins the clusters of `i` and `j`; whether they were apart.
fn union(uf: &mut UnionFind<u32>, i: usize, j: usize) -> bool {
    uf.union(id32(i), id32(j))
}

/// Joins the persons without a lexicon id (see the module doc).
pub(super) fn join<'a>(
    cands: &Cands<'a>,
    names: &mut Names<'a>,
    lex: &Lexicon,
    uf: &mut UnionFind<u32>,
    rules: &mut [Rule],
) {
    let n = cands.len();
    let mut p = People {
        entry: vec![u32::MAX; n],
        nation: vec![None; n],
        nations: HashMap::new(),
        names: HashMap::new(),
    };
    let mut nation_ids: HashMap<&'a str, u32> = HashMap::new();
    let mut index: HashMap<Block, u32> = HashMap::new();
    let mut blocks: Vec<Block> = Vec::new();
    // At most two blocks a mention (room not used costs no memory pages).
    let mut entries: Vec<(u32, Member)> = Vec::with_capacity(2 * n);
    let mut add = |b: Block, m: Member, entries: &mut Vec<(u32, Member)>| {
        let k = *index.entry(b).or_insert_with(|| {
            blocks.push(b);
            id32(blocks.len() - 1)
        });
        entries.push((k, m));
    };
    // A name without letters has one empty word key where sub-blocks are concerned.
    let empty = [names.key(&word_key(""))];
    for i in 0..n {
        let c = cands.get(i);
        if !c.kind.is_person() || c.key.is_some() {
            continue;
        }
        let e = cands.name(i);
        p.entry[i] = e;
        let w = match names.words(e) {
            [] => &empty[..],
            w => w,
        };
        let len = w.len();
        let m = Member {
            i: id32(i),
            norm: names.norm(e),
            multi: c.name.split_whitespace().nth(1).is_some(),
            len,
            first: w[0],
            second: w[1.min(len - 1)],
            third: w[2.min(len - 1)],
            before_last: w[len.saturating_sub(2)],
            last: w[len - 1],
        };
        p.nation[i] = c
            .country
            .and_then(|k| cands.extraction(i).entities.get(k))
            .and_then(|e| e.key.as_deref())
            .map(|k| {
                let next = id32(nation_ids.len());
                *nation_ids.entry(k).or_insert(next)
            });
        add(Block::Surname(names.surname(e)), m, &mut entries);
        // Long names are also met by their first two words, so that a dropped last
        // name ("Mohamed bin Zayed [Al Nahyan]") is compared.
        if len >= 3 {
            add(Block::Start(m.first, m.second), m, &mut entries);
        }
    }
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
    let mut distinct: Vec<Member> = Vec::new();
    let (mut multi, mut single) = (Vec::new(), Vec::new());
    let mut sub: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (stamp, &b) in order.iter().enumerate() {
        let stamp = id32(stamp);
        let all = &members[starts[b as usize] as usize..starts[b as usize + 1] as usize];
        reps.clear();
        distinct.clear();
        for &member in all {
            let i = member.i as usize;
            let norm = member.norm as usize;
            let (seen, head) = first_of[norm];
            let mut at = if seen == stamp { head } else { u32::MAX };
            let mut last = u32::MAX;
            let mut joined = false;
            while at != u32::MAX {
                let (r, next) = reps[at as usize];
                let r = r as usize;
                if !p.nations_conflict(uf, r, i) {
                    if union(uf, r, i) {
                        rules[i] = Some((Join::SameName, id32(r)));
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
            distinct.push(member);
        }
        multi.clear();
        single.clear();
        for m in &distinct {
            if m.multi {
                multi.push(m.i as usize);
            } else {
                single.push(m.i as usize);
            }
        }
        // Only names that can match (`same_person`) are compared: same first and last word
        // key, or a shorter name that ends a longer one (met through the longer one's last
        // two words), or a name of three words or more that starts a longer one (same first
        // three). Sub-blocks hold distinct names only, so they do not grow with mentions.
        sub.clear();
        for m in distinct.iter().filter(|m| m.multi) {
            sub.push((m.first, m.last, u32::MAX, m.i));
            if m.len >= 3 {
                sub.push((m.before_last, m.last, u32::MAX, m.i));
                sub.push((m.first, m.second, m.third, m.i));
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
            let (ri, rj) = (find(uf, i), find(uf, j));
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
            union(uf, i, j);
            p.join_nations(uf, i, j);
            let rule = if names.norm(ei) == names.norm(ej) {
                Join::SameName
            } else {
                Join::Transliteration
            };
            rules[j] = Some((rule, id32(i)));
            let r = find(uf, i);
            p.names.remove(&ri);
            p.names.remove(&rj);
            p.names.insert(r, all);
        }
        // How many identities the full names of this block are: none, one, or more.
        let roots = match multi.split_first() {
            None => 0,
            Some((&m, rest)) => {
                let r = find(uf, m);
                if rest.iter().all(|&i| find(uf, i) == r) {
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
                    if union(uf, m, i) {
                        rules[i] = Some((Join::Surname, id32(m)));
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
                            && union(uf, first, i)
                        {
                            rules[i] = Some((Join::SameName, id32(first)));
                            p.join_nations(uf, first, i);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
