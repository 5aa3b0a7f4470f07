//! What is wrong with a photo of a card (vlocr's `quality_warnings`): a black-and-white copy,
//! blur, the card cut by the frame, a photo of a screen, a reflection; measured on the card's
//! own pixels.

use image::RgbImage;
use vlocr_geometry::{resize_bilinear, Point, Quad};

/// The card's longer side, in pixels, at most, when its quality is measured: a larger card is
/// scaled down to it, so that blur is told in the card's terms (a large card's blur spans more
/// of the photo's pixels). A smaller one is measured at the photo's own scale: scaling it up
/// would soften its edges as blur does (each page of a photo of both pages is small).
const MEASURED_SIDE: f32 = 1000.0;

/// The share of the card (from its centre) that is measured.
const INNER: f32 = 0.85;

/// Below this sharpness ([`CardQuality::sharpness`]) the photo is blurred: set halfway between
/// the warning cases of seeds 12001, 12002 and 12003 (`vlocr synth --warning-cases`, 520
/// photos): blurred main pages 0.191 at most but for two (0.252, 0.304), blurred back pages
/// 0.194 at most but for one (0.277); every other photo 0.283 and up (main pages 0.349 and up).
const BLURRED_BELOW: f32 = 0.24;

/// Below this colour ([`CardQuality::colour`]) a main page is a black-and-white copy: set on
/// seed 9821's warning cases, between the copies (at most 15.5) and the cards (at least 27:
/// the red seal; 23 on the ordinary photos of seed 9701). A back page, printed in black on a
/// faintly tinted paper, can show as little colour as a copy of it: it is a copy when its
/// paper is plain as well ([`PAPER_PLAIN_BELOW`]).
const GREY_BELOW: f32 = 19.0;

/// Below this variation of the paper's hue ([`CardQuality::paper_hue`]) a back page as grey
/// as a copy ([`GREY_BELOW`]) is one: set on seed 12001's warning cases of back pages (`vlocr
/// synth --warning-cases --side back`, 120 photos: copies at most 0.99, 0.12 but for two;
/// cards under the grey threshold 1.88 and up).
const PAPER_PLAIN_BELOW: f32 = 1.3;

/// Below this variation of one ratio of the paper's channels ([`CardQuality::paper_ratio_hue`])
/// a back page as grey as a copy, whose paper's hue as a whole is not told (a channel at the
/// camera's white), is one: on the back pages of the warning cases of seeds 12001-12003, 12201
/// and 12202 and the back photos of seeds 11604 and 12172 (720 photos), such copies measure at
/// most 0.067 (5 of 26; the others are not measured, their paper at the camera's white in every
/// channel, or 0.6 and up), such cards 0.33 and up (32 measured).
const PAPER_RATIO_PLAIN_BELOW: f32 = 0.2;

/// Below this colour ([`CardQuality::colour`]) a back page whose paper's hue is told by neither
/// measure (its paper at the camera's white in every channel) is a copy: no colour at all, the
/// channels apart by JPEG's noise alone. Such back pages measure 0, 0, 2 and 7.5 when copies,
/// 6.75 and up when cards (the warning cases of seeds 12306 and 12606, the back photos of seed
/// 12604: 350 photos; every other card at least 6).
const COLOURLESS_BELOW: f32 = 4.0;

/// Above this share of the card's colour turning at one fine frequency ([`CardQuality::moire`])
/// the card was shown on a screen and photographed. Photos of cards measure at most 0.016 (160
/// ordinary photos of seeds 9801, 9803 and 9804), 0.0124 (100 main pages of seed 11901), 0.0099
/// (100 back pages of seed 11604), 0.0048 (60 hard photos of seed 11702) and 0.0082 (the other
/// warning cases of seed 12002); screens spread from 0.0096 up (seed 12002: 41 screens, a
/// quarter under 0.03; seed 12001's 29 back pages: 0.0102, 0.017, then 0.0217 and up). Set
/// between, clear of every card measured.
pub(crate) const MOIRE_ABOVE: f32 = 0.02;

