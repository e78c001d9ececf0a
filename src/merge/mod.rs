//! Cross-article identity: which article-level candidates are the same real-world entity
//! or meeting, their stable ids and canonical labels, and the evidence for each join.
//! Pure: no files, no triples.
//!
//! Entities are blocked by a key (lexicon id, normalised name, acronym, person surname
//! key) so that only candidates sharing a key are compared, then joined with union-find.
//! Every distinct name is normalised and keyed once (`names`): blocks, comparisons and
//! guards work on integer ids, so that the merger stays close to linear in mentions.
//!
//! Submodules: `names` (interning), `blocks` (organisations and places), `people`
//! (persons), `entities` (one entity per cluster), `evidence` (why a join was made),
//! `ids` (stable ids and the registry), `meetings` (meetings across articles).

mod blocks;
mod entities;
mod evidence;
mod ids;
mod meetings;
mod names;
mod people;
mod sort;

pub use ids::{registry_from_tsv, registry_to_tsv};

use crate::lexicon::Lexicon;
use crate::model::{
    Article, ArticleGraph, Candidate, EntityKind, Extraction, IdRegistry, KnowledgeGraph,
};
use entities::Merged;
use names::{id32, Names};
use petgraph::unionfind::UnionFind;

/// Why each mention joined its cluster: the rule and the mention it was joined to (eight
/// bytes a mention).
type Rule = Option<(Join, u32)>;

/// The rules that join two mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Join {
    SameLexiconId,
    SameName,
    Acronym,
    Transliteration,
    Surname,
}

impl Join {
    /// Its name in the evidence (`ng:rule`).
    fn as_str(self) -> &'static str {
        match self {
            Self::SameLexiconId => "same-lexicon-id",
            Self::SameName => "same-name",
            Self::Acronym => "acronym",
            Self::Transliteration => "transliteration",
            Self::Surname => "surname",
        }
    }

    /// How sure a join by this rule is before context, in hundredths.
    fn base_score(self) -> usize {
        match self {
            Self::SameLexiconId => 100,
            Self::SameName => 90,
            Self::Acronym => 85,
            Self::Transliteration => 80,
            Self::Surname => 70,
        }
    }
}

/// Merges per-article extractions into one knowledge graph.
pub fn merge(items: Vec<(Article, Extraction)>, lex: &Lexicon) -> KnowledgeGraph {
    merge_with(items, lex, &IdRegistry::default())
}

/// Merges, keeping the ids that `prior` (an earlier build's registry) gave to the names
/// seen: an entity keeps its IRI when articles are added; when a merge joins entities that
/// had different ids, the smallest stays and the others become its `owl:sameAs`.
pub fn merge_with(
    items: Vec<(Article, Extraction)>,
    lex: &Lexicon,
    prior: &IdRegistry,
) -> KnowledgeGraph {
    let mut items = items;
    items.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let merged = merge_entities(&items, lex, prior);
    assemble(items, merged, prior)
}

/// [`merge_with`], giving `beside` the articles (in the graph's order, by id) to read on
/// another thread while their entities are merged (the entity merge runs on one core).
pub fn merge_beside<R: Send>(
    items: Vec<(Article, Extraction)>,
    lex: &Lexicon,
    prior: &IdRegistry,
    beside: impl FnOnce(&[(Article, Extraction)]) -> R + Send,
) -> (KnowledgeGraph, R) {
    let mut items = items;
    items.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let (merged, read) = rayon::join(|| merge_entities(&items, lex, prior), || beside(&items));
    (assemble(items, merged, prior), read)
}

/// The entities of `items` (sorted by article id), merged.
fn merge_entities(items: &[(Article, Extraction)], lex: &Lexicon, prior: &IdRegistry) -> Merged {
    let total: usize = items.iter().map(|(_, x)| x.entities.len()).sum();
    let mut names = Names::with_capacity(total);
    let cands = Cands::new(items, total, &mut names);
    let mut uf = UnionFind::<u32>::new(cands.len());
    let mut rules: Vec<Rule> = vec![None; cands.len()];
    blocks::join(&cands, &names, &mut uf, &mut rules);
    people::join(&cands, &mut names, lex, &mut uf, &mut rules);
    entities::build(&cands, &mut names, lex, prior, &mut uf, &rules)
}

/// The knowledge graph of `items` (sorted by article id) and their merged entities: each
/// mention's entity id, and the meetings merged.
fn assemble(
    items: Vec<(Article, Extraction)>,
    merged: Merged,
    prior: &IdRegistry,
) -> KnowledgeGraph {
    let mut registry = prior.clone();
    let mut ids = merged.entity_ids.into_iter();
    let mut articles: Vec<ArticleGraph> = items
        .into_iter()
        .map(|(article, extraction)| {
            let entity_ids = ids.by_ref().take(extraction.entities.len()).collect();
            ArticleGraph {
                article,
                extraction,
                entity_ids,
                meeting_ids: Vec::new(),
            }
        })
        .collect();
    let (meetings, mut forms) = meetings::merge(&mut articles, &merged.entities, prior);
    // The keys of meetings and of entities are sorted each; the meetings' (`meeting:…`)
    // come before the entities' (`org:…`, `person:…`, `place:…`).
    forms.extend(merged.forms);
    if !forms.is_sorted_by(|a, b| a.0 <= b.0) {
        forms.sort_by(|a, b| a.0.cmp(&b.0));
    }
    // A name keeps the id it was first given (a prior one).
    registry.forms = ids::merged_forms(std::mem::take(&mut registry.forms), forms);
    KnowledgeGraph {
        registry,
        articles,
        entities: merged.entities,
        meetings,
    }
}

