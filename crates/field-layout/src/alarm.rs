//! Huawei's `alarm` for a page read: whether something covers part of the card inside its
//! border (skin over the card; a long straight edge inside it; values every card prints, whose
//! place lies in the photo, not read, read as no value of their field or read barely, weighed
//! by whether the photo shows print where they are printed), and whether the card's border leaves the photo (the card's
//! outline, as its frame places it, partly outside the image). The pixels are measured by the
//! caller ([`CardPixels`]), so this stays pure.

use vlocr_geometry::{convex_hull, min_area_rect, Point, Quad};

use crate::back::{BackField, BACK_LABELS};
use crate::confidence::calibrated_confidence;
use crate::labels::{FrontField, Label, FRONT_LABELS};
use crate::{BackFields, FrontFields, PageFields};

/// The share of the card's outline outside the image at which the border counts as incomplete
/// (the frame fitted to the labels places the card's edge to a few percent: on scans cropped at
/// the card's edge it measured up to 4% outside).
const OUTSIDE_AT_HALF: f32 = 0.05;
/// How far (a share of the way to its centre) the card's outline is drawn in before skin is
/// looked for inside it: the outline's error, as for [`OUTSIDE_AT_HALF`].
const OUTLINE_SLACK: f32 = 0.05;
/// A value read with a confidence under this counts as half hidden.
const BARELY_READ: f32 = 0.5;
/// The blocking score each value hidden adds (one gives 45; two, 90).
const PER_VALUE_HIDDEN: f32 = 45.0;
/// What a value not read counts for where the photo shows print in its place (or its place is
/// not looked at): a misreading is likelier there than a cover, so three such values raise the
/// flag, not two (replayed on what was measured in the 280 photos of seeds 10201-10202, this
/// took the false flags from 5 to 1 and missed 2 more of 108 covered cards).
const UNREAD_UNDER_PRINT: f32 = 0.5;
/// How far the card's outline is drawn in before edges are looked for inside it (a little
/// less than [`OUTLINE_SLACK`]: the edges' threshold was measured with this).
const EDGE_SLACK: f32 = 0.04;
/// The length of a straight edge inside the card (a share of the card's side along it) from
/// which something lies over it: on the 200 photos of seed 10401, the longest edge on cards with
/// nothing over them was 0.038 of the side, a sheet's edge (0.15 to 0.35 of the card wide)
/// mostly 0.1 or more.
const EDGE_AT_HALF: f32 = 0.07;
/// The share of the area of the values read that is the colour of skin, from which a finger is
/// over the card.
const SKIN_OVER_CARD: f32 = 0.008;
/// The share of print in part of a value's row below which it shows none (set on 120 photos of
/// seed 10201 with print counted from 60 levels darker than the paper: values' starts not
/// covered 0.003 to 0.16 of their pixels, starts under a sheet of paper 0.000 to 0.002; print
/// is now counted from 30 levels, which only raises the shares of print).
const BLANK_INK: f32 = 0.0025;
/// What a value that shows no print where the card prints it counts for: as two values not
/// read, so that it raises the flag alone.
const BLANK_WEIGHT: f32 = 2.0;
/// The step (card units, about one Chinese character or two digits) in which a value's stretch
/// is looked at for a gap.
const STRETCH_STEP: f32 = 0.045;

/// What the photo shows inside a region, measured by the caller, who has the pixels.
pub trait CardPixels {
    /// The share (0..1) of the pixels inside every quad of `within` the colour of skin.
    fn skin(&self, within: &[Quad]) -> f32;
    /// The share (0..1) of `quad`'s pixels that are print: markedly darker than the paper
    /// around them.
    fn ink(&self, quad: &Quad) -> f32;
    /// The longest straight edge of something lying over the card inside `card` (corners in
    /// reading order), as a share of the card's side it runs along (0..1): a step in colour
    /// between two even sides, which print does not make.
    fn edge(&self, card: &Quad) -> f32;
}

/// Huawei's `alarm_result` and `alarm_confidence` for one page: each flag is true when its score
/// (0-100, higher is likelier) reaches 50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Alarms {
    /// Something covers part of the card inside its border.
    pub blocking_score: u8,
    /// Part of the card's border is outside the image.
    pub border_score: u8,
}

