//! The main page (主页) of GA 37-2008: the printed form, then the values.
//!
//! Positions are fractions of the card's width and height, measured on the layout reference
//! scan of a real blank-ish main page.

use image::{Rgb, RgbImage};

use crate::draw::{blend, draw_text, text_width, TextStyle};
use crate::{CardArea, FontSet, FrontValues, PixelBox, Random};

/// Rendered card size: 88 x 60 mm at 15 pixels per millimetre.
pub const WIDTH: u32 = 1320;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 900;

/// A printed label: Chinese text, English sub-label, and the top-left of the Chinese text.
struct Label {
    chinese: &'static str,
    english: &'static str,
    x: f32,
    y: f32,
    /// Where the value starts (x) and the dotted line under it ends.
    value_x: f32,
    line_end: f32,
}

const LABELS: [Label; 10] = [
    Label {
        chinese: "号牌号码",
        english: "Plate No.",
        x: 0.025,
        y: 0.175,
        value_x: 0.165,
        line_end: 0.43,
    },
    Label {
        chinese: "车辆类型",
        english: "Vehicle Type",
        x: 0.435,
        y: 0.175,
        value_x: 0.6,
        line_end: 0.98,
    },
    Label {
        chinese: "所 有 人",
        english: "Owner",
        x: 0.025,
        y: 0.295,
        value_x: 0.165,
        line_end: 0.98,
    },
    Label {
        chinese: "住    址",
        english: "Address",
        x: 0.025,
        y: 0.415,
        value_x: 0.165,
        line_end: 0.98,
    },
    Label {
        chinese: "使用性质",
        english: "Use Character",
        x: 0.025,
        y: 0.535,
        value_x: 0.165,
        line_end: 0.35,
    },
    Label {
        chinese: "品牌型号",
        english: "Model",
        x: 0.37,
        y: 0.535,
        value_x: 0.5,
        line_end: 0.98,
    },
    Label {
        chinese: "车辆识别代号",
        english: "VIN",
        x: 0.27,
        y: 0.655,
        value_x: 0.46,
        line_end: 0.98,
    },
    Label {
        chinese: "发动机号码",
        english: "Engine No.",
        x: 0.27,
        y: 0.775,
        value_x: 0.43,
        line_end: 0.98,
    },
    Label {
        chinese: "注册日期",
        english: "Register Date",
        x: 0.27,
        y: 0.885,
        value_x: 0.4,
        line_end: 0.62,
    },
    Label {
        chinese: "发证日期",
        english: "Issue Date",
        x: 0.63,
        y: 0.885,
        value_x: 0.76,
        line_end: 0.98,
    },
];

/// The Huawei field name of each label's value, in the order of [`LABELS`].
const VALUE_KEYS: [&str; 10] = [
    "number",
    "vehicle_type",
    "name",
    "address",
    "use_character",
    "model",
    "vin",
    "engine_no",
    "register_date",
    "issue_date",
];

/// Where each field's value is printed on the main page, as fractions of the card
/// `(x0, y0, x1, y1)`, keyed by the Huawei field name (the seal for `issuing_authority`).
pub fn value_boxes() -> Vec<(&'static str, CardArea)> {
    let mut boxes: Vec<_> = VALUE_KEYS
        .iter()
        .zip(&LABELS)
        .map(|(key, l)| (*key, (l.value_x, l.y - 0.01, l.line_end, l.y + 0.06)))
        .collect();
    boxes.push(("issuing_authority", (0.03, 0.645, 0.25, 0.965)));
    boxes
}

/// Renders the main page carrying `values`.
pub fn render(fonts: &FontSet, values: &FrontValues, random: &mut Random) -> RgbImage {
    render_placed(fonts, values, random).0
}

