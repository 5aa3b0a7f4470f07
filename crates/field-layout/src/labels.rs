//! The printed labels of the main page, and finding them among recognized lines.
//!
//! The Chinese labels appear in this file only. Positions are fractions of the printed card's
//! width (`u`) and height (`v`), measured on the layout reference scan of a real main page.

use serde::Serialize;
use vlocr_geometry::{Point, Quad};

use crate::TextLine;

/// A field of the main page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum FrontField {
    /// 号牌号码.
    Number,
    /// 车辆类型.
    VehicleType,
    /// 所有人.
    Name,
    /// 住址.
    Address,
    /// 使用性质.
    UseCharacter,
    /// 品牌型号.
    Model,
    /// 车辆识别代号.
    Vin,
    /// 发动机号码.
    EngineNo,
    /// 注册日期.
    RegisterDate,
    /// 发证日期.
    IssueDate,
    /// 发证机关: the red seal's text.
    IssuingAuthority,
}

impl FrontField {
    /// Every field, in the order of Huawei's response.
    pub const ALL: [FrontField; 11] = [
        Self::Number,
        Self::VehicleType,
        Self::Name,
        Self::Address,
        Self::UseCharacter,
        Self::Model,
        Self::Vin,
        Self::EngineNo,
        Self::RegisterDate,
        Self::IssueDate,
        Self::IssuingAuthority,
    ];

    /// The field's key in Huawei's response (`number`, `vehicle_type`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::VehicleType => "vehicle_type",
            Self::Name => "name",
            Self::Address => "address",
            Self::UseCharacter => "use_character",
            Self::Model => "model",
            Self::Vin => "vin",
            Self::EngineNo => "engine_no",
            Self::RegisterDate => "register_date",
            Self::IssueDate => "issue_date",
            Self::IssuingAuthority => "issuing_authority",
        }
    }
}

/// A printed label and where its field's value is printed; `F` is the page's field type.
#[derive(Debug, Clone, Copy)]
pub struct Label<F> {
    /// The field, or `None` for the card's title.
    pub field: Option<F>,
    /// The Chinese text, without the spacing some cards print between its characters.
    pub chinese: &'static str,
    /// The English sub-label printed under it.
    pub english: &'static str,
    /// Centre of the Chinese label on the canonical card.
    pub center: (f32, f32),
    /// Where the value is printed: `(u0, v0, u1, v1)` on the canonical card, with room for the
    /// printer's misregistration (values shift by a few millimetres together).
    pub value_area: (f32, f32, f32, f32),
}

/// Where the main page's title (`中华人民共和国机动车行驶证`) starts and ends across the card
/// (card units): 13 characters of 12 pt 黑体 centred on a card 88 mm wide (shared/docs/domain.md,
/// the layout sketch), 12 advances of 4.2 mm and one glyph's ink; on the shared real specimen
/// the title's line spans 0.627 of the card's width.
pub const TITLE_SPAN: (f32, f32) = (0.19, 0.81);

/// Titles of other documents one or two characters away from the main page's: the driving
/// license (机动车驾驶证), which people send in its place.
const OTHER_TITLES: [&str; 1] = ["中华人民共和国机动车驾驶证"];

/// Whether `read`, a title found (`find_labels` allows a slip), is nearer the vehicle license's
/// title (`title`) than every other document's (`OTHER_TITLES`): a tie is no vehicle license.
pub fn is_own_title(read: &str, title: &str) -> bool {
    let read: Vec<char> = read.chars().filter(|c| !c.is_whitespace()).collect();
    let own = edit_distance(&read, &title.chars().collect::<Vec<_>>());
    OTHER_TITLES
        .iter()
        .all(|other| own < edit_distance(&read, &other.chars().collect::<Vec<_>>()))
}

/// The title's two ends as anchors `(card point, page point)`: where the characters of `hit`
/// (a hit of the title, whose centre on the card is `center`) start and end in `line`.
pub fn title_ends(line: &TextLine, hit: &LabelHit, center: (f32, f32)) -> [(Point, Point); 2] {
    let [tl, tr, br, bl] = span_quad(line, hit.start, hit.start + hit.chars).points;
    let middle = |a: Point, b: Point| Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    [
        (Point::new(TITLE_SPAN.0, center.1), middle(tl, bl)),
        (Point::new(TITLE_SPAN.1, center.1), middle(tr, br)),
    ]
}

