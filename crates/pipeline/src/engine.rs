//! The text-line engine: detect, orient, recognize.

mod detection;
mod loading;
mod reading_order;

pub use detection::PAGE_LINES;
pub use loading::SharedModels;

use std::time::{Duration, Instant};

use image::RgbImage;
use serde::Serialize;
use vlocr_ctc::Lattice;
use vlocr_geometry::{Quad, QuarterTurn};
use vlocr_inference::{Model, SessionOptions};
use vlocr_text_detector::{DetectorParams, TextDetector};
use vlocr_text_recognizer::{
    crop_line, Charset, ClassifierParams, LineOrientationClassifier, RecognizerParams,
};

use crate::reading::{LineRead, LineReader, ParallelRecognizer};
use crate::{orientation, PipelineError, Result};
use reading_order::sort_reading_order;

/// Settings of every stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OcrParams {
    /// Text detection.
    pub detector: DetectorParams,
    /// Line recognition.
    pub recognizer: RecognizerParams,
    /// Line-orientation classification.
    pub classifier: ClassifierParams,
    /// ONNX Runtime session settings (threads) of the detector and classifier.
    pub session: SessionOptions,
    /// Recognizer sessions that read one image's lines side by side. Small line models use
    /// several cores poorly within one run, so splitting the lines between sessions is faster
    /// (measured in the README); each session gets `session.intra_threads / workers` threads.
    pub recognizer_workers: usize,
    /// With a fast first-pass recognizer: lines whose weakest character it reads with less
    /// confidence than this are read again by the accurate recognizer.
    pub recheck_below: f32,
    /// Detector runs a request may make, given to it by
    /// [`OcrEngine::renew_detection_budget`] (`None`: as many as its reading asks for).
    pub detections_per_request: Option<u32>,
}

impl Default for OcrParams {
    fn default() -> Self {
        let session = SessionOptions::default();
        Self {
            detector: DetectorParams::default(),
            recognizer: RecognizerParams::default(),
            classifier: ClassifierParams::default(),
            recognizer_workers: session.intra_threads,
            // Measured on the shared real images: at 0.9, 0.95 and 0.98 every line reads as
            // with the accurate recognizer alone. On 120 synthetic pages (`vlocr eval`, seeds 11
            // and 23, mixed) 0.85, 0.9 and 0.95 give the same field accuracy within one field;
            // 0.9 re-reads fewer lines (about 12 ms less per photo on one core).
            recheck_below: 0.9,
            detections_per_request: Some(crate::DETECTIONS_PER_REQUEST),
            session,
        }
    }
}

/// One recognized line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrLine {
    /// The text as read.
    pub text: String,
    /// Mean character confidence, 0..1.
    pub confidence: f32,
    /// One confidence per character of `text`.
    pub char_confidences: Vec<f32>,
    /// What the recognizers saw: the lattice of the reading kept (whose plain reading is
    /// `text`), then any other reading of the same crop (the fast first pass).
    #[serde(skip)]
    pub lattices: Vec<Lattice>,
    /// The line's corners in the original image, in reading order (top-left of the text first).
    pub quad: Quad,
    /// The detector's score for the box.
    pub detection_score: f32,
}

/// A strip of an image read as one line ([`OcrEngine::read_strip`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StripReading {
    /// The text as read.
    pub text: String,
    /// One confidence per character of `text`.
    pub char_confidences: Vec<f32>,
    /// What the recognizers saw (see [`OcrLine::lattices`]).
    pub lattices: Vec<Lattice>,
}

/// Time spent in each stage of one [`OcrEngine::read`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct StageTimings {
    /// Text detection, pre- and post-processing included.
    pub detect: Duration,
    /// Page orientation (line classifier).
    pub orient: Duration,
    /// Cropping and recognizing the lines.
    pub recognize: Duration,
}

/// What an engine did since its work was last taken ([`OcrEngine::take_work`]): every reading
/// of a request (the whole image, close-ups, strips) added up, for metrics and profiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct EngineWork {
    /// Detector runs: the whole image and each close-up (twice for a page on its side).
    pub page_reads: u32,
    /// Line crops recognized: the lines of every page read and every strip.
    pub lines: u32,
    /// Of `lines`, those read by the fast first-pass recognizer and again by the accurate one.
    pub lines_read_twice: u32,
    /// Of `lines`, strips read without detection ([`OcrEngine::read_strips`]).
    pub strips: u32,
    /// Time in text detection.
    pub detect: Duration,
    /// Time in page orientation.
    pub orient: Duration,
    /// Time cropping and recognizing lines and strips.
    pub recognize: Duration,
}

