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
//! | ods | not exposed (covered cells read as empty; merges are not applied) | not exposed: read from `settings.xml` (`ActiveTable`) | `sheets_metadata()` |
//!
//! (The importer's fill-down of grouping columns covers the usual merged-brand layout where
//! merges are not applied.) calamine finds an xlsx sheet's merged regions by parsing the whole
//! sheet again, which costs as much as reading its cells; so the regions are found by inflating
//! the sheet part and searching it for its `<mergeCells>` element, on the other core while
//! calamine reads the cells (calamine's method remains the fallback, and gives the same regions).
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

use super::cell::Cell;
use super::ImportError;
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Sheet, SheetType, SheetVisible};
use calamine::{OdsError, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError};
use std::io::{Cursor, Read};

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

const ZIP_SIG: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_SIG: &[u8] = b"PK\x05\x06";
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
    bytes.starts_with(ZIP_SIG) || bytes.starts_with(ZIP_EMPTY_SIG) || bytes.starts_with(CFB_SIG)
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

/// Why a workbook could not be read (the file name is added by [`Fail::into_error`]).
#[derive(Debug)]
enum Fail {
    /// Damaged or not a workbook at all: "cannot read the workbook: {0}".
    Damaged(String),
    /// Encrypted with a password.
    Password,
    /// A sheet (or, `None`, the workbook) beyond a size limit: {0} says how.
    TooLarge(Option<String>, String),
    /// A complete sentence about the file (not a workbook, no such sheet, …).
    Other(String),
}

impl Fail {
    fn into_error(self, name: &str) -> ImportError {
        ImportError::Invalid(match self {
            Fail::Damaged(why) => format!(
                "{name}: cannot read the workbook: {why}. The file is damaged or is not an Excel or \
                 OpenDocument workbook; if Excel or LibreOffice can open it, save it again as \
                 .xlsx and import that"
            ),
            Fail::Password => format!(
                "{name}: the workbook is password-protected (encrypted), so its cells cannot be \
                 read; open it with the password, save an unprotected copy (in Excel: File › Info \
                 › Protect Workbook › Encrypt with Password, clear the password, save) and import \
                 that"
            ),
            Fail::TooLarge(sheet, what) => {
                let whose = match sheet {
                    Some(s) => format!("sheet \"{s}\""),
                    None => "the workbook".to_string(),
                };
                format!(
                    "{name}: {whose} is too large to import: {what} (limits: {} rows, {} columns, \
                     {} cells per sheet); keep the inventory on a sheet of its own, or split it",
                    thousands(MAX_ROWS),
                    thousands(MAX_COLUMNS),
                    thousands(MAX_CELLS)
                )
            }
            Fail::Other(msg) => format!("{name}: {msg}"),
        })
    }
}

fn read_sheet(
    bytes: &[u8],
    sheet: Option<&str>,
    holds_inventory: &dyn Fn(&[Vec<Cell>]) -> bool,
) -> Result<Grid, Fail> {
    let (mut book, active) = open(bytes)?;
    let sheets = book.sheets();
    if sheets.is_empty() {
        return Err(Fail::Other("the workbook has no sheets".into()));
    }
    let (index, why) = match sheet {
        Some(arg) => named_sheet(&sheets, arg)?,
        None => choose_sheet(&mut book, &sheets, active, holds_inventory)?,
    };
    let chosen = &sheets[index];
    if chosen.typ != SheetType::WorkSheet {
        return Err(Fail::Other(format!(
            "sheet \"{}\" ({why}) is a {}, not a sheet of cells; {}",
            chosen.name,
            kind_name(chosen.typ),
            pass_sheet_hint(&sheets)
        )));
    }
    let (mut cells, regions) = book.cells_and_merges(index, &chosen.name)?;
    if cells.rows.is_empty() {
        return Err(Fail::Other(format!(
            "sheet \"{}\" ({why}) is empty; {}",
            chosen.name,
            pass_sheet_hint(&sheets)
        )));
    }
    let merged = cells.apply_merges(&regions)?;
    let (first_row, rows) = cells.finish();
    Ok(Grid {
        sheet: chosen.name.clone(),
        why,
        first_row,
        rows,
        merged,
    })
}

// ---------------------------------------------------------------------------------------------
// Choosing the sheet

/// The sheet `--sheet arg` names: exact name, then case-insensitive (ignoring surrounding
/// spaces), then a 1-based number.
fn named_sheet(sheets: &[Sheet], arg: &str) -> Result<(usize, String), Fail> {
    if let Some(i) = sheets.iter().position(|s| s.name == arg) {
        return Ok((i, format!("--sheet {arg}")));
    }
    let folded = arg.trim().to_lowercase();
    if let Some(i) = sheets
        .iter()
        .position(|s| s.name.trim().to_lowercase() == folded)
    {
        return Ok((i, format!("--sheet {arg} (sheet \"{}\")", sheets[i].name)));
    }
    if let Ok(n) = arg.trim().parse::<usize>() {
        if (1..=sheets.len()).contains(&n) {
            return Ok((n - 1, format!("--sheet {arg} (sheet number {n})")));
        }
    }
    let listed: Vec<String> = sheets
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. \"{}\"{}", i + 1, s.name, sheet_tags(s, false)))
        .collect();
    Err(Fail::Other(format!(
        "no sheet is named or numbered \"{arg}\" (--sheet); the workbook's sheets are: {}. Pass \
         --sheet with one of these names, or a number from 1 to {}",
        listed.join(", "),
        sheets.len()
    )))
}

/// Why a sheet is never picked on its own, if it is not.
fn ineligible(s: &Sheet) -> Option<String> {
    if s.typ != SheetType::WorkSheet {
        return Some(kind_name(s.typ).to_string());
    }
    match s.visible {
        SheetVisible::Visible => None,
        SheetVisible::Hidden => Some("hidden".to_string()),
        SheetVisible::VeryHidden => Some("very hidden".to_string()),
    }
}

fn kind_name(t: SheetType) -> &'static str {
    match t {
        SheetType::WorkSheet => "worksheet",
        SheetType::ChartSheet => "chart sheet",
        SheetType::MacroSheet => "macro sheet",
        SheetType::DialogSheet => "dialog sheet",
        SheetType::Vba => "VBA module",
    }
}

/// ` (hidden)`, ` (chart sheet)`, ` (active)`, … for listings.
fn sheet_tags(s: &Sheet, active: bool) -> String {
    let mut tags = Vec::new();
    if let Some(why) = ineligible(s) {
        tags.push(why);
    }
    if active {
        tags.push("active".to_string());
    }
    if tags.is_empty() {
        String::new()
    } else {
        format!(" ({})", tags.join(", "))
    }
}

fn pass_sheet_hint(sheets: &[Sheet]) -> String {
    let names: Vec<String> = sheets.iter().map(|s| format!("\"{}\"", s.name)).collect();
    format!(
        "pass --sheet with the name or number (1 to {}) of the sheet holding the inventory (sheets: \
         {})",
        sheets.len(),
        names.join(", ")
    )
}

/// What probing a sheet's first rows found.
enum Probe {
    Fits,
    /// Does not hold an inventory: why ("empty", "no inventory header", "could not be read: …")
    /// and what its first cells say.
    No(String, Option<String>),
}

fn probe(
    book: &mut Book<'_>,
    sheet: &Sheet,
    holds_inventory: &dyn Fn(&[Vec<Cell>]) -> bool,
) -> Probe {
    match book.cells(&sheet.name, Some(HEAD_ROWS)) {
        Err(e) => {
            let why = match e {
                Fail::Damaged(w) | Fail::TooLarge(_, w) | Fail::Other(w) => w,
                Fail::Password => "password-protected".to_string(),
            };
            Probe::No(format!("could not be read: {}", truncate(&why, 120)), None)
        }
        Ok(cells) => {
            let (_, rows) = cells.finish();
            if rows.iter().all(|r| r.iter().all(Cell::is_blank)) {
                Probe::No("empty".into(), None)
            } else if holds_inventory(&rows) {
                Probe::Fits
            } else {
                Probe::No("no inventory header".into(), Some(preview(&rows)))
            }
        }
    }
}

/// The first non-empty cells of `rows`, quoted and truncated: `"Read me", "Owner: …", …`.
fn preview(rows: &[Vec<Cell>]) -> String {
    const CELLS: usize = 4;
    let mut shown = Vec::new();
    let mut more = false;
    for cell in rows.iter().flatten().filter(|c| !c.is_blank()) {
        if shown.len() == CELLS {
            more = true;
            break;
        }
        let text = match cell.to_text(None) {
            Ok(t) => t.trim().to_string(),
            Err(e) => e.to_string(),
        };
        shown.push(format!("\"{}\"", truncate(&text, 24)));
    }
    if more {
        shown.push("…".into());
    }
    shown.join(", ")
}

fn choose_sheet(
    book: &mut Book<'_>,
    sheets: &[Sheet],
    active: Option<usize>,
    holds_inventory: &dyn Fn(&[Vec<Cell>]) -> bool,
) -> Result<(usize, String), Fail> {
    let n = sheets.len();
    let active = active.filter(|&a| a < n);
    // Per sheet: why it was passed over, and what it starts with (when probed).
    let mut passed: Vec<Option<(String, Option<String>)>> = vec![None; n];
    let order = active
        .into_iter()
        .chain((0..n).filter(|&i| Some(i) != active));
    let mut chosen = None;
    for i in order {
        if let Some(why) = ineligible(&sheets[i]) {
            passed[i] = Some((why, None));
            continue;
        }
        match probe(book, &sheets[i], holds_inventory) {
            Probe::Fits => {
                chosen = Some(i);
                break;
            }
            Probe::No(why, starts) => passed[i] = Some((why, starts)),
        }
    }
    if let Some(c) = chosen {
        if Some(c) == active {
            return Ok((c, "the active sheet".into()));
        }
        let skipped: Vec<String> = (0..n)
            .filter(|&i| i < c || Some(i) == active)
            .filter_map(|i| {
                let (why, _) = passed[i].as_ref()?;
                let tag = if Some(i) == active { "active, " } else { "" };
                Some(format!("\"{}\" ({tag}{why})", sheets[i].name))
            })
            .collect();
        let mut why = "first visible sheet with an inventory header".to_string();
        if !skipped.is_empty() {
            why.push_str("; skipped: ");
            why.push_str(&skipped.join(", "));
        }
        return Ok((c, why));
    }
    // Nothing fits: list every sheet with what it starts with (hidden ones too, for --sheet).
    let mut lines = Vec::with_capacity(n);
    for (i, s) in sheets.iter().enumerate() {
        let mut entry = passed[i].take();
        if s.typ == SheetType::WorkSheet && s.visible != SheetVisible::Visible {
            entry = match probe(book, s, &|_| false) {
                Probe::No(why, starts) if why.starts_with("could not") || why == "empty" => {
                    Some((why, starts))
                }
                Probe::No(_, starts) => Some((String::new(), starts)),
                Probe::Fits => Some((String::new(), None)),
            };
        }
        let says = match entry {
            Some((_, Some(starts))) => format!(": starts with {starts}"),
            Some((why, None)) if !why.is_empty() && s.typ == SheetType::WorkSheet => {
                format!(": {why}")
            }
            _ => String::new(),
        };
        lines.push(format!(
            "  {}. \"{}\"{}{says}",
            i + 1,
            s.name,
            sheet_tags(s, Some(i) == active)
        ));
    }
    Err(Fail::Other(format!(
        "no visible sheet holds an account inventory (a row of column headers such as id, name \
         or 账号名称 within its first {HEAD_ROWS} rows). The workbook's sheets:\n{}\nPass --sheet \
         NAME or --sheet NUMBER to read one of them",
        lines.join("\n")
    )))
}

