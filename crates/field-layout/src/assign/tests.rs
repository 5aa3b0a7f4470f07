//! Tests of the field assignment on hand-placed lines.

use super::*;

use crate::labels::TITLE_SPAN;
use crate::test_line as line;

fn specimen_like() -> Vec<TextLine> {
    vec![
        line("中华人民共和国机动车行驶证", 0.37, 0.08),
        line("号牌号码", 0.04, 0.2),
        line("京AA5599", 0.17, 0.2),
        line("车辆类型", 0.45, 0.2),
        line("小型轿车", 0.63, 0.2),
        line("Plate No.", 0.03, 0.24),
        line("所有", 0.04, 0.32),
        line("人王京", 0.11, 0.32),
        line("住", 0.04, 0.44),
        line("址北京市石景山区", 0.13, 0.44),
        line("Address", 0.03, 0.48),
        line("使用性质非营运", 0.04, 0.56),
        line("品牌型号", 0.39, 0.56),
        line("讴歌牌GHA7150JAD5B", 0.53, 0.56),
        line("北京市公", 0.07, 0.72),
        line("车辆识别代号", 0.29, 0.68),
        line("HHGHH555778802669", 0.47, 0.68),
        line("安局公安", 0.07, 0.8),
        line("发动机号码", 0.29, 0.8),
        line("112244", 0.45, 0.8),
        line("交通管理局", 0.06, 0.88),
        line("注册日期2018-06-14", 0.29, 0.91),
        line("发证日期2018-06-14", 0.65, 0.91),
    ]
}

#[test]
fn specimen_fields() {
    let fields = read_front(&specimen_like());
    let get = |f| {
        fields
            .get(f)
            .map(|v| v.text.as_str())
            .unwrap_or("<missing>")
    };
    assert_eq!(get(FrontField::Number), "京AA5599");
    assert_eq!(get(FrontField::VehicleType), "小型轿车");
    assert_eq!(get(FrontField::Name), "王京");
    assert_eq!(get(FrontField::Address), "北京市石景山区");
    assert_eq!(get(FrontField::UseCharacter), "非营运");
    assert_eq!(get(FrontField::Model), "讴歌牌GHA7150JAD5B");
    assert_eq!(get(FrontField::Vin), "HHGHH555778802669");
    assert_eq!(get(FrontField::EngineNo), "112244");
    assert_eq!(get(FrontField::RegisterDate), "2018-06-14");
    assert_eq!(get(FrontField::IssueDate), "2018-06-14");
    assert_eq!(
        get(FrontField::IssuingAuthority),
        "北京市公安局公安交通管理局"
    );
    assert!(fields.labels_found >= 8);
    // The test card is 880 x 600 px at the origin: the fitted frame puts its corners there.
    let outline = fields.outline.expect("a frame was fitted");
    let expected = [(0.0, 0.0), (880.0, 0.0), (880.0, 600.0), (0.0, 600.0)];
    for (corner, (x, y)) in outline.points.iter().zip(expected) {
        assert!(
            (corner.x - x).abs() < 15.0 && (corner.y - y).abs() < 15.0,
            "{outline:?}"
        );
    }
}

#[test]
fn values_say_whether_they_followed_their_label_and_keep_their_own_quad() {
    let fields = read_front(&specimen_like());
    let after = |f| fields.get(f).map(|v| v.after_label);
    // `使用性质非营运` and `注册日期2018-06-14` are read with their labels.
    assert_eq!(after(FrontField::UseCharacter), Some(true));
    assert_eq!(after(FrontField::RegisterDate), Some(true));
    // The plate and the VIN are lines of their own.
    assert_eq!(after(FrontField::Number), Some(false));
    assert_eq!(after(FrontField::Vin), Some(false));
    // A value of one piece is located by that piece: the date's characters of its line.
    let quad = fields
        .get(FrontField::RegisterDate)
        .and_then(|v| v.quad)
        .expect("a quad");
    let label_end = 0.29 * 880.0 + 4.0 * 20.0;
    assert!((quad.points[0].x - label_end).abs() < 1.0, "{quad:?}");
}

