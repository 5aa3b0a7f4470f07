//! The electronic license (电子行驶证) as the 交管12123 app shows it: a phone screen with a status
//! bar, the app's title, tabs for the main page (主页) and the back page (副页), a card of label /
//! value rows, a QR code and a watermark with the time the screen was generated.
//!
//! No specification of the screen was found (`shared/docs/domain.md` §2): the rows are the fields
//! the vendors list for it, and what varies here (phone size, title, where values are aligned,
//! a large plate over the rows, the watermark) varies so that a reader cannot lean on one look.

use image::{Rgb, RgbImage};
use serde_json::{Map, Value};

use crate::draw::{blend, draw_text, text_width, FontSet, TextStyle};
use crate::values::{BackValues, FrontValues, ENERGY_TYPES, NEW_ENERGY_TYPES};
use crate::Random;

/// Phone screens, in pixels (width, height).
const SCREENS: [(u32, u32); 5] = [
    (1080, 2340),
    (1080, 2400),
    (1170, 2532),
    (720, 1600),
    (1242, 2688),
];

/// The app's title over the screen.
const TITLES: [&str; 2] = ["电子行驶证", "机动车电子行驶证"];

/// 状态 as the vehicle database names it (`shared/docs/domain.md` §2), the usual one first.
const STATUSES: [&str; 7] = [
    "正常",
    "逾期未检验",
    "违法未处理",
    "事故未处理",
    "停驶",
    "查封",
    "锁定",
];

/// 车身颜色 (`shared/docs/domain.md` §2).
const COLORS: [&str; 10] = ["白", "灰", "黄", "粉", "红", "紫", "绿", "蓝", "棕", "黑"];

/// The values an electronic main page shows beyond the paper one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectronicExtras {
    /// 状态: one or two statuses.
    pub status: Vec<String>,
    /// 检验有效期至, `YYYY-MM-DD`.
    pub inspection_until: String,
    /// 强制报废期止, `YYYY-MM-DD`, or empty (shown as `--`).
    pub scrapping_date: String,
    /// 车身颜色.
    pub color: String,
    /// 能源种类.
    pub energy_type: String,
    /// 生成时间, `YYYY-MM-DD HH:MM:SS`.
    pub generated: String,
}

impl ElectronicExtras {
    /// Draws the extras of the vehicle of `front`.
    pub fn draw(front: &FrontValues, random: &mut Random) -> ElectronicExtras {
        let mut status = vec![STATUSES[0].to_owned()];
        if random.chance(0.15) {
            let first = STATUSES[1 + random.below(STATUSES.len() - 1)];
            status = vec![first.to_owned()];
            if random.chance(0.4) {
                let second = STATUSES[1 + random.below(STATUSES.len() - 1)];
                if second != first {
                    status.push(second.to_owned());
                }
            }
        }
        let year = |date: &str| date.get(..4).and_then(|y| y.parse::<u32>().ok());
        let issued = year(&front.issue_date).unwrap_or(2020);
        let inspection_until = format!(
            "{}-{:02}-{:02}",
            (issued + random.between(1, 6)).min(2031),
            random.between(1, 12),
            random.between(1, 28)
        );
        let registered = year(&front.register_date).unwrap_or(2015);
        let scrapping_date = if random.chance(0.65) {
            let years = if front.use_character == "非营运" {
                60
            } else {
                15
            };
            format!("{}{}", registered + years, &front.register_date[4..])
        } else {
            String::new()
        };
        let energy_type = if front.number.chars().count() == 8 {
            *random.pick(NEW_ENERGY_TYPES)
        } else {
            *random.pick(ENERGY_TYPES)
        };
        let generated = format!(
            "2026-{:02}-{:02} {:02}:{:02}:{:02}",
            random.between(1, 11),
            random.between(1, 28),
            random.between(7, 22),
            random.between(0, 59),
            random.between(0, 59)
        );
        ElectronicExtras {
            status,
            inspection_until,
            scrapping_date,
            color: (*random.pick(&COLORS)).to_owned(),
            energy_type: energy_type.to_owned(),
            generated,
        }
    }
}

/// Other names the screen may give a field (our guess of other versions of the app, and of
/// other apps' screens): each label with its alternatives.
const OTHER_NAMES: [(&str, &[&str]); 10] = [
    ("号牌号码", &["车牌号码"]),
    ("车辆识别代号", &["车辆识别代码"]),
    ("发动机号码", &["发动机号"]),
    ("注册日期", &["注册登记日期"]),
    ("检验有效期至", &["检验有效期"]),
    ("强制报废期止", &["强制报废日期", "强制报废期"]),
    ("车身颜色", &["颜色"]),
    ("能源种类", &["燃料种类", "能源类型"]),
    ("档案编号", &["档案号"]),
    ("状态", &["机动车状态"]),
];

