//! Vocabulary words (vehicle types, use characters, brands) spelled by the recognizer's
//! alternatives.
//!
//! A blurred vehicle type is read as `童型自即货车`: two characters off `重型自卸货车`, but also
//! two off `中型自卸货车` and `轻型自卸货车`, so the vocabulary alone cannot choose. The
//! recognizer's second and third choices for each character can: where they spell a word, the
//! characters they explain are taken from them.

use std::sync::OnceLock;

use crate::brands::BRANDS;
use crate::normalize::{USE_CHARACTERS, VEHICLE_TYPES};
use crate::Alternatives;

/// Least probability an alternative needs to count as the recognizer having seen the word's
/// character.
const MIN_ALTERNATIVE_PROBABILITY: f32 = 0.01;

/// Shortest word looked for: two-character words (`营运`, `货运`) are too easily spelled by
/// chance.
const MIN_WORD_CHARS: usize = 3;

/// `text` (a recognized line, with each character's likeliest `alternatives`) with the
/// characters of a vehicle type, use character or brand with its `牌` (see `brands.rs`)
/// exchanged for alternatives that spell it, when at least half of the word was read as
/// printed, at most one of its other characters is among no alternative (left as read: the
/// vocabularies' one-slip tolerance in [`crate::normalize::normalize`] may still take it) and
/// no word is in the line already. Among several words, the one with fewer unexplained
/// characters, then the likelier alternatives, wins; a tie leaves the line alone. `None` when
/// nothing changed.
pub fn vocabulary_by_alternatives(text: &str, alternatives: &[Alternatives]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    // A line read surely throughout (no character with a second reading) has nothing to spell.
    if alternatives.len() != chars.len() || alternatives.iter().all(|a| a.len() <= 1) {
        return None;
    }
    spelled_in(&chars, alternatives, line_words(), MIN_WORD_CHARS)
}

/// The words looked for in every line: vehicle types, use characters, brands with their `牌`
/// (built once).
fn line_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        VEHICLE_TYPES
            .iter()
            .chain(USE_CHARACTERS.iter())
            .map(|w| w.to_string())
            .chain(BRANDS.iter().map(|b| format!("{b}牌")))
            .collect()
    })
}

/// A use character's value read as `raw`, none of the vocabulary within a slip, with its
/// characters exchanged for alternatives that spell one (as [`vocabulary_by_alternatives`]
/// does, two-character words included: the field is known to hold one). `None` when none does.
pub(crate) fn use_character_by_alternatives(
    raw: &str,
    alternatives: &[Alternatives],
) -> Option<String> {
    let chars: Vec<char> = raw.chars().collect();
    if alternatives.len() != chars.len() {
        return None;
    }
    spelled_in(&chars, alternatives, USE_CHARACTERS, 2)
}

/// `raw`, a use character's value of no use character that its alternatives spell, as the one
/// use character of its length that it reads as except for one or two characters the
/// recognizer was unsure of (`非常远`, `常` and `远` read unsure: `非营运`, the only use
/// character of three that starts with `非`). `None` when none or several do.
pub(crate) fn use_character_by_unsure_characters(
    raw: &str,
    alternatives: &[Alternatives],
) -> Option<&'static str> {
    let chars: Vec<char> = raw.chars().collect();
    if alternatives.len() != chars.len() {
        return None;
    }
    let mut fitting = USE_CHARACTERS.iter().filter(|word| {
        let word: Vec<char> = word.chars().collect();
        if word.len() != chars.len() {
            return false;
        }
        let misread: Vec<usize> = (0..word.len()).filter(|&k| word[k] != chars[k]).collect();
        let unsure = |k: &usize| crate::read_unsure(&alternatives[*k]);
        (1..=2).contains(&misread.len()) && misread.len() < word.len() && misread.iter().all(unsure)
    });
    match (fitting.next(), fitting.next()) {
        (Some(word), None) => Some(word),
        _ => None,
    }
}

/// `chars` with the word of `words` (of `min_chars` or more) that its alternatives spell best
/// (see [`vocabulary_by_alternatives`]).
fn spelled_in<W: AsRef<str>>(
    chars: &[char],
    alternatives: &[Alternatives],
    words: &[W],
    min_chars: usize,
) -> Option<String> {
    let text: String = chars.iter().collect();
    if words.iter().any(|w| text.contains(w.as_ref())) {
        return None;
    }
    // (unexplained, weight, the line spelled)
    let mut best: Option<(usize, f32, Vec<char>)> = None;
    let mut tied = false;
    for word in words {
        let word: Vec<char> = word.as_ref().chars().collect();
        if word.len() < min_chars || word.len() > chars.len() {
            continue;
        }
        for start in 0..=chars.len() - word.len() {
            let Some((unexplained, weight)) = spelled(
                &chars[start..start + word.len()],
                &alternatives[start..],
                &word,
            ) else {
                continue;
            };
            let mut line = chars.to_vec();
            for (k, &w) in word.iter().enumerate() {
                if alternative(&alternatives[start + k], w).is_some() {
                    line[start + k] = w;
                }
            }
            match &best {
                Some((u, w, l)) if unexplained == *u && weight == *w => tied |= *l != line,
                Some((u, w, _)) if unexplained > *u || (unexplained == *u && weight < *w) => {}
                _ => {
                    tied = false;
                    best = Some((unexplained, weight, line));
                }
            }
        }
    }
    let (_, _, line) = best.filter(|_| !tied)?;
    Some(line.into_iter().collect())
}

