//! The shared context every rule function reads, and the small `Hit` each returns.
//!
//! Rules are small functions over this context rather than arms of one big match: [`Facts`]
//! precomputes, once per audit, everything several rules need (target markets, brand groups,
//! normalised legal entities), so each rule stays a few lines and the whole audit stays linear.
//!
//! A rule says *whether* it fires and *what* it says separately: the text of a hit is built in a
//! closure passed to [`Ctx::says`], which runs only when the context is describing. The audit runs
//! the per-account rules without describing (a million-account audit has millions of findings,
//! and building their sentences was most of its cost), and a report describes a finding by running
//! the same rule again for that one account when the finding is shown or written: the same
//! function over the same facts, so the text is the one the rule would have written.

pub use crate::accounts::Label;
use crate::accounts::{AccountRef, Accounts};
use crate::knowledge::Knowledge;
use crate::model::{
    AccountType, Classifications, ColumnSet, Confidence, Platform, Profile, ProfileSource, Status,
    Text,
};
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// What a rule found; the engine turns it into a [`crate::model::Finding`].
#[derive(Debug, Clone, Default)]
pub struct Hit {
    /// Index of the account, None for company-, brand- or entity-level findings.
    pub account: Option<u32>,
    /// Brand to report (account-level hits take the account's brand when None).
    pub brand: Option<String>,
    pub market: Option<String>,
    /// What the finding says; None when the context was not describing (see [`Ctx::says`]).
    pub text: Option<HitText>,
    /// Report one level below the rule's severity (VER-002 "expiring" vs "expired").
    pub one_level_lower: bool,
    /// Identity for the fingerprint of a hit without an account (e.g. `entity:acme ltd`).
    pub identity: Option<String>,
    /// What to do, when this hit's advice is worded from the knowledge rather than being the
    /// rule's `fix` (PAY-007 names the market's own wallet). Only brand- and company-level hits
    /// set it: their words are kept with the finding, an account-level finding's are not.
    pub advice: Option<String>,
}

/// The words of a hit: its message and the evidence behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitText {
    pub message: String,
    pub evidence: Vec<String>,
}

/// The first account holding each value of a text column, kept as 4-byte account indexes
/// rather than a set of the texts (16 bytes and a rehash at every doubling, at a million
/// accounts): the value is read back through `value` when two hashes meet. For the company-wide
/// checks that look for repeated values (DATA-001) or count each value once (LIM-001).
pub struct FirstByValue<F> {
    table: hashbrown::HashTable<u32>,
    value: F,
}

impl<'a, F: Fn(usize) -> Option<&'a str>> FirstByValue<F> {
    /// Room for `capacity` distinct values; `value(i)` is account `i`'s value (None: it has none).
    pub fn new(capacity: usize, value: F) -> Self {
        FirstByValue {
            table: hashbrown::HashTable::with_capacity(capacity),
            value,
        }
    }

    fn hash(s: &str) -> u64 {
        use std::hash::BuildHasher;
        foldhash::fast::FixedState::default().hash_one(s)
    }

    /// The first account seen with `v`, or None after recording `i` (whose value is `v`) as it.
    pub fn first_or_insert(&mut self, i: usize, v: &str) -> Option<u32> {
        let value = &self.value;
        let h = Self::hash(v);
        if let Some(&f) = self.table.find(h, |&f| value(f as usize) == Some(v)) {
            return Some(f);
        }
        self.table
            .insert_unique(h, i as u32, |&f| value(f as usize).map_or(0, Self::hash));
        None
    }
}

/// A group of accounts sharing a brand (or the unbranded rest).
#[derive(Debug, Clone)]
pub struct BrandGroup {
    /// The brand as first written, None for accounts without a brand.
    pub display: Option<String>,
    /// The brand normalised with [`norm_name`] (empty for the unbranded group), for fingerprints.
    pub norm: String,
    pub accounts: Vec<u32>,
    /// The union of the group's accounts' audiences (upper case, without GLOBAL), first-seen order.
    pub audiences: Vec<String>,
}

/// Everything rules read: the audit's inputs and the [`Facts`] derived from them.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub accounts: &'a Accounts,
    pub classes: &'a Classifications,
    pub profile: &'a Profile,
    pub source: ProfileSource,
    pub columns: ColumnSet,
    pub as_of: NaiveDate,
    pub k: &'a Knowledge,
    pub facts: &'a Facts,
    /// Whether hits carry their text ([`Ctx::says`]).
    pub describe: bool,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = Facts;
    fn deref(&self) -> &Facts {
        self.facts
    }
}

/// What several rules need, computed once per audit from the accounts and the profile, and kept
/// with the report so a finding can be described later.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Profile targets, upper case (may be empty).
    pub targets: Vec<String>,
    /// Every name of every legal entity, normalised with [`norm_entity`].
    pub legal_entities: Vec<String>,
    /// The profile's legal entities, each by its first name as written.
    pub entity_names: Vec<String>,
    /// Normalised name → index into `entity_names`, for entities known under several names.
    entity_of: FxHashMap<String, usize>,
    /// Brand groups in first-seen order; the unbranded group (if any) is last.
    pub groups: Vec<BrandGroup>,
    /// True when at least one account has a brand.
    pub has_brands: bool,
    /// Index into `groups` for every account.
    pub group_of: Vec<u32>,
}

