//! Cleaning raw readings into each field's canonical form (`shared/docs/fields.md`).
//!
//! A field's grammar is used to choose between characters the recognizer confuses (0/O/D/Q,
//! 1/I, 8/B, 5/S, 2/Z), never to invent or rewrite a value: a reading that fails its grammar
//! is returned as read, with `valid` false.

use crate::labels::{best_substring_distance, FRONT_LABELS};
use crate::FrontField;
use crate::{seal, vin};

pub use crate::vin::check_digit;

/// A cleaned value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The canonical text.
    pub text: String,
    /// Whether the text fits the field's grammar.
    pub valid: bool,
}

/// Plate prefixes: the provinces' one-character abbreviations.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";

/// Whether `c` is a province's abbreviation, as plates begin.
pub(crate) fn is_province(c: char) -> bool {
    PROVINCES.contains(c)
}

/// Vehicle types printed on cards (GA 802), the common part of the vocabulary.
const VEHICLE_TYPES: &[&str] = &[
    "大型普通客车",
    "大型双层客车",
    "大型卧铺客车",
    "大型铰接客车",
    "大型越野客车",
    "大型轿车",
    "大型专用客车",
    "大型专用校车",
    "中型普通客车",
    "中型双层客车",
    "中型卧铺客车",
    "中型越野客车",
    "中型轿车",
    "中型专用客车",
    "中型专用校车",
    "小型普通客车",
    "小型越野客车",
    "小型轿车",
    "小型专用客车",
    "小型专用校车",
    "小型面包车",
    "微型普通客车",
    "微型越野客车",
    "微型轿车",
    "微型面包车",
    "重型普通货车",
    "重型厢式货车",
    "重型封闭货车",
    "重型罐式货车",
    "重型平板货车",
    "重型集装厢车",
    "重型自卸货车",
    "重型特殊结构货车",
    "重型仓栅式货车",
    "中型普通货车",
    "中型厢式货车",
    "中型封闭货车",
    "中型罐式货车",
    "中型平板货车",
    "中型自卸货车",
    "中型仓栅式货车",
    "轻型普通货车",
    "轻型厢式货车",
    "轻型封闭货车",
    "轻型罐式货车",
    "轻型平板货车",
    "轻型自卸货车",
    "轻型特殊结构货车",
    "轻型仓栅式货车",
    "微型普通货车",
    "微型厢式货车",
    "微型封闭货车",
    "微型自卸货车",
    "重型半挂牵引车",
    "重型全挂牵引车",
    "中型半挂牵引车",
    "轻型半挂牵引车",
    "普通二轮摩托车",
    "轻便二轮摩托车",
    "普通正三轮摩托车",
    "三轮汽车",
    "无轨电车",
];

/// Use characters (使用性质).
const USE_CHARACTERS: &[&str] = &[
    "非营运",
    "营运",
    "公路客运",
    "公交客运",
    "出租客运",
    "旅游客运",
    "货运",
    "租赁",
    "警用",
    "消防",
    "救护",
    "营转非",
    "出租转非",
    "教练",
    "幼儿校车",
    "小学生校车",
    "初中生校车",
    "危化品运输",
    "中小学生校车",
    "预约出租客运",
    "预约出租转非",
    "工程救险",
    "营业性",
    "非营业性",
];

/// Full-width ASCII to half-width, and whitespace removed (the NFKC folding that matters here).
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Cleans `raw` as a value of `field`.
pub fn normalize(field: FrontField, raw: &str) -> Normalized {
    let text = fold(raw);
    match field {
        FrontField::Number => plate(&text),
        FrontField::Vin => vin::vin(&text),
        FrontField::RegisterDate | FrontField::IssueDate => date(&text),
        FrontField::VehicleType => snap(&text, VEHICLE_TYPES),
        FrontField::UseCharacter => snap(&text, USE_CHARACTERS),
        FrontField::EngineNo => {
            let text: String = without_english_word(&text)
                .to_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '-'))
                .collect();
            Normalized {
                valid: !text.is_empty(),
                text,
            }
        }
        FrontField::Model => model(&text),
        FrontField::IssuingAuthority => seal::authority(&text),
        FrontField::Name => chinese_value(&text),
        FrontField::Address => address(&text),
    }
}

