//! ONNX Runtime sessions behind the [`Model`] trait.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use ndarray::{ArrayD, ArrayViewD};
use ort::{
    environment::{Environment, GlobalThreadPoolOptions},
    ep::{cuda::ConvAlgorithmSearch, ExecutionProvider, CUDA},
    session::{builder::GraphOptimizationLevel, RunOptions, Session},
    value::TensorRef,
};

use crate::{arena, InferenceError, Model, Result};

/// A loaded ONNX Runtime library: the environment every [`OnnxModel`] is created in.
///
#[derive(Debug, Clone)]
pub struct Runtime {
    environment: Environment,
    library: PathBuf,
}

/// Process-wide ONNX Runtime settings, fixed when the runtime is first loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuntimeOptions {
    /// One pool of this many threads that every session's runs share, instead of a pool per
    /// session ([`SessionOptions::intra_threads`] is then not used): a run alone in the process
    /// uses them all, runs side by side share them. `None`: a pool per session.
    pub shared_threads: Option<usize>,
}

impl Runtime {
    /// Loads ONNX Runtime from the shared library at `library` (`libonnxruntime.so.*`), with a
    /// thread pool per session.
    ///
    /// ONNX Runtime allows one environment per process: the first successful call creates it,
    /// and later calls return that same runtime, whatever `library` they name.
    pub fn load(library: &Path) -> Result<Runtime> {
        Runtime::load_with(library, RuntimeOptions::default())
    }

    /// [`Runtime::load`] with `options`; as there, later calls return the first runtime, its
    /// options as they were.
    pub fn load_with(library: &Path, options: RuntimeOptions) -> Result<Runtime> {
        static LOADED: Mutex<Option<Runtime>> = Mutex::new(None);
        let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(runtime) = loaded.as_ref() {
            return Ok(runtime.clone());
        }
        let library = std::path::absolute(library).unwrap_or_else(|_| library.to_path_buf());
        if !library.is_file() {
            return Err(InferenceError::RuntimeMissing { path: library });
        }
        let load_error = |reason: String| InferenceError::RuntimeLoad {
            path: library.clone(),
            reason,
        };
        let builder = ort::init_from(&library).map_err(|e| load_error(e.to_string()))?;
        let mut builder = builder.with_name("vlocr");
        if let Some(threads) = options.shared_threads {
            // Idle threads wait rather than spin: between one request's runs, and while the
            // other workers' runs hold the cores (spinning cost a fifth of the answers a second
            // of four clients, measured with two workers on two cores).
            let pool = GlobalThreadPoolOptions::default()
                .with_intra_threads(threads.max(1))
                .and_then(|pool| pool.with_inter_threads(1))
                .and_then(|pool| pool.with_spin_control(false))
                .map_err(|e| load_error(e.to_string()))?;
            builder = builder.with_global_thread_pool(pool);
        }
        let environment = builder.build().map_err(|e| load_error(e.to_string()))?;
        // One arena for every session's CPU memory (`vlocr recognize` over 40 main photos: peak
        // 310 MiB with an arena per session, 235 MiB with one, the same time and output).
        arena::register_shared_cpu_arena(&environment).map_err(load_error)?;
        let runtime = Runtime {
            environment,
            library,
        };
        *loaded = Some(runtime.clone());
        Ok(runtime)
    }

    /// The library this runtime was loaded from.
    pub fn library(&self) -> &Path {
        &self.library
    }
}

/// Where a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Device {
    /// The CPU.
    #[default]
    Cpu,
    /// The first NVIDIA GPU, through ONNX Runtime's CUDA execution provider. Loading a model
    /// fails when the library is not ONNX Runtime's GPU build or the provider cannot start
    /// (no GPU, no CUDA libraries): never a silent fall-back to the CPU.
    Cuda,
    /// The GPU when the library has the CUDA execution provider and it starts, else the CPU.
    Auto,
}

impl Device {
    /// Every device, by name.
    pub const ALL: [Device; 3] = [Device::Cpu, Device::Cuda, Device::Auto];

    /// The device's name on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            Device::Cpu => "cpu",
            Device::Cuda => "cuda",
            Device::Auto => "auto",
        }
    }

    /// The device named `name` (`cpu`, `cuda` or `auto`, any case).
    pub fn from_name(name: &str) -> Option<Device> {
        Device::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }
}

