//! What a request may cost before it is refused: credentials checked before the body is read,
//! a body that stops arriving, the memory budgets for bodies and for decoding.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use vlocr_server::ServerConfig;

use crate::support::*;

/// A body that sends `first` and then nothing, for ever.
fn stalled(first: &'static str) -> Body {
    let stream = futures_util::stream::unfold(Some(first), |state| async move {
        match state {
            Some(text) => Some((Ok::<_, std::io::Error>(text.as_bytes().to_vec()), None)),
            None => {
                std::future::pending::<()>().await;
                None
            }
        }
    });
    Body::from_stream(stream)
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_408_within_the_request_timeout() {
    let config = ServerConfig {
        request_timeout: Duration::from_millis(400),
        ..test_config()
    };
    let (app, _) = app_with(config, factory(Behaviour::Read));
    let request = Request::post(PATH)
        .header("content-length", "1000")
        .body(stalled("{\"image\":"))
        .expect("request");
    let began = Instant::now();
    assert_eq!(code_of(&app, request).await, (408, "ModelArts.4104".into()));
    assert!(began.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn bad_credentials_are_refused_before_the_body_is_read() {
    let mut config = test_config();
    config.auth.tokens = vec![vlocr_server::config::Secret("right".into())];
    config.auth.keys = vec![vlocr_server::config::AccessKey {
        id: "AK".into(),
        secret: vlocr_server::config::Secret("SK".into()),
    }];
    let (app, _) = app_with(config, factory(Behaviour::Read));
    // The body never ends: only an answer from the headers alone can come back.
    let wrong_token = Request::post(PATH)
        .header("x-auth-token", "wrong")
        .body(stalled("{"))
        .expect("request");
    let answer = tokio::time::timeout(Duration::from_secs(2), code_of(&app, wrong_token)).await;
    assert_eq!(answer.expect("answered"), (401, "ModelArts.0203".into()));
    let unknown_key = Request::post(PATH)
        .header("x-sdk-date", "20261203T120000Z")
        .header(
            "authorization",
            "SDK-HMAC-SHA256 Access=NOPE, SignedHeaders=x-sdk-date, Signature=00",
        )
        .body(stalled("{"))
        .expect("request");
    let answer = tokio::time::timeout(Duration::from_secs(2), code_of(&app, unknown_key)).await;
    assert_eq!(answer.expect("answered"), (401, "APIG.0301".into()));
    // An Authorization header that is not text is a bad signature, not a missing one.
    let not_text = Request::post(PATH)
        .header(
            "authorization",
            axum::http::HeaderValue::from_bytes(b"SDK-HMAC-SHA256 Access=\xff").expect("bytes"),
        )
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(code_of(&app, not_text).await, (401, "APIG.0301".into()));
}

#[tokio::test]
async fn an_empty_project_id_is_an_unknown_path() {
    let app = app(Behaviour::Read);
    let body = json!({ "image": b64(&png(200, 200)) }).to_string();
    assert_eq!(
        code_of(&app, post("/v2//ocr/vehicle-license", body.clone())).await,
        (404, "APIG.0101".into())
    );
    assert_eq!(
        code_of(&app, post("/v2/%20/ocr/vehicle-license", body)).await,
        (404, "APIG.0101".into())
    );
}

/// A 16-bit RGBA PNG of one colour: tiny as a file, large once decoded.
fn png16(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let image = image::ImageBuffer::<image::Rgba<u16>, _>::from_pixel(
        width,
        height,
        image::Rgba([30_000, 40_000, 50_000, 65_535]),
    );
    image::DynamicImage::ImageRgba16(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

#[tokio::test]
async fn images_are_admitted_against_the_decoding_budget() {
    let config = ServerConfig {
        // 600x400 RGB is 720,000 bytes: one fits, two do not, 1000x1000 never does.
        decode_memory: 1_000_000,
        ..test_config()
    };
    let (app, state) = app_with(config, factory(Behaviour::Read));
    let fits = json!({ "image": b64(&png16(600, 400)) });
    assert_eq!(code_of(&app, recognize(&fits)).await, (200, String::new()));
    let never = json!({ "image": b64(&png16(1000, 1000)) });
    assert_eq!(
        code_of(&app, recognize(&never)).await,
        (400, "AIS.0103".into())
    );
    // Momentarily full: another request holds most of the budget.
    let held = state.decode_memory.reserve(500_000).expect("room");
    assert_eq!(
        code_of(&app, recognize(&fits)).await,
        (429, "ModelArts.4401".into())
    );
    drop(held);
    assert_eq!(code_of(&app, recognize(&fits)).await, (200, String::new()));
    assert_eq!(state.decode_memory.used(), 0, "every reservation returned");
}

#[tokio::test]
async fn bodies_are_admitted_against_the_body_budget() {
    let config = ServerConfig {
        max_body_bytes: 100_000,
        body_memory: 0,
        ..test_config()
    };
    let (app, state) = app_with(config, factory(Behaviour::Read));
    // The budget holds at least two of the largest bodies (each counted twice).
    assert_eq!(state.body_memory.limit(), 200_000);
    let body = json!({ "image": b64(&png(200, 200)) });
    assert_eq!(code_of(&app, recognize(&body)).await, (200, String::new()));
    let held = state.body_memory.reserve(150_000).expect("room");
    // Chunked: the largest body is reserved, and does not fit now.
    let request = Request::post(PATH)
        .body(Body::from_stream(futures_util::stream::iter(vec![Ok::<
            _,
            std::io::Error,
        >(
            body.to_string().into_bytes(),
        )])))
        .expect("request");
    assert_eq!(code_of(&app, request).await, (429, "ModelArts.4401".into()));
    drop(held);
    assert_eq!(state.body_memory.used(), 0);
}