/// Renders the main page carrying `values`, with where each value was printed: its Huawei field
/// name and the box around its text (pixels, `(x0, y0, x1, y1)`).
pub fn render_placed(
    fonts: &FontSet,
    values: &FrontValues,
    random: &mut Random,
) -> (RgbImage, Vec<(&'static str, PixelBox)>) {
    let mut printed: Vec<(&'static str, PixelBox)> = Vec::new();
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let mut image = background(random);
    let black = [30, 30, 34];
    let title = TextStyle {
        font: &fonts.hei,
        ascii_font: &fonts.serif,
        size: 0.062 * h,
        color: black,
        spacing: 2.0,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
        opacity: 1.0,
    };
    let title_text = "中华人民共和国机动车行驶证";
    let title_x = (w - text_width(title_text, &title)) / 2.0;
    draw_text(&mut image, title_text, title_x, 0.045 * h, &title);
    let english_title = TextStyle {
        font: &fonts.serif,
        ascii_font: &fonts.serif,
        size: 0.036 * h,
        ..title
    };
    let english_text = "Vehicle License of the People's Republic of China";
    draw_text(
        &mut image,
        english_text,
        (w - text_width(english_text, &english_title)) / 2.0,
        0.108 * h,
        &english_title,
    );

    let label = TextStyle {
        font: &fonts.song,
        ascii_font: &fonts.serif,
        size: 0.042 * h,
        color: black,
        spacing: 1.0,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
        opacity: 1.0,
    };
    let sub_label = TextStyle {
        font: &fonts.serif,
        ascii_font: &fonts.serif,
        size: 0.026 * h,
        ..label
    };
    for l in &LABELS {
        draw_text(&mut image, l.chinese, l.x * w, l.y * h, &label);
        draw_text(&mut image, l.english, l.x * w, (l.y + 0.05) * h, &sub_label);
        dotted_line(
            &mut image,
            l.value_x * w - 0.01 * w,
            l.line_end * w,
            (l.y + 0.078) * h,
        );
    }
    // Now and then the seal is stamped further right, over the labels beside it.
    let seal_shift = if random.chance(0.3) {
        random.range(0.02, 0.06)
    } else {
        0.0
    };
    seal(&mut image, fonts, &values.issuing_authority, seal_shift);

    // The printer shifts every value together (misregistration), each a little on its own.
    let (value, shift_x, shift_y) = printer(fonts, random);
    let texts = [
        &values.number,
        &values.vehicle_type,
        &values.name,
        &values.address,
        &values.use_character,
        &values.model,
        &values.vin,
        &values.engine_no,
        &values.register_date,
        &values.issue_date,
    ];
    for (index, (l, text)) in LABELS.iter().zip(texts).enumerate() {
        let available = (l.line_end - l.value_x) * w;
        let natural = text_width(text, &value);
        // A long address is printed on two lines, the second under the dotted line.
        if index == 3 && natural > 1.25 * available {
            let chars: Vec<char> = text.chars().collect();
            let half = chars.len().div_ceil(2);
            let lines: [String; 2] = [
                chars[..half].iter().collect(),
                chars[half..].iter().collect(),
            ];
            let widest = lines
                .iter()
                .map(|line| text_width(line, &value))
                .fold(0.0, f32::max);
            let style = TextStyle {
                size: (value.size * 0.8).min(value.size * available / widest),
                ..value
            };
            let mut area: Option<PixelBox> = None;
            for (row, line) in lines.iter().enumerate() {
                let top = (l.y - 0.02 + 0.056 * row as f32) * h;
                let (x, y) = (l.value_x * w + shift_x, top + shift_y);
                let end = draw_text(&mut image, line, x, y, &style);
                let line_box = (x, y, end, y + style.size);
                area = Some(area.map_or(line_box, |a| {
                    (
                        a.0.min(x),
                        a.1.min(y),
                        a.2.max(end),
                        a.3.max(y + style.size),
                    )
                }));
            }
            printed.extend(area.map(|a| (VALUE_KEYS[index], a)));
            continue;
        }
        // Long values (addresses, company names) are printed smaller to fit their line.
        let style = if natural > available {
            TextStyle {
                size: value.size * available / natural,
                ..value
            }
        } else {
            value
        };
        let jitter = (random.range(-2.0, 2.0), random.range(-2.0, 2.0));
        let top = (l.y - 0.008) * h + (value.size - style.size) / 2.0;
        let (x, y) = (l.value_x * w + shift_x + jitter.0, top + shift_y + jitter.1);
        let end = draw_text(&mut image, text, x, y, &style);
        printed.push((VALUE_KEYS[index], (x, y, end, y + style.size)));
    }
    (image, printed)
}

/// The printer of a card's values: its type style and how far it shifts every value (pixels).
/// Most printers are dot-matrix, all print zeros slashed, some ribbons are heavy; now and then
/// the shift reaches 3 mm, over the labels and the dotted lines.
pub(crate) fn printer<'f>(fonts: &'f FontSet, random: &mut Random) -> (TextStyle<'f>, f32, f32) {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let (reach_x, reach_y) = if random.chance(0.25) {
        (0.034, 0.05)
    } else {
        (0.008, 0.01)
    };
    let (shift_x, shift_y) = (
        random.range(-reach_x, reach_x) * w,
        random.range(-reach_y, reach_y) * h,
    );
    let ink = [random.between(10, 60) as u8; 3];
    let style = TextStyle {
        font: &fonts.hei,
        ascii_font: &fonts.mono,
        size: 0.05 * h,
        color: ink,
        spacing: 1.5,
        opacity: random.range(0.75, 1.0),
        dot_pitch: if random.chance(0.6) {
            random.range(2.4, 3.4)
        } else {
            0.0
        },
        slashed_zero: true,
        bleed: if random.chance(0.2) {
            random.between(1, 2) as i64
        } else {
            0
        },
    };
    (style, shift_x, shift_y)
}

