//! The owner's address starts, as a rule, with its province and city (`shared/docs/domain.md`
//! 3.1). Province names are a closed vocabulary, and the city read after one tells which
//! province a misread one was: `潮南省长沙市` is `湖南省长沙市` (`河南省` is as close to `潮南省`,
//! but has no Changsha).

use crate::districts::DISTRICTS;
use crate::labels::edit_distance;
use crate::places::seal_places;
use crate::text::is_cjk;
use crate::Alternatives;

/// Least probability an alternative needs for an address's character to be taken from it.
const MIN_DISTRICT_PROBABILITY: f32 = 0.01;

/// Characters a house number (`25号`) follows in an address: a street's ending, or a village's,
/// a group's, a compound's.
const BEFORE_HOUSE_NUMBER: &str = "路街道巷弄里村组段期园苑庄屯院城坊湾口桥场";

/// Street endings a misread character before a house number may be taken for.
const STREET_ENDINGS: &str = "路街道巷";

/// `text` (a recognized line, with each character's likeliest `alternatives`) with an address's
/// parts put right where the grammar of addresses wants a character the recognizer read as
/// another but gave some weight: a district after a listed city (see
/// `district_by_alternatives`), a street's ending before a house number (`新华第25号` ->
/// `新华路25号`) and the `单` of a unit number (`4栋4准元` -> `4栋4单元`). `None` when nothing
/// changed.
pub fn address_by_alternatives(text: &str, alternatives: &[Alternatives]) -> Option<String> {
    // A line read surely throughout (no character with a second reading) has nothing to change.
    if alternatives.iter().all(|a| a.len() <= 1) {
        return None;
    }
    let city = city_by_alternatives(text, alternatives);
    let text = city.as_deref().unwrap_or(text);
    let district = district_by_alternatives(text, alternatives);
    let mut chars: Vec<char> = district.as_deref().unwrap_or(text).chars().collect();
    if alternatives.len() != chars.len() {
        return None;
    }
    let seen = |i: usize, wanted: &str| {
        alternatives[i]
            .iter()
            .filter(|&&(c, p)| wanted.contains(c) && p >= MIN_DISTRICT_PROBABILITY)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|&(c, _)| c)
    };
    let mut changed = city.is_some() || district.is_some();
    for i in 1..chars.len() {
        let digits = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let house_number = digits > 0 && chars.get(i + 1 + digits) == Some(&'号');
        if house_number
            && is_cjk(chars[i - 1])
            && is_cjk(chars[i])
            && !BEFORE_HOUSE_NUMBER.contains(chars[i])
        {
            if let Some(ending) = seen(i, STREET_ENDINGS) {
                chars[i] = ending;
                changed = true;
            }
        }
        let unit = chars[i - 1].is_ascii_digit()
            && chars.get(i + 1) == Some(&'元')
            && chars.get(i + 2).is_some_and(char::is_ascii_digit);
        if unit && chars[i] != '单' {
            if let Some(c) = seen(i, "单") {
                chars[i] = c;
                changed = true;
            }
        }
    }
    changed.then(|| chars.into_iter().collect())
}

/// `text` (a recognized line, with each character's likeliest `alternatives`) with the city
/// after a province read exactly put right where the recognizer misread it (`湖南省长纱市` ->
/// `长沙市`): the characters after the province spell one of its prefecture-level cities, with
/// its last character (`市`, `州`, `盟`, `区`) read as such, when each misread one is exchanged
/// for one of its alternatives and at most half of the name is misread. A county-level city
/// (not listed: `邵东市` beside `邵阳市`) is one character from a listed one only where the
/// recognizer also saw the listed one's character. A tie leaves the text alone. `None` when
/// nothing changed.
fn city_by_alternatives(text: &str, alternatives: &[Alternatives]) -> Option<String> {
    let mut chars: Vec<char> = text.chars().collect();
    if alternatives.len() != chars.len() {
        return None;
    }
    let places = seal_places();
    let province = places
        .iter()
        .filter(|p| p.name.len() > p.province.len())
        .map(|p| p.province)
        .find(|province| text.contains(province))?;
    let start = text[..text.find(province)? + province.len()]
        .chars()
        .count();
    let after = &chars[start..];
    let cities: Vec<Vec<char>> = places
        .iter()
        .filter(|p| p.province == province && p.name.len() > province.len())
        .map(|p| p.name[province.len()..].chars().collect())
        .collect();
    if cities.iter().any(|c| after.starts_with(c)) {
        return None;
    }
    let (_, city) = spelled_by_alternatives(
        after,
        &alternatives[start..],
        &cities,
        Spelling::AfterItsEnding,
        Leeway::HalfMisread,
    )?;
    chars[start..start + city.len()].copy_from_slice(city);
    Some(chars.into_iter().collect())
}

