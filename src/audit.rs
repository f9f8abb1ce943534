//! Runs the rule catalogue over an imported inventory against a company profile, producing the
//! [`Report`] that every front end (headless reports, TUI) renders.
//!
//! Classification runs in parallel (rayon) and the rules in one parallel pass plus a few linear
//! company-level passes, so a million-account inventory audits in about a second. Findings carry
//! a [`fingerprint`] that survives re-sorting rows and renaming columns, for baselines and
//! suppressions.

use crate::classify::classify;
use crate::import::{InputInfo, Inventory};
use crate::model::{
    Account, Classification, Finding, NotEvaluated, Platform, Profile, ProfileSource, RowError,
    Severity, Text,
};
use crate::rules::context::{norm_name, Ctx};
use crate::rules::{id_order, RuleSet};
use crate::suppress::{SuppressedFinding, SuppressionEntry};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Audit settings that are not part of the profile.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The date "today" is, for expiry and dormancy rules (`--as-of`).
    pub as_of: NaiveDate,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            as_of: chrono::Local::now().date_naive(),
        }
    }
}

/// The result of one audit: the inventory, each account's classification, and the findings.
#[derive(Debug, Clone)]
pub struct Report {
    pub input: InputInfo,
    pub profile: Profile,
    pub profile_source: ProfileSource,
    pub as_of: NaiveDate,
    pub accounts: Vec<Account>,
    /// Parallel to `accounts`.
    pub classifications: Vec<Classification>,
    /// Active (not suppressed) findings, most severe first.
    pub findings: Vec<Finding>,
    pub not_evaluated: Vec<NotEvaluated>,
    pub row_errors: Vec<RowError>,
    /// Headers of unknown columns kept as extra fields.
    pub extra_columns: Vec<String>,
    /// Findings matched by a suppression (accepted risks), with the reason.
    pub suppressed: Vec<SuppressedFinding>,
    pub expired_suppressions: Vec<SuppressionEntry>,
    pub stale_suppressions: Vec<SuppressionEntry>,
    /// Findings of the baseline that are gone now (only with a baseline).
    pub resolved: Vec<Finding>,
    /// Path of the baseline compared against, if any.
    pub baseline: Option<String>,
}

/// Counts shown at the top of every report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub accounts: u64,
    pub weixin: u64,
    pub wechat: u64,
    pub unknown: u64,
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub info: u64,
    pub suppressed: u64,
    pub row_errors: u64,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            accounts: self.accounts.len() as u64,
            suppressed: self.suppressed.len() as u64,
            row_errors: self.row_errors.len() as u64,
            ..Summary::default()
        };
        for c in &self.classifications {
            match c.platform {
                Platform::Weixin => s.weixin += 1,
                Platform::Wechat => s.wechat += 1,
                Platform::Unknown => s.unknown += 1,
            }
        }
        for f in &self.findings {
            match f.severity {
                Severity::Critical => s.critical += 1,
                Severity::High => s.high += 1,
                Severity::Medium => s.medium += 1,
                Severity::Low => s.low += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }

    /// The most severe active finding, if any.
    pub fn worst_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Classifies every account and runs every enabled rule.
pub fn audit(
    inventory: Inventory,
    profile: Profile,
    profile_source: ProfileSource,
    rules: &RuleSet,
    opts: &AuditOptions,
) -> Report {
    let Inventory {
        input,
        accounts,
        row_errors,
        columns,
        extra_columns,
        company: _,
    } = inventory;
    let classifications: Vec<Classification> = accounts.par_iter().map(classify).collect();
    let (mut findings, mut not_evaluated) = {
        let ctx = Ctx::new(
            &accounts,
            &classifications,
            &profile,
            profile_source,
            columns,
            opts.as_of,
            rules.knowledge(),
        );
        rules.run(&ctx)
    };
    sort_findings(&mut findings);
    not_evaluated.sort_by(|a, b| id_order(&a.rule_id).cmp(&id_order(&b.rule_id)));
    Report {
        input,
        profile,
        profile_source,
        as_of: opts.as_of,
        accounts,
        classifications,
        findings,
        not_evaluated,
        row_errors,
        extra_columns,
        suppressed: Vec::new(),
        expired_suppressions: Vec::new(),
        stale_suppressions: Vec::new(),
        resolved: Vec::new(),
        baseline: None,
    }
}

/// What a finding is "about" for sorting: its account id/name, else its brand.
fn finding_label(f: &Finding) -> &str {
    f.account_id
        .as_deref()
        .or(f.account_name.as_deref())
        .or(f.brand.as_deref())
        .unwrap_or("")
}

/// Most severe first, then rule id (catalogue order), then account label, then fingerprint (so
/// the order is total and stable across runs).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.par_sort_unstable_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| id_order(&a.rule_id).cmp(&id_order(&b.rule_id)))
            .then_with(|| finding_label(a).cmp(finding_label(b)))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

/// The identity of an account for fingerprints: `id:<id>` (trimmed), else `name:<name>`
/// normalised (NFKC, trimmed, lower-case); None when it has neither.
pub fn account_identity(a: &Account) -> Option<String> {
    if let Some(id) = a.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        return Some(format!("id:{id}"));
    }
    a.name
        .as_deref()
        .map(norm_name)
        .filter(|n| !n.is_empty())
        .map(|n| format!("name:{n}"))
}

/// Stable fingerprint of a finding: the first 16 hex digits of SHA-256 over rule id, identity
/// (see [`account_identity`]; for company-level findings None or e.g. `entity:<name>`), brand
/// (NFKC, trimmed, lower-case) and market (upper-case). Never the row number, so re-sorting the
/// spreadsheet or renaming its columns keeps every fingerprint.
pub fn fingerprint(
    rule_id: &str,
    identity: Option<&str>,
    brand: Option<&str>,
    market: Option<&str>,
) -> Text {
    let mut h = Sha256::new();
    h.update(rule_id.trim().to_ascii_uppercase().as_bytes());
    h.update([0x1f]);
    h.update(identity.unwrap_or("").as_bytes());
    h.update([0x1f]);
    h.update(brand.map(norm_name).unwrap_or_default().as_bytes());
    h.update([0x1f]);
    h.update(
        market
            .map(|m| m.trim().to_ascii_uppercase())
            .unwrap_or_default()
            .as_bytes(),
    );
    let digest = h.finalize();
    let mut out = Text::with_capacity(16);
    for b in digest.iter().take(8) {
        use std::fmt::Write;
        let _ = write!(out, "{b:02x}");
    }
    out
}
