//! `wxaudit diff OLD.json NEW.json`: what changed between two saved JSON reports.
//!
//! Why separate from [`crate::baseline`]: a baseline annotates a fresh audit, while a diff compares
//! two reports that already exist (e.g. last month's and this month's files in `reports/`), and it
//! also looks at the accounts: added, removed, and those whose platform or classification
//! confidence changed. Findings are matched by fingerprint (open and suppressed alike, as in
//! baselines); accounts by id, else by normalised name (NFKC, case-folded, spaces collapsed).

use crate::accounts::Accounts;
use crate::model::{Confidence, Finding, Platform, Text};
use crate::report::json::{
    self, by_severity_desc, ReadError, SavedAccount, SavedFinding, SavedReport,
};
use crate::report::markdown::cell;
use crate::safe_text::{markdown_code, TerminalOut};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// Output formats of `wxaudit diff --format` (the binary's `cli::args::DiffFormatArg` is its clap
/// form: the core has no clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    /// Readable text (the default).
    Text,
    /// Markdown for an email or wiki.
    Md,
    /// Machine-readable JSON.
    Json,
    /// Excel-safe CSV, one row per change.
    Csv,
}

/// A finding that appeared or disappeared, with its account's platform when the report had it.
#[derive(Debug, Clone)]
pub struct ChangedFinding {
    pub finding: Finding,
    pub platform: Option<Platform>,
}

/// Written exactly like a finding of a JSON report: the finding's fields, then `platform`.
impl Serialize for ChangedFinding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Read back from a saved report: the finding carries the account that report recorded.
        crate::report::json::FindingOut::new(&self.finding, None, self.platform).serialize(s)
    }
}

/// An account present in both reports whose platform or confidence changed.
#[derive(Debug, Clone, Serialize)]
pub struct AccountChange {
    pub id: Option<String>,
    pub name: Option<String>,
    pub platform: Change<Option<Platform>>,
    pub confidence: Change<Option<Confidence>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

/// Which report is which.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub path: String,
    pub as_of: Option<chrono::NaiveDate>,
    pub accounts: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DiffSummary {
    pub new_findings: u64,
    pub resolved_findings: u64,
    pub unchanged_findings: u64,
    pub accounts_added: u64,
    pub accounts_removed: u64,
    pub accounts_changed: u64,
}

/// Everything that changed between two reports.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub summary: DiffSummary,
    pub new_findings: Vec<ChangedFinding>,
    pub resolved_findings: Vec<ChangedFinding>,
    pub accounts_added: Vec<SavedAccount>,
    pub accounts_removed: Vec<SavedAccount>,
    pub accounts_changed: Vec<AccountChange>,
}

/// The identity an account is matched by across reports.
pub fn account_key(a: &SavedAccount) -> Option<String> {
    if let Some(id) = a.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        return Some(format!("id:{}", id.to_lowercase()));
    }
    let name = a.name.as_deref()?;
    let norm: String = name
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!norm.is_empty()).then(|| format!("name:{norm}"))
}

/// Reads one report's findings (open and suppressed), handing each to the callback. Called once
/// per pass: a report on disk is streamed again rather than held in memory.
type FindingPass<'a, E> = dyn FnMut(&mut dyn FnMut(SavedFinding)) -> Result<(), E> + 'a;

