//! The core modules depend one way (DESIGN.md, issue 10): `model` on nothing else in the crate;
//! `import`, `classify`, `knowledge` and `identity` on nothing above them (rules, audit, reports,
//! suppressions, baselines, the front ends). These modules live in the core crate
//! (`crates/wxaudit-core`), where an upward import would be a cycle to untangle.
//!
//! And the core crate depends on no terminal or CLI crate (ratatui, crossterm, clap, indicatif,
//! anyhow, signal-hook, nucleo, …): [`the_core_crate_depends_on_no_terminal_or_cli_crate`] asks
//! `cargo tree` (offline: every crate it names is already downloaded by the build that runs this
//! test, or by `cargo fetch`).
//!
//! How: a plain text scan of the modules' source files for `crate::…` paths (`use` lines and
//! paths written inline, grouped `use crate::{a, b}` included). Comments and doc comments are not
//! code and are skipped (a doc link to a module above is fine). Test-only code — a `#[cfg(test)]`
//! item, and the file of a `#[cfg(test)] mod x;` — is skipped too: a test may cross layers (e.g.
//! `classify`'s tests run the audit with a rules file) without making the module depend on it.
//! The scan relies on rustfmt's layout (a `#[cfg(test)]` item's closing `}` at its own indent).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Where the core library's modules are.
const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/wxaudit-core/src");

/// Crates only the front ends (crates/wxaudit-tui, the binary) may depend on; a crate of the same
/// family (`clap_builder`, `signal-hook-registry`, `nucleo-matcher`, …) counts too.
const FRONT_END_CRATES: &[&str] = &[
    "ratatui",
    "crossterm",
    "clap",
    "clap_complete",
    "indicatif",
    "anyhow",
    "is-terminal",
    "signal-hook",
    "nucleo",
];

/// Modules that the core modules below must never import: everything that runs, renders or
/// fronts an audit.
const ABOVE_THE_CORE: &[&str] = &[
    "rules",
    "audit",
    "report",
    "suppress",
    "tui",
    "cli",
    "pipeline",
    "baseline",
    "diff",
    "reachability",
];

/// One import of a module from the scanned text: the line (1-based) and the module it names.
#[derive(Debug, PartialEq, Eq)]
struct Import {
    line: usize,
    module: String,
}

/// The non-test code of `src`, with comments blanked, and the names of its test-only `mod x;`.
fn code_of(src: &str) -> (String, Vec<String>) {
    let mut code = String::new();
    let mut test_mods = Vec::new();
    let mut lines = src.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            // Skip the item it applies to (keeping the line count: an empty line for each).
            code.push('\n');
            let indent = &line[..line.len() - trimmed.len()];
            while let Some(item) = lines.next() {
                code.push('\n');
                let t = item.trim();
                if t.starts_with("#[") {
                    continue;
                }
                if let Some(name) = t
                    .strip_prefix("mod ")
                    .or_else(|| t.strip_prefix("pub mod "))
                    .or_else(|| t.strip_prefix("pub(crate) mod "))
                    .and_then(|rest| rest.strip_suffix(';'))
                {
                    test_mods.push(name.trim().to_string());
                    break;
                }
                // A one-line item (`use …;`, `fn f() {}`), or a block up to the `}` at the
                // attribute's indent.
                if !(t.ends_with(';') || t.ends_with('}')) {
                    for rest in lines.by_ref() {
                        code.push('\n');
                        if rest
                            .strip_prefix(indent)
                            .is_some_and(|r| r.starts_with('}'))
                        {
                            break;
                        }
                    }
                }
                break;
            }
            continue;
        }
        let no_comment = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        code.push_str(no_comment);
        code.push('\n');
    }
    (code, test_mods)
}

