//! A user rules file (`--rules FILE`, TOML or JSON) that changes the catalogue and the knowledge
//! without recompiling.
//!
//! ```toml
//! disable = ["OWN-003"]                 # shorthand for enabled = false
//!
//! [rules."REACH-002"]
//! severity = "medium"                   # info | low | medium | high | critical
//! [rules."DATA-003"]
//! enabled = false
//!
//! [knowledge]
//! dormancy_days = 365                   # bare value: replaces the fact's value
//! verification_renewal_days = { value = 60, source = "our policy", confidence = "I" }
//! entity_limits = { individual = 1, enterprise = 5 }
//!
//! [knowledge.features.channels]         # one feature-matrix row (fields merge)
//! wechat = "no"                         # yes | no | limited | unknown
//!
//! [knowledge.wallet_regions.MYR]
//! local_payments_ended = 2024-09-01
//! [knowledge.wallet_regions.CNH]         # a new currency: region china = the China wallet
//! region = "china"
//! label = "offshore yuan"
//!
//! [knowledge.portals."admin.example.com"] # an admin-portal host and the platform it means
//! platform = "wechat"                   # weixin | wechat
//! note = "our agency's console"
//! ```
//!
//! Unknown top-level keys, unknown rule ids and unknown fields are errors that name the file and
//! the key: a typo must never silently leave a rule at its default. New feature ids, wallet
//! currencies and portal hosts may be added (they need `weixin`/`wechat`, `region`/`label`, resp.
//! `platform`/`note`). An overridden fact without its own `source` gets
//! `source = "rules file <path>"` and confidence `I`.

use super::{RuleSet, RulesError};
use crate::did_you_mean::unknown;
use crate::knowledge::{allowed_fields, Knowledge, NUMBER_RANGES};
use crate::model::Severity;
use serde_json::{Map, Value};
use std::path::Path;

/// The built-in rules with the overrides in `text` applied; `name` names it in messages and its
/// extension (`.json`, `.toml`) decides the form, else the content does (the fuzz targets use
/// this to read a rules file from memory).
pub fn parse_str(name: &str, text: &str) -> Result<RuleSet, RulesError> {
    let mut set = RuleSet::builtin();
    apply(&mut set, name, text, Path::new(name))?;
    Ok(set)
}

/// Applies the overrides in `text` (read from `name`) to `set`.
pub(crate) fn apply(
    set: &mut RuleSet,
    name: &str,
    text: &str,
    path: &Path,
) -> Result<(), RulesError> {
    let root = parse(name, text, path)?;
    let Value::Object(root) = root else {
        return Err(RulesError(format!(
            "{name}: a rules file must be a table (TOML) or an object (JSON)"
        )));
    };
    for (key, v) in &root {
        match key.as_str() {
            "rules" => apply_rules(set, name, v)?,
            "disable" => {
                let Value::Array(ids) = v else {
                    return Err(err(name, "disable", "must be a list of rule ids"));
                };
                for id in ids {
                    let Some(id) = id.as_str() else {
                        return Err(err(name, "disable", "must be a list of rule ids"));
                    };
                    rule_mut(set, name, "disable", id)?.enabled = false;
                }
            }
            "knowledge" => apply_knowledge(set, name, v)?,
            other => {
                return Err(RulesError(format!(
                    "{name}: {}",
                    unknown("key", other, &["rules", "disable", "knowledge"])
                )))
            }
        }
    }
    Ok(())
}

fn err(name: &str, key: &str, what: &str) -> RulesError {
    RulesError(format!("{name}: `{key}` {what}"))
}

