//! DATA rules: problems in the inventory itself — duplicates, mistyped registration codes,
//! spreadsheet damage — and dormant accounts that still carry a target audience.
//!
//! DATA-001 finds duplicates with one hash map of ids (linear in the inventory).

use super::catalogue::{Check, Requires, Rule};
use super::context::{Ctx, FirstByValue, FxHashMap, Hit, HitText};
use crate::accounts::{AccountRef, Accounts};
use crate::classify::uscc_valid;
use crate::model::{Column, Country, Severity, Status};

/// DATA-001: Duplicate account ID.
pub const DATA_001: Rule = Rule {
    id: "DATA-001",
    title: "Duplicate account ID",
    severity: Severity::Medium,
    finds: "the same account ID twice in the inventory",
    checks: "The same account ID, or the same WeChat ID (微信号), appears on more than one row — also when pasted in full-width characters or with invisible spaces.",
    why: "Counts and findings are double-counted, or two different accounts were mixed up.",
    fix: "Merge or correct the duplicate rows.",
    needs: &[Column::Id],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &[],
    check: Check::Company(data_001),
};

/// DATA-001: duplicate account id, or duplicate WeChat ID (微信号) among accounts that also
/// have an id. One finding per duplicated value, on its second occurrence.
pub fn data_001(ctx: &Ctx, out: &mut Vec<Hit>) {
    duplicates(ctx, out, "Account id", "id", |s, i| s.id(i));
    // Without an id the WeChat ID is the id (checked above); with one, it must be unique too.
    duplicates(ctx, out, "WeChat ID", "wechat_id", |s, i| {
        s.wechat_id(i).filter(|w| s.id(i) != Some(*w))
    });
}

fn duplicates<'a>(
    ctx: &Ctx<'a>,
    out: &mut Vec<Hit>,
    what: &str,
    column: &str,
    key: impl Fn(&'a Accounts, usize) -> Option<&'a str>,
) {
    let accounts = ctx.accounts;
    let value = |i: usize| key(accounts, i).map(str::trim).filter(|s| !s.is_empty());
    // The first account with each value (see [`FirstByValue`]).
    let mut first = FirstByValue::new(accounts.len(), value);
    // value → every line it appears on, only for values seen more than once.
    let mut dups: FxHashMap<&str, (u32, Vec<u64>)> = FxHashMap::default();
    let mut order: Vec<&str> = Vec::new();
    for i in 0..accounts.len() {
        let Some(id) = value(i) else {
            continue;
        };
        if let Some(f) = first.first_or_insert(i, id) {
            let e = dups.entry(id).or_insert_with(|| {
                order.push(id);
                (i as u32, vec![accounts.line(f as usize)])
            });
            e.1.push(accounts.line(i));
        }
    }
    for id in order {
        let Some((second, lines)) = dups.get(id) else {
            continue;
        };
        let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
        out.push(Hit {
            text: ctx.says(|| HitText {
                message: format!(
                    "{what} {id} appears {} times in the inventory (lines {}): counts and \
                     findings are doubled, or two different accounts were mixed up.",
                    lines.len(),
                    lines.join(", ")
                ),
                evidence: vec![
                    format!("{column} = {id}"),
                    format!("lines {}", lines.join(", ")),
                ],
            }),
            account: Some(*second),
            ..Hit::default()
        });
    }
}

/// DATA-002: Invalid Unified Social Credit Code.
pub const DATA_002: Rule = Rule {
    id: "DATA-002",
    title: "Invalid Unified Social Credit Code",
    severity: Severity::Medium,
    finds: "an invalid Unified Social Credit Code",
    checks: "A Unified Social Credit Code fails the GB 32100-2015 checksum.",
    why: "A mistyped code means the entity cannot be checked and may be the wrong one.",
    fix: "Copy the code again from the business licence or the account's verification page.",
    needs: &[Column::CreditCode],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["GB 32100-2015"],
    check: Check::Account(data_002),
};

