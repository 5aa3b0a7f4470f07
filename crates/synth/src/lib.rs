//! Synthetic Chinese vehicle licenses (机动车行驶证) with their ground truth.
//!
//! Real licenses are full of personal data, so tests, examples and evaluation sets are rendered
//! here from invented values. [`Generator::render_front`] draws one card for a seed: [`values`] draws
//! consistent field values (plate, VIN with a valid check digit, dates, ...), [`front`] lays the
//! main page (主页) out after the printed form, and [`Truth`] records what is printed in the
//! truth-file format of `shared/docs/fields.md`. The same seed always gives the same image.
//!
//! [`back`] draws the back page (副页) the same way ([`Generator::render_back`]).
//!
//! [`Difficulty`] says how the card is shown: a clean upright scan, or a photo of it
//! ([`photo`]: surface, rotation, perspective, light, glare, blur, noise, JPEG). Both pages in
//! one image ([`Generator::render_double`]) lie in an open wallet or apart ([`wallet`]).
//!
//! [`electronic`] draws the electronic license (电子行驶证) as the 交管12123 app shows it
//! ([`Generator::render_electronic`]): a screenshot, or a photo of the phone's screen.

mod alarms;
pub mod back;
mod covers;
mod draw;
pub mod electronic;
pub mod front;
pub mod photo;
mod random;
mod regions;
pub mod values;
pub mod wallet;
mod warnings;
mod wide;

use std::path::{Path, PathBuf};

use image::RgbImage;
use serde::Serialize;

pub use alarms::AlarmTruth;
pub use draw::FontSet;
pub use random::Random;
pub use values::{BackValues, FrontValues};

/// `Result` with [`SynthError`].
pub type Result<T, E = SynthError> = std::result::Result<T, E>;

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A font file is missing.
    #[error("font {path} not found; install Debian's {package} (`make setup` does)")]
    FontMissing {
        /// The font file.
        path: PathBuf,
        /// The Debian package that ships it.
        package: &'static str,
    },
    /// A font file could not be parsed.
    #[error("font {path} could not be read")]
    FontInvalid {
        /// The font file.
        path: PathBuf,
    },
    /// Reading a font file failed.
    #[error("could not read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The truth file of one image, as `shared/docs/fields.md` describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    /// What a client would send: `front` for a main page, `back` for a back page,
    /// `double_side` for both pages in one image.
    pub side: &'static str,
    /// Field name to canonical value (one page).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The main page's fields (both pages in one image).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub front: Option<serde_json::Map<String, serde_json::Value>>,
    /// The back page's fields (both pages in one image).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub back: Option<serde_json::Map<String, serde_json::Value>>,
    /// Where the image comes from.
    pub source: String,
    /// The problems Huawei's `alarm` reports, for the photos made to have them or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm: Option<AlarmTruth>,
    /// The quality problems `quality_warnings` reports (`copy`, `blur`, `incomplete`,
    /// `recapture`), for the photos made to have them or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<&'static str>>,
}

/// A rendered card and its truth.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The image.
    pub image: RgbImage,
    /// What is printed on it.
    pub truth: Truth,
}

/// A region of a card as fractions of its width and height: `(x0, y0, x1, y1)`.
pub type CardArea = (f32, f32, f32, f32);

/// A region of an image in pixels: `(x0, y0, x1, y1)`.
pub type PixelBox = (f32, f32, f32, f32);

/// A thumb over part of the card: a skin-coloured ellipse centred on one field's value. Every
/// field whose value it touches becomes `null` in the truth (not scored: unreadable).
fn occlude(sample: &mut Sample, boxes: &[(&str, CardArea)], random: &mut Random) {
    let (w, h) = (sample.image.width() as f32, sample.image.height() as f32);
    let (_, (x0, y0, x1, y1)) = *random.pick(boxes);
    let (cx, cy) = (random.range(x0, x1.min(x0 + 0.25)), random.range(y0, y1));
    let (rx, ry) = (random.range(0.06, 0.1), random.range(0.08, 0.13));
    let skin = *random.pick(&[[224u8, 172, 140], [198, 146, 116], [236, 192, 160]]);
    for py in 0..sample.image.height() {
        for px in 0..sample.image.width() {
            let (u, v) = (px as f32 / w, py as f32 / h);
            let d = ((u - cx) / rx).powi(2) + ((v - cy) / ry).powi(2);
            if d <= 1.0 {
                // Lighter towards the middle, like a lit fingertip.
                let light = 1.0 - 0.25 * d;
                let colour = skin.map(|c| (f32::from(c) * light) as u8);
                sample.image.put_pixel(px, py, image::Rgb(colour));
            }
        }
    }
    for (key, (bx0, by0, bx1, by1)) in boxes {
        let touches = bx0 < &(cx + rx) && &(cx - rx) < bx1 && by0 < &(cy + ry) && &(cy - ry) < by1;
        if touches {
            if let Some(value) = sample.truth.fields.get_mut(*key) {
                *value = serde_json::Value::Null;
            }
        }
    }
}

