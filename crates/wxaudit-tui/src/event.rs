//! One channel for everything the UI loop waits on: terminal input (from a reader thread) and
//! background-job messages. A single `recv_timeout` on it is the whole event loop: no polling of
//! several sources, and the timeout doubles as the tick that animates the progress spinner.

use super::action::JobMsg;
use std::sync::mpsc::Sender;

/// A message for the UI loop.
#[derive(Debug)]
pub enum Event {
    Input(crossterm::event::Event),
    Job(JobMsg),
}

/// How often the reader looks at the terminal when no key comes (also the latest a resize is
/// seen, since crossterm reports resizes only when asked).
const LOOK: i32 = 50;

/// Reads terminal events on a thread of its own until the receiver or the terminal is gone.
///
/// Why it waits on standard input itself before asking crossterm: when the terminal goes away
/// (its window closed, `tmux kill-server`, a dropped ssh connection) without a SIGHUP reaching
/// the process, the terminal reads as end-of-file, and crossterm 0.28's reader then retries the
/// read forever at 100% CPU while the UI waits. A hung-up terminal is seen here first and ends
/// the run exactly as a SIGHUP would ([`wxaudit_core::interrupt`]: temp files removed, exit 129).
pub fn spawn_input_reader(tx: Sender<Event>) {
    let spawned = std::thread::Builder::new()
        .name("wxaudit-input".into())
        .spawn(move || loop {
            if hung_up(LOOK) {
                // SAFETY: raising a signal in this process; the signal thread (or the default
                // action, when none is installed) ends it.
                unsafe { libc::raise(libc::SIGHUP) };
                break;
            }
            match crossterm::event::poll(std::time::Duration::ZERO) {
                Ok(true) => match crossterm::event::read() {
                    Ok(ev) => {
                        if tx.send(Event::Input(ev)).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                },
                Ok(false) => {}
                Err(_) => break,
            }
        });
    // Failing to start a thread only happens when the system is out of resources; the UI then
    // shows its screen but cannot take keys, which is the best that can be done.
    drop(spawned);
}

/// Waits up to `ms` for standard input; true when the terminal behind it has hung up (or the
/// descriptor is no longer usable).
fn hung_up(ms: i32) -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut fd, 1, ms) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
