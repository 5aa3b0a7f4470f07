//! Tests of reading values under their grammars, on hand-made lattices.

use super::*;
use crate::test_lattice as lattice;

/// A reading of a line.
fn line(lattice: Lattice) -> Reading {
    Reading {
        lattice,
        cut: Cut::Line,
        weight: 1.0,
        printing: 0,
    }
}

/// The value of `kind` read from a line that reads `text` surely but at `unsure`.
fn read(kind: Kind, text: &str, unsure: &[(usize, &[(char, f32)])]) -> Option<String> {
    decode(kind, &[&line(lattice(text, unsure))])
        .decision
        .map(|d| d.text)
}

#[test]
fn a_plate_takes_the_province_the_grammar_wants() {
    let read = lattice("8ADU1678", &[(0, &[('8', 0.7), ('赣', 0.2)])]);
    let decided = decode(Kind::Plate, &[&line(read)])
        .decision
        .expect("a plate");
    assert_eq!(decided.text, "赣ADU1678");
    // A reading far from any plate is none.
    assert_eq!(
        decode(Kind::Plate, &[&line(lattice("ABCDEFG", &[]))]).decision,
        None
    );
}

#[test]
fn a_slashed_zero_read_as_eight_is_a_zero_where_the_recognizer_saw_one() {
    // The first digit read 8 at 0.75 with 0 at 0.24: the cards' slashed zero.
    assert_eq!(
        read(
            Kind::CodeNumber,
            "8537435716069",
            &[(0, &[('8', 0.75), ('0', 0.24)])]
        ),
        Some("0537435716069".into())
    );
    // An 8 read clearly stays one.
    assert_eq!(
        read(
            Kind::CodeNumber,
            "8537435716069",
            &[(0, &[('8', 0.99), ('0', 0.005)])]
        ),
        Some("8537435716069".into())
    );
}

#[test]
fn a_label_end_is_cut_and_small_letters_are_capitals() {
    assert_eq!(
        read(Kind::Plate, "号码京a12345", &[]),
        Some("京A12345".into())
    );
}

#[test]
fn a_vin_prefers_a_passing_check_digit_among_close_readings() {
    // LSVFF66R8C2116280 passes; the recognizer was torn between 8 and B at the 9th.
    assert_eq!(
        read(
            Kind::Vin,
            "LSVFF66RBC2116280",
            &[(8, &[('B', 0.5), ('8', 0.45)])]
        ),
        Some("LSVFF66R8C2116280".into())
    );
    // A clear reading that fails stays as read.
    assert_eq!(
        read(Kind::Vin, "LSVFF66R9C2116280", &[]),
        Some("LSVFF66R9C2116280".into())
    );
}

#[test]
fn a_vin_takes_the_likeliest_of_two_close_values_that_pass() {
    // Read `LBVH766U7HP978531` (fails), torn between 6 and G at the 6th and between P and F at
    // the 11th: `LBVH7G6U7HP978531` and `LBVH766U7HF978531` both pass; the likelier is taken.
    assert_eq!(
        read(
            Kind::Vin,
            "LBVH766U7HP978531",
            &[
                (5, &[('6', 0.55), ('G', 0.4)]),
                (10, &[('P', 0.6), ('F', 0.35)])
            ]
        ),
        Some("LBVH7G6U7HP978531".into())
    );
}

#[test]
fn an_unsure_vin_character_is_its_look_alike_when_only_that_passes() {
    // `J` read as `3` at 0.6: the look-alike channel gives `J` a tenth of it.
    assert_eq!(
        read(Kind::Vin, "LFP5AJ0N873657623", &[(10, &[('3', 0.6)])]),
        Some("LFP5AJ0N87J657623".into())
    );
    // Read surely, the failing VIN stays as printed (the specimen's fails).
    assert_eq!(
        read(Kind::Vin, "HHGHH555778802669", &[]),
        Some("HHGHH555778802669".into())
    );
}

#[test]
fn a_date_with_a_letter_is_no_date_or_an_unlikely_one() {
    let letter = lattice("2013-06-1A", &[]);
    let decided = decode(Kind::Date, &[&line(letter)]).decision;
    assert!(
        decided.as_ref().is_none_or(|d| d.confidence < 0.01),
        "{decided:?}"
    );
    assert_eq!(
        read(Kind::Date, "2013一06-17", &[]),
        Some("2013-06-17".into())
    );
}

