//! Reading a field's value out of its lattices under the field's grammar.
//!
//! One rule for every field. Each reading of the field (a lattice: the line it was read in by
//! each recognizer, a strip of the card read again) gives its likeliest texts that the field's
//! grammar allows (CTC prefix beam search, [`vlocr_ctc::beam_search`]), cut to their values;
//! every value is scored under every reading (its log-probability against the reading's
//! likeliest text of all, a value a reading does not hold counting [`ABSENT`]), and the scores
//! add up (averaged over the readings of one cut of one printing, which see the same pixels;
//! summed over cuts, and over printings: the plate on both pages): a second reading adds
//! evidence, it never simply overwrites the first. The best value is the field's when some
//! reading holds it within the grammar's margin of its likeliest text; otherwise the reading
//! is no value of the field, and the caller keeps it as read, marked so.
//! A grammar may state preferences (a listed brand, an engine number without I, O and Q, a VIN
//! that passes its check digit): the best value with a preference is taken when its score is
//! within the preference's margin (per reading) of the best value's. Values another field
//! vouches for (the seals naming the plate's place) are weighed the same way, first. A reading
//! whose likeliest text is the field's label alone (or its English), or a fragment shorter than
//! any legible part of the field's values (a mask's reading), witnesses no value; when every
//! reading is one, the value is empty (masked or blank), not the label or the fragment. Where
//! strips led in from the label were read (the value's start in doubt), a reading that does not show a
//! value's first character costs it [`LEAD_LOST`], not what a character seen as absent costs,
//! unless it shows the label's (Chinese) end right before the rest of the value: it saw where
//! the value starts.
//! The value's confidence is the best reading's probability of it, held to its share of the
//! evidence among the values the grammar likes as well: readings that disagree, each sure of
//! its own value, leave it unsure.

use std::collections::HashMap;

use vlocr_ctc::{
    beam_search, beam_search_splitting_repeats, Candidate, Lattice, Pattern, Unconstrained,
};

use crate::grammar::Grammars;
use crate::text::is_cjk;
use crate::{Cut, Reading};

mod kind;
pub(crate) mod recent;
mod share;
mod slashed_zero;
mod vin_signs;
mod vocabulary;

pub(crate) use kind::Kind;
use kind::Preference;
use share::Choice;
use vin_signs::{likeliest_passing, one_short_vin, passes_check_digit, VIN_SIGNS};
pub(crate) use vocabulary::likeliest_among;

/// Prefixes kept by the beam search after each frame.
const BEAM: usize = 16;

/// Values each reading puts in the pool weighed under every reading: its likeliest few.
const POOLED: usize = 4;

/// Prefixes kept when a reading is read for one value (the value fixed, only what surrounds it
/// free): few ways are left.
const HOLDING_BEAM: usize = 4;

/// The share of a code's symbol's probability given to each of its look-alikes
/// (`lexicon/look_alikes.txt`) before a code is read under its grammar: a symbol read surely
/// gives little (3.9 nats from its look-alike, more than a VIN's check digit may overrule), one
/// the recognizer was unsure of ([`UNSURE`]) more (2.3 nats): the VINs of the synthetic sets
/// printed with a failing check digit (as some real cards are) kept it at these shares, and
/// lost it to a look-alike when sure symbols gave 5%.
fn look_alike_share(p: f32) -> f32 {
    if p < UNSURE {
        0.1
    } else {
        0.02
    }
}

/// What reading a character twice from frames of it with no blank between costs (nats), for
/// kinds that count their characters ([`Kind::counts_characters`]).
const REPEAT_SPLIT: f32 = 3.0;

/// The likeliest texts of `lattice` under `grammar` for a value of `kind`: repeats split at
/// [`REPEAT_SPLIT`] where the kind counts its characters.
fn search_for(kind: Kind, lattice: &Lattice, grammar: &Pattern, width: usize) -> Vec<Candidate> {
    if kind.counts_characters() {
        beam_search_splitting_repeats(lattice, grammar, width, REPEAT_SPLIT)
    } else {
        beam_search(lattice, grammar, width)
    }
}

