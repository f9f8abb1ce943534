//! What happens when the process is told to stop (Ctrl-C / SIGINT, SIGTERM from `kill` or a cron
//! timeout, SIGHUP when the terminal closes): temp files of writes in progress are removed, the
//! terminal is restored if the TUI changed it, and the process exits with the conventional status
//! (128 + the signal number: 130, 143, 129).
//!
//! Why a registry: a report is written to a temp file next to its destination and renamed over it
//! ([`crate::atomic`]). Killed by default signal handling, the temp file (often hundreds of MB)
//! would stay forever. Every temp file is registered here while it exists; one signal thread
//! removes the registered files and exits ([`on_signal`]). The registry lock is also held while a
//! set of files is renamed into place, so a signal never lands half-way through the renames: it
//! waits the few microseconds until they are done.
//!
//! The signal thread itself (signal-hook) is started by the `wxaudit` binary
//! (`src/cli/signals.rs`): the core crate depends on no terminal or CLI crate, so only the
//! registry and what a signal does with it live here.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The temp files of writes in progress.
#[derive(Default)]
pub struct Registry {
    next: u64,
    temps: Vec<(u64, PathBuf)>,
}

impl Registry {
    fn remove_all(&mut self) {
        for (_, p) in self.temps.drain(..) {
            let _ = std::fs::remove_file(p);
        }
    }
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next: 1,
    temps: Vec::new(),
});

/// Run by the signal thread before exiting (the TUI's terminal restore).
static HOOK: Mutex<Option<fn()>> = Mutex::new(None);

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// A registered temp file: unregistered when dropped (the owner removes or renames the file).
#[derive(Debug)]
pub struct TempGuard {
    id: u64,
}

impl TempGuard {
    /// Unregisters while the caller already holds the registry (see [`hold`]).
    pub fn release(mut self, reg: &mut Registry) {
        reg.temps.retain(|(id, _)| *id != self.id);
        self.id = 0;
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if self.id != 0 {
            let id = self.id;
            registry().temps.retain(|(i, _)| *i != id);
        }
    }
}

/// Creates a temp file with `create` and registers `path` in one step: a signal cannot arrive
/// between the two and leave the file behind.
pub fn create_tracked(
    path: &Path,
    create: impl FnOnce(&Path) -> io::Result<File>,
) -> io::Result<(File, TempGuard)> {
    let mut reg = registry();
    let file = create(path)?;
    let id = reg.next;
    reg.next += 1;
    reg.temps.push((id, path.to_path_buf()));
    Ok((file, TempGuard { id }))
}

/// Holds the registry: a signal arriving meanwhile is handled once it is released.
pub fn hold() -> MutexGuard<'static, Registry> {
    registry()
}

/// Sets (or clears) the function the signal thread runs before exiting, e.g. restoring the
/// terminal. It runs on the signal thread.
pub fn set_exit_hook(hook: Option<fn()>) {
    *HOOK.lock().unwrap_or_else(|e| e.into_inner()) = hook;
}

/// The exit status for a signal: 128 + its number (130 for SIGINT, 143 SIGTERM, 129 SIGHUP).
pub fn exit_status(signal: i32) -> i32 {
    128 + signal
}

/// What the signal thread does when SIGINT, SIGTERM or SIGHUP arrives: waits for renames in
/// progress, removes every registered temp file, runs the exit hook and exits with
/// [`exit_status`]. Called on the binary's signal thread only.
pub fn on_signal(sig: i32) -> ! {
    // Waits for renames in progress, then removes every temp file.
    let mut reg = registry();
    reg.remove_all();
    let hook = *HOOK.lock().unwrap_or_else(|e| e.into_inner());
    // The hook must not stop the exit: restoring a terminal that has gone away
    // fails, and ratatui reports that with `eprintln!`, which panics when standard
    // error is gone too. A panic here would leave the process alive but stuck.
    if let Some(h) = hook {
        let _ = std::panic::catch_unwind(h);
    }
    std::process::exit(exit_status(sig));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_guard_unregisters_its_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".x.tmp");
        let (_f, g) = create_tracked(&p, |p| File::create(p)).unwrap();
        assert!(hold().temps.iter().any(|(_, t)| t == &p));
        drop(g);
        assert!(!hold().temps.iter().any(|(_, t)| t == &p));
    }

    #[test]
    fn statuses_are_the_shell_convention() {
        assert_eq!(exit_status(libc::SIGINT), 130);
        assert_eq!(exit_status(libc::SIGTERM), 143);
        assert_eq!(exit_status(libc::SIGHUP), 129);
    }
}