/// A plate: a province abbreviation, a letter, then five (or six, new-energy) letters or
/// digits, with an optional 挂/学/警 suffix. Letters I and O never occur on plates.
pub(crate) fn plate(text: &str) -> Normalized {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, '·' | '•' | '.' | '-' | '。'))
        .map(simplified_province)
        .collect();
    let start = cleaned
        .char_indices()
        .find(|(_, c)| PROVINCES.contains(*c))
        .map(|(i, _)| i);
    let Some(start) = start else {
        return Normalized {
            valid: false,
            text: cleaned.to_uppercase(),
        };
    };
    let mut chars = cleaned[start..].chars();
    let mut out = String::new();
    out.extend(chars.next());
    // The issuing-office letter: digits it is confused with become letters.
    if let Some(c) = chars.next() {
        out.push(match c.to_ascii_uppercase() {
            '0' => 'D',
            '8' => 'B',
            '5' => 'S',
            '2' => 'Z',
            '6' => 'G',
            other => other,
        });
    }
    for c in chars {
        match c.to_ascii_uppercase() {
            'O' => out.push('0'),
            'I' => out.push('1'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            '挂' | '学' | '警' | '港' | '澳' => out.push(c),
            _ => {}
        }
    }
    let chars: Vec<char> = out.chars().collect();
    if is_plate(&chars) {
        return Normalized {
            valid: true,
            text: out,
        };
    }
    // Marks read after the plate (the dotted line, the English title the value was printed
    // over: `京D28880SP`) are dropped when exactly one shorter reading is a plate.
    let mut shorter = (7..chars.len()).filter(|&len| is_plate(&chars[..len]));
    match (shorter.next(), shorter.next()) {
        (Some(len), None) => Normalized {
            valid: true,
            text: chars[..len].iter().collect(),
        },
        _ => Normalized {
            valid: false,
            text: out,
        },
    }
}

/// Whether `chars` is a plate of GA 36 (`shared/docs/domain.md` 3.2): a province, an office
/// letter, then five letters or digits with at most two letters; six for new-energy plates (a
/// new-energy letter first on small ones, last on large ones); or four and a suffix.
fn is_plate(chars: &[char]) -> bool {
    const NEW_ENERGY: &str = "DABCEFGHJK";
    let letter = |c: &char| c.is_ascii_uppercase() && !matches!(c, 'I' | 'O');
    let sign = |c: &char| letter(c) || c.is_ascii_digit();
    let [province, office, body @ ..] = chars else {
        return false;
    };
    if !PROVINCES.contains(*province) || !letter(office) {
        return false;
    }
    match body {
        [signs @ .., '挂' | '学' | '警' | '试' | '超' | '港' | '澳'] => {
            signs.len() == 4 && signs.iter().all(sign)
        }
        [first, second, rest @ ..] if body.len() == 6 && NEW_ENERGY.contains(*first) => {
            sign(second) && rest.iter().all(char::is_ascii_digit)
        }
        [digits @ .., last] if body.len() == 6 && NEW_ENERGY.contains(*last) => {
            digits.iter().all(char::is_ascii_digit)
        }
        _ => {
            body.len() == 5
                && body.iter().all(sign)
                && body.iter().filter(|c| letter(c)).count() <= 2
        }
    }
}

/// Plates print provinces in simplified characters; recognizers trained on both scripts
/// sometimes answer with the traditional form.
fn simplified_province(c: char) -> char {
    match c {
        '粵' => '粤',
        '滬' => '沪',
        '魯' => '鲁',
        '贛' => '赣',
        '蘇' => '苏',
        '遼' => '辽',
        '閩' => '闽',
        '貴' => '贵',
        '陝' => '陕',
        '寧' => '宁',
        '瓊' => '琼',
        '雲' => '云',
        '晉' => '晋',
        '黒' => '黑',
        other => other,
    }
}

/// Cleans `raw` as a value of `field`, with the recognizer's confidence in each of its
/// characters: [`normalize`], except that a VIN failing its check digit may have one of its
/// least sure characters exchanged for a look-alike (see [`crate::vin`]).
pub fn normalize_read(field: FrontField, raw: &str, confidences: &[f32]) -> Normalized {
    let normalized = normalize(field, raw);
    if field != FrontField::Vin || normalized.valid {
        return normalized;
    }
    crate::vin::vin_by_check_digit(raw, confidences).unwrap_or(normalized)
}

