//! Which way is the page turned? Decided from the detected lines: their long axes say whether
//! the page lies on its side, and the line classifier says whether it is upside down.

use image::RgbImage;
use vlocr_geometry::{Quad, QuarterTurn};
use vlocr_inference::Model;
use vlocr_text_detector::TextBox;
use vlocr_text_recognizer::{crop_line, LineOrientationClassifier};

use crate::reading::LineReader;
use crate::Result;

/// Lines shorter than this many times their height say little about direction.
const MIN_ELONGATION: f32 = 2.0;
/// Lines the classifier looks at: the largest ones, enough for a stable vote.
const VOTERS: usize = 12;
/// Voters asked first; the others only when these disagree or are unsure.
const FIRST_VOTERS: usize = 4;
/// A vote at least this confident counts as sure.
const SURE_VOTE: f32 = 0.9;

/// The corners of `quad` (clockwise in the image) relabelled in reading order for a page turned
/// clockwise by `turn`: on a page turned 90 degrees the reader's top-left is the image's
/// top-right corner of the box. Of the four ways to start the corners, the one whose top edge
/// (top-left to top-right) runs most along the page's reading direction is taken, so that a
/// line slanted in a photo, whose corners the detector listed from another corner, is still
/// read along its length.
pub(crate) fn reading_quad(quad: &Quad, turn: QuarterTurn) -> Quad {
    // Where the reading direction (the upright page's +x) points in the image.
    let (dx, dy) = match turn {
        QuarterTurn::None => (1.0, 0.0),
        QuarterTurn::Clockwise90 => (0.0, 1.0),
        QuarterTurn::Half => (-1.0, 0.0),
        QuarterTurn::Clockwise270 => (0.0, -1.0),
    };
    let along = |points: &[vlocr_geometry::Point; 4]| {
        let [tl, tr, _, bl] = *points;
        // The top edge's run along the reading direction, less the left edge's: long lines
        // put their length on top, and a box turned the wrong way scores negative.
        (tr.x - tl.x) * dx + (tr.y - tl.y) * dy - ((bl.x - tl.x) * dx + (bl.y - tl.y) * dy).abs()
    };
    let mut best = quad.points;
    best.rotate_left(turn.quarters());
    let mut best_score = along(&best);
    for start in 0..4 {
        let mut points = quad.points;
        points.rotate_left(start);
        let score = along(&points);
        if score > best_score + 1e-3 {
            (best, best_score) = (points, score);
        }
    }
    Quad::new(best)
}

/// Which way a box's length runs in the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    /// Nearer the image's x axis than its y axis.
    Horizontal,
    /// Nearer the y axis.
    Vertical,
}

/// The image axis nearest `quad`'s long side, whatever corner the detector listed first (a box
/// turned more than 45 degrees from its text's upright may list its corners from another corner
/// than the reader's top-left); `None` for a box less than [`MIN_ELONGATION`] times as long as it
/// is high, which says little about direction.
fn long_axis(quad: &Quad) -> Option<Axis> {
    let [a, b, c, _] = quad.points;
    let (first, second) = ((b.x - a.x, b.y - a.y), (c.x - b.x, c.y - b.y));
    let length = |(x, y): (f32, f32)| x.hypot(y);
    let (long, short) = if length(first) >= length(second) {
        (first, second)
    } else {
        (second, first)
    };
    if length(long) < MIN_ELONGATION * length(short) {
        return None;
    }
    Some(if long.0.abs() >= long.1.abs() {
        Axis::Horizontal
    } else {
        Axis::Vertical
    })
}

/// How much text `boxes` show running along each image axis: the summed long sides of the
/// elongated boxes, (horizontal, vertical).
pub(crate) fn text_along_axes(boxes: &[TextBox]) -> (f32, f32) {
    let mut along = (0.0, 0.0);
    for quad in boxes.iter().map(|found| &found.quad) {
        let [a, b, c, _] = quad.points;
        let long = a.distance(b).max(b.distance(c));
        match long_axis(quad) {
            Some(Axis::Horizontal) => along.0 += long,
            Some(Axis::Vertical) => along.1 += long,
            None => {}
        }
    }
    along
}

/// How many of `boxes` run down the image (elongated, their long side nearer its y axis).
pub(crate) fn lines_down(boxes: &[TextBox]) -> usize {
    boxes
        .iter()
        .filter(|b| long_axis(&b.quad) == Some(Axis::Vertical))
        .count()
}

