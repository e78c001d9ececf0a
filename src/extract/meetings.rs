//! Meetings as events: trigger words (meeting, met, talks, hosted, visit, summit, call…),
//! coreferent mentions ("the meeting", "the session"), hosts ("X hosted", "hosted by X",
//! "on the invitation of X"), attendees (named people, "intelligence chiefs of A, B and C",
//! "with X"), place ("in Islamabad", "visit to Pakistan", the dateline as a fallback) and date.

use super::{Doc, Extractor, Found, Span};
use crate::dates::{find_dates, resolve};
use crate::model::{CharSpan, EntityKind, EventDate, MeetingCandidate, MeetingKind, Mention};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Finds meetings.
pub struct Meetings;

struct Trigger {
    range: Range<usize>,
    kind: MeetingKind,
    /// "the meeting", "their talks": refers to a meeting already described.
    anaphoric: bool,
    /// A verb with its subject before it as host ("hosted", "received", "chaired").
    host_verb: bool,
}

fn trigger_re() -> Option<&'static Regex> {
    static R: OnceLock<Option<Regex>> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:(?P<det>the|their|this|that|his|her|its|these)\s+(?:[\w-]+\s+){0,2}?)?(?P<t>meetings?|met|meets?|talks|summits?|conferences?|sessions?|consultations|negotiations|(?:phone |telephone |video )?calls?|video ?conference|videoconference|visits?|visited|visiting|trip|travell?ed|discussions?|hosted|hosts|hosting|received|receives|chaired|forum)\b",
        )
        .ok()
    })
    .as_ref()
}

