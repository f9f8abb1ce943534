//! What the TUI derives once from a [`Report`] after a load: per-account finding counts and worst
//! severity, an index from accounts to their findings, row diagnostics by line, the reachability
//! matrix, facet values and column widths.
//!
//! It exists so that every frame and every filter can answer "what findings does this account
//! have" in O(1) instead of scanning millions of findings. It is built in the load job (never in
//! the input loop) and then shared read-only as `Arc<Data>` between the UI and background jobs.
//! Nothing here decides anything about the accounts: classification and findings come from the
//! pipeline; the matrix only counts what the report says and takes REACH findings at their word.
//! A row's verdict is the audit's: a gap only where a REACH finding says so, and "not evaluated"
//! where the REACH rule that decides the row is in `report.not_evaluated` — so the Summary and
//! `wxaudit audit` always agree on the same file.

use crate::audit::Report;
use crate::import::ColumnUse;
use crate::model::{AccountType, Column, Finding, Platform, Severity, Status, Text};
use crate::suppress::SuppressedFinding;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

/// A reference to a finding in the TUI: `< findings.len()` is an active finding, anything above
/// is `suppressed[i - findings.len()]`.
pub type FRef = u32;

/// Meaning carried by a colour; always paired with a symbol or word on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Bad,
    Warn,
    Good,
    Neutral,
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
}

/// The REACH rule whose finding decides whether a market's customers can find the accounts, if
/// one does. Only mainland China has one: REACH-001 (no active Weixin-platform official account
/// or mini program for it; domain.md §3). Elsewhere WeChat users can find accounts on either
/// platform and no REACH rule judges coverage (REACH-005 is a low-severity feature caveat), so
/// those rows are graded by their REACH findings alone.
pub fn deciding_rule(market: &str) -> Option<&'static str> {
    (market == MAINLAND).then_some("REACH-001")
}

const MAINLAND: &str = "CN";

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
        self.market == MAINLAND
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
        self.not_evaluated.is_some() && self.verdict() != Level::Bad
    }

    /// Order of the brand rows: gaps, risks, rows the audit could not judge, reached, the rest.
    fn rank(&self) -> u8 {
        match self.verdict() {
            Level::Bad => 0,
            Level::Warn => 1,
            _ if self.is_not_evaluated() => 2,
            Level::Good => 3,
            Level::Neutral => 4,
        }
    }

    /// How good a cell is for reaching this market (domain.md §3). Cells only grade what the
    /// audit's REACH findings say: a cell is a gap (✗) only when REACH-001 fired for the row.
    pub fn level(&self, c: MatrixCol) -> Level {
        let n = self.count(c);
        let some = if n > 0 { Level::Good } else { Level::Neutral };
        if c == MatrixCol::Payments {
            return some;
        }
        if !self.is_mainland() {
            // WeChat users can find official accounts on either platform and add personal ones.
            return if c == MatrixCol::Personal {
                Level::Neutral
            } else {
                some
            };
        }
        let gap = self.unreachable();
        if self.not_evaluated.is_some() && !gap {
            // Without the rule's columns the counts cannot be graded (no `type`: every official
            // account and mini program counts as 0).
            return Level::Neutral;
        }
        match c {
            MatrixCol::WeixinOfficial if gap => Level::Bad,
            MatrixCol::WeixinOfficial => some,
            // Weixin users cannot find WeChat-international official accounts.
            MatrixCol::Wechat if n > 0 => Level::Warn,
            // Personal accounts as the only cover are a gap (REACH-003).
            MatrixCol::Personal if n > 0 && gap => Level::Warn,
            _ => Level::Neutral,
        }
    }

    /// Overall verdict for the row, from the audit's REACH findings: a gap (Bad) when REACH-001
    /// (or another critical REACH rule) fired for it; no verdict (Neutral, shown as "not
    /// evaluated") when the deciding rule could not run; at risk (Warn) for REACH findings of
    /// medium severity or more, or brands with gaps or risks in a market row; otherwise reached
    /// (Good) when the counts show what reaches it (a Weixin-platform official account or mini
    /// program for mainland China, any account elsewhere), else Neutral.
    pub fn verdict(&self) -> Level {
        let worst_rule = self.reach_rules.iter().map(|(_, s)| *s).max();
        let reached = if self.is_mainland() {
            self.wx_official > 0
        } else {
            self.accounts > 0
        };
        if self.unreachable() || worst_rule == Some(Severity::Critical) {
            Level::Bad
        } else if self.not_evaluated.is_some() {
            Level::Neutral
        } else if worst_rule.is_some_and(|s| s >= Severity::Medium)
            || self.brands_unreachable > 0
            || self.brands_at_risk > 0
        {
            Level::Warn
        } else if reached {
            Level::Good
        } else {
            Level::Neutral
        }
    }
}

