//! Tests of lattices: greedy paths, slices, folds and log-probabilities.

use super::*;

/// A lattice where each frame is sure of one class (`_` the blank) at `p`, the rest of the
/// mass on the blank (or, at blank frames, on `x`).
pub(crate) fn sure(path: &str, p: f32) -> Lattice {
    Lattice::new(
        path.chars()
            .map(|c| match c {
                '_' => Frame {
                    blank: p,
                    symbols: vec![('x', 1.0 - p)],
                },
                c => Frame {
                    blank: 1.0 - p,
                    symbols: vec![(c, p)],
                },
            })
            .collect(),
    )
}

#[test]
fn a_text_explaining_more_of_the_line_is_likelier_at_a_cost_for_what_it_leaves() {
    let lattice = sure("出_种_将_运_", 0.95);
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    let (long, short) = (chars("出租客运"), chars("营运"));
    // Anywhere in the line, the rest free: the short word, one character unseen, wins.
    assert!(lattice.log_prob_within(&short) > lattice.log_prob_within(&long));
    // With each seen character left out costing as much as an unseen one, the long word,
    // two unseen, wins over the short one leaving three seen characters out.
    assert!(lattice.log_prob_explaining(&long, 11.5) > lattice.log_prob_explaining(&short, 11.5));
    // What it reads in full costs nothing more.
    let all = chars("出种将运");
    assert!((lattice.log_prob_explaining(&all, 11.5) - lattice.log_prob_within(&all)).abs() < 1e-3);
}

#[test]
fn greedy_merges_repeats_and_drops_blanks() {
    let lattice = sure("AA_AB__1 ", 0.9);
    let path = lattice.greedy();
    assert_eq!(path.text(), "AAB1 ");
    let firsts: Vec<usize> = path.chars.iter().map(|c| c.first).collect();
    assert_eq!(firsts, vec![0, 3, 4, 7, 8]);
    assert_eq!(path.chars[0].last, 1);
}

#[test]
fn frames_of_characters_split_halfway_between_runs() {
    // A at 0-1, B at 5, C at 6.
    let path = sure("AA___BC__", 0.9).greedy();
    assert_eq!(path.frames_of(0..1), 0..4);
    assert_eq!(path.frames_of(1..2), 4..6);
    assert_eq!(path.frames_of(2..3), 6..9);
    assert_eq!(path.frames_of(1..3), 4..9);
    assert_eq!(path.frames_of(3..3), 9..9);
}

#[test]
fn from_probabilities_keeps_the_likeliest_symbols() {
    let rows: Vec<Vec<f32>> = vec![
        vec![0.1, 0.6, 0.2, 0.05, 0.05, 0.00001],
        vec![0.99995, 0.00005, 0.0, 0.0, 0.0, 0.0],
    ];
    let symbols = ['a', 'b', 'c', 'd', 'e'];
    let lattice = Lattice::from_probabilities(rows.iter().map(Vec::as_slice), |class| {
        symbols.get(class - 1).copied()
    });
    let first = &lattice.frames()[0];
    assert_eq!(first.symbols[0], ('a', 0.6));
    assert_eq!(first.symbols[1], ('b', 0.2));
    assert_eq!(first.symbols.len(), 4, "e is below MIN_PROBABILITY");
    assert!(lattice.frames()[1].symbols.is_empty());
    assert_eq!(lattice.greedy().text(), "a");
}

#[test]
fn folding_adds_up_and_marks_may_become_blank() {
    let lattice = Lattice::new(vec![Frame {
        blank: 0.1,
        symbols: vec![('0', 0.4), ('c', 0.3), ('C', 0.15), (' ', 0.05)],
    }]);
    let folded = lattice.folded(|c| (c != ' ').then(|| c.to_ascii_uppercase()));
    let frame = &folded.frames()[0];
    assert_eq!(frame.symbols[0].0, 'C');
    assert!((frame.symbols[0].1 - 0.45).abs() < 1e-6);
    assert!((frame.blank - 0.15).abs() < 1e-6);
    assert_eq!(folded.greedy().text(), "C");
}

#[test]
fn look_alikes_take_a_share() {
    let lattice = Lattice::new(vec![Frame {
        blank: 0.1,
        symbols: vec![('8', 0.9)],
    }]);
    let confused = lattice.with_look_alikes(|c| if c == '8' { &['0', 'B'] } else { &[] }, |_| 0.05);
    let frame = &confused.frames()[0];
    assert_eq!(frame.symbols[0], ('8', 0.9));
    assert!((frame.probability('0') - 0.045).abs() < 1e-6);
    assert!((frame.probability('B') - 0.045).abs() < 1e-6);
}

#[test]
fn a_symbol_is_favoured_only_where_a_glyph_it_is_mistaken_for_is_read() {
    let lattice = Lattice::new(vec![
        Frame {
            blank: 0.01,
            symbols: vec![('8', 0.7), ('0', 0.29)],
        },
        Frame {
            blank: 0.01,
            symbols: vec![('Q', 0.6), ('0', 0.39)],
        },
        Frame {
            blank: 0.5,
            symbols: vec![('3', 0.5)],
        },
    ]);
    let favoured = lattice.clone().favouring('0', 8.0, &['8', '9']);
    let first = &favoured.frames()[0];
    // 2.32 against 0.7, out of 3.03: the zero now leads.
    assert_eq!(first.symbols[0].0, '0');
    assert!((first.probability('0') - 2.32 / 3.03).abs() < 1e-5);
    assert!((first.probability('8') - 0.7 / 3.03).abs() < 1e-5);
    assert!((first.blank - 0.01 / 3.03).abs() < 1e-5);
    // A frame reading a letter, and one not listing the symbol, are left alone.
    assert_eq!(favoured.frames()[1], lattice.frames()[1]);
    assert_eq!(favoured.frames()[2], lattice.frames()[2]);
}

