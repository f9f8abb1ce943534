//! Decides which platform an account is on from its evidence (domain.md §2), and says why.
//!
//! Pure: `(&AccountRef, &Knowledge) → Classification`. Knows nothing of rules or reports. The facts
//! it decides with — which phone codes register on Weixin, which portal host is which platform,
//! which wallet currencies are the China wallet — are data ([`Knowledge`], `data/default.json`),
//! so a `--rules` file that changes one changes the verdict; the decision logic below is code.
//!
//! Which signal decides depends on the kind of account (domain.md §2 table):
//!
//! | kind | decisive signal | confidence when it speaks |
//! |---|---|---|
//! | personal | phone country code (`weixin_phone_codes`: +86 → Weixin, any other → WeChat) | high |
//! | subscription / service | admin portal (`portals`: mp.weixin.qq.com / open platform → Weixin, admin.wechat.com → WeChat) | high |
//! | mini program | the type itself (mini programs only exist on mp.weixin.qq.com) | high |
//! | WeCom | entity region (`CN` → Weixin, anything else incl. HK/MO/TW → WeChat) | high (medium from a USCC/ICP filing alone) |
//! | channels | the type itself (a Weixin feature) | high |
//! | unknown type | strongest signal present (portal, phone, entity …) | medium |
//!
//! Without the decisive signal, weaker signals (a China/foreign wallet (`wallet_regions`) for a personal account,
//! USCC/ICP for WeCom) give *medium*; a declared platform alone gives *low*; nothing gives
//! `unknown` with confidence *none*.
//!
//! Conflicts are recorded whenever a signal that *could* speak for the account's kind points the
//! other way than the deciding one: declared platform vs phone/portal/type/entity, wallet vs phone,
//! entity country vs a valid USCC, portal admin.wechat.com for a mini program. Deliberately **not** a
//! conflict: an official account on mp.weixin.qq.com whose admin phone is +852 — the portal decides
//! official accounts, and overseas companies routinely run Weixin-platform accounts with foreign
//! phones. Such a phone is recorded as evidence that does not imply a platform.
//!
//! Entity evidence (entity country `CN`, a valid USCC, an ICP filing) is recorded as evidence of a
//! mainland *owner*; for official accounts it never decides the platform.
//!
//! Reports keep only the verdict ([`classify`]); the evidence is rebuilt on demand ([`explain`])
//! for the account being shown or written, so a million-account audit does not hold it all.

use crate::accounts::AccountRef;
use crate::knowledge::Knowledge;
use crate::model::{
    AccountType, Classification, Confidence, Conflict, Country, Evidence, Explanation, Platform,
    Signal, Text,
};
use std::borrow::Cow;

/// The USCC alphabet (GB 32100-2015): digits and upper-case letters without I, O, S, V, Z.
const USCC_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Validates an 18-character Unified Social Credit Code (GB 32100-2015 checksum).
///
/// Surrounding whitespace is ignored and lower-case letters are accepted; anything else (wrong
/// length, a character outside the alphabet, a wrong check character) is invalid.
pub fn uscc_valid(code: &str) -> bool {
    let code = code.trim().as_bytes();
    let [body @ .., last] = code else {
        return false;
    };
    code.len() == 18 && uscc_check(body).is_some_and(|check| uscc_value(*last) == Some(check))
}

/// Each byte's place in [`USCC_ALPHABET`] (lower-case letters as upper-case), 0xFF for a byte
/// outside it: a table, since every account's credit code is checked.
const USCC_VALUES: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < USCC_ALPHABET.len() {
        let c = USCC_ALPHABET[i];
        t[c as usize] = i as u8;
        t[c.to_ascii_lowercase() as usize] = i as u8;
        i += 1;
    }
    t
};

/// A byte's value in the USCC alphabet.
fn uscc_value(b: u8) -> Option<u32> {
    let v = USCC_VALUES[b as usize];
    (v != 0xFF).then_some(u32::from(v))
}

/// The value of the check character a 17-byte USCC body needs; None for a body of another
/// length or with a byte outside the alphabet.
fn uscc_check(body: &[u8]) -> Option<u32> {
    if body.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in body.iter().zip(USCC_WEIGHTS) {
        sum += uscc_value(*b)? * w;
    }
    Some((31 - sum % 31) % 31)
}

/// The check character a 17-character USCC body needs (used by tests and sample generators).
pub fn uscc_check_char(body: &str) -> Option<char> {
    uscc_check(body.as_bytes()).map(|v| USCC_ALPHABET[v as usize] as char)
}

/// What the entity fields say about where the owner is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityRegion {
    /// PRC mainland entity, by entity country `CN`.
    MainlandByCountry,
    /// PRC mainland entity by a valid USCC or an ICP filing only (no usable country).
    MainlandByRegistration,
    /// Entity registered outside the mainland (incl. HK, MO, TW) by its country.
    Overseas,
    /// Entity type said "overseas" (境外主体) but no country.
    OverseasByType,
    /// Nothing usable (or a bare "China" without a valid USCC).
    Unknown,
}

/// Where the account's owner is registered, from entity country, USCC and ICP filing.
///
/// A bare "China" counts as mainland only with a valid USCC (domain.md §2).
pub fn entity_region(a: &AccountRef, k: &Knowledge) -> EntityRegion {
    let uscc_ok = a.credit_code().is_some_and(uscc_valid);
    match &a.entity_country() {
        Some(Country::Code(c)) if k.is_mainland(c) => EntityRegion::MainlandByCountry,
        Some(Country::Code(_)) => EntityRegion::Overseas,
        Some(Country::AmbiguousChina) if uscc_ok => EntityRegion::MainlandByCountry,
        _ if uscc_ok || a.icp_filing().is_some_and(|s| !s.trim().is_empty()) => {
            EntityRegion::MainlandByRegistration
        }
        _ if a.entity_overseas() => EntityRegion::OverseasByType,
        _ => EntityRegion::Unknown,
    }
}

