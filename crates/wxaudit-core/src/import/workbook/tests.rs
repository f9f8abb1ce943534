//! Reading whole workbooks through [`read`] and [`is_workbook`]: sheet choice, cell types,
//! merged cells, positions, and every way a file can fail (garbage, truncation, HTML,
//! encryption, size limits, zip bombs). Also the fixtures the other modules' tests use: small
//! `.xlsx` files built with `rust_xlsxwriter`, and hand-built OLE files, BIFF streams and zips
//! for what no writer produces.

use super::cfb::END_OF_CHAIN;
use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

fn holds(rows: &[Vec<Cell>]) -> bool {
    rows.iter().any(|r| {
        r.iter()
            .any(|c| matches!(c, Cell::Text(t) if t == "id" || t == "name" || t == "账号名称"))
    })
}

/// A text cell.
pub(super) fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// The bytes of an `.xlsx` that `build` fills in.
pub(super) fn xlsx(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save_to_buffer().expect("build test workbook")
}

/// A new worksheet named `name`.
pub(super) fn sheet<'w>(wb: &'w mut Workbook, name: &str) -> &'w mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_name(name).expect("sheet name");
    ws
}

fn notes(ws: &mut Worksheet) {
    ws.write_string(0, 0, "Read me first").unwrap();
    ws.write_string(1, 0, "Owner: marketing").unwrap();
}

fn inventory(ws: &mut Worksheet, first: &str) {
    ws.write_string(0, 0, "id").unwrap();
    ws.write_string(0, 1, "name").unwrap();
    ws.write_string(1, 0, first).unwrap();
    ws.write_string(1, 1, "Acme").unwrap();
}

fn read_ok(bytes: &[u8], sheet: Option<&str>) -> Grid {
    read("t.xlsx", bytes, sheet, &holds).expect("workbook reads")
}

fn read_err(bytes: &[u8], sheet: Option<&str>) -> String {
    match read("t.xlsx", bytes, sheet, &holds) {
        Err(e @ ImportError::Invalid { .. }) => e.to_string(),
        other => panic!("expected an Invalid error, got {other:?}"),
    }
}

#[test]
fn notes_sheet_first_then_inventory_picks_the_inventory() {
    let bytes = xlsx(|wb| {
        notes(sheet(wb, "Notes"));
        inventory(sheet(wb, "Accounts"), "gh_1");
    });
    let g = read_ok(&bytes, None);
    assert_eq!(g.sheet, "Accounts");
    assert_eq!(
        g.why,
        "first visible sheet with an inventory header; skipped: \"Notes\" (active, no \
         inventory header)"
    );
    assert_eq!(g.first_row, 0);
    assert_eq!(g.rows[1], vec![text("gh_1"), text("Acme")]);
    assert_eq!(g.merged, 0);
}

#[test]
fn the_active_sheet_is_picked_when_it_holds_an_inventory() {
    let bytes = xlsx(|wb| {
        inventory(sheet(wb, "2023"), "gh_old");
        let ws = sheet(wb, "2024");
        inventory(ws, "gh_new");
        ws.set_active(true);
    });
    let g = read_ok(&bytes, None);
    assert_eq!(
        (g.sheet.as_str(), g.why.as_str()),
        ("2024", "the active sheet")
    );
    assert_eq!(g.rows[1][0], text("gh_new"));
}

#[test]
fn an_active_sheet_without_an_inventory_is_passed_over_and_said_so() {
    let bytes = xlsx(|wb| {
        inventory(sheet(wb, "Accounts"), "gh_1");
        notes(sheet(wb, "Summary").set_active(true));
    });
    let g = read_ok(&bytes, None);
    assert_eq!(g.sheet, "Accounts");
    assert_eq!(
        g.why,
        "first visible sheet with an inventory header; skipped: \"Summary\" (active, no \
         inventory header)"
    );
}

