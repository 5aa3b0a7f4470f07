//! The vlocr pipeline: from an image to text lines and license fields.
//!
//! [`OcrEngine`] owns one text detector, one line recognizer and one line-orientation
//! classifier, each behind the [`vlocr_inference::Model`] seam. [`OcrEngine::read`] detects the
//! lines of an image, finds how the page is turned ([`QuarterTurn`]) from the lines' shapes and
//! the classifier, and reads every line the right way up. Lines come back as [`OcrLine`]s in
//! reading order, with quads in the original image's coordinates. The page readers go step by
//! step instead: [`OcrEngine::read_first_pass_deferring`] reads with the fast recognizer and may
//! leave small print unread, [`OcrEngine::read_unread`] and [`OcrEngine::read_again`] read what
//! the placed fields say matters, and [`OcrEngine::take_work`] says what all that cost.
//!
//! [`read_front_page`] and [`read_back_page`] read a main page (主页) or a back page (副页), with
//! a faint image stretched first and a close-up of a card small in the photo;
//! [`read_both_pages`] splits an open wallet's two pages and reads each (field layout:
//! `vlocr-field-layout`).
//!
//! [`ModelSet`] and [`ModelFiles`] name the model files that `models/fetch.py` installs, and
//! [`OcrEngine::load`] loads them. An engine holds ONNX Runtime sessions, which run one call at a
//! time: concurrent workers each load their own engine.

mod barcode;
mod card_edges;
mod card_pixels;
mod card_region;
mod contrast;
mod decode;
mod double;
mod electronic;
mod engine;
mod error;
mod fields;
mod models;
mod moire;
mod orientation;
mod page_reading;
mod paper_hue;
mod quality;
mod reading;
mod reflection;
mod strip;
mod upright;

pub use card_pixels::PhotoPixels;
pub use decode::{
    decode_cost, decode_image, decode_image_reduced, DecodeCost, DecodeError, DecodedImage,
    MAX_DECODE_SIDE, REDUCED_DECODE_FROM,
};
pub use double::{read_both_pages, BothPages};
pub use electronic::{is_electronic, read_electronic_page};
pub use engine::{
    EngineWork, FastRecognizer, OcrEngine, OcrLine, OcrModels, OcrPage, OcrParams, SharedModels,
    StageTimings, StripReading, UnreadLine, PAGE_LINES,
};
pub use error::{PipelineError, Result};
pub use fields::{
    back_fields, front_fields, read_any_page, read_back_page, read_front_page, AnyPage,
    MIN_FRONT_LABELS,
};
pub use models::{default_model_dirs, ModelFiles, ModelSet, ModelVariant, RecognizerFiles};
pub use page_reading::DETECTIONS_PER_REQUEST;
pub use quality::{card_quality, quality_warnings, CardQuality, QualityWarning};
pub use vlocr_ctc::{Frame, Lattice};
pub use vlocr_field_layout::{
    back_page_alarms, calibrated_confidence, main_page_alarms, Alarms, BackField, BackFields,
    CardPixels, ElectronicField, ElectronicFields, FieldValue, FrontField, FrontFields,
};
pub use vlocr_geometry::{Point, Quad, QuarterTurn};
