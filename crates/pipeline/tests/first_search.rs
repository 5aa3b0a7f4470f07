//! A request's first detector search is made within the card's paper, at the whole image's
//! scale, and finds the lines a search of the whole image finds; the searches after it are made
//! in the whole image. Fake models: the detector sees black print.

mod fakes;

use std::sync::{Arc, Mutex};

use image::{Rgb, RgbImage};
use ndarray::{Array4, ArrayD, ArrayViewD};
use vlocr_inference::{InferenceError, Model};

use fakes::engine_reading_a;

/// Marks black pixels as text and notes each input's shape, (height, width).
struct SeesBlack {
    shapes: Arc<Mutex<Vec<(usize, usize)>>>,
}

impl Model for SeesBlack {
    fn name(&self) -> &str {
        "fake detector"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        let (n, h, w) = (input.shape()[0], input.shape()[2], input.shape()[3]);
        self.shapes.lock().expect("not poisoned").push((h, w));
        Ok(Array4::from_shape_fn((n, 1, h, w), |(_, _, y, x)| {
            f32::from(input[[0, 0, y, x]] < -1.5)
        })
        .into_dyn())
    }
}

/// A 1600x1200 photo of a light card on a green table, one black line printed on it.
fn photo() -> RgbImage {
    RgbImage::from_fn(1600, 1200, |x, y| {
        if (600..1000).contains(&x) && (500..530).contains(&y) {
            Rgb([0, 0, 0])
        } else if (500..1100).contains(&x) && (400..800).contains(&y) {
            Rgb([228, 230, 226])
        } else {
            Rgb([60, 140, 80])
        }
    })
}

/// The corners of each line's box, rounded.
fn boxes(lines: &[vlocr_pipeline::OcrLine]) -> Vec<[(i32, i32); 4]> {
    lines
        .iter()
        .map(|line| {
            line.quad
                .points
                .map(|p| (p.x.round() as i32, p.y.round() as i32))
        })
        .collect()
}

#[test]
fn the_first_search_of_a_request_is_made_within_the_card() {
    let shapes = Arc::new(Mutex::new(Vec::new()));
    let mut engine = engine_reading_a(Box::new(SeesBlack {
        shapes: Arc::clone(&shapes),
    }));
    let image = photo();
    engine.renew_detection_budget();
    let first = engine.read_first_pass(&image).expect("read");
    let again = engine.read_first_pass(&image).expect("read");
    assert_eq!(first.lines.len(), 1);
    assert_eq!(boxes(&first.lines), boxes(&again.lines));
    let shapes = shapes.lock().expect("not poisoned").clone();
    // The card and a margin of a tenth of its width, at the whole image's scale (0.6), out
    // to blocks of 32; then the whole image.
    assert_eq!(shapes, vec![(352, 448), (736, 960)]);
}
