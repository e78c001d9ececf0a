//! Agencies and organisations found by rule: acronym definitions in either order
//! ("Inter-Services Intelligence (ISI)", "the FSB (Federal Security Service)"), names built
//! on a head noun ("Russian Security Council", "Ministry of Foreign Affairs of Iran"), and
//! every later use of a defined acronym. A country inside the name or before it with a
//! possessive becomes the agency's country.

use super::names::{tokens, Tok};
use super::{Doc, Extractor, Found};
use crate::lexicon::{Form, Hit};
use crate::model::EntityKind;
use crate::text::is_word_bounded;
use std::ops::Range;

/// Finds agencies and organisations by rule.
pub struct Agencies;

/// Head nouns of state bodies.
const AGENCY_HEADS: &[&str] = &[
    "Ministry",
    "Department",
    "Agency",
    "Council",
    "Directorate",
    "Bureau",
    "Service",
    "Services",
    "Army",
    "Navy",
    "Intelligence",
    "Committee",
    "Commission",
    "Police",
    "Guard",
    "Guards",
    "Corps",
    "Parliament",
    "Assembly",
    "Senate",
    "Office",
    "Forces",
    "Force",
    "Command",
    "Secretariat",
    "Cabinet",
    "Administration",
    "Authority",
    "Gendarmerie",
    "Inspectorate",
    "Duma",
    "Congress",
    "Court",
    "Government",
    "Presidency",
    "Kremlin",
];

/// Head nouns of other organisations.
const ORG_HEADS: &[&str] = &[
    "Party",
    "Movement",
    "Front",
    "Group",
    "Network",
    "Foundation",
    "Institute",
    "University",
    "Bank",
    "Company",
    "Corporation",
    "News",
    "Times",
    "Post",
    "Television",
    "TV",
    "Radio",
    "Brigade",
    "Brigades",
    "Organisation",
    "Organization",
    "Association",
    "Union",
    "League",
    "Alliance",
    "Federation",
    "Tribune",
    "Herald",
    "Journal",
    "Gazette",
    "Express",
];

/// Words that may join capitalised words inside a name.
const CONNECTORS: &[&str] = &["of", "for", "and", "on", "the", "&"];

/// Capitalised words that never start a name.
const NOT_NAME_START: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "For",
    "And",
    "But",
    "Also",
    "Earlier",
    "Later",
    "Meanwhile",
    "However",
    "According",
    "Last",
    "Next",
    "When",
    "While",
    "After",
    "Before",
    "During",
    "Since",
    "If",
    "As",
    "By",
    "From",
    "To",
    "With",
    "It",
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "Former",
    "Notably",
];

impl Extractor for Agencies {
    fn name(&self) -> &'static str {
        "agencies"
    }

    fn extract(&self, doc: &Doc<'_>, found: &mut Found) {
        acronym_definitions(doc, found);
        head_noun_names(doc, found);
        acronym_uses(doc, found);
    }
}

/// Runs of capitalised words (with connectors inside) in a sentence.
fn capitalized_runs(text: &str, sent: Range<usize>) -> Vec<Vec<Tok>> {
    runs_of(text, &tokens(text, sent))
}

/// Runs of capitalised words (with connectors inside) among a sentence's words.
fn runs_of(text: &str, toks: &[Tok]) -> Vec<Vec<Tok>> {
    let mut runs = Vec::new();
    let mut cur: Vec<Tok> = Vec::new();
    for t in toks {
        let w = t.text(text);
        let joined = cur
            .last()
            .is_none_or(|p: &Tok| text[p.range.end..t.range.start].trim().is_empty());
        let cap = t.is_capitalized(text);
        let connector = !cap && !cur.is_empty() && CONNECTORS.contains(&w) && cur.len() < 10;
        if joined && (cap || connector) {
            cur.push(t.clone());
        } else {
            close(text, &mut cur, &mut runs);
            if cap {
                cur.push(t.clone());
            }
        }
    }
    close(text, &mut cur, &mut runs);
    runs
}

