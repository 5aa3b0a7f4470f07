//! The red seal's text, the issuing authority: a province or city, then one of a few fixed
//! endings (`shared/docs/domain.md` 3.13).

use std::sync::OnceLock;

use crate::address::province_agreeing;
use crate::decode::{decode_possible, decode_preferring, likeliest_among, Decision, Kind, Witness};
use crate::grammar::Grammars;
use crate::labels::{edit_distance, FrontField, FRONT_LABELS};
use crate::normalize::{self, is_province};
use crate::places::{municipalities, seal_places, SealPlace};
use crate::text::{is_cjk, Normalized};
use crate::{FieldValue, FrontFields, Reading};

/// The seal's text: a traffic-police authority's name. Seal lines are Chinese only, so Latin
/// letters, digits and marks in them leaked in from the neighbouring labels and are dropped.
pub(crate) fn authority(text: &str) -> Normalized {
    let text: String = text
        .replace('寨', "察")
        .chars()
        .filter(|&c| is_cjk(c))
        .collect();
    let text = without_label_pieces(&text);
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
            text: municipal_rank(snapped),
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
        text: municipal_rank(text[..end.unwrap_or(text.len())].to_owned()),
    }
}

/// A municipality's traffic police are a 总队, never a 支队 (`shared/docs/domain.md` 3.13): a
/// seal of a municipality alone ending in `交通警察支队` had its `总` read as the look-alike `支`.
fn municipal_rank(seal: String) -> String {
    let city_ending = "公安局交通警察支队";
    match municipalities().find(|m| seal.strip_prefix(m) == Some(city_ending)) {
        Some(municipality) => format!("{municipality}公安局交通警察总队"),
        None => seal,
    }
}

/// The seal with any three or more characters of a main-page label taken out: a seal stamped
/// over the labels is read with their characters inside it (`公安局交递动机号码警察支队`), and no
/// authority's name holds a piece of a label.
fn without_label_pieces(text: &str) -> String {
    let mut text = text.to_owned();
    for label in FRONT_LABELS.iter().filter(|l| l.field.is_some()) {
        let chars: Vec<char> = label.chinese.chars().collect();
        // Longest pieces first, so that `动机号码` goes whole rather than as `动机号`.
        for len in (3..=chars.len()).rev() {
            for piece in chars.windows(len) {
                let piece: String = piece.iter().collect();
                text = text.replace(&piece, "");
            }
        }
    }
    text
}

