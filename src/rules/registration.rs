//! REG rules: can we tell which platform an account is on, and do its signals agree?
//!
//! They read only the classification (`crate::classify`), so they run on any inventory.

use super::context::{Ctx, Hit};
use crate::model::{Account, Platform};

/// REG-001: platform cannot be determined.
pub fn reg_001(ctx: &Ctx, i: usize, _a: &Account) -> Option<Hit> {
    let c = ctx.classes.get(i)?;
    if c.platform != Platform::Unknown {
        return None;
    }
    let mut evidence: Vec<String> = c
        .evidence
        .iter()
        .map(|e| format!("{} = {} ({})", e.signal.as_str(), e.value, e.note))
        .collect();
    if evidence.is_empty() {
        evidence.push("no portal, phone, entity or declared platform in the inventory".into());
    }
    Some(Hit {
        message: format!(
            "We cannot tell whether {} is on Weixin (mainland) or WeChat (international), so we \
             cannot say who can find it or which wallet and features it has.",
            ctx.label(i)
        ),
        evidence,
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
        message: format!(
            "The inventory contradicts itself about {}: we classified it as {} from the stronger \
             signal, but the team's records say otherwise somewhere.",
            ctx.label(i),
            c.platform.label()
        ),
        evidence: c.conflicts.iter().map(|x| x.message.clone()).collect(),
        ..Hit::default()
    })
}
