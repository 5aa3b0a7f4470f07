//! Reading the back page (副页): its values assigned, decoded under their grammars and cleaned.

use crate::assign::{decode_readings, read_page_placed, RowValue, Values};
pub use crate::back_labels::{BackField, BACK_LABELS};
use crate::decode::{decode, is_stamp, Decision, Decoded, Kind};
use crate::grammar::Grammars;
use crate::labels::is_leader;
use crate::normalize::{chinese_value, plate};
use crate::text::{fold, Normalized};
use crate::value_anchors::back_value_anchors;
use crate::{BackFields, FieldValue, Reading, TextLine};

/// Reads the fields of a back page from its lines (upright page coordinates).
///
/// Readings of the dotted leaders ([`crate::labels::is_leader`]) are dropped first, but for
/// the units printed alone (`kg`, `mm`).
pub fn read_back(lines: &[TextLine]) -> BackFields {
    let values = Values {
        clean: normalize_back,
        decode: decode_back,
        kind: back_kind,
    };
    let mut fields = read_back_with(lines, values);
    split_file_number_and_mass(&mut fields);
    fields
}

/// Where a back page is (see [`crate::assign::place_front`]): the labels found and the card's
/// outline as [`read_back`] fits them, with no values read.
pub fn place_back(lines: &[TextLine]) -> BackFields {
    let mut placed = read_back_with(lines, Values::unread());
    placed.fields.clear();
    placed
}

/// A back page read from `lines` with `values`, the dotted leaders' readings dropped first.
fn read_back_with(lines: &[TextLine], values: Values<BackField>) -> BackFields {
    let lines: Vec<TextLine> = lines
        .iter()
        .filter(|l| !is_leader(l) || matches!(l.text.as_str(), "kg" | "mm"))
        .cloned()
        .collect();
    let lines = lines.as_slice();
    read_page_placed(lines, &BACK_LABELS, &BackField::ALL, values, |_| {
        back_value_anchors(lines)
    })
}

/// Reads a back page's field from `readings` (its earlier readings and strips of the card read
/// again) under its grammar, when it has one and a value of it fits; else `raw`, a strip's
/// reading, is cleaned as read (and is invalid when the field has a grammar).
pub fn normalize_back_row(field: BackField, raw: &str, readings: &[&Reading]) -> RowValue {
    let Decoded {
        has_grammar,
        decision,
        trace,
    } = decode_readings(decode_back, field, readings);
    if let Some(decision) = decision {
        return RowValue {
            normalized: Normalized {
                text: decision.text,
                valid: decision.valid,
            },
            confidence: Some(decision.confidence),
            trace,
        };
    }
    let mut normalized = normalize_back(field, raw);
    normalized.valid &= !has_grammar;
    RowValue {
        normalized,
        confidence: None,
        trace,
    }
}

/// The kind of a back page's field, when its grammar is known.
fn back_kind(field: BackField) -> Option<Kind> {
    Some(match field {
        BackField::Number => Kind::Plate,
        BackField::ApprovedPassengers => Kind::Passengers,
        BackField::GrossMass
        | BackField::UnladenMass
        | BackField::ApprovedLoad
        | BackField::TractionMass => Kind::Mass,
        BackField::Dimension => Kind::Dimension,
        BackField::CodeNumber => Kind::CodeNumber,
        BackField::InspectionRecord => Kind::Inspection,
        BackField::EnergyType => Kind::EnergyType,
        // A file number is read with the mass or unit printed beside it often enough that its
        // cleaning splits them (`split_file_number_and_mass`); remarks are free text.
        BackField::FileNo | BackField::Remarks => return None,
    })
}

/// A back page's value read under its field's grammar from `readings`, when it has one, in the
/// canonical form (`--` is blank, the latest of several inspection stamps).
fn decode_back(field: BackField, readings: &[&Reading]) -> Decoded {
    let Some(kind) = back_kind(field) else {
        if field == BackField::Remarks {
            return remarks_under_labels(readings);
        }
        return Decoded::default();
    };
    let mut decoded = decode(kind, readings);
    if let Some(decision) = &mut decoded.decision {
        decision.text = normalize_back(field, &decision.text).text;
        // Any text is a stamp's reading; only a stamp's shape is a stamp (a blank is none).
        if kind == Kind::Inspection && !decision.text.is_empty() && !is_stamp(&decision.text) {
            decision.valid = false;
            decision.confidence *= 0.5;
        }
    }
    decoded
}