/// True when the entity is a PRC mainland entity by any entity evidence.
pub fn is_mainland_entity(a: &AccountRef, k: &Knowledge) -> bool {
    matches!(
        entity_region(a, k),
        EntityRegion::MainlandByCountry | EntityRegion::MainlandByRegistration
    )
}

/// What a portal host says (the host as written: scheme, `www.` and path are ignored), from the
/// knowledge's `portals`.
fn portal_platform<'k>(k: &'k Knowledge, host: &str) -> Option<(Platform, &'k str)> {
    let host = host.trim();
    // The importer writes hosts in lower case already: copy only one that is not.
    let h: Cow<str> = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Borrowed(host)
    };
    let h = h
        .strip_prefix("https://")
        .or_else(|| h.strip_prefix("http://"))
        .unwrap_or(&h);
    let h = h.split(['/', '?', '#']).next().unwrap_or(h);
    let h = h.strip_prefix("www.").unwrap_or(h);
    k.portal(h).map(|p| (p.platform, p.note.as_str()))
}

/// Which platform a phone country code registers on (`weixin_phone_codes`).
fn phone_platform(k: &Knowledge, cc: &str) -> Platform {
    if k.is_weixin_phone_code(cc) {
        Platform::Weixin
    } else {
        Platform::Wechat
    }
}

/// The evidence note of a phone that registers on `pf`: "+86 phone registers on Weixin",
/// "non-+86 phone registers on WeChat" (from the knowledge's Weixin phone codes).
fn phone_note(k: &Knowledge, pf: Platform) -> String {
    let codes: Vec<String> = k
        .weixin_phone_codes
        .value
        .iter()
        .map(|c| format!("+{c}"))
        .collect();
    let codes = codes.join("/");
    if pf == Platform::Weixin {
        format!("{codes} phone registers on Weixin")
    } else {
        format!("non-{codes} phone registers on WeChat")
    }
}

/// The evidence note of wallet currency `cur`: the wallet region's own note, else "China wallet"
/// or "foreign wallet" (with "local payments ended" when they did).
fn wallet_note(k: &Knowledge, cur: &str, pf: Platform) -> Cow<'static, str> {
    match k.wallet_regions.get(cur) {
        Some(w) if !w.note.is_empty() => Cow::Owned(w.note.clone()),
        _ if pf == Platform::Weixin => Cow::Borrowed("China wallet"),
        Some(w) if w.local_payments_ended.is_some() => {
            Cow::Borrowed("foreign wallet (local payments ended)")
        }
        _ => Cow::Borrowed("foreign wallet"),
    }
}

/// The builder that accumulates evidence and conflicts.
struct Acc {
    /// False when only the verdict is wanted ([`classify`]): evidence is then not built at all.
    keep_evidence: bool,
    evidence: Vec<Evidence>,
    conflicts: Vec<Conflict>,
}

impl Acc {
    fn ev(
        &mut self,
        signal: Signal,
        value: &str,
        implies: Option<Platform>,
        note: impl Into<Cow<'static, str>>,
    ) {
        if !self.keep_evidence {
            return;
        }
        self.evidence.push(Evidence {
            signal,
            value: value.into(),
            implies,
            note: note.into(),
        });
    }
    /// [`Acc::ev`] with a note that is built only when evidence is kept.
    fn ev_with(
        &mut self,
        signal: Signal,
        value: &str,
        implies: Option<Platform>,
        note: impl FnOnce() -> Cow<'static, str>,
    ) {
        if self.keep_evidence {
            self.ev(signal, value, implies, note());
        }
    }
    fn conflict(&mut self, a: (Signal, &str, Platform), b: (Signal, &str, Platform), why: &str) {
        self.conflicts.push(Conflict {
            signals: (a.0, b.0),
            message: format!(
                "{} {} says {}, but {} {} says {}; {}",
                a.0.as_str(),
                a.1,
                a.2.label(),
                b.0.as_str(),
                b.1,
                b.2.label(),
                why
            ),
        });
    }
}

/// A signal that pointed at a platform: (signal, value as shown, platform). The value is
/// borrowed from the account where it can be: a million accounts, several signals each.
type Vote<'a> = (Signal, Shown<'a>, Platform);

/// A vote's value as shown: borrowed from the account where it can be, else a short text made
/// here ("+86", an upper-cased currency) held inline — a million accounts, several votes each,
/// allocate nothing for them.
enum Shown<'a> {
    Borrowed(&'a str),
    Made(Text),
}

impl std::ops::Deref for Shown<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Shown::Borrowed(s) => s,
            Shown::Made(t) => t,
        }
    }
}

/// Classifies one account: its platform, how sure, and any conflicts, without the evidence.
/// `k`: the facts to decide with (the audit's rule set's knowledge, overrides included).
pub fn classify<'a>(account: impl Into<AccountRef<'a>>, k: &Knowledge) -> Classification {
    run(&account.into(), k, false).classification
}

/// Classifies one account and says why: every signal read, its value and what it implied.
/// Gives the same verdict as [`classify`] with the same knowledge, which is what reports keep
/// for every account.
pub fn explain<'a>(account: impl Into<AccountRef<'a>>, k: &Knowledge) -> Explanation {
    run(&account.into(), k, true)
}

