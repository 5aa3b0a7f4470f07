//! The longest straight edge of something lying over a card (a sheet of paper, a sticker): a
//! step in colour between two even sides, found in the card straightened to a rectangle.

use image::RgbImage;
use vlocr_geometry::{Homography, Point, Quad};

/// The width of the card's straightened image, in pixels (its height in the card's
/// proportion).
const FLAT_WIDTH: usize = 400;
/// The pixels left out on each side of a step (a photo's blur spreads it over a few).
const STEP_GAP: usize = 2;
/// The pixels of each of the two bands on each side of a step, beyond the gap.
const STEP_BAND: usize = 5;
/// The most any colour channel may vary within a band (photo noise and the paper's grain; a
/// stroke of print varies far more).
const FLAT_RANGE: f32 = 14.0;
/// The least distance (RGB, 0..255 per channel) between the mean colours of a step's two sides:
/// a pale sheet on pale paper differs by about 10 (one photo of seed 10401).
const STEP_DEPTH: f32 = 8.0;
/// The most the near and the far band of one side may differ, as a share of the step: a step,
/// not a slope (glare and shading change gradually).
const SLOPE: f32 = 0.25;
/// The share of the card, along each side, where steps running along that side are not looked
/// at: the card's own edge where the outline fitted to its labels misses it.
const SIDE_MARGIN: f32 = 0.06;

/// The longest straight edge inside `card` (corners in reading order) in `image`, as a share
/// of the card's side it runs along (0..1); 0 for a degenerate card. Edges run along the card's
/// rows or its columns, and may drift a pixel a step (an edge at a slant).
pub(crate) fn longest_edge(image: &RgbImage, card: &Quad) -> f32 {
    let Some(flat) = FlatCard::sample(image, card) else {
        return 0.0;
    };
    let across = flat.longest_step(false) as f32 / flat.width as f32;
    let down = flat.longest_step(true) as f32 / flat.height as f32;
    across.max(down)
}

/// A card's colours straightened to a rectangle, `None` where the card lies outside the
/// photo.
struct FlatCard {
    width: usize,
    height: usize,
    colours: Vec<Option<[f32; 3]>>,
}

impl FlatCard {
    /// Samples `image` inside `card` (corners in reading order), the nearest pixel to each
    /// point; `None` for a degenerate card. Not `warp_quad`: a part of the card outside the
    /// photo must stay unknown, where repeating the photo's border would draw streaks (steps).
    fn sample(image: &RgbImage, card: &Quad) -> Option<FlatCard> {
        let [tl, tr, br, bl] = card.points;
        let across = (tl.distance(tr) + bl.distance(br)) / 2.0;
        let down = (tl.distance(bl) + tr.distance(br)) / 2.0;
        if across < 8.0 || down < 8.0 {
            return None;
        }
        let width = FLAT_WIDTH;
        let height = ((width as f32 * down / across).round() as usize).clamp(8, 4 * width);
        let rect = Quad::from_rect(0.0, 0.0, width as f32, height as f32);
        let to_photo = Homography::from_quads(&rect, card)?;
        let (w, h) = (image.width() as f32, image.height() as f32);
        let mut colours = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                let p = to_photo.apply(Point::new(x as f32 + 0.5, y as f32 + 0.5));
                let inside = (0.0..w).contains(&p.x) && (0.0..h).contains(&p.y);
                colours
                    .push(inside.then(|| image.get_pixel(p.x as u32, p.y as u32).0.map(f32::from)));
            }
        }
        Some(FlatCard {
            width,
            height,
            colours,
        })
    }

    /// The colour at `along` on line `line`: rows when `down` is false (lines run across),
    /// columns when true.
    fn at(&self, down: bool, line: usize, along: usize) -> Option<[f32; 3]> {
        if down {
            self.colours[along * self.width + line]
        } else {
            self.colours[line * self.width + along]
        }
    }

    /// The mean colour of the lines `from..from + STEP_BAND` at `along`, when no channel varies
    /// there by more than [`FLAT_RANGE`].
    fn even_band(&self, down: bool, from: usize, along: usize) -> Option<[f32; 3]> {
        let (mut low, mut high, mut sum) = ([f32::MAX; 3], [f32::MIN; 3], [0.0; 3]);
        for line in from..from + STEP_BAND {
            let colour = self.at(down, line, along)?;
            for c in 0..3 {
                low[c] = low[c].min(colour[c]);
                high[c] = high[c].max(colour[c]);
                sum[c] += colour[c];
            }
        }
        (0..3)
            .all(|c| high[c] - low[c] <= FLAT_RANGE)
            .then(|| sum.map(|s| s / STEP_BAND as f32))
    }

    /// The longest straight step, in pixels along it: across the card (`down` false: between
    /// rows) or down it. A step lies between a line and its neighbours where each side is even
    /// over two bands that agree and the sides' colours are [`STEP_DEPTH`] or more apart. A run
    /// continues from the same line or a neighbour at the step before. Lines within
    /// [`SIDE_MARGIN`] of the card's sides along them are not looked at.
    fn longest_step(&self, down: bool) -> usize {
        let (lines, length) = if down {
            (self.width, self.height)
        } else {
            (self.height, self.width)
        };
        let reach = STEP_GAP + 2 * STEP_BAND;
        let first = reach.max((SIDE_MARGIN * lines as f32).round() as usize);
        if lines <= 2 * first {
            return 0;
        }
        // Each band's mean colour where it is even, by the line it starts at.
        let bands: Vec<Option<[f32; 3]>> = (0..lines * length)
            .map(|i| {
                let (line, along) = (i / length, i % length);
                (line + STEP_BAND <= lines)
                    .then(|| self.even_band(down, line, along))
                    .flatten()
            })
            .collect();
        let band = |from: usize, along: usize| bands[from * length + along];
        let is_step = |line: usize, along: usize| {
            let (Some(far_before), Some(near_before), Some(near_after), Some(far_after)) = (
                band(line - STEP_GAP - 2 * STEP_BAND, along),
                band(line - STEP_GAP - STEP_BAND, along),
                band(line + STEP_GAP + 1, along),
                band(line + STEP_GAP + 1 + STEP_BAND, along),
            ) else {
                return false;
            };
            let mean = |a: [f32; 3], b: [f32; 3]| [0, 1, 2].map(|c| (a[c] + b[c]) / 2.0);
            let depth = distance(mean(far_before, near_before), mean(near_after, far_after));
            depth >= STEP_DEPTH
                && distance(far_before, near_before) <= SLOPE * depth
                && distance(near_after, far_after) <= SLOPE * depth
        };
        let (mut runs, mut next) = (vec![0usize; lines], vec![0usize; lines]);
        let mut longest = 0;
        for along in 0..length {
            for line in first..lines - first {
                next[line] = if is_step(line, along) {
                    runs[line - 1].max(runs[line]).max(runs[line + 1]) + 1
                } else {
                    0
                };
                longest = longest.max(next[line]);
            }
            std::mem::swap(&mut runs, &mut next);
        }
        longest
    }
}

