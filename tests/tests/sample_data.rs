//! The bundled sample data is what a new user sees first: these tests hold it to its promises.
//! Together the samples trigger every rule of the catalogue; the three forms of the Acme
//! inventory (UTF-8 CSV, JSON, GB18030 Chinese-header Excel export) give the same findings;
//! and the clean inventory raises nothing high or critical.

use std::collections::BTreeSet;
use std::path::PathBuf;
use wxaudit::audit::Report;
use wxaudit::model::{Platform, Severity};
use wxaudit::pipeline::{self, PipelineOptions};
use wxaudit::profile::ProfileArgs;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

fn audit_with(name: &str, profile: ProfileArgs) -> Report {
    let opts = PipelineOptions {
        input: sample(name),
        profile,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
        ..Default::default()
    };
    pipeline::run(&opts, &|_, _, _| {}).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn acme_profile() -> ProfileArgs {
    ProfileArgs {
        file: Some(sample("acme-profile.toml")),
        ..Default::default()
    }
}

/// Fingerprints of the findings. LIM-001 is about a legal entity, which the Chinese export names
/// in Chinese (阿克米茶饮(上海)有限公司 for Acme Tea (Shanghai) Co., Ltd.); the profile gives
/// both names, so it is the same entity and the same fingerprint.
fn fingerprints(r: &Report) -> BTreeSet<(String, String)> {
    r.findings
        .iter()
        .map(|f| (f.rule_id.to_string(), r.fingerprint(f).to_string()))
        .collect()
}

#[test]
fn the_samples_together_trigger_every_rule_in_the_catalogue() {
    let mut fired = BTreeSet::new();
    for r in [
        audit_with("acme-accounts.csv", ProfileArgs::default()),
        audit_with("acme-accounts.csv", acme_profile()),
        audit_with("acme-accounts.json", ProfileArgs::default()),
        audit_with("acme-accounts-excel-gb18030.csv", acme_profile()),
    ] {
        fired.extend(r.findings.iter().map(|f| f.rule_id.to_string()));
    }
    let catalogue: BTreeSet<String> = wxaudit::rules::RuleSet::builtin()
        .catalogue()
        .into_iter()
        .map(|r| r.id)
        .collect();
    let missing: Vec<_> = catalogue.difference(&fired).collect();
    assert!(
        missing.is_empty(),
        "rules never triggered by sample-data: {missing:?}"
    );
}

#[test]
fn the_three_forms_of_the_acme_inventory_give_the_same_findings() {
    let csv = audit_with("acme-accounts.csv", acme_profile());
    let json = audit_with("acme-accounts.json", acme_profile());
    let gbk = audit_with("acme-accounts-excel-gb18030.csv", acme_profile());
    assert_eq!(gbk.input.encoding, "GB18030");
    assert_eq!(csv.accounts.len(), 33);
    assert_eq!(json.accounts.len(), 33);
    assert_eq!(gbk.accounts.len(), 33);
    assert_eq!(fingerprints(&csv), fingerprints(&json));
    assert_eq!(fingerprints(&csv), fingerprints(&gbk));
}

#[test]
fn lotus_beauty_is_unreachable_in_mainland_china() {
    let r = audit_with("acme-accounts.csv", acme_profile());
    let gap = r
        .findings
        .iter()
        .find(|f| f.rule_id == "REACH-001" && f.brand(&r.accounts) == Some("Lotus Beauty"))
        .expect("REACH-001 for Lotus Beauty");
    assert_eq!(gap.severity, Severity::Critical);
    assert_eq!(gap.account_id(&r.accounts), None);
    // Acme Tea has Weixin service accounts for the mainland: no such gap for it.
    assert!(!r
        .findings
        .iter()
        .any(|f| f.rule_id == "REACH-001" && f.brand(&r.accounts) == Some("Acme Tea")));
    // The Lotus accounts behind it are on the international platform.
    let lotus_official = r
        .accounts
        .iter()
        .position(|a| a.id() == Some("gh_b2d4f6a8c001"))
        .expect("Lotus Beauty main account");
    assert_eq!(
        r.classifications.platform(lotus_official),
        Some(Platform::Wechat)
    );
}

#[test]
fn the_clean_inventory_raises_nothing_high_or_critical() {
    let r = audit_with("clean-accounts.csv", ProfileArgs::default());
    let bad: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::High)
        .map(|f| {
            format!(
                "{} {:?}: {}",
                f.rule_id,
                f.account_id(&r.accounts),
                r.message(f)
            )
        })
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert!(r.row_errors.is_empty(), "{:?}", r.row_errors);
}
