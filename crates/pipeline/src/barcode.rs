//! Where a back page's barcode digits are printed: the band of ink under the barcode's bars,
//! found in the image's ink, not from the card's frame.

use image::RgbImage;

use crate::contrast::{brightness_range, luma};

/// A row is in the bars when at least this share of it is ink (bars and gaps are of about
/// equal width), and not more than the second (a dark table beyond the card's edge).
const BAR_INK: f32 = 0.3;
const MAX_BAR_INK: f32 = 0.85;
/// The bars are at least this tall (share of the searched region's height).
const MIN_BARS: f32 = 0.08;
/// A row under the bars is in the digits while at least this share of it is ink (digits are
/// thin strokes, widely spaced).
const DIGIT_INK: f32 = 0.02;
/// Rows of paper (less ink than [`DIGIT_INK`]) the digits' band may span: a digit's waist.
const GAP_ROWS: usize = 2;
/// The digits' band is at least and at most this tall (shares of the region's height).
const MIN_DIGITS: f32 = 0.03;
const MAX_DIGITS: f32 = 0.25;
/// Ink is darker than this share of the way from the region's darkest to its lightest luma
/// (each with [`INK_CLIP`] of the pixels beyond it).
const INK_LEVEL: f32 = 0.5;
const INK_CLIP: f64 = 0.05;
/// Less contrast than this (luma, 0-255) between ink and paper: nothing printed to find.
const MIN_CONTRAST: f32 = 40.0;

/// In `region` (a straightened cut of the card around the barcode: the bars' lower part and
/// what is printed under them, rows running across the card), the rows of the digits under the
/// bars, as shares of the region's height `(top, bottom)`: the first band of sparse ink under
/// the tallest band of rows that are a third ink or more. `None` when no such bars are found
/// (the barcode covered or out of the region), or nothing sits under them.
pub(crate) fn digits_band(region: &RgbImage) -> Option<(f32, f32)> {
    let (width, height) = region.dimensions();
    if width < 8 || height < 16 {
        return None;
    }
    let (dark, light) = brightness_range(region, 1, INK_CLIP)?;
    let (dark, light) = (f32::from(dark), f32::from(light));
    if light - dark < MIN_CONTRAST {
        return None;
    }
    let level = dark + INK_LEVEL * (light - dark);
    let ink: Vec<f32> = (0..height)
        .map(|y| {
            let dark_pixels = (0..width)
                .filter(|&x| f32::from(luma(region.get_pixel(x, y).0)) < level)
                .count();
            dark_pixels as f32 / width as f32
        })
        .collect();
    // The tallest run of bar rows.
    let mut bars: Option<(usize, usize)> = None;
    let mut start = None;
    for y in 0..=ink.len() {
        let in_bars = y < ink.len() && (BAR_INK..=MAX_BAR_INK).contains(&ink[y]);
        match (in_bars, start) {
            (true, None) => start = Some(y),
            (false, Some(s)) => {
                if bars.is_none_or(|(a, b)| y - s > b - a) {
                    bars = Some((s, y));
                }
                start = None;
            }
            _ => {}
        }
    }
    let (_, bars_end) = bars.filter(|(a, b)| (b - a) as f32 >= MIN_BARS * height as f32)?;
    // The digits: past the bars' blurred foot (rows of less and less ink), from the first
    // inked row to the paper after them.
    let mut foot = bars_end;
    while foot + 1 < ink.len() && ink[foot] >= DIGIT_INK && ink[foot + 1] < ink[foot] {
        foot += 1;
    }
    let top = (foot..ink.len()).find(|&y| ink[y] >= DIGIT_INK && ink[y] < BAR_INK)?;
    let mut bottom = top;
    let mut gap = 0;
    for (y, &share) in ink.iter().enumerate().skip(top) {
        if share >= BAR_INK {
            break;
        }
        if share >= DIGIT_INK {
            bottom = y + 1;
            gap = 0;
        } else {
            gap += 1;
            if gap > GAP_ROWS {
                break;
            }
        }
    }
    let (top, bottom) = (top as f32 / height as f32, bottom as f32 / height as f32);
    (MIN_DIGITS..=MAX_DIGITS)
        .contains(&(bottom - top))
        .then_some((top, bottom))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A region 200 x 100 of paper with bars on rows `bars` (their last rows blurred: thinner)
    /// and digit-like strokes on `digits`.
    fn region(bars: std::ops::Range<u32>, digits: std::ops::Range<u32>) -> RgbImage {
        RgbImage::from_fn(200, 100, |x, y| {
            let bar = bars.contains(&y)
                && if y + 3 >= bars.end {
                    x % 6 < bars.end - y
                } else {
                    x % 6 < 3
                };
            let digit = digits.contains(&y) && x % 14 < 2;
            if bar || digit {
                Rgb([30, 30, 30])
            } else {
                Rgb([235, 232, 228])
            }
        })
    }

    #[test]
    fn the_digits_are_the_ink_under_the_bars() {
        let (top, bottom) = digits_band(&region(10..60, 66..78)).expect("a band");
        assert!((top - 0.66).abs() < 0.011, "{top}");
        assert!((bottom - 0.78).abs() < 0.011, "{bottom}");
    }

    #[test]
    fn no_bars_or_nothing_under_them_is_no_band() {
        assert_eq!(digits_band(&region(0..0, 66..78)), None);
        assert_eq!(digits_band(&region(10..60, 0..0)), None);
        let blank = RgbImage::from_pixel(200, 100, Rgb([235, 232, 228]));
        assert_eq!(digits_band(&blank), None);
    }
}
