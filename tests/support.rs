//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use vlocr::inference::Runtime;
use vlocr::pipeline::{ModelFiles, ModelSet};
use vlocr::{OcrEngine, OcrParams};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether missing models fail the test run (the Makefile's `test` target sets this after
/// installing them) rather than skip the tests that need them.
fn models_required() -> bool {
    std::env::var_os("VLOCR_REQUIRE_MODELS").is_some_and(|v| v == "1")
}

/// The real engine, or `None` (with a message) when the models are not installed.
pub(crate) fn engine(set: ModelSet) -> Option<OcrEngine> {
    let files = ModelFiles::in_dir(&root().join("models"), set);
    if !files.runtime.is_file() {
        assert!(
            !models_required(),
            "models are not installed: run `make setup`"
        );
        eprintln!("skipped: models not installed (run `make setup`)");
        return None;
    }
    let runtime = Runtime::load(&files.runtime).expect("ONNX Runtime loads");
    Some(OcrEngine::load(&runtime, &files, &OcrParams::default()).expect("models load"))
}

/// A file of ../shared/data/real, or `None` (with a message) when ../shared is absent, as in a
/// user's clone.
pub(crate) fn shared_real(name: &str) -> Option<PathBuf> {
    let path = root().join("../shared/data/real").join(name);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} not present (no ../shared beside this checkout)",
            path.display()
        );
        None
    }
}

/// Decodes an image file.
pub(crate) fn load_image(path: &Path) -> image::RgbImage {
    vlocr::pipeline::decode_image(&std::fs::read(path).expect("readable")).expect("decodes")
}
