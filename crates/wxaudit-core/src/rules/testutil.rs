//! Test helpers: accounts built by hand and a one-call audit, independent of the importer.

use crate::audit::{audit, AuditOptions, Report};
use crate::import::Inventory;
use crate::model::{Account, Column, ColumnSet, Profile, ProfileSource};
use crate::rules::RuleSet;
use chrono::NaiveDate;

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn all_columns() -> ColumnSet {
    let mut c = ColumnSet::default();
    for col in Column::ALL {
        c.insert(col);
    }
    c
}

pub fn columns(cols: &[Column]) -> ColumnSet {
    let mut c = ColumnSet::default();
    for col in cols {
        c.insert(*col);
    }
    c
}

pub fn inventory(accounts: Vec<Account>, columns: ColumnSet) -> Inventory {
    let accounts = accounts
        .into_iter()
        .enumerate()
        .map(|(i, mut a)| {
            if a.line == 0 {
                a.line = i as u64 + 2;
            }
            a
        })
        .collect();
    Inventory {
        accounts,
        columns,
        ..Inventory::default()
    }
}

pub fn profile(targets: &[&str], entities: &[&str]) -> Profile {
    Profile {
        name: Some("Acme Group".into()),
        legal_entities: entities.iter().map(|s| s.to_string()).collect(),
        targets: targets.iter().map(|s| s.to_string()).collect(),
        planned_features: Vec::new(),
    }
}

/// Audits with every column present, the given profile and rules, as of 2026-06-01.
pub fn run_with(accounts: Vec<Account>, p: Profile, cols: ColumnSet, rules: &RuleSet) -> Report {
    audit(
        inventory(accounts, cols),
        p,
        ProfileSource::ProfileFile,
        rules,
        &AuditOptions {
            as_of: date("2026-06-01"),
            order: Default::default(),
        },
    )
}

pub fn run(accounts: Vec<Account>, p: Profile) -> Report {
    run_with(accounts, p, all_columns(), &RuleSet::builtin())
}

/// Rule ids of the findings about account index `i`.
pub fn rules_for(r: &Report, i: u32) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.account == Some(i))
        .map(|f| f.rule_id.to_string())
        .collect()
}

pub fn fired(r: &Report, rule: &str) -> bool {
    r.findings.iter().any(|f| f.rule_id == rule)
}

pub fn count(r: &Report, rule: &str) -> usize {
    r.findings.iter().filter(|f| f.rule_id == rule).count()
}

pub fn phone(cc: &str) -> Option<crate::model::Phone> {
    Some(crate::model::Phone {
        country_code: Some(cc.into()),
        number: "10000000".into(),
    })
}

/// An active, verified official account of the given type on the given portal.
pub fn oa(id: &str, t: crate::model::AccountType, portal: &str) -> Account {
    Account {
        id: Some(id.into()),
        name: Some(format!("{id} name").into()),
        account_type: Some(t),
        portal: Some(portal.into()),
        status: Some(crate::model::Status::Active),
        verified: Some(true),
        ..Account::default()
    }
}

pub fn weixin_service(id: &str) -> Account {
    oa(id, crate::model::AccountType::Service, "mp.weixin.qq.com")
}

pub fn wechat_service(id: &str) -> Account {
    oa(id, crate::model::AccountType::Service, "admin.wechat.com")
}

pub fn personal(id: &str, cc: &str) -> Account {
    Account {
        id: Some(id.into()),
        account_type: Some(crate::model::AccountType::Personal),
        phone: phone(cc),
        ..Account::default()
    }
}

pub fn with_audience(mut a: Account, aud: &[&str]) -> Account {
    a.audience = aud.iter().map(|s| (*s).into()).collect();
    a
}

pub fn with_brand(mut a: Account, b: &str) -> Account {
    a.brand = Some(b.into());
    a
}

pub fn valid_uscc() -> String {
    let body = "91310000MA1FL0000";
    format!(
        "{body}{}",
        crate::classify::uscc_check_char(body).expect("body")
    )
}