impl Alarms {
    /// `detect_blocking_within_border_result`.
    pub fn blocking(self) -> bool {
        self.blocking_score >= 50
    }

    /// `detect_border_integrity_result` (true: the border is incomplete).
    pub fn border_incomplete(self) -> bool {
        self.border_score >= 50
    }
}

/// How a value every card prints lies in its area.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Print {
    /// From the start of its area, and at least this far (card units past the area's start):
    /// where the field's shortest values end.
    FromStart(f32),
    /// Anywhere in its area (the inspection stamp, the barcode's digits).
    Anywhere,
}

// How far each value prints at least: as far as all but at most two of the field's values not
// covered showed print (those two on pages whose frame was off), in steps of `STRETCH_STEP`,
// on the 280 photos of seeds 10201 and 10202 (a plate's 7 characters, a date's 10, a VIN's
// 17, a file number's 12, a dimension's 14 and more reach that far; a name, a use character,
// a number of passengers and the seal's text can be two characters, so no further than their
// start is looked at).

/// The fields of a main page (every field is printed) and how they print.
const FRONT_PRINT: [(FrontField, Print); 11] = [
    (FrontField::Number, Print::FromStart(0.18)),
    (FrontField::VehicleType, Print::FromStart(0.135)),
    (FrontField::Name, Print::FromStart(0.09)),
    (FrontField::Address, Print::FromStart(0.315)),
    (FrontField::UseCharacter, Print::FromStart(0.09)),
    (FrontField::Model, Print::FromStart(0.225)),
    (FrontField::Vin, Print::FromStart(0.315)),
    (FrontField::EngineNo, Print::FromStart(0.135)),
    (FrontField::RegisterDate, Print::FromStart(0.18)),
    (FrontField::IssueDate, Print::FromStart(0.18)),
    (FrontField::IssuingAuthority, Print::FromStart(0.0)),
];

/// The fields every back page prints (approved load, traction mass and remarks are often
/// blank) and how they print.
const BACK_PRINT: [(BackField, Print); 8] = [
    (BackField::Number, Print::FromStart(0.18)),
    (BackField::FileNo, Print::FromStart(0.27)),
    (BackField::ApprovedPassengers, Print::FromStart(0.045)),
    (BackField::GrossMass, Print::FromStart(0.135)),
    (BackField::UnladenMass, Print::FromStart(0.135)),
    (BackField::Dimension, Print::FromStart(0.315)),
    (BackField::InspectionRecord, Print::Anywhere),
    (BackField::CodeNumber, Print::Anywhere),
];

/// The alarms of a main page read from an image of `width` x `height` pixels.
pub fn main_page_alarms(
    page: &FrontFields,
    width: u32,
    height: u32,
    pixels: &dyn CardPixels,
) -> Alarms {
    let image = Image {
        width,
        height,
        pixels,
    };
    page_alarms(page, &FRONT_LABELS, &FRONT_PRINT, FrontField::key, &image)
}

/// The alarms of a back page read from an image of `width` x `height` pixels.
pub fn back_page_alarms(
    page: &BackFields,
    width: u32,
    height: u32,
    pixels: &dyn CardPixels,
) -> Alarms {
    let image = Image {
        width,
        height,
        pixels,
    };
    page_alarms(page, &BACK_LABELS, &BACK_PRINT, BackField::key, &image)
}

/// The image a page was read from: its size and what its pixels show.
struct Image<'a> {
    width: u32,
    height: u32,
    pixels: &'a dyn CardPixels,
}

