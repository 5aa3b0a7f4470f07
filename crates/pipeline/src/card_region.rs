//! Finding a card by its paper, where the detector searches a photo first and where it looks
//! when it read too little of the print: the license is printed on white paper, lighter and
//! greyer than the table or cloth it lies on in most photos.

use image::RgbImage;

/// The longer side of the coarse grid the paper is looked for on.
const GRID_SIDE: u32 = 160;
/// The paper's share of the photo: smaller is a speck of glare, larger is the background.
const MIN_SHARE: f32 = 0.005;
const MAX_SHARE: f32 = 0.6;
/// How much of its bounding box a card's region fills at least (a card turned 45 degrees fills
/// half of it; a thin streak of light far less).
const MIN_FILL: f32 = 0.4;
/// How much brighter (in its darkest channel, 0..255) the paper is than the mean of what
/// surrounds it, at least: a uniform photo has no card to find.
const MIN_CONTRAST: f32 = 30.0;
/// The margin added around the region, as a share of its longer side.
const MARGIN: f32 = 0.1;

/// Regions of light cells at least this share of the largest's size are part of the first
/// search ([`search_region`]).
const SEARCH_MIN_PART: f32 = 0.2;
/// The most of the photo the first search's region may cover: a larger one is hardly cheaper
/// to search than the whole photo.
const SEARCH_MAX_SHARE: f32 = 0.7;

/// The box `(x0, y0, x1, y1)` in `image`'s pixels around the largest light, grey region that
/// could be a card: cells whose darkest channel passes Otsu's threshold (white paper is light
/// in every channel, a coloured or dark background is not), joined side by side, filling a fair
/// share of their bounding box, between half a percent and 60% of the photo. `None` when no
/// region is like that.
pub(crate) fn paper_region(image: &RgbImage) -> Option<(u32, u32, u32, u32)> {
    let grid = LightGrid::of(image, 1);
    let parts = components(&grid.light, grid.width, grid.height);
    let &(region, cells) = parts
        .iter()
        .reduce(|best, part| if part.1 > best.1 { part } else { best })?;
    let (x0, y0, x1, y1) = region;
    let share = cells as f32 / grid.light.len() as f32;
    let fill = cells as f32 / ((x1 - x0 + 1) * (y1 - y0 + 1)) as f32;
    if !(MIN_SHARE..=MAX_SHARE).contains(&share)
        || fill < MIN_FILL
        || grid.contrast() < MIN_CONTRAST
    {
        return None;
    }
    Some(grid.to_image(region, image.dimensions()))
}

/// Where the detector's first search of a photo is made
/// ([`vlocr_text_detector::TextDetector::detect_within`]): the box around every light, grey
/// region at least [`SEARCH_MIN_PART`] the size of the largest (both pages of an open wallet,
/// the parts of a card that a shadow splits), with [`paper_region`]'s margin. `None` when no
/// region stands out from its surroundings, or the box would cover more than
/// [`SEARCH_MAX_SHARE`] of the photo (no cheaper to search than the whole). A box that misses
/// part of the card costs a second search, not the card: the detector searches the whole photo
/// when a line found reaches the box's edge, and the reading searches it again whole when the
/// card is not placed.
pub(crate) fn search_region(image: &RgbImage) -> Option<(u32, u32, u32, u32)> {
    let grid = LightGrid::of(image, 2);
    let parts = components(&grid.light, grid.width, grid.height);
    let largest = parts.iter().map(|part| part.1).max()?;
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    let mut cells = 0;
    for &((a, b, c, d), size) in &parts {
        if size as f32 >= SEARCH_MIN_PART * largest as f32 {
            (x0, y0, x1, y1) = (x0.min(a), y0.min(b), x1.max(c), y1.max(d));
            cells += size;
        }
    }
    let share = cells as f32 / grid.light.len() as f32;
    if share < MIN_SHARE || grid.contrast() < MIN_CONTRAST {
        return None;
    }
    let (width, height) = image.dimensions();
    let region = grid.to_image((x0, y0, x1, y1), (width, height));
    let covered = (region.2 - region.0) as f32 * (region.3 - region.1) as f32;
    (covered <= SEARCH_MAX_SHARE * width as f32 * height as f32).then_some(region)
}

