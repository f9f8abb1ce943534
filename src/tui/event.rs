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

/// Reads terminal events on a thread of its own until the receiver is gone.
pub fn spawn_input_reader(tx: Sender<Event>) {
    let spawned = std::thread::Builder::new()
        .name("wxaudit-input".into())
        .spawn(move || loop {
            match crossterm::event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        break;
                    }
                }
                Err(_) => break,
            }
        });
    // Without an input thread the UI cannot be used; the caller notices no keys ever arrive,
    // but Ctrl-C still reaches the process as a signal in that case.
    drop(spawned);
}
