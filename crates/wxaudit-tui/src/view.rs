//! The pure table model: which columns exist, what text a cell shows, how rows are filtered and
//! sorted into a `Vec<u32>` view index, and the viewport (selection + scroll offset) over it.
//!
//! Kept apart from drawing (like csvlens' `view.rs`) so that filtering, sorting, searching and
//! scrolling are testable without a terminal and can run in background jobs over a million rows.
//! Only the rows inside the viewport are ever turned into text for a frame; the same cell
//! functions feed the CSV export, so an export is exactly what the screen shows.

use super::data::{Data, FRef};
use super::index::{account_text_fields, finding_own_fields};
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering as AtomicOrdering};
use std::sync::Arc;
use wxaudit_core::accounts::AccountRef;
use wxaudit_core::model::{AccountType, Column, Platform, Severity, Text};

/// Which table a view is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    Accounts,
    Findings,
}

/// A table column (accounts and findings share the enum so sorting and hiding work the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Col {
    Id,
    Name,
    Type,
    /// Platform as classified.
    Platform,
    Confidence,
    Brand,
    Audience,
    Worst,
    NFind,
    /// Any other canonical column (`Column::Platform` here is the declared platform).
    Field(Column),
    /// An unrecognised column of the input, by position in `Report::extra_columns`.
    Extra(u16),
    Line,
    // Findings table.
    Severity,
    Rule,
    Account,
    AccName,
    Market,
    Message,
    Advice,
    Evidence,
    State,
}

/// Columns of the findings table, in display order.
pub const FINDING_COLUMNS: [Col; 10] = [
    Col::Severity,
    Col::Rule,
    Col::Account,
    Col::AccName,
    Col::Brand,
    Col::Market,
    Col::Message,
    Col::Advice,
    Col::Evidence,
    Col::State,
];

impl Col {
    pub fn header(self, data: Option<&Data>) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Col::Id => "id",
            Col::Name => "name",
            Col::Type => "type",
            Col::Platform => "platform",
            Col::Confidence => "confidence",
            Col::Brand => "brand",
            Col::Audience => "audience",
            Col::Worst => "worst",
            Col::NFind => "findings",
            Col::Field(Column::Platform) => "declared platform",
            Col::Field(c) => c.as_str(),
            Col::Extra(i) => {
                return Cow::Owned(
                    data.and_then(|d| d.report.extra_columns.get(i as usize))
                        .map(|h| format!("{h} (extra)"))
                        .unwrap_or_else(|| "extra".into()),
                )
            }
            Col::Line => "line",
            Col::Severity => "severity",
            Col::Rule => "rule",
            Col::Account => "account",
            Col::AccName => "name",
            Col::Market => "market",
            Col::Message => "what is wrong",
            Col::Advice => "fix",
            Col::Evidence => "evidence",
            Col::State => "state",
        })
    }

    /// Widest a column is drawn (cells are cut with `…` beyond it).
    pub fn max_width(self) -> u16 {
        match self {
            Col::Id | Col::Account => 20,
            Col::Name | Col::AccName => 24,
            Col::Type => 12,
            Col::Platform => 8,
            Col::Confidence => 10,
            Col::Worst => 10,
            Col::NFind => 8,
            Col::Severity => 10,
            Col::Rule => 9,
            Col::Market => 6,
            Col::Message => 60,
            Col::Advice => 60,
            Col::Line => 7,
            _ => 28,
        }
    }

    pub fn min_width(self) -> u16 {
        match self {
            Col::Id | Col::Account => 8,
            Col::Name | Col::AccName => 8,
            _ => 4,
        }
    }

    /// Columns compared as numbers or dates sort descending first.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Col::NFind
                | Col::Worst
                | Col::Severity
                | Col::Line
                | Col::Confidence
                | Col::Field(Column::Followers)
        )
    }
}

/// Accounts columns available for this data, in display order (id and name first: they are
/// frozen on the left).
pub fn account_columns(d: &Data) -> Vec<Col> {
    let mut v = vec![
        Col::Id,
        Col::Name,
        Col::Type,
        Col::Platform,
        Col::Confidence,
        Col::Brand,
        Col::Audience,
        Col::Worst,
        Col::NFind,
    ];
    for c in Column::ALL {
        if matches!(
            c,
            Column::Id | Column::Name | Column::Type | Column::Brand | Column::Audience
        ) {
            continue;
        }
        v.push(Col::Field(c));
    }
    for i in 0..d.report.extra_columns.len().min(u16::MAX as usize) {
        v.push(Col::Extra(i as u16));
    }
    v.push(Col::Line);
    v
}

