//! Runs the rule catalogue over an imported inventory against a company profile, producing the
//! [`Report`] that every front end (headless reports, TUI) renders.
//!
//! Classification runs in parallel (rayon) and the rules in one parallel pass plus a few linear
//! company-level passes (brand coverage, entity counts, duplicate ids — each one hash-map pass),
//! so the work is linear in the inventory. What a large audit costs is dominated by the findings
//! themselves: the 1M-row generated inventory yields ~2.3M findings, which is why a finding keeps
//! no copy of what it can look up (see [`crate::model::Finding`]). `cargo bench --bench rules`
//! and `--bench pipeline` measure it.
//!
//! Findings have a [`fingerprint`] that survives re-sorting rows and renaming columns, for
//! baselines and suppressions. An account-level finding is a small record: its words and its
//! fingerprint are made when it is shown, written or compared ([`Report::text`],
//! [`Report::fingerprint`]), from the rules and [`Facts`] the report keeps.

use crate::accounts::Accounts;
use crate::classify::classify;
pub use crate::identity::{account_identity, fingerprint};
use crate::import::{InputInfo, Inventory};
use crate::model::{
    Classifications, ColumnSet, ConflictLists, Finding, FindingText, NotEvaluated, Platform,
    Profile, ProfileSource, RowError, Severity, SuppressedFinding, SuppressionEntry, Text,
};
pub use crate::order::FindingOrder;
use crate::rules::context::{Ctx, Facts};
use crate::rules::{id_order, RuleSet};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Audit settings that are not part of the profile.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The date "today" is, for expiry and dormancy rules (`--as-of`).
    pub as_of: NaiveDate,
    /// Whether the findings are sorted into report order (they are, unless only the terminal
    /// summary or the Markdown page will be written).
    pub order: FindingOrder,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            as_of: chrono::Local::now().date_naive(),
            order: FindingOrder::default(),
        }
    }
}

/// The result of one audit: the inventory, each account's classification, and the findings.
#[derive(Debug, Clone)]
pub struct Report {
    pub input: InputInfo,
    pub profile: Profile,
    pub profile_source: ProfileSource,
    pub as_of: NaiveDate,
    pub accounts: crate::accounts::Accounts,
    /// Parallel to `accounts`.
    pub classifications: Classifications,
    /// Active (not suppressed) findings, most severe first — unless `order` says they were
    /// left as the rules found them.
    pub findings: Vec<Finding>,
    /// Whether `findings` and `suppressed` are in report order. Only the terminal summary and
    /// the Markdown page take them as found (they pick the few they show with
    /// [`crate::report::first_in_report_order`]); the CSV and JSON renderers refuse such a report.
    pub order: FindingOrder,
    pub not_evaluated: Vec<NotEvaluated>,
    pub row_errors: Vec<RowError>,
    /// Headers of unknown columns kept as extra fields.
    pub extra_columns: Vec<String>,
    /// Findings matched by a suppression (accepted risks), with the reason.
    pub suppressed: Vec<SuppressedFinding>,
    pub expired_suppressions: Vec<SuppressionEntry>,
    pub stale_suppressions: Vec<SuppressionEntry>,
    /// Findings of the baseline that are gone now (only with a baseline).
    pub resolved: Vec<Finding>,
    /// Path of the baseline compared against, if any.
    pub baseline: Option<String>,
    /// The rules (with the user's overrides) the audit ran, to word its findings when shown.
    pub rules: Arc<RuleSet>,
    /// What the rules judged the accounts on, to word the findings the same way later.
    pub facts: Arc<Facts>,
    /// The canonical columns the inventory carried.
    pub columns: ColumnSet,
}