/// Below this probability the recognizer was unsure of a symbol.
const UNSURE: f32 = 0.9;

/// A value read under its grammar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decision {
    /// The value, without what the grammar read around it (a label's end).
    pub(crate) text: String,
    /// The probability of the reading that holds it best: the whole text read (the value and
    /// what surrounds it) under that reading's lattice; where readings disagree, no more than
    /// the value's share of the evidence ([`share::evidence_share`]).
    pub(crate) confidence: f32,
    /// Whether the value is one a card prints: false for one the grammar admits but no card
    /// has (an inspection stamp with a thirteenth month), returned with its confidence halved.
    pub(crate) valid: bool,
    /// What the readings say of the value (nats, at most 0): below their likeliest texts,
    /// summed over cuts and printings; 0 for a value every reading reads plainly.
    pub(crate) score: f32,
}

/// A field's value read under its grammar, and how.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Decoded {
    /// Whether the field has a grammar (without one, nothing was read).
    pub(crate) has_grammar: bool,
    /// The value, when a reading holds one of the grammar within its margin.
    pub(crate) decision: Option<Decision>,
    /// Each reading's likeliest text, then the best values with their scores and what was taken.
    pub(crate) trace: Vec<String>,
}

/// What one reading says of the values.
struct Said {
    /// The reading's lattice as the grammar reads it (folded, look-alikes added).
    lattice: Lattice,
    /// The printing it saw and how its strip was cut: its group of witnesses.
    group: (u8, Cut),
    weight: f32,
    /// Log-probability of its likeliest text of all.
    likeliest: f32,
    /// Its likeliest text of all.
    text: String,
    /// Each value found, with the best log-probability of a text holding it; filled in for
    /// other readings' values as they are weighed.
    values: HashMap<String, f32>,
    /// When strips led in from the value's label were read: each value's log-probability with
    /// its first character unseen, less [`LEAD_LOST`].
    without_first: HashMap<String, f32>,
    /// The value its likeliest text shows right after the label's end, when it shows one: it
    /// saw where the value starts, so a value whose first character it would have to have
    /// missed (the value's rest is what it shows) is not weighed without that character.
    after_label: Option<String>,
}

/// What a value loses (nats) under a reading that does not show its first character, when
/// strips led in from the label were read (the start is in doubt): the detector's line, and a
/// strip led in too little, can start a character late where the value meets its label's ink;
/// they do not witness against a character before what they show, the strips that see it do.
const LEAD_LOST: f32 = 1.5;

/// The value of a field of `kind` read in `readings` (of the same printed value), when a
/// reading holds a value of its grammar within the grammar's margin (`None` otherwise, or
/// without readings), and lines saying what was read: each reading's likeliest text, and the
/// best values with their scores.
pub(crate) fn decode(kind: Kind, readings: &[&Reading]) -> Decoded {
    recent::remembered(kind, readings, || decode_preferring(kind, readings, None))
}

/// Values another field of the card vouches for (the seals naming the plate's place), and how
/// much less likely (nats per reading) than the best value one of them may be and be taken.
pub(crate) struct Witness<'a> {
    pub(crate) values: &'a [String],
    pub(crate) margin: f32,
}

/// [`decode`], with the `witnessed` values weighed under every reading (a value a reading does
/// not spell read with its characters listed at their floor) and preferred before the
/// grammar's own preferences.
pub(crate) fn decode_preferring(
    kind: Kind,
    readings: &[&Reading],
    witnessed: Option<&Witness<'_>>,
) -> Decoded {
    decode_possible(kind, readings, witnessed, &|_| true)
}

