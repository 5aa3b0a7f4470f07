//! Fake models shared by the pipeline's tests (each test file uses some of them).
#![allow(dead_code)]

use ndarray::{Array2, ArrayD, ArrayViewD, Axis, IxDyn};
use vlocr_inference::{InferenceError, Model};
use vlocr_pipeline::{OcrEngine, OcrModels, OcrParams};
use vlocr_text_recognizer::Charset;

/// A line classifier that finds every line upright.
pub(crate) struct Upright;

impl Model for Upright {
    fn name(&self) -> &str {
        "fake classifier"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        let mut scores = Array2::<f32>::zeros((input.shape()[0], 2));
        scores.column_mut(0).fill(1.0);
        Ok(scores.into_dyn())
    }
}

/// Reads `a` from every line, surely: text that is no label. Classes: blank, `a`, space.
pub(crate) struct ReadsA;

impl Model for ReadsA {
    fn name(&self) -> &str {
        "fake recognizer"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        let mut out = ArrayD::<f32>::zeros(IxDyn(&[input.shape()[0], 4, 3]));
        out.index_axis_mut(Axis(2), 0).fill(1.0);
        for mut item in out.axis_iter_mut(Axis(0)) {
            item[[1, 0]] = 0.0;
            item[[1, 1]] = 1.0;
        }
        Ok(out)
    }
}

/// `detector`, one [`ReadsA`] session and [`Upright`], without a fast recognizer.
pub(crate) fn models_reading_a(detector: Box<dyn Model>) -> OcrModels {
    OcrModels {
        detector,
        recognizers: vec![Box::new(ReadsA)],
        charset: Charset::from_dictionary("a", true),
        classifier: Box::new(Upright),
        fast: None,
    }
}

/// Settings for [`models_reading_a`]'s one recognizer session.
pub(crate) fn one_session() -> OcrParams {
    OcrParams {
        recognizer_workers: 1,
        ..OcrParams::default()
    }
}

/// An engine of [`models_reading_a`].
pub(crate) fn engine_reading_a(detector: Box<dyn Model>) -> OcrEngine {
    OcrEngine::new(models_reading_a(detector), &one_session()).expect("fake models load")
}