/// `sample`'s card as a careful photo of it (the photo stream of `seed`): the card's size
/// before, and its corners in the photo.
fn photographed(sample: &mut Sample, seed: u64) -> ((u32, u32), vlocr_geometry::Quad) {
    photographed_with(sample, seed, photo::Touches::default())
}

/// [`photographed`], `touches` done to the photo as it is taken.
fn photographed_with(
    sample: &mut Sample,
    seed: u64,
    touches: photo::Touches<'_>,
) -> ((u32, u32), vlocr_geometry::Quad) {
    let card = sample.image.dimensions();
    let mut random = Random::new(seed ^ PHOTO_STREAM);
    let (image, quad) = photo::photograph_filling_with(
        &sample.image,
        photo::PhotoLevel::Photo,
        &mut random,
        0.35,
        touches,
    );
    sample.image = image;
    (card, quad)
}

/// Which page of the license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    /// The main page (主页).
    Front,
    /// The back page (副页).
    Back,
    /// Both pages side by side in one image (the wallet opened flat).
    Double,
}

impl Page {
    /// Huawei's `side` name, also used in file names.
    pub fn name(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::Back => "back",
            Self::Double => "double_side",
        }
    }
}

/// How a card is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Difficulty {
    /// A clean, upright, flat scan of the card.
    Scan,
    /// A careful phone photo: mild tilt, even light.
    Photo,
    /// A careless photo: steep perspective, any rotation, glare, shadow, blur, noise.
    Hard,
}

impl Difficulty {
    /// The name used in flags and folder names.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scan => "scan",
            Self::Photo => "photo",
            Self::Hard => "hard",
        }
    }
}

/// Renders cards from seeds.
#[derive(Debug)]
pub struct Generator {
    fonts: FontSet,
    /// Both pages always side by side in the wallet opened flat ([`Generator::with_open_wallets_only`]).
    open_wallets_only: bool,
    /// Main pages' values from the wide vocabularies ([`Generator::with_wide_values`]).
    wide_values: bool,
}

impl Generator {
    /// A generator using the system's fonts (see [`FontSet::load_system`]).
    pub fn new() -> Result<Generator> {
        Ok(Generator {
            fonts: FontSet::load_system()?,
            open_wallets_only: false,
            wide_values: false,
        })
    }

    /// A generator using fonts from `dir` (with the same file names as the system set).
    pub fn with_fonts_in(dir: &Path) -> Result<Generator> {
        Ok(Generator {
            fonts: FontSet::load_from(dir)?,
            open_wallets_only: false,
            wide_values: false,
        })
    }

    /// This generator, drawing both pages always side by side in the wallet opened flat (never
    /// one above the other or lying apart, [`wallet::Arrangement`]); everything else about a
    /// seed's image is as without it. Tests pinned to a seed's both-page image use it.
    pub fn with_open_wallets_only(mut self) -> Generator {
        self.open_wallets_only = true;
        self
    }

    /// This generator, drawing main pages' values from wider vocabularies than the usual draw
    /// (`wide`: cities that are no capital, every vehicle type and use character, more
    /// brands, rarer names, villages, imported cars' VINs), many outside the engine's lexicons,
    /// to measure how the engine reads values it was not tuned on. The card's looks (layout,
    /// photo) are the usual seed's.
    pub fn with_wide_values(mut self) -> Generator {
        self.wide_values = true;
        self
    }

    /// The front page for `seed`, shown as `difficulty` says.
    pub fn render_front_as(&self, seed: u64, difficulty: Difficulty) -> Sample {
        self.render_as(Page::Front, seed, difficulty)
    }

    /// `page` for `seed`, shown as `difficulty` says.
    pub fn render_as(&self, page: Page, seed: u64, difficulty: Difficulty) -> Sample {
        self.render_shown(page, seed, difficulty, false)
    }

    /// `page` for `seed` with some of its personal fields covered (grey blocks, mosaic or black
    /// bars, one way per card; a covered field's truth is `""`), shown as `difficulty` says. The
    /// card under the covers is the one [`Generator::render_as`] shows.
    pub fn render_covered_as(&self, page: Page, seed: u64, difficulty: Difficulty) -> Sample {
        self.render_shown(page, seed, difficulty, true)
    }

