//! The pictures' font: Liberation Sans (SIL OFL 1.1, `assets/fonts/`), embedded in the
//! binary so that every machine measures and rasterises text the same way, with or without
//! system fonts. Owns text measurement; knows nothing of layout.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Liberation Sans Regular.
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold.
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
/// The CSS font family the SVG asks for: the embedded font first, then fonts with the same
/// metrics (Liberation Sans is metric-compatible with Arial), so boxes fit in a browser too.
pub const FAMILY: &str = "Liberation Sans, Arial, Helvetica, sans-serif";

/// The advance width of `text` set in the embedded font at `size` pixels, bold or not.
/// Kerning is ignored, which overestimates slightly: boxes err on the roomy side.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let data = if bold { BOLD } else { REGULAR };
    let Ok(font) = FontRef::new(data) else {
        // The embedded font always parses; a rough estimate keeps this total.
        return text.chars().count() as f64 * size * 0.6;
    };
    let upem = f64::from(
        font.metrics(Size::unscaled(), LocationRef::default())
            .units_per_em,
    );
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let charmap = font.charmap();
    let mut units = 0.0f64;
    for c in text.chars() {
        let gid = charmap.map(c).unwrap_or_default();
        units += f64::from(metrics.advance_width(gid).unwrap_or(0.0));
    }
    units / upem.max(1.0) * size
}

/// Splits `text` into lines no wider than `max` pixels at `size` (a single word wider than
/// `max` gets a line of its own).
pub fn wrap(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        if !cur.is_empty() && text_width(&format!("{cur} {w}"), size, bold) > max {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font() {
        // Arial metrics: 'M' is 0.833 em, 'i' 0.222 em; bold is wider.
        let m = text_width("M", 100.0, false);
        assert!((m - 83.3).abs() < 0.5, "{m}");
        assert!(text_width("i", 100.0, false) < 25.0);
        assert!(text_width("Pakistan", 12.0, true) > text_width("Pakistan", 12.0, false));
        assert_eq!(text_width("", 12.0, false), 0.0);
    }

    #[test]
    fn wraps_by_width() {
        let lines = wrap(
            "Meeting of intelligence chiefs in Islamabad",
            12.0,
            false,
            120.0,
        );
        assert!(lines.len() >= 2);
        for l in &lines {
            assert!(text_width(l, 12.0, false) <= 120.0 || !l.contains(' '));
        }
        assert_eq!(
            lines.join(" "),
            "Meeting of intelligence chiefs in Islamabad"
        );
    }
}
