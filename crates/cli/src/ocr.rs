//! `vlocr ocr`: raw text lines as JSON.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use vlocr_pipeline::{decode_image, OcrPage};

use crate::engine_args::EngineArgs;

/// Arguments of `vlocr ocr`.
#[derive(Debug, Args)]
pub(crate) struct OcrArgs {
    /// Images to read (JPEG, PNG, BMP, TIFF, WebP).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Indent the JSON (one document per image either way).
    #[arg(long)]
    pretty: bool,

    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Serialize)]
struct LineJson<'a> {
    text: &'a str,
    confidence: f32,
    /// Corners in the image: top-left, top-right, bottom-right, bottom-left of the text.
    quad: [[f32; 2]; 4],
}

#[derive(Serialize)]
struct PageJson<'a> {
    file: String,
    /// Clockwise degrees the page is turned in the image.
    rotation: u32,
    lines: Vec<LineJson<'a>>,
    timings_ms: TimingsJson,
}

#[derive(Serialize)]
struct TimingsJson {
    decode: f64,
    detect: f64,
    orient: f64,
    recognize: f64,
}

#[derive(Serialize)]
struct FailureJson {
    file: String,
    error: String,
}

fn round(value: f32) -> f32 {
    (value * 10.0).round() / 10.0
}

fn page_json<'a>(file: &std::path::Path, page: &'a OcrPage, decode_ms: f64) -> PageJson<'a> {
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 10_000.0).round() / 10.0;
    PageJson {
        file: file.display().to_string(),
        rotation: page.turn.degrees(),
        lines: page
            .lines
            .iter()
            .map(|line| LineJson {
                text: &line.text,
                confidence: (line.confidence * 1000.0).round() / 1000.0,
                quad: line.quad.points.map(|p| [round(p.x), round(p.y)]),
            })
            .collect(),
        timings_ms: TimingsJson {
            decode: decode_ms,
            detect: ms(page.timings.detect),
            orient: ms(page.timings.orient),
            recognize: ms(page.timings.recognize),
        },
    }
}

/// Runs `vlocr ocr`: exit code 0 when every file was read, 1 when some failed.
pub(crate) fn run(args: &OcrArgs) -> anyhow::Result<ExitCode> {
    let mut engine = args.engine.load_engine()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0;
    for file in &args.files {
        let started = std::time::Instant::now();
        let outcome = std::fs::read(file)
            .with_context(|| format!("reading {}", file.display()))
            .and_then(|bytes| Ok(decode_image(&bytes)?))
            .and_then(|image| {
                let decode_ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
                Ok((engine.read(&image)?, decode_ms))
            });
        let json = match outcome {
            Ok((page, decode_ms)) => write_json(&page_json(file, &page, decode_ms), args.pretty),
            Err(error) => {
                failures += 1;
                let failure = FailureJson {
                    file: file.display().to_string(),
                    error: format!("{error:#}"),
                };
                write_json(&failure, args.pretty)
            }
        }?;
        writeln!(out, "{json}")?;
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_json<T: Serialize>(value: &T, pretty: bool) -> anyhow::Result<String> {
    Ok(if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    })
}
