//! What a picture shows: the entity/meeting graph read from quads (kinds, labels, titles,
//! dates, relations), narrowed by a [`Selection`] (focus and depth, kinds, article, dates,
//! size guard) into a [`Picture`] of nodes and labelled edges. Owns the choice of the
//! corpus's main meeting. Knows nothing of layout or byte formats.

use crate::rdf::vocab::{ng, rdf, rdfs, schema, skos, ARTICLE_BASE, MERGED_GRAPH};
use chrono::NaiveDate;
use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// Hash tables with a fixed seed: the same run after run (nothing depends on their
/// order, but a fixed seed keeps that easy to check).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// Kinds of node, in drawing priority (a node with two kinds is drawn as the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// A meeting, visit, call or talks (`ng:Meeting`).
    Meeting,
    /// A person with a title (`ng:Official`).
    Official,
    /// Another person.
    Person,
    /// A government agency.
    Agency,
    /// Another organisation.
    Organization,
    /// A country.
    Country,
    /// A city.
    City,
    /// Another place.
    Place,
}

impl NodeKind {
    /// Every kind, in drawing priority.
    pub const ALL: [NodeKind; 8] = [
        Self::Meeting,
        Self::Official,
        Self::Person,
        Self::Agency,
        Self::Organization,
        Self::Country,
        Self::City,
        Self::Place,
    ];

    /// The kind's name, as `--kinds` takes it and the legend shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Official => "official",
            Self::Person => "person",
            Self::Agency => "agency",
            Self::Organization => "organisation",
            Self::Country => "country",
            Self::City => "city",
            Self::Place => "place",
        }
    }

    /// The kind named `s` (singular or plural, either spelling of organisation).
    pub fn from_name(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        let s = s.strip_suffix('s').unwrap_or(&s).to_string();
        match s.as_str() {
            "meeting" => Some(Self::Meeting),
            "official" => Some(Self::Official),
            "person" | "people" => Some(Self::Person),
            "agency" | "agencie" => Some(Self::Agency),
            "organisation" | "organization" | "org" => Some(Self::Organization),
            "country" | "countrie" => Some(Self::Country),
            "city" | "citie" => Some(Self::City),
            "place" => Some(Self::Place),
            _ => None,
        }
    }

    /// Fill and stroke colours.
    pub fn colors(self) -> (&'static str, &'static str) {
        match self {
            Self::Meeting => ("#ffd8a8", "#c76b00"),
            Self::Official => ("#cfe2f3", "#3d6e99"),
            Self::Person => ("#e8f1f8", "#6b8bab"),
            Self::Agency => ("#c9ecc9", "#3b8a3b"),
            Self::Organization => ("#e6e6e6", "#777777"),
            Self::Country => ("#fff3b0", "#a68a00"),
            Self::City => ("#f9d0dc", "#b0506c"),
            Self::Place => ("#e6e0f5", "#76609e"),
        }
    }

    fn of_class(iri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.class() == iri)
    }

    fn class(self) -> &'static str {
        match self {
            Self::Meeting => ng::MEETING.as_str(),
            Self::Official => ng::OFFICIAL.as_str(),
            Self::Person => ng::PERSON.as_str(),
            Self::Agency => ng::AGENCY.as_str(),
            Self::Organization => ng::ORGANIZATION.as_str(),
            Self::Country => ng::COUNTRY.as_str(),
            Self::City => ng::CITY.as_str(),
            Self::Place => ng::PLACE.as_str(),
        }
    }
}

/// A relation drawn as an edge, read from `from` to `to` ("Faiz Hameed attended the
/// meeting", "the meeting in Islamabad").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rel {
    /// The host of a meeting (`schema:organizer`, read host → meeting).
    Hosted,
    /// An attendee of a meeting (`schema:attendee`, read attendee → meeting).
    Attended,
    /// Where a meeting took place (`schema:location`).
    Location,
    /// A person's agency (`schema:memberOf`).
    MemberOf,
    /// A person's employer (`schema:worksFor`).
    WorksFor,
    /// A person's country (`schema:nationality`).
    Nationality,
    /// An agency's country (`schema:areaServed`).
    AreaServed,
    /// A city's country (`schema:containedInPlace`).
    ContainedIn,
}

impl Rel {
    /// Every relation.
    pub const ALL: [Rel; 8] = [
        Self::Hosted,
        Self::Attended,
        Self::Location,
        Self::MemberOf,
        Self::WorksFor,
        Self::Nationality,
        Self::AreaServed,
        Self::ContainedIn,
    ];

    /// The short edge label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Hosted => "hosted",
            Self::Attended => "attended",
            Self::Location | Self::ContainedIn => "in",
            Self::MemberOf => "member of",
            Self::WorksFor => "works for",
            Self::Nationality => "from",
            Self::AreaServed => "of",
        }
    }

    /// The edge colour.
    pub fn color(self) -> &'static str {
        match self {
            Self::Hosted => "#c0392b",
            Self::Attended => "#4a6785",
            Self::Location | Self::ContainedIn => "#2e7d32",
            Self::MemberOf | Self::WorksFor => "#7b5ea7",
            Self::Nationality | Self::AreaServed => "#8a8a8a",
        }
    }

    /// The line width.
    pub fn width(self) -> f64 {
        if self == Self::Hosted {
            2.2
        } else {
            1.2
        }
    }

    /// The predicate and whether the edge reads against it (object → subject).
    fn predicate(self) -> (&'static str, bool) {
        match self {
            Self::Hosted => (schema::ORGANIZER.as_str(), true),
            Self::Attended => (schema::ATTENDEE.as_str(), true),
            Self::Location => (schema::LOCATION.as_str(), false),
            Self::MemberOf => (schema::MEMBER_OF.as_str(), false),
            Self::WorksFor => ("http://schema.org/worksFor", false),
            Self::Nationality => (schema::NATIONALITY.as_str(), false),
            Self::AreaServed => (schema::AREA_SERVED.as_str(), false),
            Self::ContainedIn => (schema::CONTAINED_IN_PLACE.as_str(), false),
        }
    }
}

