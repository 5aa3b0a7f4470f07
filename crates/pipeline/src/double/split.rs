//! Which text of a photo of both pages belongs to which page: split by where each page's own
//! labels (or values) lie, or beside the one page placed, or at the fold.

use vlocr_field_layout::back::BACK_LABELS;
use vlocr_field_layout::labels::{find_labels, Label, FRONT_LABELS};
use vlocr_field_layout::{back_page_value_points, main_page_value_points, TextLine};
use vlocr_geometry::{Homography, Point, Quad};

use crate::fields::{back_outline, front_outline};
use crate::OcrPage;

/// Which of `page`'s `lines` are on the back page (`true`) and which on the main page, and each
/// page's card (main page first) where its labels place it. With both pages' labels (or values)
/// found, a line goes to the page whose centre it is nearer along the line between them, and
/// each page's card is placed by its own lines; with both cards placed, the lines are split
/// again between the cards' centres. With one page's alone, the other page is the
/// text outside the card that page's labels place, when there is some: at least
/// [`NEIGHBOUR_LINES`] lines, nearly all on one side of it, or failing that the side with the
/// most lines where a card fits in the image ([`beside_loosely`]); its card is the found card
/// moved over by its width or height towards them (the wallet's two pages are of one size).
/// `None` when no page was found, or one without text beside it (a single page).
pub(super) fn split_pages(
    page: &OcrPage,
    lines: &[TextLine],
    width: u32,
    height: u32,
) -> Option<(Vec<bool>, [Option<Quad>; 2])> {
    let outline = |on_back: &[bool], back_side: bool| {
        let one = part(page, on_back, back_side);
        if back_side {
            back_outline(&one, width, height)
        } else {
            front_outline(&one, width, height)
        }
    };
    match (front_centroid(lines), back_centroid(lines)) {
        (Some(front), Some(back)) => {
            let on_back = nearer_second(lines, front, back);
            // Each page's card as its own labels place it: the crop reaches the print that the
            // first reading missed (the barcode's digits at a back page's foot).
            let cards = [outline(&on_back, false), outline(&on_back, true)];
            // Both pages' labels lie left of their page's middle, so the line halfway between
            // them runs through the left page's right-hand values (a main page's issue date
            // went to the back page): split again halfway between the cards when both are
            // placed.
            if let [Some(front_card), Some(back_card)] = cards {
                let on_back = nearer_second(lines, front_card.center(), back_card.center());
                let cards = [outline(&on_back, false), outline(&on_back, true)];
                return Some((on_back, cards));
            }
            Some((on_back, cards))
        }
        (Some(front), None) => match front_outline(page, width, height) {
            Some(card) => {
                let (outside, neighbour) =
                    beside(&card, lines).or_else(|| beside_loosely(&card, lines, width, height))?;
                Some((outside, [Some(card), Some(neighbour)]))
            }
            None => Some((halves(lines, front)?, [None, None])),
        },
        (None, Some(back)) => match back_outline(page, width, height) {
            Some(card) => {
                let (outside, neighbour) =
                    beside(&card, lines).or_else(|| beside_loosely(&card, lines, width, height))?;
                let inside = outside.iter().map(|&o| !o).collect();
                Some((inside, [Some(neighbour), Some(card)]))
            }
            None => {
                let other = halves(lines, back)?;
                Some((other.iter().map(|&o| !o).collect(), [None, None]))
            }
        },
        (None, None) => None,
    }
}

/// Which of `lines` lie nearer `second` than `first`, along the line between them.
fn nearer_second(lines: &[TextLine], first: Point, second: Point) -> Vec<bool> {
    let axis = Point::new(second.x - first.x, second.y - first.y);
    let length2 = (axis.x * axis.x + axis.y * axis.y).max(1e-6);
    lines
        .iter()
        .map(|l| {
            let c = l.quad.center();
            ((c.x - first.x) * axis.x + (c.y - first.y) * axis.y) / length2 >= 0.5
        })
        .collect()
}