/// How far below a reading's likeliest text a label of the page may lie, per character of the
/// label (nats), for the reading to be that label: a misread label lies 1.8-3.5 below
/// (`准形引2点量18`, `准带有选质危注` for `准牵引总质量`), text that shares no character with a
/// label about 10.5 (each character unlisted).
const LABEL_GAP_PER_CHAR: f32 = 5.0;

/// Remarks are free text, but not the page's own labels: when some reading, at most three
/// characters longer than a label of four or more, holds that label within
/// [`LABEL_GAP_PER_CHAR`] a character of its likeliest text (a tilted page's label row above,
/// `准牵引总质量`, falling in the remarks' row), the remark is blank. Otherwise nothing is
/// decided (the reading is cleaned as read).
fn remarks_under_labels(readings: &[&Reading]) -> Decoded {
    let mut trace = Vec::new();
    for reading in readings {
        let read = reading.lattice.greedy().text();
        let best = reading.lattice.best_log_prob();
        for label in BACK_LABELS.iter() {
            let chars: Vec<char> = label.chinese.chars().collect();
            if chars.len() < 4 || read.chars().count() > chars.len() + 3 {
                continue;
            }
            let gap = reading.lattice.log_prob_within(&chars) - best;
            if gap >= -LABEL_GAP_PER_CHAR * chars.len() as f32 {
                trace.push(format!(
                    "{read:?} holds the label {:?} at {gap:.1}: no remark",
                    label.chinese
                ));
                return Decoded {
                    has_grammar: false,
                    decision: Some(Decision {
                        text: String::new(),
                        // Even odds: nothing read vouches for the blank itself, only against
                        // the text (the calibration curve maps it).
                        confidence: 0.5,
                        valid: true,
                        score: 0.0,
                    }),
                    trace,
                };
            }
        }
    }
    Decoded::default()
}

/// Digits in a file number (`shared/docs/domain.md` 3.9: usually 12).
const FILE_NUMBER_DIGITS: usize = 12;

/// A file number read in one line with the unit or the mass printed beside it, which the
/// detector joins on a small or tilted page: `1822307105737275KG` is the file number
/// `182230710573` and the gross mass `7275kg` printed under it (given to the gross mass when
/// none was read), `116935501765MM` the file number and a unit. A file number is digits only.
fn split_file_number_and_mass(fields: &mut BackFields) {
    let Some(file) = fields.get(BackField::FileNo).cloned() else {
        return;
    };
    let Some(digits) = ["KG", "MM"].iter().find_map(|u| file.text.strip_suffix(u)) else {
        return;
    };
    let mass_digits = digits.len().saturating_sub(FILE_NUMBER_DIGITS);
    if !digits.chars().all(|c| c.is_ascii_digit())
        || !(mass_digits == 0 || (2..=5).contains(&mass_digits))
    {
        return;
    }
    let (number, mass) = digits.split_at(FILE_NUMBER_DIGITS.min(digits.len()));
    if number.len() < FILE_NUMBER_DIGITS {
        return;
    }
    let read_as = |text: String| FieldValue {
        text,
        valid: true,
        ..file.clone()
    };
    fields.set(BackField::FileNo, read_as(number.to_owned()));
    let mass_read = fields
        .get(BackField::GrossMass)
        .is_some_and(|v| !v.text.is_empty());
    if file.text.ends_with("KG") && !mass.is_empty() && !mass_read {
        fields.set(BackField::GrossMass, read_as(format!("{mass}kg")));
    }
    fields
        .fields
        .sort_by_key(|(f, _)| BackField::ALL.iter().position(|a| a == f));
}

