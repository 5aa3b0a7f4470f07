//! The back page (副页) of GA 37-2008: the printed form, the values, the inspection stamps and
//! the barcode.
//!
//! Positions are fractions of the page's width and height, measured on the layout reference scan
//! of a real back page. The back page prints no English sub-labels.

use image::RgbImage;

use crate::draw::{blend, draw_text, text_width, TextStyle};
use crate::front::{background, dotted_line, printer, HEIGHT, WIDTH};
use crate::values::BackValues;
use crate::{CardArea, FontSet, PixelBox, Random};

/// A printed label, its row (the centre of the label text) and its value's column and line.
struct Slot {
    label: &'static str,
    x: f32,
    row: f32,
    value_x: f32,
    line: (f32, f32),
}

const fn slot(label: &'static str, x: f32, row: f32, value_x: f32, line: (f32, f32)) -> Slot {
    Slot {
        label,
        x,
        row,
        value_x,
        line,
    }
}

/// Where a newer card prints its energy type: the top-left of the text, at the bottom left of
/// the page, under the inspection record's label and left of the barcode (its place on real
/// cards is not known: `shared/docs/domain.md` 3.15).
const ENERGY_AT: (f32, f32) = (0.04, 0.875);

/// Label rows of the table, top to bottom.
const ROWS: [f32; 5] = [0.087, 0.206, 0.325, 0.44, 0.555];

const SLOTS: [Slot; 9] = [
    slot("号牌号码", 0.03, ROWS[0], 0.175, (0.155, 0.43)),
    slot("档案编号", 0.45, ROWS[0], 0.615, (0.56, 0.97)),
    slot("核定载人数", 0.03, ROWS[1], 0.175, (0.155, 0.6)),
    slot("总 质 量", 0.6, ROWS[1], 0.79, (0.765, 0.97)),
    slot("整备质量", 0.03, ROWS[2], 0.175, (0.155, 0.6)),
    slot("核定载质量", 0.6, ROWS[2], 0.79, (0.765, 0.97)),
    slot("外廓尺寸", 0.03, ROWS[3], 0.175, (0.155, 0.6)),
    slot("准牵引总质量", 0.6, ROWS[3], 0.79, (0.765, 0.97)),
    slot("备      注", 0.03, ROWS[4], 0.175, (0.155, 0.97)),
];

/// Where each field's value is printed on the back page, as fractions of the page
/// `(x0, y0, x1, y1)`, keyed by the Huawei field name.
pub fn value_boxes() -> Vec<(&'static str, CardArea)> {
    const KEYS: [&str; 9] = [
        "number",
        "file_no",
        "approved_passengers",
        "gross_mass",
        "unladen_mass",
        "approved_load",
        "dimension",
        "traction_mass",
        "remarks",
    ];
    let mut boxes: Vec<_> = KEYS
        .iter()
        .zip(&SLOTS)
        .map(|(key, s)| (*key, (s.value_x, s.row - 0.045, s.line.1, s.row + 0.02)))
        .collect();
    boxes.push(("inspection_record", (0.17, 0.63, 0.9, 0.8)));
    boxes.push(("code_number", (0.43, 0.83, 0.95, 0.99)));
    boxes
}

/// Renders the back page carrying `values`.
pub fn render(fonts: &FontSet, values: &BackValues, random: &mut Random) -> RgbImage {
    render_placed(fonts, values, random).0
}

