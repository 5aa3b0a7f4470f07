//! The request body of `POST /v2/{project_id}/ocr/vehicle-license`, checked field by field.

use std::borrow::Cow;

use base64::Engine as _;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::config::MAX_IMAGE_BYTES;
use crate::ApiError;

/// Which page to read, Huawei's `side`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The main page (主页).
    Front,
    /// The back page (副页).
    Back,
    /// Both pages in one image.
    DoubleSide,
    /// No `side` given: the main page when one is found, else the back page.
    Any,
}

impl Side {
    /// Huawei's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Front => "front",
            Self::Back => "back",
            Self::DoubleSide => "double_side",
            Self::Any => "",
        }
    }
}

/// Where the image comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// The decoded bytes of `image`.
    Inline(Vec<u8>),
    /// `url`, to download.
    Url(String),
}

/// What the caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// Return `issuing_authority`.
    pub return_issuing_authority: bool,
    /// Return `text_location`.
    pub return_text_location: bool,
    /// Return `layout`: the cards' outlines and every line read (a vlocr extension, not in
    /// Huawei's API; the demo page draws it).
    pub return_layout: bool,
    /// Return `alarm_result` and `alarm_confidence` (Huawei's `alarm`): something over the card,
    /// the card's border cut by the image's edge.
    pub alarm: bool,
    /// Return `confidence`: per field read, how likely its value is right, 0..1 (a vlocr
    /// extension, `return_confidence`).
    pub return_confidence: bool,
    /// Return `quality_warnings`: what is wrong with the photo (`copy`, `blur`, `incomplete`,
    /// `recapture`, `reflection`; a vlocr extension, `return_quality_warnings`).
    pub return_quality_warnings: bool,
    /// Read an electronic license's screen (Huawei's `recognize_electronic_license`); without
    /// it, a screen is no license (`AIS.0104`), as with Huawei. With it, every answer says its
    /// `type`: `normal` (paper) or `electronic`.
    pub recognize_electronic_license: bool,
    /// Return `trace`: how each field was read (`vlocr recognize --trace`; not offered by the
    /// HTTP API).
    pub return_trace: bool,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseRequest {
    /// The image.
    pub source: ImageSource,
    /// The page asked for.
    pub side: Side,
    /// Output options.
    pub options: ReadOptions,
}

/// Parses and checks a request body. Unknown fields are skipped without being kept (a body
/// padded with a huge array costs no memory beyond its bytes); a flag that is not a JSON
/// boolean is an invalid parameter, as with Huawei. A field given twice: the last one counts.
pub fn parse_request(body: &[u8]) -> Result<LicenseRequest, ApiError> {
    let fields: KnownFields<'_> =
        serde_json::from_slice(body).map_err(|_| ApiError::InvalidJson)?;
    let image = optional_string(&fields.image, "image")?;
    let url = optional_string(&fields.url, "url")?;
    let source = match (image, url) {
        (Some(image), None) => ImageSource::Inline(decode_base64(image)?),
        (None, Some(url)) => ImageSource::Url(url.to_owned()),
        (Some(_), Some(_)) => {
            return Err(ApiError::InvalidParameter("both image and url are given"))
        }
        (None, None) => return Err(ApiError::InvalidParameter("neither image nor url is given")),
    };
    let side = match optional_string(&fields.side, "side")?.map(str::trim) {
        None | Some("") => Side::Any,
        Some("front") => Side::Front,
        Some("back") => Side::Back,
        Some("double_side") => Side::DoubleSide,
        Some(_) => return Err(ApiError::InvalidParameter("side")),
    };
    let options = ReadOptions {
        return_issuing_authority: flag(
            &fields.return_issuing_authority,
            "return_issuing_authority",
        )?,
        return_text_location: flag(&fields.return_text_location, "return_text_location")?,
        return_layout: flag(&fields.return_layout, "return_layout")?,
        return_confidence: flag(&fields.return_confidence, "return_confidence")?,
        return_quality_warnings: flag(&fields.return_quality_warnings, "return_quality_warnings")?,
        alarm: flag(&fields.alarm, "alarm")?,
        recognize_electronic_license: flag(
            &fields.recognize_electronic_license,
            "recognize_electronic_license",
        )?,
        return_trace: false,
    };
    Ok(LicenseRequest {
        source,
        side,
        options,
    })
}

/// A known field's JSON value, kept only when it is of a type some field takes.
#[derive(Debug, Default)]
enum Field<'a> {
    /// Not in the body.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A string (borrowed from the body unless it has escapes).
    Text(Cow<'a, str>),
    /// A number, array or object: skipped, remembered as the wrong type.
    Other,
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Field::Bool(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Field::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Field::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Field::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Field::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Field::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
    }
}

/// The fields vlocr reads from a body that is a JSON object; anything else is skipped.
#[derive(Debug, Default)]
struct KnownFields<'a> {
    image: Field<'a>,
    url: Field<'a>,
    side: Field<'a>,
    return_issuing_authority: Field<'a>,
    return_text_location: Field<'a>,
    return_layout: Field<'a>,
    return_confidence: Field<'a>,
    return_quality_warnings: Field<'a>,
    recognize_electronic_license: Field<'a>,
    alarm: Field<'a>,
}

impl<'de> Deserialize<'de> for KnownFields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(KnownFieldsVisitor)
    }
}

struct KnownFieldsVisitor;

impl<'de> Visitor<'de> for KnownFieldsVisitor {
    type Value = KnownFields<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = KnownFields::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let slot = match key.as_ref() {
                "image" => &mut fields.image,
                "url" => &mut fields.url,
                "side" => &mut fields.side,
                "return_issuing_authority" => &mut fields.return_issuing_authority,
                "return_text_location" => &mut fields.return_text_location,
                "return_layout" => &mut fields.return_layout,
                "return_confidence" => &mut fields.return_confidence,
                "return_quality_warnings" => &mut fields.return_quality_warnings,
                "recognize_electronic_license" => &mut fields.recognize_electronic_license,
                "alarm" => &mut fields.alarm,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<Field<'de>>()?;
        }
        Ok(fields)
    }
}