/// A node of a picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The entity's or meeting's IRI.
    pub iri: String,
    /// Its name.
    pub label: String,
    /// What it is.
    pub kind: NodeKind,
    /// Lines shown under the name: an official's titles, a meeting's kind and dates.
    pub attrs: Vec<String>,
}

/// An edge of a picture, between node indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The node the relation is read from.
    pub from: usize,
    /// The node it is read to.
    pub to: usize,
    /// The relation.
    pub rel: Rel,
}

/// A picture: nodes sorted by kind and name, edges sorted, and notes on what was left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picture {
    /// What the picture shows (its heading).
    pub title: String,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
    /// Nodes left out by the size guard.
    pub dropped: usize,
    /// Notes for the reader: what was left out and how to narrow the picture.
    pub notes: Vec<String>,
}

/// What to draw out of the facts.
#[derive(Debug, Clone)]
pub struct Selection {
    /// IRIs to centre on (empty: the whole graph).
    pub focus: Vec<String>,
    /// Hops from the focus (or from the meetings in the date range).
    pub depth: usize,
    /// Only these kinds (the focus is always kept); `None`: all.
    pub kinds: Option<BTreeSet<NodeKind>>,
    /// Only meetings on or after this date.
    pub since: Option<NaiveDate>,
    /// Only meetings on or before this date.
    pub until: Option<NaiveDate>,
    /// Past this many nodes, the farthest and least connected are left out (and a note
    /// says so).
    pub max_nodes: usize,
}

impl Default for Selection {
    fn default() -> Self {
        Self {
            focus: Vec::new(),
            depth: 1,
            kinds: None,
            since: None,
            until: None,
            max_nodes: DEFAULT_MAX_NODES,
        }
    }
}

/// The size guard's default.
pub const DEFAULT_MAX_NODES: usize = 150;

/// An IRI held once by [`Facts`] and shared by its tables.
type Iri = Arc<str>;

/// The meeting classes a picture tells apart (besides `ng:Meeting`), as bits.
const MEETING_CLASSES: [&str; 4] = ["PhoneCall", "Visit", "HostVisit", "Negotiate"];

/// The bit of a meeting class in [`Facts`]' meeting kinds (0 for the others).
fn meeting_class_bit(local: &str) -> u8 {
    MEETING_CLASSES
        .iter()
        .position(|c| *c == local)
        .map_or(0, |i| 1 << i)
}

/// Adds `x` to a small list used as a set (completed by [`sort_distinct`]).
fn push_new<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Sorts a list used as a set and removes its duplicates.
fn sort_distinct<T: Ord>(v: &mut Vec<T>) {
    v.sort_unstable();
    v.dedup();
    v.shrink_to_fit();
}

/// The facts of many pieces (each read by [`Facts::add`]) gathered into the facts of one
/// picture. Every IRI gets a number once (one hash look-up) and the facts are kept by
/// number: the ordered maps of [`Facts`], keyed by text, compare long IRIs with a common
/// start at every level of every look-up (at 100k articles, millions of them). They are put
/// in text order once, at the end ([`Gathering::into_facts`]), with the same outcome as
/// merging the pieces into ordered maps one after the other: the first label read stays,
/// the lowest kind, every meeting class, names and dates in the order read.
#[derive(Debug, Default)]
pub struct Gathering {
    numbers: FastMap<Iri, u32>,
    iris: Vec<Iri>,
    kinds: FastMap<u32, NodeKind>,
    meeting_kinds: FastMap<u32, u8>,
    labels: FastMap<u32, String>,
    merged_labels: FastMap<u32, String>,
    names: FastMap<u32, Vec<String>>,
    titles: FastMap<u32, BTreeMap<String, usize>>,
    dates: FastMap<u32, Vec<NaiveDate>>,
    /// With repeats (a list grows faster than a set; made distinct at the end).
    edges: Vec<(u32, u32, Rel)>,
    articles: FastMap<u32, Vec<u32>>,
    article_ids: BTreeSet<String>,
    unnamed: bool,
}

impl Gathering {
    /// Gathers facts for drawing (see [`Facts::for_drawing`]).
    pub fn for_drawing() -> Self {
        Self {
            unnamed: true,
            ..Self::default()
        }
    }

    /// The number of `iri`, given when first seen.
    fn number(&mut self, iri: &Iri) -> u32 {
        if let Some(&k) = self.numbers.get(&**iri) {
            return k;
        }
        let k = self.iris.len() as u32;
        self.iris.push(iri.clone());
        self.numbers.insert(iri.clone(), k);
        k
    }

    /// Adds the facts of the next piece.
    pub fn absorb(&mut self, later: Facts) {
        for (k, v) in later.kinds {
            let k = self.number(&k);
            let e = self.kinds.entry(k).or_insert(v);
            *e = (*e).min(v);
        }
        for (k, v) in later.meeting_kinds {
            let k = self.number(&k);
            *self.meeting_kinds.entry(k).or_default() |= v;
        }
        for (k, v) in later.labels {
            let k = self.number(&k);
            self.labels.entry(k).or_insert(v);
        }
        for (k, v) in later.merged_labels {
            let k = self.number(&k);
            self.merged_labels.entry(k).or_insert(v);
        }
        for (k, v) in later.names {
            let k = self.number(&k);
            let names = self
                .names
                .entry(k)
                .or_insert_with(|| Vec::with_capacity(v.len()));
            for n in v {
                push_new(names, n);
            }
        }
        for (k, v) in later.titles {
            let k = self.number(&k);
            let t = self.titles.entry(k).or_default();
            for (title, n) in v {
                *t.entry(title).or_default() += n;
            }
        }
        for (k, v) in later.dates {
            let k = self.number(&k);
            let dates = self.dates.entry(k).or_default();
            for d in v {
                push_new(dates, d);
            }
        }
        for (a, b, r) in later.edges {
            let (a, b) = (self.number(&a), self.number(&b));
            self.edges.push((a, b, r));
        }
        for (k, v) in later.articles {
            let k = self.number(&k);
            let graphs: Vec<u32> = v.iter().map(|g| self.number(g)).collect();
            let set = self
                .articles
                .entry(k)
                .or_insert_with(|| Vec::with_capacity(graphs.len()));
            for g in graphs {
                if set.last() != Some(&g) {
                    set.push(g);
                }
            }
        }
        self.article_ids.extend(later.article_ids);
    }