/// Makes the owner's address start with a province (see `province_agreeing`), then reads the
/// seal: from its lattices under its grammar (a listed place before a fixed ending), the seals
/// naming the place of the plate or the address weighed first (`read_under_grammar`). When no
/// listed seal is within its margin, its text is put right: the place read before the fixed
/// ending is replaced by the closest place a seal can name (`crate::places`) when that one is
/// within a slip per four characters (one more when it is the place the plate was issued by, or
/// the place the address starts with: owners register where they live) and no other place is
/// as close (`西壮族自治区南宁市` with plate `桂A...` is `广西壮族自治区南宁市`, and `东省深圳市` is
/// `广东省深圳市` even with the plate masked: Shenzhen is only in Guangdong); a seal read from
/// lattices that still names no listed place is marked invalid. A seal with no fixed ending, or
/// nothing before it, is left as read.
///
/// Then the plate (the authority that issued the card issued the plate; the province's strokes
/// are the finest on the card): one whose first character is not the seal's province is read
/// again from its lattices with the plates of the seal's place as witnesses
/// (`plate_under_seal`); when no such plate is held within the witness margin, a plate whose
/// first character is no province (`林A1399挂`, `1A0149挂`) takes the seal's province when the
/// rest of it is a plate and its office letter is the one that place's plates carry.
pub fn agree_seal_and_plate(fields: &mut FrontFields) {
    if let Some((_, address)) = fields
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::Address)
    {
        if let Some(corrected) = province_agreeing(&address.text) {
            address.text = corrected;
        }
    }
    let text_of = |field| {
        fields
            .get(field)
            .map(|v: &crate::FieldValue| v.text.clone())
            .unwrap_or_default()
    };
    let (plate, address) = (text_of(FrontField::Number), text_of(FrontField::Address));
    let Some((_, seal)) = fields
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::IssuingAuthority)
    else {
        return;
    };
    let vouched = witnessed_seals(&plate, &address);
    if !read_under_grammar(seal, &vouched) {
        if let Some(corrected) = place_agreeing(&seal.text, &plate, &address) {
            seal.text = corrected;
        }
        // Read from lattices, a seal that names no listed place before a fixed ending, under
        // its grammar or put right by its text, is no seal as printed: it is marked so. One
        // that names no place at all there (garbled by the stamp's ink) is answered as the seal
        // of the place the plate or the address names that its readings make likeliest; one
        // naming an unlisted place (a sub-city office's, `...分局交通警察大队`) is kept as read.
        let listed = Grammars::get()
            .pattern("authority_known")
            .matches(&seal.text);
        if !seal.readings.is_empty() && !listed {
            let readings: Vec<&Reading> = seal.readings.iter().collect();
            // A sub-city office's ending needs its district before it: no seal of a city alone.
            let of_cities: Vec<String> = vouched
                .iter()
                .filter(|s| !s.contains("分局"))
                .cloned()
                .collect();
            // A seal unsurely read as naming a place no seal names, where the plate and the
            // address both name one, is that place's seal misread (the authority that issued
            // the card issued the plate, and owners register where they live): its ink and
            // curve garble a long place name past what the margin allows (`河情女自井不市市`
            // for `新疆维吾尔自治区乌鲁木齐市`). One read surely names an office we do not list.
            let agreed = seals_both_name(&plate, &address);
            let among = if !names_a_place(&seal.text) {
                Some(&of_cities)
            } else if !seal.text.contains("分局")
                && seal.confidence < SURE_SEAL
                && !agreed.is_empty()
            {
                Some(&agreed)
            } else {
                None
            };
            let likeliest =
                among.and_then(|seals| likeliest_among(Kind::Authority, &readings, seals));
            if let Some((word, lp)) = likeliest {
                seal.trace.push(format!(
                    "witnessed seal likeliest: {word:?} {lp:.1}, for {:?}",
                    seal.text
                ));
                seal.text = municipal_rank(word);
                seal.confidence = seal.confidence.min(lp.exp());
            }
            if seal.valid {
                seal.valid = false;
                seal.confidence *= 0.5;
            }
        }
    }
    let Some(place) = place_of(&seal.text) else {
        return;
    };
    let prefix = place.plate_prefix.clone();
    // The owner's address in the seal's province is a second witness against the plate's own
    // province.
    let witnessed = address.starts_with(place.province);
    let Some((_, plate)) = fields
        .fields
        .iter_mut()
        .find(|(f, _)| *f == FrontField::Number)
    else {
        return;
    };
    plate_from_office(plate, &prefix, witnessed, "seal");
}

/// Whether the main page names the province whose plates start with `province` (`黑`): its
/// seal names a place of it, or the owner's address starts with its name.
pub(crate) fn names_province(fields: &FrontFields, province: char) -> bool {
    let text_of = |field| fields.get(field).map(|v| v.text.as_str()).unwrap_or("");
    let (seal, address) = (
        text_of(FrontField::IssuingAuthority),
        text_of(FrontField::Address),
    );
    let of_province = |place: &SealPlace| place.plate_prefix.starts_with(province);
    place_of(seal).is_some_and(of_province)
        || (!address.is_empty()
            && seal_places()
                .iter()
                .any(|place| of_province(place) && address.starts_with(place.province)))
}

/// Puts `plate` right by the office another field names (`prefix`: a seal's place, an
/// inspection stamp's office, `赣A` or `京`): read again from its lattices with that office's
/// plates as witnesses ([`plate_under_seal`]), else, when its first character is no province,
/// given the office's province where the rest is a plate with the office's letter
/// ([`province_from_seal`]). A plate starting with another province is left alone unless
/// `witnessed` (a second field names the office's province too). Whether the plate changed;
/// `source` names the witness in the plate's trace.
pub(crate) fn plate_from_office(
    plate: &mut FieldValue,
    prefix: &str,
    witnessed: bool,
    source: &str,
) -> bool {
    if let Some(read) = plate_under_seal(plate, prefix, witnessed) {
        plate
            .trace
            .push(format!("under the {source}'s {prefix:?}: {:?}", read.text));
        let changed = read.text != plate.text;
        plate.text = read.text;
        plate.valid = read.valid;
        plate.confidence = read.confidence;
        changed
    } else if let Some(corrected) = province_from_seal(&plate.text, prefix, witnessed) {
        plate
            .trace
            .push(format!("the {source}'s province: {corrected:?}"));
        plate.text = corrected;
        plate.valid = true;
        true
    } else {
        false
    }
}

