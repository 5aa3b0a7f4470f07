//! Photos with the quality problems vlocr's `quality_warnings` extension reports: a photocopy
//! (black and white), a blurred photo, the card cut by the frame, a photo of a screen showing
//! the card, a reflection that washes out part of it. The truth's `warnings` lists the photo's
//! problems.

use image::{Rgb, RgbImage};
use vlocr_geometry::{Point, Quad};

use crate::photo::over_card;
use crate::Random;

/// A problem of a photo, as `quality_warnings` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Warning {
    /// A black-and-white photocopy of the card, photographed.
    Copy,
    /// The photo out of focus or shaken.
    Blur,
    /// Part of the card outside the photo.
    Incomplete,
    /// The card shown on a screen, photographed: the screen's pixel grid beats against the
    /// camera's (moire).
    Recapture,
    /// A light's reflection on the laminate washes part of the card out to white.
    Reflection,
}

impl Warning {
    /// Half the photos have no problem; the others one of them, equally often.
    pub(crate) fn draw(random: &mut Random) -> Option<Warning> {
        if random.chance(0.5) {
            return None;
        }
        Some(*random.pick(&[Warning::Copy, Warning::Blur, Warning::Incomplete]))
    }

    /// The name `quality_warnings` gives it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Warning::Copy => "copy",
            Warning::Blur => "blur",
            Warning::Incomplete => "incomplete",
            Warning::Recapture => "recapture",
            Warning::Reflection => "reflection",
        }
    }

    /// Whether a photo [`Warning::draw`] left without a problem is a recapture instead (drawn
    /// from a stream of its own, so the other cases stay as they were drawn before it).
    pub(crate) fn draw_recapture(random: &mut Random) -> bool {
        random.chance(0.4)
    }

    /// Whether a photo left without a problem by [`Warning::draw`] and
    /// [`Warning::draw_recapture`] has a reflection instead (a stream of its own, as there).
    pub(crate) fn draw_reflection(random: &mut Random) -> bool {
        random.chance(0.5)
    }
}

/// How far towards white a point of the card may be washed and its print still be read: a
/// field with a point of its box washed out further is hidden.
const WASHED_OUT: f32 = 0.9;

/// A light's reflection on the card's laminate: an elliptical spot, white at its core (the
/// camera's pixels full, the print gone) and fading out to its rim.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reflection {
    /// Its centre, as fractions of the card's width and height.
    centre: (f32, f32),
    /// Its half axes along the card's width and height, as fractions of the card's width.
    radii: (f32, f32),
    /// How far beyond white its centre is lit: its core, where it is white, reaches
    /// `sqrt(1 - 1 / strength)` of the way to its rim.
    strength: f32,
}

impl Reflection {
    /// A spot somewhere inside the card, a tenth to a fifth of its width across each way.
    pub(crate) fn draw(random: &mut Random) -> Reflection {
        let across = random.range(0.10, 0.2);
        let aspect = random.range(0.5, 1.0);
        let radii = if random.chance(0.5) {
            (across, across * aspect)
        } else {
            (across * aspect, across)
        };
        Reflection {
            centre: (random.range(0.15, 0.85), random.range(0.2, 0.8)),
            radii,
            strength: random.range(1.6, 2.6),
        }
    }

    /// How far the point at fractions `(u, v)` of a card `aspect` high per unit of width is
    /// washed towards white: 1 at the core, 0 outside the spot.
    fn washed(&self, (u, v): (f32, f32), aspect: f32) -> f32 {
        let dx = (u - self.centre.0) / self.radii.0;
        let dy = (v - self.centre.1) * aspect / self.radii.1;
        (self.strength * (1.0 - dx * dx - dy * dy)).clamp(0.0, 1.0)
    }

    /// Lights the spot on the card of `card` pixels in `quad` of `photo`.
    pub(crate) fn shine(&self, photo: &mut RgbImage, quad: &Quad, card: (u32, u32)) {
        let (cw, ch) = (card.0 as f32, card.1 as f32);
        over_card(photo, quad, card, |pixel, _, at, _| {
            let a = self.washed((at.x / cw, at.y / ch), ch / cw);
            if a > 0.0 {
                for v in &mut pixel.0 {
                    *v = (f32::from(*v) * (1.0 - a) + 255.0 * a) as u8;
                }
            }
        });
    }

    /// Whether the box `(x0, y0, x1, y1)` (fractions of the card of `card` pixels) has a
    /// point washed out past [`WASHED_OUT`]: its value can no longer be read whole.
    pub(crate) fn hides(&self, (x0, y0, x1, y1): crate::CardArea, card: (u32, u32)) -> bool {
        let aspect = card.1 as f32 / card.0 as f32;
        (0..=12).any(|i| {
            (0..=6).any(|j| {
                let u = x0 + (x1 - x0) * i as f32 / 12.0;
                let v = y0 + (y1 - y0) * j as f32 / 6.0;
                self.washed((u, v), aspect) >= WASHED_OUT
            })
        })
    }
}

