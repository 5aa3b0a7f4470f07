//! The deployment files in deploy/ parse, hold what operators rely on, and name only settings
//! that `vlocr serve` has.

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn deploy() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(deploy().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn yaml(name: &str) -> Vec<Yaml> {
    YamlLoader::load_from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn kubernetes_manifests_have_probes_resources_and_autoscaling() {
    let docs = yaml("kubernetes/vlocr.yaml");
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    for kind in ["Secret", "Deployment", "Service", "HorizontalPodAutoscaler"] {
        assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
    }
    let deployment = docs
        .iter()
        .find(|d| d["kind"].as_str() == Some("Deployment"))
        .expect("deployment");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        container["readinessProbe"]["httpGet"]["path"].as_str(),
        Some("/health/ready")
    );
    assert_eq!(
        container["livenessProbe"]["httpGet"]["path"].as_str(),
        Some("/health/live")
    );
    assert_eq!(container["ports"][0]["containerPort"].as_i64(), Some(8080));
    assert!(container["resources"]["limits"]["memory"]
        .as_str()
        .is_some());
    assert!(container["resources"]["requests"]["cpu"].as_str().is_some());
    assert_eq!(
        deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"].as_bool(),
        Some(true)
    );
}

#[test]
fn the_gpu_variants_ask_for_a_gpu_and_the_default_image_stays_the_cpu_one() {
    let docs = yaml("kubernetes/vlocr-gpu.yaml");
    let deployment = docs
        .iter()
        .find(|d| d["kind"].as_str() == Some("Deployment"))
        .expect("a Deployment");
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"].as_str(), Some("vlocr:gpu"));
    assert_eq!(
        container["resources"]["limits"]["nvidia.com/gpu"].as_i64(),
        Some(1)
    );
    let env = container["env"].as_vec().expect("env");
    assert!(
        env.iter()
            .any(|e| e["name"].as_str() == Some("VLOCR_DEVICE")
                && e["value"].as_str() == Some("cuda"))
    );
    assert!(container["readinessProbe"]["httpGet"]["path"].as_str() == Some("/health/ready"));
    let text = read("Dockerfile");
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(stages.iter().any(|l| l.ends_with(" AS gpu")), "{stages:?}");
    // `docker build` without --target builds the last stage: the CPU image.
    assert!(
        !stages.last().expect("stages").contains("gpu"),
        "{stages:?}"
    );
    assert!(text.contains("models/fetch.py --gpu") && text.contains("VLOCR_DEVICE=cuda"));
}

#[test]
fn compose_file_builds_and_publishes_the_service() {
    let docs = yaml("compose.yaml");
    let service = &docs[0]["services"]["vlocr"];
    assert_eq!(
        service["build"]["dockerfile"].as_str(),
        Some("deploy/Dockerfile")
    );
    assert_eq!(service["ports"][0].as_str(), Some("8080:8080"));
}

#[test]
fn dockerfile_is_multi_stage_non_root_and_checks_health() {
    let text = read("Dockerfile");
    assert!(text.lines().filter(|l| l.starts_with("FROM ")).count() >= 2);
    let user = text
        .lines()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("a USER line");
    assert!(
        !user.starts_with("root") && !user.starts_with('0'),
        "{user}"
    );
    assert!(text.contains("HEALTHCHECK") && text.contains("/health/ready"));
    let unit = read("systemd/vlocr.service");
    assert!(unit.contains("ExecStart=/opt/vlocr/vlocr serve"));
    assert!(unit
        .lines()
        .any(|l| l.starts_with("User=") && l != "User=root"));
}

#[test]
fn every_setting_named_in_deploy_exists() {
    let out = Command::new(env!("CARGO_BIN_EXE_vlocr"))
        .args(["serve", "--help"])
        .output()
        .expect("vlocr runs");
    let help = String::from_utf8_lossy(&out.stdout);
    let mut checked = 0;
    for name in [
        "Dockerfile",
        "compose.yaml",
        "kubernetes/vlocr.yaml",
        "kubernetes/vlocr-gpu.yaml",
        "systemd/vlocr.service",
    ] {
        let text = read(name);
        for (at, _) in text.match_indices("VLOCR_") {
            let variable: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect();
            assert!(
                help.contains(&variable),
                "{name} names {variable}, unknown to vlocr serve"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} settings found");
}
