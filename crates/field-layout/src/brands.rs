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

#[cfg(test)]
mod tests {
    use super::*;

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