/// The distance between two colours.
fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
    (0..3).map(|c| (a[c] - b[c]).powi(2)).sum::<f32>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A pale card 600 x 400 with rows of print, a stamp's thin frame and a soft glare.
    fn card() -> RgbImage {
        RgbImage::from_fn(600, 400, |x, y| {
            let stroke = (y % 60 < 24) && (x % 9 < 2 || y % 60 == 12) && (60..540).contains(&x);
            let frame = (300..500).contains(&x)
                && (y == 330 || y == 331 || x == 300 || x == 499)
                && (330..380).contains(&y);
            if stroke || frame {
                return Rgb([40, 40, 60]);
            }
            // A glare: brighter towards (150, 300) by a level a pixel, gradually.
            let d = ((x as f32 - 150.0).powi(2) + (y as f32 - 300.0).powi(2)).sqrt();
            let glare = (25.0 - d / 2.0).max(0.0) as u8;
            Rgb([200 + glare, 196 + glare, 202 + glare])
        })
    }

    fn whole(image: &RgbImage) -> Quad {
        Quad::from_rect(0.0, 0.0, image.width() as f32, image.height() as f32)
    }

    #[test]
    fn print_frames_and_glare_make_no_edge_and_a_sheet_does() {
        let mut image = card();
        assert!(longest_edge(&image, &whole(&image)) < 0.04);
        // A cream sheet, barely lighter than the paper, over the card's middle, at a slant.
        for y in 0..400u32 {
            for x in 0..600u32 {
                let (u, v) = (x as f32 - 200.0, y as f32 - 100.0);
                let (along, across) = (u * 0.98 + v * 0.17, v * 0.98 - u * 0.17);
                if (0.0..180.0).contains(&along) && (0.0..120.0).contains(&across) {
                    image.put_pixel(x, y, Rgb([210, 204, 194]));
                }
            }
        }
        let edge = longest_edge(&image, &whole(&image));
        assert!(edge > 0.2, "{edge}");
        // Seen through a card's corners in reading order, turned a quarter: the same.
        let [tl, tr, br, bl] = whole(&image).points;
        let turned = Quad::new([bl, tl, tr, br]);
        assert!(longest_edge(&image, &turned) > 0.2);
        // A card outside the image, or a degenerate one, shows none.
        let away = Quad::from_rect(700.0, 500.0, 900.0, 700.0);
        assert_eq!(longest_edge(&image, &away), 0.0);
        assert_eq!(
            longest_edge(&image, &Quad::from_rect(0.0, 0.0, 2.0, 2.0)),
            0.0
        );
    }
}
