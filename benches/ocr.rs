//! Criterion benches of the OCR stages: detector pre- and post-processing, CTC decoding, the
//! whole engine (detect, orient, recognize) on the bundled synthetic example, the whole
//! `vlocr recognize` path (decode, read, fields) on synthetic photos, and the blocking alarm's
//! search for an edge over the card.
//!
//! `cargo bench` (or `make bench`). The engine bench is skipped with a message when the models
//! are not installed (`make setup`).
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented public functions"
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use image::imageops;
use ndarray::Array2;
use vlocr::geometry::Quad;
use vlocr::inference::Runtime;
use vlocr::pipeline::{
    card_quality, decode_image, CardPixels, ModelFiles, ModelSet, ModelVariant, PhotoPixels,
};
use vlocr::text_detector::{postprocess, preprocess, DetectorParams};
use vlocr::text_recognizer::{self, ctc, Charset};
use vlocr::{OcrEngine, OcrParams};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/synthetic-front.png");

fn example() -> image::RgbImage {
    decode_image(
        &std::fs::read(EXAMPLE).expect("examples/synthetic-front.png is in the repository"),
    )
    .expect("the example decodes")
}

/// The example card pasted into a grey 1600x1200 "photo", at 70% of the frame's width.
fn photo() -> image::RgbImage {
    let card = example();
    let width = 1120;
    let height = card.height() * width / card.width();
    let card = imageops::resize(&card, width, height, imageops::FilterType::Triangle);
    let mut photo = image::RgbImage::from_pixel(1600, 1200, image::Rgb([96, 100, 104]));
    imageops::overlay(&mut photo, &card, 240, i64::from((1200 - height) / 2));
    photo
}

fn detector_stages(c: &mut Criterion) {
    let params = DetectorParams::default();
    let mut group = c.benchmark_group("detector");
    for (name, image) in [("card-1320x900", example()), ("photo-1600x1200", photo())] {
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("preprocess", name), &image, |b, image| {
            b.iter(|| preprocess::prepare(black_box(image), &params));
        });
    }
    // A 960x736 map with 30 text-line regions, like a card's.
    let mut map = Array2::<f32>::from_elem((736, 960), 0.02);
    for i in 0..30 {
        let (y, x) = (20 + (i % 15) * 46, 40 + (i / 15) * 460);
        for row in y..y + 18 {
            for column in x..x + 380 {
                map[[row, column]] = 0.9;
            }
        }
    }
    group.bench_function("postprocess/30-lines-960x736", |b| {
        b.iter(|| {
            postprocess::boxes_from_probability_map(
                black_box(map.view()),
                &params,
                (1.0, 1.0),
                (960, 736),
            )
        });
    });
    group.finish();
}

/// Cutting a value's line out of [`photo`] for the recognizer (a slanted quad, so the warp's
/// projective path is taken): an engine cuts about 35 such lines a main page.
fn line_crop(c: &mut Criterion) {
    let photo = photo();
    let quad = Quad::new([
        vlocr::geometry::Point::new(700.0, 500.0),
        vlocr::geometry::Point::new(1100.0, 506.0),
        vlocr::geometry::Point::new(1099.0, 546.0),
        vlocr::geometry::Point::new(699.0, 540.0),
    ]);
    c.bench_function("recognizer/crop-line-400x40", |b| {
        b.iter(|| text_recognizer::crop_line(black_box(&photo), black_box(&quad)))
    });
}

/// The blocking alarm's edge search (`"alarm": true` only) over the card of [`photo`].
fn alarm_edge(c: &mut Criterion) {
    let photo = photo();
    let height = example().height() * 1120 / example().width();
    let top = ((1200 - height) / 2) as f32;
    let card = Quad::from_rect(240.0, top, 1360.0, top + height as f32);
    let pixels = PhotoPixels::new(&photo);
    c.bench_function("alarm/edge-search/card-1120-in-photo-1600x1200", |b| {
        b.iter(|| pixels.edge(black_box(&card)));
    });
}

/// The quality warnings' measures (`"return_quality_warnings": true` only) of the card of
/// [`photo`]: sharpness, colour, moire and the reflection's washed-out patch.
fn quality_measures(c: &mut Criterion) {
    let photo = photo();
    let height = example().height() * 1120 / example().width();
    let top = ((1200 - height) / 2) as f32;
    let card = Quad::from_rect(240.0, top, 1360.0, top + height as f32);
    c.bench_function("warnings/card-quality/card-1120-in-photo-1600x1200", |b| {
        b.iter(|| card_quality(black_box(&photo), black_box(&card)));
    });
}

