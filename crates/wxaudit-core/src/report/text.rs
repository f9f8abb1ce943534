//! The readable terminal summary `wxaudit audit FILE` prints without `--format`.
//!
//! Meant for a person at a terminal: counts by platform and severity, the findings grouped by
//! severity with the account, the problem and the fix, what could not be checked and which columns
//! would let it, accepted risks, and the first few input problems with line, column and value.
//! Colour only when the caller says so (a TTY without `NO_COLOR`); the layout never depends on it.

use super::overview::{headline_of, profile_line};
use super::reading::{line_unit, row_error_line};
use super::{first_by_severity, first_suppressed, subject, Overview};
use crate::audit::Report;
use crate::model::{BaselineState, Finding, Severity};
use crate::safe_text::TerminalOut;
use std::io::{self, Write};

/// Most findings printed per severity.
pub const LIST_CAP: usize = 50;
/// Row problems printed.
pub const ROW_ERRORS_SHOWN: usize = 5;

/// SGR colour of a severity.
fn sev_style(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Info => "2",
    }
}
const BOLD: &str = "1";
const DIM: &str = "2";

fn finding_block(o: &mut TerminalOut, f: &Finding, report: &Report) -> io::Result<()> {
    let accounts = &report.accounts;
    o.text("  ")?
        .styled(BOLD, &f.rule_id)?
        .text(&format!("  {}", subject(f, accounts)))?;
    if let (Some(b), true) = (f.brand(accounts), f.account_id(accounts).is_some()) {
        o.styled(DIM, &format!("  · brand {b}"))?;
    }
    if let Some(m) = &f.market {
        o.styled(DIM, &format!("  · market {m}"))?;
    }
    if f.baseline_state == Some(BaselineState::New) {
        o.text("  ")?.styled(BOLD, "NEW")?;
    }
    o.end()?;
    let text = report.text(f);
    o.line(&format!("      {}", text.message))?;
    if !text.advice.is_empty() {
        o.text("      ")?
            .styled(DIM, "Fix:")?
            .text(&format!(" {}", text.advice))?
            .end()?;
    }
    Ok(())
}

/// "HOW THE FILE WAS READ" with its lines (see [`super::reading`]).
fn reading_block(o: &mut TerminalOut, report: &Report) -> io::Result<()> {
    let lines = super::reading::lines(&report.input);
    if lines.is_empty() {
        return Ok(());
    }
    o.styled_line(BOLD, "HOW THE FILE WAS READ")?;
    for (label, text) in lines {
        o.line(&format!("  {label:<8} {text}"))?;
    }
    o.blank()
}

