//! `vlocr synth`: seeded synthetic licenses with truth files.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use vlocr_synth::{Difficulty, Generator, Page};

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

    /// Which page: front, back, double_side (both in one image) or mixed (taking turns).
    #[arg(long, default_value = "front", value_name = "SIDE")]
    side: String,

    /// How hard: scan (clean, upright), photo, hard, or mixed (a third of each).
    #[arg(long, default_value = "scan", value_name = "LEVEL")]
    difficulty: String,

    /// Cover some personal fields of each card (plate, owner, address, model, VIN, engine and
    /// file numbers, inspection record, barcode) with grey blocks, mosaic or black bars, as people
    /// do before sharing a photo of their license; a covered field's truth is "".
    #[arg(long)]
    covered: bool,

    /// Photos for Huawei's `alarm` (with --difficulty photo, main or back pages, mixed meaning
    /// both): half of them
    /// have a thumb or a sheet of paper over part of the card, or the card cut by the frame; the
    /// truth's `alarm` says which.
    #[arg(long, conflicts_with = "covered")]
    alarm_cases: bool,

    /// Photos for `return_quality_warnings` (with --difficulty photo, main or back pages, mixed
    /// meaning both): a sixth of them each a photocopy photographed, blurred, or the card cut
    /// by the frame, a fifth the card shown on a screen and photographed, 15% a reflection
    /// washing part of the card out; the truth's `warnings` says which.
    #[arg(long, conflicts_with_all = ["covered", "alarm_cases"])]
    warning_cases: bool,

    /// Electronic licenses (电子行驶证) as the 交管12123 app shows them, main or back page (mixed
    /// meaning both): screenshots with --difficulty scan, photos of the phone's screen with
    /// --difficulty photo (mixed meaning both).
    #[arg(long, conflicts_with_all = ["covered", "alarm_cases", "warning_cases"])]
    electronic: bool,

    /// Render with the typefaces in this folder instead of the system's: files named as the
    /// system set (`uming.ttc`, `wqy-zenhei.ttc`, `DejaVuSansMono.ttf`, `DejaVuSerif.ttf`; links
    /// to other fonts will do), to measure how the engine reads type it was not tuned on
    #[arg(long, value_name = "DIR")]
    fonts: Option<PathBuf>,

    /// Draw main pages' values from wider vocabularies (cities that are no provincial capital,
    /// every vehicle type and use character, more brands, rarer and compound surnames, village
    /// addresses, imported cars' VINs), many outside the engine's lexicons, to measure how the
    /// engine reads values it was not tuned on; the cards look as without it
    #[arg(long, conflicts_with = "electronic")]
    wide_values: bool,
}

/// Runs `vlocr synth`.
pub(crate) fn run(args: &SynthArgs) -> anyhow::Result<()> {
    let pages: Vec<Page> = match args.side.as_str() {
        "front" => vec![Page::Front],
        "back" => vec![Page::Back],
        "double_side" => vec![Page::Double],
        // Alarm and warning cases are single pages.
        "mixed" if args.alarm_cases || args.warning_cases || args.electronic => {
            vec![Page::Front, Page::Back]
        }
        "mixed" => vec![Page::Front, Page::Back, Page::Double],
        other => bail!("--side {other}: expected front, back, double_side or mixed"),
    };
    let levels: Vec<Difficulty> = match args.difficulty.as_str() {
        "scan" => vec![Difficulty::Scan],
        "photo" => vec![Difficulty::Photo],
        "hard" => vec![Difficulty::Hard],
        "mixed" if args.electronic => vec![Difficulty::Scan, Difficulty::Photo],
        "mixed" => vec![Difficulty::Scan, Difficulty::Photo, Difficulty::Hard],
        other => bail!("--difficulty {other}: expected scan, photo, hard or mixed"),
    };
    if args.alarm_cases && (levels != [Difficulty::Photo] || pages.contains(&Page::Double)) {
        bail!("--alarm-cases: photos (--difficulty photo) of main or back pages only");
    }
    if args.warning_cases && (levels != [Difficulty::Photo] || pages.contains(&Page::Double)) {
        bail!("--warning-cases: photos (--difficulty photo) of main or back pages only");
    }
    if args.electronic && (levels.contains(&Difficulty::Hard) || pages.contains(&Page::Double)) {
        bail!(
            "--electronic: screenshots (scan) or photos of the screen (photo), main or back pages"
        );
    }
    let mut generator = match &args.fonts {
        Some(dir) => Generator::with_fonts_in(dir)?,
        None => Generator::new()?,
    };
    if args.wide_values {
        generator = generator.with_wide_values();
    }
    for index in 0..args.count {
        // Each image has its own seed, so any one of a set can be re-rendered alone.
        let seed = args
            .seed
            .wrapping_mul(1_000_003)
            .wrapping_add(u64::from(index));
        let difficulty = levels[index as usize % levels.len()];
        let page = pages[(index as usize / levels.len()) % pages.len()];
        let sample = if args.electronic {
            let photographed = difficulty == Difficulty::Photo;
            generator
                .render_electronic(page, seed, photographed)
                .context("electronic licenses are main or back pages")?
        } else if args.alarm_cases {
            generator
                .render_alarm_case(page, seed)
                .context("alarm cases are main or back pages")?
        } else if args.warning_cases {
            generator
                .render_warning_case(page, seed)
                .context("warning cases are main or back pages")?
        } else if args.covered {
            generator.render_covered_as(page, seed, difficulty)
        } else {
            generator.render_as(page, seed, difficulty)
        };
        let dir = args.out.join(difficulty.name());
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let stem = dir.join(format!("{}-{index:04}", page.name()));
        let extension = if difficulty == Difficulty::Scan {
            "png"
        } else {
            "jpg"
        };
        save(&sample.image, &stem.with_extension(extension))?;
        let truth_path = stem.with_extension("json");
        let truth = serde_json::to_string_pretty(&sample.truth)?;
        std::fs::write(&truth_path, truth + "\n")
            .with_context(|| format!("writing {}", truth_path.display()))?;
    }
    eprintln!(
        "wrote {} images and truth files to {}",
        args.count,
        args.out.display()
    );
    Ok(())
}

/// Writes PNG losslessly, and JPEG at high quality (a photo's own compression is already in its
/// pixels).
fn save(image: &image::RgbImage, path: &Path) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    let encoded = if path.extension().is_some_and(|e| e == "jpg") {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, 95).encode_image(image)
    } else {
        image.write_to(&mut writer, image::ImageFormat::Png)
    };
    encoded.with_context(|| format!("encoding {}", path.display()))
}
