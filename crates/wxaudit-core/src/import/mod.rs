//! Reads an account inventory from disk: detects the form (CSV/TSV, JSON, JSON Lines, Open
//! Platform export) and the encoding, maps headers to canonical columns and normalises values.
//!
//! A file that cannot be read at all is an [`ImportError`]; anything wrong with a single row or
//! value is a [`RowError`] in the [`Inventory`] and the rest of the file is still imported.

//!
//! Module map: [`encoding`] (bytes → text), [`headers`] (alias table), [`mapping`] (a header
//! row → field meanings, the user's `--column` mappings), `layout` (header row, rows that are not
//! accounts, fill-down), [`values`] (one normaliser per kind of cell), `row` (cells → one account
//! with its row diagnostics), `csv`, `json`, `workbook` + `grid` (the readers), and [`info`] (what
//! the reports say about how the file was read). The CSV and JSON readers stream: see their
//! module docs for how a million rows stay fast.

mod cell;
mod csv;
mod encoding;
mod grid;
pub mod headers;
pub mod info;
mod json;
mod layout;
pub mod mapping;
mod row;
pub mod source;
mod text;
pub mod values;
mod workbook;

pub use info::{
    ColumnUse, Fill, FillKind, HeaderRow, InputInfo, SheetChoice, SkipReason, SkippedRow,
};
pub use mapping::Overrides;
pub use workbook::{is_contained_panic, skip_contained_panics};

use crate::model::{ColumnSet, Profile, RowError};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Form of an inventory file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Json,
    JsonLines,
    OpenPlatform,
    Workbook,
}

impl Format {
    /// Name used in `InputInfo::format`: "csv", "json", "json_lines", "open_platform".
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::JsonLines => "json_lines",
            Format::OpenPlatform => "open_platform",
            Format::Workbook => "workbook",
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
    /// Workbooks: the sheet to read (`--sheet NAME|N`).
    pub sheet: Option<String>,
    /// The 1-based line (CSV) or sheet row (workbook) of the header (`--header-row N`).
    pub header_row: Option<u64>,
    /// The user's header mappings (`--column`, `[columns]` in wxaudit.toml).
    pub columns: Overrides,
    /// Turns off filling grouping columns down (`--no-fill-down`).
    pub no_fill_down: bool,
    /// Bytes read at most (`--max-input-size`): `None` is [`source::DEFAULT_MAX_INPUT_SIZE`],
    /// `Some(0)` no limit.
    pub max_input_size: Option<u64>,
}

/// The name standard input goes by in messages and reports.
pub const STDIN_NAME: &str = "(standard input)";

/// An imported inventory: accounts plus everything learned about the file.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub input: InputInfo,
    pub accounts: crate::accounts::Accounts,
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
    /// The file could not be used as an inventory: which file, where in it when the problem
    /// has a place (1-based line or sheet row, and column), and the problem in plain words (a
    /// sentence that already says the place, as people read it, and what to do).
    #[error("{file}: {problem}")]
    Invalid {
        file: String,
        line: Option<u64>,
        column: Option<u64>,
        problem: String,
    },
}

impl ImportError {
    /// A problem with the file `file` as a whole.
    pub fn invalid(file: &str, problem: impl Into<String>) -> ImportError {
        ImportError::Invalid {
            file: file.to_string(),
            line: None,
            column: None,
            problem: problem.into(),
        }
    }

    /// The same error, placed at `line` (and `column`) of the file.
    pub fn at(self, at_line: u64, at_column: Option<u64>) -> ImportError {
        match self {
            ImportError::Invalid { file, problem, .. } => ImportError::Invalid {
                file,
                line: Some(at_line),
                column: at_column,
                problem,
            },
            other => other,
        }
    }

    /// The problem without the file's name (the whole message for a read error).
    pub fn problem(&self) -> String {
        match self {
            ImportError::Invalid { problem, .. } => problem.clone(),
            other => other.to_string(),
        }
    }
}

/// Progress callback: (bytes processed, total bytes).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Imports the inventory at `path`.
pub fn load(
    path: &Path,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let name = if path.as_os_str() == "-" {
        STDIN_NAME.to_string()
    } else {
        path.display().to_string()
    };
    let limit = source::effective_limit(opts.max_input_size);
    let read = source::read(path, &name, limit, &|total| progress(0, total))?;
    // The file's bytes are in memory: the rest of "import" is parsing them.
    crate::phases::mark("read");
    let mut inv = import_parts(&name, read.parts, read.digest, opts, progress)?;
    // A file that changed while it was read leads the notes: the audit covers only part of it.
    inv.input.notes.splice(0..0, read.notes);
    Ok(inv)
}

