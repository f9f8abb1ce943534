//! [`AccountRef`]: one account as every reader sees it — a stored account of [`Accounts`] or an
//! owned [`Account`] — whose values are read from their columns only when asked for.
//!
//! Why it reads lazily: a report writer visits accounts in finding order (by rule and label),
//! not in file order, so every account it looks at is a cache miss in each column it reads. A
//! view that copied all thirty-odd columns up front cost a report thirty misses per finding
//! where the finding's words need five or six (the id, the name, the brand and what its rule
//! looked at): with two million findings that was a sixth of writing the CSV report. Here
//! `a.brand()` reads the brand column of that account and nothing else.
//!
//! Each accessor is one `match` on where the account lives, and is inlined; the values are
//! those of the eager view it replaces, field for field (`to_account` of a stored account is the
//! account that was pushed).

use super::{arena_str, Accounts, Dict, Extra, Pairs, PhoneRef, Raw};
use crate::model::{
    Account, AccountType, AdminStatus, Column, Country, EntityType, MerchantTrack, Phone, Platform,
    Status, Text,
};
use chrono::NaiveDate;
use std::fmt;

/// One account, borrowed from [`Accounts`] or from an owned [`Account`]: the fields of
/// [`Account`] as methods of the same names (see the module doc).
#[derive(Clone, Copy)]
pub struct AccountRef<'a> {
    src: Src<'a>,
}