/// Counts shown at the top of every report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub accounts: u64,
    pub weixin: u64,
    pub wechat: u64,
    pub unknown: u64,
    pub critical: u64,
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    pub info: u64,
    pub suppressed: u64,
    pub row_errors: u64,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            accounts: self.accounts.len() as u64,
            suppressed: self.suppressed.len() as u64,
            row_errors: self.row_errors.len() as u64,
            ..Summary::default()
        };
        // Platforms only: building each classification would copy its conflicts' words.
        for platform in
            (0..self.classifications.len()).filter_map(|i| self.classifications.platform(i))
        {
            match platform {
                Platform::Weixin => s.weixin += 1,
                Platform::Wechat => s.wechat += 1,
                Platform::Unknown => s.unknown += 1,
            }
        }
        for f in &self.findings {
            match f.severity {
                Severity::Critical => s.critical += 1,
                Severity::High => s.high += 1,
                Severity::Medium => s.medium += 1,
                Severity::Low => s.low += 1,
                Severity::Info => s.info += 1,
            }
        }
        s
    }

    /// The most severe active finding, if any.
    pub fn worst_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// The context the rules ran in, describing (see [`crate::rules::context`]).
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx::new(
            &self.accounts,
            &self.classifications,
            &self.profile,
            self.profile_source,
            self.columns,
            self.as_of,
            self.rules.knowledge(),
            &self.facts,
        )
        .describing()
    }

    /// A finding's words: what is wrong, the evidence and the advice, exactly as its rule words
    /// them. An account-level finding is worded here, by running its rule again for its account.
    pub fn text<'a>(&'a self, f: &'a Finding) -> FindingText<'a> {
        if let Some(t) = f.said_text() {
            return t;
        }
        let said = f.account.and_then(|i| {
            let check = self.rules.account_check(f.rule_id)?;
            let a = self.accounts.get(i as usize)?;
            check(&self.ctx(), i as usize, &a)?.text
        });
        // Only a report whose accounts changed after the audit could lack the words.
        let said = said.unwrap_or_default();
        FindingText {
            message: Cow::Owned(said.message),
            evidence: Cow::Owned(said.evidence),
            advice: self.advice(f),
        }
    }

    /// Asks the processor to fetch what the findings a few places after `findings[k]` will read
    /// (their accounts' names and the columns their rules read): for loops that word findings in
    /// report order, which visits accounts out of order ([`Accounts::prefetch_ahead`]).
    pub fn prefetch_ahead(&self, findings: &[Finding], k: usize) {
        self.accounts
            .prefetch_ahead(findings, k, |f| self.rules.reads(f.rule_id));
    }

    /// What to do about a finding (its rule's fix).
    pub fn advice<'a>(&'a self, f: &'a Finding) -> &'a str {
        match &f.said {
            Some(s) => &s.advice,
            None => self.rules.advice(f.rule_id),
        }
    }

    /// What is wrong and why it matters (see [`Report::text`]).
    pub fn message<'a>(&'a self, f: &'a Finding) -> Cow<'a, str> {
        self.text(f).message
    }

    /// A finding's fingerprint (see [`fingerprint`]).
    pub fn fingerprint(&self, f: &Finding) -> Text {
        finding_fingerprint(f, &self.accounts)
    }

    /// The fingerprints of `findings`, computed in parallel.
    pub fn fingerprints(&self, findings: &[Finding]) -> Vec<Text> {
        let fp = Fingerprinter::new(&self.accounts);
        findings.par_iter().map(|f| fp.of(f)).collect()
    }

    /// The brand a finding is about.
    pub fn brand<'a>(&'a self, f: &'a Finding) -> Option<&'a str> {
        f.brand(&self.accounts)
    }
}

/// Classifies every account and runs every enabled rule.
pub fn audit(
    inventory: Inventory,
    profile: Profile,
    profile_source: ProfileSource,
    rules: &RuleSet,
    opts: &AuditOptions,
) -> Report {
    audit_with_progress(inventory, profile, profile_source, rules, opts, &|_, _| {})
}

/// Counts work done on several threads and reports it every half percent.
struct Counter<'a> {
    done: AtomicU64,
    total: u64,
    step: u64,
    report: &'a (dyn Fn(u64, u64) + Sync),
}

impl Counter<'_> {
    fn add(&self, n: u64) {
        let before = self.done.fetch_add(n, Ordering::Relaxed);
        let after = (before + n).min(self.total);
        if before / self.step != after / self.step || after == self.total {
            (self.report)(after, self.total);
        }
    }
}