/// DATA-002: invalid Unified Social Credit Code.
pub fn data_002(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    let code = a.credit_code()?.trim();
    if code.is_empty() {
        return None;
    }
    let mainland = matches!(&a.entity_country(), Some(Country::Code(c)) if ctx.k.is_mainland(c));
    let problem = if code.chars().count() == 18 {
        if uscc_valid(code) {
            return None;
        }
        "fails the GB 32100-2015 checksum"
    } else if mainland {
        "is not 18 characters long, as a mainland entity's code must be"
    } else {
        return None;
    };
    Some(Hit {
        text: ctx.says(|| HitText {
            message: format!(
                "The Unified Social Credit Code of {} ({code}) {problem}: the entity cannot be \
                 checked and may be the wrong one.",
                ctx.label(i)
            ),
            evidence: vec![format!("credit_code = {code}")],
        }),
        ..Hit::default()
    })
}

/// A spreadsheet would treat this as a formula (`=`, `@`, or `+`/`-` followed by more than a
/// plain number or phone number).
pub fn looks_like_formula(s: &str) -> bool {
    let s = s.trim_start();
    let mut chars = s.chars();
    match chars.next() {
        Some('=') | Some('@') => s.len() > 1,
        Some('+') | Some('-') => {
            let rest = chars.as_str();
            !rest.is_empty()
                && !rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'))
        }
        _ => false,
    }
}

/// An id Excel turned into a number in scientific notation, e.g. `1.23457E+17`.
pub fn looks_excel_mangled(s: &str) -> bool {
    let s = s.trim();
    // Checked on every text value of every account: most start with a letter and stop here.
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let Some(e) = s.bytes().position(|b| b == b'E' || b == b'e') else {
        return false;
    };
    let (mant, exp) = (&s[..e], &s[e + 1..]);
    let Some(exp) = exp.strip_prefix('+') else {
        return false;
    };
    let mut parts = mant.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        && !exp.is_empty()
        && exp.bytes().all(|b| b.is_ascii_digit())
}

/// DATA-003: Spreadsheet formula or Excel-mangled value.
pub const DATA_003: Rule = Rule {
    id: "DATA-003",
    title: "Spreadsheet formula or Excel-mangled value",
    severity: Severity::Medium,
    finds: "a value that looks like a spreadsheet formula or an Excel-mangled ID (`1.23457E+17`)",
    checks: "A value starts like a spreadsheet formula (=, +, -, @) or is an ID Excel turned into a number (1.23457E+17).",
    why: "Formulas can run when the sheet is opened; mangled IDs no longer identify anything.",
    fix: "Re-export the value as text (format the column as Text before pasting).",
    needs: &[],
    any_of: &[],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["OWASP CSV injection"],
    check: Check::Account(data_003),
};

/// DATA-003: a value that looks like a spreadsheet formula or an Excel-mangled id.
pub fn data_003(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    // Every text value with its column, in the order the evidence lists them.
    let texts = || {
        let named = [
            ("id", a.id()),
            ("name", a.name()),
            ("entity_name", a.entity_name()),
            ("credit_code", a.credit_code()),
            ("icp_filing", a.icp_filing()),
            ("merchant_id", a.merchant_id()),
            ("merchant_entity", a.merchant_entity()),
            ("admin", a.admin()),
            ("brand", a.brand()),
            ("notes", a.notes()),
        ];
        named
            .into_iter()
            .filter_map(|(col, v)| Some((col, v?)))
            .chain(a.operators().iter().map(|o| ("operators", o.as_str())))
            .chain(
                a.raw()
                    .iter()
                    .filter(|(col, _)| !matches!(col, crate::model::Column::Phone))
                    .map(|(col, v)| (col.as_str(), v)),
            )
            .chain(a.extra().iter())
    };
    let problem = |v: &str| {
        // Most values open with a letter or a CJK character: neither test can match them.
        let opens_plainly = v.chars().next().is_some_and(|c| {
            !c.is_whitespace() && !c.is_ascii_digit() && !matches!(c, '=' | '@' | '+' | '-')
        });
        if opens_plainly {
            None
        } else if looks_like_formula(v) {
            Some("starts like a formula")
        } else if looks_excel_mangled(v) {
            Some("number mangled by Excel")
        } else {
            None
        }
    };
    if !texts().any(|(_, v)| problem(v).is_some()) {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| {
            let mut evidence: Vec<String> = texts()
                .filter_map(|(col, v)| Some(format!("{col} = {v} ({})", problem(v)?)))
                .collect();
            evidence.dedup();
            HitText {
                message: format!(
                    "{} has values that look like spreadsheet formulas or IDs mangled by Excel: \
                     formulas can run when the sheet is opened, and mangled IDs no longer identify \
                     anything.",
                    ctx.label(i)
                ),
                evidence,
            }
        }),
        ..Hit::default()
    })
}

