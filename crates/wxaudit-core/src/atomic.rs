//! Writes report files so they are never half-written and never replace anything that is not a
//! regular report file.
//!
//! - A regular file (or a new name) is written to a temp file `.NAME.wxaudit-PID-XXXXXX.tmp` in
//!   the same folder, fsynced, then renamed over the destination; a failed run leaves the
//!   previous file untouched. A symbolic link is followed: the regular file it points at is
//!   replaced, the link itself stays.
//! - A FIFO or a character device (`/dev/null`, a terminal), and anything under `/dev/` or
//!   `/proc/` (`/dev/stdout`), is written as a stream: opened for writing, no temp file, no rename.
//! - A directory, socket, block device or dangling link is an error: nothing is replaced.
//! - A set of files ([`write_set`]) is written as a unit: every temp file first, then the renames
//!   in order (the last one is the commit point), then an fsync of the folders.
//!
//! Temp files are registered with [`crate::interrupt`], so Ctrl-C/SIGTERM/SIGHUP remove them;
//! after a `kill -9`, the next write into that folder removes temp files left by dead runs
//! (recognised by the name pattern and a PID that is no longer running, never anything else).
//! Errors never name the temp file: callers name the destination the user gave.

use crate::interrupt::{self, TempGuard};
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Test-only: when set, a write pauses (up to 30 s) after its temp files are complete and before
/// any rename, so a test can signal or kill the process mid-write. Never set it in production.
pub const TEST_PAUSE_ENV: &str = "WXAUDIT_TEST_PAUSE_BEFORE_RENAME";

/// Temp files of a dead run older than this are removed even if their PID is in use again.
const STALE_AGE: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// How a destination is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A regular file (new or existing), replaced atomically; the path is the file itself (a
    /// symbolic link resolved).
    Replace(PathBuf),
    /// A FIFO or a device: opened for writing and written in place.
    Stream(PathBuf),
}

/// Works out how `path` may be written; an error when it must not be replaced.
pub fn destination(path: &Path) -> io::Result<Destination> {
    use std::os::unix::fs::FileTypeExt;
    let refuse = |what: &str| {
        Err(io::Error::other(format!(
            "it is {what}, not a regular file, so it was left alone; give a file name"
        )))
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                return refuse("a link to a file that does not exist");
            }
            return Ok(Destination::Replace(path.to_path_buf()));
        }
        Err(e) => return Err(e),
    };
    let ft = meta.file_type();
    let system = path.starts_with("/dev") || path.starts_with("/proc");
    if ft.is_fifo() || ft.is_char_device() || (system && ft.is_file()) {
        return Ok(Destination::Stream(path.to_path_buf()));
    }
    if ft.is_dir() {
        return refuse("a folder");
    }
    if ft.is_block_device() {
        return refuse("a disk device");
    }
    if ft.is_socket() {
        return refuse("a socket");
    }
    if !ft.is_file() {
        return refuse("a special file");
    }
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        return Ok(Destination::Replace(std::fs::canonicalize(path)?));
    }
    Ok(Destination::Replace(path.to_path_buf()))
}

/// Writes the file at `path` with `fill` (see the module doc for what each kind of path gets).
/// If `fill` fails, the temp file is removed and any existing file at `path` is left untouched.
pub fn write_file<F>(path: &Path, fill: F) -> io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    match destination(path)? {
        Destination::Stream(p) => {
            let mut w = BufWriter::new(OpenOptions::new().write(true).open(p)?);
            fill(&mut w)?;
            w.flush()
        }
        Destination::Replace(p) => {
            let staged = Staged::write(&p, fill)?;
            pause_for_tests();
            commit(vec![staged]).map_err(|(_, e)| e)
        }
    }
}

/// Where a [`write_set`] failed: the destination the caller gave, and why.
#[derive(Debug)]
pub struct SetError {
    pub path: PathBuf,
    pub error: io::Error,
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for SetError {}

/// What to write into one file of a set.
pub type Fill<'a> = Box<dyn FnOnce(&mut dyn Write) -> io::Result<()> + 'a>;

/// One file of a set: its destination and what to write into it.
pub type Part<'a> = (PathBuf, Fill<'a>);