/// The main page's labels.
pub const FRONT_LABELS: [Label<FrontField>; 12] = [
    Label {
        field: None,
        chinese: "中华人民共和国机动车行驶证",
        english: "Vehicle License of the People's Republic of China",
        center: (0.5, 0.08),
        value_area: (0.0, 0.0, 0.0, 0.0),
    },
    Label {
        field: Some(FrontField::Number),
        chinese: "号牌号码",
        english: "Plate No.",
        center: (0.085, 0.2),
        value_area: (0.14, 0.13, 0.43, 0.265),
    },
    Label {
        field: Some(FrontField::VehicleType),
        chinese: "车辆类型",
        english: "Vehicle Type",
        center: (0.495, 0.2),
        value_area: (0.56, 0.13, 1.0, 0.265),
    },
    Label {
        field: Some(FrontField::Name),
        chinese: "所有人",
        english: "Owner",
        center: (0.085, 0.32),
        value_area: (0.14, 0.265, 1.0, 0.385),
    },
    Label {
        field: Some(FrontField::Address),
        chinese: "住址",
        english: "Address",
        center: (0.085, 0.44),
        value_area: (0.14, 0.385, 1.0, 0.51),
    },
    Label {
        field: Some(FrontField::UseCharacter),
        chinese: "使用性质",
        english: "Use Character",
        center: (0.085, 0.56),
        value_area: (0.14, 0.51, 0.37, 0.625),
    },
    Label {
        field: Some(FrontField::Model),
        chinese: "品牌型号",
        english: "Model",
        center: (0.43, 0.56),
        value_area: (0.48, 0.51, 1.0, 0.625),
    },
    Label {
        field: Some(FrontField::Vin),
        chinese: "车辆识别代号",
        english: "VIN",
        center: (0.36, 0.68),
        value_area: (0.44, 0.625, 1.0, 0.745),
    },
    Label {
        field: Some(FrontField::EngineNo),
        chinese: "发动机号码",
        english: "Engine No.",
        center: (0.345, 0.8),
        value_area: (0.4, 0.745, 1.0, 0.855),
    },
    Label {
        field: Some(FrontField::RegisterDate),
        chinese: "注册日期",
        english: "Register Date",
        center: (0.33, 0.91),
        value_area: (0.37, 0.855, 0.63, 1.0),
    },
    Label {
        field: Some(FrontField::IssueDate),
        chinese: "发证日期",
        english: "Issue Date",
        center: (0.69, 0.91),
        value_area: (0.73, 0.855, 1.0, 1.0),
    },
    Label {
        field: Some(FrontField::IssuingAuthority),
        chinese: "",
        english: "",
        center: (0.14, 0.8),
        value_area: (0.0, 0.62, 0.27, 1.0),
    },
];

/// A label found in a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelHit {
    /// Index into the label table searched.
    pub label: usize,
    /// Index of the line.
    pub line: usize,
    /// First character of the line the label takes.
    pub start: usize,
    /// How many characters the label takes.
    pub chars: usize,
    /// Where the label's centre is in the page.
    pub center: Point,
}

/// Edit distance between two character sequences.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    alignment_distance(a, b, false)
}

/// Edit distance between `word` and the stretch of `text` that matches it best (text before and
/// after that stretch is free).
pub fn best_substring_distance(word: &[char], text: &[char]) -> usize {
    alignment_distance(word, text, true)
}

/// Levenshtein distance from `a` to `b`; with `free_ends`, to the best substring of `b`.
fn alignment_distance(a: &[char], b: &[char], free_ends: bool) -> usize {
    let mut previous: Vec<usize> = if free_ends {
        vec![0; b.len() + 1]
    } else {
        (0..=b.len()).collect()
    };
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j + 1] + 1)
                .min(current[j] + 1)
                .min(previous[j] + usize::from(ca != cb));
        }
        previous = current;
    }
    if free_ends {
        previous.into_iter().min().unwrap_or(a.len())
    } else {
        previous[b.len()]
    }
}

/// How many leading characters of `line` (spaces ignored) spell `label`, allowing one slip in
/// labels of four or five characters and two in longer ones (`准率号总质量`: no value reads
/// like a label of six characters with four of them right); `None` when the line does not
/// start with the label.
fn match_prefix(line: &[char], label: &[char]) -> Option<usize> {
    if label.is_empty() {
        return None;
    }
    let allowed = match label.len() {
        0..=3 => 0,
        4 | 5 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, usize)> = None;
    for take in label.len().saturating_sub(allowed)..=(label.len() + allowed).min(line.len()) {
        let distance = edit_distance(&line[..take], label);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, take));
        }
    }
    best.map(|(_, take)| take)
}

