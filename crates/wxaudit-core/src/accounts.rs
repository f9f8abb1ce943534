//! The accounts of an inventory, stored column-wise: [`Accounts`] and the borrowed row view
//! [`AccountRef`] every reader of an account goes through.
//!
//! Why it exists: a million-account inventory held as a `Vec<Account>` (one ~600-byte struct per
//! account, plus a heap block for every value longer than 24 bytes) took four times the file's
//! size. Here each column is one vector, allocated only once some account has a value in it:
//!
//! - values that are different on nearly every row (id, name, phone number, credit code, notes…)
//!   are bytes in one arena, addressed by an 8-byte [`Str`];
//! - values that repeat (brand, owner, legal entity, country, currency, portal, and the lists of
//!   audiences, features and operators) are 4-byte codes into a per-column dictionary;
//! - closed sets (type, status, …) are one byte, dates four;
//! - the text as written (`raw`) is a range of a shared list;
//! - unrecognised columns (`extra`) are columns of their own, one per header (`extras.rs`).
//!
//! An account is read as an [`AccountRef`] (`account_ref.rs`): a `Copy` handle with one method per
//! field of [`Account`] (`a.brand()`, `a.features()`), each reading its own column when called,
//! so a report writer that visits accounts out of order touches only the columns it shows. Hot
//! loops that need one field of many accounts (sorting by id, say) use the per-column accessors
//! ([`Accounts::id`], [`Accounts::label`]) directly.
//!
//! [`Account`] stays the owned form: importers fill one per row and push it, tests build them by
//! hand, and [`AccountRef::to_account`] gives one back.

use crate::model::{
    Account, AccountType, AdminStatus, Column, ColumnSet, Country, EntityType, Finding,
    MerchantTrack, Platform, Status, Text,
};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

mod account_ref;
mod extras;
pub use account_ref::AccountRef;
use extras::Extras;

/// Text in the store's arena: where it starts and how long it is. [`Str::NONE`] is "no value".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str {
    start: u32,
    len: u32,
}

impl Str {
    pub const NONE: Str = Str {
        start: 0,
        len: u32::MAX,
    };
}

impl Default for Str {
    fn default() -> Str {
        Str::NONE
    }
}

/// The store could not take an account: its text would pass the arena's 4 GiB.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the inventory holds more than 4 GiB of text, more than one audit can hold; split it into several files and audit each")]
pub struct StoreFull;

/// One column of plain values, allocated when the first row has a value (`T::default()` is
/// "no value"). Once allocated it holds one value per row pushed since.
#[derive(Debug, Clone)]
struct Col<T> {
    v: Vec<T>,
}

impl<T> Default for Col<T> {
    fn default() -> Self {
        Col { v: Vec::new() }
    }
}

/// Asks the processor to start loading `v[row]` into its cache (see [`Accounts::prefetch`]).
#[inline]
fn prefetch_at<T>(v: &[T], row: usize) {
    if let Some(x) = v.get(row) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint with no effect on memory; the address is in bounds.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = x;
    }
}

impl Col<Str> {
    /// Bytes of arena text the column's handles point at.
    fn text_len(&self) -> usize {
        self.v
            .iter()
            .filter(|s| s.len != u32::MAX)
            .map(|s| s.len as usize)
            .sum()
    }
}

impl<T: Copy + Default + PartialEq> Col<T> {
    #[inline]
    fn prefetch(&self, row: usize) {
        prefetch_at(&self.v, row);
    }
    #[inline]
    fn push(&mut self, row: usize, x: T) {
        if self.v.is_empty() && x == T::default() {
            return;
        }
        if self.v.len() < row {
            self.v.resize(row, T::default());
        }
        self.v.push(x);
    }
    #[inline]
    fn get(&self, row: usize) -> T {
        self.v.get(row).copied().unwrap_or_default()
    }
    fn set(&mut self, row: usize, x: T) {
        if row >= self.v.len() {
            if x == T::default() {
                return;
            }
            self.v.resize(row + 1, T::default());
        }
        self.v[row] = x;
    }
    fn shrink(&mut self) {
        self.v.shrink_to_fit();
    }
    fn heap(&self) -> usize {
        self.v.capacity() * std::mem::size_of::<T>()
    }
    /// Appends `other` (holding `other_len` rows) to this column of `len` rows, each value
    /// passed through `map`.
    fn append(&mut self, len: usize, other: Col<T>, other_len: usize, map: impl Fn(T) -> T) {
        if other.v.is_empty() {
            if !self.v.is_empty() {
                self.v.resize(len + other_len, T::default());
            }
            return;
        }
        self.v.reserve(other_len + len.saturating_sub(self.v.len()));
        self.v.resize(len, T::default());
        self.v.extend(other.v.into_iter().map(map));
        self.v.resize(len + other_len, T::default());
    }
}

/// The ends of each row's range in a list kept beside the columns (the values as written, the
/// pairs of extra columns held aside): row `i`'s entries are `list[end[i - 1]..end[i]]`.
impl Col<u32> {
    /// Row `row`'s range in the list.
    #[inline]
    fn span(&self, row: usize) -> std::ops::Range<usize> {
        let start = if row == 0 {
            0
        } else {
            self.get(row - 1) as usize
        };
        start..(self.get(row) as usize).max(start)
    }
    /// Appends `other`'s ends (`other_len` rows, into a list now appended at `base`) to these
    /// `len` rows: an appended row with no entries ends where the row before it did.
    fn append_ends(&mut self, len: usize, other: Col<u32>, other_len: usize, base: u32) {
        if other.v.is_empty() {
            if !self.v.is_empty() {
                self.v.resize(len + other_len, base);
            }
        } else {
            self.v.resize(len, base);
            self.v.extend(other.v.into_iter().map(|e| e + base));
            self.v.resize(len + other_len, base);
        }
    }
}

/// A value that nearly always fits in fewer bytes: a dictionary code (two bytes while a column
/// has at most 65,535 distinct values), a line number or a follower count (four bytes below
/// 4,294,967,295).
trait Narrows: Copy + Default + PartialEq {
    type Narrow: Copy + Default + PartialEq;
    /// The narrow form; None when this value needs the wide one. The default ("no value")
    /// narrows to the narrow default.
    fn narrow(self) -> Option<Self::Narrow>;
    fn widen(n: Self::Narrow) -> Self;
}

impl Narrows for u32 {
    type Narrow = u16;
    fn narrow(self) -> Option<u16> {
        u16::try_from(self).ok()
    }
    fn widen(n: u16) -> u32 {
        u32::from(n)
    }
}

impl Narrows for u64 {
    type Narrow = u32;
    fn narrow(self) -> Option<u32> {
        u32::try_from(self).ok()
    }
    fn widen(n: u32) -> u64 {
        u64::from(n)
    }
}

/// A count that may be missing: `n + 1` in four bytes, 0 for none.
impl Narrows for Option<u64> {
    type Narrow = u32;
    fn narrow(self) -> Option<u32> {
        match self {
            None => Some(0),
            Some(n) => u32::try_from(n.checked_add(1)?).ok(),
        }
    }
    fn widen(n: u32) -> Option<u64> {
        n.checked_sub(1).map(u64::from)
    }
}

/// A column of values held narrow until one value needs the wide form; then the whole column
/// is widened in place (once).
#[derive(Debug, Clone)]
enum Packed<T: Narrows> {
    Narrow(Col<T::Narrow>),
    Wide(Col<T>),
}

