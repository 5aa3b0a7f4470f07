//! CTC prefix beam search under a grammar.

use std::collections::HashMap;

use crate::lattice::{log_add, Lattice};

/// A language of texts, read one character at a time: which characters may come next, and
/// whether a text is whole.
pub trait Grammar {
    /// Where a text read so far leaves the grammar.
    type State: Clone;
    /// The state before any character.
    fn start(&self) -> Self::State;
    /// The state after `c` is read in `state`; `None` when no text of the language goes on so.
    fn advance(&self, state: &Self::State, c: char) -> Option<Self::State>;
    /// Whether a text that leaves the grammar in `state` belongs to the language.
    fn accepts(&self, state: &Self::State) -> bool;
    /// What reading so far costs (nats) on the grammar's cheapest way: a penalised way of
    /// reading (a label's end read before a value) ranks below a plain one. 0 by default.
    fn penalty(&self, _state: &Self::State) -> f32 {
        0.0
    }
    /// What a whole text in `state` costs (nats) on the grammar's cheapest accepting way.
    fn final_penalty(&self, state: &Self::State) -> f32 {
        self.penalty(state)
    }
}

/// Every text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unconstrained;

impl Grammar for Unconstrained {
    type State = ();
    fn start(&self) {}
    fn advance(&self, (): &(), _: char) -> Option<()> {
        Some(())
    }
    fn accepts(&self, (): &()) -> bool {
        true
    }
}

/// A text read from a lattice, with its log-probability under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The text.
    pub text: String,
    /// Its log-probability, summed over the alignments the search kept, less the grammar's
    /// penalty for it.
    pub log_prob: f32,
}

/// A prefix read so far: a node of the tree of prefixes.
struct Node<S> {
    parent: usize,
    c: char,
    state: S,
    /// The grammar's penalty for the prefix.
    penalty: f32,
    /// Children made so far; `None` where the grammar refuses the character.
    children: Vec<(char, Option<usize>)>,
}

const ROOT: usize = 0;

/// The likeliest texts of `lattice` that `grammar` accepts, likeliest first, at most `width`:
/// CTC prefix beam search, extending each prefix only by characters the grammar allows after
/// it and a frame lists, and keeping the `width` likeliest prefixes after each frame. Empty
/// when no text the grammar accepts can be read from the listed symbols.
pub fn beam_search<G: Grammar>(lattice: &Lattice, grammar: &G, width: usize) -> Vec<Candidate> {
    search(lattice, grammar, width, None)
}

/// [`beam_search`], where a character may also be read twice from frames of it with no blank
/// between, at `split_cost` nats: small print squeezes a doubled character (`00`) into too few
/// frames for the recognizer to put a blank between them, and a grammar that counts its
/// characters (a 13-digit code) then has only a wrong character elsewhere to make up the count.
pub fn beam_search_splitting_repeats<G: Grammar>(
    lattice: &Lattice,
    grammar: &G,
    width: usize,
    split_cost: f32,
) -> Vec<Candidate> {
    search(lattice, grammar, width, Some(split_cost))
}