/// A plate whose first character is not the seal's province (none at all, junk before the
/// plate, or another province when `witnessed`: the address is in the seal's province too),
/// read again from its lattices with the plates of the seal's place (`prefix`, `赣A`) as
/// witnesses: the seal's province before each tail of a reading that makes a plate with the
/// seal's office letter, weighed under every reading ([`WITNESS_MARGIN`]). `None` when the
/// plate has no readings, needs nothing, or no such plate is held within the margin.
fn plate_under_seal(plate: &FieldValue, prefix: &str, witnessed: bool) -> Option<Decision> {
    let mut wanted = prefix.chars();
    let province = wanted.next()?;
    let office = wanted.next();
    match plate.text.chars().next() {
        Some(first) if first == province || (is_province(first) && !witnessed) => return None,
        _ => {}
    }
    if plate.readings.is_empty() {
        return None;
    }
    let grammar = Grammars::get().pattern("number");
    let mut texts: Vec<Vec<char>> = vec![plate.text.chars().collect()];
    texts.extend(
        plate
            .readings
            .iter()
            .map(|r| r.lattice.greedy().text().chars().collect()),
    );
    let mut values: Vec<String> = Vec::new();
    for text in &texts {
        for start in 0..text.len() {
            if office.is_some_and(|letter| text[start] != letter) {
                continue;
            }
            // A plate is seven or eight signs: six or seven after the province.
            for len in [6, 7] {
                let Some(tail) = text.get(start..start + len) else {
                    continue;
                };
                let value: String = std::iter::once(province)
                    .chain(tail.iter().copied())
                    .collect();
                if grammar.matches(&value) && !values.contains(&value) {
                    values.push(value);
                }
            }
        }
    }
    if values.is_empty() {
        return None;
    }
    let readings: Vec<&Reading> = plate.readings.iter().collect();
    let witness = Witness {
        values: &values,
        margin: WITNESS_MARGIN,
    };
    let possible =
        |v: &str| v.starts_with(province) && office.is_none_or(|o| v.chars().nth(1) == Some(o));
    decode_possible(Kind::Plate, &readings, Some(&witness), &possible).decision
}

/// Whether `seal` is a sub-city office's (`分局`), or ends in a fixed ending after what ends as
/// a place's name does (`市`, `州`, `盟`, `区`, `县`, `省`).
fn names_a_place(seal: &str) -> bool {
    if seal.contains("分局") {
        return true;
    }
    let Some(ending) = seal_endings()
        .iter()
        .filter(|e| seal.ends_with(*e))
        .max_by_key(|e| e.len())
    else {
        return false;
    };
    let place = &seal[..seal.len() - ending.len()];
    ["市", "州", "盟", "区", "县", "省"]
        .iter()
        .any(|suffix| place.ends_with(suffix))
}

/// The seals naming the place of the plate (its prefix) or of the address (its start), with
/// each fixed ending.
fn witnessed_seals(plate: &str, address: &str) -> Vec<String> {
    seal_places()
        .iter()
        .filter(|place| {
            (!plate.is_empty() && plate.starts_with(&place.plate_prefix))
                || address.starts_with(&place.name)
        })
        .flat_map(|place| {
            seal_endings()
                .iter()
                .map(move |e| format!("{}{e}", place.name))
        })
        .collect()
}

/// The seals (with each fixed ending but a sub-city office's) of the one place that both the
/// plate (its prefix) and the address (its start) name; empty when they name none or differ.
fn seals_both_name(plate: &str, address: &str) -> Vec<String> {
    if plate.is_empty() || address.is_empty() {
        return Vec::new();
    }
    seal_places()
        .iter()
        .filter(|place| plate.starts_with(&place.plate_prefix) && address.starts_with(&place.name))
        .flat_map(|place| {
            seal_endings()
                .iter()
                .filter(|e| !e.contains("分局"))
                .map(move |e| format!("{}{e}", place.name))
        })
        .collect()
}

