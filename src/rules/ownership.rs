//! OWN and LIM rules: who really controls each account and who legally owns it (domain.md §6).
//!
//! The admin's WeChat ID is the de-facto owner; the registered entity (主体) is the legal owner
//! and cannot be changed after verification. Entity names are compared after NFKC folding,
//! lower-casing and removing whitespace, so full-width brackets or "Co.,Ltd." vs "Co., Ltd." do
//! not create false alarms. LIM-001 counts official accounts per entity in one pass.

use super::context::{is_official, norm_entity, Ctx, Hit};
use crate::model::{Account, AccountType, AdminStatus, EntityType, Status};
use std::collections::HashMap;

/// OWN-001: admin is an ex-employee, an agency or unknown.
pub fn own_001(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    let st = a.admin_status?;
    let who = match st {
        AdminStatus::Departed => "someone who has left the company",
        AdminStatus::Agency => "an agency",
        AdminStatus::Unknown => "nobody the company can name",
        AdminStatus::Company | AdminStatus::Employee => return None,
    };
    if a.status == Some(Status::Closed) {
        return None;
    }
    let mut evidence = vec![format!("admin_status = {}", st.as_str())];
    if let Some(ad) = &a.admin {
        evidence.push(format!("admin = {ad}"));
    }
    Some(Hit {
        message: format!(
            "The administrator of {} is {who}: whoever holds the admin WeChat ID controls logins, \
             broadcasts and secrets, so the company does not really own this account.",
            ctx.label(i)
        ),
        evidence,
        ..Hit::default()
    })
}

/// OWN-002: the entity is not one of the company's legal entities.
pub fn own_002(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    let e = a.entity_name.as_deref().filter(|s| !s.trim().is_empty())?;
    let n = norm_entity(e);
    if ctx.legal_entities.iter().any(|l| *l == n) {
        return None;
    }
    Some(Hit {
        message: format!(
            "{} is registered to \"{e}\", which is not one of the company's legal entities: the \
             registered entity is the legal owner and cannot be changed after verification.",
            ctx.label(i)
        ),
        evidence: vec![
            format!("entity_name = {e}"),
            format!("legal entities: {}", ctx.profile.legal_entities.join("; ")),
        ],
        ..Hit::default()
    })
}

/// Accounts that belong to a business (everything but personal accounts).
fn is_business(a: &Account) -> bool {
    !matches!(a.account_type, Some(AccountType::Personal))
}

/// OWN-003: single point of control — no operators besides the admin.
pub fn own_003(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    if !is_business(a) || a.status == Some(Status::Closed) {
        return None;
    }
    let admin = a.admin.as_deref().map(str::trim);
    let others = a
        .operators
        .iter()
        .filter(|o| !o.trim().is_empty() && Some(o.trim()) != admin)
        .count();
    if others > 0 {
        return None;
    }
    let mut evidence = vec![format!(
        "operators = {}",
        if a.operators.is_empty() {
            "(none)".to_string()
        } else {
            a.operators.join(";")
        }
    )];
    if let Some(ad) = admin {
        evidence.push(format!("admin = {ad}"));
    }
    Some(Hit {
        message: format!(
            "Only the administrator can run {}: if that person is unavailable, nobody can post \
             or recover the account.",
            ctx.label(i)
        ),
        evidence,
        ..Hit::default()
    })
}

/// OWN-004: a business account registered to an individual.
pub fn own_004(ctx: &Ctx, i: usize, a: &Account) -> Option<Hit> {
    let t = a.account_type?;
    if t == AccountType::Personal || a.entity_type != Some(EntityType::Individual) {
        return None;
    }
    Some(Hit {
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
        ..Hit::default()
    })
}

/// LIM-001: more official accounts on one entity than the per-entity limit.
pub fn lim_001(ctx: &Ctx, out: &mut Vec<Hit>) {
    struct Tally {
        display: String,
        count: u32,
        individual: bool,
        examples: Vec<String>,
    }
    let mut by_entity: HashMap<String, Tally> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, a) in ctx.accounts.iter().enumerate() {
        if !is_official(a) || a.status == Some(Status::Closed) {
            continue;
        }
        let Some(e) = a.entity_name.as_deref().filter(|s| !s.trim().is_empty()) else {
            continue;
        };
        let key = norm_entity(e);
        let t = by_entity.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            Tally {
                display: e.trim().to_string(),
                count: 0,
                individual: false,
                examples: Vec::new(),
            }
        });
        t.count += 1;
        t.individual |= a.entity_type == Some(EntityType::Individual);
        if t.examples.len() < 5 {
            t.examples.push(ctx.label(i));
        }
    }
    let limits = &ctx.k.entity_limits.value;
    for key in order {
        let Some(t) = by_entity.get(&key) else {
            continue;
        };
        let (limit, kind) = if t.individual {
            (limits.individual, "individual")
        } else {
            (limits.enterprise, "enterprise")
        };
        if t.count <= limit {
            continue;
        }
        out.push(Hit {
            identity: Some(format!("entity:{key}")),
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
            ..Hit::default()
        });
    }
}
