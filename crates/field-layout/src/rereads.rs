//! Which values of a card are read again when their first reading fails, and from which strip
//! of the card: their row, strips led into their label, the barcode's strip (card units: 0..1
//! over the printed page). The pipeline reads the strips; these tables say where.

use crate::{BackField, FrontField};

/// Where the barcode digits are printed when the detector gives no hint: under the bars, from
/// a little left of the card's middle to its right edge (card units).
pub const CODE_STRIP: (f32, f32, f32, f32) = (0.36, 0.925, 1.0, 0.995);
/// Half the height of the strip read around digits the detector did find (card units).
pub const CODE_HALF_HEIGHT: f32 = 0.035;
/// How far below where it should be the barcode strip is read again (card units).
pub const CODE_SHIFT: f32 = 0.015;
/// Where the barcode's bars and the digits under them are looked for in the image (card units,
/// stretched by the printer's shift): across, inside the bars (0.43-0.95 where the printer
/// puts them right); down, from above the bars to past the card's foot.
pub const CODE_SEARCH: (f32, f32, f32, f32) = (0.47, 0.78, 0.91, 1.04);
/// Paper taken above and under the digits found there, in the two cuts read (card units): a
/// tight cut, and a loose one for small digits, of which a tight cut gives the recognizer few
/// pixels.
pub const CODE_MARGINS: [(f32, f32); 2] = [(0.006, 0.012), (0.014, 0.032)];

/// Main-page fields printed on one row of the card, whose grammar tells a good reading from a
/// bad one (the name's only when it is missing: two Chinese characters make a name).
pub const ROW_FIELDS: [FrontField; 8] = [
    FrontField::Number,
    FrontField::Name,
    FrontField::VehicleType,
    FrontField::UseCharacter,
    FrontField::Model,
    FrontField::Vin,
    FrontField::RegisterDate,
    FrontField::IssueDate,
];

/// Back-page fields whose grammar tells a good reading from a bad one, read again from their
/// row when they fail it (a blank is printed as dashes, which pass).
pub const BACK_ROW_FIELDS: [BackField; 7] = [
    BackField::Number,
    BackField::ApprovedPassengers,
    BackField::GrossMass,
    BackField::UnladenMass,
    BackField::ApprovedLoad,
    BackField::Dimension,
    BackField::TractionMass,
];

/// The fields of the first row, right under the card's English title.
pub const UNDER_TITLE: [FrontField; 2] = [FrontField::Number, FrontField::VehicleType];

/// How a value's row is cut for reading, in turn until a reading passes: whole, then (for the
/// first row's values, [`UNDER_TITLE`]) without its top, where a value printed up into the
/// card's English title meets the title's letters (`陕A48License of the People's...` read
/// whole, `陕A48DH3` without the top fifth). Fractions of the row's height taken off its top
/// and bottom.
pub const ROW_CUTS: [(f32, f32); 3] = [(0.0, 0.0), (0.2, 0.0), (0.35, 0.0)];

/// Main-page values whose first character the printer often puts over the end of their label:
/// the recognizer then reads the two glyphs as one, the label's (`车辆识别代号DCM6L5W...` for
/// `LDCM6L5W...`, `品牌型手田牌` for `丰田牌`).
pub const LEAD_FIELDS: [FrontField; 5] = [
    FrontField::Number,
    FrontField::Model,
    FrontField::Vin,
    FrontField::EngineNo,
    FrontField::UseCharacter,
];

/// How far before a value's start its strip is read again, in line heights: a cut through the
/// label's last glyph leaves the value's first one whole; two cuts, for two readings to agree.
pub const LEAD_INS: [f32; 5] = [0.5, 0.7, 0.9, 1.1, 1.3];

/// The lead-ins of a use character or a brand, which may have lost two characters (`预约`,
/// `大众` of `大众汽车`).
pub const WORD_LEAD_INS: [f32; 5] = [0.7, 1.1, 1.5, 2.2, 2.6];
