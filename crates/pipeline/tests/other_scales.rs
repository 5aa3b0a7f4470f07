//! A page that no reading places, though text (or a card's paper) was found, is read once
//! more with the detector given a coarser scale, then a finer one; a blank image is not. Fake
//! models: the detector notes the size of every image it is given.

mod fakes;

use std::sync::{Arc, Mutex};

use image::{Rgb, RgbImage};
use ndarray::{Array4, ArrayD, ArrayViewD};
use vlocr_inference::{InferenceError, Model};
use vlocr_pipeline::read_front_page;

use fakes::engine_reading_a;

/// Finds a text band across the middle of the image where it is dark, and notes each input's
/// longer side.
struct Notes {
    sides: Arc<Mutex<Vec<usize>>>,
}

impl Model for Notes {
    fn name(&self) -> &str {
        "fake detector"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        let (n, h, w) = (input.shape()[0], input.shape()[2], input.shape()[3]);
        self.sides.lock().expect("not poisoned").push(h.max(w));
        let mut map = Array4::<f32>::zeros((n, 1, h, w));
        for y in h * 45 / 100..h * 55 / 100 {
            for x in w / 10..w * 9 / 10 {
                if input[[0, 0, y, x]] < 0.0 {
                    map[[0, 0, y, x]] = 1.0;
                }
            }
        }
        Ok(map.into_dyn())
    }
}

/// The detector's input sizes while the main page of `photo` is read.
fn sides_seen(photo: &RgbImage) -> Vec<usize> {
    let sides = Arc::new(Mutex::new(Vec::new()));
    let mut engine = engine_reading_a(Box::new(Notes {
        sides: Arc::clone(&sides),
    }));
    let (_, fields) = read_front_page(&mut engine, photo).expect("read");
    assert!(!fields.is_placed(3));
    let seen = sides.lock().expect("not poisoned").clone();
    seen
}

#[test]
fn a_page_no_reading_places_is_read_again_at_other_scales() {
    // A photo filled by a card with a line of text that is no label: nothing places it, and
    // it has no paper region to enlarge.
    let mut photo = RgbImage::from_pixel(1600, 1200, Rgb([235, 235, 230]));
    for y in 560..640 {
        for x in 200..1400 {
            photo.put_pixel(x, y, Rgb([20, 20, 20]));
        }
    }
    let sides = sides_seen(&photo);
    // The detector's own side first, then the coarser one, last the finer one.
    let first_at = |side: usize| sides.iter().position(|&s| s == side);
    assert_eq!(first_at(960), Some(0), "{sides:?}");
    let coarse = first_at(480).expect("read at 480");
    let fine = first_at(1280).expect("read at 1,280");
    assert!(coarse < fine, "{sides:?}");
    assert_eq!(sides.last(), Some(&1280), "{sides:?}");
}

#[test]
fn a_blank_image_is_read_once() {
    let blank = RgbImage::from_pixel(1600, 1200, Rgb([235, 235, 230]));
    assert_eq!(sides_seen(&blank), [960]);
}
