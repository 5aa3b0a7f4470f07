//! Electronic licenses (电子行驶证): telling the 交管12123 app's screen from a paper card, and
//! reading its rows.

use image::RgbImage;
use vlocr_field_layout::{is_electronic_screen, read_electronic, ElectronicFields, TextLine};

use crate::upright::{from_upright, upright_lines};
use crate::{OcrEngine, OcrPage, Result};

/// Whether `page` (read from an image of `width` x `height` pixels) is an electronic license's
/// screen rather than a paper card ([`is_electronic_screen`]: a mark only a screen shows, and
/// rows of its labels).
pub fn is_electronic(page: &OcrPage, width: u32, height: u32) -> bool {
    // Text and places are all it takes: the lattices are not copied.
    let (w, h) = (width as f32, height as f32);
    let lines: Vec<TextLine> = page
        .lines
        .iter()
        .map(|line| TextLine {
            text: line.text.clone(),
            char_confidences: Vec::new(),
            lattices: Vec::new(),
            quad: line.quad.map(|p| page.turn.map_to_upright(p, w, h)),
        })
        .collect();
    is_electronic_screen(&lines)
}

/// Reads the fields of the electronic license's screen in `image`, from `page` (its first pass,
/// as the page readers return it): the lines left unread there are read, then the rows. Value
/// quads are in `image`'s coordinates.
pub fn read_electronic_page(
    engine: &mut OcrEngine,
    image: &RgbImage,
    mut page: OcrPage,
) -> Result<(OcrPage, ElectronicFields)> {
    let (width, height) = image.dimensions();
    if !page.unread.is_empty() {
        let all: Vec<usize> = (0..page.unread.len()).collect();
        engine.read_unread(image, &mut page, &all)?;
    }
    let mut fields = read_electronic(&upright_lines(&page, width, height));
    let back = from_upright(&page, width, height);
    for (_, value) in &mut fields.fields {
        value.quad = value.quad.map(&back);
    }
    Ok((page, fields))
}
