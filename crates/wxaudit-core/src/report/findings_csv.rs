//! The CSV report: one row per finding, for people who sort and filter in Excel.
//!
//! Built on [`super::csv::Table`] (BOM, CRLF, formula guard) so the report and the TUI export
//! share one Excel-safe writer. Every finding appears: active ones (`status` = `open`), accepted
//! risks (`status` = `suppressed: <reason>`) and, with a baseline, findings fixed since the last
//! audit (`status` = `resolved`).

use super::csv::{Encoded, PutCell, Table};
use super::{baseline_label, finding_platform};
use crate::audit::{Fingerprinter, Report};
use crate::model::{Finding, Sym, Text};
use std::borrow::Cow;
use std::io::{self, Write};

/// Column headers, in order.
pub const HEADER: [&str; 14] = [
    "status",
    "severity",
    "rule_id",
    "account_id",
    "account_name",
    "platform",
    "brand",
    "market",
    "message",
    "advice",
    "evidence",
    "fingerprint",
    "baseline_state",
    "owner",
];

/// One cell of a report row: text borrowed from the report or made for the row, a
/// fingerprint (16 hex digits, held inline), or a rule's advice already in CSV form.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Fingerprint(Text),
    Encoded(&'a Encoded),
}

impl PutCell for Cell<'_> {
    #[inline]
    fn put_into(&self, out: &mut Vec<u8>) {
        match self {
            Cell::Text(t) => t.put_into(out),
            Cell::Fingerprint(f) => f.put_into(out),
            Cell::Encoded(e) => e.put_into(out),
        }
    }
}

/// Each rule's advice in CSV form, made once per report: a finding worded by its rule (no
/// words of its own) carries its rule's advice, the same text in every row.
struct AdviceCells(Vec<(Sym, Encoded)>);

impl AdviceCells {
    fn new(report: &Report) -> Self {
        AdviceCells(
            report
                .rules
                .ids()
                .iter()
                .map(|&id| (id, Encoded::new(report.rules.advice(id))))
                .collect(),
        )
    }

    /// The advice cell of `f`, when it is its rule's advice.
    fn of(&self, f: &Finding) -> Option<&Encoded> {
        if f.said.is_some() {
            return None;
        }
        self.0
            .iter()
            .find(|(id, _)| *id == f.rule_id)
            .map(|(_, e)| e)
    }
}

fn row<'a>(
    report: &'a Report,
    fingerprints: &Fingerprinter,
    advice_cells: &'a AdviceCells,
    f: &'a Finding,
    status: Cow<'a, str>,
    state: &'a str,
    owner: &'a str,
) -> [Cell<'a>; 14] {
    let (message, evidence, advice) = report.text(f).into_line_parts();
    let b = |s: &'a str| Cell::Text(Cow::Borrowed(s));
    let advice = match advice_cells.of(f) {
        Some(e) => Cell::Encoded(e),
        None => b(advice),
    };
    [
        Cell::Text(status),
        b(f.severity.as_str()),
        b(f.rule_id.as_str()),
        b(f.account_id(&report.accounts).unwrap_or("")),
        b(f.account_name(&report.accounts).unwrap_or("")),
        b(finding_platform(report, f)
            .map(|p| p.as_str())
            .unwrap_or("")),
        b(report.brand(f).unwrap_or("")),
        b(f.market.map_or("", |m| m.as_str())),
        Cell::Text(message),
        advice,
        Cell::Text(evidence),
        Cell::Fingerprint(fingerprints.of(f)),
        b(state),
        b(owner),
    ]
}

/// Writes the findings CSV; returns the number of data rows.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<u64> {
    let mut t = Table::start(out, &HEADER)?;
    let fingerprints = Fingerprinter::new(&report.accounts);
    let advice = AdviceCells::new(report);
    // Active findings can number in the millions: rendered on all cores, in order.
    let ahead = |chunk: &[Finding], k: usize| report.prefetch_ahead(chunk, k);
    t.rows_par(&report.findings, ahead, |f| {
        row(
            report,
            &fingerprints,
            &advice,
            f,
            Cow::Borrowed("open"),
            baseline_label(f),
            "",
        )
    })?;
    for s in &report.suppressed {
        let mut status = format!("suppressed: {}", s.reason);
        if let Some(d) = s.expires {
            status.push_str(&format!(" (until {d})"));
        }
        t.row(row(
            report,
            &fingerprints,
            &advice,
            &s.finding,
            Cow::Owned(status),
            baseline_label(&s.finding),
            s.owner.as_deref().unwrap_or(""),
        ))?;
    }
    for f in &report.resolved {
        t.row(row(
            report,
            &fingerprints,
            &advice,
            f,
            Cow::Borrowed("resolved"),
            "resolved",
            "",
        ))?;
    }
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SuppressedFinding;
    use crate::report::testutil::sample_report;

    fn render(r: &Report) -> String {
        let mut buf = Vec::new();
        write(r, &mut buf).unwrap();
        assert!(
            buf.starts_with(crate::report::csv::BOM),
            "UTF-8 BOM for Excel"
        );
        String::from_utf8(buf[3..].to_vec()).unwrap()
    }

    #[test]
    fn one_row_per_finding_with_platform_crlf_and_formula_guard() {
        let text = render(&sample_report());
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("status,severity,rule_id,account_id,account_name,platform"));
        assert!(lines[1].starts_with("open,critical,REACH-001,,,,Acme Coffee,CN,"));
        assert!(
            lines[2].starts_with("open,high,REACH-002,gh_hk01,'=Acme | HK,wechat,"),
            "formula-like account name is neutralised: {}",
            lines[2]
        );
        assert!(lines[3].contains("阿克米茶饮,weixin"));
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    }

    #[test]
    fn each_row_carries_its_own_finding_s_advice() {
        // The sample's findings have words of their own; copies without are worded by their rules.
        let mut r = sample_report();
        let worded_by_rule: Vec<Finding> = r
            .findings
            .iter()
            .map(|f| Finding {
                said: None,
                ..f.clone()
            })
            .collect();
        r.findings.extend(worded_by_rule);
        assert!(
            r.findings.iter().any(|f| f.said.is_some())
                && r.findings.iter().any(|f| f.said.is_none()),
            "the sample has findings with words of their own and findings their rule words"
        );
        let text = render(&r);
        let mut rows = ::csv::Reader::from_reader(text.as_bytes());
        let col = HEADER.iter().position(|h| *h == "advice").unwrap();
        let written: Vec<String> = rows
            .records()
            .map(|row| row.unwrap()[col].to_string())
            .collect();
        let expected: Vec<String> = r
            .findings
            .iter()
            .map(|f| crate::safe_text::csv_cell(r.text(f).advice).into_owned())
            .collect();
        assert_eq!(written, expected);
    }

    #[test]
    fn suppressed_and_resolved_findings_are_marked_not_dropped() {
        let mut r = sample_report();
        let f = r.findings.remove(1);
        r.suppressed.push(SuppressedFinding {
            finding: f,
            reason: "kept for HK press".into(),
            owner: Some("li.na@example.com".into()),
            expires: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
        });
        let mut gone = crate::report::testutil::finding(
            "PAY-006",
            crate::model::Severity::High,
            Some("gh_my01"),
            None,
            None,
        );
        gone.account = None;
        r.resolved.push(gone);
        let text = render(&r);
        assert!(text
            .contains("suppressed: kept for HK press (until 2027-01-31),high,REACH-002,gh_hk01"));
        assert!(text.contains("li.na@example.com"));
        assert!(text.contains("resolved,high,PAY-006,gh_my01"));
    }
}
