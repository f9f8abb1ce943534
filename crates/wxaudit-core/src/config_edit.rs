//! Saving the user's header mappings into `wxaudit.toml` without disturbing the rest of it.
//!
//! A mapping chosen in the TUI ("Acct Type" is `type`) belongs in the `[columns]` table of the
//! configuration file, so the next audit — interactive or scheduled — reads the file the same way.
//! That file is the user's: it has comments, other settings and an order they chose. So it is
//! edited with `toml_edit`, which keeps all of that, and only entries of `[columns]` are set,
//! replaced or removed. The file is written atomically ([`crate::atomic::write_file`]): a failed
//! save never leaves half a configuration behind.
//!
//! Keys are headers as written (quoted as TOML needs: `"Acct Type"`, `"负责人"`); an existing key
//! that names the same header in another spelling (`acct_type`, which the importer folds to the
//! same header) is replaced, so one header never has two mappings.

use crate::config::ConfigError;
use crate::import::headers::fold_header;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Table, Value};

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedColumns {
    /// The file written (a symbolic link's target when the path was a link).
    pub path: PathBuf,
    /// The file did not exist before.
    pub created: bool,
    /// Entries set or replaced.
    pub set: usize,
    /// Entries removed.
    pub removed: usize,
}

/// Sets `set` (header as written → column name or `ignore`) in the `[columns]` table of the
/// TOML file at `path` and removes the entries for the headers in `remove`, keeping every other
/// key, table and comment. Creates the file (and the table) when missing. Refuses a path that
/// exists but is not a regular file, and a file that is not valid TOML (it is left unchanged).
pub fn save_columns(
    path: &Path,
    set: &[(String, String)],
    remove: &[String],
) -> Result<SavedColumns, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let io = |source: std::io::Error| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A link to the configuration stays a link: write the file it points to.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(t) => t,
            Err(e) => {
                return Err(invalid(format!(
                    "is a symbolic link to a file that cannot be reached ({e}); not saved"
                )))
            }
        },
        _ => path.to_path_buf(),
    };
    let (text, created) = match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => (std::fs::read_to_string(&target).map_err(io)?, false),
        Ok(m) => {
            let what = if m.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            };
            return Err(invalid(format!(
                "is {what}, not a configuration file; the mappings were not saved (give a file with --config)"
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (String::new(), true),
        Err(e) => return Err(io(e)),
    };
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        invalid(format!(
            "is not valid TOML, so the mappings were not saved (the file is unchanged): {}",
            e.to_string().trim_end()
        ))
    })?;
    let (n_set, n_removed) = edit(&mut doc, set, remove).map_err(invalid)?;
    let out = doc.to_string();
    crate::atomic::write_file(&target, |w| w.write_all(out.as_bytes())).map_err(|source| {
        ConfigError::Io {
            path: target.clone(),
            source,
        }
    })?;
    Ok(SavedColumns {
        path: target,
        created,
        set: n_set,
        removed: n_removed,
    })
}

