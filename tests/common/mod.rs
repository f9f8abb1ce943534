//! Helpers shared by the `cli_*` integration tests: run the real binary on the sample data or on
//! small inventories written into a temporary directory. [`tui`] has those of the `tui_*` tests,
//! [`tmux`] a real terminal for the end-to-end ones.
#![allow(dead_code)]

pub mod tmux;
pub mod tui;

use std::path::{Path, PathBuf};

/// A fixed audit date so date-relative rules (verification expiry, dormancy) are deterministic.
pub const AS_OF: &str = "2026-11-27";

/// The `wxaudit` binary, run in `dir` (so no stray wxaudit.toml is picked up).
pub fn wx_in(dir: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_wxaudit"));
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

/// The full Acme inventory (triggers findings of every severity, including critical).
pub fn acme() -> PathBuf {
    sample("acme-accounts.csv")
}

/// An inventory without critical or high findings.
pub fn clean() -> PathBuf {
    sample("clean-accounts.csv")
}

pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read_json(p: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `wxaudit audit FILE --format json --as-of AS_OF <extra>` and returns (exit code, report).
pub fn audit_json(dir: &Path, file: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = wx_in(dir)
        .arg("audit")
        .arg(file)
        .args(["--format", "json", "--as-of", AS_OF])
        .args(extra)
        .output()
        .expect("run wxaudit");
    let code = out.status.code().unwrap_or(-1);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {}", stderr(&out)));
    (code, v)
}

/// Every error of `instance` against schema/report.schema.json.
pub fn schema_errors(instance: &serde_json::Value) -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json"),
    )
    .expect("schema file");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// The header and the data rows of a CSV file, as text lines (for shuffling and editing).
pub fn csv_lines(p: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(p).expect("read csv");
    let mut lines = text.lines().map(str::to_string);
    let header = lines.next().expect("header");
    (header, lines.filter(|l| !l.trim().is_empty()).collect())
}

pub fn write_csv(p: &Path, header: &str, rows: &[String]) {
    let mut s = String::from(header);
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    std::fs::write(p, s).expect("write csv");
}

/// A legacy international official account whose audience is mainland China: at least one high
/// finding (REACH-002 and friends). Its name looks like a spreadsheet formula.
pub const LEGACY_ROW: &str = "gh_legacy0001,=SUM(1+2) Acme HK,subscription,wechat,https://admin.wechat.com,+852 9123 0000,Acme Tea Ltd.,enterprise,HK,,,HKD,yes,2027-06-30,no,,,,acme_hk_admin,company,chan_tm,CN;HK,,Acme Tea,active,\"5,000\",2026-11-20,,";
