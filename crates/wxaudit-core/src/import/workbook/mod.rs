//! Reads one sheet of an Excel or OpenDocument workbook into a grid of typed [`Cell`]s.
//!
//! # Why
//!
//! Most inventories are Excel workbooks. Asking people to "Save As CSV" first loses what the
//! workbook knows: a phone typed as a number loses its `+` *and* the CSV has `8.61391E+12`, dates
//! become locale text, the encoding is whatever that Excel chose, and only the active sheet is
//! saved. So workbooks are read directly, and every cell keeps its type until the column it is in
//! is known (see `cell.rs`).
//!
//! # What it reads
//!
//! `.xlsx`/`.xlsm`/`.xltx`/`.xltm`, `.xlsb`, `.xls` (BIFF5/BIFF8) and `.ods`, recognised by their
//! bytes (zip or OLE signature, then the parts inside), the file name only as a hint; the cells
//! are decoded by the `calamine` crate.
//!
//! - **Which sheet.** `--sheet` names it (exact name, then case-insensitive, then a 1-based
//!   number counting every sheet, hidden ones included). Without it: the active sheet (the tab
//!   the workbook was saved on) if it is visible and its first 30 rows hold an inventory header,
//!   else the first visible worksheet whose first 30 rows do. Hidden sheets, chart sheets and
//!   macro sheets are never picked on their own. When nothing fits, the error lists every sheet
//!   with what its first non-empty cells say, and asks for `--sheet`.
//! - **Cell types.** Text as written; numbers holding an integer are [`Cell::Int`] (never
//!   `128400.0`), other numbers [`Cell::Float`]; booleans; date cells (a number with a date
//!   format in Excel, a date value in ODS) are [`Cell::Date`], a time of day or a duration is
//!   text (`12:30:00`); a formula gives its cached value (what Excel last computed: the formula
//!   is not evaluated); an error cell is [`Cell::Error`] with the text Excel shows (`#N/A`).
//! - **Merged cells.** The top-left value is copied into every cell of the region, so a brand
//!   merged down three rows belongs to all three. Regions are clipped to the used cells.
//! - **Positions.** [`Grid::first_row`] is the 0-based sheet row of `rows[0]` (the first row
//!   with a value); `rows[i][0]` is the leftmost used column of the sheet. Rows are not padded:
//!   each ends at its last non-empty cell (an empty row is an empty `Vec`).
//!
//! What `calamine` 0.38 exposes, per format, and what this module adds:
//!
//! | format | merged regions | active sheet | hidden sheets |
//! |---|---|---|---|
//! | xlsx/xlsm | `Xlsx::merge_cells_by_sheet_name` (see below) | not exposed: read from `xl/workbook.xml` `<workbookView activeTab>` | `sheets_metadata()` |
//! | xlsb | not exposed (merges are not applied) | not exposed: read from `xl/workbook.bin` (`BrtBookView.itabCur`) | `sheets_metadata()` |
//! | xls | `Xls::merge_cells_by_sheet_name` | not exposed: read from the `Window1` record (`itabCur`) | `sheets_metadata()` |
//! | ods | not exposed (covered cells read as empty); merged regions scanned from `content.xml` (see below) | not exposed: read from `settings.xml` (`ActiveTable`) | `sheets_metadata()` |
//!
//! (The importer's fill-down of grouping columns covers the usual merged-brand layout where
//! merges are not applied.) calamine finds an xlsx sheet's merged regions by parsing the whole
//! sheet again, which costs as much as reading its cells; so the regions are found by inflating
//! the sheet part and searching it for its `<mergeCells>` element, on the other core while
//! calamine reads the cells (calamine's method remains the fallback, and gives the same regions).
//! An ods sheet's regions are found in `content.xml` once its cells are read: the cells of its
//! `<table:table>` spanning more rows or columns than one, placed by counting the rows and cells
//! (repeats included) up to the last used row; none are applied if the scan fails.
//!
//! # Limits
//!
//! A workbook is untrusted input: a few kilobytes can claim gigabytes. Nothing here panics or
//! hangs on a damaged or hostile file, and memory stays bounded:
//!
//! | limit | value | checked |
//! |---|---|---|
//! | rows in the sheet read (first to last row holding a value) | [`MAX_ROWS`] = 5,000,000 | while reading |
//! | columns (the last column holding a value, counted from A) | [`MAX_COLUMNS`] = 20,000 | while reading |
//! | cells kept for the sheet (row lengths summed; merge copies included) | [`MAX_CELLS`] = 100,000,000 | while reading |
//! | `.xls`: cells calamine allocates for all sheets together (each sheet's declared and actual extent) | [`MAX_CELLS`] | before calamine opens the file |
//! | zip parts: a worksheet part or ODS `content.xml`, uncompressed | [`MAX_SHEET_PART`] = 4 GiB | before calamine opens the file |
//! | zip parts: any other `.xml`/`.bin`/`.rels` part (shared strings, styles, …), uncompressed | [`MAX_OTHER_PART`] = 1 GiB | before calamine opens the file |
//!
//! A sheet beyond a limit is refused with a message naming it and its size. The zip reader
//! enforces each part's declared size while inflating, so the declared sizes checked here bound
//! the work. The sizes a sheet *declares* (`<dimension>`) are not trusted either way: only cells
//! actually present count. Old `.xls` files are parsed by calamine in one go when opened, so
//! their OLE container and record stream are checked first (chains that loop, sectors past the
//! end, sheets claiming billions of cells). Any panic inside calamine on malformed data is caught
//! and reported as a damaged workbook. For `.ods`, calamine's own caps apply on top (1,048,576
//! rows, 16,384 columns and 100,000,000 cells per sheet).
//!
//! Encrypted workbooks (an OLE file with an `EncryptionInfo`/`EncryptedPackage` stream, an
//! `.xls` with a `FilePass` record, an `.ods` with encrypted parts) cannot be read without the
//! password: the error says so and asks for an unprotected copy.
//!
//! # Module map
//!
//! This file holds the API ([`read`], [`is_workbook`], [`Grid`], the limits) and the steps of a
//! read; the rest, in the order a read uses it:
//!
//! - `open`: recognises the container and opens it with calamine, after the checks that must
//!   come first; `package` (the zip parts of xlsx/xlsb/ods: declared sizes, relationships),
//!   `cfb` (the OLE container of `.xls`) and `biff` (the `.xls` record stream) do the checking,
//!   `active` reads where each format records its active sheet.
//! - `select`: which sheet is read (`--sheet`, the active sheet, the first with an inventory) and
//!   the "no sheet fits" error.
//! - `book`: the opened workbook whatever its format: its sheets, a sheet's cells, its merged
//!   regions (`merges` finds an xlsx sheet's without a second parse, and an ods sheet's).
//! - `cells`: calamine's values as [`Cell`]s, kept within the limits, merged regions applied.
//! - `fail`: why a read failed, as the error says it; `xml`, `binary` and `wording`: the small
//!   parsers and message helpers the others share.

