//! The server's settings: defaults, the optional TOML file, and what flags override.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use ipnet::IpNet;
use serde::Deserialize;

use crate::connections::ConnectionLimits;
use crate::ServerError;

/// A secret string: compared in constant time, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// An access key and its secret key, for `SDK-HMAC-SHA256` signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// The access key id (AK), sent in the clear.
    pub id: String,
    /// The secret key (SK).
    pub secret: Secret,
}

/// A user of the IAM-compatible token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamUser {
    /// User name.
    pub name: String,
    /// Password.
    pub password: Secret,
}

/// Who may call the API.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthConfig {
    /// Accepted `X-Auth-Token` values.
    pub tokens: Vec<Secret>,
    /// Accepted AK/SK pairs.
    pub keys: Vec<AccessKey>,
    /// Users who may get tokens from `POST /v3/auth/tokens`; the endpoint is off without them.
    pub iam_users: Vec<IamUser>,
    /// Lifetime of the tokens the IAM endpoint issues.
    pub iam_token_lifetime: Duration,
    /// Largest difference between `X-Sdk-Date` and the server's clock.
    pub signature_max_skew: Duration,
    /// Serve without credentials on a non-loopback address.
    pub allow_unauthenticated: bool,
    /// Requests a second each caller (token, access key, or all anonymous callers together)
    /// may make; more are answered APIG.0308. `None`: no limit.
    pub rate_limit: Option<f64>,
}

impl AuthConfig {
    /// Whether any credential is configured.
    pub fn has_credentials(&self) -> bool {
        !self.tokens.is_empty() || !self.keys.is_empty() || !self.iam_users.is_empty()
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            tokens: Vec::new(),
            keys: Vec::new(),
            iam_users: Vec::new(),
            iam_token_lifetime: Duration::from_secs(24 * 3600),
            signature_max_skew: Duration::from_secs(15 * 60),
            allow_unauthenticated: false,
            rate_limit: None,
        }
    }
}

/// How `url` inputs are downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlConfig {
    /// Networks that may be fetched although they are private, loopback, link-local, ...
    pub allow: Vec<IpNet>,
    /// Time for the whole download, redirects included.
    pub timeout: Duration,
    /// Largest file downloaded.
    pub max_bytes: usize,
    /// Redirects followed.
    pub max_redirects: usize,
}

impl Default for UrlConfig {
    fn default() -> Self {
        Self {
            allow: Vec::new(),
            timeout: Duration::from_secs(10),
            max_bytes: MAX_IMAGE_BYTES,
            max_redirects: 3,
        }
    }
}

/// The largest image accepted: base64 text in `image`, or a downloaded file.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// Every setting of `vlocr serve`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Inference workers, each with its own model sessions.
    pub workers: usize,
    /// Requests that may wait for a worker; more are answered 429 at once.
    pub queue: usize,
    /// A request not answered within this is answered ModelArts.4402.
    pub request_timeout: Duration,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Authentication.
    pub auth: AuthConfig,
    /// `url` downloads.
    pub url: UrlConfig,
    /// Serve the demo page at `/`.
    pub demo_page: bool,
    /// Timeouts and the cap on open connections.
    pub connections: ConnectionLimits,
    /// Bytes the request bodies being read may take at once, counting each twice (the body and
    /// the image in it); at least two largest bodies. Beyond it requests are answered 429.
    pub body_memory: usize,
    /// Bytes all images being decoded at once may take; an image whose decoding would take
    /// more than this is answered AIS.0103, one that must wait for others 429.
    pub decode_memory: usize,
}

/// The default decoding budget: two 8192x8192 images decoded to 8-bit RGB at once.
pub const DEFAULT_DECODE_MEMORY: usize = 2 * 8192 * 8192 * 3;

/// Cores of this machine.
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

impl Default for ServerConfig {
    fn default() -> Self {
        let workers = available_cores();
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            workers,
            queue: 3 * workers,
            request_timeout: Duration::from_secs(10),
            max_body_bytes: MAX_IMAGE_BYTES + 64 * 1024,
            auth: AuthConfig::default(),
            url: UrlConfig::default(),
            demo_page: true,
            connections: ConnectionLimits::default(),
            body_memory: 256 * 1024 * 1024,
            decode_memory: DEFAULT_DECODE_MEMORY,
        }
    }
}

