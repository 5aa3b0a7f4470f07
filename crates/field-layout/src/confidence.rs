//! A field value's confidence as a probability of being right: the engine's raw score (the
//! weakest character's confidence, lowered when the value fails its grammar) mapped through a
//! monotone curve per field and verdict (valid, invalid, blank, or not found at all), fitted on
//! synthetic photos (`calibration/confidence.txt`, made by `scripts/fit_confidence.py`).

use std::sync::OnceLock;

use crate::grammar::Grammars;
use crate::FieldValue;

/// The fitted curves: `field verdict raw:calibrated ...` per line, `#` comments.
const CURVES: &str = include_str!("../calibration/confidence.txt");

/// One curve: raw scores ascending, each with the share of values right at that score.
type Curve = Vec<(f32, f32)>;

/// What the engine said of a field: the grammar's verdict on its value, that it read the field
/// as blank, or that it found none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Verdict {
    Valid,
    Invalid,
    Blank,
    Missing,
}

/// Each field's curve for a verdict (a few dozen: looked up in order, with no key to build).
type Curves = Vec<(String, Verdict, Curve)>;

fn curves() -> &'static Curves {
    static CURVES_BY_FIELD: OnceLock<Curves> = OnceLock::new();
    CURVES_BY_FIELD.get_or_init(|| parse(CURVES))
}

/// The curve of `field` for `verdict`, if the file has one.
fn curve_of<'a>(curves: &'a Curves, field: &str, verdict: Verdict) -> Option<&'a Curve> {
    curves
        .iter()
        .find(|(f, v, _)| f == field && *v == verdict)
        .map(|(_, _, curve)| curve)
}

/// Parses the curves file; a malformed line is skipped (the file is ours and tested).
fn parse(text: &str) -> Curves {
    let mut curves = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(field), Some(valid)) = (words.next(), words.next()) else {
            continue;
        };
        let valid = match valid {
            "valid" => Verdict::Valid,
            "invalid" => Verdict::Invalid,
            "blank" => Verdict::Blank,
            "missing" => Verdict::Missing,
            _ => continue,
        };
        let curve: Option<Curve> = words
            .map(|pair| {
                let (raw, right) = pair.split_once(':')?;
                Some((raw.parse().ok()?, right.parse().ok()?))
            })
            .collect();
        if let Some(curve) = curve.filter(|c| !c.is_empty()) {
            curves.push((field.to_owned(), valid, curve));
        }
    }
    curves
}

/// Linear interpolation along `curve`, flat beyond its ends.
fn along(curve: &Curve, raw: f32) -> f32 {
    let (first, last) = (curve[0], curve[curve.len() - 1]);
    if raw <= first.0 {
        return first.1;
    }
    if raw >= last.0 {
        return last.1;
    }
    let at = curve.partition_point(|&(r, _)| r <= raw);
    let ((r0, c0), (r1, c1)) = (curve[at - 1], curve[at]);
    if r1 <= r0 {
        return c1;
    }
    c0 + (c1 - c0) * (raw - r0) / (r1 - r0)
}

/// The probability that `value`, read for the field `key` (Huawei's name, e.g. `vin`), is
/// right, or for `None` (the field was not found) that the field is indeed empty: its field's
/// curve, or the curve of all fields (`*`) for a field without one; the raw score (0 when not
/// found) when there is no curve at all. An empty value has curves of its own, whatever its
/// grammar's verdict: a field read as blank is right where the card leaves it blank or a mask
/// covers it, wrong where its value was lost (under its label's ink), and its raw score is no
/// read value's.
pub fn calibrated_confidence(key: &str, value: Option<&FieldValue>) -> f32 {
    let curves = curves();
    let (raw, verdict) = match value {
        Some(v) if v.text.is_empty() => (v.confidence, Verdict::Blank),
        Some(v) if v.valid => (v.confidence, Verdict::Valid),
        Some(v) => (v.confidence, Verdict::Invalid),
        None => (0.0, Verdict::Missing),
    };
    let raw = raw.clamp(0.0, 1.0);
    let calibrated = curve_of(curves, key, verdict)
        .or_else(|| curve_of(curves, "*", verdict))
        .map_or(raw, |curve| along(curve, raw).clamp(0.0, 1.0));
    // A value of a closed vocabulary that is no word of it (`5油用5小4线` for a vehicle type,
    // kept as read because it shows too little of any word) is right only where the card
    // prints a word we do not list: it is held to its raw score, whatever the curve of the
    // values that fail with it (mostly the list's likeliest words, right about half the time).
    let not_a_word = verdict == Verdict::Invalid
        && value.is_some_and(|v| {
            closed_vocabulary(key).is_some_and(|name| {
                !Grammars::get()
                    .lexicon(name)
                    .words()
                    .any(|word| word == v.text)
            })
        });
    if not_a_word {
        calibrated.min(raw)
    } else {
        calibrated
    }
}

