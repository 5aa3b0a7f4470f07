//! CTC decoding: a line's lattice ([`vlocr_ctc::Lattice`]) and its plain reading.

use ndarray::ArrayView2;
use vlocr_ctc::Lattice;

use crate::charset::Charset;

/// A decoded line.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, characters joined: the lattice's plain (greedy) reading.
    pub text: String,
    /// Mean of the character confidences (0 for an empty line).
    pub confidence: f32,
    /// One confidence per emitted character: the probability of its best step.
    pub char_confidences: Vec<f32>,
    /// For each character, the time step it was read at (for locating characters in the line).
    pub char_steps: Vec<usize>,
    /// What the model saw: per step, the blank's probability and the likeliest symbols.
    pub lattice: Lattice,
}

/// Decodes `[T, C]` per-step class probabilities (class 0 the blank) into the line's lattice
/// and its plain reading: the best class at each step, repeats merged, blanks dropped.
#[expect(
    clippy::needless_pass_by_value,
    reason = "array views are passed by value, like slices"
)]
pub fn decode_greedy(probabilities: ArrayView2<'_, f32>, charset: &Charset) -> Decoded {
    let symbol = |class| one_char(charset, class);
    let lattice = if let Some(all) = probabilities.to_slice() {
        let classes = probabilities.ncols().max(1);
        Lattice::from_probabilities(all.chunks(classes), symbol)
    } else {
        let rows: Vec<Vec<f32>> = probabilities
            .outer_iter()
            .map(|row| row.iter().copied().collect())
            .collect();
        Lattice::from_probabilities(rows.iter().map(Vec::as_slice), symbol)
    };
    decoded(lattice.with_alphabet(charset.alphabet().clone()))
}

/// The plain reading of `lattice`, with the lattice.
pub fn decoded(lattice: Lattice) -> Decoded {
    let path = lattice.greedy();
    let text = path.text();
    let char_confidences: Vec<f32> = path.chars.iter().map(|c| c.probability).collect();
    let char_steps = path.chars.iter().map(|c| c.first).collect();
    let confidence = if char_confidences.is_empty() {
        0.0
    } else {
        char_confidences.iter().sum::<f32>() / char_confidences.len() as f32
    };
    Decoded {
        text,
        confidence,
        char_confidences,
        char_steps,
        lattice,
    }
}

/// The symbol of `class` when it is one character.
fn one_char(charset: &Charset, class: usize) -> Option<char> {
    charset.symbol(class).and_then(crate::charset::single_char)
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
    fn merges_repeats_and_drops_blanks() {
        let charset = Charset::from_dictionary("A\nB\n1", true);
        // A A _ A B B _ _ 1 space
        let probs = one_hot(&[1, 1, 0, 1, 2, 2, 0, 0, 3, 4], 5, 0.9);
        let decoded = decode_greedy(probs.view(), &charset);
        assert_eq!(decoded.text, "AAB1 ");
        // The lattice knows what the model can write.
        assert!(decoded.lattice.writes('B') && !decoded.lattice.writes('C'));
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
