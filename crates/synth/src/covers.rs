//! Covers people put over the personal fields of a license before they share a photo of it:
//! grey blocks, mosaic, black bars (as on the figure of Huawei's own API documentation). A
//! covered field's truth is `""`: `shared/docs/fields.md` answers a masked field empty.

use image::{Rgb, RgbImage};
use serde_json::{Map, Value};

use crate::{PixelBox, Random};

/// The main page's fields people cover.
pub(crate) const FRONT_PERSONAL: [&str; 6] =
    ["number", "name", "address", "model", "vin", "engine_no"];
/// The back page's fields people cover.
pub(crate) const BACK_PERSONAL: [&str; 4] =
    ["number", "file_no", "inspection_record", "code_number"];

/// Chance that each personal field is covered (at least one is).
const COVERED: f32 = 0.6;

/// How a card's covers are drawn (one way per card, as one person covers them all alike).
#[derive(Clone, Copy)]
enum Cover {
    /// A flat block of one colour.
    Block(Rgb<u8>),
    /// The pixels under it averaged in square cells, each 2/5 of the text's height wide.
    Mosaic,
}

/// Covers some of the `personal` fields of `printed` (each field's text box, pixels) on `image`,
/// and makes their `truth` empty.
pub(crate) fn cover(
    image: &mut RgbImage,
    printed: &[(&'static str, PixelBox)],
    personal: &[&str],
    truth: &mut Map<String, Value>,
    random: &mut Random,
) {
    let style = if random.chance(0.5) {
        let grey = random.between(150, 200) as u8;
        if random.chance(0.2) {
            Cover::Block(Rgb([30, 30, 32]))
        } else {
            Cover::Block(Rgb([grey, grey, grey.saturating_add(4)]))
        }
    } else {
        Cover::Mosaic
    };
    let candidates: Vec<&(&str, PixelBox)> = printed
        .iter()
        .filter(|(key, area)| personal.contains(key) && area.2 > area.0)
        .collect();
    let mut chosen: Vec<&(&str, PixelBox)> = candidates
        .iter()
        .copied()
        .filter(|_| random.chance(COVERED))
        .collect();
    if chosen.is_empty() {
        chosen.extend(candidates.first().copied());
    }
    for &(key, (x0, y0, x1, y1)) in chosen {
        let pad = 0.2 * (y1 - y0);
        let area = (x0 - pad, y0 - pad, x1 + pad, y1 + pad);
        let cell = ((y1 - y0) / 2.5).max(4.0) as u32;
        paint(image, area, style, cell);
        if let Some(value) = truth.get_mut(key) {
            *value = Value::String(String::new());
        }
    }
}

/// Paints one cover over `area` (pixels) of `image`; a mosaic's cells are `cell` pixels wide.
fn paint(image: &mut RgbImage, area: PixelBox, style: Cover, cell: u32) {
    let clip = |v: f32, max: u32| (v.max(0.0) as u32).min(max);
    let (x0, y0) = (clip(area.0, image.width()), clip(area.1, image.height()));
    let (x1, y1) = (clip(area.2, image.width()), clip(area.3, image.height()));
    match style {
        Cover::Block(colour) => {
            for y in y0..y1 {
                for x in x0..x1 {
                    image.put_pixel(x, y, colour);
                }
            }
        }
        Cover::Mosaic => {
            let cell = cell.max(1);
            for cy in (y0..y1).step_by(cell as usize) {
                for cx in (x0..x1).step_by(cell as usize) {
                    let (ex, ey) = ((cx + cell).min(x1), (cy + cell).min(y1));
                    let mut sum = [0u64; 3];
                    for y in cy..ey {
                        for x in cx..ex {
                            for (s, c) in sum.iter_mut().zip(image.get_pixel(x, y).0) {
                                *s += u64::from(c);
                            }
                        }
                    }
                    let n = u64::from((ex - cx) * (ey - cy)).max(1);
                    let mean = Rgb(sum.map(|s| (s / n) as u8));
                    for y in cy..ey {
                        for x in cx..ex {
                            image.put_pixel(x, y, mean);
                        }
                    }
                }
            }
        }
    }
}
