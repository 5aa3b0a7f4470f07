//! Per-credential rate limits (Huawei's `APIG.0308`): a token bucket per caller.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Most callers tracked at once; idle full buckets are forgotten first.
const MAX_CALLERS: usize = 100_000;

/// A token bucket per caller: `per_second` requests a second on average, bursts of up to
/// `per_second` (at least one).
pub struct Throttle {
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Throttle {
    /// A limit of `per_second` requests a second per caller.
    pub fn new(per_second: f64) -> Self {
        Self {
            per_second,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `caller` may make a request at `now` (and counts it).
    pub fn allow(&self, caller: &str, now: Instant) -> bool {
        let burst = self.per_second.max(1.0);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_CALLERS && !buckets.contains_key(caller) {
            let rate = self.per_second;
            buckets.retain(|_, (tokens, last)| {
                *tokens + now.saturating_duration_since(*last).as_secs_f64() * rate < burst
            });
        }
        let (tokens, last) = buckets.entry(caller.to_owned()).or_insert((burst, now));
        *tokens = (*tokens + now.saturating_duration_since(*last).as_secs_f64() * self.per_second)
            .min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn each_caller_has_its_own_bucket() {
        let throttle = Throttle::new(2.0);
        let start = Instant::now();
        assert!(throttle.allow("a", start));
        assert!(throttle.allow("a", start));
        assert!(!throttle.allow("a", start));
        assert!(throttle.allow("b", start));
        assert!(throttle.allow("a", start + Duration::from_millis(500)));
        assert!(!throttle.allow("a", start + Duration::from_millis(500)));
    }
}
