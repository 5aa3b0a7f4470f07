//! Errors: the Huawei error table, and what can stop the server from starting.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Every way a request can fail, each answered with one row of Huawei's error table
/// ([`ApiError::parts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A request field is missing, of the wrong type or out of range (both or neither of
    /// `image`/`url`, an unknown `side`, a non-boolean flag).
    #[error("invalid parameter: {0}")]
    InvalidParameter(&'static str),
    /// `image` is not base64, or the bytes are not a supported image format.
    #[error("unsupported image format")]
    UnsupportedFormat,
    /// The image's sides are out of range, or the file is too large.
    #[error("image size out of range")]
    BadImageSize,
    /// No vehicle license was found in the image.
    #[error("no vehicle license found")]
    NotALicense,
    /// The recognizer failed.
    #[error("recognition failed")]
    RecognitionFailed,
    /// Neither `X-Auth-Token` nor a signature was sent.
    #[error("no credentials")]
    MissingCredentials,
    /// The token is unknown or expired.
    #[error("invalid token")]
    InvalidToken,
    /// The AK/SK signature is wrong, malformed or stale.
    #[error("bad signature: {0}")]
    BadSignature(&'static str),
    /// The body is larger than allowed.
    #[error("body too large")]
    BodyTooLarge,
    /// The body is not JSON (or not a JSON object).
    #[error("body is not JSON")]
    InvalidJson,
    /// Every worker is busy and the queue is full.
    #[error("server saturated")]
    Busy,
    /// The request did not finish within its deadline.
    #[error("deadline exceeded")]
    Timeout,
    /// The `url` is not http(s) or leads to a forbidden address.
    #[error("url not allowed: {0}")]
    UrlNotAllowed(&'static str),
    /// Downloading the `url` failed, timed out or was too big.
    #[error("download failed: {0}")]
    DownloadFailed(&'static str),
    /// No such API.
    #[error("unknown path")]
    NotFound,
    /// The caller is over its rate limit.
    #[error("over the rate limit")]
    Throttled,
    /// The IAM token request was malformed or its credentials are wrong.
    #[error("IAM authentication failed")]
    IamAuthFailed,
    /// The body stopped arriving before it was whole, within the request's time.
    #[error("body not sent in time")]
    BodyStalled,
    /// The request's head is not HTTP/1.1 (hyper's own 400, rewritten).
    #[error("malformed HTTP request")]
    MalformedHttp,
    /// The request's URI is too long (hyper's own 414, rewritten).
    #[error("URI too long")]
    UriTooLong,
    /// The request's headers are too many or too large (hyper's own 431, rewritten).
    #[error("headers too large")]
    HeadersTooLarge,
}

impl ApiError {
    /// HTTP status, Huawei error code and Huawei's own message: the one table of the contract.
    pub fn parts(self) -> (StatusCode, &'static str, &'static str) {
        use StatusCode as S;
        match self {
            Self::InvalidParameter(_) => (
                S::BAD_REQUEST,
                "AIS.0101",
                "The input parameter is invalid.",
            ),
            Self::UnsupportedFormat => (
                S::BAD_REQUEST,
                "AIS.0102",
                "The image format is not supported.",
            ),
            Self::BadImageSize => (
                S::BAD_REQUEST,
                "AIS.0103",
                "The image size does not meet the requirements.",
            ),
            Self::NotALicense => (
                S::BAD_REQUEST,
                "AIS.0104",
                "The image is not supported or the image quality is poor.",
            ),
            Self::RecognitionFailed => {
                (S::INTERNAL_SERVER_ERROR, "AIS.0105", "Recognition failed.")
            }
            Self::MissingCredentials => (
                S::UNAUTHORIZED,
                "ModelArts.4101",
                "Token header cannot be empty.",
            ),
            Self::InvalidToken => (S::UNAUTHORIZED, "ModelArts.0203", "Invalid token."),
            Self::BadSignature(_) => (
                S::UNAUTHORIZED,
                "APIG.0301",
                "Incorrect IAM authentication information.",
            ),
            Self::BodyTooLarge => (
                S::PAYLOAD_TOO_LARGE,
                "ModelArts.4104",
                "Invalid Request Content Length.",
            ),
            Self::InvalidJson => (
                S::BAD_REQUEST,
                "ModelArts.4105",
                "The JSON format of the input data is incorrect.",
            ),
            Self::Busy => (
                S::TOO_MANY_REQUESTS,
                "ModelArts.4401",
                "Max concurrency error.",
            ),
            Self::Timeout => (
                S::GATEWAY_TIMEOUT,
                "ModelArts.4402",
                "Backend service timeout error.",
            ),
            Self::UrlNotAllowed(_) => (S::BAD_REQUEST, "ModelArts.4601", "The URL is not allowed."),
            Self::DownloadFailed(_) => (
                S::BAD_REQUEST,
                "ModelArts.4603",
                "Obtaining the file from the URL failed.",
            ),
            Self::NotFound => (
                S::NOT_FOUND,
                "APIG.0101",
                "The API does not exist or has not been published in the environment.",
            ),
            Self::Throttled => (
                S::TOO_MANY_REQUESTS,
                "APIG.0308",
                "The throttling threshold has been reached: policy user over ratelimit, limit per second exceeded.",
            ),
            Self::IamAuthFailed => (
                S::UNAUTHORIZED,
                "APIG.0301",
                "Incorrect IAM authentication information.",
            ),
            Self::BodyStalled => (
                S::REQUEST_TIMEOUT,
                "ModelArts.4104",
                "Invalid Request Content Length.",
            ),
            Self::MalformedHttp => (
                S::BAD_REQUEST,
                "AIS.0101",
                "The input parameter is invalid.",
            ),
            Self::UriTooLong => (S::URI_TOO_LONG, "AIS.0101", "The input parameter is invalid."),
            Self::HeadersTooLarge => (
                S::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "AIS.0101",
                "The input parameter is invalid.",
            ),
        }
    }

    /// The Huawei error code.
    pub fn code(self) -> &'static str {
        self.parts().1
    }

    /// The response body: `{"error_code": .., "error_msg": ..}`.
    pub fn body(self) -> serde_json::Value {
        let (_, code, message) = self.parts();
        json!({ "error_code": code, "error_msg": message })
    }

    /// Every variant once (with placeholder data): for tests and the OpenAPI check.
    pub const ALL: [ApiError; 21] = [
        Self::InvalidParameter(""),
        Self::UnsupportedFormat,
        Self::BadImageSize,
        Self::NotALicense,
        Self::RecognitionFailed,
        Self::MissingCredentials,
        Self::InvalidToken,
        Self::BadSignature(""),
        Self::BodyTooLarge,
        Self::InvalidJson,
        Self::Busy,
        Self::Timeout,
        Self::UrlNotAllowed(""),
        Self::DownloadFailed(""),
        Self::NotFound,
        Self::Throttled,
        Self::IamAuthFailed,
        Self::BodyStalled,
        Self::MalformedHttp,
        Self::UriTooLong,
        Self::HeadersTooLarge,
    ];
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.parts().0, Json(self.body())).into_response();
        // The handler's detail, for the access log (never sent to the client).
        response.extensions_mut().insert(self);
        response
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The configuration file could not be read.
    #[error("could not read the configuration file {path}")]
    ConfigRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML for vlocr.
    #[error("invalid configuration file {path}: {message}")]
    ConfigParse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A setting is invalid.
    #[error("invalid setting {setting}: {message}")]
    InvalidSetting {
        /// The setting's name.
        setting: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The address is not loopback and no credentials are configured.
    #[error("refusing to listen on {address} without credentials: configure VLOCR_AUTH_TOKENS or VLOCR_AUTH_KEYS (or --allow-unauthenticated to accept anyone)")]
    Unauthenticated {
        /// The listen address.
        address: SocketAddr,
    },
    /// Binding the listen address failed.
    #[error("could not listen on {address}")]
    Bind {
        /// The listen address.
        address: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// No inference worker could load its models.
    #[error("no inference worker could load the models: {0}")]
    WorkersFailed(String),
}
