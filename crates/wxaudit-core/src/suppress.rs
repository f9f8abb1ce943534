//! Accepted risks: a TOML file of `[[suppress]]` entries that move matching findings out of the
//! active list (never dropping them), with expiry and staleness reporting.
//!
//! Why a module of its own: suppressions are applied in [`crate::pipeline::run`] so that the
//! headless reports and the TUI see exactly the same accepted risks, and every renderer lists the
//! suppressed findings (with their reason) instead of silently hiding them. The data it works
//! with ([`SuppressionEntry`], [`SuppressedFinding`]) lives in [`crate::model`], because the
//! report holds it: `suppress` depends on `audit` and `model`, and neither depends back on it.
//!
//! ```toml
//! [[suppress]]
//! rule = "REACH-002"            # required
//! account = "gh_0f1e2d3c4b5a"   # optional: id or name; or brand = "…"
//! reason = "legacy account kept for HK press; retire in Q1"   # required
//! owner = "li.na@example.com"   # optional
//! expires = "2027-01-31"        # optional
//! ```
//!
//! Rules of matching: `rule` must equal the finding's rule id (case-insensitive); when `account`
//! is given it must equal the finding's account id or name; when `brand` is given it must equal the
//! finding's brand (both compared trimmed and case-insensitively). An entry whose `expires` date is
//! before the audit date no longer suppresses and is reported in `expired_suppressions`; an entry
//! that matches no finding is reported in `stale_suppressions`.

use crate::accounts::Accounts;
use crate::audit::Report;
use crate::model::Finding;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The data types live in [`crate::model`] (the report holds them); re-exported here.
pub use crate::model::{SuppressedFinding, SuppressionEntry};

/// A suppression file that could not be used. The message names the file and, where it applies,
/// the entry (1-based, in file order) and the key.
#[derive(Debug, thiserror::Error)]
pub enum SuppressError {
    #[error("{path}: cannot read the suppressions file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

const KNOWN_KEYS: [&str; 6] = ["rule", "account", "brand", "reason", "owner", "expires"];

/// Reads and validates a suppressions file.
pub fn load(path: &Path) -> Result<Vec<SuppressionEntry>, SuppressError> {
    let text = std::fs::read_to_string(path).map_err(|source| SuppressError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|message| SuppressError::Invalid {
        path: path.to_path_buf(),
        message,
    })
}

/// Parses the TOML text of a suppressions file; the error is a plain message without the path.
pub fn parse(text: &str) -> Result<Vec<SuppressionEntry>, String> {
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("not valid TOML: {}", e.to_string().trim_end()))?;
    let mut out = Vec::new();
    let lines = entry_lines(text);
    let builtin = crate::rules::RuleSet::builtin();
    let rule_ids: Vec<&str> = builtin.rules().iter().map(|m| m.id.as_str()).collect();
    for (key, value) in &doc {
        if key != "suppress" {
            return Err(format!(
                "{}; the file holds `[[suppress]]` entries only",
                crate::did_you_mean::unknown("key", key, &["suppress"])
            ));
        }
        let Some(items) = value.as_array() else {
            return Err("`suppress` must be a list of `[[suppress]]` tables".into());
        };
        let at = |i: usize| match lines.get(i) {
            Some(line) if lines.len() == items.len() => format!("entry {} (line {line})", i + 1),
            _ => format!("entry {}", i + 1),
        };
        for (i, item) in items.iter().enumerate() {
            let n = at(i);
            let Some(t) = item.as_table() else {
                return Err(format!("{n}: must be a `[[suppress]]` table"));
            };
            let entry = parse_entry(&n, t)?;
            if !rule_ids
                .iter()
                .any(|id| id.eq_ignore_ascii_case(&entry.rule))
            {
                return Err(format!(
                    "{n}: {}; `wxaudit rules` lists them with what each checks",
                    crate::did_you_mean::unknown("rule id", &entry.rule, &rule_ids)
                ));
            }
            out.push(entry);
        }
    }
    Ok(out)
}

/// The 1-based line of each `[[suppress]]` header, in file order (entries written as an inline
/// array have none, and then the count does not match and no line is given).
fn entry_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let squeezed: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            squeezed.starts_with("[[suppress]]")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

