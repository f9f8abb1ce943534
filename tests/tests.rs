//! wxaudit's integration tests, in one test binary (each binary links the whole library, so one
//! binary instead of two dozen builds and links once). Each module is one area, as a user meets
//! it; run one with `cargo test --test tests cli_audit::` (a test's path starts with its module).
//!
//! The modules live in `tests/tests/`, beside their insta snapshots (`tests/tests/snapshots/`,
//! named `tests__<module>__<snapshot>.snap` after the module path) and their proptest regression
//! seeds (`<module>.proptest-regressions`, found beside the source file). They are declared with
//! `#[path]` because a crate root's `mod x;` looks for `tests/x.rs`, where Cargo would make each
//! file a test binary of its own. [`common`] (in `tests/common/`) holds the helpers they share.
//!
//! The tmux tests (`tui_e2e`, `tui_signals`) are modules here too: each session runs on its own
//! tmux server socket, they wait by polling with a bounded timeout, and nothing in the binary
//! changes process-wide state (no environment, working directory or signal handlers of the test
//! process itself; signals go only to the children a test started), so they can run in parallel
//! with the others.

mod common;

#[path = "tests/cli_audit.rs"]
mod cli_audit;
#[path = "tests/cli_diff.rs"]
mod cli_diff;
#[path = "tests/cli_output_safety.rs"]
mod cli_output_safety;
#[path = "tests/cli_rules.rs"]
mod cli_rules;
#[path = "tests/cli_schedule.rs"]
mod cli_schedule;
#[path = "tests/generated.rs"]
mod generated;
#[path = "tests/import_corpora.rs"]
mod import_corpora;
#[path = "tests/import_encodings.rs"]
mod import_encodings;
#[path = "tests/import_forms.rs"]
mod import_forms;
#[path = "tests/import_hardening.rs"]
mod import_hardening;
#[path = "tests/import_robustness.rs"]
mod import_robustness;
#[path = "tests/import_sample_data.rs"]
mod import_sample_data;
#[path = "tests/import_spreadsheets.rs"]
mod import_spreadsheets;
#[path = "tests/import_workbooks.rs"]
mod import_workbooks;
#[path = "tests/injection.rs"]
mod injection;
#[path = "tests/module_dependencies.rs"]
mod module_dependencies;
#[path = "tests/proptest_normalisers.rs"]
mod proptest_normalisers;
#[path = "tests/sample_data.rs"]
mod sample_data;
#[path = "tests/side_files.rs"]
mod side_files;
#[path = "tests/tui_e2e.rs"]
mod tui_e2e;
#[path = "tests/tui_import.rs"]
mod tui_import;
#[path = "tests/tui_signals.rs"]
mod tui_signals;
#[path = "tests/tui_snapshots.rs"]
mod tui_snapshots;
#[path = "tests/tui_state.rs"]
mod tui_state;
