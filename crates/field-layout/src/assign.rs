//! Giving each piece of text to a field, by where it sits on the card.

use vlocr_ctc::Lattice;
use vlocr_geometry::{Point, Quad};

use crate::decode::{decode, decode_preferring, Decoded, Kind, Witness};
use crate::frame::CardFrame;
use crate::labels::{
    english_label_head, find_labels, is_english_label, is_leader, is_own_title, point_along,
    span_quad, split_label_heads, title_ends, Label, LabelHit, FRONT_LABELS,
};
use crate::normalize::normalize;
use crate::printer::{field_of, printer_shift};
use crate::text::{is_cjk, Normalized};
use crate::value_anchors::{main_page_labels, value_anchors};
use crate::{
    Cut, FieldValue, FrontField, FrontFields, PageFields, Reading, TextLine, FIRST_PASS_WEIGHT,
};

/// With fewer labels than this found, values known by their grammar help place the card.
const FEW_LABELS: usize = 3;

/// Pieces whose centres are closer than this vertically (card units) share a printed row.
const SAME_ROW: f32 = 0.03;
/// Pieces side by side whose heights on the card overlap by this share of the taller one's share a
/// printed row too, however far apart their centres: a value printed half a row off its label's
/// line (printers feed cards unevenly) beside a piece of that label's ink.
const ROW_OVERLAP: f32 = 1.0 / 3.0;

/// The direction of the page's text rows: the median direction of its long lines, in radians.
fn text_angle(lines: &[TextLine]) -> Option<f32> {
    let mut angles: Vec<f32> = lines
        .iter()
        .filter(|l| l.quad.width() >= 3.0 * l.quad.height())
        .map(|l| {
            let [tl, tr, _, _] = l.quad.points;
            (tr.y - tl.y).atan2(tr.x - tl.x)
        })
        .collect();
    if angles.len() < 3 {
        return None;
    }
    angles.sort_by(f32::total_cmp);
    Some(angles[angles.len() / 2])
}

/// A stretch of a line: the whole line, or what follows the label printed at its start.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    confidences: Vec<f32>,
    /// The piece's frames of each of its line's lattices; empty when not known.
    lattices: Vec<Lattice>,
    quad: Quad,
    /// Centre on the card.
    card: Point,
    /// Bounds on the card: left, top, right, bottom.
    card_bounds: (f32, f32, f32, f32),
    /// Whether the piece follows a label in its line with nothing between.
    after_label: bool,
}

/// Reads the fields of a main page from its lines (upright page coordinates).
///
/// Readings of the dotted leaders ([`is_leader`]) are dropped first: a main page has no text in
/// small letters (a back page keeps its units, `kg` and `mm`).
pub fn read_front(lines: &[TextLine]) -> FrontFields {
    let values = Values {
        clean: normalize,
        decode: decode_front,
        kind: front_kind,
    };
    let mut fields = read_front_with(lines, values);
    crate::seal::agree_seal_and_plate(&mut fields);
    fields
}

/// Where a main page is, from its lines (upright page coordinates): the labels found and the
/// card's outline as [`read_front`] fits them, with no values read (`fields` is empty).
pub fn place_front(lines: &[TextLine]) -> FrontFields {
    let mut placed = read_front_with(lines, Values::unread());
    placed.fields.clear();
    placed
}

/// A main page read from `lines` with `values`, the dotted leaders' readings dropped first.
fn read_front_with(lines: &[TextLine], values: Values<FrontField>) -> FrontFields {
    let lines: Vec<TextLine> = lines.iter().filter(|l| !is_leader(l)).cloned().collect();
    let lines = lines.as_slice();
    read_page_placed(lines, &FRONT_LABELS, &FrontField::ALL, values, |hits| {
        value_anchors(lines, main_page_labels(hits))
    })
}

/// The kind of a main page's field, when its grammar is known.
fn front_kind(field: FrontField) -> Option<Kind> {
    Some(match field {
        FrontField::Number => Kind::Plate,
        FrontField::Vin => Kind::Vin,
        FrontField::EngineNo => Kind::EngineNo,
        FrontField::RegisterDate | FrontField::IssueDate => Kind::Date,
        FrontField::VehicleType => Kind::VehicleType,
        FrontField::UseCharacter => Kind::UseCharacter,
        FrontField::Model => Kind::Model,
        FrontField::Name => Kind::Name,
        FrontField::Address => Kind::Address,
        FrontField::IssuingAuthority => return None,
    })
}

