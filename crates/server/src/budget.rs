//! Process-wide memory budgets: a request reserves the bytes it is about to use (a body being
//! read, an image being decoded) and is refused when the budget cannot hold them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::ApiError;

/// A number of bytes shared by all requests.
#[derive(Debug)]
pub struct MemoryBudget {
    limit: u64,
    used: AtomicU64,
}

/// Bytes held from a budget until dropped.
#[derive(Debug)]
pub struct Reservation {
    budget: Arc<MemoryBudget>,
    bytes: u64,
}

impl MemoryBudget {
    /// A budget of `limit` bytes.
    pub fn new(limit: u64) -> Arc<Self> {
        Arc::new(Self {
            limit,
            used: AtomicU64::new(0),
        })
    }

    /// Holds `bytes`: [`ApiError::BadImageSize`] when they exceed the whole budget (they never
    /// fit), [`ApiError::Busy`] when other requests hold too much of it now.
    pub fn reserve(self: &Arc<Self>, bytes: u64) -> Result<Reservation, ApiError> {
        if bytes > self.limit {
            return Err(ApiError::BadImageSize);
        }
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(bytes).filter(|&total| total <= self.limit)
            })
            .map_err(|_| ApiError::Busy)?;
        Ok(Reservation {
            budget: Arc::clone(self),
            bytes,
        })
    }

    /// Bytes held now.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Acquire)
    }

    /// The whole budget.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_are_refused_beyond_the_budget_and_returned_on_drop() {
        let budget = MemoryBudget::new(100);
        assert_eq!(budget.reserve(101).unwrap_err(), ApiError::BadImageSize);
        let first = budget.reserve(60).expect("fits");
        assert_eq!(budget.reserve(60).unwrap_err(), ApiError::Busy);
        let second = budget.reserve(40).expect("fits exactly");
        assert_eq!(budget.used(), 100);
        drop(first);
        assert_eq!(budget.used(), 40);
        drop(second);
        assert_eq!(budget.used(), 0);
        assert!(budget.reserve(100).is_ok());
    }
}
