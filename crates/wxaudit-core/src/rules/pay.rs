//! PAY rules: wallets, merchant IDs and who may take payments (domain.md §4).
//!
//! The wallet regions, the China-wallet features and the merchant-capable account kinds are
//! knowledge (`knowledge.rs`), so a change in WeChat Pay's rules is a data change.

use super::catalogue::{Check, Requires, Rule};
use super::context::{serves, takes_payments, Ctx, Hit, HitText};
use crate::accounts::AccountRef;
use crate::classify::{entity_region, EntityRegion};
use crate::model::{AccountType, Column, EntityType, MerchantTrack, Severity};

fn payment_evidence(a: &AccountRef) -> Vec<String> {
    let mut e = Vec::new();
    if let Some(p) = a.payments() {
        e.push(format!("payments = {}", if p { "yes" } else { "no" }));
    }
    if let Some(m) = a.merchant_id().filter(|m| !m.trim().is_empty()) {
        e.push(format!("merchant_id = {m}"));
    }
    e
}

/// PAY-001: Payments on an ordinary subscription account.
pub const PAY_001: Rule = Rule {
    id: "PAY-001",
    title: "Payments on an ordinary subscription account",
    severity: Severity::High,
    finds: "payments on a subscription account (only service accounts, mini programs … can take them)",
    checks: "A subscription account that is not government or media takes payments or has a merchant ID.",
    why: "Only verified service accounts, government/media subscription accounts, mini programs, apps and WeCom can be linked to a WeChat Pay merchant ID.",
    fix: "Take payments through a verified service account or a mini program instead.",
    needs: &[Column::Type, Column::Payments],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["pay.weixin.qq.com", "wechatwiki"],
    check: Check::Account(pay_001),
};

/// PAY-001: payments on a subscription account that is not government/media.
pub fn pay_001(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if a.account_type() != Some(AccountType::Subscription) || !takes_payments(a) {
        return None;
    }
    let allowed = &ctx.k.merchant_capable.value.subscription_entity_types;
    if let Some(t) = a.entity_type() {
        if allowed.iter().any(|x| x == t.as_str()) {
            return None;
        }
    }
    let mut evidence = vec!["type = subscription".to_string()];
    evidence.extend(payment_evidence(a));
    evidence.push(match a.entity_type() {
        Some(t) => format!("entity_type = {}", t.as_str()),
        None => "entity_type not given (only government/media may)".into(),
    });
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} is an ordinary subscription account but is set up to take payments; only verified \
                 service accounts, government/media subscription accounts, mini programs and WeCom \
                 can be linked to a WeChat Pay merchant.",
                ctx.label(i)
            ),
            evidence,
        }),
        ..Hit::default()
    })
}

/// PAY-002: Payments on an unverified or individual-owned account.
pub const PAY_002: Rule = Rule {
    id: "PAY-002",
    title: "Payments on an unverified or individual-owned account",
    severity: Severity::High,
    finds: "payments on an unverified or individual's account",
    checks: "An account that takes payments is not verified, or is registered to an individual.",
    why: "Payments need a verified account owned by a business; individual-owned mini programs cannot take payments.",
    fix: "Verify the account (≈300 RMB domestic, ≈99 USD/yr overseas) and move payments to an account registered to a company entity.",
    needs: &[Column::Payments],
    any_of: &[Column::Verified, Column::EntityType],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["pay.weixin.qq.com", "wechatwiki"],
    check: Check::Account(pay_002),
};

/// PAY-002: payments on an unverified account or one registered to an individual.
pub fn pay_002(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if !takes_payments(a) {
        return None;
    }
    let unverified = a.verified() == Some(false);
    let individual = a.entity_type() == Some(EntityType::Individual);
    if !unverified && !individual {
        return None;
    }
    let mut evidence = payment_evidence(a);
    if unverified {
        evidence.push("verified = no".into());
    }
    if individual {
        evidence.push("entity_type = individual".into());
    }
    let what = match (unverified, individual) {
        (true, true) => "is unverified and registered to an individual",
        (true, false) => "is not verified",
        _ => "is registered to an individual",
    };
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} takes payments but {what}: payments need a verified account owned by a business.",
                ctx.label(i)
            ),
            evidence,
        }),
        ..Hit::default()
    })
}