/// Lines outside a page's card that make the other page of a wallet ([`split_pages`]).
pub(super) const NEIGHBOUR_LINES: usize = 3;
/// How far beyond its card a line may lie and still be the card's, in card widths (heights).
const CARD_SLACK: f32 = 0.1;

/// Which of `lines` lie beside `card`: outside it (by more than [`CARD_SLACK`]) on the side
/// where nine in ten of the confidently read lines outside lie, at least [`NEIGHBOUR_LINES`] of
/// them; and the card beside `card` on that side. `None` when no side has so many.
fn beside(card: &Quad, lines: &[TextLine]) -> Option<(Vec<bool>, Quad)> {
    let unit = Quad::from_rect(0.0, 0.0, 1.0, 1.0);
    let to_card = Homography::from_quads(card, &unit)?;
    let sides: Vec<Option<usize>> = lines.iter().map(|line| side_of(&to_card, line)).collect();
    let mut counts = [0usize; 4];
    for (line, side) in lines.iter().zip(&sides) {
        if let (Some(side), true) = (side, is_confident(line)) {
            counts[*side] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let (side, &most) = counts.iter().enumerate().max_by_key(|(_, &n)| n)?;
    if most < NEIGHBOUR_LINES || 10 * most < 9 * total {
        return None;
    }
    let on_neighbour = sides.iter().map(|s| *s == Some(side)).collect();
    Some((on_neighbour, neighbour_card(card, side)))
}

/// The side of `card` (mapped to the unit square by `to_card`) on which `line` lies outside it
/// (by more than [`CARD_SLACK`]): 0 right, 1 left, 2 below, 3 above; `None` on the card.
fn side_of(to_card: &Homography, line: &TextLine) -> Option<usize> {
    let p = to_card.apply(line.quad.center());
    let inside = -CARD_SLACK..=1.0 + CARD_SLACK;
    if inside.contains(&p.x) && inside.contains(&p.y) {
        return None;
    }
    let (dx, dy) = (p.x - 0.5, p.y - 0.5);
    Some(if dx.abs() >= dy.abs() {
        usize::from(dx < 0.0)
    } else {
        2 + usize::from(dy < 0.0)
    })
}

/// The card of `card`'s size beside it on `side` (as [`side_of`] numbers them).
fn neighbour_card(card: &Quad, side: usize) -> Quad {
    let [tl, tr, _, bl] = card.points;
    let step = match side {
        0 => Point::new(tr.x - tl.x, tr.y - tl.y),
        1 => Point::new(tl.x - tr.x, tl.y - tr.y),
        2 => Point::new(bl.x - tl.x, bl.y - tl.y),
        _ => Point::new(tl.x - bl.x, tl.y - bl.y),
    };
    card.map(|p| Point::new(p.x + step.x, p.y + step.y))
}

/// The least share of a page's card, placed beside the one found, that must lie in the image
/// for [`beside_loosely`] to take it.
const NEIGHBOUR_IN_IMAGE: f32 = 0.7;

/// When [`beside`] finds no page beside `card` (too little of the other page read to tell: a
/// dim or blurred page whose labels are lost), the card beside it on the side where the most
/// lines outside it lie, any line counting, among the sides where that card lies mostly
/// ([`NEIGHBOUR_IN_IMAGE`]) in the `width` x `height` image; and which lines lie there. `None`
/// when no line lies outside the card on such a side.
fn beside_loosely(
    card: &Quad,
    lines: &[TextLine],
    width: u32,
    height: u32,
) -> Option<(Vec<bool>, Quad)> {
    let unit = Quad::from_rect(0.0, 0.0, 1.0, 1.0);
    let to_card = Homography::from_quads(card, &unit)?;
    let sides: Vec<Option<usize>> = lines.iter().map(|line| side_of(&to_card, line)).collect();
    let (side, neighbour) = (0..4)
        .map(|side| (side, neighbour_card(card, side)))
        .filter(|(_, neighbour)| share_in_image(neighbour, width, height) >= NEIGHBOUR_IN_IMAGE)
        .map(|(side, neighbour)| {
            let count = sides.iter().filter(|s| **s == Some(side)).count();
            (count, side, neighbour)
        })
        .filter(|(count, _, _)| *count > 0)
        .max_by_key(|(count, _, _)| *count)
        .map(|(_, side, neighbour)| (side, neighbour))?;
    let on_neighbour = sides.iter().map(|s| *s == Some(side)).collect();
    Some((on_neighbour, neighbour))
}

/// The share of `quad`'s area inside the `width` x `height` image (sampled on a grid).
fn share_in_image(quad: &Quad, width: u32, height: u32) -> f32 {
    let [tl, tr, br, bl] = quad.points;
    let steps = 10;
    let mut inside = 0;
    for i in 0..steps {
        for j in 0..steps {
            let (u, v) = (
                (i as f32 + 0.5) / steps as f32,
                (j as f32 + 0.5) / steps as f32,
            );
            let top = Point::new(tl.x + u * (tr.x - tl.x), tl.y + u * (tr.y - tl.y));
            let bottom = Point::new(bl.x + u * (br.x - bl.x), bl.y + u * (br.y - bl.y));
            let p = Point::new(
                top.x + v * (bottom.x - top.x),
                top.y + v * (bottom.y - top.y),
            );
            inside += usize::from(
                (0.0..width as f32).contains(&p.x) && (0.0..height as f32).contains(&p.y),
            );
        }
    }
    inside as f32 / (steps * steps) as f32
}

/// Which of `lines` lie in the other half of the text than `found` (a page's centre): the text
/// is halved across its longer axis (the principal axis of the confidently read lines'
/// centres), at the widest gap between lines in its middle third. `None` unless at least
/// [`NEIGHBOUR_LINES`] confidently read lines lie in the other half.
fn halves(lines: &[TextLine], found: Point) -> Option<Vec<bool>> {
    let confident: Vec<Point> = lines
        .iter()
        .filter(|l| is_confident(l))
        .map(|l| l.quad.center())
        .collect();
    let n = confident.len() as f32;
    if confident.len() < 2 * NEIGHBOUR_LINES {
        return None;
    }
    let mean = Point::new(
        confident.iter().map(|p| p.x).sum::<f32>() / n,
        confident.iter().map(|p| p.y).sum::<f32>() / n,
    );
    let (mut sxx, mut syy, mut sxy) = (0.0f32, 0.0f32, 0.0f32);
    for p in &confident {
        let (dx, dy) = (p.x - mean.x, p.y - mean.y);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let along = |p: Point| (p.x - mean.x) * angle.cos() + (p.y - mean.y) * angle.sin();
    let mut at: Vec<f32> = confident.iter().map(|&p| along(p)).collect();
    at.sort_by(f32::total_cmp);
    let (low, high) = (at[0], at[at.len() - 1]);
    let third = (high - low) / 3.0;
    let split = at
        .windows(2)
        .filter(|w| w[0] >= low + third && w[1] <= high - third)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .map_or((low + high) / 2.0, |w| (w[0] + w[1]) / 2.0);
    let found_high = along(found) >= split;
    let other: Vec<bool> = lines
        .iter()
        .map(|l| (along(l.quad.center()) >= split) != found_high)
        .collect();
    let others = lines
        .iter()
        .zip(&other)
        .filter(|(l, &o)| o && is_confident(l))
        .count();
    (others >= NEIGHBOUR_LINES).then_some(other)
}

/// Whether a line was read with some confidence: two characters or more, at a mean of 0.5.
fn is_confident(line: &TextLine) -> bool {
    line.text.chars().count() >= 2
        && line.char_confidences.iter().sum::<f32>() >= 0.5 * line.char_confidences.len() as f32
}

/// The lines of `page` on the back page (`back_side`) or on the main page, by `on_back`.
pub(super) fn part(page: &OcrPage, on_back: &[bool], back_side: bool) -> OcrPage {
    OcrPage {
        turn: page.turn,
        lines: page
            .lines
            .iter()
            .zip(on_back)
            .filter(|(_, &b)| b == back_side)
            .map(|(l, _)| l.clone())
            .collect(),
        timings: page.timings,
        unread: Vec::new(),
    }
}

pub(super) fn text_lines(page: &OcrPage) -> Vec<TextLine> {
    page.lines
        .iter()
        .map(|l| TextLine {
            text: l.text.clone(),
            char_confidences: l.char_confidences.clone(),
            lattices: l.lattices.clone(),
            quad: l.quad,
        })
        .collect()
}

/// Where the main page is: the centre of its labels, or, with fewer than two read, of the
/// values only a main page carries.
pub(super) fn front_centroid(lines: &[TextLine]) -> Option<Point> {
    label_centroid(lines, &FRONT_LABELS).or_else(|| centroid(&main_page_value_points(lines)))
}

/// Where the back page is (see [`front_centroid`]).
pub(super) fn back_centroid(lines: &[TextLine]) -> Option<Point> {
    label_centroid(lines, &BACK_LABELS).or_else(|| centroid(&back_page_value_points(lines)))
}

/// The centre of at least two points.
fn centroid(points: &[Point]) -> Option<Point> {
    (points.len() >= 2).then(|| {
        let n = points.len() as f32;
        Point::new(
            points.iter().map(|p| p.x).sum::<f32>() / n,
            points.iter().map(|p| p.y).sum::<f32>() / n,
        )
    })
}

/// The centre of the labels of `labels` found in `lines` (at least two of them, not counting the
/// plate label that both pages print); `None` when fewer were found.
fn label_centroid<F>(lines: &[TextLine], labels: &[Label<F>]) -> Option<Point> {
    let hits: Vec<Point> = find_labels(lines, labels)
        .into_iter()
        .filter(|h| labels[h.label].chinese != "号牌号码")
        .map(|h| h.center)
        .collect();
    centroid(&hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_line(text: &str, x: f32, y: f32) -> TextLine {
        TextLine {
            text: text.into(),
            char_confidences: vec![0.9; text.chars().count()],
            lattices: Vec::new(),
            quad: Quad::from_rect(x, y, x + 60.0, y + 12.0),
        }
    }

    #[test]
    fn the_other_page_is_the_text_beside_the_card_found() {
        let card = Quad::from_rect(0.0, 0.0, 400.0, 280.0);
        let mut lines: Vec<TextLine> = (0..6)
            .map(|i| text_line("号牌号码", 40.0, 20.0 + 40.0 * i as f32))
            .collect();
        lines.extend((0..4).map(|i| text_line("1234kg", 500.0, 30.0 + 50.0 * i as f32)));
        let (on_neighbour, neighbour) = beside(&card, &lines).expect("a page beside");
        assert_eq!(on_neighbour.iter().filter(|&&b| b).count(), 4);
        assert!(!on_neighbour[0] && on_neighbour[9]);
        assert_eq!(neighbour.bounds(), (400.0, 0.0, 800.0, 280.0));
        // A single page: nothing beside it, or too little (two specks) to be a page.
        assert!(beside(&card, &lines[..6]).is_none());
        assert!(beside(&card, &lines[..8]).is_none());
        // Text on two sides of the card is no wallet.
        lines.extend((0..4).map(|i| text_line("1234kg", 40.0 + 80.0 * i as f32, 400.0)));
        assert!(beside(&card, &lines).is_none());
    }

    #[test]
    fn a_page_hardly_read_is_placed_beside_the_card_where_its_few_lines_lie() {
        let card = Quad::from_rect(100.0, 300.0, 500.0, 580.0);
        let mut lines: Vec<TextLine> = (0..6)
            .map(|i| text_line("号牌号码", 140.0, 320.0 + 40.0 * i as f32))
            .collect();
        // Two lines below the card: too few for `beside`, enough to say where the page is.
        lines.push(text_line("1234kg", 200.0, 650.0));
        lines.push(text_line("8.2", 300.0, 700.0));
        assert!(beside(&card, &lines).is_none());
        let (on_neighbour, neighbour) =
            beside_loosely(&card, &lines, 1000, 1000).expect("a page below");
        assert_eq!(on_neighbour.iter().filter(|&&b| b).count(), 2);
        assert_eq!(neighbour.bounds(), (100.0, 580.0, 500.0, 860.0));
        // A card below that would lie mostly outside the image is not taken.
        assert!(beside_loosely(&card, &lines, 1000, 700).is_none());
        // No line outside the card: no page placed.
        assert!(beside_loosely(&card, &lines[..6], 1000, 1000).is_none());
    }

    /// The lines of a golden fixture of the field layout's (a synthetic scan), moved by `dx`
    /// and `dy`.
    fn fixture_lines(json: &str, dx: f32, dy: f32) -> Vec<crate::OcrLine> {
        let fixture: serde_json::Value = serde_json::from_str(json).expect("a fixture");
        let point = |p: &serde_json::Value| {
            let x = p[0].as_f64().expect("x") as f32;
            let y = p[1].as_f64().expect("y") as f32;
            Point::new(x + dx, y + dy)
        };
        fixture["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|line| {
                let text = line["text"].as_str().expect("text").to_owned();
                let corners = line["quad"].as_array().expect("quad");
                crate::OcrLine {
                    char_confidences: vec![0.99; text.chars().count()],
                    text,
                    confidence: 0.99,
                    lattices: Vec::new(),
                    quad: Quad::new([0, 1, 2, 3].map(|i| point(&corners[i]))),
                    detection_score: 0.9,
                }
            })
            .collect()
    }

    #[test]
    fn the_left_page_keeps_its_right_hand_values() {
        // An open wallet, main page on the left, back page beside it: the main page's issue
        // date, at its right-hand edge, lies past the point halfway between the two pages'
        // labels (both sets of labels lie left of their page's middle).
        let golden = concat!(env!("CARGO_MANIFEST_DIR"), "/../field-layout/tests/golden");
        let front = std::fs::read_to_string(format!("{golden}/scan-front-0001.lines.json"))
            .expect("the main page's fixture");
        let back = std::fs::read_to_string(format!("{golden}/back-back-0000.lines.json"))
            .expect("the back page's fixture");
        let mut lines = fixture_lines(&front, 0.0, 0.0);
        let on_front = lines.len();
        // The scans are 1,320 pixels wide; the back page's print starts a little lower.
        lines.extend(fixture_lines(&back, 1300.0, 150.0));
        let page = OcrPage {
            turn: Default::default(),
            lines,
            timings: Default::default(),
            unread: Vec::new(),
        };
        let (on_back, cards) =
            split_pages(&page, &text_lines(&page), 2700, 1200).expect("two pages");
        for (i, (line, &back_side)) in page.lines.iter().zip(&on_back).enumerate() {
            assert_eq!(back_side, i >= on_front, "{:?} {:?}", line.text, line.quad);
        }
        assert!(cards.iter().all(Option::is_some));
    }

    #[test]
    fn without_a_card_the_text_is_halved_at_the_fold() {
        // Two columns of lines, the fold between them; the main page found on the left.
        let mut lines: Vec<TextLine> = Vec::new();
        for i in 0..5 {
            let y = 20.0 + 40.0 * i as f32;
            lines.push(text_line("value", 10.0 + 30.0 * (i % 2) as f32, y));
            lines.push(text_line("value", 150.0, y));
            lines.push(text_line("value", 420.0 + 20.0 * (i % 2) as f32, y));
            lines.push(text_line("value", 560.0, y));
        }
        let other = halves(&lines, Point::new(100.0, 100.0)).expect("two halves");
        for (line, &on_other) in lines.iter().zip(&other) {
            assert_eq!(on_other, line.quad.center().x > 300.0, "{:?}", line.quad);
        }
        // The found page on the right: the left half is the other.
        let other = halves(&lines, Point::new(600.0, 100.0)).expect("two halves");
        assert!(other[0] && !other[2]);
    }
}
