//! Where an inventory's bytes come from: a file, standard input (`-`), a FIFO or a device — read
//! through one bounded reader, and checked for having changed while it was read.
//!
//! Why it exists: an input is never trusted to be small or still. `/dev/zero` or a runaway
//! export must stop at a documented limit with a message naming the flag that raises it (never
//! "out of memory"), and a file an export is still writing (or truncating) must not be audited
//! in part without a word. The limit is checked against what is actually read, not against the
//! size the file claims: a device or pipe claims nothing, and a growing file lies.

use super::text::{Digest, Digester};
use super::ImportError;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

/// The input size limit when none is given: 1 GiB, five times a million-account CSV (about
/// 200 MB), and small enough that reading it stays within the memory of a small machine.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 1 << 30;

/// The limit in force: `None` → the default; `Some(0)` → no limit; `Some(n)` → `n` bytes.
pub fn effective_limit(max_input_size: Option<u64>) -> Option<u64> {
    match max_input_size {
        None => Some(DEFAULT_MAX_INPUT_SIZE),
        Some(0) => None,
        Some(n) => Some(n),
    }
}

/// "1 GiB", "500 MiB", "1,234 bytes": a size as the user would write it back to the flag.
pub fn size_text(n: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1 << 40, "TiB"),
        (1 << 30, "GiB"),
        (1 << 20, "MiB"),
        (1 << 10, "KiB"),
    ];
    for (unit, name) in UNITS {
        if n >= unit && n.is_multiple_of(unit) {
            return format!("{} {name}", n / unit);
        }
    }
    for (unit, name) in UNITS {
        if n >= unit {
            return format!("{:.1} {name}", n as f64 / unit as f64);
        }
    }
    format!("{n} bytes")
}

/// Parses a size as written on the command line or in wxaudit.toml: `500M`, `4G`, `2GiB`,
/// `1048576`, `0` (no limit). Units are binary (K = 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let bad = || {
        format!("`{s}` is not a size: write a number of bytes with an optional unit, e.g. 500M, 4G or 0 for no limit")
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(bad()),
    };
    n.checked_mul(1u64 << shift).ok_or_else(bad)
}

/// Size, modification time and identity of a regular file at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// (device, inode) on Unix: a file replaced by another under the same name differs here.
    pub identity: Option<(u64, u64)>,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        };
        #[cfg(not(unix))]
        let identity = None;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity,
        }
    }
}

/// How the note on a file that changed while it was read begins (reports look for it).
pub const CHANGED_WHILE_READ: &str = "the file changed while it was read";

/// The note every report carries when a regular file was not the same before and after it was
/// read (or fewer/more bytes were read than it held): `None` when it stayed put.
pub(crate) fn change_note(before: &Stamp, after: Option<&Stamp>, read: u64) -> Option<String> {
    let mut what = Vec::new();
    if read != before.len {
        what.push(format!(
            "it held {} bytes when reading began but {} bytes were read",
            before.len, read
        ));
    }
    match after {
        None => what.push("it was removed or renamed while it was read".to_string()),
        Some(a) => {
            if a.identity != before.identity {
                what.push("it was replaced by another file while it was read".to_string());
            } else if a.len != before.len {
                what.push(format!(
                    "its size changed from {} to {} bytes",
                    before.len, a.len
                ));
            } else if a.modified != before.modified {
                what.push("it was modified while it was read".to_string());
            }
        }
    }
    if what.is_empty() {
        return None;
    }
    Some(format!(
        "{CHANGED_WHILE_READ}: {}; this audit covers the {read} bytes that were read — run the audit again when the export has finished",
        what.join("; ")
    ))
}

/// The error for an input larger than the limit, naming the file, the limit and the flag.
fn too_large(name: &str, limit: u64, claimed: Option<u64>) -> ImportError {
    let size = match claimed {
        Some(n) => format!("it is {} ({n} bytes)", size_text(n)),
        None => "more than that was read before stopping".to_string(),
    };
    ImportError::invalid(name, format!("the input is larger than the input size limit of {} ({limit} bytes); {size}. \
         If this really is the inventory, raise the limit with --max-input-size (e.g. --max-input-size 4G, \
         or 0 for no limit) or max_input_size in wxaudit.toml",
        size_text(limit)
    ))
}

