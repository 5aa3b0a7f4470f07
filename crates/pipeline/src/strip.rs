//! Fields read again from their strip of the card, when the detector broke their text up.

use image::RgbImage;
use vlocr_field_layout::back::normalize_back;
use vlocr_field_layout::rereads::{
    back_value_strips, unsure_row_strips, value_start_strips, StripPlan, BACK_ROW_FIELDS,
    CODE_HALF_HEIGHT, CODE_MARGINS, CODE_SEARCH, CODE_SHIFT, CODE_STRIP, LEAD_FIELDS,
    MISSING_ROW_FIELDS, ROW_FIELDS,
};
use vlocr_field_layout::{
    normalize_back_row, normalize_front_row, BackField, BackFields, Cut, FieldValue, FrontFields,
    PageFields, Reading, RowValue, TableField,
};
use vlocr_geometry::{Point, Quad};

use crate::{barcode, OcrEngine, Result, StripReading};

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

/// The back page's barcode number is 13 digits between `*`s under the bars, spaced so widely
/// that the detector often finds only some of them, one box each. When the reading holds fewer
/// than 13 digits, or its value of 13 holds less than [`CODE_SURE`] of its reading's
/// probability (the grammar put a digit where the reading had none: the box missed one at its
/// end), the digits are read again as one line: where the image shows ink under the
/// bars ([`found_digits`]; cut tight and loose, [`CODE_MARGINS`]), else where the card's frame
/// puts them (around the digits found, if any), moved by the printer's shift (it prints the
/// barcode with the values) and a little lower (the frame, fitted to a few labels, may place
/// it off; higher up, the bars read as `1`s). The value is then read under its grammar from
/// every reading together, the digits found first included. Without a value of 13 digits that
/// fits, a strip read as 13 digits is taken.
/// The probability of its reading under which a barcode number of 13 digits is read again from
/// its strip (a number read as printed has about 0.9).
const CODE_SURE: f32 = 0.5;

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
    if current.is_some_and(|v| digits(&v.text) == 13 && v.confidence >= CODE_SURE) {
        return Ok(());
    }
    // The digits where the image shows them under the bars; else where the card's frame puts
    // them, moved by the printer's shift (the printer prints the barcode with the values).
    let quads: Vec<Quad> = match found_digits(image, &map, fields.printer_shift) {
        Some((v0, v1)) => CODE_MARGINS
            .iter()
            .map(|(up, down)| map.quad((CODE_STRIP.0, v0 - up, CODE_STRIP.2, v1 + down)))
            .collect(),
        None => {
            let (u0, mut v0, u1, mut v1) = CODE_STRIP;
            (v0, v1) = (v0 + fields.printer_shift, v1 + fields.printer_shift);
            if let Some(found) = current.and_then(|v| v.quad) {
                let centre = map.to_card(found.center()).y;
                if (0.85..1.05).contains(&centre) {
                    (v0, v1) = (centre - CODE_HALF_HEIGHT, centre + CODE_HALF_HEIGHT);
                }
            }
            [0.0, CODE_SHIFT]
                .into_iter()
                .map(|shift| map.quad((u0, v0 + shift, u1, v1 + shift)))
                .filter(|quad| readable(image, quad))
                .collect()
        }
    };
    let Some(&quad) = quads.first() else {
        return Ok(());
    };
    let strips = engine.read_strips(image, &quads)?;
    let mut readings: Vec<Reading> = current.map(|v| v.readings.clone()).unwrap_or_default();
    readings.extend(
        strips
            .iter()
            .flat_map(|strip| Reading::of_strip(&strip.lattices, Cut::Row)),
    );
    let row = normalize_back_row(
        BackField::CodeNumber,
        &strips[0].text,
        &readings.iter().collect::<Vec<_>>(),
    );
    let trace: Vec<String> = row.trace.iter().map(|t| format!("again: {t}")).collect();
    let value = match row.confidence {
        Some(confidence) => FieldValue {
            text: row.normalized.text,
            valid: true,
            confidence,
            quad: Some(quad),
            after_label: false,
            trace,
            readings,
        },
        None => {
            let Some((strip, quad, text)) = strips.iter().zip(&quads).find_map(|(strip, quad)| {
                let normalized = normalize_back(BackField::CodeNumber, &strip.text);
                normalized.valid.then_some((strip, quad, normalized.text))
            }) else {
                return Ok(());
            };
            FieldValue {
                text,
                valid: true,
                confidence: weakest(&strip.char_confidences),
                quad: Some(*quad),
                after_label: false,
                trace,
                readings,
            }
        }
    };
    fields.set(BackField::CodeNumber, value);
    Ok(())
}

