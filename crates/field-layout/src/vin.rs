//! Vehicle identification numbers: the 17-character grammar, the ISO 3779 check digit, and
//! choosing between look-alike characters by it.

use crate::text::{fold, Normalized};
use crate::Alternatives;

/// Characters below this confidence may be exchanged for a look-alike in a VIN.
const UNSURE: f32 = 0.9;

/// Look-alikes in the VIN alphabet (no I, O or Q there).
fn vin_look_alikes(c: char) -> &'static [char] {
    match c {
        '0' => &['8', 'D'],
        '8' => &['0', 'B'],
        'D' => &['0'],
        'B' => &['8'],
        '5' => &['S'],
        'S' => &['5'],
        '2' => &['Z'],
        'Z' => &['2'],
        '6' => &['G'],
        'G' => &['6'],
        '3' => &['J'],
        'J' => &['3'],
        _ => &[],
    }
}

/// A VIN read as 17 characters whose check digit fails: when exchanging one character the
/// recognizer was unsure of (below [`UNSURE`]) for a look-alike makes the check digit right,
/// and exactly one such exchange does, that reading. `None` otherwise: the VIN is then returned
/// as read (some printed VINs fail their check digit, as the specimen's does).
pub(crate) fn vin_by_check_digit(raw: &str, confidences: &[f32]) -> Option<Normalized> {
    let read: Vec<(char, f32)> = raw
        .chars()
        .zip(confidences.iter().copied().chain(std::iter::repeat(1.0)))
        .filter_map(|(c, confidence)| {
            let folded = fold(&c.to_string()).to_uppercase().chars().next()?;
            let mapped = match folded {
                'O' | 'Q' => '0',
                'I' => '1',
                c if c.is_ascii_alphanumeric() => c,
                _ => return None,
            };
            Some((mapped, confidence))
        })
        .collect();
    if read.len() != 17 {
        return None;
    }
    let chars: Vec<char> = read.iter().map(|&(c, _)| c).collect();
    let mut passing = Vec::new();
    for (position, &(c, confidence)) in read.iter().enumerate() {
        if confidence >= UNSURE {
            continue;
        }
        for &other in vin_look_alikes(c) {
            let mut candidate = chars.clone();
            candidate[position] = other;
            if check_digit(&candidate) == candidate[8] {
                passing.push(candidate);
            }
        }
    }
    match passing.as_slice() {
        [only] => Some(Normalized {
            valid: true,
            text: only.iter().collect(),
        }),
        _ => None,
    }
}

/// Least probability an alternative reading of a VIN character needs to be tried.
const MIN_ALTERNATIVE_PROBABILITY: f32 = 0.1;

/// `text` (a recognized line, with each character's likeliest `alternatives`) with a VIN in it
/// put right by its check digit: a run of exactly 17 VIN characters whose check digit fails
/// takes the one exchange of a character for an alternative the recognizer gave some weight
/// that makes the check digit right, when exactly one does. `None` when nothing changed.
pub fn vin_by_alternatives(text: &str, alternatives: &[Alternatives]) -> Option<String> {
    let mut chars: Vec<char> = text.chars().collect();
    if alternatives.len() != chars.len() {
        return None;
    }
    let is_vin_char =
        |c: char| (c.is_ascii_uppercase() || c.is_ascii_digit()) && !matches!(c, 'I' | 'O' | 'Q');
    let mut changed = false;
    let mut start = 0;
    while start < chars.len() {
        let end = (start..chars.len())
            .find(|&i| !is_vin_char(chars[i]))
            .unwrap_or(chars.len());
        if end - start == 17 && check_digit(&chars[start..end]) != chars[start + 8] {
            let mut passing: Vec<(usize, char)> = Vec::new();
            for position in start..end {
                for &(other, p) in &alternatives[position] {
                    if other == chars[position]
                        || !is_vin_char(other)
                        || p < MIN_ALTERNATIVE_PROBABILITY
                    {
                        continue;
                    }
                    let mut candidate = chars[start..end].to_vec();
                    candidate[position - start] = other;
                    if check_digit(&candidate) == candidate[8] {
                        passing.push((position, other));
                    }
                }
            }
            if let [(position, other)] = passing.as_slice() {
                chars[*position] = *other;
                changed = true;
            }
        }
        start = end + 1;
    }
    changed.then(|| chars.into_iter().collect())
}

