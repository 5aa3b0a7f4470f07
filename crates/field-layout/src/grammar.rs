//! The fields' grammars and vocabularies, as data: `grammar/fields.txt` and `lexicon/*.txt`
//! beside this crate's sources, compiled once.

use std::collections::HashMap;
use std::sync::OnceLock;

use vlocr_ctc::{Lexicon, Pattern};

/// The vocabularies, by name (each file names its source).
const LEXICONS: [(&str, &str); 13] = [
    ("look_alikes", include_str!("../lexicon/look_alikes.txt")),
    (
        "vehicle_types",
        include_str!("../lexicon/vehicle_types.txt"),
    ),
    (
        "use_characters",
        include_str!("../lexicon/use_characters.txt"),
    ),
    ("brands", include_str!("../lexicon/brands.txt")),
    (
        "plate_provinces",
        include_str!("../lexicon/plate_provinces.txt"),
    ),
    ("surnames", include_str!("../lexicon/surnames.txt")),
    (
        "given_name_characters",
        include_str!("../lexicon/given_name_characters.txt"),
    ),
    ("seal_endings", include_str!("../lexicon/seal_endings.txt")),
    (
        "company_trades",
        include_str!("../lexicon/company_trades.txt"),
    ),
    (
        "company_forms",
        include_str!("../lexicon/company_forms.txt"),
    ),
    ("energy_types", include_str!("../lexicon/energy_types.txt")),
    ("body_colors", include_str!("../lexicon/body_colors.txt")),
    (
        "vehicle_statuses",
        include_str!("../lexicon/vehicle_statuses.txt"),
    ),
];

/// The grammar definitions.
const GRAMMAR: &str = include_str!("../grammar/fields.txt");

/// Every vocabulary and grammar, compiled.
pub(crate) struct Grammars {
    lexicons: Vec<Lexicon>,
    patterns: HashMap<String, Pattern>,
    /// Each pattern's source, its `$name`s expanded.
    sources: HashMap<String, String>,
    /// Each character's look-alikes (`lexicon/look_alikes.txt`, both ways).
    look_alikes: HashMap<char, Vec<char>>,
}

