//! The rule catalogue and the knowledge it uses (feature matrix, visibility matrix, wallet regions,
//! thresholds), kept as data with `source`, `as_of` and `confidence` (`data/default.json`,
//! embedded in the binary). A user rules file (`--rules FILE`) can override severities, disable
//! rules and change the knowledge without recompiling (see [`overrides`] for the format).
//!
//! Layout:
//! - [`knowledge`]: typed facts; [`catalogue`]: rule metadata; [`overrides`]: the user file.
//! - [`context`]: the shared, precomputed context every rule reads, and the `Hit` each returns.
//! - One file per family of rules, each rule a small function: [`registration`] (REG),
//!   [`reach`] (REACH), [`pay`] (PAY), [`features`] (FEAT), [`verification`] (VER),
//!   [`ownership`] (OWN, LIM), [`compliance`] (CMP), [`data_quality`] (DATA).
//!
//! Per-account rules run in one parallel pass over the accounts; company-, brand- and
//! entity-level rules each make one linear pass. Nothing is quadratic.

pub mod catalogue;
pub mod compliance;
pub mod context;
pub mod data_quality;
pub mod features;
pub mod knowledge;
pub mod overrides;
pub mod ownership;
pub mod pay;
pub mod reach;
pub mod registration;
pub mod verification;

use crate::model::{Account, Column, Finding, NotEvaluated, Said, Severity, Text};
use catalogue::RuleMeta;
use context::{Ctx, Hit};
use knowledge::Knowledge;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The built-in rules and knowledge, embedded at compile time.
pub const DEFAULT_DATA: &str = include_str!("data/default.json");

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
    rules: Vec<RuleMeta>,
    knowledge: Knowledge,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RulesError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DataFile {
    pub knowledge: Knowledge,
    pub rules: Vec<RuleMeta>,
}

/// A rule looking at one account.
pub(crate) type AccountCheck = fn(&Ctx, usize, &Account) -> Option<Hit>;
/// A rule looking at the whole inventory.
pub(crate) type WholeCheck = fn(&Ctx, &mut Vec<Hit>);

/// How a rule is evaluated.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// Looks at one account at a time.
    Account(AccountCheck),
    /// Looks at the inventory as a whole (brands, entities, duplicates).
    Whole(WholeCheck),
}

/// Rule id → implementation. Every id of the catalogue has exactly one entry (tested).
pub(crate) const CHECKS: &[(&str, Check)] = &[
    ("REG-001", Check::Account(registration::reg_001)),
    ("REG-002", Check::Account(registration::reg_002)),
    ("REACH-001", Check::Whole(reach::reach_001)),
    ("REACH-002", Check::Account(reach::reach_002)),
    ("REACH-003", Check::Whole(reach::reach_003)),
    ("REACH-004", Check::Account(reach::reach_004)),
    ("REACH-005", Check::Whole(reach::reach_005)),
    ("PAY-001", Check::Account(pay::pay_001)),
    ("PAY-002", Check::Account(pay::pay_002)),
    ("PAY-003", Check::Account(pay::pay_003)),
    ("PAY-004", Check::Account(pay::pay_004)),
    ("PAY-005", Check::Account(pay::pay_005)),
    ("PAY-006", Check::Account(pay::pay_006)),
    ("PAY-007", Check::Whole(pay::pay_007)),
    ("FEAT-001", Check::Account(features::feat_001)),
    ("VER-001", Check::Account(verification::ver_001)),
    ("VER-002", Check::Account(verification::ver_002)),
    ("OWN-001", Check::Account(ownership::own_001)),
    ("OWN-002", Check::Account(ownership::own_002)),
    ("OWN-003", Check::Account(ownership::own_003)),
    ("OWN-004", Check::Account(ownership::own_004)),
    ("CMP-001", Check::Account(compliance::cmp_001)),
    ("LIM-001", Check::Whole(ownership::lim_001)),
    ("DATA-001", Check::Whole(data_quality::data_001)),
    ("DATA-002", Check::Account(data_quality::data_002)),
    ("DATA-003", Check::Account(data_quality::data_003)),
    ("DATA-004", Check::Account(data_quality::data_004)),
];

fn check_for(id: &str) -> Option<Check> {
    CHECKS.iter().find(|(i, _)| *i == id).map(|(_, c)| *c)
}

impl Default for RuleSet {
    fn default() -> RuleSet {
        RuleSet::builtin()
    }
}

impl RuleSet {
    /// The built-in catalogue and knowledge.
    pub fn builtin() -> RuleSet {
        // The embedded data is part of the program, checked by the tests; it is not user input.
        let data: DataFile =
            serde_json::from_str(DEFAULT_DATA).expect("built-in rules data (data/default.json)");
        RuleSet {
            rules: data.rules,
            knowledge: data.knowledge,
        }
    }

