//! Flags shared by every command that loads the models.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::builder::BoolishValueParser;
use clap::Args;
use vlocr_inference::{preload_cuda_libraries, Device, Runtime, RuntimeOptions, SessionOptions};
use vlocr_pipeline::{
    default_model_dirs, ModelFiles, ModelSet, ModelVariant, OcrEngine, OcrModels, OcrParams,
    SharedModels,
};

/// Where the models are and which ones to run.
#[derive(Debug, Clone, Args)]
pub(crate) struct EngineArgs {
    /// Directory of the installed models (made by `make setup`). Default: `models/` beside the
    /// executable, in the checkout it was built in, or in the source tree.
    #[arg(long, env = "VLOCR_MODELS_DIR", value_name = "DIR")]
    pub(crate) models_dir: Option<PathBuf>,

    /// The ONNX Runtime shared library. Default: `onnxruntime/libonnxruntime.so` in the models
    /// directory.
    #[arg(long, env = "VLOCR_ORT_LIBRARY", value_name = "FILE")]
    pub(crate) ort_library: Option<PathBuf>,

    /// Where the models run: cpu, cuda (an NVIDIA GPU, with what `make setup-gpu` installs;
    /// fails at start when they cannot run there) or auto (the GPU when they can, else the
    /// CPU). Default: cpu.
    #[arg(long, env = "VLOCR_DEVICE", value_name = "DEVICE", value_parser = parse_device)]
    pub(crate) device: Option<Device>,

    /// Text detector: ppocr-v6-tiny, ppocr-v6-small or ppocr-v5.
    #[arg(long, env = "VLOCR_DETECTOR", value_name = "MODEL", value_parser = parse_variant)]
    pub(crate) detector: Option<ModelVariant>,

    /// Line recognizer: ppocr-v6-small, ppocr-v6-tiny or ppocr-v5.
    #[arg(long, env = "VLOCR_RECOGNIZER", value_name = "MODEL", value_parser = parse_variant)]
    pub(crate) recognizer: Option<ModelVariant>,

    /// A fast recognizer that reads every line first, leaving only the lines it is unsure of to
    /// --recognizer: ppocr-v6-tiny, or `none`.
    #[arg(long, env = "VLOCR_FAST_RECOGNIZER", value_name = "MODEL", value_parser = parse_optional_variant)]
    pub(crate) fast_recognizer: Option<OptionalModel>,

    /// With --fast-recognizer: re-read a line when its weakest character's confidence is below
    /// this (0..1).
    #[arg(long, env = "VLOCR_RECHECK_BELOW", value_name = "CONFIDENCE")]
    pub(crate) recheck_below: Option<f32>,

    /// Cores one image may use: threads per detector run, and recognizer sessions reading
    /// lines side by side. Default: the number of cores.
    #[arg(long, env = "VLOCR_THREADS", value_name = "N")]
    pub(crate) threads: Option<usize>,

    /// Detector runs one image may take (a reading of the whole image or of a close-up is one,
    /// its search turned a quarter another): a small, blurred or tilted card stops being
    /// searched at other scales and from close-ups when they are spent, and is answered from
    /// the readings made. 0: no limit. Default: 6 (figures in the README).
    #[arg(long, env = "VLOCR_DETECTIONS_PER_REQUEST", value_name = "N")]
    pub(crate) detections_per_request: Option<u32>,

    /// Longest image side given to the text detector, in pixels (rounded to a multiple of 32).
    #[arg(long, env = "VLOCR_DETECTOR_SIDE", value_name = "PIXELS")]
    pub(crate) detector_side: Option<u32>,

    /// Hold less memory, for more time a request: the models' working memory and the
    /// allocator's free memory are given back to the system after each use rather than kept
    /// for the next (figures in the README).
    #[arg(long, env = "VLOCR_LOW_MEMORY", value_parser = BoolishValueParser::new())]
    pub(crate) low_memory: bool,

    /// One pool of threads, one per core, shared by every model run of every worker, instead
    /// of each worker's own: a request alone then uses every core (answered sooner under light
    /// load), requests side by side share them (a few answers a second fewer at full load;
    /// figures in the README).
    #[arg(long, env = "VLOCR_SHARED_THREADS", value_parser = BoolishValueParser::new())]
    pub(crate) shared_threads: bool,

    /// Narrowest recognizer input, in pixels (tuning).
    #[arg(long, hide = true, value_name = "PIXELS")]
    pub(crate) recognizer_min_width: Option<u32>,

    /// Recognizer sessions reading one image's lines side by side (tuning; default: --threads).
    #[arg(long, hide = true, value_name = "N")]
    pub(crate) recognizer_workers: Option<usize>,

    /// Lines per recognizer run (tuning).
    #[arg(long, hide = true, value_name = "N")]
    pub(crate) recognizer_batch: Option<usize>,
}

/// A model choice that may be `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptionalModel(Option<ModelVariant>);

fn parse_optional_variant(name: &str) -> Result<OptionalModel, String> {
    if name.eq_ignore_ascii_case("none") {
        Ok(OptionalModel(None))
    } else {
        parse_variant(name).map(|v| OptionalModel(Some(v)))
    }
}

