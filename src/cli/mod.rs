//! Command handlers behind `main`: each returns the process exit code (0/1) or an error (exit 2).
//!
//! The handlers only glue the library together: settings come from flags over `wxaudit.toml`
//! ([`wxaudit::config`]), the audit from [`wxaudit::pipeline::run`], rendering from
//! [`wxaudit::report`], files from [`wxaudit::atomic`]. Nothing here knows about rules or formats.

pub mod args;
mod audit;
mod diff;
mod rules;
pub mod signals;

use anyhow::{anyhow, Result};
use args::{Cli, Command, InputArgs};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use wxaudit::config::Config;
use wxaudit::import::{ImportOptions, Overrides};
use wxaudit::pipeline::PipelineOptions;
use wxaudit::profile::ProfileArgs;

/// Runs the parsed command line; Ok(exit code) or an error for exit code 2.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Some(Command::Audit(a)) => audit::run(a),
        Some(Command::Tui(t)) => tui(&t.file, &t.input),
        Some(Command::Rules(r)) => rules::run(r),
        Some(Command::Diff(d)) => diff::run(d),
        None => match cli.file {
            Some(file) => tui(&file, &cli.input),
            None => {
                use clap::CommandFactory;
                let mut cmd = Cli::command();
                let _ = cmd.print_help();
                Err(anyhow!(
                    "no inventory given: try `wxaudit audit FILE` or `wxaudit FILE`"
                ))
            }
        },
    }
}

fn tui(file: &Path, input: &InputArgs) -> Result<i32> {
    if file.as_os_str() == "-" {
        return Err(anyhow!(
            "the interactive view reads your keys from standard input, so it cannot also read the \
             inventory from it; save the data to a file and open that, or use `wxaudit audit -` \
             for a report"
        ));
    }
    if !io::stdout().is_terminal() {
        return Err(anyhow!(
            "the interactive view needs a terminal, and standard output is not one; \
             for a report use `wxaudit audit {}` (e.g. --format csv -o findings.csv)",
            file.display()
        ));
    }
    let config = wxaudit::config::load(input.config.as_deref())?;
    let opts = pipeline_options(file, input, config.as_ref())?;
    wxaudit::tui::run(opts, config.map(|c| c.path))?;
    Ok(0)
}

/// Builds the pipeline options: command-line flags first, then the config file.
pub fn pipeline_options(
    file: &Path,
    input: &InputArgs,
    config: Option<&Config>,
) -> Result<PipelineOptions> {
    let delimiter = match (input.delimiter, config.and_then(|c| c.delimiter.as_deref())) {
        (Some(d), _) => Some(d),
        (None, Some(d)) => Some(args::parse_delimiter(d).map_err(|e| {
            anyhow!(
                "{}: delimiter: {e}",
                config
                    .map(|c| c.path.display().to_string())
                    .unwrap_or_default()
            )
        })?),
        (None, None) => None,
    };
    let cli_profile =
        !input.target.is_empty() || !input.entity.is_empty() || input.profile.is_some();
    let profile = if cli_profile {
        ProfileArgs {
            targets: split_targets(&input.target),
            entities: input
                .entity
                .iter()
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect(),
            file: input.profile.clone(),
        }
    } else if let Some(c) = config {
        ProfileArgs {
            targets: c.profile.targets.clone(),
            entities: c.profile.entities.clone(),
            file: c.profile.file.clone(),
        }
    } else {
        ProfileArgs::default()
    };
    Ok(PipelineOptions {
        input: file.to_path_buf(),
        import: ImportOptions {
            encoding: input
                .encoding
                .clone()
                .or_else(|| config.and_then(|c| c.encoding.clone())),
            delimiter,
            sheet: input
                .sheet
                .clone()
                .or_else(|| config.and_then(|c| c.sheet.clone())),
            header_row: input
                .header_row
                .or_else(|| config.and_then(|c| c.header_row)),
            columns: column_overrides(input, config)?,
            no_fill_down: input.no_fill_down || config.and_then(|c| c.fill_down) == Some(false),
            max_input_size: input
                .max_input_size
                .or_else(|| config.and_then(|c| c.max_input_size)),
        },
        profile,
        rules: input
            .rules
            .clone()
            .or_else(|| config.and_then(|c| c.rules.clone())),
        suppressions: input
            .suppressions
            .clone()
            .or_else(|| config.and_then(|c| c.suppressions.clone())),
        as_of: input.as_of,
        // Report order unless `audit` knows only the terminal summary will be shown.
        order: Default::default(),
    })
}

/// The user's header mappings: `[columns]` of wxaudit.toml, with --column over them.
fn column_overrides(input: &InputArgs, config: Option<&Config>) -> Result<Overrides> {
    let mut o = match config {
        Some(c) => Overrides::parse(&c.columns, &format!("{} [columns]", c.path.display()))?,
        None => Overrides::default(),
    };
    o.extend(Overrides::parse(&input.columns, "--column")?);
    Ok(o)
}

