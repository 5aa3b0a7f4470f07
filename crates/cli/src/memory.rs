//! How the process's C allocator holds memory: its arenas, and freed memory given back to the
//! system.

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

/// Makes every thread allocate from glibc's one main arena (`M_ARENA_MAX` 1), unless the
/// environment already tunes it (`MALLOC_ARENA_MAX`, `GLIBC_TUNABLES`). By default glibc gives
/// threads arenas of their own, up to eight a core, and memory freed in one is kept for its
/// threads: the recognizer sessions' threads, made afresh for each image, spread an image's
/// buffers over several. Measured 2026-12-07, 2 cores, `vlocr recognize --jsonl` over the 100
/// main photos of seed 11901, two runs each: peak 360 / 355 MiB and 22.9 / 24.9 s by default,
/// 314 / 314 MiB and 25.5 / 25.1 s with one arena; in a second pair of runs 365 / 355 MiB and
/// 24.2 / 24.5 s against 314 / 313 MiB and 24.2 / 24.4 s. `vlocr serve` under
/// `scripts/load_bench.py` (levels 1 and 4): 468 / 471 -> 445 / 456 MiB, the same answers a
/// second. The same output. Called in `main` before any thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) fn one_allocator_arena() {
    let tuned = ["MALLOC_ARENA_MAX", "GLIBC_TUNABLES"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    if !tuned {
        set_arena_max(1);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set_arena_max(arenas: i32) {
    // SAFETY: as in `set_trim_threshold`: mallopt takes no pointers, and M_ARENA_MAX is a
    // parameter glibc documents.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

/// Other platforms' allocators are left as they are.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(crate) fn one_allocator_arena() {}
