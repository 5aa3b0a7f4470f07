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
    /// Reads every crop; the result is in the order of `crops`. With a fast first pass, the
    /// lines it is unsure of ([`LineReader::is_unsure`]) are read again by the accurate
    /// recognizer.
    pub(crate) fn read(&mut self, crops: &[RgbImage]) -> Result<Vec<LineRead>> {
        let mut reads = self.read_first_pass(crops)?;
        let unsure: Vec<usize> = (0..reads.len())
            .filter(|&i| self.is_unsure(&reads[i]))
            .collect();
        self.read_again(crops, &mut reads, &unsure)?;
        Ok(reads)
    }

    /// Reads every crop with the fast recognizer (the accurate one without it); a line the
    /// fast one reads as nothing is read by the accurate one at once.
    pub(crate) fn read_first_pass(&mut self, crops: &[RgbImage]) -> Result<Vec<LineRead>> {
        let all: Vec<&RgbImage> = crops.iter().collect();
        let read = |text| LineRead {
            text,
            first_pass: None,
        };
        let Some((fast, _)) = &mut self.fast else {
            return Ok(self
                .accurate
                .recognize(&all)?
                .into_iter()
                .map(read)
                .collect());
        };
        let mut reads: Vec<LineRead> = fast.recognize(&all)?.into_iter().map(read).collect();
        let blank: Vec<usize> = (0..reads.len())
            .filter(|&i| reads[i].text.text.trim().is_empty())
            .collect();
        self.read_again(crops, &mut reads, &blank)?;
        Ok(reads)
    }

    /// Reads every crop with the fast recognizer alone (the accurate one without it), a crop
    /// read as nothing left so: for strips of the card where nothing may be printed.
    pub(crate) fn read_fast(&mut self, crops: &[RgbImage]) -> Result<Vec<LineRead>> {
        let all: Vec<&RgbImage> = crops.iter().collect();
        let recognizer = match &mut self.fast {
            Some((fast, _)) => fast,
            None => &mut self.accurate,
        };
        Ok(recognizer
            .recognize(&all)?
            .into_iter()
            .map(|text| LineRead {
                text,
                first_pass: None,
            })
            .collect())
    }

    /// Whether `read` is a fast first pass the accurate recognizer should check: its weakest
    /// character is below the threshold, or it reads a code's rare letter that looks like a
    /// digit ([`reads_rare_letter_in_code`]); and it is not English prose (the sub-labels,
    /// which carry no value).
    pub(crate) fn is_unsure(&self, read: &LineRead) -> bool {
        read.first_pass.is_none()
            && self.is_unsure_text(&read.text.text, &read.text.char_confidences)
    }

    /// [`LineReader::is_unsure`] for a fast first pass's `text` and character confidences.
    pub(crate) fn is_unsure_text(&self, text: &str, char_confidences: &[f32]) -> bool {
        match &self.fast {
            Some((_, recheck_below)) => {
                (weakest(char_confidences) < *recheck_below || reads_rare_letter_in_code(text))
                    && !is_english_prose(text)
            }
            None => false,
        }
    }

    /// Reads `crops` with the accurate recognizer.
    pub(crate) fn read_accurately(&mut self, crops: &[&RgbImage]) -> Result<Vec<RecognizedText>> {
        self.accurate.recognize(crops)
    }

    /// Reads the crops `which` of `crops` again with the accurate recognizer; the first
    /// pass's lattice is kept beside the new reading. Does nothing without a fast recognizer.
    pub(crate) fn read_again(
        &mut self,
        crops: &[RgbImage],
        reads: &mut [LineRead],
        which: &[usize],
    ) -> Result<()> {
        if self.fast.is_none() || which.is_empty() {
            return Ok(());
        }
        let again: Vec<&RgbImage> = which.iter().map(|&i| &crops[i]).collect();
        for (&i, text) in which.iter().zip(self.read_accurately(&again)?) {
            let first = std::mem::replace(&mut reads[i].text, text);
            reads[i].first_pass = Some(first.lattice);
        }
        Ok(())
    }
}

/// Whether `text` reads an `O` or a `Q` beside a capital or a digit: in a code (an engine
/// number, a model code, a VIN) these letters are rare and look like `0`, and the fast
/// recognizer takes a `0` for an `O` surely in some typefaces (an electronic license's screen,
/// seed 11802: `T0C38BU2X` read `TOC38BU2X` at 0.99) where the accurate one tells them apart.
fn reads_rare_letter_in_code(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let code_like =
        |c: Option<&char>| c.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    chars.iter().enumerate().any(|(i, c)| {
        matches!(c, 'O' | 'Q')
            && (code_like(i.checked_sub(1).and_then(|j| chars.get(j)))
                || code_like(chars.get(i + 1)))
    })
}

/// The lowest character confidence of a line; 0 for an empty line.
fn weakest(char_confidences: &[f32]) -> f32 {
    char_confidences
        .iter()
        .copied()
        .reduce(f32::min)
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::reads_rare_letter_in_code;

    #[test]
    fn an_o_in_a_code_is_checked_and_an_o_in_a_word_is_not() {
        assert!(reads_rare_letter_in_code("TOC38BU2X"));
        assert!(reads_rare_letter_in_code("宝马牌BMW1239LO"));
        assert!(reads_rare_letter_in_code("发动机号码Q7"));
        assert!(!reads_rare_letter_in_code("T0C38BU2X"));
        assert!(!reads_rare_letter_in_code("Owner"));
        assert!(!reads_rare_letter_in_code("号牌号码京A12345"));
        assert!(!reads_rare_letter_in_code("O"));
    }
}