#[test]
fn values_shifted_by_the_printer_still_land_in_their_fields() {
    // Every value 2 mm right and 1.5 mm down (0.023 and 0.025 of the card).
    let lines: Vec<TextLine> = specimen_like()
        .into_iter()
        .map(|l| {
            let is_value = !crate::labels::FRONT_LABELS
                .iter()
                .any(|lab| !lab.chinese.is_empty() && l.text.starts_with(lab.chinese));
            if is_value {
                TextLine {
                    quad: l.quad.map(|p| Point::new(p.x + 20.0, p.y + 15.0)),
                    ..l
                }
            } else {
                l
            }
        })
        .collect();
    let fields = read_front(&lines);
    assert_eq!(
        fields.get(FrontField::Number).map(|v| v.text.as_str()),
        Some("京AA5599")
    );
    assert_eq!(
        fields.get(FrontField::Vin).map(|v| v.text.as_str()),
        Some("HHGHH555778802669")
    );
    assert_eq!(
        fields.get(FrontField::EngineNo).map(|v| v.text.as_str()),
        Some("112244")
    );
}

#[test]
fn values_printed_half_a_row_high_keep_their_rows() {
    // Every printed value 3.5 mm (0.058 of the card, almost half a row) too high; the seal is
    // stamped, not printed, and stays.
    let seal = ["北京市公", "安局公安", "交通管理局"];
    let mut lines = specimen_like();
    lines[6] = line("所有人", 0.04, 0.32);
    lines[7] = line("王京", 0.19, 0.32);
    lines[8] = line("住址", 0.04, 0.44);
    lines[9] = line("北京市石景山区", 0.19, 0.44);
    let lines: Vec<TextLine> = lines
        .into_iter()
        .map(|l| {
            let is_label = crate::labels::FRONT_LABELS
                .iter()
                .any(|lab| !lab.chinese.is_empty() && l.text.starts_with(lab.chinese));
            let fixed = is_label || seal.contains(&l.text.as_str()) || is_english_label(&l.text);
            if fixed {
                l
            } else {
                TextLine {
                    quad: l.quad.map(|p| Point::new(p.x, p.y - 35.0)),
                    ..l
                }
            }
        })
        .collect();
    let fields = read_front(&lines);
    let get = |f| fields.get(f).map(|v| v.text.as_str());
    assert_eq!(get(FrontField::Number), Some("京AA5599"));
    assert_eq!(get(FrontField::Name), Some("王京"));
    assert_eq!(get(FrontField::Address), Some("北京市石景山区"));
    assert_eq!(get(FrontField::Model), Some("讴歌牌GHA7150JAD5B"));
    assert_eq!(get(FrontField::Vin), Some("HHGHH555778802669"));
    assert_eq!(get(FrontField::EngineNo), Some("112244"));
    assert_eq!(
        get(FrontField::IssuingAuthority),
        Some("北京市公安局公安交通管理局")
    );
}

#[test]
fn a_wrapped_address_is_joined() {
    let mut lines = specimen_like();
    lines[9] = line("址北京市石景山区", 0.13, 0.425);
    lines.push(line("古城路8号", 0.17, 0.47));
    let fields = read_front(&lines);
    assert_eq!(
        fields.get(FrontField::Address).map(|v| v.text.as_str()),
        Some("北京市石景山区古城路8号")
    );
}

#[test]
fn a_line_joining_two_fields_is_split_at_the_label() {
    let mut lines = specimen_like();
    lines[21] = line("注册日期", 0.29, 0.91);
    // As the detector joined them on a turned photo: from the first value to the last.
    let joined = "2018-06-14 发证日期 2019-01-02";
    lines[22] = TextLine {
        text: joined.into(),
        char_confidences: vec![0.99; joined.chars().count()],
        lattices: Vec::new(),
        quad: Quad::from_rect(
            0.4 * 880.0,
            0.91 * 600.0 - 12.0,
            0.96 * 880.0,
            0.91 * 600.0 + 12.0,
        ),
    };
    let fields = read_front(&lines);
    assert_eq!(
        fields
            .get(FrontField::RegisterDate)
            .map(|v| v.text.as_str()),
        Some("2018-06-14")
    );
    assert_eq!(
        fields.get(FrontField::IssueDate).map(|v| v.text.as_str()),
        Some("2019-01-02")
    );
}

#[test]
fn a_label_head_read_with_the_seal_is_not_part_of_it() {
    // The seal stamped over the next label: its middle line took the label's `发`, the label
    // was read as `动机号码` right after it on the same row.
    let mut lines = specimen_like();
    lines[17] = line("安局公安发", 0.07, 0.8);
    lines[18] = line("动机号码", 0.07 + 100.0 / 880.0, 0.8);
    let hits = find_labels(&lines, &FRONT_LABELS);
    assert_eq!(
        split_label_heads(&lines, &FRONT_LABELS, &hits),
        vec![(17, 4, 5)]
    );
    let fields = read_front(&lines);
    assert_eq!(
        fields
            .get(FrontField::IssuingAuthority)
            .map(|v| v.text.as_str()),
        Some("北京市公安局公安交通管理局")
    );
    assert_eq!(
        fields.get(FrontField::EngineNo).map(|v| v.text.as_str()),
        Some("112244")
    );
    // A seal line that merely ends like a label's head, far from the label, is not cut.
    let mut lines = specimen_like();
    lines[17] = line("安局公安发", 0.07, 0.8);
    let hits = find_labels(&lines, &FRONT_LABELS);
    assert!(split_label_heads(&lines, &FRONT_LABELS, &hits).is_empty());
}

