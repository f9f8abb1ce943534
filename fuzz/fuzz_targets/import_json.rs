//! JSON, JSON Lines and Open Platform export bytes → inventory through `load_bytes`.
//!
//! Byte 0 picks the declared name (`.json`, `.jsonl`, `.ndjson`, none: detected from the
//! content). Property: no panic; accounts + rejected = rows read; a JSON array of objects gives
//! one row per element (nothing dropped silently).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxaudit::import::{load_bytes, ImportOptions};

const NAMES: [&str; 4] = [
    "accounts.json",
    "accounts.jsonl",
    "accounts.ndjson",
    "accounts",
];

fuzz_target!(|data: &[u8]| {
    let Some((name, bytes)) = wxaudit_fuzz::split(data) else {
        return;
    };
    let name = NAMES[usize::from(name & 3)];
    let Ok(inv) = load_bytes(name, bytes, &ImportOptions::default(), &|_, _| {}) else {
        return;
    };
    wxaudit_fuzz::check_counts(&inv);
    if inv.input.format == "json" {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_slice(bytes) {
            if items.iter().all(|v| v.is_object()) {
                assert_eq!(
                    inv.input.rows + inv.input.skipped_rows.len() as u64,
                    items.len() as u64,
                    "every object of the array is read as a row or reported as skipped"
                );
            }
        }
    }
});
