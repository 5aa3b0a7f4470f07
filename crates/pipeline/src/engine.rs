//! The text-line engine: detect, orient, recognize.

use std::time::{Duration, Instant};

use image::RgbImage;
use serde::Serialize;
use vlocr_geometry::{Quad, QuarterTurn};
use vlocr_inference::{Model, ModelSignature, OnnxModel, Runtime, SessionOptions};
use vlocr_text_detector::{DetectorParams, TextDetector};
use vlocr_text_recognizer::{
    crop_line, Charset, ClassifierParams, LineOrientationClassifier, RecognizedText,
    RecognizerParams, TextRecognizer,
};

use crate::{orientation, ModelFiles, PipelineError, Result};

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
}

impl Default for OcrParams {
    fn default() -> Self {
        let session = SessionOptions::default();
        Self {
            detector: DetectorParams::default(),
            recognizer: RecognizerParams::default(),
            classifier: ClassifierParams::default(),
            recognizer_workers: session.intra_threads,
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
    /// The line's corners in the original image, in reading order (top-left of the text first).
    pub quad: Quad,
    /// The detector's score for the box.
    pub detection_score: f32,
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

/// Everything read from one image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OcrPage {
    /// How the page is turned in the image (clockwise from upright).
    pub turn: QuarterTurn,
    /// The lines in reading order of the upright page.
    pub lines: Vec<OcrLine>,
    /// Per-stage timings.
    pub timings: StageTimings,
}

/// A detector, a recognizer and a line classifier, ready to read images.
pub struct OcrEngine {
    detector: TextDetector<Box<dyn Model>>,
    /// At least one; more read one image's lines side by side.
    recognizers: Vec<TextRecognizer<Box<dyn Model>>>,
    classifier: LineOrientationClassifier<Box<dyn Model>>,
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
}

impl OcrEngine {
    /// An engine over already-loaded models (real ones, or fakes in tests).
    pub fn new(models: OcrModels, params: &OcrParams) -> Result<OcrEngine> {
        if models.recognizers.is_empty() {
            return Err(PipelineError::NoRecognizer);
        }
        let charset = models.charset;
        Ok(OcrEngine {
            detector: TextDetector::new(models.detector, params.detector),
            recognizers: models
                .recognizers
                .into_iter()
                .map(|model| TextRecognizer::new(model, charset.clone(), params.recognizer))
                .collect(),
            classifier: LineOrientationClassifier::new(models.classifier, params.classifier),
        })
    }

    /// Loads every model of `files` on `runtime`.
    pub fn load(runtime: &Runtime, files: &ModelFiles, params: &OcrParams) -> Result<OcrEngine> {
        let image_in = |output_rank| ModelSignature {
            input_name: "x",
            input_rank: 4,
            output_rank,
        };
        let load = |path, name, output_rank, session| {
            OnnxModel::load(runtime, path, name, image_in(output_rank), session)
        };
        let detector = load(&files.detector, "text detector", 4, params.session)?;
        let classifier = load(&files.classifier, "line classifier", 2, params.session)?;
        let workers = params.recognizer_workers.max(1);
        let per_worker = SessionOptions {
            intra_threads: (params.session.intra_threads / workers).max(1),
        };
        let first = load(&files.recognizer, "text recognizer", 3, per_worker)?;
        let charset = load_charset(files, &first)?;
        let mut recognizers: Vec<Box<dyn Model>> = vec![Box::new(first)];
        for _ in 1..workers {
            recognizers.push(Box::new(load(
                &files.recognizer,
                "text recognizer",
                3,
                per_worker,
            )?));
        }
        OcrEngine::new(
            OcrModels {
                detector: Box::new(detector),
                recognizers,
                charset,
                classifier: Box::new(classifier),
            },
            params,
        )
    }

    /// Reads every text line of `image`.
    pub fn read(&mut self, image: &RgbImage) -> Result<OcrPage> {
        let started = Instant::now();
        let boxes = self.detector.detect(image)?;
        let detected = Instant::now();
        let turn = orientation::estimate_turn(image, &boxes, &mut self.classifier)?;
        let oriented = Instant::now();
        let quads: Vec<Quad> = boxes
            .iter()
            .map(|b| orientation::reading_quad(&b.quad, turn))
            .collect();
        let crops: Vec<RgbImage> = quads.iter().map(|q| crop_line(image, q)).collect();
        let texts = self.recognize(&crops)?;
        let mut lines: Vec<OcrLine> = texts
            .into_iter()
            .zip(quads.iter().zip(&boxes))
            .filter(|(text, _)| !text.text.trim().is_empty())
            .map(|(text, (quad, b))| OcrLine {
                text: text.text,
                confidence: text.confidence,
                char_confidences: text.char_confidences,
                quad: *quad,
                detection_score: b.score,
            })
            .collect();
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
        })
    }
}

