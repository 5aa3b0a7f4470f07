//! One CPU memory arena for every session of the process: ONNX Runtime's environment
//! allocator, which `ort` does not wrap (the one module of this crate with `unsafe` code).
//!
//! By default each session keeps an arena of its own, and each arena keeps what its largest run
//! needed: the detector's feature maps stay held while the recognizers read lines, and each
//! worker's sessions hold theirs. Sessions that allocate from the environment's arena
//! (`session.use_env_allocators`) reuse one another's freed memory instead.
#![allow(unsafe_code)]

use std::ffi::CStr;
use std::ptr;

use ort::{environment::Environment, sys, AsPointer};

/// The session configuration key that makes a session allocate CPU memory from the arena
/// [`register_shared_cpu_arena`] registered.
pub(crate) const USE_ENVIRONMENT_ARENA: &str = "session.use_env_allocators";

/// Registers with `environment` one CPU arena (ONNX Runtime's default arena settings) for the
/// sessions configured with [`USE_ENVIRONMENT_ARENA`]. Call it once, before those sessions are
/// created. The error is ONNX Runtime's message.
pub(crate) fn register_shared_cpu_arena(environment: &Environment) -> Result<(), String> {
    let api = ort::api();
    let mut memory_info: *mut sys::OrtMemoryInfo = ptr::null_mut();
    // SAFETY: `api` is the loaded library's function table, so each pointer called is an ONNX
    // Runtime function taking the arguments its C declaration names. `memory_info` is a
    // valid out-pointer; on success it holds a memory info we own and release below (the
    // environment copies what it needs of it). The environment pointer comes from a live
    // `Environment` that outlives this call, and a null arena configuration asks for ONNX
    // Runtime's defaults.
    unsafe {
        status(
            api,
            (api.CreateCpuMemoryInfo)(
                sys::OrtAllocatorType::OrtArenaAllocator,
                sys::OrtMemType::OrtMemTypeDefault,
                &mut memory_info,
            ),
        )?;
        let registered = status(
            api,
            (api.CreateAndRegisterAllocator)(
                environment.ptr().cast_mut(),
                memory_info,
                ptr::null(),
            ),
        );
        (api.ReleaseMemoryInfo)(memory_info);
        registered
    }
}

/// `Ok` for a null status; otherwise its message, the status released.
///
/// # Safety
/// `returned` is a status that one of `api`'s functions just returned, not yet released.
unsafe fn status(api: &sys::OrtApi, returned: sys::OrtStatusPtr) -> Result<(), String> {
    if returned.0.is_null() {
        return Ok(());
    }
    // SAFETY: a non-null status holds a NUL-terminated message until it is released, which
    // happens after the message is copied.
    unsafe {
        let message = CStr::from_ptr((api.GetErrorMessage)(returned.0))
            .to_string_lossy()
            .into_owned();
        (api.ReleaseStatus)(returned.0);
        Err(message)
    }
}
