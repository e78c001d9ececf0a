//! The evidence of a join: what two joined mentions share beyond the name (country, title,
//! organisation), and the join's score.

use super::names::Names;
use super::Join;
use crate::model::{Candidate, Extraction};

/// What identifies an entity an article refers to: its lexicon id, else its normalised
/// name.
#[derive(Clone, Copy)]
enum Key<'a> {
    Lexicon(&'a str),
    Name(u32),
}

/// The key of entity `i` of an extraction.
fn key<'a>(names: &mut Names<'a>, x: &'a Extraction, i: usize) -> Option<Key<'a>> {
    let e = x.entities.get(i)?;
    Some(match &e.key {
        Some(k) => Key::Lexicon(k),
        None => Key::Name(names.norm_of(&e.name)),
    })
}

fn same(names: &Names, a: Key, b: Key) -> bool {
    match (a, b) {
        (Key::Name(x), Key::Name(y)) => x == y,
        (Key::Lexicon(x), Key::Lexicon(y)) => x == y,
        (Key::Lexicon(k), Key::Name(n)) | (Key::Name(n), Key::Lexicon(k)) => names.norm_str(n) == k,
    }
}

/// What two mentions share beyond the name: their country, a title, an organisation.
pub(super) fn shared_context<'a>(
    names: &mut Names<'a>,
    (xa, a): (&'a Extraction, &'a Candidate),
    (xb, b): (&'a Extraction, &'a Candidate),
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if let (Some(ca), Some(cb)) = (a.country, b.country) {
        if let (Some(ka), Some(kb)) = (key(names, xa, ca), key(names, xb, cb)) {
            if same(names, ka, kb) {
                out.push("country");
            }
        }
    }
    if !a.titles.is_empty() && !b.titles.is_empty() {
        let lower =
            |c: &Candidate| -> Vec<String> { c.titles.iter().map(|t| t.to_lowercase()).collect() };
        let (ta, tb) = (lower(a), lower(b));
        if ta.iter().any(|t| tb.contains(t)) {
            out.push("title");
        }
    }
    let orgs = |names: &mut Names<'a>, x: &'a Extraction, c: &'a Candidate| -> Vec<Key<'a>> {
        c.affiliations
            .iter()
            .filter_map(|&i| key(names, x, i))
            .collect()
    };
    let (oa, ob) = (orgs(names, xa, a), orgs(names, xb, b));
    if oa.iter().any(|&x| ob.iter().any(|&y| same(names, x, y))) {
        out.push("organization");
    }
    out
}

/// How sure a join is: the rule's base score, raised by each shared context.
pub(super) fn join_score(rule: Join, support: &[&str]) -> u8 {
    (rule.base_score() + 5 * support.len()).min(100) as u8
}