/// Imports an inventory held in memory; `name` is used in messages and `InputInfo::path`.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let parts = split(bytes, text::PART);
    let digest = text::Digest::of(&parts);
    let parts = parts.into_iter().map(Arc::new).collect();
    import_parts(name, parts, digest, opts, progress)
}

/// `bytes` in parts of `size` as a file is read (see [`text::read_parts`]).
fn split(bytes: &[u8], size: usize) -> Vec<Vec<u8>> {
    let mut parts = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let take = &rest[..size.min(rest.len())];
        let cut = if take.len() < rest.len() {
            text::char_cut(take)
        } else {
            take.len()
        };
        // A character longer than the part: take it whole (as many bytes as it has).
        let cut = if cut == 0 {
            let whole = &rest[..rest.len().min(4)];
            (1..=whole.len())
                .find(|&n| std::str::from_utf8(&whole[..n]).is_ok())
                .unwrap_or(take.len())
        } else {
            cut
        };
        parts.push(rest[..cut].to_vec());
        rest = &rest[cut..];
    }
    parts
}

/// The first 64 KiB of the bytes `parts` hold: what the whole-file path looks at to decide the
/// file's form and encoding.
fn head_of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    const HEAD: usize = 64 * 1024;
    let mut head = Vec::new();
    for p in parts {
        if head.len() >= HEAD {
            break;
        }
        head.extend_from_slice(&p[..p.len().min(HEAD - head.len())]);
    }
    head
}

/// Whether a text that starts with `head` is a CSV file that is not empty, decided as
/// [`parse`] decides it (the form by the first character that is not a space or a BOM).
fn is_csv_text(name: &str, head: &[u8]) -> bool {
    std::str::from_utf8(&head[..text::char_cut(head)]).is_ok_and(|t| {
        !t.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
            && detect_format(name, t) == Format::Csv
    })
}

/// Imports a file read in parts that is not a UTF-8 CSV: one in another encoding (given, marked
/// by a byte-order mark, or guessed) is decoded part by part, each part let go of once decoded,
/// and then read as [`import_parts`] reads UTF-8; anything else is joined and imported whole.
fn decode_in_parts(
    name: &str,
    head: Vec<u8>,
    parts: Vec<Vec<u8>>,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let plan = (!head.iter().all(u8::is_ascii_whitespace) && !workbook::is_workbook(name, &head))
        .then(|| encoding::plan_parts(&head, &parts, opts.encoding.as_deref()))
        .flatten();
    let Some(plan) = plan else {
        return import(name, Cow::Owned(text::join(parts)), opts, progress);
    };
    let (decoded, lossy) = encoding::decode_parts(parts.into_iter().map(Arc::new).collect(), &plan);
    let reason = plan
        .guessed
        .then(|| encoding::guess_reason(&plan.label, lossy));
    let mut inv = if is_csv_text(name, &head_of(decoded.iter().map(Vec::as_slice))) {
        let decoded: Vec<Arc<Vec<u8>>> = decoded.into_iter().map(Into::into).collect();
        let src = text::Source::parts(text::Parts::new(decoded));
        parse_csv(name, src, &plan.label, lossy, opts, progress)?
    } else {
        let text = String::from_utf8(text::join(decoded))
            .map_err(|_| ImportError::invalid(name, "the decoded text is not UTF-8"))?;
        parse(name, &text, &plan.label, lossy, opts, progress)?
    };
    inv.input.encoding_reason = reason;
    Ok(inv)
}

