//! Both pages in one image (the wallet opened flat): which text belongs to which page, each
//! page's fields from the reading of the whole image, and a close-up of a page that reads
//! poorly there.

use image::{imageops, Rgb, RgbImage};
use vlocr_field_layout::back::BACK_LABELS;
use vlocr_field_layout::labels::{find_labels, Label, FRONT_LABELS};
use vlocr_field_layout::{
    agree_plates, back_page_value_points, main_page_value_points, BackFields, FrontFields,
    PageFields, TableField, TextLine,
};
use vlocr_geometry::{resize_bilinear, Homography, Point, Quad};

use crate::fields::{
    back_fields as back_fields_of, back_outline, finish_back, finish_front,
    front_fields as front_fields_of, front_outline, read_back_page, read_back_page_at,
    read_front_page, read_front_page_at, FILLED_FRONT_FIELDS,
};
use crate::page_reading::{
    labels_alone, standing, text_region, well_read, Scales, MIN_FRONT_LABELS,
};
use crate::{contrast, OcrEngine, OcrPage, Result};

/// The detector's side for the first reading of the whole wallet, whose two pages share the
/// photo: measured on 40 both-page photos (seed 7301, the first 40; pages read from the first
/// reading when it placed them): 960 (a single card's) 797/880 fields, 1280 810, 1600 804 (and
/// slower).
const WALLET_DETECTOR_SIDE: u32 = 1280;
/// The close-up's longer side, in pixels (as for a small single page).
const CLOSE_UP_SIDE: u32 = 1280;
/// The longer side of a close-up of a whole open wallet small in the photo.
const WALLET_CLOSE_UP_SIDE: u32 = 1920;
/// Margin around a page's text, as a share of the text's extent.
const MARGIN: f32 = 0.04;
/// How far beyond its text a page's crop may reach to take in the card its labels place, as a
/// share of the text's extent (a card fitted to a few labels can be far off).
const CARD_REACH: f32 = 0.25;

/// Reads both pages of `image`. The whole image is read once, its detector given
/// [`WALLET_DETECTOR_SIDE`] (each page has half the photo); the lines are split between the
/// main page and the back page by where each page's own labels were found (`号牌号码`, printed
/// on both, is not used), or, for a page with fewer than two of its labels read, the values only
/// it carries, or beside the one page found ([`split_pages`]). A page that reads well from its
/// lines there ([`well_read`], every value passing its grammar) is answered from them, its
/// values read again from strips of the image as on a single page; one that does not is cut
/// out (its text, and the card its own labels place around it), the other page's text
/// blanked, and read like a single page. When neither page was placed that way (a small,
/// blurred or steeply tilted wallet), the photo is read as a single page of each kind
/// ([`read_front_page`], [`read_back_page`]: they find the card's paper and enlarge it), and
/// each page placed there is answered. A page whose labels were not found comes back with no
/// fields and `labels_found` as read.
pub fn read_both_pages(
    engine: &mut OcrEngine,
    image: &RgbImage,
) -> Result<(FrontFields, BackFields)> {
    let (front, back) = read_wallet(engine, image)?;
    if front.landmarks().max(back.landmarks()) >= MIN_FRONT_LABELS {
        return Ok((front, back));
    }
    let (_, front_alone) = read_front_page(engine, image)?;
    let (_, back_alone) = read_back_page(engine, image)?;
    let better = |alone: usize, wallet: usize| alone >= MIN_FRONT_LABELS && alone > wallet;
    let mut front = if better(front_alone.landmarks(), front.landmarks()) {
        front_alone
    } else {
        front
    };
    let mut back = if better(back_alone.landmarks(), back.landmarks()) {
        back_alone
    } else {
        back
    };
    agree_plates(&mut front, &mut back);
    Ok((front, back))
}