/// A pale blue-to-pink security background with faint guilloche waves.
pub(crate) fn background(random: &mut Random) -> RgbImage {
    let phase = random.range(0.0, std::f32::consts::TAU);
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let t = x as f32 / WIDTH as f32;
        let wave = ((x as f32 * 0.031 + phase).sin() * 14.0 + y as f32 * 0.5).sin();
        let guilloche = if wave > 0.96 { 10.0 } else { 0.0 };
        let r = 232.0 + 14.0 * t - guilloche;
        let g = 240.0 - 4.0 * t - guilloche * 0.6;
        let b = 244.0 - 2.0 * t - guilloche * 0.3;
        Rgb([r as u8, g as u8, b as u8])
    })
}

pub(crate) fn dotted_line(image: &mut RgbImage, x0: f32, x1: f32, y: f32) {
    let mut x = x0;
    while x < x1 {
        for dx in 0..3 {
            blend(image, x as i64 + dx, y as i64, [60, 60, 70], 0.8);
        }
        x += 7.0;
    }
}

/// The issuing authority's red seal at the lower left: a square frame with the authority's
/// name on up to three lines.
fn seal(image: &mut RgbImage, fonts: &FontSet, authority: &str, shift: f32) {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let (x0, y0, x1, y1) = ((0.03 + shift) * w, 0.645 * h, (0.25 + shift) * w, 0.965 * h);
    let red = [220, 40, 40];
    for t in 0..4 {
        let t = t as f32;
        for x in (x0 as i64)..(x1 as i64) {
            blend(image, x, (y0 + t) as i64, red, 0.85);
            blend(image, x, (y1 - t) as i64, red, 0.85);
        }
        for y in (y0 as i64)..(y1 as i64) {
            blend(image, (x0 + t) as i64, y, red, 0.85);
            blend(image, (x1 - t) as i64, y, red, 0.85);
        }
    }
    let chars: Vec<char> = authority.chars().collect();
    let lines: Vec<String> = chars
        .chunks(chars.len().div_ceil(3).max(1))
        .map(|c| c.iter().collect())
        .collect();
    let style = TextStyle {
        font: &fonts.song,
        ascii_font: &fonts.song,
        size: 0.052 * h,
        color: red,
        spacing: 2.0,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
        opacity: 0.85,
    };
    let pitch = (y1 - y0) / (lines.len() as f32 + 1.0);
    for (i, line) in lines.iter().enumerate() {
        let fitted = TextStyle {
            size: style
                .size
                .min(0.9 * (x1 - x0) / line.chars().count().max(1) as f32 - 2.0),
            ..style
        };
        let x = (x0 + x1 - text_width(line, &fitted)) / 2.0;
        draw_text(
            image,
            line,
            x,
            y0 + pitch * (i as f32 + 1.0) - fitted.size / 2.0,
            &fitted,
        );
    }
}