/// How a screen looks beyond what every screen shares, drawn from a stream of its own (a
/// screen that draws none of it is the one drawn before these looks existed).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Look {
    /// Some labels under other names ([`OTHER_NAMES`]).
    other_names: bool,
    /// A colon after each label.
    colon: bool,
    /// Each value under its label rather than beside it (a longer screenshot; screenshots only).
    pub(crate) stacked: bool,
}

impl Look {
    /// Draws a look: a third of the screens another name for some labels, a fifth colons, a
    /// quarter values under their labels.
    pub(crate) fn draw(random: &mut Random) -> Look {
        Look {
            other_names: random.chance(0.35),
            colon: random.chance(0.2),
            stacked: random.chance(0.25),
        }
    }
}

/// Shown for an empty value.
const BLANK: &str = "--";

fn shown(value: &str) -> String {
    if value.is_empty() {
        BLANK.to_owned()
    } else {
        value.to_owned()
    }
}

/// The main page's rows and truth.
pub(crate) fn main_page(
    front: &FrontValues,
    extras: &ElectronicExtras,
) -> (Vec<(&'static str, String)>, Map<String, Value>) {
    let rows = vec![
        ("号牌号码", front.number.clone()),
        ("车辆类型", front.vehicle_type.clone()),
        ("所有人", front.name.clone()),
        ("住址", front.address.clone()),
        ("使用性质", front.use_character.clone()),
        ("品牌型号", front.model.clone()),
        ("车辆识别代号", front.vin.clone()),
        ("发动机号码", front.engine_no.clone()),
        ("注册日期", front.register_date.clone()),
        ("发证日期", front.issue_date.clone()),
        ("发证机关", front.issuing_authority.clone()),
        ("状态", extras.status.join("，")),
        ("检验有效期至", extras.inspection_until.clone()),
        ("强制报废期止", shown(&extras.scrapping_date)),
        ("车身颜色", extras.color.clone()),
        ("能源种类", extras.energy_type.clone()),
    ];
    let mut truth = front.to_truth_fields();
    truth.insert("type".into(), "electronic".into());
    let status = extras.status.iter().cloned().map(Value::String).collect();
    truth.insert("status".into(), Value::Array(status));
    truth.insert(
        "inspection_record".into(),
        format!("检验有效期至{}", extras.inspection_until).into(),
    );
    truth.insert(
        "mandatory_scrapping_date".into(),
        extras.scrapping_date.clone().into(),
    );
    truth.insert("color".into(), extras.color.clone().into());
    truth.insert("energy_type".into(), extras.energy_type.clone().into());
    (rows, truth)
}

/// The back page's rows and truth.
pub(crate) fn back_page(back: &BackValues) -> (Vec<(&'static str, String)>, Map<String, Value>) {
    let rows = vec![
        ("号牌号码", back.number.clone()),
        ("核定载人数", back.approved_passengers.clone()),
        ("总质量", back.gross_mass.clone()),
        ("整备质量", back.unladen_mass.clone()),
        ("核定载质量", shown(&back.approved_load)),
        ("外廓尺寸", back.dimension.clone()),
        ("准牵引总质量", shown(&back.traction_mass)),
        ("档案编号", back.file_no.clone()),
        ("备注", shown(&back.remarks)),
    ];
    let mut truth = Map::new();
    for (key, value) in [
        ("number", &back.number),
        ("approved_passengers", &back.approved_passengers),
        ("gross_mass", &back.gross_mass),
        ("unladen_mass", &back.unladen_mass),
        ("approved_load", &back.approved_load),
        ("dimension", &back.dimension),
        ("traction_mass", &back.traction_mass),
        ("file_no", &back.file_no),
        ("remarks", &back.remarks),
    ] {
        truth.insert(key.into(), value.clone().into());
    }
    truth.insert("type".into(), "electronic".into());
    (rows, truth)
}

fn fill(image: &mut RgbImage, (x0, y0, x1, y1): (f32, f32, f32, f32), colour: [u8; 3]) {
    let (w, h) = (image.width() as f32, image.height() as f32);
    for y in y0.max(0.0) as u32..y1.min(h).max(0.0) as u32 {
        for x in x0.max(0.0) as u32..x1.min(w).max(0.0) as u32 {
            image.put_pixel(x, y, Rgb(colour));
        }
    }
}

/// Draws the screen of one page (`rows`, under the tab `main` or not) generated at
/// `generated`.
pub(crate) fn screen(
    fonts: &FontSet,
    rows: &[(&'static str, String)],
    main: bool,
    generated: &str,
    plate: &str,
    random: &mut Random,
    (look, look_random): (Look, &mut Random),
) -> RgbImage {
    let (width, height) = *random.pick(&SCREENS);
    let s = width as f32 / 1080.0;
    // Stacked rows take a longer screenshot (scrolled and stitched).
    let stacked_pitch = 140.0 * s;
    let height = if look.stacked {
        height.max((1200.0 * s + rows.len() as f32 * stacked_pitch) as u32)
    } else {
        height
    };
    let labels: Vec<String> = rows
        .iter()
        .map(|(label, _)| {
            let others = OTHER_NAMES
                .iter()
                .find(|(name, _)| name == label)
                .map_or(&[][..], |(_, others)| *others);
            let mut label = (*label).to_owned();
            if look.other_names && !others.is_empty() && look_random.chance(0.6) {
                label = (*look_random.pick(others)).to_owned();
            }
            if look.colon {
                label.push('：');
            }
            label
        })
        .collect();
    let (wf, hf) = (width as f32, height as f32);
    let mut image = RgbImage::from_pixel(width, height, Rgb([244, 245, 247]));
    let style = |size: f32, color: [u8; 3]| TextStyle {
        font: &fonts.hei,
        ascii_font: &fonts.hei,
        size: size * s,
        color,
        spacing: 0.0,
        opacity: 1.0,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
    };
    let centred = |image: &mut RgbImage, text: &str, y: f32, style: &TextStyle<'_>| {
        let x = (wf - text_width(text, style)) / 2.0;
        draw_text(image, text, x, y, style);
    };
    // Status bar: the time, and a battery.
    let clock = format!("{}:{:02}", random.between(7, 22), random.between(0, 59));
    draw_text(
        &mut image,
        &clock,
        60.0 * s,
        28.0 * s,
        &style(38.0, [20, 20, 20]),
    );
    fill(
        &mut image,
        (wf - 130.0 * s, 36.0 * s, wf - 70.0 * s, 66.0 * s),
        [40, 40, 40],
    );
    // The app's title bar and the tabs.
    let title = *random.pick(&TITLES);
    centred(&mut image, title, 130.0 * s, &style(50.0, [15, 15, 15]));
    draw_text(
        &mut image,
        "<",
        40.0 * s,
        128.0 * s,
        &style(54.0, [60, 60, 60]),
    );
    let blue = [30, 110, 230];
    for (i, tab) in ["主页", "副页"].into_iter().enumerate() {
        let active = (i == 0) == main;
        let colour = if active { blue } else { [120, 120, 125] };
        let tab_style = style(40.0, colour);
        let cx = wf * (1.0 + 2.0 * i as f32) / 4.0;
        let x = cx - text_width(tab, &tab_style) / 2.0;
        draw_text(&mut image, tab, x, 240.0 * s, &tab_style);
        if active {
            fill(
                &mut image,
                (cx - 50.0 * s, 300.0 * s, cx + 50.0 * s, 308.0 * s),
                blue,
            );
        }
    }
    // The card.
    let (left, right) = (32.0 * s, wf - 32.0 * s);
    let top = 340.0 * s;
    fill(
        &mut image,
        (left, top, right, hf - 40.0 * s),
        [255, 255, 255],
    );
    let mut y = top + 40.0 * s;
    if random.chance(0.5) {
        centred(
            &mut image,
            "中华人民共和国机动车行驶证",
            y,
            &style(40.0, [40, 40, 40]),
        );
        y += 80.0 * s;
    }
    if main && random.chance(0.5) {
        centred(&mut image, plate, y, &style(72.0, [20, 60, 160]));
        y += 120.0 * s;
    }
    let qr_side = 300.0 * s;
    let room = hf - 40.0 * s - y - qr_side - 140.0 * s;
    let pitch = if look.stacked {
        stacked_pitch
    } else {
        (room / rows.len() as f32).clamp(70.0 * s, 100.0 * s)
    };
    let right_aligned = random.chance(0.5);
    let (label_x, value_x, value_end) = (80.0 * s, 340.0 * s, wf - 80.0 * s);
    for ((_, shown), label) in rows.iter().zip(&labels) {
        let label_style = style(36.0, [115, 115, 120]);
        draw_text(&mut image, label, label_x, y, &label_style);
        // A value under its label starts where the label does, on the next line.
        let (value_x, below) = if look.stacked {
            (label_x, 50.0 * s)
        } else {
            (value_x, 0.0)
        };
        // A long value is set smaller to fit its row.
        let mut value_style = style(38.0, [20, 20, 20]);
        while text_width(shown, &value_style) > value_end - value_x && value_style.size > 20.0 {
            value_style.size *= 0.92;
        }
        let x = if right_aligned && !look.stacked {
            value_end - text_width(shown, &value_style)
        } else {
            value_x
        };
        let dy = (36.0 * s - value_style.size) / 2.0 + below;
        draw_text(&mut image, shown, x, y + dy, &value_style);
        let line_y = y + pitch - 18.0 * s;
        fill(
            &mut image,
            (label_x, line_y, value_end, line_y + 2.0 * s.max(0.5)),
            [232, 232, 236],
        );
        y += pitch;
    }
    // The QR code (shown when it fits) and the time the screen was generated.
    y += 20.0 * s;
    if y + qr_side + 100.0 * s < hf {
        qr_code(&mut image, ((wf - qr_side) / 2.0, y), qr_side, random);
        y += qr_side + 30.0 * s;
        let line = format!("生成时间：{generated}");
        centred(&mut image, &line, y, &style(30.0, [120, 120, 125]));
    }
    watermark(&mut image, generated, top, s, fonts);
    image
}

/// A QR code's look: its three finder squares and random modules.
fn qr_code(image: &mut RgbImage, (x, y): (f32, f32), side: f32, random: &mut Random) {
    const MODULES: usize = 25;
    let m = side / MODULES as f32;
    let finder = |i: usize, j: usize| -> Option<bool> {
        for (fi, fj) in [(0, 0), (0, MODULES - 7), (MODULES - 7, 0)] {
            if (fi..fi + 7).contains(&i) && (fj..fj + 7).contains(&j) {
                let (a, b) = (i - fi, j - fj);
                let ring = a.min(b).min(6 - a).min(6 - b);
                return Some(ring != 1);
            }
        }
        None
    };
    for i in 0..MODULES {
        for j in 0..MODULES {
            let dark = finder(i, j).unwrap_or_else(|| random.chance(0.5));
            if dark {
                let (x0, y0) = (x + j as f32 * m, y + i as f32 * m);
                fill(image, (x0, y0, x0 + m, y0 + m), [10, 10, 10]);
            }
        }
    }
}

/// The generation time written faintly over the card, in staggered rows.
fn watermark(image: &mut RgbImage, generated: &str, top: f32, s: f32, fonts: &FontSet) {
    let style = TextStyle {
        font: &fonts.hei,
        ascii_font: &fonts.hei,
        size: 30.0 * s,
        color: [120, 140, 200],
        spacing: 0.0,
        opacity: 0.12,
        dot_pitch: 0.0,
        slashed_zero: false,
        bleed: 0,
    };
    let (w, h) = (image.width() as f32, image.height() as f32);
    let mut y = top + 150.0 * s;
    let mut row = 0;
    while y < h {
        let mut x = if row % 2 == 0 { 40.0 * s } else { 300.0 * s };
        while x < w {
            draw_text(image, generated, x, y, &style);
            x += 620.0 * s;
        }
        y += 260.0 * s;
        row += 1;
    }
}

/// A phone screen photographed: the phone's black bezel around it, and the faint moire of a
/// camera's pixels beating against the screen's.
pub(crate) fn on_phone(screen: &RgbImage, random: &mut Random) -> RgbImage {
    let (w, h) = screen.dimensions();
    let border = (w as f32 * random.range(0.03, 0.06)) as u32;
    let mut phone = RgbImage::from_pixel(w + 2 * border, h + 2 * border, Rgb([18, 18, 20]));
    image::imageops::overlay(&mut phone, screen, i64::from(border), i64::from(border));
    let period = random.range(5.0, 11.0);
    let angle = random.range(0.0, std::f32::consts::PI);
    let (sin, cos) = angle.sin_cos();
    let depth = random.range(0.04, 0.1);
    for y in border..border + h {
        for x in border..border + w {
            let t = (x as f32 * cos + y as f32 * sin) / period;
            let shade = 0.5 + 0.5 * (t * std::f32::consts::TAU).sin();
            blend(
                &mut phone,
                i64::from(x),
                i64::from(y),
                [150, 150, 170],
                depth * shade,
            );
        }
    }
    phone
}
