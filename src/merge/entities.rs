//! One entity per cluster of joined candidates: its kind, canonical label, aliases, id
//! (kept from an earlier build or made unique), lexicon facts, and the evidence of each
//! join.

use super::blocks::group_by_block;
use super::evidence::{join_score, shared_context};
use super::ids::{keep_earlier, UniqueIds};
use super::names::{id32, Names};
use super::{Cands, Group, Rule};
use crate::lexicon::Lexicon;
use crate::model::{Candidate, Entity, EntityKind, IdRegistry, MergeEvidence};
use crate::text::slug;
use foldhash::{HashSet, HashSetExt};
use petgraph::unionfind::UnionFind;
use std::collections::BTreeMap;

/// The entities of a merge and where each candidate went.
pub(super) struct Merged {
    /// Entities by id.
    pub(super) entities: BTreeMap<String, Entity>,
    /// The id of each entity, in the order of the clusters.
    pub(super) ids: Vec<String>,
    /// The entity (index into `ids`) of each candidate.
    pub(super) entity_of: Vec<u32>,
    /// The registry keys of the names seen and the ids they lead to, for the registry.
    pub(super) forms: Vec<(String, String)>,
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
    let mut used: HashSet<String> = HashSet::with_capacity(count);
    let mut unique = UniqueIds::new();
    // The registry keys already given an id (the first id a name is given stays).
    let mut given: HashSet<(Group, u32)> = HashSet::new();
    let mut forms: Vec<(String, String)> = Vec::new();
    let mut ids: Vec<String> = Vec::with_capacity(count);
    let mut built: Vec<Entity> = Vec::with_capacity(count);
    let mut cs: Vec<&'a Candidate> = Vec::new();
    let mut texts: Vec<&'a str> = Vec::new();
    for k in 0..count {
        let ms = &members[starts[k] as usize..starts[k + 1] as usize];
        cs.clear();
        cs.extend(ms.iter().map(|&m| cands.get(m as usize)));
        let kind = cluster_kind(&cs);
        let (label, key) = canonical(&cs, &mut texts);
        let entry = key.and_then(|k| lex.get(k));
        // Every form seen, sorted, without the label.
        texts.clear();
        for c in &cs {
            texts.extend(c.mentions.iter().map(|m| m.text.as_str()));
            texts.extend(c.acronyms.iter().map(String::as_str));
            texts.push(&c.name);
        }
        texts.sort_unstable();
        texts.dedup();
        texts.retain(|f| *f != label);
        let group = Group::of(kind);
        let mut same_as: Vec<String> = Vec::new();
        let id = match key {
            Some(k) => unique.make(k, |x| used.contains(x)),
            None => {
                let mut earlier: Vec<&String> = Vec::new();
                if !prior.forms.is_empty() {
                    for f in std::iter::once(label).chain(texts.iter().copied()) {
                        let norm = names.norm_of(f);
                        let form = form_key(group, names.norm_str(norm));
                        earlier.extend(prior.forms.get(&form));
                    }
                }
                match keep_earlier(earlier, |x| used.contains(x)) {
                    Some((keep, others)) => {
                        same_as = others;
                        keep
                    }
                    None => {
                        let base = format!("{}/{}", kind.iri_segment(), slug(label));
                        unique.make(&base, |x| used.contains(x) || prior_ids.contains(x))
                    }
                }
            }
        };
        // A name keeps the id it was first given: after a join, the names of the joined
        // entity still lead to its old id, so that every later build links it again with
        // owl:sameAs (and gives it back if the join goes away).
        if key.is_none() {
            for f in std::iter::once(label).chain(texts.iter().copied()) {
                let norm = names.norm_of(f);
                if given.insert((group, norm)) {
                    forms.push((form_key(group, names.norm_str(norm)), id.clone()));
                }
            }
        }
        let mut evidence: Vec<MergeEvidence> = Vec::new();
        for &m in ms {
            let m = m as usize;
            let Some((rule, with)) = rules[m] else {
                continue;
            };
            let (a, b) = (cands.get(m), cands.get(with));
            let support =
                shared_context(names, (cands.extraction(m), a), (cands.extraction(with), b));
            evidence.push(MergeEvidence {
                rule: rule.to_string(),
                score: join_score(rule, &support),
                article: cands.article(m).id.clone(),
                form: a.name.clone(),
                with_article: cands.article(with).id.clone(),
                with_form: b.name.clone(),
                support,
            });
        }
        let country = entry
            .and_then(|e| e.country.clone())
            .filter(|c| lex.get(c).is_some());
        ids.push(id.clone());
        used.insert(id.clone());
        built.push(Entity {
            id,
            kind,
            label: label.to_string(),
            aliases: texts.iter().map(|t| t.to_string()).collect(),
            wikidata: entry.and_then(|e| e.wikidata.clone()),
            country,
            same_as,
            evidence,
        });
    }
    // Countries named only as lexicon background (a city's country) are not entities of
    // the graph unless some article mentions them.
    for e in &mut built {
        if e.country.as_ref().is_some_and(|c| !used.contains(c)) {
            e.country = None;
        }
    }
    // Sorted by id through an index: the entities themselves are moved once.
    let mut order: Vec<u32> = (0..id32(built.len())).collect();
    order.sort_unstable_by(|&a, &b| built[a as usize].id.cmp(&built[b as usize].id));
    let mut built: Vec<Option<Entity>> = built.into_iter().map(Some).collect();
    let entities = order
        .iter()
        .filter_map(|&k| built[k as usize].take())
        .map(|e| (e.id.clone(), e))
        .collect();
    Merged {
        entities,
        ids,
        entity_of,
        forms,
    }
}

/// The registry key of a name (`person:faiz hameed`).
fn form_key(group: Group, norm: &str) -> String {
    format!("{}:{norm}", group.as_str())
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