/// PAY-003: Merchant track does not match the entity country.
pub const PAY_003: Rule = Rule {
    id: "PAY-003",
    title: "Merchant track does not match the entity country",
    severity: Severity::Medium,
    finds: "merchant track does not match the entity's country",
    checks: "An overseas entity on a domestic merchant account, or a mainland entity on a cross-border or HK one.",
    why: "Mainland entities use domestic RMB merchants; overseas merchants take Weixin payments through cross-border accounts. A mismatch is a compliance risk.",
    fix: "Ask the payment provider to move the account to the merchant track that matches the entity (cross-border for overseas entities, domestic for mainland ones).",
    needs: &[Column::MerchantTrack],
    any_of: &[Column::EntityCountry, Column::CreditCode, Column::EntityType],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["act.weixin.qq.com / pay.weixin.qq.com (cross-border settlement)"],
    check: Check::Account(pay_003),
};

/// PAY-003: merchant track does not match the entity country.
pub fn pay_003(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let track = a.merchant_track()?;
    let region = entity_region(a, ctx.k);
    let overseas = matches!(
        region,
        EntityRegion::Overseas | EntityRegion::OverseasByType
    );
    let mainland = matches!(
        region,
        EntityRegion::MainlandByCountry | EntityRegion::MainlandByRegistration
    );
    let mismatch = match track {
        MerchantTrack::Domestic => overseas,
        MerchantTrack::CrossBorder | MerchantTrack::Hk => mainland,
    };
    if !mismatch {
        return None;
    }
    let entity = a
        .entity_country()
        .as_ref()
        .map(|c| format!("entity_country = {}", c.display()))
        .unwrap_or_else(|| {
            if mainland {
                "entity: mainland (USCC/ICP)".into()
            } else {
                "entity_type: overseas".into()
            }
        });
    let msg = if overseas {
        "is owned by an overseas entity but uses a domestic (RMB) merchant account; overseas \
         merchants should take Weixin payments through a cross-border merchant"
    } else {
        "is owned by a mainland entity but uses a cross-border/HK merchant account; mainland \
         entities should use a domestic RMB merchant"
    };
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!("{} {msg}. The mismatch is a compliance risk.", ctx.label(i)),
            evidence: vec![format!("merchant_track = {}", track.as_str()), entity],
        }),
        ..Hit::default()
    })
}

/// PAY-004: Merchant entity differs from account entity.
pub const PAY_004: Rule = Rule {
    id: "PAY-004",
    title: "Merchant entity differs from account entity",
    severity: Severity::Medium,
    finds: "merchant entity differs from the account's entity",
    checks: "The WeChat Pay merchant is registered to a different entity than the account.",
    why: "It needs a joint-operation letter and review, and cannot be undone.",
    fix: "Confirm a joint-operation letter exists, or link a merchant ID registered to the account's own entity.",
    needs: &[Column::MerchantEntity, Column::EntityName],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["pay.weixin.qq.com"],
    check: Check::Account(pay_004),
};

/// PAY-004: merchant entity differs from account entity.
pub fn pay_004(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let me = a.merchant_entity().filter(|s| !s.trim().is_empty())?;
    let ae = a.entity_name().filter(|s| !s.trim().is_empty())?;
    if ctx.same_entity(me, ae) {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "The WeChat Pay merchant of {} is registered to \"{me}\", not to the account's own \
                 entity \"{ae}\": this needs a joint-operation letter and review, and cannot be undone.",
                ctx.label(i)
            ),
            evidence: vec![format!("merchant_entity = {me}"), format!("entity_name = {ae}")],
        }),
        ..Hit::default()
    })
}

/// PAY-005: China-wallet features for a foreign-wallet audience.
pub const PAY_005: Rule = Rule {
    id: "PAY-005",
    title: "China-wallet features for a foreign-wallet audience",
    severity: Severity::High,
    finds: "China-wallet features (transfers, red packets, bill splitting, taxi) for a foreign-wallet audience",
    checks: "An account relies on p2p transfers, red packets, bill splitting or taxi for an audience outside mainland China.",
    why: "Those features need the China wallet; foreign-wallet users cannot use them.",
    fix: "Use card-based payments (mini program checkout) or a market-specific campaign for those customers.",
    needs: &[Column::Features, Column::Audience],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["Ashley Dudarenok, WeChat vs Weixin (Ashley Talks 21)"],
    check: Check::Account(pay_005),
};

