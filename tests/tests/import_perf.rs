//! Import timing on large generated inventories (not part of the normal test run).
//!
//! ```text
//! python3 ../shared/tools/gen_inventory.py --rows 1000000 --format csv -o /tmp/big.csv
//! WXAUDIT_PERF_FILES=/tmp/big.csv,/tmp/big.json \
//!   cargo test --release --test import_perf -- --ignored --nocapture
//! ```

use std::time::Instant;
use wxaudit::import::{load, ImportOptions};

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

#[test]
#[ignore = "needs large generated files; see the module doc"]
fn import_large_files() {
    let files = std::env::var("WXAUDIT_PERF_FILES").unwrap_or_default();
    for path in files.split(',').filter(|p| !p.is_empty()) {
        let t = Instant::now();
        let inv = load(path.as_ref(), &ImportOptions::default(), &|_, _| {})
            .unwrap_or_else(|e| panic!("{e}"));
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{path}: {} rows, {} accounts, {} row errors, {} ({}) in {secs:.2} s; peak RSS so far {} MiB",
            inv.input.rows,
            inv.accounts.len(),
            inv.row_errors.len(),
            inv.input.format,
            inv.input.encoding,
            peak_rss_mib()
        );
        assert!(inv.input.rows > 0);
        assert!(inv.accounts.windows(2).all(|w| w[0].line < w[1].line));
    }
}
