//! VER rules: verification (微信认证) status and its yearly renewal (domain.md §6).
//!
//! Dates are relative to the audit's `as_of` (`--as-of`), so a rerun of an old audit gives the
//! same answer; the renewal window (90 days) is knowledge.

use super::catalogue::{Check, Requires, Rule};
use super::context::{is_official, Ctx, Hit, HitText};
use crate::accounts::AccountRef;
use crate::model::{AccountType, Column, Severity, Status};

/// VER-001: Official account or mini program not verified.
pub const VER_001: Rule = Rule {
    id: "VER-001",
    title: "Official account or mini program not verified",
    severity: Severity::Medium,
    finds: "official account or mini program not verified",
    checks: "An official account or mini program is not verified (微信认证).",
    why: "Unverified accounts rank lower in search, lack the badge and advanced APIs, and cannot take payments.",
    fix: "Verify it: ≈300 RMB per review for domestic entities, ≈99 USD/yr for overseas ones.",
    needs: &[Column::Type, Column::Verified],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["wechatwiki", "marketingtochina"],
    check: Check::Account(ver_001),
};

/// VER-001: official account or mini program not verified.
pub fn ver_001(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let kind_applies = is_official(a) || a.account_type() == Some(AccountType::MiniProgram);
    if !kind_applies || a.verified() != Some(false) || a.status() == Some(Status::Closed) {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} is not verified: it ranks lower in search, has no badge or advanced APIs and \
                 cannot take payments.",
                ctx.label(i)
            ),
            evidence: vec![
                format!(
                    "type = {}",
                    a.account_type().map(|t| t.as_str()).unwrap_or("?")
                ),
                "verified = no".into(),
            ],
        }),
        ..Hit::default()
    })
}

/// VER-002: Verification expired or expiring.
pub const VER_002: Rule = Rule {
    id: "VER-002",
    title: "Verification expired or expiring",
    severity: Severity::High,
    finds: "verification expired (high) or expiring within 90 days (medium)",
    checks: "Verification has expired (rule severity) or expires within the renewal window (one level lower).",
    why: "A lapsed account can lose its badge, its name and its payment features.",
    fix: "Renew the verification now; reminders start three months before expiry.",
    needs: &[Column::VerificationExpiry],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: true,
    sources: &["wechatwiki"],
    check: Check::Account(ver_002),
};

/// VER-002: verification expired (rule severity, default high) or expiring within the renewal
/// window (one level lower, default medium).
pub fn ver_002(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let expiry = a.verification_expiry()?;
    if a.status() == Some(Status::Closed) {
        return None;
    }
    let days = (expiry - ctx.as_of).num_days();
    let window = ctx.k.verification_renewal_days.value;
    let evidence = || {
        vec![
            format!("verification_expiry = {expiry}"),
            format!("audit date = {}", ctx.as_of),
        ]
    };
    if days < 0 {
        Some(Hit {
            text: ctx.says(|| HitText {
                message: format!(
                    "The verification of {} expired on {expiry} ({} days ago): it can lose its \
                     badge, its name and its payment features.",
                    ctx.label(i),
                    -days
                ),
                evidence: evidence(),
            }),
            ..Hit::default()
        })
    } else if days <= window {
        Some(Hit {
            text: ctx.says(|| HitText {
                message: format!(
                    "The verification of {} expires on {expiry}, in {days} days: renew it before it \
                     lapses.",
                    ctx.label(i)
                ),
                evidence: evidence(),
            }),
            one_level_lower: true,
            ..Hit::default()
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{AccountType, Severity};
    use crate::rules::testutil::*;

    #[test]
    fn ver_001_unverified_official_or_mini_program() {
        let mut a = weixin_service("gh_a");
        a.verified = Some(false);
        let mut p = personal("wxid_p", "86");
        p.verified = Some(false);
        let mut m = oa("wxmini", AccountType::MiniProgram, "mp.weixin.qq.com");
        m.verified = Some(false);
        let r = run(vec![a, p, m, weixin_service("gh_ok")], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"VER-001".into()));
        assert!(!rules_for(&r, 1).contains(&"VER-001".into()));
        assert!(rules_for(&r, 2).contains(&"VER-001".into()));
        assert!(!rules_for(&r, 3).contains(&"VER-001".into()));
    }

    #[test]
    fn ver_002_expired_high_expiring_medium_later_nothing() {
        // Audit date 2026-06-01.
        let mut expired = weixin_service("gh_exp");
        expired.verification_expiry = Some(date("2026-05-31"));
        let mut soon = weixin_service("gh_soon");
        soon.verification_expiry = Some(date("2026-08-30")); // 90 days
        let mut later = weixin_service("gh_later");
        later.verification_expiry = Some(date("2026-08-31")); // 91 days
        let r = run(vec![expired, soon, later], profile(&[], &[]));
        let sev = |i| {
            r.findings
                .iter()
                .find(|f| f.rule_id == "VER-002" && f.account == Some(i))
                .map(|f| f.severity)
        };
        assert_eq!(sev(0), Some(Severity::High));
        assert_eq!(sev(1), Some(Severity::Medium));
        assert_eq!(sev(2), None);
    }
}
