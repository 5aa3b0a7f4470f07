//! Tests of the card map the strips are cut with.

use super::*;

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
