//! Who may call: configured tokens, tokens issued by the IAM-compatible endpoint, and AK/SK
//! signatures.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::AuthConfig;
use crate::signature::{self, SignedRequest};
use crate::ApiError;

/// Most tokens kept from the IAM endpoint at once (expired ones are dropped first).
const MAX_ISSUED_TOKENS: usize = 100_000;

/// Checks credentials and issues IAM tokens.
pub struct Authenticator {
    config: AuthConfig,
    /// SHA-256 of each issued token, and when it expires.
    issued: Mutex<HashMap<[u8; 32], SystemTime>>,
}

/// A token issued by [`Authenticator::issue_token`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The token, for `X-Subject-Token`.
    pub token: String,
    /// The user it was issued to.
    pub user: String,
    /// When it was issued.
    pub issued_at: SystemTime,
    /// When it expires.
    pub expires_at: SystemTime,
}

impl Authenticator {
    /// An authenticator for `config`.
    pub fn new(config: AuthConfig) -> Self {
        Self {
            config,
            issued: Mutex::new(HashMap::new()),
        }
    }

    /// Whether requests need credentials at all.
    pub fn required(&self) -> bool {
        self.config.has_credentials()
    }

    /// Checks a request's credentials: `X-Auth-Token` first, else an AK/SK signature. Returns
    /// who called, for rate limits: `ak:<access key>`, `token:<hash prefix>` or `anonymous`.
    pub fn check(&self, request: &SignedRequest<'_>, now: SystemTime) -> Result<String, ApiError> {
        if !self.required() {
            return Ok("anonymous".into());
        }
        if let Some(token) = request.headers.get("x-auth-token") {
            self.check_token(token.as_bytes(), now)?;
            let digest = Sha256::digest(token.as_bytes());
            return Ok(format!("token:{}", hex::encode(&digest[..8])));
        }
        if request.headers.contains_key("authorization") {
            return signature::verify(
                request,
                &self.config.keys,
                now,
                self.config.signature_max_skew,
            )
            .map(|access| format!("ak:{access}"));
        }
        Err(ApiError::MissingCredentials)
    }

    /// Checks what the headers alone show, before the body is read: a token in full; of a
    /// signature, its form, access key and date ([`signature::check_headers`]). A request that
    /// passes still needs [`Authenticator::check`] once its body is read.
    pub fn check_headers(&self, headers: &HeaderMap, now: SystemTime) -> Result<(), ApiError> {
        if !self.required() {
            return Ok(());
        }
        if let Some(token) = headers.get("x-auth-token") {
            return self.check_token(token.as_bytes(), now);
        }
        if headers.contains_key("authorization") {
            return signature::check_headers(
                headers,
                &self.config.keys,
                now,
                self.config.signature_max_skew,
            )
            .map(|_| ());
        }
        Err(ApiError::MissingCredentials)
    }

    fn check_token(&self, token: &[u8], now: SystemTime) -> Result<(), ApiError> {
        if token.is_empty() {
            return Err(ApiError::MissingCredentials);
        }
        let configured = self.config.tokens.iter().fold(false, |found, t| {
            found | bool::from(t.0.as_bytes().ct_eq(token))
        });
        if configured {
            return Ok(());
        }
        let digest: [u8; 32] = Sha256::digest(token).into();
        let issued = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        match issued.get(&digest) {
            Some(expiry) if *expiry > now => Ok(()),
            _ => Err(ApiError::InvalidToken),
        }
    }