/// A date in any of `YYYY-MM-DD`, `YYYYMMDD`, `YYYY.MM.DD`, `YYYY年MM月DD日`, found anywhere in
/// the text (label remnants around it are ignored), as `YYYY-MM-DD`.
fn date(text: &str) -> Normalized {
    let chars: Vec<char> = text.chars().collect();
    let is_digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    // Letters that look like digits count as digits only between digits (`2O18`), so that a
    // label remnant before the date (`No2018`) is not read as part of the year.
    let digits_and_marks: Vec<char> = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            'O' | 'o' | 'D' if i > 0 && is_digit_at(i - 1) && is_digit_at(i + 1) => '0',
            'I' | 'l' if i > 0 && is_digit_at(i - 1) && is_digit_at(i + 1) => '1',
            c => c,
        })
        .collect();
    let mut groups: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in digits_and_marks {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    // The year: a plausible four-digit year ending a group (noise may precede it: `22008`).
    let year_of = |g: &String| {
        let year = g.get(g.len().saturating_sub(4)..)?;
        let value: u32 = year.parse().ok()?;
        (g.len() >= 4 && (1950..=2099).contains(&value)).then(|| year.to_owned())
    };
    let parts: Option<(String, String, String)> = groups
        .iter()
        .enumerate()
        .find_map(|(i, g)| {
            let year = year_of(g)?;
            Some((year, groups.get(i + 1)?.clone(), groups.get(i + 2)?.clone()))
        })
        .or_else(|| {
            let g = groups.iter().find(|g| g.len() == 8)?;
            Some((g[..4].to_owned(), g[4..6].to_owned(), g[6..].to_owned()))
        })
        .or_else(|| {
            // A value printed over the end of its label loses its first character under the
            // label's ink (`注册日期2011-04-11` read as `...011-04-11`). A year missing its
            // first digit has one completion in 1950..=2099: `0xx` is 20xx, `5xx`..`9xx` 19xx.
            let i = groups.iter().position(|g| g.len() == 3)?;
            let (month, day) = (groups.get(i + 1)?, groups.get(i + 2)?);
            let century = match groups[i].chars().next()? {
                '0' => '2',
                '5'..='9' => '1',
                _ => return None,
            };
            let short_parts = month.len() <= 2 && day.len() <= 2;
            short_parts.then(|| {
                (
                    format!("{century}{}", groups[i]),
                    month.clone(),
                    day.clone(),
                )
            })
        });
    match parts {
        Some((y, m, d)) => {
            // A longer day is the day and noise read after it (a dotted line, a seal's edge).
            let day_digits: String = d.chars().take(2).collect();
            // An `8` that makes a month or day impossible is a `0` with a smudge (`2021-84-02`,
            // `2021-11-87`): the grammar chooses between the two look-alikes.
            let number = |digits: &str, max: u32| {
                let value = digits.parse::<u32>().unwrap_or(0);
                if (1..=max).contains(&value) || !digits.contains('8') {
                    return value;
                }
                let zeroed = digits.replacen('8', "0", 1).parse::<u32>().unwrap_or(0);
                if (1..=max).contains(&zeroed) {
                    zeroed
                } else {
                    value
                }
            };
            let (month, day) = (number(&m, 12), number(&day_digits, 31));
            let valid = (1..=12).contains(&month)
                && (1..=31).contains(&day)
                && m.len() <= 2
                && d.len() <= 2;
            Normalized {
                valid,
                text: format!("{y}-{month:02}-{day:02}"),
            }
        }
        None => Normalized {
            valid: false,
            text: text.to_owned(),
        },
    }
}

/// The vocabulary entry that `text` spells with at most one slip, allowing for stray
/// characters around it (a neighbouring label's text that the detector joined to the value);
/// `text` as read when none does.
fn snap(text: &str, vocabulary: &[&str]) -> Normalized {
    let chars: Vec<char> = text.chars().collect();
    let best = vocabulary
        .iter()
        .map(|v| {
            let word: Vec<char> = v.chars().collect();
            // Prefer the closest entry, then the longest (小型普通客车 over 普通客车-like overlaps).
            (
                best_substring_distance(&word, &chars),
                std::cmp::Reverse(word.len()),
                *v,
            )
        })
        .min();
    match best {
        Some((d, _, word)) if d <= 1 => Normalized {
            valid: true,
            text: word.to_owned(),
        },
        _ => Normalized {
            valid: false,
            text: text.to_owned(),
        },
    }
}

/// `text` without a piece of an English sub-label at its end (`ASW83K8LDate`: the `Register
/// Date` below the engine number): a word of small letters, with its capital, that is part of a
/// sub-label. Engine numbers are sometimes read in small letters (`47cb521vl`), so only the
/// sub-labels' words are taken off.
fn without_english_word(text: &str) -> &str {
    let lower = text
        .chars()
        .rev()
        .take_while(char::is_ascii_lowercase)
        .count();
    let mut end = text.len() - lower;
    if text[..end].ends_with(|c: char| c.is_ascii_uppercase()) {
        end -= 1;
    }
    let word = text[end..].to_ascii_lowercase();
    let in_sub_label = FRONT_LABELS.iter().any(|l| {
        let english: String = l.english.chars().filter(|c| !c.is_whitespace()).collect();
        english.to_ascii_lowercase().contains(&word)
    });
    let rest = &text[..end];
    if lower >= 2
        && word.len() >= 3
        && in_sub_label
        && rest.chars().any(|c| c.is_ascii_alphanumeric())
    {
        rest
    } else {
        text
    }
}

