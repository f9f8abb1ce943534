//! Monthly audits: the dated report directory, `--baseline auto`, `--fail-on-new`, accepted risks
//! (suppressions) and `wxaudit.toml`.

use crate::common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn audit_dir(
    cwd: &Path,
    inv: &Path,
    out_dir: &Path,
    as_of: &str,
    extra: &[&str],
) -> std::process::Output {
    wx_in(cwd)
        .arg("audit")
        .arg(inv)
        .args(["--as-of", as_of, "-o"])
        .arg(format!("{}/", out_dir.display()))
        .args(extra)
        .output()
        .unwrap()
}

fn fingerprints(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    f.sort();
    f
}

#[test]
fn directory_output_writes_dated_reports_and_latest_json() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    let out = audit_dir(
        dir.path(),
        &acme(),
        &reports,
        "2026-10-01",
        &["--baseline", "auto"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no previous report"),
        "first run says there is no baseline: {}",
        stderr(&out)
    );
    let mut names: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "audit-2026-10-01.csv",
            "audit-2026-10-01.json",
            "audit-2026-10-01.md",
            "latest.json"
        ]
    );
    let dated = read_json(&reports.join("audit-2026-10-01.json"));
    let latest = read_json(&reports.join("latest.json"));
    assert_eq!(dated, latest);
    assert_eq!(dated["baseline"], Value::Null);
    assert!(stdout(&out).contains("Accounts"), "summary on stdout");

    // Next month: compared with the previous latest.json.
    let out = audit_dir(
        dir.path(),
        &acme(),
        &reports,
        "2026-11-01",
        &["--baseline", "auto"],
    );
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(reports.join("audit-2026-11-01.json").is_file());
    assert!(
        reports.join("audit-2026-10-01.json").is_file(),
        "old reports are kept"
    );
    let nov = read_json(&reports.join("latest.json"));
    assert_eq!(nov["as_of"], "2026-11-01");
    assert!(
        nov["baseline"]
            .as_str()
            .unwrap()
            .ends_with("audit-2026-10-01.json"),
        "the baseline is named by the dated report latest.json was a copy of"
    );
    let s = &nov["summary"];
    assert_eq!(
        s["new"].as_u64().unwrap() + s["unchanged"].as_u64().unwrap(),
        s["findings"].as_u64().unwrap()
    );
    assert_eq!(schema_errors(&nov), Vec::<String>::new());
    let md = std::fs::read_to_string(reports.join("audit-2026-11-01.md")).unwrap();
    assert!(md.contains("## Since last audit"));
}

#[test]
fn baseline_auto_without_a_directory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--baseline", "auto"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("-o DIR/"));
}

