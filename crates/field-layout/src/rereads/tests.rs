//! Tests of the strips read again: where they are cut, and which values get them.

use super::*;
use crate::FieldValue;

fn value(text: &str, valid: bool, after_label: bool) -> FieldValue {
    FieldValue {
        text: text.into(),
        confidence: 0.9,
        valid,
        quad: Some(Quad::from_rect(300.0, 100.0, 340.0, 120.0)),
        after_label,
        trace: Vec::new(),
        readings: Vec::new(),
    }
}

/// A back page placed on a card of 1000 x 700 pixels, with every value that every card prints
/// read and passing.
fn back_page() -> BackFields {
    let mut fields = BackFields {
        outline: Some(Quad::from_rect(0.0, 0.0, 1000.0, 700.0)),
        ..BackFields::default()
    };
    for (field, text) in PRINTED_BACK_FIELDS.into_iter().zip([
        "粤A9891L",
        "5人",
        "2136kg",
        "1627kg",
        "5140×1812×1558mm",
    ]) {
        fields.set(field, value(text, true, false));
    }
    fields
}

#[test]
fn back_values_every_card_prints_are_read_again_when_missed() {
    let mut fields = back_page();
    fields.set(BackField::EnergyType, value("汽油", true, false));
    assert!(back_value_strips(&fields).suspect.is_empty());
    // Passengers found empty with nothing in their place (the detector missed a `7人` printed
    // over the label's end): their row and strips led into the label; a mass not found at all:
    // its row. The load, not found either, is not read again: a blank one is printed as dashes.
    let mut nothing = value("", true, false);
    nothing.quad = None;
    fields.set(BackField::ApprovedPassengers, nothing);
    fields.fields.retain(|(f, _)| *f != BackField::GrossMass);
    let suspect: Vec<BackField> = back_value_strips(&fields)
        .suspect
        .iter()
        .map(|s| s.0)
        .collect();
    let mut expected = vec![BackField::ApprovedPassengers; 1 + LEAD_INS.len()];
    expected.push(BackField::GrossMass);
    assert_eq!(suspect, expected);
}

#[test]
fn back_values_read_again_are_those_failing_and_the_passengers_after_their_label() {
    let mut fields = back_page();
    fields.set(BackField::ApprovedPassengers, value("4人", true, true));
    fields.set(BackField::GrossMass, value("1756kg", true, true));
    fields.set(BackField::UnladenMass, value("17x6", false, true));
    let StripPlan {
        suspect,
        precaution,
    } = back_value_strips(&fields);
    // The failing mass from its row; the passengers, read right after their label, from
    // strips led into it, as a precaution; and the energy type's place, where nothing was
    // found, once.
    assert_eq!(suspect.len(), 1);
    assert_eq!(suspect[0].0, BackField::UnladenMass);
    assert_eq!(precaution.len(), LEAD_INS.len() + 1);
    let (energy, passengers): (Vec<&(BackField, Quad)>, Vec<_>) = precaution
        .iter()
        .partition(|(f, _)| *f == BackField::EnergyType);
    assert_eq!(energy.len(), 1);
    assert!(energy[0].1.center().y > 0.84 * 700.0);
    assert!(passengers
        .iter()
        .all(|(f, q)| *f == BackField::ApprovedPassengers
            && q.points[0].x < 300.0
            && q.points[1].x == 340.0));
    // An energy type found: its place is not read again.
    fields.set(BackField::EnergyType, value("汽油", true, false));
    // Failing passengers: their row and the lead-ins, read as any line.
    fields.set(BackField::ApprovedPassengers, value("人", false, true));
    let StripPlan {
        suspect,
        precaution,
    } = back_value_strips(&fields);
    assert_eq!(suspect.len(), 2 + LEAD_INS.len());
    assert!(precaution.is_empty(), "{precaution:?}");
    // Passengers that do not start at their label (a misread label before them): no
    // lead-ins, whose strips would start in the misread label.
    fields.set(
        BackField::ApprovedPassengers,
        value("秋宗赞定做人数5人", false, false),
    );
    let StripPlan { suspect, .. } = back_value_strips(&fields);
    assert_eq!(suspect.len(), 2);
}

