//! Invented but consistent field values for a license.

use serde_json::{Map, Value};

use crate::random::Random;

/// Where a card is registered: the city in the owner's address, its plate prefix and the
/// authority whose seal issues the card.
use crate::regions::{Region, REGIONS};

/// Housing estates, making some addresses long enough to be printed on two lines.
const COMMUNITIES: &[&str] = &[
    "阳光花园小区",
    "幸福家园二期",
    "锦绣江南花园",
    "金色港湾小区",
    "世纪城市广场",
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文辉玉海燕鹏飞晓东宇浩然思雨子涵欣怡梓萱嘉俊博";
const COMPANY_TRADES: &[&str] = &[
    "科技",
    "物流",
    "汽车租赁",
    "建设工程",
    "商贸",
    "运输",
    "电子",
];
const STREETS: &[&str] = &[
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平街",
    "长江路",
    "新华路",
    "友谊路",
    "幸福路",
    "文化路",
    "科技园路",
    "滨河大道",
];
const VEHICLE_TYPES: &[&str] = &[
    "小型轿车",
    "小型普通客车",
    "小型越野客车",
    "中型普通客车",
    "大型普通客车",
    "轻型普通货车",
    "轻型厢式货车",
    "重型半挂牵引车",
    "重型自卸货车",
];
const USE_CHARACTERS: &[&str] = &[
    "非营运",
    "非营运",
    "非营运",
    "营运",
    "出租客运",
    "公路客运",
    "货运",
    "租赁",
    "预约出租客运",
];
const BRANDS: &[(&str, &str)] = &[
    ("大众汽车牌", "SVW"),
    ("一汽大众牌", "FV"),
    ("丰田牌", "TV"),
    ("本田牌", "HG"),
    ("别克牌", "SGM"),
    ("比亚迪牌", "BYD"),
    ("吉利牌", "MR"),
    ("长安牌", "SC"),
    ("哈弗牌", "CC"),
    ("东风日产牌", "DFL"),
    ("五菱牌", "LZW"),
    ("奥迪牌", "FV"),
    ("宝马牌", "BMW"),
    ("解放牌", "CA"),
    ("讴歌牌", "GHA"),
];
const WMIS: &[&str] = &[
    "LSV", "LFV", "LVS", "LGB", "LDC", "LHG", "LBV", "LSG", "LGW", "LZW", "LVG", "LFP",
];
/// Letters allowed on plates and in VINs: no I, no O (and no Q in VINs).
const PLATE_LETTERS: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const VIN_CHARS: &str = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
const DIGITS: &str = "0123456789";
/// The share of back pages that print an energy type (the newer cards).
const NEWER_CARDS: f32 = 0.4;
/// Energy types of cars with ordinary plates, the common ones repeated (`shared/docs/domain.md`
/// 3.15: the vehicle database's fuel names, and what annotation tools list).
pub(crate) const ENERGY_TYPES: &[&str] = &[
    "汽油",
    "汽油",
    "汽油",
    "汽油",
    "汽油",
    "柴油",
    "天然气",
    "汽油/电",
    "混合动力",
    "汽油/天然气",
    "液化石油气",
    "纯电动",
];
/// Energy types of cars with new-energy plates.
pub(crate) const NEW_ENERGY_TYPES: &[&str] =
    &["纯电动", "纯电动", "电", "混合动力", "插电式混合动力"];

/// The values printed on a main page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontValues {
    /// 号牌号码.
    pub number: String,
    /// 车辆类型.
    pub vehicle_type: String,
    /// 所有人.
    pub name: String,
    /// 住址.
    pub address: String,
    /// 使用性质.
    pub use_character: String,
    /// 品牌型号.
    pub model: String,
    /// 车辆识别代号.
    pub vin: String,
    /// 发动机号码.
    pub engine_no: String,
    /// 注册日期, `YYYY-MM-DD`.
    pub register_date: String,
    /// 发证日期, `YYYY-MM-DD`.
    pub issue_date: String,
    /// 发证机关 (the seal's text).
    pub issuing_authority: String,
}

fn chars(random: &mut Random, alphabet: &str, count: usize) -> String {
    let alphabet: Vec<char> = alphabet.chars().collect();
    (0..count).map(|_| *random.pick(&alphabet)).collect()
}

