//! Dates (注册日期, 发证日期) in the forms cards and recognizers give them.

use crate::decode::{decode_possible, Decision, Kind, Witness};
use crate::text::Normalized;
use crate::{FieldValue, FrontField, FrontFields, Reading};

/// A date in any of `YYYY-MM-DD`, `YYYYMMDD`, `YYYY.MM.DD`, `YYYY年MM月DD日`, found anywhere in
/// the text (label remnants around it are ignored), as `YYYY-MM-DD`.
pub(crate) fn date(text: &str) -> Normalized {
    let chars: Vec<char> = text.chars().collect();
    let is_digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    // Letters that look like digits count as digits only between digits (`2O18`), so that a
    // label remnant before the date (`No2018`) is not read as part of the year.
    let digits_and_marks: Vec<char> = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            'O' | 'o' | 'D' if i > 0 && is_digit_at(i - 1) && is_digit_at(i + 1) => '0',
            'I' | 'l' if i > 0 && is_digit_at(i - 1) && is_digit_at(i + 1) => '1',
            c => c,
        })
        .collect();
    let mut groups: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in digits_and_marks {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    // The year: a plausible four-digit year ending a group (noise may precede it: `22008`).
    let year_of = |g: &String| {
        let year = g.get(g.len().saturating_sub(4)..)?;
        let value: u32 = year.parse().ok()?;
        (g.len() >= 4 && (1950..=2099).contains(&value)).then(|| year.to_owned())
    };
    let parts: Option<(String, String, String)> = groups
        .iter()
        .enumerate()
        .find_map(|(i, g)| {
            let year = year_of(g)?;
            Some((year, groups.get(i + 1)?.clone(), groups.get(i + 2)?.clone()))
        })
        .or_else(|| {
            let g = groups.iter().find(|g| g.len() == 8)?;
            Some((g[..4].to_owned(), g[4..6].to_owned(), g[6..].to_owned()))
        })
        .or_else(|| {
            // A value printed over the end of its label loses its first character under the
            // label's ink (`注册日期2011-04-11` read as `...011-04-11`). A year missing its
            // first digit has one completion in 1950..=2099: `0xx` is 20xx, `5xx`..`9xx` 19xx.
            let i = groups.iter().position(|g| g.len() == 3)?;
            let (month, day) = (groups.get(i + 1)?, groups.get(i + 2)?);
            let century = match groups[i].chars().next()? {
                '0' => '2',
                '5'..='9' => '1',
                _ => return None,
            };
            let short_parts = month.len() <= 2 && day.len() <= 2;
            short_parts.then(|| {
                (
                    format!("{century}{}", groups[i]),
                    month.clone(),
                    day.clone(),
                )
            })
        });
    match parts {
        Some((y, m, d)) => {
            // A longer day is the day and noise read after it (a dotted line, a seal's edge).
            let day_digits: String = d.chars().take(2).collect();
            // An `8` that makes a month or day impossible is a `0` with a smudge (`2021-84-02`,
            // `2021-11-87`): the grammar chooses between the two look-alikes.
            let number = |digits: &str, max: u32| {
                let value = digits.parse::<u32>().unwrap_or(0);
                if (1..=max).contains(&value) || !digits.contains('8') {
                    return value;
                }
                let zeroed = digits.replacen('8', "0", 1).parse::<u32>().unwrap_or(0);
                if (1..=max).contains(&zeroed) {
                    zeroed
                } else {
                    value
                }
            };
            let (month, day) = (number(&m, 12), number(&day_digits, 31));
            let valid = (1..=12).contains(&month)
                && (1..=31).contains(&day)
                && m.len() <= 2
                && d.len() <= 2;
            Normalized {
                valid,
                text: format!("{y}-{month:02}-{day:02}"),
            }
        }
        None => Normalized {
            valid: false,
            text: text.to_owned(),
        },
    }
}