#[test]
fn segments_skip_labels_and_spaces() {
    assert_eq!(segments("注册日期2018", &[(0, 4)]), vec![(4, 8)]);
    assert_eq!(segments("a b", &[]), vec![(0, 1), (2, 3)]);
    assert_eq!(segments("ab", &[(0, 2)]), vec![]);
}

#[test]
fn no_labels_no_fields() {
    let fields = read_front(&[line("hello", 0.1, 0.1), line("world", 0.5, 0.5)]);
    assert!(fields.fields.is_empty());
    assert_eq!(fields.labels_found, 0);
}

#[test]
fn a_low_unsure_speck_under_a_value_is_not_part_of_it() {
    let mut lines = specimen_like();
    // `12181`, read unsurely from the dots under the engine number, a third of its height.
    let mut speck = line("12181", 0.52, 0.82);
    speck.quad = Quad::from_rect(457.0, 490.0, 507.0, 497.0);
    speck.char_confidences = vec![0.4; 5];
    lines.push(speck.clone());
    let fields = read_front(&lines);
    assert_eq!(fields.get(FrontField::EngineNo).unwrap().text, "112244");
    // Without confidences nothing says it was read unsurely.
    speck.char_confidences = Vec::new();
    let mut lines = specimen_like();
    lines.push(speck.clone());
    let fields = read_front(&lines);
    assert_eq!(
        fields.get(FrontField::EngineNo).unwrap().text,
        "11224412181"
    );
    // Read surely, a low piece is kept: small print is still print.
    speck.char_confidences = vec![0.95; 5];
    let mut lines = specimen_like();
    lines.push(speck);
    let fields = read_front(&lines);
    assert_eq!(
        fields.get(FrontField::EngineNo).unwrap().text,
        "11224412181"
    );
}

#[test]
fn a_labels_end_goes_with_english_read_before_it() {
    let strip = |field, raw| strip_label_remnant(&FRONT_LABELS, field, raw);
    assert_eq!(strip(FrontField::Name, "人王京"), "王京");
    assert_eq!(
        strip(FrontField::Name, "VeháceType有人北京刚博物流有限公司"),
        "北京刚博物流有限公司"
    );
    assert_eq!(strip(FrontField::Address, "Address址北京市"), "北京市");
    // Not after digits (a date is no English), nor after one letter.
    assert_eq!(
        strip(FrontField::RegisterDate, "2014-05-06期"),
        "2014-05-06期"
    );
    assert_eq!(strip(FrontField::Name, "A人王京"), "A人王京");
    // English with no label's end after it stays for the field's own cleaning.
    assert_eq!(strip(FrontField::Name, "Owner王京"), "Owner王京");
}

/// A line's reading of `text`, sure but at `unsure`.
fn reading(text: &str, unsure: &[(usize, &[(char, f32)])]) -> Reading {
    Reading {
        lattice: crate::test_lattice(text, unsure),
        cut: crate::Cut::Line,
        weight: 1.0,
        printing: 0,
    }
}

#[test]
fn a_brand_no_list_holds_gives_way_to_the_one_its_code_names_only_when_the_reading_allows() {
    let model = |r: &Reading| {
        decode_front(FrontField::Model, &[r])
            .decision
            .map(|d| d.text)
    };
    // `丰田` misread `半四`, the recognizer having given `丰` and `田` some weight: TV is Toyota's.
    let garbled = reading(
        "半四牌TV1020UE",
        &[
            (0, &[('半', 0.6), ('丰', 0.3)]),
            (1, &[('四', 0.7), ('田', 0.2)]),
        ],
    );
    assert_eq!(model(&garbled).as_deref(), Some("丰田牌TV1020UE"));
    // A brand the list lacks, read surely, stays as printed whatever its code.
    let unlisted = reading("星途牌TV1020UE", &[]);
    assert_eq!(model(&unlisted).as_deref(), Some("星途牌TV1020UE"));
}

