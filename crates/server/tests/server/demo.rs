//! The demo page at `/`: served from the binary with a strict Content-Security-Policy, off
//! with `demo_page = false`, and consistent with itself (every element its script looks up is
//! in the page). The page in a real browser is tested in crates/cli/tests/serve.rs.

use axum::body::Body;
use axum::http::{Request, Response};
use serde_json::json;
use tower::ServiceExt;

use crate::support::*;

async fn fetch(app: &axum::Router, path: &str) -> (u16, Response<Body>) {
    let request = Request::get(path).body(Body::empty()).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    (response.status().as_u16(), response)
}

fn header<'a>(response: &'a Response<Body>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn page_and_assets_are_served_with_a_strict_policy() {
    let app = app(Behaviour::Read);
    let (status, page) = fetch(&app, "/").await;
    assert_eq!(status, 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let policy = header(&page, "content-security-policy").to_owned();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    let html = body_text(page).await;
    assert!(html.contains(r#"src="/demo/demo.js""#));
    assert!(html.contains(r#"href="/demo/demo.css""#));

    let (status, script) = fetch(&app, "/demo/demo.js").await;
    assert_eq!(status, 200);
    assert!(header(&script, "content-type").starts_with("text/javascript"));
    let script = body_text(script).await;
    let (status, style) = fetch(&app, "/demo/demo.css").await;
    assert_eq!(status, 200);
    assert!(header(&style, "content-type").starts_with("text/css"));
    let style = body_text(style).await;
    // Nothing is loaded from elsewhere (the page works offline); the SVG namespace is a name.
    for asset in [&html, &script, &style] {
        let local = asset.replace("http://www.w3.org/2000/svg", "");
        assert!(!local.contains("http://") && !local.contains("https://"));
    }

    // Every element the script looks up by id exists in the page.
    for piece in script.split("$(\"").skip(1) {
        let id = piece.split('"').next().expect("id");
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "#{id} is not in the page"
        );
    }
    // The script calls the public endpoint, like any client.
    assert!(script.contains("\"/v2/demo/ocr/vehicle-license\""));
}

#[tokio::test]
async fn the_demo_page_can_be_turned_off() {
    let config = vlocr_server::ServerConfig {
        demo_page: false,
        ..test_config()
    };
    let (app, _) = app_with(config, factory(Behaviour::Read));
    for path in ["/", "/demo/demo.js"] {
        let request = Request::get(path).body(Body::empty()).expect("request");
        assert_eq!(code_of(&app, request).await, (404, "APIG.0101".into()));
    }
    // The API itself is unaffected.
    let body = json!({ "image": b64(&png(200, 150)) });
    assert_eq!(code_of(&app, recognize(&body)).await, (200, String::new()));
}

#[tokio::test]
async fn answers_carry_server_timing() {
    let app = app(Behaviour::Read);
    let body = json!({ "image": b64(&png(200, 150)) });
    let response = app
        .clone()
        .oneshot(recognize(&body))
        .await
        .expect("infallible");
    assert_eq!(response.status().as_u16(), 200);
    let timing = header(&response, "server-timing");
    for stage in [
        "queue",
        "decode",
        "detect",
        "orient",
        "recognize",
        "fields",
        "total",
    ] {
        assert!(timing.contains(&format!("{stage};dur=")), "{timing}");
    }
    // Errors carry none.
    let response = app
        .clone()
        .oneshot(recognize(&json!({ "image": "%%%" })))
        .await
        .expect("infallible");
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.headers().get("server-timing").is_none());
}
