//! Errors of the pipeline.

use std::path::PathBuf;

use vlocr_inference::InferenceError;
use vlocr_text_detector::DetectError;
use vlocr_text_recognizer::RecognizeError;

/// `Result` with [`PipelineError`].
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;

/// What can go wrong between an image and its text.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Loading ONNX Runtime or a model failed.
    #[error(transparent)]
    Load(#[from] InferenceError),
    /// A recognition model has no character set: neither a dictionary file nor metadata.
    #[error("no character set for {model}: expected {dictionary} or `character` metadata in the model; run `make setup` (python3 models/fetch.py)")]
    CharsetMissing {
        /// The model file.
        model: PathBuf,
        /// The dictionary file looked for.
        dictionary: PathBuf,
    },
    /// An engine was given no recognizer.
    #[error("an OCR engine needs at least one recognizer")]
    NoRecognizer,
    /// A dictionary file could not be read.
    #[error("could not read the character set {path}")]
    CharsetRead {
        /// The dictionary file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input could not be decoded.
    #[error(transparent)]
    Decode(#[from] crate::DecodeError),
    /// Text detection failed.
    #[error(transparent)]
    Detect(#[from] DetectError),
    /// Line recognition or classification failed.
    #[error(transparent)]
    Recognize(#[from] RecognizeError),
    /// The reading's deadline ([`crate::OcrEngine::set_deadline`]) passed before it was done:
    /// it stopped before its next model run.
    #[error("the reading stopped {overrun_ms} ms after its deadline, before its next model run")]
    DeadlinePassed {
        /// How long after the deadline the reading stopped, in milliseconds.
        overrun_ms: u64,
    },
}
