//! The red seal's text, the issuing authority: a province or city, then one of a few fixed
//! endings (`shared/docs/domain.md` 3.13).

use crate::address::province_agreeing;
use crate::labels::{edit_distance, FrontField, FRONT_LABELS};
use crate::normalize::{self, is_cjk, is_province, Normalized};
use crate::places::{seal_places, SealPlace};
use crate::FrontFields;

/// The seal's text: a traffic-police authority's name. Seal lines are Chinese only, so Latin
/// letters, digits and marks in them leaked in from the neighbouring labels and are dropped.
pub(crate) fn authority(text: &str) -> Normalized {
    let text: String = text
        .replace('寨', "察")
        .chars()
        .filter(|&c| is_cjk(c))
        .collect();
    let text = without_label_pieces(&text);
    // A seal stamped over the labels beside it picks up their characters at its ends (`车`,
    // `发`, `注`): it starts with a province or city and ends with the authority's kind.
    let start = SEAL_STARTS
        .iter()
        .filter_map(|p| text.find(p))
        .min()
        .unwrap_or(0);
    let text = &text[start..];
    if let Some(snapped) = snap_seal_ending(text) {
        return Normalized {
            valid: SEAL_STARTS.iter().any(|p| snapped.starts_with(p)),
            text: snapped,
        };
    }
    let end = ["支队", "总队", "大队", "局", "厅"]
        .iter()
        .filter_map(|s| text.rfind(s).map(|i| i + s.len()))
        .max()
        // At most two stray characters after the end; more is text of the seal itself.
        .filter(|&end| text[end..].chars().count() <= 2);
    Normalized {
        valid: end.is_some(),
        text: text[..end.unwrap_or(text.len())].to_owned(),
    }
}

/// The seal with any three or more characters of a main-page label taken out: a seal stamped
/// over the labels is read with their characters inside it (`公安局交递动机号码警察支队`), and no
/// authority's name holds a piece of a label.
fn without_label_pieces(text: &str) -> String {
    let mut text = text.to_owned();
    for label in FRONT_LABELS.iter().filter(|l| l.field.is_some()) {
        let chars: Vec<char> = label.chinese.chars().collect();
        // Longest pieces first, so that `动机号码` goes whole rather than as `动机号`.
        for len in (3..=chars.len()).rev() {
            for piece in chars.windows(len) {
                let piece: String = piece.iter().collect();
                text = text.replace(&piece, "");
            }
        }
    }
    text
}

/// Makes the owner's address start with a province (see `province_agreeing`), and the seal's
/// place names agree with the places a seal can name (`crate::places`): the place read before
/// the seal's fixed ending is replaced by the closest place when that one is within a slip per
/// four characters (one more when it is the place the plate was issued by, or the place the
/// address starts with: owners register where they live) and no other place is as close. A seal's place is a closed vocabulary, and the city behind
/// the plate is a second witness: `西壮族自治区南宁市` with plate `桂A...` is
/// `广西壮族自治区南宁市`, and `东省深圳市` is `广东省深圳市` even with the plate masked (Shenzhen
/// is only in Guangdong). A seal with no fixed ending, or nothing before it, is left alone.
///
/// Then the plate: a plate whose first character is no province (`林A1399挂`, `1A0149挂`: the
/// province's strokes are the finest on the card) takes the province of the seal's place when
/// the rest of it is a plate and its office letter is the one that place's plates carry. The
/// authority that issued the card issued the plate.
pub fn agree_seal_and_plate(fields: &mut FrontFields) {
    if let Some((_, address)) = fields
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::Address)
    {
        if let Some(corrected) = province_agreeing(&address.text) {
            address.text = corrected;
        }
    }
    let text_of = |field| {
        fields
            .get(field)
            .map(|v: &crate::FieldValue| v.text.clone())
            .unwrap_or_default()
    };
    let (plate, address) = (text_of(FrontField::Number), text_of(FrontField::Address));
    let Some((_, seal)) = fields
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::IssuingAuthority)
    else {
        return;
    };
    if let Some(corrected) = place_agreeing(&seal.text, &plate, &address) {
        seal.text = corrected;
    }
    let Some(place) = place_of(&seal.text) else {
        return;
    };
    let prefix = place.plate_prefix.clone();
    // The owner's address in the seal's province is a second witness against the plate's own
    // province.
    let witnessed = address.starts_with(place.province);
    let Some((_, plate)) = fields
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::Number)
    else {
        return;
    };
    if let Some(corrected) = province_from_seal(&plate.text, &prefix, witnessed) {
        plate.text = corrected;
        plate.valid = true;
    }
}