/// DATA-004: Dormant account for a target market.
pub const DATA_004: Rule = Rule {
    id: "DATA-004",
    title: "Dormant account for a target market",
    severity: Severity::Low,
    finds: "a dormant account whose audience is a target market",
    checks: "No activity for longer than the dormancy threshold (default 180 days), or status dormant, while the account's audience is a target.",
    why: "Customers who find a silent account lose trust, and a dormant account can be reclaimed.",
    fix: "Post again, or close the account and point its followers to an active one.",
    needs: &[Column::Audience],
    any_of: &[Column::LastActive, Column::Status],
    requires: Requires::Nothing,
    may_report_lower: false,
    sources: &["wxaudit default (inference)"],
    check: Check::Account(data_004),
};

/// DATA-004: dormant (inactive longer than the threshold, or status dormant) while its audience
/// is a target.
pub fn data_004(ctx: &Ctx, i: usize, a: &AccountRef) -> Option<Hit> {
    if matches!(a.status(), Some(Status::Closed)) {
        return None;
    }
    let is_targeted = |m: &str| ctx.is_target(m) || (m == "GLOBAL" && !ctx.targets.is_empty());
    if !a.audience().iter().any(|m| is_targeted(m)) {
        return None;
    }
    let threshold = ctx.k.dormancy_days.value;
    let idle = a.last_active().map(|d| (ctx.as_of - d).num_days());
    let by_date = idle.is_some_and(|d| d > threshold);
    let by_status = a.status() == Some(Status::Dormant);
    if !by_date && !by_status {
        return None;
    }
    Some(Hit {
        text: ctx.says(|| {
            use std::fmt::Write;
            let mut message = String::with_capacity(160);
            let _ = write!(message, "{} has been silent ", ctx.label(i));
            match idle {
                Some(d) if by_date => {
                    let _ = write!(message, "for {d} days");
                }
                _ => message.push_str("(marked dormant)"),
            }
            message.push_str(" but is meant to reach ");
            let mut first = true;
            for m in a.audience().iter().filter(|m| is_targeted(m)) {
                if !first {
                    message.push_str(", ");
                }
                first = false;
                message.push_str(m);
            }
            message.push_str(": customers who find a silent account lose trust.");
            let evidence = match (a.last_active(), idle) {
                (Some(d), Some(days)) => format!(
                    "last_active = {d} ({days} days, threshold {threshold}){}",
                    if by_status { "; status = dormant" } else { "" }
                ),
                _ => "status = dormant".to_string(),
            };
            HitText {
                message,
                evidence: vec![evidence],
            }
        }),
        ..Hit::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Column;
    use crate::rules::testutil::*;

    #[test]
    fn data_001_duplicate_ids_once_per_id() {
        let r = run(
            vec![
                weixin_service("gh_dup"),
                weixin_service("gh_other"),
                weixin_service("gh_dup"),
                weixin_service("gh_dup"),
            ],
            profile(&[], &[]),
        );
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.rule_id == "DATA-001")
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].account, Some(2));
        assert!(r.message(hits[0]).contains("3 times"));
        assert!(r.message(hits[0]).contains("lines 2, 4, 5"));
    }

    #[test]
    fn data_002_invalid_uscc() {
        let mut good = weixin_service("gh_good");
        good.credit_code = Some(valid_uscc().into());
        let mut bad = weixin_service("gh_bad");
        let mut code = valid_uscc();
        let last = code.pop();
        code.push(if last == Some('0') { '1' } else { '0' });
        bad.credit_code = Some(code.into());
        let mut short_cn = weixin_service("gh_short");
        short_cn.entity_country = Some(crate::model::Country::Code("CN".into()));
        short_cn.credit_code = Some("12345".into());
        let mut foreign = weixin_service("gh_us");
        foreign.entity_country = Some(crate::model::Country::Code("US".into()));
        foreign.credit_code = Some("EIN-12-3456789".into());
        let r = run(vec![good, bad, short_cn, foreign], profile(&[], &[]));
        assert!(!rules_for(&r, 0).contains(&"DATA-002".into()));
        assert!(rules_for(&r, 1).contains(&"DATA-002".into()));
        assert!(rules_for(&r, 2).contains(&"DATA-002".into()));
        assert!(!rules_for(&r, 3).contains(&"DATA-002".into()));
    }

    #[test]
    fn formula_and_excel_detection() {
        for f in [
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-2+3",
        ] {
            assert!(looks_like_formula(f), "{f}");
        }
        for f in ["+86 138 0000 0000", "-", "Acme", "-12", "a=b"] {
            assert!(!looks_like_formula(f), "{f}");
        }
        assert!(looks_excel_mangled("1.23457E+17"));
        assert!(looks_excel_mangled("9E+15"));
        assert!(!looks_excel_mangled("gh_1E+17"));
        assert!(!looks_excel_mangled("1.2E-3"));
    }

    #[test]
    fn data_003_formula_or_mangled_values() {
        let mut f = weixin_service("gh_f");
        f.name = Some("=HYPERLINK(\"http://evil\")".into());
        let mut m = weixin_service("gh_m");
        m.merchant_id = Some("1.23457E+17".into());
        let mut x = weixin_service("gh_x");
        x.extra = vec![("owner".into(), "@evil".into())];
        let mut ok = weixin_service("gh_ok");
        ok.raw = vec![(Column::Phone, "+86 138 0000 0000".into())];
        let r = run(vec![f, m, x, ok], profile(&[], &[]));
        for i in 0..3 {
            assert!(rules_for(&r, i).contains(&"DATA-003".into()), "{i}");
        }
        assert!(!rules_for(&r, 3).contains(&"DATA-003".into()));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule_id == "DATA-003" && f.account == Some(1))
            .expect("f");
        let e = r.text(f).evidence;
        assert!(e[0].contains("merchant_id"));
    }

    #[test]
    fn data_004_dormant_for_a_target_market() {
        let mut old = with_audience(weixin_service("gh_old"), &["CN"]);
        old.last_active = Some(date("2025-11-01")); // 212 days before 2026-06-01
        let mut recent = with_audience(weixin_service("gh_recent"), &["CN"]);
        recent.last_active = Some(date("2026-05-01"));
        let mut marked = with_audience(weixin_service("gh_marked"), &["CN"]);
        marked.status = Some(crate::model::Status::Dormant);
        let mut not_target = with_audience(weixin_service("gh_de"), &["DE"]);
        not_target.last_active = Some(date("2020-01-01"));
        let r = run(
            vec![old.clone(), recent, marked, not_target],
            profile(&["CN"], &[]),
        );
        assert!(rules_for(&r, 0).contains(&"DATA-004".into()));
        assert!(!rules_for(&r, 1).contains(&"DATA-004".into()));
        assert!(rules_for(&r, 2).contains(&"DATA-004".into()));
        assert!(!rules_for(&r, 3).contains(&"DATA-004".into()));
        // The threshold is knowledge: 365 days makes the first account active enough.
        let mut set = crate::rules::RuleSet::builtin();
        set.knowledge_mut().dormancy_days.value = 365;
        let r = run_with(vec![old], profile(&["CN"], &[]), all_columns(), &set);
        assert!(!fired(&r, "DATA-004"));
    }
}
