//! The owner's address starts, as a rule, with its province and city (`shared/docs/domain.md`
//! 3.1). Province names are a closed vocabulary, and the city read after one tells which
//! province a misread one was: `潮南省长沙市` is `湖南省长沙市` (`河南省` is as close to `潮南省`,
//! but has no Changsha); a listed district read after them tells both (`南省民明市官渡区` is
//! `云南省昆明市官渡区`: Guandu is Kunming's alone).

use crate::districts::DISTRICTS;
use crate::labels::edit_distance;
use crate::places::{seal_places, SealPlace};

/// `address` with a misread province put right, or `None` when it needs nothing or nothing is
/// sure: the address must go on with a prefecture's city read exactly, right after a province
/// read with at most a slip per three characters (at least one), and exactly one province must
/// be that close to it with that city. The city itself is not changed here: county-level cities,
/// which are not listed, can be a character away from a listed one (the address grammar's
/// preference for listed places weighs that against what the recognizer saw). A province read
/// as another one (`河南省` for `海南省`) counts as misread when the city after it is another
/// province's and none of its own.
pub(crate) fn province_agreeing(address: &str) -> Option<String> {
    let chars: Vec<char> = address.chars().collect();
    let read_right = seal_places().iter().any(|p| {
        address.starts_with(p.province) && !names_another_provinces_city(address, p.province)
    });
    if read_right {
        return None;
    }
    let mut closest = Closest::default();
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
                closest.offer(2 * slips + stray, place.province, read_len);
            }
        }
    }
    match closest.alone() {
        Some((_, province, read_len)) => {
            let rest: String = chars[read_len..].iter().collect();
            Some(format!("{province}{rest}"))
        }
        None => region_by_district(&chars),
    }
}

/// `chars` (an address whose province is misread) with its province, city and district put
/// right from a listed district read after them: the region (province and city) and the
/// district together must be read within a slip per three of their characters, the district
/// itself within a slip per three of its own (a stray character before the region dropped, as
/// by [`province_agreeing`]), and exactly one listed city and district must be that close.
/// `None` otherwise: a district name that several cities have (`和平区`) tells nothing unless
/// only one of them is close. The district's slips count with the region's because the
/// evidence is the whole name: `宁夏西连自0区锁川市西夏区` is four slips from `宁夏回族自治区银川市`
/// and none from Xixia, Yinchuan's alone; `地四川多成截市双绩区` three from `四川省成都市双流区`.
fn region_by_district(chars: &[char]) -> Option<String> {
    let mut closest = Closest::default();
    for &(region, districts) in DISTRICTS {
        let region_chars: Vec<char> = region.chars().collect();
        let slack = (region_chars.len() / 3).max(1);
        for district in districts.split_whitespace() {
            let district_chars: Vec<char> = district.chars().collect();
            let allowed = (region_chars.len() + district_chars.len()) / 3;
            let allowed_in_district = district_chars.len() / 3;
            let starts = region_chars.len().saturating_sub(slack)..=region_chars.len() + slack;
            for start in starts {
                for read_len in district_chars.len() - 1..=district_chars.len() + 1 {
                    if chars.len() < start + read_len {
                        continue;
                    }
                    let district_slips =
                        edit_distance(&chars[start..start + read_len], &district_chars);
                    if district_slips > allowed_in_district {
                        continue;
                    }
                    for stray in [0, 1] {
                        if start < stray {
                            continue;
                        }
                        let slips = edit_distance(&chars[stray..start], &region_chars);
                        if slips + district_slips > allowed {
                            continue;
                        }
                        closest.offer(
                            2 * (slips + district_slips) + stray,
                            Place { region, district },
                            start + read_len,
                        );
                    }
                }
            }
        }
    }
    let (cost, place, rest_at) = closest.alone()?;
    if cost == 0 {
        return None;
    }
    let rest: String = chars[rest_at..].iter().collect();
    Some(format!("{}{}{rest}", place.region, place.district))
}

/// A listed place an address may start with: a region (a province and city, or a
/// municipality) and one of its districts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Place {
    region: &'static str,
    district: &'static str,
}

/// The place whose name is read at the least cost before where the address goes on, and
/// whether another place is read at that cost too.
struct Closest<P> {
    /// The cost, the place, and where the rest of the address starts.
    best: Option<(usize, P, usize)>,
    tied: bool,
}

impl<P> Default for Closest<P> {
    fn default() -> Self {
        Self {
            best: None,
            tied: false,
        }
    }
}

