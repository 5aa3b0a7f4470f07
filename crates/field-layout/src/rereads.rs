//! Which values of a card are read again when their first reading fails, and from which strip
//! of the card: their row, strips led into their label, the barcode's strip (card units: 0..1
//! over the printed page). The pipeline reads the strips; these tables and planners say which
//! and where.

use vlocr_geometry::{Point, Quad};

use crate::back::BACK_LABELS;
use crate::brands::brand_is_cut;
use crate::labels::FRONT_LABELS;
use crate::normalize::is_end_of_longer_use_character;
use crate::{BackField, BackFields, FieldValue, FrontField, FrontFields};

/// Where the barcode digits are printed when the detector gives no hint: under the bars, from
/// a little left of the card's middle to its right edge (card units).
pub const CODE_STRIP: (f32, f32, f32, f32) = (0.36, 0.925, 1.0, 0.995);
/// Half the height of the strip read around digits the detector did find (card units).
pub const CODE_HALF_HEIGHT: f32 = 0.035;
/// How far below where it should be the barcode strip is read again (card units).
pub const CODE_SHIFT: f32 = 0.015;
/// Where the barcode's bars and the digits under them are looked for in the image (card units,
/// stretched by the printer's shift): across, inside the bars (0.43-0.95 where the printer
/// puts them right); down, from above the bars to past the card's foot.
pub const CODE_SEARCH: (f32, f32, f32, f32) = (0.47, 0.78, 0.91, 1.04);
/// Paper taken above and under the digits found there, in the two cuts read (card units): a
/// tight cut, and a loose one for small digits, of which a tight cut gives the recognizer few
/// pixels.
pub const CODE_MARGINS: [(f32, f32); 2] = [(0.006, 0.012), (0.014, 0.032)];

/// Main-page fields printed on one row of the card, whose grammar tells a good reading from a
/// bad one (the name's only when it is missing: two Chinese characters make a name).
pub const ROW_FIELDS: [FrontField; 8] = [
    FrontField::Number,
    FrontField::Name,
    FrontField::VehicleType,
    FrontField::UseCharacter,
    FrontField::Model,
    FrontField::Vin,
    FrontField::RegisterDate,
    FrontField::IssueDate,
];

/// Main-page fields read from their row only when they were not found (or found empty): their
/// grammar passes nearly any reading, so a row read again could not tell a good value from a bad
/// one, but every card prints them, and a missing value is wrong for certain (an engine number
/// whose line the detector joined to the seal beside its label, `安局交通发机号码KSFF9MC8`).
pub const MISSING_ROW_FIELDS: [FrontField; 2] = [FrontField::EngineNo, FrontField::Address];

/// Back-page fields whose grammar tells a good reading from a bad one, read again from their
/// row when they fail it (a blank is printed as dashes, which pass); the energy type also when
/// nothing was found in its place.
pub const BACK_ROW_FIELDS: [BackField; 8] = [
    BackField::Number,
    BackField::ApprovedPassengers,
    BackField::GrossMass,
    BackField::UnladenMass,
    BackField::ApprovedLoad,
    BackField::Dimension,
    BackField::TractionMass,
    BackField::EnergyType,
];

/// Back-page fields every card prints a value in (a blank load or traction mass is printed as
/// dashes; these have none): one with nothing found in its place was missed (by the detector,
/// often a short `7人` printed up over its label's end), and its row is read again, the
/// passengers' also from strips led into their label.
pub const PRINTED_BACK_FIELDS: [BackField; 5] = [
    BackField::Number,
    BackField::ApprovedPassengers,
    BackField::GrossMass,
    BackField::UnladenMass,
    BackField::Dimension,
];

/// The fields of the first row, right under the card's English title.
pub const UNDER_TITLE: [FrontField; 2] = [FrontField::Number, FrontField::VehicleType];

/// How a value's row is cut for reading, in turn until a reading passes: whole, then (for the
/// first row's values, [`UNDER_TITLE`]) without its top, where a value printed up into the
/// card's English title meets the title's letters (`陕A48License of the People's...` read
/// whole, `陕A48DH3` without the top fifth). Fractions of the row's height taken off its top
/// and bottom.
pub const ROW_CUTS: [(f32, f32); 3] = [(0.0, 0.0), (0.2, 0.0), (0.35, 0.0)];