#[test]
fn a_hidden_inventory_is_never_picked_on_its_own_but_is_with_sheet() {
    let bytes = xlsx(|wb| {
        notes(sheet(wb, "Notes"));
        inventory(sheet(wb, "Old").set_hidden(true), "gh_hidden");
        inventory(sheet(wb, "Accounts"), "gh_1");
    });
    let g = read_ok(&bytes, None);
    assert_eq!(g.sheet, "Accounts");
    assert_eq!(
        g.why,
        "first visible sheet with an inventory header; skipped: \"Notes\" (active, no \
         inventory header), \"Old\" (hidden)"
    );
    let g = read_ok(&bytes, Some("Old"));
    assert_eq!((g.sheet.as_str(), g.why.as_str()), ("Old", "--sheet Old"));
    assert_eq!(g.rows[1][0], text("gh_hidden"));

    // Only a hidden inventory: the error lists it, with what it starts with.
    let bytes = xlsx(|wb| {
        notes(sheet(wb, "Notes"));
        inventory(sheet(wb, "Old").set_hidden(true), "gh_hidden");
    });
    let msg = read_err(&bytes, None);
    assert!(
        msg.contains("2. \"Old\" (hidden): starts with \"id\", \"name\", \"gh_hidden\", \"Acme\""),
        "{msg}"
    );
}

#[test]
fn sheet_by_name_case_insensitively_and_by_number() {
    let bytes = xlsx(|wb| {
        inventory(sheet(wb, "Accounts"), "gh_a");
        inventory(sheet(wb, "Mini Programs"), "wx_b");
    });
    let g = read_ok(&bytes, Some("Mini Programs"));
    assert_eq!(g.rows[1][0], text("wx_b"));
    assert_eq!(g.why, "--sheet Mini Programs");
    let g = read_ok(&bytes, Some("mini programs"));
    assert_eq!(g.sheet, "Mini Programs");
    assert_eq!(g.why, "--sheet mini programs (sheet \"Mini Programs\")");
    let g = read_ok(&bytes, Some("2"));
    assert_eq!(g.sheet, "Mini Programs");
    assert_eq!(g.why, "--sheet 2 (sheet number 2)");
    let g = read_ok(&bytes, Some("1"));
    assert_eq!(g.sheet, "Accounts");

    let msg = read_err(&bytes, Some("3"));
    assert!(
        msg.starts_with("t.xlsx: no sheet is named or numbered \"3\""),
        "{msg}"
    );
    assert!(
        msg.contains("1. \"Accounts\", 2. \"Mini Programs\""),
        "{msg}"
    );
    let msg = read_err(&bytes, Some("Nope"));
    assert!(msg.contains("a number from 1 to 2"), "{msg}");
}

#[test]
fn a_sheet_named_like_a_number_wins_over_the_number() {
    let bytes = xlsx(|wb| {
        inventory(sheet(wb, "2"), "gh_named_2");
        inventory(sheet(wb, "Other"), "gh_second");
    });
    assert_eq!(read_ok(&bytes, Some("2")).sheet, "2");
}

#[test]
fn no_sheet_fits_lists_the_sheets_and_asks_for_sheet() {
    let bytes = xlsx(|wb| {
        notes(sheet(wb, "Notes"));
        sheet(wb, "Empty");
        let ws = sheet(wb, "Totals");
        ws.write_number(0, 0, 42.0).unwrap();
        ws.write_string(0, 1, "a very long cell that goes on and on and on")
            .unwrap();
    });
    let msg = read_err(&bytes, None);
    assert!(
        msg.starts_with("t.xlsx: no visible sheet holds an account inventory"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "  1. \"Notes\" (active): starts with \"Read me first\", \"Owner: marketing\""
        ),
        "{msg}"
    );
    assert!(msg.contains("  2. \"Empty\": empty"), "{msg}");
    assert!(
        msg.contains("  3. \"Totals\": starts with \"42\", \"a very long cell that go…\""),
        "{msg}"
    );
    assert!(msg.contains("Pass --sheet NAME or --sheet NUMBER"), "{msg}");
}