    /// The facts gathered, to be completed with [`Facts::finish`].
    pub fn into_facts(self) -> Facts {
        // The rank of each number in text order (IRIs are distinct).
        let mut order: Vec<u32> = (0..self.iris.len() as u32).collect();
        let iris = &self.iris;
        order.sort_unstable_by(|&a, &b| iris[a as usize].cmp(&iris[b as usize]));
        let mut rank = vec![0u32; order.len()];
        for (r, &k) in order.iter().enumerate() {
            rank[k as usize] = r as u32;
        }
        let iri = |k: u32| iris[k as usize].clone();
        // A table in text order of its keys, laid into an ordered map (built in one pass
        // from sorted input).
        fn ordered<V>(
            table: FastMap<u32, V>,
            rank: &[u32],
            iri: impl Fn(u32) -> Iri,
        ) -> BTreeMap<Iri, V> {
            let mut v: Vec<(u32, V)> = table.into_iter().collect();
            v.sort_unstable_by_key(|e| rank[e.0 as usize]);
            v.into_iter().map(|(k, x)| (iri(k), x)).collect()
        }
        let mut edges = self.edges;
        edges.sort_unstable_by_key(|&(a, b, r)| (rank[a as usize], rank[b as usize], r));
        edges.dedup();
        let articles = self
            .articles
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().map(&iri).collect::<Vec<Iri>>()))
            .collect();
        Facts {
            pool: FastSet::default(),
            kinds: ordered(self.kinds, &rank, iri),
            meeting_kinds: ordered(self.meeting_kinds, &rank, iri),
            labels: ordered(self.labels, &rank, iri),
            merged_labels: ordered(self.merged_labels, &rank, iri),
            names: ordered(self.names, &rank, iri),
            titles: ordered(self.titles, &rank, iri),
            dates: ordered(self.dates, &rank, iri),
            edges: edges
                .into_iter()
                .map(|(a, b, r)| (iri(a), iri(b), r))
                .collect(),
            articles: ordered(articles, &rank, iri),
            article_ids: self.article_ids,
            only: None,
            unnamed: self.unnamed,
        }
    }
}

/// The facts pictures are drawn from, read once from quads. Every IRI is held once
/// (shared by the tables), and the per-node sets are small sorted lists, so that the facts
/// of a large corpus stay small.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The IRIs read so far, each once (emptied by [`Facts::finish`]).
    pool: FastSet<Iri>,
    kinds: BTreeMap<Iri, NodeKind>,
    /// Bits of [`MEETING_CLASSES`].
    meeting_kinds: BTreeMap<Iri, u8>,
    labels: BTreeMap<Iri, String>,
    merged_labels: BTreeMap<Iri, String>,
    /// Lower-case names, distinct.
    names: BTreeMap<Iri, Vec<String>>,
    titles: BTreeMap<Iri, BTreeMap<String, usize>>,
    /// Distinct; sorted by [`Facts::finish`].
    dates: BTreeMap<Iri, Vec<NaiveDate>>,
    edges: BTreeSet<(Iri, Iri, Rel)>,
    /// The article graphs that speak of a node; distinct once [`Facts::finish`]ed.
    articles: BTreeMap<Iri, Vec<Iri>>,
    article_ids: BTreeSet<String>,
    /// The article graph read alone (see [`Facts::from_quads`]).
    only: Option<String>,
    /// Whether `names` is left empty (see [`Facts::for_drawing`]).
    unnamed: bool,
}

/// The predicates pictures read (for a store query that fetches only these).
pub fn predicates() -> Vec<&'static str> {
    let mut v = vec![
        rdf::TYPE.as_str(),
        rdfs::LABEL.as_str(),
        skos::ALT_LABEL.as_str(),
        schema::JOB_TITLE.as_str(),
        schema::START_DATE.as_str(),
    ];
    v.extend(Rel::ALL.iter().map(|r| r.predicate().0));
    v
}

/// `pool`'s copy of `s`, added when new.
fn intern(pool: &mut FastSet<Iri>, s: &str) -> Iri {
    if let Some(i) = pool.get(s) {
        return i.clone();
    }
    let i: Iri = Arc::from(s);
    pool.insert(i.clone());
    i
}

