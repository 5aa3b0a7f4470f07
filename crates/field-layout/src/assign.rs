//! Giving each piece of text to a field, by where it sits on the card.

use vlocr_geometry::{Point, Quad};

use crate::frame::CardFrame;
use crate::labels::{
    find_labels, is_english_label, point_along, span_quad, split_label_heads, Label, FRONT_LABELS,
};
use crate::normalize::{is_cjk, normalize_read, Normalized};
use crate::value_anchors::value_anchors;
use crate::{FieldValue, FrontField, FrontFields, PageFields, TextLine};

/// With fewer labels than this found, values known by their grammar help place the card.
const FEW_LABELS: usize = 3;

/// How far (card units) outside every value area a piece may sit and still join the nearest.
const NEAR: f32 = 0.04;
/// Pieces whose centres are closer than this vertically (card units) share a printed row.
const SAME_ROW: f32 = 0.03;

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
    quad: Quad,
    /// Centre on the card.
    card: Point,
}

/// Reads the fields of a main page from its lines (upright page coordinates).
pub fn read_front(lines: &[TextLine]) -> FrontFields {
    let values = value_anchors(lines);
    let mut fields = read_page_placed(
        lines,
        &FRONT_LABELS,
        &FrontField::ALL,
        normalize_read,
        &values,
    );
    crate::seal::agree_seal_and_plate(&mut fields);
    fields
}

/// Cleans `raw`, a reading of a main-page field's whole row ([`PageFields::value_row`]), as
/// that field's value: the end of the field's label the row starts with (`人王京`) is dropped
/// first, and a name needs two Chinese characters.
pub fn normalize_front_row(field: FrontField, raw: &str, confidences: &[f32]) -> Normalized {
    let stripped = strip_label_remnant(&FRONT_LABELS, field, raw);
    let dropped = raw.chars().count() - stripped.chars().count();
    let mut normalized = normalize_read(
        field,
        &stripped,
        confidences.get(dropped..).unwrap_or_default(),
    );
    if field == FrontField::Name {
        normalized.valid &= normalized.text.chars().filter(|&c| is_cjk(c)).count() >= 2;
    }
    normalized
}

/// Reads the fields of a page laid out as `labels` says: finds the labels, fits the card's frame
/// to them, gives every other piece of text to the field whose value area holds it, and cleans
/// each field's joined text with `clean`. Fields come back in the order of `order`.
pub fn read_page<F: Copy + PartialEq>(
    lines: &[TextLine],
    labels: &[Label<F>],
    order: &[F],
    clean: fn(F, &str, &[f32]) -> Normalized,
) -> PageFields<F> {
    read_page_placed(lines, labels, order, clean, &[])
}

