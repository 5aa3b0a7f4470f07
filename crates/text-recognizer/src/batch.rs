//! Line crops: cutting them out of the page, grouping them into batches, and packing a batch
//! into the model's input tensor.

use image::RgbImage;
use ndarray::Array4;
use vlocr_geometry::{resize_bilinear, rotate_image, warp_quad, Quad, QuarterTurn};

/// A line's crop is at least this many pixels across the text (the models' input height): a
/// small line is enlarged to it as it is cut out, sampled from the image once.
const CROP_SIDE: f32 = 48.0;

/// A line this many times [`CROP_SIDE`] or more across its text is reduced to it as it is cut
/// out; a smaller one is cut at its own size (the recognizer's packing reduces it after).
const REDUCED_FROM: f32 = 2.0;

/// Cuts the line under `quad` out of `image`, straightened so that the quad's top-left corner
/// is the crop's top-left. A crop at least 1.5 times taller than wide is a vertical line and is
/// turned 90 degrees counter-clockwise (as PaddleOCR does), so the model sees a horizontal line.
pub fn crop_line(image: &RgbImage, quad: &Quad) -> RgbImage {
    let (qw, qh) = (quad.width().max(1.0), quad.height().max(1.0));
    // A large line (a card filling a 12-megapixel photo prints its lines about 100 pixels
    // tall) is reduced as it is cut: cut at its own size and reduced again, it costs the
    // square of its reduction in pixels sampled. A line less than twice the models' height is
    // still cut at its own size and reduced after: the second step smooths it a little, which
    // the small print of enlarged close-ups reads better with.
    let across = qw.min(qh);
    let scale = if across >= REDUCED_FROM * CROP_SIDE {
        CROP_SIDE / across
    } else {
        (CROP_SIDE / across).max(1.0)
    };
    let w = (qw * scale).round() as u32;
    let h = (qh * scale).round() as u32;
    let crop = warp_quad(image, quad, w, h);
    if h as f32 >= 1.5 * w as f32 {
        rotate_image(&crop, QuarterTurn::Clockwise270)
    } else {
        crop
    }
}

/// Groups crops of similar aspect ratio into batches of at most `batch_size`, so that little of
/// each batch is padding. Returns indices into `aspects`; together the batches cover every index
/// once.
pub fn plan_batches(aspects: &[f32], batch_size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..aspects.len()).collect();
    order.sort_by(|&a, &b| aspects[a].total_cmp(&aspects[b]));
    order
        .chunks(batch_size.max(1))
        .map(<[usize]>::to_vec)
        .collect()
}

/// Width over height of a crop.
pub fn aspect(image: &RgbImage) -> f32 {
    let (w, h) = image.dimensions();
    w as f32 / h.max(1) as f32
}

/// Packs `crops` into a `[N, 3, height, W]` BGR tensor scaled to -1..1. Each crop is resized to
/// `height` keeping its aspect ratio (width capped at `max_width`) and padded on the right with
/// zeros; W is the widest crop, at least `min_width`.
pub fn pack(crops: &[&RgbImage], height: u32, min_width: u32, max_width: u32) -> Array4<f32> {
    let widths: Vec<u32> = crops
        .iter()
        .map(|c| ((height as f32 * aspect(c)).ceil() as u32).clamp(1, max_width))
        .collect();
    let tensor_w = widths.iter().copied().max().unwrap_or(1).max(min_width);
    let (h, tw) = (height as usize, tensor_w as usize);
    let mut tensor = Array4::<f32>::zeros((crops.len(), 3, h, tw));
    for (n, (crop, &w)) in crops.iter().zip(&widths).enumerate() {
        let resized = resize_bilinear(crop, w, height);
        let mut item = tensor.index_axis_mut(ndarray::Axis(0), n);
        for (x, y, pixel) in resized.enumerate_pixels() {
            let [r, g, b] = pixel.0;
            for (c, value) in [b, g, r].into_iter().enumerate() {
                item[[c, y as usize, x as usize]] = f32::from(value) / 127.5 - 1.0;
            }
        }
    }
    tensor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_crop_once_sorted_by_aspect() {
        let aspects = [5.0, 1.0, 9.0, 2.0, 3.0];
        let batches = plan_batches(&aspects, 2);
        assert_eq!(batches, vec![vec![1, 3], vec![4, 0], vec![2]]);
        assert!(plan_batches(&[], 4).is_empty());
    }

    #[test]
    fn pack_pads_to_the_widest_crop() {
        let narrow = RgbImage::from_pixel(20, 10, image::Rgb([255, 255, 255]));
        let wide = RgbImage::from_pixel(100, 10, image::Rgb([0, 0, 0]));
        let tensor = pack(&[&narrow, &wide], 48, 64, 1000);
        assert_eq!(tensor.shape(), &[2, 3, 48, 480]);
        assert_eq!(tensor[[0, 0, 0, 0]], 1.0);
        assert_eq!(tensor[[0, 0, 0, 200]], 0.0, "padding");
        assert_eq!(tensor[[1, 2, 47, 479]], -1.0);
        let capped = pack(&[&wide], 48, 64, 300);
        assert_eq!(capped.shape(), &[1, 3, 48, 300]);
    }

    #[test]
    fn vertical_lines_are_turned() {
        let image = RgbImage::new(400, 400);
        let tall = Quad::from_rect(10.0, 10.0, 60.0, 310.0);
        assert_eq!(crop_line(&image, &tall).dimensions(), (300, 50));
        let wide = Quad::from_rect(10.0, 10.0, 310.0, 60.0);
        assert_eq!(crop_line(&image, &wide).dimensions(), (300, 50));
    }

    /// A `width` x `height` image, black left of `edge`, white from it.
    fn dark_left_of(width: u32, height: u32, edge: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, _| {
            image::Rgb(if x < edge { [0, 0, 0] } else { [255, 255, 255] })
        })
    }

    #[test]
    fn small_lines_are_cut_out_at_the_models_height() {
        // A line 10 pixels tall, its left half dark: enlarged as it is cut (one sampling of
        // the image), its aspect kept, the edge between dark and light in the middle.
        let image = dark_left_of(100, 40, 35);
        let line = Quad::from_rect(10.0, 10.0, 60.0, 20.0);
        let crop = crop_line(&image, &line);
        assert_eq!(crop.dimensions(), (240, 48));
        assert_eq!(crop.get_pixel(100, 24).0, [0, 0, 0]);
        assert_eq!(crop.get_pixel(140, 24).0, [255, 255, 255]);
        let tall = Quad::from_rect(10.0, 0.0, 20.0, 40.0);
        assert_eq!(crop_line(&image, &tall).dimensions(), (192, 48));
    }

    #[test]
    fn large_lines_are_reduced_to_the_models_height_as_they_are_cut() {
        // A line 96 pixels tall, dark left of x = 100: cut at half its size, the edge at 45.
        let image = dark_left_of(400, 120, 100);
        let line = Quad::from_rect(10.0, 10.0, 394.0, 106.0);
        let crop = crop_line(&image, &line);
        assert_eq!(crop.dimensions(), (192, 48));
        assert_eq!(crop.get_pixel(43, 24).0, [0, 0, 0]);
        assert_eq!(crop.get_pixel(47, 24).0, [255, 255, 255]);
        // A line under twice the models' height is cut at its own size.
        let line = Quad::from_rect(10.0, 10.0, 394.0, 90.0);
        assert_eq!(crop_line(&image, &line).dimensions(), (384, 80));
    }
}
