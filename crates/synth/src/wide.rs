//! Main-page values drawn from wider vocabularies than [`FrontValues::draw`]'s: cities that are
//! no provincial capital (their districts and seals), every vehicle type and use character of
//! the code tables, more brands (new-energy makers, imports, lorries and buses), owners with
//! rarer and compound surnames, village addresses, imported cars' VINs, longer engine numbers.
//! Many of them are outside what the engine's lexicons hold, as on real cards; they measure how
//! the engine reads values it was not tuned on (`vlocr synth --wide-values`).

use crate::random::Random;
use crate::regions::REGIONS;
use crate::values::{dates, plate, vin_check_digit, FrontValues};

/// Cities that are no provincial capital: province, plate prefix (GA 36's letter), city, its
/// districts or county-level cities.
const CITIES: &[(&str, &str, &str, &[&str])] = &[
    (
        "江苏省",
        "苏B",
        "无锡市",
        &["梁溪区", "滨湖区", "新吴区", "江阴市"],
    ),
    (
        "江苏省",
        "苏E",
        "苏州市",
        &["姑苏区", "吴中区", "相城区", "昆山市"],
    ),
    (
        "江苏省",
        "苏D",
        "常州市",
        &["天宁区", "钟楼区", "武进区", "新北区"],
    ),
    ("江苏省", "苏F", "南通市", &["崇川区", "通州区", "海门区"]),
    (
        "浙江省",
        "浙B",
        "宁波市",
        &["海曙区", "江北区", "鄞州区", "北仑区", "慈溪市"],
    ),
    (
        "浙江省",
        "浙C",
        "温州市",
        &["鹿城区", "龙湾区", "瓯海区", "乐清市"],
    ),
    ("浙江省", "浙G", "金华市", &["婺城区", "金东区", "义乌市"]),
    ("浙江省", "浙D", "绍兴市", &["越城区", "柯桥区", "上虞区"]),
    ("广东省", "粤C", "珠海市", &["香洲区", "斗门区", "金湾区"]),
    ("广东省", "粤D", "汕头市", &["龙湖区", "金平区", "潮阳区"]),
    ("广东省", "粤E", "佛山市", &["禅城区", "南海区", "顺德区"]),
    ("广东省", "粤L", "惠州市", &["惠城区", "惠阳区", "博罗县"]),
    (
        "山东省",
        "鲁B",
        "青岛市",
        &["市南区", "市北区", "黄岛区", "崂山区", "李沧区"],
    ),
    ("山东省", "鲁F", "烟台市", &["芝罘区", "莱山区", "福山区"]),
    (
        "山东省",
        "鲁G",
        "潍坊市",
        &["潍城区", "奎文区", "寒亭区", "寿光市"],
    ),
    ("山东省", "鲁C", "淄博市", &["张店区", "淄川区", "临淄区"]),
    ("河北省", "冀B", "唐山市", &["路南区", "路北区", "丰润区"]),
    ("河北省", "冀F", "保定市", &["竞秀区", "莲池区", "涿州市"]),
    (
        "福建省",
        "闽D",
        "厦门市",
        &["思明区", "湖里区", "集美区", "海沧区"],
    ),
    ("福建省", "闽C", "泉州市", &["鲤城区", "丰泽区", "晋江市"]),
    ("四川省", "川B", "绵阳市", &["涪城区", "游仙区", "江油市"]),
    ("四川省", "川Q", "宜宾市", &["翠屏区", "南溪区", "叙州区"]),
    (
        "河南省",
        "豫C",
        "洛阳市",
        &["西工区", "老城区", "涧西区", "洛龙区"],
    ),
    ("河南省", "豫B", "开封市", &["龙亭区", "鼓楼区", "祥符区"]),
    ("湖北省", "鄂E", "宜昌市", &["西陵区", "伍家岗区", "夷陵区"]),
    ("湖北省", "鄂F", "襄阳市", &["襄城区", "樊城区", "襄州区"]),
    ("湖南省", "湘B", "株洲市", &["天元区", "荷塘区", "芦淞区"]),
    ("湖南省", "湘D", "衡阳市", &["蒸湘区", "石鼓区", "雁峰区"]),
    (
        "辽宁省",
        "辽B",
        "大连市",
        &["中山区", "西岗区", "沙河口区", "甘井子区"],
    ),
    ("辽宁省", "辽C", "鞍山市", &["铁东区", "铁西区", "立山区"]),
];

/// Seal endings after `<province><city>`.
const AUTHORITIES: &[&str] = &[
    "公安局交通警察支队",
    "公安局交通警察支队",
    "公安局交通管理支队",
];

