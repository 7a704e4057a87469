//! The column dictionary, `docs/output.md`, against the files a run really writes.
//!
//! The test runs `worthit` on two small scenarios (so that the batch files are written too),
//! reads the header of every CSV file it wrote, and compares them with the tables of
//! `docs/output.md`: a column written but not documented, a column documented but not
//! written, a column out of order, or a whole file missing on either side fails it.
//!
//! Adding a column or a CSV file? Append the column to its writer, then add a row (meaning,
//! unit, real or nominal money, which trials it counts) to the file's table in
//! `docs/output.md`. A file written only by another command (a sweep, say) must also be
//! produced by a run in [`written_headers`] below, so that it is checked here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A scenario small enough to run in a moment, with a role per path so that `roles.csv`
/// has rows, and a loan so that every debt column is filled.
const SCENARIO: &str = r#"
name = "Column dictionary check"

[simulation]
trials = 300
seed = 3

[tax]
effective_rate = 0.25

[person]
age = 30
retirement_age = 36
salary = 60_000

[roles.analyst]
label = "Analyst"
salary = { dist = "lognormal", median = 80_000, p90 = 100_000 }

[roles.engineer]
salary = 95_000

[paths.stay]
label = "Stay"
baseline = true

[paths.course]
label = "Course"
duration_months = 6
completion = 0.8
placement = 0.7
roles = { analyst = 1, engineer = 1 }

[paths.course.costs]
tuition_per_year = 20_000

[paths.course.financing]
federal = true
federal_rate = 0.0794
private_rate = 0.09

[[thresholds]]
vary = "paths.course.placement"
from = 0.1
to = 1.0
path = "course"

[[sweeps]]
x = { vary = "paths.course.financing.repayment", values = ["standard", "rap"] }
"#;

/// Every CSV file written by the runs of this test, by file name, with its header's columns.
/// The same file name in several folders must have the same header.
fn written_headers() -> BTreeMap<String, Vec<String>> {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["one.toml", "two.toml"] {
        fs::write(tmp.path().join(name), SCENARIO).unwrap();
    }
    Command::cargo_bin("worthit")
        .unwrap()
        .current_dir(tmp.path())
        .args([
            "run",
            "one.toml",
            "two.toml",
            "--no-charts",
            "-q",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let mut headers = BTreeMap::new();
    for file in csv_files(&tmp.path().join("out")) {
        let text = fs::read_to_string(&file).unwrap();
        let header: Vec<String> = text
            .lines()
            .next()
            .unwrap_or_default()
            .split(',')
            .map(str::to_string)
            .collect();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // A sweep's leading columns are its keys, named by their key paths: `KEY` here.
        let header: Vec<String> = if name == "sweep.csv" {
            let keys = header.iter().position(|c| c == "path").unwrap_or(0);
            std::iter::repeat_n("KEY".to_string(), keys)
                .chain(header[keys..].iter().cloned())
                .collect()
        } else {
            header
        };
        if let Some(seen) = headers.insert(name.clone(), header.clone()) {
            assert_eq!(seen, header, "{name} has two different headers");
        }
    }
    headers
}

/// Every `*.csv` under `dir`, at any depth.
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(csv_files(&path));
        } else if path.extension().is_some_and(|e| e == "csv") {
            out.push(path);
        }
    }
    out
}

/// The tables of `docs/output.md`: under each `## ` heading that names CSV files in
/// backticks, the first cell of every table row that is a name in backticks is a column.
fn documented_columns(markdown: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut files: Vec<String> = Vec::new();
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            files = heading
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|name| name.ends_with(".csv"))
                .map(str::to_string)
                .collect();
            for f in &files {
                assert!(
                    out.insert(f.clone(), Vec::new()).is_none(),
                    "{f} has two sections in docs/output.md"
                );
            }
            continue;
        }
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        let Some((column, _)) = row.split_once('`') else {
            continue;
        };
        for f in &files {
            out.get_mut(f).unwrap().push(column.to_string());
        }
    }
    out
}

#[test]
fn every_csv_column_is_documented_and_every_documented_column_is_written() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/output.md");
    let documented = documented_columns(&fs::read_to_string(&docs).unwrap());
    let written = written_headers();
    let mut problems = Vec::new();
    for (file, columns) in &written {
        match documented.get(file) {
            None => problems.push(format!(
                "{file} is written but has no section in docs/output.md"
            )),
            Some(doc) => {
                for c in columns.iter().filter(|c| !doc.contains(c)) {
                    problems.push(format!(
                        "{file}: column `{c}` is written but not documented"
                    ));
                }
                for c in doc.iter().filter(|c| !columns.contains(c)) {
                    problems.push(format!(
                        "{file}: column `{c}` is documented but not written"
                    ));
                }
                if problems.is_empty() && doc != columns {
                    problems.push(format!(
                        "{file}: documented in another order than written:\n  written    {columns:?}\n  documented {doc:?}"
                    ));
                }
            }
        }
    }
    for file in documented.keys().filter(|f| !written.contains_key(*f)) {
        problems.push(format!(
            "{file} is documented in docs/output.md but no run of this test wrote it"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check itself sees the files it should: a parser that found nothing would pass.
    for file in [
        "summary.csv",
        "batch_summary.csv",
        "roles.csv",
        "timeline.csv",
        "threshold.csv",
        "sweep.csv",
    ] {
        assert!(written.contains_key(file), "{file} not written");
        assert!(
            documented[file].len() >= 4,
            "{file}: too few documented columns"
        );
    }
}

#[test]
fn the_parser_finds_missing_and_extra_columns() {
    let markdown = "## `a.csv` and `b.csv`\n\n| column | meaning |\n|---|---|\n| `x` | one |\n\
                    | `y` | two |\n\n## `run.json`\n\n| `z` | not a csv |\n";
    let documented = documented_columns(markdown);
    assert_eq!(documented["a.csv"], ["x", "y"]);
    assert_eq!(documented["b.csv"], ["x", "y"]);
    assert_eq!(documented.len(), 2, "{documented:?}");
}
