//! Date expressions in text: absolute dates ("Sept 4", "12th September 2021"), weekdays,
//! "yesterday", vague spans ("last week"), and their resolution against a publication date.

use crate::model::EventDate;
use aho_corasick::AhoCorasick;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// What a date expression says, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A full calendar date.
    Full(NaiveDate),
    /// Month and day, year unstated.
    MonthDay(u32, u32),
    /// A weekday ("on Saturday"): the latest such day on or before publication.
    Weekday(Weekday),
    /// Days relative to publication ("yesterday" = -1).
    Relative(i64),
    /// A vague span kept as text ("last week").
    Vague,
}

/// A date expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// What it says.
    pub value: DateValue,
    /// The text as written.
    pub text: String,
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";

/// The month number of an English month name or abbreviation.
pub fn month_number(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    let lower = s.to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if lower.len() < 3 {
        return None;
    }
    let pos = NAMES.iter().position(|n| lower.starts_with(n))?;
    Some(pos as u32 + 1)
}

type Maker = fn(&regex::Captures<'_>) -> Option<DateValue>;

fn patterns() -> &'static [(Regex, Maker)] {
    static P: OnceLock<Option<Vec<(Regex, Maker)>>> = OnceLock::new();
    P.get_or_init(|| {
        let day_month_year = format!(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?: of)? (?P<m>{MONTHS})\.?,? (?P<y>(?:19|20)\d\d)\b"
        );
        let month_day_year = format!(
            r"\b(?P<m>{MONTHS})\.? (?P<d>[0-3]?\d)(?:st|nd|rd|th)?,? (?P<y>(?:19|20)\d\d)\b"
        );
        let day_month = format!(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?: of)? (?P<m>{MONTHS})\b\.?");
        let month_day = format!(r"\b(?P<m>{MONTHS})\.? (?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b");
        let v: Vec<(Regex, Maker)> = vec![
            (
                Regex::new(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b").ok()?,
                |c| {
                    let y = c.name("y")?.as_str().parse().ok()?;
                    let m = c.name("m")?.as_str().parse().ok()?;
                    let d = c.name("d")?.as_str().parse().ok()?;
                    NaiveDate::from_ymd_opt(y, m, d).map(DateValue::Full)
                },
            ),
            (Regex::new(&day_month_year).ok()?, full),
            (Regex::new(&month_day_year).ok()?, full),
            (Regex::new(&day_month).ok()?, month_day_value),
            (Regex::new(&month_day).ok()?, month_day_value),
            (
                Regex::new(r"\b(?:on |last |this past |this )?(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b").ok()?,
                |c| c.name("w")?.as_str().parse::<Weekday>().ok().map(DateValue::Weekday),
            ),
            (
                Regex::new(r"\b(?:the day before yesterday|yesterday|today|tonight|last night|this morning|earlier today)\b").ok()?,
                |c| {
                    let t = c.get(0)?.as_str();
                    Some(DateValue::Relative(match t {
                        "the day before yesterday" => -2,
                        "yesterday" | "last night" => -1,
                        _ => 0,
                    }))
                },
            ),
            (
                Regex::new(r"\b(?:(?:earlier|later) this (?:week|month|year)|(?:last|this|next) (?:week|month|year)|(?:a few|two|three|several|few) days ago|over the past few days|(?:earlier|late|early) (?:this|last) (?:week|month))\b").ok()?,
                |_| Some(DateValue::Vague),
            ),
        ];
        Some(v)
    })
    .as_deref()
    .unwrap_or(&[])
}

/// Words that every match of pattern `i` of [`patterns`] contains (case as written): a
/// text without any of a pattern's words is not searched with it.
/// `None`: the pattern is always searched.
fn needed(i: usize) -> Option<Vec<&'static str>> {
    Some(match i {
        // 2021-09-12
        0 => vec!["-0", "-1"],
        // day and month, with or without a year
        1..=4 => MONTHS.split('|').collect(),
        // Monday … Sunday
        5 => vec!["day"],
        // yesterday, today, tonight, last night, this morning
        6 => vec!["day", "night", "morning"],
        // last week, earlier this month, a few days ago
        7 => vec!["week", "month", "year", "day"],
        _ => return None,
    })
}

