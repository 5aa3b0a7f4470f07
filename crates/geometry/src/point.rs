//! Points and quadrilaterals.

use serde::{Deserialize, Serialize};

/// A point in image coordinates (pixels, origin top-left, y down).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal coordinate.
    pub x: f32,
    /// Vertical coordinate.
    pub y: f32,
}

impl Point {
    /// A point at `(x, y)`.
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// Euclidean distance to `other`.
    pub fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// Four corners of a text box, in reading order: top-left, top-right, bottom-right, bottom-left
/// (as seen by a reader of the text, which is not the image's top-left when the text is rotated).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Quad {
    /// Corners: top-left, top-right, bottom-right, bottom-left.
    pub points: [Point; 4],
}

impl Quad {
    /// A quad from its four corners, in reading order.
    pub const fn new(points: [Point; 4]) -> Self {
        Self { points }
    }

    /// The axis-aligned rectangle `(x0, y0)`..`(x1, y1)`.
    pub fn from_rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        Self::new([
            Point::new(x0, y0),
            Point::new(x1, y0),
            Point::new(x1, y1),
            Point::new(x0, y1),
        ])
    }

    /// Length along the reading direction: the longer of the top and bottom edges.
    pub fn width(&self) -> f32 {
        let [tl, tr, br, bl] = self.points;
        tl.distance(tr).max(bl.distance(br))
    }

    /// Length across the reading direction: the longer of the left and right edges.
    pub fn height(&self) -> f32 {
        let [tl, tr, br, bl] = self.points;
        tl.distance(bl).max(tr.distance(br))
    }

    /// The mean of the four corners.
    pub fn center(&self) -> Point {
        let (sx, sy) = self
            .points
            .iter()
            .fold((0.0, 0.0), |(sx, sy), p| (sx + p.x, sy + p.y));
        Point::new(sx / 4.0, sy / 4.0)
    }

    /// Shoelace area (always positive).
    pub fn area(&self) -> f32 {
        polygon_area(&self.points)
    }

    /// Sum of the four edge lengths.
    pub fn perimeter(&self) -> f32 {
        (0..4)
            .map(|i| self.points[i].distance(self.points[(i + 1) % 4]))
            .sum()
    }

    /// Applies `f` to every corner, keeping the corner order.
    pub fn map(&self, f: impl Fn(Point) -> Point) -> Quad {
        Quad::new(self.points.map(f))
    }

    /// The same box with its corners relabelled so that the reading direction turns by `turns`
    /// quarter turns clockwise: after one turn the old bottom-left corner becomes the top-left.
    pub fn rotate_corners(&self, turns: usize) -> Quad {
        let mut points = self.points;
        points.rotate_right(turns % 4);
        Quad::new(points)
    }

    /// Orders four arbitrary corners of a convex box as top-left, top-right, bottom-right,
    /// bottom-left in image axes: the two leftmost points form the left edge, the higher one of
    /// each pair comes first (the same rule as PaddleOCR's `get_mini_boxes`).
    pub fn from_unordered(mut points: [Point; 4]) -> Quad {
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
        let (left, right) = points.split_at(2);
        let (tl, bl) = if left[0].y <= left[1].y {
            (left[0], left[1])
        } else {
            (left[1], left[0])
        };
        let (tr, br) = if right[0].y <= right[1].y {
            (right[0], right[1])
        } else {
            (right[1], right[0])
        };
        Quad::new([tl, tr, br, bl])
    }

    /// Whether `p` lies inside the (convex) quad or on its border.
    pub fn contains(&self, p: Point) -> bool {
        let mut sign = 0.0f32;
        for i in 0..4 {
            let a = self.points[i];
            let b = self.points[(i + 1) % 4];
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
            if cross.abs() < 1e-6 {
                continue;
            }
            if sign == 0.0 {
                sign = cross.signum();
            } else if cross.signum() != sign {
                return false;
            }
        }
        true
    }

    /// Axis-aligned bounds `(min_x, min_y, max_x, max_y)`.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        self.points.iter().fold(
            (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
            |(x0, y0, x1, y1), p| (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y)),
        )
    }
}

/// Shoelace area of a simple polygon (always positive).
pub(crate) fn polygon_area(points: &[Point]) -> f32 {
    let n = points.len();
    let twice: f32 = (0..n)
        .map(|i| {
            let a = points[i];
            let b = points[(i + 1) % n];
            a.x * b.y - b.x * a.y
        })
        .sum();
    twice.abs() / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rect_measures() {
        let q = Quad::from_rect(10.0, 20.0, 110.0, 40.0);
        assert_eq!(q.width(), 100.0);
        assert_eq!(q.height(), 20.0);
        assert_eq!(q.area(), 2000.0);
        assert_eq!(q.perimeter(), 240.0);
        assert_eq!(q.center(), Point::new(60.0, 30.0));
        assert!(q.contains(Point::new(50.0, 30.0)));
        assert!(!q.contains(Point::new(5.0, 30.0)));
    }

    #[test]
    fn unordered_corners_are_sorted() {
        let q = Quad::from_rect(0.0, 0.0, 4.0, 2.0);
        let [a, b, c, d] = q.points;
        assert_eq!(Quad::from_unordered([c, a, d, b]), q);
    }

    #[test]
    fn corner_rotation_moves_the_reading_origin() {
        let q = Quad::from_rect(0.0, 0.0, 4.0, 2.0);
        let turned = q.rotate_corners(1);
        assert_eq!(turned.points[0], q.points[3]);
        assert_eq!(turned.rotate_corners(3), q);
    }
}
