//! `wxaudit.toml`: profile, rule overrides, suppressions, output directory and fail threshold for
//! scheduled audits, so a cron line is one short command.
//!
//! ```toml
//! # wxaudit.toml (in the directory the audit runs from, or passed with --config)
//! profile = "profile.toml"        # a profile file, or inline:
//! # [profile]
//! # targets = ["CN", "HK"]
//! # entities = ["Acme Tea (Shanghai) Co., Ltd."]
//! rules = "rules-overrides.toml"
//! suppressions = "accepted-risks.toml"
//! output = "reports/"             # a directory: audit-YYYY-MM-DD.{json,csv,md} + latest.json
//! baseline = "auto"               # or a saved report's path
//! fail_on = "high"
//! fail_on_new = true
//! format = "md"                   # for stdout when output is not set
//! sheet = "Accounts"               # workbooks: the sheet to read
//! header_row = 3                   # the header's line/row when it is not found by itself
//! fill_down = false                # do not fill grouped brand/entity columns down
//! max_input_size = "4G"            # read inventories up to this size (default 1G; 0 = no limit)
//!
//! [columns]                        # headers wxaudit does not know, and what they are
//! "Admin Portal" = "portal"
//! "负责人" = "admin"
//! "Internal code" = "ignore"
//! ```
//!
//! Why its own module: command-line flags always win over the file, and paths in the file are
//! relative to the file's own directory (so `--config /etc/wxaudit/acme.toml` works from any
//! working directory). Unknown keys are errors, so a typo never silently changes an audit.

use crate::model::Severity;
use crate::report::Format;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "wxaudit.toml";

/// The company profile as configured: a file, or inline targets/entities.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileConfig {
    pub file: Option<PathBuf>,
    pub targets: Vec<String>,
    pub entities: Vec<String>,
}

/// A loaded configuration; every path is already resolved against the file's directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from.
    pub path: PathBuf,
    pub profile: ProfileConfig,
    pub rules: Option<PathBuf>,
    pub suppressions: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// `"auto"` or a path (resolved).
    pub baseline: Option<String>,
    pub fail_on: Option<Severity>,
    pub fail_on_new: Option<bool>,
    pub format: Option<Format>,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    pub header_row: Option<u64>,
    pub fill_down: Option<bool>,
    /// Bytes an input may hold (`max_input_size`, 0 = no limit).
    pub max_input_size: Option<u64>,
    /// `[columns]`: header as written → column (or `ignore`).
    pub columns: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    profile: Option<RawProfile>,
    rules: Option<PathBuf>,
    suppressions: Option<PathBuf>,
    output: Option<PathBuf>,
    baseline: Option<String>,
    fail_on: Option<Severity>,
    fail_on_new: Option<bool>,
    format: Option<Format>,
    encoding: Option<String>,
    delimiter: Option<String>,
    sheet: Option<toml::Value>,
    header_row: Option<i64>,
    fill_down: Option<bool>,
    max_input_size: Option<toml::Value>,
    columns: Option<toml::Table>,
}

/// The keys of [`RawConfig`], for "did you mean" on a typo.
const KEYS: [&str; 15] = [
    "profile",
    "rules",
    "suppressions",
    "output",
    "baseline",
    "fail_on",
    "fail_on_new",
    "format",
    "encoding",
    "delimiter",
    "sheet",
    "header_row",
    "fill_down",
    "max_input_size",
    "columns",
];

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawProfile {
    File(PathBuf),
    Inline(toml::Table),
}

/// A configuration file that could not be used; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Loads `explicit` (must exist), else `wxaudit.toml` in the working directory if there is one.
pub fn load(explicit: Option<&Path>) -> Result<Option<Config>, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(DEFAULT_FILE);
            if !p.is_file() {
                return Ok(None);
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
        path: path.clone(),
        source,
    })?;
    parse(&text, &path).map(Some)
}

