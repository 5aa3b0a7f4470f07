//! vlocr's HTTP service: Huawei Cloud OCR's `RecognizeVehicleLicense` contract, self-hosted.
//!
//! [`router`] serves `POST /v2/{project_id}/ocr/vehicle-license` with Huawei's request fields,
//! result shape and error table ([`ApiError::parts`]), authenticated by `X-Auth-Token` or AK/SK
//! signatures ([`signature`]), plus an IAM-compatible `POST /v3/auth/tokens`, `/health/live`,
//! `/health/ready`, `/metrics` (Prometheus) and `/openapi.json`. Every response carries
//! `X-Request-Id`.
//!
//! Images are read on a fixed pool of OS threads ([`WorkerPool`]), each with its own
//! [`LicenseReader`]; the async runtime only moves bytes. When every worker is busy and the
//! queue is full, requests are answered 429 at once. `url` inputs are downloaded with SSRF
//! protection ([`fetch`]).
//!
//! [`serve`] runs it all on a listener until a shutdown signal, then finishes accepted requests.

pub mod address;
mod answer;
pub mod auth;
pub mod budget;
pub mod config;
pub mod connections;
mod electronic;
mod error;
pub mod fetch;
pub mod metrics;
pub mod protocol;
pub mod reader;
pub mod request;
mod routes;
pub mod signature;
pub mod throttle;
pub mod workers;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use config::ServerConfig;
pub use error::{ApiError, ServerError};
pub use reader::{EngineReader, LicenseReader, ReadOutcome};
pub use routes::{router, AppState, RequestId, OPENAPI};
pub use workers::{ReaderFactory, Readiness, WorkerPool};

/// Binds the configured address, refusing a non-loopback address without credentials unless
/// unauthenticated access is allowed.
pub async fn bind(config: &ServerConfig) -> Result<tokio::net::TcpListener, ServerError> {
    let address = config.listen;
    if !config.auth.has_credentials()
        && !address.ip().is_loopback()
        && !config.auth.allow_unauthenticated
    {
        return Err(ServerError::Unauthenticated { address });
    }
    tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| ServerError::Bind { address, source })
}

/// Serves on `listener` until `shutdown` completes, then lets accepted requests finish within
/// the shutdown deadline ([`connections`]). The
/// workers load their models in the background (`/health/ready` says when); if every worker
/// fails to load, serving stops with [`ServerError::WorkersFailed`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: ServerConfig,
    factory: ReaderFactory,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let local: Option<SocketAddr> = listener.local_addr().ok();
    if !config.auth.has_credentials() {
        tracing::warn!(
            address = ?local,
            "no credentials configured: every request is accepted without authentication"
        );
    }
    let pool = WorkerPool::start(config.workers, config.queue, factory);
    let state = Arc::new(AppState::new(config, pool));
    let app = router(Arc::clone(&state));
    let server = connections::serve_connections(
        listener,
        app,
        state.config.connections,
        Arc::clone(&state.metrics),
        shutdown,
    );
    let loading = {
        let state = Arc::clone(&state);
        async move {
            match state.pool.wait_until_loaded().await {
                Readiness::Failed(message) => message,
                _ => {
                    tracing::info!(workers = state.pool.workers(), "models loaded; ready");
                    std::future::pending().await
                }
            }
        }
    };
    tokio::select! {
        () = server => {},
        message = loading => return Err(ServerError::WorkersFailed(message)),
    }
    // Accepted requests are answered; let the workers finish and stop off the runtime.
    if let Ok(state) = Arc::try_unwrap(state) {
        let mut pool = state.pool;
        let _ = tokio::task::spawn_blocking(move || pool.shut_down()).await;
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing accepted requests");
}
