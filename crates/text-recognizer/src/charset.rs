//! The characters a recognition model can emit.

use vlocr_ctc::Alphabet;

/// A recognizer's output classes: class 0 is the CTC blank, classes `1..=n` are the dictionary's
/// characters in order, and an optional final class is the space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charset {
    symbols: Vec<String>,
    has_space: bool,
    /// Its one-character symbols, as the lattices of its readings carry them.
    alphabet: Alphabet,
}

impl Charset {
    /// A charset from a dictionary with one symbol per line (PaddleOCR's `*_dict.txt` format, or
    /// the `character` metadata of a PP-OCR model). `\r` line endings are stripped and empty
    /// lines skipped. `has_space` adds the space class after the dictionary.
    pub fn from_dictionary(text: &str, has_space: bool) -> Charset {
        let symbols = text
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect::<Vec<String>>();
        let alphabet = Alphabet::new(
            symbols
                .iter()
                .filter_map(|s| single_char(s))
                .chain(has_space.then_some(' ')),
        );
        Charset {
            symbols,
            has_space,
            alphabet,
        }
    }

    /// The characters it can write (its one-character symbols).
    pub fn alphabet(&self) -> &Alphabet {
        &self.alphabet
    }

    /// The number of model output classes this charset describes (blank and space included).
    pub fn class_count(&self) -> usize {
        1 + self.symbols.len() + usize::from(self.has_space)
    }

    /// Number of dictionary symbols (without blank and space).
    pub fn len(&self) -> usize {
        self.symbols.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    /// The text of class `class`; `None` for the blank and for classes out of range.
    pub fn symbol(&self, class: usize) -> Option<&str> {
        match class {
            0 => None,
            c if c <= self.symbols.len() => Some(&self.symbols[c - 1]),
            c if self.has_space && c == self.symbols.len() + 1 => Some(" "),
            _ => None,
        }
    }

    /// Whether a model with `classes` output classes fits this charset.
    pub fn fits(&self, classes: usize) -> bool {
        classes == self.class_count()
    }
}

/// The character `symbol` is, when it is one character.
pub(crate) fn single_char(symbol: &str) -> Option<char> {
    let mut chars = symbol.chars();
    chars.next().filter(|_| chars.next().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_dictionary() {
        let charset = Charset::from_dictionary("a\r\nb\r\n京\r\n", true);
        assert_eq!(charset.len(), 3);
        assert_eq!(charset.class_count(), 5);
        assert_eq!(charset.symbol(0), None);
        assert_eq!(charset.symbol(1), Some("a"));
        assert_eq!(charset.symbol(3), Some("京"));
        assert_eq!(charset.symbol(4), Some(" "));
        assert_eq!(charset.symbol(5), None);
        assert!(charset.fits(5));
    }

    #[test]
    fn the_alphabet_holds_its_one_character_symbols_and_the_space() {
        let charset = Charset::from_dictionary("a\nab\n京\n", true);
        let alphabet = charset.alphabet();
        assert!(alphabet.contains('a') && alphabet.contains('京') && alphabet.contains(' '));
        assert!(!alphabet.contains('b') && !alphabet.contains('燊'));
        assert_eq!(alphabet.len(), 3);
    }
}
