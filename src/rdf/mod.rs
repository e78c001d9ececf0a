//! The one mapping from the merged model to RDF: the contract's schema.org face, NIF
//! mentions, the project's ontology classes, and the merger's graph. IRIs are spelled here
//! and in `vocab`; no I/O, no heuristics.

mod order;
mod stmts;
mod stream;
pub mod vocab;

pub use stmts::Stmts;
pub use stream::Pieces;

use crate::model::{
    ArticleGraph, Candidate, Entity, EntityKind, EventDate, KnowledgeGraph, Meeting, MeetingKind,
    Mention,
};
use oxigraph::model::{Literal, NamedNode, Quad, Term};
use vocab::*;

/// Percent-encodes a string for use in an IRI path segment.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_segment(&mut out, s);
    out
}

/// Appends `s` percent-encoded for an IRI path segment.
fn push_segment(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// The IRI of an article (also its graph's name).
pub fn article_iri(id: &str) -> NamedNode {
    let mut iri = String::with_capacity(ARTICLE_BASE.len() + id.len());
    iri.push_str(ARTICLE_BASE);
    push_segment(&mut iri, id);
    NamedNode::new_unchecked(iri)
}

/// The IRI of a merged entity or meeting id (`person/faiz-hameed`): each segment
/// percent-encoded.
pub fn entity_iri(id: &str) -> NamedNode {
    let mut iri = String::with_capacity(ID_BASE.len() + id.len());
    iri.push_str(ID_BASE);
    for (k, segment) in id.split('/').enumerate() {
        if k > 0 {
            iri.push('/');
        }
        push_segment(&mut iri, segment);
    }
    NamedNode::new_unchecked(iri)
}

/// The entity id back from an IRI, if it is one of ours.
pub fn id_of_iri(iri: &str) -> Option<&str> {
    iri.strip_prefix(ID_BASE)
}

fn mention_iri(article: &NamedNode, m: &Mention) -> NamedNode {
    NamedNode::new_unchecked(format!(
        "{}#char={},{}",
        article.as_str(),
        m.span.begin,
        m.span.end
    ))
}

fn context_iri(article: &NamedNode, len: usize) -> NamedNode {
    NamedNode::new_unchecked(format!("{}#char=0,{len}", article.as_str()))
}

/// The schema.org class and the project's class of an entity kind.
pub fn classes(kind: EntityKind) -> [oxigraph::model::NamedNodeRef<'static>; 2] {
    match kind {
        EntityKind::Official => [schema::PERSON, ng::OFFICIAL],
        EntityKind::Person => [schema::PERSON, ng::PERSON],
        EntityKind::Agency => [schema::GOVERNMENT_ORGANIZATION, ng::AGENCY],
        EntityKind::Organization => [schema::ORGANIZATION, ng::ORGANIZATION],
        EntityKind::Country => [schema::COUNTRY, ng::COUNTRY],
        EntityKind::City => [schema::CITY, ng::CITY],
        EntityKind::Place => [schema::PLACE, ng::PLACE],
    }
}

fn meeting_class(kind: MeetingKind) -> oxigraph::model::NamedNodeRef<'static> {
    match kind {
        MeetingKind::Meet => ng::MEET,
        MeetingKind::Visit => ng::VISIT,
        MeetingKind::HostVisit => ng::HOST_VISIT,
        MeetingKind::Call => ng::PHONE_CALL,
        MeetingKind::Negotiate => ng::NEGOTIATE,
    }
}

struct Out {
    stmts: Stmts,
    /// Put statements in their graph (false: in the default graph, for the union of all
    /// graphs).
    named: bool,
}

impl Out {
    fn new() -> Self {
        Self {
            stmts: Stmts::new(),
            named: true,
        }
    }

    fn add(
        &mut self,
        s: &NamedNode,
        p: oxigraph::model::NamedNodeRef<'static>,
        o: impl Into<Term>,
        g: &NamedNode,
    ) {
        self.stmts.add(s, p, o.into(), self.named.then_some(g));
    }
}

fn lit(s: &str) -> Literal {
    Literal::new_simple_literal(s)
}

fn nonneg(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::NON_NEGATIVE_INTEGER)
}

/// A score in hundredths as an `xsd:decimal` ("0.85", "1.0").
fn score(hundredths: u8) -> Literal {
    let text = if hundredths >= 100 {
        "1.0".to_string()
    } else {
        format!("0.{hundredths:02}")
    };
    Literal::new_typed_literal(text, xsd::DECIMAL)
}

fn date(d: chrono::NaiveDate) -> Literal {
    Literal::new_typed_literal(d.format("%Y-%m-%d").to_string(), xsd::DATE)
}

