//! The gazetteer stage: countries (names, variants, demonyms), cities, known agencies and
//! organisations from the lexicons, with context rules for ambiguous forms ("IS" the group
//! vs the verb, "US" in all-caps lines, "Jordan" the person vs the country) and all-caps
//! datelines ("ISLAMABAD:").

use super::names::tokens;
use super::{Doc, Extractor, Found};
use crate::lexicon::{Form, Hit};
use crate::model::EntityKind;
use crate::text::{is_mostly_upper, is_word_bounded, lines};
use std::ops::Range;

/// Finds lexicon entities.
pub struct Gazetteer;

/// Words that an acronym may also be, in lower case: such acronyms need context.
const WORD_LIKE: &[&str] = &[
    "is", "it", "as", "at", "on", "in", "an", "or", "us", "we", "he", "me", "no", "so", "do", "go",
    "up", "am", "be", "by", "of", "to", "if", "one", "all", "can", "may", "who", "aid", "arm",
    "art", "sun", "ran", "act", "age", "ago", "air", "and", "man", "men", "war", "end",
];

/// Words after an acronym that show it names a group or body.
const GROUP_NOUNS: &[&str] = &[
    "group",
    "groups",
    "militants",
    "militant",
    "fighters",
    "terrorists",
    "terrorist",
    "jihadists",
    "members",
    "affiliate",
    "affiliates",
    "cell",
    "cells",
    "leader",
    "leaders",
    "chief",
    "official",
    "officials",
    "spokesman",
    "spokesperson",
    "commander",
    "commanders",
    "attack",
    "attacks",
    "claimed",
    "forces",
    "agency",
    "agents",
    "network",
    "fighter",
    "operatives",
    "insurgents",
    "rebels",
    "head",
    "director",
];

impl Extractor for Gazetteer {
    fn name(&self) -> &'static str {
        "gazetteer"
    }

    fn extract(&self, doc: &Doc<'_>, found: &mut Found) {
        let body = doc.article.body.clone();
        let text = doc.text;
        let upper_lines: Vec<Range<usize>> = lines(text, body.clone())
            .into_iter()
            .filter(|l| is_mostly_upper(&text[l.clone()]))
            .collect();
        for (r, hit) in doc.lex.find_all(&text[body.clone()]) {
            let r = body.start + r.start..body.start + r.end;
            let Hit::Entity(i, form) = hit else { continue };
            if !is_word_bounded(text, r.start, r.end) {
                continue;
            }
            let surface = &text[r.clone()];
            let in_upper = upper_lines
                .iter()
                .any(|l| l.start <= r.start && r.end <= l.end);
            if in_upper && surface.chars().count() <= 3 {
                continue;
            }
            if form == Form::Acronym && !acronym_in_context(doc, surface, &r) {
                continue;
            }
            let entry = &doc.lex.entries[i];
            if entry.kind.is_place() && part_of_person_name(doc, surface, &r) {
                continue;
            }
            let kind = entry.kind;
            found.add(doc, kind, &entry.name, Some(&entry.key), r.clone());
            if matches!(kind, EntityKind::Agency | EntityKind::Organization) {
                nested_countries(doc, found, r);
            }
        }
        datelines(doc, found);
    }
}

/// Countries named inside an agency's name ("Russian Security Council", "Ministry of Foreign
/// Affairs of Kazakhstan") are mentions of the country too.
fn nested_countries(doc: &Doc<'_>, found: &mut Found, r: Range<usize>) {
    let toks = tokens(doc.text, r);
    for n in (1..=3).rev() {
        for w in toks.windows(n) {
            let span = w[0].range.start..w[n - 1].range.end;
            if found.spans.iter().any(|s| s.range == span) {
                continue;
            }
            let surface = &doc.text[span.clone()];
            if let Some(Hit::Entity(i, Form::Name | Form::Demonym)) = doc.lex.lookup(surface) {
                let e = &doc.lex.entries[i];
                if e.kind == EntityKind::Country {
                    found.add(doc, e.kind, &e.name, Some(&e.key), span);
                }
            }
        }
    }
}

/// An ambiguous acronym ("IS") counts only after "the" or "(", before a group noun, or when
/// the article defines it in parentheses.
fn acronym_in_context(doc: &Doc<'_>, surface: &str, r: &Range<usize>) -> bool {
    if !WORD_LIKE.contains(&surface.to_lowercase().as_str()) {
        return true;
    }
    let text = doc.text;
    let before = text[..r.start].trim_end();
    // Lower-case only the few chars that matter (not the whole text at every match).
    let tail: String = {
        let mut t: Vec<char> = before.chars().rev().take(8).collect();
        t.reverse();
        t.into_iter().collect()
    };
    if before.ends_with('(') || tail.to_lowercase().ends_with(" the") {
        return true;
    }
    let word: String = text[r.end..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let next: String = word
        .to_lowercase()
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    if GROUP_NOUNS.contains(&next.as_str()) {
        return true;
    }
    text.contains(&format!("({surface})"))
}

/// The last word of `text[from..end]`, tokenising only from the white space before it (white
/// space is never inside a word, so the result is that of tokenising the whole range, without
/// the cost of it on a long line).
fn last_token(text: &str, from: usize, end: usize) -> Option<super::names::Tok> {
    let head = &text[from..end];
    let (i, _) = head
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric())?;
    let start = head[..i]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(w, c)| w + c.len_utf8());
    tokens(text, from + start..end).pop()
}

