//! The detector's search of an image: the side it is given, the runs a request may make, and a
//! page on its side searched again turned a quarter.

use std::borrow::Cow;

use image::RgbImage;
use vlocr_geometry::{resize_bilinear, rotate_image, Point, Quad, QuarterTurn};
use vlocr_text_detector::preprocess::target_size;
use vlocr_text_detector::{SideLimit, TextBox};

use super::OcrEngine;
use crate::card_region::search_region;
use crate::{orientation, Result};

/// Text lines that the detector finds of one page whose print it sees whole: a main page has
/// 11 values and 10 labels (some of them read as one line), a back page as many. Turned main
/// pages of seed 11824 (21 of its 100 photos) showed 14-34 lines running down, 25 at the
/// median; where fewer are found, the page is searched again turned a quarter
/// ([`OcrEngine::with_lines_expected`]).
pub const PAGE_LINES: usize = 20;

impl OcrEngine {
    /// Runs `read` with the detector's search expecting `lines` text lines (a page's
    /// [`PAGE_LINES`] by default; `usize::MAX` to search every page on its side turned as
    /// well): a page on its side whose first search found fewer lines running down the image
    /// is searched again turned a quarter.
    pub fn with_lines_expected<T>(
        &mut self,
        lines: usize,
        read: impl FnOnce(&mut OcrEngine) -> Result<T>,
    ) -> Result<T> {
        let own = std::mem::replace(&mut self.lines_expected, lines);
        let read = read(self);
        self.lines_expected = own;
        read
    }

    /// The next readings may run the detector `runs` times in all (`None`: as often as they
    /// need): a page reading (the first pass over an image or a close-up) is one run, and its
    /// search turned a quarter, where it makes one, another. A page reading begun while runs
    /// are left is made whole; one asked for when none are left finds no lines, so a search
    /// that reads the image again at other scales or from close-ups ends with the readings it
    /// has made (see [`crate::DETECTIONS_PER_REQUEST`]). Set again for each request.
    pub fn set_detection_budget(&mut self, runs: Option<u32>) {
        self.detections_left = runs;
    }

    /// Gives the next request its own budget of
    /// [`crate::OcrParams::detections_per_request`] detector runs
    /// ([`OcrEngine::set_detection_budget`]); its first search of the image is made within the
    /// card's paper where that stands out. An engine made has no limit until this is called,
    /// so that a caller reading image after image without it is never cut short.
    pub fn renew_detection_budget(&mut self) {
        self.detections_left = self.detections_per_request;
        self.search_paper_first = true;
    }

    /// [`OcrEngine::renew_detection_budget`] where a budget is in force (a request's): for a
    /// search within a request that has runs of its own (each page of an open wallet). A
    /// reading made without a budget stays without.
    pub fn renew_detection_budget_if_limited(&mut self) {
        if self.detections_left.is_some() {
            self.detections_left = self.detections_per_request;
        }
    }

    /// Takes one detector run from the budget: false, and nothing taken, when `needed` and none
    /// is left; a run not `needed` (part of a reading already begun) is taken while any is.
    fn take_detection(&mut self, needed: bool) -> bool {
        match &mut self.detections_left {
            Some(0) => !needed,
            Some(left) => {
                *left -= 1;
                true
            }
            None => true,
        }
    }

    /// Runs `read` with the detector given at least `side` pixels of an image's longer side
    /// (rounded to a multiple of 32), for an image whose text is smaller than a single card's:
    /// the engine's own setting stands where larger, or where it limits the shorter side.
    pub fn with_detector_side<T>(
        &mut self,
        side: u32,
        read: impl FnOnce(&mut OcrEngine) -> Result<T>,
    ) -> Result<T> {
        let own = self.detector.params().side_len;
        self.with_detector_side_exactly(own.max(side), read)
    }

    /// The detector's side: the longer side of its input, in pixels, for a larger image;
    /// `None` when it limits the shorter side instead.
    pub fn detector_side(&self) -> Option<u32> {
        let params = self.detector.params();
        (params.side_limit == SideLimit::Max).then_some(params.side_len)
    }

    /// Runs `read` with the detector given `side` pixels of an image's longer side (rounded to
    /// a multiple of 32), smaller or larger than its own; a detector set to limit the shorter
    /// side keeps its setting.
    pub fn with_detector_side_exactly<T>(
        &mut self,
        side: u32,
        read: impl FnOnce(&mut OcrEngine) -> Result<T>,
    ) -> Result<T> {
        let own = self.detector.params().side_len;
        if self.detector.params().side_limit == SideLimit::Max {
            self.detector.params_mut().side_len = side;
        }
        let read = read(self);
        self.detector.params_mut().side_len = own;
        read
    }

    /// The text boxes of `image`. When more of the text found runs down the image than across
    /// it (a page on its side), and fewer lines than the pages sought print
    /// ([`OcrEngine::with_lines_expected`]), the image is also searched turned a quarter, and
    /// the boxes that find more text are kept, in `image`'s coordinates: the detector finds
    /// far less of a small or blurred page's print when its lines stand upright than when they
    /// lie along the rows it was trained on. A page whose lines were found is not searched
    /// again.
    ///
    /// The first search of a request ([`OcrEngine::renew_detection_budget`]) is made within
    /// the card's paper where it stands out from what it lies on (`search_region`), at the
    /// scale of the whole image: fewer pixels for the detector. Its later searches (other
    /// scales, close-ups, a page not found) are made in the whole image, so that a region that
    /// missed part of the card costs time, not fields.
    pub(super) fn detect_along_the_text(&mut self, image: &RgbImage) -> Result<Vec<TextBox>> {
        self.before_model_run()?;
        if !self.take_detection(true) {
            return Ok(Vec::new());
        }
        let region = std::mem::take(&mut self.search_paper_first)
            .then(|| search_region(image))
            .flatten();
        let boxes = match region {
            Some(region) => self.detector.detect_within(image, region)?,
            None => self.detector.detect(image)?,
        };
        let (across, down) = orientation::text_along_axes(&boxes);
        if down <= across || orientation::lines_down(&boxes) >= self.lines_expected {
            return Ok(boxes);
        }
        self.take_detection(false);
        // Turned at the size the detector works at (an image larger than that is not copied
        // whole), then mapped back to `image`'s coordinates.
        let (width, height) = image.dimensions();
        let (w, h) = target_size(width, height, self.detector.params());
        let resized = if (w, h) == (width, height) {
            Cow::Borrowed(image)
        } else {
            Cow::Owned(resize_bilinear(image, w, h))
        };
        let turn = QuarterTurn::Clockwise90;
        let turned = rotate_image(&resized, turn);
        drop(resized);
        let found = self.detector.detect(&turned)?;
        self.work.page_reads += 1;
        let (to_x, to_y) = (width as f32 / w as f32, height as f32 / h as f32);
        let found: Vec<TextBox> = found
            .into_iter()
            .map(|b| TextBox {
                quad: Quad::from_unordered(b.quad.points.map(|p| {
                    let upright = turn.map_to_upright(p, h as f32, w as f32);
                    Point::new(upright.x * to_x, upright.y * to_y)
                })),
                score: b.score,
            })
            .collect();
        let (turned_across, turned_down) = orientation::text_along_axes(&found);
        Ok(if turned_across + turned_down > down {
            found
        } else {
            boxes
        })
    }
}
