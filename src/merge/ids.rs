//! Stable ids of merged entities and meetings: new ids made unique, ids kept from an
//! earlier build (with `owl:sameAs` for the others a join brings together), and the id
//! registry (`ids.tsv`) that carries them to the next build.

use super::names::{firsts, id32, Interner, Names, TextList};
use super::Group;
use crate::model::{EntityKind, IdRegistry};
use crate::text::push_slug;
use foldhash::HashSet;
use std::collections::{BTreeMap, BTreeSet};

/// How the merger gives the entities their ids, one entity after another. Without an
/// earlier build an id depends only on the ids made before it from the same base: the
/// bases are listed, and the ids made all at once at the end (`unique_ids`). With one, an
/// id kept or made depends on all the ids given before it: they are made one by one.
pub(super) enum Ids<'p> {
    AtOnce {
        bases: TextList,
    },
    OneByOne {
        prior: &'p IdRegistry,
        /// The ids the earlier build gave (a new id is none of them).
        prior_ids: HashSet<&'p str>,
        unique: UniqueIds,
        /// The ids given so far, in order.
        ids: TextList,
        /// The base of a new id (`person/faiz-hameed`), written in place.
        base: String,
    },
}

impl<'p> Ids<'p> {
    /// For about `n` entities, keeping the ids of `prior`.
    pub(super) fn new(prior: &'p IdRegistry, n: usize) -> Self {
        if prior.forms.is_empty() {
            return Self::AtOnce {
                bases: TextList::with_capacity(n, 0),
            };
        }
        Self::OneByOne {
            prior,
            prior_ids: prior.forms.values().map(String::as_str).collect(),
            unique: UniqueIds::with_capacity(n),
            ids: TextList::with_capacity(n, 0),
            base: String::new(),
        }
    }

    /// Gives the next entity its id: its lexicon key's, or one from its kind and label, or
    /// the one an earlier build gave to one of its names (`norms`, the label's first),
    /// the smallest not held yet; the other ids the earlier build gave to its names are
    /// returned (its `owl:sameAs`).
    pub(super) fn give(
        &mut self,
        names: &Names,
        key: Option<&str>,
        kind: EntityKind,
        label: &str,
        norms: impl Iterator<Item = u32>,
    ) -> Vec<String> {
        let write_base = |b: &mut String| {
            b.push_str(kind.iri_segment());
            b.push('/');
            push_slug(b, label);
        };
        let (prior, prior_ids, unique, ids, base) = match self {
            Self::AtOnce { bases } => {
                match key {
                    Some(k) => bases.push(k),
                    None => bases.push_with(write_base),
                };
                return Vec::new();
            }
            Self::OneByOne {
                prior,
                prior_ids,
                unique,
                ids,
                base,
            } => (prior, prior_ids, unique, ids, base),
        };
        let mut same_as = Vec::new();
        let id = match key {
            Some(k) => unique.make_number(k, |_| false),
            None => {
                let group = Group::of(kind);
                let earlier =
                    norms.filter_map(|n| prior.forms.get(&form_key(group, names.norm_str(n))));
                match keep_earlier(earlier, |x| unique.given(x)) {
                    Some((keep, others)) => {
                        same_as = others;
                        unique.give(&keep)
                    }
                    None => {
                        base.clear();
                        write_base(base);
                        unique.make_number(base, |x| prior_ids.contains(x))
                    }
                }
            }
        };
        ids.push(unique.text(id));
        same_as
    }

    /// The ids of the entities, in the order they were given.
    pub(super) fn finish(self) -> TextList {
        match self {
            Self::AtOnce { bases } => unique_ids(&bases),
            Self::OneByOne { ids, .. } => ids,
        }
    }
}

/// The registry key of a name (`person:faiz hameed`).
pub(super) fn form_key(group: Group, norm: &str) -> String {
    [group.as_str(), ":", norm].concat()
}

/// The ids given so far, made unique: `base`, or `base-N` with the first N not yet taken
/// (remembered per base, so that many entities of one name cost no search). The strings
/// are interned (one buffer, a table of 4-byte ids): at half a million ids the table stays
/// small enough for the caches, and no string is allocated per id to be a key.
pub(super) struct UniqueIds {
    /// The strings seen as ids or bases; `taken[k]` is about string `k`.
    strings: Interner,
    /// Per string: whether it was given as an id, and the next N to try with it as a base.
    taken: Vec<Taken>,
}

#[derive(Clone, Copy)]
struct Taken {
    given: bool,
    next: usize,
}