/// Every crate module the non-test code of `src` names through a `crate::` path.
fn imports(src: &str) -> (Vec<Import>, Vec<String>) {
    let (code, test_mods) = code_of(src);
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let line_at = |pos: usize| code[..pos].matches('\n').count() + 1;
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let at = from + i;
        from = at + "crate::".len();
        // `$crate::` (macros) and `my_crate::` are other paths.
        if at > 0 && matches!(bytes[at - 1], b'$' | b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9')
        {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::X, b};` — each top-level entry's first segment.
            let mut depth = 0;
            let mut start = 0;
            let mut entries = Vec::new();
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        entries.push((start, &group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        entries.push((start, &group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
            for (offset, entry) in entries {
                let lead = entry.len() - entry.trim_start().len();
                let name = first_segment(entry.trim_start());
                if !name.is_empty() && name != "self" {
                    found.push(Import {
                        line: line_at(from + 1 + offset + lead),
                        module: name.to_string(),
                    });
                }
            }
        } else {
            let name = first_segment(rest);
            if !name.is_empty() {
                found.push(Import {
                    line: line_at(at),
                    module: name.to_string(),
                });
            }
        }
    }
    (found, test_mods)
}

fn first_segment(path: &str) -> &str {
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(path.len());
    &path[..end]
}

/// The source files of module `name`: `src/name.rs` and everything under `src/name/`, without
/// the files of test-only modules.
fn module_files(name: &str) -> Vec<PathBuf> {
    let file = Path::new(SRC).join(format!("{name}.rs"));
    let dir = Path::new(SRC).join(name);
    let mut files = Vec::new();
    if file.is_file() {
        files.push(file);
    }
    if dir.is_dir() {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d)
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display()));
            for entry in entries {
                let p = entry.expect("directory entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
    }
    assert!(
        !files.is_empty(),
        "module `{name}` not found: neither {SRC}/{name}.rs nor {SRC}/{name}/ exists — if the \
         module moved, point tests/tests/module_dependencies.rs (SRC) at its new place"
    );
    files.sort();
    // Files of `#[cfg(test)] mod x;` declared in a file of this module.
    let mut test_only = BTreeSet::new();
    for f in &files {
        let (_, mods) = imports(&read(f));
        // `a/mod.rs` declares its children in `a/`, `a/b.rs` (and `src/a.rs`) in `a/b/` (`src/a/`).
        let dir = if f.file_name().is_some_and(|n| n == "mod.rs") {
            f.parent().map(Path::to_path_buf)
        } else {
            Some(f.with_extension(""))
        };
        for m in mods {
            if let Some(d) = &dir {
                test_only.insert(d.join(format!("{m}.rs")));
                test_only.insert(d.join(&m).join("mod.rs"));
            }
        }
    }
    files.retain(|f| !test_only.contains(f));
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every import in module `name`'s files that `forbidden` rejects, as "file:line: message".
fn offending(name: &str, forbidden: &dyn Fn(&str) -> bool, why: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in module_files(name) {
        let shown = f.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&f);
        for i in imports(&read(&f)).0 {
            if forbidden(&i.module) {
                out.push(format!(
                    "{}:{}: `{name}` imports `crate::{}` — {why}",
                    shown.display(),
                    i.line,
                    i.module
                ));
            }
        }
    }
    out
}

#[test]
fn model_depends_on_no_other_module() {
    let bad = offending(
        "model",
        &|m| m != "model",
        "`model` is plain data and depends on nothing else in the crate; move what it needs \
         into `model` (or the conversion out of it)",
    );
    assert!(bad.is_empty(), "upward imports:\n{}", bad.join("\n"));
}

#[test]
fn core_modules_do_not_import_modules_above_them() {
    let mut bad = Vec::new();
    for core in ["accounts", "import", "classify", "knowledge", "identity"] {
        bad.extend(offending(
            core,
            &|m| ABOVE_THE_CORE.contains(&m),
            "the core modules must not depend on rules, the audit, reports, suppressions, \
             baselines or the front ends; move the shared piece down (into `model`, \
             `accounts`, `knowledge` or `identity`)",
        ));
    }
    assert!(bad.is_empty(), "upward imports:\n{}", bad.join("\n"));
}

#[test]
fn the_core_crate_depends_on_no_terminal_or_cli_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "wxaudit-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo tree failed:\n{stderr}");
    let tree = String::from_utf8_lossy(&out.stdout);
    // One crate a line: `name vX.Y.Z [(path)] [(*)]`.
    let names: BTreeSet<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        names.contains("wxaudit-core"),
        "unexpected cargo tree output:\n{tree}"
    );
    let front_end = |name: &str| {
        FRONT_END_CRATES.iter().any(|f| {
            name == *f
                || name
                    .strip_prefix(f)
                    .is_some_and(|rest| rest.starts_with(['-', '_']))
        })
    };
    let bad: Vec<&str> = names.iter().copied().filter(|n| front_end(n)).collect();
    assert!(
        bad.is_empty(),
        "wxaudit-core depends on terminal/CLI crates {bad:?} (`cargo tree -p wxaudit-core -e \
         normal -i CRATE` shows the path); they belong in crates/wxaudit-tui or the binary"
    );
}

#[test]
fn the_scan_reads_paths_and_skips_comments_and_test_code() {
    let src = "\
//! A doc link to [`crate::audit::Report`] is not an import.
use crate::model::{Account, Text};
use crate::{
    knowledge::Knowledge,
    report::{self, json},
};
fn f() -> usize {
    crate::rules::RULES.len() // and crate::tui in a comment
}
macro_rules! m { () => { $crate::x::y } }
#[cfg(test)]
mod tests {
    use crate::suppress::apply;
    fn g() {
        if true {
            crate::audit::run();
        }
    }
}
#[cfg(test)]
mod testutil;
fn h() {
    let _ = crate::diff::x;
}
";
    let (found, test_mods) = imports(src);
    let got: Vec<(usize, &str)> = found.iter().map(|i| (i.line, i.module.as_str())).collect();
    assert_eq!(
        got,
        [
            (2, "model"),
            (4, "knowledge"),
            (5, "report"),
            (8, "rules"),
            (23, "diff")
        ]
    );
    assert_eq!(test_mods, ["testutil"]);
}