impl EngineWork {
    fn add_lines(&mut self, reads: &[LineRead], spent: Duration) {
        self.lines += reads.len() as u32;
        self.lines_read_twice += reads.iter().filter(|r| r.first_pass.is_some()).count() as u32;
        self.recognize += spent;
    }
}

/// Everything read from one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrPage {
    /// How the page is turned in the image (clockwise from upright).
    pub turn: QuarterTurn,
    /// The lines in reading order of the upright page.
    pub lines: Vec<OcrLine>,
    /// Per-stage timings.
    pub timings: StageTimings,
    /// Lines found and left unread ([`OcrEngine::read_first_pass_deferring`]).
    #[serde(skip)]
    pub unread: Vec<UnreadLine>,
}

/// A line the detector found that was not read (yet).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnreadLine {
    /// Its corners in the original image, in reading order.
    pub quad: Quad,
    /// The detector's score for the box.
    pub detection_score: f32,
}

/// A detector, a recognizer and a line classifier, ready to read images.
pub struct OcrEngine {
    detector: TextDetector<Box<dyn Model>>,
    reader: LineReader,
    classifier: LineOrientationClassifier<Box<dyn Model>>,
    work: EngineWork,
    /// When readings stop ([`OcrEngine::set_deadline`]).
    deadline: Option<Instant>,
    /// Detector runs left ([`OcrEngine::set_detection_budget`]); `None`: no limit.
    detections_left: Option<u32>,
    /// [`OcrParams::detections_per_request`].
    detections_per_request: Option<u32>,
    /// Lines that the pages sought print ([`OcrEngine::with_lines_expected`]).
    lines_expected: usize,
    /// Whether the next detector search is made within the card's paper first
    /// ([`OcrEngine::renew_detection_budget`]).
    search_paper_first: bool,
}

/// The models an [`OcrEngine`] runs.
pub struct OcrModels {
    /// The text detector.
    pub detector: Box<dyn Model>,
    /// One or more sessions of the same line recognizer.
    pub recognizers: Vec<Box<dyn Model>>,
    /// The recognizer's classes.
    pub charset: Charset,
    /// The 0/180 degree line classifier.
    pub classifier: Box<dyn Model>,
    /// A faster recognizer that reads every line first; only the lines it is unsure of are
    /// read by `recognizers` (see [`OcrParams::recheck_below`]).
    pub fast: Option<FastRecognizer>,
}

/// Sessions of a fast first-pass recognizer and its classes.
pub struct FastRecognizer {
    /// One or more sessions of the same model.
    pub sessions: Vec<Box<dyn Model>>,
    /// Its classes.
    pub charset: Charset,
}

impl OcrEngine {
    /// An engine over already-loaded models (real ones, or fakes in tests).
    pub fn new(models: OcrModels, params: &OcrParams) -> Result<OcrEngine> {
        let accurate =
            ParallelRecognizer::new(models.recognizers, &models.charset, params.recognizer)?;
        let fast = match models.fast {
            Some(fast) => Some((
                ParallelRecognizer::new(fast.sessions, &fast.charset, params.recognizer)?,
                params.recheck_below,
            )),
            None => None,
        };
        Ok(OcrEngine {
            detector: TextDetector::new(models.detector, params.detector),
            reader: LineReader { accurate, fast },
            classifier: LineOrientationClassifier::new(models.classifier, params.classifier),
            work: EngineWork::default(),
            deadline: None,
            detections_left: None,
            detections_per_request: params.detections_per_request,
            lines_expected: PAGE_LINES,
            search_paper_first: false,
        })
    }

