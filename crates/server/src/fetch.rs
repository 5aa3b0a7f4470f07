//! Downloading a request's `url` without letting callers reach internal networks (SSRF).
//!
//! Only http and https. The host is resolved here, every address it resolves to is checked
//! ([`crate::address::is_allowed`]), and the connection goes to the checked address, so a second
//! DNS answer cannot send it elsewhere. Redirects are followed by hand, each one checked the same
//! way, at most [`UrlConfig::max_redirects`]. The whole download has one time limit and the body
//! is read in pieces up to [`UrlConfig::max_bytes`].

use std::net::{IpAddr, SocketAddr};

use reqwest::header::{CONTENT_LENGTH, LOCATION};
use reqwest::{redirect, Client, Url};

use crate::address::is_allowed;
use crate::config::UrlConfig;
use crate::ApiError;

/// Downloads `url` under the limits of `config`.
pub async fn download(url: &str, config: &UrlConfig) -> Result<Vec<u8>, ApiError> {
    tokio::time::timeout(config.timeout, follow(url, config))
        .await
        .map_err(|_| ApiError::DownloadFailed("timed out"))?
}

async fn follow(url: &str, config: &UrlConfig) -> Result<Vec<u8>, ApiError> {
    let mut current = Url::parse(url).map_err(|_| ApiError::UrlNotAllowed("not a URL"))?;
    for hop in 0..=config.max_redirects {
        let client = client_for(&current, config).await?;
        let mut response = client
            .get(current.clone())
            .send()
            .await
            .map_err(|_| ApiError::DownloadFailed("connection failed"))?;
        let status = response.status();
        if status.is_redirection() {
            if hop == config.max_redirects {
                return Err(ApiError::DownloadFailed("too many redirects"));
            }
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or(ApiError::DownloadFailed("redirect without a location"))?;
            current = current
                .join(location)
                .map_err(|_| ApiError::UrlNotAllowed("redirect to an invalid URL"))?;
            continue;
        }
        if !status.is_success() {
            return Err(ApiError::DownloadFailed(
                "the server answered with an error",
            ));
        }
        let announced = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > config.max_bytes as u64) {
            return Err(ApiError::DownloadFailed("file too large"));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| ApiError::DownloadFailed("connection failed"))?
        {
            if body.len() + chunk.len() > config.max_bytes {
                return Err(ApiError::DownloadFailed("file too large"));
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(body);
    }
    Err(ApiError::DownloadFailed("too many redirects"))
}

/// A client that connects to `url`'s host only at an address that was checked.
async fn client_for(url: &Url, config: &UrlConfig) -> Result<Client, ApiError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::UrlNotAllowed("only http and https"));
    }
    let port = url
        .port_or_known_default()
        .ok_or(ApiError::UrlNotAllowed("no port"))?;
    let builder = Client::builder()
        .redirect(redirect::Policy::none())
        .no_proxy()
        .timeout(config.timeout);
    let builder = match url.host() {
        Some(url::Host::Ipv4(ip)) => {
            check(IpAddr::V4(ip), config)?;
            builder
        }
        Some(url::Host::Ipv6(ip)) => {
            check(IpAddr::V6(ip), config)?;
            builder
        }
        Some(url::Host::Domain(domain)) => {
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((domain, port))
                .await
                .map_err(|_| ApiError::DownloadFailed("the host name does not resolve"))?
                .collect();
            let first = *addresses
                .first()
                .ok_or(ApiError::DownloadFailed("the host name does not resolve"))?;
            for address in &addresses {
                check(address.ip(), config)?;
            }
            builder.resolve(domain, first)
        }
        None => return Err(ApiError::UrlNotAllowed("no host")),
    };
    builder
        .build()
        .map_err(|_| ApiError::DownloadFailed("no HTTP client"))
}

fn check(address: IpAddr, config: &UrlConfig) -> Result<(), ApiError> {
    if is_allowed(address, &config.allow) {
        Ok(())
    } else {
        Err(ApiError::UrlNotAllowed("forbidden address"))
    }
}