// ---------------------------------------------------------------------------------------------
// Opening

/// A workbook opened by calamine, over the caller's bytes.
enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>, SheetParts<'a>),
    Xlsb(Xlsb<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
    Ods(Ods<Cursor<&'a [u8]>>),
}

/// Where each sheet of an xlsx lives in the archive, to find its merged cells quickly.
struct SheetParts<'a> {
    bytes: &'a [u8],
    /// Archive entry of each sheet, in `sheets_metadata()` order (None: not found).
    parts: Vec<Option<String>>,
}

/// Runs calamine code, turning a panic on malformed data into a `Damaged` failure (callers
/// reading a sheet add its name).
fn guard<T>(f: impl FnOnce() -> Result<T, Fail>) -> Result<T, Fail> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Fail::Damaged(
            "the spreadsheet reader failed on malformed data".into(),
        ))
    })
}

fn xlsx_fail(e: XlsxError) -> Fail {
    match e {
        XlsxError::Password => Fail::Password,
        e => Fail::Damaged(e.to_string()),
    }
}

fn xlsb_fail(e: XlsbError) -> Fail {
    match e {
        XlsbError::Password => Fail::Password,
        e => Fail::Damaged(e.to_string()),
    }
}

fn xls_fail(e: XlsError) -> Fail {
    match e {
        XlsError::Password => Fail::Password,
        e => Fail::Damaged(e.to_string()),
    }
}

fn ods_fail(e: OdsError) -> Fail {
    match e {
        OdsError::Password => Fail::Password,
        OdsError::CellLimitExceeded { requested, max } => Fail::TooLarge(
            None,
            format!(
                "a sheet asks for {} cells, more than the {} the OpenDocument reader allows",
                thousands(requested as u64),
                thousands(max as u64)
            ),
        ),
        e => Fail::Damaged(e.to_string()),
    }
}

/// Where the active sheet is recorded, before it is matched to a sheet index.
enum Active {
    Index(usize),
    Name(String),
}

/// Opens the workbook and finds its active sheet (an index into `sheets_metadata()`).
fn open(bytes: &[u8]) -> Result<(Book<'_>, Option<usize>), Fail> {
    let (book, active) = if bytes.starts_with(ZIP_SIG) || bytes.starts_with(ZIP_EMPTY_SIG) {
        open_zip(bytes)?
    } else if bytes.starts_with(CFB_SIG) {
        open_cfb(bytes)?
    } else {
        return Err(not_a_workbook(bytes));
    };
    let active = match active {
        Some(Active::Index(i)) => Some(i),
        Some(Active::Name(name)) => book.sheets().iter().position(|s| s.name == name),
        None => None,
    };
    Ok((book, active))
}

/// Explains bytes without a workbook signature.
fn not_a_workbook(bytes: &[u8]) -> Fail {
    let head = &bytes[..bytes.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Fail::Other("the file is empty".into());
    }
    if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Fail::Other(
            "this is an Excel 2003 XML spreadsheet, which is not read directly; open it in Excel \
             and save it as .xlsx (File › Save As › Excel Workbook), then import that"
                .into(),
        );
    }
    if text.starts_with('<') {
        return Fail::Other(
            "this is a web page (HTML) named like a workbook, as web systems' \"Export to Excel\" \
             often write; open it in Excel and save it as .xlsx (File › Save As › Excel \
             Workbook), then import that"
                .into(),
        );
    }
    Fail::Damaged(
        "it has neither the signature of an .xlsx/.xlsb/.ods file (a zip archive) nor that of an \
         .xls file (an OLE compound file)"
            .into(),
    )
}

/// The kinds of zip-based workbook.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

fn open_zip(bytes: &[u8]) -> Result<(Book<'_>, Option<Active>), Fail> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Fail::Damaged(format!("it is not a readable zip archive ({e})")))?;
    // Every part's declared size, checked before anything is inflated.
    // (name as calamine looks it up: `\` as `/`, case ignored; name in the archive)
    let mut names: Vec<(String, String)> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip
            .by_index_data(i)
            .map_err(|e| Fail::Damaged(format!("its zip directory is damaged ({e})")))?;
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        };
        let size = entry.size();
        let norm = normalise_part(&name);
        let file = norm.rsplit('/').next().unwrap_or(&norm);
        let limit = if norm.starts_with("xl/worksheets/")
            || norm == "content.xml"
            || file.starts_with("sheet")
        {
            Some(MAX_SHEET_PART)
        } else if [".xml", ".bin", ".rels"].iter().any(|e| norm.ends_with(e)) {
            Some(MAX_OTHER_PART)
        } else {
            None
        };
        if let Some(limit) = limit.filter(|&l| size > l) {
            return Err(Fail::Damaged(format!(
                "its part \"{name}\" would unpack to {} (the limit is {}), which no real \
                 inventory needs: the file is damaged or built to exhaust memory",
                human_bytes(size),
                human_bytes(limit)
            )));
        }
        names.push((norm, name));
    }
    let find = |wanted: &str| {
        names
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, actual)| actual.clone())
    };
    // The workbook part, as the package's relationships name it (as calamine finds it).
    let office_doc = find("_rels/.rels")
        .and_then(|p| read_part(&mut zip, &p, MAX_VIEW_PART))
        .and_then(|xml| office_document(&xml))
        .and_then(|target| find(&target));
    let (kind, workbook_part) = match office_doc {
        Some(p) if normalise_part(&p) == "xl/workbook.bin" => (ZipKind::Xlsb, Some(p)),
        Some(p) if p.to_ascii_lowercase().ends_with(".xml") => (ZipKind::Xlsx, Some(p)),
        _ => match (find("xl/workbook.xml"), find("xl/workbook.bin")) {
            (Some(p), _) => (ZipKind::Xlsx, Some(p)),
            (None, Some(p)) => (ZipKind::Xlsb, Some(p)),
            (None, None) => (ZipKind::Ods, None),
        },
    };
    if kind == ZipKind::Ods {
        if find("content.xml").is_some() {
            let mime = find("mimetype")
                .and_then(|m| read_part(&mut zip, &m, 256))
                .unwrap_or_default();
            let mime = String::from_utf8_lossy(&mime).trim().to_string();
            if mime.starts_with("application/vnd.oasis.opendocument.")
                && !mime.contains("spreadsheet")
            {
                return Err(Fail::Other(format!(
                    "this is an OpenDocument file of type {mime}, not a spreadsheet (.ods)"
                )));
            }
        } else if find("word/document.xml").is_some() {
            return Err(Fail::Other(
                "this is a Word document (.docx), not a workbook".into(),
            ));
        } else if find("ppt/presentation.xml").is_some() {
            return Err(Fail::Other(
                "this is a PowerPoint presentation (.pptx), not a workbook".into(),
            ));
        } else {
            return Err(Fail::Other(
                "this is a zip archive without a workbook in it (no xl/workbook.xml or \
                 content.xml); if it holds the inventory file, extract that and import it"
                    .into(),
            ));
        }
    }
    let mut parts = Vec::new();
    let active = match kind {
        ZipKind::Xlsx => {
            let part = workbook_part.unwrap_or_default();
            let xml = read_part(&mut zip, &part, MAX_VIEW_PART);
            if let Some(xml) = &xml {
                // The sheets' parts: `<sheet r:id>` → the workbook's relationships.
                let norm = normalise_part(&part);
                let (dir, file) = norm.split_at(norm.rfind('/').map_or(0, |i| i + 1));
                let rels = find(&format!("{dir}_rels/{file}.rels"))
                    .and_then(|p| read_part(&mut zip, &p, MAX_VIEW_PART))
                    .unwrap_or_default();
                parts = sheet_parts(xml, &rels, dir, &find);
            }
            xml.map(|xml| Active::Index(xlsx_active_tab(&xml)))
        }
        ZipKind::Xlsb => workbook_part
            .and_then(|p| read_part(&mut zip, &p, MAX_VIEW_PART))
            .and_then(|bin| xlsb_active_tab(&bin))
            .map(Active::Index),
        ZipKind::Ods => find("settings.xml")
            .and_then(|p| read_part(&mut zip, &p, MAX_VIEW_PART))
            .and_then(|xml| ods_active_table(&xml))
            .map(Active::Name),
    };
    drop(zip);
    let book = guard(|| {
        Ok(match kind {
            ZipKind::Xlsx => Book::Xlsx(
                Xlsx::new(Cursor::new(bytes)).map_err(xlsx_fail)?,
                SheetParts { bytes, parts },
            ),
            ZipKind::Xlsb => Book::Xlsb(Xlsb::new(Cursor::new(bytes)).map_err(xlsb_fail)?),
            ZipKind::Ods => Book::Ods(Ods::new(Cursor::new(bytes)).map_err(ods_fail)?),
        })
    })?;
    Ok((book, active))
}

/// Up to `limit` bytes of a zip part (None if it cannot be read or is bigger).
fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let file = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    file.take(limit + 1).read_to_end(&mut buf).ok()?;
    (buf.len() as u64 <= limit).then_some(buf)
}

/// A zip part name as calamine looks parts up: `\` as `/`, no leading `/`, lowercase.
fn normalise_part(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}

/// The target of the `officeDocument` relationship in `_rels/.rels`, normalised.
fn office_document(xml: &[u8]) -> Option<String> {
    let tag = tags(xml).find(|t| {
        tag_name(t) == (b"Relationship".as_slice(), false)
            && attr(t, b"Type").is_some_and(|t| t.ends_with(b"/officeDocument"))
    })?;
    let target = unescape_xml(std::str::from_utf8(attr(tag, b"Target")?).ok()?);
    Some(normalise_part(&target))
}

/// `<workbookView activeTab="N">` of `xl/workbook.xml`; 0 (the first sheet) when absent, as in
/// Excel.
fn xlsx_active_tab(xml: &[u8]) -> usize {
    tags(xml)
        .find(|t| tag_name(t) == (b"workbookView".as_slice(), false))
        .and_then(|t| attr(t, b"activeTab"))
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok())
        .unwrap_or(0)
}