/// PAY-005: China-wallet features used for an audience on the foreign wallet.
pub fn pay_005(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let feats = || {
        a.features()
            .iter()
            .map(|f| f.as_str())
            .filter(|f| ctx.k.is_china_wallet_feature(f))
    };
    let foreign = || {
        a.audience()
            .iter()
            .map(|m| m.as_str())
            .filter(|m| !ctx.k.is_china_wallet_market(m))
    };
    if feats().next().is_none() || foreign().next().is_none() {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| {
            let (feats, foreign): (Vec<&str>, Vec<&str>) = (feats().collect(), foreign().collect());
            HitText {
                message: format!(
                    "{} relies on {} for customers in {}, who are on the foreign wallet and cannot \
                     use China-wallet features.",
                    ctx.label(i),
                    feats.join(", "),
                    foreign.join(", ")
                ),
                evidence: vec![
                    format!("features = {}", feats.join(";")),
                    format!("audience = {}", a.audience().join(";")),
                ],
            }
        }),
        ..Hit::default()
    })
}

/// PAY-006: Wallet region whose local payments ended.
pub const PAY_006: Rule = Rule {
    id: "PAY-006",
    title: "Wallet region whose local payments ended",
    severity: Severity::High,
    finds: "wallet in MYR: WeChat Pay Malaysia ended local payments on 1 Sep 2024",
    checks: "Wallet currency MYR: WeChat Pay Malaysia ended local payments on 1 Sep 2024.",
    why: "Customers and the account can no longer pay or be paid in that wallet.",
    fix: "Move Malaysian payments to another provider or a cross-border merchant and update campaigns that rely on the wallet.",
    needs: &[Column::WalletCurrency],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["WeChat Pay Malaysia announcement (secondary reports)"],
    check: Check::Account(pay_006),
};

/// PAY-006: wallet currency whose local payments ended, read from `wallet_regions` (in the
/// built-in data: MYR, since 1 Sep 2024).
pub fn pay_006(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let written = a.wallet_currency()?.trim();
    // Imported currencies are already upper case: no copy for them.
    let cur: std::borrow::Cow<str> = if written.bytes().any(|b| b.is_ascii_lowercase()) {
        written.to_ascii_uppercase().into()
    } else {
        written.into()
    };
    let region = ctx.k.wallet_regions.get(cur.as_ref())?;
    let ended = region.local_payments_ended?;
    if ended > ctx.as_of {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} uses the {} wallet ({cur}), whose local payments ended on {}: neither the account \
                 nor its customers can pay with it any more.",
                ctx.label(i),
                region.label,
                ended.format("%-d %b %Y")
            ),
            evidence: vec![format!(
                "wallet_currency = {cur} (local payments ended {ended})"
            )],
        }),
        ..Hit::default()
    })
}

/// PAY-007: Hong Kong audience without HKD acceptance.
pub const PAY_007: Rule = Rule {
    id: "PAY-007",
    title: "Hong Kong audience without HKD acceptance",
    severity: Severity::Low,
    finds: "a Hong Kong audience with no WeChat Pay HK (HKD) acceptance",
    checks: "Hong Kong is targeted but no account accepts HKD (WeChat Pay HK).",
    why: "Hong Kong customers pay with WeChat Pay HK, their own HKD wallet.",
    fix: "Accept WeChat Pay HK (an HK merchant track or HKD wallet) for Hong Kong customers.",
    needs: &[],
    any_of: &[Column::WalletCurrency, Column::MerchantTrack],
    requires: Requires::Targets,
    may_report_lower: false,
    sources: &["pay.weixin.qq.com"],
    check: Check::Brand(pay_007),
};

