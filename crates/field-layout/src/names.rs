//! The owner's name: a person's (a surname, then one to three characters) or a company's.

use crate::address::{spelled_by_alternatives, Leeway, Spelling};
use crate::labels::{edit_distance, FRONT_LABELS};
use crate::places::seal_places;
use crate::text::is_cjk;
use crate::{Alternatives, FrontField};

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

/// Characters common in Chinese given names (about 480): a name's character that is none of
/// them and was read unsure is more likely one of them that the recognizer also saw
/// (`周英便` -> `周英俊`). Not a complete list: a rare character read surely stays.
const GIVEN_NAME_CHARACTERS: &str =
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华红玉兰萍燕梅莉鹏辉斌宇浩凯健俊帆帅旭\
    宁龙林欣佳颖婷雪琳晶慧倩悦璐晨阳峰波亮鑫宏建国志文海东新春生成云飞荣福德永胜利祥忠义礼智信仁\
    贵富才安康乐喜庆兴发顺昌盛光彬杨柳松柏桃竹菊莲荷凤鸿鹰虎麟瑞祺琪瑶璇琦珊珍珠宝金银铁钢锋锐铭\
    森淼焱垚博涵轩睿哲昊皓晟煜烨熙泽源渊澜洁清润泉江河湖山川岩石岭坤乾宸辰星月晖晓曦昕天航远达通\
    进登高升跃腾翔翼振卫民兵武威雄豪美娇媛婉娴婕妍姝娅妮婧嫣莹菲芬芝芸苗蓉蕾薇蓓萱茜卿青晴琴勤沁\
    秋菁景嘉家雅亚怡宜仪依逸毅艺益轶一奕亦忆卓子梓紫姿致治中钟舟洲朝兆昭照真镇正政峥铮征桦骅晔叶\
    业耀尧彪标滨冰炳伯灿长常畅潮琛诚承程驰崇楚纯聪翠丹道迪典冬栋方丰风甫歌格耕功冠广果寒汉好合和\
    恒弘厚怀欢焕惠吉纪坚剑锦晋京经精敬靖九久君峻楷可克昆岚蓝朗雷黎理立玲凌隆露伦曼满茂萌梦名鸣墨\
    沐穆楠凝诺启谦乔全群然容如若三善尚少绍深圣诗士世仕书淑舒双爽水思素甜庭彤童万旺为维雯闻希贤显\
    宪香向孝笑心宣学勋炎扬伊亿意茵寅盈影映咏优友佑羽雨育元园苑岳越允运韵增展章彰贞震之知柱宗祖佐\
    二小大占连芹蕊琼瑾璋瑜珏玮琰斐翊骏驹骁霖霏鹃鹤";

/// Least probability an alternative needs to be taken for a given name's character.
const MIN_GIVEN_NAME_PROBABILITY: f32 = 0.05;

/// `raw`, a person's name as read (two to four Chinese characters), with each character after
/// the surname that is none of [`GIVEN_NAME_CHARACTERS`] and was read unsure exchanged for the
/// likeliest of them among its `alternatives` of at least 5% (`周英便` -> `周英俊`, `冯字` ->
/// `冯宇`). `None` when nothing changed.
pub(crate) fn given_name_by_alternatives(
    raw: &str,
    alternatives: &[Alternatives],
) -> Option<String> {
    let mut chars: Vec<char> = raw.chars().collect();
    if !(2..=4).contains(&chars.len())
        || alternatives.len() != chars.len()
        || !chars.iter().all(|&c| is_cjk(c))
    {
        return None;
    }
    let mut changed = false;
    for (c, others) in chars.iter_mut().zip(alternatives).skip(1) {
        let unsure = crate::read_unsure(others);
        if GIVEN_NAME_CHARACTERS.contains(*c) || !unsure {
            continue;
        }
        let common = others
            .iter()
            .filter(|&&(a, p)| GIVEN_NAME_CHARACTERS.contains(a) && p >= MIN_GIVEN_NAME_PROBABILITY)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some(&(a, _)) = common {
            *c = a;
            changed = true;
        }
    }
    changed.then(|| chars.into_iter().collect())
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
///
/// The name's own label, read with its first character wrong (`产有人候秀国`), goes the same way
/// before a person's name.
pub(crate) fn without_leading_label(text: &str) -> &str {
    let chars: Vec<char> = text.chars().collect();
    let is_person = |rest: &[char]| {
        (2..=4).contains(&rest.len()) && rest.iter().all(|&c| is_cjk(c)) && !text.ends_with("公司")
    };
    let own: Vec<char> = FRONT_LABELS
        .iter()
        .find(|l| l.field == Some(FrontField::Name))
        .map(|l| l.chinese.chars().collect())
        .unwrap_or_default();
    if own.len() >= 3 && chars.len() > own.len() && chars[1..own.len()] == own[1..] {
        let rest = &chars[own.len()..];
        if is_person(rest) {
            let cut: usize = chars[..own.len()].iter().map(|c| c.len_utf8()).sum();
            return &text[cut..];
        }
    }
    let Some(head) = chars.get(..4) else {
        return text;
    };
    let rest = &chars[4..];
    let labelled = FRONT_LABELS.iter().any(|l| {
        let label: Vec<char> = l.chinese.chars().collect();
        label.len() >= 4 && edit_distance(head, &label[..4]) <= 2
    });
    if labelled && is_person(rest) {
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
    fn a_rare_given_name_character_read_unsure_takes_a_common_one_the_recognizer_saw() {
        let mut alts = alternatives("周英便", &[(2, '侵', 0.18), (2, '俊', 0.11)]);
        alts[2][0].1 = 0.22;
        assert_eq!(
            given_name_by_alternatives("周英便", &alts).as_deref(),
            Some("周英俊")
        );
        // Read surely, seen too faintly, a common character already, or no person's name.
        let alts = alternatives("周英便", &[(2, '俊', 0.3)]);
        assert_eq!(given_name_by_alternatives("周英便", &alts), None);
        let mut alts = alternatives("周英便", &[(2, '俊', 0.01)]);
        alts[2][0].1 = 0.5;
        assert_eq!(given_name_by_alternatives("周英便", &alts), None);
        let mut alts = alternatives("周英华", &[(2, '俊', 0.4)]);
        alts[2][0].1 = 0.5;
        assert_eq!(given_name_by_alternatives("周英华", &alts), None);
        let text = "成都玉芙商贸有限公司";
        let mut alts = alternatives(text, &[(3, '英', 0.3)]);
        alts[3][0].1 = 0.5;
        assert_eq!(given_name_by_alternatives(text, &alts), None);
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
        // Its own label, the first character misread.
        assert_eq!(without_leading_label("产有人候秀国"), "候秀国");
        assert_eq!(
            without_leading_label("产有人合秀科技有限公司"),
            "产有人合秀科技有限公司"
        );
        assert_eq!(without_leading_label("严有人"), "严有人");
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