/// How much less likely (nats per reading) than the best model one whose brand its code's
/// enterprise code names may be and be taken, when the brand read is no listed one.
const BRAND_BY_CODE_MARGIN: f32 = 10.0;

/// A main-page value read under its field's grammar from `readings`, when it has one, and how
/// it was read.
fn decode_front(field: FrontField, readings: &[&Reading]) -> Decoded {
    let Some(kind) = front_kind(field) else {
        return Decoded::default();
    };
    let mut decoded = decode(kind, readings);
    // A model whose brand is no listed one: the brand its code's enterprise code names is a
    // witness, weighed under the readings like any value and taken when they give it weight
    // enough (a brand the list lacks, read clearly, stays).
    if field == FrontField::Model {
        let vouched = decoded
            .decision
            .as_ref()
            .and_then(|d| crate::brands::with_brand_of_its_code(&d.text));
        if let Some(model) = vouched {
            let values = [model];
            let witness = Witness {
                values: &values,
                margin: BRAND_BY_CODE_MARGIN,
            };
            decoded = decode_preferring(kind, readings, Some(&witness));
        }
    }
    // A name or address may still hold another label's misreading before it, or English
    // after it, that its grammar (any Chinese text) cannot tell from it.
    if matches!(field, FrontField::Name | FrontField::Address) {
        if let Some(decision) = &mut decoded.decision {
            let cleaned = crate::normalize::normalize(field, &decision.text);
            if cleaned.valid {
                decision.text = cleaned.text;
            }
        }
    }
    decoded
}

impl<F> Values<F> {
    /// Values left as read and not decoded: for placing a page without reading it.
    pub(crate) fn unread() -> Self {
        Values {
            clean: |_, raw| Normalized {
                text: raw.to_owned(),
                valid: false,
            },
            decode: |_, _| Decoded::default(),
            kind: |_| None,
        }
    }
}

/// `field`'s value read from `readings` by `decode`; without readings, nothing is read (as for
/// a field without a grammar).
pub(crate) fn decode_readings<F>(
    decode: fn(F, &[&Reading]) -> Decoded,
    field: F,
    readings: &[&Reading],
) -> Decoded {
    if readings.is_empty() {
        Decoded::default()
    } else {
        decode(field, readings)
    }
}

/// How a page's values are read from their pieces' text: decoded under their grammar from the
/// pieces' lattices, else cleaned as read.
#[derive(Clone, Copy)]
pub(crate) struct Values<F> {
    /// Cleans a value's text as read.
    pub(crate) clean: fn(F, &str) -> Normalized,
    /// Reads a value under its field's grammar from its readings (`None` when it has none, or
    /// no text of it fits), with lines saying how.
    pub(crate) decode: fn(F, &[&Reading]) -> Decoded,
    /// The kind of a field's values, when its grammar is known.
    pub(crate) kind: fn(F) -> Option<Kind>,
}

/// A main-page value read from a row or strip of the card ([`normalize_front_row`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RowValue {
    /// The value.
    pub normalized: Normalized,
    /// The probability of its reading, when it was read under its field's grammar.
    pub confidence: Option<f32>,
    /// How it was read (see [`FieldValue::trace`]); empty without lattices.
    pub trace: Vec<String>,
}

/// Reads a main-page field's value from `readings` (lattices: the field's earlier readings and
/// its row or strips of the card, [`PageFields::value_row`]) under the field's grammar, when it
/// has one and a text of it fits. Else `raw`, a strip's reading, is cleaned as read: the end of
/// the field's label the row starts with (`人王京`) is dropped first, and a name needs two
/// Chinese characters.
pub fn normalize_front_row(field: FrontField, raw: &str, readings: &[&Reading]) -> RowValue {
    let Decoded {
        has_grammar,
        decision: decided,
        trace,
    } = decode_readings(decode_front, field, readings);
    if let Some(decision) = decided {
        let normalized = Normalized {
            text: decision.text,
            valid: decision.valid,
        };
        return RowValue {
            normalized,
            confidence: Some(decision.confidence),
            trace,
        };
    }
    let stripped = strip_label_remnant(&FRONT_LABELS, field, raw);
    let mut normalized = normalize(field, &stripped);
    if field == FrontField::Name {
        normalized.valid &= normalized.text.chars().filter(|&c| is_cjk(c)).count() >= 2;
    }
    // A grammar read the value and found none of its own.
    normalized.valid &= !has_grammar;
    RowValue {
        normalized,
        confidence: None,
        trace,
    }
}

