//! A page on its side is also searched for text turned a quarter, and the boxes that find more
//! text are kept, in the image's own coordinates, unless its first search found a page's worth
//! of lines; an upright page is searched once. Fake models: the detector sees dark print, but of
//! print standing upright only the top third.

mod fakes;

use std::sync::{Arc, Mutex};

use image::{Rgb, RgbImage};
use ndarray::{Array4, ArrayD, ArrayViewD};
use vlocr_inference::{InferenceError, Model};
use vlocr_pipeline::OcrPage;

use fakes::engine_reading_a;

/// Marks dark pixels as text; in an input taller than wide, only those of its top third (as a
/// detector trained on lines along the rows loses most of a line that stands upright). Notes
/// each input's shape, (height, width).
struct SeesRows {
    shapes: Arc<Mutex<Vec<(usize, usize)>>>,
}

impl Model for SeesRows {
    fn name(&self) -> &str {
        "fake detector"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        let (n, h, w) = (input.shape()[0], input.shape()[2], input.shape()[3]);
        self.shapes.lock().expect("not poisoned").push((h, w));
        let rows = if h > w { h / 3 } else { h };
        let mut map = Array4::<f32>::zeros((n, 1, h, w));
        for y in 0..rows {
            for x in 0..w {
                if input[[0, 0, y, x]] < 0.0 {
                    map[[0, 0, y, x]] = 1.0;
                }
            }
        }
        Ok(map.into_dyn())
    }
}

/// The first pass over `image`, and the detector's input shapes.
fn read(image: &RgbImage) -> (OcrPage, Vec<(usize, usize)>) {
    let shapes = Arc::new(Mutex::new(Vec::new()));
    let mut engine = engine_reading_a(Box::new(SeesRows {
        shapes: Arc::clone(&shapes),
    }));
    let page = engine.read_first_pass(image).expect("read");
    let seen = shapes.lock().expect("not poisoned").clone();
    (page, seen)
}

/// A light image of `width` x `height` with a dark line over `(x0, y0)-(x1, y1)`.
fn image_with_line(width: u32, height: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> RgbImage {
    let mut image = RgbImage::from_pixel(width, height, Rgb([235, 235, 230]));
    for y in y0..y1 {
        for x in x0..x1 {
            image.put_pixel(x, y, Rgb([20, 20, 20]));
        }
    }
    image
}

#[test]
fn a_line_standing_upright_is_found_whole_on_the_image_turned() {
    // A portrait photo with one line running down it, off its centre either way (so that a
    // box mapped back the wrong way round shows); at the detector's size, and at twice it
    // (searched turned at the detector's size, then mapped back).
    for k in [1, 2] {
        let image = image_with_line(600 * k, 960 * k, (100 * k, 40 * k, 140 * k, 800 * k));
        let (page, shapes) = read(&image);
        assert_eq!(
            shapes,
            [(960, 608), (608, 960)],
            "searched as it is, then turned"
        );
        assert_eq!(page.lines.len(), 1, "{:?}", page.lines);
        // The whole line, in the image's own coordinates (not only its top third, which the
        // search of the image as it is found), give or take the detector's margin.
        let points = page.lines[0].quad.points;
        let (top, bottom) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
            (lo.min(p.y), hi.max(p.y))
        });
        let (left, right) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| {
            (lo.min(p.x), hi.max(p.x))
        });
        let k = k as f32;
        assert!(
            top < 60.0 * k && (780.0 * k..840.0 * k).contains(&bottom),
            "{points:?}"
        );
        assert!(left > 50.0 * k && right < 190.0 * k, "{points:?}");
    }
}

