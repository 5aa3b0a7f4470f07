//! How sure the evidence is of the value taken: its share among the values its grammar likes
//! at least as well.

use vlocr_ctc::Pattern;

use super::kind::Preference;
use super::vin_signs::passes_check_digit;
use super::{is_value_of, Witness};
use crate::grammar::Grammars;

/// A preference as weighed: a pattern of the grammar's, values a witness vouches for, or the
/// check digit.
pub(super) enum Choice<'a> {
    Pattern(&'a Pattern),
    Values(&'a [String]),
    CheckDigit,
}

impl Choice<'_> {
    /// Whether `value` has what the preference prefers.
    pub(super) fn holds(&self, value: &str) -> bool {
        match self {
            Choice::Pattern(pattern) => is_value_of(pattern, value),
            Choice::Values(values) => values.iter().any(|v| v == value),
            Choice::CheckDigit => passes_check_digit(value),
        }
    }
}

/// The preferences of a field, in the order they are weighed (a witness's values first), each
/// with its margin (nats per cut or printing).
pub(super) fn preferences<'a>(
    witnessed: Option<&Witness<'a>>,
    own: &[(Preference, f32)],
    grammars: &'a Grammars,
) -> Vec<(Choice<'a>, f32)> {
    witnessed
        .map(|w| (Choice::Values(w.values), w.margin))
        .into_iter()
        .chain(own.iter().map(|&(p, margin)| {
            let choice = match p {
                Preference::Pattern(name) => Choice::Pattern(grammars.pattern(name)),
                Preference::CheckDigit => Choice::CheckDigit,
            };
            (choice, margin)
        }))
        .collect()
}

/// The share of the evidence that `chosen` holds among the values `scored` (each with its score,
/// nats summed over `witnesses` cuts and printings) that the grammar likes at least as well:
/// held by the same preference as `chosen` or an earlier one. Each value counts its score and
/// its preference's margin (for every cut and printing): the grammar's prior. 1 when no such
/// value competes; about 0.5 when two readings each hold a value of their own as surely.
pub(super) fn evidence_share(
    chosen: &str,
    scored: &[(&String, f32)],
    preferences: &[(Choice<'_>, f32)],
    witnesses: f32,
) -> f32 {
    if chosen.is_empty() {
        return 1.0;
    }
    let tier = |value: &str| -> (usize, f32) {
        preferences
            .iter()
            .position(|(choice, _)| choice.holds(value))
            .map_or((preferences.len(), 0.0), |i| {
                (i, preferences[i].1 * witnesses)
            })
    };
    let Some(&(_, chosen_score)) = scored.iter().find(|(v, _)| v.as_str() == chosen) else {
        return 1.0;
    };
    let (chosen_tier, chosen_prior) = tier(chosen);
    let chosen_weight = chosen_score + chosen_prior;
    let others: f32 = scored
        .iter()
        .filter(|(v, _)| v.as_str() != chosen)
        .filter_map(|&(v, score)| {
            let (t, prior) = tier(v);
            (t <= chosen_tier).then(|| (score + prior - chosen_weight).exp())
        })
        .sum();
    1.0 / (1.0 + others)
}
