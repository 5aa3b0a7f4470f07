//! Huawei's `alarm` for a page read: whether something covers part of the card inside its
//! border (skin over the card; values every card prints, whose place lies in the photo, not
//! read, read as no value of their field, read barely, or starting where the photo shows no
//! print), and whether the card's border leaves the photo (the card's outline, as its frame
//! places it, partly outside the image). The pixels are measured by the caller
//! ([`CardPixels`]), so this stays pure.

use vlocr_geometry::{convex_hull, min_area_rect, Point, Quad};

use crate::back::{BackField, BACK_LABELS};
use crate::confidence::calibrated_confidence;
use crate::labels::{FrontField, Label, FRONT_LABELS};
use crate::{BackFields, FrontFields, PageFields};

/// The share of the card's outline outside the image at which the border counts as incomplete
/// (the frame fitted to the labels places the card's edge to a few percent: on scans cropped at
/// the card's edge it measured up to 4% outside).
const OUTSIDE_AT_HALF: f32 = 0.05;
/// A value read with a confidence under this counts as half hidden.
const BARELY_READ: f32 = 0.5;
/// The blocking score each value not read adds (one not read gives 45; two, 90).
const PER_VALUE_HIDDEN: f32 = 45.0;
/// The share of the area of the values read that is the colour of skin, from which a finger is
/// over the card.
const SKIN_OVER_CARD: f32 = 0.008;
/// The share of print in a value's start below which it shows none (set on 120 photos of seed
/// 10201 with print counted from 60 levels darker than the paper: values not covered 0.003 to
/// 0.16 of their start's pixels, starts under a sheet of paper 0.000 to 0.002; print is now
/// counted from 30 levels, which only raises the shares of print).
const BLANK_START_INK: f32 = 0.0025;
/// What a value whose start shows no print counts for: as two values not read, so that it
/// raises the flag alone.
const BLANK_START_WEIGHT: f32 = 2.0;

/// What the photo shows inside a region, measured by the caller, who has the pixels.
pub trait CardPixels {
    /// The share (0..1) of `quad`'s pixels the colour of skin.
    fn skin(&self, quad: &Quad) -> f32;
    /// The share (0..1) of `quad`'s pixels that are print: markedly darker than the paper
    /// around them.
    fn ink(&self, quad: &Quad) -> f32;
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

/// The fields every back page prints (approved load, traction mass and remarks are often blank).
const PRINTED_BACK_FIELDS: [BackField; 8] = [
    BackField::Number,
    BackField::FileNo,
    BackField::ApprovedPassengers,
    BackField::GrossMass,
    BackField::UnladenMass,
    BackField::Dimension,
    BackField::InspectionRecord,
    BackField::CodeNumber,
];

/// The alarms of a main page read from an image of `width` x `height` pixels (every field of a
/// main page is printed).
pub fn main_page_alarms(
    page: &FrontFields,
    width: u32,
    height: u32,
    pixels: &dyn CardPixels,
) -> Alarms {
    let all = FrontField::ALL;
    let image = Image {
        width,
        height,
        pixels,
    };
    page_alarms(page, &FRONT_LABELS, &all, &[], FrontField::key, &image)
}

/// The alarms of a back page read from an image of `width` x `height` pixels.
pub fn back_page_alarms(
    page: &BackFields,
    width: u32,
    height: u32,
    pixels: &dyn CardPixels,
) -> Alarms {
    let printed = &PRINTED_BACK_FIELDS;
    let image = Image {
        width,
        height,
        pixels,
    };
    // The inspection stamp is placed anywhere in its box, the barcode centred on its area.
    let anywhere = [BackField::InspectionRecord, BackField::CodeNumber];
    page_alarms(
        page,
        &BACK_LABELS,
        printed,
        &anywhere,
        BackField::key,
        &image,
    )
}

/// The image a page was read from: its size and what its pixels show.
struct Image<'a> {
    width: u32,
    height: u32,
    pixels: &'a dyn CardPixels,
}

