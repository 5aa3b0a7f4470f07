//! `vlocr serve`: the Huawei-compatible HTTP service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use clap::builder::BoolishValueParser;
use clap::{Args, ValueEnum};
use vlocr_pipeline::{OcrEngine, SharedModels};
use vlocr_server::config::{
    at_least_one, available_cores, megabytes, parse_keys, parse_networks, parse_tokens,
    parse_users, positive_rate, seconds, ConfigFile,
};
use vlocr_server::{EngineReader, LicenseReader, ReaderFactory, ServerConfig};

use crate::engine_args::EngineArgs;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Arguments of `vlocr serve`. Every flag has a `VLOCR_*` environment variable; a TOML file
/// (`--config`) may set the same settings, and flags and variables override it.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// A TOML file of settings (keys as the flags, with `_`: listen, workers, queue,
    /// request_timeout_secs, auth_tokens, auth_keys, iam_users, allow_unauthenticated, rate_limit,
    /// url_allow, url_timeout_secs, demo_page, header_timeout_secs, max_connections,
    /// shutdown_timeout_secs, body_memory_mb, decode_memory_mb).
    #[arg(long, env = "VLOCR_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Address to listen on. Default: 127.0.0.1:8080.
    #[arg(long, env = "VLOCR_LISTEN", value_name = "ADDR")]
    listen: Option<SocketAddr>,

    /// Inference workers, each with its own model sessions. Default: one per core.
    #[arg(long, env = "VLOCR_WORKERS", value_name = "N")]
    workers: Option<usize>,

    /// Requests that may wait for a worker; beyond them the server answers 429 at once.
    /// Default: 3 per worker.
    #[arg(long, env = "VLOCR_QUEUE", value_name = "N")]
    queue: Option<usize>,

    /// Seconds a request may take before it is answered ModelArts.4402. Default: 10.
    #[arg(long, env = "VLOCR_REQUEST_TIMEOUT", value_name = "SECONDS")]
    request_timeout: Option<f64>,

    /// Accepted `X-Auth-Token` values, comma-separated.
    #[arg(
        long,
        env = "VLOCR_AUTH_TOKENS",
        hide_env_values = true,
        value_name = "TOKENS",
        value_delimiter = ','
    )]
    auth_tokens: Option<Vec<String>>,

    /// Accepted AK/SK pairs for signed requests, `AK1:SK1,AK2:SK2`.
    #[arg(
        long,
        env = "VLOCR_AUTH_KEYS",
        hide_env_values = true,
        value_name = "PAIRS",
        value_delimiter = ','
    )]
    auth_keys: Option<Vec<String>>,

    /// Users of the IAM-compatible `POST /v3/auth/tokens`, `name:password,...`; it is off
    /// without them.
    #[arg(
        long,
        env = "VLOCR_IAM_USERS",
        hide_env_values = true,
        value_name = "PAIRS",
        value_delimiter = ','
    )]
    iam_users: Option<Vec<String>>,

    /// Serve without credentials on a non-loopback address.
    #[arg(long, env = "VLOCR_ALLOW_UNAUTHENTICATED", value_parser = BoolishValueParser::new())]
    allow_unauthenticated: bool,

    /// Requests a second each caller (token or access key; anonymous callers share one) may
    /// make; more are answered 429 APIG.0308. Default: no limit.
    #[arg(long, env = "VLOCR_RATE_LIMIT", value_name = "PER_SECOND")]
    rate_limit: Option<f64>,

    /// Networks `url` inputs may reach although they are private or local, comma-separated
    /// (`10.0.0.0/8,192.168.1.20`).
    #[arg(
        long,
        env = "VLOCR_URL_ALLOW",
        value_name = "NETWORKS",
        value_delimiter = ','
    )]
    url_allow: Option<Vec<String>>,

    /// Seconds a `url` download may take. Default: 10.
    #[arg(long, env = "VLOCR_URL_TIMEOUT", value_name = "SECONDS")]
    url_timeout: Option<f64>,

    /// Seconds a client has to send a request's headers; also the longest a kept-alive
    /// connection stays idle. Default: 10.
    #[arg(long, env = "VLOCR_HEADER_TIMEOUT", value_name = "SECONDS")]
    header_timeout: Option<f64>,

    /// Connections open at once; beyond it the oldest idle connection is closed to make room
    /// (or, when none is idle, the new one is answered 429). Default: 512. Keep it well under
    /// the process's file-descriptor limit (`ulimit -n`).
    #[arg(long, env = "VLOCR_MAX_CONNECTIONS", value_name = "N")]
    max_connections: Option<usize>,

    /// Seconds requests in progress get to finish after SIGTERM or Ctrl-C before their
    /// connections are dropped. Default: 20.
    #[arg(long, env = "VLOCR_SHUTDOWN_TIMEOUT", value_name = "SECONDS")]
    shutdown_timeout: Option<f64>,

    /// MiB the request bodies being read at once may take, each counted twice (the body and
    /// the image it carries); beyond it requests are answered 429. Default: 256 (at least two
    /// of the largest bodies).
    #[arg(long, env = "VLOCR_BODY_MEMORY_MB", value_name = "MIB")]
    body_memory_mb: Option<usize>,

    /// MiB all images being decoded at once may take (width x height x channels x bytes per
    /// sample, plus the 8-bit RGB copy); an image that could never fit is answered AIS.0103, one
    /// that must wait for others 429. Default: 384.
    #[arg(long, env = "VLOCR_DECODE_MEMORY_MB", value_name = "MIB")]
    decode_memory_mb: Option<usize>,

    /// Do not serve the demo page at `/` (the API is unaffected).
    #[arg(long, env = "VLOCR_NO_DEMO_PAGE", value_parser = BoolishValueParser::new())]
    no_demo_page: bool,

    /// Log format.
    #[arg(long, env = "VLOCR_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,

    /// One set of model sessions for all the workers instead of one each: less memory (one copy
    /// of each model's weights and working memory), for fewer answers a second at full load (a
    /// worker's run of a model waits while another's lasts; figures in the README).
    #[arg(long, env = "VLOCR_SHARE_MODELS", value_parser = BoolishValueParser::new())]
    share_models: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