impl UniqueIds {
    /// Room for about `n` ids without growing.
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            strings: Interner::with_capacity(n),
            taken: Vec::with_capacity(n),
        }
    }

    /// The number of `s` and its entry, made (with `fresh`) the first time it is seen.
    fn slot(&mut self, s: &str, fresh: Taken) -> (u32, &mut Taken, bool) {
        let k = self.strings.intern(s);
        let new = k as usize == self.taken.len();
        if new {
            self.taken.push(fresh);
        }
        (k, &mut self.taken[k as usize], new)
    }

    /// The string of number `k` (as `make_number` and `give` return it).
    pub(super) fn text(&self, k: u32) -> &str {
        self.strings.get(k)
    }

    /// Whether `id` was given.
    pub(super) fn given(&self, id: &str) -> bool {
        self.strings
            .find(id)
            .is_some_and(|k| self.taken[k as usize].given)
    }

    /// Records that `id` is given (an id kept from an earlier build); its number.
    pub(super) fn give(&mut self, id: &str) -> u32 {
        let fresh = Taken {
            given: true,
            next: 1,
        };
        let (k, t, _) = self.slot(id, fresh);
        t.given = true;
        k
    }

    /// Gives the first of `base`, `base-2`, `base-3`… that was not given and that `exists`
    /// does not know.
    pub(super) fn make(&mut self, base: &str, exists: impl Fn(&str) -> bool) -> String {
        let k = self.make_number(base, exists);
        self.text(k).to_string()
    }

    /// Gives an id as `make` does; its number (the id is `text` of it), no string made.
    pub(super) fn make_number(&mut self, base: &str, exists: impl Fn(&str) -> bool) -> u32 {
        // Most bases are new: then `base` itself is the id (one look-up, one insertion).
        // A new base that `exists` knows is recorded as not given, to be counted from 1.
        let fresh = Taken {
            given: false,
            next: 1,
        };
        let (k, t, new) = self.slot(base, fresh);
        if new && !exists(base) {
            *t = Taken {
                given: true,
                next: 2,
            };
            return k;
        }
        let mut n = t.next;
        let id = loop {
            let id = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if !self.given(&id) && !exists(&id) {
                break id;
            }
        };
        self.slot(base, fresh).1.next = n;
        self.give(&id)
    }
}

/// The ids that `UniqueIds::make_number(base, |_| false)` gives to `bases` one after
/// another (from no id given), all at once: the first of each base is the base itself and
/// the nth one `base-n`, unless some `base-n` made so is also one of the bases (then they
/// are given one by one). Equal bases are found part by part (`firsts`) instead of in one
/// table of them all: at half a million ids such a table outgrows the processor's caches,
/// and each id would cost a look-up at a random place in memory.
pub(super) fn unique_ids(bases: &TextList) -> TextList {
    let m = bases.len();
    let hasher = foldhash::fast::FixedState::default();
    let base = |k: usize| bases.get(id32(k));
    let first = firsts(m, base, &hasher);
    // How many times each base was met so far (at its first index).
    let mut met = vec![0u32; m];
    let mut out = TextList::with_capacity(m, bases.bytes() + bases.bytes() / 8);
    // The indexes whose id is a base with a number (`base-n`), in order.
    let mut numbered: Vec<u32> = Vec::new();
    for (k, &f) in first.iter().enumerate() {
        let n = &mut met[f as usize];
        *n += 1;
        if *n == 1 {
            out.push(base(k));
        } else {
            let n = *n;
            out.push_with(|t| {
                t.push_str(base(k));
                t.push('-');
                t.push_str(&n.to_string());
            });
            numbered.push(id32(k));
        }
    }
    // Numbered ids differ from each other (a base and its number are told apart by the
    // last dash); they must also differ from every base.
    let all = m + numbered.len();
    let text = |j: usize| match j.checked_sub(m) {
        None => base(j),
        Some(q) => out.get(numbered[q]),
    };
    if numbered.is_empty() {
        return out;
    }
    let clash = firsts(all, text, &hasher)[m..]
        .iter()
        .enumerate()
        .any(|(q, &f)| f as usize != m + q);
    if !clash {
        return out;
    }
    let mut unique = UniqueIds::with_capacity(m);
    let mut out = TextList::with_capacity(m, bases.bytes());
    for k in 0..m {
        let id = unique.make_number(base(k), |_| false);
        out.push(unique.text(id));
    }
    out
}

/// The id an earlier build gave to one of the names of an entity (or the reports of a
/// meeting) and that nothing in this build holds yet, the smallest such; with it, the
/// other earlier ids, which the join makes its `owl:sameAs`. `None` when there is none.
pub(super) fn keep_earlier<'p>(
    earlier: impl IntoIterator<Item = &'p String>,
    held: impl Fn(&str) -> bool,
) -> Option<(String, Vec<String>)> {
    let earlier: BTreeSet<&String> = earlier.into_iter().collect();
    let keep = *earlier.iter().find(|e| !held(e.as_str()))?;
    let same_as = earlier
        .iter()
        .filter(|e| **e != keep)
        .map(|e| (*e).clone())
        .collect();
    Some((keep.clone(), same_as))
}