/// The whole graph as quads, sorted by graph, subject, predicate and object, without
/// duplicates: the same model always gives the same sequence.
pub fn to_quads(kg: &KnowledgeGraph) -> Vec<Quad> {
    let mut out = Out::new();
    for a in &kg.articles {
        article_graph(kg, a, &mut out);
    }
    merged_graph(kg, &mut out);
    sort_quads(out.stmts.into_quads())
}

/// Sorts quads by (graph, subject, predicate, object) and removes duplicates.
pub fn sort_quads(quads: Vec<Quad>) -> Vec<Quad> {
    let mut keyed: Vec<(String, String, String, String, Quad)> = quads
        .into_iter()
        .map(|q| {
            (
                q.graph_name.to_string(),
                q.subject.to_string(),
                q.predicate.to_string(),
                q.object.to_string(),
                q,
            )
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, &a.1, &a.2, &a.3).cmp(&(&b.0, &b.1, &b.2, &b.3)));
    keyed.dedup_by(|a, b| (&a.0, &a.1, &a.2, &a.3) == (&b.0, &b.1, &b.2, &b.3));
    keyed.into_iter().map(|k| k.4).collect()
}

fn article_graph(kg: &KnowledgeGraph, a: &ArticleGraph, out: &mut Out) {
    let (g, ctx) = article_node(a, out);
    for i in 0..a.extraction.entities.len() {
        entity_facts(kg, a, i, &g, out);
        entity_links(a, i, &g, &ctx, Links::All, out);
    }
    for i in 0..a.extraction.meetings.len() {
        meeting_facts(kg, a, i, &g, out);
        meeting_links(a, i, &g, &ctx, Links::All, out);
    }
}

/// Which of an article's links to an entity or meeting to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Links {
    /// `article schema:mentions entity` and the mention nodes.
    All,
    /// `article schema:mentions entity` only.
    Mentions,
    /// The mention nodes only.
    Nodes,
}

/// The article node and its NIF context; returns their IRIs.
fn article_node(a: &ArticleGraph, out: &mut Out) -> (NamedNode, NamedNode) {
    let art = &a.article;
    let g = article_iri(&art.id);
    let len = art.text.chars().count();
    let ctx = context_iri(&g, len);
    out.add(&g, rdf::TYPE, schema::NEWS_ARTICLE, &g);
    out.add(&g, schema::IDENTIFIER, lit(&art.id), &g);
    out.add(&g, schema::NAME, lit(&art.title), &g);
    if let Some(d) = art.published {
        out.add(&g, schema::DATE_PUBLISHED, date(d), &g);
    }
    if let Some(u) = &art.url {
        if let Ok(n) = NamedNode::new(u.clone()) {
            out.add(&g, schema::URL, n, &g);
        } else {
            out.add(&g, schema::URL, lit(u), &g);
        }
    }
    out.add(&g, ng::CONTEXT, ctx.clone(), &g);
    out.add(&g, ng::SOURCE_FILE, lit(&art.source), &g);
    out.add(&ctx, rdf::TYPE, nif::CONTEXT, &g);
    out.add(&ctx, rdf::TYPE, nif::RFC5147_STRING, &g);
    out.add(&ctx, nif::IS_STRING, lit(&art.text), &g);
    out.add(&ctx, nif::BEGIN_INDEX, nonneg(0), &g);
    out.add(&ctx, nif::END_INDEX, nonneg(len), &g);
    out.add(&ctx, prov::WAS_DERIVED_FROM, g.clone(), &g);
    (g, ctx)
}

/// What article `a` says about its entity `i` (quads whose subject is the entity).
fn entity_facts(kg: &KnowledgeGraph, a: &ArticleGraph, i: usize, g: &NamedNode, out: &mut Out) {
    let c = &a.extraction.entities[i];
    let iri_of = |i: usize| entity_iri(&a.entity_ids[i]);
    let e = iri_of(i);
    let merged = kg.entities.get(&*a.entity_ids[i]);
    let kind = merged.map_or(c.kind, |m| m.kind);
    let label = merged.map_or(c.name.as_str(), |m| m.label.as_str());
    for cls in classes(kind) {
        out.add(&e, rdf::TYPE, cls, g);
    }
    out.add(&e, rdfs::LABEL, lit(label), g);
    for form in alt_labels(c, label) {
        out.add(&e, skos::ALT_LABEL, lit(&form), g);
    }
    for t in &c.titles {
        out.add(&e, schema::JOB_TITLE, lit(t), g);
    }
    for &o in &c.affiliations {
        out.add(&e, schema::MEMBER_OF, iri_of(o), g);
    }
    if let Some(k) = c.country {
        let p = match kind {
            EntityKind::Official | EntityKind::Person => Some(schema::NATIONALITY),
            EntityKind::City | EntityKind::Place => Some(schema::CONTAINED_IN_PLACE),
            EntityKind::Agency | EntityKind::Organization => Some(schema::AREA_SERVED),
            EntityKind::Country => None,
        };
        if let Some(p) = p {
            out.add(&e, p, iri_of(k), g);
        }
    }
}

