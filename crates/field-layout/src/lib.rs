//! From recognized text lines to the fields of a vehicle license's main page (主页).
//!
//! This crate is pure: lines in ([`TextLine`]: text, confidences, each recognizer's lattice of
//! the line, and a quad in the upright page's pixel coordinates), fields out ([`FrontFields`]).
//! The steps, each in its own module:
//!
//! 1. [`labels`]: find the printed labels (号牌号码, 车辆识别代号, ...) in the lines, tolerating OCR
//!    slips and labels merged with their values (`使用性质非营运`).
//! 2. [`frame`]: fit the card's frame, an affine map from canonical card coordinates (0..1 across
//!    and down the printed card) to the image, from where the labels were found.
//! 3. [`assign`]: give every remaining piece of text to the field whose value area holds it.
//! 4. `decode`: read each value from its pieces' lattices under the field's grammar
//!    (`grammar/fields.txt`, with the vocabularies of `lexicon/`): the likeliest text the
//!    grammar allows, when the recognizer's evidence is within the grammar's margin of its
//!    likeliest text of all; every reading of a field (each recognizer, strips of the card read
//!    again, two readings of a page: [`PageFields::fuse`]) weighed together. A value no
//!    grammar holds stays as read, marked invalid.
//! 5. [`normalize`]: the canonical form of `shared/docs/fields.md` for a value no grammar holds,
//!    and cross-field agreement ([`seal`]: the seal read under its grammar once the plate and
//!    the address are known, preferring the place they name; the two dates).
//!
//! When fewer than three labels are read (blur and glare take the thin grey labels first),
//! values known by their grammar (a VIN, a model, the dates; a back page's size and file number)
//! help place the card.
//!
//! [`read_front`] reads main pages, [`read_back`] back pages (副页, [`back`]); both share the
//! same steps over their own label tables. [`electronic`] reads the electronic license's
//! screens (label / value rows, no card frame) with the same decoder.

mod address;
mod alarm;
pub mod assign;
pub mod back;
mod back_labels;
mod both_pages;
pub mod brands;
mod confidence;
mod date;
mod decode;
mod districts;
pub mod electronic;
mod grammar;
mod names;
pub use date::agree_dates;
pub use decode::recent::forget as forget_recent_values;
pub mod frame;
mod fuse;
pub mod labels;
pub mod normalize;
mod places;
mod plate;
mod printer;
pub mod rereads;
pub mod seal;
mod stamp;
mod text;
mod value_anchors;
pub mod vin;

use std::ops::Range;

use serde::Serialize;
use vlocr_ctc::Lattice;
use vlocr_geometry::{Point, Quad};

use labels::Label;

pub use alarm::{back_page_alarms, main_page_alarms, Alarms, CardPixels};
pub use assign::{normalize_front_row, place_front, read_front, read_page, RowValue};
pub use back::{normalize_back_row, place_back, read_back, BackField};
pub use both_pages::agree_plates;
pub use confidence::calibrated_confidence;
pub use electronic::{is_electronic_screen, read_electronic, ElectronicField, ElectronicFields};
pub use labels::{is_english_prose, FrontField};
pub use plate::is_plate_shaped;
pub use seal::agree_seal_and_plate;
pub use stamp::{agree_plate_and_stamp, agree_plates_and_stamp, agree_stamp_and_plate};
pub use value_anchors::{back_page_value_points, main_page_value_points};

/// One recognized line of text, in the coordinates of the upright page.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The text as read.
    pub text: String,
    /// One confidence per character of `text`.
    pub char_confidences: Vec<f32>,
    /// What the recognizers saw: the lattice whose plain reading is `text` first, then other
    /// readings of the same crop; empty when not known.
    pub lattices: Vec<Lattice>,
    /// Corners in reading order, in pixels of the upright page.
    pub quad: Quad,
}

impl TextLine {
    /// The lattices of characters `chars` of the text: each lattice's frames that belong to
    /// them (by the first lattice's plain reading, where it reads the text's characters; by
    /// their share of the line otherwise), other readings' frames in the same proportion.
    pub fn lattices_of(&self, chars: Range<usize>) -> Vec<Lattice> {
        let Some(first) = self.lattices.first() else {
            return Vec::new();
        };
        let path = first.greedy();
        let count = self.text.chars().count();
        let frames = if path.chars.len() == count {
            path.frames_of(chars)
        } else {
            let at = |i: usize| (i * first.len()).div_ceil(count.max(1));
            at(chars.start)..at(chars.end)
        };
        self.lattices
            .iter()
            .map(|lattice| {
                if lattice.len() == first.len() {
                    lattice.slice(frames.clone())
                } else {
                    let scale = |t: usize| (t * lattice.len()).div_ceil(first.len().max(1));
                    lattice.slice(scale(frames.start)..scale(frames.end))
                }
            })
            .collect()
    }
}

