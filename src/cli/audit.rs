//! `wxaudit audit FILE`: the headless audit for scripts, cron and CI.
//!
//! Order matters for "a failed run writes nothing": every input (config, baseline, suppressions,
//! rules, profile, inventory) is read and the whole report built before the first byte of output
//! is written, and each output file is written atomically.

use super::args::AuditArgs;
use super::{emit, pipeline_options, refuse_input, stdout_color, Target};
use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use wxaudit::atomic::{Fill, Part};
use wxaudit::audit::Report;
use wxaudit::model::{BaselineState, Severity};
use wxaudit::output_guard::{same_file, Inputs};
use wxaudit::pipeline::{self, Stage};
use wxaudit::report::{self, Format};

/// Inputs at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 8 << 20;

pub fn run(a: AuditArgs) -> Result<i32> {
    let config = wxaudit::config::load(a.input.config.as_deref())?;
    let cfg = config.as_ref();
    let mut opts = pipeline_options(&a.file, &a.input, cfg)?;

    let output = a
        .output
        .clone()
        .or_else(|| cfg.and_then(|c| c.output.clone()));
    let target = Target::of(output.as_deref());
    let format = a
        .format
        .map(Format::from)
        .or_else(|| match &target {
            Target::File(p) => Format::from_extension(p),
            _ => None,
        })
        .or_else(|| cfg.and_then(|c| c.format))
        .unwrap_or(Format::Text);
    // The terminal summary and the Markdown page show the first fifty findings a severity and
    // pick them themselves; CSV and JSON (and the -o DIR/ set) list them all, in report order.
    if matches!(format, Format::Text | Format::Md) && !matches!(target, Target::Dir(_)) {
        opts.order = wxaudit::order::FindingOrder::AsFound;
    }
    let fail_on = a
        .fail_on
        .or_else(|| cfg.and_then(|c| c.fail_on))
        .unwrap_or(Severity::High);
    let fail_on_new = a.fail_on_new || cfg.and_then(|c| c.fail_on_new).unwrap_or(false);
    let baseline_arg = a
        .baseline
        .clone()
        .or_else(|| cfg.and_then(|c| c.baseline.clone()));

    // Which baseline: `auto` means the previous latest.json of the report directory.
    let baseline = match baseline_arg.as_deref() {
        None => None,
        Some(b) if b.eq_ignore_ascii_case("auto") => match &target {
            Target::Dir(dir) => Some(Baseline::Auto(dir.clone())),
            // `baseline = "auto"` in the config with the output redirected on the command line
            // (e.g. `-o -`): nothing to compare with, and not the user's request to fail.
            _ if a.baseline.is_none() => {
                eprintln!(
                    "wxaudit: baseline \"auto\" from the config is ignored: the report is not \
                     going to a directory"
                );
                None
            }
            _ => {
                return Err(anyhow!(
                    "--baseline auto needs -o DIR/ (it compares with DIR/latest.json); \
                     give a report file instead, e.g. --baseline last-month.json"
                ))
            }
        },
        Some(p) => Some(Baseline::File(PathBuf::from(p))),
    };
    // A baseline that cannot even be opened fails the run before the audit; its content is
    // streamed after the audit (only fingerprints and resolved findings are kept).
    if let Some(Baseline::File(p)) = &baseline {
        std::fs::File::open(p)
            .map_err(|e| anyhow!("{}: cannot read the baseline report: {e}", p.display()))?;
    }

    // Nothing may be written over a file this run reads (checked again for the -o DIR/ set once
    // the report's date is known).
    let mut inputs = Inputs::of(&opts, cfg.map(|c| c.path.as_path()));
    if let Some(Baseline::File(p)) = &baseline {
        inputs.add("baseline report", p);
    }
    if let Target::File(p) = &target {
        refuse_input(&inputs, p)?;
    }

    if let Some(notice) = waiting_notice(&a.file, std::io::stderr().is_terminal()) {
        eprintln!("{notice}");
    }

    let bar = progress_bar(&a.file);
    let progress = |stage: Stage, done: u64, total: u64| {
        if let Some(bar) = &bar {
            match stage {
                Stage::Reading => {
                    bar.set_length(total.max(1));
                    bar.set_position(done);
                }
                Stage::Auditing => {
                    if bar.message() != "auditing" {
                        // Counted in accounts' passes now, not bytes.
                        bar.set_style(bar_style(
                            "{spinner} {msg:10} [{bar:30}] {percent:>3}% ({eta})",
                        ));
                        bar.set_message("auditing");
                        bar.set_position(0);
                    }
                    bar.set_length(total.max(1));
                    bar.set_position(done);
                }
            }
        }
    };
    wxaudit::phases::begin();
    let result = pipeline::run(&opts, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut report = result.map_err(|e| name_the_file(e, &opts))?;
    let used_baseline = match &baseline {
        None => None,
        Some(Baseline::File(p)) => {
            let base_as_of =
                wxaudit::baseline::apply_file(&mut report, p, &p.display().to_string())?;
            report.baseline = Some(baseline_label(p, base_as_of, &report));
            Some(p.clone())
        }
        Some(Baseline::Auto(dir)) => auto_baseline(&mut report, dir),
    };

    let to_screen_text = target == Target::Stdout && format == Format::Text;
    match &target {
        Target::Stdout => {
            let color = format == Format::Text && stdout_color();
            keep_verdict(emit(None, |w| report::render(&report, format, color, w)))?;
        }
        Target::File(p) => {
            emit(Some(p), |w| report::render(&report, format, false, w))?;
            eprintln!(
                "wxaudit: wrote {}",
                wxaudit::safe_text::terminal(&p.display().to_string())
            );
        }
        Target::Dir(dir) => {
            if a.format.is_some() {
                eprintln!(
                    "wxaudit: --format is ignored with -o DIR/: JSON, CSV and Markdown are all written"
                );
            }
            // The baseline may be one of the set's files (latest.json, or today's dated report
            // it fell back to): it has been read in full, and replacing it is the point of a
            // report folder. Every other input is protected.
            let set = dir_set(&report, dir);
            let mut guard = inputs.clone();
            if let Some(b) = &used_baseline {
                if set.iter().any(|(p, _)| same_file(p, b)) {
                    guard.allow(b);
                }
            }
            for (p, _) in &set {
                refuse_input(&guard, p)?;
            }
            let written = write_dir(&report, set)?;
            keep_verdict(emit(None, |w| {
                report::render(&report, Format::Text, stdout_color(), w)
            }))?;
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "wxaudit: wrote {}",
                wxaudit::safe_text::terminal(&names.join(", "))
            );
        }
    }
    wxaudit::phases::mark("report");
    if !to_screen_text {
        diagnostics(&report);
    }

    let failing = report
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .filter(|f| !fail_on_new || f.baseline_state != Some(BaselineState::Unchanged))
        .count();
    // Freeing millions of findings one by one takes a second or more at the 1M scale; the
    // process is about to exit and the OS reclaims everything at once.
    std::mem::forget(report);
    if failing > 0 {
        if !to_screen_text {
            eprintln!(
                "wxaudit: {failing} {}finding{} at or above {fail_on}",
                if fail_on_new { "new " } else { "" },
                if failing == 1 { "" } else { "s" }
            );
        }
        return Ok(1);
    }
    Ok(0)
}