mod active;
mod biff;
mod binary;
mod book;
mod cells;
mod cfb;
mod fail;
mod merges;
mod open;
mod package;
mod select;
mod wording;
mod xml;

#[cfg(test)]
mod tests;

use super::cell::Cell;
use super::ImportError;
use fail::Fail;
pub use fail::{is_contained_panic, skip_contained_panics};

/// Most rows a sheet may span (first to last row holding a value).
pub(crate) const MAX_ROWS: u64 = 5_000_000;
/// Most columns a sheet may use (its last column holding a value, counted from column A).
pub(crate) const MAX_COLUMNS: u64 = 20_000;
/// Most cells kept for one sheet (`.xls`: for all sheets together, as calamine holds them all).
pub(crate) const MAX_CELLS: u64 = 100_000_000;
/// Largest uncompressed worksheet part (`xl/worksheets/…`) or ODS `content.xml`.
pub(crate) const MAX_SHEET_PART: u64 = 4 << 30;
/// Largest uncompressed other XML/binary part (shared strings, styles, workbook, …).
pub(crate) const MAX_OTHER_PART: u64 = 1 << 30;
/// Rows, from the first row holding a value, given to `holds_inventory`.
pub(crate) const HEAD_ROWS: usize = 30;
/// Most bytes read of the part that names the active sheet; a bigger one is not consulted.
const MAX_VIEW_PART: u64 = 16 << 20;

