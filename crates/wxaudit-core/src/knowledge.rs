//! The auditor's knowledge about Weixin and WeChat (domain.md §3–6) as typed data.
//!
//! Facts change — fees, dates, limits, which feature exists where, which currency is the China
//! wallet, which market pays with a wallet of its own, which portal host is which platform, even
//! which country code means mainland China — so none of them is a literal in rule or
//! classification code (`classify` takes a `&Knowledge` too): each lives in `data/default.json`
//! with the `source` it came from, the date it was true `as_of`, and a `confidence` (A official,
//! B several secondary sources, C one weak source, I inference, seed unconfirmed). A user rules
//! file can override any of them (see [`crate::rules::overrides`]).
//!
//! Why a top-level module and not part of `rules`: classification needs the facts as much as the
//! rules do, and must not depend on the rule engine. This module depends only on [`crate::model`];
//! `classify` and `rules` both depend on it (`rules` re-exports it as `rules::knowledge`).

use crate::model::{MerchantTrack, Platform};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// How sure a fact is (domain.md preamble).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FactConfidence {
    A,
    B,
    C,
    I,
    #[serde(rename = "seed")]
    Seed,
}

/// A single fact with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact<T> {
    pub value: T,
    pub source: String,
    pub as_of: NaiveDate,
    pub confidence: FactConfidence,
}

/// Whether a feature is offered on a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    Yes,
    No,
    /// Offered, but not in some regions / in a different form.
    Limited,
    /// Differs by region in ways nobody has confirmed.
    Unknown,
}

/// One row of the feature matrix (domain.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureFact {
    pub weixin: Availability,
    pub wechat: Availability,
    #[serde(default)]
    pub note: String,
    pub source: String,
    pub as_of: NaiveDate,
    pub confidence: FactConfidence,
}

/// One cell of the visibility matrix (domain.md §3): can this audience reach this account?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisibilityFact {
    pub value: String,
    pub reachable: bool,
    pub source: String,
    pub as_of: NaiveDate,
    pub confidence: FactConfidence,
}

/// Wallet region of a currency (domain.md §2.5, §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletRegion {
    /// `china`, `hk` or `foreign`.
    pub region: String,
    pub label: String,
    /// The date local payments stopped, if they did (e.g. MYR, 2024-09-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_payments_ended: Option<NaiveDate>,
    /// What the classification's evidence says about this wallet ("foreign wallet (WeChat Pay
    /// HK)"); empty: "China wallet" or "foreign wallet" by `region`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub source: String,
    pub as_of: NaiveDate,
    pub confidence: FactConfidence,
}

/// What an admin-portal host says about the platform of an official account (domain.md §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalFact {
    pub platform: Platform,
    /// Shown as the classification's evidence ("Weixin official-account platform").
    pub note: String,
    pub source: String,
    pub as_of: NaiveDate,
    pub confidence: FactConfidence,
}

/// Which accounts can be linked to a WeChat Pay merchant ID (domain.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MerchantCapable {
    pub account_types: Vec<String>,
    pub subscription_entity_types: Vec<String>,
    pub requires_verified_service: bool,
    pub individual_mini_program: bool,
}

/// A market whose customers pay with a WeChat Pay wallet of their own (domain.md §4): Hong Kong
/// pays with WeChat Pay HK in HKD. PAY-007 flags a brand that targets the market while none of
/// its accounts accepts a currency of that wallet region or takes payments on its merchant track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketWallet {
    /// The market (country code, upper case), e.g. `HK`.
    pub market: String,
    /// How findings name it: "Hong Kong".
    pub market_name: String,
    /// The wallet region (see [`WalletRegion::region`]) whose currencies the market pays in.
    pub region: String,
    /// The WeChat Pay merchant track that takes that wallet, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_track: Option<MerchantTrack>,
    /// How findings name the wallet: "WeChat Pay HK".
    pub wallet: String,
}

/// Official accounts allowed per entity (domain.md §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityLimits {
    pub individual: u32,
    pub enterprise: u32,
}

