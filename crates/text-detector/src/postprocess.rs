//! From the detector's probability map to text boxes (DB post-processing).

use ndarray::ArrayView2;
use vlocr_geometry::{convex_hull, min_area_rect, Point, Quad};

use crate::{DetectorParams, TextBox};

/// Turns a `[H, W]` text-probability map into boxes in image coordinates.
///
/// `scale` is image pixels per map pixel `(x, y)`; boxes are clipped to `image_size`
/// `(width, height)`. Boxes come in the order their regions are first met scanning rows.
#[expect(
    clippy::needless_pass_by_value,
    reason = "array views are passed by value, like slices"
)]
pub fn boxes_from_probability_map(
    map: ArrayView2<'_, f32>,
    params: &DetectorParams,
    scale: (f32, f32),
    image_size: (u32, u32),
) -> Vec<TextBox> {
    let (h, w) = map.dim();
    let mut bitmap: Vec<bool> = map.iter().map(|&p| p > params.threshold).collect();
    if params.dilate {
        bitmap = dilate_2x2(&bitmap, w, h);
    }
    let (img_w, img_h) = (image_size.0 as f32, image_size.1 as f32);
    let mut boxes = Vec::new();
    for region in regions(&bitmap, w, h)
        .into_iter()
        .take(params.max_candidates)
    {
        let Some(rect) = min_area_rect(&convex_hull(&region)) else {
            continue;
        };
        if rect.short_side() < params.min_size {
            continue;
        }
        let quad = rect.to_quad();
        let score = mean_inside(&map, &quad);
        if score < params.box_threshold {
            continue;
        }
        let distance = quad.area() * params.unclip_ratio / quad.perimeter().max(1e-6);
        let grown = rect.expand(distance);
        if grown.short_side() < params.min_size + 2.0 {
            continue;
        }
        // Map pixel centres (x + 0.5) to image coordinates.
        let quad = grown.to_quad().map(|p| {
            Point::new(
                ((p.x + 0.5) * scale.0).clamp(0.0, img_w),
                ((p.y + 0.5) * scale.1).clamp(0.0, img_h),
            )
        });
        boxes.push(TextBox { quad, score });
    }
    boxes
}

/// Binary dilation with a 2x2 square anchored at its centre (as OpenCV places it): a pixel is
/// set when it or its left, upper or upper-left neighbour is set.
fn dilate_2x2(bitmap: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut out = bitmap.to_vec();
    for y in 0..h {
        for x in 0..w {
            if out[y * w + x] {
                continue;
            }
            let left = x > 0 && bitmap[y * w + x - 1];
            let up = y > 0 && bitmap[(y - 1) * w + x];
            let up_left = x > 0 && y > 0 && bitmap[(y - 1) * w + x - 1];
            out[y * w + x] = left || up || up_left;
        }
    }
    out
}

/// 8-connected regions of set pixels. Each region is given by the first and last pixel centre
/// of each of its rows, which have the same convex hull as the whole region.
fn regions(bitmap: &[bool], w: usize, h: usize) -> Vec<Vec<Point>> {
    let mut seen = vec![false; bitmap.len()];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for start in 0..bitmap.len() {
        if !bitmap[start] || seen[start] {
            continue;
        }
        // Row extremes: y -> (min x, max x).
        let mut rows: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            let entry = rows.entry(y).or_insert((x, x));
            entry.0 = entry.0.min(x);
            entry.1 = entry.1.max(x);
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                    if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                        continue;
                    }
                    let j = ny as usize * w + nx as usize;
                    if bitmap[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let mut points = Vec::with_capacity(rows.len() * 2);
        for (y, (x0, x1)) in rows {
            points.push(Point::new(x0 as f32, y as f32));
            if x1 != x0 {
                points.push(Point::new(x1 as f32, y as f32));
            }
        }
        out.push(points);
    }
    out
}

/// Mean of the map over the pixels whose centres lie inside `quad` (map coordinates, pixel
/// centres at integer positions); 0 when none do.
fn mean_inside(map: &ArrayView2<'_, f32>, quad: &Quad) -> f32 {
    let (h, w) = map.dim();
    let (x0, y0, x1, y1) = quad.bounds();
    let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max - 1);
    let (x0, x1) = (clamp(x0.floor(), w), clamp(x1.ceil(), w));
    let (y0, y1) = (clamp(y0.floor(), h), clamp(y1.ceil(), h));
    let (mut sum, mut count) = (0.0f32, 0u32);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if quad.contains(Point::new(x as f32, y as f32)) {
                sum += map[[y, x]];
                count += 1;
            }
        }
    }
    if count == 0 {
        0.0
    } else {
        sum / count as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn map_with_rects(h: usize, w: usize, rects: &[(usize, usize, usize, usize)]) -> Array2<f32> {
        let mut map = Array2::<f32>::from_elem((h, w), 0.05);
        for &(x0, y0, x1, y1) in rects {
            for y in y0..y1 {
                for x in x0..x1 {
                    map[[y, x]] = 0.9;
                }
            }
        }
        map
    }

    #[test]
    fn one_region_becomes_one_grown_box() {
        let map = map_with_rects(64, 128, &[(20, 20, 100, 30)]);
        let params = DetectorParams {
            dilate: false,
            ..DetectorParams::default()
        };
        let boxes = boxes_from_probability_map(map.view(), &params, (2.0, 2.0), (256, 128));
        assert_eq!(boxes.len(), 1);
        let b = boxes[0];
        assert!((b.score - 0.9).abs() < 1e-4);
        // Region is 80x10 map pixels (centres 20..99, 20..29); unclip grows each side by
        // area*1.6/perimeter = (79*9*1.6)/(2*(79+9)) ≈ 6.5 map pixels; then x2 to image pixels.
        let (x0, y0, x1, y1) = b.quad.bounds();
        assert!((x0 - 28.0).abs() < 1.5, "{x0}");
        assert!((x1 - 212.0).abs() < 1.5, "{x1}");
        assert!((y0 - 28.0).abs() < 1.5, "{y0}");
        assert!((y1 - 72.0).abs() < 1.5, "{y1}");
    }

    #[test]
    fn separate_regions_low_scores_and_specks() {
        let mut map = map_with_rects(
            64,
            128,
            &[(10, 5, 60, 15), (10, 40, 60, 50), (100, 50, 102, 52)],
        );
        // Second region is faint: above the pixel threshold, below the box threshold.
        for y in 40..50 {
            for x in 10..60 {
                map[[y, x]] = 0.4;
            }
        }
        let boxes = boxes_from_probability_map(
            map.view(),
            &DetectorParams::default(),
            (1.0, 1.0),
            (128, 64),
        );
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        assert!(boxes[0].quad.center().y < 20.0);
    }

    #[test]
    fn boxes_are_clipped_to_the_image() {
        let map = map_with_rects(32, 64, &[(0, 0, 64, 8)]);
        let boxes = boxes_from_probability_map(
            map.view(),
            &DetectorParams::default(),
            (1.0, 1.0),
            (64, 32),
        );
        let (x0, y0, x1, _) = boxes[0].quad.bounds();
        assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= 64.0);
    }

    #[test]
    fn dilation_joins_diagonal_gaps() {
        let bitmap = [true, false, false, false];
        assert_eq!(dilate_2x2(&bitmap, 2, 2), vec![true, true, true, true]);
    }

    #[test]
    fn empty_map_has_no_boxes() {
        let map = Array2::<f32>::zeros((32, 32));
        assert!(boxes_from_probability_map(
            map.view(),
            &DetectorParams::default(),
            (1.0, 1.0),
            (32, 32)
        )
        .is_empty());
    }
}
