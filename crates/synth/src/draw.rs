//! Fonts and text drawing.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::{Rgb, RgbImage};

use crate::{Result, SynthError};

/// Where Debian installs the fonts used, and the package of each.
const SYSTEM_FONTS: [(&str, &str); 4] = [
    (
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "fonts-arphic-uming",
    ),
    (
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "fonts-wqy-zenhei",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "fonts-dejavu-core",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "fonts-dejavu-core",
    ),
];

/// The typefaces of a card.
#[derive(Debug)]
pub struct FontSet {
    /// Song (Ming) style: the printed form's Chinese labels.
    pub song: FontVec,
    /// Hei (sans) style: the title, and the printer's Chinese characters.
    pub hei: FontVec,
    /// Monospaced: the printer's Latin letters and digits (with a marked zero).
    pub mono: FontVec,
    /// Serif: the form's English sub-labels.
    pub serif: FontVec,
}

fn load(path: &Path, package: &'static str) -> Result<FontVec> {
    if !path.is_file() {
        return Err(SynthError::FontMissing {
            path: path.to_path_buf(),
            package,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| SynthError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    FontVec::try_from_vec_and_index(bytes, 0).map_err(|_| SynthError::FontInvalid {
        path: path.to_path_buf(),
    })
}

impl FontSet {
    /// The fonts from Debian's packages fonts-arphic-uming, fonts-wqy-zenhei and
    /// fonts-dejavu-core.
    pub fn load_system() -> Result<FontSet> {
        let [song, hei, mono, serif] = SYSTEM_FONTS;
        Ok(FontSet {
            song: load(Path::new(song.0), song.1)?,
            hei: load(Path::new(hei.0), hei.1)?,
            mono: load(Path::new(mono.0), mono.1)?,
            serif: load(Path::new(serif.0), serif.1)?,
        })
    }

    /// The same files, looked up by file name in `dir`.
    pub fn load_from(dir: &Path) -> Result<FontSet> {
        let file = |(path, package): (&str, &'static str)| -> Result<FontVec> {
            let name = Path::new(path)
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_default();
            load(&dir.join(name), package)
        };
        let [song, hei, mono, serif] = SYSTEM_FONTS;
        Ok(FontSet {
            song: file(song)?,
            hei: file(hei)?,
            mono: file(mono)?,
            serif: file(serif)?,
        })
    }
}

/// How to draw a run of text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyle<'a> {
    /// Font for CJK and other non-ASCII characters.
    pub(crate) font: &'a FontVec,
    /// Font for ASCII characters (may be the same).
    pub(crate) ascii_font: &'a FontVec,
    /// Height in pixels.
    pub(crate) size: f32,
    /// Ink colour.
    pub(crate) color: [u8; 3],
    /// Extra space after each character, in pixels.
    pub(crate) spacing: f32,
    /// Ink strength 0..1 (faded print is lower).
    pub(crate) opacity: f32,
    /// Dot-matrix print: the pitch of the printer's dots in pixels (0: solid strokes).
    pub(crate) dot_pitch: f32,
    /// Zeros with a slash through them, as vehicle-license printers print them.
    pub(crate) slashed_zero: bool,
    /// Heavy ink: strokes spread by this many pixels (0: as the font draws them).
    pub(crate) bleed: i64,
}

impl TextStyle<'_> {
    /// How much ink a pixel gets: full on the printer's dots, little between them.
    fn dot_weight(&self, x: i64, y: i64) -> f32 {
        if self.dot_pitch <= 0.0 {
            return 1.0;
        }
        let p = self.dot_pitch;
        let (dx, dy) = (
            (x as f32).rem_euclid(p) - p / 2.0,
            (y as f32).rem_euclid(p) - p / 2.0,
        );
        if dx * dx + dy * dy <= (0.5 * p) * (0.5 * p) {
            1.0
        } else {
            0.3
        }
    }
}

/// Draws `text` with its top-left at `(x, y)`; returns the x after the last character.
pub(crate) fn draw_text(
    image: &mut RgbImage,
    text: &str,
    x: f32,
    y: f32,
    style: &TextStyle<'_>,
) -> f32 {
    let scale = PxScale::from(style.size);
    let mut caret = x;
    for ch in text.chars() {
        let font = if ch.is_ascii() {
            style.ascii_font
        } else {
            style.font
        };
        let scaled = font.as_scaled(scale);
        let baseline = y + scaled.ascent();
        let glyph = scaled.scaled_glyph(ch);
        let advance = scaled.h_advance(glyph.id);
        let glyph = ab_glyph::Glyph {
            position: ab_glyph::point(caret, baseline),
            ..glyph
        };
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                let ink = coverage * style.opacity * style.dot_weight(px, py);
                for spread in 0..=style.bleed {
                    blend(image, px + spread, py, style.color, ink);
                }
            });
            if ch == '0' && style.slashed_zero {
                // A stroke from the lower left to the upper right inside the zero's bowl.
                let (x0, y0, x1, y1) = (bounds.min.x, bounds.min.y, bounds.max.x, bounds.max.y);
                let thickness = (0.09 * (x1 - x0)).max(1.0);
                let steps = ((y1 - y0) * 2.0) as i64;
                for i in 0..=steps {
                    let t = 0.15 + 0.7 * i as f32 / steps.max(1) as f32;
                    let (sx, sy) = (x0 + (x1 - x0) * t, y1 - (y1 - y0) * t);
                    for d in 0..(thickness.ceil() as i64) {
                        let (px, py) = (sx as i64 + d, sy as i64);
                        let ink = style.opacity * style.dot_weight(px, py);
                        blend(image, px, py, style.color, ink * 0.5);
                    }
                }
            }
        }
        caret += advance + style.spacing;
    }
    caret
}

/// Width of `text` as [`draw_text`] would draw it.
pub(crate) fn text_width(text: &str, style: &TextStyle<'_>) -> f32 {
    let scale = PxScale::from(style.size);
    text.chars()
        .map(|ch| {
            let font = if ch.is_ascii() {
                style.ascii_font
            } else {
                style.font
            };
            let scaled = font.as_scaled(scale);
            scaled.h_advance(scaled.glyph_id(ch)) + style.spacing
        })
        .sum()
}

/// Mixes `color` into the pixel at `(x, y)` with weight `alpha` (multiplying, like ink).
pub(crate) fn blend(image: &mut RgbImage, x: i64, y: i64, color: [u8; 3], alpha: f32) {
    if x < 0 || y < 0 || x >= i64::from(image.width()) || y >= i64::from(image.height()) {
        return;
    }
    let alpha = alpha.clamp(0.0, 1.0);
    let pixel = image.get_pixel_mut(x as u32, y as u32);
    let Rgb(old) = *pixel;
    for c in 0..3 {
        let ink = f32::from(old[c]) * f32::from(color[c]) / 255.0;
        pixel.0[c] = (f32::from(old[c]) * (1.0 - alpha) + ink * alpha).round() as u8;
    }
}
