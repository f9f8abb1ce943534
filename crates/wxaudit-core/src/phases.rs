//! Where a long run spends its time and memory, for whoever is making it faster: with
//! `WXAUDIT_PHASES=1` in the environment, each step of the pipeline prints one line to stderr
//! when it ends — the time since the first step began, the memory in use and the peak so far
//! (Linux's VmRSS and VmHWM). Off, a step costs one load of a flag.
//!
//! ```text
//! WXAUDIT_PHASES=1 wxaudit audit big.csv > /dev/null
//! wxaudit: phase read          0.18 s   rss   194 MB   peak   194 MB
//! wxaudit: phase import        1.56 s   rss   162 MB   peak   225 MB
//! ```

use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns the lines on.
pub const ENV: &str = "WXAUDIT_PHASES";

fn start() -> Option<&'static Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    START
        .get_or_init(|| {
            std::env::var_os(ENV)
                .is_some_and(|v| !v.is_empty() && v != "0")
                .then(Instant::now)
        })
        .as_ref()
}

/// Starts the clock (the first [`mark`] starts it otherwise).
pub fn begin() {
    start();
}

/// Says that step `name` has ended, when [`ENV`] is set.
pub fn mark(name: &str) {
    let Some(t0) = start() else { return };
    let (rss, peak) = memory_kib();
    eprintln!(
        "wxaudit: phase {name:<12} {:>6.2} s   rss {:>5} MB   peak {:>5} MB",
        t0.elapsed().as_secs_f64(),
        rss / 1024,
        peak / 1024
    );
}

/// Whether [`ENV`] is set (to skip measuring what [`detail`] would print).
pub fn enabled() -> bool {
    start().is_some()
}

/// Prints where `what`'s bytes go, largest first, when [`ENV`] is set.
pub fn detail(what: &str, parts: &[(&str, usize)]) {
    if !enabled() {
        return;
    }
    let mut parts = parts.to_vec();
    parts.sort_by_key(|p| std::cmp::Reverse(p.1));
    let total: usize = parts.iter().map(|p| p.1).sum();
    let list: Vec<String> = parts
        .iter()
        .filter(|p| p.1 >= 1 << 20)
        .map(|(name, b)| format!("{name} {}", b >> 20))
        .collect();
    eprintln!(
        "wxaudit: {what} {} MB: {} (MB)",
        total >> 20,
        list.join(", ")
    );
}

/// (VmRSS, VmHWM) in KiB; zeros where /proc is not there.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
