//! A real terminal for the end-to-end TUI tests: a tmux session on its own server socket (so a
//! user's tmux and its settings are not involved), typed at and read like a person would. Waits
//! poll the screen with a bounded timeout; nothing sleeps to pass.

use std::process::Command;
use std::time::{Duration, Instant};

/// How long a wait for the screen may take before the test fails with the last screen.
const WAIT: Duration = Duration::from_secs(30);

pub struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-session", "-t", &self.0]).output();
        let _ = self.tmux(&["kill-server"]).output();
    }
}

/// Whether tmux can be run here.
pub fn installed() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Session {
    /// Starts `cmd` in a detached `width`×`height` session named after `prefix`, this process
    /// and the time, with `env` set for tmux (and so for `cmd`).
    pub fn start(prefix: &str, width: u16, height: u16, env: &[(&str, &str)], cmd: &str) -> Self {
        let name = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let s = Session(name.clone());
        let (w, h) = (width.to_string(), height.to_string());
        let mut c = s.tmux(&[
            "-u",
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            &w,
            "-y",
            &h,
            cmd,
        ]);
        for (k, v) in env {
            c.env(k, v);
        }
        let ok = c.status().is_ok_and(|st| st.success());
        assert!(ok, "could not start tmux session");
        s
    }

    pub fn tmux(&self, args: &[&str]) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.0]).args(args);
        c
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.0])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// Sends each key by its tmux name (`Enter`, `C-c`, `q`).
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let ok = self
                .tmux(&["send-keys", "-t", &self.0, k])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "tmux send-keys {k} failed");
        }
    }

    /// Types `text` as it is (no key names).
    pub fn literal(&self, text: &str) {
        let ok = self
            .tmux(&["send-keys", "-t", &self.0, "-l", text])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux send-keys -l failed");
    }

    /// Types `text` and presses Enter.
    pub fn type_line(&self, text: &str) {
        self.literal(text);
        self.keys(&["Enter"]);
    }

    /// Waits until the screen satisfies `pred`, or fails with the last screen.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
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

    /// A pane flag as tmux reports it (`alternate_on`, `mouse_any_flag`, `cursor_flag`).
    pub fn flag(&self, name: &str) -> String {
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

    /// A left click at the screen cell (`col`, `row`), both counted from 0, sent the way a
    /// terminal reports it to a program that asked for the mouse (SGR encoding).
    pub fn click(&self, col: usize, row: usize) {
        self.literal(&format!("\x1b[<0;{};{}M", col + 1, row + 1));
        self.literal(&format!("\x1b[<0;{};{}m", col + 1, row + 1));
    }

    pub fn alive(&self) -> bool {
        self.tmux(&["has-session", "-t", &self.0])
            .output()
            .is_ok_and(|o| o.status.success())
    }
}
