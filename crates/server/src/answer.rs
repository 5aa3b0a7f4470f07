//! Huawei's `result` object from the values read: each field's text, and the extras asked
//! for (`text_location`, `confidence`, vlocr's `layout` and `trace`).

use serde_json::{json, Map, Value};
use vlocr_pipeline::{calibrated_confidence, FieldValue, OcrLine, Quad};

use crate::request::ReadOptions;

/// A quad as Huawei writes locations: four `[x, y]` corners in whole pixels.
fn corners(quad: &Quad) -> Value {
    Value::Array(
        quad.points
            .iter()
            .map(|p| json!([p.x.round() as i64, p.y.round() as i64]))
            .collect(),
    )
}

/// Multiplies every position in `result` (`text_location`, `layout`'s outlines and line
/// locations, those of its `front` and `back` pages) by `scale`: the image was read decoded at
/// a reduced size ([`vlocr_pipeline::decode_image_reduced`]), the answer speaks of the uploaded
/// one. Nothing changes at 1.
pub(crate) fn scale_positions(result: &mut Map<String, Value>, scale: f32) {
    if scale == 1.0 {
        return;
    }
    let scaled = |corners: &mut Value| {
        for corner in corners.as_array_mut().into_iter().flatten() {
            for coordinate in corner.as_array_mut().into_iter().flatten() {
                if let Some(v) = coordinate.as_f64() {
                    *coordinate = json!((v * f64::from(scale)).round() as i64);
                }
            }
        }
    };
    if let Some(Value::Object(locations)) = result.get_mut("text_location") {
        locations.values_mut().for_each(scaled);
    }
    if let Some(Value::Object(layout)) = result.get_mut("layout") {
        for (list, key) in [("cards", "outline"), ("lines", "location")] {
            for item in layout
                .get_mut(list)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(corners) = item.get_mut(key) {
                    scaled(corners);
                }
            }
        }
    }
    for page in ["front", "back"] {
        if let Some(Value::Object(page)) = result.get_mut(page) {
            scale_positions(page, scale);
        }
    }
}

/// vlocr's `layout` extension, when asked: each card found (`page`: front or back, `outline`:
/// its corners) and every line read (`text`, `confidence`, `location`), all in the uploaded
/// image's coordinates. A reading of both pages gives the cards only.
pub(crate) fn add_layout(
    result: &mut Map<String, Value>,
    options: ReadOptions,
    cards: &[(&str, Option<Quad>)],
    lines: &[OcrLine],
) {
    if !options.return_layout {
        return;
    }
    let cards: Vec<Value> = cards
        .iter()
        .filter_map(|(name, outline)| {
            outline.map(|q| json!({ "page": name, "outline": corners(&q) }))
        })
        .collect();
    let lines: Vec<Value> = lines
        .iter()
        .map(|line| {
            json!({
                "text": line.text,
                "confidence": (f64::from(line.confidence) * 1000.0).round() / 1000.0,
                "location": corners(&line.quad),
            })
        })
        .collect();
    result.insert("layout".into(), json!({ "cards": cards, "lines": lines }));
}

/// The `result` of `fields` (each key with its value, `None` when not found) and the extras
/// `options` ask for.
pub(crate) fn result_of<'a>(
    fields: impl Iterator<Item = (&'static str, Option<&'a FieldValue>)>,
    options: ReadOptions,
) -> Map<String, Value> {
    let mut result = Map::new();
    let mut locations = Map::new();
    let mut traces = Map::new();
    let mut confidences = Map::new();
    let mut scores = Map::new();
    for (key, value) in fields {
        // Each extra is made only when asked: a plain answer is the fields' text alone.
        if options.return_confidence {
            let confidence = f64::from(calibrated_confidence(key, value));
            confidences.insert(key.into(), json!((confidence * 1000.0).round() / 1000.0));
        }
        if let (true, Some(value)) = (options.return_trace, value) {
            scores.insert(
                key.into(),
                json!({ "raw": value.confidence, "valid": value.valid }),
            );
            if !value.trace.is_empty() {
                traces.insert(key.into(), json!(value.trace));
            }
        }
        result.insert(
            key.into(),
            Value::String(value.map(|v| v.text.clone()).unwrap_or_default()),
        );
        if let Some(quad) = value.and_then(|v| v.quad) {
            locations.insert(key.into(), corners(&quad));
        }
    }
    if options.return_text_location {
        result.insert("text_location".into(), Value::Object(locations));
    }
    if options.return_confidence {
        result.insert("confidence".into(), Value::Object(confidences));
    }
    if options.return_trace {
        result.insert("trace".into(), Value::Object(traces));
        // What the confidence was calibrated from: the engine's own score and grammar verdict.
        result.insert("scores".into(), Value::Object(scores));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_scaled_to_the_uploaded_image_everywhere_and_nothing_else() {
        let mut result = json!({
            "number": "京A12345",
            "text_location": { "number": [[10, 20], [30, 20], [30, 25], [10, 25]] },
            "layout": {
                "cards": [{ "page": "front", "outline": [[1, 2], [3, 4], [5, 6], [7, 8]] }],
                "lines": [{ "text": "12", "confidence": 0.9, "location": [[2, 2], [4, 2], [4, 3], [2, 3]] }]
            },
            "back": { "text_location": { "file_no": [[100, 1], [101, 1], [101, 2], [100, 2]] } }
        });
        let Value::Object(map) = &mut result else {
            unreachable!("an object")
        };
        let unchanged = map.clone();
        scale_positions(map, 1.0);
        assert_eq!(*map, unchanged);
        scale_positions(map, 2.0);
        assert_eq!(result["number"], "京A12345");
        assert_eq!(result["text_location"]["number"][1], json!([60, 40]));
        assert_eq!(result["layout"]["cards"][0]["outline"][3], json!([14, 16]));
        assert_eq!(result["layout"]["lines"][0]["location"][2], json!([8, 6]));
        assert_eq!(result["layout"]["lines"][0]["confidence"], 0.9);
        assert_eq!(
            result["back"]["text_location"]["file_no"][0],
            json!([200, 2])
        );
    }
}
