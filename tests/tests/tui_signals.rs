//! SIGTERM, SIGHUP and SIGINT sent to the TUI process (by `kill`, a closing terminal, a
//! supervisor) restore the terminal: the alternate screen is left, mouse capture is off, the
//! cursor is shown, and the line discipline is back to `icanon echo` (under `dash`, which does
//! not repair the terminal after a program, a forgotten raw mode leaves a dead prompt). The exit
//! status is 143/129/130.
//!
//! Driven in tmux: an interactive shell in a pane runs the real binary, the test sends the signal
//! with `kill`, then reads tmux's view of the pane (`#{alternate_on}`, `#{mouse_any_flag}`,
//! `#{cursor_flag}`), the screen, and `stty -a` run in that pane. Polls with a timeout, never
//! sleeps to pass. Skips, saying why, only when tmux is not installed.

use crate::common;

use common::tmux::Session;
use std::path::Path;
use std::time::{Duration, Instant};

/// An interactive `shell` in a 100×30 pane, at its prompt.
fn start(shell: &str) -> Session {
    let cmd = format!("env PS1='READY$ ' {shell}");
    let p = Session::start("wxaudit-sig", 100, 30, &[("TERM", "xterm-256color")], &cmd);
    p.wait_for("the shell prompt", |s| s.contains("READY$"));
    p
}

fn wait_file(p: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(s) = std::fs::read_to_string(p) {
            if s.ends_with('\n') {
                return s;
            }
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {}",
            p.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn tmux_missing() -> bool {
    let ok = common::tmux::installed();
    if !ok {
        eprintln!("skipped: tmux is not installed (apt-get install tmux) so no terminal to test");
    }
    !ok
}

/// Opens the TUI in `shell`, sends `sig`, and checks the terminal and the exit status.
fn signal_restores_the_terminal(shell: &str, sig: i32, status: i32) {
    let dir = tempfile::tempdir().unwrap();
    let pane = start(shell);
    let pidfile = dir.path().join("pid");
    let bin = env!("CARGO_BIN_EXE_wxaudit");
    pane.type_line(&format!(
        "sh -c 'echo $$ > {}; exec {} {}'; echo \"status=$?\"",
        pidfile.display(),
        bin,
        common::acme().display()
    ));
    let pid: i32 = wait_file(&pidfile).trim().parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while pane.flag("alternate_on") != "1" || pane.flag("mouse_any_flag") != "1" {
        assert!(
            Instant::now() < deadline,
            "the TUI did not start:\n{}",
            pane.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    pane.wait_for("the TUI's screen", |s| s.contains("Summary"));

    // SAFETY: signalling the TUI process started above.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    // The typed command line holds `status=$?` too: wait for the line the shell printed.
    let screen = pane.wait_for("the exit status", |s| {
        s.lines().any(|l| {
            l.strip_prefix("status=")
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
    });
    let shown = format!("status={status}");
    assert!(screen.contains(&shown), "{shell}, signal {sig}:\n{screen}");
    assert_eq!(
        pane.flag("alternate_on"),
        "0",
        "{shell}: still on the alternate screen"
    );
    assert_eq!(
        pane.flag("mouse_any_flag"),
        "0",
        "{shell}: mouse still captured"
    );
    assert_eq!(
        pane.flag("cursor_flag"),
        "1",
        "{shell}: cursor still hidden"
    );

    let sttyfile = dir.path().join("stty");
    pane.type_line(&format!("stty -a > {}", sttyfile.display()));
    let stty = wait_file(&sttyfile);
    let words: Vec<&str> = stty.split_whitespace().collect();
    for mode in ["icanon", "echo"] {
        assert!(
            words.contains(&mode),
            "{shell}, signal {sig}: {mode} is off after the TUI:\n{stty}"
        );
    }
    let prompt = pane.wait_for("the prompt after stty", |s| {
        s.lines().filter(|l| l.starts_with("READY$")).count() >= 2
    });
    assert!(prompt.contains("READY$"));
}

#[test]
fn sigterm_to_the_tui_restores_the_terminal_under_dash() {
    if tmux_missing() {
        return;
    }
    signal_restores_the_terminal("/bin/sh", libc::SIGTERM, 143);
}

#[test]
fn sighup_to_the_tui_restores_the_terminal_under_dash() {
    if tmux_missing() {
        return;
    }
    signal_restores_the_terminal("/bin/sh", libc::SIGHUP, 129);
}

#[test]
fn sigint_to_the_tui_restores_the_terminal_under_dash() {
    if tmux_missing() {
        return;
    }
    signal_restores_the_terminal("/bin/sh", libc::SIGINT, 130);
}

#[test]
fn sigterm_to_the_tui_restores_the_terminal_under_bash() {
    if tmux_missing() || !Path::new("/bin/bash").exists() {
        return;
    }
    signal_restores_the_terminal("/bin/bash --norc --noprofile", libc::SIGTERM, 143);
}

/// Closing the terminal (its window, `tmux kill-server`, a dropped ssh connection) ends the TUI.
/// Before, restoring the dead terminal failed inside the SIGHUP handler, ratatui's `eprintln!`
/// of that failure panicked, and the process stayed alive for good at 100% CPU (crossterm
/// retrying its read of the closed terminal).
#[test]
fn closing_the_terminal_ends_the_tui() {
    if tmux_missing() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!(
        "sh -c 'echo $$ > {}; exec {} {}'",
        pidfile.display(),
        env!("CARGO_BIN_EXE_wxaudit"),
        common::acme().display()
    );
    let s = Session::start(
        "wxaudit-close",
        100,
        30,
        &[("TERM", "xterm-256color")],
        &cmd,
    );
    let pid: i32 = wait_file(&pidfile).trim().parse().unwrap();
    s.wait_for("the TUI's screen", |t| t.contains("Summary"));
    let _ = s.tmux(&["kill-server"]).status();
    let deadline = Instant::now() + Duration::from_secs(20);
    // SAFETY: signal 0 only asks whether the process started above still exists.
    while unsafe { libc::kill(pid, 0) } == 0 {
        assert!(
            Instant::now() < deadline,
            "the TUI (pid {pid}) is still running after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
