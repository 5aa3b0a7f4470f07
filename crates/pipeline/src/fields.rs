//! From an image's text lines to the license fields.

use vlocr_field_layout::{read_front, FrontFields, TextLine};
use vlocr_geometry::Quad;

use crate::OcrPage;

/// The main-page fields of `page`, read from an image of `width` x `height` pixels. Field
/// quads are in the image's own coordinates, corners in reading order.
pub fn front_fields(page: &OcrPage, width: u32, height: u32) -> FrontFields {
    let (w, h) = (width as f32, height as f32);
    let turn = page.turn;
    let lines: Vec<TextLine> = page
        .lines
        .iter()
        .map(|line| TextLine {
            text: line.text.clone(),
            char_confidences: line.char_confidences.clone(),
            quad: line.quad.map(|p| turn.map_to_upright(p, w, h)),
        })
        .collect();
    let mut fields = read_front(&lines);
    // Back from the upright page to the image as given; each corner moves with the page, so
    // the first is still the reader's top-left.
    let (upright_w, upright_h) = if turn.quarters() % 2 == 1 {
        (h, w)
    } else {
        (w, h)
    };
    for (_, value) in &mut fields.fields {
        value.quad = value
            .quad
            .map(|q: Quad| q.map(|p| turn.map_from_upright(p, upright_w, upright_h)));
    }
    fields
}