/// Everything the rules know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knowledge {
    pub features: BTreeMap<String, FeatureFact>,
    /// audience (`weixin_users`/`wechat_users`) → account platform (`weixin`/`wechat`) → fact.
    pub visibility: BTreeMap<String, BTreeMap<String, VisibilityFact>>,
    /// ISO 4217 currency (upper case) → wallet region. A currency of region `china` is the China
    /// wallet (Weixin); any other currency, listed or not, is a foreign wallet (WeChat).
    pub wallet_regions: BTreeMap<String, WalletRegion>,
    /// Admin-portal host (lower case, without scheme, `www.` or path) → platform.
    pub portals: BTreeMap<String, PortalFact>,
    /// Phone country codes (digits, no `+`) whose numbers register on Weixin; any other code
    /// registers on WeChat.
    pub weixin_phone_codes: Fact<Vec<String>>,
    pub china_wallet_markets: Fact<Vec<String>>,
    /// The country code of mainland China (domain.md §1–3): the market of Weixin's users, the one
    /// REACH-001 judges; an entity registered there owns Weixin-platform accounts.
    pub mainland_market: Fact<String>,
    /// Markets with a WeChat Pay wallet of their own (PAY-007).
    pub market_wallets: Fact<Vec<MarketWallet>>,
    pub china_wallet_features: Fact<Vec<String>>,
    pub mainland_only_features: Fact<Vec<String>>,
    pub merchant_capable: Fact<MerchantCapable>,
    pub entity_limits: Fact<EntityLimits>,
    pub verification_renewal_days: Fact<i64>,
    pub dormancy_days: Fact<i64>,
    pub icp_filing_deadline: Fact<NaiveDate>,
}

/// Fields allowed in each knowledge section of a rules file (for clear "unknown key" errors).
pub(crate) fn allowed_fields(section: &str) -> Option<&'static [&'static str]> {
    const FACT: &[&str] = &["value", "source", "as_of", "confidence"];
    Some(match section {
        "features" => &["weixin", "wechat", "note", "source", "as_of", "confidence"],
        "visibility" => &["value", "reachable", "source", "as_of", "confidence"],
        "wallet_regions" => &[
            "region",
            "label",
            "local_payments_ended",
            "note",
            "source",
            "as_of",
            "confidence",
        ],
        "portals" => &["platform", "note", "source", "as_of", "confidence"],
        "china_wallet_markets"
        | "mainland_market"
        | "market_wallets"
        | "weixin_phone_codes"
        | "china_wallet_features"
        | "mainland_only_features"
        | "merchant_capable"
        | "entity_limits"
        | "verification_renewal_days"
        | "dormancy_days"
        | "icp_filing_deadline" => FACT,
        _ => return None,
    })
}

/// Sensible bounds of the numeric facts a rules file may change: (key under `knowledge`, lowest,
/// highest, unit). A value outside them (`dormancy_days = -5`) is a typo, never a policy.
pub(crate) const NUMBER_RANGES: &[(&str, i64, i64, &str)] = &[
    ("dormancy_days", 1, 3650, "days"),
    ("verification_renewal_days", 1, 3650, "days"),
    ("entity_limits.individual", 1, 1000, "accounts"),
    ("entity_limits.enterprise", 1, 1000, "accounts"),
];

/// The built-in knowledge, embedded at compile time.
pub const DEFAULT_DATA: &str = include_str!("data/default.json");

