//! The electronic license (电子行驶证, the 交管12123 app's screen): telling it from a paper card,
//! and reading its label / value rows.
//!
//! A screen has no card frame to fit: each label found ([`ELECTRONIC_LABELS`]) opens a row, and
//! the text on that row after the label, in the label's direction, is its value (the rest of
//! the label's own line, and the lines whose centres lie on the row). Values are read under the
//! paper fields' grammars (the same decoder and margins); `状态` and `车身颜色` are matched to
//! their closed vocabularies. Text that repeats on three or more rows (the watermark of the
//! time the screen was generated) is nobody's value.

use serde::Serialize;
use vlocr_geometry::{Point, Quad};

use crate::back_labels::BackField;
use crate::labels::{
    best_substring_distance, edit_distance, find_labels, span_quad, FrontField, LabelHit,
};
use crate::{FieldValue, TextLine};

mod values;
mod watermark;

#[cfg(test)]
use values::in_vocabulary;
use values::value_of;
#[cfg(test)]
use watermark::time_suffix;
use watermark::{generation_time, is_time_piece, repeated_lines, time_prefix, untimed};

/// A field of the electronic license's screens (main page and back page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ElectronicField {
    /// A field the paper main page prints too.
    Front(FrontField),
    /// A field the paper back page prints too (the energy type among them).
    Back(BackField),
    /// 状态: the vehicle's status, one or more words (`正常`).
    Status,
    /// 检验有效期至: the inspection's end, answered as Huawei's `inspection_record`.
    InspectionUntil,
    /// 强制报废期止: the date the vehicle must be scrapped by.
    ScrappingDate,
    /// 车身颜色: the body's colour.
    Color,
}

impl ElectronicField {
    /// The field's key in Huawei's response.
    pub fn key(self) -> &'static str {
        match self {
            Self::Front(field) => field.key(),
            Self::Back(field) => field.key(),
            Self::Status => "status",
            Self::InspectionUntil => "inspection_record",
            Self::ScrappingDate => "mandatory_scrapping_date",
            Self::Color => "color",
        }
    }

    /// Whether every license has a value of the field (a blank shows `--`, which a strip read
    /// again would take the watermark's specks for): the load and traction masses, the remarks
    /// and the scrapping date may be blank.
    fn always_filled(self) -> bool {
        !matches!(
            self,
            Self::Back(BackField::ApprovedLoad | BackField::TractionMass | BackField::Remarks)
                | Self::ScrappingDate
        )
    }

    /// Whether only the main page's screen shows the field (`号牌号码` is on both).
    fn main_page_only(self) -> bool {
        !matches!(self, Self::Back(_) | Self::Front(FrontField::Number))
    }
}

/// A label of the screens and its field.
pub struct ElectronicLabel {
    /// The label's text.
    pub chinese: &'static str,
    /// Its field.
    pub field: ElectronicField,
}

const fn label(chinese: &'static str, field: ElectronicField) -> ElectronicLabel {
    ElectronicLabel { chinese, field }
}

const fn front(chinese: &'static str, field: FrontField) -> ElectronicLabel {
    label(chinese, ElectronicField::Front(field))
}

const fn back(chinese: &'static str, field: BackField) -> ElectronicLabel {
    label(chinese, ElectronicField::Back(field))
}

/// The labels of both screens, in Huawei's order of their fields, then other names a screen
/// may give some of them (other versions of the app, other apps).
pub const ELECTRONIC_LABELS: [ElectronicLabel; 35] = [
    front("号牌号码", FrontField::Number),
    front("车辆类型", FrontField::VehicleType),
    front("所有人", FrontField::Name),
    front("住址", FrontField::Address),
    front("使用性质", FrontField::UseCharacter),
    front("品牌型号", FrontField::Model),
    front("车辆识别代号", FrontField::Vin),
    front("发动机号码", FrontField::EngineNo),
    front("注册日期", FrontField::RegisterDate),
    front("发证日期", FrontField::IssueDate),
    front("发证机关", FrontField::IssuingAuthority),
    label("状态", ElectronicField::Status),
    label("检验有效期至", ElectronicField::InspectionUntil),
    label("强制报废期止", ElectronicField::ScrappingDate),
    label("车身颜色", ElectronicField::Color),
    back("能源种类", BackField::EnergyType),
    back("核定载人数", BackField::ApprovedPassengers),
    back("总质量", BackField::GrossMass),
    back("整备质量", BackField::UnladenMass),
    back("核定载质量", BackField::ApprovedLoad),
    back("外廓尺寸", BackField::Dimension),
    back("准牵引总质量", BackField::TractionMass),
    back("档案编号", BackField::FileNo),
    back("备注", BackField::Remarks),
    front("车牌号码", FrontField::Number),
    front("车辆识别代码", FrontField::Vin),
    front("发动机号", FrontField::EngineNo),
    front("注册登记日期", FrontField::RegisterDate),
    label("检验有效期", ElectronicField::InspectionUntil),
    label("强制报废日期", ElectronicField::ScrappingDate),
    label("强制报废期", ElectronicField::ScrappingDate),
    label("颜色", ElectronicField::Color),
    back("燃料种类", BackField::EnergyType),
    back("能源类型", BackField::EnergyType),
    back("档案号", BackField::FileNo),
];