#[test]
fn the_label_alone_is_no_value() {
    // A covered value: the label's spaced second character, its last with a block's edge
    // read weakly, the English sub-label.
    assert_eq!(read(Kind::Address, "址", &[]), Some(String::new()));
    assert_eq!(
        read(Kind::Name, "人一", &[(1, &[('一', 0.3)])]),
        Some(String::new())
    );
    assert_eq!(read(Kind::Plate, "号牌号码", &[]), Some(String::new()));
    assert_eq!(read(Kind::Date, "Register Date", &[]), Some(String::new()));
    // A value read with it is the value; a name of two characters after the label stays.
    assert_eq!(read(Kind::Name, "人王京", &[]), Some("王京".into()));
    // The label alone in one reading, the value in another (a row of the card): the value.
    let label = line(lattice("车辆类型", &[]));
    let row = Reading {
        lattice: lattice("车辆类型小型轿车", &[]),
        cut: Cut::Row,
        weight: 1.0,
        printing: 0,
    };
    let decided = decode(Kind::VehicleType, &[&label, &row]).decision;
    assert_eq!(decided.map(|d| d.text), Some("小型轿车".into()));
}

#[test]
fn a_fragment_shorter_than_any_legible_part_of_a_value_is_no_value() {
    // What a recognizer makes of a mask over an address or an engine number: no value.
    assert_eq!(read(Kind::Address, "北", &[]), Some(String::new()));
    assert_eq!(
        read(Kind::Address, "止一", &[(1, &[('一', 0.4)])]),
        Some(String::new())
    );
    assert_eq!(read(Kind::EngineNo, "55", &[]), Some(String::new()));
    assert_eq!(read(Kind::Inspection, "HNN", &[]), Some(String::new()));
    // A municipality, an engine number's first characters, a row's full value beside a
    // fragment: kept.
    assert_eq!(read(Kind::Address, "北京市", &[]), Some("北京市".into()));
    assert_eq!(read(Kind::EngineNo, "8B213", &[]), Some("8B213".into()));
    let fragment = line(lattice("北", &[]));
    let row = Reading {
        lattice: lattice("北京市东城区和平街12号", &[]),
        cut: Cut::Row,
        weight: 1.0,
        printing: 0,
    };
    let decided = decode(Kind::Address, &[&fragment, &row]).decision;
    assert_eq!(
        decided.map(|d| d.text),
        Some("北京市东城区和平街12号".into())
    );
}

#[test]
fn a_listed_brand_is_preferred_then_any() {
    assert_eq!(
        read(
            Kind::Model,
            "驱歌牌GHA4895XL",
            &[(0, &[('驱', 0.6), ('讴', 0.3)])]
        ),
        Some("讴歌牌GHA4895XL".into())
    );
    assert_eq!(
        read(Kind::Model, "新源牌XY2101", &[]),
        Some("新源牌XY2101".into())
    );
}

#[test]
fn a_model_code_may_end_in_a_small_letter_of_its_own_shape() {
    // Printed small and read so: kept.
    assert_eq!(
        read(Kind::Model, "斯柯达牌SVW0009m", &[]),
        Some("斯柯达牌SVW0009m".into())
    );
    // A small letter that looks as its capital does (`s`), or one inside the code: capitals.
    assert_eq!(
        read(Kind::Model, "丰田牌TV7151s", &[]),
        Some("丰田牌TV7151S".into())
    );
    let inside = decode(
        Kind::Model,
        &[&line(lattice(
            "丰田牌TV71a51",
            &[(7, &[('a', 0.55), ('A', 0.4)])],
        ))],
    );
    assert_eq!(
        inside.decision.as_ref().map(|d| d.text.as_str()),
        Some("丰田牌TV71A51"),
        "{:?}",
        inside.trace
    );
}

