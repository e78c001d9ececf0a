//! People and officials found from context: titles and ranks before a name ("Lt Gen Faiz
//! Hameed", "CIA chief William Burns"), possessives ("Pakistan's army chief Gen X"),
//! appositives ("X, the chief of Y"), speech verbs ("…, X said"), known given names, later
//! surname-only mentions, and descriptive references ("the ISI DG") to a known official.

use super::names::{tokens, word_key, Tok};
use super::{Doc, Extractor, Found};
use crate::lexicon::Hit;
use crate::model::EntityKind;
use crate::text::is_word_bounded;
use std::ops::Range;

/// Finds people and officials.
pub struct People;

/// Capitalised words that are never part of a person's name.
const NOT_NAME: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "On",
    "In",
    "At",
    "For",
    "And",
    "But",
    "Or",
    "Of",
    "To",
    "From",
    "With",
    "By",
    "As",
    "After",
    "Before",
    "During",
    "When",
    "While",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Also",
    "Earlier",
    "Later",
    "Meanwhile",
    "However",
    "According",
    "Last",
    "Next",
    "Photo",
    "File",
    "Reuters",
    "AFP",
    "AP",
    "Said",
    "Says",
    "Told",
    "General",
    "Chief",
    "Minister",
    "President",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Former",
    "Some",
    "Many",
    "All",
    "Both",
    "Each",
    "Other",
    "Such",
    "Several",
    "There",
    "Here",
    "Then",
    "Now",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Islamic",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Central",
    "Joint",
    "Special",
    "National",
    "International",
    "Foreign",
    "Federal",
    // Verbs and prepositions of Title Case headlines ("Wang Yi Meets Sullivan").
    "Meets",
    "Meet",
    "Hosts",
    "Host",
    "Holds",
    "Hold",
    "Receives",
    "Receive",
    "Visits",
    "Visit",
    "Says",
    "Calls",
    "Call",
    "Talks",
    "Discusses",
    "Discuss",
    "Urges",
    "Warns",
    "Agree",
    "Agrees",
    "Signs",
    "Sign",
    "Vows",
    "Over",
    "Amid",
    "Ahead",
    "Seeks",
    "Backs",
    "Slams",
    "Rejects",
    "Welcomes",
    "Arrives",
    "Leaves",
    "Heads",
    "Travels",
    "Pledges",
    "Eyes",
    // Words of institutions that end a title ("Minister of State Security Chen Yixin").
    "Security",
    "State",
    "Affairs",
    "Defence",
    "Defense",
    "Intelligence",
    "Interior",
    "Public",
];

/// Name particles allowed between capitalised words ("Osama bin Laden").
const PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "al", "el", "ul", "ud", "de", "da", "del", "van", "von", "der", "le",
    "la", "du", "di", "dos",
];

/// Verbs of speech that mark a preceding or following name as a person.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "noted",
    "announced",
    "warned",
    "stressed",
    "explained",
    "tweeted",
    "wrote",
    "insisted",
    "emphasised",
    "emphasized",
    "declared",
];

impl Extractor for People {
    fn name(&self) -> &'static str {
        "people"
    }

    fn extract(&self, doc: &Doc<'_>, found: &mut Found) {
        let chains = title_chains(doc, found);

        let mut unnamed = Vec::new();
        for c in &chains {
            if !titled_name(doc, found, c)
                && !appositive(doc, found, c)
                && !title_of_then_name(doc, found, c)
            {
                unnamed.push(c.clone());
            }
        }
        context_names(doc, found);
        absorb_short_forms(found);
        surnames(doc, found);
        for c in &unnamed {
            descriptive_reference(doc, found, c);
        }
    }
}

/// Consecutive titles ("Director General Lt Gen"), with the byte range of each.
#[derive(Debug, Clone)]
struct Chain {
    titles: Vec<(Range<usize>, usize)>,
}

impl Chain {
    fn start(&self) -> usize {
        self.titles.first().map_or(0, |t| t.0.start)
    }
    fn end(&self) -> usize {
        self.titles.last().map_or(0, |t| t.0.end)
    }
}

