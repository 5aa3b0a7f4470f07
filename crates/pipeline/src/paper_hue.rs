//! How much the hue of a card's bare paper varies across it: a card's paper is printed with a
//! coloured security background, a black-and-white copy's paper is plain.

use image::RgbImage;

/// Paper darker than this (luma) is too dim for its hue to be told: the photo's contrast and
/// compression leave little of it (a dim photo of both pages, paper 142, seed 11702, measured
/// as plain as a copy's). The copies of seeds 12001 and 12002 are lit 201 and up.
const DIM_PAPER_BELOW: f32 = 160.0;

/// How much the paper's own hue varies over the card, once its median is made white: a card's
/// paper is printed with a coloured security background, a copy's paper is plain. Measured on
/// cells of 16 pixels of bare paper (a twentieth or less of their pixels darker than the paper):
/// each cell's mean hue (the logarithms of red and blue over green, in hundredths, which a
/// shadow leaves as they are), and the distance from the median hue that a tenth of the cells
/// pass. Pixels with a channel at the camera's white are left out, and when fewer than a
/// quarter of the cells are left the hue is not told (`None`).
///
/// The light often takes one channel of the paper to the camera's white and leaves the other
/// two below it, whose ratio still shows the paper's hue. So the second measure is each ratio
/// on its own (red or blue over green, from the pixels whose two channels are both below the
/// camera's white), the larger of their spreads, for when the first is not told.
pub(crate) fn paper_hue(
    seen: &RgbImage,
    measured: &[(u32, u32)],
    lumas_of: &[f32],
    paper: f32,
    gains: [f32; 3],
) -> (Option<f32>, Option<f32>) {
    const CELL: u32 = 16;
    if paper < DIM_PAPER_BELOW {
        return (None, None);
    }
    let w = seen.width();
    let cells_across = w.div_ceil(CELL) as usize;
    let rows = seen.height().div_ceil(CELL) as usize;
    // Per cell, the hue's sums from pixels with no channel clipped, and each ratio's own sum
    // from pixels with its two channels unclipped: sum and count.
    let mut sums = vec![(0.0f32, 0.0f32, 0u32); cells_across * rows];
    let mut ratios = vec![[(0.0f32, 0u32); 2]; cells_across * rows];
    // Per cell, its pixels and those darker than paper (print).
    let mut all = vec![(0u32, 0u32); cells_across * rows];
    for &(x, y) in measured {
        let luma = lumas_of[(y * w + x) as usize];
        let index = (y / CELL) as usize * cells_across + (x / CELL) as usize;
        let counts = &mut all[index];
        counts.0 += 1;
        if luma < paper - 12.0 {
            counts.1 += 1;
        }
        if (luma - paper).abs() > 12.0 {
            continue;
        }
        let pixel = seen.get_pixel(x, y).0;
        // A channel at the camera's white has lost the hue.
        let unclipped = pixel.map(|v| v < 250);
        // Hue as the channels' ratios (in hundredths), which a shadow's or the light's
        // falling off leaves as they are.
        let [r, g, b] = pixel.map(|v| f32::from(v).max(1.0));
        let (r, g, b) = (r * gains[0], g * gains[1], b * gains[2]);
        let (red, blue) = (100.0 * (r / g).ln(), 100.0 * (b / g).ln());
        for (ratio, (value, known)) in [(red, unclipped[0]), (blue, unclipped[2])]
            .into_iter()
            .enumerate()
        {
            if known && unclipped[1] {
                ratios[index][ratio].0 += value;
                ratios[index][ratio].1 += 1;
            }
        }
        if unclipped.iter().all(|&u| u) {
            let cell = &mut sums[index];
            cell.0 += red;
            cell.1 += blue;
            cell.2 += 1;
        }
    }
    // Cells of bare paper: beside print, JPEG's coarser colour smears the ink's edges.
    let bare: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].1 * 20 <= all[i].0)
        .collect();
    let cells = all.iter().filter(|n| n.0 > 0).count();
    // Enough cells keep their hue to tell it: 8, and a quarter of the card's.
    let enough = |known: usize| known >= 8 && known * 4 >= cells;
    let means: Vec<(f32, f32)> = bare
        .iter()
        .map(|&i| sums[i])
        .filter(|c| c.2 >= 16)
        .map(|c| (c.0 / c.2 as f32, c.1 / c.2 as f32))
        .collect();
    let whole = enough(means.len()).then(|| hue_spread(&means));
    let each_ratio = (0..2)
        .filter_map(|ratio| {
            let means: Vec<(f32, f32)> = bare
                .iter()
                .map(|&i| ratios[i][ratio])
                .filter(|&(_, n)| n >= 16)
                .map(|(sum, n)| (sum / n as f32, 0.0))
                .collect();
            enough(means.len()).then(|| hue_spread(&means))
        })
        .reduce(f32::max);
    (whole, each_ratio)
}

/// How far the cells' hues (`means`, not empty) lie from their median hue: the distance a tenth
/// of them pass.
fn hue_spread(means: &[(f32, f32)]) -> f32 {
    let median = |mut v: Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let (mr, mb) = (
        median(means.iter().map(|m| m.0).collect()),
        median(means.iter().map(|m| m.1).collect()),
    );
    let mut distances: Vec<f32> = means
        .iter()
        .map(|m| ((m.0 - mr).powi(2) + (m.1 - mb).powi(2)).sqrt())
        .collect();
    distances.sort_by(f32::total_cmp);
    distances[distances.len() * 9 / 10]
}
