//! Indexes the TUI keeps over one load so that sorting, filtering, searching and restoring the
//! selection answer in milliseconds on a million accounts (issue 10), without changing a single
//! result: every order, filter and search hit is the one the plain comparators and matchers in
//! [`super::view`] give.
//!
//! - **Sort ranks** ([`Index::ranks`]). Findings are worded on demand (`Report::message` runs the
//!   rule again for the account), so a sort that compares messages re-words two findings per
//!   comparison. Instead, the first sort by a column orders *all* rows of its table once by the
//!   column's own comparator and keeps one `u32` rank per row (equal cells share a rank). Every
//!   later sort by that column, whatever the filter, is a counting sort (or a radix-friendly
//!   `u64` sort) of the view by rank: O(rows), no text touched. Ranks live in [`Data`], which a
//!   reload replaces, so they are never stale.
//!
//!   Why ranks and not cached strings: 2.3 million messages kept as `String`s cost ~150 MB and
//!   every comparison still walks bytes; a rank costs at most 4 bytes per row (9 MB for 2.3
//!   million findings, per sorted column; 1 byte for a column of at most 256 distinct values,
//!   2 for at most 65,536) and compares as an integer. Text columns (message, evidence, fix,
//!   brand, …) are worded once, in parallel, into a chunked string arena (one `String` plus
//!   `u32` ends per 32K rows, no per-row allocation) that is dropped as soon as the ranks are
//!   made; it is the only transient cost (the texts' bytes, once, while the column is ranked).
//!   Texts are ordered by a radix sort on 14 bytes at a time (see `sort_by_text`), and the
//!   accounts a finding's words are made from are fetched ahead, as the report writers do.
//!   Cheap columns (severity, rule, account, ids, numbers) are ranked with their comparator or
//!   an integer key.
//!
//! - **Warm-up** ([`Index::warm_up`]). Making a worded column's ranks still takes seconds at a
//!   million accounts (every finding's message is made by running its rule again), so a sort
//!   the moment a person asks for it would wait that long. After a load lands, the app starts a
//!   warm-up job ([`super::jobs::Cmd::WarmUp`]) that makes the text filter's indexes and then,
//!   one column after another and most likely first ([`warm_columns`]: message, evidence, fix,
//!   the findings' account columns, the accounts' text columns, then the rest), every column's
//!   ranks, on a thread pool of the lowest priority so that whatever a person is waiting for
//!   gets the cores first. A sort of a column that is being made waits for it (each column has
//!   one lock held by whoever makes it); a sort of another column makes its own, and meanwhile
//!   the warm-up drops the column it was on and waits (so there is only one column's arena at a
//!   time), making it again afterwards. The warm-up holds the data weakly and only while on one
//!   column, and stops between chunks of 2,048 rows once a reload has replaced the data
//!   ([`Index::retire`]), so the old data is freed and no CPU goes to it. A view superseded
//!   while it makes ranks stops the same way. Ranks of every column of a load cost about a
//!   tenth of the report's memory (see the bench), which is why they are ranks.
//!
//! - **Text filter** ([`TextFilter`]). A filter term must occur (ASCII case-insensitive) in one of
//!   an account's id, name, entity and brand, or, for a finding, also in its rule or its own
//!   brand. The account fields are the bulk of that and are shared by all findings of an
//!   account, so each account gets one bit per term: ids and names through one SIMD substring
//!   search per term over all of them, lower-cased once per load ([`super::lowered`], ~45 MB at
//!   a million accounts: testing each account's fields in turn took 0.3–0.6 s per key press),
//!   entities and brands by testing each distinct value once and looking it up by the store's
//!   code. Each finding only looks up its account's bits. When no rule id holds a term (the
//!   usual case: people filter by names), only the findings of accounts that hold every term,
//!   found through [`Data`]'s account → findings index, and the few findings with words of
//!   their own are tried at all.
//!
//! - **Search** (`/`, `n`; [`super::view::search`]): the same sharing for the fuzzy matcher
//!   (an account's fields are matched at most once per search, remembered in one byte per
//!   account) and the rows are scanned in blocks on every core, in search order, stopping at the
//!   first block with a hit.
//!
//! - **Restoring the selection after a reload** ([`find_fingerprints`]): one parallel pass
//!   that hashes only the findings of the selected finding's rule.
//!
//! Every read of an account's searchable fields goes through [`account_text_fields`], so the
//! column store can replace it in one place.

use super::data::{Data, FRef};
use super::lowered::Lowered;
use super::view::{self, Col, TableKind};
use memchr::memmem;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use wxaudit_core::accounts::{AccountRef, Accounts};
use wxaudit_core::model::Finding;

/// The searchable text fields of an account: id, name, entity, brand (the fields the text
/// filter and the search look at). The one place these are read for matching, but for the text
/// filter's fast path ([`TextFilter::new`]), which reads the same four from the store's columns
/// (`filters_match_the_row_by_row_filter_for_every_kind_of_term` holds the two together).
pub fn account_text_fields<'a>(a: &AccountRef<'a>) -> [Option<&'a str>; 4] {
    [a.id(), a.name(), a.entity_name(), a.brand()]
}

/// [`account_text_fields`] of account `i`, read column by column (for passes over every account).
pub fn account_text_fields_at(accounts: &Accounts, i: usize) -> [Option<&str>; 4] {
    [
        accounts.id(i),
        accounts.name(i),
        accounts.entity_name(i),
        accounts.brand(i),
    ]
}

/// The text fields of a finding that are not its account's (which [`account_text_fields`]
/// covers when `with_account` is false, i.e. the finding's account is in the report): the rule,
/// the brand the finding carries, and for a finding without an account in the report the
/// account id and name it names (a saved report's).
pub fn finding_own_fields<'a>(
    f: &'a Finding,
    accounts: &'a Accounts,
    has_account: bool,
) -> [Option<&'a str>; 4] {
    let said_brand = f.said.as_ref().and_then(|s| s.brand.as_deref());
    if has_account {
        [Some(f.rule_id.as_str()), said_brand, None, None]
    } else {
        [
            Some(f.rule_id.as_str()),
            said_brand,
            f.account_id(accounts),
            f.account_name(accounts),
        ]
    }
}

/// One rank per row of a table for one column: rows compare as their ranks do. Kept in the
/// narrowest integer that holds them: a byte a row for the columns of few values (severity,
/// rule, market, fix, types, …), four only for columns of many (messages, names, ids).
#[derive(Debug)]
pub struct Ranks {
    rank: RankVec,
    /// Number of distinct ranks (ranks are `0..distinct`).
    pub distinct: u32,
}

#[derive(Debug)]
enum RankVec {
    U8(Box<[u8]>),
    U16(Box<[u16]>),
    U32(Box<[u32]>),
}

impl Ranks {
    fn new(rank: Box<[u32]>, distinct: u32) -> Ranks {
        let rank = if distinct <= 1 << 8 {
            RankVec::U8(rank.par_iter().map(|&r| r as u8).collect())
        } else if distinct <= 1 << 16 {
            RankVec::U16(rank.par_iter().map(|&r| r as u16).collect())
        } else {
            RankVec::U32(rank)
        };
        Ranks { rank, distinct }
    }

    /// The rank of row `r`.
    #[inline]
    pub fn at(&self, r: u32) -> u32 {
        let r = r as usize;
        match &self.rank {
            RankVec::U8(v) => u32::from(v[r]),
            RankVec::U16(v) => u32::from(v[r]),
            RankVec::U32(v) => v[r],
        }
    }

    /// Bytes the ranks take.
    pub fn bytes(&self) -> usize {
        match &self.rank {
            RankVec::U8(v) => v.len(),
            RankVec::U16(v) => v.len() * 2,
            RankVec::U32(v) => v.len() * 4,
        }
    }
}

/// A column's ranks, made once by whichever job first needs them: the warm-up (see
/// [`Index::warm_up`]) or a sort that gets there first.
#[derive(Debug, Default)]
struct Slot {
    ranks: OnceLock<Arc<Ranks>>,
    /// Held by whoever is making the ranks, so that a sort asking for a column that is being
    /// made waits for it instead of making it a second time. A warm-up that gives up (a
    /// reload, or a sort of another column) lets go without ranks; the next asker makes them.
    making: Mutex<()>,
}

/// The caches of one load (see the module doc). Lives in [`Data`].
#[derive(Debug, Default)]
pub struct Index {
    ranks: Mutex<HashMap<(TableKind, Col), Arc<Slot>>>,
    own_text: OnceLock<Vec<u32>>,
    lowered: OnceLock<Lowered>,
    /// Set when the TUI has moved on to newer data: the warm-up stops at its next check.
    retired: AtomicBool,
    /// Sorts making ranks right now: the warm-up gives way to them (one arena at a time).
    sorting: AtomicUsize,
}

