//! The whole engine on fake models: detection, orientation, cropping, recognition and ordering
//! are exercised without any weights.

use image::{Rgb, RgbImage};
use ndarray::{Array2, Array3, Array4, ArrayD, ArrayViewD, Axis};
use vlocr::geometry::{rotate_image, QuarterTurn};
use vlocr::inference::{Model, Result as InferenceResult};
use vlocr::pipeline::{FastRecognizer, OcrModels, PipelineError};
use vlocr::text_recognizer::{Charset, RecognizeError};
use vlocr::{OcrEngine, OcrParams};

/// Marks every dark input pixel as text (input is normalised BGR: dark is negative).
struct FakeDetector {
    output_channels: usize,
}

impl Model for FakeDetector {
    fn name(&self) -> &str {
        "fake detector"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> InferenceResult<ArrayD<f32>> {
        let (h, w) = (input.shape()[2], input.shape()[3]);
        let mut map = Array4::<f32>::zeros((1, self.output_channels, h, w));
        for y in 0..h {
            for x in 0..w {
                if input[[0, 0, y, x]] < 0.0 {
                    map[[0, 0, y, x]] = 0.95;
                }
            }
        }
        Ok(map.into_dyn())
    }
}

/// Reads every line as "AB" (classes 1 and 2 of a two-symbol charset plus space), or as
/// `first` then `second` class, each with probability `probability`.
struct FakeRecognizer {
    classes: usize,
    first: usize,
    second: usize,
    probability: f32,
    runs: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FakeRecognizer {
    fn reading_ab(classes: usize) -> Self {
        Self {
            classes,
            first: 1,
            second: 2,
            probability: 0.9,
            runs: Default::default(),
        }
    }
}

impl Model for FakeRecognizer {
    fn name(&self) -> &str {
        "fake recognizer"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> InferenceResult<ArrayD<f32>> {
        let (n, steps) = (input.shape()[0], (input.shape()[3] / 8).max(4));
        self.runs.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        let mut out = Array3::<f32>::zeros((n, steps, self.classes));
        for mut item in out.axis_iter_mut(Axis(0)) {
            for (t, mut row) in item.axis_iter_mut(Axis(0)).enumerate() {
                let class = match t {
                    0 | 1 => self.first,
                    3 => self.second,
                    _ => 0,
                };
                row[class] = self.probability;
            }
        }
        Ok(out.into_dyn())
    }
}

/// Says every line is upright.
struct FakeClassifier;

impl Model for FakeClassifier {
    fn name(&self) -> &str {
        "fake classifier"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> InferenceResult<ArrayD<f32>> {
        let n = input.shape()[0];
        Ok(Array2::from_shape_fn((n, 2), |(_, c)| if c == 0 { 0.97 } else { 0.03 }).into_dyn())
    }
}

fn engine(
    detector_channels: usize,
    recognizer_classes: usize,
    recognizer_sessions: usize,
) -> OcrEngine {
    let recognizers: Vec<Box<dyn Model>> = (0..recognizer_sessions)
        .map(|_| Box::new(FakeRecognizer::reading_ab(recognizer_classes)) as Box<dyn Model>)
        .collect();
    let models = OcrModels {
        detector: Box::new(FakeDetector {
            output_channels: detector_channels,
        }),
        recognizers,
        charset: Charset::from_dictionary("A\nB", true),
        classifier: Box::new(FakeClassifier),
        fast: None,
    };
    OcrEngine::new(models, &OcrParams::default()).expect("at least one recognizer")
}

/// A white page with two dark "lines".
fn page() -> RgbImage {
    let mut image = RgbImage::from_pixel(320, 160, Rgb([255, 255, 255]));
    for (x0, y0, x1, y1) in [(40, 30, 240, 50), (40, 100, 200, 118)] {
        for y in y0..y1 {
            for x in x0..x1 {
                image.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
    }
    image
}

#[test]
fn reads_lines_in_order_with_their_boxes() {
    let page = engine(1, 4, 2).read(&page()).expect("reads");
    assert_eq!(page.turn, QuarterTurn::None);
    assert_eq!(page.lines.len(), 2);
    assert!(page.lines.iter().all(|l| l.text == "AB"));
    let first = &page.lines[0];
    let (x0, y0, x1, y1) = first.quad.bounds();
    // The box covers the first dark band, grown a little by unclipping.
    assert!(
        x0 <= 40.0 && x0 > 20.0 && (240.0..260.0).contains(&x1),
        "{:?}",
        first.quad
    );
    assert!(y0 <= 30.0 && y1 >= 50.0, "{:?}", first.quad);
    assert!(page.lines[1].quad.center().y > 100.0);
    assert!((first.confidence - 0.9).abs() < 1e-6);
}

#[test]
fn a_page_on_its_side_is_read_in_reading_order() {
    let turned = rotate_image(&page(), QuarterTurn::Clockwise90);
    let page = engine(1, 4, 1).read(&turned).expect("reads");
    assert_eq!(page.turn, QuarterTurn::Clockwise90);
    assert_eq!(page.lines.len(), 2);
    // The first line of the upright page is the rightmost column of the turned image, and its
    // reading-order top-left corner is the column's top-right corner.
    let [tl, tr, _, bl] = page.lines[0].quad.points;
    assert!(tl.x > 100.0, "{:?}", page.lines[0].quad);
    assert!(tr.y > tl.y && bl.x < tl.x, "{:?}", page.lines[0].quad);
}

#[test]
fn a_blank_page_has_no_lines() {
    let blank = RgbImage::from_pixel(64, 64, Rgb([255, 255, 255]));
    let page = engine(1, 4, 2).read(&blank).expect("reads");
    assert!(page.lines.is_empty());
    assert_eq!(page.turn, QuarterTurn::None);
}

#[test]
fn an_engine_without_recognizer_is_refused() {
    let models = OcrModels {
        detector: Box::new(FakeDetector { output_channels: 1 }),
        recognizers: Vec::new(),
        charset: Charset::from_dictionary("A", true),
        classifier: Box::new(FakeClassifier),
        fast: None,
    };
    assert!(matches!(
        OcrEngine::new(models, &OcrParams::default()),
        Err(PipelineError::NoRecognizer)
    ));
}

#[test]
fn model_mismatches_are_errors_not_panics() {
    let wrong_map = engine(2, 4, 1).read(&page());
    assert!(
        matches!(wrong_map, Err(PipelineError::Detect(_))),
        "{wrong_map:?}"
    );
    let wrong_classes = engine(1, 7, 2).read(&page());
    assert!(
        matches!(
            wrong_classes,
            Err(PipelineError::Recognize(RecognizeError::CharsetMismatch {
                model_classes: 7,
                ..
            }))
        ),
        "{wrong_classes:?}"
    );
}

/// An engine whose fast first pass reads "BA" with `probability`, and whose accurate
/// recognizer reads "AB"; returns it and the accurate recognizer's line count.
fn cascade(probability: f32) -> (OcrEngine, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let accurate = FakeRecognizer::reading_ab(4);
    let accurate_runs = accurate.runs.clone();
    let fast = FakeRecognizer {
        classes: 4,
        first: 2,
        second: 1,
        probability,
        runs: Default::default(),
    };
    let models = OcrModels {
        detector: Box::new(FakeDetector { output_channels: 1 }),
        recognizers: vec![Box::new(accurate)],
        charset: Charset::from_dictionary("A\nB", true),
        classifier: Box::new(FakeClassifier),
        fast: Some(FastRecognizer {
            sessions: vec![Box::new(fast)],
            charset: Charset::from_dictionary("A\nB", true),
        }),
    };
    let engine = OcrEngine::new(models, &OcrParams::default()).expect("builds");
    (engine, accurate_runs)
}

#[test]
fn confident_fast_readings_stand() {
    let (mut engine, accurate_runs) = cascade(0.99);
    let page = engine.read(&page()).expect("reads");
    assert!(
        page.lines.iter().all(|l| l.text == "BA"),
        "{:?}",
        page.lines
    );
    assert_eq!(accurate_runs.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[test]
fn unsure_fast_readings_are_read_again() {
    let (mut engine, accurate_runs) = cascade(0.6);
    let page = engine.read(&page()).expect("reads");
    assert!(
        page.lines.iter().all(|l| l.text == "AB"),
        "{:?}",
        page.lines
    );
    assert_eq!(accurate_runs.load(std::sync::atomic::Ordering::SeqCst), 2);
}
