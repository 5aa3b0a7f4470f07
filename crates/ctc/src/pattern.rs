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

/// Where a text read so far leaves a [`Pattern`]: the automaton's states it may be in (those
/// that read a character, and the accepting one), sorted, each with the least penalty (nats)
/// of a way there.
pub type PatternState = Vec<(u32, f32)>;

impl Pattern {
    /// Compiles `source`, whose `@name`s name vocabularies of `lexicons`.
    pub fn compile(source: &str, lexicons: &[&Lexicon]) -> Result<Pattern, PatternError> {
        let mut parser = Parser {
            chars: source.chars().collect(),
            at: 0,
            lexicons,
            values: 0,
        };
        let ast = parser.alternation()?;
        parser.skip_space();
        if let Some(&found) = parser.chars.get(parser.at) {
            return Err(PatternError::Unexpected {
                at: parser.at,
                found,
            });
        }
        let mut builder = Builder {
            states: Vec::new(),
            lexicons,
        };
        let (start, accept) = builder.build(&ast, 0.0);
        let mut pattern = Pattern {
            states: builder.states,
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

    /// Every state `seeds` lead to without reading, each with its least penalty.
    fn closure(&self, seeds: Vec<(u32, f32)>) -> PatternState {
        let mut best = vec![f32::INFINITY; self.states.len()];
        let mut work = seeds;
        while let Some((s, penalty)) = work.pop() {
            if penalty >= best[s as usize] {
                continue;
            }
            best[s as usize] = penalty;
            work.extend(self.states[s as usize].eps.iter().map(|&e| (e, penalty)));
        }
        best.iter()
            .enumerate()
            .filter(|&(s, p)| {
                let state = &self.states[s];
                p.is_finite()
                    && (!state.chars.is_empty()
                        || !state.sets.is_empty()
                        || s == self.accept as usize)
            })
            .map(|(s, &p)| (s as u32, p))
            .collect()
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

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    lexicons: &'a [&'a Lexicon],
    values: usize,
}

/// Characters with a meaning of their own in a pattern.
const SPECIAL: &str = "[](){}<>|?*+.@~\\";

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.chars.get(self.at).copied()
    }

    fn alternation(&mut self) -> Result<Ast, PatternError> {
        let mut options = vec![self.concatenation()?];
        while self.peek() == Some('|') {
            self.at += 1;
            options.push(self.concatenation()?);
        }
        Ok(if options.len() == 1 {
            options.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Alt(options)
        })
    }

    fn concatenation(&mut self) -> Result<Ast, PatternError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if matches!(c, ')' | '|' | '>') {
                break;
            }
            items.push(self.repeat()?);
        }
        Ok(match items.len() {
            0 => Ast::Empty,
            1 => items.pop().unwrap_or(Ast::Empty),
            _ => Ast::Concat(items),
        })
    }

    fn repeat(&mut self) -> Result<Ast, PatternError> {
        let mut atom = self.atom()?;
        loop {
            if self.peek() == Some('~') {
                self.at += 1;
                let cost = self.decimal()?;
                atom = Ast::Cost(Box::new(atom), cost);
                continue;
            }
            let (min, max) = match self.peek() {
                Some('?') => (0, Some(1)),
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('{') => {
                    self.at += 1;
                    let min = self.number()?;
                    let max = if self.peek() == Some(',') {
                        self.at += 1;
                        Some(self.number()?)
                    } else {
                        Some(min)
                    };
                    self.expect('}', "repeat")?;
                    atom = Ast::Repeat(Box::new(atom), min, max);
                    continue;
                }
                _ => return Ok(atom),
            };
            self.at += 1;
            atom = Ast::Repeat(Box::new(atom), min, max);
        }
    }

    fn number(&mut self) -> Result<usize, PatternError> {
        self.skip_space();
        let start = self.at;
        while self.chars.get(self.at).is_some_and(char::is_ascii_digit) {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        digits.parse().map_err(|_| match self.chars.get(self.at) {
            Some(&found) => PatternError::Unexpected { at: self.at, found },
            None => PatternError::UnexpectedEnd { what: "repeat" },
        })
    }

    fn decimal(&mut self) -> Result<f32, PatternError> {
        self.skip_space();
        let start = self.at;
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_ascii_digit() || *c == '.')
        {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        digits.parse().map_err(|_| match self.chars.get(self.at) {
            Some(&found) => PatternError::Unexpected { at: self.at, found },
            None => PatternError::UnexpectedEnd { what: "cost" },
        })
    }

    fn expect(&mut self, wanted: char, what: &'static str) -> Result<(), PatternError> {
        match self.peek() {
            Some(c) if c == wanted => {
                self.at += 1;
                Ok(())
            }
            Some(found) => Err(PatternError::Unexpected { at: self.at, found }),
            None => Err(PatternError::UnexpectedEnd { what }),
        }
    }

    fn atom(&mut self) -> Result<Ast, PatternError> {
        let Some(c) = self.peek() else {
            return Err(PatternError::UnexpectedEnd { what: "pattern" });
        };
        let at = self.at;
        self.at += 1;
        match c {
            '(' => {
                let inner = self.alternation()?;
                self.expect(')', "group")?;
                Ok(inner)
            }
            '<' => {
                self.values += 1;
                if self.values > 1 {
                    return Err(PatternError::SecondValue { at });
                }
                let inner = self.alternation()?;
                self.expect('>', "value mark")?;
                Ok(Ast::Value(Box::new(inner)))
            }
            '[' => self.set(),
            '.' => Ok(Ast::Set(CharSet {
                ranges: Vec::new(),
                negated: true,
            })),
            '\\' => self.escape().map(|e| match e {
                Escaped::Char(c) => Ast::Char(c),
                Escaped::Set(set) => Ast::Set(set),
            }),
            '@' => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    self.at += 1;
                }
                let name: String = self.chars[start..self.at].iter().collect();
                self.lexicons
                    .iter()
                    .position(|l| l.name == name)
                    .map(Ast::Lexicon)
                    .ok_or(PatternError::UnknownLexicon { name })
            }
            c if SPECIAL.contains(c) => Err(PatternError::Unexpected { at, found: c }),
            c => Ok(Ast::Char(c)),
        }
    }

    fn escape(&mut self) -> Result<Escaped, PatternError> {
        let Some(&c) = self.chars.get(self.at) else {
            return Err(PatternError::UnexpectedEnd { what: "escape" });
        };
        self.at += 1;
        let set = |ranges: &[(char, char)]| {
            Escaped::Set(CharSet {
                ranges: ranges.to_vec(),
                negated: false,
            })
        };
        Ok(match c {
            'd' => set(&[('0', '9')]),
            'u' => set(&[('A', 'Z')]),
            'l' => set(&[('a', 'z')]),
            'h' => set(&[('\u{4E00}', '\u{9FFF}'), ('\u{3400}', '\u{4DBF}')]),
            's' => Escaped::Char(' '),
            c => Escaped::Char(c),
        })
    }

    fn set(&mut self) -> Result<Ast, PatternError> {
        let mut set = CharSet {
            ranges: Vec::new(),
            negated: false,
        };
        if self.peek() == Some('^') {
            self.at += 1;
            set.negated = true;
        }
        loop {
            let Some(c) = self.peek() else {
                return Err(PatternError::UnexpectedEnd { what: "set" });
            };
            self.at += 1;
            let first = match c {
                ']' => return Ok(Ast::Set(set)),
                '\\' => match self.escape()? {
                    Escaped::Char(c) => c,
                    Escaped::Set(inner) => {
                        set.ranges.extend(inner.ranges);
                        continue;
                    }
                },
                c => c,
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1) != Some(&']') {
                self.at += 1;
                let Some(last) = self.peek() else {
                    return Err(PatternError::UnexpectedEnd { what: "set" });
                };
                self.at += 1;
                set.ranges.push((first, last));
            } else {
                set.ranges.push((first, first));
            }
        }
    }
}