fn group_re() -> Option<&'static [(Regex, &'static str)]> {
    static R: OnceLock<Option<Vec<(Regex, &'static str)>>> = OnceLock::new();
    R.get_or_init(|| {
        let table = [
            (r"(?i)\b(?:intelligence (?:chiefs|heads|bosses|officials)|heads of (?:the )?intelligence(?: agencies| services)?|spy ?masters|spy (?:chiefs|agency heads))\b", "intelligence chiefs"),
            (r"(?i)\bforeign ministers\b", "foreign ministers"),
            (r"(?i)\bdefen[cs]e ministers\b", "defence ministers"),
            (r"(?i)\binterior ministers\b", "interior ministers"),
            (r"(?i)\bnational security (?:advisers|advisors)\b", "national security advisers"),
            (r"(?i)\b(?:special envoys|special representatives)\b", "special envoys"),
            (r"(?i)\b(?:army chiefs|military chiefs|chiefs of (?:general )?staff)\b", "military chiefs"),
            (r"(?i)\bheads of (?:state|government)\b", "leaders"),
        ];
        table
            .into_iter()
            .map(|(p, k)| Regex::new(p).ok().map(|r| (r, k)))
            .collect()
    })
    .as_deref()
}

/// Plural nouns for people after which "of/from A, B and C" lists attending countries.
const PEOPLE_GROUPS: &[&str] = &[
    "chiefs",
    "heads",
    "ministers",
    "spymasters",
    "officials",
    "delegations",
    "delegation",
    "envoys",
    "representatives",
    "leaders",
    "counterparts",
    "advisers",
    "advisors",
    "diplomats",
    "commanders",
    "intelligence",
    "chief",
    "head",
    "minister",
    "officers",
];

/// Words after which an entity is a topic, not a participant or place.
const TOPIC_CUES: &[&str] = &[
    "situation in",
    "situation on",
    "developments in",
    "crisis in",
    "war in",
    "on",
    "about",
    "regarding",
    "concerning",
    "over",
    "discuss",
    "discussed",
    "future of",
    "security in",
    "peace in",
    "border with",
    "borders with",
    "events in",
];

/// Words that exclude a sentence's entities from the meeting it mentions.
const ABSENCE: &[&str] = &[
    "absent",
    "did not attend",
    "didn't attend",
    "refused to attend",
    "boycotted",
    "skipped",
    "was not invited",
    "were not invited",
    "declined to attend",
];

impl Extractor for Meetings {
    fn name(&self) -> &'static str {
        "meetings"
    }

    fn extract(&self, doc: &Doc<'_>, found: &mut Found) {
        let Some(re) = trigger_re() else { return };
        let text = doc.text;
        let dateline = dateline_place(doc, found);
        let mut last: Option<usize> = None;
        for sent in doc.sentences.clone() {
            let s = &text[sent.clone()];
            let triggers: Vec<Trigger> = re
                .captures_iter(s)
                .filter_map(|c| {
                    let t = c.name("t")?;
                    let word = t.as_str().to_lowercase();
                    let kind = kind_of(&word);
                    let host_verb = matches!(
                        word.as_str(),
                        "hosted" | "hosts" | "received" | "receives" | "chaired"
                    );
                    let det = c.name("det").map(|d| d.as_str().to_lowercase());
                    // "the meeting", "their talks", "his visit": an event already described
                    // (when one of a compatible kind was); "hosted by" is not on its own.
                    let anaphoric = det.is_some() && !host_verb;
                    Some(Trigger {
                        range: sent.start + t.start()..sent.start + t.end(),
                        kind,
                        anaphoric,
                        host_verb,
                    })
                })
                .filter(|t| !is_false_trigger(text, t))
                .collect();
            if triggers.is_empty() {
                continue;
            }
            let lower = s.to_lowercase();
            if ABSENCE.iter().any(|a| lower.contains(a)) {
                // Still a mention of the meeting, but nobody here attended.
                if let Some(m) = last {
                    for t in &triggers {
                        push_mention(doc, found, m, t.range.clone());
                    }
                }
                continue;
            }
            for frame in frames(text, &sent, triggers) {
                let info = read_frame(doc, found, &frame);
                let anaphoric = frame.triggers.iter().all(|t| t.anaphoric);
                let compatible_last = last.filter(|&m| {
                    let k = found.out.meetings[m].kind;
                    info.kind == MeetingKind::Meet || info.kind == k
                });
                let target = if anaphoric && compatible_last.is_some() {
                    compatible_last
                } else {
                    same_group(found, &info).or_else(|| same_visit(found, &info))
                };
                let m = match target {
                    Some(m) => m,
                    None => {
                        found.out.meetings.push(MeetingCandidate {
                            kind: info.kind,
                            mentions: Vec::new(),
                            date: None,
                            location: None,
                            hosts: Vec::new(),
                            attendees: Vec::new(),
                            group: info.group.clone(),
                        });
                        found.out.meetings.len() - 1
                    }
                };
                apply(doc, found, m, info, &frame);
                last = Some(m);
            }
        }
        finish(found, dateline);
    }
}

fn kind_of(word: &str) -> MeetingKind {
    if word.contains("call")
        || word.contains("video")
        || word.contains("conference") && word.starts_with("video")
    {
        MeetingKind::Call
    } else if word.starts_with("visit") || word == "trip" || word.starts_with("travel") {
        MeetingKind::Visit
    } else if matches!(word, "talks" | "negotiations" | "consultations") {
        MeetingKind::Negotiate
    } else if matches!(word, "received" | "receives") {
        MeetingKind::HostVisit
    } else {
        MeetingKind::Meet
    }
}

/// "call for", "called on", "sessions of parliament"...: not a meeting.
fn is_false_trigger(text: &str, t: &Trigger) -> bool {
    let word = text[t.range.clone()].to_lowercase();
    let after = text[t.range.end..].trim_start().to_lowercase();
    let before = text[..t.range.start].trim_end().to_lowercase();
    if word.starts_with("call") {
        return after.starts_with("for")
            || after.starts_with("on ")
            || after.starts_with("upon")
            || before.ends_with("so-")
            || after.starts_with("it");
    }
    if word == "received" || word == "receives" {
        // "received a call" is a call; "received reports" is not a meeting.
        let next: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
        let raw_after = text[t.range.end..].trim_start();
        return !(raw_after.starts_with(|c: char| c.is_uppercase())
            || next.is_empty()
            || matches!(next.as_str(), "a" | "the" | "his" | "her" | "their"));
    }
    if word == "hosts" || word == "hosted" || word == "hosting" {
        return false;
    }
    if word == "met" || word.starts_with("meet") {
        // "met with criticism", "meet the target"
        return after.starts_with("with criticism")
            || after.starts_with("the target")
            || after.starts_with("the deadline")
            || after.starts_with("demands");
    }
    false
}

