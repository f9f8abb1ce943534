//! Renders a [`crate::audit::Report`] for people and machines: CSV (Excel-safe), JSON (with a
//! published schema), Markdown, and a terminal summary.
//!
//! Every renderer works from the same `Report` and the same [`Overview`] numbers, so the counts a
//! marketing lead reads in the Markdown are the ones CI gates on in the JSON. Suppressed findings
//! (accepted risks) are listed separately in every format, never dropped.
//!
//! The renderers never import one another: what several of them say the same way lives in a
//! module they all depend on — [`overview`] (the counts, the headline, the profile line) and
//! [`reading`] (how the file was read, input problems).

pub mod csv;
pub mod findings_csv;
pub mod in_order;
pub mod json;
mod json_text;
pub mod markdown;
pub mod overview;
pub mod reading;
pub mod text;

use crate::audit::Report;
use crate::model::{BaselineState, Finding, NotEvaluated, Platform};
use crate::suppress::SuppressedFinding;
use std::io::{self, Write};

pub use overview::Overview;

/// Output formats of `wxaudit audit --format` (the binary's `cli::args::FormatArg` is its clap
/// form: the core has no clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Excel-safe CSV, one row per finding.
    Csv,
    /// The full machine-readable report (schema/report.schema.json).
    Json,
    /// Markdown summary to paste into an email or wiki.
    Md,
    /// The readable terminal summary (the default).
    Text,
}

impl Format {
    /// The format implied by a file name's extension, if it has a known one.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path
            .extension()?
            .to_string_lossy()
            .to_ascii_lowercase()
            .as_str()
        {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Md),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }
}

/// Renders `report` in `format` into `out`. `color` only affects [`Format::Text`].
pub fn render(report: &Report, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    if matches!(format, Format::Csv | Format::Json)
        && report.order != crate::order::FindingOrder::Report
    {
        // A caller's mistake, said rather than written as a report in the wrong order.
        return Err(io::Error::other(format!(
            "the {format:?} report lists every finding in report order, and this audit left its findings unsorted (FindingOrder::AsFound)"
        )));
    }
    match format {
        Format::Csv => findings_csv::write(report, out).map(|_| ()),
        Format::Json => json::write(report, out),
        Format::Md => markdown::write(report, out),
        Format::Text => text::write(report, color, out),
    }
}

/// The first `k` of `items` (the report's findings, or its suppressed ones) that `keep` keeps,
/// in report order: read off the front when the audit sorted them, picked out of them
/// ([`crate::order::first_in_order`]) when it left them as found for the terminal summary.
pub fn first_in_report_order<'a, T: Sync>(
    report: &Report,
    items: &'a [T],
    finding: impl Fn(&T) -> &Finding + Sync,
    keep: impl Fn(&Finding) -> bool + Sync,
    k: usize,
) -> Vec<&'a T> {
    match report.order {
        crate::order::FindingOrder::Report => {
            items.iter().filter(|t| keep(finding(t))).take(k).collect()
        }
        crate::order::FindingOrder::AsFound => {
            crate::order::first_in_order(items, finding, keep, &report.accounts, k)
        }
    }
}

/// For [`Severity::DESC`] in turn: how many active findings have that severity, and the first
/// `k` of them in report order — one pass over the findings however many severities are shown.
pub fn first_by_severity(report: &Report, k: usize) -> [(usize, Vec<&Finding>); 5] {
    match report.order {
        crate::order::FindingOrder::Report => {
            let mut out: [(usize, Vec<&Finding>); 5] = Default::default();
            for f in &report.findings {
                let (count, first) = &mut out[f.severity.desc_index()];
                *count += 1;
                if first.len() < k {
                    first.push(f);
                }
            }
            out
        }
        crate::order::FindingOrder::AsFound => {
            crate::order::first_by_severity(&report.findings, &report.accounts, k)
        }
    }
}

/// The first `k` accepted risks (suppressed findings), in report order.
pub fn first_suppressed(report: &Report, k: usize) -> Vec<&SuppressedFinding> {
    first_in_report_order(report, &report.suppressed, |s| &s.finding, |_| true, k)
}

/// A finding's message: worded by `report` for its own findings, as carried for findings read
/// back from a saved report (`report` None).
pub fn message_of<'a>(report: Option<&'a Report>, f: &'a Finding) -> std::borrow::Cow<'a, str> {
    match report {
        Some(r) => r.message(f),
        None => std::borrow::Cow::Borrowed(f.said_message()),
    }
}

/// The platform of the account a finding is about (None for company/brand-level findings).
pub fn finding_platform(report: &Report, f: &Finding) -> Option<Platform> {
    let i = f.account? as usize;
    report.classifications.platform(i)
}

