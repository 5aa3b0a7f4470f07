//! Success, and one test per row of the error table that needs no credentials or download.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use vlocr_server::{ApiError, ServerConfig, OPENAPI};

use crate::support::*;

#[tokio::test]
async fn reads_a_license_and_answers_with_a_request_id() {
    let app = app(Behaviour::Read);
    let body =
        json!({ "image": b64(&png(320, 200)), "side": "front", "return_issuing_authority": true });
    let (status, id, value) = send(&app, recognize(&body)).await;
    assert_eq!(status, 200, "{value}");
    assert_eq!(value["result"]["number"], "京A12345");
    assert_eq!(
        value["result"]["issuing_authority"],
        "北京市公安局公安交通管理局"
    );
    let id = id.expect("X-Request-Id");
    assert_eq!(id.len(), 32);
    let (_, other, _) = send(&app, recognize(&body)).await;
    assert_ne!(other.expect("id"), id, "request ids are unique");
}

#[tokio::test]
async fn invalid_parameters_are_ais_0101() {
    let app = app(Behaviour::Read);
    let image = b64(&png(200, 200));
    for body in [
        json!({}),
        json!({ "image": image, "url": "http://example.com/a.jpg" }),
        json!({ "image": image, "side": "left" }),
        json!({ "image": image, "return_text_location": "true" }),
        json!({ "image": image, "alarm": 1 }),
        json!({ "image": 12 }),
    ] {
        assert_eq!(
            code_of(&app, recognize(&body)).await,
            (400, "AIS.0101".into()),
            "{body}"
        );
    }
}

#[tokio::test]
async fn every_side_is_passed_to_the_reader() {
    let app = app(Behaviour::Read);
    for side in ["back", "double_side", "front", ""] {
        let body = json!({ "image": b64(&png(320, 200)), "side": side });
        assert_eq!(
            code_of(&app, recognize(&body)).await,
            (200, String::new()),
            "{side}"
        );
    }
}

#[tokio::test]
async fn bad_images_are_ais_0102_and_0103() {
    let app = app(Behaviour::Read);
    for (body, code) in [
        (json!({ "image": "not base64 at all!" }), "AIS.0102"),
        (json!({ "image": b64(b"hello, not an image") }), "AIS.0102"),
        (json!({ "image": b64(&png(200, 200)[..300]) }), "AIS.0102"),
        (json!({ "image": b64(&png(99, 400)) }), "AIS.0103"),
        (json!({ "image": b64(&png(8200, 120)) }), "AIS.0103"),
    ] {
        assert_eq!(code_of(&app, recognize(&body)).await, (400, code.into()));
    }
}

#[tokio::test]
async fn reader_failures_are_ais_0104_and_0105() {
    let body = json!({ "image": b64(&png(200, 200)) });
    let no_license = app(Behaviour::Fail(ApiError::NotALicense));
    assert_eq!(
        code_of(&no_license, recognize(&body)).await,
        (400, "AIS.0104".into())
    );
    let failing = app(Behaviour::Fail(ApiError::RecognitionFailed));
    assert_eq!(
        code_of(&failing, recognize(&body)).await,
        (500, "AIS.0105".into())
    );
}