/// Loads the CUDA and cuDNN libraries in `dir` (`make setup-gpu` unpacks them into
/// `models/cuda/`), so that the CUDA execution provider finds them there without
/// `LD_LIBRARY_PATH`. The GPU's driver (`libcuda.so.1`) is the system's. Call it after
/// [`Runtime::load`] (its errors are made by the runtime).
pub fn preload_cuda_libraries(dir: &Path) -> Result<()> {
    let failed = |reason: String| InferenceError::CudaLibraries {
        dir: dir.to_path_buf(),
        reason,
    };
    ort::ep::cuda::preload_dylibs(Some(dir), Some(dir)).map_err(|e| failed(e.to_string()))?;
    // Those cuDNN and NVRTC open by name once running, beyond the ones `ort` preloads.
    for name in [
        "libcudnn_engines_tensor_ir.so.9",
        "libcudnn_ext.so.9",
        "libnvrtc-builtins.so.13.5",
    ] {
        let path = dir.join(name);
        if path.is_file() {
            ort::util::preload_dylib(&path).map_err(|e| failed(format!("{name}: {e}")))?;
        }
    }
    Ok(())
}

/// Per-session settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionOptions {
    /// Threads one inference may use (ONNX Runtime's intra-op pool). Defaults to the number of
    /// cores, which gives the lowest latency for one image at a time; a server running one worker
    /// per core sets 1.
    pub intra_threads: usize,
    /// Where the model runs.
    pub device: Device,
    /// Give the CPU memory arena's unused chunks back after every run (ONNX Runtime's
    /// `memory.enable_memory_arena_shrinkage`), instead of keeping what the largest input
    /// needed for the next run: less memory held between runs, for the time of allocating it
    /// again. Off by default (`vlocr --low-memory` turns it on).
    pub shrink_arena: bool,
}

impl Default for SessionOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            intra_threads: cores,
            device: Device::Cpu,
            shrink_arena: false,
        }
    }
}

/// What a caller requires of a model's interface, checked when it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSignature {
    /// Name of the single input (PaddleOCR exports call it `x`).
    pub input_name: &'static str,
    /// Rank of the single input tensor (4 for NCHW images).
    pub input_rank: usize,
    /// Rank of the first output tensor.
    pub output_rank: usize,
}

/// One ONNX Runtime session running one model file.
pub struct OnnxModel {
    name: String,
    session: Session,
    run_options: RunOptions,
}

impl std::fmt::Debug for OnnxModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnnxModel")
            .field("name", &self.name)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl OnnxModel {
    /// Loads the model at `path`, named `name` in messages, and checks it has one input called
    /// `signature.input_name` of `signature.input_rank` dimensions, and a first output of
    /// `signature.output_rank`.
    pub fn load(
        runtime: &Runtime,
        path: &Path,
        name: &str,
        signature: ModelSignature,
        options: SessionOptions,
    ) -> Result<OnnxModel> {
        if !path.is_file() {
            return Err(InferenceError::ModelMissing {
                path: path.to_path_buf(),
            });
        }
        let load_error = |source: ort::Error| InferenceError::ModelLoad {
            path: path.to_path_buf(),
            source,
        };
        let builder = Session::builder(&runtime.environment).map_err(load_error)?;
        let builder = with_device(builder, options.device, runtime)?;
        let session = builder
            .with_optimization_level(GraphOptimizationLevel::Level3)
            .map_err(|e| load_error(e.into()))?
            .with_intra_threads(options.intra_threads.max(1))
            .map_err(|e| load_error(e.into()))?
            .with_inter_threads(1)
            .map_err(|e| load_error(e.into()))?
            // Input shapes change with every image and every line: the memory patterns ONNX
            // Runtime plans per shape only pile up (`vlocr recognize` on 100 photos: peak RSS
            // 404 MiB with them, 348 MiB without, same time).
            .with_memory_pattern(false)
            .map_err(|e| load_error(e.into()))?
            // A session's own threads stop spinning when its run ends: spinning on, they held a
            // core while the recognizers read lines side by side after the detector (a line
            // read 2 ms on one session and 6 ms on the other), and a run alone is as fast.
            .with_config_entry("session.force_spinning_stop", "1")
            .map_err(|e| load_error(e.into()))?
            // CPU memory from the environment's one arena, which the other sessions' runs
            // reuse, rather than an arena of this session's own.
            .with_config_entry(arena::USE_ENVIRONMENT_ARENA, "1")
            .map_err(|e| load_error(e.into()))?
            .commit_from_file(path)
            .map_err(load_error)?;
        check_signature(&session, path, signature)?;
        let mut run_options = RunOptions::new().map_err(load_error)?;
        if options.shrink_arena {
            run_options
                .set("memory.enable_memory_arena_shrinkage", "cpu:0")
                .map_err(load_error)?;
        }
        Ok(OnnxModel {
            name: name.to_owned(),
            session,
            run_options,
        })
    }

    /// A custom metadata value stored in the model file (PP-OCR recognizers keep their character
    /// set under `character`).
    pub fn metadata(&self, key: &str) -> Option<String> {
        self.session.metadata().ok()?.custom(key)
    }
}

