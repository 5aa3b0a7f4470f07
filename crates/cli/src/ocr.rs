//! `vlocr ocr`: raw text lines as JSON.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use vlocr_pipeline::{decode_image, OcrPage};
use vlocr_pipeline::{Frame, Lattice};

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

    /// Also give each line's character confidences and its lattices (per step, the blank's
    /// probability and the likeliest symbols: the kept reading first, then a fast first pass the
    /// accurate recognizer read again), probabilities to four places, symbols under 0.1% left
    /// out: the input of the field layout's golden tests.
    #[arg(long)]
    lattices: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

#[derive(Serialize)]
struct LineJson<'a> {
    text: &'a str,
    confidence: f32,
    /// Corners in the image: top-left, top-right, bottom-right, bottom-left of the text.
    quad: [[f32; 2]; 4],
    #[serde(skip_serializing_if = "Option::is_none")]
    char_confidences: Option<Vec<f32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lattices: Option<Vec<Lattice>>,
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

/// `value` to four decimal places.
fn four_places(value: f32) -> f32 {
    (value * 10_000.0).round() / 10_000.0
}

/// `lattice` with its probabilities to four places and symbols under 0.1% left out.
fn compact(lattice: &Lattice) -> Lattice {
    Lattice::new(
        lattice
            .frames()
            .iter()
            .map(|f| Frame {
                blank: four_places(f.blank),
                symbols: f
                    .symbols
                    .iter()
                    .filter(|(_, p)| *p >= 0.001)
                    .map(|&(c, p)| (c, four_places(p)))
                    .collect(),
            })
            .collect(),
    )
}

fn page_json<'a>(
    file: &std::path::Path,
    page: &'a OcrPage,
    decode_ms: f64,
    lattices: bool,
) -> PageJson<'a> {
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
                char_confidences: lattices.then(|| {
                    line.char_confidences
                        .iter()
                        .map(|&c| four_places(c))
                        .collect()
                }),
                lattices: lattices.then(|| line.lattices.iter().map(compact).collect()),
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
            Ok((page, decode_ms)) => write_json(
                &page_json(file, &page, decode_ms, args.lattices),
                args.pretty,
            ),
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
