//! What every importer fuzz target checks about an imported inventory, in one place.
//!
//! The invariants are the report's promise to the user: every row the file holds is either an
//! account, a rejected row (with a message), a skipped row (blank, title, totals, notes, repeated
//! header) or the header itself — nothing vanishes without a word.

use wxaudit::import::Inventory;

/// libFuzzer's panic hook aborts on every panic, even one the code under test catches. The
/// workbook importer catches panics raised inside calamine on malformed files and reports the
/// sheet as unreadable (`wxaudit::import::is_contained_panic`); those are calamine's to fix, not
/// a crash of wxaudit. Any other panic — in wxaudit's own code, or outside the importer's guard —
/// still goes to libFuzzer's hook and aborts. Call at the top of a target; it installs once.
pub fn let_contained_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(wxaudit::import::skip_contained_panics);
}

/// Accounts + rejected rows are exactly the data rows the importer says it read, and every row
/// error points at a line that exists.
pub fn check_counts(inv: &Inventory) {
    let info = &inv.input;
    assert_eq!(
        inv.accounts.len() as u64 + info.rejected_rows,
        info.rows,
        "accounts + rejected rows must equal the rows read ({:?})",
        info.format
    );
    for s in &info.skipped_rows {
        assert!(s.line >= 1 && s.last_line >= s.line, "skipped run {s:?}");
    }
}

/// Lines the text can hold at most: every line ends in `\n`, `\r` or the end of the input, and a
/// record (even a quoted one running over several lines) takes at least one line. Counting the
/// bytes 0x0A/0x0D over-counts for UTF-16 (a character may hold such a byte), never under-counts.
pub fn max_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64 + 1
}

/// Tables: data rows + skipped rows (blank runs count each line) + the header line fit in the
/// lines of the file — rows are never invented, and the header is never counted as data.
pub fn check_table_rows(inv: &Inventory, bytes: &[u8]) {
    check_counts(inv);
    let info = &inv.input;
    let skipped: u64 = info
        .skipped_rows
        .iter()
        .map(|s| s.last_line - s.line + 1)
        .sum();
    let header = u64::from(info.header_row.is_some());
    let total = info.rows + skipped + header;
    assert!(
        total <= max_lines(bytes),
        "rows {} + skipped {skipped} + header {header} = {total} > lines in the file {}",
        info.rows,
        max_lines(bytes)
    );
    if let Some(h) = &info.header_row {
        assert!(
            h.line <= max_lines(bytes),
            "header line {} past the end",
            h.line
        );
    }
}

/// Splits fuzz input into (selector byte, rest).
pub fn split(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(b, rest)| (*b, rest))
}
