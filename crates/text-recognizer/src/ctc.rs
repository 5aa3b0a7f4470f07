//! Greedy CTC decoding.

use ndarray::ArrayView2;

use crate::charset::Charset;

/// A decoded line.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, characters joined.
    pub text: String,
    /// Mean of the character confidences (0 for an empty line).
    pub confidence: f32,
    /// One confidence per emitted character: the probability of its best step.
    pub char_confidences: Vec<f32>,
    /// For each character, the time step it was read at (for locating characters in the line).
    pub char_steps: Vec<usize>,
    /// For each character, the model's [`ALTERNATIVES`] likeliest characters at its best step,
    /// likeliest first (the character read among them), with their probabilities: what a
    /// grammar may choose from when the character read cannot be right.
    pub alternatives: Vec<Vec<(char, f32)>>,
}

/// How many likeliest characters [`Decoded::alternatives`] keeps per character.
pub const ALTERNATIVES: usize = 5;

/// A character read surer than this has only itself as alternative: the others share less than
/// 1% (the least weight a grammar takes an alternative at), and looking them up over every class
/// of the charset would cost a pass over the charset per character.
pub const SURE: f32 = 0.99;

/// Decodes `[T, C]` per-step class probabilities: take the best class at each step, merge
/// repeats, drop blanks (class 0).
#[expect(
    clippy::needless_pass_by_value,
    reason = "array views are passed by value, like slices"
)]
pub fn decode_greedy(probabilities: ArrayView2<'_, f32>, charset: &Charset) -> Decoded {
    let mut text = String::new();
    let mut char_confidences = Vec::new();
    let mut char_steps = Vec::new();
    // Each character's class and the step it was read surest at.
    let mut best_steps: Vec<(usize, usize)> = Vec::new();
    let mut previous = 0usize;
    for (step, row) in probabilities.outer_iter().enumerate() {
        let (class, probability) = row.iter().enumerate().fold(
            (0usize, f32::MIN),
            |best, (c, &p)| if p > best.1 { (c, p) } else { best },
        );
        if class != previous {
            if let Some(symbol) = charset.symbol(class) {
                text.push_str(symbol);
                char_confidences.push(probability);
                char_steps.push(step);
                best_steps.push((class, step));
            }
        } else if let Some(last) = char_confidences.last_mut() {
            // A repeated class extends the same character; keep its best step.
            if class != 0 && probability > *last {
                *last = probability;
                if let Some(best) = best_steps.last_mut() {
                    best.1 = step;
                }
            }
        }
        previous = class;
    }
    let confidence = if char_confidences.is_empty() {
        0.0
    } else {
        char_confidences.iter().sum::<f32>() / char_confidences.len() as f32
    };
    let alternatives = best_steps
        .iter()
        .zip(&char_confidences)
        .map(|(&(class, step), &confidence)| {
            if confidence > SURE {
                // Less than 1% left to every other class together: no alternative worth naming.
                one_char(charset, class)
                    .map(|c| vec![(c, confidence)])
                    .unwrap_or_default()
            } else {
                likeliest(probabilities.row(step).as_slice(), charset)
            }
        })
        .collect();
    Decoded {
        text,
        confidence,
        char_confidences,
        char_steps,
        alternatives,
    }
}

/// The [`ALTERNATIVES`] likeliest one-character symbols of one step's probabilities (the blank
/// and the space left out), likeliest first.
fn likeliest(row: Option<&[f32]>, charset: &Charset) -> Vec<(char, f32)> {
    let Some(row) = row else {
        return Vec::new();
    };
    let mut best: Vec<(usize, f32)> = Vec::with_capacity(ALTERNATIVES + 1);
    for (class, &p) in row.iter().enumerate().skip(1) {
        if best.len() == ALTERNATIVES && p <= best[ALTERNATIVES - 1].1 {
            continue;
        }
        let at = best.partition_point(|&(_, q)| q >= p);
        best.insert(at, (class, p));
        best.truncate(ALTERNATIVES);
    }
    best.into_iter()
        .filter_map(|(class, p)| Some((one_char(charset, class)?, p)))
        .collect()
}

/// The symbol of `class` when it is one character and not the space.
fn one_char(charset: &Charset, class: usize) -> Option<char> {
    let mut chars = charset.symbol(class)?.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c != ' ' => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn one_hot(classes: &[usize], n: usize, p: f32) -> Array2<f32> {
        let mut a = Array2::<f32>::from_elem((classes.len(), n), (1.0 - p) / (n - 1) as f32);
        for (t, &c) in classes.iter().enumerate() {
            a[[t, c]] = p;
        }
        a
    }

    #[test]
    fn alternatives_are_the_likeliest_characters_at_the_best_step() {
        let charset = Charset::from_dictionary("A\nB\n京", true);
        // One character over two steps; the second is surer, and there B and 京 come next.
        let mut probs = one_hot(&[1, 1], 5, 0.6);
        probs[[1, 1]] = 0.7;
        probs[[1, 2]] = 0.05;
        probs[[1, 3]] = 0.2;
        probs[[1, 4]] = 0.03;
        probs[[1, 0]] = 0.02;
        let decoded = decode_greedy(probs.view(), &charset);
        assert_eq!(decoded.text, "A");
        let alternatives: Vec<char> = decoded.alternatives[0].iter().map(|(c, _)| *c).collect();
        // Blank and space are never alternatives.
        assert_eq!(alternatives, vec!['A', '京', 'B']);
        assert!((decoded.alternatives[0][1].1 - 0.2).abs() < 1e-6);
        // A character read surer than [`SURE`] is its own only alternative.
        let sure = decode_greedy(one_hot(&[2], 5, 0.995).view(), &charset);
        assert_eq!(sure.alternatives, vec![vec![('B', 0.995)]]);
    }

    #[test]
    fn merges_repeats_and_drops_blanks() {
        let charset = Charset::from_dictionary("A\nB\n1", true);
        // A A _ A B B _ _ 1 space
        let probs = one_hot(&[1, 1, 0, 1, 2, 2, 0, 0, 3, 4], 5, 0.9);
        let decoded = decode_greedy(probs.view(), &charset);
        assert_eq!(decoded.text, "AAB1 ");
        assert_eq!(decoded.char_steps, vec![0, 3, 4, 8, 9]);
        assert!((decoded.confidence - 0.9).abs() < 1e-6);
    }

    #[test]
    fn all_blank_is_empty() {
        let charset = Charset::from_dictionary("A", false);
        let decoded = decode_greedy(one_hot(&[0, 0, 0], 2, 0.8).view(), &charset);
        assert_eq!(decoded.text, "");
        assert_eq!(decoded.confidence, 0.0);
    }

    #[test]
    fn character_confidence_is_its_best_step() {
        let charset = Charset::from_dictionary("A", false);
        let mut probs = one_hot(&[1, 1], 2, 0.6);
        probs[[1, 1]] = 0.95;
        probs[[1, 0]] = 0.05;
        assert_eq!(
            decode_greedy(probs.view(), &charset).char_confidences,
            vec![0.95]
        );
    }
}
