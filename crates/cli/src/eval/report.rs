//! `vlocr eval`'s report as printed: accuracy per group and field, latency, memory, where the
//! time went, confidences, flags; and the change against a baseline.

use super::{Group, Report, Score};

/// Prints `report` as `vlocr eval` shows it.
pub(super) fn print_report(report: &Report) {
    let line = |name: &str, g: &Group| {
        println!(
            "{name:24} fields {:>5}/{:<5} {:6.2}%   documents {:>4}/{:<4} {:6.2}%",
            g.field_accuracy.right,
            g.field_accuracy.total,
            g.field_accuracy.percent(),
            g.documents.right,
            g.documents.total,
            g.documents.percent()
        );
    };
    println!(
        "{} images ({} with a side not read yet)",
        report.images, report.unsupported
    );
    line("all", &report.all);
    for (name, group) in &report.by_folder {
        line(&format!("folder {name}"), group);
    }
    for (name, group) in &report.by_side {
        line(&format!("side {name}"), group);
    }
    for (field, score) in &report.all.fields {
        println!(
            "  {field:22} {:>5}/{:<5} {:6.2}%",
            score.right,
            score.total,
            score.percent()
        );
    }
    println!(
        "latency p50 {:.0} ms, p95 {:.0} ms (decode, read, fields); peak memory {:.0} MiB",
        report.latency_ms_p50, report.latency_ms_p95, report.peak_memory_mb
    );
    let w = &report.work;
    println!(
        "per image (mean): {:.2} page readings, {:.1} lines recognized ({:.1} twice, {:.1} strips); \
         decode {:.0} ms, detect {:.0} ms, orient {:.0} ms, recognize {:.0} ms, other {:.0} ms",
        w.page_reads,
        w.lines,
        w.lines_read_twice,
        w.strips,
        w.decode_ms,
        w.detect_ms,
        w.orient_ms,
        w.recognize_ms,
        w.other_ms
    );
    report.confidence.print();
    for (field, quiet) in &report.unprinted {
        println!(
            "{field} not printed: answered empty on {}/{} pages",
            quiet.right, quiet.total
        );
    }
    for (kind, right) in &report.license_types {
        println!(
            "{kind} licenses answered as {kind}: {}/{}",
            right.right, right.total
        );
    }
    let flags = report
        .warnings
        .iter()
        .map(|(name, flag)| ("warning", name, flag))
        .chain(
            report
                .alarms
                .iter()
                .map(|(name, flag)| ("alarm", name, flag)),
        );
    for (kind, name, flag) in flags {
        println!(
            "{kind} {name}: precision {:.1}% ({} of {} raised), recall {:.1}% ({} of {} due)",
            flag.precision(),
            flag.raised_rightly,
            flag.raised_rightly + flag.raised_wrongly,
            flag.recall(),
            flag.raised_rightly,
            flag.raised_rightly + flag.missed
        );
    }
}

/// Prints how `report` differs from `baseline`: accuracy, latency, memory, and each field.
pub(super) fn print_change(baseline: &Report, report: &Report) {
    let delta = |a: Score, b: Score| b.percent() - a.percent();
    println!(
        "against the baseline: fields {:+.2} points, documents {:+.2} points, p50 {:+.0} ms, peak memory {:+.0} MiB",
        delta(baseline.all.field_accuracy, report.all.field_accuracy),
        delta(baseline.all.documents, report.all.documents),
        report.latency_ms_p50 - baseline.latency_ms_p50,
        report.peak_memory_mb - baseline.peak_memory_mb
    );
    for (field, score) in &report.all.fields {
        let before = baseline.all.fields.get(field).copied().unwrap_or_default();
        let change = delta(before, *score);
        if change.abs() > 1e-9 {
            println!("  {field:22} {change:+.2} points");
        }
    }
}
