//! Text detection with a DB (differentiable binarization) model such as PP-OCR's detectors.
//!
//! [`TextDetector::detect`] takes an RGB image and returns one [`TextBox`] per text line: a
//! [`Quad`] in the image's own pixel coordinates and a score. The work is split into three
//! visible stages: [`preprocess::prepare`] (resize to multiples of 32, normalise into an NCHW
//! tensor), the model run (any [`Model`]), and [`postprocess::boxes_from_probability_map`]
//! (threshold, connected regions, minimum-area rectangle, box score, unclip). Both the first
//! and the last stage are pure and unit-tested without a model.

pub mod postprocess;
pub mod preprocess;

use image::RgbImage;
use ndarray::Array2;
use serde::Serialize;
use vlocr_geometry::{Point, Quad};
use vlocr_inference::{InferenceError, Model};

/// `Result` with [`DetectError`].
pub type Result<T, E = DetectError> = std::result::Result<T, E>;

/// What can go wrong while detecting text.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// The model failed.
    #[error(transparent)]
    Inference(#[from] InferenceError),
    /// The model's output is not a `[1, 1, H, W]` map of the input's size.
    #[error("text detector returned shape {actual:?} for an input of {height}x{width}")]
    OutputShape {
        /// The output's shape.
        actual: Vec<usize>,
        /// Input height.
        height: usize,
        /// Input width.
        width: usize,
    },
    /// The image has no pixels.
    #[error("image of {width}x{height} pixels has nothing to detect")]
    EmptyImage {
        /// Image width.
        width: u32,
        /// Image height.
        height: u32,
    },
}

/// Which side of the image [`DetectorParams::side_len`] limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideLimit {
    /// Scale down so that the longer side is at most `side_len` (never scales up).
    Max,
    /// Scale up so that the shorter side is at least `side_len` (never scales down), as the
    /// Python RapidOCR package does by default.
    Min,
}

/// Detection settings. The defaults suit PP-OCRv6 detectors on photos of cards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectorParams {
    /// Resize target in pixels; see [`SideLimit`].
    pub side_len: u32,
    /// Which side `side_len` limits.
    pub side_limit: SideLimit,
    /// Probability above which a pixel counts as text.
    pub threshold: f32,
    /// Mean probability inside a box below which the box is dropped.
    pub box_threshold: f32,
    /// How far boxes grow back after detection: the DB model predicts shrunk text regions, and
    /// each box is grown by `area * unclip_ratio / perimeter` on every side.
    pub unclip_ratio: f32,
    /// Most regions examined per image (the largest image has a few hundred lines at most).
    pub max_candidates: usize,
    /// Boxes whose short side is below this many map pixels are noise.
    pub min_size: f32,
    /// Dilate the binary map by 2x2 before finding regions; joins broken dot-matrix strokes.
    pub dilate: bool,
}

impl Default for DetectorParams {
    fn default() -> Self {
        Self {
            // Measured on card photos: 960 keeps 9-10 pt card text readable when the card
            // fills half of a 1600x1200 photo, at a third of the cost of the full size.
            side_len: 960,
            side_limit: SideLimit::Max,
            // PaddleOCR's inference defaults for DB.
            threshold: 0.3,
            box_threshold: 0.5,
            unclip_ratio: 1.6,
            max_candidates: 1000,
            min_size: 3.0,
            dilate: true,
        }
    }
}

/// One detected text line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TextBox {
    /// Corners in image pixels, ordered top-left, top-right, bottom-right, bottom-left in image
    /// axes.
    pub quad: Quad,
    /// Mean text probability inside the box, 0..1.
    pub score: f32,
}

/// How near (in the model's input pixels) a line found within a region may come to an edge of
/// the region that is not the image's own before [`TextDetector::detect_within`] searches the
/// whole image instead.
pub const REGION_EDGE: f32 = 2.0;

/// A DB text detector: a model plus its pre- and post-processing settings.
pub struct TextDetector<M> {
    model: M,
    params: DetectorParams,
}