/// Imports a file read in parts: a UTF-8 CSV file is parsed part by part, each part let go of
/// once parsed (see [`text`]); anything else is joined and imported whole. `digest`: the parts'
/// SHA-256 and whether they are UTF-8 (worked out while they were read).
fn import_parts(
    name: &str,
    parts: Vec<Arc<Vec<u8>>>,
    digest: text::Digest,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    // The decisions the whole-file path makes from the file's start, made on its first 64 KiB.
    let head = head_of(parts.iter().map(|p| &p[..]));
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let streams = opts.encoding.is_none()
        && !workbook::is_workbook(name, &head)
        && (bom || encoding_rs::Encoding::for_bom(&head).is_none())
        && is_csv_text(name, &head[if bom { 3 } else { 0 }..])
        && digest.utf8;
    let mut inv = if streams {
        let mut text_parts = parts;
        if bom {
            // A BOM is one character, so never cut: it is the first part's first 3 bytes.
            text_parts[0] = Arc::new(text_parts[0][3..].to_vec());
        }
        let label = if bom { "UTF-8 (BOM)" } else { "UTF-8" };
        let src = text::Source::parts(text::Parts::new(text_parts));
        parse_csv(name, src, label, false, opts, progress)?
    } else {
        // Nothing else holds the parts now (the digest is made): unwrapped without a copy.
        let parts = parts
            .into_iter()
            .map(|p| Arc::try_unwrap(p).unwrap_or_else(|p| p.to_vec()))
            .collect();
        decode_in_parts(name, head, parts, opts, progress)?
    };
    inv.input.sha256 = digest.sha256;
    Ok(inv)
}

/// The error for an inventory too large for the account store.
pub(crate) fn store_full(name: &str, e: crate::accounts::StoreFull) -> ImportError {
    ImportError::invalid(name, e.to_string())
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
    pub accounts: crate::accounts::Accounts,
    pub row_errors: Vec<RowError>,
    pub columns: ColumnSet,
    pub extra_columns: Vec<String>,
    pub rows: u64,
    pub rejected: u64,
    /// Rows that were not accounts (blank, totals, notes, repeated header).
    pub skipped: Vec<SkippedRow>,
    /// JSON: each key and what it became (tables report their header row instead).
    pub uses: Vec<ColumnUse>,
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
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => Format::Workbook,
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
    let empty = || ImportError::invalid(name, "the file is empty");
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(empty());
    }
    if workbook::is_workbook(name, &bytes) {
        return import_workbook(name, &bytes, opts, progress);
    }
    // (The caller sets the SHA-256: it is made while the file is read.)
    enum Step {
        Done(Box<Result<Inventory, ImportError>>, Option<String>),
        /// Transcoded text (GB18030, UTF-16, …), parsed once the raw bytes are freed.
        Transcoded(String, String, bool, Option<String>),
    }
    let step = match encoding::decode(name, &bytes, opts.encoding.as_deref()) {
        Err(e) => Step::Done(Box::new(Err(e)), None),
        Ok(encoding::Decoded {
            text,
            label,
            lossy,
            reason,
        }) => match text {
            Cow::Borrowed(text) => Step::Done(
                Box::new(parse(name, text, &label, lossy, opts, progress)),
                reason,
            ),
            Cow::Owned(text) => Step::Transcoded(text, label, lossy, reason),
        },
    };
    let (result, reason) = match step {
        Step::Done(r, reason) => (*r, reason),
        Step::Transcoded(text, label, lossy, reason) => {
            drop(bytes);
            (parse(name, &text, &label, lossy, opts, progress), reason)
        }
    };
    let mut inv = result?;
    inv.input.encoding_reason = reason;
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
    let empty = || ImportError::invalid(name, "the file is empty");
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
    let (rows, header) = match format {
        // A workbook's bytes never reach here (see `import`); a text file named .xlsx is CSV.
        Format::Csv | Format::Workbook => {
            return parse_csv(
                name,
                text::Source::whole(text),
                label,
                lossy,
                opts,
                progress,
            )
        }
        Format::Json | Format::OpenPlatform => (
            json::read_json(name, text, ctx, &opts.columns, progress)?,
            None,
        ),
        Format::JsonLines => (
            json::read_json_lines(name, text, ctx, &opts.columns, progress)?,
            None,
        ),
    };
    if rows.open_platform {
        format = Format::OpenPlatform;
    }
    Ok(finish(name, label, format, Vec::new(), rows, header, opts))
}

