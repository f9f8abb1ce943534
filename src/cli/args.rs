//! The command line, as clap derive types. Help text is written for a marketing analyst: what
//! each command is for, with an example, before the flags.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use wxaudit::diff::DiffFormat;
use wxaudit::model::Severity;
use wxaudit::report::Format;

const ABOUT: &str =
    "Audit your company's Weixin/WeChat accounts: which platform each one is really \
on (mainland Weixin or international WeChat), who can reach it, and what it can and cannot do.";

const AFTER_HELP: &str = "\
Examples:
  wxaudit accounts.csv                          open the interactive view
  wxaudit audit accounts.csv                    print a readable summary
  wxaudit audit accounts.csv --format md -o audit.md
  wxaudit audit accounts.csv --target CN,HK --entity \"Acme Tea Ltd.\"
  wxaudit audit accounts.csv -o reports/ --baseline auto   (monthly run)
  wxaudit rules explain REACH-001
  wxaudit diff reports/audit-2026-10-01.json reports/audit-2026-11-01.json

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
2 the audit could not run (bad file, option or output path).";

#[derive(Debug, Parser)]
#[command(
    name = "wxaudit",
    version,
    about = ABOUT,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Inventory to open in the interactive view (same as `wxaudit tui FILE`).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit an inventory and write a report (for scripts, cron and CI).
    #[command(after_help = AUDIT_AFTER_HELP)]
    Audit(AuditArgs),
    /// Open an inventory in the interactive view.
    Tui(TuiArgs),
    /// List the checks wxaudit runs, or explain one (`wxaudit rules explain REACH-001`).
    Rules(RulesArgs),
    /// Compare two saved JSON reports: new and resolved findings, accounts added, removed or
    /// changed.
    Diff(DiffArgs),
}

const AUDIT_AFTER_HELP: &str = "\
Without --format you get a readable summary; without -o it goes to the screen.
With -o DIR/ (an existing directory, or a path ending in /) wxaudit writes
audit-YYYY-MM-DD.json, .csv and .md plus latest.json there; add --baseline auto
to compare with the previous latest.json.

Settings can also come from wxaudit.toml in the current directory (or --config):
profile, rules, suppressions, output, baseline, fail_on, fail_on_new, format.
Command-line options win over the file.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it
(with --fail-on-new: new findings only); 2 the audit could not run.";

/// How to read the inventory and what to audit it against (shared by `audit`, `tui` and the
/// bare `wxaudit FILE`).
#[derive(Debug, Clone, Default, Args)]
pub struct InputArgs {
    /// Text encoding of the file (utf-8, gb18030, gbk, big5, utf-16le, utf-16be). Detected
    /// automatically when not given.
    #[arg(long, value_name = "NAME", help_heading = "Reading the inventory")]
    pub encoding: Option<String>,

    /// Column separator of a CSV file: , ; | or tab. Detected automatically when not given.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter, help_heading = "Reading the inventory")]
    pub delimiter: Option<u8>,

    /// Largest input read, e.g. 500M, 4G; 0 means no limit (default 1G). Reading stops there
    /// with an error, so a wrong file or a device never fills the memory.
    #[arg(long, value_name = "SIZE", value_parser = parse_size_arg, help_heading = "Reading the inventory")]
    pub max_input_size: Option<u64>,

    /// Workbooks (.xlsx, .xls, .ods): the sheet to read, by name or number (1 = the first).
    /// Without it: the active sheet if it holds an inventory, else the first visible one that
    /// does; hidden sheets are only read when named.
    #[arg(long, value_name = "NAME|N", help_heading = "Reading the inventory")]
    pub sheet: Option<String>,

    /// The line (CSV) or row (workbook) of the header, counting from 1. Without it, the header
    /// is found among the first 30 rows, skipping titles and notes above it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Reading the inventory")]
    pub header_row: Option<u64>,

    /// Read a column whose header wxaudit does not know: "HEADER=column", e.g.
    /// --column "Admin Portal=portal" (repeat for each). "HEADER=ignore" keeps a column out of
    /// the audit. The report lists every header and the column it became. Columns: id,
    /// wechat_id, name, type, platform, portal, phone, entity_name, entity_type, entity_country,
    /// credit_code, icp_filing, wallet_currency, verified, verification_expiry, payments,
    /// merchant_id, merchant_track, merchant_entity, admin, admin_status, operators, audience,
    /// features, brand, status, followers, last_active, notes, terms, email.
    #[arg(long = "column", value_name = "HEADER=column", value_parser = parse_mapping, help_heading = "Reading the inventory")]
    pub columns: Vec<(String, String)>,

    /// Do not fill a brand or entity column down when it is written only on the first row of
    /// each group.
    #[arg(long, help_heading = "Reading the inventory")]
    pub no_fill_down: bool,