/// Columns hidden until asked for: canonical columns the inventory does not have.
pub fn default_hidden(d: &Data) -> Vec<Col> {
    Column::ALL
        .into_iter()
        .filter(|c| !d.present.contains(c))
        .filter(|c| {
            !matches!(
                c,
                Column::Id | Column::Name | Column::Type | Column::Brand | Column::Audience
            )
        })
        .map(Col::Field)
        .collect()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn join(v: &[Text]) -> Cow<'_, str> {
    match v {
        [] => Cow::Borrowed(""),
        [one] => Cow::Borrowed(one.as_str()),
        _ => Cow::Owned(v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
    }
}

/// The normalised value of a canonical column, as text ("" when absent).
pub fn field_text<'a>(a: &AccountRef<'a>, c: Column) -> Cow<'a, str> {
    fn opt(o: Option<&str>) -> Cow<'_, str> {
        Cow::Borrowed(o.unwrap_or(""))
    }
    match c {
        Column::Id => opt(a.id()),
        Column::Name => opt(a.name()),
        Column::Type => Cow::Borrowed(a.account_type().map(|t| t.as_str()).unwrap_or("")),
        Column::Platform => Cow::Borrowed(a.declared_platform().map(|p| p.label()).unwrap_or("")),
        Column::Portal => opt(a.portal()),
        Column::Phone => match a.phone() {
            Some(p) => match p.country_code {
                Some(cc) => Cow::Owned(format!("+{cc} {}", p.number)),
                None => Cow::Borrowed(p.number),
            },
            None => Cow::Borrowed(""),
        },
        Column::EntityName => opt(a.entity_name()),
        Column::EntityType => match (a.entity_type(), a.entity_overseas()) {
            (Some(t), true) => Cow::Owned(format!("{} (overseas)", t.as_str())),
            (Some(t), false) => Cow::Borrowed(t.as_str()),
            (None, true) => Cow::Borrowed("overseas"),
            (None, false) => Cow::Borrowed(""),
        },
        Column::EntityCountry => {
            Cow::Borrowed(a.entity_country().map(|c| c.display()).unwrap_or(""))
        }
        Column::CreditCode => opt(a.credit_code()),
        Column::IcpFiling => opt(a.icp_filing()),
        Column::WalletCurrency => opt(a.wallet_currency()),
        Column::Verified => Cow::Borrowed(a.verified().map(yes_no).unwrap_or("")),
        Column::VerificationExpiry => a
            .verification_expiry()
            .map(|d| Cow::Owned(d.to_string()))
            .unwrap_or(Cow::Borrowed("")),
        Column::Payments => Cow::Borrowed(a.payments().map(yes_no).unwrap_or("")),
        Column::MerchantId => opt(a.merchant_id()),
        Column::MerchantTrack => {
            Cow::Borrowed(a.merchant_track().map(|t| t.as_str()).unwrap_or(""))
        }
        Column::MerchantEntity => opt(a.merchant_entity()),
        Column::Admin => opt(a.admin()),
        Column::AdminStatus => Cow::Borrowed(a.admin_status().map(|t| t.as_str()).unwrap_or("")),
        Column::Operators => join(a.operators()),
        Column::Audience => join(a.audience()),
        Column::Features => join(a.features()),
        Column::Brand => opt(a.brand()),
        Column::Status => Cow::Borrowed(a.status().map(|t| t.as_str()).unwrap_or("")),
        Column::Followers => a
            .followers()
            .map(|d| Cow::Owned(d.to_string()))
            .unwrap_or(Cow::Borrowed("")),
        Column::LastActive => a
            .last_active()
            .map(|d| Cow::Owned(d.to_string()))
            .unwrap_or(Cow::Borrowed("")),
        Column::Notes => opt(a.notes()),
        Column::WechatId => opt(a.wechat_id()),
        Column::Terms => Cow::Borrowed(a.terms().map(|p| p.label()).unwrap_or("")),
        Column::Email => opt(a.email()),
    }
}

