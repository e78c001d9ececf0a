//! Interned names for the merger: every distinct surface text is normalised once and every
//! distinct word keyed once, so that blocking and comparison work on integer ids instead of
//! allocating, hashing and sorting strings per mention.

use crate::extract::{normalize_name, same_person_keys, word_key};
use foldhash::{HashMap, HashMapExt};
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// A dense id: the merger's tables are indexed by it. A corpus has far fewer than 2³²
/// distinct strings (it would not fit in memory), so the narrowing is lossless.
pub(super) fn id32(n: usize) -> u32 {
    debug_assert!(u32::try_from(n).is_ok());
    n as u32
}

/// Strings end to end in one buffer, addressed by their number in the list: no string is
/// allocated by itself, and strings pushed one after another lie one after another.
#[derive(Default)]
pub(super) struct TextList {
    /// Where each string ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    text: String,
}

impl TextList {
    /// Room for `n` strings of `bytes` bytes in all without growing.
    pub(super) fn with_capacity(n: usize, bytes: usize) -> Self {
        Self {
            ends: Vec::with_capacity(n),
            text: String::with_capacity(bytes),
        }
    }

    /// Adds `s`; its number.
    pub(super) fn push(&mut self, s: &str) -> u32 {
        self.push_with(|t| t.push_str(s))
    }

    /// Adds the string that `write` appends to the buffer; its number.
    pub(super) fn push_with(&mut self, write: impl FnOnce(&mut String)) -> u32 {
        let id = id32(self.ends.len());
        write(&mut self.text);
        self.ends.push(self.text.len());
        id
    }

    /// String `id` (empty for an unknown number).
    pub(super) fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = match i.checked_sub(1) {
            Some(p) => self.ends[p],
            None => 0,
        };
        self.text.get(start..end).unwrap_or("")
    }

    /// How many strings there are.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// How many bytes the strings have in all.
    pub(super) fn bytes(&self) -> usize {
        self.text.len()
    }
}

/// Strings to dense ids, each string stored once. The strings lie end to end in one
/// buffer and the hash table holds their ids only (four bytes a slot): at a million names
/// the table stays within the processor's caches, where a table of string handles with
/// a heap string each would not.
#[derive(Default)]
pub(super) struct Interner {
    ids: HashTable<u32>,
    /// How many strings (the first ones) `ids` holds: those added by `push_new` are put in
    /// it when `intern` next runs.
    indexed: usize,
    hasher: foldhash::fast::FixedState,
    list: TextList,
}

impl Interner {
    /// Room for `n` strings without growing.
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            ids: HashTable::with_capacity(n),
            list: TextList::with_capacity(n, 0),
            ..Self::default()
        }
    }

    /// The id of `s`, if it was interned.
    pub(super) fn find(&self, s: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(s);
        let list = &self.list;
        let found = self.ids.find(hash, |&id| list.get(id) == s);
        found.copied().or_else(|| {
            (self.indexed..list.len())
                .map(id32)
                .find(|&id| list.get(id) == s)
        })
    }

    /// The id of `s`, a new one the first time it is seen.
    pub(super) fn intern(&mut self, s: &str) -> u32 {
        self.index_all();
        let hash = self.hasher.hash_one(s);
        let list = &self.list;
        if let Some(&id) = self.ids.find(hash, |&id| list.get(id) == s) {
            return id;
        }
        let id = self.push_new(s);
        self.indexed = self.list.len();
        let (list, hasher) = (&self.list, &self.hasher);
        self.ids
            .insert_unique(hash, id, |&id| hasher.hash_one(list.get(id)));
        id
    }

    /// Adds `s`, known not to be interned yet, without looking for it (it is put in the
    /// table when `intern` next runs); its id.
    fn push_new(&mut self, s: &str) -> u32 {
        self.list.push(s)
    }

    /// Puts the strings added by `push_new` in the table.
    fn index_all(&mut self) {
        let n = self.list.len();
        if self.indexed == n {
            return;
        }
        let (list, hasher) = (&self.list, &self.hasher);
        let rehash = |&id: &u32| hasher.hash_one(list.get(id));
        self.ids.reserve(n - self.indexed, rehash);
        for id in self.indexed..n {
            let id = id32(id);
            let hash = hasher.hash_one(list.get(id));
            self.ids.insert_unique(hash, id, rehash);
        }
        self.indexed = n;
    }

    /// The string of an id.
    pub(super) fn get(&self, id: u32) -> &str {
        self.list.get(id)
    }

    /// How many distinct strings there are.
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }
}

