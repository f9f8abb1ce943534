//! REG rules: can we tell which platform an account is on, and do its signals agree?
//!
//! They read only the classification (`crate::classify`), so they run on any inventory.

use super::context::{Ctx, Hit, HitText};
use crate::model::{Account, Platform};

/// REG-001: platform cannot be determined.
pub fn reg_001(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    let c = ctx.classes.get(i)?;
    if c.platform != Platform::Unknown {
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

/// REG-002: signals contradict each other.
pub fn reg_002(ctx: &Ctx, i: usize, _a: &Account) -> Option<Hit> {
    let c = ctx.classes.get(i)?;
    if c.conflicts.is_empty() {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "The inventory contradicts itself about {}: we classified it as {} from the stronger \
                 signal, but the team's records say otherwise somewhere.",
                ctx.label(i),
                c.platform.label()
            ),
            evidence: c.conflicts.iter().map(|x| x.message.clone()).collect(),
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
