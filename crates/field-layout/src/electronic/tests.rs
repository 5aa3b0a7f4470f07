use super::*;
use crate::grammar::Grammars;

/// A line of `text` read surely, its box at `(x, y)`, `size` pixels a character.
fn line(text: &str, x: f32, y: f32, size: f32) -> TextLine {
    let count = text.chars().count();
    TextLine {
        text: text.to_owned(),
        char_confidences: vec![0.98; count],
        lattices: vec![crate::test_lattice(text, &[])],
        quad: Quad::from_rect(x, y, x + size * count as f32, y + size),
    }
}

/// A main page's screen: labels at the left, values right-aligned, rows 90 px apart.
fn main_screen(rows: &[(&str, &str)]) -> Vec<TextLine> {
    let mut lines = vec![
        line("15:04", 60.0, 30.0, 30.0),
        line("电子行驶证", 420.0, 130.0, 50.0),
        line("主页", 240.0, 240.0, 40.0),
        line("副页", 780.0, 240.0, 40.0),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 400.0 + 90.0 * i as f32;
        lines.push(line(label, 80.0, y, 36.0));
        if !value.is_empty() {
            let width = 38.0 * value.chars().count() as f32;
            lines.push(line(value, 1000.0 - width, y + 1.0, 38.0));
        }
    }
    lines
}

fn text_of(fields: &ElectronicFields, field: ElectronicField) -> Option<&str> {
    fields.get(field).map(|v| v.text.as_str())
}

#[test]
fn rows_are_read_under_their_grammars() {
    let lines = main_screen(&[
        ("号牌号码", "辽A36111"),
        ("车辆类型", "小型越野客车"),
        ("所有人", "严磊超"),
        ("车辆识别代号", "LHG6LLBP036414447"),
        ("注册日期", "2017-03-06"),
        ("状态", "正常，逾期未检验"),
        ("检验有效期至", "2027-03-10"),
        ("强制报废期止", "--"),
        ("车身颜色", "红"),
        ("能源种类", "汽油"),
    ]);
    assert!(is_electronic_screen(&lines));
    let fields = read_electronic(&lines);
    assert!(fields.main_page);
    assert_eq!(fields.labels_found, 10);
    let front = ElectronicField::Front;
    assert_eq!(
        text_of(&fields, front(FrontField::Number)),
        Some("辽A36111")
    );
    assert_eq!(
        text_of(&fields, front(FrontField::VehicleType)),
        Some("小型越野客车")
    );
    assert_eq!(text_of(&fields, front(FrontField::Name)), Some("严磊超"));
    assert_eq!(
        text_of(&fields, front(FrontField::Vin)),
        Some("LHG6LLBP036414447")
    );
    assert_eq!(
        text_of(&fields, ElectronicField::Status),
        Some("正常,逾期未检验")
    );
    assert_eq!(
        text_of(&fields, ElectronicField::InspectionUntil),
        Some("检验有效期至2027-03-10")
    );
    assert_eq!(text_of(&fields, ElectronicField::ScrappingDate), Some(""));
    assert_eq!(text_of(&fields, ElectronicField::Color), Some("红"));
    assert_eq!(
        text_of(&fields, ElectronicField::Back(BackField::EnergyType)),
        Some("汽油")
    );
    assert!(fields.fields.iter().all(|(_, v)| v.valid));
}

#[test]
fn a_value_merged_with_its_label_and_a_tilted_screen_are_read() {
    let mut lines = main_screen(&[
        ("号牌号码", "辽A36111"),
        ("车身颜色", "红"),
        ("品牌型号", "哈弗牌CC0666U7"),
        ("发证日期", "2015-06-04"),
    ]);
    lines.push(line("使用性质：非营运", 80.0, 760.0, 36.0));
    // The whole screen tilted by 3 degrees: a value 45 px lower than its label, 900 px on.
    for line in &mut lines {
        line.quad = line
            .quad
            .map(|p| Point::new(p.x, p.y + 0.05 * (p.x - 80.0)));
    }
    let fields = read_electronic(&lines);
    let front = ElectronicField::Front;
    assert_eq!(
        text_of(&fields, front(FrontField::UseCharacter)),
        Some("非营运")
    );
    assert_eq!(
        text_of(&fields, front(FrontField::IssueDate)),
        Some("2015-06-04")
    );
    assert_eq!(
        text_of(&fields, front(FrontField::Number)),
        Some("辽A36111")
    );
}

