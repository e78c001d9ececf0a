//! One entity per cluster of joined candidates: its kind, canonical label, aliases, id
//! (kept from an earlier build or made unique), lexicon facts, and the evidence of each
//! join.

use super::blocks::group_by_block;
use super::evidence::{join_score, shared_context};
use super::ids::{keep_earlier, UniqueIds};
use super::names::{id32, Names};
use super::sort::{order_by_text, permute};
use super::{Cands, Group, Rule};
use crate::lexicon::Lexicon;
use crate::model::{Candidate, Entity, EntityKind, IdRegistry, MergeEvidence};
use crate::text::slug;
use foldhash::HashSet;
use petgraph::unionfind::UnionFind;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The entities of a merge and where each candidate went.
pub(super) struct Merged {
    /// Entities by id.
    pub(super) entities: BTreeMap<String, Entity>,
    /// The entity id of each candidate.
    pub(super) entity_ids: Vec<String>,
    /// The registry keys of the names seen and the ids they lead to, for the registry.
    pub(super) forms: Vec<(String, String)>,
}

/// One shared copy of each string the evidence holds.
#[derive(Default)]
struct Shared<'a>(foldhash::HashMap<&'a str, Arc<str>>);

impl<'a> Shared<'a> {
    fn get(&mut self, s: &'a str) -> Arc<str> {
        self.0.entry(s).or_insert_with(|| Arc::from(s)).clone()
    }
}