/// What [`Index::warm_up`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarmUp {
    /// Every column on the list has its ranks.
    Done,
    /// The data was retired (a reload) or dropped before the list was done.
    Stopped,
}

impl Index {
    fn slot(&self, table: TableKind, col: Col) -> Arc<Slot> {
        let mut m = self.ranks.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(m.entry((table, col)).or_default())
    }

    /// The ranks of `col` in `table`, made on first use (a caller that finds them being made,
    /// by the warm-up or another sort, waits for them) and kept for this load. `None` only when
    /// `stop` said to stop while this call was making them (a newer view superseded it).
    pub fn ranks(
        &self,
        d: &Data,
        table: TableKind,
        col: Col,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Arc<Ranks>> {
        let slot = self.slot(table, col);
        if let Some(r) = slot.ranks.get() {
            return Some(Arc::clone(r));
        }
        let _making = slot.making.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = slot.ranks.get() {
            return Some(Arc::clone(r));
        }
        // While this sort makes its ranks the warm-up steps aside (and drops the arena of the
        // column it was on, to make it again later).
        self.sorting.fetch_add(1, AtomicOrdering::SeqCst);
        struct Done<'a>(&'a AtomicUsize);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, AtomicOrdering::SeqCst);
            }
        }
        let _done = Done(&self.sorting);
        let ranks = Arc::new(build_ranks(d, table, col, stop)?);
        Some(Arc::clone(slot.ranks.get_or_init(|| ranks)))
    }

    /// True when `col` of `table` has its ranks (tests and the bench).
    pub fn is_ranked(&self, table: TableKind, col: Col) -> bool {
        let m = self.ranks.lock().unwrap_or_else(|e| e.into_inner());
        m.get(&(table, col))
            .is_some_and(|s| s.ranks.get().is_some())
    }

    /// Tells a running [`Index::warm_up`] of this load to stop: the TUI has newer data.
    pub fn retire(&self) {
        self.retired.store(true, AtomicOrdering::SeqCst);
    }

    pub fn is_retired(&self) -> bool {
        self.retired.load(AtomicOrdering::SeqCst)
    }

    /// Makes, one column after another, the ranks of every column in [`warm_columns`] and the
    /// text filter's indexes, so that they are ready when a person first sorts or filters (see
    /// the module doc). Holds `data` only while working on one column, and stops early, between
    /// chunks of a column's texts, once the data is retired ([`Index::retire`]) or dropped;
    /// while a sort is making ranks of its own it drops the column it is on and waits, so that
    /// only one column's texts are ever held at once. `step` is called before each column
    /// (tests use it to reload at a known point).
    pub fn warm_up(data: &Weak<Data>, step: &mut dyn FnMut(TableKind, Col)) -> WarmUp {
        let columns = match data.upgrade() {
            Some(d) if !d.index.is_retired() => {
                // The text filter's indexes first: the cheapest, and typing is what people do
                // first.
                d.index.lowered(&d);
                d.index.own_text_findings(&d);
                warm_columns(&d)
            }
            _ => return WarmUp::Stopped,
        };
        for (table, col) in columns {
            step(table, col);
            loop {
                let Some(d) = data.upgrade() else {
                    return WarmUp::Stopped;
                };
                let index = &d.index;
                if index.is_retired() {
                    return WarmUp::Stopped;
                }
                if index.sorting.load(AtomicOrdering::SeqCst) > 0 {
                    // A sort is making ranks: let it have the cores and the memory.
                    drop(d);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    continue;
                }
                let slot = index.slot(table, col);
                let made = {
                    let _making = slot.making.lock().unwrap_or_else(|e| e.into_inner());
                    if slot.ranks.get().is_some() {
                        true
                    } else {
                        let give_way =
                            || index.is_retired() || index.sorting.load(AtomicOrdering::SeqCst) > 0;
                        match build_ranks(&d, table, col, &give_way) {
                            Some(r) => {
                                let _ = slot.ranks.set(Arc::new(r));
                                true
                            }
                            None => false,
                        }
                    }
                };
                if made {
                    break;
                }
            }
        }
        WarmUp::Done
    }

    /// Findings that carry their own words (a brand, a saved report's account) or whose
    /// account is not in the report: the text filter tests these itself, not through their
    /// account. Few in a live audit (brand- and company-level findings); made on first use.
    pub fn own_text_findings(&self, d: &Data) -> &[u32] {
        self.own_text.get_or_init(|| {
            (0..d.finding_count() as u32)
                .into_par_iter()
                .filter(|&r| d.finding(r).said.is_some() || d.finding_account(r).is_none())
                .collect()
        })
    }

    /// The accounts' ids and names lower-cased for the text filter, made on first use.
    pub fn lowered(&self, d: &Data) -> &Lowered {
        self.lowered
            .get_or_init(|| Lowered::build(&d.report.accounts))
    }

    /// The columns ranked so far, with their memory (for tests and the bench).
    pub fn ranked_bytes(&self) -> usize {
        let m = self.ranks.lock().unwrap_or_else(|e| e.into_inner());
        m.values()
            .filter_map(|c| c.ranks.get())
            .map(|r| r.bytes())
            .sum()
    }
}

/// The columns [`Index::warm_up`] ranks, most likely to be sorted by first: the findings'
/// worded columns (message, evidence, fix), which take seconds at a million findings, then
/// the findings' account columns, then the accounts' columns ranked by their text (name, id,
/// the other text fields the inventory has, extra columns), then every other column whose
/// first sort reads all rows (the cheap ones last). Columns the inventory does not have are
/// left out (their sort is instant: every row ties).
pub fn warm_columns(d: &Data) -> Vec<(TableKind, Col)> {
    use TableKind::{Accounts, Findings};
    let mut v: Vec<(TableKind, Col)> = [
        Col::Message,
        Col::Evidence,
        Col::Advice,
        Col::AccName,
        Col::Account,
    ]
    .into_iter()
    .map(|c| (Findings, c))
    .collect();
    let present = |c: &Col| match c {
        Col::Field(f) => d.present.contains(f),
        _ => true,
    };
    let accounts: Vec<Col> = super::view::account_columns(d)
        .into_iter()
        .filter(present)
        .collect();
    let by_text =
        |c: &Col| integer_key(d, Accounts, *c).is_none() && value_code(d, Accounts, *c).is_none();
    v.extend([Col::Name, Col::Id].map(|c| (Accounts, c)));
    let text_cols: Vec<(TableKind, Col)> = accounts
        .iter()
        .filter(|c| !matches!(c, Col::Name | Col::Id) && by_text(c))
        .map(|&c| (Accounts, c))
        .collect();
    v.extend(text_cols);
    for (table, cols) in [
        (Findings, super::view::FINDING_COLUMNS.to_vec()),
        (Accounts, accounts),
    ] {
        for c in cols {
            if !v.contains(&(table, c)) {
                v.push((table, c));
            }
        }
    }
    v
}

fn table_len(d: &Data, table: TableKind) -> usize {
    match table {
        TableKind::Accounts => d.report.accounts.len(),
        TableKind::Findings => d.finding_count(),
    }
}

/// Columns whose comparator is already cheap (no text made) and that no key above covers: ranked
/// with the comparator directly. (The accounts' cheap columns and the findings' account columns
/// have keys of their own in [`build_ranks`].)
fn compares_cheaply(table: TableKind, col: Col) -> bool {
    table == TableKind::Findings && matches!(col, Col::Severity | Col::Rule)
}

const CHUNK: usize = 32 * 1024;

/// Texts of rows `0..n`, made in parallel into one `String` per 32K rows.
struct Arena {
    chunks: Vec<(String, Vec<u32>)>,
}

/// Rows worded between two looks at `stop` while making an arena.
const STOP_EVERY: usize = 2048;

impl Arena {
    /// `None` when `stop` said to stop (checked every [`STOP_EVERY`] rows).
    fn build(
        n: usize,
        stop: &(dyn Fn() -> bool + Sync),
        text: impl Fn(u32, &mut String) + Sync,
    ) -> Option<Arena> {
        let chunks: Vec<Option<(String, Vec<u32>)>> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
                let mut s = String::new();
                let mut ends = Vec::with_capacity(hi - lo);
                for r in lo..hi {
                    if (r - lo) % STOP_EVERY == 0 && stop() {
                        return None;
                    }
                    text(r as u32, &mut s);
                    ends.push(s.len() as u32);
                }
                s.shrink_to_fit();
                Some((s, ends))
            })
            .collect();
        Some(Arena {
            chunks: chunks.into_iter().collect::<Option<_>>()?,
        })
    }

    fn get(&self, r: u32) -> &[u8] {
        let r = r as usize;
        let (s, ends) = &self.chunks[r / CHUNK];
        let k = r % CHUNK;
        let lo = if k == 0 { 0 } else { ends[k - 1] as usize };
        &s.as_bytes()[lo..ends[k] as usize]
    }
}

