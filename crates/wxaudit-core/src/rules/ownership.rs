//! OWN and LIM rules: who really controls each account and who legally owns it (domain.md §6).
//!
//! The admin's WeChat ID is the de-facto owner; the registered entity (主体) is the legal owner
//! and cannot be changed after verification. Entity names are compared after NFKC folding,
//! lower-casing and removing whitespace, so full-width brackets or "Co.,Ltd." vs "Co., Ltd." do
//! not create false alarms. LIM-001 counts official accounts per entity in one pass.

use super::catalogue::{Check, Requires, Rule};
use super::context::{entity_matches, Ctx, FirstByValue, FxHashMap, Hit, HitText};
use crate::accounts::AccountRef;
use crate::model::{AccountType, AdminStatus, Column, EntityType, Severity, Status};

/// OWN-001: Admin is an ex-employee, an agency or unknown.
pub const OWN_001: Rule = Rule {
    id: "OWN-001",
    title: "Admin is an ex-employee, an agency or unknown",
    severity: Severity::Critical,
    finds: "the admin is an ex-employee, an agency or unknown",
    checks: "The administrator's WeChat ID belongs to someone who left, an agency or nobody known.",
    why: "The admin ID controls login, broadcasts and secrets: whoever holds it owns the account.",
    fix:
        "Transfer the administrator role to a company-controlled WeChat ID and record who holds it.",
    needs: &[Column::AdminStatus],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["wechatwiki", "developers.weixin.qq.com"],
    check: Check::Account(own_001),
};

/// OWN-001: admin is an ex-employee, an agency or unknown.
pub fn own_001(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let st = a.admin_status()?;
    let who = match st {
        AdminStatus::Departed => "someone who has left the company",
        AdminStatus::Agency => "an agency",
        AdminStatus::Unknown => "nobody the company can name",
        AdminStatus::Company | AdminStatus::Employee => return None,
    };
    if a.status() == Some(Status::Closed) {
        return None;
    }
    let mut evidence = vec![format!("admin_status = {}", st.as_str())];
    if let Some(ad) = &a.admin() {
        evidence.push(format!("admin = {ad}"));
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "The administrator of {} is {who}: whoever holds the admin WeChat ID controls logins, \
                 broadcasts and secrets, so the company does not really own this account.",
                ctx.label(i)
            ),
            evidence,
        }),
        ..Hit::default()
    })
}

/// OWN-002: Entity is not one of the company's legal entities.
pub const OWN_002: Rule = Rule {
    id: "OWN-002",
    title: "Entity is not one of the company's legal entities",
    severity: Severity::High,
    finds: "the account's entity is not one of your legal entities",
    checks: "The registered entity (主体) is not in the company profile's legal entities. Names are compared ignoring case, spaces and full-width forms; an entity written in two languages is one entry with its names separated by |.",
    why: "The entity is the legal owner and cannot be changed after verification; accounts registered to an agency or a person are lost with them.",
    fix: "Confirm who the entity is; if it is an agency or a person, plan a migration to an account registered to the company.",
    needs: &[Column::EntityName],
    any_of: &[],
    requires: Requires::LegalEntities,
    may_report_lower: false,
    sources: &["wechatwiki"],
    check: Check::Account(own_002),
};

/// OWN-002: the entity is not one of the company's legal entities.
pub fn own_002(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let e = a.entity_name().filter(|s| !s.trim().is_empty())?;
    if ctx.legal_entities.iter().any(|l| entity_matches(e, l)) {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} is registered to \"{e}\", which is not one of the company's legal entities: the \
                 registered entity is the legal owner and cannot be changed after verification.",
                ctx.label(i)
            ),
            evidence: vec![format!(
                "entity_name = {e}; not among {} legal entities in the profile",
                ctx.entity_names.len()
            )],
        }),
        ..Hit::default()
    })
}

/// Accounts that belong to a business (everything but personal accounts).
fn is_business(a: &AccountRef) -> bool {
    !matches!(a.account_type(), Some(AccountType::Personal))
}

/// OWN-003: Single point of control.
pub const OWN_003: Rule = Rule {
    id: "OWN-003",
    title: "Single point of control",
    severity: Severity::Low,
    finds: "a single person controls the account (no operators besides the admin)",
    checks: "A business account has no operators besides the admin.",
    why: "If the admin is unavailable, nobody can post or recover the account.",
    fix: "Add at least one operator from the company.",
    needs: &[Column::Operators],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["wechatwiki"],
    check: Check::Account(own_003),
};

