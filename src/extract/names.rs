//! Name handling shared by the extractors and the merger: word tokens, normalised names
//! and a transliteration-tolerant key for person names.

use std::ops::Range;

/// A word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    /// Byte range.
    pub range: Range<usize>,
}

impl Tok {
    /// Its text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }

    /// Whether it starts with an upper-case letter.
    pub fn is_capitalized(&self, text: &str) -> bool {
        self.text(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }
}

/// Words in `text[range]`: runs of alphanumerics, keeping inner `-`, `'`, `’` and `.`
/// ("Al-Qaeda", "O'Brien", "Gazeta.Ru").
pub fn tokens(text: &str, range: Range<usize>) -> Vec<Tok> {
    let mut out = Vec::new();
    let s = &text[range.clone()];
    let mut start: Option<usize> = None;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let next_alnum = it.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        let inner = matches!(c, '-' | '\'' | '’' | '.') && start.is_some() && next_alnum;
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(st) = start.take() {
            out.push(Tok {
                range: range.start + st..range.start + i,
            });
        }
    }
    if let Some(st) = start {
        out.push(Tok {
            range: range.start + st..range.end,
        });
    }
    out
}

/// Lower-case, ASCII-folded, punctuation-free form of a name, words single-spaced.
pub fn normalize_name(s: &str) -> String {
    let ascii = deunicode::deunicode(s).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for w in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !w.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out
}

/// A key for one name word that is equal across common transliterations: vowels after the
/// first letter dropped, doubled letters single, and a few spelling equivalences
/// (Hameed/Hamid, Mohammad/Muhammad/Mohammed, Dmitry/Dmitri, Sergey/Sergei).
pub fn word_key(w: &str) -> String {
    let w = respelled(w);
    let mut out = String::new();
    for (i, c) in w.chars().enumerate() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h');
        if i > 0 && vowel {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    // Keep short words distinguishable: a key of one letter keeps the word's vowels.
    if out.len() < 2 {
        return w;
    }
    out
}

/// The spelling equivalences of [`word_key`], applied in this order.
const SPELLINGS: &[(&[u8], u8)] = &[
    (b"ph", b'f'),
    (b"kh", b'k'),
    (b"ck", b'k'),
    (b"q", b'k'),
    (b"w", b'v'),
    (b"dh", b'd'),
    (b"th", b't'),
    (b"sh", b's'),
    (b"z", b's'),
    (b"j", b'y'),
];

/// The normalised word without spaces, with [`SPELLINGS`] applied. The normalised name is
/// ASCII: rewritten byte by byte, in place, one spelling after the other (each as
/// `str::replace` would, leftmost first, without overlaps).
fn respelled(w: &str) -> String {
    let mut b = normalize_name(w).into_bytes();
    b.retain(|&c| c != b' ');
    for (from, to) in SPELLINGS {
        replace_in_place(&mut b, from, *to);
    }
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
}

/// Replaces every `from` in `b` with the byte `to`, leftmost first and without overlaps
/// (as `str::replace`); `from` is not empty.
fn replace_in_place(b: &mut Vec<u8>, from: &[u8], to: u8) {
    let (mut r, mut w) = (0, 0);
    while r < b.len() {
        if b[r..].starts_with(from) {
            b[w] = to;
            r += from.len().max(1);
        } else {
            b[w] = b[r];
            r += 1;
        }
        w += 1;
    }
    b.truncate(w);
}

/// The transliteration-tolerant key of a whole name: its word keys, space-separated.
pub fn name_key(s: &str) -> String {
    normalize_name(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(word_key)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spelling rewrite of `word_key` as it was first written (a `str::replace` per
    /// spelling), for comparison.
    fn respelled_by_replace(w: &str) -> String {
        normalize_name(w)
            .replace(' ', "")
            .replace("ph", "f")
            .replace("kh", "k")
            .replace("ck", "k")
            .replace('q', "k")
            .replace('w', "v")
            .replace("dh", "d")
            .replace("th", "t")
            .replace("sh", "s")
            .replace('z', "s")
            .replace('j', "y")
    }

    #[test]
    fn spellings_are_rewritten_as_str_replace_does() {
        let words = [
            "",
            "Phh",
            "pph",
            "Khalid",
            "Kkh",
            "Dmitry",
            "Mohammed",
            "Shehbaz",
            "Zhou",
            "Jackson",
            "Qureshi",
            "Wajed",
            "Thshdh",
            "ckh",
            "cqh",
            "ppphhh",
            "Hezb-e-Islami",
            "Gulbuddin",
            "Ибрагим",
            "Ahmad Shah",
            "sshh",
            "zhj",
            "dhth",
        ];
        for w in words {
            assert_eq!(respelled(w), respelled_by_replace(w), "{w}");
        }
    }

    #[test]
    fn tokens_keep_inner_punctuation() {
        let t = "Gazeta.Ru and Al-Qaeda's (ISI) O’Brien.";
        let v: Vec<&str> = tokens(t, 0..t.len()).iter().map(|x| x.text(t)).collect();
        assert_eq!(v, vec!["Gazeta.Ru", "and", "Al-Qaeda's", "ISI", "O’Brien"]);
    }

    #[test]
    fn normalized_names() {
        assert_eq!(normalize_name("  Faiz  HAMEED "), "faiz hameed");
        assert_eq!(
            normalize_name("Recep Tayyip Erdoğan"),
            "recep tayyip erdogan"
        );
        assert_eq!(normalize_name("Al-Qaeda"), "al qaeda");
    }

    #[test]
    fn transliteration_variants_share_a_key() {
        assert_eq!(name_key("Faiz Hameed"), name_key("Faiz Hamid"));
        assert_eq!(name_key("Mohammad"), name_key("Muhammad"));
        assert_eq!(name_key("Mohammed"), name_key("Muhammad"));
        assert_eq!(name_key("Dmitry"), name_key("Dmitri"));
        assert_eq!(name_key("Sergey Lavrov"), name_key("Sergei Lavrov"));
        assert_eq!(name_key("Gulbuddin"), name_key("Gulbaddin"));
        assert_eq!(name_key("Zelensky"), name_key("Zelenskyy"));
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(name_key("Imran Khan"), name_key("Imran Kazi"));
        assert_ne!(name_key("Ali"), name_key("Ela"));
        assert_ne!(name_key("Jake Sullivan"), name_key("John Sullivan"));
    }
}
