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

#[test]
fn a_municipality_seal_is_a_zongdui() {
    assert_eq!(
        n("上海市公安局交通警察支队"),
        ("上海市公安局交通警察总队".into(), true)
    );
    // A city's is a 支队; a municipality's other authorities are left as read.
    assert_eq!(
        n("上海市浦东新区公安局交通警察支队").0,
        "上海市浦东新区公安局交通警察支队"
    );
    assert_eq!(
        n("杭州市公安局交通警察支队"),
        ("杭州市公安局交通警察支队".into(), true)
    );
    assert_eq!(
        n("北京市公安局公安交通管理局"),
        ("北京市公安局公安交通管理局".into(), true)
    );
}

/// The reading of one line that reads `text` surely but at `unsure`.
fn one_line(text: &str, unsure: &[(usize, &[(char, f32)])]) -> Vec<Reading> {
    vec![Reading {
        lattice: crate::test_lattice(text, unsure),
        cut: crate::Cut::Line,
        weight: 1.0,
        printing: 0,
    }]
}

/// A seal read from one line that reads `text` surely but at `unsure`, beside `plate` and
/// `address`.
fn read_seal(text: &str, unsure: &[(usize, &[(char, f32)])], plate: &str) -> (String, bool) {
    let mut seal = crate::test_value(text, false);
    seal.readings = one_line(text, unsure);
    let known = read_under_grammar(&mut seal, &witnessed_seals(plate, ""));
    (seal.text, known)
}

#[test]
fn a_seal_is_read_under_its_grammar_and_the_plate_vouches_for_its_place() {
    // `吕` read surely, `昌` given 0.3%: no listed place within the grammar's margin, but the
    // plate's (Nanchang's) is.
    let unsure: &[(usize, &[(char, f32)])] = &[(4, &[('吕', 0.8), ('昌', 0.003)])];
    let text = "江西省南吕市公安局交通警察支队";
    assert_eq!(
        read_seal(text, unsure, "赣A12345"),
        ("江西省南昌市公安局交通警察支队".into(), true)
    );
    assert_eq!(read_seal(text, unsure, "京A12345"), (text.into(), false));
    // A listed place the recognizer gave 20% is taken without a witness; label characters
    // read around the seal are dropped.
    let unsure: &[(usize, &[(char, f32)])] = &[(5, &[('吕', 0.7), ('昌', 0.2)])];
    assert_eq!(
        read_seal("车江西省南吕市公安局交通警察支队注", unsure, ""),
        ("江西省南昌市公安局交通警察支队".into(), true)
    );
    // A place read surely is kept, whatever the plate says.
    let text = "四川省成都市公安局交通警察支队";
    assert_eq!(read_seal(text, &[], "粤B12345"), (text.into(), true));
    // A municipality's seal is a 总队.
    assert_eq!(
        read_seal("上海市公安局交通警察支队", &[], "沪A12345").0,
        "上海市公安局交通警察总队"
    );
}

#[test]
fn characters_before_a_city_are_no_label_stamped_over() {
    // `东省广州市...` lost its first character: not a seal of `广州市` with `东省` stamped over
    // it (the text's closest place puts it right).
    let (text, known) = read_seal("东省广州市公安局交通警察支队", &[], "");
    assert!(!known, "{text}");
    assert_eq!(
        read_seal("杭州市公安局交通警察支队", &[], ""),
        ("杭州市公安局交通警察支队".into(), true)
    );
}

#[test]
fn a_seal_read_from_lattices_that_names_no_listed_place_is_marked() {
    let read = |text: &str| read_beside(text, "");
    // An ending, but no place before it that a seal names.
    assert!(!read("江西省南雪市公安局文航号码通督察支队").1);
    // A listed seal, and one the text rules put right, stand.
    assert_eq!(
        read("四川省成都市公安局交通警察支队"),
        ("四川省成都市公安局交通警察支队".into(), true)
    );
    assert_eq!(
        read("东省深圳市公安局交通警察支队"),
        ("广东省深圳市公安局交通警察支队".into(), true)
    );
}

/// A seal read from one line that reads `text` surely, on a card whose plate reads `plate`, as
/// `agree_seal_and_plate` leaves it, and whether it is valid.
fn read_beside(text: &str, plate: &str) -> (String, bool) {
    read_beside_address(text, plate, "")
}

/// [`read_beside`] on a card whose address reads `address`.
fn read_beside_address(text: &str, plate: &str, address: &str) -> (String, bool) {
    read_beside_surely(text, plate, address, 0.9)
}

/// [`read_beside_address`] with the seal's weakest character read at `confidence`.
fn read_beside_surely(text: &str, plate: &str, address: &str, confidence: f32) -> (String, bool) {
    let mut seal = crate::test_value(text, true);
    seal.confidence = confidence;
    seal.readings = vec![Reading {
        lattice: crate::test_lattice(text, &[]),
        cut: crate::Cut::Line,
        weight: 1.0,
        printing: 0,
    }];
    let mut fields = FrontFields {
        fields: vec![
            (FrontField::Number, crate::test_value(plate, true)),
            (FrontField::Address, crate::test_value(address, true)),
            (FrontField::IssuingAuthority, seal),
        ],
        ..FrontFields::default()
    };
    agree_seal_and_plate(&mut fields);
    let seal = fields.get(FrontField::IssuingAuthority).expect("a seal");
    (seal.text.clone(), seal.valid)
}

