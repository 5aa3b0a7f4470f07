//! Golden tests of the field layout: recognized lines (with their lattices) in, fields out.
//!
//! Each `golden/NAME.lines.json` is what `vlocr ocr --lattices` printed for a synthetic card
//! (`vlocr synth`, upright); `golden/NAME.fields.json` is what the layout reads from it. A change
//! to the layout that changes a field fails here, at unit speed, with the field's old and new
//! reading. `VLOCR_BLESS=1 cargo test -p vlocr-field-layout --test golden` writes the new
//! readings as expected, for a change that means to make them.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Map, Value};
use vlocr_ctc::Lattice;
use vlocr_field_layout::{read_back, read_front, BackField, FieldValue, FrontField, TextLine};
use vlocr_geometry::{Point, Quad};

#[derive(Deserialize)]
struct Fixture {
    /// `front` or `back`.
    page: String,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
struct Line {
    text: String,
    quad: [[f32; 2]; 4],
    char_confidences: Vec<f32>,
    lattices: Vec<Lattice>,
}

fn text_lines(lines: Vec<Line>) -> Vec<TextLine> {
    lines
        .into_iter()
        .map(|l| TextLine {
            text: l.text,
            char_confidences: l.char_confidences,
            lattices: l.lattices,
            quad: Quad::new(l.quad.map(|[x, y]| Point::new(x, y))),
        })
        .collect()
}

fn field_json(value: Option<&FieldValue>) -> Value {
    match value {
        Some(v) => json!({ "text": v.text, "valid": v.valid }),
        None => Value::Null,
    }
}

/// What the layout reads from a fixture: each field's text and validity, and how many labels
/// were found.
fn read(fixture: Fixture) -> Value {
    let lines = text_lines(fixture.lines);
    let mut fields = Map::new();
    let labels = if fixture.page == "back" {
        let page = read_back(&lines);
        for field in BackField::ALL {
            fields.insert(field.key().into(), field_json(page.get(field)));
        }
        page.labels_found
    } else {
        let page = read_front(&lines);
        for field in FrontField::ALL {
            fields.insert(field.key().into(), field_json(page.get(field)));
        }
        page.labels_found
    };
    json!({ "labels_found": labels, "fields": fields })
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".lines.json"))
        .collect();
    found.sort();
    found
}

#[test]
fn fields_read_from_golden_lines_are_as_expected() {
    let bless = std::env::var_os("VLOCR_BLESS").is_some();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 5, "golden fixtures are missing");
    let mut failures = Vec::new();
    for input in fixtures {
        let text = std::fs::read_to_string(&input).expect("readable fixture");
        let fixture: Fixture = serde_json::from_str(&text).expect("a fixture");
        let got = read(fixture);
        let expected_path = PathBuf::from(
            input
                .to_string_lossy()
                .replace(".lines.json", ".fields.json"),
        );
        if bless {
            let pretty = serde_json::to_string_pretty(&got).expect("serializes");
            std::fs::write(&expected_path, pretty + "\n").expect("writable");
            continue;
        }
        let expected: Value = std::fs::read_to_string(&expected_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        if got != expected {
            failures.push(format!(
                "{}:\n  expected {}\n  read     {}",
                input.display(),
                expected,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fields changed (VLOCR_BLESS=1 accepts the new ones):\n{}",
        failures.join("\n")
    );
}
