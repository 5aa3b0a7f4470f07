//! A page's lines as the field layout takes them: in the upright page's coordinates (and quads
//! mapped back), or their text alone.

use vlocr_field_layout::TextLine;
use vlocr_geometry::Quad;

use crate::OcrPage;

/// `page`'s lines, read from an image of `width` x `height` pixels, in the upright page's
/// coordinates.
pub(crate) fn upright_lines(page: &OcrPage, width: u32, height: u32) -> Vec<TextLine> {
    let (w, h) = (width as f32, height as f32);
    page.lines
        .iter()
        .map(|line| TextLine {
            text: line.text.clone(),
            char_confidences: line.char_confidences.clone(),
            lattices: line.lattices.clone(),
            quad: line.quad.map(|p| page.turn.map_to_upright(p, w, h)),
        })
        .collect()
}

/// Maps a quad of `page`'s upright page back to the image as given (of `width` x `height`
/// pixels); each corner moves with the page, so the first is still the reader's top-left.
pub(crate) fn from_upright(page: &OcrPage, width: u32, height: u32) -> impl Fn(Quad) -> Quad {
    let (w, h) = (width as f32, height as f32);
    let turn = page.turn;
    let (upright_w, upright_h) = if turn.quarters() % 2 == 1 {
        (h, w)
    } else {
        (w, h)
    };
    move |q: Quad| q.map(|p| turn.map_from_upright(p, upright_w, upright_h))
}

/// `page`'s lines with their text alone (quads as read, no confidences or lattices): for what
/// depends on what was read and in which line, not on where.
pub(crate) fn text_alone(page: &OcrPage) -> Vec<TextLine> {
    page.lines
        .iter()
        .map(|line| TextLine {
            text: line.text.clone(),
            char_confidences: Vec::new(),
            lattices: Vec::new(),
            quad: line.quad,
        })
        .collect()
}
