//! `vlocr recognize`: the Huawei `RecognizeVehicleLicense` response body for each image.

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use vlocr_pipeline::{
    decode_image, read_front_page, DecodeError, FrontField, OcrEngine, MIN_FRONT_LABELS,
};

use crate::engine_args::EngineArgs;

/// Which page to read, as Huawei's `side`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Side {
    /// The main page (主页).
    Front,
    /// The back page (副页): not implemented yet.
    Back,
    /// Both pages in one image: not implemented yet.
    #[value(name = "double_side")]
    Double,
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

    #[command(flatten)]
    engine: EngineArgs,
}

/// Huawei's error codes and messages that a file can produce.
#[derive(Debug, Clone, Copy)]
enum Failure {
    InvalidParameter,
    UnsupportedFormat,
    BadSize,
    NotALicense,
    RecognitionFailed,
}

impl Failure {
    fn body(self) -> Value {
        let (code, message) = match self {
            Self::InvalidParameter => ("AIS.0101", "The input parameter is invalid."),
            Self::UnsupportedFormat => ("AIS.0102", "The image format is not supported."),
            Self::BadSize => ("AIS.0103", "The image size does not meet the requirements."),
            Self::NotALicense => (
                "AIS.0104",
                "The image is not supported or the image quality is poor.",
            ),
            Self::RecognitionFailed => ("AIS.0105", "Recognition failed."),
        };
        json!({ "error_code": code, "error_msg": message })
    }
}

/// Shortest image side Huawei accepts.
const MIN_SIDE: u32 = 100;

fn recognize_file(
    engine: &mut OcrEngine,
    file: &std::path::Path,
    args: &RecognizeArgs,
) -> Result<Value, Failure> {
    let bytes = std::fs::read(file).map_err(|_| Failure::InvalidParameter)?;
    let image = decode_image(&bytes).map_err(|e| match e {
        DecodeError::TooLarge { .. } => Failure::BadSize,
        DecodeError::UnsupportedFormat | DecodeError::Corrupt(_) => Failure::UnsupportedFormat,
    })?;
    let (width, height) = image.dimensions();
    if width.min(height) < MIN_SIDE {
        return Err(Failure::BadSize);
    }
    let (_, fields) = read_front_page(engine, &image).map_err(|_| Failure::RecognitionFailed)?;
    if fields.labels_found < MIN_FRONT_LABELS {
        return Err(Failure::NotALicense);
    }
    let mut result = Map::new();
    let mut locations = Map::new();
    for field in FrontField::ALL {
        if field == FrontField::IssuingAuthority && !args.return_issuing_authority {
            continue;
        }
        let value = fields.get(field);
        result.insert(
            field.key().into(),
            Value::String(value.map(|v| v.text.clone()).unwrap_or_default()),
        );
        if let Some(quad) = value.and_then(|v| v.quad) {
            let corners: Vec<Value> = quad
                .points
                .iter()
                .map(|p| json!([p.x.round() as i64, p.y.round() as i64]))
                .collect();
            locations.insert(field.key().into(), Value::Array(corners));
        }
    }
    if args.return_text_location {
        result.insert("text_location".into(), Value::Object(locations));
    }
    Ok(json!({ "result": result }))
}

/// Runs `vlocr recognize`: exit code 0 when every file was read, 1 when some gave an error body.
pub(crate) fn run(args: &RecognizeArgs) -> anyhow::Result<ExitCode> {
    if args.side != Side::Front {
        anyhow::bail!("--side {:?}: only the main page (front) is read so far; back and double_side are not implemented yet", args.side);
    }
    let mut engine = args.engine.load_engine()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0;
    for file in &args.files {
        let mut body = recognize_file(&mut engine, file, args).unwrap_or_else(|failure| {
            failures += 1;
            failure.body()
        });
        if args.jsonl {
            if let Value::Object(map) = &mut body {
                map.insert("file".into(), Value::String(file.display().to_string()));
            }
        }
        writeln!(out, "{}", serde_json::to_string(&body)?)?;
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
