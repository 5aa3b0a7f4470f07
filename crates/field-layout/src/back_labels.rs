//! The back page's fields (副页) and where their labels and values are printed.
//!
//! Positions are fractions of the printed page's width (`u`) and height (`v`), measured on the
//! layout reference scan of a real back page (`shared/data/layout-reference/back-page.png`). The
//! back page has no English sub-labels.

use serde::Serialize;

use crate::labels::Label;

/// A field of the back page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BackField {
    /// 号牌号码.
    Number,
    /// 档案编号.
    FileNo,
    /// 核定载人数.
    ApprovedPassengers,
    /// 总质量.
    GrossMass,
    /// 整备质量.
    UnladenMass,
    /// 核定载质量.
    ApprovedLoad,
    /// 外廓尺寸.
    Dimension,
    /// 准牵引总质量.
    TractionMass,
    /// 备注.
    Remarks,
    /// 检验记录: the stamp with the latest date.
    InspectionRecord,
    /// The digits under the barcode.
    CodeNumber,
    /// The fuel or energy a newer card prints at the bottom left (`汽油`, `纯电动`); older
    /// cards print none.
    EnergyType,
}

impl BackField {
    /// Every field, in the order of Huawei's response.
    pub const ALL: [BackField; 12] = [
        Self::Number,
        Self::FileNo,
        Self::ApprovedPassengers,
        Self::GrossMass,
        Self::UnladenMass,
        Self::ApprovedLoad,
        Self::Dimension,
        Self::TractionMass,
        Self::Remarks,
        Self::InspectionRecord,
        Self::CodeNumber,
        Self::EnergyType,
    ];

    /// The field's key in Huawei's response.
    pub fn key(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::FileNo => "file_no",
            Self::ApprovedPassengers => "approved_passengers",
            Self::GrossMass => "gross_mass",
            Self::UnladenMass => "unladen_mass",
            Self::ApprovedLoad => "approved_load",
            Self::Dimension => "dimension",
            Self::TractionMass => "traction_mass",
            Self::Remarks => "remarks",
            Self::InspectionRecord => "inspection_record",
            Self::CodeNumber => "code_number",
            Self::EnergyType => "energy_type",
        }
    }
}

const fn label(
    field: BackField,
    chinese: &'static str,
    center: (f32, f32),
    value_area: (f32, f32, f32, f32),
) -> Label<BackField> {
    Label {
        field: Some(field),
        chinese,
        english: "",
        center,
        value_area,
    }
}

/// The back page's labels. The barcode digits have no label; their area is at the bottom right.
/// Nor has the energy type: its area is at the bottom left, under the inspection record's label
/// (where on real cards is not known, `shared/docs/domain.md` 3.15).
pub const BACK_LABELS: [Label<BackField>; 12] = [
    label(
        BackField::Number,
        "号牌号码",
        (0.09, 0.087),
        (0.16, 0.0, 0.45, 0.145),
    ),
    label(
        BackField::FileNo,
        "档案编号",
        (0.506, 0.087),
        (0.58, 0.0, 1.0, 0.145),
    ),
    label(
        BackField::ApprovedPassengers,
        "核定载人数",
        (0.09, 0.206),
        (0.16, 0.145, 0.6, 0.265),
    ),
    label(
        BackField::GrossMass,
        "总质量",
        (0.674, 0.206),
        (0.745, 0.145, 1.0, 0.265),
    ),
    label(
        BackField::UnladenMass,
        "整备质量",
        (0.09, 0.325),
        (0.16, 0.265, 0.6, 0.385),
    ),
    label(
        BackField::ApprovedLoad,
        "核定载质量",
        (0.677, 0.325),
        (0.745, 0.265, 1.0, 0.385),
    ),
    label(
        BackField::Dimension,
        "外廓尺寸",
        (0.09, 0.44),
        (0.16, 0.385, 0.6, 0.5),
    ),
    label(
        BackField::TractionMass,
        "准牵引总质量",
        (0.677, 0.445),
        (0.755, 0.385, 1.0, 0.5),
    ),
    label(
        BackField::Remarks,
        "备注",
        (0.09, 0.555),
        (0.14, 0.5, 1.0, 0.6),
    ),
    label(
        BackField::InspectionRecord,
        "检验记录",
        (0.09, 0.79),
        (0.14, 0.6, 1.0, 0.84),
    ),
    label(
        BackField::CodeNumber,
        "",
        (0.7, 0.96),
        (0.38, 0.93, 1.0, 1.0),
    ),
    label(
        BackField::EnergyType,
        "",
        (0.1, 0.9),
        (0.0, 0.84, 0.38, 1.0),
    ),
];
