//! The characters a recognizer can write: a reading is no evidence against one it cannot.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// The characters a recognizer's charset holds. A recognizer that cannot write a character
/// (the tiny model's 6,904 symbols lack rarer name characters such as `燊`, which the small
/// model's 18,708 hold) reads it as something else, and its lattice lists it nowhere: weighed
/// under that lattice, a text with the character would pay the floor ([`crate::UNLISTED`]) as
/// if the recognizer had seen another character there. Under a lattice that knows its
/// alphabet ([`crate::Lattice::with_alphabet`]), such a character counts, at each frame that
/// reads a character, what that character counts: the reading neither vouches for it nor
/// against it.
#[derive(Clone)]
pub struct Alphabet(Arc<HashSet<char>>);

impl Alphabet {
    /// An alphabet of `chars`.
    pub fn new(chars: impl IntoIterator<Item = char>) -> Alphabet {
        Alphabet(Arc::new(chars.into_iter().collect()))
    }

    /// Whether the recognizer can write `c`.
    pub fn contains(&self, c: char) -> bool {
        self.0.contains(&c)
    }

    /// The number of characters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds no character.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialEq for Alphabet {
    fn eq(&self, other: &Alphabet) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for Alphabet {}

impl fmt::Debug for Alphabet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Alphabet({} characters)", self.0.len())
    }
}