/// The findings that appeared and disappeared, and how many stayed, in three passes: the new
/// report's fingerprints; the old report (its fingerprints and what is gone); the new report again
/// for what is new. Only fingerprints and the changed findings are kept.
fn finding_changes<E>(
    old: &mut FindingPass<E>,
    new: &mut FindingPass<E>,
) -> Result<(Vec<ChangedFinding>, Vec<ChangedFinding>, u64), E> {
    let changed = |f: SavedFinding| {
        let mut finding = f.finding;
        finding.baseline_state = None;
        ChangedFinding {
            finding,
            platform: f.platform,
        }
    };
    let mut new_fp: HashSet<Text> = HashSet::new();
    new(&mut |f| {
        new_fp.insert(Text::from(f.finding.said_fingerprint()));
    })?;
    let mut old_fp: HashSet<Text> = HashSet::new();
    let mut resolved = Vec::new();
    old(&mut |f| {
        let fp = Text::from(f.finding.said_fingerprint());
        if !new_fp.contains(&fp) && !old_fp.contains(&fp) {
            resolved.push(changed(f));
        }
        old_fp.insert(fp);
    })?;
    let mut seen: HashSet<Text> = HashSet::new();
    let mut added = Vec::new();
    new(&mut |f| {
        let fp = f.finding.said_fingerprint();
        if !old_fp.contains(fp) && seen.insert(Text::from(fp)) {
            added.push(changed(f));
        }
    })?;
    let unchanged = new_fp.intersection(&old_fp).count() as u64;
    for list in [&mut added, &mut resolved] {
        list.sort_by(|a, b| by_severity_desc(&a.finding, &b.finding));
    }
    Ok((added, resolved, unchanged))
}

/// Compares two saved reports held in memory.
pub fn compare(old: &SavedReport, old_path: &str, new: &SavedReport, new_path: &str) -> Diff {
    let pass = |r: &SavedReport, each: &mut dyn FnMut(SavedFinding)| {
        for f in &r.findings {
            each(f.clone());
        }
        for s in &r.suppressed {
            each(SavedFinding {
                finding: s.finding.clone(),
                platform: None,
            });
        }
        Ok::<(), std::convert::Infallible>(())
    };
    let changes = match finding_changes(&mut |e| pass(old, e), &mut |e| pass(new, e)) {
        Ok(c) => c,
        Err(never) => match never {},
    };
    assemble(
        side_of(old_path, old.as_of, &old.accounts),
        side_of(new_path, new.as_of, &new.accounts),
        changes,
        account_changes(&old.accounts, &new.accounts),
    )
}

/// Compares two saved report files, streaming their findings: two reports with millions of
/// findings each cost about what their fingerprints and accounts do, not the whole files.
pub fn compare_files(old: &Path, new: &Path) -> Result<Diff, ReadError> {
    let mut old_accounts = Vec::new();
    let mut new_accounts = Vec::new();
    let (mut old_as_of, mut new_as_of) = (None, None);
    let mut new_passes = 0;
    let changes = finding_changes(
        &mut |each| {
            old_as_of = json::read_streaming(old, each, Some(&mut old_accounts))?.as_of;
            Ok(())
        },
        &mut |each| {
            new_passes += 1;
            // The accounts are read on the first pass only.
            let accounts = (new_passes == 1).then_some(&mut new_accounts);
            new_as_of = json::read_streaming(new, each, accounts)?.as_of;
            Ok(())
        },
    )?;
    let old_path = old.display().to_string();
    let new_path = new.display().to_string();
    Ok(assemble(
        side_of(&old_path, old_as_of, &old_accounts),
        side_of(&new_path, new_as_of, &new_accounts),
        changes,
        account_changes(&old_accounts, &new_accounts),
    ))
}

fn side_of(path: &str, as_of: Option<chrono::NaiveDate>, accounts: &[SavedAccount]) -> Side {
    Side {
        path: path.to_string(),
        as_of,
        accounts: accounts.len() as u64,
    }
}

/// Accounts added, removed, and changed (platform or confidence), matched by [`account_key`].
fn account_changes(
    old: &[SavedAccount],
    new: &[SavedAccount],
) -> (Vec<SavedAccount>, Vec<SavedAccount>, Vec<AccountChange>) {
    let index = |list: &[SavedAccount]| -> HashMap<String, usize> {
        let mut m = HashMap::with_capacity(list.len());
        for (i, a) in list.iter().enumerate() {
            if let Some(k) = account_key(a) {
                m.entry(k).or_insert(i);
            }
        }
        m
    };
    let old_ix = index(old);
    let new_ix = index(new);
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut seen = HashSet::new();
    for a in new {
        let Some(k) = account_key(a) else { continue };
        if !seen.insert(k.clone()) {
            continue;
        }
        match old_ix.get(&k) {
            None => added.push(a.clone()),
            Some(&i) => {
                let b = &old[i];
                if b.platform != a.platform || b.confidence != a.confidence {
                    changed.push(AccountChange {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        platform: Change {
                            before: b.platform,
                            after: a.platform,
                        },
                        confidence: Change {
                            before: b.confidence,
                            after: a.confidence,
                        },
                    });
                }
            }
        }
    }
    let mut seen = HashSet::new();
    let removed: Vec<SavedAccount> = old
        .iter()
        .filter(|a| account_key(a).is_some_and(|k| !new_ix.contains_key(&k) && seen.insert(k)))
        .cloned()
        .collect();
    (added, removed, changed)
}