impl<'a> Ctx<'a> {
    /// A context that does not describe its hits (see [`Ctx::says`]).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        accounts: &'a Accounts,
        classes: &'a Classifications,
        profile: &'a Profile,
        source: ProfileSource,
        columns: ColumnSet,
        as_of: NaiveDate,
        k: &'a Knowledge,
        facts: &'a Facts,
    ) -> Ctx<'a> {
        Ctx {
            accounts,
            classes,
            profile,
            source,
            columns,
            as_of,
            k,
            facts,
            describe: false,
        }
    }

    /// The same context, describing its hits.
    pub fn describing(self) -> Ctx<'a> {
        Ctx {
            describe: true,
            ..self
        }
    }

    /// The text of a hit, made by `text` only when this context describes (see the module doc).
    pub fn says(&self, text: impl FnOnce() -> HitText) -> Option<HitText> {
        self.describe.then(text)
    }
}

impl Facts {
    /// The facts about `accounts` under `profile`.
    pub fn new(accounts: &Accounts, profile: &Profile) -> Facts {
        let targets = profile
            .targets
            .iter()
            .map(|t| t.trim().to_uppercase())
            .filter(|t| !t.is_empty())
            .collect();
        // An entry may give one entity's names in several languages: "Acme Tea Ltd. | 阿克米茶饮".
        let mut legal_entities = Vec::new();
        let mut entity_names = Vec::new();
        let mut entity_of = FxHashMap::default();
        for entry in &profile.legal_entities {
            let names: Vec<&str> = entry
                .split(ENTITY_NAME_SEPARATOR)
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect();
            let Some(first) = names.first() else {
                continue;
            };
            for n in &names {
                let norm = norm_entity(n);
                entity_of.entry(norm.clone()).or_insert(entity_names.len());
                legal_entities.push(norm);
            }
            entity_names.push(first.to_string());
        }
        // One pass: the store's brand code → group, each distinct spelling normalised once (on
        // first sight, so groups come in the order their brands first appear).
        let mut by_code: Vec<Option<Option<usize>>> = vec![None; accounts.brands().len() + 1];
        let mut by_norm: FxHashMap<String, usize> = FxHashMap::default();
        let mut groups: Vec<BrandGroup> = Vec::new();
        let mut unbranded: Vec<u32> = Vec::new();
        let mut group_of: Vec<u32> = Vec::with_capacity(accounts.len());
        for i in 0..accounts.len() {
            let code = accounts.brand_code(i) as usize;
            let group = match by_code.get(code).copied().flatten() {
                Some(g) => g,
                None => {
                    let g = accounts
                        .brand(i)
                        .map(str::trim)
                        .filter(|b| !b.is_empty())
                        .map(|b| {
                            let n = norm_name(b);
                            *by_norm.entry(n.clone()).or_insert_with(|| {
                                groups.push(BrandGroup {
                                    display: Some(b.to_string()),
                                    norm: n,
                                    accounts: Vec::new(),
                                    audiences: Vec::new(),
                                });
                                groups.len() - 1
                            })
                        });
                    if let Some(slot) = by_code.get_mut(code) {
                        *slot = Some(g);
                    }
                    g
                }
            };
            match group {
                Some(g) => {
                    groups[g].accounts.push(i as u32);
                    group_of.push(g as u32);
                }
                None => {
                    unbranded.push(i as u32);
                    group_of.push(u32::MAX);
                }
            }
        }
        let has_brands = !groups.is_empty();
        if !unbranded.is_empty() || groups.is_empty() {
            let g = groups.len() as u32;
            for x in group_of.iter_mut().filter(|x| **x == u32::MAX) {
                *x = g;
            }
            groups.push(BrandGroup {
                display: None,
                norm: String::new(),
                accounts: unbranded,
                audiences: Vec::new(),
            });
        }
        // One pass for every group's audience union (used by all brand-level rules). The store
        // keeps each distinct audience list once, so a list just seen in the group is skipped.
        let mut last: Vec<*const crate::model::Text> = vec![std::ptr::null(); groups.len()];
        for i in 0..accounts.len() {
            let Some(&g) = group_of.get(i) else {
                continue;
            };
            let (Some(g), Some(last)) = (groups.get_mut(g as usize), last.get_mut(g as usize))
            else {
                continue;
            };
            let audience = accounts.audience(i);
            if audience.is_empty() || std::ptr::eq(*last, audience.as_ptr()) {
                continue;
            }
            *last = audience.as_ptr();
            for m in audience {
                if m != "GLOBAL" && !g.audiences.iter().any(|x| x == m.as_str()) {
                    g.audiences.push(m.to_string());
                }
            }
        }
        Facts {
            targets,
            legal_entities,
            entity_names,
            entity_of,
            groups,
            has_brands,
            group_of,
        }
    }
}

impl<'a> Ctx<'a> {
    pub fn platform(&self, i: usize) -> Platform {
        self.classes.platform(i).unwrap_or(Platform::Unknown)
    }

