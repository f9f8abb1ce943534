//! The interactive audit workspace (ratatui + crossterm): Summary, Accounts, Findings and Detail
//! over the same [`crate::audit::Report`] the headless reports use.

use crate::pipeline::PipelineOptions;

/// Opens the TUI on the inventory described by `opts`.
pub fn run(opts: PipelineOptions) -> anyhow::Result<()> {
    let _ = opts;
    todo!("tui")
}
