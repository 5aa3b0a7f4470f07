//! Cleaning raw readings into each field's canonical form (`shared/docs/fields.md`).
//!
//! A field's grammar is used to choose between characters the recognizer confuses (0/O/D/Q,
//! 1/I, 8/B, 5/S, 2/Z), not to invent a value: a reading that fails its grammar is returned as
//! read, with `valid` false. Characters are restored only where the grammar or a closed
//! vocabulary leaves one choice: a year that lost its first digit under the label (`011-04-11`
//! can only be 2011), the vehicle types and use characters, the seal's ending and place (see
//! `seal`). Plates and dates have their own modules.

use crate::date::date;
use crate::grammar::Grammars;
use crate::labels::{best_substring_distance, FRONT_LABELS};
use crate::FrontField;
use crate::{seal, vin};

pub(crate) use crate::plate::{is_province, plate};

pub use crate::text::{fold, is_cjk, Normalized};
pub use crate::vin::check_digit;

/// Whether `text`, a use character, is the end of a longer one (`营运` of `非营运`, `出租客运` of
/// `预约出租客运`): its start may have been lost under the label's ink.
pub fn is_end_of_longer_use_character(text: &str) -> bool {
    Grammars::get()
        .lexicon("use_characters")
        .words()
        .any(|u| u.len() > text.len() && u.ends_with(text))
}

/// Cleans `raw` as a value of `field`.
pub fn normalize(field: FrontField, raw: &str) -> Normalized {
    let text = fold(raw);
    match field {
        FrontField::Number => plate(&text),
        FrontField::Vin => vin::vin(&text),
        FrontField::RegisterDate | FrontField::IssueDate => date(&text),
        // `箱式` is the common spelling of the vocabulary's `厢式` (the same sound and sense).
        FrontField::VehicleType => snap(&text.replace('箱', "厢"), "vehicle_types"),
        FrontField::UseCharacter => snap(&text, "use_characters"),
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
        FrontField::Name => chinese_value(crate::names::without_leading_label(&text)),
        FrontField::Address => address(&text),
    }
}

/// The vocabulary entry that `text` spells with at most one slip, allowing for stray
/// characters around it (a neighbouring label's text that the detector joined to the value);
/// `text` as read when none does.
fn snap(text: &str, vocabulary: &str) -> Normalized {
    let chars: Vec<char> = text.chars().collect();
    let mut ranked: Vec<(usize, std::cmp::Reverse<usize>, &str)> = Grammars::get()
        .lexicon(vocabulary)
        .words()
        .map(|v| {
            let word: Vec<char> = v.chars().collect();
            // Prefer the closest entry, then the longest (小型普通客车 over 普通客车-like overlaps).
            (
                best_substring_distance(&word, &chars),
                std::cmp::Reverse(word.len()),
                v,
            )
        })
        .collect();
    ranked.sort();
    // Two entries as close and as long (`R型越野客车`: 大型, 中型, 小型...) leave no choice.
    let best = match ranked.as_slice() {
        [first, second, ..] if (first.0, first.1) == (second.0, second.1) => None,
        [first, ..] => Some(*first),
        [] => None,
    };
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
    let kept: Vec<char> = text
        .chars()
        .filter(|&c| is_cjk(c) || c.is_ascii_alphanumeric() || c == '-')
        .collect();
    // Capitals, but for a last small letter of a shape of its own (`SVW7165m`).
    let text: String = kept
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i + 1 == kept.len() && crate::text::is_distinct_small_letter(c) {
                c
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    let text = without_label_remnant(&text).to_owned();
    Normalized {
        valid: text.contains('牌'),
        text,
    }
}

/// The label's characters (`品牌型号`), which a model's line can start with when the label was
/// read into it in pieces (`牌页号本田牌HG2101`).
const MODEL_LABEL: &str = "品牌型号";

/// `model` from its listed brand on (`本田牌HG2101`) when what comes before the brand is
/// a remnant of the label or a stray Latin character (`牌页号本田牌...`, `9五菱牌...`): it holds
/// a character of the label, or a letter or digit. Anything else before a brand (an unlisted
/// brand that ends like a listed one) stays.
fn without_label_remnant(model: &str) -> &str {
    let Some(brand_part) = crate::brands::brand_of(model) else {
        return model;
    };
    let Some(brand) = crate::brands::listed()
        .filter(|b| brand_part.ends_with(*b))
        .max_by_key(|b| b.len())
    else {
        return model;
    };
    let before = &brand_part[..brand_part.len() - brand.len()];
    let remnant = before
        .chars()
        .any(|c| MODEL_LABEL.contains(c) || c.is_ascii_alphanumeric());
    if remnant {
        &model[before.len()..]
    } else {
        model
    }
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

/// [`normalize`]'s text and validity, for the tests of the field grammars.
#[cfg(test)]
pub(crate) fn normalized(field: FrontField, raw: &str) -> (String, bool) {
    let v = normalize(field, raw);
    (v.text, v.valid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use normalized as n;

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
    fn traditional_characters_are_read_as_the_simplified_ones_printed() {
        assert_eq!(n(FrontField::Name, "廖強静"), ("廖强静".into(), true));
        assert_eq!(
            n(FrontField::Model, "奧迪牌FV57823F"),
            ("奥迪牌FV57823F".into(), true)
        );
        assert_eq!(n(FrontField::Name, "乾隆"), ("乾隆".into(), true));
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
        // Pieces of the label, or a stray digit, before a listed brand.
        assert_eq!(
            n(FrontField::Model, "牌页号本田牌HG2101"),
            ("本田牌HG2101".into(), true)
        );
        assert_eq!(
            n(FrontField::Model, "9五菱牌LZW32530K"),
            ("五菱牌LZW32530K".into(), true)
        );
        // A listed brand that ends like another, an unlisted brand that ends like a listed one,
        // and a model without a listed brand stay.
        assert_eq!(
            n(FrontField::Model, "东风本田牌HG2101"),
            ("东风本田牌HG2101".into(), true)
        );
        assert_eq!(
            n(FrontField::Model, "新源大众牌XY2101"),
            ("新源大众牌XY2101".into(), true)
        );
        assert_eq!(
            n(FrontField::Model, "号码牌XY2101"),
            ("号码牌XY2101".into(), true)
        );
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
            n(FrontField::VehicleType, "轻型箱式货车"),
            ("轻型厢式货车".into(), true)
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