#[test]
fn a_page_on_its_side_whose_lines_were_found_is_searched_once() {
    // A page's worth of lines running down a portrait photo, each whole in the top third that
    // the fake detector sees of print standing upright.
    let mut image = RgbImage::from_pixel(600, 960, Rgb([235, 235, 230]));
    for i in 0..vlocr_pipeline::PAGE_LINES as u32 {
        let x = 20 + i * 28;
        for y in 20..300 {
            for x in x..x + 12 {
                image.put_pixel(x, y, Rgb([20, 20, 20]));
            }
        }
    }
    let (page, shapes) = read(&image);
    assert_eq!(shapes, [(960, 608)], "searched once");
    assert_eq!(page.lines.len(), vlocr_pipeline::PAGE_LINES);
    // Where more lines are expected (both pages of a license), it is searched turned too.
    let shapes = Arc::new(Mutex::new(Vec::new()));
    let mut engine = engine_reading_a(Box::new(SeesRows {
        shapes: Arc::clone(&shapes),
    }));
    engine
        .with_lines_expected(usize::MAX, |e| e.read_first_pass(&image))
        .expect("read");
    assert_eq!(
        *shapes.lock().expect("not poisoned"),
        [(960, 608), (608, 960)]
    );
    // And the engine's own expectation is back after.
    engine.read_first_pass(&image).expect("read");
    assert_eq!(shapes.lock().expect("not poisoned").len(), 3);
}

#[test]
fn a_line_along_the_rows_is_searched_once() {
    let image = image_with_line(960, 600, (60, 280, 900, 320));
    let (page, shapes) = read(&image);
    assert_eq!(shapes.len(), 1, "{shapes:?}");
    assert_eq!(page.lines.len(), 1, "{:?}", page.lines);
}

#[test]
fn page_readings_stop_when_the_detection_budget_is_spent() {
    let shapes = Arc::new(Mutex::new(Vec::new()));
    let mut engine = engine_reading_a(Box::new(SeesRows {
        shapes: Arc::clone(&shapes),
    }));
    let runs = || shapes.lock().expect("not poisoned").len();
    let upright = image_with_line(960, 600, (60, 280, 900, 320));
    let sideways = image_with_line(600, 960, (100, 40, 140, 800));
    // Two runs: the upright page takes one, the page on its side begun with one left makes
    // its search turned a quarter too, and the reading after finds nothing without running.
    engine.set_detection_budget(Some(2));
    assert_eq!(
        engine.read_first_pass(&upright).expect("read").lines.len(),
        1
    );
    assert_eq!(runs(), 1);
    let page = engine.read_first_pass(&sideways).expect("read");
    assert_eq!((page.lines.len(), runs()), (1, 3), "a whole reading");
    let page = engine.read_first_pass(&upright).expect("read");
    assert_eq!((page.lines.len(), runs()), (0, 3), "no run left");
    // A new budget, or none, reads again.
    engine.set_detection_budget(None);
    assert_eq!(
        engine.read_first_pass(&upright).expect("read").lines.len(),
        1
    );
    assert_eq!(runs(), 4);
}

#[test]
fn an_engine_limits_detections_only_once_a_request_is_given_its_budget() {
    let shapes = Arc::new(Mutex::new(Vec::new()));
    let mut engine = engine_reading_a(Box::new(SeesRows {
        shapes: Arc::clone(&shapes),
    }));
    let upright = image_with_line(960, 600, (60, 280, 900, 320));
    let limit = vlocr_pipeline::OcrParams::default()
        .detections_per_request
        .expect("a limit by default") as usize;
    // Made, it reads image after image (`vlocr ocr` over a folder), and a search within a
    // reading that renews a budget only where one is in force imposes none.
    engine.renew_detection_budget_if_limited();
    for _ in 0..=limit {
        assert_eq!(
            engine.read_first_pass(&upright).expect("read").lines.len(),
            1
        );
    }
    // A request's budget: that many readings, then none; renewed for the next request.
    engine.renew_detection_budget();
    let found: Vec<usize> = (0..=limit)
        .map(|_| engine.read_first_pass(&upright).expect("read").lines.len())
        .collect();
    assert_eq!(found.iter().filter(|&&n| n == 1).count(), limit);
    assert_eq!(found[limit], 0);
    // Within a request, the next page's search gets runs of its own.
    engine.renew_detection_budget_if_limited();
    assert_eq!(
        engine.read_first_pass(&upright).expect("read").lines.len(),
        1
    );
    engine.renew_detection_budget();
    assert_eq!(
        engine.read_first_pass(&upright).expect("read").lines.len(),
        1
    );
}