/// The part of a line's quad under characters `start..end`, assuming every Chinese character
/// is equally wide and ASCII characters half as wide.
pub fn span_quad(line: &TextLine, start: usize, end: usize) -> Quad {
    let widths: Vec<f32> = line
        .text
        .chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .collect();
    let total: f32 = widths.iter().sum::<f32>().max(1e-6);
    let t0 = widths.iter().take(start).sum::<f32>() / total;
    let t1 = widths.iter().take(end).sum::<f32>() / total;
    let [tl, tr, br, bl] = line.quad.points;
    let along =
        |a: Point, b: Point, t: f32| Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
    Quad::new([
        along(tl, tr, t0),
        along(tl, tr, t1),
        along(bl, br, t1),
        along(bl, br, t0),
    ])
}

/// The centre of characters `from_char..to_char` of a line (see [`span_quad`]).
pub fn point_along(line: &TextLine, from_char: usize, to_char: usize) -> Point {
    span_quad(line, from_char, to_char).center()
}

/// Finds the printed Chinese labels of `labels` in lines: at a line's start or after a space
/// (allowing one slip in long labels), or anywhere as exact text (the detector sometimes joins a
/// value, the next label and its value into one line). Each label is taken at most once: where
/// it matches with the fewest slips, a match at a word's start before one inside a word (so that
/// `总质量` is not taken from inside `准牵引总质量`).
pub fn find_labels<F>(lines: &[TextLine], labels: &[Label<F>]) -> Vec<LabelHit> {
    let mut hits = Vec::new();
    for (index, label) in labels.iter().enumerate() {
        let wanted: Vec<char> = label.chinese.chars().collect();
        if wanted.is_empty() {
            continue;
        }
        let mut best: Option<(usize, LabelHit)> = None;
        for (line_index, line) in lines.iter().enumerate() {
            let chars: Vec<char> = line.text.chars().collect();
            for start in 0..chars.len() {
                let at_word_start = start == 0 || chars[start - 1].is_whitespace();
                // Slips count double, and a match inside a word costs one more than at its start.
                let found = if at_word_start {
                    match_prefix(&chars[start..], &wanted).map(|take| {
                        (
                            take,
                            2 * edit_distance(&chars[start..start + take], &wanted),
                        )
                    })
                } else if chars[start..].starts_with(&wanted) {
                    Some((wanted.len(), 1))
                } else {
                    None
                };
                let Some((take, slips)) = found else { continue };
                if best.as_ref().is_none_or(|(s, _)| slips < *s) {
                    let center = point_along(line, start, start + take);
                    best = Some((
                        slips,
                        LabelHit {
                            label: index,
                            line: line_index,
                            start,
                            chars: take,
                            center,
                        },
                    ));
                }
            }
        }
        hits.extend(best.map(|(_, hit)| hit));
    }
    // A label found inside a longer label (`总质量` in `准牵引总质量`) was not printed there.
    let inside_another = |h: &LabelHit| {
        hits.iter().any(|g| {
            g.line == h.line
                && g.chars > h.chars
                && g.start <= h.start
                && h.start + h.chars <= g.start + g.chars
        })
    };
    let kept: Vec<LabelHit> = hits
        .iter()
        .filter(|h| !inside_another(h))
        .copied()
        .collect();
    kept
}

/// The English sub-label a line starts with, when a value follows it in the same line (a value
/// printed low, onto its sub-label's line: `Engine No. GUWVHVF3`): its length in characters,
/// up to the end of its last word, to be cut like a label. Whole words only, with a slip per
/// four letters.
pub fn english_label_head<F>(text: &str, labels: &[Label<F>]) -> Option<usize> {
    let squeeze = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let chars: Vec<char> = text.chars().collect();
    // Where each word ends: before a space, or at the end of the text.
    let word_ends: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i].is_whitespace() && !chars[i - 1].is_whitespace())
        .take(3)
        .collect();
    word_ends.into_iter().rev().find(|&end| {
        let head: String = chars[..end].iter().collect();
        let head = squeeze(&head);
        let rest_has_text = chars[end..].iter().any(|c| !c.is_whitespace());
        head.iter().all(char::is_ascii)
            && rest_has_text
            && labels.iter().filter(|l| !l.english.is_empty()).any(|l| {
                let english = squeeze(l.english);
                edit_distance(&head, &english) <= english.len() / 4
            })
    })
}