/// "the company", "brand Acme Tea", or the account's name and id, for sentences. `accounts` is
/// the list the finding's account index points into (see [`Finding::account_id`]).
pub fn subject(f: &Finding, accounts: &crate::accounts::Accounts) -> String {
    name_and_id(f.account_name(accounts), f.account_id(accounts)).unwrap_or_else(|| {
        match f.brand(accounts) {
            Some(b) => format!("brand {b}"),
            None => "company-wide".to_string(),
        }
    })
}

/// An account as people name it in reports: "name (id)", or whichever of the two it has.
pub fn name_and_id(name: Option<&str>, id: Option<&str>) -> Option<String> {
    match (name, id) {
        (Some(n), Some(id)) if n != id => Some(format!("{n} ({id})")),
        (Some(n), _) => Some(n.to_string()),
        (None, Some(id)) => Some(id.to_string()),
        (None, None) => None,
    }
}

/// Why a rule was not evaluated, in words: "needs columns a, b" and/or the engine's reason
/// (e.g. "the company profile lists no legal entities").
pub fn not_evaluated_text(n: &NotEvaluated) -> String {
    let cols: Vec<&str> = n.missing_columns.iter().map(|c| c.as_str()).collect();
    let reason = n.reason.clone().filter(|r| !r.trim().is_empty());
    match (cols.is_empty(), reason) {
        (false, Some(r)) => format!("needs columns {}; {r}", cols.join(", ")),
        (false, None) => format!("needs columns {}", cols.join(", ")),
        (true, Some(r)) => r,
        (true, None) => "not enough data".to_string(),
    }
}

/// "new" / "unchanged" / "" for a finding's baseline state.
pub fn baseline_label(f: &Finding) -> &'static str {
    f.baseline_state.map_or("", BaselineState::as_str)
}

/// Hand-built reports for renderer tests: they do not depend on the import or audit engines.
#[cfg(test)]
pub(crate) mod testutil {
    use crate::audit::Report;
    use crate::import::InputInfo;
    use crate::model::*;
    use chrono::NaiveDate;

    pub fn finding(
        rule: &str,
        severity: Severity,
        account_id: Option<&str>,
        account_name: Option<&str>,
        brand: Option<&str>,
    ) -> Finding {
        Finding {
            rule_id: rule.into(),
            severity,
            // Stands for the account until a test points `account` at one of the report's.
            account: None,
            market: None,
            baseline_state: None,
            said: Some(std::sync::Arc::new(Said {
                recorded: (account_id.is_some() || account_name.is_some()).then(|| {
                    RecordedAccount {
                        id: account_id.map(Into::into),
                        name: account_name.map(Into::into),
                    }
                }),
                brand: brand.map(Into::into),
                message: format!("{rule} message").into(),
                evidence: vec![format!("{rule} evidence")],
                advice: format!("{rule} advice").into(),
                fingerprint: format!(
                    "{rule}|{}|{}",
                    account_id.or(account_name).unwrap_or(""),
                    brand.unwrap_or("")
                )
                .into(),
            })),
        }
    }

    /// Changes the message a hand-built finding carries.
    pub fn set_message(f: &mut Finding, message: &str) {
        if let Some(s) = f.said.as_mut() {
            std::sync::Arc::make_mut(s).message = message.into();
        }
    }

    /// A saved report as read back from a file, holding `findings` (each with `platform`).
    pub fn saved_report(
        accounts: Vec<crate::report::json::SavedAccount>,
        findings: Vec<Finding>,
        platform: Option<Platform>,
    ) -> crate::report::json::SavedReport {
        crate::report::json::SavedReport {
            schema_version: 1,
            as_of: None,
            input: Default::default(),
            accounts,
            findings: findings
                .into_iter()
                .map(|finding| crate::report::json::SavedFinding { finding, platform })
                .collect(),
            suppressed: vec![],
            not_evaluated: vec![],
            expired_suppressions: vec![],
            stale_suppressions: vec![],
        }
    }

    fn classification(platform: Platform) -> Classification {
        Classification {
            platform,
            confidence: Confidence::High,
            conflicts: vec![],
        }
    }

