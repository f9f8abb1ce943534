//! The signal thread (signal-hook): Ctrl-C / SIGINT, SIGTERM and SIGHUP are handed to
//! [`wxaudit::interrupt::on_signal`], which removes the temp files of writes in progress, restores
//! the terminal if the TUI changed it, and exits 130/143/129. It lives in the binary because the
//! core crate depends on no terminal or CLI crate; the registry it acts on is the core's.

use std::io;
use std::sync::OnceLock;

static INSTALLED: OnceLock<()> = OnceLock::new();

/// Starts the signal thread (once per process; later calls do nothing). Called from `main`.
pub fn install() -> io::Result<()> {
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("wxaudit-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                wxaudit::interrupt::on_signal(sig);
            }
        })?;
    let _ = INSTALLED.set(());
    Ok(())
}
