//! Plates (号牌号码) of GA 36: their form, and cleaning a reading into one.

use crate::text::Normalized;

/// Plate prefixes: the provinces' one-character abbreviations.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";

/// Whether `c` is a province's abbreviation, as plates begin.
pub(crate) fn is_province(c: char) -> bool {
    PROVINCES.contains(c)
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
    // Each sign as read (plates are printed in capitals: a small letter is another word's).
    let mut read: Vec<char> = out.chars().collect();
    for c in chars {
        let pushed = match c.to_ascii_uppercase() {
            'O' => Some('0'),
            'I' => Some('1'),
            c if c.is_ascii_alphanumeric() => Some(c),
            '挂' | '学' | '警' | '港' | '澳' => Some(c),
            _ => None,
        };
        if let Some(sign) = pushed {
            out.push(sign);
            read.push(c);
        }
    }
    let chars: Vec<char> = out.chars().collect();
    if is_plate(&chars) {
        // A last sign read as a small letter is as likely a word's as the plate's.
        return Normalized {
            valid: !read.last().is_some_and(char::is_ascii_lowercase),
            text: out,
        };
    }
    // Marks read after the plate (the dotted line, the English title the value was printed
    // over: `京D28880SP`) are dropped when exactly one shorter reading is a plate. Where the
    // plate's last sign or the one after it was read as a small letter, the plate ran into the
    // title's words (`新A3L45cle License`: the `W` read as the `c` of `Vehicle`; `豫A2588License`,
    // `闽A4J959cense`: the title's `Li` taken for the plate's last signs), and the plate is left
    // unsure, for its row to be read again.
    let mut shorter = (7..chars.len()).filter(|&len| is_plate(&chars[..len]));
    match (shorter.next(), shorter.next()) {
        (Some(len), None) => Normalized {
            valid: !read[len - 1].is_ascii_lowercase() && !read[len].is_ascii_lowercase(),
            text: chars[..len].iter().collect(),
        },
        _ => Normalized {
            valid: false,
            text: out,
        },
    }
}

/// Whether `text`, a normalized plate, has a plate's shape (see `is_plate`), though its reading
/// may have left it unsure.
pub fn is_plate_shaped(text: &str) -> bool {
    is_plate(&text.chars().collect::<Vec<_>>())
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

#[cfg(test)]
mod tests {
    use crate::normalize::normalized as n;
    use crate::FrontField;

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
        // Run into a word of the English title: the last sign may be the word's.
        assert_eq!(
            n(FrontField::Number, "新A3L45cleLicenseofthe"),
            ("新A3L45C".into(), false)
        );
        assert_eq!(
            n(FrontField::Number, "豫A2588License of"),
            ("豫A2588L".into(), false)
        );
        assert_eq!(
            n(FrontField::Number, "京A12345License"),
            ("京A12345".into(), true)
        );
        assert_eq!(
            n(FrontField::Number, "皖AB8091ense"),
            ("皖AB8091".into(), false)
        );
        assert_eq!(
            n(FrontField::Number, "皖aB809r"),
            ("皖AB809R".into(), false)
        );
        assert_eq!(n(FrontField::Number, "皖aB8091"), ("皖AB8091".into(), true));
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
}