/// PAY-007: a market with a wallet of its own (Hong Kong: WeChat Pay HK, knowledge
/// `market_wallets`) is targeted but no account of the brand accepts that wallet, per brand.
pub fn pay_007(ctx: &Ctx, out: &mut Vec<Hit>) {
    for w in &ctx.k.market_wallets.value {
        let market = w.market.as_str();
        let currencies: Vec<&str> = ctx.k.region_currencies(&w.region).collect();
        let accepted = |c: &str| currencies.contains(&c);
        let (name, wallet) = (&w.market_name, &w.wallet);
        for g in &ctx.groups {
            let targets = ctx.group_targets(g);
            let Some((_, why)) = targets.iter().find(|(m, _)| m == market) else {
                continue;
            };
            let accepts = g.accounts.iter().any(|&i| {
                let a = &ctx.accounts.at(i as usize);
                a.wallet_currency().is_some_and(accepted)
                    || (w.merchant_track.is_some() && a.merchant_track() == w.merchant_track)
            });
            if accepts {
                continue;
            }
            let aimed = g
                .accounts
                .iter()
                .filter(|&&i| serves(&ctx.accounts.at(i as usize), market))
                .count();
            let who = match &g.display {
                Some(b) => format!("Brand \"{b}\""),
                None => "The company".into(),
            };
            let track = match w.merchant_track {
                Some(t) => format!(" or merchant track {}", t.as_str()),
                None => String::new(),
            };
            let by = match w.merchant_track {
                Some(t) => format!(
                    "{} merchant track or {} wallet",
                    a_track(t),
                    currencies.join("/")
                ),
                None => format!("{} wallet", currencies.join("/")),
            };
            out.push(Hit {
                text: ctx.says(|| HitText {
                    message: format!(
                        "{who} targets {name} but no account accepts {} ({wallet}), the wallet \
                         {name} customers pay with.",
                        currencies.join(" or ")
                    ),
                    evidence: vec![
                        format!("target {market} (from {why})"),
                        format!(
                            "accounts aimed at {market}: {aimed}; none with wallet {}{track}",
                            currencies.join("/")
                        ),
                    ],
                }),
                brand: g.display.clone(),
                market: Some(market.into()),
                advice: Some(format!("Accept {wallet} ({by}) for {name} customers.")),
                ..Hit::default()
            });
        }
    }
}

