//! The HTTP routes: recognition, IAM tokens, health, metrics, OpenAPI, and the request-id and
//! access-log middleware around them.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Body;
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use serde_json::json;

use crate::auth::{iso8601, Authenticator};
use crate::budget::MemoryBudget;
use crate::config::ServerConfig;
use crate::fetch::download;
use crate::metrics::{Gauges, Metrics};
use crate::reader::{decode_error, ReadTimings};
use crate::request::{parse_request, ImageSource};
use crate::signature::SignedRequest;
use crate::throttle::Throttle;
use crate::workers::{Readiness, WorkerPool};
use crate::ApiError;
use vlocr_pipeline::decode_cost;

/// The OpenAPI document served at `/openapi.json` (also in the repository).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// A client refused 429 before its body is read has this long to send it (it is read and
/// dropped, so that the answer arrives on a connection that is not reset under the client).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything the handlers share.
pub struct AppState {
    /// The inference workers.
    pub pool: WorkerPool,
    /// Credentials.
    pub auth: Authenticator,
    /// Counters (shared with the connection layer).
    pub metrics: Arc<Metrics>,
    /// Per-caller rate limits, when configured.
    pub throttle: Option<Throttle>,
    /// Bytes the request bodies being read may take at once (with the images they carry).
    pub body_memory: Arc<MemoryBudget>,
    /// Bytes the images being decoded may take at once.
    pub decode_memory: Arc<MemoryBudget>,
    /// Settings.
    pub config: ServerConfig,
}

impl AppState {
    /// State over a started pool.
    pub fn new(config: ServerConfig, pool: WorkerPool) -> Self {
        Self {
            auth: Authenticator::new(config.auth.clone()),
            throttle: config.auth.rate_limit.map(Throttle::new),
            // A body of the largest size, and the image it carries, always fit.
            body_memory: MemoryBudget::new(
                (config.body_memory as u64).max(2 * config.max_body_bytes as u64),
            ),
            decode_memory: MemoryBudget::new(config.decode_memory as u64),
            pool,
            metrics: Arc::default(),
            config,
        }
    }
}

/// The request id of the current request, set by the middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The service's routes.
pub fn router(state: Arc<AppState>) -> Router {
    let mut router = Router::new();
    if state.config.demo_page {
        router = router
            .route(
                "/",
                get(|| demo_asset(DEMO_HTML, "text/html; charset=utf-8")),
            )
            .route(
                "/demo/demo.js",
                get(|| demo_asset(DEMO_JS, "text/javascript; charset=utf-8")),
            )
            .route(
                "/demo/demo.css",
                get(|| demo_asset(DEMO_CSS, "text/css; charset=utf-8")),
            );
    }
    router
        .route("/v2/{project_id}/ocr/vehicle-license", post(recognize))
        .route("/v3/auth/tokens", post(issue_token))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn(request_id_and_log))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// The demo page, embedded in the binary (no CDN: it works offline).
const DEMO_HTML: &str = include_str!("../demo/index.html");
const DEMO_JS: &str = include_str!("../demo/demo.js");
const DEMO_CSS: &str = include_str!("../demo/demo.css");

/// The page may load only its own script and style, call only this server, and show only the
/// image it was given.
const DEMO_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

async fn demo_asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                axum::http::header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DEMO_CSP),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                axum::http::header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn live() -> Json<serde_json::Value> {
    Json(json!({ "status": "live" }))
}

async fn ready(State(state): State<Arc<AppState>>) -> Response {
    let loaded = state.pool.loaded_workers();
    let workers = state.pool.workers();
    match state.pool.readiness() {
        Readiness::Ready if loaded > 0 => {
            Json(json!({ "status": "ready", "workers": workers, "workers_loaded": loaded }))
                .into_response()
        }
        Readiness::Failed(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "failed", "workers": workers, "workers_loaded": 0 })),
        )
            .into_response(),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "loading", "workers": workers, "workers_loaded": loaded })),
        )
            .into_response(),
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let pool = &state.pool;
    let text = state.metrics.render(Gauges {
        in_flight: pool.in_flight(),
        queue_depth: pool.queue_depth(),
        workers: pool.workers(),
        loaded_workers: pool.loaded_workers(),
    });
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

