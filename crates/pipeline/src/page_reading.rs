//! How one page of a kind is read: the first pass and the unsure lines read again, close-ups of
//! a small or poorly read card, the retry at other detector scales, and how readings compare.

use image::{imageops, RgbImage};
use vlocr_field_layout::labels::{find_labels, Label};
use vlocr_field_layout::{FieldValue, PageFields, TableField};
use vlocr_geometry::{resize_bilinear, Point, Quad};

use crate::card_region::paper_region;
use crate::electronic::is_electronic;
use crate::upright::text_alone;
use crate::{OcrEngine, OcrPage, Result};

/// Printed labels that must be found before an image counts as a main page (or a back page).
pub const MIN_FRONT_LABELS: usize = 3;

/// Detector runs one request may make ([`crate::OcrEngine::set_detection_budget`]): a page
/// reading of the whole image or of a close-up is one, its search turned a quarter another.
/// Most photos need one to three; a small, blurred or tilted card can ask for a dozen (other
/// scales, close-ups, each page of a wallet alone), seconds that rarely find what the first
/// readings missed. Chosen on the hard photos of seed 11103 (60, mixed sides; no limit
/// against 6: 719 -> 718 fields of 861, page readings a photo 3.22 -> 2.83),
/// checked on seed 11401 drawn for it (691 -> 691 of 873, 3.26 -> 3.00); both-page photos read
/// as without it once the wallet's back page has runs of its own (README, Speed).
pub const DETECTIONS_PER_REQUEST: u32 = 6;

/// A card whose text spans less than this share of the photo's longer side is read again from
/// a close-up.
const SMALL_CARD: f32 = 0.35;
/// A reading with fewer fields than this is tried again from a close-up (a main page has 11, a
/// back page 11; some are blank on real cards, but rarely more than two).
const FEW_FIELDS: usize = 9;
/// The close-up's longer side, in pixels.
const CLOSE_UP_SIDE: u32 = 1280;
/// The detector's sides (longer side of its input, in pixels) at which a page that no reading
/// placed is read again, coarse first ([`read_page`]). Chosen on the blurred warning cases of
/// seeds 10502 and 10503 (`vlocr synth --warning-cases`) answered `AIS.0104` at the detector's
/// own 960: with the detector at 480 three back pages and two small main pages were read, a
/// main page filling the photo only at 1,280.
const RETRY_DETECTOR_SIDES: [u32; 2] = [480, 1280];

/// At which of the detector's scales a page is read ([`read_page`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scales {
    /// At the detector's own side alone.
    Own,
    /// At its own side, then, while no reading places a card, at each of
    /// [`RETRY_DETECTOR_SIDES`].
    All,
    /// At each of [`RETRY_DETECTOR_SIDES`] but its own, until one places a card (at its own
    /// side when it has no other): for an image already read at its own side.
    Others,
}

/// Whether a page's reading went well enough to stand without a close-up: the card placed by
/// its labels, most fields found, and on a page where every field is printed (`min_filled` > 0,
/// a main page) that many of them not empty.
pub(crate) fn well_read<F: TableField>(fields: &PageFields<F>, min_filled: usize) -> bool {
    fields.labels_found >= MIN_FRONT_LABELS
        && fields.found() >= FEW_FIELDS
        && fields
            .fields
            .iter()
            .filter(|(f, v)| f.on_every_card() && !v.text.is_empty())
            .count()
            >= min_filled
}

/// Where a page's values may be printed, in the image, from its fields' outline.
pub(crate) type ValueAreas<F> = fn(&PageFields<F>) -> Vec<Quad>;

/// How a page of one kind is read.
pub(crate) struct PageKind<'a, F> {
    /// Its fields from the lines of an image of the given size.
    pub(crate) fields_of: fn(&OcrPage, u32, u32) -> PageFields<F>,
    /// Its printed labels (title included).
    pub(crate) labels: &'a [Label<F>],
    /// With English sub-labels to pass over: where its values may be printed, in the image
    /// (from the outline the fields place). `None`: every line is read at once (a back page
    /// prints no English, and its barcode digits and stamps are small print).
    pub(crate) small_print_areas: Option<ValueAreas<F>>,
    /// Non-empty fields a reading needs to count as well read (0: any number).
    pub(crate) min_filled: usize,
    /// Whether the first pass shows a page of another kind: then the reading stops there.
    pub(crate) give_way: Option<GiveWay<F>>,
}

