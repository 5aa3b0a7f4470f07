//! The request body of `POST /v2/{project_id}/ocr/vehicle-license`, checked field by field.

use base64::Engine as _;
use serde_json::{Map, Value};

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

/// Parses and checks a request body. Unknown fields are ignored; a flag that is not a JSON
/// boolean is an invalid parameter, as with Huawei.
pub fn parse_request(body: &[u8]) -> Result<LicenseRequest, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| ApiError::InvalidJson)?;
    let Value::Object(fields) = value else {
        return Err(ApiError::InvalidJson);
    };
    let image = optional_string(&fields, "image")?;
    let url = optional_string(&fields, "url")?;
    let source = match (image, url) {
        (Some(image), None) => ImageSource::Inline(decode_base64(image)?),
        (None, Some(url)) => ImageSource::Url(url.to_owned()),
        (Some(_), Some(_)) => {
            return Err(ApiError::InvalidParameter("both image and url are given"))
        }
        (None, None) => return Err(ApiError::InvalidParameter("neither image nor url is given")),
    };
    let side = match optional_string(&fields, "side")?.map(str::trim) {
        None | Some("") => Side::Any,
        Some("front") => Side::Front,
        Some("back") => Side::Back,
        Some("double_side") => Side::DoubleSide,
        Some(_) => return Err(ApiError::InvalidParameter("side")),
    };
    let options = ReadOptions {
        return_issuing_authority: flag(&fields, "return_issuing_authority")?,
        return_text_location: flag(&fields, "return_text_location")?,
        return_layout: flag(&fields, "return_layout")?,
        return_trace: false,
    };
    // Accepted and checked, not acted on yet: the electronic license and the alarm results.
    flag(&fields, "recognize_electronic_license")?;
    flag(&fields, "alarm")?;
    Ok(LicenseRequest {
        source,
        side,
        options,
    })
}

/// A string field, `None` when absent, null or empty.
fn optional_string<'a>(
    fields: &'a Map<String, Value>,
    name: &'static str,
) -> Result<Option<&'a str>, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::InvalidParameter(name)),
    }
}

fn flag(fields: &Map<String, Value>, name: &'static str) -> Result<bool, ApiError> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ApiError::InvalidParameter(name)),
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
        assert_eq!(code(r#"{"image":42}"#), "AIS.0101");
        assert_eq!(code(r#"{"image":"%%%not base64"}"#), "AIS.0102");
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