fn close(text: &str, cur: &mut Vec<Tok>, runs: &mut Vec<Vec<Tok>>) {
    while cur.last().is_some_and(|t| !t.is_capitalized(text)) {
        cur.pop();
    }
    if !cur.is_empty() {
        runs.push(std::mem::take(cur));
    }
}

fn head_kind(word: &str) -> Option<EntityKind> {
    let w = crate::text::without_possessive(word);
    if AGENCY_HEADS.contains(&w) {
        Some(EntityKind::Agency)
    } else if ORG_HEADS.contains(&w) {
        Some(EntityKind::Organization)
    } else {
        None
    }
}

/// Whether the acronym's letters are the initials of `words`, in order (hyphenated parts
/// count as words; connectors may be skipped).
fn initials_match(acronym: &str, words: &[&str]) -> bool {
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let parts: Vec<&str> = words
        .iter()
        .flat_map(|w| w.split('-'))
        .filter(|p| !p.is_empty())
        .collect();
    // Every capitalised part must be used, in order; connectors may be used or skipped.
    fn go(letters: &[char], parts: &[&str]) -> bool {
        match (letters.first(), parts.first()) {
            (None, None) => true,
            (_, None) => false,
            (l, Some(p)) => {
                let first = p.chars().next().map(|c| c.to_ascii_uppercase());
                let connector = CONNECTORS.contains(p);
                let used = l.is_some() && first == l.copied() && go(&letters[1..], &parts[1..]);
                used || (connector && go(letters, &parts[1..]))
            }
        }
    }
    letters.len() >= 2 && go(&letters, &parts)
}

/// Words that make a name a state body whatever its head noun ("National Intelligence
/// Organisation").
const STATE_WORDS: &[&str] = &[
    "Intelligence",
    "Security",
    "Defence",
    "Defense",
    "Police",
    "Military",
    "Armed",
    "Ministry",
    "Army",
    "Navy",
    "Counter-Terrorism",
    "Counterterrorism",
    "Border",
    "Customs",
    "Interior",
];

fn kind_of_name(words: &[&str]) -> Option<EntityKind> {
    let head = words.iter().rev().find_map(|w| head_kind(w))?;
    if words.iter().any(|w| STATE_WORDS.contains(w)) {
        return Some(EntityKind::Agency);
    }
    Some(head)
}

/// "Long Name (ACR)" and "ACR (Long Name)".
fn acronym_definitions(doc: &Doc<'_>, found: &mut Found) {
    let text = doc.text;
    for sent in doc.sentences.clone() {
        let s = &text[sent.clone()];
        let mut from = 0;
        while let Some(open) = s[from..].find('(') {
            let open = sent.start + from + open;
            let Some(close_rel) = text[open..sent.end].find(')') else {
                break;
            };
            let close = open + close_rel;
            from = close - sent.start;
            let inner = text[open + 1..close].trim();
            let is_acr = (2..=10).contains(&inner.chars().count())
                && inner.chars().next().is_some_and(char::is_uppercase)
                && inner.chars().filter(|c| c.is_uppercase()).count() >= 2
                && !inner.contains(' ');
            if is_acr {
                define_before(doc, found, &sent, open, open + 1..close, inner);
            } else {
                define_after(doc, found, &sent, open + 1..close, inner);
            }
        }
    }
}

