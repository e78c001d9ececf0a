//! Text helpers shared by loading and extraction: byte → char offsets, word
//! boundaries, sentences and lines. Knows nothing of entities.

use std::ops::Range;

/// Maps byte offsets of a text to char (Unicode scalar value) offsets.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every char start, plus the text length at the end.
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        Self { starts }
    }

    /// The char offset of byte offset `byte` (which must be a char boundary; otherwise the
    /// char containing it).
    pub fn char_at(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// `s` without every `suffix` at its end (as `str::trim_end_matches(suffix)`, without
/// building a substring searcher for each call).
pub fn trim_end_str<'a>(s: &'a str, suffix: &str) -> &'a str {
    let mut s = s;
    if suffix.is_empty() {
        return s;
    }
    while let Some(rest) = s.strip_suffix(suffix) {
        s = rest;
    }
    s
}

/// A word without its possessive endings ("Khan's", "Khan’s").
pub fn without_possessive(w: &str) -> &str {
    trim_end_str(trim_end_str(w, "'s"), "’s")
}

/// Whether the char before `start` and the char at `end` are not word chars.
pub fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Letters, digits and the hyphen-free word chars.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Lines of `text` inside `range`, as byte ranges without the line break.
pub fn lines(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, c) in text[range.clone()].char_indices() {
        if c == '\n' {
            let mut end = range.start + i;
            if text[..end].ends_with('\r') {
                end -= 1;
            }
            out.push(start..end);
            start = range.start + i + 1;
        }
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}

const ABBREVIATIONS: &[&str] = &[
    "Gen", "Lt", "Col", "Maj", "Brig", "Capt", "Adm", "Mr", "Mrs", "Ms", "Dr", "St", "Prof", "Sen",
    "Rep", "Gov", "Sgt", "Cpl", "Jr", "Sr", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "Mt", "Ft", "Inc", "Co", "Corp", "Ltd", "Amb",
];

/// Sentences of `text` inside `range` (byte ranges, trimmed). Lines are sentence breaks too.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for line in lines(text, range) {
        let mut start = line.start;
        let bytes = text.as_bytes();
        let mut i = line.start;
        while i < line.end {
            let b = bytes[i];
            if matches!(b, b'.' | b'!' | b'?') {
                // Find the end of closing punctuation.
                let mut j = i + 1;
                while j < line.end && matches!(bytes[j], b'"' | b'\'' | b')') {
                    j += 1;
                }
                let rest = &text[j..line.end];
                let next_starts = rest.starts_with(' ')
                    && rest
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c == '“' || c == '"');
                let prev_word = text[start..i]
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                let is_abbrev = b == b'.'
                    && (ABBREVIATIONS.contains(&prev_word)
                        || (prev_word.len() == 1 && prev_word.chars().all(|c| c.is_uppercase())));
                if next_starts && !is_abbrev {
                    push_trimmed(text, start..j, &mut out);
                    start = j;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        push_trimmed(text, start..line.end, &mut out);
    }
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if r.start + lead < r.end - trail {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Whether most letters of `s` are upper case (an all-caps headline or dateline).
pub fn is_mostly_upper(s: &str) -> bool {
    let (mut up, mut low) = (0usize, 0usize);
    for c in s.chars() {
        if c.is_uppercase() {
            up += 1;
        } else if c.is_lowercase() {
            low += 1;
        }
    }
    up >= 4 && up > 3 * low
}

/// A lower-case ASCII slug: `"Faiz Hameed"` → `"faiz-hameed"`.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_slug(&mut out, s);
    out
}

/// Appends `slug(s)` to `out` (without allocating when `s` is plain ASCII).
pub fn push_slug(out: &mut String, s: &str) {
    // Below DEL, transliteration leaves a text as it is (see `deunicode`).
    let ascii = if s.bytes().all(|b| b < 0x7f) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(s))
    };
    let start = out.len();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if out.len() > start && !out.ends_with('-') && c != '\'' {
            out.push('-');
        }
    }
    while out.len() > start && out.ends_with('-') {
        out.pop();
    }
    if out.len() == start {
        out.push('x');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_trimmed_as_trim_end_matches_does() {
        for w in [
            "",
            "Khan",
            "Khan's",
            "Khan's's",
            "Khan’s",
            "Khan's’s",
            "Khan’s's",
            "'s",
            "s",
            "the the",
        ] {
            for suffix in ["", "'s", "’s", " the", "s"] {
                assert_eq!(
                    trim_end_str(w, suffix),
                    w.trim_end_matches(suffix),
                    "{w:?} {suffix:?}"
                );
            }
            assert_eq!(
                without_possessive(w),
                w.trim_end_matches("'s").trim_end_matches("’s")
            );
        }
    }

    #[test]
    fn char_index_counts_scalars() {
        let t = "a’b c";
        let idx = CharIndex::new(t);
        assert_eq!(idx.char_at(t.find('b').unwrap_or(0)), 2);
        assert_eq!(idx.char_at(t.len()), 5);
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let t = "Lt. Gen. Faiz met Mr. Burns. They talked. U.S. officials said so.";
        let s: Vec<&str> = sentences(t, 0..t.len())
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(
            s,
            vec![
                "Lt. Gen. Faiz met Mr. Burns.",
                "They talked.",
                "U.S. officials said so."
            ]
        );
    }

    #[test]
    fn slugs_pushed_after_a_prefix_are_the_prefix_and_the_slug() {
        for s in [
            "",
            "--",
            "'",
            "Faiz Hameed",
            "Erdoğan",
            "a'b -c-",
            "Ünal/Öz",
            "\u{7f}x",
        ] {
            for prefix in ["", "person/", "a-"] {
                let mut out = prefix.to_string();
                push_slug(&mut out, s);
                assert_eq!(out, format!("{prefix}{}", slug(s)), "{prefix} {s}");
            }
        }
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Faiz Hameed"), "faiz-hameed");
        assert_eq!(slug("Türkiye's  Office"), "turkiyes-office");
        assert_eq!(slug("Gazeta.Ru"), "gazeta-ru");
        assert_eq!(slug("!!"), "x");
    }

    #[test]
    fn word_bounds() {
        let t = "USA and US";
        assert!(is_word_bounded(t, 8, 10));
        assert!(!is_word_bounded(t, 0, 2));
    }

    #[test]
    fn upper_lines() {
        assert!(is_mostly_upper("ISLAMABAD: PAKISTAN HOSTS"));
        assert!(!is_mostly_upper("Pakistan hosts ISI"));
    }
}
