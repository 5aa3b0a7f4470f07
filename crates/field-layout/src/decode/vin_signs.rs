//! A VIN's signs as the decoder weighs them: the check digit, and a reading one sign short.

use super::Said;

/// Whether `vin` (17 characters) passes its check digit.
pub(super) fn passes_check_digit(vin: &str) -> bool {
    let chars: Vec<char> = vin.chars().collect();
    chars.len() == 17 && crate::vin::check_digit(&chars) == chars[8]
}

/// The signs of a VIN (no I, O or Q).
pub(super) const VIN_SIGNS: &str = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

/// The sixteen signs a reading's likeliest text ends in, when its VIN signs at the end are
/// sixteen, one short (after a label's end or nothing).
pub(super) fn one_short_vin(reading: &Said) -> Option<String> {
    let chars: Vec<char> = reading.text.chars().collect();
    let signs = chars
        .iter()
        .rev()
        .take_while(|c| VIN_SIGNS.contains(**c))
        .count();
    (signs == 16).then(|| chars[chars.len() - 16..].iter().collect())
}
