//! The `wxaudit` package: the binary (src/main.rs, src/cli/) plus this facade over the two
//! library crates of the workspace. It holds no code of its own:
//!
//! - `crates/wxaudit-core` ([`wxaudit_core`]): model, import, classification, rules, audit,
//!   reports, suppressions, baselines, diffs; never a terminal or CLI crate.
//! - `crates/wxaudit-tui` ([`wxaudit_tui`], here [`tui`]): the interactive workspace over the core.
//!
//! Why a facade rather than rewriting every path: the integration tests, benches, examples and
//! the binary name the library as `wxaudit::model::…`, `wxaudit::tui::…`. Re-exporting keeps all
//! of them (and the tests being written on other branches meanwhile) compiling unchanged, so the
//! split stays a rename plus manifests. New code may name `wxaudit_core` / `wxaudit_tui` directly.

pub use wxaudit_core::*;
pub use wxaudit_tui as tui;