/// [`decode_preferring`] among the values that are `possible` as the rest of the card has
/// them (a register date no later than the issue date): others are not weighed, and when no
/// possible value is held there is no decision.
pub(crate) fn decode_possible(
    kind: Kind,
    readings: &[&Reading],
    witnessed: Option<&Witness<'_>>,
    possible: &dyn Fn(&str) -> bool,
) -> Decoded {
    let grammars = Grammars::get();
    let rules = kind.rules();
    let general = grammars.pattern(rules.pattern);
    let mut trace = Vec::new();
    let mut said: Vec<Said> = Vec::new();
    // Each reading as the grammar reads it, with its likeliest text of all.
    let mut folded_readings: Vec<(&Reading, Lattice, Candidate)> = Vec::new();
    // The likeliest of the readings of the label alone (log-probability).
    let mut label_alone = f32::NEG_INFINITY;
    for reading in readings {
        let mut folded =
            slashed_zero::favouring_slashed_zeros(reading.lattice.folded(|c| kind.fold(c)));
        if kind.is_code() {
            folded = folded.with_look_alikes(|c| grammars.look_alikes(c), look_alike_share);
        }
        let Some(likeliest) = beam_search(&folded, &Unconstrained, BEAM)
            .into_iter()
            .next()
        else {
            continue;
        };
        trace.push(format!(
            "{}{:?} {:.1}",
            match reading.cut {
                Cut::Line => "",
                Cut::Row => "row ",
                Cut::LeadIn => "lead-in ",
            },
            likeliest.text,
            likeliest.log_prob
        ));
        // A reading of the label alone (or its English) witnesses no value: a row or strip of the
        // same field may still read one. (A reading of nothing at all still weighs the values
        // its lattice gives some weight to.)
        let value = value_of(general, &likeliest.text);
        let label_only = !likeliest.text.is_empty() && value.as_ref().is_some_and(String::is_empty);
        // Nor does a fragment shorter than any legible part of the kind's values (what a
        // recognizer makes of a mask, a thumb or a speck: `北`, `止一` for an address).
        let shown = value.as_deref().unwrap_or(&likeliest.text);
        let fragment = !shown.is_empty()
            && shown.chars().filter(|c| !c.is_whitespace()).count() < kind.fewest_legible();
        if label_only || fragment {
            label_alone = label_alone.max(likeliest.log_prob);
            continue;
        }
        folded_readings.push((reading, folded, likeliest));
    }
    // Every reading is of the label alone, or a fragment: the value is masked or blank, and
    // no value is taken from the label.
    if folded_readings.is_empty() && label_alone > f32::NEG_INFINITY {
        trace.push("values: none, the label alone or fragments | taken \"\"".to_owned());
        return Decoded {
            has_grammar: true,
            decision: Some(Decision {
                text: String::new(),
                confidence: label_alone.exp(),
                valid: true,
                score: 0.0,
            }),
            trace,
        };
    }
    // The common case: every reading's likeliest text is, at no penalty, a value the grammar
    // likes best. Nothing can outweigh it; no search is needed.
    let plain = rules
        .plain_value(&folded_readings)
        .filter(|v| witnessed.is_none_or(|w| w.values.contains(v)) && possible(v));
    if let Some(value) = plain {
        let confidence = folded_readings
            .iter()
            .map(|(_, _, l)| l.log_prob)
            .fold(f32::NEG_INFINITY, f32::max)
            .exp();
        trace.push(format!("values: {value:?} as read | taken"));
        return Decoded {
            has_grammar: true,
            decision: Some(Decision {
                text: value,
                confidence,
                valid: true,
                score: 0.0,
            }),
            trace,
        };
    }
    for (reading, folded, likeliest) in folded_readings {
        let mut values: HashMap<String, f32> = HashMap::new();
        let mut patterns = vec![general];
        for (preference, _) in rules.preferences {
            if let Preference::Pattern(name) = preference {
                patterns.push(grammars.pattern(name));
            }
        }
        for pattern in patterns {
            for candidate in search_for(kind, &folded, pattern, BEAM) {
                let Some(value) = value_of(pattern, &candidate.text)
                    .or_else(|| value_of(general, &candidate.text))
                else {
                    continue;
                };
                let best = values.entry(value).or_insert(f32::NEG_INFINITY);
                *best = best.max(candidate.log_prob);
            }
        }
        // Nothing is a value only of a field some cards leave unprinted.
        if !kind.may_be_unprinted() {
            values.remove("");
        }
        // The label's end is its Chinese: a Latin letter before a value may be the English
        // sub-label's, or the value's first character misread.
        let text: Vec<char> = likeliest.text.chars().collect();
        let after_label = general
            .value_of(&likeliest.text)
            .filter(|range| range.start > 0 && is_cjk(text[range.start - 1]))
            .map(|range| text[range].iter().collect());
        said.push(Said {
            lattice: folded,
            group: (reading.printing, reading.cut),
            weight: reading.weight,
            likeliest: likeliest.log_prob,
            text: likeliest.text,
            values,
            without_first: HashMap::new(),
            after_label,
        });
    }
    if said.is_empty() {
        return Decoded {
            has_grammar: true,
            decision: None,
            trace,
        };
    }
    // The pool: each reading's best few values, and its best few of each preference.
    let preferred: Vec<&Pattern> = rules
        .preferences
        .iter()
        .filter_map(|(p, _)| match p {
            Preference::Pattern(name) => Some(grammars.pattern(name)),
            Preference::CheckDigit => None,
        })
        .collect();
    let mut pool: Vec<String> = Vec::new();
    for r in &said {
        let mut best: Vec<(&String, f32)> = r
            .values
            .iter()
            .filter(|(v, _)| possible(v))
            .map(|(v, &lp)| (v, lp))
            .collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        pool.extend(best.iter().take(POOLED).map(|(v, _)| (*v).clone()));
        for pattern in &preferred {
            pool.extend(
                best.iter()
                    .filter(|(v, _)| pattern.matches(v))
                    .take(POOLED)
                    .map(|(v, _)| (*v).clone()),
            );
        }
        if rules
            .preferences
            .iter()
            .any(|(p, _)| *p == Preference::CheckDigit)
        {
            pool.extend(
                best.iter()
                    .filter(|(v, _)| passes_check_digit(v))
                    .take(POOLED)
                    .map(|(v, _)| (*v).clone()),
            );
        }
    }
    if let Some(witness) = witnessed {
        pool.extend(witness.values.iter().filter(|v| possible(v)).cloned());
    }
    // A VIN read one character short, its line starting a character late: every first
    // character that makes the check digit pass is a value to weigh, and a China-made
    // vehicle's L (some cards print a failing check digit).
    let vin_short = kind == Kind::Vin && said.iter().any(|r| one_short_vin(r).is_some());
    if vin_short {
        for r in &said {
            let Some(rest) = one_short_vin(r) else {
                continue;
            };
            pool.extend(
                VIN_SIGNS
                    .chars()
                    .map(|c| format!("{c}{rest}"))
                    .filter(|v| passes_check_digit(v) || v.starts_with('L'))
                    .filter(|v| possible(v)),
            );
        }
    }
    pool.sort();
    pool.dedup();
    // Every value weighed under every reading: read under the grammar with the value fixed.
    if said.len() > 1 || witnessed.is_some() || vin_short {
        for value in &pool {
            let Some(holding) = grammars.holding(rules.pattern, value) else {
                continue;
            };
            for r in &mut said {
                if r.values.contains_key(value) {
                    continue;
                }
                // A value the reading cannot spell from its listed symbols is read with them
                // listed at their floor: graded by how much of it the reading misses, and by
                // what the reading saw that it leaves out (`营运` against a reading of `非营运`
                // pays for the `非` seen). A value the grammar cannot hold in the reading at
                // all counts CTC's forward probability wherever it lies in the line.
                let value_chars = chars(value);
                let best = |lattice: &Lattice| {
                    search_for(kind, lattice, &holding, HOLDING_BEAM)
                        .first()
                        .map(|c| c.log_prob)
                };
                let lp = best(&r.lattice)
                    .or_else(|| best(&r.lattice.listing(&value_chars)))
                    .unwrap_or_else(|| r.lattice.log_prob_within(&value_chars));
                r.values.insert(value.clone(), lp);
            }
        }
    }
    // Where strips led in from the label were read, a reading may have started a character
    // late: weigh each value under each reading without its first character too.
    if vin_short || said.iter().any(|r| r.group.1 == Cut::LeadIn) {
        for value in &pool {
            let rest: String = value.chars().skip(1).collect();
            if rest.is_empty() {
                continue;
            }
            let Some(holding) = grammars.holding(rules.pattern, &rest) else {
                continue;
            };
            for r in said
                .iter_mut()
                .filter(|r| r.after_label.as_ref() != Some(&rest))
            {
                let lp = search_for(kind, &r.lattice, &holding, HOLDING_BEAM)
                    .first()
                    .map_or(f32::NEG_INFINITY, |c| c.log_prob);
                r.without_first.insert(value.clone(), lp - LEAD_LOST);
            }
        }
    }
    // What one reading says of a value, against its likeliest text.
    let says = |r: &Said, value: &String| -> f32 {
        let lp = r.values.get(value).copied().unwrap_or(f32::NEG_INFINITY);
        let lp = lp.max(
            r.without_first
                .get(value)
                .copied()
                .unwrap_or(f32::NEG_INFINITY),
        );
        (lp - r.likeliest).max(-ABSENT)
    };
    // A value's score: each cut's readings of a printing say what they say on average (strips
    // of one kind are the same pixels cut alike, not independent witnesses), and the cuts and
    // printings add up.
    let mut groups: Vec<(u8, Cut)> = said.iter().map(|r| r.group).collect();
    groups.sort_by_key(|&(printing, cut)| (printing, cut as u8));
    groups.dedup();
    let score = |value: &String| -> f32 {
        groups
            .iter()
            .map(|&group| {
                let (sum, weights) = said
                    .iter()
                    .filter(|r| r.group == group)
                    .fold((0.0, 0.0), |(s, w), r| {
                        (s + r.weight * says(r, value), w + r.weight)
                    });
                sum / weights
            })
            .sum()
    };
    let witnesses = groups.len() as f32;
    // Held by some reading within the margin (a witnessed value's, for a witnessed value).
    let held = |value: &String| {
        let margin = match witnessed {
            Some(w) if w.values.contains(value) => w.margin.max(rules.margin),
            _ => rules.margin,
        };
        said.iter().any(|r| {
            let lp = r.values.get(value).copied().unwrap_or(f32::NEG_INFINITY);
            let without_first = r.without_first.get(value).copied();
            lp.max(without_first.unwrap_or(f32::NEG_INFINITY)) >= r.likeliest - margin
        })
    };
    // Ties go to what the first reading (the page's, by the accurate recognizer) says.
    let first = |value: &String| {
        said[0]
            .values
            .get(value)
            .copied()
            .unwrap_or(f32::NEG_INFINITY)
    };
    let mut scored: Vec<(&String, f32)> = pool.iter().map(|v| (v, score(v))).collect();
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(first(b.0).total_cmp(&first(a.0)))
            .then(a.0.cmp(b.0))
    });
    let mut shown: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(v, s)| format!("{v:?} {s:.1}"))
        .collect();
    if let Some(witness) = witnessed {
        if let Some((v, s)) = scored.iter().find(|(v, _)| witness.values.contains(v)) {
            shown.push(format!("witnessed {v:?} {s:.1}"));
        }
    }
    let Some(&(best, best_score)) = scored.iter().find(|(v, _)| held(v)) else {
        // A closed vocabulary's likeliest word, however unlikely, or a vehicle type the list
        // lacks, read surely.
        let decision = vocabulary::last_resort(kind, &said, &shown.join(", "), &mut trace);
        return Decoded {
            has_grammar: true,
            decision,
            trace,
        };
    };
    let mut chosen = best;
    let preferences = share::preferences(witnessed, rules.preferences, grammars);
    for (at, &(ref preference, margin)) in preferences.iter().enumerate() {
        let within = |&&(v, s): &&(&String, f32)| s >= best_score - margin * witnesses && held(v);
        let found = match preference {
            Choice::Pattern(pattern) => {
                // Free text (a name, an address) is preferred in a vocabulary's spelling, not
                // shortened into one.
                let length = best.chars().count();
                scored
                    .iter()
                    .filter(within)
                    .filter(|(v, _)| !kind.is_free_text() || v.chars().count() >= length)
                    .find(|(v, _)| is_value_of(pattern, v))
                    .map(|(v, _)| *v)
            }
            Choice::Values(values) => scored
                .iter()
                .filter(within)
                .find(|(v, _)| values.contains(v))
                .map(|(v, _)| *v),
            Choice::CheckDigit => {
                let kept: Vec<&Choice<'_>> = preferences[at + 1..]
                    .iter()
                    .map(|(choice, _)| choice)
                    .filter(|choice| choice.holds(best))
                    .collect();
                likeliest_passing(scored.iter().filter(within), |v| {
                    kept.iter().all(|choice| choice.holds(v))
                })
            }
        };
        if let Some(v) = found {
            chosen = v;
            break;
        }
    }
    // A field some cards leave unprinted: a value must beat reading nothing there by
    // [`UNPRINTED_MARGIN`] per cut, or stray ink in its place (another page's text, a stamp's
    // edge) is taken for the vocabulary's nearest word.
    if kind.may_be_unprinted() {
        let score_of = |value: &String| scored.iter().find(|(v, _)| *v == value).map(|&(_, s)| s);
        let blank = scored.iter().find(|(v, _)| v.is_empty());
        if let (Some(&(nothing, blank_score)), Some(chosen_score)) = (blank, score_of(chosen)) {
            if blank_score >= chosen_score - UNPRINTED_MARGIN * witnesses {
                chosen = nothing;
            }
        }
    }
    let likelihood = said
        .iter()
        .filter_map(|r| r.values.get(chosen))
        .fold(f32::NEG_INFINITY, |a, &b| a.max(b))
        .exp();
    // Where the readings disagree (two recognizers, or the two pages' printings, each sure of
    // a value of its own), no reading's certainty alone makes the value sure.
    let share = share::evidence_share(chosen, &scored, &preferences, witnesses);
    let confidence = likelihood.min(share);
    trace.push(format!(
        "values: {} | taken {chosen:?}{}",
        shown.join(", "),
        if share < likelihood {
            format!(", share {share:.2}")
        } else {
            String::new()
        }
    ));
    let score = scored
        .iter()
        .find(|(v, _)| *v == chosen)
        .map_or(best_score, |&(_, s)| s);
    let decision = Decision {
        text: chosen.clone(),
        confidence,
        valid: true,
        score,
    };
    Decoded {
        has_grammar: true,
        decision: Some(decision),
        trace,
    }
}