fn define_before(
    doc: &Doc<'_>,
    found: &mut Found,
    sent: &Range<usize>,
    open: usize,
    acr_range: Range<usize>,
    acr: &str,
) {
    let text = doc.text;
    // The long form ends right before the parenthesis.
    let runs = capitalized_runs(text, sent.start..open);
    let Some(run) = runs.last() else { return };
    if text[run.last().map_or(open, |t| t.range.end)..open].trim() != "" {
        return;
    }
    // A known body's acronym in another language ("National Intelligence Organisation
    // (MIT)"): the name right before it, built on a head noun, is that body.
    let known = found
        .at(acr_range.start)
        .filter(|s| s.range == acr_range)
        .map(|s| s.entity)
        .filter(|&e| {
            matches!(
                found.out.entities[e].kind,
                EntityKind::Agency | EntityKind::Organization
            )
        });
    if let Some(e) = known {
        let from = run
            .iter()
            .rposition(|t| {
                let w = t.text(text);
                w.ends_with("'s") || w.ends_with("’s")
            })
            .map_or(0, |i| i + 1);
        let words: Vec<&str> = run[from..].iter().map(|t| t.text(text)).collect();
        let all_initials = (0..run.len()).any(|k| {
            let w: Vec<&str> = run[k..].iter().map(|t| t.text(text)).collect();
            initials_match(acr, &w)
        });
        if !all_initials && words.len() >= 2 && words.last().is_some_and(|w| head_kind(w).is_some())
        {
            let r = run[from].range.start..run[run.len() - 1].range.end;
            if !found.overlaps(&r) {
                found.mention(doc, e, r, true);
            }
            return;
        }
    }
    // Try the longest suffix of the run whose initials give the acronym.
    for k in 0..run.len() {
        let words: Vec<&str> = run[k..].iter().map(|t| t.text(text)).collect();
        if CONNECTORS.contains(&words[0]) || !initials_match(acr, &words) {
            continue;
        }
        let r = run[k].range.start..run[run.len() - 1].range.end;
        let long = &text[r.clone()];
        if matches!(doc.lex.lookup(long), Some(Hit::Title(_))) {
            return; // "Chief of the Army Staff (COAS)": a title, not a body
        }
        let e = match found.at(r.start).filter(|s| s.range == r) {
            Some(s) => s.entity,
            None => {
                if found.overlaps(&r) {
                    // A lexicon name inside a longer name: the longer name wins only for
                    // agencies/organisations built on a head noun.
                    if head_kind(words[words.len() - 1]).is_none() {
                        return;
                    }
                }
                // Without a head noun ("Belt and Road Initiative (BRI)") the long form may
                // be a project, a place or a treaty: not an organisation by itself.
                // The acronym is a known body ("National Intelligence Organisation (MIT)"):
                // the long form, in whatever spelling, names it too.
                if let Some(known) = found
                    .at(acr_range.start)
                    .filter(|s| s.range == acr_range)
                    .map(|s| s.entity)
                {
                    found.mention(doc, known, r, true);
                    return;
                }
                let Some(kind) = kind_of_name(&words) else {
                    return;
                };
                found.add(doc, kind, long, None, r)
            }
        };
        link_acronym(doc, found, e, acr, acr_range);
        return;
    }
}

fn define_after(
    doc: &Doc<'_>,
    found: &mut Found,
    sent: &Range<usize>,
    inner_range: Range<usize>,
    inner: &str,
) {
    let text = doc.text;
    let words: Vec<&str> = inner.split_whitespace().collect();
    if words.len() < 2
        || !words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) || CONNECTORS.contains(w))
    {
        return;
    }
    // The acronym right before "(".
    let before = text[sent.start..inner_range.start - 1].trim_end();
    let acr: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if acr.chars().filter(|c| c.is_uppercase()).count() < 2 || !initials_match(&acr, &words) {
        return;
    }
    let acr_start = sent.start + before.len() - acr.len();
    let lead = text[inner_range.clone()].len() - text[inner_range.clone()].trim_start().len();
    let r = inner_range.start + lead..inner_range.start + lead + inner.len();
    let e = match found.at(r.start) {
        Some(s) => s.entity,
        None => {
            let Some(kind) = kind_of_name(&words) else {
                return;
            };
            found.add(doc, kind, inner, None, r)
        }
    };
    link_acronym(doc, found, e, &acr, acr_start..acr_start + acr.len());
}

fn link_acronym(doc: &Doc<'_>, found: &mut Found, e: usize, acr: &str, r: Range<usize>) {
    if !found.out.entities[e].acronyms.iter().any(|a| a == acr) {
        found.out.entities[e].acronyms.push(acr.to_string());
    }
    if found.at(r.start).is_none() {
        found.mention(doc, e, r, true);
    }
}

