//! The card's frame: an affine map between canonical card coordinates (`u` across, `v` down,
//! both 0..1 over the printed card) and the upright page's pixels, fitted to where the labels
//! were found.

use vlocr_geometry::Point;

/// `x = a*u + b*v + c`, `y = d*u + e*v + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardFrame {
    m: [f32; 6],
}

/// Residual, in card units, above which an anchor is taken for a misread label and dropped.
const OUTLIER: f32 = 0.04;
/// Three labels closer to a line than this (area in card units squared) cannot fix a frame.
const MIN_TRIANGLE: f32 = 0.01;

fn triangle_area([a, b, c]: [Point; 3]) -> f32 {
    ((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)).abs() / 2.0
}

impl CardFrame {
    /// Maps a card point to the page.
    pub fn to_page(&self, card: Point) -> Point {
        let m = &self.m;
        Point::new(
            m[0] * card.x + m[1] * card.y + m[2],
            m[3] * card.x + m[4] * card.y + m[5],
        )
    }

    /// Maps a page point to the card.
    pub fn to_card(&self, page: Point) -> Point {
        let [a, b, c, d, e, f] = self.m;
        let det = a * e - b * d;
        let (x, y) = (page.x - c, page.y - f);
        Point::new((e * x - b * y) / det, (-d * x + a * y) / det)
    }

    /// Fits the frame to `anchors`: pairs of (card point, page point). Labels can be matched in
    /// the wrong place (a back page's `号牌号码` beside the main page), so the fit is robust:
    /// every three anchors spanning a triangle propose a map, the map that most anchors agree
    /// with (within `OUTLIER`) wins, and it is refitted to those anchors by least squares.
    /// With fewer than three agreeing anchors, the best-supported pair gives a similarity (no
    /// shear); with fewer than two, `None`.
    pub fn fit(anchors: &[(Point, Point)]) -> Option<CardFrame> {
        let agreeing = |frame: &CardFrame| -> Vec<(Point, Point)> {
            anchors
                .iter()
                .filter(|(card, page)| frame.to_card(*page).distance(*card) <= OUTLIER)
                .copied()
                .collect()
        };
        let mut best: Vec<(Point, Point)> = Vec::new();
        let n = anchors.len();
        for i in 0..n {
            for j in i + 1..n {
                for k in j + 1..n {
                    let trio = [anchors[i], anchors[j], anchors[k]];
                    if triangle_area(trio.map(|(card, _)| card)) < MIN_TRIANGLE {
                        continue;
                    }
                    let Some(frame) = affine(&trio).filter(CardFrame::is_plausible) else {
                        continue;
                    };
                    let support = agreeing(&frame);
                    if support.len() > best.len() {
                        best = support;
                    }
                }
            }
        }
        if best.len() >= 3 {
            return affine(&best).filter(CardFrame::is_plausible);
        }
        let mut best_pair: Option<(usize, CardFrame)> = None;
        for i in 0..n {
            for j in i + 1..n {
                let Some(frame) =
                    similarity(&[anchors[i], anchors[j]]).filter(CardFrame::is_plausible)
                else {
                    continue;
                };
                let support = agreeing(&frame).len();
                if best_pair.as_ref().is_none_or(|(s, _)| support > *s) {
                    best_pair = Some((support, frame));
                }
            }
        }
        best_pair.map(|(_, frame)| frame)
    }

