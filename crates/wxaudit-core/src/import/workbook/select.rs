//! Which sheet of a workbook is read: the one `--sheet` names, else the active sheet if it holds
//! an inventory, else the first visible worksheet that does; and, when none fits, the error
//! that lists every sheet with what it starts with and asks for `--sheet`.
//!
//! A sheet is judged by its first [`HEAD_ROWS`] rows only (merges not applied), read through
//! [`Book::cells`], which for xlsx and xlsb stops reading there.

use super::super::cell::Cell;
use super::book::Book;
use super::fail::Fail;
use super::wording::truncate;
use super::HEAD_ROWS;
use calamine::{Sheet, SheetType, SheetVisible};

/// The sheet to read, as an index into `sheets`, and how it was chosen (for [`Grid::why`]):
/// by `arg` (`--sheet`) if given, else see [`choose_sheet`]. Fails when the workbook has no
/// sheets, `arg` names none, nothing fits, or the sheet is not a sheet of cells.
///
/// [`Grid::why`]: super::Grid::why
pub(super) fn choose(
    book: &mut Book<'_>,
    sheets: &[Sheet],
    arg: Option<&str>,
    active: Option<usize>,
    holds_inventory: &dyn Fn(&[Vec<Cell>]) -> bool,
) -> Result<(usize, String), Fail> {
    if sheets.is_empty() {
        return Err(Fail::Other("the workbook has no sheets".into()));
    }
    let (index, why) = match arg {
        Some(arg) => named_sheet(sheets, arg)?,
        None => choose_sheet(book, sheets, active, holds_inventory)?,
    };
    let chosen = &sheets[index];
    if chosen.typ != SheetType::WorkSheet {
        return Err(Fail::Other(format!(
            "sheet \"{}\" ({why}) is a {}, not a sheet of cells; {}",
            chosen.name,
            kind_name(chosen.typ),
            pass_sheet_hint(sheets)
        )));
    }
    Ok((index, why))
}

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

/// What a sheet that is not a worksheet is, in messages.
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

/// The end of an error about the chosen sheet: pass `--sheet` with one of these.
pub(super) fn pass_sheet_hint(sheets: &[Sheet]) -> String {
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

/// Reads the first [`HEAD_ROWS`] rows of `sheet` and asks `holds_inventory` about them.
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
            // The list already names the sheet: not `"X": could not be read: sheet "X": …`.
            let place = format!("sheet \"{}\": ", sheet.name);
            let why = why.strip_prefix(&place).unwrap_or(&why);
            Probe::No(format!("could not be read: {}", truncate(why, 120)), None)
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

/// The sheet to read without `--sheet`: the active sheet if it is eligible and holds an
/// inventory, else the first eligible sheet that does (see [`ineligible`]); when none does, the
/// error listing every sheet.
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