/// The TOML file's shape: every key optional, same names as the flags (with `_`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `listen = "127.0.0.1:8080"`.
    pub listen: Option<SocketAddr>,
    /// `workers = 2`.
    pub workers: Option<usize>,
    /// `queue = 6`.
    pub queue: Option<usize>,
    /// `request_timeout_secs = 10.0`.
    pub request_timeout_secs: Option<f64>,
    /// `auth_tokens = ["tok1"]`.
    pub auth_tokens: Option<Vec<String>>,
    /// `auth_keys = ["AK:SK"]`.
    pub auth_keys: Option<Vec<String>>,
    /// `iam_users = ["name:password"]`.
    pub iam_users: Option<Vec<String>>,
    /// `allow_unauthenticated = false`.
    pub allow_unauthenticated: Option<bool>,
    /// `rate_limit = 10.0` (requests a second per caller).
    pub rate_limit: Option<f64>,
    /// `url_allow = ["10.0.0.0/8"]`.
    pub url_allow: Option<Vec<String>>,
    /// `url_timeout_secs = 10.0`.
    pub url_timeout_secs: Option<f64>,
    /// `demo_page = false` turns the demo page at `/` off.
    pub demo_page: Option<bool>,
    /// `header_timeout_secs = 10.0`.
    pub header_timeout_secs: Option<f64>,
    /// `max_connections = 512`.
    pub max_connections: Option<usize>,
    /// `shutdown_timeout_secs = 20.0`.
    pub shutdown_timeout_secs: Option<f64>,
    /// `body_memory_mb = 256`.
    pub body_memory_mb: Option<usize>,
    /// `decode_memory_mb = 384`.
    pub decode_memory_mb: Option<usize>,
}

impl ConfigFile {
    /// Reads a TOML file.
    pub fn read(path: &Path) -> Result<Self, ServerError> {
        let text = std::fs::read_to_string(path).map_err(|source| ServerError::ConfigRead {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ServerError::ConfigParse {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    /// Applies the settings present in the file to `config`.
    pub fn apply(self, config: &mut ServerConfig) -> Result<(), ServerError> {
        if let Some(listen) = self.listen {
            config.listen = listen;
        }
        if let Some(workers) = self.workers {
            config.workers = workers;
        }
        if let Some(queue) = self.queue {
            config.queue = queue;
        }
        if let Some(secs) = self.request_timeout_secs {
            config.request_timeout = seconds("request_timeout_secs", secs)?;
        }
        if let Some(tokens) = self.auth_tokens {
            config.auth.tokens = parse_tokens(&tokens);
        }
        if let Some(keys) = self.auth_keys {
            config.auth.keys = parse_keys(&keys)?;
        }
        if let Some(users) = self.iam_users {
            config.auth.iam_users = parse_users(&users)?;
        }
        if let Some(allow) = self.allow_unauthenticated {
            config.auth.allow_unauthenticated = allow;
        }
        if let Some(rate) = self.rate_limit {
            config.auth.rate_limit = Some(positive_rate(rate)?);
        }
        if let Some(allow) = self.url_allow {
            config.url.allow = parse_networks(&allow)?;
        }
        if let Some(secs) = self.url_timeout_secs {
            config.url.timeout = seconds("url_timeout_secs", secs)?;
        }
        if let Some(demo_page) = self.demo_page {
            config.demo_page = demo_page;
        }
        if let Some(secs) = self.header_timeout_secs {
            config.connections.header_timeout = seconds("header_timeout_secs", secs)?;
        }
        if let Some(n) = self.max_connections {
            config.connections.max_connections = at_least_one("max_connections", n)?;
        }
        if let Some(secs) = self.shutdown_timeout_secs {
            config.connections.shutdown_timeout = seconds("shutdown_timeout_secs", secs)?;
        }
        if let Some(mb) = self.body_memory_mb {
            config.body_memory = megabytes("body_memory_mb", mb)?;
        }
        if let Some(mb) = self.decode_memory_mb {
            config.decode_memory = megabytes("decode_memory_mb", mb)?;
        }
        Ok(())
    }
}

/// A positive number of seconds.
pub fn seconds(setting: &'static str, secs: f64) -> Result<Duration, ServerError> {
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| ServerError::InvalidSetting {
            setting,
            message: format!("{secs} is not a positive number of seconds"),
        })
}

/// A count of at least one.
pub fn at_least_one(setting: &'static str, n: usize) -> Result<usize, ServerError> {
    if n == 0 {
        return Err(ServerError::InvalidSetting {
            setting,
            message: "must be at least 1".into(),
        });
    }
    Ok(n)
}

/// A positive number of MiB, in bytes.
pub fn megabytes(setting: &'static str, mb: usize) -> Result<usize, ServerError> {
    at_least_one(setting, mb)?
        .checked_mul(1024 * 1024)
        .ok_or_else(|| ServerError::InvalidSetting {
            setting,
            message: format!("{mb} MiB is too large"),
        })
}

/// A positive request rate.
pub fn positive_rate(rate: f64) -> Result<f64, ServerError> {
    if rate.is_finite() && rate > 0.0 {
        Ok(rate)
    } else {
        Err(ServerError::InvalidSetting {
            setting: "rate limit",
            message: format!("{rate} is not a positive number of requests a second"),
        })
    }
}

/// Non-empty tokens.
pub fn parse_tokens(items: &[String]) -> Vec<Secret> {
    items
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| Secret(t.to_owned()))
        .collect()
}

fn pairs(setting: &'static str, items: &[String]) -> Result<Vec<(String, String)>, ServerError> {
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(':') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.to_owned(), b.to_owned())),
            _ => Err(ServerError::InvalidSetting {
                setting,
                message: "expected NAME:SECRET pairs separated by commas".into(),
            }),
        })
        .collect()
}

