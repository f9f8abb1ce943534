//! # wxaudit-core
//!
//! The core of wxaudit (`crates/wxaudit-core`): it audits a company's Weixin/WeChat account inventory: which platform each account is really on
//! (mainland Weixin or international WeChat), who can reach it, and what it can and cannot do.
//!
//! Data flows one way and nothing in the core knows a terminal exists: this crate never depends
//! on a terminal or CLI crate (ratatui, crossterm, clap, indicatif, anyhow, signal-hook, nucleo;
//! `tests/tests/module_dependencies.rs` checks it with `cargo tree`). The TUI is the
//! `wxaudit-tui` crate, the command line the `wxaudit` binary at the workspace root.
//!
//! ```text
//! file ─► import ─► Inventory ─► classify ─► audit(rules, profile) ─► Report ─► report::{csv,json,markdown}
//!                                                                        └──► wxaudit-tui (a view over the same Report)
//! ```
//!
//! Auditing an inventory from a program (the CLI and the TUI do exactly this):
//!
//! ```
//! use wxaudit_core::model::Severity;
//! use wxaudit_core::pipeline::{self, PipelineOptions};
//!
//! let opts = PipelineOptions {
//!     input: "../../sample-data/acme-accounts.csv".into(), // doc tests run in crates/wxaudit-core
//!     as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
//!     ..Default::default()
//! };
//! let report = pipeline::run(&opts, &|_stage, _done, _total| {}).expect("sample data audits");
//! // Lotus Beauty targets mainland China with only international WeChat accounts.
//! assert!(report.findings.iter().any(|f| f.rule_id == "REACH-001"
//!     && f.severity == Severity::Critical
//!     && f.brand(&report.accounts) == Some("Lotus Beauty")));
//! ```
//!
//! Module map:
//! - [`model`]: plain data shared by everything (Account, Finding, Severity, …).
//! - [`identity`]: normalised names, account identity and finding fingerprints, defined once.
//! - [`import`]: reads CSV/TSV/JSON/JSON Lines/Open Platform exports in any Excel encoding.
//! - [`knowledge`]: the facts about Weixin and WeChat (data with sources, overridable), read by
//!   `classify` and `rules` alike.
//! - [`classify`]: decides each account's platform from its evidence.
//! - [`rules`]: the rule catalogue and engine (rule ids, texts, checks; user overrides).
//! - [`profile`]: the company profile (targets, legal entities, planned features).
//! - [`audit`]: runs the rules over an inventory and builds the [`audit::Report`].
//! - [`reachability`]: who can reach which market, from a report's accounts and REACH findings
//!   (the matrix the TUI's Summary shows).
//! - [`pipeline`]: import → profile → audit → suppressions in one call, for both front ends.
//! - [`suppress`], [`baseline`], [`diff`]: accepted risks and changes since the last audit.
//! - [`report`]: renders a report as CSV, JSON, Markdown or terminal text.
//! - [`atomic`]: writes files so they are never half-written and never replace a non-report file;
//!   [`output_guard`]: refuses an output that is one of the inputs; [`interrupt`]: the registry of
//!   temp files that a signal removes (the signal thread itself is the binary's).
//! - [`config`]: `wxaudit.toml` for scheduled runs; [`config_edit`]: saving header mappings into it.
//! - [`memory`]: what the audit asks of the allocator so freed memory goes back to the system.

pub mod accounts;
pub mod atomic;
pub mod audit;
pub mod baseline;
pub mod classify;
pub mod config;
pub mod config_edit;
pub mod did_you_mean;
pub mod diff;
pub mod identity;
pub mod import;
pub mod interrupt;
pub mod knowledge;
pub mod memory;
pub mod model;
pub mod order;
pub mod output_guard;
pub mod phases;
pub mod pipeline;
pub mod profile;
pub mod reachability;
pub mod report;
pub mod rules;
pub mod safe_text;
pub mod suppress;
#[cfg(test)]
mod test_random;
