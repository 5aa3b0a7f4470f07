//! `vlocr eval`: field accuracy, document accuracy, latency and memory over folders of images
//! with truth files (the format of `shared/docs/fields.md`).

use std::{
    collections::BTreeMap,
    io::Write,
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;
use vlocr_server::reader::{EngineReader, LicenseReader, ReadOutcome};
use vlocr_server::request::{ReadOptions, Side};

use crate::engine_args::EngineArgs;

mod confidence;
mod report;
use confidence::ConfidenceReport;
use report::{print_change, print_report};

/// Arguments of `vlocr eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Folders (searched recursively) of images, each with a truth file `NAME.json` beside it.
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,

    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,

    /// An earlier `--json` report: print the change against it.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// List up to N wrong fields (truth against what was read).
    #[arg(long, default_value_t = 0, value_name = "N")]
    show_errors: usize,

    /// Also write every scored field as a JSON line to this file: `image`, `field`, `truth`,
    /// `read`, `confidence` (absent when the field was not found), `right`, and `ms`: the
    /// image's answer time (decode, read, fields), for finding where time goes.
    #[arg(long, value_name = "FILE")]
    fields_out: Option<PathBuf>,

    /// Ask for `quality_warnings` on every image (they are asked for anyway where the truth
    /// has `warnings`), and count the warnings raised on images whose truth has none: the false
    /// warnings on a set of ordinary photos.
    #[arg(long)]
    warnings: bool,

    /// Ask for electronic licenses on every image (they are asked for anyway where the truth's
    /// fields have a `type`), and count the paper licenses answered as electronic.
    #[arg(long)]
    electronic: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// Right and scored counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Score {
    right: usize,
    total: usize,
}

impl Score {
    fn add(&mut self, right: bool) {
        self.right += usize::from(right);
        self.total += 1;
    }

    fn percent(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.right as f64 / self.total as f64
        }
    }
}

/// The scores of one group of images (a folder, such as a difficulty, or a side).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Group {
    fields: BTreeMap<String, Score>,
    field_accuracy: Score,
    documents: Score,
}

/// What `vlocr eval` reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Report {
    images: usize,
    /// Images whose truth asks for a page vlocr does not read yet (back, double_side).
    unsupported: usize,
    all: Group,
    by_folder: BTreeMap<String, Group>,
    by_side: BTreeMap<String, Group>,
    latency_ms_p50: f64,
    latency_ms_p95: f64,
    peak_memory_mb: f64,
    /// Where the time of an image read went, mean over the images answered.
    #[serde(default)]
    work: WorkMeans,
    /// How well the fields' confidences tell right values from wrong ones.
    #[serde(default)]
    confidence: ConfidenceReport,
    /// Huawei's alarm flags against the truth's, for images whose truth has them.
    #[serde(default)]
    alarms: BTreeMap<String, FlagScore>,
    /// Fields only some cards print ([`PRINTED_ON_SOME`]), on pages whose truth has none: how
    /// many such pages there were, and on how many a value was answered anyway.
    #[serde(default)]
    unprinted: BTreeMap<String, Score>,
    /// vlocr's quality warnings against the truth's.
    #[serde(default)]
    warnings: BTreeMap<String, FlagScore>,
    /// Where electronic licenses were asked for: paper and electronic licenses answered as of
    /// their own `type`.
    #[serde(default)]
    license_types: BTreeMap<String, Score>,
}

/// The warnings `quality_warnings` may raise, as scored.
const QUALITY_WARNINGS: [&str; 5] = ["copy", "blur", "incomplete", "recapture", "reflection"];

/// Fields only some cards print (newer back pages their energy type): a truth without one says
/// the card prints none, and a value answered there is wrong.
const PRINTED_ON_SOME: [&str; 1] = ["back.energy_type"];

/// A flag raised or not, against whether it should have been.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct FlagScore {
    raised_rightly: usize,
    raised_wrongly: usize,
    missed: usize,
    quiet_rightly: usize,
}

impl FlagScore {
    fn add(&mut self, expected: bool, raised: bool) {
        match (expected, raised) {
            (true, true) => self.raised_rightly += 1,
            (false, true) => self.raised_wrongly += 1,
            (true, false) => self.missed += 1,
            (false, false) => self.quiet_rightly += 1,
        }
    }

