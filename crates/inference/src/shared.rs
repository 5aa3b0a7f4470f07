//! One model session used by several engines, one run at a time.

use std::sync::{Arc, Mutex, PoisonError};

use ndarray::{ArrayD, ArrayViewD};

use crate::{Model, Result};

/// A handle to a model that several engines (the server's workers) share: a run holds the
/// model alone while it lasts (an ONNX Runtime session is run through `&mut self` in `ort`), the
/// other handles' runs wait for it. One session for every worker keeps one copy of the weights
/// and one working-memory arena per model instead of one per worker.
#[derive(Clone)]
pub struct SharedModel {
    name: Arc<str>,
    model: Arc<Mutex<Box<dyn Model>>>,
}

impl SharedModel {
    /// A first handle to `model`; clone it for each user.
    pub fn new(model: Box<dyn Model>) -> SharedModel {
        SharedModel {
            name: Arc::from(model.name()),
            model: Arc::new(Mutex::new(model)),
        }
    }
}

impl std::fmt::Debug for SharedModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedModel")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Model for SharedModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>> {
        // A run that panicked left the session as ONNX Runtime left it: usable.
        let mut model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        model.run(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Doubles its input; counts its runs and fails if two overlap.
    struct Doubler {
        running: Arc<AtomicUsize>,
        runs: Arc<AtomicUsize>,
    }

    impl Model for Doubler {
        fn name(&self) -> &str {
            "doubler"
        }

        fn run(&mut self, input: ArrayViewD<'_, f32>) -> Result<ArrayD<f32>> {
            assert_eq!(
                self.running.fetch_add(1, Ordering::SeqCst),
                0,
                "runs overlap"
            );
            std::thread::sleep(std::time::Duration::from_millis(2));
            self.runs.fetch_add(1, Ordering::SeqCst);
            self.running.fetch_sub(1, Ordering::SeqCst);
            Ok(input.mapv(|v| 2.0 * v))
        }
    }

    #[test]
    fn handles_on_several_threads_run_one_session_one_run_at_a_time() {
        let runs = Arc::new(AtomicUsize::new(0));
        let shared = SharedModel::new(Box::new(Doubler {
            running: Arc::new(AtomicUsize::new(0)),
            runs: Arc::clone(&runs),
        }));
        assert_eq!(shared.name(), "doubler");
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let mut handle = shared.clone();
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let input = ndarray::ArrayD::from_elem(vec![2], i as f32);
                        let out = handle.run(input.view()).expect("runs");
                        assert_eq!(out[[1]], 2.0 * i as f32);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("no run overlapped another");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 20);
    }
}
