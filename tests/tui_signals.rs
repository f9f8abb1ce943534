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

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Pane(String);

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).output();
    }
}

impl Pane {
    fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.0]).args(args);
        c
    }

    fn start(shell: &str) -> Pane {
        let name = format!(
            "wxaudit-sig-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let p = Pane(name.clone());
        let cmd = format!("env PS1='READY$ ' {shell}");
        let ok = p
            .tmux(&[
                "-u",
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                "100",
                "-y",
                "30",
                &cmd,
            ])
            .env("TERM", "xterm-256color")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux new-session failed");
        p.wait_for("the shell prompt", |s| s.contains("READY$"));
        p
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.0])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    fn flag(&self, name: &str) -> String {
        self.tmux(&[
            "display-message",
            "-p",
            "-t",
            &self.0,
            &format!("#{{{name}}}"),
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
    }

    fn type_line(&self, text: &str) {
        let ok = self
            .tmux(&["send-keys", "-t", &self.0, "-l", text])
            .status()
            .is_ok_and(|s| s.success())
            && self
                .tmux(&["send-keys", "-t", &self.0, "Enter"])
                .status()
                .is_ok_and(|s| s.success());
        assert!(ok, "tmux send-keys failed");
    }

    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen was:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
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
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: tmux is not installed (apt-get install tmux) so no terminal to test");
    }
    !ok
}

/// Opens the TUI in `shell`, sends `sig`, and checks the terminal and the exit status.
fn signal_restores_the_terminal(shell: &str, sig: i32, status: i32) {
    let dir = tempfile::tempdir().unwrap();
    let pane = Pane::start(shell);
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