/// A dictionary column's codes.
type Codes = Packed<u32>;

impl<T: Narrows> Default for Packed<T> {
    fn default() -> Self {
        Packed::Narrow(Col::default())
    }
}

impl<T: Narrows> Packed<T> {
    #[inline]
    fn prefetch(&self, row: usize) {
        match self {
            Packed::Narrow(n) => n.prefetch(row),
            Packed::Wide(w) => w.prefetch(row),
        }
    }
    /// The wide form from now on.
    fn widen(&mut self) {
        if let Packed::Narrow(n) = self {
            let v = n.v.iter().map(|&c| T::widen(c)).collect();
            *self = Packed::Wide(Col { v });
        }
    }
    #[inline]
    fn push(&mut self, row: usize, x: T) {
        self.put(row, x, Col::push, Col::push);
    }
    /// Puts `x` at `row` with `narrow` while it narrows, else widens and uses `wide`.
    #[inline]
    fn put(
        &mut self,
        row: usize,
        x: T,
        narrow: fn(&mut Col<T::Narrow>, usize, T::Narrow),
        wide: fn(&mut Col<T>, usize, T),
    ) {
        if let Packed::Narrow(n) = self {
            match x.narrow() {
                Some(c) => return narrow(n, row, c),
                None => self.widen(),
            }
        }
        if let Packed::Wide(w) = self {
            wide(w, row, x);
        }
    }
    #[inline]
    fn get(&self, row: usize) -> T {
        match self {
            Packed::Narrow(n) => T::widen(n.get(row)),
            Packed::Wide(w) => w.get(row),
        }
    }
    fn set(&mut self, row: usize, x: T) {
        self.put(row, x, Col::set, Col::set);
    }
    /// How many rows the column holds (it stops at the last row with a value).
    fn rows(&self) -> usize {
        match self {
            Packed::Narrow(n) => n.v.len(),
            Packed::Wide(w) => w.v.len(),
        }
    }
    /// No row has a value (the column was never filled).
    fn is_empty(&self) -> bool {
        match self {
            Packed::Narrow(n) => n.v.is_empty(),
            Packed::Wide(w) => w.v.is_empty(),
        }
    }
    /// Appends `other` (holding `other_len` rows) to this column of `len` rows, each value
    /// passed through `map`. `narrow_fits`: `map` of any narrow value of `other` narrows too.
    fn append(
        &mut self,
        len: usize,
        other: Packed<T>,
        other_len: usize,
        map: impl Fn(T) -> T,
        narrow_fits: bool,
    ) {
        if !narrow_fits || matches!(other, Packed::Wide(_)) {
            self.widen();
        }
        match (self, other) {
            (Packed::Narrow(n), Packed::Narrow(o)) => n.append(len, o, other_len, |c| {
                map(T::widen(c))
                    .narrow()
                    .expect("the caller said mapped values narrow")
            }),
            (Packed::Wide(w), Packed::Narrow(o)) => {
                let o = Col {
                    v: o.v.into_iter().map(T::widen).collect(),
                };
                w.append(len, o, other_len, map)
            }
            (Packed::Wide(w), Packed::Wide(o)) => w.append(len, o, other_len, map),
            (Packed::Narrow(_), Packed::Wide(_)) => unreachable!("widened above"),
        }
    }
    fn shrink(&mut self) {
        match self {
            Packed::Narrow(n) => n.shrink(),
            Packed::Wide(w) => w.shrink(),
        }
    }
    fn heap(&self) -> usize {
        match self {
            Packed::Narrow(n) => n.heap(),
            Packed::Wide(w) => w.heap(),
        }
    }
}

/// A dictionary-coded column: code 0 is "no value", code `k` is `values[k - 1]`.
#[derive(Debug, Clone)]
struct Dict<T> {
    codes: Codes,
    values: Vec<T>,
    index: HashMap<T, u32, foldhash::fast::FixedState>,
}

impl<T> Default for Dict<T> {
    fn default() -> Self {
        Dict {
            codes: Codes::default(),
            values: Vec::new(),
            index: HashMap::with_hasher(foldhash::fast::FixedState::default()),
        }
    }
}

impl<T: Hash + Eq + Clone> Dict<T> {
    /// The code of `x`, found by a borrowed form of the value (`&str`, `&[Text]`) so that a
    /// value already in the dictionary costs no allocation; `make` builds a new one.
    fn code<Q>(&mut self, x: &Q, make: impl FnOnce(&Q) -> T) -> u32
    where
        T: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(&c) = self.index.get(x) {
            return c;
        }
        let v = make(x);
        self.values.push(v.clone());
        let c = self.values.len() as u32;
        self.index.insert(v, c);
        c
    }
    #[inline]
    fn push_by<Q>(&mut self, row: usize, x: Option<&Q>, make: impl FnOnce(&Q) -> T)
    where
        T: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let c = x.map_or(0, |x| self.code(x, make));
        self.codes.push(row, c);
    }
    #[inline]
    fn push(&mut self, row: usize, x: Option<&T>) {
        self.push_by(row, x, T::clone);
    }
    /// How many rows the codes hold (they stop at the last row with a value).
    fn rows(&self) -> usize {
        self.codes.rows()
    }
    #[inline]
    fn get(&self, row: usize) -> Option<&T> {
        match self.codes.get(row) {
            0 => None,
            c => self.values.get(c as usize - 1),
        }
    }
    /// Appends `other`'s column of `other_len` rows to this one of `len` rows, recoding.
    fn append(&mut self, len: usize, other: Dict<T>, other_len: usize) {
        let recode: Vec<u32> = std::iter::once(0)
            .chain(other.values.iter().map(|v| self.code(v, T::clone)))
            .collect();
        let fits = self.values.len() <= usize::from(u16::MAX);
        self.codes
            .append(len, other.codes, other_len, |c| recode[c as usize], fits);
    }
    fn shrink(&mut self) {
        self.codes.shrink();
        self.values.shrink_to_fit();
        // Kept: a store can still be pushed to or appended to after it is shrunk, and each value
        // must stay in the dictionary once.
        self.index.shrink_to_fit();
    }
    fn heap(&self) -> usize {
        self.codes.heap() + self.values.capacity() * std::mem::size_of::<T>()
    }
}

/// The text `s` addresses in `arena`.
///
/// Made without reading the arena (no character-boundary check), so that viewing an account
/// touches none of its text until the text is read: with a million accounts the arena is far
/// larger than the caches, and a report writer views accounts in finding order, not file order.
#[inline]
fn arena_str(arena: &str, s: Str) -> Option<&str> {
    if s.len == u32::MAX {
        return None;
    }
    let (start, end) = (s.start as usize, s.start as usize + s.len as usize);
    if end > arena.len() {
        return None;
    }
    debug_assert!(arena.is_char_boundary(start) && arena.is_char_boundary(end));
    // SAFETY: in bounds (checked above), and on character boundaries: every `Str` of a store is
    // made by `Accounts::text` for a whole `&str` it appends to this arena, or shifted with that
    // arena's text by `Accounts::append`; its fields are private to this module, so no handle
    // from elsewhere reaches here.
    Some(unsafe { arena.get_unchecked(start..end) })
}

