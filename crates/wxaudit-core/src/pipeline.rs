//! Import → profile → audit → suppressions in one call, shared by `wxaudit audit` and the TUI so
//! the two can never disagree about what an inventory contains.

use crate::audit::{audit_with_progress, progress_total, AuditOptions, Report};
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
    /// Report order (the default), or as found when only the terminal summary will be shown.
    pub order: crate::order::FindingOrder,
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
    #[error(transparent)]
    Suppressions(#[from] crate::suppress::SuppressError),
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
        Some(p) => crate::suppress::load(p)?,
        None => Vec::new(),
    };
    let inventory = import::load(&opts.input, &opts.import, &|d, t| {
        progress(Stage::Reading, d, t)
    })?;
    crate::phases::mark("import");
    if crate::phases::enabled() {
        crate::phases::detail("accounts", &inventory.accounts.heap_parts());
    }
    let (profile, source) = profile::resolve(
        &opts.profile,
        inventory.company.as_ref(),
        &inventory.accounts,
    )?;
    crate::phases::mark("profile");
    profile::check_planned_features(&profile, &opts.profile, rules.knowledge())?;
    // The audit's own steps, plus one for the suppressions: `done == total` only once all is done.
    let steps = progress_total(inventory.accounts.len()) + 1;
    progress(Stage::Auditing, 0, steps);
    let audit_opts = AuditOptions {
        as_of: opts.as_of.unwrap_or_else(|| AuditOptions::default().as_of),
        order: opts.order,
    };
    let mut report =
        audit_with_progress(inventory, profile, source, &rules, &audit_opts, &|d, _| {
            progress(Stage::Auditing, d.min(steps - 1), steps)
        });
    // Accepted risks move out of the active findings here, so every front end agrees.
    crate::suppress::apply(&mut report, &suppressions);
    progress(Stage::Auditing, steps, steps);
    crate::phases::mark("suppressions");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn progress_counts_up_through_both_stages_and_is_complete_only_at_the_end() {
        let calls: Mutex<Vec<(Stage, u64, u64)>> = Mutex::default();
        // Enough accounts for several batches of work in each pass.
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("many.csv");
        let mut csv = String::from("id,name,type,portal,audience\n");
        for i in 0..10_000 {
            csv.push_str(&format!("gh_{i},Shop {i},service,admin.wechat.com,CN\n"));
        }
        std::fs::write(&input, csv).unwrap();
        let opts = PipelineOptions {
            input,
            ..Default::default()
        };
        let report = run(&opts, &|s, d, t| calls.lock().unwrap().push((s, d, t))).unwrap();
        let calls = calls.into_inner().unwrap();
        let audit: Vec<(u64, u64)> = calls
            .iter()
            .filter(|c| c.0 == Stage::Auditing)
            .map(|c| (c.1, c.2))
            .collect();
        let steps = crate::audit::progress_total(report.accounts.len()) + 1;
        assert!(calls.iter().any(|c| c.0 == Stage::Reading));
        assert!(audit.iter().all(|&(_, t)| t == steps), "{audit:?}");
        // Counted per account in between, not just "started" and "finished".
        assert!(audit.len() > 10, "{audit:?}");
        assert_eq!(audit.first(), Some(&(0, steps)));
        assert_eq!(audit.last(), Some(&(steps, steps)));
        let complete = audit.iter().filter(|&&(d, t)| d >= t).count();
        assert_eq!(complete, 1, "{audit:?}");
    }
}
