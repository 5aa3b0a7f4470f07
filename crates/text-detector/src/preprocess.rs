//! From an RGB image to the detector's input tensor.

use image::RgbImage;
use ndarray::Array4;
use vlocr_geometry::{resize_bilinear, resize_bilinear_window};

use crate::{DetectorParams, SideLimit};

/// ImageNet statistics PP-OCR detectors were trained with, in the model's BGR channel order.
const MEAN_BGR: [f32; 3] = [0.485, 0.456, 0.406];
const STD_BGR: [f32; 3] = [0.229, 0.224, 0.225];

/// The detector's input and how to map its coordinates back to the image.
#[derive(Debug, Clone)]
pub struct DetectorInput {
    /// `[1, 3, H, W]` BGR, normalised with the ImageNet mean and standard deviation; H and W are
    /// multiples of 32.
    pub tensor: Array4<f32>,
    /// Image pixels per tensor pixel, `(x, y)`.
    pub scale: (f32, f32),
}

/// The tensor size `(width, height)` for an image of `width` x `height`: scaled by the side
/// limit, then each side rounded to a multiple of 32 (at least 32).
pub fn target_size(width: u32, height: u32, params: &DetectorParams) -> (u32, u32) {
    let (long, short) = (width.max(height) as f32, width.min(height) as f32);
    let side = params.side_len as f32;
    let ratio = match params.side_limit {
        SideLimit::Max if long > side => side / long,
        SideLimit::Min if short < side => side / short,
        _ => 1.0,
    };
    let round32 = |v: f32| (((v * ratio) / 32.0).round() as u32 * 32).max(32);
    (round32(width as f32), round32(height as f32))
}

/// Resizes and normalises `image` for the detector.
pub fn prepare(image: &RgbImage, params: &DetectorParams) -> DetectorInput {
    let (width, height) = image.dimensions();
    let (w, h) = target_size(width, height, params);
    let resized;
    let source = if (w, h) == (width, height) {
        image
    } else {
        resized = resize_bilinear(image, w, h);
        &resized
    };
    DetectorInput {
        tensor: tensor_of(source),
        scale: (width as f32 / w as f32, height as f32 / h as f32),
    }
}

/// The part of [`prepare`]'s tensor of `image` from tensor pixel `(x0, y0)` up to `(x1, y1)`
/// (clipped to the tensor): the same values, without computing the rest. `scale` is the whole
/// tensor's.
pub fn prepare_window(
    image: &RgbImage,
    params: &DetectorParams,
    window: (u32, u32, u32, u32),
) -> DetectorInput {
    let (width, height) = image.dimensions();
    let (w, h) = target_size(width, height, params);
    let resized = if (w, h) == (width, height) {
        let (x0, y0) = (window.0.min(w), window.1.min(h));
        let (x1, y1) = (window.2.clamp(x0, w), window.3.clamp(y0, h));
        image::imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image()
    } else {
        resize_bilinear_window(image, w, h, window)
    };
    DetectorInput {
        tensor: tensor_of(&resized),
        scale: (width as f32 / w as f32, height as f32 / h as f32),
    }
}

/// `image` as a `[1, 3, H, W]` BGR tensor, normalised.
fn tensor_of(source: &RgbImage) -> Array4<f32> {
    let (w, h) = source.dimensions();
    let mut tensor = Array4::<f32>::zeros((1, 3, h as usize, w as usize));
    let scale: [f32; 3] = std::array::from_fn(|c| 1.0 / (255.0 * STD_BGR[c]));
    let offset: [f32; 3] = std::array::from_fn(|c| MEAN_BGR[c] / STD_BGR[c]);
    let plane = (w * h) as usize;
    let data = tensor
        .as_slice_mut()
        .expect("a freshly allocated array is contiguous. This is a bug");
    for (i, pixel) in source.pixels().enumerate() {
        let [r, g, b] = pixel.0;
        for (c, value) in [b, g, r].into_iter().enumerate() {
            data[c * plane + i] = f32::from(value) * scale[c] - offset[c];
        }
    }
    tensor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_multiples_of_32() {
        let params = DetectorParams::default();
        assert_eq!(target_size(1600, 1200, &params), (960, 736));
        assert_eq!(target_size(500, 300, &params), (512, 288));
        assert_eq!(target_size(10, 10, &params), (32, 32));
        let min = DetectorParams {
            side_limit: SideLimit::Min,
            side_len: 736,
            ..params
        };
        assert_eq!(target_size(880, 600, &min), (1088, 736));
    }

    #[test]
    fn normalises_in_bgr_order() {
        let mut image = RgbImage::new(32, 32);
        image.put_pixel(0, 0, image::Rgb([255, 0, 0]));
        let input = prepare(&image, &DetectorParams::default());
        assert_eq!(input.tensor.shape(), &[1, 3, 32, 32]);
        // Red lands in channel 2 (BGR), black elsewhere is -mean/std.
        let red = input.tensor[[0, 2, 0, 0]];
        assert!((red - (1.0 - 0.406) / 0.225).abs() < 1e-4);
        assert!((input.tensor[[0, 0, 0, 0]] + 0.485 / 0.229).abs() < 1e-4);
        assert_eq!(input.scale, (1.0, 1.0));
    }

    #[test]
    fn a_window_is_that_part_of_the_whole_tensor() {
        let image = RgbImage::from_fn(1600, 1200, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
        });
        let params = DetectorParams::default();
        let whole = prepare(&image, &params);
        let part = prepare_window(&image, &params, (64, 96, 416, 736));
        assert_eq!(part.tensor.shape(), &[1, 3, 640, 352]);
        assert_eq!(part.scale, whole.scale);
        let block = whole
            .tensor
            .slice_axis(ndarray::Axis(2), ndarray::Slice::from(96..736))
            .slice_axis_move(ndarray::Axis(3), ndarray::Slice::from(64..416));
        assert_eq!(part.tensor.view(), block);
    }
}