impl Grammars {
    /// The grammars, compiled on first use. The files are part of the build and checked by the
    /// tests, so a failure here is a bug.
    pub(crate) fn get() -> &'static Grammars {
        static GRAMMARS: OnceLock<Grammars> = OnceLock::new();
        GRAMMARS.get_or_init(|| {
            Grammars::compile(GRAMMAR).unwrap_or_else(|e| panic!("grammar/fields.txt: {e}"))
        })
    }

    fn compile(source: &str) -> Result<Grammars, String> {
        let mut lexicons: Vec<Lexicon> = LEXICONS
            .iter()
            .map(|(name, text)| Lexicon::parse(name, text))
            .collect();
        let codes = lexicons
            .iter()
            .find(|l| l.name() == "brands")
            .map(brand_codes)
            .ok_or("no brands")?;
        lexicons.push(codes);
        lexicons.extend(place_lexicons());
        lexicons.push(title_pieces());
        let refs: Vec<&Lexicon> = lexicons.iter().collect();
        let mut expanded: Vec<(String, String)> = Vec::new();
        for (name, body) in definitions(source)? {
            let body = expand(&body, &expanded).map_err(|e| format!("{name}: {e}"))?;
            expanded.push((name, body));
        }
        let mut patterns = HashMap::new();
        for (name, body) in &expanded {
            let pattern = Pattern::compile(body, &refs).map_err(|e| format!("{name}: {e}"))?;
            patterns.insert(name.clone(), pattern);
        }
        let sources: HashMap<String, String> = expanded.into_iter().collect();
        let mut look_alikes: HashMap<char, Vec<char>> = HashMap::new();
        let pairs = lexicons
            .iter()
            .find(|l| l.name() == "look_alikes")
            .ok_or("no look_alikes")?;
        for (first, rest) in pairs.rows() {
            let (Some(a), Some(b)) = (
                first.chars().next(),
                rest.first().and_then(|r| r.chars().next()),
            ) else {
                return Err(format!("look_alikes: {first:?} is no pair"));
            };
            look_alikes.entry(a).or_default().push(b);
            look_alikes.entry(b).or_default().push(a);
        }
        Ok(Grammars {
            lexicons,
            patterns,
            sources,
            look_alikes,
        })
    }

    /// The pattern `name` with its value (`<...>`) replaced by `value` itself: the texts that
    /// hold that value and what the pattern allows around it. `None` when `name` marks no value.
    pub(crate) fn holding(&self, name: &str, value: &str) -> Option<Pattern> {
        let source = self.sources.get(name)?;
        let open = source.find('<')?;
        let close = source.rfind('>')?;
        let mut forced = source[..open].to_owned();
        forced.push('<');
        for c in value.chars() {
            if c.is_whitespace() || "[](){}<>|?*+.@\\^-,".contains(c) {
                forced.push('\\');
            }
            forced.push(c);
        }
        forced.push_str(&source[close..]);
        let lexicons: Vec<&Lexicon> = self.lexicons.iter().collect();
        Pattern::compile(&forced, &lexicons).ok()
    }

    /// The characters `c` is taken for (`lexicon/look_alikes.txt`).
    pub(crate) fn look_alikes(&self, c: char) -> &[char] {
        self.look_alikes.get(&c).map_or(&[], Vec::as_slice)
    }

    /// The pattern named `name` in `grammar/fields.txt`.
    pub(crate) fn pattern(&self, name: &str) -> &Pattern {
        self.patterns
            .get(name)
            .unwrap_or_else(|| panic!("grammar/fields.txt defines no {name}. This is a bug"))
    }

    /// The vocabulary named `name` (`lexicon/NAME.txt`).
    pub(crate) fn lexicon(&self, name: &str) -> &Lexicon {
        self.lexicons
            .iter()
            .find(|l| l.name() == name)
            .unwrap_or_else(|| panic!("no lexicon/{name}.txt. This is a bug"))
    }
}

/// `company_cities`: the cities a company's name starts with (`石家庄`, `北京`: the seal's
/// places without their province and `市`); `regions`: how addresses start (a province, a
/// province and city, a municipality); `cities`: a province with one of its cities, or a
/// municipality; `districts`: a listed city with one of its districts;
/// `authority_places`: what a seal names before its fixed ending (a province and city, the city
/// alone, a municipality, a province for its own office).
fn place_lexicons() -> [Lexicon; 5] {
    let places = crate::places::seal_places();
    let mut cities: Vec<String> = places
        .iter()
        .map(|p| {
            let city = if p.name.len() > p.province.len() {
                &p.name[p.province.len()..]
            } else {
                p.name.as_str()
            };
            city.strip_suffix('市').unwrap_or(city).to_owned()
        })
        .filter(|c| c.chars().count() >= 2)
        .collect();
    cities.sort();
    cities.dedup();
    let mut regions: Vec<String> = places
        .iter()
        .flat_map(|p| [p.province.to_owned(), p.name.clone()])
        .collect();
    regions.sort();
    regions.dedup();
    let mut province_cities: Vec<String> = places.iter().map(|p| p.name.clone()).collect();
    province_cities.sort();
    province_cities.dedup();
    let districts: Vec<String> = crate::districts::DISTRICTS
        .iter()
        .flat_map(|(city, districts)| {
            districts
                .split_whitespace()
                .map(move |d| format!("{city}{d}"))
        })
        .collect();
    let mut authority_places: Vec<String> = places
        .iter()
        .flat_map(|p| {
            let city = &p.name[p.province.len()..];
            [p.province.to_owned(), p.name.clone(), city.to_owned()]
        })
        .filter(|name| !name.is_empty())
        .collect();
    authority_places.sort();
    authority_places.dedup();
    [
        Lexicon::of_words("company_cities", &cities),
        Lexicon::of_words("regions", &regions),
        Lexicon::of_words("cities", &province_cities),
        Lexicon::of_words("districts", &districts),
        Lexicon::of_words("authority_places", &authority_places),
    ]
}