/// `AK:SK` pairs.
pub fn parse_keys(items: &[String]) -> Result<Vec<AccessKey>, ServerError> {
    Ok(pairs("auth keys", items)?
        .into_iter()
        .map(|(id, secret)| AccessKey {
            id,
            secret: Secret(secret),
        })
        .collect())
}

/// `name:password` pairs.
pub fn parse_users(items: &[String]) -> Result<Vec<IamUser>, ServerError> {
    Ok(pairs("IAM users", items)?
        .into_iter()
        .map(|(name, password)| IamUser {
            name,
            password: Secret(password),
        })
        .collect())
}

/// Networks (`10.0.0.0/8`) or single addresses (`127.0.0.1`).
pub fn parse_networks(items: &[String]) -> Result<Vec<IpNet>, ServerError> {
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| ServerError::InvalidSetting {
                    setting: "url allow list",
                    message: format!("`{item}` is not an address or a network like 10.0.0.0/8"),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_defaults_and_rejects_unknown_keys() {
        let file: ConfigFile = toml::from_str(
            "listen = \"0.0.0.0:9000\"\nworkers = 3\nauth_keys = [\"AK:SK\"]\nurl_allow = [\"127.0.0.1\", \"10.0.0.0/8\"]\nrequest_timeout_secs = 2.5\n",
        )
        .expect("parses");
        let mut config = ServerConfig::default();
        file.apply(&mut config).expect("applies");
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.workers, 3);
        assert_eq!(config.auth.keys[0].id, "AK");
        assert_eq!(config.url.allow.len(), 2);
        assert_eq!(config.request_timeout, Duration::from_millis(2500));
        assert!(toml::from_str::<ConfigFile>("listn = \"x\"").is_err());
    }

    #[test]
    fn bad_pairs_and_networks_are_errors() {
        assert!(parse_keys(&["nocolon".into()]).is_err());
        assert!(parse_keys(&[":sk".into()]).is_err());
        assert!(parse_networks(&["10.0.0.0/33".into()]).is_err());
        assert!(seconds("x", 0.0).is_err());
        assert!(seconds("x", -1.0).is_err());
        assert_eq!(format!("{:?}", Secret("hunter2".into())), "Secret(..)");
    }
}
