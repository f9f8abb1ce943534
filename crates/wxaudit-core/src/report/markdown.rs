//! The Markdown report: a summary a marketing lead can paste into an email or a wiki page.
//!
//! It leads with one headline sentence (the most urgent gap), then the counts, then what changed
//! since the last audit (when a baseline was used), the findings by severity with the fix, what
//! could not be checked, the accepted risks with their reasons, and data-quality problems. Long
//! lists are capped (the CSV/JSON reports carry everything) so the page stays readable.

use super::overview::{headline_of, profile_line};
use super::{
    finding_platform, first_by_severity, first_in_report_order, first_suppressed, subject, Overview,
};
use crate::accounts::Accounts;
use crate::audit::Report;
use crate::model::{Finding, Platform, Severity};
use std::io::{self, Write};

/// Most findings listed per severity (and per "since last audit" list).
pub const LIST_CAP: usize = 100;

/// Escapes file text for a Markdown table cell or list item (see [`crate::safe_text::markdown`]).
pub use crate::safe_text::markdown as cell;
use crate::safe_text::markdown_code as code;

use super::reading::count as plural;

fn finding_row(report: &Report, f: &Finding) -> String {
    let platform = finding_platform(report, f)
        .map(Platform::label)
        .unwrap_or("");
    let text = report.text(f);
    format!(
        "| {} | {} | {} | {} | {} | {} |",
        cell(&f.rule_id),
        cell(&subject(f, &report.accounts)),
        cell(report.brand(f).unwrap_or("")),
        platform,
        cell(&text.message),
        cell(text.advice)
    )
}

const FINDING_HEAD: &str =
    "| Rule | Account | Brand | Platform | Problem | Fix |\n|---|---|---|---|---|---|";

/// The first [`LIST_CAP`] of `total` findings (`items` may hold only those first ones).
/// `report`: the report the findings are from (None for resolved findings, which carry the words
/// and the account their report recorded).
fn finding_list(
    w: &mut dyn Write,
    items: &[&Finding],
    total: usize,
    report: Option<&Report>,
) -> io::Result<()> {
    let accounts = report.map_or(Accounts::empty(), |r| &r.accounts);
    for f in items.iter().take(LIST_CAP) {
        writeln!(
            w,
            "- **{}** {} — {}: {}",
            f.severity,
            cell(&f.rule_id),
            cell(&subject(f, accounts)),
            cell(&super::message_of(report, f))
        )?;
    }
    if total > LIST_CAP {
        writeln!(w, "- … and {} more", total - LIST_CAP)?;
    }
    Ok(())
}