/// Adds `s` at the end of `arena`; its handle.
#[inline]
fn put_text(arena: &mut String, s: &str) -> Result<Str, StoreFull> {
    let start = u32::try_from(arena.len()).map_err(|_| StoreFull)?;
    let len = u32::try_from(s.len())
        .ok()
        .filter(|&l| l < u32::MAX && start.checked_add(l).is_some())
        .ok_or(StoreFull)?;
    arena.push_str(s);
    Ok(Str { start, len })
}

/// Every account of an inventory, column by column (see the module doc).
#[derive(Clone, Default)]
pub struct Accounts {
    len: usize,
    arena: String,
    line: Packed<u64>,
    id: Col<Str>,
    name: Col<Str>,
    account_type: Col<Option<AccountType>>,
    declared_platform: Col<Option<Platform>>,
    portal: Dict<Text>,
    /// Code 0: no phone; otherwise the phone's country calling code (itself optional).
    phone_code: Dict<Option<Text>>,
    phone_number: Col<Str>,
    entity_name: Dict<Text>,
    entity_type: Col<Option<EntityType>>,
    entity_overseas: Col<bool>,
    entity_country: Dict<Country>,
    credit_code: Col<Str>,
    icp_filing: Col<Str>,
    wallet_currency: Dict<Text>,
    verified: Col<Option<bool>>,
    verification_expiry: Col<Option<NaiveDate>>,
    payments: Col<Option<bool>>,
    merchant_id: Col<Str>,
    merchant_track: Col<Option<MerchantTrack>>,
    merchant_entity: Dict<Text>,
    admin: Dict<Text>,
    admin_status: Col<Option<AdminStatus>>,
    operators: Dict<Box<[Text]>>,
    audience: Dict<Box<[Text]>>,
    features: Dict<Box<[Text]>>,
    brand: Dict<Text>,
    status: Col<Option<Status>>,
    followers: Packed<Option<u64>>,
    last_active: Col<Option<NaiveDate>>,
    notes: Col<Str>,
    wechat_id: Col<Str>,
    terms: Col<Option<Platform>>,
    email: Col<Str>,
    /// Row `i`'s `raw` entries are `raw[raw_end[i - 1]..raw_end[i]]`.
    raw_end: Col<u32>,
    raw: Vec<(Column, Str)>,
    extras: Extras,
}

