//! One entity per cluster of joined candidates: its kind, canonical label, aliases, id
//! (kept from an earlier build or made unique), lexicon facts, and the evidence of each
//! join.

use super::blocks::group_by_block;
use super::evidence::{join_score, shared_context};
use super::ids::{form_key, Ids};
use super::names::{id32, Names};
use super::sort::in_text_order;
use super::{Cands, Group, Rule};
use crate::lexicon::Lexicon;
use crate::model::{Candidate, Entity, EntityKind, IdRegistry, MergeEvidence};
use foldhash::HashSet;
use petgraph::unionfind::UnionFind;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The entities of a merge and where each candidate went.
pub(super) struct Merged {
    /// Entities by id.
    pub(super) entities: BTreeMap<String, Entity>,
    /// The entity id of each candidate.
    pub(super) entity_ids: Vec<Arc<str>>,
    /// The registry keys of the names seen and the ids they lead to, for the registry.
    pub(super) forms: Vec<(String, String)>,
}

/// One shared copy of each form the evidence holds, by name entry (found by index, not by
/// hashing the text).
#[derive(Default)]
struct Shared(Vec<Option<Arc<str>>>);

impl Shared {
    /// The copy of string `k`, made from `s()` the first time.
    fn get<'s>(&mut self, k: usize, s: impl FnOnce() -> &'s str) -> Arc<str> {
        if k >= self.0.len() {
            self.0.resize(k + 1, None);
        }
        self.0[k].get_or_insert_with(|| Arc::from(s())).clone()
    }
}

/// What the building of entities needs to know of a candidate before reading it whole,
/// gathered in one pass in memory order: a cluster's members lie all over the corpus, and
/// reading each (its mentions, their texts) while its cluster is built is a few cache
/// misses per mention.
#[derive(Clone, Copy)]
struct Brief {
    kind: EntityKind,
    /// Whether it has a lexicon key.
    keyed: bool,
    /// Whether its only form is its name: every mention's text is its name, no acronyms.
    one_form: bool,
    /// Whether it has no country, title or affiliation (nothing for `shared_context`).
    bare: bool,
}

/// For a list's room not yet written (`group_by_block`).
impl Default for Brief {
    fn default() -> Self {
        Self {
            kind: EntityKind::Person,
            keyed: false,
            one_form: false,
            bare: false,
        }
    }
}

impl Brief {
    fn of(c: &Candidate) -> Self {
        Self {
            kind: c.kind,
            keyed: c.key.is_some(),
            one_form: c.acronyms.is_empty() && c.mentions.iter().all(|m| m.text == c.name),
            bare: c.country.is_none() && c.titles.is_empty() && c.affiliations.is_empty(),
        }
    }
}

/// What the building of entities reads of a member of a cluster.
#[derive(Clone, Copy, Default)]
struct Member {
    /// The candidate.
    i: u32,
    /// Its name entry.
    name: u32,
    /// The index of its article.
    article: u32,
    brief: Brief,
    /// Why it joined its cluster.
    rule: Rule,
}

impl Member {
    fn of(cands: &Cands, i: usize, rule: Rule) -> Self {
        Self {
            i: id32(i),
            name: cands.name(i),
            article: id32(cands.article_index(i)),
            brief: Brief::of(cands.get(i)),
            rule,
        }
    }
}

