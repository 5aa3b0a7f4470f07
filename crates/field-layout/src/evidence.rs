//! A page read twice, from a close-up and from the whole photo: each value read from both
//! readings together, the whole photo's a witness of its own.

use crate::assign::RowValue;
use crate::{Cut, FieldValue, PageFields, Reading, TableField};

/// Reads each of `fields`' values again from its readings and those of `distant`'s value of the
/// same field (another reading of the page, from the whole photo, where the card is smaller),
/// under the field's grammar (`normalize`: [`crate::normalize_front_row`] or
/// [`crate::normalize_back_row`]). The distant readings are a group of their own
/// ([`Cut::Distant`]): other pixels, another scale, another detection, so a witness beside the
/// close-up's lines, rows and strips rather than more of the same. A value the readings
/// together hold no value of the grammar for stays as read. With `take_missing` (a main page,
/// whose every field is printed), a field `fields` lacks, or read empty, takes `distant`'s
/// value when that passes its grammar; on a back page a blank is an answer of its own (no
/// remarks, no load), and a distant reading's text there may be another field's.
pub fn with_distant_evidence<F: TableField>(
    fields: &mut PageFields<F>,
    distant: &PageFields<F>,
    normalize: fn(F, &str, &[&Reading]) -> RowValue,
    take_missing: bool,
) {
    for (field, far) in &distant.fields {
        if far.text.is_empty() || far.readings.is_empty() {
            continue;
        }
        let Some(near) = fields.get(*field).filter(|v| !v.text.is_empty()) else {
            if far.valid && take_missing {
                fields.set(*field, far.clone());
            }
            continue;
        };
        if near.readings.is_empty() || !same_place(near, far) {
            continue;
        }
        let mut readings = near.readings.clone();
        readings.extend(far.readings.iter().map(|r| Reading {
            cut: Cut::Distant,
            ..r.clone()
        }));
        let row = normalize(*field, &near.text, &readings.iter().collect::<Vec<_>>());
        let Some(confidence) = row.confidence else {
            continue;
        };
        let mut value = near.clone();
        value.text = row.normalized.text;
        value.valid = row.normalized.valid;
        value.confidence = confidence;
        value.trace.extend(
            row.trace
                .iter()
                .map(|t| format!("with the whole photo: {t}")),
        );
        value.readings = readings;
        fields.set(*field, value);
    }
}

/// The share of the smaller of two values' boxes that both cover, at least which two readings
/// of a value are of one place on the card; below it, one reading placed the card otherwise and
/// took another field's text (a back page's inspection stamp as its remarks).
const SAME_PLACE: f32 = 0.3;

/// Whether `a` and `b` were read from one place of the image ([`SAME_PLACE`]); a value with no
/// place is of none.
fn same_place(a: &FieldValue, b: &FieldValue) -> bool {
    let (Some(a), Some(b)) = (a.quad, b.quad) else {
        return false;
    };
    let (a, b) = (a.bounds(), b.bounds());
    let across = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let down = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    let area = |r: (f32, f32, f32, f32)| (r.2 - r.0) * (r.3 - r.1);
    let smaller = area(a).min(area(b));
    smaller > 0.0 && across * down >= SAME_PLACE * smaller
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{normalize_front_row, test_lattice, test_value, FrontField, FrontFields};
    use vlocr_geometry::Quad;

    /// A value read as `text` on the card's first row.
    fn value(text: &str, valid: bool, unsure: &[(usize, &[(char, f32)])]) -> FieldValue {
        FieldValue {
            readings: Reading::of_strip(&[test_lattice(text, unsure)], Cut::Line),
            quad: Some(Quad::from_rect(100.0, 50.0, 260.0, 80.0)),
            ..test_value(text, valid)
        }
    }

    fn page(fields: Vec<(FrontField, FieldValue)>) -> FrontFields {
        FrontFields {
            fields,
            ..FrontFields::default()
        }
    }

    #[test]
    fn a_close_up_unsure_of_a_digit_takes_the_one_the_whole_photo_read_surely() {
        // The close-up leans to 8 where the whole photo, read at its own scale, saw a 0 clearly.
        let near = value("渝AV7380", true, &[(5, &[('8', 0.5), ('0', 0.4)])]);
        let far = value("渝AV7300", true, &[(5, &[('0', 0.95), ('8', 0.01)])]);
        let mut fields = page(vec![(FrontField::Number, near)]);
        with_distant_evidence(
            &mut fields,
            &page(vec![(FrontField::Number, far)]),
            normalize_front_row,
            true,
        );
        let number = fields.get(FrontField::Number).expect("a plate");
        assert_eq!(number.text, "渝AV7300", "{:?}", number.trace);
        assert_eq!(number.readings.len(), 2);
        assert_eq!(number.readings[1].cut, Cut::Distant);
        assert!(number
            .trace
            .iter()
            .any(|t| t.starts_with("with the whole photo")));
    }

    #[test]
    fn a_sure_close_up_keeps_its_reading() {
        let near = value("渝AV7380", true, &[(5, &[('8', 0.95), ('0', 0.01)])]);
        let far = value("渝AV7300", true, &[(5, &[('0', 0.5), ('8', 0.4)])]);
        let mut fields = page(vec![(FrontField::Number, near)]);
        with_distant_evidence(
            &mut fields,
            &page(vec![(FrontField::Number, far)]),
            normalize_front_row,
            true,
        );
        assert_eq!(
            fields.get(FrontField::Number).expect("a plate").text,
            "渝AV7380"
        );
    }

    #[test]
    fn a_reading_of_another_place_lends_no_evidence() {
        // The whole photo's reading placed the card otherwise: its plate is text of another row.
        let near = value("渝AV7380", true, &[(5, &[('8', 0.5), ('0', 0.4)])]);
        let far = FieldValue {
            quad: Some(Quad::from_rect(100.0, 120.0, 260.0, 150.0)),
            ..value("渝AV7300", true, &[(5, &[('0', 0.95), ('8', 0.01)])])
        };
        let mut fields = page(vec![(FrontField::Number, near)]);
        with_distant_evidence(
            &mut fields,
            &page(vec![(FrontField::Number, far)]),
            normalize_front_row,
            true,
        );
        let number = fields.get(FrontField::Number).expect("a plate");
        assert_eq!(number.text, "渝AV7380");
        assert_eq!(number.readings.len(), 1);
    }

    #[test]
    fn a_value_the_close_up_missed_is_taken_when_it_passes_its_grammar() {
        let mut fields = page(Vec::new());
        let far = page(vec![
            (FrontField::RegisterDate, value("2021-12-14", true, &[])),
            (FrontField::IssueDate, value("2021-1X-14", false, &[])),
        ]);
        with_distant_evidence(&mut fields, &far, normalize_front_row, true);
        assert_eq!(
            fields
                .get(FrontField::RegisterDate)
                .map(|v| v.text.as_str()),
            Some("2021-12-14")
        );
        assert!(fields.get(FrontField::IssueDate).is_none());
    }
}
