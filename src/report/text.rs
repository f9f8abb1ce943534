//! The readable terminal summary `wxaudit audit FILE` prints without `--format`.
//!
//! Meant for a person at a terminal: counts by platform and severity, the findings grouped by
//! severity with the account, the problem and the fix, what could not be checked and which columns
//! would let it, accepted risks, and the first few input problems with line, column and value.
//! Colour only when the caller says so (a TTY without `NO_COLOR`); the layout never depends on it.

use super::markdown::{headline, profile_line};
use super::{subject, Overview};
use crate::audit::Report;
use crate::model::{Account, BaselineState, Finding, RowError, Severity};
use std::io::{self, Write};

/// Most findings printed per severity.
pub const LIST_CAP: usize = 50;
/// Row problems printed.
pub const ROW_ERRORS_SHOWN: usize = 5;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn sev(&self, s: Severity, text: &str) -> String {
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, text)
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

/// "line 7, column followers, value "abc": expected a number (row skipped)"; `unit` is "line"
/// (text files) or "row" (workbook sheets), see [`line_unit`].
pub fn row_error_line(e: &RowError, unit: &str) -> String {
    let mut s = format!("{unit} {}", e.line);
    if let Some(c) = &e.column {
        s.push_str(&format!(", column {c}"));
    }
    if let Some(v) = &e.value {
        s.push_str(&format!(", value {v:?}"));
    }
    s.push_str(&format!(": {}", e.message));
    if e.skipped {
        s.push_str(" (row skipped)");
    }
    s
}

fn finding_block(
    w: &mut dyn Write,
    p: &Paint,
    f: &Finding,
    accounts: &[Account],
) -> io::Result<()> {
    let mut head = format!("  {}  {}", p.bold(&f.rule_id), subject(f, accounts));
    if let (Some(b), true) = (&f.brand, f.account_id(accounts).is_some()) {
        head.push_str(&p.dim(&format!("  · brand {b}")));
    }
    if let Some(m) = &f.market {
        head.push_str(&p.dim(&format!("  · market {m}")));
    }
    if f.baseline_state == Some(BaselineState::New) {
        head.push_str(&format!("  {}", p.bold("NEW")));
    }
    writeln!(w, "{head}")?;
    writeln!(w, "      {}", f.message(accounts))?;
    if !f.advice.is_empty() {
        writeln!(w, "      {} {}", p.dim("Fix:"), f.advice)?;
    }
    Ok(())
}

/// What a position in the input is called: "row" in a workbook sheet, "line" in a text file.
pub fn line_unit(input: &crate::import::InputInfo) -> &'static str {
    if input.format == "workbook" {
        "row"
    } else {
        "line"
    }
}

/// Text from the file made safe for a terminal: control characters (C0, C1, DEL) and bidi
/// overrides are shown as visible escapes (`\u{1b}`) instead of acting on the terminal.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let hostile =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(hostile) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hostile(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// "HOW THE FILE WAS READ" with its lines (see [`super::reading`]).
fn reading_block(w: &mut dyn Write, p: &Paint, report: &Report) -> io::Result<()> {
    let lines = super::reading::lines(&report.input);
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(w, "{}", p.bold("HOW THE FILE WAS READ"))?;
    for (label, text) in lines {
        writeln!(w, "  {label:<8} {}", visible(&text))?;
    }
    writeln!(w)
}