fn parse(name: &str, text: &str, path: &Path) -> Result<Value, RulesError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    let json = |t: &str| {
        serde_json::from_str::<Value>(t).map_err(|e| {
            RulesError(format!(
                "{name}: not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
        })
    };
    let toml = |t: &str| {
        toml::from_str::<toml::Value>(t)
            .map(toml_to_json)
            .map_err(|e| RulesError(format!("{name}: not valid TOML: {e}")))
    };
    match ext.as_deref() {
        Some("json") => json(text),
        Some("toml") => toml(text),
        _ if text.trim_start().starts_with('{') => json(text),
        _ => toml(text),
    }
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn rule_mut<'a>(
    set: &'a mut RuleSet,
    name: &str,
    key: &str,
    id: &str,
) -> Result<&'a mut super::catalogue::RuleMeta, RulesError> {
    let Some(i) = set
        .rules()
        .iter()
        .position(|m| m.id.eq_ignore_ascii_case(id.trim()))
    else {
        let ids: Vec<&str> = set.rules().iter().map(|m| m.id.as_str()).collect();
        return Err(RulesError(format!(
            "{name}: `{key}`: {}; `wxaudit rules` lists them",
            unknown("rule id", id, &ids)
        )));
    };
    Ok(&mut set.rules_mut()[i])
}

fn apply_rules(set: &mut RuleSet, name: &str, v: &Value) -> Result<(), RulesError> {
    let Value::Object(rules) = v else {
        return Err(err(name, "rules", "must be a table of rule ids"));
    };
    for (id, spec) in rules {
        let key = format!("rules.{id}");
        let Value::Object(spec) = spec else {
            return Err(err(
                name,
                &key,
                "must be a table with severity and/or enabled",
            ));
        };
        let rule = rule_mut(set, name, "rules", id)?;
        for (field, val) in spec {
            match field.as_str() {
                "severity" => {
                    let sev = val.as_str().and_then(Severity::parse).ok_or_else(|| {
                        err(
                            name,
                            &format!("{key}.severity"),
                            &format!("must be info, low, medium, high or critical (got {val})"),
                        )
                    })?;
                    rule.severity = sev;
                }
                "enabled" => {
                    rule.enabled = val.as_bool().ok_or_else(|| {
                        err(name, &format!("{key}.enabled"), "must be true or false")
                    })?;
                }
                other => {
                    return Err(RulesError(format!(
                        "{name}: `{key}`: {}",
                        unknown("key", other, &["severity", "enabled"])
                    )))
                }
            }
        }
    }
    Ok(())
}

fn apply_knowledge(set: &mut RuleSet, name: &str, v: &Value) -> Result<(), RulesError> {
    let Value::Object(over) = v else {
        return Err(err(name, "knowledge", "must be a table"));
    };
    let mut cur =
        serde_json::to_value(set.knowledge()).map_err(|e| RulesError(format!("{name}: {e}")))?;
    let Some(cur_obj) = cur.as_object_mut() else {
        return Err(RulesError(format!(
            "{name}: internal: knowledge is not an object"
        )));
    };
    let provenance = format!("rules file {name}");
    for (section, val) in over {
        let key = format!("knowledge.{section}");
        let Some(fields) = allowed_fields(section) else {
            let known: Vec<&str> = cur_obj.keys().map(String::as_str).collect();
            return Err(RulesError(format!(
                "{name}: {}",
                unknown("key", &key, &known)
            )));
        };
        let slot = cur_obj.entry(section.clone()).or_insert(Value::Null);
        match section.as_str() {
            "features" | "wallet_regions" | "portals" => {
                let Value::Object(entries) = val else {
                    return Err(err(name, &key, "must be a table of entries"));
                };
                for (entry, ev) in entries {
                    let ekey = format!("{key}.{entry}");
                    let target = ensure_object(slot)
                        .entry(entry.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    merge_entry(name, &ekey, fields, ev, target, &provenance)?;
                }
            }
            "visibility" => {
                let Value::Object(audiences) = val else {
                    return Err(err(name, &key, "must be a table of audiences"));
                };
                for (aud, per) in audiences {
                    let Value::Object(per) = per else {
                        return Err(err(name, &format!("{key}.{aud}"), "must be a table"));
                    };
                    for (pf, ev) in per {
                        let ekey = format!("{key}.{aud}.{pf}");
                        let by_aud = ensure_object(slot)
                            .entry(aud.clone())
                            .or_insert_with(|| Value::Object(Map::new()));
                        let target = ensure_object(by_aud)
                            .entry(pf.clone())
                            .or_insert_with(|| Value::Object(Map::new()));
                        merge_entry(name, &ekey, fields, ev, target, &provenance)?;
                    }
                }
            }
            _ => {
                // A fact: `{value, source, as_of, confidence}` merges; anything else is the value.
                let is_fact_form = matches!(val, Value::Object(m)
                    if !m.is_empty() && m.keys().all(|k| fields.contains(&k.as_str()))
                        && m.contains_key("value"));
                if is_fact_form {
                    merge_entry(name, &key, fields, val, slot, &provenance)?;
                } else {
                    let obj = ensure_object(slot);
                    obj.insert("value".into(), val.clone());
                    obj.insert("source".into(), Value::String(provenance.clone()));
                    obj.insert("confidence".into(), Value::String("I".into()));
                }
            }
        }
    }
    check_ranges(name, &cur)?;
    let k: Knowledge =
        serde_json::from_value(cur).map_err(|e| RulesError(format!("{name}: knowledge: {e}")))?;
    let k = k.normalised();
    if let Some(problem) = k.inconsistency() {
        return Err(RulesError(format!("{name}: {problem}")));
    }
    *set.knowledge_mut() = k;
    Ok(())
}

/// Every number in [`NUMBER_RANGES`] is a whole number within its bounds (checked on the merged
/// knowledge, so a fact written in either form is caught).
fn check_ranges(name: &str, knowledge: &Value) -> Result<(), RulesError> {
    for &(key, lo, hi, unit) in NUMBER_RANGES {
        let (section, field) = key
            .split_once('.')
            .map_or((key, None), |(s, f)| (s, Some(f)));
        let mut v = &knowledge[section]["value"];
        if let Some(f) = field {
            v = &v[f];
        }
        if v.as_i64().is_some_and(|n| (lo..=hi).contains(&n)) {
            continue;
        }
        return Err(RulesError(format!(
            "{name}: `knowledge.{key}` = {v} is not allowed: write a whole number from {lo} to {hi} ({unit})"
        )));
    }
    Ok(())
}

fn ensure_object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("just made an object"),
    }
}

