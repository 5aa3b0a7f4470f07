//! Text-line recognition with a CTC model such as PP-OCR's recognizers, and line-orientation
//! classification (is a line upside down?).
//!
//! [`TextRecognizer::recognize`] takes straightened line images ([`crop_line`] cuts them out of
//! a page along a detector's quads) and returns one [`RecognizedText`] per line: the text with a
//! confidence per character. Lines are batched by aspect ratio ([`batch::plan_batches`]), packed
//! into `[N, 3, 48, W]` tensors ([`batch::pack`]), run through any [`Model`], and decoded with
//! greedy CTC ([`ctc::decode_greedy`]) against the model's [`Charset`].
//!
//! [`LineOrientationClassifier`] runs PP-OCR's 0/180 degree classifier on the same crops.

pub mod batch;
pub mod charset;
pub mod ctc;
mod orientation;

pub use batch::crop_line;
pub use charset::Charset;
pub use ctc::Decoded as RecognizedText;
pub use orientation::{ClassifierParams, LineOrientation, LineOrientationClassifier};

use std::borrow::Borrow;

use image::RgbImage;
use ndarray::Ix3;
use vlocr_inference::{InferenceError, Model};

/// `Result` with [`RecognizeError`].
pub type Result<T, E = RecognizeError> = std::result::Result<T, E>;

/// What can go wrong while recognizing lines.
#[derive(Debug, thiserror::Error)]
pub enum RecognizeError {
    /// The model failed.
    #[error(transparent)]
    Inference(#[from] InferenceError),
    /// The model emits a different number of classes than the charset describes.
    #[error("charset describes {charset} classes but the {model} emits {model_classes}")]
    CharsetMismatch {
        /// The model's name.
        model: String,
        /// Classes the charset describes (blank and space included).
        charset: usize,
        /// Classes the model emits.
        model_classes: usize,
    },
    /// The model's output has an unexpected shape.
    #[error("{model} returned shape {actual:?} for a batch of {batch}")]
    OutputShape {
        /// The model's name.
        model: String,
        /// The output's shape.
        actual: Vec<usize>,
        /// Lines in the batch.
        batch: usize,
    },
}

/// Recognition settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecognizerParams {
    /// Input height the model was trained at (48 for PP-OCRv5 and v6).
    pub height: u32,
    /// Narrowest tensor width. PaddleOCR pads every batch to at least 320 (its training width).
    pub min_width: u32,
    /// Widest line in pixels after resizing; longer lines are squeezed.
    pub max_width: u32,
    /// Lines per model run.
    pub batch_size: usize,
}

impl Default for RecognizerParams {
    fn default() -> Self {
        Self {
            height: 48,
            // PaddleOCR pads every line to at least 320 pixels (its training width). Measured on
            // the shared real images and 30 synthetic cards (scripts/measure_models.py): no
            // padding reads as well or better and recognizes in two thirds of the time.
            min_width: 48,
            // 40 characters at the trained height; the longest card line (an address) has fewer.
            max_width: 48 * 40,
            // On a 2-core machine one line per run is fastest (measured: 1 line 255 ms, 2 lines
            // 265 ms, 4 lines 295 ms, 8 lines 345 ms for a card): batches only add padding when
            // the cores are already busy. Larger batches are grouped by aspect ratio.
            batch_size: 1,
        }
    }
}

/// A CTC line recognizer: a model, its charset and settings.
pub struct TextRecognizer<M> {
    model: M,
    charset: Charset,
    params: RecognizerParams,
}

impl<M: Model> TextRecognizer<M> {
    /// A recognizer running `model`, whose classes are described by `charset`.
    pub fn new(model: M, charset: Charset, params: RecognizerParams) -> Self {
        Self {
            model,
            charset,
            params,
        }
    }

    /// The charset in use.
    pub fn charset(&self) -> &Charset {
        &self.charset
    }

    /// Reads each line image; the result is in the order of `lines`.
    pub fn recognize<L: Borrow<RgbImage>>(&mut self, lines: &[L]) -> Result<Vec<RecognizedText>> {
        let aspects: Vec<f32> = lines.iter().map(|l| batch::aspect(l.borrow())).collect();
        let mut results: Vec<Option<RecognizedText>> = vec![None; lines.len()];
        for indices in batch::plan_batches(&aspects, self.params.batch_size) {
            let crops: Vec<&RgbImage> = indices.iter().map(|&i| lines[i].borrow()).collect();
            let p = &self.params;
            let tensor = batch::pack(&crops, p.height, p.min_width, p.max_width);
            let output = self.model.run(tensor.view().into_dyn())?;
            let shape = output.shape().to_vec();
            let output = output
                .into_dimensionality::<Ix3>()
                .ok()
                .filter(|o| o.shape()[0] == indices.len())
                .ok_or_else(|| RecognizeError::OutputShape {
                    model: self.model.name().to_owned(),
                    actual: shape,
                    batch: indices.len(),
                })?;
            let classes = output.shape()[2];
            if !self.charset.fits(classes) {
                return Err(RecognizeError::CharsetMismatch {
                    model: self.model.name().to_owned(),
                    charset: self.charset.class_count(),
                    model_classes: classes,
                });
            }
            for (row, &i) in output.outer_iter().zip(&indices) {
                results[i] = Some(ctc::decode_greedy(row, &self.charset));
            }
        }
        Ok(results
            .into_iter()
            .map(|r| r.expect("every line belongs to one batch. This is a bug"))
            .collect())
    }
}

impl<M> std::fmt::Debug for TextRecognizer<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextRecognizer")
            .field("charset_len", &self.charset.len())
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}
