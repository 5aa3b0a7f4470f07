//! Image resampling along quads.

use image::{imageops, RgbImage};

use crate::{homography::Homography, point::Quad, rotation::QuarterTurn};

/// Cuts the region under `quad` out of `image` and straightens it into an `out_w` x `out_h`
/// image: the quad's top-left corner lands at the output's top-left, and so on. Bilinear
/// sampling; pixels outside the source repeat its border.
pub fn warp_quad(image: &RgbImage, quad: &Quad, out_w: u32, out_h: u32) -> RgbImage {
    let out_w = out_w.max(1);
    let out_h = out_h.max(1);
    let target = Quad::from_rect(0.0, 0.0, out_w as f32, out_h as f32);
    let Some(to_source) = Homography::from_quads(&target, quad) else {
        return RgbImage::new(out_w, out_h);
    };
    let (w, h) = image.dimensions();
    if w == 0 || h == 0 {
        return RgbImage::new(out_w, out_h);
    }
    let source = image.as_raw();
    let mut out = vec![0u8; out_w as usize * out_h as usize * 3];
    for (y, row) in out.chunks_exact_mut(out_w as usize * 3).enumerate() {
        for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
            // Sample at the pixel's centre.
            let src = to_source.apply(crate::Point::new(x as f32 + 0.5, y as f32 + 0.5));
            pixel.copy_from_slice(&bilinear(source, w, h, src.x - 0.5, src.y - 0.5));
        }
    }
    RgbImage::from_raw(out_w, out_h, out).expect("the buffer holds out_w x out_h pixels")
}

