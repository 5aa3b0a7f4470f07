//! Page rotations by multiples of 90 degrees.

use serde::{Deserialize, Serialize};

use crate::point::Point;

/// How far a page in an image is turned clockwise from upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum QuarterTurn {
    /// Upright.
    #[default]
    None,
    /// Turned 90 degrees clockwise (text runs top to bottom).
    Clockwise90,
    /// Upside down.
    Half,
    /// Turned 270 degrees clockwise, i.e. 90 counter-clockwise (text runs bottom to top).
    Clockwise270,
}

impl QuarterTurn {
    /// All four turns, upright first.
    pub const ALL: [QuarterTurn; 4] = [
        Self::None,
        Self::Clockwise90,
        Self::Half,
        Self::Clockwise270,
    ];

    /// Number of clockwise quarter turns, 0..=3.
    pub fn quarters(self) -> usize {
        match self {
            Self::None => 0,
            Self::Clockwise90 => 1,
            Self::Half => 2,
            Self::Clockwise270 => 3,
        }
    }

    /// The turn of `quarters` clockwise quarter turns (taken modulo 4).
    pub fn from_quarters(quarters: usize) -> Self {
        Self::ALL[quarters % 4]
    }

    /// Clockwise degrees: 0, 90, 180 or 270.
    pub fn degrees(self) -> u32 {
        self.quarters() as u32 * 90
    }

    /// The turn that undoes this one.
    pub fn inverse(self) -> Self {
        Self::from_quarters(4 - self.quarters())
    }

    /// Both turns applied one after the other.
    pub fn then(self, other: QuarterTurn) -> Self {
        Self::from_quarters(self.quarters() + other.quarters())
    }

    /// Maps a point of an upright image of size `upright_w` x `upright_h` into the image turned
    /// by `self` (continuous pixel coordinates, so corners map onto corners).
    pub fn map_from_upright(self, p: Point, upright_w: f32, upright_h: f32) -> Point {
        match self {
            Self::None => p,
            Self::Clockwise90 => Point::new(upright_h - p.y, p.x),
            Self::Half => Point::new(upright_w - p.x, upright_h - p.y),
            Self::Clockwise270 => Point::new(p.y, upright_w - p.x),
        }
    }

    /// Maps a point of the turned image (of size `turned_w` x `turned_h`) back into the upright
    /// image: the inverse of [`QuarterTurn::map_from_upright`].
    pub fn map_to_upright(self, p: Point, turned_w: f32, turned_h: f32) -> Point {
        self.inverse().map_from_upright(p, turned_w, turned_h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let (w, h) = (200.0, 100.0);
        let p = Point::new(30.0, 10.0);
        for turn in QuarterTurn::ALL {
            let (tw, th) = if turn.quarters() % 2 == 1 {
                (h, w)
            } else {
                (w, h)
            };
            let turned = turn.map_from_upright(p, w, h);
            assert!(turned.x >= 0.0 && turned.x <= tw && turned.y >= 0.0 && turned.y <= th);
            assert_eq!(turn.map_to_upright(turned, tw, th), p, "{turn:?}");
        }
    }

    #[test]
    fn clockwise_moves_top_left_to_top_right() {
        let p = QuarterTurn::Clockwise90.map_from_upright(Point::new(0.0, 0.0), 200.0, 100.0);
        assert_eq!(p, Point::new(100.0, 0.0));
        assert_eq!(
            QuarterTurn::Clockwise90.then(QuarterTurn::Clockwise270),
            QuarterTurn::None
        );
        assert_eq!(QuarterTurn::Clockwise90.degrees(), 90);
    }
}
