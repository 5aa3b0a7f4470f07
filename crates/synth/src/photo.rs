//! Turning a flat card into a photo of it: a surface around it, any rotation, perspective,
//! scale, light, glare, shadow, blur, noise and JPEG compression.

use image::{codecs::jpeg::JpegEncoder, Rgb, RgbImage};
use vlocr_geometry::{Homography, Point, Quad};

use crate::Random;

/// How hard the photo is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoLevel {
    /// A phone photo taken with some care: mild tilt, even light, light compression.
    Photo,
    /// Steep perspective, glare, shadow, blur, noise and heavy compression.
    Hard,
}

/// Photographs `card`; returns the photo and the card's corners in it (top-left of the card
/// first, then clockwise). The card's long side fills 35% to 95% of the frame.
pub fn photograph(card: &RgbImage, level: PhotoLevel, random: &mut Random) -> (RgbImage, Quad) {
    photograph_filling(card, level, random, 0.35)
}

/// [`photograph`], the card's long side filling at least `min_fill` (up to 95%) of the frame.
pub fn photograph_filling(
    card: &RgbImage,
    level: PhotoLevel,
    random: &mut Random,
    min_fill: f32,
) -> (RgbImage, Quad) {
    photograph_filling_with(card, level, random, min_fill, Touches::default())
}

/// Something done to the photo, given the card's corners in it.
pub(crate) type Touch<'a> = &'a mut dyn FnMut(&mut RgbImage, &Quad);

/// What is done to a photo as it is taken, besides the camera's own effects; each is given the
/// photo and the card's corners in it.
#[derive(Default)]
pub(crate) struct Touches<'a> {
    /// Done right after the card is put in the photo (before light, blur, noise and
    /// compression): what the card is shown on.
    pub(crate) on_card: Option<Touch<'a>>,
    /// Done after the light (before blur, noise and compression): a light source's own
    /// reflection, which the light does not dim.
    pub(crate) lit: Option<Touch<'a>>,
}

/// [`photograph_filling`], with `touches` done to the photo as it is taken.
pub(crate) fn photograph_filling_with(
    card: &RgbImage,
    level: PhotoLevel,
    random: &mut Random,
    min_fill: f32,
    touches: Touches<'_>,
) -> (RgbImage, Quad) {
    let landscape = random.chance(0.7);
    let frame = if landscape {
        (1600, 1200)
    } else {
        (1200, 1600)
    };
    photograph_in_frame_with(card, level, random, min_fill, frame, touches)
}

/// [`photograph_filling`] into a frame of `(w, h)` pixels.
pub fn photograph_in_frame(
    card: &RgbImage,
    level: PhotoLevel,
    random: &mut Random,
    min_fill: f32,
    frame: (u32, u32),
) -> (RgbImage, Quad) {
    photograph_in_frame_with(card, level, random, min_fill, frame, Touches::default())
}

fn photograph_in_frame_with(
    card: &RgbImage,
    level: PhotoLevel,
    random: &mut Random,
    min_fill: f32,
    (w, h): (u32, u32),
    touches: Touches<'_>,
) -> (RgbImage, Quad) {
    let hard = level == PhotoLevel::Hard;
    let mut photo = surface(w, h, random);
    // The card's long side fills 35% to 95% of the frame along it; then the whole card, turned
    // and tilted, is made to fit in the frame.
    let quarter = if random.chance(if hard { 0.5 } else { 0.3 }) {
        random.between(1, 3) as usize
    } else {
        0
    };
    let along = if quarter % 2 == 1 { h } else { w } as f32;
    let tilt = if hard { 0.12 } else { 0.05 };
    let skew = random.range(-1.0, 1.0) * if hard { 15f32 } else { 6.0 }.to_radians();
    let angle = skew + quarter as f32 * std::f32::consts::FRAC_PI_2;
    let (sin, cos) = angle.sin_cos();
    let aspect = card.height() as f32 / card.width() as f32;
    let extents = |long: f32| {
        let (half_w, half_h) = (
            long / 2.0 * (1.0 + tilt),
            long * aspect / 2.0 * (1.0 + tilt),
        );
        (
            (half_w * cos).abs() + (half_h * sin).abs(),
            (half_w * sin).abs() + (half_h * cos).abs(),
        )
    };
    let mut card_long = random.range(min_fill, 0.95) * along;
    let (ex, ey) = extents(card_long);
    card_long *= (0.98 * w as f32 / 2.0 / ex)
        .min(0.98 * h as f32 / 2.0 / ey)
        .min(1.0);
    let (extent_x, extent_y) = extents(card_long);
    let (half_w, half_h) = (card_long / 2.0, card_long * aspect / 2.0);
    let center = Point::new(
        random.range(extent_x, (w as f32 - extent_x).max(extent_x)),
        random.range(extent_y, (h as f32 - extent_y).max(extent_y)),
    );
    let corners = [
        (-half_w, -half_h),
        (half_w, -half_h),
        (half_w, half_h),
        (-half_w, half_h),
    ]
    .map(|(x, y)| {
        let (x, y) = (
            x * (1.0 + random.range(-tilt, tilt)),
            y * (1.0 + random.range(-tilt, tilt)),
        );
        Point::new(center.x + x * cos - y * sin, center.y + x * sin + y * cos)
    });
    let quad = Quad::new(corners);
    paste(&mut photo, card, &quad);
    if let Some(on_card) = touches.on_card {
        on_card(&mut photo, &quad);
    }
    light(&mut photo, random, hard);
    if let Some(lit) = touches.lit {
        lit(&mut photo, &quad);
    }
    if random.chance(if hard { 0.6 } else { 0.2 }) {
        glare(&mut photo, &quad, random);
    }
    if hard && random.chance(0.5) {
        shadow(&mut photo, random);
    }
    let blur_radius = if hard {
        random.between(0, 2)
    } else {
        random.between(0, 1)
    };
    let mut photo = box_blur(&photo, blur_radius);
    noise(&mut photo, random, if hard { 10.0 } else { 4.0 });
    let quality = if hard {
        random.between(35, 70)
    } else {
        random.between(70, 92)
    } as u8;
    (jpeg_round_trip(&photo, quality), quad)
}