/// A photo on a coarse grid: each cell's mean darkest channel, and which cells are light
/// (past Otsu's threshold: white paper is light in every channel, a coloured or dark
/// background is not).
struct LightGrid {
    /// Photo pixels a cell's side.
    cell: u32,
    width: usize,
    height: usize,
    darkest: Vec<u8>,
    light: Vec<bool>,
}

impl LightGrid {
    /// The grid of `image`, its longer side [`GRID_SIDE`] cells, sampling every `step`th pixel
    /// of every `step`th row.
    fn of(image: &RgbImage, step: u32) -> Self {
        let (width, height) = image.dimensions();
        let cell = width.max(height).div_ceil(GRID_SIDE).max(1);
        let (gw, gh) = (
            width.div_ceil(cell) as usize,
            height.div_ceil(cell) as usize,
        );
        let mut sums = vec![0u64; gw * gh];
        let mut counts = vec![0u64; gw * gh];
        let raw = image.as_raw();
        let row_bytes = width as usize * 3;
        for y in (0..height).step_by(step.max(1) as usize) {
            let row = &raw[y as usize * row_bytes..][..row_bytes];
            let first = (y / cell) as usize * gw;
            for x in (0..width).step_by(step.max(1) as usize) {
                let pixel = &row[x as usize * 3..][..3];
                let index = first + (x / cell) as usize;
                sums[index] += u64::from(pixel[0].min(pixel[1]).min(pixel[2]));
                counts[index] += 1;
            }
        }
        let darkest: Vec<u8> = sums
            .iter()
            .zip(&counts)
            .map(|(&s, &n)| (s / n.max(1)) as u8)
            .collect();
        let threshold = otsu_threshold(&darkest);
        let light = darkest.iter().map(|&v| v > threshold).collect();
        Self {
            cell,
            width: gw,
            height: gh,
            darkest,
            light,
        }
    }

    /// How much lighter the light cells are than the others, on average (0..255).
    fn contrast(&self) -> f32 {
        let mean = |inside: bool| {
            let (sum, count) = self
                .darkest
                .iter()
                .zip(&self.light)
                .filter(|(_, &l)| l == inside)
                .fold((0.0, 0usize), |(sum, n), (&v, _)| {
                    (sum + f32::from(v), n + 1)
                });
            sum / count.max(1) as f32
        };
        mean(true) - mean(false)
    }

    /// The cells `(x0, y0, x1, y1)` (inclusive) in the photo's pixels, grown by [`MARGIN`] of
    /// their longer side and clipped to the photo of `size`.
    fn to_image(
        &self,
        cells: (usize, usize, usize, usize),
        size: (u32, u32),
    ) -> (u32, u32, u32, u32) {
        let (x0, y0, x1, y1) = cells;
        let margin = MARGIN * (x1 - x0 + 1).max(y1 - y0 + 1) as f32;
        let to_image = |v: usize, grow: f32, max: u32| {
            ((v as f32 + grow) * self.cell as f32).clamp(0.0, max as f32) as u32
        };
        (
            to_image(x0, -margin, size.0),
            to_image(y0, -margin, size.1),
            to_image(x1 + 1, margin, size.0),
            to_image(y1 + 1, margin, size.1),
        )
    }
}

/// Otsu's threshold of `values`: the level that best splits them into two classes (values
/// above it are the lighter class).
fn otsu_threshold(values: &[u8]) -> u8 {
    let mut histogram = [0u64; 256];
    for &v in values {
        histogram[usize::from(v)] += 1;
    }
    let total = values.len() as f64;
    let sum_all: f64 = (0..256).map(|i| i as f64 * histogram[i] as f64).sum();
    let (mut below, mut sum_below) = (0.0, 0.0);
    let (mut best, mut best_between) = (0u8, -1.0);
    for (level, &count) in histogram.iter().enumerate() {
        below += count as f64;
        sum_below += level as f64 * count as f64;
        let above = total - below;
        if below == 0.0 || above == 0.0 {
            continue;
        }
        let mean_below = sum_below / below;
        let mean_above = (sum_all - sum_below) / above;
        let between = below * above * (mean_below - mean_above).powi(2);
        if between > best_between {
            best_between = between;
            best = level as u8;
        }
    }
    best
}

