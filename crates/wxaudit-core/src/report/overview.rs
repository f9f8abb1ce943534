//! The numbers and sentences every readable report opens with: the [`Overview`] counts, the
//! one-sentence [`headline`] and the [`profile_line`] saying how the targets were chosen.
//!
//! Why a module of its own: the terminal summary (`text`) and the Markdown report (`markdown`)
//! both open with them, and neither renderer should import the other. Both depend on this module
//! (the JSON report uses [`Overview`] too); it depends only on the report and the model.

use super::reading::count as plural;
use crate::audit::Report;
use crate::model::{BaselineState, Finding, Platform, ProfileSource, Severity};

/// The numbers every report shows, derived once from a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub summary: crate::audit::Summary,
    /// Active findings (not suppressed).
    pub findings: u64,
    /// Active findings marked new against the baseline (0 without a baseline).
    pub new: u64,
    pub unchanged: u64,
    pub resolved: u64,
    pub not_evaluated: u64,
    pub expired_suppressions: u64,
    pub stale_suppressions: u64,
}

impl Overview {
    pub fn of(report: &Report) -> Overview {
        let state = |s| {
            report
                .findings
                .iter()
                .filter(|f| f.baseline_state == Some(s))
                .count() as u64
        };
        Overview {
            summary: report.summary(),
            findings: report.findings.len() as u64,
            new: state(BaselineState::New),
            unchanged: state(BaselineState::Unchanged),
            resolved: report.resolved.len() as u64,
            not_evaluated: report.not_evaluated.len() as u64,
            expired_suppressions: report.expired_suppressions.len() as u64,
            stale_suppressions: report.stale_suppressions.len() as u64,
        }
    }

    pub fn severity(&self, s: Severity) -> u64 {
        match s {
            Severity::Critical => self.summary.critical,
            Severity::High => self.summary.high,
            Severity::Medium => self.summary.medium,
            Severity::Low => self.summary.low,
            Severity::Info => self.summary.info,
        }
    }

    pub fn platform(&self, p: Platform) -> u64 {
        match p {
            Platform::Weixin => self.summary.weixin,
            Platform::Wechat => self.summary.wechat,
            Platform::Unknown => self.summary.unknown,
        }
    }
}

/// The one-sentence headline, e.g. "2 critical gaps: brand X cannot be found by mainland customers".
pub fn headline(report: &Report) -> String {
    headline_of(report, &super::first_by_severity(report, 1))
}

/// [`headline`] from the report's findings by severity ([`super::first_by_severity`], at least
/// the first of each), which a renderer that lists them has at hand.
pub fn headline_of(report: &Report, by_severity: &[(usize, Vec<&Finding>); 5]) -> String {
    let worst = |sev: Severity, one: &str, many: &str| -> Option<String> {
        let (n, shown) = &by_severity[sev.desc_index()];
        let n = *n as u64;
        let first = *shown.first()?;
        // The first clause is the gap itself; why it matters is in the findings list.
        let message = report.message(first);
        let gap = message.split(": ").next().unwrap_or(&message);
        let mut s = format!("{}: {}", plural(n, one, many), gap.trim_end_matches('.'));
        if n > 1 {
            s.push_str(&format!(" (and {} more)", n - 1));
        }
        Some(s)
    };
    worst(Severity::Critical, "critical gap", "critical gaps")
        .or_else(|| {
            worst(
                Severity::High,
                "high-severity issue",
                "high-severity issues",
            )
        })
        .unwrap_or_else(|| {
            let o = Overview::of(report);
            if o.findings == 0 {
                "No gaps found.".to_string()
            } else {
                format!(
                    "No critical or high-severity gaps; {} to tidy up.",
                    plural(
                        o.findings,
                        "lower-severity finding",
                        "lower-severity findings"
                    )
                )
            }
        })
}

/// How the targets were chosen, in words.
pub fn profile_line(report: &Report) -> String {
    let targets = if report.profile.targets.is_empty() {
        "none".to_string()
    } else {
        report.profile.targets.join(", ")
    };
    let from = match report.profile_source {
        ProfileSource::CommandLine => "from the command line",
        ProfileSource::ProfileFile => "from the profile file",
        ProfileSource::Inventory => "from the inventory's company profile",
        ProfileSource::Inferred => "inferred from the accounts' audiences",
    };
    format!("targets {targets} ({from})")
}