fn title_chains(doc: &Doc<'_>, found: &Found) -> Vec<Chain> {
    let text = doc.text;
    let body = doc.article.body.clone();
    let mut hits: Vec<(Range<usize>, usize)> = Vec::new();
    for (r, h) in doc.lex.find_all(&text[body.clone()]) {
        let r = body.start + r.start..body.start + r.end;
        if let Hit::Title(i) = h {
            if is_word_bounded(text, r.start, r.end) && !found.overlaps(&r) {
                hits.push((r, i));
            }
        }
    }
    let mut chains: Vec<Chain> = Vec::new();
    for (r, i) in hits {
        if let Some(last) = chains.last_mut() {
            let gap = &text[last.end()..r.start];
            if is_chain_gap(gap) {
                last.titles.push((r, i));
                continue;
            }
        }
        chains.push(Chain {
            titles: vec![(r, i)],
        });
    }
    chains
}

/// Whitespace, or an acronym in parentheses ("Chief of the Army Staff (COAS) Gen").
fn is_chain_gap(gap: &str) -> bool {
    let g = gap.trim();
    // "the Chief of Defence Staff, General Christopher Musa"
    if g == "," {
        return true;
    }
    // "Chief of the Army Staff (COAS) Gen": a title's acronym in parentheses is a title too.
    g.is_empty()
        || g.chars().all(|c| c == '(' || c == ')' || c.is_whitespace())
        || (g.starts_with('(')
            && g.ends_with(')')
            && g[1..g.len() - 1]
                .chars()
                .all(|c| c.is_uppercase() || c == '-' || c == '&'))
}

/// A run of name words starting at byte `from` (after spaces): capitalised words and
/// particles, at most five, without a trailing possessive. Returns its range.
fn name_after(doc: &Doc<'_>, found: &Found, from: usize) -> Option<Range<usize>> {
    let text = doc.text;
    let si = doc
        .sentence_index_of(from)
        .or_else(|| doc.sentence_index_of(from + 1))?;
    let sent = doc.sentences[si].clone();
    let rest = &text[from..sent.end];
    if !rest.starts_with(' ') || rest.trim_start().len() + 1 < rest.len() {
        return None;
    }
    // `from` is a space: the sentence's words from there are the words after it.
    let words = doc.words(si);
    let after = words.partition_point(|t| t.range.start < from);
    name_run(doc, found, &words[after..], text)
}

fn name_run(doc: &Doc<'_>, found: &Found, toks: &[Tok], text: &str) -> Option<Range<usize>> {
    let mut words: Vec<&Tok> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Some(p) = words.last() {
            if !text[p.range.end..t.range.start].chars().all(|c| c == ' ') {
                break;
            }
            if text[p.range.clone()].ends_with("'s") || text[p.range.clone()].ends_with("’s") {
                break;
            }
        }
        let w = t.text(text);
        let bare = crate::text::without_possessive(w);
        let particle =
            PARTICLES.contains(&bare) && toks.get(i + 1).is_some_and(|n| n.is_capitalized(text));
        // "el-Sisi", "al-Assad", "ul-Haq": an article joined to a capitalised name.
        let joined_particle = bare.split_once('-').is_some_and(|(p, rest)| {
            PARTICLES.contains(&p) && rest.chars().next().is_some_and(char::is_uppercase)
        });
        // A regnal number ends a name: "Abdullah II".
        let regnal = !words.is_empty()
            && matches!(
                bare,
                "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII" | "Jr" | "Sr"
            );
        let ok_word = t.is_capitalized(text)
            && !NOT_NAME.contains(&bare)
            && (bare.chars().any(char::is_lowercase) || regnal)
            && !found.overlaps(&t.range)
            && !matches!(doc.lex.lookup(bare), Some(Hit::Title(_)));
        let ok_word =
            ok_word || (joined_particle && !words.is_empty() && !found.overlaps(&t.range));
        if !(ok_word || (particle && !words.is_empty())) || words.len() >= 5 {
            break;
        }
        words.push(t);
    }
    while words
        .last()
        .is_some_and(|t| PARTICLES.contains(&t.text(text)))
    {
        words.pop();
    }
    let first = words.first()?;
    let last = words.last()?;
    let mut r = first.range.start..last.range.end;
    let s = &text[r.clone()];
    if s.ends_with("'s") {
        r.end -= 2;
    } else if s.ends_with("’s") {
        r.end -= "’s".len();
    }
    Some(r)
}