#[test]
fn forward_probability_sums_alignments() {
    // Two frames, each A at 0.5 and blank at 0.5: "A" is read by A_, _A and AA.
    let lattice = Lattice::new(vec![
        Frame {
            blank: 0.5,
            symbols: vec![('A', 0.5)],
        };
        2
    ]);
    assert!((lattice.log_prob(&['A']).exp() - 0.75).abs() < 1e-5);
    assert!((lattice.log_prob(&[]).exp() - 0.25).abs() < 1e-5);
    // "AA" needs a blank between: three frames at least.
    assert_eq!(lattice.log_prob(&['A', 'A']), f32::NEG_INFINITY);
    // The probabilities of every text of the two frames add up to 1 (A, AA impossible).
    let total: f32 = [&[][..], &['A'][..]]
        .iter()
        .map(|t| lattice.log_prob(t).exp())
        .sum();
    assert!((total - 1.0).abs() < 1e-5);
}

#[test]
fn a_text_within_a_longer_line_is_found_where_it_is() {
    let lattice = sure("XX_AB_YY", 0.9);
    let whole = lattice.log_prob(&['A', 'B']);
    let within = lattice.log_prob_within(&['A', 'B']);
    assert!(within > whole + 5.0, "{within} {whole}");
    assert!(within <= lattice.best_log_prob() + 0.5);
    assert!(lattice.log_prob_within(&['A', 'C']) < within - 5.0);
}

#[test]
fn listing_lets_a_search_spell_what_the_frames_left_out() {
    let lattice = sure("A_B_C", 0.9);
    let spelled = |l: &Lattice, text: &str| {
        let only = crate::Pattern::compile(text, &[]).expect("a pattern");
        crate::beam_search(l, &only, 4).first().map(|c| c.log_prob)
    };
    assert_eq!(spelled(&lattice, "ADC"), None);
    let listed = lattice.listing(&['A', 'D', 'C']);
    let adc = spelled(&listed, "ADC").expect("spelled with D at its floor");
    // It pays the floor for D (the B read is left to the blank there, or taken over).
    assert!(adc < lattice.best_log_prob() + UNLISTED.ln() + 1.0, "{adc}");
    // Leaving out a character the line read costs its blank; the whole line is cheaper.
    let ac = spelled(&lattice.listing(&['A', 'C']), "AC").expect("spelled");
    let abc = spelled(&lattice, "ABC").expect("spelled");
    assert!(ac < abc - 1.0, "{ac} {abc}");
    // Frames that list a character keep its probability.
    assert_eq!(listed.frames()[0].probability('A'), 0.9);
    assert_eq!(listed.frames()[0].probability('D'), UNLISTED);
}

#[test]
fn slices_and_concatenation_keep_characters_apart() {
    let lattice = sure("A_B", 0.9);
    assert_eq!(lattice.slice(0..1).greedy().text(), "A");
    assert_eq!(lattice.slice(2..10).greedy().text(), "B");
    let a = sure("A", 0.9);
    assert_eq!(Lattice::concat([&a, &a]).greedy().text(), "AA");
}

#[test]
fn serialized_compactly() {
    let lattice = sure("A_", 0.5);
    let json = serde_json::to_string(&lattice).expect("serializes");
    assert_eq!(
        json,
        r#"[{"b":0.5,"s":[["A",0.5]]},{"b":0.5,"s":[["x",0.5]]}]"#
    );
    let back: Lattice = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, lattice);
}

#[test]
fn a_character_the_recognizer_cannot_write_is_no_evidence_against_a_text() {
    // The tiny recognizer reads 燊, which it cannot write, as 乐.
    let read = sure("马_昊_乐", 0.9);
    let (seen, rare) = (['马', '昊', '乐'], ['马', '昊', '燊']);
    let any_alphabet = read.log_prob(&seen) - read.log_prob(&rare);
    assert!(any_alphabet > 10.0, "{any_alphabet}");
    let knowing = read
        .clone()
        .with_alphabet(crate::Alphabet::new("马昊乐东x".chars()));
    assert!(!knowing.writes('燊') && knowing.writes('乐'));
    // It neither vouches for 燊 nor against it: the two texts are as likely.
    assert!((knowing.log_prob(&seen) - knowing.log_prob(&rare)).abs() < 1e-4);
    // A character it can write and did not read still pays the floor.
    assert!(knowing.log_prob(&seen) - knowing.log_prob(&['马', '昊', '东']) > 10.0);
    // Listed for a search, the character it cannot write takes the probability of the
    // character a frame reads (the floor where the frame reads none); the alphabet goes with
    // slices, folds and concatenations.
    let listed = knowing.listing(&['燊']);
    assert_eq!(listed.frames()[4].probability('燊'), 0.9);
    assert_eq!(listed.frames()[3].probability('燊'), UNLISTED);
    assert!(!listed.slice(0..2).writes('燊'));
    assert!(!knowing.folded(Some).writes('燊'));
    assert!(!Lattice::concat([&read, &knowing]).writes('燊'));
    assert!(read.writes('燊'));
}