/// The alarms of `page`, read with `labels` from `image`: `printed` are the fields every card
/// prints and how, `key` names a field as Huawei does (for its confidence). A page without an
/// outline has no evidence either way (scores 0).
fn page_alarms<F: Copy + PartialEq>(
    page: &PageFields<F>,
    labels: &[Label<F>],
    printed: &[(F, Print)],
    key: impl Fn(F) -> &'static str,
    image: &Image<'_>,
) -> Alarms {
    let Some(outline) = page.outline else {
        return Alarms::default();
    };
    let (width, height) = (image.width as f32, image.height as f32);
    let outside = share_outside(&outline, width, height);
    let border = (50.0 * outside / OUTSIDE_AT_HALF).min(100.0);
    let in_image = |quad: &Quad| {
        quad.points
            .iter()
            .all(|p| (0.0..=width).contains(&p.x) && (0.0..=height).contains(&p.y))
    };
    let mut hidden = 0.0;
    let blank = |quad: Option<Quad>| quad.is_some_and(|q| image.pixels.ink(&q) < BLANK_INK);
    for &(field, print) in printed {
        // Only where the value's place is in the photo: one cut off by the frame is not hidden.
        if !page
            .value_row(labels, field)
            .is_some_and(|row| in_image(&row))
        {
            continue;
        }
        let unread = match page.get(field) {
            None => 1.0,
            // Empty, or no value of its field: read from the part that shows.
            Some(value) if value.text.is_empty() || !value.valid => 1.0,
            Some(value) if calibrated_confidence(key(field), Some(value)) < BARELY_READ => 0.5,
            Some(_) => 0.0,
        };
        let shows_no_print = match print {
            Print::Anywhere => false,
            // A value's start with no print at all where the card prints it: something lies
            // over it (a sheet of paper, a sticker, glare), whatever was read from the rest.
            // A value not read well with a gap in the stretch every value of its field prints:
            // something lies over its rest (a value read well shows it was not covered).
            Print::FromStart(length) => {
                blank(page.value_start(labels, field))
                    || unread > 0.0
                        && (1..)
                            .map(|step| step as f32 * STRETCH_STEP)
                            .take_while(|from| from + STRETCH_STEP <= length + 1e-4)
                            .any(|from| {
                                blank(page.value_stretch(labels, field, from, from + STRETCH_STEP))
                            })
            }
        };
        hidden += if shows_no_print {
            BLANK_WEIGHT
        } else {
            unread * UNREAD_UNDER_PRINT
        };
    }
    // Skin within the values read and inside the card: past the card's edge lies the table or
    // the hand holding it. The rectangle around the values reaches past the edge of a card seen
    // in perspective, and the outline, extrapolated from the labels, may reach a few percent
    // past it, so it is drawn in by that much.
    let read: Vec<Point> = page
        .fields
        .iter()
        .filter_map(|(_, v)| v.quad)
        .flat_map(|q| q.points)
        .collect();
    let card = drawn_in(&outline, OUTLINE_SLACK);
    let skin = min_area_rect(&convex_hull(&read))
        .is_some_and(|area| image.pixels.skin(&[area.to_quad(), card]) >= SKIN_OVER_CARD);
    // A straight edge inside the card: something flat lies over it, whatever was read.
    let edge = 50.0 * image.pixels.edge(&drawn_in(&outline, EDGE_SLACK)) / EDGE_AT_HALF;
    let blocking = if skin {
        100.0
    } else {
        (hidden * PER_VALUE_HIDDEN).max(edge)
    };
    Alarms {
        blocking_score: blocking.min(100.0).round() as u8,
        border_score: border.round() as u8,
    }
}

/// `quad` with each corner moved toward its centre by `share` of the way.
fn drawn_in(quad: &Quad, share: f32) -> Quad {
    let centre = quad.center();
    quad.map(|p| {
        Point::new(
            p.x + share * (centre.x - p.x),
            p.y + share * (centre.y - p.y),
        )
    })
}

/// One side of the image: a point's distance along the side's inward normal, and where the
/// image begins along it.
type Edge = (fn(Point) -> f32, f32);

