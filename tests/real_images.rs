//! The real models on the shared real images.

use vlocr::geometry::{rotate_image, QuarterTurn};
use vlocr::pipeline::{FrontField, ModelSet};

use crate::support;

const SPECIMEN_LINES: [&str; 3] = ["京AA5599", "讴歌牌GHA7150JAD5B", "2018-06-14"];

fn contains_all(texts: &[String], wanted: &[&str]) -> Result<(), String> {
    for w in wanted {
        if !texts.iter().any(|t| t.contains(w)) {
            return Err(format!("`{w}` not found in {texts:?}"));
        }
    }
    Ok(())
}

#[test]
fn specimen_is_read_in_every_rotation() {
    let Some(path) = support::shared_real("specimen-front-beijing.png") else {
        return;
    };
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let upright = support::load_image(&path);
    let (w, h) = upright.dimensions();
    let reference = engine.read(&upright).expect("reads");
    assert_eq!(reference.turn, QuarterTurn::None);
    let plate = |page: &vlocr::OcrPage| {
        page.lines
            .iter()
            .find(|l| l.text.contains("京AA5599"))
            .map(|l| l.quad)
    };
    let upright_plate = plate(&reference).expect("plate read upright");
    for turn in QuarterTurn::ALL {
        let image = rotate_image(&upright, turn);
        let page = engine.read(&image).expect("reads");
        let texts: Vec<String> = page.lines.iter().map(|l| l.text.clone()).collect();
        contains_all(&texts, &SPECIMEN_LINES).unwrap_or_else(|e| panic!("{turn:?}: {e}"));
        assert_eq!(page.turn, turn, "detected rotation");
        // The plate's box, mapped back to the upright page, covers where the plate was read
        // upright (the detector may join the label to it), with its corners in reading order.
        let (tw, th) = image.dimensions();
        let quad = plate(&page).expect("plate");
        let back = quad.map(|p| turn.map_to_upright(p, tw as f32, th as f32));
        assert!(
            back.contains(upright_plate.center()),
            "{turn:?}: {back:?} vs {upright_plate:?} ({w}x{h})"
        );
        let [tl, tr, _, bl] = back.points;
        assert!(
            tl.x < tr.x && tl.y < bl.y,
            "{turn:?}: corners not in reading order: {back:?}"
        );
    }
}

#[test]
fn huawei_figure_keeps_its_unmasked_values() {
    let Some(path) = support::shared_real("huawei-doc-double-masked.png") else {
        return;
    };
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let page = engine.read(&support::load_image(&path)).expect("reads");
    let texts: Vec<String> = page.lines.iter().map(|l| l.text.clone()).collect();
    contains_all(
        &texts,
        &["小型轿车", "2013-06-17", "2170kg", "检验有效期至2015年06月"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn odd_images_are_read_without_panicking() {
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let mut noise = image::RgbImage::new(300, 200);
    let mut state = 12345u32;
    for pixel in noise.pixels_mut() {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        *pixel = image::Rgb([(state >> 24) as u8, (state >> 16) as u8, (state >> 8) as u8]);
    }
    let images = [
        image::RgbImage::new(1, 1),
        image::RgbImage::from_pixel(2000, 8, image::Rgb([255, 255, 255])),
        image::RgbImage::from_pixel(8, 2000, image::Rgb([0, 0, 0])),
        noise,
    ];
    for image in &images {
        let page = engine.read(image).expect("an odd image is still read");
        assert!(
            page.lines.iter().all(|l| l.confidence.is_finite()),
            "{:?}",
            image.dimensions()
        );
    }
}

#[test]
fn huawei_figure_main_page_fields_beside_the_back_page() {
    let Some(path) = support::shared_real("huawei-doc-double-masked.png") else {
        return;
    };
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let image = support::load_image(&path);
    let (_, fields) = vlocr::pipeline::read_front_page(&mut engine, &image).expect("reads");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).expect("truth"))
            .expect("JSON");
    // The unmasked main-page fields that the recognizer reads in full (the seal lost two
    // characters to the figure's low resolution and is not checked here).
    for field in [
        FrontField::VehicleType,
        FrontField::UseCharacter,
        FrontField::RegisterDate,
        FrontField::IssueDate,
    ] {
        assert_eq!(
            fields.get(field).map(|v| v.text.as_str()),
            truth["front"][field.key()].as_str(),
            "{field:?}"
        );
    }
}

#[test]
fn huawei_figure_both_pages_are_split_and_read() {
    let Some(path) = support::shared_real("huawei-doc-double-masked.png") else {
        return;
    };
    let Some(mut engine) = support::engine(ModelSet::default()) else {
        return;
    };
    let image = support::load_image(&path);
    let (front, back) = vlocr::pipeline::read_both_pages(&mut engine, &image)
        .expect("reads")
        .paper()
        .expect("a paper license");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).expect("truth"))
            .expect("JSON");
    for field in [
        FrontField::VehicleType,
        FrontField::UseCharacter,
        FrontField::RegisterDate,
    ] {
        assert_eq!(
            front.get(field).map(|v| v.text.as_str()),
            truth["front"][field.key()].as_str(),
            "{field:?}"
        );
    }
    // The back page's unmasked values (remarks is blank on the card; a stray mark is read
    // there, so it is not checked).
    use vlocr::pipeline::BackField;
    for field in [
        BackField::ApprovedPassengers,
        BackField::GrossMass,
        BackField::UnladenMass,
        BackField::Dimension,
    ] {
        assert_eq!(
            back.get(field).map(|v| v.text.as_str()),
            truth["back"][field.key()].as_str(),
            "{field:?}"
        );
    }
}
