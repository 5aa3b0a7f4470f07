//! The last few values read, kept per thread: a page's fields are placed again after each step
//! of its reading (lines read again, strips, the other page's plate), and most fields' readings
//! are then the same as before, so their search need not run again.

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

use super::{Decoded, Kind};
use crate::Reading;

/// Values kept: more than the fields of both pages, each read a few ways.
const KEPT: usize = 96;

struct Kept {
    hash: u64,
    kind: Kind,
    readings: Vec<Reading>,
    decoded: Decoded,
}

thread_local! {
    static RECENT: RefCell<VecDeque<Kept>> = const { RefCell::new(VecDeque::new()) };
}

/// What `read` gives for a value of `kind` from `readings`: as it gave last time for the same
/// readings (compared whole, not only by their hash), else run and kept.
pub(super) fn remembered(
    kind: Kind,
    readings: &[&Reading],
    read: impl FnOnce() -> Decoded,
) -> Decoded {
    let hash = hash_of(kind, readings);
    let same = |k: &Kept| {
        k.hash == hash
            && k.kind == kind
            && k.readings.len() == readings.len()
            && k.readings.iter().zip(readings).all(|(a, b)| a == *b)
    };
    if let Some(found) = RECENT.with(|r| {
        r.borrow()
            .iter()
            .find(|k| same(k))
            .map(|k| k.decoded.clone())
    }) {
        return found;
    }
    let decoded = read();
    RECENT.with(|r| {
        let mut recent = r.borrow_mut();
        if recent.len() == KEPT {
            recent.pop_front();
        }
        recent.push_back(Kept {
            hash,
            kind,
            readings: readings.iter().map(|r| (*r).clone()).collect(),
            decoded: decoded.clone(),
        });
    });
    decoded
}

/// Forgets the values kept on this thread (the readings of an image just read stay in memory
/// no longer than it takes to start the next).
pub fn forget() {
    RECENT.with(|r| r.borrow_mut().clear());
}

fn hash_of(kind: Kind, readings: &[&Reading]) -> u64 {
    let mut hasher = DefaultHasher::new();
    (kind as u8).hash(&mut hasher);
    for r in readings {
        (r.cut as u8, r.printing, r.weight.to_bits()).hash(&mut hasher);
        for frame in r.lattice.frames() {
            frame.blank.to_bits().hash(&mut hasher);
            for &(c, p) in &frame.symbols {
                (c, p.to_bits()).hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::{test_lattice, Cut};

    fn line(text: &str) -> Reading {
        Reading {
            lattice: test_lattice(text, &[]),
            cut: Cut::Line,
            weight: 1.0,
            printing: 0,
        }
    }

    #[test]
    fn the_same_readings_are_read_once_until_forgotten() {
        forget();
        let runs = Cell::new(0);
        let read = || {
            runs.set(runs.get() + 1);
            Decoded {
                has_grammar: true,
                decision: None,
                trace: vec![format!("run {}", runs.get())],
            }
        };
        let (a, b) = (line("京A12345"), line("京A12346"));
        let first = remembered(Kind::Plate, &[&a], read);
        // Equal readings, not the same ones.
        assert_eq!(remembered(Kind::Plate, &[&line("京A12345")], read), first);
        assert_eq!(runs.get(), 1);
        // Other readings, another kind, a reading cut otherwise: read again.
        remembered(Kind::Plate, &[&b], read);
        remembered(Kind::Vin, &[&a], read);
        let row = Reading {
            cut: Cut::Row,
            ..a.clone()
        };
        remembered(Kind::Plate, &[&row], read);
        assert_eq!(runs.get(), 4);
        forget();
        remembered(Kind::Plate, &[&a], read);
        assert_eq!(runs.get(), 5);
    }
}