impl fmt::Debug for Accounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Accounts {
    fn eq(&self, other: &Accounts) -> bool {
        self.len == other.len && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Accounts {
    pub fn new() -> Accounts {
        Accounts::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// A store without accounts, for findings read without their report's accounts.
    pub fn empty() -> &'static Accounts {
        static EMPTY: std::sync::OnceLock<Accounts> = std::sync::OnceLock::new();
        EMPTY.get_or_init(Accounts::default)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn text(&mut self, s: Option<&str>) -> Result<Str, StoreFull> {
        match s {
            Some(s) => put_text(&mut self.arena, s),
            None => Ok(Str::NONE),
        }
    }

    #[inline]
    fn str(&self, s: Str) -> Option<&str> {
        arena_str(&self.arena, s)
    }

    /// Adds one account at the end; returns its index.
    pub fn push(&mut self, a: &Account) -> Result<u32, StoreFull> {
        let row = self.len;
        let index = u32::try_from(row).map_err(|_| StoreFull)?;
        fn t(s: &Option<Text>) -> Option<&str> {
            s.as_deref()
        }
        let id = self.text(t(&a.id))?;
        let name = self.text(t(&a.name))?;
        let number = self.text(a.phone.as_ref().map(|p| p.number.as_str()))?;
        let credit_code = self.text(t(&a.credit_code))?;
        let icp_filing = self.text(t(&a.icp_filing))?;
        let merchant_id = self.text(t(&a.merchant_id))?;
        let notes = self.text(t(&a.notes))?;
        let wechat_id = self.text(t(&a.wechat_id))?;
        let email = self.text(t(&a.email))?;
        // On an error the store is left part-written; the import that pushed fails as a whole.
        for (c, v) in &a.raw {
            let v = self.text(Some(v))?;
            self.raw.push((*c, v));
        }
        self.extras.push(&mut self.arena, row, &a.extra)?;
        fn list(l: &[Text]) -> Option<&[Text]> {
            (!l.is_empty()).then_some(l)
        }
        fn text(s: &Option<Text>) -> Option<&str> {
            s.as_deref()
        }
        let boxed = |l: &[Text]| -> Box<[Text]> { l.into() };

        self.line.push(row, a.line);
        self.id.push(row, id);
        self.name.push(row, name);
        self.account_type.push(row, a.account_type);
        self.declared_platform.push(row, a.declared_platform);
        self.portal
            .push_by(row, text(&a.portal), |s: &str| Text::from(s));
        let code = a.phone.as_ref().map(|p| p.country_code.clone());
        self.phone_code.push(row, code.as_ref());
        self.phone_number.push(row, number);
        self.entity_name
            .push_by(row, text(&a.entity_name), |s: &str| Text::from(s));
        self.entity_type.push(row, a.entity_type);
        self.entity_overseas.push(row, a.entity_overseas);
        self.entity_country.push(row, a.entity_country.as_ref());
        self.credit_code.push(row, credit_code);
        self.icp_filing.push(row, icp_filing);
        self.wallet_currency
            .push_by(row, text(&a.wallet_currency), |s: &str| Text::from(s));
        self.verified.push(row, a.verified);
        self.verification_expiry.push(row, a.verification_expiry);
        self.payments.push(row, a.payments);
        self.merchant_id.push(row, merchant_id);
        self.merchant_track.push(row, a.merchant_track);
        self.merchant_entity
            .push_by(row, text(&a.merchant_entity), |s: &str| Text::from(s));
        self.admin
            .push_by(row, text(&a.admin), |s: &str| Text::from(s));
        self.admin_status.push(row, a.admin_status);
        self.operators.push_by(row, list(&a.operators), boxed);
        self.audience.push_by(row, list(&a.audience), boxed);
        self.features.push_by(row, list(&a.features), boxed);
        self.brand
            .push_by(row, text(&a.brand), |s: &str| Text::from(s));
        self.status.push(row, a.status);
        self.followers.push(row, a.followers);
        self.last_active.push(row, a.last_active);
        self.notes.push(row, notes);
        self.wechat_id.push(row, wechat_id);
        self.terms.push(row, a.terms);
        self.email.push(row, email);
        self.raw_end.push(row, self.raw.len() as u32);
        self.len += 1;
        Ok(index)
    }

    /// Adds owned accounts at the end, in order.
    pub fn extend_owned(
        &mut self,
        accounts: impl IntoIterator<Item = Account>,
    ) -> Result<(), StoreFull> {
        for a in accounts {
            self.push(&a)?;
        }
        Ok(())
    }

    /// Appends every account of `other`, in order: how importers join the stores they fill a
    /// batch of rows at a time on several threads. Costs a pass over the codes, not over values.
    pub fn append(&mut self, other: Accounts) -> Result<(), StoreFull> {
        let (len, n) = (self.len, other.len);
        u32::try_from(len + n).map_err(|_| StoreFull)?;
        let shift = u32::try_from(self.arena.len()).map_err(|_| StoreFull)?;
        u32::try_from(self.arena.len() + other.arena.len()).map_err(|_| StoreFull)?;
        self.arena.push_str(&other.arena);
        let moved = move |s: Str| match s.len {
            u32::MAX => s,
            _ => Str {
                start: s.start + shift,
                len: s.len,
            },
        };
        macro_rules! plain {
            ($($f:ident),*) => { $( self.$f.append(len, other.$f, n, |x| x); )* };
        }
        macro_rules! texts {
            ($($f:ident),*) => { $( self.$f.append(len, other.$f, n, moved); )* };
        }
        macro_rules! dicts {
            ($($f:ident),*) => { $( self.$f.append(len, other.$f, n); )* };
        }
        self.line.append(len, other.line, n, |x| x, true);
        self.followers.append(len, other.followers, n, |x| x, true);
        plain!(
            account_type,
            declared_platform,
            entity_type,
            entity_overseas,
            verified,
            verification_expiry,
            payments,
            merchant_track,
            admin_status,
            status,
            last_active,
            terms
        );
        texts!(
            id,
            name,
            phone_number,
            credit_code,
            icp_filing,
            merchant_id,
            notes,
            wechat_id,
            email
        );
        dicts!(
            portal,
            phone_code,
            entity_name,
            entity_country,
            wallet_currency,
            merchant_entity,
            admin,
            operators,
            audience,
            features,
            brand
        );
        let raw_base = self.raw.len() as u32;
        self.raw_end.append_ends(len, other.raw_end, n, raw_base);
        self.raw
            .extend(other.raw.into_iter().map(|(c, s)| (c, moved(s))));
        self.extras
            .append(&mut self.arena, len, other.extras, n, moved)?;
        self.len += n;
        Ok(())
    }

    /// Releases spare capacity once every account is in (the store can still grow afterwards).
    pub fn shrink_to_fit(&mut self) {
        self.arena.shrink_to_fit();
        self.line.shrink();
        for c in [
            &mut self.id,
            &mut self.name,
            &mut self.phone_number,
            &mut self.credit_code,
            &mut self.icp_filing,
            &mut self.merchant_id,
            &mut self.notes,
            &mut self.wechat_id,
            &mut self.email,
        ] {
            c.shrink();
        }
        for d in [
            &mut self.portal,
            &mut self.entity_name,
            &mut self.wallet_currency,
            &mut self.merchant_entity,
            &mut self.admin,
            &mut self.brand,
        ] {
            d.shrink();
        }
        self.phone_code.shrink();
        self.entity_country.shrink();
        self.operators.shrink();
        self.audience.shrink();
        self.features.shrink();
        self.raw.shrink_to_fit();
        self.extras.shrink();
    }

    /// Bytes the store holds on the heap (for the memory figures in benches).
    pub fn heap_bytes(&self) -> usize {
        self.heap_parts().iter().map(|(_, b)| b).sum()
    }

    /// Where the store's heap bytes go, part by part (`WXAUDIT_PHASES=1` prints them): the
    /// arena is split by the column whose text it holds, so a change to the model can be
    /// weighed before it is made.
    pub fn heap_parts(&self) -> Vec<(&'static str, usize)> {
        let strs = [
            ("id", &self.id),
            ("name", &self.name),
            ("phone_number", &self.phone_number),
            ("credit_code", &self.credit_code),
            ("icp_filing", &self.icp_filing),
            ("merchant_id", &self.merchant_id),
            ("notes", &self.notes),
            ("wechat_id", &self.wechat_id),
            ("email", &self.email),
        ];
        let dicts = [
            ("portal", &self.portal),
            ("entity_name", &self.entity_name),
            ("wallet_currency", &self.wallet_currency),
            ("merchant_entity", &self.merchant_entity),
            ("admin", &self.admin),
            ("brand", &self.brand),
        ];
        let mut parts: Vec<(&'static str, usize)> = Vec::new();
        let mut in_arena = 0;
        for (name, c) in strs {
            let text = c.text_len();
            in_arena += text;
            parts.push((name, c.heap() + text));
        }
        let raw_text: usize = self.raw.iter().map(|(_, s)| s.len as usize).sum();
        let (extras, extra_text) = self.extras.heap();
        in_arena += raw_text + extra_text;
        parts.push((
            "raw (as written)",
            raw_text
                + self.raw.capacity() * std::mem::size_of::<(Column, Str)>()
                + self.raw_end.heap(),
        ));
        parts.push(("extra columns", extra_text + extras));
        parts.push((
            "arena spare",
            self.arena.capacity().saturating_sub(in_arena),
        ));
        for (name, d) in dicts {
            parts.push((name, d.heap()));
        }
        parts.extend([
            ("phone_code", self.phone_code.heap()),
            ("entity_country", self.entity_country.heap()),
            ("operators", self.operators.heap()),
            ("audience", self.audience.heap()),
            ("features", self.features.heap()),
            ("line", self.line.heap()),
            ("followers", self.followers.heap()),
            (
                "dates",
                self.last_active.heap() + self.verification_expiry.heap(),
            ),
            (
                "closed sets",
                self.account_type.heap()
                    + self.declared_platform.heap()
                    + self.entity_type.heap()
                    + self.entity_overseas.heap()
                    + self.verified.heap()
                    + self.payments.heap()
                    + self.merchant_track.heap()
                    + self.admin_status.heap()
                    + self.status.heap()
                    + self.terms.heap(),
            ),
        ]);
        parts
    }

    /// Account `i`, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<AccountRef<'_>> {
        (i < self.len).then(|| self.at(i))
    }

    /// Account `i`. Panics when `i` is out of range, like indexing a slice.
    #[inline]
    pub fn at(&self, i: usize) -> AccountRef<'_> {
        assert!(i < self.len, "account {i} of {}", self.len);
        AccountRef::stored(self, i)
    }

    /// Asks the processor to start loading account `i`'s values into its cache, for a loop
    /// that visits accounts out of order (a report's findings, sorted by rule and label): call
    /// it some accounts ahead of reading them. Loads what names the account (line, id, name,
    /// brand, status, the text as written) and the columns in `reads` — what the finding's rule
    /// reads; each column is an array of its own, so an account read out of order waits on one
    /// cache miss per column, and a few accounts ahead those loads overlap. Fetching every
    /// column instead cost more than it saved: a finding's words read five or six of the thirty.
    /// Changes nothing but timing.
    pub fn prefetch(&self, i: usize, reads: impl IntoIterator<Item = Column>) {
        if i >= self.len {
            return;
        }
        self.line.prefetch(i);
        self.id.prefetch(i);
        self.name.prefetch(i);
        self.brand.codes.prefetch(i);
        self.status.prefetch(i);
        self.raw_end.prefetch(i.saturating_sub(1));
        self.raw_end.prefetch(i);
        for c in reads {
            self.prefetch_column(i, c);
        }
    }

    /// [`Accounts::prefetch`] of one column.
    fn prefetch_column(&self, i: usize, c: Column) {
        match c {
            Column::Id | Column::Name | Column::Brand | Column::Status => {}
            Column::Type => self.account_type.prefetch(i),
            Column::Platform => self.declared_platform.prefetch(i),
            Column::Portal => self.portal.codes.prefetch(i),
            Column::Phone => {
                self.phone_code.codes.prefetch(i);
                self.phone_number.prefetch(i);
            }
            Column::EntityName => self.entity_name.codes.prefetch(i),
            Column::EntityType => {
                self.entity_type.prefetch(i);
                self.entity_overseas.prefetch(i);
            }
            Column::EntityCountry => self.entity_country.codes.prefetch(i),
            Column::CreditCode => self.credit_code.prefetch(i),
            Column::IcpFiling => self.icp_filing.prefetch(i),
            Column::WalletCurrency => self.wallet_currency.codes.prefetch(i),
            Column::Verified => self.verified.prefetch(i),
            Column::VerificationExpiry => self.verification_expiry.prefetch(i),
            Column::Payments => self.payments.prefetch(i),
            Column::MerchantId => self.merchant_id.prefetch(i),
            Column::MerchantTrack => self.merchant_track.prefetch(i),
            Column::MerchantEntity => self.merchant_entity.codes.prefetch(i),
            Column::Admin => self.admin.codes.prefetch(i),
            Column::AdminStatus => self.admin_status.prefetch(i),
            Column::Operators => self.operators.codes.prefetch(i),
            Column::Audience => self.audience.codes.prefetch(i),
            Column::Features => self.features.codes.prefetch(i),
            Column::Followers => self.followers.prefetch(i),
            Column::LastActive => self.last_active.prefetch(i),
            Column::Notes => self.notes.prefetch(i),
            Column::WechatId => self.wechat_id.prefetch(i),
            Column::Terms => self.terms.prefetch(i),
            Column::Email => self.email.prefetch(i),
        }
    }

    /// Prefetches for a loop over `findings` that is at `findings[k]`: the columns of the
    /// account eight findings on ([`Accounts::prefetch`], with the columns `reads` gives for
    /// that finding), and the text of the one four on, whose columns are in cache by then.
    pub fn prefetch_ahead<R: IntoIterator<Item = Column>>(
        &self,
        findings: &[crate::model::Finding],
        k: usize,
        reads: impl Fn(&crate::model::Finding) -> R,
    ) {
        if let Some(f) = findings.get(k + 8) {
            if let Some(i) = f.account {
                self.prefetch(i as usize, reads(f));
            }
        }
        if let Some(i) = findings.get(k + 4).and_then(|f| f.account) {
            self.prefetch_text(i as usize);
        }
    }

    /// The second step of [`Accounts::prefetch`]: the text of account `i`'s id, name and values
    /// as written (their places are read from the columns, which should be in cache).
    fn prefetch_text(&self, i: usize) {
        if i >= self.len {
            return;
        }
        let arena = self.arena.as_bytes();
        for s in [self.id.get(i), self.name.get(i)] {
            if s.len != u32::MAX {
                prefetch_at(arena, s.start as usize);
            }
        }
        prefetch_at(&self.raw, self.raw_end.span(i).start);
    }

    /// Every account, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = AccountRef<'_>> + '_ {
        (0..self.len).map(move |i| self.at(i))
    }

    /// Every account, on all cores (in order where the consumer keeps order, e.g. `collect`).
    pub fn par_iter(&self) -> impl IndexedParallelIterator<Item = AccountRef<'_>> + '_ {
        (0..self.len).into_par_iter().map(move |i| self.at(i))
    }

    /// Account `i`'s id (without building the whole account).
    #[inline]
    pub fn id(&self, i: usize) -> Option<&str> {
        self.str(self.id.get(i))
    }

    /// Account `i`'s name.
    #[inline]
    pub fn name(&self, i: usize) -> Option<&str> {
        self.str(self.name.get(i))
    }

    /// Account `i`'s WeChat ID.
    #[inline]
    pub fn wechat_id(&self, i: usize) -> Option<&str> {
        self.str(self.wechat_id.get(i))
    }

    /// Account `i`'s audience (markets, upper case).
    #[inline]
    pub fn audience(&self, i: usize) -> &[Text] {
        self.audience.get(i).map_or(&[], |l| &l[..])
    }

    /// Account `i`'s legal entity.
    #[inline]
    pub fn entity_name(&self, i: usize) -> Option<&str> {
        self.entity_name.get(i).map(Text::as_str)
    }

    /// Account `i`'s legal entity as a number: 0 for none, else one more than its place in
    /// [`Accounts::entity_names`] (accounts of one entity, spelled alike, share it).
    #[inline]
    pub fn entity_name_code(&self, i: usize) -> u32 {
        self.entity_name.codes.get(i)
    }

    /// The distinct legal entities written, in order of first appearance.
    pub fn entity_names(&self) -> &[Text] {
        &self.entity_name.values
    }

    /// Account `i`'s type.
    #[inline]
    pub fn account_type(&self, i: usize) -> Option<AccountType> {
        self.account_type.get(i)
    }

    /// Account `i`'s legal entity type.
    #[inline]
    pub fn entity_type(&self, i: usize) -> Option<EntityType> {
        self.entity_type.get(i)
    }

    /// Account `i`'s status.
    #[inline]
    pub fn status(&self, i: usize) -> Option<Status> {
        self.status.get(i)
    }

    /// Account `i`'s brand.
    #[inline]
    pub fn brand(&self, i: usize) -> Option<&str> {
        self.brand.get(i).map(Text::as_str)
    }

    /// Account `i`'s value of a column held as text exactly as it is shown (ids, names, codes,
    /// hosts, notes…), without building the whole account; None for a column that is not such
    /// text (a number, a date, a closed set, a list, the phone).
    pub fn text_field(&self, c: Column, i: usize) -> Option<Option<&str>> {
        Some(match c {
            Column::Id => self.id(i),
            Column::Name => self.name(i),
            Column::Portal => self.portal.get(i).map(Text::as_str),
            Column::EntityName => self.entity_name(i),
            Column::CreditCode => self.str(self.credit_code.get(i)),
            Column::IcpFiling => self.str(self.icp_filing.get(i)),
            Column::WalletCurrency => self.wallet_currency.get(i).map(Text::as_str),
            Column::MerchantId => self.str(self.merchant_id.get(i)),
            Column::MerchantEntity => self.merchant_entity.get(i).map(Text::as_str),
            Column::Admin => self.admin.get(i).map(Text::as_str),
            Column::Brand => self.brand(i),
            Column::Notes => self.str(self.notes.get(i)),
            Column::WechatId => self.wechat_id(i),
            Column::Email => self.str(self.email.get(i)),
            _ => return None,
        })
    }

    /// For a column of few distinct values (a closed set, a yes/no, a dictionary-coded value or
    /// list): a number that two accounts share exactly when their values of the column are the
    /// same, read without building the accounts. None for other columns.
    pub fn value_code(&self, c: Column, i: usize) -> Option<u64> {
        fn small<T: Copy + Into<u64>>(v: Option<T>) -> u64 {
            v.map_or(0, |v| v.into() + 1)
        }
        let closed = |v: Option<u8>| small(v);
        Some(match c {
            Column::Type => closed(self.account_type.get(i).map(|t| t as u8)),
            Column::Platform => closed(self.declared_platform.get(i).map(|p| p as u8)),
            Column::Terms => closed(self.terms.get(i).map(|p| p as u8)),
            Column::EntityType => {
                closed(self.entity_type.get(i).map(|t| t as u8)) * 2
                    + u64::from(self.entity_overseas.get(i))
            }
            Column::Verified => closed(self.verified.get(i).map(u8::from)),
            Column::Payments => closed(self.payments.get(i).map(u8::from)),
            Column::MerchantTrack => closed(self.merchant_track.get(i).map(|t| t as u8)),
            Column::AdminStatus => closed(self.admin_status.get(i).map(|t| t as u8)),
            Column::Status => closed(self.status.get(i).map(|t| t as u8)),
            Column::Portal => u64::from(self.portal.codes.get(i)),
            Column::EntityName => u64::from(self.entity_name.codes.get(i)),
            Column::EntityCountry => u64::from(self.entity_country.codes.get(i)),
            Column::WalletCurrency => u64::from(self.wallet_currency.codes.get(i)),
            Column::MerchantEntity => u64::from(self.merchant_entity.codes.get(i)),
            Column::Admin => u64::from(self.admin.codes.get(i)),
            Column::Operators => u64::from(self.operators.codes.get(i)),
            Column::Audience => u64::from(self.audience.codes.get(i)),
            Column::Features => u64::from(self.features.codes.get(i)),
            Column::Brand => u64::from(self.brand.codes.get(i)),
            _ => return None,
        })
    }

    /// Account `i`'s follower count.
    #[inline]
    pub fn followers(&self, i: usize) -> Option<u64> {
        self.followers.get(i)
    }

    /// When account `i` was last active.
    #[inline]
    pub fn last_active(&self, i: usize) -> Option<NaiveDate> {
        self.last_active.get(i)
    }

    /// When account `i`'s verification expires.
    #[inline]
    pub fn verification_expiry(&self, i: usize) -> Option<NaiveDate> {
        self.verification_expiry.get(i)
    }

    /// Whether account `i` takes payments.
    #[inline]
    pub fn payments(&self, i: usize) -> Option<bool> {
        self.payments.get(i)
    }

    /// Account `i`'s audience as a number: 0 for none, else one more than its place in
    /// [`Accounts::audiences`].
    #[inline]
    pub fn audience_code(&self, i: usize) -> u32 {
        self.audience.codes.get(i)
    }

    /// Account `i`'s brand as a number: 0 for none, else one more than its place in
    /// [`Accounts::brands`].
    #[inline]
    pub fn brand_code(&self, i: usize) -> u32 {
        self.brand.codes.get(i)
    }

    /// The line account `i` came from.
    #[inline]
    pub fn line(&self, i: usize) -> u64 {
        self.line.get(i)
    }

    /// The distinct brands written, in order of first appearance.
    pub fn brands(&self) -> &[Text] {
        &self.brand.values
    }

    /// The distinct audience lists written (each a list of markets), in order of first appearance.
    pub fn audiences(&self) -> &[Box<[Text]>] {
        &self.audience.values
    }

    /// The canonical columns at least one account has a value in, or a value as written for.
    pub fn filled_columns(&self) -> ColumnSet {
        let mut set = ColumnSet::default();
        let mut add = |c: Column, filled: bool| {
            if filled {
                set.insert(c);
            }
        };
        // A column is allocated only once an account has a value in it (see `Col`), and
        // fill-down only ever adds values.
        add(Column::Id, !self.id.v.is_empty());
        add(Column::Name, !self.name.v.is_empty());
        add(Column::Type, !self.account_type.v.is_empty());
        add(Column::Platform, !self.declared_platform.v.is_empty());
        add(Column::Portal, !self.portal.codes.is_empty());
        add(Column::Phone, !self.phone_code.codes.is_empty());
        add(Column::EntityName, !self.entity_name.codes.is_empty());
        add(Column::EntityType, !self.entity_type.v.is_empty());
        add(Column::EntityCountry, !self.entity_country.codes.is_empty());
        add(Column::CreditCode, !self.credit_code.v.is_empty());
        add(Column::IcpFiling, !self.icp_filing.v.is_empty());
        add(
            Column::WalletCurrency,
            !self.wallet_currency.codes.is_empty(),
        );
        add(Column::Verified, !self.verified.v.is_empty());
        add(
            Column::VerificationExpiry,
            !self.verification_expiry.v.is_empty(),
        );
        add(Column::Payments, !self.payments.v.is_empty());
        add(Column::MerchantId, !self.merchant_id.v.is_empty());
        add(Column::MerchantTrack, !self.merchant_track.v.is_empty());
        add(
            Column::MerchantEntity,
            !self.merchant_entity.codes.is_empty(),
        );
        add(Column::Admin, !self.admin.codes.is_empty());
        add(Column::AdminStatus, !self.admin_status.v.is_empty());
        add(Column::Operators, !self.operators.codes.is_empty());
        add(Column::Audience, !self.audience.codes.is_empty());
        add(Column::Features, !self.features.codes.is_empty());
        add(Column::Brand, !self.brand.codes.is_empty());
        add(Column::Status, !self.status.v.is_empty());
        add(Column::Followers, !self.followers.is_empty());
        add(Column::LastActive, !self.last_active.v.is_empty());
        add(Column::Notes, !self.notes.v.is_empty());
        add(Column::WechatId, !self.wechat_id.v.is_empty());
        add(Column::Terms, !self.terms.v.is_empty());
        add(Column::Email, !self.email.v.is_empty());
        for (c, _) in &self.raw {
            set.insert(*c);
        }
        set
    }

    /// Fills the brand or legal-entity column down: each account without a value takes the one
    /// above it (see `import::layout::fill_down`, which decides when that is right). `Brand` and
    /// `EntityName` are the columns that can be filled.
    pub fn fill_down(&mut self, column: Column) {
        let d = match column {
            Column::Brand => &mut self.brand,
            Column::EntityName => &mut self.entity_name,
            _ => return,
        };
        let mut current = 0;
        for row in 0..self.len {
            match d.codes.get(row) {
                0 => d.codes.set(row, current),
                c => current = c,
            }
        }
    }

    /// The grouping value (brand or legal entity) of every account, for deciding on fill-down.
    pub fn group_values(&self, column: Column) -> impl Iterator<Item = Option<&Text>> + '_ {
        let d = match column {
            Column::Brand => &self.brand,
            _ => &self.entity_name,
        };
        (0..self.len).map(move |i| d.get(i))
    }

