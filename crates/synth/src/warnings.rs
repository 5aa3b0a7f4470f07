//! Photos with the quality problems vlocr's `quality_warnings` extension reports: a photocopy
//! (black and white), a blurred photo, the card cut by the frame. The truth's `warnings` lists
//! the photo's problems (none for half of them).

use image::{Rgb, RgbImage};

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
        }
    }
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