/// Main-page values whose first character the printer often puts over the end of their label:
/// the recognizer then reads the two glyphs as one, the label's (`车辆识别代号DCM6L5W...` for
/// `LDCM6L5W...`, `品牌型手田牌` for `丰田牌`).
pub const LEAD_FIELDS: [FrontField; 5] = [
    FrontField::Number,
    FrontField::Model,
    FrontField::Vin,
    FrontField::EngineNo,
    FrontField::UseCharacter,
];

/// How far before a value's start its strip is read again, in line heights: a cut through the
/// label's last glyph leaves the value's first one whole; two cuts, for two readings to agree.
pub const LEAD_INS: [f32; 5] = [0.5, 0.7, 0.9, 1.1, 1.3];

/// The lead-ins of a use character or a brand, which may have lost two characters (`预约`,
/// `大众` of `大众汽车`).
pub const WORD_LEAD_INS: [f32; 5] = [0.7, 1.1, 1.5, 2.2, 2.6];

/// Strips of a page's values to read again, each with its field (corners in reading order, in
/// the page's pixels).
#[derive(Debug, Clone, PartialEq)]
pub struct StripPlan<F> {
    /// Strips of values that something says are wrong: read as any line (the accurate
    /// recognizer reads again what the fast one was unsure of).
    pub suspect: Vec<(F, Quad)>,
    /// Strips read as a precaution: by the fast first pass alone.
    pub precaution: Vec<(F, Quad)>,
}

impl<F> Default for StripPlan<F> {
    fn default() -> Self {
        StripPlan {
            suspect: Vec::new(),
            precaution: Vec::new(),
        }
    }
}

/// Below this confidence a value that passes its grammar is still weak: its row is read again
/// as that of a value that fails (more evidence, weighed with the first reading's). Not a
/// name's: any two Chinese characters pass as one, and a row read again loses some of them.
pub const WEAK: f32 = 0.1;

/// The rows of main-page values that fail their grammar, are weak ([`WEAK`]) or were not found
/// (or found empty: their reading was of the label alone): the label's row moved by the
/// printer's shift. A value printed up over the card's English title is found by the detector
/// in one line with the title and read as half of each (`苏A325ENSE0F`); the row cut at the
/// value's own height often reads the value alone, so the first row's values get three cuts
/// ([`ROW_CUTS`]).
pub fn unsure_row_strips(fields: &FrontFields) -> Vec<(FrontField, Quad)> {
    let mut rows: Vec<(FrontField, Quad)> = Vec::new();
    for field in ROW_FIELDS.into_iter().chain(MISSING_ROW_FIELDS) {
        let enough = |v: &FieldValue| {
            !v.text.is_empty()
                && (MISSING_ROW_FIELDS.contains(&field)
                    || v.valid && (v.confidence >= WEAK || field == FrontField::Name))
        };
        if fields.get(field).is_some_and(enough) {
            continue;
        }
        let Some(row) = fields.value_row(&FRONT_LABELS, field) else {
            continue;
        };
        let cuts = if UNDER_TITLE.contains(&field) {
            &ROW_CUTS[..]
        } else {
            &ROW_CUTS[..1]
        };
        for &(top, bottom) in cuts {
            rows.push((field, trimmed(&row, top, bottom)));
        }
    }
    rows
}

/// Strips that start a little before main-page values ([`LEAD_FIELDS`]), into the end of their
/// label, for a first character lost under the label's ink: those of a value that something
/// says is wrong (a plate or VIN failing its grammar, a use character that ends a longer one, a
/// cut brand; words get longer lead-ins, [`WORD_LEAD_INS`]) are suspect; those of a value merely
/// read right after its label (not the plate's or VIN's, whose grammar decides, nor a use
/// character's) are read as a precaution.
pub fn value_start_strips(fields: &FrontFields) -> StripPlan<FrontField> {
    let mut plan = StripPlan::default();
    for field in LEAD_FIELDS {
        let Some(value) = fields.get(field) else {
            continue;
        };
        let grammar_decides = matches!(field, FrontField::Number | FrontField::Vin);
        let cut_word = match field {
            FrontField::UseCharacter => value.valid && is_end_of_longer_use_character(&value.text),
            FrontField::Model => brand_is_cut(&value.text),
            _ => false,
        };
        let wanted = if (grammar_decides && !value.valid) || cut_word {
            &mut plan.suspect
        } else if !grammar_decides && field != FrontField::UseCharacter && value.after_label {
            &mut plan.precaution
        } else {
            continue;
        };
        if value.text.is_empty() || value.readings.is_empty() {
            continue;
        }
        let Some(quad) = value.quad else {
            continue;
        };
        let leads = if cut_word { WORD_LEAD_INS } else { LEAD_INS };
        for lead in leads {
            wanted.push((field, led_in(&quad, lead)));
        }
    }
    plan
}