fn ctc_decode(c: &mut Criterion) {
    let dictionary: String = (0..18_708u32)
        .map(|i| char::from_u32(0x4E00 + i).map_or(String::new(), |ch| format!("{ch}\n")))
        .collect();
    let charset = Charset::from_dictionary(&dictionary, true);
    let classes = charset.class_count();
    // 40 steps: blanks with a character every other step.
    let probs = Array2::from_shape_fn((40, classes), |(t, c)| {
        let best = if t % 2 == 0 {
            0
        } else {
            1 + (t * 37) % (classes - 2)
        };
        if c == best {
            0.9
        } else {
            0.1 / classes as f32
        }
    });
    c.bench_function("ctc/greedy-40x18710", |b| {
        b.iter(|| ctc::decode_greedy(black_box(probs.view()), &charset))
    });
}

fn engine(set: ModelSet) -> Option<OcrEngine> {
    let files = ModelFiles::in_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models"), set);
    if !files.runtime.is_file() {
        eprintln!("engine benches skipped: models not installed (run `make setup`)");
        return None;
    }
    let runtime = Runtime::load(&files.runtime).expect("ONNX Runtime loads");
    Some(OcrEngine::load(&runtime, &files, &OcrParams::default()).expect("models load"))
}

fn whole_engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    let sets = [
        ("default", ModelSet::default()),
        (
            "no-fast-pass",
            ModelSet {
                fast_recognizer: None,
                ..ModelSet::default()
            },
        ),
        // RapidOCR's own models: the baseline of the comparison script.
        (
            "v6-small",
            ModelSet {
                detector: ModelVariant::V6Small,
                recognizer: ModelVariant::V6Small,
                fast_recognizer: None,
            },
        ),
    ];
    for (name, set) in sets {
        let Some(mut engine) = engine(set) else {
            return;
        };
        for (image_name, image) in [("card-1320x900", example()), ("photo-1600x1200", photo())] {
            group.bench_function(BenchmarkId::new(name, image_name), |b| {
                b.iter(|| engine.read(black_box(&image)).expect("reads"));
            });
        }
    }
    group.finish();
}

/// The whole `vlocr recognize` path for photos: JPEG decoding, reading (with the close-up for
/// small cards) and the field layout, for main pages, a back page and both pages in one photo.
fn recognize_photo(c: &mut Criterion) {
    let Some(mut engine) = engine(ModelSet::default()) else {
        return;
    };
    let Ok(generator) = vlocr_synth::Generator::new() else {
        eprintln!("recognize bench skipped: fonts not installed (run `make setup`)");
        return;
    };
    let mut group = c.benchmark_group("recognize");
    group.sample_size(20);
    // `vlocr synth --seed 11 --difficulty photo`, images 1 and 4: a card filling much of the
    // frame and a smaller one.
    // A back page and both pages: `vlocr synth --seed 11 --side back|double_side --difficulty
    // photo`, image 0.
    use vlocr_synth::Page;
    let photos = [
        (Page::Front, 1u64),
        (Page::Front, 4),
        (Page::Back, 0),
        (Page::Double, 0),
    ];
    for (page, index) in photos {
        let sample =
            generator.render_as(page, 11 * 1_000_003 + index, vlocr_synth::Difficulty::Photo);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&sample.image)
            .expect("encodes");
        let name = format!(
            "photo-{}x{}-{index}",
            sample.image.width(),
            sample.image.height()
        );
        group.bench_function(BenchmarkId::new(page.name(), name), |b| {
            b.iter(|| {
                let image = decode_image(black_box(&jpeg)).expect("decodes");
                match page {
                    Page::Front => vlocr::pipeline::read_front_page(&mut engine, &image)
                        .expect("reads")
                        .1
                        .fields
                        .len(),
                    Page::Back => vlocr::pipeline::read_back_page(&mut engine, &image)
                        .expect("reads")
                        .1
                        .fields
                        .len(),
                    Page::Double => {
                        let (front, back) = vlocr::pipeline::read_both_pages(&mut engine, &image)
                            .expect("reads")
                            .paper()
                            .expect("a paper license");
                        front.fields.len() + back.fields.len()
                    }
                }
            });
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    detector_stages,
    line_crop,
    alarm_edge,
    quality_measures,
    ctc_decode,
    whole_engine,
    recognize_photo
);
criterion_main!(benches);
