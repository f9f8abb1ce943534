//! Stage 4, report writing: `wxaudit::report::render` of one audited report in each format —
//! the terminal summary (`text`, no colour), the findings CSV, the full JSON report and the
//! Markdown summary — into a sink that only counts the bytes (rendering and formatting, no disk).
//! The report is `wxaudit audit` of a generated `WXAUDIT_BENCH_ROWS`-account CSV inventory
//! (default 100,000), audited once outside the timing.
//!
//! ```text
//! cargo bench --bench report
//! cargo bench --bench report -- json
//! ```

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use std::io::{self, Write};
use wxaudit::report::{self, Format};

/// A writer that keeps nothing and counts what it was given.
#[derive(Default)]
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn bench(c: &mut Criterion) {
    let Some(input) = common::csv("report") else {
        return;
    };
    let r = common::audited(&input.path);
    println!(
        "report: report::render of the audit of a generated CSV ({}): {} accounts, {} findings",
        input.describe(),
        r.accounts.len(),
        r.findings.len()
    );
    let mut g = c.benchmark_group("report");
    g.sampling_mode(SamplingMode::Flat);
    for (label, format) in [
        ("text summary", Format::Text),
        ("csv", Format::Csv),
        ("json", Format::Json),
        ("markdown", Format::Md),
    ] {
        let mut size = Count::default();
        report::render(&r, format, false, &mut size).expect("render");
        println!("report {label}: {:.1} MB of output", size.0 as f64 / 1e6);
        g.throughput(Throughput::Bytes(size.0));
        g.bench_function(format!("{label}, {} findings", r.findings.len()), |b| {
            b.iter(|| {
                let mut out = Count::default();
                report::render(&r, format, false, &mut out).expect("render");
                out.0
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench
}
criterion_main!(benches);
