//! The text-line engine: detect, orient, recognize.

mod loading;
mod reading_order;

pub use loading::SharedModels;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use image::RgbImage;
use serde::Serialize;
use vlocr_ctc::Lattice;
use vlocr_geometry::{resize_bilinear, rotate_image, Point, Quad, QuarterTurn};
use vlocr_inference::{Model, SessionOptions};
use vlocr_text_detector::preprocess::target_size;
use vlocr_text_detector::{DetectorParams, SideLimit, TextBox, TextDetector};
use vlocr_text_recognizer::{
    crop_line, Charset, ClassifierParams, LineOrientationClassifier, RecognizerParams,
};

use crate::reading::{LineRead, LineReader, ParallelRecognizer};
use crate::{orientation, PipelineError, Result};
use reading_order::sort_reading_order;

/// Text lines that the detector finds of one page whose print it sees whole: a main page has
/// 11 values and 10 labels (some of them read as one line), a back page as many. Turned main
/// pages of seed 11824 (21 of its 100 photos) showed 14-34 lines running down, 25 at the
/// median; where fewer are found, the page is searched again turned a quarter
/// ([`OcrEngine::with_lines_expected`]).
pub const PAGE_LINES: usize = 20;

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
        })
    }

    /// Runs `read` with the detector's search expecting `lines` text lines (a page's
    /// [`PAGE_LINES`] by default; `usize::MAX` to search every page on its side turned as
    /// well): a page on its side whose first search found fewer lines running down the image
    /// is searched again turned a quarter.
    pub fn with_lines_expected<T>(
        &mut self,
        lines: usize,
        read: impl FnOnce(&mut OcrEngine) -> Result<T>,
    ) -> Result<T> {
        let own = std::mem::replace(&mut self.lines_expected, lines);
        let read = read(self);
        self.lines_expected = own;
        read
    }

    /// The next readings may run the detector `runs` times in all (`None`: as often as they
    /// need): a page reading (the first pass over an image or a close-up) is one run, and its
    /// search turned a quarter, where it makes one, another. A page reading begun while runs
    /// are left is made whole; one asked for when none are left finds no lines, so a search
    /// that reads the image again at other scales or from close-ups ends with the readings it
    /// has made (see [`crate::DETECTIONS_PER_REQUEST`]). Set again for each request.
    pub fn set_detection_budget(&mut self, runs: Option<u32>) {
        self.detections_left = runs;
    }

    /// Gives the next request its own budget of [`OcrParams::detections_per_request`] detector
    /// runs ([`OcrEngine::set_detection_budget`]). An engine made has no limit until this is
    /// called, so that a caller reading image after image without it is never cut short.
    pub fn renew_detection_budget(&mut self) {
        self.detections_left = self.detections_per_request;
    }

    /// [`OcrEngine::renew_detection_budget`] where a budget is in force (a request's): for a
    /// search within a request that has runs of its own (each page of an open wallet). A
    /// reading made without a budget stays without.
    pub fn renew_detection_budget_if_limited(&mut self) {
        if self.detections_left.is_some() {
            self.renew_detection_budget();
        }
    }

    /// Takes one detector run from the budget: false, and nothing taken, when `needed` and none
    /// is left; a run not `needed` (part of a reading already begun) is taken while any is.
    fn take_detection(&mut self, needed: bool) -> bool {
        match &mut self.detections_left {
            Some(0) => !needed,
            Some(left) => {
                *left -= 1;
                true
            }
            None => true,
        }
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

    /// Runs `read` with the detector given at least `side` pixels of an image's longer side
    /// (rounded to a multiple of 32), for an image whose text is smaller than a single card's:
    /// the engine's own setting stands where larger, or where it limits the shorter side.
    pub fn with_detector_side<T>(
        &mut self,
        side: u32,
        read: impl FnOnce(&mut OcrEngine) -> Result<T>,
    ) -> Result<T> {
        let own = self.detector.params().side_len;
        self.with_detector_side_exactly(own.max(side), read)
    }

    /// The detector's side: the longer side of its input, in pixels, for a larger image;
    /// `None` when it limits the shorter side instead.
    pub fn detector_side(&self) -> Option<u32> {
        let params = self.detector.params();
        (params.side_limit == SideLimit::Max).then_some(params.side_len)
    }

    /// Runs `read` with the detector given `side` pixels of an image's longer side (rounded to
    /// a multiple of 32), smaller or larger than its own; a detector set to limit the shorter
    /// side keeps its setting.
    pub fn with_detector_side_exactly<T>(
        &mut self,
        side: u32,
        read: impl FnOnce(&mut OcrEngine) -> Result<T>,
    ) -> Result<T> {
        let own = self.detector.params().side_len;
        if self.detector.params().side_limit == SideLimit::Max {
            self.detector.params_mut().side_len = side;
        }
        let read = read(self);
        self.detector.params_mut().side_len = own;
        read
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

    /// The text boxes of `image`. When more of the text found runs down the image than across
    /// it (a page on its side), and fewer lines than the pages sought print
    /// ([`OcrEngine::with_lines_expected`]), the image is also searched turned a quarter, and
    /// the boxes that find more text are kept, in `image`'s coordinates: the detector finds
    /// far less of a small or blurred page's print when its lines stand upright than when they
    /// lie along the rows it was trained on. A page whose lines were found is not searched
    /// again.
    fn detect_along_the_text(&mut self, image: &RgbImage) -> Result<Vec<TextBox>> {
        self.before_model_run()?;
        if !self.take_detection(true) {
            return Ok(Vec::new());
        }
        let boxes = self.detector.detect(image)?;
        let (across, down) = orientation::text_along_axes(&boxes);
        if down <= across || orientation::lines_down(&boxes) >= self.lines_expected {
            return Ok(boxes);
        }
        self.take_detection(false);
        // Turned at the size the detector works at (an image larger than that is not copied
        // whole), then mapped back to `image`'s coordinates.
        let (width, height) = image.dimensions();
        let (w, h) = target_size(width, height, self.detector.params());
        let resized = if (w, h) == (width, height) {
            Cow::Borrowed(image)
        } else {
            Cow::Owned(resize_bilinear(image, w, h))
        };
        let turn = QuarterTurn::Clockwise90;
        let turned = rotate_image(&resized, turn);
        drop(resized);
        let found = self.detector.detect(&turned)?;
        self.work.page_reads += 1;
        let (to_x, to_y) = (width as f32 / w as f32, height as f32 / h as f32);
        let found: Vec<TextBox> = found
            .into_iter()
            .map(|b| TextBox {
                quad: Quad::from_unordered(b.quad.points.map(|p| {
                    let upright = turn.map_to_upright(p, h as f32, w as f32);
                    Point::new(upright.x * to_x, upright.y * to_y)
                })),
                score: b.score,
            })
            .collect();
        let (turned_across, turned_down) = orientation::text_along_axes(&found);
        Ok(if turned_across + turned_down > down {
            found
        } else {
            boxes
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