/// The tags of `xml`, each as the bytes between `<` and `>` (`/name` for an end tag).
fn tags(xml: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + memchr::memchr(b'<', xml.get(at..)?)? + 1;
        let end = memchr::memchr(b'>', &xml[start..]).map_or(xml.len(), |e| start + e);
        at = end;
        Some(&xml[start..end])
    })
}

/// The local name of a tag from [`tags`] (after any `prefix:`), and whether it is an end tag.
fn tag_name(tag: &[u8]) -> (&[u8], bool) {
    let (tag, end) = match tag.strip_prefix(b"/") {
        Some(t) => (t, true),
        None => (tag, false),
    };
    let len = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..len];
    (name.rsplit(|&b| b == b':').next().unwrap_or(name), end)
}

/// The value of the attribute whose local name (after any `prefix:`) is `local`, in a tag from
/// [`tags`]; not unescaped.
fn attr<'x>(tag: &'x [u8], local: &[u8]) -> Option<&'x [u8]> {
    let skip = tag
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(tag.len());
    let mut rest = &tag[skip..];
    loop {
        rest = rest.trim_ascii_start();
        let eq = memchr::memchr(b'=', rest)?;
        let name = rest[..eq].trim_ascii_end();
        let value = rest[eq + 1..].trim_ascii_start();
        let quote = *value.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let close = memchr::memchr(quote, &value[1..])?;
        if name.rsplit(|&b| b == b':').next() == Some(local) {
            return Some(&value[1..1 + close]);
        }
        rest = &value[close + 2..];
    }
}

/// The archive entry of each `<sheet>` of a workbook part, in order, as calamine resolves them:
/// `r:id` → `Target` in the workbook's relationships, relative to the workbook's folder `dir`
/// unless absolute.
fn sheet_parts(
    workbook_xml: &[u8],
    rels_xml: &[u8],
    dir: &str,
    find: &dyn Fn(&str) -> Option<String>,
) -> Vec<Option<String>> {
    let targets: Vec<(&[u8], &[u8])> = tags(rels_xml)
        .filter(|t| tag_name(t) == (b"Relationship".as_slice(), false))
        .filter_map(|t| Some((attr(t, b"Id")?, attr(t, b"Target")?)))
        .collect();
    tags(workbook_xml)
        .filter(|t| tag_name(t) == (b"sheet".as_slice(), false))
        .map(|t| {
            let id = attr(t, b"id")?;
            let (_, target) = targets.iter().find(|(i, _)| *i == id)?;
            let target = std::str::from_utf8(target).ok()?;
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("{dir}{target}"),
            };
            find(&normalise_part(&path))
        })
        .collect()
}

