//! How the process's C allocator holds memory: its arenas, and freed memory given back to the
//! system.

/// Bytes free at the top of glibc's heap beyond which it is given back at once (`M_TRIM_THRESHOLD`,
/// 128 KiB, glibc's starting value). ONNX Runtime allocates through glibc's malloc, whose
/// threshold otherwise grows with the largest block freed (up to 64 MiB): memory freed after a
/// large photo's detector run stays resident. Setting it also fixes the mmap threshold at its
/// starting value. Part of `--low-memory` (figures in the README).
const TRIM_THRESHOLD: i32 = 128 * 1024;

/// Sets glibc's trim threshold to [`TRIM_THRESHOLD`], unless the environment already tunes
/// it (`MALLOC_TRIM_THRESHOLD_`, `GLIBC_TUNABLES`). Called in `main` before any thread starts.
pub(crate) fn give_freed_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    set_unless_tuned(
        "MALLOC_TRIM_THRESHOLD_",
        libc::M_TRIM_THRESHOLD,
        TRIM_THRESHOLD,
    );
}

/// Makes every thread allocate from glibc's one main arena (`M_ARENA_MAX` 1), unless the
/// environment already tunes it (`MALLOC_ARENA_MAX`, `GLIBC_TUNABLES`). By default glibc gives
/// threads arenas of their own, up to eight a core, and memory freed in one is kept for its
/// threads: the recognizer sessions' threads, made afresh for each image, spread an image's
/// buffers over several (about 45 MiB more at the peak over 100 photos, no faster; figures in
/// the README). Called in `main` before any thread starts.
pub(crate) fn one_allocator_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    set_unless_tuned("MALLOC_ARENA_MAX", libc::M_ARENA_MAX, 1);
}

/// Sets glibc's malloc parameter `parameter` to `value`, unless `variable` or `GLIBC_TUNABLES`
/// is in the environment (the user's own tuning stands). Other platforms' allocators are left
/// as they are.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set_unless_tuned(variable: &str, parameter: libc::c_int, value: libc::c_int) {
    let tuned = [variable, "GLIBC_TUNABLES"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    if tuned {
        return;
    }
    // SAFETY: mallopt only changes allocator parameters under glibc's own lock; it takes no
    // pointers and is called with a parameter and value glibc documents.
    unsafe {
        libc::mallopt(parameter, value);
    }
}
