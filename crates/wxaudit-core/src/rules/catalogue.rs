//! What a rule is: its id, title, default severity, what it checks, why it matters, the fix in a
//! marketer's words, the columns it needs, what else it requires, its sources and its check.
//!
//! Each rule is one [`Rule`] constant written beside its check function in its family's file
//! (`registration.rs`, `reach.rs`, …) and listed once in [`super::RULES`]. Everything else is
//! generated from that list: `wxaudit rules`, `wxaudit rules explain`, the findings' advice,
//! "not evaluated" (from `needs`, `any_of` and `requires`) and the README's rule table (a test
//! fails when it is stale). Adding a rule is one constant, its check, its test and its sample row.
//!
//! A user's rules file can change a rule's severity and turn it off, so the engine works on
//! [`RuleMeta`], the catalogue entry as the overrides left it.

use super::context::{Ctx, Hit};
use crate::accounts::AccountRef;
use crate::model::{Column, Severity};
use serde::Serialize;

/// A rule looking at one account.
pub type AccountCheck = fn(&Ctx, usize, &AccountRef) -> Option<Hit>;
/// A rule looking at the whole inventory.
pub type WholeCheck = fn(&Ctx, &mut Vec<Hit>);

/// What a rule looks at, and its check.
#[derive(Clone, Copy)]
pub enum Check {
    /// One account at a time (run in parallel over the accounts).
    Account(AccountCheck),
    /// Each brand's accounts together.
    Brand(WholeCheck),
    /// The inventory as a whole (legal entities, duplicate ids).
    Company(WholeCheck),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.scope())
    }
}

impl PartialEq for Check {
    fn eq(&self, other: &Check) -> bool {
        self.scope() == other.scope()
    }
}

impl Check {
    /// "account", "brand" or "company".
    pub fn scope(&self) -> &'static str {
        match self {
            Check::Account(_) => "account",
            Check::Brand(_) => "brand",
            Check::Company(_) => "company",
        }
    }
}

/// What a rule needs besides columns before it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requires {
    Nothing,
    /// Target markets: the profile's targets, or an audience column to infer them from.
    Targets,
    /// The company's legal entities (`--entity` or `legal_entities` in the profile).
    LegalEntities,
}

/// One rule of the built-in catalogue (see the module doc).
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// What it finds, in a few words (the README's rule table).
    pub finds: &'static str,
    pub checks: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    /// Columns that must all be present.
    pub needs: &'static [Column],
    /// Columns of which at least one must be present (empty: no such condition).
    pub any_of: &'static [Column],
    pub requires: Requires,
    /// Some of its findings are one level below its severity (e.g. "expiring" vs "expired").
    pub may_report_lower: bool,
    pub sources: &'static [&'static str],
    pub check: Check,
}

/// A rule of the catalogue as the user's overrides left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub finds: String,
    pub checks: String,
    pub why: String,
    pub fix: std::sync::Arc<str>,
    /// Columns that must all be present.
    pub needs: Vec<Column>,
    /// Columns of which at least one must be present (empty: no such condition).
    pub any_of: Vec<Column>,
    pub sources: Vec<String>,
    /// Cleared by a rules file's `enabled = false`.
    pub enabled: bool,
    #[serde(skip)]
    pub requires: Requires,
    #[serde(skip)]
    pub may_report_lower: bool,
    #[serde(skip)]
    pub check: Check,
}

impl From<&Rule> for RuleMeta {
    fn from(r: &Rule) -> RuleMeta {
        RuleMeta {
            id: r.id.to_string(),
            title: r.title.to_string(),
            severity: r.severity,
            finds: r.finds.to_string(),
            checks: r.checks.to_string(),
            why: r.why.to_string(),
            fix: r.fix.into(),
            needs: r.needs.to_vec(),
            any_of: r.any_of.to_vec(),
            sources: r.sources.iter().map(|s| s.to_string()).collect(),
            enabled: true,
            requires: r.requires,
            may_report_lower: r.may_report_lower,
            check: r.check,
        }
    }
}

/// The README's rule table (id, what it finds, severity), generated from `rules`.
pub fn readme_table(rules: &[&Rule]) -> String {
    let mut t = String::from("| id | what it finds | severity |\n|---|---|---|\n");
    for r in rules {
        let severity = if r.may_report_lower {
            format!("{}/{}", r.severity, r.severity.one_lower())
        } else {
            r.severity.to_string()
        };
        t.push_str(&format!("| {} | {} | {severity} |\n", r.id, r.finds));
    }
    t
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