#[test]
fn the_dotted_line_after_an_engine_number_and_its_label_before_are_no_part_of_it() {
    // A long number runs into the dotted line, read as dashes: the number is what precedes it.
    assert_eq!(
        read(Kind::EngineNo, "Z2AGERSW7EWU---", &[]),
        Some("Z2AGERSW7EWU".into())
    );
    // The end of its English sub-label (`No.`) read before it is no part of it either.
    assert_eq!(
        read(Kind::EngineNo, "NO.BTU229ZMU", &[]),
        Some("BTU229ZMU".into())
    );
    // A dash inside joins the number's parts.
    assert_eq!(
        read(Kind::EngineNo, "G4FG-BU1234", &[]),
        Some("G4FG-BU1234".into())
    );
}

#[test]
fn an_address_names_a_listed_city_after_its_province() {
    // `宣昌` is no city of 湖北省; the recognizer gave `宜` some weight.
    assert_eq!(
        read(
            Kind::Address,
            "湖北省宣昌市夷陵区李庄镇大庄村1组97号",
            &[(3, &[('宣', 0.7), ('宜', 0.25)])]
        ),
        Some("湖北省宜昌市夷陵区李庄镇大庄村1组97号".into())
    );
    // A county-level city no list holds, read surely, stays.
    assert_eq!(
        read(Kind::Address, "江苏省昆山市环城南路320号", &[]),
        Some("江苏省昆山市环城南路320号".into())
    );
}

#[test]
fn a_company_is_preferred_spelling_what_it_does_as_companies_do() {
    // `租货` is no trade; the recognizer gave `赁` a little weight.
    assert_eq!(
        read(
            Kind::Name,
            "深圳雨刚汽车租货有限公司",
            &[(7, &[('货', 0.8), ('赁', 0.1)])]
        ),
        Some("深圳雨刚汽车租赁有限公司".into())
    );
    // Read surely, the word stays as read: a listed one the recognizer all but ruled out
    // (0.1%, beyond the preference's margin) does not take its place.
    assert_eq!(
        read(
            Kind::Name,
            "深圳雨刚汽车租货有限公司",
            &[(7, &[('货', 0.999), ('赁', 0.001)])]
        ),
        Some("深圳雨刚汽车租货有限公司".into())
    );
}

#[test]
fn a_passenger_count_under_a_hundred_is_preferred_where_the_readings_allow() {
    // A third digit the recognizer half saw as nothing (a dot of the background) goes.
    assert_eq!(
        read(Kind::Passengers, "380人", &[(1, &[('8', 0.85)])]),
        Some("30人".into())
    );
    // Read surely, a large bus's count stays.
    assert_eq!(
        read(Kind::Passengers, "380人", &[(1, &[('8', 0.999)])]),
        Some("380人".into())
    );
    assert_eq!(read(Kind::Passengers, "120人", &[]), Some("120人".into()));
    // No count of people starts with a 0: the digit the recognizer gave some weight is read.
    assert_eq!(
        read(Kind::Passengers, "0人", &[(0, &[('0', 0.7), ('6', 0.2)])]),
        Some("6人".into())
    );
    assert_ne!(read(Kind::Passengers, "09人", &[]), Some("09人".into()));
}

#[test]
fn a_model_code_ends_with_a_letter_or_digit() {
    // A dash after the code (the row's rule read as one) is no part of it, where the
    // recognizer saw nothing there too.
    assert_eq!(
        read(Kind::Model, "奥迪牌FV7991-", &[(9, &[('-', 0.7)])]),
        Some("奥迪牌FV7991".into())
    );
}

#[test]
fn a_house_number_follows_a_street_where_the_readings_allow() {
    // `送` ends no street; the recognizer gave `道` a little weight.
    assert_eq!(
        read(
            Kind::Address,
            "天津市南开区滨河大送24号",
            &[(9, &[('送', 0.8), ('道', 0.1)])]
        ),
        Some("天津市南开区滨河大道24号".into())
    );
    // Read surely, a number after a character the list does not hold stays as read: a listed
    // one the recognizer all but ruled out does not take its place.
    assert_eq!(
        read(
            Kind::Address,
            "天津市南开区阳光100号",
            &[(7, &[('光', 0.999), ('路', 0.001)])]
        ),
        Some("天津市南开区阳光100号".into())
    );
}

#[test]
fn a_stamp_names_its_office_by_a_letter_where_the_readings_allow() {
    // A digit after the province is a misread office letter; the recognizer gave `Z` a little
    // weight.
    assert_eq!(
        read(
            Kind::Inspection,
            "检验有效期至2012年01月京2F(15)",
            &[(15, &[('2', 0.8), ('Z', 0.1)])]
        ),
        Some("检验有效期至2012年01月京ZF(15)".into())
    );
}