/// How much misreading [`spelled_by_alternatives`] forgives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leeway {
    /// At most half of the characters misread, each spelled by an alternative.
    HalfMisread,
    /// Any misread character spelled by an alternative, and one read unsure that none spells.
    OneUnseen,
}

/// How much of a name [`spelled_by_alternatives`] lets the alternatives spell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// The name's last character (`区`, `市`) must be read as such; the rest may be spelled.
    AfterItsEnding,
    /// Every character may be spelled.
    Whole,
}

/// The one name of `names` that `read` (with its characters' `alternatives`) starts with when
/// each misread character is exchanged for an alternative of at least
/// [`MIN_DISTRICT_PROBABILITY`], at least one and at most half of the characters `spelling`
/// allows being misread; with its score (1 per character read as the name's, the probability
/// of each alternative taken). `None` when none or several as likely do.
///
/// With [`Leeway::OneUnseen`], any number of characters may be spelled by their alternatives,
/// and one that the recognizer was unsure of ([`crate::read_unsure`]) may stand for the name's
/// character although no alternative spells it, when at least as many others were read or
/// spelled as the name's (`沈阳市电站区`, `站` seen as `姑`: `皇姑区`).
pub(crate) fn spelled_by_alternatives<'n>(
    read: &[char],
    alternatives: &[Alternatives],
    names: &'n [Vec<char>],
    spelling: Spelling,
    leeway: Leeway,
) -> Option<(f32, &'n Vec<char>)> {
    // (score, the name)
    let mut best: Option<(f32, &Vec<char>)> = None;
    let mut tied = false;
    for name in names {
        let Some(window) = read.get(..name.len()) else {
            continue;
        };
        let spelled_len = match spelling {
            Spelling::AfterItsEnding if window.last() != name.last() => continue,
            Spelling::AfterItsEnding => name.len() - 1,
            Spelling::Whole => name.len(),
        };
        let mut weight = 0.0;
        // Misread characters; those no alternative spells, read unsure; read surely as another.
        let (mut misread, mut unseen, mut surely_other) = (0, 0, false);
        for k in 0..spelled_len {
            if window[k] == name[k] {
                weight += 1.0;
                continue;
            }
            misread += 1;
            let spelled_by = alternatives[k]
                .iter()
                .find(|&&(c, p)| c == name[k] && p >= MIN_DISTRICT_PROBABILITY);
            match spelled_by {
                Some(&(_, p)) => weight += p,
                None if crate::read_unsure(&alternatives[k]) => unseen += 1,
                None => surely_other = true,
            }
        }
        let allowed = match leeway {
            Leeway::HalfMisread => unseen == 0 && 2 * misread <= spelled_len,
            Leeway::OneUnseen => unseen <= 1 && 2 * unseen <= spelled_len,
        };
        if misread == 0 || surely_other || !allowed {
            continue;
        }
        match best {
            Some((w, _)) if w == weight => tied = true,
            Some((w, _)) if w > weight => {}
            _ => {
                best = Some((weight, name));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied)
}

/// `text` (a recognized line, with each character's likeliest `alternatives`) with the district
/// after a listed city (see [`DISTRICTS`]) put right where the recognizer misread it: the
/// characters after the city, up to a `区` read as such, spell one of the city's districts when
/// each misread one is exchanged for one of its alternatives (`四川省成都市武候区` -> `武侯区`),
/// one of them at most read unsure with no alternative spelling it, if as many others were
/// read or spelled as the name's ([`Leeway::OneUnseen`]: `沈阳市电站区` -> `皇姑区`). A county
/// or a district that is not listed (its `县`, `市`, or no alternative spelling a listed one) is
/// left alone, as is a tie. `None` when nothing changed.
fn district_by_alternatives(text: &str, alternatives: &[Alternatives]) -> Option<String> {
    let mut chars: Vec<char> = text.chars().collect();
    if alternatives.len() != chars.len() {
        return None;
    }
    // The city alone: the province before it is often misread.
    let city_of = |place: &'static str| {
        place
            .split_once(['省', '区'])
            .map_or(place, |(_, city)| city)
    };
    let (city, districts) = DISTRICTS
        .iter()
        .map(|&(place, districts)| (city_of(place), districts))
        .find(|(city, _)| text.contains(city))?;
    let start = text[..text.find(city)? + city.len()].chars().count();
    let after = &chars[start..];
    let listed: Vec<Vec<char>> = districts
        .split_whitespace()
        .map(|d| d.chars().collect())
        .collect();
    if listed.iter().any(|d| after.starts_with(d)) {
        return None;
    }
    let (_, district) = spelled_by_alternatives(
        after,
        &alternatives[start..],
        &listed,
        Spelling::AfterItsEnding,
        Leeway::OneUnseen,
    )?;
    chars[start..start + district.len()].copy_from_slice(district);
    Some(chars.into_iter().collect())
}

/// `address` with a misread province put right, or `None` when it needs nothing or nothing is
/// sure: the address must go on with a prefecture's city read exactly, right after a province
/// read with at most a slip per three characters (at least one), and exactly one province must
/// be that close to it with that city. The city itself is not changed here: county-level cities,
/// which are not listed, can be a character away from a listed one (`city_by_alternatives`
/// changes one only where the recognizer saw the listed city's character).
pub(crate) fn province_agreeing(address: &str) -> Option<String> {
    let chars: Vec<char> = address.chars().collect();
    let read_right = seal_places()
        .iter()
        .any(|p| address.starts_with(p.province));
    if read_right {
        return None;
    }
    let mut closest: Option<(usize, &str, usize)> = None;
    let mut tied = false;
    for place in seal_places() {
        let city: Vec<char> = place.name[place.province.len()..].chars().collect();
        if city.is_empty() {
            continue;
        }
        let province: Vec<char> = place.province.chars().collect();
        let allowed = (province.len() / 3).max(1);
        let lengths = province.len().saturating_sub(1)..=province.len() + 2;
        for read_len in lengths {
            if chars.len() < read_len + city.len() || chars[read_len..read_len + city.len()] != city
            {
                continue;
            }
            // A stray character before the province (a speck, the label's end) is dropped; the
            // reading without it is preferred only when it has fewer slips.
            for stray in [0, 1] {
                if read_len < stray || read_len - stray > province.len() + 1 {
                    continue;
                }
                let slips = edit_distance(&chars[stray..read_len], &province);
                if (slips == 0 && stray == 0) || slips > allowed {
                    continue;
                }
                let cost = 2 * slips + stray;
                match closest {
                    Some((best, name, _)) if cost == best && name != place.province => tied = true,
                    Some((best, _, _)) if cost >= best => {}
                    _ => {
                        closest = Some((cost, place.province, read_len));
                        tied = false;
                    }
                }
            }
        }
    }
    let (_, province, read_len) = closest.filter(|_| !tied)?;
    let rest: String = chars[read_len..].iter().collect();
    Some(format!("{province}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_alternatives as alternatives;

    #[test]
    fn a_misread_district_of_a_listed_city_is_put_right_by_its_alternatives() {
        let read = "四川省成都市武候区幸福路251号";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(7, '侯', 0.2)])).as_deref(),
            Some("四川省成都市武侯区幸福路251号")
        );
        // Every character misread, each spelled by an alternative (海口: 美兰区).
        let read = "海南省海口市买沙区人民路242号";
        let alts = alternatives(read, &[(6, '美', 0.04), (7, '兰', 0.08)]);
        assert_eq!(
            district_by_alternatives(read, &alts).as_deref(),
            Some("海南省海口市美兰区人民路242号")
        );
        // One spelled, and one read unsure that no alternative spells (沈阳: only 皇姑区 has 姑).
        let read = "辽宁省沈阳市电站区友谊路107号";
        let mut alts = alternatives(read, &[(7, '姑', 0.2)]);
        alts[6] = vec![('电', 0.4), ('导', 0.1)];
        assert_eq!(
            district_by_alternatives(read, &alts).as_deref(),
            Some("辽宁省沈阳市皇姑区友谊路107号")
        );
        let read = "福建省福州市仑山区新华路25号";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(6, '仓', 0.05)])).as_deref(),
            Some("福建省福州市仓山区新华路25号")
        );
        // Municipalities too.
        let read = "北京市朝阳匡建国路1号";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(5, '区', 0.3)])),
            None,
            "the district's 区 must be read as such"
        );
    }

    #[test]
    fn a_misread_city_after_its_province_is_put_right_by_its_alternatives() {
        let read = "湖南省长纱市芙蓉区幸福路281号";
        assert_eq!(
            address_by_alternatives(read, &alternatives(read, &[(4, '沙', 0.05)])).as_deref(),
            Some("湖南省长沙市芙蓉区幸福路281号")
        );
        // The city put right, its district is known too.
        let read = "湖南省长纱市英蓉区";
        let alts = alternatives(read, &[(4, '沙', 0.05), (6, '芙', 0.1)]);
        assert_eq!(
            address_by_alternatives(read, &alts).as_deref(),
            Some("湖南省长沙市芙蓉区")
        );
        // A county-level city a character from a listed one, read surely.
        let read = "湖南省邵东市两市镇";
        assert_eq!(
            city_by_alternatives(read, &alternatives(read, &[(4, '阳', 0.001)])),
            None
        );
        // A city read right is left alone whatever its alternatives.
        let read = "湖南省长沙市";
        assert_eq!(
            city_by_alternatives(read, &alternatives(read, &[(4, '纱', 0.3)])),
            None
        );
    }

    #[test]
    fn a_street_ending_and_a_unit_are_put_right_by_their_alternatives() {
        let read = "福建省福州市仓山区新华第25号";
        assert_eq!(
            address_by_alternatives(read, &alternatives(read, &[(11, '路', 0.1)])).as_deref(),
            Some("福建省福州市仓山区新华路25号")
        );
        let read = "和平街161号4栋4准元1863室";
        assert_eq!(
            address_by_alternatives(read, &alternatives(read, &[(10, '单', 0.1)])).as_deref(),
            Some("和平街161号4栋4单元1863室")
        );
        // A village's house number, and a street ending the recognizer did not see.
        let read = "城关镇新华村25号";
        assert_eq!(
            address_by_alternatives(read, &alternatives(read, &[(5, '路', 0.3)])),
            None
        );
        let read = "新华第25号";
        assert_eq!(
            address_by_alternatives(read, &alternatives(read, &[(2, '路', 0.001)])),
            None
        );
    }

    #[test]
    fn listed_districts_counties_and_unseen_characters_are_left_alone() {
        // Read right: a listed district's alternatives do not make it another.
        let read = "浙江省杭州市下城区体育场路1号";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(6, '上', 0.4)])),
            None
        );
        // A county is no district.
        let read = "四川省成都市大邑县晋原镇";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(6, '武', 0.4)])),
            None
        );
        // The recognizer did not see the listed district's character.
        let read = "四川省成都市武候区幸福路251号";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(7, '侯', 0.001)])),
            None
        );
        // A character read surely that no alternative spells.
        let read = "辽宁省沈阳市电站区友谊路107号";
        let alts = alternatives(read, &[(7, '姑', 0.2)]);
        assert_eq!(district_by_alternatives(read, &alts), None);
        // Two characters read unsure that nothing spells, and a tie (`铺江`: 锦江, 温江).
        let mut alts = alternatives(read, &[(7, '姑', 0.2)]);
        alts[6] = vec![('电', 0.4), ('导', 0.1)];
        alts[7][0].1 = 0.5;
        alts[7].truncate(1);
        assert_eq!(district_by_alternatives(read, &alts), None);
        let read = "四川省成都市铺江区新华路119号";
        let mut alts = alternatives(read, &[]);
        alts[6] = vec![('铺', 0.6), ('辅', 0.1)];
        assert_eq!(district_by_alternatives(read, &alts), None);
        // No listed city.
        let read = "四川省绵阳市武候区";
        assert_eq!(
            district_by_alternatives(read, &alternatives(read, &[(7, '侯', 0.2)])),
            None
        );
    }

    #[test]
    fn a_misread_province_is_known_by_the_city_after_it() {
        let fixed = |a: &str| province_agreeing(a);
        assert_eq!(
            fixed("潮南省长沙市芙蓉区幸福路281号").as_deref(),
            Some("湖南省长沙市芙蓉区幸福路281号")
        );
        assert_eq!(
            fixed("内蒙古台治区呼和浩特市回民区和平街291号").as_deref(),
            Some("内蒙古自治区呼和浩特市回民区和平街291号")
        );
        assert_eq!(
            fixed("宁夏国族自治区银川市金凤区").as_deref(),
            Some("宁夏回族自治区银川市金凤区")
        );
        // A stray character before the province.
        assert_eq!(
            fixed("能甘建省兰州市城关区").as_deref(),
            Some("甘肃省兰州市城关区")
        );
        assert_eq!(
            fixed("蚌四川省成都市武侯区").as_deref(),
            Some("四川省成都市武侯区")
        );
        // One character of the province lost.
        assert_eq!(
            fixed("东省深圳市龙岗区").as_deref(),
            Some("广东省深圳市龙岗区")
        );
    }

    #[test]
    fn addresses_without_a_sure_province_are_left_alone() {
        // Read right, or a county-level city (not listed) after a right province.
        assert_eq!(province_agreeing("广东省台山市台城镇"), None);
        assert_eq!(province_agreeing("湖南省长沙市芙蓉区"), None);
        // The city misread too: nothing to go by.
        assert_eq!(province_agreeing("潮南省长纱市芙蓉区"), None);
        // Too far from any province.
        assert_eq!(province_agreeing("有南京市江宁区友路334号"), None);
        assert_eq!(province_agreeing("北京市丰台区"), None);
        assert_eq!(province_agreeing(""), None);
    }
}
