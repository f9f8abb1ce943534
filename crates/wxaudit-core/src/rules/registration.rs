//! REG rules: can we tell which platform an account is on, and do its signals agree?
//!
//! They read only the classification (`crate::classify`), so they run on any inventory.

use super::catalogue::{Check, Requires, Rule};
use super::context::{Ctx, Hit, HitText};
use crate::accounts::AccountRef;
use crate::model::{Platform, Severity};

/// REG-001: Platform cannot be determined.
pub const REG_001: Rule = Rule {
    id: "REG-001",
    title: "Platform cannot be determined",
    severity: Severity::Low,
    finds: "an account whose platform cannot be determined",
    checks: "No signal in the inventory says whether the account is on Weixin (mainland) or WeChat (international).",
    why: "Who can find the account, which wallet and which features it has all depend on the platform; an unknown platform is an unknown reach.",
    fix: "Add the admin portal (official accounts), the registration phone country code (personal accounts) or the entity's country (WeCom) to the inventory.",
    needs: &[],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["domain.md §2"],
    check: Check::Account(reg_001),
};

/// REG-001: platform cannot be determined.
pub fn reg_001(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if ctx.classes.platform(i)? != Platform::Unknown {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| {
            let mut evidence: Vec<String> = crate::classify::explain(a, ctx.k)
                .evidence
                .iter()
                .map(|e| format!("{} = {} ({})", e.signal.as_str(), e.value, e.note))
                .collect();
            if evidence.is_empty() {
                evidence
                    .push("no portal, phone, entity or declared platform in the inventory".into());
            }
            HitText {
                message: format!(
                    "We cannot tell whether {} is on Weixin (mainland) or WeChat (international), \
                     so we cannot say who can find it or which wallet and features it has.",
                    ctx.label(i)
                ),
                evidence,
            }
        }),
        ..Hit::default()
    })
}

/// REG-002: Signals contradict each other.
pub const REG_002: Rule = Rule {
    id: "REG-002",
    title: "Signals contradict each other",
    severity: Severity::Medium,
    finds: "an account whose evidence contradicts itself (e.g. declared WeChat, +86 phone)",
    checks: "Two signals point to different platforms (e.g. declared wechat but phone +86; declared weixin but portal admin.wechat.com).",
    why: "The inventory's declared platform is wrong somewhere, so reports and plans built on it are wrong too.",
    fix: "Check the account in its admin portal and correct the inventory's platform column.",
    needs: &[],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["Weixin Privacy Protection Guidelines, 2025", "dragontrail (2018)"],
    check: Check::Account(reg_002),
};

/// REG-002: signals contradict each other.
pub fn reg_002(ctx: &Ctx, i: usize, _a: &AccountRef) -> Option<Hit> {
    let conflicts = ctx.classes.conflicts(i);
    if conflicts.is_empty() {
        return None;
    }
    let platform = ctx.classes.platform(i)?;
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "The inventory contradicts itself about {}: we classified it as {} from the stronger \
                 signal, but the team's records say otherwise somewhere.",
                ctx.label(i),
                platform.label()
            ),
            evidence: conflicts.iter().map(|x| x.message.clone()).collect(),
        }),
        ..Hit::default()
    })
}

#[cfg(test)]
mod tests {
    use crate::model::{AccountType, Platform};
    use crate::rules::testutil::*;

    #[test]
    fn reg_001_unknown_platform() {
        let mut unknown = oa("gh_u", AccountType::Subscription, "");
        unknown.portal = None;
        let r = run(vec![unknown, weixin_service("gh_k")], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"REG-001".into()));
        assert!(!rules_for(&r, 1).contains(&"REG-001".into()));
    }

    #[test]
    fn reg_002_contradicting_signals() {
        let mut a = personal("wxid_x", "86");
        a.declared_platform = Some(Platform::Wechat);
        let mut b = wechat_service("gh_y");
        b.declared_platform = Some(Platform::Weixin);
        let mut c = personal("wxid_z", "86");
        c.declared_platform = Some(Platform::Weixin);
        let r = run(vec![a, b, c], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"REG-002".into()));
        assert!(rules_for(&r, 1).contains(&"REG-002".into()));
        assert!(!rules_for(&r, 2).contains(&"REG-002".into()));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "REG-002" && f.account == Some(1))
            .expect("f");
        assert!(r.text(f).evidence[0].contains("admin.wechat.com"));
    }
}
