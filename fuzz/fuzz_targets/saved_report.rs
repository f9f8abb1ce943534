//! The saved-report readers used by `--baseline` and `wxaudit diff`: the whole-report reader,
//! the streaming findings reader, and a diff of two reports written in every format.
//!
//! Byte 0 says where the input splits into the "old" and the "new" report (0: the whole input is
//! both, so a seed report is diffed with itself). Property: no panic;
//! the streaming reader and the whole reader agree on what they both accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use wxaudit::diff::{self, DiffFormat};
use wxaudit::report::json;

fn stream(bytes: &[u8]) -> Option<(usize, Vec<wxaudit::report::json::SavedAccount>)> {
    let mut n = 0;
    let mut accounts = Vec::new();
    json::read_streaming_from(
        Path::new("new.json"),
        bytes,
        &mut |_| n += 1,
        Some(&mut accounts),
    )
    .ok()
    .map(|_| (n, accounts))
}

fuzz_target!(|data: &[u8]| {
    let Some((cut, rest)) = wxaudit_fuzz::split(data) else {
        return;
    };
    let (old, new) = if cut == 0 {
        (rest, rest)
    } else {
        rest.split_at((rest.len() * usize::from(cut) / 255).min(rest.len()))
    };
    let whole = json::read_bytes(Path::new("new.json"), new);
    let streamed = stream(new);
    if let (Ok(r), Some((n, accounts))) = (&whole, &streamed) {
        assert_eq!(
            r.findings.len() + r.suppressed.len(),
            *n,
            "both readers see every finding"
        );
        assert_eq!(r.accounts.len(), accounts.len());
    }
    let (Ok(new_r), Ok(old_r)) = (whole, json::read_bytes(Path::new("old.json"), old)) else {
        return;
    };
    let d = diff::compare(&old_r, "old.json", &new_r, "new.json");
    for f in [
        DiffFormat::Text,
        DiffFormat::Md,
        DiffFormat::Json,
        DiffFormat::Csv,
    ] {
        let mut out = Vec::new();
        diff::write(&d, f, &mut out).expect("writing a diff to memory");
    }
});