/// Estimates how the page in `image` is turned, given its detected `boxes`.
pub(crate) fn estimate_turn<M: Model>(
    image: &RgbImage,
    boxes: &[TextBox],
    classifier: &mut LineOrientationClassifier<M>,
) -> Result<TurnEstimate> {
    let (mut horizontal, mut vertical) = (0.0f32, 0.0f32);
    let mut directional: Vec<&TextBox> = Vec::new();
    for b in boxes {
        match long_axis(&b.quad) {
            Some(Axis::Horizontal) => horizontal += b.quad.area(),
            Some(Axis::Vertical) => vertical += b.quad.area(),
            None => continue,
        }
        directional.push(b);
    }
    if directional.is_empty() {
        return Ok(TurnEstimate {
            turn: QuarterTurn::None,
            sure: true,
            voters: Vec::new(),
        });
    }
    let sideways = vertical > horizontal;
    let upright_guess = if sideways {
        QuarterTurn::Clockwise90
    } else {
        QuarterTurn::None
    };
    let wanted = if sideways {
        Axis::Vertical
    } else {
        Axis::Horizontal
    };
    directional.retain(|b| long_axis(&b.quad) == Some(wanted));
    directional.sort_by(|a, b| b.quad.area().total_cmp(&a.quad.area()));
    // A first few voters usually agree with confidence; only a split or unsure vote asks the
    // rest.
    let mut flipped = 0.0f32;
    let mut asked = 0;
    for round in [FIRST_VOTERS, VOTERS - FIRST_VOTERS] {
        let crops: Vec<RgbImage> = directional
            .iter()
            .skip(asked)
            .take(round)
            .map(|b| crop_line(image, &reading_quad(&b.quad, upright_guess)))
            .collect();
        if crops.is_empty() {
            break;
        }
        asked += crops.len();
        let verdicts = classifier.classify(&crops)?;
        let votes: Vec<f32> = verdicts
            .iter()
            .map(|v| {
                if v.upside_down {
                    v.confidence
                } else {
                    -v.confidence
                }
            })
            .collect();
        flipped += votes.iter().sum::<f32>();
        let unanimous = votes.iter().all(|&v| v > 0.0) || votes.iter().all(|&v| v < 0.0);
        if unanimous && votes.iter().all(|v| v.abs() >= SURE_VOTE) {
            break;
        }
    }
    let turn = if flipped > 0.0 {
        upright_guess.then(QuarterTurn::Half)
    } else {
        upright_guess
    };
    let sure = flipped.abs() >= SURE_MEAN_VOTE * asked as f32;
    let voters = directional.iter().take(asked).map(|b| b.quad).collect();
    Ok(TurnEstimate { turn, sure, voters })
}

/// Below this mean vote (the classifier's confidence, signed by its verdict) the classifier
/// has not told whether the page is upside down: blurred or tiny print, which it sees as
/// little more than stripes.
const SURE_MEAN_VOTE: f32 = 0.5;

/// How the page is turned, as the classifier tells it.
pub(crate) struct TurnEstimate {
    pub(crate) turn: QuarterTurn,
    /// Whether the classifier's vote on upside down was clear ([`SURE_MEAN_VOTE`]).
    pub(crate) sure: bool,
    /// The boxes of the lines that voted, largest first.
    pub(crate) voters: Vec<Quad>,
}

/// Lines read both ways when the line classifier cannot tell whether a page is upside down.
const TURN_READERS: usize = 6;

/// The turn `estimate` gives, when the classifier was sure of it; else the likelier of it and
/// its half turn as the first-pass recognizer reads the largest voters both ways
/// ([`likelier_turn`]).
pub(crate) fn settled_turn(
    image: &RgbImage,
    estimate: &TurnEstimate,
    reader: &mut LineReader,
) -> Result<QuarterTurn> {
    if estimate.sure {
        return Ok(estimate.turn);
    }
    let voters = &estimate.voters[..estimate.voters.len().min(TURN_READERS)];
    likelier_turn(estimate.turn, voters, |quads| {
        let crops: Vec<RgbImage> = quads.iter().map(|q| crop_line(image, q)).collect();
        Ok(reader
            .read_first_pass(&crops)?
            .into_iter()
            .map(|r| r.text.char_confidences)
            .collect())
    })
}

