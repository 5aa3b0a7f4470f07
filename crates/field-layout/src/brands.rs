//! Vehicle brands as printed before `牌` in a model (`丰田牌TV7151`), the common part of the
//! brands registered in China: domestic makers, joint ventures and imports, cars, trucks and
//! buses. Not a complete list: a brand missing from it is read as printed.

/// Brands, without their `牌`.
pub(crate) const BRANDS: &[&str] = &[
    // Joint ventures and imports, cars.
    "大众汽车",
    "一汽大众",
    "上汽大众",
    "大众",
    "奥迪",
    "一汽奥迪",
    "斯柯达",
    "丰田",
    "一汽丰田",
    "广汽丰田",
    "雷克萨斯",
    "本田",
    "广汽本田",
    "东风本田",
    "讴歌",
    "日产",
    "东风日产",
    "英菲尼迪",
    "启辰",
    "别克",
    "雪佛兰",
    "凯迪拉克",
    "福特",
    "长安福特",
    "林肯",
    "现代",
    "北京现代",
    "起亚",
    "东风悦达起亚",
    "马自达",
    "长安马自达",
    "一汽马自达",
    "标致",
    "东风标致",
    "雪铁龙",
    "东风雪铁龙",
    "宝马",
    "华晨宝马",
    "梅赛德斯-奔驰",
    "奔驰",
    "北京奔驰",
    "沃尔沃",
    "三菱",
    "广汽三菱",
    "铃木",
    "长安铃木",
    "斯巴鲁",
    "路虎",
    "捷豹",
    "奇瑞捷豹路虎",
    "保时捷",
    "特斯拉",
    "吉普",
    "雷诺",
    "菲亚特",
    "广汽菲亚特",
    // Domestic makers, cars.
    "比亚迪",
    "吉利",
    "吉利汽车",
    "领克",
    "几何",
    "极氪",
    "长安",
    "长安欧尚",
    "深蓝",
    "阿维塔",
    "哈弗",
    "长城",
    "魏",
    "坦克",
    "欧拉",
    "五菱",
    "宝骏",
    "荣威",
    "名爵",
    "上汽",
    "传祺",
    "广汽",
    "埃安",
    "奇瑞",
    "星途",
    "捷途",
    "江淮",
    "思皓",
    "红旗",
    "奔腾",
    "一汽",
    "东风",
    "东风风神",
    "风神",
    "东风风行",
    "风行",
    "东风风光",
    "岚图",
    "北汽",
    "北京",
    "绅宝",
    "极狐",
    "北汽新能源",
    "蔚来",
    "理想",
    "小鹏",
    "零跑",
    "哪吒",
    "问界",
    "赛力斯",
    "东南",
    "海马",
    "力帆",
    "众泰",
    "陆风",
    "江铃",
    "华晨",
    "中华",
    "金杯",
    "昌河",
    "开瑞",
    "凯翼",
    "猎豹",
    "野马",
    "汉腾",
    "斯威",
    "宝沃",
    "观致",
    "纳智捷",
    "威马",
    "合创",
    "小米",
    "智己",
    "飞凡",
    "腾势",
    "仰望",
    // Trucks, buses and vans.
    "解放",
    "一汽解放",
    "东风商用车",
    "红岩",
    "上汽红岩",
    "欧曼",
    "福田",
    "欧马可",
    "奥铃",
    "时代",
    "豪沃",
    "中国重汽",
    "汕德卡",
    "陕汽",
    "德龙",
    "重汽",
    "江淮格尔发",
    "大运",
    "联合",
    "北奔",
    "乘龙",
    "柳汽",
    "依维柯",
    "南京依维柯",
    "上汽大通",
    "大通",
    "金龙",
    "厦门金龙",
    "金旅",
    "苏州金龙",
    "海格",
    "宇通",
    "中通",
    "安凯",
    "亚星",
    "申沃",
    "中车",
    "比亚迪客车",
    "凯马",
    "时风",
    "五征",
    "唐骏",
    "飞碟",
    "跃进",
    "庆铃",
    "五十铃",
    "江铃全顺",
    "全顺",
    "依维柯得意",
    "东风小康",
    "小康",
    "长安凯程",
    "长安跨越",
    "跨越",
    "金杯海狮",
    "海狮",
    "集瑞联合",
    "徐工",
    "三一",
    "中联",
    "程力",
    "楚胜",
    "湖北大力",
];

/// The brand of `model` (what comes before its last `牌`: a label remnant before it may hold
/// one too), when it has one.
pub(crate) fn brand_of(model: &str) -> Option<&str> {
    model.rfind('牌').map(|mark| &model[..mark])
}