enum Escaped {
    Char(char),
    Set(CharSet),
}

struct Builder<'a> {
    states: Vec<State>,
    lexicons: &'a [&'a Lexicon],
}

impl Builder<'_> {
    fn state(&mut self) -> u32 {
        self.states.push(State::default());
        (self.states.len() - 1) as u32
    }

    fn eps(&mut self, from: u32, to: u32) {
        self.states[from as usize].eps.push(to);
    }

    /// The fragment of `ast`, each character read in it costing `cost`: its entry and exit
    /// states.
    fn build(&mut self, ast: &Ast, cost: f32) -> (u32, u32) {
        match ast {
            Ast::Empty => {
                let s = self.state();
                (s, s)
            }
            Ast::Char(c) => {
                let (s, e) = (self.state(), self.state());
                self.states[s as usize].chars.push((*c, e, cost));
                (s, e)
            }
            Ast::Set(set) => {
                let (s, e) = (self.state(), self.state());
                self.states[s as usize].sets.push((set.clone(), e, cost));
                (s, e)
            }
            Ast::Concat(items) => {
                let (start, mut end) = self.build(&items[0], cost);
                for item in &items[1..] {
                    let (s, e) = self.build(item, cost);
                    self.eps(end, s);
                    end = e;
                }
                (start, end)
            }
            Ast::Alt(options) => {
                let (s, e) = (self.state(), self.state());
                for option in options {
                    let (os, oe) = self.build(option, cost);
                    self.eps(s, os);
                    self.eps(oe, e);
                }
                (s, e)
            }
            Ast::Repeat(inner, min, max) => {
                let start = self.state();
                let mut end = start;
                for _ in 0..*min {
                    let (s, e) = self.build(inner, cost);
                    self.eps(end, s);
                    end = e;
                }
                match max {
                    None => {
                        // Zero or more further: a loop.
                        let (s, e) = self.build(inner, cost);
                        let exit = self.state();
                        self.eps(end, s);
                        self.eps(end, exit);
                        self.eps(e, s);
                        self.eps(e, exit);
                        (start, exit)
                    }
                    Some(max) => {
                        let exit = self.state();
                        self.eps(end, exit);
                        for _ in *min..*max {
                            let (s, e) = self.build(inner, cost);
                            self.eps(end, s);
                            self.eps(e, exit);
                            end = e;
                        }
                        (start, exit)
                    }
                }
            }
            Ast::Lexicon(index) => {
                let (s, e) = (self.state(), self.state());
                let lexicon = self.lexicons[*index];
                let words: Vec<Vec<char>> = lexicon.words().map(|w| w.chars().collect()).collect();
                for word in words {
                    let mut at = s;
                    for c in word {
                        let known = self.states[at as usize]
                            .chars
                            .iter()
                            .find(|(k, _, _)| *k == c)
                            .map(|&(_, t, _)| t);
                        at = match known {
                            Some(t) => t,
                            None => {
                                let t = self.state();
                                self.states[at as usize].chars.push((c, t, cost));
                                t
                            }
                        };
                    }
                    if !self.states[at as usize].eps.contains(&e) {
                        self.eps(at, e);
                    }
                }
                (s, e)
            }
            Ast::Cost(inner, extra) => self.build(inner, cost + extra),
            Ast::Value(inner) => {
                let open = self.state();
                self.states[open as usize].mark = Mark::Open;
                let (s, e) = self.build(inner, cost);
                let close = self.state();
                self.states[close as usize].mark = Mark::Close;
                self.eps(open, s);
                self.eps(e, close);
                (open, close)
            }
        }
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
