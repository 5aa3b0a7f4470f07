//! Photos with the quality problems vlocr's `quality_warnings` extension reports: a photocopy
//! (black and white), a blurred photo, the card cut by the frame, a photo of a screen showing
//! the card. The truth's `warnings` lists the photo's problems.

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
        }
    }

    /// Whether a photo [`Warning::draw`] left without a problem is a recapture instead (drawn
    /// from a stream of its own, so the other cases stay as they were drawn before it).
    pub(crate) fn draw_recapture(random: &mut Random) -> bool {
        random.chance(0.4)
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