/// Whether `model`'s brand is listed.
pub fn has_listed_brand(model: &str) -> bool {
    brand_of(model).is_some_and(|brand| BRANDS.contains(&brand))
}

/// Whether `model`'s brand is not listed but is the end of a listed one (`汽大众` of `一汽大众`,
/// `马` of `宝马`): its start may have been lost under the label's ink.
pub fn brand_is_cut(model: &str) -> bool {
    brand_of(model).is_some_and(|brand| {
        !brand.is_empty()
            && !BRANDS.contains(&brand)
            && BRANDS
                .iter()
                .any(|b| b.len() > brand.len() && b.ends_with(brand))
    })
}

/// The enterprise codes (GB 9417, `shared/docs/domain.md` 3.6) that start the model codes of some
/// listed brands, by the makers that build them in China: `大众汽车牌SVW...` from SAIC Volkswagen,
/// `别克牌SGM...` from SAIC-GM. Only brands whose makers use few codes are listed.
const ENTERPRISE_CODES: &[(&str, &[&str])] = &[
    ("大众汽车", &["SVW"]),
    ("一汽大众", &["FV"]),
    ("奥迪", &["FV"]),
    ("别克", &["SGM"]),
    ("雪佛兰", &["SGM"]),
    ("凯迪拉克", &["SGM"]),
    ("比亚迪", &["BYD"]),
    ("宝马", &["BMW"]),
    ("本田", &["HG", "DHW"]),
    ("丰田", &["TV", "GTM"]),
    ("吉利", &["MR", "HQ", "JL"]),
    ("长安", &["SC"]),
    ("哈弗", &["CC"]),
    ("长城", &["CC"]),
    ("东风日产", &["DFL"]),
    ("五菱", &["LZW"]),
    ("宝骏", &["LZW"]),
    ("解放", &["CA"]),
    ("北京现代", &["BH"]),
    ("东风雪铁龙", &["DC"]),
];

/// Pairs of characters the recognizer takes for each other in model codes.
const LOOK_ALIKE: &[(char, char)] = &[
    ('0', 'D'),
    ('0', 'O'),
    ('8', 'B'),
    ('5', 'S'),
    ('2', 'Z'),
    ('1', 'I'),
    ('6', 'G'),
    ('E', 'F'),
    ('N', 'H'),
    ('H', 'M'),
    ('V', 'W'),
    ('U', 'V'),
];

/// `model` with the start of its code read as its brand's enterprise code where the two differ
/// only in characters the recognizer confuses (`比亚迪牌BY032190Y9Z` -> `BYD32190Y9Z`,
/// `本田牌NG2101` -> `HG2101`, `宝马牌8MW2797T0` -> `BMW2797T0`): the brand chooses between the
/// readings of a confusable glyph, it adds nothing. `None` when the brand has no listed code,
/// the code already starts with one, or no code (or several) differ only so.
pub(crate) fn code_by_brand(model: &str) -> Option<String> {
    let brand = brand_of(model)?;
    let codes = ENTERPRISE_CODES
        .iter()
        .find(|(b, _)| *b == brand)
        .map(|(_, codes)| *codes)?;
    let code: Vec<char> = model[brand.len() + '牌'.len_utf8()..].chars().collect();
    if codes
        .iter()
        .any(|c| code.starts_with(&c.chars().collect::<Vec<char>>()))
    {
        return None;
    }
    let confusable =
        |a: char, b: char| a == b || LOOK_ALIKE.contains(&(a, b)) || LOOK_ALIKE.contains(&(b, a));
    let mut fitting = codes.iter().filter(|c| {
        c.len() < code.len()
            && c.chars()
                .zip(&code)
                .all(|(want, &read)| confusable(want, read))
    });
    let (Some(fitting), None) = (fitting.next(), fitting.next()) else {
        return None;
    };
    let rest: String = code[fitting.len()..].iter().collect();
    Some(format!("{brand}牌{fitting}{rest}"))
}