/// The entity named right before byte `pos` (skipping a possessive and a parenthesised
/// acronym), and where that mention starts.
fn entity_before(doc: &Doc<'_>, found: &Found, pos: usize) -> Option<(usize, usize)> {
    let text = doc.text;
    let mut s = text[..pos].trim_end();
    for suffix in ["'s", "’s", "s'"] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x;
            break;
        }
    }
    if s.ends_with(')') {
        if let Some(open) = s.rfind('(') {
            if let Some(sp) = found
                .ending_at(s.len() - 1)
                .filter(|sp| sp.range.start == open + 1)
            {
                return Some((sp.entity, open));
            }
            s = s[..open].trim_end();
        }
    }
    found
        .ending_at(s.len())
        .map(|sp| (sp.entity, sp.range.start))
}

/// Affiliation and country from the entities before a title chain: "Pakistan's
/// Inter-Services Intelligence (ISI) director general", "Former Russian prime minister".
fn context_before(doc: &Doc<'_>, found: &Found, start: usize) -> (Option<usize>, Option<usize>) {
    let text = doc.text;
    let mut pos = start;
    // Skip "former", "ex-", "then-".
    let before = text[..pos].trim_end();
    for w in ["former", "Former", "ex-", "then-", "then"] {
        if before.ends_with(w) && is_word_bounded(text, before.len() - w.len(), before.len()) {
            pos = before.len() - w.len();
        }
    }
    let (mut org, mut country) = (None, None);
    let mut guard = 0;
    while let Some((e, s)) = entity_before(doc, found, pos) {
        match found.out.entities[e].kind {
            EntityKind::Agency | EntityKind::Organization if org.is_none() => org = Some(e),
            EntityKind::Country if country.is_none() => country = Some(e),
            _ => break,
        }
        pos = s;
        guard += 1;
        if guard > 2 {
            break;
        }
    }
    (org, country)
}

fn title_text(doc: &Doc<'_>, r: &Range<usize>) -> String {
    doc.text[r.clone()].to_string()
}

fn is_honorific(doc: &Doc<'_>, i: usize) -> bool {
    doc.lex.titles[i].kind == "honorific"
}

/// Finds the person in the article whose name matches `name` across spellings.
pub(super) fn find_person(found: &Found, name: &str) -> Option<usize> {
    found
        .out
        .entities
        .iter()
        .position(|c| c.kind.is_person() && same_person(&c.name, name))
}

fn add_person(doc: &Doc<'_>, found: &mut Found, kind: EntityKind, r: Range<usize>) -> usize {
    let name = doc.text[r.clone()].to_string();
    let e = match find_person(found, &name) {
        Some(e) => {
            // Keep the longest form as the name.
            if name.len() > found.out.entities[e].name.len() {
                found.out.entities[e].name = name;
            }
            if kind == EntityKind::Official {
                found.out.entities[e].kind = kind;
            }
            e
        }
        None => found.entity(kind, &name, None),
    };
    found.mention(doc, e, r, true);
    e
}

fn attach(
    found: &mut Found,
    e: usize,
    titles: Vec<String>,
    org: Option<usize>,
    country: Option<usize>,
) {
    let c = &mut found.out.entities[e];
    for t in titles {
        if !c.titles.contains(&t) {
            c.titles.push(t);
        }
    }
    if let Some(o) = org {
        if !c.affiliations.contains(&o) {
            c.affiliations.push(o);
        }
    }
    if c.country.is_none() {
        c.country = country;
    }
}

/// "Director General Lt Gen Faiz Hameed": the chain followed by a name.
/// After a title, "of/to [the] X" naming what the title is of ("Minister of Foreign Affairs
/// of Iran", "Ambassador to Russia"): the entity and where it ends.
fn title_object(doc: &Doc<'_>, found: &Found, end: usize) -> Option<(usize, usize)> {
    let text = doc.text;
    let rest = &text[end..];
    let skip = ["of the ", "to the ", "of ", "to "].iter().find_map(|p| {
        rest.strip_prefix(' ')
            .and_then(|r| r.strip_prefix(p))
            .map(|_| p.len() + 1)
    })?;
    let at = end + skip;
    let sp = found.at(at).filter(|s| s.range.start == at)?;
    Some((sp.entity, sp.range.end))
}