struct Frame {
    range: Range<usize>,
    triggers: Vec<Trigger>,
}

/// Splits a sentence's triggers into frames: a later trigger after "after", "before",
/// "following" or "since" belongs to another event.
fn frames(text: &str, sent: &Range<usize>, triggers: Vec<Trigger>) -> Vec<Frame> {
    let mut out: Vec<Frame> = Vec::new();
    let mut start = sent.start;
    for t in triggers {
        if let Some(f) = out.last_mut() {
            let between = text[f.triggers.last().map_or(start, |x| x.range.end)..t.range.start]
                .to_lowercase();
            let split = [
                " after ",
                " before ",
                " following ",
                " since ",
                " ahead of ",
            ]
            .iter()
            .find_map(|w| between.find(w).map(|i| (i, w.len())));
            if let Some((i, _)) = split {
                let cut = f.triggers.last().map_or(start, |x| x.range.end) + i;
                f.range.end = cut;
                start = cut;
                out.push(Frame {
                    range: start..sent.end,
                    triggers: vec![t],
                });
                continue;
            }
            f.triggers.push(t);
            continue;
        }
        out.push(Frame {
            range: start..sent.end,
            triggers: vec![t],
        });
    }
    out
}

#[derive(Debug, Default)]
struct FrameInfo {
    kind: MeetingKind,
    group: Option<String>,
    date: Option<EventDate>,
    location: Option<usize>,
    hosts: Vec<usize>,
    attendees: Vec<usize>,
}

