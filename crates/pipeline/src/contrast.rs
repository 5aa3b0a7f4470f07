//! Faint images (a washed-out scan, a card shot against the light): ink and paper stretched apart
//! before anything is read.

use image::RgbImage;

/// The spread of brightness (from the darkest to the lightest percent of the pixels, out of 255)
/// below which an image is faint and is stretched. Measured: the synthetic photo sets spread over
/// 50-200 (none of 760 photos under 50), a small card washed out until its print is a light
/// grey on white over 19-35. Stretching hard photos that spread over 50-64 lost fields (4 on
/// 100), so only what no photo set reaches is stretched.
const FAINT_SPREAD: u8 = 40;

/// The spread below which an image is blank (or noise): nothing printed to stretch apart.
const BLANK_SPREAD: u8 = 8;

/// Share of the pixels left out at each end when finding the darkest and lightest: specks and
/// glints do not set the stretch.
const CLIP: f64 = 0.01;

/// Pixels sampled per row and column step: the spread is a property of the whole image.
const STEP: u32 = 2;

/// `image` with its brightness stretched linearly so that its darkest and lightest percent reach
/// black and white, when it is faint; `None` when it is not (the image is read as it is).
pub(crate) fn stretched(image: &RgbImage) -> Option<RgbImage> {
    let (dark, light) = brightness_range(image, STEP, CLIP)?;
    let spread = light.saturating_sub(dark);
    if !(BLANK_SPREAD..FAINT_SPREAD).contains(&spread) {
        return None;
    }
    let (dark, light) = (f32::from(dark), f32::from(light).max(f32::from(dark) + 1.0));
    let table: [u8; 256] = std::array::from_fn(|v| {
        (((v as f32 - dark) * 255.0 / (light - dark)).round()).clamp(0.0, 255.0) as u8
    });
    let mut out = image.clone();
    for pixel in out.pixels_mut() {
        pixel.0 = pixel.0.map(|c| table[usize::from(c)]);
    }
    Some(out)
}

/// A pixel's brightness (luma, ITU-R BT.601), 0..255.
pub(crate) fn luma([r, g, b]: [u8; 3]) -> u8 {
    ((299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000) as u8
}

/// The brightness below which `clip` of the pixels lie and the one above which as many lie,
/// sampling every `step`-th pixel of every `step`-th row; `None` for an empty image.
pub(crate) fn brightness_range(image: &RgbImage, step: u32, clip: f64) -> Option<(u8, u8)> {
    let mut histogram = [0u64; 256];
    let mut total = 0u64;
    for y in (0..image.height()).step_by(step as usize) {
        for x in (0..image.width()).step_by(step as usize) {
            histogram[usize::from(luma(image.get_pixel(x, y).0))] += 1;
            total += 1;
        }
    }
    if total == 0 {
        return None;
    }
    let cut = (total as f64 * clip) as u64;
    let level = |order: &mut dyn Iterator<Item = usize>| -> u8 {
        let mut seen = 0;
        for v in order {
            seen += histogram[v];
            if seen > cut {
                return v as u8;
            }
        }
        0
    };
    let dark = level(&mut (0..256));
    let light = level(&mut (0..256).rev());
    Some((dark, light))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A light page with a grey stroke: `ink` on `paper`, a fifth of the pixels ink.
    fn page(ink: u8, paper: u8) -> RgbImage {
        RgbImage::from_fn(50, 40, |x, _| {
            if x % 5 == 0 {
                Rgb([ink; 3])
            } else {
                Rgb([paper; 3])
            }
        })
    }

    #[test]
    fn a_faint_page_is_stretched_to_black_and_white() {
        let faint = page(215, 245);
        let out = stretched(&faint).expect("faint");
        assert_eq!(out.get_pixel(0, 0).0, [0; 3]);
        assert_eq!(out.get_pixel(1, 0).0, [255; 3]);
    }

    #[test]
    fn a_page_with_contrast_is_read_as_it_is() {
        assert!(stretched(&page(40, 240)).is_none());
        assert!(stretched(&page(200, 245)).is_none());
    }

    #[test]
    fn a_blank_or_empty_image_is_left_alone() {
        // Nothing printed to stretch apart: noise is not made into ink.
        assert!(stretched(&RgbImage::from_pixel(10, 10, Rgb([128; 3]))).is_none());
        assert!(stretched(&page(240, 245)).is_none());
        assert!(stretched(&RgbImage::new(0, 0)).is_none());
    }
}
