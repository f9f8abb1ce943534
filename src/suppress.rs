//! Accepted risks: a TOML file of `[[suppress]]` entries that move matching findings out of the
//! active list (never dropping them), with expiry and staleness reporting.

use crate::model::Finding;
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

/// A finding that a suppression matched, with why it was accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub reason: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub expires: Option<NaiveDate>,
}
