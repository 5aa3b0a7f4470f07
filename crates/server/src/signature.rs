//! Verifying Huawei's `SDK-HMAC-SHA256` AK/SK request signatures.
//!
//! The canonical request is rebuilt from the request as received, following the official
//! signer (`huaweicloudsdkcore/signer/signer.py`): method, the path percent-encoded segment by
//! segment and ending in `/`, the query pairs sorted, the signed headers as `name:value` lines in
//! the order `SignedHeaders` gives, the signed header list, and the body's SHA-256 (or the value of
//! `X-Sdk-Content-Sha256`). The signature is compared in constant time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, Method};
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::AccessKey;
use crate::ApiError;

/// The algorithm name in `Authorization`.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Characters left as they are by Python's `quote(s, safe='~')`.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The parts of an `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The access key id.
    pub access: &'a str,
    /// Lower-case header names, in the order signed.
    pub signed_headers: Vec<&'a str>,
    /// The signature, hex.
    pub signature: &'a str,
}

/// Parses the `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(ApiError::BadSignature("unknown algorithm"))?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part
            .trim()
            .split_once('=')
            .ok_or(ApiError::BadSignature("malformed authorization"))?;
        match key {
            "Access" => access = Some(val),
            "SignedHeaders" => signed = Some(val),
            "Signature" => signature = Some(val),
            _ => {}
        }
    }
    match (access, signed, signature) {
        (Some(access), Some(signed), Some(signature)) if !access.is_empty() => Ok(Authorization {
            access,
            signed_headers: signed.split(';').filter(|h| !h.is_empty()).collect(),
            signature,
        }),
        _ => Err(ApiError::BadSignature("malformed authorization")),
    }
}

/// The request as the verifier needs it.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// HTTP method.
    pub method: &'a Method,
    /// The path as received (percent-encoded).
    pub path: &'a str,
    /// The query string as received, without `?`.
    pub query: Option<&'a str>,
    /// Headers (`Host` included).
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a [u8],
}

/// Checks what can be checked of a signed request before its body is read: the
/// `Authorization` header's form, the access key, and `X-Sdk-Date` against `now` within
/// `max_skew`. Returns the key and the date.
pub fn check_headers<'k, 'h>(
    headers: &'h HeaderMap,
    keys: &'k [AccessKey],
    now: SystemTime,
    max_skew: Duration,
) -> Result<(&'k AccessKey, Authorization<'h>, &'h str), ApiError> {
    let header = |name: &str| match headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(Some)
            .map_err(|_| ApiError::BadSignature("header is not text")),
    };
    let authorization =
        parse_authorization(header("authorization")?.ok_or(ApiError::MissingCredentials)?)?;
    let key = keys
        .iter()
        .find(|k| bool::from(k.id.as_bytes().ct_eq(authorization.access.as_bytes())))
        .ok_or(ApiError::BadSignature("unknown access key"))?;
    let date = header("x-sdk-date")?.ok_or(ApiError::BadSignature("no X-Sdk-Date"))?;
    let signed_at = parse_sdk_date(date).ok_or(ApiError::BadSignature("bad X-Sdk-Date"))?;
    let skew = now
        .duration_since(signed_at)
        .unwrap_or_else(|e| e.duration());
    if skew > max_skew {
        return Err(ApiError::BadSignature("stale X-Sdk-Date"));
    }
    if !authorization.signed_headers.contains(&"x-sdk-date") {
        return Err(ApiError::BadSignature("X-Sdk-Date is not signed"));
    }
    Ok((key, authorization, date))
}

/// Checks the request's signature against the configured keys, and its `X-Sdk-Date` against
/// `now` within `max_skew`. Returns the access key id.
pub fn verify<'k>(
    request: &SignedRequest<'_>,
    keys: &'k [AccessKey],
    now: SystemTime,
    max_skew: Duration,
) -> Result<&'k str, ApiError> {
    let (key, authorization, date) = check_headers(request.headers, keys, now, max_skew)?;
    let canonical = canonical_request(request, &authorization.signed_headers)?;
    let expected = sign(&key.secret.0, date, &canonical);
    if bool::from(
        expected
            .as_bytes()
            .ct_eq(authorization.signature.to_ascii_lowercase().as_bytes()),
    ) {
        Ok(&key.id)
    } else {
        Err(ApiError::BadSignature("signature mismatch"))
    }
}

/// `hex(HMAC-SHA256(secret, string to sign))`.
pub fn sign(secret: &str, date: &str, canonical_request: &str) -> String {
    let string_to_sign = format!(
        "{ALGORITHM}\n{date}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The canonical request, as the official signer builds it.
pub fn canonical_request(
    request: &SignedRequest<'_>,
    signed_headers: &[&str],
) -> Result<String, ApiError> {
    let mut headers = String::new();
    for name in signed_headers {
        let value = request
            .headers
            .get(*name)
            .ok_or(ApiError::BadSignature("a signed header is missing"))?;
        let value = String::from_utf8_lossy(value.as_bytes());
        headers.push_str(name);
        headers.push(':');
        headers.push_str(value.trim());
        headers.push('\n');
    }
    let body_hash = match request
        .headers
        .get("x-sdk-content-sha256")
        .and_then(|v| v.to_str().ok())
    {
        _ if request.body.is_empty() => hex::encode(Sha256::digest(b"")),
        Some("UNSIGNED-PAYLOAD") => "UNSIGNED-PAYLOAD".to_owned(),
        _ => hex::encode(Sha256::digest(request.body)),
    };
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.as_str().to_ascii_uppercase(),
        canonical_uri(request.path),
        canonical_query(request.query.unwrap_or("")),
        headers,
        signed_headers.join(";"),
        body_hash
    ))
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The path decoded, then encoded segment by segment, ending in `/`.
fn canonical_uri(path: &str) -> String {
    let decoded = decode(path);
    let mut uri: String = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Query pairs decoded, sorted by key then value, encoded again.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(&k.replace('+', " ")), decode(&v.replace('+', " ")))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Parses `20261125T151425Z` (UTC).
pub fn parse_sdk_date(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    u64::try_from(seconds)
        .ok()
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_to_unix_time() {
        let t = parse_sdk_date("20261125T151425Z").expect("valid");
        assert_eq!(
            t.duration_since(UNIX_EPOCH).expect("after").as_secs(),
            1_795_619_665
        );
        assert_eq!(parse_sdk_date("19700101T000000Z"), Some(UNIX_EPOCH));
        for bad in [
            "2026-11-25T15:14:25Z",
            "20261325T151425Z",
            "20261125T151425",
            "2026112xT151425Z",
        ] {
            assert_eq!(parse_sdk_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn canonical_pieces_follow_the_official_signer() {
        assert_eq!(
            canonical_uri("/v2/abc/ocr/vehicle-license"),
            "/v2/abc/ocr/vehicle-license/"
        );
        assert_eq!(canonical_uri("/v2/a%20b/"), "/v2/a%20b/");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("q=a%2Fb~c"), "q=a%2Fb~c");
    }

    #[test]
    fn authorization_header_parses() {
        let auth = parse_authorization(
            "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-sdk-date, Signature=abcd",
        )
        .expect("valid");
        assert_eq!(auth.access, "AK1");
        assert_eq!(auth.signed_headers, ["content-type", "host", "x-sdk-date"]);
        assert_eq!(auth.signature, "abcd");
        assert!(parse_authorization("AWS4-HMAC-SHA256 Credential=x").is_err());
        assert!(parse_authorization("SDK-HMAC-SHA256 Access=AK1").is_err());
    }
}
