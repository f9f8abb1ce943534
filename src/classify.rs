//! Decides which platform an account is on from its evidence (domain.md §2), and says why.
//!
//! Pure: `&Account → Classification`. Knows nothing of rules or reports.
//!
//! Which signal decides depends on the kind of account (domain.md §2 table):
//!
//! | kind | decisive signal | confidence when it speaks |
//! |---|---|---|
//! | personal | phone country code (+86 → Weixin, any other → WeChat) | high |
//! | subscription / service | admin portal (mp.weixin.qq.com / open platform → Weixin, admin.wechat.com → WeChat) | high |
//! | mini program | the type itself (mini programs only exist on mp.weixin.qq.com) | high |
//! | WeCom | entity region (`CN` → Weixin, anything else incl. HK/MO/TW → WeChat) | high (medium from a USCC/ICP filing alone) |
//! | channels | the type itself (a Weixin feature) | high |
//! | unknown type | strongest signal present (portal, phone, entity …) | medium |
//!
//! Without the decisive signal, weaker signals (a China/foreign wallet for a personal account,
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
//! Evidence notes are short fixed phrases: a million-account audit keeps every one in memory.

use crate::model::{
    Account, AccountType, Classification, Confidence, Conflict, Country, Evidence, Platform, Signal,
};

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
    if code.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (i, b) in code.iter().enumerate() {
        let b = b.to_ascii_uppercase();
        let Some(v) = USCC_ALPHABET.iter().position(|&c| c == b) else {
            return false;
        };
        if i < 17 {
            sum += v as u32 * USCC_WEIGHTS[i];
        } else {
            let check = (31 - sum % 31) % 31;
            return v as u32 == check;
        }
    }
    false
}

/// The check character a 17-character USCC body needs (used by tests and sample generators).
pub fn uscc_check_char(body: &str) -> Option<char> {
    let body = body.as_bytes();
    if body.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, b) in body.iter().enumerate() {
        let v = USCC_ALPHABET
            .iter()
            .position(|&c| c == b.to_ascii_uppercase())?;
        sum += v as u32 * USCC_WEIGHTS[i];
    }
    Some(USCC_ALPHABET[((31 - sum % 31) % 31) as usize] as char)
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
pub fn entity_region(a: &Account) -> EntityRegion {
    let uscc_ok = a.credit_code.as_deref().is_some_and(uscc_valid);
    match &a.entity_country {
        Some(Country::Code(c)) if c == "CN" => EntityRegion::MainlandByCountry,
        Some(Country::Code(_)) => EntityRegion::Overseas,
        Some(Country::AmbiguousChina) if uscc_ok => EntityRegion::MainlandByCountry,
        _ if uscc_ok
            || a.icp_filing
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty()) =>
        {
            EntityRegion::MainlandByRegistration
        }
        _ if a.entity_overseas => EntityRegion::OverseasByType,
        _ => EntityRegion::Unknown,
    }
}

/// True when the entity is a PRC mainland entity by any entity evidence.
pub fn is_mainland_entity(a: &Account) -> bool {
    matches!(
        entity_region(a),
        EntityRegion::MainlandByCountry | EntityRegion::MainlandByRegistration
    )
}

/// What a portal host says.
fn portal_platform(host: &str) -> Option<(Platform, &'static str)> {
    let h = host.trim().trim_end_matches('/').to_ascii_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h);
    match h {
        "mp.weixin.qq.com" => Some((Platform::Weixin, "Weixin official-account platform")),
        "open-platform" | "open.weixin.qq.com" => {
            Some((Platform::Weixin, "managed via the Weixin Open Platform"))
        }
        "channels.weixin.qq.com" => Some((Platform::Weixin, "Weixin Channels console")),
        "admin.wechat.com" | "mp.wechat.com" => Some((
            Platform::Wechat,
            "legacy WeChat international platform (closed to new accounts 2018)",
        )),
        _ => None,
    }
}

fn phone_platform(cc: &str) -> Platform {
    if cc == "86" {
        Platform::Weixin
    } else {
        Platform::Wechat
    }
}

/// The builder that accumulates evidence and conflicts.
struct Acc {
    evidence: Vec<Evidence>,
    conflicts: Vec<Conflict>,
}

