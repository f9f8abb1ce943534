//! Who can reach which market: the reachability matrix (domain.md §3).
//!
//! For every target market (the profile's targets, then the markets the accounts' audiences
//! name, mainland China first) and every brand × market, it counts the active accounts aimed
//! there by what they can do for the market's customers — Weixin-platform official accounts and
//! mini programs, accounts on the international WeChat platform, personal accounts, accounts
//! taking payments — and grades each row and cell ([`Grade`]).
//!
//! It exists because "can our mainland customers find us?" is a domain judgement, not a way of
//! drawing a screen: it used to live in the TUI's Summary only, where no report, test or other
//! front end could reach it. It lives here, beside classification and the rules, on plain model
//! data (accounts, classifications, findings), and knows nothing of terminals; the TUI renders it
//! and a report could print it the same way.
//!
//! It decides nothing on its own: the platform of each account is the classification's, and a
//! row's verdict is the audit's — a gap only where a REACH finding (active, or accepted as a
//! risk) says so, and "not evaluated" where the REACH rule that decides the row
//! ([`deciding_rule`]) is in the audit's not-evaluated list. So the matrix and `wxaudit audit`
//! always agree on the same file. Closed and suspended accounts reach no one and are not counted.

use crate::accounts::Accounts;
use crate::knowledge::Knowledge;
use crate::model::Classifications;
use crate::model::{AccountType, Finding, NotEvaluated, Platform, Severity, Status, Text};
use std::collections::{BTreeSet, HashMap};

/// How well a row or cell of the matrix reaches its market.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    /// A gap: the market's customers cannot find the accounts (REACH-001 or a critical REACH
    /// finding).
    Bad,
    /// At risk: a REACH finding of medium severity or more, or what reaches the market is the
    /// wrong kind (WeChat-international official accounts for mainland China).
    Warn,
    /// Reached.
    Good,
    /// Nothing to say (no accounts, no verdict, or a count that does not matter here).
    Neutral,
}

/// What the matrix is computed from: one audit's data.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The company profile's target markets (country codes as written; `GLOBAL` is skipped).
    pub targets: &'a [String],
    pub accounts: &'a Accounts,
    /// Parallel to `accounts`.
    pub classifications: &'a Classifications,
    /// Active findings.
    pub findings: &'a [Finding],
    /// Findings accepted as risks (suppressed): a gap stays a gap.
    pub accepted: &'a [&'a Finding],
    /// Rules the audit could not evaluate.
    pub not_evaluated: &'a [NotEvaluated],
    /// The audit's knowledge (which market is mainland China).
    pub knowledge: &'a Knowledge,
}

/// The matrix: one row per market, then the brand × market rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Matrix {
    /// One row per market, mainland China first, then the profile's targets in their order,
    /// then the other audience markets alphabetically (and markets only a finding names).
    pub markets: Vec<MatrixRow>,
    /// Brand × market rows, worst first: gaps, risks, rows without a verdict, reached, the rest;
    /// then mainland China first, by brand, by market.
    pub brands: Vec<MatrixRow>,
}

/// One row of the reachability matrix: a target market, optionally for one brand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    pub market: Text,
    pub brand: Option<Text>,
    /// Active accounts aimed at this market (and brand).
    pub accounts: u64,
    /// Weixin-platform official accounts and mini programs.
    pub wx_official: u64,
    /// Accounts on the international WeChat platform (any type).
    pub wechat: u64,
    /// WeChat-international official accounts (subscription/service).
    pub wechat_official: u64,
    pub personal: u64,
    pub payments: u64,
    /// REACH rule ids reported for this market (and brand), most severe first.
    pub reach_rules: Vec<(Text, Severity)>,
    /// Market rows: how many brands are unreachable in this market.
    pub brands_unreachable: u32,
    /// Market rows: how many brands are at risk (a REACH finding of medium severity or more, but
    /// not unreachable) in this market.
    pub brands_at_risk: u32,
    /// REACH rule ids suppressed as accepted risks for this row.
    pub accepted_rules: Vec<Text>,
    /// The REACH rule that decides this row ([`deciding_rule`]) when the audit could not evaluate
    /// it; its entry in `report.not_evaluated` says what the inventory lacks. The row then has no
    /// verdict: the counts alone cannot say whether the market is reached.
    pub not_evaluated: Option<Text>,
    /// The market is mainland China (knowledge `mainland_market`).
    pub mainland: bool,
}