/// OWN-003: single point of control — no operators besides the admin.
pub fn own_003(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if !is_business(a) || a.status() == Some(Status::Closed) {
        return None;
    }
    let admin = a.admin().map(str::trim);
    let others = a
        .operators()
        .iter()
        .filter(|o| !o.trim().is_empty() && Some(o.trim()) != admin)
        .count();
    if others > 0 {
        return None;
    }
    let mut evidence = vec![format!(
        "operators = {}",
        if a.operators().is_empty() {
            "(none)".to_string()
        } else {
            a.operators().join(";")
        }
    )];
    if let Some(ad) = admin {
        evidence.push(format!("admin = {ad}"));
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "Only the administrator can run {}: if that person is unavailable, nobody can post \
                 or recover the account.",
                ctx.label(i)
            ),
            evidence,
        }),
        ..Hit::default()
    })
}

/// OWN-004: Business account registered to an individual.
pub const OWN_004: Rule = Rule {
    id: "OWN-004",
    title: "Business account registered to an individual",
    severity: Severity::Medium,
    finds: "a business account registered to an individual",
    checks: "An official account, mini program or WeCom is registered to a person, not a company.",
    why: "It belongs to that person, can only be a subscription account and cannot take payments.",
    fix: "Register a new account to a company entity and migrate followers.",
    needs: &[Column::Type, Column::EntityType],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["wechatwiki"],
    check: Check::Account(own_004),
};

/// OWN-004: a business account registered to an individual.
pub fn own_004(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let t = a.account_type()?;
    if t == AccountType::Personal || a.entity_type() != Some(EntityType::Individual) {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "{} ({}) is registered to an individual, not to the company: it belongs to that \
                 person and cannot take payments.",
                ctx.label(i),
                t.as_str()
            ),
            evidence: vec![
                format!("type = {}", t.as_str()),
                "entity_type = individual".into(),
            ],
        }),
        ..Hit::default()
    })
}

/// LIM-001: More official accounts on one entity than allowed.
pub const LIM_001: Rule = Rule {
    id: "LIM-001",
    title: "More official accounts on one entity than allowed",
    severity: Severity::Info,
    finds: "more official accounts on one entity than allowed",
    checks: "One entity holds more official accounts than the per-entity limit (1 per individual, 2 per enterprise since Nov 2018). Accounts count together when their entity names are the same ignoring case, spaces and full-width forms, or are names the company profile gives one legal entity (separated by |).",
    why: "No new account can be registered on that entity; older accounts may predate the limit.",
    fix: "Plan new accounts on another legal entity, or merge accounts.",
    needs: &[Column::Type, Column::EntityName],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["wechatwiki; dragontrail (2018)"],
    check: Check::Company(lim_001),
};