#[test]
fn the_watermark_is_no_value() {
    let mut lines = main_screen(&[
        ("号牌号码", "辽A36111"),
        ("所有人", "严磊超"),
        ("车身颜色", "红"),
        ("能源种类", "汽油"),
    ]);
    // The generation time, faint, over three rows (and once more as its own line).
    for y in [402.0, 580.0, 670.0] {
        lines.push(line("2026-09-2008:34:46", 500.0, y, 20.0));
    }
    lines.push(line("生成时间：2026-09-2008:34:46", 300.0, 1400.0, 30.0));
    // Pieces of it: on the owner's row, and after a label.
    lines.push(line("2026-09", 500.0, 491.0, 20.0));
    lines.push(line("使用性质48", 80.0, 760.0, 36.0));
    lines.push(line("非营运", 800.0, 761.0, 38.0));
    let fields = read_electronic(&lines);
    assert_eq!(
        text_of(&fields, ElectronicField::Front(FrontField::Name)),
        Some("严磊超")
    );
    assert_eq!(
        text_of(&fields, ElectronicField::Front(FrontField::UseCharacter)),
        Some("非营运")
    );
    assert_eq!(
        text_of(&fields, ElectronicField::Front(FrontField::Number)),
        Some("辽A36111")
    );
    assert_eq!(text_of(&fields, ElectronicField::Color), Some("红"));
}

#[test]
fn a_back_page_screen_is_told_from_a_main_page_one() {
    let lines = main_screen(&[
        ("号牌号码", "辽A36111"),
        ("核定载人数", "5人"),
        ("总质量", "1750kg"),
        ("准牵引总质量", "--"),
        ("外廓尺寸", "4500×1800×1500mm"),
        ("档案编号", "210100123456"),
    ]);
    assert!(is_electronic_screen(&lines));
    let fields = read_electronic(&lines);
    assert!(!fields.main_page);
    let back = ElectronicField::Back;
    assert_eq!(text_of(&fields, back(BackField::GrossMass)), Some("1750kg"));
    assert_eq!(text_of(&fields, back(BackField::TractionMass)), Some(""));
    assert_eq!(
        text_of(&fields, back(BackField::ApprovedPassengers)),
        Some("5人")
    );
    assert_eq!(
        text_of(&fields, back(BackField::FileNo)),
        Some("210100123456")
    );
}

#[test]
fn a_paper_card_is_no_screen() {
    let lines = vec![
        line("中华人民共和国机动车行驶证", 100.0, 20.0, 30.0),
        line("号牌号码", 20.0, 100.0, 30.0),
        line("辽A36111", 200.0, 100.0, 30.0),
        line("车辆类型", 500.0, 100.0, 30.0),
        line("所有人", 20.0, 160.0, 30.0),
        line("使用性质", 20.0, 280.0, 30.0),
        line("汽油", 20.0, 500.0, 30.0),
    ];
    assert!(!is_electronic_screen(&lines));
}

#[test]
fn a_misread_status_or_colour_is_taken_from_its_vocabulary_only_when_close() {
    let words = |name| -> Vec<&str> { Grammars::get().lexicon(name).words().collect() };
    let (statuses, colours) = (words("vehicle_statuses"), words("body_colors"));
    assert_eq!(in_vocabulary("正堂", &statuses), ("正常".to_owned(), true));
    assert_eq!(in_vocabulary("红", &colours), ("红".to_owned(), true));
    assert_eq!(in_vocabulary("虹", &colours), ("虹".to_owned(), false));
}

