//! Meetings as events: trigger words (meeting, met, talks, hosted, visit, summit, call…),
//! coreferent mentions ("the meeting", "the session"), hosts ("X hosted", "hosted by X",
//! "on the invitation of X"), attendees (named people, "intelligence chiefs of A, B and C",
//! "with X"), place ("in Islamabad", "visit to Pakistan", the dateline as a fallback) and date.

use super::{Doc, Extractor, Found, Span};
use crate::dates::{find_dates, resolve_toward, Tense};
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
            r"(?i)\b(?:(?P<det>the|their|this|that|his|her|its|these)\s+(?:[\w-]+\s+){0,2}?)?(?P<t>meetings?|met|meets?|talks|summits?|conferences?|sessions?|consultations|negotiations|(?:phone |telephone |video )?calls?|(?:phone |telephone )?conversations?|phoned|telephoned|spoke (?:by|on the|over the) (?:tele)?phone|spoke (?:to|with)|talked (?:to|with)|discussed with|(?:by |via |over a )?video link|video ?conference|videoconference|visits?|visited|visiting|trip|travell?ed|discussions?|hosted|hosts|hosting|host|received|receives|receive|chaired|forum)\b",
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

/// Words that, between a determiner and a trigger, show the determiner belongs to another
/// noun ("the opportunity to meet"): the trigger is then not a reference back.
const NOT_IN_NOUN_PHRASE: &[&str] = &[
    "to", "of", "for", "with", "and", "or", "a", "an", "in", "on", "at", "by", "from", "as",
    "that", "which", "who", "was", "were", "is", "are", "had", "has", "have", "be", "next",
    "upcoming", "another", "previous", "last",
];

/// Words shortly before a trigger that make it an offer, a refusal or a notion rather than
/// an event ("offered to host talks", "would not take part in any talks").
const HYPOTHETICAL: &[&str] = &[
    "offer",
    "offers",
    "offered",
    "offering",
    "ready",
    "willing",
    "readiness",
    "any",
    "no",
    "reject",
    "rejects",
    "rejected",
    "refuse",
    "refuses",
    "refused",
    "urge",
    "urges",
    "urged",
    "replace",
    "demand",
    "demands",
    "demanded",
    "without",
];

/// Phrases between two triggers of a sentence after which the second one is another
/// event: an earlier one ("after", "followed") or a planned one ("was expected to").
const FRAME_BREAKS: &[&str] = &[
    " after ",
    " before ",
    " following ",
    " followed ",
    " preceded ",
    " since ",
    " ahead of ",
    " on the sidelines of ",
    " on the margins of ",
    " expected to ",
    " will ",
    " would ",
    " is due to ",
    " is set to ",
    " plans to ",
    " scheduled to ",
];

/// Cues that the people of a sentence report on a meeting rather than attend it.
const SPEECH: &[&str] = &[
    " said",
    " says",
    " told ",
    "according to",
    " confirmed",
    " commented",
    "asked about",
    "spokesman",
    "spokeswoman",
    "spokesperson",
];

/// Cues that a sentence lists who attended.
const PARTICIPATION: &[&str] = &[
    "attended",
    "taking part",
    "took part",
    "participated",
    "present",
    "joined",
    "accompanied",
];

impl Extractor for Meetings {
    fn name(&self) -> &'static str {
        "meetings"
    }

    fn extract(&self, doc: &Doc<'_>, found: &mut Found) {
        let Some(re) = trigger_re() else { return };
        let dateline = dateline(doc, found);
        let head = headline(doc);
        let mut last: Option<Last> = None;
        let ctx = Context {
            re,
            dateline: dateline.as_ref().map(|d| d.prefix.clone()),
        };
        for (i, sent) in doc.sentences.iter().enumerate() {
            if Some(sent) != head.as_ref() {
                read_sentence(doc, found, &ctx, (i, sent), &mut last, false);
            }
        }
        if let Some(h) = &head {
            read_sentence(doc, found, &ctx, (0, h), &mut last, true);
        }
        finish(found, dateline.map(|d| d.place));
    }
}

/// The meeting read last, and the sentence it was read in.
#[derive(Debug, Clone, Copy)]
struct Last {
    meeting: usize,
    sentence: usize,
}

/// What every sentence is read with.
struct Context {
    re: &'static Regex,
    /// The byte range of the dateline ("ANKARA, March 3 (Reuters) -"), whose date is when
    /// the story was filed, not when the meeting took place.
    dateline: Option<Range<usize>>,
}

/// The headline, when the body starts with it: it names the lead event in few words.
fn headline(doc: &Doc<'_>) -> Option<Range<usize>> {
    let first = doc.sentences.first().filter(|_| doc.sentences.len() > 1)?;
    let title = doc.article.title.trim();
    (!title.is_empty() && doc.text[first.clone()].trim() == title).then(|| first.clone())
}

/// The triggers of one sentence.
fn triggers_in(doc: &Doc<'_>, re: &Regex, sent: &Range<usize>) -> Vec<Trigger> {
    let text = doc.text;
    let s = &text[sent.clone()];
    re.captures_iter(s)
        .filter_map(|c| {
            let t = c.name("t")?;
            let word = t.as_str().to_lowercase();
            let kind = kind_of(&word);
            let host_verb = matches!(
                word.as_str(),
                "hosted" | "hosts" | "host" | "received" | "receives" | "receive" | "chaired"
            );
            // "the meeting", "their talks", "his visit": an event already described; but
            // not "the opportunity to meet", and "hosted by" is not on its own.
            let anaphoric = c.name("det").is_some_and(|d| {
                !s[d.end()..t.start()]
                    .split_whitespace()
                    .any(|w| NOT_IN_NOUN_PHRASE.contains(&w.to_lowercase().as_str()))
            }) && !host_verb;
            Some(Trigger {
                range: sent.start + t.start()..sent.start + t.end(),
                kind,
                anaphoric,
                host_verb,
            })
        })
        .filter(|t| !is_false_trigger(text, sent, t))
        .collect()
}