/// `title_pieces`: what the recognizer reads of the card's English title after a value printed
/// up into it (`湘AD83357CENSEOF`): two or more letters in a row of the title, in capitals.
fn title_pieces() -> Lexicon {
    let title: Vec<char> = crate::labels::FRONT_LABELS
        .iter()
        .find(|l| l.field.is_none())
        .map(|l| {
            l.english
                .chars()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    let mut pieces: Vec<String> = Vec::new();
    for start in 0..title.len() {
        for end in start + 2..=title.len() {
            pieces.push(title[start..end].iter().collect());
        }
    }
    pieces.sort();
    pieces.dedup();
    Lexicon::of_words("title_pieces", &pieces)
}

/// `brand_codes`: each listed brand with its `牌` and each of its makers' enterprise codes
/// (`本田牌HG`), where `brands` names them.
fn brand_codes(brands: &Lexicon) -> Lexicon {
    let words: Vec<String> = brands
        .rows()
        .flat_map(|(brand, rest)| {
            rest.iter()
                .flat_map(|codes| codes.split(','))
                .map(move |code| format!("{brand}牌{}", code.trim()))
        })
        .collect();
    Lexicon::of_words("brand_codes", &words)
}

/// The `name = pattern` definitions of `source`, continuation lines joined, comments dropped.
fn definitions(source: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (number, line) in source.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let Some((_, body)) = out.last_mut() else {
                return Err(format!("line {}: goes on with no definition", number + 1));
            };
            body.push(' ');
            body.push_str(line.trim());
            continue;
        }
        let Some((name, body)) = line.split_once('=') else {
            return Err(format!("line {}: no `name = pattern`", number + 1));
        };
        out.push((name.trim().to_owned(), body.trim().to_owned()));
    }
    Ok(out)
}

