//! Reads an account inventory from disk: detects the form (CSV/TSV, JSON, JSON Lines, Open
//! Platform export) and the encoding, maps headers to canonical columns and normalises values.
//!
//! A file that cannot be read at all is an [`ImportError`]; anything wrong with a single row or
//! value is a [`RowError`] in the [`Inventory`] and the rest of the file is still imported.

use crate::model::{Account, ColumnSet, Profile, RowError};
use serde::{Deserialize, Serialize};
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
    load_bytes(&path.display().to_string(), &bytes, opts, progress)
}

/// Imports an inventory held in memory; `name` is used in messages and `InputInfo::path`.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let _ = (name, bytes, opts, progress);
    todo!("import")
}
