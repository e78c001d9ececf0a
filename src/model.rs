//! Plain data types passed between the pipeline's stages: articles, spans, mentions,
//! per-article extractions and the merged knowledge graph. No I/O, no RDF.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A loaded article. `text` is the whole input text as-is: mention offsets count in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The input file's stem (or the `id` field of a JSONL record).
    pub id: String,
    /// The headline.
    pub title: String,
    /// The publication date, when the input states it.
    pub published: Option<NaiveDate>,
    /// Where the article came from, when known.
    pub url: Option<String>,
    /// The whole text, as read (mention offsets count in Unicode scalar values into it).
    pub text: String,
    /// The byte range of `text` that is the article proper (page chrome excluded).
    pub body: std::ops::Range<usize>,
    /// Where the article was read from (file path, `path:line` for JSONL).
    pub source: String,
}

/// A span of text in Unicode scalar values (`char`s), half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharSpan {
    /// First char.
    pub begin: usize,
    /// One past the last char.
    pub end: usize,
}

/// The kinds of entity the graph knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    /// A person with a public position.
    Official,
    /// Any other named person.
    Person,
    /// A state body: intelligence service, ministry, armed force, council, parliament.
    Agency,
    /// Any other organisation: media, party, armed group, international body.
    Organization,
    /// A sovereign state or commonly reported territory.
    Country,
    /// A city.
    City,
    /// Any other named place.
    Place,
}

impl EntityKind {
    /// The lower-case name used in IRIs and the CLI.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Person => "person",
            Self::Agency => "agency",
            Self::Organization => "organization",
            Self::Country => "country",
            Self::City => "city",
            Self::Place => "place",
        }
    }

    /// The IRI path segment: officials and other persons share one space, so that a
    /// person gains a title without changing IRI.
    pub fn iri_segment(self) -> &'static str {
        match self {
            Self::Official | Self::Person => "person",
            other => other.slug(),
        }
    }

    /// Whether two kinds can name the same real-world thing.
    pub fn compatible(self, other: Self) -> bool {
        self == other || (self.is_person() && other.is_person())
    }

    /// Official or Person.
    pub fn is_person(self) -> bool {
        matches!(self, Self::Official | Self::Person)
    }

    /// Country, City or Place.
    pub fn is_place(self) -> bool {
        matches!(self, Self::Country | Self::City | Self::Place)
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// One occurrence of a name in an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mention {
    /// Where it is, in chars of `Article::text`.
    pub span: CharSpan,
    /// The exact surface text.
    pub text: String,
}

/// An entity found in one article, with all its mentions there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// What it is.
    pub kind: EntityKind,
    /// Preferred name (the lexicon's canonical name, or the longest form seen).
    pub name: String,
    /// The lexicon's identifier (`country/pakistan`), when the entity is in a lexicon.
    pub key: Option<String>,
    /// Every mention in the article.
    pub mentions: Vec<Mention>,
    /// Acronyms seen for it ("ISI").
    pub acronyms: Vec<String>,
    /// Titles and ranks as written ("Director General", "Lt Gen").
    pub titles: Vec<String>,
    /// Agencies/organisations it belongs to (local indexes).
    pub affiliations: Vec<usize>,
    /// Its country (local index): nationality, area served, containing country.
    pub country: Option<usize>,
    /// The Wikidata QID, when a lexicon is certain of it.
    pub wikidata: Option<String>,
}

impl Candidate {
    /// A new candidate with no mentions yet.
    pub fn new(kind: EntityKind, name: impl Into<String>, key: Option<String>) -> Self {
        Self {
            kind,
            name: name.into(),
            key,
            mentions: Vec::new(),
            acronyms: Vec::new(),
            titles: Vec::new(),
            affiliations: Vec::new(),
            country: None,
            wikidata: None,
        }
    }

    /// The surface forms of its mentions, without duplicates, in first-seen order.
    pub fn surface_forms(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in &self.mentions {
            if !out.contains(&m.text.as_str()) {
                out.push(&m.text);
            }
        }
        out
    }
}

/// CAMEO-style kinds of meeting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub enum MeetingKind {
    /// A meeting, talks, a summit or a conference.
    #[default]
    Meet,
    /// One party travels to another.
    Visit,
    /// A party receives visitors.
    HostVisit,
    /// A telephone or video call.
    Call,
    /// Negotiations.
    Negotiate,
}

impl MeetingKind {
    /// The local name of the ontology class (`ng:Visit`).
    pub fn class_name(self) -> &'static str {
        match self {
            Self::Meet => "Meet",
            Self::Visit => "Visit",
            Self::HostVisit => "HostVisit",
            Self::Call => "PhoneCall",
            Self::Negotiate => "Negotiate",
        }
    }

    /// A word for labels.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Meet => "Meeting",
            Self::Visit => "Visit",
            Self::HostVisit => "Hosted visit",
            Self::Call => "Call",
            Self::Negotiate => "Talks",
        }
    }
}

/// A meeting's date as the text gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventDate {
    /// A day-precise date.
    Day(NaiveDate),
    /// A vaguer or unresolvable expression, kept as written ("last week", "on Saturday").
    Text(String),
}

/// A meeting found in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingCandidate {
    /// What kind of meeting.
    pub kind: MeetingKind,
    /// The trigger words ("meeting", "met", "the session"), with spans.
    pub mentions: Vec<Mention>,
    /// When, if stated.
    pub date: Option<EventDate>,
    /// Where (local entity index).
    pub location: Option<usize>,
    /// Who hosted (local entity indexes).
    pub hosts: Vec<usize>,
    /// Who attended, hosts included (local entity indexes).
    pub attendees: Vec<usize>,
    /// Who (as a group) met, normalised ("foreign ministers", "intelligence chiefs").
    pub group: Option<String>,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Extraction {
    /// The entities, referred to by index.
    pub entities: Vec<Candidate>,
    /// The meetings.
    pub meetings: Vec<MeetingCandidate>,
}