/// What the merger needs of one distinct surface text.
struct Entry<'a> {
    text: &'a str,
    /// Its normalised form (`normalize_name`), as an id of `Names::norms`.
    norm: u32,
    /// Its word keys (`word_key` of each word of the normalised form): `Names::words[start..start + len]`.
    start: u32,
    len: u32,
    /// The key of its surname (`surname_key`), computed with the entry, while its text is
    /// in the caches (when first asked for, it is mostly not).
    surname: u32,
}

/// The interned names of one merge. Texts are borrowed from the candidates being merged.
pub(super) struct Names<'a> {
    /// The entries by text: a table of entry ids (four bytes a slot), the texts being the
    /// entries' own.
    by_text: HashTable<u32>,
    /// How many entries (the first ones) `by_text` holds.
    indexed: usize,
    hasher: foldhash::fast::FixedState,
    entries: Vec<Entry<'a>>,
    norms: Interner,
    /// Distinct normalised words, and the word key of each (an id of `keys`).
    plain: Interner,
    key_of_word: Vec<u32>,
    keys: Interner,
    words: Vec<u32>,
    /// Surname keys by last word (a surname key depends on nothing else): the last words
    /// interned (their own copies, close together: a text's would lie in its candidate,
    /// anywhere in memory), and the surname key of each.
    lasts: Interner,
    surname_of_last: Vec<u32>,
    /// Scratch space for normalising.
    buf: String,
}

