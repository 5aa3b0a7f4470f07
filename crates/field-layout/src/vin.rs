//! Vehicle identification numbers: the 17-character grammar, the ISO 3779 check digit, and
//! choosing between look-alike characters by it.

use crate::text::Normalized;

/// A VIN: 17 characters from 0-9 and A-Z without I, O and Q, whose ninth is a check digit.
pub(crate) fn vin(text: &str) -> Normalized {
    let mapped: String = text
        .to_uppercase()
        .chars()
        .filter_map(|c| match c {
            'O' | 'Q' | 'Ø' | 'Θ' | 'Φ' => Some('0'),
            'I' => Some('1'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect();
    let chars: Vec<char> = mapped.chars().collect();
    if chars.len() > 17 {
        // Extra characters are label remnants or noise: prefer a window with a valid check digit.
        let best = (0..=chars.len() - 17)
            .find(|&i| check_digit(&chars[i..i + 17]) == chars[i + 8])
            .unwrap_or(0);
        let text: String = chars[best..best + 17].iter().collect();
        return Normalized {
            valid: check_digit(&chars[best..best + 17]) == chars[best + 8],
            text,
        };
    }
    let valid = chars.len() == 17 && check_digit(&chars) == chars[8];
    Normalized {
        valid,
        text: mapped,
    }
}

/// The ISO 3779 check digit of 17 characters.
pub fn check_digit(vin: &[char]) -> char {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |c: char| match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => 0,
    };
    let sum: u32 = vin.iter().zip(WEIGHTS).map(|(&c, w)| value(c) * w).sum();
    match sum % 11 {
        10 => 'X',
        d => char::from_digit(d, 10).unwrap_or('0'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn n(raw: &str) -> (String, bool) {
        let v = vin(&fold(raw));
        (v.text, v.valid)
    }

    #[test]
    fn vins_keep_a_failing_check_digit() {
        assert_eq!(n("LSVFF66R8C2116280"), ("LSVFF66R8C2116280".into(), true));
        assert_eq!(n("LSVFF66R8C21162OO"), ("LSVFF66R8C2116200".into(), false));
        // The specimen's VIN fails its check digit and must come back as printed.
        assert_eq!(n("HHGHH555778802669"), ("HHGHH555778802669".into(), false));
        assert_eq!(n("VINLSVFF66R8C2116280").0, "LSVFF66R8C2116280");
    }
}