/// Reads the seal from its readings under its grammar (`authority_known` of
/// `grammar/fields.txt`: a listed place, a fixed ending), preferring the `witnessed` seals
/// ([`WITNESS_MARGIN`]): whether it found such a value (then `seal` holds it).
fn read_under_grammar(seal: &mut FieldValue, witnessed: &[String]) -> bool {
    let readings: Vec<&Reading> = seal.readings.iter().collect();
    if readings.is_empty() {
        return false;
    }
    let witness = (!witnessed.is_empty()).then_some(Witness {
        values: witnessed,
        margin: WITNESS_MARGIN,
    });
    let decoded = decode_preferring(Kind::Authority, &readings, witness.as_ref());
    seal.trace = decoded
        .trace
        .into_iter()
        .map(|t| format!("pieces: {t}"))
        .collect();
    let Some(decision) = decoded.decision else {
        return false;
    };
    if !Grammars::get()
        .pattern("authority_known")
        .matches(&decision.text)
    {
        return false;
    }
    seal.text = municipal_rank(decision.text);
    seal.valid = true;
    seal.confidence = decision.confidence;
    true
}

/// How much less likely (nats per reading) than the best value a seal naming the place of the
/// plate or of the address may be, and be taken: a place another field vouches for may have
/// two or three characters misread (about 3-4 nats each where the recognizer saw them second).
const WITNESS_MARGIN: f32 = 10.0;

/// A seal read with its weakest character at least this sure names what it names, whatever
/// the plate and the address say.
const SURE_SEAL: f32 = 0.5;

/// The place a seal names (with its plate prefix: `粤B` for `广东省深圳市公安局交通警察支队`,
/// `京` for Beijing's), when it names one exactly.
fn place_of(seal: &str) -> Option<&'static SealPlace> {
    let ending = seal_endings()
        .iter()
        .filter(|e| seal.ends_with(*e))
        .max_by_key(|e| e.len())?;
    let place = &seal[..seal.len() - ending.len()];
    seal_places().iter().find(|p| p.name == place)
}

/// `plate` with the province of `prefix` in place of its first character, when the result is
/// a plate whose office letter agrees with `prefix`: a first character that is no province, or
/// another province when `witnessed` (the owner's address is in the seal's province too).
fn province_from_seal(plate: &str, prefix: &str, witnessed: bool) -> Option<String> {
    let mut wanted = prefix.chars();
    let province = wanted.next()?;
    let office = wanted.next();
    let chars: Vec<char> = plate.chars().collect();
    let first = *chars.first()?;
    if first == province || (is_province(first) && !witnessed) {
        return None;
    }
    // The province's glyph read as one character, or as two letters (`JRA96Z04` for `陕A96Z04`).
    let two_letters = chars.len() > 2 && chars[..2].iter().all(char::is_ascii_uppercase);
    let cuts: &[usize] = if two_letters { &[1, 2] } else { &[1] };
    cuts.iter().find_map(|&cut| {
        let rest: String = chars[cut..].iter().collect();
        // The office letter after the grammar's look-alike exchange (`M873E89`: `8` is `B`).
        let candidate = normalize::plate(&format!("{province}{rest}"));
        let office_agrees =
            office.is_none_or(|letter| candidate.text.chars().nth(1) == Some(letter));
        (candidate.valid
            && office_agrees
            && candidate.text.chars().count() == chars.len() + 1 - cut)
            .then_some(candidate.text)
    })
}