fn titled_name(doc: &Doc<'_>, found: &mut Found, c: &Chain) -> bool {
    let object = title_object(doc, found, c.end());
    let direct = name_after(doc, found, c.end());
    let (r, object) = match (direct, object) {
        (Some(r), _) => (r, None),
        (None, Some((e, end))) => match name_after(doc, found, end) {
            Some(r) => (r, Some(e)),
            None => return false,
        },
        (None, None) => return false,
    };
    let all_honorific = c.titles.iter().all(|(_, i)| is_honorific(doc, *i));
    let (mut org, mut country) = context_before(doc, found, c.start());
    if let Some(o) = object {
        match found.out.entities[o].kind {
            EntityKind::Agency | EntityKind::Organization => org = org.or(Some(o)),
            // "Ambassador to Russia": the country served is not the nationality.
            EntityKind::Country if doc.text[c.end()..].trim_start().starts_with("of") => {
                country = country.or(Some(o))
            }
            _ => {}
        }
    }
    let kind = if all_honorific {
        EntityKind::Person
    } else {
        EntityKind::Official
    };
    let e = add_person(doc, found, kind, r);
    let titles = c
        .titles
        .iter()
        .filter(|(_, i)| !is_honorific(doc, *i))
        .map(|(r, _)| title_text(doc, r))
        .collect();
    attach(found, e, titles, org, country);
    true
}

/// "The commander of the Libyan National Army, Khalifa Hifter, said": the title and what it
/// heads, then the name between commas.
fn title_of_then_name(doc: &Doc<'_>, found: &mut Found, c: &Chain) -> bool {
    let text = doc.text;
    let Some(sent) = doc.sentence_of(c.end()) else {
        return false;
    };
    let rest = &text[c.end()..sent.end];
    let Some(after_of) = rest.strip_prefix(" of ") else {
        return false;
    };
    let Some(comma) = after_of.find(", ") else {
        return false;
    };
    let head = &after_of[..comma];
    if head.split_whitespace().count() > 8 || head.contains(['.', ';']) {
        return false;
    }
    let from = c.end() + 4 + comma + 1;
    let Some(r) = name_after(doc, found, from) else {
        return false;
    };
    // The name must be closed by a comma or a verb, and have two words at least.
    let closed = text[r.end..].starts_with(',') || text[r.end..].starts_with(" said");
    if !closed || !text[r.clone()].contains(' ') {
        return false;
    }
    let org_start = c.end() + 4;
    let org = found
        .within(&(org_start..org_start + comma))
        .iter()
        .find(|s| {
            matches!(
                found.out.entities[s.entity].kind,
                EntityKind::Agency | EntityKind::Organization
            )
        })
        .map(|s| s.entity);
    let e = add_person(doc, found, EntityKind::Official, r);
    let titles = c.titles.iter().map(|(r, _)| title_text(doc, r)).collect();
    attach(found, e, titles, org, None);
    true
}

