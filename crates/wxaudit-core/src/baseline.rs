//! Compares an audit with a previous saved JSON report: marks findings new/unchanged and lists
//! the resolved ones, by stable fingerprint.
//!
//! Why by fingerprint: it is built from the rule id, the account's identity and the brand (never
//! the row number), so re-sorting or re-exporting the spreadsheet does not make old findings look
//! new. A finding that was an accepted risk last time counts as seen before: the baseline is the
//! union of the previous report's open and suppressed findings, and so is the current side.
//!
//! A baseline that is missing, unreadable or not a wxaudit report is an error (exit 2), never a
//! silent full report.

use crate::audit::Report;
use crate::model::{BaselineState, Finding, Text};
use crate::report::json::{self, ReadError, SavedReport};
use std::collections::HashSet;
use std::path::Path;

/// Reads a saved JSON report to use as the baseline.
pub fn load(path: &Path) -> Result<SavedReport, ReadError> {
    json::read(path)
}

/// Marks each current finding (open and suppressed) `new` or `unchanged` against `base`, fills
/// `report.resolved` with the baseline findings that are gone, and records `label` as the
/// baseline's path.
pub fn apply(report: &mut Report, base: &SavedReport, label: &str) {
    let before: HashSet<&str> = base
        .findings
        .iter()
        .map(|f| f.finding.said_fingerprint())
        .chain(base.suppressed.iter().map(|s| s.finding.said_fingerprint()))
        .collect();
    let (open, suppressed) = current(report);
    let now: HashSet<&str> = open.iter().chain(&suppressed).map(Text::as_str).collect();
    let mut seen = HashSet::new();
    let resolved: Vec<Finding> = base
        .findings
        .iter()
        .map(|f| &f.finding)
        .chain(base.suppressed.iter().map(|s| &s.finding))
        .filter(|f| !now.contains(f.said_fingerprint()))
        .filter(|f| seen.insert(f.said_fingerprint()))
        .cloned()
        .collect();
    let marks = (
        marks(&open, |fp| before.contains(fp)),
        marks(&suppressed, |fp| before.contains(fp)),
    );
    finish(report, marks, resolved, label);
}

/// [`apply`] straight from a saved report file, streaming it: only the fingerprints and the
/// resolved findings are kept, so a baseline with millions of findings stays cheap. Returns the
/// baseline's audit date.
pub fn apply_file(
    report: &mut Report,
    path: &Path,
    label: &str,
) -> Result<Option<chrono::NaiveDate>, ReadError> {
    let (open, suppressed) = current(report);
    let now: HashSet<&str> = open.iter().chain(&suppressed).map(Text::as_str).collect();
    let mut before: HashSet<Text> = HashSet::new();
    let mut resolved = Vec::new();
    let header = json::read_findings(path, &mut |saved| {
        let fp = Text::from(saved.finding.said_fingerprint());
        if !now.contains(fp.as_str()) && !before.contains(&fp) {
            resolved.push(saved.finding);
        }
        before.insert(fp);
    })?;
    let marks = (
        marks(&open, |fp| before.contains(fp)),
        marks(&suppressed, |fp| before.contains(fp)),
    );
    finish(report, marks, resolved, label);
    Ok(header.as_of)
}

/// Fingerprints of the current findings: the open ones and the suppressed ones.
fn current(report: &Report) -> (Vec<Text>, Vec<Text>) {
    let suppressed = report
        .suppressed
        .iter()
        .map(|s| report.fingerprint(&s.finding));
    (report.fingerprints(&report.findings), suppressed.collect())
}

/// The baseline state of each finding whose fingerprints are `fps`.
fn marks(fps: &[Text], seen_before: impl Fn(&str) -> bool) -> Vec<BaselineState> {
    fps.iter()
        .map(|fp| {
            if seen_before(fp) {
                BaselineState::Unchanged
            } else {
                BaselineState::New
            }
        })
        .collect()
}