/// How `window` spells `word` by its `alternatives`: the count of the word's characters among
/// no alternative and the summed probability of those that are. `None` when the window reads
/// the word already, when no alternative helps, when fewer than half of the word's characters
/// were read as printed, or when more than one is unexplained.
fn spelled(window: &[char], alternatives: &[Alternatives], word: &[char]) -> Option<(usize, f32)> {
    let (mut exact, mut unexplained, mut weight, mut explained) = (0, 0, 0.0, 0);
    for (k, (&read, &wanted)) in window.iter().zip(word).enumerate() {
        if read == wanted {
            exact += 1;
        } else if let Some(p) = alternative(&alternatives[k], wanted) {
            explained += 1;
            weight += p;
        } else {
            unexplained += 1;
        }
    }
    (explained > 0 && unexplained <= 1 && 2 * exact >= word.len()).then_some((unexplained, weight))
}

/// The probability the recognizer gave `wanted` among `alternatives`, when enough.
fn alternative(alternatives: &[(char, f32)], wanted: char) -> Option<f32> {
    alternatives
        .iter()
        .find(|&&(c, p)| c == wanted && p >= MIN_ALTERNATIVE_PROBABILITY)
        .map(|&(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_alternatives as alternatives;

    #[test]
    fn alternatives_choose_between_words_the_vocabulary_cannot() {
        let read = "童型自即货车";
        let alts = alternatives(read, &[(0, '重', 0.2), (0, '中', 0.05), (3, '卸', 0.3)]);
        assert_eq!(
            vocabulary_by_alternatives(read, &alts).as_deref(),
            Some("重型自卸货车")
        );
        // One character among no alternative is left for the vocabulary's tolerance.
        let alts = alternatives(read, &[(0, '重', 0.2)]);
        assert_eq!(
            vocabulary_by_alternatives(read, &alts).as_deref(),
            Some("重型自即货车")
        );
    }

    #[test]
    fn words_read_as_printed_and_unseen_characters_are_left_alone() {
        // A vocabulary word already: its alternatives do not make it another.
        let read = "中型自卸货车";
        let alts = alternatives(read, &[(0, '重', 0.4)]);
        assert_eq!(vocabulary_by_alternatives(read, &alts), None);
        // Alternatives the recognizer gave almost no weight.
        let read = "童型自即货车";
        let alts = alternatives(read, &[(0, '重', 0.001), (3, '卸', 0.001)]);
        assert_eq!(vocabulary_by_alternatives(read, &alts), None);
        // Fewer than half of the word read as printed.
        let read = "童望自即贷车";
        let alts = alternatives(read, &[(0, '重', 0.2), (1, '型', 0.2), (3, '卸', 0.2)]);
        assert_eq!(vocabulary_by_alternatives(read, &alts), None);
        // Two-character words are not looked for.
        let read = "货远";
        let alts = alternatives(read, &[(1, '运', 0.3)]);
        assert_eq!(vocabulary_by_alternatives(read, &alts), None);
        // Alternatives that do not match the text's length.
        assert_eq!(vocabulary_by_alternatives("童型自即货车", &[]), None);
    }

    #[test]
    fn a_use_character_read_unsure_in_one_or_two_characters_is_the_one_it_fits() {
        let mut alts = crate::test_alternatives("非常远", &[]);
        alts[1][0].1 = 0.17;
        alts[2][0].1 = 0.35;
        assert_eq!(
            use_character_by_unsure_characters("非常远", &alts),
            Some("非营运")
        );
        // Read surely, or fitting two (`新运`: 营运 and 货运).
        let alts = crate::test_alternatives("非常远", &[]);
        assert_eq!(use_character_by_unsure_characters("非常远", &alts), None);
        let mut alts = crate::test_alternatives("新运", &[]);
        alts[0][0].1 = 0.3;
        assert_eq!(use_character_by_unsure_characters("新运", &alts), None);
    }

    #[test]
    fn a_use_character_may_be_a_two_character_word() {
        let read = "低运";
        let alts = alternatives(read, &[(0, '货', 0.1)]);
        assert_eq!(
            use_character_by_alternatives(read, &alts).as_deref(),
            Some("货运")
        );
        // Neither character read as printed.
        let read = "贷适";
        let alts = alternatives(read, &[(0, '货', 0.1), (1, '运', 0.1)]);
        assert_eq!(use_character_by_alternatives(read, &alts), None);
    }

    #[test]
    fn brands_are_words_with_their_mark() {
        let read = "率田牌TV1048";
        let alts = alternatives(read, &[(0, '丰', 0.2)]);
        assert_eq!(
            vocabulary_by_alternatives(read, &alts).as_deref(),
            Some("丰田牌TV1048")
        );
        let read = "五菱胖LZW6016";
        let alts = alternatives(read, &[(2, '牌', 0.05)]);
        assert_eq!(
            vocabulary_by_alternatives(read, &alts).as_deref(),
            Some("五菱牌LZW6016")
        );
        // A listed brand read as printed is not made another.
        let read = "本田牌HG9948";
        let alts = alternatives(read, &[(0, '丰', 0.3)]);
        assert_eq!(vocabulary_by_alternatives(read, &alts), None);
    }

    #[test]
    fn a_word_inside_a_longer_line_is_found_in_place() {
        let read = "le s R型越野客军na";
        let alts = alternatives(read, &[(10, '车', 0.1)]);
        assert_eq!(
            vocabulary_by_alternatives(read, &alts).as_deref(),
            Some("le s R型越野客车na")
        );
    }
}
