//! From an image's text lines to the license fields.

use vlocr_field_layout::back::BACK_LABELS;
use vlocr_field_layout::labels::FRONT_LABELS;
use vlocr_field_layout::{
    agree_dates, agree_plate_and_stamp, agree_seal_and_plate, agree_stamp_and_plate,
    forget_recent_values, place_back, place_front, read_back, read_front, BackFields, FrontField,
    FrontFields, PageFields, TextLine,
};
use vlocr_geometry::Quad;

use image::RgbImage;

use crate::contrast;
use crate::electronic::is_electronic;
pub use crate::page_reading::MIN_FRONT_LABELS;
use crate::page_reading::{read_page, GiveWay, PageKind, Scales};
use crate::strip::{
    reread_back_values, reread_code_number, reread_unsure_rows, reread_value_starts,
};
use crate::upright::{from_upright, upright_lines};
use crate::{OcrEngine, OcrPage, Result};

/// Every field of a main page is printed (a back page leaves several blank): a main-page reading
/// with fewer than this many non-empty fields of its 11 is tried again from a close-up.
pub(crate) const FILLED_FRONT_FIELDS: usize = 10;
/// The main-page fields of `page`, read from an image of `width` x `height` pixels. Field
/// quads are in the image's own coordinates, corners in reading order.
pub fn front_fields(page: &OcrPage, width: u32, height: u32) -> FrontFields {
    page_fields(page, width, height, read_front)
}

/// The back-page fields of `page` (see [`front_fields`]).
pub fn back_fields(page: &OcrPage, width: u32, height: u32) -> BackFields {
    page_fields(page, width, height, read_back)
}

/// The outline of the main page that `page`'s lines place, in the image's coordinates; no
/// values are read.
pub(crate) fn front_outline(page: &OcrPage, width: u32, height: u32) -> Option<Quad> {
    page_fields(page, width, height, place_front).outline
}

/// The outline of the back page that `page`'s lines place (see [`front_outline`]).
pub(crate) fn back_outline(page: &OcrPage, width: u32, height: u32) -> Option<Quad> {
    page_fields(page, width, height, place_back).outline
}

/// The fields that `layout` reads from `page`'s lines, turned upright, with quads back in the
/// image's coordinates.
fn page_fields<F>(
    page: &OcrPage,
    width: u32,
    height: u32,
    layout: fn(&[TextLine]) -> PageFields<F>,
) -> PageFields<F> {
    let mut fields = layout(&upright_lines(page, width, height));
    let back = from_upright(page, width, height);
    for (_, value) in &mut fields.fields {
        value.quad = value.quad.map(&back);
    }
    fields.outline = fields.outline.map(&back);
    fields
}

/// Reads the main page of `image`: its lines and its fields. A faint image (washed out: its
/// brightness spreads over less than a sixth of the range) is stretched to black and white
/// first, and read as stretched. A card that is small in the photo
/// (its text spans less than 35% of the image's longer side) or that reads poorly
/// (labels not found, fields missing) is read once more from a close-up: the region of its
/// text, cut out with a margin and enlarged, so that small print reaches the detector and
/// recognizer at a size they read well; a card that still reads poorly, once more from the
/// region at the photo's own resolution. When no reading found enough landmarks to place a card,
/// the region of the card's paper (light and grey against its background) is read the same way:
/// the detector may have seen too little of a small, blurred card's print to find its text.
/// When still no reading places a card though text or paper was found, all of that once more
/// with the detector given 480 pixels, then 1,280
/// (`crate::page_reading::RETRY_DETECTOR_SIDES`): the detector loses blurred print at one
/// scale and finds it at another. A reading that places the card
/// beats one that does not; then the reading with the most values passing their grammar (then
/// the most landmarks; on a back page the most landmarks alone) is kept; quads are always in
/// `image`'s coordinates. Values that fail their grammar are then read again from their row of
/// the card, and values read right after their label (or failing their grammar) from strips
/// led into the label, for a first character lost in its ink; last, the plate, seal and
/// address are made to agree, and the two dates.
///
/// An electronic license's screen ([`crate::is_electronic`]) is read no further than its first
/// pass: the page comes back for [`crate::read_electronic_page`], its fields unfinished.
pub fn read_front_page(engine: &mut OcrEngine, image: &RgbImage) -> Result<(OcrPage, FrontFields)> {
    forget_recent_values();
    read_front_page_at(engine, image, Scales::All)
}

/// [`read_front_page`] at the detector's `scales`.
pub(crate) fn read_front_page_at(
    engine: &mut OcrEngine,
    image: &RgbImage,
    scales: Scales,
) -> Result<(OcrPage, FrontFields)> {
    let stretched = contrast::stretched(image);
    let image = stretched.as_ref().unwrap_or(image);
    let (page, mut fields) = read_page(engine, image, &front_kind(None), scales)?;
    if !is_electronic(&page) {
        finish_front(engine, image, &mut fields)?;
    }
    Ok((page, fields))
}

