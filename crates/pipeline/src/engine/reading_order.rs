//! The order of a page's lines: rows of the upright page, top to bottom, each left to right.

use vlocr_geometry::{Quad, QuarterTurn};

use super::OcrLine;

/// Sorts lines top to bottom, then left to right, in the frame of the upright page. A line
/// whose centre is within half a line height of the first line of the current row joins that
/// row. (Grouping first keeps the sort's comparison a total order.)
pub(super) fn sort_reading_order(lines: &mut Vec<OcrLine>, turn: QuarterTurn, (w, h): (u32, u32)) {
    let upright = |q: &Quad| turn.map_to_upright(q.center(), w as f32, h as f32);
    let mut keyed: Vec<(f32, f32, OcrLine)> = lines
        .drain(..)
        .map(|line| {
            let p = upright(&line.quad);
            (p.y, p.x, line)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut row_start = 0;
    let mut rows: Vec<usize> = Vec::with_capacity(keyed.len());
    for i in 0..keyed.len() {
        let tolerance = keyed[row_start]
            .2
            .quad
            .height()
            .min(keyed[i].2.quad.height())
            / 2.0;
        if keyed[i].0 - keyed[row_start].0 > tolerance {
            row_start = i;
        }
        rows.push(row_start);
    }
    let mut indexed: Vec<(usize, (f32, f32, OcrLine))> = rows.into_iter().zip(keyed).collect();
    indexed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1 .1.total_cmp(&b.1 .1)));
    lines.extend(indexed.into_iter().map(|(_, (_, _, line))| line));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x: f32, y: f32) -> OcrLine {
        OcrLine {
            text: text.into(),
            confidence: 1.0,
            char_confidences: vec![],
            lattices: Vec::new(),
            quad: Quad::from_rect(x, y, x + 50.0, y + 10.0),
            detection_score: 1.0,
        }
    }

    #[test]
    fn reading_order_groups_rows() {
        let mut lines = vec![
            line("c", 0.0, 40.0),
            line("b", 100.0, 2.0),
            line("a", 0.0, 0.0),
        ];
        sort_reading_order(&mut lines, QuarterTurn::None, (200, 100));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["a", "b", "c"]);
        // The same page turned upside down reads in the reverse image order.
        let mut lines = vec![line("a", 0.0, 0.0), line("c", 100.0, 60.0)];
        sort_reading_order(&mut lines, QuarterTurn::Half, (200, 100));
        assert_eq!(lines[0].text, "c");
    }
}