    /// Every account as an owned [`Account`] (tests, and the few places that edit accounts).
    pub fn to_vec(&self) -> Vec<Account> {
        self.iter().map(|a| a.to_account()).collect()
    }
}

impl FromIterator<Account> for Accounts {
    /// Collects owned accounts (tests and small imports). Panics past the arena's 4 GiB.
    fn from_iter<I: IntoIterator<Item = Account>>(it: I) -> Accounts {
        let mut s = Accounts::new();
        for a in it {
            s.push(&a).expect("accounts fit the store");
        }
        s.shrink_to_fit();
        s
    }
}

impl From<Vec<Account>> for Accounts {
    fn from(v: Vec<Account>) -> Accounts {
        v.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Accounts {
    type Item = AccountRef<'a>;
    type IntoIter = Box<dyn ExactSizeIterator<Item = AccountRef<'a>> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// A phone number as stored: country calling code (digits) and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneRef<'a> {
    pub country_code: Option<&'a str>,
    pub number: &'a str,
}

/// A store's arena with its pairs, and an owned account's pairs.
type Halves<'a, K, O> = (&'a str, &'a [(K, Str)], &'a [(O, Text)]);

/// Pairs kept either in a store (handles into its arena) or in an owned [`Account`].
enum Pairs<'a, K, O> {
    Stored(&'a str, &'a [(K, Str)]),
    Owned(&'a [(O, Text)]),
}

impl<K, O> Clone for Pairs<'_, K, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K, O> Copy for Pairs<'_, K, O> {}

impl<'a, K, O> Pairs<'a, K, O> {
    fn len(&self) -> usize {
        match self {
            Pairs::Stored(_, e) => e.len(),
            Pairs::Owned(e) => e.len(),
        }
    }
    /// The arena and both halves: one of them is empty.
    fn parts(self) -> Halves<'a, K, O> {
        match self {
            Pairs::Stored(arena, e) => (arena, e, &[]),
            Pairs::Owned(e) => ("", &[], e),
        }
    }
}

/// An account's text as written, for the fields whose normalised form differs.
#[derive(Clone, Copy)]
pub struct Raw<'a>(Pairs<'a, Column, Column>);

