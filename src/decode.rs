//! Turning an input's bytes into text: byte-order marks (a UTF-8 BOM is dropped, UTF-16 with
//! a BOM is decoded), invalid UTF-8 (decoded lossily, the offsets of the bad sequences
//! reported), and the inputs that are not text at all (empty, binary). Line breaks, control
//! characters and every other character are kept as they are, so mention offsets count in
//! exactly the text the graph publishes. Knows nothing of articles or formats.

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// No bytes, or only white space.
    #[error("empty input (no text)")]
    Empty,
    /// The bytes look like a binary file.
    #[error("binary data, not UTF-8 text ({0})")]
    Binary(String),
}

/// Text decoded from bytes, with what had to be repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text (without a byte-order mark).
    pub text: String,
    /// The byte-order mark that was removed, if any.
    pub bom: Option<Bom>,
    /// Byte offsets (in the input) of the invalid UTF-8 sequences replaced by U+FFFD.
    pub invalid: Vec<usize>,
}

/// A byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bom {
    /// `EF BB BF`.
    Utf8,
    /// `FF FE`: the rest is UTF-16 little-endian.
    Utf16Le,
    /// `FE FF`: the rest is UTF-16 big-endian.
    Utf16Be,
}

impl Decoded {
    /// A one-line warning about the repairs, when there were any worth telling
    /// (invalid UTF-8). A removed UTF-8 BOM is not worth a warning.
    pub fn warning(&self) -> Option<String> {
        if self.invalid.is_empty() {
            return None;
        }
        const SHOWN: usize = 5;
        let first: Vec<String> = self
            .invalid
            .iter()
            .take(SHOWN)
            .map(usize::to_string)
            .collect();
        let more = if self.invalid.len() > SHOWN {
            format!(" and {} more", self.invalid.len() - SHOWN)
        } else {
            String::new()
        };
        Some(format!(
            "invalid UTF-8 at byte offset{} {}{more} ({} in all), decoded as U+FFFD",
            if self.invalid.len() == 1 { "" } else { "s" },
            first.join(", "),
            self.invalid.len(),
        ))
    }
}

/// How much of the start of an input is inspected for binary data.
const SNIFF: usize = 64 * 1024;

/// Decodes `bytes` as text (see the module doc).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let utf16_text = if let Some(r) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(r, u16::from_le_bytes, Bom::Utf16Le)
    } else if let Some(r) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(r, u16::from_be_bytes, Bom::Utf16Be)
    } else {
        None
    };
    let decoded = match utf16_text {
        Some(d) => d,
        None => {
            let (bom, rest) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(r) => (Some(Bom::Utf8), r),
                None => (None, bytes),
            };
            sniff_binary(rest)?;
            let (text, invalid) = lossy_utf8(rest, bytes.len() - rest.len());
            if invalid.len() * 4 > rest.len().max(1) {
                return Err(DecodeError::Binary(format!(
                    "{} invalid UTF-8 sequences",
                    invalid.len()
                )));
            }
            Decoded { text, bom, invalid }
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(decoded)
}

/// Rejects NUL bytes anywhere and a high share of control bytes at the start.
fn sniff_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    if let Some(i) = memchr::memchr(0, bytes) {
        return Err(DecodeError::Binary(format!("NUL byte at offset {i}")));
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    let control = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    if head.len() >= 16 && control * 10 > head.len() {
        return Err(DecodeError::Binary(format!(
            "{control} control bytes in the first {} bytes",
            head.len()
        )));
    }
    Ok(())
}

/// Decodes UTF-8 lossily; returns the text and the input offsets (shifted by `base`) of the
/// invalid sequences.
fn lossy_utf8(bytes: &[u8], base: usize) -> (String, Vec<usize>) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), Vec::new());
    }
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut invalid = Vec::new();
    let mut at = base;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid.push(at);
            text.push(char::REPLACEMENT_CHARACTER);
            at += chunk.invalid().len();
        }
    }
    (text, invalid)
}

/// UTF-16 after a BOM, when it decodes cleanly into plausible text (no NUL or other
/// control characters but white space, some white space, an even length); otherwise `None`
/// and the bytes are read as UTF-8 (where they fail as binary).
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, bom: Bom) -> Option<Decoded> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2 + 16);
    let mut space = false;
    for r in char::decode_utf16(units) {
        let c = r.ok()?;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            return None;
        }
        space |= c.is_whitespace();
        text.push(c);
    }
    space.then_some(Decoded {
        text,
        bom: Some(bom),
        invalid: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_kept_as_is() {
        let d = decode("Héllo\r\nworld\u{200b}\u{0301}".as_bytes()).expect("text");
        assert_eq!(d.text, "Héllo\r\nworld\u{200b}\u{0301}");
        assert_eq!(d.bom, None);
        assert!(d.invalid.is_empty());
        assert_eq!(d.warning(), None);
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let d = decode(b"\xEF\xBB\xBFHeadline\nBody").expect("text");
        assert_eq!(d.text, "Headline\nBody");
        assert_eq!(d.bom, Some(Bom::Utf8));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let d = decode(b"ab\xffcd\xc3(e").expect("text");
        assert_eq!(d.text, "ab\u{fffd}cd\u{fffd}(e");
        assert_eq!(d.invalid, vec![2, 5]);
        let w = d.warning().expect("warning");
        assert!(w.contains("offsets 2, 5"), "{w}");
        // Offsets count in the input, BOM included.
        let d = decode(b"\xEF\xBB\xBFHello there \xff").expect("text");
        assert_eq!(d.invalid, vec![15]);
    }

    #[test]
    fn many_bad_bytes_are_summarised() {
        let mut b = b"Some text that is long enough to be text. ".repeat(4);
        for i in 0..8 {
            b[i * 10] = 0xff;
        }
        let d = decode(&b).expect("text");
        let w = d.warning().expect("warning");
        assert!(w.contains("and 3 more (8 in all)"), "{w}");
    }

    #[test]
    fn empty_and_blank_inputs_are_empty() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\r\n\t"), Err(DecodeError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF\n"), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_data_is_rejected() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00abc"),
            Err(DecodeError::Binary(_))
        ));
        let noise: Vec<u8> = (0u8..200).map(|i| (i % 31) + 1).collect();
        assert!(matches!(decode(&noise), Err(DecodeError::Binary(_))));
        let junk: Vec<u8> = (0..200).map(|i| 0x80 + (i % 64) as u8).collect();
        assert!(matches!(decode(&junk), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn a_few_control_characters_are_text() {
        let d = decode(b"Head\x07line\n\x1bBody text goes here, it is long.").expect("text");
        assert!(d.text.contains('\x07'));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Añ \u{1F600}".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).expect("text").text, "Añ \u{1F600}");
        let mut be = vec![0xFE, 0xFF];
        for u in "Añ\nb".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).expect("text").text, "Añ\nb");
        // Four bytes that merely start like UTF-16 are binary.
        assert!(matches!(
            decode(&[0xff, 0xfe, 0x00, 0x41]),
            Err(DecodeError::Binary(_))
        ));
    }
}
