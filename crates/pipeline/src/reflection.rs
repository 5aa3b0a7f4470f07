//! How much of a card a reflection washes out: the largest patch of it lit to the camera's
//! white, brighter than its paper, with no print left in it.

use image::RgbImage;

/// The cells the card is looked at in are this share of its longer side a side (10 pixels of
/// a card seen 1,000 pixels long): a tenth of a line of print's height or so.
const CELL_OF_SIDE: f32 = 0.01;

/// Cells are at least this many pixels a side (a card seen small is seen at its own scale).
const SMALLEST_CELL: u32 = 3;

/// A pixel washed out has every channel at least this bright: the camera's white, where the
/// reflection has filled its pixels (JPEG and noise keep it a few levels under 255). This and
/// [`ABOVE_PAPER`] were chosen on seed 10501's warning cases over 235 and 12 (which counted the
/// paper under a faint glare, print still showing through, on an ordinary photo) and 245 and 10.
const WHITE: u8 = 248;

/// ... and is brighter than the card's paper (its median luma) by at least this, or by
/// [`HEADROOM`] of the way from the paper to white where that is less.
const ABOVE_PAPER: f32 = 8.0;

/// On paper the photo's light has taken near white (an overexposed photo, its median luma 248
/// to 253), a reflection cannot stand 8 levels above it: the camera's white is the ceiling.
/// There a washed-out pixel stands this share of the way from the paper to 255 (paper at 250:
/// 253 and up), still above the noise of blank paper. Chosen on seed 11201's warning cases
/// (`vlocr synth --warning-cases`, 200 main pages), where 9 of 35 reflections lay on such paper
/// and 0.6 told 5 of them (the others' paper at 251 to 253), with no patch over 0.002 on the
/// ordinary photos of seeds 11102, 11103 and 10983. Other shares were not tried.
const HEADROOM: f32 = 0.6;

/// Less room than this between the paper and white (paper at about 253 and up: lit to the
/// ceiling itself) leaves nothing to tell a reflection by.
const LEAST_ABOVE_PAPER: f32 = 1.0;

/// A cell is washed out when this share of the pixels looked at in it are.
const WASHED_CELL: f32 = 0.9;

/// A cell is looked at when at least this share of the pixels measured in a whole cell (every
/// other one of every other row) are: the others lie outside the card's measured middle.
const CELL_LOOKED: f32 = 0.6;

/// Which pixels a reflection has washed out, on a card whose paper (median luma) is `paper`:
/// every channel at [`WHITE`] or more, and brighter than the paper by [`ABOVE_PAPER`], or by
/// [`HEADROOM`] of its room to white where that is less. `None` when the paper itself is lit
/// to white ([`LEAST_ABOVE_PAPER`]): nothing there can be told washed out.
pub(crate) struct WashedPixel {
    luma_at_least: f32,
}

impl WashedPixel {
    pub(crate) fn on_paper(paper: f32) -> Option<WashedPixel> {
        let above_paper = ABOVE_PAPER.min(HEADROOM * (255.0 - paper));
        (above_paper >= LEAST_ABOVE_PAPER).then_some(WashedPixel {
            luma_at_least: paper + above_paper,
        })
    }

    /// Whether a pixel of these channels and this luma is washed out.
    pub(crate) fn is(&self, channels: [u8; 3], luma: f32) -> bool {
        channels.into_iter().min().unwrap_or(0) >= WHITE && luma >= self.luma_at_least
    }
}

/// The share of the card's cells in its largest patch of washed-out cells (joined side by
/// side), 0 to 1. `seen` is the card at the measured scale, `card_long` its longer side there
/// in pixels, `lumas` its pixels' luma (row by row), `measured` the pixels looked at, `paper`
/// the card's median luma.
pub(crate) fn washed_out(
    seen: &RgbImage,
    card_long: f32,
    lumas: &[f32],
    measured: &[(u32, u32)],
    paper: f32,
) -> f32 {
    let (width, height) = seen.dimensions();
    let Some(washed_pixel) = WashedPixel::on_paper(paper) else {
        return 0.0;
    };
    let cell = ((card_long * CELL_OF_SIDE).round() as u32).max(SMALLEST_CELL);
    let (columns, rows) = (width / cell + 1, height / cell + 1);
    let mut looked = vec![0u32; (columns * rows) as usize];
    let mut washed = vec![0u32; looked.len()];
    for &(x, y) in measured {
        let at = ((y / cell) * columns + x / cell) as usize;
        looked[at] += 1;
        if washed_pixel.is(seen.get_pixel(x, y).0, lumas[(y * width + x) as usize]) {
            washed[at] += 1;
        }
    }
    let enough = (CELL_LOOKED * (cell.div_ceil(2) * cell.div_ceil(2)) as f32).ceil() as u32;
    let on_card = looked.iter().filter(|&&n| n >= enough).count();
    if on_card == 0 {
        return 0.0;
    }
    let mut is_washed: Vec<bool> = looked
        .iter()
        .zip(&washed)
        .map(|(&n, &w)| n >= enough && w as f32 >= WASHED_CELL * n as f32)
        .collect();
    largest_patch(&mut is_washed, columns as usize) as f32 / on_card as f32
}