/// Both pages read as one open wallet (see [`read_both_pages`]).
fn read_wallet(engine: &mut OcrEngine, image: &RgbImage) -> Result<(FrontFields, BackFields)> {
    let stretched = contrast::stretched(image);
    let image = stretched.as_ref().unwrap_or(image);
    let (width, height) = image.dimensions();
    let mut page = engine.with_detector_side(WALLET_DETECTOR_SIDE, |e| e.read_first_pass(image))?;
    // The accurate recognizer reads again the unsure lines but those that are nothing but
    // labels found (of either page): they have done their work.
    let (front_labels, back_labels) = (
        labels_alone(&page, &FRONT_LABELS),
        labels_alone(&page, &BACK_LABELS),
    );
    let unsure: Vec<usize> = engine
        .unsure_lines(&page)
        .into_iter()
        .filter(|&i| !front_labels[i] && !back_labels[i])
        .collect();
    engine.read_again(image, &mut page, &unsure)?;
    // An open wallet small in the photo: read its text again from a close-up before splitting.
    let found = |page: &OcrPage| {
        let lines = text_lines(page);
        usize::from(front_centroid(&lines).is_some()) + usize::from(back_centroid(&lines).is_some())
    };
    if found(&page) < 2 {
        if let Some((x0, y0, x1, y1)) = text_region(&page, width, height) {
            let crop = imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image();
            let scale =
                (WALLET_CLOSE_UP_SIDE as f32 / crop.width().max(crop.height()) as f32).max(1.0);
            if scale > 1.2 {
                let (w, h) = (
                    (crop.width() as f32 * scale) as u32,
                    (crop.height() as f32 * scale) as u32,
                );
                let mut closer = engine.read(&resize_bilinear(&crop, w, h))?;
                for line in &mut closer.lines {
                    line.quad = line
                        .quad
                        .map(|p| Point::new(p.x / scale + x0 as f32, p.y / scale + y0 as f32));
                }
                if found(&closer) > found(&page) {
                    page = closer;
                }
            }
        }
    }
    let lines = text_lines(&page);
    let Some((on_back, cards)) = split_pages(&page, &lines, width, height) else {
        // One page at most: read it from this reading.
        return Ok((
            front_fields_of(&page, width, height),
            back_fields_of(&page, width, height),
        ));
    };
    let quads = |back_side: bool| -> Vec<Quad> {
        lines
            .iter()
            .zip(&on_back)
            .filter(|(_, &b)| b == back_side)
            .map(|(l, _)| l.quad)
            .collect()
    };
    let (front_quads, back_quads) = (quads(false), quads(true));
    let [front_card, back_card] = cards;
    let front = Page {
        first: front_fields_of(&part(&page, &on_back, false), width, height),
        min_filled: FILLED_FRONT_FIELDS,
        read: read_front_page_at,
        finish: finish_front,
    };
    let mut front_fields = front.read(engine, image, || {
        cut_out(image, &front_quads, front_card, &back_quads)
    })?;
    let back = Page {
        first: back_fields_of(&part(&page, &on_back, true), width, height),
        min_filled: 0,
        read: read_back_page_at,
        finish: finish_back,
    };
    let mut back_fields = back.read(engine, image, || {
        cut_out(image, &back_quads, back_card, &front_quads)
    })?;
    agree_plates(&mut front_fields, &mut back_fields);
    Ok((front_fields, back_fields))
}

/// Reads a page of one kind from an image of it alone, at the detector's given scales
/// ([`read_front_page_at`], [`read_back_page_at`]).
type PageReader<F> = fn(&mut OcrEngine, &RgbImage, Scales) -> Result<(OcrPage, PageFields<F>)>;

/// One page of the wallet as the first reading read it, and how a page of its kind is read.
struct Page<F> {
    /// Its fields from the first reading's lines on it.
    first: PageFields<F>,
    /// Non-empty fields a reading of it needs to count as well read ([`well_read`]).
    min_filled: usize,
    /// Reads such a page from an image of it alone.
    read: PageReader<F>,
    /// What follows its reading: values read again from strips, fields made to agree.
    finish: fn(&mut OcrEngine, &RgbImage, &mut PageFields<F>) -> Result<()>,
}