impl Extraction {
    /// Gives back the spare capacity its lists were grown with. A build holds the
    /// extractions of every article at once (about a third of the memory at 100k
    /// articles), and lists grown by pushing keep up to half of their room empty.
    pub fn shrink_to_fit(&mut self) {
        fn mentions(v: &mut Vec<Mention>) {
            v.shrink_to_fit();
            for m in v {
                m.text.shrink_to_fit();
            }
        }
        self.entities.shrink_to_fit();
        for c in &mut self.entities {
            mentions(&mut c.mentions);
            c.name.shrink_to_fit();
            c.acronyms.shrink_to_fit();
            c.titles.shrink_to_fit();
            c.affiliations.shrink_to_fit();
        }
        self.meetings.shrink_to_fit();
        for m in &mut self.meetings {
            mentions(&mut m.mentions);
            m.hosts.shrink_to_fit();
            m.attendees.shrink_to_fit();
        }
    }
}

/// A merged entity: one real-world thing across articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Stable identifier, also the IRI path (`person/faiz-hameed`).
    pub id: String,
    /// Its kind (Official when any article gives it a position).
    pub kind: EntityKind,
    /// The canonical label.
    pub label: String,
    /// All other names seen, across articles.
    pub aliases: Vec<String>,
    /// Wikidata QID when known.
    pub wikidata: Option<String>,
    /// The id of its country from the lexicon (background knowledge, not from a text).
    pub country: Option<String>,
    /// Ids this entity had in earlier builds and that a merge has joined into it.
    pub same_as: Vec<String>,
    /// Why its article-level candidates were joined.
    pub evidence: Vec<MergeEvidence>,
}

/// Why two candidates were joined into one entity. A large corpus has one for nearly
/// every mention: the article ids and forms are shared (`Arc<str>`, one per article and
/// per name), and the rule and supports are the merger's constants.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MergeEvidence {
    /// The rule that fired (`same-lexicon-id`, `same-name`, `acronym`, `surname`...).
    pub rule: &'static str,
    /// How sure the join is, in hundredths (0–100): the rule's base score, raised by each
    /// context the two mentions share.
    pub score: u8,
    /// The article and surface form joined.
    pub article: Arc<str>,
    /// The form that was joined.
    pub form: Arc<str>,
    /// The article of the mention it was joined to.
    pub with_article: Arc<str>,
    /// The form it was joined to.
    pub with_form: Arc<str>,
    /// What else the two mentions share: `country`, `title`, `organization`.
    pub support: Vec<&'static str>,
}

/// A merged meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Stable identifier, also the IRI path (`meeting/2021-09-11-islamabad`).
    pub id: String,
    /// A readable label.
    pub label: String,
    /// Its kind.
    pub kind: MeetingKind,
    /// The day-precise date, when any article gives one.
    pub date: Option<chrono::NaiveDate>,
    /// Ids this meeting had in earlier builds and that a merge has joined into it.
    pub same_as: Vec<String>,
}

/// An article's extraction after merging: local indexes mapped to merged ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleGraph {
    /// The article.
    pub article: Article,
    /// What was extracted from it.
    pub extraction: Extraction,
    /// `entity_ids[i]` is the merged id of `extraction.entities[i]` (one shared copy of each
    /// id: a large corpus has millions of mentions).
    pub entity_ids: Vec<Arc<str>>,
    /// `meeting_ids[i]` is the merged id of `extraction.meetings[i]`.
    pub meeting_ids: Vec<String>,
}

/// The ids given to names by earlier builds into the same output directory, so that adding
/// articles does not change the IRIs of entities already in the graph. Keys are
/// `group:normalised name` (`person:faiz hameed`) for entities and
/// `meeting:ARTICLE@OFFSET` (where a report of the meeting begins) for meetings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdRegistry {
    /// Name key → entity id.
    pub forms: BTreeMap<String, String>,
}

/// The merged graph: every article with its extraction, and the merged entities.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnowledgeGraph {
    /// The ids of names, for the next build into the same directory.
    pub registry: IdRegistry,
    /// Articles, in id order.
    pub articles: Vec<ArticleGraph>,
    /// Entities by id.
    pub entities: BTreeMap<String, Entity>,
    /// Meetings by id.
    pub meetings: BTreeMap<String, Meeting>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_an_extraction_keeps_it_equal_and_leaves_no_spare_room() {
        let mut c = Candidate::new(EntityKind::Person, "Faiz Hameed", None);
        for i in 0..5 {
            let mut text = String::with_capacity(64);
            text.push_str("Hameed");
            c.mentions.push(Mention {
                span: CharSpan {
                    begin: i * 10,
                    end: i * 10 + 6,
                },
                text,
            });
        }
        c.titles.push("Lt Gen".into());
        let mut x = Extraction {
            entities: vec![c],
            meetings: Vec::new(),
        };
        x.entities.reserve(10);
        let before = x.clone();
        x.shrink_to_fit();
        assert_eq!(x, before);
        assert_eq!(x.entities.capacity(), 1);
        let c = &x.entities[0];
        assert_eq!(c.mentions.capacity(), c.mentions.len());
        assert!(c.mentions.iter().all(|m| m.text.capacity() == m.text.len()));
        assert_eq!(c.titles.capacity(), 1);
    }
}
