//! From image bytes to Huawei's `result` object: the work one inference worker does.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use vlocr_pipeline::{
    back_page_alarms, card_quality, decode_image_reduced, is_electronic, main_page_alarms,
    quality_warnings, read_any_page, read_back_page, read_both_pages, read_electronic_page,
    read_front_page, Alarms, AnyPage, BackField, BackFields, BothPages, DecodeError, DecodedImage,
    EngineWork, FrontField, FrontFields, OcrEngine, OcrPage, PhotoPixels, PipelineError, Quad,
    MIN_FRONT_LABELS,
};

use crate::answer::{add_layout, result_of, scale_positions};
use crate::electronic::{electronic_result, paper_type};
use crate::request::{ReadOptions, Side};
use crate::ApiError;

/// The answer for a reading that failed: `Timeout` when it stopped at its deadline.
fn reading_error(error: &PipelineError) -> ApiError {
    match error {
        PipelineError::DeadlinePassed { .. } => ApiError::Timeout,
        _ => ApiError::RecognitionFailed,
    }
}

/// Shortest image side accepted (Huawei: 100 px).
pub const MIN_IMAGE_SIDE: u32 = 100;

/// Time spent in each stage of one reading, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadTimings {
    /// Decoding the image.
    pub decode: Duration,
    /// Text detection (every reading of the image added up, close-ups included).
    pub detect: Duration,
    /// Page orientation.
    pub orient: Duration,
    /// Line recognition (lines and strips of every reading).
    pub recognize: Duration,
    /// Everything else: field layout, cropping close-ups, the response.
    pub fields: Duration,
}

/// A successful reading.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutcome {
    /// Huawei's `result` object.
    pub result: Map<String, Value>,
    /// Stage timings.
    pub timings: ReadTimings,
    /// What the engine did: readings made, lines recognized (every reading added up).
    pub work: EngineWork,
}

/// Reads licenses. One reader serves one request at a time; every worker thread has its own.
pub trait LicenseReader {
    /// Reads the `side` of the license in the encoded image `bytes`.
    fn read(
        &mut self,
        bytes: &[u8],
        side: Side,
        options: ReadOptions,
    ) -> Result<ReadOutcome, ApiError>;

    /// Readings after this stop at `deadline` (none: they run to their end), answering
    /// [`ApiError::Timeout`], so that a request nobody waits for any more frees its worker.
    /// Readers that cannot stop part-way may ignore it.
    fn set_deadline(&mut self, _deadline: Option<Instant>) {}
}

/// The real reader: vlocr's OCR engine and field layout.
pub struct EngineReader {
    engine: OcrEngine,
    /// The uploaded image's pixels per decoded pixel in the reading under way (a large JPEG is
    /// decoded reduced): what the answer's positions are multiplied by.
    scale: f32,
}

impl EngineReader {
    /// A reader over a loaded engine.
    pub fn new(engine: OcrEngine) -> Self {
        Self { engine, scale: 1.0 }
    }
}