/// Above this share of the card's middle washed out to white in one patch
/// ([`CardQuality::washed_out`]) a reflection hides part of it: set on seed 10501's warning
/// cases (`vlocr synth --warning-cases`: reflections 0.022 and up but on four cards whose paper
/// is itself lit to white, its median luma 246 and up, 0.0006 or 0 there; every other photo at
/// most 0.0021) and the ordinary photos of seeds 10511, 10513 and 10514 (at most 0.0006);
/// measured with cells of 10 pixels of the card seen 1,000 long, as large cards still are.
const WASHED_OUT_ABOVE: f32 = 0.01;

/// What is wrong with a photo, as `quality_warnings` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityWarning {
    /// A black-and-white copy (a photocopy, a grey print) rather than the card.
    Copy,
    /// The photo is out of focus or shaken: values are hard to read.
    Blur,
    /// Part of the card is outside the photo.
    Incomplete,
    /// A photo of a screen showing the card (moire), not of the card.
    Recapture,
    /// A light's reflection washes part of the card out to white.
    Reflection,
}

impl QualityWarning {
    /// Its name in `quality_warnings`.
    pub fn name(self) -> &'static str {
        match self {
            QualityWarning::Copy => "copy",
            QualityWarning::Blur => "blur",
            QualityWarning::Incomplete => "incomplete",
            QualityWarning::Recapture => "recapture",
            QualityWarning::Reflection => "reflection",
        }
    }
}

/// Measures of a card's pixels, at `MEASURED_SIDE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardQuality {
    /// How steep the card's sharpest edges are against its contrast: the 99.5th percentile of
    /// the luma gradient (per pixel, taken across two) over the spread of its luma (0.5th to
    /// 95th percentile). 0.28-0.54 on the 874 pages in focus measured for it, less the more it
    /// is blurred.
    pub sharpness: f32,
    /// How coloured the card is once its paper is made white: the 99th percentile of each
    /// pixel's spread between channels (0-255), each channel scaled by its median.
    pub colour: f32,
    /// How much the paper's hue varies over the card (`paper_hue`; `None` when too little bare
    /// paper keeps its hue): a card's security background is printed in colour, a copy's
    /// paper is plain.
    pub paper_hue: Option<f32>,
    /// The same on one ratio of the paper's channels, red or blue over green, the larger
    /// (`paper_hue`; `None` when neither is left): where the light has taken one channel to
    /// the camera's white, the other two still tell the paper's hue.
    pub paper_ratio_hue: Option<f32>,
    /// How periodic the card's colour is, at the image's own scale (`crate::moire::moire`; 0
    /// when not measured): a screen's pixel grid photographed.
    pub moire: f32,
    /// The share of the card's middle in its largest patch lit to the camera's white, brighter
    /// than its paper and without print (`crate::reflection::washed_out`): a reflection.
    pub washed_out: f32,
}

