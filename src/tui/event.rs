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
        .spawn(move || {
            while let Ok(ev) = crossterm::event::read() {
                if tx.send(Event::Input(ev)).is_err() {
                    break;
                }
            }
        });
    // Failing to start a thread only happens when the system is out of resources; the UI then
    // shows its screen but cannot take keys, which is the best that can be done.
    drop(spawned);
}