/// Builds the entities of the clusters of `uf`, in order of first appearance.
pub(super) fn build<'a>(
    cands: &Cands<'a>,
    names: &mut Names<'a>,
    lex: &Lexicon,
    prior: &IdRegistry,
    uf: &mut UnionFind<u32>,
    rules: &[Rule],
) -> Merged {
    let n = cands.len();
    // Clusters in order of first appearance (a slot per root, no sorting), and their
    // members listed cluster by cluster in one array.
    let mut slot = vec![u32::MAX; n];
    let mut entity_of = vec![0u32; n];
    let mut count = 0;
    for (i, e) in entity_of.iter_mut().enumerate() {
        let r = uf.find_mut(id32(i)) as usize;
        if slot[r] == u32::MAX {
            slot[r] = id32(count);
            count += 1;
        }
        *e = slot[r];
    }
    drop(slot);
    // What the building reads of each member, gathered in memory order and laid out
    // cluster by cluster: the loop over clusters then reads one array in order.
    let entries: Vec<(u32, Member)> = entity_of
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, Member::of(cands, i, rules[i])))
        .collect();
    let (starts, members) = group_by_block(count, &entries);
    drop(entries);

    let mut giving = Ids::new(prior, count);
    // The registry keys already given an id (the first id a name is given stays): a bit
    // per group for each normalised name.
    let mut given: Vec<u8> = vec![0; names.norm_count()];
    // The registry keys given, as normalised names listed by group (written out once
    // sorted), and the entity each leads to.
    let mut form_names: [Vec<u32>; 3] = Default::default();
    let mut form_entities: [Vec<u32>; 3] = Default::default();
    let mut built: Vec<Option<Entity>> = Vec::with_capacity(count);
    let mut texts: Vec<&'a str> = Vec::new();
    let mut forms_seen: Vec<(&'a str, u32)> = Vec::new();
    // The evidence shares its article ids and forms: one copy of each, the articles' made
    // at once in article order (made on first use, each would be read from its article
    // all over memory).
    let articles: Vec<Arc<str>> = cands
        .items
        .iter()
        .map(|(a, _)| Arc::from(a.id.as_str()))
        .collect();
    let mut forms_shared = Shared::default();
    // Which name entries a cluster has met so far (by stamp), so that its names are
    // counted and its forms listed once each without sorting all its mentions: equal texts
    // are one entry.
    let mut marks = Marks::default();
    let mut counted: Vec<(&'a str, usize)> = Vec::new();
    for k in 0..count {
        let ms = &members[starts[k] as usize..starts[k + 1] as usize];
        let kind = cluster_kind(ms.iter().map(|m| m.brief.kind));
        let label_key = match ms.iter().find(|m| m.brief.keyed) {
            Some(m) => {
                let c = cands.get(m.i as usize);
                (c.name.as_str(), c.key.as_deref())
            }
            None => {
                marks.next();
                counted.clear();
                for m in ms {
                    let e = m.name;
                    match marks.first(e, counted.len()) {
                        None => counted.push((names.text(e), 1)),
                        Some(at) => counted[at].1 += 1,
                    }
                }
                (canonical(&counted), None)
            }
        };
        let (label, key) = label_key;
        let entry = key.and_then(|k| lex.get(k));
        // Every form seen with its name entry (most are the candidate's name, whose entry
        // is known), once, sorted, without the label.
        forms_seen.clear();
        marks.next();
        for m in ms {
            let own = m.name;
            if m.brief.one_form {
                if marks.first(own, 0).is_none() {
                    forms_seen.push((names.text(own), own));
                }
                continue;
            }
            let c = cands.get(m.i as usize);
            for t in c.mentions.iter().map(|x| x.text.as_str()) {
                let e = if t == c.name { own } else { names.entry(t) };
                if marks.first(e, 0).is_none() {
                    forms_seen.push((t, e));
                }
            }
            for a in &c.acronyms {
                let e = names.entry(a);
                if marks.first(e, 0).is_none() {
                    forms_seen.push((a, e));
                }
            }
            if marks.first(own, 0).is_none() {
                forms_seen.push((&c.name, own));
            }
        }
        forms_seen.sort_unstable_by(|a, b| a.0.cmp(b.0));
        // The label is the name of one of the candidates: it is among the forms.
        let label_norm = match forms_seen.iter().find(|f| f.0 == label) {
            Some(f) => names.norm(f.1),
            None => names.norm_of(label),
        };
        forms_seen.retain(|f| f.0 != label);
        texts.clear();
        texts.extend(forms_seen.iter().map(|f| f.0));
        let norms = std::iter::once(label_norm).chain(forms_seen.iter().map(|f| names.norm(f.1)));
        let group = Group::of(kind);
        let same_as = giving.give(names, key, kind, label, norms.clone());
        // A name keeps the id it was first given: after a join, the names of the joined
        // entity still lead to its old id, so that every later build links it again with
        // owl:sameAs (and gives it back if the join goes away).
        if key.is_none() {
            let bit = 1u8 << group as u8;
            for norm in norms {
                if given.len() <= norm as usize {
                    given.resize(names.norm_count(), 0);
                }
                if given[norm as usize] & bit == 0 {
                    given[norm as usize] |= bit;
                    form_names[group as usize].push(norm);
                    form_entities[group as usize].push(id32(k));
                }
            }
        }
        // One join per mention but the first: sized up front, as a large corpus holds
        // millions of them (a list grown by pushing keeps up to half its room empty).
        let mut evidence: Vec<MergeEvidence> = Vec::with_capacity(ms.len().saturating_sub(1));
        for m in ms {
            let Some((rule, with)) = m.rule else {
                continue;
            };
            // The mention joined to is of the same cluster (members are in candidate
            // order): found there, not in the corpus.
            let w = match ms.binary_search_by_key(&with, |x| x.i) {
                Ok(p) => ms[p],
                Err(_) => Member::of(cands, with as usize, rules[with as usize]),
            };
            let (mi, wi) = (m.i as usize, w.i as usize);
            // Two bare candidates share nothing (and nothing needs reading).
            let support = if m.brief.bare && w.brief.bare {
                Vec::new()
            } else {
                let (a, b) = (cands.get(mi), cands.get(wi));
                shared_context(names, (cands.extraction(mi), a), (cands.extraction(wi), b))
            };
            evidence.push(MergeEvidence {
                rule: rule.as_str(),
                score: join_score(rule, &support),
                article: articles[m.article as usize].clone(),
                form: forms_shared.get(m.name as usize, || names.text(m.name)),
                with_article: articles[w.article as usize].clone(),
                with_form: forms_shared.get(w.name as usize, || names.text(w.name)),
                support,
            });
        }
        let country = entry
            .and_then(|e| e.country.clone())
            .filter(|c| lex.get(c).is_some());
        built.push(Some(Entity {
            // Written once all ids are made.
            id: String::new(),
            kind,
            label: label.to_string(),
            aliases: texts.iter().map(|t| t.to_string()).collect(),
            wikidata: entry.and_then(|e| e.wikidata.clone()),
            country,
            same_as,
            evidence,
        }));
    }
    let ids = giving.finish();
    for (k, e) in built.iter_mut().enumerate() {
        if let Some(e) = e {
            e.id = ids.get(id32(k)).to_string();
        }
    }
    // Countries named only as lexicon background (a city's country) are not entities of
    // the graph unless some article mentions them (one of the ids given is theirs).
    let countries: HashSet<String> = built
        .iter()
        .flatten()
        .filter_map(|e| e.country.clone())
        .collect();
    if !countries.is_empty() {
        let named: HashSet<&str> = (0..ids.len())
            .map(|k| ids.get(id32(k)))
            .filter(|id| countries.contains(*id))
            .collect();
        for e in built.iter_mut().flatten() {
            if e.country.as_deref().is_some_and(|c| !named.contains(c)) {
                e.country = None;
            }
        }
    }
    // Sorted by id, then laid into the map: collecting a vector into a map reuses the
    // vector, and sorted input is only checked. The keys of the map are written out in
    // sorted order (from what the sort read, in memory order), so that they lie in memory
    // in the order the map reads them. The entities are then taken in that order, each
    // moving once, in a loop short enough that the processor reads many of them at once
    // (they lie all over memory in that order; following a permutation's cycles in place
    // reads one at a time).
    let mut order: Vec<u32> = Vec::with_capacity(built.len());
    let mut keys: Vec<String> = Vec::with_capacity(built.len());
    // The ids read from their one buffer (in memory order), not from each entity.
    let id = |k: usize| ids.get(id32(k));
    in_text_order(built.len(), id, |k, whole| {
        order.push(k);
        keys.push(whole.unwrap_or_else(|| id(k as usize)).to_string());
    });
    let mut sorted: Vec<(String, Entity)> = Vec::with_capacity(order.len());
    for (&k, key) in order.iter().zip(keys) {
        if let Some(e) = built[k as usize].take() {
            sorted.push((key, e));
        }
    }
    drop(built);
    let entities = sorted.into_iter().collect();
    // The id of each candidate, in candidate order, one shared copy per entity (made at its
    // first candidate): entities are numbered in order of first appearance, so that the
    // copies are made, and mostly read, moving forward with the candidates.
    let mut shared: Vec<Option<Arc<str>>> = vec![None; count];
    let entity_ids = entity_of
        .iter()
        .map(|&k| {
            let k = k as usize;
            shared[k]
                .get_or_insert_with(|| Arc::from(ids.get(id32(k))))
                .clone()
        })
        .collect();
    // The ids of the registry keys, written out in the order the keys were given (the
    // order of the entities, and of their ids in `ids`), then put in the keys' order.
    let form_ids = form_entities.map(|es| es.iter().map(|&k| ids.get(k).to_string()).collect());
    let forms = sorted_forms(&form_names, form_ids, names);
    Merged {
        entities,
        entity_ids,
        forms,
    }
}

/// The registry keys of the names given ids (their normalised forms, by group) with those
/// ids, sorted by key, each key written out in that order (from what the sort read of the
/// names' one buffer, in memory order), so that the keys lie in memory in the order they
/// are read again. A key is its group's name, a colon and the name, and the group names
/// differ before the colon (`org` < `person` < `place`): keys sort by group, then by name.
/// The ids are taken in that order once the keys are written, in a loop short enough that
/// the processor reads many of them at once (they lie all over memory in that order).
fn sorted_forms(
    forms: &[Vec<u32>; 3],
    ids: [Vec<String>; 3],
    names: &Names,
) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(forms.iter().map(Vec::len).sum());
    let mut order: Vec<u32> = Vec::new();
    let groups = [Group::Org, Group::Person, Group::Place];
    for ((group, norms), mut ids) in groups.into_iter().zip(forms).zip(ids) {
        let norm = |k: usize| names.norm_str(norms[k]);
        let start = out.len();
        order.clear();
        in_text_order(norms.len(), norm, |k, whole| {
            order.push(k);
            let key = form_key(group, whole.unwrap_or_else(|| norm(k as usize)));
            out.push((key, String::new()));
        });
        for (slot, &k) in out[start..].iter_mut().zip(&order) {
            slot.1 = std::mem::take(&mut ids[k as usize]);
        }
    }
    out
}

