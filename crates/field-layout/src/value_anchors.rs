//! Values that place the card by themselves. On a blurred, small or badly lit photo the thin
//! grey labels can vanish while the bold values are still read; a line that is (or ends in) a
//! VIN, a model, a plate, one of the two dates, or on a back page the size and the file number,
//! is known by its grammar, and its start is where its field's value starts on the card. Used
//! when too few labels were found to fit the frame, and to tell two pages in one photo apart.

use vlocr_geometry::Point;

use crate::back_labels::BACK_LABELS;
use crate::decode::{decode, Kind};
use crate::labels::{span_quad, Label, LabelHit, FRONT_LABELS};
use crate::normalize::normalize;
use crate::text::{fold, is_cjk};
use crate::{BackField, Cut, FrontField, Reading, TextLine};

/// How far inside its value area (card units) a value starts.
const VALUE_INDENT: f32 = 0.025;

/// Anchors `(card point, page point)` from the lines that are wholly a main-page value, placed
/// at the start of the value. Empty unless they include at least two that only a main page
/// carries (a VIN, a model, the two dates), counting `vouched`, the labels found that only a
/// main page prints (its title among them): a back page's plate alone places nothing, but a
/// VIN with `使用性质` read does.
pub(crate) fn value_anchors(lines: &[TextLine], vouched: usize) -> Vec<(Point, Point)> {
    let mut anchors = Vec::new();
    let mut dates: Vec<(&TextLine, usize)> = Vec::new();
    let mut main_page_only = 0;
    for line in lines {
        let text = fold(&line.text);
        // A VIN or a date may follow what was read of its label (`代号LSG0...`, `日期2015-...`):
        // the value is the line's Latin end, and it starts where that does.
        let (tail, tail_start) = latin_tail(&line.text);
        // A misread mark before the value, parted from it by a space (`代9 LSC...`).
        let (tail, tail_start) = match last_word(&line.text) {
            Some((word, start)) if !is_vin(&tail) && is_vin(&word) => (word, start),
            _ => (tail, tail_start),
        };
        let field = if is_vin(&text) {
            Some((FrontField::Vin, 0))
        } else if is_vin(&tail) || reads_as(line, &tail, tail_start, Kind::Vin, is_vin) {
            Some((FrontField::Vin, tail_start))
        } else if is_model(&text) {
            Some((FrontField::Model, 0))
        } else if is_plate(&text) {
            Some((FrontField::Number, 0))
        } else {
            // A date, after what was read of its label or after a misread mark parted from it
            // by a space (`9 2014-03-12`), as a VIN may be.
            if reads_as_date(line, &tail, tail_start) {
                dates.push((line, tail_start));
            } else if let Some((_, start)) = last_word(&line.text)
                .filter(|(word, start)| *start > tail_start && reads_as_date(line, word, *start))
            {
                dates.push((line, start));
            }
            None
        };
        if let Some((field, start)) = field {
            main_page_only += usize::from(field != FrontField::Number);
            anchors.extend(anchor(field, line, start));
        }
    }
    // Two dates: the registration date is printed first along the row.
    if let [a, b] = dates.as_slice() {
        let [tl, tr, _, _] = a.0.quad.points;
        let along = |&(l, start): &(&TextLine, usize)| {
            let p = start_of(l, start);
            (p.x - tl.x) * (tr.x - tl.x) + (p.y - tl.y) * (tr.y - tl.y)
        };
        let (first, second) = if along(a) <= along(b) { (a, b) } else { (b, a) };
        anchors.extend(anchor(FrontField::RegisterDate, first.0, first.1));
        anchors.extend(anchor(FrontField::IssueDate, second.0, second.1));
        main_page_only += 2;
    }
    if main_page_only + vouched < 2 || main_page_only == 0 {
        return Vec::new();
    }
    anchors
}

/// How many of `hits`, the main-page labels found, only a main page prints (its title, and
/// every label but those a back page prints too, like `号牌号码`).
pub(crate) fn main_page_labels(hits: &[LabelHit]) -> usize {
    hits.iter()
        .filter(|hit| {
            let chinese = FRONT_LABELS[hit.label].chinese;
            !BACK_LABELS.iter().any(|back| back.chinese == chinese)
        })
        .count()
}

