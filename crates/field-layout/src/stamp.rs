//! The back page's inspection stamp and plate, each read again with the other as a witness.
//!
//! A stamp names the inspecting office after its month (`检验有效期至2017年11月鲁AT(15)`), and
//! most vehicles are inspected in the province that registered them, whose character starts the
//! plate (domain.md 3.11, 5). A small stamp's province is the character read worst (`费AT`,
//! `年AN`); when no reading holds a listed province there, the plate's is weighed under the
//! readings like any value and taken when they give it weight enough. When they do not (the
//! province's character is no symbol the recognizer listed there), the plate's is put in all
//! the same, at [`PLATE_ALONE_CONFIDENCE`]: a stamp naming no province is wrong as read, and the
//! plate's is the likeliest. A stamp read with a listed province keeps it (a vehicle may be
//! inspected elsewhere).
//!
//! The other way round, a stamp that reads as printed names an office (`鲁A`) whose plates
//! most of the vehicles it inspects carry: a plate read with no province takes the office's,
//! as the main page's seal gives it one ([`agree_plate_and_stamp`]).

use crate::back::normalize_back;
use crate::decode::{decode, decode_preferring, is_stamp, Kind, Witness};
use crate::grammar::Grammars;
use crate::seal::{names_province, plate_from_office};
use crate::{BackField, BackFields, FrontField, FrontFields, Reading};

/// How much less likely (nats per reading) than the best stamp the one naming the plate's
/// province may be and be taken: the seal's witness margin (`seal.rs`), not calibrated apart.
const WITNESS_MARGIN: f32 = 10.0;

/// The engine's own score of a stamp whose province only the plate gives, no reading showing
/// it: most vehicles are inspected where they are registered, not all. (The stamp's calibration
/// curve is flat from 0.13, so the confidence answered is a valid stamp's, about 0.95.)
const PLATE_ALONE_CONFIDENCE: f32 = 0.5;