fn list(t: &toml::Table, key: &str, path: &Path) -> Result<Vec<String>, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    match t.get(key) {
        None => Ok(Vec::new()),
        Some(toml::Value::String(s)) => Ok(s
            .split([',', ';'])
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()),
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(|s| s.trim().to_string())
                    .ok_or_else(|| invalid(format!("[profile] {key}: every item must be text")))
            })
            .collect(),
        Some(_) => Err(invalid(format!(
            "[profile] {key} must be a list of text, e.g. [\"CN\", \"HK\"]"
        ))),
    }
}

/// Parses config text; `path` is used in messages and to resolve relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    // Unknown keys first, by name and with the closest known one (serde's own message lists
    // every field but not which one was meant).
    if let Ok(table) = text.parse::<toml::Table>() {
        if let Some(k) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(invalid(crate::did_you_mean::unknown("key", k, &KEYS)));
        }
    }
    let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string().trim_end().to_string(),
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
    let profile = match raw.profile {
        None => ProfileConfig::default(),
        Some(RawProfile::File(f)) => ProfileConfig {
            file: Some(resolve(f)),
            ..ProfileConfig::default()
        },
        Some(RawProfile::Inline(t)) => {
            const KEYS: [&str; 4] = ["targets", "entities", "legal_entities", "file"];
            if let Some(k) = t.keys().find(|k| !KEYS.contains(&k.as_str())) {
                return Err(invalid(format!(
                    "{} in [profile]",
                    crate::did_you_mean::unknown("key", k, &KEYS)
                )));
            }
            let mut entities = list(&t, "entities", path)?;
            entities.extend(list(&t, "legal_entities", path)?);
            let file = match t.get("file") {
                None => None,
                Some(toml::Value::String(s)) => Some(resolve(PathBuf::from(s))),
                Some(_) => {
                    return Err(ConfigError::Invalid {
                        path: path.to_path_buf(),
                        message: "[profile] file must be a path".into(),
                    })
                }
            };
            ProfileConfig {
                file,
                targets: list(&t, "targets", path)?
                    .into_iter()
                    .map(|s| s.to_uppercase())
                    .collect(),
                entities,
            }
        }
    };
    let baseline = raw.baseline.map(|b| {
        if b.eq_ignore_ascii_case("auto") {
            "auto".to_string()
        } else {
            resolve(PathBuf::from(b)).display().to_string()
        }
    });
    let mut columns = Vec::new();
    for (k, v) in raw.columns.unwrap_or_default() {
        match v {
            toml::Value::String(c) => columns.push((k, c)),
            _ => {
                return Err(ConfigError::Invalid {
                    path: path.to_path_buf(),
                    message: format!(
                        "[columns] \"{k}\" must name a column as text, e.g. \"{k}\" = \"portal\" (or \"ignore\")"
                    ),
                })
            }
        }
    }
    // The mapping itself is checked where it is used (import), with the same message as
    // --column; check the column names here too so a typo fails before a long import.
    if let Err(e) = crate::import::Overrides::parse(&columns, "[columns]") {
        return Err(ConfigError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        });
    }
    let max_input_size = match raw.max_input_size {
        None => None,
        Some(v) => {
            let parsed = match &v {
                toml::Value::String(s) => crate::import::source::parse_size(s),
                toml::Value::Integer(n) if *n >= 0 => Ok(*n as u64),
                _ => Err(format!("`{v}` is not a size")),
            };
            Some(parsed.map_err(|e| ConfigError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "max_input_size: {e}; write e.g. max_input_size = \"4G\" (0 means no limit)"
                ),
            })?)
        }
    };
    let sheet =
        match raw.sheet {
            None => None,
            Some(toml::Value::String(s)) => Some(s),
            Some(toml::Value::Integer(n)) => Some(n.to_string()),
            Some(_) => return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message:
                    "sheet must be a sheet name or number, e.g. sheet = \"Accounts\" or sheet = 2"
                        .into(),
            }),
        };
    let header_row = match raw.header_row {
        None => None,
        Some(n) if n >= 1 => Some(n.unsigned_abs()),
        Some(n) => {
            return Err(invalid(format!(
                "header_row = {n} is not allowed: write the header's line or row number, 1 or more \
                 (header_row = 1 is the first line)"
            )))
        }
    };
    Ok(Config {
        path: path.to_path_buf(),
        sheet,
        header_row,
        fill_down: raw.fill_down,
        max_input_size,
        columns,
        profile,
        rules: raw.rules.map(resolve),
        suppressions: raw.suppressions.map(resolve),
        output: raw.output.map(|o| {
            // Keep a trailing slash: it says "this is a directory" even before it exists.
            let dir = o.to_string_lossy().ends_with('/');
            let r = resolve(o);
            if dir && !r.to_string_lossy().ends_with('/') {
                PathBuf::from(format!("{}/", r.display()))
            } else {
                r
            }
        }),
        baseline,
        fail_on: raw.fail_on,
        fail_on_new: raw.fail_on_new,
        format: raw.format,
        encoding: raw.encoding,
        delimiter: raw.delimiter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key_and_resolves_paths_next_to_the_file() {
        let c = parse(
            r#"
profile = "profile.toml"
rules = "rules.toml"
suppressions = "accepted.toml"
output = "reports/"
baseline = "auto"
fail_on = "medium"
fail_on_new = true
format = "md"
"#,
            Path::new("/etc/wxaudit/acme.toml"),
        )
        .unwrap();
        assert_eq!(
            c.profile.file,
            Some(PathBuf::from("/etc/wxaudit/profile.toml"))
        );
        assert_eq!(c.rules, Some(PathBuf::from("/etc/wxaudit/rules.toml")));
        assert_eq!(
            c.suppressions,
            Some(PathBuf::from("/etc/wxaudit/accepted.toml"))
        );
        assert_eq!(c.output, Some(PathBuf::from("/etc/wxaudit/reports/")));
        assert_eq!(c.baseline.as_deref(), Some("auto"));
        assert_eq!(c.fail_on, Some(Severity::Medium));
        assert_eq!(c.fail_on_new, Some(true));
        assert_eq!(c.format, Some(Format::Md));
    }

    #[test]
    fn columns_table_is_read_and_checked() {
        let c = parse(
            "[columns]\n\"Admin Portal\" = \"portal\"\n\"负责人\" = \"admin\"\n",
            Path::new("/etc/wx/wxaudit.toml"),
        )
        .unwrap();
        assert_eq!(
            c.columns,
            [
                ("Admin Portal".to_string(), "portal".to_string()),
                ("负责人".to_string(), "admin".to_string())
            ]
        );
        let e = parse("[columns]\nOwner = \"teleport\"\n", Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("w.toml: [columns]"), "{e}");
        assert!(e.contains("`teleport` is not a column"), "{e}");
    }

    #[test]
    fn inline_profile() {
        let c = parse(
            "[profile]\ntargets = [\"cn\", \"HK\"]\nentities = [\"Acme Tea Ltd.\"]\n",
            Path::new("wxaudit.toml"),
        )
        .unwrap();
        assert_eq!(c.profile.targets, vec!["CN", "HK"]);
        assert_eq!(c.profile.entities, vec!["Acme Tea Ltd."]);
        assert_eq!(c.profile.file, None);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_clear_errors() {
        let e = parse("fail_onn = \"high\"\n", Path::new("wxaudit.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("wxaudit.toml: ") && e.contains("fail_onn"),
            "{e}"
        );
        let e = parse("fail_on = \"hihg\"\n", Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("hihg"), "{e}");
        let e = parse("[profile]\ntarget = [\"CN\"]\n", Path::new("w.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("unknown key `target` (did you mean `targets`?"),
            "{e}"
        );
        assert!(e.contains("in [profile]"), "{e}");
    }

    #[test]
    fn explicit_missing_file_is_an_error_absent_default_is_not() {
        let e = load(Some(Path::new("/no/such/wxaudit.toml"))).unwrap_err();
        assert!(e.to_string().contains("/no/such/wxaudit.toml"));
    }
}