/// Everything the TUI needs from one load, immutable once built.
#[derive(Debug)]
pub struct Data {
    pub report: Report,
    /// Worst active finding severity per account.
    pub worst: Vec<Option<Severity>>,
    /// Active finding count per account.
    pub nfind: Vec<u32>,
    /// CSR index: findings (active and suppressed) of account `i` are
    /// `find_idx[find_off[i]..find_off[i + 1]]`.
    pub find_off: Vec<u32>,
    pub find_idx: Vec<FRef>,
    /// Findings about a whole brand (no account), by brand.
    pub brand_findings: HashMap<Text, Vec<FRef>>,
    /// Row diagnostics by input line.
    pub errors_by_line: HashMap<u64, Vec<u32>>,
    pub matrix: Vec<MatrixRow>,
    /// Brand rows left out of `matrix` (beyond [`MAX_BRAND_ROWS`]).
    pub matrix_hidden: usize,
    pub brands: Vec<Text>,
    pub markets: Vec<Text>,
    pub rules: Vec<Text>,
    /// Canonical columns with at least one value.
    pub present: Vec<Column>,
    /// How long import and audit took.
    pub load_time: Duration,
    /// The report's counts, computed once (the Summary draws them every frame).
    pub summary: crate::audit::Summary,
    /// Findings that are new since the baseline (0 without one).
    pub new_findings: usize,
}

impl Data {
    /// What the reading made of `header` (as the file writes it).
    pub fn column_use(&self, header: &str) -> Option<&ColumnUse> {
        self.report
            .input
            .columns
            .iter()
            .find(|u| u.header == header)
    }

    pub fn finding(&self, r: FRef) -> &Finding {
        let n = self.report.findings.len();
        let r = r as usize;
        if r < n {
            &self.report.findings[r]
        } else {
            &self.report.suppressed[r - n].finding
        }
    }

    pub fn suppression(&self, r: FRef) -> Option<&SuppressedFinding> {
        let n = self.report.findings.len();
        (r as usize)
            .checked_sub(n)
            .and_then(|i| self.report.suppressed.get(i))
    }

    pub fn finding_count(&self) -> usize {
        self.report.findings.len() + self.report.suppressed.len()
    }

