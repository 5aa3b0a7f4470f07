//! `vlocr synth`: seeded synthetic licenses with truth files.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use vlocr_synth::Generator;

/// Arguments of `vlocr synth`.
#[derive(Debug, Args)]
pub(crate) struct SynthArgs {
    /// Folder to write into; images go to a subfolder per difficulty.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Number of images.
    #[arg(long, default_value_t = 10, value_name = "N")]
    count: u32,

    /// Seed: the same seed always gives the same images.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,

    /// Which page: only `front` is rendered so far.
    #[arg(long, default_value = "front", value_name = "SIDE")]
    side: String,

    /// How hard: only `scan` (clean, upright) is rendered so far.
    #[arg(long, default_value = "scan", value_name = "LEVEL")]
    difficulty: String,
}

/// Runs `vlocr synth`.
pub(crate) fn run(args: &SynthArgs) -> anyhow::Result<()> {
    if args.side != "front" {
        bail!("--side {}: only `front` is rendered so far (back and double_side are not implemented yet)", args.side);
    }
    if args.difficulty != "scan" {
        bail!("--difficulty {}: only `scan` is rendered so far (photo effects are not implemented yet)", args.difficulty);
    }
    let generator = Generator::new()?;
    let dir = args.out.join(&args.difficulty);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for index in 0..args.count {
        // Each image has its own seed, so any one of a set can be re-rendered alone.
        let seed = args
            .seed
            .wrapping_mul(1_000_003)
            .wrapping_add(u64::from(index));
        let sample = generator.render_front(seed);
        let stem = dir.join(format!("front-{index:04}"));
        let image_path = stem.with_extension("png");
        sample
            .image
            .save(&image_path)
            .with_context(|| format!("writing {}", image_path.display()))?;
        let truth_path = stem.with_extension("json");
        let truth = serde_json::to_string_pretty(&sample.truth)?;
        std::fs::write(&truth_path, truth + "\n")
            .with_context(|| format!("writing {}", truth_path.display()))?;
    }
    eprintln!(
        "wrote {} images and truth files to {}",
        args.count,
        dir.display()
    );
    Ok(())
}