/// The edit itself, on a parsed document: (entries set, entries removed).
fn edit(
    doc: &mut DocumentMut,
    set: &[(String, String)],
    remove: &[String],
) -> Result<(usize, usize), String> {
    if !doc.contains_key("columns") {
        if set.is_empty() {
            return Ok((0, 0));
        }
        let mut t = Table::new();
        t.set_implicit(false);
        doc.insert("columns", Item::Table(t));
    }
    let table = doc["columns"].as_table_like_mut().ok_or_else(|| {
        "`columns` is not a table; write it as [columns] with \"HEADER\" = \"column\" lines"
            .to_string()
    })?;
    let mut removed = 0;
    for header in remove {
        let key = fold_header(header);
        let same: Vec<String> = table
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| fold_header(k) == key)
            .collect();
        for k in same {
            table.remove(&k);
            removed += 1;
        }
    }
    for (header, column) in set {
        let header = header.trim();
        let key = fold_header(header);
        // Another spelling of the same header: replaced, so the header has one mapping.
        let others: Vec<String> = table
            .iter()
            .map(|(k, _)| k.to_string())
            .filter(|k| k != header && fold_header(k) == key)
            .collect();
        for k in others {
            table.remove(&k);
        }
        match table.get_mut(header) {
            Some(item) => match item.as_value_mut() {
                // Keep the entry's place and any comment after it.
                Some(v) => {
                    let decor = v.decor().clone();
                    *v = Value::from(column.as_str());
                    *v.decor_mut() = decor;
                }
                None => *item = toml_edit::value(column.as_str()),
            },
            None => {
                table.insert(header, toml_edit::value(column.as_str()));
            }
        }
    }
    Ok((set.len(), removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn keeps_comments_and_other_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wxaudit.toml");
        let before = "# Acme's scheduled audit\nfail_on = \"high\" # page someone\n\n[profile]\ntargets = [\"CN\", \"HK\"]\n\n[columns]\n# from the agency's sheet\n\"Admin Portal\" = \"portal\"\n";
        std::fs::write(&p, before).unwrap();
        let s = save_columns(&p, &pairs(&[("Acct Type", "type")]), &[]).unwrap();
        assert_eq!((s.created, s.set, s.removed), (false, 1, 0));
        let after = std::fs::read_to_string(&p).unwrap();
        assert!(after.starts_with(before), "{after}");
        assert!(after.ends_with("\"Admin Portal\" = \"portal\"\n\"Acct Type\" = \"type\"\n"));
        // What the tool reads back.
        let c = crate::config::parse(&after, &p).unwrap();
        assert_eq!(
            c.columns,
            pairs(&[("Acct Type", "type"), ("Admin Portal", "portal")])
        );
        assert_eq!(c.profile.targets, vec!["CN", "HK"]);
    }

    #[test]
    fn replaces_an_existing_mapping_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wxaudit.toml");
        std::fs::write(
            &p,
            "[columns]\n\"负责人\" = \"operators\" # wrong, see ticket\nacct_type = \"kind\"\nNotes = \"notes\"\n",
        )
        .unwrap();
        save_columns(
            &p,
            &pairs(&[("负责人", "admin"), ("Acct Type", "type")]),
            &[],
        )
        .unwrap();
        let after = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            after,
            "[columns]\n\"负责人\" = \"admin\" # wrong, see ticket\nNotes = \"notes\"\n\"Acct Type\" = \"type\"\n"
        );
        // Removing a mapping removes every spelling of its header.
        let s = save_columns(&p, &[], &["NOTES".to_string()]).unwrap();
        assert_eq!(s.removed, 1);
        assert!(!std::fs::read_to_string(&p).unwrap().contains("Notes"));
    }

    #[test]
    fn creates_the_file_and_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wxaudit.toml");
        let s = save_columns(
            &p,
            &pairs(&[("Acct Type", "type"), ("内部编号", "ignore")]),
            &[],
        )
        .unwrap();
        assert!(s.created);
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "[columns]\n\"Acct Type\" = \"type\"\n\"内部编号\" = \"ignore\"\n"
        );
        // A file without the table gets one at the end; its settings stay.
        std::fs::write(&p, "# settings\nformat = \"md\"\n").unwrap();
        let s = save_columns(&p, &pairs(&[("Acct Type", "type")]), &[]).unwrap();
        assert!(!s.created);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("# settings\nformat = \"md\"\n"), "{text}");
        assert!(
            text.contains("[columns]\n\"Acct Type\" = \"type\"\n"),
            "{text}"
        );
        crate::config::parse(&text, &p).unwrap();
    }

    #[test]
    fn refuses_a_path_that_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = save_columns(dir.path(), &pairs(&[("A", "type")]), &[]).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("is a directory"), "{msg}");
        assert!(msg.contains("not saved"), "{msg}");
        // A missing folder is an error naming the file, not a panic.
        let p = dir.path().join("no/such/wxaudit.toml");
        let e = save_columns(&p, &pairs(&[("A", "type")]), &[]).unwrap_err();
        assert!(e.to_string().contains("no/such/wxaudit.toml"), "{e}");
    }

    #[test]
    fn refuses_invalid_toml_and_a_columns_key_that_is_not_a_table() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wxaudit.toml");
        std::fs::write(&p, "fail_on = \n").unwrap();
        let e = save_columns(&p, &pairs(&[("A", "type")]), &[]).unwrap_err();
        assert!(e.to_string().contains("not valid TOML"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "fail_on = \n");
        std::fs::write(&p, "columns = \"type\"\n").unwrap();
        let e = save_columns(&p, &pairs(&[("A", "type")]), &[]).unwrap_err();
        assert!(e.to_string().contains("`columns` is not a table"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("shared.toml");
        std::fs::write(&real, "format = \"md\"\n").unwrap();
        let link = dir.path().join("wxaudit.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save_columns(&link, &pairs(&[("Acct Type", "type")]), &[]).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(std::fs::read_to_string(&real)
            .unwrap()
            .contains("\"Acct Type\" = \"type\""));
    }
}