/// The alarms of `page`, read with `labels` from `image`: `printed` are the fields every card
/// prints, `starts_anywhere` those of them not printed from the start of their area, `key`
/// names a field as Huawei does (for its confidence). A page without an outline has no
/// evidence either way (scores 0).
fn page_alarms<F: Copy + PartialEq>(
    page: &PageFields<F>,
    labels: &[Label<F>],
    printed: &[F],
    starts_anywhere: &[F],
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
    for &field in printed {
        // Only where the value's place is in the photo: one cut off by the frame is not hidden.
        if !page
            .value_row(labels, field)
            .is_some_and(|row| in_image(&row))
        {
            continue;
        }
        // A value's start with no print at all where the card prints it: something lies over
        // it (a sheet of paper, a sticker, glare), whatever was read from the rest.
        let blank_start = !starts_anywhere.contains(&field)
            && page
                .value_start(labels, field)
                .is_some_and(|start| image.pixels.ink(&start) < BLANK_START_INK);
        hidden += match page.get(field) {
            _ if blank_start => BLANK_START_WEIGHT,
            None => 1.0,
            // Empty, or no value of its field: read from the part that shows.
            Some(value) if value.text.is_empty() || !value.valid => 1.0,
            Some(value) if calibrated_confidence(key(field), Some(value)) < BARELY_READ => 0.5,
            Some(_) => 0.0,
        };
    }
    // Skin within the values read: there the card surely is (the outline is extrapolated from
    // the labels, and past the card's edge lies the table or the hand holding it).
    let read: Vec<Point> = page
        .fields
        .iter()
        .filter_map(|(_, v)| v.quad)
        .flat_map(|q| q.points)
        .collect();
    let skin = min_area_rect(&convex_hull(&read))
        .is_some_and(|area| image.pixels.skin(&area.to_quad()) >= SKIN_OVER_CARD);
    let blocking = if skin {
        100.0
    } else {
        hidden * PER_VALUE_HIDDEN
    };
    Alarms {
        blocking_score: blocking.min(100.0).round() as u8,
        border_score: border.round() as u8,
    }
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

    /// Skin over the card when `finger`; no print anywhere when `blank`.
    struct Pixels {
        finger: bool,
        blank: bool,
    }

    impl CardPixels for Pixels {
        fn skin(&self, _: &Quad) -> f32 {
            if self.finger {
                0.05
            } else {
                0.0
            }
        }

        fn ink(&self, _: &Quad) -> f32 {
            if self.blank {
                0.0
            } else {
                0.1
            }
        }
    }

    const PRINTED: Pixels = Pixels {
        finger: false,
        blank: false,
    };

    #[test]
    fn skin_among_the_values_read_is_blocking() {
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        let whole = page(card, &FrontField::ALL);
        let finger = Pixels {
            finger: true,
            blank: false,
        };
        let found = main_page_alarms(&whole, 1000, 700, &finger);
        assert!(found.blocking() && !found.border_incomplete(), "{found:?}");
        assert!(!main_page_alarms(&whole, 1000, 700, &PRINTED).blocking());
    }

    #[test]
    fn values_not_read_inside_the_photo_are_blocked_and_a_card_past_its_edge_is_cut() {
        let all = FrontField::ALL;
        let alarms =
            |fields: &FrontFields, width: u32| main_page_alarms(fields, width, 700, &PRINTED);
        let card = Quad::from_rect(50.0, 50.0, 950.0, 650.0);
        let whole = page(card, &all);
        assert_eq!(alarms(&whole, 1000), Alarms::default());
        // Two values not read where the card prints them: something is over them.
        let covered = page(card, &all[2..]);
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
            finger: false,
            blank: true,
        };
        let found = main_page_alarms(&whole, 1000, 700, &sheet);
        assert!(found.blocking() && !found.border_incomplete(), "{found:?}");
        assert!(!main_page_alarms(&whole, 1000, 700, &PRINTED).blocking());
    }
}
