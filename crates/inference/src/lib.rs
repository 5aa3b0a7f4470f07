//! The seam between vlocr's image processing and the neural networks it runs.
//!
//! [`Model`] is a one-method trait: an `f32` tensor in, an `f32` tensor out. The text detector,
//! recognizer and line-orientation classifier are written against it, so their tests use small
//! fakes instead of weights. [`OnnxModel`] is the real implementation on ONNX Runtime through
//! the `ort` crate; this is the only crate of the workspace that names `ort`.
//!
//! ONNX Runtime is loaded at run time ([`Runtime::load`]) from the shared library that
//! `models/fetch.py` unpacks, so nothing is downloaded at build time. Each [`OnnxModel`] owns one
//! session: `ort`'s `Session::run` takes `&mut self`, so concurrent workers each load their own,
//! or share one through [`SharedModel`] handles, one run at a time. Every session takes its CPU
//! memory from one arena of the runtime's environment, so that memory one model's run freed
//! serves the next model's.

mod arena;
mod error;
mod onnx;
mod shared;

pub use error::{InferenceError, Result};
pub use ndarray;
pub use onnx::{
    preload_cuda_libraries, Device, ModelSignature, OnnxModel, Runtime, RuntimeOptions,
    SessionOptions,
};
pub use shared::SharedModel;

use ndarray::{ArrayD, ArrayViewD};

/// A loaded model that maps one `f32` tensor to one `f32` tensor.
pub trait Model: Send {
    /// A short name for messages, such as `"text detector"`.
    fn name(&self) -> &str;

    /// Runs the model on `input`. The layout of both tensors is the model's own (for the PP-OCR
    /// models: NCHW images in, probability maps or per-step class scores out).
    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>>;
}

impl<M: Model + ?Sized> Model for Box<M> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>> {
        (**self).run(input)
    }
}