/// The kind of a cluster from its members' kinds: official if any is, else agency if any
/// is, else the first one's.
fn cluster_kind(kinds: impl Iterator<Item = EntityKind>) -> EntityKind {
    let (mut first, mut agency) = (None, false);
    for k in kinds {
        if k == EntityKind::Official {
            return k;
        }
        agency |= k == EntityKind::Agency;
        first.get_or_insert(k);
    }
    if agency {
        return EntityKind::Agency;
    }
    first.unwrap_or(EntityKind::Person)
}

/// The canonical label of a cluster without a lexicon id (that one's label is the
/// lexicon name): the most complete of its names, given once each with how many of its
/// candidates bear it (most words, then most frequent, then alphabetical).
fn canonical<'a>(counted: &[(&'a str, usize)]) -> &'a str {
    counted
        .iter()
        .max_by(|a, b| {
            let wa = a.0.split_whitespace().count();
            let wb = b.0.split_whitespace().count();
            wa.cmp(&wb).then(a.1.cmp(&b.1)).then(b.0.cmp(a.0))
        })
        .map_or("", |&(n, _)| n)
}

/// Marks on name entries, valid for one round (a stamp): which entries a round has met,
/// and the place each was given when first met.
#[derive(Default)]
struct Marks {
    stamp: u32,
    /// Per entry: the round that last met it, and the place it was given then.
    at: Vec<(u32, u32)>,
}