    pub fn account_findings(&self, i: usize) -> &[FRef] {
        match (self.find_off.get(i), self.find_off.get(i + 1)) {
            (Some(&a), Some(&b)) => self.find_idx.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn platform(&self, i: usize) -> Platform {
        self.report
            .classifications
            .get(i)
            .map(|c| c.platform)
            .unwrap_or(Platform::Unknown)
    }

    /// Account index that a finding is about, if any.
    pub fn finding_account(&self, r: FRef) -> Option<usize> {
        let i = self.finding(r).account? as usize;
        (i < self.report.accounts.len()).then_some(i)
    }

    /// Index of the first account with this id (or label).
    pub fn find_account_by_label(&self, label: &str) -> Option<usize> {
        self.report
            .accounts
            .iter()
            .position(|a| a.id.as_deref() == Some(label))
            .or_else(|| self.report.accounts.iter().position(|a| a.label() == label))
    }

    pub fn row_errors_for_line(&self, line: u64) -> impl Iterator<Item = &crate::model::RowError> {
        self.errors_by_line
            .get(&line)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.report.row_errors.get(i as usize))
    }

    pub fn build(report: Report, load_time: Duration) -> Data {
        let n = report.accounts.len();
        let nf = report.findings.len();
        let mut worst = vec![None; n];
        let mut nfind = vec![0u32; n];
        let mut counts = vec![0u32; n + 1];
        let all = report
            .findings
            .iter()
            .chain(report.suppressed.iter().map(|s| &s.finding));
        for (k, f) in all.clone().enumerate() {
            if let Some(a) = f.account.map(|a| a as usize).filter(|&a| a < n) {
                counts[a] += 1;
                if k < nf {
                    nfind[a] += 1;
                    worst[a] = worst[a].max(Some(f.severity));
                }
            }
        }
        let mut find_off = Vec::with_capacity(n + 1);
        let mut acc = 0u32;
        for c in counts.iter().take(n) {
            find_off.push(acc);
            acc += c;
        }
        find_off.push(acc);
        let mut fill = find_off.clone();
        let mut find_idx = vec![0u32; acc as usize];
        for (k, f) in all.clone().enumerate() {
            if let Some(a) = f.account.map(|a| a as usize).filter(|&a| a < n) {
                find_idx[fill[a] as usize] = k as u32;
                fill[a] += 1;
            }
        }

        let mut brand_findings: HashMap<Text, Vec<FRef>> = HashMap::new();
        for (k, f) in all.clone().enumerate() {
            if let (None, Some(b)) = (f.account, f.brand(&report.accounts)) {
                brand_findings
                    .entry(Text::from(b))
                    .or_default()
                    .push(k as FRef);
            }
        }
        let mut errors_by_line: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, e) in report.row_errors.iter().enumerate() {
            errors_by_line.entry(e.line).or_default().push(i as u32);
        }

        // Facet values and the matrix are independent passes over the accounts: run them on
        // both cores.
        let ((brands, markets, present), (matrix, matrix_hidden)) = rayon::join(
            || {
                report
                    .accounts
                    .par_chunks(64 * 1024)
                    .map(|chunk| {
                        let mut brands: HashSet<&str> = HashSet::new();
                        let mut markets: HashSet<&str> = HashSet::new();
                        let mut present = 0u32;
                        let mut last_brand: Option<&str> = None;
                        for a in chunk {
                            if let Some(b) = a.brand.as_deref() {
                                if last_brand != Some(b) {
                                    brands.insert(b);
                                    last_brand = Some(b);
                                }
                            }
                            for m in &a.audience {
                                markets.insert(m.as_str());
                            }
                            present |= present_bits(a);
                        }
                        (brands, markets, present)
                    })
                    .reduce(
                        || (HashSet::new(), HashSet::new(), 0u32),
                        |mut x, y| {
                            x.0.extend(y.0);
                            x.1.extend(y.1);
                            (x.0, x.1, x.2 | y.2)
                        },
                    )
            },
            || build_matrix(&report),
        );
        let mut rules: HashSet<&str> = HashSet::new();
        for f in all {
            rules.insert(f.rule_id.as_str());
        }
        let sorted = |set: HashSet<&str>| {
            let mut v: Vec<Text> = set.into_iter().map(Text::from).collect();
            v.sort();
            v
        };
        let (brands, markets, rules) = (sorted(brands), sorted(markets), sorted(rules));
        let present = Column::ALL
            .into_iter()
            .filter(|c| present & c.bit() != 0)
            .collect();
        Data {
            worst,
            nfind,
            find_off,
            find_idx,
            brand_findings,
            errors_by_line,
            matrix,
            matrix_hidden,
            brands,
            markets,
            rules,
            present,
            load_time,
            summary: report.summary(),
            new_findings: report
                .findings
                .iter()
                .filter(|f| f.baseline_state == Some(crate::model::BaselineState::New))
                .count(),
            report,
        }
    }
}