/// The article's link to its entity `i` and the entity's mentions.
fn entity_links(
    a: &ArticleGraph,
    i: usize,
    g: &NamedNode,
    ctx: &NamedNode,
    which: Links,
    out: &mut Out,
) {
    let e = entity_iri(&a.entity_ids[i]);
    if which != Links::Nodes {
        out.add(g, schema::MENTIONS, e.clone(), g);
    }
    if which != Links::Mentions {
        for m in &a.extraction.entities[i].mentions {
            mention(out, g, ctx, m, &e);
        }
    }
}

/// What article `a` says about its meeting `i` (quads whose subject is the meeting).
fn meeting_facts(kg: &KnowledgeGraph, a: &ArticleGraph, i: usize, g: &NamedNode, out: &mut Out) {
    let m = &a.extraction.meetings[i];
    let iri_of = |i: usize| entity_iri(&a.entity_ids[i]);
    let id = &a.meeting_ids[i];
    let e = entity_iri(id);
    let merged = kg.meetings.get(id);
    out.add(&e, rdf::TYPE, schema::EVENT, g);
    out.add(&e, rdf::TYPE, ng::MEETING, g);
    out.add(&e, rdf::TYPE, meeting_class(m.kind), g);
    if let Some(mm) = merged {
        out.add(&e, rdfs::LABEL, lit(&mm.label), g);
        out.add(&e, schema::NAME, lit(&mm.label), g);
    }
    match &m.date {
        Some(EventDate::Day(d)) => out.add(&e, schema::START_DATE, date(*d), g),
        Some(EventDate::Text(t)) => out.add(&e, schema::TEMPORAL_COVERAGE, lit(t), g),
        None => {}
    }
    if let Some(l) = m.location {
        out.add(&e, schema::LOCATION, iri_of(l), g);
    }
    for &h in &m.hosts {
        out.add(&e, schema::ORGANIZER, iri_of(h), g);
    }
    for &p in &m.attendees {
        out.add(&e, schema::ATTENDEE, iri_of(p), g);
    }
}

/// The article's link to its meeting `i` and the meeting's mentions.
fn meeting_links(
    a: &ArticleGraph,
    i: usize,
    g: &NamedNode,
    ctx: &NamedNode,
    which: Links,
    out: &mut Out,
) {
    let e = entity_iri(&a.meeting_ids[i]);
    if which != Links::Nodes {
        out.add(g, schema::MENTIONS, e.clone(), g);
    }
    if which != Links::Mentions {
        for m in &a.extraction.meetings[i].mentions {
            mention(out, g, ctx, m, &e);
        }
    }
}

fn alt_labels(c: &Candidate, label: &str) -> Vec<String> {
    let mut v: Vec<String> = c
        .surface_forms()
        .into_iter()
        .chain(c.acronyms.iter().map(String::as_str))
        .filter(|f| *f != label)
        .map(str::to_string)
        .collect();
    if c.name != label {
        v.push(c.name.clone());
    }
    v.sort();
    v.dedup();
    v
}

fn mention(out: &mut Out, g: &NamedNode, ctx: &NamedNode, m: &Mention, target: &NamedNode) {
    let n = mention_iri(g, m);
    out.add(&n, rdf::TYPE, nif::PHRASE, g);
    out.add(&n, rdf::TYPE, nif::RFC5147_STRING, g);
    out.add(&n, nif::REFERENCE_CONTEXT, ctx.clone(), g);
    out.add(&n, nif::ANCHOR_OF, lit(&m.text), g);
    out.add(&n, nif::BEGIN_INDEX, nonneg(m.span.begin), g);
    out.add(&n, nif::END_INDEX, nonneg(m.span.end), g);
    out.add(&n, itsrdf::TA_IDENT_REF, target.clone(), g);
}

fn merged_graph(kg: &KnowledgeGraph, out: &mut Out) {
    let g = merged_node(kg, out);
    for (id, e) in &kg.entities {
        merged_entity(id, e, &g, EntityPart::All, out);
    }
    for (id, m) in &kg.meetings {
        merged_meeting(id, m, &g, out);
    }
}

/// The merger's graph node (derived from every article); returns the graph's IRI.
fn merged_node(kg: &KnowledgeGraph, out: &mut Out) -> NamedNode {
    let g = NamedNode::new_unchecked(MERGED_GRAPH);
    for a in &kg.articles {
        out.add(&g, prov::WAS_DERIVED_FROM, article_iri(&a.article.id), &g);
    }
    g
}