/// The share of `quad`'s area outside the rectangle `0..width` x `0..height`.
fn share_outside(quad: &Quad, width: f32, height: f32) -> f32 {
    let area = quad.area();
    if area <= 0.0 {
        return 0.0;
    }
    let mut polygon: Vec<Point> = quad.points.to_vec();
    // Sutherland-Hodgman: keep the part on the inner side of each of the four edges.
    let edges: [Edge; 4] = [
        (|p| p.x, 0.0),
        (|p| -p.x, -width),
        (|p| p.y, 0.0),
        (|p| -p.y, -height),
    ];
    for (along, at) in edges {
        let inside = |p: Point| along(p) >= at;
        let mut kept = Vec::with_capacity(polygon.len() + 2);
        for (i, &p) in polygon.iter().enumerate() {
            let q = polygon[(i + 1) % polygon.len()];
            if inside(p) {
                kept.push(p);
            }
            if inside(p) != inside(q) {
                let t = (at - along(p)) / (along(q) - along(p));
                kept.push(Point::new(p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)));
            }
        }
        polygon = kept;
        if polygon.is_empty() {
            return 1.0;
        }
    }
    let inside_area = shoelace(&polygon);
    (1.0 - inside_area / area).clamp(0.0, 1.0)
}

fn shoelace(points: &[Point]) -> f32 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (p, q) = (points[i], points[(i + 1) % n]);
            p.x * q.y - q.x * p.y
        })
        .sum::<f32>()
        .abs()
        / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{test_value, FieldValue};

    #[test]
    fn the_share_of_a_card_outside_the_image_is_measured() {
        let inside = Quad::from_rect(10.0, 10.0, 90.0, 50.0);
        assert_eq!(share_outside(&inside, 100.0, 100.0), 0.0);
        let half_out = Quad::from_rect(-40.0, 10.0, 40.0, 50.0);
        assert!((share_outside(&half_out, 100.0, 100.0) - 0.5).abs() < 1e-4);
        let corner_out = Quad::from_rect(80.0, 80.0, 120.0, 120.0);
        assert!((share_outside(&corner_out, 100.0, 100.0) - 0.75).abs() < 1e-4);
        let gone = Quad::from_rect(200.0, 200.0, 300.0, 300.0);
        assert_eq!(share_outside(&gone, 100.0, 100.0), 1.0);
    }

    fn page(outline: Quad, read: &[FrontField]) -> FrontFields {
        FrontFields {
            fields: read
                .iter()
                .enumerate()
                .map(|(i, &f)| {
                    let x = 100.0 + 60.0 * i as f32;
                    let quad = Some(Quad::from_rect(
                        x,
                        100.0 + x / 2.0,
                        x + 50.0,
                        130.0 + x / 2.0,
                    ));
                    (
                        f,
                        FieldValue {
                            quad,
                            ..test_value("x", true)
                        },
                    )
                })
                .collect(),
            outline: Some(outline),
            labels_found: 9,
            ..FrontFields::default()
        }
    }

    /// Skin at `finger`; print only left of `print_before` (a sheet of paper over the rest);
    /// the longest straight edge inside the card `edge`.
    struct Pixels {
        finger: Option<Point>,
        print_before: f32,
        edge: f32,
    }

    impl CardPixels for Pixels {
        fn skin(&self, within: &[Quad]) -> f32 {
            if self
                .finger
                .is_some_and(|at| within.iter().all(|quad| quad.contains(at)))
            {
                0.05
            } else {
                0.0
            }
        }

        fn edge(&self, _card: &Quad) -> f32 {
            self.edge
        }

        fn ink(&self, quad: &Quad) -> f32 {
            if quad.center().x < self.print_before {
                0.1
            } else {
                0.0
            }
        }
    }

    const PRINTED: Pixels = Pixels {
        finger: None,
        print_before: f32::INFINITY,
        edge: 0.0,
    };

    #[test]
    fn skin_among_the_values_read_is_blocking() {
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        let whole = page(card, &FrontField::ALL);
        // A thumb over the last value read.
        let finger = Pixels {
            finger: Some(Point::new(725.0, 465.0)),
            print_before: f32::INFINITY,
            edge: 0.0,
        };
        let found = main_page_alarms(&whole, 1000, 700, &finger);
        assert!(found.blocking() && !found.border_incomplete(), "{found:?}");
        assert!(!main_page_alarms(&whole, 1000, 700, &PRINTED).blocking());
        // Skin-coloured table past the card's edge, though among the values read, is not a
        // finger: the card's outline begins right of the first value here.
        let narrow = Quad::from_rect(300.0, 50.0, 950.0, 650.0);
        let table = Pixels {
            finger: Some(Point::new(125.0, 165.0)),
            print_before: f32::INFINITY,
            edge: 0.0,
        };
        let found = main_page_alarms(&page(narrow, &FrontField::ALL), 1000, 700, &table);
        assert!(!found.blocking(), "{found:?}");
        let found = main_page_alarms(&page(narrow, &FrontField::ALL), 1000, 700, &finger);
        assert!(found.blocking(), "{found:?}");
    }

    #[test]
    fn a_straight_edge_inside_the_card_is_blocking_though_every_value_was_read() {
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        let whole = page(card, &FrontField::ALL);
        let with_edge = |edge| Pixels { edge, ..PRINTED };
        // A sheet over a blank part of the card: its edge runs a sixth of the card's width.
        let found = main_page_alarms(&whole, 1000, 700, &with_edge(0.16));
        assert!(found.blocking() && !found.border_incomplete(), "{found:?}");
        // Short steps (a thick bar of print, a stamp's corner) are not.
        let found = main_page_alarms(&whole, 1000, 700, &with_edge(0.03));
        assert!(!found.blocking() && found.blocking_score > 0, "{found:?}");
    }

    #[test]
    fn values_not_read_inside_the_photo_are_blocked_and_a_card_past_its_edge_is_cut() {
        let all = FrontField::ALL;
        let alarms =
            |fields: &FrontFields, width: u32| main_page_alarms(fields, width, 700, &PRINTED);
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        let whole = page(card, &all);
        assert_eq!(alarms(&whole, 1000), Alarms::default());
        // Two values not read where the photo shows print: likelier misread than covered.
        assert!(!alarms(&page(card, &all[2..]), 1000).blocking());
        // Three: something is over them.
        let covered = page(card, &all[3..]);
        let found = alarms(&covered, 1000);
        assert!(found.blocking() && !found.border_incomplete(), "{found:?}");
        // The image ends a third of the way across the card: the border is cut, and the values
        // beyond the edge are not counted as covered.
        let cut = page(card, &all[..4]);
        let found = alarms(&cut, 350);
        assert!(found.border_incomplete() && !found.blocking(), "{found:?}");
        // No outline, no evidence.
        let unplaced = FrontFields::default();
        assert_eq!(alarms(&unplaced, 1000), Alarms::default());
    }

    #[test]
    fn a_value_whose_start_shows_no_print_is_covered_though_read() {
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        // Every value read, yet where each starts the photo shows no print (a sheet over them).
        let whole = page(card, &FrontField::ALL);
        let sheet = Pixels {
            finger: None,
            print_before: f32::NEG_INFINITY,
            edge: 0.0,
        };
        let found = main_page_alarms(&whole, 1000, 700, &sheet);
        assert!(found.blocking() && !found.border_incomplete(), "{found:?}");
        assert!(!main_page_alarms(&whole, 1000, 700, &PRINTED).blocking());
    }

    #[test]
    fn a_value_not_read_with_a_gap_in_its_print_is_covered() {
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        // The issue date (its area starts 0.73 across the card, x = 707) not read: one value
        // not read alone is not enough.
        let all = FrontField::ALL;
        let issue = all
            .iter()
            .position(|&f| f == FrontField::IssueDate)
            .unwrap();
        let mut without_issue = all.to_vec();
        without_issue.remove(issue);
        let unread = page(card, &without_issue);
        assert!(!main_page_alarms(&unread, 1000, 700, &PRINTED).blocking());
        // A sheet over the card right of x = 760: the date's start shows print, the stretch
        // every date prints does not.
        let sheet = Pixels {
            finger: None,
            print_before: 760.0,
            edge: 0.0,
        };
        let found = main_page_alarms(&unread, 1000, 700, &sheet);
        assert!(found.blocking(), "{found:?}");
        // Read well, the same value was not covered.
        let read = page(card, &all);
        assert!(!main_page_alarms(&read, 1000, 700, &sheet).blocking());
    }
}