/// [`read_page`], with `values` (anchors from values known by their grammar) helping to place
/// the card when fewer than [`FEW_LABELS`] labels were found.
pub(crate) fn read_page_placed<F: Copy + PartialEq>(
    lines: &[TextLine],
    labels: &[Label<F>],
    order: &[F],
    clean: fn(F, &str, &[f32]) -> Normalized,
    values: &[(Point, Point)],
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
    let value_anchors = if labels_found < FEW_LABELS {
        anchors.extend_from_slice(values);
        values.len()
    } else {
        0
    };
    let frame = text_angle(lines).and_then(|angle| CardFrame::fit_aligned(&anchors, angle));
    let Some(frame) = frame.or_else(|| CardFrame::fit(&anchors)) else {
        return PageFields {
            labels_found,
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
            .collect();
        for (start, end) in segments(&line.text, &cuts) {
            found.push(piece_of(line, start, end, &frame));
        }
    }
    let shift = printer_shift(labels, &found);
    for piece in found {
        // Stamped things (the seal) are not printed by the printer: they take the pieces in
        // their own place, and only those.
        let here = field_at(labels, piece.card);
        let field = match here {
            Some(stamped) if is_stamped(labels, stamped) => here,
            _ => field_at(labels, Point::new(piece.card.x, piece.card.y - shift))
                .filter(|&f| !is_stamped(labels, f))
                .or(here),
        };
        if let Some(field) = field {
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
            (!mine.is_empty()).then(|| (field, value_of(labels, field, &mut mine, clean)))
        })
        .collect();
    let corner = |u: f32, v: f32| frame.to_page(Point::new(u, v));
    PageFields {
        fields,
        labels_found,
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
    Piece {
        confidences: line
            .char_confidences
            .iter()
            .skip(start)
            .take(end - start)
            .copied()
            .collect(),
        text,
        quad: span_quad(line, start, end),
        card: frame.to_card(point_along(line, start, end)),
    }
}

/// Whether `field` is stamped on the card (the seal: a label without printed text) rather than
/// printed with the values.
fn is_stamped<F: Copy + PartialEq>(labels: &[Label<F>], field: F) -> bool {
    labels
        .iter()
        .any(|l| l.field == Some(field) && l.chinese.is_empty())
}

/// How far down (card units) the printer put the values, from where the value pieces sit
/// against the rows of printed labels: the median of each piece's offset from the nearest label
/// row. Values printed a few millimetres too high or low (misregistration: up to half a row)
/// would otherwise fall into the next row's area. 0 with fewer than four pieces to go by.
fn printer_shift<F: Copy + PartialEq>(labels: &[Label<F>], pieces: &[Piece]) -> f32 {
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
        .filter(|p| p.card.x >= value_column && p.text.chars().count() >= 2)
        .filter(|p| field_at(labels, p.card).is_some_and(|f| !is_stamped(labels, f)))
        .filter_map(|p| {
            rows.iter()
                .map(|row| p.card.y - row)
                .min_by(|a, b| a.abs().total_cmp(&b.abs()))
        })
        .collect();
    if offsets.len() < 4 {
        return 0.0;
    }
    offsets.sort_by(f32::total_cmp);
    let median = offsets[offsets.len() / 2];
    // Small offsets are where values are printed anyway.
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

/// Joins a field's pieces in reading order and cleans the result.
fn value_of<F: Copy + PartialEq>(
    labels: &[Label<F>],
    field: F,
    pieces: &mut [&Piece],
    clean: fn(F, &str, &[f32]) -> Normalized,
) -> FieldValue {
    pieces.sort_by(|a, b| a.card.y.total_cmp(&b.card.y));
    let mut rows: Vec<Vec<&Piece>> = Vec::new();
    for piece in pieces.iter() {
        match rows.last_mut() {
            Some(row) if (piece.card.y - row[0].card.y).abs() < SAME_ROW => row.push(piece),
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
    let stripped = strip_label_remnant(labels, field, &raw);
    let dropped = raw.chars().count() - stripped.chars().count();
    let normalized = clean(
        field,
        &stripped,
        confidences.get(dropped..).unwrap_or_default(),
    );
    let weakest = confidences.iter().copied().reduce(f32::min).unwrap_or(0.0);
    FieldValue {
        text: normalized.text,
        valid: normalized.valid,
        confidence: if normalized.valid {
            weakest
        } else {
            weakest * 0.5
        },
        quad: bounding_quad(pieces.iter().map(|p| p.quad)),
    }
}

/// Drops the end of a field's label that the detector split off with the value: `人王京` is
/// `所有人` + `王京`, `址北京市` is `住址` + `北京市`.
fn strip_label_remnant<F: Copy + PartialEq>(labels: &[Label<F>], field: F, raw: &str) -> String {
    let Some(label) = labels.iter().find(|l| l.field == Some(field)) else {
        return raw.to_owned();
    };
    let label: Vec<char> = label.chinese.chars().collect();
    for start in 1..label.len() {
        let suffix: String = label[start..].iter().collect();
        if let Some(rest) = raw.strip_prefix(&suffix) {
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
mod tests {
    use super::*;

    use crate::test_line as line;

    fn specimen_like() -> Vec<TextLine> {
        vec![
            line("中华人民共和国机动车行驶证", 0.37, 0.08),
            line("号牌号码", 0.04, 0.2),
            line("京AA5599", 0.17, 0.2),
            line("车辆类型", 0.45, 0.2),
            line("小型轿车", 0.63, 0.2),
            line("Plate No.", 0.03, 0.24),
            line("所有", 0.04, 0.32),
            line("人王京", 0.11, 0.32),
            line("住", 0.04, 0.44),
            line("址北京市石景山区", 0.13, 0.44),
            line("Address", 0.03, 0.48),
            line("使用性质非营运", 0.04, 0.56),
            line("品牌型号", 0.39, 0.56),
            line("讴歌牌GHA7150JAD5B", 0.53, 0.56),
            line("北京市公", 0.07, 0.72),
            line("车辆识别代号", 0.29, 0.68),
            line("HHGHH555778802669", 0.47, 0.68),
            line("安局公安", 0.07, 0.8),
            line("发动机号码", 0.29, 0.8),
            line("112244", 0.45, 0.8),
            line("交通管理局", 0.06, 0.88),
            line("注册日期2018-06-14", 0.29, 0.91),
            line("发证日期2018-06-14", 0.65, 0.91),
        ]
    }

    #[test]
    fn specimen_fields() {
        let fields = read_front(&specimen_like());
        let get = |f| {
            fields
                .get(f)
                .map(|v| v.text.as_str())
                .unwrap_or("<missing>")
        };
        assert_eq!(get(FrontField::Number), "京AA5599");
        assert_eq!(get(FrontField::VehicleType), "小型轿车");
        assert_eq!(get(FrontField::Name), "王京");
        assert_eq!(get(FrontField::Address), "北京市石景山区");
        assert_eq!(get(FrontField::UseCharacter), "非营运");
        assert_eq!(get(FrontField::Model), "讴歌牌GHA7150JAD5B");
        assert_eq!(get(FrontField::Vin), "HHGHH555778802669");
        assert_eq!(get(FrontField::EngineNo), "112244");
        assert_eq!(get(FrontField::RegisterDate), "2018-06-14");
        assert_eq!(get(FrontField::IssueDate), "2018-06-14");
        assert_eq!(
            get(FrontField::IssuingAuthority),
            "北京市公安局公安交通管理局"
        );
        assert!(fields.labels_found >= 8);
        // The test card is 880 x 600 px at the origin: the fitted frame puts its corners there.
        let outline = fields.outline.expect("a frame was fitted");
        let expected = [(0.0, 0.0), (880.0, 0.0), (880.0, 600.0), (0.0, 600.0)];
        for (corner, (x, y)) in outline.points.iter().zip(expected) {
            assert!(
                (corner.x - x).abs() < 15.0 && (corner.y - y).abs() < 15.0,
                "{outline:?}"
            );
        }
    }

    #[test]
    fn values_shifted_by_the_printer_still_land_in_their_fields() {
        // Every value 2 mm right and 1.5 mm down (0.023 and 0.025 of the card).
        let lines: Vec<TextLine> = specimen_like()
            .into_iter()
            .map(|l| {
                let is_value = !crate::labels::FRONT_LABELS
                    .iter()
                    .any(|lab| !lab.chinese.is_empty() && l.text.starts_with(lab.chinese));
                if is_value {
                    TextLine {
                        quad: l.quad.map(|p| Point::new(p.x + 20.0, p.y + 15.0)),
                        ..l
                    }
                } else {
                    l
                }
            })
            .collect();
        let fields = read_front(&lines);
        assert_eq!(
            fields.get(FrontField::Number).map(|v| v.text.as_str()),
            Some("京AA5599")
        );
        assert_eq!(
            fields.get(FrontField::Vin).map(|v| v.text.as_str()),
            Some("HHGHH555778802669")
        );
        assert_eq!(
            fields.get(FrontField::EngineNo).map(|v| v.text.as_str()),
            Some("112244")
        );
    }

    #[test]
    fn values_printed_half_a_row_high_keep_their_rows() {
        // Every printed value 3.5 mm (0.058 of the card, almost half a row) too high; the seal is
        // stamped, not printed, and stays.
        let seal = ["北京市公", "安局公安", "交通管理局"];
        let mut lines = specimen_like();
        lines[6] = line("所有人", 0.04, 0.32);
        lines[7] = line("王京", 0.19, 0.32);
        lines[8] = line("住址", 0.04, 0.44);
        lines[9] = line("北京市石景山区", 0.19, 0.44);
        let lines: Vec<TextLine> = lines
            .into_iter()
            .map(|l| {
                let is_label = crate::labels::FRONT_LABELS
                    .iter()
                    .any(|lab| !lab.chinese.is_empty() && l.text.starts_with(lab.chinese));
                let fixed =
                    is_label || seal.contains(&l.text.as_str()) || is_english_label(&l.text);
                if fixed {
                    l
                } else {
                    TextLine {
                        quad: l.quad.map(|p| Point::new(p.x, p.y - 35.0)),
                        ..l
                    }
                }
            })
            .collect();
        let fields = read_front(&lines);
        let get = |f| fields.get(f).map(|v| v.text.as_str());
        assert_eq!(get(FrontField::Number), Some("京AA5599"));
        assert_eq!(get(FrontField::Name), Some("王京"));
        assert_eq!(get(FrontField::Address), Some("北京市石景山区"));
        assert_eq!(get(FrontField::Model), Some("讴歌牌GHA7150JAD5B"));
        assert_eq!(get(FrontField::Vin), Some("HHGHH555778802669"));
        assert_eq!(get(FrontField::EngineNo), Some("112244"));
        assert_eq!(
            get(FrontField::IssuingAuthority),
            Some("北京市公安局公安交通管理局")
        );
    }

    #[test]
    fn a_wrapped_address_is_joined() {
        let mut lines = specimen_like();
        lines[9] = line("址北京市石景山区", 0.13, 0.425);
        lines.push(line("古城路8号", 0.17, 0.47));
        let fields = read_front(&lines);
        assert_eq!(
            fields.get(FrontField::Address).map(|v| v.text.as_str()),
            Some("北京市石景山区古城路8号")
        );
    }

    #[test]
    fn a_line_joining_two_fields_is_split_at_the_label() {
        let mut lines = specimen_like();
        lines[21] = line("注册日期", 0.29, 0.91);
        // As the detector joined them on a turned photo: from the first value to the last.
        let joined = "2018-06-14 发证日期 2019-01-02";
        lines[22] = TextLine {
            text: joined.into(),
            char_confidences: vec![0.99; joined.chars().count()],
            quad: Quad::from_rect(
                0.4 * 880.0,
                0.91 * 600.0 - 12.0,
                0.96 * 880.0,
                0.91 * 600.0 + 12.0,
            ),
        };
        let fields = read_front(&lines);
        assert_eq!(
            fields
                .get(FrontField::RegisterDate)
                .map(|v| v.text.as_str()),
            Some("2018-06-14")
        );
        assert_eq!(
            fields.get(FrontField::IssueDate).map(|v| v.text.as_str()),
            Some("2019-01-02")
        );
    }

    #[test]
    fn a_label_head_read_with_the_seal_is_not_part_of_it() {
        // The seal stamped over the next label: its middle line took the label's `发`, the label
        // was read as `动机号码` right after it on the same row.
        let mut lines = specimen_like();
        lines[17] = line("安局公安发", 0.07, 0.8);
        lines[18] = line("动机号码", 0.07 + 100.0 / 880.0, 0.8);
        let hits = find_labels(&lines, &FRONT_LABELS);
        assert_eq!(
            split_label_heads(&lines, &FRONT_LABELS, &hits),
            vec![(17, 4, 5)]
        );
        let fields = read_front(&lines);
        assert_eq!(
            fields
                .get(FrontField::IssuingAuthority)
                .map(|v| v.text.as_str()),
            Some("北京市公安局公安交通管理局")
        );
        assert_eq!(
            fields.get(FrontField::EngineNo).map(|v| v.text.as_str()),
            Some("112244")
        );
        // A seal line that merely ends like a label's head, far from the label, is not cut.
        let mut lines = specimen_like();
        lines[17] = line("安局公安发", 0.07, 0.8);
        let hits = find_labels(&lines, &FRONT_LABELS);
        assert!(split_label_heads(&lines, &FRONT_LABELS, &hits).is_empty());
    }

    #[test]
    fn segments_skip_labels_and_spaces() {
        assert_eq!(segments("注册日期2018", &[(0, 4)]), vec![(4, 8)]);
        assert_eq!(segments("a b", &[]), vec![(0, 1), (2, 3)]);
        assert_eq!(segments("ab", &[(0, 2)]), vec![]);
    }

    #[test]
    fn no_labels_no_fields() {
        let fields = read_front(&[line("hello", 0.1, 0.1), line("world", 0.5, 0.5)]);
        assert!(fields.fields.is_empty());
        assert_eq!(fields.labels_found, 0);
    }
}
