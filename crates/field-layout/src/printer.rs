//! Where the printer put the values: the field each piece of printed text belongs to, given how
//! far the printer shifted the values (misregistration), and that shift, from the label rows
//! and the values' grammars.

use vlocr_geometry::Point;

use crate::decode::Kind;
use crate::labels::Label;

/// How far (card units) outside every value area a piece may sit and still join the nearest.
const NEAR: f32 = 0.04;

/// The field a piece of text centred at `card` is given to when the printer put the values
/// `shift` (card units) too low. Stamped things (the seal) are not printed by the printer: they
/// take the pieces in their own place, and only those.
pub(crate) fn field_of<F: Copy + PartialEq>(
    labels: &[Label<F>],
    card: Point,
    shift: f32,
) -> Option<F> {
    let here = field_at(labels, card);
    match here {
        Some(stamped) if is_stamped(labels, stamped) => here,
        _ => field_at(labels, Point::new(card.x, card.y - shift))
            .filter(|&f| !is_stamped(labels, f))
            .or(here),
    }
}

/// How far down (card units) the printer put the values (misregistration: up to half a row and
/// more), which would otherwise put them into the next row's area.
///
/// First from where the value pieces sit against the rows of printed labels: the median of
/// each piece's offset from the nearest label row ([`nearest_row_shift`]). A value printed
/// more than half a row off is nearer the wrong row, though, so the values' grammars have the
/// last word: among the shifts within [`MAX_SHIFT`], the one that gives the most pieces to a
/// field whose grammar holds them as read (`5人` to the passengers, `1756kg` to a mass, a plate
/// to the plate; [`Kind::holds_value`]) is taken when it gives more than the median's (the
/// middle of its run of such shifts nearest the median).
pub(crate) fn printer_shift<F: Copy + PartialEq>(
    labels: &[Label<F>],
    pieces: &[(Point, &str)],
    kind_of: fn(F) -> Option<Kind>,
) -> f32 {
    let median = nearest_row_shift(labels, pieces);
    // Whether each piece's text is a value of each label's field, worked out when first asked.
    let mut holds: Vec<Vec<Option<bool>>> = vec![vec![None; labels.len()]; pieces.len()];
    let mut held = |shift: f32| {
        let mut count = 0;
        for (i, &(card, text)) in pieces.iter().enumerate() {
            let Some(field) = field_of(labels, card, shift) else {
                continue;
            };
            let Some(label) = labels.iter().position(|l| l.field == Some(field)) else {
                continue;
            };
            let holds = *holds[i][label].get_or_insert_with(|| {
                kind_of(field)
                    .and_then(|kind| kind.holds_value(text))
                    .unwrap_or(false)
            });
            count += usize::from(holds);
        }
        count
    };
    let steps = (MAX_SHIFT / SHIFT_STEP).round() as i32;
    let scores: Vec<(f32, usize)> = (-steps..=steps)
        .map(|i| {
            let shift = i as f32 * SHIFT_STEP;
            (shift, held(shift))
        })
        .collect();
    let best = scores.iter().map(|&(_, n)| n).max().unwrap_or(0);
    if best <= held(median) || best == 0 {
        return median;
    }
    // The runs of consecutive shifts that give the most; the middle of the one nearest the median.
    let mut runs: Vec<(f32, f32)> = Vec::new();
    for (i, &(shift, n)) in scores.iter().enumerate() {
        if n != best {
            continue;
        }
        match runs.last_mut() {
            Some(run) if i > 0 && scores[i - 1].1 == best => run.1 = shift,
            _ => runs.push((shift, shift)),
        }
    }
    let distance = |&(a, b): &(f32, f32)| {
        if (a..=b).contains(&median) {
            0.0
        } else {
            (a - median).abs().min((b - median).abs())
        }
    };
    runs.iter()
        .min_by(|x, y| distance(x).total_cmp(&distance(y)))
        .map_or(median, |&(a, b)| (a + b) / 2.0)
}

/// The furthest (card units) the printer is taken to have shifted the values: three quarters of
/// a row (rows are 0.12 apart on both pages).
const MAX_SHIFT: f32 = 0.09;
/// The step of the shifts tried (card units).
const SHIFT_STEP: f32 = 0.005;

/// The printer's shift from where the value pieces sit against the rows of printed labels: the
/// median of each piece's offset from the nearest label row. 0 with fewer than four pieces to go
/// by, or when the offset is small (where values are printed anyway).
fn nearest_row_shift<F: Copy + PartialEq>(labels: &[Label<F>], pieces: &[(Point, &str)]) -> f32 {
    let rows: Vec<f32> = labels
        .iter()
        .filter(|l| l.field.is_some() && !l.chinese.is_empty())
        .map(|l| l.center.1)
        .collect();
    let value_column = labels
        .iter()
        .filter(|l| !l.chinese.is_empty() && l.field.is_some())
        .map(|l| l.value_area.0)
        .fold(f32::INFINITY, f32::min);
    let mut offsets: Vec<f32> = pieces
        .iter()
        .filter(|(card, text)| card.x >= value_column && text.chars().count() >= 2)
        .filter(|(card, _)| field_at(labels, *card).is_some_and(|f| !is_stamped(labels, f)))
        .filter_map(|(card, _)| {
            rows.iter()
                .map(|row| card.y - row)
                .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        })
        .collect();
    if offsets.len() < 4 {
        return 0.0;
    }
    offsets.sort_by(f32::total_cmp);
    let median = offsets[offsets.len() / 2];
    if median.abs() < MIN_SHIFT {
        0.0
    } else {
        median
    }
}

/// Offsets of the values from their rows below this (card units) are not corrected.
const MIN_SHIFT: f32 = 0.015;

/// The field whose value area holds `card`, or the nearest one within [`NEAR`].
fn field_at<F: Copy>(labels: &[Label<F>], card: Point) -> Option<F> {
    let distance = |(u0, v0, u1, v1): (f32, f32, f32, f32)| {
        let du = (u0 - card.x).max(card.x - u1).max(0.0);
        let dv = (v0 - card.y).max(card.y - v1).max(0.0);
        du.hypot(dv)
    };
    labels
        .iter()
        .filter_map(|l| l.field.map(|f| (f, distance(l.value_area))))
        .filter(|(_, d)| *d <= NEAR)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(f, _)| f)
}

/// Whether `field` is stamped on the card (the seal: a label without printed text) rather than
/// printed with the values.
fn is_stamped<F: Copy + PartialEq>(labels: &[Label<F>], field: F) -> bool {
    labels
        .iter()
        .any(|l| l.field == Some(field) && l.chinese.is_empty())
}
