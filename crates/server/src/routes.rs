//! The HTTP routes: recognition, IAM tokens, health, metrics, OpenAPI, and the request-id and
//! access-log middleware around them.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use serde_json::json;

use crate::auth::{iso8601, Authenticator};
use crate::config::ServerConfig;
use crate::fetch::download;
use crate::metrics::{Gauges, Metrics};
use crate::reader::ReadTimings;
use crate::request::{parse_request, ImageSource};
use crate::signature::SignedRequest;
use crate::throttle::Throttle;
use crate::workers::{Readiness, WorkerPool};
use crate::ApiError;

/// The OpenAPI document served at `/openapi.json` (also in the repository).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// A client has this long to send its whole body.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything the handlers share.
pub struct AppState {
    /// The inference workers.
    pub pool: WorkerPool,
    /// Credentials.
    pub auth: Authenticator,
    /// Counters.
    pub metrics: Metrics,
    /// Per-caller rate limits, when configured.
    pub throttle: Option<Throttle>,
    /// Settings.
    pub config: ServerConfig,
}

impl AppState {
    /// State over a started pool.
    pub fn new(config: ServerConfig, pool: WorkerPool) -> Self {
        Self {
            auth: Authenticator::new(config.auth.clone()),
            throttle: config.auth.rate_limit.map(Throttle::new),
            pool,
            metrics: Metrics::default(),
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

/// Reads the body up to `limit` bytes: a declared or actual larger body is refused without
/// reading the rest.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::BodyTooLarge);
    }
    let limited = http_body_util::Limited::new(body, limit);
    match tokio::time::timeout(BODY_READ_TIMEOUT, limited.collect()).await {
        Err(_) => Err(ApiError::Timeout),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            Err(ApiError::BodyTooLarge)
        }
        Ok(Err(_)) => Err(ApiError::InvalidJson),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// Reads and drops up to `limit` bytes of a body, within the body timeout.
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
    let _ = tokio::time::timeout(BODY_READ_TIMEOUT, drain).await;
}

async fn issue_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let body = read_body(&headers, body, 64 * 1024).await?;
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
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let start = Instant::now();
    let outcome = recognize_inner(&state, &method, &uri, &headers, body, start).await;
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

async fn recognize_inner(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
    start: Instant,
) -> Result<(serde_json::Map<String, serde_json::Value>, Stages), ApiError> {
    let config = &state.config;
    if state.auth.required() && !Authenticator::has_credentials(headers) {
        return Err(ApiError::MissingCredentials);
    }
    // Under overload, refuse without parsing, hashing or decoding: a 429 must cost next to
    // nothing. The body is still read and dropped, so that the client gets its answer on a
    // connection that stays open rather than a reset while it is still sending.
    if state.pool.is_full() {
        drain_body(body, config.max_body_bytes).await;
        return Err(ApiError::Busy);
    }
    let body = read_body(headers, body, config.max_body_bytes).await?;
    let caller = state.auth.check(
        &SignedRequest {
            method,
            path: uri.path(),
            query: uri.query(),
            headers,
            body: &body,
        },
        SystemTime::now(),
    )?;
    if let Some(throttle) = &state.throttle {
        if !throttle.allow(&caller, Instant::now()) {
            return Err(ApiError::Throttled);
        }
    }
    let request = parse_request(&body)?;
    drop(body);
    let deadline = start + config.request_timeout;
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
    let reply = state
        .pool
        .submit(bytes, request.side, request.options, deadline)
        .await?;
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

fn new_request_id() -> String {
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