#[test]
fn a_text_as_read_is_known_for_a_value_of_its_kind() {
    assert_eq!(Kind::Passengers.holds_value("5人"), Some(true));
    assert_eq!(Kind::Passengers.holds_value("1756kg"), Some(false));
    assert_eq!(Kind::Mass.holds_value("1756kg"), Some(true));
    assert_eq!(Kind::Dimension.holds_value("4954x1756x1456mm"), Some(true));
    // A blank's dashes are printed in any field: no evidence of which.
    assert_eq!(Kind::Mass.holds_value("--"), Some(false));
    // Names take almost any text: they say nothing.
    assert_eq!(Kind::Name.holds_value("王京"), None);
}

#[test]
fn a_word_read_without_a_character_the_readings_saw_pays_for_it() {
    // `非营运` read `非责还` by one recognizer (营 not among its symbols) and `带强还` by the other:
    // `营运` fits the two as well as `非营运` wherever it lies in the lines, but not once the
    // `非` both saw must be read as nothing.
    let accurate = line(lattice(
        "非责还",
        &[
            (0, &[('非', 0.69), ('带', 0.1)]),
            (1, &[('责', 0.33), ('重', 0.09)]),
            (2, &[('还', 0.63), ('运', 0.1)]),
        ],
    ));
    let fast = Reading {
        weight: crate::FIRST_PASS_WEIGHT,
        ..line(lattice(
            "带强还",
            &[
                (0, &[('带', 0.33), ('非', 0.16)]),
                (1, &[('强', 0.67), ('营', 0.026)]),
                (2, &[('还', 0.69), ('运', 0.016)]),
            ],
        ))
    };
    let decided = decode(Kind::UseCharacter, &[&accurate, &fast]).decision;
    assert_eq!(decided.map(|d| d.text).as_deref(), Some("非营运"));
}

#[test]
fn the_common_use_character_is_preferred_where_its_first_character_is_faint() {
    // `非` given 8% (a blur, or the label's ink over it): a private car's `非营运`, the common
    // word, rather than the rare `营运` that reading it as nothing gives.
    assert_eq!(
        read(Kind::UseCharacter, "非营运", &[(0, &[('非', 0.08)])]),
        Some("非营运".into())
    );
    // Given 1%, the `非` is not there: `营运` as read.
    assert_eq!(
        read(Kind::UseCharacter, "非营运", &[(0, &[('非', 0.01)])]),
        Some("营运".into())
    );
    // Another word read plainly is not made the common one.
    assert_eq!(read(Kind::UseCharacter, "货运", &[]), Some("货运".into()));
}

/// A strip led in from the value's label.
fn lead_in(lattice: Lattice) -> Reading {
    Reading {
        cut: Cut::LeadIn,
        ..line(lattice)
    }
}

#[test]
fn a_first_character_that_only_strips_led_in_from_the_label_see_is_kept() {
    // The detector's line starts a character late; two of three strips led in see the `5`.
    let own = [line(lattice("FF95X9", &[])), line(lattice("FF95X9", &[]))];
    let strips = [
        lead_in(lattice("码5FF95X9", &[])),
        lead_in(lattice("5FF95X9", &[])),
        lead_in(lattice("FF95X9", &[])),
    ];
    let readings: Vec<&Reading> = own.iter().chain(&strips).collect();
    let decided = decode(Kind::EngineNo, &readings).decision.expect("a value");
    assert_eq!(decided.text, "5FF95X9");
    // The line alone says what it shows; strips that see no more add no character.
    let decided = decode(Kind::EngineNo, &[&own[0], &own[1]]).decision;
    assert_eq!(decided.expect("a value").text, "FF95X9");
    let plain = [
        lead_in(lattice("FF95X9", &[])),
        lead_in(lattice("FF95X9", &[])),
    ];
    let readings: Vec<&Reading> = own.iter().chain(&plain).collect();
    let decided = decode(Kind::EngineNo, &readings).decision;
    assert_eq!(decided.expect("a value").text, "FF95X9");
}