#[test]
fn a_garbled_seal_is_the_likeliest_seal_of_the_plates_place_marked() {
    // The place garbled by the stamp's ink, the ending legible: Urumqi's seal (plate 新A), the
    // ending its reading shows, marked as not read.
    assert_eq!(
        read_beside("新醋批书尔语木公安局交通警察支队", "新A3V701"),
        ("新疆维吾尔自治区乌鲁木齐市公安局交通警察支队".into(), false)
    );
    assert_eq!(
        read_beside("安被省合肥市公安场交热通管理局", "皖A12345"),
        ("安徽省合肥市公安局交通管理局".into(), false)
    );
    // Without a plate or address naming a place, or with a place read: as read, marked.
    let garbled = "新醋批书尔语木公安局交通警察支队";
    assert_eq!(read_beside(garbled, ""), (garbled.into(), false));
    let office = "乌鲁木齐市公安局天山分局交通警察大队";
    assert_eq!(read_beside(office, "新A3V701"), (office.into(), false));
}

#[test]
fn a_seal_naming_no_listed_place_is_the_seal_of_the_place_plate_and_address_both_name() {
    // The ink garbled the place into another name ending in `市`, read unsurely: Urumqi's
    // seal where the plate (新A) and the address both name Urumqi, marked as not read.
    let garbled = "河情女自井不市市公安局交通警察支队";
    let urumqi = "新疆维吾尔自治区乌鲁木齐市沙依巴克区文化路354号";
    let unsure =
        |seal: &str, plate: &str, address: &str| read_beside_surely(seal, plate, address, 0.2);
    assert_eq!(
        unsure(garbled, "新A39998", urumqi),
        ("新疆维吾尔自治区乌鲁木齐市公安局交通警察支队".into(), false)
    );
    // Read surely, an unlisted place stays (a county's office, say), marked.
    assert_eq!(
        read_beside_address(garbled, "新A39998", urumqi),
        (garbled.into(), false)
    );
    // One witness, or two that disagree, leave a place read as read (marked).
    assert_eq!(unsure(garbled, "新A39998", ""), (garbled.into(), false));
    let karamay = "新疆维吾尔自治区克拉玛依市白碱滩区文化路1号";
    assert_eq!(
        unsure(garbled, "新A39998", karamay),
        (garbled.into(), false)
    );
    // A sub-city office's seal and a listed seal stay.
    let office = "乌鲁木齐市公安局天山分局交通警察大队";
    assert_eq!(unsure(office, "新A39998", urumqi), (office.into(), false));
    let listed = "新疆维吾尔自治区昌吉回族自治州公安局交通警察支队";
    assert_eq!(unsure(listed, "新A39998", urumqi), (listed.into(), true));
}

/// A plate read from one line that reads `text` surely but at `unsure`, under a seal of
/// `prefix`'s place.
fn plate_under(
    text: &str,
    unsure: &[(usize, &[(char, f32)])],
    prefix: &str,
    witnessed: bool,
) -> Option<String> {
    let mut plate = crate::test_value(text, false);
    plate.readings = one_line(text, unsure);
    plate_under_seal(&plate, prefix, witnessed).map(|d| d.text)
}

#[test]
fn a_plate_is_read_again_with_the_seals_place_as_witness() {
    // The province's fine strokes read as another character (the seal's province given 0.1%),
    // after a label's remnant: the seal's province before the tail that starts with its office
    // letter.
    let province_unsure: &[(usize, &[(char, f32)])] = &[(2, &[('频', 0.7), ('赣', 0.001)])];
    assert_eq!(
        plate_under("号码频AFD9636", province_unsure, "赣A", false).as_deref(),
        Some("赣AFD9636")
    );
    // Read surely as another character, the seal's province is not within the margin (the
    // text rule `province_from_seal` is left to judge).
    assert_eq!(plate_under("号码频AFD9636", &[], "赣A", false), None);
    // The province read as two letters, the second given the province a little.
    let two_letters: &[(usize, &[(char, f32)])] = &[(1, &[('R', 0.6), ('陕', 0.01)])];
    assert_eq!(
        plate_under("JRA96Z04", two_letters, "陕A", false).as_deref(),
        Some("陕A96Z04")
    );
    // Another province read is kept unless the address witnesses the seal's.
    let other: &[(usize, &[(char, f32)])] = &[(0, &[('粤', 0.6), ('湘', 0.01)])];
    assert_eq!(plate_under("粤A13990", other, "湘A", false), None);
    assert_eq!(
        plate_under("粤A13990", other, "湘A", true).as_deref(),
        Some("湘A13990")
    );
    // The plate already the seal's province: nothing to do.
    assert_eq!(plate_under("赣A13990", &[], "赣A", true), None);
    // No tail that is a plate with the seal's office letter.
    assert_eq!(
        plate_under("号码频BFD9636", province_unsure, "赣A", false),
        None
    );
}
