//! Cross-article identity: which article-level candidates are the same real-world entity
//! or meeting, their stable ids and canonical labels, and the evidence for each join.
//! Pure: no files, no triples.
//!
//! Entities are blocked by a key (lexicon id, normalised name, acronym, person surname
//! key) so that only candidates sharing a key are compared, then joined with union-find.

use crate::extract::{name_key, normalize_name, same_person, word_key};
use crate::lexicon::Lexicon;
use crate::model::{
    Article, ArticleGraph, Candidate, Entity, EntityKind, EventDate, Extraction, IdRegistry,
    KnowledgeGraph, Meeting, MergeEvidence,
};
use crate::text::slug;
use petgraph::unionfind::UnionFind;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A candidate's address: (article index, entity index).
type Addr = (usize, usize);

/// Merges per-article extractions into one knowledge graph.
pub fn merge(items: Vec<(Article, Extraction)>, lex: &Lexicon) -> KnowledgeGraph {
    merge_with(items, lex, &IdRegistry::default())
}

/// The registry key of a name of an entity of this kind.
fn form_key(kind: EntityKind, form: &str) -> String {
    format!("{}:{}", group(kind), normalize_name(form))
}

/// Merges, keeping the ids that `prior` (an earlier build's registry) gave to the names
/// seen: an entity keeps its IRI when articles are added; when a merge joins entities that
/// had different ids, the smallest stays and the others become its `owl:sameAs`.
pub fn merge_with(
    items: Vec<(Article, Extraction)>,
    lex: &Lexicon,
    prior: &IdRegistry,
) -> KnowledgeGraph {
    let prior_ids: BTreeSet<&str> = prior.forms.values().map(String::as_str).collect();
    let mut registry = prior.clone();
    let mut items = items;
    items.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let addrs: Vec<Addr> = items
        .iter()
        .enumerate()
        .flat_map(|(ai, (_, x))| (0..x.entities.len()).map(move |ei| (ai, ei)))
        .collect();
    // Where each article's candidates start in `addrs` (they are listed article by article).
    let starts: Vec<usize> = items
        .iter()
        .scan(0, |at, (_, x)| {
            let s = *at;
            *at += x.entities.len();
            Some(s)
        })
        .collect();
    let cand = |a: &Addr| -> &Candidate { &items[a.0].1.entities[a.1] };

    let mut uf = UnionFind::<usize>::new(addrs.len());
    // Why each mention joined its cluster: the rule and the mention it was joined to.
    let mut rules: Vec<Option<(&'static str, usize)>> = vec![None; addrs.len()];
    // Blocking keys.
    let mut blocks: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in addrs.iter().enumerate() {
        let c = cand(a);
        for k in block_keys(c) {
            blocks.entry(k).or_default().push(i);
        }
    }
    for (key, members) in &blocks {
        let Some((&first, rest)) = members.split_first() else {
            continue;
        };
        for &m in rest {
            let (ca, cb) = (cand(&addrs[first]), cand(&addrs[m]));
            if let Some(rule) = joinable(key, ca, cb) {
                if uf.union(first, m) {
                    rules[m] = Some((rule, first));
                }
            }
        }
    }

    join_people(&items, &addrs, lex, &mut uf, &mut rules);

    // Clusters, in order of first appearance (a slot per root, no sorting).
    let mut slot_of_root: Vec<usize> = vec![usize::MAX; addrs.len()];
    let mut ordered: Vec<Vec<usize>> = Vec::new();
    for i in 0..addrs.len() {
        let r = uf.find(i);
        if slot_of_root[r] == usize::MAX {
            slot_of_root[r] = ordered.len();
            ordered.push(Vec::new());
        }
        ordered[slot_of_root[r]].push(i);
    }
    // Entities are collected in a vector and sorted once at the end: inserting into a
    // growing ordered map costs a cache miss per level and made the merger superlinear.
    let mut built: Vec<Entity> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut new_forms: Vec<(String, String)> = Vec::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    // The id of each candidate, as an index into `ids` (one string per entity, not per
    // mention).
    let mut ids: Vec<String> = Vec::new();
    let mut id_of: Vec<usize> = vec![usize::MAX; addrs.len()];
    for members in ordered {
        let cs: Vec<&Candidate> = members.iter().map(|&m| cand(&addrs[m])).collect();
        let kind = cluster_kind(&cs);
        let (label, key) = canonical(&cs);
        let entry = key.as_deref().and_then(|k| lex.get(k));
        let mut aliases: BTreeSet<String> = BTreeSet::new();
        for c in &cs {
            // Most mentions repeat a known form: look before allocating.
            let forms = c.mentions.iter().map(|m| m.text.as_str());
            for f in forms
                .chain(c.acronyms.iter().map(String::as_str))
                .chain([c.name.as_str()])
            {
                if !aliases.contains(f) {
                    aliases.insert(f.to_string());
                }
            }
        }
        aliases.remove(&label);
        let keys: Vec<String> = std::iter::once(&label)
            .chain(aliases.iter())
            .map(|f| form_key(kind, f))
            .collect();
        let mut same_as: Vec<String> = Vec::new();
        let id = match key.as_deref() {
            Some(k) => unique_id(k, &mut taken, |x| used.contains(x)),
            None => {
                let earlier: BTreeSet<&String> =
                    keys.iter().filter_map(|k| prior.forms.get(k)).collect();
                match earlier.iter().find(|e| !used.contains(e.as_str())) {
                    Some(&keep) => {
                        same_as = earlier
                            .iter()
                            .filter(|e| **e != keep)
                            .map(|e| (*e).clone())
                            .collect();
                        keep.clone()
                    }
                    None => {
                        let base = format!("{}/{}", kind.iri_segment(), slug(&label));
                        unique_id(&base, &mut taken, |x| {
                            used.contains(x) || prior_ids.contains(x)
                        })
                    }
                }
            }
        };
        // A name keeps the id it was first given: after a join, the names of the joined
        // entity still lead to its old id, so that every later build links it again with
        // owl:sameAs (and gives it back if the join goes away).
        if key.is_none() {
            for k in keys {
                new_forms.push((k, id.clone()));
            }
        }
        let evidence: Vec<MergeEvidence> = members
            .iter()
            .filter_map(|&m| {
                rules[m].map(|(r, with)| {
                    let (a, b) = (&items[addrs[m].0], &items[addrs[with].0]);
                    let support =
                        shared_context((&a.1, cand(&addrs[m])), (&b.1, cand(&addrs[with])));
                    MergeEvidence {
                        rule: r.to_string(),
                        score: join_score(r, &support),
                        article: a.0.id.clone(),
                        form: cand(&addrs[m]).name.clone(),
                        with_article: b.0.id.clone(),
                        with_form: cand(&addrs[with]).name.clone(),
                        support,
                    }
                })
            })
            .collect();
        let country = entry
            .and_then(|e| e.country.clone())
            .filter(|c| lex.get(c).is_some());
        for &m in &members {
            id_of[m] = ids.len();
        }
        ids.push(id.clone());
        used.insert(id.clone());
        built.push(Entity {
            id,
            kind,
            label,
            aliases: aliases.into_iter().collect(),
            wikidata: entry.and_then(|e| e.wikidata.clone()),
            country,
            same_as,
            evidence,
        });
    }
    let mut entities: BTreeMap<String, Entity> =
        built.into_iter().map(|e| (e.id.clone(), e)).collect();
    registry.forms = merged_forms(std::mem::take(&mut registry.forms), new_forms);
    // Countries named only as lexicon background (a city's country) are not entities of
    // the graph unless some article mentions them.
    let present: BTreeSet<String> = entities.keys().cloned().collect();
    for e in entities.values_mut() {
        if e.country.as_ref().is_some_and(|c| !present.contains(c)) {
            e.country = None;
        }
    }

    let mut articles: Vec<ArticleGraph> = items
        .into_iter()
        .enumerate()
        .map(|(ai, (article, extraction))| {
            let entity_ids = (0..extraction.entities.len())
                .map(|ei| {
                    id_of
                        .get(starts[ai] + ei)
                        .and_then(|&k| ids.get(k))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            ArticleGraph {
                article,
                extraction,
                entity_ids,
                meeting_ids: Vec::new(),
            }
        })
        .collect();
    let meetings = merge_meetings(&mut articles, &entities, prior, &mut registry);
    KnowledgeGraph {
        registry,
        articles,
        entities,
        meetings,
    }
}

/// The blocking keys of a candidate: two candidates are compared only when they share one.
fn block_keys(c: &Candidate) -> Vec<String> {
    if let Some(k) = &c.key {
        return vec![format!("key:{k}")];
    }
    let mut v = Vec::new();
    let norm = normalize_name(&c.name);
    if c.kind.is_person() {
        // Persons are joined by `join_people`.
    } else {
        v.push(format!("name:{}:{norm}", group(c.kind)));
        for a in &c.acronyms {
            v.push(format!("acr:{}:{a}", group(c.kind)));
        }
        if c.name
            .chars()
            .all(|ch| ch.is_uppercase() || ch.is_ascii_digit())
        {
            v.push(format!("acr:{}:{}", group(c.kind), c.name));
        }
    }
    v
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

/// Joins persons: candidates are blocked by surname key, full names are compared pairwise
/// (transliteration keys, dropped first or middle names), a cluster never takes a name
/// that conflicts with one it holds (two different first names), and a surname alone joins
/// the one identity of its block when there is exactly one.
fn join_people(
    items: &[(Article, Extraction)],
    addrs: &[Addr],
    lex: &Lexicon,
    uf: &mut UnionFind<usize>,
    rules: &mut [Option<(&'static str, usize)>],
) {
    let cand = |a: &Addr| -> &Candidate { &items[a.0].1.entities[a.1] };
    // Hashed while filling, then sorted once by key so that the joins run in a fixed order.
    let mut hashed: HashMap<String, Vec<usize>> = HashMap::new();
    let blocks = &mut hashed;
    // Each person's normalised name and word keys, computed once and kept together: the
    // block loops below then read one compact table instead of chasing every candidate.
    let mut norm: Vec<String> = vec![String::new(); addrs.len()];
    let mut keys: Vec<Vec<String>> = vec![Vec::new(); addrs.len()];
    let mut spaced: Vec<usize> = vec![0; addrs.len()];
    // The country each mention's article gives the person (nationality), by lexicon key.
    let mut nation: Vec<Option<String>> = vec![None; addrs.len()];
    for (i, a) in addrs.iter().enumerate() {
        let c = cand(a);
        if c.kind.is_person() && c.key.is_none() {
            blocks.entry(surname_key(&c.name)).or_default().push(i);
            norm[i] = normalize_name(&c.name);
            keys[i] = norm[i].split(' ').map(word_key).collect();
            spaced[i] = c.name.split_whitespace().count();
            nation[i] = c
                .country
                .and_then(|k| items[a.0].1.entities.get(k))
                .and_then(|e| e.key.clone());
            // Long names are also met by their first two words, so that a dropped last
            // name ("Mohamed bin Zayed [Al Nahyan]") is compared.
            let words = &keys[i];
            if words.len() >= 3 {
                blocks
                    .entry(format!("{} {} +", words[0], words[1]))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut blocks: Vec<(String, Vec<usize>)> = hashed.into_iter().collect();
    blocks.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // Names held by each cluster root, for the conflict guard.
    let mut names: HashMap<usize, Vec<String>> = HashMap::new();
    // Countries held by each cluster root: two people of different countries never join.
    let mut nations: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for (_, all_members) in &blocks {
        // Mentions of the very same name join at once; the pairwise comparison below then
        // runs over distinct names only, which keeps the merger close to linear in mentions.
        let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
        let mut members = Vec::new();
        for &i in all_members {
            let n = norm[i].clone();
            match by_name.get(&n) {
                Some(&first) if !nations_conflict(&nation, &nations, uf, first, i) => {
                    if uf.union(first, i) {
                        rules[i] = Some(("same-name", first));
                    }
                    join_nations(&mut nations, uf, first, i, &nation);
                }
                Some(_) => members.push(i),
                None => {
                    by_name.insert(n, i);
                    members.push(i);
                }
            }
        }
        let (multi, single): (Vec<usize>, Vec<usize>) =
            members.iter().partition(|&&i| spaced[i] >= 2);
        // Only names that can match are compared: same first and last word key, or a
        // shorter name that ends a longer one (met through the longer one's last two words).
        let mut sub: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &multi {
            let w = &keys[i];
            if let (Some(f), Some(l)) = (w.first(), w.last()) {
                sub.entry(format!("{f}|{l}")).or_default().push(i);
            }
            if w.len() >= 3 {
                sub.entry(format!("{}|{}", w[w.len() - 2], w[w.len() - 1]))
                    .or_default()
                    .push(i);
                // A three-word name may start a longer one ("Mohamed bin Zayed [Al Nahyan]").
                sub.entry(format!("{} {} +", w[0], w[1]))
                    .or_default()
                    .push(i);
            }
        }
        let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
        for v in sub.values() {
            for (x, &i) in v.iter().enumerate() {
                for &j in &v[x + 1..] {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
        for (i, j) in pairs {
            {
                let (a, b) = (&cand(&addrs[i]).name, &cand(&addrs[j]).name);
                if !same_person(a, b) {
                    continue;
                }
                let (ri, rj) = (uf.find(i), uf.find(j));
                if ri == rj {
                    continue;
                }
                let held = |r: usize, n: &HashMap<usize, Vec<String>>, own: &str| {
                    n.get(&r).cloned().unwrap_or_else(|| vec![own.to_string()])
                };
                let (hi, hj) = (held(ri, &names, a), held(rj, &names, b));
                let conflict = hi.iter().any(|x| hj.iter().any(|y| !same_person(x, y)));
                if conflict || nations_conflict(&nation, &nations, uf, i, j) {
                    continue;
                }
                uf.union(i, j);
                join_nations(&mut nations, uf, i, j, &nation);
                let rule = if normalize_name(a) == normalize_name(b) {
                    "same-name"
                } else {
                    "transliteration"
                };
                rules[j] = Some((rule, i));
                let r = uf.find(i);
                let mut all = hi;
                all.extend(hj);
                names.remove(&ri);
                names.remove(&rj);
                names.insert(r, all);
            }
        }
        let roots: BTreeSet<usize> = multi.iter().map(|&i| uf.find(i)).collect();
        match roots.len() {
            // One identity with this surname: the surname alone is that person (unless the
            // word is also a given name: "King Abdullah" is not "Abdullah Abdullah").
            1 => {
                for &i in single
                    .iter()
                    .filter(|&&i| !lex.is_first_name(&cand(&addrs[i]).name))
                {
                    if let Some(&m) = multi.first() {
                        if nations_conflict(&nation, &nations, uf, m, i) {
                            continue;
                        }
                        if uf.union(m, i) {
                            rules[i] = Some(("surname", m));
                        }
                        join_nations(&mut nations, uf, m, i, &nation);
                    }
                }
            }
            // No full name at all: the same surname alone is the same name.
            0 => {
                if let Some((&first, rest)) = single.split_first() {
                    for &i in rest {
                        if name_key(&cand(&addrs[first]).name) == name_key(&cand(&addrs[i]).name)
                            && !nations_conflict(&nation, &nations, uf, first, i)
                            && uf.union(first, i)
                        {
                            rules[i] = Some(("same-name", first));
                            join_nations(&mut nations, uf, first, i, &nation);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The countries the cluster of `i` holds (its own one when it was never joined).
fn held_nations<'a>(
    nation: &'a [Option<String>],
    nations: &'a HashMap<usize, BTreeSet<String>>,
    uf: &UnionFind<usize>,
    i: usize,
) -> Vec<&'a String> {
    match nations.get(&uf.find(i)) {
        Some(set) => set.iter().collect(),
        None => nation[i].iter().collect(),
    }
}

/// Whether the clusters of `i` and `j` hold countries and none in common.
fn nations_conflict(
    nation: &[Option<String>],
    nations: &HashMap<usize, BTreeSet<String>>,
    uf: &UnionFind<usize>,
    i: usize,
    j: usize,
) -> bool {
    let (a, b) = (
        held_nations(nation, nations, uf, i),
        held_nations(nation, nations, uf, j),
    );
    !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
}

/// Records, after `i` and `j` were joined, the countries their cluster holds.
fn join_nations(
    nations: &mut HashMap<usize, BTreeSet<String>>,
    uf: &UnionFind<usize>,
    i: usize,
    j: usize,
    nation: &[Option<String>],
) {
    let mut all: BTreeSet<String> = BTreeSet::new();
    for x in [i, j] {
        let r = uf.find(x);
        match nations.remove(&r) {
            Some(set) => all.extend(set),
            None => all.extend(nation[x].iter().cloned()),
        }
    }
    if !all.is_empty() {
        nations.insert(uf.find(i), all);
    }
}

/// What two mentions share beyond the name: their country, a title, an organisation.
fn shared_context(
    (xa, a): (&Extraction, &Candidate),
    (xb, b): (&Extraction, &Candidate),
) -> Vec<String> {
    let key = |x: &Extraction, i: usize| {
        x.entities
            .get(i)
            .map(|e| e.key.clone().unwrap_or_else(|| normalize_name(&e.name)))
    };
    let mut out = Vec::new();
    if let (Some(ca), Some(cb)) = (a.country, b.country) {
        if key(xa, ca).is_some() && key(xa, ca) == key(xb, cb) {
            out.push("country".to_string());
        }
    }
    let titles =
        |c: &Candidate| -> BTreeSet<String> { c.titles.iter().map(|t| t.to_lowercase()).collect() };
    if !titles(a).is_disjoint(&titles(b)) {
        out.push("title".to_string());
    }
    let orgs = |x: &Extraction, c: &Candidate| -> BTreeSet<String> {
        c.affiliations.iter().filter_map(|&i| key(x, i)).collect()
    };
    if !orgs(xa, a).is_disjoint(&orgs(xb, b)) {
        out.push("organization".to_string());
    }
    out
}

/// How sure a join is: the rule's base score, raised by each shared context.
fn join_score(rule: &str, support: &[String]) -> u8 {
    let base: usize = match rule {
        "same-lexicon-id" => 100,
        "same-name" => 90,
        "acronym" => 85,
        "transliteration" => 80,
        "surname" => 70,
        _ => 60,
    };
    (base + 5 * support.len()).min(100) as u8
}

fn group(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Agency | EntityKind::Organization => "org",
        EntityKind::Official | EntityKind::Person => "person",
        _ => "place",
    }
}

/// Whether two candidates sharing `key` are the same entity, and by which rule.
fn joinable(key: &str, a: &Candidate, b: &Candidate) -> Option<&'static str> {
    if key.starts_with("key:") {
        return Some("same-lexicon-id");
    }
    let both_bodies = matches!(a.kind, EntityKind::Agency | EntityKind::Organization)
        && matches!(b.kind, EntityKind::Agency | EntityKind::Organization);
    if !a.kind.compatible(b.kind) && !both_bodies {
        return None;
    }
    if key.starts_with("acr:") {
        return Some("acronym");
    }
    Some("same-name")
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
/// most frequent, then alphabetical).
fn canonical(cs: &[&Candidate]) -> (String, Option<String>) {
    if let Some(c) = cs.iter().find(|c| c.key.is_some()) {
        return (c.name.clone(), c.key.clone());
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cs {
        *counts.entry(c.name.as_str()).or_default() += 1;
    }
    let best = counts
        .iter()
        .max_by(|a, b| {
            let wa = a.0.split_whitespace().count();
            let wb = b.0.split_whitespace().count();
            wa.cmp(&wb).then(a.1.cmp(b.1)).then(b.0.cmp(a.0))
        })
        .map(|(n, _)| (*n).to_string())
        .unwrap_or_default();
    (best, None)
}

/// Joins meetings across articles (compatible date and place, overlapping attendees) and
/// gives each a stable id and label.
fn merge_meetings(
    articles: &mut [ArticleGraph],
    entities: &BTreeMap<String, Entity>,
    prior: &IdRegistry,
    registry: &mut IdRegistry,
) -> BTreeMap<String, Meeting> {
    let prior_ids: BTreeSet<&str> = prior
        .forms
        .values()
        .map(String::as_str)
        .filter(|v| v.starts_with("meeting/"))
        .collect();
    struct M {
        addr: (usize, usize),
        date: Option<chrono::NaiveDate>,
        location: Option<String>,
        people: BTreeSet<String>,
    }
    let mut ms: Vec<M> = Vec::new();
    for (ai, a) in articles.iter().enumerate() {
        for (mi, m) in a.extraction.meetings.iter().enumerate() {
            let date = match &m.date {
                Some(EventDate::Day(d)) => Some(*d),
                _ => None,
            };
            let ids = |v: &[usize]| -> BTreeSet<String> {
                v.iter().map(|&i| a.entity_ids[i].clone()).collect()
            };
            ms.push(M {
                addr: (ai, mi),
                date,
                location: m.location.map(|l| a.entity_ids[l].clone()),
                people: ids(&m.attendees).union(&ids(&m.hosts)).cloned().collect(),
            });
        }
    }
    let mut uf = UnionFind::<usize>::new(ms.len());
    // Block by attendee: only meetings sharing an attendee are compared.
    // Block by named attendee (not by country: a country attends too many meetings to be
    // a useful key) and by date and place.
    let mut by_attendee: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, m) in ms.iter().enumerate() {
        for p in m.people.iter().filter(|p| p.starts_with("person/")) {
            by_attendee.entry(p.clone()).or_default().push(i);
        }
        if let (Some(d), Some(l)) = (m.date, &m.location) {
            by_attendee.entry(format!("{d} {l}")).or_default().push(i);
        }
        for g in m.people.iter().filter(|p| !p.starts_with("person/")) {
            if let Some(d) = m.date {
                by_attendee.entry(format!("{d} {g}")).or_default().push(i);
            }
        }
    }
    // Group meetings without people or date ("foreign ministers of A, B, C … earlier this
    // week") are met through their group and attendees.
    for (i, m) in ms.iter().enumerate() {
        let (a, mi) = m.addr;
        if let Some(g) = articles[a].extraction.meetings[mi].group.as_deref() {
            for p in &m.people {
                by_attendee.entry(format!("{g} {p}")).or_default().push(i);
            }
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for v in by_attendee.values() {
        for (x, &i) in v.iter().enumerate() {
            for &j in &v[x + 1..] {
                pairs.insert((i, j));
            }
        }
    }
    for (i, j) in pairs {
        let (a, b) = (&ms[i], &ms[j]);
        if a.addr.0 == b.addr.0 {
            continue; // within an article, extraction already decided
        }
        let date_ok = match (a.date, b.date) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let place_ok = match (&a.location, &b.location) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let (ga, gb) = (group_of(articles, a.addr), group_of(articles, b.addr));
        if ga.is_some() && gb.is_some() && ga != gb {
            continue; // the foreign ministers' meeting is not the spy chiefs' one
        }
        let inter = a.people.intersection(&b.people).count();
        let union = a.people.union(&b.people).count();
        let jaccard = if union == 0 {
            0.0
        } else {
            inter as f64 / union as f64
        };
        // Reports of one meeting by a group ("foreign ministers") may name few of its
        // members: then overlap with the smaller list is enough.
        let smaller = a.people.len().min(b.people.len()).max(1);
        let overlap = inter as f64 / smaller as f64;
        let similar = jaccard >= 0.3 || (ga.is_some() && ga == gb && overlap >= 0.5);
        // One shared attendee is weak evidence: then the date or the place must be known
        // on both sides and agree.
        let anchored = inter >= 2
            || (ga.is_some() && ga == gb)
            || (a.date.is_some() && b.date.is_some())
            || (a.location.is_some() && b.location.is_some());
        if date_ok && place_ok && similar && anchored {
            uf.union(i, j);
        }
    }
    let mut clusters: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..ms.len() {
        clusters.entry(uf.find(i)).or_default().push(i);
    }
    let mut out: BTreeMap<String, Meeting> = BTreeMap::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut ids: Vec<(usize, usize, String)> = Vec::new();
    let mut ordered: Vec<Vec<usize>> = clusters.into_values().collect();
    ordered.sort_by_key(|v| v.iter().min().copied().unwrap_or(0));
    for members in ordered {
        let date = members.iter().find_map(|&i| ms[i].date);
        let location = members.iter().find_map(|&i| ms[i].location.clone());
        let first = &ms[members[0]];
        let (ai, mi) = first.addr;
        let cand = &articles[ai].extraction.meetings[mi];
        let kind = cand.kind;
        let group = members.iter().find_map(|&i| {
            let (a, m) = ms[i].addr;
            articles[a].extraction.meetings[m].group.clone()
        });
        let place_label = location
            .as_ref()
            .and_then(|l| entities.get(l))
            .map(|e| e.label.clone());
        // Named people, in the order the first report gives them.
        let mut people: Vec<String> = Vec::new();
        for &i in &members {
            let (a, m) = ms[i].addr;
            let mc = &articles[a].extraction.meetings[m];
            for &p in &mc.attendees {
                let id = &articles[a].entity_ids[p];
                if let Some(e) = entities.get(id).filter(|e| e.kind.is_person()) {
                    if !people.contains(&e.label) {
                        people.push(e.label.clone());
                    }
                }
            }
        }
        people.truncate(if kind == crate::model::MeetingKind::Visit {
            1
        } else {
            2
        });
        let mut label = kind.noun().to_string();
        if let Some(g) = &group {
            label.push_str(&format!(" of {g}"));
        } else if !people.is_empty() {
            label.push_str(&format!(" of {}", people.join(" and ")));
        }
        if let Some(p) = &place_label {
            label.push_str(&format!(
                " {} {p}",
                if kind == crate::model::MeetingKind::Visit {
                    "to"
                } else {
                    "in"
                }
            ));
        }
        if let Some(d) = date {
            label.push_str(&format!(", {d}"));
        }
        let base = format!(
            "meeting/{}",
            slug(&format!(
                "{} {} {}",
                date.map_or_else(|| "undated".to_string(), |d| d.to_string()),
                place_label.as_deref().unwrap_or(""),
                group.as_deref().unwrap_or(kind.noun())
            ))
        );
        // A meeting keeps the id an earlier build gave to one of its reports.
        let keys: Vec<String> = members
            .iter()
            .filter_map(|&i| meeting_key(articles, ms[i].addr))
            .collect();
        let earlier: BTreeSet<&String> = keys.iter().filter_map(|k| prior.forms.get(k)).collect();
        let mut same_as = Vec::new();
        let id = match earlier.iter().find(|e| !out.contains_key(e.as_str())) {
            Some(&keep) => {
                same_as = earlier
                    .iter()
                    .filter(|e| **e != keep)
                    .map(|e| (*e).clone())
                    .collect();
                keep.clone()
            }
            None => unique_id(&base, &mut taken, |x| {
                out.contains_key(x) || prior_ids.contains(x)
            }),
        };
        for k in keys {
            registry.forms.entry(k).or_insert_with(|| id.clone());
        }
        for &i in &members {
            ids.push((ms[i].addr.0, ms[i].addr.1, id.clone()));
        }
        out.insert(
            id.clone(),
            Meeting {
                id,
                label,
                kind,
                date,
                same_as,
            },
        );
    }
    for a in articles.iter_mut() {
        a.meeting_ids = vec![String::new(); a.extraction.meetings.len()];
    }
    for (ai, mi, id) in ids {
        articles[ai].meeting_ids[mi] = id;
    }
    out
}

/// The registry key of a meeting report: its article and where its first trigger word
/// begins (`meeting:dawn-2021@112`).
fn meeting_key(articles: &[ArticleGraph], (a, m): (usize, usize)) -> Option<String> {
    let art = &articles[a];
    let begin = art.extraction.meetings[m]
        .mentions
        .iter()
        .map(|x| x.span.begin)
        .min()?;
    Some(format!("meeting:{}@{begin}", art.article.id))
}

/// `base`, or `base-N` with the first N not yet taken (remembered per base, so that many
/// entities of one name cost no search).
/// The prior forms with the new ones added, built in one sorted pass. A name keeps the id
/// it was first given: a prior one, else the first new one (so that an `owl:sameAs` link
/// made by a join survives the next build, and a split gets its old IRI back).
fn merged_forms(
    prior: BTreeMap<String, String>,
    mut new: Vec<(String, String)>,
) -> BTreeMap<String, String> {
    // Stable: among equal keys the first assignment stays first.
    new.sort_by(|a, b| a.0.cmp(&b.0));
    new.dedup_by(|later, first| later.0 == first.0);
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

fn unique_id(
    base: &str,
    taken: &mut HashMap<String, usize>,
    exists: impl Fn(&str) -> bool,
) -> String {
    let n = taken.entry(base.to_string()).or_insert(1);
    loop {
        let id = if *n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        if !exists(&id) {
            return id;
        }
    }
}

fn group_of(articles: &[ArticleGraph], (a, m): (usize, usize)) -> Option<&str> {
    articles[a].extraction.meetings[m].group.as_deref()
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
    use crate::extract::{default_set, extract};

    fn build(texts: &[(&str, &str)]) -> KnowledgeGraph {
        let lex = match Lexicon::load(&[]) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        merge(items(texts, &lex), &lex)
    }

    fn items(texts: &[(&str, &str)], lex: &Lexicon) -> Vec<(Article, Extraction)> {
        let set = default_set();
        texts
            .iter()
            .map(|(id, t)| {
                let a = crate::article::from_text(
                    (*id).into(),
                    (*t).into(),
                    None,
                    None,
                    None,
                    format!("{id}.txt"),
                );
                let x = extract(&a, lex, &set);
                (a, x)
            })
            .collect()
    }

    #[test]
    fn meetings_keep_their_ids_as_articles_come_and_go() {
        let lex = match Lexicon::load(&[]) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let a = (
            "a",
            "Title\n\nPresident Vladimir Putin met Xi Jinping in Ankara.",
        );
        let b = (
            "b",
            "Title\n\nPresident Recep Tayyip Erdogan met Volodymyr Zelensky in Ankara.",
        );
        let ids = |kg: &KnowledgeGraph, article: &str| -> Vec<String> {
            kg.articles
                .iter()
                .filter(|g| g.article.id == article)
                .flat_map(|g| g.meeting_ids.clone())
                .collect()
        };
        // Built at once, a's meeting comes first and takes the plain id.
        let both = merge(items(&[a, b], &lex), &lex);
        let (ida, idb) = (ids(&both, "a"), ids(&both, "b"));
        assert_eq!(ida.len(), 1);
        assert_eq!(idb.len(), 1);
        assert_ne!(ida, idb);
        // b built first keeps its id when a comes, and a's gets another one; without b,
        // a's meeting does not take b's id.
        let first = merge(items(&[b], &lex), &lex);
        let kept = ids(&first, "b");
        let then = merge_with(items(&[a, b], &lex), &lex, &first.registry);
        assert_eq!(ids(&then, "b"), kept);
        assert_ne!(ids(&then, "a"), kept);
        let without = merge_with(items(&[a], &lex), &lex, &then.registry);
        assert_eq!(ids(&without, "a"), ids(&then, "a"));
        assert!(then.meetings.values().all(|m| m.same_as.is_empty()));
    }

    #[test]
    fn same_person_across_articles_and_spellings() {
        let kg = build(&[
            ("a", "Title\n\nLt Gen Faiz Hameed met Pakistani officials."),
            ("b", "Title\n\nGeneral Faiz Hamid met officials in Kabul."),
        ]);
        let people: Vec<&Entity> = kg
            .entities
            .values()
            .filter(|e| e.kind.is_person())
            .collect();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].id, "person/faiz-hameed");
        assert!(people[0].aliases.contains(&"Faiz Hamid".to_string()));
        assert_eq!(people[0].evidence.len(), 1);
    }

    #[test]
    fn names_keep_the_id_they_were_first_given() {
        let prior: BTreeMap<String, String> = [("a", "1"), ("c", "3"), ("e", "5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let new = vec![
            ("d".to_string(), "x".to_string()),
            ("c".to_string(), "y".to_string()),
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
    fn people_of_different_countries_stay_apart_and_joins_carry_evidence() {
        let kg = build(&[
            (
                "a",
                "Title\n\nEgyptian Foreign Minister Ahmed Hassan met reporters.",
            ),
            (
                "b",
                "Title\n\nSudanese Foreign Minister Ahmed Hassan met reporters.",
            ),
            (
                "c",
                "Title\n\nEgyptian Foreign Minister Ahmed Hassan spoke.",
            ),
        ]);
        let people: Vec<&Entity> = kg
            .entities
            .values()
            .filter(|e| e.kind.is_person())
            .collect();
        assert_eq!(people.len(), 2, "{people:?}");
        let joined = people
            .iter()
            .find(|e| !e.evidence.is_empty())
            .map(|e| &e.evidence[0]);
        let Some(ev) = joined else {
            panic!("no evidence: {people:?}")
        };
        assert_eq!(ev.rule, "same-name");
        assert_eq!((ev.article.as_str(), ev.with_article.as_str()), ("c", "a"));
        assert!(ev.support.contains(&"country".to_string()), "{ev:?}");
        assert!(ev.support.contains(&"title".to_string()), "{ev:?}");
        assert_eq!(ev.score, 100);
    }

    #[test]
    fn different_first_names_stay_apart() {
        let kg = build(&[
            ("a", "Title\n\nMinister Imran Khan spoke."),
            ("b", "Title\n\nMinister Ayesha Khan spoke."),
        ]);
        assert_eq!(
            kg.entities.values().filter(|e| e.kind.is_person()).count(),
            2
        );
    }

    #[test]
    fn lexicon_entities_share_ids() {
        let kg = build(&[
            ("a", "Title\n\nPakistan said."),
            ("b", "Title\n\nPakistani officials said."),
        ]);
        assert!(kg.entities.contains_key("country/pakistan"));
        let ids: BTreeSet<&String> = kg.articles.iter().flat_map(|a| &a.entity_ids).collect();
        assert_eq!(ids.len(), 1);
    }
}