fn parse_device(name: &str) -> Result<Device, String> {
    parse_named(
        "device",
        name,
        Device::from_name,
        &Device::ALL,
        Device::name,
    )
}

fn parse_variant(name: &str) -> Result<ModelVariant, String> {
    parse_named(
        "model",
        name,
        ModelVariant::from_name,
        &ModelVariant::ALL,
        ModelVariant::name,
    )
}

/// The `what` called `name`, or an error naming every one of `all`.
fn parse_named<T: Copy>(
    what: &str,
    name: &str,
    from_name: fn(&str) -> Option<T>,
    all: &[T],
    name_of: fn(T) -> &'static str,
) -> Result<T, String> {
    from_name(name).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|&v| name_of(v)).collect();
        format!(
            "unknown {what} `{name}`; expected one of {}",
            known.join(", ")
        )
    })
}

impl EngineArgs {
    /// The models directory: the configured one, or the first default that holds a runtime.
    fn models_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.models_dir {
            return Ok(dir.clone());
        }
        let candidates = default_model_dirs();
        if let Some(found) = candidates
            .iter()
            .find(|dir| dir.join("onnxruntime").is_dir())
        {
            return Ok(found.clone());
        }
        bail!(
            "no installed models found (looked in {}); run `make setup` in the vlocr checkout, or pass --models-dir",
            candidates
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Stage settings from the flags.
    pub(crate) fn params(&self) -> OcrParams {
        let mut params = OcrParams::default();
        if let Some(threads) = self.threads {
            params.session = SessionOptions {
                intra_threads: threads.max(1),
                ..params.session
            };
            // Recognizer sessions side by side share the same cores.
            params.recognizer_workers = threads.max(1);
        }
        if let Some(device) = self.device {
            params.session.device = device;
        }
        params.session.shrink_arena = self.low_memory;
        if let Some(runs) = self.detections_per_request {
            params.detections_per_request = (runs > 0).then_some(runs);
        }
        if let Some(side) = self.detector_side {
            params.detector.side_len = side.max(32);
        }
        if let Some(width) = self.recognizer_min_width {
            params.recognizer.min_width = width;
        }
        if let Some(threshold) = self.recheck_below {
            params.recheck_below = threshold.clamp(0.0, 1.0);
        }
        if let Some(workers) = self.recognizer_workers {
            params.recognizer_workers = workers.max(1);
        }
        if let Some(batch) = self.recognizer_batch {
            params.recognizer.batch_size = batch.max(1);
        }
        params
    }

    /// Loads ONNX Runtime and the models.
    pub(crate) fn load_engine(&self) -> anyhow::Result<OcrEngine> {
        let models = self.load_models()?;
        Ok(OcrEngine::new(models, &self.params())?)
    }

    /// Loads ONNX Runtime and the models once, for engines that share them
    /// ([`SharedModels::engine`]).
    pub(crate) fn load_shared_models(&self) -> anyhow::Result<SharedModels> {
        Ok(SharedModels::new(self.load_models()?))
    }

    /// Loads ONNX Runtime and the models' sessions.
    fn load_models(&self) -> anyhow::Result<OcrModels> {
        let dir = self.models_dir()?;
        let defaults = ModelSet::default();
        let set = ModelSet {
            detector: self.detector.unwrap_or(defaults.detector),
            recognizer: self.recognizer.unwrap_or(defaults.recognizer),
            fast_recognizer: self
                .fast_recognizer
                .map_or(defaults.fast_recognizer, |f| f.0),
        };
        let mut files = ModelFiles::in_dir(&dir, set);
        let device = self.device.unwrap_or_default();
        if device != Device::Cpu {
            // What `make setup-gpu` installs: the GPU build of ONNX Runtime, and the CUDA
            // libraries its CUDA execution provider loads.
            let gpu_build = dir.join("onnxruntime-gpu").join("libonnxruntime.so");
            if gpu_build.is_file() {
                files.runtime = gpu_build;
            }
        }
        if let Some(library) = &self.ort_library {
            files.runtime = library.clone();
        }
        let options = RuntimeOptions {
            shared_threads: self
                .shared_threads
                .then(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        };
        let runtime = Runtime::load_with(&files.runtime, options)?;
        let cuda = dir.join("cuda");
        if device != Device::Cpu && cuda.is_dir() {
            let preloaded = preload_cuda_libraries(&cuda);
            if device == Device::Cuda {
                preloaded?;
            }
        }
        OcrModels::load(&runtime, &files, &self.params())
            .with_context(|| format!("loading models from {}", dir.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        engine: EngineArgs,
    }

    #[test]
    fn zero_detections_per_request_means_no_limit() {
        let limit = |args: &[&str]| {
            let cli = Cli::parse_from(std::iter::once("vlocr").chain(args.iter().copied()));
            cli.engine.params().detections_per_request
        };
        assert_eq!(limit(&[]), OcrParams::default().detections_per_request);
        assert_eq!(limit(&["--detections-per-request", "3"]), Some(3));
        assert_eq!(limit(&["--detections-per-request", "0"]), None);
    }
}
