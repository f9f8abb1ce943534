//! Import → profile → audit → suppressions in one call, shared by `wxaudit audit` and the TUI so
//! the two can never disagree about what an inventory contains.

use crate::audit::{audit, AuditOptions, Report};
use crate::import::{self, ImportError, ImportOptions};
use crate::profile::{self, ProfileArgs, ProfileError};
use crate::rules::{RuleSet, RulesError};
use std::path::PathBuf;

/// Everything needed to go from a file to a report.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    pub input: PathBuf,
    pub import: ImportOptions,
    pub profile: ProfileArgs,
    /// `--rules FILE` overrides.
    pub rules: Option<PathBuf>,
    /// `--suppressions FILE`.
    pub suppressions: Option<PathBuf>,
    /// `--as-of DATE`; today when None.
    pub as_of: Option<chrono::NaiveDate>,
}

/// Which step is running, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Auditing,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error("{0}")]
    Suppressions(String),
}

/// Runs the whole audit. `progress(stage, done, total)` is called from the working thread.
pub fn run(
    opts: &PipelineOptions,
    progress: &(dyn Fn(Stage, u64, u64) + Sync),
) -> Result<Report, PipelineError> {
    let rules = match &opts.rules {
        Some(p) => RuleSet::with_overrides(p)?,
        None => RuleSet::builtin(),
    };
    // Read the suppressions before the (possibly long) import so a bad file fails fast.
    let suppressions = match &opts.suppressions {
        Some(p) => {
            crate::suppress::load(p).map_err(|e| PipelineError::Suppressions(e.to_string()))?
        }
        None => Vec::new(),
    };
    let inventory = import::load(&opts.input, &opts.import, &|d, t| {
        progress(Stage::Reading, d, t)
    })?;
    let (profile, source) = profile::resolve(
        &opts.profile,
        inventory.company.as_ref(),
        &inventory.accounts,
    )?;
    progress(Stage::Auditing, 0, 1);
    let audit_opts = AuditOptions {
        as_of: opts.as_of.unwrap_or_else(|| AuditOptions::default().as_of),
    };
    let mut report = audit(inventory, profile, source, &rules, &audit_opts);
    // Accepted risks move out of the active findings here, so every front end agrees.
    crate::suppress::apply(&mut report, &suppressions);
    progress(Stage::Auditing, 1, 1);
    Ok(report)
}
