//! The `vlocr` binary as a user meets it.

mod electronic;
mod env;
mod fonts;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vlocr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vlocr"))
        .args(args)
        .env_remove("VLOCR_MODELS_DIR")
        .output()
        .expect("vlocr runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The JSON `vlocr` printed, which must have succeeded.
fn answer_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The truth file beside `image`.
fn truth_of(image: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(image.with_extension("json")).expect("truth");
    serde_json::from_str(&text).expect("JSON")
}

/// `vlocr synth` of `count` images from `seed` into `dir`, with `more` arguments (side,
/// difficulty, ...).
fn synth(dir: &Path, count: u32, seed: u64, more: &[&str]) -> Output {
    let (count, seed) = (count.to_string(), seed.to_string());
    let dir = dir.to_str().expect("utf-8");
    let mut args = vec!["synth", "--out", dir, "--count", &count, "--seed", &seed];
    args.extend(more);
    vlocr(&args)
}

/// `count` careful photos of main and back pages for `seed`, with the problems `cases` (a
/// `vlocr synth` flag: `--alarm-cases`, `--warning-cases`) renders, in `dir`.
fn photos_of_cases(dir: &Path, count: u32, seed: u64, cases: &str) {
    let made = synth(
        dir,
        count,
        seed,
        &["--side", "mixed", "--difficulty", "photo", cases],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

fn models_installed() -> bool {
    let installed = root()
        .join("models/onnxruntime/libonnxruntime.so")
        .is_file();
    if !installed {
        assert!(
            std::env::var_os("VLOCR_REQUIRE_MODELS").is_none_or(|v| v != "1"),
            "models are not installed: run `make setup`"
        );
        eprintln!("skipped: models not installed (run `make setup`)");
    }
    installed
}

#[test]
fn missing_models_name_the_setup_command() {
    let dir = std::env::temp_dir().join("vlocr-no-models-here");
    let out = vlocr(&["ocr", "--models-dir", dir.to_str().expect("utf-8"), "x.png"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("make setup"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn every_engine_flag_parses() {
    let dir = std::env::temp_dir().join("vlocr-no-models-here");
    let out = vlocr(&[
        "ocr",
        "--models-dir",
        dir.to_str().expect("utf-8"),
        "--ort-library",
        "/nonexistent/libonnxruntime.so",
        "--detector",
        "ppocr-v6-small",
        "--recognizer",
        "ppocr-v5",
        "--fast-recognizer",
        "ppocr-v6-tiny",
        "--recheck-below",
        "0.8",
        "--threads",
        "1",
        "--detector-side",
        "640",
        "--recognizer-workers",
        "1",
        "--recognizer-batch",
        "2",
        "--recognizer-min-width",
        "64",
        "--device",
        "auto",
        "--low-memory",
        "x.png",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("make setup"), "{stderr}");
    let out = vlocr(&[
        "ocr",
        "--fast-recognizer",
        "none",
        "--models-dir",
        dir.to_str().expect("utf-8"),
        "x.png",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = vlocr(&["ocr", "--detector", "v9", "x.png"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown model `v9`"), "{stderr}");
    let out = vlocr(&["ocr", "--device", "gpu", "x.png"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown device `gpu`; expected one of cpu, cuda, auto"),
        "{stderr}"
    );
}

#[test]
fn a_device_the_models_cannot_run_on_stops_the_start_with_one_error() {
    if !models_installed() {
        return;
    }
    // ONNX Runtime's CPU build (what `make setup` installs) has no CUDA execution provider:
    // `--device cuda` fails before reading anything, whatever the machine; `auto` reads on the
    // CPU.
    let library = root().join("models/onnxruntime/libonnxruntime.so");
    let library = library.to_str().expect("utf-8");
    let example = root().join("examples/synthetic-front.png");
    let example = example.to_str().expect("utf-8");
    let out = vlocr(&[
        "recognize",
        "--device",
        "cuda",
        "--ort-library",
        library,
        example,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.to_lowercase().contains("cuda"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
    let out = vlocr(&[
        "recognize",
        "--device",
        "auto",
        "--ort-library",
        library,
        example,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\"number\""), "{stdout}");
}

#[test]
fn bad_files_are_reported_per_file_and_the_rest_still_read() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = dir.join("not-an-image.png");
    std::fs::write(&text, b"this is not an image").expect("write");
    let example = root().join("examples/synthetic-front.png");
    let missing = dir.join("missing.jpg");
    let out = vlocr(&[
        "ocr",
        text.to_str().expect("utf-8"),
        missing.to_str().expect("utf-8"),
        example.to_str().expect("utf-8"),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let docs: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect();
    assert_eq!(docs.len(), 3);
    assert!(docs[0]["error"]
        .as_str()
        .expect("error")
        .contains("not an image"));
    assert!(docs[1]["error"]
        .as_str()
        .expect("error")
        .contains("missing.jpg"));
    assert!(!docs[2]["lines"].as_array().expect("lines").is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn specimen_lines_are_found() {
    let specimen = root().join("../shared/data/real/specimen-front-beijing.png");
    if !specimen.is_file() {
        eprintln!("skipped: {} not present", specimen.display());
        return;
    }
    if !models_installed() {
        return;
    }
    let out = vlocr(&["ocr", specimen.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let texts: Vec<&str> = doc["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["text"].as_str().expect("text"))
        .collect();
    for wanted in ["京AA5599", "讴歌牌GHA7150JAD5B", "2018-06-14"] {
        assert!(
            texts.iter().any(|t| t.contains(wanted)),
            "{wanted} not in {texts:?}"
        );
    }
    assert_eq!(doc["rotation"], 0);
    let quad = &doc["lines"][0]["quad"];
    assert_eq!(quad.as_array().expect("quad").len(), 4);
}

#[test]
fn recognize_prints_huawei_bodies() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-recognize-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let small = dir.join("small.png");
    image::RgbImage::new(60, 60).save(&small).expect("write");
    let blank = dir.join("blank.png");
    image::RgbImage::from_pixel(400, 300, image::Rgb([255, 255, 255]))
        .save(&blank)
        .expect("write");
    let text = dir.join("text.jpg");
    std::fs::write(&text, b"not a picture").expect("write");
    let example = root().join("examples/synthetic-front.png");
    let files = [&example, &small, &blank, &text].map(|p| p.to_str().expect("utf-8").to_owned());
    // One image at a time, and two at once: the same answers, in input order.
    for workers in ["1", "2"] {
        let mut args = vec![
            "recognize",
            "--jsonl",
            "--return-text-location",
            "--workers",
            workers,
        ];
        args.extend(files.iter().map(String::as_str));
        let out = vlocr(&args);
        assert_eq!(out.status.code(), Some(1));
        let docs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        assert_eq!(docs.len(), 4);
        let truth: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("examples/synthetic-front.json")).expect("truth"),
        )
        .expect("JSON");
        let result = &docs[0]["result"];
        for key in ["number", "vin", "register_date", "name"] {
            assert_eq!(result[key], truth["fields"][key], "{key}");
        }
        assert!(
            result.get("issuing_authority").is_none(),
            "only when asked for"
        );
        assert_eq!(
            result["text_location"]["vin"]
                .as_array()
                .expect("corners")
                .len(),
            4
        );
        assert_eq!(docs[0]["file"], files[0].as_str());
        assert_eq!(docs[1]["error_code"], "AIS.0103");
        assert_eq!(docs[2]["error_code"], "AIS.0104");
        assert_eq!(docs[3]["error_code"], "AIS.0102");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn recognize_reads_the_specimen() {
    let specimen = root().join("../shared/data/real/specimen-front-beijing.png");
    if !specimen.is_file() || !models_installed() {
        eprintln!("skipped: specimen or models absent");
        return;
    }
    let out = vlocr(&[
        "recognize",
        "--return-issuing-authority",
        specimen.to_str().expect("utf-8"),
    ]);
    let body = answer_of(&out);
    let truth = truth_of(&specimen);
    for (key, expected) in truth["fields"].as_object().expect("fields") {
        assert_eq!(&body["result"][key], expected, "{key}");
    }
}

#[test]
fn values_read_right_come_with_a_high_confidence_when_asked() {
    let path = root().join("examples/synthetic-front.png");
    if !models_installed() {
        eprintln!("skipped: models absent");
        return;
    }
    let example = path.to_str().expect("utf-8");
    let body = answer_of(&vlocr(&["recognize", "--return-confidence", example]));
    let truth = truth_of(&path);
    let result = &body["result"];
    let confidence = result["confidence"].as_object().expect("confidence");
    // Every field answered has one; this clean example is read right throughout.
    assert_eq!(confidence.len(), 10, "{confidence:?}");
    for (key, given) in confidence {
        assert_eq!(&result[key], &truth["fields"][key], "{key}");
        let given = given.as_f64().expect("a number");
        assert!((0.9..=1.0).contains(&given), "{key}: {given}");
    }
    // Without the flag, Huawei's answer as it is.
    let plain = answer_of(&vlocr(&["recognize", example]));
    assert!(plain["result"].get("confidence").is_none());
}

#[test]
fn memory_and_thread_settings_give_the_same_answers() {
    if !models_installed() {
        eprintln!("skipped: models absent");
        return;
    }
    // The example and two photos, read in one process: runs after the arenas were given back
    // are compared too.
    let dir = std::env::temp_dir().join(format!("vlocr-low-memory-test-{}", std::process::id()));
    let out = synth(&dir, 2, 11, &["--side", "front", "--difficulty", "photo"]);
    assert!(out.status.success());
    let mut images = vec![root().join("examples/synthetic-front.png")];
    images.extend(
        glob::glob(&format!("{}/**/*.jpg", dir.display()))
            .expect("pattern")
            .flatten(),
    );
    let images: Vec<&str> = images.iter().map(|p| p.to_str().expect("utf-8")).collect();
    let read = |more: &[&str]| {
        let mut args = vec!["recognize", "--jsonl", "--return-confidence"];
        args.extend(more);
        args.extend(&images);
        let out = vlocr(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let plain = read(&[]);
    assert_eq!(plain.lines().count(), images.len());
    assert_eq!(plain, read(&["--low-memory"]));
    assert_eq!(plain, read(&["--shared-threads"]));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unknown_sides_are_refused_with_the_known_ones() {
    let out = vlocr(&["recognize", "--side", "sideways", "x.png"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for side in ["front", "back", "double_side"] {
        assert!(stderr.contains(side), "{stderr}");
    }
}

/// The rows of the first table after `heading` in the README `file`: `(flag, variable)`.
fn readme_table(file: &str, heading: &str) -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(root().join(file)).expect("README");
    let table = readme
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("a {heading} section in {file}"))
        .split("\n\n")
        .find(|block| block.trim_start().starts_with('|'))
        .expect("a table");
    table
        .lines()
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let flag = cells[1]
                .trim_matches('`')
                .split_whitespace()
                .next()
                .expect("flag");
            (flag.to_owned(), cells[2].trim_matches('`').to_owned())
        })
        .collect()
}

fn help(command: &str) -> String {
    let out = vlocr(&[command, "--help"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The long flags a `--help` lists.
fn flags_in(help: &str) -> Vec<String> {
    help.lines()
        .filter_map(|line| line.trim_start().strip_prefix("--"))
        .filter_map(|rest| rest.split([' ', ',', '=']).next())
        .filter(|flag| !["help", "version"].contains(flag))
        .map(|flag| format!("--{flag}"))
        .collect()
}

/// Both READMEs, English and Chinese, with their headings of the model and server tables.
const READMES: [(&str, &str, &str); 2] = [
    ("README.md", "### Configuration", "### Server configuration"),
    ("README.zh-CN.md", "### 模型配置", "### 服务配置"),
];

#[test]
fn every_flag_in_the_readme_configuration_table_exists() {
    let (ocr, recognize, serve) = (help("ocr"), help("recognize"), help("serve"));
    for (file, engine_heading, server_heading) in READMES {
        let engine = readme_table(file, engine_heading);
        assert!(
            engine.len() >= 8,
            "only {} rows read in {file}",
            engine.len()
        );
        let server = readme_table(file, server_heading);
        assert!(
            server.len() >= 12,
            "only {} rows read in {file}",
            server.len()
        );
        for (flag, variable) in &engine {
            for help in [&ocr, &recognize, &serve] {
                assert!(
                    help.contains(flag.as_str()),
                    "{flag} is in {file} but not in --help"
                );
                assert!(
                    help.contains(variable.as_str()),
                    "{variable} is in {file} but not in --help"
                );
            }
        }
        for (flag, variable) in &server {
            assert!(
                serve.contains(flag.as_str()),
                "{flag} is in {file} but not in serve --help"
            );
            assert!(
                serve.contains(variable.as_str()),
                "{variable} of {file} is not in serve --help"
            );
        }
        // And the other way: every flag of `vlocr serve` is documented.
        for flag in flags_in(&serve) {
            assert!(
                engine.iter().chain(&server).any(|(f, _)| *f == flag),
                "{flag} of `vlocr serve` is not in the configuration tables of {file}"
            );
        }
    }
}

#[test]
fn eval_reports_accuracy_latency_and_memory() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-eval-test-{}", std::process::id()));
    let out = synth(&dir, 9, 3, &["--side", "mixed", "--difficulty", "mixed"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = dir.join("report.json");
    let mut args = vec![
        "eval",
        dir.to_str().expect("utf-8"),
        "--json",
        report.to_str().expect("utf-8"),
    ];
    let real = root().join("../shared/data/real");
    if real.is_dir() {
        args.push(real.to_str().expect("utf-8"));
    }
    let out = vlocr(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for part in [
        "folder scan",
        "side back",
        "side double_side",
        "latency p50",
    ] {
        assert!(stdout.contains(part), "{part}: {stdout}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("JSON");
    assert!(json["images"].as_u64().expect("images") >= 9);
    assert!(
        json["all"]["field_accuracy"]["total"]
            .as_u64()
            .expect("total")
            >= 60
    );
    assert!(json["peak_memory_mb"].as_f64().expect("memory") > 0.0);
    // Against itself, nothing changed.
    let out = vlocr(&[
        "eval",
        dir.to_str().expect("utf-8"),
        "--baseline",
        report.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_alarm_tells_a_card_cut_by_the_frame_and_a_thumb_over_it() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-alarm-{}", std::process::id()));
    photos_of_cases(&dir, 10, 9501, "--alarm-cases");
    let mut docs: Vec<serde_json::Value> = Vec::new();
    for side in ["front", "back"] {
        let pattern = dir.join(format!("photo/{side}-*.jpg"));
        let out = vlocr(&[
            "recognize",
            "--side",
            side,
            "--alarm",
            "--jsonl",
            pattern.to_str().expect("utf-8"),
        ]);
        docs.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line")),
        );
    }
    assert_eq!(docs.len(), 10);
    let (mut cut, mut blocked) = (0, 0);
    for doc in &docs {
        let file = Path::new(doc["file"].as_str().expect("file"));
        let truth = truth_of(file);
        let (flags, scores) = (
            &doc["result"]["alarm_result"],
            &doc["result"]["alarm_confidence"],
        );
        let border = flags["detect_border_integrity_result"]
            .as_bool()
            .expect("a flag");
        assert_eq!(
            border, truth["alarm"]["border_incomplete"],
            "{file:?}: {scores}"
        );
        let blocking = flags["detect_blocking_within_border_result"]
            .as_bool()
            .expect("a flag");
        // A blocking flag raised is right (a sheet over blank space can go unseen).
        assert!(
            !blocking || truth["alarm"]["blocking"] == true,
            "{file:?}: {scores}"
        );
        cut += usize::from(border);
        blocked += usize::from(blocking);
    }
    // The seed's first ten photos hold cut cards and covered ones, and both are seen.
    assert!(cut >= 3 && blocked >= 1, "{cut} cut, {blocked} blocked");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_back_page_sent_without_a_side_is_read_as_one() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-auto-back-{}", std::process::id()));
    let made = synth(&dir, 2, 9303, &["--side", "back", "--difficulty", "photo"]);
    assert!(made.status.success());
    // The second photo's barcode digits were lost when a back page found without a side was
    // read from the main page's reading.
    let photo = dir.join("photo/back-0001.jpg");
    let photo = photo.to_str().expect("utf-8");
    let found = answer_of(&vlocr(&["recognize", "--side", "auto", photo]));
    let asked = answer_of(&vlocr(&["recognize", "--side", "back", photo]));
    assert_eq!(found, asked);
    let truth = truth_of(Path::new(photo));
    assert_eq!(
        found["result"]["code_number"],
        truth["fields"]["code_number"]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn without_a_side_the_page_found_is_read() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-auto-side-{}", std::process::id()));
    let out = synth(&dir, 2, 77, &["--side", "mixed"]);
    assert!(out.status.success());
    let (front, back) = (
        dir.join("scan/front-0000.png"),
        dir.join("scan/back-0001.png"),
    );
    let out = vlocr(&[
        "recognize",
        "--side",
        "auto",
        "--jsonl",
        front.to_str().expect("utf-8"),
        back.to_str().expect("utf-8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let truth = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).expect("truth"))
            .expect("JSON")
    };
    assert_eq!(docs[0]["result"]["vin"], truth(&front)["fields"]["vin"]);
    assert_eq!(
        docs[1]["result"]["file_no"],
        truth(&back)["fields"]["file_no"]
    );
    assert!(
        docs[1]["result"].get("vin").is_none(),
        "a back page has no VIN"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn folders_go_to_a_csv_file_that_a_second_run_resumes() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-batch-{}", std::process::id()));
    let images = dir.join("images");
    let out = vlocr(&[
        "synth",
        "--out",
        images.to_str().expect("utf-8"),
        "--count",
        "3",
        "--seed",
        "5",
    ]);
    assert!(out.status.success());
    let csv = dir.join("answers.csv");
    let run = || {
        vlocr(&[
            "recognize",
            images.to_str().expect("utf-8"),
            "--out",
            csv.to_str().expect("utf-8"),
            "--format",
            "csv",
        ])
    };
    let first = run();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        first.status.code() == Some(0) || first.status.code() == Some(1),
        "{stderr}"
    );
    assert!(stderr.contains("3 images:"), "{stderr}");
    let text = std::fs::read_to_string(&csv).expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("file,error_code,number,"));
    assert!(lines[1].contains("front-0000.png"));
    // Nothing is read twice.
    let second = run();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("3 already in the output"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&csv).expect("csv").lines().count(),
        4
    );
    // A quoted pattern is expanded by vlocr itself.
    let pattern = images.join("scan").join("front-000[01].png");
    let out = vlocr(&["recognize", "--jsonl", pattern.to_str().expect("utf-8")]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn quality_warnings_tell_copies_and_blur_only_where_they_are() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-warnings-{}", std::process::id()));
    photos_of_cases(&dir, 12, 9821, "--warning-cases");
    let (mut raised, mut due) = (0, 0);
    for side in ["front", "back"] {
        let pattern = dir.join(format!("photo/{side}-*.jpg"));
        let out = vlocr(&[
            "recognize",
            "--side",
            side,
            "--warnings",
            "--jsonl",
            pattern.to_str().expect("utf-8"),
        ]);
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let doc: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let file = Path::new(doc["file"].as_str().expect("file"));
            let truth = truth_of(file);
            let expected: Vec<&str> = truth["warnings"]
                .as_array()
                .expect("warnings in the truth")
                .iter()
                .filter_map(|w| w.as_str())
                .collect();
            let given = doc["result"]["quality_warnings"]
                .as_array()
                .unwrap_or_else(|| panic!("{file:?}: {doc}"));
            // Every warning raised is due; a sharp photo of the card itself gets none.
            for warning in given {
                let name = warning.as_str().expect("a name");
                assert!(
                    expected.contains(&name),
                    "{file:?}: {name} raised, {expected:?} due"
                );
            }
            raised += given.len();
            due += expected.len();
        }
    }
    // The seed's first twelve photos hold two copies of main pages and a blurred back page
    // that are told (its back page's copy is not: its paper is lit near the camera's white).
    assert!(raised >= 3 && due >= raised, "{raised} raised, {due} due");
    std::fs::remove_dir_all(&dir).ok();
}
