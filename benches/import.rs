//! Stage 1, import: `wxaudit::import::load` on generated inventories of `WXAUDIT_BENCH_ROWS`
//! accounts (default 100,000) — a UTF-8 CSV with English headers (what `gen_inventory.py
//! --format csv` writes), the same as a GB18030 Excel export with Chinese headers, and the JSON
//! form. Reading, decoding, header matching and normalising every value; no audit. The workbook
//! reader has its own bench (`cargo bench --bench workbook`).
//!
//! ```text
//! cargo bench --bench import
//! WXAUDIT_BENCH_ROWS=1000000 cargo bench --bench import -- "csv utf-8"
//! ```
//!
//! After the runs it prints the peak memory of the bench process (the largest import held at
//! once, plus criterion's own).

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use wxaudit::import::{self, ImportOptions};

fn bench(c: &mut Criterion) {
    let forms: [(&str, &str, &[&str]); 3] = [
        ("csv utf-8", "inventory.csv", &["--format", "csv"]),
        (
            "csv gb18030 zh headers",
            "inventory-gb18030.csv",
            &[
                "--format",
                "csv",
                "--headers",
                "zh",
                "--encoding",
                "gb18030",
            ],
        ),
        ("json", "inventory.json", &["--format", "json"]),
    ];
    let mut inputs = Vec::new();
    for (label, name, args) in forms {
        let Some(input) = common::generate("import", name, args) else {
            return;
        };
        // Once outside the timing: what is read, and that it is read whole.
        let inv = import::load(&input.path, &ImportOptions::default(), &common::quiet)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        println!(
            "import {label}: import::load of {} ({} {}) -> {} accounts, {} row errors",
            input.describe(),
            inv.input.format,
            inv.input.encoding,
            inv.accounts.len(),
            inv.row_errors.len()
        );
        assert_eq!(inv.input.rows as usize, input.rows, "{label}: rows read");
        inputs.push((label, input));
    }
    let rows = common::rows();
    let mut g = c.benchmark_group("import");
    g.sampling_mode(SamplingMode::Flat);
    for (label, input) in &inputs {
        g.bench_function(format!("{label} {rows} rows"), |b| {
            b.iter(|| {
                import::load(&input.path, &ImportOptions::default(), &common::quiet)
                    .expect("import")
            })
        });
    }
    g.finish();
    println!(
        "import: peak memory of the bench process {} MiB",
        common::peak_rss_mib()
    );
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench
}
criterion_main!(benches);
