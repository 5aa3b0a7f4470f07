//! Two readings of one page weighed together: each field's value read again from the lattices
//! of both readings under its grammar, so that a second reading adds evidence and never simply
//! overwrites the first.

use crate::{FieldValue, PageFields, Reading, TableField};

impl<F: TableField> PageFields<F> {
    /// Weighs `other`, another reading of the same page, into this one, `other`'s readings
    /// counting `weight` times their own weight. Each field that `other` read too takes both
    /// readings' lattices; where the two values differ, the value is read again from all of
    /// them under the field's grammar ([`TableField::read_row`]), and the value it comes to is
    /// taken when it is one of the two. A field without a grammar, or where the readings come
    /// to a third value, keeps the value that passes, the surer when both do. A field only
    /// `other` found (or found empty here) is taken from it when its grammar holds its value.
    /// This page's frame and places stay.
    pub fn fuse(&mut self, other: &Self, weight: f32) {
        for (field, theirs) in &other.fields {
            let field = *field;
            // A value only `other` found is taken when its grammar holds it (a field without
            // one, such as the remarks, takes in whatever stray text lay in its area).
            let held = || {
                let readings: Vec<&Reading> = theirs.readings.iter().collect();
                let row = field.read_row(&theirs.text, &readings);
                theirs.valid && row.confidence.is_some() && row.normalized.valid
            };
            let Some(mine) = self
                .fields
                .iter_mut()
                .find(|(f, _)| *f == field)
                .map(|(_, v)| v)
            else {
                if held() {
                    self.fields.push((field, theirs.clone()));
                }
                continue;
            };
            if mine.text.is_empty() {
                if held() {
                    *mine = FieldValue {
                        quad: mine.quad.or(theirs.quad),
                        ..theirs.clone()
                    };
                }
                continue;
            }
            let mut readings = mine.readings.clone();
            readings.extend(theirs.readings.iter().map(|r| Reading {
                weight: r.weight * weight,
                ..r.clone()
            }));
            if mine.text == theirs.text || theirs.text.is_empty() {
                mine.readings = readings;
                continue;
            }
            let row = field.read_row(&mine.text, &readings.iter().collect::<Vec<_>>());
            // Only a value one of the two readings came to is taken: a compromise that neither
            // holds (`8人` between `50人` and a close-up's `0人`) is no evidence of its own.
            let came_to = row.normalized.text == mine.text || row.normalized.text == theirs.text;
            match row.confidence.filter(|_| came_to) {
                Some(confidence) => {
                    mine.trace
                        .extend(row.trace.iter().map(|t| format!("both readings: {t}")));
                    mine.text = row.normalized.text;
                    mine.valid = row.normalized.valid;
                    mine.confidence = confidence;
                }
                None => {
                    let better =
                        theirs.valid && (!mine.valid || theirs.confidence > mine.confidence);
                    if better {
                        mine.text = theirs.text.clone();
                        mine.valid = true;
                        mine.confidence = theirs.confidence;
                    }
                }
            }
            mine.readings = readings;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{test_lattice, test_value, Cut, FrontField};

    /// A value read as `text` from one line whose lattice reads it surely but at `unsure`.
    fn read(text: &str, unsure: &[(usize, &[(char, f32)])]) -> FieldValue {
        FieldValue {
            readings: vec![Reading {
                lattice: test_lattice(text, unsure),
                cut: Cut::Line,
                weight: 1.0,
                printing: 0,
            }],
            ..test_value(text, true)
        }
    }

    fn page(fields: Vec<(FrontField, FieldValue)>) -> PageFields<FrontField> {
        PageFields {
            fields,
            ..PageFields::default()
        }
    }

    #[test]
    fn two_readings_of_a_page_are_weighed_together() {
        // The first reading leans to 8 at the plate's fifth character, the second is sure of
        // 3: together they read 3. The second alone found the VIN.
        let mut first = page(vec![(
            FrontField::Number,
            read("京A12845", &[(4, &[('8', 0.55), ('3', 0.4)])]),
        )]);
        let second = page(vec![
            (
                FrontField::Number,
                read("京A12345", &[(4, &[('3', 0.9), ('8', 0.05)])]),
            ),
            (FrontField::Vin, read("LSVFF66R8C2116280", &[])),
        ]);
        first.fuse(&second, 1.0);
        let plate = first.get(FrontField::Number).expect("a plate");
        assert_eq!(plate.text, "京A12345");
        assert_eq!(plate.readings.len(), 2);
        assert!(plate.valid);
        assert_eq!(
            first.get(FrontField::Vin).map(|v| v.text.as_str()),
            Some("LSVFF66R8C2116280")
        );
    }

    #[test]
    fn a_value_neither_reading_came_to_is_not_taken() {
        // Each reading is torn at another character; together they would make `京A12385`,
        // which neither came to: the first reading's value stays.
        let mut first = page(vec![(
            FrontField::Number,
            read("京A12345", &[(4, &[('3', 0.55), ('8', 0.45)])]),
        )]);
        let second = page(vec![(
            FrontField::Number,
            read("京A18385", &[(2, &[('8', 0.55), ('2', 0.45)])]),
        )]);
        first.fuse(&second, 1.0);
        let plate = first.get(FrontField::Number).expect("a plate");
        assert_eq!(plate.text, "京A12345");
        assert_eq!(plate.readings.len(), 2);
    }

    #[test]
    fn a_sure_reading_is_not_overwritten_by_a_doubtful_one() {
        let mut first = page(vec![(FrontField::Number, read("京A12845", &[]))]);
        let second = page(vec![
            (
                FrontField::Number,
                read("京A12345", &[(4, &[('3', 0.5), ('8', 0.4)])]),
            ),
            // A value that fails its grammar is not taken in.
            (
                FrontField::Vin,
                FieldValue {
                    valid: false,
                    ..read("LSV", &[])
                },
            ),
        ]);
        first.fuse(&second, 1.0);
        assert_eq!(
            first.get(FrontField::Number).map(|v| v.text.as_str()),
            Some("京A12845")
        );
        assert!(first.get(FrontField::Vin).is_none());
    }
}