/// What only an electronic license's screen shows: the app's name for it, the generation time,
/// and the labels of fields no paper card prints. A screen shows some of them; a paper card
/// none.
const MARKERS: [&str; 5] = [
    "电子行驶证",
    "生成时间",
    "强制报废期止",
    "车身颜色",
    "能源种类",
];

/// Labels of the rows a screen must show besides its markers.
const MIN_ROWS: usize = 3;

/// The fields read from an electronic license's screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElectronicFields {
    /// Whether the screen is the main page's (主页); else the back page's (副页).
    pub main_page: bool,
    /// Each field whose label was found, in [`ELECTRONIC_LABELS`]' order.
    pub fields: Vec<(ElectronicField, FieldValue)>,
    /// How many labels were found.
    pub labels_found: usize,
    /// The rows of fields every license fills (`ElectronicField::always_filled`) where no
    /// text was found after the label: each the strip from the label's end
    /// to the end of the screen's text (corners in reading order), to be read again (the
    /// detector misses a short value far from its label, `5人`, `绿`), with the row's field.
    #[serde(skip)]
    pub rows_without_text: Vec<(ElectronicField, Quad)>,
}

impl ElectronicFields {
    /// The value of `field`, if its label was found.
    pub fn get(&self, field: ElectronicField) -> Option<&FieldValue> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v)
    }
}

/// The labels found in `lines`: as [`find_labels`] finds them, then (with two found) each line
/// that starts in the column of those and is a label misread: as long as a label not found yet,
/// or one character longer, and at most half its characters from it (nearer it than to any
/// other such label).
fn label_lines(lines: &[TextLine]) -> Vec<LabelHit> {
    let mut hits = labels_read(lines);
    if hits.len() < 2 {
        return hits;
    }
    let [tl, tr, _, _] = lines[hits[0].line].quad.points;
    let norm = (tr.x - tl.x).hypot(tr.y - tl.y).max(1e-3);
    let along = |p: Point| (p.x * (tr.x - tl.x) + p.y * (tr.y - tl.y)) / norm;
    let median = |mut values: Vec<f32>| {
        values.sort_by(f32::total_cmp);
        values[values.len() / 2]
    };
    let column = median(
        hits.iter()
            .map(|h| along(span_quad(&lines[h.line], h.start, h.start + h.chars).points[0]))
            .collect(),
    );
    let height = median(hits.iter().map(|h| lines[h.line].quad.height()).collect());
    for (index, line) in lines.iter().enumerate() {
        let text: Vec<char> = line.text.chars().collect();
        let taken = hits.iter().any(|h| h.line == index);
        if taken || text.is_empty() || (along(line.quad.points[0]) - column).abs() > height {
            continue;
        }
        let mut distances: Vec<(usize, usize)> = ELECTRONIC_LABELS
            .iter()
            .enumerate()
            .filter(|(_, label)| {
                !hits
                    .iter()
                    .any(|h| ELECTRONIC_LABELS[h.label].field == label.field)
            })
            .filter_map(|(k, label)| {
                let wanted: Vec<char> = label.chinese.chars().collect();
                let fits = text.len() == wanted.len() || text.len() == wanted.len() + 1;
                let distance = edit_distance(&text, &wanted);
                (fits && distance <= wanted.len() / 2).then_some((distance, k))
            })
            .collect();
        distances.sort_unstable();
        // Nearer one field than any other (a field's other names are the same field).
        let field_of = |k: usize| ELECTRONIC_LABELS[k].field;
        let unique = distances.first().is_some_and(|&(best, k)| {
            distances
                .iter()
                .find(|(_, other)| field_of(*other) != field_of(k))
                .is_none_or(|second| second.0 > best)
        });
        if let (Some(&(_, label)), true) = (distances.first(), unique) {
            hits.push(LabelHit {
                label,
                line: index,
                start: 0,
                chars: text.len(),
                center: line.quad.center(),
            });
        }
    }
    hits
}

