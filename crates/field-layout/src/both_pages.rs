//! Both pages of one license read from one photo: the plate is printed on each, so each page's
//! reading of it is a witness for the other's.

use crate::labels::edit_distance;
use crate::{BackField, BackFields, FieldValue, FrontField, FrontFields};

/// Makes the two pages' plates agree where one reading passes the plate grammar and the other,
/// close to it, does not: the failing one takes the passing one's text (`2AF87816TLAE` on the
/// back page is `桂AF87816` when the main page reads that). Close: at most two slips apart, or
/// holding the plate without its province whole. Empty readings stay empty, and two readings
/// that both pass are left as read.
pub fn agree_plates(front: &mut FrontFields, back: &mut BackFields) {
    let (Some(front_plate), Some(back_plate)) = (
        front.get(FrontField::Number).cloned(),
        back.get(BackField::Number).cloned(),
    ) else {
        return;
    };
    if let Some(text) = witnessed(&back_plate, &front_plate) {
        set(&mut back.fields, BackField::Number, text);
    } else if let Some(text) = witnessed(&front_plate, &back_plate) {
        set(&mut front.fields, FrontField::Number, text);
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

fn set<F: Copy + PartialEq>(fields: &mut [(F, FieldValue)], field: F, text: String) {
    if let Some((_, value)) = fields.iter_mut().find(|(f, _)| *f == field) {
        value.text = text;
        value.valid = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(text: &str, valid: bool) -> FieldValue {
        crate::test_value(text, valid)
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
    fn a_failing_plate_takes_the_other_pages_close_reading() {
        let (front, back) = agree(plate("桂AF87816", true), plate("2AF87816TLAE", false));
        assert_eq!((front.as_str(), back.as_str()), ("桂AF87816", "桂AF87816"));
        let (front, back) = agree(plate("SAFM2993", false), plate("浙AFM2983", true));
        assert_eq!((front.as_str(), back.as_str()), ("浙AFM2983", "浙AFM2983"));
    }

    #[test]
    fn plates_far_apart_both_passing_or_empty_are_left_as_read() {
        let unchanged = |front: FieldValue, back: FieldValue| {
            let expected = (front.text.clone(), back.text.clone());
            assert_eq!(agree(front, back), expected);
        };
        unchanged(plate("桂AF87816", true), plate("京B12345", false));
        unchanged(plate("桂AF87816", true), plate("桂AF87815", true));
        unchanged(plate("桂AF87816", true), plate("", false));
        unchanged(plate("2AF8781", false), plate("3AF8781", false));
    }
}