#[test]
fn a_misread_label_in_the_label_column_still_opens_its_row() {
    let lines = main_screen(&[
        ("号牌号码", "辽A36111"),
        ("枕态", "正常"),
        ("注册5耐", "2017-03-06"),
        ("发证日期", "2017-03-06"),
        ("车身颜色", "黃"),
        ("强制报废期止", "\""),
    ]);
    let fields = read_electronic(&lines);
    assert_eq!(text_of(&fields, ElectronicField::Status), Some("正常"));
    // A traditional form is its simplified one; a dash read as a quote is still a blank.
    assert_eq!(text_of(&fields, ElectronicField::Color), Some("黄"));
    assert_eq!(text_of(&fields, ElectronicField::ScrappingDate), Some(""));
    assert_eq!(
        text_of(&fields, ElectronicField::Front(FrontField::RegisterDate)),
        Some("2017-03-06")
    );
    // A value is no label, though it starts where labels start (it is not in their column).
    assert_eq!(fields.labels_found, 6);
}

#[test]
fn the_watermark_read_before_a_value_is_cut_off_it() {
    let generated = "20200228120904";
    assert_eq!(time_prefix("20200228125人", generated), 10);
    assert_eq!(time_prefix("2020-02-28 125人", generated), 13);
    // A date that is the generation day is a date, not a watermark; so is a short run.
    assert_eq!(time_prefix("2020-02-28", generated), 0);
    assert_eq!(time_prefix("2020-03-01", generated), 0);
    assert_eq!(time_prefix("5人", generated), 0);
}

#[test]
fn the_watermark_read_after_a_value_is_cut_off_it() {
    let generated = "20260503095404";
    assert_eq!(time_suffix("廖文0309:54:04", generated), 2);
    assert_eq!(time_suffix("廖文 2026-05-03 09", generated), 2);
    // Digits of a value that the time does not hold, or too few, stay.
    assert_eq!(time_suffix("LGWSE96668P679910", generated), 17);
    assert_eq!(time_suffix("5人", generated), 2);
    assert_eq!(time_suffix("X8MWT8A0950", generated), 11);
    // A date that is the generation day is a date, not a watermark.
    assert_eq!(time_suffix("2026-05-03", generated), 10);
}

#[test]
fn the_watermark_repeated_along_a_row_is_no_value() {
    let generated = "20260415203119";
    assert!(is_time_piece("2026-04-1520:31:19 2026-04", generated));
    assert!(is_time_piece("2026-04", generated));
    // A file number is no run of the time; nor is a value with a unit.
    assert!(!is_time_piece("241088244689", generated));
    assert!(!is_time_piece("2026kg", generated));
}

#[test]
fn other_names_colons_and_values_under_their_labels_are_read() {
    let mut lines = vec![line("电子行驶证", 420.0, 130.0, 50.0)];
    let rows = [
        ("车牌号码：", "辽A36111"),
        ("检验有效期：", "2027-03-10"),
        ("燃料种类：", "汽油"),
        ("颜色：", "红"),
        ("车辆识别代码：", "LHG6LLBP036414447"),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 400.0 + 140.0 * i as f32;
        lines.push(line(label, 80.0, y, 36.0));
        lines.push(line(value, 80.0, y + 50.0, 38.0));
    }
    // A scrap of the watermark beside a label is no value when one lies under it.
    lines.push(line("7", 640.0, 400.0 + 140.0 * 3.0, 30.0));
    assert!(is_electronic_screen(&lines));
    let fields = read_electronic(&lines);
    let front = ElectronicField::Front;
    assert_eq!(
        text_of(&fields, front(FrontField::Number)),
        Some("辽A36111")
    );
    assert_eq!(
        text_of(&fields, ElectronicField::InspectionUntil),
        Some("检验有效期至2027-03-10")
    );
    assert_eq!(
        text_of(&fields, ElectronicField::Back(BackField::EnergyType)),
        Some("汽油")
    );
    assert_eq!(text_of(&fields, ElectronicField::Color), Some("红"));
    assert_eq!(
        text_of(&fields, front(FrontField::Vin)),
        Some("LHG6LLBP036414447")
    );
    assert_eq!(fields.labels_found, 5);
}
