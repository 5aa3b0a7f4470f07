//! The owner's name: a person's (a surname, then one to three characters) or a company's.

use crate::address::{spelled_by_alternatives, Leeway, Spelling};
use crate::labels::{edit_distance, FRONT_LABELS};
use crate::normalize::is_cjk;
use crate::places::seal_places;
use crate::Alternatives;

/// Chinese surnames, the common ones (about 400, by how many people bear them), and the first
/// characters of the compound ones (`欧阳`, `上官`, `司马`, `诸葛`, ...).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖\
    田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹\
    薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪\
    庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉\
    骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景\
    党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明\
    佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜\
    海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏\
    鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭\
    干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由上端皇令长宇东西独轩完拓";

/// Least probability an alternative needs to be taken for a surname.
const MIN_SURNAME_PROBABILITY: f32 = 0.01;

/// `raw`, a person's name as read (two to four Chinese characters), with a first character
/// that is no surname exchanged for the likeliest surname among the recognizer's
/// `alternatives` for it (`散子` -> `董子`, when `董` was the recognizer's second choice).
/// `None` when nothing changed: a company's name, a listed surname, or no surname the
/// recognizer gave some weight.
pub(crate) fn name_by_alternatives(raw: &str, alternatives: &[Alternatives]) -> Option<String> {
    let chars: Vec<char> = raw.chars().collect();
    if !(2..=4).contains(&chars.len())
        || alternatives.len() != chars.len()
        || !chars.iter().all(|&c| is_cjk(c))
        || SURNAMES.contains(chars[0])
    {
        return None;
    }
    let surname = alternatives[0]
        .iter()
        .filter(|&&(c, p)| SURNAMES.contains(c) && p >= MIN_SURNAME_PROBABILITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))?
        .0;
    let mut named = vec![surname];
    named.extend_from_slice(&chars[1..]);
    Some(named.into_iter().collect())
}

/// `raw`, a company's name as read (ending in `公司`), with the city it starts with put right
/// where the recognizer misread it (`执萨华玉电子有限公司` -> `拉萨华玉...`): its first
/// characters spell a prefecture-level city or a municipality (without its `市`) when each
/// misread one is exchanged for one of its `alternatives` of at least 1%, and at most half of
/// the city's name is misread. A name starting with a listed city, a tie, or no alternative
/// spelling one leaves it alone (`None`).
pub(crate) fn company_city_by_alternatives(
    raw: &str,
    alternatives: &[Alternatives],
) -> Option<String> {
    let mut chars: Vec<char> = raw.chars().collect();
    if alternatives.len() != chars.len() || !raw.ends_with("公司") {
        return None;
    }
    let cities: Vec<Vec<char>> = seal_places()
        .iter()
        .filter_map(|p| {
            let city = p.name.strip_prefix(p.province).filter(|c| !c.is_empty());
            city.unwrap_or(&p.name).strip_suffix('市')
        })
        .map(|c| c.chars().collect::<Vec<char>>())
        // Room for the company's own name after the city.
        .filter(|c| chars.len() > c.len() + 2)
        .collect();
    if cities.iter().any(|c| chars.starts_with(c)) {
        return None;
    }
    let (_, city) = spelled_by_alternatives(
        &chars,
        alternatives,
        &cities,
        Spelling::Whole,
        Leeway::HalfMisread,
    )?;
    chars[..city.len()].copy_from_slice(city);
    Some(chars.into_iter().collect())
}

/// `text` without another field's label at its start (`车制美型郑文明`: the vehicle type's
/// `车辆类型`, misread past the label finder's tolerance, joined to the name below it): four
/// characters within two slips of a label of four or more, followed by a person's name (two to
/// four Chinese characters; a company's name, `发达机械有限公司`, keeps its start).
pub(crate) fn without_leading_label(text: &str) -> &str {
    let chars: Vec<char> = text.chars().collect();
    let Some(head) = chars.get(..4) else {
        return text;
    };
    let rest = &chars[4..];
    let labelled = FRONT_LABELS.iter().any(|l| {
        let label: Vec<char> = l.chinese.chars().collect();
        label.len() >= 4 && edit_distance(head, &label[..4]) <= 2
    });
    let persons =
        (2..=4).contains(&rest.len()) && rest.iter().all(|&c| is_cjk(c)) && !text.ends_with("公司");
    if labelled && persons {
        let cut: usize = head.iter().map(|c| c.len_utf8()).sum();
        &text[cut..]
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_alternatives as alternatives;

    #[test]
    fn a_first_character_that_is_no_surname_takes_a_surname_the_recognizer_saw() {
        let alts = alternatives("散子", &[(0, '敬', 0.02), (0, '董', 0.1)]);
        assert_eq!(name_by_alternatives("散子", &alts).as_deref(), Some("董子"));
        // Too little weight.
        let alts = alternatives("散子", &[(0, '董', 0.001)]);
        assert_eq!(name_by_alternatives("散子", &alts), None);
        // A surname read is kept, whatever its alternatives.
        let alts = alternatives("周英便", &[(0, '董', 0.4)]);
        assert_eq!(name_by_alternatives("周英便", &alts), None);
        // Companies' names are not persons'.
        let text = "执萨华玉电子有限公司";
        let alts = alternatives(text, &[(0, '拉', 0.4)]);
        assert_eq!(name_by_alternatives(text, &alts), None);
        // No alternatives known.
        assert_eq!(name_by_alternatives("散子", &[]), None);
    }

    #[test]
    fn a_companys_misread_city_is_spelled_by_the_alternatives() {
        let text = "执萨华玉电子有限公司";
        let alts = alternatives(text, &[(0, '拉', 0.05)]);
        assert_eq!(
            company_city_by_alternatives(text, &alts).as_deref(),
            Some("拉萨华玉电子有限公司")
        );
        let text = "石家庆新芳电子有限公司";
        let alts = alternatives(text, &[(2, '庄', 0.02)]);
        assert_eq!(
            company_city_by_alternatives(text, &alts).as_deref(),
            Some("石家庄新芳电子有限公司")
        );
        // Read right, not seen by the recognizer, or no company.
        let text = "成都玉英商贸有限公司";
        let alts = alternatives(text, &[(0, '武', 0.3)]);
        assert_eq!(company_city_by_alternatives(text, &alts), None);
        let text = "执萨华玉电子有限公司";
        let alts = alternatives(text, &[(0, '拉', 0.001)]);
        assert_eq!(company_city_by_alternatives(text, &alts), None);
        let alts = alternatives("执萨", &[(0, '拉', 0.3)]);
        assert_eq!(company_city_by_alternatives("执萨", &alts), None);
    }

    #[test]
    fn another_labels_misreading_before_a_name_is_cut() {
        assert_eq!(without_leading_label("车制美型郑文明"), "郑文明");
        assert_eq!(without_leading_label("本称类型白娜"), "白娜");
        // Not a label.
        assert_eq!(
            without_leading_label("车联网科技有限公司"),
            "车联网科技有限公司"
        );
        assert_eq!(
            without_leading_label("发达机械有限公司"),
            "发达机械有限公司"
        );
        // Nothing, or one character, after it.
        assert_eq!(without_leading_label("车制美型"), "车制美型");
        assert_eq!(without_leading_label("车制美型郑"), "车制美型郑");
    }
}