/// `model` with its brand (or the end of what precedes its last `牌`, when a label remnant comes
/// first) read as the one listed brand of its length that it reads as but for characters the
/// recognizer was unsure of: one for brands of up to three characters, two for longer ones,
/// never all (`驱歌牌`, `驱` read unsure: `讴歌牌`). `None` when the brand ends in a listed one
/// (`型五菱` is `五菱` after a label remnant, not `三菱`), or when no listed brand or several fit
/// (`车田`: `丰田` or `本田`).
pub(crate) fn brand_by_unsure_characters(
    model: &str,
    alternatives: &[crate::Alternatives],
) -> Option<String> {
    let chars: Vec<char> = model.chars().collect();
    let brand_end = chars.iter().rposition(|&c| c == '牌')?;
    let brand: String = chars[..brand_end].iter().collect();
    if alternatives.len() != chars.len() || BRANDS.iter().any(|b| brand.ends_with(b)) {
        return None;
    }
    let mut fitting = BRANDS.iter().filter_map(|listed| {
        let listed: Vec<char> = listed.chars().collect();
        let start = brand_end.checked_sub(listed.len())?;
        let misread: Vec<usize> = (0..listed.len())
            .filter(|&k| listed[k] != chars[start + k])
            .collect();
        let allowed = if listed.len() <= 3 { 1 } else { 2 };
        let fits = (1..=allowed).contains(&misread.len())
            && misread.len() < listed.len()
            && misread
                .iter()
                .all(|&k| crate::read_unsure(&alternatives[start + k]));
        fits.then_some((start, listed))
    });
    let (Some((start, listed)), None) = (fitting.next(), fitting.next()) else {
        return None;
    };
    let mut read = chars;
    read.splice(start..brand_end, listed);
    Some(read.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_alternatives;

    #[test]
    fn a_code_takes_its_brands_enterprise_code_where_glyphs_are_confusable() {
        let code = |model: &str| code_by_brand(model);
        assert_eq!(
            code("比亚迪牌BY032190Y9Z").as_deref(),
            Some("比亚迪牌BYD32190Y9Z")
        );
        assert_eq!(code("本田牌NG2101").as_deref(), Some("本田牌HG2101"));
        assert_eq!(code("宝马牌8MW2797T0").as_deref(), Some("宝马牌BMW2797T0"));
        assert_eq!(
            code("大众汽车牌5VW7224").as_deref(),
            Some("大众汽车牌SVW7224")
        );
        assert_eq!(code("吉利牌HR1772").as_deref(), Some("吉利牌MR1772"));
        // Already right, a letter that is no look-alike, a brand without a listed code, or
        // nothing after the code: as read.
        assert_eq!(code("本田牌HG2101"), None);
        assert_eq!(code("本田牌DHW7180"), None);
        assert_eq!(code("别克牌SKM4295"), None);
        assert_eq!(code("红岩牌CQ3254"), None);
        assert_eq!(code("解放牌CA"), None);
        assert_eq!(code("CA6955"), None);
    }

    #[test]
    fn a_brand_misread_where_the_recognizer_was_unsure_is_the_listed_one() {
        // Each character given another reading was read with only 0.6 for itself.
        let with = |read: &str, unsure: &[(usize, char, f32)]| {
            let mut alternatives = test_alternatives(read, unsure);
            for &(i, _, _) in unsure {
                alternatives[i][0].1 = 0.6;
            }
            brand_by_unsure_characters(read, &alternatives)
        };
        // `驱` read unsure (another reading weighed 0.3): the only listed `?歌`.
        assert_eq!(
            with("驱歌牌GHA23507UH", &[(0, '区', 0.3)]).as_deref(),
            Some("讴歌牌GHA23507UH")
        );
        // After a label remnant.
        assert_eq!(
            with("型驱歌牌GHA2350", &[(1, '区', 0.3)]).as_deref(),
            Some("型讴歌牌GHA2350")
        );
        // Read surely: as read (a brand not listed). Two listed brands fit: as read.
        assert_eq!(with("驱歌牌GHA23507UH", &[]), None);
        assert_eq!(with("车田牌TV98198RP", &[(0, '东', 0.3)]), None);
        // A listed brand after a remnant is that brand, however unsure.
        assert_eq!(with("型五菱牌LZW3253", &[(1, '三', 0.3)]), None);
        // Listed already, or every character unsure: nothing.
        assert_eq!(with("本田牌HG9948", &[(0, '丰', 0.3)]), None);
        assert_eq!(
            with("驱哥牌GHA2350", &[(0, '区', 0.3), (1, '歌', 0.3)]),
            None
        );
    }

    #[test]
    fn a_brand_that_ends_a_listed_one_is_cut() {
        assert!(brand_is_cut("汽大众牌FV3872XUF5"));
        assert!(brand_is_cut("马牌BMW8268"));
        assert!(!brand_is_cut("一汽大众牌FV3872XUF5"));
        assert!(!brand_is_cut("大众牌FV3872"), "listed itself");
        assert!(!brand_is_cut("新源牌XY2101"));
        assert!(!brand_is_cut("FV3872"));
        assert!(has_listed_brand("宝马牌BMW8268"));
        assert!(!has_listed_brand("马牌BMW8268"));
    }
}