fn assemble(
    old: Side,
    new: Side,
    (new_findings, resolved_findings, unchanged): (Vec<ChangedFinding>, Vec<ChangedFinding>, u64),
    (added, removed, changed): (Vec<SavedAccount>, Vec<SavedAccount>, Vec<AccountChange>),
) -> Diff {
    Diff {
        old,
        new,
        summary: DiffSummary {
            new_findings: new_findings.len() as u64,
            resolved_findings: resolved_findings.len() as u64,
            unchanged_findings: unchanged,
            accounts_added: added.len() as u64,
            accounts_removed: removed.len() as u64,
            accounts_changed: changed.len() as u64,
        },
        new_findings,
        resolved_findings,
        accounts_added: added,
        accounts_removed: removed,
        accounts_changed: changed,
    }
}

/// Findings read back from a saved report carry the account that report recorded.
fn who(f: &Finding) -> String {
    crate::report::subject(f, crate::accounts::Accounts::empty())
}

fn acct(a: &SavedAccount) -> String {
    account_text(&a.name, &a.id)
}

fn account_text(name: &Option<String>, id: &Option<String>) -> String {
    crate::report::name_and_id(name.as_deref(), id.as_deref())
        .unwrap_or_else(|| "(no id or name)".into())
}

fn opt<T: AsRef<str>>(v: Option<T>) -> String {
    v.map(|s| s.as_ref().to_string())
        .unwrap_or_else(|| "—".to_string())
}

fn change_text(c: &AccountChange) -> String {
    let mut parts = Vec::new();
    if c.platform.before != c.platform.after {
        parts.push(format!(
            "platform {} → {}",
            opt(c.platform.before.map(Platform::as_str)),
            opt(c.platform.after.map(Platform::as_str))
        ));
    }
    if c.confidence.before != c.confidence.after {
        parts.push(format!(
            "confidence {} → {}",
            opt(c.confidence.before.map(Confidence::as_str)),
            opt(c.confidence.after.map(Confidence::as_str))
        ));
    }
    parts.join("; ")
}

fn change_who(c: &AccountChange) -> String {
    account_text(&c.name, &c.id)
}

fn side(s: &Side) -> String {
    match s.as_of {
        Some(d) => format!("{} (as of {d})", s.path),
        None => s.path.clone(),
    }
}

/// Writes the diff in `format`.
pub fn write(d: &Diff, format: DiffFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DiffFormat::Text => write_text(d, out),
        DiffFormat::Md => write_md(d, out),
        DiffFormat::Json => {
            let mut guarded = crate::safe_text::JsonOut::new(&mut *out);
            serde_json::to_writer_pretty(&mut guarded, d).map_err(io::Error::from)?;
            guarded.write_all(b"\n")?;
            guarded.finish().map(|_| ())
        }
        DiffFormat::Csv => write_csv(d, out),
    }
}