async fn openapi() -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        OPENAPI,
    )
        .into_response()
}

/// The body's declared length, if any.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Reads the body up to `limit` bytes into one buffer: a declared or actual larger body is
/// refused without reading the rest, one that stops arriving before `deadline` is
/// [`ApiError::BodyStalled`].
async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    deadline: Instant,
) -> Result<Vec<u8>, ApiError> {
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::BodyTooLarge);
    }
    let mut bytes = Vec::with_capacity(declared.map_or(0, |n| n as usize));
    let read = async {
        let mut body = body;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| ApiError::InvalidJson)?;
            if let Some(data) = frame.data_ref() {
                if bytes.len() + data.len() > limit {
                    return Err(ApiError::BodyTooLarge);
                }
                bytes.extend_from_slice(data);
            }
        }
        Ok(())
    };
    tokio::time::timeout_at(deadline.into(), read)
        .await
        .map_err(|_| ApiError::BodyStalled)??;
    Ok(bytes)
}

/// Reads and drops up to `limit` bytes of a body, for a little while.
async fn drain_body(body: Body, limit: usize) {
    let mut body = body;
    let mut seen = 0usize;
    let drain = async {
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                seen += data.len();
                if seen > limit {
                    break;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain).await;
}

async fn issue_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let deadline = Instant::now() + state.config.request_timeout;
    let body = read_body(&headers, body, 64 * 1024, deadline).await?;
    let issued = state.auth.issue_token(&body, SystemTime::now())?;
    let token = HeaderValue::from_str(&issued.token).map_err(|_| ApiError::IamAuthFailed)?;
    let body = json!({ "token": {
        "methods": ["password"],
        "issued_at": iso8601(issued.issued_at),
        "expires_at": iso8601(issued.expires_at),
        "user": { "name": issued.user },
    }});
    Ok((
        StatusCode::CREATED,
        [("X-Subject-Token", token)],
        Json(body),
    )
        .into_response())
}