/// Reads the fields of a page laid out as `labels` says: finds the labels, fits the card's frame
/// to them, gives every other piece of text to the field whose value area holds it, and cleans
/// each field's joined text with `clean`. Fields come back in the order of `order`.
pub fn read_page<F: Copy + PartialEq>(
    lines: &[TextLine],
    labels: &[Label<F>],
    order: &[F],
    clean: fn(F, &str) -> Normalized,
) -> PageFields<F> {
    let values = Values {
        clean,
        decode: |_, _| Decoded::default(),
        kind: |_| None,
    };
    read_page_placed(lines, labels, order, values, |_| Vec::new())
}

/// [`read_page`], with `values` (anchors from values known by their grammar, given the labels
/// found) helping to place the card when fewer than [`FEW_LABELS`] labels were found.
pub(crate) fn read_page_placed<F: Copy + PartialEq>(
    lines: &[TextLine],
    labels: &[Label<F>],
    order: &[F],
    reader: Values<F>,
    values: impl FnOnce(&[LabelHit]) -> Vec<(Point, Point)>,
) -> PageFields<F> {
    let hits = find_labels(lines, labels);
    let mut anchors: Vec<(Point, Point)> = hits
        .iter()
        .map(|h| {
            let (u, v) = labels[h.label].center;
            (Point::new(u, v), h.center)
        })
        .collect();
    let labels_found = hits
        .iter()
        .filter(|h| labels[h.label].field.is_some())
        .count();
    let title = hits.iter().find(|h| labels[h.label].field.is_none());
    let title_found = title.is_some();
    let value_anchors = if labels_found < FEW_LABELS {
        let values = values(&hits);
        anchors.extend_from_slice(&values);
        values.len()
    } else {
        0
    };
    // When labels and values leave fewer than three anchors (no frame, or one fitted to two
    // points), the title places the card by its two ends (its size and turn), when it reads
    // nearer the vehicle license's than another document's. Beside three or more anchors, they
    // would only pull a frame spread over the card towards its top edge.
    let own_title = |hit: &&LabelHit| {
        let read: String = lines[hit.line]
            .text
            .chars()
            .skip(hit.start)
            .take(hit.chars)
            .collect();
        is_own_title(&read, labels[hit.label].chinese)
    };
    let title_placed = title.is_some_and(|hit| own_title(&hit)) && anchors.len() < FEW_LABELS;
    if let (Some(hit), true) = (title, title_placed) {
        anchors.extend(title_ends(&lines[hit.line], hit, labels[hit.label].center));
    }
    let frame = text_angle(lines).and_then(|angle| CardFrame::fit_aligned(&anchors, angle));
    let Some(frame) = frame.or_else(|| CardFrame::fit(&anchors)) else {
        return PageFields {
            labels_found,
            title_found,
            title_placed,
            ..PageFields::default()
        };
    };
    let heads = split_label_heads(lines, labels, &hits);
    let mut found: Vec<Piece> = Vec::new();
    let mut pieces: Vec<(F, Piece)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let line_hits: Vec<_> = hits.iter().filter(|h| h.line == index).collect();
        if line_hits.iter().any(|h| labels[h.label].field.is_none()) || is_english_label(&line.text)
        {
            continue;
        }
        let cuts: Vec<(usize, usize)> = line_hits
            .iter()
            .map(|h| (h.start, h.start + h.chars))
            .chain(
                heads
                    .iter()
                    .filter(|(line, _, _)| *line == index)
                    .map(|&(_, start, end)| (start, end)),
            )
            .chain(english_label_head(&line.text, labels).map(|end| (0, end)))
            .collect();
        for (start, end) in segments(&line.text, &cuts) {
            let mut piece = piece_of(line, start, end, &frame);
            piece.after_label = cuts.iter().any(|&(_, label_end)| label_end == start);
            found.push(piece);
        }
    }
    let placed: Vec<(Point, &str)> = found.iter().map(|p| (p.card, p.text.as_str())).collect();
    let shift = printer_shift(labels, &placed, reader.kind);
    for piece in found {
        if let Some(field) = field_of(labels, piece.card, shift) {
            pieces.push((field, piece));
        }
    }
    let fields = order
        .iter()
        .filter_map(|&field| {
            let mut mine: Vec<&Piece> = pieces
                .iter()
                .filter(|(f, _)| *f == field)
                .map(|(_, p)| p)
                .collect();
            drop_specks(&mut mine);
            (!mine.is_empty()).then(|| (field, value_of(labels, field, &mut mine, reader)))
        })
        .collect();
    let corner = |u: f32, v: f32| frame.to_page(Point::new(u, v));
    PageFields {
        fields,
        labels_found,
        title_found,
        title_placed,
        value_anchors,
        printer_shift: shift,
        outline: Some(Quad::new([
            corner(0.0, 0.0),
            corner(1.0, 0.0),
            corner(1.0, 1.0),
            corner(0.0, 1.0),
        ])),
    }
}

