//! Field grammars: a small pattern language with vocabularies, compiled to an automaton.
//!
//! The language, whitespace between its tokens being ignored:
//!
//! | pattern | matches |
//! |---|---|
//! | `京`, `-` | that character (`\` before one of `[](){}<>|?*+.@\` and the space for itself) |
//! | `.` | any character |
//! | `[A-HJ-NP-Z0-9]`, `[^0-9]` | one character of (or not of) the set |
//! | `\d`, `\u`, `\l`, `\h`, `\s` | a digit, a capital, a small letter, a CJK ideograph, a space |
//! | `(a\|b)` | either |
//! | `x?`, `x*`, `x+`, `x{4}`, `x{2,6}` | repeats |
//! | `@brands` | any word of the vocabulary named `brands` ([`Lexicon`]) |
//! | `<x>` | `x`, marked as the value: what [`Pattern::value_of`] cuts out of a text |
//! | `x~1.5` | `x`, each character read in it costing 1.5 nats: a penalised way to read |
//!
//! A text's penalty is the least its characters cost on some way through the pattern; the beam
//! search ranks texts by their log-probability less their penalty ([`crate::Grammar`]).
//!
//! Each vocabulary is compiled as a tree of its words, so that words sharing a start share
//! states: the decoder pays for a vocabulary of thousands of words what it pays for a few.

mod compile;

use std::ops::Range;

/// A vocabulary: one word per line, `#` starting a comment line; a line's first tab-separated
/// column is its word, the others data that belongs to it (a brand's enterprise codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicon {
    name: String,
    rows: Vec<Vec<String>>,
}

impl Lexicon {
    /// Parses `text` as the vocabulary named `name`.
    pub fn parse(name: &str, text: &str) -> Lexicon {
        let rows = text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.split('\t').map(|c| c.trim().to_owned()).collect())
            .collect();
        Lexicon {
            name: name.to_owned(),
            rows,
        }
    }

    /// A vocabulary of `words`.
    pub fn of_words<S: AsRef<str>>(name: &str, words: &[S]) -> Lexicon {
        Lexicon {
            name: name.to_owned(),
            rows: words.iter().map(|w| vec![w.as_ref().to_owned()]).collect(),
        }
    }

    /// Its name, as patterns refer to it (`@name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The words, in the file's order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.rows.iter().map(|r| r[0].as_str())
    }

    /// Each word with the rest of its line's columns.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.rows.iter().map(|r| (r[0].as_str(), &r[1..]))
    }

    /// Whether `word` is one of the words.
    pub fn contains(&self, word: &str) -> bool {
        self.words().any(|w| w == word)
    }
}

/// What can be wrong in a pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    /// A character where none of its kind can stand.
    #[error("unexpected {found:?} at character {at} of the pattern")]
    Unexpected {
        /// Character index in the pattern.
        at: usize,
        /// What was found there.
        found: char,
    },
    /// The pattern ended inside a group, set or repeat.
    #[error("the pattern ends before its {what} is closed")]
    UnexpectedEnd {
        /// What was left open.
        what: &'static str,
    },
    /// `@name` of no vocabulary given.
    #[error("no vocabulary named {name:?}")]
    UnknownLexicon {
        /// The name.
        name: String,
    },
    /// A second `<...>`: a pattern marks one value.
    #[error("a second value mark at character {at}: a pattern marks one value")]
    SecondValue {
        /// Character index in the pattern.
        at: usize,
    },
}

/// A set of characters: ranges, maybe negated.
#[derive(Debug, Clone, PartialEq)]
struct CharSet {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl CharSet {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(a, b)| (a..=b).contains(&c)) != self.negated
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Ast {
    Empty,
    Char(char),
    Set(CharSet),
    Concat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat(Box<Ast>, usize, Option<usize>),
    Lexicon(usize),
    Value(Box<Ast>),
    /// Each character read inside costs this many nats.
    Cost(Box<Ast>, f32),
}

/// What a state does to the value mark when passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mark {
    #[default]
    None,
    Open,
    Close,
}

#[derive(Debug, Clone, Default)]
struct State {
    eps: Vec<u32>,
    /// Edges on one character, sorted by it: the character, the target, the penalty.
    chars: Vec<(char, u32, f32)>,
    sets: Vec<(CharSet, u32, f32)>,
    mark: Mark,
}