/// The prior forms with the new ones (sorted by key) added, built in one sorted pass. A
/// name keeps the id it was first given: a prior one, else the first new one (so that an
/// `owl:sameAs` link made by a join survives the next build, and a split gets its old IRI
/// back).
pub(super) fn merged_forms(
    prior: BTreeMap<String, String>,
    mut new: Vec<(String, String)>,
) -> BTreeMap<String, String> {
    debug_assert!(new.is_sorted_by(|a, b| a.0 <= b.0));
    new.dedup_by(|later, first| later.0 == first.0);
    if prior.is_empty() {
        return new.into_iter().collect();
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(prior.len() + new.len());
    let mut old = prior.into_iter().peekable();
    for (k, v) in new {
        while let Some((ok, _)) = old.peek() {
            if *ok < k {
                out.extend(old.next());
            } else {
                break;
            }
        }
        if old.peek().is_some_and(|(ok, _)| *ok == k) {
            out.extend(old.next());
        } else {
            out.push((k, v));
        }
    }
    out.extend(old);
    out.into_iter().collect()
}

/// The registry as TSV lines (`key<TAB>id`, sorted).
pub fn registry_to_tsv(r: &IdRegistry) -> String {
    let mut out = String::from("# newsgraph id registry: name key\tentity id (written by build)\n");
    for (k, v) in &r.forms {
        if !k.contains(['\t', '\n']) && !v.contains(['\t', '\n']) {
            out.push_str(&format!("{k}\t{v}\n"));
        }
    }
    out
}

/// The registry from TSV lines; malformed lines are skipped.
pub fn registry_from_tsv(text: &str) -> IdRegistry {
    let forms = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    IdRegistry { forms }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_the_id_they_were_first_given() {
        let prior: BTreeMap<String, String> = [("a", "1"), ("c", "3"), ("e", "5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let new = vec![
            ("c".to_string(), "y".to_string()),
            ("d".to_string(), "x".to_string()),
            ("d".to_string(), "z".to_string()),
        ];
        let got: Vec<(String, String)> = merged_forms(prior, new).into_iter().collect();
        let want: Vec<(String, String)> = [("a", "1"), ("c", "3"), ("d", "x"), ("e", "5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn unique_ids_count_up_per_base() {
        let mut ids = UniqueIds::with_capacity(0);
        let exists = |s: &str| s == "person/x-2";
        assert_eq!(ids.make("person/x", exists), "person/x");
        assert_eq!(ids.make("person/x", exists), "person/x-3");
        assert_eq!(ids.make("person/y", exists), "person/y");
        // An id given is taken for every base; a base not given can still be an id.
        assert_eq!(ids.make("person/x-3", exists), "person/x-3-2");
        ids.give("person/z");
        assert_eq!(ids.make("person/z", exists), "person/z-2");
        assert!(ids.given("person/z") && ids.given("person/x-3-2") && !ids.given("person/w"));
    }

    /// `unique_ids` gives what `make_number` gives one by one.
    fn assert_like_one_by_one(bases: &[&str]) {
        let mut list = TextList::default();
        for b in bases {
            list.push(b);
        }
        let got = unique_ids(&list);
        let mut one = UniqueIds::with_capacity(0);
        for (k, b) in bases.iter().enumerate() {
            let want = one.make(b, |_| false);
            assert_eq!(got.get(id32(k)), want, "{bases:?} at {k}");
        }
        assert_eq!(got.len(), bases.len());
    }

    #[test]
    fn ids_made_at_once_are_those_made_one_by_one() {
        assert_like_one_by_one(&[]);
        assert_like_one_by_one(&["person/x", "person/y", "person/x", "person/x", "org/x"]);
        // A base that an earlier one's numbered id already took, and one that comes before
        // the numbered id that equals it.
        assert_like_one_by_one(&["person/x", "person/x", "person/x-2", "person/x"]);
        assert_like_one_by_one(&["person/x-2", "person/x", "person/x", "person/x-2"]);
        assert_like_one_by_one(&["a-1", "a", "a", "a", "a-1", "a-12", "a-1-2", "a-1"]);
        // Many bases, each met up to a dozen times, in parts.
        let many: Vec<String> = (0..20_000u64)
            .map(|i| format!("person/p{}", (i * 7919) % 1_700))
            .collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_like_one_by_one(&refs);
    }

    #[test]
    fn the_smallest_free_earlier_id_stays_and_the_others_become_same_as() {
        let earlier = ["b".to_string(), "a".to_string(), "c".to_string()];
        let got = keep_earlier(&earlier, |s| s == "a");
        assert_eq!(
            got,
            Some(("b".to_string(), vec!["a".to_string(), "c".to_string()]))
        );
        assert_eq!(keep_earlier(&earlier, |_| true), None);
        assert_eq!(keep_earlier(&[], |_| false), None);
    }
}
