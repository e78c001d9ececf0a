//! Meetings across articles: reports of one meeting (compatible date and place,
//! overlapping attendees) are joined, and each meeting gets a stable id and a label.

use super::ids::{keep_earlier, UniqueIds};
use crate::model::{ArticleGraph, Entity, EventDate, IdRegistry, Meeting};
use crate::text::slug;
use foldhash::{HashMap, HashSet};
use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Joins meetings across articles (compatible date and place, overlapping attendees) and
/// gives each a stable id and label. Returns the meetings and the registry keys of their
/// reports with the ids they were given, sorted by key.
pub(super) fn merge(
    articles: &mut [ArticleGraph],
    entities: &BTreeMap<String, Entity>,
    prior: &IdRegistry,
) -> (BTreeMap<String, Meeting>, Vec<(String, String)>) {
    let prior_ids: HashSet<&str> = prior
        .forms
        .values()
        .map(String::as_str)
        .filter(|v| v.starts_with("meeting/"))
        .collect();
    // The entity ids that meetings name (attendees, hosts, places) as numbers, numbered in
    // id order: sets of them compare as the ids do. Only those are sorted, not the id of
    // every mention (most mentions are in no meeting).
    let mut order: Vec<&str> = articles
        .iter()
        .flat_map(|a| {
            a.extraction.meetings.iter().flat_map(|m| {
                m.attendees
                    .iter()
                    .chain(&m.hosts)
                    .chain(&m.location)
                    .map(|&i| &*a.entity_ids[i])
            })
        })
        .collect();
    order.sort_unstable();
    order.dedup();
    let number: HashMap<&str, u32> = order
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let person: Vec<bool> = order.iter().map(|id| id.starts_with("person/")).collect();
    // The entity of each number, looked up once (not once per attendee of each report).
    let entity: Vec<Option<&Entity>> = order.iter().map(|id| entities.get(*id)).collect();
    struct M {
        addr: (usize, usize),
        date: Option<chrono::NaiveDate>,
        location: Option<u32>,
        /// Attendees and hosts, sorted, distinct.
        people: Vec<u32>,
    }
    let reports: usize = articles.iter().map(|a| a.extraction.meetings.len()).sum();
    let mut ms: Vec<M> = Vec::with_capacity(reports);
    for (ai, a) in articles.iter().enumerate() {
        let num = |i: usize| number[&*a.entity_ids[i]];
        for (mi, m) in a.extraction.meetings.iter().enumerate() {
            let date = match &m.date {
                Some(EventDate::Day(d)) => Some(*d),
                _ => None,
            };
            let mut people: Vec<u32> = m
                .attendees
                .iter()
                .chain(&m.hosts)
                .map(|&i| num(i))
                .collect();
            people.sort_unstable();
            people.dedup();
            ms.push(M {
                addr: (ai, mi),
                date,
                location: m.location.map(num),
                people,
            });
        }
    }
    let mut uf = UnionFind::<usize>::new(ms.len());
    // Block by attendee: only meetings sharing an attendee are compared.
    // Block by named attendee (not by country: a country attends too many meetings to be
    // a useful key) and by date and place.
    // (The order of the blocks does not matter: the pairs are sorted.)
    let mut by_attendee: HashMap<Block<'_>, Vec<usize>> = HashMap::default();
    for (i, m) in ms.iter().enumerate() {
        for &p in m.people.iter().filter(|&&p| person[p as usize]) {
            by_attendee.entry(Block::Person(p)).or_default().push(i);
        }
        if let (Some(d), Some(l)) = (m.date, m.location) {
            by_attendee.entry(Block::Day(d, l)).or_default().push(i);
        }
        for &g in m.people.iter().filter(|&&p| !person[p as usize]) {
            if let Some(d) = m.date {
                by_attendee.entry(Block::Day(d, g)).or_default().push(i);
            }
        }
    }
    // Group meetings without people or date ("foreign ministers of A, B, C … earlier this
    // week") are met through their group and attendees.
    for (i, m) in ms.iter().enumerate() {
        let (a, mi) = m.addr;
        if let Some(g) = articles[a].extraction.meetings[mi].group.as_deref() {
            for &p in &m.people {
                by_attendee.entry(Block::Group(g, p)).or_default().push(i);
            }
        }
    }
    // Pairs of meetings sharing a block, except those with two different dates (they never
    // join): a person attends many meetings, but few on one day.
    // (Blocks on every core; the pairs are sorted, so their order does not matter.)
    let blocks: Vec<&Vec<usize>> = by_attendee.values().collect();
    let mut pairs: Vec<(usize, usize)> = blocks
        .par_iter()
        .flat_map_iter(|v| {
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            let mut undated: Vec<usize> = Vec::new();
            let mut dated: Vec<(chrono::NaiveDate, usize)> = Vec::new();
            for &i in v.iter() {
                match ms[i].date {
                    Some(d) => dated.push((d, i)),
                    None => undated.push(i),
                }
            }
            for (x, &i) in undated.iter().enumerate() {
                pairs.extend(undated[x + 1..].iter().map(|&j| (i.min(j), i.max(j))));
                pairs.extend(dated.iter().map(|&(_, j)| (i.min(j), i.max(j))));
            }
            dated.sort_unstable();
            for day in dated.chunk_by(|a, b| a.0 == b.0) {
                for (x, &(_, i)) in day.iter().enumerate() {
                    pairs.extend(day[x + 1..].iter().map(|&(_, j)| (i.min(j), i.max(j))));
                }
            }
            pairs
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    for (i, j) in pairs {
        let (a, b) = (&ms[i], &ms[j]);
        if a.addr.0 == b.addr.0 {
            continue; // within an article, extraction already decided
        }
        let date_ok = match (a.date, b.date) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let place_ok = match (a.location, b.location) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let (ga, gb) = (group_of(articles, a.addr), group_of(articles, b.addr));
        if ga.is_some() && gb.is_some() && ga != gb {
            continue; // the foreign ministers' meeting is not the spy chiefs' one
        }
        let inter = shared(&a.people, &b.people);
        let union = a.people.len() + b.people.len() - inter;
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
    // Clusters in order of their first report (members in report order).
    let mut slot = vec![usize::MAX; ms.len()];
    let mut ordered: Vec<Vec<usize>> = Vec::new();
    for i in 0..ms.len() {
        let r = uf.find_mut(i);
        if slot[r] == usize::MAX {
            slot[r] = ordered.len();
            ordered.push(Vec::new());
        }
        ordered[slot[r]].push(i);
    }
    drop(slot);
    // What each meeting is (date, kind, label, id base, report keys), described on every
    // core; the ids are then given in cluster order.
    let arts: &[ArticleGraph] = articles;
    let described: Vec<Described> = ordered
        .par_iter()
        .map(|members| {
            let date = members.iter().find_map(|&i| ms[i].date);
            let location = members.iter().find_map(|&i| ms[i].location);
            let (ai, mi) = ms[members[0]].addr;
            let kind = arts[ai].extraction.meetings[mi].kind;
            let group = members.iter().find_map(|&i| {
                let (a, m) = ms[i].addr;
                arts[a].extraction.meetings[m].group.clone()
            });
            let place_label = location
                .and_then(|l| entity[l as usize])
                .map(|e| e.label.clone());
            // Named people, in the order the first report gives them.
            let mut people: Vec<String> = Vec::new();
            for &i in members {
                let (a, m) = ms[i].addr;
                let mc = &arts[a].extraction.meetings[m];
                for &p in &mc.attendees {
                    let e = entity[number[&*arts[a].entity_ids[p]] as usize];
                    if let Some(e) = e.filter(|e| e.kind.is_person()) {
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
                .filter_map(|&i| meeting_key(arts, ms[i].addr))
                .collect();
            Described {
                date,
                kind,
                label,
                base,
                keys,
            }
        })
        .collect();
    // Meetings and registry keys are gathered, then sorted once (inserted one by one into
    // ordered maps, 300k of them took seconds, most of it waiting for memory).
    let mut out: Vec<(String, Meeting)> = Vec::with_capacity(ordered.len());
    let mut keys_given: Vec<(String, String)> = Vec::with_capacity(ms.len());
    let mut unique = UniqueIds::with_capacity(ordered.len());
    let mut ids: Vec<(usize, usize, String)> = Vec::with_capacity(ms.len());
    for (members, d) in ordered.iter().zip(described) {
        let Described {
            date,
            kind,
            label,
            base,
            keys,
        } = d;
        let earlier = keys.iter().filter_map(|k| prior.forms.get(k));
        let mut same_as = Vec::new();
        // An id is in `out` once `unique` has given it.
        let id = match keep_earlier(earlier, |x| unique.given(x)) {
            Some((keep, others)) => {
                same_as = others;
                unique.give(&keep);
                keep
            }
            None => unique.make(&base, |x| prior_ids.contains(x)),
        };
        keys_given.extend(keys.into_iter().map(|k| (k, id.clone())));
        for &i in members {
            ids.push((ms[i].addr.0, ms[i].addr.1, id.clone()));
        }
        out.push((
            id.clone(),
            Meeting {
                id,
                label,
                kind,
                date,
                same_as,
            },
        ));
    }
    // Stable: of two reports with one key, the first keeps it (as the registry would).
    // Both sorts on every core (350k keys at 100k articles).
    keys_given.par_sort_by(|a, b| a.0.cmp(&b.0));
    // Ids are distinct: sorted, they make the map in one pass.
    out.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for a in articles.iter_mut() {
        a.meeting_ids = vec![String::new(); a.extraction.meetings.len()];
    }
    for (ai, mi, id) in ids {
        articles[ai].meeting_ids[mi] = id;
    }
    (out.into_iter().collect(), keys_given)
}

/// What a merged meeting is, but its id.
struct Described {
    date: Option<chrono::NaiveDate>,
    kind: crate::model::MeetingKind,
    label: String,
    /// The base of a new id (`meeting/2021-09-11-kabul-talks`).
    base: String,
    /// The registry keys of its reports.
    keys: Vec<String>,
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

/// A block of meetings to compare: the meetings a person attends; those of one day at one
/// place or with one entity (a place and an attendee count as one key); those of one group
/// ("foreign ministers") with one attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Block<'g> {
    Person(u32),
    Day(chrono::NaiveDate, u32),
    Group(&'g str, u32),
}

/// How many items two sorted, distinct lists share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn group_of(articles: &[ArticleGraph], (a, m): (usize, usize)) -> Option<&str> {
    articles[a].extraction.meetings[m].group.as_deref()
}

#[cfg(test)]
mod tests {
    use super::shared;

    #[test]
    fn shared_counts_common_items_of_sorted_lists() {
        assert_eq!(shared(&[1, 3, 5, 9], &[2, 3, 9, 10]), 2);
        assert_eq!(shared(&[], &[1]), 0);
        assert_eq!(shared(&[4], &[4]), 1);
        assert_eq!(shared(&[1, 2, 3], &[4, 5]), 0);
    }
}
