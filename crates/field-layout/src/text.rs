//! Text of values: the cleaned value type, folding a reading to the card's forms, and what
//! counts as a Chinese character. A leaf: every other module may use it, it uses none of them.

/// A cleaned value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The canonical text.
    pub text: String,
    /// Whether the text fits the field's grammar.
    pub valid: bool,
}

/// Full-width ASCII to half-width, whitespace removed (the NFKC folding that matters here), and
/// traditional characters to simplified ones: cards are printed in simplified Chinese, and the
/// recognizer, trained on both, now and then answers with a traditional form (`強` for `强`).
pub fn fold(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    fast2s::convert(&folded)
}

/// Whether `c` is a CJK ideograph.
pub fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// `c` folded as [`fold`] folds text: full-width ASCII to half-width, a traditional character
/// to the simplified one (whitespace is kept: a caller decides what a space is).
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c if is_cjk(c) => {
            let mut buffer = [0u8; 4];
            fast2s::convert(c.encode_utf8(&mut buffer))
                .chars()
                .next()
                .unwrap_or(c)
        }
        c => c,
    }
}

/// Whether `c` is a small letter whose shape its capital does not share (`a`, `m`, `t`; not
/// `c`, `o`, `s`, ...): a model's code may end in one, printed small (`SVW7165m`), where the
/// others read the same either way and stand for their capitals.
pub(crate) fn is_distinct_small_letter(c: char) -> bool {
    c.is_ascii_lowercase() && !"ckopsuvwxz".contains(c)
}