/// "William Burns, the director of the CIA," / "X, Pakistan's foreign minister,".
fn appositive(doc: &Doc<'_>, found: &mut Found, c: &Chain) -> bool {
    let text = doc.text;
    let mut before = text[..c.start()].trim_end();
    for w in ["former", "Former"] {
        if let Some(x) = before.strip_suffix(w) {
            before = x.trim_end();
        }
    }
    let (org0, country0) = context_before(doc, found, c.start());
    // Skip the context words ("Pakistan's") back to the comma.
    let mut p = before.len();
    let mut guard = 0;
    while let Some((_, s)) = entity_before(doc, found, p) {
        p = s;
        guard += 1;
        if guard > 2 {
            break;
        }
    }
    let mut head = text[..p].trim_end();
    for art in ["the", "a", "an"] {
        if let Some(x) = head.strip_suffix(art) {
            if x.ends_with(' ') {
                head = x.trim_end();
                break;
            }
        }
    }
    let Some(head) = head.strip_suffix(',') else {
        return false;
    };
    // The name before the comma may already be known ("Prince Faisal bin Farhan, Minister
    // of Foreign Affairs,").
    if let Some(sp) = found.ending_at(head.len()) {
        let e = sp.entity;
        if found.out.entities[e].kind.is_person() && sp.named {
            if c.titles.iter().all(|(_, i)| is_honorific(doc, *i)) {
                return false;
            }
            found.out.entities[e].kind = EntityKind::Official;
            let titles = c.titles.iter().map(|(r, _)| title_text(doc, r)).collect();
            attach(found, e, titles, org0, country0);
            return true;
        }
    }
    let line_start = text[..head.len()]
        .rfind(['\n', '.', ';'])
        .map_or(0, |i| i + 1);
    let toks = tokens(text, line_start..head.len());
    // The name is the last run of name words right before the comma.
    let mut k = toks.len();
    while k > 0
        && (toks[k - 1].is_capitalized(text) || PARTICLES.contains(&toks[k - 1].text(text)))
        && !found.overlaps(&toks[k - 1].range)
    {
        k -= 1;
    }
    while k < toks.len() && PARTICLES.contains(&toks[k].text(text)) {
        k += 1;
    }
    let Some(r) = name_run(doc, found, &toks[k..], text) else {
        return false;
    };
    if r.end != head.len() || !text[r.clone()].contains(' ') {
        return false;
    }
    // "of the CIA" after the title.
    let after = &text[c.end()..];
    let (mut org, mut country) = (org0, country0);
    for prep in [" of the ", " of ", " at the ", " at "] {
        if after.starts_with(prep) {
            let at = c.end() + prep.len();
            if let Some(sp) = found.at(at).filter(|s| s.range.start == at) {
                match found.out.entities[sp.entity].kind {
                    EntityKind::Agency | EntityKind::Organization => org = org.or(Some(sp.entity)),
                    EntityKind::Country => country = country.or(Some(sp.entity)),
                    _ => {}
                }
            }
            break;
        }
    }
    let all_honorific = c.titles.iter().all(|(_, i)| is_honorific(doc, *i));
    if all_honorific {
        return false;
    }
    let e = add_person(doc, found, EntityKind::Official, r);
    let titles = c.titles.iter().map(|(r, _)| title_text(doc, r)).collect();
    attach(found, e, titles, org, country);
    true
}

/// Names marked by a speech verb ("X said", "said X") or starting with a known given name.
fn context_names(doc: &Doc<'_>, found: &mut Found) {
    let text = doc.text;
    for (si, sent) in doc.sentences.iter().enumerate() {
        let toks = doc.words(si);
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if !t.is_capitalized(text) || found.overlaps(&t.range) {
                i += 1;
                continue;
            }
            let Some(r) = name_run(doc, found, &toks[i..], text) else {
                i += 1;
                continue;
            };
            let n_words = toks[i..]
                .iter()
                .take_while(|x| x.range.end <= r.end)
                .count();
            let words: Vec<&str> = toks[i..i + n_words].iter().map(|x| x.text(text)).collect();
            let after = text[r.end..sent.end].trim_start_matches([',', ' ']);
            let next_word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
            let before = text[sent.start..r.start].trim_end_matches([',', ' ']);
            let prev_word = before
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or("");
            let speech = SPEECH.contains(&next_word.as_str()) || SPEECH.contains(&prev_word);
            let Some(first) = words.first() else {
                i += 1;
                continue;
            };
            let given = doc.lex.is_first_name(first);
            let in_lexicon = words.iter().any(|w| doc.lex.lookup(w).is_some());
            let ok = (2..=4).contains(&n_words)
                && !in_lexicon
                && (given || speech)
                && words.iter().all(|w| !w.chars().all(|c| c.is_uppercase()));
            if ok && !credit_line(text, r.start) {
                add_person(doc, found, EntityKind::Person, r.clone());
            }
            i += n_words.max(1);
        }
    }
}

/// "President Pezeshkian" before or after "Masoud Pezeshkian": a one-word person whose word
/// is the surname of exactly one fuller name in the article is that person.
fn absorb_short_forms(found: &mut Found) {
    let n = found.out.entities.len();
    for i in 0..n {
        let c = &found.out.entities[i];
        if !c.kind.is_person() || c.mentions.is_empty() || c.name.contains(' ') {
            continue;
        }
        let key = word_key(&c.name);
        let fuller: Vec<usize> = (0..n)
            .filter(|&j| j != i)
            .filter(|&j| {
                let d = &found.out.entities[j];
                d.kind.is_person()
                    && !d.mentions.is_empty()
                    && d.name.contains(' ')
                    && d.name.split_whitespace().next_back().map(word_key) == Some(key.clone())
            })
            .collect();
        if let [j] = fuller[..] {
            found.absorb(i, j);
        }
    }
}