fn merge_entry(
    name: &str,
    key: &str,
    fields: &[&str],
    over: &Value,
    target: &mut Value,
    provenance: &str,
) -> Result<(), RulesError> {
    let Value::Object(over) = over else {
        return Err(err(
            name,
            key,
            &format!("must be a table with {}", fields.join(", ")),
        ));
    };
    let t = ensure_object(target);
    for (f, v) in over {
        if !fields.contains(&f.as_str()) {
            return Err(RulesError(format!(
                "{name}: `{key}`: {}",
                unknown("key", f, fields)
            )));
        }
        t.insert(f.clone(), v.clone());
    }
    if !over.contains_key("source") {
        t.insert("source".into(), Value::String(provenance.to_string()));
        if !over.contains_key("confidence") {
            t.insert("confidence".into(), Value::String("I".into()));
        }
    }
    if !t.contains_key("as_of") {
        t.insert(
            "as_of".into(),
            Value::String(chrono::Local::now().date_naive().to_string()),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Availability;
    use std::io::Write;

    fn write(ext: &str, text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new()
            .suffix(ext)
            .tempfile()
            .expect("temp file");
        f.write_all(text.as_bytes()).expect("write");
        f
    }

    #[test]
    fn toml_changes_severity_disables_and_changes_knowledge() {
        let f = write(
            ".toml",
            r#"
disable = ["OWN-003"]
[rules."REACH-002"]
severity = "medium"
[rules.data-003]
enabled = false
[knowledge]
dormancy_days = 365
entity_limits = { individual = 1, enterprise = 5 }
[knowledge.features.channels]
wechat = "no"
[knowledge.wallet_regions.MYR]
local_payments_ended = 2025-01-01
[knowledge.wallet_regions.THB]
region = "foreign"
label = "Thai baht wallet"
"#,
        );
        let set = RuleSet::with_overrides(f.path()).expect("valid overrides");
        let r = set.explain("REACH-002").expect("rule");
        assert_eq!(r.severity, Severity::Medium);
        assert!(!set.explain("OWN-003").expect("rule").enabled);
        assert!(!set.explain("DATA-003").expect("rule").enabled);
        let k = set.knowledge();
        assert_eq!(k.dormancy_days.value, 365);
        assert!(k.dormancy_days.source.contains("rules file"));
        assert_eq!(k.entity_limits.value.enterprise, 5);
        assert_eq!(k.features["channels"].wechat, Availability::No);
        // Untouched fields of a merged row stay.
        assert_eq!(k.features["channels"].weixin, Availability::Yes);
        assert_eq!(
            k.wallet_regions["MYR"]
                .local_payments_ended
                .map(|d| d.to_string()),
            Some("2025-01-01".into())
        );
        assert_eq!(k.wallet_regions["THB"].region, "foreign");
    }

    #[test]
    fn json_overrides_work_too() {
        let f = write(
            ".json",
            r#"{"rules": {"VER-001": {"severity": "high"}},
                "knowledge": {"verification_renewal_days": {"value": 30, "source": "policy"}}}"#,
        );
        let set = RuleSet::with_overrides(f.path()).expect("valid");
        assert_eq!(
            set.explain("VER-001").map(|r| r.severity),
            Some(Severity::High)
        );
        assert_eq!(set.knowledge().verification_renewal_days.value, 30);
        assert_eq!(set.knowledge().verification_renewal_days.source, "policy");
    }

    fn error_of(ext: &str, text: &str) -> String {
        let f = write(ext, text);
        match RuleSet::with_overrides(f.path()) {
            Ok(_) => panic!("expected an error for {text}"),
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    msg.contains(&f.path().display().to_string()),
                    "error names the file: {msg}"
                );
                msg
            }
        }
    }

    #[test]
    fn unknown_ids_and_keys_are_errors_naming_file_and_key() {
        assert!(
            error_of(".toml", "[rules.\"REACH-999\"]\nseverity = \"low\"\n").contains("REACH-999")
        );
        assert!(
            error_of(".toml", "[rules.\"REACH-001\"]\nsevrity = \"low\"\n").contains("sevrity")
        );
        assert!(
            error_of(".toml", "[rules.\"REACH-001\"]\nseverity = \"urgent\"\n")
                .contains("severity")
        );
        assert!(error_of(".toml", "[knowledge]\ndormant_days = 3\n").contains("dormant_days"));
        assert!(
            error_of(".toml", "[knowledge.features.channels]\nwechatt = \"no\"\n")
                .contains("wechatt")
        );
        assert!(error_of(
            ".toml",
            "[knowledge.features.channels]\nwechat = \"maybe\"\n"
        )
        .contains("maybe"));
        assert!(error_of(".toml", "severity_of = 1\n").contains("severity_of"));
        assert!(error_of(".json", "{\"disable\": [\"X-1\"]}").contains("X-1"));
        assert!(error_of(".json", "{not json").contains("not valid JSON"));
    }

    #[test]
    fn portals_and_phone_codes_are_facts_a_rules_file_can_change() {
        let f = write(
            ".toml",
            r#"
[knowledge]
weixin_phone_codes = { value = ["86"], source = "our policy" }
[knowledge.portals."admin.example.com"]
platform = "wechat"
note = "agency console"
"#,
        );
        let set = RuleSet::with_overrides(f.path()).expect("valid");
        let k = set.knowledge();
        let p = k.portal("admin.example.com").expect("new portal");
        assert_eq!(p.platform, crate::model::Platform::Wechat);
        assert!(p.source.contains("rules file"));
        assert_eq!(k.weixin_phone_codes.source, "our policy");
        assert!(
            k.portal("mp.weixin.qq.com").is_some(),
            "built-in hosts stay"
        );
        // Typos are errors, never a silently ignored host.
        assert!(error_of(
            ".toml",
            "[knowledge.portals.\"a.example.com\"]\nplatfrom = \"wechat\"\n"
        )
        .contains("platfrom"));
        assert!(error_of(
            ".toml",
            "[knowledge.portals.\"a.example.com\"]\nplatform = \"wexin\"\nnote = \"x\"\n"
        )
        .contains("wexin"));
        // A new host needs its platform and note.
        assert!(error_of(
            ".toml",
            "[knowledge.portals.\"a.example.com\"]\nplatform = \"wechat\"\n"
        )
        .contains("note"));
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let e = RuleSet::with_overrides(Path::new("/nonexistent/rules.toml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("/nonexistent/rules.toml"));
    }
}
