//! Side files (suppressions, profile, rules overrides, wxaudit.toml): a value or key that would
//! silently change what is audited is refused (exit 2) with a message naming the file, the key,
//! the value and what is allowed. Every sample side file still loads.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs `wxaudit audit <clean> ARGS` in `dir`; returns (exit code, stderr).
fn audit(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = wx_in(dir)
        .arg("audit")
        .arg(clean())
        .args(["--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), stderr(&out))
}

fn refused(dir: &Path, args: &[&str], must_contain: &[&str]) {
    let (code, err) = audit(dir, args);
    assert_eq!(code, 2, "expected exit 2; stderr: {err}");
    for m in must_contain {
        assert!(err.contains(m), "stderr lacks {m:?}: {err}");
    }
}

#[test]
fn suppression_for_an_unknown_rule_id_is_refused_with_the_closest_ids() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "risks.toml",
        "[[suppress]]\nrule = \"REACH-002\"\nreason = \"ok\"\n\n[[suppress]]\nrule = \"RECH-002\"\nreason = \"typo\"\n",
    );
    refused(
        dir.path(),
        &["--suppressions", p.to_str().unwrap()],
        &["risks.toml", "entry 2", "line 5", "RECH-002", "REACH-002"],
    );
}

#[test]
fn planned_feature_that_does_not_exist_is_refused_with_the_allowed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "profile.toml",
        "targets = [\"CN\"]\nplanned_features = [\"payments\", \"teleport\"]\n",
    );
    refused(
        dir.path(),
        &["--profile", p.to_str().unwrap()],
        &[
            "profile.toml",
            "planned_features",
            "teleport",
            "mini_program",
        ],
    );
    let j = write(
        dir.path(),
        "profile.json",
        r#"{"company": {"targets": ["CN"], "planned_features": "teleport"}}"#,
    );
    refused(
        dir.path(),
        &["--profile", j.to_str().unwrap()],
        &["profile.json", "planned_features", "teleport", "payments"],
    );
}

#[test]
fn planned_feature_spelled_as_people_write_it_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "profile.toml",
        "targets = [\"CN\"]\nplanned_features = [\"Mini Program\", \"红包\"]\n",
    );
    let (code, err) = audit(dir.path(), &["--profile", p.to_str().unwrap()]);
    assert_ne!(code, 2, "{err}");
}

#[test]
fn a_planned_feature_added_by_the_rules_file_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(
        dir.path(),
        "rules.toml",
        "[knowledge.features.coupons]\nweixin = \"yes\"\nwechat = \"no\"\n",
    );
    let p = write(
        dir.path(),
        "profile.toml",
        "targets = [\"CN\"]\nplanned_features = [\"coupons\"]\n",
    );
    let (code, err) = audit(
        dir.path(),
        &[
            "--profile",
            p.to_str().unwrap(),
            "--rules",
            r.to_str().unwrap(),
        ],
    );
    assert_ne!(code, 2, "{err}");
}

#[test]
fn negative_dormancy_days_is_refused_with_the_allowed_range() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(
        dir.path(),
        "rules.toml",
        "[knowledge]\ndormancy_days = -5\n",
    );
    refused(
        dir.path(),
        &["--rules", r.to_str().unwrap()],
        &["rules.toml", "dormancy_days", "-5", "1 to 3650"],
    );
    let r = write(
        dir.path(),
        "rules2.toml",
        "[knowledge]\nverification_renewal_days = { value = 0, source = \"x\" }\n",
    );
    refused(
        dir.path(),
        &["--rules", r.to_str().unwrap()],
        &["rules2.toml", "verification_renewal_days", "0", "1 to 3650"],
    );
    let r = write(
        dir.path(),
        "rules3.json",
        r#"{"knowledge": {"entity_limits": {"individual": -1, "enterprise": 5}}}"#,
    );
    refused(
        dir.path(),
        &["--rules", r.to_str().unwrap()],
        &["rules3.json", "entity_limits.individual", "-1", "1 to 1000"],
    );
}

#[test]
fn header_row_zero_or_negative_in_config_is_refused_with_the_allowed_range() {
    let dir = tempfile::tempdir().unwrap();
    for v in ["0", "-5"] {
        let c = write(dir.path(), "wxaudit.toml", &format!("header_row = {v}\n"));
        refused(
            dir.path(),
            &["--config", c.to_str().unwrap()],
            &["wxaudit.toml", "header_row", v, "1 or more"],
        );
    }
}

#[test]
fn unknown_profile_key_is_named_not_an_untagged_enum_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "profile.toml",
        "targets = [\"CN\"]\ntargetz = [\"HK\"]\n",
    );
    let (code, err) = audit(dir.path(), &["--profile", p.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("profile.toml") && err.contains("`targetz`"),
        "{err}"
    );
    assert!(err.contains("did you mean `targets`"), "{err}");
    assert!(!err.contains("untagged"), "{err}");
    let j = write(
        dir.path(),
        "profile.json",
        r#"{"company": {"targets": ["CN"], "entities": ["Acme"]}}"#,
    );
    let (code, err) = audit(dir.path(), &["--profile", j.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("profile.json") && err.contains("`company.entities`"),
        "{err}"
    );
    assert!(err.contains("legal_entities"), "{err}");
    assert!(!err.contains("untagged"), "{err}");
}

#[test]
fn unknown_keys_in_every_side_file_name_the_file_the_key_and_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    // Found by itself in the folder the audit runs from, as a cron job would.
    let cron = tempfile::tempdir().unwrap();
    write(cron.path(), "wxaudit.toml", "fail_onn = \"high\"\n");
    refused(
        cron.path(),
        &[],
        &["wxaudit.toml", "`fail_onn`", "did you mean `fail_on`"],
    );
    let s = write(
        dir.path(),
        "risks.toml",
        "[[suppress]]\nrule = \"REACH-002\"\nreason = \"r\"\nreson = \"x\"\n",
    );
    refused(
        dir.path(),
        &["--suppressions", s.to_str().unwrap()],
        &["risks.toml", "`reson`", "did you mean `reason`"],
    );
    let r = write(dir.path(), "rules.toml", "[knowledge]\ndormant_days = 3\n");
    refused(
        dir.path(),
        &["--rules", r.to_str().unwrap()],
        &[
            "rules.toml",
            "`knowledge.dormant_days`",
            "did you mean `dormancy_days`",
        ],
    );
}

#[test]
fn every_sample_side_file_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF])
        .arg("--config")
        .arg(sample("wxaudit.toml"))
        .arg("--rules")
        .arg(write(
            dir.path(),
            "rules.toml",
            "[knowledge]\ndormancy_days = 365\n",
        ))
        .args(["--format", "json", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(2), "{err}");
    let report = read_json(&report);
    assert!(
        report["suppressed"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "the sample accepted risks apply"
    );
}