/// Makes the two dates of a main page possible together (`shared/docs/domain.md` 3.8): a card
/// is registered no later than it is issued, and issued no later than `this_year`. A date read
/// in the future is read again from its readings among the dates that are possible (the other
/// date, read as it was, weighed with them: new cars are registered and issued on one day);
/// when the register date is read after the issue date, whichever of the two loses less (nats,
/// under its readings) by being read as the order allows is. A date with no possible reading
/// in its readings stays as read, marked as no value of its field.
pub fn agree_dates(fields: &mut FrontFields, this_year: i32) {
    use FrontField::{IssueDate, RegisterDate};
    let in_time = |date: &str| year_of(date).is_some_and(|y| y <= this_year);
    let date_of = |fields: &FrontFields, field| {
        fields
            .get(field)
            .filter(|v| v.valid && !v.text.is_empty())
            .map(|v| v.text.clone())
    };
    // Each date in the future: read among those that are not, and in order with the other
    // when that one is.
    for (field, other) in [(RegisterDate, IssueDate), (IssueDate, RegisterDate)] {
        let Some(date) = date_of(fields, field) else {
            continue;
        };
        if in_time(&date) {
            continue;
        }
        let other_date = date_of(fields, other).filter(|d| in_time(d));
        let possible = |d: &str| {
            in_time(d)
                && other_date.as_deref().is_none_or(|o| match field {
                    RegisterDate => d <= o,
                    _ => d >= o,
                })
        };
        let decided = read_again(fields, field, other_date.as_deref(), &possible);
        settle(fields, field, decided);
    }
    // Both in time, out of order: the one that loses less is read in order.
    let (Some(register), Some(issue)) = (date_of(fields, RegisterDate), date_of(fields, IssueDate))
    else {
        return;
    };
    if register <= issue {
        return;
    }
    let earlier = read_again(fields, RegisterDate, Some(&issue), &|d| {
        in_time(d) && *d <= *issue
    });
    let later = read_again(fields, IssueDate, Some(&register), &|d| {
        in_time(d) && *d >= *register
    });
    let loss = |field, read: &Option<Decision>| {
        let before = fields.get(field).map_or(0.0, score_of);
        read.as_ref().map_or(f32::INFINITY, |d| before - d.score)
    };
    let (register_loss, issue_loss) = (loss(RegisterDate, &earlier), loss(IssueDate, &later));
    if register_loss.is_infinite() && issue_loss.is_infinite() {
        settle(fields, RegisterDate, None);
        settle(fields, IssueDate, None);
    } else if register_loss <= issue_loss {
        settle(fields, RegisterDate, earlier);
    } else {
        settle(fields, IssueDate, later);
    }
}

/// The year a `YYYY-MM-DD` date names.
fn year_of(date: &str) -> Option<i32> {
    date.get(..4).and_then(|y| y.parse().ok())
}

/// `field`'s date read again from its readings among the `possible` ones, the other date
/// (`witness`) weighed with them.
fn read_again(
    fields: &FrontFields,
    field: FrontField,
    witness: Option<&str>,
    possible: &dyn Fn(&str) -> bool,
) -> Option<Decision> {
    let value = fields.get(field)?;
    let readings: Vec<&Reading> = value.readings.iter().collect();
    let values: Vec<String> = witness.map(str::to_owned).into_iter().collect();
    let witness = Witness {
        values: &values,
        margin: 0.0,
    };
    decode_possible(Kind::Date, &readings, Some(&witness), possible).decision
}

/// What `value`'s readings say of it as read (nats, at most 0; 0 without readings).
fn score_of(value: &FieldValue) -> f32 {
    let readings: Vec<&Reading> = value.readings.iter().collect();
    let only = [value.text.clone()];
    let witness = Witness {
        values: &only,
        margin: 0.0,
    };
    decode_possible(Kind::Date, &readings, Some(&witness), &|d| d == value.text)
        .decision
        .map_or(0.0, |d| d.score)
}

