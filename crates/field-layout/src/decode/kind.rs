//! The kinds of value a field's grammar reads, and each kind's rules: its pattern in
//! `grammar/fields.txt`, its margin, its preferences, and how a recognized symbol is folded.

use vlocr_ctc::{Candidate, Lattice};

use super::value_of;
use super::vin_signs::passes_check_digit;
use crate::grammar::Grammars;
use crate::text::fold_char;
use crate::Reading;

/// Among VIN candidates this much less likely than the best (nats), the likeliest that passes
/// the check digit is preferred: the check digit chooses between readings the recognizer found
/// close, it does not overrule a clear one (some cards print a failing check digit).
const CHECK_DIGIT_MARGIN: f32 = 3.0;

/// How much less likely (nats per reading) than the best VIN one starting with L (a China-made
/// vehicle's) may be and be taken, when the check digit does not choose.
const DOMESTIC_VIN_MARGIN: f32 = 2.0;

/// The kinds of value a grammar is known for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Plate,
    Vin,
    EngineNo,
    Date,
    VehicleType,
    UseCharacter,
    Model,
    Name,
    Address,
    Passengers,
    Mass,
    Dimension,
    CodeNumber,
    EnergyType,
    Inspection,
    Authority,
    BodyColor,
    Status,
}

/// What a grammar prefers among its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Preference {
    /// Values of this pattern of `grammar/fields.txt` (a narrower language).
    Pattern(&'static str),
    /// A VIN that passes its check digit, when only one value within the margin does.
    CheckDigit,
}

/// A kind's grammar: its pattern, how much less likely (nats) than a reading's likeliest text
/// its value may be, and its preferences with their margins (nats per reading).
pub(super) struct Rules {
    pub(super) pattern: &'static str,
    pub(super) margin: f32,
    pub(super) preferences: &'static [(Preference, f32)],
}

impl Kind {
    /// The kind's grammar. Margins set on the synthetic photo sets of seeds 101 and 707 and the
    /// hard set of seed 202: first from each reading's best value against the truth at margins
    /// of 0.5 to 20 nats (`vlocr recognize --trace`): dates, vehicle types and use characters
    /// were right at every margin up to 12-20 but for one to three readings; VINs gained 5 right
    /// and 1 wrong from 6 to 10; plates kept gaining right and wrong ones (3 to 2 from 6 to 10).
    /// Then by `vlocr eval`: a plate's margin of 3 has a reading that gives letters away to the
    /// English title fail, so its row is read again. A preference for what most values are (an
    /// engine number without I, O, Q; a person's common given name) has a margin of 2.5-3: it
    /// takes a character the recognizer gave about 5-8% or more.
    pub(super) fn rules(self) -> Rules {
        use Preference::{CheckDigit, Pattern};
        let (pattern, margin, preferences): (_, _, &'static [(Preference, f32)]) = match self {
            Kind::Plate => ("number", 3.0, &[]),
            Kind::Vin => (
                "vin",
                10.0,
                &[
                    (CheckDigit, CHECK_DIGIT_MARGIN),
                    (Pattern("vin_domestic"), DOMESTIC_VIN_MARGIN),
                ],
            ),
            Kind::EngineNo => ("engine_no", 8.0, &[(Pattern("engine_no_common"), 3.0)]),
            Kind::Date => ("date", 15.0, &[]),
            Kind::VehicleType => ("vehicle_type", 20.0, &[]),
            // The common use character (a private car's) where the readings leave it within
            // a common given name's margin: the prior a closed vocabulary's frequencies give.
            Kind::UseCharacter => (
                "use_character",
                12.0,
                &[(Pattern("use_character_common"), 2.5)],
            ),
            Kind::Model => (
                "model_other",
                6.0,
                &[(Pattern("model_coded"), 4.5), (Pattern("model"), 6.0)],
            ),
            // A common given-name character is preferred only where the recognizer gave it
            // 8% or more: a rare one read surely stays.
            Kind::Name => (
                "name",
                6.0,
                &[
                    (Pattern("person_common"), 2.5),
                    (Pattern("person"), 4.5),
                    (Pattern("company_known"), 4.5),
                    (Pattern("company"), 4.5),
                ],
            ),
            // A common count (under a hundred) where the recognizer gave it 5% or more, as an
            // engine number's common letters.
            Kind::Passengers => ("passengers", 6.0, &[(Pattern("passengers_common"), 3.0)]),
            Kind::Mass => ("mass", 6.0, &[]),
            Kind::Dimension => ("dimension", 6.0, &[]),
            Kind::CodeNumber => ("code_number", 6.0, &[]),
            // A closed vocabulary, as the use character (its margin, not calibrated apart).
            Kind::EnergyType => ("energy_type", 12.0, &[]),
            // The electronic license's closed vocabularies, as the energy type.
            Kind::BodyColor => ("body_color", 12.0, &[]),
            Kind::Status => ("status", 12.0, &[]),
            // A stamp as printed, else a province, where the recognizer gave one 1% or more
            // (4.6 nats; the stamp's margin taken from the province's, not calibrated apart).
            Kind::Inspection => (
                "inspection",
                6.0,
                &[
                    (Pattern("inspection_stamp"), 4.6),
                    (Pattern("inspection_province"), 4.6),
                ],
            ),
            // A seal naming a listed place before a fixed ending, where the recognizer gave its
            // characters 1% or more per reading (the inspection stamp's margin, not calibrated
            // apart).
            Kind::Authority => ("authority", 6.0, &[(Pattern("authority_known"), 4.6)]),
            Kind::Address => (
                "address",
                6.0,
                &[
                    (Pattern("address_district_street"), 4.5),
                    (Pattern("address_district"), 4.5),
                    (Pattern("address_city_street"), 4.5),
                    (Pattern("address_city"), 4.5),
                    (Pattern("address_street"), 4.5),
                    (Pattern("address_known"), 6.0),
                ],
            ),
        };
        Rules {
            pattern,
            margin,
            preferences,
        }
    }