#[tokio::test]
async fn a_panicking_reader_answers_ais_0105_and_the_worker_lives_on() {
    let app = app(Behaviour::Panic);
    let body = json!({ "image": b64(&png(200, 200)) });
    for _ in 0..3 {
        assert_eq!(
            code_of(&app, recognize(&body)).await,
            (500, "AIS.0105".into())
        );
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_being_read() {
    let config = ServerConfig {
        max_body_bytes: 1000,
        ..test_config()
    };
    let (app, _) = app_with(config, factory(Behaviour::Read));
    let big = json!({ "image": "A".repeat(2000) }).to_string();
    assert_eq!(
        code_of(&app, post(PATH, big.clone())).await,
        (413, "ModelArts.4104".into())
    );
    // Declared length over the limit: refused from the header alone.
    let declared = Request::post(PATH)
        .header("content-length", "50000000")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(
        code_of(&app, declared).await,
        (413, "ModelArts.4104".into())
    );
    // No length given (chunked): refused once the limit is passed.
    let chunks = futures_stream(big);
    let streamed = Request::post(PATH).body(chunks).expect("request");
    assert_eq!(
        code_of(&app, streamed).await,
        (413, "ModelArts.4104".into())
    );
}

fn futures_stream(text: String) -> Body {
    let pieces: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(100)
        .map(|c| Ok(c.to_vec()))
        .collect();
    Body::from_stream(futures_util::stream::iter(pieces))
}

#[tokio::test]
async fn malformed_json_is_modelarts_4105() {
    let app = app(Behaviour::Read);
    for body in ["{\"image\": ", "image=abc", "[1, 2]", ""] {
        assert_eq!(
            code_of(&app, post(PATH, body)).await,
            (400, "ModelArts.4105".into()),
            "{body:?}"
        );
    }
}

#[tokio::test]
async fn a_full_pool_answers_429_at_once() {
    let (app, state) = app_with(
        test_config(),
        factory(Behaviour::Slow(Duration::from_millis(1500))),
    );
    let body = json!({ "image": b64(&png(200, 200)) });
    let first = tokio::spawn({
        let app = app.clone();
        let request = recognize(&body);
        async move { code_of(&app, request).await }
    });
    while state.pool.in_flight() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let start = Instant::now();
    assert_eq!(
        code_of(&app, recognize(&body)).await,
        (429, "ModelArts.4401".into())
    );
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "429 must be fast"
    );
    assert_eq!(first.await.expect("task"), (200, String::new()));
}

#[tokio::test]
async fn a_request_past_its_deadline_is_modelarts_4402() {
    let config = ServerConfig {
        request_timeout: Duration::from_millis(200),
        ..test_config()
    };
    let (app, _) = app_with(
        config,
        factory(Behaviour::Slow(Duration::from_millis(1000))),
    );
    let body = json!({ "image": b64(&png(200, 200)) });
    assert_eq!(
        code_of(&app, recognize(&body)).await,
        (504, "ModelArts.4402".into())
    );
}

#[tokio::test]
async fn a_reading_past_its_deadline_stops_and_frees_its_worker() {
    let config = ServerConfig {
        request_timeout: Duration::from_millis(300),
        ..test_config()
    };
    // One worker, no queue, readings of 5 s that stop at their deadline.
    let (app, state) = app_with(
        config,
        factory(Behaviour::StopsAtDeadline(Duration::from_secs(5))),
    );
    state.pool.wait_until_loaded().await;
    let body = json!({ "image": b64(&png(200, 200)) });
    let start = Instant::now();
    assert_eq!(
        code_of(&app, recognize(&body)).await,
        (504, "ModelArts.4402".into())
    );
    // The worker gave the reading up at the deadline: the next request finds it free (a
    // reading run to its end would hold it for 5 s, and the next request would be 429).
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        code_of(&app, recognize(&body)).await,
        (504, "ModelArts.4402".into())
    );
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_are_apig_0101() {
    let app = app(Behaviour::Read);
    let get = |path: &str| Request::get(path).body(Body::empty()).expect("request");
    assert_eq!(code_of(&app, get("/nope")).await, (404, "APIG.0101".into()));
    assert_eq!(code_of(&app, get(PATH)).await, (404, "APIG.0101".into()));
    assert_eq!(
        code_of(&app, post("/v2/p/ocr/id-card", "{}")).await,
        (404, "APIG.0101".into())
    );
    let (_, id, _) = send(&app, get("/nope")).await;
    assert!(id.is_some(), "errors carry X-Request-Id too");
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let (app, state) = app_with(test_config(), factory(Behaviour::Read));
    state.pool.wait_until_loaded().await;
    let get = |path: &str| Request::get(path).body(Body::empty()).expect("request");
    assert_eq!(send(&app, get("/health/live")).await.0, 200);
    let (status, _, ready) = send(&app, get("/health/ready")).await;
    assert_eq!((status, ready["status"].as_str()), (200, Some("ready")));
    let body = json!({ "image": b64(&png(200, 200)) });
    assert_eq!(send(&app, recognize(&body)).await.0, 200);
    assert_eq!(send(&app, recognize(&json!({}))).await.0, 400);
    let (_, _, metrics) = send(&app, get("/metrics")).await;
    let text = metrics.as_str().expect("text");
    assert!(
        text.contains("vlocr_requests_total{status=\"200\",code=\"\"} 1"),
        "{text}"
    );
    assert!(text.contains("vlocr_requests_total{status=\"400\",code=\"AIS.0101\"} 1"));
    assert!(text.contains("vlocr_stage_duration_seconds_count{stage=\"decode\"} 1"));
    assert!(text.contains("vlocr_workers_loaded 1"));
    let (status, _, doc) = send(&app, get("/openapi.json")).await;
    assert_eq!(status, 200);
    assert!(doc["paths"]["/v2/{project_id}/ocr/vehicle-license"]["post"].is_object());
}

#[tokio::test]
async fn readiness_reports_failed_models() {
    let failing: vlocr_server::ReaderFactory = std::sync::Arc::new(|| Err("no models".into()));
    let (app, state) = app_with(test_config(), failing);
    state.pool.wait_until_loaded().await;
    let request = Request::get("/health/ready")
        .body(Body::empty())
        .expect("request");
    let (status, _, body) = send(&app, request).await;
    assert_eq!((status, body["status"].as_str()), (503, Some("failed")));
}

/// Every code of the contract's error table (shared/docs/huawei-api.md) is produced by some
/// error and documented in the OpenAPI document.
#[test]
fn error_table_is_complete_and_documented() {
    let table = [
        "AIS.0101",
        "AIS.0102",
        "AIS.0103",
        "AIS.0104",
        "AIS.0105",
        "ModelArts.4101",
        "ModelArts.0203",
        "APIG.0301",
        "ModelArts.4104",
        "ModelArts.4105",
        "ModelArts.4401",
        "ModelArts.4402",
        "ModelArts.4601",
        "ModelArts.4603",
        "APIG.0101",
        "APIG.0308",
    ];
    let produced: Vec<&str> = ApiError::ALL.iter().map(|e| e.code()).collect();
    for code in table {
        assert!(produced.contains(&code), "{code} has no ApiError");
        assert!(OPENAPI.contains(code), "{code} missing from openapi.json");
    }
    for error in ApiError::ALL {
        assert!(
            table.contains(&error.code()),
            "{error:?} has a code outside the table"
        );
    }
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json"))
        .expect("openapi.json");
    let doc: serde_json::Value = serde_json::from_str(&committed).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.0.3");
}

#[tokio::test]
async fn callers_over_their_rate_limit_are_apig_0308() {
    let mut config = test_config();
    config.auth.rate_limit = Some(2.0);
    config.workers = 2;
    config.queue = 4;
    let (app, _) = app_with(config, factory(Behaviour::Read));
    let body = json!({ "image": b64(&png(200, 200)) });
    assert_eq!(code_of(&app, recognize(&body)).await.0, 200);
    assert_eq!(code_of(&app, recognize(&body)).await.0, 200);
    assert_eq!(
        code_of(&app, recognize(&body)).await,
        (429, "APIG.0308".into())
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(code_of(&app, recognize(&body)).await.0, 200);
}