impl<'a> Names<'a> {
    /// Room for about `n` distinct texts without growing (growing a big table is a pass
    /// over it and a fresh allocation; room not used costs no memory pages).
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            by_text: HashTable::new(),
            indexed: 0,
            hasher: foldhash::fast::FixedState::default(),
            entries: Vec::with_capacity(n),
            norms: Interner::default(),
            plain: Interner::default(),
            key_of_word: Vec::new(),
            keys: Interner::default(),
            words: Vec::with_capacity(2 * n),
            lasts: Interner::default(),
            surname_of_last: Vec::new(),
            buf: String::new(),
        }
    }

    /// The entry of a surface text (normalised and keyed the first time it is seen).
    pub(super) fn entry(&mut self, text: &'a str) -> u32 {
        self.index_all();
        let hash = self.hasher.hash_one(text);
        let entries = &self.entries;
        if let Some(&e) = self
            .by_text
            .find(hash, |&e| entries[e as usize].text == text)
        {
            return e;
        }
        let e = self.make(text);
        self.indexed += 1;
        let (entries, hasher) = (&self.entries, &self.hasher);
        self.by_text
            .insert_unique(hash, e, |&e| hasher.hash_one(entries[e as usize].text));
        e
    }

    /// The entries of many texts, as `entry` would give them one by one in this order, each
    /// text normalised and keyed once. Equal texts, and then equal normalised forms of the
    /// new texts, are found part by part (`firsts`) instead of in one table of them all; the
    /// entries and forms made here are put in those tables only when a later look-up needs
    /// them.
    pub(super) fn entries_of(&mut self, texts: &[&'a str]) -> Vec<u32> {
        if !self.entries.is_empty() || self.norms.len() > 0 {
            return texts.iter().map(|t| self.entry(t)).collect();
        }
        let first = firsts(texts.len(), |i| texts[i], &self.hasher);
        // The normalised forms of the texts not seen before them, end to end.
        let mut normed = String::new();
        let mut ends: Vec<usize> = Vec::new();
        for (i, &t) in texts.iter().enumerate() {
            if first[i] as usize == i {
                normalize_into(t, &mut self.buf);
                normed.push_str(&self.buf);
                ends.push(normed.len());
            }
        }
        let form = |j: usize| &normed[if j == 0 { 0 } else { ends[j - 1] }..ends[j]];
        let first_form = firsts(ends.len(), form, &self.hasher);
        let mut norm_ids: Vec<u32> = Vec::with_capacity(ends.len());
        for (j, &f) in first_form.iter().enumerate() {
            let id = match norm_ids.get(f as usize) {
                Some(&id) => id,
                None => self.norms.push_new(form(j)),
            };
            norm_ids.push(id);
        }
        // Entries made in text order, so that they are numbered as `entry` numbers them.
        let mut out = Vec::with_capacity(texts.len());
        let mut j = 0;
        for (i, &t) in texts.iter().enumerate() {
            let f = first[i] as usize;
            let e = if f == i {
                let e = self.push_entry(t, form(j), norm_ids[j]);
                j += 1;
                e
            } else {
                out[f]
            };
            out.push(e);
        }
        out
    }

    /// Puts the entries made by `entries_of` in the table of all texts.
    fn index_all(&mut self) {
        if self.indexed == self.entries.len() {
            return;
        }
        let (entries, hasher) = (&self.entries, &self.hasher);
        self.by_text.reserve(entries.len() - self.indexed, |&e| {
            hasher.hash_one(entries[e as usize].text)
        });
        for e in self.indexed..entries.len() {
            let hash = hasher.hash_one(entries[e].text);
            self.by_text.insert_unique(hash, id32(e), |&e| {
                hasher.hash_one(entries[e as usize].text)
            });
        }
        self.indexed = entries.len();
    }

    /// Makes the entry of a text not seen before (not yet in the table of all texts).
    fn make(&mut self, text: &'a str) -> u32 {
        let mut buf = std::mem::take(&mut self.buf);
        normalize_into(text, &mut buf);
        let norm = self.norms.intern(&buf);
        let e = self.push_entry(text, &buf, norm);
        self.buf = buf;
        e
    }

    /// Adds the entry of a text not seen before, whose normalised form is `normed`, of id
    /// `norm`: its word keys, and the entry.
    fn push_entry(&mut self, text: &'a str, normed: &str, norm: u32) -> u32 {
        let start = id32(self.words.len());
        for w in normed.split(' ').filter(|w| !w.is_empty()) {
            let wid = self.plain.intern(w);
            if wid as usize == self.key_of_word.len() {
                let k = self.keys.intern(&word_key(w));
                self.key_of_word.push(k);
            }
            self.words.push(self.key_of_word[wid as usize]);
        }
        let e = id32(self.entries.len());
        let surname = self.surname_of(text);
        self.entries.push(Entry {
            text,
            norm,
            start,
            len: id32(self.words.len()) - start,
            surname,
        });
        e
    }

    /// The surname key of a text (see `surname_key`), made once per last word.
    fn surname_of(&mut self, text: &str) -> u32 {
        let last = text.split_whitespace().next_back().unwrap_or("");
        let w = self.lasts.intern(last) as usize;
        match self.surname_of_last.get(w) {
            Some(&s) => s,
            None => {
                let s = self.keys.intern(&surname_key(text));
                self.surname_of_last.push(s);
                s
            }
        }
    }

    /// The normalised form of a text, as an id.
    pub(super) fn norm_of(&mut self, text: &'a str) -> u32 {
        let e = self.entry(text);
        self.norm(e)
    }

    /// The surface text of an entry.
    pub(super) fn text(&self, e: u32) -> &'a str {
        self.entries[e as usize].text
    }

    /// The normalised form of an entry, as an id.
    pub(super) fn norm(&self, e: u32) -> u32 {
        self.entries[e as usize].norm
    }

    /// How many distinct normalised forms there are (norm ids are below it).
    pub(super) fn norm_count(&self) -> usize {
        self.norms.len()
    }

    /// The string of a normalised form.
    pub(super) fn norm_str(&self, norm: u32) -> &str {
        self.norms.get(norm)
    }

    /// The word keys of an entry, as ids (empty when it has no letter or digit).
    pub(super) fn words(&self, e: u32) -> &[u32] {
        let x = &self.entries[e as usize];
        &self.words[x.start as usize..(x.start + x.len) as usize]
    }

    /// The string of a word key.
    pub(super) fn key_str(&self, k: u32) -> &str {
        self.keys.get(k)
    }

    /// The id of a word key string.
    pub(super) fn key(&mut self, k: &str) -> u32 {
        self.keys.intern(k)
    }

    /// The surname key of an entry (see `surname_key`).
    pub(super) fn surname(&self, e: u32) -> u32 {
        self.entries[e as usize].surname
    }

    /// Whether two entries name the same person (`same_person` on their word keys).
    pub(super) fn same_person(&self, a: u32, b: u32) -> bool {
        same_person_keys(self.words(a), self.words(b))
    }
}