async fn recognize(
    State(state): State<Arc<AppState>>,
    Path(project_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let start = Instant::now();
    let outcome = if project_id.trim().is_empty() {
        Err(ApiError::NotFound)
    } else {
        recognize_inner(&state, method, uri, headers, body, start).await
    };
    let response = match outcome {
        Ok((result, stages)) => {
            let timing = server_timing(&stages, start.elapsed());
            let mut response = Json(json!({ "result": result })).into_response();
            if let Ok(value) = HeaderValue::from_str(&timing) {
                response.headers_mut().insert("Server-Timing", value);
            }
            response
        }
        Err(error) => error.into_response(),
    };
    let code = response
        .extensions()
        .get::<ApiError>()
        .map_or("", |e| e.code());
    state
        .metrics
        .record_request(response.status().as_u16(), code, start.elapsed());
    response
}

/// A request's way: credentials from its headers, room in the pool and in the body budget,
/// the body, its signature and rate limit and fields (off the runtime threads), the image's
/// decoding budget from its header, then a worker.
async fn recognize_inner(
    state: &Arc<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    start: Instant,
) -> Result<(serde_json::Map<String, serde_json::Value>, Stages), ApiError> {
    let config = &state.config;
    let deadline = start + config.request_timeout;
    state.auth.check_headers(&headers, SystemTime::now())?;
    // Under overload, refuse without reading, hashing or decoding: a 429 must cost next to
    // nothing. The body is still drained, so that the client gets its answer on a connection
    // that stays open rather than a reset while it is still sending.
    let declared = declared_length(&headers);
    if declared.is_some_and(|n| n > config.max_body_bytes as u64) {
        return Err(ApiError::BodyTooLarge);
    }
    let body_memory = if state.pool.is_full() {
        Err(ApiError::Busy)
    } else {
        // The body and the image decoded from its base64.
        state
            .body_memory
            .reserve(2 * declared.unwrap_or(config.max_body_bytes as u64))
    };
    let Ok(body_memory) = body_memory else {
        drain_body(body, config.max_body_bytes).await;
        return Err(ApiError::Busy);
    };
    let body = read_body(&headers, body, config.max_body_bytes, deadline).await?;
    let checked = {
        let state = Arc::clone(state);
        tokio::task::spawn_blocking(move || {
            let caller = state.auth.check(
                &SignedRequest {
                    method: &method,
                    path: uri.path(),
                    query: uri.query(),
                    headers: &headers,
                    body: &body,
                },
                SystemTime::now(),
            )?;
            if let Some(throttle) = &state.throttle {
                if !throttle.allow(&caller, Instant::now()) {
                    return Err(ApiError::Throttled);
                }
            }
            parse_request(&body)
        })
    };
    let request = checked.await.map_err(|_| ApiError::RecognitionFailed)??;
    let bytes = match request.source {
        ImageSource::Inline(bytes) => bytes,
        ImageSource::Url(url) => {
            let began = Instant::now();
            let bytes = tokio::time::timeout_at(deadline.into(), download(&url, &config.url))
                .await
                .map_err(|_| ApiError::Timeout)??;
            state.metrics.record_download(began.elapsed());
            bytes
        }
    };
    let cost = decode_cost(&bytes).map_err(|e| decode_error(&e))?;
    let decode_memory = state.decode_memory.reserve(cost.peak_bytes)?;
    let reply = state
        .pool
        .submit(bytes, request.side, request.options, deadline)
        .await?;
    drop((decode_memory, body_memory));
    state.metrics.record_queue(reply.queue_wait);
    let outcome = reply.outcome?;
    state.metrics.record_read(&outcome.timings);
    let stages = Stages {
        queue: reply.queue_wait,
        read: outcome.timings,
    };
    Ok((outcome.result, stages))
}

/// Where a request's time went, for the `Server-Timing` header.
struct Stages {
    queue: Duration,
    read: ReadTimings,
}

/// The `Server-Timing` header (W3C Server Timing): each stage and the total, in milliseconds.
/// Browsers show it in their network panel; the demo page prints it.
fn server_timing(stages: &Stages, total: Duration) -> String {
    let read = &stages.read;
    [
        ("queue", stages.queue),
        ("decode", read.decode),
        ("detect", read.detect),
        ("orient", read.orient),
        ("recognize", read.recognize),
        ("fields", read.fields),
        ("total", total),
    ]
    .iter()
    .map(|(name, d)| format!("{name};dur={:.1}", d.as_secs_f64() * 1e3))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Gives every response an `X-Request-Id` and writes one access-log line per request: method,
/// route template, status, error code and time. Never the URI's query, a header value, the
/// body or a field.
async fn request_id_and_log(mut request: Request, next: Next) -> Response {
    let id = new_request_id();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    request.extensions_mut().insert(RequestId(id.clone()));
    let start = Instant::now();
    let mut response = next.run(request).await;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
    let error = response.extensions().get::<ApiError>().copied();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("X-Request-Id", value);
    }
    let status = response.status().as_u16();
    match error {
        Some(error) => tracing::info!(
            request_id = %id,
            %method,
            route,
            status,
            code = error.code(),
            detail = %error,
            elapsed_ms,
            "request"
        ),
        None => tracing::info!(request_id = %id, %method, route, status, elapsed_ms, "request"),
    }
    response
}

/// A fresh request id: 32 hex digits.
pub(crate) fn new_request_id() -> String {
    let mut raw = [0u8; 16];
    if getrandom::fill(&mut raw).is_err() {
        // Unique enough for a log line when the OS has no randomness to give.
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        raw = nanos.to_le_bytes();
    }
    hex::encode(raw)
}