/// Writes several regular files as a unit: all temp files are written and fsynced first; only if
/// all succeed are they renamed into place, in the given order (put the file readers look at
/// first, e.g. `latest.json`, last: it is the commit point), then the folders are fsynced. A
/// failure or a signal before the renames leaves every previous file as it was and no temp file;
/// a signal during the renames waits until they are done.
pub fn write_set(parts: Vec<Part<'_>>) -> Result<(), SetError> {
    let mut staged = Vec::with_capacity(parts.len());
    for (path, fill) in parts {
        let err = |error| SetError {
            path: path.clone(),
            error,
        };
        let p = match destination(&path).map_err(err)? {
            Destination::Replace(p) => p,
            Destination::Stream(_) => {
                return Err(err(io::Error::other(
                    "it is a device or a pipe, not a regular file; a report folder holds files",
                )))
            }
        };
        staged.push((path.clone(), Staged::write(&p, fill).map_err(err)?));
    }
    pause_for_tests();
    let (names, staged): (Vec<PathBuf>, Vec<Staged>) = staged.into_iter().unzip();
    commit(staged).map_err(|(i, error)| SetError {
        path: names[i].clone(),
        error,
    })
}

/// A complete, fsynced temp file waiting to be renamed over `dest`. Removed when dropped
/// uncommitted.
struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    guard: Option<TempGuard>,
}

