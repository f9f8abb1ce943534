//! Where a long run spends its time and memory, for whoever is making it faster: with
//! `WXAUDIT_PHASES=1` in the environment, each step of the pipeline prints one line to stderr
//! when it ends — the time since the first step began, the CPU time of all threads so far, the
//! memory in use and the peak so far (Linux's VmRSS and VmHWM). Off, a step costs one load of a
//! flag.
//!
//! ```text
//! WXAUDIT_PHASES=1 wxaudit audit big.csv > /dev/null
//! wxaudit: phase read           0.14 s   cpu   0.19 s   rss   196 MB   peak   196 MB
//! wxaudit: phase import         1.01 s   cpu   1.83 s   rss   163 MB   peak   224 MB
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
        "wxaudit: phase {name:<12} {:>6.2} s   cpu {:>6.2} s   rss {:>5} MB   peak {:>5} MB",
        t0.elapsed().as_secs_f64(),
        cpu_seconds(),
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

/// CPU time (user + system) of all the process's threads so far; 0 where it cannot be read.
fn cpu_seconds() -> f64 {
    #[cfg(unix)]
    {
        // SAFETY: getrusage writes one plain struct we own; all-zero is a valid `rusage`.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: RUSAGE_SELF with a valid pointer to that struct.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } == 0 {
            let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            return secs(ru.ru_utime) + secs(ru.ru_stime);
        }
    }
    0.0
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
