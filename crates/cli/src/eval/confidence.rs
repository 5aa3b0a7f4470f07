//! How well `vlocr eval`'s confidences tell right values from wrong ones: a calibration table
//! and the values a review under a threshold would look at.

use serde::{Deserialize, Serialize};

use super::Score;

/// Fields whose confidence fell in `[low, high)`, and how many of them were right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct ConfidenceBin {
    low: f64,
    high: f64,
    fields: usize,
    right: usize,
    mean_confidence: f64,
}

/// The confidences of the fields found, against whether they were right.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct ConfidenceReport {
    /// Ten bins of width 0.1 (the last holds 1.0 too).
    bins: Vec<ConfidenceBin>,
    /// Expected calibration error: the fields' mean gap between the share right in their bin and
    /// the bin's mean confidence (0 for perfect calibration).
    calibration_error: f64,
    /// For a few thresholds, the values a review of those under it would look at.
    flagged: Vec<Flagged>,
}

/// The values under one confidence threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Flagged {
    below: f64,
    /// Wrong values under the threshold, of all wrong values.
    wrong: Score,
    /// Right values under the threshold, of all right values.
    right: Score,
}

/// The thresholds `vlocr eval` reports flagged values at.
const FLAG_THRESHOLDS: [f64; 3] = [0.5, 0.8, 0.9];

impl ConfidenceReport {
    pub(super) fn from_fields(scored: &[(f64, bool)]) -> Self {
        let mut bins: Vec<ConfidenceBin> = (0..10)
            .map(|i| ConfidenceBin {
                low: f64::from(i) / 10.0,
                high: f64::from(i + 1) / 10.0,
                ..ConfidenceBin::default()
            })
            .collect();
        let mut report = Self {
            flagged: FLAG_THRESHOLDS
                .iter()
                .map(|&below| Flagged {
                    below,
                    ..Flagged::default()
                })
                .collect(),
            ..Self::default()
        };
        for &(confidence, right) in scored {
            let bin = &mut bins[((confidence * 10.0).floor().max(0.0) as usize).min(9)];
            bin.fields += 1;
            bin.right += usize::from(right);
            bin.mean_confidence += confidence;
            for flagged in &mut report.flagged {
                let under = confidence < flagged.below;
                if right {
                    flagged.right.add(under);
                } else {
                    flagged.wrong.add(under);
                }
            }
        }
        let total = scored.len().max(1) as f64;
        for bin in &mut bins {
            if bin.fields > 0 {
                let n = bin.fields as f64;
                bin.mean_confidence /= n;
                report.calibration_error +=
                    n / total * (bin.right as f64 / n - bin.mean_confidence).abs();
            }
        }
        report.bins = bins;
        report
    }
}

impl ConfidenceReport {
    /// Prints the calibration error, the flagged values and the bins that hold values.
    pub(super) fn print(&self) {
        println!(
            "confidence: calibration error {:.3}",
            self.calibration_error
        );
        for flagged in &self.flagged {
            println!(
                "  under {:.1}: {}/{} wrong values, {}/{} right values",
                flagged.below,
                flagged.wrong.right,
                flagged.wrong.total,
                flagged.right.right,
                flagged.right.total
            );
        }
        for bin in self.bins.iter().filter(|b| b.fields > 0) {
            println!(
                "  confidence {:.1}-{:.1}: {:>5} fields, {:6.2}% right (mean confidence {:.3})",
                bin.low,
                bin.high,
                bin.fields,
                100.0 * bin.right as f64 / bin.fields as f64,
                bin.mean_confidence
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidences_are_binned_against_how_often_they_were_right() {
        let report = ConfidenceReport::from_fields(&[
            (0.95, true),
            (0.95, true),
            (1.0, true),
            (0.2, false),
            (0.3, true),
        ]);
        let top = report.bins[9];
        assert_eq!((top.fields, top.right), (3, 3));
        assert!((top.mean_confidence - 2.9 / 3.0).abs() < 1e-9);
        assert_eq!((report.bins[2].fields, report.bins[3].right), (1, 1));
        let expected = 0.6 * (1.0 - 2.9 / 3.0) + 0.2 * 0.2 + 0.2 * 0.7;
        assert!((report.calibration_error - expected).abs() < 1e-9);
        let half = report.flagged[0];
        assert_eq!(half.below, 0.5);
        assert_eq!(half.wrong, Score { right: 1, total: 1 });
        assert_eq!(half.right, Score { right: 1, total: 4 });
        let most = report.flagged[2];
        assert_eq!(most.right, Score { right: 1, total: 4 });
    }
}
