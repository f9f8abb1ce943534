//! The rule catalogue and the knowledge it uses (feature matrix, visibility matrix, wallet regions,
//! thresholds), kept as data with `source`, `as_of` and `confidence` (`data/default.json`,
//! embedded in the binary). A user rules file (`--rules FILE`) can override severities, disable
//! rules and change the knowledge without recompiling.

use crate::model::{Column, Severity};
use serde::Serialize;
use std::path::Path;

/// Everything a person needs to know about one rule (`wxaudit rules explain ID`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub enabled: bool,
    /// What it checks.
    pub checks: String,
    /// Why it matters.
    pub why: String,
    /// What to do.
    pub fix: String,
    /// Columns it needs (all of `needs`, or "not evaluated").
    pub needs: Vec<Column>,
    pub sources: Vec<String>,
}

/// Built-in knowledge plus user overrides.
#[derive(Debug, Clone)]
pub struct RuleSet {
    _private: (),
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RulesError(pub String);

impl RuleSet {
    /// The built-in catalogue and knowledge.
    pub fn builtin() -> RuleSet {
        todo!("rules builtin")
    }
    /// Built-in catalogue with the overrides in `path` (JSON or TOML) applied.
    pub fn with_overrides(path: &Path) -> Result<RuleSet, RulesError> {
        let _ = path;
        todo!("rules overrides")
    }
    /// The catalogue, in id order.
    pub fn catalogue(&self) -> Vec<RuleInfo> {
        todo!("catalogue")
    }
    /// One rule, by id (case-insensitive).
    pub fn explain(&self, id: &str) -> Option<RuleInfo> {
        let _ = id;
        todo!("explain")
    }
}
