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
use serde::Serialize;
use vlocr_geometry::Quad;
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
        let (map_h, map_w) = (input.tensor.shape()[2], input.tensor.shape()[3]);
        let output = self.model.run(input.tensor.view().into_dyn())?;
        let shape = output.shape().to_vec();
        let map = match output.into_dimensionality::<ndarray::Ix4>() {
            Ok(map) if map.shape()[..2] == [1, 1] && map.shape()[2..] == [map_h, map_w] => map,
            _ => {
                return Err(DetectError::OutputShape {
                    actual: shape,
                    height: map_h,
                    width: map_w,
                })
            }
        };
        let map = map
            .index_axis_move(ndarray::Axis(0), 0)
            .index_axis_move(ndarray::Axis(0), 0);
        Ok(postprocess::boxes_from_probability_map(
            map.view(),
            &self.params,
            input.scale,
            (width, height),
        ))
    }
}

impl<M> std::fmt::Debug for TextDetector<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextDetector")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}
