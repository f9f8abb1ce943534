//! What the TUI derives once from a [`Report`] after a load: per-account finding counts and worst
//! severity, an index from accounts to their findings, row diagnostics by line, the reachability
//! matrix, facet values and column widths.
//!
//! It exists so that every frame and every filter can answer "what findings does this account
//! have" in O(1) instead of scanning millions of findings. It is built in the load job (never in
//! the input loop) and then shared read-only as `Arc<Data>` between the UI and background jobs.
//! Nothing here decides anything about the accounts: classification and findings come from the
//! pipeline, and the reachability matrix from the core ([`wxaudit_core::reachability`]), which counts
//! what the report says and takes REACH findings at their word — so the Summary and
//! `wxaudit audit` always agree on the same file.

use std::collections::{HashMap, HashSet};
use std::time::Duration;
use wxaudit_core::audit::Report;
use wxaudit_core::import::ColumnUse;
use wxaudit_core::model::{Column, Finding, Platform, Severity, Text};
use wxaudit_core::suppress::SuppressedFinding;

/// A reference to a finding in the TUI: `< findings.len()` is an active finding, anything above
/// is `suppressed[i - findings.len()]`.
pub type FRef = u32;

/// Meaning carried by a colour; always paired with a symbol or word on screen. The grades of
/// the reachability matrix, which the core computes ([`wxaudit_core::reachability`]).
pub use wxaudit_core::reachability::Grade as Level;
/// The reachability matrix, computed by the core ([`wxaudit_core::reachability`]); the TUI only
/// renders it.
pub use wxaudit_core::reachability::{MatrixCol, MatrixRow};

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
    pub summary: wxaudit_core::audit::Summary,
    /// Findings that are new since the baseline (0 without one).
    pub new_findings: usize,
    /// Sort ranks made on first use, kept for this load (see [`super::index`]).
    pub index: super::index::Index,
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
            .platform(i)
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
            .position(|a| a.id() == Some(label))
            .or_else(|| self.report.accounts.iter().position(|a| a.label() == label))
    }

    pub fn row_errors_for_line(
        &self,
        line: u64,
    ) -> impl Iterator<Item = &wxaudit_core::model::RowError> {
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
            // Only brand- and company-level findings (no account) go here: look at the brand
            // of those alone, not of millions of account findings.
            if f.account.is_some() {
                continue;
            }
            if let Some(b) = f.brand(&report.accounts) {
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
                // The store keeps each distinct brand and audience list once.
                let accounts = &report.accounts;
                let brands: HashSet<&str> = accounts.brands().iter().map(Text::as_str).collect();
                let markets: HashSet<&str> = accounts
                    .audiences()
                    .iter()
                    .flat_map(|l| l.iter().map(Text::as_str))
                    .collect();
                (brands, markets, accounts.filled_columns().0)
            },
            || build_matrix(&report),
        );
        // Rule ids are interned: collect the distinct numbers, then their texts. Findings come
        // grouped by rule, so only a change of rule is looked up (not 2.3 million hashes).
        let mut rule_ids: HashSet<wxaudit_core::model::Sym> = HashSet::new();
        let mut last = None;
        for f in all {
            if last != Some(f.rule_id) {
                rule_ids.insert(f.rule_id);
                last = Some(f.rule_id);
            }
        }
        let rules: HashSet<&str> = rule_ids.into_iter().map(|r| r.as_str()).collect();
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
                .filter(|f| f.baseline_state == Some(wxaudit_core::model::BaselineState::New))
                .count(),
            index: super::index::Index::default(),
            report,
        }
    }
}

/// The core's reachability matrix for the Summary: market rows, then at most
/// [`MAX_BRAND_ROWS`] brand rows (worst first), and how many brand rows were left out.
fn build_matrix(report: &Report) -> (Vec<MatrixRow>, usize) {
    let accepted: Vec<&Finding> = report.suppressed.iter().map(|s| &s.finding).collect();
    let m = wxaudit_core::reachability::build(&wxaudit_core::reachability::Sources {
        targets: &report.profile.targets,
        accounts: &report.accounts,
        classifications: &report.classifications,
        findings: &report.findings,
        accepted: &accepted,
        not_evaluated: &report.not_evaluated,
        knowledge: report.rules.knowledge(),
    });
    let (mut rows, mut brand_rows) = (m.markets, m.brands);
    let hidden = brand_rows.len().saturating_sub(MAX_BRAND_ROWS);
    brand_rows.truncate(MAX_BRAND_ROWS);
    rows.extend(brand_rows);
    (rows, hidden)
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