impl Marks {
    /// Starts a new round (no entry met yet).
    fn next(&mut self) {
        self.stamp += 1;
    }

    /// Where entry `e` was placed when first met in this round, or `None` when it is met
    /// for the first time now (it is then placed at `place`).
    fn first(&mut self, e: u32, place: usize) -> Option<usize> {
        let e = e as usize;
        if e >= self.at.len() {
            self.at.resize(e + 1, (0, 0));
        }
        let slot = &mut self.at[e];
        if slot.0 == self.stamp {
            return Some(slot.1 as usize);
        }
        *slot = (self.stamp, id32(place));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharSpan, Mention};

    #[test]
    fn a_cluster_is_official_then_agency_then_its_first_kind() {
        use EntityKind::{Agency, Country, Official, Person};
        assert_eq!(
            cluster_kind([Person, Agency, Official].into_iter()),
            Official
        );
        assert_eq!(cluster_kind([Country, Agency, Person].into_iter()), Agency);
        assert_eq!(cluster_kind([Country, Person].into_iter()), Country);
        assert_eq!(cluster_kind(std::iter::empty()), Person);
    }

    #[test]
    fn a_brief_tells_whether_a_candidate_has_other_forms_or_context() {
        let mention = |t: &str| Mention {
            span: CharSpan { begin: 0, end: 1 },
            text: t.to_string(),
        };
        let mut c = Candidate::new(EntityKind::Person, "Faiz Hameed", None);
        c.mentions.push(mention("Faiz Hameed"));
        let b = Brief::of(&c);
        assert!(b.one_form && b.bare && !b.keyed);
        c.mentions.push(mention("Hameed"));
        assert!(!Brief::of(&c).one_form);
        c.mentions.pop();
        c.acronyms.push("FH".to_string());
        assert!(!Brief::of(&c).one_form);
        c.titles.push("General".to_string());
        assert!(!Brief::of(&c).bare);
    }
}