impl<'a> Raw<'a> {
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn iter(&self) -> impl Iterator<Item = (Column, &'a str)> + 'a {
        let (arena, stored, owned) = self.0.parts();
        let stored = stored
            .iter()
            .map(move |(c, s)| (*c, arena_str(arena, *s).unwrap_or_default()));
        stored.chain(owned.iter().map(|(c, v)| (*c, v.as_str())))
    }
    pub fn get(&self, c: Column) -> Option<&'a str> {
        self.iter().find(|(k, _)| *k == c).map(|(_, v)| v)
    }
}

/// An account's values in columns the importer did not recognise: (header as written, value).
/// A stored row's pairs are either aside in `pairs` or in the store's `columns` (see
/// `accounts/extras.rs`); an owned account's are in `pairs`.
#[derive(Clone, Copy)]
pub struct Extra<'a> {
    pairs: Pairs<'a, Str, Text>,
    columns: Option<(&'a Extras, &'a str, usize)>,
}

impl<'a> Extra<'a> {
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
    pub fn len(&self) -> usize {
        self.iter().count()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let (arena, stored, owned) = self.pairs.parts();
        let stored = stored.iter().map(move |(h, v)| {
            (
                arena_str(arena, *h).unwrap_or_default(),
                arena_str(arena, *v).unwrap_or_default(),
            )
        });
        let columns = self
            .columns
            .into_iter()
            .flat_map(|(extras, arena, row)| extras.in_columns(arena, row));
        stored
            .chain(owned.iter().map(|(h, v)| (h.as_str(), v.as_str())))
            .chain(columns)
    }
}

