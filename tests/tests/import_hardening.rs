//! Issue 9, "silent misreads" and "resource exhaustion": each test builds the input that once
//! fooled or felled the importer and checks what a user would check in the report — the rows
//! accounted for, the warnings shown, the error given.

use crate::common;

use std::time::{Duration, Instant};
use wxaudit::import::{load, load_bytes, ImportError, ImportOptions, Inventory};
use wxaudit::model::Column;
use wxaudit::report::reading;

fn import(name: &str, bytes: &[u8]) -> Result<Inventory, ImportError> {
    load_bytes(name, bytes, &ImportOptions::default(), &|_, _| {})
}

fn ok(name: &str, bytes: &[u8]) -> Inventory {
    import(name, bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn err(name: &str, bytes: &[u8]) -> String {
    match import(name, bytes) {
        Ok(_) => panic!("{name} was imported, but should have been refused"),
        Err(e) => e.to_string(),
    }
}

/// Every line of a table is accounted for: accounts, rejected rows, skipped rows and the
/// header line (with the lines above it) add up to the lines of the file, less the line breaks
/// inside quoted cells (`cell_breaks`: a row over two lines is one row).
fn assert_every_line_counted(inv: &Inventory, text: &str, cell_breaks: u64) {
    let lines = text.lines().count() as u64 - cell_breaks;
    let header = inv.input.header_row.map_or(0, |_| 1);
    let counted = inv.accounts.len() as u64
        + inv.input.rejected_rows
        + inv.input.skipped_row_count()
        + header;
    assert_eq!(
        counted,
        lines,
        "{} accounts + {} rejected + {} skipped + {header} header ≠ {lines} lines",
        inv.accounts.len(),
        inv.input.rejected_rows,
        inv.input.skipped_row_count()
    );
    assert_eq!(
        inv.input.rows,
        inv.accounts.len() as u64 + inv.input.rejected_rows
    );
}

fn inventory_csv(rows: usize) -> String {
    let mut s = String::from("id,name,type,portal,audience\n");
    for i in 1..=rows {
        s.push_str(&format!(
            "gh_{i},阿克米茶饮 {i},service,mp.weixin.qq.com,CN\n"
        ));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// One stray quote

#[test]
fn a_stray_quote_rejects_its_own_row_and_the_rest_of_the_file_is_audited() {
    let mut text = inventory_csv(4000);
    // Row 6 (line 7): a quote opened in the name and never closed.
    text = text.replace("gh_6,阿克米茶饮 6,", "gh_6,\"阿克米茶饮 6,");
    let inv = ok("stray.csv", text.as_bytes());
    assert_eq!(inv.accounts.len(), 3999);
    assert_eq!(inv.input.rejected_rows, 1);
    assert!(inv
        .accounts
        .iter()
        .all(|a| a.name().as_ref().unwrap().len() < 100));
    assert!(inv.accounts.iter().any(|a| a.id() == Some("gh_7")));
    let e = inv
        .row_errors
        .iter()
        .find(|e| e.skipped)
        .expect("the row with the stray quote is reported");
    assert_eq!(e.line, 7);
    assert_eq!(e.column.as_deref(), Some("name"));
    assert!(e.message.contains("quote"), "{}", e.message);
    assert_every_line_counted(&inv, &text, 0);
}

#[test]
fn two_stray_quotes_cost_two_rows_not_the_rows_between() {
    let mut text = inventory_csv(300);
    text = text.replace("gh_10,阿克米茶饮 10,", "gh_10,\"阿克米茶饮 10,");
    text = text.replace("gh_200,阿克米茶饮 200,", "gh_200,\"阿克米茶饮 200,");
    let inv = ok("two.csv", text.as_bytes());
    // Line 11 opens a cell that the quote on line 201 closes: rejected, read again from line
    // 12; line 201's quote then opens a cell that runs to the end: rejected too.
    assert_eq!(inv.input.rejected_rows, 2, "{:?}", inv.row_errors);
    assert_eq!(inv.accounts.len(), 298);
    let lines: Vec<u64> = inv.row_errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [11, 201]);
    assert_every_line_counted(&inv, &text, 0);
}

#[test]
fn a_quoted_address_over_two_lines_is_still_one_cell() {
    let text = "id,name,notes\ngh_1,Acme,\"Room 5\nNo. 8 Huaihai Road\"\ngh_2,Beta,ok\n";
    let inv = ok("addr.csv", text.as_bytes());
    assert_eq!(inv.accounts.len(), 2);
    assert!(inv.row_errors.is_empty(), "{:?}", inv.row_errors);
    assert_eq!(
        inv.accounts.at(0).to_account().notes.as_deref(),
        Some("Room 5\nNo. 8 Huaihai Road")
    );
    assert_eq!(inv.accounts.at(1).to_account().line, 4);
}

// ---------------------------------------------------------------------------------------------
// Encoding

#[test]
fn one_invalid_byte_keeps_the_file_utf8_and_reports_its_row() {
    let mut text = inventory_csv(200).into_bytes();
    let at = text
        .windows(b"gh_50,".len())
        .position(|w| w == b"gh_50,")
        .unwrap()
        + b"gh_50,".len();
    text.insert(at + 3, 0xFF); // inside the name of row 50 (line 51)
    let inv = ok("one-byte.csv", &text);
    assert_eq!(inv.input.encoding, "UTF-8");
    assert_eq!(inv.accounts.len(), 200);
    assert_eq!(
        inv.accounts.at(0).to_account().name.as_deref(),
        Some("阿克米茶饮 1")
    );
    let e = inv.row_errors.iter().find(|e| e.line == 51).unwrap();
    assert_eq!(e.column.as_deref(), Some("name"));
    assert!(e.value.as_deref().unwrap().contains('\u{fffd}'));
    let why = inv.input.encoding_reason.as_deref().unwrap();
    assert!(
        why.contains("1 byte sequence") && why.contains("--encoding"),
        "{why}"
    );
    assert!(reading::lines(&inv.input)
        .iter()
        .any(|(l, t)| *l == "Encoding" && t.contains("--encoding")));
}

#[test]
fn a_guessed_encoding_says_which_and_why_and_a_clean_one_says_nothing() {
    let text =
        "原始ID,账号名称,账号类型\ngh_1,阿克米茶饮官方账号,订阅号\ngh_2,莲花美妆会员中心,服务号\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let inv = ok("gb.csv", &gb);
    assert_eq!(inv.input.encoding, "GB18030");
    assert_eq!(
        inv.accounts.at(1).to_account().name.as_deref(),
        Some("莲花美妆会员中心")
    );
    let line = reading::lines(&inv.input)
        .into_iter()
        .find(|(l, _)| *l == "Encoding")
        .expect("the guess is shown");
    assert!(
        line.1.contains("GB18030") && line.1.contains("--encoding"),
        "{}",
        line.1
    );
    let clean = ok("utf8.csv", text.as_bytes());
    assert_eq!(clean.input.encoding_reason, None);
    assert!(!reading::lines(&clean.input)
        .iter()
        .any(|(l, _)| *l == "Encoding"));
}

// ---------------------------------------------------------------------------------------------
// A file that changes while it is read

fn load_while(change: impl Fn(&std::path::Path) + Sync, path: &std::path::Path) -> Inventory {
    let done = std::sync::atomic::AtomicBool::new(false);
    // The reader announces the size before it reads (progress 0 of N): change the file then,
    // as an export still writing would.
    load(path, &ImportOptions::default(), &|d, _| {
        if d == 0 && !done.swap(true, std::sync::atomic::Ordering::SeqCst) {
            change(path);
        }
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn changed_note(inv: &Inventory) -> Option<&String> {
    inv.input
        .notes
        .iter()
        .find(|n| n.contains("changed while it was read"))
}

#[test]
fn a_file_appended_to_while_it_is_read_is_noted_in_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.csv");
    std::fs::write(&path, inventory_csv(100)).unwrap();
    let inv = load_while(
        |p| {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
            f.write_all(b"gh_101,Late,service,mp.weixin.qq.com,CN\n")
                .unwrap();
        },
        &path,
    );
    let note = changed_note(&inv).expect("the change is noted");
    assert!(note.contains("run the audit again"), "{note}");
    assert!(reading::lines(&inv.input)
        .iter()
        .any(|(_, t)| t.contains("changed while it was read")));
}

#[test]
fn a_file_truncated_while_it_is_read_is_noted_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shrinking.csv");
    std::fs::write(&path, inventory_csv(100)).unwrap();
    let inv = load_while(
        |p| {
            let text = inventory_csv(40);
            let f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
            f.set_len(text.len() as u64).unwrap();
        },
        &path,
    );
    assert_eq!(inv.accounts.len(), 40);
    let note = changed_note(&inv).expect("the change is noted");
    assert!(note.contains("bytes were read"), "{note}");
}

#[test]
fn a_file_that_stays_put_has_no_change_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("still.csv");
    std::fs::write(&path, inventory_csv(10)).unwrap();
    let inv = load_while(|_| {}, &path);
    assert_eq!(changed_note(&inv), None);
}

// ---------------------------------------------------------------------------------------------
// Invisible characters inside ids

#[test]
fn nul_and_byte_order_marks_are_removed_from_ids_and_the_rows_reported() {
    // Two exports pasted together: the second one's BOM starts line 3; a NUL inside an id.
    let text = "id,name,wechat_id\ngh_1,Acme,acme_tea\n\u{feff}gh_2,Beta,beta\ngh_3,Gamma,gam\0ma\ngh_2,Beta again,beta2\n";
    let inv = ok("pasted.csv", text.as_bytes());
    let ids: Vec<&str> = inv.accounts.iter().map(|a| a.id().unwrap()).collect();
    assert_eq!(ids, ["gh_1", "gh_2", "gh_3", "gh_2"]);
    assert_eq!(
        inv.accounts.at(2).to_account().wechat_id.as_deref(),
        Some("gamma")
    );
    assert_eq!(
        inv.accounts.at(1).to_account().raw_value(Column::Id),
        Some("\u{feff}gh_2")
    );
    let bom = inv.row_errors.iter().find(|e| e.line == 3).unwrap();
    assert_eq!(bom.column.as_deref(), Some("id"));
    assert!(bom.message.contains("byte-order mark"), "{}", bom.message);
    // The value as written; a terminal shows where the mark is, JSON keeps the character.
    assert_eq!(bom.value.as_deref(), Some("\u{feff}gh_2"));
    assert_eq!(
        wxaudit::safe_text::terminal(bom.value.as_deref().unwrap()),
        "\\u{feff}gh_2"
    );
    let nul = inv.row_errors.iter().find(|e| e.line == 4).unwrap();
    assert_eq!(nul.column.as_deref(), Some("wechat_id"));
    assert!(nul.message.contains("NUL"), "{}", nul.message);
    assert!(!nul.skipped && !bom.skipped);
}

// ---------------------------------------------------------------------------------------------
// Every guess is printed

#[test]
fn the_sniffed_delimiter_the_found_header_and_the_chosen_sheet_are_in_the_reading_lines() {
    let text = "Acme 公众号清单\n\nid;name;type\ngh_1;Acme;service\n";
    let inv = ok("semi.csv", text.as_bytes());
    let lines = reading::lines(&inv.input);
    let has = |label: &str, part: &str| lines.iter().any(|(l, t)| *l == label && t.contains(part));
    assert!(has("Header", "line 3 (found)"), "{lines:?}");
    assert!(has("Note", "delimiter `;` detected"), "{lines:?}");
    assert_every_line_counted(&inv, text, 0);

    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "read me")
        .unwrap();
    let ws = wb.add_worksheet().set_name("Accounts").unwrap();
    ws.write_string(0, 0, "原始ID").unwrap();
    ws.write_string(1, 0, "gh_1").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let inv = ok("book.xlsx", &bytes);
    let lines = reading::lines(&inv.input);
    assert!(
        lines
            .iter()
            .any(|(l, t)| *l == "Sheet" && t.contains("Accounts")),
        "{lines:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Resource exhaustion

#[test]
fn a_file_of_blank_lines_is_read_not_aborted() {
    let mut text = String::from("id,name\n");
    text.push_str(&"\n".repeat(4_000_000));
    text.push_str("gh_1,Acme\n");
    let inv = ok("blank.csv", text.as_bytes());
    assert_eq!(inv.accounts.len(), 1);
    assert_eq!(inv.accounts.at(0).to_account().line, 4_000_002);
    assert_every_line_counted(&inv, &text, 0);
}

fn wide_header(columns: usize) -> String {
    let mut s = String::from("id");
    for i in 1..columns {
        s.push_str(&format!(",Custom field {i}"));
    }
    s.push_str("\ngh_1\n");
    s
}

#[test]
fn a_nine_thousand_column_header_imports_quickly() {
    let text = wide_header(9_000);
    let start = Instant::now();
    let inv = ok("wide.csv", text.as_bytes());
    let took = start.elapsed();
    assert_eq!(inv.input.columns.len(), 9_000);
    // Suggestions (each compared with every alias) are worked out for a bounded number of
    // unknown headers only: that is what keeps this linear.
    let suggested = inv
        .input
        .columns
        .iter()
        .filter(|c| c.suggestion.is_some())
        .count();
    assert!(suggested <= 200, "{suggested}");
    // Generous: it takes a few milliseconds; it took seconds when lookups were per alias.
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn more_than_ten_thousand_columns_is_a_clear_error() {
    let e = err("too-wide.csv", wide_header(10_001).as_bytes());
    assert!(e.starts_with("too-wide.csv: "), "{e}");
    assert!(e.contains("10001") && e.contains("10000"), "{e}");
}

#[test]
fn more_than_ten_thousand_distinct_json_keys_is_a_clear_error() {
    let mut s = String::from("[");
    for i in 0..10_001 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("{{\"id\": \"gh_{i}\", \"k{i}\": 1}}"));
    }
    s.push(']');
    let e = err("keys.json", s.as_bytes());
    assert!(
        e.starts_with("keys.json: ") && e.contains("distinct keys"),
        "{e}"
    );
    assert!(e.contains("10000"), "{e}");
    // One object with them all (the 2.2 MB file that took minutes).
    let mut one = String::from("{\"id\": \"gh_1\"");
    for i in 0..10_001 {
        one.push_str(&format!(", \"k{i}\": 1"));
    }
    one.push('}');
    let e = err("one.json", one.as_bytes());
    assert!(e.contains("distinct keys"), "{e}");
    // And as JSON Lines.
    let lines: String = (0..10_001)
        .map(|i| format!("{{\"id\": \"gh_{i}\", \"k{i}\": 1}}\n"))
        .collect();
    let e = err("keys.jsonl", lines.as_bytes());
    assert!(e.contains("distinct keys"), "{e}");
}

#[test]
fn input_beyond_the_size_limit_stops_with_the_limit_and_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    std::fs::write(&path, inventory_csv(2_000)).unwrap();
    let opts = ImportOptions {
        max_input_size: Some(1024),
        ..ImportOptions::default()
    };
    let e = load(&path, &opts, &|_, _| {}).unwrap_err().to_string();
    assert!(e.contains("big.csv") && e.contains("1 KiB"), "{e}");
    assert!(e.contains("--max-input-size"), "{e}");
    // 0 lifts the limit.
    let opts = ImportOptions {
        max_input_size: Some(0),
        ..ImportOptions::default()
    };
    assert_eq!(
        load(&path, &opts, &|_, _| {}).unwrap().accounts.len(),
        2_000
    );
}

#[cfg(unix)]
#[test]
fn reading_a_device_stops_at_the_limit_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::wx_in(dir.path())
        .args(["audit", "/dev/zero", "--max-input-size", "1M"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    let e = common::stderr(&out);
    assert!(
        e.contains("/dev/zero") && e.contains("1 MiB") && e.contains("--max-input-size"),
        "{e}"
    );
}

#[test]
fn the_size_limit_is_read_from_wxaudit_toml_and_the_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("inv.csv"), inventory_csv(2_000)).unwrap();
    std::fs::write(dir.path().join("wxaudit.toml"), "max_input_size = \"1K\"\n").unwrap();
    let out = common::wx_in(dir.path())
        .args(["audit", "inv.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("1 KiB"),
        "{}",
        common::stderr(&out)
    );
    let out = common::wx_in(dir.path())
        .args([
            "audit",
            "inv.csv",
            "--max-input-size",
            "0",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", common::stderr(&out));
}

#[test]
fn a_guessed_encoding_reaches_stderr_and_the_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "原始ID,账号名称,账号类型\ngh_1,阿克米茶饮官方账号,订阅号\ngh_2,莲花美妆会员中心,服务号\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    std::fs::write(dir.path().join("gb.csv"), &gb).unwrap();
    let out = common::wx_in(dir.path())
        .args([
            "audit",
            "gb.csv",
            "--format",
            "json",
            "--as-of",
            common::AS_OF,
        ])
        .output()
        .unwrap();
    let e = common::stderr(&out);
    assert!(
        e.contains("guessed GB18030") && e.contains("--encoding"),
        "{e}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let why = json["input"]["encoding_reason"].as_str().unwrap();
    assert!(why.contains("guessed GB18030"), "{why}");
}

#[test]
fn standard_input_beyond_the_size_limit_stops_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::wx_in(dir.path())
        .args(["audit", "-", "--max-input-size", "1K"])
        .write_stdin(inventory_csv(200))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = common::stderr(&out);
    assert!(e.contains("(standard input)") && e.contains("1 KiB"), "{e}");
}

#[test]
fn empty_lines_anywhere_are_counted_so_the_report_adds_up() {
    for (text, cell_breaks) in [
        ("\n\nid,name\ngh_1,A\n\n\ngh_2,B\n\n", 0),
        (
            "id,name\r\n\r\ngh_1,A\r\n\r\n\r\ngh_2,\"B\r\nC\"\r\n\r\n",
            1,
        ),
        ("id,name\ngh_1,A\n  \n,\ngh_2,B", 0),
    ] {
        let inv = ok("gaps.csv", text.as_bytes());
        assert_eq!(inv.accounts.len(), 2, "{text:?}");
        assert_every_line_counted(&inv, text, cell_breaks);
    }
}

/// A file that cannot be imported says which file, where, and what is wrong, as fields a
/// front end can use (not only as one sentence).
#[test]
fn import_errors_carry_the_file_line_and_column() {
    let opts = ImportOptions::default();
    let err = load_bytes(
        "bad.json",
        b"[\n  {\"id\": \"gh_1\",\n  }\n]",
        &opts,
        &|_, _| {},
    )
    .expect_err("a trailing comma is not JSON");
    match &err {
        ImportError::Invalid {
            file,
            line,
            column,
            problem,
        } => {
            assert_eq!(file, "bad.json");
            assert_eq!(*line, Some(3));
            assert!(column.is_some(), "{err}");
            assert!(problem.contains("line 3"), "{problem}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(err.to_string().starts_with("bad.json: "), "{err}");

    let err = load_bytes(
        "no-id.csv",
        "Acme 账号清单\n\ncolour,size\nred,1\n".as_bytes(),
        &opts,
        &|_, _| {},
    )
    .expect_err("no column identifies the accounts");
    match &err {
        ImportError::Invalid { file, line, .. } => {
            assert_eq!(file, "no-id.csv");
            assert!(line.is_some(), "the header line is named: {err}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}