    /// True when account `i`'s platform rests only on what the team declared (low confidence):
    /// messages then say "is recorded as" and ask for the evidence that would confirm it.
    pub fn declared_only(&self, i: usize) -> bool {
        self.platform(i) != Platform::Unknown && self.classes.confidence(i) == Some(Confidence::Low)
    }

    /// The markets a brand group targets, and why: company targets (unless inferred, or for the
    /// unbranded rest when brands exist) plus the group's accounts' audiences.
    pub fn group_targets(&self, g: &BrandGroup) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        let company_applies =
            self.source != ProfileSource::Inferred && (g.display.is_some() || !self.has_brands);
        if company_applies {
            for t in &self.targets {
                if t != "GLOBAL" && !out.iter().any(|(m, _)| m == t) {
                    out.push((t.clone(), "company targets"));
                }
            }
        }
        for m in &g.audiences {
            if !out.iter().any(|(x, _)| x == m) {
                out.push((m.clone(), "account audience"));
            }
        }
        out
    }

    /// Is `market` one of the company's targets (profile targets; any audience when inferred)?
    pub fn is_target(&self, market: &str) -> bool {
        self.targets.iter().any(|t| t == market || t == "GLOBAL")
    }

    /// An entity's identity across the names it goes by: the normalised first name the profile
    /// gives it when `raw` is one of a legal entity's names, else `raw` normalised. Also the name
    /// to show: the profile's first name for a legal entity, else None (show `raw`).
    pub fn entity_key(&self, raw: &str) -> (String, Option<&str>) {
        let norm = norm_entity(raw);
        match self.entity_of.get(&norm) {
            Some(&i) => {
                let name = self.entity_names[i].as_str();
                (norm_entity(name), Some(name))
            }
            None => (norm, None),
        }
    }

    /// Are `a` and `b` the same entity: the same name once normalised, or two names the profile
    /// gives one legal entity?
    pub fn same_entity(&self, a: &str, b: &str) -> bool {
        self.entity_key(a).0 == self.entity_key(b).0
    }

    /// Human name of an account for messages: "name" (id), or whichever exists.
    pub fn label(&self, i: usize) -> Label<'_> {
        Label::of(self.accounts, i)
    }

    /// The normalised brand of account `i` ("" without a brand).
    pub fn brand_norm(&self, i: usize) -> &str {
        self.group_of
            .get(i)
            .and_then(|g| self.groups.get(*g as usize))
            .map(|g| g.norm.as_str())
            .unwrap_or("")
    }
}

/// Active unless the inventory says dormant, suspended or closed.
pub fn is_active(a: &AccountRef) -> bool {
    status_active(a.status())
}

/// [`is_active`] for a status read from the store's column.
pub fn status_active(status: Option<Status>) -> bool {
    matches!(status, None | Some(Status::Active))
}

/// Subscription or service account.
pub fn is_official(a: &AccountRef) -> bool {
    a.account_type().is_some_and(AccountType::is_official)
}

/// Does the account's audience include `market` (or say global)? An empty audience says nothing.
pub fn serves(a: &AccountRef, market: &str) -> bool {
    audience_serves(a.audience(), market)
}

/// [`serves`] for an audience read from the store's column.
pub fn audience_serves(audience: &[Text], market: &str) -> bool {
    audience.iter().any(|m| m == market || m == "GLOBAL")
}

/// Payments switched on, or a merchant ID linked.
pub fn takes_payments(a: &AccountRef) -> bool {
    a.payments() == Some(true) || a.merchant_id().is_some_and(|m| !m.trim().is_empty())
}

pub use crate::identity::norm_name;

/// Separates the names of one legal entity in a profile entry (`"Acme Tea Ltd. | 阿克米茶饮"`).
pub const ENTITY_NAME_SEPARATOR: char = '|';

/// Normalised entity name: NFKC, lower-case, with all whitespace removed, so
/// "Acme Tea (Shanghai) Co., Ltd." equals "ACME TEA（SHANGHAI）CO.,LTD.".
pub fn norm_entity(s: &str) -> String {
    let folded: String = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.nfkc().collect::<String>().to_lowercase()
    };
    folded.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Does `raw` equal an already-normalised entity name (see [`norm_entity`])? Compares without
/// allocating, for rules that check every account.
pub fn entity_matches(raw: &str, normalised: &str) -> bool {
    let mut want = normalised.chars();
    if raw.is_ascii() {
        for c in raw.chars().filter(|c| !c.is_whitespace()) {
            if want.next() != Some(c.to_ascii_lowercase()) {
                return false;
            }
        }
    } else {
        for c in raw
            .nfkc()
            .flat_map(char::to_lowercase)
            .filter(|c| !c.is_whitespace())
        {
            if want.next() != Some(c) {
                return false;
            }
        }
    }
    want.next().is_none()
}

/// A small, fast, non-cryptographic hasher (the Fx hash used by rustc) for the audit's internal
/// maps keyed by short strings: SipHash's DoS resistance buys nothing here and costs a lot at a
/// million keys.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builder for [`FxHasher`]-based maps.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
/// A `HashSet` with [`FxHasher`].
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;
