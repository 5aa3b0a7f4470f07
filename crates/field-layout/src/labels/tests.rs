//! Tests of label matching on read lines.

use super::*;

#[test]
fn an_english_sub_label_before_a_value_is_cut_off() {
    let head = |text: &str| english_label_head(text, &FRONT_LABELS);
    assert_eq!(head("Engine No. GUWVHVF3"), Some(10));
    assert_eq!(head("Piate No. 陕A5D46U"), Some(9));
    assert_eq!(head("Model 哈弗牌CC9239"), Some(5));
    // A sub-label alone, or no sub-label.
    assert_eq!(head("Engine No."), None);
    assert_eq!(head("LVSN 1234"), None);
    assert_eq!(head("2018-06-14 发证日期"), None);
}

#[test]
fn unsure_small_letters_are_leaders_not_values() {
    let line = |text: &str, confidence: f32| TextLine {
        text: text.into(),
        char_confidences: vec![confidence; text.chars().count()],
        lattices: Vec::new(),
        quad: Quad::from_rect(0.0, 0.0, 10.0, 10.0),
    };
    for leader in ["mm", "1m", "sss", "xsss", "……", "nnm"] {
        assert!(is_leader(&line(leader, 0.45)), "{leader}");
    }
    // Sure of itself, or capitals, digits, Chinese: text.
    assert!(!is_leader(&line("mm", 0.9)));
    assert!(!is_leader(&line("47cb521vl", 0.5)));
    assert!(!is_leader(&line("MM", 0.4)));
    assert!(!is_leader(&line("-12-", 0.4)));
    assert!(!is_leader(&line("非", 0.15)));
}

#[test]
fn misread_english_labels_are_prose_and_values_are_not() {
    for text in [
        "Pihe Kn",
        "Ontrt",
        "Vebicle Licegsa of tlhe People's Republic of China",
        "mewas",
    ] {
        assert!(is_english_prose(text) && is_english_label(text), "{text}");
    }
    for text in [
        "IPI",
        "LVSZRE098V5900652",
        "199H1L",
        "Kn",
        "京A12345",
        "2018-06-10",
    ] {
        assert!(!is_english_prose(text), "{text}");
    }
}

fn line(text: &str, x: f32, y: f32) -> TextLine {
    let width = text
        .chars()
        .map(|c| if c.is_ascii() { 10.0 } else { 20.0 })
        .sum::<f32>();
    TextLine {
        text: text.into(),
        char_confidences: vec![1.0; text.chars().count()],
        lattices: Vec::new(),
        quad: Quad::from_rect(x, y, x + width, y + 20.0),
    }
}

#[test]
fn labels_merged_with_values_and_misread() {
    let lines = [
        line("使用性质非营运", 0.0, 0.0),
        line("号号码鄂A12345", 0.0, 50.0),
        line("注册日期", 0.0, 100.0),
    ];
    let hits = find_labels(&lines, &FRONT_LABELS);
    let found: Vec<(&str, usize, usize)> = hits
        .iter()
        .map(|h| (FRONT_LABELS[h.label].chinese, h.line, h.chars))
        .collect();
    assert!(found.contains(&("使用性质", 0, 4)), "{found:?}");
    assert!(found.contains(&("号牌号码", 1, 3)), "{found:?}");
    assert!(found.contains(&("注册日期", 2, 4)), "{found:?}");
    // The label's centre is the middle of its four characters, not of the whole line.
    let hit = hits.iter().find(|h| h.line == 0).expect("hit");
    assert!((hit.center.x - 40.0).abs() < 0.01);
}

#[test]
fn a_label_inside_a_joined_line() {
    let lines = [line("2021-08-24 发证日期 2024-03-22", 0.0, 0.0)];
    let hits = find_labels(&lines, &FRONT_LABELS);
    let hit = hits
        .iter()
        .find(|h| FRONT_LABELS[h.label].chinese == "发证日期")
        .expect("found");
    assert_eq!((hit.start, hit.chars), (11, 4));
}

#[test]
fn short_labels_need_exact_characters() {
    assert_eq!(
        match_prefix(
            &"住址北京".chars().collect::<Vec<_>>(),
            &"住址".chars().collect::<Vec<_>>()
        ),
        Some(2)
    );
    assert_eq!(
        match_prefix(
            &"住北京".chars().collect::<Vec<_>>(),
            &"住址".chars().collect::<Vec<_>>()
        ),
        None
    );
}

#[test]
fn english_sub_labels() {
    assert!(is_english_label("Plate No."));
    assert!(is_english_label("Addregs"));
    assert!(is_english_label("RegisterDate"));
    assert!(!is_english_label("LSVFF66R8C2116280"));
    assert!(!is_english_label("京AA5599"));
}

#[test]
fn edit_distances() {
    let d = |a: &str, b: &str| {
        edit_distance(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    };
    assert_eq!(d("号号码", "号牌号码"), 1);
    assert_eq!(d("", "ab"), 2);
    assert_eq!(d("abc", "abc"), 0);
}

#[test]
fn a_title_one_slip_away_is_the_vehicle_license_s_unless_it_is_another_document_s() {
    let title = FRONT_LABELS[0].chinese;
    assert!(is_own_title("中华人民共和国机动车行驶证", title));
    assert!(is_own_title("中华人民共和国机动车行驶正", title));
    assert!(is_own_title("中华人民共和国 机动车行驶证", title));
    assert!(!is_own_title("中华人民共和国机动车驾驶证", title));
    // As near to both: no vehicle license.
    assert!(!is_own_title("中华人民共和国机动车X驶证", title));
}