/// The labels [`find_labels`] finds in `lines`: of a label found inside a longer one's text
/// (`检验有效期` in `检验有效期至`), the longer; of two found for one field, the longer.
fn labels_read(lines: &[TextLine]) -> Vec<LabelHit> {
    let table: Vec<crate::labels::Label<ElectronicField>> = ELECTRONIC_LABELS
        .iter()
        .map(|l| crate::labels::Label {
            field: Some(l.field),
            chinese: l.chinese,
            english: "",
            center: (0.0, 0.0),
            value_area: (0.0, 0.0, 0.0, 0.0),
        })
        .collect();
    let mut found = find_labels(lines, &table);
    found.sort_by_key(|hit| std::cmp::Reverse(hit.chars));
    let mut kept: Vec<LabelHit> = Vec::new();
    for hit in found {
        let field = ELECTRONIC_LABELS[hit.label].field;
        let overlaps = |other: &LabelHit| {
            other.line == hit.line
                && other.start < hit.start + hit.chars
                && hit.start < other.start + other.chars
        };
        if !kept
            .iter()
            .any(|k| overlaps(k) || ELECTRONIC_LABELS[k.label].field == field)
        {
            kept.push(hit);
        }
    }
    kept
}

/// Whether `lines` are an electronic license's screen: one of its `MARKERS` read (one slip
/// allowed in the longer ones), and at least `MIN_ROWS` of its labels.
pub fn is_electronic_screen(lines: &[TextLine]) -> bool {
    let marked = MARKERS.iter().any(|marker| {
        let wanted: Vec<char> = marker.chars().collect();
        let slips = usize::from(wanted.len() >= 4);
        lines.iter().any(|line| {
            let text: Vec<char> = line.text.chars().collect();
            text.len() + slips >= wanted.len() && best_substring_distance(&wanted, &text) <= slips
        })
    });
    marked && labels_read(lines).len() >= MIN_ROWS
}

/// A piece of a line: characters `chars` of line `line`.
#[derive(Debug, Clone)]
struct Piece {
    line: usize,
    chars: std::ops::Range<usize>,
    /// How far along its row it starts (pixels from the label's centre).
    along: f32,
}