/// Whether a first pass (its lines, the fields read from them, the image's size) shows a page
/// of another kind.
pub(crate) type GiveWay<F> = fn(&OcrPage, &PageFields<F>, u32, u32) -> bool;

/// Reads a page of `kind` ([`read_page_at_one_scale`]) at the detector's `scales`: with
/// [`Scales::All`], when no reading places a card to answer but some text or a card's paper
/// was found, the whole reading once more with the detector given each of
/// [`RETRY_DETECTOR_SIDES`] in turn, until one does. The detector loses
/// blurred print at one scale and finds it at another: a blurred card's strokes run together
/// once its print is large in the detector's input, and are too faint to tell once small.
pub(crate) fn read_page<F: TableField>(
    engine: &mut OcrEngine,
    image: &RgbImage,
    kind: &PageKind<'_, F>,
    scales: Scales,
) -> Result<(OcrPage, PageFields<F>)> {
    let (width, height) = image.dimensions();
    // An image where no reading found any text and no card's paper shows (a blank picture)
    // holds no card to look for at other scales.
    let settled = |(page, fields): &(OcrPage, PageFields<F>)| {
        fields.is_placed(MIN_FRONT_LABELS)
            || (page.lines.is_empty() && page.unread.is_empty() && paper_region(image).is_none())
            || is_electronic(page)
            || kind
                .give_way
                .is_some_and(|other| other(page, fields, width, height))
    };
    let others: Vec<u32> = match (scales, engine.detector_side()) {
        (Scales::Own, _) | (_, None) => Vec::new(),
        (_, Some(own)) => RETRY_DETECTOR_SIDES
            .into_iter()
            .filter(|&side| side != own)
            .collect(),
    };
    let mut best = if scales == Scales::Others && !others.is_empty() {
        None
    } else {
        Some(read_page_at_one_scale(engine, image, kind)?)
    };
    for side in others {
        if best.as_ref().is_some_and(settled) {
            break;
        }
        let other =
            engine.with_detector_side_exactly(side, |e| read_page_at_one_scale(e, image, kind))?;
        let better = best.as_ref().is_none_or(|best| {
            standing(&other.1, kind.min_filled) > standing(&best.1, kind.min_filled)
        });
        if better {
            best = Some(other);
        }
    }
    match best {
        Some(best) => Ok(best),
        None => read_page_at_one_scale(engine, image, kind),
    }
}

/// The first reading of a page and the close-ups that follow it (see
/// [`crate::read_front_page`]), at the detector's current side.
fn read_page_at_one_scale<F: TableField>(
    engine: &mut OcrEngine,
    image: &RgbImage,
    kind: &PageKind<'_, F>,
) -> Result<(OcrPage, PageFields<F>)> {
    let (fields_of, min_filled) = (kind.fields_of, kind.min_filled);
    let (width, height) = image.dimensions();
    let (page, fields) = read_where_unsure(engine, image, kind)?;
    // An electronic license's screen is no card: its reading is the caller's.
    if is_electronic(&page)
        || kind
            .give_way
            .is_some_and(|other| other(&page, &fields, width, height))
    {
        return Ok((page, fields));
    }
    let well_read = |fields: &PageFields<F>| well_read(fields, min_filled);
    let text = text_region(&page, width, height);
    if let Some((x0, y0, x1, y1)) = text {
        let span = (x1 - x0).max(y1 - y0) as f32 / width.max(height) as f32;
        if span >= SMALL_CARD && well_read(&fields) {
            return Ok((page, fields));
        }
    }
    let mut best = (page, fields);
    // The region of the text read; and when that reads too little to place a card (a small,
    // blurred card whose print the detector hardly sees), the region of its paper.
    for of_paper in [false, true] {
        let region = if !of_paper {
            text
        } else if best.1.landmarks() < MIN_FRONT_LABELS {
            paper_region(image)
        } else {
            None
        };
        let Some((x0, y0, x1, y1)) = region else {
            continue;
        };
        // Enlarged first; a blurred card whose enlargement still reads poorly is read once more
        // at the photo's own resolution, where the detector finds blurred print that it misses
        // enlarged (and the other way round on sharper small cards). A region already as large
        // as the close-up is not enlarged, so it is read once.
        let enlarged = (x1 - x0).max(y1 - y0) < CLOSE_UP_SIDE;
        let sides: &[u32] = if enlarged { &[CLOSE_UP_SIDE, 0] } else { &[0] };
        for &side in sides {
            let closer = read_close_up(engine, image, (x0, y0, x1, y1), side, kind)?;
            let closer_fields = fields_of(&closer, width, height);
            if standing(&closer_fields, min_filled) > standing(&best.1, min_filled) {
                best = (closer, closer_fields);
            }
            if well_read(&best.1) {
                return Ok(best);
            }
        }
    }
    Ok(best)
}

