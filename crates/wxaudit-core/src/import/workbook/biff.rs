//! The BIFF record stream of an `.xls`, checked before calamine parses it.
//!
//! calamine parses an `.xls` in one go when it opens it, keeping every sheet's cells as a
//! rectangle as large as the sheet declares or spans; so the stream is scanned first, for a
//! `FilePass` record (the file is encrypted), the sheets' extents (refused beyond
//! [`MAX_CELLS`] together) and, on the way, the `Window1` record naming the active sheet.

use super::active::xls_active_tab;
use super::binary::{u16_at, u16s, u32_at};
use super::fail::Fail;
use super::wording::thousands;
use super::{MAX_CELLS, MAX_COLUMNS};

/// What [`scan`] found besides the checks passing.
pub(super) struct Scan {
    /// `itabCur` of the first `Window1` record: the active sheet.
    pub(super) active_tab: Option<usize>,
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
            let units: Vec<u16> = u16s(chars).take(cch).collect();
            return String::from_utf16_lossy(&units);
        }
        return chars.iter().take(cch).map(|&b| char::from(b)).collect();
    }
    let bytes = &data[7.min(data.len())..];
    String::from_utf8_lossy(&bytes[..cch.min(bytes.len())]).into_owned()
}

/// Checks the record stream of an `.xls` (encryption, every sheet's extent) and finds its
/// active sheet.
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
                active_tab = xls_active_tab(data);
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
