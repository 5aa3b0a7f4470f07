//! vlocr: self-hosted OCR for Chinese motor vehicle licenses (机动车行驶证).
//!
//! This facade re-exports the workspace's crates so that integration tests, benches and users
//! of the library have one dependency:
//! - [`pipeline`]: [`OcrEngine`] (detect, orient, recognize) and image decoding;
//! - [`text_detector`], [`text_recognizer`]: the two model stages;
//! - [`inference`]: the [`inference::Model`] seam and ONNX Runtime;
//! - [`geometry`]: points, quads, homographies.

pub use vlocr_geometry as geometry;
pub use vlocr_inference as inference;
pub use vlocr_pipeline as pipeline;
pub use vlocr_text_detector as text_detector;
pub use vlocr_text_recognizer as text_recognizer;

pub use vlocr_pipeline::{OcrEngine, OcrLine, OcrPage, OcrParams};