/// Reads `image` with the fast first pass and places its fields; then reads what matters.
///
/// On a main page, lines much lower than the page's text (the English sub-labels and title, in
/// a smaller print) are left unread at first; once the fields have placed the card, only those of them
/// inside a value's area are read (all of them when the card was not placed). Then the
/// unsure lines that matter are read again with the accurate recognizer: every unsure line
/// but those whose values all pass their grammar with every character of theirs read surely
/// (the line's weak character is in its label, or the space after it), and those that are
/// nothing but labels found (their reading has done its work). Another line with no value in
/// it is read again (it may be a misread label, or a value no field took). The fields are
/// placed again after each step that read anything.
fn read_where_unsure<F>(
    engine: &mut OcrEngine,
    image: &RgbImage,
    kind: &PageKind<'_, F>,
) -> Result<(OcrPage, PageFields<F>)> {
    let (width, height) = image.dimensions();
    let fields_of = kind.fields_of;
    let mut page = match kind.small_print_areas {
        Some(_) => engine.read_first_pass_deferring(image, small_lines)?,
        None => engine.read_first_pass(image)?,
    };
    let mut fields = fields_of(&page, width, height);
    if let (Some(value_areas), false) = (kind.small_print_areas, page.unread.is_empty()) {
        let placed = fields.outline.is_some() && fields.landmarks() >= MIN_FRONT_LABELS;
        let areas = if placed {
            value_areas(&fields)
        } else {
            Vec::new()
        };
        let wanted: Vec<usize> = (0..page.unread.len())
            .filter(|&i| {
                !placed
                    || areas
                        .iter()
                        .any(|a| a.contains(page.unread[i].quad.center()))
            })
            .collect();
        if !wanted.is_empty() {
            engine.read_unread(image, &mut page, &wanted)?;
            fields = fields_of(&page, width, height);
        }
    }
    let labels = labels_alone(&page, kind.labels);
    let again: Vec<usize> = engine
        .unsure_lines(&page)
        .into_iter()
        .filter(|&i| !labels[i])
        .filter(|&i| {
            let line = page.lines[i].quad.bounds();
            let mut values = fields
                .fields
                .iter()
                .filter(|(_, v)| v.quad.is_some_and(|q| overlap(q.bounds(), line) > 0.5))
                .peekable();
            values.peek().is_none() || !values.all(|(_, v)| read_surely(engine, v))
        })
        .collect();
    if again.is_empty() {
        return Ok((page, fields));
    }
    engine.read_again(image, &mut page, &again)?;
    let fields = fields_of(&page, width, height);
    Ok((page, fields))
}

/// Which of `page`'s lines are nothing but labels of `labels` found there (and spaces): their
/// reading has placed the card, and there is no value in them to read again.
pub(crate) fn labels_alone<F>(page: &OcrPage, labels: &[Label<F>]) -> Vec<bool> {
    let lines = text_alone(page);
    let mut covered: Vec<Vec<bool>> = lines
        .iter()
        .map(|l| l.text.chars().map(char::is_whitespace).collect())
        .collect();
    for hit in find_labels(&lines, labels) {
        for c in covered[hit.line].iter_mut().skip(hit.start).take(hit.chars) {
            *c = true;
        }
    }
    covered
        .iter()
        .map(|chars| !chars.is_empty() && chars.iter().all(|&c| c))
        .collect()
}