    /// Two accounts (one Weixin, one legacy WeChat), a critical brand-level gap, a high account
    /// finding with a formula-like name, a row error and a not-evaluated rule.
    pub fn sample_report() -> Report {
        let a1 = Account {
            line: 2,
            id: Some("gh_cn01".into()),
            name: Some("阿克米茶饮".into()),
            account_type: Some(AccountType::Service),
            portal: Some("mp.weixin.qq.com".into()),
            phone: Some(Phone {
                country_code: Some("86".into()),
                number: "13800000000".into(),
            }),
            entity_country: Some(Country::Code("CN".into())),
            verified: Some(true),
            verification_expiry: NaiveDate::from_ymd_opt(2027, 3, 31),
            audience: vec!["CN".into()],
            features: vec!["payments".into()],
            brand: Some("Acme Tea".into()),
            followers: Some(12345),
            raw: vec![(Column::Followers, "1.2万".into())],
            extra: vec![("Region manager".into(), "Li Na".into())],
            ..Account::default()
        };
        let a2 = Account {
            line: 3,
            id: Some("gh_hk01".into()),
            name: Some("=Acme | HK".into()),
            account_type: Some(AccountType::Subscription),
            portal: Some("admin.wechat.com".into()),
            entity_country: Some(Country::AmbiguousChina),
            audience: vec!["HK".into(), "CN".into()],
            brand: Some("Acme Coffee".into()),
            ..Account::default()
        };
        let mut f1 = finding(
            "REACH-001",
            Severity::Critical,
            None,
            None,
            Some("Acme Coffee"),
        );
        f1.market = Some("CN".into());
        set_message(
            &mut f1,
            "Brand Acme Coffee cannot be found by mainland customers",
        );
        let mut f2 = finding(
            "REACH-002",
            Severity::High,
            Some("gh_hk01"),
            Some("=Acme | HK"),
            Some("Acme Coffee"),
        );
        f2.account = Some(1);
        let mut f3 = finding(
            "OWN-003",
            Severity::Low,
            Some("gh_cn01"),
            Some("阿克米茶饮"),
            Some("Acme Tea"),
        );
        f3.account = Some(0);
        Report {
            input: InputInfo {
                path: "acme.csv".into(),
                sha256: "ab".repeat(32),
                encoding: "UTF-8".into(),
                format: "csv".into(),
                rows: 3,
                rejected_rows: 1,
                ..InputInfo::default()
            },
            profile: Profile {
                name: Some("Acme Group".into()),
                legal_entities: vec!["Acme Tea Ltd.".into()],
                targets: vec!["CN".into(), "HK".into()],
                planned_features: vec![],
            },
            profile_source: ProfileSource::Inferred,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
            accounts: vec![a1, a2].into(),
            classifications: crate::model::Classifications::from(vec![
                classification(Platform::Weixin),
                classification(Platform::Wechat),
            ]),
            findings: vec![f1, f2, f3],
            order: crate::order::FindingOrder::Report,
            not_evaluated: vec![NotEvaluated {
                rule_id: "CMP-001".into(),
                missing_columns: vec![Column::IcpFiling],
                reason: None,
            }],
            row_errors: vec![RowError {
                line: 4,
                column: None,
                value: None,
                message: "row has neither id nor name".into(),
                skipped: true,
            }],
            extra_columns: vec!["Region manager".into()],
            suppressed: vec![],
            expired_suppressions: vec![],
            stale_suppressions: vec![],
            resolved: vec![],
            baseline: None,
            rules: Default::default(),
            facts: Default::default(),
            columns: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::sample_report;
    use super::*;
    use crate::order::FindingOrder;

    /// The terminal summary and the Markdown page of a report whose findings were left as found
    /// are those of the sorted report; CSV and JSON, which list every finding, refuse it.
    #[test]
    fn only_the_summary_and_the_page_take_findings_as_found() {
        // Several findings a severity, about different accounts, so their order shows.
        let mut sorted = sample_report();
        let more: Vec<Finding> = sorted
            .findings
            .iter()
            .filter(|f| f.account.is_some())
            .map(|f| Finding {
                account: Some(1 - f.account.unwrap_or(0)),
                said: None,
                ..f.clone()
            })
            .collect();
        sorted.findings.extend(more);
        crate::order::sort_findings(&mut sorted.findings, &sorted.accounts);
        let mut as_found = sample_report();
        as_found.findings = sorted.findings.iter().rev().cloned().collect();
        as_found.order = FindingOrder::AsFound;
        let out = |r: &Report, f: Format| {
            let mut buf = Vec::new();
            render(r, f, false, &mut buf).map(|_| String::from_utf8(buf).unwrap())
        };
        for f in [Format::Text, Format::Md] {
            assert_eq!(
                out(&as_found, f).unwrap(),
                out(&sorted, f).unwrap(),
                "{f:?}"
            );
        }
        for f in [Format::Csv, Format::Json] {
            let err = out(&as_found, f).unwrap_err().to_string();
            assert!(err.contains("report order"), "{f:?}: {err}");
            assert!(out(&sorted, f).is_ok());
        }
    }
}
