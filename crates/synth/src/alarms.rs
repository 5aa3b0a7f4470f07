//! Photos with the problems Huawei's `alarm` flags: something over part of the card (a thumb, a
//! sheet of paper) or the card cut by the frame. Each field whose value is hidden becomes `null`
//! in the truth (not scored), and the truth says which problem the photo has.

use image::Rgb;
use serde::Serialize;
use vlocr_geometry::{Homography, Point, Quad};

use crate::{CardArea, Random, Sample};

/// The problems a photo has, as Huawei's `alarm_result` reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AlarmTruth {
    /// Something covers part of the card inside its border.
    pub blocking: bool,
    /// Part of the card's border is outside the photo.
    pub border_incomplete: bool,
}

/// What a photo of the alarm set shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    None,
    Thumb,
    Paper,
    Cut,
}

impl Problem {
    /// Half the photos have no problem; the others a thumb, a sheet of paper or a cut border,
    /// equally often.
    pub(crate) fn draw(random: &mut Random) -> Problem {
        if random.chance(0.5) {
            return Problem::None;
        }
        *random.pick(&[Problem::Thumb, Problem::Paper, Problem::Cut])
    }
}

/// A sheet of paper over part of the card: a light rectangle with a soft shadow along two edges,
/// over the start of one or two fields' values. Every field whose value it touches becomes
/// `null` in the truth.
pub(crate) fn paper(sample: &mut Sample, boxes: &[(&str, CardArea)], random: &mut Random) {
    let (w, h) = (sample.image.width() as f32, sample.image.height() as f32);
    let (_, (x0, y0, _, y1)) = *random.pick(boxes);
    let (px0, py0) = (x0 + random.range(-0.05, 0.05), y0 - random.range(0.0, 0.05));
    let (px1, py1) = (
        px0 + random.range(0.15, 0.35),
        y1 + random.range(0.02, 0.15),
    );
    let sheet = *random.pick(&[[246u8, 246, 240], [238, 232, 210], [225, 236, 245]]);
    let shadow = 0.012;
    for py in 0..sample.image.height() {
        for px in 0..sample.image.width() {
            let (u, v) = (px as f32 / w, py as f32 / h);
            if (px0..px1).contains(&u) && (py0..py1).contains(&v) {
                sample.image.put_pixel(px, py, Rgb(sheet));
            } else if (px0 + shadow..px1 + shadow).contains(&u)
                && (py0 + shadow..py1 + shadow).contains(&v)
            {
                let Rgb(c) = *sample.image.get_pixel(px, py);
                sample
                    .image
                    .put_pixel(px, py, Rgb(c.map(|c| (f32::from(c) * 0.7) as u8)));
            }
        }
    }
    hide(sample, boxes, |(bx0, by0, bx1, by1)| {
        bx0 < px1 && px0 < bx1 && by0 < py1 && py0 < by1
    });
}

/// Sets to `null` the truth of every field whose box `hidden` says is covered.
pub(crate) fn hide(
    sample: &mut Sample,
    boxes: &[(&str, CardArea)],
    hidden: impl Fn(CardArea) -> bool,
) {
    for (key, area) in boxes {
        if hidden(*area) {
            if let Some(value) = sample.truth.fields.get_mut(*key) {
                *value = serde_json::Value::Null;
            }
        }
    }
}

/// The photo cut by the frame: a band is taken off one side, through 8% to 30% of the card
/// (`quad`, its corners in the photo; `card` its size in pixels). Every field whose value box
/// is not wholly left in the photo becomes `null` in the truth.
pub(crate) fn cut(
    sample: &mut Sample,
    card: (u32, u32),
    quad: &Quad,
    boxes: &[(&str, CardArea)],
    random: &mut Random,
) {
    let (w, h) = sample.image.dimensions();
    let (qx0, qy0, qx1, qy1) = quad.bounds();
    let depth = random.range(0.08, 0.3);
    // The part kept, in the photo's pixels: (x0, y0, x1, y1).
    let kept = match random.between(0, 3) {
        0 => (qx0 + depth * (qx1 - qx0), 0.0, w as f32, h as f32),
        1 => (0.0, 0.0, qx1 - depth * (qx1 - qx0), h as f32),
        2 => (0.0, qy0 + depth * (qy1 - qy0), w as f32, h as f32),
        _ => (0.0, 0.0, w as f32, qy1 - depth * (qy1 - qy0)),
    };
    let (x0, y0) = (kept.0.max(0.0) as u32, kept.1.max(0.0) as u32);
    let (x1, y1) = ((kept.2 as u32).min(w), (kept.3 as u32).min(h));
    sample.image = image::imageops::crop_imm(&sample.image, x0, y0, x1 - x0, y1 - y0).to_image();
    let flat = Quad::from_rect(0.0, 0.0, card.0 as f32, card.1 as f32);
    let Some(to_photo) = Homography::from_quads(&flat, quad) else {
        return;
    };
    let inside = |u: f32, v: f32| {
        let p = to_photo.apply(Point::new(u * card.0 as f32, v * card.1 as f32));
        (x0 as f32..x1 as f32).contains(&p.x) && (y0 as f32..y1 as f32).contains(&p.y)
    };
    hide(sample, boxes, |(bx0, by0, bx1, by1)| {
        !(inside(bx0, by0) && inside(bx1, by0) && inside(bx1, by1) && inside(bx0, by1))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_come_half_the_time_each_kind_alike() {
        let mut random = Random::new(7);
        let mut counts = [0usize; 4];
        for _ in 0..4000 {
            counts[Problem::draw(&mut random) as usize] += 1;
        }
        assert!((1800..2200).contains(&counts[0]), "{counts:?}");
        for &n in &counts[1..] {
            assert!((550..780).contains(&n), "{counts:?}");
        }
    }
}