/// Text of an accounts-table cell.
pub fn account_cell(d: &Data, i: usize, col: Col) -> Cow<'_, str> {
    let Some(a) = d.report.accounts.get(i) else {
        return Cow::Borrowed("");
    };
    match col {
        Col::Id => Cow::Borrowed(a.id().unwrap_or("")),
        Col::Name => Cow::Borrowed(a.name().unwrap_or("")),
        Col::Type => field_text(&a, Column::Type),
        Col::Platform => Cow::Borrowed(d.platform(i).label()),
        Col::Confidence => Cow::Borrowed(
            d.report
                .classifications
                .confidence(i)
                .map_or("", |c| c.as_str()),
        ),
        Col::Brand => field_text(&a, Column::Brand),
        Col::Audience => field_text(&a, Column::Audience),
        Col::Worst => Cow::Borrowed(
            d.worst
                .get(i)
                .copied()
                .flatten()
                .map(|s| s.as_str())
                .unwrap_or("none"),
        ),
        Col::NFind => Cow::Owned(d.nfind.get(i).copied().unwrap_or(0).to_string()),
        Col::Field(c) => field_text(&a, c),
        Col::Extra(k) => {
            let Some(h) = d.report.extra_columns.get(k as usize) else {
                return Cow::Borrowed("");
            };
            Cow::Borrowed(
                a.extra()
                    .iter()
                    .find(|(n, _)| n == h)
                    .map(|(_, v)| v)
                    .unwrap_or(""),
            )
        }
        Col::Line => Cow::Owned(a.line().to_string()),
        _ => Cow::Borrowed(""),
    }
}

/// Text of a findings-table cell.
pub fn finding_cell(d: &Data, r: FRef, col: Col) -> Cow<'_, str> {
    let f = d.finding(r);
    match col {
        Col::Severity => Cow::Borrowed(f.severity.as_str()),
        Col::Rule => Cow::Borrowed(f.rule_id.as_str()),
        Col::Account => Cow::Borrowed(f.account_id(&d.report.accounts).unwrap_or("")),
        Col::AccName => Cow::Borrowed(f.account_name(&d.report.accounts).unwrap_or("")),
        Col::Brand => match (f.brand(&d.report.accounts), d.finding_account(r)) {
            (Some(b), _) => Cow::Borrowed(b),
            (None, Some(a)) => Cow::Borrowed(d.report.accounts.brand(a).unwrap_or("")),
            _ => Cow::Borrowed(""),
        },
        Col::Market => Cow::Borrowed(f.market.as_deref().unwrap_or("")),
        Col::Message => d.report.message(f),
        Col::Advice => Cow::Borrowed(d.report.advice(f)),
        Col::Evidence => Cow::Owned(d.report.text(f).evidence_line()),
        Col::State => match (d.suppression(r), f.baseline_state) {
            (Some(s), _) => Cow::Owned(format!("suppressed: {}", s.reason)),
            (None, Some(wxaudit_core::model::BaselineState::New)) => Cow::Borrowed("active, new"),
            (None, Some(wxaudit_core::model::BaselineState::Unchanged)) => {
                Cow::Borrowed("active, unchanged")
            }
            (None, None) => Cow::Borrowed("active"),
        },
        _ => Cow::Borrowed(""),
    }
}

/// The narrowing applied to both tables: fuzzy text plus facets. Empty = everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    pub platform: Option<Platform>,
    pub account_type: Option<AccountType>,
    /// At least this severity (worst finding for accounts, the finding's own for findings).
    pub min_severity: Option<Severity>,
    pub brand: Option<Text>,
    /// Audience market (accounts aimed at it, or at GLOBAL; findings about it).
    pub market: Option<Text>,
    pub rule: Option<Text>,
}

