//! `wxaudit` command line: parses arguments, runs the headless audit or opens the TUI, and maps
//! errors to exit codes (0 ok, 1 findings at/above --fail-on, 2 the run could not complete;
//! 130/143/129 when stopped by SIGINT/SIGTERM/SIGHUP, see [`cli::signals`]).
//!
//! Module map: [`cli::args`] is the clap definition (the `--help` text); `cli::audit`, `cli::rules`
//! and `cli::diff` are the command handlers; everything else lives in the `wxaudit` library.
//!
//! Errors print as `wxaudit: <message>` on stderr, the message naming the file at fault; clap's
//! own usage errors also exit 2. A closed stdout pipe (`wxaudit audit … | head`) is not an error.

mod cli;

use clap::Parser;

fn main() {
    wxaudit::memory::keep_large_blocks_returnable();
    // A panic inside the workbook reader on a malformed file is caught and reported as an
    // unreadable sheet: no Rust backtrace ahead of that message.
    wxaudit::import::skip_contained_panics();
    // Ctrl-C, SIGTERM and SIGHUP remove temp files of writes in progress, restore the terminal
    // if the TUI is open, and exit with 130/143/129.
    if let Err(e) = cli::signals::install() {
        eprintln!("wxaudit: warning: cannot watch for Ctrl-C ({e}); an interrupted write may leave a temp file");
    }
    let parsed = match cli::args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let code = match cli::run(parsed) {
        Ok(code) => code,
        Err(e) if cli::is_broken_pipe(&e) => 0,
        Err(e) => {
            // Errors quote file text (headers, values, paths): control codes shown, not run.
            eprintln!(
                "wxaudit: {}",
                wxaudit::safe_text::terminal_lines(&e.to_string())
            );
            2
        }
    };
    std::process::exit(code);
}