impl FrontValues {
    /// Draws a consistent set of values.
    pub fn draw(random: &mut Random) -> FrontValues {
        let region = random.pick(REGIONS);
        let (register_date, issue_date) = dates(random, 2008);
        let engine_len = 6 + random.below(4);
        FrontValues {
            number: plate(random, region.plate_prefix),
            vehicle_type: (*random.pick(VEHICLE_TYPES)).to_owned(),
            name: owner(random, region),
            address: address(random, region),
            use_character: (*random.pick(USE_CHARACTERS)).to_owned(),
            model: model(random),
            vin: if random.chance(0.04) {
                // Specimens and some real cards carry a VIN whose check digit is wrong.
                wrong_check_digit(&vin(random))
            } else {
                vin(random)
            },
            engine_no: chars(random, "0123456789ABCDEFGHJKLMNPRSTUVWXYZ", engine_len),
            register_date,
            issue_date,
            issuing_authority: region.authority.to_owned(),
        }
    }

    /// The truth-file fields, keyed by the Huawei field names.
    pub fn to_truth_fields(&self) -> Map<String, Value> {
        let pairs = [
            ("number", &self.number),
            ("vehicle_type", &self.vehicle_type),
            ("name", &self.name),
            ("address", &self.address),
            ("use_character", &self.use_character),
            ("model", &self.model),
            ("vin", &self.vin),
            ("engine_no", &self.engine_no),
            ("register_date", &self.register_date),
            ("issue_date", &self.issue_date),
            ("issuing_authority", &self.issuing_authority),
        ];
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v.clone())))
            .collect()
    }
}

/// The values printed on a back page (副页).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackValues {
    /// 号牌号码.
    pub number: String,
    /// 档案编号: 12 digits.
    pub file_no: String,
    /// 核定载人数, `5人`.
    pub approved_passengers: String,
    /// 总质量, `1837kg`.
    pub gross_mass: String,
    /// 整备质量.
    pub unladen_mass: String,
    /// 核定载质量, empty when printed as `--`.
    pub approved_load: String,
    /// 外廓尺寸, `4620×1780×1498mm`.
    pub dimension: String,
    /// 准牵引总质量, empty when printed as `--`.
    pub traction_mass: String,
    /// 备注 (mostly empty).
    pub remarks: String,
    /// Every inspection stamp printed, oldest first; the truth is the last.
    pub inspection_stamps: Vec<String>,
    /// 13 digits under the barcode, without the `*`.
    pub barcode: String,
    /// The fuel or energy newer cards print at the bottom left (`汽油`, `纯电动`); empty on the
    /// older cards that print none.
    pub energy_type: String,
}

impl BackValues {
    /// Draws a consistent set of values: passengers, masses and size by the kind of vehicle.
    pub fn draw(random: &mut Random) -> BackValues {
        let region = random.pick(REGIONS);
        let number = plate(random, region.plate_prefix);
        // (passengers, unladen kg, load kg or 0, length, width, height mm, traction kg or 0)
        let (passengers, unladen, load, size, traction) = match random.below(10) {
            0..=5 => (
                *random.pick(&[5u32, 5, 5, 7]),
                random.between(1050, 2300),
                0,
                (
                    random.between(3800, 5200),
                    random.between(1650, 1990),
                    random.between(1400, 1900),
                ),
                0,
            ),
            6 | 7 => (
                random.between(10, 50),
                random.between(2800, 12000),
                0,
                (
                    random.between(5500, 12000),
                    random.between(1900, 2550),
                    random.between(2300, 3600),
                ),
                0,
            ),
            8 => (
                *random.pick(&[2u32, 3]),
                random.between(2000, 5000),
                random.between(1000, 5000),
                (
                    random.between(4800, 7500),
                    random.between(1700, 2300),
                    random.between(2000, 3200),
                ),
                0,
            ),
            _ => (
                2,
                random.between(7000, 9500),
                0,
                (
                    random.between(6000, 7200),
                    random.between(2490, 2550),
                    random.between(3000, 3900),
                ),
                random.between(30000, 40000),
            ),
        };
        let gross = unladen + load + 65 * passengers + random.between(0, 300);
        let year = random.between(2012, 2027);
        let office = format!(
            "{}{}({:02})",
            region.plate_prefix,
            chars(random, PLATE_LETTERS, 1),
            random.between(0, 30)
        );
        let stamps = (0..1 + usize::from(random.chance(0.25)) + usize::from(random.chance(0.1)))
            .map(|i| {
                format!(
                    "检验有效期至{}年{:02}月{office}",
                    year + 2 * i as u32,
                    random.between(1, 12)
                )
            })
            .collect();
        let mass = |kg: u32| {
            if kg == 0 {
                String::new()
            } else {
                format!("{kg}kg")
            }
        };
        BackValues {
            number,
            file_no: format!("{}{}", random.between(1100, 6599), chars(random, DIGITS, 8)),
            approved_passengers: format!("{passengers}人"),
            gross_mass: format!("{gross}kg"),
            unladen_mass: format!("{unladen}kg"),
            approved_load: mass(load),
            dimension: format!("{}×{}×{}mm", size.0, size.1, size.2),
            traction_mass: mass(traction),
            remarks: String::new(),
            inspection_stamps: stamps,
            barcode: chars(random, DIGITS, 13),
            energy_type: String::new(),
        }
        .with_energy_type()
    }

