//! Whether a card was photographed off a screen: the screen's pixel grid beats against the
//! camera's into a periodic pattern in the card's colours (moire), which shows as a sharp peak
//! in the spectrum of a small patch of the card, where print, paper and noise spread theirs.

use image::RgbImage;
use vlocr_geometry::{Point, Quad};

/// A patch's side, in the image's own pixels (moire is finer than any resizing would keep).
const PATCH: usize = 64;

/// Where the patches lie on the card, as shares of its width and height (its middle: away
/// from the edges, which a frame fitted to the labels may place off the card).
const AT: [f32; 3] = [0.3, 0.5, 0.7];

/// Frequencies (cycles a patch) measured: periods of 8 pixels and less, finer than the card's
/// print (its lines, characters and seal edges fill the frequencies below).
const LOWEST: f32 = 8.0;

/// The point `share` of the way from `p` to `q`.
fn between(p: Point, q: Point, share: f32) -> Point {
    Point::new(p.x + (q.x - p.x) * share, p.y + (q.y - p.y) * share)
}

/// How much of the colour of the card in `outline` of `image` turns through the hues at one
/// fine frequency ([`turning_share`]), the median over patches of its middle; `None` when no
/// patch lies wholly in the image. At most 0.016 on photos of cards (160 of seeds 9801, 9803
/// and 9804, and seed 9841's other warning cases), 0.05-0.26 on most of a screen's (`vlocr
/// synth --warning-cases`, seed 9841).
pub(crate) fn moire(image: &RgbImage, outline: &Quad) -> Option<f32> {
    let [a, b, c, d] = outline.points;
    let twiddles = Twiddles::new();
    let mut scores: Vec<f32> = Vec::new();
    for v in AT {
        for u in AT {
            let centre = between(between(a, b, u), between(d, c, u), v);
            if let Some(patch) = chroma_patch(image, centre) {
                scores.push(turning_share(&twiddles.power(&patch)));
            }
        }
    }
    if scores.is_empty() {
        return None;
    }
    scores.sort_by(f32::total_cmp);
    Some(scores[scores.len() / 2])
}

/// The patch of `image` centred on `centre` as complex colour (red minus green, blue minus
/// green), its mean taken away and a Hann window applied; `None` when it leaves the image.
fn chroma_patch(image: &RgbImage, centre: Point) -> Option<Vec<(f32, f32)>> {
    let half = (PATCH / 2) as f32;
    let (x0, y0) = (centre.x - half, centre.y - half);
    let (width, height) = image.dimensions();
    if x0 < 0.0 || y0 < 0.0 || x0 + PATCH as f32 > width as f32 || y0 + PATCH as f32 > height as f32
    {
        return None;
    }
    let (x0, y0) = (x0 as u32, y0 as u32);
    let mut values: Vec<(f32, f32)> = Vec::with_capacity(PATCH * PATCH);
    for y in 0..PATCH as u32 {
        for x in 0..PATCH as u32 {
            let [r, g, b] = image.get_pixel(x0 + x, y0 + y).0.map(f32::from);
            values.push((r - g, b - g));
        }
    }
    let count = values.len() as f32;
    let (mean_re, mean_im) = values
        .iter()
        .fold((0.0, 0.0), |(re, im), &(r, i)| (re + r, im + i));
    let (mean_re, mean_im) = (mean_re / count, mean_im / count);
    let hann: Vec<f32> = (0..PATCH)
        .map(|i| 0.5 - 0.5 * (std::f32::consts::TAU * i as f32 / PATCH as f32).cos())
        .collect();
    for (index, value) in values.iter_mut().enumerate() {
        let w = hann[index % PATCH] * hann[index / PATCH];
        *value = ((value.0 - mean_re) * w, (value.1 - mean_im) * w);
    }
    Some(values)
}