impl LicenseReader for EngineReader {
    fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.engine.set_deadline(deadline);
    }

    fn read(
        &mut self,
        bytes: &[u8],
        side: Side,
        options: ReadOptions,
    ) -> Result<ReadOutcome, ApiError> {
        let start = Instant::now();
        // A reading that failed part-way left its work uncounted.
        self.engine.take_work();
        self.engine.renew_detection_budget();
        let decoded = decode_checked(bytes)?;
        self.scale = decoded.scale;
        let image = decoded.image;
        let decode = start.elapsed();
        let failed = |error: PipelineError| reading_error(&error);
        // A single page's reading, the fields found, and the card for `layout`.
        let (page, placed, mut result, card) = match side {
            Side::Front => {
                let (page, fields) = read_front_page(&mut self.engine, &image).map_err(failed)?;
                if is_electronic(&page) {
                    return self.electronic(&image, page, options, start, decode, false);
                }
                let mut result = front_result(&fields, options);
                add_alarms(&mut result, options, || front_alarms(&fields, &image));
                add_warnings(&mut result, options, &image, || {
                    vec![front_page_of(&fields, &image)]
                });
                (
                    page,
                    fields.is_placed(MIN_FRONT_LABELS),
                    result,
                    ("front", fields.outline),
                )
            }
            Side::Any => match read_any_page(&mut self.engine, &image).map_err(failed)? {
                // The main page if there is one; else the back page, read as `side: back`
                // reads it.
                AnyPage::Front(page, fields) => {
                    let mut result = front_result(&fields, options);
                    add_alarms(&mut result, options, || front_alarms(&fields, &image));
                    add_warnings(&mut result, options, &image, || {
                        vec![front_page_of(&fields, &image)]
                    });
                    (
                        page,
                        fields.is_placed(MIN_FRONT_LABELS),
                        result,
                        ("front", fields.outline),
                    )
                }
                AnyPage::Electronic(page) => {
                    return self.electronic(&image, page, options, start, decode, false);
                }
                AnyPage::Back(page, back) => {
                    let mut result = back_result(&back, options);
                    add_alarms(&mut result, options, || back_alarms(&back, &image));
                    add_warnings(&mut result, options, &image, || {
                        vec![back_page_of(&back, &image)]
                    });
                    (
                        page,
                        back.is_placed(MIN_FRONT_LABELS),
                        result,
                        ("back", back.outline),
                    )
                }
            },
            Side::Back => {
                let (page, fields) = read_back_page(&mut self.engine, &image).map_err(failed)?;
                if is_electronic(&page) {
                    return self.electronic(&image, page, options, start, decode, false);
                }
                let mut result = back_result(&fields, options);
                add_alarms(&mut result, options, || back_alarms(&fields, &image));
                add_warnings(&mut result, options, &image, || {
                    vec![back_page_of(&fields, &image)]
                });
                (
                    page,
                    fields.is_placed(MIN_FRONT_LABELS),
                    result,
                    ("back", fields.outline),
                )
            }
            Side::DoubleSide => {
                let (front, back) =
                    match read_both_pages(&mut self.engine, &image).map_err(failed)? {
                        BothPages::Paper(front, back) => (front, back),
                        BothPages::Electronic(page) => {
                            return self.electronic(&image, page, options, start, decode, true);
                        }
                    };
                if !front.is_placed(MIN_FRONT_LABELS) && !back.is_placed(MIN_FRONT_LABELS) {
                    return Err(ApiError::NotALicense);
                }
                let (front_alarm, back_alarm) = if options.alarm {
                    (front_alarms(&front, &image), back_alarms(&back, &image))
                } else {
                    (Alarms::default(), Alarms::default())
                };
                let mut result = front_result(&front, options);
                // The whole image's alarms: either page's.
                add_alarms(&mut result, options, || Alarms {
                    blocking_score: front_alarm.blocking_score.max(back_alarm.blocking_score),
                    border_score: front_alarm.border_score.max(back_alarm.border_score),
                });
                let mut front_page = front_result(&front, options);
                add_alarms(&mut front_page, options, || front_alarm);
                let mut back_page = back_result(&back, options);
                add_alarms(&mut back_page, options, || back_alarm);
                // Each page's warnings, and the whole image's: either page's.
                let pages = || vec![front_page_of(&front, &image), back_page_of(&back, &image)];
                add_warnings(&mut front_page, options, &image, || pages()[..1].to_vec());
                add_warnings(&mut back_page, options, &image, || pages()[1..].to_vec());
                add_warnings(&mut result, options, &image, pages);
                result.insert("front".into(), Value::Object(front_page));
                result.insert("back".into(), Value::Object(back_page));
                let cards = [("front", front.outline), ("back", back.outline)];
                add_layout(&mut result, options, &cards, &[]);
                paper_type(&mut result, options);
                return Ok(self.outcome(result, start, decode));
            }
        };
        if !placed {
            return Err(ApiError::NotALicense);
        }
        add_layout(&mut result, options, &[card], &page.lines);
        paper_type(&mut result, options);
        Ok(self.outcome(result, start, decode))
    }
}

