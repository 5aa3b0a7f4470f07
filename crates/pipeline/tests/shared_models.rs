//! Engines made from one set of shared models (the server's workers): each reads as an engine
//! of its own would, and every run goes to the one session of each model.

mod fakes;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use image::{Rgb, RgbImage};
use ndarray::{Array4, ArrayD, ArrayViewD};
use vlocr_inference::{InferenceError, Model};
use vlocr_pipeline::SharedModels;

use fakes::{models_reading_a, one_session};

/// One text band across the image (rows 40-55% of its height, columns 10-90%); counts its
/// runs, and the most that were under way at once.
struct OneBand {
    runs: Arc<AtomicUsize>,
    running: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
}

impl Model for OneBand {
    fn name(&self) -> &str {
        "fake detector"
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>, InferenceError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        // Long enough for engines of sessions of their own to run side by side.
        std::thread::sleep(std::time::Duration::from_millis(3));
        self.running.fetch_sub(1, Ordering::SeqCst);
        let (n, h, w) = (input.shape()[0], input.shape()[2], input.shape()[3]);
        let mut map = Array4::<f32>::zeros((n, 1, h, w));
        for y in h * 40 / 100..h * 55 / 100 {
            for x in w / 10..w * 9 / 10 {
                map[[0, 0, y, x]] = 1.0;
            }
        }
        Ok(map.into_dyn())
    }
}

#[test]
fn engines_sharing_models_read_side_by_side_through_one_session() {
    let (runs, most_at_once) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let shared = SharedModels::new(models_reading_a(Box::new(OneBand {
        runs: Arc::clone(&runs),
        running: Arc::new(AtomicUsize::new(0)),
        most_at_once: Arc::clone(&most_at_once),
    })));
    let params = one_session();
    let image = RgbImage::from_pixel(320, 160, Rgb([250, 250, 250]));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let mut engine = shared.engine(&params).expect("an engine of shared models");
            let image = image.clone();
            std::thread::spawn(move || {
                (0..4)
                    .map(|_| {
                        let page = engine.read(&image).expect("reads");
                        page.lines
                            .iter()
                            .map(|l| l.text.clone())
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for worker in workers {
        for lines in worker.join().expect("a worker reads") {
            assert_eq!(lines, vec!["a".to_string()]);
        }
    }
    // Twelve readings, each one run of the one detector session, never two at once.
    assert_eq!(runs.load(Ordering::SeqCst), 12);
    assert_eq!(most_at_once.load(Ordering::SeqCst), 1);
}