impl Acc {
    fn ev(&mut self, signal: Signal, value: &str, implies: Option<Platform>, note: &str) {
        self.evidence.push(Evidence {
            signal,
            value: value.to_string(),
            implies,
            note: note.to_string(),
        });
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

/// A signal that pointed at a platform: (signal, value as shown, platform).
type Vote = (Signal, String, Platform);

/// Classifies one account.
pub fn classify(account: &Account) -> Classification {
    let a = account;
    let mut acc = Acc {
        evidence: Vec::with_capacity(4),
        conflicts: Vec::new(),
    };
    let kind = a.account_type;
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
        let implies = match t {
            AccountType::MiniProgram | AccountType::Channels => Some(Platform::Weixin),
            _ => None,
        };
        acc.ev(Signal::AccountType, t.as_str(), implies, note);
    }

    // --- Collect every signal once. ---
    let portal: Option<Vote> = a.portal.as_deref().and_then(|p| {
        let host = p.trim();
        if host.is_empty() {
            return None;
        }
        match portal_platform(host) {
            Some((pf, _)) => Some((Signal::Portal, host.to_string(), pf)),
            None => {
                acc.ev(Signal::Portal, host, None, "portal not recognised");
                None
            }
        }
    });
    let phone: Option<Vote> = a.phone.as_ref().and_then(|p| {
        p.country_code
            .as_deref()
            .map(|cc| (Signal::Phone, format!("+{cc}"), phone_platform(cc)))
    });
    if phone.is_none() && a.phone.is_some() {
        acc.ev(
            Signal::Phone,
            "no country code",
            None,
            "phone has no country code",
        );
    }
    let declared: Option<Vote> = a
        .declared_platform
        .filter(|p| *p != Platform::Unknown)
        .map(|p| (Signal::DeclaredPlatform, p.as_str().to_string(), p));
    let wallet: Option<Vote> = a.wallet_currency.as_deref().and_then(|w| {
        let w = w.trim().to_ascii_uppercase();
        match w.as_str() {
            "" | "NONE" => None,
            "CNY" | "RMB" => Some((Signal::WalletCurrency, w, Platform::Weixin)),
            _ => Some((Signal::WalletCurrency, w, Platform::Wechat)),
        }
    });

    // Entity evidence: recorded for every kind; decides only WeCom.
    let region = entity_region(a);
    let entity_vote = entity_evidence(a, region, kind, &mut acc);

    let personal = kind == Some(AccountType::Personal);

    // Portal evidence.
    if let Some((_, host, pf)) = &portal {
        let note = portal_platform(host).map(|(_, n)| n).unwrap_or("");
        let implies = if personal || kind == Some(AccountType::Wecom) {
            None
        } else {
            Some(*pf)
        };
        acc.ev(Signal::Portal, host, implies, note);
    }
    // Phone evidence.
    if let Some((_, v, pf)) = &phone {
        if personal || kind.is_none() {
            let note = if *pf == Platform::Weixin {
                "+86 phone registers on Weixin"
            } else {
                "non-+86 phone registers on WeChat"
            };
            acc.ev(Signal::Phone, v, Some(*pf), note);
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
        let region_note = if *pf == Platform::Weixin {
            "China wallet"
        } else if v == "HKD" {
            "foreign wallet (WeChat Pay HK)"
        } else if v == "MYR" {
            "foreign wallet (WeChat Pay MY, local payments ended)"
        } else {
            "foreign wallet"
        };
        let implies = if personal || kind.is_none() {
            Some(*pf)
        } else {
            None
        };
        acc.ev(Signal::WalletCurrency, v, implies, region_note);
    }
    if let Some((_, v, pf)) = &declared {
        acc.ev(
            Signal::DeclaredPlatform,
            v,
            Some(*pf),
            "declared by the team; trusted only if uncontradicted",
        );
    }

    // --- Decide. ---
    let (platform, confidence) = match kind {
        Some(AccountType::Personal) => {
            if let Some(ph) = &phone {
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
            let by_type: Vote = (Signal::AccountType, t.to_string(), Platform::Weixin);
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
            let order = [portal.as_ref(), phone.as_ref(), wallet.as_ref()];
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
    if let (Some(Country::Code(c)), Some(code)) = (&a.entity_country, a.credit_code.as_deref()) {
        if c != "CN" && uscc_valid(code) {
            acc.conflicts.push(Conflict {
                signals: (Signal::EntityCountry, Signal::CreditCode),
                message: format!(
                    "entity country {c} says overseas, but a valid mainland USCC is given; check the entity"
                ),
            });
        }
    }

    Classification {
        platform,
        confidence,
        evidence: acc.evidence,
        conflicts: acc.conflicts,
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
fn entity_evidence(
    a: &Account,
    region: EntityRegion,
    kind: Option<AccountType>,
    acc: &mut Acc,
) -> Option<(Vote, Confidence)> {
    let wecom = kind == Some(AccountType::Wecom);
    let decides = |p: Platform| if wecom { Some(p) } else { None };
    let owner_note = if wecom {
        "WeCom region follows the entity"
    } else {
        "who owns it, not where it lives"
    };
    let uscc_ok = a.credit_code.as_deref().is_some_and(uscc_valid);
    let mut vote = None;
    match &a.entity_country {
        Some(Country::Code(c)) => {
            let p = if c == "CN" {
                Platform::Weixin
            } else {
                Platform::Wechat
            };
            let note = if c == "CN" {
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
            vote = Some(((Signal::EntityCountry, c.to_string(), p), Confidence::High));
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
                        "China+USCC".to_string(),
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
    if let Some(code) = a.credit_code.as_deref().filter(|c| !c.trim().is_empty()) {
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
    if let Some(icp) = a.icp_filing.as_deref().filter(|c| !c.trim().is_empty()) {
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
                    (sig, "mainland".to_string(), Platform::Weixin),
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
                        "overseas".to_string(),
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