impl EngineReader {
    /// The answer for an electronic license's screen, `page` its first pass: its fields when
    /// asked for (`recognize_electronic_license`), else no license, as Huawei answers. Asked
    /// for both pages (`double_side`), the answer also holds the page the screen shows as
    /// `front` or `back`.
    fn electronic(
        &mut self,
        image: &image::RgbImage,
        page: OcrPage,
        options: ReadOptions,
        start: Instant,
        decode: Duration,
        both_pages: bool,
    ) -> Result<ReadOutcome, ApiError> {
        if !options.recognize_electronic_license {
            return Err(ApiError::NotALicense);
        }
        let (page, fields) =
            read_electronic_page(&mut self.engine, image, page).map_err(|e| reading_error(&e))?;
        let mut result = electronic_result(&fields, options);
        if both_pages {
            let shown = if fields.main_page { "front" } else { "back" };
            let mut page_result = result.clone();
            page_result.remove("type");
            result.insert(shown.into(), Value::Object(page_result));
        }
        add_layout(&mut result, options, &[], &page.lines);
        Ok(self.outcome(result, start, decode))
    }

    /// The outcome of a reading that began at `start` and spent `decode` decoding, with the
    /// engine's work over every reading it made.
    fn outcome(
        &mut self,
        mut result: Map<String, Value>,
        start: Instant,
        decode: Duration,
    ) -> ReadOutcome {
        scale_positions(&mut result, self.scale);
        let work = self.engine.take_work();
        let timings = ReadTimings {
            decode,
            detect: work.detect,
            orient: work.orient,
            recognize: work.recognize,
            fields: start
                .elapsed()
                .saturating_sub(decode + work.detect + work.orient + work.recognize),
        };
        ReadOutcome {
            result,
            timings,
            work,
        }
    }
}

/// The Huawei error for an image that cannot be decoded.
pub fn decode_error(error: &DecodeError) -> ApiError {
    match error {
        DecodeError::TooLarge { .. } => ApiError::BadImageSize,
        DecodeError::UnsupportedFormat | DecodeError::Corrupt(_) | DecodeError::Truncated => {
            ApiError::UnsupportedFormat
        }
    }
}

/// Decodes an image (a large JPEG at half its size, with the scale that says so) and checks its
/// uploaded size against Huawei's limits (100..8192 px a side). The header is checked before
/// any pixel is decoded.
pub fn decode_checked(bytes: &[u8]) -> Result<DecodedImage, ApiError> {
    let decoded = decode_image_reduced(bytes).map_err(|e| decode_error(&e))?;
    let (width, height) = decoded.uploaded;
    if width.min(height) < MIN_IMAGE_SIDE {
        return Err(ApiError::BadImageSize);
    }
    Ok(decoded)
}

/// Huawei's `result` for a main page: every front field as a string (empty when not found),
/// `issuing_authority` only when asked, `text_location` (corners in the uploaded image) only
/// when asked.
pub fn front_result(fields: &FrontFields, options: ReadOptions) -> Map<String, Value> {
    let wanted = FrontField::ALL
        .into_iter()
        .filter(|&f| f != FrontField::IssuingAuthority || options.return_issuing_authority);
    result_of(wanted.map(|f| (f.key(), fields.get(f))), options)
}

/// Huawei's `result` for a back page: every back field as a string (empty when not found), but
/// `energy_type` only where the card prints one (older cards do not: their answer is as it
/// was), and `text_location` when asked.
pub fn back_result(fields: &BackFields, options: ReadOptions) -> Map<String, Value> {
    let printed = |f: &BackField| {
        *f != BackField::EnergyType || fields.get(*f).is_some_and(|v| !v.text.is_empty())
    };
    result_of(
        BackField::ALL
            .into_iter()
            .filter(printed)
            .map(|f| (f.key(), fields.get(f))),
        options,
    )
}