fn cmp_rows(d: &Data, table: TableKind, col: Col, a: u32, b: u32) -> Ordering {
    match table {
        TableKind::Accounts => view::cmp_accounts(d, a as usize, b as usize, col),
        TableKind::Findings => view::cmp_findings(d, a, b, col),
    }
}

/// The findings' account and account-name columns: each account's text ranked once (a million
/// texts, against 2.3 million findings whose ties each cost two lookups far from the finding),
/// together with the texts of the few findings that name an account the report does not hold;
/// every finding then takes its account's rank. The order of `view::cmp_findings`: the text of
/// `Finding::account_id` / `account_name`, `None` first.
fn finding_account_ranks(d: &Data, col: Col, stop: &(dyn Fn() -> bool + Sync)) -> Option<Ranks> {
    let acc = &d.report.accounts;
    let n = acc.len();
    let of_account = |i: usize| match col {
        Col::Account => acc.id(i).or_else(|| acc.name(i)),
        _ => acc.name(i),
    };
    let recorded = |r: u32| {
        let f = d.finding(r);
        let rec = f.recorded()?;
        match col {
            Col::Account => rec.id.as_deref(),
            _ => rec.name.as_deref(),
        }
    };
    let rows = d.finding_count() as u32;
    let mut others: Vec<&str> = (0..rows)
        .filter(|&r| d.finding(r).account.is_none())
        .filter_map(recorded)
        .collect();
    others.sort_unstable();
    others.dedup();
    // Entries: the accounts, the other texts, and last one for "no text".
    let none = n + others.len();
    let text = |e: u32| -> Option<&[u8]> {
        let e = e as usize;
        if e < n {
            of_account(e).map(str::as_bytes)
        } else {
            others.get(e - n).map(|s| s.as_bytes())
        }
    };
    let entries: Vec<u32> = (0..=none as u32).collect();
    if stop() {
        return None;
    }
    let order = sort_by_text(&entries, text);
    if stop() {
        return None;
    }
    let mut entry_rank = vec![0u32; none + 1];
    let mut distinct = 0u32;
    for (k, &e) in order.iter().enumerate() {
        if k > 0 && text(order[k - 1]) != text(e) {
            distinct += 1;
        }
        entry_rank[e as usize] = distinct;
    }
    let rank: Box<[u32]> = (0..rows)
        .into_par_iter()
        .map(|r| {
            let e = match d.finding(r).account {
                Some(i) if (i as usize) < n => i as usize,
                Some(_) => none,
                None => {
                    recorded(r).map_or(none, |t| n + others.binary_search(&t).unwrap_or(none - n))
                }
            };
            entry_rank[e]
        })
        .collect::<Vec<u32>>()
        .into_boxed_slice();
    Some(Ranks::new(rank, distinct + 1))
}

/// The ranks of `col` in `table` (see the module doc); `None` when `stop` said to stop, which
/// it is asked between the steps and, for a worded column, every few thousand rows.
fn build_ranks(
    d: &Data,
    table: TableKind,
    col: Col,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Ranks> {
    if stop() {
        return None;
    }
    if table == TableKind::Findings && matches!(col, Col::Account | Col::AccName) {
        return finding_account_ranks(d, col, stop);
    }
    let n = table_len(d, table);
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut rank = vec![0u32; n].into_boxed_slice();
    let mut distinct = 0u32;
    let mut assign = |order: &[u32], same: &dyn Fn(u32, u32) -> bool| {
        for (k, &r) in order.iter().enumerate() {
            if k > 0 && !same(order[k - 1], r) {
                distinct += 1;
            }
            rank[r as usize] = distinct;
        }
        if !order.is_empty() {
            distinct += 1;
        }
    };
    if let Some(key) = integer_key(d, table, col) {
        // Accounts by a value the store keeps as a number or a code: one read per row.
        let mut keyed: Vec<(u128, u32)> = order.par_iter().map(|&r| (key(r), r)).collect();
        keyed.par_sort_unstable();
        let order: Vec<u32> = keyed.iter().map(|&(_, r)| r).collect();
        assign(&order, &|a, b| key(a) == key(b));
    } else if let Some(key) = value_code(d, table, col) {
        // A column of few distinct values: each value's cell made once, from the first row
        // that has it, and ranked by that text.
        let keys: Vec<u64> = order.par_iter().map(|&r| key(r)).collect();
        let mut first: HashMap<u64, u32> = HashMap::new();
        for (r, &k) in keys.iter().enumerate() {
            first.entry(k).or_insert(r as u32);
        }
        let mut cells: Vec<(String, u64)> = first
            .iter()
            .map(|(&k, &r)| {
                let cell = match table {
                    TableKind::Accounts => view::account_cell(d, r as usize, col),
                    TableKind::Findings => view::finding_cell(d, r, col),
                };
                (cell.into_owned(), k)
            })
            .collect();
        cells.sort_unstable();
        let mut of_key: HashMap<u64, u32> = HashMap::with_capacity(cells.len());
        for (j, (cell, k)) in cells.iter().enumerate() {
            if j > 0 && *cell != cells[j - 1].0 {
                distinct += 1;
            }
            of_key.insert(*k, distinct);
        }
        if !cells.is_empty() {
            distinct += 1;
        }
        for (r, k) in keys.iter().enumerate() {
            rank[r] = of_key[k];
        }
    } else if let Some(key) = account_key(d, table, col) {
        // An accounts text column: each row's text read once from its column.
        let order = sort_by_text(&order, |r| key(r).map(str::as_bytes));
        assign(&order, &|a, b| key(a) == key(b));
    } else if compares_cheaply(table, col) {
        let cmp = |a: &u32, b: &u32| cmp_rows(d, table, col, *a, *b);
        order.par_sort_unstable_by(cmp);
        assign(&order, &|a, b| cmp(&a, &b) == Ordering::Equal);
    } else {
        // The cell's text, exactly what the comparator compares (see `view::cmp_findings`),
        // written straight into the arena. Findings are grouped by rule, so their accounts
        // come out of order: the columns of the account a few findings on are fetched ahead
        // (as the report writers do).
        let findings = &d.report.findings;
        let arena = Arena::build(n, stop, |r, out| match table {
            TableKind::Findings => {
                if (r as usize) < findings.len() {
                    d.report.prefetch_ahead(findings, r as usize);
                }
                if col == Col::Evidence {
                    // `finding_cell`'s evidence line, without a copy of its own.
                    d.report.text(d.finding(r)).push_evidence_line(out);
                } else {
                    out.push_str(&view::finding_cell(d, r, col))
                }
            }
            TableKind::Accounts => out.push_str(&view::account_cell(d, r as usize, col)),
        })?;
        if stop() {
            return None;
        }
        let order = sort_by_text(&order, |r| Some(arena.get(r)));
        if stop() {
            return None;
        }
        assign(&order, &|a, b| arena.get(a) == arena.get(b));
    }
    Some(Ranks::new(rank, distinct))
}

/// For the accounts columns whose comparator (`view::cmp_accounts`) orders by one value of the
/// store that is a number, a date, a closed set or a dictionary code: an integer per row that
/// orders as that comparator does (`None` first). Read column by column: comparing through
/// whole account views (35 columns each) made the first sort by followers take 2 s at a
/// million accounts.
#[allow(clippy::type_complexity)]
fn integer_key<'d>(
    d: &'d Data,
    table: TableKind,
    col: Col,
) -> Option<Box<dyn Fn(u32) -> u128 + Sync + 'd>> {
    use chrono::Datelike;
    use wxaudit_core::model::Column;
    if table != TableKind::Accounts {
        return None;
    }
    let acc = &d.report.accounts;
    fn opt(v: Option<u64>) -> u128 {
        v.map_or(0, |v| (1u128 << 64) | u128::from(v))
    }
    fn date(v: Option<chrono::NaiveDate>) -> u128 {
        opt(v.map(|d| (i64::from(d.num_days_from_ce()) - i64::from(i32::MIN)) as u64))
    }
    // Ranks of a dictionary's distinct values (code 0, no value, first), by their order.
    fn code_ranks<T: Ord>(values: &[T]) -> Vec<u128> {
        let mut by: Vec<usize> = (0..values.len()).collect();
        by.sort_by(|&a, &b| values[a].cmp(&values[b]));
        let mut rank = vec![0u128; values.len() + 1];
        for (k, &v) in by.iter().enumerate() {
            rank[v + 1] = k as u128 + 1;
        }
        rank
    }
    Some(match col {
        Col::Worst => Box::new(move |r| opt(d.worst[r as usize].map(|s| s as u64))),
        Col::NFind => Box::new(move |r| u128::from(d.nfind[r as usize])),
        Col::Line => Box::new(move |r| u128::from(acc.line(r as usize))),
        Col::Platform => Box::new(move |r| d.platform(r as usize) as u128),
        Col::Confidence => Box::new(move |r| {
            opt(d
                .report
                .classifications
                .confidence(r as usize)
                .map(|c| c as u64))
        }),
        Col::Type | Col::Field(Column::Type) => {
            Box::new(move |r| opt(acc.account_type(r as usize).map(|t| t as u64)))
        }
        Col::Field(Column::Followers) => Box::new(move |r| opt(acc.followers(r as usize))),
        Col::Field(Column::LastActive) => Box::new(move |r| date(acc.last_active(r as usize))),
        Col::Field(Column::VerificationExpiry) => {
            Box::new(move |r| date(acc.verification_expiry(r as usize)))
        }
        Col::Brand => {
            let rank = code_ranks(acc.brands());
            Box::new(move |r| rank[acc.brand_code(r as usize) as usize])
        }
        Col::Audience => {
            let rank = code_ranks(acc.audiences());
            Box::new(move |r| rank[acc.audience_code(r as usize) as usize])
        }
        _ => return None,
    })
}