fn parse_entry(n: &str, t: &toml::Table) -> Result<SuppressionEntry, String> {
    for k in t.keys() {
        if !KNOWN_KEYS.contains(&k.as_str()) {
            return Err(format!(
                "{n}: {}",
                crate::did_you_mean::unknown("key", k, &KNOWN_KEYS)
            ));
        }
    }
    let text = |k: &str| -> Result<Option<String>, String> {
        match t.get(k) {
            None => Ok(None),
            Some(toml::Value::String(s)) if s.trim().is_empty() => {
                Err(format!("{n}: `{k}` is empty"))
            }
            Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(other) => Err(format!(
                "{n}: `{k}` must be text, found {}",
                other.type_str()
            )),
        }
    };
    let rule = text("rule")?.ok_or_else(|| {
        format!("{n}: `rule` is required (the rule id to accept, e.g. \"REACH-002\")")
    })?;
    let reason = text("reason")?
        .ok_or_else(|| format!("{n} ({rule}): `reason` is required (why this risk is accepted)"))?;
    let expires = match t.get("expires") {
        None => None,
        Some(toml::Value::Datetime(d)) => match (d.date, d.time) {
            (Some(date), None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            ),
            _ => None,
        }
        .map(Some)
        .ok_or_else(|| format!("{n} ({rule}): `expires` must be a date like 2027-01-31"))?,
        Some(toml::Value::String(s)) => Some(
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                format!("{n} ({rule}): `expires` = {s:?} is not a date like 2027-01-31")
            })?,
        ),
        Some(other) => {
            return Err(format!(
                "{n} ({rule}): `expires` must be a date like 2027-01-31, found {}",
                other.type_str()
            ))
        }
    };
    Ok(SuppressionEntry {
        rule,
        account: text("account")?,
        brand: text("brand")?,
        reason,
        owner: text("owner")?,
        expires,
    })
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl SuppressionEntry {
    /// True when this entry is past its expiry date on `as_of`.
    pub fn is_expired(&self, as_of: NaiveDate) -> bool {
        self.expires.is_some_and(|d| d < as_of)
    }

    /// True when the entry covers `f` (ignores expiry). `accounts`: what `f.account` points into.
    pub fn matches(&self, f: &Finding, accounts: &Accounts) -> bool {
        if !same(&self.rule, &f.rule_id) {
            return false;
        }
        if let Some(acc) = &self.account {
            let hit = f.account_id(accounts).is_some_and(|v| same(acc, v))
                || f.account_name(accounts).is_some_and(|v| same(acc, v));
            if !hit {
                return false;
            }
        }
        if let Some(brand) = &self.brand {
            if !f.brand(accounts).is_some_and(|v| same(brand, v)) {
                return false;
            }
        }
        true
    }
}