impl Staged {
    fn write(dest: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<Self> {
        let dir = parent(dest);
        sweep_stale(dir);
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let (file, staged) = create_temp(dir, &name, dest)?;
        {
            let mut w = BufWriter::new(&file);
            fill(&mut w)?;
            w.flush()?;
        }
        // Temp files are created owner-only (0600); a report gets the permissions of the file
        // it replaces, or the usual 0644, so a scheduled run's reports stay readable by the team.
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dest)
                .map(|m| m.permissions().mode() & 0o7777)
                .unwrap_or(0o644);
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        file.sync_all()?;
        Ok(staged)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.guard.is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Renames every staged file into place in order, holding off signals meanwhile, then fsyncs
/// the folders. On a failed rename, returns its index; the files not yet renamed are removed.
fn commit(staged: Vec<Staged>) -> Result<(), (usize, io::Error)> {
    let mut reg = interrupt::hold();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (i, mut s) in staged.into_iter().enumerate() {
        if let Err(e) = std::fs::rename(&s.tmp, &s.dest) {
            return Err((i, e));
        }
        if let Some(g) = s.guard.take() {
            g.release(&mut reg);
        }
        let d = parent(&s.dest).to_path_buf();
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    drop(reg);
    for d in dirs {
        // Makes the renames durable; some file systems cannot fsync a folder, which is fine.
        if let Ok(f) = File::open(&d) {
            let _ = f.sync_all();
        }
    }
    Ok(())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates `.NAME.wxaudit-PID-XXXXXX.tmp` in `dir` (owner-only, never an existing file) and
/// registers it for removal on a signal.
fn create_temp(dir: &Path, name: &str, dest: &Path) -> io::Result<(File, Staged)> {
    use std::hash::{BuildHasher, Hasher};
    use std::os::unix::fs::OpenOptionsExt;
    let pid = std::process::id();
    for attempt in 0u32..100 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(attempt);
        let tag = base36(h.finish());
        let tmp = dir.join(format!(".{name}.wxaudit-{pid}-{tag}.tmp"));
        let made = interrupt::create_tracked(&tmp, |p| {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(p)
        });
        match made {
            Ok((file, guard)) => {
                return Ok((
                    file,
                    Staged {
                        tmp,
                        dest: dest.to_path_buf(),
                        guard: Some(guard),
                    },
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(
        "could not find a free temporary file name",
    ))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..6)
        .map(|_| {
            let d = DIGITS[(n % 36) as usize] as char;
            n /= 36;
            d
        })
        .collect()
}

/// The PID in a temp file name this module makes (`.NAME.wxaudit-PID-XXXXXX.tmp`), else None.
fn temp_owner(file_name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, tail) = rest.rsplit_once(".wxaudit-")?;
    let (pid, tag) = tail.split_once('-')?;
    let tag_ok = tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_alphanumeric());
    let pid_ok = !pid.is_empty() && pid.len() <= 10 && pid.bytes().all(|b| b.is_ascii_digit());
    if !tag_ok || !pid_ok {
        return None;
    }
    pid.parse().ok().filter(|&p| p > 0)
}

fn running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 only checks: 0 = running, EPERM = running as someone else, ESRCH = gone.
    // SAFETY: kill with signal 0 sends nothing; it only reports whether the process exists.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes temp files in `dir` that a killed run left: our name pattern, a regular file, and a
/// PID that is not running (or a file untouched for a week, in case the PID was reused). Never
/// anything else; errors are ignored (this is housekeeping).
pub fn sweep_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        if !meta.file_type().is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AGE);
        if !running(pid) || old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn pause_for_tests() {
    if std::env::var_os(TEST_PAUSE_ENV).is_some_and(|v| !v.is_empty()) {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_file(&p, |w| w.write_all(b"hello")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "previous report").unwrap();
        let err = write_file(&p, |w| {
            w.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "previous report");
        assert_eq!(names(dir.path()), vec!["out.csv"]);
    }

    #[test]
    fn missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/dir/out.csv");
        let e = write_file(&p, |w| w.write_all(b"x")).unwrap_err();
        assert!(!e.to_string().contains(".tmp"), "names the temp file: {e}");
        assert!(!p.exists());
    }

    #[test]
    fn new_files_are_readable_and_replaced_files_keep_their_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        write_file(&p, |w| w.write_all(b"1")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&p, |w| w.write_all(b"2")).unwrap();
        assert_eq!(mode(&p), 0o640);
    }

    #[test]
    fn a_symlink_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_file(&link, |w| w.write_all(b"new")).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_set_that_fails_part_way_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("latest.json");
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old latest").unwrap();
        let parts: Vec<Part> = vec![
            (a.clone(), Box::new(|w| w.write_all(b"new a"))),
            (b.clone(), Box::new(|_| Err(io::Error::other("disk full")))),
        ];
        let e = write_set(parts).unwrap_err();
        assert_eq!(e.path, b);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old latest");
        assert_eq!(names(dir.path()), vec!["a.json", "latest.json"]);
    }

    #[test]
    fn only_temp_files_of_dead_runs_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // A PID far above any pid_max is never running.
        let dead = dir.path().join(".out.csv.wxaudit-2147483000-abc123.tmp");
        let alive = dir
            .path()
            .join(format!(".out.csv.wxaudit-{}-abc123.tmp", 1));
        let mine = dir
            .path()
            .join(format!(".x.wxaudit-{}-zzzzzz.tmp", std::process::id()));
        let other = dir.path().join(".out.csv.abc123.tmp");
        let report = dir.path().join("out.csv");
        for p in [&dead, &alive, &mine, &other, &report] {
            std::fs::write(p, "x").unwrap();
        }
        sweep_stale(dir.path());
        assert!(!dead.exists());
        for p in [&alive, &mine, &other, &report] {
            assert!(p.exists(), "{} was removed", p.display());
        }
    }

    #[test]
    fn temp_names_are_recognised_exactly() {
        assert_eq!(temp_owner(".a.csv.wxaudit-42-a1b2c3.tmp"), Some(42));
        assert_eq!(temp_owner(".a.csv.wxaudit-42-a1b2c.tmp"), None);
        assert_eq!(temp_owner("a.csv.wxaudit-42-a1b2c3.tmp"), None);
        assert_eq!(temp_owner(".a.csv.wxaudit-x-a1b2c3.tmp"), None);
        assert_eq!(temp_owner(".a.csv.wxaudit-0-a1b2c3.tmp"), None);
    }

    #[test]
    fn devices_and_fifos_are_streams_and_folders_are_refused() {
        assert_eq!(
            destination(Path::new("/dev/null")).unwrap(),
            Destination::Stream("/dev/null".into())
        );
        let dir = tempfile::tempdir().unwrap();
        let e = destination(dir.path()).unwrap_err().to_string();
        assert!(e.contains("folder"), "{e}");
    }
}
