//! The owner's name: another label's misreading cut from its start.

use crate::labels::{edit_distance, FRONT_LABELS};
use crate::text::is_cjk;
use crate::FrontField;

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