    /// Fits a frame whose card axes follow the printed text: the card's rows run at `angle`
    /// (radians, from the lines' own direction), so only the two scales and the shift are
    /// fitted. Labels cluster in a narrow column of the card, which leaves a free affine fit's
    /// rotation poorly determined; the text lines fix it instead. Robust as [`CardFrame::fit`]:
    /// every pair of anchors apart in both directions proposes a frame, the best-supported wins
    /// and is refitted. `None` when no pair gives a plausible card.
    pub fn fit_aligned(anchors: &[(Point, Point)], angle: f32) -> Option<CardFrame> {
        let (sin, cos) = angle.sin_cos();
        // Page points turned back by the text angle: rows become horizontal.
        let level: Vec<(Point, Point)> = anchors
            .iter()
            .map(|&(card, p)| {
                (
                    card,
                    Point::new(p.x * cos + p.y * sin, -p.x * sin + p.y * cos),
                )
            })
            .collect();
        let build = |scale_u: f32, shift_x: f32, scale_v: f32, shift_y: f32| -> Option<CardFrame> {
            // Card aspect 88 x 60 mm: pixels per v unit are about 0.68 of those per u unit;
            // perspective bends that, but not past these bounds.
            let ratio = scale_v / scale_u;
            if scale_u <= 0.0 || !(0.4..=1.1).contains(&ratio) {
                return None;
            }
            let m = [
                scale_u * cos,
                -scale_v * sin,
                shift_x * cos - shift_y * sin,
                scale_u * sin,
                scale_v * cos,
                shift_x * sin + shift_y * cos,
            ];
            Some(CardFrame { m }).filter(CardFrame::is_plausible)
        };
        let mut best: Vec<(Point, Point)> = Vec::new();
        for i in 0..level.len() {
            for j in i + 1..level.len() {
                let ((c0, p0), (c1, p1)) = (level[i], level[j]);
                let (du, dv) = (c1.x - c0.x, c1.y - c0.y);
                if du.abs() < 0.05 || dv.abs() < 0.05 {
                    continue;
                }
                let (scale_u, scale_v) = ((p1.x - p0.x) / du, (p1.y - p0.y) / dv);
                let Some(frame) = build(
                    scale_u,
                    p0.x - scale_u * c0.x,
                    scale_v,
                    p0.y - scale_v * c0.y,
                ) else {
                    continue;
                };
                let support: Vec<(Point, Point)> = anchors
                    .iter()
                    .filter(|(card, page)| frame.to_card(*page).distance(*card) <= OUTLIER)
                    .copied()
                    .collect();
                if support.len() > best.len() {
                    best = support;
                }
            }
        }
        if best.len() < 2 {
            return None;
        }
        // Least squares, one axis at a time, over the agreeing anchors.
        let line_fit = |pairs: &[(f32, f32)]| -> Option<(f32, f32)> {
            let n = pairs.len() as f32;
            let (mean_a, mean_b) = pairs
                .iter()
                .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x / n, b + y / n));
            let spread: f32 = pairs.iter().map(|&(a, _)| (a - mean_a).powi(2)).sum();
            if spread < 1e-6 {
                return None;
            }
            let slope = pairs
                .iter()
                .map(|&(a, b)| (a - mean_a) * (b - mean_b))
                .sum::<f32>()
                / spread;
            Some((slope, mean_b - slope * mean_a))
        };
        let turn = |p: Point| Point::new(p.x * cos + p.y * sin, -p.x * sin + p.y * cos);
        let us: Vec<(f32, f32)> = best.iter().map(|&(c, p)| (c.x, turn(p).x)).collect();
        let vs: Vec<(f32, f32)> = best.iter().map(|&(c, p)| (c.y, turn(p).y)).collect();
        let ((scale_u, shift_x), (scale_v, shift_y)) = (line_fit(&us)?, line_fit(&vs)?);
        build(scale_u, shift_x, scale_v, shift_y)
    }

    /// A frame that is not degenerate and keeps the card's orientation.
    fn is_plausible(&self) -> bool {
        let [a, b, _, d, e, _] = self.m;
        let det = a * e - b * d;
        det > 1e-3 && self.m.iter().all(|v| v.is_finite())
    }
}

/// Least-squares affine map from ≥ 3 anchors.
fn affine(anchors: &[(Point, Point)]) -> Option<CardFrame> {
    // Normal equations for [u v 1] * [a b c]^T = x (and the same for y).
    let mut ata = [[0f64; 3]; 3];
    let (mut atx, mut aty) = ([0f64; 3], [0f64; 3]);
    for (card, page) in anchors {
        let row = [f64::from(card.x), f64::from(card.y), 1.0];
        for i in 0..3 {
            for j in 0..3 {
                ata[i][j] += row[i] * row[j];
            }
            atx[i] += row[i] * f64::from(page.x);
            aty[i] += row[i] * f64::from(page.y);
        }
    }
    let (x, y) = (solve3(ata, atx)?, solve3(ata, aty)?);
    Some(CardFrame {
        m: [
            x[0] as f32,
            x[1] as f32,
            x[2] as f32,
            y[0] as f32,
            y[1] as f32,
            y[2] as f32,
        ],
    })
}

/// Scale, rotation and shift from two anchors.
fn similarity(anchors: &[(Point, Point)]) -> Option<CardFrame> {
    let ((c0, p0), (c1, p1)) = (anchors[0], anchors[1]);
    let (du, dv) = (c1.x - c0.x, c1.y - c0.y);
    let (dx, dy) = (p1.x - p0.x, p1.y - p0.y);
    let norm = du * du + dv * dv;
    if norm < 1e-6 {
        return None;
    }
    // Page = s * R * card + t, with the card's aspect ratio (88 x 60 mm) restored.
    let aspect = 60.0 / 88.0;
    let (du, dv) = (du, dv * aspect);
    let norm = du * du + dv * dv;
    let a = (dx * du + dy * dv) / norm;
    let b = (dy * du - dx * dv) / norm;
    let m = [a, -b * aspect, 0.0, b, a * aspect, 0.0];
    let shift = |m: &[f32; 6]| {
        (
            p0.x - (m[0] * c0.x + m[1] * c0.y),
            p0.y - (m[3] * c0.x + m[4] * c0.y),
        )
    };
    let (tx, ty) = shift(&m);
    Some(CardFrame {
        m: [m[0], m[1], tx, m[3], m[4], ty],
    })
}