impl Facts {
    /// Reads the facts in `quads`. With `article` (an article id), only that article's
    /// statements count (names and kinds from any graph).
    pub fn from_quads<'a>(
        quads: impl IntoIterator<Item = &'a Quad>,
        article: Option<&str>,
    ) -> Self {
        let mut f = Facts::reading(article);
        for q in quads {
            f.add(q);
        }
        f.finish()
    }

    /// Facts to be read quad by quad ([`Facts::add`], [`Gathering::absorb`]) and then
    /// completed with [`Facts::finish`]; `article` as in [`Facts::from_quads`].
    pub fn reading(article: Option<&str>) -> Self {
        Facts {
            only: article.map(|a| format!("{ARTICLE_BASE}{a}")),
            ..Facts::default()
        }
    }

    /// Facts read only to be drawn, as a build draws its pictures: the names that
    /// [`Facts::find`] looks up are not kept (about a fifth of the facts of a large corpus),
    /// so that `find` knows nodes by IRI only.
    pub fn for_drawing(mut self) -> Self {
        self.unnamed = true;
        self
    }

    /// The names of `s`, to add one to (none kept when `unnamed`).
    fn names_of(&mut self, s: Iri) -> Option<&mut Vec<String>> {
        if self.unnamed {
            return None;
        }
        // Most nodes have one name: room for one.
        Some(self.names.entry(s).or_insert_with(|| Vec::with_capacity(1)))
    }

    /// The shared copy of `s`.
    fn iri(&mut self, s: &str) -> Iri {
        intern(&mut self.pool, s)
    }

    /// Takes one quad into account.
    pub fn add<'q>(&mut self, q: impl Into<QuadRef<'q>>) {
        let q = q.into();
        let f = self;
        let graph = match q.graph_name {
            GraphNameRef::NamedNode(n) => n.as_str(),
            _ => "",
        };
        if let Some(a) = graph.strip_prefix(ARTICLE_BASE) {
            if !f.article_ids.contains(a) {
                f.article_ids.insert(a.to_string());
            }
        }
        let NamedOrBlankNodeRef::NamedNode(s) = q.subject else {
            return;
        };
        let s = s.as_str();
        if s.starts_with(ARTICLE_BASE) {
            // An article's node and its text's NIF nodes: not drawn (about half of all
            // statements), and none of their statements says anything drawn.
            return;
        }
        let p = q.predicate.as_str();
        let merged = graph == MERGED_GRAPH;
        if merged && p == rdfs::LABEL.as_str() {
            if let TermRef::Literal(l) = q.object {
                if !f.merged_labels.contains_key(s) {
                    let k = f.iri(s);
                    f.merged_labels.insert(k, l.value().to_string());
                }
            }
        }
        if let Some(o) = &f.only {
            // Names and kinds hold whichever graph says them.
            let global = p == rdfs::LABEL.as_str()
                || p == skos::ALT_LABEL.as_str()
                || p == rdf::TYPE.as_str();
            if graph != o && !global {
                return;
            }
        }
        let in_article = match &f.only {
            Some(o) => graph == o,
            None => graph.starts_with(ARTICLE_BASE),
        };
        // Which articles speak of an entity or meeting (mentions and texts are not drawn).
        let note = |f: &mut Facts, iri: &str| {
            if in_article && !iri.starts_with(ARTICLE_BASE) {
                let seen = f
                    .articles
                    .get(iri)
                    .and_then(|v| v.last())
                    .is_some_and(|g| &**g == graph);
                if !seen {
                    let g = f.iri(graph);
                    let k = f.iri(iri);
                    // Most nodes are spoken of by one article: room for one.
                    f.articles
                        .entry(k)
                        .or_insert_with(|| Vec::with_capacity(1))
                        .push(g);
                }
            }
        };
        note(f, s);
        match q.object {
            TermRef::NamedNode(o) if p == rdf::TYPE.as_str() => {
                if let Some(k) = NodeKind::of_class(o.as_str()) {
                    let s = f.iri(s);
                    let e = f.kinds.entry(s).or_insert(k);
                    *e = (*e).min(k);
                } else if let Some(local) = o
                    .as_str()
                    .strip_prefix(crate::text::trim_end_str(ng::MEETING.as_str(), "Meeting"))
                {
                    let bit = meeting_class_bit(local);
                    if bit != 0 {
                        let s = f.iri(s);
                        *f.meeting_kinds.entry(s).or_default() |= bit;
                    }
                }
            }
            TermRef::NamedNode(o) => {
                for r in Rel::ALL {
                    let (pred, reverse) = r.predicate();
                    if pred == p {
                        let (si, oi) = (f.iri(s), f.iri(o.as_str()));
                        let (a, b) = if reverse { (oi, si) } else { (si, oi) };
                        note(f, o.as_str());
                        f.edges.insert((a, b, r));
                    }
                }
            }
            TermRef::Literal(l) if p == rdfs::LABEL.as_str() => {
                let s = f.iri(s);
                f.labels
                    .entry(s.clone())
                    .or_insert_with(|| l.value().to_string());
                if let Some(names) = f.names_of(s) {
                    push_new(names, l.value().to_lowercase());
                }
            }
            TermRef::Literal(l) if p == skos::ALT_LABEL.as_str() => {
                let s = f.iri(s);
                if let Some(names) = f.names_of(s) {
                    push_new(names, l.value().to_lowercase());
                }
            }
            TermRef::Literal(l) if p == schema::JOB_TITLE.as_str() => {
                let s = f.iri(s);
                *f.titles
                    .entry(s)
                    .or_default()
                    .entry(l.value().to_string())
                    .or_default() += 1;
            }
            TermRef::Literal(l) if p == schema::START_DATE.as_str() => {
                if let Ok(d) = NaiveDate::parse_from_str(l.value(), "%Y-%m-%d") {
                    let s = f.iri(s);
                    push_new(f.dates.entry(s).or_default(), d);
                }
            }
            _ => {}
        }
    }

    /// Completes facts read with [`Facts::add`].
    pub fn finish(mut self) -> Self {
        let f = &mut self;
        f.pool = FastSet::default();
        for v in f.articles.values_mut() {
            sort_distinct(v);
        }
        for v in f.dates.values_mut() {
            sort_distinct(v);
        }
        for v in f.names.values_mut() {
            v.shrink_to_fit();
        }
        if f.only.is_some() {
            // An article's picture holds what the article speaks of.
            let articles = &f.articles;
            f.kinds.retain(|k, _| articles.contains_key(k));
        }
        // A host attended: one edge, "hosted", says both. (Looked up in hash sets: ordered
        // maps compare long IRIs at every level.)
        let hosted: FastSet<(Iri, Iri)> = f
            .edges
            .iter()
            .filter(|e| e.2 == Rel::Hosted)
            .map(|e| (e.0.clone(), e.1.clone()))
            .collect();
        let kinds: FastSet<&str> = f.kinds.keys().map(|k| &**k).collect();
        f.edges.retain(|(a, b, r)| {
            let attended_host = *r == Rel::Attended && hosted.contains(&(a.clone(), b.clone()));
            !attended_host && a != b && kinds.contains(&**a) && kinds.contains(&**b)
        });
        drop(kinds);
        self
    }

    /// The ids of the articles these facts come from (all of them, whatever the filter).
    pub fn article_ids(&self) -> &BTreeSet<String> {
        &self.article_ids
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The display name of a node: the merger's label, else the first label, else the IRI.
    pub fn label(&self, iri: &str) -> String {
        self.merged_labels
            .get(iri)
            .or_else(|| self.labels.get(iri))
            .cloned()
            .unwrap_or_else(|| iri.rsplit('/').next().unwrap_or(iri).to_string())
    }

    /// The kind of a node.
    pub fn kind(&self, iri: &str) -> Option<NodeKind> {
        self.kinds.get(iri).copied()
    }

    /// The nodes `name` names: an IRI as is; else every node whose label or alias equals
    /// `name` (case-insensitively); else every node whose label or alias contains it.
    pub fn find(&self, name: &str) -> Vec<String> {
        let name = name.trim();
        if self.kinds.contains_key(name) {
            return vec![name.to_string()];
        }
        let want = name.to_lowercase();
        let exact: Vec<String> = self
            .kinds
            .keys()
            .filter(|k| self.names.get(*k).is_some_and(|n| n.contains(&want)))
            .map(|k| k.to_string())
            .collect();
        if !exact.is_empty() || want.is_empty() {
            return exact;
        }
        let part: Vec<String> = self
            .kinds
            .keys()
            .filter(|k| {
                self.names
                    .get(*k)
                    .is_some_and(|n| n.iter().any(|x| x.contains(&want)))
            })
            .map(|k| k.to_string())
            .collect();
        // Meeting names hold people's and places' names: a part of a name means the
        // entity, when there is one.
        if part
            .iter()
            .any(|k| self.kinds[k.as_str()] != NodeKind::Meeting)
        {
            part.into_iter()
                .filter(|k| self.kinds[k.as_str()] != NodeKind::Meeting)
                .collect()
        } else {
            part
        }
    }

    /// The corpus's main meeting: the one with the most participants (hosts and
    /// attendees), then the most articles, then the first IRI.
    pub fn main_meeting(&self) -> Option<String> {
        let mut people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (a, b, r) in &self.edges {
            if matches!(r, Rel::Hosted | Rel::Attended) {
                people.entry(&**b).or_default().insert(&**a);
            }
        }
        let mut best: Option<(usize, usize, &str)> = None;
        for (iri, k) in &self.kinds {
            if *k != NodeKind::Meeting {
                continue;
            }
            let p = people.get(&**iri).map_or(0, BTreeSet::len);
            let n = self.articles.get(iri).map_or(0, Vec::len);
            let better = match best {
                None => true,
                Some((bp, ba, _)) => (p, n) > (bp, ba),
            };
            if better {
                best = Some((p, n, &**iri));
            }
        }
        best.map(|b| b.2.to_string())
    }

    fn attrs(&self, iri: &str, kind: NodeKind) -> Vec<String> {
        match kind {
            NodeKind::Official | NodeKind::Person => {
                let t = self.titles(iri);
                if t.is_empty() {
                    Vec::new()
                } else {
                    vec![t.join(" · ")]
                }
            }
            NodeKind::Meeting => {
                let kinds = self.meeting_kinds.get(iri);
                let has = |k: &str| kinds.is_some_and(|s| s & meeting_class_bit(k) != 0);
                let what = if has("PhoneCall") {
                    "phone call"
                } else if has("Visit") || has("HostVisit") {
                    "visit"
                } else if has("Negotiate") {
                    "talks"
                } else {
                    "meeting"
                };
                let dates: Vec<String> = self
                    .dates
                    .get(iri)
                    .map(|d| d.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect())
                    .unwrap_or_default();
                if dates.is_empty() {
                    vec![format!("{what} · date not given")]
                } else {
                    vec![format!("{what} · {}", dates.join(" / "))]
                }
            }
            _ => Vec::new(),
        }
    }

    /// Up to two titles, the most often given first; spellings that differ only in case
    /// count as one (the capitalised one is shown).
    fn titles(&self, iri: &str) -> Vec<String> {
        let Some(all) = self.titles.get(iri) else {
            return Vec::new();
        };
        // Spellings one letter apart ("Defence"/"Defense", "adviser"/"advisor") or in
        // another case are one title; the capitalised spelling is shown.
        let caps = |s: &str| s.chars().filter(|c| c.is_uppercase()).count();
        let mut v: Vec<(usize, String)> = Vec::new();
        for (t, n) in all {
            let low = t.to_lowercase();
            let same = v.iter_mut().find(|(_, u)| {
                let u = u.to_lowercase();
                u == low || (low.chars().count() >= 6 && one_edit_apart(&u, &low))
            });
            match same {
                Some(e) => {
                    e.0 += n;
                    if caps(t) > caps(&e.1) {
                        e.1 = t.clone();
                    }
                }
                None => v.push((*n, t.clone())),
            }
        }
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.into_iter().take(2).map(|x| x.1).collect()
    }

    fn display_label(&self, iri: &str, kind: NodeKind) -> String {
        let label = self.label(iri);
        if kind != NodeKind::Meeting {
            return label;
        }
        // "…, 2021-09-11": the date is shown as an attribute.
        if let Some((head, tail)) = label.rsplit_once(", ") {
            if let Ok(d) = NaiveDate::parse_from_str(tail, "%Y-%m-%d") {
                if self.dates.get(iri).is_some_and(|s| s.contains(&d)) {
                    return head.to_string();
                }
            }
        }
        label
    }

    /// The picture `sel` asks for.
    pub fn picture(&self, sel: &Selection) -> Picture {
        let mut notes = Vec::new();
        // Hash tables while selecting (a large corpus has hundreds of thousands of nodes);
        // whatever order the picture depends on is made by sorting.
        let kind_of: FastMap<&str, NodeKind> = self.kinds.iter().map(|(k, v)| (&**k, *v)).collect();
        let mut alive: FastSet<&str> = kind_of.keys().copied().collect();
        let focus: BTreeSet<&str> = sel
            .focus
            .iter()
            .map(String::as_str)
            .filter(|f| alive.contains(f))
            .collect();
        let dated = sel.since.is_some() || sel.until.is_some();
        if dated {
            let inside = |d: &NaiveDate| {
                sel.since.is_none_or(|s| *d >= s) && sel.until.is_none_or(|u| *d <= u)
            };
            let before = alive.len();
            alive.retain(|iri| {
                kind_of.get(*iri) != Some(&NodeKind::Meeting)
                    || focus.contains(iri)
                    || self.dates.get(*iri).is_some_and(|ds| ds.iter().any(inside))
            });
            let gone = before - alive.len();
            if gone > 0 {
                notes.push(format!(
                    "{gone} meeting{} outside the dates or undated left out.",
                    if gone == 1 { "" } else { "s" }
                ));
            }
        }
        if let Some(kinds) = &sel.kinds {
            alive.retain(|iri| {
                focus.contains(iri) || kind_of.get(*iri).is_some_and(|k| kinds.contains(k))
            });
        }
        // The edges at each node, read from there: (the other end, the relation, whether
        // the edge leaves this node), in the order of `edges`. One pass builds them, where a
        // pass over all edges per node drawn made a large corpus's picture quadratic.
        let mut touching: FastMap<&str, Vec<(&str, Rel, bool)>> = FastMap::default();
        for (a, b, r) in &self.edges {
            if alive.contains(&**a) && alive.contains(&**b) {
                touching.entry(&**a).or_default().push((&**b, *r, true));
                touching.entry(&**b).or_default().push((&**a, *r, false));
            }
        }
        let at = |n: &str| touching.get(n).map_or(&[][..], Vec::as_slice);
        // Seeds: the focus; or, with dates, the meetings in range; or everything.
        let mut seeds: Vec<&str> = if !focus.is_empty() {
            focus.iter().copied().collect()
        } else if dated {
            alive
                .iter()
                .copied()
                .filter(|i| kind_of.get(*i) == Some(&NodeKind::Meeting))
                .collect()
        } else {
            alive.iter().copied().collect()
        };
        seeds.sort_unstable();
        // Distances by breadth-first search, which do not depend on the order of visits.
        let mut dist: FastMap<&str, usize> = seeds.iter().map(|s| (*s, 0)).collect();
        let mut queue: VecDeque<&str> = seeds.iter().copied().collect();
        while let Some(n) = queue.pop_front() {
            let d = dist[n];
            if d >= sel.depth {
                continue;
            }
            for &(m, _, _) in at(n) {
                if !dist.contains_key(m) {
                    dist.insert(m, d + 1);
                    queue.push_back(m);
                }
            }
        }
        if !focus.is_empty() || dated {
            // A meeting is drawn whole: its hosts, attendees and place.
            let mut meetings: Vec<&str> = dist
                .keys()
                .copied()
                .filter(|i| kind_of.get(*i) == Some(&NodeKind::Meeting))
                .collect();
            // In IRI order: a node two meetings share takes the distance of the first.
            meetings.sort_unstable();
            for m in meetings {
                let d = dist[m] + 1;
                for &(other, r, out) in at(m) {
                    if matches!(
                        (r, out),
                        (Rel::Hosted | Rel::Attended, false) | (Rel::Location, true)
                    ) {
                        dist.entry(other).or_insert(d);
                    }
                }
            }
            // Who people are: their agency, one step further.
            let mut people: Vec<&str> = dist
                .keys()
                .copied()
                .filter(|i| matches!(kind_of.get(*i), Some(NodeKind::Official | NodeKind::Person)))
                .collect();
            people.sort_unstable();
            for p in people {
                let d = dist[p] + 1;
                for &(other, r, out) in at(p) {
                    if out && matches!(r, Rel::MemberOf | Rel::WorksFor) {
                        dist.entry(other).or_insert(d);
                    }
                }
            }
        }
        // Size guard: keep the nearest, then best connected.
        let mut dropped = 0;
        if dist.len() > sel.max_nodes {
            // The distinct neighbours drawn.
            let mut seen: Vec<&str> = Vec::new();
            let mut degree = |n: &str| {
                seen.clear();
                seen.extend(at(n).iter().map(|e| e.0).filter(|m| dist.contains_key(m)));
                seen.sort_unstable();
                seen.dedup();
                seen.len()
            };
            let mut ranked: Vec<(usize, usize, NodeKind, &str)> = dist
                .iter()
                .map(|(n, d)| (*d, degree(n), kind_of[*n], *n))
                .collect();
            ranked.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(b.1.cmp(&a.1))
                    .then(a.2.cmp(&b.2))
                    .then(a.3.cmp(b.3))
            });
            let mut by_kind: BTreeMap<NodeKind, usize> = BTreeMap::new();
            for (_, _, k, n) in ranked.iter().skip(sel.max_nodes) {
                *by_kind.entry(*k).or_default() += 1;
                dist.remove(n);
            }
            dropped = ranked.len() - sel.max_nodes;
            let what: Vec<String> = by_kind
                .iter()
                .map(|(k, n)| format!("{n} {}", plural(k.name(), *n)))
                .collect();
            notes.push(format!(
                "{dropped} of {} nodes not drawn (the least connected: {}). Narrow the picture: \
                 newsgraph render --focus NAME, --kinds, --since/--until or --article; or raise --max-nodes.",
                ranked.len(),
                what.join(", ")
            ));
        }
        let kept: FastSet<&str> = dist.keys().copied().collect();
        let mut edges: Vec<(&str, &str, Rel)> = self
            .edges
            .iter()
            .filter(|(a, b, _)| kept.contains(&**a) && kept.contains(&**b))
            .map(|(a, b, r)| (&**a, &**b, *r))
            .collect();
        // "X from C" says nothing when X is a member of an agency of C, drawn too.
        let served: BTreeSet<(&str, &str)> = edges
            .iter()
            .filter(|e| e.2 == Rel::AreaServed)
            .map(|e| (e.0, e.1))
            .collect();
        let member: Vec<(&str, &str)> = edges
            .iter()
            .filter(|e| e.2 == Rel::MemberOf)
            .map(|e| (e.0, e.1))
            .collect();
        edges.retain(|(p, c, r)| {
            *r != Rel::Nationality
                || !member
                    .iter()
                    .any(|(q, a)| q == p && served.contains(&(*a, *c)))
        });
        let mut order: Vec<(NodeKind, String, &str)> = kept
            .iter()
            .map(|n| {
                let k = self.kinds[*n];
                (k, self.display_label(n, k).to_lowercase(), *n)
            })
            .collect();
        order.sort();
        let index: BTreeMap<&str, usize> =
            order.iter().enumerate().map(|(i, o)| (o.2, i)).collect();
        let nodes: Vec<Node> = order
            .iter()
            .map(|(k, _, n)| Node {
                iri: n.to_string(),
                label: self.display_label(n, *k),
                kind: *k,
                attrs: self.attrs(n, *k),
            })
            .collect();
        let mut edges: Vec<Edge> = edges
            .iter()
            .map(|(a, b, r)| Edge {
                from: index[a],
                to: index[b],
                rel: *r,
            })
            .collect();
        edges.sort();
        let mut title = if focus.is_empty() {
            "newsgraph".to_string()
        } else {
            let names: Vec<String> = focus
                .iter()
                .map(|f| self.display_label(f, self.kinds[*f]))
                .collect();
            format!("{} (depth {})", names.join(", "), sel.depth)
        };
        match (sel.since, sel.until) {
            (Some(s), Some(u)) => title.push_str(&format!(", meetings {s} to {u}")),
            (Some(s), None) => title.push_str(&format!(", meetings from {s}")),
            (None, Some(u)) => title.push_str(&format!(", meetings until {u}")),
            (None, None) => {}
        }
        Picture {
            title,
            nodes,
            edges,
            dropped,
            notes,
        }
    }
}