/// The colour at `(x, y)` of the `w` x `h` RGB pixels `source` (row-major), interpolated
/// between its four nearest pixels; a point outside the image takes the nearest border's.
fn bilinear(source: &[u8], w: u32, h: u32, x: f32, y: f32) -> [u8; 3] {
    let max_x = (w - 1) as f32;
    let max_y = (h - 1) as f32;
    let x = x.clamp(0.0, max_x);
    let y = y.clamp(0.0, max_y);
    // Both are at least 0 here, where truncation is the floor (and NaN, clamped to NaN,
    // becomes 0 as `floor` then `as` made it).
    let (x0, y0) = (x as u32, y as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |px: u32, py: u32| (py as usize * w as usize + px as usize) * 3;
    let (i00, i10, i01, i11) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
    let mut out = [0u8; 3];
    for c in 0..3 {
        let top = f32::from(source[i00 + c]) * (1.0 - fx) + f32::from(source[i10 + c]) * fx;
        let bottom = f32::from(source[i01 + c]) * (1.0 - fx) + f32::from(source[i11 + c]) * fx;
        out[c] = (top * (1.0 - fy) + bottom * fy + 0.5) as u8;
    }
    out
}

/// Resizes `image` to `out_w` x `out_h` by bilinear interpolation with pixel centres aligned
/// (OpenCV's `INTER_LINEAR`, which PaddleOCR's models were trained with). No anti-aliasing:
/// like OpenCV, a large reduction skips pixels.
pub fn resize_bilinear(image: &RgbImage, out_w: u32, out_h: u32) -> RgbImage {
    let (w, h) = image.dimensions();
    let (out_w, out_h) = (out_w.max(1), out_h.max(1));
    if (w, h) == (out_w, out_h) || w == 0 || h == 0 {
        return if w == 0 || h == 0 {
            RgbImage::new(out_w, out_h)
        } else {
            image.clone()
        };
    }
    resize_bilinear_window(image, out_w, out_h, (0, 0, out_w, out_h))
}

/// The pixels `(x0, y0)` up to (not including) `(x1, y1)` of [`resize_bilinear`]`(image,
/// out_w, out_h)`, the same values, without computing the rest of it: for reading part of a
/// large image at the scale of the whole. The window is clipped to the resized image (an
/// empty window gives a 1x1 black image).
pub fn resize_bilinear_window(
    image: &RgbImage,
    out_w: u32,
    out_h: u32,
    window: (u32, u32, u32, u32),
) -> RgbImage {
    let (w, h) = image.dimensions();
    let (out_w, out_h) = (out_w.max(1), out_h.max(1));
    let (x0, y0) = (window.0.min(out_w), window.1.min(out_h));
    let (x1, y1) = (window.2.clamp(x0, out_w), window.3.clamp(y0, out_h));
    if w == 0 || h == 0 || x1 == x0 || y1 == y0 {
        return RgbImage::new((x1 - x0).max(1), (y1 - y0).max(1));
    }
    // For each output column of the window: the two source columns and the weight of the
    // second (the same as for the whole output: each depends on its own index only).
    let taps = |from: u32, to: u32, out: u32, size: u32| -> Vec<(usize, usize, f32)> {
        let scale = size as f32 / out as f32;
        (from..to)
            .map(|i| {
                let src = ((i as f32 + 0.5) * scale - 0.5).clamp(0.0, (size - 1) as f32);
                let i0 = src.floor() as usize;
                (i0, (i0 + 1).min(size as usize - 1), src - i0 as f32)
            })
            .collect()
    };
    let (columns, rows) = (taps(x0, x1, out_w, w), taps(y0, y1, out_h, h));
    let source = image.as_raw();
    let stride = w as usize * 3;
    let (win_w, win_h) = (x1 - x0, y1 - y0);
    let mut out = vec![0u8; win_w as usize * win_h as usize * 3];
    for (row_out, &(y0, y1, fy)) in out.chunks_exact_mut(win_w as usize * 3).zip(&rows) {
        let (top, bottom) = (
            &source[y0 * stride..][..stride],
            &source[y1 * stride..][..stride],
        );
        for (pixel, &(x0, x1, fx)) in row_out.chunks_exact_mut(3).zip(&columns) {
            for c in 0..3 {
                let upper =
                    f32::from(top[x0 * 3 + c]) * (1.0 - fx) + f32::from(top[x1 * 3 + c]) * fx;
                let lower =
                    f32::from(bottom[x0 * 3 + c]) * (1.0 - fx) + f32::from(bottom[x1 * 3 + c]) * fx;
                pixel[c] = (upper * (1.0 - fy) + lower * fy + 0.5) as u8;
            }
        }
    }
    RgbImage::from_raw(win_w, win_h, out).expect("the buffer has the window's size. This is a bug")
}

/// Turns `image` clockwise by `turn`.
pub fn rotate_image(image: &RgbImage, turn: QuarterTurn) -> RgbImage {
    match turn {
        QuarterTurn::None => image.clone(),
        QuarterTurn::Clockwise90 => imageops::rotate90(image),
        QuarterTurn::Half => imageops::rotate180(image),
        QuarterTurn::Clockwise270 => imageops::rotate270(image),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Point;
    use image::Rgb;

    #[test]
    fn warp_of_an_axis_aligned_rect_is_a_crop() {
        let mut image = RgbImage::new(40, 20);
        for (x, y, p) in image.enumerate_pixels_mut() {
            *p = Rgb([x as u8 * 5, y as u8 * 10, 7]);
        }
        let quad = Quad::from_rect(10.0, 5.0, 30.0, 15.0);
        let crop = warp_quad(&image, &quad, 20, 10);
        assert_eq!(crop.dimensions(), (20, 10));
        assert_eq!(crop.get_pixel(0, 0), image.get_pixel(10, 5));
        assert_eq!(crop.get_pixel(19, 9), image.get_pixel(29, 14));
    }

    #[test]
    fn bilinear_resize_keeps_flat_areas_and_halves_gradients() {
        let mut image = RgbImage::new(4, 2);
        for (x, _, p) in image.enumerate_pixels_mut() {
            *p = Rgb([x as u8 * 60, 100, 200]);
        }
        let half = resize_bilinear(&image, 2, 1);
        assert_eq!(half.dimensions(), (2, 1));
        // Output pixel 0 samples source x = 0.5: between 0 and 60.
        assert_eq!(half.get_pixel(0, 0), &Rgb([30, 100, 200]));
        assert_eq!(half.get_pixel(1, 0), &Rgb([150, 100, 200]));
        let double = resize_bilinear(&image, 8, 4);
        assert_eq!(double.get_pixel(0, 0), &Rgb([0, 100, 200]));
        assert_eq!(double.get_pixel(7, 3), &Rgb([180, 100, 200]));
        assert_eq!(resize_bilinear(&image, 4, 2), image);
    }

    #[test]
    fn a_window_of_a_resize_is_that_part_of_the_whole() {
        let image = RgbImage::from_fn(37, 23, |x, y| {
            Rgb([(x * 7) as u8, (y * 11) as u8, (x * y) as u8])
        });
        let whole = resize_bilinear(&image, 22, 14);
        let window = resize_bilinear_window(&image, 22, 14, (5, 3, 17, 14));
        assert_eq!(window.dimensions(), (12, 11));
        for (x, y, pixel) in window.enumerate_pixels() {
            assert_eq!(pixel, whole.get_pixel(x + 5, y + 3), "({x}, {y})");
        }
        // Clipped to the resized image.
        assert_eq!(
            resize_bilinear_window(&image, 22, 14, (20, 0, 40, 30)).dimensions(),
            (2, 14)
        );
    }

    #[test]
    fn rotated_image_agrees_with_point_mapping() {
        let mut image = RgbImage::new(8, 4);
        image.put_pixel(1, 0, Rgb([255, 0, 0]));
        for turn in QuarterTurn::ALL {
            let turned = rotate_image(&image, turn);
            let p = turn.map_from_upright(Point::new(1.5, 0.5), 8.0, 4.0);
            assert_eq!(
                turned.get_pixel(p.x as u32, p.y as u32),
                &Rgb([255, 0, 0]),
                "{turn:?}"
            );
        }
    }
}