/// The merged regions of the worksheet in archive entry `part`, found without parsing the sheet
/// as XML: the part is inflated in chunks and searched for its `<mergeCells>` element (which
/// follows the cells), and only that element is read. None when this fails in any way (calamine
/// is asked then, and reports what is wrong).
fn scan_merges(bytes: &[u8], part: &str) -> Option<Vec<Dimensions>> {
    const CHUNK: usize = 1 << 20;
    /// Bytes kept between chunks: a match may straddle them, and its tag prefix precede it.
    const KEEP: usize = 256;
    /// Most bytes read after `<mergeCells` (the element and whatever follows it).
    const MAX_TAIL: u64 = 256 << 20;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut file = zip.by_name(part).ok()?;
    let finder = memchr::memmem::Finder::new(b"mergeCells");
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + KEEP);
    loop {
        let mut from = 0;
        while let Some(i) = finder.find(&buf[from..]) {
            let at = from + i;
            from = at + 1;
            match start_tag_at(&buf, at, b"mergeCells".len()) {
                Some(Some(lt)) => {
                    let mut tail = buf.split_off(lt);
                    (&mut file).take(MAX_TAIL).read_to_end(&mut tail).ok()?;
                    if tail.len() as u64 >= MAX_TAIL {
                        return None;
                    }
                    return Some(merge_cells(&tail));
                }
                Some(None) => {}
                // Too near the end of what has been read to tell: look again with more.
                None => break,
            }
        }
        let keep_from = buf.len().saturating_sub(KEEP);
        buf.drain(..keep_from);
        let old = buf.len();
        buf.resize(old + CHUNK, 0);
        let mut got = 0;
        while got < CHUNK {
            match file.read(&mut buf[old + got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        buf.truncate(old + got);
        if got == 0 {
            return Some(Vec::new());
        }
    }
}

/// Whether the name matched at `buf[at..at + len]` is the name of a start tag: Some(Some(index
/// of its `<`)) if it is, Some(None) if not, None if the bytes after it are not read yet.
fn start_tag_at(buf: &[u8], at: usize, len: usize) -> Option<Option<usize>> {
    let after = *buf.get(at + len)?;
    if !(after.is_ascii_whitespace() || after == b'>' || after == b'/') {
        return Some(None);
    }
    let name_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
    let lt = match at.checked_sub(1).map(|i| buf[i]) {
        Some(b'<') => at - 1,
        Some(b':') => {
            let prefix = buf[..at - 1].iter().rposition(|&b| !name_char(b));
            match prefix {
                Some(p) if buf[p] == b'<' && p + 1 < at - 1 => p,
                _ => return Some(None),
            }
        }
        _ => return Some(None),
    };
    Some(Some(lt))
}

/// The regions of the `<mergeCells>` element at the start of `xml`.
fn merge_cells(xml: &[u8]) -> Vec<Dimensions> {
    let mut regions = Vec::new();
    for tag in tags(xml) {
        match tag_name(tag) {
            (b"mergeCells", true) => break,
            (b"mergeCells", false) if tag.ends_with(b"/") => break,
            (b"mergeCell", false) => {
                if let Some(d) = attr(tag, b"ref").and_then(cell_range) {
                    regions.push(d);
                }
            }
            _ => {}
        }
    }
    regions
}

/// `A1:C3` (or `B2`) as 0-based dimensions.
fn cell_range(r: &[u8]) -> Option<Dimensions> {
    let cell = |c: &[u8]| -> Option<(u32, u32)> {
        let c: Vec<u8> = c.iter().copied().filter(|&b| b != b'$').collect();
        let letters = c.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if letters == 0 || letters > 4 || letters == c.len() {
            return None;
        }
        let mut col = 0u32;
        for b in &c[..letters] {
            col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
        }
        let row: u32 = std::str::from_utf8(&c[letters..]).ok()?.parse().ok()?;
        Some((row.checked_sub(1)?, col - 1))
    };
    let mut ends = r.split(|&b| b == b':');
    let start = cell(ends.next()?)?;
    let end = match ends.next() {
        Some(e) => cell(e)?,
        None => start,
    };
    Some(Dimensions::new(start, end))
}

/// `itabCur` of the first `BrtBookView` record of `xl/workbook.bin`.
fn xlsb_active_tab(bin: &[u8]) -> Option<usize> {
    const BRT_BOOK_VIEW: u32 = 0x9E;
    const BRT_BEGIN_BUNDLE_SHS: u32 = 0x8F;
    let mut at = 0usize;
    while at < bin.len() {
        // Record type: 1–2 bytes of 7 bits; size: 1–4 bytes of 7 bits (MS-XLSB 2.1.4).
        let mut typ = 0u32;
        for i in 0..2 {
            let b = *bin.get(at)?;
            at += 1;
            typ |= u32::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        let mut len = 0usize;
        for i in 0..4 {
            let b = *bin.get(at)?;
            at += 1;
            len |= usize::from(b & 0x7F) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        let data = bin.get(at..at.checked_add(len)?)?;
        at += len;
        match typ {
            BRT_BOOK_VIEW => return Some(u32_at(data, 24)? as usize),
            BRT_BEGIN_BUNDLE_SHS => return None,
            _ => {}
        }
    }
    None
}

/// The `ActiveTable` setting of an ODS `settings.xml` (a sheet name).
fn ods_active_table(xml: &[u8]) -> Option<String> {
    let at = memchr::memmem::find(xml, b"\"ActiveTable\"")?;
    let rest = &xml[at..];
    let start = memchr::memchr(b'>', rest)? + 1;
    let end = memchr::memchr(b'<', &rest[start..])? + start;
    let name = unescape_xml(std::str::from_utf8(&rest[start..end]).ok()?);
    (!name.is_empty()).then_some(name)
}

/// Replaces the five XML entities and numeric character references.
fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn open_cfb(bytes: &[u8]) -> Result<(Book<'_>, Option<Active>), Fail> {
    let cfb = Cfb::parse(bytes)
        .map_err(|e| Fail::Damaged(format!("its OLE compound-file structure is damaged ({e})")))?;
    // An encrypted .xlsx/.xlsb is an OLE file holding the encrypted package.
    if cfb.has("EncryptionInfo") || cfb.has("EncryptedPackage") {
        return Err(Fail::Password);
    }
    let stream =
        match cfb.stream("Workbook").or_else(|| cfb.stream("Book")) {
            Some(s) => {
                s.map_err(|e| Fail::Damaged(format!("its workbook stream cannot be read ({e})")))?
            }
            None => return Err(Fail::Other(
                "this is an OLE compound document without a workbook in it (for example a Word \
                 .doc), not an Excel workbook"
                    .into(),
            )),
        };
    let scan = biff::scan(&stream)?;
    drop(stream);
    let book = guard(|| Ok(Book::Xls(Xls::new(Cursor::new(bytes)).map_err(xls_fail)?)))?;
    Ok((book, scan.active_tab.map(Active::Index)))
}

// ---------------------------------------------------------------------------------------------
// Reading cells

impl Book<'_> {
    fn sheets(&self) -> Vec<Sheet> {
        match self {
            Book::Xlsx(b, _) => b.sheets_metadata().to_vec(),
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b) => b.sheets_metadata().to_vec(),
        }
    }

    /// The cells of sheet `name`: all of them, or (`head`) those of the first `head` rows from
    /// its first row holding a value.
    fn cells(&mut self, name: &str, head: Option<usize>) -> Result<Cells, Fail> {
        let sheet_fail = |f: Fail| match f {
            Fail::Damaged(why) => Fail::Damaged(format!("sheet \"{name}\": {why}")),
            f => f,
        };
        let mut cells = Cells::new(name, head);
        match self {
            Book::Xlsx(b, _) => return xlsx_cells(b, name, head),
            Book::Xlsb(b) => guard(|| {
                let mut reader = b.worksheet_cells_reader(name).map_err(xlsb_fail)?;
                while let Some(c) = reader.next_cell().map_err(xlsb_fail)? {
                    let (row, col) = c.get_position();
                    if let Some(cell) = from_data_ref(c.get_value()) {
                        if !cells.put(row, col, cell)? {
                            break;
                        }
                    }
                }
                Ok(())
            })
            .map_err(sheet_fail)?,
            Book::Xls(b) => {
                let range =
                    guard(|| b.worksheet_range(name).map_err(xls_fail)).map_err(sheet_fail)?;
                cells.put_range(&range)?;
            }
            Book::Ods(b) => {
                let range =
                    guard(|| b.worksheet_range(name).map_err(ods_fail)).map_err(sheet_fail)?;
                cells.put_range(&range)?;
            }
        }
        Ok(cells)
    }

    /// All cells of sheet number `index` (named `name`) and its merged regions. For xlsx, the
    /// merged regions are found by [`scan_merges`] on the other core while calamine reads the
    /// cells (asking calamine for them means parsing the whole sheet a second time).
    fn cells_and_merges(
        &mut self,
        index: usize,
        name: &str,
    ) -> Result<(Cells, Vec<Dimensions>), Fail> {
        if let Book::Xlsx(b, parts) = self {
            if let Some(part) = parts.parts.get(index).cloned().flatten() {
                let bytes = parts.bytes;
                let scan = || {
                    let scan = std::panic::AssertUnwindSafe(|| scan_merges(bytes, &part));
                    std::panic::catch_unwind(scan).ok().flatten()
                };
                let (cells, merges) = rayon::join(|| xlsx_cells(b, name, None), scan);
                let cells = cells?;
                let merges = match merges {
                    Some(m) => m,
                    None => self.merges(name)?,
                };
                return Ok((cells, merges));
            }
        }
        let cells = self.cells(name, None)?;
        let merges = self.merges(name)?;
        Ok((cells, merges))
    }

    /// The merged regions of sheet `name`, where calamine exposes them (xlsx, xls).
    fn merges(&mut self, name: &str) -> Result<Vec<Dimensions>, Fail> {
        let fail = |f: Fail| match f {
            Fail::Damaged(why) => {
                Fail::Damaged(format!("the merged cells of sheet \"{name}\": {why}"))
            }
            f => f,
        };
        match self {
            Book::Xlsx(b, _) => {
                guard(|| b.merge_cells_by_sheet_name(name).map_err(xlsx_fail)).map_err(fail)
            }
            Book::Xls(b) => {
                guard(|| b.merge_cells_by_sheet_name(name).map_err(xls_fail)).map_err(fail)
            }
            Book::Xlsb(_) | Book::Ods(_) => Ok(Vec::new()),
        }
    }
}

/// The cells of xlsx sheet `name` (see [`Book::cells`]), streamed from calamine's cell reader.
fn xlsx_cells(b: &mut Xlsx<Cursor<&[u8]>>, name: &str, head: Option<usize>) -> Result<Cells, Fail> {
    let mut cells = Cells::new(name, head);
    guard(|| {
        let mut reader = b.worksheet_cells_reader(name).map_err(xlsx_fail)?;
        while let Some(c) = reader.next_cell().map_err(xlsx_fail)? {
            let (row, col) = c.get_position();
            if let Some(cell) = from_data_ref(c.get_value()) {
                if !cells.put(row, col, cell)? {
                    break;
                }
            }
        }
        Ok(())
    })
    .map_err(|f| match f {
        Fail::Damaged(why) => Fail::Damaged(format!("sheet \"{name}\": {why}")),
        f => f,
    })?;
    Ok(cells)
}

/// A number cell: an integer when it holds one exactly (Excel stores every number as a float).
fn number(f: f64) -> Cell {
    // 2^63 is exact as f64; every integral float in [-2^63, 2^63) converts to i64 exactly.
    if f.is_finite()
        && f.fract() == 0.0
        && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
    {
        Cell::Int(f as i64)
    } else {
        Cell::Float(f)
    }
}

/// A date/time cell: a date, or text for a time of day or a duration (`12:30:00`, `36:00:00`).
fn date_time(dt: &calamine::ExcelDateTime) -> Cell {
    let v = dt.as_f64();
    // Within Excel's calendar (9999-12-31 is serial 2,958,465); calamine's conversion panics
    // far outside it.
    if !(v.is_finite() && (0.0..2_958_466.0).contains(&v)) {
        return number(v);
    }
    if dt.is_duration() || v < 1.0 {
        return Cell::Text(clock(v));
    }
    match dt.as_datetime() {
        Some(d) => Cell::Date(d.date()),
        None => number(v),
    }
}

/// `h:mm:ss` of a fraction of days.
fn clock(days: f64) -> String {
    let secs = (days * 86_400.0).round() as i64;
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// An ISO date or date-time (ODS date cells) as a date; anything else as text.
fn date_iso(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .filter(|_| s.len() == 10 || s.as_bytes()[10] == b'T' || s.as_bytes()[10] == b' ')
        .map_or_else(|| Cell::Text(s.to_string()), Cell::Date)
}

fn text(s: &str) -> Option<Cell> {
    (!s.is_empty()).then(|| Cell::Text(s.to_string()))
}

fn from_data_ref(v: &DataRef<'_>) -> Option<Cell> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => return text(s),
        DataRef::SharedString(s) => return text(s),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => date_iso(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    })
}

fn from_data(v: &Data) -> Option<Cell> {
    Some(match v {
        Data::Empty => return None,
        Data::String(s) => return text(s),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) => date_iso(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

/// Cells collected at their sheet positions, within the limits.
struct Cells {
    sheet: String,
    /// Collect only this many rows from the first one holding a value.
    head: Option<usize>,
    /// Sheet row of `rows[0]` (meaningful once `rows` is not empty).
    base: u32,
    /// Rows from `base`, indexed by absolute column (trimmed in `finish`).
    rows: Vec<Vec<Cell>>,
    min_col: u32,
    max_col: u32,
    /// Cell slots held (row lengths summed), for [`MAX_CELLS`].
    slots: u64,
}

impl Cells {
    fn new(sheet: &str, head: Option<usize>) -> Self {
        Cells {
            sheet: sheet.to_string(),
            head,
            base: 0,
            rows: Vec::new(),
            min_col: 0,
            max_col: 0,
            slots: 0,
        }
    }

    fn too_large(&self, what: String) -> Fail {
        Fail::TooLarge(Some(self.sheet.clone()), what)
    }

    /// Stores a non-empty cell at sheet position (`row`, `col`). Ok(false): the `head` rows are
    /// complete, stop reading.
    fn put(&mut self, row: u32, col: u32, cell: Cell) -> Result<bool, Fail> {
        if u64::from(col) >= MAX_COLUMNS {
            return Err(self.too_large(format!(
                "it has a value in column {} (column number {})",
                column_letters(col),
                thousands(u64::from(col) + 1)
            )));
        }
        if self.rows.is_empty() {
            self.base = row;
            self.rows.push(Vec::new());
            self.min_col = col;
            self.max_col = col;
        } else if row < self.base {
            // Rows out of order (allowed in xlsx): grow upwards.
            let extra = (self.base - row) as usize;
            self.check_rows(self.rows.len() + extra, row)?;
            self.rows.splice(0..0, (0..extra).map(|_| Vec::new()));
            self.base = row;
        } else {
            let idx = (row - self.base) as usize;
            if self.head.is_some_and(|h| idx >= h) {
                return Ok(false);
            }
            if idx >= self.rows.len() {
                self.check_rows(idx + 1, row)?;
                self.rows.resize_with(idx + 1, Vec::new);
            }
        }
        self.min_col = self.min_col.min(col);
        self.max_col = self.max_col.max(col);
        let idx = (row - self.base) as usize;
        let col = col as usize;
        let len = self.rows[idx].len();
        if col >= len {
            self.grow(idx, col + 1 - len)?;
        }
        self.rows[idx][col] = cell;
        Ok(true)
    }

    fn check_rows(&self, span: usize, row: u32) -> Result<(), Fail> {
        if span as u64 > MAX_ROWS {
            let (a, b) = (self.base.min(row), self.base.max(row));
            return Err(self.too_large(format!(
                "its values span more than {} rows (row {} to row {})",
                thousands(MAX_ROWS),
                thousands(u64::from(a) + 1),
                thousands(u64::from(b) + 1)
            )));
        }
        Ok(())
    }

    /// Extends row `idx` by `by` empty cells.
    fn grow(&mut self, idx: usize, by: usize) -> Result<(), Fail> {
        self.slots += by as u64;
        if self.slots > MAX_CELLS {
            return Err(
                self.too_large(format!("it holds more than {} cells", thousands(MAX_CELLS)))
            );
        }
        let row = &mut self.rows[idx];
        row.resize(row.len() + by, Cell::Empty);
        Ok(())
    }

    fn put_range(&mut self, range: &calamine::Range<Data>) -> Result<(), Fail> {
        let Some((r0, c0)) = range.start() else {
            return Ok(());
        };
        for (i, row) in range.rows().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if let Some(cell) = from_data(v) {
                    if !self.put(r0 + i as u32, c0 + j as u32, cell)? {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    /// Copies each region's top-left value into its other cells (clipped to the used cells).
    /// Returns the number of regions applied.
    fn apply_merges(&mut self, regions: &[Dimensions]) -> Result<usize, Fail> {
        if self.rows.is_empty() {
            return Ok(0);
        }
        let last_row = self.base + (self.rows.len() - 1) as u32;
        let mut applied = 0;
        let mut written = 0u64;
        for d in regions {
            let ((r0, c0), (r1, c1)) = (d.start, d.end);
            if r1 < r0 || c1 < c0 || r0 < self.base || r0 > last_row {
                continue;
            }
            if c0 < self.min_col || c0 > self.max_col {
                continue;
            }
            let (r1, c1) = (r1.min(last_row), c1.min(self.max_col));
            if (r0, c0) == (r1, c1) {
                continue;
            }
            let top = (r0 - self.base) as usize;
            let value = match self.rows[top].get(c0 as usize) {
                Some(v) if !v.is_blank() => v.clone(),
                _ => continue,
            };
            written += u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if written > MAX_CELLS {
                return Err(self.too_large(format!(
                    "its merged cells cover more than {} cells",
                    thousands(MAX_CELLS)
                )));
            }
            for r in r0..=r1 {
                let idx = (r - self.base) as usize;
                let len = self.rows[idx].len();
                if c1 as usize >= len {
                    self.grow(idx, c1 as usize + 1 - len)?;
                }
                let row = &mut self.rows[idx];
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        row[c as usize] = value.clone();
                    }
                }
            }
            applied += 1;
        }
        Ok(applied)
    }

    /// (sheet row of the first row, rows from the leftmost used column).
    fn finish(mut self) -> (u32, Vec<Vec<Cell>>) {
        if let Some(h) = self.head {
            self.rows.truncate(h);
        }
        let skip = self.min_col as usize;
        if skip > 0 {
            for row in &mut self.rows {
                row.drain(..skip.min(row.len()));
            }
        }
        (self.base, self.rows)
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// `A`, `Z`, `AA`, … for a 0-based column.
fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `5000000` → `5,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `4294967296` → `4.0 GiB`.
fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// At most `max` characters, `…` marking a cut.
fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// OLE compound files (.xls), checked before calamine parses them

/// Just enough of MS-CFB to find the streams an `.xls` holds, and to refuse a container that
/// would make calamine loop or allocate without bound (it follows sector chains without a
/// cycle check, and reads every sheet when it opens the file). Mirrors how calamine reads the
/// container, so that what is checked is what it will read.
struct Cfb<'a> {
    data: &'a [u8],
    sector: usize,
    /// Highest sector id calamine accepts.
    max_id: u64,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    /// (name, first sector, length)
    entries: Vec<(String, u32, u64)>,
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const DIF_SECT: u32 = 0xFFFF_FFFC;
const MAX_REGSECT: u32 = 0xFFFF_FFFA;

impl<'a> Cfb<'a> {
    fn parse(data: &'a [u8]) -> Result<Cfb<'a>, String> {
        if data.len() < 512 || !data.starts_with(CFB_SIG) {
            return Err("too short for a compound file".into());
        }
        let sector = match u16_at(data, 30) {
            Some(9) => 512,
            Some(12) if data.len() >= 4096 => 4096,
            _ => return Err("bad sector size".into()),
        };
        if u16_at(data, 32) != Some(6) {
            return Err("bad mini sector size".into());
        }
        let field = |at| u32_at(data, at).ok_or_else(|| "truncated header".to_string());
        let dir_start = field(48)?;
        let mini_fat_start = field(60)?;
        let mini_fat_len = u64::from(field(64)?);
        let mut difat_next = field(68)?;
        let max_id = (data.len() / sector) as u64;
        let mut cfb = Cfb {
            data,
            sector,
            max_id,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        let mut difat: Vec<u32> = data[76..512]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut difat_sectors = 0u64;
        while difat_next < MAX_REGSECT {
            difat_sectors += 1;
            if difat_sectors > max_id + 1 {
                return Err("its sector allocation table chain loops".into());
            }
            let s = cfb.sector_at(difat_next)?;
            difat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
            difat_next = difat
                .pop()
                .ok_or_else(|| "its sector allocation table is empty".to_string())?;
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIF_SECT).collect();
        if fat_sectors.len() as u64 > max_id + 1 {
            return Err("its sector allocation table lists more sectors than the file has".into());
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector / 4);
        for id in fat_sectors {
            let s = cfb.sector_at(id)?;
            fat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        cfb.fat = fat;
        let dirs = cfb.chain(dir_start, u64::MAX)?;
        for d in dirs.chunks_exact(128) {
            let units: Vec<u16> = d[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(nul) = name.find('\0') {
                name.truncate(nul);
            }
            let start = u32_at(d, 116).unwrap_or(END_OF_CHAIN);
            let len = if sector == 512 {
                u64::from(u32_at(d, 120).unwrap_or(0))
            } else {
                u64_at(d, 120).unwrap_or(0)
            };
            cfb.entries.push((name, start, len));
        }
        let Some(&(_, root_start, root_len)) = cfb.entries.first() else {
            return Err("it has no directory".into());
        };
        if mini_fat_len > 0 {
            cfb.mini_stream = cfb.chain(root_start, root_len)?;
            let mini_fat = cfb.chain(mini_fat_start, mini_fat_len * sector as u64)?;
            cfb.mini_fat = mini_fat
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
        }
        Ok(cfb)
    }

    /// Sector `id` (short or empty at the end of the file, as calamine reads it).
    fn sector_at(&self, id: u32) -> Result<&'a [u8], String> {
        if u64::from(id) > self.max_id {
            return Err(format!("sector {id} lies past the end of the file"));
        }
        let start = (id as usize + 1) * self.sector;
        let start = start.min(self.data.len());
        let end = (start + self.sector).min(self.data.len());
        Ok(&self.data[start..end])
    }

    /// The bytes of the sector chain from `start`, at most `len` of them.
    fn chain(&self, start: u32, len: u64) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END_OF_CHAIN {
            let s = self.sector_at(id)?;
            let room = len - out.len() as u64;
            out.extend_from_slice(&s[..s.len().min(usize::try_from(room).unwrap_or(usize::MAX))]);
            if out.len() as u64 >= len {
                break;
            }
            id = *self
                .fat
                .get(id as usize)
                .ok_or_else(|| format!("a sector chain leads to sector {id}, outside the table"))?;
            steps += 1;
            if steps > self.fat.len() {
                return Err("a sector chain loops".into());
            }
        }
        Ok(out)
    }

    fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|(n, ..)| n.eq_ignore_ascii_case(name))
    }

    /// The stream named `name` (first match, case-insensitive, as calamine looks it up).
    fn stream(&self, name: &str) -> Option<Result<Vec<u8>, String>> {
        let &(_, start, len) = self
            .entries
            .iter()
            .find(|(n, ..)| n.eq_ignore_ascii_case(name))?;
        if len >= 4096 {
            return Some(self.chain(start, len));
        }
        // A small stream lives in the mini stream, in 64-byte sectors.
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != END_OF_CHAIN {
            let at = id as usize * 64;
            let Some(s) = self.mini_stream.get(at..at + 64) else {
                return Some(Err(format!("mini sector {id} lies past the mini stream")));
            };
            let room = (len as usize).saturating_sub(out.len());
            out.extend_from_slice(&s[..room.min(64)]);
            if out.len() as u64 >= len {
                break;
            }
            let Some(&next) = self.mini_fat.get(id as usize) else {
                return Some(Err(format!("mini sector {id} is outside the mini table")));
            };
            id = next;
            steps += 1;
            if steps > self.mini_fat.len() {
                return Some(Err("a mini sector chain loops".into()));
            }
        }
        Some(Ok(out))
    }
}

/// The BIFF record stream of an `.xls`, checked before calamine parses it.
mod biff {
    use super::{thousands, u16_at, u32_at, Fail, MAX_CELLS, MAX_COLUMNS};

    pub(super) struct Scan {
        /// `itabCur` of the first `Window1` record: the active sheet.
        pub active_tab: Option<usize>,
    }

    const BOF: u16 = 0x0809;
    const EOF: u16 = 0x000A;
    const FILE_PASS: u16 = 0x002F;
    const BOUND_SHEET: u16 = 0x0085;
    const WINDOW1: u16 = 0x003D;
    const DIMENSIONS: u16 = 0x0200;
    const MUL_RK: u16 = 0x00BD;
    /// Records that carry a cell at (row u16, column u16) first.
    const CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

    /// (type, data) of each record, as calamine splits them; Err on a record running past the
    /// end.
    fn records(stream: &[u8]) -> impl Iterator<Item = Result<(u16, &[u8]), ()>> {
        let mut rest = stream;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let (Some(typ), Some(len)) = (u16_at(rest, 0), u16_at(rest, 2)) else {
                rest = &[];
                return Some(Err(()));
            };
            let len = usize::from(len);
            if rest.len() < 4 + len {
                rest = &[];
                return Some(Err(()));
            }
            let data = &rest[4..4 + len];
            rest = &rest[4 + len..];
            Some(Ok((typ, data)))
        })
    }

    fn damaged(why: &str) -> Fail {
        Fail::Damaged(format!("its workbook stream is damaged ({why})"))
    }

    /// Sheet name of a `BoundSheet8` record (for messages only).
    fn sheet_name(data: &[u8], biff8: bool) -> String {
        let Some(&cch) = data.get(6) else {
            return String::new();
        };
        let cch = usize::from(cch);
        if biff8 {
            let wide = data.get(7).is_some_and(|f| f & 1 == 1);
            let chars = &data[8.min(data.len())..];
            if wide {
                let units: Vec<u16> = chars
                    .chunks_exact(2)
                    .take(cch)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                return String::from_utf16_lossy(&units);
            }
            return chars.iter().take(cch).map(|&b| char::from(b)).collect();
        }
        let bytes = &data[7.min(data.len())..];
        String::from_utf8_lossy(&bytes[..cch.min(bytes.len())]).into_owned()
    }

    pub(super) fn scan(stream: &[u8]) -> Result<Scan, Fail> {
        let mut active_tab = None;
        let mut sheets: Vec<(usize, String)> = Vec::new();
        let mut biff8 = true;
        let mut seen_bof = false;
        for record in records(stream) {
            let (typ, data) = record.map_err(|()| damaged("a record runs past its end"))?;
            match typ {
                FILE_PASS => return Err(Fail::Password),
                BOF if !seen_bof => {
                    seen_bof = true;
                    biff8 = u16_at(data, 0).is_none_or(|v| v >= 0x0600);
                }
                BOUND_SHEET => {
                    let pos = u32_at(data, 0).ok_or_else(|| damaged("short sheet record"))?;
                    sheets.push((pos as usize, sheet_name(data, biff8)));
                }
                WINDOW1 if active_tab.is_none() => {
                    active_tab = u16_at(data, 10).map(usize::from);
                }
                EOF => break,
                _ => {}
            }
        }
        // calamine keeps every sheet's cells, rectangular, from the moment it opens the file.
        let mut total = 0u64;
        for (pos, name) in &sheets {
            let sub = stream
                .get(*pos..)
                .ok_or_else(|| damaged("a sheet starts past the end of the stream"))?;
            let cells = sheet_extent(sub, name)?;
            total = total.saturating_add(cells);
            if total > MAX_CELLS {
                return Err(Fail::TooLarge(
                    Some(name.clone()),
                    format!(
                        "with the sheets before it, it spans more than {} cells",
                        thousands(MAX_CELLS)
                    ),
                ));
            }
        }
        Ok(Scan { active_tab })
    }

    /// Cells calamine will allocate for one sheet substream: the larger of what its
    /// `Dimensions` record declares and the extent of its cell records.
    fn sheet_extent(sub: &[u8], name: &str) -> Result<u64, Fail> {
        let too_large = |what: String| Fail::TooLarge(Some(name.to_string()), what);
        let mut declared = 0u64;
        let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for record in records(sub) {
            let Ok((typ, data)) = record else {
                // calamine stops with an error here too.
                break;
            };
            if depth > 0 {
                match typ {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let mut cell = |row: u16, first: u16, last: u16| {
                r0 = r0.min(u32::from(row));
                r1 = r1.max(u32::from(row));
                c0 = c0.min(u32::from(first));
                c1 = c1.max(u32::from(last));
            };
            match typ {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => declared = declared.max(declared_cells(data)),
                MUL_RK if data.len() >= 6 => {
                    if let (Some(row), Some(first), Some(last)) = (
                        u16_at(data, 0),
                        u16_at(data, 2),
                        u16_at(data, data.len() - 2),
                    ) {
                        cell(row, first, last.max(first));
                    }
                }
                t if CELLS.contains(&t) => {
                    if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                        cell(row, col, col);
                    }
                }
                _ => {}
            }
        }
        if declared > MAX_CELLS {
            return Err(too_large(format!(
                "its size record declares {} cells",
                thousands(declared)
            )));
        }
        if r0 > r1 {
            return Ok(declared);
        }
        if u64::from(c1) >= MAX_COLUMNS {
            return Err(too_large(format!(
                "it has a value in column number {}",
                thousands(u64::from(c1) + 1)
            )));
        }
        let extent = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if extent > MAX_CELLS {
            return Err(too_large(format!(
                "its values span {} rows × {} columns",
                thousands(u64::from(r1 - r0 + 1)),
                thousands(u64::from(c1 - c0 + 1))
            )));
        }
        Ok(declared.max(extent))
    }

    /// Cells calamine reserves for a `Dimensions` record, computed as it does (in a release
    /// build, where its arithmetic wraps).
    fn declared_cells(r: &[u8]) -> u64 {
        let (rf, rl, mut cf, cl) = match r.len() {
            10 => (
                u32::from(u16_at(r, 0).unwrap_or(0)),
                u32::from(u16_at(r, 2).unwrap_or(0)),
                u32::from(u16_at(r, 4).unwrap_or(0)),
                u32::from(u16_at(r, 6).unwrap_or(0)),
            ),
            14 | 16 => (
                u32_at(r, 0).unwrap_or(0),
                u32_at(r, 4).unwrap_or(0),
                u32::from(u16_at(r, 8).unwrap_or(0)),
                u32::from(u16_at(r, 10).unwrap_or(0)),
            ),
            _ => return 0,
        };
        if 0xFF < cf || cl < cf {
            cf = 0;
        }
        let (start, end) = if rl >= 1 && cl >= 1 {
            ((rf, cf), (rl - 1, cl - 1))
        } else {
            ((rf, cf), (rf, cf))
        };
        let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
        let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
        rows.saturating_mul(cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

    fn holds(rows: &[Vec<Cell>]) -> bool {
        rows.iter().any(|r| {
            r.iter()
                .any(|c| matches!(c, Cell::Text(t) if t == "id" || t == "name" || t == "账号名称"))
        })
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn xlsx(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
        let mut wb = Workbook::new();
        build(&mut wb);
        wb.save_to_buffer().expect("build test workbook")
    }

    fn sheet<'w>(wb: &'w mut Workbook, name: &str) -> &'w mut Worksheet {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("sheet name");
        ws
    }

    fn notes(ws: &mut Worksheet) {
        ws.write_string(0, 0, "Read me first").unwrap();
        ws.write_string(1, 0, "Owner: marketing").unwrap();
    }

    fn inventory(ws: &mut Worksheet, first: &str) {
        ws.write_string(0, 0, "id").unwrap();
        ws.write_string(0, 1, "name").unwrap();
        ws.write_string(1, 0, first).unwrap();
        ws.write_string(1, 1, "Acme").unwrap();
    }

    fn read_ok(bytes: &[u8], sheet: Option<&str>) -> Grid {
        read("t.xlsx", bytes, sheet, &holds).expect("workbook reads")
    }

    fn read_err(bytes: &[u8], sheet: Option<&str>) -> String {
        match read("t.xlsx", bytes, sheet, &holds) {
            Err(ImportError::Invalid(m)) => m,
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    #[test]
    fn notes_sheet_first_then_inventory_picks_the_inventory() {
        let bytes = xlsx(|wb| {
            notes(sheet(wb, "Notes"));
            inventory(sheet(wb, "Accounts"), "gh_1");
        });
        let g = read_ok(&bytes, None);
        assert_eq!(g.sheet, "Accounts");
        assert_eq!(
            g.why,
            "first visible sheet with an inventory header; skipped: \"Notes\" (active, no \
             inventory header)"
        );
        assert_eq!(g.first_row, 0);
        assert_eq!(g.rows[1], vec![text("gh_1"), text("Acme")]);
        assert_eq!(g.merged, 0);
    }

    #[test]
    fn the_active_sheet_is_picked_when_it_holds_an_inventory() {
        let bytes = xlsx(|wb| {
            inventory(sheet(wb, "2023"), "gh_old");
            let ws = sheet(wb, "2024");
            inventory(ws, "gh_new");
            ws.set_active(true);
        });
        let g = read_ok(&bytes, None);
        assert_eq!(
            (g.sheet.as_str(), g.why.as_str()),
            ("2024", "the active sheet")
        );
        assert_eq!(g.rows[1][0], text("gh_new"));
    }

    #[test]
    fn an_active_sheet_without_an_inventory_is_passed_over_and_said_so() {
        let bytes = xlsx(|wb| {
            inventory(sheet(wb, "Accounts"), "gh_1");
            notes(sheet(wb, "Summary").set_active(true));
        });
        let g = read_ok(&bytes, None);
        assert_eq!(g.sheet, "Accounts");
        assert_eq!(
            g.why,
            "first visible sheet with an inventory header; skipped: \"Summary\" (active, no \
             inventory header)"
        );
    }

    #[test]
    fn a_hidden_inventory_is_never_picked_on_its_own_but_is_with_sheet() {
        let bytes = xlsx(|wb| {
            notes(sheet(wb, "Notes"));
            inventory(sheet(wb, "Old").set_hidden(true), "gh_hidden");
            inventory(sheet(wb, "Accounts"), "gh_1");
        });
        let g = read_ok(&bytes, None);
        assert_eq!(g.sheet, "Accounts");
        assert_eq!(
            g.why,
            "first visible sheet with an inventory header; skipped: \"Notes\" (active, no \
             inventory header), \"Old\" (hidden)"
        );
        let g = read_ok(&bytes, Some("Old"));
        assert_eq!((g.sheet.as_str(), g.why.as_str()), ("Old", "--sheet Old"));
        assert_eq!(g.rows[1][0], text("gh_hidden"));

        // Only a hidden inventory: the error lists it, with what it starts with.
        let bytes = xlsx(|wb| {
            notes(sheet(wb, "Notes"));
            inventory(sheet(wb, "Old").set_hidden(true), "gh_hidden");
        });
        let msg = read_err(&bytes, None);
        assert!(
            msg.contains(
                "2. \"Old\" (hidden): starts with \"id\", \"name\", \"gh_hidden\", \"Acme\""
            ),
            "{msg}"
        );
    }

    #[test]
    fn sheet_by_name_case_insensitively_and_by_number() {
        let bytes = xlsx(|wb| {
            inventory(sheet(wb, "Accounts"), "gh_a");
            inventory(sheet(wb, "Mini Programs"), "wx_b");
        });
        let g = read_ok(&bytes, Some("Mini Programs"));
        assert_eq!(g.rows[1][0], text("wx_b"));
        assert_eq!(g.why, "--sheet Mini Programs");
        let g = read_ok(&bytes, Some("mini programs"));
        assert_eq!(g.sheet, "Mini Programs");
        assert_eq!(g.why, "--sheet mini programs (sheet \"Mini Programs\")");
        let g = read_ok(&bytes, Some("2"));
        assert_eq!(g.sheet, "Mini Programs");
        assert_eq!(g.why, "--sheet 2 (sheet number 2)");
        let g = read_ok(&bytes, Some("1"));
        assert_eq!(g.sheet, "Accounts");

        let msg = read_err(&bytes, Some("3"));
        assert!(
            msg.starts_with("t.xlsx: no sheet is named or numbered \"3\""),
            "{msg}"
        );
        assert!(
            msg.contains("1. \"Accounts\", 2. \"Mini Programs\""),
            "{msg}"
        );
        let msg = read_err(&bytes, Some("Nope"));
        assert!(msg.contains("a number from 1 to 2"), "{msg}");
    }

    #[test]
    fn a_sheet_named_like_a_number_wins_over_the_number() {
        let bytes = xlsx(|wb| {
            inventory(sheet(wb, "2"), "gh_named_2");
            inventory(sheet(wb, "Other"), "gh_second");
        });
        assert_eq!(read_ok(&bytes, Some("2")).sheet, "2");
    }

    #[test]
    fn no_sheet_fits_lists_the_sheets_and_asks_for_sheet() {
        let bytes = xlsx(|wb| {
            notes(sheet(wb, "Notes"));
            sheet(wb, "Empty");
            let ws = sheet(wb, "Totals");
            ws.write_number(0, 0, 42.0).unwrap();
            ws.write_string(0, 1, "a very long cell that goes on and on and on")
                .unwrap();
        });
        let msg = read_err(&bytes, None);
        assert!(
            msg.starts_with("t.xlsx: no visible sheet holds an account inventory"),
            "{msg}"
        );
        assert!(
            msg.contains(
                "  1. \"Notes\" (active): starts with \"Read me first\", \"Owner: marketing\""
            ),
            "{msg}"
        );
        assert!(msg.contains("  2. \"Empty\": empty"), "{msg}");
        assert!(
            msg.contains("  3. \"Totals\": starts with \"42\", \"a very long cell that go…\""),
            "{msg}"
        );
        assert!(msg.contains("Pass --sheet NAME or --sheet NUMBER"), "{msg}");
    }

    #[test]
    fn an_empty_sheet_named_by_sheet_is_an_error() {
        let bytes = xlsx(|wb| {
            inventory(sheet(wb, "Accounts"), "gh_1");
            sheet(wb, "Blank");
        });
        let msg = read_err(&bytes, Some("Blank"));
        assert!(
            msg.contains("sheet \"Blank\" (--sheet Blank) is empty"),
            "{msg}"
        );
    }

    #[test]
    fn cell_types_carry_over() {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let time = Format::new().set_num_format("hh:mm:ss");
        let bytes = xlsx(|wb| {
            let ws = sheet(wb, "Accounts");
            for (c, h) in [
                "id",
                "followers",
                "ratio",
                "verified",
                "last_active",
                "at",
                "phone",
            ]
            .iter()
            .enumerate()
            {
                ws.write_string(0, c as u16, *h).unwrap();
            }
            ws.write_string(1, 0, "gh_1").unwrap();
            ws.write_number(1, 1, 128400.0).unwrap();
            ws.write_number(1, 2, 12.5).unwrap();
            ws.write_boolean(1, 3, true).unwrap();
            let d = ExcelDateTime::from_ymd(2024, 3, 31).unwrap();
            ws.write_datetime_with_format(1, 4, &d, &date).unwrap();
            let dt = ExcelDateTime::from_ymd(2024, 3, 31)
                .unwrap()
                .and_hms(8, 30, 0)
                .unwrap();
            ws.write_datetime_with_format(1, 5, &dt, &stamp).unwrap();
            ws.write_number(1, 6, 8613912345678.0).unwrap();
            ws.write_string(2, 0, "gh_2").unwrap();
            ws.write_number(2, 1, -7.0).unwrap();
            ws.write_boolean(2, 3, false).unwrap();
            let t = ExcelDateTime::from_hms(12, 30, 0).unwrap();
            ws.write_datetime_with_format(2, 5, &t, &time).unwrap();
        });
        let g = read_ok(&bytes, None);
        let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        assert_eq!(
            g.rows[1],
            vec![
                text("gh_1"),
                Cell::Int(128400),
                Cell::Float(12.5),
                Cell::Bool(true),
                Cell::Date(d),
                Cell::Date(d),
                Cell::Int(8613912345678),
            ]
        );
        assert_eq!(g.rows[1][1].to_text(None).unwrap(), "128400");
        assert_eq!(
            g.rows[1][6]
                .to_text(Some(crate::model::Column::Phone))
                .unwrap(),
            "+86 139 1234 5678"
        );
        assert_eq!(
            g.rows[2],
            vec![
                text("gh_2"),
                Cell::Int(-7),
                Cell::Empty,
                Cell::Bool(false),
                Cell::Empty,
                text("12:30:00"),
            ]
        );
    }

    #[test]
    fn formulas_give_their_cached_values_and_errors_their_text() {
        let bytes = xlsx(|wb| {
            let ws = sheet(wb, "Accounts");
            ws.write_string(0, 0, "name").unwrap();
            ws.write_string(0, 1, "followers").unwrap();
            ws.write_string(0, 2, "brand").unwrap();
            ws.write_string(1, 0, "Acme").unwrap();
            ws.write_formula(1, 1, Formula::new("=1000*128.4").set_result("128400"))
                .unwrap();
            ws.write_formula(1, 2, Formula::new("=\"Lo\"&\"tus\"").set_result("Lotus"))
                .unwrap();
            ws.write_string(2, 0, "Beta").unwrap();
            ws.write_formula(2, 1, Formula::new("=1/4").set_result("0.25"))
                .unwrap();
            ws.write_formula(2, 2, Formula::new("=NA()").set_result("#N/A"))
                .unwrap();
            ws.write_formula(3, 2, Formula::new("=1/0").set_result("#DIV/0!"))
                .unwrap();
        });
        let g = read_ok(&bytes, None);
        assert_eq!(
            g.rows[1],
            vec![text("Acme"), Cell::Int(128400), text("Lotus")]
        );
        assert_eq!(
            g.rows[2],
            vec![text("Beta"), Cell::Float(0.25), Cell::Error("#N/A".into())]
        );
        assert_eq!(g.rows[2][2].to_text(None), Err("#N/A"));
        assert_eq!(
            g.rows[3],
            vec![Cell::Empty, Cell::Empty, Cell::Error("#DIV/0!".into())]
        );
    }

    #[test]
    fn merged_title_and_brand_spanning_rows_give_every_cell_the_value() {
        let plain = Format::new();
        let bytes = xlsx(|wb| {
            let ws = sheet(wb, "Accounts");
            ws.merge_range(0, 0, 0, 2, "Account inventory 2024", &plain)
                .unwrap();
            for (c, h) in ["brand", "id", "name"].iter().enumerate() {
                ws.write_string(1, c as u16, *h).unwrap();
            }
            ws.merge_range(2, 0, 4, 0, "Lotus", &plain).unwrap();
            for r in 2..6 {
                ws.write_string(r, 1, format!("gh_{r}")).unwrap();
                ws.write_string(r, 2, format!("Account {r}")).unwrap();
            }
            ws.write_string(5, 0, "Acme").unwrap();
        });
        let g = read_ok(&bytes, None);
        assert_eq!(g.merged, 2);
        let title = text("Account inventory 2024");
        assert_eq!(g.rows[0], vec![title.clone(), title.clone(), title]);
        for r in 2..5 {
            assert_eq!(g.rows[r][0], text("Lotus"), "row {r}");
        }
        assert_eq!(g.rows[5][0], text("Acme"));
    }

    #[test]
    fn merged_regions_are_found_as_calamine_finds_them() {
        let plain = Format::new();
        let bytes = xlsx(|wb| {
            let ws = sheet(wb, "Accounts");
            ws.write_string(0, 0, "id").unwrap();
            // Text that looks like markup must not be taken for the element.
            ws.write_string(1, 0, "a:mergeCells <mergeCells>").unwrap();
            for r in 0..300u32 {
                ws.merge_range(r * 3 + 2, 1, r * 3 + 4, 2, "Lotus", &plain)
                    .unwrap();
            }
        });
        let mut calamine: Xlsx<_> = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
        let mut want = calamine.merge_cells_by_sheet_name("Accounts").unwrap();
        let Ok((Book::Xlsx(_, parts), _)) = open(&bytes) else {
            panic!("an xlsx")
        };
        let part = parts.parts[0].clone().expect("sheet part found");
        assert_eq!(part, "xl/worksheets/sheet1.xml");
        let mut got = scan_merges(&bytes, &part).expect("scanned");
        want.sort();
        got.sort();
        assert_eq!(got.len(), 300);
        assert_eq!(got, want);

        // A prefixed element, split across tags as writers do.
        let xml = br#"<x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell ref="$B$2:B4"/></x:mergeCells><x:mergeCell ref="Z9"/>"#;
        assert_eq!(
            merge_cells(xml),
            vec![
                Dimensions::new((0, 0), (0, 2)),
                Dimensions::new((1, 1), (3, 1))
            ]
        );
        assert_eq!(start_tag_at(b"<x:mergeCells>", 3, 10), Some(Some(0)));
        assert_eq!(start_tag_at(b">a:mergeCells ", 3, 10), Some(None));
        assert_eq!(start_tag_at(b"<mergeCellsX", 1, 10), Some(None));
        assert_eq!(start_tag_at(b"<mergeCells", 1, 10), None);
        assert_eq!(
            cell_range(b"XFD1048576"),
            Some(Dimensions::new((1_048_575, 16_383), (1_048_575, 16_383)))
        );
        assert_eq!(cell_range(b"A0"), None);
        assert_eq!(cell_range(b"12"), None);
    }

    #[test]
    fn first_row_and_columns_start_at_the_used_cells() {
        let bytes = xlsx(|wb| {
            let ws = sheet(wb, "Accounts");
            ws.write_string(3, 2, "id").unwrap();
            ws.write_string(3, 3, "name").unwrap();
            ws.write_string(5, 2, "gh_1").unwrap();
        });
        let g = read_ok(&bytes, None);
        assert_eq!(g.first_row, 3);
        assert_eq!(
            g.rows,
            vec![vec![text("id"), text("name")], vec![], vec![text("gh_1")]]
        );
    }

    #[test]
    fn garbage_and_truncated_files_are_invalid_not_a_panic() {
        let msg = read_err(b"this is not a workbook at all", None);
        assert!(
            msg.starts_with("t.xlsx: cannot read the workbook: "),
            "{msg}"
        );

        let good = xlsx(|wb| inventory(sheet(wb, "Accounts"), "gh_1"));
        for cut in [10, 100, good.len() / 2, good.len() - 30] {
            let msg = read_err(&good[..cut], None);
            assert!(
                msg.starts_with("t.xlsx: cannot read the workbook: "),
                "{cut}: {msg}"
            );
        }
        // A zip that is not a workbook, an OLE file that is neither encrypted nor an .xls.
        let msg = read_err(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", None);
        assert!(msg.contains("zip archive without a workbook"), "{msg}");
        let mut ole = cfb_file(&[("WordDocument", b"hello")]);
        let msg = read_err(&ole, None);
        assert!(msg.contains("without a workbook in it"), "{msg}");
        // Damaged OLE: the directory's sector chain points at itself.
        ole[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        let msg = read_err(&ole, None);
        assert!(
            msg.starts_with("t.xlsx: cannot read the workbook: "),
            "{msg}"
        );
    }

    #[test]
    fn an_html_page_named_xls_says_what_it_is() {
        let msg = match read(
            "export.xls",
            b"<html><table><tr><td>id</td></tr></table>",
            None,
            &holds,
        ) {
            Err(ImportError::Invalid(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(msg.contains("web page (HTML)"), "{msg}");
    }

    #[test]
    fn an_encrypted_workbook_asks_for_an_unprotected_copy() {
        let bytes = cfb_file(&[
            ("EncryptionInfo", b"\x04\0\x04\0"),
            ("EncryptedPackage", b"x"),
        ]);
        let msg = read_err(&bytes, None);
        assert!(
            msg.starts_with("t.xlsx: the workbook is password-protected"),
            "{msg}"
        );
        assert!(msg.contains("save an unprotected copy"), "{msg}");
    }

    #[test]
    fn an_xls_with_a_file_pass_record_is_password_protected() {
        // BOF, FilePass (RC4), EOF.
        let mut stream = Vec::new();
        for (typ, data) in [
            (0x0809u16, &[0u8, 6, 5, 0, 0, 0, 0, 0][..]),
            (0x002F, &[1, 0, 1, 0, 2, 0][..]),
            (0x000A, &[][..]),
        ] {
            stream.extend_from_slice(&typ.to_le_bytes());
            stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
            stream.extend_from_slice(data);
        }
        stream.resize(4096, 0);
        let bytes = cfb_file(&[("Workbook", &stream)]);
        let msg = read_err(&bytes, None);
        assert!(msg.contains("password-protected"), "{msg}");
    }

    #[test]
    fn an_xls_claiming_billions_of_cells_is_refused_before_it_is_parsed() {
        // Globals: BOF, BoundSheet8 → sheet at `sheet_pos`, EOF; sheet: BOF, Dimensions
        // (rows 0..4e9, columns 0..200), EOF.
        let record = |typ: u16, data: &[u8]| {
            let mut r = typ.to_le_bytes().to_vec();
            r.extend_from_slice(&(data.len() as u16).to_le_bytes());
            r.extend_from_slice(data);
            r
        };
        let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        let eof = record(0x000A, &[]);
        let mut bound = vec![0u8; 4];
        bound.extend_from_slice(&[0, 0, 4, 0]);
        bound.extend_from_slice(b"Huge");
        let globals_len = bof.len() + record(0x0085, &bound).len() + eof.len();
        bound[..4].copy_from_slice(&(globals_len as u32).to_le_bytes());
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
        dims.extend_from_slice(&[0, 0, 200, 0, 0, 0]);
        let mut stream = [bof.clone(), record(0x0085, &bound), eof.clone()].concat();
        stream.extend([bof, record(0x0200, &dims), eof].concat());
        stream.resize(4096, 0);
        let bytes = cfb_file(&[("Workbook", &stream)]);
        let msg = read_err(&bytes, None);
        assert!(
            msg.starts_with(
                "t.xlsx: sheet \"Huge\" is too large to import: its size record declares"
            ),
            "{msg}"
        );
    }

    #[test]
    fn limits_are_checked_while_reading() {
        let mut cells = Cells::new("Big", None);
        assert!(cells.put(0, 0, text("id")).unwrap());
        let e = cells
            .put(MAX_ROWS as u32, 0, text("x"))
            .expect_err("too many rows");
        assert!(
            matches!(&e, Fail::TooLarge(Some(s), w) if s == "Big" && w.contains("5,000,000 rows")),
            "{e:?}"
        );
        let e = cells
            .put(1, MAX_COLUMNS as u32, text("x"))
            .expect_err("too many columns");
        assert!(
            matches!(&e, Fail::TooLarge(_, w) if w.contains("column ACOG")),
            "{e:?}"
        );
        let msg = e.into_error("big.xlsx").to_string();
        assert!(
            msg.starts_with("big.xlsx: sheet \"Big\" is too large to import"),
            "{msg}"
        );

        // Probing stops after HEAD_ROWS rows.
        let mut head = Cells::new("Notes", Some(2));
        assert!(head.put(4, 0, text("a")).unwrap());
        assert!(head.put(5, 0, text("b")).unwrap());
        assert!(!head.put(6, 0, text("c")).unwrap());
        assert_eq!(head.finish(), (4, vec![vec![text("a")], vec![text("b")]]));
    }

    #[test]
    fn merges_are_clipped_to_the_used_cells() {
        let mut cells = Cells::new("S", None);
        cells.put(0, 0, text("brand")).unwrap();
        cells.put(1, 0, text("Lotus")).unwrap();
        cells.put(1, 1, text("gh_1")).unwrap();
        // A whole-column merge and one whose top-left is empty.
        let regions = [
            Dimensions::new((1, 0), (1_048_575, 0)),
            Dimensions::new((0, 1), (0, 16_383)),
        ];
        assert_eq!(cells.apply_merges(&regions).unwrap(), 0);
        cells.put(2, 1, text("gh_2")).unwrap();
        assert_eq!(cells.apply_merges(&regions).unwrap(), 1);
        let (_, rows) = cells.finish();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], vec![text("Lotus"), text("gh_2")]);
        assert_eq!(rows[0], vec![text("brand")]);
    }

    #[test]
    fn zip_bombs_are_refused_from_declared_sizes() {
        // A zip whose worksheet part declares 5 GiB (stored, but the header is what counts).
        let bytes = zip_with(&[
            ("xl/workbook.xml", 10),
            ("xl/worksheets/sheet1.xml", 5 << 30),
        ]);
        let msg = read_err(&bytes, None);
        assert!(
            msg.contains("\"xl/worksheets/sheet1.xml\" would unpack to 5.0 GiB"),
            "{msg}"
        );
        let bytes = zip_with(&[("xl/workbook.xml", 10), ("xl/sharedStrings.xml", 2 << 30)]);
        let msg = read_err(&bytes, None);
        assert!(msg.contains("(the limit is 1.0 GiB)"), "{msg}");
    }

    #[test]
    fn workbooks_are_recognised_by_name_or_signature() {
        assert!(is_workbook("a.xlsx", b"whatever"));
        assert!(is_workbook("A.XLSM", b""));
        assert!(is_workbook("a.ods", b""));
        assert!(is_workbook("a.xlsb", b""));
        assert!(is_workbook("inventory", b"PK\x03\x04rest"));
        assert!(is_workbook(
            "inventory.csv",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
        ));
        assert!(is_workbook("export.xls", b"<html>"));
        assert!(!is_workbook("export.xls", b"id\tname\ngh_1\tAcme\n"));
        assert!(!is_workbook("export.xls", b"\xFF\xFEi\0d\0"));
        assert!(!is_workbook("renamed.xlsx", b"id,name\ngh_1,Acme\n"));
        assert!(is_workbook(
            "garbage.xlsx",
            b"this is not a workbook at all"
        ));
        assert!(is_workbook("binary.xlsx", b"\x01\x02,\x03\t"));
        assert!(!is_workbook("a.csv", b"id,name\n"));
        assert!(!is_workbook("-", b"[{}]"));
    }

    #[test]
    fn active_tab_parsers() {
        assert_eq!(
            xlsx_active_tab(br#"<bookViews><workbookView xWindow="0" activeTab="2"/></bookViews>"#),
            2
        );
        assert_eq!(
            xlsx_active_tab(br#"<x:workbookView firstSheet="1" activeTab='1'>"#),
            1
        );
        assert_eq!(
            xlsx_active_tab(br#"<workbookView xWindow="0"/><sheet activeTab="3"/>"#),
            0
        );
        assert_eq!(xlsx_active_tab(b"<workbook/>"), 0);
        let settings = r#"<config:config-item config:name="ActiveTable" config:type="string">R&amp;D 账号</config:config-item>"#.as_bytes();
        assert_eq!(ods_active_table(settings).as_deref(), Some("R&D 账号"));
        // BrtBeginBookViews (0x87), BrtBookView (0x9E) with itabCur = 3, BrtBeginBundleShs.
        let mut view = vec![0u8; 29];
        view[24] = 3;
        let mut bin = vec![0x87, 0x01, 0x00, 0x9E, 0x01, 29];
        bin.extend_from_slice(&view);
        bin.extend_from_slice(&[0x8F, 0x01, 0x00]);
        assert_eq!(xlsb_active_tab(&bin), Some(3));
        assert_eq!(xlsb_active_tab(&[0x8F, 0x01, 0x00]), None);
        assert_eq!(xlsb_active_tab(&[0x9E, 0x01, 0x7F]), None);
    }

    #[test]
    fn helpers() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(thousands(5_000_000), "5,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(human_bytes(4 << 30), "4.0 GiB");
        assert_eq!(truncate("账号名称账号名称", 4), "账号名称…");
        assert_eq!(number(3.0), Cell::Int(3));
        assert_eq!(number(1e300), Cell::Float(1e300));
        assert_eq!(clock(1.5), "36:00:00");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        assert_eq!(date_iso("2024-03-31"), Cell::Date(d));
        assert_eq!(date_iso("2024-03-31T08:00:00"), Cell::Date(d));
        assert_eq!(date_iso("2024-03-31x"), text("2024-03-31x"));
        assert_eq!(
            unescape_xml("a&lt;b&#x4E2D;&#25991;&bogus;"),
            "a<b中文&bogus;"
        );
    }

    /// A minimal version-3 compound file holding `streams` (each in regular sectors, or in the
    /// mini stream when shorter than 4096 bytes), for tests.
    fn cfb_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
        const S: usize = 512;
        // Layout: sector 0 FAT, sector 1 directory (up to 4 entries), sector 2 mini FAT, then
        // the mini stream, then big streams.
        let mut sectors: Vec<Vec<u8>> = vec![vec![0; S], vec![0; S], vec![0xFF; S]];
        let mut fat: Vec<u32> = vec![0xFFFF_FFFD, END_OF_CHAIN, END_OF_CHAIN];
        let mut mini = Vec::new();
        let mut mini_fat: Vec<u32> = Vec::new();
        let mut entries = Vec::new();
        for (name, data) in streams {
            if data.len() < 4096 {
                let first = (mini.len() / 64) as u32;
                let n = data.len().div_ceil(64).max(1);
                for i in 0..n {
                    mini_fat.push(if i + 1 == n {
                        END_OF_CHAIN
                    } else {
                        first + i as u32 + 1
                    });
                }
                mini.extend_from_slice(data);
                mini.resize((first as usize + n) * 64, 0);
                entries.push((name.to_string(), 2u8, first, data.len()));
            } else {
                let first = sectors.len() as u32;
                for chunk in data.chunks(S) {
                    let mut s = chunk.to_vec();
                    s.resize(S, 0);
                    sectors.push(s);
                    let id = sectors.len() as u32 - 1;
                    fat.push(id + 1);
                }
                *fat.last_mut().unwrap() = END_OF_CHAIN;
                entries.push((name.to_string(), 2u8, first, data.len()));
            }
        }
        let mini_start = sectors.len() as u32;
        let mini_sectors = mini.len().div_ceil(S);
        for (i, chunk) in mini.chunks(S).enumerate() {
            let mut s = chunk.to_vec();
            s.resize(S, 0);
            sectors.push(s);
            fat.push(if i + 1 == mini_sectors {
                END_OF_CHAIN
            } else {
                mini_start + i as u32 + 1
            });
        }
        for (i, id) in mini_fat.iter().enumerate() {
            sectors[2][i * 4..i * 4 + 4].copy_from_slice(&id.to_le_bytes());
        }
        for (i, id) in fat.iter().enumerate() {
            sectors[0][i * 4..i * 4 + 4].copy_from_slice(&id.to_le_bytes());
        }
        for i in fat.len()..S / 4 {
            sectors[0][i * 4..i * 4 + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        let root_start = if mini.is_empty() {
            END_OF_CHAIN
        } else {
            mini_start
        };
        let all =
            std::iter::once(("Root Entry".to_string(), 5u8, root_start, mini.len())).chain(entries);
        for (i, (name, kind, start, len)) in all.enumerate() {
            let e = &mut sectors[1][i * 128..(i + 1) * 128];
            let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
            for (j, u) in units.iter().enumerate() {
                e[j * 2..j * 2 + 2].copy_from_slice(&u.to_le_bytes());
            }
            e[64..66].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            e[66] = kind;
            e[116..120].copy_from_slice(&start.to_le_bytes());
            e[120..124].copy_from_slice(&(len as u32).to_le_bytes());
        }
        let mut header = vec![0u8; S];
        header[..8].copy_from_slice(CFB_SIG);
        header[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
        header[26..28].copy_from_slice(&3u16.to_le_bytes());
        header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        header[30..32].copy_from_slice(&9u16.to_le_bytes());
        header[32..34].copy_from_slice(&6u16.to_le_bytes());
        header[44..48].copy_from_slice(&1u32.to_le_bytes());
        header[48..52].copy_from_slice(&1u32.to_le_bytes());
        header[56..60].copy_from_slice(&4096u32.to_le_bytes());
        header[60..64].copy_from_slice(&2u32.to_le_bytes());
        header[64..68].copy_from_slice(&1u32.to_le_bytes());
        header[68..72].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        header[72..76].copy_from_slice(&0u32.to_le_bytes());
        header[76..80].copy_from_slice(&0u32.to_le_bytes());
        for i in 1..109 {
            header[76 + i * 4..80 + i * 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        [header, sectors.concat()].concat()
    }

    /// A zip whose central directory declares the given uncompressed sizes (the data is empty
    /// and stored: only the declared sizes matter to the check).
    fn zip_with(parts: &[(&str, u64)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, size) in parts {
            let offset = out.len() as u32;
            let zip64 = *size >= 0xFFFF_FFFF;
            let declared = if zip64 { 0xFFFF_FFFF } else { *size as u32 };
            let extra: Vec<u8> = if zip64 {
                let mut e = vec![0x01, 0x00, 8, 0];
                e.extend_from_slice(&size.to_le_bytes());
                e
            } else {
                Vec::new()
            };
            let mut local = b"PK\x03\x04".to_vec();
            local.extend_from_slice(&[45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            local.extend_from_slice(&0u32.to_le_bytes());
            local.extend_from_slice(&declared.to_le_bytes());
            local.extend_from_slice(&(name.len() as u16).to_le_bytes());
            local.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            local.extend_from_slice(name.as_bytes());
            local.extend_from_slice(&extra);
            out.extend_from_slice(&local);
            let mut c = b"PK\x01\x02".to_vec();
            c.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            c.extend_from_slice(&0u32.to_le_bytes());
            c.extend_from_slice(&declared.to_le_bytes());
            c.extend_from_slice(&(name.len() as u16).to_le_bytes());
            c.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            c.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            c.extend_from_slice(&offset.to_le_bytes());
            c.extend_from_slice(name.as_bytes());
            c.extend_from_slice(&extra);
            central.extend_from_slice(&c);
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
        out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }
}