/// Whether `a` becomes `b` by changing, adding or removing one character.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let pre = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[pre + 1.min(short.len() - pre)..] == long[pre + 1.min(long.len() - pre)..]
    } else {
        short[pre..] == long[pre + 1..]
    }
}

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_string()
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode, Term};

    fn q(s: &str, p: &str, o: Term, g: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(s),
            NamedNode::new_unchecked(p),
            o,
            NamedNode::new_unchecked(g),
        )
    }

    fn iri(s: &str) -> Term {
        NamedNode::new_unchecked(s).into()
    }

    fn sample() -> Vec<Quad> {
        let g = format!("{ARTICLE_BASE}a1");
        let h = format!("{ARTICLE_BASE}a2");
        let t = rdf::TYPE.as_str();
        let l = rdfs::LABEL.as_str();
        let mut v = vec![
            q("x:m1", t, iri(ng::MEETING.as_str()), &g),
            q("x:m1", t, iri(ng::VISIT.as_str()), &g),
            q(
                "x:m1",
                l,
                Literal::new_simple_literal("Visit of Faiz Hameed to Kabul, 2021-09-04").into(),
                &g,
            ),
            q(
                "x:m1",
                schema::START_DATE.as_str(),
                Literal::new_simple_literal("2021-09-04").into(),
                &g,
            ),
            q("x:m1", schema::ATTENDEE.as_str(), iri("x:a"), &g),
            q("x:m1", schema::ORGANIZER.as_str(), iri("x:a"), &g),
            q("x:m1", schema::ATTENDEE.as_str(), iri("x:b"), &g),
            q("x:a", t, iri(ng::OFFICIAL.as_str()), &g),
            q(
                "x:a",
                l,
                Literal::new_simple_literal("Faiz Hameed").into(),
                &g,
            ),
            q(
                "x:a",
                skos::ALT_LABEL.as_str(),
                Literal::new_simple_literal("Faiz Hamid").into(),
                &g,
            ),
            q(
                "x:a",
                schema::JOB_TITLE.as_str(),
                Literal::new_simple_literal("director general").into(),
                &g,
            ),
            q(
                "x:a",
                schema::JOB_TITLE.as_str(),
                Literal::new_simple_literal("Director General").into(),
                &h,
            ),
            q("x:a", schema::MEMBER_OF.as_str(), iri("x:isi"), &g),
            q("x:isi", t, iri(ng::AGENCY.as_str()), &g),
            q("x:isi", l, Literal::new_simple_literal("ISI").into(), &g),
            q("x:b", t, iri(ng::COUNTRY.as_str()), &g),
            q("x:b", l, Literal::new_simple_literal("China").into(), &g),
            q("x:m2", t, iri(ng::MEETING.as_str()), &h),
            q("x:m2", l, Literal::new_simple_literal("Talks").into(), &h),
            q(
                "x:m2",
                schema::START_DATE.as_str(),
                Literal::new_simple_literal("2022-01-01").into(),
                &h,
            ),
            q("x:m2", schema::ATTENDEE.as_str(), iri("x:b"), &h),
            q("x:c", t, iri(ng::COUNTRY.as_str()), &h),
            q("x:c", l, Literal::new_simple_literal("Chad").into(), &h),
            q("x:m2", schema::ATTENDEE.as_str(), iri("x:c"), &h),
        ];
        v.sort_by_cached_key(|q| q.to_string());
        v
    }

    #[test]
    fn pieces_gathered_give_the_facts_of_reading_them_all_at_once() {
        let h = format!("{ARTICLE_BASE}a2");
        let mut quads = sample();
        // A second label and kind read later: the first label and the lowest kind stay.
        quads.push(q(
            "x:a",
            rdfs::LABEL.as_str(),
            Literal::new_simple_literal("F. Hameed").into(),
            &h,
        ));
        quads.push(q("x:a", rdf::TYPE.as_str(), iri(ng::PERSON.as_str()), &h));
        quads.push(q("x:m2", schema::ATTENDEE.as_str(), iri("x:a"), &h));
        let whole = Facts::from_quads(&quads, None);
        for size in [1, 3, 7, quads.len()] {
            let mut gathering = Gathering::default();
            for piece in quads.chunks(size) {
                let mut f = Facts::reading(None);
                for x in piece {
                    f.add(x);
                }
                gathering.absorb(f);
            }
            let gathered = gathering.into_facts().finish();
            assert_eq!(
                format!("{gathered:?}"),
                format!("{whole:?}"),
                "pieces of {size}"
            );
        }
        let drawn = |f: &Facts| format!("{:?}", f.picture(&Selection::default()));
        let mut gathering = Gathering::for_drawing();
        for piece in quads.chunks(2) {
            let mut f = Facts::reading(None).for_drawing();
            for x in piece {
                f.add(x);
            }
            gathering.absorb(f);
        }
        assert_eq!(drawn(&gathering.into_facts().finish()), drawn(&whole));
    }

    #[test]
    fn spellings_one_letter_apart() {
        assert!(one_edit_apart("defence minister", "defense minister"));
        assert!(one_edit_apart(
            "national security adviser",
            "national security advisor"
        ));
        assert!(one_edit_apart("minister", "ministers"));
        assert!(!one_edit_apart("minister", "mister"));
        assert!(!one_edit_apart("president", "resident x"));
        assert!(one_edit_apart("same", "same"));
    }

    #[test]
    fn hosts_are_one_edge_and_dates_are_attributes() {
        let f = Facts::from_quads(&sample(), None);
        let p = f.picture(&Selection::default());
        assert_eq!(p.nodes.len(), 6);
        let m1 = p.nodes.iter().position(|n| n.iri == "x:m1").unwrap_or(99);
        assert_eq!(p.nodes[m1].label, "Visit of Faiz Hameed to Kabul");
        assert_eq!(p.nodes[m1].attrs, vec!["visit · 2021-09-04".to_string()]);
        let a = p.nodes.iter().position(|n| n.iri == "x:a").unwrap_or(99);
        assert_eq!(p.nodes[a].attrs, vec!["Director General".to_string()]);
        let to_m1: Vec<Rel> = p
            .edges
            .iter()
            .filter(|e| e.to == m1 && e.from == a)
            .map(|e| e.rel)
            .collect();
        assert_eq!(to_m1, vec![Rel::Hosted]);
    }

    #[test]
    fn focus_depth_dates_kinds_article_and_guard() {
        let f = Facts::from_quads(&sample(), None);
        assert_eq!(f.find("faiz hamid"), vec!["x:a".to_string()]);
        assert_eq!(f.find("hameed"), vec!["x:a".to_string()]);
        assert!(f.find("nobody").is_empty());
        // A part of a name means the entity, not the meetings named after it.
        assert_eq!(f.find("kabul"), vec!["x:m1".to_string()]);
        assert_eq!(f.main_meeting().as_deref(), Some("x:m1"));
        let iris = |p: &Picture| p.nodes.iter().map(|n| n.iri.clone()).collect::<Vec<_>>();
        let sel = Selection {
            focus: vec!["x:m2".into()],
            ..Selection::default()
        };
        let p = f.picture(&sel);
        assert_eq!(iris(&p), vec!["x:m2", "x:c", "x:b"]); // Chad before China
        let p = f.picture(&Selection {
            depth: 2,
            ..sel.clone()
        });
        assert!(iris(&p).contains(&"x:m1".to_string()));
        let p = f.picture(&Selection {
            until: NaiveDate::from_ymd_opt(2021, 12, 31),
            ..Selection::default()
        });
        assert!(!iris(&p).contains(&"x:m2".to_string()));
        assert!(
            iris(&p).contains(&"x:isi".to_string()),
            "the attendee's agency"
        );
        let p = f.picture(&Selection {
            kinds: Some([NodeKind::Meeting, NodeKind::Country].into()),
            ..Selection::default()
        });
        assert_eq!(p.nodes.len(), 4);
        let g = Facts::from_quads(&sample(), Some("a2"));
        assert_eq!(g.picture(&Selection::default()).nodes.len(), 4);
        let p = f.picture(&Selection {
            max_nodes: 3,
            ..Selection::default()
        });
        assert_eq!((p.nodes.len(), p.dropped), (3, 3));
        assert!(p.notes[0].contains("--focus"), "{:?}", p.notes);
    }

    #[test]
    fn facts_for_drawing_draw_the_same_pictures_without_names() {
        let named = Facts::from_quads(&sample(), None);
        let mut f = Facts::reading(None).for_drawing();
        for q in &sample() {
            f.add(q);
        }
        let f = f.finish();
        assert!(f.find("faiz hamid").is_empty());
        assert_eq!(f.find("x:a"), vec!["x:a".to_string()]);
        for sel in [
            Selection::default(),
            Selection {
                focus: vec!["x:m2".into()],
                depth: 2,
                ..Selection::default()
            },
        ] {
            assert_eq!(
                format!("{:?}", f.picture(&sel)),
                format!("{:?}", named.picture(&sel))
            );
        }
        assert_eq!(f.main_meeting(), named.main_meeting());
    }

    #[test]
    fn a_focused_picture_keeps_the_nearest_nodes_of_meetings_drawn_whole() {
        let f = Facts::from_quads(&sample(), None);
        let sorted = |p: &Picture| {
            let mut v: Vec<String> = p.nodes.iter().map(|n| n.iri.clone()).collect();
            v.sort();
            v
        };
        // m2 → China → m1 (depth 2); m1 drawn whole brings its host, and his agency.
        let sel = Selection {
            focus: vec!["x:m2".into()],
            depth: 2,
            ..Selection::default()
        };
        let all = f.picture(&sel);
        assert_eq!(
            sorted(&all),
            vec!["x:a", "x:b", "x:c", "x:isi", "x:m1", "x:m2"]
        );
        // The guard drops the farthest first: the agency (4 steps away), then the host (3).
        let p = f.picture(&Selection {
            max_nodes: 4,
            ..sel
        });
        assert_eq!(sorted(&p), vec!["x:b", "x:c", "x:m1", "x:m2"]);
        assert_eq!(p.dropped, 2);
    }
}
