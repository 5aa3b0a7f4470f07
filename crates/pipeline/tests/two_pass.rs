//! The engine's two recognizers, with fake models: the fast first pass reads every line, and
//! the accurate recognizer only the lines it is unsure of, or those the caller names.

mod fakes;

use image::{Rgb, RgbImage};
use ndarray::{Array4, ArrayD, ArrayViewD, Axis, IxDyn};
use vlocr_inference::{InferenceError, Model};
use vlocr_pipeline::{FastRecognizer, OcrEngine, OcrModels, OcrParams};
use vlocr_text_recognizer::Charset;

use fakes::Upright;

/// Two text bands across the image: rows 20-30% and 60-70% of its height, columns 10-90%.
struct TwoBands;

impl Model for TwoBands {
    fn name(&self) -> &str {
        "fake detector"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        let (n, h, w) = (input.shape()[0], input.shape()[2], input.shape()[3]);
        let mut map = Array4::<f32>::zeros((n, 1, h, w));
        for (top, bottom) in [(0.2, 0.3), (0.6, 0.7)] {
            for y in (h as f32 * top) as usize..(h as f32 * bottom) as usize {
                for x in w / 10..w * 9 / 10 {
                    map[[0, 0, y, x]] = 1.0;
                }
            }
        }
        Ok(map.into_dyn())
    }
}

/// Reads `text` from every line; a line whose first pixel is dark (the grey band) with
/// `dark_confidence` per character, a light one surely. Classes: blank, `a b c d`, space.
struct Reads {
    text: &'static str,
    dark_confidence: f32,
    runs: usize,
}

impl Model for Reads {
    fn name(&self) -> &str {
        "fake recognizer"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        self.runs += 1;
        let n = input.shape()[0];
        let frames = 2 * self.text.len() + 2;
        let mut out = ArrayD::<f32>::zeros(IxDyn(&[n, frames, 6]));
        for (i, mut item) in out.axis_iter_mut(Axis(0)).enumerate() {
            let dark = input[[i, 0, 24, 2]] < 0.5;
            let p = if dark { self.dark_confidence } else { 0.99 };
            for t in 0..frames {
                item[[t, 0]] = 1.0;
            }
            for (k, c) in self.text.chars().enumerate() {
                let class = "abcd".find(c).expect("a fake class") + 1;
                item[[2 * k + 1, class]] = p;
                item[[2 * k + 1, 0]] = 1.0 - p;
            }
        }
        Ok(out)
    }
}

/// A white image with a grey band over the lower line.
fn image() -> RgbImage {
    let mut image = RgbImage::from_pixel(400, 200, Rgb([255, 255, 255]));
    for y in 110..150 {
        for x in 0..400 {
            image.put_pixel(x, y, Rgb([100, 100, 100]));
        }
    }
    image
}

fn engine() -> OcrEngine {
    let charset = Charset::from_dictionary("a\nb\nc\nd", true);
    let models = OcrModels {
        detector: Box::new(TwoBands),
        recognizers: vec![Box::new(Reads {
            text: "cd",
            dark_confidence: 0.99,
            runs: 0,
        })],
        charset: charset.clone(),
        classifier: Box::new(Upright),
        fast: Some(FastRecognizer {
            sessions: vec![Box::new(Reads {
                text: "ab",
                dark_confidence: 0.6,
                runs: 0,
            })],
            charset,
        }),
    };
    let params = OcrParams {
        recognizer_workers: 1,
        ..OcrParams::default()
    };
    OcrEngine::new(models, &params).expect("fake models load")
}

#[test]
fn the_accurate_recognizer_reads_only_the_unsure_line() {
    let mut engine = engine();
    let page = engine.read(&image()).expect("read");
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["ab", "cd"]);
    // The line read again keeps the first pass's lattice beside its own.
    assert_eq!(page.lines[0].lattices.len(), 1);
    assert_eq!(page.lines[1].lattices.len(), 2);
    let work = engine.take_work();
    assert_eq!(
        (work.page_reads, work.lines, work.lines_read_twice),
        (1, 2, 1)
    );
    assert_eq!(engine.take_work(), Default::default());
}

#[test]
fn a_first_pass_leaves_the_choice_to_the_caller() {
    let mut engine = engine();
    let image = image();
    let mut page = engine.read_first_pass(&image).expect("read");
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["ab", "ab"]);
    assert_eq!(engine.unsure_lines(&page), [1]);
    // The caller may read a sure line again too; a line already read twice is not read again.
    engine
        .read_again(&image, &mut page, &[0])
        .expect("read again");
    engine
        .read_again(&image, &mut page, &[0])
        .expect("read again");
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["cd", "ab"]);
    assert_eq!(engine.unsure_lines(&page), [1]);
    assert_eq!(engine.take_work().lines_read_twice, 1);
}

#[test]
fn deferred_lines_wait_unread_until_asked_for() {
    let mut engine = engine();
    let image = image();
    // The lower band is left unread.
    let mut page = engine
        .read_first_pass_deferring(&image, |quads| {
            (0..quads.len())
                .filter(|&i| quads[i].center().y > 100.0)
                .collect()
        })
        .expect("read");
    assert_eq!(page.lines.len(), 1);
    assert_eq!(page.unread.len(), 1);
    assert!(page.lines[0].quad.center().y < 100.0);
    assert_eq!(engine.take_work().lines, 1);
    // Asking for nothing reads nothing; asked for, the line joins the others in reading order.
    engine.read_unread(&image, &mut page, &[]).expect("read");
    assert_eq!(page.unread.len(), 1);
    engine.read_unread(&image, &mut page, &[0]).expect("read");
    assert!(page.unread.is_empty());
    let rows: Vec<f32> = page.lines.iter().map(|l| l.quad.center().y).collect();
    assert!(rows.len() == 2 && rows[0] < rows[1], "{rows:?}");
    assert_eq!(engine.take_work().lines, 1);
}

#[test]
fn a_reading_stops_at_its_deadline_before_the_next_model_run() {
    use std::time::{Duration, Instant};
    use vlocr_pipeline::{read_front_page, PipelineError, Quad};
    let image = image();
    fn passed<T>(result: &Result<T, PipelineError>) -> bool {
        matches!(result, Err(PipelineError::DeadlinePassed { .. }))
    }
    let mut engine = engine();
    // A deadline ahead changes nothing.
    engine.set_deadline(Some(Instant::now() + Duration::from_secs(600)));
    let mut page = engine.read_first_pass(&image).expect("read");
    assert_eq!(page.lines.len(), 2);
    // Once it has passed, neither a re-read, nor a strip, nor a new page is read: nothing runs.
    engine.take_work();
    engine.set_deadline(Some(Instant::now() - Duration::from_millis(5)));
    assert!(passed(&engine.read_again(&image, &mut page, &[1])));
    assert_eq!(
        page.lines[1].lattices.len(),
        1,
        "the line was not read again"
    );
    let strip = Quad::from_rect(40.0, 40.0, 360.0, 60.0);
    assert!(passed(&engine.read_strips(&image, &[strip])));
    assert!(passed(&engine.read(&image)));
    // The page readers pass the stop on rather than answering with what they had.
    assert!(passed(&read_front_page(&mut engine, &image)));
    assert_eq!(engine.take_work(), Default::default());
    // Without a deadline the engine reads again.
    engine.set_deadline(None);
    assert_eq!(engine.read(&image).expect("read").lines.len(), 2);
}