/// A field's value and how sure the reading is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldValue {
    /// The canonical value (empty when the field is blank or unreadable).
    pub text: String,
    /// The lowest character confidence of the value, 0..1, lowered when the value fails its
    /// field's grammar.
    pub confidence: f32,
    /// Whether the value passes its field's grammar (a plate's form, a VIN's check digit, a
    /// date, a vocabulary word, ...; fields without one pass when not empty).
    pub valid: bool,
    /// Where the value is, in the upright page: its one piece's quad (corners in reading
    /// order), or the box around its pieces.
    pub quad: Option<Quad>,
    /// Whether the value (its first piece, in reading order) was read in one line with its
    /// label, right after it: printed over the label's end, its first character may have been
    /// read as part of the label.
    pub after_label: bool,
    /// How the value was read, a line a reading: the likeliest text of the reading and the
    /// best text of each grammar tier, with log-probabilities (`vlocr recognize --trace`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<String>,
    /// What the value was read from (each recognizer's reading of its pieces, strips read
    /// again), so that a later reading of the field adds to them.
    #[serde(skip)]
    pub readings: Vec<Reading>,
}

/// One reading of a field's value: a lattice, and how its strip of the card was cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// What a recognizer saw.
    pub lattice: Lattice,
    /// How the strip it read was cut.
    pub cut: Cut,
    /// How much it counts beside the readings of the same cut: 1, or less for the fast first
    /// pass of a line the accurate recognizer read again ([`FIRST_PASS_WEIGHT`]).
    pub weight: f32,
    /// Which printing of the value it saw: 0, the page's own; 1, the other page's (the plate is
    /// printed on both pages). Readings of different printings are independent witnesses.
    pub printing: u8,
}

/// The weight of a fast first pass beside the accurate recognizer's reading of the same line:
/// the line was read again because the fast pass was unsure of it.
pub const FIRST_PASS_WEIGHT: f32 = 0.25;

impl Reading {
    /// The readings of one strip: its lattices (the kept reading first, then a fast first
    /// pass), cut as `cut`.
    pub fn of_strip(lattices: &[Lattice], cut: Cut) -> Vec<Reading> {
        lattices
            .iter()
            .enumerate()
            .map(|(i, lattice)| Reading {
                lattice: lattice.clone(),
                cut,
                weight: if i == 0 { 1.0 } else { FIRST_PASS_WEIGHT },
                printing: 0,
            })
            .collect()
    }
}

/// How the strip of a reading was cut from the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The value's pieces in the lines the detector found.
    Line,
    /// The value's row of the card (whole, or without its top).
    Row,
    /// A strip started before the value, in its label's end.
    LeadIn,
}

/// The fields read from a page, `F` being the page's field type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageFields<F> {
    /// Each field that was found, in the page's field order.
    pub fields: Vec<(F, FieldValue)>,
    /// How many printed labels were recognized (a main page has 10, a back page 10).
    pub labels_found: usize,
    /// Whether the page's printed title (`中华人民共和国机动车行驶证`, on a main page) was read.
    pub title_found: bool,
    /// Whether the title, read nearer the vehicle license's than another document's, placed the
    /// card by its two ends (few labels and values found; [`labels::title_ends`]).
    pub title_placed: bool,
    /// How many values known by their grammar alone (a VIN, a model, the dates, a plate) helped
    /// place the card, which happens only when fewer than three labels were found.
    pub value_anchors: usize,
    /// The card's corners (top-left, top-right, bottom-right, bottom-left of the printed card)
    /// as the frame fitted to its labels places them; `None` when no frame could be fitted.
    pub outline: Option<Quad>,
    /// How far down the printer put the values against their labels' rows, in card units (0..1
    /// down the card); 0 when none was measured.
    pub printer_shift: f32,
}