    /// Readings stop at `deadline` (none: they run to their end): the detector and the
    /// recognizers, asked to run after it, fail with [`PipelineError::DeadlinePassed`]
    /// instead, so that a reading nobody waits for any more gives its cores back within one
    /// model run. It stays set until set again.
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// Fails when the deadline has passed ([`OcrEngine::set_deadline`]).
    fn before_model_run(&self) -> Result<()> {
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(PipelineError::DeadlinePassed {
                overrun_ms: deadline.elapsed().as_millis() as u64,
            }),
            _ => Ok(()),
        }
    }

    /// Reads every text line of `image`: with a fast first-pass recognizer, the lines it is
    /// unsure of are read again by the accurate one.
    pub fn read(&mut self, image: &RgbImage) -> Result<OcrPage> {
        let mut page = self.read_first_pass(image)?;
        let unsure = self.unsure_lines(&page);
        self.read_again(image, &mut page, &unsure)?;
        Ok(page)
    }

    /// Reads every text line of `image` with the fast first-pass recognizer alone (the
    /// accurate one without it; a line the fast one reads as nothing goes to the accurate one
    /// at once). [`OcrEngine::unsure_lines`] and [`OcrEngine::read_again`] finish the reading
    /// where it matters.
    pub fn read_first_pass(&mut self, image: &RgbImage) -> Result<OcrPage> {
        self.read_first_pass_deferring(image, |_| Vec::new())
    }

    /// [`OcrEngine::read_first_pass`], leaving unread the lines that `defer` names (indices
    /// into the reading quads it is given, corners in reading order): they wait in
    /// [`OcrPage::unread`] for [`OcrEngine::read_unread`].
    pub fn read_first_pass_deferring(
        &mut self,
        image: &RgbImage,
        defer: impl FnOnce(&[Quad]) -> Vec<usize>,
    ) -> Result<OcrPage> {
        let started = Instant::now();
        let boxes = self.detect_along_the_text(image)?;
        let detected = Instant::now();
        let estimate = orientation::estimate_turn(image, &boxes, &mut self.classifier)?;
        let turn = orientation::settled_turn(image, &estimate, &mut self.reader)?;
        let oriented = Instant::now();
        let quads: Vec<Quad> = boxes
            .iter()
            .map(|b| orientation::reading_quad(&b.quad, turn))
            .collect();
        let found: Vec<UnreadLine> = quads
            .iter()
            .zip(&boxes)
            .map(|(quad, b)| UnreadLine {
                quad: *quad,
                detection_score: b.score,
            })
            .collect();
        let (unread, to_read) = take_out(found, &defer(&quads));
        self.work.page_reads += 1;
        self.work.detect += detected - started;
        self.work.orient += oriented - detected;
        let mut lines = self.read_lines(image, &to_read)?;
        sort_reading_order(&mut lines, turn, image.dimensions());
        let timings = StageTimings {
            detect: detected - started,
            orient: oriented - detected,
            recognize: oriented.elapsed(),
        };
        Ok(OcrPage {
            turn,
            lines,
            timings,
            unread,
        })
    }

    /// Reads the lines `which` (indices into `page.unread`) with the fast first pass, and
    /// puts them among the page's lines in reading order; they leave `page.unread`.
    pub fn read_unread(
        &mut self,
        image: &RgbImage,
        page: &mut OcrPage,
        which: &[usize],
    ) -> Result<()> {
        let started = Instant::now();
        let (wanted, rest) = take_out(std::mem::take(&mut page.unread), which);
        page.unread = rest;
        if wanted.is_empty() {
            return Ok(());
        }
        let lines = self.read_lines(image, &wanted)?;
        page.lines.extend(lines);
        sort_reading_order(&mut page.lines, page.turn, image.dimensions());
        page.timings.recognize += started.elapsed();
        Ok(())
    }

    /// Crops and reads `lines` with the fast first pass; the lines read as nothing are left out.
    fn read_lines(&mut self, image: &RgbImage, lines: &[UnreadLine]) -> Result<Vec<OcrLine>> {
        self.before_model_run()?;
        let started = Instant::now();
        let crops: Vec<RgbImage> = lines.iter().map(|l| crop_line(image, &l.quad)).collect();
        let texts = self.reader.read_first_pass(&crops)?;
        self.work.add_lines(&texts, started.elapsed());
        Ok(texts
            .into_iter()
            .zip(lines)
            .filter(|(read, _)| !read.text.text.trim().is_empty())
            .map(|(read, line)| {
                let (text, lattices) = read.lattices();
                OcrLine {
                    text: text.text,
                    confidence: text.confidence,
                    char_confidences: text.char_confidences,
                    lattices,
                    quad: line.quad,
                    detection_score: line.detection_score,
                }
            })
            .collect())
    }

    /// The lines of `page` (indices) that only the fast first pass read and that it is unsure
    /// of: its weakest character is below [`OcrParams::recheck_below`], and the line is not
    /// English prose (a sub-label). None without a fast recognizer.
    pub fn unsure_lines(&self, page: &OcrPage) -> Vec<usize> {
        (0..page.lines.len())
            .filter(|&i| {
                let line = &page.lines[i];
                line.lattices.len() == 1
                    && self
                        .reader
                        .is_unsure_text(&line.text, &line.char_confidences)
            })
            .collect()
    }

    /// Whether a fast first pass's reading of `text`, with these character confidences, is one
    /// the accurate recognizer should check (see [`OcrEngine::unsure_lines`]).
    pub fn is_unsure_text(&self, text: &str, char_confidences: &[f32]) -> bool {
        self.reader.is_unsure_text(text, char_confidences)
    }

    /// Reads the lines `which` of `page` (read from `image`) again with the accurate
    /// recognizer: each takes the new reading, and keeps the first pass's lattice beside it.
    /// Lines the accurate recognizer already read are left alone, and so is everything
    /// without a fast recognizer. A line now read as nothing is dropped (indices change).
    pub fn read_again(
        &mut self,
        image: &RgbImage,
        page: &mut OcrPage,
        which: &[usize],
    ) -> Result<()> {
        let which: Vec<usize> = which
            .iter()
            .copied()
            .filter(|&i| page.lines.get(i).is_some_and(|l| l.lattices.len() == 1))
            .collect();
        if self.reader.fast.is_none() || which.is_empty() {
            return Ok(());
        }
        self.before_model_run()?;
        let started = Instant::now();
        let crops: Vec<RgbImage> = which
            .iter()
            .map(|&i| crop_line(image, &page.lines[i].quad))
            .collect();
        let texts = self
            .reader
            .read_accurately(&crops.iter().collect::<Vec<_>>())?;
        for (&i, mut text) in which.iter().zip(texts) {
            let line = &mut page.lines[i];
            let first = std::mem::take(&mut line.lattices);
            line.lattices = vec![std::mem::take(&mut text.lattice)];
            line.lattices.extend(first);
            line.text = text.text;
            line.confidence = text.confidence;
            line.char_confidences = text.char_confidences;
        }
        // As in the first pass, a line read as nothing is no line.
        page.lines.retain(|line| !line.text.trim().is_empty());
        let spent = started.elapsed();
        self.work.lines_read_twice += which.len() as u32;
        self.work.recognize += spent;
        page.timings.recognize += spent;
        Ok(())
    }
}

