//! The last resort of a field whose values are a closed vocabulary (vehicle types, use
//! characters, the seals another field vouches for): when no reading holds a word of it within
//! the grammar's margin, the word the readings make likeliest, rather than the reading as read
//! (no value of its field), unless a reading is sure of a text that word does not explain (a
//! word the list lacks, printed on the card).

use std::collections::HashMap;

use vlocr_ctc::{beam_search, Unconstrained};

use super::{Decision, Kind, Said, BEAM};
use crate::grammar::Grammars;
use crate::labels::edit_distance;
use crate::text::is_cjk;
use crate::Reading;

/// The share of a word's characters (in order) that some reading's likeliest text must show for
/// the word to be weighed: a word none of whose characters was seen is no reading of the line.
const SHOWN: f32 = 1.0 / 3.0;

/// What a character a reading shows and a word leaves unread costs the word (nats): as much as
/// one of the word's characters the reading does not list ([`vlocr_ctc::UNLISTED`]), so that a
/// word of the reading's length with characters misread is not outweighed by a short one that
/// matches the reading's end ([`vlocr_ctc::Lattice::log_prob_explaining`]).
const UNEXPLAINED: f32 = 11.5;

/// What a field of `kind` is answered when no reading holds a value of its grammar: a closed
/// vocabulary's likeliest word ([`likeliest_word`]), however unlikely, rather than a reading
/// that is no value of the field, its confidence low and marked as not read (so that the field
/// is still read again where that is done for a value that fails); `None` (the reading as read)
/// for other kinds, and for a vehicle type the list lacks, read surely ([`read_surely_beyond`]).
/// `shown` (the values weighed) and the outcome go to `trace`.
pub(super) fn last_resort(
    kind: Kind,
    said: &[Said],
    shown: &str,
    trace: &mut Vec<String>,
) -> Option<Decision> {
    let Some((word, lp)) = likeliest_word(kind, said) else {
        trace.push(format!("values: {shown} | none held"));
        return None;
    };
    if let Some((text, sure)) = read_surely_beyond(kind, &word, said) {
        trace.push(format!(
            "values: {shown} | none held, likeliest word {word:?} {lp:.1}, read surely as {text:?} {sure:.1}: kept as read"
        ));
        return None;
    }
    trace.push(format!(
        "values: {shown} | none held, likeliest word {word:?} {lp:.1}"
    ));
    Some(Decision {
        text: word,
        confidence: lp.exp(),
        valid: false,
        score: lp,
    })
}

/// How sure (nats below certainty) a reading must be of its likeliest text for that text to
/// stand against a closed vocabulary's likeliest word that differs from it.
const SURE: f32 = 1.0;

/// For a `kind` whose list is partial (vehicle types: the common part of GA 802's table; the
/// use characters are GA 24.3's whole table), a text that some reading of `said` is sure of
/// ([`SURE`]), all Chinese, no shorter than `word` (the list's likeliest word), and two or more
/// characters away from it: a word the list lacks, printed and read as such (`轮式专用机械车`,
/// which the list's `小型专用客车` would explain only by reading four characters otherwise);
/// with that reading's log-probability. A piece of the value (`客车`) is shorter than the word.
fn read_surely_beyond(kind: Kind, word: &str, said: &[Said]) -> Option<(String, f32)> {
    if kind != Kind::VehicleType {
        return None;
    }
    let word: Vec<char> = word.chars().collect();
    said.iter()
        .filter(|r| r.likeliest >= -SURE)
        .filter(|r| {
            let text: Vec<char> = r.text.chars().collect();
            text.len() >= word.len()
                && text.iter().all(|&c| is_cjk(c))
                && edit_distance(&text, &word) >= 2
        })
        .max_by(|a, b| a.likeliest.total_cmp(&b.likeliest))
        .map(|r| (r.text.clone(), r.likeliest))
}

/// For a `kind` of closed vocabulary, the word of it likeliest under `said` (every reading, each
/// word read anywhere in the line, characters a reading did not list at their floor and those
/// it showed that the word leaves unread at [`UNEXPLAINED`], the log-probabilities summed),
/// among the words that share at least [`SHOWN`] of their characters with some reading's
/// likeliest text; with its best log-probability under a reading less that reading's
/// likeliest text's (how far below what was read it lies, the rest of the line free). `None`
/// for other kinds, or when no word is shown enough.
pub(super) fn likeliest_word(kind: Kind, said: &[Said]) -> Option<(String, f32)> {
    let lexicon = match kind {
        Kind::VehicleType => "vehicle_types",
        Kind::UseCharacter => "use_characters",
        _ => return None,
    };
    likeliest_of(Grammars::get().lexicon(lexicon).words(), said)
}

/// The word of `words` likeliest under `said`, as [`likeliest_word`] weighs them.
pub(super) fn likeliest_of<'w>(
    words: impl IntoIterator<Item = &'w str>,
    said: &[Said],
) -> Option<(String, f32)> {
    let mut best: Option<(String, f32, f32)> = None;
    for word in words {
        let chars: Vec<char> = word.chars().collect();
        let shown: Vec<usize> = said
            .iter()
            .map(|r| common_in_order(&chars, &r.text.chars().collect::<Vec<_>>()))
            .collect();
        if (shown.iter().copied().max().unwrap_or(0) as f32) < SHOWN * chars.len() as f32 {
            continue;
        }
        let mut total = 0.0;
        let mut closest = f32::NEG_INFINITY;
        for r in said {
            total += r.lattice.log_prob_explaining(&chars, UNEXPLAINED);
            closest = closest.max(r.lattice.log_prob_within(&chars) - r.likeliest);
        }
        if best.as_ref().is_none_or(|(_, t, _)| total > *t) {
            best = Some((word.to_owned(), total, closest));
        }
    }
    best.map(|(word, _, closest)| (word, closest))
}

/// The word of `words` (a closed list another field vouches for: the seals naming the plate's
/// place) likeliest under `readings`, weighed as [`likeliest_word`] weighs them; with its best
/// log-probability under a reading less that reading's likeliest text's. `None` when no word
/// shares a third of its characters with some reading's likeliest text.
pub(crate) fn likeliest_among(
    kind: Kind,
    readings: &[&Reading],
    words: &[String],
) -> Option<(String, f32)> {
    let said: Vec<Said> = readings
        .iter()
        .filter_map(|reading| {
            let lattice = reading.lattice.folded(|c| kind.fold(c));
            let likeliest = beam_search(&lattice, &Unconstrained, BEAM)
                .into_iter()
                .next()?;
            Some(Said {
                lattice,
                group: (reading.printing, reading.cut),
                weight: reading.weight,
                likeliest: likeliest.log_prob,
                text: likeliest.text,
                values: HashMap::new(),
                without_first: HashMap::new(),
                after_label: None,
            })
        })
        .collect();
    likeliest_of(words.iter().map(String::as_str), &said)
}

/// The length of the longest common subsequence of `a` and `b`.
fn common_in_order(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_in_common_are_counted_in_order() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            common_in_order(&chars("轻型厢式货车"), &chars("轻变后式货军")),
            3
        );
        assert_eq!(common_in_order(&chars("非营运"), &chars("运营非")), 1);
        assert_eq!(common_in_order(&chars("非营运"), &chars("")), 0);
    }
}
