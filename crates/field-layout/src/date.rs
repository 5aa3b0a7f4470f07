//! Dates (注册日期, 发证日期) in the forms cards and recognizers give them.

use crate::grammar::Grammars;
use crate::text::Normalized;
use crate::{FrontField, FrontFields};

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

/// Makes the two dates of a main page possible together: a card is registered before it is
/// issued (`shared/docs/domain.md` 3.1), and neither can be after `this_year`. When the two
/// differ in one digit that the recognizer takes for the other (`lexicon/look_alikes.txt`;
/// `2028-05-27` and `2020-05-27`: new cars are registered and issued on one day) and one of them
/// lies after `this_year`, that one takes the other's reading.
pub fn agree_dates(fields: &mut FrontFields, this_year: i32) {
    let date_of = |field| {
        fields
            .get(field)
            .filter(|v| v.valid)
            .map(|v: &crate::FieldValue| v.text.clone())
    };
    let (Some(register), Some(issue)) = (
        date_of(FrontField::RegisterDate),
        date_of(FrontField::IssueDate),
    ) else {
        return;
    };
    if register.len() != issue.len() {
        return;
    }
    let differing: Vec<(char, char)> = register
        .chars()
        .zip(issue.chars())
        .filter(|(a, b)| a != b)
        .collect();
    let look_alike = matches!(differing.as_slice(), [(a, b)]
        if Grammars::get().look_alikes(*a).contains(b));
    if !look_alike {
        return;
    }
    let future = |date: &str| {
        date.get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .is_some_and(|y| y > this_year)
    };
    let (wrong, right) = match (future(&register), future(&issue)) {
        (true, false) => (FrontField::RegisterDate, issue),
        (false, true) => (FrontField::IssueDate, register),
        _ => return,
    };
    if let Some((_, value)) = fields.fields.iter_mut().find(|(f, _)| *f == wrong) {
        value.text = right;
    }
}

#[cfg(test)]
mod tests {
    use super::agree_dates;
    use crate::normalize::normalized as n;
    use crate::{FrontField, FrontFields};

    #[test]
    fn a_date_in_the_future_takes_the_other_dates_look_alike_reading() {
        let dates = |register: &str, issue: &str| {
            let value = |text: &str| crate::test_value(text, true);
            let mut fields = FrontFields {
                fields: vec![
                    (FrontField::RegisterDate, value(register)),
                    (FrontField::IssueDate, value(issue)),
                ],
                ..FrontFields::default()
            };
            agree_dates(&mut fields, 2026);
            [FrontField::RegisterDate, FrontField::IssueDate]
                .map(|f| fields.get(f).map(|v| v.text.clone()).unwrap_or_default())
        };
        assert_eq!(
            dates("2028-05-27", "2020-05-27"),
            ["2020-05-27", "2020-05-27"]
        );
        // An issue date in the future, in order: as impossible.
        assert_eq!(
            dates("2020-05-27", "2029-05-27"),
            ["2020-05-27", "2020-05-27"]
        );
        // Both possible, more than one digit apart, or not look-alikes: as read.
        assert_eq!(
            dates("2010-05-27", "2018-05-27"),
            ["2010-05-27", "2018-05-27"]
        );
        assert_eq!(
            dates("2023-05-27", "2020-05-27"),
            ["2023-05-27", "2020-05-27"]
        );
        assert_eq!(
            dates("2099-05-03", "2013-01-19"),
            ["2099-05-03", "2013-01-19"]
        );
        assert_eq!(
            dates("2027-05-27", "2020-05-27"),
            ["2027-05-27", "2020-05-27"]
        );
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
