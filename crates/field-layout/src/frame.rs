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

    /// Fits the frame to `anchors`: pairs of (card point, page point). Three or more anchors
    /// not on one line give a full affine map, two a similarity (no shear); fewer give `None`.
    /// Anchors that disagree with the rest (a label matched in the wrong place) are dropped
    /// one at a time, worst first.
    pub fn fit(anchors: &[(Point, Point)]) -> Option<CardFrame> {
        let mut kept: Vec<(Point, Point)> = anchors.to_vec();
        loop {
            let frame = match kept.len() {
                0 | 1 => return None,
                2 => similarity(&kept)?,
                _ => affine(&kept).or_else(|| similarity(&kept))?,
            };
            if kept.len() <= 3 {
                return frame.is_plausible().then_some(frame);
            }
            let (worst, residual) = kept
                .iter()
                .enumerate()
                .map(|(i, (card, page))| (i, frame.to_card(*page).distance(*card)))
                .max_by(|a, b| a.1.total_cmp(&b.1))?;
            if residual <= OUTLIER {
                return frame.is_plausible().then_some(frame);
            }
            kept.remove(worst);
        }
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
