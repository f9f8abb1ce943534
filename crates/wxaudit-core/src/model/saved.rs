//! The saved-report (JSON) form of a [`Finding`] and how it becomes one.
//!
//! Why here and not in `report::json`: a [`Finding`] is deserialisable (baselines, diffs and
//! suppressed findings read it back from a saved report), and `model` must not depend on the
//! report writers above it. The wire shape is part of the published schema
//! (`schema/report.schema.json`); `report::json` writes it and reads whole reports with it.

use super::{BaselineState, Finding, Platform, RecordedAccount, Said, Severity, Text};
use serde::Deserialize;
use std::sync::Arc;

/// The wire form of a saved finding, read field by field: `#[serde(flatten)]` on the read side
/// buffers every finding into an intermediate tree, which is slow for millions of findings.
#[derive(Deserialize)]
pub(crate) struct RawFinding {
    rule_id: Text,
    severity: Severity,
    #[serde(default)]
    account_id: Option<Text>,
    #[serde(default)]
    account_name: Option<Text>,
    #[serde(default)]
    brand: Option<Text>,
    #[serde(default)]
    market: Option<Text>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    advice: String,
    fingerprint: Text,
    #[serde(default)]
    baseline_state: Option<BaselineState>,
    #[serde(default)]
    platform: Option<Platform>,
}

impl RawFinding {
    /// The finding, and the platform the saved report recorded for it.
    pub(crate) fn into_finding_and_platform(mut self) -> (Finding, Option<Platform>) {
        let platform = self.platform.take();
        (Finding::from(self), platform)
    }
}

/// A finding read back: no account index (that report's accounts are not this one's), but the
/// account id and name it recorded.
impl From<RawFinding> for Finding {
    fn from(r: RawFinding) -> Finding {
        Finding {
            rule_id: r.rule_id.into(),
            severity: r.severity,
            account: None,
            market: r.market.map(Into::into),
            baseline_state: r.baseline_state,
            said: Some(Arc::new(Said {
                recorded: (r.account_id.is_some() || r.account_name.is_some()).then_some(
                    RecordedAccount {
                        id: r.account_id,
                        name: r.account_name,
                    },
                ),
                brand: r.brand,
                message: r.message.into_boxed_str(),
                evidence: r.evidence,
                advice: r.advice.into(),
                fingerprint: r.fingerprint,
            })),
        }
    }
}