/// For each of `n` strings, the index of the first string equal to it (its own index when
/// none before it is). The strings are split by their hash into parts of about 2,048, each
/// searched with a small table that stays in the processor's caches, so that the cost of a
/// string does not grow with their number as look-ups in one table of them all would.
pub(super) fn firsts<'s>(
    n: usize,
    text: impl Fn(usize) -> &'s str,
    hasher: &foldhash::fast::FixedState,
) -> Vec<u32> {
    firsts_by(n, text, |s| hasher.hash_one(s))
}

/// [`firsts`] with the hash function `hash`. Strings are matched by hash first, and the
/// matches checked afterwards in index order (each string against its first, which is
/// mostly one of few, often met): comparing them while the parts are searched would read
/// each string at a random place in memory. When two different strings share a hash (for
/// a 64-bit hash, almost never), the strings are matched again by their texts.
fn firsts_by<'s>(
    n: usize,
    text: impl Fn(usize) -> &'s str,
    hash: impl Fn(&'s str) -> u64,
) -> Vec<u32> {
    // Parts chosen by hash bits 32 and up: a table's slot comes from the low bits and its
    // tags from the top seven, which stay spread within a part.
    let bits = (n / 2048)
        .max(1)
        .next_power_of_two()
        .trailing_zeros()
        .min(20);
    let part_of = |h: u64| ((h >> 32) & ((1u64 << bits) - 1)) as usize;
    let hashes: Vec<u64> = (0..n).map(|i| hash(text(i))).collect();
    let mut starts = vec![0u32; (1 << bits) + 1];
    for &h in &hashes {
        starts[part_of(h) + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    // The strings part by part, in index order within a part: (hash, index).
    let mut next = starts.clone();
    let mut parted = vec![(0u64, 0u32); n];
    for (i, &h) in hashes.iter().enumerate() {
        let at = &mut next[part_of(h)];
        parted[*at as usize] = (h, id32(i));
        *at += 1;
    }
    drop(hashes);
    let mut first = vec![0u32; n];
    let mut table: HashTable<u32> = HashTable::new();
    for k in 0..starts.len() - 1 {
        let part = &parted[starts[k] as usize..starts[k + 1] as usize];
        table.clear();
        for (at, &(h, i)) in part.iter().enumerate() {
            let found = table.find(h, |&p| part[p as usize].0 == h);
            first[i as usize] = match found {
                Some(&p) => part[p as usize].1,
                None => {
                    table.insert_unique(h, id32(at), |&p| part[p as usize].0);
                    i
                }
            };
        }
    }
    let matched = first
        .iter()
        .enumerate()
        .all(|(i, &f)| f as usize == i || text(i) == text(f as usize));
    if !matched {
        let mut seen: HashMap<&str, u32> = HashMap::with_capacity(n);
        for (i, f) in first.iter_mut().enumerate() {
            *f = *seen.entry(text(i)).or_insert(id32(i));
        }
    }
    first
}

/// `normalize_name(text)` written into `out`; plain ASCII (most names) without allocating.
fn normalize_into(text: &str, out: &mut String) {
    out.clear();
    // Below DEL, transliteration leaves a text as it is (see `deunicode`).
    if !text.bytes().all(|b| b < 0x7f) {
        out.push_str(&normalize_name(text));
        return;
    }
    for w in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
    }
}

/// The surname key of a person's name: its last word's transliteration key, without an
/// Arabic article ("el-Sisi" → "Sisi").
fn surname_key(name: &str) -> String {
    let last = name.split_whitespace().next_back().unwrap_or("");
    let lower = last.to_lowercase();
    let bare = [
        "al-", "el-", "ul-", "ad-", "as-", "ash-", "at-", "an-", "ar-",
    ]
    .iter()
    .find_map(|p| lower.strip_prefix(p).map(|_| &last[p.len()..]))
    .unwrap_or(last);
    word_key(bare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{name_key, same_person};

    #[test]
    fn ids_agree_with_the_string_functions() {
        let texts = [
            "Faiz Hameed",
            "Faiz Hamid",
            "Lt Gen Faiz Hameed",
            "Abdel Fattah el-Sisi",
            "Sisi",
            "Mohamed bin Zayed",
            "Mohamed bin Zayed Al Nahyan",
            "Erdoğan",
            "Recep Tayyip Erdogan",
            "- -",
            "",
            "  O'Brien-Smith,  JR.  ",
            "AL-QAEDA (ISI) 2nd\tWing",
            "Zelenskyy\u{7f}x",
        ];
        let mut names = Names::with_capacity(0);
        let es: Vec<u32> = texts.iter().map(|t| names.entry(t)).collect();
        for (i, a) in texts.iter().enumerate() {
            assert_eq!(names.norm_str(names.norm(es[i])), normalize_name(a));
            let mut buf = String::from("stale");
            normalize_into(a, &mut buf);
            assert_eq!(buf, normalize_name(a));
            let keys: Vec<&str> = names
                .words(es[i])
                .iter()
                .map(|&k| names.key_str(k))
                .collect();
            assert_eq!(keys.join(" "), name_key(a));
            let s = names.surname(es[i]);
            assert_eq!(names.key_str(s), surname_key(a));
            for (j, b) in texts.iter().enumerate() {
                assert_eq!(
                    names.same_person(es[i], es[j]),
                    same_person(a, b),
                    "{a} / {b}"
                );
                assert_eq!(
                    names.norm(es[i]) == names.norm(es[j]),
                    normalize_name(a) == normalize_name(b)
                );
            }
        }
        // A text seen again is the same entry.
        assert_eq!(names.entry("Faiz Hamid"), es[1]);
    }

    #[test]
    fn firsts_are_found_whatever_the_hash() {
        // Texts seen up to four times; with a hash that many different texts share (their
        // length) the matches by hash are wrong and the texts are matched again.
        let texts: Vec<String> = (0..5_000u64)
            .map(|i| format!("w{}", (i * 7919) % 1_500))
            .collect();
        let text = |i: usize| texts[i].as_str();
        let mut want = Vec::new();
        let mut seen: std::collections::HashMap<&str, u32> = Default::default();
        for i in 0..texts.len() {
            want.push(*seen.entry(text(i)).or_insert(id32(i)));
        }
        let hasher = foldhash::fast::FixedState::default();
        assert_eq!(firsts(texts.len(), text, &hasher), want);
        assert_eq!(firsts_by(texts.len(), text, |s| s.len() as u64), want);
        assert_eq!(firsts_by(texts.len(), text, |_| 0), want);
        assert!(firsts(0, text, &hasher).is_empty());
    }

    #[test]
    fn entries_made_at_once_are_those_made_one_by_one() {
        // Enough texts for several parts, each seen up to three times, in a mixed order.
        // Texts that differ in case or punctuation share their normalised form.
        let texts: Vec<String> = (0..12_000u64)
            .map(|i| {
                let k = (i * 7919) % 5_000;
                match k % 3 {
                    0 => format!("Name{} Surname{}", (k / 3) % 97, k / 3),
                    1 => format!("NAME{} surname{}", (k / 3) % 97, k / 3),
                    _ => format!("Name{}, Surname{}.", (k / 3) % 97, k / 3),
                }
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut one = Names::with_capacity(0);
        let want: Vec<u32> = refs.iter().map(|t| one.entry(t)).collect();
        let mut all = Names::with_capacity(0);
        let got = all.entries_of(&refs);
        assert_eq!(got, want);
        for (&t, &e) in refs.iter().zip(&got) {
            assert_eq!(all.norm(e), one.norm(e), "{t}");
            assert_eq!(all.words(e), one.words(e), "{t}");
            assert_eq!(all.text(e), t);
        }
        // Afterwards a text seen is found, and a new one is the next entry.
        assert_eq!(all.entry(refs[4_321]), want[4_321]);
        assert_eq!(all.entry("Someone Else"), one.entry("Someone Else"));
        let (x, y) = (all.entry("name1 SURNAME1"), one.entry("name1 SURNAME1"));
        assert_eq!((x, all.norm(x)), (y, one.norm(y)));
        assert_eq!(all.norm_count(), one.norm_count());
        // On names that already have entries, it gives them one by one.
        let again = all.entries_of(&refs[..10]);
        assert_eq!(again, want[..10]);
    }
}