/// The terminal form: every line through [`TerminalOut`], so names and messages from the saved
/// reports show control characters as escapes.
fn write_text(d: &Diff, w: &mut dyn Write) -> io::Result<()> {
    let o = &mut TerminalOut::new(w, false);
    let s = &d.summary;
    o.line(&format!("Changes from {}", side(&d.old)))?;
    o.line(&format!("          to {}", side(&d.new)))?;
    o.blank()?;
    o.line(&format!(
        "Findings  {} new · {} resolved · {} unchanged",
        s.new_findings, s.resolved_findings, s.unchanged_findings
    ))?;
    o.line(&format!(
        "Accounts  {} added · {} removed · {} changed platform/confidence",
        s.accounts_added, s.accounts_removed, s.accounts_changed
    ))?;
    o.blank()?;
    for (title, list) in [
        ("NEW FINDINGS", &d.new_findings),
        ("RESOLVED FINDINGS", &d.resolved_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        o.line(&format!("{title} ({})", list.len()))?;
        for c in list {
            let f = &c.finding;
            o.line(&format!(
                "  {:<8} {:<9} {}",
                f.severity.as_str(),
                f.rule_id.as_str(),
                who(f)
            ))?;
            o.line(&format!("           {}", f.said_message()))?;
        }
        o.blank()?;
    }
    for (title, list) in [
        ("ACCOUNTS ADDED", &d.accounts_added),
        ("ACCOUNTS REMOVED", &d.accounts_removed),
    ] {
        if list.is_empty() {
            continue;
        }
        o.line(&format!("{title} ({})", list.len()))?;
        for a in list {
            o.line(&format!(
                "  {}  [{}]",
                acct(a),
                opt(a.platform.map(Platform::as_str))
            ))?;
        }
        o.blank()?;
    }
    if !d.accounts_changed.is_empty() {
        o.line(&format!("ACCOUNTS CHANGED ({})", d.accounts_changed.len()))?;
        for c in &d.accounts_changed {
            o.line(&format!("  {}: {}", change_who(c), change_text(c)))?;
        }
        o.blank()?;
    }
    if s.new_findings
        + s.resolved_findings
        + s.accounts_added
        + s.accounts_removed
        + s.accounts_changed
        == 0
    {
        o.line("No changes.")?;
    }
    o.flush()
}

fn write_md(d: &Diff, w: &mut dyn Write) -> io::Result<()> {
    let s = &d.summary;
    writeln!(w, "# Weixin/WeChat audit: what changed\n")?;
    writeln!(
        w,
        "From `{}` to `{}`.\n",
        markdown_code(&side(&d.old)),
        markdown_code(&side(&d.new))
    )?;
    writeln!(w, "| | Count |\n|---|---:|")?;
    writeln!(w, "| new findings | {} |", s.new_findings)?;
    writeln!(w, "| resolved findings | {} |", s.resolved_findings)?;
    writeln!(w, "| unchanged findings | {} |", s.unchanged_findings)?;
    writeln!(w, "| accounts added | {} |", s.accounts_added)?;
    writeln!(w, "| accounts removed | {} |", s.accounts_removed)?;
    writeln!(
        w,
        "| accounts whose platform/confidence changed | {} |\n",
        s.accounts_changed
    )?;
    for (title, list) in [
        ("New findings", &d.new_findings),
        ("Resolved findings", &d.resolved_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(w, "## {title}\n")?;
        writeln!(
            w,
            "| Severity | Rule | Account | Problem |\n|---|---|---|---|"
        )?;
        for c in list {
            let f = &c.finding;
            writeln!(
                w,
                "| {} | {} | {} | {} |",
                f.severity,
                cell(&f.rule_id),
                cell(&who(f)),
                cell(f.said_message())
            )?;
        }
        writeln!(w)?;
    }
    for (title, list) in [
        ("Accounts added", &d.accounts_added),
        ("Accounts removed", &d.accounts_removed),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(w, "## {title}\n")?;
        for a in list {
            writeln!(
                w,
                "- {} ({})",
                cell(&acct(a)),
                opt(a.platform.map(Platform::label))
            )?;
        }
        writeln!(w)?;
    }
    if !d.accounts_changed.is_empty() {
        writeln!(w, "## Accounts changed\n")?;
        for c in &d.accounts_changed {
            writeln!(w, "- {}: {}", cell(&change_who(c)), change_text(c))?;
        }
        writeln!(w)?;
    }
    w.flush()
}

/// CSV columns of the diff, one row per change.
pub const CSV_HEADER: [&str; 10] = [
    "change",
    "severity",
    "rule_id",
    "account_id",
    "account_name",
    "platform",
    "brand",
    "message",
    "detail",
    "fingerprint",
];

fn write_csv(d: &Diff, w: &mut dyn Write) -> io::Result<()> {
    let finding_rows = |kind: &'static str, list: &'_ [ChangedFinding]| {
        list.iter()
            .map(|c| {
                let f = &c.finding;
                vec![
                    kind.to_string(),
                    f.severity.to_string(),
                    f.rule_id.to_string(),
                    f.account_id(Accounts::empty()).unwrap_or("").to_string(),
                    f.account_name(Accounts::empty()).unwrap_or("").to_string(),
                    c.platform.map(|p| p.to_string()).unwrap_or_default(),
                    f.brand(Accounts::empty()).unwrap_or("").to_string(),
                    f.said_message().to_string(),
                    f.said_advice().to_string(),
                    f.said_fingerprint().to_string(),
                ]
            })
            .collect::<Vec<_>>()
    };
    let account_rows = |kind: &'static str, list: &'_ [SavedAccount]| {
        list.iter()
            .map(|a| {
                vec![
                    kind.to_string(),
                    String::new(),
                    String::new(),
                    a.id.clone().unwrap_or_default(),
                    a.name.clone().unwrap_or_default(),
                    a.platform.map(|p| p.to_string()).unwrap_or_default(),
                    a.brand.clone().unwrap_or_default(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]
            })
            .collect::<Vec<_>>()
    };
    let changed = d.accounts_changed.iter().map(|c| {
        vec![
            "account_changed".to_string(),
            String::new(),
            String::new(),
            c.id.clone().unwrap_or_default(),
            c.name.clone().unwrap_or_default(),
            c.platform.after.map(|p| p.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            change_text(c),
            String::new(),
        ]
    });
    let rows = finding_rows("new_finding", &d.new_findings)
        .into_iter()
        .chain(finding_rows("resolved_finding", &d.resolved_findings))
        .chain(account_rows("account_added", &d.accounts_added))
        .chain(account_rows("account_removed", &d.accounts_removed))
        .chain(changed);
    crate::report::csv::write_table(&mut *w, &CSV_HEADER, rows)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;
    use crate::report::testutil::{finding, saved_report};

    fn acc(id: Option<&str>, name: &str, p: Platform, c: Confidence) -> SavedAccount {
        SavedAccount {
            id: id.map(Into::into),
            name: Some(name.into()),
            platform: Some(p),
            confidence: Some(c),
            brand: None,
        }
    }

    fn report(accounts: Vec<SavedAccount>, findings: Vec<Finding>) -> SavedReport {
        saved_report(accounts, findings, Some(Platform::Wechat))
    }

    /// Streaming two report files gives exactly the diff of the two reports read whole.
    #[test]
    fn files_streamed_compare_like_reports_held_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let sample = |name: &str| {
            let opts = crate::pipeline::PipelineOptions {
                input: Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../sample-data")
                    .join(name),
                as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
                ..Default::default()
            };
            let report = crate::pipeline::run(&opts, &|_, _, _| {}).unwrap();
            let path = dir.path().join(format!("{name}.json"));
            let mut buf = Vec::new();
            json::write(&report, &mut buf).unwrap();
            std::fs::write(&path, buf).unwrap();
            path
        };
        let (clean, acme) = (sample("clean-accounts.csv"), sample("acme-accounts.csv"));
        let as_json = |d: &Diff| {
            let mut buf = Vec::new();
            write(d, DiffFormat::Json, &mut buf).unwrap();
            String::from_utf8(buf).unwrap()
        };
        for (old, new) in [(&clean, &acme), (&acme, &clean)] {
            let streamed = compare_files(old, new).unwrap();
            let (o, n) = (json::read(old).unwrap(), json::read(new).unwrap());
            let held = compare(
                &o,
                &old.display().to_string(),
                &n,
                &new.display().to_string(),
            );
            let s = &streamed.summary;
            assert!(s.new_findings + s.resolved_findings > 0, "{s:?}");
            assert!(s.accounts_added + s.accounts_removed > 0, "{s:?}");
            assert_eq!(as_json(&streamed), as_json(&held));
        }
    }

    fn sample() -> Diff {
        let f_same = finding("OWN-003", Severity::Low, Some("gh_1"), None, None);
        let f_gone = finding(
            "PAY-006",
            Severity::High,
            Some("gh_my"),
            Some("Acme MY"),
            None,
        );
        let f_new = finding(
            "REACH-002",
            Severity::High,
            Some("gh_hk"),
            Some("=Acme|HK"),
            None,
        );
        let old = report(
            vec![
                acc(Some("gh_1"), "Acme", Platform::Wechat, Confidence::Low),
                acc(Some("gh_my"), "Acme MY", Platform::Wechat, Confidence::High),
                acc(None, "Ｓales  Team", Platform::Unknown, Confidence::None),
            ],
            vec![f_same.clone(), f_gone],
        );
        let new = report(
            vec![
                acc(
                    Some("GH_1"),
                    "Acme renamed",
                    Platform::Weixin,
                    Confidence::High,
                ),
                acc(
                    Some("gh_hk"),
                    "=Acme|HK",
                    Platform::Wechat,
                    Confidence::High,
                ),
                acc(None, "sales team", Platform::Unknown, Confidence::None),
            ],
            vec![f_new, f_same],
        );
        compare(&old, "old.json", &new, "new.json")
    }

    #[test]
    fn finds_new_resolved_added_removed_and_changed() {
        let d = sample();
        assert_eq!(d.summary.new_findings, 1);
        assert_eq!(d.new_findings[0].finding.rule_id, "REACH-002");
        assert_eq!(d.resolved_findings[0].finding.rule_id, "PAY-006");
        assert_eq!(d.summary.unchanged_findings, 1);
        let added: Vec<_> = d.accounts_added.iter().map(|a| a.id.clone()).collect();
        assert_eq!(added, vec![Some("gh_hk".to_string())]);
        assert_eq!(d.accounts_removed[0].id.as_deref(), Some("gh_my"));
        assert_eq!(
            d.accounts_changed.len(),
            1,
            "name matched after NFKC and case folding"
        );
        assert_eq!(
            change_text(&d.accounts_changed[0]),
            "platform wechat → weixin; confidence low → high"
        );
    }

    #[test]
    fn renders_in_every_format() {
        let d = sample();
        let out = |f| {
            let mut b = Vec::new();
            write(&d, f, &mut b).unwrap();
            b
        };
        let text = String::from_utf8(out(DiffFormat::Text)).unwrap();
        assert!(
            text.contains("Findings  1 new · 1 resolved · 1 unchanged"),
            "{text}"
        );
        assert!(
            text.contains("ACCOUNTS CHANGED (1)\n  Acme renamed (GH_1): platform wechat → weixin")
        );
        let md = String::from_utf8(out(DiffFormat::Md)).unwrap();
        assert!(md.contains("| new findings | 1 |"));
        assert!(md.contains("=Acme\\|HK"), "{md}");
        let json: serde_json::Value = serde_json::from_slice(&out(DiffFormat::Json)).unwrap();
        assert_eq!(json["summary"]["accounts_removed"], 1);
        assert_eq!(json["accounts_changed"][0]["platform"]["after"], "weixin");
        assert_eq!(
            json["new_findings"][0]["fingerprint"],
            d.new_findings[0].finding.said_fingerprint()
        );
        let csv = out(DiffFormat::Csv);
        assert!(csv.starts_with(crate::report::csv::BOM));
        let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert!(
            csv.contains("new_finding,high,REACH-002,gh_hk,'=Acme|HK,wechat"),
            "{csv}"
        );
        assert!(csv.contains("account_removed,,,gh_my,Acme MY"));
        assert!(csv.contains("account_changed,,,GH_1,Acme renamed,weixin"));
    }
}