fn read_frame(doc: &Doc<'_>, found: &Found, frame: &Frame) -> FrameInfo {
    let text = doc.text;
    let seg = &text[frame.range.clone()];
    let mut info = FrameInfo {
        kind: frame
            .triggers
            .iter()
            .map(|t| t.kind)
            .find(|k| *k != MeetingKind::Meet)
            .unwrap_or(MeetingKind::Meet),
        ..FrameInfo::default()
    };
    if let Some(groups) = group_re() {
        info.group = groups
            .iter()
            .find(|(r, _)| r.is_match(seg))
            .map(|(_, k)| (*k).to_string());
    }
    info.date = find_dates(text, frame.range.clone())
        .first()
        .map(|d| resolve(d, doc.article.published));
    let spans: Vec<&Span> = found.within(&frame.range);
    let kind = |s: &Span| found.out.entities[s.entity].kind;
    let preceded_by = |s: &Span, cues: &[&str]| {
        let before = text[frame.range.start..s.range.start]
            .trim_end()
            .to_lowercase();
        let before = before.trim_end_matches(" the").trim_end();
        cues.iter().any(|c| {
            before.ends_with(c)
                && before[..before.len() - c.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|ch| !ch.is_alphanumeric())
        })
    };
    let topic = |s: &Span| preceded_by(s, TOPIC_CUES);
    // Hosts: "hosted by X ..." (the whole noun phrase), "on the invitation of X", or the
    // subject before a host verb.
    let lower = seg.to_lowercase();
    for cue in [
        "hosted by ",
        "hosting of the meeting by ",
        "chaired by ",
        "at the invitation of ",
        "on the invitation of ",
        "invited by ",
    ] {
        if let Some(i) = lower.find(cue) {
            let from = frame.range.start + i + cue.len();
            let to = noun_phrase_end(doc, found, from, frame.range.end);
            for s in found.within(&(from..to)) {
                if !kind(s).is_place() || kind(s) == EntityKind::Country {
                    push_unique(&mut info.hosts, s.entity);
                }
            }
        }
    }
    if let Some(t) = frame.triggers.iter().find(|t| t.host_verb) {
        let clause_start = text[frame.range.start..t.range.start]
            .rfind([',', ';', ':'])
            .map_or(frame.range.start, |i| frame.range.start + i + 1);
        let subject = spans
            .iter()
            .rfind(|s| {
                s.range.end <= t.range.start
                    && s.range.start >= clause_start
                    && kind(s) != EntityKind::City
            })
            .or_else(|| {
                // "by Pakistan, which had ... hosted"
                let before = &text[frame.range.start..t.range.start];
                if before.contains(", which") || before.contains(", who") {
                    spans
                        .iter()
                        .rfind(|s| s.range.end <= t.range.start && kind(s) != EntityKind::City)
                } else {
                    None
                }
            });
        if let Some(s) = subject {
            push_unique(&mut info.hosts, s.entity);
        }
    }
    // Location: "in X", "to X", "at X", "visit to X"; a city beats a country.
    let mut places: Vec<&Span> = spans
        .iter()
        .copied()
        .filter(|s| kind(s).is_place() && !topic(s))
        .filter(|s| {
            preceded_by(
                s,
                &["in", "to", "at", "capital", "city of", "in the capital"],
            )
        })
        .collect();
    if places.is_empty() && info.kind == MeetingKind::Visit {
        places = spans
            .iter()
            .copied()
            .filter(|s| kind(s) == EntityKind::City && !topic(s))
            .collect();
    }
    info.location = places
        .iter()
        .find(|s| kind(s) == EntityKind::City)
        .or_else(|| places.first())
        .map(|s| s.entity);
    // Attendees.
    for s in &spans {
        if topic(s) {
            continue;
        }
        let k = kind(s);
        let with = preceded_by(s, &["with", "with the new", "with the"]) && !k.is_place();
        if k.is_person() || with {
            push_unique(&mut info.attendees, s.entity);
        }
    }
    for list in group_lists(doc, found, frame) {
        for e in list {
            push_unique(&mut info.attendees, e);
        }
    }
    // Subjects of "met": "Pakistan and China met".
    if let Some(t) = frame.triggers.iter().find(|t| {
        matches!(
            text[t.range.clone()].to_lowercase().as_str(),
            "met" | "meet"
        )
    }) {
        let clause_start = text[frame.range.start..t.range.start]
            .rfind([',', ';', ':', '.'])
            .map_or(frame.range.start, |i| frame.range.start + i + 1);
        let subj: Vec<&Span> = spans
            .iter()
            .copied()
            .filter(|s| s.range.start >= clause_start && s.range.end <= t.range.start)
            .collect();
        let between_plain = subj.iter().all(|s| !kind(s).is_person());
        if between_plain {
            for s in subj {
                if matches!(
                    kind(s),
                    EntityKind::Country | EntityKind::Agency | EntityKind::Organization
                ) && !topic(s)
                {
                    push_unique(&mut info.attendees, s.entity);
                }
            }
        }
    }
    if let Some(l) = info.location {
        info.attendees.retain(|a| *a != l);
    }
    info
}

/// Where a noun phrase such as "Pakistan's Inter-Services Intelligence (ISI) director
/// general General Faiz Hameed" ends: at a comma or the first lower-case word that is not
/// inside a name or a title.
fn noun_phrase_end(doc: &Doc<'_>, found: &Found, from: usize, limit: usize) -> usize {
    let text = doc.text;
    let titles: Vec<Range<usize>> = doc
        .lex
        .find_all(&text[from..limit])
        .filter(|(_, h)| matches!(h, crate::lexicon::Hit::Title(_)))
        .map(|(r, _)| from + r.start..from + r.end)
        .collect();
    let mut pos = from;
    for t in super::names::tokens(text, from..limit) {
        let gap = &text[pos..t.range.start];
        if gap.contains([',', ';', ':']) {
            return pos;
        }
        let w = t.text(text);
        let inside = found.at(t.range.start).is_some()
            || titles
                .iter()
                .any(|r| r.start <= t.range.start && t.range.end <= r.end);
        if !(inside
            || t.is_capitalized(text)
            || w == "the"
            || w.ends_with("'s")
            || w.ends_with("’s"))
        {
            return pos;
        }
        pos = t.range.end;
    }
    pos
}