/// One sheet of a workbook, as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    /// Name of the sheet read.
    pub sheet: String,
    /// How it was chosen, for reports: `--sheet Accounts`, `the active sheet`, `first visible
    /// sheet with an inventory header; skipped: "Notes" (no inventory header), "Old" (hidden)`.
    pub why: String,
    /// 0-based sheet row of `rows[0]`.
    pub first_row: u32,
    /// The sheet's rows from `first_row`, starting at its leftmost used column; merged cells'
    /// value copied to every cell of the region; each row ends at its last non-empty cell.
    pub rows: Vec<Vec<Cell>>,
    /// Number of merged regions applied (regions whose value was copied to other cells).
    pub merged: usize,
}

/// Signature of a zip archive (xlsx, xlsb, ods), and of an empty one.
const ZIP_SIG: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_SIG: &[u8] = b"PK\x05\x06";
/// Signature of an OLE compound file (xls, or an encrypted xlsx/xlsb).
const CFB_SIG: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const EXTENSIONS: [&str; 8] = ["xlsx", "xlsm", "xltx", "xltm", "xlsb", "xls", "xlt", "ods"];

/// True when the name's extension or the bytes' signature say this is a workbook.
///
/// One exception: a file with a workbook's name but no workbook signature whose first line is
/// delimited text (tab- or comma-separated, or UTF-16 "Unicode text" with a BOM) is text, and is
/// left to the text reader: web systems' "Export to Excel" often writes such files and names them
/// `.xls`, and people rename `.csv` files. (An HTML page or garbage named `.xls`/`.xlsx` is a
/// workbook here, so that [`read`] can say what it is.)
pub(crate) fn is_workbook(name: &str, bytes: &[u8]) -> bool {
    if has_signature(bytes) {
        return true;
    }
    let ext = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some(e) if EXTENSIONS.contains(&e) => !looks_like_delimited_text(bytes),
        _ => false,
    }
}

fn has_signature(bytes: &[u8]) -> bool {
    is_zip(bytes) || bytes.starts_with(CFB_SIG)
}

/// Whether the bytes start with a zip archive's signature.
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_SIG) || bytes.starts_with(ZIP_EMPTY_SIG)
}

/// UTF-16 text with a BOM, or text whose first line has a tab or a comma and no control
/// characters (and that is not markup).
fn looks_like_delimited_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let control = |b: &u8| *b < 0x20 && *b != b'\t' && *b != b'\r';
    !head.contains(&0)
        && !head.trim_ascii_start().starts_with(b"<")
        && !first_line.iter().any(control)
        && first_line.iter().any(|&b| b == b'\t' || b == b',')
}

/// Reads one sheet. `sheet`: the user's `--sheet` (a name, matched exactly then
/// case-insensitively, or a 1-based number). Without it: the active sheet if it is visible and
/// `holds_inventory(first rows)` is true, else the first visible sheet whose first rows hold an
/// inventory; hidden sheets are never picked unless named by `--sheet`. When no sheet fits: an
/// error listing every sheet (name, hidden or not, and what its first non-empty cells say,
/// truncated) and telling the user to pass `--sheet`.
///
/// `holds_inventory` gets up to the first [`HEAD_ROWS`] rows of a sheet (merges not applied).
pub(crate) fn read(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    holds_inventory: &dyn Fn(&[Vec<Cell>]) -> bool,
) -> Result<Grid, ImportError> {
    read_sheet(bytes, sheet, holds_inventory).map_err(|f| f.into_error(name))
}

/// [`read`], before the file name is put into the error: open, choose the sheet, read its cells
/// and merged regions, apply the regions.
fn read_sheet(
    bytes: &[u8],
    sheet: Option<&str>,
    holds_inventory: &dyn Fn(&[Vec<Cell>]) -> bool,
) -> Result<Grid, Fail> {
    let (mut book, active) = open::open(bytes)?;
    let sheets = book.sheets();
    let (index, why) = select::choose(&mut book, &sheets, sheet, active, holds_inventory)?;
    let name = &sheets[index].name;
    let (mut cells, regions) = book.cells_and_merges(index, name)?;
    if cells.is_empty() {
        return Err(Fail::Other(format!(
            "sheet \"{name}\" ({why}) is empty; {}",
            select::pass_sheet_hint(&sheets)
        )));
    }
    let merged = cells.apply_merges(&regions)?;
    let (first_row, rows) = cells.finish();
    Ok(Grid {
        sheet: name.clone(),
        why,
        first_row,
        rows,
        merged,
    })
}
