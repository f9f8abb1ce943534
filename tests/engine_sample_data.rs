//! The engine on the real sample data through the real importer: every rule of the catalogue
//! fires on the Acme inventory, the clean inventory has nothing high or critical, and
//! fingerprints do not depend on the file's form, encoding or header language.

use std::collections::BTreeSet;
use wxaudit::audit::Report;
use wxaudit::model::Severity;
use wxaudit::pipeline::{run, PipelineOptions};
use wxaudit::rules::RuleSet;

fn audit(file: &str, with_profile: bool) -> Report {
    let mut o = PipelineOptions {
        input: file.into(),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
        ..PipelineOptions::default()
    };
    if with_profile {
        o.profile.file = Some("sample-data/acme-profile.toml".into());
    }
    match run(&o, &|_, _, _| {}) {
        Ok(r) => r,
        Err(e) => panic!("{file}: {e}"),
    }
}

fn fingerprints(r: &Report) -> BTreeSet<String> {
    r.findings
        .iter()
        .map(|f| f.fingerprint.to_string())
        .collect()
}

/// Fingerprints of account- and brand-level findings. LIM-001 is about an entity and is
/// identified by the entity's name, which the Chinese export writes in Chinese
/// (阿克米茶饮(上海)有限公司 for Acme Tea (Shanghai) Co., Ltd.): a different name, a different
/// fingerprint.
fn account_fingerprints(r: &Report) -> BTreeSet<String> {
    r.findings
        .iter()
        .filter(|f| f.rule_id != "LIM-001")
        .map(|f| f.fingerprint.to_string())
        .collect()
}

#[test]
fn every_rule_fires_on_the_sample_inventory() {
    let r = audit("sample-data/acme-accounts.json", false);
    let fired: BTreeSet<&str> = r.findings.iter().map(|f| f.rule_id.as_str()).collect();
    // PAY-007 is brand-level (a brand targeting HK where no account accepts HKD); every Acme
    // brand has an HKD account, so the sample data does not trigger it (unit tests cover it).
    let known_gaps = ["PAY-007"];
    let missing: Vec<String> = RuleSet::builtin()
        .catalogue()
        .into_iter()
        .map(|i| i.id)
        .filter(|id| !fired.contains(id.as_str()) && !known_gaps.contains(&id.as_str()))
        .collect();
    assert!(missing.is_empty(), "rules that never fire: {missing:?}");
    assert!(r.not_evaluated.is_empty(), "{:?}", r.not_evaluated);
}

#[test]
fn the_clean_inventory_has_nothing_high() {
    let r = audit("sample-data/clean-accounts.csv", false);
    assert!(
        r.findings.iter().all(|f| f.severity < Severity::High),
        "{:?}",
        r.findings
    );
}

#[test]
fn fingerprints_do_not_depend_on_form_encoding_or_header_language() {
    let csv = audit("sample-data/acme-accounts.csv", true);
    let zh = audit("sample-data/acme-accounts-excel-gb18030.csv", true);
    let json = audit("sample-data/acme-accounts.json", true);
    assert!(!csv.findings.is_empty());
    assert_eq!(fingerprints(&csv), fingerprints(&json));
    assert_eq!(account_fingerprints(&csv), account_fingerprints(&zh));
}
