//! Plane geometry for vlocr: [`Point`], [`Quad`] (a text box's four corners), [`RotatedRect`],
//! [`Homography`] and quarter-turn page rotations ([`QuarterTurn`]), plus the image operations
//! built on them ([`warp_quad`], [`resize_bilinear`], [`rotate_image`]).
//!
//! Everything here is pure: values in, values out, no I/O and no models, so it is tested at unit
//! speed. Coordinates are pixels with the origin at the top-left corner and y pointing down.

mod homography;
mod hull;
mod point;
mod rotation;
mod warp;

pub use homography::Homography;
pub use hull::{convex_hull, min_area_rect, RotatedRect};
pub use point::{Point, Quad};
pub use rotation::QuarterTurn;
pub use warp::{resize_bilinear, resize_bilinear_window, rotate_image, warp_quad};