/// For the columns of few distinct values shown as text — the accounts' closed sets, yes/no,
/// dictionary values and lists (see [`Accounts::value_code`]), the findings' market, brand,
/// fix and state — a code of row `r`'s value: two rows with the same code have the same cell.
#[allow(clippy::type_complexity)]
fn value_code<'d>(
    d: &'d Data,
    table: TableKind,
    col: Col,
) -> Option<Box<dyn Fn(u32) -> u64 + Sync + 'd>> {
    if table == TableKind::Findings {
        // A kind in the top bits, then what tells the cells of that kind apart: an address
        // (of an interned text, or of a text a finding holds: equal addresses, equal text) or
        // a code. Different keys may still show the same text; ranking by the cells merges them.
        fn tag(kind: u64, v: u64) -> u64 {
            debug_assert!(v < 1 << 60);
            (kind << 60) | v
        }
        let acc = &d.report.accounts;
        let key: Box<dyn Fn(u32) -> u64 + Sync + 'd> = match col {
            // Markets are interned: one text per market.
            Col::Market => Box::new(move |r| {
                d.finding(r)
                    .market
                    .as_deref()
                    .map_or(0, |m| tag(1, m.as_ptr() as u64))
            }),
            // A finding's own words' advice, else its rule's (interned id).
            Col::Advice => Box::new(move |r| {
                let f = d.finding(r);
                match &f.said {
                    Some(s) => tag(1, s.advice.as_ptr() as u64),
                    None => tag(2, f.rule_id.as_str().as_ptr() as u64),
                }
            }),
            // The brand a finding carries, else its account's (by code).
            Col::Brand => Box::new(move |r| {
                let f = d.finding(r);
                match f.said.as_ref().and_then(|s| s.brand.as_ref()) {
                    Some(b) => tag(1, b.as_str().as_ptr() as u64),
                    None => match d.finding_account(r) {
                        Some(a) => tag(2, u64::from(acc.brand_code(a))),
                        None => 0,
                    },
                }
            }),
            // Suppressed: each its own reason; active: by baseline state.
            Col::State => Box::new(move |r| match d.suppression(r) {
                Some(_) => tag(1, u64::from(r)),
                None => tag(2, d.finding(r).baseline_state.map_or(0, |s| s as u64 + 1)),
            }),
            _ => return None,
        };
        return Some(key);
    }
    let Col::Field(c) = col else { return None };
    let acc = &d.report.accounts;
    if table != TableKind::Accounts || acc.value_code(c, 0).is_none() {
        return None;
    }
    Some(Box::new(move |r| {
        acc.value_code(c, r as usize).unwrap_or(0)
    }))
}

/// For the accounts columns whose comparator orders rows by one text alone (`None` first; see
/// `view::cmp_accounts`) — id, name and the text fields shown as stored — the text of row `r`,
/// read from its column (not through a whole account view).
#[allow(clippy::type_complexity)]
fn account_key<'d>(
    d: &'d Data,
    table: TableKind,
    col: Col,
) -> Option<Box<dyn Fn(u32) -> Option<&'d str> + Sync + 'd>> {
    let acc = &d.report.accounts;
    match (table, col) {
        (TableKind::Accounts, Col::Id) => Some(Box::new(move |r| acc.id(r as usize))),
        (TableKind::Accounts, Col::Name) => Some(Box::new(move |r| acc.name(r as usize))),
        // A text field shown as it is stored: its comparator compares the cell, "" for none.
        (TableKind::Accounts, Col::Field(c)) => {
            acc.text_field(c, 0)?;
            Some(Box::new(move |r| {
                acc.text_field(c, r as usize)
                    .flatten()
                    .filter(|s| !s.is_empty())
            }))
        }
        _ => None,
    }
}