impl OcrEngine {
    /// Reads `crops`, split between the recognizer sessions so that each gets about the same
    /// total line length.
    fn recognize(&mut self, crops: &[RgbImage]) -> Result<Vec<RecognizedText>> {
        let workers = self.recognizers.len().min(crops.len());
        if workers <= 1 {
            return Ok(self.recognizers[0].recognize(crops)?);
        }
        let mut order: Vec<usize> = (0..crops.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(crops[i].width() * 48 / crops[i].height().max(1)));
        let mut shares: Vec<(u32, Vec<&RgbImage>, Vec<usize>)> =
            vec![(0, Vec::new(), Vec::new()); workers];
        for i in order {
            let share = shares
                .iter_mut()
                .min_by_key(|s| s.0)
                .expect("at least two workers. This is a bug");
            share.0 += crops[i].width() * 48 / crops[i].height().max(1);
            share.1.push(&crops[i]);
            share.2.push(i);
        }
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let running: Vec<_> = self
                .recognizers
                .iter_mut()
                .zip(&shares)
                .map(|(recognizer, (_, lines, _))| scope.spawn(move || recognizer.recognize(lines)))
                .collect();
            running
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        let mut texts: Vec<Option<RecognizedText>> = vec![None; crops.len()];
        for (outcome, (_, _, indices)) in outcomes.into_iter().zip(&shares) {
            for (text, &i) in outcome?.into_iter().zip(indices) {
                texts[i] = Some(text);
            }
        }
        Ok(texts
            .into_iter()
            .map(|t| t.expect("every crop has one worker. This is a bug"))
            .collect())
    }
}

impl std::fmt::Debug for OcrEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcrEngine")
            .field("detector", &self.detector)
            .field("recognizers", &self.recognizers)
            .finish_non_exhaustive()
    }
}

fn load_charset(files: &ModelFiles, recognizer: &OnnxModel) -> Result<Charset> {
    if files.dictionary.is_file() {
        let text = std::fs::read_to_string(&files.dictionary).map_err(|source| {
            PipelineError::CharsetRead {
                path: files.dictionary.clone(),
                source,
            }
        })?;
        return Ok(Charset::from_dictionary(&text, true));
    }
    match recognizer.metadata("character") {
        Some(text) => Ok(Charset::from_dictionary(&text, true)),
        None => Err(PipelineError::CharsetMissing {
            model: files.recognizer.clone(),
            dictionary: files.dictionary.clone(),
        }),
    }
}

/// Sorts lines top to bottom, then left to right, in the frame of the upright page. A line
/// whose centre is within half a line height of the first line of the current row joins that
/// row. (Grouping first keeps the sort's comparison a total order.)
fn sort_reading_order(lines: &mut Vec<OcrLine>, turn: QuarterTurn, (w, h): (u32, u32)) {
    let upright = |q: &Quad| turn.map_to_upright(q.center(), w as f32, h as f32);
    let mut keyed: Vec<(f32, f32, OcrLine)> = lines
        .drain(..)
        .map(|line| {
            let p = upright(&line.quad);
            (p.y, p.x, line)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut row_start = 0;
    let mut rows: Vec<usize> = Vec::with_capacity(keyed.len());
    for i in 0..keyed.len() {
        let tolerance = keyed[row_start]
            .2
            .quad
            .height()
            .min(keyed[i].2.quad.height())
            / 2.0;
        if keyed[i].0 - keyed[row_start].0 > tolerance {
            row_start = i;
        }
        rows.push(row_start);
    }
    let mut indexed: Vec<(usize, (f32, f32, OcrLine))> = rows.into_iter().zip(keyed).collect();
    indexed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1 .1.total_cmp(&b.1 .1)));
    lines.extend(indexed.into_iter().map(|(_, (_, _, line))| line));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x: f32, y: f32) -> OcrLine {
        OcrLine {
            text: text.into(),
            confidence: 1.0,
            char_confidences: vec![],
            quad: Quad::from_rect(x, y, x + 50.0, y + 10.0),
            detection_score: 1.0,
        }
    }

    #[test]
    fn reading_order_groups_rows() {
        let mut lines = vec![
            line("c", 0.0, 40.0),
            line("b", 100.0, 2.0),
            line("a", 0.0, 0.0),
        ];
        sort_reading_order(&mut lines, QuarterTurn::None, (200, 100));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c"]);
        // The same page turned upside down reads in the reverse image order.
        let mut lines = vec![line("a", 0.0, 0.0), line("c", 100.0, 60.0)];
        sort_reading_order(&mut lines, QuarterTurn::Half, (200, 100));
        assert_eq!(lines[0].text, "c");
    }
}