/// How a main page is read; `give_way` as [`PageKind::give_way`].
fn front_kind(give_way: Option<GiveWay<FrontField>>) -> PageKind<'static, FrontField> {
    PageKind {
        fields_of: front_fields,
        labels: &FRONT_LABELS,
        small_print_areas: Some(FrontFields::value_areas),
        min_filled: FILLED_FRONT_FIELDS,
        give_way,
    }
}

/// A page of either kind, as [`read_any_page`] found it.
#[derive(Debug)]
pub enum AnyPage {
    /// A main page (主页).
    Front(OcrPage, FrontFields),
    /// A back page (副页).
    Back(OcrPage, BackFields),
    /// An electronic license's screen, its first pass ([`crate::read_electronic_page`] reads
    /// it).
    Electronic(OcrPage),
}

/// Reads the main page of `image` when there is one, else its back page as
/// [`read_back_page`] reads it: what a request without `side` gets. The main page's reading
/// stops after its first pass when that finds a back page's labels and not a main page's (its
/// close-ups would look for a main page that is not there).
pub fn read_any_page(engine: &mut OcrEngine, image: &RgbImage) -> Result<AnyPage> {
    forget_recent_values();
    let stretched = contrast::stretched(image);
    let upright = stretched.as_ref().unwrap_or(image);
    let (page, mut fields) = read_page(
        engine,
        upright,
        &front_kind(Some(is_back_page)),
        Scales::All,
    )?;
    if is_electronic(&page) {
        return Ok(AnyPage::Electronic(page));
    }
    if is_back_page(&page, &fields, upright.width(), upright.height()) {
        let (page, back) = read_back_page(engine, image)?;
        return Ok(AnyPage::Back(page, back));
    }
    finish_front(engine, upright, &mut fields)?;
    Ok(AnyPage::Front(page, fields))
}

/// Whether the lines of `page`, read as a main page into `front`, are a back page's instead.
fn is_back_page(page: &OcrPage, front: &FrontFields, width: u32, height: u32) -> bool {
    front.landmarks() < MIN_FRONT_LABELS
        && back_fields(page, width, height).landmarks() >= MIN_FRONT_LABELS
}

/// What follows a main page's reading ([`read_front_page`]): values that fail their grammar
/// read again from their rows, values read right after their label from strips led into it;
/// then the plate, seal and address made to agree, and the two dates.
pub(crate) fn finish_front(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut FrontFields,
) -> Result<()> {
    reread_unsure_rows(engine, image, fields)?;
    reread_value_starts(engine, image, fields)?;
    // A plate read again may now vouch for the seal, and the seal for the plate.
    agree_front(fields);
    Ok(())
}

/// A main page's fields made to agree: the plate, seal and address, and the two dates.
pub(crate) fn agree_front(fields: &mut FrontFields) {
    agree_seal_and_plate(fields);
    agree_dates(fields, this_year());
}

/// What follows a back page's reading ([`read_back_page`]): values that fail their grammar
/// read again, and the barcode's digits.
pub(crate) fn finish_back(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut BackFields,
) -> Result<()> {
    reread_back_values(engine, image, fields)?;
    reread_code_number(engine, image, fields)
}

/// The current year by the system clock (the year of a mean Gregorian year's length since
/// 1970: a day off at a year's turn is of no matter for telling a date in the future).
fn this_year() -> i32 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    1970 + (seconds as f64 / (365.2425 * 86_400.0)) as i32
}

/// Reads the back page of `image`, as [`read_front_page`] reads a main page.
///
/// The barcode digits, which the detector often breaks up, are read again from their strip
/// when fewer than 13 were found; a plate read with no province takes the office the
/// inspection stamp names ([`agree_plate_and_stamp`]), and a stamp naming no province takes the
/// plate's ([`agree_stamp_and_plate`]; [`crate::read_both_pages`] does both once the two pages'
/// plates agree). An electronic license's screen is read no further than its first
/// pass, as by [`read_front_page`].
pub fn read_back_page(engine: &mut OcrEngine, image: &RgbImage) -> Result<(OcrPage, BackFields)> {
    forget_recent_values();
    let (page, mut fields) = read_back_page_at(engine, image, Scales::All)?;
    // The page's own plate and stamp witness each other, as both pages' readers have them do
    // once the two pages' plates agree.
    agree_plate_and_stamp(&mut fields, false);
    agree_stamp_and_plate(&mut fields);
    Ok((page, fields))
}

/// [`read_back_page`] at the detector's `scales`.
pub(crate) fn read_back_page_at(
    engine: &mut OcrEngine,
    image: &RgbImage,
    scales: Scales,
) -> Result<(OcrPage, BackFields)> {
    let stretched = contrast::stretched(image);
    let image = stretched.as_ref().unwrap_or(image);
    let kind = PageKind {
        fields_of: back_fields,
        labels: &BACK_LABELS,
        small_print_areas: None,
        min_filled: 0,
        give_way: None,
    };
    let (page, mut fields) = read_page(engine, image, &kind, scales)?;
    if !is_electronic(&page) {
        finish_back(engine, image, &mut fields)?;
    }
    Ok((page, fields))
}