macro_rules! list_debug {
    ($t:ident) => {
        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }
        impl PartialEq for $t<'_> {
            fn eq(&self, other: &Self) -> bool {
                self.iter().eq(other.iter())
            }
        }
    };
}
list_debug!(Raw);
list_debug!(Extra);

impl Account {
    /// The account read the way stored ones are, for code that takes an [`AccountRef`].
    pub fn view(&self) -> AccountRef<'_> {
        AccountRef::owned(self)
    }
}

impl<'a> From<&'a Account> for AccountRef<'a> {
    fn from(a: &'a Account) -> AccountRef<'a> {
        a.view()
    }
}

impl<'a> From<&AccountRef<'a>> for AccountRef<'a> {
    fn from(a: &AccountRef<'a>) -> AccountRef<'a> {
        *a
    }
}

/// How messages name an account: `"name" (id)`, or whichever of the two exists.
pub struct Label<'a> {
    pub name: Option<&'a str>,
    pub id: Option<&'a str>,
    /// Named when the account has neither.
    pub line: u64,
}

impl<'a> Label<'a> {
    /// The label of account `i`, read from its three columns.
    pub fn of(accounts: &'a Accounts, i: usize) -> Label<'a> {
        Label {
            name: accounts.name(i),
            id: accounts.id(i),
            line: accounts.line(i),
        }
    }
}

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self;
        match (a.name, a.id) {
            (Some(n), Some(id)) => write!(f, "\"{n}\" ({id})"),
            (Some(n), None) => write!(f, "\"{n}\""),
            (None, Some(id)) => f.write_str(id),
            (None, None) => write!(f, "the account on line {}", a.line),
        }
    }
}

/// What a finding says about its account, read from the store its `account` index points into
/// (the report's accounts), or from what a saved report recorded.
impl Finding {
    /// The account's id (its name when it has no id); None for company- or brand-level findings.
    pub fn account_id<'a>(&'a self, accounts: &'a Accounts) -> Option<&'a str> {
        match self.account {
            Some(i) => {
                let i = i as usize;
                (i < accounts.len()).then(|| accounts.id(i).or_else(|| accounts.name(i)))?
            }
            None => self.recorded()?.id.as_deref(),
        }
    }

    /// The account's name; None for company- or brand-level findings or an account without one.
    pub fn account_name<'a>(&'a self, accounts: &'a Accounts) -> Option<&'a str> {
        match self.account {
            Some(i) => ((i as usize) < accounts.len()).then(|| accounts.name(i as usize))?,
            None => self.recorded()?.name.as_deref(),
        }
    }

    /// The brand the finding is about: the one it carries, else its account's.
    pub fn brand<'a>(&'a self, accounts: &'a Accounts) -> Option<&'a str> {
        match &self.said {
            Some(s) => s.brand.as_deref(),
            None => {
                let i = self.account? as usize;
                (i < accounts.len()).then(|| accounts.brand(i))?
            }
        }
    }