#[test]
fn an_empty_sheet_named_by_sheet_is_an_error() {
    let bytes = xlsx(|wb| {
        inventory(sheet(wb, "Accounts"), "gh_1");
        sheet(wb, "Blank");
    });
    let msg = read_err(&bytes, Some("Blank"));
    assert!(
        msg.contains("sheet \"Blank\" (--sheet Blank) is empty"),
        "{msg}"
    );
}

#[test]
fn cell_types_carry_over() {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let time = Format::new().set_num_format("hh:mm:ss");
    let bytes = xlsx(|wb| {
        let ws = sheet(wb, "Accounts");
        for (c, h) in [
            "id",
            "followers",
            "ratio",
            "verified",
            "last_active",
            "at",
            "phone",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "gh_1").unwrap();
        ws.write_number(1, 1, 128400.0).unwrap();
        ws.write_number(1, 2, 12.5).unwrap();
        ws.write_boolean(1, 3, true).unwrap();
        let d = ExcelDateTime::from_ymd(2024, 3, 31).unwrap();
        ws.write_datetime_with_format(1, 4, &d, &date).unwrap();
        let dt = ExcelDateTime::from_ymd(2024, 3, 31)
            .unwrap()
            .and_hms(8, 30, 0)
            .unwrap();
        ws.write_datetime_with_format(1, 5, &dt, &stamp).unwrap();
        ws.write_number(1, 6, 8613912345678.0).unwrap();
        ws.write_string(2, 0, "gh_2").unwrap();
        ws.write_number(2, 1, -7.0).unwrap();
        ws.write_boolean(2, 3, false).unwrap();
        let t = ExcelDateTime::from_hms(12, 30, 0).unwrap();
        ws.write_datetime_with_format(2, 5, &t, &time).unwrap();
    });
    let g = read_ok(&bytes, None);
    let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
    assert_eq!(
        g.rows[1],
        vec![
            text("gh_1"),
            Cell::Int(128400),
            Cell::Float(12.5),
            Cell::Bool(true),
            Cell::Date(d),
            Cell::Date(d),
            Cell::Int(8613912345678),
        ]
    );
    assert_eq!(g.rows[1][1].to_text(None).unwrap(), "128400");
    assert_eq!(
        g.rows[1][6]
            .to_text(Some(crate::model::Column::Phone))
            .unwrap(),
        "+86 139 1234 5678"
    );
    assert_eq!(
        g.rows[2],
        vec![
            text("gh_2"),
            Cell::Int(-7),
            Cell::Empty,
            Cell::Bool(false),
            Cell::Empty,
            text("12:30:00"),
        ]
    );
}