/// Anchors from the lines that end in a back-page value known by its grammar: the size
/// (`4988×1717×1825mm`, as read or under the size grammar from the line's lattices), the file
/// number (a line ending in twelve digits), the passengers (`5人`), and then the plate. Empty unless two of the
/// values only a back page carries were read (a main page's plate alone places nothing).
pub(crate) fn back_value_anchors(lines: &[TextLine]) -> Vec<(Point, Point)> {
    let mut anchors = Vec::new();
    let mut back_only = 0;
    for line in lines {
        let text = fold(&line.text);
        let (tail, start) = latin_tail(&line.text);
        let field = if reads_as_size(line, &tail, start) {
            Some((BackField::Dimension, start))
        } else if let Some(start) = file_number_start(&line.text) {
            Some((BackField::FileNo, start))
        } else if let Some(start) = passengers_start(&text) {
            Some((BackField::ApprovedPassengers, start))
        } else if is_plate(&text) {
            Some((BackField::Number, 0))
        } else {
            None
        };
        if let Some((field, start)) = field {
            back_only += usize::from(field != BackField::Number);
            let label = BACK_LABELS.iter().find(|l| l.field == Some(field));
            if let Some(label) = label {
                let card = Point::new(label.value_area.0 + VALUE_INDENT, label.center.1);
                anchors.push((card, start_of(line, start)));
            }
        }
    }
    if back_only < 2 {
        return Vec::new();
    }
    anchors
}

/// Where the file number starts in `text`, when the line ends in one: twelve digits, after
/// anything but a digit (what was read of its label, however misread: `案略う494741983118`).
fn file_number_start(text: &str) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let digits = chars
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (digits == 12).then_some(chars.len() - digits)
}

/// Where the passengers (`5人`, `2+3人`) start in `text` (folded), when it ends in them: one to
/// three digits and `人`, after what was read of the label if anything.
fn passengers_start(text: &str) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let (&last, body) = chars.split_last()?;
    if last != '人' {
        return None;
    }
    let digits = body
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit() || **c == '+')
        .count();
    let value = &body[body.len() - digits..];
    let numbers = value.iter().filter(|c| c.is_ascii_digit()).count();
    ((1..=4).contains(&numbers) && value.first().is_some_and(char::is_ascii_digit))
        .then_some(body.len() - digits)
}

/// Whether `tail`, the end of `line` from its character `start` on, is a size: as read, or,
/// when it has nine digits or more but is no size as read (`7728<2378>3416mm`), under the size
/// grammar from the line's lattices.
fn reads_as_size(line: &TextLine, tail: &str, start: usize) -> bool {
    is_size(tail)
        || (tail.chars().filter(char::is_ascii_digit).count() >= 9
            && reads_as(line, tail, start, Kind::Dimension, is_size))
}

/// Whether the end of `line` from its character `start` on (`tail`, folded), which is not a
/// value of `kind` as read but has its length (a VIN's 17 characters with an `O` among them),
/// is one under `kind`'s grammar from the line's lattices, a value that `accept` takes.
fn reads_as(
    line: &TextLine,
    tail: &str,
    start: usize,
    kind: Kind,
    accept: fn(&str) -> bool,
) -> bool {
    let length = tail.chars().count();
    let plausible = match kind {
        Kind::Vin => (16..=18).contains(&length) && tail.chars().all(|c| c.is_ascii_alphanumeric()),
        _ => length > 0,
    };
    if !plausible {
        return false;
    }
    let lattices = line.lattices_of(start..line.text.chars().count());
    let readings = Reading::of_strip(&lattices, Cut::Line);
    !readings.is_empty()
        && decode(kind, &readings.iter().collect::<Vec<_>>())
            .decision
            .is_some_and(|d| accept(&d.text))
}