/// LIM-001: more official accounts on one entity than the per-entity limit.
///
/// One pass over the columns it needs (type, status, entity, id), not whole accounts: it is a
/// company-wide check, so at a million accounts it is one thread's work while the others run
/// the per-account rules.
pub fn lim_001(ctx: &Ctx, out: &mut Vec<Hit>) {
    struct Tally {
        key: String,
        display: String,
        count: u32,
        individual: bool,
        examples: Vec<String>,
    }
    // Entity key → its tally, in first-counted order. A legal entity the profile names in
    // several languages is one entity.
    let mut by_entity: FxHashMap<String, usize> = FxHashMap::default();
    let mut tallies: Vec<Tally> = Vec::new();
    let accounts = ctx.accounts;
    // Per distinct spelling (the store's entity code): its tally, worked out once.
    let mut tally_of: Vec<Option<usize>> = vec![None; accounts.entity_names().len() + 1];
    // A duplicated row (same id) is one account, not two (DATA-001 reports the duplicate).
    let id = |i: usize| accounts.id(i).map(str::trim).filter(|s| !s.is_empty());
    let mut seen = FirstByValue::new(accounts.len(), id);
    for i in 0..accounts.len() {
        let code = accounts.entity_name_code(i) as usize;
        if code == 0
            || !accounts
                .account_type(i)
                .is_some_and(AccountType::is_official)
            || accounts.status(i) == Some(Status::Closed)
        {
            continue;
        }
        let e = accounts.entity_names()[code - 1].as_str();
        if e.trim().is_empty() {
            continue;
        }
        if let Some(v) = id(i) {
            if seen.first_or_insert(i, v).is_some() {
                continue;
            }
        }
        let t = *tally_of[code].get_or_insert_with(|| {
            let (key, name) = ctx.entity_key(e);
            let next = tallies.len();
            let t = *by_entity.entry(key.clone()).or_insert(next);
            if t == next {
                tallies.push(Tally {
                    key,
                    display: name.unwrap_or(e.trim()).to_string(),
                    count: 0,
                    individual: false,
                    examples: Vec::new(),
                });
            }
            t
        });
        let t = &mut tallies[t];
        t.count += 1;
        t.individual |= accounts.entity_type(i) == Some(EntityType::Individual);
        if t.examples.len() < 5 {
            t.examples.push(ctx.label(i).to_string());
        }
    }
    let limits = &ctx.k.entity_limits.value;
    for t in &tallies {
        let (limit, kind) = if t.individual {
            (limits.individual, "individual")
        } else {
            (limits.enterprise, "enterprise")
        };
        if t.count <= limit {
            continue;
        }
        out.push(Hit {
            text: ctx.says(|| HitText {
                message: format!(
                    "\"{}\" holds {} official accounts; the limit is {limit} per {kind} entity, so no \
                     new account can be registered on it (older accounts may predate the limit).",
                    t.display, t.count
                ),
                evidence: vec![
                    format!("entity_name = {}", t.display),
                    format!("official accounts: {} ({})", t.count, t.examples.join(", ")),
                    format!("limit per {kind}: {limit} ({})", ctx.k.entity_limits.source),
                ],
            }),
            identity: Some(format!("entity:{}", t.key)),
            ..Hit::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{AccountType, AdminStatus, Column, EntityType};
    use crate::rules::testutil::*;
    use crate::rules::RuleSet;

    #[test]
    fn own_001_departed_agency_unknown_admins() {
        let mk = |s| {
            let mut a = weixin_service("gh_x");
            a.admin_status = Some(s);
            a.admin = Some("wxid_someone".into());
            a
        };
        let r = run(
            vec![
                mk(AdminStatus::Departed),
                mk(AdminStatus::Agency),
                mk(AdminStatus::Unknown),
                mk(AdminStatus::Company),
                mk(AdminStatus::Employee),
            ],
            profile(&[], &[]),
        );
        for i in 0..3 {
            assert!(rules_for(&r, i).contains(&"OWN-001".into()), "{i}");
        }
        for i in 3..5 {
            assert!(!rules_for(&r, i).contains(&"OWN-001".into()), "{i}");
        }
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "OWN-001")
            .expect("f");
        assert_eq!(f.severity, crate::model::Severity::Critical);
    }

    #[test]
    fn own_002_entity_not_in_legal_entities_with_normalisation() {
        let mut ours = weixin_service("gh_ours");
        ours.entity_name = Some("ACME TEA（SHANGHAI）CO.,LTD.".into());
        let mut agency = weixin_service("gh_agency");
        agency.entity_name = Some("Shiny Agency Ltd".into());
        let r = run(
            vec![ours.clone(), agency.clone()],
            profile(&[], &["Acme Tea (Shanghai) Co., Ltd."]),
        );
        assert!(!rules_for(&r, 0).contains(&"OWN-002".into()));
        assert!(rules_for(&r, 1).contains(&"OWN-002".into()));
        // Without legal entities: not evaluated, with a reason.
        let r = run(vec![ours, agency], profile(&[], &[]));
        assert!(!fired(&r, "OWN-002"));
        let ne = r
            .not_evaluated
            .iter()
            .find(|n| n.rule_id == "OWN-002")
            .expect("OWN-002 not evaluated");
        assert!(ne
            .reason
            .as_deref()
            .is_some_and(|x| x.contains("legal entities")));
    }

    #[test]
    fn own_003_single_point_of_control() {
        let mut alone = weixin_service("gh_alone");
        alone.admin = Some("wxid_boss".into());
        alone.operators = vec!["wxid_boss".into()];
        let mut team = alone.clone();
        team.operators = vec!["wxid_boss".into(), "wxid_helper".into()];
        let mut p = personal("wxid_p", "86");
        p.admin = Some("wxid_p".into());
        let r = run(vec![alone, team, p], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"OWN-003".into()));
        assert!(!rules_for(&r, 1).contains(&"OWN-003".into()));
        assert!(!rules_for(&r, 2).contains(&"OWN-003".into()));
    }

    #[test]
    fn own_004_business_account_of_an_individual() {
        let mut a = oa("gh_sub", AccountType::Subscription, "mp.weixin.qq.com");
        a.entity_type = Some(EntityType::Individual);
        let mut p = personal("wxid_p", "86");
        p.entity_type = Some(EntityType::Individual);
        let mut e = weixin_service("gh_co");
        e.entity_type = Some(EntityType::Enterprise);
        let r = run(vec![a, p, e], profile(&[], &[]));
        assert!(rules_for(&r, 0).contains(&"OWN-004".into()));
        assert!(!rules_for(&r, 1).contains(&"OWN-004".into()));
        assert!(!rules_for(&r, 2).contains(&"OWN-004".into()));
    }

    #[test]
    fn lim_001_more_official_accounts_than_the_entity_limit() {
        let mk = |id: &str, name: &str| {
            let mut a = weixin_service(id);
            a.entity_name = Some(name.into());
            a.entity_type = Some(EntityType::Enterprise);
            a
        };
        let r = run(
            vec![
                mk("gh_1", "Acme Ltd"),
                mk("gh_2", "ACME  LTD"),
                mk("gh_3", "Acme Ltd"),
                mk("gh_4", "Other Ltd"),
                mk("gh_5", "Other Ltd"),
                mk("gh_5", "Other Ltd"),
            ],
            profile(&[], &[]),
        );
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == "LIM-001")
            .collect();
        assert_eq!(hits.len(), 1);
        assert!(r.message(hits[0]).contains("3 official accounts"));
        assert_eq!(hits[0].severity, crate::model::Severity::Info);
        assert_eq!(hits[0].account, None);
        // An overridden limit is used.
        let mut set = RuleSet::builtin();
        set.knowledge_mut().entity_limits.value.enterprise = 3;
        let r = run_with(
            vec![
                mk("gh_1", "Acme Ltd"),
                mk("gh_2", "Acme Ltd"),
                mk("gh_3", "Acme Ltd"),
            ],
            profile(&[], &[]),
            all_columns(),
            &set,
        );
        assert!(!fired(&r, "LIM-001"));
        let _ = Column::Type;
    }

    /// Chinese exports name the entity in Chinese: one entity the profile names both ways.
    #[test]
    fn an_entity_named_in_two_languages_in_the_profile_is_one_entity() {
        let mk = |id: &str, name: &str| {
            let mut a = weixin_service(id);
            a.entity_name = Some(name.into());
            a.entity_type = Some(EntityType::Enterprise);
            a
        };
        let mut set = RuleSet::builtin();
        set.knowledge_mut().entity_limits.value.enterprise = 2;
        let accounts = vec![
            mk("gh_1", "Acme Tea (Shanghai) Co., Ltd."),
            mk("gh_2", "阿克米茶饮(上海)有限公司"),
            mk("gh_3", "阿克米茶饮（上海）有限公司"),
            mk("gh_4", "Shiny Agency Ltd"),
        ];
        let both = "Acme Tea (Shanghai) Co., Ltd. | 阿克米茶饮(上海)有限公司";
        let r = run_with(accounts.clone(), profile(&[], &[both]), all_columns(), &set);
        // Counted together (3 > 2), reported under the profile's first name.
        let lim: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == "LIM-001")
            .collect();
        assert_eq!(lim.len(), 1, "{lim:?}");
        let m = r.message(lim[0]);
        assert!(
            m.contains("\"Acme Tea (Shanghai) Co., Ltd.\" holds 3"),
            "{m}"
        );
        // Either name is one of the company's entities; the agency is not.
        for i in 0..3 {
            assert!(!rules_for(&r, i).contains(&"OWN-002".into()), "{i}");
        }
        assert!(rules_for(&r, 3).contains(&"OWN-002".into()));
        // The fingerprint follows the entity, not the language it is written in.
        let english_only = vec![
            mk("gh_1", "Acme Tea (Shanghai) Co., Ltd."),
            mk("gh_2", "Acme Tea (Shanghai) Co., Ltd."),
            mk("gh_3", "Acme Tea (Shanghai) Co., Ltd."),
        ];
        let r2 = run_with(english_only, profile(&[], &[both]), all_columns(), &set);
        let lim2 = r2
            .findings
            .iter()
            .find(|f| f.rule_id == "LIM-001")
            .expect("LIM-001");
        assert_eq!(r.fingerprint(lim[0]), r.fingerprint(lim2));
        // Without the second name they are two entities, each under the limit.
        let r = run_with(
            accounts,
            profile(&[], &["Acme Tea (Shanghai) Co., Ltd."]),
            all_columns(),
            &set,
        );
        assert!(!fired(&r, "LIM-001"));
        assert!(rules_for(&r, 1).contains(&"OWN-002".into()));
    }
}
