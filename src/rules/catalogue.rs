//! The rule catalogue's metadata (domain.md §7): id, title, default severity, what each rule checks,
//! why it matters, the fix in a marketer's words, the columns it needs and its sources.
//!
//! Kept as data beside the knowledge (`data/default.json`) so `wxaudit rules explain` and the
//! findings' advice read the same text, and so wording can change without touching rule code.

use crate::model::{Column, Severity};
use serde::{Deserialize, Serialize};

/// One rule as described in the built-in data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub checks: String,
    pub why: String,
    pub fix: std::sync::Arc<str>,
    /// Columns that must all be present.
    pub needs: Vec<Column>,
    /// Columns of which at least one must be present (empty: no such condition).
    #[serde(default)]
    pub any_of: Vec<Column>,
    pub sources: Vec<String>,
    /// Cleared by a rules file's `enabled = false`.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl RuleMeta {
    /// The columns this rule lacks in an inventory carrying `present` (empty: evaluable).
    pub fn missing_columns(&self, present: crate::model::ColumnSet) -> Vec<Column> {
        let mut missing: Vec<Column> = self
            .needs
            .iter()
            .copied()
            .filter(|c| !present.contains(*c))
            .collect();
        if !self.any_of.is_empty() && !self.any_of.iter().any(|c| present.contains(*c)) {
            missing.extend(self.any_of.iter().copied());
        }
        missing
    }
}