/// `rows` ordered by `text` (`None` first). A most-significant-digit radix sort on 14 bytes at a
/// time: all rows sorted on an integer made of their texts' first bytes ([`window`]), then
/// each run of rows whose texts agree on those and go on, on the next 14 bytes, and so on.
/// Every level reads each tied row's text once, where comparing texts in full read two texts
/// scattered over memory per comparison (names that share a brand and a suffix tie on their
/// first 16 bytes: the first sort of a million names took 1.5–2.3 s, now about a tenth).
fn sort_by_text<'t>(rows: &[u32], text: impl Fn(u32) -> Option<&'t [u8]> + Sync) -> Vec<u32> {
    let mut keyed: Vec<(u128, u32)> = rows.par_iter().map(|&r| (window(text(r), 0), r)).collect();
    keyed.par_sort_unstable();
    refine(&mut keyed, 0, &text);
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Bytes of a text each level of [`sort_by_text`] sorts on.
const WINDOW: usize = 14;

/// An integer ordered as the texts' bytes from `at` on are (for texts equal before `at`): 0 for
/// `None`; else a 1 byte, the next [`WINDOW`] bytes zero-padded, and how many bytes are left
/// (up to [`WINDOW`], or `WINDOW + 1` for "more than a window": only those go on to the next
/// level). A text that ends sorts before one that goes on with a zero byte.
fn window(s: Option<&[u8]>, at: usize) -> u128 {
    let Some(s) = s else { return 0 };
    let rest = s.get(at..).unwrap_or_default();
    let n = rest.len().min(WINDOW);
    let mut b = [0u8; 16];
    b[0] = 1;
    b[1..1 + n].copy_from_slice(&rest[..n]);
    b[15] = rest.len().min(WINDOW + 1) as u8;
    u128::from_be_bytes(b)
}

/// Sorts each run of equal keys in `keyed` (sorted on the window at `at`) that goes on past the
/// window, on the next window; runs in parallel.
fn refine<'t>(
    keyed: &mut [(u128, u32)],
    at: usize,
    text: &(impl Fn(u32) -> Option<&'t [u8]> + Sync),
) {
    let goes_on = |k: u128| (k & 0xff) as usize == WINDOW + 1;
    let run = |run: &mut [(u128, u32)]| {
        if run.len() < 2 || !goes_on(run[0].0) {
            return;
        }
        let next = at + WINDOW;
        if run.len() > 50_000 {
            run.par_iter_mut()
                .for_each(|e| e.0 = window(text(e.1), next));
            run.par_sort_unstable();
        } else {
            for e in run.iter_mut() {
                e.0 = window(text(e.1), next);
            }
            run.sort_unstable();
        }
        refine(run, next, text);
    };
    if keyed.len() > 4096 {
        keyed.par_chunk_by_mut(|a, b| a.0 == b.0).for_each(run);
    } else {
        keyed.chunk_by_mut(|a, b| a.0 == b.0).for_each(run);
    }
}

/// Sorts `view` by `ranks` (descending when `desc`), keeping rows of equal rank in their order
/// in `view`: the same order as a stable sort with the column's comparator.
pub fn sort_by_rank(view: &mut Vec<u32>, ranks: &Ranks, desc: bool) {
    let n = view.len();
    if n < 2 {
        return;
    }
    let top = ranks.distinct.saturating_sub(1);
    let key = |r: u32| {
        let k = ranks.at(r);
        if desc {
            top - k
        } else {
            k
        }
    };
    if (ranks.distinct as usize) <= n.max(1 << 16) {
        // Counting sort: stable, O(rows + ranks).
        let mut start = vec![0u32; ranks.distinct as usize + 1];
        let keys: Vec<u32> = if n > 200_000 {
            view.par_iter().map(|&r| key(r)).collect()
        } else {
            view.iter().map(|&r| key(r)).collect()
        };
        // A view already in order (the findings by severity, which is report order, whatever
        // the filter kept) stays as it is: a stable sort of it changes nothing.
        if keys.windows(2).all(|w| w[0] <= w[1]) {
            return;
        }
        for &k in &keys {
            start[k as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut out = vec![0u32; n];
        for (&k, &r) in keys.iter().zip(view.iter()) {
            let s = &mut start[k as usize];
            out[*s as usize] = r;
            *s += 1;
        }
        *view = out;
    } else {
        // Few rows of a column with many ranks: sort (rank, position) pairs.
        let mut keyed: Vec<u64> = view
            .iter()
            .enumerate()
            .map(|(i, &r)| (u64::from(key(r)) << 32) | i as u64)
            .collect();
        if n > 50_000 {
            keyed.par_sort_unstable();
        } else {
            keyed.sort_unstable();
        }
        let old = std::mem::take(view);
        *view = keyed
            .into_iter()
            .map(|k| old[(k & 0xffff_ffff) as usize])
            .collect();
    }
}

/// One lower-cased filter term and its substring searcher.
struct Term {
    finder: memmem::Finder<'static>,
    /// The term has ASCII letters: fields are lower-cased before searching.
    fold: bool,
}

/// The text filter over both tables: every whitespace-separated term must occur, ASCII
/// case-insensitively, in one of a row's fields (as [`super::view::Substr`] says), worked out
/// once per account and shared by its findings.
pub struct TextFilter {
    terms: Vec<Term>,
    /// Per account: bit `j` set when term `j` occurs in one of its fields.
    acc: Vec<u64>,
    /// Bit `i % 64` of word `i / 64`: account `i` holds every term (`acc[i] == all`). An
    /// eighth of a byte an account, so it stays in cache while the findings, in report order,
    /// visit accounts all over `acc` (a cache miss each: a filter that kept most of 2.3 million
    /// findings took 0.1–0.25 s).
    full: Vec<u64>,
    all: u64,
}

/// The most terms [`TextFilter`] takes (one bit each); longer filters use the plain matcher.
pub const MAX_TERMS: usize = 64;

impl TextFilter {
    /// `None` when `text` has no terms or more than [`MAX_TERMS`].
    pub fn new(d: &Data, text: &str) -> Option<TextFilter> {
        let terms: Vec<Term> = text
            .split_whitespace()
            .map(|t| {
                let t = t.as_bytes().to_ascii_lowercase();
                Term {
                    fold: t.iter().any(u8::is_ascii_alphabetic),
                    finder: memmem::Finder::new(&t).into_owned(),
                }
            })
            .collect();
        if terms.is_empty() || terms.len() > MAX_TERMS {
            return None;
        }
        let all = if terms.len() == 64 {
            u64::MAX
        } else {
            (1u64 << terms.len()) - 1
        };
        let mut tf = TextFilter {
            terms,
            acc: Vec::new(),
            full: Vec::new(),
            all,
        };
        let accounts = &d.report.accounts;
        // Ids and names: one substring search per term over all of them (see
        // [`super::lowered`]); a term it refuses is tested field by field below.
        let lowered = d.index.lowered(d);
        let mut acc = vec![0u64; accounts.len()];
        let mut by_field = 0u64;
        for (j, t) in tf.terms.iter().enumerate() {
            if !lowered.mark(t.finder.needle(), 1 << j, &mut acc) {
                by_field |= 1 << j;
            }
        }
        // Entities and brands: each distinct one tested once, looked up by code.
        let mut buf = Vec::new();
        let mut bits_of = |values: &[wxaudit_core::model::Text]| -> Vec<u64> {
            values
                .iter()
                .map(|v| tf.mask(&[Some(v.as_str())], &mut buf, 0))
                .collect()
        };
        let entity_bits = bits_of(accounts.entity_names());
        let brand_bits = bits_of(accounts.brands());
        let by_code = |bits: &[u64], code: u32| match code {
            0 => 0,
            c => bits.get(c as usize - 1).copied().unwrap_or(0),
        };
        let tf_ref = &tf;
        acc.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| {
                let mut buf = Vec::new();
                for (k, m) in chunk.iter_mut().enumerate() {
                    let i = c * CHUNK + k;
                    *m |= by_code(&entity_bits, accounts.entity_name_code(i))
                        | by_code(&brand_bits, accounts.brand_code(i));
                    if by_field != 0 {
                        let [id, name, ..] = account_text_fields_at(accounts, i);
                        let have = tf_ref.all & !by_field;
                        *m |= tf_ref.mask(&[id, name], &mut buf, have) & by_field;
                    }
                }
            });
        tf.full = acc
            .chunks(64)
            .map(|w| {
                w.iter()
                    .enumerate()
                    .fold(0u64, |bits, (k, &m)| bits | (u64::from(m == all) << k))
            })
            .collect();
        tf.acc = acc;
        Some(tf)
    }

    /// Whether account `i` holds every term.
    fn is_full(&self, i: usize) -> bool {
        self.full
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// The only findings that can match, in row order, when no rule id holds any term: the
    /// findings of accounts that hold every term, and the findings that carry their own words
    /// or have no account (see [`Index::own_text_findings`]). `None` when a rule id holds a
    /// term, or when most findings would be candidates (then every finding is tried).
    pub fn finding_candidates(&self, d: &Data) -> Option<Vec<u32>> {
        let mut buf = Vec::new();
        if d.rules
            .iter()
            .any(|r| self.mask(&[Some(r.as_str())], &mut buf, 0) != 0)
        {
            return None;
        }
        // When most findings are candidates (a one-letter filter), listing and sorting them
        // costs more than trying every finding in row order (1.8 million of 2.3 million: 240 ms
        // against 120).
        let candidates: usize = self
            .acc
            .par_iter()
            .enumerate()
            .filter(|(_, &m)| m == self.all)
            .map(|(i, _)| d.account_findings(i).len())
            .sum();
        if candidates * 2 > d.finding_count() {
            return None;
        }
        let mut v: Vec<u32> = self
            .acc
            .par_iter()
            .enumerate()
            .filter(|(_, &m)| m == self.all)
            .flat_map_iter(|(i, _)| d.account_findings(i).iter().copied())
            .collect();
        v.extend_from_slice(d.index.own_text_findings(d));
        v.par_sort_unstable();
        v.dedup();
        Some(v)
    }

    /// Bits of the terms (those not in `have` yet) that occur in one of `fields`.
    fn mask(&self, fields: &[Option<&str>], buf: &mut Vec<u8>, have: u64) -> u64 {
        let mut m = have;
        for f in fields.iter().flatten() {
            if m == self.all {
                break;
            }
            let raw = f.as_bytes();
            let mut lowered = false;
            for (j, t) in self.terms.iter().enumerate() {
                if m & (1 << j) != 0 {
                    continue;
                }
                let hay: &[u8] = if t.fold {
                    if !lowered {
                        buf.clear();
                        buf.extend(raw.iter().map(u8::to_ascii_lowercase));
                        lowered = true;
                    }
                    buf
                } else {
                    raw
                };
                if t.finder.find(hay).is_some() {
                    m |= 1 << j;
                }
            }
        }
        m
    }

    pub fn account_matches(&self, i: usize) -> bool {
        self.is_full(i)
    }

    pub fn finding_matches(&self, d: &Data, r: FRef, s: &mut Scratch) -> bool {
        let acc = d.finding_account(r);
        if acc.is_some_and(|a| self.is_full(a)) {
            return true;
        }
        let f = d.finding(r);
        // Findings come grouped by rule: the rule's bits are worked out once per run of it.
        if s.rule.as_deref() != Some(f.rule_id.as_str()) {
            s.rule_mask = self.mask(&[Some(f.rule_id.as_str())], &mut s.buf, 0);
            s.rule = Some(f.rule_id.to_string());
        }
        // An account's finding with no words of its own and a rule that holds no term cannot
        // add a term its account lacks: no need to read the account's bits.
        if acc.is_some() && s.rule_mask == 0 && f.said.is_none() {
            return false;
        }
        let m = acc.map_or(0, |a| self.acc[a]) | s.rule_mask;
        if m == self.all {
            return true;
        }
        let [_, said_brand, id, name] = finding_own_fields(f, &d.report.accounts, acc.is_some());
        self.mask(&[said_brand, id, name], &mut s.buf, m) == self.all
    }
}

/// What [`TextFilter::finding_matches`] reuses from one finding to the next (one per thread).
#[derive(Default)]
pub struct Scratch {
    buf: Vec<u8>,
    rule: Option<String>,
    rule_mask: u64,
}

/// A quick test that rules a field out of a fuzzy match before the matcher runs: the query's
/// characters must appear in the field in order. Exact only where folding cannot map one
/// character onto another, so it says "no" only for fields (and queries) made of printable ASCII
/// (compared ignoring ASCII case, as the matcher does) and CJK ideographs (which have no case
/// and no normalised form, and are graphemes of their own); for anything else it leaves the
/// answer to the matcher. The matcher itself spends most of its time splitting a non-ASCII
/// field into graphemes, which this skips for the (usual) field that cannot match.
#[derive(Debug, Clone)]
pub struct Subsequence {
    /// The query, ASCII lower-cased; None when it has a character outside the safe set.
    needle: Option<Vec<char>>,
}

fn plain_char(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

impl Subsequence {
    pub fn new(query: &str) -> Subsequence {
        Subsequence {
            needle: query
                .chars()
                .all(plain_char)
                .then(|| query.chars().map(|c| c.to_ascii_lowercase()).collect()),
        }
    }

    /// True only when `field` certainly does not match (see the type's doc).
    pub fn rules_out(&self, field: &str) -> bool {
        let Some(needle) = &self.needle else {
            return false;
        };
        let mut want = needle.iter().peekable();
        for c in field.chars() {
            if !plain_char(c) {
                return false;
            }
            match want.peek() {
                Some(&&w) if c.to_ascii_lowercase() == w => {
                    want.next();
                }
                Some(_) => {}
                None => return false,
            }
        }
        want.peek().is_some()
    }
}

/// For each fingerprint in `fps` (a finding's fingerprint, with its rule id), the first finding
/// of `d` that has it. One parallel pass; only findings of the same rule are hashed (the rule is
/// part of what a fingerprint hashes).
pub fn find_fingerprints(d: &Data, fps: &[(&str, &str)]) -> Vec<Option<FRef>> {
    let rule_of = |s: &str| s.trim().to_ascii_uppercase();
    let wanted: Vec<(String, &str)> = fps.iter().map(|(r, fp)| (rule_of(r), *fp)).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let none = || vec![None::<FRef>; wanted.len()];
    (0..d.finding_count() as u32)
        .into_par_iter()
        .fold(none, |mut best, r| {
            let f = d.finding(r);
            let mut fp = None;
            for (k, (rule, want)) in wanted.iter().enumerate() {
                if best[k].is_some() {
                    continue;
                }
                // A carried fingerprint is compared as it is; a made one only for its rule.
                if f.said.is_none() && !f.rule_id.trim().eq_ignore_ascii_case(rule) {
                    continue;
                }
                let got = fp.get_or_insert_with(|| d.report.fingerprint(f));
                if got.as_str() == *want {
                    best[k] = Some(r);
                }
            }
            best
        })
        .reduce(none, |a, b| {
            a.into_iter()
                .zip(b)
                .map(|(x, y)| match (x, y) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                })
                .collect()
        })
}

#[cfg(test)]
mod tests {
    //! The indexes must give exactly what the plain comparators and matchers give: each test
    //! compares with a straightforward reference (a stable sort with the column's comparator,
    //! the row-by-row [`view::Substr`] filter, the sequential [`view::Fuzzy`] search).
    use super::*;
    use crate::action::{Action, JobMsg, Tab};
    use crate::app::{App, DetailTarget};
    use crate::fixtures::{large_report, sample_report};
    use crate::view::{account_columns, Cancel, Filter, Fuzzy, Sort, Substr, FINDING_COLUMNS};
    use std::time::Duration;

    fn acme() -> Data {
        let sample = |f: &str| {
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
                .join("sample-data")
                .join(f)
        };
        let opts = wxaudit_core::pipeline::PipelineOptions {
            input: sample("acme-accounts.csv"),
            profile: wxaudit_core::profile::ProfileArgs {
                file: Some(sample("acme-profile.toml")),
                ..Default::default()
            },
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
            ..Default::default()
        };
        let r = wxaudit_core::pipeline::run(&opts, &|_, _, _| {}).expect("audit");
        Data::build(r, Duration::ZERO)
    }

    /// Every kind of data: hand-made words, a real audit's findings worded on demand, and many
    /// copies of the same accounts (so most cells tie).
    fn datasets() -> Vec<(&'static str, Data)> {
        vec![
            ("sample", Data::build(sample_report(), Duration::ZERO)),
            ("acme", acme()),
            ("copies", Data::build(large_report(3_000), Duration::ZERO)),
            (
                "recorded",
                Data::build(with_recorded_accounts(), Duration::ZERO),
            ),
        ]
    }

    /// The sample with findings as a saved report holds them: naming an account by the id and
    /// name it recorded (no index into the accounts), or by an index the accounts do not have.
    fn with_recorded_accounts() -> wxaudit_core::audit::Report {
        use wxaudit_core::model::{RecordedAccount, Said};
        let mut r = sample_report();
        let base = r.findings[0].clone();
        let recorded = |id: Option<&str>, name: Option<&str>| {
            let mut f = base.clone();
            f.account = None;
            f.said = Some(Arc::new(Said {
                recorded: Some(RecordedAccount {
                    id: id.map(Into::into),
                    name: name.map(Into::into),
                }),
                message: "saved".into(),
                ..Said::default()
            }));
            f
        };
        r.findings
            .push(recorded(Some("gh_saved"), Some("Saved 名")));
        r.findings.push(recorded(Some("a_first"), None));
        r.findings.push(recorded(None, Some("zz last")));
        r.findings.push(recorded(Some("gh_saved"), Some("Other")));
        let mut gone = base.clone();
        gone.account = Some(r.accounts.len() as u32 + 5);
        r.findings.push(gone);
        // Accepted risks with different reasons (the state column shows each).
        for reason in ["zz later", "aa sooner", "zz later"] {
            r.suppressed.push(wxaudit_core::model::SuppressedFinding {
                finding: base.clone(),
                reason: reason.into(),
                owner: None,
                expires: None,
            });
        }
        r
    }

    fn reference(d: &Data, table: TableKind, f: &Filter, sort: Option<Sort>) -> Vec<u32> {
        let z = (!f.text.trim().is_empty()).then(|| Substr::new(&f.text));
        let mut v: Vec<u32> = match table {
            TableKind::Accounts => (0..d.report.accounts.len())
                .filter(|&i| {
                    view::account_passes(d, i, f)
                        && z.as_ref()
                            .is_none_or(|z| z.account_matches(&d.report.accounts.at(i)))
                })
                .map(|i| i as u32)
                .collect(),
            TableKind::Findings => (0..d.finding_count() as u32)
                .filter(|&r| {
                    view::finding_passes(d, r, f)
                        && z.as_ref().is_none_or(|z| z.finding_matches(d, r))
                })
                .collect(),
        };
        if let Some(s) = sort {
            v.sort_by(|a, b| {
                let o = cmp_rows(d, table, s.col, *a, *b);
                if s.desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        v
    }

    fn text(t: &str) -> Filter {
        Filter {
            text: t.into(),
            ..Filter::default()
        }
    }

    #[test]
    fn every_sort_gives_the_order_of_a_stable_sort_by_the_column_both_ways() {
        for (name, d) in datasets() {
            let mut cases: Vec<(TableKind, Col)> = FINDING_COLUMNS
                .iter()
                .map(|&c| (TableKind::Findings, c))
                .collect();
            cases.extend(
                account_columns(&d)
                    .into_iter()
                    .map(|c| (TableKind::Accounts, c)),
            );
            for (table, col) in cases {
                for desc in [false, true] {
                    for f in [
                        Filter::default(),
                        text("a"),
                        text("lotus 莲花"),
                        text("gh_"),
                    ] {
                        let s = Some(Sort { col, desc });
                        let got = view::compute(&d, table, &f, s, &Cancel::never()).expect("done");
                        assert!(
                            got == reference(&d, table, &f, s),
                            "{name}: {table:?} by {col:?} desc={desc} filter {:?}",
                            f.text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn sorting_by_message_keeps_ties_in_row_order_and_orders_by_the_words() {
        let d = Data::build(large_report(3_000), Duration::ZERO);
        for desc in [false, true] {
            let s = Some(Sort {
                col: Col::Message,
                desc,
            });
            let v = view::compute(
                &d,
                TableKind::Findings,
                &Filter::default(),
                s,
                &Cancel::never(),
            )
            .expect("done");
            let msg = |r: u32| d.report.message(d.finding(r)).into_owned();
            let mut ties = 0;
            for w in v.windows(2) {
                let (a, b) = (msg(w[0]), msg(w[1]));
                if a == b {
                    ties += 1;
                    assert!(w[0] < w[1], "equal messages keep their row order");
                } else {
                    assert_eq!(a < b, !desc, "{a:?} before {b:?} (desc={desc})");
                }
            }
            assert!(ties > 1000, "the fixture has many equal messages ({ties})");
        }
        // The second sort uses the ranks the first one made.
        assert!(d.index.is_ranked(TableKind::Findings, Col::Message));
        assert!(d.index.ranked_bytes() >= d.finding_count());
    }

    /// Every column of both tables, as the sorts test them.
    fn all_columns(d: &Data) -> Vec<(TableKind, Col)> {
        let mut cases: Vec<(TableKind, Col)> = FINDING_COLUMNS
            .iter()
            .map(|&c| (TableKind::Findings, c))
            .collect();
        cases.extend(
            account_columns(d)
                .into_iter()
                .map(|c| (TableKind::Accounts, c)),
        );
        cases
    }

    #[test]
    fn a_sort_after_the_warm_up_gives_the_order_of_a_sort_without_it() {
        for (name, d) in datasets() {
            let d = Arc::new(d);
            let mut steps = Vec::new();
            let done = Index::warm_up(&Arc::downgrade(&d), &mut |t, c| steps.push((t, c)));
            assert_eq!(done, WarmUp::Done, "{name}");
            assert_eq!(
                steps[0],
                (TableKind::Findings, Col::Message),
                "most likely first"
            );
            assert_eq!(steps, warm_columns(&d));
            for (table, col) in warm_columns(&d) {
                assert!(
                    d.index.is_ranked(table, col),
                    "{name}: {table:?} {col:?} warmed"
                );
            }
            let cold = Data::build(d.report.clone(), Duration::ZERO);
            for (table, col) in all_columns(&d) {
                for desc in [false, true] {
                    for f in [Filter::default(), text("lotus 莲花")] {
                        let s = Some(Sort { col, desc });
                        let warm = view::compute(&d, table, &f, s, &Cancel::never());
                        let without = view::compute(&cold, table, &f, s, &Cancel::never());
                        assert_eq!(warm, without, "{name}: {table:?} by {col:?} desc={desc}");
                        assert!(
                            warm.as_deref() == Some(&reference(&d, table, &f, s)[..]),
                            "{name}: {table:?} by {col:?} desc={desc}"
                        );
                    }
                }
            }
        }
    }

    /// A reload retires the old data: its warm-up stops at its next check, even while a job
    /// still holds the old data, and makes no more ranks for it.
    #[test]
    fn a_reload_stops_the_warm_up_of_the_old_data() {
        let mut a = App::from_report(large_report(3_000), "acme.csv");
        let warm = a
            .cmds
            .iter()
            .find_map(|c| match c {
                crate::jobs::Cmd::WarmUp(w) => Some(w.clone()),
                _ => None,
            })
            .expect("a load queues a warm-up");
        a.cmds.retain(|c| !matches!(c, crate::jobs::Cmd::WarmUp(_)));
        a.settle();
        // As a view job still running on the old data would.
        let old = warm.upgrade().expect("loaded");
        let mut steps = 0;
        let got = Index::warm_up(&warm, &mut |_, _| {
            steps += 1;
            if steps == 1 {
                // The reload lands just as the warm-up starts on its first column.
                a.update(Action::Job(JobMsg::Loaded(Ok(Arc::new(Data::build(
                    large_report(3_000),
                    Duration::ZERO,
                ))))));
            }
        });
        assert_eq!(got, WarmUp::Stopped);
        assert_eq!(steps, 1, "no further column was started");
        assert!(old.index.is_retired());
        assert!(!old.index.is_ranked(TableKind::Findings, Col::Message));
        // The new data's warm-up is queued and runs to the end.
        a.settle();
        let new = a.data.clone().expect("reloaded");
        assert!(!new.index.is_retired());
        assert!(new.index.is_ranked(TableKind::Findings, Col::Message));
        // Once the old data is gone, a warm-up of it has nothing to do.
        drop(old);
        drop(a);
        let mut steps = 0;
        assert_eq!(
            Index::warm_up(&warm, &mut |_, _| steps += 1),
            WarmUp::Stopped
        );
        assert_eq!(steps, 0);
    }

    /// Told to stop in the middle of a column's texts, making ranks gives up without keeping
    /// anything, and the next sort makes them whole.
    #[test]
    fn ranks_stopped_half_way_are_not_kept() {
        let d = Data::build(large_report(3_000), Duration::ZERO);
        assert!(d.finding_count() > STOP_EVERY, "several looks at stop");
        let looks = AtomicUsize::new(0);
        // Stop at the third look: the texts are being made.
        let stop = || looks.fetch_add(1, AtomicOrdering::SeqCst) >= 2;
        assert!(d
            .index
            .ranks(&d, TableKind::Findings, Col::Message, &stop)
            .is_none());
        assert!(!d.index.is_ranked(TableKind::Findings, Col::Message));
        let s = Some(Sort {
            col: Col::Message,
            desc: false,
        });
        let f = Filter::default();
        let got = view::compute(&d, TableKind::Findings, &f, s, &Cancel::never());
        assert_eq!(got, Some(reference(&d, TableKind::Findings, &f, s)));
        // A retired index stops the warm-up before anything is made.
        let d = Arc::new(Data::build(large_report(300), Duration::ZERO));
        d.index.retire();
        assert_eq!(
            Index::warm_up(&Arc::downgrade(&d), &mut |_, _| {}),
            WarmUp::Stopped
        );
        assert_eq!(d.index.ranked_bytes(), 0);
    }

    /// Texts that agree on many bytes, end inside a window or hold zero bytes sort as
    /// byte-wise comparison does.
    #[test]
    fn the_radix_sort_of_texts_orders_as_comparing_them() {
        let mut texts: Vec<Option<Vec<u8>>> = vec![None, Some(vec![]), Some(vec![0])];
        let long = "莲花美妆 Official 0123456789 abcdefghijklmnop".as_bytes();
        for n in 0..long.len() {
            texts.push(Some(long[..n].to_vec()));
            let mut z = long[..n].to_vec();
            z.push(0);
            texts.push(Some(z));
            let mut x = long[..n].to_vec();
            x.push(b'~');
            texts.push(Some(x));
        }
        for k in 0..9000u32 {
            texts.push(Some(
                format!(
                    "same prefix for many rows, {}",
                    k.wrapping_mul(2_654_435_761) % 977
                )
                .into_bytes(),
            ));
        }
        let rows: Vec<u32> = (0..texts.len() as u32).collect();
        let text = |r: u32| texts[r as usize].as_deref();
        let got: Vec<Option<&[u8]>> = sort_by_text(&rows, text).into_iter().map(text).collect();
        let mut want: Vec<Option<&[u8]>> = rows.iter().map(|&r| text(r)).collect();
        want.sort();
        assert!(got == want);
    }

    #[test]
    fn filters_match_the_row_by_row_filter_for_every_kind_of_term() {
        let queries = [
            "lotus",
            "LOTUS be",
            "莲花",
            "gh_",
            "reach-00",
            "REACH",
            "zzz",
            "a b c",
            "acme tea",
            "  tea  ",
            "服务号",
            "ü",
            "OWN-001 acme",
            // A term with the byte the lower-cased index separates fields with.
            "gh\u{0}",
        ];
        for (name, d) in datasets() {
            for q in queries {
                for table in [TableKind::Accounts, TableKind::Findings] {
                    for sev in [None, Some(wxaudit_core::model::Severity::High)] {
                        let f = Filter {
                            min_severity: sev,
                            ..text(q)
                        };
                        let got = view::compute(&d, table, &f, None, &Cancel::never());
                        assert_eq!(
                            got,
                            Some(reference(&d, table, &f, None)),
                            "{name} {table:?} {q:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_rule_facet_keeps_the_rows_of_the_row_by_row_filter() {
        for (name, d) in datasets() {
            let mut rules: Vec<String> = d
                .report
                .findings
                .iter()
                .map(|f| f.rule_id.to_string())
                .collect();
            rules.sort();
            rules.dedup();
            assert!(rules.len() > 3, "{name}: a few rules to filter by");
            rules.push("NOPE-999".into());
            let mut kept_accounts = 0;
            for r in &rules {
                for table in [TableKind::Accounts, TableKind::Findings] {
                    let f = Filter {
                        rule: Some(r.as_str().into()),
                        ..Filter::default()
                    };
                    let got = view::compute(&d, table, &f, None, &Cancel::never());
                    let want = reference(&d, table, &f, None);
                    assert_eq!(got, Some(want.clone()), "{name} {table:?} {r}");
                    if table == TableKind::Accounts && !want.is_empty() {
                        kept_accounts += 1;
                    }
                }
            }
            assert!(
                kept_accounts > 3,
                "{name}: account-level rules keep accounts"
            );
        }
    }

    #[test]
    fn a_filter_that_narrows_then_widens_lists_the_right_rows() {
        let mut a = App::from_report(crate::fixtures::sample_report(), "acme.csv");
        a.settle();
        a.update(Action::GoTab(Tab::Findings));
        a.update(Action::Filter);
        a.settle();
        let d = a.data.clone().expect("loaded");
        let check = |a: &App, q: &str| {
            let want = reference(&d, TableKind::Findings, &text(q), a.findings.sort);
            assert_eq!(*a.findings.view, want, "findings for {q:?}");
            let want = reference(&d, TableKind::Accounts, &text(q), a.accounts.sort);
            assert_eq!(*a.accounts.view, want, "accounts for {q:?}");
        };
        let mut typed = String::new();
        for c in "gh_lotus".chars() {
            a.update(Action::InputChar(c));
            a.settle();
            typed.push(c);
            check(&a, &typed);
        }
        assert!(!a.findings.view.is_empty());
        for _ in 0..6 {
            a.update(Action::InputBackspace);
            a.settle();
            typed.pop();
            check(&a, &typed);
        }
        assert_eq!(typed, "gh");
        a.update(Action::InputClear);
        a.settle();
        assert_eq!(a.findings.view.len(), d.finding_count());
    }

    fn reference_search(
        d: &Data,
        table: TableKind,
        view: &[u32],
        q: &str,
        from: usize,
        fwd: bool,
        incl: bool,
    ) -> Option<usize> {
        let n = view.len();
        if n == 0 || q.trim().is_empty() {
            return None;
        }
        let mut z = Fuzzy::new(q);
        (if incl { 0 } else { 1 }..=n)
            .map(|k| {
                if fwd {
                    (from + k) % n
                } else {
                    (from + n * 2 - k) % n
                }
            })
            .find(|&p| match table {
                TableKind::Accounts => z.account_matches(&d.report.accounts.at(view[p] as usize)),
                TableKind::Findings => z.finding_matches(d, view[p]),
            })
    }

    #[test]
    fn search_finds_the_same_row_as_the_row_by_row_search() {
        for (name, d) in datasets() {
            for table in [TableKind::Accounts, TableKind::Findings] {
                let v = view::compute(
                    &d,
                    table,
                    &Filter::default(),
                    Some(Sort {
                        col: Col::Name,
                        desc: false,
                    })
                    .filter(|_| table == TableKind::Accounts),
                    &Cancel::never(),
                )
                .expect("done");
                let n = v.len();
                for q in [
                    "lotus",
                    "莲花",
                    "gh",
                    "reach",
                    "zzqx no such",
                    "北风",
                    "ACME",
                ] {
                    for from in [0, 1, n / 2, n.saturating_sub(1)] {
                        for (fwd, incl) in [(true, true), (true, false), (false, false)] {
                            assert_eq!(
                                view::search(&d, table, &v, q, from, fwd, incl, &Cancel::never()),
                                reference_search(&d, table, &v, q, from, fwd, incl),
                                "{name} {table:?} {q:?} from {from} fwd={fwd} incl={incl}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn reload_lands_on_the_same_finding_and_detail() {
        let mut a = App::from_report(sample_report(), "acme.csv");
        a.opts = Some(wxaudit_core::pipeline::PipelineOptions {
            input: "acme.csv".into(),
            ..Default::default()
        });
        a.settle();
        a.update(Action::GoTab(Tab::Findings));
        for _ in 0..3 {
            a.update(Action::Down);
        }
        a.settle();
        let d = a.data.clone().expect("loaded");
        let sel = a.findings.selected_row().expect("a row");
        let fp = d.report.fingerprint(d.finding(sel));
        let detail_row = a.findings.view[1];
        a.detail = Some(DetailTarget::Finding(detail_row));
        let detail_fp = d.report.fingerprint(d.finding(detail_row));
        a.update(Action::Reload);
        let _ = a.take_cmds();
        // The file changed: the first account moved to the end, so every index moved.
        let mut r = sample_report();
        let mut accounts = r.accounts.to_vec();
        let moved = accounts.remove(0);
        let cls = r.classifications.remove(0);
        let last = accounts.len() as u32;
        accounts.push(moved);
        r.accounts = accounts.into();
        r.classifications.push(cls);
        for f in &mut r.findings {
            f.account = f.account.map(|i| if i == 0 { last } else { i - 1 });
        }
        r.findings.reverse();
        a.update(Action::Job(JobMsg::Loaded(Ok(Arc::new(Data::build(
            r,
            Duration::ZERO,
        ))))));
        a.settle();
        let d = a.data.clone().expect("reloaded");
        let now = a.findings.selected_row().expect("a row");
        assert_eq!(d.report.fingerprint(d.finding(now)), fp);
        match a.detail {
            Some(DetailTarget::Finding(r)) => {
                assert_eq!(d.report.fingerprint(d.finding(r)), detail_fp)
            }
            other => panic!("detail lost: {other:?}"),
        }
    }

    /// Whenever the quick test rules a field out, the matcher finds no match either.
    #[test]
    fn the_quick_test_only_rules_out_fields_the_matcher_does_not_match() {
        use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
        use nucleo_matcher::{Config, Matcher, Utf32Str};
        let mut fields: Vec<String> = [
            "Lotus Beauty",
            "LOTUS",
            "lötus",
            "Ｌotus",
            "\u{212a}elvin",
            "莲花美妆服务号",
            "莲 花",
            "北风旅行",
            "北\u{fe0f}风",
            "a\r\nb",
            "gh_lotus_cn",
            "REACH-001",
            "",
            " ",
            "ǅ",
            "ß",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (_, d) in datasets() {
            for a in &d.report.accounts {
                fields.extend(
                    account_text_fields(&a)
                        .into_iter()
                        .flatten()
                        .map(String::from),
                );
            }
        }
        let queries = [
            "lotus",
            "LOTUS",
            "lo",
            "kelvin",
            "莲花",
            "莲 花",
            "北风",
            "zzqx no such",
            "gh",
            "a b",
            "ab",
            "ss",
            "dz",
            "reach-1",
            "服务",
            "美妆x",
            " ",
        ];
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut ruled_out = 0;
        for q in queries {
            let pre = Subsequence::new(q.trim());
            let atom = Atom::new(
                q.trim(),
                CaseMatching::Ignore,
                Normalization::Smart,
                AtomKind::Fuzzy,
                false,
            );
            for f in &fields {
                if pre.rules_out(f) {
                    ruled_out += 1;
                    let score = atom.score(Utf32Str::new(f, &mut buf), &mut matcher);
                    assert_eq!(score, None, "{q:?} ruled out {f:?}, which matches");
                }
            }
        }
        assert!(ruled_out > 100, "{ruled_out}");
    }

    #[test]
    fn fingerprints_are_found_first_in_row_order_and_missing_ones_are_none() {
        let d = acme();
        let n = d.finding_count() as u32;
        let all: Vec<(String, String)> = (0..n)
            .map(|r| {
                let f = d.finding(r);
                (f.rule_id.to_string(), d.report.fingerprint(f).to_string())
            })
            .collect();
        let mut wanted: Vec<(&str, &str)> =
            all.iter().map(|(r, f)| (r.as_str(), f.as_str())).collect();
        wanted.push(("REACH-001", "0000000000000000"));
        let got = find_fingerprints(&d, &wanted);
        for (k, (_, fp)) in all.iter().enumerate() {
            let first = all.iter().position(|(_, f)| f == fp).map(|i| i as u32);
            assert_eq!(got[k], first);
        }
        assert_eq!(got[all.len()], None);
    }
}