/// The card rows (`v0`, `v1`) of the barcode's digits as the image shows them under the bars
/// ([`barcode::digits_band`]), looked for in [`CODE_SEARCH`] stretched by the printer's shift;
/// `None` when the image shows no bars with digits under them there.
fn found_digits(image: &RgbImage, map: &CardMap, shift: f32) -> Option<(f32, f32)> {
    let (u0, v0, u1, v1) = CODE_SEARCH;
    let (v0, v1) = (v0 + shift.min(0.0), v1 + shift.max(0.0));
    let quad = map.quad((u0, v0, u1, v1));
    if !readable(image, &quad) {
        return None;
    }
    // A pixel of the straightened region for every 0.002 of the card.
    let pixels = |span: f32| (span * 500.0).round() as u32;
    let region = vlocr_geometry::warp_quad(image, &quad, pixels(u1 - u0), pixels(v1 - v0));
    let (top, bottom) = barcode::digits_band(&region)?;
    Some((v0 + top * (v1 - v0), v0 + bottom * (v1 - v0)))
}

/// Main-page values that fail their grammar, are weak, or were not found (or found empty: their
/// reading was of the label alone; for an engine number or an address, only those not found,
/// [`MISSING_ROW_FIELDS`]), read again from their row of the card (the label's row moved by the
/// printer's shift). A value printed up over the card's English title is found by the detector
/// in one line with the title and read as half of each (`苏A325ENSE0F`); the row cut at the
/// value's own height often reads the value alone (not where the inks overlap), so the first
/// row's values are read from three cuts. Every cut is a reading of its own, weighed with the
/// value's earlier readings under the field's grammar; a field without one (a missing name)
/// takes the first cut whose reading passes as a value.
pub(crate) fn reread_unsure_rows(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut FrontFields,
) -> Result<()> {
    let (rows, readings) = read_readable(engine, image, unsure_row_strips(fields), true)?;
    for field in ROW_FIELDS.into_iter().chain(MISSING_ROW_FIELDS) {
        let strips = strips_of(field, &rows, &readings);
        let value = read_again(
            fields.get(field),
            field,
            &strips,
            Cut::Row,
            normalize_front_row,
        );
        keep_or_trace(fields, field, value, &strips);
    }
    Ok(())
}

/// Sets `field` to `value` when there is one; otherwise, when strips were read for it, adds
/// what they read to the old value's trace (`vlocr recognize --trace` shows every reading
/// made, also those that changed nothing).
fn keep_or_trace<F: TableField>(
    fields: &mut PageFields<F>,
    field: F,
    value: Option<FieldValue>,
    strips: &[(&Quad, &StripReading)],
) {
    match value {
        Some(value) => fields.set(field, value),
        None => {
            let Some(old) = fields.get(field) else {
                return;
            };
            if strips.is_empty() {
                return;
            }
            let mut old = old.clone();
            old.trace.extend(
                strips
                    .iter()
                    .map(|(_, r)| format!("again: {:?}, not taken", r.text)),
            );
            fields.set(field, old);
        }
    }
}

/// The strips read for `field`: each quad with its reading.
fn strips_of<'a, F: Copy + PartialEq>(
    field: F,
    quads: &'a [(F, Quad)],
    readings: &'a [StripReading],
) -> Vec<(&'a Quad, &'a StripReading)> {
    quads
        .iter()
        .zip(readings)
        .filter(|((f, _), _)| *f == field)
        .map(|((_, quad), reading)| (quad, reading))
        .collect()
}

/// How a page reads a field's value from its readings under the field's grammar
/// ([`normalize_front_row`], [`normalize_back_row`]).
type RowReader<F> = fn(F, &str, &[&Reading]) -> RowValue;

/// `field`'s value read again from `strips` (each a quad and its reading, all cut as `cut`),
/// with `old`'s readings, when the readings hold a value of the field's grammar;
/// without a grammar, the first strip whose reading passes as a value. `None` when neither.
fn read_again<F: Copy>(
    old: Option<&FieldValue>,
    field: F,
    strips: &[(&Quad, &StripReading)],
    cut: Cut,
    normalize: RowReader<F>,
) -> Option<FieldValue> {
    let (&quad, first) = *strips.first()?;
    let mut readings: Vec<Reading> = old.map(|v| v.readings.clone()).unwrap_or_default();
    readings.extend(
        strips
            .iter()
            .flat_map(|(_, r)| Reading::of_strip(&r.lattices, cut)),
    );
    let row = normalize(field, &first.text, &readings.iter().collect::<Vec<_>>());
    let mut trace = old.map(|v| v.trace.clone()).unwrap_or_default();
    trace.extend(row.trace.iter().map(|t| format!("again: {t}")));
    if let Some(confidence) = row.confidence {
        // Read under the grammar: the value of every reading together, placed where the
        // earlier reading found it (or on the first strip).
        return Some(FieldValue {
            text: row.normalized.text,
            valid: row.normalized.valid,
            after_label: false,
            confidence,
            quad: old.and_then(|v| v.quad).or(Some(quad)),
            trace,
            readings,
        });
    }
    strips.iter().find_map(|&(&quad, reading)| {
        let row = normalize(field, &reading.text, &[]);
        row.normalized.valid.then(|| FieldValue {
            text: row.normalized.text,
            valid: true,
            after_label: false,
            confidence: weakest(&reading.char_confidences),
            quad: Some(quad),
            trace: trace.clone(),
            readings: readings.clone(),
        })
    })
}