/// A VIN: 17 characters from 0-9 and A-Z without I, O and Q, whose ninth is a check digit.
pub(crate) fn vin(text: &str) -> Normalized {
    let mapped: String = text
        .to_uppercase()
        .chars()
        .filter_map(|c| match c {
            'O' | 'Q' | 'Ø' | 'Θ' | 'Φ' => Some('0'),
            'I' => Some('1'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    let chars: Vec<char> = mapped.chars().collect();
    if chars.len() > 17 {
        // Extra characters are label remnants or noise: prefer a window with a valid check digit.
        let best = (0..=chars.len() - 17)
            .find(|&i| check_digit(&chars[i..i + 17]) == chars[i + 8])
            .unwrap_or(0);
        let text: String = chars[best..best + 17].iter().collect();
        return Normalized {
            valid: check_digit(&chars[best..best + 17]) == chars[best + 8],
            text,
        };
    }
    let valid = chars.len() == 17 && check_digit(&chars) == chars[8];
    Normalized {
        valid,
        text: mapped,
    }
}

/// The ISO 3779 check digit of 17 characters.
pub fn check_digit(vin: &[char]) -> char {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |c: char| match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => 0,
    };
    let sum: u32 = vin.iter().zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    match sum % 11 {
        10 => 'X',
        d => char::from_digit(d, 10).unwrap_or('0'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_read;
    use crate::FrontField;

    fn n(raw: &str) -> (String, bool) {
        let v = vin(&fold(raw));
        (v.text, v.valid)
    }

    #[test]
    fn a_vin_takes_the_one_alternative_its_check_digit_wants() {
        // LGBDGR1033N990397 passes; read with its 12th character as 9.
        let read = "车辆识别代号 LGBDGR1033N999397";
        let with = |seen: &[(usize, char, f32)]| -> Vec<Vec<(char, f32)>> {
            read.chars()
                .enumerate()
                .map(|(i, c)| {
                    let mut alts = vec![(c, 0.7)];
                    alts.extend(seen.iter().filter(|s| s.0 == i).map(|s| (s.1, s.2)));
                    alts
                })
                .collect()
        };
        let at = read.chars().count() - 4;
        assert_eq!(
            vin_by_alternatives(read, &with(&[(at, '0', 0.25)])).as_deref(),
            Some("车辆识别代号 LGBDGR1033N990397")
        );
        // Seen too faintly, or an alternative that does not pass.
        assert_eq!(vin_by_alternatives(read, &with(&[(at, '0', 0.05)])), None);
        assert_eq!(vin_by_alternatives(read, &with(&[(at, '1', 0.25)])), None);
        // A VIN that passes is left alone.
        let right = "LGBDGR1033N990397";
        let alternatives: Vec<Vec<(char, f32)>> =
            right.chars().map(|c| vec![(c, 0.5), ('8', 0.4)]).collect();
        assert_eq!(vin_by_alternatives(right, &alternatives), None);
    }

    #[test]
    fn an_unsure_vin_character_is_chosen_by_the_check_digit() {
        let read = |text: &str, unsure: &[usize]| {
            let confidences: Vec<f32> = (0..text.chars().count())
                .map(|i| if unsure.contains(&i) { 0.6 } else { 0.99 })
                .collect();
            let n = normalize_read(FrontField::Vin, text, &confidences, &[]);
            (n.text, n.valid)
        };
        // `J` read as `3`, and the recognizer was unsure of it.
        assert_eq!(
            read("LFP5AJ0N873657623", &[10]),
            ("LFP5AJ0N87J657623".into(), true)
        );
        // Sure of every character: the VIN is returned as read, failing check digit and all.
        assert_eq!(
            read("LFP5AJ0N873657623", &[]),
            ("LFP5AJ0N873657623".into(), false)
        );
        assert_eq!(
            read("HHGHH555778802669", &[]),
            ("HHGHH555778802669".into(), false)
        );
        // Unsure of a character with no look-alike that fixes it: as read.
        assert_eq!(
            read("LFP5AJ0N873657623", &[0]),
            ("LFP5AJ0N873657623".into(), false)
        );
        // A VIN that passes is never touched.
        assert_eq!(
            read("LSVFF66R8C2116280", &[3, 4, 5]),
            ("LSVFF66R8C2116280".into(), true)
        );
    }

    #[test]
    fn vins_keep_a_failing_check_digit() {
        assert_eq!(n("LSVFF66R8C2116280"), ("LSVFF66R8C2116280".into(), true));
        assert_eq!(n("LSVFF66R8C21162OO"), ("LSVFF66R8C2116200".into(), false));
        // The specimen's VIN fails its check digit and must come back as printed.
        assert_eq!(n("HHGHH555778802669"), ("HHGHH555778802669".into(), false));
        assert_eq!(n("VINLSVFF66R8C2116280").0, "LSVFF66R8C2116280");
    }
}
