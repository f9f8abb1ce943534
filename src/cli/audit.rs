//! `wxaudit audit FILE`: the headless audit for scripts, cron and CI.
//!
//! Order matters for "a failed run writes nothing": every input (config, baseline, suppressions,
//! rules, profile, inventory) is read and the whole report built before the first byte of output
//! is written, and each output file is written atomically.

use super::args::AuditArgs;
use super::{emit, pipeline_options, stdout_color, Target};
use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use wxaudit::audit::Report;
use wxaudit::model::{BaselineState, Severity};
use wxaudit::pipeline::{self, Stage};
use wxaudit::report::{self, Format};

/// Inputs at least this large get a progress bar (when stderr is a terminal).
const PROGRESS_MIN_BYTES: u64 = 8 << 20;

pub fn run(a: AuditArgs) -> Result<i32> {
    let config = wxaudit::config::load(a.input.config.as_deref())?;
    let cfg = config.as_ref();
    let opts = pipeline_options(&a.file, &a.input, cfg)?;

    let output = a
        .output
        .clone()
        .or_else(|| cfg.and_then(|c| c.output.clone()));
    let target = Target::of(output.as_deref());
    let format = a
        .format
        .or_else(|| match &target {
            Target::File(p) => Format::from_extension(p),
            _ => None,
        })
        .or_else(|| cfg.and_then(|c| c.format))
        .unwrap_or(Format::Text);
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
    let baseline_path = match baseline_arg.as_deref() {
        None => None,
        Some(b) if b.eq_ignore_ascii_case("auto") => match &target {
            Target::Dir(dir) => {
                let latest = dir.join("latest.json");
                if latest.is_file() {
                    Some(latest)
                } else {
                    eprintln!(
                        "wxaudit: no previous report at {}: this audit has no baseline \
                         (every finding counts as new)",
                        latest.display()
                    );
                    None
                }
            }
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
        Some(p) => Some(PathBuf::from(p)),
    };
    // A baseline that cannot even be opened fails the run before the audit; its content is
    // streamed after the audit (only fingerprints and resolved findings are kept).
    if let Some(p) = &baseline_path {
        std::fs::File::open(p)
            .map_err(|e| anyhow!("{}: cannot read the baseline report: {e}", p.display()))?;
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
    let result = pipeline::run(&opts, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut report = result.map_err(|e| name_the_file(e, &opts))?;
    if let Some(p) = &baseline_path {
        let base_as_of = wxaudit::baseline::apply_file(&mut report, p, &p.display().to_string())?;
        report.baseline = Some(baseline_label(p, base_as_of, &report));
    }

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
            let written = write_dir(&report, dir)?;
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
        "wxaudit: {}: {} row problem{} ({} row{} skipped); the rest was audited",
        wxaudit::safe_text::terminal(&report.input.path),
        report.row_errors.len(),
        if report.row_errors.len() == 1 {
            ""
        } else {
            "s"
        },
        report.input.rejected_rows,
        if report.input.rejected_rows == 1 {
            ""
        } else {
            "s"
        },
    );
    for e in report.row_errors.iter().take(3) {
        let _ = writeln!(
            err,
            "  {}",
            wxaudit::safe_text::terminal(&report::text::row_error_line(
                e,
                report::text::line_unit(&report.input)
            ))
        );
    }
}

/// `-o DIR/`: audit-<as_of>.json/.csv/.md, then latest.json (last, so it only ever points at a
/// complete set). Each file is written atomically.
fn write_dir(report: &Report, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow!("{}: cannot create the report directory: {e}", dir.display()))?;
    let stem = format!("audit-{}", report.as_of.format("%Y-%m-%d"));
    let mut written = Vec::new();
    for (ext, format) in [
        ("json", Format::Json),
        ("csv", Format::Csv),
        ("md", Format::Md),
    ] {
        let p = dir.join(format!("{stem}.{ext}"));
        emit(Some(&p), |w| report::render(report, format, false, w))?;
        written.push(p);
    }
    let latest = dir.join("latest.json");
    emit(Some(&latest), |w| {
        report::render(report, Format::Json, false, w)
    })?;
    written.push(latest);
    Ok(written)
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
