//! What a photo shows inside a region of a card, for the blocking alarm: how much of it is the
//! colour of skin, how much of it is print, and how long an edge of something over it runs.

use image::RgbImage;
use vlocr_field_layout::CardPixels;
use vlocr_geometry::{Point, Quad};

use crate::card_edges::longest_edge;
use crate::contrast::luma;

/// The pixels looked at along each side of a region, at most (a larger region is sampled).
const SAMPLES_PER_SIDE: f32 = 160.0;

/// A photo's pixels, measured for [`CardPixels`].
pub struct PhotoPixels<'a> {
    image: &'a RgbImage,
}

impl<'a> PhotoPixels<'a> {
    /// The pixels of `image`, in whose coordinates the regions are given.
    pub fn new(image: &'a RgbImage) -> Self {
        Self { image }
    }

    /// The colours inside every quad of `within` (and inside the image), sampled on a grid
    /// over the first's bounds.
    fn samples(&self, within: &[Quad]) -> Vec<[u8; 3]> {
        let Some(first) = within.first() else {
            return Vec::new();
        };
        let (x0, y0, x1, y1) = first.bounds();
        let (w, h) = (self.image.width() as f32, self.image.height() as f32);
        let (x0, y0, x1, y1) = (x0.max(0.0), y0.max(0.0), x1.min(w - 1.0), y1.min(h - 1.0));
        if x1 <= x0 || y1 <= y0 {
            return Vec::new();
        }
        let step = ((x1 - x0).max(y1 - y0) / SAMPLES_PER_SIDE).max(1.0);
        let mut colours = Vec::new();
        let mut y = y0;
        while y <= y1 {
            let mut x = x0;
            while x <= x1 {
                if within.iter().all(|quad| quad.contains(Point::new(x, y))) {
                    colours.push(self.image.get_pixel(x as u32, y as u32).0);
                }
                x += step;
            }
            y += step;
        }
        colours
    }
}

/// Skin, lit or shaded: red over green over blue by the margins skin keeps, neither grey nor
/// the saturated red of a seal's ink.
fn is_skin([r, g, b]: [u8; 3]) -> bool {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    r > 90 && (18..=75).contains(&(r - g)) && (10..=50).contains(&(g - b))
}

impl CardPixels for PhotoPixels<'_> {
    fn skin(&self, within: &[Quad]) -> f32 {
        let colours = self.samples(within);
        if colours.is_empty() {
            return 0.0;
        }
        colours.iter().filter(|&&c| is_skin(c)).count() as f32 / colours.len() as f32
    }

    fn ink(&self, quad: &Quad) -> f32 {
        let mut lumas: Vec<u8> = self
            .samples(std::slice::from_ref(quad))
            .into_iter()
            .map(luma)
            .collect();
        if lumas.is_empty() {
            return 0.0;
        }
        lumas.sort_unstable();
        // The paper: the light end of the region (print covers far less than a tenth of it).
        let paper = lumas[lumas.len() * 9 / 10];
        let print = lumas
            .iter()
            .filter(|&&l| paper.saturating_sub(l) > INK_DEPTH)
            .count();
        print as f32 / lumas.len() as f32
    }

    fn edge(&self, card: &Quad) -> f32 {
        longest_edge(self.image, card)
    }
}

/// How much darker than the paper (in luma, 0..255) a pixel of print is at least: the faded
/// print (a worn ribbon) of one photo of seed 10202 is 39-48 darker at its darkest 5%-1%.
const INK_DEPTH: u8 = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn a_thumb_is_measured_on_paper_with_print() {
        let mut image = RgbImage::from_pixel(200, 100, Rgb([235, 238, 236]));
        // A line of print across the left half, a thumb on the right.
        for x in 10..100 {
            for y in 40..50 {
                if x % 4 < 2 {
                    image.put_pixel(x, y, Rgb([30, 30, 35]));
                }
            }
        }
        for x in 150..190 {
            for y in 20..80 {
                image.put_pixel(x, y, Rgb([224, 172, 140]));
            }
        }
        let pixels = PhotoPixels::new(&image);
        let left = Quad::from_rect(0.0, 0.0, 100.0, 100.0);
        let right = Quad::from_rect(100.0, 0.0, 200.0, 100.0);
        assert!(pixels.skin(&[right]) > 0.2);
        assert_eq!(pixels.skin(&[left]), 0.0);
        // Only what lies inside every region counts: the thumb is outside the left half.
        assert_eq!(pixels.skin(&[right, left]), 0.0);
        let thumb_half = Quad::from_rect(150.0, 0.0, 200.0, 100.0);
        assert!(pixels.skin(&[right, thumb_half]) > 0.4);
        // A seal's red, grey paper and a tan table are not skin.
        assert!(!is_skin([200, 60, 60]) && !is_skin([200, 200, 200]));
        assert!(!is_skin([205, 165, 95]));
        // Outside the image, nothing.
        assert_eq!(
            pixels.skin(&[Quad::from_rect(300.0, 0.0, 400.0, 50.0)]),
            0.0
        );
        // Print on the left; none on the bare paper between it and the thumb.
        assert!(pixels.ink(&Quad::from_rect(0.0, 30.0, 100.0, 60.0)) > 0.1);
        assert_eq!(pixels.ink(&Quad::from_rect(105.0, 0.0, 145.0, 100.0)), 0.0);
        assert_eq!(pixels.ink(&Quad::from_rect(300.0, 0.0, 400.0, 50.0)), 0.0);
    }
}
