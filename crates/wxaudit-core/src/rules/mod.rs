//! The rule catalogue and the knowledge it uses (feature matrix, visibility matrix, wallet regions,
//! thresholds), kept as data with `source`, `as_of` and `confidence` (`data/default.json`,
//! embedded in the binary). A user rules file (`--rules FILE`) can override severities, disable
//! rules and change the knowledge without recompiling (see [`overrides`] for the format).
//!
//! Layout:
//! - [`knowledge`]: typed facts (the top-level [`crate::knowledge`], re-exported here because
//!   every rule reads it; `classify` uses it too, so it does not live under `rules`);
//!   [`catalogue`]: rule metadata; [`overrides`]: the user file.
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
pub mod overrides;
pub mod ownership;
pub mod pay;
pub mod reach;
pub mod registration;
pub mod verification;

pub use crate::knowledge::{self, Knowledge};
use crate::model::{Column, Finding, NotEvaluated, Said, Severity, Sym, Text};
pub use catalogue::{AccountCheck, Check, Requires, Rule, RuleMeta, WholeCheck};
use context::{Ctx, Hit};
use rayon::prelude::*;
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
    rules: Vec<RuleMeta>,
    /// `ids[k]` is `rules[k].id` as a symbol: a report finds a finding's rule by number, not by
    /// comparing its id with every rule's (millions of findings).
    ids: Vec<Sym>,
    knowledge: Knowledge,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RulesError(pub String);

/// Every rule, in catalogue order: the one list a rule is registered in (see [`catalogue`]).
/// The families' order here is the order reports list them in.
pub const RULES: &[&Rule] = &[
    &registration::REG_001,
    &registration::REG_002,
    &reach::REACH_001,
    &reach::REACH_002,
    &reach::REACH_003,
    &reach::REACH_004,
    &reach::REACH_005,
    &pay::PAY_001,
    &pay::PAY_002,
    &pay::PAY_003,
    &pay::PAY_004,
    &pay::PAY_005,
    &pay::PAY_006,
    &pay::PAY_007,
    &features::FEAT_001,
    &verification::VER_001,
    &verification::VER_002,
    &ownership::OWN_001,
    &ownership::OWN_002,
    &ownership::OWN_003,
    &ownership::OWN_004,
    &compliance::CMP_001,
    &ownership::LIM_001,
    &data_quality::DATA_001,
    &data_quality::DATA_002,
    &data_quality::DATA_003,
    &data_quality::DATA_004,
];

impl Default for RuleSet {
    fn default() -> RuleSet {
        RuleSet::builtin()
    }
}