impl<F> Default for PageFields<F> {
    fn default() -> Self {
        Self {
            fields: Vec::new(),
            labels_found: 0,
            title_found: false,
            title_placed: false,
            value_anchors: 0,
            outline: None,
            printer_shift: 0.0,
        }
    }
}

/// Half the height of a value's row, in card units (the values are about 3.5 mm high on a card
/// 60 mm high).
const VALUE_HALF_HEIGHT: f32 = 0.035;
/// How far before its value area a row starts (card units): values printed over the end of
/// their label.
const VALUE_LEAD: f32 = 0.04;
/// How far into its value area a value's start is looked at (card units: about two characters
/// of a value's print).
const VALUE_START: f32 = 0.09;

/// The fields of a main page, keyed as in Huawei's response.
pub type FrontFields = PageFields<FrontField>;

/// The fields of a back page.
pub type BackFields = PageFields<BackField>;

impl FrontFields {
    /// Where every main-page value may be printed ([`PageFields::value_area`]); empty without
    /// an outline.
    pub fn value_areas(&self) -> Vec<Quad> {
        labels::FRONT_LABELS
            .iter()
            .filter_map(|l| self.value_area(&labels::FRONT_LABELS, l.field?))
            .collect()
    }
}

impl<F> PageFields<F> {
    /// What the card was recognized by: its labels found (its title among them), and the
    /// values that helped place it.
    pub fn landmarks(&self) -> usize {
        self.labels_found + usize::from(self.title_found) + self.value_anchors
    }

    /// Whether the card is known and placed well enough to answer its fields: by `min`
    /// landmarks ([`PageFields::landmarks`]), or by its title, whose two ends fix the card's
    /// place, size and turn ([`PageFields::title_placed`]; a driving license's title, one
    /// character away, places nothing).
    pub fn is_placed(&self, min: usize) -> bool {
        self.landmarks() >= min || (self.title_placed && self.outline.is_some())
    }
}

/// A field of a page's table.
pub trait TableField: Copy + PartialEq {
    /// Whether every card prints the field (only newer back pages print their energy type).
    fn on_every_card(self) -> bool;

    /// The field's value read from `readings` under its grammar, else `raw` cleaned as read
    /// ([`normalize_front_row`], [`normalize_back_row`]).
    fn read_row(self, raw: &str, readings: &[&Reading]) -> RowValue;
}

impl TableField for FrontField {
    fn on_every_card(self) -> bool {
        true
    }

    fn read_row(self, raw: &str, readings: &[&Reading]) -> RowValue {
        normalize_front_row(self, raw, readings)
    }
}

impl TableField for BackField {
    fn on_every_card(self) -> bool {
        self != BackField::EnergyType
    }

    fn read_row(self, raw: &str, readings: &[&Reading]) -> RowValue {
        normalize_back_row(self, raw, readings)
    }
}

impl<F: TableField> PageFields<F> {
    /// The fields found that every card prints: how much of a page a reading found (a field
    /// only some cards print tells nothing of that).
    pub fn found(&self) -> usize {
        self.fields
            .iter()
            .filter(|(f, _)| f.on_every_card())
            .count()
    }
}

impl<F: Copy + PartialEq> PageFields<F> {
    /// Where the value of `field` (a field of `labels`, the table the page was read with) should
    /// be printed, in the coordinates of [`PageFields::outline`]: its label's row, moved by the
    /// printer's shift, across the field's value area from a little before it. Corners in
    /// reading order. `None` without an outline, or for a field not in `labels`.
    pub fn value_row(&self, labels: &[Label<F>], field: F) -> Option<Quad> {
        let label = labels.iter().find(|l| l.field == Some(field))?;
        let start = (label.value_area.0 - VALUE_LEAD).max(0.0);
        self.row_part(label, start, label.value_area.2)
    }