/// Writes the Markdown report.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let w = out;
    let o = Overview::of(report);
    let title = report
        .profile
        .name
        .clone()
        .unwrap_or_else(|| report.input.path.clone());
    writeln!(w, "# Weixin/WeChat account audit — {}\n", cell(&title))?;
    writeln!(
        w,
        "As of {} · {} from `{}` · {}\n",
        report.as_of,
        plural(o.summary.accounts, "account", "accounts"),
        code(&report.input.path),
        cell(&profile_line(report))
    )?;
    let cautions = super::reading::cautions(report);
    if !cautions.is_empty() {
        writeln!(
            w,
            "> **⚠ Check the columns first:** some checks did not run because a header was not understood.\n>"
        )?;
        for c in &cautions {
            writeln!(w, "> - {} Fix: `{}`", cell(&c.text()), code(&c.fix()))?;
        }
        writeln!(w)?;
    }
    let by_severity = first_by_severity(report, LIST_CAP);
    writeln!(w, "**{}**\n", cell(&headline_of(report, &by_severity)))?;
    if !cautions.is_empty() || super::reading::needs_attention(&report.input) {
        reading_section(w, report)?;
    }

    writeln!(w, "## At a glance\n")?;
    writeln!(
        w,
        "| Accounts | Weixin (mainland) | WeChat (international) | Unknown | Total |"
    )?;
    writeln!(w, "|---|---:|---:|---:|---:|")?;
    writeln!(
        w,
        "| | {} | {} | {} | {} |\n",
        o.summary.weixin, o.summary.wechat, o.summary.unknown, o.summary.accounts
    )?;
    writeln!(w, "| Severity | Findings |\n|---|---:|")?;
    for s in Severity::DESC {
        writeln!(w, "| {s} | {} |", o.severity(s))?;
    }
    writeln!(
        w,
        "| accepted risks (suppressed) | {} |",
        o.summary.suppressed
    )?;
    writeln!(w, "| rules not evaluated | {} |", o.not_evaluated)?;
    writeln!(
        w,
        "| row problems in the input | {} |\n",
        o.summary.row_errors
    )?;

    if let Some(base) = &report.baseline {
        writeln!(w, "## Since last audit\n")?;
        writeln!(
            w,
            "Compared with `{}`: **{} new**, **{} resolved**, {} unchanged.\n",
            code(base),
            o.new,
            o.resolved,
            o.unchanged
        )?;
        let is_new = |f: &Finding| f.baseline_state == Some(crate::model::BaselineState::New);
        let new = first_in_report_order(report, &report.findings, |f| f, is_new, LIST_CAP);
        if !new.is_empty() {
            writeln!(w, "### New\n")?;
            let total = report.findings.iter().filter(|f| is_new(f)).count();
            finding_list(w, &new, total, Some(report))?;
            writeln!(w)?;
        }
        if !report.resolved.is_empty() {
            writeln!(w, "### Resolved\n")?;
            let resolved: Vec<&Finding> = report.resolved.iter().collect();
            finding_list(w, &resolved, resolved.len(), None)?;
            writeln!(w)?;
        }
    }

    writeln!(w, "## Findings\n")?;
    if report.findings.is_empty() {
        writeln!(w, "No open findings.\n")?;
    }
    for (s, (count, first)) in Severity::DESC.into_iter().zip(by_severity) {
        if count == 0 {
            continue;
        }
        writeln!(w, "### {} ({count})\n", capitalise(s.as_str()))?;
        writeln!(w, "{FINDING_HEAD}")?;
        for f in first {
            writeln!(w, "{}", finding_row(report, f))?;
        }
        if count > LIST_CAP {
            writeln!(
                w,
                "\n… and {} more {s} findings (see the CSV or JSON report).",
                count - LIST_CAP
            )?;
        }
        writeln!(w)?;
    }

    if !report.not_evaluated.is_empty() {
        writeln!(w, "## Not evaluated\n")?;
        writeln!(
            w,
            "These checks could not run (they are not counted as passed):\n"
        )?;
        for n in &report.not_evaluated {
            let why = super::not_evaluated_text(n);
            writeln!(w, "- **{}**: {}", cell(&n.rule_id), cell(&why))?;
        }
        writeln!(w)?;
    }

    if !report.suppressed.is_empty()
        || !report.expired_suppressions.is_empty()
        || !report.stale_suppressions.is_empty()
    {
        writeln!(w, "## Accepted risks\n")?;
        if !report.suppressed.is_empty() {
            writeln!(
                w,
                "| Severity | Rule | Account | Reason | Owner | Expires |"
            )?;
            writeln!(w, "|---|---|---|---|---|---|")?;
            for s in first_suppressed(report, LIST_CAP) {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} |",
                    s.finding.severity,
                    cell(&s.finding.rule_id),
                    cell(&subject(&s.finding, &report.accounts)),
                    cell(&s.reason),
                    cell(s.owner.as_deref().unwrap_or("")),
                    s.expires.map(|d| d.to_string()).unwrap_or_default()
                )?;
            }
            if report.suppressed.len() > LIST_CAP {
                writeln!(w, "\n… and {} more.", report.suppressed.len() - LIST_CAP)?;
            }
            writeln!(w)?;
        }
        for (title, list) in [
            (
                "Expired (no longer suppressing — review or renew)",
                &report.expired_suppressions,
            ),
            (
                "Stale (matched nothing — remove them)",
                &report.stale_suppressions,
            ),
        ] {
            if list.is_empty() {
                continue;
            }
            writeln!(w, "**{title}:**\n")?;
            for e in list {
                let target = e.target();
                let exp = e
                    .expires
                    .map(|d| format!(", expires {d}"))
                    .unwrap_or_default();
                writeln!(
                    w,
                    "- {} on {}: {}{}",
                    cell(&e.rule),
                    cell(target),
                    cell(&e.reason),
                    exp
                )?;
            }
            writeln!(w)?;
        }
    }

    if cautions.is_empty() && !super::reading::needs_attention(&report.input) {
        reading_section(w, report)?;
    }

    if !report.row_errors.is_empty() {
        writeln!(w, "## Data quality\n")?;
        writeln!(
            w,
            "{} in the input ({} skipped entirely). First ones:\n",
            plural(o.summary.row_errors, "row problem", "row problems"),
            report.input.rejected_rows
        )?;
        for e in report.row_errors.iter().take(10) {
            writeln!(
                w,
                "- {}",
                cell(&super::reading::row_error_line(
                    e,
                    super::reading::line_unit(&report.input)
                ))
            )?;
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "_wxaudit {} · input sha256 {}_",
        env!("CARGO_PKG_VERSION"),
        report.input.sha256
    )?;
    w.flush()
}

