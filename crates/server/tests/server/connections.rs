//! Connections over a real socket: the header timeout, the cap on open connections, protocol
//! errors answered in JSON, and the shutdown deadline.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use vlocr_server::connections::ConnectionLimits;

use crate::support::*;

/// A server with these connection limits on a free port (see [`serve_on_loopback`]).
async fn start(
    limits: ConnectionLimits,
    behaviour: Behaviour,
) -> (
    std::net::SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), vlocr_server::ServerError>>,
) {
    let mut config = test_config();
    config.connections = limits;
    serve_on_loopback(config, behaviour).await
}

/// Everything the server sends until it closes the connection (or 5 s pass).
async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    out
}

async fn health(address: std::net::SocketAddr) -> Vec<u8> {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    read_to_close(&mut stream).await
}

fn limits(header_timeout_ms: u64, max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_timeout: Duration::from_millis(header_timeout_ms),
        max_connections,
        shutdown_timeout: Duration::from_secs(2),
    }
}

#[tokio::test]
async fn a_half_sent_header_is_closed_after_the_header_timeout() {
    let (address, _stop, _server) = start(limits(300, 64), Behaviour::Read).await;
    let mut slow = TcpStream::connect(address).await.expect("connect");
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let began = Instant::now();
    let answer = read_to_close(&mut slow).await;
    let waited = began.elapsed();
    assert!(answer.is_empty(), "nothing is answered: {answer:?}");
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(2),
        "closed after {waited:?}"
    );
}

#[tokio::test]
async fn the_oldest_idle_connection_makes_room_and_health_answers() {
    let (address, _stop, _server) = start(limits(10_000, 8), Behaviour::Read).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(TcpStream::connect(address).await.expect("connect"));
    }
    let answer = String::from_utf8(health(address).await).expect("text");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // The first ones were closed to make room.
    let mut first = idle.remove(0);
    assert!(read_to_close(&mut first).await.is_empty());
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let metrics = String::from_utf8(read_to_close(&mut stream).await).expect("text");
    let evicted = metrics
        .lines()
        .find_map(|l| l.strip_prefix("vlocr_connections_closed_total{reason=\"evicted\"} "))
        .and_then(|n| n.parse::<u64>().ok())
        .expect("eviction counter");
    assert!(evicted >= 12, "{evicted} evicted");
    assert!(metrics.contains("vlocr_open_connections "));
}

#[tokio::test]
async fn malformed_requests_get_json_errors_with_a_request_id() {
    let (address, _stop, _server) = start(limits(2_000, 64), Behaviour::Read).await;
    let cases: [(&[u8], &str); 2] = [
        (
            b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
            "HTTP/1.1 400 ",
        ),
        (
            b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "HTTP/1.1 400 ",
        ),
    ];
    for (request, status) in cases {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        stream.write_all(request).await.expect("write");
        let answer = String::from_utf8(read_to_close(&mut stream).await).expect("text");
        assert!(answer.starts_with(status), "{answer}");
        assert!(answer.contains("x-request-id: "), "{answer}");
        let body = answer.split_once("\r\n\r\n").expect("body").1;
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
        assert_eq!(json["error_code"], "AIS.0101");
    }
    let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(long.as_bytes()).await.expect("write");
    let answer = String::from_utf8(read_to_close(&mut stream).await).expect("text");
    assert!(answer.starts_with("HTTP/1.1 414 "), "{answer:.80}");
    // A good request after a good one on the same connection is not mistaken for an error.
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\nGET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    let answer = String::from_utf8(read_to_close(&mut stream).await).expect("text");
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
}

#[tokio::test]
async fn shutdown_answers_requests_in_flight_and_drops_half_sent_headers_by_the_deadline() {
    let (address, stop, server) = start(
        limits(60_000, 64),
        Behaviour::Slow(Duration::from_millis(600)),
    )
    .await;
    let mut half = TcpStream::connect(address).await.expect("connect");
    half.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let body = serde_json::json!({ "image": b64(&png(200, 200)) }).to_string();
    let request = format!(
        "POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut busy = TcpStream::connect(address).await.expect("connect");
    busy.write_all(request.as_bytes()).await.expect("write");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let began = Instant::now();
    stop.send(()).expect("server waits");
    let answer = String::from_utf8(read_to_close(&mut busy).await).expect("text");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.80}");
    tokio::time::timeout(Duration::from_secs(4), server)
        .await
        .expect("stops within the deadline (2 s) and a little")
        .expect("task")
        .expect("clean stop");
    assert!(began.elapsed() < Duration::from_secs(4));
    assert!(read_to_close(&mut half).await.is_empty());
}