/// "Photo by X", "Photo: X": picture credits are page furniture.
fn credit_line(text: &str, at: usize) -> bool {
    // Lower-case only the rest of the line and the last words before (not the whole text
    // at every candidate).
    let rest = &text[at..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    if line.to_lowercase().contains("contributed") {
        return true;
    }
    let before: String = {
        let mut t: Vec<char> = text[..at].trim_end().chars().rev().take(24).collect();
        t.reverse();
        t.into_iter().collect::<String>().to_lowercase()
    };
    before.ends_with("photo by")
        || before.ends_with("photo:")
        || before.ends_with("photograph by")
        || before.ends_with("reporting by")
        || before.ends_with("editing by")
        || before.ends_with("writing by")
}

/// Later mentions by surname alone ("Burns", "Medvedev").
fn surnames(doc: &Doc<'_>, found: &mut Found) {
    let text = doc.text;
    let body = doc.article.body.clone();
    let people: Vec<(usize, String)> = found
        .out
        .entities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind.is_person())
        .filter_map(|(i, c)| {
            let mut words = c.name.split(' ');
            let first = words.next()?;
            let last = words.next_back()?;
            (first != last).then(|| (i, last.to_string()))
        })
        .collect();
    // A surname two people of the article share names neither of them alone.
    let shared: Vec<String> = people
        .iter()
        .filter(|(_, s)| people.iter().filter(|(_, t)| t == s).count() > 1)
        .map(|(_, s)| s.clone())
        .collect();
    for (e, surname) in people {
        if shared.contains(&surname) {
            continue;
        }
        let mut from = body.start;
        while let Some(p) = text[from..body.end].find(surname.as_str()) {
            let r = from + p..from + p + surname.len();
            from = r.end;
            if is_word_bounded(text, r.start, r.end) && !found.overlaps(&r) {
                found.mention(doc, e, r, true);
            }
        }
    }
}

/// "the ISI DG": a title with an agency and no name refers to the official of that agency
/// holding that title, when the article names one.
fn descriptive_reference(doc: &Doc<'_>, found: &mut Found, c: &Chain) {
    let (org, _) = context_before(doc, found, c.start());
    let Some(org) = org else { return };
    let full = |i: usize| {
        let t = &doc.lex.titles[i];
        t.full
            .clone()
            .unwrap_or_else(|| t.text.clone())
            .to_lowercase()
    };
    let wanted: Vec<String> = c.titles.iter().map(|(_, i)| full(*i)).collect();
    let holder = found.out.entities.iter().position(|p| {
        p.kind == EntityKind::Official
            && p.affiliations.contains(&org)
            && p.titles.iter().any(|t| {
                let tl = t.to_lowercase();
                let tf = doc
                    .lex
                    .titles
                    .iter()
                    .find(|x| x.text == *t)
                    .and_then(|x| x.full.clone())
                    .map(|f| f.to_lowercase());
                wanted.iter().any(|w| *w == tl || Some(w) == tf.as_ref())
            })
    });
    if let Some(p) = holder {
        let start = found
            .spans
            .iter()
            .filter(|s| s.entity == org && s.range.end <= c.start())
            .map(|s| s.range.start)
            .max()
            .unwrap_or(c.start());
        found.mention(doc, p, start..c.end(), false);
    }
}

/// Whether two names are the same person's across spellings (word keys equal, or first and
/// last word keys equal).
pub fn same_person(a: &str, b: &str) -> bool {
    let keys = |s: &str| -> Vec<String> {
        super::normalize_name(s)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(word_key)
            .collect()
    };
    same_person_keys(&keys(a), &keys(b))
}