/// A line lower than this share of the page's line height ([`small_lines`]) is small print.
const SMALL_PRINT: f32 = 0.75;

/// The lines (indices of `quads`, corners in reading order) lower than [`SMALL_PRINT`] of the
/// height that a quarter of the lines reach or pass: on a card, its English sub-labels and
/// English title (measured on 20 synthetic photos: English lines 0.56-0.87 of it, 5th to 95th
/// percentile; Chinese labels and values 0.87-1.2).
fn small_lines(quads: &[Quad]) -> Vec<usize> {
    let mut heights: Vec<f32> = quads.iter().map(Quad::height).collect();
    heights.sort_by(f32::total_cmp);
    let Some(&reference) = heights.get(heights.len() * 3 / 4) else {
        return Vec::new();
    };
    (0..quads.len())
        .filter(|&i| quads[i].height() < SMALL_PRINT * reference)
        .collect()
}

/// Whether `value` passes its grammar and was read by the fast first pass alone, every
/// character of it surely.
fn read_surely(engine: &OcrEngine, value: &FieldValue) -> bool {
    let [reading] = value.readings.as_slice() else {
        return false;
    };
    let path = reading.lattice.greedy();
    let confidences: Vec<f32> = path.chars.iter().map(|c| c.probability).collect();
    value.valid
        && !value.text.is_empty()
        && !confidences.is_empty()
        && !engine.is_unsure_text(&path.text(), &confidences)
}

/// The share of the smaller of two boxes `(x0, y0, x1, y1)` that lies in both.
fn overlap(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> f32 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    let area = |r: (f32, f32, f32, f32)| (r.2 - r.0) * (r.3 - r.1);
    let smaller = area(a).min(area(b));
    if smaller <= 0.0 {
        0.0
    } else {
        w * h / smaller
    }
}

/// How well a reading went, to choose between readings of one card: on a page where every
/// field is printed (`min_filled` > 0: a main page), the values that pass their grammar, then
/// the landmarks that placed the card, then the fields found; on a back page, which leaves
/// fields blank and whose free text (`remarks`) passes any reading, the landmarks and the
/// fields found alone.
pub(crate) fn standing<F: TableField>(
    fields: &PageFields<F>,
    min_filled: usize,
) -> (bool, usize, usize, usize) {
    let valid = fields
        .fields
        .iter()
        .filter(|(f, v)| f.on_every_card() && v.valid && !v.text.is_empty())
        .count();
    let valid = if min_filled > 0 { valid } else { 0 };
    let placed = fields.landmarks() >= MIN_FRONT_LABELS;
    (placed, valid, fields.landmarks(), fields.found())
}

/// Reads `region` of `image`, enlarged to `side` pixels when smaller, as a page of `kind` is
/// read ([`read_where_unsure`], on the close-up); line quads in `image`'s coordinates.
fn read_close_up<F>(
    engine: &mut OcrEngine,
    image: &RgbImage,
    (x0, y0, x1, y1): (u32, u32, u32, u32),
    side: u32,
    kind: &PageKind<'_, F>,
) -> Result<OcrPage> {
    let crop = imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image();
    let scale = (side as f32 / crop.width().max(crop.height()) as f32).max(1.0);
    let (cw, ch) = (
        (crop.width() as f32 * scale) as u32,
        (crop.height() as f32 * scale) as u32,
    );
    let close_up = resize_bilinear(&crop, cw, ch);
    let (mut closer, _) = read_where_unsure(engine, &close_up, kind)?;
    let back = |p: Point| Point::new(p.x / scale + x0 as f32, p.y / scale + y0 as f32);
    for line in &mut closer.lines {
        line.quad = line.quad.map(back);
    }
    for line in &mut closer.unread {
        line.quad = line.quad.map(back);
    }
    Ok(closer)
}

