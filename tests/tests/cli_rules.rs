//! `wxaudit rules` and `wxaudit rules explain ID`.

use crate::common;

use common::*;

#[test]
fn catalogue_lists_id_severity_and_title() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path()).arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(t.starts_with("ID"), "{t}");
    let reach = t
        .lines()
        .find(|l| l.starts_with("REACH-001"))
        .expect("REACH-001 listed");
    assert!(reach.contains("critical"), "{reach}");
    for id in ["REG-001", "REACH-002", "PAY-006", "DATA-003"] {
        assert!(t.contains(id), "{id}");
    }
}

#[test]
fn explain_shows_check_why_fix_columns_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .args(["rules", "explain", "reach-001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(t.starts_with("REACH-001 · critical"), "{t}");
    for label in ["Checks", "Why", "Fix", "Needs"] {
        assert!(t.contains(label), "{label}: {t}");
    }
}

#[test]
fn unknown_rule_suggests_close_ids_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .args(["rules", "explain", "REACH-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("wxaudit: no rule"), "{err}");
    assert!(err.contains("REACH-001"), "{err}");
}

#[test]
fn a_missing_rules_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .args(["rules", "--rules", "no-such-rules.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-rules.toml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rules_file_that_changes_a_fact_changes_the_verdict() {
    // A personal account known only by its wallet: CNH is a foreign wallet (WeChat) until a
    // rules file declares it a China-wallet currency.
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("wallets.csv");
    std::fs::write(&inv, "id,type,wallet_currency\nwxid_cnh,personal,CNH\n").unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[knowledge.wallet_regions.CNH]\nregion = \"china\"\nlabel = \"offshore yuan\"\n",
    )
    .unwrap();
    let platform = |v: &serde_json::Value| v["accounts"][0]["platform"].clone();
    let (_, before) = audit_json(dir.path(), &inv, &[]);
    assert_eq!(platform(&before), "wechat", "{before}");
    let (_, after) = audit_json(dir.path(), &inv, &["--rules", "rules.toml"]);
    assert_eq!(platform(&after), "weixin", "{after}");
    assert_eq!(after["summary"]["platforms"]["weixin"], 1, "{after}");
    // The evidence the report shows is rebuilt with the same knowledge, so it agrees.
    let evidence = &after["accounts"][0]["evidence"][0];
    assert_eq!(evidence["implies"], "weixin", "{after}");
    assert_eq!(evidence["note"], "China wallet", "{after}");
}