/// The 4-connected groups of set cells of a `width` x `height` grid, in the order their first
/// cell comes: each one's bounding box `(x0, y0, x1, y1)` (inclusive cells) and size.
fn components(
    cells: &[bool],
    width: usize,
    height: usize,
) -> Vec<((usize, usize, usize, usize), usize)> {
    let mut seen = vec![false; cells.len()];
    let mut found = Vec::new();
    let mut stack = Vec::new();
    for start in 0..cells.len() {
        if !cells[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        let mut size = 0;
        while let Some(index) = stack.pop() {
            let (x, y) = (index % width, index / width);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            size += 1;
            let neighbours = [
                (x > 0).then(|| index - 1),
                (x + 1 < width).then(|| index + 1),
                (y > 0).then(|| index - width),
                (y + 1 < height).then(|| index + width),
            ];
            for next in neighbours.into_iter().flatten() {
                if cells[next] && !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        found.push(((x0, y0, x1, y1), size));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A `width` x `height` photo of `background` with a light grey card at `(x0, y0, x1, y1)`.
    fn photo(width: u32, height: u32, background: [u8; 3], card: (u32, u32, u32, u32)) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let (x0, y0, x1, y1) = card;
            if (x0..x1).contains(&x) && (y0..y1).contains(&y) {
                Rgb([225, 228, 230])
            } else {
                Rgb(background)
            }
        })
    }

    #[test]
    fn a_light_card_on_a_coloured_table_is_found() {
        let image = photo(1600, 1200, [60, 140, 80], (1200, 500, 1500, 950));
        let (x0, y0, x1, y1) = paper_region(&image).expect("a card");
        // The box holds the card, with a margin of about a tenth of its longer side.
        assert!(x0 <= 1200 && y0 <= 500 && x1 >= 1500 && y1 >= 950);
        assert!(x0 >= 1140 && y0 >= 440 && x1 <= 1560 && y1 <= 1010);
    }

    #[test]
    fn no_card_on_a_plain_or_white_photo() {
        assert_eq!(
            paper_region(&RgbImage::from_pixel(800, 600, Rgb([90, 90, 90]))),
            None
        );
        // Light everywhere: the "card" would be the whole photo.
        let white = photo(800, 600, [230, 230, 230], (100, 100, 300, 200));
        assert_eq!(paper_region(&white), None);
        // A speck of glare is no card.
        let speck = photo(1600, 1200, [60, 140, 80], (700, 500, 720, 520));
        assert_eq!(paper_region(&speck), None);
    }

    #[test]
    fn otsu_splits_two_levels() {
        let values: Vec<u8> = [40u8; 50].into_iter().chain([200u8; 50]).collect();
        let t = otsu_threshold(&values);
        assert!((40..200).contains(&t), "{t}");
    }

    #[test]
    fn the_first_search_covers_both_pages_of_a_wallet() {
        // Two pages side by side on a dark cover, one of them smaller in the photo.
        let image = RgbImage::from_fn(1600, 1200, |x, y| {
            let left = (200..700).contains(&x) && (400..750).contains(&y);
            let right = (760..1200).contains(&x) && (420..720).contains(&y);
            if left || right {
                Rgb([225, 228, 230])
            } else {
                Rgb([40, 35, 50])
            }
        });
        let (x0, y0, x1, y1) = search_region(&image).expect("a region");
        assert!(x0 <= 200 && y0 <= 400 && x1 >= 1200 && y1 >= 750);
        // paper_region keeps the larger page only.
        let (_, _, x1, _) = paper_region(&image).expect("a card");
        assert!(x1 < 760);
    }

    #[test]
    fn no_first_search_region_where_the_card_fills_the_photo() {
        let image = photo(1600, 1200, [60, 140, 80], (100, 80, 1500, 1120));
        assert_eq!(search_region(&image), None);
        let image = photo(1600, 1200, [60, 140, 80], (500, 400, 1100, 800));
        let (x0, y0, x1, y1) = search_region(&image).expect("a region");
        assert!(x0 <= 500 && y0 <= 400 && x1 >= 1100 && y1 >= 800);
        assert!(x0 >= 400 && y0 >= 300 && x1 <= 1200 && y1 <= 900);
    }
}