    /// The fewest characters a legible part of one of the kind's values has: a reading of
    /// fewer is a fragment of a mask, a thumb or a speck, and witnesses no value. An address
    /// starts with a province or a municipality (`北京市`, 3 characters); an inspection record
    /// with its fixed words (`检验有效期至`, 6) or a date; an engine number has 5 or more
    /// (domain.md 3.7). Other kinds have short values (`2人`, a two-character name), or a legible
    /// part too short for this to tell (a plate's province, read on a masked plate).
    pub(super) fn fewest_legible(self) -> usize {
        match self {
            Kind::Address | Kind::EngineNo => 3,
            Kind::Inspection => 4,
            _ => 1,
        }
    }

    /// Whether some cards print no value of the kind at all (older cards, no energy type):
    /// reading nothing is then a value to weigh against the others.
    pub(super) fn may_be_unprinted(self) -> bool {
        self == Kind::EnergyType
    }

    /// Whether the kind's values are free text (Chinese characters, a house number), which a
    /// vocabulary may spell but not cut.
    pub(super) fn is_free_text(self) -> bool {
        matches!(self, Kind::Name | Kind::Address)
    }

    /// Whether the kind's values have a set number of characters (a VIN's 17, a code number's
    /// 13, a date's, a plate's 7 or 8): a doubled character squeezed into too few frames for a
    /// blank between is read split at [`REPEAT_SPLIT`](super::REPEAT_SPLIT) rather than made up elsewhere.
    pub(super) fn counts_characters(self) -> bool {
        matches!(
            self,
            Kind::Vin | Kind::CodeNumber | Kind::Date | Kind::Plate
        )
    }

    /// Whether the kind's values are codes of letters and digits, whose glyphs the recognizer
    /// takes for each other (a model's code; a date's digits).
    pub(super) fn is_code(self) -> bool {
        !matches!(
            self,
            Kind::VehicleType
                | Kind::UseCharacter
                | Kind::EnergyType
                | Kind::Name
                | Kind::Address
                | Kind::Inspection
                | Kind::Passengers
                | Kind::Authority
                | Kind::BodyColor
                | Kind::Status
        )
    }