/// Renders the back page carrying `values`, with where each value was printed: its Huawei field
/// name and the box around its text (pixels, `(x0, y0, x1, y1)`; the inspection stamps' boxes
/// together, the barcode with its digits).
pub fn render_placed(
    fonts: &FontSet,
    values: &BackValues,
    random: &mut Random,
) -> (RgbImage, Vec<(&'static str, PixelBox)>) {
    let keys = value_boxes();
    let mut printed: Vec<(&'static str, PixelBox)> = Vec::new();
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let mut image = background(random);
    let black = [30, 30, 34];
    let label = TextStyle {
        font: &fonts.song,
        ascii_font: &fonts.song,
        size: 0.042 * h,
        color: black,
        spacing: 1.0,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
        opacity: 1.0,
    };
    for s in &SLOTS {
        draw_text(&mut image, s.label, s.x * w, (s.row - 0.021) * h, &label);
        dotted_line(&mut image, s.line.0 * w, s.line.1 * w, (s.row + 0.03) * h);
    }
    draw_text(&mut image, "检验记录", 0.03 * w, 0.769 * h, &label);
    dotted_line(&mut image, 0.155 * w, 0.97 * w, 0.62 * h);
    dotted_line(&mut image, 0.22 * w, 0.97 * w, 0.815 * h);

    // Values: the printer shifts all of them together (misregistration).
    let (value, shift_x, shift_y) = printer(fonts, random);
    let dashes = |text: &str| {
        if text.is_empty() {
            "--".to_owned()
        } else {
            text.to_owned()
        }
    };
    let texts = [
        values.number.clone(),
        values.file_no.clone(),
        values.approved_passengers.clone(),
        values.gross_mass.clone(),
        values.unladen_mass.clone(),
        dashes(&values.approved_load),
        values.dimension.clone(),
        dashes(&values.traction_mass),
        values.remarks.clone(),
    ];
    for ((s, text), (key, _)) in SLOTS.iter().zip(&texts).zip(&keys) {
        let jitter = (random.range(-2.0, 2.0), random.range(-2.0, 2.0));
        let (x, y) = (
            s.value_x * w + shift_x + jitter.0,
            (s.row - 0.045) * h + shift_y + jitter.1,
        );
        let end = draw_text(&mut image, text, x, y, &value);
        printed.push((key, (x, y, end, y + value.size)));
    }
    printed.extend(
        stamps(&mut image, fonts, &values.inspection_stamps, random)
            .map(|area| ("inspection_record", area)),
    );
    printed.push((
        "code_number",
        barcode(&mut image, fonts, &values.barcode, (shift_x, shift_y)),
    ));
    // A newer card's energy type, by the same printer, under the inspection record's label.
    if !values.energy_type.is_empty() {
        let (x, y) = (ENERGY_AT.0 * w + shift_x, ENERGY_AT.1 * h + shift_y);
        let end = draw_text(&mut image, &values.energy_type, x, y, &value);
        printed.push(("energy_type", (x, y, end, y + value.size)));
    }
    (image, printed)
}

/// The inspection stamps: a rectangle around each record, stacked in the record box. Returns
/// the box around them all (`None` without stamps).
fn stamps(
    image: &mut RgbImage,
    fonts: &FontSet,
    stamps: &[String],
    random: &mut Random,
) -> Option<PixelBox> {
    let mut area: Option<PixelBox> = None;
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let count = stamps.len().max(1) as f32;
    let pitch = (0.8 - 0.63) / count;
    let size = (0.05 * h).min(pitch * h * 0.62);
    for (i, text) in stamps.iter().enumerate() {
        let ink = if random.chance(0.5) {
            [40, 50, 120]
        } else {
            [45, 45, 50]
        };
        let style = TextStyle {
            font: &fonts.hei,
            ascii_font: &fonts.mono,
            size,
            color: ink,
            spacing: 1.5,
            dot_pitch: 0.0,
            slashed_zero: false,
            bleed: 0,
            opacity: random.range(0.7, 0.95),
        };
        let x0 = (0.17 + random.range(-0.01, 0.02)) * w;
        let top = (0.63 + pitch * i as f32) * h + (pitch * h - size) / 2.0;
        let x1 = x0 + text_width(text, &style) + 0.02 * w;
        let (y0, y1) = (top - 0.2 * size, top + 1.2 * size);
        for t in 0..3 {
            let t = t as f32;
            for x in (x0 as i64)..(x1 as i64) {
                blend(image, x, (y0 + t) as i64, ink, 0.8);
                blend(image, x, (y1 - t) as i64, ink, 0.8);
            }
            for y in (y0 as i64)..(y1 as i64) {
                blend(image, (x0 + t) as i64, y, ink, 0.8);
                blend(image, (x1 - t) as i64, y, ink, 0.8);
            }
        }
        draw_text(image, text, x0 + 0.01 * w, top, &style);
        area = Some(area.map_or((x0, y0, x1, y1), |a| {
            (a.0.min(x0), a.1.min(y0), a.2.max(x1), a.3.max(y1))
        }));
    }
    area
}

/// A barcode at the bottom right with its digits under it, between `*`s. Returns the box around
/// bars and digits.
fn barcode(image: &mut RgbImage, fonts: &FontSet, digits: &str, shift: (f32, f32)) -> PixelBox {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let (x0, x1) = (0.43 * w + shift.0, 0.95 * w + shift.0);
    let (y0, y1) = (0.83 * h + shift.1, 0.925 * h + shift.1);
    // Bars from the digits: each digit a pattern of four bars of widths 1..4 modules.
    let modules: Vec<u32> = digits
        .bytes()
        .flat_map(|d| {
            let d = u32::from(d - b'0');
            [1 + d % 3, 1 + (d / 3) % 3, 1 + (d + 1) % 4, 1 + (d * 7) % 3]
        })
        .collect();
    let total: u32 = modules.iter().sum();
    let unit = (x1 - x0) / total as f32;
    let mut x = x0;
    for (i, m) in modules.iter().enumerate() {
        let width = *m as f32 * unit;
        if i % 2 == 0 {
            for px in (x as i64)..((x + width) as i64) {
                for py in (y0 as i64)..(y1 as i64) {
                    blend(image, px, py, [20, 20, 24], 0.95);
                }
            }
        }
        x += width;
    }
    let text = format!("*{digits}*");
    let style = TextStyle {
        font: &fonts.mono,
        ascii_font: &fonts.mono,
        size: 0.04 * h,
        color: [25, 25, 30],
        spacing: 0.0,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
        opacity: 0.95,
    };
    let natural = text_width(&text, &style);
    let spacing = ((x1 - x0) - natural) / text.chars().count() as f32;
    let style = TextStyle {
        spacing: spacing.max(0.0),
        ..style
    };
    draw_text(image, &text, x0, y1 + 0.01 * h, &style);
    (x0, y0, x1, y1 + 0.01 * h + style.size)
}