/// The quality of the card whose corners are `outline` in `image`; `None` when too little of
/// it is in the image to tell.
pub fn card_quality(image: &RgbImage, outline: &Quad) -> Option<CardQuality> {
    let (width, height) = image.dimensions();
    let (x0, y0, x1, y1) = outline.bounds();
    let clip = |v: f32, max: u32| v.clamp(0.0, max as f32) as u32;
    let (cx0, cy0, cx1, cy1) = (
        clip(x0, width),
        clip(y0, height),
        clip(x1, width),
        clip(y1, height),
    );
    if cx1 < cx0 + 16 || cy1 < cy0 + 16 {
        return None;
    }
    let [a, b, c, _] = outline.points;
    let long = a.distance(b).max(b.distance(c)).max(1.0);
    let scale = (MEASURED_SIDE / long).min(1.0);
    let crop = image::imageops::crop_imm(image, cx0, cy0, cx1 - cx0, cy1 - cy0).to_image();
    let (w, h) = (
        ((crop.width() as f32 * scale) as u32).max(1),
        ((crop.height() as f32 * scale) as u32).max(1),
    );
    let seen = resize_bilinear(&crop, w, h);
    // The card's middle: a frame fitted to the labels can reach past the card's edge, onto
    // the table it lies on.
    let centre = outline.center();
    let corners = outline.points.map(|p| {
        let p = Point::new(
            centre.x + (p.x - centre.x) * INNER,
            centre.y + (p.y - centre.y) * INNER,
        );
        Point::new((p.x - cx0 as f32) * scale, (p.y - cy0 as f32) * scale)
    });
    // Each pixel's luma, and whether it is on the card's measured middle.
    let lumas_of: Vec<f32> = seen
        .pixels()
        .map(|p| {
            let [r, g, b] = p.0.map(f32::from);
            0.299 * r + 0.587 * g + 0.114 * b
        })
        .collect();
    let luma = |x: u32, y: u32| lumas_of[(y * w + x) as usize];
    let mut lumas = Histogram::default();
    let mut channels = [
        Histogram::default(),
        Histogram::default(),
        Histogram::default(),
    ];
    let mut measured: Vec<(u32, u32)> = Vec::new();
    // Every other pixel of every other row: as many as the percentiles need, a quarter of the
    // time (the gradient is still taken between a pixel's neighbours).
    for y in (1..h.saturating_sub(1)).step_by(2) {
        for x in (1..w.saturating_sub(1)).step_by(2) {
            if !inside_convex(&corners, Point::new(x as f32, y as f32)) {
                continue;
            }
            measured.push((x, y));
            let pixel = seen.get_pixel(x, y).0;
            for (histogram, &v) in channels.iter_mut().zip(&pixel) {
                histogram.add(f32::from(v));
            }
            lumas.add(luma(x, y));
        }
    }
    if lumas.count < 500 {
        return None;
    }
    // Sharpness is measured where the print shows: a reflection's washed-out patch has no edges
    // and is brighter than the paper, so counted it would make a sharp card's contrast look
    // wider and its edges fewer (blur told on reflections: seed 11201, 2 of 28).
    let paper = lumas.percentile(0.5);
    let washed = crate::reflection::WashedPixel::on_paper(paper);
    let mut shown = Histogram::default();
    let mut gradients = Histogram::default();
    for &(x, y) in &measured {
        if washed
            .as_ref()
            .is_some_and(|w| w.is(seen.get_pixel(x, y).0, luma(x, y)))
        {
            continue;
        }
        shown.add(luma(x, y));
        let across = (luma(x + 1, y) - luma(x - 1, y)).abs();
        let down = (luma(x, y + 1) - luma(x, y - 1)).abs();
        gradients.add(across.max(down) / 2.0);
    }
    if shown.count < 500 {
        return None;
    }
    // The spread runs down to the darkest print: a back page's barcode bars are blacker than
    // its text, and their edges, the steepest, measured against the text's spread alone made a
    // blurred back page look sharp.
    let spread = (shown.percentile(0.95) - shown.percentile(0.005)).max(1.0);
    let sharpness = gradients.percentile(0.995) / spread;
    let medians = channels.each_ref().map(|h| h.percentile(0.5).max(1.0));
    let mean = medians.iter().sum::<f32>() / 3.0;
    let gains = medians.map(|m| mean / m);
    let mut colours = Histogram::default();
    for &(x, y) in &measured {
        let [r, g, b] = seen.get_pixel(x, y).0.map(f32::from);
        let (r, g, b) = (r * gains[0], g * gains[1], b * gains[2]);
        colours.add(r.max(g).max(b) - r.min(g).min(b));
    }
    let (paper_hue, paper_ratio_hue) =
        crate::paper_hue::paper_hue(&seen, &measured, &lumas_of, paper, gains);
    Some(CardQuality {
        sharpness,
        colour: colours.percentile(0.99),
        paper_hue,
        paper_ratio_hue,
        moire: crate::moire::moire(image, outline).unwrap_or(0.0),
        washed_out: crate::reflection::washed_out(&seen, long * scale, &lumas_of, &measured, paper),
    })
}