impl<M: Model> TextDetector<M> {
    /// A detector running `model` with `params`.
    pub fn new(model: M, params: DetectorParams) -> Self {
        Self { model, params }
    }

    /// The settings in use.
    pub fn params(&self) -> &DetectorParams {
        &self.params
    }

    /// The settings, to change between images.
    pub fn params_mut(&mut self) -> &mut DetectorParams {
        &mut self.params
    }

    /// Finds the text lines of `image`.
    pub fn detect(&mut self, image: &RgbImage) -> Result<Vec<TextBox>> {
        let (width, height) = image.dimensions();
        if width == 0 || height == 0 {
            return Err(DetectError::EmptyImage { width, height });
        }
        let input = preprocess::prepare(image, &self.params);
        let map = self.probability_map(&input)?;
        Ok(postprocess::boxes_from_probability_map(
            map.view(),
            &self.params,
            input.scale,
            (width, height),
        ))
    }

    /// [`TextDetector::detect`] within `region` `(x0, y0, x1, y1)` (image pixels) only: the
    /// model is given the part of the whole image's input that covers the region, widened to
    /// whole 32-pixel blocks of it, at the whole image's scale, so that the lines it finds
    /// there are the ones a search of the whole image finds, for the cost of that part. When
    /// a line found comes within [`REGION_EDGE`] of an edge of the part that is not the
    /// image's own (text that may run on beyond it), the whole image is searched instead.
    pub fn detect_within(
        &mut self,
        image: &RgbImage,
        region: (u32, u32, u32, u32),
    ) -> Result<Vec<TextBox>> {
        let (width, height) = image.dimensions();
        if width == 0 || height == 0 {
            return Err(DetectError::EmptyImage { width, height });
        }
        let (w, h) = preprocess::target_size(width, height, &self.params);
        let (sx, sy) = (width as f32 / w as f32, height as f32 / h as f32);
        // The region in tensor pixels, out to whole blocks of 32.
        let block = |v: u32, scale: f32, up: bool, max: u32| {
            let blocks = v as f32 / scale / 32.0;
            let blocks = if up { blocks.ceil() } else { blocks.floor() };
            ((blocks.max(0.0) as u32) * 32).min(max)
        };
        let (x0, y0) = (block(region.0, sx, false, w), block(region.1, sy, false, h));
        let (x1, y1) = (block(region.2, sx, true, w), block(region.3, sy, true, h));
        if x1 <= x0 || y1 <= y0 || (x0, y0, x1, y1) == (0, 0, w, h) {
            return self.detect(image);
        }
        let input = preprocess::prepare_window(image, &self.params, (x0, y0, x1, y1));
        let map = self.probability_map(&input)?;
        let (part_w, part_h) = ((x1 - x0) as f32, (y1 - y0) as f32);
        let extent = ((part_w * sx).round() as u32, (part_h * sy).round() as u32);
        let boxes =
            postprocess::boxes_from_probability_map(map.view(), &self.params, input.scale, extent);
        let runs_on = boxes.iter().flat_map(|b| b.quad.points).any(|p| {
            let (x, y) = (p.x / sx, p.y / sy);
            (x0 > 0 && x <= REGION_EDGE)
                || (y0 > 0 && y <= REGION_EDGE)
                || (x1 < w && x >= part_w - REGION_EDGE)
                || (y1 < h && y >= part_h - REGION_EDGE)
        });
        if runs_on {
            return self.detect(image);
        }
        let (dx, dy) = (x0 as f32 * sx, y0 as f32 * sy);
        Ok(boxes
            .into_iter()
            .map(|b| TextBox {
                quad: b.quad.map(|p| {
                    Point::new(
                        (p.x + dx).clamp(0.0, width as f32),
                        (p.y + dy).clamp(0.0, height as f32),
                    )
                }),
                score: b.score,
            })
            .collect())
    }

