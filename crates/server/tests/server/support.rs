//! Fakes and helpers shared by the server's tests: readers that need no model, an app built
//! around them, and requests sent with `oneshot`.

#![allow(dead_code, unreachable_pub)]

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use base64::Engine as _;
use http_body_util::BodyExt;
use serde_json::{json, Map, Value};
use tower::ServiceExt;
use vlocr_server::reader::{decode_checked, ReadTimings};
use vlocr_server::request::{ReadOptions, Side};
use vlocr_server::{
    router, ApiError, AppState, LicenseReader, ReadOutcome, ReaderFactory, ServerConfig, WorkerPool,
};

/// What a fake reader does after decoding the image for real.
#[derive(Debug, Clone, Copy)]
pub enum Behaviour {
    /// Returns a fixed plate and VIN.
    Read,
    /// Sleeps, then reads.
    Slow(Duration),
    /// Reads for this long, as the engine does, unless the deadline it was given comes
    /// first: then it stops there, answering `Timeout`.
    StopsAtDeadline(Duration),
    /// Fails with this error.
    Fail(ApiError),
    /// Panics.
    Panic,
}

pub struct FakeReader(pub Behaviour, pub Option<std::time::Instant>);

impl LicenseReader for FakeReader {
    fn read(
        &mut self,
        bytes: &[u8],
        _side: Side,
        options: ReadOptions,
    ) -> Result<ReadOutcome, ApiError> {
        decode_checked(bytes)?;
        match self.0 {
            Behaviour::Read => {}
            Behaviour::Slow(time) => std::thread::sleep(time),
            Behaviour::StopsAtDeadline(time) => {
                let end = std::time::Instant::now() + time;
                while std::time::Instant::now() < end {
                    if self.1.is_some_and(|d| std::time::Instant::now() >= d) {
                        return Err(ApiError::Timeout);
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            Behaviour::Fail(error) => return Err(error),
            Behaviour::Panic => panic!("fake reader panics on purpose"),
        }
        let mut result = Map::new();
        result.insert("number".into(), json!("京A12345"));
        result.insert("vin".into(), json!("LSVAM4187C2184847"));
        if options.return_issuing_authority {
            result.insert(
                "issuing_authority".into(),
                json!("北京市公安局公安交通管理局"),
            );
        }
        Ok(ReadOutcome {
            result,
            timings: ReadTimings::default(),
            work: Default::default(),
        })
    }

    fn set_deadline(&mut self, deadline: Option<std::time::Instant>) {
        self.1 = deadline;
    }
}

pub fn factory(behaviour: Behaviour) -> ReaderFactory {
    Arc::new(move || Ok(Box::new(FakeReader(behaviour, None)) as Box<dyn LicenseReader>))
}

/// A config for tests: 1 worker, no queue, short deadline.
pub fn test_config() -> ServerConfig {
    ServerConfig {
        workers: 1,
        queue: 0,
        request_timeout: Duration::from_secs(5),
        ..ServerConfig::default()
    }
}

pub fn app_with(config: ServerConfig, factory: ReaderFactory) -> (Router, Arc<AppState>) {
    let pool = WorkerPool::start(config.workers, config.queue, factory);
    let state = Arc::new(AppState::new(config, pool));
    (router(Arc::clone(&state)), state)
}

pub fn app(behaviour: Behaviour) -> Router {
    app_with(test_config(), factory(behaviour)).0
}

/// A PNG of `width` x `height` pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([200, 190, 180]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode png");
    out
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn post(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json;charset=UTF-8")
        .body(body.into())
        .expect("request")
}

pub const PATH: &str = "/v2/0123456789abcdef/ocr/vehicle-license";

pub fn recognize(body: &Value) -> Request<Body> {
    post(PATH, body.to_string())
}

/// Sends `request` and returns status, the X-Request-Id and the JSON body (Null when not JSON).
pub async fn send(app: &Router, request: Request<Body>) -> (u16, Option<String>, Value) {
    let response: Response<Body> = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status().as_u16();
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = body_text(response).await;
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, id, value)
}

/// The whole body of `response`, as text (lossy).
pub async fn body_text(response: Response<Body>) -> String {
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Sends and returns status and error code (empty on success).
pub async fn code_of(app: &Router, request: Request<Body>) -> (u16, String) {
    let (status, _, body) = send(app, request).await;
    (
        status,
        body["error_code"].as_str().unwrap_or_default().to_owned(),
    )
}

/// `vlocr_server::serve` on a free loopback port with a fake reader: its address, the sender
/// that stops it (used or dropped), and its task.
pub async fn serve_on_loopback(
    config: ServerConfig,
    behaviour: Behaviour,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), vlocr_server::ServerError>>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(vlocr_server::serve(
        listener,
        config,
        factory(behaviour),
        async move {
            let _ = stopped.await;
        },
    ));
    (address, stop, server)
}