    /// Built-in catalogue with the overrides in `path` (JSON or TOML) applied.
    pub fn with_overrides(path: &Path) -> Result<RuleSet, RulesError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| RulesError(format!("{}: cannot read rules file: {e}", path.display())))?;
        let mut set = RuleSet::builtin();
        overrides::apply(&mut set, &path.display().to_string(), &text, path)?;
        Ok(set)
    }

    /// The knowledge the rules use (after overrides).
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    pub(crate) fn knowledge_mut(&mut self) -> &mut Knowledge {
        &mut self.knowledge
    }

    pub(crate) fn rules_mut(&mut self) -> &mut Vec<RuleMeta> {
        &mut self.rules
    }

    /// Rule metadata (after overrides), in catalogue order.
    pub fn rules(&self) -> &[RuleMeta] {
        &self.rules
    }

    fn info(m: &RuleMeta) -> RuleInfo {
        RuleInfo {
            id: m.id.clone(),
            title: m.title.clone(),
            severity: m.severity,
            enabled: m.enabled,
            checks: m.checks.clone(),
            why: m.why.clone(),
            fix: m.fix.to_string(),
            needs: m.needs.iter().chain(m.any_of.iter()).copied().collect(),
            sources: m.sources.clone(),
        }
    }

    /// The catalogue, in id order.
    pub fn catalogue(&self) -> Vec<RuleInfo> {
        let mut v: Vec<RuleInfo> = self.rules.iter().map(Self::info).collect();
        v.sort_by(|a, b| id_order(&a.id).cmp(&id_order(&b.id)));
        v
    }

    /// One rule, by id (case-insensitive).
    pub fn explain(&self, id: &str) -> Option<RuleInfo> {
        let id = id.trim();
        self.rules
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(id))
            .map(Self::info)
    }

    /// The check of an account-level rule, by id.
    pub(crate) fn account_check(&self, id: &str) -> Option<AccountCheck> {
        match check_for(id)? {
            Check::Account(f) => Some(f),
            Check::Whole(_) => None,
        }
    }

    /// The advice of a rule (its fix), by id; "" for an id the catalogue does not have.
    pub fn advice(&self, id: &str) -> &str {
        self.rules
            .iter()
            .find(|m| m.id == id)
            .map(|m| &*m.fix)
            .unwrap_or("")
    }

    /// Runs every enabled rule: the findings (unsorted) and the rules that could not run.
    pub fn run(&self, ctx: &Ctx) -> (Vec<Finding>, Vec<NotEvaluated>) {
        self.run_counted(ctx, &|_| {})
    }

    /// [`RuleSet::run`], calling `accounts_done(n)` (from any thread) as each batch of accounts
    /// finish, for progress displays.
    pub fn run_counted(
        &self,
        ctx: &Ctx,
        accounts_done: &(dyn Fn(u64) + Sync),
    ) -> (Vec<Finding>, Vec<NotEvaluated>) {
        let mut not_evaluated = Vec::new();
        let mut per_account: Vec<(&RuleMeta, AccountCheck)> = Vec::new();
        let mut whole: Vec<(&RuleMeta, WholeCheck)> = Vec::new();
        for m in &self.rules {
            if !m.enabled {
                continue;
            }
            let mut missing = m.missing_columns(ctx.columns);
            if uses_targets(&m.id)
                && ctx.targets.is_empty()
                && !ctx.columns.contains(Column::Audience)
                && !missing.contains(&Column::Audience)
            {
                missing.push(Column::Audience);
            }
            if !missing.is_empty() {
                not_evaluated.push(NotEvaluated {
                    rule_id: m.id.as_str().into(),
                    missing_columns: missing,
                    reason: None,
                });
                continue;
            }
            if m.id == "OWN-002" && ctx.legal_entities.is_empty() {
                not_evaluated.push(NotEvaluated {
                    rule_id: m.id.as_str().into(),
                    missing_columns: Vec::new(),
                    reason: Some(
                        "the company profile lists no legal entities (--entity or legal_entities)"
                            .to_string(),
                    ),
                });
                continue;
            }
            match check_for(&m.id) {
                Some(Check::Account(f)) => per_account.push((m, f)),
                Some(Check::Whole(f)) => whole.push((m, f)),
                None => {}
            }
        }

        // Counted a batch at a time: a shared counter bumped per account costs a second of CPU
        // at a million accounts.
        const BATCH: usize = 1024;
        let per_account = &per_account;
        let mut findings: Vec<Finding> = ctx
            .accounts
            .par_chunks(BATCH)
            .enumerate()
            .flat_map_iter(|(c, batch)| {
                accounts_done(batch.len() as u64);
                batch.iter().enumerate().flat_map(move |(j, a)| {
                    let i = c * BATCH + j;
                    per_account.iter().filter_map(move |(m, f)| {
                        f(ctx, i, a).map(|mut h| {
                            h.account = Some(i as u32);
                            if h.brand.is_some() || h.identity.is_some() {
                                // Words that cannot be made again from the account alone are
                                // kept: describe this one hit now.
                                h.text = f(&ctx.describing(), i, a).and_then(|d| d.text);
                            }
                            to_finding(ctx, m, h)
                        })
                    })
                })
            })
            .collect();
        let describing = ctx.describing();
        let mut company: Vec<Finding> = whole
            .par_iter()
            .flat_map_iter(|(m, f)| {
                let mut hits = Vec::new();
                f(&describing, &mut hits);
                hits.into_iter().map(|h| to_finding(ctx, m, h))
            })
            .collect();
        findings.append(&mut company);
        (findings, not_evaluated)
    }
}

