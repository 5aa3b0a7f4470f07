//! The real models on synthetic cards from our own generator.

use vlocr::geometry::{rotate_image, QuarterTurn};
use vlocr::pipeline::{FrontField, ModelSet};
use vlocr_synth::Generator;

use crate::support;

/// Share of truth values found verbatim in some line (spaces ignored). The issuing authority
/// is printed over several seal lines, so it is not counted here.
fn values_found(
    page: &vlocr::OcrPage,
    fields: &serde_json::Map<String, serde_json::Value>,
) -> (usize, usize) {
    let lines: Vec<String> = page
        .lines
        .iter()
        .map(|l| l.text.split_whitespace().collect())
        .collect();
    let values: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "issuing_authority")
        .filter_map(|(_, v)| v.as_str())
        .collect();
    let found = values
        .iter()
        .filter(|v| lines.iter().any(|l| l.contains(**v)))
        .count();
    (found, values.len())
}

#[test]
fn clean_synthetic_cards_are_read_in_any_rotation() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = match Generator::new() {
        Ok(g) => g,
        Err(e) => panic!("fonts are installed by `make setup`: {e}"),
    };
    let (mut found, mut total) = (0, 0);
    for (seed, turn) in (100..108).zip(QuarterTurn::ALL.into_iter().cycle()) {
        let sample = generator.render_front(seed);
        let image = rotate_image(&sample.image, turn);
        let page = engine.read(&image).expect("reads");
        assert_eq!(page.turn, turn, "seed {seed}");
        let fields = vlocr::pipeline::front_fields(&page, image.width(), image.height());
        for field in [
            FrontField::Number,
            FrontField::Vin,
            FrontField::RegisterDate,
        ] {
            let read = fields.get(field).map(|v| v.text.as_str());
            assert_eq!(
                read,
                sample.truth.fields[field.key()].as_str(),
                "seed {seed}, {turn:?}"
            );
        }
        // Field boxes are in the turned image's coordinates.
        let vin_box = fields
            .get(FrontField::Vin)
            .and_then(|v| v.quad)
            .expect("VIN box");
        let (x0, y0, x1, y1) = vin_box.bounds();
        assert!(
            x0 >= 0.0 && y0 >= 0.0 && x1 <= image.width() as f32 && y1 <= image.height() as f32
        );
        let (f, t) = values_found(&page, &sample.truth.fields);
        found += f;
        total += t;
    }
    // Measured: 99% of values exact on clean cards (scripts/measure_models.py). A broken
    // pre-processing or decoding step drops this far below the floor.
    assert!(
        found * 100 >= total * 90,
        "only {found}/{total} values read exactly"
    );
}

#[test]
fn a_card_small_in_a_large_photo_is_read_from_a_close_up() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = Generator::new().expect("fonts are installed by `make setup`");
    // A photo from `vlocr synth --seed 11 --difficulty photo` (image 3) whose card's text spans
    // less than a third of the frame: too small for the detector's usual size.
    let sample = generator.render_front_as(11 * 1_000_003 + 3, vlocr_synth::Difficulty::Photo);
    let photo = sample.image;
    let (_, fields) = vlocr::pipeline::read_front_page(&mut engine, &photo).expect("reads");
    assert!(fields.labels_found >= vlocr::pipeline::MIN_FRONT_LABELS);
    for field in [FrontField::Number, FrontField::Vin] {
        assert_eq!(
            fields.get(field).map(|v| v.text.as_str()),
            sample.truth.fields[field.key()].as_str(),
            "{field:?}"
        );
    }
    let (x0, y0, x1, y1) = fields
        .get(FrontField::Vin)
        .and_then(|v| v.quad)
        .expect("VIN box")
        .bounds();
    let (w, h) = (photo.width() as f32, photo.height() as f32);
    assert!(
        x0 >= 0.0 && y0 >= 0.0 && x1 <= w && y1 <= h,
        "boxes are in the photo's coordinates: {x0} {y0} {x1} {y1} in {w}x{h}"
    );
}

#[test]
fn synthetic_back_pages_are_read() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = Generator::new().expect("fonts are installed by `make setup`");
    let (mut right, mut total) = (0, 0);
    for seed in 0..4 {
        let sample = generator.render_back(900 + seed);
        let (_, fields) =
            vlocr::pipeline::read_back_page(&mut engine, &sample.image).expect("reads");
        assert!(
            fields.labels_found >= 8,
            "seed {seed}: {} labels",
            fields.labels_found
        );
        for field in vlocr::pipeline::BackField::ALL {
            // A field only newer cards print (the energy type) is in the truth where printed.
            let Some(truth) = sample.truth.fields.get(field.key()) else {
                continue;
            };
            let truth = truth.as_str().expect("truth");
            let read = fields.get(field).map_or("", |v| v.text.as_str());
            right += usize::from(read == truth);
            total += 1;
        }
    }
    // Measured: 97% of fields exact on back-page scans (`vlocr eval`, seed 4). A broken label
    // table or grammar drops far below this floor.
    assert!(
        right * 100 >= total * 85,
        "only {right}/{total} back fields right"
    );
}

#[test]
fn both_pages_of_a_synthetic_open_wallet_are_read() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = Generator::new()
        .expect("fonts are installed by `make setup`")
        .with_open_wallets_only();
    let sample = generator.render_double(31);
    let (front, back) = vlocr::pipeline::read_both_pages(&mut engine, &sample.image)
        .expect("reads")
        .paper()
        .expect("a paper license");
    let truth_front = sample.truth.front.expect("front truth");
    let truth_back = sample.truth.back.expect("back truth");
    assert_eq!(
        front.get(FrontField::Vin).map(|v| v.text.as_str()),
        truth_front["vin"].as_str()
    );
    for field in [
        vlocr::pipeline::BackField::GrossMass,
        vlocr::pipeline::BackField::Dimension,
        vlocr::pipeline::BackField::FileNo,
    ] {
        assert_eq!(
            back.get(field).map(|v| v.text.as_str()),
            truth_back[field.key()].as_str(),
            "{field:?}"
        );
    }
}