/// [`same_person`] on names already turned into their word keys (or into ids that are equal
/// exactly when the keys are), for callers that compare the same names many times.
pub fn same_person_keys<K: PartialEq>(ka: &[K], kb: &[K]) -> bool {
    if ka == kb {
        return true;
    }
    if ka.len() < 2 || kb.len() < 2 {
        return false;
    }
    let (short, long) = if ka.len() <= kb.len() {
        (ka, kb)
    } else {
        (kb, ka)
    };
    // Same first and last word ("Qamar Bajwa" / "Qamar Javed Bajwa"); the shorter name ends
    // the longer one ("Abbas Araghchi" / "Seyed Abbas Araghchi"); or a name of three words or
    // more starts it ("Mohamed bin Zayed" / "Mohamed bin Zayed Al Nahyan").
    (ka.first() == kb.first() && ka.last() == kb.last())
        || long.ends_with(short)
        || (short.len() >= 3 && long.starts_with(short))
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{assert_invariants, ent, run};
    use crate::model::EntityKind;

    #[test]
    fn rank_and_position_before_a_name() {
        let t = "Inter-Services Intelligence (ISI) Director General Lt Gen Faiz Hameed arrived.";
        let x = run(t);
        assert_invariants(t, &x);
        let p = ent(&x, "Faiz Hameed");
        assert_eq!(p.map(|c| c.kind), Some(EntityKind::Official));
        assert_eq!(
            p.map(|c| c.titles.clone()),
            Some(vec!["Director General".to_string(), "Lt Gen".to_string()])
        );
        let aff = p.and_then(|c| c.affiliations.first().copied());
        assert_eq!(
            aff.map(|i| x.entities[i].name.as_str()),
            Some("Inter-Services Intelligence")
        );
    }

    #[test]
    fn title_acronym_in_parentheses_joins_the_chain() {
        let t = "He met Chief of the Army Staff (COAS) Gen Qamar Bajwa.";
        let x = run(t);
        let p = ent(&x, "Qamar Bajwa");
        assert_eq!(
            p.map(|c| c.titles.clone()),
            Some(vec![
                "Chief of the Army Staff".to_string(),
                "COAS".into(),
                "Gen".into()
            ])
        );
    }

    #[test]
    fn agency_chief() {
        let t = "CIA chief William Burns met them. Burns said more.";
        let x = run(t);
        assert_invariants(t, &x);
        let p = ent(&x, "William Burns");
        assert_eq!(p.map(|c| c.mentions.len()), Some(2));
        assert_eq!(p.map(|c| c.titles.clone()), Some(vec!["chief".to_string()]));
    }

    #[test]
    fn possessive_country_and_rank() {
        let t = "Pakistan's army chief Gen Qamar Javed Bajwa spoke.";
        let x = run(t);
        let p = ent(&x, "Qamar Javed Bajwa");
        assert!(p.is_some());
        let c = p
            .and_then(|c| c.country)
            .map(|i| x.entities[i].name.as_str());
        assert_eq!(c, Some("Pakistan"));
    }

    #[test]
    fn demonym_before_title() {
        let t = "Former Russian prime minister Dmitry Medvedev said so.";
        let x = run(t);
        let p = ent(&x, "Dmitry Medvedev");
        let c = p
            .and_then(|c| c.country)
            .map(|i| x.entities[i].name.as_str());
        assert_eq!(c, Some("Russia"));
    }

    #[test]
    fn title_of_body_then_name_between_commas() {
        let t = "The commander of the Zorland Frontier Directorate, Khalid Zoran, held talks.";
        let x = run(t);
        assert_invariants(t, &x);
        let p = ent(&x, "Khalid Zoran");
        assert_eq!(p.map(|c| c.kind), Some(EntityKind::Official));
        assert_eq!(
            p.map(|c| c.titles.clone()),
            Some(vec!["commander".to_string()])
        );
    }

    #[test]
    fn title_of_a_country_then_name() {
        let t = "He met Minister of Foreign Affairs of Iran Abbas Zorani and Ambassador to Russia Kazem Jalavi.";
        let x = run(t);
        assert_invariants(t, &x);
        let a = ent(&x, "Abbas Zorani");
        assert_eq!(
            a.map(|c| c.titles.clone()),
            Some(vec!["Minister of Foreign Affairs".to_string()])
        );
        assert_eq!(
            a.and_then(|c| c.country)
                .map(|i| x.entities[i].name.as_str()),
            Some("Iran")
        );
        let k = ent(&x, "Kazem Jalavi");
        assert_eq!(k.map(|c| c.kind), Some(EntityKind::Official));
        assert!(k.and_then(|c| c.country).is_none());
    }

    #[test]
    fn position_comma_rank_name() {
        let x =
            run("It was led by the Chief of Defence Staff, General Christopher Muso, yesterday.");
        let p = ent(&x, "Christopher Muso");
        assert_eq!(
            p.map(|c| c.titles.clone()),
            Some(vec!["Chief of Defence Staff".to_string(), "General".into()])
        );
    }

    #[test]
    fn appositive_after_a_name_with_particles() {
        let x = run(
            "Prince Faisal bin Farhan bin Abdullah, Minister of Foreign Affairs, received him.",
        );
        let p = ent(&x, "Faisal bin Farhan bin Abdullah");
        assert!(p.is_some_and(|c| c
            .titles
            .contains(&"Minister of Foreign Affairs".to_string())));
    }

    #[test]
    fn sentence_initial_capitals_are_not_names() {
        let x = run("Meanwhile Pakistan said it would help. Later Foreign Minister Ishaq Dar left. Notably Kabul stayed calm.");
        let people: Vec<&str> = x
            .entities
            .iter()
            .filter(|c| c.kind.is_person())
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(people, vec!["Ishaq Dar"]);
    }

    #[test]
    fn appositive_title() {
        let t = "Officials said Jake Sullivan, the national security adviser, would go.";
        let x = run(t);
        let p = ent(&x, "Jake Sullivan");
        assert_eq!(p.map(|c| c.kind), Some(EntityKind::Official));
    }

    #[test]
    fn speech_verb_marks_a_person() {
        let t = "\"We agreed,\" Zorbek Tulamanov said.";
        let x = run(t);
        assert_eq!(
            ent(&x, "Zorbek Tulamanov").map(|c| c.kind),
            Some(EntityKind::Person)
        );
    }

    #[test]
    fn spelling_variants_are_one_person() {
        let t = "Lt Gen Faiz Hameed came. Later Lt Gen Faiz Hamid left.";
        let x = run(t);
        let n = x.entities.iter().filter(|c| c.kind.is_person()).count();
        assert_eq!(n, 1);
    }

    #[test]
    fn possessive_single_word_after_a_capital_does_not_panic() {
        // Regression: a one-word name run ending in "'s" left no whole token.
        let x = run("Ankara's Kalin's talks went on.");
        assert!(x.entities.iter().all(|c| !c.name.is_empty()));
    }

    #[test]
    fn title_case_headline_verbs_end_a_name() {
        let x = run("Wang Yi Meets Sullivan In Geneva\n\nForeign Minister Wang Yi said.");
        assert!(x.entities.iter().all(|c| !c.name.contains("Meets")));
        let x = run("Saudi FM Receives Egyptian FM\n\nText.");
        assert!(x.entities.iter().all(|c| c.name != "Receives"));
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let t = "President Pezeshkian spoke. Later Iranian President Masoud Pezeshkian left.";
        let x = run(t);
        assert_invariants(t, &x);
        let people: Vec<_> = x.entities.iter().filter(|c| c.kind.is_person()).collect();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].mentions.len(), 2);
        let x = run("Foreign Minister Abbas Araghchi met. Seyed Abbas Araghchi said.");
        assert_eq!(x.entities.iter().filter(|c| c.kind.is_person()).count(), 1);
    }

    #[test]
    fn joined_arabic_article_is_part_of_the_name() {
        let x = run("Egyptian President Abdel Fattah el-Sisi arrived.");
        assert!(ent(&x, "Abdel Fattah el-Sisi").is_some());
    }

    #[test]
    fn a_shared_surname_alone_names_nobody() {
        let x = run(
            "Field Marshal Khalifa Haftar met. His son Lt Gen Saddam Haftar came. Haftar said.",
        );
        let khalifa = ent(&x, "Khalifa Haftar").map(|c| c.mentions.len());
        let saddam = ent(&x, "Saddam Haftar").map(|c| c.mentions.len());
        assert_eq!((khalifa, saddam), (Some(1), Some(1)));
    }

    #[test]
    fn photo_credits_are_not_people() {
        let x = run("A picture. — Photo by Naveed Siddiqui/File");
        assert!(ent(&x, "Naveed Siddiqui").is_none());
    }

    #[test]
    fn title_with_agency_refers_to_the_named_official() {
        let t = "ISI Director General Faiz Hameed met them. Later the ISI DG left.";
        let x = run(t);
        let p = ent(&x, "Faiz Hameed");
        assert_eq!(p.map(|c| c.mentions.len()), Some(1));
    }
}