    /// The model's text-probability map `[H, W]` for `input`.
    fn probability_map(&mut self, input: &preprocess::DetectorInput) -> Result<Array2<f32>> {
        let (map_h, map_w) = (input.tensor.shape()[2], input.tensor.shape()[3]);
        let output = self.model.run(input.tensor.view().into_dyn())?;
        let shape = output.shape().to_vec();
        match output.into_dimensionality::<ndarray::Ix4>() {
            Ok(map) if map.shape()[..2] == [1, 1] && map.shape()[2..] == [map_h, map_w] => Ok(map
                .index_axis_move(ndarray::Axis(0), 0)
                .index_axis_move(ndarray::Axis(0), 0)),
            _ => Err(DetectError::OutputShape {
                actual: shape,
                height: map_h,
                width: map_w,
            }),
        }
    }
}

impl<M> std::fmt::Debug for TextDetector<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextDetector")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;
    use ndarray::{ArrayD, ArrayViewD, IxDyn};
    use std::sync::{Arc, Mutex};

    /// Each input's `(height, width)`, as the model was given them.
    type Inputs = Arc<Mutex<Vec<(usize, usize)>>>;

    /// A detector model that sees text wherever the input is dark, and notes its inputs.
    struct Ink(Inputs);

    impl Model for Ink {
        fn name(&self) -> &str {
            "ink"
        }

        fn run(&mut self, input: ArrayViewD<'_, f32>) -> vlocr_inference::Result<ArrayD<f32>> {
            let (h, w) = (input.shape()[2], input.shape()[3]);
            self.0.lock().unwrap().push((h, w));
            Ok(ArrayD::from_shape_fn(IxDyn(&[1, 1, h, w]), |i| {
                f32::from(input[[0, 0, i[2], i[3]]] < 0.0)
            }))
        }
    }

    /// A white 1600x1200 photo with black bars at each `(x0, y0, x1, y1)`.
    fn photo(bars: &[(u32, u32, u32, u32)]) -> RgbImage {
        RgbImage::from_fn(1600, 1200, |x, y| {
            let inked = bars
                .iter()
                .any(|&(x0, y0, x1, y1)| (x0..x1).contains(&x) && (y0..y1).contains(&y));
            if inked {
                Rgb([0, 0, 0])
            } else {
                Rgb([255, 255, 255])
            }
        })
    }

    fn detector() -> (TextDetector<Ink>, Inputs) {
        let inputs = Arc::new(Mutex::new(Vec::new()));
        let detector = TextDetector::new(Ink(Arc::clone(&inputs)), DetectorParams::default());
        (detector, inputs)
    }

    fn corners(boxes: &[TextBox]) -> Vec<[i32; 4]> {
        let mut found: Vec<[i32; 4]> = boxes
            .iter()
            .map(|b| {
                let xs = b.quad.points.map(|p| p.x.round() as i32);
                let ys = b.quad.points.map(|p| p.y.round() as i32);
                [
                    *xs.iter().min().unwrap(),
                    *ys.iter().min().unwrap(),
                    *xs.iter().max().unwrap(),
                    *ys.iter().max().unwrap(),
                ]
            })
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn lines_found_within_a_region_are_those_of_the_whole_image() {
        let image = photo(&[(700, 500, 1000, 530), (700, 600, 900, 630)]);
        let (mut detector, inputs) = detector();
        let whole = detector.detect(&image).unwrap();
        let within = detector
            .detect_within(&image, (600, 400, 1100, 700))
            .unwrap();
        assert_eq!(whole.len(), 2);
        assert_eq!(corners(&within), corners(&whole));
        // The whole image's 960x736 input, then a part of it at the same scale, out to
        // blocks of 32.
        assert_eq!(*inputs.lock().unwrap(), vec![(736, 960), (224, 320)]);
    }

    #[test]
    fn a_line_running_out_of_the_region_sends_the_search_to_the_whole_image() {
        let image = photo(&[(700, 500, 1400, 530)]);
        let (mut detector, inputs) = detector();
        let within = detector
            .detect_within(&image, (600, 400, 1100, 700))
            .unwrap();
        let whole = detector.detect(&image).unwrap();
        assert_eq!(corners(&within), corners(&whole));
        assert_eq!(
            *inputs.lock().unwrap(),
            vec![(224, 320), (736, 960), (736, 960)]
        );
    }
}