    /// Of the flags raised, the share rightly (precision), in percent.
    fn precision(self) -> f64 {
        100.0 * self.raised_rightly as f64
            / (self.raised_rightly + self.raised_wrongly).max(1) as f64
    }

    /// Of the flags due, the share raised (recall), in percent.
    fn recall(self) -> f64 {
        100.0 * self.raised_rightly as f64 / (self.raised_rightly + self.missed).max(1) as f64
    }
}

/// The engine's work per image answered, mean ([`vlocr_pipeline::EngineWork`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct WorkMeans {
    images: usize,
    page_reads: f64,
    lines: f64,
    lines_read_twice: f64,
    strips: f64,
    decode_ms: f64,
    detect_ms: f64,
    orient_ms: f64,
    recognize_ms: f64,
    other_ms: f64,
}

impl WorkMeans {
    fn add(&mut self, outcome: &ReadOutcome) {
        let (work, timings) = (&outcome.work, &outcome.timings);
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        self.images += 1;
        self.page_reads += f64::from(work.page_reads);
        self.lines += f64::from(work.lines);
        self.lines_read_twice += f64::from(work.lines_read_twice);
        self.strips += f64::from(work.strips);
        self.decode_ms += ms(timings.decode);
        self.detect_ms += ms(timings.detect);
        self.orient_ms += ms(timings.orient);
        self.recognize_ms += ms(timings.recognize);
        self.other_ms += ms(timings.fields);
    }

    /// The sums turned into means.
    fn means(mut self) -> Self {
        let n = self.images.max(1) as f64;
        for value in [
            &mut self.page_reads,
            &mut self.lines,
            &mut self.lines_read_twice,
            &mut self.strips,
            &mut self.decode_ms,
            &mut self.detect_ms,
            &mut self.orient_ms,
            &mut self.recognize_ms,
            &mut self.other_ms,
        ] {
            *value /= n;
        }
        self
    }
}

/// NFKC with whitespace removed, as fields.md compares values.
fn fold(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn collect_images(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_images(&path, out)?;
        } else if path.with_extension("json").is_file()
            && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp"]
                    .contains(&e.to_ascii_lowercase().as_str())
            })
        {
            out.push(path);
        }
    }
    Ok(())
}

