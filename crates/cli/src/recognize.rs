//! `vlocr recognize`: the Huawei `RecognizeVehicleLicense` response body for each image.

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
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
    };
    let outcome = reader.read(&bytes, side, options)?;
    Ok(json!({ "result": outcome.result }))
}

/// Runs `vlocr recognize`: exit code 0 when every file was read, 1 when some gave an error body.
pub(crate) fn run(args: &RecognizeArgs) -> anyhow::Result<ExitCode> {
    let mut reader = EngineReader::new(args.engine.load_engine()?);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0;
    for file in &args.files {
        let mut body = recognize_file(&mut reader, file, args).unwrap_or_else(|error| {
            failures += 1;
            error.body()
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
