//! REACH rules: can the company's audience find and follow its accounts (domain.md §3)?
//!
//! Weixin users (+86) cannot search, scan or follow WeChat-international official accounts, so a
//! company aiming at mainland China needs a Weixin-platform official account or mini program —
//! per brand, because each brand is found by its own name. REACH-001/003/005 are brand-level
//! (one linear pass over each brand group); REACH-002/004 look at single accounts.

use super::catalogue::{Check, Requires, Rule};
use super::context::{
    audience_serves, is_active, is_official, serves, status_active, BrandGroup, Ctx, Hit, HitText,
};
use crate::accounts::AccountRef;
use crate::model::{AccountType, Column, Platform, Severity, Status};

/// "signal = value" for the evidence that decided an account's platform.
pub(crate) fn platform_evidence(ctx: &Ctx, i: usize) -> Vec<String> {
    let Some(platform) = ctx.classes.platform(i) else {
        return Vec::new();
    };
    let Some(a) = ctx.accounts.get(i) else {
        return Vec::new();
    };
    crate::classify::explain(a, ctx.k)
        .evidence
        .iter()
        .filter(|e| e.implies == Some(platform))
        .map(|e| format!("{} = {}", e.signal.as_str(), e.value))
        .collect()
}

fn who(g: &BrandGroup, has_brands: bool) -> String {
    match (&g.display, has_brands) {
        (Some(b), _) => format!("Brand \"{b}\""),
        (None, true) => "Accounts without a brand".to_string(),
        (None, false) => "The company".to_string(),
    }
}

fn why_targeted(targets: &[(String, &'static str)], market: &str) -> Option<String> {
    targets
        .iter()
        .find(|(m, _)| m == market)
        .map(|(m, why)| format!("target {m} (from {why})"))
}

/// REACH-001: Mainland China targeted without a Weixin-platform official account or mini program.
pub const REACH_001: Rule = Rule {
    id: "REACH-001",
    title: "Mainland China targeted without a Weixin-platform official account or mini program",
    severity: Severity::Critical,
    finds: "mainland China is targeted but no Weixin-platform official account or mini program reaches it (per brand)",
    checks: "A target market is mainland China (company targets, or an account's audience) but no active Weixin-platform official account or mini program exists for it (per brand when brands are given).",
    why: "Weixin users (+86) cannot search, scan or follow WeChat-international official accounts; personal accounts do not scale. Mainland customers cannot find the brand.",
    fix: "Register a service account on the Weixin platform (mp.weixin.qq.com) — overseas entities can, with overseas verification, ≈99 USD/yr — then migrate followers.",
    needs: &[Column::Type],
    any_of: &[],
    requires: Requires::Targets,
    may_report_lower: false,
    sources: &["grata; chinamarketingcorp; marketingtochina (visibility of international accounts)", "dragontrail (2018): overseas accounts on the Weixin platform"],
    check: Check::Brand(reach_001),
};

/// REACH-001: mainland China targeted but no active Weixin-platform official account or mini
/// program for it (per brand when brands are given).
pub fn reach_001(ctx: &Ctx, out: &mut Vec<Hit>) {
    let mainland = ctx.k.mainland();
    for g in &ctx.groups {
        let targets = ctx.group_targets(g);
        let Some(why) = why_targeted(&targets, mainland) else {
            continue;
        };
        let (mut weixin_active, mut weixin_inactive, mut wechat, mut unknown) = (0, 0, 0, 0);
        let mut wechat_examples: Vec<String> = Vec::new();
        // The three columns it needs, not whole accounts: a brand's accounts lie all over the
        // store, and this runs over every account of every brand.
        let accounts = ctx.accounts;
        for &i in &g.accounts {
            let i = i as usize;
            let kind = accounts.account_type(i);
            let status = accounts.status(i);
            let reachable_kind = kind.is_some_and(AccountType::is_official)
                || kind == Some(AccountType::MiniProgram);
            if !reachable_kind || status == Some(Status::Closed) {
                continue;
            }
            // An account aimed only at other markets does not serve mainland customers.
            let audience = accounts.audience(i);
            let for_cn = audience.is_empty() || audience_serves(audience, mainland);
            match ctx.platform(i) {
                Platform::Weixin if for_cn && status_active(status) => weixin_active += 1,
                Platform::Weixin => weixin_inactive += 1,
                Platform::Wechat => {
                    wechat += 1;
                    if wechat_examples.len() < 3 {
                        wechat_examples.push(ctx.label(i).to_string());
                    }
                }
                Platform::Unknown => unknown += 1,
            }
        }
        if weixin_active > 0 {
            continue;
        }
        let mut evidence = vec![why];
        evidence.push(format!(
            "official accounts / mini programs: 0 active on Weixin for {mainland}, {weixin_inactive} \
             inactive or aimed elsewhere on Weixin, {wechat} on WeChat international, {unknown} \
             on an unknown platform"
        ));
        if !wechat_examples.is_empty() {
            evidence.push(format!(
                "WeChat-international accounts: {}",
                wechat_examples.join(", ")
            ));
        }
        out.push(Hit {
            text: ctx.says(|| HitText {
                message: format!(
                    "{} targets mainland China but has no active Weixin-platform official account or \
                     mini program: mainland customers (Weixin users) cannot search, scan or follow \
                     WeChat-international accounts, so they cannot find it.",
                    who(g, ctx.has_brands)
                ),
                evidence,
            }),
            brand: g.display.clone(),
            market: Some(mainland.into()),
            ..Hit::default()
        });
    }
}

/// REACH-002: Legacy WeChat-international official account.
pub const REACH_002: Rule = Rule {
    id: "REACH-002",
    title: "Legacy WeChat-international official account",
    severity: Severity::High,
    finds: "a legacy international (admin.wechat.com) official account: Weixin users cannot find it",
    checks: "An official account lives on the legacy international platform (admin.wechat.com).",
    why: "Weixin users cannot find or follow it, and the platform has been closed to new registrations since 13 Sep 2018.",
    fix: "Open a Weixin-platform service account (mp.weixin.qq.com, overseas verification ≈99 USD/yr), announce the move to current followers, and keep the old account only for international audiences.",
    needs: &[Column::Type],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["grata; chinamarketingcorp; wechatwiki (2018 platform change)"],
    check: Check::Account(reach_002),
};

/// REACH-002: a legacy WeChat-international official account exists.
pub fn reach_002(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if !is_official(a) || ctx.platform(i) != Platform::Wechat || a.status() == Some(Status::Closed)
    {
        return None;
    }
    let (is, confirm) = claim(ctx, i);
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} {is} a legacy WeChat-international official account: Weixin users in mainland \
                 China cannot find or follow it.{confirm}",
                ctx.label(i)
            ),
            evidence: platform_evidence(ctx, i),
        }),
        ..Hit::default()
    })
}

