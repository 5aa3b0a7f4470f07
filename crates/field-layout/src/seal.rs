//! The red seal's text, the issuing authority: a province or city, then one of a few fixed
//! endings (`shared/docs/domain.md` 3.13).

use crate::labels::edit_distance;
use crate::normalize::{is_cjk, Normalized};

/// The seal's text: a traffic-police authority's name. Seal lines are Chinese only, so Latin
/// letters, digits and marks in them leaked in from the neighbouring labels and are dropped.
pub(crate) fn authority(text: &str) -> Normalized {
    let text: String = text
        .replace('寨', "察")
        .chars()
        .filter(|&c| is_cjk(c))
        .collect();
    // A seal stamped over the labels beside it picks up their characters at its ends (`车`,
    // `发`, `注`): it starts with a province or city and ends with the authority's kind.
    let start = SEAL_STARTS
        .iter()
        .filter_map(|p| text.find(p))
        .min()
        .unwrap_or(0);
    let text = &text[start..];
    if let Some(snapped) = snap_seal_ending(text) {
        return Normalized {
            valid: SEAL_STARTS.iter().any(|p| snapped.starts_with(p)),
            text: snapped,
        };
    }
    let end = ["支队", "总队", "大队", "局", "厅"]
        .iter()
        .filter_map(|s| text.rfind(s).map(|i| i + s.len()))
        .max()
        // At most two stray characters after the end; more is text of the seal itself.
        .filter(|&end| text[end..].chars().count() <= 2);
    Normalized {
        valid: end.is_some(),
        text: text[..end.unwrap_or(text.len())].to_owned(),
    }
}

/// The fixed endings of issuing authorities' names (`shared/docs/domain.md` 3.13): what
/// follows the province and city is one of these.
const SEAL_ENDINGS: &[&str] = &[
    "公安局交通警察支队",
    "公安局交通警察总队",
    "公安局交通管理局",
    "公安局交通管理支队",
    "公安局公安交通管理局",
    "公安局交通巡逻警察总队",
    "公安厅交通警察总队",
    "分局交通警察大队",
];

/// A seal whose fixed ending was read with a character dropped, added or changed
/// (`公安局通警察支队`, `公安局交通发管理局`: a label's character stamped over): the ending as
/// printed, after the place names as read, with at most four stray characters after it dropped
/// (label remnants such as `注册`). The ending is a closed vocabulary, like the vehicle types;
/// the place names before it are never changed. `None` when no ending is within one slip (two
/// for endings of eight characters or more), or the reading already ends as printed.
fn snap_seal_ending(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut best: Option<(usize, usize, usize, &str)> = None; // (slips, start, end, ending)
    for ending in SEAL_ENDINGS {
        let wanted: Vec<char> = ending.chars().collect();
        let allowed = if wanted.len() >= 8 { 2 } else { 1 };
        let earliest = chars.len().saturating_sub(wanted.len() + 6);
        for start in earliest..chars.len() {
            let shortest = start + wanted.len().saturating_sub(allowed);
            let longest = (start + wanted.len() + allowed).min(chars.len());
            for end in shortest..=longest {
                if chars.len() - end > 4 {
                    continue;
                }
                let slips = edit_distance(&chars[start..end], &wanted);
                if slips > allowed {
                    continue;
                }
                let better = best.is_none_or(|(s, _, e, w)| {
                    (
                        slips,
                        std::cmp::Reverse(end),
                        std::cmp::Reverse(ending.len()),
                    ) < (s, std::cmp::Reverse(e), std::cmp::Reverse(w.len()))
                });
                if better {
                    best = Some((slips, start, end, ending));
                }
            }
        }
    }
    let (slips, start, end, ending) = best?;
    if slips == 0 && end == chars.len() {
        return None;
    }
    let places: String = chars[..start].iter().collect();
    Some(places + ending)
}

/// How issuing authorities' names start: the provinces and the municipalities.
const SEAL_STARTS: &[&str] = &[
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn n(raw: &str) -> (String, bool) {
        let v = authority(raw);
        (v.text, v.valid)
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
}