/// A main page's alarms, read from `image`.
fn front_alarms(fields: &FrontFields, image: &image::RgbImage) -> Alarms {
    let (width, height) = image.dimensions();
    main_page_alarms(fields, width, height, &PhotoPixels::new(image))
}

/// A back page's alarms, read from `image`.
fn back_alarms(fields: &BackFields, image: &image::RgbImage) -> Alarms {
    let (width, height) = image.dimensions();
    back_page_alarms(fields, width, height, &PhotoPixels::new(image))
}

/// Huawei's `alarm_result` and `alarm_confidence`, when asked (`alarm`; only then measured).
fn add_alarms(
    result: &mut Map<String, Value>,
    options: ReadOptions,
    alarms: impl FnOnce() -> Alarms,
) {
    if !options.alarm {
        return;
    }
    let alarms = alarms();
    result.insert(
        "alarm_result".into(),
        json!({
            "detect_blocking_within_border_result": alarms.blocking(),
            "detect_border_integrity_result": alarms.border_incomplete(),
        }),
    );
    result.insert(
        "alarm_confidence".into(),
        json!({
            "blocking_within_border_score": alarms.blocking_score,
            "border_integrity_score": alarms.border_score,
        }),
    );
}

/// A page read, for its quality warnings: its outline (when placed), whether it is a main
/// page, and whether its border is cut by the image's edge.
type PageSeen = (Option<Quad>, bool, bool);

fn front_page_of(fields: &FrontFields, image: &image::RgbImage) -> PageSeen {
    let border = front_alarms(fields, image).border_incomplete();
    (fields.outline, true, border)
}

fn back_page_of(fields: &BackFields, image: &image::RgbImage) -> PageSeen {
    let border = back_alarms(fields, image).border_incomplete();
    (fields.outline, false, border)
}

/// vlocr's `quality_warnings`, when asked (`return_quality_warnings`; only then measured): what
/// is wrong with the photo of any of `pages` (`copy`, `blur`, `incomplete`,
/// `recapture`, `reflection`), each named once.
fn add_warnings(
    result: &mut Map<String, Value>,
    options: ReadOptions,
    image: &image::RgbImage,
    pages: impl FnOnce() -> Vec<PageSeen>,
) {
    if !options.return_quality_warnings {
        return;
    }
    let mut names: Vec<&str> = Vec::new();
    for (outline, main_page, border_incomplete) in pages() {
        let quality = outline.and_then(|o| card_quality(image, &o));
        for warning in quality_warnings(quality, main_page, border_incomplete) {
            if !names.contains(&warning.name()) {
                names.push(warning.name());
            }
        }
    }
    result.insert("quality_warnings".into(), json!(names));
}

#[cfg(test)]
mod tests {
    use super::*;
    use vlocr_pipeline::{calibrated_confidence, FieldValue, OcrLine, Point};