/// "How the file was read": the lines of [`super::reading::lines`], then every header and the
/// column it became.
fn reading_section(w: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(w, "## How the file was read\n")?;
    for (label, text) in super::reading::lines(&report.input) {
        if label == "Columns" || label == "Ignored" {
            continue; // in the table below
        }
        writeln!(w, "- **{label}:** {}", cell(&text))?;
    }
    if report.input.columns.is_empty() {
        return writeln!(w);
    }
    writeln!(w, "\n| Header | Read as | Note |\n|---|---|---|")?;
    for u in &report.input.columns {
        let as_ = match u.column {
            Some(c) => format!("`{c}`"),
            None => "— (extra field)".to_string(),
        };
        let note = super::reading::column_note(u);
        writeln!(w, "| {} | {as_} | {} |", cell(&u.header), cell(&note))?;
    }
    writeln!(w)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::overview::headline;
    use super::*;
    use crate::model::BaselineState;
    use crate::report::testutil::{finding, sample_report};

    fn render(r: &Report) -> String {
        let mut buf = Vec::new();
        write(r, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn headline_names_the_most_urgent_gap() {
        let r = sample_report();
        assert_eq!(
            headline(&r),
            "1 critical gap: Brand Acme Coffee cannot be found by mainland customers"
        );
        let mut r2 = r.clone();
        r2.findings.retain(|f| f.severity < Severity::High);
        assert!(headline(&r2).starts_with("No critical or high-severity gaps; 1 lower"));
        r2.findings.clear();
        assert_eq!(headline(&r2), "No gaps found.");
    }

    #[test]
    fn report_has_counts_findings_and_escaped_cells() {
        let md = render(&sample_report());
        assert!(md.starts_with("# Weixin/WeChat account audit — Acme Group"));
        assert!(md.contains("inferred from the accounts' audiences"));
        assert!(md.contains("| critical | 1 |"));
        assert!(md.contains("### Critical (1)"));
        assert!(md.contains("=Acme \\| HK"), "pipes escaped in cells:\n{md}");
        assert!(
            md.contains("- **CMP-001**: needs columns icp\\_filing"),
            "{md}"
        );
        assert!(md.contains("## Data quality"));
        assert!(md.contains("line 4"));
        assert!(
            !md.contains("## Since last audit"),
            "no baseline, no section"
        );
        assert!(!md.contains("## Accepted risks"));
    }

    #[test]
    fn since_last_audit_and_accepted_risks_sections() {
        let mut r = sample_report();
        r.baseline = Some("reports/latest.json".into());
        for f in &mut r.findings {
            f.baseline_state = Some(BaselineState::Unchanged);
        }
        r.findings[1].baseline_state = Some(BaselineState::New);
        r.resolved.push(finding(
            "PAY-006",
            Severity::High,
            Some("gh_my01"),
            Some("Acme MY"),
            None,
        ));
        let f = r.findings.pop().unwrap();
        r.suppressed.push(crate::model::SuppressedFinding {
            finding: f,
            reason: "one admin | by design".into(),
            owner: None,
            expires: None,
        });
        r.stale_suppressions.push(crate::model::SuppressionEntry {
            rule: "CMP-001".into(),
            account: None,
            brand: Some("Acme Tea".into()),
            reason: "filed".into(),
            owner: None,
            expires: None,
        });
        let md = render(&r);
        assert!(md.contains("## Since last audit"));
        assert!(
            md.contains("**1 new**, **1 resolved**, 1 unchanged"),
            "{md}"
        );
        assert!(md.contains("### Resolved\n\n- **high** PAY-006 — Acme MY \\(gh\\_my01\\)"));
        assert!(md.contains("### New\n\n- **high** REACH-002"));
        assert!(md.contains("## Accepted risks"));
        assert!(md.contains("one admin \\| by design"));
        assert!(md.contains("Stale"));
        assert!(md.contains("CMP-001 on Acme Tea: filed"));
    }
}