/// How sure a message can sound about an account's platform: "is", or "is recorded as" plus what
/// would confirm it when only the team's declared platform says so.
fn claim(ctx: &Ctx, i: usize) -> (&'static str, &'static str) {
    if ctx.declared_only(i) {
        (
            "is recorded as",
            " Only the inventory's platform column says so: record its admin portal \
             (mp.weixin.qq.com or admin.wechat.com) to confirm.",
        )
    } else {
        ("is", "")
    }
}

/// REACH-003: Mainland audience covered only by personal accounts.
pub const REACH_003: Rule = Rule {
    id: "REACH-003",
    title: "Mainland audience covered only by personal accounts",
    severity: Severity::High,
    finds: "mainland audience covered only by personal accounts",
    checks: "The accounts serving mainland China are all personal accounts.",
    why: "Personal accounts cannot broadcast, take payments through a merchant ID or be transferred; they leave with the person.",
    fix: "Set up a Weixin-platform service account or mini program for mainland customers and move the contacts over; keep personal accounts for 1:1 service via WeCom.",
    needs: &[Column::Type, Column::Audience],
    any_of: &[],
    requires: Requires::Targets,
    may_report_lower: false,
    sources: &["domain.md §3", "wechatwiki"],
    check: Check::Brand(reach_003),
};