/// The place a seal names (with its plate prefix: `粤B` for `广东省深圳市公安局交通警察支队`,
/// `京` for Beijing's), when it names one exactly.
fn place_of(seal: &str) -> Option<&'static SealPlace> {
    let ending = SEAL_ENDINGS
        .iter()
        .filter(|e| seal.ends_with(*e))
        .max_by_key(|e| e.len())?;
    let place = &seal[..seal.len() - ending.len()];
    seal_places().iter().find(|p| p.name == place)
}

/// `plate` with the province of `prefix` in place of its first character, when the result is
/// a plate whose office letter agrees with `prefix`: a first character that is no province, or
/// another province when `witnessed` (the owner's address is in the seal's province too).
fn province_from_seal(plate: &str, prefix: &str, witnessed: bool) -> Option<String> {
    let mut wanted = prefix.chars();
    let province = wanted.next()?;
    let office = wanted.next();
    let chars: Vec<char> = plate.chars().collect();
    let first = *chars.first()?;
    if first == province || (is_province(first) && !witnessed) {
        return None;
    }
    // The province's glyph read as one character, or as two letters (`JRA96Z04` for `陕A96Z04`).
    let two_letters = chars.len() > 2 && chars[..2].iter().all(char::is_ascii_uppercase);
    let cuts: &[usize] = if two_letters { &[1, 2] } else { &[1] };
    cuts.iter().find_map(|&cut| {
        let rest: String = chars[cut..].iter().collect();
        // The office letter after the grammar's look-alike exchange (`M873E89`: `8` is `B`).
        let candidate = normalize::plate(&format!("{province}{rest}"));
        let office_agrees =
            office.is_none_or(|letter| candidate.text.chars().nth(1) == Some(letter));
        (candidate.valid
            && office_agrees
            && candidate.text.chars().count() == chars.len() + 1 - cut)
            .then_some(candidate.text)
    })
}

/// The seal `text` with its place names made to agree (see [`agree_with_places`]), or `None`
/// when they already do or no place is close enough.
fn place_agreeing(text: &str, plate: &str, address: &str) -> Option<String> {
    let ending = SEAL_ENDINGS
        .iter()
        .filter(|e| text.ends_with(*e))
        .max_by_key(|e| e.len())?;
    let read: Vec<char> = text[..text.len() - ending.len()].chars().collect();
    if read.is_empty() {
        return None;
    }
    // (slips, witnessed by the plate or the address, by the plate, the place's name)
    let mut scored: Vec<(usize, bool, bool, String)> = Vec::new();
    for place in seal_places() {
        let by_plate = !plate.is_empty() && plate.starts_with(&place.plate_prefix);
        let witnessed = by_plate || address.starts_with(&place.name);
        let name = place.name.clone();
        scored.push((distance(&read, &name), witnessed, by_plate, name));
        // `杭州市公安局...`: the province left out.
        if let Some((_, city)) = place.name.split_once(['省', '区']) {
            if !city.is_empty() {
                scored.push((distance(&read, city), witnessed, by_plate, city.to_owned()));
            }
        }
    }
    let best = scored.iter().map(|(d, _, _, _)| *d).min()?;
    if best == 0 {
        return None;
    }
    let closest: Vec<&(usize, bool, bool, String)> =
        scored.iter().filter(|(d, _, _, _)| *d == best).collect();
    let chosen = match closest.as_slice() {
        [one] => *one,
        several => {
            let mut witnessed = several.iter().filter(|(_, witnessed, _, _)| *witnessed);
            match (witnessed.next(), witnessed.next()) {
                (Some(one), None) => *one,
                _ => return None,
            }
        }
    };
    let (slips, witnessed, by_plate, name) = chosen;
    let length = name.chars().count();
    let mut allowed = (length / 4).max(1) + usize::from(*witnessed);
    // The closest place is the one the plate was issued by: the authority that issued the card
    // issued the plate, so half of the name may be misread (`区北族口治区南宁市` with `桂A...`).
    if *by_plate {
        allowed = allowed.max(length / 2);
    }
    (*slips <= allowed).then(|| format!("{name}{ending}"))
}