/// Reads a CSV text (the whole of it, or in parts).
fn parse_csv(
    name: &str,
    text: text::Source,
    label: &str,
    lossy: bool,
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let ctx = row::RowCtx {
        lossy,
        encoding: label,
    };
    let csv_opts = csv::CsvOptions {
        delimiter: opts.delimiter,
        header_row: opts.header_row,
        overrides: &opts.columns,
    };
    let (rows, header, delim) = csv::read(name, text, &csv_opts, ctx, progress)?;
    let mut notes = Vec::new();
    if opts.delimiter.is_none() {
        notes.push(format!(
            "delimiter {} detected (use --delimiter if the columns look wrong)",
            csv::delimiter_name(delim)
        ));
    }
    Ok(finish(
        name,
        label,
        Format::Csv,
        notes,
        rows,
        Some(header),
        opts,
    ))
}

/// What every text reader does last: the notes on options that did not apply, the input's
/// record, and the inventory assembled.
fn finish(
    name: &str,
    label: &str,
    format: Format,
    mut notes: Vec<String>,
    rows: Rows,
    header: Option<layout::Header>,
    opts: &ImportOptions,
) -> Inventory {
    if let Some(sheet) = &opts.sheet {
        notes.push(format!(
            "--sheet {sheet} was not used: this file is not a workbook"
        ));
    }
    if opts.header_row.is_some() && header.is_none() {
        notes.push("--header-row was not used: a JSON file has no header row".to_string());
    }
    let info = InputInfo {
        path: name.to_string(),
        sha256: String::new(),
        encoding: label.to_string(),
        format: format.as_str().to_string(),
        notes,
        ..InputInfo::default()
    };
    assemble(info, rows, header, opts)
}

/// Reads a workbook's sheet (its bytes are not text, so nothing is decoded).
fn import_workbook(
    name: &str,
    bytes: &[u8],
    opts: &ImportOptions,
    progress: Progress,
) -> Result<Inventory, ImportError> {
    let total = bytes.len() as u64;
    progress(0, total);
    // (The caller sets the SHA-256: it is made while the file is read.)
    let grid = workbook::read(name, bytes, opts.sheet.as_deref(), &|rows| {
        grid::holds_inventory(rows, &opts.columns)
    })?;
    let ctx = row::RowCtx {
        lossy: false,
        encoding: "workbook",
    };
    let (rows, header) = grid::read(name, &grid, opts.header_row, &opts.columns, ctx)?;
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| "xlsx".into());
    let mut info = InputInfo {
        path: name.to_string(),
        encoding: ext,
        format: Format::Workbook.as_str().to_string(),
        sheet: Some(SheetChoice {
            name: grid.sheet.clone(),
            why: grid.why.clone(),
        }),
        ..InputInfo::default()
    };
    if grid.merged > 0 {
        info.fills.push(Fill {
            kind: FillKind::MergedCells,
            column: None,
            header: String::new(),
            count: grid.merged as u64,
        });
    }
    progress(total, total);
    Ok(assemble(info, rows, Some(header), opts))
}

