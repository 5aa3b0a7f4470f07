//! Property tests: request parsing and image decoding never panic, and only answer with the
//! codes the contract allows for them.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use vlocr_server::reader::decode_checked;
use vlocr_server::request::parse_request;

use crate::support::png;

const PARSE_CODES: [&str; 4] = ["AIS.0101", "AIS.0102", "AIS.0103", "ModelArts.4105"];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
        Just(json!("aGVsbG8=")),
        Just(json!("front")),
        Just(json!("double_side")),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop::collection::vec(inner, 0..3).prop_map(Value::Array)
    })
}

fn request_object() -> impl Strategy<Value = Value> {
    let keys = prop_oneof![
        Just("image"),
        Just("url"),
        Just("side"),
        Just("return_issuing_authority"),
        Just("return_text_location"),
        Just("alarm"),
        Just("recognize_electronic_license"),
        Just("other"),
    ];
    prop::collection::vec((keys, any_json()), 0..6).prop_map(|pairs| {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect::<Map<_, _>>(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Err(error) = parse_request(&bytes) {
            prop_assert!(PARSE_CODES.contains(&error.code()));
        }
    }

    #[test]
    fn parsing_arbitrary_requests_gives_contract_codes(value in request_object()) {
        match parse_request(value.to_string().as_bytes()) {
            Ok(_) => prop_assert!(value.get("image").is_some() || value.get("url").is_some()),
            Err(error) => prop_assert!(PARSE_CODES.contains(&error.code()), "{error:?}"),
        }
    }

    #[test]
    fn decoding_damaged_images_never_panics(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = png(120, 110);
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        bytes.truncate(cut.index(bytes.len()) + 1);
        if let Err(error) = decode_checked(&bytes) {
            prop_assert!(["AIS.0102", "AIS.0103"].contains(&error.code()));
        }
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(error) = decode_checked(&bytes) {
            prop_assert!(["AIS.0102", "AIS.0103"].contains(&error.code()));
        }
    }
}