/// A compiled pattern: an automaton that a [`crate::beam_search`] reads under.
#[derive(Debug, Clone)]
pub struct Pattern {
    states: Vec<State>,
    start: u32,
    accept: u32,
}

/// Per state of an automaton, the call of [`Pattern::closure`] that last reached it and the
/// least penalty it was reached with then.
#[derive(Default)]
struct ClosureTable {
    stamp: u32,
    entries: Vec<(u32, f32)>,
}

impl ClosureTable {
    /// A stamp no entry holds yet, the table long enough for `states` states.
    fn next_stamp(&mut self, states: usize) -> u32 {
        if self.entries.len() < states {
            self.entries.resize(states, (0, f32::INFINITY));
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.entries.iter_mut().for_each(|e| e.0 = 0);
            self.stamp = 1;
        }
        self.stamp
    }
}

thread_local! {
    static CLOSURE_TABLE: std::cell::RefCell<ClosureTable> = std::cell::RefCell::default();
}

/// Where a text read so far leaves a [`Pattern`]: the automaton's states it may be in (those
/// that read a character, and the accepting one), sorted, each with the least penalty (nats)
/// of a way there.
pub type PatternState = Vec<(u32, f32)>;

impl Pattern {
    /// Compiles `source`, whose `@name`s name vocabularies of `lexicons`.
    pub fn compile(source: &str, lexicons: &[&Lexicon]) -> Result<Pattern, PatternError> {
        let ast = compile::parse(source, lexicons)?;
        let (states, start, accept) = compile::build(&ast, lexicons);
        let mut pattern = Pattern {
            states,
            start,
            accept,
        };
        for state in &mut pattern.states {
            state.chars.sort_by_key(|&(c, _, _)| c);
        }
        Ok(pattern)
    }

    /// The least penalty of `text` on a way through the pattern (0 without penalised atoms);
    /// `None` when it is not in the language.
    pub fn penalty_of(&self, text: &str) -> Option<f32> {
        let mut state = self.closure(vec![(self.start, 0.0)]);
        for c in text.chars() {
            state = self.step(&state, c)?;
        }
        state
            .iter()
            .find(|&&(s, _)| s == self.accept)
            .map(|&(_, p)| p)
    }

    /// Whether `text` is in the language.
    pub fn matches(&self, text: &str) -> bool {
        let mut state = self.closure(vec![(self.start, 0.0)]);
        for c in text.chars() {
            match self.step(&state, c) {
                Some(next) => state = next,
                None => return false,
            }
        }
        state.iter().any(|&(s, _)| s == self.accept)
    }

    /// The value a text of the language holds: the characters (a range of character indices)
    /// read inside the pattern's `<...>`, or the whole text when it marks none; `None` when the
    /// text is not in the language. Where the text may be cut several ways, the way of least
    /// penalty is taken, and among those the shortest value (the one starting last, then ending
    /// first): what surrounds a value in a pattern is what the recognizer reads beside it (a
    /// label's end), and is taken for that when it costs nothing.
    pub fn value_of(&self, text: &str) -> Option<Range<usize>> {
        let chars: Vec<char> = text.chars().collect();
        // Per state, on the best way there: its penalty, where the value opened and closed.
        type Way = (f32, Option<usize>, Option<usize>);
        let better = |new: &Way, old: &Way| {
            if new.0 != old.0 {
                return new.0 < old.0;
            }
            let key = |w: &Way| (w.1, w.2.map(std::cmp::Reverse));
            key(new) > key(old)
        };
        let closure = |seeds: Vec<(u32, Way)>, at: usize| {
            let mut best: std::collections::HashMap<u32, Way> = std::collections::HashMap::new();
            let mut work = seeds;
            while let Some((s, mut way)) = work.pop() {
                match self.states[s as usize].mark {
                    Mark::Open => way.1 = way.1.or(Some(at)),
                    Mark::Close => way.2 = Some(at),
                    Mark::None => {}
                }
                if best.get(&s).is_some_and(|old| !better(&way, old)) {
                    continue;
                }
                best.insert(s, way);
                for &e in &self.states[s as usize].eps {
                    work.push((e, way));
                }
            }
            best
        };
        let mut current = closure(vec![(self.start, (0.0, None, None))], 0);
        for (i, &c) in chars.iter().enumerate() {
            let mut seeds = Vec::new();
            for (&s, &way) in &current {
                for (t, cost) in self.targets(s, c) {
                    seeds.push((t, (way.0 + cost, way.1, way.2)));
                }
            }
            if seeds.is_empty() {
                return None;
            }
            current = closure(seeds, i + 1);
        }
        let (_, open, close) = *current.get(&self.accept)?;
        match (open, close) {
            (Some(a), Some(b)) => Some(a..b),
            _ => Some(0..chars.len()),
        }
    }

