//! `url` inputs against a local HTTP server on 127.0.0.1: refused by default (SSRF), served
//! when an allow list names the address, with redirects and size limits.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use vlocr_server::config::UrlConfig;
use vlocr_server::ServerConfig;

use crate::support::*;

/// Starts a file server on a free loopback port: `/ok.png`, `/big`, `/slow`, `/missing`,
/// `/hop/{n}` (redirects n more times, then to `/ok.png`), `/to-metadata` (redirects to
/// 169.254.169.254).
async fn file_server() -> SocketAddr {
    async fn hop(Path(n): Path<u32>) -> Response {
        let target = if n == 0 {
            "/ok.png".to_owned()
        } else {
            format!("/hop/{}", n - 1)
        };
        (StatusCode::FOUND, [(header::LOCATION, target)]).into_response()
    }
    let app = Router::new()
        .route("/ok.png", get(|| async { png(240, 160) }))
        .route("/big", get(|| async { vec![0u8; 3 * 1024 * 1024] }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                png(240, 160)
            }),
        )
        .route("/hop/{n}", get(hop))
        .route(
            "/to-metadata",
            get(|| async {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, "http://169.254.169.254/latest/meta-data/")],
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    address
}

fn config(allow: &[&str]) -> ServerConfig {
    ServerConfig {
        url: UrlConfig {
            allow: allow.iter().map(|a| a.parse().expect("network")).collect(),
            timeout: Duration::from_millis(1500),
            max_bytes: 1024 * 1024,
            max_redirects: 3,
        },
        ..test_config()
    }
}

#[tokio::test]
async fn internal_addresses_are_refused_by_default() {
    let server = file_server().await;
    let (app, _) = app_with(config(&[]), factory(Behaviour::Read));
    for url in [
        format!("http://{server}/ok.png"),
        format!("http://localhost:{}/ok.png", server.port()),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://[::1]/".to_owned(),
        "http://10.0.0.1/".to_owned(),
        "ftp://example.com/a.jpg".to_owned(),
        "file:///etc/passwd".to_owned(),
        "not a url".to_owned(),
    ] {
        assert_eq!(
            code_of(&app, recognize(&json!({ "url": url }))).await,
            (400, "ModelArts.4601".into()),
            "{url}"
        );
    }
}

#[tokio::test]
async fn allowed_addresses_are_downloaded_with_limits() {
    let server = file_server().await;
    let (app, _) = app_with(config(&["127.0.0.1/32"]), factory(Behaviour::Read));
    let url = |path: &str| json!({ "url": format!("http://{server}{path}") });
    let (status, _, body) = send(&app, recognize(&url("/ok.png"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["number"], "京A12345");
    assert_eq!(code_of(&app, recognize(&url("/hop/2"))).await.0, 200);
    for path in ["/hop/3", "/big", "/slow", "/missing"] {
        assert_eq!(
            code_of(&app, recognize(&url(path))).await,
            (400, "ModelArts.4603".into()),
            "{path}"
        );
    }
    // A redirect is checked like the first address.
    assert_eq!(
        code_of(&app, recognize(&url("/to-metadata"))).await,
        (400, "ModelArts.4601".into())
    );
}