    /// A recognized symbol as the grammar reads it; `None` for marks that are no part of the
    /// value's text (they count as the blank).
    pub(crate) fn fold(self, c: char) -> Option<char> {
        let c = fold_char(c);
        if c.is_whitespace() {
            return None;
        }
        match self {
            Kind::Plate => {
                (!matches!(c, '·' | '•' | '.' | '-' | '。')).then(|| c.to_ascii_uppercase())
            }
            Kind::Vin | Kind::EngineNo => {
                (!matches!(c, '·' | '•' | '。')).then(|| c.to_ascii_uppercase())
            }
            // A model's code may end in a small letter (the grammar allows one there alone).
            Kind::Model => (!matches!(c, '·' | '•' | '。')).then(|| {
                if crate::text::is_distinct_small_letter(c) {
                    c
                } else {
                    c.to_ascii_uppercase()
                }
            }),
            Kind::Date => Some(match c {
                '一' | '—' | '–' | '_' | '－' => '-',
                c => c,
            }),
            // `箱式` is the common spelling of the vocabulary's `厢式` (the same word).
            Kind::VehicleType => Some(if c == '箱' { '厢' } else { c }),
            Kind::UseCharacter | Kind::Name | Kind::Address | Kind::Passengers => Some(c),
            Kind::BodyColor => Some(c),
            Kind::Status => Some(match c {
                '，' | '、' | '/' => ',',
                c => c,
            }),
            Kind::EnergyType => Some(match c {
                '／' | '丿' => '/',
                c => c,
            }),
            Kind::CodeNumber => (!matches!(c, '·' | '•' | '。')).then_some(c),
            Kind::Mass => Some(c.to_ascii_lowercase()),
            Kind::Dimension => Some(match c.to_ascii_lowercase() {
                'x' | '*' => '×',
                c => c,
            }),
            // Seals print Chinese only: a Latin letter, digit or mark came from a label beside it.
            Kind::Authority => crate::text::is_cjk(c).then_some(c),
            Kind::Inspection => Some(match c {
                '（' => '(',
                '）' => ')',
                c => c,
            }),
        }
    }
}

impl Kind {
    /// Whether `text`, as read, holds a value of this kind (not a blank's dashes) by the kind's
    /// grammar: evidence of which field a printed value belongs to. `None` for kinds whose
    /// grammar takes almost any text, which say nothing of it (names, addresses, engine
    /// numbers), and for the inspection stamp only its stamp's shape counts.
    pub(crate) fn holds_value(self, text: &str) -> Option<bool> {
        let name = match self {
            Kind::Name | Kind::Address | Kind::EngineNo | Kind::Authority => return None,
            Kind::Inspection => "inspection_stamp",
            kind => kind.rules().pattern,
        };
        let text: String = text.chars().filter_map(|c| self.fold(c)).collect();
        let value = Grammars::get().pattern(name).value_of(&text);
        Some(value.is_some_and(|range| {
            text.chars()
                .skip(range.start)
                .take(range.len())
                .any(char::is_alphanumeric)
        }))
    }
}

impl Rules {
    /// The value every reading's likeliest text holds, when each holds the same one at no penalty
    /// under the grammar's first preference (the grammar itself when it has none; a VIN passing its
    /// check digit).
    pub(super) fn plain_value(
        &self,
        readings: &[(&Reading, Lattice, Candidate)],
    ) -> Option<String> {
        let grammars = Grammars::get();
        let (pattern, check_digit) = match self.preferences.first() {
            Some((Preference::Pattern(name), _)) => (grammars.pattern(name), false),
            Some((Preference::CheckDigit, _)) => (grammars.pattern(self.pattern), true),
            None => (grammars.pattern(self.pattern), false),
        };
        let mut found: Option<String> = None;
        for (_, _, likeliest) in readings {
            if pattern.penalty_of(&likeliest.text) != Some(0.0) {
                return None;
            }
            let value = value_of(pattern, &likeliest.text)?;
            if check_digit && !passes_check_digit(&value) {
                return None;
            }
            match &found {
                Some(v) if *v != value => return None,
                _ => found = Some(value),
            }
        }
        found
    }
}