    /// The account the finding's index points to in `accounts`.
    pub fn account_in<'a>(&self, accounts: &'a Accounts) -> Option<AccountRef<'a>> {
        let i = self.account? as usize;
        accounts.get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Phone;

    fn full() -> Account {
        Account {
            line: 7,
            id: Some("gh_1".into()),
            name: Some("茶饮 Official".into()),
            account_type: Some(AccountType::Service),
            declared_platform: Some(Platform::Wechat),
            portal: Some("admin.wechat.com".into()),
            phone: Some(Phone {
                country_code: Some("852".into()),
                number: "91234567".into(),
            }),
            entity_name: Some("Acme HK Ltd".into()),
            entity_type: Some(EntityType::Enterprise),
            entity_overseas: true,
            entity_country: Some(Country::Code("HK".into())),
            credit_code: Some("91310000MA1FL0000X".into()),
            icp_filing: Some("沪ICP备1号".into()),
            wallet_currency: Some("HKD".into()),
            verified: Some(true),
            verification_expiry: NaiveDate::from_ymd_opt(2027, 1, 2),
            payments: Some(false),
            merchant_id: Some("m1".into()),
            merchant_track: Some(MerchantTrack::Hk),
            merchant_entity: Some("Acme Pay".into()),
            admin: Some("li.na@acme.example".into()),
            admin_status: Some(AdminStatus::Employee),
            operators: vec!["a".into(), "b".into()],
            audience: vec!["HK".into(), "CN".into()],
            features: vec!["payments".into()],
            brand: Some("Acme".into()),
            status: Some(Status::Active),
            followers: Some(12_000),
            last_active: NaiveDate::from_ymd_opt(2026, 3, 4),
            notes: Some("a note that is longer than twenty-four bytes".into()),
            wechat_id: Some("acme_hk".into()),
            terms: Some(Platform::Wechat),
            email: Some("hk@acme.example".into()),
            raw: vec![
                (Column::Type, "服务号".into()),
                (Column::Phone, "+852 9123 4567".into()),
            ],
            extra: vec![("区域".into(), "华南".into())],
        }
    }

    #[test]
    fn a_cleared_account_is_an_empty_one_with_its_room_kept() {
        let mut a = full();
        a.clear();
        assert_eq!(a, Account::default());
        assert!(a.operators.capacity() >= 2 && a.raw.capacity() >= 2);
    }

    #[test]
    fn every_field_reads_back_as_it_was_pushed() {
        let empty = Account {
            line: 8,
            ..Account::default()
        };
        let phone_without_code = Account {
            line: 9,
            phone: Some(Phone {
                country_code: None,
                number: "123".into(),
            }),
            ..Account::default()
        };
        let accounts = vec![empty.clone(), full(), phone_without_code.clone(), full()];
        let store = Accounts::from(accounts.clone());
        assert_eq!(store.len(), 4);
        let back: Vec<Account> = store.to_vec();
        assert_eq!(back, accounts);
        assert_eq!(store.at(1).raw_value(Column::Phone), Some("+852 9123 4567"));
        assert_eq!(store.at(0).raw_value(Column::Phone), None);
        assert_eq!(
            store.at(3).extra().iter().collect::<Vec<_>>(),
            [("区域", "华南")]
        );
        assert!(store.at(2).extra().is_empty());
        assert_eq!(store.id(1), Some("gh_1"));
        assert_eq!(store.id(0), None);
        assert_eq!(store.line(2), 9);
        // An owned account reads the same as a stored one.
        assert_eq!(full().view(), store.at(1));
        assert_eq!(full().view().raw_value(Column::Type), Some("服务号"));
    }

    /// Importers fill a store per batch of rows and join them with `append`: whatever the cut,
    /// the joined store reads exactly like one filled row by row, including columns that only
    /// some batches have, `raw` and `extra` ranges, and dictionary codes that differ per batch.
    #[test]
    fn stores_joined_at_any_cut_read_like_one_store() {
        let empty = |line| Account {
            line,
            ..Account::default()
        };
        let mut other_brand = full();
        other_brand.line = 3;
        other_brand.brand = Some("北风旅行".into());
        other_brand.raw.clear();
        other_brand.audience = vec!["SG".into()];
        let mut extra_only = empty(4);
        extra_only.extra = vec![("备注".into(), "x".into()), ("区域".into(), "华东".into())];
        let accounts = vec![
            empty(1),
            full(),
            other_brand,
            extra_only,
            empty(5),
            full(),
            empty(7),
        ];
        for cut in 0..=accounts.len() {
            for second_cut in cut..=accounts.len() {
                let mut joined = Accounts::from(accounts[..cut].to_vec());
                joined
                    .append(Accounts::from(accounts[cut..second_cut].to_vec()))
                    .unwrap();
                joined
                    .append(Accounts::from(accounts[second_cut..].to_vec()))
                    .unwrap();
                assert_eq!(joined.len(), accounts.len());
                assert_eq!(joined.to_vec(), accounts, "cut at {cut} and {second_cut}");
                assert_eq!(joined.brands().len(), 2, "each brand once");
            }
        }
    }

    /// Codes are two bytes until a column has more than 65,535 distinct values: past that (in one
    /// store, or only once two stores are joined) every value still reads back.
    #[test]
    fn a_column_with_more_than_65535_values_reads_back() {
        let n = 70_000u64;
        let brand = |i: u64| {
            if i.is_multiple_of(3) {
                None
            } else {
                Some(Text::from(format!("b{i}")))
            }
        };
        let accounts: Vec<Account> = (0..n)
            .map(|i| Account {
                line: i,
                brand: brand(i),
                ..Account::default()
            })
            .collect();
        let one = Accounts::from(accounts.clone());
        let mut joined = Accounts::from(accounts[..40_000].to_vec());
        joined
            .append(Accounts::from(accounts[40_000..].to_vec()))
            .unwrap();
        let mut small_then_wide = Accounts::from(accounts[..10].to_vec());
        small_then_wide
            .append(Accounts::from(accounts[10..].to_vec()))
            .unwrap();
        for store in [&one, &joined, &small_then_wide] {
            assert_eq!(store.brands().len(), (n - n.div_ceil(3)) as usize);
            for i in 0..n {
                assert_eq!(store.brand(i as usize), brand(i).as_deref(), "account {i}");
            }
        }
        // Filled down, each blank takes the (wide) code above it.
        let mut filled = joined.clone();
        filled.fill_down(Column::Brand);
        assert_eq!(filled.brand(69_999), Some("b69998"));
        assert_eq!(filled.brand(0), None);
    }

    /// Line numbers and follower counts are four bytes a row until one needs more: a count of
    /// billions or a line past 4,294,967,295 widens the column, in one store or when joined, and
    /// every value (and every missing count) still reads back.
    #[test]
    fn counts_and_lines_past_four_bytes_read_back() {
        let followers = [
            Some(0),
            None,
            Some(u64::from(u32::MAX) - 2),
            Some(u64::from(u32::MAX) - 1),
            None,
            Some(12_000_000_000),
            Some(u64::MAX),
            Some(7),
        ];
        let lines = [2, 3, 4, 5, u64::from(u32::MAX), 1 << 40, u64::MAX, 9];
        let accounts: Vec<Account> = followers
            .iter()
            .zip(lines)
            .map(|(&followers, line)| Account {
                line,
                followers,
                id: Some(Text::from("gh_1")),
                ..Account::default()
            })
            .collect();
        let check = |store: &Accounts, what: &str| {
            for (i, (&f, &l)) in followers.iter().zip(&lines).enumerate() {
                assert_eq!(store.followers(i), f, "{what}: followers of row {i}");
                assert_eq!(store.line(i), l, "{what}: line of row {i}");
            }
        };
        check(&Accounts::from(accounts.clone()), "one store");
        for cut in 1..accounts.len() {
            let mut joined = Accounts::from(accounts[..cut].to_vec());
            joined
                .append(Accounts::from(accounts[cut..].to_vec()))
                .unwrap();
            check(&joined, &format!("joined at {cut}"));
        }
        // All narrow: four bytes a row.
        let narrow = Accounts::from(accounts[..4].to_vec());
        assert_eq!(narrow.followers.heap(), 4 * 4);
    }

    #[test]
    fn columns_nobody_filled_take_no_memory() {
        let store: Accounts = (0..1000)
            .map(|i| Account {
                line: i,
                id: Some(format!("gh_{i}").into()),
                ..Account::default()
            })
            .collect();
        // The ids (≈6 bytes each, 8-byte handles) and line numbers; nothing for the 30 columns
        // no account has.
        assert!(store.heap_bytes() < 1000 * 24, "{}", store.heap_bytes());
        assert_eq!(store.at(999).id(), Some("gh_999"));
        assert_eq!(store.at(999).brand(), None);
    }

    #[test]
    fn repeated_values_are_stored_once() {
        let store: Accounts = (0..1000)
            .map(|i| Account {
                line: i,
                brand: Some(if i % 2 == 0 { "Acme" } else { "北风旅行" }.into()),
                audience: vec!["CN".into(), "HK".into()],
                ..Account::default()
            })
            .collect();
        assert_eq!(store.brands().len(), 2);
        assert_eq!(store.at(3).brand(), Some("北风旅行"));
        assert_eq!(store.at(4).audience(), ["CN", "HK"]);
    }

    #[test]
    fn fill_down_gives_each_blank_the_value_above_it() {
        let mut store: Accounts = [Some("Acme"), None, None, Some("Beta"), None]
            .into_iter()
            .enumerate()
            .map(|(i, b)| Account {
                line: i as u64,
                brand: b.map(Text::from),
                ..Account::default()
            })
            .collect();
        store.fill_down(Column::Brand);
        let brands: Vec<_> = store.iter().map(|a| a.brand()).collect();
        assert_eq!(
            brands,
            [
                Some("Acme"),
                Some("Acme"),
                Some("Acme"),
                Some("Beta"),
                Some("Beta")
            ]
        );
    }
}
