//! Both pages of one license read from one photo: the plate is printed on each, so each page's
//! reading of it is a witness for the other's.

use crate::decode::{decode, Kind};
use crate::labels::edit_distance;
use crate::seal::agree_seal_and_plate;
use crate::{BackField, BackFields, FieldValue, FrontField, FrontFields, Reading};

/// Reads the plate once from both pages' readings of it, when the two pages read it apart: the
/// plate grammar's value that every reading of either page weighs best (the decoder's one
/// rule, `decode`) is taken on both pages, with its confidence; the seal then witnesses its
/// province on the main page as it did before ([`agree_seal_and_plate`]), for both. When no
/// reading holds a value of the grammar (the main page's plate was put right by its seal, not
/// read so), a plate that fails the grammar takes the other page's passing one if the two are
/// close: at most two slips apart, or holding it whole without its province. A page whose plate
/// was read empty (masked, or not found) is left as it is and lends no evidence; so are plates
/// read alike.
pub fn agree_plates(front: &mut FrontFields, back: &mut BackFields) {
    let (Some(front_plate), Some(back_plate)) =
        (front.get(FrontField::Number), back.get(BackField::Number))
    else {
        return;
    };
    if front_plate.text.is_empty()
        || back_plate.text.is_empty()
        || front_plate.text == back_plate.text
    {
        return;
    }
    // The back page's printing is a witness of its own beside the main page's.
    let back_readings: Vec<Reading> = back_plate
        .readings
        .iter()
        .map(|r| Reading {
            printing: 1,
            ..r.clone()
        })
        .collect();
    let readings: Vec<&Reading> = front_plate.readings.iter().chain(&back_readings).collect();
    let decoded = decode(Kind::Plate, &readings);
    let Some(decision) = decoded.decision.filter(|d| !d.text.is_empty()) else {
        if let Some(text) = witnessed(back_plate, front_plate) {
            set(&mut back.fields, BackField::Number, &text);
        } else if let Some(text) = witnessed(front_plate, back_plate) {
            set(&mut front.fields, FrontField::Number, &text);
        }
        return;
    };
    let agreed = |value: &mut FieldValue| {
        value.text.clone_from(&decision.text);
        value.valid = decision.valid;
        value.confidence = decision.confidence;
        value
            .trace
            .extend(decoded.trace.iter().map(|t| format!("both pages: {t}")));
    };
    if let Some((_, value)) = front
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::Number)
    {
        agreed(value);
    }
    agree_seal_and_plate(front);
    let plate = front
        .get(FrontField::Number)
        .map_or_else(|| decision.text.clone(), |v| v.text.clone());
    if let Some((_, value)) = back
        .fields
        .iter_mut()
        .find(|(f, _)| *f == BackField::Number)
    {
        agreed(value);
        value.text = plate;
    }
}

/// The text `reading` should take from `witness`, when `reading` fails the plate grammar and is
/// close to `witness`, which passes it.
fn witnessed(reading: &FieldValue, witness: &FieldValue) -> Option<String> {
    if reading.valid || !witness.valid || reading.text.is_empty() {
        return None;
    }
    let read: Vec<char> = reading.text.chars().collect();
    let plate: Vec<char> = witness.text.chars().collect();
    let without_province: String = plate.iter().skip(1).collect();
    let close = edit_distance(&read, &plate) <= 2
        || (without_province.chars().count() >= 5 && reading.text.contains(&without_province));
    close.then(|| witness.text.clone())
}

fn set<F: Copy + PartialEq>(fields: &mut [(F, FieldValue)], field: F, text: &str) {
    if let Some((_, value)) = fields.iter_mut().find(|(f, _)| *f == field) {
        text.clone_into(&mut value.text);
        value.valid = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{test_lattice, Cut};

    /// A plate value read as `text`, from a lattice reading `text` but for the `unsure`
    /// characters (see [`crate::test_lattice`]).
    fn plate(text: &str, unsure: &[(usize, &[(char, f32)])]) -> FieldValue {
        FieldValue {
            readings: Reading::of_strip(&[test_lattice(text, unsure)], Cut::Line),
            ..crate::test_value(text, true)
        }
    }

    fn agree(front: FieldValue, back: FieldValue) -> (String, String) {
        let mut front_fields = FrontFields {
            fields: vec![(FrontField::Number, front)],
            ..FrontFields::default()
        };
        let mut back_fields = BackFields {
            fields: vec![(BackField::Number, back)],
            ..BackFields::default()
        };
        agree_plates(&mut front_fields, &mut back_fields);
        let text = |v: Option<&FieldValue>| v.map(|v| v.text.clone()).unwrap_or_default();
        (
            text(front_fields.get(FrontField::Number)),
            text(back_fields.get(BackField::Number)),
        )
    }

    #[test]
    fn each_page_lends_the_other_its_evidence() {
        // The main page is sure of its plate; the back page misread the province, unsurely.
        let (front, back) = agree(
            plate("桂AF87816", &[]),
            plate("柱AF87816", &[(0, &[('柱', 0.55), ('桂', 0.4)])]),
        );
        assert_eq!((front.as_str(), back.as_str()), ("桂AF87816", "桂AF87816"));
        // Each page unsure of a different sign: together they read the plate.
        let (front, back) = agree(
            plate("闽AFN5262", &[(3, &[('N', 0.5), ('W', 0.45)])]),
            plate("川AFW5262", &[(0, &[('川', 0.5), ('闽', 0.45)])]),
        );
        assert_eq!((front.as_str(), back.as_str()), ("闽AFW5262", "闽AFW5262"));
        // A back page read with the English after its plate and no province.
        let (front, back) = agree(plate("桂AF87816", &[]), plate("2AF87816TLAE", &[]));
        assert_eq!((front.as_str(), back.as_str()), ("桂AF87816", "桂AF87816"));
    }

    #[test]
    fn without_a_value_read_a_failing_plate_takes_the_other_pages_close_one() {
        // No lattices: the main page's plate was put right by its seal, not read so.
        let read_as = |text: &str, valid: bool| crate::test_value(text, valid);
        let (front, back) = agree(read_as("赣A55A0C", true), read_as("锁A55A8C", false));
        assert_eq!((front.as_str(), back.as_str()), ("赣A55A0C", "赣A55A0C"));
    }

    #[test]
    fn plates_read_alike_or_empty_are_left_as_read() {
        let unchanged = |front: FieldValue, back: FieldValue| {
            let expected = (front.text.clone(), back.text.clone());
            assert_eq!(agree(front, back), expected);
        };
        unchanged(plate("桂AF87816", &[]), plate("桂AF87816", &[]));
        unchanged(plate("桂AF87816", &[]), plate("", &[]));
        unchanged(plate("", &[]), plate("桂AF87816", &[]));
    }
}