    /// The part of `label`'s value row from `u0` to `u1` across the card (card units).
    fn row_part(&self, label: &Label<F>, u0: f32, u1: f32) -> Option<Quad> {
        let [tl, tr, _, bl] = self.outline?.points;
        let v = label.center.1 + self.printer_shift;
        let (v0, v1) = (v - VALUE_HALF_HEIGHT, v + VALUE_HALF_HEIGHT);
        let at = |u: f32, v: f32| {
            Point::new(
                tl.x + u * (tr.x - tl.x) + v * (bl.x - tl.x),
                tl.y + u * (tr.y - tl.y) + v * (bl.y - tl.y),
            )
        };
        Some(Quad::new([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)]))
    }

    /// Where `field`'s value starts (a field of `labels`): its row ([`PageFields::value_row`])
    /// from a little before its value area to `VALUE_START` into it. Values are printed from
    /// the start of their area, so this holds print whenever the card prints the value.
    pub fn value_start(&self, labels: &[Label<F>], field: F) -> Option<Quad> {
        let label = labels.iter().find(|l| l.field == Some(field))?;
        let end = (label.value_area.0 + VALUE_START).min(label.value_area.2);
        self.row_part(label, (label.value_area.0 - VALUE_LEAD / 2.0).max(0.0), end)
    }

    /// The part of `field`'s value row (a field of `labels`) from `from` to `to` past the start
    /// of its value area (card units), cut at the area's end; `None` past it.
    pub fn value_stretch(&self, labels: &[Label<F>], field: F, from: f32, to: f32) -> Option<Quad> {
        let label = labels.iter().find(|l| l.field == Some(field))?;
        let (start, end) = (label.value_area.0, label.value_area.2);
        if start + from >= end {
            return None;
        }
        self.row_part(label, start + from, (start + to).min(end))
    }

    /// The whole area where `field`'s value may be printed (every row of it, with room for
    /// the printer's shift), in the coordinates of [`PageFields::outline`], corners in reading
    /// order. `None` without an outline, or for a field not in `labels` (or the title).
    pub fn value_area(&self, labels: &[Label<F>], field: F) -> Option<Quad> {
        let [tl, tr, _, bl] = self.outline?.points;
        let label = labels.iter().find(|l| l.field == Some(field))?;
        let (u0, v0, u1, v1) = label.value_area;
        let at = |u: f32, v: f32| {
            Point::new(
                tl.x + u * (tr.x - tl.x) + v * (bl.x - tl.x),
                tl.y + u * (tr.y - tl.y) + v * (bl.y - tl.y),
            )
        };
        Some(Quad::new([at(u0, v0), at(u1, v0), at(u1, v1), at(u0, v1)]))
    }

    /// The value of `field`, if found.
    pub fn get(&self, field: F) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v)
    }

    /// Puts `value` in as `field`'s, in place of any value it had (a field not found before
    /// goes last).
    pub fn set(&mut self, field: F, value: FieldValue) {
        match self.fields.iter_mut().find(|(f, _)| *f == field) {
            Some((_, old)) => *old = value,
            None => self.fields.push((field, value)),
        }
    }
}

/// A value read as `text`, passing its grammar or not, with no place (for tests).
#[cfg(test)]
pub(crate) fn test_value(text: &str, valid: bool) -> FieldValue {
    FieldValue {
        text: text.into(),
        confidence: 0.9,
        valid,
        quad: None,
        after_label: false,
        trace: Vec::new(),
        readings: Vec::new(),
    }
}

/// A line on an 880 x 600 pixel card, placed by the card coordinates of its left end and centre
/// height; 20 px per Chinese character, 10 per ASCII one (for tests).
#[cfg(test)]
pub(crate) fn test_line(text: &str, u: f32, v: f32) -> TextLine {
    let width: f32 = text
        .chars()
        .map(|c| if c.is_ascii() { 10.0 } else { 20.0 })
        .sum();
    let (x, y) = (u * 880.0, v * 600.0);
    TextLine {
        text: text.into(),
        char_confidences: vec![0.99; text.chars().count()],
        lattices: Vec::new(),
        quad: Quad::from_rect(x, y - 10.0, x + width, y + 10.0),
    }
}

/// A lattice that reads `text` surely, two frames a character, except at the `(index, [(char,
/// p)])` characters, which list those symbols (for tests).
#[cfg(test)]
pub(crate) fn test_lattice(text: &str, unsure: &[(usize, &[(char, f32)])]) -> Lattice {
    let mut frames = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let symbols = unsure
            .iter()
            .find(|(k, _)| *k == i)
            .map_or_else(|| vec![(c, 0.98)], |(_, s)| s.to_vec());
        let seen: f32 = symbols.iter().map(|s| s.1).sum();
        frames.push(vlocr_ctc::Frame {
            blank: (1.0 - seen).max(0.0),
            symbols,
        });
        frames.push(vlocr_ctc::Frame {
            blank: 0.98,
            symbols: vec![(c, 0.02)],
        });
    }
    Lattice::new(frames)
}
