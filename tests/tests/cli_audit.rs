//! `wxaudit audit`: exit codes, the report formats as a user opens them, atomic output, errors.

use crate::common;

use common::*;
use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn exit_0_when_nothing_at_or_above_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Accounts  6"), "{text}");
    assert!(text.contains("critical 0 · high 0"), "{text}");
}

#[test]
fn exit_1_when_findings_at_or_above_fail_on_and_threshold_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let (code, report) = audit_json(dir.path(), &acme(), &[]);
    assert_eq!(code, 1);
    assert!(
        report["summary"]["severities"]["critical"]
            .as_u64()
            .unwrap()
            > 0
    );
    // A low threshold fails the clean inventory only if it has low findings: compare with the
    // report itself rather than guessing.
    let (code, report) = audit_json(dir.path(), &clean(), &["--fail-on", "info"]);
    let any = report["summary"]["findings"].as_u64().unwrap() > 0;
    assert_eq!(code, if any { 1 } else { 0 });
    let (code, _) = audit_json(dir.path(), &clean(), &["--fail-on", "critical"]);
    assert_eq!(code, 0);
}

#[test]
fn exit_2_for_unreadable_input_and_bad_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .args(["audit", "no-such-inventory.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("wxaudit: "), "{err}");
    assert!(err.contains("no-such-inventory.csv"), "{err}");
    assert!(out.stdout.is_empty());

    // Usage errors are exit 2 too.
    for args in [
        vec!["audit"],
        vec!["audit", "x.csv", "--fail-on", "severe"],
        vec!["audit", "x.csv", "--format", "xlsx"],
        vec!["audit", "x.csv", "--as-of", "27/11/2026"],
        vec!["frobnicate"],
    ] {
        let out = wx_in(dir.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }

    // A profile, rules or suppressions file that is missing names the file.
    for flag in ["--profile", "--rules", "--suppressions", "--baseline"] {
        let out = wx_in(dir.path())
            .arg("audit")
            .arg(acme())
            .args([flag, "missing-file.toml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("missing-file.toml"),
            "{flag}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn json_report_validates_against_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v) = audit_json(dir.path(), &acme(), &[]);
    assert_eq!(schema_errors(&v), Vec::<String>::new());
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["tool"]["name"], "wxaudit");
    assert_eq!(v["as_of"], AS_OF);
    assert_eq!(v["input"]["sha256"].as_str().unwrap().len(), 64);
    let accounts = v["accounts"].as_array().unwrap();
    assert_eq!(
        v["summary"]["accounts"].as_u64().unwrap(),
        accounts.len() as u64
    );
    let tea = accounts
        .iter()
        .find(|a| a["id"] == "gh_a1c3e5f7a901")
        .expect("Acme Tea service account");
    assert_eq!(tea["platform"], "weixin");
    assert_eq!(tea["type"], "service");
    assert_eq!(tea["followers"], 128400, "followers as a number");
    assert_eq!(
        tea["extra"]["cost_centre"], "MKT-CN",
        "unknown columns under extra"
    );
    for f in v["findings"].as_array().unwrap() {
        assert!(f["fingerprint"].as_str().is_some_and(|s| !s.is_empty()));
    }

    // The JSON inventory with its company profile, and the GB18030 export, validate as well.
    for name in ["acme-accounts.json", "acme-accounts-excel-gb18030.csv"] {
        let (_, v) = audit_json(dir.path(), &sample(name), &[]);
        assert_eq!(schema_errors(&v), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn profile_source_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v) = audit_json(dir.path(), &acme(), &[]);
    assert_eq!(v["profile_source"], "inferred");
    let (_, v) = audit_json(
        dir.path(),
        &acme(),
        &["--target", "CN,HK", "--entity", "Acme Tea Ltd."],
    );
    assert_eq!(v["profile_source"], "command_line");
    assert_eq!(v["profile"]["targets"], serde_json::json!(["CN", "HK"]));
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("inferred from the accounts' audiences"));
}

#[test]
fn csv_report_is_excel_safe_one_row_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let (header, mut rows) = csv_lines(&clean());
    rows.push(LEGACY_ROW.to_string());
    let inv = dir.path().join("inv.csv");
    write_csv(&inv, &header, &rows);
    let (_, json) = audit_json(dir.path(), &inv, &[]);
    let out_path = dir.path().join("findings.csv");
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(&inv)
        .args(["--as-of", AS_OF, "-o"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "legacy account is a high finding"
    );
    assert!(out.stdout.is_empty(), "report went to the file");
    let bytes = std::fs::read(&out_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    for col in [
        "severity",
        "rule_id",
        "account_id",
        "account_name",
        "platform",
        "message",
        "advice",
    ] {
        assert!(headers.iter().any(|h| h == col), "{col}");
    }
    let records: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(
        records.len() as u64,
        json["summary"]["findings"].as_u64().unwrap(),
        "one row per finding"
    );
    let name_col = headers.iter().position(|h| h == "account_name").unwrap();
    assert!(
        records.iter().any(|r| &r[name_col] == "'=SUM(1+2) Acme HK"),
        "formula-like name is prefixed with '"
    );
    for rec in &records {
        for cell in rec {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']),
                "unguarded cell {cell:?}"
            );
        }
    }
}

#[test]
fn markdown_and_text_reports() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("audit.md");
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF, "-o"])
        .arg(&md)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Weixin/WeChat account audit"));
    assert!(
        text.contains("critical gap"),
        "headline names the critical gaps"
    );
    assert!(text.contains("| Severity | Findings |"));
    assert!(text.contains("### Critical"));

    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let t = stdout(&out);
    assert!(
        !t.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    assert!(t.contains("CRITICAL ("));
    assert!(t.contains("Fix:"));
}

#[test]
fn row_problems_go_to_stderr_with_line_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let (header, mut rows) = csv_lines(&clean());
    // Followers that are not a number, and a row with neither id nor name.
    rows[0] = rows[0].replace("\"128,400\"", "lots");
    rows.push(",,service,,,,,,,,,,,,,,,,,,,CN,,,,,,,".to_string());
    let inv = dir.path().join("inv.csv");
    write_csv(&inv, &header, &rows);
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(&inv)
        .args(["--as-of", AS_OF, "--format", "json"])
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "row problems never abort: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("row problem"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["summary"]["row_errors"].as_u64().unwrap() >= 2);
    assert_eq!(v["input"]["rejected_rows"], 1);
    assert!(v["row_errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["value"] == "lots"));
}

#[test]
fn a_failed_run_writes_nothing_and_keeps_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    // Missing input: no file appears.
    let out = wx_in(dir.path())
        .args(["audit", "missing.csv", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists());
    // A file that cannot be imported at all leaves the previous report untouched.
    std::fs::write(&target, "previous report").unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "colour,size\nred,big\n").unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(&bad)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.csv"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous report");
    // A bad suppressions file is also a failed run.
    let supp = dir.path().join("accepted.toml");
    std::fs::write(&supp, "[[suppress]]\nrule = \"REACH-002\"\n").unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .arg("--suppressions")
        .arg(&supp)
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("accepted.toml") && err.contains("reason"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous report");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn an_unwritable_output_path_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .arg("-o")
        .arg(file.join("report.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("report.json"), "{}", stderr(&out));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // Enough accounts that the JSON report is far larger than a pipe buffer.
    let (header, rows) = csv_lines(&acme());
    let mut many = Vec::new();
    for i in 0..80 {
        for r in &rows {
            many.push(r.replacen(',', &format!("_{i},"), 1));
        }
    }
    let inv = dir.path().join("big.csv");
    write_csv(&inv, &header, &many);
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxaudit"))
        .current_dir(dir.path())
        .arg("audit")
        .arg(&inv)
        .args([
            "--format",
            "json",
            "--fail-on",
            "critical",
            "--as-of",
            AS_OF,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    let mut pipe = child.stdout.take().unwrap();
    pipe.read_exact(&mut first).unwrap();
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{err}"
    );
    // Exit code is the audit's verdict (1: the inventory has critical findings), not an error.
    assert_eq!(out.status.code(), Some(1), "{err}");
}

#[test]
fn the_interactive_view_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for args in [vec![acme()], vec!["tui".into(), acme()]] {
        let out = wx_in(dir.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("terminal") && err.contains("wxaudit audit"),
            "{err}"
        );
    }
}

#[test]
fn help_is_written_for_people_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path()).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = stdout(&out);
    for s in ["audit", "rules", "diff", "Exit codes"] {
        assert!(t.contains(s), "{s}");
    }
    let out = wx_in(dir.path())
        .args(["audit", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    for s in [
        "--fail-on",
        "--baseline",
        "--suppressions",
        "--target",
        "wxaudit.toml",
    ] {
        assert!(stdout(&out).contains(s), "{s}");
    }
    // No arguments at all: the help, on stderr, and exit 2.
    let out = wx_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Usage"));
}

#[test]
fn wxaudit_phases_prints_each_step_with_its_time_and_memory_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let run_with = |phases: Option<&str>, extra: &[&str]| {
        let mut cmd = wx_in(dir.path());
        cmd.arg("audit")
            .arg(clean())
            .args(["--as-of", AS_OF])
            .args(extra);
        cmd.env_remove("WXAUDIT_PHASES");
        if let Some(v) = phases {
            cmd.env("WXAUDIT_PHASES", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
        stderr(&out)
    };
    let run = |phases: Option<&str>| run_with(phases, &[]);
    let on = run(Some("1"));
    let steps: Vec<&str> = on
        .lines()
        .filter_map(|l| l.strip_prefix("wxaudit: phase "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    // The terminal summary picks the few findings it shows: no sort of them all.
    assert_eq!(
        steps,
        [
            "read",
            "import",
            "profile",
            "classify",
            "rules",
            "suppressions",
            "report"
        ],
        "{on}"
    );
    assert!(
        on.lines().all(|l| !l.contains("phase")
            || (l.contains(" s ") && l.contains(" cpu ") && l.contains("MB"))),
        "{on}"
    );
    assert!(!run(None).contains("phase"));
    assert!(!run(Some("0")).contains("phase"));
    // A report that lists every finding sorts them all first.
    let json = run_with(Some("1"), &["--format", "json", "-o", "r.json"]);
    assert!(json.contains("wxaudit: phase sort "), "{json}");
}
