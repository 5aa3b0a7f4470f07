//! Batch work for `vlocr recognize`: folders and patterns expanded to image files, results
//! appended to a JSONL or CSV file that a later run resumes, and the closing summary.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::ValueEnum;
use serde_json::Value;
use vlocr_pipeline::{BackField, FrontField};

/// File name endings of the images read.
const IMAGE_EXTENSIONS: [&str; 7] = ["jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"];

/// The format of `--out`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One JSON object per line: the response body with a `"file"` key.
    Jsonl,
    /// One row per image: file, error code, then every field.
    Csv,
}

/// Expands the inputs: a folder to the images under it (recursively, sorted), a pattern with
/// `*`, `?` or `[` to the files it matches, anything else as given (a missing file then gives
/// its own error record).
pub(crate) fn expand(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let text = input.to_string_lossy();
        if input.is_dir() {
            let mut found = Vec::new();
            collect_images(input, &mut found)
                .with_context(|| format!("reading the folder {}", input.display()))?;
            found.sort();
            files.extend(found);
        } else if !input.exists() && text.contains(['*', '?', '[']) {
            let matches = glob::glob(&text).with_context(|| format!("pattern {text}"))?;
            let mut found: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
            found.sort();
            if found.is_empty() {
                bail!("no file matches {text}");
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn collect_images(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_images(&path, found)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            found.push(path);
        }
    }
    Ok(())
}

/// The CSV columns after `file` and `error_code`: every field of both pages, once.
fn csv_fields() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = FrontField::ALL.iter().map(|f| f.key()).collect();
    for key in BackField::ALL.iter().map(|f| f.key()) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The output file of a batch.
pub(crate) struct Output {
    writer: BufWriter<File>,
    format: Format,
}

impl Output {
    /// Opens `path` for appending, writing the CSV header when the file is new; returns the
    /// files already in it (to skip on resume).
    pub(crate) fn open(path: &Path, format: Format) -> anyhow::Result<(Output, HashSet<String>)> {
        let mut done = HashSet::new();
        let existing = path.is_file() && std::fs::metadata(path)?.len() > 0;
        if existing {
            let reader = BufReader::new(File::open(path)?);
            for line in reader.lines() {
                let line = line?;
                let file = match format {
                    // A line cut short by a crash does not parse: that file is read again.
                    Format::Jsonl => serde_json::from_str::<Value>(&line)
                        .ok()
                        .and_then(|v| v["file"].as_str().map(str::to_owned)),
                    Format::Csv => csv_first_cell(&line).filter(|f| f != "file"),
                };
                done.extend(file);
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening {}", path.display()))?;
        let mut output = Output {
            writer: BufWriter::new(file),
            format,
        };
        if format == Format::Csv && !existing {
            let mut header = vec!["file", "error_code"];
            header.extend(csv_fields());
            output.line(&header.join(","))?;
        }
        Ok((output, done))
    }

    /// Writes one image's answer and flushes it, so that an interrupted run leaves whole records.
    pub(crate) fn write(&mut self, file: &str, body: &Value) -> anyhow::Result<()> {
        let line = match self.format {
            Format::Jsonl => {
                let mut body = body.clone();
                if let Value::Object(map) = &mut body {
                    map.insert("file".into(), Value::String(file.to_owned()));
                }
                serde_json::to_string(&body)?
            }
            Format::Csv => {
                let result = &body["result"];
                let mut cells = vec![
                    file.to_owned(),
                    body["error_code"].as_str().unwrap_or_default().to_owned(),
                ];
                for key in csv_fields() {
                    // Both pages in one image: the back page's fields come from `result.back`.
                    let value = result[key]
                        .as_str()
                        .or_else(|| result["back"][key].as_str());
                    cells.push(value.unwrap_or_default().to_owned());
                }
                cells
                    .iter()
                    .map(|c| csv_cell(c))
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        self.line(&line)
    }

    fn line(&mut self, line: &str) -> anyhow::Result<()> {
        writeln!(self.writer, "{line}")?;
        self.writer.flush()?;
        Ok(())
    }
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The first cell of a CSV line written by [`csv_cell`].
fn csv_first_cell(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix('"') {
        let mut cell = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('"', Some('"')) => {
                    cell.push('"');
                    chars.next();
                }
                ('"', _) => return Some(cell),
                _ => cell.push(c),
            }
        }
        None
    } else {
        line.split(',').next().map(str::to_owned)
    }
}

/// What a batch did.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// Images answered with fields.
    pub(crate) read: usize,
    /// Images answered with an error, by code.
    pub(crate) failed: BTreeMap<String, usize>,
    /// Images skipped because the output already had them.
    pub(crate) skipped: usize,
}

impl Summary {
    /// Counts one answer.
    pub(crate) fn add(&mut self, body: &Value) {
        match body["error_code"].as_str() {
            Some(code) => *self.failed.entry(code.to_owned()).or_default() += 1,
            None => self.read += 1,
        }
    }

    /// Images that failed.
    pub(crate) fn failures(&self) -> usize {
        self.failed.values().sum()
    }

    /// The closing line: done, failed by code, skipped, rate.
    pub(crate) fn line(&self, seconds: f64, interrupted: bool) -> String {
        let done = self.read + self.failures();
        let failed: Vec<String> = self
            .failed
            .iter()
            .map(|(code, n)| format!("{code} x{n}"))
            .collect();
        format!(
            "{}{done} images: {} read, {} failed{}{}; {:.2} images/s",
            if interrupted {
                "interrupted after "
            } else {
                ""
            },
            self.read,
            self.failures(),
            if failed.is_empty() {
                String::new()
            } else {
                format!(" ({})", failed.join(", "))
            },
            if self.skipped > 0 {
                format!(", {} already in the output", self.skipped)
            } else {
                String::new()
            },
            done as f64 / seconds.max(1e-6),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_round_trip_the_file_column() {
        for name in ["a.jpg", "dir, with comma/b.png", "say \"cheese\".jpg"] {
            let line = format!("{},x,y", csv_cell(name));
            assert_eq!(csv_first_cell(&line).as_deref(), Some(name));
        }
    }

    #[test]
    fn summary_counts_codes() {
        let mut summary = Summary::default();
        summary.add(&serde_json::json!({"result": {}}));
        summary.add(&serde_json::json!({"error_code": "AIS.0104"}));
        summary.add(&serde_json::json!({"error_code": "AIS.0104"}));
        let line = summary.line(2.0, false);
        assert!(
            line.contains("3 images: 1 read, 2 failed (AIS.0104 x2)"),
            "{line}"
        );
        assert!(line.contains("1.50 images/s"), "{line}");
    }
}