/// `builder` with `device`'s execution provider registered.
fn with_device(
    builder: ort::session::builder::SessionBuilder,
    device: Device,
    runtime: &Runtime,
) -> Result<ort::session::builder::SessionBuilder> {
    let unavailable = |reason: String| InferenceError::DeviceUnavailable {
        device: device.name(),
        library: runtime.library.clone(),
        reason,
    };
    if device == Device::Cpu {
        return Ok(builder);
    }
    // The CPU build of the library does not list the CUDA provider at all.
    let listed = CUDA::is_available().unwrap_or(false);
    // cuDNN's exhaustive search (ONNX Runtime's default) benchmarks every convolution algorithm
    // for each new input shape; line widths and page sizes make nearly every run a new shape,
    // and one main page took about 30 s on an H200 that way. Its heuristic picks at once.
    let cuda = || CUDA::default().with_conv_algorithm_search(ConvAlgorithmSearch::Heuristic);
    match device {
        Device::Cpu => Ok(builder),
        Device::Cuda if !listed => Err(unavailable(
            "this ONNX Runtime library has no CUDA execution provider (it is the CPU build); \
             run `make setup-gpu` to install the GPU build"
                .into(),
        )),
        Device::Cuda => builder
            .with_execution_providers([cuda().build().error_on_failure()])
            .map_err(|e| unavailable(e.to_string())),
        Device::Auto if !listed => Ok(builder),
        Device::Auto => builder
            .with_execution_providers([cuda().build().fail_silently()])
            .map_err(|e| unavailable(e.to_string())),
    }
}

fn check_signature(session: &Session, path: &Path, signature: ModelSignature) -> Result<()> {
    let mismatch = |what: &'static str, expected: String, actual: String| {
        Err(InferenceError::ModelSignature {
            path: path.to_path_buf(),
            what,
            expected,
            actual,
        })
    };
    let inputs = session.inputs();
    if inputs.len() != 1 {
        return mismatch("input count", "1".into(), inputs.len().to_string());
    }
    if inputs[0].name() != signature.input_name {
        return mismatch(
            "input name",
            signature.input_name.into(),
            inputs[0].name().into(),
        );
    }
    let input_rank = inputs[0].dtype().tensor_shape().map(|s| s.len());
    if input_rank != Some(signature.input_rank) {
        return mismatch(
            "input rank",
            signature.input_rank.to_string(),
            input_rank.map_or_else(|| "no tensor".into(), |r| r.to_string()),
        );
    }
    let Some(output) = session.outputs().first() else {
        return mismatch("output count", "at least 1".into(), "0".into());
    };
    let output_rank = output.dtype().tensor_shape().map(|s| s.len());
    if output_rank != Some(signature.output_rank) {
        return mismatch(
            "output rank",
            signature.output_rank.to_string(),
            output_rank.map_or_else(|| "no tensor".into(), |r| r.to_string()),
        );
    }
    Ok(())
}

impl Model for OnnxModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>> {
        let shape = input.shape().to_vec();
        let run_error = |source: ort::Error| InferenceError::Run {
            model: self.name.clone(),
            shape: shape.clone(),
            source,
        };
        let contiguous = input.as_standard_layout();
        let tensor = TensorRef::from_array_view(contiguous.view()).map_err(run_error)?;
        let outputs = self
            .session
            .run_with_options(ort::inputs![tensor], &self.run_options)
            .map_err(run_error)?;
        let output = outputs[0].try_extract_array::<f32>().map_err(run_error)?;
        Ok(output.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_known_by_name_and_the_cpu_is_the_default() {
        for device in Device::ALL {
            assert_eq!(Device::from_name(device.name()), Some(device));
        }
        assert_eq!(Device::from_name("CUDA"), Some(Device::Cuda));
        assert_eq!(Device::from_name("gpu"), None);
        assert_eq!(SessionOptions::default().device, Device::Cpu);
    }
}
