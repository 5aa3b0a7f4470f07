//! Vehicle brands as printed before `牌` in a model (`丰田牌TV7151`): `lexicon/brands.txt`, the
//! common part of the brands sold in China. Not a complete list: a brand missing from it is
//! read as printed.

use crate::grammar::Grammars;

/// The brand of `model` (what comes before its last `牌`: a label remnant before it may hold
/// one too), when it has one.
pub(crate) fn brand_of(model: &str) -> Option<&str> {
    model.rfind('牌').map(|mark| &model[..mark])
}

/// Whether `brand` is listed.
pub(crate) fn is_listed(brand: &str) -> bool {
    Grammars::get().lexicon("brands").contains(brand)
}

/// The listed brands.
pub(crate) fn listed() -> impl Iterator<Item = &'static str> {
    Grammars::get().lexicon("brands").words()
}

/// Whether `model`'s brand is listed.
pub fn has_listed_brand(model: &str) -> bool {
    brand_of(model).is_some_and(is_listed)
}

/// Whether `model`'s brand is not listed but is the end of a listed one (`汽大众` of `一汽大众`,
/// `马` of `宝马`): its start may have been lost under the label's ink.
pub fn brand_is_cut(model: &str) -> bool {
    brand_of(model).is_some_and(|brand| {
        !brand.is_empty()
            && !is_listed(brand)
            && listed().any(|b| b.len() > brand.len() && b.ends_with(brand))
    })
}

/// The one listed brand whose makers' enterprise codes (`lexicon/brands.txt`, after the tab) the
/// model code `code` starts with, its longest such code deciding; `None` when no listed code
/// starts it, or the longest is several brands' (`FV`: 一汽大众 and 奥迪).
pub(crate) fn brand_of_code(code: &str) -> Option<&'static str> {
    let mut longest = 0;
    let mut brands: Vec<&'static str> = Vec::new();
    for (brand, rest) in Grammars::get().lexicon("brands").rows() {
        for prefix in rest
            .iter()
            .flat_map(|codes| codes.split(','))
            .map(str::trim)
        {
            if prefix.is_empty() || !code.starts_with(prefix) || prefix.len() < longest {
                continue;
            }
            if prefix.len() > longest {
                longest = prefix.len();
                brands.clear();
            }
            if !brands.contains(&brand) {
                brands.push(brand);
            }
        }
    }
    match brands.as_slice() {
        [brand] => Some(brand),
        _ => None,
    }
}

/// `model` with the brand its code names: when the brand read (what comes before `牌`, the
/// label's end left out; or nothing) is not listed and the code after it starts with one listed
/// brand's enterprise code alone ([`brand_of_code`]), that brand (`丰田牌TV1020UE` for
/// `半四牌TV1020UE`), for the decoder to weigh as a witness. `None` when the brand is listed or the
/// code names none.
pub(crate) fn with_brand_of_its_code(model: &str) -> Option<String> {
    let (brand, code) = match model.rfind('牌') {
        Some(mark) => (&model[..mark], &model[mark + '牌'.len_utf8()..]),
        None => ("", model),
    };
    let brand = brand.trim_start_matches(|c| "品牌型号".contains(c));
    if is_listed(brand)
        || code.is_empty()
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return None;
    }
    brand_of_code(code).map(|listed| format!("{listed}牌{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_code_names_its_brand_when_only_one_uses_its_enterprise_code() {
        assert_eq!(brand_of_code("SVW71617MM"), Some("大众汽车"));
        assert_eq!(brand_of_code("TV1020UE"), Some("丰田"));
        // FV is both FAW-Volkswagen's and Audi's; XYZ no listed maker's.
        assert_eq!(brand_of_code("FV9087XJ8K"), None);
        assert_eq!(brand_of_code("XYZ123"), None);
    }

    #[test]
    fn a_brand_misread_is_put_right_by_its_code() {
        assert_eq!(
            with_brand_of_its_code("半四牌TV1020UE").as_deref(),
            Some("丰田牌TV1020UE")
        );
        assert_eq!(
            with_brand_of_its_code("型号禁减牌SVW5960").as_deref(),
            Some("大众汽车牌SVW5960")
        );
        // A listed brand stays, whatever its code; a code no listed maker's names nothing.
        assert_eq!(with_brand_of_its_code("本田牌TV1020UE"), None);
        assert_eq!(with_brand_of_its_code("半四牌XYZ123"), None);
        assert_eq!(with_brand_of_its_code("半四牌"), None);
    }

    #[test]
    fn a_brand_that_ends_a_listed_one_is_cut() {
        assert!(brand_is_cut("汽大众牌FV3872XUF5"));
        assert!(brand_is_cut("马牌BMW8268"));
        assert!(!brand_is_cut("一汽大众牌FV3872XUF5"));
        assert!(!brand_is_cut("大众牌FV3872"), "listed itself");
        assert!(!brand_is_cut("新源牌XY2101"));
        assert!(!brand_is_cut("FV3872"));
        assert!(has_listed_brand("宝马牌BMW8268"));
        assert!(!has_listed_brand("马牌BMW8268"));
    }
}