impl OcrEngine {
    /// The work done since the last call (or since the engine was made), and a fresh count.
    pub fn take_work(&mut self) -> EngineWork {
        std::mem::take(&mut self.work)
    }

    /// Reads the text under `quad` of `image` as one line, without detection: for a strip whose
    /// place on the card is known but whose text the detector missed or broke up (the widely
    /// spaced barcode digits). `quad`'s corners are in reading order.
    pub fn read_strip(&mut self, image: &RgbImage, quad: &Quad) -> Result<StripReading> {
        let text = self
            .read_strips(image, std::slice::from_ref(quad))?
            .into_iter()
            .next();
        Ok(text.unwrap_or_default())
    }

    /// [`OcrEngine::read_strip`] for several strips at once (batched through the recognizer):
    /// a reading per quad, in the order given.
    pub fn read_strips(&mut self, image: &RgbImage, quads: &[Quad]) -> Result<Vec<StripReading>> {
        self.read_strips_as(image, quads, true)
    }

    /// [`OcrEngine::read_strips`] with the fast first-pass recognizer alone (the accurate one
    /// without it), a strip read as nothing left so: for strips read as a precaution, where
    /// nothing says the value is wrong (or that anything is printed there).
    pub fn read_strips_first_pass(
        &mut self,
        image: &RgbImage,
        quads: &[Quad],
    ) -> Result<Vec<StripReading>> {
        self.read_strips_as(image, quads, false)
    }

    fn read_strips_as(
        &mut self,
        image: &RgbImage,
        quads: &[Quad],
        read_unsure_again: bool,
    ) -> Result<Vec<StripReading>> {
        self.before_model_run()?;
        let started = Instant::now();
        let crops: Vec<RgbImage> = quads.iter().map(|q| crop_line(image, q)).collect();
        let texts = if read_unsure_again {
            self.reader.read(&crops)?
        } else {
            self.reader.read_fast(&crops)?
        };
        self.work.strips += texts.len() as u32;
        self.work.add_lines(&texts, started.elapsed());
        Ok(texts
            .into_iter()
            .map(|read| {
                let (t, lattices) = read.lattices();
                StripReading {
                    text: t.text,
                    char_confidences: t.char_confidences,
                    lattices,
                }
            })
            .collect())
    }
}

impl std::fmt::Debug for OcrEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcrEngine")
            .field("detector", &self.detector)
            .field("fast_first_pass", &self.reader.fast.is_some())
            .finish_non_exhaustive()
    }
}

/// `lines` split into those at the indices `which` and the rest, each in the order given.
fn take_out(lines: Vec<UnreadLine>, which: &[usize]) -> (Vec<UnreadLine>, Vec<UnreadLine>) {
    let (taken, rest): (Vec<_>, Vec<_>) = lines
        .into_iter()
        .enumerate()
        .partition(|(i, _)| which.contains(i));
    let strip = |v: Vec<(usize, UnreadLine)>| v.into_iter().map(|(_, line)| line).collect();
    (strip(taken), strip(rest))
}