fn split_targets(v: &[String]) -> Vec<String> {
    v.iter()
        .flat_map(|t| t.split([',', ' ']))
        .map(|t| t.trim().to_uppercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Colour on stdout only for a terminal, and never with NO_COLOR set.
pub fn stdout_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Where a report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
    /// `-o DIR/`: dated reports plus latest.json.
    Dir(PathBuf),
}

impl Target {
    pub fn of(output: Option<&Path>) -> Target {
        match output {
            None => Target::Stdout,
            Some(p) if p.as_os_str() == "-" => Target::Stdout,
            Some(p) if p.is_dir() || p.to_string_lossy().ends_with(['/', '\\']) => {
                Target::Dir(p.to_path_buf())
            }
            Some(p) => Target::File(p.to_path_buf()),
        }
    }
}

/// Writes to stdout (buffered) or atomically to `path`.
pub fn emit(
    path: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        None => {
            let mut w = BufWriter::new(io::stdout().lock());
            fill(&mut w).and_then(|_| w.flush()).map_err(stdout_error)
        }
        Some(p) => wxaudit::atomic::write_file(p, fill).map_err(|e| write_error(p, &e)),
    }
}

/// A failed write, naming the destination the user gave (never the temp file) and what to do.
pub fn write_error(p: &Path, e: &io::Error) -> anyhow::Error {
    let why = match e.kind() {
        io::ErrorKind::NotFound => {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
            format!(
                "the folder {} does not exist; create it or choose another place",
                dir.unwrap_or(Path::new(".")).display()
            )
        }
        io::ErrorKind::PermissionDenied => {
            "permission denied; choose a folder you can write to".into()
        }
        io::ErrorKind::StorageFull => "the disk is full; free some space and run again".into(),
        _ => e.to_string(),
    };
    anyhow!("{}: cannot write the report: {why}", p.display())
}

/// Refuses (exit 2) an output that is the same file as one of the run's inputs.
pub fn refuse_input(inputs: &wxaudit::output_guard::Inputs, output: &Path) -> Result<()> {
    match inputs.clash(output) {
        Some(msg) => Err(anyhow!(msg)),
        None => Ok(()),
    }
}

/// True when `e` is (or wraps) a closed-pipe write error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A broken pipe stays an io::Error (main treats it as success); anything else gets words.
fn stdout_error(e: io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        anyhow::Error::new(e)
    } else {
        anyhow!("cannot write to standard output: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn audit_args(argv: &[&str]) -> args::AuditArgs {
        let mut full = vec!["wxaudit", "audit"];
        full.extend_from_slice(argv);
        match Cli::parse_from(full).command {
            Some(Command::Audit(a)) => a,
            other => panic!("not an audit command: {other:?}"),
        }
    }

    fn config(text: &str) -> Config {
        wxaudit::config::parse(text, Path::new("/srv/acme/wxaudit.toml")).unwrap()
    }

    #[test]
    fn flags_win_over_the_config_file() {
        let c = config(
            "profile = \"profile.toml\"\nrules = \"rules.toml\"\nsuppressions = \"ok.toml\"\n\
             encoding = \"gb18030\"\ndelimiter = \";\"\n",
        );
        let a = audit_args(&["inv.csv"]);
        let o = pipeline_options(&a.file, &a.input, Some(&c)).unwrap();
        assert_eq!(
            o.profile.file,
            Some(PathBuf::from("/srv/acme/profile.toml"))
        );
        assert_eq!(o.rules, Some(PathBuf::from("/srv/acme/rules.toml")));
        assert_eq!(o.suppressions, Some(PathBuf::from("/srv/acme/ok.toml")));
        assert_eq!(o.import.encoding.as_deref(), Some("gb18030"));
        assert_eq!(o.import.delimiter, Some(b';'));

        let a = audit_args(&[
            "inv.csv",
            "--target",
            "cn, hk",
            "--target",
            "US",
            "--entity",
            "Acme Tea Ltd.",
            "--rules",
            "mine.toml",
            "--delimiter",
            "tab",
            "--as-of",
            "2026-11-27",
        ]);
        let o = pipeline_options(&a.file, &a.input, Some(&c)).unwrap();
        assert_eq!(o.profile.targets, vec!["CN", "HK", "US"]);
        assert_eq!(o.profile.entities, vec!["Acme Tea Ltd."]);
        assert_eq!(
            o.profile.file, None,
            "a command-line profile replaces the config's"
        );
        assert_eq!(o.rules, Some(PathBuf::from("mine.toml")));
        assert_eq!(o.import.delimiter, Some(b'\t'));
        assert_eq!(o.as_of, chrono::NaiveDate::from_ymd_opt(2026, 11, 27));
    }

    #[test]
    fn output_targets() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Target::of(None), Target::Stdout);
        assert_eq!(Target::of(Some(Path::new("-"))), Target::Stdout);
        assert_eq!(
            Target::of(Some(dir.path())),
            Target::Dir(dir.path().to_path_buf())
        );
        assert_eq!(
            Target::of(Some(Path::new("not-yet/"))),
            Target::Dir(PathBuf::from("not-yet/"))
        );
        assert_eq!(
            Target::of(Some(Path::new("audit.md"))),
            Target::File(PathBuf::from("audit.md"))
        );
    }
}