/// The box around the page's confidently read lines, grown by a fifth on every side and clipped
/// to the image: `(x0, y0, x1, y1)`. `None` when nothing was read.
pub(crate) fn text_region(page: &OcrPage, width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
    let (x0, y0, x1, y1) = page
        .lines
        .iter()
        .filter(|l| l.confidence >= 0.5 && l.text.chars().count() >= 2)
        .map(|l| l.quad.bounds())
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))?;
    let margin = 0.2 * (x1 - x0).max(y1 - y0);
    let clip = |v: f32, max: u32| v.clamp(0.0, max as f32) as u32;
    let region = (
        clip(x0 - margin, width),
        clip(y0 - margin, height),
        clip(x1 + margin, width),
        clip(y1 + margin, height),
    );
    (region.2 > region.0 + 8 && region.3 > region.1 + 8).then_some(region)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vlocr_field_layout::labels::FRONT_LABELS;
    use vlocr_field_layout::{FieldValue, FrontField, FrontFields};

    /// A main page's `min_filled`: every field of it is printed.
    const FILLED_FRONT_FIELDS: usize = 10;

    fn reading(landmarks: usize, valid: usize) -> FrontFields {
        let value = FieldValue {
            text: "京A12345".into(),
            confidence: 0.9,
            valid: true,
            quad: None,
            after_label: false,
            trace: Vec::new(),
            readings: Vec::new(),
        };
        FrontFields {
            fields: vec![(FrontField::Number, value); valid],
            labels_found: landmarks,
            ..FrontFields::default()
        }
    }

    #[test]
    fn small_print_is_a_quarter_lower_than_most_lines() {
        let line = |h: f32| Quad::from_rect(0.0, 0.0, 100.0, h);
        let quads = [
            line(30.0),
            line(32.0),
            line(20.0),
            line(31.0),
            line(24.0),
            line(29.0),
        ];
        assert_eq!(small_lines(&quads), [2]);
        assert!(small_lines(&[]).is_empty());
        assert!(small_lines(&[line(10.0)]).is_empty());
    }

    #[test]
    fn lines_of_labels_alone_are_known() {
        let line = |text: &str, y: f32| crate::OcrLine {
            text: text.into(),
            confidence: 0.9,
            char_confidences: vec![0.9; text.chars().count()],
            lattices: Vec::new(),
            quad: Quad::from_rect(0.0, y, 200.0, y + 20.0),
            detection_score: 0.9,
        };
        let page = OcrPage {
            turn: vlocr_geometry::QuarterTurn::None,
            lines: vec![
                line("号牌号码", 0.0),
                line("号牌号码 京A12345", 30.0),
                line("车辆类型  品牌型号", 60.0),
                line("京A12345", 90.0),
                line("使用性版", 120.0),
            ],
            timings: Default::default(),
            unread: Vec::new(),
        };
        // A value beside a label is not a label; nor is a misread label the match leaves a
        // character of (`版`): it is read again.
        assert_eq!(
            labels_alone(&page, &FRONT_LABELS),
            [true, false, true, false, false]
        );
    }

    #[test]
    fn overlap_is_the_share_of_the_smaller_box() {
        let line = (0.0, 0.0, 100.0, 10.0);
        assert_eq!(overlap((50.0, 0.0, 100.0, 10.0), line), 1.0);
        assert_eq!(overlap((90.0, 0.0, 110.0, 10.0), line), 0.5);
        assert_eq!(overlap((0.0, 20.0, 100.0, 30.0), line), 0.0);
        assert_eq!(overlap((5.0, 5.0, 5.0, 5.0), line), 0.0);
    }

    #[test]
    fn a_reading_that_places_the_card_beats_one_with_more_valid_values() {
        // Two labels are too few to answer with (AIS.0104), whatever was read beside them.
        let unplaced = reading(MIN_FRONT_LABELS - 1, 7);
        let placed = reading(MIN_FRONT_LABELS, 6);
        assert!(standing(&placed, FILLED_FRONT_FIELDS) > standing(&unplaced, FILLED_FRONT_FIELDS));
        // Both placed: the more valid values win.
        let better = reading(MIN_FRONT_LABELS, 7);
        assert!(standing(&better, FILLED_FRONT_FIELDS) > standing(&placed, FILLED_FRONT_FIELDS));
    }
}