/// A table or hand-like surface: a two-colour gradient with grain.
fn surface(w: u32, h: u32, random: &mut Random) -> RgbImage {
    let base = [
        random.between(60, 200) as f32,
        random.between(60, 190) as f32,
        random.between(50, 180) as f32,
    ];
    let tint = [
        random.range(-40.0, 40.0),
        random.range(-40.0, 40.0),
        random.range(-40.0, 40.0),
    ];
    let seed = random.next_u64();
    RgbImage::from_fn(w, h, |x, y| {
        let t = (x + y) as f32 / (w + h) as f32;
        let grain = ((hash(seed, x / 3, y) % 17) as f32) - 8.0;
        Rgb(std::array::from_fn(|c| {
            (base[c] + tint[c] * t + grain).clamp(0.0, 255.0) as u8
        }))
    })
}

fn hash(seed: u64, x: u32, y: u32) -> u64 {
    let mut z = seed ^ (u64::from(x) << 32 | u64::from(y));
    z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    z ^ (z >> 29)
}

/// Draws `card` into `quad` of `photo` (each pixel the card's pixel under its centre).
pub(crate) fn paste(photo: &mut RgbImage, card: &RgbImage, quad: &Quad) {
    let (cw, ch) = card.dimensions();
    over_card(photo, quad, (cw, ch), |pixel, _, at, _| {
        let (sx, sy) = ((at.x as u32).min(cw - 1), (at.y as u32).min(ch - 1));
        *pixel = *card.get_pixel(sx, sy);
    });
}

/// Calls `each` with every pixel of `photo` whose centre lies on the card in `quad` (a card
/// of `card` pixels), the pixel's place in the photo, the point of the card at its centre, and
/// the map from the photo to the card.
pub(crate) fn over_card(
    photo: &mut RgbImage,
    quad: &Quad,
    card: (u32, u32),
    mut each: impl FnMut(&mut Rgb<u8>, (u32, u32), Point, &dyn Fn(Point) -> Point),
) {
    let (cw, ch) = (card.0 as f32, card.1 as f32);
    let Some(to_card) = Homography::from_quads(quad, &Quad::from_rect(0.0, 0.0, cw, ch)) else {
        return;
    };
    let to_card = |p: Point| to_card.apply(p);
    let (x0, y0, x1, y1) = quad.bounds();
    let (pw, ph) = photo.dimensions();
    for y in (y0.floor().max(0.0) as u32)..(y1.ceil().min(ph as f32) as u32) {
        for x in (x0.floor().max(0.0) as u32)..(x1.ceil().min(pw as f32) as u32) {
            let at = to_card(Point::new(x as f32 + 0.5, y as f32 + 0.5));
            if at.x < 0.0 || at.y < 0.0 || at.x >= cw || at.y >= ch {
                continue;
            }
            each(photo.get_pixel_mut(x, y), (x, y), at, &to_card);
        }
    }
}

/// Overall exposure and contrast, sometimes dim.
fn light(photo: &mut RgbImage, random: &mut Random, hard: bool) {
    let gain = if hard {
        random.range(0.55, 1.15)
    } else {
        random.range(0.85, 1.1)
    };
    let contrast = if hard {
        random.range(0.7, 1.1)
    } else {
        random.range(0.9, 1.05)
    };
    let warm = random.range(-12.0, 12.0);
    for p in photo.pixels_mut() {
        for c in 0..3 {
            let v = (f32::from(p.0[c]) - 128.0) * contrast + 128.0;
            let v = v * gain
                + if c == 0 {
                    warm
                } else if c == 2 {
                    -warm
                } else {
                    0.0
                };
            p.0[c] = v.clamp(0.0, 255.0) as u8;
        }
    }
}