/// The header with every canonical column renamed to one of its Chinese aliases.
fn chinese_headers(header: &str) -> String {
    const ALIASES: [(&str, &str); 28] = [
        ("id", "原始ID"),
        ("name", "账号名称"),
        ("type", "账号类型"),
        ("platform", "平台"),
        ("portal", "后台"),
        ("phone", "手机号"),
        ("entity_name", "主体名称"),
        ("entity_type", "主体类型"),
        ("entity_country", "注册地"),
        ("credit_code", "统一社会信用代码"),
        ("icp_filing", "备案号"),
        ("wallet_currency", "币种"),
        ("verified", "认证状态"),
        ("verification_expiry", "认证到期时间"),
        ("payments", "微信支付"),
        ("merchant_id", "商户号"),
        ("merchant_track", "商户类型"),
        ("merchant_entity", "商户主体"),
        ("admin", "管理员微信号"),
        ("admin_status", "管理员状态"),
        ("operators", "运营者"),
        ("audience", "目标市场"),
        ("features", "功能"),
        ("brand", "品牌"),
        ("status", "状态"),
        ("followers", "粉丝数"),
        ("last_active", "最近活跃"),
        ("notes", "备注"),
    ];
    header
        .split(',')
        .map(|h| {
            ALIASES
                .iter()
                .find(|(en, _)| *en == h)
                .map_or(h, |(_, zh)| *zh)
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn fingerprints_survive_reordering_and_fail_on_new_gates_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF, "-o"])
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));

    // The same accounts in reverse order, under Chinese column names: every finding unchanged, nothing resolved, exit 0
    // with --fail-on-new.
    let (header, mut rows) = csv_lines(&acme());
    rows.reverse();
    let shuffled = dir.path().join("shuffled.csv");
    write_csv(&shuffled, &chinese_headers(&header), &rows);
    let base_arg = base.display().to_string();
    let (code, v) = audit_json(
        dir.path(),
        &shuffled,
        &["--baseline", &base_arg, "--fail-on-new"],
    );
    assert_eq!(fingerprints(&v), fingerprints(&read_json(&base)));
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["baseline_state"] == "unchanged"));
    assert_eq!(v["resolved"], Value::Array(vec![]));
    assert_eq!(v["summary"]["new"], 0);
    assert_eq!(code, 0, "nothing new");

    // Add a legacy account and drop the first one: new findings fail the run, the dropped
    // account's findings are resolved.
    let (header, rows) = csv_lines(&acme());
    let mut changed: Vec<String> = rows[1..].to_vec();
    changed.push(LEGACY_ROW.to_string());
    let edited = dir.path().join("edited.csv");
    write_csv(&edited, &header, &changed);
    let (code, v) = audit_json(
        dir.path(),
        &edited,
        &["--baseline", &base_arg, "--fail-on-new"],
    );
    assert_eq!(code, 1);
    let new: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["baseline_state"] == "new")
        .collect();
    assert!(
        new.iter().any(|f| f["account_id"] == "gh_legacy0001"),
        "{new:?}"
    );
    let dropped = rows[0].split(',').next().unwrap();
    let base_v = read_json(&base);
    let had_findings = base_v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["account_id"] == dropped);
    if had_findings {
        assert!(v["resolved"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["account_id"] == dropped));
    }
    assert_eq!(schema_errors(&v), Vec::<String>::new());
}

#[test]
fn a_bad_baseline_is_exit_2_not_a_full_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("last.json");
    std::fs::write(&bad, "[1, 2, 3]").unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .arg("--baseline")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("last.json"));
    assert!(out.stdout.is_empty());
}

#[test]
fn suppressions_move_findings_and_report_expired_and_stale_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (_, before) = audit_json(dir.path(), &acme(), &[]);
    let target = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["account_id"].is_string())
        .expect("an account-level finding")
        .clone();
    let rule = target["rule_id"].as_str().unwrap();
    let account = target["account_id"].as_str().unwrap();
    let supp = dir.path().join("accepted.toml");
    std::fs::write(
        &supp,
        format!(
            r#"
[[suppress]]
rule = "{rule}"
account = "{account}"
reason = "kept for HK press; retire in Q1"
owner = "li.na@example.com"
expires = "2027-01-31"

[[suppress]]
rule = "{rule}"
account = "{account}"
reason = "old decision"
expires = "2026-01-31"

[[suppress]]
rule = "CMP-001"
account = "gh_does_not_exist"
reason = "nothing to match"
"#
        ),
    )
    .unwrap();
    let supp_arg = supp.display().to_string();
    let (_, v) = audit_json(dir.path(), &acme(), &["--suppressions", &supp_arg]);
    assert_eq!(schema_errors(&v), Vec::<String>::new());
    let suppressed = v["suppressed"].as_array().unwrap();
    assert!(suppressed.iter().any(|s| s["rule_id"] == rule
        && s["account_id"] == account
        && s["reason"] == "kept for HK press; retire in Q1"
        && s["owner"] == "li.na@example.com"));
    assert!(!v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule_id"] == rule && f["account_id"] == account));
    assert_eq!(
        v["summary"]["suppressed"].as_u64().unwrap(),
        suppressed.len() as u64
    );
    assert_eq!(
        v["summary"]["findings"].as_u64().unwrap() + suppressed.len() as u64,
        before["summary"]["findings"].as_u64().unwrap()
    );
    assert_eq!(v["expired_suppressions"][0]["reason"], "old decision");
    assert_eq!(v["stale_suppressions"][0]["account"], "gh_does_not_exist");

    // Listed in every format, never dropped.
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args([
            "--as-of",
            AS_OF,
            "--format",
            "csv",
            "--suppressions",
            &supp_arg,
        ])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("suppressed: kept for HK press; retire in Q1"));
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args([
            "--as-of",
            AS_OF,
            "--format",
            "md",
            "--suppressions",
            &supp_arg,
        ])
        .output()
        .unwrap();
    let md = stdout(&out);
    assert!(md.contains("## Accepted risks") && md.contains("kept for HK press"));
    assert!(md.contains("Expired") && md.contains("Stale"));
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF, "--suppressions", &supp_arg])
        .output()
        .unwrap();
    let t = stdout(&out);
    assert!(t.contains("ACCEPTED RISKS") && t.contains("STALE SUPPRESSIONS"));
}