/// Puts an inventory together from what a reader found: the column record, rows skipped,
/// fill-down of grouped layouts, and notes on mappings that matched nothing.
fn assemble(
    mut info: InputInfo,
    mut rows: Rows,
    header: Option<layout::Header>,
    opts: &ImportOptions,
) -> Inventory {
    if let Some(h) = header {
        info.header_row = Some(h.row);
        info.skipped_rows = h.skipped;
        info.columns = h.mapping.uses;
    } else {
        info.columns = std::mem::take(&mut rows.uses);
    }
    info.skipped_rows.append(&mut rows.skipped);
    if !opts.no_fill_down {
        let fills = layout::fill_down(&mut rows.accounts, &info.columns);
        info.fills.extend(fills);
    }
    let unmatched: Vec<String> = opts.columns.unmatched(&info.columns).collect();
    info.notes.extend(unmatched);
    // Without an `id` column the WeChat ID is every account's id (see `row`).
    if rows.columns.contains(crate::model::Column::WechatId) {
        rows.columns.insert(crate::model::Column::Id);
    }
    info.rows = rows.rows;
    info.rejected_rows = rows.rejected;
    // The columns grew by doubling while the rows came in: give the spare room back, and the
    // memory the workers' short-lived rows took.
    rows.accounts.shrink_to_fit();
    crate::memory::release_freed_memory();
    Inventory {
        input: info,
        accounts: rows.accounts,
        row_errors: rows.row_errors,
        columns: rows.columns,
        extra_columns: rows.extra_columns,
        company: rows.company,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How a text was read, in full: every account, row error, skipped row, note and the hash.
    fn read_as(name: &str, r: Result<Inventory, ImportError>) -> String {
        match r {
            Ok(inv) => format!("{name}: {inv:?}"),
            Err(e) => format!("{name}: error {e}"),
        }
    }

    /// A UTF-8 CSV file is parsed part by part while the others are read whole: wherever the
    /// parts are cut (inside a character, a quoted cell, a run of blank lines, a quote left
    /// open), the inventory is the one the whole text gives.
    #[test]
    fn a_csv_read_in_parts_reads_as_the_whole_file_at_any_cut() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-data");
        let mut inputs: Vec<(String, Vec<u8>)> = ["acme-accounts.csv", "clean-accounts.csv"]
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    std::fs::read(data.join(f)).expect("sample data"),
                )
            })
            .collect();
        let runaway: String = (0..40).map(|i| format!("gh_{i},名 {i}\n")).collect();
        let kept =
            "\u{feff}Acme 公众号清单,,\r\n\r\nid,name,brand\r\n\r\n\r\ngh_1,\"茶饮\r\nOfficial\",\
                    Acme\r\n,,\r\n合计,2,\r\ngh_2,\"a,b\"\"c\",\r\n\r\n\r\n";
        inputs.push(("kept.csv".into(), kept.as_bytes().to_vec()));
        inputs.push((
            "runaway.csv".into(),
            format!("id,name\ngh_0,\"open\n{runaway}gh_x,end\n\n").into_bytes(),
        ));
        inputs.push(("short.csv".into(), "id\ngh_1".as_bytes().to_vec()));
        inputs.push(("blank.csv".into(), " \n\t\n".as_bytes().to_vec()));
        inputs.push(("bad.csv".into(), b"id,name\ngh_1,\xff\n".to_vec()));
        // Other encodings: decoded part by part (a character cut by a part's end included).
        let chinese = "原始ID,账号名称,品牌\r\ngh_1,阿克米茶饮官方账号,阿克米\r\n\r\ngh_2,莲花美妆会员中心,莲花\r\n合计,2,\r\n";
        let gb = std::fs::read(data.join("acme-accounts-excel-gb18030.csv")).expect("sample data");
        inputs.push(("excel-gb18030.csv".into(), gb));
        inputs.push((
            "gb.csv".into(),
            encoding_rs::GB18030.encode(chinese).0.into_owned(),
        ));
        let mut le = vec![0xFF, 0xFE];
        for u in chinese.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        inputs.push(("utf16.csv".into(), le));
        let mut gb_bad = encoding_rs::GB18030.encode(chinese).0.into_owned();
        gb_bad.insert(30, 0xFF);
        inputs.push(("gb-bad.csv".into(), gb_bad));
        let mostly: Vec<u8> = [chinese.repeat(3).as_bytes(), b"\xff", chinese.as_bytes()].concat();
        inputs.push(("mostly-utf8.csv".into(), mostly));
        inputs.push((
            "gb.json".into(),
            encoding_rs::GB18030
                .encode(r#"[{"id": "gh_1", "name": "阿克米茶饮"}]"#)
                .0
                .into_owned(),
        ));
        let labelled = ImportOptions {
            encoding: Some("gb18030".into()),
            ..ImportOptions::default()
        };
        let unknown = ImportOptions {
            encoding: Some("klingon".into()),
            ..ImportOptions::default()
        };
        for opts in [ImportOptions::default(), labelled, unknown] {
            for (name, bytes) in &inputs {
                let whole = import(name, Cow::Borrowed(bytes), &opts, &|_, _| {}).map(|mut inv| {
                    inv.input.sha256 = text::Digest::of(&[&bytes[..]]).sha256;
                    inv
                });
                let whole = read_as(name, whole);
                for size in [1, 2, 3, 5, 64, 1000, text::PART] {
                    let cut = split(bytes, size);
                    let digest = text::Digest::of(&cut);
                    let parts = read_as(
                        name,
                        import_parts(
                            name,
                            cut.into_iter().map(Arc::new).collect(),
                            digest,
                            &opts,
                            &|_, _| {},
                        ),
                    );
                    assert_eq!(
                        parts, whole,
                        "{name} in parts of {size} bytes, {:?}",
                        opts.encoding
                    );
                }
            }
        }
    }
}