/// Rules that need target markets (profile targets or accounts' audiences).
fn uses_targets(id: &str) -> bool {
    matches!(id, "REACH-001" | "REACH-003" | "REACH-005" | "PAY-007")
}

/// Sort key for rule ids: family in catalogue order (REG, REACH, PAY, FEAT, VER, OWN, CMP, LIM,
/// DATA), then the id itself.
pub fn id_order(id: &str) -> (usize, &str) {
    const FAMILIES: [&str; 9] = [
        "REG", "REACH", "PAY", "FEAT", "VER", "OWN", "CMP", "LIM", "DATA",
    ];
    let fam = id.split('-').next().unwrap_or("");
    let pos = FAMILIES
        .iter()
        .position(|f| *f == fam)
        .unwrap_or(FAMILIES.len());
    (pos, id)
}

/// The finding for a hit: a bare record when its words can be made again from its account (see
/// [`context`]), else one that carries them.
fn to_finding(ctx: &Ctx, m: &RuleMeta, h: Hit) -> Finding {
    let severity = if h.one_level_lower {
        verification::one_lower(m.severity)
    } else {
        m.severity
    };
    let market: Option<Text> = h.market.map(Text::from);
    let said = match (h.account, h.text) {
        (Some(_), None) => None,
        (account, text) => {
            let text = text.unwrap_or_default();
            let account = account.and_then(|i| ctx.accounts.get(i as usize));
            let fingerprint = match account {
                Some(a) => crate::identity::account_fingerprint(
                    &m.id,
                    a,
                    h.brand.as_deref(),
                    market.as_deref(),
                ),
                None => {
                    let brand_norm = h
                        .brand
                        .as_deref()
                        .map(crate::identity::norm_name)
                        .unwrap_or_default();
                    crate::identity::fingerprint_parts(
                        &m.id,
                        &[h.identity.as_deref().unwrap_or("")],
                        &brand_norm,
                        market.as_deref(),
                    )
                }
            };
            let brand = match (h.brand, account) {
                (Some(b), _) => Some(b.into()),
                (None, Some(a)) => a.brand.clone(),
                (None, None) => None,
            };
            Some(std::sync::Arc::new(Said {
                recorded: None,
                brand,
                message: text.message.into_boxed_str(),
                evidence: text.evidence,
                advice: m.fix.clone(),
                fingerprint,
            }))
        }
    };
    Finding {
        rule_id: m.id.as_str().into(),
        severity,
        account: h.account,
        market,
        baseline_state: None,
        said,
    }
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_parses_and_every_rule_has_code() {
        let set = RuleSet::builtin();
        let ids: Vec<&str> = set.rules().iter().map(|m| m.id.as_str()).collect();
        for (id, _) in CHECKS {
            assert!(ids.contains(id), "{id} has code but no catalogue entry");
        }
        for id in &ids {
            assert!(check_for(id).is_some(), "{id} has no code");
        }
        assert_eq!(ids.len(), 27);
    }

    #[test]
    fn catalogue_is_in_family_order_and_explain_is_case_insensitive() {
        let set = RuleSet::builtin();
        let cat = set.catalogue();
        assert_eq!(cat[0].id, "REG-001");
        assert_eq!(cat.last().map(|r| r.id.as_str()), Some("DATA-004"));
        let r = set.explain("reach-001").expect("REACH-001 explained");
        assert_eq!(r.severity, Severity::Critical);
        assert!(r.fix.contains("mp.weixin.qq.com"));
        assert!(r.fix.contains("99 USD"));
        assert!(!r.sources.is_empty());
        assert!(set.explain("NOPE-1").is_none());
    }

    #[test]
    fn every_fact_has_source_and_as_of() {
        let set = RuleSet::builtin();
        let k = set.knowledge();
        assert!(k.features.values().all(|f| !f.source.is_empty()));
        assert_eq!(k.dormancy_days.value, 180);
        assert_eq!(k.verification_renewal_days.value, 90);
        assert!(k.is_china_wallet("CNY"));
        assert_eq!(
            k.wallet_regions["MYR"]
                .local_payments_ended
                .map(|d| d.to_string()),
            Some("2024-09-01".to_string())
        );
        assert_eq!(k.entity_limits.value.enterprise, 2);
        assert!(!k.visibility["weixin_users"]["wechat"].reachable);
    }
}