fn run(account: &AccountRef, k: &Knowledge, keep_evidence: bool) -> Explanation {
    let a = account;
    let mut acc = Acc {
        keep_evidence,
        evidence: Vec::with_capacity(if keep_evidence { 4 } else { 0 }),
        conflicts: Vec::new(),
    };
    let kind = a.account_type();
    if let Some(t) = kind {
        let note = match t {
            AccountType::Personal => "personal: decided by phone code",
            AccountType::Subscription | AccountType::Service => {
                "official account: decided by admin portal"
            }
            AccountType::MiniProgram => "mini programs exist only on mp.weixin.qq.com",
            AccountType::Wecom => "WeCom: decided by entity region",
            AccountType::Channels => "Channels is a Weixin feature",
        };
        // Recorded only when the type itself decides: for the other kinds the deciding signal's
        // own note says what decided (this keeps a million classifications small).
        if matches!(t, AccountType::MiniProgram | AccountType::Channels) {
            acc.ev(
                Signal::AccountType,
                t.as_str(),
                Some(Platform::Weixin),
                note,
            );
        }
    }

    // --- Collect every signal once. ---
    let portal: Option<Vote> = a.portal().and_then(|p| {
        let host = p.trim();
        if host.is_empty() {
            return None;
        }
        match portal_platform(k, host) {
            Some((pf, _)) => Some((Signal::Portal, Shown::Borrowed(host), pf)),
            None => {
                acc.ev(Signal::Portal, host, None, "portal not recognised");
                None
            }
        }
    });
    let phone: Option<Vote> = a.phone().as_ref().and_then(|p| {
        p.country_code.map(|cc| {
            (
                Signal::Phone,
                Shown::Made({
                    let mut plus = Text::with_capacity(cc.len() + 1);
                    plus.push('+');
                    plus.push_str(cc);
                    plus
                }),
                phone_platform(k, cc),
            )
        })
    });
    if phone.is_none() && a.phone().is_some() {
        acc.ev(
            Signal::Phone,
            "no country code",
            None,
            "phone has no country code",
        );
    }
    let declared: Option<Vote> = a
        .declared_platform()
        .filter(|p| *p != Platform::Unknown)
        .map(|p| (Signal::DeclaredPlatform, Shown::Borrowed(p.as_str()), p));
    let wallet: Option<Vote> = a.wallet_currency().and_then(|w| {
        let w = w.trim();
        let w = if w.bytes().any(|b| b.is_ascii_lowercase()) {
            let mut upper = Text::from(w);
            upper.make_ascii_uppercase();
            Shown::Made(upper)
        } else {
            Shown::Borrowed(w)
        };
        match &*w {
            "" | "NONE" => None,
            _ if k.is_china_wallet(&w) => Some((Signal::WalletCurrency, w, Platform::Weixin)),
            _ => Some((Signal::WalletCurrency, w, Platform::Wechat)),
        }
    });

    let personal = kind == Some(AccountType::Personal);
    // The service agreement the account sees outranks its phone (domain.md §9).
    let terms: Option<Vote> = a
        .terms()
        .filter(|p| *p != Platform::Unknown)
        .map(|p| (Signal::Terms, Shown::Borrowed(p.as_str()), p));
    if let Some((_, v, pf)) = &terms {
        let note = if personal || kind.is_none() {
            "the service agreement the account is under decides"
        } else {
            "service agreement of the admin's own account; does not decide this kind"
        };
        let implies = (personal || kind.is_none()).then_some(*pf);
        acc.ev(Signal::Terms, v, implies, note);
    }

    // Portal evidence.
    if let Some((_, host, pf)) = &portal {
        let implies = if personal || kind == Some(AccountType::Wecom) {
            None
        } else {
            Some(*pf)
        };
        acc.ev_with(Signal::Portal, host, implies, || {
            let note = portal_platform(k, host).map(|(_, n)| n).unwrap_or("");
            Cow::Owned(note.to_string())
        });
    }
    // Phone evidence.
    if let Some((_, v, pf)) = &phone {
        if personal || kind.is_none() {
            acc.ev_with(Signal::Phone, v, Some(*pf), || {
                Cow::Owned(phone_note(k, *pf))
            });
        } else {
            acc.ev(
                Signal::Phone,
                v,
                None,
                "admin phone; does not decide this kind",
            );
        }
    }
    // Wallet evidence.
    if let Some((_, v, pf)) = &wallet {
        let implies = if personal || kind.is_none() {
            Some(*pf)
        } else {
            None
        };
        acc.ev_with(Signal::WalletCurrency, v, implies, || {
            wallet_note(k, v, *pf)
        });
    }
    if let Some((_, v, pf)) = &declared {
        acc.ev(
            Signal::DeclaredPlatform,
            v,
            Some(*pf),
            "declared by the team; trusted only if uncontradicted",
        );
    }

    // Entity evidence: recorded for every kind (after the platform signals); decides only WeCom.
    let region = entity_region(a, k);
    let entity_vote = entity_evidence(a, k, region, kind, &mut acc);

    // --- Decide. ---
    let (platform, confidence) = match kind {
        Some(AccountType::Personal) => {
            if let Some(t) = &terms {
                conflict_with(&mut acc, t, phone.as_ref(), "the service agreement decides");
                conflict_with(
                    &mut acc,
                    t,
                    declared.as_ref(),
                    "the service agreement decides",
                );
                conflict_with(
                    &mut acc,
                    t,
                    wallet.as_ref(),
                    "the service agreement decides",
                );
                (t.2, Confidence::High)
            } else if let Some(ph) = &phone {
                conflict_with(&mut acc, ph, declared.as_ref(), "the phone code decides");
                conflict_with(&mut acc, ph, wallet.as_ref(), "the phone code decides");
                (ph.2, Confidence::High)
            } else if let Some(w) = &wallet {
                if let Some(d) = &declared {
                    if d.2 != w.2 {
                        conflict_with(&mut acc, d, Some(w), "no phone to settle it");
                        (d.2, Confidence::Low)
                    } else {
                        (w.2, Confidence::Medium)
                    }
                } else {
                    (w.2, Confidence::Medium)
                }
            } else if let Some(d) = &declared {
                (d.2, Confidence::Low)
            } else {
                (Platform::Unknown, Confidence::None)
            }
        }
        Some(AccountType::Subscription | AccountType::Service) => {
            if let Some(p) = &portal {
                conflict_with(&mut acc, p, declared.as_ref(), "the admin portal decides");
                (p.2, Confidence::High)
            } else if let Some(d) = &declared {
                (d.2, Confidence::Low)
            } else {
                (Platform::Unknown, Confidence::None)
            }
        }
        Some(AccountType::MiniProgram | AccountType::Channels) => {
            let t = kind.map(|k| k.as_str()).unwrap_or("");
            let by_type: Vote = (Signal::AccountType, Shown::Borrowed(t), Platform::Weixin);
            conflict_with(
                &mut acc,
                &by_type,
                portal.as_ref(),
                "this kind only exists on Weixin",
            );
            conflict_with(
                &mut acc,
                &by_type,
                declared.as_ref(),
                "this kind only exists on Weixin",
            );
            (Platform::Weixin, Confidence::High)
        }
        Some(AccountType::Wecom) => {
            if let Some((e, conf)) = &entity_vote {
                conflict_with(&mut acc, e, declared.as_ref(), "the entity region decides");
                (e.2, *conf)
            } else if let Some(d) = &declared {
                (d.2, Confidence::Low)
            } else {
                (Platform::Unknown, Confidence::None)
            }
        }
        None => {
            // No type: the strongest signal present decides, at medium confidence at best.
            let order = [
                portal.as_ref(),
                terms.as_ref(),
                phone.as_ref(),
                wallet.as_ref(),
            ];
            let first = order.iter().flatten().next().copied();
            match first {
                Some(f) => {
                    for other in order.iter().flatten() {
                        if !std::ptr::eq(*other, f) {
                            conflict_with(
                                &mut acc,
                                f,
                                Some(other),
                                "the stronger signal is used; account type unknown",
                            );
                        }
                    }
                    conflict_with(
                        &mut acc,
                        f,
                        declared.as_ref(),
                        "the stronger signal is used",
                    );
                    (f.2, Confidence::Medium)
                }
                None => match &declared {
                    Some(d) => (d.2, Confidence::Low),
                    None => (Platform::Unknown, Confidence::None),
                },
            }
        }
    };

    // A valid USCC contradicting a non-mainland entity country.
    if let (Some(Country::Code(c)), Some(code)) = (&a.entity_country(), a.credit_code()) {
        if c != "CN" && uscc_valid(code) {
            acc.conflicts.push(Conflict {
                signals: (Signal::EntityCountry, Signal::CreditCode),
                message: format!(
                    "entity country {c} says overseas, but a valid mainland USCC is given; check the entity"
                ),
            });
        }
    }

    // A million classifications stay in memory for the report and the TUI: no spare capacity.
    acc.conflicts.shrink_to_fit();
    Explanation {
        classification: Classification {
            platform,
            confidence,
            conflicts: acc.conflicts,
        },
        evidence: acc.evidence,
    }
}

