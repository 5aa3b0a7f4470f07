//! Huawei's `result` for an electronic license (电子行驶证), and the `type` of every answer when
//! electronic licenses are asked for.

use serde_json::{Map, Value};
use vlocr_pipeline::{BackField, ElectronicField, ElectronicFields, FrontField};

use crate::answer::result_of;
use crate::request::ReadOptions;

/// The fields of an electronic main page's answer beyond the paper one's, in Huawei's order.
const MAIN_PAGE_EXTRAS: [ElectronicField; 5] = [
    ElectronicField::Status,
    ElectronicField::InspectionUntil,
    ElectronicField::ScrappingDate,
    ElectronicField::Color,
    ElectronicField::Back(BackField::EnergyType),
];

/// The back page's fields an electronic back page shows after the plate (no inspection record,
/// no barcode).
const BACK_PAGE_FIELDS: [BackField; 8] = [
    BackField::FileNo,
    BackField::ApprovedPassengers,
    BackField::GrossMass,
    BackField::UnladenMass,
    BackField::ApprovedLoad,
    BackField::Dimension,
    BackField::TractionMass,
    BackField::Remarks,
];

/// Huawei's `result` for the screen `fields` were read from: `type` `electronic`; on a main
/// page the paper main page's fields (`issuing_authority` when asked) then `status` (a list of
/// strings), `inspection_record` (`检验有效期至YYYY-MM-DD`), `mandatory_scrapping_date`,
/// `color` and `energy_type`; on a back page the paper back page's fields it shows. A field
/// whose label was not found is an empty string (`status` an empty list).
pub(crate) fn electronic_result(
    fields: &ElectronicFields,
    options: ReadOptions,
) -> Map<String, Value> {
    let wanted: Vec<ElectronicField> = if fields.main_page {
        FrontField::ALL
            .into_iter()
            .filter(|&f| f != FrontField::IssuingAuthority || options.return_issuing_authority)
            .map(ElectronicField::Front)
            .chain(MAIN_PAGE_EXTRAS)
            .collect()
    } else {
        // The plate's row is the same on both screens.
        std::iter::once(ElectronicField::Front(FrontField::Number))
            .chain(BACK_PAGE_FIELDS.into_iter().map(ElectronicField::Back))
            .collect()
    };
    let mut result = result_of(wanted.iter().map(|&f| (f.key(), fields.get(f))), options);
    if let Some(Value::String(status)) = result.get("status") {
        let list = status
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
            .collect();
        result.insert("status".into(), Value::Array(list));
    }
    result.insert("type".into(), "electronic".into());
    result
}

/// A paper license's answer says its `type`, `normal`, when electronic licenses were asked for
/// (a plain answer stays as it was).
pub(crate) fn paper_type(result: &mut Map<String, Value>, options: ReadOptions) {
    if options.recognize_electronic_license {
        result.insert("type".into(), "normal".into());
    }
}
