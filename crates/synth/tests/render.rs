//! Rendering is deterministic and the truth matches what is drawn.

use vlocr_synth::Generator;

fn generator() -> Option<Generator> {
    match Generator::new() {
        Ok(generator) => Some(generator),
        Err(error) => {
            // `make setup` installs the fonts; without it, say so rather than fail obscurely.
            assert!(
                std::env::var_os("VLOCR_REQUIRE_MODELS").is_none_or(|v| v != "1"),
                "fonts missing after set-up: {error}"
            );
            eprintln!("skipped: {error}");
            None
        }
    }
}

#[test]
fn same_seed_gives_identical_images_and_truth() {
    let Some(generator) = generator() else { return };
    let (a, b) = (generator.render_front(42), generator.render_front(42));
    assert_eq!(a.image.as_raw(), b.image.as_raw());
    assert_eq!(a.truth, b.truth);
    let c = generator.render_front(43);
    assert_ne!(a.image.as_raw(), c.image.as_raw());
    assert_ne!(a.truth.fields, c.truth.fields);
}

#[test]
fn back_pages_are_deterministic_and_consistent() {
    let Some(generator) = generator() else { return };
    for seed in 0..20 {
        let a = generator.render_as(
            vlocr_synth::Page::Back,
            seed,
            vlocr_synth::Difficulty::Photo,
        );
        let b = generator.render_as(
            vlocr_synth::Page::Back,
            seed,
            vlocr_synth::Difficulty::Photo,
        );
        assert_eq!(a.image.as_raw(), b.image.as_raw());
        assert_eq!(a.truth, b.truth);
        assert_eq!(a.truth.side, "back");
        let field = |key: &str| a.truth.fields[key].as_str().expect("string").to_owned();
        let kg = |key: &str| field(key).trim_end_matches("kg").parse::<u32>().ok();
        assert!(kg("gross_mass") > kg("unladen_mass"), "seed {seed}");
        assert!(field("inspection_record").starts_with("检验有效期至"));
        assert_eq!(field("code_number").len(), 15);
        assert_eq!(field("dimension").matches('×').count(), 2);
    }
}

#[test]
fn the_committed_example_is_reproducible() {
    let Some(generator) = generator() else { return };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let committed = image::open(root.join("examples/synthetic-front.png"))
        .expect("example")
        .into_rgb8();
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("examples/synthetic-front.json")).expect("truth"),
    )
    .expect("JSON");
    // `vlocr synth --seed 2026 --count 1` renders image 0 with seed 2026 * 1_000_003.
    let sample = generator.render_front(2026u64.wrapping_mul(1_000_003));
    assert_eq!(
        sample.image.as_raw(),
        committed.as_raw(),
        "regenerate examples/ with the README's command"
    );
    assert_eq!(
        serde_json::to_value(&sample.truth).expect("serializes"),
        truth
    );
}

#[test]
fn missing_fonts_are_a_clear_error() {
    let error = Generator::with_fonts_in(std::path::Path::new("/nonexistent-fonts"))
        .expect_err("no fonts there");
    let message = error.to_string();
    assert!(
        message.contains("not found") && message.contains("make setup"),
        "{message}"
    );
}

#[test]
fn photos_are_deterministic_too() {
    let Some(generator) = generator() else { return };
    for difficulty in [
        vlocr_synth::Difficulty::Photo,
        vlocr_synth::Difficulty::Hard,
    ] {
        let a = generator.render_front_as(7, difficulty);
        let b = generator.render_front_as(7, difficulty);
        assert_eq!(a.image.as_raw(), b.image.as_raw(), "{difficulty:?}");
        assert_eq!(
            a.truth,
            generator.render_front(7).truth,
            "a photo shows the same card"
        );
        assert!(a.image.width() >= 1200 && a.image.height() >= 1200);
    }
}

