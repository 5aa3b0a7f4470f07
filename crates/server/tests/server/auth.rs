//! Authentication: vectors signed by the official `huaweicloudsdkcore` signer
//! (tests/data/signature_vectors.json, made by scripts/make_signature_vectors.py), tokens, IAM.

use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::json;
use vlocr_server::config::{AccessKey, AuthConfig, IamUser, Secret};
use vlocr_server::signature::{parse_sdk_date, verify, SignedRequest};
use vlocr_server::{ApiError, ServerConfig};

use crate::support::*;

#[derive(Deserialize)]
struct Vectors {
    access_key: String,
    secret_key: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    method: String,
    path: String,
    query: String,
    headers: std::collections::BTreeMap<String, String>,
    body_base64: String,
}

impl Vector {
    fn headers(&self) -> HeaderMap {
        self.headers
            .iter()
            .map(|(k, v)| {
                (
                    HeaderName::from_bytes(k.as_bytes()).expect("name"),
                    HeaderValue::from_str(v).expect("value"),
                )
            })
            .collect()
    }

    fn body(&self) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(&self.body_base64)
            .expect("base64")
    }

    fn date(&self) -> SystemTime {
        parse_sdk_date(&self.headers["X-Sdk-Date"]).expect("date")
    }
}

fn vectors() -> Vectors {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/signature_vectors.json"
    ))
    .expect("vectors");
    serde_json::from_str(&text).expect("valid vectors")
}

fn keys(v: &Vectors) -> Vec<AccessKey> {
    vec![
        AccessKey {
            id: "OTHER".into(),
            secret: Secret("other".into()),
        },
        AccessKey {
            id: v.access_key.clone(),
            secret: Secret(v.secret_key.clone()),
        },
    ]
}

fn check(
    vector: &Vector,
    headers: &HeaderMap,
    body: &[u8],
    keys: &[AccessKey],
    now: SystemTime,
) -> Result<(), ApiError> {
    let method = Method::from_bytes(vector.method.as_bytes()).expect("method");
    let query = (!vector.query.is_empty()).then_some(vector.query.as_str());
    verify(
        &SignedRequest {
            method: &method,
            path: &vector.path,
            query,
            headers,
            body,
        },
        keys,
        now,
        Duration::from_secs(15 * 60),
    )
    .map(|access| assert_eq!(access, vector_key(keys)))
}

/// The access key the vectors were signed with (the last configured).
fn vector_key(keys: &[AccessKey]) -> &str {
    &keys.last().expect("a key").id
}

#[test]
fn official_signatures_verify() {
    let v = vectors();
    assert!(v.vectors.len() >= 4);
    for vector in &v.vectors {
        let now = vector.date() + Duration::from_secs(60);
        assert_eq!(
            check(vector, &vector.headers(), &vector.body(), &keys(&v), now),
            Ok(()),
            "{}",
            vector.name
        );
    }
}

#[test]
fn tampering_stale_dates_and_wrong_keys_are_refused() {
    let v = vectors();
    let vector = &v.vectors[0];
    let now = vector.date();
    let headers = vector.headers();
    let mut body = vector.body();
    body[3] ^= 1;
    assert_eq!(
        check(vector, &headers, &body, &keys(&v), now),
        Err(ApiError::BadSignature("signature mismatch"))
    );
    let body = vector.body();
    for late in [16 * 60, 3600] {
        assert_eq!(
            check(
                vector,
                &headers,
                &body,
                &keys(&v),
                now + Duration::from_secs(late)
            ),
            Err(ApiError::BadSignature("stale X-Sdk-Date")),
        );
    }
    assert_eq!(
        check(
            vector,
            &headers,
            &body,
            &keys(&v),
            now - Duration::from_secs(16 * 60)
        ),
        Err(ApiError::BadSignature("stale X-Sdk-Date")),
        "a date in the future is stale too"
    );
    let wrong_secret = vec![AccessKey {
        id: v.access_key.clone(),
        secret: Secret("not the secret".into()),
    }];
    assert_eq!(
        check(vector, &headers, &body, &wrong_secret, now),
        Err(ApiError::BadSignature("signature mismatch"))
    );
    let mut changed = headers.clone();
    changed.insert("x-project-id", HeaderValue::from_static("someone-else"));
    assert!(check(vector, &changed, &body, &keys(&v), now).is_err());
    let mut changed = headers;
    changed.insert("host", HeaderValue::from_static("evil.example:8080"));
    assert!(check(vector, &changed, &body, &keys(&v), now).is_err());
}

