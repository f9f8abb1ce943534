//! CSV/TSV/semicolon tables → inventory through `wxaudit::import::load_bytes`.
//!
//! Byte 0 picks the declared name (extension), byte 1 the `--encoding` and `--delimiter`
//! options, so UTF-8, GB18030, UTF-16 and windows-1252 decoding and every delimiter path are
//! reached; the rest is the file. Property: no panic, and the rows add up (see the lib).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxaudit::import::{load_bytes, ImportOptions};

const NAMES: [&str; 4] = ["accounts.csv", "accounts.tsv", "accounts.txt", "accounts"];
const ENCODINGS: [Option<&str>; 8] = [
    None,
    Some("utf-8"),
    Some("gb18030"),
    Some("utf-16le"),
    Some("utf-16be"),
    Some("windows-1252"),
    Some("gbk"),
    Some("big5"),
];
const DELIMITERS: [Option<u8>; 4] = [None, Some(b','), Some(b'\t'), Some(b';')];

fuzz_target!(|data: &[u8]| {
    let Some((name, rest)) = wxaudit_fuzz::split(data) else {
        return;
    };
    let Some((opt, bytes)) = wxaudit_fuzz::split(rest) else {
        return;
    };
    let opts = ImportOptions {
        encoding: ENCODINGS[usize::from(opt & 7)].map(str::to_string),
        delimiter: DELIMITERS[usize::from((opt >> 3) & 3)],
        header_row: (opt & 0x20 != 0).then_some(u64::from(opt >> 6) + 1),
        no_fill_down: opt & 0x80 != 0,
        ..ImportOptions::default()
    };
    let name = NAMES[usize::from(name & 3)];
    if let Ok(inv) = load_bytes(name, bytes, &opts, &|_, _| {}) {
        wxaudit_fuzz::check_table_rows(&inv, bytes);
    }
});