#[test]
fn a_small_faint_card_with_covered_fields_is_answered_with_what_is_legible() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = Generator::new().expect("fonts are installed by `make setup`");
    let legible = [
        FrontField::VehicleType,
        FrontField::UseCharacter,
        FrontField::RegisterDate,
        FrontField::IssueDate,
    ];
    let (mut right, mut total, mut placed) = (0, 0, 0);
    for index in 0..3 {
        // `vlocr synth --seed 41 --covered` (scans), shrunk to 300 pixels wide and washed most of
        // the way to white: the print is a light grey (the brightness spreads over about 25).
        let seed = 41 * 1_000_003 + index;
        let sample = generator.render_covered_as(
            vlocr_synth::Page::Front,
            seed,
            vlocr_synth::Difficulty::Scan,
        );
        let height = sample.image.height() * 300 / sample.image.width();
        let mut image = image::imageops::resize(
            &sample.image,
            300,
            height,
            image::imageops::FilterType::Triangle,
        );
        for pixel in image.pixels_mut() {
            pixel.0 = pixel
                .0
                .map(|c| c + ((250 - c.min(250)) as f32 * 0.88) as u8);
        }
        let (_, fields) = vlocr::pipeline::read_front_page(&mut engine, &image).expect("reads");
        placed += usize::from(fields.landmarks() >= vlocr::pipeline::MIN_FRONT_LABELS);
        for field in FrontField::ALL {
            let truth = sample.truth.fields[field.key()].as_str().expect("truth");
            let value = fields.get(field);
            let read = value.map_or("", |v| v.text.as_str());
            if truth.is_empty() {
                // Covered: the label is no value; what is read in a cover (a block's edge as
                // `I`, a mosaic's blobs as characters) is marked as no value of its field or
                // comes with its low confidence (measured: 0.0002-0.16).
                assert!(
                    read.is_empty() || value.is_some_and(|v| !v.valid || v.confidence < 0.2),
                    "seed {seed}: {field:?} is covered, read {read:?}"
                );
            } else if legible.contains(&field) {
                right += usize::from(read == truth);
                total += 1;
            }
        }
    }
    // Measured: all three placed and 12/12 of these fields right; read as they are (not
    // stretched), none of the three is placed (`AIS.0104`).
    assert_eq!(placed, 3, "the cards are found");
    assert!(
        right * 4 >= total * 3,
        "only {right}/{total} legible fields right"
    );
}

#[test]
fn a_small_tilted_wallet_whose_pages_were_not_placed_is_read_page_by_page() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = Generator::new()
        .expect("fonts are installed by `make setup`")
        .with_open_wallets_only();
    // A hard photo (seed 7304's 15th image): the wallet is small and tilted, and its reading
    // as a wallet placed neither page (AIS.0104 before); read as a single page of each kind,
    // each page is found.
    let sample = generator.render_as(
        vlocr_synth::Page::Double,
        7_304_021_926,
        vlocr_synth::Difficulty::Hard,
    );
    let (front, back) = vlocr::pipeline::read_both_pages(&mut engine, &sample.image)
        .expect("reads")
        .paper()
        .expect("a paper license");
    let truth_front = sample.truth.front.expect("front truth");
    let truth_back = sample.truth.back.expect("back truth");
    assert_eq!(
        front.get(FrontField::Number).map(|v| v.text.as_str()),
        truth_front["number"].as_str()
    );
    assert_eq!(
        back.get(vlocr::pipeline::BackField::GrossMass)
            .map(|v| v.text.as_str()),
        truth_back["gross_mass"].as_str()
    );
}

#[test]
fn a_barcode_number_the_grammar_had_to_complete_is_read_again_from_its_strip() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let generator = Generator::new()
        .expect("fonts are installed by `make setup`")
        .with_open_wallets_only();
    // Both pages in a photo (seed 9102's 2nd image): the first reading held 12 of the
    // barcode's 13 digits (the `0` before the closing `*` lost), and the grammar's 13th digit
    // was once put in the middle. A value its reading vouches for so little is read again from
    // the digits' strip; where every reading loses that `0`, the value is the 12 digits read
    // with a 13th the grammar adds at their end, and its confidence says that it is a guess.
    // Since the wallet's lines are split between the cards its labels place, the back page's
    // close-up takes in that `0`, and the number is read as printed.
    let sample = generator.render_as(
        vlocr_synth::Page::Double,
        9_102_027_307,
        vlocr_synth::Difficulty::Photo,
    );
    // As `vlocr synth` writes it.
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&sample.image)
        .expect("encodes");
    let photo = image::load_from_memory(&jpeg).expect("decodes").to_rgb8();
    let (_, back) = vlocr::pipeline::read_both_pages(&mut engine, &photo)
        .expect("reads")
        .paper()
        .expect("a paper license");
    let truth = sample.truth.back.expect("back truth");
    let printed: String = truth["code_number"]
        .as_str()
        .expect("a number")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let value = back
        .get(vlocr::pipeline::BackField::CodeNumber)
        .expect("a barcode number");
    let digits: String = value.text.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 13, "{}", value.text);
    assert_eq!(digits[..12], printed[..12], "{}", value.text);
    assert!(
        digits == printed || value.confidence < 0.5,
        "{} at {}",
        value.text,
        value.confidence
    );
}