/// "Jordan" in "Michael Jordan" or "Chad Wolf": a place name that is a given name, or that
/// follows one, is part of a person's name.
fn part_of_person_name(doc: &Doc<'_>, surface: &str, r: &Range<usize>) -> bool {
    let text = doc.text;
    let line_start = doc.line_start(r.start);
    let prev = last_token(text, line_start, r.start);
    if let Some(p) = prev {
        let gap = &text[p.range.end..r.start];
        if gap == " " && p.is_capitalized(text) && doc.lex.is_first_name(p.text(text)) {
            return true;
        }
    }
    if doc.lex.is_first_name(surface) || doc.lex.is_place_given_name(surface) {
        let rest = &text[r.end..];
        if let Some(stripped) = rest.strip_prefix(' ') {
            let word: String = stripped
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            let upper_word = word.chars().all(|c| !c.is_lowercase());
            if capital && !upper_word && doc.lex.lookup(&word).is_none() {
                return true;
            }
        }
    }
    false
}

/// All-caps datelines at a line start: "ISLAMABAD:", "MOSCOW (AP) —", "ANKARA, March 3".
fn datelines(doc: &Doc<'_>, found: &mut Found) {
    let text = doc.text;
    for l in lines(text, doc.article.body.clone()) {
        let s = &text[l.clone()];
        let lead = s.len() - s.trim_start().len();
        let start = l.start + lead;
        let head: usize = text[start..l.end]
            .char_indices()
            .find(|(_, c)| !(c.is_uppercase() || *c == ' ' || *c == '-' || *c == '.'))
            .map_or(l.end - start, |(i, _)| i);
        let word = text[start..start + head].trim_end();
        if word.chars().filter(|c| c.is_uppercase()).count() < 3 {
            continue;
        }
        let after = text[start + word.len()..l.end].trim_start();
        if !(after.starts_with(':')
            || after.starts_with(',')
            || after.starts_with('(')
            || after.starts_with('—')
            || after.starts_with('-'))
        {
            continue;
        }
        let r = start..start + word.len();
        if found.overlaps(&r) {
            continue;
        }
        let titled = title_case(word);
        if let Some(Hit::Entity(i, Form::Name)) = doc.lex.lookup(&titled) {
            let e = &doc.lex.entries[i];
            if matches!(e.kind, EntityKind::City | EntityKind::Country) {
                found.add(doc, e.kind, &e.name, Some(&e.key), r);
            }
        }
    }
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == ' ' || c == '-';
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{assert_invariants, ent, run};
    use crate::model::EntityKind;

    #[test]
    fn countries_demonyms_and_variants() {
        let t = "Pakistani and Russian officials met US and U.S. envoys in Britain.";
        let x = run(t);
        assert_invariants(t, &x);
        for n in ["Pakistani", "Russian", "US", "U.S.", "Britain"] {
            let e = ent(&x, n);
            assert_eq!(e.map(|c| c.kind), Some(EntityKind::Country), "{n}");
        }
        assert_eq!(
            ent(&x, "US").map(|c| &c.key),
            ent(&x, "U.S.").map(|c| &c.key)
        );
    }

    #[test]
    fn us_pronoun_and_all_caps_lines() {
        let x = run("JOIN US FOR THE SHOW\n\nThey told us nothing.");
        assert!(ent(&x, "US").is_none());
    }

    #[test]
    fn is_group_vs_verb() {
        let x = run("It IS clear. The IS militants attacked.");
        let is = ent(&x, "IS");
        assert!(is.is_some());
        assert_eq!(is.map(|c| c.mentions.len()), Some(1));
        let x = run("WHAT IS NEXT\n\nThis IS odd.");
        assert!(ent(&x, "IS").is_none());
    }

    #[test]
    fn person_named_like_a_country() {
        let x = run("Chad Wolf met Michael Jordan in Jordan.");
        let j = ent(&x, "Jordan");
        assert_eq!(j.map(|c| c.mentions.len()), Some(1));
        assert!(x.entities.iter().all(|c| c.name != "Chad"));
    }

    #[test]
    fn all_caps_dateline() {
        let t = "Headline\n\nISLAMABAD: Officials met.";
        let x = run(t);
        assert_invariants(t, &x);
        let c = ent(&x, "ISLAMABAD");
        assert_eq!(c.map(|c| c.kind), Some(EntityKind::City));
        assert_eq!(c.map(|c| c.name.as_str()), Some("Islamabad"));
    }
}