/// How the report names its baseline. `DIR/latest.json` is about to be replaced by this run, so
/// name the dated report it was a copy of (`DIR/audit-<its date>.json`) when that file exists.
fn baseline_label(path: &Path, base_as_of: Option<chrono::NaiveDate>, now: &Report) -> String {
    if path.file_name().is_some_and(|n| n == "latest.json") {
        if let (Some(dir), Some(date)) = (path.parent(), base_as_of) {
            let dated = dir.join(format!("audit-{}.json", date.format("%Y-%m-%d")));
            if date != now.as_of && dated.is_file() {
                return dated.display().to_string();
            }
        }
    }
    path.display().to_string()
}

/// A reader that closed the pipe early (`| head`) is not an error, and the exit code still
/// reports the audit's verdict.
fn keep_verdict(r: Result<()>) -> Result<()> {
    match r {
        Err(e) if super::is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

/// Makes sure a profile or rules error names its file (the message is shown alone).
fn name_the_file(e: pipeline::PipelineError, opts: &pipeline::PipelineOptions) -> anyhow::Error {
    let msg = e.to_string();
    let file = match &e {
        pipeline::PipelineError::Profile(_) => opts.profile.file.as_ref(),
        pipeline::PipelineError::Rules(_) => opts.rules.as_ref(),
        _ => None,
    };
    match file {
        Some(p) if !msg.contains(&p.display().to_string()) => anyhow!("{}: {msg}", p.display()),
        _ => anyhow::Error::new(e),
    }
}

/// How the file was read and its input problems, on stderr, when the report itself went
/// elsewhere (a CSV or JSON report has no room for them a person would read).
fn diagnostics(report: &Report) {
    let mut err = std::io::stderr().lock();
    let cautions = report::reading::cautions(report);
    for c in &cautions {
        let _ = writeln!(
            err,
            "wxaudit: warning: {}; fix: {}",
            wxaudit::safe_text::terminal(&c.text()),
            wxaudit::safe_text::terminal(&c.fix())
        );
    }
    if !cautions.is_empty() || report::reading::needs_attention(&report.input) {
        let _ = writeln!(
            err,
            "wxaudit: how {} was read:",
            wxaudit::safe_text::terminal(&report.input.path)
        );
        for (label, text) in report::reading::lines(&report.input) {
            let _ = writeln!(err, "  {label:<8} {}", wxaudit::safe_text::terminal(&text));
        }
    }
    if report.row_errors.is_empty() {
        return;
    }
    let _ = writeln!(
        err,
        "wxaudit: {}: {} ({} skipped); the rest was audited",
        wxaudit::safe_text::terminal(&report.input.path),
        report::reading::count(
            report.row_errors.len() as u64,
            "row problem",
            "row problems"
        ),
        report::reading::count(report.input.rejected_rows, "row", "rows"),
    );
    for e in report.row_errors.iter().take(3) {
        let _ = writeln!(
            err,
            "  {}",
            wxaudit::safe_text::terminal(&report::reading::row_error_line(
                e,
                report::reading::line_unit(&report.input)
            ))
        );
    }
}

/// Where the baseline comes from.
enum Baseline {
    /// `--baseline FILE`: must be readable (exit 2 otherwise).
    File(PathBuf),
    /// `--baseline auto` with `-o DIR/`: DIR/latest.json, else the newest readable dated report.
    Auto(PathBuf),
}

/// `--baseline auto`: applies DIR/latest.json; when it is missing or broken, the newest readable
/// `DIR/audit-YYYY-MM-DD.json` (said on stderr and in the report's baseline label); when none
/// is readable, no baseline, with a warning. Returns the file used.
fn auto_baseline(report: &mut Report, dir: &Path) -> Option<PathBuf> {
    use wxaudit::safe_text::terminal as visible;
    let latest = dir.join("latest.json");
    let dated = dated_reports(dir);
    let problem = if latest.is_file() {
        match wxaudit::baseline::apply_file(report, &latest, &latest.display().to_string()) {
            Ok(as_of) => {
                report.baseline = Some(baseline_label(&latest, as_of, report));
                return Some(latest);
            }
            Err(e) => {
                eprintln!(
                    "wxaudit: warning: {}; it cannot be the baseline, so the newest readable \
                     dated report in {} is used instead (this run replaces latest.json)",
                    visible(&e.to_string()),
                    dir.display()
                );
                format!("{} could not be read", latest.display())
            }
        }
    } else if dated.is_empty() {
        // The first run into this folder.
        eprintln!(
            "wxaudit: no previous report at {}: this audit has no baseline \
             (every finding counts as new)",
            latest.display()
        );
        return None;
    } else {
        format!("there was no {}", latest.display())
    };
    for file in dated {
        let label = format!("{} ({problem})", file.display());
        match wxaudit::baseline::apply_file(report, &file, &label) {
            Ok(_) => {
                eprintln!("wxaudit: baseline: {}", file.display());
                return Some(file);
            }
            Err(e) => eprintln!(
                "wxaudit: warning: {}; skipped as a baseline",
                visible(&e.to_string())
            ),
        }
    }
    eprintln!(
        "wxaudit: warning: no readable previous report in {} ({problem}): this audit has no \
         baseline (every finding counts as new)",
        dir.display()
    );
    None
}

/// `DIR/audit-YYYY-MM-DD.json` files, newest date first.
fn dated_reports(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(chrono::NaiveDate, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let date = name
                .to_str()?
                .strip_prefix("audit-")?
                .strip_suffix(".json")?
                .parse::<chrono::NaiveDate>()
                .ok()?;
            e.path().is_file().then(|| (date, e.path()))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, p)| p).collect()
}

/// The `-o DIR/` set: audit-<as_of>.json/.csv/.md, then latest.json (last: it is the commit
/// point, so it only ever points at a complete set).
fn dir_set(report: &Report, dir: &Path) -> Vec<(PathBuf, Format)> {
    let stem = format!("audit-{}", report.as_of.format("%Y-%m-%d"));
    vec![
        (dir.join(format!("{stem}.json")), Format::Json),
        (dir.join(format!("{stem}.csv")), Format::Csv),
        (dir.join(format!("{stem}.md")), Format::Md),
        (dir.join("latest.json"), Format::Json),
    ]
}

/// Writes the `-o DIR/` set as a unit ([`wxaudit::atomic::write_set`]): a failure or a signal
/// before the renames leaves the previous set whole.
fn write_dir(report: &Report, set: Vec<(PathBuf, Format)>) -> Result<Vec<PathBuf>> {
    if let Some(dir) = set.first().and_then(|(p, _)| p.parent()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow!("{}: cannot create the report directory: {e}", dir.display()))?;
    }
    let written: Vec<PathBuf> = set.iter().map(|(p, _)| p.clone()).collect();
    let parts: Vec<Part> = set
        .into_iter()
        .map(|(p, format)| {
            let fill: Fill = Box::new(move |w| report::render(report, format, false, w));
            (p, fill)
        })
        .collect();
    wxaudit::atomic::write_set(parts).map_err(|e| super::write_error(&e.path, &e.error))?;
    Ok(written)
}

