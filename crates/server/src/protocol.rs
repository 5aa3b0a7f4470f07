//! HTTP protocol errors answered like every other error: hyper's own bodiless 400/414/431
//! responses to a malformed request are replaced, on their way to the socket, by a Huawei JSON
//! error with `X-Request-Id`, and each gets one log line.
//!
//! hyper parses a request's head before the application sees it, and answers one it cannot
//! parse by itself. The connection's I/O is wrapped: a response head that hyper writes while no
//! request of that connection reached the application can only be such an automatic answer.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::metrics::Metrics;
use crate::ApiError;

/// What the application has seen of one connection.
#[derive(Default)]
pub struct ConnectionWatch {
    /// Requests handed to the application whose response head has not been written yet.
    expected_heads: AtomicUsize,
}

impl ConnectionWatch {
    /// A request reached the application: the next response head is its answer.
    pub fn request_started(&self) {
        self.expected_heads.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether a response head about to be written answers a request of the application
    /// (and counts it written).
    fn take_expected(&self) -> bool {
        self.expected_heads
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
            .is_ok()
    }
}

/// A connection's socket, rewriting hyper's automatic error responses.
pub struct ProtocolIo {
    inner: TcpStream,
    watch: Arc<ConnectionWatch>,
    metrics: Arc<Metrics>,
    /// A replacement response not yet written to the socket.
    pending: Vec<u8>,
    written: usize,
}

impl ProtocolIo {
    /// Wraps a connection; the watch is told of each request the application gets.
    pub fn new(inner: TcpStream, metrics: Arc<Metrics>) -> (Self, Arc<ConnectionWatch>) {
        let watch = Arc::new(ConnectionWatch::default());
        let io = Self {
            inner,
            watch: Arc::clone(&watch),
            metrics,
            pending: Vec::new(),
            written: 0,
        };
        (io, watch)
    }

    /// Writes what is left of a replacement response.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = std::task::ready!(
                Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..])
            )?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        Poll::Ready(Ok(()))
    }
}

/// The status of a response head at the start of `buf`, if it starts with one.
fn response_status(buf: &[u8]) -> Option<u16> {
    let rest = buf.strip_prefix(b"HTTP/1.1 ")?;
    let digits = rest.get(..3)?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The error for hyper's automatic answer with this status.
fn protocol_error(status: u16) -> ApiError {
    match status {
        414 => ApiError::UriTooLong,
        431 => ApiError::HeadersTooLarge,
        _ => ApiError::MalformedHttp,
    }
}

/// A whole HTTP/1.1 response carrying `error`'s JSON body, closing the connection.
pub fn canned_response(error: ApiError, request_id: &str) -> Vec<u8> {
    let (status, _, _) = error.parts();
    let body = error.body().to_string();
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: {}\r\nconnection: close\r\n\r\n{}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
        request_id,
        body
    )
    .into_bytes()
}

impl AsyncRead for ProtocolIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for ProtocolIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        std::task::ready!(this.poll_pending(cx))?;
        if let Some(status) = response_status(buf) {
            // 1xx (100 Continue) precede an application's answer; they are hyper's to send.
            if status >= 200 && !this.watch.take_expected() {
                let error = protocol_error(status);
                let id = crate::routes::new_request_id();
                tracing::info!(
                    request_id = %id,
                    route = "protocol",
                    status = error.parts().0.as_u16(),
                    code = error.code(),
                    detail = %error,
                    "request"
                );
                this.metrics
                    .record_protocol_error(error.parts().0.as_u16(), error.code());
                this.pending = canned_response(error, &id);
                this.written = 0;
                // hyper's own head (no body: it has `content-length: 0`) is dropped.
                return Poll::Ready(Ok(buf.len()));
            }
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Not vectored: hyper then writes each response head at the start of one buffer.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_read_only_at_the_start_of_a_head() {
        assert_eq!(response_status(b"HTTP/1.1 400 Bad Request\r\n"), Some(400));
        assert_eq!(response_status(b"HTTP/1.1 100 Continue\r\n"), Some(100));
        assert_eq!(response_status(b"{\"HTTP/1.1 400"), None);
        assert_eq!(response_status(b"HTTP/1.1 4"), None);
    }

    #[test]
    fn canned_responses_are_whole_json_answers() {
        let text = String::from_utf8(canned_response(ApiError::HeadersTooLarge, "abc")).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        assert!(head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(head.contains("x-request-id: abc"));
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(json["error_code"], "AIS.0101");
    }

    #[test]
    fn an_expected_head_is_taken_once() {
        let watch = ConnectionWatch::default();
        assert!(!watch.take_expected());
        watch.request_started();
        assert!(watch.take_expected());
        assert!(!watch.take_expected());
    }
}