    /// The states `c` leads to from `s`, with the penalty of the edge.
    fn targets(&self, s: u32, c: char) -> impl Iterator<Item = (u32, f32)> + '_ {
        let state = &self.states[s as usize];
        let from = state.chars.partition_point(|&(k, _, _)| k < c);
        let exact = state.chars[from..]
            .iter()
            .take_while(move |&&(k, _, _)| k == c)
            .map(|&(_, t, p)| (t, p));
        let sets = state
            .sets
            .iter()
            .filter(move |(set, _, _)| set.contains(c))
            .map(|&(_, t, p)| (t, p));
        exact.chain(sets)
    }

    /// Every state `seeds` lead to without reading, each with its least penalty. The states
    /// reached are few of a vocabulary's thousands: they are tracked in a per-thread table
    /// stamped per call, not in a fresh one as long as the automaton.
    fn closure(&self, seeds: Vec<(u32, f32)>) -> PatternState {
        CLOSURE_TABLE.with(|table| {
            let mut table = table.borrow_mut();
            let stamp = table.next_stamp(self.states.len());
            let mut reached: Vec<u32> = Vec::new();
            let mut work = seeds;
            while let Some((s, penalty)) = work.pop() {
                let entry = &mut table.entries[s as usize];
                if entry.0 == stamp {
                    if penalty >= entry.1 {
                        continue;
                    }
                    entry.1 = penalty;
                } else {
                    *entry = (stamp, penalty);
                    reached.push(s);
                }
                work.extend(self.states[s as usize].eps.iter().map(|&e| (e, penalty)));
            }
            reached.sort_unstable();
            reached
                .into_iter()
                .filter(|&s| {
                    let state = &self.states[s as usize];
                    !state.chars.is_empty() || !state.sets.is_empty() || s == self.accept
                })
                .map(|s| (s, table.entries[s as usize].1))
                .collect()
        })
    }

    fn step(&self, state: &[(u32, f32)], c: char) -> Option<PatternState> {
        let seeds: Vec<(u32, f32)> = state
            .iter()
            .flat_map(|&(s, penalty)| self.targets(s, c).map(move |(t, p)| (t, penalty + p)))
            .collect();
        (!seeds.is_empty()).then(|| self.closure(seeds))
    }
}

impl crate::Grammar for Pattern {
    type State = PatternState;

    fn start(&self) -> PatternState {
        self.closure(vec![(self.start, 0.0)])
    }

    fn advance(&self, state: &PatternState, c: char) -> Option<PatternState> {
        self.step(state, c)
    }

    fn accepts(&self, state: &PatternState) -> bool {
        state.iter().any(|&(s, _)| s == self.accept)
    }

    fn penalty(&self, state: &PatternState) -> f32 {
        state.iter().map(|&(_, p)| p).fold(f32::INFINITY, f32::min)
    }