/// Sets the states `marks` (open findings, suppressed findings) and the resolved findings.
fn finish(
    report: &mut Report,
    marks: (Vec<BaselineState>, Vec<BaselineState>),
    resolved: Vec<Finding>,
    label: &str,
) {
    for (f, m) in report.findings.iter_mut().zip(marks.0) {
        f.baseline_state = Some(m);
    }
    for (s, m) in report.suppressed.iter_mut().zip(marks.1) {
        s.finding.baseline_state = Some(m);
    }
    let mut resolved: Vec<Finding> = resolved
        .into_iter()
        .map(|mut f| {
            f.baseline_state = None;
            f.account = None;
            f
        })
        .collect();
    resolved.sort_by(json::by_severity_desc);
    report.resolved = resolved;
    report.baseline = Some(label.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;
    use crate::report::testutil::{finding, sample_report, saved_report};

    fn saved(findings: Vec<Finding>) -> SavedReport {
        saved_report(vec![], findings, None)
    }

    #[test]
    fn marks_new_unchanged_and_resolved_by_fingerprint() {
        let mut r = sample_report();
        let old_same = r.findings[1].clone(); // REACH-002 gh_hk01
        let gone = finding("PAY-006", Severity::High, Some("gh_my01"), None, None);
        apply(&mut r, &saved(vec![old_same, gone.clone()]), "last.json");
        let states: Vec<_> = r
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.baseline_state))
            .collect();
        assert_eq!(
            states,
            vec![
                ("REACH-001", Some(BaselineState::New)),
                ("REACH-002", Some(BaselineState::Unchanged)),
                ("OWN-003", Some(BaselineState::New)),
            ]
        );
        assert_eq!(r.resolved.len(), 1);
        assert_eq!(r.resolved[0].said_fingerprint(), gone.said_fingerprint());
        assert_eq!(r.baseline.as_deref(), Some("last.json"));
    }

    #[test]
    fn same_findings_in_another_order_are_all_unchanged() {
        let mut r = sample_report();
        let mut old = r.findings.clone();
        old.reverse();
        apply(&mut r, &saved(old), "b.json");
        assert!(r
            .findings
            .iter()
            .all(|f| f.baseline_state == Some(BaselineState::Unchanged)));
        assert!(r.resolved.is_empty());
    }

    #[test]
    fn a_missing_or_invalid_baseline_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("last.json");
        assert!(load(&p).unwrap_err().to_string().contains("last.json"));
        std::fs::write(&p, "{ not json").unwrap();
        assert!(load(&p)
            .unwrap_err()
            .to_string()
            .contains("not a wxaudit JSON report"));
    }

    #[test]
    fn streaming_a_saved_report_gives_the_same_states_as_reading_it() {
        let mut old = sample_report();
        old.findings.truncate(2);
        old.findings.push(finding(
            "PAY-006",
            Severity::High,
            Some("gh_my01"),
            None,
            None,
        ));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.json");
        crate::atomic::write_file(&p, |w| json::write(&old, w)).unwrap();

        let mut a = sample_report();
        apply(&mut a, &load(&p).unwrap(), "old.json");
        let mut b = sample_report();
        let as_of = apply_file(&mut b, &p, "old.json").unwrap();
        assert_eq!(as_of, Some(old.as_of));
        assert_eq!(a.findings, b.findings);
        assert_eq!(a.resolved, b.resolved);
        assert_eq!(b.resolved.len(), 1);
        assert_eq!(b.findings[2].baseline_state, Some(BaselineState::New));

        std::fs::write(&p, "{\"findings\": []}").unwrap();
        let e = apply_file(&mut b, &p, "x").unwrap_err().to_string();
        assert!(e.contains("no schema_version"), "{e}");
        std::fs::write(&p, "[]").unwrap();
        assert!(apply_file(&mut b, &p, "x").is_err());
    }
}
