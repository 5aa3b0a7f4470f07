//! Compiling a pattern's text: parsing it to a tree ([`parse`]), then building the automaton's
//! states from the tree ([`build`]).

use super::{Ast, CharSet, Lexicon, Mark, PatternError, State};

/// The tree of the pattern `source`, whose `@name`s name vocabularies of `lexicons`; an error
/// where it is no pattern, or something follows a whole one.
pub(super) fn parse(source: &str, lexicons: &[&Lexicon]) -> Result<Ast, PatternError> {
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
    Ok(ast)
}

/// The automaton of `ast`: its states, the start state and the accepting one.
pub(super) fn build(ast: &Ast, lexicons: &[&Lexicon]) -> (Vec<State>, u32, u32) {
    let mut builder = Builder {
        states: Vec::new(),
        lexicons,
    };
    let (start, accept) = builder.build(ast, 0.0);
    (builder.states, start, accept)
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
        self.take_while(|c| c.is_whitespace());
    }

    /// The characters from here on that `keep` accepts, consumed.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.at;
        while self.chars.get(self.at).is_some_and(|&c| keep(c)) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// A number of the characters `keep` accepts (digits, a point), parsed as `T`; what was
    /// being read (`what`) names it when it is missing.
    fn parsed<T: std::str::FromStr>(
        &mut self,
        keep: impl Fn(char) -> bool,
        what: &'static str,
    ) -> Result<T, PatternError> {
        self.skip_space();
        let digits = self.take_while(keep);
        digits.parse().map_err(|_| match self.chars.get(self.at) {
            Some(&found) => PatternError::Unexpected { at: self.at, found },
            None => PatternError::UnexpectedEnd { what },
        })
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
        self.parsed(|c| c.is_ascii_digit(), "repeat")
    }

    fn decimal(&mut self) -> Result<f32, PatternError> {
        self.parsed(|c| c.is_ascii_digit() || c == '.', "cost")
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
                let name = self.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
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
