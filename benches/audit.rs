//! Benchmarks on generated inventories (`../shared/tools/gen_inventory.py`, deterministic).
//!
//! `cargo bench` reports: import, audit and the whole headless pipeline on 100k accounts, the
//! import and the whole pipeline on 1M accounts (the scale target: well under 10 s on 2 cores), and the peak
//! memory of `wxaudit audit` on the 1M inventory (target: under 2 GB). Inventories are generated
//! once into `target/bench-data/`. Set `WXAUDIT_BENCH_ROWS` to change the large size.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use wxaudit::audit::{audit, AuditOptions};
use wxaudit::import::{self, ImportOptions};
use wxaudit::pipeline::{self, PipelineOptions};
use wxaudit::profile;
use wxaudit::rules::RuleSet;

fn inventory(rows: usize, extra: &[&str], name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path = dir.join(name);
    if !path.exists() {
        let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_inventory.py");
        let status = Command::new("python3")
            .arg(&gen)
            .args(["--rows", &rows.to_string()])
            .args(extra)
            .arg("-o")
            .arg(&path)
            .status()
            .expect("run python3 gen_inventory.py");
        assert!(status.success(), "gen_inventory.py failed");
    }
    path
}

fn quiet(_: u64, _: u64) {}

fn bench(c: &mut Criterion) {
    let small = inventory(100_000, &["--format", "csv"], "100k.csv");
    let small_zh = inventory(
        100_000,
        &[
            "--format",
            "csv",
            "--headers",
            "zh",
            "--encoding",
            "gb18030",
        ],
        "100k-gb18030.csv",
    );
    let small_json = inventory(100_000, &["--format", "json"], "100k.json");
    let large_rows: usize = std::env::var("WXAUDIT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let large = inventory(
        large_rows,
        &["--format", "csv"],
        &format!("{large_rows}.csv"),
    );

    // First, while this process is still small: a spawned child's peak memory counts the parent's
    // resident memory at the moment it was started.
    report_peak_memory(&large, large_rows);

    let mut g = c.benchmark_group("100k");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for (label, path) in [
        ("import csv utf-8", &small),
        ("import csv gb18030 zh", &small_zh),
        ("import json", &small_json),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| import::load(path, &ImportOptions::default(), &quiet).expect("import"))
        });
    }
    let inv = import::load(&small, &ImportOptions::default(), &quiet).expect("import");
    let rules = RuleSet::builtin();
    g.bench_function("audit (classify + rules)", |b| {
        b.iter(|| {
            let (p, src) =
                profile::resolve(&Default::default(), None, &inv.accounts).expect("profile");
            audit(inv.clone(), p, src, &rules, &AuditOptions::default())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("scale");
    g.sample_size(10).measurement_time(Duration::from_secs(60));
    g.bench_function(format!("import csv {large_rows} accounts"), |b| {
        b.iter(|| import::load(&large, &ImportOptions::default(), &quiet).expect("import"))
    });
    let opts = PipelineOptions {
        input: large,
        ..Default::default()
    };
    g.bench_function(format!("pipeline {large_rows} accounts"), |b| {
        b.iter(|| pipeline::run(&opts, &|_, _, _| {}).expect("pipeline"))
    });
    g.finish();
}

/// Runs the real binary once on `input` and prints its wall time and peak resident memory.
#[cfg(target_os = "linux")]
// The child is reaped by `wait4` (which also reports its peak memory), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn report_peak_memory(input: &Path, rows: usize) {
    let started = std::time::Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_wxaudit"))
        .arg("audit")
        .arg(input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start wxaudit");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child just spawned, with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 on wxaudit");
    println!(
        "wxaudit audit, {rows} accounts: {:.2} s, peak memory {:.2} GB (exit status {})",
        started.elapsed().as_secs_f64(),
        usage.ru_maxrss as f64 / 1e6,
        libc::WEXITSTATUS(status)
    );
}

#[cfg(not(target_os = "linux"))]
fn report_peak_memory(_: &Path, _: usize) {}

criterion_group!(benches, bench);
criterion_main!(benches);
