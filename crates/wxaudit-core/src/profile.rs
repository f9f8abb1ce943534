//! The company profile: target markets, legal entities and planned features, from the command
//! line, a profile file (JSON or TOML), the JSON inventory's `company` object, or inferred from the
//! accounts' audiences — in that order.
//!
//! Command-line pieces merge over the file's: `--target` replaces the targets, `--entity` (when
//! given) replaces the legal entities. When no source names any target, the targets are the union
//! of the accounts' audiences and the source is [`ProfileSource::Inferred`] — the reach rules then
//! judge each brand only by its own accounts' audiences.

use crate::accounts::Accounts;
use crate::model::{Profile, ProfileSource};
use std::collections::BTreeSet;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// Command-line profile pieces.
#[derive(Debug, Clone, Default)]
pub struct ProfileArgs {
    /// `--target CN,HK` (already split).
    pub targets: Vec<String>,
    /// `--entity NAME` (repeatable).
    pub entities: Vec<String>,
    /// `--profile FILE`.
    pub file: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProfileError(pub String);

/// Normalises one target market: ISO upper case; 大陆/中国大陆/mainland → CN; 香港 → HK; 澳门 → MO;
/// 台湾 → TW; global/全球 → GLOBAL. A bare "China"/"中国" is ambiguous and rejected.
pub fn normalise_market(s: &str) -> Result<String, String> {
    let folded: String = s.nfkc().collect::<String>().trim().to_lowercase();
    let code = match folded.as_str() {
        "大陆" | "中国大陆" | "内地" | "mainland" | "mainland china" | "prc" => "CN",
        "香港" | "中国香港" | "hong kong" | "hongkong" => "HK",
        "澳门" | "中国澳门" | "macau" | "macao" => "MO",
        "台湾" | "中国台湾" | "taiwan" => "TW",
        "global" | "全球" | "worldwide" => "GLOBAL",
        "china" | "中国" => {
            return Err(format!(
                "\"{}\" is ambiguous: write CN (mainland), HK, MO or TW",
                s.trim()
            ))
        }
        _ => "",
    };
    if !code.is_empty() {
        return Ok(code.to_string());
    }
    let up = folded.to_uppercase();
    if up.len() == 2 && up.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(up)
    } else {
        Err(format!(
            "\"{}\" is not a market: use an ISO 3166-1 alpha-2 code such as CN, HK, US",
            s.trim()
        ))
    }
}

fn normalise_targets(targets: &[String], origin: &str) -> Result<Vec<String>, ProfileError> {
    let mut out: Vec<String> = Vec::new();
    for t in targets {
        if t.trim().is_empty() {
            continue;
        }
        let m = normalise_market(t).map_err(|e| ProfileError(format!("{origin}: targets: {e}")))?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

fn clean_list(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Keys of a profile (the inventory's `company` object).
const KEYS: [&str; 4] = ["name", "legal_entities", "targets", "planned_features"];

/// Loads a profile file (JSON or TOML, by extension or content).
pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ProfileError(format!("{name}: cannot read the profile file: {e}")))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    let json = match ext.as_deref() {
        Some("json") => Some(true),
        Some("toml") => Some(false),
        _ => None,
    };
    parse_str(&name, &text, json)
}

/// Parses profile text read from `name` (used in messages). `json`: the form, or `None` to tell
/// by the content (a `{` first means JSON). Every key is checked, so a typo is named rather
/// than silently leaving a setting at its default.
pub fn parse_str(name: &str, text: &str, json: Option<bool>) -> Result<Profile, ProfileError> {
    let text = text.trim_start_matches('\u{feff}');
    let fail = |m: String| ProfileError(format!("{name}: {m}"));
    let value: serde_json::Value = if json.unwrap_or_else(|| text.trim_start().starts_with('{')) {
        serde_json::from_str(text).map_err(|e| {
            fail(format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
        })?
    } else {
        toml::from_str(text)
            .map_err(|e| fail(format!("not valid TOML: {}", e.to_string().trim_end())))?
    };
    let serde_json::Value::Object(mut top) = value else {
        return Err(fail(format!(
            "a profile must be a table (TOML) or an object (JSON) with {}",
            KEYS.join(", ")
        )));
    };
    // `{"company": {...}}` (also a whole JSON inventory, whose `accounts` are not profile data).
    let (fields, prefix) = match top.remove("company") {
        Some(serde_json::Value::Object(c)) => {
            if let Some(k) = top.keys().find(|k| k.as_str() != "accounts") {
                return Err(fail(crate::did_you_mean::unknown(
                    "key",
                    k,
                    &["company", "accounts"],
                )));
            }
            (c, "company.")
        }
        Some(_) => {
            return Err(fail(format!(
                "`company` must be a table (TOML) or an object (JSON) with {}",
                KEYS.join(", ")
            )))
        }
        None => (top, ""),
    };
    for k in fields.keys() {
        if !KEYS.contains(&k.as_str()) {
            return Err(fail(crate::did_you_mean::unknown(
                "key",
                &format!("{prefix}{k}"),
                &KEYS,
            )));
        }
    }
    let list = |key: &str| -> Result<Vec<String>, ProfileError> {
        let items = match fields.get(key) {
            None | Some(serde_json::Value::Null) => return Ok(Vec::new()),
            Some(serde_json::Value::String(s)) => {
                s.split([',', ';', '、', '|']).map(str::to_string).collect()
            }
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| fail(format!("`{prefix}{key}`: every item must be text")))?,
            Some(_) => {
                return Err(fail(format!(
                    "`{prefix}{key}` must be a list of text, e.g. {key} = [\"…\", \"…\"]"
                )))
            }
        };
        Ok(clean_list(items))
    };
    let profile_name = match fields.get("name") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(n)) => Some(n.trim().to_string()).filter(|n| !n.is_empty()),
        Some(_) => return Err(fail(format!("`{prefix}name` must be text"))),
    };
    let mut planned_features = Vec::new();
    for f in list("planned_features")? {
        let id = crate::import::values::feature(&f).map_err(|e| {
            fail(format!(
                "`{prefix}planned_features`: \"{f}\" is not a feature id: {}",
                e.0
            ))
        })?;
        if !planned_features.iter().any(|x: &String| x == id.as_str()) {
            planned_features.push(id.to_string());
        }
    }
    Ok(Profile {
        name: profile_name,
        legal_entities: list("legal_entities")?,
        targets: normalise_targets(&list("targets")?, name)?,
        planned_features,
    })
}