fn search<G: Grammar>(
    lattice: &Lattice,
    grammar: &G,
    width: usize,
    split_cost: Option<f32>,
) -> Vec<Candidate> {
    let width = width.max(1);
    let start = grammar.start();
    let mut nodes: Vec<Node<G::State>> = vec![Node {
        parent: ROOT,
        c: '\0',
        penalty: grammar.penalty(&start),
        state: start,
        children: Vec::new(),
    }];
    // (prefix, log P ending in blank, log P ending in its last character)
    let mut beams: Vec<(usize, f32, f32)> = vec![(ROOT, 0.0, f32::NEG_INFINITY)];
    // The next frame's prefixes in the order first reached (a hash map's own order changes
    // from process to process, and with it which of two prefixes of equal probability is
    // kept: the same image read twice gave different values), and where each is in it.
    let mut next = Successors::default();
    for frame in lattice.frames() {
        next.clear();
        let blank = frame.blank.max(crate::UNLISTED).ln();
        for &(node, p_blank, p_char) in &beams {
            let total = log_add(p_blank, p_char);
            let entry = next.entry(node);
            *entry.0 = log_add(*entry.0, total + blank);
            let last = (node != ROOT).then(|| nodes[node].c);
            for &(c, p) in &frame.symbols {
                let lp = p.ln();
                if Some(c) == last && p_char > f32::NEG_INFINITY {
                    // The same character again without a blank between: the same prefix.
                    let entry = next.entry(node);
                    *entry.1 = log_add(*entry.1, p_char + lp);
                }
                // After the same character, a new one needs a blank between (or, splitting
                // repeats, costs `split_cost`).
                let from = match (Some(c) == last, split_cost) {
                    (false, _) => total,
                    (true, None) => p_blank,
                    (true, Some(cost)) => log_add(p_blank, p_char - cost),
                };
                if from == f32::NEG_INFINITY {
                    continue;
                }
                let Some(child) = child(&mut nodes, grammar, node, c) else {
                    continue;
                };
                let entry = next.entry(child);
                *entry.1 = log_add(*entry.1, from + lp);
            }
        }
        beams.clear();
        beams.extend(next.prefixes.iter().copied());
        if beams.len() > width {
            // Equal ranks go to the prefix made first (the nodes are numbered as made).
            let rank = |&(n, b, c): &(usize, f32, f32)| log_add(b, c) - nodes[n].penalty;
            beams.select_nth_unstable_by(width - 1, |a, b| {
                rank(b).total_cmp(&rank(a)).then(a.0.cmp(&b.0))
            });
            beams.truncate(width);
        }
    }
    let mut out: Vec<Candidate> = beams
        .iter()
        .filter(|(n, _, _)| grammar.accepts(&nodes[*n].state))
        .map(|&(n, b, c)| Candidate {
            text: text_of(&nodes, n),
            log_prob: log_add(b, c) - grammar.final_penalty(&nodes[n].state),
        })
        .collect();
    out.sort_by(|a, b| {
        b.log_prob
            .total_cmp(&a.log_prob)
            .then_with(|| a.text.cmp(&b.text))
    });
    out
}

/// The prefixes a frame reaches, each with its log-probabilities (ending in blank, ending in
/// its last character), in the order first reached.
#[derive(Default)]
struct Successors {
    prefixes: Vec<(usize, f32, f32)>,
    /// Where each node is in `prefixes`.
    at: HashMap<usize, usize>,
}

impl Successors {
    fn clear(&mut self) {
        self.prefixes.clear();
        self.at.clear();
    }

    /// The log-probabilities of `node`'s prefix, both impossible when first reached.
    fn entry(&mut self, node: usize) -> (&mut f32, &mut f32) {
        let prefixes = &mut self.prefixes;
        let i = *self.at.entry(node).or_insert_with(|| {
            prefixes.push((node, f32::NEG_INFINITY, f32::NEG_INFINITY));
            prefixes.len() - 1
        });
        let (_, blank, char) = &mut self.prefixes[i];
        (blank, char)
    }
}

/// The child of `node` for `c`, made on first use; `None` when the grammar refuses `c` there.
fn child<G: Grammar>(
    nodes: &mut Vec<Node<G::State>>,
    grammar: &G,
    node: usize,
    c: char,
) -> Option<usize> {
    if let Some(&(_, known)) = nodes[node].children.iter().find(|(k, _)| *k == c) {
        return known;
    }
    let made = grammar.advance(&nodes[node].state, c).map(|state| {
        nodes.push(Node {
            parent: node,
            c,
            penalty: grammar.penalty(&state),
            state,
            children: Vec::new(),
        });
        nodes.len() - 1
    });
    nodes[node].children.push((c, made));
    made
}