    /// Markets the company wants to reach, as country codes (CN = mainland China, HK, MO, TW,
    /// US, …), comma-separated. Without a profile, the accounts' audiences are used.
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        help_heading = "Company profile"
    )]
    pub target: Vec<String>,

    /// A legal entity of the company (repeat for each). Accounts registered to anyone else are
    /// flagged. Separate the names one entity goes by with "|", e.g.
    /// "Acme Tea (Shanghai) Co., Ltd. | 阿克米茶饮(上海)有限公司".
    #[arg(long, value_name = "NAME", help_heading = "Company profile")]
    pub entity: Vec<String>,

    /// Company profile file (JSON or TOML) with targets, legal_entities and planned_features.
    #[arg(long, value_name = "FILE", help_heading = "Company profile")]
    pub profile: Option<PathBuf>,

    /// Rules file that changes severities, turns rules off or updates the platform knowledge.
    #[arg(long, value_name = "FILE", help_heading = "Checks")]
    pub rules: Option<PathBuf>,

    /// Accepted risks: a TOML file of [[suppress]] entries (rule, account or brand, reason,
    /// owner, expires). Suppressed findings are listed separately, never hidden.
    #[arg(long, value_name = "FILE", help_heading = "Checks")]
    pub suppressions: Option<PathBuf>,

    /// Audit as if today were this date (for verification expiry and dormancy checks).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, help_heading = "Checks")]
    pub as_of: Option<chrono::NaiveDate>,

    /// Settings file (default: wxaudit.toml in the current directory, if there is one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The account inventory: an Excel workbook (.xlsx, .xlsm, .xls) or .ods, CSV/TSV (any Excel
    /// encoding), JSON, JSON Lines or an Open Platform export; - reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    /// Report format: csv (one row per finding, opens in Excel), json (everything, for tools),
    /// md (summary for an email or wiki), text (readable summary; the default).
    #[arg(long, value_enum, help_heading = "Report")]
    pub format: Option<FormatArg>,

    /// Write the report to PATH instead of the screen (written safely: a failed run never
    /// leaves a half-written file). A directory gets dated JSON, CSV and Markdown reports plus
    /// latest.json. Never one of the inputs; a link is followed (the file it points at is
    /// replaced, the link stays); a pipe or device such as /dev/null is written as a stream.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "PATH",
        help_heading = "Report"
    )]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the run fail with exit code 1 [default: high].
    #[arg(long, value_name = "SEVERITY", value_parser = severity_parser(), help_heading = "Pass/fail")]
    pub fail_on: Option<Severity>,

    /// Only findings that are new since the baseline make the run fail.
    #[arg(long, help_heading = "Pass/fail")]
    pub fail_on_new: bool,

    /// A previous JSON report to compare with (marks findings new/unchanged and lists resolved
    /// ones), or `auto` for latest.json in the -o directory.
    #[arg(long, value_name = "FILE|auto", help_heading = "Pass/fail")]
    pub baseline: Option<String>,
}

#[derive(Debug, Args)]
pub struct TuiArgs {
    /// The account inventory to open.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,

    /// Rules file with your overrides (shows the catalogue as it would apply).
    #[arg(long, value_name = "FILE", global = true)]
    pub rules: Option<PathBuf>,

    /// Settings file (default: wxaudit.toml in the current directory, if there is one).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// What a rule checks, why it matters, how to fix it, the columns it needs and its sources.
    Explain {
        /// Rule id, e.g. REACH-001.
        #[arg(value_name = "ID")]
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report (from `wxaudit audit --format json`).
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Output format [default: text, or from the -o file's extension].
    #[arg(long, value_enum)]
    pub format: Option<DiffFormatArg>,
    /// Write to PATH instead of the screen.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

fn severity_parser() -> impl clap::builder::TypedValueParser<Value = Severity> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["info", "low", "medium", "high", "critical"])
        .map(|s| Severity::parse(&s).unwrap_or(Severity::High))
}

/// `,` `;` `|` `tab` (or a literal tab / `\t`).
/// `HEADER=column` for --column (split at the last `=`, so a header may hold one).
pub fn parse_mapping(s: &str) -> Result<(String, String), String> {
    match s.rsplit_once('=') {
        Some((h, c)) if !h.trim().is_empty() && !c.trim().is_empty() => {
            Ok((h.trim().to_string(), c.trim().to_string()))
        }
        _ => Err(format!(
            "expected HEADER=column, e.g. \"Admin Portal=portal\" (got \"{s}\")"
        )),
    }
}

fn parse_size_arg(s: &str) -> Result<u64, String> {
    wxaudit::import::source::parse_size(s)
}

pub fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "|" | "pipe" => Ok(b'|'),
        "\t" | "\\t" | "tab" | "TAB" => Ok(b'\t'),
        _ => Err(format!("{s:?} is not a delimiter: use , ; | or tab")),
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date like 2026-11-27"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("x").is_err());
    }
}

/// [`Format`] as a clap value for `wxaudit audit --format` (the core crate has no clap). The
/// variants and their docs (the `--help` text) are the core enum's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Excel-safe CSV, one row per finding.
    Csv,
    /// The full machine-readable report (schema/report.schema.json).
    Json,
    /// Markdown summary to paste into an email or wiki.
    Md,
    /// The readable terminal summary (the default).
    Text,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Md => Format::Md,
            FormatArg::Text => Format::Text,
        }
    }
}

/// [`DiffFormat`] as a clap value for `wxaudit diff --format` (the core crate has no clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormatArg {
    /// Readable text (the default).
    Text,
    /// Markdown for an email or wiki.
    Md,
    /// Machine-readable JSON.
    Json,
    /// Excel-safe CSV, one row per change.
    Csv,
}

impl From<DiffFormatArg> for DiffFormat {
    fn from(f: DiffFormatArg) -> DiffFormat {
        match f {
            DiffFormatArg::Text => DiffFormat::Text,
            DiffFormatArg::Md => DiffFormat::Md,
            DiffFormatArg::Json => DiffFormat::Json,
            DiffFormatArg::Csv => DiffFormat::Csv,
        }
    }
}
