//! Refuses an output that is the same file as one of the run's inputs, so a report can never
//! replace the inventory (or the profile, rules, suppressions, config or a saved report) it was
//! built from.
//!
//! Why by identity: `x.csv`, `./x.csv`, a symbolic link and a hard link all spell the same file
//! differently. Two paths are the same file when they have the same device and inode
//! (`std::os::unix::fs::MetadataExt`). One check used by `audit`, `diff`, the `-o DIR/` set and the
//! TUI export.

use crate::pipeline::PipelineOptions;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The (device, inode) of the file `path` names (links followed), or None when it does not exist.
fn identity(path: &Path) -> Option<(u64, u64)> {
    let p = if path.as_os_str() == "-" {
        // Standard input redirected from a file (`< x.csv`) is that file.
        Path::new("/dev/stdin")
    } else {
        path
    };
    std::fs::metadata(p)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| (m.dev(), m.ino()))
}

/// True when `a` and `b` are the same existing regular file, however they are spelled.
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((identity(a), identity(b)), (Some(x), Some(y)) if x == y)
}

/// The files a run reads, each with what it is ("inventory", "baseline report", …).
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    files: Vec<(&'static str, PathBuf, (u64, u64))>,
}

impl Inputs {
    /// The inventory, profile, rules and suppressions of `opts`, and the config file if any.
    pub fn of(opts: &PipelineOptions, config: Option<&Path>) -> Inputs {
        let mut i = Inputs::default();
        i.add("inventory", &opts.input);
        if let Some(p) = &opts.profile.file {
            i.add("profile", p);
        }
        if let Some(p) = &opts.rules {
            i.add("rules file", p);
        }
        if let Some(p) = &opts.suppressions {
            i.add("suppressions file", p);
        }
        if let Some(p) = config {
            i.add("config file", p);
        }
        i
    }

    /// Adds an input (ignored when it does not exist: nothing to protect).
    pub fn add(&mut self, what: &'static str, path: &Path) {
        if let Some(id) = identity(path) {
            self.files.push((what, path.to_path_buf(), id));
        }
    }

    /// Removes `path` from the protected inputs (a file read in full before it is replaced on
    /// purpose, e.g. `latest.json` as the baseline of a report folder).
    pub fn allow(&mut self, path: &Path) {
        if let Some(id) = identity(path) {
            self.files.retain(|(_, _, i)| *i != id);
        }
    }

    /// An error message when `output` is one of the inputs; None when it may be written.
    pub fn clash(&self, output: &Path) -> Option<String> {
        let id = identity(output)?;
        let (what, p, _) = self.files.iter().find(|(_, _, i)| *i == id)?;
        let same = if p.as_path() == output {
            String::new()
        } else {
            format!(" {}", p.display())
        };
        let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned());
        let ext = output.extension().map(|s| s.to_string_lossy().into_owned());
        let example = format!(
            "{}-report.{}",
            stem.as_deref().unwrap_or("audit"),
            ext.as_deref().unwrap_or("csv")
        );
        Some(format!(
            "{}: this is the {what}{same} this run reads; writing the report there would \
             destroy it, so nothing was written. Choose another output name (e.g. {example})",
            output.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_links_symlinks_and_spellings_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join("x.csv");
        std::fs::write(&x, "id\n").unwrap();
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&x, &hard).unwrap();
        let soft = dir.path().join("soft.csv");
        std::os::unix::fs::symlink(&x, &soft).unwrap();
        let dotted = dir.path().join(".").join("x.csv");
        let other = dir.path().join("other.csv");
        std::fs::write(&other, "id\n").unwrap();
        let mut inputs = Inputs::default();
        inputs.add("inventory", &x);
        for p in [&x, &hard, &soft, &dotted] {
            let msg = inputs.clash(p).expect("refused");
            assert!(msg.contains("inventory"), "{msg}");
        }
        assert!(inputs.clash(&other).is_none());
        assert!(inputs.clash(&dir.path().join("new.csv")).is_none());
        inputs.allow(&soft);
        assert!(inputs.clash(&x).is_none());
    }
}