/// The text of the prefix ending at `node`.
fn text_of<S>(nodes: &[Node<S>], mut node: usize) -> String {
    let mut chars = Vec::new();
    while node != ROOT {
        chars.push(nodes[node].c);
        node = nodes[node].parent;
    }
    chars.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Frame;

    /// Texts of digits only.
    struct Digits;
    impl Grammar for Digits {
        type State = usize;
        fn start(&self) -> usize {
            0
        }
        fn advance(&self, n: &usize, c: char) -> Option<usize> {
            c.is_ascii_digit().then_some(n + 1)
        }
        fn accepts(&self, n: &usize) -> bool {
            *n == 3
        }
    }

    fn frame(blank: f32, symbols: &[(char, f32)]) -> Frame {
        Frame {
            blank,
            symbols: symbols.to_vec(),
        }
    }

    #[test]
    fn the_unconstrained_best_sums_alignments() {
        // Greedy reads "" (blank at 0.6 in both frames), but "A" has 0.16 + 0.24 + 0.24 = 0.64.
        let lattice = Lattice::new(vec![frame(0.6, &[('A', 0.4)]); 2]);
        assert_eq!(lattice.greedy().text(), "");
        let best = &beam_search(&lattice, &Unconstrained, 8)[0];
        assert_eq!(best.text, "A");
        assert!((best.log_prob.exp() - 0.64).abs() < 1e-5);
        assert!((best.log_prob - lattice.log_prob(&['A'])).abs() < 1e-5);
    }

    #[test]
    fn a_grammar_picks_the_readings_it_allows() {
        let lattice = Lattice::new(vec![
            frame(0.05, &[('1', 0.9), ('l', 0.05)]),
            frame(0.9, &[]),
            frame(0.1, &[('O', 0.6), ('0', 0.3)]),
            frame(0.9, &[]),
            frame(0.1, &[('7', 0.8)]),
        ]);
        assert_eq!(lattice.greedy().text(), "1O7");
        let read = beam_search(&lattice, &Digits, 8);
        assert_eq!(read[0].text, "107");
        // Nothing the grammar accepts: no candidate.
        let short = Lattice::new(vec![frame(0.1, &[('1', 0.9)])]);
        assert!(beam_search(&short, &Digits, 8).is_empty());
    }

    #[test]
    fn a_repeat_without_a_blank_is_split_at_a_cost_when_asked() {
        // `00` read in three frames with no blank between: plain CTC reads one `0`.
        let lattice = Lattice::new(vec![
            frame(0.05, &[('1', 0.9)]),
            frame(0.001, &[('0', 0.99)]),
            frame(0.001, &[('0', 0.99)]),
            frame(0.001, &[('0', 0.99)]),
        ]);
        let split = beam_search_splitting_repeats(&lattice, &Digits, 8, 3.0);
        assert_eq!(split[0].text, "100");
        // Plain CTC needs a blank between, which no frame gives much weight.
        let plain = beam_search(&lattice, &Digits, 8);
        assert!(plain.is_empty() || plain[0].log_prob < split[0].log_prob - 2.0);
        // It costs: the split reading is below the plain one unconstrained.
        let plain = beam_search(&lattice, &Unconstrained, 8);
        assert_eq!(plain[0].text, "10");
        let split = beam_search_splitting_repeats(&lattice, &Unconstrained, 8, 3.0);
        assert_eq!(split[0].text, "10");
    }

    #[test]
    fn repeated_characters_need_a_blank_between() {
        let lattice = Lattice::new(vec![
            frame(0.1, &[('1', 0.9)]),
            frame(0.8, &[('1', 0.2)]),
            frame(0.1, &[('1', 0.9)]),
        ]);
        let read = beam_search(&lattice, &Unconstrained, 8);
        assert_eq!(read[0].text, "11");
        assert!(read.iter().any(|c| c.text == "1"));
        assert!(read.iter().all(|c| c.text != "111"));
    }

    #[test]
    fn prefixes_of_equal_probability_are_kept_and_listed_alike_every_time() {
        // Every symbol as likely as any other in every frame: which prefixes the narrow beam
        // keeps, and the order of the texts it returns, rest on ties alone. Each search's hash
        // map is seeded anew, so a tie broken by its order came out differently from run to run.
        let symbols: Vec<(char, f32)> = "0123456789".chars().map(|c| (c, 0.05)).collect();
        let lattice = Lattice::new(vec![frame(0.5, &symbols); 4]);
        let first = beam_search(&lattice, &Unconstrained, 3);
        assert_eq!(first.len(), 3);
        for _ in 0..50 {
            assert_eq!(beam_search(&lattice, &Unconstrained, 3), first);
        }
    }
}