#[test]
fn formulas_give_their_cached_values_and_errors_their_text() {
    let bytes = xlsx(|wb| {
        let ws = sheet(wb, "Accounts");
        ws.write_string(0, 0, "name").unwrap();
        ws.write_string(0, 1, "followers").unwrap();
        ws.write_string(0, 2, "brand").unwrap();
        ws.write_string(1, 0, "Acme").unwrap();
        ws.write_formula(1, 1, Formula::new("=1000*128.4").set_result("128400"))
            .unwrap();
        ws.write_formula(1, 2, Formula::new("=\"Lo\"&\"tus\"").set_result("Lotus"))
            .unwrap();
        ws.write_string(2, 0, "Beta").unwrap();
        ws.write_formula(2, 1, Formula::new("=1/4").set_result("0.25"))
            .unwrap();
        ws.write_formula(2, 2, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
        ws.write_formula(3, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    });
    let g = read_ok(&bytes, None);
    assert_eq!(
        g.rows[1],
        vec![text("Acme"), Cell::Int(128400), text("Lotus")]
    );
    assert_eq!(
        g.rows[2],
        vec![text("Beta"), Cell::Float(0.25), Cell::Error("#N/A".into())]
    );
    assert_eq!(g.rows[2][2].to_text(None), Err("#N/A"));
    assert_eq!(
        g.rows[3],
        vec![Cell::Empty, Cell::Empty, Cell::Error("#DIV/0!".into())]
    );
}

#[test]
fn merged_title_and_brand_spanning_rows_give_every_cell_the_value() {
    let plain = Format::new();
    let bytes = xlsx(|wb| {
        let ws = sheet(wb, "Accounts");
        ws.merge_range(0, 0, 0, 2, "Account inventory 2024", &plain)
            .unwrap();
        for (c, h) in ["brand", "id", "name"].iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        ws.merge_range(2, 0, 4, 0, "Lotus", &plain).unwrap();
        for r in 2..6 {
            ws.write_string(r, 1, format!("gh_{r}")).unwrap();
            ws.write_string(r, 2, format!("Account {r}")).unwrap();
        }
        ws.write_string(5, 0, "Acme").unwrap();
    });
    let g = read_ok(&bytes, None);
    assert_eq!(g.merged, 2);
    let title = text("Account inventory 2024");
    assert_eq!(g.rows[0], vec![title.clone(), title.clone(), title]);
    for r in 2..5 {
        assert_eq!(g.rows[r][0], text("Lotus"), "row {r}");
    }
    assert_eq!(g.rows[5][0], text("Acme"));
}

#[test]
fn first_row_and_columns_start_at_the_used_cells() {
    let bytes = xlsx(|wb| {
        let ws = sheet(wb, "Accounts");
        ws.write_string(3, 2, "id").unwrap();
        ws.write_string(3, 3, "name").unwrap();
        ws.write_string(5, 2, "gh_1").unwrap();
    });
    let g = read_ok(&bytes, None);
    assert_eq!(g.first_row, 3);
    assert_eq!(
        g.rows,
        vec![vec![text("id"), text("name")], vec![], vec![text("gh_1")]]
    );
}

#[test]
fn garbage_and_truncated_files_are_invalid_not_a_panic() {
    let msg = read_err(b"this is not a workbook at all", None);
    assert!(
        msg.starts_with("t.xlsx: cannot read the workbook: "),
        "{msg}"
    );

    let good = xlsx(|wb| inventory(sheet(wb, "Accounts"), "gh_1"));
    for cut in [10, 100, good.len() / 2, good.len() - 30] {
        let msg = read_err(&good[..cut], None);
        assert!(
            msg.starts_with("t.xlsx: cannot read the workbook: "),
            "{cut}: {msg}"
        );
    }
    // A zip that is not a workbook, an OLE file that is neither encrypted nor an .xls.
    let msg = read_err(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", None);
    assert!(msg.contains("zip archive without a workbook"), "{msg}");
    let mut ole = cfb_file(&[("WordDocument", b"hello")]);
    let msg = read_err(&ole, None);
    assert!(msg.contains("without a workbook in it"), "{msg}");
    // Damaged OLE: the directory's sector chain points at itself.
    ole[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
    let msg = read_err(&ole, None);
    assert!(
        msg.starts_with("t.xlsx: cannot read the workbook: "),
        "{msg}"
    );
}

#[test]
fn an_html_page_named_xls_says_what_it_is() {
    let msg = match read(
        "export.xls",
        b"<html><table><tr><td>id</td></tr></table>",
        None,
        &holds,
    ) {
        Err(e @ ImportError::Invalid { .. }) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert!(msg.contains("web page (HTML)"), "{msg}");
}

#[test]
fn an_encrypted_workbook_asks_for_an_unprotected_copy() {
    let bytes = cfb_file(&[
        ("EncryptionInfo", b"\x04\0\x04\0"),
        ("EncryptedPackage", b"x"),
    ]);
    let msg = read_err(&bytes, None);
    assert!(
        msg.starts_with("t.xlsx: the workbook is password-protected"),
        "{msg}"
    );
    assert!(msg.contains("save an unprotected copy"), "{msg}");
}

#[test]
fn an_xls_with_a_file_pass_record_is_password_protected() {
    // BOF, FilePass (RC4), EOF.
    let mut stream = [
        record(0x0809, &[0, 6, 5, 0, 0, 0, 0, 0]),
        record(0x002F, &[1, 0, 1, 0, 2, 0]),
        record(0x000A, &[]),
    ]
    .concat();
    stream.resize(4096, 0);
    let bytes = cfb_file(&[("Workbook", &stream)]);
    let msg = read_err(&bytes, None);
    assert!(msg.contains("password-protected"), "{msg}");
}

#[test]
fn an_xls_claiming_billions_of_cells_is_refused_before_it_is_parsed() {
    // Globals: BOF, BoundSheet8 → sheet at `sheet_pos`, EOF; sheet: BOF, Dimensions
    // (rows 0..4e9, columns 0..200), EOF.
    let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
    let eof = record(0x000A, &[]);
    let mut bound = vec![0u8; 4];
    bound.extend_from_slice(&[0, 0, 4, 0]);
    bound.extend_from_slice(b"Huge");
    let globals_len = bof.len() + record(0x0085, &bound).len() + eof.len();
    bound[..4].copy_from_slice(&(globals_len as u32).to_le_bytes());
    let mut dims = 0u32.to_le_bytes().to_vec();
    dims.extend_from_slice(&4_000_000_000u32.to_le_bytes());
    dims.extend_from_slice(&[0, 0, 200, 0, 0, 0]);
    let mut stream = [bof.clone(), record(0x0085, &bound), eof.clone()].concat();
    stream.extend([bof, record(0x0200, &dims), eof].concat());
    stream.resize(4096, 0);
    let bytes = cfb_file(&[("Workbook", &stream)]);
    let msg = read_err(&bytes, None);
    assert!(
        msg.starts_with("t.xlsx: sheet \"Huge\" is too large to import: its size record declares"),
        "{msg}"
    );
}

#[test]
fn zip_bombs_are_refused_from_declared_sizes() {
    // A zip whose worksheet part declares 5 GiB (stored, but the header is what counts).
    let bytes = zip_with(&[
        ("xl/workbook.xml", 10),
        ("xl/worksheets/sheet1.xml", 5 << 30),
    ]);
    let msg = read_err(&bytes, None);
    assert!(
        msg.contains("\"xl/worksheets/sheet1.xml\" would unpack to 5.0 GiB"),
        "{msg}"
    );
    let bytes = zip_with(&[("xl/workbook.xml", 10), ("xl/sharedStrings.xml", 2 << 30)]);
    let msg = read_err(&bytes, None);
    assert!(msg.contains("(the limit is 1.0 GiB)"), "{msg}");
}

#[test]
fn workbooks_are_recognised_by_name_or_signature() {
    assert!(is_workbook("a.xlsx", b"whatever"));
    assert!(is_workbook("A.XLSM", b""));
    assert!(is_workbook("a.ods", b""));
    assert!(is_workbook("a.xlsb", b""));
    assert!(is_workbook("inventory", b"PK\x03\x04rest"));
    assert!(is_workbook(
        "inventory.csv",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
    ));
    assert!(is_workbook("export.xls", b"<html>"));
    assert!(!is_workbook("export.xls", b"id\tname\ngh_1\tAcme\n"));
    assert!(!is_workbook("export.xls", b"\xFF\xFEi\0d\0"));
    assert!(!is_workbook("renamed.xlsx", b"id,name\ngh_1,Acme\n"));
    assert!(is_workbook(
        "garbage.xlsx",
        b"this is not a workbook at all"
    ));
    assert!(is_workbook("binary.xlsx", b"\x01\x02,\x03\t"));
    assert!(!is_workbook("a.csv", b"id,name\n"));
    assert!(!is_workbook("-", b"[{}]"));
}

/// A minimal version-3 compound file holding `streams` (each in regular sectors, or in the
/// mini stream when shorter than 4096 bytes), for tests.
fn cfb_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    const S: usize = 512;
    // Layout: sector 0 FAT, sector 1 directory (up to 4 entries), sector 2 mini FAT, then
    // the mini stream, then big streams.
    let mut sectors: Vec<Vec<u8>> = vec![vec![0; S], vec![0; S], vec![0xFF; S]];
    let mut fat: Vec<u32> = vec![0xFFFF_FFFD, END_OF_CHAIN, END_OF_CHAIN];
    let mut mini = Vec::new();
    let mut mini_fat: Vec<u32> = Vec::new();
    let mut entries = Vec::new();
    for (name, data) in streams {
        if data.len() < 4096 {
            let first = (mini.len() / 64) as u32;
            let n = data.len().div_ceil(64).max(1);
            for i in 0..n {
                mini_fat.push(if i + 1 == n {
                    END_OF_CHAIN
                } else {
                    first + i as u32 + 1
                });
            }
            mini.extend_from_slice(data);
            mini.resize((first as usize + n) * 64, 0);
            entries.push((name.to_string(), 2u8, first, data.len()));
        } else {
            let first = sectors.len() as u32;
            for chunk in data.chunks(S) {
                let mut s = chunk.to_vec();
                s.resize(S, 0);
                sectors.push(s);
                let id = sectors.len() as u32 - 1;
                fat.push(id + 1);
            }
            *fat.last_mut().unwrap() = END_OF_CHAIN;
            entries.push((name.to_string(), 2u8, first, data.len()));
        }
    }
    let mini_start = sectors.len() as u32;
    let mini_sectors = mini.len().div_ceil(S);
    for (i, chunk) in mini.chunks(S).enumerate() {
        let mut s = chunk.to_vec();
        s.resize(S, 0);
        sectors.push(s);
        fat.push(if i + 1 == mini_sectors {
            END_OF_CHAIN
        } else {
            mini_start + i as u32 + 1
        });
    }
    for (i, id) in mini_fat.iter().enumerate() {
        sectors[2][i * 4..i * 4 + 4].copy_from_slice(&id.to_le_bytes());
    }
    for (i, id) in fat.iter().enumerate() {
        sectors[0][i * 4..i * 4 + 4].copy_from_slice(&id.to_le_bytes());
    }
    for i in fat.len()..S / 4 {
        sectors[0][i * 4..i * 4 + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    let root_start = if mini.is_empty() {
        END_OF_CHAIN
    } else {
        mini_start
    };
    let all =
        std::iter::once(("Root Entry".to_string(), 5u8, root_start, mini.len())).chain(entries);
    for (i, (name, kind, start, len)) in all.enumerate() {
        let e = &mut sectors[1][i * 128..(i + 1) * 128];
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (j, u) in units.iter().enumerate() {
            e[j * 2..j * 2 + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        e[66] = kind;
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&(len as u32).to_le_bytes());
    }
    let mut header = vec![0u8; S];
    header[..8].copy_from_slice(CFB_SIG);
    header[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&1u32.to_le_bytes());
    header[48..52].copy_from_slice(&1u32.to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&2u32.to_le_bytes());
    header[64..68].copy_from_slice(&1u32.to_le_bytes());
    header[68..72].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
    header[72..76].copy_from_slice(&0u32.to_le_bytes());
    header[76..80].copy_from_slice(&0u32.to_le_bytes());
    for i in 1..109 {
        header[76 + i * 4..80 + i * 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    [header, sectors.concat()].concat()
}

/// A zip whose central directory declares the given uncompressed sizes (the data is empty
/// and stored: only the declared sizes matter to the check).
fn zip_with(parts: &[(&str, u64)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, size) in parts {
        let offset = out.len() as u32;
        let zip64 = *size >= 0xFFFF_FFFF;
        let declared = if zip64 { 0xFFFF_FFFF } else { *size as u32 };
        let extra: Vec<u8> = if zip64 {
            let mut e = vec![0x01, 0x00, 8, 0];
            e.extend_from_slice(&size.to_le_bytes());
            e
        } else {
            Vec::new()
        };
        let mut local = b"PK\x03\x04".to_vec();
        local.extend_from_slice(&[45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        local.extend_from_slice(&0u32.to_le_bytes());
        local.extend_from_slice(&declared.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        local.extend_from_slice(name.as_bytes());
        local.extend_from_slice(&extra);
        out.extend_from_slice(&local);
        let mut c = b"PK\x01\x02".to_vec();
        c.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&declared.to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        c.extend_from_slice(&extra);
        central.extend_from_slice(&c);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// A BIFF record: type, length, data.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

/// The bytes of a minimal `.ods` whose `content.xml` body (`<office:spreadsheet>` content) is
/// `tables`.
pub(super) fn ods(tables: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn ods_merged_title_and_brand_spanning_rows_give_every_cell_the_value() {
    let t = |s: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>")
    };
    let bytes = ods(&format!(
        r#"<table:table table:name="Notes &amp; more"><table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="账号 &lt;2024&gt;"><table:table-column table:number-columns-repeated="3"/>
<table:table-header-rows><table:table-row><table:table-cell table:number-columns-spanned="3" office:value-type="string"><text:p>账号清单</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row></table:table-header-rows>
<table:table-row>{}{}{}</table:table-row>
<table:table-row-group><table:table-row>{}<table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p>Lotus</text:p></table:table-cell>{}</table:table-row>
<table:table-row>{}<table:covered-table-cell/>{}</table:table-row></table:table-row-group>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384" table:number-rows-spanned="3"/></table:table-row>
</table:table>"#,
        t("账号名称"),
        t("原始ID"),
        t("品牌"),
        t("Account 1"),
        t("gh_1"),
        t("Account 2"),
        t("gh_2"),
    ));
    let g = read("t.ods", &bytes, Some("账号 <2024>"), &holds).expect("ods reads");
    assert_eq!(g.merged, 2);
    let title = text("账号清单");
    assert_eq!(g.rows[0], vec![title.clone(), title.clone(), title]);
    assert_eq!(
        g.rows[1],
        vec![text("账号名称"), text("原始ID"), text("品牌")]
    );
    assert_eq!(
        g.rows[2],
        vec![text("Account 1"), text("Lotus"), text("gh_1")]
    );
    assert_eq!(
        g.rows[3],
        vec![text("Account 2"), text("Lotus"), text("gh_2")]
    );
    assert_eq!(g.rows.len(), 4);

    // The scan itself: by sheet, bounded by the used cells, and nothing from damaged input.
    let regions = merges::ods_merges(&bytes, "账号 <2024>", Some((3, 2))).unwrap();
    assert_eq!(
        regions,
        vec![
            calamine::Dimensions::new((0, 0), (0, 2)),
            calamine::Dimensions::new((2, 1), (3, 1))
        ]
    );
    let notes = merges::ods_merges(&bytes, "Notes & more", Some((0, 0))).unwrap();
    assert_eq!(notes, vec![calamine::Dimensions::new((0, 0), (0, 1))]);
    assert_eq!(merges::ods_merges(&bytes, "Missing", Some((3, 2))), None);
    assert_eq!(
        merges::ods_merges(b"PK\x03\x04junk", "x", Some((0, 0))),
        None
    );
    // Unclosed elements, an unterminated attribute: what was read is used, nothing panics.
    let unclosed = ods(
        r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-rows-spanned="9"/>"#,
    );
    assert_eq!(
        merges::ods_merges(&unclosed, "S", Some((5, 5))),
        Some(vec![calamine::Dimensions::new((0, 0), (8, 0))])
    );
    let broken = ods(
        r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-rows-spanned="9"#,
    );
    assert_eq!(merges::ods_merges(&broken, "S", Some((5, 5))), Some(vec![]));
}