/// The line shown before reading an input that may wait for a writer (`-` or a FIFO), when
/// standard error is a terminal someone is looking at. None for a regular file.
fn waiting_notice(input: &Path, stderr_is_terminal: bool) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    if !stderr_is_terminal {
        return None;
    }
    if input.as_os_str() == "-" {
        // Redirected from a file (`< x.csv`): the data is all there.
        let from_file = std::fs::metadata("/dev/stdin").is_ok_and(|m| m.is_file());
        return (!from_file).then(|| {
            "wxaudit: waiting for data on standard input… (Ctrl-D ends it, Ctrl-C cancels)".into()
        });
    }
    let fifo = std::fs::metadata(input).is_ok_and(|m| m.file_type().is_fifo());
    fifo.then(|| {
        format!(
            "wxaudit: waiting for data on {}… (the program writing it ends it, Ctrl-C cancels)",
            wxaudit::safe_text::terminal(&input.display().to_string())
        )
    })
}

fn progress_bar(file: &Path) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let size = std::fs::metadata(file).ok()?.len();
    if size < PROGRESS_MIN_BYTES {
        return None;
    }
    let bar = ProgressBar::new(size);
    bar.set_style(bar_style(
        "{spinner} {msg:10} [{bar:30}] {bytes}/{total_bytes} ({eta})",
    ));
    bar.set_message("reading");
    Some(bar)
}

fn bar_style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_or_standard_input_says_it_is_waiting_only_on_a_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("feed");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let msg = waiting_notice(&fifo, true).expect("a notice for a FIFO");
        assert!(
            msg.contains("waiting for data on") && msg.contains("feed"),
            "{msg}"
        );
        assert_eq!(waiting_notice(&fifo, false), None);
        let file = dir.path().join("x.csv");
        std::fs::write(&file, "id\n").unwrap();
        assert_eq!(waiting_notice(&file, true), None);
    }

    #[test]
    fn dated_reports_come_newest_first_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for n in [
            "audit-2026-10-01.json",
            "audit-2026-11-20.json",
            "audit-2026-11-20.csv",
            "latest.json",
            "audit-notadate.json",
        ] {
            std::fs::write(dir.path().join(n), "{}").unwrap();
        }
        let names: Vec<String> = dated_reports(dir.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec!["audit-2026-11-20.json", "audit-2026-10-01.json"]
        );
    }
}