/// Checks that every planned feature of a profile file is one the rules know (the built-in
/// feature matrix plus any a rules file added): a feature the rules do not know would never be
/// checked, so it is an error naming the file, the value and the allowed ids.
pub fn check_planned_features(
    profile: &Profile,
    args: &ProfileArgs,
    knowledge: &crate::knowledge::Knowledge,
) -> Result<(), ProfileError> {
    let Some(file) = &args.file else {
        return Ok(());
    };
    let known: Vec<&str> = knowledge.features.keys().map(String::as_str).collect();
    match profile
        .planned_features
        .iter()
        .find(|f| !known.contains(&f.as_str()))
    {
        None => Ok(()),
        Some(f) => Err(ProfileError(format!(
            "{}: `planned_features`: {}",
            file.display(),
            crate::did_you_mean::unknown("feature", f, &known)
        ))),
    }
}

/// Resolves the profile to audit against, and where it came from.
///
/// Precedence: command line > profile file > inventory `company` > inferred. Targets inferred from
/// the accounts' audiences (because no source named any) make the source `Inferred`.
pub fn resolve(
    args: &ProfileArgs,
    inventory_company: Option<&Profile>,
    accounts: &Accounts,
) -> Result<(Profile, ProfileSource), ProfileError> {
    let (mut profile, mut source) = if let Some(path) = &args.file {
        (load_file(path)?, Some(ProfileSource::ProfileFile))
    } else if let Some(c) = inventory_company {
        let mut p = c.clone();
        p.targets = normalise_targets(&p.targets, "inventory company object")?;
        p.legal_entities = clean_list(p.legal_entities);
        (p, Some(ProfileSource::Inventory))
    } else {
        (Profile::default(), None)
    };
    let cli_targets: Vec<String> = args
        .targets
        .iter()
        .flat_map(|t| t.split([',', ';']))
        .map(|t| t.to_string())
        .collect();
    let cli_targets = normalise_targets(&cli_targets, "--target")?;
    if !cli_targets.is_empty() {
        profile.targets = cli_targets;
        source = Some(ProfileSource::CommandLine);
    }
    let cli_entities = clean_list(args.entities.clone());
    if !cli_entities.is_empty() {
        profile.legal_entities = cli_entities;
        source = Some(ProfileSource::CommandLine);
    }
    if profile.targets.is_empty() {
        // The distinct audience lists, not every account's: a million accounts share a few.
        let union: BTreeSet<String> = accounts
            .audiences()
            .iter()
            .flat_map(|list| list.iter())
            .map(|m| m.trim().to_uppercase())
            .filter(|m| !m.is_empty() && m != "GLOBAL")
            .collect();
        profile.targets = union.into_iter().collect();
        source = Some(ProfileSource::Inferred);
    }
    Ok((profile, source.unwrap_or(ProfileSource::Inferred)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;
    use std::io::Write;

    fn file(ext: &str, text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new()
            .suffix(ext)
            .tempfile()
            .expect("temp");
        f.write_all(text.as_bytes()).expect("write");
        f
    }

    fn acct(aud: &[&str]) -> Account {
        Account {
            audience: aud.iter().map(|s| (*s).into()).collect(),
            ..Account::default()
        }
    }

    #[test]
    fn json_and_toml_profiles_load_with_targets_normalised() {
        let j = file(
            ".json",
            r#"{"name": "Acme", "legal_entities": ["Acme Tea Ltd."], "targets": ["cn", "中国大陆", "香港", "us"], "planned_features": ["payments"]}"#,
        );
        let p = load_file(j.path()).expect("json profile");
        assert_eq!(p.targets, vec!["CN", "HK", "US"]);
        assert_eq!(p.legal_entities, vec!["Acme Tea Ltd."]);
        let t = file(
            ".toml",
            "name = \"Acme\"\nlegal_entities = [\"A\", \"B\"]\ntargets = \"大陆, HK\"\n",
        );
        let p = load_file(t.path()).expect("toml profile");
        assert_eq!(p.targets, vec!["CN", "HK"]);
        assert_eq!(p.legal_entities.len(), 2);
        let w = file(".json", r#"{"company": {"targets": ["CN"]}}"#);
        assert_eq!(load_file(w.path()).expect("wrapped").targets, vec!["CN"]);
    }

    #[test]
    fn sample_profile_loads() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-data/acme-profile.toml");
        if path.exists() {
            let p = load_file(&path).expect("sample profile");
            assert!(p.targets.contains(&"CN".to_string()));
            assert!(!p.legal_entities.is_empty());
        }
    }

    #[test]
    fn bad_profiles_name_the_file_and_the_problem() {
        let f = file(".json", r#"{"targets": ["China"]}"#);
        let e = load_file(f.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains(&f.path().display().to_string()) && e.contains("ambiguous"),
            "{e}"
        );
        let f = file(".toml", "targetz = [\"CN\"]\n");
        let e = load_file(f.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(&f.path().display().to_string()), "{e}");
        let f = file(".json", "{\"targets\": [\"Atlantis\"]}");
        let e = load_file(f.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("Atlantis"), "{e}");
        let e = load_file(Path::new("/nonexistent/p.toml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("/nonexistent/p.toml"));
    }

    #[test]
    fn precedence_cli_over_file_over_inventory_over_inferred() {
        let accounts: crate::accounts::Accounts =
            vec![acct(&["US", "GLOBAL"]), acct(&["cn"])].into();
        // Inferred.
        let (p, s) = resolve(&ProfileArgs::default(), None, &accounts).expect("ok");
        assert_eq!(s, ProfileSource::Inferred);
        assert_eq!(p.targets, vec!["CN", "US"]);
        // Inventory company.
        let company = Profile {
            targets: vec!["大陆".into()],
            legal_entities: vec!["Acme".into()],
            ..Profile::default()
        };
        let (p, s) = resolve(&ProfileArgs::default(), Some(&company), &accounts).expect("ok");
        assert_eq!(
            (s, p.targets.clone()),
            (ProfileSource::Inventory, vec!["CN".to_string()])
        );
        // File beats inventory.
        let f = file(
            ".json",
            r#"{"targets": ["HK"], "legal_entities": ["File Co"]}"#,
        );
        let args = ProfileArgs {
            file: Some(f.path().to_path_buf()),
            ..ProfileArgs::default()
        };
        let (p, s) = resolve(&args, Some(&company), &accounts).expect("ok");
        assert_eq!(s, ProfileSource::ProfileFile);
        assert_eq!(p.targets, vec!["HK"]);
        // CLI targets replace the file's, entities stay from the file.
        let args = ProfileArgs {
            file: Some(f.path().to_path_buf()),
            targets: vec!["US,cn".into()],
            entities: vec![],
        };
        let (p, s) = resolve(&args, None, &accounts).expect("ok");
        assert_eq!(s, ProfileSource::CommandLine);
        assert_eq!(p.targets, vec!["US", "CN"]);
        assert_eq!(p.legal_entities, vec!["File Co"]);
        // CLI entities replace the file's.
        let args = ProfileArgs {
            file: Some(f.path().to_path_buf()),
            targets: vec![],
            entities: vec!["Cli Co".into()],
        };
        let (p, _) = resolve(&args, None, &accounts).expect("ok");
        assert_eq!(p.legal_entities, vec!["Cli Co"]);
        assert_eq!(p.targets, vec!["HK"]);
    }
}
