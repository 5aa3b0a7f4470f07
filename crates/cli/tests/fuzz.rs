//! The short form of the service's fuzz and soak suite (scripts/fuzz_service.py --short): the
//! real binary on a loopback port under malformed HTTP and JSON, hostile images, bad
//! credentials, SSRF lures, idle and slow connections, memory-heavy requests, random bodies
//! and a SIGTERM with requests in flight. About half a minute.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_service_survives_the_short_fuzz_suite() {
    let models = root()
        .join("models/onnxruntime/libonnxruntime.so")
        .is_file();
    if !models {
        assert!(
            std::env::var_os("VLOCR_REQUIRE_MODELS").is_none_or(|v| v != "1"),
            "models missing: run `make setup`"
        );
        eprintln!("skipped: models are not installed (run `make setup`)");
        return;
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let output = Command::new(python)
        .arg(root().join("scripts/fuzz_service.py"))
        .args(["--short", "--binary", env!("CARGO_BIN_EXE_vlocr")])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "fuzz suite failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("fuzz suite passed"), "{stdout}");
}
