//! Reads an account inventory from disk: detects the form (CSV/TSV, JSON, JSON Lines, Open
//! Platform export) and the encoding, maps headers to canonical columns and normalises values.
//!
//! A file that cannot be read at all is an [`ImportError`]; anything wrong with a single row or
//! value is a [`RowError`] in the [`Inventory`] and the rest of the file is still imported.

//!
//! Module map: [`encoding`] (bytes → text), [`headers`] (alias table), [`values`] (one normaliser
//! per kind of cell), `row` (cells → one account + row diagnostics), `csv` and `json` (the
//! readers). The readers stream: see their module docs for how a million rows stay fast.

mod csv;
mod encoding;
pub mod headers;
mod json;
mod row;
pub mod values;

use crate::model::{Account, ColumnSet, Profile, RowError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Form of an inventory file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Json,
    JsonLines,
    OpenPlatform,
}

impl Format {
    /// Name used in `InputInfo::format`: "csv", "json", "json_lines", "open_platform".
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::JsonLines => "json_lines",
            Format::OpenPlatform => "open_platform",
        }
    }
}

/// User overrides for detection.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Encoding label (`utf-8`, `gbk`, `gb18030`, `big5`, `utf-16le`, …) overriding detection.
    pub encoding: Option<String>,
    /// CSV delimiter overriding sniffing.
    pub delimiter: Option<u8>,
}

/// Facts about the input file, as shown in reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    pub path: String,
    pub sha256: String,
    /// Encoding used, e.g. "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE".
    pub encoding: String,
    /// "csv", "json", "json_lines", "open_platform".
    pub format: String,
    /// Data rows/records read (accounts + rejected rows).
    pub rows: u64,
    /// Rows skipped entirely.
    pub rejected_rows: u64,
}

/// An imported inventory: accounts plus everything learned about the file.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub input: InputInfo,
    pub accounts: Vec<Account>,
    pub row_errors: Vec<RowError>,
    /// Canonical columns present in the file (for "not evaluated").
    pub columns: ColumnSet,
    /// Headers of unknown columns, as written, in file order.
    pub extra_columns: Vec<String>,
    /// `company` object of a JSON inventory, if any.
    pub company: Option<Profile>,
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Catch-all with a full, human message already naming the file (and line/column).
    #[error("{0}")]
    Invalid(String),
}

/// Progress callback: (bytes processed, total bytes).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Imports the inventory at `path`.
pub fn load(
    path: &Path,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    import(
        &path.display().to_string(),
        Cow::Owned(bytes),
        opts,
        progress,
    )
}

/// Imports an inventory held in memory; `name` is used in messages and `InputInfo::path`.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    import(name, Cow::Borrowed(bytes), opts, progress)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// What a reader hands back: the accounts and what it learned about the rows.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub accounts: Vec<Account>,
    pub row_errors: Vec<RowError>,
    pub columns: ColumnSet,
    pub extra_columns: Vec<String>,
    pub rows: u64,
    pub rejected: u64,
    pub company: Option<Profile>,
    /// Every object was an Open Platform `authorizer_info` response.
    pub open_platform: bool,
}

/// Form of the file, from its extension, else from its first non-space character.
pub fn detect_format(name: &str, text: &str) -> Format {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let json = || {
        if text.trim_start().starts_with('{') && json::looks_like_json_lines(text) {
            Format::JsonLines
        } else {
            Format::Json
        }
    };
    match ext.as_deref() {
        Some("csv" | "tsv" | "txt") => Format::Csv,
        Some("jsonl" | "ndjson") => Format::JsonLines,
        Some("json") => json(),
        _ => match text.trim_start().chars().next() {
            Some('[' | '{') => json(),
            _ => Format::Csv,
        },
    }
}

fn import(
    name: &str,
    bytes: Cow<[u8]>,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let empty = || ImportError::Invalid(format!("{name}: the file is empty"));
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(empty());
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::Invalid(format!(
            "{name}: this looks like an Excel workbook (.xlsx/.xls), not a text file; \
             in Excel use File → Save As → \"CSV UTF-8\" and import that"
        )));
    }
    // Hash on one core while the other decodes and, for UTF-8 (read in place), parses.
    enum Step {
        Done(Box<Result<Inventory, ImportError>>),
        /// Transcoded text (GB18030, UTF-16, …), parsed once the raw bytes are freed.
        Transcoded(String, String, bool),
    }
    let (sha256, step) = rayon::join(
        || hex(&Sha256::digest(&bytes)),
        || match encoding::decode(name, &bytes, opts.encoding.as_deref()) {
            Err(e) => Step::Done(Box::new(Err(e))),
            Ok(encoding::Decoded { text, label, lossy }) => match text {
                Cow::Borrowed(text) => {
                    Step::Done(Box::new(parse(name, text, &label, lossy, opts, progress)))
                }
                Cow::Owned(text) => Step::Transcoded(text, label, lossy),
            },
        },
    );
    let result = match step {
        Step::Done(r) => *r,
        Step::Transcoded(text, label, lossy) => {
            drop(bytes);
            parse(name, &text, &label, lossy, opts, progress)
        }
    };
    let mut inv = result?;
    inv.input.sha256 = sha256;
    Ok(inv)
}

fn parse(
    name: &str,
    text: &str,
    label: &str,
    lossy: bool,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let empty = || ImportError::Invalid(format!("{name}: the file is empty"));
    if text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(empty());
    }
    let ctx = row::RowCtx {
        lossy,
        encoding: label,
    };
    let mut format = detect_format(name, text);
    let rows = match format {
        Format::Csv => csv::read(name, text, opts.delimiter, ctx, progress)?,
        Format::Json | Format::OpenPlatform => json::read_json(name, text, ctx, progress)?,
        Format::JsonLines => json::read_json_lines(name, text, ctx, progress)?,
    };
    if rows.open_platform {
        format = Format::OpenPlatform;
    }
    Ok(Inventory {
        input: InputInfo {
            path: name.to_string(),
            sha256: String::new(),
            encoding: label.to_string(),
            format: format.as_str().to_string(),
            rows: rows.rows,
            rejected_rows: rows.rejected,
        },
        accounts: rows.accounts,
        row_errors: rows.row_errors,
        columns: rows.columns,
        extra_columns: rows.extra_columns,
        company: rows.company,
    })
}