/// The code tables' vehicle types (GA 24.4), trailers and special vehicles among them.
const VEHICLE_TYPES: &[&str] = &[
    "小型轿车",
    "小型轿车",
    "小型普通客车",
    "小型越野客车",
    "小型专用客车",
    "小型面包车",
    "微型轿车",
    "微型普通客车",
    "微型面包车",
    "中型普通客车",
    "中型专用校车",
    "大型普通客车",
    "大型双层客车",
    "大型卧铺客车",
    "大型专用校车",
    "重型普通货车",
    "重型厢式货车",
    "重型罐式货车",
    "重型平板货车",
    "重型自卸货车",
    "重型仓栅式货车",
    "重型半挂牵引车",
    "重型特殊结构货车",
    "中型厢式货车",
    "中型自卸货车",
    "轻型普通货车",
    "轻型厢式货车",
    "轻型封闭货车",
    "轻型仓栅式货车",
    "轻型自卸货车",
    "微型普通货车",
    "微型厢式货车",
    "重型普通半挂车",
    "重型厢式半挂车",
    "重型罐式半挂车",
    "重型低平板半挂车",
    "重型专项作业车",
    "轻型专项作业车",
    "三轮汽车",
    "无轨电车",
];

/// The code table's use characters (GA 24.3), the private car's most often.
const USE_CHARACTERS: &[&str] = &[
    "非营运",
    "非营运",
    "非营运",
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
    "工程救险",
    "营转非",
    "出租转非",
    "教练",
    "幼儿校车",
    "小学生校车",
    "初中生校车",
    "中小学生校车",
    "危化品运输",
    "预约出租客运",
    "预约出租转非",
];

/// Brands with the enterprise code their model codes start with.
const BRANDS: &[(&str, &str)] = &[
    ("北京奔驰牌", "BJ"),
    ("华晨宝马牌", "BMW"),
    ("长安福特牌", "CAF"),
    ("雪佛兰牌", "SGM"),
    ("凯迪拉克牌", "SGM"),
    ("东风日产牌", "DFL"),
    ("北京现代牌", "BH"),
    ("起亚牌", "YQZ"),
    ("马自达牌", "CAM"),
    ("斯柯达牌", "SVW"),
    ("荣威牌", "CSA"),
    ("名爵牌", "SAC"),
    ("奇瑞牌", "SQR"),
    ("长城牌", "CC"),
    ("传祺牌", "GAC"),
    ("红旗牌", "CA"),
    ("蔚来牌", "HFC"),
    ("小鹏牌", "NHQ"),
    ("特斯拉牌", "TSL"),
    ("理想牌", "LXA"),
    ("宇通牌", "ZK"),
    ("金龙牌", "XMQ"),
    ("福田牌", "BJ"),
    ("江淮牌", "HFC"),
    ("陕汽牌", "SX"),
    ("豪沃牌", "ZZ"),
    ("欧曼牌", "BJ"),
    ("广汽丰田牌", "GTM"),
    ("一汽丰田牌", "TV"),
    ("宝骏牌", "LZW"),
    ("领克牌", "MR"),
    ("沃尔沃牌", "VCC"),
    ("东风牌", "EQ"),
    ("江铃牌", "JX"),
    ("上汽大通牌", "SH"),
    ("比亚迪牌", "BYD"),
    ("吉利牌", "MR"),
    ("大众汽车牌", "SVW"),
    ("丰田牌", "TV"),
    ("本田牌", "HG"),
];

/// Surnames, compound ones among them.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "罗", "郑", "谢", "韩", "唐", "冯", "曹", "彭", "董", "蒋", "蔡", "贾", "魏", "薛", "阎",
    "庞", "滕", "殷", "柯", "聂", "晏", "翟", "蓝", "闫", "卞", "宁", "甄", "靳", "欧阳", "司马",
    "诸葛", "上官", "慕容", "皇甫",
];

/// Given-name characters, rarer ones among them.
const GIVEN: &str = "子梓浩宇轩涵欣怡诗雨萱晨泽昊睿博俊熙瑞凯嘉佳琪琳璐瑶婷倩雪晶颖慧蕾薇莉萍玲\
芬凤梅菊莲琴珍珠翠春秋冬阳亮斌彬鑫淼森峰岩松柏桐楠彦翔鸿雁龙豪雄威德仁义智忠福禄寿喜\
荣昌盛兴旺达顺利安康宁昕昱晟珺玥堃燊煜骁铭锦钰霖霏沁溪";

/// Road names, with their kind.
const ROADS: &[&str] = &[
    "北京东路",
    "延安西路",
    "建国大道",
    "学府路",
    "花园街",
    "工业大道",
    "兴业路",
    "东风路",
    "滨江路",
    "胜利街",
    "青年路",
    "光明路",
    "育才路",
    "环城南路",
    "朝阳大街",
    "振兴路",
];

/// Villages' and towns' names (a town or village name, then `镇`/`乡` or `村`).
const PLACE_WORDS: &[&str] = &[
    "新桥", "石门", "柳营", "河口", "大庄", "王家", "李庄", "东湖", "青山", "马坊", "黄土", "白沙",
    "双河", "高桥", "杨柳", "后营",
];

/// World manufacturer identifiers: Chinese makers, and imported cars'.
const WMIS: &[&str] = &[
    "LSV", "LFV", "LVS", "LGB", "LDC", "LHG", "LSG", "LGW", "LZW", "LRW", "LB1", "LNB", "LYV",
    "LFP", "LJD", "WBA", "WDD", "JTD", "JN1", "KMH", "VF1", "WVW", "5YJ", "SAL", "YV1",
];

