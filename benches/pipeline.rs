//! The whole headless pipeline, end to end: `wxaudit::pipeline::run` (import → profile → audit,
//! what `wxaudit audit FILE` does before writing) on a generated `WXAUDIT_BENCH_ROWS`-account
//! CSV inventory (default 100,000; issue 10's scale targets are at 1,000,000), and, once before
//! that, the wall time and peak memory of the real binary, `wxaudit audit FILE`, on the same
//! file. Each stage has its own bench: `import`, `classify`, `rules`, `report`, `tui` (and
//! `workbook` for `.xlsx`).
//!
//! ```text
//! cargo bench --bench pipeline
//! WXAUDIT_BENCH_ROWS=1000000 cargo bench --bench pipeline
//! ```

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use std::path::Path;
use std::process::Command;
use wxaudit::pipeline::{self, PipelineOptions};

fn bench(c: &mut Criterion) {
    let Some(input) = common::csv("pipeline") else {
        return;
    };
    // First, while this process is still small: a spawned child's peak memory counts the parent's
    // resident memory at the moment it was started.
    report_peak_memory(&input.path, &input.describe());
    println!(
        "pipeline: pipeline::run (import + profile + audit) of a generated CSV ({})",
        input.describe()
    );
    let opts = PipelineOptions {
        input: input.path.clone(),
        as_of: Some(common::as_of()),
        ..Default::default()
    };
    let mut g = c.benchmark_group("pipeline");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function(format!("pipeline {} accounts", input.rows), |b| {
        b.iter(|| pipeline::run(&opts, &|_, _, _| {}).expect("pipeline"))
    });
    g.finish();
}

/// Runs the real binary once on `input` and prints its wall time and peak resident memory.
#[cfg(target_os = "linux")]
// The child is reaped by `wait4` (which also reports its peak memory), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn report_peak_memory(input: &Path, what: &str) {
    let started = std::time::Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_wxaudit"))
        .arg("audit")
        .arg(input)
        .args(["--as-of", common::AS_OF])
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
        "pipeline: wxaudit audit of a generated CSV ({what}): {:.2} s, peak memory {:.0} MB (exit status {})",
        started.elapsed().as_secs_f64(),
        usage.ru_maxrss as f64 / 1e3,
        libc::WEXITSTATUS(status)
    );
}

#[cfg(not(target_os = "linux"))]
fn report_peak_memory(_: &Path, _: &str) {
    println!("pipeline: the binary's peak memory is only measured on Linux");
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench
}
criterion_main!(benches);
