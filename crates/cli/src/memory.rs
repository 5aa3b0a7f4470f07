//! How the process's C allocator gives freed memory back to the system.

/// Bytes free at the top of glibc's heap beyond which it is given back at once (`M_TRIM_THRESHOLD`,
/// 128 KiB, glibc's starting value). ONNX Runtime allocates through glibc's malloc, whose
/// threshold otherwise grows with the largest block freed (up to 64 MiB): memory freed after a
/// large photo's detector run stays resident. Setting it also fixes the mmap threshold at its
/// starting value. Part of `--low-memory` (figures in the README).
const TRIM_THRESHOLD: i32 = 128 * 1024;

/// Sets glibc's trim threshold to [`TRIM_THRESHOLD`], unless the environment already tunes
/// malloc (`MALLOC_TRIM_THRESHOLD_`, `GLIBC_TUNABLES`). Called in `main` before any thread
/// starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn give_freed_memory_back() {
    let tuned = ["MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    if !tuned {
        set_trim_threshold(TRIM_THRESHOLD);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set_trim_threshold(bytes: i32) {
    // SAFETY: mallopt only changes allocator parameters under glibc's own lock; it takes no
    // pointers and is called with a parameter and value glibc documents.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, bytes);
    }
}

/// Other platforms' allocators are left as they are.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn give_freed_memory_back() {}
