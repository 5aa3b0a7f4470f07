//! Both pages in one image (the wallet opened flat): each page's fields from the reading of
//! the whole image, split between the pages ([`split`]), and a close-up of a page that reads
//! poorly there, weighed together with that first reading.

mod split;

use image::{imageops, Rgb, RgbImage};
use vlocr_field_layout::back::BACK_LABELS;
use vlocr_field_layout::labels::FRONT_LABELS;
use vlocr_field_layout::{
    agree_plates, agree_plates_and_stamp, agree_stamp_and_plate, BackFields, FrontFields,
    PageFields, TableField, FIRST_PASS_WEIGHT,
};
use vlocr_geometry::{resize_bilinear, Point, Quad};

use split::{back_centroid, front_centroid, part, split_pages, text_lines, NEIGHBOUR_LINES};

use crate::fields::{
    agree_front, back_fields as back_fields_of, finish_back, finish_front,
    front_fields as front_fields_of, read_any_page, read_back_page, read_back_page_at,
    read_front_page, read_front_page_at, AnyPage, FILLED_FRONT_FIELDS,
};
use crate::page_reading::{
    labels_alone, standing, text_region, well_read, Scales, MIN_FRONT_LABELS,
};
use crate::{contrast, is_electronic, OcrEngine, OcrPage, Result};

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
/// `WALLET_DETECTOR_SIDE` (each page has half the photo); the lines are split between the
/// main page and the back page by where each page's own labels were found (`号牌号码`, printed
/// on both, is not used), or, for a page with fewer than two of its labels read, the values only
/// it carries, or beside the one page found (`split_pages`). A page that reads well from its
/// lines there (`well_read`, every value passing its grammar) is answered from them, its
/// values read again from strips of the image as on a single page; one that does not is cut
/// out (its text, and the card its own labels place around it), the other page's text
/// blanked, read like a single page, and each field weighed with the first reading's. When
/// neither page was placed that way (a small, blurred or steeply tilted wallet), the photo is
/// read as a single page of each kind
/// ([`read_front_page`], [`read_back_page`]: they find the card's paper and enlarge it), and
/// each page placed there is answered. A page whose labels were not found comes back with no
/// fields and `labels_found` as read. An electronic license's screen, told by the first
/// reading of the whole image, is read no further ([`BothPages::Electronic`]).
pub fn read_both_pages(engine: &mut OcrEngine, image: &RgbImage) -> Result<BothPages> {
    // A wallet on its side is always searched again turned a quarter, however many lines its
    // first search found: its pages' print is small, and on seed 11703 a wallet whose first
    // search found more than two pages' worth of lines (2 x PAGE_LINES) still lost three
    // back-page fields without the second search.
    match engine.with_lines_expected(usize::MAX, |engine| read_both(engine, image))? {
        // A screen is read again as a single page: the wallet's first reading, at its own
        // detector side and turned a quarter, reads a screen's rows less well.
        BothPages::Electronic(wallet) => match read_any_page(engine, image)? {
            AnyPage::Electronic(page) => Ok(BothPages::Electronic(page)),
            _ => Ok(BothPages::Electronic(wallet)),
        },
        paper => Ok(paper),
    }
}

/// What an image sent as both pages of a license holds, as [`read_both_pages`] read it.
#[derive(Debug)]
pub enum BothPages {
    /// A paper license's main page and back page; a page not found has no fields.
    Paper(FrontFields, BackFields),
    /// An electronic license's screen (one page of the 交管12123 app), its first pass
    /// ([`crate::read_electronic_page`] reads it).
    Electronic(OcrPage),
}

impl BothPages {
    /// The paper license's two pages; `None` for an electronic license's screen.
    pub fn paper(self) -> Option<(FrontFields, BackFields)> {
        match self {
            BothPages::Paper(front, back) => Some((front, back)),
            BothPages::Electronic(_) => None,
        }
    }
}

/// [`read_both_pages`], every page on its side searched turned as well.
fn read_both(engine: &mut OcrEngine, image: &RgbImage) -> Result<BothPages> {
    vlocr_field_layout::forget_recent_values();
    let (front, back) = match read_wallet(engine, image)? {
        BothPages::Paper(front, back) => (front, back),
        screen @ BothPages::Electronic(_) => return Ok(screen),
    };
    if front.landmarks().max(back.landmarks()) >= MIN_FRONT_LABELS {
        return Ok(BothPages::Paper(front, back));
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
    agree_plates_and_stamp(&mut front, &mut back);
    agree_stamp_and_plate(&mut back);
    Ok(BothPages::Paper(front, back))
}

/// Both pages read as one open wallet (see [`read_both_pages`]), or the screen of an
/// electronic license that its first reading shows.
fn read_wallet(engine: &mut OcrEngine, image: &RgbImage) -> Result<BothPages> {
    let stretched = contrast::stretched(image);
    let image = stretched.as_ref().unwrap_or(image);
    let (width, height) = image.dimensions();
    let mut page = engine.with_detector_side(WALLET_DETECTOR_SIDE, |e| e.read_first_pass(image))?;
    if is_electronic(&page) {
        return Ok(BothPages::Electronic(page));
    }
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
        return Ok(BothPages::Paper(
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
        agree: agree_front,
    };
    let mut front_fields = front.read(engine, image, || {
        cut_out(image, &front_quads, front_card, &back_quads)
    })?;
    // The back page's search has detector runs of its own, whatever the wallet's reading and
    // the main page's took.
    engine.renew_detection_budget_if_limited();
    let back = Page {
        first: back_fields_of(&part(&page, &on_back, true), width, height),
        min_filled: 0,
        read: read_back_page_at,
        finish: finish_back,
        agree: |_| {},
    };
    let mut back_fields = back.read(engine, image, || {
        cut_out(image, &back_quads, back_card, &front_quads)
    })?;
    agree_plates(&mut front_fields, &mut back_fields);
    agree_plates_and_stamp(&mut front_fields, &mut back_fields);
    agree_stamp_and_plate(&mut back_fields);
    Ok(BothPages::Paper(front_fields, back_fields))
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
    /// Makes a page's fields agree again once a fusion may have changed them (what the end
    /// of `finish` does).
    agree: fn(&mut PageFields<F>),
}

impl<F: TableField> Page<F> {
    /// The page's fields: from the first reading when that read it well ([`well_read`], and
    /// every value passing its grammar; its values then read again from strips of `image` as
    /// on a single page); else from its close-up (`crop`: the crop, its top-left in `image`
    /// and its enlargement; each field weighed with the first reading's, where that placed
    /// the page, [`PageFields::fuse`]), or, when that cannot place it, from the first reading
    /// after all (glare or shadow can fall differently on the enlarged crop); when neither
    /// places it, from the close-up read again at the detector's other scales
    /// ([`after_close_up`]).
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
            let mut closer = shift((self.read)(engine, &crop, Scales::Own)?.1, offset, scale);
            match after_close_up(first.landmarks(), closer.landmarks()) {
                Answer::CloseUp => {
                    // The whole photo's reading, where it placed the page, is evidence too,
                    // weighed as a fast first pass beside the close-up's closer look.
                    if first.landmarks() >= MIN_FRONT_LABELS {
                        closer.fuse(&first, FIRST_PASS_WEIGHT);
                        (self.agree)(&mut closer);
                    }
                    return Ok(closer);
                }
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