impl RuleSet {
    /// The built-in catalogue and knowledge.
    pub fn builtin() -> RuleSet {
        // The embedded data is part of the program, checked by the tests; it is not user input.
        let rules: Vec<RuleMeta> = RULES.iter().map(|r| RuleMeta::from(*r)).collect();
        RuleSet {
            ids: rules.iter().map(|m| Sym::new(&m.id)).collect(),
            rules,
            knowledge: Knowledge::builtin().clone(),
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

    /// The rule whose id is `id`.
    fn by_id(&self, id: Sym) -> Option<&RuleMeta> {
        let k = self.ids.iter().position(|&s| s == id)?;
        let m = self.rules.get(k)?;
        debug_assert_eq!(m.id, id.as_str(), "rule ids are never changed by overrides");
        Some(m)
    }

    /// The check of an account-level rule, by id.
    pub(crate) fn account_check(&self, id: Sym) -> Option<AccountCheck> {
        match self.by_id(id)?.check {
            Check::Account(f) => Some(f),
            Check::Brand(_) | Check::Company(_) => None,
        }
    }

    /// The columns a rule reads (what it needs, and the columns any one of which it needs);
    /// none for an id the catalogue does not have. Report writers fetch these ahead.
    pub fn reads(&self, id: Sym) -> impl Iterator<Item = Column> + '_ {
        self.by_id(id)
            .into_iter()
            .flat_map(|m| m.needs.iter().chain(m.any_of.iter()).copied())
    }

    /// The id of every rule in the set, in registry order.
    pub fn ids(&self) -> &[Sym] {
        &self.ids
    }

    /// The advice of a rule (its fix), by id; "" for an id the catalogue does not have.
    pub fn advice(&self, id: Sym) -> &str {
        self.by_id(id).map(|m| &*m.fix).unwrap_or("")
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
        // Each rule's id is interned once here, not once per finding.
        let mut per_account: Vec<(&RuleMeta, Sym, AccountCheck)> = Vec::new();
        let mut whole: Vec<(&RuleMeta, Sym, WholeCheck)> = Vec::new();
        for m in &self.rules {
            if !m.enabled {
                continue;
            }
            let mut missing = m.missing_columns(ctx.columns);
            if m.requires == Requires::Targets
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
            if m.requires == Requires::LegalEntities && ctx.legal_entities.is_empty() {
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
            match m.check {
                Check::Account(f) => per_account.push((m, Sym::new(&m.id), f)),
                Check::Brand(f) | Check::Company(f) => whole.push((m, Sym::new(&m.id), f)),
            }
        }

        // Counted a batch at a time: a shared counter bumped per account costs a second of CPU
        // at a million accounts.
        const BATCH: usize = 1024;
        let per_account = &per_account;
        let n = ctx.accounts.len();
        let run_batch = |c: usize| -> Vec<Finding> {
            let batch = c * BATCH..((c + 1) * BATCH).min(n);
            accounts_done(batch.len() as u64);
            let mut out = Vec::new();
            for i in batch {
                let a = ctx.accounts.at(i);
                for &(m, id, f) in per_account.iter() {
                    if let Some(mut h) = f(ctx, i, &a) {
                        h.account = Some(i as u32);
                        if h.brand.is_some() || h.identity.is_some() {
                            // Words that cannot be made again from the account alone are
                            // kept: describe this one hit now.
                            h.text = f(&ctx.describing(), i, &a).and_then(|d| d.text);
                        }
                        out.push(to_finding(ctx, m, id, h));
                    }
                }
            }
            out
        };
        // A window of batches at a time, appended in order as each window finishes: collecting
        // all of them first would hold every finding twice at the end (millions of them).
        const WINDOW: usize = 64;
        let batches = n.div_ceil(BATCH);
        let per_account_rules = || {
            let mut findings: Vec<Finding> = Vec::new();
            for start in (0..batches).step_by(WINDOW) {
                let parts: Vec<Vec<Finding>> = (start..(start + WINDOW).min(batches))
                    .into_par_iter()
                    .map(run_batch)
                    .collect();
                for part in parts {
                    findings.extend(part);
                }
            }
            findings
        };
        // The company-wide checks (each one pass over every account, on one thread) run beside
        // the per-account rules rather than after them: alone, the longest of them kept the
        // other cores idle.
        let company_rules = || -> Vec<Finding> {
            let describing = ctx.describing();
            whole
                .par_iter()
                .flat_map_iter(|&(m, id, f)| {
                    let mut hits = Vec::new();
                    f(&describing, &mut hits);
                    hits.into_iter().map(move |h| to_finding(ctx, m, id, h))
                })
                .collect()
        };
        let (mut findings, mut company) = rayon::join(per_account_rules, company_rules);
        findings.append(&mut company);
        (findings, not_evaluated)
    }
}

/// Sort key for rule ids: family in the order [`RULES`] first lists it (REG, REACH, PAY, …),
/// then the id itself; ids of no known family after all others.
pub fn id_order(id: &str) -> (usize, &str) {
    fn family(id: &str) -> &str {
        id.split('-').next().unwrap_or("")
    }
    let fam = family(id);
    let mut seen = 0;
    let mut last = "";
    for r in RULES {
        let f = family(r.id);
        if f != last {
            if f == fam {
                return (seen, id);
            }
            seen += 1;
            last = f;
        }
    }
    (seen, id)
}

/// The finding for a hit: a bare record when its words can be made again from its account (see
/// [`context`]), else one that carries them.
fn to_finding(ctx: &Ctx, m: &RuleMeta, rule_id: Sym, h: Hit) -> Finding {
    let severity = if h.one_level_lower {
        m.severity.one_lower()
    } else {
        m.severity
    };
    let market: Option<crate::model::Sym> = h.market.as_deref().map(Into::into);
    debug_assert!(
        h.advice.is_none() || h.account.is_none(),
        "{}: an account-level hit's advice is its rule's fix",
        m.id
    );
    let said = match (h.account, h.text) {
        (Some(_), None) => None,
        (account, text) => {
            let text = text.unwrap_or_default();
            let account = account.and_then(|i| ctx.accounts.get(i as usize));
            let fingerprint = match account {
                Some(a) => crate::identity::account_fingerprint(
                    &m.id,
                    &a,
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
                (None, Some(a)) => a.brand().map(Text::from),
                (None, None) => None,
            };
            Some(std::sync::Arc::new(Said {
                recorded: None,
                brand,
                message: text.message.into_boxed_str(),
                evidence: text.evidence,
                advice: match h.advice {
                    Some(a) => a.into(),
                    None => m.fix.clone(),
                },
                fingerprint,
            }))
        }
    };
    Finding {
        rule_id,
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
        let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "a rule id is registered twice");
        assert_eq!(ids, RULES.iter().map(|r| r.id).collect::<Vec<_>>());
        // Catalogue order keeps each family together.
        let mut families: Vec<&str> = ids
            .iter()
            .map(|i| i.split('-').next().unwrap_or(""))
            .collect();
        families.dedup();
        let distinct: std::collections::BTreeSet<&str> = families.iter().copied().collect();
        assert_eq!(families.len(), distinct.len(), "{families:?}");
    }

    /// The README's rule table is generated from [`RULES`]; `WXAUDIT_BLESS_README=1 cargo test
    /// readme_rule_table` rewrites it after a rule changes.
    #[test]
    fn readme_rule_table_is_generated_from_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
        let readme = std::fs::read_to_string(path).expect("README.md");
        let start = "-->\n";
        let open = readme
            .find("<!-- rule table:")
            .and_then(|i| readme[i..].find(start).map(|j| i + j + start.len()))
            .expect("README has the rule table's start marker");
        let close = readme[open..]
            .find("<!-- end of rule table -->")
            .map(|j| open + j)
            .expect("README has the rule table's end marker");
        let want = catalogue::readme_table(RULES);
        if readme[open..close] != want && std::env::var_os("WXAUDIT_BLESS_README").is_some() {
            let fresh = format!("{}{want}{}", &readme[..open], &readme[close..]);
            std::fs::write(path, fresh).expect("README.md written");
            return;
        }
        assert_eq!(
            readme[open..close],
            want,
            "README.md's rule table is stale: run `WXAUDIT_BLESS_README=1 cargo test \
             readme_rule_table` to regenerate it"
        );
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
