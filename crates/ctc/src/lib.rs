//! CTC lattices: what a line recognizer saw, and reading text out of it under a grammar.
//!
//! A CTC recognizer (PP-OCR's) gives, for each time step (frame) of a line, a probability for
//! every class: the blank and each symbol of its charset. A [`Lattice`] keeps, per frame, the
//! blank's probability and the few likeliest symbols (the rest is below any weight a reading
//! could use), so that everything above the recognizer can read the line again under what it
//! knows: [`Lattice::greedy`] is the plain reading, [`beam_search`] the likeliest texts a
//! [`Grammar`] allows (a plate, a date, a word of a vocabulary), and [`Lattice::log_prob`] how
//! likely a given text is under a reading, so that several readings of one field can be weighed
//! together (a character the line's recognizer cannot write, [`Alphabet`], counting neither for
//! nor against a text). [`Pattern`] compiles a field's grammar from a small pattern language with
//! vocabularies ([`Lexicon`]) in it.
//!
//! Everything here is pure: no models, no I/O.

mod alphabet;
mod beam;
mod lattice;
mod pattern;

pub use alphabet::Alphabet;
pub use beam::{beam_search, beam_search_splitting_repeats, Candidate, Grammar, Unconstrained};
pub use lattice::{Frame, GreedyPath, Lattice, PathChar, MAX_SYMBOLS, MIN_PROBABILITY, UNLISTED};
pub use pattern::{Lexicon, Pattern, PatternError, PatternState};