fn distance(read: &[char], name: &str) -> usize {
    let name: Vec<char> = name.chars().collect();
    edit_distance(read, &name)
}

/// The fixed endings of issuing authorities' names (`shared/docs/domain.md` 3.13): what
/// follows the province and city is one of these.
const SEAL_ENDINGS: &[&str] = &[
    "公安局交通警察支队",
    "公安局交通警察总队",
    "公安局交通管理局",
    "公安局交通管理支队",
    "公安局公安交通管理局",
    "公安局交通巡逻警察总队",
    "公安厅交通警察总队",
    "分局交通警察大队",
];

/// A seal whose fixed ending was read with a character dropped, added or changed
/// (`公安局通警察支队`, `公安局交通发管理局`: a label's character stamped over): the ending as
/// printed, after the place names as read, with at most four stray characters after it dropped
/// (label remnants such as `注册`). The ending is a closed vocabulary, like the vehicle types;
/// the place names before it are never changed. `None` when no ending is within one slip (two
/// for endings of eight characters or more), or the reading already ends as printed.
fn snap_seal_ending(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut best: Option<(usize, usize, usize, &str)> = None; // (slips, start, end, ending)
    for ending in SEAL_ENDINGS {
        let wanted: Vec<char> = ending.chars().collect();
        let allowed = if wanted.len() >= 8 { 2 } else { 1 };
        let earliest = chars.len().saturating_sub(wanted.len() + 6);
        for start in earliest..chars.len() {
            let shortest = start + wanted.len().saturating_sub(allowed);
            let longest = (start + wanted.len() + allowed).min(chars.len());
            for end in shortest..=longest {
                if chars.len() - end > 4 {
                    continue;
                }
                let slips = edit_distance(&chars[start..end], &wanted);
                if slips > allowed {
                    continue;
                }
                let better = best.is_none_or(|(s, _, e, w)| {
                    (
                        slips,
                        std::cmp::Reverse(end),
                        std::cmp::Reverse(ending.len()),
                    ) < (s, std::cmp::Reverse(e), std::cmp::Reverse(w.len()))
                });
                if better {
                    best = Some((slips, start, end, ending));
                }
            }
        }
    }
    let Some((slips, start, end, ending)) = best else {
        return ending_by_its_tail(&chars);
    };
    if slips == 0 && end == chars.len() {
        return None;
    }
    let places: String = chars[..start].iter().collect();
    Some(places + ending)
}

/// A seal whose ending was blurred past [`snap_seal_ending`]'s tolerance but whose last two
/// characters (`支队`, `总队`, `理局`, `大队`) were read as printed (`公安母文性需察支队`): the
/// ending of that tail closest to as many characters before it, when at most half of them are
/// misread and no other ending is as close.
fn ending_by_its_tail(chars: &[char]) -> Option<String> {
    let mut ranked: Vec<(usize, usize, &str)> = SEAL_ENDINGS
        .iter()
        .filter_map(|ending| {
            let wanted: Vec<char> = ending.chars().collect();
            if chars.len() < wanted.len() || chars[chars.len() - 2..] != wanted[wanted.len() - 2..]
            {
                return None;
            }
            // The misread ending may have lost characters or gained some (a label's).
            let lengths = wanted.len().saturating_sub(2)..=(wanted.len() + 4).min(chars.len());
            let (slips, start) = lengths
                .map(|len| {
                    let start = chars.len() - len;
                    (edit_distance(&chars[start..], &wanted), start)
                })
                .min()?;
            (2 * slips <= wanted.len()).then_some((slips, start, *ending))
        })
        .collect();
    ranked.sort();
    match ranked.as_slice() {
        [(best, start, ending), rest @ ..] if rest.first().is_none_or(|(next, ..)| next > best) => {
            let places: String = chars[..*start].iter().collect();
            Some(places + ending)
        }
        _ => None,
    }
}