/// The card in `quad` of `photo` as a screen shows it, the photo taken of the screen: dimmer
/// blacks and a bluish white, and each screen pixel (`0.8`-`1.6` pixels of the card image)
/// made of red, green and blue stripes with a dark gap between rows, each photo pixel the mean
/// of 3 x 3 points of it (a camera's pixel sees an area, so its grid and the screen's beat into
/// coloured bands: moire), the pattern's depth softened as the lens softens it.
pub(crate) fn on_screen(photo: &mut RgbImage, quad: &Quad, card: (u32, u32), random: &mut Random) {
    let pitch = random.range(0.8, 1.6);
    let black = random.range(18.0, 40.0);
    let blue = random.range(4.0, 16.0);
    let leak = random.range(0.15, 0.35);
    let gap = random.range(0.1, 0.25);
    let depth = random.range(0.35, 0.75);
    // The mask's mean over a screen pixel, so the screen is as bright as the card was.
    let mean = (1.0 + 2.0 * leak) / 3.0 * (1.0 - gap);
    over_card(photo, quad, card, |pixel, (x, y), _, to_card| {
        let mut mask = [0.0f32; 3];
        for sy in 0..3 {
            for sx in 0..3 {
                let p = to_card(Point::new(
                    x as f32 + (sx as f32 + 0.5) / 3.0,
                    y as f32 + (sy as f32 + 0.5) / 3.0,
                ));
                let (u, v) = ((p.x / pitch).rem_euclid(1.0), (p.y / pitch).rem_euclid(1.0));
                let stripe = ((u * 3.0) as usize).min(2);
                let lit = if v < gap { 0.0 } else { 1.0 };
                for (c, m) in mask.iter_mut().enumerate() {
                    *m += lit * if c == stripe { 1.0 } else { leak } / 9.0;
                }
            }
        }
        for (c, v) in pixel.0.iter_mut().enumerate() {
            let shown =
                black + f32::from(*v) * (255.0 - black) / 255.0 + if c == 2 { blue } else { 0.0 };
            let gain = 1.0 + depth * (mask[c] / mean - 1.0);
            *v = (shown * gain).clamp(0.0, 255.0) as u8;
        }
    });
}

/// `card` as a photocopier prints it: grey, with more contrast, the paper's tint and pattern
/// washed to white, a little toner speckle.
pub(crate) fn photocopy(card: &mut RgbImage, random: &mut Random) {
    let contrast = random.range(1.3, 1.7);
    let paper = random.range(235.0, 250.0);
    let seed = random.next_u64();
    for (x, y, pixel) in card.enumerate_pixels_mut() {
        let [r, g, b] = pixel.0.map(f32::from);
        let luma = 0.299 * r + 0.587 * g + 0.114 * b;
        let mut grey = (paper - (235.0 - luma).max(0.0) * contrast).clamp(0.0, 255.0);
        let speck = (x as u64)
            .wrapping_mul(0x9E37_79B9)
            .wrapping_add(y as u64)
            .wrapping_mul(seed | 1)
            >> 54;
        if speck == 0 {
            grey *= 0.6;
        }
        *pixel = Rgb([grey as u8; 3]);
    }
}

/// `photo` out of focus: blurred by a box of a radius that is 0.25% to 0.45% of the card's long
/// side in it (`card_long`, pixels), twice (near a Gaussian): values are still there, but hard
/// to read surely.
pub(crate) fn blurred(photo: &RgbImage, card_long: f32, random: &mut Random) -> RgbImage {
    let radius = (card_long * random.range(0.0025, 0.0045)).round().max(1.0) as u32;
    let once = crate::photo::box_blur(photo, radius);
    crate::photo::box_blur(&once, radius)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reflection_is_white_at_its_core_and_hides_what_it_washes_out() {
        let spot = Reflection {
            centre: (0.5, 0.5),
            radii: (0.1, 0.1),
            strength: 2.0,
        };
        let card = (880, 600);
        let aspect = 600.0 / 880.0;
        assert_eq!(spot.washed((0.5, 0.5), aspect), 1.0);
        assert_eq!(spot.washed((0.65, 0.5), aspect), 0.0);
        // A box over its centre is hidden; one beside it, or under only its faint rim, is not.
        assert!(spot.hides((0.3, 0.45, 0.7, 0.55), card));
        assert!(!spot.hides((0.1, 0.1, 0.3, 0.2), card));
        assert!(!spot.hides((0.59, 0.45, 0.8, 0.55), card));
        let mut photo = RgbImage::from_pixel(880, 600, image::Rgb([200, 200, 200]));
        let whole = Quad::from_rect(0.0, 0.0, 880.0, 600.0);
        spot.shine(&mut photo, &whole, card);
        assert_eq!(photo.get_pixel(440, 300).0, [255, 255, 255]);
        assert_eq!(photo.get_pixel(100, 100).0, [200, 200, 200]);
    }

    #[test]
    fn reflections_lie_inside_the_card() {
        let mut random = Random::new(3);
        for _ in 0..200 {
            let spot = Reflection::draw(&mut random);
            let (u, v) = spot.centre;
            assert!((0.15..=0.85).contains(&u) && (0.2..=0.8).contains(&v));
            assert!(spot.radii.0 <= 0.2 && spot.radii.1 <= 0.2);
        }
    }
}
