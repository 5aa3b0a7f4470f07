//! Where licenses are issued: the provinces, and the city behind each plate's authority letter
//! (GA 36's assignments, `shared/docs/domain.md` 3.2 and 3.13). The seal's place names are a
//! closed vocabulary too: a seal reads `<province><city>` before its fixed ending, and the city
//! is the one the plate's letter stands for.

use std::sync::OnceLock;

/// A province (or municipality, or autonomous region): its plate abbreviation, its full name,
/// and its cities by authority letter (`A石家庄市`), separated by spaces. Municipalities have
/// none: their seals name only the municipality. Letters kept for provincial offices, and
/// cities whose office has since merged into another's, are left out.
const PROVINCES: &[(char, &str, &str)] = &[
    ('京', "北京市", ""),
    ('津', "天津市", ""),
    ('沪', "上海市", ""),
    ('渝', "重庆市", ""),
    (
        '冀',
        "河北省",
        "A石家庄市 B唐山市 C秦皇岛市 D邯郸市 E邢台市 F保定市 G张家口市 H承德市 J沧州市 \
         R廊坊市 T衡水市",
    ),
    (
        '晋',
        "山西省",
        "A太原市 B大同市 C阳泉市 D长治市 E晋城市 F朔州市 H忻州市 J吕梁市 K晋中市 L临汾市 \
         M运城市",
    ),
    (
        '蒙',
        "内蒙古自治区",
        "A呼和浩特市 B包头市 C乌海市 D赤峰市 E呼伦贝尔市 F兴安盟 G通辽市 H锡林郭勒盟 \
         J乌兰察布市 K鄂尔多斯市 L巴彦淖尔市 M阿拉善盟",
    ),
    (
        '辽',
        "辽宁省",
        "A沈阳市 B大连市 C鞍山市 D抚顺市 E本溪市 F丹东市 G锦州市 H营口市 J阜新市 K辽阳市 \
         L盘锦市 M铁岭市 N朝阳市 P葫芦岛市",
    ),
    (
        '吉',
        "吉林省",
        "A长春市 B吉林市 C四平市 D辽源市 E通化市 F白山市 G白城市 H延边朝鲜族自治州 J松原市",
    ),
    (
        '黑',
        "黑龙江省",
        "A哈尔滨市 B齐齐哈尔市 C牡丹江市 D佳木斯市 E大庆市 F伊春市 G鸡西市 H鹤岗市 \
         J双鸭山市 K七台河市 M绥化市 N黑河市 P大兴安岭地区",
    ),
    (
        '苏',
        "江苏省",
        "A南京市 B无锡市 C徐州市 D常州市 E苏州市 F南通市 G连云港市 H淮安市 J盐城市 K扬州市 \
         L镇江市 M泰州市 N宿迁市",
    ),
    (
        '浙',
        "浙江省",
        "A杭州市 B宁波市 C温州市 D绍兴市 E湖州市 F嘉兴市 G金华市 H衢州市 J台州市 K丽水市 \
         L舟山市",
    ),
    (
        '皖',
        "安徽省",
        "A合肥市 B芜湖市 C蚌埠市 D淮南市 E马鞍山市 F淮北市 G铜陵市 H安庆市 J黄山市 K阜阳市 \
         L宿州市 M滁州市 N六安市 P宣城市 R池州市 S亳州市",
    ),
    (
        '闽',
        "福建省",
        "A福州市 B莆田市 C泉州市 D厦门市 E漳州市 F龙岩市 G三明市 H南平市 J宁德市",
    ),
    (
        '赣',
        "江西省",
        "A南昌市 B赣州市 C宜春市 D吉安市 E上饶市 F抚州市 G九江市 H景德镇市 J萍乡市 K新余市 \
         L鹰潭市",
    ),
    (
        '鲁',
        "山东省",
        "A济南市 B青岛市 C淄博市 D枣庄市 E东营市 F烟台市 G潍坊市 H济宁市 J泰安市 K威海市 \
         L日照市 M滨州市 N德州市 P聊城市 Q临沂市 R菏泽市 U青岛市 V潍坊市 Y烟台市",
    ),
    (
        '豫',
        "河南省",
        "A郑州市 B开封市 C洛阳市 D平顶山市 E安阳市 F鹤壁市 G新乡市 H焦作市 J濮阳市 K许昌市 \
         L漯河市 M三门峡市 N商丘市 P周口市 Q驻马店市 R南阳市 S信阳市 U济源市",
    ),
    (
        '鄂',
        "湖北省",
        "A武汉市 B黄石市 C十堰市 D荆州市 E宜昌市 F襄阳市 G鄂州市 H荆门市 J黄冈市 K孝感市 \
         L咸宁市 M仙桃市 N潜江市 P神农架林区 Q恩施土家族苗族自治州 R天门市 S随州市",
    ),
    (
        '湘',
        "湖南省",
        "A长沙市 B株洲市 C湘潭市 D衡阳市 E邵阳市 F岳阳市 G张家界市 H益阳市 J常德市 K娄底市 \
         L郴州市 M永州市 N怀化市 U湘西土家族苗族自治州",
    ),
    (
        '粤',
        "广东省",
        "A广州市 B深圳市 C珠海市 D汕头市 E佛山市 F韶关市 G湛江市 H肇庆市 J江门市 K茂名市 \
         L惠州市 M梅州市 N汕尾市 P河源市 Q阳江市 R清远市 S东莞市 T中山市 U潮州市 V揭阳市 \
         W云浮市",
    ),
    (
        '桂',
        "广西壮族自治区",
        "A南宁市 B柳州市 C桂林市 D梧州市 E北海市 F崇左市 G来宾市 H桂林市 J贺州市 K玉林市 \
         L百色市 M河池市 N钦州市 P防城港市 R贵港市",
    ),
    ('琼', "海南省", "A海口市 B三亚市 D五指山市 F儋州市"),
    (
        '川',
        "四川省",
        "A成都市 B绵阳市 C自贡市 D攀枝花市 E泸州市 F德阳市 H广元市 J遂宁市 K内江市 L乐山市 \
         M资阳市 Q宜宾市 R南充市 S达州市 T雅安市 U阿坝藏族羌族自治州 V甘孜藏族自治州 \
         W凉山彝族自治州 X广安市 Y巴中市 Z眉山市",
    ),
    (
        '贵',
        "贵州省",
        "A贵阳市 B六盘水市 C遵义市 D铜仁市 E黔西南布依族苗族自治州 F毕节市 G安顺市 \
         H黔东南苗族侗族自治州 J黔南布依族苗族自治州",
    ),
    (
        '云',
        "云南省",
        "A昆明市 C昭通市 D曲靖市 E楚雄彝族自治州 F玉溪市 G红河哈尼族彝族自治州 \
         H文山壮族苗族自治州 J普洱市 K西双版纳傣族自治州 L大理白族自治州 M保山市 \
         N德宏傣族景颇族自治州 P丽江市 Q怒江傈僳族自治州 R迪庆藏族自治州 S临沧市",
    ),
    (
        '藏',
        "西藏自治区",
        "A拉萨市 B昌都市 C山南市 D日喀则市 E那曲市 F阿里地区 G林芝市",
    ),
    (
        '陕',
        "陕西省",
        "A西安市 B铜川市 C宝鸡市 D咸阳市 E渭南市 F汉中市 G安康市 H商洛市 J延安市 K榆林市",
    ),
    (
        '甘',
        "甘肃省",
        "A兰州市 B嘉峪关市 C金昌市 D白银市 E天水市 F酒泉市 G张掖市 H武威市 J定西市 K陇南市 \
         L平凉市 M庆阳市 N临夏回族自治州 P甘南藏族自治州",
    ),
    (
        '青',
        "青海省",
        "A西宁市 B海东市 C海北藏族自治州 D黄南藏族自治州 E海南藏族自治州 F果洛藏族自治州 \
         G玉树藏族自治州 H海西蒙古族藏族自治州",
    ),
    (
        '宁',
        "宁夏回族自治区",
        "A银川市 B石嘴山市 C吴忠市 D固原市 E中卫市",
    ),
    (
        '新',
        "新疆维吾尔自治区",
        "A乌鲁木齐市 B昌吉回族自治州 C石河子市 D奎屯市 E博尔塔拉蒙古自治州 \
         F伊犁哈萨克自治州 G塔城地区 H阿勒泰地区 J克拉玛依市 K吐鲁番市 L哈密市 \
         M巴音郭楞蒙古自治州 N阿克苏地区 P克孜勒苏柯尔克孜自治州 Q喀什地区 R和田地区",
    ),
];

