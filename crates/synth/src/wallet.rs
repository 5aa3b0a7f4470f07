//! Both pages in one picture: the open wallet (pages side by side, or one above the other),
//! or the two pages lying apart on a table, each at its own slant.

use image::{Rgb, RgbImage};
use vlocr_geometry::{Point, Quad};

use crate::front::{HEIGHT, WIDTH};
use crate::photo::paste;
use crate::Random;

/// How the two pages lie in the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    /// In the open wallet, side by side with a gutter.
    SideBySide {
        /// The main page on the left.
        main_first: bool,
    },
    /// In a wallet that opens upwards: one page above the other.
    Stacked {
        /// The main page on top.
        main_first: bool,
    },
    /// Out of the wallet on a table, each turned by a few degrees of its own.
    Apart {
        /// The main page left (top).
        main_first: bool,
        /// Next to each other, not one above the other.
        across: bool,
    },
}

impl Arrangement {
    /// Draws an arrangement with the main page first (left or top) or not: most photos show
    /// the wallet opened flat.
    pub fn draw(main_first: bool, random: &mut Random) -> Arrangement {
        let roll = random.unit();
        if roll < 0.6 {
            Arrangement::SideBySide { main_first }
        } else if roll < 0.8 {
            Arrangement::Stacked { main_first }
        } else {
            let across = random.chance(0.6);
            Arrangement::Apart { main_first, across }
        }
    }
}

/// The two pages (`front`, `back`: each a card of the main page's size) in one picture, as
/// `arrangement` lays them.
pub fn lay(
    front: &RgbImage,
    back: &RgbImage,
    arrangement: Arrangement,
    random: &mut Random,
) -> RgbImage {
    let (Arrangement::SideBySide { main_first }
    | Arrangement::Stacked { main_first }
    | Arrangement::Apart { main_first, .. }) = arrangement;
    // The pages left to right, or top to bottom.
    let pages = if main_first {
        [front, back]
    } else {
        [back, front]
    };
    match arrangement {
        Arrangement::SideBySide { .. } => open_wallet(pages, true, random),
        Arrangement::Stacked { .. } => open_wallet(pages, false, random),
        Arrangement::Apart { across, .. } => apart(pages, across, random),
    }
}

/// Both pages (left to right, or top to bottom) in the open wallet: a leather surround, the
/// pages side by side (`across`) or one above the other, with a gutter.
fn open_wallet([first, second]: [&RgbImage; 2], across: bool, random: &mut Random) -> RgbImage {
    let border = 48;
    let gutter = 70;
    let (w, h) = (WIDTH, HEIGHT);
    let leather = *random.pick(&[[52u8, 38, 34], [28, 28, 30], [96, 40, 36], [40, 48, 70]]);
    let (total_w, total_h) = if across {
        (2 * w + gutter + 2 * border, h + 2 * border)
    } else {
        (w + 2 * border, 2 * h + gutter + 2 * border)
    };
    let fold = if across { border + w } else { border + h } + gutter / 2;
    let mut wallet = RgbImage::from_fn(total_w, total_h, |x, y| {
        // A faint grain, and the gutter's shadow.
        let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 9) as u8;
        let along = if across { x } else { y };
        let centre = (i64::from(along) - i64::from(fold)).unsigned_abs() as f32;
        let shade = (1.0 - (centre / gutter as f32).min(1.0)) * 20.0;
        Rgb(leather.map(|c| c.saturating_add(grain).saturating_sub(shade as u8)))
    });
    let (second_x, second_y) = if across {
        (border + w + gutter, border)
    } else {
        (border, border + h + gutter)
    };
    image::imageops::replace(&mut wallet, first, i64::from(border), i64::from(border));
    image::imageops::replace(
        &mut wallet,
        second,
        i64::from(second_x),
        i64::from(second_y),
    );
    wallet
}

/// The two pages (left to right, or top to bottom) on a table: a plain surface, the pages a gap
/// apart next to each other (`across`) or one above the other, each turned by up to 5 degrees
/// and shifted a little along the other axis.
fn apart(pages: [&RgbImage; 2], across: bool, random: &mut Random) -> RgbImage {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let margin = 0.04 * w;
    let gap = random.range(0.04, 0.15) * w;
    let (total_w, total_h) = if across {
        (2.0 * w + gap + 2.0 * margin, h + 2.0 * margin)
    } else {
        (w + 2.0 * margin, 2.0 * h + gap + 2.0 * margin)
    };
    let table = *random.pick(&[
        [214u8, 208, 196],
        [150, 112, 78],
        [88, 92, 98],
        [232, 232, 228],
    ]);
    let mut picture = RgbImage::from_fn(total_w as u32, total_h as u32, |x, y| {
        let grain = ((x.wrapping_mul(6007) ^ y.wrapping_mul(97_003)) % 7) as u8;
        Rgb(table.map(|c| c.saturating_sub(grain)))
    });
    let centres = if across {
        [
            Point::new(margin + w / 2.0, total_h / 2.0),
            Point::new(margin + w + gap + w / 2.0, total_h / 2.0),
        ]
    } else {
        [
            Point::new(total_w / 2.0, margin + h / 2.0),
            Point::new(total_w / 2.0, margin + h + gap + h / 2.0),
        ]
    };
    for (card, centre) in pages.into_iter().zip(centres) {
        let angle = random.range(-5.0, 5.0).to_radians();
        let shift = random.range(-0.06, 0.06) * if across { h } else { w };
        let centre = if across {
            Point::new(centre.x, centre.y + shift)
        } else {
            Point::new(centre.x + shift, centre.y)
        };
        let (sin, cos) = angle.sin_cos();
        let corners = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(sx, sy)| {
            let (x, y) = (sx * w / 2.0, sy * h / 2.0);
            Point::new(centre.x + x * cos - y * sin, centre.y + x * sin + y * cos)
        });
        paste(&mut picture, card, &Quad::new(corners));
    }
    picture
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_arrangement_is_drawn_and_the_wallet_opened_flat_most() {
        let mut random = Random::new(7);
        let drawn: Vec<Arrangement> = (0..400)
            .map(|i| Arrangement::draw(i % 3 > 0, &mut random))
            .collect();
        let side_by_side = drawn
            .iter()
            .filter(|a| matches!(a, Arrangement::SideBySide { .. }))
            .count();
        assert!((200..290).contains(&side_by_side), "{side_by_side}");
        assert!(drawn
            .iter()
            .any(|a| matches!(a, Arrangement::Stacked { main_first: false })));
        assert!(drawn
            .iter()
            .any(|a| matches!(a, Arrangement::Apart { across: false, .. })));
    }

    #[test]
    fn pages_one_above_the_other_make_a_tall_picture() {
        let page = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([250, 250, 250]));
        let mut random = Random::new(3);
        let tall = lay(
            &page,
            &page,
            Arrangement::Stacked { main_first: true },
            &mut random,
        );
        assert!(tall.height() > 2 * HEIGHT && tall.width() < 2 * WIDTH);
        let apart = lay(
            &page,
            &page,
            Arrangement::Apart {
                main_first: true,
                across: true,
            },
            &mut random,
        );
        assert!(apart.width() > 2 * WIDTH && apart.height() < 2 * HEIGHT);
    }
}
