//! Fake models shared by the pipeline's tests.

use ndarray::{Array2, ArrayD, ArrayViewD};
use vlocr_inference::{InferenceError, Model};

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