    /// The values with `number` as the plate, and the inspection stamps naming the office of
    /// its place (its first two characters, as `粤B` in `粤BM(10)`): both pages of one vehicle,
    /// which is mostly inspected where it is registered.
    pub fn with_plate(mut self, number: String) -> BackValues {
        let place: String = number.chars().take(2).collect();
        for stamp in &mut self.inspection_stamps {
            if let Some((dated, office)) = stamp.split_once('月') {
                let rest: String = office.chars().skip(2).collect();
                *stamp = format!("{dated}月{place}{rest}");
            }
        }
        self.number = number;
        self
    }

    /// The values with the energy type a newer card prints, or none (an older card): drawn
    /// from a stream of the card's own (its barcode), so that the other values, and every draw
    /// after them, are those of cards drawn before energy types were printed. A new-energy
    /// plate (eight characters) is electric or hybrid; buses and lorries mostly diesel.
    pub fn with_energy_type(mut self) -> BackValues {
        let seed = self.barcode.bytes().fold(0xE4E7_6900_u64, |h, b| {
            h.wrapping_mul(31).wrapping_add(u64::from(b))
        });
        let mut random = Random::new(seed);
        self.energy_type = if !random.chance(NEWER_CARDS) {
            String::new()
        } else if self.number.chars().count() == 8 {
            (*random.pick(NEW_ENERGY_TYPES)).to_owned()
        } else {
            let heavy = !self.approved_load.is_empty()
                || !self.traction_mass.is_empty()
                || self.approved_passengers.len() > "9人".len();
            if heavy && random.chance(0.7) {
                "柴油".to_owned()
            } else {
                (*random.pick(ENERGY_TYPES)).to_owned()
            }
        };
        self
    }

    /// The truth-file fields, keyed by the Huawei field names.
    pub fn to_truth_fields(&self) -> Map<String, Value> {
        let latest = self.inspection_stamps.last().cloned().unwrap_or_default();
        let pairs = [
            ("number", self.number.clone()),
            ("file_no", self.file_no.clone()),
            ("approved_passengers", self.approved_passengers.clone()),
            ("gross_mass", self.gross_mass.clone()),
            ("unladen_mass", self.unladen_mass.clone()),
            ("approved_load", self.approved_load.clone()),
            ("dimension", self.dimension.clone()),
            ("traction_mass", self.traction_mass.clone()),
            ("remarks", self.remarks.clone()),
            ("inspection_record", latest),
            ("code_number", format!("*{}*", self.barcode)),
        ];
        let mut fields: Map<String, Value> = pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect();
        // Scored only where printed: older cards have no such field.
        if !self.energy_type.is_empty() {
            fields.insert(
                "energy_type".into(),
                Value::String(self.energy_type.clone()),
            );
        }
        fields
    }
}