impl Knowledge {
    /// The built-in knowledge (`data/default.json`), parsed once. For callers that have no
    /// [`crate::rules::RuleSet`] at hand; an audit uses its rule set's knowledge, overrides
    /// included.
    pub fn builtin() -> &'static Knowledge {
        static BUILTIN: OnceLock<Knowledge> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Data {
                knowledge: Knowledge,
            }
            // The embedded data is part of the program, checked by the tests; not user input.
            let d: Data =
                serde_json::from_str(DEFAULT_DATA).expect("built-in knowledge (data/default.json)");
            d.knowledge.normalised()
        })
    }

    /// The same knowledge with its keys in the one spelling lookups use: portal hosts lower
    /// case, phone codes as bare digits (a rules file may write `Admin.Example.com` or `+853`).
    pub fn normalised(mut self) -> Knowledge {
        self.portals = std::mem::take(&mut self.portals)
            .into_iter()
            .map(|(h, p)| (h.trim().to_ascii_lowercase(), p))
            .collect();
        for c in &mut self.weixin_phone_codes.value {
            *c = c.trim().trim_start_matches('+').to_string();
        }
        // Country codes as the importer writes them (`hk` → `HK`); anything else stays as written
        // for `inconsistency` to name.
        let code = |c: &mut String| {
            let t = c.trim();
            if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
                *c = t.to_ascii_uppercase();
            }
        };
        code(&mut self.mainland_market.value);
        for w in &mut self.market_wallets.value {
            code(&mut w.market);
            w.region = w.region.trim().to_ascii_lowercase();
        }
        self
    }
    /// What is wrong with facts that must agree with each other or with the market codes the
    /// importer writes, for a rules file that changed them: None when nothing is.
    pub fn inconsistency(&self) -> Option<String> {
        let is_code = |c: &str| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
        if !is_code(&self.mainland_market.value) {
            return Some(format!(
                "`knowledge.mainland_market` = \"{}\" is not a two-letter country code (mainland China is CN)",
                self.mainland_market.value
            ));
        }
        for w in &self.market_wallets.value {
            if !is_code(&w.market) {
                return Some(format!(
                    "`knowledge.market_wallets`: market \"{}\" is not a two-letter country code (e.g. HK)",
                    w.market
                ));
            }
            if self.region_currencies(&w.region).next().is_none() {
                let mut regions: Vec<&str> = self
                    .wallet_regions
                    .values()
                    .map(|r| r.region.as_str())
                    .collect();
                regions.sort_unstable();
                regions.dedup();
                return Some(format!(
                    "`knowledge.market_wallets`: market {} pays in wallet region \"{}\", but no currency of `knowledge.wallet_regions` has that region (regions: {}); add the currency, e.g. [knowledge.wallet_regions.XXX] region = \"{}\"",
                    w.market,
                    w.region,
                    regions.join(", "),
                    w.region
                ));
            }
        }
        None
    }
    /// Is `code` (a market or an entity's country, upper case) mainland China?
    pub fn is_mainland(&self, code: &str) -> bool {
        self.mainland_market.value == code
    }
    /// Mainland China's country code (`CN`).
    pub fn mainland(&self) -> &str {
        &self.mainland_market.value
    }
    /// The currencies of wallet region `region`, in alphabetical order.
    pub fn region_currencies(&self, region: &str) -> impl Iterator<Item = &str> + '_ {
        let region = region.to_string();
        self.wallet_regions
            .iter()
            .filter(move |(_, w)| w.region == region)
            .map(|(c, _)| c.as_str())
    }
    /// Is `currency` a wallet in the China wallet region?
    pub fn is_china_wallet(&self, currency: &str) -> bool {
        self.wallet_regions
            .get(currency)
            .is_some_and(|w| w.region == "china")
    }
    /// What the admin portal `host` (already normalised: lower case, bare host) says, if known.
    pub fn portal(&self, host: &str) -> Option<&PortalFact> {
        self.portals.get(host)
    }
    /// Does a phone with country code `cc` (digits, no `+`) register on Weixin?
    pub fn is_weixin_phone_code(&self, cc: &str) -> bool {
        self.weixin_phone_codes.value.iter().any(|c| c == cc)
    }
    /// Is `market` (ISO code) served by the China wallet?
    pub fn is_china_wallet_market(&self, market: &str) -> bool {
        self.china_wallet_markets.value.iter().any(|m| m == market)
    }
    pub fn is_china_wallet_feature(&self, f: &str) -> bool {
        self.china_wallet_features.value.iter().any(|x| x == f)
    }
    pub fn is_mainland_only_feature(&self, f: &str) -> bool {
        self.mainland_only_features.value.iter().any(|x| x == f)
    }
}
