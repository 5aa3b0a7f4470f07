//! Switches set from the environment, as a container sets them (`VLOCR_LOW_MEMORY=1`).

use std::process::Command;

/// `vlocr` with `args` and the environment variable `name` set to `value`.
fn vlocr_with(name: &str, value: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vlocr"))
        .args(args)
        .env_remove("VLOCR_MODELS_DIR")
        .env(name, value)
        .output()
        .expect("vlocr runs")
}

#[test]
fn switches_take_one_and_zero_from_the_environment() {
    let no_models = std::env::temp_dir().join("vlocr-no-models-here");
    let no_models = no_models.to_str().expect("utf-8");
    for name in ["VLOCR_LOW_MEMORY", "VLOCR_SHARED_THREADS"] {
        for value in ["1", "0", "true", "false", "yes", "no"] {
            let out = vlocr_with(
                name,
                value,
                &["recognize", "--models-dir", no_models, "x.png"],
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            // Past the settings, to the models that are not there.
            assert!(stderr.contains("make setup"), "{name}={value}: {stderr}");
        }
    }
    // A switch set to 0 is off: serving every address without credentials is refused.
    let out = vlocr_with(
        "VLOCR_ALLOW_UNAUTHENTICATED",
        "0",
        &["serve", "--listen", "0.0.0.0:0", "--models-dir", no_models],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("without credentials"), "{stderr}");
}