/// The warnings for a card of `quality` (`None`: not measured), a main page when `main_page`,
/// whose border is cut by the image's edge when `border_incomplete` (Huawei's border alarm).
/// A card with no colour is a copy when it is a whole main page (a cut one may have lost its
/// seal, the colour that tells it from a copy; a blurred or washed-out one may have lost the
/// seal's colour) or its paper is plain (a back page is printed in black); paper whose hue
/// cannot be measured is taken as plain when the card shows no colour at all
/// (under `COLOURLESS_BELOW`), but on a main page whose seal blur or a reflection may have
/// faded.
pub fn quality_warnings(
    quality: Option<CardQuality>,
    main_page: bool,
    border_incomplete: bool,
) -> Vec<QualityWarning> {
    let mut warnings = Vec::new();
    if let Some(quality) = quality {
        let seen_plain = match (quality.paper_hue, quality.paper_ratio_hue) {
            (Some(hue), _) => Some(hue < PAPER_PLAIN_BELOW),
            (None, Some(hue)) => Some(hue < PAPER_RATIO_PLAIN_BELOW),
            (None, None) => None,
        };
        // A main page's colour is its red seal, which blur spreads thin and a reflection
        // washes out: such a page is a copy only where its paper is seen to be plain.
        let seal_faded = quality.sharpness < BLURRED_BELOW || quality.washed_out > WASHED_OUT_ABOVE;
        let plain_paper = match seen_plain {
            Some(plain) => plain,
            None => !(main_page && seal_faded) && quality.colour < COLOURLESS_BELOW,
        };
        let whole_seal = main_page && !border_incomplete && !seal_faded;
        if quality.colour < GREY_BELOW && (whole_seal || plain_paper) {
            warnings.push(QualityWarning::Copy);
        }
        if quality.sharpness < BLURRED_BELOW {
            warnings.push(QualityWarning::Blur);
        }
        if quality.moire > MOIRE_ABOVE {
            warnings.push(QualityWarning::Recapture);
        }
        if quality.washed_out > WASHED_OUT_ABOVE {
            warnings.push(QualityWarning::Reflection);
        }
    }
    if border_incomplete {
        warnings.push(QualityWarning::Incomplete);
    }
    warnings
}

/// Whether `p` is inside the convex quadrilateral `corners` (in order, either way round).
fn inside_convex(corners: &[Point; 4], p: Point) -> bool {
    let sides: Vec<f32> = (0..4)
        .map(|i| {
            let (a, b) = (corners[i], corners[(i + 1) % 4]);
            (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
        })
        .collect();
    sides.iter().all(|&s| s >= 0.0) || sides.iter().all(|&s| s <= 0.0)
}

/// Values 0..=255 counted in 1024 bins of a quarter each, for percentiles.
struct Histogram {
    bins: Vec<u32>,
    count: u32,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            bins: vec![0; 1024],
            count: 0,
        }
    }
}

impl Histogram {
    fn add(&mut self, value: f32) {
        let bin = (value * 4.0).clamp(0.0, 1023.0) as usize;
        self.bins[bin] += 1;
        self.count += 1;
    }