/// Moves findings matched by an unexpired entry from `report.findings` to `report.suppressed`
/// (first matching entry wins), and fills `expired_suppressions` and `stale_suppressions`.
pub fn apply(report: &mut Report, entries: &[SuppressionEntry]) {
    if entries.is_empty() {
        return;
    }
    let as_of = report.as_of;
    let (expired, live): (Vec<&SuppressionEntry>, Vec<&SuppressionEntry>) =
        entries.iter().partition(|e| e.is_expired(as_of));
    let mut used = vec![false; live.len()];
    // Taken out in place, so a million findings are never copied into a second list; `entry`
    // records, in the same order, which entry took each.
    let mut entry = Vec::new();
    let matched: Vec<Finding> = report
        .findings
        .extract_if(.., |f| {
            match live.iter().position(|e| e.matches(f, &report.accounts)) {
                Some(i) => {
                    entry.push(i);
                    true
                }
                None => false,
            }
        })
        .collect();
    for (i, f) in entry.into_iter().zip(matched) {
        used[i] = true;
        let e = live[i];
        report.suppressed.push(SuppressedFinding {
            finding: f,
            reason: e.reason.clone(),
            owner: e.owner.clone(),
            expires: e.expires,
        });
    }
    report
        .expired_suppressions
        .extend(expired.into_iter().cloned());
    report.stale_suppressions.extend(
        live.iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(e, _)| (*e).clone()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;
    use crate::report::testutil::{finding, sample_report};

    fn entry(rule: &str) -> SuppressionEntry {
        SuppressionEntry {
            rule: rule.into(),
            account: None,
            brand: None,
            reason: "accepted".into(),
            owner: None,
            expires: None,
        }
    }

    #[test]
    fn parses_the_documented_example() {
        let v = parse(
            r#"
[[suppress]]
rule = "REACH-002"            # required
account = "gh_0f1e2d3c4b5a"
reason = "legacy account kept for HK press; retire in Q1"
owner = "li.na@example.com"
expires = "2027-01-31"

[[suppress]]
rule = "OWN-003"
brand = "Acme Tea"
reason = "one admin by design"
expires = 2027-02-01
"#,
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].account.as_deref(), Some("gh_0f1e2d3c4b5a"));
        assert_eq!(v[0].expires, NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(v[1].brand.as_deref(), Some("Acme Tea"));
        assert_eq!(v[1].expires, NaiveDate::from_ymd_opt(2027, 2, 1));
    }

    #[test]
    fn bad_entries_are_named() {
        let e = parse("[[suppress]]\nrule = \"REACH-001\"\n").unwrap_err();
        assert!(e.contains("entry 1") && e.contains("reason"), "{e}");
        let e = parse("[[suppress]]\nrule='REACH-001'\nreason='r'\n[[suppress]]\nreason='x'\n")
            .unwrap_err();
        assert!(e.contains("entry 2") && e.contains("rule"), "{e}");
        let e = parse("[[suppress]]\nrule='REACH-001'\nreason='r'\nreson='x'\n").unwrap_err();
        assert!(e.contains("unknown key `reson`"), "{e}");
        let e = parse("[[suppress]]\nrule='REACH-001'\nreason='r'\nexpires='31/01/2027'\n")
            .unwrap_err();
        assert!(e.contains("expires"), "{e}");
        let e = parse("[[suppres]]\nrule='REACH-001'\nreason='r'\n").unwrap_err();
        assert!(e.contains("unknown key `suppres`"), "{e}");
        let e = parse("[[suppress]]\nrule='REACH-001'\nreason='r'\n\n[[suppress]]\nrule='reach-02'\nreason='r'\n")
            .unwrap_err();
        assert!(
            e.contains("entry 2 (line 5)") && e.contains("`reach-02`") && e.contains("REACH-002"),
            "{e}"
        );
        let e = parse("[[suppress]\n").unwrap_err();
        assert!(e.contains("TOML"), "{e}");
    }

    #[test]
    fn missing_file_names_the_file() {
        let err = load(Path::new("/no/such/supp.toml")).unwrap_err();
        assert!(err.to_string().contains("/no/such/supp.toml"));
    }

    #[test]
    fn matches_rule_account_and_brand() {
        let f = finding(
            "REACH-002",
            Severity::High,
            Some("gh_1"),
            Some("Acme HK"),
            Some("Acme"),
        );
        assert!(entry("reach-002").matches(&f, crate::accounts::Accounts::empty()));
        assert!(!entry("REACH-001").matches(&f, crate::accounts::Accounts::empty()));
        let mut e = entry("REACH-002");
        e.account = Some("GH_1".into());
        assert!(e.matches(&f, crate::accounts::Accounts::empty()));
        e.account = Some("acme hk".into());
        assert!(
            e.matches(&f, crate::accounts::Accounts::empty()),
            "account may be the name"
        );
        e.account = Some("gh_2".into());
        assert!(!e.matches(&f, crate::accounts::Accounts::empty()));
        let mut e = entry("REACH-002");
        e.brand = Some("Acme".into());
        assert!(e.matches(&f, crate::accounts::Accounts::empty()));
        e.brand = Some("Other".into());
        assert!(!e.matches(&f, crate::accounts::Accounts::empty()));
    }

    #[test]
    fn apply_moves_expires_and_reports_stale() {
        let mut r = sample_report();
        let before = r.findings.len();
        let as_of = r.as_of;
        let mut live = entry("REACH-002");
        live.reason = "kept for HK press".into();
        live.expires = Some(as_of); // expires today: still valid
        let mut expired = entry("REACH-001");
        expired.expires = as_of.pred_opt();
        let stale = entry("CMP-001");
        apply(&mut r, &[live.clone(), expired.clone(), stale.clone()]);
        assert_eq!(r.suppressed.len(), 1);
        assert_eq!(r.suppressed[0].finding.rule_id, "REACH-002");
        assert_eq!(r.suppressed[0].reason, "kept for HK press");
        assert_eq!(r.findings.len(), before - 1);
        assert!(
            r.findings.iter().any(|f| f.rule_id == "REACH-001"),
            "expired entry no longer suppresses"
        );
        assert_eq!(r.expired_suppressions, vec![expired]);
        assert_eq!(r.stale_suppressions, vec![stale]);
        assert_eq!(r.summary().suppressed, 1);
    }
}