fn present_bits(a: &crate::model::Account) -> u32 {
    let mut b = 0u32;
    let mut set = |c: Column, p: bool| {
        if p {
            b |= c.bit();
        }
    };
    set(Column::Id, a.id.is_some());
    set(Column::Name, a.name.is_some());
    set(Column::Type, a.account_type.is_some());
    set(Column::Platform, a.declared_platform.is_some());
    set(Column::Portal, a.portal.is_some());
    set(Column::Phone, a.phone.is_some());
    set(Column::EntityName, a.entity_name.is_some());
    set(Column::EntityType, a.entity_type.is_some());
    set(Column::EntityCountry, a.entity_country.is_some());
    set(Column::CreditCode, a.credit_code.is_some());
    set(Column::IcpFiling, a.icp_filing.is_some());
    set(Column::WalletCurrency, a.wallet_currency.is_some());
    set(Column::Verified, a.verified.is_some());
    set(Column::VerificationExpiry, a.verification_expiry.is_some());
    set(Column::Payments, a.payments.is_some());
    set(Column::MerchantId, a.merchant_id.is_some());
    set(Column::MerchantTrack, a.merchant_track.is_some());
    set(Column::MerchantEntity, a.merchant_entity.is_some());
    set(Column::Admin, a.admin.is_some());
    set(Column::AdminStatus, a.admin_status.is_some());
    set(Column::Operators, !a.operators.is_empty());
    set(Column::Audience, !a.audience.is_empty());
    set(Column::Features, !a.features.is_empty());
    set(Column::Brand, a.brand.is_some());
    set(Column::Status, a.status.is_some());
    set(Column::Followers, a.followers.is_some());
    set(Column::LastActive, a.last_active.is_some());
    set(Column::Notes, a.notes.is_some());
    set(Column::WechatId, a.wechat_id.is_some());
    set(Column::Terms, a.terms.is_some());
    set(Column::Email, a.email.is_some());
    for (c, _) in &a.raw {
        b |= c.bit();
    }
    b
}