/// A merchant track as advice names it: "an HK merchant track".
fn a_track(t: MerchantTrack) -> &'static str {
    match t {
        MerchantTrack::Hk => "an HK",
        MerchantTrack::Domestic => "a domestic",
        MerchantTrack::CrossBorder => "a cross-border",
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{AccountType, Country, EntityType, MerchantTrack};
    use crate::rules::testutil::*;

    fn paying(t: AccountType) -> crate::model::Account {
        let mut a = oa("gh_pay", t, "mp.weixin.qq.com");
        a.payments = Some(true);
        a.entity_type = Some(EntityType::Enterprise);
        a
    }

    #[test]
    fn pay_001_subscription_with_payments() {
        let r = run(vec![paying(AccountType::Subscription)], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"PAY-001".into()));
        let mut gov = paying(AccountType::Subscription);
        gov.entity_type = Some(EntityType::Government);
        let r = run(vec![gov, paying(AccountType::Service)], profile(&[], &[]));
        assert!(!fired(&r, "PAY-001"));
        // A merchant id counts as taking payments.
        let mut a = oa("gh_m", AccountType::Subscription, "mp.weixin.qq.com");
        a.merchant_id = Some("1900000109".into());
        let r = run(vec![a], profile(&[], &[]));
        assert!(fired(&r, "PAY-001"));
    }

    #[test]
    fn pay_002_unverified_or_individual() {
        let mut a = paying(AccountType::Service);
        a.verified = Some(false);
        let mut b = paying(AccountType::MiniProgram);
        b.entity_type = Some(EntityType::Individual);
        let r = run(vec![a, b, paying(AccountType::Service)], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"PAY-002".into()));
        assert!(rules_for(&r, 1).contains(&"PAY-002".into()));
        assert!(!rules_for(&r, 2).contains(&"PAY-002".into()));
    }

    #[test]
    fn pay_003_track_vs_entity_country() {
        let mut overseas_domestic = paying(AccountType::Service);
        overseas_domestic.entity_country = Some(Country::Code("US".into()));
        overseas_domestic.merchant_track = Some(MerchantTrack::Domestic);
        let mut mainland_cross = paying(AccountType::Service);
        mainland_cross.entity_country = Some(Country::Code("CN".into()));
        mainland_cross.merchant_track = Some(MerchantTrack::CrossBorder);
        let mut ok = paying(AccountType::Service);
        ok.entity_country = Some(Country::Code("GB".into()));
        ok.merchant_track = Some(MerchantTrack::CrossBorder);
        let r = run(
            vec![overseas_domestic, mainland_cross, ok],
            profile(&[], &[]),
        );
        assert!(rules_for(&r, 0).contains(&"PAY-003".into()));
        assert!(rules_for(&r, 1).contains(&"PAY-003".into()));
        assert!(!rules_for(&r, 2).contains(&"PAY-003".into()));
    }

    #[test]
    fn pay_004_merchant_entity_differs() {
        let mut a = paying(AccountType::Service);
        a.entity_name = Some("Acme Tea Ltd.".into());
        a.merchant_entity = Some("Agency Co".into());
        let mut same = a.clone();
        same.merchant_entity = Some("ACME TEA  LTD.".into());
        let r = run(vec![a.clone(), same], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"PAY-004".into()));
        assert!(!rules_for(&r, 1).contains(&"PAY-004".into()));
        // The merchant registered under the entity's Chinese name is the same entity when the
        // profile says so.
        let mut zh = a;
        zh.merchant_entity = Some("阿克米茶饮有限公司".into());
        let r = run(vec![zh.clone()], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"PAY-004".into()));
        let r = run(
            vec![zh],
            profile(&[], &["Acme Tea Ltd. | 阿克米茶饮有限公司"]),
        );
        assert!(!rules_for(&r, 0).contains(&"PAY-004".into()));
    }

    #[test]
    fn pay_005_china_wallet_features_for_foreign_audience() {
        let mut a = with_audience(weixin_service("gh_x"), &["CN", "US"]);
        a.features = vec!["red_packets".into(), "menu".into()];
        let mut cn_only = with_audience(weixin_service("gh_cn"), &["CN"]);
        cn_only.features = vec!["red_packets".into()];
        let r = run(vec![a, cn_only], profile(&["CN", "US"], &[]));
        assert!(rules_for(&r, 0).contains(&"PAY-005".into()));
        assert!(!rules_for(&r, 1).contains(&"PAY-005".into()));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "PAY-005")
            .expect("f");
        assert!(r.message(f).contains("red_packets") && r.message(f).contains("US"));
    }

    #[test]
    fn pay_006_myr_wallet_after_sep_2024() {
        let mut a = personal("wxid_my", "60");
        a.wallet_currency = Some("MYR".into());
        let mut b = personal("wxid_sg", "65");
        b.wallet_currency = Some("SGD".into());
        let r = run(vec![a.clone(), b], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"PAY-006".into()));
        assert!(!rules_for(&r, 1).contains(&"PAY-006".into()));
        // Before the end date it does not fire.
        let r = crate::audit::audit(
            inventory(vec![a], all_columns()),
            profile(&[], &[]),
            crate::model::ProfileSource::ProfileFile,
            &crate::rules::RuleSet::builtin(),
            &crate::audit::AuditOptions {
                as_of: date("2024-08-31"),
                order: Default::default(),
            },
        );
        assert!(!fired(&r, "PAY-006"));
    }

    #[test]
    fn pay_006_reads_which_wallets_ended_from_the_knowledge() {
        let mut a = personal("wxid_th", "66");
        a.wallet_currency = Some("THB".into());
        let mut my = personal("wxid_my", "60");
        my.wallet_currency = Some("MYR".into());
        let accounts = vec![a, my];
        let r = run(accounts.clone(), profile(&[], &[]));
        assert_eq!(rules_for(&r, 0), Vec::<String>::new());
        assert!(rules_for(&r, 1).contains(&"PAY-006".into()));
        // A new region whose local payments ended fires; MYR whose end moves past as_of does not.
        let mut set = crate::rules::RuleSet::builtin();
        let k = set.knowledge_mut();
        let mut th = k.wallet_regions["MYR"].clone();
        th.label = "WeChat Pay Thailand".into();
        th.note.clear();
        th.local_payments_ended = Some(date("2025-03-01"));
        k.wallet_regions.insert("THB".into(), th);
        k.wallet_regions
            .get_mut("MYR")
            .expect("MYR")
            .local_payments_ended = Some(date("2030-01-01"));
        let r = run_with(accounts, profile(&[], &[]), all_columns(), &set);
        assert!(rules_for(&r, 0).contains(&"PAY-006".into()));
        assert!(!rules_for(&r, 1).contains(&"PAY-006".into()));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "PAY-006")
            .expect("PAY-006");
        assert!(r.message(f).contains("WeChat Pay Thailand wallet (THB)"));
        assert!(r.message(f).contains("1 Mar 2025"));
    }

    #[test]
    fn pay_007_hk_target_without_hkd() {
        let r = run(
            vec![with_audience(weixin_service("gh_hk"), &["HK"])],
            profile(&["HK"], &[]),
        );
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "PAY-007")
            .expect("fires");
        assert_eq!(f.market.as_deref(), Some("HK"));
        assert_eq!(f.account, None);
        // Worded from the knowledge, the built-in Hong Kong wallet reads as the catalogue does.
        assert_eq!(r.advice(f), super::PAY_007.fix);
        let mut a = with_audience(weixin_service("gh_hk"), &["HK"]);
        a.wallet_currency = Some("HKD".into());
        let r = run(vec![a], profile(&["HK"], &[]));
        assert!(!fired(&r, "PAY-007"));
        let mut a = with_audience(weixin_service("gh_hk"), &["HK"]);
        a.merchant_track = Some(MerchantTrack::Hk);
        let r = run(vec![a], profile(&["HK"], &[]));
        assert!(!fired(&r, "PAY-007"));
    }

    /// The market and its wallet are knowledge: a rules file that gives Macau a wallet of its own
    /// makes PAY-007 judge Macau in the same words, and an account taking that wallet satisfies it.
    #[test]
    fn pay_007_judges_every_market_wallet_the_knowledge_lists() {
        let rules = crate::rules::overrides::parse_str(
            "rules.toml",
            r#"
[knowledge.wallet_regions.MOP]
region = "mo"
label = "WeChat Pay Macau (MOP wallet)"
[knowledge]
market_wallets = [
  { market = "HK", market_name = "Hong Kong", region = "hk", merchant_track = "hk", wallet = "WeChat Pay HK" },
  { market = "mo", market_name = "Macau", region = "mo", wallet = "WeChat Pay Macau" },
]
"#,
        )
        .expect("valid rules file");
        let mut hk = with_audience(weixin_service("gh_hk"), &["HK", "MO"]);
        hk.wallet_currency = Some("HKD".into());
        let r = run_with(
            vec![hk.clone()],
            profile(&["HK", "MO"], &[]),
            all_columns(),
            &rules,
        );
        let found: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == "PAY-007")
            .collect();
        assert_eq!(found.len(), 1, "HK is covered by HKD, Macau is not");
        assert_eq!(found[0].market.as_deref(), Some("MO"));
        assert_eq!(
            r.message(found[0]),
            "The company targets Macau but no account accepts MOP (WeChat Pay Macau), the wallet \
             Macau customers pay with."
        );
        assert_eq!(
            r.advice(found[0]),
            "Accept WeChat Pay Macau (MOP wallet) for Macau customers."
        );
        let mut mo = with_audience(weixin_service("gh_mo"), &["MO"]);
        mo.wallet_currency = Some("MOP".into());
        let r = run_with(
            vec![hk, mo],
            profile(&["HK", "MO"], &[]),
            all_columns(),
            &rules,
        );
        assert!(!fired(&r, "PAY-007"));
    }

    #[test]
    fn a_market_wallet_of_a_region_no_currency_has_is_refused() {
        let e = crate::rules::overrides::parse_str(
            "rules.toml",
            "[knowledge]\nmarket_wallets = [{ market = \"MO\", market_name = \"Macau\", region = \"mo\", wallet = \"WeChat Pay Macau\" }]\n",
        )
        .unwrap_err();
        let e = e.to_string();
        for part in [
            "rules.toml",
            "market_wallets",
            "\"mo\"",
            "wallet_regions",
            "china, foreign, hk",
        ] {
            assert!(e.contains(part), "{part} in {e}");
        }
        let e = crate::rules::overrides::parse_str(
            "rules.toml",
            "[knowledge]\nmainland_market = \"China\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("mainland_market") && e.contains("\"China\""),
            "{e}"
        );
    }
}
