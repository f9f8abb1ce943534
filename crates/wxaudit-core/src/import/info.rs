//! What the importer learned about the input file and how it read it — shown in every report.
//!
//! The first promise of an audit is a true verdict, and a verdict is only as good as what was
//! read. So the importer does not only hand back accounts: it says which header became which
//! column (and which it ignored, with a suggestion), which rows it skipped and why, which values
//! it filled in, which sheet and header row it chose, and every guess it made. Reports render
//! these facts; nothing here is decided by a report.

use super::headers::MatchKind;
use crate::model::Column;
use serde::{Deserialize, Serialize};

/// Facts about the input file, as shown in reports (`input` in the JSON report).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    pub path: String,
    pub sha256: String,
    /// Encoding used, e.g. "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE"; "xlsx" for workbooks.
    pub encoding: String,
    /// Why that encoding, when it was a guess (no `--encoding`, no byte-order mark, not clean
    /// UTF-8): every report prints it with the `--encoding` flag that settles it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_reason: Option<String>,
    /// "csv", "json", "json_lines", "open_platform", "workbook".
    pub format: String,
    /// Data rows/records read (accounts + rejected rows); rows in `skipped_rows` are not counted.
    pub rows: u64,
    /// Rows skipped entirely.
    pub rejected_rows: u64,
    /// Workbooks: the sheet read and why it was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<SheetChoice>,
    /// Tables (CSV, workbooks): the 1-based line or sheet row of the header, and how it was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<HeaderRow>,
    /// Every header (or JSON key) in file order and what became of it.
    #[serde(default)]
    pub columns: Vec<ColumnUse>,
    /// Rows that were not accounts (title, blank, totals, notes, repeated header), with why.
    #[serde(default)]
    pub skipped_rows: Vec<SkippedRow>,
    /// Values the importer filled in (fill-down of grouped layouts, merged cells).
    #[serde(default)]
    pub fills: Vec<Fill>,
    /// Guesses and notes about the reading (delimiter sniffed, a mapping that matched nothing…).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The sheet a workbook was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetChoice {
    pub name: String,
    /// "--sheet Accounts", "the active sheet", "first visible sheet with an inventory header…".
    pub why: String,
}

/// Where the header row was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderRow {
    /// 1-based line of the file (CSV) or row of the sheet (workbook).
    pub line: u64,
    /// True when `--header-row` said so; false when it was found.
    pub given: bool,
}

/// What became of one header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUse {
    /// The header as written.
    pub header: String,
    /// 1-based position in the header row (JSON: order in which the key was first seen).
    pub position: u32,
    /// The column its values were read as; None when they were kept as an extra field.
    pub column: Option<Column>,
    /// How it matched; None when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchKind>,
    /// The factor its values were multiplied by (a unit in brackets: `粉丝数(万)` → 10000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u64>,
    /// Ignored: the known column it most resembles (never applied without the user's say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Column>,
    /// Ignored because another header already gave this column (the header that won).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Ignored because the user's mapping said so (`HEADER=ignore`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignored_by_user: bool,
}

impl ColumnUse {
    /// An unknown header as written, with no column (yet).
    pub fn unknown(header: &str, position: u32) -> ColumnUse {
        ColumnUse {
            header: header.to_string(),
            position,
            column: None,
            matched: None,
            scale: None,
            suggestion: None,
            duplicate_of: None,
            ignored_by_user: false,
        }
    }

    /// True when the header's values were not read as any column (kept as an extra field).
    pub fn is_ignored(&self) -> bool {
        self.column.is_none()
    }
}

/// Why a row was not read as an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Above the header row: a title, a date line, notes.
    AboveHeader,
    Blank,
    /// A totals row (`合计`, `总计`, `小计`, `Total`, `Sum`).
    Totals,
    /// A notes row (`备注：…`, `Note: …`).
    Note,
    /// The header row again (pasted blocks, printed pages).
    RepeatedHeader,
}

impl SkipReason {
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::AboveHeader => "above the header row",
            SkipReason::Blank => "blank",
            SkipReason::Totals => "a totals row",
            SkipReason::Note => "a note, not an account",
            SkipReason::RepeatedHeader => "the header row repeated",
        }
    }
}

/// One row (or run of blank rows) not read as an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRow {
    /// 1-based line (CSV) or sheet row (workbook).
    pub line: u64,
    /// Last line of a run of blank rows (equal to `line` otherwise).
    pub last_line: u64,
    pub reason: SkipReason,
    /// What the row said (its first non-empty cells, shortened).
    #[serde(default)]
    pub text: String,
}

/// How a fill came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillKind {
    /// A grouping column written only on the first row of each group, filled down.
    FillDown,
    /// Merged cells: the value belongs to every row the cell spans.
    MergedCells,
}

/// Values the importer filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    pub kind: FillKind,
    /// The column filled (fill-down); None for merged cells, which may span any column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Column>,
    /// Fill-down: the header as written; merged cells: empty.
    #[serde(default)]
    pub header: String,
    /// Cells filled (fill-down), or merged regions applied (merged cells).
    pub count: u64,
}

impl InputInfo {
    /// Headers whose values were not read as any column, in file order.
    pub fn ignored_columns(&self) -> impl Iterator<Item = &ColumnUse> {
        self.columns.iter().filter(|c| c.is_ignored())
    }

    /// Rows skipped as not accounts, counting each blank run by its length.
    pub fn skipped_row_count(&self) -> u64 {
        self.skipped_rows
            .iter()
            .map(|s| s.last_line.saturating_sub(s.line) + 1)
            .sum()
    }

    /// An ignored header that looks like `column` (for "not evaluated" rules: the column the
    /// rule needs may be in the file under a name the importer did not know).
    pub fn ignored_like(&self, column: Column) -> Option<&ColumnUse> {
        self.ignored_columns()
            .find(|c| c.suggestion == Some(column) && c.duplicate_of.is_none())
    }
}
