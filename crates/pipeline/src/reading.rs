//! Reading line crops: several sessions of one recognizer side by side, and an optional fast
//! first pass whose unsure lines are read again by the accurate recognizer.

use image::RgbImage;
use vlocr_ctc::Lattice;
use vlocr_field_layout::is_english_prose;
use vlocr_inference::Model;
use vlocr_text_recognizer::{Charset, RecognizedText, RecognizerParams, TextRecognizer};

use crate::{PipelineError, Result};

/// Sessions of one recognizer that split a set of lines between them and run at the same time.
pub(crate) struct ParallelRecognizer {
    /// At least one.
    sessions: Vec<TextRecognizer<Box<dyn Model>>>,
}

impl ParallelRecognizer {
    pub(crate) fn new(
        models: Vec<Box<dyn Model>>,
        charset: &Charset,
        params: RecognizerParams,
    ) -> Result<Self> {
        if models.is_empty() {
            return Err(PipelineError::NoRecognizer);
        }
        let sessions = models
            .into_iter()
            .map(|model| TextRecognizer::new(model, charset.clone(), params))
            .collect();
        Ok(Self { sessions })
    }

    /// Reads `crops`, split between the sessions so that each gets about the same total line
    /// length (the cost of a line grows with its width at the model's height).
    pub(crate) fn recognize(&mut self, crops: &[&RgbImage]) -> Result<Vec<RecognizedText>> {
        let workers = self.sessions.len().min(crops.len());
        if workers <= 1 {
            return Ok(self.sessions[0].recognize(crops)?);
        }
        let cost = |crop: &RgbImage| crop.width() * 48 / crop.height().max(1);
        let mut order: Vec<usize> = (0..crops.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(cost(crops[i])));
        let mut shares: Vec<(u32, Vec<&RgbImage>, Vec<usize>)> =
            vec![(0, Vec::new(), Vec::new()); workers];
        for i in order {
            let share = shares
                .iter_mut()
                .min_by_key(|s| s.0)
                .expect("at least two workers. This is a bug");
            share.0 += cost(crops[i]);
            share.1.push(crops[i]);
            share.2.push(i);
        }
        let outcomes: Vec<_> = std::thread::scope(|scope| {
            let running: Vec<_> = self
                .sessions
                .iter_mut()
                .zip(&shares)
                .map(|(session, (_, lines, _))| scope.spawn(move || session.recognize(lines)))
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

/// A line as read: the reading kept, and the lattice of the fast first pass when the accurate
/// recognizer read the line again (evidence of its own, not thrown away).
pub(crate) struct LineRead {
    pub(crate) text: RecognizedText,
    pub(crate) first_pass: Option<Lattice>,
}

impl LineRead {
    /// Every lattice of the line: the reading kept first.
    pub(crate) fn lattices(self) -> (RecognizedText, Vec<Lattice>) {
        let mut text = self.text;
        let mut lattices = vec![std::mem::take(&mut text.lattice)];
        lattices.extend(self.first_pass);
        (text, lattices)
    }
}

/// The accurate recognizer, optionally behind a fast one.
pub(crate) struct LineReader {
    pub(crate) accurate: ParallelRecognizer,
    /// The fast recognizer and the character confidence below which its reading of a line is
    /// checked by the accurate one.
    pub(crate) fast: Option<(ParallelRecognizer, f32)>,
}

impl LineReader {
    /// Reads every crop; the result is in the order of `crops`.
    pub(crate) fn read(&mut self, crops: &[RgbImage]) -> Result<Vec<LineRead>> {
        let all: Vec<&RgbImage> = crops.iter().collect();
        let read = |text| LineRead {
            text,
            first_pass: None,
        };
        let Some((fast, recheck_below)) = &mut self.fast else {
            return Ok(self
                .accurate
                .recognize(&all)?
                .into_iter()
                .map(read)
                .collect());
        };
        let texts = fast.recognize(&all)?;
        let unsure: Vec<usize> = texts
            .iter()
            .enumerate()
            .filter(|(_, text)| weakest(text) < *recheck_below && !is_english_prose(&text.text))
            .map(|(i, _)| i)
            .collect();
        let again: Vec<&RgbImage> = unsure.iter().map(|&i| &crops[i]).collect();
        let mut reads: Vec<LineRead> = texts.into_iter().map(read).collect();
        for (i, text) in unsure.into_iter().zip(self.accurate.recognize(&again)?) {
            let first = std::mem::replace(&mut reads[i].text, text);
            reads[i].first_pass = Some(first.lattice);
        }
        Ok(reads)
    }
}

/// The lowest character confidence of a line; 0 for an empty line.
fn weakest(text: &RecognizedText) -> f32 {
    text.char_confidences
        .iter()
        .copied()
        .reduce(f32::min)
        .unwrap_or(0.0)
}