/// The patterns that may match in `hay` (bit `i` for pattern `i`), by the words of
/// [`needed`], found in one pass.
fn candidate_patterns(hay: &str) -> u32 {
    /// The words, the patterns each word is needed by, and the patterns always searched.
    type Needs = (AhoCorasick, Vec<u32>, u32);
    static A: OnceLock<Option<Needs>> = OnceLock::new();
    let Some((ac, masks, always)) = A
        .get_or_init(|| {
            let mut words: Vec<&str> = Vec::new();
            let mut masks: Vec<u32> = Vec::new();
            let mut always = 0;
            for i in 0..patterns().len() {
                let Some(needed) = needed(i) else {
                    always |= 1 << i;
                    continue;
                };
                for w in needed {
                    match words.iter().position(|x| *x == w) {
                        Some(k) => masks[k] |= 1 << i,
                        None => {
                            words.push(w);
                            masks.push(1 << i);
                        }
                    }
                }
            }
            AhoCorasick::new(&words).ok().map(|ac| (ac, masks, always))
        })
        .as_ref()
    else {
        return u32::MAX;
    };
    ac.find_overlapping_iter(hay)
        .fold(*always, |m, hit| m | masks[hit.pattern().as_usize()])
}

fn full(c: &regex::Captures<'_>) -> Option<DateValue> {
    let y = c.name("y")?.as_str().parse().ok()?;
    let m = month_number(c.name("m")?.as_str())?;
    let d = c.name("d")?.as_str().parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d).map(DateValue::Full)
}

fn month_day_value(c: &regex::Captures<'_>) -> Option<DateValue> {
    let m = month_number(c.name("m")?.as_str())?;
    let d: u32 = c.name("d")?.as_str().parse().ok()?;
    (1..=31).contains(&d).then_some(DateValue::MonthDay(m, d))
}

/// All date expressions in `text[range]`, leftmost first, without overlaps (the earlier
/// and more precise pattern wins).
pub fn find_dates(text: &str, range: Range<usize>) -> Vec<DateExpr> {
    let candidates = candidate_patterns(&text[range.clone()]);
    find_with(text, range, candidates)
}

/// [`find_dates`] with the patterns of `candidates` (bit `i` for pattern `i`) only.
fn find_with(text: &str, range: Range<usize>, candidates: u32) -> Vec<DateExpr> {
    let hay = &text[range.clone()];
    let mut found: Vec<DateExpr> = Vec::new();
    let patterns = patterns()
        .iter()
        .enumerate()
        .filter(|(i, _)| candidates & (1 << i) != 0);
    for (_, (re, make)) in patterns {
        for c in re.captures_iter(hay) {
            let Some(m) = c.get(0) else { continue };
            let r = range.start + m.start()..range.start + m.end();
            if found
                .iter()
                .any(|f| f.range.start < r.end && r.start < f.range.end)
            {
                continue;
            }
            if let Some(value) = make(&c) {
                found.push(DateExpr {
                    range: r,
                    value,
                    text: m.as_str().to_string(),
                });
            }
        }
    }
    found.sort_by_key(|d| d.range.start);
    found
}

/// Resolves a date expression against the publication date. Day-precise expressions become
/// `EventDate::Day`; anything else is kept as text, never invented.
pub fn resolve(expr: &DateExpr, published: Option<NaiveDate>) -> EventDate {
    resolve_toward(expr, published, Tense::Past)
}

/// Which way a weekday name points from the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// "met on Saturday": the last such day, or the publication day itself.
    Past,
    /// "will meet on Wednesday": the next such day, or the publication day itself.
    Future,
}

