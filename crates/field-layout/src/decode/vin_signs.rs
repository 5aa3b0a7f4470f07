//! A VIN's signs as the decoder weighs them: the check digit, and a reading one sign short.

use super::Said;

/// Two VINs that pass the check digit this close (nats) are as likely: the check digit does
/// not choose between them.
const CHECK_DIGIT_TIE: f32 = 0.1;

/// The likeliest of `scored` (values with their scores, likeliest first) that passes the check
/// digit and `keeps` what the later preferences like in the best value (a China-made
/// vehicle's L); `None` when another such is as likely (a first character lost: `3SV...` and
/// `CSV...` pass alike), so that the later preferences choose.
pub(super) fn likeliest_passing<'v>(
    scored: impl Iterator<Item = &'v (&'v String, f32)>,
    keeps: impl Fn(&str) -> bool,
) -> Option<&'v String> {
    let mut passing = scored
        .filter(|(v, _)| passes_check_digit(v))
        .filter(|(v, _)| keeps(v));
    match (passing.next(), passing.next()) {
        (Some(&(_, s)), Some(&(_, next))) if s - next < CHECK_DIGIT_TIE => None,
        (Some((v, _)), _) => Some(*v),
        (None, _) => None,
    }
}

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