/// The number of cells in the largest patch of `set` cells (joined side by side) of a grid
/// `columns` wide; clears the cells it counts.
fn largest_patch(set: &mut [bool], columns: usize) -> usize {
    let mut largest = 0;
    let mut stack = Vec::new();
    for start in 0..set.len() {
        if !set[start] {
            continue;
        }
        set[start] = false;
        stack.push(start);
        let mut size = 0;
        while let Some(cell) = stack.pop() {
            size += 1;
            let (x, y) = (cell % columns, cell / columns);
            let neighbours = [
                (x > 0).then(|| cell - 1),
                (x + 1 < columns).then_some(cell + 1),
                (y > 0).then(|| cell - columns),
                Some(cell + columns).filter(|&c| c < set.len()),
            ];
            for next in neighbours.into_iter().flatten() {
                if set[next] {
                    set[next] = false;
                    stack.push(next);
                }
            }
        }
        largest = largest.max(size);
    }
    largest
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// Lines of print on paper of `paper` (grey level), `spot` (centre and radius) lit white.
    fn card(paper: u8, spot: Option<((f32, f32), f32)>) -> (RgbImage, Vec<f32>, Vec<(u32, u32)>) {
        let mut image = RgbImage::from_pixel(400, 250, Rgb([paper; 3]));
        for row in 0..8u32 {
            for x in 20..380u32 {
                if (x / 6) % 2 == 0 {
                    for y in (20 + row * 28)..(32 + row * 28) {
                        image.put_pixel(x, y, Rgb([40, 40, 44]));
                    }
                }
            }
        }
        if let Some(((cx, cy), r)) = spot {
            for (x, y, p) in image.enumerate_pixels_mut() {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() / r;
                let a = (1.6 * (1.0 - d * d)).clamp(0.0, 1.0);
                p.0 = p.0.map(|v| (f32::from(v) * (1.0 - a) + 255.0 * a) as u8);
            }
        }
        let lumas = image
            .pixels()
            .map(|p| {
                let [r, g, b] = p.0.map(f32::from);
                0.299 * r + 0.587 * g + 0.114 * b
            })
            .collect();
        let measured = (0..250)
            .step_by(2)
            .flat_map(|y| (0..400).step_by(2).map(move |x| (x, y)))
            .collect();
        (image, lumas, measured)
    }

    fn measure(paper: u8, spot: Option<((f32, f32), f32)>) -> f32 {
        let (image, lumas, measured) = card(paper, spot);
        washed_out(&image, 1000.0, &lumas, &measured, f32::from(paper))
    }

    #[test]
    fn a_spot_lit_white_over_print_is_measured() {
        assert_eq!(measure(225, None), 0.0);
        let spot = measure(225, Some(((200.0, 120.0), 50.0)));
        // The core, where the spot is white: about pi * (50 * 0.61)^2 of the card's 100,000.
        assert!((0.02..0.04).contains(&spot), "{spot}");
    }

    #[test]
    fn a_spot_on_paper_lit_near_white_is_measured_above_the_papers_noise() {
        // Paper at 250 leaves 5 levels to white: the spot's core stands 3 of them above it.
        assert_eq!(measure(250, None), 0.0);
        let spot = measure(250, Some(((200.0, 120.0), 50.0)));
        assert!((0.02..0.04).contains(&spot), "{spot}");
        // Blank paper a level or two above its median (its noise, uneven light) is not washed.
        let (mut image, _, measured) = card(250, None);
        for pixel in image.pixels_mut() {
            if pixel.0[0] == 250 {
                pixel.0 = [252; 3];
            }
        }
        let lumas: Vec<f32> = image.pixels().map(|p| f32::from(p.0[0])).collect();
        assert_eq!(washed_out(&image, 1000.0, &lumas, &measured, 250.0), 0.0);
    }

    #[test]
    fn paper_lit_white_everywhere_is_no_reflection() {
        assert_eq!(measure(254, None), 0.0);
        assert_eq!(measure(254, Some(((200.0, 120.0), 50.0))), 0.0);
    }

    #[test]
    fn the_largest_patch_is_counted_joined_side_by_side() {
        #[rustfmt::skip]
        let mut set = [
            true,  true,  false, true,
            false, true,  false, true,
            true,  false, false, true,
        ];
        assert_eq!(largest_patch(&mut set, 4), 3);
        // Diagonal neighbours are not joined.
        let mut diagonal = [true, false, false, true];
        assert_eq!(largest_patch(&mut diagonal, 2), 1);
    }
}