fn auth_config(v: &Vectors) -> ServerConfig {
    ServerConfig {
        auth: AuthConfig {
            tokens: vec![Secret("token-one".into())],
            keys: keys(v),
            iam_users: vec![IamUser {
                name: "alice".into(),
                password: Secret("wonderland".into()),
            }],
            // The vectors carry fixed dates: accept them for this test.
            signature_max_skew: Duration::from_secs(100 * 365 * 24 * 3600),
            ..AuthConfig::default()
        },
        ..test_config()
    }
}

#[tokio::test]
async fn credentials_are_required_and_checked() {
    let v = vectors();
    let (app, _) = app_with(auth_config(&v), factory(Behaviour::Read));
    let body = json!({ "image": b64(&png(200, 200)) });
    assert_eq!(
        code_of(&app, recognize(&body)).await,
        (401, "ModelArts.4101".into())
    );
    let with_token = |token: &str| {
        let mut request = recognize(&body);
        request
            .headers_mut()
            .insert("x-auth-token", HeaderValue::from_str(token).expect("token"));
        request
    };
    assert_eq!(
        code_of(&app, with_token("token-one")).await,
        (200, String::new())
    );
    assert_eq!(
        code_of(&app, with_token("token-two")).await,
        (401, "ModelArts.0203".into())
    );

    // The official SDK's request, as signed: authenticated, then refused for its fake image.
    let vector = &v.vectors[0];
    let signed = || {
        let mut request = Request::post(&vector.path)
            .body(Body::from(vector.body()))
            .expect("request");
        *request.headers_mut() = vector.headers();
        request
    };
    assert_eq!(code_of(&app, signed()).await, (400, "AIS.0102".into()));
    let mut tampered = signed();
    tampered
        .headers_mut()
        .insert("x-sdk-date", HeaderValue::from_static("20261125T151426Z"));
    assert_eq!(code_of(&app, tampered).await, (401, "APIG.0301".into()));
}

#[tokio::test]
async fn stale_signatures_are_refused_by_the_server() {
    let v = vectors();
    let mut config = auth_config(&v);
    config.auth.signature_max_skew = Duration::from_secs(15 * 60);
    let (app, _) = app_with(config, factory(Behaviour::Read));
    let vector = &v.vectors[0];
    let mut request = Request::post(&vector.path)
        .body(Body::from(vector.body()))
        .expect("request");
    *request.headers_mut() = vector.headers();
    assert_eq!(code_of(&app, request).await, (401, "APIG.0301".into()));
}

#[tokio::test]
async fn iam_tokens_are_issued_and_accepted() {
    let v = vectors();
    let (app, _) = app_with(auth_config(&v), factory(Behaviour::Read));
    let login = |password: &str| {
        post(
            "/v3/auth/tokens",
            json!({ "auth": { "identity": { "methods": ["password"], "password": { "user": {
                "name": "alice", "password": password, "domain": { "name": "alice" } } } } } })
            .to_string(),
        )
    };
    assert_eq!(
        code_of(&app, login("guess")).await,
        (401, "APIG.0301".into())
    );
    let response = tower::ServiceExt::oneshot(app.clone(), login("wonderland"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), 201);
    let token = response.headers()["x-subject-token"].clone();
    let mut request = recognize(&json!({ "image": b64(&png(200, 200)) }));
    request.headers_mut().insert("x-auth-token", token);
    assert_eq!(code_of(&app, request).await, (200, String::new()));
}

#[tokio::test]
async fn without_iam_users_the_token_endpoint_does_not_exist() {
    let app = app(Behaviour::Read);
    assert_eq!(
        code_of(&app, post("/v3/auth/tokens", "{}")).await,
        (404, "APIG.0101".into())
    );
}