/// REACH-003: the accounts serving mainland China are all personal accounts.
pub fn reach_003(ctx: &Ctx, out: &mut Vec<Hit>) {
    let mainland = ctx.k.mainland();
    for g in &ctx.groups {
        let targets = ctx.group_targets(g);
        let Some(why) = why_targeted(&targets, mainland) else {
            continue;
        };
        let mut serving = 0usize;
        let mut personal: Vec<String> = Vec::new();
        let mut all_personal = true;
        for &i in &g.accounts {
            let a = &ctx.accounts.at(i as usize);
            if !is_active(a) || !serves(a, mainland) {
                continue;
            }
            serving += 1;
            if a.account_type() == Some(AccountType::Personal) {
                if personal.len() < 3 {
                    personal.push(ctx.label(i as usize).to_string());
                }
            } else {
                all_personal = false;
                break;
            }
        }
        if serving == 0 || !all_personal {
            continue;
        }
        out.push(Hit {
            text: ctx.says(|| HitText {
                message: format!(
                    "{} reaches mainland China only through personal accounts ({serving}): they \
                     cannot broadcast or take payments through a merchant ID, and they leave with the \
                     person who holds them.",
                    who(g, ctx.has_brands)
                ),
                evidence: vec![
                    why,
                    format!("personal accounts serving {mainland}: {}", personal.join(", ")),
                ],
            }),
            brand: g.display.clone(),
            market: Some(mainland.into()),
            ..Hit::default()
        });
    }
}

/// REACH-004: WeChat-international official account aimed at mainland China.
pub const REACH_004: Rule = Rule {
    id: "REACH-004",
    title: "WeChat-international official account aimed at mainland China",
    severity: Severity::High,
    finds: "an international official account whose audience includes mainland China",
    checks: "An official account on the WeChat international platform lists mainland China in its audience.",
    why: "Its intended audience cannot search, scan or follow it.",
    fix: "Serve mainland China from a Weixin-platform account (mp.weixin.qq.com) and remove CN from this account's audience.",
    needs: &[Column::Type, Column::Audience],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["grata; chinamarketingcorp; marketingtochina"],
    check: Check::Account(reach_004),
};

/// REACH-004: an official account on the WeChat international platform aimed at mainland China.
pub fn reach_004(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let mainland = ctx.k.mainland();
    if !is_official(a) || ctx.platform(i) != Platform::Wechat || !serves(a, mainland) {
        return None;
    }
    let (is, confirm) = claim(ctx, i);
    Some(Hit {
        text: ctx.says(|| {
            let mut evidence = platform_evidence(ctx, i);
            evidence.push(format!("audience = {}", a.audience().join(";")));
            HitText {
                message: format!(
                    "{} is meant to reach mainland China, but it {is} a WeChat-international \
                     official account: its mainland audience cannot search, scan or follow it.\
                     {confirm}",
                    ctx.label(i)
                ),
                evidence,
            }
        }),
        market: Some(mainland.into()),
        ..Hit::default()
    })
}

/// REACH-005: Non-mainland market served only by Weixin accounts using Weixin-only features.
pub const REACH_005: Rule = Rule {
    id: "REACH-005",
    title: "Non-mainland market served only by Weixin accounts using Weixin-only features",
    severity: Severity::Low,
    finds: "a non-mainland market served only by accounts relying on Weixin-only features",
    checks: "A non-mainland target is served only by Weixin-platform accounts that rely on Weixin-only features.",
    why: "Customers on WeChat (foreign wallet) cannot use red packets, transfers, bill splitting or taxi, and may lack Channels or live streaming.",
    fix: "Offer those customers an alternative (card payments in a mini program, HKD acceptance, a WeChat-side campaign) or drop the Weixin-only feature for that market.",
    needs: &[Column::Audience, Column::Features],
    any_of: &[],
    requires: Requires::Targets,
    may_report_lower: false,
    sources: &["Ashley Dudarenok, WeChat vs Weixin (Ashley Talks 21)", "SCMP 2021"],
    check: Check::Brand(reach_005),
};

/// REACH-005: a non-mainland target served only by Weixin-platform accounts that rely on
/// Weixin-only features.
pub fn reach_005(ctx: &Ctx, out: &mut Vec<Hit>) {
    for g in &ctx.groups {
        for (market, why) in ctx.group_targets(g) {
            if ctx.k.is_mainland(&market) || ctx.k.is_china_wallet_market(&market) {
                continue;
            }
            let mut serving = 0usize;
            let mut only_weixin = true;
            let mut weixin_only: Vec<String> = Vec::new();
            for &i in &g.accounts {
                let a = &ctx.accounts.at(i as usize);
                if !is_active(a) || !serves(a, &market) {
                    continue;
                }
                serving += 1;
                if ctx.platform(i as usize) != Platform::Weixin {
                    only_weixin = false;
                    break;
                }
                for f in a.features() {
                    if weixin_only_feature(ctx, f) && !weixin_only.iter().any(|x| x == f.as_str()) {
                        weixin_only.push(f.to_string());
                    }
                }
            }
            if serving == 0 || !only_weixin || weixin_only.is_empty() {
                continue;
            }
            out.push(Hit {
                text: ctx.says(|| HitText {
                    message: format!(
                        "{} serves {market} only from Weixin-platform accounts that rely on \
                         Weixin-only features ({}); customers there use WeChat and its foreign \
                         wallet and may not be able to use them.",
                        who(g, ctx.has_brands),
                        weixin_only.join(", ")
                    ),
                    evidence: vec![
                        format!("target {market} (from {why})"),
                        format!("accounts serving {market}: {serving}, all on Weixin"),
                        format!("Weixin-only features: {}", weixin_only.join(", ")),
                    ],
                }),
                brand: g.display.clone(),
                market: Some(market.clone()),
                ..Hit::default()
            });
        }
    }
}

