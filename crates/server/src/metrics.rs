//! Prometheus metrics: requests by status and code, latency histograms per stage, in-flight
//! requests and queue depth, open connections and why connections were closed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::reader::ReadTimings;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// A latency histogram.
#[derive(Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, duration: Duration) {
        let secs = duration.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if secs <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(duration.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(
            out,
            "{name}_sum{braces} {}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "{name}_count{braces} {count}");
    }
}

/// The stages timed per request.
const STAGES: [&str; 7] = [
    "queue",
    "download",
    "decode",
    "detect",
    "orient",
    "recognize",
    "fields",
];

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(u16, &'static str), u64>>,
    latency: Histogram,
    stages: [Histogram; STAGES.len()],
    open_connections: AtomicI64,
    closed: Mutex<BTreeMap<&'static str, u64>>,
}

/// Why the server closed a connection itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Its headers did not arrive within the header timeout, or it sat idle that long.
    HeaderTimeout,
    /// The connection cap was reached and it was the oldest with no request in progress.
    Evicted,
    /// The connection cap was reached and every connection had a request: answered 429.
    Refused,
    /// Its request was still running at the shutdown deadline.
    ShutdownDeadline,
}

impl Closed {
    fn label(self) -> &'static str {
        match self {
            Self::HeaderTimeout => "header_timeout",
            Self::Evicted => "evicted",
            Self::Refused => "refused",
            Self::ShutdownDeadline => "shutdown_deadline",
        }
    }
}

/// Gauges read at scrape time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauges {
    /// Requests admitted and unanswered.
    pub in_flight: usize,
    /// Requests waiting for a worker.
    pub queue_depth: usize,
    /// Worker threads.
    pub workers: usize,
    /// Workers with models loaded.
    pub loaded_workers: usize,
}

impl Metrics {
    /// Counts one answered request of the recognition API.
    pub fn record_request(&self, status: u16, code: &'static str, elapsed: Duration) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((status, code))
            .or_default() += 1;
        self.latency.observe(elapsed);
    }

    /// Counts a malformed request answered by the connection layer (no latency recorded).
    pub fn record_protocol_error(&self, status: u16, code: &'static str) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((status, code))
            .or_default() += 1;
    }

    /// A connection was accepted (`true`) or has ended (`false`).
    pub fn connection(&self, opened: bool) {
        self.open_connections
            .fetch_add(if opened { 1 } else { -1 }, Ordering::Relaxed);
    }

    /// Counts a connection the server closed itself.
    pub fn record_closed(&self, why: Closed) {
        *self
            .closed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(why.label())
            .or_default() += 1;
    }

    /// Records the time a request waited for a worker.
    pub fn record_queue(&self, wait: Duration) {
        self.stages[0].observe(wait);
    }

    /// Records a download's time.
    pub fn record_download(&self, elapsed: Duration) {
        self.stages[1].observe(elapsed);
    }

    /// Records a reading's stage times.
    pub fn record_read(&self, timings: &ReadTimings) {
        for (index, time) in [
            timings.decode,
            timings.detect,
            timings.orient,
            timings.recognize,
            timings.fields,
        ]
        .into_iter()
        .enumerate()
        {
            self.stages[index + 2].observe(time);
        }
    }

    /// The Prometheus text format.
    pub fn render(&self, gauges: Gauges) -> String {
        let mut out = String::new();
        out.push_str("# HELP vlocr_requests_total Recognition requests answered, by HTTP status and Huawei error code (empty on success).\n# TYPE vlocr_requests_total counter\n");
        for ((status, code), count) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "vlocr_requests_total{{status=\"{status}\",code=\"{code}\"}} {count}"
            );
        }
        out.push_str("# HELP vlocr_request_duration_seconds Time from request to answer.\n# TYPE vlocr_request_duration_seconds histogram\n");
        self.latency
            .render(&mut out, "vlocr_request_duration_seconds", "");
        out.push_str("# HELP vlocr_stage_duration_seconds Time per stage of a recognition.\n# TYPE vlocr_stage_duration_seconds histogram\n");
        for (stage, histogram) in STAGES.iter().zip(&self.stages) {
            histogram.render(
                &mut out,
                "vlocr_stage_duration_seconds",
                &format!("stage=\"{stage}\""),
            );
        }
        for (name, help, value) in [
            (
                "vlocr_in_flight_requests",
                "Requests admitted and not yet answered.",
                gauges.in_flight,
            ),
            (
                "vlocr_queue_depth",
                "Requests waiting for an inference worker.",
                gauges.queue_depth,
            ),
            ("vlocr_workers", "Inference worker threads.", gauges.workers),
            (
                "vlocr_workers_loaded",
                "Inference workers with their models loaded.",
                gauges.loaded_workers,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP vlocr_open_connections HTTP connections open now.\n# TYPE vlocr_open_connections gauge\nvlocr_open_connections {}",
            self.open_connections.load(Ordering::Relaxed).max(0)
        );
        out.push_str("# HELP vlocr_connections_closed_total Connections the server closed itself, by reason.\n# TYPE vlocr_connections_closed_total counter\n");
        let closed = self.closed.lock().unwrap_or_else(|e| e.into_inner());
        for why in [
            Closed::HeaderTimeout,
            Closed::Evicted,
            Closed::Refused,
            Closed::ShutdownDeadline,
        ] {
            let label = why.label();
            let count = closed.get(label).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "vlocr_connections_closed_total{{reason=\"{label}\"}} {count}"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_gauges() {
        let metrics = Metrics::default();
        metrics.record_request(200, "", Duration::from_millis(300));
        metrics.record_request(429, "ModelArts.4401", Duration::from_millis(1));
        metrics.record_queue(Duration::from_millis(20));
        let text = metrics.render(Gauges {
            in_flight: 3,
            queue_depth: 1,
            workers: 2,
            loaded_workers: 2,
        });
        assert!(text.contains("vlocr_requests_total{status=\"200\",code=\"\"} 1"));
        assert!(text.contains("vlocr_requests_total{status=\"429\",code=\"ModelArts.4401\"} 1"));
        assert!(text.contains("vlocr_request_duration_seconds_bucket{le=\"0.25\"} 1"));
        assert!(text.contains("vlocr_request_duration_seconds_bucket{le=\"0.5\"} 2"));
        assert!(text.contains("vlocr_request_duration_seconds_count 2"));
        assert!(
            text.contains("vlocr_stage_duration_seconds_bucket{stage=\"queue\",le=\"0.025\"} 1")
        );
        assert!(text.contains("vlocr_queue_depth 1"));
        assert!(text.contains("vlocr_in_flight_requests 3"));
        metrics.connection(true);
        metrics.connection(true);
        metrics.connection(false);
        metrics.record_closed(Closed::Evicted);
        metrics.record_protocol_error(400, "AIS.0101");
        let text = metrics.render(Gauges {
            in_flight: 0,
            queue_depth: 0,
            workers: 2,
            loaded_workers: 2,
        });
        assert!(text.contains("vlocr_open_connections 1\n"));
        assert!(text.contains("vlocr_connections_closed_total{reason=\"evicted\"} 1\n"));
        assert!(text.contains("vlocr_connections_closed_total{reason=\"refused\"} 0\n"));
        assert!(text.contains("vlocr_requests_total{status=\"400\",code=\"AIS.0101\"} 1"));
        assert!(
            text.contains("vlocr_request_duration_seconds_count 2"),
            "no latency for it"
        );
    }
}