#[test]
fn a_row_value_keeps_the_grammars_verdict() {
    // No reading holds a listed vehicle type: the likeliest word is answered, as not read.
    let row = normalize_front_row(
        FrontField::VehicleType,
        "轻型加式货车",
        &[&reading("轻型加式货车", &[])],
    );
    assert_eq!(row.normalized.text, "轻型厢式货车");
    assert!(!row.normalized.valid, "{row:?}");
    assert!(row.confidence.is_some_and(|c| c < 0.01), "{row:?}");
    // A type read as printed is one.
    let row = normalize_front_row(
        FrontField::VehicleType,
        "轻型厢式货车",
        &[&reading("轻型厢式货车", &[])],
    );
    assert!(row.normalized.valid, "{row:?}");
}

#[test]
fn the_title_alone_places_a_card_whose_labels_were_not_read() {
    // A small, blurred card turned a little: the title read whole, no label, the values where
    // the printer put them. The page is the card (880 x 600 at u, v) scaled by 1.5, turned
    // 3 degrees and moved.
    let (sin, cos) = 3.0f32.to_radians().sin_cos();
    let to_page = |u: f32, v: f32| {
        let (x, y) = (1.5 * u * 880.0, 1.5 * v * 600.0);
        Point::new(100.0 + x * cos - y * sin, 50.0 + x * sin + y * cos)
    };
    let placed = |text: &str, u0: f32, u1: f32, v: f32| TextLine {
        text: text.into(),
        char_confidences: vec![0.99; text.chars().count()],
        lattices: Vec::new(),
        quad: Quad::new([
            to_page(u0, v - 0.02),
            to_page(u1, v - 0.02),
            to_page(u1, v + 0.02),
            to_page(u0, v + 0.02),
        ]),
    };
    let lines = vec![
        placed(
            "中华人民共和国机动车行驶证",
            TITLE_SPAN.0,
            TITLE_SPAN.1,
            0.08,
        ),
        placed("京AA5599", 0.17, 0.3, 0.2),
        placed("小型轿车", 0.63, 0.72, 0.2),
        placed("王京", 0.17, 0.22, 0.32),
        placed("北京市石景山区", 0.17, 0.4, 0.44),
        placed("非营运", 0.17, 0.25, 0.56),
    ];
    let fields = crate::read_front(&lines);
    assert_eq!(fields.labels_found, 0);
    assert!(fields.title_found);
    assert_eq!(fields.landmarks(), 1);
    assert!(fields.is_placed(3), "{fields:?}");
    let text = |f: FrontField| fields.get(f).map(|v| v.text.clone()).unwrap_or_default();
    assert_eq!(text(FrontField::Number), "京AA5599");
    assert_eq!(text(FrontField::VehicleType), "小型轿车");
    assert_eq!(text(FrontField::Name), "王京");
    assert_eq!(text(FrontField::Address), "北京市石景山区");
    assert_eq!(text(FrontField::UseCharacter), "非营运");
    // Without the title, nothing places the card.
    let untitled = crate::read_front(&lines[1..]);
    assert!(untitled.fields.is_empty() && !untitled.is_placed(3));
    // Nor does a title one character away: a driving license's (驾驶证), no vehicle license.
    let mut driving = lines;
    driving[0].text = "中华人民共和国机动车驾驶证".into();
    let driving = crate::read_front(&driving);
    assert!(
        !driving.title_placed && !driving.is_placed(3),
        "{driving:?}"
    );
}

#[test]
fn pieces_sharing_most_of_their_height_are_read_left_to_right() {
    // Lines as tall as a photo's detector gives them (7% of the card). The owner's name comes
    // in two pieces, the second printed 0.04 of the card (24 px) higher (a line the detector
    // cut where the print steps up): their centres are more than a row's slack apart, but they
    // share more than a third of their height, so they are one row, read left to right.
    let tall = |text: &str, u: f32, v: f32| {
        let short = line(text, u, v);
        let (x0, _, x1, _) = short.quad.bounds();
        TextLine {
            quad: Quad::from_rect(x0, v * 600.0 - 21.0, x1, v * 600.0 + 21.0),
            ..short
        }
    };
    let mut lines: Vec<TextLine> = specimen_like()
        .into_iter()
        .map(|l| {
            let (x0, y0, _, y1) = l.quad.bounds();
            tall(&l.text, x0 / 880.0, (y0 + y1) / 2.0 / 600.0)
        })
        .collect();
    lines[6] = tall("所有人", 0.04, 0.32);
    lines[7] = tall("王", 0.19, 0.32);
    lines.push(tall("京", 0.23, 0.28));
    let fields = read_front(&lines);
    assert_eq!(
        fields.get(FrontField::Name).map(|v| v.text.as_str()),
        Some("王京")
    );
}
