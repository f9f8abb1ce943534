//! `wxaudit diff OLD.json NEW.json` on reports written by the real binary.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};

/// Last month: the Acme inventory. This month: first account gone, a legacy account added.
fn two_reports(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (header, rows) = csv_lines(&acme());
    let mut now: Vec<String> = rows[1..].to_vec();
    now.push(LEGACY_ROW.to_string());
    let inv = dir.join("now.csv");
    write_csv(&inv, &header, &now);
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    for (input, out) in [(acme(), &old), (inv, &new)] {
        let o = wx_in(dir)
            .arg("audit")
            .arg(&input)
            .args(["--as-of", AS_OF, "--format", "json", "-o"])
            .arg(out)
            .output()
            .unwrap();
        assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    }
    let dropped = rows[0].split(',').next().unwrap().to_string();
    (old, new, dropped)
}

#[test]
fn diff_lists_new_findings_and_accounts_added_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, dropped) = two_reports(dir.path());
    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(t.contains("NEW FINDINGS"), "{t}");
    assert!(t.contains("gh_legacy0001"), "{t}");
    assert!(t.contains("ACCOUNTS ADDED (1)"), "{t}");
    assert!(t.contains("ACCOUNTS REMOVED (1)"), "{t}");
    assert!(t.contains(&dropped), "{t}");

    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["accounts_added"], 1);
    assert_eq!(v["summary"]["accounts_removed"], 1);
    assert_eq!(v["accounts_added"][0]["id"], "gh_legacy0001");
    assert!(v["new_findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["account_id"] == "gh_legacy0001"));

    let csv_path = dir.path().join("changes.csv");
    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .arg("-o")
        .arg(&csv_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("account_added,,,gh_legacy0001,'=SUM(1+2) Acme HK"),
        "{text}"
    );

    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "md"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("| accounts added | 1 |"));
}

#[test]
fn identical_reports_have_no_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (old, _, _) = two_reports(dir.path());
    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&old)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("No changes."));
}

#[test]
fn diff_of_a_file_that_is_not_a_report_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (old, _, _) = two_reports(dir.path());
    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(acme())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("acme-accounts.csv"),
        "{}",
        stderr(&out)
    );
}
