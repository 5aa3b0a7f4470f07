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