    fn final_penalty(&self, state: &PatternState) -> f32 {
        state
            .iter()
            .find(|&&(s, _)| s == self.accept)
            .map_or(f32::INFINITY, |&(_, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{beam_search, Frame, Lattice};

    fn compile(source: &str) -> Pattern {
        Pattern::compile(source, &[]).expect("compiles")
    }

    #[test]
    fn plates_and_dates() {
        let plate = compile("[京沪粤] [A-HJ-NP-Z] [A-HJ-NP-Z0-9]{5}");
        assert!(plate.matches("京AA5599"));
        assert!(!plate.matches("京AI5599"));
        assert!(!plate.matches("京A5599"));
        let date = compile(r"(19|20)\d\d - (0[1-9]|1[0-2]) - (0[1-9]|[12]\d|3[01])");
        assert!(date.matches("2013-06-17"));
        assert!(!date.matches("2013-13-17"));
        assert!(!date.matches("2013-06-1"));
        let optional = compile("a? b* c+ d{1,2}");
        for yes in ["cd", "abbbcccdd", "bcd"] {
            assert!(optional.matches(yes), "{yes}");
        }
        for no in ["ad", "aacd", "cddd", ""] {
            assert!(!optional.matches(no), "{no}");
        }
        assert!(compile(r"\h+ \d \s \. [^\d]").matches("京沪7 .x"));
    }

    #[test]
    fn vocabularies_are_trees_of_words() {
        let brands = Lexicon::parse("brands", "# brands\n丰田\tTV\n本田\tHG\n东风本田\tDHW\n\n");
        assert_eq!(
            brands.words().collect::<Vec<_>>(),
            ["丰田", "本田", "东风本田"]
        );
        assert_eq!(brands.rows().nth(1).map(|r| r.1[0].as_str()), Some("HG"));
        let model = Pattern::compile(r"@brands 牌 [A-Z0-9\-]+", &[&brands]).expect("compiles");
        assert!(model.matches("本田牌HG7150"));
        assert!(model.matches("东风本田牌DHW-1"));
        assert!(!model.matches("风本田牌HG7150"));
        assert_eq!(
            Pattern::compile("@nope", &[]).err(),
            Some(PatternError::UnknownLexicon {
                name: "nope".into()
            })
        );
    }

    #[test]
    fn the_value_is_cut_out_of_what_surrounds_it() {
        let pattern = compile(r"(码|号码)? < [A-Z]\d+ > \l*");
        assert_eq!(pattern.value_of("号码A123abc"), Some(2..6));
        assert_eq!(pattern.value_of("A1"), Some(0..2));
        assert_eq!(pattern.value_of("xA1"), None);
        // Without a mark the whole text is the value.
        assert_eq!(compile(r"\d+").value_of("123"), Some(0..3));
        // Cut several ways: the shortest value.
        assert_eq!(compile(r"a* < a+ >").value_of("aaa"), Some(2..3));
        assert_eq!(
            compile(r"(人|有人)? < \h+ > D?").value_of("有人王京"),
            Some(2..4)
        );
    }

    #[test]
    fn penalised_ways_cost_per_character() {
        use crate::Grammar;
        let pattern = compile("<[A-Z]+> [A-Z]*~1.5");
        let read = |text: &str| {
            let mut state = pattern.start();
            for c in text.chars() {
                state = pattern.advance(&state, c).expect("in the language");
            }
            pattern.final_penalty(&state)
        };
        // Read as the value costs nothing; the penalised way is never needed.
        assert_eq!(read("ABC"), 0.0);
        assert_eq!(pattern.value_of("ABC"), Some(0..3));
        let junk = compile("<\\d+> [A-Z]*~1.5");
        let mut state = junk.start();
        for c in "12AB".chars() {
            state = junk.advance(&state, c).expect("in the language");
        }
        assert!((junk.final_penalty(&state) - 3.0).abs() < 1e-6);
        assert!(Pattern::compile("a~", &[]).is_err());
    }

    #[test]
    fn errors_name_the_place() {
        assert!(matches!(
            Pattern::compile("a)", &[]),
            Err(PatternError::Unexpected { at: 1, found: ')' })
        ));
        assert!(matches!(
            Pattern::compile("(a", &[]),
            Err(PatternError::UnexpectedEnd { .. })
        ));
        assert!(matches!(
            Pattern::compile("<a><b>", &[]),
            Err(PatternError::SecondValue { .. })
        ));
    }

    #[test]
    fn a_vocabulary_spells_a_blurred_word() {
        let types = Lexicon::of_words("types", &["重型自卸货车", "中型自卸货车", "轻型自卸货车"]);
        let pattern = Pattern::compile("@types", &[&types]).expect("compiles");
        let sure = |c: char| Frame {
            blank: 0.02,
            symbols: vec![(c, 0.98)],
        };
        let gap = Frame {
            blank: 0.98,
            symbols: Vec::new(),
        };
        let mut frames = vec![
            Frame {
                blank: 0.02,
                symbols: vec![('童', 0.6), ('重', 0.3), ('中', 0.05)],
            },
            gap.clone(),
        ];
        for c in "型自".chars() {
            frames.push(sure(c));
            frames.push(gap.clone());
        }
        frames.push(Frame {
            blank: 0.02,
            symbols: vec![('即', 0.5), ('卸', 0.4)],
        });
        for c in "货车".chars() {
            frames.push(gap.clone());
            frames.push(sure(c));
        }
        let lattice = Lattice::new(frames);
        assert_eq!(lattice.greedy().text(), "童型自即货车");
        assert_eq!(beam_search(&lattice, &pattern, 8)[0].text, "重型自卸货车");
    }
}