/// Every later use of an acronym defined in the article.
fn acronym_uses(doc: &Doc<'_>, found: &mut Found) {
    let text = doc.text;
    let body = doc.article.body.clone();
    let defs: Vec<(usize, String)> = found
        .out
        .entities
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.acronyms.iter().map(move |a| (i, a.clone())))
        .collect();
    for (e, acr) in defs {
        let mut from = body.start;
        while let Some(p) = text[from..body.end].find(acr.as_str()) {
            let r = from + p..from + p + acr.len();
            from = r.end;
            if is_word_bounded(text, r.start, r.end) && !found.overlaps(&r) {
                found.mention(doc, e, r, true);
            }
        }
    }
}

/// Names built on a head noun: "Russian Security Council", "Ministry of Foreign Affairs of
/// Iran", "Pakistan Army".
fn head_noun_names(doc: &Doc<'_>, found: &mut Found) {
    let text = doc.text;
    for si in 0..doc.sentences.len() {
        let mut runs = Vec::new();
        for run in runs_of(text, doc.words(si)) {
            // "… Central Committee and Director of …": a title after "and" starts anew.
            let mut start = 0;
            for k in 0..run.len() {
                let next_is_title = run
                    .get(k + 1)
                    .is_some_and(|t| matches!(doc.lex.lookup(t.text(text)), Some(Hit::Title(_))));
                // "… Military Cooperation Major General Yevgeny Ilyin": a rank ends the name.
                let rank_here = k > 0
                    && matches!(
                        doc.lex.lookup(run[k].text(text)),
                        Some(Hit::Title(i)) if doc.lex.titles[i].kind == "rank"
                    );
                if rank_here {
                    runs.push(run[start..k].to_vec());
                    start = k;
                    continue;
                }
                if run[k].text(text) == "and" && next_is_title {
                    runs.push(run[start..k].to_vec());
                    start = k + 1;
                }
            }
            runs.push(run[start..].to_vec());
        }
        for run in runs {
            let mut run: &[Tok] = &run;
            while run
                .first()
                .is_some_and(|t| NOT_NAME_START.contains(&t.text(text)))
            {
                run = &run[1..];
            }
            if run.len() < 2 {
                continue;
            }
            // Cut the run after its last head noun, keeping "of <Country>" after it.
            let Some(h) = run.iter().rposition(|t| head_kind(t.text(text)).is_some()) else {
                continue;
            };
            let mut end = h + 1;
            // "Ministry of Foreign Affairs (of Iran)", "Department for Foreign Affairs": the
            // whole capitalised run after "of"/"for" belongs to the name.
            if run.len() >= end + 2
                && matches!(run[end].text(text), "of" | "for")
                && run[end + 1].text(text) != "the"
                && found
                    .at(run[end + 1].range.start)
                    .is_none_or(|s| found.out.entities[s.entity].kind != EntityKind::Country)
            {
                end = run.len();
            } else if run.len() >= end + 2 && run[end].text(text) == "of" {
                if let Some(s) = found.at(run[end + 1].range.start) {
                    if found.out.entities[s.entity].kind == EntityKind::Country {
                        end = run
                            .iter()
                            .position(|t| t.range.end == s.range.end)
                            .map_or(end, |i| i + 1);
                    }
                }
            }
            let body = &run[..end];
            // A title at the start ("Chief of the Army Staff") is not a body.
            if matches!(doc.lex.lookup(body[0].text(text)), Some(Hit::Title(_)))
                || starts_with_title(doc, body, text)
            {
                continue;
            }
            let mut r = body[0].range.start..body[end - 1].range.end;
            let last = body[end - 1].text(text);
            if last.ends_with("'s") || last.ends_with("’s") {
                r.end -= if last.ends_with("'s") { 2 } else { 4 };
            }
            // Already a lexicon name (exactly, or a longer one containing it)?
            if found
                .spans
                .iter()
                .any(|s| s.range.start <= r.start && r.end <= s.range.end)
            {
                continue;
            }
            // A lexicon agency/organisation inside it means the run is not one name.
            let inner_org = found.within(&r).iter().any(|s| {
                matches!(
                    found.out.entities[s.entity].kind,
                    EntityKind::Agency | EntityKind::Organization
                )
            });
            if inner_org {
                continue;
            }
            let words: Vec<&str> = body.iter().map(|t| t.text(text)).collect();
            let Some(kind) = kind_of_name(&words) else {
                continue;
            };
            let name = text[r.clone()].to_string();
            // A country named inside ("Russian Security Council", "Ministry ... of Iran").
            let country = found.within(&r).iter().find_map(|s| {
                (found.out.entities[s.entity].kind == EntityKind::Country).then_some(s.entity)
            });
            let e = found.add(doc, kind, &name, None, r);
            if found.out.entities[e].country.is_none() {
                found.out.entities[e].country = country;
            }
        }
    }
}