/// `4988×1717×1825mm`: three numbers and the unit.
fn is_size(text: &str) -> bool {
    let Some(numbers) = text
        .to_ascii_lowercase()
        .strip_suffix("mm")
        .map(str::to_owned)
    else {
        return false;
    };
    let parts: Vec<&str> = numbers.split(['×', 'x', '*', 'X']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| (3..=5).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

/// Where the values only a main page carries (a VIN, a model, a date) were read: their lines'
/// centres. With the back page's ([`back_page_value_points`]), they tell two pages in one photo
/// apart when too few labels were read to do it.
pub fn main_page_value_points(lines: &[TextLine]) -> Vec<Point> {
    lines
        .iter()
        .filter(|l| {
            let text = fold(&l.text);
            let (tail, _) = latin_tail(&l.text);
            is_vin(&text) || is_vin(&tail) || is_model(&text) || is_date(&tail)
        })
        .map(|l| l.quad.center())
        .collect()
}

/// Where the values only a back page carries were read: a size (`4988×1717×1825mm`), a mass
/// (`2479kg`), the inspection stamp (`检验有效期至...`). Their lines' centres.
pub fn back_page_value_points(lines: &[TextLine]) -> Vec<Point> {
    lines
        .iter()
        .filter(|l| {
            let text = fold(&l.text).to_ascii_lowercase();
            let digits = text.chars().filter(char::is_ascii_digit).count();
            let size = is_size(&latin_tail(&l.text).0);
            let mass = text.ends_with("kg") && digits >= 3;
            size || mass || text.contains("有效期")
        })
        .map(|l| l.quad.center())
        .collect()
}

/// The anchor of `field`'s value, which starts at character `start` of `line`.
fn anchor(field: FrontField, line: &TextLine, start: usize) -> Option<(Point, Point)> {
    let label: &Label<FrontField> = FRONT_LABELS.iter().find(|l| l.field == Some(field))?;
    let card = Point::new(label.value_area.0 + VALUE_INDENT, label.center.1);
    Some((card, start_of(line, start)))
}

/// The middle of the starting edge of `line`'s characters from `start` on.
fn start_of(line: &TextLine, start: usize) -> Point {
    let end = line.text.chars().count().max(start + 1);
    let [tl, _, _, bl] = span_quad(line, start, end).points;
    Point::new((tl.x + bl.x) / 2.0, (tl.y + bl.y) / 2.0)
}

/// The end of `text` after its last Chinese character, folded, and the index of its first
/// character in `text`.
fn latin_tail(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let start = chars.iter().rposition(|&c| is_cjk(c)).map_or(0, |i| i + 1);
    let tail: String = chars[start..].iter().collect();
    (fold(&tail), start)
}

/// The last word of `text` (after its last space), folded, and the index of its first
/// character; `None` when `text` has no space.
fn last_word(text: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let start = chars.iter().rposition(|c| c.is_whitespace())? + 1;
    let word: String = chars[start..].iter().collect();
    Some((fold(&word), start))
}

/// A VIN by its check digit, or by its shape when a misread character broke the check digit
/// (its place on the card is the same): 17 characters of the VIN's alphabet, letters among
/// them, the last four digits (ISO 3779's serial number of a maker of 500 or more a year).
fn is_vin(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 17 || !chars.iter().all(char::is_ascii_alphanumeric) {
        return false;
    }
    let vin_shaped = chars
        .iter()
        .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'O' | 'Q')))
        && chars.iter().filter(|c| c.is_ascii_uppercase()).count() >= 2
        && chars[13..].iter().all(char::is_ascii_digit);
    vin_shaped || normalize(FrontField::Vin, text).valid
}