/// Writes the terminal summary.
pub fn write(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let w = out;
    let p = Paint { on: color };
    let o = Overview::of(report);
    let i = &report.input;
    writeln!(
        w,
        "{} {} ({}, {}, {} rows{}) · as of {}",
        p.bold("wxaudit"),
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
    )?;
    // A verdict that rests on a column the importer did not read comes before the verdict.
    let cautions = super::reading::cautions(report);
    if !cautions.is_empty() {
        writeln!(
            w,
            "\n{}",
            p.sev(
                Severity::High,
                "⚠ CHECK THE COLUMNS FIRST: some checks did not run because a header was not understood"
            )
        )?;
        for c in &cautions {
            writeln!(w, "  {}", visible(&c.text()))?;
            writeln!(w, "      {} {}", p.dim("Fix:"), visible(&c.fix()))?;
        }
        writeln!(w)?;
        reading_block(w, &p, report)?;
    }
    let attention = cautions.is_empty() && super::reading::needs_attention(&report.input);
    let who = report
        .profile
        .name
        .as_deref()
        .map(|n| format!("{n}: "))
        .unwrap_or_default();
    writeln!(w, "Profile   {who}{}", profile_line(report))?;
    writeln!(
        w,
        "Accounts  {}   Weixin {} · WeChat {} · unknown {}",
        o.summary.accounts, o.summary.weixin, o.summary.wechat, o.summary.unknown
    )?;
    let sev: Vec<String> = Severity::DESC
        .iter()
        .map(|s| p.sev(*s, &format!("{s} {}", o.severity(*s))))
        .collect();
    let mut line = format!("Findings  {}", sev.join(" · "));
    if o.summary.suppressed > 0 {
        line.push_str(&format!("   ({} accepted risks)", o.summary.suppressed));
    }
    writeln!(w, "{line}")?;
    if let Some(b) = &report.baseline {
        writeln!(
            w,
            "Since last audit ({b}): {} new · {} resolved · {} unchanged",
            o.new, o.resolved, o.unchanged
        )?;
    }
    writeln!(w)?;
    if attention {
        reading_block(w, &p, report)?;
    }
    writeln!(w, "{}\n", p.bold(&headline(report)))?;

    for s in Severity::DESC {
        let list: Vec<&Finding> = report.findings.iter().filter(|f| f.severity == s).collect();
        if list.is_empty() {
            continue;
        }
        writeln!(
            w,
            "{}",
            p.sev(
                s,
                &format!("{} ({})", s.as_str().to_uppercase(), list.len())
            )
        )?;
        for f in list.iter().take(LIST_CAP) {
            finding_block(w, &p, f, &report.accounts)?;
        }
        if list.len() > LIST_CAP {
            writeln!(
                w,
                "  … and {} more (all of them: wxaudit audit FILE --format csv -o findings.csv)",
                list.len() - LIST_CAP
            )?;
        }
        writeln!(w)?;
    }

    if !report.resolved.is_empty() {
        writeln!(
            w,
            "{}",
            p.bold(&format!(
                "RESOLVED since last audit ({})",
                report.resolved.len()
            ))
        )?;
        for f in report.resolved.iter().take(LIST_CAP) {
            writeln!(w, "  {} {}  {}", f.severity, f.rule_id, subject(f, &[]))?;
        }
        writeln!(w)?;
    }

    if !report.not_evaluated.is_empty() {
        writeln!(w, "{}", p.bold("NOT EVALUATED (checks that could not run)"))?;
        for n in &report.not_evaluated {
            writeln!(w, "  {:<10} {}", n.rule_id, super::not_evaluated_text(n))?;
        }
        writeln!(w)?;
    }

    if !report.suppressed.is_empty() {
        writeln!(
            w,
            "{}",
            p.bold(&format!(
                "ACCEPTED RISKS ({}, suppressed)",
                report.suppressed.len()
            ))
        )?;
        for s in report.suppressed.iter().take(LIST_CAP) {
            let mut extra = String::new();
            if let Some(o) = &s.owner {
                extra.push_str(&format!(", owner {o}"));
            }
            if let Some(d) = s.expires {
                extra.push_str(&format!(", until {d}"));
            }
            writeln!(
                w,
                "{}",
                p.dim(&format!(
                    "  {} {}  {} — {}{extra}",
                    s.finding.severity,
                    s.finding.rule_id,
                    subject(&s.finding, &report.accounts),
                    s.reason
                ))
            )?;
        }
        writeln!(w)?;
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
        writeln!(w, "{}", p.bold(title))?;
        for e in list {
            let target = e.target();
            let exp = e
                .expires
                .map(|d| format!(" (expires {d})"))
                .unwrap_or_default();
            writeln!(w, "  {} on {}: {}{exp}", e.rule, target, e.reason)?;
        }
        writeln!(w)?;
    }

    if cautions.is_empty() && !attention {
        reading_block(w, &p, report)?;
    }

    if !report.row_errors.is_empty() {
        writeln!(
            w,
            "{}",
            p.bold(&format!(
                "INPUT PROBLEMS ({} rows/values; the rest was audited)",
                report.row_errors.len()
            ))
        )?;
        for e in report.row_errors.iter().take(ROW_ERRORS_SHOWN) {
            writeln!(w, "  {}", row_error_line(e, line_unit(&report.input)))?;
        }
        if report.row_errors.len() > ROW_ERRORS_SHOWN {
            writeln!(
                w,
                "  … and {} more (all of them: --format json)",
                report.row_errors.len() - ROW_ERRORS_SHOWN
            )?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testutil::sample_report;

    fn render(r: &Report, color: bool) -> String {
        let mut buf = Vec::new();
        write(r, color, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn file_text_never_reaches_the_terminal_as_control_codes() {
        assert_eq!(visible("Evil\u{1b}]0;x\u{7}"), "Evil\\u{1b}]0;x\\u{7}");
        assert_eq!(visible("a\u{202e}b"), "a\\u{202e}b");
        assert!(matches!(
            visible("阿克米 ok"),
            std::borrow::Cow::Borrowed(_)
        ));
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