/// Cleans `raw` as a value of `field`.
pub fn normalize_back(field: BackField, raw: &str) -> Normalized {
    let text = fold(raw);
    if is_blank(&text) {
        return Normalized {
            text: String::new(),
            valid: true,
        };
    }
    match field {
        BackField::Number => plate(&text),
        BackField::FileNo => {
            let text: String = text
                .to_uppercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            Normalized {
                valid: text.len() >= 8 && text.chars().all(|c| c.is_ascii_digit()),
                text,
            }
        }
        BackField::ApprovedPassengers => with_unit(&text, "人"),
        BackField::GrossMass
        | BackField::UnladenMass
        | BackField::ApprovedLoad
        | BackField::TractionMass => with_unit(&text, "kg"),
        BackField::Dimension => dimension(&text),
        BackField::Remarks => {
            // Remarks are usually blank; when printed they are phrases (`强制报废期止
            // 2024-03-23`). A lone character is a speck of ink or a label remnant, not a remark.
            let value = chinese_value(&text);
            if value.text.chars().count() < 2 {
                Normalized {
                    valid: value.text.is_empty(),
                    text: String::new(),
                }
            } else {
                value
            }
        }
        BackField::InspectionRecord => inspection_record(&text),
        BackField::CodeNumber => {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            Normalized {
                valid: digits.len() == 13,
                text: format!("*{digits}*"),
            }
        }
        BackField::EnergyType => {
            // A card prints one of the vocabulary's energy types or none (older cards): other
            // ink in its place (an inspection stamp's year, the other page's text in a photo
            // of both) is no reading of one.
            let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let known = Grammars::get().lexicon("energy_types").contains(&text);
            Normalized {
                text: if known { text } else { String::new() },
                valid: true,
            }
        }
    }
}

/// Dashes only (the printer's mark for an empty field).
fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '-' | '—' | '–' | '一' | '_' | '='))
}

/// The first number in `text` followed by `unit` (`1499k9` -> `1499kg`, `5A` -> `5人`).
fn with_unit(text: &str, unit: &str) -> Normalized {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    // No number: what was read is ink around a blank field (a label's or the dotted line's, the
    // labels being hard to read where this happens), not a count or a mass.
    if digits.is_empty() {
        return Normalized {
            text: String::new(),
            valid: false,
        };
    }
    Normalized {
        text: format!("{digits}{unit}"),
        valid: true,
    }
}

/// `L×W×H` + `mm` from three numbers, whatever the recognizer made of the `×` signs.
fn dimension(text: &str) -> Normalized {
    let numbers: Vec<String> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    if numbers.len() < 3 {
        return Normalized {
            text: text.to_owned(),
            valid: false,
        };
    }
    Normalized {
        text: format!("{}×{}×{}mm", numbers[0], numbers[1], numbers[2]),
        valid: numbers.len() == 3,
    }
}

/// The inspection stamps: when several are printed, the one with the latest date (the current
/// validity). Each is `检验有效期至YYYY年MM月` and the inspecting office (`鲁R(01)`).
fn inspection_record(text: &str) -> Normalized {
    let text: String = text
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect();
    let text = with_stamp_markers(&text);
    let marker = "有效期至";
    let starts: Vec<usize> = text.match_indices(marker).map(|(i, _)| i).collect();
    let stamps: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            let body = &text[start + marker.len()..end];
            // The next stamp's `检验` ends up here: a stamp ends at its office's `)`.
            let body = body.rfind(')').map_or(body, |close| &body[..=close]);
            // A closing parenthesis the recognizer dropped: `鲁R(01` is `鲁R(01)`.
            let closed = body.contains('(') && !body.contains(')');
            format!("{STAMP_MARKER}{body}{}", if closed { ")" } else { "" })
        })
        .collect();
    if stamps.is_empty() {
        return Normalized { text, valid: false };
    }
    // A stamp whose date is no date (`2923年11月`, a misread `2023`) is not taken for the latest
    // over one that is.
    let dated = |stamp: &&String| stamp_date(stamp).is_some_and(is_stamp_date);
    let latest = stamps
        .iter()
        .filter(dated)
        .max_by_key(|stamp| stamp_date(stamp))
        .or_else(|| stamps.iter().max_by_key(|stamp| stamp_date(stamp)))
        .cloned()
        .unwrap_or_default();
    Normalized {
        valid: stamp_date(&latest).is_some_and(is_stamp_date),
        text: latest,
    }
}

/// The years an inspection stamp can name.
const STAMP_YEARS: std::ops::RangeInclusive<u32> = 1990..=2099;