/// Writes the terminal summary. Every piece of it goes through [`TerminalOut`], so text from the
/// file (names, brands, headers, messages quoting values) shows control characters as escapes.
pub fn write(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let o = &mut TerminalOut::new(out, color);
    let ov = Overview::of(report);
    let i = &report.input;
    o.styled(BOLD, "wxaudit")?.line(&format!(
        " {} ({}, {}, {} rows{}) · as of {}",
        i.path,
        i.format,
        i.encoding,
        i.rows,
        if i.rejected_rows > 0 {
            format!(", {} rejected", i.rejected_rows)
        } else {
            String::new()
        },
        report.as_of
    ))?;
    // A verdict that rests on a column the importer did not read comes before the verdict.
    let cautions = super::reading::cautions(report);
    if !cautions.is_empty() {
        o.blank()?;
        o.styled_line(
            sev_style(Severity::High),
            "⚠ CHECK THE COLUMNS FIRST: some checks did not run because a header was not understood",
        )?;
        for c in &cautions {
            o.line(&format!("  {}", c.text()))?;
            o.text("      ")?
                .styled(DIM, "Fix:")?
                .text(&format!(" {}", c.fix()))?
                .end()?;
        }
        o.blank()?;
        reading_block(o, report)?;
    }
    let attention = cautions.is_empty() && super::reading::needs_attention(&report.input);
    let who = report
        .profile
        .name
        .as_deref()
        .map(|n| format!("{n}: "))
        .unwrap_or_default();
    o.line(&format!("Profile   {who}{}", profile_line(report)))?;
    o.line(&format!(
        "Accounts  {}   Weixin {} · WeChat {} · unknown {}",
        ov.summary.accounts, ov.summary.weixin, ov.summary.wechat, ov.summary.unknown
    ))?;
    o.text("Findings  ")?;
    for (n, s) in Severity::DESC.iter().enumerate() {
        if n > 0 {
            o.text(" · ")?;
        }
        o.styled(sev_style(*s), &format!("{s} {}", ov.severity(*s)))?;
    }
    if ov.summary.suppressed > 0 {
        o.text(&format!("   ({} accepted risks)", ov.summary.suppressed))?;
    }
    o.end()?;
    if let Some(b) = &report.baseline {
        o.line(&format!(
            "Since last audit ({b}): {} new · {} resolved · {} unchanged",
            ov.new, ov.resolved, ov.unchanged
        ))?;
    }
    o.blank()?;
    if attention {
        reading_block(o, report)?;
    }
    let by_severity = first_by_severity(report, LIST_CAP);
    o.styled_line(BOLD, &headline_of(report, &by_severity))?;
    o.blank()?;

    for (s, (count, first)) in Severity::DESC.into_iter().zip(by_severity) {
        if count == 0 {
            continue;
        }
        o.styled_line(
            sev_style(s),
            &format!("{} ({count})", s.as_str().to_uppercase()),
        )?;
        for f in first {
            finding_block(o, f, report)?;
        }
        if count > LIST_CAP {
            o.line(&format!(
                "  … and {} more (all of them: wxaudit audit FILE --format csv -o findings.csv)",
                count - LIST_CAP
            ))?;
        }
        o.blank()?;
    }

    if !report.resolved.is_empty() {
        o.styled_line(
            BOLD,
            &format!("RESOLVED since last audit ({})", report.resolved.len()),
        )?;
        for f in report.resolved.iter().take(LIST_CAP) {
            o.line(&format!(
                "  {} {}  {}",
                f.severity,
                f.rule_id,
                subject(f, crate::accounts::Accounts::empty())
            ))?;
        }
        o.blank()?;
    }

    if !report.not_evaluated.is_empty() {
        o.styled_line(BOLD, "NOT EVALUATED (checks that could not run)")?;
        for n in &report.not_evaluated {
            o.line(&format!(
                "  {:<10} {}",
                n.rule_id,
                super::not_evaluated_text(n)
            ))?;
        }
        o.blank()?;
    }

    if !report.suppressed.is_empty() {
        o.styled_line(
            BOLD,
            &format!("ACCEPTED RISKS ({}, suppressed)", report.suppressed.len()),
        )?;
        for s in first_suppressed(report, LIST_CAP) {
            let mut extra = String::new();
            if let Some(o) = &s.owner {
                extra.push_str(&format!(", owner {o}"));
            }
            if let Some(d) = s.expires {
                extra.push_str(&format!(", until {d}"));
            }
            o.styled_line(
                DIM,
                &format!(
                    "  {} {}  {} — {}{extra}",
                    s.finding.severity,
                    s.finding.rule_id,
                    subject(&s.finding, &report.accounts),
                    s.reason
                ),
            )?;
        }
        o.blank()?;
    }
    for (title, list) in [
        (
            "EXPIRED SUPPRESSIONS (no longer applied)",
            &report.expired_suppressions,
        ),
        (
            "STALE SUPPRESSIONS (match nothing; remove them)",
            &report.stale_suppressions,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        o.styled_line(BOLD, title)?;
        for e in list {
            let target = e.target();
            let exp = e
                .expires
                .map(|d| format!(" (expires {d})"))
                .unwrap_or_default();
            o.line(&format!("  {} on {}: {}{exp}", e.rule, target, e.reason))?;
        }
        o.blank()?;
    }

    if cautions.is_empty() && !attention {
        reading_block(o, report)?;
    }

    if !report.row_errors.is_empty() {
        o.styled_line(
            BOLD,
            &format!(
                "INPUT PROBLEMS ({}, {} skipped; the rest was audited)",
                super::reading::count(report.row_errors.len() as u64, "problem", "problems"),
                super::reading::count(report.input.rejected_rows, "row", "rows"),
            ),
        )?;
        for e in report.row_errors.iter().take(ROW_ERRORS_SHOWN) {
            o.line(&format!(
                "  {}",
                row_error_line(e, line_unit(&report.input))
            ))?;
        }
        if report.row_errors.len() > ROW_ERRORS_SHOWN {
            o.line(&format!(
                "  … and {} more (all of them: --format json)",
                report.row_errors.len() - ROW_ERRORS_SHOWN
            ))?;
        }
    }
    o.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RowError;
    use crate::report::testutil::sample_report;

    fn render(r: &Report, color: bool) -> String {
        let mut buf = Vec::new();
        write(r, color, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn summary_shows_counts_findings_fixes_and_input_problems() {
        let t = render(&sample_report(), false);
        assert!(!t.contains('\x1b'), "no colour when asked for none");
        assert!(
            t.contains("Accounts  2   Weixin 1 · WeChat 1 · unknown 0"),
            "{t}"
        );
        assert!(t.contains("critical 1 · high 1 · medium 0 · low 1 · info 0"));
        assert!(t.contains("targets CN, HK (inferred from the accounts' audiences)"));
        assert!(t.contains("CRITICAL (1)\n  REACH-001  brand Acme Coffee"));
        assert!(t.contains("Fix: REACH-002 advice"));
        assert!(t.contains("CMP-001    needs columns icp_filing"), "{t}");
        assert!(t.contains("line 4: row has neither id nor name (row skipped)"));
    }

    #[test]
    fn colour_only_when_asked() {
        let t = render(&sample_report(), true);
        assert!(t.contains("\x1b[1;31mcritical 1\x1b[0m"));
    }

    #[test]
    fn row_error_names_line_column_and_value() {
        let e = RowError {
            line: 7,
            column: Some("followers".into()),
            value: Some("lots".into()),
            message: "expected a number like 12,345 or 1.2万".into(),
            skipped: false,
        };
        assert_eq!(
            row_error_line(&e, "line"),
            "line 7, column followers, value \"lots\": expected a number like 12,345 or 1.2万"
        );
    }

    #[test]
    fn not_evaluated_rules_say_why() {
        let mut r = sample_report();
        r.not_evaluated.push(crate::model::NotEvaluated {
            rule_id: "OWN-002".into(),
            missing_columns: vec![],
            reason: Some("the company profile lists no legal entities".into()),
        });
        let t = render(&r, false);
        assert!(
            t.contains("OWN-002    the company profile lists no legal entities"),
            "{t}"
        );
    }
}