/// Builds the entities of the clusters of `uf`, in order of first appearance.
pub(super) fn build<'a>(
    cands: &Cands<'a>,
    names: &mut Names<'a>,
    lex: &Lexicon,
    prior: &IdRegistry,
    uf: &mut UnionFind<usize>,
    rules: &[Rule],
) -> Merged {
    let n = cands.len();
    // Clusters in order of first appearance (a slot per root, no sorting), and their
    // members listed cluster by cluster in one array.
    let mut slot = vec![u32::MAX; n];
    let mut entity_of = vec![0u32; n];
    let mut count = 0;
    for (i, e) in entity_of.iter_mut().enumerate() {
        let r = uf.find_mut(i);
        if slot[r] == u32::MAX {
            slot[r] = id32(count);
            count += 1;
        }
        *e = slot[r];
    }
    drop(slot);
    let entries: Vec<(u32, u32)> = entity_of
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, id32(i)))
        .collect();
    let (starts, members) = group_by_block(count, &entries);
    drop(entries);

    let prior_ids: HashSet<&str> = prior.forms.values().map(String::as_str).collect();
    let mut unique = UniqueIds::with_capacity(count);
    // The registry keys already given an id (the first id a name is given stays): a bit
    // per group for each normalised name.
    let mut given: Vec<u8> = vec![0; names.norm_count()];
    let mut forms: Vec<(String, String)> = Vec::with_capacity(names.norm_count());
    let mut built: Vec<(String, Entity)> = Vec::with_capacity(count);
    let mut cs: Vec<&'a Candidate> = Vec::new();
    let mut texts: Vec<&'a str> = Vec::new();
    let mut forms_seen: Vec<(&'a str, u32)> = Vec::new();
    // The id of each candidate, written while its entity's id is at hand (reading the ids
    // back in candidate order afterwards would be a cache miss per mention).
    let mut entity_ids = vec![String::new(); n];
    // The evidence shares its article ids and forms: one copy of each.
    let mut shared = Shared::default();
    for k in 0..count {
        let ms = &members[starts[k] as usize..starts[k + 1] as usize];
        cs.clear();
        cs.extend(ms.iter().map(|&m| cands.get(m as usize)));
        let kind = cluster_kind(&cs);
        let (label, key) = canonical(&cs, &mut texts);
        let entry = key.and_then(|k| lex.get(k));
        // Every form seen with its name entry (most are the candidate's name, whose entry
        // is known), sorted, without the label.
        forms_seen.clear();
        for (&m, c) in ms.iter().zip(&cs) {
            let own = cands.name(m as usize);
            for t in c.mentions.iter().map(|x| x.text.as_str()) {
                let e = if t == c.name { own } else { names.entry(t) };
                forms_seen.push((t, e));
            }
            for a in &c.acronyms {
                forms_seen.push((a, names.entry(a)));
            }
            forms_seen.push((&c.name, own));
        }
        forms_seen.sort_unstable_by(|a, b| a.0.cmp(b.0));
        forms_seen.dedup_by(|a, b| a.0 == b.0);
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
        let mut same_as: Vec<String> = Vec::new();
        let id = match key {
            Some(k) => unique.make(k, |_| false),
            None => {
                let mut earlier: Vec<&String> = Vec::new();
                if !prior.forms.is_empty() {
                    for norm in norms.clone() {
                        let form = form_key(group, names.norm_str(norm));
                        earlier.extend(prior.forms.get(&form));
                    }
                }
                match keep_earlier(earlier, |x| unique.given(x)) {
                    Some((keep, others)) => {
                        same_as = others;
                        unique.give(&keep);
                        keep
                    }
                    None => {
                        let base = [kind.iri_segment(), "/", &slug(label)].concat();
                        unique.make(&base, |x| prior_ids.contains(x))
                    }
                }
            }
        };
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
                    forms.push((form_key(group, names.norm_str(norm)), id.clone()));
                }
            }
        }
        // One join per mention but the first: sized up front, as a large corpus holds
        // millions of them (a list grown by pushing keeps up to half its room empty).
        let mut evidence: Vec<MergeEvidence> = Vec::with_capacity(ms.len().saturating_sub(1));
        for &m in ms {
            let m = m as usize;
            let Some((rule, with)) = rules[m] else {
                continue;
            };
            let with = with as usize;
            let (a, b) = (cands.get(m), cands.get(with));
            let support =
                shared_context(names, (cands.extraction(m), a), (cands.extraction(with), b));
            evidence.push(MergeEvidence {
                rule: rule.as_str(),
                score: join_score(rule, &support),
                article: shared.get(&cands.article(m).id),
                form: shared.get(&a.name),
                with_article: shared.get(&cands.article(with).id),
                with_form: shared.get(&b.name),
                support,
            });
        }
        for &m in ms {
            entity_ids[m as usize].clone_from(&id);
        }
        let country = entry
            .and_then(|e| e.country.clone())
            .filter(|c| lex.get(c).is_some());
        built.push((
            id.clone(),
            Entity {
                id,
                kind,
                label: label.to_string(),
                aliases: texts.iter().map(|t| t.to_string()).collect(),
                wikidata: entry.and_then(|e| e.wikidata.clone()),
                country,
                same_as,
                evidence,
            },
        ));
    }
    // Countries named only as lexicon background (a city's country) are not entities of
    // the graph unless some article mentions them.
    for (_, e) in &mut built {
        if e.country.as_ref().is_some_and(|c| !unique.given(c)) {
            e.country = None;
        }
    }
    // Sorted by id in place (each entity moves once), then laid into the map: collecting a
    // vector into a map reuses the vector, and sorted input is only checked.
    let order = order_by_text(built.len(), |k| built[k].0.as_str());
    permute(&mut built, &order);
    let entities = built.into_iter().collect();
    Merged {
        entities,
        entity_ids,
        forms,
    }
}

/// The registry key of a name (`person:faiz hameed`).
fn form_key(group: Group, norm: &str) -> String {
    [group.as_str(), ":", norm].concat()
}

fn cluster_kind(cs: &[&Candidate]) -> EntityKind {
    if cs.iter().any(|c| c.kind == EntityKind::Official) {
        return EntityKind::Official;
    }
    if cs.iter().any(|c| c.kind == EntityKind::Agency) {
        return EntityKind::Agency;
    }
    cs.first().map_or(EntityKind::Person, |c| c.kind)
}

/// The canonical label: the lexicon name, else the most complete form (most words, then
/// most frequent, then alphabetical). `buf` is scratch space.
fn canonical<'a>(cs: &[&'a Candidate], buf: &mut Vec<&'a str>) -> (&'a str, Option<&'a str>) {
    if let Some(c) = cs.iter().find(|c| c.key.is_some()) {
        return (&c.name, c.key.as_deref());
    }
    buf.clear();
    buf.extend(cs.iter().map(|c| c.name.as_str()));
    buf.sort_unstable();
    let best = buf
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .max_by(|a, b| {
            let wa = a.0.split_whitespace().count();
            let wb = b.0.split_whitespace().count();
            wa.cmp(&wb).then(a.1.cmp(&b.1)).then(b.0.cmp(a.0))
        })
        .map_or("", |(n, _)| n);
    (best, None)
}