/// The seal `text` with its place names made to agree (see [`agree_seal_and_plate`]), or `None`
/// when they already do or no place is close enough.
fn place_agreeing(text: &str, plate: &str, address: &str) -> Option<String> {
    let ending = seal_endings()
        .iter()
        .filter(|e| text.ends_with(*e))
        .max_by_key(|e| e.len())?;
    let read: Vec<char> = text[..text.len() - ending.len()].chars().collect();
    if read.is_empty() {
        return None;
    }
    // (slips, witnessed by the plate or the address, by the plate, the place's name)
    let mut scored: Vec<(usize, bool, bool, String)> = Vec::new();
    for place in seal_places() {
        let by_plate = !plate.is_empty() && plate.starts_with(&place.plate_prefix);
        let witnessed = by_plate || address.starts_with(&place.name);
        let name = place.name.clone();
        scored.push((distance(&read, &name), witnessed, by_plate, name));
        // `杭州市公安局...`: the province left out.
        if let Some((_, city)) = place.name.split_once(['省', '区']) {
            if !city.is_empty() {
                scored.push((distance(&read, city), witnessed, by_plate, city.to_owned()));
            }
        }
    }
    let best = scored.iter().map(|(d, _, _, _)| *d).min()?;
    if best == 0 {
        return None;
    }
    let closest: Vec<&(usize, bool, bool, String)> =
        scored.iter().filter(|(d, _, _, _)| *d == best).collect();
    let chosen = match closest.as_slice() {
        [one] => *one,
        several => {
            let mut witnessed = several.iter().filter(|(_, witnessed, _, _)| *witnessed);
            match (witnessed.next(), witnessed.next()) {
                (Some(one), None) => *one,
                _ => return None,
            }
        }
    };
    let (slips, witnessed, by_plate, name) = chosen;
    let length = name.chars().count();
    let mut allowed = (length / 4).max(1) + usize::from(*witnessed);
    // The closest place is the one the plate was issued by: the authority that issued the card
    // issued the plate, so half of the name may be misread (`区北族口治区南宁市` with `桂A...`).
    if *by_plate {
        allowed = allowed.max(length / 2);
    }
    (*slips <= allowed).then(|| format!("{name}{ending}"))
}

fn distance(read: &[char], name: &str) -> usize {
    let name: Vec<char> = name.chars().collect();
    edit_distance(read, &name)
}

/// The fixed endings of issuing authorities' names (`lexicon/seal_endings.txt`,
/// `shared/docs/domain.md` 3.13): what follows the province and city is one of these.
fn seal_endings() -> &'static [&'static str] {
    static ENDINGS: OnceLock<Vec<&'static str>> = OnceLock::new();
    ENDINGS.get_or_init(|| Grammars::get().lexicon("seal_endings").words().collect())
}

/// A seal whose fixed ending was read with a character dropped, added or changed
/// (`公安局通警察支队`, `公安局交通发管理局`: a label's character stamped over): the ending as
/// printed, after the place names as read, with at most four stray characters after it dropped
/// (label remnants such as `注册`). The ending is a closed vocabulary, like the vehicle types;
/// the place names before it are never changed. `None` when no ending is within one slip (two
/// for endings of eight characters or more), or the reading already ends as printed.
fn snap_seal_ending(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut best: Option<(usize, usize, usize, &str)> = None; // (slips, start, end, ending)
    for ending in seal_endings() {
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
    let Some((slips, start, end, ending)) = best else {
        return ending_by_its_tail(&chars);
    };
    if slips == 0 && end == chars.len() {
        return None;
    }
    let places: String = chars[..start].iter().collect();
    Some(places + ending)
}

/// A seal whose ending was blurred past [`snap_seal_ending`]'s tolerance but whose last two
/// characters (`支队`, `总队`, `理局`, `大队`) were read as printed (`公安母文性需察支队`): the
/// ending of that tail closest to as many characters before it, when at most half of them are
/// misread and no other ending is as close.
fn ending_by_its_tail(chars: &[char]) -> Option<String> {
    let mut ranked: Vec<(usize, usize, &str)> = seal_endings()
        .iter()
        .filter_map(|ending| {
            let wanted: Vec<char> = ending.chars().collect();
            if chars.len() < wanted.len() || chars[chars.len() - 2..] != wanted[wanted.len() - 2..]
            {
                return None;
            }
            // The misread ending may have lost characters or gained some (a label's).
            let lengths = wanted.len().saturating_sub(2)..=(wanted.len() + 4).min(chars.len());
            let (slips, start) = lengths
                .map(|len| {
                    let start = chars.len() - len;
                    (edit_distance(&chars[start..], &wanted), start)
                })
                .min()?;
            (2 * slips <= wanted.len()).then_some((slips, start, *ending))
        })
        .collect();
    ranked.sort();
    match ranked.as_slice() {
        [(best, start, ending), rest @ ..] if rest.first().is_none_or(|(next, ..)| next > best) => {
            let places: String = chars[..*start].iter().collect();
            Some(places + ending)
        }
        _ => None,
    }
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
mod tests;
