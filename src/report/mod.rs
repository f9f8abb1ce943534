//! Renders a [`crate::audit::Report`] for people and machines: CSV (Excel-safe), JSON (with a
//! published schema), Markdown, and a terminal summary.

pub mod csv;