impl ServeArgs {
    /// The settings: defaults, then the file, then flags and environment.
    fn server_config(&self) -> anyhow::Result<ServerConfig> {
        let mut config = ServerConfig::default();
        if let Some(path) = &self.config {
            ConfigFile::read(path)?.apply(&mut config)?;
        }
        if let Some(listen) = self.listen {
            config.listen = listen;
        }
        if let Some(workers) = self.workers {
            config.workers = workers.max(1);
            if self.queue.is_none() {
                config.queue = 3 * config.workers;
            }
        }
        if let Some(queue) = self.queue {
            config.queue = queue;
        }
        if let Some(secs) = self.request_timeout {
            config.request_timeout = seconds("--request-timeout", secs)?;
        }
        if let Some(tokens) = &self.auth_tokens {
            config.auth.tokens = parse_tokens(tokens);
        }
        if let Some(keys) = &self.auth_keys {
            config.auth.keys = parse_keys(keys)?;
        }
        if let Some(users) = &self.iam_users {
            config.auth.iam_users = parse_users(users)?;
        }
        if self.allow_unauthenticated {
            config.auth.allow_unauthenticated = true;
        }
        if let Some(rate) = self.rate_limit {
            config.auth.rate_limit = Some(positive_rate(rate)?);
        }
        if let Some(allow) = &self.url_allow {
            config.url.allow = parse_networks(allow)?;
        }
        if let Some(secs) = self.url_timeout {
            config.url.timeout = seconds("--url-timeout", secs)?;
        }
        if self.no_demo_page {
            config.demo_page = false;
        }
        if let Some(secs) = self.header_timeout {
            config.connections.header_timeout = seconds("--header-timeout", secs)?;
        }
        if let Some(n) = self.max_connections {
            config.connections.max_connections = at_least_one("--max-connections", n)?;
        }
        if let Some(secs) = self.shutdown_timeout {
            config.connections.shutdown_timeout = seconds("--shutdown-timeout", secs)?;
        }
        if let Some(mb) = self.body_memory_mb {
            config.body_memory = megabytes("--body-memory-mb", mb)?;
        }
        if let Some(mb) = self.decode_memory_mb {
            config.decode_memory = megabytes("--decode-memory-mb", mb)?;
        }
        Ok(config)
    }

    /// Each worker's engine: the flags' models, with the cores shared between the workers
    /// unless `--threads` says otherwise; each with sessions of its own, or handles to one set
    /// (`--share-models`).
    fn reader_factory(&self, workers: usize) -> ReaderFactory {
        let mut engine = self.engine.clone();
        if engine.threads.is_none() {
            engine.threads = Some((available_cores() / workers.max(1)).max(1));
        }
        let reader = |engine: anyhow::Result<OcrEngine>| {
            engine
                .map(|e| Box::new(EngineReader::new(e)) as Box<dyn LicenseReader>)
                .map_err(|e| format!("{e:#}"))
        };
        if !self.share_models {
            return Arc::new(move || reader(engine.load_engine()));
        }
        // The first worker to start loads the sessions; the others wait for them, then take
        // handles (a load that failed is tried again by the next worker).
        let shared: Mutex<Option<SharedModels>> = Mutex::new(None);
        Arc::new(move || {
            let mut slot = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let models = match slot.as_ref() {
                Some(models) => models.clone(),
                None => match engine.load_shared_models() {
                    Ok(models) => slot.insert(models).clone(),
                    Err(e) => return reader(Err(e)),
                },
            };
            drop(slot);
            reader(models.engine(&engine.params()).map_err(Into::into))
        })
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("VLOCR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
pub(crate) fn run(args: &ServeArgs) -> anyhow::Result<()> {
    init_logging(args.log_format);
    let config = args.server_config()?;
    let factory = args.reader_factory(config.workers);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("vlocr-http")
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = vlocr_server::bind(&config).await?;
        let address = listener.local_addr().context("listen address")?;
        tracing::info!(
            %address,
            workers = config.workers,
            queue = config.queue,
            authentication = config.auth.has_credentials(),
            "listening"
        );
        // A plain line on stdout for scripts and tests that start the server on port 0.
        println!("vlocr listening on http://{address}");
        vlocr_server::serve(listener, config, factory, vlocr_server::shutdown_signal()).await?;
        anyhow::Ok(())
    })
}
