//! A row's value: its pieces joined and read under the field's grammar, or matched to the
//! field's vocabulary (`lexicon/vehicle_statuses.txt`, `lexicon/body_colors.txt`).

use vlocr_ctc::Lattice;
use vlocr_geometry::Quad;

use super::{ElectronicField, Piece};
use crate::assign::normalize_front_row;
use crate::back::normalize_back_row;
use crate::decode::{decode, Kind};
use crate::grammar::Grammars;
use crate::labels::{edit_distance, span_quad, FrontField};
use crate::text::fold;
use crate::{Cut, FieldValue, Reading, TextLine, FIRST_PASS_WEIGHT};

/// The value of `field` from its row's `pieces`, in order along the row.
pub(super) fn value_of(field: ElectronicField, lines: &[TextLine], pieces: &[Piece]) -> FieldValue {
    let mut raw = String::new();
    let mut confidences = Vec::new();
    let mut quads = Vec::new();
    for piece in pieces {
        let line = &lines[piece.line];
        let chars: Vec<char> = line.text.chars().collect();
        let text: String = chars[piece.chars.clone()].iter().collect();
        raw.push_str(&text);
        confidences.extend(
            line.char_confidences
                .iter()
                .skip(piece.chars.start)
                .take(piece.chars.len()),
        );
        quads.push(span_quad(line, piece.chars.start, piece.chars.end));
    }
    // A separator after the label (`状态：正常`) is no part of the value.
    let raw = fold(raw.trim_start_matches([':', '：', ' ']).trim());
    let lattices: Vec<Vec<Lattice>> = pieces
        .iter()
        .map(|p| lines[p.line].lattices_of(p.chars.clone()))
        .collect();
    let readers = lattices.iter().map(Vec::len).min().unwrap_or(0);
    let readings: Vec<Reading> = (0..readers)
        .map(|r| Reading {
            lattice: Lattice::concat(lattices.iter().map(|l| &l[r])),
            cut: Cut::Line,
            weight: if r == 0 { 1.0 } else { FIRST_PASS_WEIGHT },
            printing: 0,
        })
        .collect();
    let readings: Vec<&Reading> = readings.iter().collect();
    let weakest = confidences.iter().copied().reduce(f32::min).unwrap_or(0.0);
    // A value with no letter, digit or Chinese character in it is a blank's mark (`--`), as
    // read (`一`, `"`).
    let blank = raw.chars().all(|c| !c.is_alphanumeric() || c == '一');
    // A blank is no value of a field every license fills: its confidence shows it.
    let (text, valid, confidence, trace) = if blank {
        (String::new(), !field.always_filled(), None, Vec::new())
    } else {
        match field {
            ElectronicField::Front(front) => row_value(normalize_front_row(front, &raw, &readings)),
            ElectronicField::Back(back) => row_value(normalize_back_row(back, &raw, &readings)),
            ElectronicField::InspectionUntil | ElectronicField::ScrappingDate => {
                let (date, valid, confidence, trace) = row_value(normalize_front_row(
                    FrontField::RegisterDate,
                    &raw,
                    &readings,
                ));
                let date = if field == ElectronicField::InspectionUntil && !date.is_empty() {
                    format!("检验有效期至{date}")
                } else {
                    date
                };
                (date, valid, confidence, trace)
            }
            ElectronicField::Status | ElectronicField::Color => {
                vocabulary_value(field, &raw, &readings)
            }
        }
    };
    let confidence = confidence.unwrap_or(weakest);
    FieldValue {
        text,
        confidence: if valid { confidence } else { confidence * 0.5 },
        valid,
        quad: bounding_quad(&quads),
        after_label: false,
        trace,
        readings: readings.into_iter().cloned().collect(),
    }
}

/// A status or a colour: read under its vocabulary's grammar from `readings`, else matched
/// to the vocabulary's words from `raw` (one slip allowed in a word of two characters or more).
fn vocabulary_value(
    field: ElectronicField,
    raw: &str,
    readings: &[&Reading],
) -> (String, bool, Option<f32>, Vec<String>) {
    let (kind, lexicon) = if field == ElectronicField::Status {
        (Kind::Status, "vehicle_statuses")
    } else {
        (Kind::BodyColor, "body_colors")
    };
    let vocabulary: Vec<&str> = Grammars::get().lexicon(lexicon).words().collect();
    if !readings.is_empty() {
        let decoded = decode(kind, readings);
        if let Some(decision) = decoded.decision {
            return (
                decision.text,
                decision.valid,
                Some(decision.confidence),
                decoded.trace,
            );
        }
    }
    let words: Vec<(String, bool)> = raw
        .trim_end_matches('色')
        .split([',', '，', '、', '/', ';', '；'])
        .filter(|w| !w.is_empty())
        .map(|w| in_vocabulary(w, &vocabulary))
        .collect();
    let valid = words.iter().all(|(_, v)| *v);
    let joined: Vec<String> = words.into_iter().map(|(w, _)| w).collect();
    (joined.join(","), valid, None, Vec::new())
}

/// A row's value as `(text, valid, confidence, trace)`.
fn row_value(row: crate::RowValue) -> (String, bool, Option<f32>, Vec<String>) {
    (
        row.normalized.text,
        row.normalized.valid,
        row.confidence,
        row.trace,
    )
}

/// `word` as the vocabulary's word it is, or is one slip from (a word of two characters or
/// more); else as read, not valid.
pub(super) fn in_vocabulary(word: &str, vocabulary: &[&str]) -> (String, bool) {
    let chars: Vec<char> = word.chars().collect();
    let nearest = vocabulary
        .iter()
        .map(|w| (edit_distance(&chars, &w.chars().collect::<Vec<_>>()), *w))
        .min_by_key(|(d, _)| *d);
    match nearest {
        Some((0, w)) => (w.to_owned(), true),
        Some((1, w)) if w.chars().count() >= 2 && chars.len() >= 2 => (w.to_owned(), true),
        _ => (word.to_owned(), false),
    }
}

/// The upright rectangle around `quads` (`None` for none).
fn bounding_quad(quads: &[Quad]) -> Option<Quad> {
    quads
        .iter()
        .map(Quad::bounds)
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
        .map(|(x0, y0, x1, y1)| Quad::from_rect(x0, y0, x1, y1))
}