fn starts_with_title(doc: &Doc<'_>, body: &[Tok], text: &str) -> bool {
    let start = body[0].range.start;
    let end = body[body.len() - 1].range.end;
    doc.lex
        .find_all(&text[start..end])
        .next()
        .is_some_and(|(r, h)| {
            r.start == 0 && matches!(h, Hit::Title(_)) && {
                // "Security Council" is not a title; "Chief of ..." is.
                let t = &text[start..start + r.end];
                !matches!(doc.lex.lookup(t), Some(Hit::Entity(_, Form::Name)))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::initials_match;
    use crate::extract::testutil::{assert_invariants, ent, run};
    use crate::model::EntityKind;

    #[test]
    fn initials() {
        assert!(initials_match("ISI", &["Inter-Services", "Intelligence"]));
        assert!(initials_match(
            "MFA",
            &["Ministry", "of", "Foreign", "Affairs"]
        ));
        assert!(initials_match(
            "MoFA",
            &["Ministry", "of", "Foreign", "Affairs"]
        ));
        assert!(!initials_match("CIA", &["Federal", "Security", "Service"]));
    }

    #[test]
    fn acronym_defined_after_the_name() {
        let t = "The Zorland Frontier Directorate (ZFD) said. Later the ZFD denied it.";
        let x = run(t);
        assert_invariants(t, &x);
        let e = ent(&x, "Zorland Frontier Directorate");
        assert_eq!(e.map(|c| c.kind), Some(EntityKind::Agency));
        assert_eq!(e.map(|c| c.mentions.len()), Some(3));
    }

    #[test]
    fn acronym_defined_before_the_name() {
        let t = "Officials of the ZFD (Zorland Frontier Directorate) met.";
        let x = run(t);
        assert_invariants(t, &x);
        let e = ent(&x, "ZFD");
        assert_eq!(
            e.map(|c| c.name.as_str()),
            Some("Zorland Frontier Directorate")
        );
    }

    #[test]
    fn head_noun_with_demonym_gets_a_country() {
        let t = "The Kazakh Frontier Directorate met on Monday.";
        let x = run(t);
        assert_invariants(t, &x);
        let e = ent(&x, "Kazakh Frontier Directorate");
        assert_eq!(e.map(|c| c.kind), Some(EntityKind::Agency));
        let c = e
            .and_then(|c| c.country)
            .map(|i| x.entities[i].name.as_str());
        assert_eq!(c, Some("Kazakhstan"));
    }

    #[test]
    fn ministry_of_x() {
        let t = "A statement from the Ministry of Foreign Affairs of Kazakhstan said so.";
        let x = run(t);
        let e = ent(&x, "Ministry of Foreign Affairs of Kazakhstan");
        assert_eq!(e.map(|c| c.kind), Some(EntityKind::Agency));
        assert!(e.and_then(|c| c.country).is_some());
    }

    #[test]
    fn a_rank_ends_an_agency_name() {
        let x = run("It was the Main Directorate of Zorland Cooperation Major General Ivan Petrov who spoke.");
        assert!(x.entities.iter().all(|c| !c.name.contains("Major")));
    }

    #[test]
    fn long_form_of_a_known_acronym_names_it() {
        let t = "Turkey's National Intelligence Organisation (MIT) said so.";
        let x = run(t);
        let mit = ent(&x, "MIT");
        assert!(mit.is_some_and(|c| c
            .mentions
            .iter()
            .any(|m| m.text == "National Intelligence Organisation")));
    }

    #[test]
    fn titles_are_not_bodies() {
        let x = run("He met Chief of the Army Staff (COAS) Gen Asim Munir.");
        assert!(x.entities.iter().all(|c| !c.name.starts_with("Chief")));
    }
}