    /// The value below which `share` of the values lie.
    fn percentile(&self, share: f32) -> f32 {
        let wanted = (share * self.count as f32).ceil() as u32;
        let mut seen = 0;
        for (bin, &n) in self.bins.iter().enumerate() {
            seen += n;
            if seen >= wanted.max(1) {
                return bin as f32 / 4.0;
            }
        }
        255.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A card of black strokes on tinted paper, with a red seal, blurred by `blur` pixels.
    fn card(blur: u32, grey: bool) -> RgbImage {
        let mut image = sealed(printed_page());
        if grey {
            image = greyed(image);
        }
        if blur == 0 {
            image
        } else {
            image::imageops::blur(&image, blur as f32)
        }
    }

    /// Black strokes on paper whose tint turns from blue to pink across the card (as a
    /// security background does).
    fn printed_page() -> RgbImage {
        printed_on(|t| {
            Rgb([
                (230.0 + 14.0 * t) as u8,
                (240.0 - 4.0 * t) as u8,
                (244.0 - 2.0 * t) as u8,
            ])
        })
    }

    /// Black strokes on paper whose colour is `paper(t)`, `t` from 0 at the card's left edge
    /// to 1 at its right.
    fn printed_on(paper: impl Fn(f32) -> Rgb<u8>) -> RgbImage {
        let mut image = RgbImage::from_fn(880, 600, |x, _| paper(x as f32 / 880.0));
        for row in 0..12u32 {
            for x in (60..820u32).filter(|x| (x / 9) % 2 == 0) {
                for y in (40 + row * 45)..(60 + row * 45) {
                    image.put_pixel(x, y, Rgb([30, 30, 34]));
                }
            }
        }
        image
    }

    /// `image` with a red seal.
    fn sealed(mut image: RgbImage) -> RgbImage {
        for y in 400..520 {
            for x in 600..720 {
                image.put_pixel(x, y, Rgb([210, 60, 60]));
            }
        }
        image
    }

    /// `image` in greys, as a black-and-white copy prints it.
    fn greyed(mut image: RgbImage) -> RgbImage {
        for p in image.pixels_mut() {
            let l = (0.299 * f32::from(p.0[0])
                + 0.587 * f32::from(p.0[1])
                + 0.114 * f32::from(p.0[2])) as u8;
            *p = Rgb([l; 3]);
        }
        image
    }

    fn measured(image: &RgbImage) -> CardQuality {
        let outline = Quad::from_rect(0.0, 0.0, image.width() as f32, image.height() as f32);
        card_quality(image, &outline).expect("measured")
    }

    #[test]
    fn a_sharp_coloured_card_has_no_warning() {
        let quality = measured(&card(0, false));
        assert!(
            quality_warnings(Some(quality), true, false).is_empty(),
            "{quality:?}"
        );
    }

    #[test]
    fn blur_and_grey_are_told() {
        let blurred = measured(&card(6, false));
        assert_eq!(
            quality_warnings(Some(blurred), true, false),
            [QualityWarning::Blur],
            "{blurred:?}"
        );
        let copy = measured(&card(0, true));
        assert_eq!(
            quality_warnings(Some(copy), true, false),
            [QualityWarning::Copy],
            "{copy:?}"
        );
        // Cut by the frame, a main page may have lost its seal, but a copy's paper is plain:
        // told by it, as a back page is.
        for main_page in [true, false] {
            assert_eq!(
                quality_warnings(Some(copy), main_page, true),
                [QualityWarning::Copy, QualityWarning::Incomplete],
                "{copy:?}"
            );
        }
        // Grey print on a tinted paper whose seal the frame cut off is no copy.
        let cut = measured(&printed_page());
        assert_eq!(
            quality_warnings(Some(cut), true, true),
            [QualityWarning::Incomplete],
            "{cut:?}"
        );
    }

    #[test]
    fn a_back_page_printed_in_black_is_a_copy_only_on_plain_paper() {
        let back = measured(&printed_page());
        assert!(back.colour < GREY_BELOW, "{back:?}");
        assert_eq!(quality_warnings(Some(back), false, false), [], "{back:?}");
        let copy = measured(&greyed(printed_page()));
        assert_eq!(
            quality_warnings(Some(copy), false, false),
            [QualityWarning::Copy],
            "{copy:?}"
        );
    }

    /// `image` lit so that its red is at the camera's white over all its paper.
    fn red_clipped(mut image: RgbImage) -> RgbImage {
        for p in image.pixels_mut() {
            p.0[0] = (f32::from(p.0[0]) * 1.12).min(255.0) as u8;
        }
        image
    }

    #[test]
    fn a_copy_whose_paper_has_lost_its_red_is_told_by_the_other_two_channels() {
        // Paper turning from blue to green (red and green level) under black print.
        let page = || printed_on(|t| Rgb([236, 236, (241.0 - 9.0 * t) as u8]));
        let card = measured(&red_clipped(page()));
        let copy = measured(&red_clipped(greyed(page())));
        for quality in [card, copy] {
            assert!(quality.colour < GREY_BELOW, "{quality:?}");
            assert_eq!(quality.paper_hue, None, "{quality:?}");
        }
        assert_eq!(quality_warnings(Some(card), false, false), [], "{card:?}");
        assert_eq!(
            quality_warnings(Some(copy), false, false),
            [QualityWarning::Copy],
            "{copy:?}"
        );
    }

    #[test]
    fn a_blurred_or_washed_out_main_page_is_a_copy_only_on_plain_paper() {
        let page = |sharpness: f32, washed_out: f32, paper_hue: Option<f32>| CardQuality {
            sharpness,
            colour: 8.0,
            paper_hue,
            paper_ratio_hue: paper_hue,
            moire: 0.0,
            washed_out,
        };
        let copy =
            |q: CardQuality| quality_warnings(Some(q), true, false).contains(&QualityWarning::Copy);
        // In focus and whole, no colour is no seal: a copy, whatever the paper.
        assert!(copy(page(0.45, 0.0, Some(2.9))));
        assert!(copy(page(0.45, 0.0, None)));
        // Blurred or washed out, its seal may have faded: a tinted or unmeasured paper is a
        // card's, a plain one a copy's.
        for (sharpness, washed_out) in [(0.17, 0.0), (0.45, 0.04)] {
            assert!(!copy(page(sharpness, washed_out, Some(2.9))));
            assert!(!copy(page(sharpness, washed_out, None)));
            assert!(copy(page(sharpness, washed_out, Some(0.01))));
        }
    }

    #[test]
    fn a_back_page_whose_paper_hue_is_not_told_is_a_copy_only_without_any_colour() {
        let back = |colour: f32| CardQuality {
            sharpness: 0.45,
            colour,
            paper_hue: None,
            paper_ratio_hue: None,
            moire: 0.0,
            washed_out: 0.0,
        };
        assert_eq!(
            quality_warnings(Some(back(0.0)), false, false),
            [QualityWarning::Copy]
        );
        // A card's faint print under a light that takes its paper to white: no copy.
        assert_eq!(quality_warnings(Some(back(6.75)), false, false), []);
        assert_eq!(quality_warnings(Some(back(12.0)), false, false), []);
    }

    /// A back page's print: thin grey strokes of text and a barcode of black bars, on paper
    /// whose tint turns across it, blurred by `blur` pixels.
    fn back_page(blur: f32) -> RgbImage {
        let mut image = RgbImage::from_fn(880, 600, |x, _| {
            let t = x as f32 / 880.0;
            Rgb([(232.0 + 12.0 * t) as u8, 238, (242.0 - 4.0 * t) as u8])
        });
        for row in 0..12u32 {
            for x in (80..600u32).filter(|x| x % 6 < 2) {
                for y in (60 + row * 38)..(76 + row * 38) {
                    image.put_pixel(x, y, Rgb([100, 100, 104]));
                }
            }
        }
        for x in (620..800u32).filter(|x| x % 8 < 4) {
            for y in 470..540 {
                image.put_pixel(x, y, Rgb([20, 20, 22]));
            }
        }
        image::imageops::blur(&image, blur)
    }

    #[test]
    fn a_blurred_back_page_is_told_by_its_barcode_too() {
        // The barcode's edges are the steepest; measured against the text's contrast alone, a
        // blurred back page looked sharp.
        let blurred = measured(&back_page(2.0));
        assert_eq!(
            quality_warnings(Some(blurred), false, false),
            [QualityWarning::Blur],
            "{blurred:?}"
        );
        let sharp = measured(&back_page(0.6));
        assert_eq!(quality_warnings(Some(sharp), false, false), [], "{sharp:?}");
    }

    #[test]
    fn a_small_sharp_card_is_not_blurred() {
        // Each page of a photo of both pages is small: scaled up, its edges would soften.
        let small = image::imageops::resize(
            &card(0, false),
            440,
            300,
            image::imageops::FilterType::Nearest,
        );
        let quality = measured(&small);
        assert_eq!(
            quality_warnings(Some(quality), true, false),
            [],
            "{quality:?}"
        );
    }

    /// A sharp card with a spot of `radius` around `centre` lit towards white, white where
    /// `strength` times its closeness to the rim passes 1.
    fn lit_card(centre: (f32, f32), radius: f32, strength: f32) -> RgbImage {
        let mut image = card(0, false);
        for (x, y, p) in image.enumerate_pixels_mut() {
            let d = ((x as f32 - centre.0).powi(2) + (y as f32 - centre.1).powi(2)).sqrt() / radius;
            let a = (strength * (1.0 - d * d)).clamp(0.0, 1.0);
            p.0 = p.0.map(|v| (f32::from(v) * (1.0 - a) + 255.0 * a) as u8);
        }
        image
    }

    #[test]
    fn a_reflection_washing_out_print_is_told() {
        // A spot lit white at its core, over three lines of print.
        let lit = measured(&lit_card((300.0, 150.0), 90.0, 1.8));
        assert_eq!(
            quality_warnings(Some(lit), true, false),
            [QualityWarning::Reflection],
            "{lit:?}"
        );
    }

    #[test]
    fn a_reflection_leaves_the_sharpness_of_the_print_it_spares() {
        let sharp = measured(&card(0, false));
        // A large spot lit white over a fifth of the card.
        let lit = measured(&lit_card((440.0, 300.0), 200.0, 2.5));
        assert!(lit.washed_out > 0.1, "{lit:?}");
        let change = (lit.sharpness / sharp.sharpness - 1.0).abs();
        assert!(change < 0.03, "{sharp:?} {lit:?}");
    }
}