/// Whether `text` is an inspection stamp as cards print them (`inspection_stamp` of
/// `grammar/fields.txt`): one or more, each with its year, a month that is a month and the
/// office's province.
pub(crate) fn is_stamp(text: &str) -> bool {
    Grammars::get().pattern("inspection_stamp").matches(text)
}

/// How much better (nats per cut) than reading nothing a value of a field that some cards leave
/// unprinted must score to be taken (measured on the energy types of seeds 9811, 9812 and on
/// hard photos of both pages, h9704, whose stray ink scored 0.1-1.4 above nothing).
const UNPRINTED_MARGIN: f32 = 3.0;

/// A value counts at most this far (nats) below a reading's likeliest text: one reading that
/// missed a value (a strip cut through it) does not outweigh the others.
const ABSENT: f32 = 20.0;

fn chars(text: &str) -> Vec<char> {
    text.chars().collect()
}

/// Whether `value` is, as a whole, a value of `pattern` (not a value with what the pattern
/// allows around one: a seal with a label's character stamped beside it).
fn is_value_of(pattern: &Pattern, value: &str) -> bool {
    value_of(pattern, value).is_some_and(|v| v == value)
}

/// The value `text` (a text of `pattern`) holds.
pub(super) fn value_of(pattern: &Pattern, text: &str) -> Option<String> {
    let range = pattern.value_of(text)?;
    Some(text.chars().skip(range.start).take(range.len()).collect())
}

#[cfg(test)]
mod tests;