/// Reads the rows of an electronic license's screen from its `lines` (upright).
pub fn read_electronic(lines: &[TextLine]) -> ElectronicFields {
    let hits = label_lines(lines);
    let generated = generation_time(lines);
    let watermark: Vec<bool> = repeated_lines(lines)
        .into_iter()
        .zip(lines)
        .map(|(repeated, line)| repeated || is_time_piece(&line.text, &generated))
        .collect();
    // Each row: its label's centre, the direction along it, and the label's height.
    let rows: Vec<(Point, Point, f32)> = hits
        .iter()
        .map(|hit| {
            let line = &lines[hit.line];
            let centre = span_quad(line, hit.start, hit.start + hit.chars).center();
            let height = line.quad.height();
            (centre, row_direction(lines, centre, height), height)
        })
        .collect();
    let mut pieces: Vec<Vec<Piece>> = vec![Vec::new(); hits.len()];
    // The rest of a label's own line.
    for (row, hit) in hits.iter().enumerate() {
        let line = &lines[hit.line];
        let rest: String = line.text.chars().skip(hit.start + hit.chars).collect();
        // A colon after the label is no value.
        let rest = rest.trim_start_matches([':', '：', ' ']);
        if !rest.is_empty() && !is_time_piece(rest, &generated) {
            pieces[row].push(Piece {
                line: hit.line,
                chars: untimed(&line.text, hit.start + hit.chars, &generated),
                along: 0.0,
            });
        }
    }
    // Every other line goes to the row its centre lies on, after the row's label.
    let mut taken: Vec<bool> = (0..lines.len())
        .map(|i| watermark[i] || hits.iter().any(|h| h.line == i))
        .collect();
    for (index, line) in lines.iter().enumerate() {
        if taken[index] {
            continue;
        }
        let centre = line.quad.center();
        let best = rows
            .iter()
            .enumerate()
            .filter_map(|(row, &(origin, direction, height))| {
                let (x, y) = (centre.x - origin.x, centre.y - origin.y);
                let along = x * direction.x + y * direction.y;
                let across = (y * direction.x - x * direction.y).abs();
                (along > 0.0 && across < 0.6 * height).then_some((row, across, along))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((row, _, along)) = best {
            taken[index] = true;
            pieces[row].push(Piece {
                line: index,
                chars: untimed(&line.text, time_prefix(&line.text, &generated), &generated),
                along,
            });
        }
    }
    // A row may show its value under its label, starting where the label starts (a screen of
    // stacked rows): the line there is the value when nothing is beside the label, or when
    // what is beside it (a piece of the watermark) is no value of the field.
    let mut under_label: Vec<Option<Piece>> = hits.iter().map(|_| None).collect();
    for (row, hit) in hits.iter().enumerate() {
        let (origin, direction, height) = rows[row];
        let frame = |p: Point| {
            let (x, y) = (p.x - origin.x, p.y - origin.y);
            (
                x * direction.x + y * direction.y,
                y * direction.x - x * direction.y,
            )
        };
        // Where the label's line starts (`机动车状态` is found as its `状态`).
        let label_start = frame(lines[hit.line].quad.points[0]).0;
        let under = (0..lines.len())
            .filter(|&i| !taken[i])
            .filter_map(|i| {
                let start = frame(lines[i].quad.points[0]).0;
                let below = frame(lines[i].quad.center()).1;
                let fits = (0.6 * height..2.0 * height).contains(&below)
                    && (start - label_start).abs() < 1.5 * height;
                fits.then_some((i, below))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((index, _)) = under {
            taken[index] = true;
            let line = &lines[index];
            under_label[row] = Some(Piece {
                line: index,
                chars: untimed(&line.text, time_prefix(&line.text, &generated), &generated),
                along: 0.0,
            });
        }
    }
    let nothing_near: Vec<bool> = pieces
        .iter()
        .zip(&under_label)
        .map(|(row, under)| row.is_empty() && under.is_none())
        .collect();
    let fields: Vec<(ElectronicField, FieldValue)> = hits
        .iter()
        .zip(pieces.iter_mut())
        .zip(under_label)
        .map(|((hit, row), under)| {
            row.sort_by(|a, b| a.along.total_cmp(&b.along));
            let field = ELECTRONIC_LABELS[hit.label].field;
            let beside = value_of(field, lines, row);
            let value = match under {
                Some(under) if row.is_empty() => value_of(field, lines, &[under]),
                Some(under) if !beside.valid || beside.text.is_empty() => {
                    let below = value_of(field, lines, &[under]);
                    if below.valid && !below.text.is_empty() {
                        below
                    } else {
                        beside
                    }
                }
                _ => beside,
            };
            (field, value)
        })
        .collect();
    let main_fields = fields.iter().filter(|(f, _)| f.main_page_only()).count();
    let back_fields = fields
        .iter()
        .filter(|(f, _)| matches!(f, ElectronicField::Back(_)))
        .count();
    let mut fields = fields;
    fields.sort_by_key(|(field, _)| {
        ELECTRONIC_LABELS
            .iter()
            .position(|l| l.field == *field)
            .unwrap_or(usize::MAX)
    });
    let rows_without_text = hits
        .iter()
        .zip(&rows)
        .zip(&nothing_near)
        .filter(|((hit, _), &nothing)| {
            nothing && ELECTRONIC_LABELS[hit.label].field.always_filled()
        })
        .filter_map(|((hit, &(origin, direction, height)), _)| {
            let field = ELECTRONIC_LABELS[hit.label].field;
            let line = &lines[hit.line];
            let label = span_quad(line, hit.start, hit.start + hit.chars);
            let along = |p: Point| (p.x - origin.x) * direction.x + (p.y - origin.y) * direction.y;
            let start = along(label.points[1]) + 0.3 * height;
            // As far as any line on the screen reaches along the rows.
            let end = lines
                .iter()
                .map(|l| along(l.quad.points[1]))
                .fold(f32::MIN, f32::max);
            (end > start + height).then(|| {
                let normal = Point::new(-direction.y, direction.x);
                let at = |a: f32, b: f32| {
                    Point::new(
                        origin.x + a * direction.x + b * normal.x,
                        origin.y + a * direction.y + b * normal.y,
                    )
                };
                // As high as a line the detector finds (the label's box): a taller crop
                // leaves a lone character too small for the recognizer to read.
                let half = 0.5 * height;
                let strip = Quad::new([
                    at(start, -half),
                    at(end, -half),
                    at(end, half),
                    at(start, half),
                ]);
                (field, strip)
            })
        })
        .collect();
    ElectronicFields {
        main_page: main_fields >= back_fields,
        labels_found: hits.len(),
        fields,
        rows_without_text,
    }
}

/// The direction along the row through `centre` (of text `height` pixels high): the mean of
/// the long lines' directions, weighted by their lengths and by how near the row they are (a
/// short line's own slant is mostly the detector's noise, and over a row's width it would miss
/// the row; a photo's perspective turns far rows differently).
fn row_direction(lines: &[TextLine], centre: Point, height: f32) -> Point {
    let (mut x, mut y) = (0.0f32, 0.0f32);
    for line in lines {
        let [tl, tr, _, _] = line.quad.points;
        let (dx, dy) = (tr.x - tl.x, tr.y - tl.y);
        let length = dx.hypot(dy);
        if length >= 4.0 * line.quad.height() {
            let across = (line.quad.center().y - centre.y).abs() / (4.0 * height.max(1.0));
            let weight = 1.0 / (1.0 + across * across);
            x += dx * weight;
            y += dy * weight;
        }
    }
    let norm = x.hypot(y);
    if norm < 1e-3 {
        Point::new(1.0, 0.0)
    } else {
        Point::new(x / norm, y / norm)
    }
}

#[cfg(test)]
mod tests;
