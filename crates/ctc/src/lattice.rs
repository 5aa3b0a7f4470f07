//! The lattice of one line: per frame, the blank's probability and the likeliest symbols.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::Alphabet;

/// Symbols kept per frame at the most. Counted on 90 hard photos (seed 10301, every truth
/// value aligned with the line that reads it best): of the 872 value characters the first
/// reading did not read likeliest, 126 were 2nd-12th, 24 were 13th-48th, 1 lower and 721
/// under 0.1% (`scripts/lattice_ranks.py` over `vlocr ocr --lattices` built with 64 kept and
/// a floor of 1e-6). Fields right with 12 -> 24 -> 48 kept, over seeds 10301, 10311, 10331
/// and 10333: 3,604 -> 3,613 -> 3,611; over seeds 10321-10324, drawn afterwards, 12 -> 24:
/// 5,498 -> 5,499 of 5,722.
pub const MAX_SYMBOLS: usize = 24;

/// Symbols less likely than this at a frame are not kept: together they never make a reading.
pub const MIN_PROBABILITY: f32 = 1e-4;

/// The probability taken for a symbol that a frame does not list (it had less than
/// [`MIN_PROBABILITY`], or was not among the [`MAX_SYMBOLS`] likeliest).
pub const UNLISTED: f32 = 1e-5;

/// One time step of a line: the blank's probability and the likeliest symbols, likeliest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Frame {
    /// The probability of the CTC blank (no new character at this step).
    #[serde(rename = "b")]
    pub blank: f32,
    /// Symbols with their probabilities, likeliest first.
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<(char, f32)>,
}

impl Frame {
    /// The probability of `c` at this frame ([`UNLISTED`] when not listed).
    pub fn probability(&self, c: char) -> f32 {
        self.symbols
            .iter()
            .find(|(s, _)| *s == c)
            .map_or(UNLISTED, |&(_, p)| p)
    }

    /// The likeliest class's probability, the blank's or a symbol's.
    pub fn best_probability(&self) -> f32 {
        self.symbols
            .first()
            .map_or(self.blank, |s| s.1.max(self.blank))
    }

    /// The symbol the plain reading takes at this frame: the likeliest, when likelier than the
    /// blank (a tie goes to the blank, as an argmax over the classes in their order does).
    pub fn best_symbol(&self) -> Option<(char, f32)> {
        self.symbols.first().copied().filter(|s| s.1 > self.blank)
    }
}

/// What a CTC recognizer saw in one line, pruned to the likeliest symbols of each frame.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Lattice {
    frames: Vec<Frame>,
    /// The characters its recognizer can write; `None`: any (a lattice read back from JSON).
    #[serde(skip)]
    alphabet: Option<Alphabet>,
}

/// A character of the plain (greedy) reading and the frames it was read at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathChar {
    /// The character.
    pub c: char,
    /// First frame of its run.
    pub first: usize,
    /// Last frame of its run.
    pub last: usize,
    /// The frame of the run where it was likeliest.
    pub best: usize,
    /// Its probability at that frame.
    pub probability: f32,
}

/// The plain reading of a lattice: at each frame the likeliest class, repeats merged and blanks
/// dropped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GreedyPath {
    /// The characters read, in order.
    pub chars: Vec<PathChar>,
    /// Frames in the lattice.
    pub frames: usize,
}

impl GreedyPath {
    /// The text read.
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.c).collect()
    }

    /// The frames that belong to characters `chars` (a range of character indices): from
    /// halfway between the run before them and their first run, to halfway between their last
    /// run and the one after. Consecutive ranges get consecutive frames; the first character's
    /// range starts at frame 0 and the last one's ends at the last frame.
    pub fn frames_of(&self, chars: Range<usize>) -> Range<usize> {
        let n = self.chars.len();
        let split = |i: usize| -> usize {
            if i == 0 {
                0
            } else if i >= n {
                self.frames
            } else {
                (self.chars[i - 1].last + self.chars[i].first) / 2 + 1
            }
        };
        let start = split(chars.start.min(n));
        let end = split(chars.end.min(n)).max(start);
        start..end
    }
}