const VIN_CHARS: &str = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
const CODE_CHARS: &str = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

/// Draws a consistent set of main-page values from the wide vocabularies.
pub(crate) fn draw_front(random: &mut Random) -> FrontValues {
    let (province, prefix, city, places, authority) = if random.chance(0.5) {
        let region = random.pick(REGIONS);
        let city = if region.city.is_empty() {
            region.province
        } else {
            region.city
        };
        (
            region.province,
            region.plate_prefix.to_owned(),
            city,
            region.districts,
            region.authority.to_owned(),
        )
    } else {
        let &(province, prefix, city, districts) = random.pick(CITIES);
        let ending = random.pick(AUTHORITIES);
        let authority = format!("{province}{city}{ending}");
        (province, prefix.to_owned(), city, districts, authority)
    };
    let (register_date, issue_date) = dates(random, 1998);
    let engine_len = 6 + random.below(7);
    let place = if city == province {
        province.to_owned()
    } else {
        format!("{province}{city}")
    };
    FrontValues {
        number: plate(random, &prefix),
        vehicle_type: (*random.pick(VEHICLE_TYPES)).to_owned(),
        name: owner(random, city),
        address: address(random, &place, places),
        use_character: (*random.pick(USE_CHARACTERS)).to_owned(),
        model: model(random),
        vin: vin(random),
        engine_no: chars(random, VIN_CHARS, engine_len),
        register_date,
        issue_date,
        issuing_authority: authority,
    }
}

fn chars(random: &mut Random, alphabet: &str, count: usize) -> String {
    let alphabet: Vec<char> = alphabet.chars().collect();
    (0..count).map(|_| *random.pick(&alphabet)).collect()
}

fn owner(random: &mut Random, city: &str) -> String {
    if random.chance(0.15) {
        let kinds = [
            "科技有限公司",
            "物流有限公司",
            "汽车服务有限公司",
            "建筑工程有限公司",
        ];
        let brand = chars(random, GIVEN, 2);
        let kind = random.pick(&kinds);
        return format!("{}{brand}{kind}", city.trim_end_matches('市'));
    }
    let surname = *random.pick(SURNAMES);
    let given_len = 1 + random.below(2);
    surname.to_owned() + &chars(random, GIVEN, given_len)
}

fn address(random: &mut Random, place: &str, districts: &[&str]) -> String {
    let district = random.pick(districts);
    if random.chance(0.3) {
        let town = random.pick(PLACE_WORDS);
        let village = random.pick(PLACE_WORDS);
        let kind = if random.chance(0.7) { "镇" } else { "乡" };
        return format!(
            "{place}{district}{town}{kind}{village}村{}组{}号",
            random.between(1, 12),
            random.between(1, 99)
        );
    }
    let road = random.pick(ROADS);
    let mut address = format!("{place}{district}{road}{}号", random.between(1, 999));
    if random.chance(0.4) {
        address.push_str(&format!(
            "{}幢{}室",
            random.between(1, 40),
            random.between(101, 3208)
        ));
    }
    address
}

fn model(random: &mut Random) -> String {
    let (brand, code) = random.pick(BRANDS);
    let digits = chars(random, "0123456789", 4);
    let suffix_len = random.below(4);
    let mut suffix = chars(random, CODE_CHARS, suffix_len);
    if random.chance(0.1) {
        let energies = ["BEV", "PHEV", "HEV"];
        let energy: &&str = random.pick(&energies);
        suffix.push_str(energy);
    } else if random.chance(0.05) {
        // Some model codes end in a small letter.
        suffix.push(*random.pick(&['a', 'b', 'c', 'd', 'e', 'm']));
    }
    format!("{brand}{code}{digits}{suffix}")
}

/// A VIN with a valid check digit but one in 25.
fn vin(random: &mut Random) -> String {
    let mut vin: Vec<char> = random.pick(WMIS).chars().collect();
    vin.extend(chars(random, VIN_CHARS, 5).chars());
    vin.push('0');
    vin.extend(chars(random, "ABCDEFGHJKLMNPRSTVWXY123456789", 1).chars());
    vin.extend(chars(random, VIN_CHARS, 1).chars());
    vin.extend(chars(random, "0123456789", 6).chars());
    vin[8] = vin_check_digit(&vin);
    if random.chance(0.04) {
        vin[8] = if vin[8] == '7' { '3' } else { '7' };
    }
    vin.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_values_follow_the_formats() {
        let mut random = Random::new(5);
        for _ in 0..300 {
            let v = draw_front(&mut random);
            assert_eq!(v.vin.chars().count(), 17, "{}", v.vin);
            assert!(!v.vin.contains(['I', 'O', 'Q']));
            let plate_len = v.number.chars().count();
            assert!(plate_len == 7 || plate_len == 8, "{}", v.number);
            assert!(v.issue_date >= v.register_date);
            assert!(v.model.contains('牌'));
            assert!(v.address.ends_with(['号', '室']), "{}", v.address);
            assert!(v.issuing_authority.contains("公安"));
        }
    }
}
