//! Workbook bytes (xlsx, xlsm, xlsb, xls, ods) → inventory through `load_bytes`.
//!
//! Byte 0 picks the declared name and whether `--header-row` is given. Property: no panic
//! (other than one inside calamine that the importer contains, see `let_contained_panics_unwind`);
//! accounts + rejected = rows read; a sheet row number never exceeds what a workbook can hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxaudit::import::{load_bytes, ImportOptions};

const NAMES: [&str; 8] = [
    "book.xlsx",
    "book.xls",
    "book.ods",
    "book.xlsb",
    "book.xlsm",
    "book.xlsx",
    "book.ods",
    "book.xls",
];

/// Rows a sheet can have (xlsx/ods: 1,048,576; xls: 65,536).
const MAX_SHEET_ROWS: u64 = 1_048_576;

fuzz_target!(|data: &[u8]| {
    wxaudit_fuzz::let_contained_panics_unwind();
    let Some((sel, bytes)) = wxaudit_fuzz::split(data) else {
        return;
    };
    let opts = ImportOptions {
        header_row: (sel & 0x08 != 0).then_some(u64::from(sel >> 4) + 1),
        sheet: (sel & 0x80 != 0).then(|| "1".to_string()),
        ..ImportOptions::default()
    };
    let Ok(inv) = load_bytes(NAMES[usize::from(sel & 7)], bytes, &opts, &|_, _| {}) else {
        return;
    };
    wxaudit_fuzz::check_counts(&inv);
    let skipped: u64 = inv
        .input
        .skipped_rows
        .iter()
        .map(|s| s.last_line - s.line + 1)
        .sum();
    assert!(
        inv.input.rows + skipped <= MAX_SHEET_ROWS,
        "more rows than a sheet holds"
    );
});