/// Which statements of a merged entity to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntityPart {
    /// All of them.
    All,
    /// Those about its node (its links to its evidence nodes included); those about its
    /// evidence nodes come from [`merged_evidence`].
    Node,
}

/// A merged entity in the merger's graph, with its merge evidence nodes (`part` of its
/// statements: a large entity has hundreds of thousands of evidence statements).
fn merged_entity(id: &str, e: &Entity, g: &NamedNode, part: EntityPart, out: &mut Out) {
    let n = entity_iri(id);
    merged_entity_node(&n, e, g, out);
    for (k, ev) in e.evidence.iter().enumerate() {
        let x = NamedNode::new_unchecked(format!("{}/evidence/{}", n.as_str(), k + 1));
        if part == EntityPart::Node {
            out.add(&n, ng::EVIDENCE, x, g);
            continue;
        }
        out.add(&n, ng::EVIDENCE, x.clone(), g);
        evidence_node(&x, ev, g, out);
    }
}

/// The evidence nodes `ks` (indexes into its evidence) of a merged entity.
fn merged_evidence(id: &str, e: &Entity, ks: &[u32], g: &NamedNode, out: &mut Out) {
    let n = entity_iri(id);
    for &k in ks {
        if let Some(ev) = e.evidence.get(k as usize) {
            let x = NamedNode::new_unchecked(format!("{}/evidence/{}", n.as_str(), k + 1));
            evidence_node(&x, ev, g, out);
        }
    }
}

/// What the merger says of one evidence node `x`.
fn evidence_node(x: &NamedNode, ev: &crate::model::MergeEvidence, g: &NamedNode, out: &mut Out) {
    out.add(x, rdf::TYPE, ng::MERGE_EVIDENCE, g);
    out.add(x, ng::MERGE_RULE, lit(ev.rule), g);
    out.add(x, ng::MERGE_ARTICLE, article_iri(&ev.article), g);
    out.add(x, ng::MERGE_FORM, lit(&ev.form), g);
    out.add(x, ng::MERGE_SCORE, score(ev.score), g);
    out.add(x, ng::MERGE_WITH, lit(&ev.with_form), g);
    out.add(x, ng::MERGE_WITH_ARTICLE, article_iri(&ev.with_article), g);
    for s in &ev.support {
        out.add(x, ng::MERGE_SUPPORT, lit(s), g);
    }
}

/// What the merger says of an entity's node `n`, its evidence links excepted.
fn merged_entity_node(n: &NamedNode, e: &Entity, g: &NamedNode, out: &mut Out) {
    for cls in classes(e.kind) {
        out.add(n, rdf::TYPE, cls, g);
    }
    out.add(n, rdfs::LABEL, lit(&e.label), g);
    out.add(n, skos::PREF_LABEL, lit(&e.label), g);
    for a in &e.aliases {
        out.add(n, skos::ALT_LABEL, lit(a), g);
    }
    if let Some(q) = &e.wikidata {
        out.add(
            n,
            owl::SAME_AS,
            NamedNode::new_unchecked(format!("{WIKIDATA_BASE}{}", encode_segment(q))),
            g,
        );
    }
    for other in &e.same_as {
        out.add(n, owl::SAME_AS, entity_iri(other), g);
    }
    if let Some(c) = &e.country {
        let p = match e.kind {
            EntityKind::City | EntityKind::Place => schema::CONTAINED_IN_PLACE,
            _ => schema::AREA_SERVED,
        };
        out.add(n, p, entity_iri(c), g);
    }
}

/// A merged meeting in the merger's graph.
fn merged_meeting(id: &str, m: &Meeting, g: &NamedNode, out: &mut Out) {
    let n = entity_iri(id);
    out.add(&n, rdf::TYPE, schema::EVENT, g);
    out.add(&n, rdf::TYPE, ng::MEETING, g);
    out.add(&n, rdf::TYPE, meeting_class(m.kind), g);
    out.add(&n, rdfs::LABEL, lit(&m.label), g);
    if let Some(d) = m.date {
        out.add(&n, schema::START_DATE, date(d), g);
    }
    for other in &m.same_as {
        out.add(&n, owl::SAME_AS, entity_iri(other), g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("a b/c#d"), "a%20b%2Fc%23d");
        assert_eq!(encode_segment("é\u{7f}~"), "%C3%A9%7F~");
        assert_eq!(
            entity_iri("person/a b/é").as_str(),
            "https://w3id.org/newsgraph/id/person/a%20b/%C3%A9"
        );
        assert_eq!(
            entity_iri("person/faiz-hameed").as_str(),
            "https://w3id.org/newsgraph/id/person/faiz-hameed"
        );
        assert_eq!(
            article_iri("é").as_str(),
            "https://w3id.org/newsgraph/article/%C3%A9"
        );
    }
}