    /// Handles an IAM `POST /v3/auth/tokens` body (password method): a new token for a
    /// configured user.
    pub fn issue_token(&self, body: &[u8], now: SystemTime) -> Result<IssuedToken, ApiError> {
        if self.config.iam_users.is_empty() {
            return Err(ApiError::NotFound);
        }
        let value: Value = serde_json::from_slice(body).map_err(|_| ApiError::InvalidJson)?;
        let user = &value["auth"]["identity"]["password"]["user"];
        let (Some(name), Some(password)) = (user["name"].as_str(), user["password"].as_str())
        else {
            return Err(ApiError::IamAuthFailed);
        };
        let known = self.config.iam_users.iter().fold(false, |found, u| {
            found
                | (bool::from(u.name.as_bytes().ct_eq(name.as_bytes()))
                    & bool::from(u.password.0.as_bytes().ct_eq(password.as_bytes())))
        });
        if !known {
            return Err(ApiError::IamAuthFailed);
        }
        let mut raw = [0u8; 32];
        getrandom::fill(&mut raw).map_err(|_| ApiError::RecognitionFailed)?;
        let token = format!("vlocr-{}", hex::encode(raw));
        let expires_at = now + self.config.iam_token_lifetime;
        let mut issued = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        if issued.len() >= MAX_ISSUED_TOKENS {
            issued.retain(|_, expiry| *expiry > now);
        }
        if issued.len() >= MAX_ISSUED_TOKENS {
            return Err(ApiError::Busy);
        }
        issued.insert(Sha256::digest(token.as_bytes()).into(), expires_at);
        Ok(IssuedToken {
            token,
            user: name.to_owned(),
            issued_at: now,
            expires_at,
        })
    }
}

/// `2026-11-25T15:14:25.000000Z`, as IAM writes times.
pub fn iso8601(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs() as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000000Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{IamUser, Secret};
    use axum::http::Method;

    fn request(headers: &HeaderMap) -> SignedRequest<'_> {
        SignedRequest {
            method: &Method::POST,
            path: "/v2/p/ocr/vehicle-license",
            query: None,
            headers,
            body: b"{}",
        }
    }

    fn authenticator() -> Authenticator {
        Authenticator::new(AuthConfig {
            tokens: vec![Secret("tok1".into())],
            iam_users: vec![IamUser {
                name: "alice".into(),
                password: Secret("pw".into()),
            }],
            iam_token_lifetime: Duration::from_secs(60),
            ..AuthConfig::default()
        })
    }

    #[test]
    fn tokens_are_checked() {
        let auth = authenticator();
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        assert_eq!(
            auth.check(&request(&headers), now),
            Err(ApiError::MissingCredentials)
        );
        headers.insert("x-auth-token", "tok1".parse().expect("header"));
        assert!(auth.check(&request(&headers), now).is_ok());
        headers.insert("x-auth-token", "tok2".parse().expect("header"));
        assert_eq!(
            auth.check(&request(&headers), now),
            Err(ApiError::InvalidToken)
        );
    }

    #[test]
    fn issued_tokens_work_until_they_expire() {
        let auth = authenticator();
        let now = SystemTime::now();
        let body = br#"{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice","password":"pw","domain":{"name":"d"}}}}}}"#;
        let issued = auth.issue_token(body, now).expect("issued");
        let mut headers = HeaderMap::new();
        headers.insert("x-auth-token", issued.token.parse().expect("header"));
        assert!(auth.check(&request(&headers), now).is_ok());
        assert_eq!(
            auth.check(&request(&headers), now + Duration::from_secs(61)),
            Err(ApiError::InvalidToken)
        );
        let wrong =
            br#"{"auth":{"identity":{"password":{"user":{"name":"alice","password":"no"}}}}}"#;
        assert_eq!(auth.issue_token(wrong, now), Err(ApiError::IamAuthFailed));
    }

    #[test]
    fn no_credentials_configured_means_open() {
        let auth = Authenticator::new(AuthConfig::default());
        assert!(!auth.required());
        assert_eq!(
            auth.check(&request(&HeaderMap::new()), SystemTime::now()),
            Ok("anonymous".into())
        );
    }

    #[test]
    fn iso_times() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            iso8601(UNIX_EPOCH + Duration::from_secs(1_795_619_665)),
            "2026-11-25T15:14:25.000000Z"
        );
    }
}
