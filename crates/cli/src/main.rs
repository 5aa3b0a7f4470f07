//! `vlocr`: the command line of the vlocr vehicle-license OCR engine.
//!
//! Subcommands:
//! - `vlocr ocr FILE...`: the raw text lines of each image as JSON (a debugging aid);
//! - `vlocr recognize FILE...`: the license fields of each image as Huawei's response body;
//! - `vlocr serve`: the Huawei-compatible HTTP service;
//! - `vlocr synth --out DIR`: synthetic licenses with truth files;
//! - `vlocr eval DIR...`: accuracy, latency and memory over images with truth files.

mod batch;
mod engine_args;
mod eval;
mod memory;
mod ocr;
mod recognize;
mod serve;
mod synth;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Self-hosted OCR for Chinese motor vehicle licenses (机动车行驶证).
#[derive(Debug, Parser)]
#[command(name = "vlocr", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the text lines found in each image as JSON, one document per image.
    Ocr(ocr::OcrArgs),
    /// Read the license fields of each image and print Huawei's response body.
    Recognize(recognize::RecognizeArgs),
    /// Serve Huawei Cloud OCR's vehicle-license API over HTTP.
    Serve(Box<serve::ServeArgs>),
    /// Measure field and document accuracy, latency and memory over images with truth files.
    Eval(eval::EvalArgs),
    /// Render synthetic licenses with truth files (deterministic for a seed).
    Synth(synth::SynthArgs),
}

impl Command {
    /// The model flags of a command that loads the models.
    fn engine(&self) -> Option<&engine_args::EngineArgs> {
        match self {
            Command::Ocr(args) => Some(&args.engine),
            Command::Recognize(args) => Some(&args.engine),
            Command::Serve(args) => Some(&args.engine),
            Command::Eval(args) => Some(&args.engine),
            Command::Synth(_) => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Allocator settings, before any thread starts (parsing starts none).
    memory::one_allocator_arena();
    if cli.command.engine().is_some_and(|engine| engine.low_memory) {
        memory::give_freed_memory_back();
    }
    let outcome = match cli.command {
        Command::Ocr(args) => ocr::run(&args),
        Command::Recognize(args) => recognize::run(&args),
        Command::Serve(args) => serve::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Eval(args) => eval::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Synth(args) => synth::run(&args).map(|()| ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