/// Whether `(year, month)` can be a stamp's: a month of one of [`STAMP_YEARS`].
fn is_stamp_date((year, month): (u32, u32)) -> bool {
    STAMP_YEARS.contains(&year) && (1..=12).contains(&month)
}

/// A stamp's fixed words, before its date.
const STAMP_MARKER: &str = "检验有效期至";

/// `text` with the stamp's fixed words put right where they were misread before a date
/// (`独验行效跑至2826年07月` -> `检验有效期至2026年07月`): the up to six characters before each
/// `YYYY年`, back to the previous stamp's `)`, are the marker when they are at most four slips
/// from it and at least two of them are left as read. A year outside [`STAMP_YEARS`] with an
/// `8` where a `0` makes it one is read with the `0` (`2813`: a smudged `0`).
fn with_stamp_markers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let marker: Vec<char> = STAMP_MARKER.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut stamp_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let is_year = i + 4 < chars.len()
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && chars[i + 4] == '年';
        if !is_year {
            if chars[i] == ')' {
                stamp_start = out.len() + 1;
            }
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let from = out.len().saturating_sub(marker.len()).max(stamp_start);
        let before = &out[from..];
        let slips = crate::labels::edit_distance(before, &marker);
        let kept = before.len().saturating_sub(slips);
        if before != marker.as_slice() && kept >= 2 && slips <= 4 {
            out.truncate(from);
            out.extend_from_slice(&marker);
        }
        let year: String = chars[i..i + 4].iter().collect();
        let plausible = |y: &str| y.parse::<u32>().is_ok_and(|y| STAMP_YEARS.contains(&y));
        let zeroed = year.replacen('8', "0", 1);
        let year = if !plausible(&year) && plausible(&zeroed) {
            zeroed
        } else {
            year
        };
        out.extend(year.chars());
        i += 4;
    }
    out.into_iter().collect()
}