/// The REACH rule whose finding decides whether a market's customers can find the accounts, if
/// one does. Only mainland China has one: REACH-001 (no active Weixin-platform official account
/// or mini program for it; domain.md §3). Elsewhere WeChat users can find accounts on either
/// platform and no REACH rule judges coverage (REACH-005 is a low-severity feature caveat), so
/// those rows are graded by their REACH findings alone.
pub fn deciding_rule(k: &Knowledge, market: &str) -> Option<&'static str> {
    k.is_mainland(market).then_some("REACH-001")
}

/// Which column of the matrix a cell is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixCol {
    WeixinOfficial,
    Wechat,
    Personal,
    Payments,
}

impl MatrixCol {
    pub const ALL: [MatrixCol; 4] = [
        MatrixCol::WeixinOfficial,
        MatrixCol::Wechat,
        MatrixCol::Personal,
        MatrixCol::Payments,
    ];
}

impl MatrixRow {
    pub fn is_mainland(&self) -> bool {
        self.mainland
    }

    pub fn count(&self, c: MatrixCol) -> u64 {
        match c {
            MatrixCol::WeixinOfficial => self.wx_official,
            MatrixCol::Wechat => self.wechat,
            MatrixCol::Personal => self.personal,
            MatrixCol::Payments => self.payments,
        }
    }

    fn has_rule(&self, id: &str) -> bool {
        self.reach_rules.iter().any(|(r, _)| r == id)
    }

    /// The audit found this row's market unreachable: a REACH-001 finding for it, active or
    /// accepted as a risk, whatever its severity and whatever the counts say.
    pub fn unreachable(&self) -> bool {
        self.has_rule("REACH-001") || self.accepted_rules.iter().any(|r| r == "REACH-001")
    }

    /// The audit could not evaluate the rule that decides this row (see [`deciding_rule`]) and
    /// no finding decides it either: the row has no verdict.
    pub fn is_not_evaluated(&self) -> bool {
        self.not_evaluated.is_some() && self.verdict() != Grade::Bad
    }

    /// Order of the brand rows: gaps, risks, rows the audit could not judge, reached, the rest.
    fn rank(&self) -> u8 {
        match self.verdict() {
            Grade::Bad => 0,
            Grade::Warn => 1,
            _ if self.is_not_evaluated() => 2,
            Grade::Good => 3,
            Grade::Neutral => 4,
        }
    }

    /// How good a cell is for reaching this market (domain.md §3). Cells only grade what the
    /// audit's REACH findings say: a cell is a gap (✗) only when REACH-001 fired for the row.
    pub fn level(&self, c: MatrixCol) -> Grade {
        let n = self.count(c);
        let some = if n > 0 { Grade::Good } else { Grade::Neutral };
        if c == MatrixCol::Payments {
            return some;
        }
        if !self.is_mainland() {
            // WeChat users can find official accounts on either platform and add personal ones.
            return if c == MatrixCol::Personal {
                Grade::Neutral
            } else {
                some
            };
        }
        let gap = self.unreachable();
        if self.not_evaluated.is_some() && !gap {
            // Without the rule's columns the counts cannot be graded (no `type`: every official
            // account and mini program counts as 0).
            return Grade::Neutral;
        }
        match c {
            MatrixCol::WeixinOfficial if gap => Grade::Bad,
            MatrixCol::WeixinOfficial => some,
            // Weixin users cannot find WeChat-international official accounts.
            MatrixCol::Wechat if n > 0 => Grade::Warn,
            // Personal accounts as the only cover are a gap (REACH-003).
            MatrixCol::Personal if n > 0 && gap => Grade::Warn,
            _ => Grade::Neutral,
        }
    }

