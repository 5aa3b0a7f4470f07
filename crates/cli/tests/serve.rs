//! `vlocr serve` as a client meets it: the real binary on a free loopback port, called by the
//! official Huawei Python SDK with AK/SK and by raw HTTP with a token (scripts/sdk_client.py,
//! run in the `.venv-sdk` that `make setup` makes), on the synthetic example and the shared real
//! specimen; and the demo page at `/` in Debian's headless Chromium (tests/browser).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn required() -> bool {
    std::env::var_os("VLOCR_REQUIRE_MODELS").is_some_and(|v| v == "1")
}

/// Whether models and the SDK environment are installed; fails under `make test` when not.
fn set_up() -> bool {
    let models = root()
        .join("models/onnxruntime/libonnxruntime.so")
        .is_file();
    let sdk = root().join(".venv-sdk/bin/python").is_file();
    if !(models && sdk) {
        assert!(!required(), "models or .venv-sdk missing: run `make setup`");
        eprintln!("skipped: models or the SDK environment are not installed (run `make setup`)");
    }
    models && sdk
}

/// The truth file of an example image (`examples/NAME.json`).
fn example_truth(name: &str) -> serde_json::Value {
    let path = root().join("examples").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("example truth");
    serde_json::from_str(&text).expect("truth JSON")
}

/// What `scripts/sdk_client.py` printed, once it has ended well: its output, and each of its
/// JSON lines (one per request).
fn client_lines(output: &std::process::Output) -> (String, Vec<serde_json::Value>) {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    (stdout, lines)
}

