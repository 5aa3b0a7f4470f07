//! The screen's watermark (the time it was generated, repeated over it): telling its pieces,
//! and cutting them off the values they were read with.

use crate::labels::best_substring_distance;
use crate::TextLine;

/// The digits of the time the screen was generated, as its `生成时间` line says (empty when
/// no such line was read).
pub(super) fn generation_time(lines: &[TextLine]) -> String {
    let marker: Vec<char> = "生成时间".chars().collect();
    lines
        .iter()
        .find(|line| {
            let text: Vec<char> = line.text.chars().collect();
            best_substring_distance(&marker, &text) <= 1
        })
        .map(|line| line.text.chars().filter(char::is_ascii_digit).collect())
        .filter(|digits: &String| digits.len() >= 12)
        .unwrap_or_default()
}

/// Whether `text` is a piece of the generation time's watermark: nothing but digits (two or
/// more) and the time's separators, its digits a run of the time's, or runs of four or more
/// of them one after another (the watermark repeats along a row: `2026-04-1520:31:19 2026-04`).
pub(super) fn is_time_piece(text: &str, generated: &str) -> bool {
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    let marks_only = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | ' '));
    if generated.is_empty() || digits.len() < 2 || !marks_only {
        return false;
    }
    let run = |range: std::ops::Range<usize>| {
        generated.contains(&digits[range].iter().collect::<String>())
    };
    if run(0..digits.len()) {
        return true;
    }
    // Whether digits[..end] splits into runs of the time's, each of four digits or more.
    let mut splits = vec![false; digits.len() + 1];
    splits[0] = true;
    for end in 4..=digits.len() {
        splits[end] = (0..=end - 4).any(|start| splits[start] && run(start..end));
    }
    splits[digits.len()]
}

/// How many characters at the start of `text` are the watermark's: a run of at least eight of
/// the generation time's digits (with its separators) read together with a value after it
/// (`20200228125人`); 0 when none, or when nothing would be left.
pub(super) fn time_prefix(text: &str, generated: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut digits = String::new();
    let mut best = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !matches!(c, '-' | ':' | '.' | ' ') {
            break;
        }
        if !generated.contains(&digits) {
            break;
        }
        if digits.len() >= 8 {
            best = i + 1;
        }
    }
    if best < chars.len() {
        best
    } else {
        0
    }
}

/// The characters of `text` from `start` on, less a watermark read at their end
/// ([`time_suffix`]).
pub(super) fn untimed(text: &str, start: usize, generated: &str) -> std::ops::Range<usize> {
    start..time_suffix(text, generated).max(start)
}

/// Where the watermark read at the end of `text` starts (in characters): a run of the
/// generation time's digits (with its separators), eight or more, or six with a colon of the
/// time (`廖文0309:54:04`); the text's length when none, or when nothing would be left.
pub(super) fn time_suffix(text: &str, generated: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut digits: Vec<char> = Vec::new();
    let mut colon = false;
    let mut best = chars.len();
    for (i, &c) in chars.iter().enumerate().rev() {
        if c.is_ascii_digit() {
            digits.insert(0, c);
        } else if matches!(c, '-' | ':' | '.' | ' ') {
            colon |= c == ':';
        } else {
            break;
        }
        if !generated.contains(&digits.iter().collect::<String>()) {
            break;
        }
        if digits.len() >= 8 || (digits.len() >= 6 && colon) {
            best = i;
        }
    }
    if best > 0 {
        best
    } else {
        chars.len()
    }
}

/// Which lines repeat on three or more rows of the screen (by their digits and letters, at
/// least eight of them): a watermark's text.
pub(super) fn repeated_lines(lines: &[TextLine]) -> Vec<bool> {
    let key = |line: &TextLine| -> String {
        line.text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect()
    };
    let keys: Vec<String> = lines.iter().map(key).collect();
    keys.iter()
        .map(|k| k.len() >= 8 && keys.iter().filter(|other| *other == k).count() >= 3)
        .collect()
}