/// The candidates of all articles, in article order, addressed by one flat index.
struct Cands<'a> {
    items: &'a [(Article, Extraction)],
    /// (article index, entity index) of each candidate.
    addrs: Vec<(u32, u32)>,
    /// The name entry of each candidate's name (in one pass, in memory order).
    names: Vec<u32>,
}

impl<'a> Cands<'a> {
    fn new(items: &'a [(Article, Extraction)], total: usize, names: &mut Names<'a>) -> Self {
        let mut addrs = Vec::with_capacity(total);
        let mut texts = Vec::with_capacity(total);
        for (ai, (_, x)) in items.iter().enumerate() {
            for (ei, c) in x.entities.iter().enumerate() {
                addrs.push((id32(ai), id32(ei)));
                texts.push(c.name.as_str());
            }
        }
        Self {
            items,
            addrs,
            names: names.entries_of(&texts),
        }
    }

    /// The name entry of candidate `i`'s name.
    fn name(&self, i: usize) -> u32 {
        self.names[i]
    }

    fn len(&self) -> usize {
        self.addrs.len()
    }

    fn get(&self, i: usize) -> &'a Candidate {
        let (a, e) = self.addrs[i];
        &self.items[a as usize].1.entities[e as usize]
    }

    /// The index of the article of candidate `i`.
    fn article_index(&self, i: usize) -> usize {
        self.addrs[i].0 as usize
    }

    /// The extraction candidate `i` belongs to (its local indexes point into it).
    fn extraction(&self, i: usize) -> &'a Extraction {
        &self.items[self.addrs[i].0 as usize].1
    }
}

/// What kinds of entity share names: the first part of a registry key (`person:…`).
/// Its variants are numbered 0, 1, 2 in order (`as usize` indexes a list by group).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group {
    Org,
    Person,
    Place,
}

impl Group {
    fn of(k: EntityKind) -> Self {
        match k {
            EntityKind::Agency | EntityKind::Organization => Self::Org,
            EntityKind::Official | EntityKind::Person => Self::Person,
            _ => Self::Place,
        }
    }

    /// Its name (the order of the names is the order of the variants).
    fn as_str(self) -> &'static str {
        match self {
            Self::Org => "org",
            Self::Person => "person",
            Self::Place => "place",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{default_set, extract};
    use crate::model::Entity;
    use std::collections::BTreeSet;

    /// The people of a merged graph.
    fn people_of(kg: &KnowledgeGraph) -> Vec<&Entity> {
        kg.entities
            .values()
            .filter(|e| e.kind.is_person())
            .collect()
    }

    /// What runs beside the merge reads the articles in the graph's order, and the merge
    /// is the same as without it.
    #[test]
    fn beside_the_merge_the_articles_come_in_the_graphs_order() {
        let lex = match Lexicon::load(&[]) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        let texts = [
            ("b", "Talks\n\nPakistan met China in Beijing."),
            ("a", "Visit\n\nGeneral Faiz Hameed visited Kabul."),
            ("c", "Call\n\nIran spoke with Russia."),
        ];
        let (kg, ids) = merge_beside(items(&texts, &lex), &lex, &IdRegistry::default(), |xs| {
            xs.iter().map(|(a, _)| a.id.clone()).collect::<Vec<_>>()
        });
        assert_eq!(ids, vec!["a", "b", "c"]);
        let in_graph: Vec<&str> = kg.articles.iter().map(|a| a.article.id.as_str()).collect();
        assert_eq!(in_graph, ids);
        assert_eq!(format!("{kg:?}"), format!("{:?}", build(&texts)));
    }

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
        let people: Vec<&Entity> = people_of(&kg);
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].id, "person/faiz-hameed");
        assert!(people[0].aliases.contains(&"Faiz Hamid".to_string()));
        assert_eq!(people[0].evidence.len(), 1);
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
        let people: Vec<&Entity> = people_of(&kg);
        assert_eq!(people.len(), 2, "{people:?}");
        let joined = people
            .iter()
            .find(|e| !e.evidence.is_empty())
            .map(|e| &e.evidence[0]);
        let Some(ev) = joined else {
            panic!("no evidence: {people:?}")
        };
        assert_eq!(ev.rule, "same-name");
        assert_eq!((&*ev.article, &*ev.with_article), ("c", "a"));
        assert!(ev.support.contains(&"country"), "{ev:?}");
        assert!(ev.support.contains(&"title"), "{ev:?}");
        assert_eq!(ev.score, 100);
    }

    #[test]
    fn namesakes_of_two_countries_make_two_people_however_often_they_alternate() {
        let texts: Vec<(String, String)> = (0..40)
            .map(|k| {
                let country = if k % 2 == 0 { "Egyptian" } else { "Sudanese" };
                (
                    format!("a{k:02}"),
                    format!("Title\n\n{country} Foreign Minister Ahmed Hassan spoke."),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let kg = build(&refs);
        let people: Vec<&Entity> = people_of(&kg);
        assert_eq!(people.len(), 2, "{people:?}");
        // Each joined mention is joined to the first mention of its country.
        for p in &people {
            assert_eq!(p.evidence.len(), 19, "{p:?}");
            let first = &p.evidence[0].with_article;
            assert!(p.evidence.iter().all(|e| &e.with_article == first));
            assert!(p.evidence.iter().all(|e| e.rule == "same-name"));
        }
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
        let ids: BTreeSet<&str> = kg
            .articles
            .iter()
            .flat_map(|a| a.entity_ids.iter().map(|s| &**s))
            .collect();
        assert_eq!(ids.len(), 1);
    }
}