/// The share of the measured band's power that one frequency holds more than its opposite:
/// a screen's red, green and blue stripes beat into bands whose hue turns (power at a
/// frequency and none at its opposite), where a printed pattern, of one ink, only grows and
/// fades along one colour (as much power at both), and noise has no frequency of its own.
/// Frequencies from [`LOWEST`] cycles a patch up, leaving out the lattice of JPEG's 8-pixel
/// blocks (multiples of 8 cycles on both axes), whose edges repeat in every compressed photo.
fn turning_share(power: &[f32]) -> f32 {
    let folded = |k: usize| k.min(PATCH - k) as f32;
    let opposite = |k: usize| (PATCH - k) % PATCH;
    let turned =
        |u: usize, v: usize| power[v * PATCH + u] - power[opposite(v) * PATCH + opposite(u)];
    let (mut total, mut turning) = (0.0f32, 0.0f32);
    for v in 0..PATCH {
        for u in 0..PATCH {
            let (fu, fv) = (folded(u), folded(v));
            let block_lattice = (fu as usize).is_multiple_of(8) && (fv as usize).is_multiple_of(8);
            if fu.hypot(fv) >= LOWEST && !block_lattice {
                total += power[v * PATCH + u];
                turning = turning.max(turned(u, v));
            }
        }
    }
    // Colour too faint to tell (a grey copy): below a tenth of a level, squared, a pixel.
    let pixels = (PATCH * PATCH) as f32;
    if total < 0.1 * pixels * pixels {
        return 0.0;
    }
    turning / total
}

/// The cosines and sines of a [`PATCH`]-point discrete Fourier transform, and the order its
/// radix-2 transform reads the input in.
struct Twiddles {
    cos: Vec<f32>,
    sin: Vec<f32>,
    reversed: Vec<usize>,
}

impl Twiddles {
    fn new() -> Twiddles {
        let angle = |k: usize| std::f32::consts::TAU * k as f32 / PATCH as f32;
        let bits = PATCH.trailing_zeros();
        Twiddles {
            cos: (0..PATCH / 2).map(|k| angle(k).cos()).collect(),
            sin: (0..PATCH / 2).map(|k| angle(k).sin()).collect(),
            reversed: (0..PATCH)
                .map(|i| i.reverse_bits() >> (usize::BITS - bits))
                .collect(),
        }
    }

    /// One row's transform (radix 2, in place on a copy): `input` read every `stride` values
    /// from `start`.
    fn transform(&self, input: &[(f32, f32)], start: usize, stride: usize) -> Vec<(f32, f32)> {
        let mut values: Vec<(f32, f32)> = self
            .reversed
            .iter()
            .map(|&i| input[start + i * stride])
            .collect();
        let mut span = 1;
        while span < PATCH {
            let step = PATCH / (2 * span);
            for group in (0..PATCH).step_by(2 * span) {
                for k in 0..span {
                    let (c, s) = (self.cos[k * step], self.sin[k * step]);
                    let (x, y) = values[group + k + span];
                    // Times e^(-i angle).
                    let turned = (x * c + y * s, y * c - x * s);
                    let (a, b) = values[group + k];
                    values[group + k] = (a + turned.0, b + turned.1);
                    values[group + k + span] = (a - turned.0, b - turned.1);
                }
            }
            span *= 2;
        }
        values
    }

