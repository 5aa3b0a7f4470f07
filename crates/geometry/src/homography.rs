//! Projective transforms between two quadrilaterals.

use crate::point::{Point, Quad};

/// A 3x3 projective transform, row-major, normalised so that the last entry is 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography {
    m: [f32; 9],
}

impl Homography {
    /// The transform that maps each corner of `from` onto the same corner of `to`.
    /// Returns `None` when the corners are degenerate (three of them on a line).
    pub fn from_quads(from: &Quad, to: &Quad) -> Option<Homography> {
        // Solve the 8x8 linear system A h = b for h = (a..h), with m[8] = 1.
        let mut a = [[0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = (f64::from(from.points[i].x), f64::from(from.points[i].y));
            let (u, v) = (f64::from(to.points[i].x), f64::from(to.points[i].y));
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve_augmented(a)?;
        let mut m = [1f32; 9];
        for (dst, src) in m.iter_mut().zip(h.iter()) {
            *dst = *src as f32;
        }
        Some(Homography { m })
    }

    /// Maps a point through the transform.
    pub fn apply(&self, p: Point) -> Point {
        let m = &self.m;
        let w = m[6] * p.x + m[7] * p.y + m[8];
        let w = if w.abs() < 1e-12 { 1e-12 } else { w };
        Point::new(
            (m[0] * p.x + m[1] * p.y + m[2]) / w,
            (m[3] * p.x + m[4] * p.y + m[5]) / w,
        )
    }
}

/// Gaussian elimination with partial pivoting on an 8x9 augmented matrix.
fn solve_augmented(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if a[pivot][col].abs() < 1e-10 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col];
        for (index, row) in a.iter_mut().enumerate() {
            if index != col {
                let factor = row[col] / pivot_row[col];
                for (value, pivot) in row.iter_mut().zip(pivot_row.iter()).skip(col) {
                    *value -= factor * pivot;
                }
            }
        }
    }
    let mut h = [0f64; 8];
    for (i, value) in h.iter_mut().enumerate() {
        *value = a[i][8] / a[i][i];
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_corners_onto_corners() {
        let from = Quad::new([
            Point::new(10.0, 12.0),
            Point::new(90.0, 5.0),
            Point::new(95.0, 60.0),
            Point::new(8.0, 50.0),
        ]);
        let to = Quad::from_rect(0.0, 0.0, 100.0, 48.0);
        let h = Homography::from_quads(&from, &to).expect("non-degenerate");
        for (p, q) in from.points.iter().zip(to.points.iter()) {
            let mapped = h.apply(*p);
            assert!(mapped.distance(*q) < 1e-3, "{mapped:?} vs {q:?}");
        }
    }

    #[test]
    fn degenerate_quad_has_no_transform() {
        let line = Quad::new([
            Point::new(0.0, 0.0),
            Point::new(1.0, 1.0),
            Point::new(2.0, 2.0),
            Point::new(3.0, 3.0),
        ]);
        assert!(Homography::from_quads(&line, &Quad::from_rect(0.0, 0.0, 1.0, 1.0)).is_none());
    }
}