/// `body` with each `$name` replaced by the (bracketed) definition of `name` in `known`.
fn expand(body: &str, known: &[(String, String)]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            }
            continue;
        }
        let mut name = String::new();
        while let Some(&n) = chars.peek() {
            if !(n.is_ascii_alphanumeric() || n == '_') {
                break;
            }
            name.push(n);
            chars.next();
        }
        let (_, definition) = known
            .iter()
            .find(|(k, _)| *k == name)
            .ok_or_else(|| format!("${name} is not defined before"))?;
        out.push('(');
        out.push_str(definition);
        out.push(')');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_compiles() {
        let grammars = Grammars::get();
        for name in [
            "number",
            "vin",
            "engine_no",
            "date",
            "vehicle_type",
            "use_character",
            "model",
            "model_other",
            "model_coded",
            "engine_no_common",
            "name",
            "person_common",
            "person",
            "company",
            "company_known",
            "address",
            "address_known",
            "address_district",
            "address_district_street",
            "address_street",
            "passengers",
            "passengers_common",
            "mass",
            "dimension",
            "code_number",
            "energy_type",
            "inspection",
            "inspection_province",
            "authority",
            "authority_known",
            "body_color",
            "status",
        ] {
            grammars.pattern(name);
        }
        assert!(grammars.lexicon("brands").contains("丰田"));
        assert_eq!(grammars.look_alikes('S'), ['5']);
        assert!(grammars.look_alikes('0').contains(&'8'));
        assert!(grammars.lexicon("brand_codes").contains("本田牌HG"));
        assert!(grammars.lexicon("company_cities").contains("石家庄"));
        assert!(grammars.lexicon("districts").contains("四川省成都市武侯区"));
        assert!(grammars.lexicon("regions").contains("四川省成都市"));
        assert!(grammars.lexicon("cities").contains("湖北省宜昌市"));
        assert!(grammars.lexicon("cities").contains("北京市"));
        assert!(!grammars.lexicon("cities").contains("湖北省"));
        assert!(grammars.lexicon("districts").contains("北京市朝阳区"));
        assert!(grammars
            .pattern("address_district")
            .matches("陕西省西安市未央区长江路156号"));
        assert!(!grammars
            .pattern("address_district")
            .matches("陕西省西安市来央区长江路156号"));
        assert!(grammars.pattern("person").matches("周英俊"));
        assert!(!grammars.pattern("person").matches("散子"));
        assert!(grammars.pattern("company").matches("拉萨华玉电子有限公司"));
        let known = grammars.pattern("company_known");
        assert!(known.matches("沈阳霞思汽车租赁有限公司"));
        assert!(known.matches("杭州大搜车汽车服务有限公司昆明分公司"));
        assert!(known.matches("武汉秀平商贸有限责任公司"));
        // Each word of what it does is listed: `租货` is no trade.
        assert!(!known.matches("沈阳霞思汽车租货有限公司"));
        assert!(!known.matches("拉萨华玉有限公司"));
        let street = grammars.pattern("address_district_street");
        assert!(street.matches("天津市南开区滨河大道24号"));
        assert!(street.matches("湖南省长沙市芙蓉区解放路17号18栋2单元1962室"));
        assert!(street.matches("四川省成都市双流区滨河大道24号幸福家园二期2栋4单元1978室"));
        assert!(street.matches("北京市朝阳区幸福路8号院3-2-101室"));
        assert!(street.matches("北京市朝阳区建国门外大街甲12号"));
        assert!(street.matches("四川省成都市锦江区文化路262号世纪城市广场"));
        // A number inside a word: `大送` is no street.
        assert!(!street.matches("天津市南开区滨河大送24号"));
        assert!(grammars
            .pattern("address_street")
            .matches("四川省成都市龙泉驿区山泉镇联合村3组"));
        let address = grammars.pattern("address_known");
        assert!(address.matches("湖南省长沙市岳麓区长江路363号17栋5单元675室"));
        assert!(address.matches("四川省成都市龙泉驿区山泉镇联合村3组"));
        assert!(address.matches("北京市朝阳区幸福路8号院3-2-101室"));
        // A number is one of something: it neither ends the address nor runs into a word.
        assert!(!address.matches("湖南省长沙市岳麓区长江路363号17栋5单元675"));
        assert!(!address.matches("湖南省长沙市岳麓区长江路363号17栋5单元675究"));
        assert_eq!(
            address.value_of("北京市朝阳区幸福路8号Address"),
            Some(0..11)
        );
        let seal = grammars.pattern("authority_known");
        assert!(seal.matches("广东省深圳市公安局交通警察支队"));
        assert!(seal.matches("杭州市公安局交通警察支队"));
        assert_eq!(seal.value_of("车北京市公安局公安交通管理局注"), Some(1..14));
        assert!(!seal.matches("广东省深训市公安局交通警察支队"));
        assert!(grammars.pattern("model_coded").matches("本田牌HG2101"));
        assert!(!grammars.pattern("model_coded").matches("本田牌NG2101"));
    }

    #[test]
    fn plates_follow_ga_36() {
        let plate = Grammars::get().pattern("plate");
        for yes in [
            "京AA5599",
            "粤BD12345",
            "沪A0M084",
            "辽D46234F",
            "粤E0000挂",
            "粤Z1234港",
            "川A7809C",
        ] {
            assert!(plate.matches(yes), "{yes}");
        }
        // An I or an O, three letters of five, too short, no province.
        for no in [
            "京AI5599",
            "京AO5599",
            "京AABC12",
            "京A1234",
            "AA12345",
            "使A12345",
        ] {
            assert!(!plate.matches(no), "{no}");
        }
        let number = Grammars::get().pattern("number");
        assert_eq!(number.value_of("号码京AA5599"), Some(2..9));
        assert_eq!(number.value_of("湘AD83357CENSEOF"), Some(0..8));
        // The title's letters as the recognizer misreads them, after a plate printed into it.
        assert_eq!(number.value_of("皖A4H784CENSER"), Some(0..7));
        assert_eq!(number.value_of("新A059T3ENSEOR"), Some(0..7));
        assert_eq!(number.value_of("皖AH1CL1CENSE0F"), None);
        assert_eq!(number.value_of("苏A32592SE"), Some(0..7));
        let holding = Grammars::get()
            .holding("number", "京AA5599")
            .expect("a pattern");
        assert!(holding.matches("号码京AA5599"));
        assert!(holding.matches("京AA5599"));
        assert!(!holding.matches("京AA5598"));
        let date = Grammars::get()
            .holding("date", "2013-06-17")
            .expect("a pattern");
        assert!(date.matches("日期2013-06-17"));
    }

    #[test]
    fn dates_models_and_vocabularies() {
        let g = Grammars::get();
        assert!(g.pattern("date").matches("2013-06-17"));
        assert!(!g.pattern("date").matches("2013-06-1"));
        assert!(g.pattern("model").matches("讴歌牌GHA7150JAD5B"));
        assert!(!g.pattern("model").matches("讴哥牌GHA7150JAD5B"));
        assert!(g.pattern("model_other").matches("讴哥牌GHA7150JAD5B"));
        // Dashes join a code's parts; none ends it.
        assert!(g.pattern("model").matches("解放牌CA1040K6L2-3"));
        for coded in ["model", "model_other", "model_coded"] {
            assert!(!g.pattern(coded).matches("奥迪牌FV7991-"), "{coded}");
        }
        assert!(g.pattern("model_coded").matches("奥迪牌FV7991"));
        let types = g.pattern("vehicle_type");
        assert_eq!(types.value_of("People'sRepublic小型轿车"), Some(16..20));
        assert!(g.pattern("engine_no").matches("ASW83K8LDATE"));
        assert_eq!(g.pattern("engine_no").value_of("ASW83K8LDATE"), Some(0..8));
    }

    #[test]
    fn back_page_values() {
        let g = Grammars::get();
        assert!(g.pattern("passengers").matches("5人"));
        assert!(g.pattern("passengers").matches("2+1人"));
        assert!(g.pattern("passengers").matches("120人"));
        let common = g.pattern("passengers_common");
        assert!(common.matches("30人") && common.matches("2+1人"));
        assert!(!common.matches("380人") && !common.matches("05人") && !common.matches("--"));
        assert!(g.pattern("mass").matches("1750kg"));
        assert!(g.pattern("mass").matches("--"));
        assert!(!g.pattern("mass").matches("17a0kg"));
        // A first digit lost is no mass nor dimension.
        assert!(!g.pattern("mass").matches("0367kg"));
        assert!(g.pattern("dimension").matches("5000×1858×1493mm"));
        assert!(!g.pattern("dimension").matches("5000×0858×1493mm"));
        assert_eq!(
            g.pattern("code_number").value_of("*8644658019963*"),
            Some(1..14)
        );
        let stamps = g.pattern("inspection_province");
        assert!(stamps.matches("检验有效期至2015年06月粤B(16)"));
        assert!(!stamps.matches("检验有效期至2015年06月柱B(16)"));
        // A stamp names its office as the plate does: a province and a letter (domain.md 3.11).
        let stamp = g.pattern("inspection_stamp");
        assert!(stamp.matches("检验有效期至2014年09月云A(01)"));
        assert!(stamp.matches("检验有效期至2015年11月皖A(4S)"));
        assert!(stamp.matches("检验有效期至2019年11月粤E(01)汽油"));
        assert!(
            stamp.matches("浙AS0N56检验有效期至2020年05月浙AQ;浙AS0N56检验有效期至2024年05月浙A")
        );
        assert!(!stamp.matches("检验有效期至2012年01月京2F(15)"));
        assert!(!stamp.matches("检验有效期至2026年04月粤8(03)"));
        assert!(!stamp.matches("检验有效期至2028年05月川AK(2)"));
        assert!(!stamp.matches("检验有效期至2027年04月鄂AA()"));
        assert!(!stamp.matches("检验有效期至2022年04月吉AT(10n)"));
    }

    #[test]
    fn definitions_expand_in_order() {
        let defs = definitions("a = x\n  | y\n# no\nb = $a z\n").expect("parses");
        assert_eq!(defs[0], ("a".into(), "x | y".into()));
        assert_eq!(expand(&defs[1].1, &defs[..1]), Ok("(x | y) z".into()));
        assert!(expand("$c", &defs).is_err());
        assert!(definitions("  x").is_err());
    }
}