#[derive(Clone, Copy)]
enum Src<'a> {
    /// Account `.1` of a store (`.1 < len`, checked by [`Accounts::at`]).
    Stored(&'a Accounts, usize),
    Owned(&'a Account),
}

fn list(d: &Dict<Box<[Text]>>, i: usize) -> &[Text] {
    d.get(i).map_or(&[], |l| &l[..])
}

/// Accessors: `name: type = stored expression (s: the store, i: the index), owned expression
/// (a: the account)`. A stored value is read through the store's own per-column accessor where
/// it has one ([`Accounts::brand`] …), so the two can never read a column differently.
macro_rules! fields {
    ($( $(#[$m:meta])* $f:ident: $t:ty = |$s:ident, $i:ident| $stored:expr, |$a:ident| $owned:expr; )*) => {
        impl<'a> AccountRef<'a> {
            $(
                $(#[$m])*
                #[inline]
                pub fn $f(&self) -> $t {
                    match self.src {
                        Src::Stored($s, $i) => $stored,
                        Src::Owned($a) => $owned,
                    }
                }
            )*
        }
    };
}

fields! {
    line: u64 = |s, i| s.line(i), |a| a.line;
    id: Option<&'a str> = |s, i| s.id(i), |a| a.id.as_deref();
    name: Option<&'a str> = |s, i| s.name(i), |a| a.name.as_deref();
    account_type: Option<AccountType> = |s, i| s.account_type(i), |a| a.account_type;
    declared_platform: Option<Platform> = |s, i| s.declared_platform.get(i), |a| a.declared_platform;
    portal: Option<&'a str> = |s, i| s.portal.get(i).map(Text::as_str), |a| a.portal.as_deref();
    phone: Option<PhoneRef<'a>> = |s, i| s.phone_code.get(i).map(|code| PhoneRef {
        country_code: code.as_deref(),
        number: arena_str(&s.arena, s.phone_number.get(i)).unwrap_or_default(),
    }), |a| a.phone.as_ref().map(|p| PhoneRef {
        country_code: p.country_code.as_deref(),
        number: &p.number,
    });
    entity_name: Option<&'a str> = |s, i| s.entity_name(i), |a| a.entity_name.as_deref();
    entity_type: Option<EntityType> = |s, i| s.entity_type(i), |a| a.entity_type;
    entity_overseas: bool = |s, i| s.entity_overseas.get(i), |a| a.entity_overseas;
    entity_country: Option<&'a Country> = |s, i| s.entity_country.get(i), |a| a.entity_country.as_ref();
    credit_code: Option<&'a str> = |s, i| arena_str(&s.arena, s.credit_code.get(i)), |a| a.credit_code.as_deref();
    icp_filing: Option<&'a str> = |s, i| arena_str(&s.arena, s.icp_filing.get(i)), |a| a.icp_filing.as_deref();
    wallet_currency: Option<&'a str> = |s, i| s.wallet_currency.get(i).map(Text::as_str), |a| a.wallet_currency.as_deref();
    verified: Option<bool> = |s, i| s.verified.get(i), |a| a.verified;
    verification_expiry: Option<NaiveDate> = |s, i| s.verification_expiry(i), |a| a.verification_expiry;
    payments: Option<bool> = |s, i| s.payments(i), |a| a.payments;
    merchant_id: Option<&'a str> = |s, i| arena_str(&s.arena, s.merchant_id.get(i)), |a| a.merchant_id.as_deref();
    merchant_track: Option<MerchantTrack> = |s, i| s.merchant_track.get(i), |a| a.merchant_track;
    merchant_entity: Option<&'a str> = |s, i| s.merchant_entity.get(i).map(Text::as_str), |a| a.merchant_entity.as_deref();
    admin: Option<&'a str> = |s, i| s.admin.get(i).map(Text::as_str), |a| a.admin.as_deref();
    admin_status: Option<AdminStatus> = |s, i| s.admin_status.get(i), |a| a.admin_status;
    operators: &'a [Text] = |s, i| list(&s.operators, i), |a| &a.operators;
    audience: &'a [Text] = |s, i| s.audience(i), |a| &a.audience;
    features: &'a [Text] = |s, i| list(&s.features, i), |a| &a.features;
    brand: Option<&'a str> = |s, i| s.brand(i), |a| a.brand.as_deref();
    status: Option<Status> = |s, i| s.status(i), |a| a.status;
    followers: Option<u64> = |s, i| s.followers(i), |a| a.followers;
    last_active: Option<NaiveDate> = |s, i| s.last_active(i), |a| a.last_active;
    notes: Option<&'a str> = |s, i| arena_str(&s.arena, s.notes.get(i)), |a| a.notes.as_deref();
    wechat_id: Option<&'a str> = |s, i| s.wechat_id(i), |a| a.wechat_id.as_deref();
    terms: Option<Platform> = |s, i| s.terms.get(i), |a| a.terms;
    email: Option<&'a str> = |s, i| arena_str(&s.arena, s.email.get(i)), |a| a.email.as_deref();
    /// The text as written, for values whose normalised form differs from it.
    raw: Raw<'a> = |s, i| Raw(Pairs::Stored(&s.arena, &s.raw[s.raw_end.span(i)])), |a| Raw(Pairs::Owned(&a.raw));
    /// Values of columns wxaudit does not know, by header.
    extra: Extra<'a> = |s, i| Extra {
        pairs: Pairs::Stored(&s.arena, s.extras.aside(i)),
        columns: Some((&s.extras, &s.arena, i)),
    }, |a| Extra {
        pairs: Pairs::Owned(&a.extra),
        columns: None,
    };
}

impl<'a> AccountRef<'a> {
    /// Account `i` of `store` (the caller has checked `i < store.len()`).
    pub(super) fn stored(store: &'a Accounts, i: usize) -> AccountRef<'a> {
        AccountRef {
            src: Src::Stored(store, i),
        }
    }

    pub(super) fn owned(a: &'a Account) -> AccountRef<'a> {
        AccountRef { src: Src::Owned(a) }
    }

    /// The identity shown to people: id, else name, else `line N`.
    pub fn label(&self) -> String {
        match (self.id(), self.name()) {
            (Some(id), _) => id.to_string(),
            (None, Some(n)) => n.to_string(),
            _ => format!("line {}", self.line()),
        }
    }
    pub fn raw_value(&self, c: Column) -> Option<&'a str> {
        self.raw().get(c)
    }
    pub fn has_feature(&self, f: &str) -> bool {
        self.features().iter().any(|x| x == f)
    }
    pub fn targets_market(&self, m: &str) -> bool {
        self.audience().iter().any(|x| x == m)
    }

    /// The account as an owned [`Account`].
    pub fn to_account(&self) -> Account {
        let t = |s: Option<&str>| s.map(Text::from);
        let l = |v: &[Text]| v.to_vec();
        Account {
            line: self.line(),
            id: t(self.id()),
            name: t(self.name()),
            account_type: self.account_type(),
            declared_platform: self.declared_platform(),
            portal: t(self.portal()),
            phone: self.phone().map(|p| Phone {
                country_code: t(p.country_code),
                number: Text::from(p.number),
            }),
            entity_name: t(self.entity_name()),
            entity_type: self.entity_type(),
            entity_overseas: self.entity_overseas(),
            entity_country: self.entity_country().cloned(),
            credit_code: t(self.credit_code()),
            icp_filing: t(self.icp_filing()),
            wallet_currency: t(self.wallet_currency()),
            verified: self.verified(),
            verification_expiry: self.verification_expiry(),
            payments: self.payments(),
            merchant_id: t(self.merchant_id()),
            merchant_track: self.merchant_track(),
            merchant_entity: t(self.merchant_entity()),
            admin: t(self.admin()),
            admin_status: self.admin_status(),
            operators: l(self.operators()),
            audience: l(self.audience()),
            features: l(self.features()),
            brand: t(self.brand()),
            status: self.status(),
            followers: self.followers(),
            last_active: self.last_active(),
            notes: t(self.notes()),
            wechat_id: t(self.wechat_id()),
            terms: self.terms(),
            email: t(self.email()),
            raw: self.raw().iter().map(|(c, v)| (c, Text::from(v))).collect(),
            extra: self
                .extra()
                .iter()
                .map(|(h, v)| (Text::from(h), Text::from(v)))
                .collect(),
        }
    }
}

impl fmt::Debug for AccountRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_account().fmt(f)
    }
}

impl PartialEq for AccountRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_account() == other.to_account()
    }
}