/// Reads one sentence's meetings into `found`. In the headline, the frames describe the
/// lead (first) meeting when the body has one.
fn read_sentence(
    doc: &Doc<'_>,
    found: &mut Found,
    ctx: &Context,
    (index, sent): (usize, &Range<usize>),
    last: &mut Option<Last>,
    is_headline: bool,
) {
    let triggers = triggers_in(doc, ctx.re, sent);
    if triggers.is_empty() {
        return;
    }
    let lower = doc.text[sent.clone()].to_lowercase();
    if ABSENCE.iter().any(|a| lower.contains(a)) {
        // Still a mention of the meeting, but nobody here attended.
        if let Some(Last { meeting: m, .. }) = *last {
            for t in &triggers {
                push_mention(doc, found, m, t.range.clone());
            }
        }
        return;
    }
    let earlier = found.out.meetings.len();
    let lower_sent = lower;
    for (fi, frame) in frames(doc.text, sent, triggers).into_iter().enumerate() {
        if hosts_nothing(doc, found, &frame) {
            continue;
        }
        let mut info = read_frame(doc, found, ctx, &frame);
        // A headline's "meets Chinese defence minister" abbreviates a person the body names.
        let represented = std::mem::take(&mut info.represented);
        if !is_headline {
            for e in represented {
                if Some(e) != info.location {
                    push_unique(&mut info.attendees, e);
                }
            }
        }
        let prev = last.map(|l| l.meeting);
        if info.date.is_none() && SAME_DAY.iter().any(|c| lower_sent.contains(c)) {
            info.date = prev.and_then(|m| found.out.meetings[m].date.clone());
        }
        let target = if is_headline {
            headline_target(&found.out.meetings[..earlier], &info)
        } else if frame.triggers.iter().all(|t| t.anaphoric) {
            prev.filter(|&m| !conflicting_place(found, m, &info))
                .or_else(|| same_group(found, &info))
        } else {
            same_group(found, &info)
                .or_else(|| same_visit(found, &info))
                .or_else(|| {
                    last.filter(|l| fi == 0 && index == l.sentence + 1)
                        .and_then(|l| continuation(doc.text, &frame, found, l.meeting, &mut info))
                })
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
        *last = Some(Last {
            meeting: m,
            sentence: index,
        });
    }
}

/// Nouns that, as the object of "host", make it a meeting ("hosted a delegation").
const GUESTS: &[&str] = &[
    "delegation",
    "counterpart",
    "counterparts",
    "leaders",
    "ministers",
    "chiefs",
    "heads",
    "officials",
    "envoy",
    "envoys",
    "guests",
    "visitors",
    "president",
    "minister",
    "leader",
    "prime",
    "king",
    "chief",
    "head",
    "secretary",
    "director",
    "commander",
    "team",
    "meeting",
    "meetings",
    "talks",
    "summit",
    "conference",
    "session",
    "round",
    "forum",
    "dinner",
    "lunch",
    "banquet",
    "reception",
    "ceremony",
    "consultations",
    "dialogue",
];

/// A frame whose only triggers are "host(s/ed/ing)" with neither a named guest nor a
/// guest noun after them: "Jordan hosts 650,000 refugees" is no meeting.
fn hosts_nothing(doc: &Doc<'_>, found: &Found, frame: &Frame) -> bool {
    let text = doc.text;
    let only_host = frame.triggers.iter().all(|t| {
        matches!(
            text[t.range.clone()].to_lowercase().as_str(),
            "hosts" | "hosted" | "hosting" | "host"
        )
    });
    let Some(t) = frame.triggers.last().filter(|_| only_host) else {
        return false;
    };
    let end = text[t.range.end..frame.range.end]
        .find([',', ';', '.', '('])
        .map_or(frame.range.end, |i| t.range.end + i);
    let object = t.range.end..end;
    let named = found.within(&object).iter().any(|s| {
        !matches!(
            doc.lex.lookup(&text[s.range.clone()]),
            Some(crate::lexicon::Hit::Entity(
                _,
                crate::lexicon::Form::Demonym
            ))
        )
    });
    let noun = text[object]
        .split(|c: char| !c.is_alphanumeric())
        .take(8)
        .any(|w| GUESTS.contains(&w.to_lowercase().as_str()));
    !(named || noun)
}

/// The meeting a headline frame describes: the first one sharing a party or the place
/// with it, else the first of a compatible kind (the lead event).
fn headline_target(ms: &[MeetingCandidate], info: &FrameInfo) -> Option<usize> {
    let shares = |m: &MeetingCandidate| {
        info.hosts
            .iter()
            .chain(&info.attendees)
            .chain(&info.location)
            .any(|e| m.hosts.contains(e) || m.attendees.contains(e) || m.location == Some(*e))
    };
    ms.iter().position(shares).or_else(|| {
        ms.iter()
            .position(|m| info.kind == MeetingKind::Meet || m.kind == info.kind)
    })
}

/// Whether a frame names a place that the meeting `m` cannot have taken place in.
fn conflicting_place(found: &Found, m: usize, info: &FrameInfo) -> bool {
    match (found.out.meetings[m].location, info.location) {
        (Some(a), Some(b)) => !(a == b || contains(found, a, b) || contains(found, b, a)),
        _ => false,
    }
}

fn kind_of(word: &str) -> MeetingKind {
    if word.contains("call")
        || word.contains("phone")
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

/// "call for", "called on", "received reports", "offered to host talks"...: not a meeting.
fn is_false_trigger(text: &str, sent: &Range<usize>, t: &Trigger) -> bool {
    let word = text[t.range.clone()].to_lowercase();
    // Only the trigger's sentence is read: lowercasing the whole text at every trigger
    // made long articles quadratic.
    let (from, to) = (sent.start.min(t.range.start), sent.end.max(t.range.end));
    let after = text[t.range.end..to].trim_start().to_lowercase();
    let before = text[from..t.range.start].trim_end().to_lowercase();
    if is_hypothetical(&text[sent.start..t.range.start]) || is_invitation(&before) {
        return true;
    }
    let prev_word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if word.starts_with("conference") && matches!(prev_word, "news" | "press") {
        // "told a news conference": a place to speak, not a meeting.
        return true;
    }
    if word == "talks" && matches!(prev_word, "accession" | "membership" | "trade" | "budget") {
        // A process, not a meeting.
        return true;
    }
    if word.starts_with("call") {
        return after.starts_with("for")
            || after.starts_with("on ")
            || after.starts_with("upon")
            || before.ends_with("so-")
            || after.starts_with("it");
    }
    if word.starts_with("conversation") {
        // A conversation is a meeting only with its parties: "a conversation with X".
        return !(after.starts_with("with") || after.starts_with("between"));
    }
    if matches!(word.as_str(), "received" | "receives" | "receive" | "host") {
        // "received a call", "received X" are meetings; "received reports", "the host
        // country" are not.
        let prev = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if word == "host" && matches!(prev, "the" | "a" | "an" | "as" | "co") {
            return true;
        }
        let next: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
        let raw_after = text[t.range.end..to].trim_start();
        return !(raw_after.starts_with(|c: char| c.is_uppercase())
            || next.is_empty()
            || matches!(
                next.as_str(),
                "a" | "the"
                    | "his"
                    | "her"
                    | "their"
                    | "today"
                    | "yesterday"
                    | "here"
                    | "on"
                    | "at"
                    | "in"
                    | "visiting"
                    | "separately"
                    | "also"
                    | "later"
                    | "earlier"
                    | "by"
            ));
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

/// "invited X to visit", "an invitation to meet": a visit offered, not one that happened.
fn is_invitation(before_lower: &str) -> bool {
    let words: Vec<&str> = before_lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(9)
        .collect();
    words.first() == Some(&"to") && words.iter().skip(1).any(|w| w.starts_with("invit"))
}

/// Whether the last words before a trigger make it an offer, a refusal or a notion.
fn is_hypothetical(before: &str) -> bool {
    before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(4)
        .any(|w| HYPOTHETICAL.contains(&w.to_lowercase().as_str()))
}

struct Frame {
    range: Range<usize>,
    triggers: Vec<Trigger>,
}

/// Splits a sentence's triggers into frames: a later trigger after "after", "before",
/// "following", "since" or a future ("was expected to meet") belongs to another event.
fn frames(text: &str, sent: &Range<usize>, triggers: Vec<Trigger>) -> Vec<Frame> {
    let mut out: Vec<Frame> = Vec::new();
    let mut start = sent.start;
    for t in triggers {
        if let Some(f) = out.last_mut() {
            let between = text[f.triggers.last().map_or(start, |x| x.range.end)..t.range.start]
                .to_lowercase();
            let split = FRAME_BREAKS
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
    // "the first visit since Moscow launched ...": what follows "since" is another time.
    if let Some(f) = out.last_mut() {
        let from = f.triggers.last().map_or(f.range.start, |t| t.range.end);
        if let Some(i) = text[from..f.range.end].find(" since ") {
            f.range.end = from + i;
        }
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
    /// Countries standing for officials the frame does not name.
    represented: Vec<usize>,
}

/// How many bytes before an entity [`FrameView::preceded_by`] lowercases first.
const PRECEDING_WINDOW: usize = 64;

/// The words before an entity, lowercased, without trailing spaces and "the"s.
fn preceding_words(before: &str) -> String {
    let lower = before.trim_end().to_lowercase();
    let kept = crate::text::trim_end_str(&lower, " the").trim_end().len();
    let mut lower = lower;
    lower.truncate(kept);
    lower
}

/// Whether `before` ends with one of `cues` as whole words.
fn ends_with_cue(before: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| {
        before.ends_with(c)
            && before[..before.len() - c.len()]
                .chars()
                .next_back()
                .is_none_or(|ch| !ch.is_alphanumeric())
    })
}

/// The entities of a frame and how to ask about their context.
struct FrameView<'f> {
    text: &'f str,
    lex: &'f crate::lexicon::Lexicon,
    found: &'f Found,
    frame: &'f Frame,
    spans: Vec<&'f Span>,
}

impl FrameView<'_> {
    fn kind(&self, s: &Span) -> EntityKind {
        self.found.out.entities[s.entity].kind
    }

    /// Whether the words right before `s` (in the frame, ignoring "the") end with a cue.
    fn preceded_by(&self, s: &Span, cues: &[&str]) -> bool {
        // Only the end of the frame before `s` is read: lowercase a window of it, unless
        // trimming the window leaves too little of it to tell (then the whole of it).
        let start = self.frame.range.start;
        let mut from = s.range.start.saturating_sub(PRECEDING_WINDOW).max(start);
        while !self.text.is_char_boundary(from) {
            from -= 1;
        }
        let longest = cues.iter().map(|c| c.len()).max().unwrap_or(0);
        let window = preceding_words(&self.text[from..s.range.start]);
        if from == start || window.len() > longest + 8 {
            return ends_with_cue(&window, cues);
        }
        ends_with_cue(&preceding_words(&self.text[start..s.range.start]), cues)
    }

    /// A topic of the talks ("on Afghanistan"), not a participant or place.
    fn topic(&self, s: &Span) -> bool {
        self.preceded_by(s, TOPIC_CUES)
    }

    /// Whether a place name is used as an adjective: a demonym ("Russian captivity") or a
    /// name that modifies the capitalised noun after it ("the US State Department").
    fn modifier(&self, s: &Span) -> bool {
        let surface = &self.text[s.range.clone()];
        if matches!(
            self.found_lex_form(surface),
            Some(crate::lexicon::Form::Demonym)
        ) {
            return true;
        }
        let after = &self.text[s.range.end..];
        after.starts_with(' ')
            && after[1..].starts_with(|c: char| c.is_uppercase())
            && !after[1..].starts_with("On ")
    }

    fn found_lex_form(&self, surface: &str) -> Option<crate::lexicon::Form> {
        match self.lex.lookup(surface) {
            Some(crate::lexicon::Hit::Entity(_, f)) => Some(f),
            _ => None,
        }
    }

    /// Whether a place after the trigger at `at` sits in another clause: a relative clause
    /// (", which is headquartered in X") or reported speech after it.
    fn other_clause(&self, at: usize, s: &Span) -> bool {
        let between = self.text[at.min(s.range.start)..s.range.start].to_lowercase();
        [", which", ", who ", " said ", " says ", " told "]
            .iter()
            .any(|c| between.contains(c))
    }

    /// Where the frame's last trigger ends.
    fn trigger_end(&self) -> usize {
        self.frame
            .triggers
            .last()
            .map_or(self.frame.range.start, |t| t.range.end)
    }

    /// Where the frame's first trigger starts.
    fn trigger_start(&self) -> usize {
        self.frame
            .triggers
            .first()
            .map_or(self.frame.range.start, |t| t.range.start)
    }
}

fn read_frame(doc: &Doc<'_>, found: &Found, ctx: &Context, frame: &Frame) -> FrameInfo {
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
    info.date = frame_date(doc, ctx, frame);
    let view = FrameView {
        text,
        lex: doc.lex,
        found,
        frame,
        spans: found.within(&frame.range),
    };
    let (hosts, hosted_in) = frame_hosts(doc, &view);
    info.hosts = hosts;
    info.location = frame_location(&view, info.kind).or(hosted_in);
    info.attendees = frame_attendees(doc, &view);
    info.represented = unnamed_representatives(doc, &view);
    if let Some(l) = info.location {
        info.attendees.retain(|a| *a != l);
    }
    info
}

/// The frame's date: the first date expression outside the dateline (whose date is when
/// the story was filed), else the dateline's.
fn frame_date(doc: &Doc<'_>, ctx: &Context, frame: &Frame) -> Option<EventDate> {
    let dates = find_dates(doc.text, frame.range.clone());
    let in_dateline = |r: &Range<usize>| {
        ctx.dateline
            .as_ref()
            .is_some_and(|d| d.start <= r.start && r.end <= d.end)
    };
    let d = dates
        .iter()
        .find(|d| !in_dateline(&d.range))
        .or_else(|| dates.first())?;
    // "would receive Araghchi on Wednesday": a weekday ahead of the publication date.
    let before = doc.text[frame.range.start..d.range.start].to_lowercase();
    let tense = if FUTURE.iter().any(|f| before.contains(f)) {
        Tense::Future
    } else {
        Tense::Past
    };
    Some(resolve_toward(d, doc.article.published, tense))
}

/// Words before a date that put the event after the publication date.
const FUTURE: &[&str] = &[
    " will ",
    " would ",
    " is due to ",
    " are due to ",
    " is expected to ",
    " are expected to ",
    " is scheduled to ",
    " plans to ",
    " is set to ",
    " next ",
];

/// Hosts: "hosted by X ..." / "received by X" (the whole noun phrase), "at the invitation
/// of X", or the subject before a host verb ("X hosted", "X, on Monday, received"). A city
/// named as host ("a summit to be hosted by Cairo") is returned as the place instead.
fn frame_hosts(doc: &Doc<'_>, v: &FrameView<'_>) -> (Vec<usize>, Option<usize>) {
    let text = doc.text;
    let frame = v.frame;
    let mut hosts = Vec::new();
    let mut place = None;
    let lower = text[frame.range.clone()].to_lowercase();
    for cue in [
        "hosted by ",
        "hosting of the meeting by ",
        "chaired by ",
        "received by ",
        "welcomed by ",
        "at the invitation of ",
        "on the invitation of ",
        "invited by ",
    ] {
        if let Some(i) = lower.find(cue) {
            let from = frame.range.start + i + cue.len();
            let to = noun_phrase_end(doc, v.found, from, frame.range.end);
            for s in v.found.within(&(from..to)) {
                match v.kind(s) {
                    EntityKind::City | EntityKind::Place => place = place.or(Some(s.entity)),
                    _ => push_unique(&mut hosts, s.entity),
                }
            }
        }
    }
    let passive = |t: &&Trigger| text[t.range.end..].trim_start().starts_with("by ");
    if let Some(t) = frame.triggers.iter().find(|t| t.host_verb && !passive(t)) {
        if let Some(s) = host_subject(v, t).or_else(|| pronoun_subject(doc, v.found, frame, t)) {
            push_unique(&mut hosts, s);
        } else if let Some(city) = city_subject(v, t) {
            // "Istanbul hosted the talks", "Cairo is due to host a summit".
            place = place.or(Some(city));
        }
    }
    (hosts, place)
}

/// A city as the subject of a host verb, right before it ("Cairo is due to host").
fn city_subject(v: &FrameView<'_>, t: &Trigger) -> Option<usize> {
    let s = v.spans.iter().rfind(|s| s.range.end <= t.range.start)?;
    let between = &v.text[s.range.end..t.range.start];
    (v.kind(s) == EntityKind::City
        && between.split_whitespace().count() <= 4
        && !between.contains([',', '.', ';']))
    .then_some(s.entity)
}

/// The subject of a host verb: the last entity of its clause; when the clause holds only
/// an adverb or a date ("Ribadu, yesterday, hosted"), the nearest entity before it; after
/// ", which"/", who", the entity the relative clause is about.
fn host_subject(v: &FrameView<'_>, t: &Trigger) -> Option<usize> {
    let text = v.text;
    let frame_start = v.frame.range.start;
    let before = &text[frame_start..t.range.start];
    let clause_start = before
        .rfind([',', ';', ':'])
        .map_or(frame_start, |i| frame_start + i + 1);
    let not_city = |s: &&&Span| v.kind(s) != EntityKind::City;
    let in_clause = v
        .spans
        .iter()
        .filter(not_city)
        .rfind(|s| s.range.end <= t.range.start && s.range.start >= clause_start);
    if let Some(s) = in_clause {
        return Some(s.entity);
    }
    let short_clause = text[clause_start..t.range.start].split_whitespace().count() <= 3;
    if short_clause || before.contains(", which") || before.contains(", who") {
        return v
            .spans
            .iter()
            .filter(not_city)
            .rfind(|s| s.range.end <= t.range.start)
            .map(|s| s.entity);
    }
    None
}

/// The place: "in X", "to X", "at X", "visit to X"; the places after the trigger first
/// (nearest first), then those before it (nearest first) unless the frame only refers
/// back to a meeting ("told reporters in Moscow about the visit"); a city beats a country.
fn frame_location(v: &FrameView<'_>, kind: MeetingKind) -> Option<usize> {
    if kind == MeetingKind::Call {
        // A call joins people in different places; it has none of its own.
        return None;
    }
    let at = v.trigger_end();
    let mut places: Vec<&Span> = v
        .spans
        .iter()
        .copied()
        .filter(|s| v.kind(s).is_place() && !v.topic(s) && !v.modifier(s))
        .filter(|s| s.range.start < at || !v.other_clause(at, s))
        .filter(|s| {
            v.preceded_by(
                s,
                &["in", "to", "at", "capital", "city of", "in the capital"],
            )
        })
        .collect();
    if places.is_empty() && kind == MeetingKind::Visit {
        places = v
            .spans
            .iter()
            .copied()
            .filter(|s| v.kind(s) == EntityKind::City && !v.topic(s))
            .collect();
    }
    let at = v.trigger_start();
    let (after, before): (Vec<&Span>, Vec<&Span>) =
        places.into_iter().partition(|s| s.range.start >= at);
    let refers_back = v.frame.triggers.iter().all(|t| t.anaphoric);
    let side = if after.is_empty() && !refers_back {
        before.into_iter().rev().collect()
    } else {
        after
    };
    side.iter()
        .find(|s| v.kind(s) == EntityKind::City)
        .or_else(|| side.first())
        .map(|s| s.entity)
}

/// Attendees: named people (not those who only report on a meeting they refer back to),
/// "with X", the countries of "chiefs of A, B and C", the subjects of "A and B met".
fn frame_attendees(doc: &Doc<'_>, v: &FrameView<'_>) -> Vec<usize> {
    let text = v.text;
    let frame = v.frame;
    let mut out = Vec::new();
    let lower = text[frame.range.clone()].to_lowercase();
    let reported = frame.triggers.iter().all(|t| t.anaphoric)
        && SPEECH.iter().any(|c| lower.contains(c))
        && !PARTICIPATION.iter().any(|c| lower.contains(c));
    for s in &v.spans {
        if v.topic(s) {
            continue;
        }
        let k = v.kind(s);
        let with = v.preceded_by(s, &["with", "with the new", "with the"]) && !k.is_place();
        if k.is_person() && reports_on(v, s) {
            continue;
        }
        if (k.is_person() && !reported) || with {
            push_unique(&mut out, s.entity);
        }
    }
    for list in group_lists(doc, v.found, frame) {
        for e in list {
            push_unique(&mut out, e);
        }
    }
    for e in named_before_trigger(v) {
        push_unique(&mut out, e);
    }
    if let Some(e) = frame
        .triggers
        .iter()
        .find_map(|t| pronoun_subject(doc, v.found, frame, t))
    {
        push_unique(&mut out, e);
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
        let subj: Vec<&Span> = v
            .spans
            .iter()
            .copied()
            .filter(|s| s.range.start >= clause_start && s.range.end <= t.range.start)
            .collect();
        if subj.iter().all(|s| !v.kind(s).is_person()) {
            for s in subj {
                if matches!(
                    v.kind(s),
                    EntityKind::Country | EntityKind::Agency | EntityKind::Organization
                ) && !v.topic(s)
                {
                    push_unique(&mut out, s.entity);
                }
            }
        }
    }
    out
}

/// Nouns for officials that, after a country ("Saudi Arabia's foreign minister", "his
/// Egyptian counterpart"), let the country stand for an official the text does not name.
const OFFICIAL_NOUNS: &[&str] = &[
    "minister",
    "ministers",
    "counterpart",
    "counterparts",
    "chief",
    "chiefs",
    "head",
    "heads",
    "delegation",
    "delegations",
    "officials",
    "official",
    "envoy",
    "envoys",
    "president",
    "leader",
    "leaders",
    "ambassador",
    "adviser",
    "advisor",
    "side",
    "diplomat",
    "diplomats",
    "team",
    "secretary",
    "spymaster",
    "premier",
    "king",
    "commander",
    "negotiators",
];

/// Countries represented by an official the text does not name: "Saudi Arabia's foreign
/// minister has met his Egyptian counterpart" gives Saudi Arabia and Egypt. A country
/// before a named official ("Pakistan's army chief Gen Qamar Bajwa") is only that
/// person's, and a topic ("talks on Iran's programme") is nobody's.
fn unnamed_representatives(doc: &Doc<'_>, v: &FrameView<'_>) -> Vec<usize> {
    let text = v.text;
    let mut out = Vec::new();
    for s in &v.spans {
        if v.kind(s) != EntityKind::Country || v.topic(s) {
            continue;
        }
        let tail = &text[s.range.end..v.frame.range.end];
        let rest = ["'s", "\u{2019}s"]
            .iter()
            .find_map(|p| tail.strip_prefix(p))
            .unwrap_or(tail);
        // Up to five words of the official's description: "top diplomat", "Foreign
        // Minister", "intelligence chief"; stop at punctuation.
        let mut consumed = 0;
        let mut noun_end = None;
        for (i, w) in rest.split_inclusive(' ').enumerate() {
            if i >= 6 {
                break;
            }
            let word = w.trim();
            if word.is_empty() {
                consumed += w.len();
                continue;
            }
            let bare = word.trim_end_matches([',', '.', ';', ':']);
            if OFFICIAL_NOUNS.contains(&bare.to_lowercase().as_str()) {
                noun_end = Some(consumed + w.trim_end().len());
                if bare.len() != word.len() {
                    break;
                }
            } else if noun_end.is_some() || bare.len() != word.len() || bare.is_empty() {
                break;
            }
            consumed += w.len();
        }
        let Some(end) = noun_end else { continue };
        let after_noun = s.range.end + (tail.len() - rest.len()) + end;
        let reports = text[after_noun..]
            .split_whitespace()
            .next()
            .is_some_and(|w| REPORTING.contains(&w.to_lowercase().as_str()));
        if !reports && !names_follow(doc, v, after_noun) {
            push_unique(&mut out, s.entity);
        }
    }
    out
}

/// Verbs after which officials report on a meeting rather than attend it.
const REPORTING: &[&str] = &[
    "said",
    "say",
    "says",
    "told",
    "tell",
    "reported",
    "confirmed",
    "added",
    "noted",
    "stated",
    "announced",
    "quoted",
    "claimed",
    "believe",
    "believed",
];

/// Whether a person's name follows at `at` (after a comma or titles): "counterpart Fuad
/// Hussein", "army chief, Gen Qamar Bajwa".
fn names_follow(doc: &Doc<'_>, v: &FrameView<'_>, at: usize) -> bool {
    let text = doc.text;
    let next_person = v
        .spans
        .iter()
        .find(|s| s.range.start >= at && v.kind(s).is_person());
    next_person.is_some_and(|p| {
        let gap = &text[at..p.range.start];
        gap.split_whitespace()
            .all(|w| w == "," || w.starts_with(|c: char| c.is_uppercase()) || w == "of")
            && !gap.contains(['.', ';'])
            && gap.matches(',').count() <= 1
    })
}

/// "the Arab League summit", "an SCO meeting", "the SCO defence ministers' meeting": an
/// organisation or country named right before the trigger noun takes part in it.
fn named_before_trigger(v: &FrameView<'_>) -> Vec<usize> {
    let text = v.text;
    let mut out = Vec::new();
    for t in &v.frame.triggers {
        let word = text[t.range.clone()].to_lowercase();
        if !matches!(
            word.as_str(),
            "meeting" | "meetings" | "summit" | "summits" | "conference" | "session" | "forum"
        ) {
            continue;
        }
        let Some(s) = v.spans.iter().rfind(|s| s.range.end <= t.range.start) else {
            continue;
        };
        let between = &text[s.range.end..t.range.start];
        let words: Vec<&str> = between.split_whitespace().collect();
        let lowercase = words
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_lowercase()) || *w == "-");
        if words.len() <= 3
            && lowercase
            && !between.contains([',', '.', ';'])
            && matches!(
                v.kind(s),
                EntityKind::Agency | EntityKind::Organization | EntityKind::Country
            )
            && !v.topic(s)
        {
            push_unique(&mut out, s.entity);
        }
    }
    out
}

/// "Last month he travelled to Beijing, where he met …": the person a subject pronoun
/// right before the trigger stands for — the first person named in the sentence before
/// the pronoun, else in the sentence before.
fn pronoun_subject(doc: &Doc<'_>, found: &Found, frame: &Frame, t: &Trigger) -> Option<usize> {
    let text = doc.text;
    let before = &text[frame.range.start..t.range.start];
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .collect();
    let auxiliaries = [
        "also",
        "had",
        "has",
        "have",
        "later",
        "then",
        "subsequently",
        "reportedly",
        "was",
        "will",
        "would",
        "briefly",
        "separately",
        "held",
        "personally",
    ];
    let pronoun_at = words.iter().position(|w| matches!(*w, "he" | "she"))?;
    if !words[..pronoun_at].iter().all(|w| auxiliaries.contains(w)) {
        return None;
    }
    let pronoun_pos = before
        .rfind(words[pronoun_at])
        .map_or(t.range.start, |i| frame.range.start + i);
    let sentence = doc
        .sentences
        .iter()
        .position(|s| s.start <= t.range.start && t.range.start < s.end)?;
    let person_in = |r: Range<usize>| {
        found
            .within(&r)
            .into_iter()
            .find(|s| found.out.entities[s.entity].kind.is_person())
            .map(|s| s.entity)
    };
    let here = doc.sentences[sentence].start..pronoun_pos;
    person_in(here).or_else(|| {
        sentence
            .checked_sub(1)
            .and_then(|p| person_in(doc.sentences[p].clone()))
    })
}

/// "Kremlin spokesman Dmitri Peskov confirmed that Putin would receive …": a person whose
/// reporting verb comes between them and the trigger speaks about the meeting.
fn reports_on(v: &FrameView<'_>, s: &Span) -> bool {
    let at = v.trigger_start();
    if s.range.end > at {
        return false;
    }
    v.text[s.range.end..at]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| REPORTING.contains(&w.to_lowercase().as_str()) || w == "disclosed")
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
    // Every "<group noun><preposition>" in the frame, as (noun, preposition, start, end),
    // in the order of the nouns, then the prepositions, then the text: found from the
    // prepositions (few) back to the nouns before them. No such phrase can overlap itself
    // (each starts with a letter and ends with a space), so these are all of them.
    const PREPS: [&str; 2] = [" of ", " from "];
    let mut phrases: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (pi, prep) in PREPS.iter().enumerate() {
        for (p, _) in lower.match_indices(prep) {
            for (gi, g) in PEOPLE_GROUPS.iter().enumerate() {
                if lower[..p].ends_with(g) {
                    phrases.push((gi, pi, p - g.len(), p + prep.len()));
                }
            }
        }
    }
    phrases.sort_unstable();
    let mut out = Vec::new();
    for (_, _, at, end) in phrases {
        if at > 0
            && lower[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let mut pos = frame.range.start + end;
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
    out
}

fn push_unique(v: &mut Vec<usize>, e: usize) {
    if !v.contains(&e) {
        v.push(e);
    }
}

/// Phrases that date an event on the day of the one read before it.
const SAME_DAY: &[&str] = &[
    "later in the day",
    "earlier in the day",
    "later that day",
    "earlier that day",
    "the same day",
    "on the same day",
];

/// Whether two kinds can describe one event: a call is never an in-person meeting.
fn compatible_kinds(a: MeetingKind, b: MeetingKind) -> bool {
    (a == MeetingKind::Call) == (b == MeetingKind::Call)
}

/// Words that mark a frame as another event than the one before it.
const ANOTHER: &[&str] = &[
    "also",
    "separately",
    "later",
    "earlier",
    "then",
    "another",
    "next",
    "subsequently",
    "meanwhile",
    "previously",
    "sidelines",
    "margins",
    "bilateral",
];

/// The meeting of the sentence before, when this frame goes on about it: a compatible kind,
/// date and place, no word marking another event ("also", "later"), and either a person
/// in common or no named person who did not already take part (also when that meeting had
/// no named people yet: "Saudi Arabia's foreign minister has met his Egyptian counterpart.
/// Prince Faisal and Badr Abdel Aty held talks on Sunday").
fn continuation(
    text: &str,
    frame: &Frame,
    found: &Found,
    m: usize,
    info: &mut FrameInfo,
) -> Option<usize> {
    let words = text[frame.range.clone()].to_lowercase();
    if words
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ANOTHER.contains(&w))
    {
        return None;
    }
    let meeting = &found.out.meetings[m];
    if !compatible_kinds(meeting.kind, info.kind) {
        return None;
    }
    if matches!((&meeting.date, &info.date), (Some(a), Some(b)) if a != b) {
        return None;
    }
    if matches!((&meeting.group, &info.group), (Some(a), Some(b)) if a != b) {
        return None;
    }
    let is_person = |e: &usize| found.out.entities[*e].kind.is_person();
    let known: Vec<&usize> = meeting.attendees.iter().filter(|e| is_person(e)).collect();
    let new = info
        .attendees
        .iter()
        .filter(|e| is_person(e))
        .any(|e| !known.contains(&e));
    // A person in common joins a talk of two, not a gathering of a group.
    let shared = meeting.group.is_none() && info.attendees.iter().any(|e| known.contains(&e));
    if new && !known.is_empty() && !shared {
        return None;
    }
    if let (Some(a), Some(b)) = (meeting.location, info.location) {
        if !(a == b || contains(found, a, b) || contains(found, b, a)) {
            // Only a frame without people of its own ("The two ministers held
            // discussions on … pilgrims travelling to Iran") keeps to the meeting's place.
            if info.attendees.iter().any(is_person) {
                return None;
            }
            info.location = None;
        }
    }
    Some(m)
}

/// A meeting of the same group ("foreign ministers") with a compatible date.
fn same_group(found: &Found, info: &FrameInfo) -> Option<usize> {
    let g = info.group.as_ref()?;
    found.out.meetings.iter().position(|m| {
        m.group.as_ref() == Some(g)
            && compatible_kinds(m.kind, info.kind)
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
        .filter(|a| !info.hosts.contains(a))
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

/// A dateline: where the story was filed, and the text it spans.
struct Dateline {
    place: usize,
    /// "ANKARA, March 3 (Reuters) -": up to the separator (or the whole line).
    prefix: Range<usize>,
}

/// The dateline in the first lines of the body: a place opening a line ("ISLAMABAD:",
/// "MOSCOW (AP) —", "Islamabad, Sep 11 (IANS)"), or a short line with a date that ends
/// with a place ("March 12, 2025, 15:30, The Kremlin, Moscow").
fn dateline(doc: &Doc<'_>, found: &Found) -> Option<Dateline> {
    let text = doc.text;
    for l in crate::text::lines(text, doc.article.body.clone())
        .into_iter()
        .filter(|l| !text[l.clone()].trim().is_empty())
        .skip(1)
        .take(8)
    {
        let places: Vec<&Span> = found
            .spans
            .iter()
            .filter(|s| s.range.start >= l.start && s.range.end <= l.end)
            .collect();
        let Some(first) = places.iter().min_by_key(|s| s.range.start) else {
            continue;
        };
        let is_place = |s: &Span| found.out.entities[s.entity].kind.is_place();
        let lead = text[l.start..first.range.start].trim();
        let after = text[first.range.end..l.end].trim_start();
        let opens = lead.is_empty()
            && [":", ",", "(", "—", "–", "- ", "--"]
                .iter()
                .any(|p| after.starts_with(p))
            && is_place(first);
        if opens {
            let prefix_end = [" - ", " — ", " – ", " -- ", ": ", "—"]
                .iter()
                .filter_map(|p| text[first.range.end..l.end].find(p).map(|i| i + p.len()))
                .min()
                .filter(|&i| i <= 60)
                .map_or(first.range.end, |i| first.range.end + i);
            return Some(Dateline {
                place: first.entity,
                prefix: l.start..prefix_end,
            });
        }
        let last = places.iter().max_by_key(|s| s.range.end);
        let closes = last.filter(|s| {
            is_place(s)
                && text[s.range.end..l.end].trim().is_empty()
                && l.len() <= 80
                && !find_dates(text, l.clone()).is_empty()
        });
        if let Some(s) = closes {
            return Some(Dateline {
                place: s.entity,
                prefix: l.clone(),
            });
        }
    }
    None
}

fn finish(found: &mut Found, dateline: Option<usize>) {
    // The dateline is the main (first) event's place when the text names none, or names
    // only the country the dateline's city is in.
    if let Some(d) = dateline {
        let refine = found.out.meetings.first().and_then(|m| match m.location {
            None => Some(d),
            Some(l) if l != d && contains(found, l, d) => Some(d),
            Some(_) => None,
        });
        if let (Some(m), Some(d)) = (found.out.meetings.first_mut(), refine) {
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

    /// The lists after people nouns come noun by noun (in the order of `PEOPLE_GROUPS`),
    /// then "of" before "from", then in text order; each list in its own order.
    #[test]
    fn group_lists_keep_their_order() {
        let t = "Officials from Iran and Turkey met intelligence chiefs of Pakistan and China and envoys of Qatar in Kabul.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 1);
        let who: Vec<&str> = x.meetings[0]
            .attendees
            .iter()
            .map(|&i| x.entities[i].name.as_str())
            .collect();
        assert_eq!(who, vec!["Pakistan", "China", "Iran", "Turkey", "Qatar"]);
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
    fn every_trigger_form_makes_one_meeting() {
        for (form, kind) in [
            ("met", MeetingKind::Meet),
            ("met with", MeetingKind::Meet),
            ("meets", MeetingKind::Meet),
            ("held a meeting with", MeetingKind::Meet),
            ("held talks with", MeetingKind::Negotiate),
            ("held consultations with", MeetingKind::Negotiate),
            ("held discussions with", MeetingKind::Meet),
            ("discussed with", MeetingKind::Meet),
            ("visited", MeetingKind::Visit),
            ("received", MeetingKind::HostVisit),
            ("hosted", MeetingKind::Meet),
            ("chaired a session with", MeetingKind::Meet),
            ("attended a summit with", MeetingKind::Meet),
            ("attended a conference with", MeetingKind::Meet),
            ("spoke by phone with", MeetingKind::Call),
            ("spoke with", MeetingKind::Meet),
            ("held a phone call with", MeetingKind::Call),
            ("had a telephone conversation with", MeetingKind::Call),
            ("held a video conference with", MeetingKind::Call),
            ("spoke by video link with", MeetingKind::Call),
        ] {
            let t = format!("Foreign Minister Ahmad Zafar {form} Foreign Minister Lin Wei.");
            let x = run(&t);
            assert_eq!(x.meetings.len(), 1, "{form}: {:?}", x.meetings);
            let m = &x.meetings[0];
            assert_eq!(names(&x, &m.attendees).len(), 2, "{form}");
            assert_eq!(m.kind, kind, "{form}");
        }
        // A trip and a visit name the place travelled to.
        for form in ["travelled to", "was on a visit to", "made a trip to"] {
            let x = run(&format!(
                "Foreign Minister Ahmad Zafar {form} Beijing on Monday."
            ));
            assert_eq!(x.meetings.len(), 1, "{form}");
            assert_eq!(place(&x, 0), Some("Beijing"), "{form}");
        }
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

    fn place(x: &Extraction, m: usize) -> Option<&str> {
        x.meetings[m].location.map(|i| x.entities[i].name.as_str())
    }

    #[test]
    fn headline_and_dateline_describe_the_lead_meeting() {
        let t = "Spy chiefs meet in Ankara\n\nANKARA, March 3 (Reuters) - Turkey's intelligence chief Ibrahim Kalin hosted Russian security chief Alexander Bortnikov in Ankara on Saturday.";
        let x = run_dated(t, "2024-03-03");
        assert_invariants(t, &x);
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(x.meetings[0].mentions.len(), 2);
        assert_eq!(
            x.meetings[0].date,
            "2024-03-02".parse().ok().map(EventDate::Day)
        );
        assert_eq!(names(&x, &x.meetings[0].hosts), vec!["Ibrahim Kalin"]);
    }

    #[test]
    fn offers_and_refusals_are_not_meetings() {
        let x = run("President Recep Tayyip Erdogan has repeatedly offered to host peace talks.");
        assert!(x.meetings.is_empty());
        let x = run("Foreign Minister Ahmad Zafar rejected any talks with the Taliban.");
        assert!(x.meetings.is_empty());
    }

    #[test]
    fn expected_meeting_is_another_event() {
        let t = "Foreign Minister Ahmad Zafar held talks with Foreign Minister Lin Wei in Beijing and was expected to meet Defence Minister Karim Haddad in Shanghai.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 2);
    }

    #[test]
    fn hosts_passive_apposition_and_adverb() {
        let x = run(
            "Foreign Minister Lin Wei was received by Foreign Minister Ahmad Zafar in Islamabad.",
        );
        assert_eq!(names(&x, &x.meetings[0].hosts), vec!["Ahmad Zafar"]);
        let x = run("The National Security Adviser, Ahmad Zafar, yesterday hosted Foreign Minister Lin Wei in Islamabad.");
        assert_eq!(names(&x, &x.meetings[0].hosts), vec!["Ahmad Zafar"]);
        let x = run("Foreign Minister Ahmad Zafar received today Foreign Minister Lin Wei.");
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(names(&x, &x.meetings[0].hosts), vec!["Ahmad Zafar"]);
    }

    #[test]
    fn city_as_host_is_the_place() {
        let x = run("The ministers discussed the emergency summit to be hosted by Cairo.");
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(place(&x, 0), Some("Cairo"));
        assert!(x.meetings[0].hosts.is_empty());
    }

    #[test]
    fn reference_back_keeps_place_and_reporters_out() {
        let t = "Foreign Minister Ahmad Zafar visited Beijing on Monday. Spokesman Tariq Omar told reporters in Moscow he had no information on the visit.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(place(&x, 0), Some("Beijing"));
        assert_eq!(names(&x, &x.meetings[0].attendees), vec!["Ahmad Zafar"]);
        // "the opportunity to meet" is not a reference back.
        let x = run("Thank you for the opportunity to meet with you.");
        assert!(x.meetings.is_empty());
    }

    #[test]
    fn phone_conversation_is_a_call() {
        let x = run("Foreign Minister Ahmad Zafar had a telephone conversation with Foreign Minister Lin Wei.");
        assert_eq!(x.meetings.first().map(|m| m.kind), Some(MeetingKind::Call));
        let x = run("Foreign Minister Ahmad Zafar spoke by phone with Foreign Minister Lin Wei.");
        assert_eq!(x.meetings.first().map(|m| m.kind), Some(MeetingKind::Call));
    }

    #[test]
    fn place_after_the_trigger_wins() {
        let t = "Diplomats in Buenos Aires said both sides are organising a meeting between Foreign Minister Ahmad Zafar and Foreign Minister Lin Wei in Rio de Janeiro.";
        let x = run(t);
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(place(&x, 0), Some("Rio de Janeiro"));
    }

    #[test]
    fn invitations_news_conferences_and_hosted_refugees_are_not_meetings() {
        for t in [
            "The minister invited Foreign Minister Lin Wei to visit Beijing at a convenient time.",
            "Foreign Minister Ahmad Zafar told a news conference in Kabul that talks would resume.",
            "Jordan hosts some 650,000 registered Syrian refugees, according to the UN.",
            "Relations soured after the government suspended EU accession talks last year.",
        ] {
            let x = run(t);
            assert!(x.meetings.is_empty(), "{t}: {:?}", x.meetings);
        }
    }

    #[test]
    fn a_call_has_no_place_and_adjectives_are_no_places() {
        let x = run(
            "Foreign Minister Ahmad Zafar held a phone call with Foreign Minister Lin Wei \
             about civilians held in Russian captivity in Moscow.",
        );
        assert_eq!(x.meetings.len(), 1);
        assert_eq!(place(&x, 0), None);
        let x = run(
            "Foreign Minister Ahmad Zafar met Foreign Minister Lin Wei, a deputy \
             secretary in the US State Department.",
        );
        assert_eq!(place(&x, 0), None);
    }

    #[test]
    fn the_next_sentence_goes_on_about_the_meeting_unless_it_says_another() {
        let x = run(
            "Pakistan's foreign minister has met his Chinese counterpart in Beijing. \
             Foreign Minister Ahmad Zafar and Foreign Minister Lin Wei held talks on trade.",
        );
        assert_eq!(x.meetings.len(), 1, "{:?}", x.meetings);
        let who = names(&x, &x.meetings[0].attendees);
        for n in ["Pakistan", "China", "Ahmad Zafar", "Lin Wei"] {
            assert!(who.iter().any(|w| w == n), "{n} in {who:?}");
        }
        let x = run(
            "Foreign Minister Ahmad Zafar met Foreign Minister Lin Wei in Beijing. \
             Zafar also met President Xu Ming.",
        );
        assert_eq!(x.meetings.len(), 2, "{:?}", x.meetings);
    }

    #[test]
    fn countries_stand_for_unnamed_officials_only() {
        let x = run("Pakistan's foreign minister met his Chinese counterpart in Beijing.");
        let who = names(&x, &x.meetings[0].attendees);
        assert!(who.contains(&"Pakistan".to_string()) && who.contains(&"China".to_string()));
        let x = run(
            "Pakistan's army chief General Ahmad Zafar met Chinese Foreign Minister Lin \
             Wei in Beijing.",
        );
        let who = names(&x, &x.meetings[0].attendees);
        assert!(!who.contains(&"Pakistan".to_string()), "{who:?}");
        assert!(!who.contains(&"China".to_string()), "{who:?}");
        // Officials who report on a meeting do not stand for their country in it.
        let x = run(
            "Indian officials said Foreign Minister Ahmad Zafar met Foreign Minister Lin \
             Wei in Beijing.",
        );
        let who = names(&x, &x.meetings[0].attendees);
        assert!(!who.contains(&"India".to_string()), "{who:?}");
    }

    #[test]
    fn pronoun_subjects_and_reporters() {
        let x = run(
            "Director Ahmad Zafar has led the agency since 2023. Last month he \
             travelled to Beijing, where he met Minister Lin Wei.",
        );
        assert_eq!(x.meetings.len(), 1, "{:?}", x.meetings);
        let who = names(&x, &x.meetings[0].attendees);
        assert!(who.contains(&"Ahmad Zafar".to_string()), "{who:?}");
        assert!(who.contains(&"Lin Wei".to_string()), "{who:?}");
        assert_eq!(place(&x, 0), Some("Beijing"));
        // 2025-03-11 is a Tuesday; the spokesman speaks about the meeting.
        let x = run_dated(
            "Kremlin spokesman Dmitri Peskov confirmed that President Vladimir Putin would \
             receive Foreign Minister Ahmad Zafar on Wednesday.",
            "2025-03-11",
        );
        let m = &x.meetings[0];
        let who = names(&x, &m.attendees);
        assert!(!who.iter().any(|w| w.contains("Peskov")), "{who:?}");
        assert_eq!(
            m.date,
            Some(EventDate::Day(
                chrono::NaiveDate::from_ymd_opt(2025, 3, 12).unwrap_or_default()
            ))
        );
    }

    #[test]
    fn organisations_before_the_noun_and_cities_as_hosts() {
        let x = run("Arab leaders will gather for an Arab League summit in Cairo.");
        let who = names(&x, &x.meetings[0].attendees);
        assert!(who.iter().any(|w| w == "League of Arab States"), "{who:?}");
        let x = run("In 2022 Istanbul hosted direct peace talks between Ukraine and Russia.");
        assert_eq!(place(&x, 0), Some("Istanbul"));
    }

    #[test]
    fn later_in_the_day_is_the_same_day() {
        let x = run_dated(
            "Foreign Minister Ahmad Zafar met Foreign Minister Lin Wei in Beijing on Monday. \
             Later in the day, Zafar also met President Xu Ming.",
            "2025-03-11",
        );
        assert_eq!(x.meetings.len(), 2, "{:?}", x.meetings);
        assert_eq!(x.meetings[0].date, x.meetings[1].date);
        assert!(x.meetings[1].date.is_some());
    }
}
