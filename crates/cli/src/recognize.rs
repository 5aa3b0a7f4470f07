//! `vlocr recognize`: the Huawei `RecognizeVehicleLicense` response body for each image.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use vlocr_server::config::available_cores;
use vlocr_server::reader::{EngineReader, LicenseReader};
use vlocr_server::request::{ReadOptions, Side as ServerSide};
use vlocr_server::ApiError;

use crate::batch::{expand, Format, Output, Summary};
use crate::engine_args::EngineArgs;

/// Which page to read, as Huawei's `side`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Side {
    /// The main page (主页).
    Front,
    /// The back page (副页).
    Back,
    /// Both pages in one image: `result.front`, `result.back`, and the main page's fields at the
    /// top level.
    #[value(name = "double_side")]
    Double,
    /// The main page when one is found, else the back page (what the server does when a request
    /// gives no `side`).
    Auto,
}

/// Arguments of `vlocr recognize`.
#[derive(Debug, Args)]
pub(crate) struct RecognizeArgs {
    /// Images to read (JPEG, PNG, BMP, TIFF, WebP), folders (every image under them) or quoted
    /// patterns (`'scans/*.jpg'`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Which page the images show.
    #[arg(long, value_enum, default_value = "front")]
    side: Side,

    /// Also return `issuing_authority` (the seal's text).
    #[arg(long)]
    return_issuing_authority: bool,

    /// Also return `text_location`: each field's corners in the image.
    #[arg(long)]
    return_text_location: bool,

    /// Also return `alarm_result` and `alarm_confidence`, as the API's `alarm` does: whether
    /// something covers part of the card, whether its border is cut by the image's edge.
    #[arg(long)]
    alarm: bool,

    /// Also return `confidence`: for each field read, the probability that its value is right
    /// (0..1; fitted on synthetic photos, so real photos may be right less often).
    #[arg(long)]
    return_confidence: bool,

    /// Also return `quality_warnings`: what is wrong with the photo (`copy`: a black-and-white
    /// copy, `blur`, `incomplete`: part of the card outside the image, `recapture`: a photo of
    /// a screen showing the card, `reflection`: part of the card washed out to white by a
    /// reflection).
    #[arg(long)]
    warnings: bool,

    /// Also read electronic licenses (电子行驶证: screenshots of the 交管12123 app, photos of
    /// its screen), as the API's `recognize_electronic_license` does; every answer then says
    /// its `type` (`normal` or `electronic`). Without it, a screen is no license.
    #[arg(long)]
    electronic: bool,

    /// Also return `trace`: for each field, how it was read (the likeliest text of each reading
    /// and the best text of each tier of the field's grammar, with log-probabilities), and
    /// `scores`: each field's raw score and whether its value passes the field's grammar.
    #[arg(long)]
    trace: bool,

    /// One line per file: the response body with an added `"file"` key, in input order.
    #[arg(long)]
    jsonl: bool,

    /// Images read at the same time, each by its own copy of the models with the cores shared
    /// between them. 1 (the default) reads one image at a time with every core and uses the
    /// least memory; 2 on a 2-core machine reads about 40% more images a second for about 170 MB
    /// more. Output stays in input order.
    #[arg(long, env = "VLOCR_WORKERS", default_value_t = 1, value_name = "N")]
    workers: usize,

    /// Append the answers to this file instead of printing them, with a progress bar and a
    /// summary; files already in it are skipped, so an interrupted run resumes.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Format of --out.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

fn recognize_file(
    reader: &mut EngineReader,
    file: &std::path::Path,
    args: &RecognizeArgs,
) -> Result<Value, ApiError> {
    let bytes = std::fs::read(file).map_err(|_| ApiError::InvalidParameter("unreadable file"))?;
    let options = ReadOptions {
        return_issuing_authority: args.return_issuing_authority,
        return_text_location: args.return_text_location,
        return_layout: false,
        return_confidence: args.return_confidence,
        return_quality_warnings: args.warnings,
        alarm: args.alarm,
        recognize_electronic_license: args.electronic,
        return_trace: args.trace,
    };
    let side = match args.side {
        Side::Front => ServerSide::Front,
        Side::Back => ServerSide::Back,
        Side::Double => ServerSide::DoubleSide,
        Side::Auto => ServerSide::Any,
    };
    let outcome = reader.read(&bytes, side, options)?;
    Ok(json!({ "result": outcome.result }))
}

/// Runs `vlocr recognize`: exit code 0 when every file was read, 1 when some gave an error body,
/// 130 when interrupted (the output then holds every answer given so far).
pub(crate) fn run(args: &RecognizeArgs) -> anyhow::Result<ExitCode> {
    let mut files = expand(&args.files)?;
    let mut output = None;
    let mut summary = Summary::default();
    if let Some(path) = &args.out {
        let (out, done) = Output::open(path, args.format)?;
        let before = files.len();
        files.retain(|f| !done.contains(&f.display().to_string()));
        summary.skipped = before - files.len();
        output = Some(out);
    }
    let workers = args.workers.clamp(1, files.len().max(1));
    let mut engine_args = args.engine.clone();
    if workers > 1 && engine_args.threads.is_none() {
        engine_args.threads = Some((available_cores() / workers).max(1));
    }
    let readers = (0..workers)
        .map(|_| engine_args.load_engine().map(EngineReader::new))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let stop = Arc::new(AtomicBool::new(false));
    if output.is_some() {
        let stop = Arc::clone(&stop);
        // Ctrl-C: finish the images being read, write them, then stop.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let progress = if output.is_some() {
        ProgressBar::new(files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} images, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, Value)>();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for mut reader in readers {
            let (next, sender, stop, files) = (&next, sender.clone(), &stop, &files);
            scope.spawn(move || loop {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(index) else {
                    break;
                };
                let body = recognize_file(&mut reader, file, args).unwrap_or_else(|e| e.body());
                if sender.send((index, body)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        // Answers arrive in any order; write them in input order.
        let mut waiting = BTreeMap::new();
        let mut written = 0;
        for (index, body) in receiver {
            waiting.insert(index, body);
            while let Some(mut body) = waiting.remove(&written) {
                let file = files[written].display().to_string();
                summary.add(&body);
                progress.inc(1);
                if let Some(output) = &mut output {
                    output.write(&file, &body)?;
                } else {
                    if args.jsonl {
                        if let Value::Object(map) = &mut body {
                            map.insert("file".into(), Value::String(file));
                        }
                    }
                    writeln!(out, "{}", serde_json::to_string(&body)?)?;
                }
                written += 1;
            }
        }
        Ok(())
    })?;
    progress.finish_and_clear();
    let interrupted = stop.load(Ordering::SeqCst);
    if output.is_some() {
        eprintln!(
            "{}",
            summary.line(started.elapsed().as_secs_f64(), interrupted)
        );
    }
    Ok(if interrupted {
        ExitCode::from(130)
    } else if summary.failures() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