/// `(year, month)` of a stamp's `YYYY年MM月`.
fn stamp_date(stamp: &str) -> Option<(u32, u32)> {
    let (year, rest) = stamp.split_once('年')?;
    let year: u32 = year
        .chars()
        .rev()
        .take(4)
        .collect::<String>()
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .ok()?;
    let month: u32 = rest.split_once('月')?.0.parse().ok()?;
    Some((year, month))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_line as line;

    #[test]
    fn a_label_read_where_remarks_belong_is_no_remark() {
        let reading = |lattice| Reading {
            lattice,
            cut: crate::Cut::Line,
            weight: 1.0,
            printing: 0,
        };
        // The label of the row above, its 牵 and 质 misread but listed second.
        let misread = reading(crate::test_lattice(
            "准形引总点量",
            &[
                (1, &[('形', 0.7), ('牵', 0.2)]),
                (4, &[('点', 0.6), ('质', 0.3)]),
            ],
        ));
        let decided = remarks_under_labels(&[&misread]).decision.expect("decided");
        assert_eq!(decided.text, "");
        // A remark sharing no label's characters, or naming one in a long phrase, is none of
        // them.
        for remark in ["强制报废期止", "核定载人数由7人变更为5人"] {
            let read = reading(crate::test_lattice(remark, &[]));
            assert!(
                remarks_under_labels(&[&read]).decision.is_none(),
                "{remark}"
            );
        }
    }

    fn clean(field: BackField, raw: &str) -> String {
        normalize_back(field, raw).text
    }

    #[test]
    fn values_take_their_canonical_form() {
        assert_eq!(clean(BackField::ApprovedPassengers, "5人"), "5人");
        assert_eq!(clean(BackField::ApprovedPassengers, "5 A"), "5人");
        assert_eq!(clean(BackField::GrossMass, "1499k9"), "1499kg");
        assert_eq!(clean(BackField::ApprovedLoad, "--"), "");
        assert_eq!(clean(BackField::TractionMass, "一一"), "");
        assert_eq!(
            clean(BackField::Dimension, "4546X1710×1427mm"),
            "4546×1710×1427mm"
        );
        assert_eq!(clean(BackField::FileNo, "530300188888"), "530300188888");
        let split = |file: &str, mass: &str| {
            let value = |text: &str| crate::test_value(text, true);
            let mut fields = BackFields {
                fields: vec![(BackField::FileNo, value(file))],
                ..BackFields::default()
            };
            if !mass.is_empty() {
                fields.fields.push((BackField::GrossMass, value(mass)));
            }
            split_file_number_and_mass(&mut fields);
            [BackField::FileNo, BackField::GrossMass]
                .map(|f| fields.get(f).map(|v| v.text.clone()).unwrap_or_default())
        };
        assert_eq!(split("1822307105737275KG", ""), ["182230710573", "7275kg"]);
        assert_eq!(
            split("1822307105737275KG", "7215kg"),
            ["182230710573", "7215kg"]
        );
        assert_eq!(split("116935501765MM", ""), ["116935501765", ""]);
        // Not a file number and a mass: as read.
        assert_eq!(split("2252KG", ""), ["2252KG", ""]);
        assert_eq!(
            split("182230710573727512KG", ""),
            ["182230710573727512KG", ""]
        );
        assert_eq!(clean(BackField::Remarks, "生"), "");
        assert_eq!(clean(BackField::Remarks, "强制报废期止"), "强制报废期止");
        assert_eq!(
            clean(BackField::CodeNumber, "*0 1 2 3 4 5 6 7 8 9 8 8 8*"),
            "*0123456789888*"
        );
        assert_eq!(
            clean(
                BackField::InspectionRecord,
                "检验有效期至2017年04月鲁R（01）"
            ),
            "检验有效期至2017年04月鲁R(01)"
        );
        assert_eq!(
            clean(BackField::InspectionRecord, "检验有效期至2019年06月粤BA(03"),
            "检验有效期至2019年06月粤BA(03)"
        );
    }

    #[test]
    fn a_mass_without_a_number_is_blank() {
        assert_eq!(clean(BackField::ApprovedLoad, "TH山"), "");
        assert_eq!(clean(BackField::ApprovedLoad, "*."), "");
        assert_eq!(clean(BackField::ApprovedLoad, "coMI"), "");
        assert_eq!(clean(BackField::GrossMass, "总质量2479k9"), "2479kg");
    }

    #[test]
    fn a_stamps_misread_words_and_smudged_year_are_put_right() {
        let stamp = |raw: &str| clean(BackField::InspectionRecord, raw);
        assert_eq!(
            stamp("独验行效跑至2826年07月津AN(11)"),
            "检验有效期至2026年07月津AN(11)"
        );
        assert_eq!(
            stamp("检验有效至2813年12月辽AN(03)"),
            "检验有效期至2013年12月辽AN(03)"
        );
        assert_eq!(
            stamp("松验山效期至2015年01月宁AX(13)检验有效明至2017年01月宁AX(13)LRM"),
            "检验有效期至2017年01月宁AX(13)"
        );
        // Words that are not the marker's, and a year read right, stay.
        assert_eq!(
            stamp("有效期至2019年06月粤BA(03)"),
            "检验有效期至2019年06月粤BA(03)"
        );
        assert_eq!(
            with_stamp_markers("公路车辆2019年06月"),
            "公路车辆2019年06月"
        );
        assert_eq!(with_stamp_markers("2008年06月"), "2008年06月");
    }

    #[test]
    fn the_latest_inspection_stamp_wins() {
        assert_eq!(
            clean(
                BackField::InspectionRecord,
                "检验有效期至2019年04月鲁R(01)检验有效期至2021年04月鲁R(01)俭验有效期至2020年04月鲁R(01)"
            ),
            "检验有效期至2021年04月鲁R(01)"
        );
        // A stamp whose year is no year (`2923`, misread) is not the latest over real ones.
        let misread = "检验有效期至2021年12月苏DX(24)检验有效期至2923年11月苏DX(24)检验有效期至2025年04月苏DX(24)";
        let read = normalize_back(BackField::InspectionRecord, misread);
        assert_eq!(read.text, "检验有效期至2025年04月苏DX(24)");
        assert!(read.valid);
        // Alone, it is answered as read, and not valid.
        let read = normalize_back(
            BackField::InspectionRecord,
            "检验有效期至2923年11月苏DX(24)",
        );
        assert_eq!(read.text, "检验有效期至2923年11月苏DX(24)");
        assert!(!read.valid);
    }

    #[test]
    fn reference_like_back_page() {
        let lines = vec![
            line("号牌号码", 0.03, 0.087),
            line("档案编号", 0.45, 0.087),
            line("530300188888", 0.615, 0.07),
            line("核定载人数", 0.03, 0.206),
            line("5人", 0.175, 0.185),
            line("总质量", 0.63, 0.206),
            line("1499kg", 0.77, 0.19),
            line("整备质量", 0.03, 0.325),
            line("1435kg", 0.175, 0.3),
            line("核定载质量", 0.61, 0.325),
            line("--", 0.77, 0.3),
            line("外廓尺寸", 0.03, 0.44),
            line("4546×1710×1427mm", 0.175, 0.42),
            line("准牵引总质量", 0.61, 0.445),
            line("备", 0.03, 0.555),
            line("注", 0.12, 0.555),
            line("检验有效期至2017年04月鲁R(01)", 0.18, 0.715),
            line("检验记录", 0.03, 0.79),
            line("*0123456789888*", 0.44, 0.96),
        ];
        let fields = read_back(&lines);
        let get = |f| fields.get(f).map_or("<missing>", |v| v.text.as_str());
        assert_eq!(get(BackField::FileNo), "530300188888");
        assert_eq!(get(BackField::ApprovedPassengers), "5人");
        assert_eq!(get(BackField::GrossMass), "1499kg");
        assert_eq!(get(BackField::UnladenMass), "1435kg");
        assert_eq!(get(BackField::ApprovedLoad), "");
        assert_eq!(get(BackField::Dimension), "4546×1710×1427mm");
        assert_eq!(
            get(BackField::InspectionRecord),
            "检验有效期至2017年04月鲁R(01)"
        );
        assert_eq!(get(BackField::CodeNumber), "*0123456789888*");
        assert_eq!(
            get(BackField::Remarks),
            "",
            "the spaced label's end is not a remark"
        );
        assert!(fields.labels_found >= 9, "{}", fields.labels_found);
    }

    #[test]
    fn values_printed_more_than_half_a_row_high_go_where_their_grammars_say() {
        // Every value 0.08 of the card (two thirds of a row) above its place: nearer the row
        // above than its own, where no value of its kind belongs.
        let lines = vec![
            line("号牌号码", 0.03, 0.087),
            line("鲁A12345", 0.175, 0.087),
            line("档案编号", 0.45, 0.087),
            line("530300188888", 0.615, 0.07),
            line("核定载人数", 0.03, 0.206),
            line("5人", 0.175, 0.126),
            line("总质量", 0.63, 0.206),
            line("1499kg", 0.77, 0.126),
            line("整备质量", 0.03, 0.325),
            line("1435kg", 0.175, 0.245),
            line("核定载质量", 0.61, 0.325),
            line("外廓尺寸", 0.03, 0.44),
            line("4546×1710×1427mm", 0.175, 0.36),
            line("准牵引总质量", 0.61, 0.445),
            line("备", 0.03, 0.555),
            line("注", 0.12, 0.555),
            line("检验记录", 0.03, 0.79),
        ];
        let fields = read_back(&lines);
        let get = |f| fields.get(f).map_or("<missing>", |v| v.text.as_str());
        assert_eq!(get(BackField::ApprovedPassengers), "5人");
        assert_eq!(get(BackField::GrossMass), "1499kg");
        assert_eq!(get(BackField::UnladenMass), "1435kg");
        assert_eq!(get(BackField::Dimension), "4546×1710×1427mm");
        assert!(fields.printer_shift < -0.015, "{}", fields.printer_shift);
    }

    #[test]
    fn a_stamp_with_no_month_is_returned_but_not_valid() {
        let read = |text: &str| {
            let readings = Reading::of_strip(&[crate::test_lattice(text, &[])], crate::Cut::Line);
            normalize_back_row(
                BackField::InspectionRecord,
                text,
                &readings.iter().collect::<Vec<_>>(),
            )
        };
        let good = read("检验有效期至2021年05月陕AC(18)");
        assert!(good.normalized.valid, "{:?}", good.normalized);
        let bad = read("检验有效期至2021年85月陕AC(18)");
        assert_eq!(bad.normalized.text, "检验有效期至2021年85月陕AC(18)");
        assert!(!bad.normalized.valid);
        assert!(bad.confidence.expect("decoded") < 0.6);
    }
}