fn solve3(mut a: [[f64; 3]; 3], mut b: [f64; 3]) -> Option<[f64; 3]> {
    for col in 0..3 {
        let pivot = (col..3).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if a[pivot][col].abs() < 1e-9 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in 0..3 {
            if row != col {
                let factor = a[row][col] / a[col][col];
                let pivot_row = a[col];
                for (value, p) in a[row].iter_mut().zip(pivot_row) {
                    *value -= factor * p;
                }
                b[row] -= factor * b[col];
            }
        }
    }
    Some([b[0] / a[0][0], b[1] / a[1][1], b[2] / a[2][2]])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Centres of six main-page labels (title, 车辆类型, 品牌型号, 车辆识别代号, 发动机号码,
    /// 注册日期): a narrow column of the card.
    const MAIN_PAGE_LABELS: [(f32, f32); 6] = [
        (0.5, 0.08),
        (0.495, 0.2),
        (0.43, 0.56),
        (0.36, 0.68),
        (0.345, 0.8),
        (0.33, 0.91),
    ];

    fn page_of(card: Point) -> Point {
        // A card 880 px wide, 600 px high, turned 3 degrees, at (100, 50).
        let (s, c) = 0.05f32.sin_cos();
        let (x, y) = (card.x * 880.0, card.y * 600.0);
        Point::new(100.0 + c * x - s * y, 50.0 + s * x + c * y)
    }

    #[test]
    fn fits_and_inverts() {
        let cards = [
            Point::new(0.1, 0.2),
            Point::new(0.5, 0.2),
            Point::new(0.35, 0.68),
            Point::new(0.7, 0.9),
        ];
        let anchors: Vec<_> = cards.iter().map(|&c| (c, page_of(c))).collect();
        let frame = CardFrame::fit(&anchors).expect("fits");
        let probe = Point::new(0.8, 0.4);
        assert!(frame.to_page(probe).distance(page_of(probe)) < 0.5);
        assert!(frame.to_card(page_of(probe)).distance(probe) < 1e-3);
    }

    #[test]
    fn drops_a_misplaced_anchor() {
        let cards = [
            Point::new(0.1, 0.2),
            Point::new(0.5, 0.2),
            Point::new(0.35, 0.68),
            Point::new(0.7, 0.9),
            Point::new(0.1, 0.56),
        ];
        let mut anchors: Vec<_> = cards.iter().map(|&c| (c, page_of(c))).collect();
        anchors[4].1 = page_of(Point::new(0.6, 0.1));
        let frame = CardFrame::fit(&anchors).expect("fits");
        let probe = Point::new(0.8, 0.4);
        assert!(frame.to_page(probe).distance(page_of(probe)) < 0.5);
    }

    #[test]
    fn a_label_of_the_other_page_does_not_spoil_the_frame() {
        // The main page's labels, and a back page's 号牌号码 beside it.
        let cards = MAIN_PAGE_LABELS.map(|(u, v)| Point::new(u, v));
        let mut anchors: Vec<_> = cards.iter().map(|&c| (c, page_of(c))).collect();
        anchors.insert(1, (Point::new(0.085, 0.2), page_of(Point::new(1.7, 0.05))));
        let frame = CardFrame::fit(&anchors).expect("fits");
        let probe = Point::new(0.8, 0.4);
        assert!(frame.to_page(probe).distance(page_of(probe)) < 0.5);
    }

    #[test]
    fn text_direction_fixes_the_rotation_of_a_narrow_column_of_labels() {
        // The main page's labels sit in a narrow column (u 0.33..0.5); their centres, estimated
        // from merged lines, are a few pixels off.
        let cards = MAIN_PAGE_LABELS.map(|(u, v)| Point::new(u, v));
        let noise = [
            (3.0, -2.0),
            (-3.0, 2.0),
            (2.0, 3.0),
            (-2.0, -3.0),
            (3.0, 1.0),
            (-3.0, -1.0),
        ];
        let anchors: Vec<_> = cards
            .iter()
            .zip(noise)
            .map(|(&c, (nx, ny))| {
                let p = page_of(c);
                (c, Point::new(p.x + nx, p.y + ny))
            })
            .collect();
        let frame = CardFrame::fit_aligned(&anchors, 0.05).expect("fits");
        let far = Point::new(0.95, 0.7);
        assert!(
            frame.to_page(far).distance(page_of(far)) < 6.0,
            "{:?} vs {:?}",
            frame.to_page(far),
            page_of(far)
        );
    }

    #[test]
    fn two_anchors_give_a_similarity() {
        let cards = [Point::new(0.1, 0.2), Point::new(0.7, 0.9)];
        let anchors: Vec<_> = cards.iter().map(|&c| (c, page_of(c))).collect();
        let frame = CardFrame::fit(&anchors).expect("fits");
        let probe = Point::new(0.8, 0.4);
        assert!(
            frame.to_page(probe).distance(page_of(probe)) < 1.0,
            "{:?}",
            frame.to_page(probe)
        );
        assert!(CardFrame::fit(&anchors[..1]).is_none());
    }
}