    /// Overall verdict for the row, from the audit's REACH findings: a gap (Bad) when REACH-001
    /// (or another critical REACH rule) fired for it; no verdict (Neutral, shown as "not
    /// evaluated") when the deciding rule could not run; at risk (Warn) for REACH findings of
    /// medium severity or more, or brands with gaps or risks in a market row; otherwise reached
    /// (Good) when the counts show what reaches it (a Weixin-platform official account or mini
    /// program for mainland China, any account elsewhere), else Neutral.
    pub fn verdict(&self) -> Grade {
        let worst_rule = self.reach_rules.iter().map(|(_, s)| *s).max();
        let reached = if self.is_mainland() {
            self.wx_official > 0
        } else {
            self.accounts > 0
        };
        if self.unreachable() || worst_rule == Some(Severity::Critical) {
            Grade::Bad
        } else if self.not_evaluated.is_some() {
            Grade::Neutral
        } else if worst_rule.is_some_and(|s| s >= Severity::Medium)
            || self.brands_unreachable > 0
            || self.brands_at_risk > 0
        {
            Grade::Warn
        } else if reached {
            Grade::Good
        } else {
            Grade::Neutral
        }
    }
}

/// Counts, per target market and per brand × market, what reaches it, and grades each row from
/// the REACH findings (see the module doc).
pub fn build(s: &Sources<'_>) -> Matrix {
    let mut markets: Vec<Text> = Vec::new();
    for t in s.targets {
        let t = Text::from(t.trim().to_ascii_uppercase());
        if t != "GLOBAL" && !t.is_empty() && !markets.contains(&t) {
            markets.push(t);
        }
    }
    // The audience lists accounts have (the store keeps each distinct list once): their markets
    // beyond the targets, and below, each list's rows, worked out once rather than per account.
    let accounts = s.accounts;
    let lists = accounts.audiences();
    let mut used = vec![false; lists.len() + 1];
    for i in 0..accounts.len() {
        used[accounts.audience_code(i) as usize] = true;
    }
    let mut extra = BTreeSet::new();
    for (list, _) in lists.iter().zip(&used[1..]).filter(|(_, &u)| u) {
        for m in list.iter() {
            if m != "GLOBAL" && !markets.contains(m) {
                extra.insert(m.clone());
            }
        }
    }
    markets.extend(extra);
    // CN first: it is the market the flagship gap is about.
    let k = s.knowledge;
    markets.sort_by_key(|m| !k.is_mainland(m));

    let blank = |market: &Text, brand: Option<Text>| MatrixRow {
        market: market.clone(),
        brand,
        accounts: 0,
        wx_official: 0,
        wechat: 0,
        wechat_official: 0,
        personal: 0,
        payments: 0,
        reach_rules: Vec::new(),
        brands_unreachable: 0,
        brands_at_risk: 0,
        accepted_rules: Vec::new(),
        not_evaluated: None,
        mainland: k.is_mainland(market),
    };
    let mut by_market: Vec<MatrixRow> = markets.iter().map(|m| blank(m, None)).collect();
    let pos: HashMap<&str, usize> = markets
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    // Brand × market rows, indexed [brand * markets + market], filled as accounts are seen.
    let mut brands_seen = 0;
    let mut grid: Vec<Option<MatrixRow>> = Vec::new();
    let nm = markets.len();

    // Per audience list (by its code; 0 is none): the market rows it counts in, in order.
    let rows_of: Vec<Vec<usize>> = std::iter::once(&[][..])
        .chain(lists.iter().map(|l| &l[..]))
        .map(|list| {
            let mut idx: Vec<usize> = Vec::new();
            for m in list {
                if m == "GLOBAL" {
                    idx.extend(0..nm);
                } else if let Some(&p) = pos.get(m.as_str()) {
                    idx.push(p);
                }
            }
            idx.sort_unstable();
            idx.dedup();
            idx
        })
        .collect();
    // Per brand code: its place in `grid`, given when an account counted first names it.
    let mut brand_of: Vec<Option<usize>> = vec![None; accounts.brands().len() + 1];
    // One pass over the columns counted (status, audience, platform, type, payments, brand),
    // not over whole accounts: it runs before the Summary of a million accounts is drawn.
    for i in 0..accounts.len() {
        if matches!(accounts.status(i), Some(Status::Closed | Status::Suspended)) {
            continue;
        }
        let idx = &rows_of[accounts.audience_code(i) as usize];
        if idx.is_empty() {
            continue;
        }
        let platform = s.classifications.platform(i).unwrap_or(Platform::Unknown);
        let ty = accounts.account_type(i);
        let official = ty.is_some_and(|t| t.is_official());
        let wx_off =
            platform == Platform::Weixin && (official || ty == Some(AccountType::MiniProgram));
        let pays = accounts.payments(i) == Some(true);
        let add = |r: &mut MatrixRow| {
            r.accounts += 1;
            r.wx_official += wx_off as u64;
            r.wechat += (platform == Platform::Wechat) as u64;
            r.wechat_official += (platform == Platform::Wechat && official) as u64;
            r.personal += (ty == Some(AccountType::Personal)) as u64;
            r.payments += pays as u64;
        };
        let code = accounts.brand_code(i) as usize;
        let brand = code.checked_sub(1).map(|c| accounts.brands()[c].as_str());
        let bi = brand.map(|_| {
            *brand_of[code].get_or_insert_with(|| {
                grid.resize(grid.len() + nm, None);
                brands_seen += 1;
                brands_seen - 1
            })
        });
        for &p in idx {
            add(&mut by_market[p]);
            if let (Some(bi), Some(b)) = (bi, brand) {
                let cell = &mut grid[bi * nm + p];
                let row = cell.get_or_insert_with(|| blank(&markets[p], Some(Text::from(b))));
                add(row);
            }
        }
    }
    let mut by_brand: std::collections::BTreeMap<(Text, Text), MatrixRow> = grid
        .into_iter()
        .flatten()
        .map(|r| ((r.brand.clone().unwrap_or_default(), r.market.clone()), r))
        .collect();
    let active = s.findings.iter().map(|f| (f, false));
    let accepted = s.accepted.iter().map(|f| (*f, true));
    for (f, is_accepted) in active.chain(accepted) {
        if !f.rule_id.starts_with("REACH") {
            continue;
        }
        let Some(m) = f.market.map(|m| Text::from(m.as_str())) else {
            continue;
        };
        let m = &m;
        let rule = Text::from(f.rule_id.as_str());
        let row = match f.brand(s.accounts).map(Text::from) {
            Some(b) => by_brand
                .entry((b.clone(), m.clone()))
                .or_insert_with(|| blank(m, Some(b))),
            None => match by_market.iter_mut().position(|r| r.market == *m) {
                Some(p) => &mut by_market[p],
                None => {
                    by_market.push(blank(m, None));
                    let last = by_market.len() - 1;
                    &mut by_market[last]
                }
            },
        };
        if is_accepted {
            if !row.accepted_rules.contains(&rule) {
                row.accepted_rules.push(rule);
            }
        } else if !row.reach_rules.iter().any(|(r, _)| *r == rule) {
            row.reach_rules.push((rule, f.severity));
        }
    }
    let mut brand_rows: Vec<MatrixRow> = by_brand.into_values().collect();
    // Rows whose deciding rule the audit could not run: the same list `wxaudit audit` prints.
    for r in by_market.iter_mut().chain(brand_rows.iter_mut()) {
        r.not_evaluated = deciding_rule(k, &r.market)
            .filter(|id| s.not_evaluated.iter().any(|n| n.rule_id == *id))
            .map(Text::from);
    }
    for b in &brand_rows {
        let v = b.verdict();
        if let Some(m) = by_market.iter_mut().find(|r| r.market == b.market) {
            match v {
                Grade::Bad => m.brands_unreachable += 1,
                Grade::Warn => m.brands_at_risk += 1,
                _ => {}
            }
        }
    }
    for r in by_market.iter_mut().chain(brand_rows.iter_mut()) {
        r.reach_rules
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    // Worst first so the gap is on the first screen.
    brand_rows.sort_by(|a, b| {
        a.rank()
            .cmp(&b.rank())
            .then_with(|| (!a.mainland).cmp(&!b.mainland))
            .then_with(|| a.brand.cmp(&b.brand))
            .then_with(|| a.market.cmp(&b.market))
    });
    Matrix {
        markets: by_market,
        brands: brand_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Report;
    use crate::model::Column;
    use crate::rules::testutil::*;

    /// The matrix of a report; findings of the rules in `accept` count as accepted risks.
    fn matrix_accepting(r: &Report, accept: &[&str]) -> Matrix {
        let (accepted, active): (Vec<&Finding>, Vec<&Finding>) = r
            .findings
            .iter()
            .partition(|f| accept.contains(&f.rule_id.as_str()));
        let active: Vec<Finding> = active.into_iter().cloned().collect();
        build(&Sources {
            targets: &r.profile.targets,
            accounts: &r.accounts,
            classifications: &r.classifications,
            findings: &active,
            accepted: &accepted,
            not_evaluated: &r.not_evaluated,
            knowledge: r.rules.knowledge(),
        })
    }

    fn matrix(r: &Report) -> Matrix {
        matrix_accepting(r, &[])
    }

    fn row<'a>(rows: &'a [MatrixRow], market: &str, brand: Option<&str>) -> &'a MatrixRow {
        rows.iter()
            .find(|r| r.market == market && r.brand.as_deref() == brand)
            .unwrap_or_else(|| panic!("no row {market} {brand:?}"))
    }

    /// Lotus Beauty reaches mainland China only through WeChat-international and personal
    /// accounts (REACH-001); Acme has a Weixin service account there.
    fn lotus_and_acme() -> Report {
        run(
            vec![
                with_brand(
                    with_audience(wechat_service("gh_lotus"), &["CN", "HK"]),
                    "Lotus",
                ),
                with_brand(
                    with_audience(personal("wxid_lotus", "86"), &["CN"]),
                    "Lotus",
                ),
                with_brand(with_audience(weixin_service("gh_acme"), &["CN"]), "Acme"),
            ],
            profile(&["CN", "HK"], &[]),
        )
    }

    #[test]
    fn markets_come_mainland_first_then_targets_then_audiences() {
        let mut closed = with_audience(weixin_service("gh_closed"), &["CN", "FR"]);
        closed.status = Some(Status::Closed);
        let r = run(
            vec![
                with_audience(weixin_service("gh_a"), &["US", "DE"]),
                with_audience(personal("wxid_g", "852"), &["GLOBAL"]),
                closed,
            ],
            profile(&["HK", "global", "CN"], &[]),
        );
        let m = matrix(&r);
        let markets: Vec<&str> = m.markets.iter().map(|r| r.market.as_str()).collect();
        // FR only from a closed account's audience: still a market, with nothing counted.
        assert_eq!(markets, ["CN", "HK", "DE", "FR", "US"]);
        assert!(m.brands.is_empty());
        // A GLOBAL audience counts in every market; a closed account in none.
        for r in &m.markets {
            let own = u64::from(r.market == "US" || r.market == "DE");
            assert_eq!(r.accounts, 1 + own, "{}", r.market);
            assert_eq!(r.personal, 1, "{}", r.market);
        }
        assert_eq!(row(&m.markets, "FR", None).wx_official, 0);
    }

    #[test]
    fn counts_what_can_reach_each_market() {
        let mut paying = with_audience(weixin_service("gh_pay"), &["CN"]);
        paying.payments = Some(true);
        let mini = with_audience(
            oa("wxmini", AccountType::MiniProgram, "mp.weixin.qq.com"),
            &["CN"],
        );
        let r = run(
            vec![
                paying,
                mini,
                with_audience(wechat_service("gh_intl"), &["CN"]),
                with_audience(personal("wxid_hk", "852"), &["CN"]),
            ],
            profile(&["CN"], &[]),
        );
        let cn = row(&matrix(&r).markets, "CN", None).clone();
        assert_eq!(
            (cn.accounts, cn.wx_official, cn.wechat, cn.wechat_official),
            (4, 2, 2, 1)
        );
        assert_eq!((cn.personal, cn.payments), (1, 1));
        // A Weixin official account reaches the mainland, but the WeChat accounts aimed there
        // draw a REACH finding of high severity (REACH-004): the row is at risk, not a gap.
        assert!(cn.reach_rules.iter().any(|(_, s)| *s >= Severity::Medium));
        assert!(!cn.unreachable());
        assert_eq!(cn.verdict(), Grade::Warn);
        assert_eq!(cn.level(MatrixCol::WeixinOfficial), Grade::Good);
        assert_eq!(cn.level(MatrixCol::Wechat), Grade::Warn);
        assert_eq!(cn.level(MatrixCol::Personal), Grade::Neutral);
        assert_eq!(cn.level(MatrixCol::Payments), Grade::Good);
    }

    #[test]
    fn a_market_reached_without_reach_findings_is_good() {
        let r = run(
            vec![
                with_audience(weixin_service("gh_cn"), &["CN"]),
                with_audience(personal("wxid_hk", "852"), &["HK"]),
            ],
            profile(&["CN", "HK"], &[]),
        );
        let m = matrix(&r);
        for r in &m.markets {
            assert!(r.reach_rules.is_empty(), "{r:?}");
            assert_eq!(r.verdict(), Grade::Good, "{}", r.market);
        }
        assert_eq!(
            row(&m.markets, "HK", None).level(MatrixCol::Personal),
            Grade::Neutral
        );
    }

    #[test]
    fn a_reach_001_finding_makes_the_brand_a_gap_and_its_market_at_risk() {
        let r = lotus_and_acme();
        let m = matrix(&r);
        let lotus = row(&m.brands, "CN", Some("Lotus"));
        assert!(lotus.unreachable());
        assert_eq!(
            lotus.reach_rules[0],
            ("REACH-001".into(), Severity::Critical)
        );
        assert!(lotus
            .reach_rules
            .iter()
            .all(|(id, _)| id.starts_with("REACH")));
        assert!(
            lotus.reach_rules.windows(2).all(|w| w[0].1 >= w[1].1),
            "most severe first"
        );
        assert_eq!(lotus.verdict(), Grade::Bad);
        assert_eq!(lotus.level(MatrixCol::WeixinOfficial), Grade::Bad);
        assert_eq!(lotus.level(MatrixCol::Wechat), Grade::Warn);
        assert_eq!(lotus.level(MatrixCol::Personal), Grade::Warn);
        let acme = row(&m.brands, "CN", Some("Acme"));
        assert!(!acme.unreachable());
        assert_eq!(acme.verdict(), Grade::Good);
        // The market row takes no finding of its own but counts the brand gap.
        let cn = row(&m.markets, "CN", None);
        assert!(!cn.unreachable());
        assert_eq!((cn.brands_unreachable, cn.brands_at_risk), (1, 0));
        assert_eq!(cn.verdict(), Grade::Warn);
        // Worst first: Lotus's gap before Acme, although A sorts before L.
        assert_eq!(m.brands[0].brand.as_deref(), Some("Lotus"));
        assert_eq!(m.brands[0].market, "CN");
        // Outside the mainland WeChat users find either platform; personal accounts are not
        // graded.
        let hk = row(&m.brands, "HK", Some("Lotus"));
        assert_eq!(hk.level(MatrixCol::Wechat), Grade::Good);
        assert_eq!(hk.level(MatrixCol::Personal), Grade::Neutral);
        assert_ne!(hk.verdict(), Grade::Bad);
    }

    #[test]
    fn a_gap_accepted_as_a_risk_is_still_a_gap() {
        let r = lotus_and_acme();
        let m = matrix_accepting(&r, &["REACH-001"]);
        let lotus = row(&m.brands, "CN", Some("Lotus"));
        assert_eq!(lotus.accepted_rules, ["REACH-001"]);
        assert!(!lotus.reach_rules.iter().any(|(id, _)| id == "REACH-001"));
        assert!(lotus.unreachable());
        assert_eq!(lotus.verdict(), Grade::Bad);
        assert_eq!(row(&m.markets, "CN", None).brands_unreachable, 1);
    }

    #[test]
    fn a_company_without_brands_has_its_gap_on_the_market_row() {
        let r = run(
            vec![with_audience(wechat_service("gh_intl"), &["CN"])],
            profile(&["CN"], &[]),
        );
        let m = matrix(&r);
        assert!(m.brands.is_empty());
        let cn = row(&m.markets, "CN", None);
        assert!(cn.unreachable());
        assert_eq!(cn.verdict(), Grade::Bad);
        assert_eq!(cn.level(MatrixCol::WeixinOfficial), Grade::Bad);
    }

    #[test]
    fn without_the_deciding_rule_the_mainland_has_no_verdict() {
        let r = lotus_and_acme();
        let mut findings = r.findings.clone();
        findings.retain(|f| f.rule_id != "REACH-001");
        let not_evaluated = [NotEvaluated {
            rule_id: "REACH-001".into(),
            missing_columns: vec![Column::Type],
            reason: None,
        }];
        let m = build(&Sources {
            targets: &r.profile.targets,
            accounts: &r.accounts,
            classifications: &r.classifications,
            findings: &findings,
            accepted: &[],
            not_evaluated: &not_evaluated,
            knowledge: r.rules.knowledge(),
        });
        for cn in m
            .markets
            .iter()
            .chain(&m.brands)
            .filter(|r| r.market == "CN")
        {
            assert_eq!(cn.not_evaluated.as_deref(), Some("REACH-001"));
            assert!(cn.is_not_evaluated());
            assert_eq!(cn.verdict(), Grade::Neutral);
            for c in MatrixCol::ALL {
                if c != MatrixCol::Payments {
                    assert_eq!(cn.level(c), Grade::Neutral, "{c:?}");
                }
            }
        }
        let hk = row(&m.markets, "HK", None);
        assert!(hk.not_evaluated.is_none() && !hk.is_not_evaluated());
        let k = r.rules.knowledge();
        assert_eq!(deciding_rule(k, "HK"), None);
        assert_eq!(deciding_rule(k, "CN"), Some("REACH-001"));
    }

    #[test]
    fn a_finding_for_a_market_nobody_targets_adds_its_row() {
        // Accounts aimed nowhere, no profile targets: REACH findings still name their market.
        let r = run(vec![wechat_service("gh_intl")], profile(&["CN"], &[]));
        let m = matrix(&r);
        let markets: Vec<&str> = m.markets.iter().map(|r| r.market.as_str()).collect();
        assert_eq!(markets, ["CN"]);
        let cn = row(&m.markets, "CN", None);
        assert_eq!(cn.accounts, 0);
        assert_eq!(cn.unreachable(), fired(&r, "REACH-001"));
    }
}