    #[test]
    fn front_result_has_every_field_and_options() {
        let fields = FrontFields {
            fields: vec![(
                FrontField::Number,
                FieldValue {
                    text: "京A12345".into(),
                    confidence: 0.99,
                    valid: true,
                    after_label: false,
                    trace: Vec::new(),
                    readings: Vec::new(),
                    quad: Some(Quad {
                        points: [
                            Point::new(1.2, 2.0),
                            Point::new(10.0, 2.0),
                            Point::new(10.0, 5.6),
                            Point::new(1.0, 5.0),
                        ],
                    }),
                },
            )],
            labels_found: 9,
            ..FrontFields::default()
        };
        let plain = front_result(&fields, ReadOptions::default());
        assert_eq!(plain.len(), 10);
        assert_eq!(plain["number"], "京A12345");
        assert_eq!(plain["vin"], "");
        assert!(!plain.contains_key("issuing_authority"));
        let full = front_result(
            &fields,
            ReadOptions {
                return_issuing_authority: true,
                return_text_location: true,
                return_layout: false,
                return_confidence: false,
                return_quality_warnings: false,
                alarm: false,
                recognize_electronic_license: false,
                return_trace: false,
            },
        );
        assert_eq!(full["issuing_authority"], "");
        assert_eq!(
            full["text_location"]["number"],
            json!([[1, 2], [10, 2], [10, 6], [1, 5]])
        );
        assert!(!full.contains_key("confidence"));
        let sure = front_result(
            &fields,
            ReadOptions {
                return_confidence: true,
                ..ReadOptions::default()
            },
        );
        // Every field has a confidence in 0..1: one found, that of its value; one not found,
        // that it is empty indeed.
        let confidence = sure["confidence"].as_object().expect("an object");
        assert_eq!(confidence.len(), 10);
        let number = confidence["number"].as_f64().expect("a number");
        let value = &fields.fields[0].1;
        let calibrated = f64::from(calibrated_confidence("number", Some(value)));
        assert!((number - calibrated).abs() < 0.001 && (0.0..=1.0).contains(&number));
        let vin = confidence["vin"].as_f64().expect("a number");
        let missing = f64::from(calibrated_confidence("vin", None));
        assert!((vin - missing).abs() < 0.001 && (0.0..=1.0).contains(&vin));
    }

    #[test]
    fn alarms_are_measured_and_written_only_when_asked() {
        let mut result = Map::new();
        let never = || -> Alarms { panic!("measured without being asked") };
        add_alarms(&mut result, ReadOptions::default(), never);
        assert!(result.is_empty());
        let asked = ReadOptions {
            alarm: true,
            ..ReadOptions::default()
        };
        let found = Alarms {
            blocking_score: 90,
            border_score: 12,
        };
        add_alarms(&mut result, asked, || found);
        assert_eq!(
            Value::Object(result),
            json!({
                "alarm_result": {
                    "detect_blocking_within_border_result": true,
                    "detect_border_integrity_result": false,
                },
                "alarm_confidence": {
                    "blocking_within_border_score": 90,
                    "border_integrity_score": 12,
                },
            })
        );
    }

    #[test]
    fn layout_only_when_asked() {
        let outline = Quad::from_rect(10.0, 20.0, 890.4, 620.0);
        let line = OcrLine {
            text: "号牌号码".into(),
            confidence: 0.98765,
            char_confidences: vec![0.99; 4],
            lattices: Vec::new(),
            quad: Quad::from_rect(30.0, 40.0, 110.0, 60.0),
            detection_score: 0.9,
        };
        let mut result = Map::new();
        add_layout(
            &mut result,
            ReadOptions::default(),
            &[("front", Some(outline))],
            std::slice::from_ref(&line),
        );
        assert!(result.is_empty());
        let options = ReadOptions {
            return_layout: true,
            return_trace: false,
            ..ReadOptions::default()
        };
        add_layout(
            &mut result,
            options,
            &[("front", Some(outline)), ("back", None)],
            &[line],
        );
        assert_eq!(
            result["layout"],
            json!({
                "cards": [{"page": "front", "outline": [[10, 20], [890, 20], [890, 620], [10, 620]]}],
                "lines": [{"text": "号牌号码", "confidence": 0.988, "location": [[30, 40], [110, 40], [110, 60], [30, 60]]}],
            })
        );
    }

    #[test]
    fn sizes_and_formats_are_checked() {
        let png = |w, h| {
            let mut out = Vec::new();
            image::RgbImage::new(w, h)
                .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .expect("encode");
            out
        };
        assert_eq!(
            decode_checked(&png(99, 300)).err(),
            Some(ApiError::BadImageSize)
        );
        assert!(decode_checked(&png(100, 100)).is_ok());
        assert_eq!(
            decode_checked(b"GIF89a").err(),
            Some(ApiError::UnsupportedFormat)
        );
    }
}
