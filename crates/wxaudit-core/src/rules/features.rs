//! FEAT rules: features an account relies on that its platform does not offer (feature matrix,
//! domain.md §5, kept in `knowledge.rs`).

use super::catalogue::{Check, Requires, Rule};
use super::context::{Ctx, Hit, HitText};
use crate::accounts::AccountRef;
use crate::knowledge::Availability;
use crate::model::{Column, Platform, Severity};

/// FEAT-001: Feature not offered on the account's platform.
pub const FEAT_001: Rule = Rule {
    id: "FEAT-001",
    title: "Feature not offered on the account's platform",
    severity: Severity::Medium,
    finds: "an account relies on a feature its platform or region does not offer",
    checks: "The account relies on a feature its platform or audience region does not offer (feature matrix).",
    why: "Campaigns built on it will not work for these customers.",
    fix: "Drop the feature for this account or move the campaign to an account on the platform that offers it.",
    needs: &[Column::Features],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["Ashley Dudarenok, WeChat vs Weixin (Ashley Talks 21)", "SCMP 2021"],
    check: Check::Account(feat_001),
};

/// FEAT-001: the account relies on a feature its platform does not (fully) offer.
pub fn feat_001(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let platform = ctx.platform(i);
    if platform == Platform::Unknown || a.features().is_empty() {
        return None;
    }
    // Which of its features the platform lacks, and how (decided without building any text).
    let lacking = || {
        a.features().iter().filter_map(move |f| {
            let row = ctx.k.features.get(f.as_str())?;
            let avail = match platform {
                Platform::Weixin => row.weixin,
                _ => row.wechat,
            };
            let what = match avail {
                Availability::No => "not offered",
                Availability::Limited => "not offered in some regions",
                Availability::Yes | Availability::Unknown => return None,
            };
            Some((f, what, row))
        })
    };
    lacking().next()?;
    Some(Hit {
        text: ctx.says(|| {
            let mut missing: Vec<String> = Vec::new();
            let mut evidence = vec![format!("platform = {}", platform.as_str())];
            for (f, what, row) in lacking() {
                missing.push(format!("{f} ({what})"));
                evidence.push(format!(
                    "{f}: {what} on {} ({})",
                    platform.label(),
                    row.note
                ));
            }
            HitText {
                message: format!(
                    "{} is on {} but relies on {}: campaigns built on it will not work for all \
                     its customers.",
                    ctx.label(i),
                    platform.label(),
                    missing.join(", ")
                ),
                evidence,
            }
        }),
        ..Hit::default()
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testutil::*;

    #[test]
    fn feat_001_feature_missing_on_platform() {
        let mut a = wechat_service("gh_intl");
        a.features = vec!["red_packets".into(), "chat".into(), "channels".into()];
        let mut b = weixin_service("gh_cn");
        b.features = vec!["red_packets".into(), "chat".into()];
        let mut c = weixin_service("gh_out");
        c.features = vec!["wechat_out".into()];
        let r = run(vec![a, b, c], profile(&[], &[]));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "FEAT-001" && f.account == Some(0))
            .expect("fires for WeChat account");
        assert!(r.message(f).contains("red_packets (not offered)"));
        assert!(r
            .message(f)
            .contains("channels (not offered in some regions)"));
        assert!(!r.message(f).contains("chat ("));
        assert!(!rules_for(&r, 1).contains(&"FEAT-001".into()));
        assert!(rules_for(&r, 2).contains(&"FEAT-001".into()));
    }
}