#[test]
fn strips_that_see_the_label_end_right_before_a_value_witness_its_first_character() {
    // The line took the label's `码` for a `5`; every strip led in shows `码` and then one `5`
    // (p11901 front-0076: `5LTTHD43T` answered `55LTTHD43T`).
    let own = [
        line(lattice("55LTTHD43T", &[])),
        line(lattice("55LTTHD43T", &[])),
    ];
    let strips = [
        lead_in(lattice("码5LTTHD43T", &[])),
        lead_in(lattice("号码5LTTHD43T", &[])),
        lead_in(lattice("码5LTTHD43T", &[])),
    ];
    let readings: Vec<&Reading> = own.iter().chain(&strips).collect();
    let decided = decode(Kind::EngineNo, &readings).decision.expect("a value");
    assert_eq!(decided.text, "5LTTHD43T");
}

#[test]
fn a_vin_read_one_short_at_its_start_gets_a_first_character_back() {
    // Sixteen signs: the line started a character late. 3, C, L and T all make the check digit
    // pass; a China-made vehicle's L is taken.
    for text in ["SVFF66R8C2116280", "代号SVFF66R8C2116280"] {
        assert_eq!(read(Kind::Vin, text, &[]), Some("LSVFF66R8C2116280".into()));
    }
    // Printed with a failing check digit, the L still comes back.
    assert_eq!(
        read(Kind::Vin, "FPR3BHL7N0261731", &[]),
        Some("LFPR3BHL7N0261731".into())
    );
    // A whole VIN read clearly keeps its first sign, imported or not.
    assert_eq!(
        read(Kind::Vin, "WBAPH5C51BA123456", &[]),
        Some("WBAPH5C51BA123456".into())
    );
    // An L nearly as likely as what was read at the start is preferred.
    assert_eq!(
        read(
            Kind::Vin,
            "1SVFF66R8C2116280",
            &[(0, &[('1', 0.6), ('L', 0.35)])]
        ),
        Some("LSVFF66R8C2116280".into())
    );
}

#[test]
fn a_closed_vocabulary_answers_its_likeliest_word_when_no_reading_holds_one() {
    // `厢` was never among the recognizer's guesses: no reading holds a listed type within the
    // margin, but one type is five of six characters away.
    let decided = decode(Kind::VehicleType, &[&line(lattice("轻型加式货车", &[]))])
        .decision
        .expect("a word");
    assert_eq!(decided.text, "轻型厢式货车");
    assert!(!decided.valid && decided.confidence < 0.01, "{decided:?}");
    assert_eq!(
        read(Kind::UseCharacter, "预内出E各适", &[]),
        Some("预约出租客运".into())
    );
    // A word inside a longer one is not taken for it when the reading shows the longer.
    assert_eq!(
        read(Kind::UseCharacter, "甘非营运", &[]),
        Some("非营运".into())
    );
    // English read before a use character is allowed for, as before a vehicle type.
    let decided = decode(Kind::UseCharacter, &[&line(lattice("Characte非营运", &[]))]).decision;
    assert!(
        decided
            .as_ref()
            .is_some_and(|d| d.valid && d.text == "非营运"),
        "{decided:?}"
    );
    // Nothing of any word seen: no value.
    assert_eq!(read(Kind::VehicleType, "People'sR9R", &[]), None);
    // Two characters of four misread: the word of the reading's length, not a short one that
    // matches its end and leaves three seen characters unexplained (`营运`).
    assert_eq!(
        read(Kind::UseCharacter, "出种将运", &[]),
        Some("出租客运".into())
    );
}

#[test]
fn a_vehicle_type_the_list_lacks_read_surely_is_kept_as_read() {
    // Two characters or more from the list's likeliest word, read surely: the card prints a
    // type the list lacks, and the reading is answered as read (no decision), where one
    // misread character still gives the list's word, and so does a piece of the value.
    let decoded = decode(Kind::VehicleType, &[&line(lattice("轮式专用机械车", &[]))]);
    assert!(decoded.decision.is_none(), "{:?}", decoded.decision);
    assert!(
        decoded.trace.iter().any(|t| t.contains("kept as read")),
        "{:?}",
        decoded.trace
    );
    assert_eq!(
        read(Kind::VehicleType, "轻型加式货车", &[]),
        Some("轻型厢式货车".into())
    );
    let piece = read(Kind::VehicleType, "普通客车", &[]);
    assert!(
        piece
            .as_deref()
            .is_some_and(|t| t.len() > "普通客车".len() && t.ends_with("普通客车")),
        "{piece:?}"
    );
    // The use characters' list is the whole code table: its likeliest word stands.
    assert_eq!(
        read(Kind::UseCharacter, "出种将运", &[]),
        Some("出租客运".into())
    );
}