/// One facet, for setting from the palette or the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facet {
    Platform(Option<Platform>),
    Type(Option<AccountType>),
    Severity(Option<Severity>),
    Brand(Option<Text>),
    Market(Option<Text>),
    Rule(Option<Text>),
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    pub fn set(&mut self, f: Facet) {
        match f {
            Facet::Platform(v) => self.platform = v,
            Facet::Type(v) => self.account_type = v,
            Facet::Severity(v) => self.min_severity = v,
            Facet::Brand(v) => self.brand = v,
            Facet::Market(v) => self.market = v,
            Facet::Rule(v) => self.rule = v,
        }
    }

    /// Short description for the status bar, e.g. `"tea" sev≥high brand=阿克米茶饮`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.text.is_empty() {
            parts.push(format!("\"{}\"", self.text));
        }
        if let Some(s) = self.min_severity {
            if s == Severity::Critical {
                parts.push("severity=critical".to_string());
            } else {
                parts.push(format!("severity≥{s}"));
            }
        }
        if let Some(p) = self.platform {
            parts.push(format!("platform={}", p.label()));
        }
        if let Some(t) = self.account_type {
            parts.push(format!("type={t}"));
        }
        if let Some(b) = &self.brand {
            parts.push(format!("brand={b}"));
        }
        if let Some(m) = &self.market {
            parts.push(format!("market={m}"));
        }
        if let Some(r) = &self.rule {
            parts.push(format!("rule={r}"));
        }
        parts.join(" ")
    }
}

/// A sort: column and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub col: Col,
    pub desc: bool,
}

/// A cancellation token: the job is stale once the shared generation moves past `mine`.
#[derive(Debug, Clone)]
pub struct Cancel {
    pub current: Arc<AtomicU64>,
    pub mine: u64,
}

impl Cancel {
    pub fn never() -> Cancel {
        Cancel {
            current: Arc::new(AtomicU64::new(0)),
            mine: 0,
        }
    }
    pub fn is_cancelled(&self) -> bool {
        self.current.load(AtomicOrdering::Relaxed) != self.mine
    }
}

/// Fuzzy matcher for the search and the text filter (over id, name, entity, brand).
pub struct Fuzzy {
    atom: Atom,
    /// Rules out most fields without running the matcher (see [`super::index::Subsequence`]).
    pre: super::index::Subsequence,
    matcher: Matcher,
    buf: Vec<char>,
    pub idx: Vec<u32>,
}

impl Fuzzy {
    pub fn new(query: &str) -> Fuzzy {
        Fuzzy {
            atom: Atom::new(
                query.trim(),
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
                false,
            ),
            pre: super::index::Subsequence::new(query.trim()),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
            idx: Vec::new(),
        }
    }

    pub fn matches(&mut self, s: &str) -> bool {
        !s.is_empty()
            && !self.pre.rules_out(s)
            && self
                .atom
                .score(Utf32Str::new(s, &mut self.buf), &mut self.matcher)
                .is_some()
    }

    pub fn score(&mut self, s: &str) -> Option<u16> {
        self.atom
            .score(Utf32Str::new(s, &mut self.buf), &mut self.matcher)
    }

    /// Char positions in `s` that match, sorted (empty when none).
    pub fn indices(&mut self, s: &str) -> &[u32] {
        self.idx.clear();
        if !s.is_empty()
            && self
                .atom
                .indices(
                    Utf32Str::new(s, &mut self.buf),
                    &mut self.matcher,
                    &mut self.idx,
                )
                .is_some()
        {
            self.idx.sort_unstable();
            self.idx.dedup();
        } else {
            self.idx.clear();
        }
        &self.idx
    }

    pub fn account_matches(&mut self, a: &AccountRef) -> bool {
        account_text_fields(a)
            .into_iter()
            .any(|v| v.is_some_and(|s| self.matches(s)))
    }

    /// [`Fuzzy::finding_matches`], with the finding's account looked up in (or added to)
    /// `memo` (one byte per account: 0 not tried, 1 no match, 2 a match).
    pub fn finding_matches_memo(&mut self, d: &Data, r: FRef, memo: &[AtomicU8]) -> bool {
        let acc = d.finding_account(r);
        if let Some(a) = acc {
            let hit = match memo.get(a).map(|m| m.load(AtomicOrdering::Relaxed)) {
                Some(2) => true,
                Some(1) => false,
                _ => {
                    let hit = self.account_matches(&d.report.accounts.at(a));
                    if let Some(m) = memo.get(a) {
                        m.store(if hit { 2 } else { 1 }, AtomicOrdering::Relaxed);
                    }
                    hit
                }
            };
            if hit {
                return true;
            }
        }
        finding_own_fields(d.finding(r), &d.report.accounts, acc.is_some())
            .into_iter()
            .any(|v| v.is_some_and(|s| self.matches(s)))
    }