fn weixin_only_feature(ctx: &Ctx, f: &str) -> bool {
    use crate::knowledge::Availability;
    ctx.k.is_mainland_only_feature(f)
        || ctx
            .k
            .features
            .get(f)
            .is_some_and(|x| x.weixin == Availability::Yes && matches!(x.wechat, Availability::No))
}

#[cfg(test)]
mod tests {
    use crate::model::{Account, AccountType, Column, Platform, Status};
    use crate::rules::testutil::*;
    use crate::rules::RuleSet;

    #[test]
    fn reach_001_fires_when_cn_targeted_with_only_wechat_accounts() {
        let r = run(vec![wechat_service("gh_old")], profile(&["CN"], &[]));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "REACH-001")
            .expect("REACH-001 fires");
        assert_eq!(f.account, None);
        assert_eq!(f.account_id(&r.accounts), None);
        assert_eq!(f.market.as_deref(), Some("CN"));
        assert!(r.message(f).contains("mainland China"));
        assert!(r.advice(f).contains("mp.weixin.qq.com"));
        assert!(r.text(f).evidence.iter().any(|e| e.contains("gh_old")));
    }

    #[test]
    fn reach_001_quiet_with_an_active_weixin_account_or_without_cn_target() {
        let r = run(vec![weixin_service("gh_new")], profile(&["CN"], &[]));
        assert!(!fired(&r, "REACH-001"));
        let mut mp = oa("wxmini", AccountType::MiniProgram, "");
        mp.portal = None;
        let r = run(vec![mp], profile(&["CN"], &[]));
        assert!(!fired(&r, "REACH-001"), "a mini program covers CN");
        let r = run(vec![wechat_service("gh_old")], profile(&["US"], &[]));
        assert!(!fired(&r, "REACH-001"));
    }

    #[test]
    fn reach_001_dormant_weixin_account_does_not_count() {
        let mut a = weixin_service("gh_sleepy");
        a.status = Some(Status::Dormant);
        let r = run(vec![a], profile(&["CN"], &[]));
        assert!(fired(&r, "REACH-001"));
    }

    #[test]
    fn reach_001_is_per_brand() {
        let accounts = vec![
            with_brand(weixin_service("gh_tea"), "Acme Tea"),
            with_brand(
                with_audience(wechat_service("gh_beauty"), &["CN"]),
                "Lotus Beauty",
            ),
            with_brand(personal("wxid_beauty", "86"), "Lotus Beauty"),
        ];
        // Company targets CN: each brand is judged on its own accounts.
        let r = run(accounts.clone(), profile(&["CN"], &[]));
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == "REACH-001")
            .collect();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].brand(&r.accounts), Some("Lotus Beauty"));
        assert!(r.message(hits[0]).contains("Lotus Beauty"));
        // Inferred profile: the brand targets CN through its account's audience.
        let r = crate::audit::audit(
            inventory(accounts, all_columns()),
            profile(&["CN"], &[]),
            crate::model::ProfileSource::Inferred,
            &RuleSet::builtin(),
            &crate::audit::AuditOptions {
                as_of: date("2026-06-01"),
                order: Default::default(),
            },
        );
        assert_eq!(count(&r, "REACH-001"), 1);
    }

    #[test]
    fn reach_001_brand_names_are_normalised() {
        let accounts = vec![
            with_brand(weixin_service("gh_a"), "Acme Tea"),
            with_brand(wechat_service("gh_b"), " ACME TEA "),
        ];
        let r = run(accounts, profile(&["CN"], &[]));
        assert!(!fired(&r, "REACH-001"));
    }

    #[test]
    fn reach_001_not_evaluated_without_type_column() {
        let r = run_with(
            vec![wechat_service("gh_old")],
            profile(&["CN"], &[]),
            columns(&[Column::Id, Column::Portal]),
            &RuleSet::builtin(),
        );
        let ne = r
            .not_evaluated
            .iter()
            .find(|n| n.rule_id == "REACH-001")
            .expect("not evaluated");
        assert_eq!(ne.missing_columns, vec![Column::Type]);
        assert!(!fired(&r, "REACH-001"));
    }

    #[test]
    fn reach_002_legacy_account_fires_and_weixin_does_not() {
        let r = run(
            vec![wechat_service("gh_old"), weixin_service("gh_new")],
            profile(&["US"], &[]),
        );
        assert_eq!(
            rules_for(&r, 0)
                .iter()
                .filter(|x| *x == "REACH-002")
                .count(),
            1
        );
        assert!(!rules_for(&r, 1).contains(&"REACH-002".to_string()));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "REACH-002")
            .expect("finding");
        assert!(r
            .text(f)
            .evidence
            .contains(&"portal = admin.wechat.com".into()));
        assert!(r.message(f).contains("gh_old"));
        assert!(r.message(f).contains("is a legacy WeChat-international"));
        assert!(!r.message(f).contains("Only the inventory"));
        assert_eq!(f.account_id(&r.accounts), Some("gh_old"));
    }

    #[test]
    fn reach_002_and_004_on_a_declared_platform_alone_say_it_is_only_recorded() {
        let declared = Account {
            id: Some("gh_said".into()),
            account_type: Some(AccountType::Service),
            declared_platform: Some(Platform::Wechat),
            ..Account::default()
        };
        let r = run(
            vec![with_audience(declared, &["CN"])],
            profile(&["CN"], &[]),
        );
        for rule in ["REACH-002", "REACH-004"] {
            let f = r
                .findings
                .iter()
                .find(|f| f.rule_id == rule)
                .unwrap_or_else(|| panic!("{rule} fires"));
            let m = r.message(f);
            assert!(m.contains("is recorded as a"), "{rule}: {m}");
            assert!(m.contains("record its admin portal"), "{rule}: {m}");
            assert_eq!(
                r.text(f).evidence[0],
                "declared_platform = wechat",
                "{rule}"
            );
        }
    }

    #[test]
    fn reach_003_only_personal_accounts_for_cn() {
        let accounts = vec![
            with_audience(personal("wxid_a", "86"), &["CN"]),
            with_audience(personal("wxid_b", "86"), &["CN"]),
        ];
        let r = run(accounts, profile(&["CN"], &[]));
        assert_eq!(count(&r, "REACH-003"), 1);
        let accounts = vec![
            with_audience(personal("wxid_a", "86"), &["CN"]),
            with_audience(weixin_service("gh_cn"), &["CN"]),
        ];
        let r = run(accounts, profile(&["CN"], &[]));
        assert!(!fired(&r, "REACH-003"));
    }

    #[test]
    fn reach_004_wechat_official_account_aimed_at_cn() {
        let r = run(
            vec![
                with_audience(wechat_service("gh_old"), &["CN", "US"]),
                with_audience(wechat_service("gh_us"), &["US"]),
                with_audience(personal("wxid_hk", "852"), &["CN"]),
            ],
            profile(&["CN", "US"], &[]),
        );
        assert!(rules_for(&r, 0).contains(&"REACH-004".to_string()));
        assert!(!rules_for(&r, 1).contains(&"REACH-004".to_string()));
        assert!(
            !rules_for(&r, 2).contains(&"REACH-004".to_string()),
            "personal accounts chat across"
        );
    }

    #[test]
    fn reach_005_non_mainland_market_with_weixin_only_features() {
        let mut a = with_audience(weixin_service("gh_cn"), &["US"]);
        a.features = vec!["red_packets".into()];
        let r = run(vec![a.clone()], profile(&["US"], &[]));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "REACH-005")
            .expect("fires");
        assert_eq!(f.market.as_deref(), Some("US"));
        // A WeChat account also serving US: not "only Weixin".
        let r = run(
            vec![a.clone(), with_audience(wechat_service("gh_us"), &["US"])],
            profile(&["US"], &[]),
        );
        assert!(!fired(&r, "REACH-005"));
        // No Weixin-only feature.
        a.features = vec!["chat".into()];
        let r = run(vec![a], profile(&["US"], &[]));
        assert!(!fired(&r, "REACH-005"));
    }
}