/// An address. The label `住 址` is printed with a wide space inside it, and its second
/// character, found alone beside a wrapped address, joins the value's end (`...57号址`): no
/// address ends with `址`.
fn address(text: &str) -> Normalized {
    let value = chinese_value(text);
    match value.text.strip_suffix('址') {
        Some(rest) if value.valid && !rest.is_empty() => Normalized {
            valid: true,
            text: rest.to_owned(),
        },
        _ => value,
    }
}

/// A model: the brand in Chinese, `牌`, and a code of letters, digits and dashes. Marks read
/// from the dotted line after it are dropped. A dash before the brand is the brand's `一`
/// (`一汽大众`), the two being the same stroke: a model's code may hold dashes, its brand not.
fn model(text: &str) -> Normalized {
    let text = match text.strip_prefix(['-', '—', '_']) {
        Some(rest) if rest.starts_with(is_cjk) => format!("一{rest}"),
        _ => text.to_owned(),
    };
    let text: String = text
        .chars()
        .filter(|&c| is_cjk(c) || c.is_ascii_alphanumeric() || c == '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Normalized {
        valid: text.contains('牌'),
        text,
    }
}

/// Whether `c` is a CJK ideograph.
pub(crate) fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// A Chinese value (a name, an address) with leaked Latin text around it removed: the English
/// sub-labels and title are the only Latin text near those fields. Digits inside stay.
pub(crate) fn chinese_value(text: &str) -> Normalized {
    let chars: Vec<char> = text.chars().collect();
    let first = chars.iter().position(|&c| is_cjk(c));
    let last = chars
        .iter()
        .rposition(|&c| is_cjk(c) || c.is_ascii_digit() || c == ')');
    match (first, last) {
        (Some(first), Some(last)) if first <= last => {
            let text: String = chars[first..=last].iter().collect();
            Normalized { valid: true, text }
        }
        _ => Normalized {
            valid: false,
            text: text.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(field: FrontField, raw: &str) -> (String, bool) {
        let v = normalize(field, raw);
        (v.text, v.valid)
    }

    #[test]
    fn marks_after_a_plate_are_dropped_when_one_shorter_reading_is_a_plate() {
        assert_eq!(
            n(FrontField::Number, "京D28880SP"),
            ("京D28880".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "渝A8CB480"),
            ("渝A8CB48".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "云A48J02VALUC1E"),
            ("云A48J02".into(), true)
        );
        // Five or six signs could both be a plate: left as read.
        assert_eq!(
            n(FrontField::Number, "京AD12345X"),
            ("京AD12345X".into(), false)
        );
        // Three letters in five signs is no plate, nor is six signs without a new-energy
        // letter (its first five are).
        assert!(!n(FrontField::Number, "京ABCD12").1);
        assert_eq!(
            n(FrontField::Number, "京A123456"),
            ("京A12345".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "辽D46234F"),
            ("辽D46234F".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "粤E0000挂"),
            ("粤E0000挂".into(), true)
        );
    }

    #[test]
    fn an_english_word_after_an_engine_number_is_a_sub_label() {
        assert_eq!(
            n(FrontField::EngineNo, "ASW83K8LDate"),
            ("ASW83K8L".into(), true)
        );
        // One small letter is a misread capital, and a word alone is kept as read.
        assert_eq!(
            n(FrontField::EngineNo, "7H1UK04c"),
            ("7H1UK04C".into(), true)
        );
        assert_eq!(n(FrontField::EngineNo, "Date"), ("DATE".into(), true));
    }

    #[test]
    fn an_address_loses_its_labels_second_character_and_a_brand_its_dash() {
        assert_eq!(
            n(FrontField::Address, "安徽省合肥市蜀山区文化路57号址"),
            ("安徽省合肥市蜀山区文化路57号".into(), true)
        );
        assert_eq!(n(FrontField::Address, "址"), ("址".into(), true));
        assert_eq!(
            n(FrontField::Model, "-汽大众牌FV6607"),
            ("一汽大众牌FV6607".into(), true)
        );
        assert_eq!(
            n(FrontField::Model, "哈弗牌CC-6607"),
            ("哈弗牌CC-6607".into(), true)
        );
    }

    #[test]
    fn plates() {
        assert_eq!(n(FrontField::Number, "京AA5599"), ("京AA5599".into(), true));
        assert_eq!(
            n(FrontField::Number, "号码京A·O1234"),
            ("京A01234".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "粤BD12345"),
            ("粤BD12345".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "粤８12345"),
            ("粤B12345".into(), true)
        );
        assert_eq!(n(FrontField::Number, "粵B85986"), ("粤B85986".into(), true));
        assert!(!n(FrontField::Number, "ABC").1);
    }

    #[test]
    fn an_impossible_month_or_day_with_an_8_reads_it_as_0() {
        assert_eq!(
            n(FrontField::RegisterDate, "2021-84-02"),
            ("2021-04-02".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "2021-11-87"),
            ("2021-11-07".into(), true)
        );
        // Possible as read: kept.
        assert_eq!(
            n(FrontField::RegisterDate, "2021-08-18"),
            ("2021-08-18".into(), true)
        );
        // Impossible without an 8 to blame: as read, invalid.
        assert_eq!(
            n(FrontField::RegisterDate, "2021-11-99"),
            ("2021-11-99".into(), false)
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            n(FrontField::RegisterDate, "22008-04-06"),
            ("2008-04-06".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "No2023-03-26"),
            ("2023-03-26".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "2O23-03-26"),
            ("2023-03-26".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "2018-06-14"),
            ("2018-06-14".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "注册日期2018.6.14"),
            ("2018-06-14".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "发证2013-06-18"),
            ("2013-06-18".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "20130618"),
            ("2013-06-18".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "2013年06月18日"),
            ("2013-06-18".into(), true)
        );
        assert!(!n(FrontField::IssueDate, "2013-13-18").1);
    }

    #[test]
    fn a_year_that_lost_its_first_digit_under_the_label_has_one_completion() {
        assert_eq!(
            n(FrontField::RegisterDate, "011-04-11"),
            ("2011-04-11".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "RegisterDa021-08-19"),
            ("2021-08-19".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "998-12-01"),
            ("1998-12-01".into(), true)
        );
        // No year of 1950..=2099 ends in `1xx` with one digit before it: left as read.
        assert!(!n(FrontField::IssueDate, "123-12-01").1);
        // Only a year of three digits followed by a month and a day is completed.
        assert!(!n(FrontField::IssueDate, "011-0412").1);
    }

    #[test]
    fn vocabularies_snap_within_one_edit() {
        assert_eq!(
            n(FrontField::VehicleType, "小型桥车"),
            ("小型轿车".into(), true)
        );
        assert_eq!(n(FrontField::UseCharacter, "非营"), ("非营运".into(), true));
        assert_eq!(
            n(FrontField::UseCharacter, "械公路客诺"),
            ("公路客运".into(), true)
        );
        assert_eq!(
            n(
                FrontField::VehicleType,
                "People'sRepublicofChina轻型厢式货车"
            ),
            ("轻型厢式货车".into(), true)
        );
        assert_eq!(
            n(FrontField::VehicleType, "小型轿车"),
            ("小型轿车".into(), true)
        );
        assert_eq!(
            n(FrontField::UseCharacter, "某某某某"),
            ("某某某某".into(), false)
        );
    }

    #[test]
    fn others() {
        assert_eq!(
            n(FrontField::EngineNo, "47cb 521vl"),
            ("47CB521VL".into(), true)
        );
        assert_eq!(
            n(FrontField::Model, "讴歌牌 GHA7150JAD5B"),
            ("讴歌牌GHA7150JAD5B".into(), true)
        );
        assert_eq!(
            n(FrontField::IssuingAuthority, "上海市公安局交通警寨总队"),
            ("上海市公安局交通警察总队".into(), true)
        );
        assert_eq!(fold("ＡＢ１ ２"), "AB12");
        assert_eq!(
            n(FrontField::Name, "VadociaProw龙磊"),
            ("龙磊".into(), true)
        );
        assert_eq!(
            n(FrontField::Address, "北京市朝阳区幸福路8号Address"),
            ("北京市朝阳区幸福路8号".into(), true)
        );
        assert!(!n(FrontField::Name, "Owner").1);
        assert_eq!(
            n(FrontField::Model, "吉利牌MR64064021…"),
            ("吉利牌MR64064021".into(), true)
        );
        assert_eq!(
            n(
                FrontField::IssuingAuthority,
                "UiseCH山东省济南市公安局交Fugize通警察支队"
            ),
            ("山东省济南市公安局交通警察支队".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "2024-08-120"),
            ("2024-08-12".into(), false)
        );
    }
}