#[test]
fn config_file_in_the_working_directory_drives_a_short_cron_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(sample("acme-profile.toml"), dir.path().join("profile.toml")).unwrap();
    std::fs::write(
        dir.path().join("accepted.toml"),
        "[[suppress]]\nrule = \"CMP-001\"\naccount = \"nobody\"\nreason = \"example\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("wxaudit.toml"),
        r#"
profile = "profile.toml"
suppressions = "accepted.toml"
output = "reports/"
baseline = "auto"
fail_on = "critical"
"#,
    )
    .unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    let latest = read_json(&dir.path().join("reports/latest.json"));
    assert_eq!(latest["profile_source"], "profile_file");
    assert_eq!(latest["profile"]["name"], "Acme Group");
    assert_eq!(latest["stale_suppressions"][0]["account"], "nobody");
    let critical = latest["summary"]["severities"]["critical"]
        .as_u64()
        .unwrap();
    assert_eq!(out.status.code(), Some(if critical > 0 { 1 } else { 0 }));

    // Flags win over the file.
    let (_, v) = audit_json(dir.path(), &acme(), &["--target", "CN", "-o", "-"]);
    assert_eq!(v["profile_source"], "command_line");
}

#[test]
fn config_errors_are_exit_2_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--config", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"));

    std::fs::write(dir.path().join("wxaudit.toml"), "fail_onn = \"high\"\n").unwrap();
    let out = wx_in(dir.path()).arg("audit").arg(acme()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("wxaudit.toml") && err.contains("fail_onn"),
        "{err}"
    );
}

#[test]
fn the_readme_monthly_audit_example_works_on_the_sample_data() {
    // README: `wxaudit audit sample-data/acme-accounts.csv --config sample-data/wxaudit.toml`,
    // run in a copy of the repository layout so the reports land in a temporary directory.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sample-data");
    std::fs::create_dir(&data).unwrap();
    for f in [
        "acme-accounts.csv",
        "acme-profile.toml",
        "accepted-risks.toml",
        "wxaudit.toml",
    ] {
        std::fs::copy(sample(f), data.join(f)).unwrap();
    }
    let run = |as_of: &str| {
        wx_in(dir.path())
            .args([
                "audit",
                "sample-data/acme-accounts.csv",
                "--config",
                "sample-data/wxaudit.toml",
                "--as-of",
                as_of,
            ])
            .output()
            .unwrap()
    };
    let first = run(AS_OF);
    assert_eq!(
        first.status.code(),
        Some(1),
        "first run: every finding is new"
    );
    assert!(stderr(&first).contains("no previous report"));
    let reports = dir.path().join("reports");
    assert!(reports.join(format!("audit-{AS_OF}.md")).is_file());
    let v = read_json(&reports.join("latest.json"));
    assert_eq!(v["profile_source"], "profile_file");
    assert!(
        v["suppressed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["account_id"] == "gh_a1c3e5f7a903"),
        "the sample's accepted risk applies"
    );
    // Same inventory next run: nothing new, so --fail-on-new (from the config) passes.
    let second = run(AS_OF);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let v = read_json(&reports.join("latest.json"));
    assert_eq!(v["summary"]["new"], 0);
}
