//! Accepted risks as plain data: a `[[suppress]]` entry and a finding one matched.
//!
//! Why here and not in `suppress`: the [`crate::audit::Report`] holds them and every renderer
//! lists them, while `suppress` (reading the file, matching, applying) works on a `Report`. With
//! the data in `model`, `suppress` depends on `audit` and `model`, and nothing depends back on
//! `suppress`. `crate::suppress` re-exports both types.

use super::Finding;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One `[[suppress]]` entry as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressionEntry {
    pub rule: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub brand: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub expires: Option<NaiveDate>,
}

impl SuppressionEntry {
    /// What the entry covers, in words: its account, else its brand, else every account.
    pub fn target(&self) -> &str {
        self.account
            .as_deref()
            .or(self.brand.as_deref())
            .unwrap_or("all accounts")
    }
}

/// A finding that a suppression matched, with why it was accepted.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub reason: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub expires: Option<NaiveDate>,
}