/// The strips of a back page's values to read again: the rows of values of
/// [`BACK_ROW_FIELDS`] that fail their grammar or are weak ([`WEAK`]), or that every card
/// prints and were missed ([`PRINTED_BACK_FIELDS`]) (suspect), the energy
/// type's row when nothing was found there (a precaution), and the passengers read right after
/// their label, whose number the printer often puts over the end of `核定载人数` (the `5` of
/// `5人` under the `数`), also from strips led into the label: suspect when they fail, else a
/// precaution. Lead-ins only from a value that starts where its label ends (its quad is then
/// the value's alone).
pub fn back_value_strips(fields: &BackFields) -> StripPlan<BackField> {
    let mut plan = StripPlan::default();
    for field in BACK_ROW_FIELDS {
        // Nothing found where the value belongs (a piece found there, read as no value, is
        // read again from strips led in from where it is, below).
        let missed = fields
            .get(field)
            .is_none_or(|v| v.text.is_empty() && v.quad.is_none());
        if missed && PRINTED_BACK_FIELDS.contains(&field) {
            plan.suspect.extend(
                fields
                    .value_row(&BACK_LABELS, field)
                    .map(|row| (field, row)),
            );
            if field == BackField::ApprovedPassengers {
                if let Some(start) = fields.value_start(&BACK_LABELS, field) {
                    plan.suspect
                        .extend(LEAD_INS.iter().map(|&lead| (field, led_in(&start, lead))));
                }
            }
            continue;
        }
        let Some(value) = fields.get(field) else {
            // The energy type's two or three characters alone at the page's corner escape the
            // detector on a small card: its place is read once, by the fast first pass (on an
            // older card that prints none, the strip reads blank paper).
            if field == BackField::EnergyType {
                plan.precaution.extend(
                    fields
                        .value_row(&BACK_LABELS, field)
                        .map(|row| (field, row)),
                );
            }
            continue;
        };
        let lead_ins: Vec<(BackField, Quad)> = match (field, value.quad) {
            (BackField::ApprovedPassengers, Some(quad)) if value.after_label => LEAD_INS
                .iter()
                .map(|&lead| (field, led_in(&quad, lead)))
                .collect(),
            _ => Vec::new(),
        };
        // An energy type may be unprinted: a weak one is not read again from its row, whose
        // blank paper would witness against it.
        let weak = value.confidence < WEAK && field != BackField::EnergyType;
        if value.valid && !weak {
            plan.precaution.extend(lead_ins);
            continue;
        }
        if let Some(row) = fields.value_row(&BACK_LABELS, field) {
            plan.suspect.push((field, row));
        }
        plan.suspect.extend(lead_ins);
    }
    plan
}

/// `quad` (corners in reading order) with `top` and `bottom` fractions of its height taken
/// off.
pub fn trimmed(quad: &Quad, top: f32, bottom: f32) -> Quad {
    let [tl, tr, br, bl] = quad.points;
    let at = |a: Point, b: Point, t: f32| Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
    Quad::new([
        at(tl, bl, top),
        at(tr, br, top),
        at(tr, br, 1.0 - bottom),
        at(tl, bl, 1.0 - bottom),
    ])
}

/// `quad` (corners in reading order) with its left edge moved back by `heights` of its height.
pub fn led_in(quad: &Quad, heights: f32) -> Quad {
    let [tl, tr, br, bl] = quad.points;
    let (dx, dy) = (tr.x - tl.x, tr.y - tl.y);
    let length = (dx * dx + dy * dy).sqrt().max(1e-3);
    let back = heights * quad.height() / length;
    let shift = |p: Point| Point::new(p.x - dx * back, p.y - dy * back);
    Quad::new([shift(tl), tr, br, shift(bl)])
}

#[cfg(test)]
mod tests;
