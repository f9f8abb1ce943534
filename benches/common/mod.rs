//! What the stage benches share: the generated inventory they run on, the audited report some of
//! them start from, and the process's peak memory.
//!
//! Inventories come from `../shared/tools/gen_inventory.py` (deterministic: the same rows every
//! run), generated into a temporary directory that is removed when the bench ends.
//! `WXAUDIT_BENCH_ROWS` sets their size (default 100,000 accounts, so a bench takes minutes; the
//! scale targets of issue 10 are at 1,000,000). Without `python3` a bench says so and measures
//! nothing.
#![allow(dead_code)] // each bench uses its own part

use criterion::Criterion;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use wxaudit::audit::Report;
use wxaudit::pipeline::{self, PipelineOptions};

/// The environment variable that sets how many accounts the generated inventories have.
pub const ROWS_VAR: &str = "WXAUDIT_BENCH_ROWS";

/// The audit date of every bench, so date-relative rules find the same on every day.
pub const AS_OF: &str = "2026-11-27";

/// Accounts per generated inventory: `WXAUDIT_BENCH_ROWS`, default 100,000.
pub fn rows() -> usize {
    match std::env::var(ROWS_VAR) {
        Ok(v) => v
            .trim()
            .replace(['_', ','], "")
            .parse()
            .unwrap_or_else(|_| panic!("{ROWS_VAR}={v:?} is not a number of rows")),
        Err(_) => 100_000,
    }
}

/// The settings of every stage bench: 10 samples, short warm-up. Options given on the command
/// line (`-- --sample-size 20 --measurement-time 30`) override these.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
}

/// A generated inventory in its own temporary directory (removed on drop).
pub struct Input {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub rows: usize,
    pub bytes: u64,
}

impl Input {
    /// "100000 rows, 19.7 MB".
    pub fn describe(&self) -> String {
        format!("{} rows, {:.1} MB", self.rows, self.bytes as f64 / 1e6)
    }
}

/// Generates `rows()` accounts as `name` with the generator's `args` (`--format csv`, …).
/// `None`, after printing why, when python3 or the generator is missing: `bench` is the name
/// shown.
pub fn generate(bench: &str, name: &str, args: &[&str]) -> Option<Input> {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_inventory.py");
    if !gen.exists() {
        println!("{bench}: skipped, {} not found", gen.display());
        return None;
    }
    if !Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!(
            "{bench}: skipped, python3 not found (it runs {})",
            gen.display()
        );
        return None;
    }
    let rows = rows();
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(name);
    let status = Command::new("python3")
        .arg(&gen)
        .args(["--rows", &rows.to_string()])
        .args(args)
        .arg("-o")
        .arg(&path)
        .status()
        .expect("run python3 gen_inventory.py");
    assert!(status.success(), "gen_inventory.py {args:?} failed");
    let bytes = std::fs::metadata(&path).expect("generated file").len();
    Some(Input {
        _dir: dir,
        path,
        rows,
        bytes,
    })
}

/// The CSV inventory most benches use: `gen_inventory.py --rows N --format csv`.
pub fn csv(bench: &str) -> Option<Input> {
    generate(bench, "inventory.csv", &["--format", "csv"])
}

/// The audit date as a date.
pub fn as_of() -> chrono::NaiveDate {
    AS_OF.parse().expect("AS_OF is a date")
}

/// `wxaudit audit FILE --as-of AS_OF` as a report: the pipeline the CLI and the TUI run.
pub fn audited(input: &Path) -> Report {
    let opts = PipelineOptions {
        input: input.to_path_buf(),
        as_of: Some(as_of()),
        ..Default::default()
    };
    pipeline::run(&opts, &|_, _, _| {}).expect("the generated inventory audits")
}

/// No progress display.
pub fn quiet(_: u64, _: u64) {}

/// The process's peak resident memory so far, in MiB (0 where /proc is not there).
pub fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
