//! Electronic licenses (电子行驶证): read when asked for, no license otherwise, and a paper card
//! never taken for one.

use super::{answer_of, models_installed, root, synth, truth_of, vlocr};

#[test]
fn electronic_licenses_are_read_only_when_asked_for() {
    if !models_installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("vlocr-electronic-{}", std::process::id()));
    // A screenshot and a photo of the screen, of a main page and of a back page.
    let made = synth(
        &dir,
        4,
        9871,
        &["--electronic", "--side", "mixed", "--difficulty", "mixed"],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let screenshot = dir.join("scan/front-0000.png");
    let screenshot = screenshot.to_str().expect("utf-8");
    // Without the flag a screen is no license, as Huawei answers.
    let refused = vlocr(&["recognize", screenshot]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stdout).contains("AIS.0104"),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );
    let read = answer_of(&vlocr(&["recognize", "--electronic", screenshot]));
    let truth = truth_of(std::path::Path::new(screenshot));
    for key in ["type", "number", "vin", "status", "color", "energy_type"] {
        assert_eq!(read["result"][key], truth["fields"][key], "{key}: {read}");
    }
    // Sent as both pages, a screen is answered as the page it shows, that page also under its
    // own key; without the flag it is still no license (not two empty paper pages).
    for (name, shown, other) in [
        ("scan/front-0000.png", "front", "back"),
        ("scan/back-0002.png", "back", "front"),
    ] {
        let screen = dir.join(name);
        let screen = screen.to_str().expect("utf-8");
        let alone = answer_of(&vlocr(&[
            "recognize",
            "--electronic",
            "--side",
            shown,
            screen,
        ]));
        let both = answer_of(&vlocr(&[
            "recognize",
            "--electronic",
            "--side",
            "double_side",
            screen,
        ]));
        let page = both["result"][shown].as_object().expect("the page shown");
        assert!(both["result"].get(other).is_none(), "{both}");
        for (key, value) in alone["result"].as_object().expect("a result") {
            assert_eq!(&both["result"][key], value, "{key}: {both}");
            if key != "type" {
                assert_eq!(&page[key], value, "{shown}.{key}: {both}");
            }
        }
        assert_eq!(both["result"]["type"], "electronic", "{both}");
        let refused = vlocr(&["recognize", "--side", "double_side", screen]);
        assert!(
            String::from_utf8_lossy(&refused.stdout).contains("AIS.0104"),
            "{}",
            String::from_utf8_lossy(&refused.stdout)
        );
    }
    // Every screen of the set answered as electronic, and scored.
    let out = vlocr(&["eval", dir.to_str().expect("utf-8")]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("electronic licenses answered as electronic: 4/4"),
        "{report}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_paper_license_asked_as_maybe_electronic_is_normal() {
    if !models_installed() {
        return;
    }
    let example = root().join("examples/synthetic-front.png");
    let read = answer_of(&vlocr(&[
        "recognize",
        "--electronic",
        example.to_str().expect("utf-8"),
    ]));
    assert_eq!(read["result"]["type"], "normal", "{read}");
    // Without the flag the answer is Huawei's as it was: no `type`.
    let plain = answer_of(&vlocr(&["recognize", example.to_str().expect("utf-8")]));
    assert!(plain["result"].get("type").is_none(), "{plain}");
}