/// The `total` [`audit_with_progress`] reports for an inventory of `accounts` accounts. The unit
/// is one account's pass: each account counts once when classified and once when its rules have
/// run, and the company-wide rules plus sorting count as a third pass.
pub fn progress_total(accounts: usize) -> u64 {
    3 * accounts as u64
}

/// [`audit`], telling `progress(done, total)` how far it is (see [`progress_total`]), from
/// whichever thread does the work.
pub fn audit_with_progress(
    inventory: Inventory,
    profile: Profile,
    profile_source: ProfileSource,
    rules: &RuleSet,
    opts: &AuditOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Report {
    let n = inventory.accounts.len() as u64;
    let total = progress_total(inventory.accounts.len());
    let counter = Counter {
        done: AtomicU64::new(0),
        total,
        step: (total / 200).max(1),
        report: progress,
    };
    let Inventory {
        input,
        accounts,
        row_errors,
        columns,
        extra_columns,
        company: _,
    } = inventory;
    // Counted a batch at a time (a shared counter bumped per account is slow on its own).
    // An indexed collect writes each verdict in place (no second copy of the list), and the
    // progress counter is bumped once per 1,024 accounts.
    let n_accounts = accounts.len();
    // Two bytes a verdict; the rare conflicts are set aside by account.
    let conflicts = std::sync::Mutex::new(ConflictLists::new());
    let verdicts: Vec<_> = (0..n_accounts)
        .into_par_iter()
        .map(|i| {
            if i % 1024 == 0 {
                counter.add((n_accounts - i).min(1024) as u64);
            }
            let c = classify(accounts.at(i), rules.knowledge());
            if !c.conflicts.is_empty() {
                let mut list = conflicts.lock().unwrap_or_else(|e| e.into_inner());
                list.add(i as u32, c.conflicts);
            }
            (c.platform, c.confidence)
        })
        .collect();
    let conflicts = conflicts.into_inner().unwrap_or_else(|e| e.into_inner());
    let classifications = Classifications::from_parts(verdicts, conflicts);
    crate::phases::mark("classify");
    let facts = Facts::new(&accounts, &profile);
    let (mut findings, mut not_evaluated) = {
        let ctx = Ctx::new(
            &accounts,
            &classifications,
            &profile,
            profile_source,
            columns,
            opts.as_of,
            rules.knowledge(),
            &facts,
        );
        rules.run_counted(&ctx, &|n| counter.add(n))
    };
    crate::phases::mark("rules");
    counter.add(n / 2);
    // The rules' per-batch lists are gone: hand their memory back before the sort adds its own.
    crate::memory::release_freed_memory();
    if opts.order == FindingOrder::Report {
        crate::order::sort_findings(&mut findings, &accounts);
        crate::phases::mark("sort");
    }
    counter.add(n - n / 2);
    not_evaluated.sort_by(|a, b| id_order(&a.rule_id).cmp(&id_order(&b.rule_id)));
    Report {
        input,
        profile,
        profile_source,
        as_of: opts.as_of,
        accounts,
        classifications,
        findings,
        order: opts.order,
        not_evaluated,
        row_errors,
        extra_columns,
        suppressed: Vec::new(),
        expired_suppressions: Vec::new(),
        stale_suppressions: Vec::new(),
        resolved: Vec::new(),
        baseline: None,
        rules: Arc::new(rules.clone()),
        facts: Arc::new(facts),
        columns,
    }
}

/// A finding's fingerprint; `accounts`: what its account index points into.
pub fn finding_fingerprint(f: &Finding, accounts: &Accounts) -> Text {
    fingerprint_with(f, accounts, |i| {
        Cow::Owned(crate::identity::norm_name(accounts.brand(i).unwrap_or("")))
    })
}

/// [`finding_fingerprint`] for many findings about one inventory's accounts, each brand
/// normalised once rather than once per finding: a million-account report writes 2.3 million
/// fingerprints over a few hundred brands. (Its own table by brand code rather than the audit's
/// brand groups in [`Facts`]: those exist only for a report the audit built, and a report
/// assembled otherwise must fingerprint the same.)
pub struct Fingerprinter<'a> {
    accounts: &'a Accounts,
    /// [`crate::identity::norm_name`] of each brand, by brand code (0: no brand; see
    /// [`Accounts::brand_code`]).
    brands: Vec<String>,
}

