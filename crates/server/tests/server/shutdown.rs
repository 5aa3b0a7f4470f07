//! Graceful shutdown over a real socket: a request accepted before the signal is answered.

use std::time::Duration;

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn accepted_requests_finish_after_the_shutdown_signal() {
    let (address, stop, server) =
        serve_on_loopback(test_config(), Behaviour::Slow(Duration::from_millis(800))).await;
    let client = reqwest::Client::new();
    let url = format!("http://{address}{PATH}");
    let body = json!({ "image": b64(&png(200, 200)) }).to_string();
    let request = tokio::spawn({
        let client = client.clone();
        let url = url.clone();
        async move {
            client
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
        }
    });
    // Let the request reach a worker, then ask the server to stop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).expect("server waits");
    let response = request.await.expect("task").expect("answered");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(value["result"]["number"], "京A12345");
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("server stops")
        .expect("task")
        .expect("clean stop");
    assert!(
        client
            .get(format!("http://{address}/health/live"))
            .send()
            .await
            .is_err(),
        "no new connections after shutdown"
    );
}
