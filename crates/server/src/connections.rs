//! Accepting connections: a header (and keep-alive idle) timeout, a cap on open connections
//! where the oldest idle connection makes room for a new one, one log line per protocol error,
//! and a shutdown deadline after which the connections left are dropped.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tower_service::Service;

use crate::metrics::{Closed, Metrics};
use crate::protocol::ProtocolIo;

/// How connections are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Time a client has to send a request's headers, counted from when the connection is
    /// opened or its previous answer was sent: also the longest a kept-alive connection stays
    /// idle.
    pub header_timeout: Duration,
    /// Connections open at once. Beyond it, the oldest connection with no request in progress
    /// is closed to make room; when every connection has one, the new one is answered
    /// ModelArts.4401 and closed.
    pub max_connections: usize,
    /// After a shutdown signal, time the requests in progress have to finish before their
    /// connections are dropped.
    pub shutdown_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            shutdown_timeout: Duration::from_secs(20),
        }
    }
}

/// One open connection, as the accept loop sees it.
struct Slot {
    opened: Instant,
    /// Requests of this connection whose handler is running.
    busy: Arc<AtomicUsize>,
    /// Closes the connection when notified.
    evict: Arc<Notify>,
}

/// The open connections, by accept order.
#[derive(Default)]
struct Registry {
    next: u64,
    open: BTreeMap<u64, Slot>,
}

impl Registry {
    fn insert(&mut self) -> (u64, Arc<AtomicUsize>, Arc<Notify>) {
        let id = self.next;
        self.next += 1;
        let busy = Arc::new(AtomicUsize::new(0));
        let evict = Arc::new(Notify::new());
        self.open.insert(
            id,
            Slot {
                opened: Instant::now(),
                busy: Arc::clone(&busy),
                evict: Arc::clone(&evict),
            },
        );
        (id, busy, evict)
    }

    /// Closes the oldest connection with no request in progress; false when there is none.
    fn evict_oldest_idle(&mut self) -> bool {
        let oldest = self
            .open
            .iter()
            .filter(|(_, slot)| slot.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|(_, slot)| slot.opened)
            .map(|(&id, _)| id);
        match oldest.and_then(|id| self.open.remove(&id)) {
            Some(slot) => {
                slot.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

fn lock(registry: &Mutex<Registry>) -> std::sync::MutexGuard<'_, Registry> {
    registry.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Counts a request as in progress on its connection while it lives.
struct InProgress(Arc<AtomicUsize>);

impl InProgress {
    fn new(busy: &Arc<AtomicUsize>) -> Self {
        busy.fetch_add(1, Ordering::AcqRel);
        Self(Arc::clone(busy))
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting, lets the
/// requests in progress finish within `limits.shutdown_timeout`, and drops what is left.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let (stop, stopping) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut refused_since_log = 0u64;
    let mut last_refusal_log: Option<Instant> = None;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait
                // a little rather than spin.
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let slot = {
            let mut open = lock(&registry);
            if open.open.len() >= limits.max_connections && !open.evict_oldest_idle() {
                None
            } else {
                Some(open.insert())
            }
        };
        let Some((id, busy, evict)) = slot else {
            refused_since_log += 1;
            if last_refusal_log.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
                tracing::warn!(
                    refused = refused_since_log,
                    max_connections = limits.max_connections,
                    "connection limit reached and every connection has a request in progress: refusing"
                );
                refused_since_log = 0;
                last_refusal_log = Some(Instant::now());
            }
            metrics.record_closed(Closed::Refused);
            tasks.spawn(refuse(stream));
            continue;
        };
        let app = app.clone();
        let registry = Arc::clone(&registry);
        let mut stopping = stopping.clone();
        let metrics = Arc::clone(&metrics);
        // Counted open until the task ends, or is dropped unpolled at the shutdown deadline.
        let open = OpenConnection::new(Arc::clone(&metrics));
        tasks.spawn(async move {
            let _open = open;
            let (io, watch) = ProtocolIo::new(stream, Arc::clone(&metrics));
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let in_progress = InProgress::new(&busy);
                let mut app = app.clone();
                watch.request_started();
                async move {
                    let response: Response<Body> = app.call(request.map(Body::new)).await?;
                    drop(in_progress);
                    Ok::<_, Infallible>(response)
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection(TokioIo::new(io), service);
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                () = evict.notified() => {
                    metrics.record_closed(Closed::Evicted);
                    Ok(())
                }
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            lock(&registry).open.remove(&id);
            if let Err(error) = result {
                if error.is_timeout() {
                    metrics.record_closed(Closed::HeaderTimeout);
                }
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let open = tasks.len();
    if open > 0 {
        tracing::info!(connections = open, "closing connections");
    }
    let deadline = tokio::time::sleep(limits.shutdown_timeout);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            () = &mut deadline => {
                tracing::warn!(
                    connections = tasks.len(),
                    "shutdown deadline reached: dropping the connections left"
                );
                for _ in 0..tasks.len() {
                    metrics.record_closed(Closed::ShutdownDeadline);
                }
                tasks.abort_all();
                while tasks.join_next().await.is_some() {}
                break;
            }
            next = tasks.join_next() => if next.is_none() { break },
        }
    }
}

/// Counts a connection open while it lives (an aborted task drops it too).
struct OpenConnection(Arc<Metrics>);

impl OpenConnection {
    fn new(metrics: Arc<Metrics>) -> Self {
        metrics.connection(true);
        Self(metrics)
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.connection(false);
    }
}

/// Answers a connection over the limit with ModelArts.4401 and closes it.
async fn refuse(mut stream: TcpStream) {
    let response =
        crate::protocol::canned_response(crate::ApiError::Busy, &crate::routes::new_request_id());
    let write = async {
        stream.write_all(&response).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_idle_connection_is_evicted_first() {
        let mut registry = Registry::default();
        let (first, first_busy, _) = registry.insert();
        let (second, _, second_evict) = registry.insert();
        let (third, _, _) = registry.insert();
        first_busy.fetch_add(1, Ordering::AcqRel);
        assert!(registry.evict_oldest_idle());
        assert!(registry.open.contains_key(&first));
        assert!(!registry.open.contains_key(&second));
        assert!(registry.open.contains_key(&third));
        // The evicted connection's task is told (the permit waits for it).
        let notified = second_evict.notified();
        tokio::pin!(notified);
        assert!(futures_util::FutureExt::now_or_never(notified).is_some());
        assert!(registry.evict_oldest_idle());
        assert!(!registry.evict_oldest_idle(), "the busy one stays");
    }
}