    pub fn finding_matches(&mut self, d: &Data, r: FRef) -> bool {
        let f = d.finding(r);
        let accounts = &d.report.accounts;
        if [
            f.account_id(accounts),
            f.account_name(accounts),
            f.brand(accounts),
        ]
        .into_iter()
        .any(|v| v.is_some_and(|s| self.matches(s)))
            || self.matches(&f.rule_id)
        {
            return true;
        }
        match d.finding_account(r) {
            Some(a) => self.account_matches(&d.report.accounts.at(a)),
            None => false,
        }
    }
}

/// The filter's text: every whitespace-separated term must occur (ASCII case-insensitive) in
/// one of id, name, entity, brand. A plain substring test, not fuzzy: a filter should keep what
/// it says and be fast over a million rows; the fuzzy matcher is for `/` search, which only
/// scans until the next hit.
pub struct Substr {
    terms: Vec<Vec<u8>>,
}

impl Substr {
    pub fn new(text: &str) -> Substr {
        Substr {
            terms: text
                .split_whitespace()
                .map(|t| t.as_bytes().to_ascii_lowercase())
                .collect(),
        }
    }

    fn contains(hay: &str, needle: &[u8]) -> bool {
        let h = hay.as_bytes();
        if needle.is_empty() {
            return true;
        }
        if h.len() < needle.len() {
            return false;
        }
        let first = needle[0];
        (0..=h.len() - needle.len()).any(|i| {
            h[i].to_ascii_lowercase() == first
                && h[i..i + needle.len()]
                    .iter()
                    .zip(needle)
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
    }

    fn fields_match(&self, fields: &[Option<&str>]) -> bool {
        self.terms.iter().all(|t| {
            fields
                .iter()
                .any(|f| f.is_some_and(|s| Substr::contains(s, t)))
        })
    }

    pub fn account_matches(&self, a: &AccountRef) -> bool {
        self.fields_match(&account_text_fields(a))
    }

    pub fn finding_matches(&self, d: &Data, r: FRef) -> bool {
        let f = d.finding(r);
        let acc = d.finding_account(r).map(|a| d.report.accounts.at(a));
        self.fields_match(&[
            f.account_id(&d.report.accounts),
            f.account_name(&d.report.accounts),
            f.brand(&d.report.accounts),
            Some(f.rule_id.as_str()),
            acc.and_then(|a| a.entity_name()),
            acc.and_then(|a| a.brand()),
        ])
    }
}

/// Whether a column's cells are searched (and so highlighted).
pub fn searched(col: Col) -> bool {
    matches!(
        col,
        Col::Id
            | Col::Name
            | Col::Brand
            | Col::Field(Column::EntityName)
            | Col::Account
            | Col::AccName
            | Col::Rule
    )
}

// The facet tests read the store column by column: building a whole account view (35 columns,
// each an array of its own) per row cost 1.2–1.8 s per facet key press at 2.3 million findings.
/// The row-by-row account filter the tests hold [`compute`] to.
#[cfg(test)]
pub(super) fn account_passes(d: &Data, i: usize, f: &Filter) -> bool {
    account_facets_pass(d, i, f) && f.rule.as_ref().is_none_or(|r| account_has_rule(d, i, r))
}

/// Whether account `i` has an active finding of rule `r`.
#[cfg(test)]
fn account_has_rule(d: &Data, i: usize, r: &Text) -> bool {
    let n = d.report.findings.len() as u32;
    d.account_findings(i)
        .iter()
        .any(|&k| k < n && d.finding(k).rule_id == *r)
}

/// Per account: whether it has an active finding of rule `r` ([`account_has_rule`] of every
/// account), from one pass over the findings in order. Looking each account's findings up
/// instead costs a cache miss per finding (~0.1 s at 2.3 million findings).
fn accounts_with_rule(d: &Data, r: &Text) -> Vec<bool> {
    let mut with = vec![false; d.report.accounts.len()];
    // Findings come grouped by rule: compare the text only where the rule changes.
    let mut last: Option<(wxaudit_core::model::Sym, bool)> = None;
    for f in &d.report.findings {
        let hit = match last {
            Some((id, hit)) if id == f.rule_id => hit,
            _ => {
                let hit = f.rule_id == *r;
                last = Some((f.rule_id, hit));
                hit
            }
        };
        if let Some(a) = f.account.filter(|_| hit) {
            if let Some(w) = with.get_mut(a as usize) {
                *w = true;
            }
        }
    }
    with
}

/// [`account_passes`] but for the rule facet.
fn account_facets_pass(d: &Data, i: usize, f: &Filter) -> bool {
    let acc = &d.report.accounts;
    if let Some(p) = f.platform {
        if d.platform(i) != p {
            return false;
        }
    }
    if let Some(t) = f.account_type {
        if acc.account_type(i) != Some(t) {
            return false;
        }
    }
    if let Some(s) = f.min_severity {
        if d.worst.get(i).copied().flatten().is_none_or(|w| w < s) {
            return false;
        }
    }
    if let Some(b) = &f.brand {
        if acc.brand(i) != Some(b.as_str()) {
            return false;
        }
    }
    if let Some(m) = &f.market {
        if !acc.audience(i).iter().any(|x| x == m || x == "GLOBAL") {
            return false;
        }
    }
    true
}

pub(super) fn finding_passes(d: &Data, r: FRef, f: &Filter) -> bool {
    let fi = d.finding(r);
    let acc = d.finding_account(r);
    let accounts = &d.report.accounts;
    if let Some(p) = f.platform {
        if acc.is_none_or(|a| d.platform(a) != p) {
            return false;
        }
    }
    if let Some(t) = f.account_type {
        if acc.is_none_or(|a| accounts.account_type(a) != Some(t)) {
            return false;
        }
    }
    if let Some(s) = f.min_severity {
        if fi.severity < s {
            return false;
        }
    }
    if let Some(rule) = &f.rule {
        if fi.rule_id != *rule {
            return false;
        }
    }
    if let Some(b) = &f.brand {
        let fb = fi
            .brand(accounts)
            .or_else(|| acc.and_then(|a| accounts.brand(a)));
        if fb != Some(b.as_str()) {
            return false;
        }
    }
    if let Some(m) = &f.market {
        let ok = match (&fi.market, acc) {
            (Some(fm), _) => fm == m,
            (None, Some(a)) => accounts.audience(a).iter().any(|x| x == m || x == "GLOBAL"),
            (None, None) => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

const CHUNK: usize = 32 * 1024;

/// The text part of a filter: the per-account matcher of [`super::index`], or the plain
/// [`Substr`] for a filter with more terms than it takes.
enum TextPart {
    None,
    Indexed(super::index::TextFilter),
    Plain(Substr),
}

/// Filters and sorts one table. `None` when cancelled.
pub fn compute(
    d: &Data,
    table: TableKind,
    filter: &Filter,
    sort: Option<Sort>,
    cancel: &Cancel,
) -> Option<Vec<u32>> {
    let n = match table {
        TableKind::Accounts => d.report.accounts.len(),
        TableKind::Findings => d.finding_count(),
    };
    let mut view: Vec<u32> = if filter.is_empty() {
        (0..n as u32).collect()
    } else {
        let text = if filter.text.trim().is_empty() {
            TextPart::None
        } else {
            match super::index::TextFilter::new(d, &filter.text) {
                Some(t) => TextPart::Indexed(t),
                None => TextPart::Plain(Substr::new(&filter.text)),
            }
        };
        if cancel.is_cancelled() {
            return None;
        }
        // The rows worth trying: all of them, or only those the text filter can keep.
        let candidates = match (&text, table) {
            (TextPart::Indexed(t), TableKind::Findings) => t.finding_candidates(d),
            _ => None,
        };
        let rows = |lo: usize, hi: usize| -> Box<dyn Iterator<Item = usize> + '_> {
            match &candidates {
                Some(c) => Box::new(c[lo..hi].iter().map(|&r| r as usize)),
                None => Box::new(lo..hi),
            }
        };
        // The accounts the rule facet keeps, worked out once for the whole table.
        let with_rule = match (&filter.rule, table) {
            (Some(r), TableKind::Accounts) => Some(accounts_with_rule(d, r)),
            _ => None,
        };
        let m = candidates.as_ref().map_or(n, Vec::len);
        let chunks: Vec<Option<Vec<u32>>> = (0..m.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                if cancel.is_cancelled() {
                    return None;
                }
                let mut scratch = super::index::Scratch::default();
                let lo = c * CHUNK;
                let hi = (lo + CHUNK).min(m);
                let mut out = Vec::new();
                for i in rows(lo, hi) {
                    let ok = match table {
                        TableKind::Accounts => {
                            account_facets_pass(d, i, filter)
                                && with_rule.as_ref().is_none_or(|w| w[i])
                                && match &text {
                                    TextPart::None => true,
                                    TextPart::Indexed(t) => t.account_matches(i),
                                    TextPart::Plain(z) => {
                                        z.account_matches(&d.report.accounts.at(i))
                                    }
                                }
                        }
                        TableKind::Findings => {
                            finding_passes(d, i as u32, filter)
                                && match &text {
                                    TextPart::None => true,
                                    TextPart::Indexed(t) => {
                                        t.finding_matches(d, i as u32, &mut scratch)
                                    }
                                    TextPart::Plain(z) => z.finding_matches(d, i as u32),
                                }
                        }
                    };
                    if ok {
                        out.push(i as u32);
                    }
                }
                Some(out)
            })
            .collect();
        let mut v = Vec::with_capacity(chunks.iter().flatten().map(Vec::len).sum());
        for c in chunks {
            v.extend(c?);
        }
        v
    };
    if cancel.is_cancelled() {
        return None;
    }
    if let Some(s) = sort {
        // Every row's rank in this column, made once per load (later sorts are a counting sort
        // of the view; the ranks are
        // made by the warm-up after the load, or by the first sort that gets there first; a
        // sort that finds them being made waits for them). A superseded sort stops making them.
        let ranks = d.index.ranks(d, table, s.col, &|| cancel.is_cancelled())?;
        if cancel.is_cancelled() {
            return None;
        }
        super::index::sort_by_rank(&mut view, &ranks, s.desc);
    }
    (!cancel.is_cancelled()).then_some(view)
}

/// Missing values sort after present ones in either direction would need two comparators; here
/// they simply compare lowest, which is what spreadsheets do.
pub(super) fn cmp_accounts(d: &Data, a: usize, b: usize, col: Col) -> Ordering {
    let (x, y) = (&d.report.accounts.at(a), &d.report.accounts.at(b));
    match col {
        Col::Worst => d.worst[a].cmp(&d.worst[b]),
        Col::NFind => d.nfind[a].cmp(&d.nfind[b]),
        Col::Line => x.line().cmp(&y.line()),
        Col::Platform => d.platform(a).cmp(&d.platform(b)),
        Col::Confidence => {
            let c = |i: usize| d.report.classifications.confidence(i);
            c(a).cmp(&c(b))
        }
        Col::Type | Col::Field(Column::Type) => x.account_type().cmp(&y.account_type()),
        Col::Field(Column::Followers) => x.followers().cmp(&y.followers()),
        Col::Field(Column::LastActive) => x.last_active().cmp(&y.last_active()),
        Col::Field(Column::VerificationExpiry) => {
            x.verification_expiry().cmp(&y.verification_expiry())
        }
        Col::Id => x.id().cmp(&y.id()),
        Col::Name => x.name().cmp(&y.name()),
        Col::Brand => x.brand().cmp(&y.brand()),
        Col::Audience => x.audience().cmp(y.audience()),
        _ => account_cell(d, a, col).cmp(&account_cell(d, b, col)),
    }
}

pub(super) fn cmp_findings(d: &Data, a: FRef, b: FRef, col: Col) -> Ordering {
    let (x, y) = (d.finding(a), d.finding(b));
    match col {
        // Active before suppressed, then severity, then rule (reversed so that "descending"
        // reads most severe first and rules A→Z).
        Col::Severity => d
            .suppression(b)
            .is_some()
            .cmp(&d.suppression(a).is_some())
            .then(x.severity.cmp(&y.severity))
            // Findings about a whole brand or the company before single accounts.
            .then(x.account.is_none().cmp(&y.account.is_none()))
            .then_with(|| y.rule_id.cmp(&x.rule_id)),
        Col::Rule => x.rule_id.cmp(&y.rule_id),
        Col::Account => {
            let acc = &d.report.accounts;
            x.account_id(acc).cmp(&y.account_id(acc))
        }
        Col::AccName => {
            let acc = &d.report.accounts;
            x.account_name(acc).cmp(&y.account_name(acc))
        }
        Col::Message => d.report.message(x).cmp(&d.report.message(y)),
        _ => finding_cell(d, a, col).cmp(&finding_cell(d, b, col)),
    }
}

/// Finds the next (or previous) row of `view` after `from` whose searched fields match `query`,
/// wrapping around. `None` when nothing matches.
///
/// The rows are tried in blocks on every core, in search order (the first block with a hit
/// wins), and an account's own fields are matched at most once per search however many of its
/// findings are tried (see [`super::index`]).
#[allow(clippy::too_many_arguments)] // a plain call site beats a one-use struct
pub fn search(
    d: &Data,
    table: TableKind,
    view: &[u32],
    query: &str,
    from: usize,
    forward: bool,
    include_from: bool,
    cancel: &Cancel,
) -> Option<usize> {
    let n = view.len();
    if n == 0 || query.trim().is_empty() {
        return None;
    }
    let start = if include_from { 0 } else { 1 };
    let pos = |k: usize| {
        if forward {
            (from + k) % n
        } else {
            (from + n * 2 - k) % n
        }
    };
    // Per account: 0 not tried yet, 1 no match, 2 a match.
    let memo: Vec<AtomicU8> = match table {
        TableKind::Accounts => Vec::new(),
        TableKind::Findings => (0..d.report.accounts.len())
            .map(|_| AtomicU8::new(0))
            .collect(),
    };
    const BLOCK: usize = 2048;
    let tries = n + 1 - start;
    let found = (0..tries.div_ceil(BLOCK))
        .into_par_iter()
        .map_init(
            || Fuzzy::new(query),
            |fz, b| {
                if cancel.is_cancelled() {
                    return None;
                }
                let lo = start + b * BLOCK;
                let hi = (lo + BLOCK).min(n + 1);
                (lo..hi).map(pos).find(|&p| match table {
                    TableKind::Accounts => d
                        .report
                        .accounts
                        .get(view[p] as usize)
                        .is_some_and(|a| fz.account_matches(&a)),
                    TableKind::Findings => fz.finding_matches_memo(d, view[p], &memo),
                })
            },
        )
        .find_first(Option::is_some)
        .flatten();
    if cancel.is_cancelled() {
        return None;
    }
    found
}

/// Selection and scroll offset over `len` rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    pub sel: usize,
    pub offset: usize,
}

impl Viewport {
    pub fn clamp(&mut self, len: usize) {
        if len == 0 {
            self.sel = 0;
            self.offset = 0;
        } else if self.sel >= len {
            self.sel = len - 1;
        }
    }

    pub fn move_by(&mut self, delta: isize, len: usize) {
        if len == 0 {
            return;
        }
        let s = self.sel as isize + delta;
        self.sel = s.clamp(0, len as isize - 1) as usize;
    }

    /// Adjusts the offset so the selection is inside a window of `height` rows.
    pub fn fit(&mut self, height: usize, len: usize) {
        self.clamp(len);
        let h = height.max(1);
        if self.sel < self.offset {
            self.offset = self.sel;
        } else if self.sel >= self.offset + h {
            self.offset = self.sel + 1 - h;
        }
        let max_off = len.saturating_sub(h);
        if self.offset > max_off {
            self.offset = max_off;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wxaudit_core::model::Account;

    #[test]
    fn substr_is_case_insensitive_and_and_of_terms() {
        let a = Account {
            id: Some("gh_LOTUS_cn".into()),
            name: Some("莲花美妆服务号".into()),
            brand: Some("Lotus Beauty".into()),
            ..Account::default()
        };
        assert!(Substr::new("lotus").account_matches(&a.view()));
        assert!(Substr::new("莲花 beauty").account_matches(&a.view()));
        assert!(!Substr::new("莲花 acme").account_matches(&a.view()));
        assert!(!Substr::new("服务号号").account_matches(&a.view()));
    }

    #[test]
    fn viewport_keeps_selection_visible() {
        let mut v = Viewport::default();
        v.move_by(25, 100);
        v.fit(10, 100);
        assert_eq!((v.sel, v.offset), (25, 16));
        v.move_by(-100, 100);
        v.fit(10, 100);
        assert_eq!((v.sel, v.offset), (0, 0));
        v.sel = 50;
        v.fit(10, 5);
        assert_eq!((v.sel, v.offset), (4, 0));
    }
}
