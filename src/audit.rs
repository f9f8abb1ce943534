//! Runs the rule catalogue over an imported inventory against a company profile, producing the
//! [`Report`] that every front end (headless reports, TUI) renders.

use crate::import::{InputInfo, Inventory};
use crate::model::{
    Account, Classification, Finding, NotEvaluated, Platform, Profile, ProfileSource, RowError,
    Severity,
};
use crate::rules::RuleSet;
use crate::suppress::{SuppressedFinding, SuppressionEntry};
use chrono::NaiveDate;
use serde::Serialize;

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
    let _ = (inventory, profile, profile_source, rules, opts);
    todo!("audit")
}