/// Counts, per target market and per brand × market, what reaches it.
fn build_matrix(report: &Report) -> (Vec<MatrixRow>, usize) {
    let mut markets: Vec<Text> = Vec::new();
    for t in &report.profile.targets {
        let t = Text::from(t.trim().to_ascii_uppercase());
        if t != "GLOBAL" && !t.is_empty() && !markets.contains(&t) {
            markets.push(t);
        }
    }
    let mut extra = BTreeSet::new();
    for a in &report.accounts {
        for m in &a.audience {
            if m != "GLOBAL" && !markets.contains(m) {
                extra.insert(m.clone());
            }
        }
    }
    markets.extend(extra);
    // CN first: it is the market the flagship gap is about.
    markets.sort_by_key(|m| m != MAINLAND);

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
    };
    let mut by_market: Vec<MatrixRow> = markets.iter().map(|m| blank(m, None)).collect();
    let pos: HashMap<&str, usize> = markets
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    // Brand × market rows, indexed [brand * markets + market], filled as accounts are seen.
    let mut brand_ix: HashMap<&str, usize> = HashMap::new();
    let mut brand_names: Vec<&Text> = Vec::new();
    let mut grid: Vec<Option<MatrixRow>> = Vec::new();
    let nm = markets.len();

    let mut idx: Vec<usize> = Vec::new();
    for (i, a) in report.accounts.iter().enumerate() {
        if matches!(a.status, Some(Status::Closed | Status::Suspended)) {
            continue;
        }
        idx.clear();
        for m in &a.audience {
            if m == "GLOBAL" {
                idx.extend(0..nm);
            } else if let Some(&p) = pos.get(m.as_str()) {
                idx.push(p);
            }
        }
        if idx.is_empty() {
            continue;
        }
        idx.sort_unstable();
        idx.dedup();
        let platform = report
            .classifications
            .get(i)
            .map(|c| c.platform)
            .unwrap_or(Platform::Unknown);
        let ty = a.account_type;
        let official = ty.is_some_and(|t| t.is_official());
        let wx_off =
            platform == Platform::Weixin && (official || ty == Some(AccountType::MiniProgram));
        let add = |r: &mut MatrixRow| {
            r.accounts += 1;
            r.wx_official += wx_off as u64;
            r.wechat += (platform == Platform::Wechat) as u64;
            r.wechat_official += (platform == Platform::Wechat && official) as u64;
            r.personal += (ty == Some(AccountType::Personal)) as u64;
            r.payments += (a.payments == Some(true)) as u64;
        };
        let bi = a.brand.as_ref().map(|b| {
            *brand_ix.entry(b.as_str()).or_insert_with(|| {
                brand_names.push(b);
                grid.resize(grid.len() + nm, None);
                brand_names.len() - 1
            })
        });
        for &p in &idx {
            add(&mut by_market[p]);
            if let (Some(bi), Some(b)) = (bi, &a.brand) {
                let cell = &mut grid[bi * nm + p];
                let row = cell.get_or_insert_with(|| blank(&markets[p], Some(b.clone())));
                add(row);
            }
        }
    }
    let mut by_brand: std::collections::BTreeMap<(Text, Text), MatrixRow> = grid
        .into_iter()
        .flatten()
        .map(|r| ((r.brand.clone().unwrap_or_default(), r.market.clone()), r))
        .collect();
    let active = report.findings.iter().map(|f| (f, false));
    let accepted = report.suppressed.iter().map(|s| (&s.finding, true));
    for (f, is_accepted) in active.chain(accepted) {
        if !f.rule_id.starts_with("REACH") {
            continue;
        }
        let Some(m) = &f.market else { continue };
        let row = match f.brand(&report.accounts).map(Text::from) {
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
            if !row.accepted_rules.contains(&f.rule_id) {
                row.accepted_rules.push(f.rule_id.clone());
            }
        } else if !row.reach_rules.iter().any(|(r, _)| *r == f.rule_id) {
            row.reach_rules.push((f.rule_id.clone(), f.severity));
        }
    }
    let mut brand_rows: Vec<MatrixRow> = by_brand.into_values().collect();
    // Rows whose deciding rule the audit could not run: the same list `wxaudit audit` prints.
    for r in by_market.iter_mut().chain(brand_rows.iter_mut()) {
        r.not_evaluated = deciding_rule(&r.market)
            .filter(|id| report.not_evaluated.iter().any(|n| n.rule_id == *id))
            .map(Text::from);
    }
    for b in &brand_rows {
        let v = b.verdict();
        if let Some(m) = by_market.iter_mut().find(|r| r.market == b.market) {
            match v {
                Level::Bad => m.brands_unreachable += 1,
                Level::Warn => m.brands_at_risk += 1,
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
            .then_with(|| (a.market != MAINLAND).cmp(&(b.market != MAINLAND)))
            .then_with(|| a.brand.cmp(&b.brand))
            .then_with(|| a.market.cmp(&b.market))
    });
    let hidden = brand_rows.len().saturating_sub(MAX_BRAND_ROWS);
    brand_rows.truncate(MAX_BRAND_ROWS);
    by_market.extend(brand_rows);
    (by_market, hidden)
}

/// Brand × market rows shown at most (worst first); the rest are reachable through the brand
/// and market filters. Keeps the Summary quick to draw for inventories with thousands of brands.
pub const MAX_BRAND_ROWS: usize = 400;

/// English name of a market code, for the matrix.
pub fn market_name(code: &str) -> &'static str {
    match code {
        "CN" => "mainland China",
        "HK" => "Hong Kong",
        "MO" => "Macau",
        "TW" => "Taiwan",
        "US" => "United States",
        "GB" => "United Kingdom",
        "SG" => "Singapore",
        "MY" => "Malaysia",
        "DE" => "Germany",
        "FR" => "France",
        "JP" => "Japan",
        "KR" => "South Korea",
        "AU" => "Australia",
        "CA" => "Canada",
        "TH" => "Thailand",
        "ID" => "Indonesia",
        "VN" => "Vietnam",
        "PH" => "Philippines",
        "AE" => "UAE",
        "GLOBAL" => "all markets",
        _ => "",
    }
}