impl<F: TableField> Page<F> {
    /// The page's fields: from the first reading when that read it well ([`well_read`], and
    /// every value passing its grammar; its values then read again from strips of `image` as
    /// on a single page); else from its close-up (`crop`: the crop, its top-left in `image`
    /// and its enlargement), or, when that cannot place it, from the first reading after all
    /// (glare or shadow can fall differently on the enlarged crop); when neither places it,
    /// from the close-up read again at the detector's other scales ([`after_close_up`]).
    fn read(
        self,
        engine: &mut OcrEngine,
        image: &RgbImage,
        crop: impl FnOnce() -> Option<(RgbImage, Point, f32)>,
    ) -> Result<PageFields<F>> {
        let mut first = self.first;
        let passing = first.fields.iter().all(|(_, value)| value.valid);
        if !(well_read(&first, self.min_filled) && passing) {
            let Some((crop, offset, scale)) = crop() else {
                if first.landmarks() < MIN_FRONT_LABELS {
                    return Ok(PageFields::default());
                }
                (self.finish)(engine, image, &mut first)?;
                return Ok(first);
            };
            let closer = shift((self.read)(engine, &crop, Scales::Own)?.1, offset, scale);
            match after_close_up(first.landmarks(), closer.landmarks()) {
                Answer::CloseUp => return Ok(closer),
                Answer::CloseUpAtOtherScales => {
                    let again = shift((self.read)(engine, &crop, Scales::Others)?.1, offset, scale);
                    let better =
                        standing(&again, self.min_filled) > standing(&closer, self.min_filled);
                    return Ok(if better { again } else { closer });
                }
                Answer::FirstReading => {}
            }
        }
        (self.finish)(engine, image, &mut first)?;
        Ok(first)
    }
}

/// Which reading answers a page of the wallet that its first reading did not read well.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// Its close-up, read at the detector's own scale.
    CloseUp,
    /// The first reading, after all.
    FirstReading,
    /// Its close-up read again at the detector's other scales (or as first read, when that is
    /// no better).
    CloseUpAtOtherScales,
}

/// Which reading answers a page from the landmarks its first reading and its close-up placed:
/// the close-up when it places the page, else the first reading when that does; when neither
/// does, the close-up is read at other scales. A page the first reading places is not: a
/// close-up placed at a scale the detector handles worse reads it worse than that reading.
fn after_close_up(first_landmarks: usize, close_up_landmarks: usize) -> Answer {
    if close_up_landmarks >= MIN_FRONT_LABELS {
        Answer::CloseUp
    } else if first_landmarks >= MIN_FRONT_LABELS {
        Answer::FirstReading
    } else {
        Answer::CloseUpAtOtherScales
    }
}

