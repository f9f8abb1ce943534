//! REACH rules: can the company's audience find and follow its accounts (domain.md §3)?
//!
//! Weixin users (+86) cannot search, scan or follow WeChat-international official accounts, so a
//! company aiming at mainland China needs a Weixin-platform official account or mini program —
//! per brand, because each brand is found by its own name. REACH-001/003/005 are brand-level
//! (one linear pass over each brand group); REACH-002/004 look at single accounts.

use super::context::{is_active, is_official, serves, BrandGroup, Ctx, Hit};
use crate::model::{Account, AccountType, Platform, Status};

const MAINLAND: &str = "CN";

/// "signal = value" for the evidence that decided an account's platform.
pub(crate) fn platform_evidence(ctx: &Ctx, i: usize) -> Vec<String> {
    let Some(c) = ctx.classes.get(i) else {
        return Vec::new();
    };
    c.evidence
        .iter()
        .filter(|e| e.implies == Some(c.platform))
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

/// REACH-001: mainland China targeted but no active Weixin-platform official account or mini
/// program for it (per brand when brands are given).
pub fn reach_001(ctx: &Ctx, out: &mut Vec<Hit>) {
    for g in &ctx.groups {
        let targets = ctx.group_targets(g);
        let Some(why) = why_targeted(&targets, MAINLAND) else {
            continue;
        };
        let (mut weixin_active, mut weixin_inactive, mut wechat, mut unknown) = (0, 0, 0, 0);
        let mut wechat_examples: Vec<String> = Vec::new();
        for &i in &g.accounts {
            let i = i as usize;
            let a = &ctx.accounts[i];
            let reachable_kind = is_official(a) || a.account_type == Some(AccountType::MiniProgram);
            if !reachable_kind || a.status == Some(Status::Closed) {
                continue;
            }
            // An account aimed only at other markets does not serve mainland customers.
            let for_cn = a.audience.is_empty() || serves(a, MAINLAND);
            match ctx.platform(i) {
                Platform::Weixin if for_cn && is_active(a) => weixin_active += 1,
                Platform::Weixin => weixin_inactive += 1,
                Platform::Wechat => {
                    wechat += 1;
                    if wechat_examples.len() < 3 {
                        wechat_examples.push(ctx.label(i));
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
            "official accounts / mini programs: 0 active on Weixin for CN, {weixin_inactive} \
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
            brand: g.display.clone(),
            market: Some(MAINLAND.into()),
            message: format!(
                "{} targets mainland China but has no active Weixin-platform official account or \
                 mini program: mainland customers (Weixin users) cannot search, scan or follow \
                 WeChat-international accounts, so they cannot find it.",
                who(g, ctx.has_brands)
            ),
            evidence,
            ..Hit::default()
        });
    }
}

/// REACH-002: a legacy WeChat-international official account exists.
pub fn reach_002(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    if !is_official(a) || ctx.platform(i) != Platform::Wechat || a.status == Some(Status::Closed) {
        return None;
    }
    Some(Hit {
        message: format!(
            "{} is a legacy WeChat-international official account: Weixin users in mainland \
             China cannot find or follow it.",
            ctx.label(i)
        ),
        evidence: platform_evidence(ctx, i),
        ..Hit::default()
    })
}

/// REACH-003: the accounts serving mainland China are all personal accounts.
pub fn reach_003(ctx: &Ctx, out: &mut Vec<Hit>) {
    for g in &ctx.groups {
        let targets = ctx.group_targets(g);
        let Some(why) = why_targeted(&targets, MAINLAND) else {
            continue;
        };
        let mut serving = 0usize;
        let mut personal: Vec<String> = Vec::new();
        let mut all_personal = true;
        for &i in &g.accounts {
            let a = &ctx.accounts[i as usize];
            if !is_active(a) || !serves(a, MAINLAND) {
                continue;
            }
            serving += 1;
            if a.account_type == Some(AccountType::Personal) {
                if personal.len() < 3 {
                    personal.push(ctx.label(i as usize));
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
            brand: g.display.clone(),
            market: Some(MAINLAND.into()),
            message: format!(
                "{} reaches mainland China only through personal accounts ({serving}): they \
                 cannot broadcast or take payments through a merchant ID, and they leave with the \
                 person who holds them.",
                who(g, ctx.has_brands)
            ),
            evidence: vec![
                why,
                format!("personal accounts serving CN: {}", personal.join(", ")),
            ],
            ..Hit::default()
        });
    }
}

/// REACH-004: an official account on the WeChat international platform aimed at mainland China.
pub fn reach_004(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    if !is_official(a) || ctx.platform(i) != Platform::Wechat || !serves(a, MAINLAND) {
        return None;
    }
    let mut evidence = platform_evidence(ctx, i);
    evidence.push(format!("audience = {}", a.audience.join(";")));
    Some(Hit {
        market: Some(MAINLAND.into()),
        message: format!(
            "{} is meant to reach mainland China, but it is a WeChat-international official \
             account: its mainland audience cannot search, scan or follow it.",
            ctx.label(i)
        ),
        evidence,
        ..Hit::default()
    })
}

/// REACH-005: a non-mainland target served only by Weixin-platform accounts that rely on
/// Weixin-only features.
pub fn reach_005(ctx: &Ctx, out: &mut Vec<Hit>) {
    for g in &ctx.groups {
        for (market, why) in ctx.group_targets(g) {
            if market == MAINLAND || ctx.k.is_china_wallet_market(&market) {
                continue;
            }
            let mut serving = 0usize;
            let mut only_weixin = true;
            let mut weixin_only: Vec<String> = Vec::new();
            for &i in &g.accounts {
                let a = &ctx.accounts[i as usize];
                if !is_active(a) || !serves(a, &market) {
                    continue;
                }
                serving += 1;
                if ctx.platform(i as usize) != Platform::Weixin {
                    only_weixin = false;
                    break;
                }
                for f in &a.features {
                    if weixin_only_feature(ctx, f) && !weixin_only.iter().any(|x| x == f.as_str()) {
                        weixin_only.push(f.to_string());
                    }
                }
            }
            if serving == 0 || !only_weixin || weixin_only.is_empty() {
                continue;
            }
            out.push(Hit {
                brand: g.display.clone(),
                market: Some(market.clone()),
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
                ..Hit::default()
            });
        }
    }
}

fn weixin_only_feature(ctx: &Ctx, f: &str) -> bool {
    use super::knowledge::Availability;
    ctx.k.is_mainland_only_feature(f)
        || ctx
            .k
            .features
            .get(f)
            .is_some_and(|x| x.weixin == Availability::Yes && matches!(x.wechat, Availability::No))
}