/// The lowest of `confidences` (0 for none).
fn weakest(confidences: &[f32]) -> f32 {
    confidences.iter().copied().reduce(f32::min).unwrap_or(0.0)
}

/// Main-page values read again from strips that start a little before them, into the end of
/// their label, for a first character lost under the label's ink: each strip is a reading of
/// its own, weighed with the value's earlier readings under the field's grammar, whose value
/// replaces the old one. Strips of a value that something says is wrong (it fails its grammar,
/// a brand or a use character is cut) are read as any line; those of a value merely read right
/// after its label, as a precaution, by the fast first pass alone.
pub(crate) fn reread_value_starts(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut FrontFields,
) -> Result<()> {
    let strips = Strips {
        plan: value_start_strips(fields),
        cut: Cut::LeadIn,
    };
    strips.read_into(engine, image, fields, &LEAD_FIELDS, normalize_front_row)
}

/// Strips of a page's values to read again, all cut alike.
struct Strips<F> {
    /// Which strips, and which recognizer reads them.
    plan: StripPlan<F>,
    /// How they are cut.
    cut: Cut,
}

impl<F: TableField> Strips<F> {
    /// Reads the strips, and gives each of `order`'s fields the value its strips and its old
    /// readings hold under its grammar (`normalize`); only a value so read replaces the old one.
    fn read_into(
        self,
        engine: &mut OcrEngine,
        image: &RgbImage,
        fields: &mut PageFields<F>,
        order: &[F],
        normalize: RowReader<F>,
    ) -> Result<()> {
        let (mut wanted, mut readings) = read_readable(engine, image, self.plan.suspect, true)?;
        let (cautious, cautious_readings) =
            read_readable(engine, image, self.plan.precaution, false)?;
        wanted.extend(cautious);
        readings.extend(cautious_readings);
        for &field in order {
            let strips = strips_of(field, &wanted, &readings);
            let value = read_again(fields.get(field), field, &strips, self.cut, normalize);
            let value = value.filter(|v| v.valid && !v.readings.is_empty());
            keep_or_trace(fields, field, value, &strips);
        }
        Ok(())
    }
}

/// Back-page values that fail their grammar read again from their row of the card, and the
/// passengers read right after their label, whose number the printer often puts over the end
/// of the label (`核定载人数`, the `5` of `5人` under the `数`), also from strips led into the
/// label: when they fail their grammar, or else (by the fast first pass alone) as a
/// precaution. Each strip is a reading of its own, weighed with the value's earlier readings under
/// the field's grammar, as on the main page ([`reread_unsure_rows`], [`reread_value_starts`]);
/// only a value read so, with the old readings, replaces the old one.
pub(crate) fn reread_back_values(
    engine: &mut OcrEngine,
    image: &RgbImage,
    fields: &mut BackFields,
) -> Result<()> {
    let strips = Strips {
        plan: back_value_strips(fields),
        cut: Cut::Row,
    };
    strips.read_into(engine, image, fields, &BACK_ROW_FIELDS, normalize_back_row)
}

/// Reads, in one batch, the strips of `strips` worth cutting out of `image` ([`readable`]):
/// those strips, and their readings in the same order; by the fast first pass alone unless
/// `read_unsure_again`.
#[expect(
    clippy::type_complexity,
    reason = "a pair of parallel lists, named at the call"
)]
fn read_readable<F>(
    engine: &mut OcrEngine,
    image: &RgbImage,
    strips: Vec<(F, Quad)>,
    read_unsure_again: bool,
) -> Result<(Vec<(F, Quad)>, Vec<StripReading>)> {
    let strips: Vec<(F, Quad)> = strips
        .into_iter()
        .filter(|(_, quad)| readable(image, quad))
        .collect();
    if strips.is_empty() {
        return Ok((strips, Vec::new()));
    }
    let quads: Vec<Quad> = strips.iter().map(|(_, quad)| *quad).collect();
    let readings = if read_unsure_again {
        engine.read_strips(image, &quads)?
    } else {
        engine.read_strips_first_pass(image, &quads)?
    };
    Ok((strips, readings))
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

#[cfg(test)]
mod tests;
