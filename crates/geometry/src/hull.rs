//! Convex hulls and minimum-area rectangles (rotating calipers over the hull's edges).

use crate::point::{polygon_area, Point, Quad};

/// A rectangle at any angle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RotatedRect {
    /// Centre of the rectangle.
    pub center: Point,
    /// Side length along `angle`.
    pub width: f32,
    /// Side length across `angle`.
    pub height: f32,
    /// Direction of the `width` side, in radians from the x axis.
    pub angle: f32,
}

impl RotatedRect {
    /// The four corners, ordered top-left, top-right, bottom-right, bottom-left in image axes.
    pub fn to_quad(&self) -> Quad {
        let (sin, cos) = self.angle.sin_cos();
        let (hw, hh) = (self.width / 2.0, self.height / 2.0);
        let corner = |u: f32, v: f32| {
            Point::new(
                self.center.x + u * cos - v * sin,
                self.center.y + u * sin + v * cos,
            )
        };
        Quad::from_unordered([
            corner(-hw, -hh),
            corner(hw, -hh),
            corner(hw, hh),
            corner(-hw, hh),
        ])
    }

    /// The same rectangle grown by `distance` on every side.
    pub fn expand(&self, distance: f32) -> RotatedRect {
        RotatedRect {
            width: self.width + 2.0 * distance,
            height: self.height + 2.0 * distance,
            ..*self
        }
    }

    /// Length of the shorter side.
    pub fn short_side(&self) -> f32 {
        self.width.min(self.height)
    }
}

/// Convex hull of `points` (Andrew's monotone chain), counter-clockwise in a y-up frame, without
/// repeated points. Fewer than three distinct points come back as they are (deduplicated).
pub fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    sorted.dedup();
    if sorted.len() < 3 {
        return sorted;
    }
    let cross =
        |o: Point, a: Point, b: Point| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let mut hull: Vec<Point> = Vec::with_capacity(sorted.len() * 2);
    for pass in [
        sorted.as_slice(),
        &sorted.iter().rev().copied().collect::<Vec<_>>(),
    ] {
        let start = hull.len();
        for &p in pass {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// The smallest-area rectangle enclosing a convex polygon (for example a [`convex_hull`]).
/// Returns `None` for an empty input. One or two points give a degenerate (zero-sized) rectangle.
pub fn min_area_rect(hull: &[Point]) -> Option<RotatedRect> {
    match hull.len() {
        0 => return None,
        1 => {
            return Some(RotatedRect {
                center: hull[0],
                width: 0.0,
                height: 0.0,
                angle: 0.0,
            });
        }
        _ => {}
    }
    let mut best: Option<(f32, RotatedRect)> = None;
    for i in 0..hull.len() {
        let a = hull[i];
        let b = hull[(i + 1) % hull.len()];
        let len = a.distance(b);
        if len < 1e-6 {
            continue;
        }
        let (ux, uy) = ((b.x - a.x) / len, (b.y - a.y) / len);
        let (mut min_u, mut max_u, mut min_v, mut max_v) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in hull {
            let (dx, dy) = (p.x - a.x, p.y - a.y);
            let u = dx * ux + dy * uy;
            let v = -dx * uy + dy * ux;
            min_u = min_u.min(u);
            max_u = max_u.max(u);
            min_v = min_v.min(v);
            max_v = max_v.max(v);
        }
        let area = (max_u - min_u) * (max_v - min_v);
        if best.as_ref().is_none_or(|(best_area, _)| area < *best_area) {
            let (cu, cv) = ((min_u + max_u) / 2.0, (min_v + max_v) / 2.0);
            let center = Point::new(a.x + cu * ux - cv * uy, a.y + cu * uy + cv * ux);
            let rect = RotatedRect {
                center,
                width: max_u - min_u,
                height: max_v - min_v,
                angle: uy.atan2(ux),
            };
            best = Some((area, rect));
        }
    }
    best.map(|(_, rect)| rect)
}

/// Area of a convex polygon such as a hull.
#[allow(dead_code)]
pub(crate) fn hull_area(hull: &[Point]) -> f32 {
    polygon_area(hull)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_drops_inner_points() {
        let pts = [
            Point::new(0.0, 0.0),
            Point::new(4.0, 0.0),
            Point::new(4.0, 3.0),
            Point::new(0.0, 3.0),
            Point::new(2.0, 1.0),
            Point::new(1.0, 2.0),
        ];
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4);
        assert_eq!(hull_area(&hull), 12.0);
    }

    #[test]
    fn min_area_rect_of_a_tilted_rectangle() {
        let angle = 0.3f32;
        let rect = RotatedRect {
            center: Point::new(50.0, 40.0),
            width: 60.0,
            height: 10.0,
            angle,
        };
        let quad = rect.to_quad();
        let found = min_area_rect(&convex_hull(&quad.points)).expect("non-empty");
        assert!((found.width * found.height - 600.0).abs() < 0.5);
        assert!((found.width.max(found.height) - 60.0).abs() < 0.01);
        assert!((found.center.x - 50.0).abs() < 0.01 && (found.center.y - 40.0).abs() < 0.01);
    }

    #[test]
    fn expand_grows_every_side() {
        let rect = RotatedRect {
            center: Point::new(0.0, 0.0),
            width: 10.0,
            height: 4.0,
            angle: 0.0,
        };
        let grown = rect.expand(2.0);
        assert_eq!((grown.width, grown.height), (14.0, 8.0));
        assert_eq!(grown.short_side(), 8.0);
    }

    #[test]
    fn degenerate_inputs() {
        assert!(min_area_rect(&[]).is_none());
        let one = min_area_rect(&[Point::new(1.0, 2.0)]).expect("one point");
        assert_eq!(one.width, 0.0);
    }
}