/// The stretches of a line's text between its labels (`labels`: character ranges) and its
/// spaces, as character ranges.
fn segments(text: &str, labels: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let is_cut =
        |i: usize| chars[i].is_whitespace() || labels.iter().any(|&(s, e)| (s..e).contains(&i));
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=chars.len() {
        match (i < chars.len() && !is_cut(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Characters `start..end` of `line`, located on the card.
fn piece_of(line: &TextLine, start: usize, end: usize, frame: &CardFrame) -> Piece {
    let text: String = line.text.chars().skip(start).take(end - start).collect();
    let quad = span_quad(line, start, end);
    let corners = quad.points.map(|p| frame.to_card(p));
    let (xs, ys) = (corners.map(|p| p.x), corners.map(|p| p.y));
    let min = |v: [f32; 4]| v.into_iter().fold(f32::INFINITY, f32::min);
    let max = |v: [f32; 4]| v.into_iter().fold(f32::NEG_INFINITY, f32::max);
    Piece {
        confidences: line
            .char_confidences
            .iter()
            .skip(start)
            .take(end - start)
            .copied()
            .collect(),
        lattices: line.lattices_of(start..end),
        text,
        quad,
        card: frame.to_card(point_along(line, start, end)),
        card_bounds: (min(xs), min(ys), max(xs), max(ys)),
        after_label: false,
    }
}

/// A piece lower than this share of its field's tallest piece is no printed value when it is
/// also read unsurely ([`SPECK_CONFIDENCE`]).
const SPECK_HEIGHT: f32 = 0.5;
/// The mean character confidence below which a low piece is a speck.
const SPECK_CONFIDENCE: f32 = 0.6;

/// Drops from a field's pieces the specks: pieces much lower than the field's tallest and read
/// unsurely (`12181` read from the dots under an engine number), which the recognizer made of
/// a line of dots, a crease or the edge of a stamp.
fn drop_specks(pieces: &mut Vec<&Piece>) {
    let tallest = pieces
        .iter()
        .map(|p| p.quad.height())
        .fold(0.0f32, f32::max);
    pieces.retain(|p| {
        // Without confidences (not known), nothing says the piece was read unsurely.
        let mean = p.confidences.iter().sum::<f32>() / p.confidences.len().max(1) as f32;
        p.quad.height() >= SPECK_HEIGHT * tallest
            || p.confidences.is_empty()
            || mean >= SPECK_CONFIDENCE
    });
}

/// Whether two pieces of a field share a printed row: their centres close ([`SAME_ROW`]), or,
/// side by side (neither reaching over the other across), their heights overlapping by
/// [`ROW_OVERLAP`] of the taller one's. A seal's lines, stacked, stay rows of their own, and a
/// speck (a few digits cut from a line) joins no row it only touches.
fn same_row(a: &Piece, b: &Piece) -> bool {
    let ((ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1)) = (a.card_bounds, b.card_bounds);
    let side_by_side = ax1.min(bx1) <= ax0.max(bx0);
    let overlap = ay1.min(by1) - ay0.max(by0);
    (a.card.y - b.card.y).abs() < SAME_ROW
        || (side_by_side && overlap >= ROW_OVERLAP * (ay1 - ay0).max(by1 - by0))
}

/// Joins a field's pieces in reading order and cleans the result.
fn value_of<F: Copy + PartialEq>(
    labels: &[Label<F>],
    field: F,
    pieces: &mut [&Piece],
    reader: Values<F>,
) -> FieldValue {
    pieces.sort_by(|a, b| a.card.y.total_cmp(&b.card.y));
    let mut rows: Vec<Vec<&Piece>> = Vec::new();
    for piece in pieces.iter() {
        match rows.last_mut() {
            Some(row) if same_row(row[0], piece) => row.push(piece),
            _ => rows.push(vec![piece]),
        }
    }
    let mut raw = String::new();
    let mut confidences = Vec::new();
    for row in &mut rows {
        row.sort_by(|a, b| a.card.x.total_cmp(&b.card.x));
        for piece in row.iter() {
            raw.push_str(&piece.text);
            confidences.extend(&piece.confidences);
        }
    }
    // One reading a recognizer that read every piece: its lattices of the pieces, in order.
    let in_order: Vec<&Piece> = rows.iter().flatten().copied().collect();
    let readers = in_order.iter().map(|p| p.lattices.len()).min().unwrap_or(0);
    let readings: Vec<Reading> = (0..readers)
        .map(|r| Reading {
            lattice: Lattice::concat(in_order.iter().map(|p| &p.lattices[r])),
            cut: Cut::Line,
            weight: if r == 0 { 1.0 } else { FIRST_PASS_WEIGHT },
            printing: 0,
        })
        .collect();
    let Decoded {
        has_grammar,
        decision: decided,
        trace,
    } = decode_readings(reader.decode, field, &readings.iter().collect::<Vec<_>>());
    let stripped = strip_label_remnant(labels, field, &raw);
    let weakest = confidences.iter().copied().reduce(f32::min).unwrap_or(0.0);
    let (normalized, confidence) = match decided {
        Some(decision) => (
            Normalized {
                text: decision.text,
                valid: decision.valid,
            },
            decision.confidence,
        ),
        None => {
            let mut normalized = (reader.clean)(field, &stripped);
            // A grammar read the value and found none of its own.
            normalized.valid &= !has_grammar;
            let confidence = if normalized.valid {
                weakest
            } else {
                weakest * 0.5
            };
            (normalized, confidence)
        }
    };
    FieldValue {
        text: normalized.text,
        valid: normalized.valid,
        confidence,
        // One piece keeps its own quad, corners in reading order; several, the box around them.
        quad: match pieces {
            [piece] => Some(piece.quad),
            _ => bounding_quad(pieces.iter().map(|p| p.quad)),
        },
        after_label: rows
            .first()
            .and_then(|row| row.first())
            .is_some_and(|p| p.after_label),
        trace: trace.into_iter().map(|t| format!("pieces: {t}")).collect(),
        readings,
    }
}

/// Drops the end of a field's label that the detector split off with the value: `人王京` is
/// `所有人` + `王京`, `址北京市` is `住址` + `北京市`. English read before it (a sub-label above,
/// `VehicleType有人北京...`: letters and marks, no digit) goes with it.
fn strip_label_remnant<F: Copy + PartialEq>(labels: &[Label<F>], field: F, raw: &str) -> String {
    let Some(label) = labels.iter().find(|l| l.field == Some(field)) else {
        return raw.to_owned();
    };
    let english = raw
        .find(|c: char| is_cjk(c) || c.is_ascii_digit())
        .unwrap_or(raw.len());
    let after_english = if raw[..english]
        .chars()
        .filter(char::is_ascii_alphabetic)
        .count()
        >= 2
    {
        &raw[english..]
    } else {
        raw
    };
    let label: Vec<char> = label.chinese.chars().collect();
    for start in 1..label.len() {
        let suffix: String = label[start..].iter().collect();
        if let Some(rest) = raw
            .strip_prefix(&suffix)
            .or_else(|| after_english.strip_prefix(&suffix))
        {
            // A piece that is nothing but the label's end (`注` of a spaced `备  注`) is no value.
            return rest.to_owned();
        }
    }
    raw.to_owned()
}

/// The axis-aligned box around several quads.
fn bounding_quad(quads: impl Iterator<Item = Quad>) -> Option<Quad> {
    quads
        .map(|q| q.bounds())
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
        .map(|(x0, y0, x1, y1)| Quad::from_rect(x0, y0, x1, y1))
}

#[cfg(test)]
mod tests;