/// A string field, `None` when absent, null or empty.
fn optional_string<'a>(
    field: &'a Field<'_>,
    name: &'static str,
) -> Result<Option<&'a str>, ApiError> {
    match field {
        Field::Absent | Field::Null => Ok(None),
        Field::Text(s) if s.is_empty() => Ok(None),
        Field::Text(s) => Ok(Some(s)),
        Field::Bool(_) | Field::Other => Err(ApiError::InvalidParameter(name)),
    }
}

fn flag(field: &Field<'_>, name: &'static str) -> Result<bool, ApiError> {
    match field {
        Field::Absent | Field::Null => Ok(false),
        Field::Bool(b) => Ok(*b),
        Field::Text(_) | Field::Other => Err(ApiError::InvalidParameter(name)),
    }
}

/// Decodes base64 text, standard alphabet, padding optional, whitespace and a `data:` URL
/// prefix tolerated. Too long: AIS.0103; not base64: AIS.0102.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, ApiError> {
    if text.len() > MAX_IMAGE_BYTES {
        return Err(ApiError::BadImageSize);
    }
    let text = match text.split_once(";base64,") {
        Some((prefix, rest)) if prefix.starts_with("data:") => rest,
        _ => text,
    };
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let decoded = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        engine.decode(compact)
    } else {
        engine.decode(text)
    };
    decoded.map_err(|_| ApiError::UnsupportedFormat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LicenseRequest, ApiError> {
        parse_request(text.as_bytes())
    }

    #[test]
    fn reads_every_field() {
        let request = parse(
            r#"{"image":"aGVsbG8=","side":"front","return_issuing_authority":true,"return_text_location":false,"alarm":false,"extra":1}"#,
        )
        .expect("valid");
        assert_eq!(request.source, ImageSource::Inline(b"hello".to_vec()));
        assert_eq!(request.side, Side::Front);
        assert!(request.options.return_issuing_authority);
        assert!(!request.options.return_text_location);
        assert!(!request.options.return_confidence);
        let asked = parse(r#"{"image":"aGVsbG8=","return_confidence":true}"#).expect("valid");
        assert!(asked.options.return_confidence);
        assert!(!asked.options.return_quality_warnings);
        let asked = parse(r#"{"image":"aGVsbG8=","return_quality_warnings":true}"#).expect("valid");
        assert!(asked.options.return_quality_warnings);
        assert!(!asked.options.alarm);
        let alarm = parse(r#"{"image":"aGVsbG8=","alarm":true}"#).expect("valid");
        assert!(alarm.options.alarm);
        assert_eq!(
            parse(r#"{"url":"http://x/a.jpg","side":""}"#)
                .expect("valid")
                .side,
            Side::Any
        );
        assert_eq!(
            parse(r#"{"image":"aGVsbG8","side":"double_side"}"#)
                .expect("valid")
                .side,
            Side::DoubleSide
        );
    }

    #[test]
    fn rejects_what_huawei_rejects() {
        let code = |text: &str| parse(text).expect_err(text).code();
        assert_eq!(code("not json"), "ModelArts.4105");
        assert_eq!(code("[1,2]"), "ModelArts.4105");
        assert_eq!(code("{}"), "AIS.0101");
        assert_eq!(code(r#"{"image":"aGk=","url":"http://x"}"#), "AIS.0101");
        assert_eq!(code(r#"{"image":"aGk=","side":"left"}"#), "AIS.0101");
        assert_eq!(
            code(r#"{"image":"aGk=","return_text_location":"true"}"#),
            "AIS.0101"
        );
        assert_eq!(code(r#"{"image":"aGk=","alarm":1}"#), "AIS.0101");
        assert_eq!(
            code(r#"{"image":"aGk=","return_confidence":"yes"}"#),
            "AIS.0101"
        );
        assert_eq!(code(r#"{"image":42}"#), "AIS.0101");
        assert_eq!(code(r#"{"image":"%%%not base64"}"#), "AIS.0102");
        assert_eq!(code(r#"{"image":"aGk=","side":["front"]}"#), "AIS.0101");
        assert_eq!(code(r#"{"image":"aGk=","alarm":{"a":1}}"#), "AIS.0101");
        assert_eq!(code(r#"{"image":"aGk=""#), "ModelArts.4105");
        assert_eq!(code(r#""image""#), "ModelArts.4105");
    }

    #[test]
    fn unknown_fields_of_any_shape_are_skipped_and_escapes_read() {
        let request = parse(r#"{"pad":[0,[1,{"x":null}],"s"],"im\u0061ge":"YT8\/","side":"back"}"#)
            .expect("valid");
        assert_eq!(request.side, Side::Back);
        assert_eq!(request.source, ImageSource::Inline(b"a??".to_vec()));
        let last = parse(r#"{"side":"left","side":"front","image":"aGk="}"#).expect("last wins");
        assert_eq!(last.side, Side::Front);
    }

    #[test]
    fn base64_tolerates_line_breaks_and_data_urls() {
        assert_eq!(decode_base64("aGVs\nbG8=").expect("ok"), b"hello");
        assert_eq!(
            decode_base64("data:image/png;base64,aGVsbG8=").expect("ok"),
            b"hello"
        );
        let huge = "A".repeat(MAX_IMAGE_BYTES + 4);
        assert_eq!(decode_base64(&huge), Err(ApiError::BadImageSize));
    }
}
