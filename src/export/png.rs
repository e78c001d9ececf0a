//! PNG of an SVG picture, rasterised in-process by resvg with only the embedded font (no
//! system fonts are read), so the same SVG gives the same pixels on every machine.

use super::font::{BOLD, REGULAR};
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

/// Why rasterising failed.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// The SVG did not parse.
    #[error("cannot read the SVG: {0}")]
    Svg(String),
    /// The picture is too large to rasterise.
    #[error("the picture is too large for a PNG ({width}×{height} pixels); narrow it or use SVG")]
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// Encoding failed.
    #[error("cannot encode the PNG: {0}")]
    Encode(String),
}

/// The largest side of a PNG, in pixels.
const MAX_SIDE: f32 = 16_000.0;

/// The options resvg parses our SVG with: the embedded font for every family.
fn options() -> usvg::Options<'static> {
    let mut opt = usvg::Options::default();
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family("Liberation Sans");
    opt.font_family = "Liberation Sans".into();
    opt.fontdb = Arc::new(db);
    opt
}

/// Rasterises `svg` at `scale` (2.0: two pixels per SVG unit); large pictures are scaled
/// down to fit 16,000 pixels a side.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| PngError::Svg(e.to_string()))?;
    let size = tree.size();
    let longest = size.width().max(size.height()).max(1.0);
    let scale = scale.min(MAX_SIDE / longest).max(0.01);
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1)).ok_or(PngError::TooLarge {
        width: w,
        height: h,
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dark_pixels(png: &[u8]) -> usize {
        let p = tiny_skia::Pixmap::decode_png(png).expect("decode");
        p.pixels()
            .iter()
            .filter(|c| {
                c.alpha() > 0
                    && u32::from(c.red()) + u32::from(c.green()) + u32::from(c.blue()) < 200
            })
            .count()
    }

    #[test]
    fn text_is_drawn_with_the_embedded_font() {
        let with = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="100%" height="100%" fill="white"/><text x="10" y="28" font-size="20" font-family="Liberation Sans, Arial, sans-serif" font-weight="bold" fill="black">Faiz Hameed</text></svg>"#;
        let without = with.replace("Faiz Hameed", "");
        let a = svg_to_png(with, 1.0).expect("png");
        let b = svg_to_png(&without, 1.0).expect("png");
        assert!(a.starts_with(b"\x89PNG"));
        assert_eq!(dark_pixels(&b), 0);
        assert!(dark_pixels(&a) > 300, "{}", dark_pixels(&a));
        assert_eq!(a, svg_to_png(with, 1.0).expect("png"));
    }
}
