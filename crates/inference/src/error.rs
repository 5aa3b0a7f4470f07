//! Errors of loading and running models.

use std::path::PathBuf;

/// `Result` with [`InferenceError`].
pub type Result<T, E = InferenceError> = std::result::Result<T, E>;

/// What went wrong while loading ONNX Runtime or a model, or while running one.
#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
    /// The ONNX Runtime shared library is not where it was looked for.
    #[error("ONNX Runtime library not found at {path}; run `make setup` (python3 models/fetch.py) to install it")]
    RuntimeMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The ONNX Runtime shared library exists but could not be loaded.
    #[error("could not load ONNX Runtime from {path}: {reason}")]
    RuntimeLoad {
        /// The library file.
        path: PathBuf,
        /// The loader's explanation.
        reason: String,
    },
    /// The device asked for cannot run models with this library.
    #[error("cannot run models on device `{device}` with ONNX Runtime from {library}: {reason}")]
    DeviceUnavailable {
        /// The device's name (`cuda`).
        device: &'static str,
        /// The ONNX Runtime library loaded.
        library: PathBuf,
        /// Why.
        reason: String,
    },
    /// The CUDA libraries could not be loaded.
    #[error("could not load the CUDA libraries in {dir}: {reason} (they need the NVIDIA driver's libcuda.so.1; `make setup-gpu` installs the rest)")]
    CudaLibraries {
        /// The folder they were loaded from.
        dir: PathBuf,
        /// The loader's explanation.
        reason: String,
    },
    /// A model file is not where it was looked for.
    #[error("model file not found at {path}; run `make setup` (python3 models/fetch.py) to install the models")]
    ModelMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// ONNX Runtime rejected a model file or a session option.
    #[error("could not load model {path}")]
    ModelLoad {
        /// The model file.
        path: PathBuf,
        /// ONNX Runtime's error.
        #[source]
        source: ort::Error,
    },
    /// A model's inputs or outputs are not the ones the caller expects.
    #[error("model {path} has {what} {actual}, expected {expected}")]
    ModelSignature {
        /// The model file.
        path: PathBuf,
        /// Which property differs, such as "input rank".
        what: &'static str,
        /// What the caller expects.
        expected: String,
        /// What the model has.
        actual: String,
    },
    /// A model failed while running.
    #[error("{model} failed to run on an input of shape {shape:?}")]
    Run {
        /// The model's name.
        model: String,
        /// The input's shape.
        shape: Vec<usize>,
        /// ONNX Runtime's error.
        #[source]
        source: ort::Error,
    },
    /// A model's output is not a tensor of the expected kind.
    #[error("{model} returned an output of shape {shape:?}, expected {expected}")]
    OutputShape {
        /// The model's name.
        model: String,
        /// The output's shape.
        shape: Vec<usize>,
        /// What was expected.
        expected: &'static str,
    },
}