/// The server process, killed when dropped.
struct Server {
    child: Child,
    endpoint: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `vlocr serve` with `extra` flags, one worker unless they say otherwise.
fn start(extra: &[&str]) -> Server {
    let workers: &[&str] = if extra.contains(&"--workers") {
        &[]
    } else {
        &["--workers", "1"]
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_vlocr"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(workers)
        .args(extra)
        .env_remove("VLOCR_MODELS_DIR")
        .env_remove("VLOCR_AUTH_TOKENS")
        .env_remove("VLOCR_AUTH_KEYS")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("vlocr serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let endpoint = line
        .trim()
        .strip_prefix("vlocr listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Server { child, endpoint }
}

#[test]
fn official_sdk_and_raw_http_read_licenses() {
    if !set_up() {
        return;
    }
    let server = start(&[
        "--auth-keys",
        "TESTAK:TESTSK",
        "--auth-tokens",
        "test-token",
    ]);
    let mut images = vec![root().join("examples/synthetic-front.png")];
    let specimen = root().join("../shared/data/real/specimen-front-beijing.png");
    if specimen.is_file() {
        images.push(specimen);
    } else {
        eprintln!("../shared is absent: the real specimen is not sent");
    }
    let output = Command::new(root().join(".venv-sdk/bin/python"))
        .arg(root().join("scripts/sdk_client.py"))
        .args([
            "--endpoint",
            &server.endpoint,
            "--ak",
            "TESTAK",
            "--sk",
            "TESTSK",
        ])
        .args(["--token", "test-token"])
        .arg("--back")
        .arg(root().join("examples/synthetic-back.jpg"))
        .arg("--electronic")
        .arg(root().join("examples/synthetic-electronic.png"))
        .args(&images)
        .output()
        .expect("python runs");
    let (stdout, lines) = client_lines(&output);
    assert_eq!(lines.len(), 3 * (images.len() + 2), "{stdout}");
    let truth = |file: &str| -> (String, String) {
        if file.contains("specimen") {
            ("京AA5599".into(), "HHGHH555778802669".into())
        } else {
            let value = example_truth("synthetic-front");
            (
                value["fields"]["number"].as_str().expect("number").into(),
                value["fields"]["vin"].as_str().expect("vin").into(),
            )
        }
    };
    let back_truth = example_truth("synthetic-back");
    let electronic_truth = example_truth("synthetic-electronic");
    for line in &lines {
        let file = line["file"].as_str().expect("file");
        let client = line["client"].as_str().expect("client");
        if file.ends_with("synthetic-electronic.png") && client != "sdk-wrong-sk" {
            // An electronic license's screen: the SDK's model carries its type, its statuses
            // (a list of strings) and the fields only it shows.
            assert_eq!(line["status"], 200, "{line}");
            for key in ["type", "number", "vin", "status", "color", "energy_type"] {
                assert_eq!(
                    line["result"][key], electronic_truth["fields"][key],
                    "{line}"
                );
            }
            continue;
        }
        if file.ends_with("synthetic-back.jpg") && client != "sdk-wrong-sk" {
            // A back page that prints its energy type: the SDK's model carries it.
            assert_eq!(line["status"], 200, "{line}");
            for key in ["number", "energy_type"] {
                assert_eq!(line["result"][key], back_truth["fields"][key], "{line}");
            }
            continue;
        }
        match client {
            "sdk" | "raw" => {
                assert_eq!(line["status"], 200, "{line}");
                let (number, vin) = truth(file);
                assert_eq!(line["result"]["number"], number.as_str(), "{line}");
                assert_eq!(line["result"]["vin"], vin.as_str(), "{line}");
                // The SDK asks for the alarm (its model classes parse it): neither card is
                // covered or cut. The raw call does not ask, and gets Huawei's plain answer.
                let alarm = &line["result"]["alarm_result"];
                if line["client"] == "sdk" {
                    assert_eq!(alarm["detect_border_integrity_result"], false, "{line}");
                    assert_eq!(
                        alarm["detect_blocking_within_border_result"], false,
                        "{line}"
                    );
                } else {
                    assert!(alarm.is_null(), "{line}");
                }
                assert_eq!(
                    line["request_id"].as_str().map(str::len),
                    Some(32),
                    "{line}"
                );
            }
            "sdk-wrong-sk" => {
                assert_eq!(line["status"], 401, "{line}");
                assert_eq!(line["error_code"], "APIG.0301", "{line}");
            }
            other => panic!("unknown client {other}"),
        }
    }
}

/// Two workers sharing one set of model sessions (`--share-models`), two SDK clients at once:
/// every answer is the one a worker of its own gives.
#[test]
fn workers_sharing_their_models_answer_clients_side_by_side() {
    if !set_up() {
        return;
    }
    let server = start(&[
        "--workers",
        "2",
        "--share-models",
        "--auth-keys",
        "TESTAK:TESTSK",
    ]);
    let client = || {
        Command::new(root().join(".venv-sdk/bin/python"))
            .arg(root().join("scripts/sdk_client.py"))
            .args([
                "--endpoint",
                &server.endpoint,
                "--ak",
                "TESTAK",
                "--sk",
                "TESTSK",
            ])
            .arg("--back")
            .arg(root().join("examples/synthetic-back.jpg"))
            .arg(root().join("examples/synthetic-front.png"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python runs")
    };
    let clients = [client(), client()];
    let (front, back) = (
        example_truth("synthetic-front"),
        example_truth("synthetic-back"),
    );
    for running in clients {
        let output = running.wait_with_output().expect("the client ends");
        let (stdout, lines) = client_lines(&output);
        let answered: Vec<serde_json::Value> =
            lines.into_iter().filter(|l| l["client"] == "sdk").collect();
        assert_eq!(answered.len(), 2, "{stdout}");
        for line in answered {
            assert_eq!(line["status"], 200, "{line}");
            // The fields the single-worker test checks on these pages.
            let (truth, keys) = if line["file"].as_str().is_some_and(|f| f.ends_with(".jpg")) {
                (&back, ["number", "energy_type"])
            } else {
                (&front, ["number", "vin"])
            };
            for key in keys {
                assert_eq!(line["result"][key], truth["fields"][key], "{line}");
            }
        }
    }
}

/// The demo page in a real browser (tests/browser/demo.test.mjs, playwright-core driving
/// /usr/bin/chromium): upload the shared specimen (the synthetic example without ../shared),
/// get asked for the token, then see the plate and VIN in the table and the boxes over the
/// image. The screenshot is left in target/browser/.
#[test]
fn demo_page_reads_a_license_in_a_browser() {
    let browser = Path::new("/usr/bin/chromium").is_file()
        && root()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir();
    let models = root()
        .join("models/onnxruntime/libonnxruntime.so")
        .is_file();
    if !(browser && models) {
        assert!(
            !required(),
            "chromium, playwright-core or the models are missing: run `make setup`"
        );
        eprintln!(
            "skipped: chromium, playwright-core or the models are not installed (run `make setup`)"
        );
        return;
    }
    let server = start(&["--auth-tokens", "demo-token"]);
    let specimen = root().join("../shared/data/real/specimen-front-beijing.png");
    let (image, truth, shot) = if specimen.is_file() {
        (
            specimen.clone(),
            specimen.with_extension("json"),
            "demo-specimen.png",
        )
    } else {
        eprintln!("../shared is absent: the demo page is tested on the synthetic example");
        (
            root().join("examples/synthetic-front.png"),
            root().join("examples/synthetic-front.json"),
            "demo-synthetic.png",
        )
    };
    let out = root().join("target/browser");
    std::fs::create_dir_all(&out).expect("target/browser");
    let screenshot = out.join(shot);
    let _ = std::fs::remove_file(&screenshot);
    let output = Command::new("node")
        .arg(root().join("tests/browser/demo.test.mjs"))
        .arg(&server.endpoint)
        .arg("demo-token")
        .args([&image, &truth, &screenshot])
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{stdout}");
    let size = std::fs::metadata(&screenshot).map_or(0, |m| m.len());
    assert!(
        size > 50_000,
        "screenshot {} is {size} bytes",
        screenshot.display()
    );
}

#[test]
fn refuses_to_serve_the_network_without_credentials() {
    let output = Command::new(env!("CARGO_BIN_EXE_vlocr"))
        .args(["serve", "--listen", "0.0.0.0:0"])
        .env_remove("VLOCR_AUTH_TOKENS")
        .env_remove("VLOCR_AUTH_KEYS")
        .env_remove("VLOCR_IAM_USERS")
        .env_remove("VLOCR_ALLOW_UNAUTHENTICATED")
        .output()
        .expect("vlocr runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("without credentials"), "{stderr}");
}