    fn render_shown(&self, page: Page, seed: u64, difficulty: Difficulty, covered: bool) -> Sample {
        let mut sample = match page {
            Page::Front => self.front(seed, covered),
            Page::Back => self.back(seed, covered),
            Page::Double => self.double(seed, covered),
        };
        let level = match difficulty {
            Difficulty::Scan => return sample,
            Difficulty::Photo => photo::PhotoLevel::Photo,
            Difficulty::Hard => photo::PhotoLevel::Hard,
        };
        // The photo has its own random stream, so the card itself is the scan's.
        let mut random = Random::new(seed ^ PHOTO_STREAM);
        if difficulty == Difficulty::Hard && page != Page::Double && random.chance(0.3) {
            let boxes = match page {
                Page::Back => back::value_boxes(),
                _ => front::value_boxes(),
            };
            occlude(&mut sample, &boxes, &mut random);
        }
        // Whoever photographs the open wallet fills the frame with it: each page is half of it.
        let min_fill = if page == Page::Double { 0.7 } else { 0.35 };
        sample.image = photo::photograph_filling(&sample.image, level, &mut random, min_fill).0;
        sample
    }

    /// `page` as a clean scan for `seed` with its value boxes; `None` for both pages.
    fn single_page(
        &self,
        page: Page,
        seed: u64,
    ) -> Option<(Sample, Vec<(&'static str, CardArea)>)> {
        match page {
            Page::Front => Some((self.front(seed, false), front::value_boxes())),
            Page::Back => Some((self.back(seed, false), back::value_boxes())),
            Page::Double => None,
        }
    }

    /// `page` (a main or a back page) for `seed` as a careful photo that half the time has a
    /// problem Huawei's `alarm` reports: a thumb or a sheet of paper over part of the card, or
    /// the card cut by the frame. The truth's `alarm` says which, and fields hidden are `null`.
    /// `None` for both pages in one image.
    pub fn render_alarm_case(&self, page: Page, seed: u64) -> Option<Sample> {
        let (mut sample, boxes) = self.single_page(page, seed)?;
        // The problem has its own random stream; the card and the photo are the plain ones'.
        let mut random = Random::new(seed ^ ALARMS_STREAM);
        let problem = alarms::Problem::draw(&mut random);
        match problem {
            alarms::Problem::Thumb => occlude(&mut sample, &boxes, &mut random),
            alarms::Problem::Paper => alarms::paper(&mut sample, &boxes, &mut random),
            alarms::Problem::None | alarms::Problem::Cut => {}
        }
        let (card, quad) = photographed(&mut sample, seed);
        if problem == alarms::Problem::Cut {
            alarms::cut(&mut sample, card, &quad, &boxes, &mut random);
        }
        sample.truth.alarm = Some(AlarmTruth {
            blocking: matches!(problem, alarms::Problem::Thumb | alarms::Problem::Paper),
            border_incomplete: problem == alarms::Problem::Cut,
        });
        Some(sample)
    }

    /// `page` (a main or a back page) for `seed` as a careful photo that most of the time has
    /// a quality problem `quality_warnings` reports: a photocopy photographed, a blurred photo,
    /// the card cut by the frame (fields cut off are `null`) (each a sixth of the photos), the
    /// card shown on a screen and photographed (a fifth), or a reflection washing out part of
    /// it (fields it washes out are `null`; 15%). The truth's `warnings` says which. `None`
    /// for both pages in one image.
    pub fn render_warning_case(&self, page: Page, seed: u64) -> Option<Sample> {
        let (mut sample, boxes) = self.single_page(page, seed)?;
        // The problem has its own random stream; the card and the photo are the plain ones'.
        let mut random = Random::new(seed ^ WARNINGS_STREAM);
        let mut warning = warnings::Warning::draw(&mut random);
        let mut screen = Random::new(seed ^ WARNINGS_STREAM ^ RECAPTURE_STREAM);
        if warning.is_none() && warnings::Warning::draw_recapture(&mut screen) {
            warning = Some(warnings::Warning::Recapture);
        }
        let mut glare = Random::new(seed ^ WARNINGS_STREAM ^ REFLECTION_STREAM);
        if warning.is_none() && warnings::Warning::draw_reflection(&mut glare) {
            warning = Some(warnings::Warning::Reflection);
        }
        if warning == Some(warnings::Warning::Copy) {
            warnings::photocopy(&mut sample.image, &mut random);
        }
        let card = sample.image.dimensions();
        let spot = (warning == Some(warnings::Warning::Reflection))
            .then(|| warnings::Reflection::draw(&mut glare));
        let mut on_screen = |image: &mut RgbImage, quad: &vlocr_geometry::Quad| {
            warnings::on_screen(image, quad, card, &mut screen)
        };
        let mut shine = |image: &mut RgbImage, quad: &vlocr_geometry::Quad| {
            if let Some(spot) = &spot {
                spot.shine(image, quad, card);
            }
        };
        let touches = photo::Touches {
            on_card: (warning == Some(warnings::Warning::Recapture))
                .then_some(&mut on_screen as photo::Touch<'_>),
            lit: spot.is_some().then_some(&mut shine as photo::Touch<'_>),
        };
        let (_, quad) = photographed_with(&mut sample, seed, touches);
        if let Some(spot) = &spot {
            alarms::hide(&mut sample, &boxes, |area| spot.hides(area, card));
        }
        match warning {
            Some(warnings::Warning::Blur) => {
                let long = quad.width().max(quad.height());
                sample.image = warnings::blurred(&sample.image, long, &mut random);
            }
            Some(warnings::Warning::Incomplete) => {
                alarms::cut(&mut sample, card, &quad, &boxes, &mut random);
            }
            _ => {}
        }
        sample.truth.warnings = Some(warning.map(warnings::Warning::name).into_iter().collect());
        Some(sample)
    }

    /// The electronic license's screen of `page` (its main or its back page) for `seed`: the
    /// screenshot, or (`photographed`) a careful photo of the phone showing it. The truth's
    /// fields have `type` `electronic`, and the main page's the fields only the electronic
    /// license shows (`status`, a list; `inspection_record` as `检验有效期至YYYY-MM-DD`,
    /// `mandatory_scrapping_date`, `color`, `energy_type`). `None` for both pages in one image.
    pub fn render_electronic(&self, page: Page, seed: u64, photographed: bool) -> Option<Sample> {
        let mut random = Random::new(seed ^ ELECTRONIC_STREAM);
        let front = FrontValues::draw(&mut random);
        let extras = electronic::ElectronicExtras::draw(&front, &mut random);
        let mut back = BackValues::draw(&mut random);
        back.number = front.number.clone();
        let (rows, fields) = match page {
            Page::Front => electronic::main_page(&front, &extras),
            Page::Back => electronic::back_page(&back),
            Page::Double => return None,
        };
        let main = page == Page::Front;
        let mut look_random = Random::new(seed ^ ELECTRONIC_STREAM ^ LOOK_STREAM);
        let mut look = electronic::Look::draw(&mut look_random);
        // A phone's screen shows no stitched long screenshot.
        look.stacked &= !photographed;
        let mut image = electronic::screen(
            &self.fonts,
            &rows,
            main,
            &extras.generated,
            &front.number,
            &mut random,
            (look, &mut look_random),
        );
        if photographed {
            let mut photo = Random::new(seed ^ PHOTO_STREAM);
            let phone = electronic::on_phone(&image, &mut photo);
            // Whoever photographs a phone's screen to send it holds the camera upright and fills
            // the frame with the phone (a 3-megapixel frame: phones take more).
            let level = photo::PhotoLevel::Photo;
            image = photo::photograph_in_frame(&phone, level, &mut photo, 0.8, (1500, 2000)).0;
        }
        Some(Sample {
            image,
            truth: Truth {
                side: page.name(),
                fields,
                front: None,
                back: None,
                source: format!(
                    "vlocr-synth electronic {} seed {seed}{}",
                    page.name(),
                    if photographed { " photographed" } else { "" }
                ),
                alarm: None,
                warnings: None,
            },
        })
    }

    /// Both pages of one license side by side in the open wallet, for `seed`, as a scan.
    pub fn render_double(&self, seed: u64) -> Sample {
        self.double(seed, false)
    }

    fn double(&self, seed: u64, covered: bool) -> Sample {
        let front = self.front(seed, covered);
        let mut random = Random::new(seed ^ 0x646F_7562_6C65_0000);
        // One vehicle: the back page repeats the main page's plate (as drawn, covered or not),
        // and its inspection stamps name the plate's place.
        let plate = self.front_values(&mut Random::new(seed), seed).number;
        let values = BackValues::draw(&mut random)
            .with_plate(plate)
            .with_energy_type();
        let (mut back_image, printed) = back::render_placed(&self.fonts, &values, &mut random);
        let mut back_truth = values.to_truth_fields();
        if covered {
            let mut covers = Random::new(seed ^ COVERS_STREAM ^ 0x6261_636B);
            covers::cover(
                &mut back_image,
                &printed,
                &covers::BACK_PERSONAL,
                &mut back_truth,
                &mut covers,
            );
        }
        let main_first = random.chance(0.8);
        let arrangement = if self.open_wallets_only {
            wallet::Arrangement::SideBySide { main_first }
        } else {
            wallet::Arrangement::draw(main_first, &mut Random::new(seed ^ ARRANGEMENT_STREAM))
        };
        let image = wallet::lay(&front.image, &back_image, arrangement, &mut random);
        Sample {
            image,
            truth: Truth {
                side: "double_side",
                fields: serde_json::Map::new(),
                front: Some(front.truth.fields),
                back: Some(back_truth),
                source: format!("vlocr-synth double_side seed {seed} ({arrangement:?})"),
                alarm: None,
                warnings: None,
            },
        }
    }

    /// The back page for `seed`, as a clean upright scan.
    pub fn render_back(&self, seed: u64) -> Sample {
        self.back(seed, false)
    }

    fn back(&self, seed: u64, covered: bool) -> Sample {
        let mut random = Random::new(seed ^ 0x6261_636B_0000_0000);
        let values = BackValues::draw(&mut random);
        let (mut image, printed) = back::render_placed(&self.fonts, &values, &mut random);
        let mut fields = values.to_truth_fields();
        if covered {
            let mut covers = Random::new(seed ^ COVERS_STREAM ^ 0x6261_636B);
            let personal = &covers::BACK_PERSONAL;
            covers::cover(&mut image, &printed, personal, &mut fields, &mut covers);
        }
        Sample {
            image,
            truth: Truth {
                side: "back",
                fields,
                front: None,
                back: None,
                source: format!("vlocr-synth back seed {seed}"),
                alarm: None,
                warnings: None,
            },
        }
    }

    /// The main page's values for `seed`, drawn from `random` (the seed's own stream). Wide
    /// values come from a stream of their own, after the usual ones are drawn from `random`, so
    /// that the card's looks, drawn after them, are the usual seed's.
    fn front_values(&self, random: &mut Random, seed: u64) -> FrontValues {
        let usual = FrontValues::draw(random);
        if self.wide_values {
            wide::draw_front(&mut Random::new(seed ^ WIDE_STREAM))
        } else {
            usual
        }
    }

    /// The front page for `seed`, as a clean upright scan.
    pub fn render_front(&self, seed: u64) -> Sample {
        self.front(seed, false)
    }

    fn front(&self, seed: u64, covered: bool) -> Sample {
        let mut random = Random::new(seed);
        let values = self.front_values(&mut random, seed);
        let (mut image, printed) = front::render_placed(&self.fonts, &values, &mut random);
        let mut fields = values.to_truth_fields();
        if covered {
            let mut covers = Random::new(seed ^ COVERS_STREAM);
            let personal = &covers::FRONT_PERSONAL;
            covers::cover(&mut image, &printed, personal, &mut fields, &mut covers);
        }
        Sample {
            image,
            truth: Truth {
                side: "front",
                fields,
                front: None,
                back: None,
                source: format!("vlocr-synth front seed {seed}"),
                alarm: None,
                warnings: None,
            },
        }
    }
}

/// Photos have their own random stream, so the card photographed is the scan's.
const PHOTO_STREAM: u64 = 0x7068_6F74_6F00_0000;
/// The random stream of how both pages lie in one picture (the pages and the wallet's leather
/// keep theirs).
const ARRANGEMENT_STREAM: u64 = 0x6C61_7900_0000_0000;

/// Wide values ([`Generator::with_wide_values`]) have their own random stream.
const WIDE_STREAM: u64 = 0x7769_6465_0000_0000;

/// The alarm cases' problems have their own random stream.
const ALARMS_STREAM: u64 = 0x616C_6172_6D73_0000;
/// Quality problems have their own random stream too.
const WARNINGS_STREAM: u64 = 0x7761_726E_0000_0000;
const RECAPTURE_STREAM: u64 = 0x7363_7265_656E;
const REFLECTION_STREAM: u64 = 0x0067_6C61_7265;

/// Electronic licenses have their own random stream, and their looks one more.
const ELECTRONIC_STREAM: u64 = 0x656C_6563_0000_0000;
const LOOK_STREAM: u64 = 0x6C6F_6F6B;

/// Covers have their own random stream, so the card under them is the uncovered one's.
const COVERS_STREAM: u64 = 0x636F_7665_7273_0000;