impl<P: PartialEq> Closest<P> {
    fn offer(&mut self, cost: usize, place: P, rest_at: usize) {
        match &self.best {
            Some((best, other, _)) if cost == *best && *other != place => self.tied = true,
            Some((best, _, _)) if cost >= *best => {}
            _ => {
                self.best = Some((cost, place, rest_at));
                self.tied = false;
            }
        }
    }

    /// The closest place, unless another is as close.
    fn alone(self) -> Option<(usize, P, usize)> {
        self.best.filter(|_| !self.tied)
    }
}

/// Whether `address`, which starts with `province`, goes on with a listed city of another
/// province and with none of `province`'s own (`河南省海口市`: Haikou is Hainan's).
fn names_another_provinces_city(address: &str, province: &str) -> bool {
    let rest = &address[province.len()..];
    let city_of = |p: &SealPlace| p.name[p.province.len()..].to_owned();
    let mut others = false;
    for place in seal_places() {
        let city = city_of(place);
        if city.is_empty() || !rest.starts_with(&city) {
            continue;
        }
        if place.province == province {
            return false;
        }
        others = true;
    }
    others
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Read as another province, which has no such city.
        assert_eq!(
            fixed("河南省海口市美兰区科技园路54号").as_deref(),
            Some("海南省海口市美兰区科技园路54号")
        );
        // One character of the province lost.
        assert_eq!(
            fixed("东省深圳市龙岗区").as_deref(),
            Some("广东省深圳市龙岗区")
        );
    }

    #[test]
    fn a_listed_district_tells_a_misread_province_and_city() {
        let fixed = |a: &str| province_agreeing(a);
        // The province's first character lost and the city misread: Guandu is Kunming's alone.
        assert_eq!(
            fixed("南省民明市官渡区文化路255号").as_deref(),
            Some("云南省昆明市官渡区文化路255号")
        );
        assert_eq!(
            fixed("潮南省长纱市芙蓉区").as_deref(),
            Some("湖南省长沙市芙蓉区")
        );
        // A province read right leaves its city to the grammar.
        assert_eq!(fixed("吉林省长春币朝阳区").as_deref(), None);
        // Chaoyang is Beijing's and Changchun's: the province and city read tell which.
        assert_eq!(
            fixed("吉林长春币朝阳区").as_deref(),
            Some("吉林省长春市朝阳区")
        );
    }

    #[test]
    fn a_district_read_with_a_slip_tells_the_region_with_it() {
        let fixed = |a: &str| province_agreeing(a);
        // Four slips in the region, none in the district (Xixia is Yinchuan's alone).
        assert_eq!(
            fixed("宁夏西连自0区锁川市西夏区建设路338号").as_deref(),
            Some("宁夏回族自治区银川市西夏区建设路338号")
        );
        // A stray character, two slips in the region and one in the district.
        assert_eq!(
            fixed("地四川多成截市双绩区人民路249号").as_deref(),
            Some("四川省成都市双流区人民路249号")
        );
        assert_eq!(
            fixed("西藏包治区拉交市地龙德庆区新华路102号").as_deref(),
            Some("西藏自治区拉萨市堆龙德庆区新华路102号")
        );
        assert_eq!(
            fixed("宁夏国放府治区银川市金风区滨河大道50号").as_deref(),
            Some("宁夏回族自治区银川市金凤区滨河大道50号")
        );
        assert_eq!(
            fixed("有南京市江宁区友路334号").as_deref(),
            Some("江苏省南京市江宁区友路334号")
        );
        // Two slips in a district of three: no evidence of it.
        assert_eq!(fixed("宁夏西连自0区锁川市西复医建设路").as_deref(), None);
    }

    #[test]
    fn addresses_without_a_sure_province_are_left_alone() {
        // Read right, or a county-level city (not listed) after a right province.
        assert_eq!(province_agreeing("广东省台山市台城镇"), None);
        assert_eq!(province_agreeing("湖南省长沙市芙蓉区"), None);
        // The city misread too, and no listed district after it: nothing to go by.
        assert_eq!(province_agreeing("潮南省长纱市五一路"), None);
        // A district that two cities have, after a province and city read far from either.
        assert_eq!(province_agreeing("州省大城市朝阳区"), None);
        // Too far from any province (`有南京市江宁区` is Nanjing's Jiangning: its province's
        // three slips are within the slip per three characters of the city and district).
        assert_eq!(province_agreeing("有京市江宁区友路334号"), None);
        assert_eq!(province_agreeing("北京市丰台区"), None);
        assert_eq!(province_agreeing(""), None);
    }
}