/// The string fields of a JSON object, keys prefixed with `prefix` (empty when not an object);
/// a list of strings (`status`) as its strings joined by commas.
fn flatten(value: &Value, prefix: &str) -> Vec<(String, Value)> {
    let text = |v: &Value| -> Option<Value> {
        match v {
            Value::String(_) | Value::Null => Some(v.clone()),
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let words: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                Some(Value::String(words.join(",")))
            }
            _ => None,
        }
    };
    value
        .as_object()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|(k, v)| Some((format!("{prefix}{k}"), text(v)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Peak resident memory of this process in MiB (Linux), 0 where unknown.
fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

/// Runs `vlocr eval`.
pub(crate) fn run(args: &EvalArgs) -> anyhow::Result<()> {
    let mut images = Vec::new();
    for dir in &args.dirs {
        collect_images(dir, &mut images)?;
    }
    anyhow::ensure!(
        !images.is_empty(),
        "no images with truth files under {:?}",
        args.dirs
    );
    let mut reader = EngineReader::new(args.engine.load_engine()?);
    let progress = ProgressBar::new(images.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} images, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut report = Report {
        images: images.len(),
        ..Report::default()
    };
    let mut latencies = Vec::new();
    let mut work = WorkMeans::default();
    let mut errors = Vec::new();
    let mut scored = Vec::new();
    let mut fields_out = match &args.fields_out {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => None,
    };
    for path in &images {
        progress.inc(1);
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("json"))?)
                .with_context(|| format!("reading the truth of {}", path.display()))?;
        let side = truth["side"].as_str().unwrap_or("front").to_owned();
        let (page, expected) = match side.as_str() {
            "front" => (Side::Front, flatten(&truth["fields"], "")),
            "back" => (Side::Back, flatten(&truth["fields"], "")),
            // Both pages: fields scored as `front.number`, `back.gross_mass`, ...
            "double_side" => {
                let mut both = flatten(&truth["front"], "front.");
                both.extend(flatten(&truth["back"], "back."));
                (Side::DoubleSide, both)
            }
            _ => {
                report.unsupported += 1;
                continue;
            }
        };
        if expected.is_empty() {
            report.unsupported += 1;
            continue;
        }
        let started = Instant::now();
        let options = ReadOptions {
            return_issuing_authority: true,
            return_text_location: false,
            return_layout: false,
            return_confidence: true,
            // Huawei's alarm, scored when the truth says what it should be.
            alarm: truth["alarm"].is_object(),
            // vlocr's quality warnings, scored likewise (or asked for everywhere).
            return_quality_warnings: args.warnings || truth["warnings"].is_array(),
            // Electronic licenses, where the truth has one (or asked for everywhere).
            recognize_electronic_license: args.electronic || truth["fields"]["type"].is_string(),
            // For `scores`, the raw score and grammar verdict of each field.
            return_trace: fields_out.is_some(),
        };
        let mut answered_type = String::new();
        let mut alarm = (Value::Null, Value::Null);
        let mut warned: Vec<String> = Vec::new();
        let mut confidences = BTreeMap::new();
        let mut scores = BTreeMap::new();
        // The same path as `vlocr recognize` and the server; an error reads as no fields.
        let read: BTreeMap<String, String> = reader
            .read(&std::fs::read(path)?, page, options)
            .map(|outcome| {
                work.add(&outcome);
                let result = Value::Object(outcome.result);
                answered_type = result["type"].as_str().unwrap_or_default().to_owned();
                alarm = (
                    result["alarm_result"].clone(),
                    result["alarm_confidence"].clone(),
                );
                warned = result["quality_warnings"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|w| w.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut read = BTreeMap::new();
                let pages: &[(&str, &Value)] = if page == Side::DoubleSide {
                    &[("front.", &result["front"]), ("back.", &result["back"])]
                } else {
                    &[("", &result)]
                };
                for (prefix, page) in pages {
                    for (k, v) in flatten(page, prefix) {
                        read.insert(k, v.as_str().unwrap_or_default().to_owned());
                    }
                    if let Some(given) = page["confidence"].as_object() {
                        for (k, v) in given {
                            confidences.insert(format!("{prefix}{k}"), v.as_f64().unwrap_or(0.0));
                        }
                    }
                    if let Some(given) = page["scores"].as_object() {
                        for (k, v) in given {
                            scores.insert(format!("{prefix}{k}"), v.clone());
                        }
                    }
                }
                read
            })
            .unwrap_or_default();
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        latencies.push(latency_ms);
        let folder = path
            .parent()
            .and_then(Path::file_name)
            .map_or("-".into(), |n| n.to_string_lossy().into_owned());
        let mut all_right = true;
        for (key, value) in &expected {
            let Some(expected) = value.as_str() else {
                continue;
            };
            let got = read.get(key.as_str()).map_or("", String::as_str);
            let right = fold(got) == fold(expected);
            all_right &= right;
            let confidence = confidences.get(key.as_str()).copied();
            if let Some(confidence) = confidence {
                scored.push((confidence, right));
            }
            if let Some(out) = fields_out.as_mut() {
                let record = json!({
                    "image": path.display().to_string(), "field": key, "truth": expected,
                    "read": got, "confidence": confidence, "right": right,
                    "raw": scores.get(key.as_str()).map(|s| &s["raw"]),
                    "valid": scores.get(key.as_str()).map(|s| &s["valid"]),
                    "ms": (latency_ms * 10.0).round() / 10.0,
                });
                writeln!(out, "{record}")?;
            }
            for group in [
                &mut report.all,
                report.by_folder.entry(folder.clone()).or_default(),
                report.by_side.entry(side.clone()).or_default(),
            ] {
                group.fields.entry(key.clone()).or_default().add(right);
                group.field_accuracy.add(right);
            }
            if !right && errors.len() < args.show_errors {
                errors.push(format!(
                    "{}: {key}: truth {expected:?}, read {got:?}",
                    path.display()
                ));
            }
        }
        if options.recognize_electronic_license {
            let electronic = truth["fields"]["type"] == "electronic";
            let kind = if electronic { "electronic" } else { "paper" };
            let right = (answered_type == "electronic") == electronic;
            report
                .license_types
                .entry(kind.into())
                .or_default()
                .add(right);
            if !right && errors.len() < args.show_errors {
                errors.push(format!(
                    "{}: a {kind} license answered as type {answered_type:?}",
                    path.display()
                ));
            }
        }
        // A field only some cards print, answered on a card that prints none.
        let back_prefix = match page {
            Side::Back => Some(""),
            Side::DoubleSide => Some("back."),
            _ => None,
        };
        // An electronic back page shows no energy type (its main page does).
        let electronic = truth["fields"]["type"] == "electronic";
        for field in PRINTED_ON_SOME {
            let (Some(prefix), false) = (back_prefix, electronic) else {
                continue;
            };
            let key = format!("{prefix}{}", field.trim_start_matches("back."));
            if expected.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let got = read.get(key.as_str()).map_or("", String::as_str);
            let quiet = got.is_empty();
            report.unprinted.entry(key.clone()).or_default().add(quiet);
            if !quiet && errors.len() < args.show_errors {
                errors.push(format!(
                    "{}: {key}: not printed, read {got:?}",
                    path.display()
                ));
            }
        }
        // Huawei's flags against the truth's; an image answered with an error raised none.
        for (name, flag, score) in [
            (
                "blocking",
                "detect_blocking_within_border_result",
                "blocking_within_border_score",
            ),
            (
                "border_incomplete",
                "detect_border_integrity_result",
                "border_integrity_score",
            ),
        ] {
            let Some(expected) = truth["alarm"][name].as_bool() else {
                continue;
            };
            let raised = alarm.0[flag].as_bool().unwrap_or(false);
            report
                .alarms
                .entry(name.into())
                .or_default()
                .add(expected, raised);
            if let Some(out) = fields_out.as_mut() {
                let record = json!({
                    "image": path.display().to_string(), "field": format!("alarm.{name}"),
                    "truth": expected, "read": alarm.1[score], "right": expected == raised,
                });
                writeln!(out, "{record}")?;
            }
        }
        // vlocr's quality warnings against the truth's; with none in the truth (an ordinary
        // photo, asked for with --warnings), each raised counts as raised wrongly.
        let due: Vec<&str> = truth["warnings"]
            .as_array()
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if truth["warnings"].is_array() || args.warnings {
            for name in QUALITY_WARNINGS {
                let (expected, raised) = (due.contains(&name), warned.iter().any(|w| w == name));
                // Per side: a main page's copy is told by its seal's colour, a back page's by
                // its plain paper alone.
                report
                    .warnings
                    .entry(format!("{name} ({side})"))
                    .or_default()
                    .add(expected, raised);
                if expected != raised && errors.len() < args.show_errors {
                    errors.push(format!(
                        "{}: warning {name}: due {expected}, raised {raised}",
                        path.display()
                    ));
                }
            }
        }
        for group in [
            &mut report.all,
            report.by_folder.entry(folder).or_default(),
            report.by_side.entry(side).or_default(),
        ] {
            group.documents.add(all_right);
        }
    }
    progress.finish_and_clear();
    latencies.sort_by(f64::total_cmp);
    report.latency_ms_p50 = percentile(&latencies, 0.5);
    report.latency_ms_p95 = percentile(&latencies, 0.95);
    report.peak_memory_mb = peak_memory_mb();
    report.work = work.means();
    report.confidence = ConfidenceReport::from_fields(&scored);
    if let Some(out) = fields_out.as_mut() {
        out.flush()?;
    }
    print_report(&report);
    for error in &errors {
        println!("{error}");
    }
    if let Some(path) = &args.baseline {
        let baseline: Report = serde_json::from_str(&std::fs::read_to_string(path)?)
            .with_context(|| format!("reading the baseline {}", path.display()))?;
        print_change(&baseline, &report);
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
