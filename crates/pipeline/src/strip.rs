//! Fields read again from their strip of the card, when the detector broke their text up.

use image::RgbImage;
use vlocr_field_layout::back::normalize_back;
use vlocr_field_layout::labels::FRONT_LABELS;
use vlocr_field_layout::{
    normalize_front_row, BackField, BackFields, FieldValue, FrontField, FrontFields, PageFields,
};
use vlocr_geometry::{Point, Quad};

use crate::{OcrEngine, Result};

/// Card coordinates (`u` across, `v` down, 0..1 over the printed card) to image pixels and
/// back, from the card's outline as the field layout fitted it.
#[derive(Debug, Clone, Copy)]
struct CardMap {
    origin: Point,
    across: Point,
    down: Point,
}

impl CardMap {
    fn new(outline: &Quad) -> Option<CardMap> {
        let [tl, tr, _, bl] = outline.points;
        let map = CardMap {
            origin: tl,
            across: Point::new(tr.x - tl.x, tr.y - tl.y),
            down: Point::new(bl.x - tl.x, bl.y - tl.y),
        };
        (map.determinant().abs() > 1.0).then_some(map)
    }

    fn determinant(&self) -> f32 {
        self.across.x * self.down.y - self.across.y * self.down.x
    }

    fn to_image(self, u: f32, v: f32) -> Point {
        Point::new(
            self.origin.x + u * self.across.x + v * self.down.x,
            self.origin.y + u * self.across.y + v * self.down.y,
        )
    }

    fn to_card(self, p: Point) -> Point {
        let (x, y) = (p.x - self.origin.x, p.y - self.origin.y);
        let det = self.determinant();
        Point::new(
            (x * self.down.y - y * self.down.x) / det,
            (self.across.x * y - self.across.y * x) / det,
        )
    }

    /// The image quad of the card rectangle `u0..u1` x `v0..v1`, corners in reading order.
    fn quad(self, (u0, v0, u1, v1): (f32, f32, f32, f32)) -> Quad {
        Quad::new([
            self.to_image(u0, v0),
            self.to_image(u1, v0),
            self.to_image(u1, v1),
            self.to_image(u0, v1),
        ])
    }
}

/// Where the barcode digits are printed when the detector gives no hint: under the bars, from
/// a little left of the card's middle to its right edge (card units).
const CODE_STRIP: (f32, f32, f32, f32) = (0.36, 0.925, 1.0, 0.995);
/// Half the height of the strip read around digits the detector did find (card units).
const CODE_HALF_HEIGHT: f32 = 0.035;

/// The back page's barcode number is 13 digits between `*`s under the bars, spaced so widely
/// that the detector often finds only some of them, one box each. When the reading holds fewer
/// than 13 digits, the strip under the bars (around the digits found, if any) is read again as
/// one line; its reading replaces the field only when it is 13 digits.
pub(crate) fn reread_code_number(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut BackFields,
) -> Result<()> {
    let Some(map) = fields.outline.as_ref().and_then(CardMap::new) else {
        return Ok(());
    };
    let current = fields.get(BackField::CodeNumber);
    let digits = |text: &str| text.chars().filter(char::is_ascii_digit).count();
    if current.is_some_and(|v| digits(&v.text) == 13) {
        return Ok(());
    }
    let (u0, mut v0, u1, mut v1) = CODE_STRIP;
    if let Some(found) = current.and_then(|v| v.quad) {
        let centre = map.to_card(found.center()).y;
        if (0.85..1.05).contains(&centre) {
            (v0, v1) = (centre - CODE_HALF_HEIGHT, centre + CODE_HALF_HEIGHT);
        }
    }
    let quad = map.quad((u0, v0, u1, v1));
    if !readable(image, &quad) {
        return Ok(());
    }
    let (text, confidences) = engine.read_strip(image, &quad)?;
    let normalized = normalize_back(BackField::CodeNumber, &text);
    if !normalized.valid {
        return Ok(());
    }
    let value = FieldValue {
        text: normalized.text,
        valid: true,
        confidence: confidences.iter().copied().reduce(f32::min).unwrap_or(0.0),
        quad: Some(quad),
    };
    set(fields, BackField::CodeNumber, value);
    Ok(())
}

/// Main-page fields printed on one row of the card, whose grammar tells a good reading from a
/// bad one (the name's only when it is missing: two Chinese characters make a name).
const ROW_FIELDS: [FrontField; 8] = [
    FrontField::Number,
    FrontField::Name,
    FrontField::VehicleType,
    FrontField::UseCharacter,
    FrontField::Model,
    FrontField::Vin,
    FrontField::RegisterDate,
    FrontField::IssueDate,
];

/// Main-page values that fail their grammar or were not found, read again from their row of
/// the card (the label's row moved by the printer's shift). A value printed up over the card's
/// English title is found by the detector in one line with the title and read as half of each
/// (`苏A325ENSE0F`); the row cut at the value's own height often reads the value alone (not
/// where the inks overlap). The new reading replaces the old only when it passes the field's
/// grammar.
pub(crate) fn reread_unsure_rows(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut FrontFields,
) -> Result<()> {
    let rows: Vec<(FrontField, Quad)> = ROW_FIELDS
        .into_iter()
        .filter(|&field| !fields.get(field).is_some_and(|v| v.valid))
        .filter_map(|field| Some((field, fields.value_row(&FRONT_LABELS, field)?)))
        .filter(|(_, quad)| readable(image, quad))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let quads: Vec<Quad> = rows.iter().map(|(_, quad)| *quad).collect();
    let readings = engine.read_strips(image, &quads)?;
    for ((field, quad), (text, confidences)) in rows.into_iter().zip(readings) {
        let normalized = normalize_front_row(field, &text, &confidences);
        if normalized.valid {
            let value = FieldValue {
                text: normalized.text,
                valid: true,
                confidence: confidences.iter().copied().reduce(f32::min).unwrap_or(0.0),
                quad: Some(quad),
            };
            set(fields, field, value);
        }
    }
    Ok(())
}

/// Whether `quad` is worth cutting out of `image`: a frame fitted to misread labels can put a
/// strip far outside the photo, at any size; nothing is read there, and no crop of that size is
/// made.
fn readable(image: &RgbImage, quad: &Quad) -> bool {
    let side = image.width().max(image.height()) as f32;
    let (cx, cy) = (quad.center().x, quad.center().y);
    let inside =
        (0.0..=image.width() as f32).contains(&cx) && (0.0..=image.height() as f32).contains(&cy);
    inside && quad.width() <= side && quad.height() <= 0.25 * side
}

/// Puts `value` in `fields` as `field`'s, in place of any value it had.
fn set<F: Copy + PartialEq>(fields: &mut PageFields<F>, field: F, value: FieldValue) {
    match fields.fields.iter_mut().find(|(f, _)| *f == field) {
        Some((_, old)) => *old = value,
        None => fields.fields.push((field, value)),
    }
}

#[cfg(test)]
mod tests {
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
}