#[test]
fn a_row_loses_its_top_along_its_own_up() {
    // Read downwards: the row's top edge is the image's right side.
    let row = Quad::new([
        Point::new(120.0, 200.0),
        Point::new(120.0, 400.0),
        Point::new(100.0, 400.0),
        Point::new(100.0, 200.0),
    ]);
    let cut = trimmed(&row, 0.25, 0.0);
    assert_eq!(cut.points[0], Point::new(115.0, 200.0));
    assert_eq!(cut.points[1], Point::new(115.0, 400.0));
    assert_eq!(cut.points[2], row.points[2]);
    assert_eq!(cut.points[3], row.points[3]);
    assert_eq!(trimmed(&row, 0.0, 0.0), row);
}

#[test]
fn a_strip_is_led_in_along_its_reading_direction() {
    // A line read downwards (a page turned a quarter clockwise): its top-left corner is the
    // image's top right, and "before" it is up the image.
    let quad = Quad::new([
        Point::new(120.0, 200.0),
        Point::new(120.0, 400.0),
        Point::new(100.0, 400.0),
        Point::new(100.0, 200.0),
    ]);
    let led = led_in(&quad, 0.5);
    assert_eq!(led.points[0], Point::new(120.0, 190.0));
    assert_eq!(led.points[3], Point::new(100.0, 190.0));
    assert_eq!(led.points[1], quad.points[1]);
    assert_eq!(led.points[2], quad.points[2]);
}

#[test]
fn weak_values_that_pass_their_grammar_are_read_again_from_their_rows() {
    let weak = |text: &str| FieldValue {
        confidence: WEAK / 2.0,
        ..value(text, true, false)
    };
    let mut front = FrontFields {
        outline: Some(Quad::from_rect(0.0, 0.0, 1000.0, 700.0)),
        ..FrontFields::default()
    };
    front.set(FrontField::Number, value("陕A9815R", true, false));
    front.set(FrontField::Vin, weak("LVGJJJ8C2BU155695"));
    // A name passes with any two characters: a weak one is not read again.
    front.set(FrontField::Name, weak("肖刚"));
    for field in [FrontField::VehicleType, FrontField::UseCharacter] {
        front.set(field, value("x", true, false));
    }
    front.set(FrontField::Model, value("比亚迪牌BYD7389", true, false));
    front.set(FrontField::RegisterDate, value("2020-05-12", true, false));
    front.set(FrontField::IssueDate, value("2020-05-12", true, false));
    // Engine numbers and addresses pass nearly any reading: found, even weak, they stand.
    front.set(FrontField::EngineNo, weak("G6RYM1"));
    front.set(FrontField::Address, weak("上海市静安区解放路148号"));
    let rows: Vec<FrontField> = unsure_row_strips(&front).iter().map(|r| r.0).collect();
    assert_eq!(rows, vec![FrontField::Vin]);

    // Not found (or found empty), they are read from their rows.
    front.set(FrontField::EngineNo, value("", true, false));
    front.fields.retain(|(f, _)| *f != FrontField::Address);
    let rows: Vec<FrontField> = unsure_row_strips(&front).iter().map(|r| r.0).collect();
    assert_eq!(
        rows,
        vec![FrontField::Vin, FrontField::EngineNo, FrontField::Address]
    );

    let mut back = back_page();
    back.set(BackField::GrossMass, weak("1756kg"));
    // An energy type may be unprinted: its row's blank paper would witness against it.
    back.set(BackField::EnergyType, weak("汽油"));
    let StripPlan { suspect, .. } = back_value_strips(&back);
    let fields: Vec<BackField> = suspect.iter().map(|r| r.0).collect();
    assert_eq!(fields, vec![BackField::GrossMass]);
}