/// A plate of the region: prefix, then five characters with at most two letters, or (one in
/// six) a new-energy plate with D or F and six characters.
pub(crate) fn plate(random: &mut Random, prefix: &str) -> String {
    let mut plate = prefix.to_owned();
    if prefix.chars().count() == 1 {
        plate.push_str(&chars(random, PLATE_LETTERS, 1));
    }
    if random.chance(0.06) {
        // Trailers, learner cars and police cars: four digits and a suffix.
        plate.push_str(&chars(random, DIGITS, 4));
        plate.push(*random.pick(&['挂', '学', '警']));
        return plate;
    }
    if random.chance(1.0 / 6.0) {
        plate.push(if random.chance(0.5) { 'D' } else { 'F' });
        plate.push_str(&chars(random, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", 1));
        plate.push_str(&chars(random, DIGITS, 4));
    } else {
        let letters = random.below(3);
        let mut tail: Vec<char> = chars(random, DIGITS, 5).chars().collect();
        for _ in 0..letters {
            let at = random.below(5);
            tail[at] = chars(random, PLATE_LETTERS, 1)
                .chars()
                .next()
                .unwrap_or('A');
        }
        plate.extend(tail);
    }
    plate
}

fn owner(random: &mut Random, region: &Region) -> String {
    if random.chance(0.2) {
        let city = if region.city.is_empty() {
            region.province
        } else {
            region.city
        };
        let trade = random.pick(COMPANY_TRADES);
        let brand = chars(random, GIVEN, 2);
        return format!("{}{brand}{trade}有限公司", city.trim_end_matches('市'));
    }
    let surname = chars(random, SURNAMES, 1);
    let given_len = 1 + random.below(2);
    let given = chars(random, GIVEN, given_len);
    surname + &given
}

fn address(random: &mut Random, region: &Region) -> String {
    let district = random.pick(region.districts);
    let street = random.pick(STREETS);
    let mut address = format!(
        "{}{}{district}{street}{}号",
        region.province,
        region.city,
        random.between(1, 399)
    );
    if random.chance(0.3) {
        // Long enough to be printed on two lines.
        let community: &&str = random.pick(COMMUNITIES);
        address.push_str(community);
    }
    if random.chance(0.4) {
        address.push_str(&format!(
            "{}栋{}单元{}室",
            random.between(1, 30),
            random.between(1, 6),
            random.between(101, 2808)
        ));
    }
    address
}

fn model(random: &mut Random) -> String {
    let (brand, code) = random.pick(BRANDS);
    let digits = chars(random, DIGITS, 4);
    let suffix_len = random.below(5);
    let suffix = chars(random, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789", suffix_len);
    format!("{brand}{code}{digits}{suffix}")
}

/// A VIN with a valid ISO 3779 check digit (position 9).
pub fn vin(random: &mut Random) -> String {
    let mut vin: Vec<char> = random.pick(WMIS).chars().collect();
    vin.extend(chars(random, VIN_CHARS, 5).chars());
    vin.push('0');
    vin.extend(chars(random, "ABCDEFGHJKLMNPRSTVWXY123456789", 1).chars());
    vin.extend(chars(random, VIN_CHARS, 1).chars());
    vin.extend(chars(random, DIGITS, 6).chars());
    vin[8] = vin_check_digit(&vin);
    vin.into_iter().collect()
}

/// `vin` with its check digit (position 9) replaced by another.
fn wrong_check_digit(vin: &str) -> String {
    let mut chars: Vec<char> = vin.chars().collect();
    chars[8] = if chars[8] == '7' { '3' } else { '7' };
    chars.into_iter().collect()
}

/// The ISO 3779 check digit of a 17-character VIN (its own position is ignored).
pub fn vin_check_digit(vin: &[char]) -> char {
    vlocr_field_layout::normalize::check_digit(vin)
}

/// A registration date from `first_year` to 2024, and an issue date on it or after it.
pub(crate) fn dates(random: &mut Random, first_year: u32) -> (String, String) {
    let year = random.between(first_year, 2024);
    let (month, day) = (random.between(1, 12), random.between(1, 28));
    let register = format!("{year}-{month:02}-{day:02}");
    if random.chance(0.6) {
        return (register.clone(), register);
    }
    let issue_year = random.between(year, 2025);
    let issue = format!(
        "{issue_year}-{:02}-{:02}",
        random.between(1, 12),
        random.between(1, 28)
    );
    let issue = issue.max(register.clone());
    (register, issue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vin_check_digits() {
        // From the domain reference: a real-format VIN and its check digit.
        let vin: Vec<char> = "LSVFF66R8C2116280".chars().collect();
        assert_eq!(vin_check_digit(&vin), '8');
    }

    #[test]
    fn values_follow_the_formats() {
        let mut random = Random::new(3);
        let mut valid_vins = 0;
        for _ in 0..200 {
            let v = FrontValues::draw(&mut random);
            let vin: Vec<char> = v.vin.chars().collect();
            assert_eq!(vin.len(), 17);
            valid_vins += usize::from(vin_check_digit(&vin) == vin[8]);
            assert!(!v.vin.contains(['I', 'O', 'Q']));
            let plate_len = v.number.chars().count();
            assert!(plate_len == 7 || plate_len == 8, "{}", v.number);
            assert!(!v.number.contains(['I', 'O']));
            assert!(v.issue_date >= v.register_date);
            assert!(v.model.contains('牌'));
        }
        // A few VINs carry a wrong check digit on purpose, as specimens do.
        assert!((180..200).contains(&valid_vins), "{valid_vins}");
    }
}
