//! Reads the accounts of one workbook sheet (a [`Grid`] of typed cells): finds the header row,
//! skips rows that are not accounts, and turns each cell into text for its column (a number in a
//! phone column gets its `+` back, a date cell is a date, an error cell is a row problem).
//!
//! It is the workbook twin of the CSV reader and shares its decisions ([`layout`], [`mapping`]).
//! Sheets are far smaller than the CSV files the streaming reader is built for (a workbook holds
//! at most about a million rows), so this reads row by row on one thread.

use super::cell::Cell;
use super::headers::identifying_examples;
use super::info::{HeaderRow, SkipReason};
use super::layout::{self, Header, HEADER_SEARCH_ROWS};
use super::mapping::{self, Overrides, Slot};
use super::row::{Row, RowCtx};
use super::workbook::Grid;
use super::{ImportError, Rows};
use std::borrow::Cow;

/// What a cell shows as text, error cells included (for header search and skipped rows).
fn shown(c: &Cell) -> Cow<'_, str> {
    match c.to_text(None) {
        Ok(t) => t,
        Err(e) => Cow::Borrowed(e),
    }
}

/// Whether the first rows of a sheet hold an inventory: some row names an identifying column.
pub(crate) fn holds_inventory(rows: &[Vec<Cell>], overrides: &Overrides) -> bool {
    rows.iter().take(HEADER_SEARCH_ROWS).any(|r| {
        let cells: Vec<Cow<str>> = r.iter().map(shown).collect();
        mapping::names_identifier(&cells, overrides)
    })
}

pub(crate) fn read(
    name: &str,
    grid: &Grid,
    header_row: Option<u64>,
    overrides: &Overrides,
    ctx: RowCtx,
) -> Result<(Rows, Header), ImportError> {
    let line_of = |i: usize| grid.first_row as u64 + i as u64 + 1;
    let first: Vec<Vec<Cow<str>>> = grid
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(|r| r.iter().map(shown).collect())
        .collect();
    let idx = match header_row {
        Some(n) => match (0..grid.rows.len()).find(|&i| line_of(i) == n) {
            Some(i) => i,
            None => {
                return Err(ImportError::invalid(
                    name,
                    format!(
                        "--header-row {n}: sheet \"{}\" has rows {} to {}",
                        grid.sheet,
                        line_of(0),
                        line_of(grid.rows.len().saturating_sub(1))
                    ),
                ))
            }
        },
        None => layout::find_header(&first, overrides).unwrap_or(0),
    };
    let Some(header_cells) = grid.rows.get(idx) else {
        return Err(ImportError::invalid(
            name,
            format!("sheet \"{}\" is empty", grid.sheet),
        ));
    };
    // Rows end at their last value: a value right of the header's last cell still gets a
    // field position (an unnamed column), so it is kept and reported, never dropped.
    let width = grid.rows[idx + 1..].iter().map(Vec::len).max().unwrap_or(0);
    let mut header_text: Vec<Cow<str>> = header_cells.iter().map(shown).collect();
    if header_text.len() < width {
        header_text.resize(width, Cow::Borrowed(""));
    }
    if header_text.len() > mapping::MAX_COLUMNS {
        return Err(mapping::too_wide(
            &format!("{name}: sheet \"{}\"", grid.sheet),
            "columns",
            header_text.len(),
        ));
    }
    let map = mapping::map_headers(&header_text, overrides);
    if !map.identifies() {
        let found: Vec<String> = map
            .header_cells
            .iter()
            .filter(|h| !h.is_empty())
            .take(20)
            .map(|h| format!("\"{h}\""))
            .collect();
        return Err(ImportError::invalid(name, format!("sheet \"{}\": no column identifies the accounts: expected {} in the header (row {}); found {}; \
             pass --header-row N if the header is elsewhere, --sheet NAME for another sheet, or --column \"HEADER=id\"",
            grid.sheet,
            identifying_examples(),
            line_of(idx),
            found.join(", ")
        ) + &mapping::identifying_suggestions(&map)));
    }
    let mut skipped = Vec::new();
    for (i, r) in grid.rows.iter().enumerate().take(idx) {
        let cells: Vec<Cow<str>> = r.iter().map(shown).collect();
        layout::push_above_header(&mut skipped, line_of(i), cells.iter().map(|c| c.as_ref()));
    }
    let mut rows = Rows {
        columns: map.columns,
        ..Rows::default()
    };
    let mut unnamed_used = vec![false; map.slots.len()];
    for (i, r) in grid.rows.iter().enumerate().skip(idx + 1) {
        let line = line_of(i);
        if r.iter().all(Cell::is_blank) {
            layout::push_skipped(&mut rows.skipped, line, SkipReason::Blank, String::new());
            continue;
        }
        // Each cell's text for its column, once: for the not-an-account test and for the row.
        let texts: Vec<Result<Cow<str>, &str>> = r
            .iter()
            .zip(&map.slots)
            .map(|(cell, slot)| match slot {
                Slot::Col(c, _) => cell.to_text(Some(*c)),
                _ => cell.to_text(None),
            })
            .collect();
        let shown_at = |j: usize| match &texts[j] {
            Ok(t) => t.as_ref(),
            Err(e) => e,
        };
        if let Some(reason) = layout::non_account(&map, texts.len(), shown_at) {
            let text = layout::row_text((0..texts.len()).map(shown_at));
            layout::push_skipped(&mut rows.skipped, line, reason, text);
            continue;
        }
        rows.rows += 1;
        let mut row = Row::new(line, &mut rows.row_errors, ctx);
        for (j, ((cell, slot), text)) in r.iter().zip(&map.slots).zip(&texts).enumerate() {
            let text = match text {
                Ok(t) => t,
                Err(shown) => {
                    let column = match slot {
                        Slot::Col(c, _) => c.as_str().to_string(),
                        Slot::Extra(h) | Slot::Unnamed(h) => h.to_string(),
                    };
                    row.error(
                        Some(&column),
                        Some(shown),
                        format!(
                            "the cell shows the error {shown} (a formula that failed); fix it in the workbook — the rest of the row was still used"
                        ),
                    );
                    continue;
                }
            };
            match slot {
                Slot::Col(c, scale) => row.text_scaled(*c, text, *scale),
                Slot::Extra(h) => row.extra(h, text),
                Slot::Unnamed(h) => {
                    if !cell.is_blank() {
                        unnamed_used[j] = true;
                        row.extra(h, text);
                    }
                }
            }
        }
        match row.finish() {
            Some(a) => {
                rows.accounts
                    .push(&a)
                    .map_err(|e| super::store_full(name, e))?;
            }
            None => rows.rejected += 1,
        }
    }
    let mut map = map;
    rows.extra_columns = map.finish(&unnamed_used);
    Ok((
        rows,
        Header {
            row: HeaderRow {
                line: line_of(idx),
                given: header_row.is_some(),
            },
            skipped,
            mapping: map,
        },
    ))
}
