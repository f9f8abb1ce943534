//! Generated inventories (`../shared/tools/gen_inventory.py`, deterministic), large enough that
//! the readers work in several parallel chunks: every row is read, in file order, and the audit
//! keeps every account. These are the correctness checks the timing runs used to make on a
//! million rows (the timings themselves are in `benches/`), on a size that runs in seconds.
//! Needs `python3` (CI has it).

use std::path::{Path, PathBuf};
use wxaudit::import::{load, ImportOptions, Inventory};
use wxaudit::pipeline::{self, PipelineOptions};

/// More than one of the JSON reader's 8,192-element chunks.
const ROWS: usize = 10_000;

fn generate(dir: &Path, name: &str, format: &str) -> PathBuf {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/gen_inventory.py");
    let path = dir.join(name);
    let status = std::process::Command::new("python3")
        .arg(&gen)
        .args(["--rows", &ROWS.to_string(), "--format", format, "-o"])
        .arg(&path)
        .status()
        .unwrap_or_else(|e| panic!("python3 {} (python3 is needed): {e}", gen.display()));
    assert!(
        status.success(),
        "gen_inventory.py --format {format} failed"
    );
    path
}

fn read_whole_in_order(inv: &Inventory, what: &str) {
    assert_eq!(inv.input.rows as usize, ROWS, "{what}: rows read");
    assert_eq!(
        inv.accounts.len() + inv.row_errors.len(),
        ROWS,
        "{what}: every row is an account or a row error"
    );
    assert!(
        inv.accounts
            .to_vec()
            .windows(2)
            .all(|w| w[0].line < w[1].line),
        "{what}: accounts in file order"
    );
}

#[test]
fn generated_csv_and_json_import_every_row_in_file_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, format) in [("gen.csv", "csv"), ("gen.json", "json")] {
        let path = generate(dir.path(), name, format);
        let inv = load(&path, &ImportOptions::default(), &|_, _| {})
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        read_whole_in_order(&inv, name);
    }
}

#[test]
fn generated_inventory_audit_keeps_every_account_and_its_counts_add_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = generate(dir.path(), "gen.csv", "csv");
    let opts = PipelineOptions {
        input: path,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
        ..Default::default()
    };
    let r = pipeline::run(&opts, &|_, _, _| {}).expect("audit");
    assert_eq!(r.accounts.len() + r.row_errors.len(), ROWS);
    assert_eq!(r.classifications.len(), r.accounts.len());
    let s = r.summary();
    assert_eq!(s.accounts as usize, r.accounts.len());
    assert_eq!(s.weixin + s.wechat + s.unknown, s.accounts, "{s:?}");
    assert_eq!(
        (s.critical + s.high + s.medium + s.low + s.info) as usize,
        r.findings.len(),
        "{s:?}"
    );
    assert!(!r.findings.is_empty(), "a generated inventory has findings");
    assert!(
        r.findings
            .iter()
            .all(|f| f.account.is_none_or(|i| (i as usize) < r.accounts.len())),
        "every finding's account is one of the report's"
    );
}