/// Records a conflict when `other` points elsewhere than `decider`.
fn conflict_with(acc: &mut Acc, decider: &Vote, other: Option<&Vote>, why: &str) {
    if let Some(o) = other {
        if o.2 != decider.2 {
            acc.conflict((o.0, &o.1, o.2), (decider.0, &decider.1, decider.2), why);
        }
    }
}

/// Records the entity evidence and returns the entity's platform vote (for WeCom) with the
/// confidence it carries.
fn entity_evidence<'a>(
    a: &AccountRef<'a>,
    k: &Knowledge,
    region: EntityRegion,
    kind: Option<AccountType>,
    acc: &mut Acc,
) -> Option<(Vote<'a>, Confidence)> {
    let wecom = kind == Some(AccountType::Wecom);
    let decides = |p: Platform| if wecom { Some(p) } else { None };
    let owner_note = if wecom {
        "WeCom region follows the entity"
    } else {
        "who owns it, not where it lives"
    };
    let uscc_ok = a.credit_code().is_some_and(uscc_valid);
    let mut vote = None;
    match &a.entity_country() {
        Some(Country::Code(c)) => {
            let mainland = k.is_mainland(c);
            let p = if mainland {
                Platform::Weixin
            } else {
                Platform::Wechat
            };
            let note = if mainland {
                if wecom {
                    "mainland entity; WeCom region follows the entity"
                } else {
                    "mainland entity: who owns it, not where it lives"
                }
            } else if wecom {
                "non-mainland entity (incl. HK/MO/TW); WeCom region follows"
            } else {
                "overseas entity: who owns it, not where it lives"
            };
            acc.ev(Signal::EntityCountry, c, decides(p), note);
            vote = Some((
                (Signal::EntityCountry, Shown::Borrowed(c.as_str()), p),
                Confidence::High,
            ));
        }
        Some(Country::AmbiguousChina) => {
            if uscc_ok {
                acc.ev(
                    Signal::EntityCountry,
                    "China (ambiguous)",
                    decides(Platform::Weixin),
                    "bare China read as mainland: valid USCC",
                );
                vote = Some((
                    (
                        Signal::EntityCountry,
                        Shown::Borrowed("China+USCC"),
                        Platform::Weixin,
                    ),
                    Confidence::High,
                ));
            } else {
                acc.ev(
                    Signal::EntityCountry,
                    "China (ambiguous)",
                    None,
                    "bare China may be mainland, HK, MO or TW: unknown",
                );
            }
        }
        None => {}
    }
    if let Some(code) = a.credit_code().filter(|c| !c.trim().is_empty()) {
        if uscc_ok {
            acc.ev(
                Signal::CreditCode,
                code.trim(),
                decides(Platform::Weixin),
                "valid USCC: mainland entity",
            );
        } else if code.trim().len() == 18 {
            acc.ev(
                Signal::CreditCode,
                code.trim(),
                None,
                "USCC checksum fails; ignored",
            );
        } else {
            acc.ev(
                Signal::CreditCode,
                code.trim(),
                None,
                "not a USCC; says nothing about region",
            );
        }
    }
    if let Some(icp) = a.icp_filing().filter(|c| !c.trim().is_empty()) {
        acc.ev(
            Signal::IcpFiling,
            icp.trim(),
            decides(Platform::Weixin),
            "ICP filing: mainland entity",
        );
    }
    if vote.is_none() {
        match region {
            EntityRegion::MainlandByRegistration => {
                let sig = if uscc_ok {
                    Signal::CreditCode
                } else {
                    Signal::IcpFiling
                };
                vote = Some((
                    (sig, Shown::Borrowed("mainland"), Platform::Weixin),
                    Confidence::Medium,
                ));
            }
            EntityRegion::OverseasByType => {
                acc.ev(
                    Signal::EntityCountry,
                    "overseas entity type",
                    decides(Platform::Wechat),
                    owner_note,
                );
                vote = Some((
                    (
                        Signal::EntityCountry,
                        Shown::Borrowed("overseas"),
                        Platform::Wechat,
                    ),
                    Confidence::Medium,
                ));
            }
            _ => {}
        }
    }
    if wecom {
        vote
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;
    use crate::model::Phone;

    /// The functions under test, with the built-in knowledge.
    fn classify(a: &Account) -> Classification {
        super::classify(a, Knowledge::builtin())
    }
    fn explain(a: &Account) -> Explanation {
        super::explain(a, Knowledge::builtin())
    }

    fn phone(cc: &str) -> Option<Phone> {
        Some(Phone {
            country_code: Some(cc.into()),
            number: "13800000000".into(),
        })
    }

    fn acct(t: Option<AccountType>) -> Account {
        Account {
            id: Some("gh_test".into()),
            account_type: t,
            ..Account::default()
        }
    }

    /// A valid USCC built with the GB 32100-2015 algorithm.
    fn valid_uscc() -> String {
        let body = "91310000MA1FL0000";
        format!("{body}{}", uscc_check_char(body).expect("body"))
    }

    fn signals(c: &Classification) -> Vec<(Signal, Signal)> {
        c.conflicts.iter().map(|x| x.signals).collect()
    }

    /// Reports keep `classify`'s verdict and rebuild the evidence with `explain`: the two must
    /// never disagree, whatever mix of signals an account has.
    #[test]
    fn classify_gives_the_verdict_explain_gives_with_its_evidence() {
        let types = [
            None,
            Some(AccountType::Personal),
            Some(AccountType::Subscription),
            Some(AccountType::Service),
            Some(AccountType::MiniProgram),
            Some(AccountType::Wecom),
            Some(AccountType::Channels),
        ];
        let portals = [None, Some("mp.weixin.qq.com"), Some("admin.wechat.com")];
        let phones = [None, Some("86"), Some("852")];
        let declared = [None, Some(Platform::Weixin), Some(Platform::Wechat)];
        let countries = [None, Some("CN"), Some("HK")];
        let mut checked = 0;
        for t in types {
            for p in portals {
                for ph in phones {
                    for d in declared {
                        for c in countries {
                            let a = Account {
                                portal: p.map(Into::into),
                                phone: ph.and_then(phone),
                                declared_platform: d,
                                entity_country: c.map(|c| Country::Code(c.into())),
                                credit_code: Some(valid_uscc().into()),
                                wallet_currency: Some("HKD".into()),
                                ..acct(t)
                            };
                            let e = explain(&a);
                            assert_eq!(classify(&a), e.classification, "{a:?}");
                            if e.platform != Platform::Unknown {
                                assert!(
                                    e.evidence.iter().any(|x| x.implies == Some(e.platform)),
                                    "{a:?}"
                                );
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 7 * 3 * 3 * 3 * 3);
    }

    // ---- USCC ----

    #[test]
    fn uscc_checksum_accepts_valid_and_rejects_invalid() {
        // Well-known valid code (Tencent's Shenzhen entity format) generated with the algorithm.
        let v = valid_uscc();
        assert!(uscc_valid(&v), "{v}");
        assert!(uscc_valid(&v.to_lowercase()));
        assert!(uscc_valid(&format!("  {v} ")));
        // Every other check character is invalid.
        let body = &v[..17];
        for c in USCC_ALPHABET.iter().map(|&b| b as char) {
            let code = format!("{body}{c}");
            assert_eq!(uscc_valid(&code), code == v, "{code}");
        }
        assert!(!uscc_valid("91310000MA1FL0000")); // 17 chars
        assert!(!uscc_valid("91310000MA1FL00000X")); // 19 chars
        assert!(!uscc_valid("91310000MA1FL000I0")); // I is not in the alphabet
        assert!(!uscc_valid(""));
        assert!(!uscc_valid("九一三一〇〇〇〇MA1FL0000"));
        // Known real-format example: 91110000100003495H? computed, not assumed.
        let body = "91110108551385082";
        let code = format!("{body}{}", uscc_check_char(body).expect("body"));
        assert!(uscc_valid(&code));
    }

    // ---- §2 row: personal accounts by phone ----

    #[test]
    fn personal_plus86_is_weixin_high() {
        let a = Account {
            phone: phone("86"),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::High)
        );
        assert!(c.evidence.iter().any(|e| e.signal == Signal::Phone
            && e.value == "+86"
            && e.implies == Some(Platform::Weixin)));
        assert!(c.conflicts.is_empty());
    }

    #[test]
    fn personal_hk_macau_taiwan_and_others_are_wechat() {
        for cc in ["852", "853", "886", "1", "44", "60"] {
            let a = Account {
                phone: phone(cc),
                ..acct(Some(AccountType::Personal))
            };
            let c = explain(&a);
            assert_eq!(
                (c.platform, c.confidence),
                (Platform::Wechat, Confidence::High),
                "+{cc}"
            );
        }
    }

    #[test]
    fn personal_without_phone_uses_wallet_then_declared() {
        let a = Account {
            wallet_currency: Some("CNY".into()),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::Medium)
        );
        let a = Account {
            wallet_currency: Some("HKD".into()),
            ..acct(Some(AccountType::Personal))
        };
        assert_eq!(explain(&a).platform, Platform::Wechat);
        let a = Account {
            declared_platform: Some(Platform::Wechat),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Wechat, Confidence::Low)
        );
        let c = explain(&acct(Some(AccountType::Personal)));
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Unknown, Confidence::None)
        );
    }

    #[test]
    fn personal_mainland_entity_is_ownership_evidence_only() {
        let a = Account {
            phone: phone("44"),
            entity_country: Some(Country::Code("CN".into())),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Wechat);
        let e = c
            .evidence
            .iter()
            .find(|e| e.signal == Signal::EntityCountry)
            .expect("entity evidence recorded");
        assert_eq!(e.implies, None);
    }

    // ---- §2 row: official accounts by portal ----

    #[test]
    fn official_on_mp_weixin_is_weixin_even_for_overseas_entity() {
        for t in [AccountType::Subscription, AccountType::Service] {
            let a = Account {
                portal: Some("mp.weixin.qq.com".into()),
                entity_country: Some(Country::Code("US".into())),
                phone: phone("1"),
                ..acct(Some(t))
            };
            let c = explain(&a);
            assert_eq!(
                (c.platform, c.confidence),
                (Platform::Weixin, Confidence::High)
            );
            // An overseas admin phone is not a conflict: the portal decides official accounts.
            assert!(c.conflicts.is_empty(), "{:?}", c.conflicts);
            let ph = c
                .evidence
                .iter()
                .find(|e| e.signal == Signal::Phone)
                .expect("phone");
            assert_eq!(ph.implies, None);
            let ent = c
                .evidence
                .iter()
                .find(|e| e.signal == Signal::EntityCountry)
                .expect("entity");
            assert_eq!(ent.implies, None);
            assert!(ent.note.contains("not where it lives"));
        }
    }

    #[test]
    fn official_on_admin_wechat_is_wechat_even_for_mainland_entity() {
        let a = Account {
            portal: Some("admin.wechat.com".into()),
            entity_country: Some(Country::Code("CN".into())),
            credit_code: Some(valid_uscc().into()),
            ..acct(Some(AccountType::Service))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Wechat, Confidence::High)
        );
        assert!(c
            .evidence
            .iter()
            .any(|e| e.signal == Signal::Portal && e.value == "admin.wechat.com"));
        assert!(c.evidence.iter().any(|e| e.signal == Signal::CreditCode));
    }

    #[test]
    fn official_from_open_platform_is_weixin() {
        let a = Account {
            portal: Some("open-platform".into()),
            ..acct(Some(AccountType::Service))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::High)
        );
    }

    #[test]
    fn official_without_portal_uses_declared_low_else_unknown() {
        let a = Account {
            declared_platform: Some(Platform::Weixin),
            entity_country: Some(Country::Code("CN".into())),
            ..acct(Some(AccountType::Subscription))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::Low)
        );
        // Entity country never decides an official account.
        let a = Account {
            entity_country: Some(Country::Code("CN".into())),
            phone: phone("86"),
            ..acct(Some(AccountType::Subscription))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Unknown, Confidence::None)
        );
    }

    // ---- §2 row: mini programs ----

    #[test]
    fn mini_program_is_always_weixin() {
        for country in ["CN", "US", "HK"] {
            let a = Account {
                entity_country: Some(Country::Code(country.into())),
                ..acct(Some(AccountType::MiniProgram))
            };
            let c = explain(&a);
            assert_eq!(
                (c.platform, c.confidence),
                (Platform::Weixin, Confidence::High)
            );
        }
    }

    // ---- §2 row: WeCom by entity region ----

    #[test]
    fn wecom_by_entity_region() {
        let a = Account {
            entity_country: Some(Country::Code("CN".into())),
            ..acct(Some(AccountType::Wecom))
        };
        assert_eq!(
            (explain(&a).platform, explain(&a).confidence),
            (Platform::Weixin, Confidence::High)
        );
        for cc in ["HK", "MO", "TW", "SG", "DE"] {
            let a = Account {
                entity_country: Some(Country::Code(cc.into())),
                ..acct(Some(AccountType::Wecom))
            };
            assert_eq!(explain(&a).platform, Platform::Wechat, "{cc}");
        }
        // A valid USCC alone: mainland, medium.
        let a = Account {
            credit_code: Some(valid_uscc().into()),
            ..acct(Some(AccountType::Wecom))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::Medium)
        );
        // An ICP filing alone: mainland, medium.
        let a = Account {
            icp_filing: Some("京ICP备12345678号-1".into()),
            ..acct(Some(AccountType::Wecom))
        };
        assert_eq!(explain(&a).platform, Platform::Weixin);
        // Nothing: unknown.
        assert_eq!(
            explain(&acct(Some(AccountType::Wecom))).platform,
            Platform::Unknown
        );
    }

    #[test]
    fn bare_china_is_mainland_only_with_a_valid_uscc() {
        let a = Account {
            entity_country: Some(Country::AmbiguousChina),
            ..acct(Some(AccountType::Wecom))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Unknown);
        assert!(c.evidence.iter().any(|e| e.note.contains("bare China")));
        let a = Account {
            entity_country: Some(Country::AmbiguousChina),
            credit_code: Some(valid_uscc().into()),
            ..acct(Some(AccountType::Wecom))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::High)
        );
        // With an invalid USCC it stays unknown.
        let mut bad = valid_uscc();
        bad.pop();
        bad.push(if valid_uscc().ends_with('0') {
            '1'
        } else {
            '0'
        });
        let a = Account {
            entity_country: Some(Country::AmbiguousChina),
            credit_code: Some(bad.into()),
            ..acct(Some(AccountType::Wecom))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Unknown);
        assert!(c.evidence.iter().any(|e| e.note.contains("checksum")));
    }

    // ---- §2 row: channels ----

    #[test]
    fn channels_is_a_weixin_feature() {
        let c = explain(&acct(Some(AccountType::Channels)));
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::High)
        );
    }

    // ---- unknown type ----

    #[test]
    fn unknown_type_uses_strongest_signal_at_medium() {
        let a = Account {
            portal: Some("https://admin.wechat.com".into()),
            ..acct(None)
        };
        // A full URL works as well as a bare host.
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Wechat, Confidence::Medium)
        );
        let a = Account {
            phone: phone("86"),
            ..acct(None)
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::Medium)
        );
        let a = Account {
            declared_platform: Some(Platform::Weixin),
            ..acct(None)
        };
        assert_eq!(explain(&a).confidence, Confidence::Low);
        let c = explain(&acct(None));
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Unknown, Confidence::None)
        );
    }

    #[test]
    fn wallet_evidence_is_recorded_with_region() {
        let a = Account {
            phone: phone("60"),
            wallet_currency: Some("MYR".into()),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        let w = c
            .evidence
            .iter()
            .find(|e| e.signal == Signal::WalletCurrency)
            .expect("wallet");
        assert!(w.note.contains("foreign wallet"));
        // Wallet is weak evidence for personal accounts only.
        let a = Account {
            portal: Some("mp.weixin.qq.com".into()),
            wallet_currency: Some("HKD".into()),
            ..acct(Some(AccountType::Service))
        };
        let c = explain(&a);
        assert!(c.conflicts.is_empty());
        assert_eq!(
            c.evidence
                .iter()
                .find(|e| e.signal == Signal::WalletCurrency)
                .map(|e| e.implies),
            Some(None)
        );
    }

    // ---- conflicts ----

    #[test]
    fn conflict_declared_wechat_vs_phone_86() {
        let a = Account {
            phone: phone("86"),
            declared_platform: Some(Platform::Wechat),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Weixin);
        assert_eq!(signals(&c), vec![(Signal::DeclaredPlatform, Signal::Phone)]);
        assert!(c.conflicts[0].message.contains("+86"));
    }

    #[test]
    fn conflict_declared_weixin_vs_portal_admin_wechat() {
        let a = Account {
            portal: Some("admin.wechat.com".into()),
            declared_platform: Some(Platform::Weixin),
            ..acct(Some(AccountType::Subscription))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Wechat);
        assert_eq!(
            signals(&c),
            vec![(Signal::DeclaredPlatform, Signal::Portal)]
        );
        assert!(c.conflicts[0].message.contains("admin.wechat.com"));
    }

    #[test]
    fn conflict_wallet_vs_phone_for_personal() {
        let a = Account {
            phone: phone("852"),
            wallet_currency: Some("CNY".into()),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Wechat);
        assert_eq!(signals(&c), vec![(Signal::WalletCurrency, Signal::Phone)]);
    }

    #[test]
    fn conflict_declared_vs_wallet_without_phone() {
        let a = Account {
            wallet_currency: Some("CNY".into()),
            declared_platform: Some(Platform::Wechat),
            ..acct(Some(AccountType::Personal))
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Wechat, Confidence::Low)
        );
        assert_eq!(
            signals(&c),
            vec![(Signal::WalletCurrency, Signal::DeclaredPlatform)]
        );
    }

    #[test]
    fn conflict_mini_program_declared_wechat_or_on_admin_wechat() {
        let a = Account {
            declared_platform: Some(Platform::Wechat),
            portal: Some("admin.wechat.com".into()),
            ..acct(Some(AccountType::MiniProgram))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Weixin);
        assert_eq!(
            signals(&c),
            vec![
                (Signal::Portal, Signal::AccountType),
                (Signal::DeclaredPlatform, Signal::AccountType)
            ]
        );
    }

    #[test]
    fn conflict_channels_declared_wechat() {
        let a = Account {
            declared_platform: Some(Platform::Wechat),
            ..acct(Some(AccountType::Channels))
        };
        assert_eq!(
            signals(&explain(&a)),
            vec![(Signal::DeclaredPlatform, Signal::AccountType)]
        );
    }

    #[test]
    fn conflict_wecom_declared_vs_entity() {
        let a = Account {
            entity_country: Some(Country::Code("HK".into())),
            declared_platform: Some(Platform::Weixin),
            ..acct(Some(AccountType::Wecom))
        };
        let c = explain(&a);
        assert_eq!(c.platform, Platform::Wechat);
        assert_eq!(
            signals(&c),
            vec![(Signal::DeclaredPlatform, Signal::EntityCountry)]
        );
    }

    #[test]
    fn conflict_overseas_country_with_valid_uscc() {
        let a = Account {
            entity_country: Some(Country::Code("US".into())),
            credit_code: Some(valid_uscc().into()),
            portal: Some("mp.weixin.qq.com".into()),
            ..acct(Some(AccountType::Service))
        };
        let c = explain(&a);
        assert_eq!(
            signals(&c),
            vec![(Signal::EntityCountry, Signal::CreditCode)]
        );
    }

    #[test]
    fn conflict_unknown_type_portal_vs_phone() {
        let a = Account {
            portal: Some("mp.weixin.qq.com".into()),
            phone: phone("1"),
            ..acct(None)
        };
        let c = explain(&a);
        assert_eq!(
            (c.platform, c.confidence),
            (Platform::Weixin, Confidence::Medium)
        );
        assert_eq!(signals(&c), vec![(Signal::Phone, Signal::Portal)]);
    }

    #[test]
    fn agreeing_declared_platform_is_no_conflict() {
        let a = Account {
            phone: phone("86"),
            declared_platform: Some(Platform::Weixin),
            ..acct(Some(AccountType::Personal))
        };
        assert!(explain(&a).conflicts.is_empty());
    }

    /// The knowledge of a `--rules` file with `text` (TOML).
    fn with_rules(text: &str) -> crate::rules::RuleSet {
        use std::io::Write;
        let mut f = tempfile::Builder::new()
            .suffix(".toml")
            .tempfile()
            .expect("temp file");
        f.write_all(text.as_bytes()).expect("write");
        crate::rules::RuleSet::with_overrides(f.path()).expect("valid rules file")
    }

    fn wallet_only(cur: &str) -> Account {
        Account {
            wallet_currency: Some(cur.into()),
            ..acct(Some(AccountType::Personal))
        }
    }

    #[test]
    fn the_built_in_facts_classify_as_the_literals_did() {
        let k = Knowledge::builtin();
        for (cur, pf) in [
            ("CNY", Platform::Weixin),
            ("rmb", Platform::Weixin),
            ("HKD", Platform::Wechat),
            ("MYR", Platform::Wechat),
            ("USD", Platform::Wechat),
        ] {
            assert_eq!(super::classify(&wallet_only(cur), k).platform, pf, "{cur}");
        }
        let notes: Vec<String> = ["CNY", "HKD", "MYR", "USD"]
            .iter()
            .map(|c| {
                super::explain(&wallet_only(c), k).evidence[0]
                    .note
                    .to_string()
            })
            .collect();
        assert_eq!(
            notes,
            [
                "China wallet",
                "foreign wallet (WeChat Pay HK)",
                "foreign wallet (WeChat Pay MY, local payments ended)",
                "foreign wallet"
            ]
        );
        let mut a = acct(Some(AccountType::Personal));
        a.phone = phone("86");
        assert_eq!(
            super::explain(&a, k).evidence[0].note,
            "+86 phone registers on Weixin"
        );
        a.phone = phone("852");
        assert_eq!(
            super::explain(&a, k).evidence[0].note,
            "non-+86 phone registers on WeChat"
        );
    }

    #[test]
    fn a_rules_file_declaring_a_china_wallet_currency_flips_the_verdict() {
        let a = wallet_only("CNH");
        let before = super::explain(&a, Knowledge::builtin());
        assert_eq!(before.platform, Platform::Wechat);
        let set = with_rules(
            "[knowledge.wallet_regions.CNH]\nregion = \"china\"\nlabel = \"offshore yuan\"\n",
        );
        let after = super::explain(&a, set.knowledge());
        assert_eq!(after.platform, Platform::Weixin);
        assert_eq!(after.confidence, Confidence::Medium);
        assert_eq!(after.evidence[0].note, "China wallet");
        assert_eq!(super::classify(&a, set.knowledge()), after.classification);
        // A phone that says otherwise is now a conflict with the wallet.
        let mut b = a.clone();
        b.phone = phone("852");
        assert!(super::classify(&b, Knowledge::builtin())
            .conflicts
            .is_empty());
        assert_eq!(super::classify(&b, set.knowledge()).conflicts.len(), 1);
        // And the audit with that rules file keeps the new verdict.
        let r = crate::rules::testutil::run_with(
            vec![a],
            crate::rules::testutil::profile(&[], &[]),
            crate::rules::testutil::all_columns(),
            &set,
        );
        assert_eq!(r.classifications.platform(0), Some(Platform::Weixin));
    }

    #[test]
    fn a_rules_file_changes_portal_hosts_and_weixin_phone_codes() {
        let mut oa = acct(Some(AccountType::Service));
        oa.portal = Some("https://intl.example.com/login".into());
        let mut p = acct(Some(AccountType::Personal));
        p.phone = phone("853");
        let k = Knowledge::builtin();
        assert_eq!(super::classify(&oa, k).platform, Platform::Unknown);
        assert_eq!(super::classify(&p, k).platform, Platform::Wechat);
        let set = with_rules(
            r#"
[knowledge.portals."Intl.Example.com"]
platform = "wechat"
note = "our reseller's console for the international platform"
[knowledge.portals."admin.wechat.com"]
platform = "weixin"
[knowledge]
weixin_phone_codes = ["86", "+853"]
"#,
        );
        let k = set.knowledge();
        let e = super::explain(&oa, k);
        assert_eq!(
            (e.platform, e.confidence),
            (Platform::Wechat, Confidence::High)
        );
        assert_eq!(
            e.evidence[0].note,
            "our reseller's console for the international platform"
        );
        // A merged entry keeps its other fields.
        assert!(k.portals["admin.wechat.com"].note.contains("legacy"));
        oa.portal = Some("admin.wechat.com".into());
        assert_eq!(super::classify(&oa, k).platform, Platform::Weixin);
        let e = super::explain(&p, k);
        assert_eq!(e.platform, Platform::Weixin);
        assert_eq!(e.evidence[0].note, "+86/+853 phone registers on Weixin");
        p.phone = phone("852");
        assert_eq!(
            super::explain(&p, k).evidence[0].note,
            "non-+86/+853 phone registers on WeChat"
        );
    }

    #[test]
    fn a_wallet_whose_local_payments_ended_says_so_from_the_data() {
        let set = with_rules(
            "[knowledge.wallet_regions.THB]\nregion = \"foreign\"\nlabel = \"WeChat Pay Thailand\"\nlocal_payments_ended = 2026-01-01\n",
        );
        let e = super::explain(&wallet_only("THB"), set.knowledge());
        assert_eq!(e.platform, Platform::Wechat);
        assert_eq!(e.evidence[0].note, "foreign wallet (local payments ended)");
    }
}