/// The municipalities (北京市, 天津市, 上海市, 重庆市): provinces of one city, whose traffic
/// police are a 总队 where a city's are a 支队.
pub(crate) fn municipalities() -> impl Iterator<Item = &'static str> {
    PROVINCES
        .iter()
        .filter(|(_, _, cities)| cities.is_empty())
        .map(|(_, name, _)| *name)
}

/// One place a seal may name before its fixed ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SealPlace {
    /// As printed on the seal: `广东省深圳市`, or a municipality alone (`北京市`).
    pub(crate) name: String,
    /// The province's full name the place starts with (`广东省`; `北京市` for Beijing).
    pub(crate) province: &'static str,
    /// The plate prefix whose vehicles this authority registers (`粤B`), or the province's
    /// abbreviation alone for a municipality (`京`).
    pub(crate) plate_prefix: String,
}

/// Every place a seal may name: each municipality, and each province with each of its cities
/// (built once).
pub(crate) fn seal_places() -> &'static [SealPlace] {
    static PLACES: OnceLock<Vec<SealPlace>> = OnceLock::new();
    PLACES.get_or_init(all_places)
}

fn all_places() -> Vec<SealPlace> {
    let mut places = Vec::new();
    for &(abbreviation, province, cities) in PROVINCES {
        if cities.is_empty() {
            places.push(SealPlace {
                name: province.to_owned(),
                province,
                plate_prefix: abbreviation.to_string(),
            });
        }
        for entry in cities.split_whitespace() {
            let mut chars = entry.chars();
            let Some(letter) = chars.next() else { continue };
            let city: String = chars.collect();
            places.push(SealPlace {
                name: format!("{province}{city}"),
                province,
                plate_prefix: format!("{abbreviation}{letter}"),
            });
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_and_letter_is_listed_once() {
        let places = seal_places();
        assert_eq!(PROVINCES.len(), 31);
        for place in places {
            let same = places
                .iter()
                .filter(|p| p.plate_prefix == place.plate_prefix)
                .count();
            assert_eq!(same, 1, "{} listed {same} times", place.plate_prefix);
            let letter = place.plate_prefix.chars().nth(1);
            assert!(
                letter.is_none_or(|l| l.is_ascii_uppercase() && l != 'I' && l != 'O'),
                "{place:?}"
            );
        }
        assert!(places.contains(&SealPlace {
            name: "广东省深圳市".into(),
            province: "广东省",
            plate_prefix: "粤B".into()
        }));
    }
}
