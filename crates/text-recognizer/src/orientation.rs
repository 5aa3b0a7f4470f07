//! Is a text line upside down? PP-OCR's two-class (0 / 180 degree) line classifier.

use image::RgbImage;
use ndarray::Ix2;
use vlocr_inference::Model;

use crate::{batch, RecognizeError, Result};

/// Classifier input settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassifierParams {
    /// Input height (48 for PP-OCR's mobile classifier).
    pub height: u32,
    /// Input width; lines are resized to `height` and cut or padded to this width.
    pub width: u32,
    /// Lines per model run.
    pub batch_size: usize,
}

impl Default for ClassifierParams {
    fn default() -> Self {
        // The shape ch_ppocr_mobile_v2.0_cls was trained with.
        Self {
            height: 48,
            width: 192,
            batch_size: 8,
        }
    }
}

/// The classifier's verdict on one line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineOrientation {
    /// Whether the line reads upside down.
    pub upside_down: bool,
    /// Probability of the verdict, 0.5..1.
    pub confidence: f32,
}

/// A 0/180 degree line classifier.
pub struct LineOrientationClassifier<M> {
    model: M,
    params: ClassifierParams,
}

impl<M: Model> LineOrientationClassifier<M> {
    /// A classifier running `model`.
    pub fn new(model: M, params: ClassifierParams) -> Self {
        Self { model, params }
    }

    /// Classifies each line image; the result is in the order of `lines`.
    pub fn classify(&mut self, lines: &[RgbImage]) -> Result<Vec<LineOrientation>> {
        let mut out = Vec::with_capacity(lines.len());
        for chunk in lines.chunks(self.params.batch_size.max(1)) {
            let crops: Vec<&RgbImage> = chunk.iter().collect();
            let p = &self.params;
            let tensor = batch::pack(&crops, p.height, p.width, p.width);
            let output = self.model.run(tensor.view().into_dyn())?;
            let shape = output.shape().to_vec();
            let scores = output
                .into_dimensionality::<Ix2>()
                .ok()
                .filter(|s| s.shape() == [chunk.len(), 2])
                .ok_or_else(|| RecognizeError::OutputShape {
                    model: self.model.name().to_owned(),
                    actual: shape,
                    batch: chunk.len(),
                })?;
            out.extend(scores.outer_iter().map(|row| {
                let upside_down = row[1] > row[0];
                LineOrientation {
                    upside_down,
                    confidence: row[0].max(row[1]),
                }
            }));
        }
        Ok(out)
    }
}

impl<M> std::fmt::Debug for LineOrientationClassifier<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LineOrientationClassifier")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}
