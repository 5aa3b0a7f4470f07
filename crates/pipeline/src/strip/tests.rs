//! Tests of the card map the strips are cut with.

use super::*;
use vlocr_field_layout::FrontField;

#[test]
fn card_map_round_trips_on_a_turned_card() {
    // A card turned a quarter clockwise: its top-left corner is at the image's top right.
    let outline = Quad::new([
        Point::new(600.0, 100.0),
        Point::new(600.0, 980.0),
        Point::new(0.0, 980.0),
        Point::new(0.0, 100.0),
    ]);
    let map = CardMap::new(&outline).expect("a card");
    let p = map.to_image(0.5, 0.25);
    assert!(
        (p.x - 450.0).abs() < 1e-3 && (p.y - 540.0).abs() < 1e-3,
        "{p:?}"
    );
    let back = map.to_card(p);
    assert!((back.x - 0.5).abs() < 1e-5 && (back.y - 0.25).abs() < 1e-5);
    let strip = map.quad((0.0, 0.0, 1.0, 0.1));
    assert_eq!(strip.points[0], outline.points[0]);
    assert!(CardMap::new(&Quad::from_rect(0.0, 0.0, 0.0, 10.0)).is_none());
}

#[test]
fn strips_read_for_nothing_still_show_in_the_trace() {
    let mut fields = FrontFields::default();
    let old = FieldValue {
        text: "皖AH1CL1CENSE0F".into(),
        confidence: 0.05,
        valid: false,
        quad: None,
        after_label: false,
        trace: vec!["pieces: \"皖AH1CL1CENSE0F\" -4.7".into()],
        readings: Vec::new(),
    };
    fields.set(FrontField::Number, old.clone());
    let quad = Quad::from_rect(0.0, 0.0, 10.0, 10.0);
    let row = StripReading {
        text: "皖Achic/84icense".into(),
        char_confidences: Vec::new(),
        lattices: Vec::new(),
    };
    keep_or_trace(&mut fields, FrontField::Number, None, &[(&quad, &row)]);
    let kept = fields.get(FrontField::Number).expect("kept");
    assert_eq!(kept.text, old.text);
    assert_eq!(kept.trace.len(), 2);
    assert!(
        kept.trace[1].contains("皖Achic/84icense"),
        "{:?}",
        kept.trace
    );
    // No strips read: nothing added.
    keep_or_trace(&mut fields, FrontField::Number, None, &[]);
    assert_eq!(fields.get(FrontField::Number).expect("kept").trace.len(), 2);
}
