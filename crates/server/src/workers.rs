//! A fixed pool of inference threads behind a bounded queue.
//!
//! Inference never runs on the async runtime: each worker is an OS thread with its own
//! [`LicenseReader`] (its own model sessions). A request is admitted only while fewer than
//! `workers + queue` are admitted and unfinished; beyond that [`WorkerPool::submit`] answers
//! [`ApiError::Busy`] at once. A job whose deadline passed while it waited is dropped unread.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};

use crate::reader::{LicenseReader, ReadOutcome};
use crate::request::{ReadOptions, Side};
use crate::ApiError;

/// Makes one worker's reader (loads its models). Called once per worker thread, and again
/// after a reader panicked.
pub type ReaderFactory =
    Arc<dyn Fn() -> Result<Box<dyn LicenseReader>, String> + Send + Sync + 'static>;

/// Whether the workers have loaded their models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// Still loading.
    Loading,
    /// At least one worker is ready.
    Ready,
    /// Every worker failed to load; the message of the first failure.
    Failed(String),
}

/// What a worker sends back.
#[derive(Debug)]
pub struct WorkerReply {
    /// The reading, or why it failed.
    pub outcome: Result<ReadOutcome, ApiError>,
    /// Time the job waited for a worker.
    pub queue_wait: Duration,
}

struct Job {
    bytes: Vec<u8>,
    side: Side,
    options: ReadOptions,
    deadline: Instant,
    enqueued: Instant,
    reply: oneshot::Sender<WorkerReply>,
    slot: Slot,
}

/// One admitted request; frees its place when dropped (job done or dropped unread).
struct Slot(Arc<Counters>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Default)]
struct Counters {
    admitted: AtomicUsize,
    running: AtomicUsize,
    loaded: AtomicUsize,
    failed: AtomicUsize,
}

/// The pool. Dropping it lets the workers finish the jobs already queued, then stop.
pub struct WorkerPool {
    sender: Option<crossbeam_channel::Sender<Job>>,
    counters: Arc<Counters>,
    capacity: usize,
    workers: usize,
    readiness: watch::Receiver<Readiness>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl WorkerPool {
    /// Starts `workers` threads (at least one), each making its reader with `factory`, and
    /// admits up to `queue` waiting requests besides those being read.
    pub fn start(workers: usize, queue: usize, factory: ReaderFactory) -> Self {
        let workers = workers.max(1);
        let (sender, receiver) = crossbeam_channel::unbounded::<Job>();
        let counters = Arc::new(Counters::default());
        let (ready_tx, readiness) = watch::channel(Readiness::Loading);
        let ready_tx = Arc::new(ready_tx);
        let threads = (0..workers)
            .map(|index| {
                let receiver = receiver.clone();
                let counters = Arc::clone(&counters);
                let factory = Arc::clone(&factory);
                let ready_tx = Arc::clone(&ready_tx);
                std::thread::Builder::new()
                    .name(format!("vlocr-worker-{index}"))
                    .spawn(move || {
                        work(&receiver, &counters, &factory, &ready_tx, workers);
                    })
                    .expect("spawning a worker thread")
            })
            .collect();
        drop(factory);
        Self {
            sender: Some(sender),
            counters,
            capacity: workers + queue,
            workers,
            readiness,
            threads: Mutex::new(threads),
        }
    }

    /// Reads an image on a worker. `Busy` at once when the pool is full, `Timeout` when no
    /// answer came by `deadline`.
    pub async fn submit(
        &self,
        bytes: Vec<u8>,
        side: Side,
        options: ReadOptions,
        deadline: Instant,
    ) -> Result<WorkerReply, ApiError> {
        let slot = self.admit().ok_or(ApiError::Busy)?;
        let (reply, answer) = oneshot::channel();
        let job = Job {
            bytes,
            side,
            options,
            deadline,
            enqueued: Instant::now(),
            reply,
            slot,
        };
        let sender = self.sender.as_ref().ok_or(ApiError::RecognitionFailed)?;
        sender.send(job).map_err(|_| ApiError::RecognitionFailed)?;
        match tokio::time::timeout_at(deadline.into(), answer).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(ApiError::RecognitionFailed),
            Err(_) => Err(ApiError::Timeout),
        }
    }

