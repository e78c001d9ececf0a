//! Stable ids of merged entities and meetings: new ids made unique, ids kept from an
//! earlier build (with `owl:sameAs` for the others a join brings together), and the id
//! registry (`ids.tsv`) that carries them to the next build.

use super::names::Interner;
use crate::model::IdRegistry;
use std::collections::{BTreeMap, BTreeSet};

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