/// Like [`resolve`], with weekday names read toward the past or the future.
pub fn resolve_toward(expr: &DateExpr, published: Option<NaiveDate>, tense: Tense) -> EventDate {
    let text = || EventDate::Text(expr.text.trim().to_string());
    match (&expr.value, published) {
        (DateValue::Full(d), _) => EventDate::Day(*d),
        (DateValue::MonthDay(m, d), Some(p)) => {
            let mut date = NaiveDate::from_ymd_opt(p.year(), *m, *d);
            // A date far after publication belongs to the previous year ("Dec 28" in January).
            if let Some(x) = date {
                if x > p + Duration::days(62) {
                    date = NaiveDate::from_ymd_opt(p.year() - 1, *m, *d);
                }
            }
            date.map_or_else(text, EventDate::Day)
        }
        (DateValue::Weekday(w), Some(p)) if tense == Tense::Future => {
            let ahead = (7 + w.num_days_from_monday() as i64
                - p.weekday().num_days_from_monday() as i64)
                % 7;
            EventDate::Day(p + Duration::days(ahead))
        }
        (DateValue::Weekday(w), Some(p)) => {
            let back = (7 + p.weekday().num_days_from_monday() as i64
                - w.num_days_from_monday() as i64)
                % 7;
            EventDate::Day(p - Duration::days(back))
        }
        (DateValue::Relative(n), Some(p)) => EventDate::Day(p + Duration::days(*n)),
        _ => text(),
    }
}