impl<'a> Fingerprinter<'a> {
    pub fn new(accounts: &'a Accounts) -> Self {
        let brands = std::iter::once(String::new())
            .chain(
                accounts
                    .brands()
                    .iter()
                    .map(|b| crate::identity::norm_name(b)),
            )
            .collect();
        Fingerprinter { accounts, brands }
    }

    /// The fingerprint of `f` (the same as [`finding_fingerprint`]).
    pub fn of(&self, f: &Finding) -> Text {
        fingerprint_with(f, self.accounts, |i| {
            let code = self.accounts.brand_code(i) as usize;
            Cow::Borrowed(self.brands.get(code).map_or("", String::as_str))
        })
    }
}

/// [`finding_fingerprint`] given how to find account `i`'s normalised brand.
fn fingerprint_with<'b>(
    f: &Finding,
    accounts: &Accounts,
    brand_norm: impl FnOnce(usize) -> Cow<'b, str>,
) -> Text {
    if let Some(s) = &f.said {
        return s.fingerprint.clone();
    }
    match f
        .account
        .map(|i| i as usize)
        .filter(|&i| i < accounts.len())
    {
        Some(i) => crate::identity::fingerprint_of_normed(
            &f.rule_id,
            accounts.id(i),
            accounts.name(i),
            &brand_norm(i),
            f.market.as_deref(),
        ),
        None => fingerprint(&f.rule_id, None, None, f.market.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;
    use crate::model::{AccountType, Column};
    use crate::rules::testutil::*;
    use std::io::Write;

    fn sample() -> Vec<Account> {
        let mut a = with_brand(with_audience(wechat_service("gh_old"), &["CN"]), "Acme Tea");
        a.verified = Some(false);
        let mut b = with_brand(personal("", "86"), "莲花美妆");
        b.id = None;
        b.name = Some("Ｌｏｔｕｓ Ｓｈｏｐ".into());
        b.audience = vec!["CN".into()];
        let c = with_brand(with_audience(weixin_service("gh_new"), &["HK"]), "Acme Tea");
        vec![a, b, c]
    }

    fn fingerprints(r: &Report) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = r
            .findings
            .iter()
            .map(|f| (f.rule_id.to_string(), r.fingerprint(f).to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn fingerprints_survive_reordering_and_line_numbers() {
        let r1 = run(sample(), profile(&["CN", "HK"], &[]));
        let mut shuffled = sample();
        shuffled.reverse();
        for (i, a) in shuffled.iter_mut().enumerate() {
            a.line = 100 + i as u64;
        }
        let r2 = run(shuffled, profile(&["CN", "HK"], &[]));
        assert!(!r1.findings.is_empty());
        assert_eq!(fingerprints(&r1), fingerprints(&r2));
        // Distinct findings have distinct fingerprints.
        let fps = fingerprints(&r1);
        let mut uniq: Vec<&String> = fps.iter().map(|(_, f)| f).collect();
        uniq.sort();
        uniq.dedup();
        assert_eq!(uniq.len(), fps.len());
    }

    #[test]
    fn findings_fingerprints_match_the_public_function() {
        let mut accounts = sample();
        // A brand written in full-width capitals, and an account without a brand.
        accounts.push(with_brand(
            with_audience(wechat_service("gh_wide"), &["CN"]),
            " ＡＣＭＥ 茶 ",
        ));
        accounts.push(with_audience(wechat_service("gh_none"), &["CN"]));
        let r = run(accounts, profile(&["CN", "HK"], &[]));
        let bulk = Fingerprinter::new(&r.accounts);
        let all = r.fingerprints(&r.findings);
        assert!(r.findings.iter().any(|f| f.brand(&r.accounts).is_none()));
        for (k, f) in r.findings.iter().enumerate() {
            let identity = f
                .account
                .and_then(|i| account_identity(r.accounts.at(i as usize)));
            let expected = fingerprint(
                &f.rule_id,
                identity.as_deref(),
                f.brand(&r.accounts),
                f.market.as_deref(),
            );
            assert_eq!(r.fingerprint(f), expected, "{}", f.rule_id);
            // Writers of many findings normalise each brand once: the same fingerprints.
            assert_eq!(bulk.of(f), expected, "{}", f.rule_id);
            assert_eq!(all[k], expected, "{}", f.rule_id);
        }
    }

    #[test]
    fn fingerprint_uses_id_else_normalised_name_brand_and_market() {
        let f = fingerprint("REACH-002", Some("id:gh_1"), Some("Acme"), None);
        assert_eq!(f.len(), 16);
        assert!(f.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(
            f,
            fingerprint("reach-002", Some("id:gh_1"), Some(" ACME "), None)
        );
        assert_ne!(
            f,
            fingerprint("REACH-002", Some("id:gh_2"), Some("Acme"), None)
        );
        assert_ne!(
            f,
            fingerprint("REACH-002", Some("id:gh_1"), Some("Other"), None)
        );
        assert_ne!(
            fingerprint("REACH-001", None, Some("Acme"), Some("CN")),
            fingerprint("REACH-001", None, Some("Acme"), Some("HK"))
        );
        let a = Account {
            name: Some(" Ｌｏｔｕｓ Shop ".into()),
            ..Account::default()
        };
        let b = Account {
            name: Some("lotus shop".into()),
            line: 99,
            ..Account::default()
        };
        assert_eq!(account_identity(&a), account_identity(&b));
        assert_eq!(account_identity(&a).as_deref(), Some("name:lotus shop"));
    }

    #[test]
    fn findings_sorted_most_severe_first_then_rule_then_account() {
        let r = run(sample(), profile(&["CN", "HK"], &[]));
        for w in r.findings.windows(2) {
            assert!(w[0].severity >= w[1].severity);
            if w[0].severity == w[1].severity {
                assert!(
                    crate::rules::id_order(&w[0].rule_id) <= crate::rules::id_order(&w[1].rule_id)
                );
            }
        }
        assert_eq!(r.findings[0].rule_id, "REACH-001");
        assert_eq!(r.classifications.len(), r.accounts.len());
    }

    #[test]
    fn brand_level_findings_have_no_account_but_brand_and_market() {
        let r = run(sample(), profile(&["CN"], &[]));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "REACH-001")
            .expect("REACH-001");
        assert_eq!((f.account, f.account_id(&r.accounts)), (None, None));
        assert!(f.brand(&r.accounts).is_some());
        assert_eq!(f.market.as_deref(), Some("CN"));
    }

    #[test]
    fn missing_columns_are_reported_not_evaluated_never_silently_passed() {
        let cols = columns(&[Column::Id, Column::Name, Column::Type, Column::Portal]);
        let r = run_with(
            sample(),
            profile(&["CN"], &["Acme"]),
            cols,
            &crate::rules::RuleSet::builtin(),
        );
        let ne = |id: &str| r.not_evaluated.iter().find(|n| n.rule_id == id);
        assert_eq!(
            ne("PAY-006").map(|n| n.missing_columns.clone()),
            Some(vec![Column::WalletCurrency])
        );
        assert_eq!(
            ne("VER-001").map(|n| n.missing_columns.clone()),
            Some(vec![Column::Verified])
        );
        assert!(ne("PAY-002").is_some_and(|n| n.missing_columns.contains(&Column::Payments)));
        assert!(ne("REACH-002").is_none());
        assert!(ne("REG-001").is_none());
        assert!(!fired(&r, "VER-001"), "no verified column, no VER-001");
        // Rules needing targets without targets or audience.
        let r = run_with(
            sample(),
            profile(&[], &[]),
            cols,
            &crate::rules::RuleSet::builtin(),
        );
        assert!(r
            .not_evaluated
            .iter()
            .any(|n| n.rule_id == "REACH-001" && n.missing_columns == vec![Column::Audience]));
    }

    #[test]
    fn overrides_change_severity_disable_and_knowledge_in_findings() {
        let mut f = tempfile::Builder::new()
            .suffix(".toml")
            .tempfile()
            .expect("tmp");
        f.write_all(
            b"disable = [\"VER-001\"]\n[rules.REACH-002]\nseverity = \"low\"\n\
              [rules.PAY-006]\nenabled = false\n\
              [knowledge.features.red_packets]\nwechat = \"yes\"\n",
        )
        .expect("write");
        let set = crate::rules::RuleSet::with_overrides(f.path()).expect("valid");
        let mut a = wechat_service("gh_old");
        a.verified = Some(false);
        a.wallet_currency = Some("MYR".into());
        a.features = vec!["red_packets".into()];
        let r = run_with(vec![a.clone()], profile(&[], &[]), all_columns(), &set);
        let sev = r
            .findings
            .iter()
            .find(|f| f.rule_id == "REACH-002")
            .map(|f| f.severity);
        assert_eq!(sev, Some(Severity::Low));
        assert!(!fired(&r, "VER-001"));
        assert!(!fired(&r, "PAY-006"));
        assert!(
            !fired(&r, "FEAT-001"),
            "red_packets now marked available on WeChat"
        );
        assert!(r.not_evaluated.iter().all(|n| n.rule_id != "VER-001"));
        // Built-in: all of them fire.
        let r = run(vec![a], profile(&[], &[]));
        for id in ["VER-001", "PAY-006", "FEAT-001"] {
            assert!(fired(&r, id), "{id}");
        }
    }

    #[test]
    fn every_rule_fires_on_a_rich_inventory() {
        use crate::model::{AdminStatus, Country, EntityType, MerchantTrack, Platform};
        let mut v = Vec::new();
        let mut legacy = with_brand(with_audience(wechat_service("gh_old"), &["CN"]), "B1");
        legacy.declared_platform = Some(Platform::Weixin);
        legacy.verified = Some(false);
        legacy.admin_status = Some(AdminStatus::Departed);
        legacy.operators = vec![];
        legacy.entity_name = Some("Agency".into());
        legacy.verification_expiry = Some(date("2026-01-01"));
        legacy.name = Some("=cmd".into());
        v.push(legacy);
        let mut sub = with_brand(with_audience(weixin_service("gh_sub"), &["US", "HK"]), "B2");
        sub.account_type = Some(AccountType::Subscription);
        sub.payments = Some(true);
        sub.verified = Some(false);
        sub.entity_type = Some(EntityType::Individual);
        sub.entity_country = Some(Country::Code("US".into()));
        sub.merchant_track = Some(MerchantTrack::Domestic);
        sub.merchant_entity = Some("Other".into());
        sub.entity_name = Some("Agency".into());
        sub.features = vec!["red_packets".into(), "wechat_out".into()];
        sub.wallet_currency = Some("MYR".into());
        sub.credit_code = Some("91310000MA1FL00000".into());
        v.push(sub);
        let mut third = weixin_service("gh_sub");
        third.entity_name = Some("Agency".into());
        third.brand = Some("B2".into());
        v.push(third);
        let mut mp = with_brand(
            oa("wxmini", AccountType::MiniProgram, "mp.weixin.qq.com"),
            "B1",
        );
        mp.entity_country = Some(Country::Code("CN".into()));
        mp.status = Some(crate::model::Status::Dormant);
        mp.audience = vec!["CN".into()];
        v.push(mp);
        v.push(with_brand(
            with_audience(personal("wxid_p", "86"), &["CN"]),
            "B3",
        ));
        let mut unknown = oa("gh_unknown", AccountType::Service, "");
        unknown.portal = None;
        v.push(unknown);
        let r = run(v, profile(&["CN", "US", "HK"], &["Acme Ltd"]));
        let set = crate::rules::RuleSet::builtin();
        let missing: Vec<&str> = set
            .rules()
            .iter()
            .map(|m| m.id.as_str())
            .filter(|id| !fired(&r, id))
            .collect();
        assert!(missing.is_empty(), "rules that did not fire: {missing:?}");
    }
}