/// "intelligence chiefs of Pakistan, China, Russia and …", "heads of intelligence of A, B":
/// the entities listed right after a people noun with "of"/"from".
fn group_lists(doc: &Doc<'_>, found: &Found, frame: &Frame) -> Vec<Vec<usize>> {
    let text = doc.text;
    let seg = &text[frame.range.clone()];
    let lower = seg.to_lowercase();
    let mut out = Vec::new();
    for g in PEOPLE_GROUPS {
        for prep in [" of ", " from "] {
            let pat = format!("{g}{prep}");
            let mut from = 0;
            while let Some(i) = lower[from..].find(&pat) {
                let at = from + i;
                from = at + pat.len();
                if at > 0
                    && lower[..at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                let mut pos = frame.range.start + at + pat.len();
                let mut list = Vec::new();
                loop {
                    let rest = &text[pos..frame.range.end];
                    let skip = rest.len() - rest.trim_start_matches("the ").len();
                    pos += skip;
                    let Some(s) = found.at(pos).filter(|s| s.range.start == pos) else {
                        break;
                    };
                    let after = &text[s.range.end..frame.range.end];
                    if after.starts_with("'s") || after.starts_with("’s") {
                        break; // "of Afghanistan's neighbours"
                    }
                    if !matches!(
                        found.out.entities[s.entity].kind,
                        EntityKind::Country | EntityKind::Agency
                    ) {
                        break;
                    }
                    list.push(s.entity);
                    let sep = [", and ", ", ", " and ", " & "]
                        .iter()
                        .find(|p| after.starts_with(*p));
                    match sep {
                        Some(p) => pos = s.range.end + p.len(),
                        None => break,
                    }
                }
                if !list.is_empty() {
                    out.push(list);
                }
            }
        }
    }
    out
}

fn push_unique(v: &mut Vec<usize>, e: usize) {
    if !v.contains(&e) {
        v.push(e);
    }
}

/// A meeting of the same group ("foreign ministers") with a compatible date.
fn same_group(found: &Found, info: &FrameInfo) -> Option<usize> {
    let g = info.group.as_ref()?;
    found.out.meetings.iter().position(|m| {
        m.group.as_ref() == Some(g)
            && match (&m.date, &info.date) {
                (Some(EventDate::Day(a)), Some(EventDate::Day(b))) => a == b,
                _ => true,
            }
    })
}

/// A visit by the same visitor to the same place (or an unstated one) with a compatible
/// date: the caption and the story of one trip.
fn same_visit(found: &Found, info: &FrameInfo) -> Option<usize> {
    if info.kind != MeetingKind::Visit {
        return None;
    }
    let visitor = info
        .attendees
        .iter()
        .find(|&&a| found.out.entities[a].kind.is_person())?;
    found.out.meetings.iter().position(|m| {
        m.kind == MeetingKind::Visit
            && m.attendees.contains(visitor)
            && match (m.location, info.location) {
                (Some(a), Some(b)) => a == b || contains(found, a, b) || contains(found, b, a),
                _ => true,
            }
            && match (&m.date, &info.date) {
                (Some(EventDate::Day(a)), Some(EventDate::Day(b))) => a == b,
                _ => true,
            }
    })
}

/// Whether place `outer` contains place `inner` (a country and one of its cities).
fn contains(found: &Found, outer: usize, inner: usize) -> bool {
    found.out.entities[inner].country == Some(outer)
}

fn push_mention(doc: &Doc<'_>, found: &mut Found, m: usize, r: Range<usize>) {
    let mention = Mention {
        span: CharSpan {
            begin: doc.index.char_at(r.start),
            end: doc.index.char_at(r.end),
        },
        text: doc.text[r].to_string(),
    };
    let ms = &mut found.out.meetings[m].mentions;
    if !ms.contains(&mention) {
        ms.push(mention);
    }
}

fn apply(doc: &Doc<'_>, found: &mut Found, m: usize, info: FrameInfo, frame: &Frame) {
    for t in &frame.triggers {
        push_mention(doc, found, m, t.range.clone());
    }
    let meeting = &mut found.out.meetings[m];
    if meeting.kind == MeetingKind::Meet && info.kind != MeetingKind::Meet {
        meeting.kind = info.kind;
    }
    if meeting.group.is_none() {
        meeting.group = info.group;
    }
    match (&meeting.date, info.date) {
        (None, Some(d)) | (Some(EventDate::Text(_)), Some(d @ EventDate::Day(_))) => {
            meeting.date = Some(d)
        }
        _ => {}
    }
    if let Some(l) = info.location {
        let better = match meeting.location {
            None => true,
            Some(old) => {
                found.out.entities[old].kind == EntityKind::Country
                    && found.out.entities[l].kind == EntityKind::City
            }
        };
        if better {
            let meeting = &mut found.out.meetings[m];
            meeting.location = Some(l);
        }
    }
    let meeting = &mut found.out.meetings[m];
    for h in info.hosts {
        push_unique(&mut meeting.hosts, h);
    }
    for a in info.attendees {
        push_unique(&mut meeting.attendees, a);
    }
}

/// The place of a dateline ("ISLAMABAD:", "MOSCOW (AP) —", "Islamabad, Sep 11 (IANS)") in
/// the first lines of the body.
fn dateline_place(doc: &Doc<'_>, found: &Found) -> Option<usize> {
    let text = doc.text;
    for l in crate::text::lines(text, doc.article.body.clone())
        .into_iter()
        .filter(|l| !text[l.clone()].trim().is_empty())
        .skip(1)
        .take(8)
    {
        let Some(first) = found
            .spans
            .iter()
            .filter(|s| s.range.start >= l.start && s.range.start < l.end)
            .min_by_key(|s| s.range.start)
        else {
            continue;
        };
        let lead = text[l.start..first.range.start].trim();
        let after = text[first.range.end..l.end].trim_start();
        let is_dateline = lead.is_empty()
            && (after.starts_with(':')
                || after.starts_with(',')
                || after.starts_with('(')
                || after.starts_with('—')
                || after.starts_with("- "))
            && found.out.entities[first.entity].kind.is_place();
        if is_dateline {
            return Some(first.entity);
        }
    }
    None
}

fn finish(found: &mut Found, dateline: Option<usize>) {
    // The dateline is the main (first) event's place when the text names none.
    if let (Some(m), Some(d)) = (found.out.meetings.first_mut(), dateline) {
        if m.location.is_none() {
            m.location = Some(d);
        }
    }
    for m in &mut found.out.meetings {
        let hosts = m.hosts.clone();
        for h in hosts {
            push_unique(&mut m.attendees, h);
        }
        if let Some(l) = m.location {
            m.attendees.retain(|a| *a != l);
            m.hosts.retain(|a| *a != l);
        }
        m.mentions.sort();
    }
    // Meetings without any participant, host, place or date carry no information.
    found.out.meetings.retain(|m| {
        !(m.attendees.is_empty() && m.hosts.is_empty() && m.location.is_none() && m.date.is_none())
    });
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{assert_invariants, run, run_dated};
    use crate::model::{EventDate, Extraction, MeetingKind};

    fn names(x: &Extraction, v: &[usize]) -> Vec<String> {
        let mut n: Vec<String> = v.iter().map(|&i| x.entities[i].name.clone()).collect();
        n.sort();
        n
    }

    #[test]
    fn hosted_meeting_with_country_list_and_coreference() {
        let t = "Headline\n\nISLAMABAD: Pakistan on Saturday hosted a meeting of spymasters on the situation in Afghanistan.\n\nThe meeting was attended by the intelligence heads from Russia, China and Iran.";
        let x = run_dated(t, "2021-09-12");
        assert_invariants(t, &x);
        assert_eq!(x.meetings.len(), 1);
        let m = &x.meetings[0];
        assert_eq!(names(&x, &m.hosts), vec!["Pakistan"]);
        assert_eq!(
            names(&x, &m.attendees),
            vec!["China", "Iran", "Pakistan", "Russia"]
        );
        assert_eq!(
            m.location.map(|i| x.entities[i].name.as_str()),
            Some("Islamabad")
        );
        assert_eq!(m.date, "2021-09-11".parse().ok().map(EventDate::Day));
        // "hosted", "meeting", "The meeting"
        assert_eq!(m.mentions.len(), 3);
    }

    #[test]
    fn visit_with_named_people() {
        let t = "On Wednesday, CIA chief William Burns during his visit to Pakistan met Gen Qamar Bajwa.";
        let x = run_dated(t, "2021-09-12");
        assert_eq!(x.meetings.len(), 1);
        let m = &x.meetings[0];
        assert_eq!(m.kind, MeetingKind::Visit);
        assert_eq!(
            names(&x, &m.attendees),
            vec!["Qamar Bajwa", "William Burns"]
        );
        assert_eq!(
            m.location.map(|i| x.entities[i].name.as_str()),
            Some("Pakistan")
        );
        assert_eq!(m.date, "2021-09-08".parse().ok().map(EventDate::Day));
    }

    #[test]
    fn hosted_by_noun_phrase() {
        let t = "The talks hosted by Pakistan's Inter-Services Intelligence (ISI) director general General Faiz Hameed saw many.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(
            names(&x, &x.meetings[0].hosts),
            vec!["Faiz Hameed", "Inter-Services Intelligence", "Pakistan"]
        );
    }

    #[test]
    fn absence_is_not_attendance() {
        let t = "The foreign ministers of Pakistan, China and Iran met in Tehran. Russia was absent at the meeting.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(
            names(&x, &x.meetings[0].attendees),
            vec!["China", "Iran", "Pakistan"]
        );
        assert_eq!(
            x.meetings[0].location.map(|i| x.entities[i].name.as_str()),
            Some("Tehran")
        );
    }

    #[test]
    fn distinct_meetings_stay_distinct() {
        let t = "Intelligence chiefs of Pakistan and China met in Islamabad on Saturday. The foreign ministers of Iran and Turkey had met earlier this week.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 2);
        assert_eq!(
            x.meetings[1].date,
            Some(EventDate::Text("earlier this week".into()))
        );
    }

    #[test]
    fn later_event_after_after() {
        let t = "The meeting comes days after General Faiz Hameed's return from Kabul, which he visited on the invitation of the Taliban.";
        let x = run(t);
        let v: Vec<_> = x
            .meetings
            .iter()
            .filter(|m| m.kind == MeetingKind::Visit)
            .collect();
        assert_eq!(v.len(), 1);
        assert_eq!(names(&x, &v[0].hosts), vec!["Taliban"]);
        assert_eq!(
            v[0].location.map(|i| x.entities[i].name.as_str()),
            Some("Kabul")
        );
    }

    #[test]
    fn phone_call_and_trigger_forms() {
        let x =
            run("Turkish President Recep Tayyip Erdogan held a phone call with Vladimir Putin.");
        assert_eq!(x.meetings.first().map(|m| m.kind), Some(MeetingKind::Call));
        let x = run("Officials called for calm in Kabul.");
        assert!(x.meetings.is_empty());
        for s in ["met", "held talks with", "visited", "received"] {
            let t =
                format!("Foreign Minister Ahmad Zafar {s} Foreign Minister Lin Wei in Beijing.");
            let x = run(&t);
            assert_eq!(x.meetings.len(), 1, "{s}");
        }
    }
}