/// Reads the inspection stamp again, when it names no listed province, with the plate's
/// province put in after its months as a witness (see the module's docs).
pub fn agree_stamp_and_plate(fields: &mut BackFields) {
    let Some(province) = fields
        .get(BackField::Number)
        .and_then(|plate| plate.text.chars().next())
        .filter(|&c| is_province(c))
    else {
        return;
    };
    let Some(stamp) = fields.get(BackField::InspectionRecord) else {
        return;
    };
    if stamp.text.is_empty() || is_stamp(&stamp.text) {
        return;
    }
    let readings: Vec<&Reading> = stamp.readings.iter().collect();
    // The texts read (the value the readings weigh best, each reading's likeliest), with the
    // plate's province after every month, or after the last (the latest stamp, the one answered)
    // alone: a witness pays for each character it puts in.
    let mut read: Vec<String> = decode(Kind::Inspection, &readings)
        .decision
        .map(|d| d.text)
        .into_iter()
        .collect();
    read.extend(readings.iter().map(|reading| {
        reading
            .lattice
            .folded(|c| Kind::Inspection.fold(c))
            .greedy()
            .text()
    }));
    let mut values: Vec<String> = Vec::new();
    for text in &read {
        for only_last in [false, true] {
            if let Some(value) = with_province(text, province, only_last) {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
    }
    if values.is_empty() {
        return;
    }
    let witness = Witness {
        values: &values,
        margin: WITNESS_MARGIN,
    };
    let decoded = decode_preferring(Kind::Inspection, &readings, Some(&witness));
    let mut value = stamp.clone();
    value.trace.extend(
        decoded
            .trace
            .iter()
            .map(|t| format!("plate's province: {t}")),
    );
    let held = decoded.decision.filter(|d| values.contains(&d.text));
    let (text, confidence) = match held {
        Some(decision) => (
            normalize_back(BackField::InspectionRecord, &decision.text).text,
            decision.confidence,
        ),
        // No reading shows the plate's province: put in after the latest stamp's month of the
        // stamp as answered, at a guess's confidence.
        None => match with_province(&stamp.text, province, true) {
            Some(text) => {
                value
                    .trace
                    .push("plate's province: none held, put in after the last month".to_owned());
                (text, PLATE_ALONE_CONFIDENCE)
            }
            None => return,
        },
    };
    if !is_stamp(&text) {
        return;
    }
    value.text = text;
    value.valid = true;
    value.confidence = confidence;
    fields.set(BackField::InspectionRecord, value);
}

/// The plate read again with the office the latest inspection stamp names (`黑A` of
/// `...2018年06月黑AU(15)`) as its witness, by the steps with which the main page's seal
/// witnesses it (`seal.rs`): the office is the province and letter of most plates it inspects.
/// Only a stamp that reads as printed witnesses; a plate read with another province keeps it
/// unless `witnessed` (the main page names the stamp's province too). Whether the plate changed.
pub fn agree_plate_and_stamp(fields: &mut BackFields, witnessed: bool) -> bool {
    let Some(office) = fields
        .get(BackField::InspectionRecord)
        .filter(|stamp| stamp.valid && is_stamp(&stamp.text))
        .and_then(|stamp| stamp_office(&stamp.text))
    else {
        return false;
    };
    let Some(mut plate) = fields.get(BackField::Number).cloned() else {
        return false;
    };
    if !plate_from_office(&mut plate, &office, witnessed, "inspection stamp") {
        return false;
    }
    fields.set(BackField::Number, plate);
    true
}

/// [`agree_plate_and_stamp`] for both pages of one license, once their plates agree: the main
/// page's seal or address naming the stamp's province is the second witness, and a main page
/// whose plate was read as the back page's takes the plate put right.
pub fn agree_plates_and_stamp(front: &mut FrontFields, back: &mut BackFields) {
    let Some(before) = back.get(BackField::Number).map(|v| v.text.clone()) else {
        return;
    };
    let province = back
        .get(BackField::InspectionRecord)
        .and_then(|stamp| stamp_office(&stamp.text))
        .and_then(|office| office.chars().next());
    let witnessed = province.is_some_and(|p| names_province(front, p));
    if !agree_plate_and_stamp(back, witnessed) {
        return;
    }
    let read_alike = front
        .get(FrontField::Number)
        .is_some_and(|plate| plate.text == before);
    if let (true, Some(plate)) = (read_alike, back.get(BackField::Number).cloned()) {
        if let Some((_, value)) = front
            .fields
            .iter_mut()
            .find(|(f, _)| *f == FrontField::Number)
        {
            value.text = plate.text;
            value.valid = plate.valid;
            value.confidence = plate.confidence;
            value.trace.extend(plate.trace.last().cloned());
        }
    }
}

/// The office the latest stamp of `stamp` names: its province and letter (`黑A`).
fn stamp_office(stamp: &str) -> Option<String> {
    let (_, after) = stamp.rsplit_once('月')?;
    let mut chars = after.chars();
    let (province, letter) = (chars.next()?, chars.next()?);
    (is_province(province) && letter.is_ascii_uppercase()).then(|| format!("{province}{letter}"))
}

/// Whether `c` starts a plate (a province's one-character name).
fn is_province(c: char) -> bool {
    Grammars::get()
        .lexicon("plate_provinces")
        .contains(&c.to_string())
}

/// `text` with `province` after each month (`月`; only the last one when `only_last`) that is
/// followed by no province: in place of the character there, or put in before an office's
/// letter read without one. `None` when nothing changes.
fn with_province(text: &str, province: char, only_last: bool) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let last_month = chars.iter().rposition(|&c| c == '月');
    let mut out = String::with_capacity(text.len() + 3);
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        if chars[i] == '月' && (!only_last || Some(i) == last_month) {
            match chars.get(i + 1) {
                Some(&next) if is_province(next) => {}
                Some(next) if next.is_ascii_uppercase() => {
                    out.push(province);
                    changed = true;
                }
                Some(_) => {
                    out.push(province);
                    changed = true;
                    i += 1;
                }
                None => {}
            }
        }
        i += 1;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{test_lattice, test_value, Cut, FieldValue, FrontField, FrontFields};

    /// A value read as `text`, from a lattice reading it surely but at `unsure`.
    fn value(text: &str, unsure: &[(usize, &[(char, f32)])]) -> FieldValue {
        let mut value = test_value(text, true);
        value.readings.push(Reading {
            lattice: test_lattice(text, unsure),
            cut: Cut::Line,
            weight: 1.0,
            printing: 0,
        });
        value
    }

    #[test]
    fn the_province_goes_in_after_each_month_that_names_none() {
        assert_eq!(
            with_province("检验有效期至2017年11月费AT(15)", '鲁', false).as_deref(),
            Some("检验有效期至2017年11月鲁AT(15)")
        );
        assert_eq!(
            with_province("检验有效期至2016年07月AA(23)", '鲁', true).as_deref(),
            Some("检验有效期至2016年07月鲁AA(23)")
        );
        assert_eq!(
            with_province("检验有效期至2016年07月粤AA(23)", '鲁', false),
            None
        );
        // Only the latest stamp's, or every stamp's.
        let two = "检验有效期至2014年07月费AA(23)检验有效期至2016年07月费AA(23)";
        assert_eq!(
            with_province(two, '鲁', true).as_deref(),
            Some("检验有效期至2014年07月费AA(23)检验有效期至2016年07月鲁AA(23)")
        );
        assert_eq!(
            with_province(two, '鲁', false).as_deref(),
            Some("检验有效期至2014年07月鲁AA(23)检验有效期至2016年07月鲁AA(23)")
        );
    }

    #[test]
    fn a_stamp_naming_no_province_takes_the_plates_where_the_readings_allow() {
        let stamp = "检验有效期至2017年11月费AT(15)";
        // `费` read, `鲁` far behind it: too far for the stamp's own preference for a province.
        let mut fields = BackFields::default();
        fields.set(BackField::Number, value("鲁A12345", &[]));
        fields.set(
            BackField::InspectionRecord,
            value(stamp, &[(14, &[('费', 0.8), ('鲁', 0.001)])]),
        );
        agree_stamp_and_plate(&mut fields);
        let read = fields.get(BackField::InspectionRecord).unwrap();
        assert_eq!(read.text, "检验有效期至2017年11月鲁AT(15)");
        assert!(read.valid);
        // A stamp naming a listed province keeps it.
        let mut fields = BackFields::default();
        fields.set(BackField::Number, value("鲁A12345", &[]));
        let elsewhere = "检验有效期至2017年11月粤AT(15)";
        fields.set(BackField::InspectionRecord, value(elsewhere, &[]));
        agree_stamp_and_plate(&mut fields);
        assert_eq!(
            fields.get(BackField::InspectionRecord).unwrap().text,
            elsewhere
        );
    }

    #[test]
    fn a_stamp_naming_no_province_takes_the_plates_as_a_guess_where_no_reading_shows_it() {
        // `旋` read surely, no province listed there: wrong as read, the plate's put in.
        let mut fields = BackFields::default();
        fields.set(BackField::Number, value("皖A33062", &[]));
        let stamp = "检验有效期至2022年12月旋AF(02)";
        fields.set(BackField::InspectionRecord, value(stamp, &[]));
        agree_stamp_and_plate(&mut fields);
        let read = fields.get(BackField::InspectionRecord).unwrap();
        assert_eq!(read.text, "检验有效期至2022年12月皖AF(02)");
        assert!(read.valid);
        assert_eq!(read.confidence, PLATE_ALONE_CONFIDENCE);
        // Nothing shaped as a stamp comes of a text with no month.
        let mut fields = BackFields::default();
        fields.set(BackField::Number, value("皖A33062", &[]));
        fields.set(
            BackField::InspectionRecord,
            value("检验有效期至2022年", &[]),
        );
        agree_stamp_and_plate(&mut fields);
        assert_eq!(
            fields.get(BackField::InspectionRecord).unwrap().text,
            "检验有效期至2022年"
        );
    }

    /// A back page with `plate` read as `text` (surely but at `unsure`) and `stamp` read surely.
    fn back_page(plate: &str, unsure: &[(usize, &[(char, f32)])], stamp: &str) -> BackFields {
        let mut fields = BackFields::default();
        fields.set(BackField::Number, value(plate, unsure));
        fields.set(BackField::InspectionRecord, value(stamp, &[]));
        fields
    }

    #[test]
    fn a_plate_naming_no_province_takes_the_stamps_office() {
        let stamp = "检验有效期至2015年05月辽AE(23)";
        let mut fields = back_page("江A98P3S", &[], stamp);
        assert!(agree_plate_and_stamp(&mut fields, false));
        let plate = fields.get(BackField::Number).unwrap();
        assert_eq!(plate.text, "辽A98P3S");
        assert!(plate.valid);
        // Only where the plate has the office's letter.
        let mut fields = back_page("江B98P3S", &[], stamp);
        assert!(!agree_plate_and_stamp(&mut fields, false));
        // A stamp that does not read as printed witnesses nothing.
        let mut fields = back_page("江A98P3S", &[], "相独合放肝至2015年05月辽AE(23)");
        fields.set(
            BackField::InspectionRecord,
            test_value("相独合放肝至2015年05月辽AE(23)", false),
        );
        assert!(!agree_plate_and_stamp(&mut fields, false));
        assert_eq!(fields.get(BackField::Number).unwrap().text, "江A98P3S");
    }

    #[test]
    fn a_plate_of_another_province_takes_the_stamps_only_with_a_second_witness() {
        // `京` read, `黑` second: the stamp alone leaves the plate as read (a vehicle may be
        // inspected elsewhere), the main page's seal naming 黑龙江 too puts it right.
        let unsure: [(usize, &[(char, f32)]); 1] = [(0, &[('京', 0.6), ('黑', 0.3)])];
        let stamp = "检验有效期至2018年06月黑AU(15)";
        let mut back = back_page("京AX64N8", &unsure, stamp);
        assert!(!agree_plate_and_stamp(&mut back, false));
        let mut front = FrontFields::default();
        front.set(FrontField::Number, value("京AX64N8", &unsure));
        agree_plates_and_stamp(&mut front, &mut back);
        assert_eq!(back.get(BackField::Number).unwrap().text, "京AX64N8");
        front.set(
            FrontField::IssuingAuthority,
            test_value("黑龙江省哈尔滨市公安局交通警察支队", true),
        );
        agree_plates_and_stamp(&mut front, &mut back);
        assert_eq!(back.get(BackField::Number).unwrap().text, "黑AX64N8");
        assert_eq!(front.get(FrontField::Number).unwrap().text, "黑AX64N8");
    }
}