#[test]
fn covers_empty_the_truth_of_the_personal_fields_they_hide() {
    use vlocr_synth::{Difficulty, Page};
    let Some(generator) = generator() else { return };
    let personal = [
        "number",
        "name",
        "address",
        "model",
        "vin",
        "engine_no",
        "file_no",
        "inspection_record",
        "code_number",
    ];
    for page in [Page::Front, Page::Back, Page::Double] {
        let plain = generator.render_as(page, 11, Difficulty::Scan);
        let covered = generator.render_covered_as(page, 11, Difficulty::Scan);
        let again = generator.render_covered_as(page, 11, Difficulty::Scan);
        assert_eq!(covered.image.as_raw(), again.image.as_raw(), "{page:?}");
        assert_ne!(covered.image.as_raw(), plain.image.as_raw(), "{page:?}");
        let pages = |t: &vlocr_synth::Truth| {
            [Some(&t.fields), t.front.as_ref(), t.back.as_ref()]
                .into_iter()
                .flatten()
                .flat_map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())))
                .collect::<Vec<_>>()
        };
        let mut emptied = 0;
        for ((key, before), (_, after)) in pages(&plain.truth).iter().zip(pages(&covered.truth)) {
            if *before == after {
                continue;
            }
            assert!(personal.contains(&key.as_str()), "{page:?}: {key} changed");
            assert_eq!(after, "", "{page:?}: {key}");
            emptied += 1;
        }
        assert!(emptied >= 1, "{page:?}: nothing covered");
    }
}

#[test]
fn newer_back_pages_print_an_energy_type_that_fits_the_plate() {
    let Some(generator) = generator() else { return };
    let (mut printed, mut new_energy) = (0, 0);
    for seed in 0..60 {
        let truth = generator.render_back(seed).truth;
        let Some(energy) = truth.fields.get("energy_type") else {
            continue;
        };
        let energy = energy.as_str().expect("string");
        printed += 1;
        assert!(!energy.is_empty(), "seed {seed}: printed, so not empty");
        let plate = truth.fields["number"].as_str().expect("string");
        if plate.chars().count() == 8 {
            new_energy += 1;
            assert!(
                energy.contains('电') || energy.contains("混合动力"),
                "seed {seed}: a new-energy plate with {energy}"
            );
        }
    }
    // About two cards in five print one.
    assert!((12..=36).contains(&printed), "{printed} of 60");
    assert!(new_energy <= printed);
}

#[test]
fn warning_cases_are_deterministic_and_say_their_problem() {
    use vlocr_synth::Page;
    let Some(generator) = generator() else { return };
    let mut problems = Vec::new();
    for seed in 0..8 {
        let a = generator
            .render_warning_case(Page::Front, seed)
            .expect("a main page");
        let b = generator
            .render_warning_case(Page::Front, seed)
            .expect("a main page");
        assert_eq!(a.image.as_raw(), b.image.as_raw(), "seed {seed}");
        let warnings = a.truth.warnings.clone().expect("warnings in the truth");
        assert!(warnings.len() <= 1, "seed {seed}: {warnings:?}");
        problems.extend(warnings);
    }
    assert!(problems
        .iter()
        .all(|w| ["copy", "blur", "incomplete", "recapture", "reflection"].contains(w)));
    assert!(generator.render_warning_case(Page::Double, 1).is_none());
}

#[test]
fn both_pages_share_the_plate_and_its_stamps_name_its_place() {
    let Some(generator) = generator() else { return };
    for seed in 0..20 {
        let truth = generator.render_double(seed).truth;
        let front = truth.front.as_ref().expect("front");
        let back = truth.back.as_ref().expect("back");
        let plate = front["number"].as_str().expect("string");
        assert_eq!(back["number"].as_str(), Some(plate), "seed {seed}");
        let place: String = plate.chars().take(2).collect();
        let stamp = back["inspection_record"].as_str().expect("string");
        assert!(
            stamp.contains(&format!("月{place}")),
            "seed {seed}: {stamp} for {plate}"
        );
    }
}
