//! Electronic licenses (电子行驶证): telling the 交管12123 app's screen from a paper card, and
//! reading its rows.

use image::RgbImage;
use vlocr_field_layout::{
    is_electronic_screen, read_electronic, ElectronicField, ElectronicFields,
};

use crate::upright::{from_upright, text_alone, upright_lines};
use crate::{OcrEngine, OcrLine, OcrPage, Result};
use vlocr_geometry::Quad;

/// The mean character confidence a strip of a row needs to count as text whatever it reads:
/// the strips of blank rows (`--`, which the detector misses too) read specks at 0.26-0.40,
/// values at 0.96-0.99 (photos of screens, seed 9862). A fainter strip counts only when it
/// reads a value of its row's field.
const SURE_STRIP: f32 = 0.5;

/// Whether `page` is an electronic license's screen rather than a paper card ([`is_electronic_screen`]: a mark only a screen shows, and
/// rows of its labels).
pub fn is_electronic(page: &OcrPage) -> bool {
    // What is read and in which line tells it: the lattices and places are not needed.
    is_electronic_screen(&text_alone(page))
}

/// Reads the fields of the electronic license's screen in `image`, from `page` (its first pass,
/// as the page readers return it): the lines left unread there are read, then the rows; a row
/// where nothing was found after its label is read again as a strip (a short value far from
/// its label escapes the detector), and the rows once more with it. Value quads are in
/// `image`'s coordinates.
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
    // Rows where the detector found nothing after the label: their strips read as lines. A
    // sure strip is taken as it is; a faint one only when what it reads is a value of its
    // row's field (a lone character a screen's moire leaves faint: `紫` at 0.45).
    if !fields.rows_without_text.is_empty() {
        let (row_fields, strips): (Vec<ElectronicField>, Vec<Quad>) = fields
            .rows_without_text
            .iter()
            .map(|&(field, quad)| (field, back(quad)))
            .unzip();
        let readings = engine.read_strips(image, &strips)?;
        let mut faint = Vec::new();
        for ((field, quad), reading) in row_fields.into_iter().zip(strips).zip(readings) {
            let count = reading.char_confidences.len().max(1) as f32;
            let confidence = reading.char_confidences.iter().sum::<f32>() / count;
            if reading.text.is_empty() {
                continue;
            }
            let line = OcrLine {
                confidence,
                text: reading.text,
                char_confidences: reading.char_confidences,
                lattices: reading.lattices,
                quad,
                detection_score: 0.0,
            };
            if confidence >= SURE_STRIP {
                page.lines.push(line);
            } else {
                faint.push((field, line));
            }
        }
        fields = read_electronic(&upright_lines(&page, width, height));
        for (field, line) in faint {
            page.lines.push(line);
            let with = read_electronic(&upright_lines(&page, width, height));
            if with
                .get(field)
                .is_some_and(|value| value.valid && !value.text.is_empty())
            {
                fields = with;
            } else {
                page.lines.pop();
            }
        }
    }
    for (_, value) in &mut fields.fields {
        value.quad = value.quad.map(&back);
    }
    Ok((page, fields))
}