/// Which of `page`'s `lines` are on the back page (`true`) and which on the main page, and each
/// page's card (main page first) where its labels place it. With both pages' labels (or values)
/// found, a line goes to the page whose centre it is nearer along the line between them, and
/// each page's card is placed by its own lines. With one page's alone, the other page is the
/// text outside the card that page's labels place, when there is some: at least
/// [`NEIGHBOUR_LINES`] lines, nearly all on one side of it, or failing that the side with the
/// most lines where a card fits in the image ([`beside_loosely`]); its card is the found card
/// moved over by its width or height towards them (the wallet's two pages are of one size).
/// `None` when no page was found, or one without text beside it (a single page).
fn split_pages(
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
            let axis = Point::new(back.x - front.x, back.y - front.y);
            let length2 = (axis.x * axis.x + axis.y * axis.y).max(1e-6);
            let on_back: Vec<bool> = lines
                .iter()
                .map(|l| {
                    let c = l.quad.center();
                    ((c.x - front.x) * axis.x + (c.y - front.y) * axis.y) / length2 >= 0.5
                })
                .collect();
            // Each page's card as its own labels place it: the crop reaches the print that the
            // first reading missed (the barcode's digits at a back page's foot).
            let cards = [outline(&on_back, false), outline(&on_back, true)];
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

/// Lines outside a page's card that make the other page of a wallet ([`split_pages`]).
const NEIGHBOUR_LINES: usize = 3;
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
fn part(page: &OcrPage, on_back: &[bool], back_side: bool) -> OcrPage {
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

fn text_lines(page: &OcrPage) -> Vec<TextLine> {
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
fn front_centroid(lines: &[TextLine]) -> Option<Point> {
    label_centroid(lines, &FRONT_LABELS).or_else(|| centroid(&main_page_value_points(lines)))
}

/// Where the back page is (see [`front_centroid`]).
fn back_centroid(lines: &[TextLine]) -> Option<Point> {
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

/// The region of `mine` cut out of `image` with a margin, and out to the page's `card` where
/// that lies beyond (by at most [`CARD_REACH`] of the text's extent), the text of `others` inside
/// it painted over, enlarged to [`CLOSE_UP_SIDE`] when smaller: the crop, its top-left in
/// `image`, and the enlargement. With fewer than [`NEIGHBOUR_LINES`] lines of its own (a page
/// placed beside the other, its print hardly read), the page is its whole card.
fn cut_out(
    image: &RgbImage,
    mine: &[Quad],
    card: Option<Quad>,
    others: &[Quad],
) -> Option<(RgbImage, Point, f32)> {
    let whole_card = card.filter(|_| mine.len() < NEIGHBOUR_LINES);
    let (x0, y0, x1, y1) = match whole_card {
        Some(card) => card.bounds(),
        None => mine
            .iter()
            .map(Quad::bounds)
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))?,
    };
    let reach = CARD_REACH * (x1 - x0).max(y1 - y0);
    let (x0, y0, x1, y1) = match card.filter(|_| whole_card.is_none()).map(|c| c.bounds()) {
        Some((cx0, cy0, cx1, cy1)) => (
            x0.min(cx0.max(x0 - reach)),
            y0.min(cy0.max(y0 - reach)),
            x1.max(cx1.min(x1 + reach)),
            y1.max(cy1.min(y1 + reach)),
        ),
        None => (x0, y0, x1, y1),
    };
    let margin = MARGIN * (x1 - x0).max(y1 - y0);
    let clip = |v: f32, max: u32| v.clamp(0.0, max as f32) as u32;
    let (cx0, cy0) = (
        clip(x0 - margin, image.width()),
        clip(y0 - margin, image.height()),
    );
    let (cx1, cy1) = (
        clip(x1 + margin, image.width()),
        clip(y1 + margin, image.height()),
    );
    if cx1 <= cx0 + 16 || cy1 <= cy0 + 16 {
        return None;
    }
    let mut crop = imageops::crop_imm(image, cx0, cy0, cx1 - cx0, cy1 - cy0).to_image();
    let paper = median_colour(&crop);
    for quad in others {
        let (qx0, qy0, qx1, qy1) = quad.bounds();
        let (qx0, qy0) = ((qx0 - cx0 as f32).max(0.0), (qy0 - cy0 as f32).max(0.0));
        let (qx1, qy1) = (qx1 - cx0 as f32, qy1 - cy0 as f32);
        for y in (qy0 as u32)..(qy1.max(0.0) as u32).min(crop.height()) {
            for x in (qx0 as u32)..(qx1.max(0.0) as u32).min(crop.width()) {
                crop.put_pixel(x, y, paper);
            }
        }
    }
    let scale = (CLOSE_UP_SIDE as f32 / crop.width().max(crop.height()) as f32).max(1.0);
    if scale > 1.0 {
        let (w, h) = (
            (crop.width() as f32 * scale) as u32,
            (crop.height() as f32 * scale) as u32,
        );
        crop = resize_bilinear(&crop, w, h);
    }
    Some((crop, Point::new(cx0 as f32, cy0 as f32), scale))
}

/// The median colour of an image's pixels (sampled), per channel.
fn median_colour(image: &RgbImage) -> Rgb<u8> {
    let mut channels: [Vec<u8>; 3] = Default::default();
    for pixel in image.pixels().step_by(17) {
        for (c, values) in channels.iter_mut().enumerate() {
            values.push(pixel[c]);
        }
    }
    Rgb(channels.map(|mut values| {
        values.sort_unstable();
        values.get(values.len() / 2).copied().unwrap_or(255)
    }))
}

/// Field quads from a crop's coordinates back to the image's.
fn shift<F>(mut fields: PageFields<F>, offset: Point, scale: f32) -> PageFields<F> {
    let back = |q: Quad| q.map(|p| Point::new(p.x / scale + offset.x, p.y / scale + offset.y));
    for (_, value) in &mut fields.fields {
        value.quad = value.quad.map(back);
    }
    fields.outline = fields.outline.map(back);
    fields
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
    fn a_page_is_read_at_other_scales_only_when_no_reading_places_it() {
        let (placed, unplaced) = (MIN_FRONT_LABELS, MIN_FRONT_LABELS - 1);
        assert_eq!(after_close_up(unplaced, placed), Answer::CloseUp);
        assert_eq!(after_close_up(placed, placed + 2), Answer::CloseUp);
        assert_eq!(after_close_up(placed, unplaced), Answer::FirstReading);
        assert_eq!(after_close_up(placed + 4, 0), Answer::FirstReading);
        assert_eq!(
            after_close_up(unplaced, unplaced),
            Answer::CloseUpAtOtherScales
        );
        assert_eq!(after_close_up(0, 0), Answer::CloseUpAtOtherScales);
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

    #[test]
    fn a_page_with_few_lines_of_its_own_is_cut_out_as_its_whole_card() {
        let image = RgbImage::from_pixel(1000, 1000, Rgb([200, 200, 200]));
        let text = [Quad::from_rect(100.0, 100.0, 150.0, 120.0)];
        let card = Some(Quad::from_rect(50.0, 50.0, 450.0, 330.0));
        let (crop, at, scale) = cut_out(&image, &text, card, &[]).expect("a crop");
        // The card with its margin (4% of its 400 px), not the one line within reach.
        assert_eq!((at.x, at.y), (34.0, 34.0));
        assert_eq!((crop.width() as f32 / scale).round(), 432.0);
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

    #[test]
    fn a_page_is_cut_out_to_its_card_within_reach() {
        let image = RgbImage::from_pixel(1000, 1000, Rgb([200, 200, 200]));
        let text = [
            Quad::from_rect(100.0, 100.0, 300.0, 120.0),
            Quad::from_rect(100.0, 200.0, 250.0, 220.0),
            Quad::from_rect(120.0, 280.0, 300.0, 300.0),
        ];
        let crop = |card| {
            cut_out(&image, &text, card, &[]).map(|(c, at, scale)| (c.dimensions(), at, scale))
        };
        // The text alone, with its margin (4% of 200 px), enlarged to the close-up side.
        let (size, at, scale) = crop(None).expect("a crop");
        assert_eq!((at.x, at.y), (92.0, 92.0));
        assert_eq!(size.0, (216.0 * scale) as u32);
        // Out to a card a little larger than the text.
        let card = Some(Quad::from_rect(80.0, 90.0, 330.0, 310.0));
        let (_, at, _) = crop(card).expect("a crop");
        assert!(at.x < 80.0 && at.y < 90.0, "{at:?}");
        // A card fitted far off reaches no further than a quarter of the text's extent (50 px
        // each way), and the margin is 4% of the 300 px that makes.
        let far = Some(Quad::from_rect(0.0, 0.0, 1000.0, 1000.0));
        let (size, at, scale) = crop(far).expect("a crop");
        let side = (size.0 as f32 / scale).round();
        assert_eq!((at.x, at.y), (38.0, 38.0));
        assert_eq!(side, 324.0);
    }
}