/// `ln(e^a + e^b)`, with `-inf` for nothing.
pub(crate) fn log_add(a: f32, b: f32) -> f32 {
    if a == f32::NEG_INFINITY {
        return b;
    }
    if b == f32::NEG_INFINITY {
        return a;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// The probability of the character `frame` reads (its likeliest symbol, where likelier than
/// the blank), [`UNLISTED`] where it reads none: what a character the recognizer cannot write
/// counts there ([`Alphabet`]).
fn read_probability(frame: &Frame) -> f32 {
    frame.best_symbol().map_or(UNLISTED, |s| s.1.max(UNLISTED))
}

impl Lattice {
    /// A lattice of `frames`.
    pub fn new(frames: Vec<Frame>) -> Lattice {
        Lattice {
            frames,
            alphabet: None,
        }
    }

    /// The lattice, its recognizer able to write only the characters of `alphabet`: weighed
    /// under it, a text's character outside the alphabet counts, at each frame, what the
    /// character the frame reads counts ([`Alphabet`]).
    pub fn with_alphabet(mut self, alphabet: Alphabet) -> Lattice {
        self.alphabet = Some(alphabet);
        self
    }

    /// Whether its recognizer can write `c` (any character, when its alphabet is not known).
    pub fn writes(&self, c: char) -> bool {
        self.alphabet.as_ref().is_none_or(|a| a.contains(c))
    }

    /// The probability of `c` at `frame`: its own; for a character the recognizer cannot
    /// write, that of the character the frame reads (its likeliest symbol, where likelier than
    /// the blank; [`UNLISTED`] elsewhere).
    fn probability_at(&self, frame: &Frame, c: char) -> f32 {
        if self.writes(c) {
            frame.probability(c)
        } else {
            read_probability(frame)
        }
    }

    /// A lattice from a recognizer's per-frame class probabilities (class 0 the blank), keeping
    /// at each frame the [`MAX_SYMBOLS`] likeliest symbols of at least [`MIN_PROBABILITY`].
    /// `symbol` names a class's character; classes it names none (multi-character symbols)
    /// are not kept.
    pub fn from_probabilities<'a>(
        rows: impl IntoIterator<Item = &'a [f32]>,
        symbol: impl Fn(usize) -> Option<char>,
    ) -> Lattice {
        let frames = rows
            .into_iter()
            .map(|row| {
                let blank = row.first().copied().unwrap_or(0.0);
                let mut top: Vec<(usize, f32)> = Vec::with_capacity(MAX_SYMBOLS + 1);
                // When the blank takes all but MIN_PROBABILITY, no symbol can be kept.
                if blank < 1.0 - MIN_PROBABILITY {
                    let mut threshold = MIN_PROBABILITY;
                    for (class, &p) in row.iter().enumerate().skip(1) {
                        if p < threshold {
                            continue;
                        }
                        let at = top.partition_point(|&(_, q)| q >= p);
                        top.insert(at, (class, p));
                        if top.len() > MAX_SYMBOLS {
                            top.pop();
                        }
                        if top.len() == MAX_SYMBOLS {
                            threshold = threshold.max(top[MAX_SYMBOLS - 1].1);
                        }
                    }
                }
                Frame {
                    blank,
                    symbols: top
                        .into_iter()
                        .filter_map(|(class, p)| Some((symbol(class)?, p)))
                        .collect(),
                }
            })
            .collect();
        Lattice::new(frames)
    }

    /// The frames, in reading order.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The number of frames.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether the lattice has no frames.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Frames `range` as a lattice of their own (clipped to the frames there are).
    pub fn slice(&self, range: Range<usize>) -> Lattice {
        let end = range.end.min(self.frames.len());
        let start = range.start.min(end);
        Lattice {
            frames: self.frames[start..end].to_vec(),
            alphabet: self.alphabet.clone(),
        }
    }

    /// `parts` one after the other, with a sure blank between two parts so that a character
    /// ending one and the same character starting the next stay two.
    /// The alphabet is the first part's that knows one.
    pub fn concat<'a>(parts: impl IntoIterator<Item = &'a Lattice>) -> Lattice {
        let mut frames: Vec<Frame> = Vec::new();
        let mut alphabet = None;
        for part in parts {
            if alphabet.is_none() {
                alphabet.clone_from(&part.alphabet);
            }
            if part.is_empty() {
                continue;
            }
            if !frames.is_empty() {
                frames.push(Frame {
                    blank: 1.0,
                    symbols: Vec::new(),
                });
            }
            frames.extend(part.frames.iter().cloned());
        }
        Lattice { frames, alphabet }
    }

    /// The lattice with every symbol mapped by `fold`: symbols mapped to the same character
    /// add up, and a symbol mapped to `None` adds to the blank (a mark that is no part of a
    /// field's text, such as a space inside a plate).
    pub fn folded(&self, fold: impl Fn(char) -> Option<char>) -> Lattice {
        let frames = self
            .frames
            .iter()
            .map(|frame| {
                let mut blank = frame.blank;
                let mut symbols: Vec<(char, f32)> = Vec::with_capacity(frame.symbols.len());
                for &(c, p) in &frame.symbols {
                    match fold(c) {
                        None => blank += p,
                        Some(f) => match symbols.iter_mut().find(|(s, _)| *s == f) {
                            Some(entry) => entry.1 += p,
                            None => symbols.push((f, p)),
                        },
                    }
                }
                symbols.sort_by(|a, b| b.1.total_cmp(&a.1));
                Frame {
                    blank: blank.min(1.0),
                    symbols,
                }
            })
            .collect();
        Lattice {
            frames,
            alphabet: self.alphabet.clone(),
        }
    }

    /// The lattice with `symbol` counting `factor` times its probability at every frame whose
    /// likeliest symbol (the blank aside) is one of `mistaken_for`, each such frame
    /// renormalized (its blank and other symbols scaled down alike): for a glyph the recognizer
    /// knows too little and takes for others while still giving it some belief (a slashed zero
    /// read as `8` at 0.9, `0` at 0.09). Frames that read anything else, `symbol` itself
    /// included, stay as they are. Changes the frames in place.
    pub fn favouring(mut self, symbol: char, factor: f32, mistaken_for: &[char]) -> Lattice {
        for frame in &mut self.frames {
            // The likeliest symbol, however likely the blank.
            let mistaken = frame
                .symbols
                .first()
                .is_some_and(|(c, _)| mistaken_for.contains(c));
            let listed = frame.symbols.iter().find(|(c, _)| *c == symbol);
            let Some(&(_, p)) = listed.filter(|_| mistaken) else {
                continue;
            };
            let total = 1.0 + (factor - 1.0) * p;
            for (c, q) in &mut frame.symbols {
                if *c == symbol {
                    *q *= factor;
                }
                *q /= total;
            }
            frame.blank /= total;
            frame.symbols.sort_by(|a, b| b.1.total_cmp(&a.1));
        }
        self
    }

    /// The lattice with each symbol's look-alikes (`look_alikes(c)`) given `share(p)` of its
    /// probability `p` at every frame it is listed: a channel for glyphs the recognizer is
    /// known to take for each other (a slashed zero read as `8`), so that a grammar may choose
    /// one the recognizer did not list. The symbol keeps its own probability.
    pub fn with_look_alikes<'a>(
        &self,
        look_alikes: impl Fn(char) -> &'a [char],
        share: impl Fn(f32) -> f32,
    ) -> Lattice {
        let frames = self
            .frames
            .iter()
            .map(|frame| {
                let mut symbols = frame.symbols.clone();
                for &(c, p) in &frame.symbols {
                    let given = share(p) * p;
                    for &other in look_alikes(c) {
                        match symbols.iter_mut().find(|(s, _)| *s == other) {
                            Some(entry) => entry.1 += given,
                            None => symbols.push((other, given)),
                        }
                    }
                }
                symbols.sort_by(|a, b| b.1.total_cmp(&a.1));
                Frame {
                    blank: frame.blank,
                    symbols,
                }
            })
            .collect();
        Lattice {
            frames,
            alphabet: self.alphabet.clone(),
        }
    }

    /// The plain reading: at each frame the likeliest class, repeats merged, blanks dropped.
    pub fn greedy(&self) -> GreedyPath {
        let mut chars: Vec<PathChar> = Vec::new();
        let mut previous: Option<char> = None;
        for (t, frame) in self.frames.iter().enumerate() {
            let best = frame.best_symbol();
            match (best, previous) {
                (Some((c, p)), Some(prev)) if c == prev => {
                    let last = chars.last_mut().expect("a run was started. This is a bug");
                    last.last = t;
                    if p > last.probability {
                        last.probability = p;
                        last.best = t;
                    }
                }
                (Some((c, p)), _) => chars.push(PathChar {
                    c,
                    first: t,
                    last: t,
                    best: t,
                    probability: p,
                }),
                (None, _) => {}
            }
            previous = best.map(|(c, _)| c);
        }
        GreedyPath {
            chars,
            frames: self.frames.len(),
        }
    }

    /// The log-probability of the likeliest path: the sum over frames of the likeliest class's
    /// log-probability. No text is likelier under one path.
    pub fn best_log_prob(&self) -> f32 {
        self.frames
            .iter()
            .map(|f| f.best_probability().max(UNLISTED).ln())
            .sum()
    }

    /// The lattice with each of `chars` listed at every frame that does not list it, at
    /// [`UNLISTED`] (a character its recognizer cannot write at the probability of the
    /// character the frame reads, [`Alphabet`]): a beam search, which reads only listed
    /// symbols, can then spell a text that the recognizer all but missed, paying the floor for
    /// each character it did not see and the blank for each one it saw that the text leaves
    /// out.
    pub fn listing(&self, chars: &[char]) -> Lattice {
        let frames = self
            .frames
            .iter()
            .map(|seen| {
                let mut frame = seen.clone();
                for &c in chars {
                    if !frame.symbols.iter().any(|&(s, _)| s == c) {
                        frame.symbols.push((c, self.probability_at(seen, c)));
                    }
                }
                frame
            })
            .collect();
        Lattice {
            frames,
            alphabet: self.alphabet.clone(),
        }
    }

    /// The log-probability that the line reads `text`: CTC's sum over every alignment of the
    /// text with the frames (symbols a frame does not list count [`UNLISTED`]). `-inf` when the
    /// text has more characters than the line has room for.
    pub fn log_prob(&self, text: &[char]) -> f32 {
        self.forward(text, false)
    }

    /// The log-probability that `text` is read somewhere in the line, the frames before and
    /// after it being whatever they are likeliest to be (each counting its likeliest class):
    /// how well a strip that also holds other text (a label's end, a neighbour) vouches for
    /// `text`. Compare with [`Lattice::best_log_prob`].
    pub fn log_prob_within(&self, text: &[char]) -> f32 {
        self.forward(text, true)
    }

    /// [`Lattice::log_prob_within`], where each character the plain reading shows that `text`
    /// does not read (the frame starting it read as a blank, or as outside the text) costs
    /// `unexplained` nats more. Under CTC, leaving out a character seen costs only the blank's
    /// small probability at its frames, much less than reading one the recognizer did not list:
    /// words of a closed vocabulary compared so favour the shortest (`营运` in `出种将运`,
    /// which leaves three characters out, over `出租客运`, two read otherwise). With a cost for
    /// what it leaves out, a word of the reading's length with characters misread wins.
    pub fn log_prob_explaining(&self, text: &[char], unexplained: f32) -> f32 {
        let mut previous = None;
        let starts: Vec<bool> = self
            .frames
            .iter()
            .map(|f| {
                let best = f.best_symbol().map(|(c, _)| c);
                let starts = best.is_some() && best != previous;
                previous = best;
                starts
            })
            .collect();
        let cost = |t: usize| if starts[t] { unexplained } else { 0.0 };
        let garbage: Vec<f32> = self
            .frames
            .iter()
            .enumerate()
            .map(|(t, f)| f.best_probability().max(UNLISTED).ln() - cost(t))
            .collect();
        let blank: Vec<f32> = (0..self.frames.len()).map(|t| -cost(t)).collect();
        self.forward_over(text, true, &garbage, &blank)
    }

    /// CTC's forward pass over `text` with blanks between its characters; with `free_ends`,
    /// frames before the text's first character and after its last one count their likeliest
    /// class.
    fn forward(&self, text: &[char], free_ends: bool) -> f32 {
        let garbage: Vec<f32> = self
            .frames
            .iter()
            .map(|f| f.best_probability().max(UNLISTED).ln())
            .collect();
        self.forward_over(text, free_ends, &garbage, &vec![0.0; self.frames.len()])
    }

    /// [`Lattice::forward`], with free ends counting `garbage` at each frame, and `blank` added
    /// to the blank's log-probability at each frame.
    fn forward_over(&self, text: &[char], free_ends: bool, garbage: &[f32], blank: &[f32]) -> f32 {
        let states = 2 * text.len() + 1;
        // The symbol of each state: blank (None) at even states, the text's characters at odd.
        let symbol = |s: usize| (s % 2 == 1).then(|| text[s / 2]);
        // Whether the recognizer writes each of the text's characters, looked up once.
        let writes: Vec<bool> = text.iter().map(|&c| self.writes(c)).collect();
        let log_of = |t: usize, frame: &Frame, s: usize| match symbol(s) {
            None => frame.blank.max(UNLISTED).ln() + blank[t],
            Some(c) if writes[s / 2] => frame.probability(c).ln(),
            Some(_) => read_probability(frame).ln(),
        };
        let mut suffix = vec![0.0f32; self.frames.len() + 1];
        for t in (0..self.frames.len()).rev() {
            suffix[t] = suffix[t + 1] + garbage[t];
        }
        let finish = |alpha: &[f32]| {
            let last = alpha[states - 1];
            if states >= 2 {
                log_add(last, alpha[states - 2])
            } else {
                last
            }
        };
        if self.frames.is_empty() {
            return if text.is_empty() {
                0.0
            } else {
                f32::NEG_INFINITY
            };
        }
        let mut alpha = vec![f32::NEG_INFINITY; states];
        let mut next = vec![f32::NEG_INFINITY; states];
        let mut prefix = 0.0f32;
        let mut total = f32::NEG_INFINITY;
        for (t, frame) in self.frames.iter().enumerate() {
            for s in 0..states {
                let mut into = alpha[s];
                if s >= 1 {
                    into = log_add(into, alpha[s - 1]);
                }
                if s >= 2 && symbol(s).is_some() && symbol(s) != symbol(s - 2) {
                    into = log_add(into, alpha[s - 2]);
                }
                // The alignment starts at the first frame; with free ends, its first character
                // may start at any frame, after garbage (entering at the blank would count
                // the garbage frames twice).
                if (!free_ends && t == 0 && s <= 1) || (free_ends && s == 1) {
                    into = log_add(into, prefix);
                }
                next[s] = if into == f32::NEG_INFINITY {
                    into
                } else {
                    into + log_of(t, frame, s)
                };
            }
            std::mem::swap(&mut alpha, &mut next);
            prefix += garbage[t];
            if free_ends && states >= 2 {
                // Ends with its last character here; garbage after (not its trailing blank,
                // which the garbage counts already).
                total = log_add(total, alpha[states - 2] + suffix[t + 1]);
            }
        }
        if free_ends {
            // The text may also be empty, all frames garbage.
            if text.is_empty() {
                total = log_add(total, prefix);
            }
            total
        } else {
            finish(&alpha)
        }
    }
}

#[cfg(test)]
mod tests;