/// The publication date stated in an article's text ("Published September 12, 2021",
/// "Published in Dawn, September 12th, 2021", "Published: 2021-09-12", a dated dateline).
pub fn publication_date(text: &str) -> Option<NaiveDate> {
    static MARK: OnceLock<Option<Regex>> = OnceLock::new();
    let mark = MARK
        .get_or_init(|| {
            Regex::new(r"(?mi)^\s*(?:published|posted|updated|first published|date)\b[^\n]{0,60}")
                .ok()
        })
        .as_ref()?;
    for m in mark.find_iter(text) {
        for d in find_dates(text, m.range()) {
            if let DateValue::Full(date) = d.value {
                return Some(date);
            }
        }
    }
    // A dateline with a full date in the first lines: "MOSCOW, March 3, 2023 (Reuters) -".
    let head_end = text
        .char_indices()
        .filter(|(_, c)| *c == '\n')
        .nth(4)
        .map_or(text.len(), |(i, _)| i);
    find_dates(text, 0..head_end)
        .into_iter()
        .find_map(|d| match d.value {
            DateValue::Full(date) => Some(date),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// The words that skip patterns never skip a pattern that matches: every pattern finds
    /// the same dates with and without them.
    #[test]
    fn needed_words_never_hide_a_date() {
        let texts = [
            "On 2021-09-12 and 1999-12-31, not 2021-13-01.",
            "12th September 2021, 4 of Sept. 2020, Sept 4, 2021 and Dec. 28th, 2019.",
            "On 5 May, by Jan 3rd, since 21st of March, and Oct. 7.",
            "on Monday, last Tuesday, this past Wednesday, Thursday, Friday, Saturday, Sunday",
            "the day before yesterday, yesterday, today, tonight, last night, this morning, earlier today",
            "earlier this week, later this month, next year, a few days ago, over the past few days, late last month",
            "no date here at all",
        ];
        for (i, _) in patterns().iter().enumerate() {
            let used = texts
                .iter()
                .any(|t| !find_with(t, 0..t.len(), 1 << i).is_empty());
            assert!(used, "no text matches pattern {i}");
        }
        for t in texts {
            for (i, _) in patterns().iter().enumerate() {
                let alone = find_with(t, 0..t.len(), 1 << i);
                let filtered = find_with(t, 0..t.len(), candidate_patterns(t) & (1 << i));
                assert_eq!(alone, filtered, "pattern {i} in {t:?}");
            }
            assert_eq!(
                find_dates(t, 0..t.len()),
                find_with(t, 0..t.len(), u32::MAX)
            );
        }
    }

    fn one(t: &str) -> DateExpr {
        let mut v = find_dates(t, 0..t.len());
        assert_eq!(v.len(), 1, "{t}: {v:?}");
        v.remove(0)
    }

    #[test]
    fn absolute_forms() {
        assert_eq!(
            one("on 12 September 2021").value,
            DateValue::Full(ymd(2021, 9, 12))
        );
        assert_eq!(
            one("September 12th, 2021").value,
            DateValue::Full(ymd(2021, 9, 12))
        );
        assert_eq!(one("on Sept 4, the").value, DateValue::MonthDay(9, 4));
        assert_eq!(one("on Sep. 4").value, DateValue::MonthDay(9, 4));
        assert_eq!(one("the 3rd of March").value, DateValue::MonthDay(3, 3));
        assert_eq!(one("2023-03-01").value, DateValue::Full(ymd(2023, 3, 1)));
    }

    #[test]
    fn month_day_takes_publication_year_or_the_one_before() {
        let e = one("Sept 4");
        assert_eq!(
            resolve(&e, Some(ymd(2021, 9, 12))),
            EventDate::Day(ymd(2021, 9, 4))
        );
        let e = one("Dec 28");
        assert_eq!(
            resolve(&e, Some(ymd(2022, 1, 3))),
            EventDate::Day(ymd(2021, 12, 28))
        );
        assert_eq!(resolve(&e, None), EventDate::Text("Dec 28".into()));
    }

    #[test]
    fn weekdays_resolve_backwards_across_month_and_year() {
        let e = one("on Saturday");
        // 2021-09-12 is a Sunday.
        assert_eq!(
            resolve(&e, Some(ymd(2021, 9, 12))),
            EventDate::Day(ymd(2021, 9, 11))
        );
        let e = one("on Wednesday");
        assert_eq!(
            resolve(&e, Some(ymd(2021, 9, 12))),
            EventDate::Day(ymd(2021, 9, 8))
        );
        // 2022-01-01 is a Saturday: "on Thursday" is 2021-12-30.
        let e = one("on Thursday");
        assert_eq!(
            resolve(&e, Some(ymd(2022, 1, 1))),
            EventDate::Day(ymd(2021, 12, 30))
        );
        // Same weekday as publication: that day.
        let e = one("on Sunday");
        assert_eq!(
            resolve(&e, Some(ymd(2021, 9, 12))),
            EventDate::Day(ymd(2021, 9, 12))
        );
        assert_eq!(resolve(&e, None), EventDate::Text("on Sunday".into()));
    }

    #[test]
    fn future_weekdays_resolve_forwards_across_month_and_year() {
        let e = one("on Wednesday");
        // 2025-03-11 is a Tuesday: "would receive him on Wednesday" is the next day.
        assert_eq!(
            resolve_toward(&e, Some(ymd(2025, 3, 11)), Tense::Future),
            EventDate::Day(ymd(2025, 3, 12))
        );
        // 2021-12-30 is a Thursday: "will meet on Monday" is 2022-01-03.
        let e = one("on Monday");
        assert_eq!(
            resolve_toward(&e, Some(ymd(2021, 12, 30)), Tense::Future),
            EventDate::Day(ymd(2022, 1, 3))
        );
        // The publication's own weekday is that day ("is scheduled to travel on
        // Wednesday" in a Wednesday paper).
        let e = one("on Thursday");
        assert_eq!(
            resolve_toward(&e, Some(ymd(2021, 12, 30)), Tense::Future),
            EventDate::Day(ymd(2021, 12, 30))
        );
        assert_eq!(
            resolve_toward(&e, None, Tense::Future),
            EventDate::Text("on Thursday".into())
        );
    }

    #[test]
    fn ordinals_and_month_day_without_a_year() {
        assert_eq!(
            one("on the 12th of September").value,
            DateValue::MonthDay(9, 12)
        );
        assert_eq!(one("on September 12th").value, DateValue::MonthDay(9, 12));
        assert_eq!(one("on Sept 4").value, DateValue::MonthDay(9, 4));
        assert_eq!(
            resolve(&one("on September 12th"), Some(ymd(2021, 9, 13))),
            EventDate::Day(ymd(2021, 9, 12))
        );
    }

    #[test]
    fn relative_and_vague() {
        let e = one("met yesterday in");
        assert_eq!(
            resolve(&e, Some(ymd(2021, 3, 1))),
            EventDate::Day(ymd(2021, 2, 28))
        );
        let e = one("met earlier this week");
        assert_eq!(
            resolve(&e, Some(ymd(2021, 3, 1))),
            EventDate::Text("earlier this week".into())
        );
    }

    #[test]
    fn publication_lines() {
        assert_eq!(
            publication_date("Title\n\nPublished September 12, 2021\nBody"),
            Some(ymd(2021, 9, 12))
        );
        assert_eq!(
            publication_date("Body\nPublished in Dawn, September 12th, 2021\n"),
            Some(ymd(2021, 9, 12))
        );
        assert_eq!(publication_date("Body on Saturday."), None);
    }
}