/// A brand of Chinese characters, `牌`, and a code of at least three letters and digits.
fn is_model(text: &str) -> bool {
    let Some((brand, code)) = text.split_once('牌') else {
        return false;
    };
    !brand.is_empty()
        && brand.chars().all(is_cjk)
        && code.chars().filter(char::is_ascii_alphanumeric).count() >= 3
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn is_plate(text: &str) -> bool {
    let plate = normalize(FrontField::Number, text);
    plate.valid && plate.text == text
}

/// `YYYY-MM-DD` and nothing else.
fn is_date(text: &str) -> bool {
    date_shaped(text, |c| c == '-') && normalize(FrontField::IssueDate, text).valid
}

/// `text` is four digits, a separator, two digits, a separator and two digits.
fn date_shaped(text: &str, separator: fn(char) -> bool) -> bool {
    text.chars().count() == 10
        && text.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                separator(c)
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Whether `tail`, the end of `line` from its character `start` on, is a date: as read, or, when
/// it has a date's shape but is no date as read (a blurred `2018` read `2818`, a dash read `:`),
/// under the date grammar from the line's lattices.
fn reads_as_date(line: &TextLine, tail: &str, start: usize) -> bool {
    is_date(tail)
        || (date_shaped(tail, |c| !c.is_ascii_alphanumeric())
            && reads_as(line, tail, start, Kind::Date, |_| true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::find_labels;
    use crate::{test_lattice, test_line};

    #[test]
    fn values_known_by_their_grammar_place_the_card() {
        let lines = [
            test_line("京A12345", 0.165, 0.2),
            test_line("哈弗牌CC6460", 0.505, 0.56),
            test_line("LSGHKYW17MC615150", 0.465, 0.68),
            test_line("2019-05-05", 0.755, 0.91),
            test_line("2019-02-06", 0.395, 0.91),
            test_line("中华人民共和国机动车行驶证", 0.3, 0.08),
        ];
        let anchors = value_anchors(&lines, 0);
        assert_eq!(anchors.len(), 5, "{anchors:?}");
        for (card, page) in &anchors {
            // test_line puts a line's start at (u * 880, v * 600).
            assert!((card.x * 880.0 - page.x).abs() < 1.0, "{card:?} {page:?}");
            assert!((card.y * 600.0 - page.y).abs() < 1.0, "{card:?} {page:?}");
        }
    }

    #[test]
    fn a_value_after_what_was_read_of_its_label_is_placed_where_it_starts() {
        let after_label = [
            // `代号` is 40 px wide in test_line's units, the VIN starts after it.
            test_line("代号LSGHKYW17MC615150", 0.465 - 40.0 / 880.0, 0.68),
            test_line("日期2019-02-06", 0.395 - 40.0 / 880.0, 0.91),
            test_line("2019-05-05", 0.755, 0.91),
        ];
        // What was read of the label is a digit, parted from the date by a space.
        let after_space = [
            test_line("LSGHKYW17MC615150", 0.465, 0.68),
            test_line("9 2019-02-06", 0.395 - 20.0 / 880.0, 0.91),
            test_line("2019-05-05", 0.755, 0.91),
        ];
        for lines in [after_label, after_space] {
            let anchors = value_anchors(&lines, 0);
            assert_eq!(anchors.len(), 3, "{anchors:?}");
            for (card, page) in &anchors {
                assert!((card.x * 880.0 - page.x).abs() < 1.0, "{card:?} {page:?}");
            }
        }
    }

    #[test]
    fn a_date_misread_as_no_date_is_known_by_its_lattice() {
        // `2018-09-21` read `2818:09-21`, the recognizer having seen `0` and `-` too.
        let unsure: [(usize, &[(char, f32)]); 2] = [
            (1, &[('8', 0.6), ('0', 0.3)]),
            (4, &[(':', 0.6), ('-', 0.3)]),
        ];
        let mut misread = test_line("2818:09-21", 0.395, 0.91);
        let lines = |misread: &TextLine| {
            [
                test_line("LSGHKYW17MC615150", 0.465, 0.68),
                test_line("2019-05-05", 0.755, 0.91),
                misread.clone(),
            ]
        };
        // As read, one date: the VIN alone places nothing.
        assert!(value_anchors(&lines(&misread), 0).is_empty());
        misread.lattices = vec![test_lattice("2818:09-21", &unsure)];
        assert_eq!(value_anchors(&lines(&misread), 0).len(), 3);
    }

    #[test]
    fn a_vin_misread_with_a_letter_no_vin_has_is_known_by_its_lattice() {
        // A VIN whose check digit fails (as some cards print), read with `O` for a `0`, the
        // recognizer having seen `0` too.
        let unsure: [(usize, &[(char, f32)]); 1] = [(3, &[('O', 0.6), ('0', 0.35)])];
        let mut misread = test_line("LZHO8TLF84Y215995", 0.465, 0.68);
        let lines = |misread: &TextLine| {
            [
                misread.clone(),
                test_line("2019-05-05", 0.755, 0.91),
                test_line("2019-02-06", 0.395, 0.91),
            ]
        };
        assert_eq!(
            value_anchors(&lines(&misread), 0).len(),
            2,
            "the dates alone"
        );
        misread.lattices = vec![test_lattice("LZHO8TLF84Y215995", &unsure)];
        assert_eq!(value_anchors(&lines(&misread), 0).len(), 3);
    }

    #[test]
    fn values_tell_the_pages_apart() {
        let lines = [
            test_line("LSGHKYW17MC615150", 0.465, 0.68),
            test_line("日期2019-02-06", 0.4, 0.91),
            test_line("外廓尺寸4988×1717×1825mm", 1.2, 0.5),
            test_line("2479kg", 1.3, 0.3),
            test_line("检验有效期至2021年06月", 1.1, 0.8),
            test_line("京A12345", 0.165, 0.2),
        ];
        assert_eq!(main_page_value_points(&lines).len(), 2);
        let back = back_page_value_points(&lines);
        assert_eq!(back.len(), 3);
        assert!(back.iter().all(|p| p.x > 880.0));
    }

    #[test]
    fn a_back_page_is_placed_by_its_size_file_number_and_plate() {
        let lines = [
            test_line("京A12345", 0.185, 0.087),
            test_line("182230710573", 0.605, 0.087),
            test_line("外廓尺寸4988×1717×1825mm", 0.185 - 80.0 / 880.0, 0.44),
            test_line("2479kg", 0.77, 0.206),
        ];
        let anchors = back_value_anchors(&lines);
        assert_eq!(anchors.len(), 3, "{anchors:?}");
        for (card, page) in &anchors {
            assert!((card.x * 880.0 - page.x).abs() < 1.0, "{card:?} {page:?}");
            assert!((card.y * 600.0 - page.y).abs() < 1.0, "{card:?} {page:?}");
        }
        // The size alone, or a plate alone: nothing.
        assert!(back_value_anchors(&lines[2..]).is_empty());
        assert!(!is_size("7395±1998=2937mm"));
    }

    #[test]
    fn a_file_number_after_a_misread_label_still_places_a_back_page() {
        // The label's remnant ends in a mark that is neither Chinese nor a digit (`う`).
        let file = test_line("案略う494741983118", 0.605 - 3.0 * 0.02, 0.087);
        let passengers = test_line("知2费人驾0人", 0.185 - 5.0 * 0.02, 0.2);
        let anchors = back_value_anchors(&[file.clone(), passengers]);
        assert_eq!(anchors.len(), 2, "{anchors:?}");
        assert_eq!(file_number_start(&file.text), Some(3));
        // Thirteen digits (the barcode's number) or eleven are no file number.
        assert_eq!(file_number_start("*4947419831181"), None);
        assert_eq!(file_number_start("档案编号49474198311"), None);
    }

    #[test]
    fn passengers_and_a_size_misread_as_no_size_place_a_back_page_with_no_label_read() {
        // `6419×2385×2347mm` read with `<` and `>` for `×`, the recognizer having seen `×` too.
        let unsure: [(usize, &[(char, f32)]); 2] = [
            (4, &[('<', 0.6), ('×', 0.3)]),
            (9, &[('>', 0.6), ('×', 0.3)]),
        ];
        let mut size = test_line("6419<2385>2347mm", 0.185, 0.44);
        let passengers = test_line("定载人数5人", 0.185 - 4.0 * 0.02, 0.2);
        let lines = |size: &TextLine| [size.clone(), passengers.clone()];
        assert!(
            back_value_anchors(&lines(&size)).is_empty(),
            "one value only"
        );
        size.lattices = vec![test_lattice("6419<2385>2347mm", &unsure)];
        let anchors = back_value_anchors(&lines(&size));
        assert_eq!(anchors.len(), 2, "{anchors:?}");
        assert_eq!(passengers_start("核定载人数34人"), Some(5));
        assert_eq!(passengers_start("2+3人"), Some(0));
        assert_eq!(passengers_start("所有人"), None);
        assert_eq!(passengers_start("+5人"), None);
    }

    #[test]
    fn a_main_page_whose_labels_were_not_read_is_placed_by_its_values() {
        // Only one label read (车辆识别代号), every value where the printer put it.
        let lines = [
            test_line("京A12345", 0.165, 0.2),
            test_line("小型轿车", 0.6, 0.2),
            test_line("王京", 0.165, 0.32),
            test_line("哈弗牌CC6460", 0.505, 0.56),
            test_line("车辆识别代号", 0.27, 0.68),
            test_line("LSGHKYW17MC615150", 0.465, 0.68),
            test_line("2019-02-06", 0.395, 0.91),
            test_line("2019-05-05", 0.755, 0.91),
        ];
        let fields = crate::read_front(&lines);
        assert_eq!(fields.labels_found, 1);
        assert_eq!(fields.value_anchors, 5, "{fields:?}");
        let text = |f: FrontField| fields.get(f).map(|v| v.text.clone()).unwrap_or_default();
        assert_eq!(text(FrontField::Number), "京A12345");
        assert_eq!(text(FrontField::VehicleType), "小型轿车");
        assert_eq!(text(FrontField::Name), "王京");
        assert_eq!(text(FrontField::Vin), "LSGHKYW17MC615150");
        assert_eq!(text(FrontField::RegisterDate), "2019-02-06");
        assert_eq!(text(FrontField::IssueDate), "2019-05-05");
        // With three labels read, the labels alone place the card.
        let mut labelled = lines.to_vec();
        labelled.push(test_line("号牌号码", 0.03, 0.2));
        labelled.push(test_line("所有人", 0.03, 0.32));
        assert_eq!(crate::read_front(&labelled).value_anchors, 0);
    }

    #[test]
    fn a_vin_failing_its_check_digit_still_places_the_card_by_its_shape() {
        // `LFVBWM...` misread `LFV3WN...`: the check digit fails, the place does not change.
        assert!(is_vin("LFV3WN7Y6CV191143"));
        assert!(!normalize(FrontField::Vin, "LFV3WN7Y6CV191143").valid);
        // Not a VIN's shape: letters at its end, a letter it leaves out, digits alone.
        assert!(!is_vin("LFV3WN7Y6CV19114A"));
        assert!(!is_vin("LFV3WN7Y6CVI91143"));
        assert!(!is_vin("12345678901234567"));
    }

    #[test]
    fn one_value_places_a_card_whose_main_page_labels_were_read() {
        // A blurred card: the title and two labels read, one VIN behind a misread mark and a
        // space, the dates unreadable.
        let lines = [
            test_line("中华人民共和国机动车行驶证", 0.3, 0.08),
            test_line("使用性质", 0.03, 0.56),
            test_line("品牌型号", 0.37, 0.56),
            test_line("代9 LSGHKYW17MC615150", 0.465 - 30.0 / 880.0, 0.68),
        ];
        let hits = |lines: &[TextLine]| find_labels(lines, &FRONT_LABELS);
        assert_eq!(main_page_labels(&hits(&lines)), 3);
        assert_eq!(value_anchors(&lines, 3).len(), 1);
        let fields = crate::read_front(&lines);
        assert_eq!((fields.labels_found, fields.value_anchors), (2, 1));
        assert!(fields.title_found);
        assert_eq!(fields.landmarks(), 4);
        let vin = fields.get(FrontField::Vin).map(|v| v.text.as_str());
        assert_eq!(vin, Some("LSGHKYW17MC615150"));
        // Without a main page's label, one value is not enough; `号牌号码` is on a back page too.
        assert!(value_anchors(&lines[3..], 0).is_empty());
        assert_eq!(
            main_page_labels(&hits(&[test_line("号牌号码", 0.03, 0.2)])),
            0
        );
    }

    #[test]
    fn a_plate_alone_places_nothing() {
        let lines = [
            test_line("京A12345", 0.165, 0.2),
            test_line("2019-05-05", 0.755, 0.91),
            test_line("检验有效期至2021年06月", 0.1, 0.5),
        ];
        assert!(value_anchors(&lines, 0).is_empty());
    }
}