#[test]
fn a_field_some_cards_leave_unprinted_takes_a_value_only_well_above_nothing() {
    // Printed and read: the energy type.
    assert_eq!(read(Kind::EnergyType, "柴油", &[]), Some("柴油".into()));
    assert_eq!(
        read(
            Kind::EnergyType,
            "汽油/电",
            &[(3, &[('电', 0.6), ('由', 0.3)])]
        ),
        Some("汽油/电".into())
    );
    // Stray ink, its strokes half like `电`: nothing is printed there.
    assert_eq!(
        read(Kind::EnergyType, "由", &[(0, &[('由', 0.5), ('电', 0.3)])]),
        Some(String::new())
    );
}

#[test]
fn a_back_value_run_on_into_the_next_label_is_read() {
    // The detector ran the passengers' line on into the next label of the row, read wrongly.
    assert_eq!(
        read(Kind::Passengers, "3人机定救社量", &[]),
        Some("3人".into())
    );
    assert_eq!(
        read(Kind::Mass, "2114kg核定载质量", &[]),
        Some("2114kg".into())
    );
    assert_eq!(
        read(Kind::Dimension, "4208×1958×1525mm准牵引总质量", &[]),
        Some("4208×1958×1525mm".into())
    );
    // What runs on is a label, never the value's unit: dashes before `人` are no blank.
    let grammars = Grammars::get();
    assert!(grammars.pattern("passengers").matches("—总质量"));
    assert!(!grammars.pattern("passengers").matches("—人"));
    assert!(!grammars.pattern("mass").matches("--kg"));
}

#[test]
fn readings_that_disagree_leave_the_value_unsure_however_sure_each_is() {
    // The plate's two printings: the main page reads `Q` surely, the back page `0`.
    let back_page = |text: &str| Reading {
        printing: 1,
        ..line(lattice(text, &[]))
    };
    let main = line(lattice("苏A6263Q", &[]));
    let back = back_page("苏A62630");
    let decided = decode(Kind::Plate, &[&main, &back])
        .decision
        .expect("a plate");
    assert!(["苏A6263Q", "苏A62630"].contains(&decided.text.as_str()));
    assert!(decided.confidence <= 0.55, "{}", decided.confidence);
    // Alone, either printing is sure of itself.
    let alone = decode(Kind::Plate, &[&main]).decision.expect("a plate");
    assert!(alone.confidence > 0.8, "{}", alone.confidence);
    // A second reading that agrees leaves the value sure.
    let again = back_page("苏A6263Q");
    let agreed = decode(Kind::Plate, &[&main, &again])
        .decision
        .expect("a plate");
    assert!(agreed.confidence > 0.8, "{}", agreed.confidence);
}

#[test]
fn a_character_one_recognizer_cannot_write_is_taken_from_the_one_that_can() {
    // The fast recognizer cannot write 燊 and reads it surely as 乐; the accurate one reads 燊
    // surely enough to pass over the preference for common given-name characters (2.5 nats).
    let accurate = line(lattice("马昊燊", &[(2, &[('燊', 0.95), ('乐', 0.02)])]));
    let fast_lattice = lattice("马昊乐", &[(2, &[('乐', 0.9)])]);
    let fast = |lattice: Lattice| Reading {
        weight: crate::FIRST_PASS_WEIGHT,
        ..line(lattice)
    };
    let name = |fast: &Reading| {
        decode(Kind::Name, &[&accurate, fast])
            .decision
            .map(|d| d.text)
    };
    // Taken at its word, the fast reading counts against 燊 as against a character it saw
    // otherwise.
    assert_eq!(name(&fast(fast_lattice.clone())).as_deref(), Some("马昊乐"));
    let alphabet = vlocr_ctc::Alphabet::new("马昊乐".chars());
    let knowing = fast(fast_lattice.with_alphabet(alphabet));
    assert_eq!(name(&knowing).as_deref(), Some("马昊燊"));
}