    /// The power spectrum of a [`PATCH`] x [`PATCH`] patch (row-major), rows then columns.
    fn power(&self, patch: &[(f32, f32)]) -> Vec<f32> {
        let mut rows = vec![(0.0, 0.0); PATCH * PATCH];
        for y in 0..PATCH {
            let row = self.transform(patch, y * PATCH, 1);
            rows[y * PATCH..(y + 1) * PATCH].copy_from_slice(&row);
        }
        let mut power = vec![0.0; PATCH * PATCH];
        for x in 0..PATCH {
            for (y, (re, im)) in self.transform(&rows, x, PATCH).into_iter().enumerate() {
                power[y * PATCH + x] = re * re + im * im;
            }
        }
        power
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    fn card_outline() -> Quad {
        Quad::from_rect(0.0, 0.0, 600.0, 400.0)
    }

    /// A pale card with dark text-like strokes at irregular places and a little noise.
    fn card() -> RgbImage {
        let mut state = 12345u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut image = RgbImage::from_pixel(600, 400, Rgb([236, 240, 234]));
        for _ in 0..400 {
            let (x, y) = ((next() % 590) as u32, (next() % 390) as u32);
            let (w, h) = (1 + (next() % 8) as u32, 1 + (next() % 8) as u32);
            for yy in y..(y + h).min(400) {
                for xx in x..(x + w).min(600) {
                    image.put_pixel(xx, yy, Rgb([30, 30, 34]));
                }
            }
        }
        for p in image.pixels_mut() {
            for v in &mut p.0 {
                let n = (next() % 9) as i16 - 4;
                *v = (i16::from(*v) + n).clamp(0, 255) as u8;
            }
        }
        image
    }

    /// `image` with bands of `period` pixels whose colour either turns through the hues (a
    /// screen's moire) or only fades in and out (a printed pattern of one ink).
    fn banded(image: &RgbImage, period: f32, turning: bool) -> RgbImage {
        let mut banded = image.clone();
        for (x, y, p) in banded.enumerate_pixels_mut() {
            let t = (x as f32 * 0.9 + y as f32 * 0.44) / period * std::f32::consts::TAU;
            for (c, v) in p.0.iter_mut().enumerate() {
                let shift = if turning { c as f32 } else { 0.0 } * std::f32::consts::TAU / 3.0;
                let ink = if turning || c == 0 { 1.0 } else { 0.3 };
                let gain = 1.0 + 0.1 * ink * (t + shift).sin();
                *v = (f32::from(*v) * gain).clamp(0.0, 255.0) as u8;
            }
        }
        banded
    }

    #[test]
    fn colour_turning_in_fine_bands_is_told_from_print_and_noise() {
        let outline = card_outline();
        let plain = moire(&card(), &outline).expect("measured");
        let screen = moire(&banded(&card(), 5.3, true), &outline).expect("measured");
        let print = moire(&banded(&card(), 5.3, false), &outline).expect("measured");
        assert!(plain < MOIRE, "{plain}");
        assert!(print < MOIRE, "{print}");
        assert!(screen > MOIRE, "{screen}");
    }

    /// What `quality_warnings` takes for a screen.
    const MOIRE: f32 = crate::quality::MOIRE_ABOVE;

    #[test]
    fn the_fast_transform_is_the_discrete_fourier_transform() {
        let input: Vec<(f32, f32)> = (0..PATCH)
            .map(|n| ((n as f32 * 0.7).sin() + 0.3, (n as f32 * 1.9).cos()))
            .collect();
        let fast = Twiddles::new().transform(&input, 0, 1);
        for (k, &(re, im)) in fast.iter().enumerate() {
            let (mut want_re, mut want_im) = (0.0f64, 0.0f64);
            for (n, &(x, y)) in input.iter().enumerate() {
                let angle = -std::f64::consts::TAU * (k * n) as f64 / PATCH as f64;
                let (s, c) = angle.sin_cos();
                want_re += f64::from(x) * c - f64::from(y) * s;
                want_im += f64::from(x) * s + f64::from(y) * c;
            }
            assert!(
                (f64::from(re) - want_re).abs() < 1e-3,
                "{k}: {re} {want_re}"
            );
            assert!(
                (f64::from(im) - want_im).abs() < 1e-3,
                "{k}: {im} {want_im}"
            );
        }
    }

    #[test]
    fn a_grey_card_has_no_colour_to_turn() {
        let grey = RgbImage::from_fn(600, 400, |x, y| {
            image::Rgb([((x * 7 + y * 3) % 200 + 20) as u8; 3])
        });
        assert_eq!(moire(&grey, &card_outline()), Some(0.0));
    }

    #[test]
    fn a_card_leaving_the_image_everywhere_is_not_measured() {
        let outline = Quad::from_rect(-5000.0, -5000.0, -4000.0, -4400.0);
        assert_eq!(moire(&card(), &outline), None);
    }
}