/// `field` read as `date` decides, with its confidence; with no date possible, as read but
/// marked as no value of its field, its confidence halved.
fn settle(fields: &mut FrontFields, field: FrontField, date: Option<Decision>) {
    let Some((_, value)) = fields.fields.iter_mut().find(|(f, _)| *f == field) else {
        return;
    };
    match date {
        Some(date) if date.text != value.text => {
            value.trace.push(format!(
                "dates agreed: {:?} for {:?} ({:.1} nats)",
                date.text, value.text, date.score
            ));
            value.text = date.text;
            value.confidence = value.confidence.min(date.confidence);
        }
        Some(_) => {}
        None => {
            value.trace.push(format!(
                "dates agreed: no possible date for {:?}",
                value.text
            ));
            value.valid = false;
            value.confidence *= 0.5;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::agree_dates;
    use crate::normalize::normalized as n;
    use crate::{FrontField, FrontFields};

    /// Places read unsurely: each with the symbols the recognizer gave there.
    type Unsure<'a> = &'a [(usize, &'a [(char, f32)])];
    /// A date as read: its text, surely but at its unsure places.
    type Read<'a> = (&'a str, Unsure<'a>);

    /// The two dates as `agree_dates` leaves them in 2026, each read from a line that reads
    /// its text surely but at its unsure places; and whether each is valid.
    fn agreed(register: Read<'_>, issue: Read<'_>) -> [(String, bool, f32); 2] {
        let value = |(text, unsure): Read<'_>| {
            let mut value = crate::test_value(text, true);
            value.readings = vec![crate::Reading {
                lattice: crate::test_lattice(text, unsure),
                cut: crate::Cut::Line,
                weight: 1.0,
                printing: 0,
            }];
            value
        };
        let mut fields = FrontFields {
            fields: vec![
                (FrontField::RegisterDate, value(register)),
                (FrontField::IssueDate, value(issue)),
            ],
            ..FrontFields::default()
        };
        agree_dates(&mut fields, 2026);
        [FrontField::RegisterDate, FrontField::IssueDate].map(|f| {
            let v = fields.get(f).expect("a date");
            (v.text.clone(), v.valid, v.confidence)
        })
    }

    /// The texts of `agreed`'s dates, each checked to be valid.
    fn read_as(dates: [(String, bool, f32); 2]) -> [String; 2] {
        dates.map(|(text, valid, _)| {
            assert!(valid, "{text}");
            text
        })
    }

    #[test]
    fn a_date_in_the_future_is_read_among_the_possible_ones() {
        // The year's third digit torn between 8 and 0: 2088 is in the future.
        let torn: Unsure<'_> = &[(2, &[('8', 0.6), ('0', 0.3)])];
        assert_eq!(
            read_as(agreed(("2088-06-25", torn), ("2015-06-04", &[]))),
            ["2008-06-25", "2015-06-04"]
        );
        // An issue date in the future: read no earlier than the register date.
        let torn: Unsure<'_> = &[(3, &[('9', 0.6), ('0', 0.2), ('8', 0.1)])];
        assert_eq!(
            read_as(agreed(("2020-05-27", &[]), ("2029-05-27", torn))),
            ["2020-05-27", "2020-05-27"]
        );
    }

    #[test]
    fn dates_out_of_order_put_right_the_one_read_less_surely() {
        let torn: Unsure<'_> = &[(3, &[('8', 0.6), ('0', 0.35)])];
        assert_eq!(
            read_as(agreed(("2018-07-10", torn), ("2010-07-10", &[]))),
            ["2010-07-10", "2010-07-10"]
        );
        let torn: Unsure<'_> = &[(2, &[('0', 0.6), ('1', 0.35)])];
        assert_eq!(
            read_as(agreed(("2010-07-10", &[]), ("2008-07-10", torn))),
            ["2010-07-10", "2018-07-10"]
        );
    }

    #[test]
    fn possible_dates_stay_and_impossible_ones_read_surely_show_it() {
        assert_eq!(
            read_as(agreed(("2010-05-27", &[]), ("2018-05-27", &[]))),
            ["2010-05-27", "2018-05-27"]
        );
        // Read surely in the future: a possible date far from the reading, its confidence as
        // low as the reading gives it, or the reading marked as no date.
        let [(register, valid, confidence), _] = agreed(("2055-05-03", &[]), ("2013-01-19", &[]));
        assert!(register.as_str() <= "2013-01-19", "{register}");
        assert!(!valid || confidence < 0.01, "{confidence}");
        // Without readings to read again: as read, marked.
        let mut fields = FrontFields {
            fields: vec![(FrontField::IssueDate, crate::test_value("2031-01-19", true))],
            ..FrontFields::default()
        };
        agree_dates(&mut fields, 2026);
        let issue = fields.get(FrontField::IssueDate).expect("a date");
        assert_eq!((issue.text.as_str(), issue.valid), ("2031-01-19", false));
    }

    #[test]
    fn an_impossible_month_or_day_with_an_8_reads_it_as_0() {
        assert_eq!(
            n(FrontField::RegisterDate, "2021-84-02"),
            ("2021-04-02".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "2021-11-87"),
            ("2021-11-07".into(), true)
        );
        // Possible as read: kept.
        assert_eq!(
            n(FrontField::RegisterDate, "2021-08-18"),
            ("2021-08-18".into(), true)
        );
        // Impossible without an 8 to blame: as read, invalid.
        assert_eq!(
            n(FrontField::RegisterDate, "2021-11-99"),
            ("2021-11-99".into(), false)
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            n(FrontField::RegisterDate, "22008-04-06"),
            ("2008-04-06".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "No2023-03-26"),
            ("2023-03-26".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "2O23-03-26"),
            ("2023-03-26".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "2018-06-14"),
            ("2018-06-14".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "注册日期2018.6.14"),
            ("2018-06-14".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "发证2013-06-18"),
            ("2013-06-18".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "20130618"),
            ("2013-06-18".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "2013年06月18日"),
            ("2013-06-18".into(), true)
        );
        assert!(!n(FrontField::IssueDate, "2013-13-18").1);
    }

    #[test]
    fn a_year_that_lost_its_first_digit_under_the_label_has_one_completion() {
        assert_eq!(
            n(FrontField::RegisterDate, "011-04-11"),
            ("2011-04-11".into(), true)
        );
        assert_eq!(
            n(FrontField::RegisterDate, "RegisterDa021-08-19"),
            ("2021-08-19".into(), true)
        );
        assert_eq!(
            n(FrontField::IssueDate, "998-12-01"),
            ("1998-12-01".into(), true)
        );
        // No year of 1950..=2099 ends in `1xx` with one digit before it: left as read.
        assert!(!n(FrontField::IssueDate, "123-12-01").1);
        // Only a year of three digits followed by a month and a day is completed.
        assert!(!n(FrontField::IssueDate, "011-0412").1);
    }
}