/// Label heads split off by the detector: a label found at a line's start without its first one
/// or two characters (`动机号码` for `发动机号码`) when the line just left of it on the same row
/// ends with them (`市公安局交发`: the seal stamped over the label was read with its head). Returns
/// `(line, start, end)` character ranges of those heads, to be cut like labels.
pub fn split_label_heads<F>(
    lines: &[TextLine],
    labels: &[Label<F>],
    hits: &[LabelHit],
) -> Vec<(usize, usize, usize)> {
    let mut heads = Vec::new();
    for hit in hits.iter().filter(|h| h.start == 0) {
        let wanted: Vec<char> = labels[hit.label].chinese.chars().collect();
        let line = &lines[hit.line];
        let chars: Vec<char> = line.text.chars().collect();
        let Some(missing) = (1..=2usize).find(|&k| {
            wanted.len() >= k + 3 && chars.starts_with(&wanted[k..k + 2]) && chars[0] != wanted[0]
        }) else {
            continue;
        };
        let head = &wanted[..missing];
        let [tl, _, _, bl] = line.quad.points;
        let height = line.quad.height().max(1.0);
        let left = Point::new((tl.x + bl.x) / 2.0, (tl.y + bl.y) / 2.0);
        let neighbour = lines.iter().enumerate().find(|(index, other)| {
            let [_, tr, br, _] = other.quad.points;
            let right = Point::new((tr.x + br.x) / 2.0, (tr.y + br.y) / 2.0);
            *index != hit.line
                && other.text.chars().count() > missing
                && other
                    .text
                    .chars()
                    .rev()
                    .take(missing)
                    .eq(head.iter().rev().copied())
                && (right.x - left.x).abs() <= height
                && (right.y - left.y).abs() <= 0.5 * height
        });
        if let Some((index, other)) = neighbour {
            let count = other.text.chars().count();
            heads.push((index, count - missing, count));
        }
    }
    heads
}

/// Whether `text` reads as English words, however misread: ASCII only, no digit, at least three
/// lower-case letters. No value of a license is like that (values are Chinese, digits or
/// capitals), so such text is always a printed English sub-label or the English title.
pub fn is_english_prose(text: &str) -> bool {
    let lower = text.chars().filter(char::is_ascii_lowercase).count();
    lower >= 3 && text.chars().all(|c| c.is_ascii() && !c.is_ascii_digit())
}

/// Below this mean character confidence, a short line of small letters is no text.
const LEADER_CONFIDENCE: f32 = 0.6;

/// Whether `line` is a reading of the dotted leaders the values are printed on, or of specks:
/// an enlarged close-up of a blurred card has the detector find them, and the recognizer
/// answers with a few small letters at low confidence (`mm`, `1m`, `sss`, `……`). No value is
/// written in small letters and read so unsure; an engine number read in small letters is read
/// sure of itself, and longer.
pub fn is_leader(line: &TextLine) -> bool {
    let count = line.char_confidences.len().max(1) as f32;
    let mean = line.char_confidences.iter().sum::<f32>() / count;
    let kept: Vec<char> = line
        .text
        .chars()
        .filter(|c| !matches!(c, '…' | '.' | '·' | '-' | '_' | ' ' | '"' | '\'' | ','))
        .collect();
    let digits = kept.iter().filter(|c| c.is_ascii_digit()).count();
    mean < LEADER_CONFIDENCE
        && kept.len() <= 8
        && digits <= 1
        && kept
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Whether `text` is one of the English sub-labels (or a slightly misread one).
pub fn is_english_label(text: &str) -> bool {
    if is_english_prose(text) {
        return true;
    }
    let squeezed: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if squeezed.is_empty() || !squeezed.iter().all(|c| c.is_ascii()) {
        return false;
    }
    FRONT_LABELS
        .iter()
        .filter(|l| !l.english.is_empty())
        .any(|l| {
            let english: Vec<char> = l
                .english
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let allowed = english.len() / 4;
            edit_distance(&squeezed, &english) <= allowed
        })
}

#[cfg(test)]
mod tests;