/// How issuing authorities' names start: the provinces and the municipalities.
const SEAL_STARTS: &[&str] = &[
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn n(raw: &str) -> (String, bool) {
        let v = authority(raw);
        (v.text, v.valid)
    }

    #[test]
    fn place_names_agree_with_the_places_a_seal_can_name() {
        let agree = |seal: &str, plate: &str| place_agreeing(seal, plate, "");
        // A lost first character, with the plate as witness and without it.
        assert_eq!(
            agree("西壮族自治区南宁市公安局交通警察支队", "桂A1399挂").as_deref(),
            Some("广西壮族自治区南宁市公安局交通警察支队")
        );
        assert_eq!(
            agree("东省深圳市公安局交通警察支队", "").as_deref(),
            Some("广东省深圳市公安局交通警察支队")
        );
        assert_eq!(
            agree("海南省海市公安局交通警察支队", "琼A12345").as_deref(),
            Some("海南省海口市公安局交通警察支队")
        );
        assert_eq!(
            agree("北京宵公安局公安交通管理局", "京D28880").as_deref(),
            Some("北京市公安局公安交通管理局")
        );
        // The province left out, as some seals print it.
        assert_eq!(agree("杭州市公安局交通警察支队", "浙A12345"), None);
        // Already a place: left alone, whatever the plate says.
        assert_eq!(agree("四川省成都市公安局交通警察支队", "粤B12345"), None);
        // Three slips in ten characters, no plate to vouch: left as read.
        assert_eq!(agree("宁夏闻族局治区泉川市公安局交通警察支队", ""), None);
        // Up to half of the name misread when it is the plate's place, and the closest.
        assert_eq!(
            agree("内索吉自治坚呼和莞湾市公安局交通管理支队", "蒙A12345").as_deref(),
            Some("内蒙古自治区呼和浩特市公安局交通管理支队")
        );
        assert_eq!(agree("内索吉自治坚呼和莞湾市公安局交通管理支队", ""), None);
        assert_eq!(
            agree("新疆经晋尔自治当膏不产市公安局交通警察支队", "新A12345"),
            None,
            "more than half misread"
        );
        // `东省` alone could be Guangdong or Shandong: left as read.
        assert_eq!(agree("东省公安厅交通警察总队", ""), None);
        // No fixed ending: nothing to split the place from.
        assert_eq!(agree("西壮族自治区南宁市公安局", "桂A1399挂"), None);
    }

    #[test]
    fn the_address_vouches_for_the_seal_and_the_seal_for_the_plate() {
        let value = |text: &str| crate::test_value(text, true);
        let read = |address: &str| {
            let mut fields = FrontFields {
                fields: vec![
                    (FrontField::Number, value("8ADU1678")),
                    (FrontField::Address, value(address)),
                    (
                        FrontField::IssuingAuthority,
                        value("江内省南口市公安局交通警察支队"),
                    ),
                ],
                ..FrontFields::default()
            };
            agree_seal_and_plate(&mut fields);
            [
                FrontField::Number,
                FrontField::Address,
                FrontField::IssuingAuthority,
            ]
            .map(|f| fields.get(f).map(|v| v.text.clone()).unwrap_or_default())
        };
        // Two slips in six characters: too many for the seal alone, not with the address.
        assert_eq!(
            read("江西省南昌市青山湖区新华路140号"),
            [
                "赣ADU1678",
                "江西省南昌市青山湖区新华路140号",
                "江西省南昌市公安局交通警察支队"
            ]
        );
        assert_eq!(
            read("北京市丰台区长江路2号"),
            [
                "8ADU1678",
                "北京市丰台区长江路2号",
                "江内省南口市公安局交通警察支队"
            ]
        );
        // The address's own province put right first.
        assert_eq!(
            read("江酉省南昌市青山湖区")[2],
            "江西省南昌市公安局交通警察支队"
        );
    }

    #[test]
    fn a_plate_takes_the_province_of_the_seal_when_its_own_is_no_province() {
        let seal = "广西壮族自治区南宁市公安局交通警察支队";
        let prefix = &place_of(seal).expect("Nanning").plate_prefix;
        assert_eq!(prefix, "桂A");
        assert_eq!(
            province_from_seal("林A1399挂", prefix, false).as_deref(),
            Some("桂A1399挂")
        );
        // A province, even another one, is kept: the card may be read wrong elsewhere.
        assert_eq!(province_from_seal("粤A1399挂", prefix, false), None);
        // Another office letter than the seal's city: not this authority's plate.
        assert_eq!(province_from_seal("林B1399挂", prefix, true), None);
        // Not a plate after the exchange either.
        assert_eq!(province_from_seal("林A13挂", prefix, true), None);
        assert_eq!(
            place_of("北京市公安局公安交通管理局").map(|p| p.plate_prefix.as_str()),
            Some("京")
        );
        assert_eq!(
            province_from_seal("1D28880", "京", false).as_deref(),
            Some("京D28880")
        );
        // The province read as two letters; the office letter as its look-alike digit.
        assert_eq!(
            province_from_seal("JRA96Z04", "陕A", false).as_deref(),
            Some("陕A96Z04")
        );
        assert_eq!(
            province_from_seal("M873E89", "粤B", false).as_deref(),
            Some("粤B73E89")
        );
    }

    #[test]
    fn another_province_gives_way_when_the_address_agrees_with_the_seal() {
        let read = |plate: &str, address: &str| {
            let mut fields = FrontFields::default();
            for (field, text) in [
                (FrontField::Number, plate),
                (FrontField::Address, address),
                (
                    FrontField::IssuingAuthority,
                    "海南省海口市公安局交通警察支队",
                ),
            ] {
                fields.fields.push((field, crate::test_value(text, true)));
            }
            agree_seal_and_plate(&mut fields);
            fields.get(FrontField::Number).map(|v| v.text.clone())
        };
        assert_eq!(
            read("京A67F48", "海南省海口市美兰区人民路242号").as_deref(),
            Some("琼A67F48")
        );
        // The owner living in another province: the plate's province is kept.
        assert_eq!(
            read("京A67F48", "北京市朝阳区人民路242号").as_deref(),
            Some("京A67F48")
        );
        // Another office letter than Haikou's: kept.
        assert_eq!(
            read("京B67F48", "海南省海口市美兰区人民路242号").as_deref(),
            Some("京B67F48")
        );
    }

    #[test]
    fn a_blurred_ending_is_known_by_its_tail() {
        assert_eq!(
            authority("青海省西宁市公安母文性需察支队").text,
            "青海省西宁市公安局交通警察支队"
        );
        // Characters stamped in among the ending's.
        assert_eq!(
            authority("湖南省长沙市公安局交欧镇号码通警察支队").text,
            "湖南省长沙市公安局交通警察支队"
        );
        // Too blurred: more than half of the ending misread.
        assert_eq!(
            authority("青海省西宁市母文性需支队").text,
            "青海省西宁市母文性需支队"
        );
    }

    #[test]
    fn label_pieces_inside_a_seal_are_taken_out() {
        assert_eq!(
            n("河北省石家庄市公安局交递动机号码警察支队"),
            ("河北省石家庄市公安局交通警察支队".into(), true)
        );
    }

    #[test]
    fn seals_lose_the_label_characters_at_their_ends() {
        assert_eq!(
            n("车广东省广州市公安局交通警察支队注"),
            ("广东省广州市公安局交通警察支队".into(), true)
        );
        assert_eq!(
            n("北京市公安局公安交通管理局"),
            ("北京市公安局公安交通管理局".into(), true)
        );
        // The fixed ending is snapped (the Huawei figure's seal); the place names are not.
        assert_eq!(
            n("东省深圳市公安局交警察支"),
            ("东省深圳市公安局交通警察支队".into(), false)
        );
        assert_eq!(
            n("天津市公安局交通发管理局"),
            ("天津市公安局交通管理局".into(), true)
        );
        assert_eq!(
            n("甘肃省兰州市公安局交通警察支队社册日耦"),
            ("甘肃省兰州市公安局交通警察支队".into(), true)
        );
        assert_eq!(
            n("北京市公安局公安交管理局"),
            ("北京市公安局公安交通管理局".into(), true)
        );
        // An ending of its own (Hohhot's), not another's with two slips.
        assert_eq!(
            n("内蒙古自治区呼和浩特市公安局交通管理支队"),
            ("内蒙古自治区呼和浩特市公安局交通管理支队".into(), true)
        );
        // Too far from any ending: as read.
        assert_eq!(
            n("北京商公安局公安交道管观只"),
            ("北京商公安局公安交道管观只".into(), false)
        );
    }
}