    fn admit(&self) -> Option<Slot> {
        self.counters
            .admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.capacity).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(&self.counters)))
    }

    /// Whether a request arriving now would be refused.
    pub fn is_full(&self) -> bool {
        self.in_flight() >= self.capacity
    }

    /// Requests admitted and not finished: waiting plus being read.
    pub fn in_flight(&self) -> usize {
        self.counters.admitted.load(Ordering::Acquire)
    }

    /// Requests waiting for a worker.
    pub fn queue_depth(&self) -> usize {
        self.in_flight()
            .saturating_sub(self.counters.running.load(Ordering::Acquire))
    }

    /// Worker threads.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Workers with their models loaded.
    pub fn loaded_workers(&self) -> usize {
        self.counters.loaded.load(Ordering::Acquire)
    }

    /// The current readiness.
    pub fn readiness(&self) -> Readiness {
        self.readiness.borrow().clone()
    }

    /// Waits until at least one worker is ready, or every worker failed.
    pub async fn wait_until_loaded(&self) -> Readiness {
        let mut receiver = self.readiness.clone();
        let result = receiver
            .wait_for(|r| *r != Readiness::Loading)
            .await
            .map(|r| r.clone());
        result.unwrap_or_else(|_| Readiness::Failed("the workers stopped".into()))
    }

    /// Stops accepting jobs and waits for the workers to finish those queued.
    pub fn shut_down(&mut self) {
        self.sender = None;
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|e| e.into_inner()));
        for thread in threads {
            let _ = thread.join();
        }
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn work(
    receiver: &crossbeam_channel::Receiver<Job>,
    counters: &Counters,
    factory: &ReaderFactory,
    ready: &watch::Sender<Readiness>,
    workers: usize,
) {
    let mut reader = match factory() {
        Ok(reader) => {
            counters.loaded.fetch_add(1, Ordering::AcqRel);
            ready.send_replace(Readiness::Ready);
            reader
        }
        Err(message) => {
            if counters.failed.fetch_add(1, Ordering::AcqRel) + 1 == workers {
                ready.send_replace(Readiness::Failed(message));
            }
            return;
        }
    };
    while let Ok(job) = receiver.recv() {
        let queue_wait = job.enqueued.elapsed();
        if Instant::now() >= job.deadline || job.reply.is_closed() {
            // Nobody waits for this answer any more.
            continue;
        }
        counters.running.fetch_add(1, Ordering::AcqRel);
        // Past its deadline the request is answered `Timeout` without this reading: it
        // stops there too, and the worker takes the next job.
        reader.set_deadline(Some(job.deadline));
        let read = catch_unwind(AssertUnwindSafe(|| {
            reader.read(&job.bytes, job.side, job.options)
        }));
        counters.running.fetch_sub(1, Ordering::AcqRel);
        let outcome = match read {
            Ok(outcome) => outcome,
            Err(_) => {
                tracing::error!("a reader panicked; reloading this worker's models");
                match factory() {
                    Ok(fresh) => reader = fresh,
                    Err(message) => {
                        tracing::error!(%message, "reloading failed; this worker stops");
                        counters.loaded.fetch_sub(1, Ordering::AcqRel);
                        let _ = job.reply.send(WorkerReply {
                            outcome: Err(ApiError::RecognitionFailed),
                            queue_wait,
                        });
                        return;
                    }
                }
                Err(ApiError::RecognitionFailed)
            }
        };
        // Free the place before answering, so that a client sending its next request as soon
        // as it has this answer finds room.
        drop(job.slot);
        let _ = job.reply.send(WorkerReply {
            outcome,
            queue_wait,
        });
    }
}