/// The vocabulary (`lexicon/NAME.txt`) every value of the field `key` is a word of.
fn closed_vocabulary(key: &str) -> Option<&'static str> {
    match key {
        "vehicle_type" => Some("vehicle_types"),
        "use_character" => Some("use_characters"),
        "energy_type" => Some("energy_types"),
        "color" => Some("body_colors"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_is_followed_between_its_points_and_held_beyond_them() {
        let curves = parse("# comment\nvin valid 0.2:0.1 0.6:0.5 0.9:0.95\nvin invalid 0.5:0.05\n");
        let curve = curve_of(&curves, "vin", Verdict::Valid).expect("a curve");
        assert_eq!(along(curve, 0.0), 0.1);
        assert!((along(curve, 0.4) - 0.3).abs() < 1e-6);
        assert_eq!(along(curve, 1.0), 0.95);
        let invalid = curve_of(&curves, "vin", Verdict::Invalid);
        assert_eq!(invalid, Some(&vec![(0.5, 0.05)]));
        assert_eq!(curve_of(&curves, "vin", Verdict::Missing), None);
    }

    #[test]
    fn a_closed_vocabularys_value_that_is_no_word_of_it_is_held_to_its_raw_score() {
        let marked = |text: &str| {
            let mut value = crate::test_value(text, false);
            value.confidence = 0.02;
            value
        };
        let word = calibrated_confidence("vehicle_type", Some(&marked("小型轿车")));
        let garbage = calibrated_confidence("vehicle_type", Some(&marked("5油用5小4线")));
        assert!(word > 0.3, "{word}");
        assert!((garbage - 0.02).abs() < 1e-6, "{garbage}");
        // A valid value, or a field of no closed vocabulary, follows its curve.
        assert_eq!(
            calibrated_confidence("model", Some(&marked("5油用5小4线"))),
            calibrated_confidence("model", Some(&marked("长安牌SC4105")))
        );
    }

    #[test]
    fn an_empty_value_follows_the_blank_curve() {
        let curves = parse("vin valid 0.1:0.9\nvin blank 0.1:0.2 0.9:0.6\n");
        let blank = curve_of(&curves, "vin", Verdict::Blank).expect("a curve");
        assert_eq!(along(blank, 0.9), 0.6);
        // The shipped curves: a blank is judged apart from the values read. (A field is read
        // as blank where no reading held a value: its raw score is near 0.)
        let mut read_blank = crate::test_value("", true);
        read_blank.confidence = 0.0;
        let read = crate::test_value("5人", true);
        let (b, r) = (
            calibrated_confidence("approved_passengers", Some(&read_blank)),
            calibrated_confidence("approved_passengers", Some(&read)),
        );
        assert!(b < r, "{b} {r}");
        // A field usually blank, read as blank: likely right.
        assert!(calibrated_confidence("remarks", Some(&read_blank)) > 0.9);
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let curves = parse("vin maybe 0.1:0.2\nvin valid 0.1:x\nplate valid\n");
        assert!(curves.is_empty());
    }

    #[test]
    fn every_curve_of_the_shipped_file_parses_and_rises() {
        let lines = CURVES
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(
            curves().len(),
            lines,
            "a line of calibration/confidence.txt did not parse"
        );
        for (field, verdict, curve) in curves() {
            for pair in curve.windows(2) {
                assert!(
                    pair[0].0 < pair[1].0 && pair[0].1 <= pair[1].1,
                    "{field} {verdict:?}: {curve:?}"
                );
            }
            assert!(curve.iter().all(|&(_, c)| (0.0..=1.0).contains(&c)));
        }
    }
}
