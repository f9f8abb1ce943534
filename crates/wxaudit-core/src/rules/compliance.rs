//! CMP rules: regulatory filings the platform enforces (domain.md §6).

use super::catalogue::{Check, Requires, Rule};
use super::context::{Ctx, Hit, HitText};
use crate::accounts::AccountRef;
use crate::classify::is_mainland_entity;
use crate::model::{AccountType, Column, Severity};

/// CMP-001: Mainland-entity mini program without an ICP filing.
pub const CMP_001: Rule = Rule {
    id: "CMP-001",
    title: "Mainland-entity mini program without an ICP filing",
    severity: Severity::High,
    finds: "a mainland-entity mini program without an ICP filing",
    checks: "A mini program owned by a mainland entity has no ICP filing number.",
    why: "Mainland-entity mini programs must be ICP-filed (new ones since 1 Sep 2023, all by 31 Mar 2024) or they can be taken down.",
    fix: "File the mini program for ICP (备案) in its admin console.",
    needs: &[Column::Type, Column::IcpFiling],
    any_of: &[Column::EntityCountry, Column::CreditCode],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["developers.weixin.qq.com (ICP filing for mini programs)"],
    check: Check::Account(cmp_001),
};

/// CMP-001: mainland-entity mini program without an ICP filing number.
pub fn cmp_001(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if a.account_type() != Some(AccountType::MiniProgram) {
        return None;
    }
    if a.icp_filing().is_some_and(|s| !s.trim().is_empty()) {
        return None;
    }
    if !is_mainland_entity(a, ctx.k) {
        return None;
    }
    let mut evidence = vec![
        "type = mini_program".to_string(),
        "icp_filing = (blank)".into(),
    ];
    if let Some(c) = &a.entity_country() {
        evidence.push(format!("entity_country = {}", c.display()));
    }
    if let Some(c) = &a.credit_code() {
        evidence.push(format!("credit_code = {c} (valid USCC)"));
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "Mini program {} belongs to a mainland entity but has no ICP filing; since {} every \
                 such mini program must be filed or it can be taken down.",
                ctx.label(i),
                ctx.k.icp_filing_deadline.value.format("%-d %b %Y")
            ),
            evidence,
        }),
        ..Hit::default()
    })
}

#[cfg(test)]
mod tests {
    use crate::model::{AccountType, Country};
    use crate::rules::testutil::*;

    #[test]
    fn cmp_001_mainland_mini_program_without_icp() {
        let mut m = oa("wxmini", AccountType::MiniProgram, "mp.weixin.qq.com");
        m.entity_country = Some(Country::Code("CN".into()));
        let mut filed = m.clone();
        filed.icp_filing = Some("沪ICP备12345678号-2X".into());
        let mut overseas = m.clone();
        overseas.entity_country = Some(Country::Code("US".into()));
        let mut uscc_only = oa("wxmini2", AccountType::MiniProgram, "mp.weixin.qq.com");
        uscc_only.credit_code = Some(valid_uscc().into());
        let r = run(vec![m, filed, overseas, uscc_only], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"CMP-001".into()));
        assert!(!rules_for(&r, 1).contains(&"CMP-001".into()));
        assert!(!rules_for(&r, 2).contains(&"CMP-001".into()));
        assert!(rules_for(&r, 3).contains(&"CMP-001".into()));
    }
}
