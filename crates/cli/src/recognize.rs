//! `vlocr recognize`: the Huawei `RecognizeVehicleLicense` response body for each image.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use vlocr_server::config::available_cores;
use vlocr_server::reader::{EngineReader, LicenseReader};
use vlocr_server::request::{ReadOptions, Side as ServerSide};
use vlocr_server::ApiError;

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
    /// Images to read (JPEG, PNG, BMP, TIFF, WebP).
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

    /// One line per file: the response body with an added `"file"` key, in input order.
    #[arg(long)]
    jsonl: bool,

    /// Images read at the same time, each by its own copy of the models with the cores shared
    /// between them. 1 (the default) reads one image at a time with every core and uses the
    /// least memory; 2 on a 2-core machine reads about 40% more images a second for about 170 MB
    /// more. Output stays in input order.
    #[arg(long, env = "VLOCR_WORKERS", default_value_t = 1, value_name = "N")]
    workers: usize,

    #[command(flatten)]
    engine: EngineArgs,
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

/// Runs `vlocr recognize`: exit code 0 when every file was read, 1 when some gave an error body.
pub(crate) fn run(args: &RecognizeArgs) -> anyhow::Result<ExitCode> {
    let workers = args.workers.clamp(1, args.files.len().max(1));
    let mut engine_args = args.engine.clone();
    if workers > 1 && engine_args.threads.is_none() {
        engine_args.threads = Some((available_cores() / workers).max(1));
    }
    let readers = (0..workers)
        .map(|_| engine_args.load_engine().map(EngineReader::new))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, Value)>();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for mut reader in readers {
            let (next, sender) = (&next, sender.clone());
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = args.files.get(index) else {
                    break;
                };
                let body = recognize_file(&mut reader, file, args).unwrap_or_else(|e| e.body());
                if sender.send((index, body)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        // Answers arrive in any order; print them in input order.
        let mut waiting = BTreeMap::new();
        let mut printed = 0;
        for (index, body) in receiver {
            waiting.insert(index, body);
            while let Some(mut body) = waiting.remove(&printed) {
                if body.get("error_code").is_some() {
                    failures += 1;
                }
                if args.jsonl {
                    if let Value::Object(map) = &mut body {
                        let file = args.files[printed].display().to_string();
                        map.insert("file".into(), Value::String(file));
                    }
                }
                writeln!(out, "{}", serde_json::to_string(&body)?)?;
                printed += 1;
            }
        }
        Ok(())
    })?;
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