/// Reads at most `limit + 1` bytes from `r`, in parts (see [`super::text::read_parts`]), their
/// [`Digest`] worked out while they are read; more than `limit` is the too-large error.
fn read_bounded(r: &mut dyn Read, limit: Option<u64>) -> Result<(Parts, Digest), std::io::Error> {
    let cap = limit.map_or(u64::MAX, |l| l.saturating_add(1));
    let mut digester = Digester::start();
    let parts = super::text::read_parts(r, cap, &mut |p| digester.part(p))?;
    let digest = digester.finish(&parts);
    Ok((parts, digest))
}

type Parts = Vec<Arc<Vec<u8>>>;

/// Everything read from an input, and what reading it noticed.
pub(crate) struct Input {
    /// The bytes in file order, in parts.
    pub parts: Parts,
    /// Their SHA-256, and whether they are UTF-8.
    pub digest: Digest,
    /// Notes for every report ("the file changed while it was read: …").
    pub notes: Vec<String>,
}

/// Reads `path` (`-`: standard input) within `limit` bytes. `started(total)` is called once the
/// size is known and before the bytes are read (the caller's progress display).
pub(crate) fn read(
    path: &Path,
    name: &str,
    limit: Option<u64>,
    started: &dyn Fn(u64),
) -> Result<Input, ImportError> {
    let io = |source| ImportError::Io {
        path: std::path::PathBuf::from(name),
        source,
    };
    let over = |parts: &[Arc<Vec<u8>>], claimed| match limit {
        Some(l) if parts.iter().map(|p| p.len() as u64).sum::<u64>() > l => {
            Err(too_large(name, l, claimed))
        }
        _ => Ok(()),
    };
    if path.as_os_str() == "-" {
        started(0);
        let (parts, digest) = read_bounded(&mut std::io::stdin().lock(), limit).map_err(io)?;
        over(&parts, None)?;
        return Ok(Input {
            parts,
            digest,
            notes: Vec::new(),
        });
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other(
            "it is a folder, not a file; give the inventory file inside it",
        )));
    }
    let regular = meta.is_file();
    let before = regular.then(|| Stamp::of(&meta));
    if let (Some(b), Some(l)) = (&before, limit) {
        if b.len > l {
            return Err(too_large(name, l, Some(b.len)));
        }
    }
    started(before.map_or(0, |b| b.len));
    let (parts, digest) = read_bounded(&mut file, limit).map_err(io)?;
    over(&parts, None)?;
    let read: u64 = parts.iter().map(|p| p.len() as u64).sum();
    let mut notes = Vec::new();
    if let Some(b) = before {
        // The open file shows a truncation or an append; the path shows a replacement.
        let after_fd = file.metadata().ok().map(|m| Stamp::of(&m));
        let after_path = std::fs::metadata(path).ok().map(|m| Stamp::of(&m));
        let after = match (after_fd, after_path) {
            (Some(fd), Some(p)) if fd.identity == p.identity => Some(fd),
            (_, p) => p,
        };
        notes.extend(change_note(&b, after.as_ref(), read));
    }
    Ok(Input {
        parts,
        digest,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_people_write_them() {
        assert_eq!(parse_size("500M"), Ok(500 << 20));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size(" 64 kb "), Ok(64 << 10));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("0"), Ok(0));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(size_text(1 << 30), "1 GiB");
        assert_eq!(size_text(500 << 20), "500 MiB");
        assert_eq!(size_text(1536), "1.5 KiB");
        assert_eq!(size_text(12), "12 bytes");
    }

    #[test]
    fn limit_zero_means_none_and_absent_means_the_default() {
        assert_eq!(effective_limit(None), Some(DEFAULT_MAX_INPUT_SIZE));
        assert_eq!(effective_limit(Some(0)), None);
        assert_eq!(effective_limit(Some(7)), Some(7));
    }

    #[test]
    fn a_file_that_stayed_put_has_no_note_and_one_that_moved_has_one() {
        let t = SystemTime::UNIX_EPOCH;
        let b = Stamp {
            len: 100,
            modified: Some(t),
            identity: Some((1, 2)),
        };
        assert_eq!(change_note(&b, Some(&b), 100), None);
        let grown = Stamp { len: 150, ..b };
        assert!(change_note(&b, Some(&grown), 100)
            .unwrap()
            .contains("from 100 to 150 bytes"));
        assert!(change_note(&b, Some(&b), 60)
            .unwrap()
            .contains("60 bytes were read"));
        let touched = Stamp {
            modified: Some(t + std::time::Duration::from_secs(1)),
            ..b
        };
        assert!(change_note(&b, Some(&touched), 100)
            .unwrap()
            .contains("modified"));
        assert!(change_note(&b, None, 100).unwrap().contains("removed"));
    }
}