/// A bright reflection on the laminate, somewhere on the card.
fn glare(photo: &mut RgbImage, quad: &Quad, random: &mut Random) {
    let c = quad.center();
    let (cx, cy) = (
        c.x + random.range(-0.3, 0.3) * quad.width(),
        c.y + random.range(-0.3, 0.3) * quad.height(),
    );
    let radius = random.range(0.08, 0.25) * quad.width();
    let strength = random.range(0.4, 0.85);
    let (w, h) = photo.dimensions();
    for y in ((cy - radius).max(0.0) as u32)..((cy + radius).min(h as f32) as u32) {
        for x in ((cx - radius).max(0.0) as u32)..((cx + radius).min(w as f32) as u32) {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() / radius;
            if d < 1.0 {
                let a = strength * (1.0 - d * d);
                let p = photo.get_pixel_mut(x, y);
                for v in &mut p.0 {
                    *v = (f32::from(*v) * (1.0 - a) + 255.0 * a) as u8;
                }
            }
        }
    }
}

/// A soft shadow over one side of the frame (a hand or a phone).
fn shadow(photo: &mut RgbImage, random: &mut Random) {
    let (w, h) = photo.dimensions();
    let angle = random.range(0.0, std::f32::consts::TAU);
    let (nx, ny) = (angle.cos(), angle.sin());
    let offset = random.range(-0.2, 0.3) * w.max(h) as f32;
    let depth = random.range(0.25, 0.5);
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    for (x, y, p) in photo.enumerate_pixels_mut() {
        let d = (x as f32 - cx) * nx + (y as f32 - cy) * ny - offset;
        let a = depth * (d / 60.0).clamp(0.0, 1.0);
        for v in &mut p.0 {
            *v = (f32::from(*v) * (1.0 - a)) as u8;
        }
    }
}

/// A box blur of `radius` pixels (0 leaves the image as it is).
pub(crate) fn box_blur(image: &RgbImage, radius: u32) -> RgbImage {
    if radius == 0 {
        return image.clone();
    }
    let (w, h) = image.dimensions();
    let r = radius as i64;
    let pass = |source: &RgbImage, horizontal: bool| {
        RgbImage::from_fn(w, h, |x, y| {
            let mut sum = [0u32; 3];
            for d in -r..=r {
                let (sx, sy) = if horizontal {
                    ((x as i64 + d).clamp(0, w as i64 - 1) as u32, y)
                } else {
                    (x, (y as i64 + d).clamp(0, h as i64 - 1) as u32)
                };
                let p = source.get_pixel(sx, sy).0;
                for c in 0..3 {
                    sum[c] += u32::from(p[c]);
                }
            }
            let n = (2 * r + 1) as u32;
            Rgb(sum.map(|s| (s / n) as u8))
        })
    };
    pass(&pass(image, true), false)
}

fn noise(photo: &mut RgbImage, random: &mut Random, amplitude: f32) {
    let seed = random.next_u64();
    for (x, y, p) in photo.enumerate_pixels_mut() {
        let n = (hash(seed, x, y) % 1000) as f32 / 1000.0 * 2.0 - 1.0;
        for v in &mut p.0 {
            *v = (f32::from(*v) + n * amplitude).clamp(0.0, 255.0) as u8;
        }
    }
}

/// The image as a JPEG of `quality` would show it.
fn jpeg_round_trip(image: &RgbImage, quality: u8) -> RgbImage {
    let mut bytes = Vec::new();
    let encoded = JpegEncoder::new_with_quality(&mut bytes, quality).encode_image(image);
    match encoded
        .ok()
        .and_then(|()| image::load_from_memory(&bytes).ok())
    {
        Some(decoded) => decoded.into_rgb8(),
        None => image.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_lands_inside_the_frame() {
        let card = RgbImage::from_pixel(132, 90, Rgb([250, 250, 250]));
        for seed in 0..20 {
            let mut random = Random::new(seed);
            let level = if seed % 2 == 0 {
                PhotoLevel::Photo
            } else {
                PhotoLevel::Hard
            };
            let (photo, quad) = photograph(&card, level, &mut random);
            let (x0, y0, x1, y1) = quad.bounds();
            let (w, h) = photo.dimensions();
            assert!(
                x0 >= -1.0 && y0 >= -1.0 && x1 <= w as f32 + 1.0 && y1 <= h as f32 + 1.0,
                "seed {seed}: {quad:?}"
            );
        }
    }
}