/// The turn of the two, `turn` and the half turn from it, under which `read` (the recognizer
/// reading the lines at `quads` as the turn has them) finds text likelier: upright print reads
/// surely, print upside down as unsure strokes. Each turn's score is the mean over the lines
/// of their characters' mean confidence (a line read as nothing counting 0).
pub(crate) fn likelier_turn(
    turn: QuarterTurn,
    quads: &[Quad],
    mut read: impl FnMut(&[Quad]) -> Result<Vec<Vec<f32>>>,
) -> Result<QuarterTurn> {
    let mut score = |turn: QuarterTurn| -> Result<f32> {
        let turned: Vec<Quad> = quads.iter().map(|q| reading_quad(q, turn)).collect();
        let lines = read(&turned)?;
        let mean = |c: &Vec<f32>| c.iter().sum::<f32>() / c.len().max(1) as f32;
        Ok(lines.iter().map(mean).sum::<f32>() / lines.len().max(1) as f32)
    };
    let flipped = turn.then(QuarterTurn::Half);
    Ok(if score(flipped)? > score(turn)? {
        flipped
    } else {
        turn
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vlocr_geometry::Point;

    #[test]
    fn the_recognizer_decides_a_turn_the_classifier_could_not() {
        // Lines that read surely when read left to right (their reading quad's first corner
        // left of its second), and as unsure strokes upside down.
        let quads = [
            Quad::from_rect(10.0, 10.0, 200.0, 30.0),
            Quad::from_rect(10.0, 50.0, 150.0, 70.0),
        ];
        let read = |quads: &[Quad]| -> Result<Vec<Vec<f32>>> {
            Ok(quads
                .iter()
                .map(|q| {
                    let upright = q.points[0].x < q.points[1].x;
                    vec![if upright { 0.95 } else { 0.4 }; 5]
                })
                .collect())
        };
        for guess in [QuarterTurn::None, QuarterTurn::Half] {
            assert_eq!(
                likelier_turn(guess, &quads, read).expect("read"),
                QuarterTurn::None
            );
        }
        // Nothing read either way: the guess stands.
        let nothing =
            |quads: &[Quad]| -> Result<Vec<Vec<f32>>> { Ok(vec![Vec::new(); quads.len()]) };
        assert_eq!(
            likelier_turn(QuarterTurn::Half, &quads, nothing).expect("read"),
            QuarterTurn::Half
        );
    }

    #[test]
    fn reading_corners_follow_the_turn() {
        let q = Quad::from_rect(0.0, 0.0, 10.0, 40.0);
        let cw = reading_quad(&q, QuarterTurn::Clockwise90);
        // Text running down the image: the reader's top-left is the image's top-right.
        assert_eq!(cw.points[0], Point::new(10.0, 0.0));
        assert_eq!(cw.points[1], Point::new(10.0, 40.0));
        let ccw = reading_quad(&q, QuarterTurn::Clockwise270);
        assert_eq!(ccw.points[0], Point::new(0.0, 40.0));
        assert_eq!(reading_quad(&q, QuarterTurn::None), q);
    }

    #[test]
    fn a_box_runs_along_its_long_side_whatever_corner_comes_first() {
        // A line running up the image, turned 20 degrees from the vertical.
        let points = [
            Point::new(776.0, 917.0),
            Point::new(692.0, 548.0),
            Point::new(722.0, 541.0),
            Point::new(806.0, 910.0),
        ];
        for start in 0..4 {
            let mut turned = points;
            turned.rotate_left(start);
            assert_eq!(
                long_axis(&Quad::new(turned)),
                Some(Axis::Vertical),
                "start {start}"
            );
        }
        assert_eq!(
            long_axis(&Quad::from_rect(0.0, 0.0, 100.0, 20.0)),
            Some(Axis::Horizontal)
        );
        assert_eq!(long_axis(&Quad::from_rect(0.0, 0.0, 30.0, 20.0)), None);
    }

    #[test]
    fn a_slanted_line_is_read_along_its_length_whatever_corner_comes_first() {
        // A line running down a page turned 90 degrees, slanted 8 degrees (seen in a photo
        // whose detector box listed its corners from another corner than usual).
        let clockwise = [
            Point::new(612.0, 792.0),
            Point::new(645.0, 789.0),
            Point::new(678.0, 1246.0),
            Point::new(645.0, 1249.0),
        ];
        for start in 0..4 {
            let mut points = clockwise;
            points.rotate_left(start);
            let read = reading_quad(&Quad::new(points), QuarterTurn::Clockwise90);
            assert_eq!(read.points[0], Point::new(645.0, 789.0), "start {start}");
            assert_eq!(read.points[1], Point::new(678.0, 1246.0), "start {start}");
            assert!(read.width() > 10.0 * read.height());
        }
    }
}
