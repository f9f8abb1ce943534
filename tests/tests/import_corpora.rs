//! Robustness on public parser corpora (read in place from `../shared/corpora`): no input makes
//! the importer panic; invalid JSON is an error naming the file and, where serde_json reports one,
//! the line and column; valid CSV without an identifying column lists expected and found columns.

use std::path::PathBuf;
use wxaudit::import::{load, ImportError, ImportOptions};

fn corpora() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    assert!(
        dir.is_dir(),
        "the public test corpora are missing: expected them at {} (CI clones the repo with `shared/` beside it)",
        dir.display()
    );
    dir
}

fn files(dir: PathBuf, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn message(e: &ImportError) -> String {
    e.to_string()
}

#[test]
fn json_test_suite_never_panics_and_names_the_file() {
    let all = files(corpora().join("JSONTestSuite/test_parsing"), "json");
    assert!(all.len() >= 300, "found only {} files", all.len());
    let mut n_errors = 0;
    for path in &all {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let result = load(path, &ImportOptions::default(), &|_, _| {});
        match (&result, file.starts_with("n_")) {
            (Ok(inv), true) => panic!(
                "{file}: invalid JSON imported as {} accounts",
                inv.accounts.len()
            ),
            (Err(e), _) => {
                let m = message(e);
                assert!(
                    m.contains(file),
                    "{file}: message does not name the file: {m}"
                );
                if file.starts_with("n_") {
                    n_errors += 1;
                }
            }
            (Ok(_), false) => {}
        }
    }
    assert!(n_errors >= 180);
}

#[test]
fn invalid_json_reports_line_and_column() {
    let dir = corpora().join("JSONTestSuite/test_parsing");
    // serde_json reports a position for these.
    for (file, line) in [
        ("n_array_extra_comma.json", 1),
        ("n_object_missing_value.json", 1),
        ("n_structure_unclosed_array.json", 1),
    ] {
        let e = load(&dir.join(file), &ImportOptions::default(), &|_, _| {})
            .expect_err("must be an error");
        let m = message(&e);
        assert!(m.contains(&format!("at line {line}, column ")), "{m}");
        assert!(m.contains("not valid JSON"), "{m}");
    }
    // Every n_ file whose serde error has a position says so.
    for path in files(dir.clone(), "json") {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_string();
        if !file.starts_with("n_") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_default();
        let m = load(&path, &ImportOptions::default(), &|_, _| {})
            .err()
            .map(|e| message(&e))
            .unwrap_or_default();
        if let (Ok(text), Err(serde)) = (
            std::str::from_utf8(&bytes),
            serde_json::from_slice::<serde_json::Value>(&bytes),
        ) {
            if serde.line() > 0 && !text.trim().is_empty() && !text.starts_with('\u{feff}') {
                assert!(m.contains(" at line "), "{file}: {m}");
            }
        }
    }
}

#[test]
fn json_that_is_not_an_inventory_is_a_clear_error() {
    let dir = corpora().join("JSONTestSuite/test_parsing");
    for (file, needle) in [
        ("y_structure_lonely_int.json", "found a number"),
        ("y_structure_lonely_string.json", "found a string"),
        ("y_array_heterogeneous.json", "not an inventory"),
        ("y_object_simple.json", "not an inventory"),
    ] {
        let m =
            message(&load(&dir.join(file), &ImportOptions::default(), &|_, _| {}).expect_err(file));
        assert!(m.contains(needle), "{file}: {m}");
        assert!(m.contains(file), "{m}");
    }
}

#[test]
fn csv_spectrum_files_have_no_identifying_column() {
    let all = files(corpora().join("csv-spectrum/csvs"), "csv");
    assert!(all.len() >= 12);
    for path in &all {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let e = load(path, &ImportOptions::default(), &|_, _| {})
            .expect_err("csv-spectrum files have no id/name column");
        let m = message(&e);
        assert!(m.contains(file), "{m}");
        assert!(m.contains("no column identifies the accounts"), "{m}");
        assert!(m.contains("`id`") && m.contains("`name`"), "{m}");
        assert!(m.contains("原始ID"), "{m}");
    }
    let m = message(
        &load(
            &corpora().join("csv-spectrum/csvs/location_coordinates.csv"),
            &ImportOptions::default(),
            &|_, _| {},
        )
        .expect_err("no id"),
    );
    assert!(
        m.contains(
            "found \"Contact Phone Number\", \"Location Coordinates\", \"Cities\", \"Counties\""
        ),
        "{m}"
    );
}
