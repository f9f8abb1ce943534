//! Terminal, Markdown and spreadsheet injection (issue 9): an inventory whose names, brands and
//! headers hold escape sequences, bidi overrides, Markdown/HTML and formulas is audited into every
//! output, and each output is checked the way a user would be hurt by it: raw control bytes on a
//! terminal, a broken table or a link/script in a wiki page, a formula in Excel. Property tests
//! then hold the three guards of `wxaudit::safe_text` to their promises over arbitrary strings.

use crate::common;

use common::{stderr, stdout, wx_in, AS_OF};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use wxaudit::safe_text::{csv_cell, formula_guard, is_hostile, markdown, terminal};

/// Names that attack a terminal, a Markdown page or a spreadsheet.
const HOSTILE_NAMES: &[&str] = &[
    "\u{1b}]0;pwned\u{7}Acme title",
    "\u{1b}[2J\u{1b}[HAcme clear",
    "Acme\u{202e}gnp.exe",
    "\u{9b}31mAcme C1 \u{2066}iso\u{2069}\u{200f}",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "＝1+1",
    "\u{3000}＠SUM(A1)",
    " -2+3",
    "a|b|c <script>alert(1)</script> [click](http://evil.example) ![x](http://evil.example/x.png) `code` *em* _u_",
    "# heading\n> quote\n- item",
    "<img src=x onerror=alert(1)>",
    "\\u{1b} typed escape",
    "line1\r\nline2\ttab\u{7f}",
];

/// An extra column's header: shown in "How the file was read" and the TUI's Import tab.
const HOSTILE_HEADER: &str = "Region\u{1b}]0;x\u{7} | <i>mgr</i>\u{202e}";

const HOSTILE_BRAND: &str = "Brand\u{1b}[2J|<b>x</b>[y](z)";

/// The bundled Acme inventory with every account renamed to one of [`HOSTILE_NAMES`] and some
/// brands made hostile; written as CSV (the csv crate quotes what needs quoting).
fn hostile_inventory(dir: &Path) -> PathBuf {
    let mut r = csv::Reader::from_path(common::acme()).expect("acme inventory");
    let header = r.headers().expect("header").clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect("column");
    let (name, brand) = (col("name"), col("brand"));
    let path = dir.join("hostile.csv");
    let mut w = csv::Writer::from_path(&path).expect("write");
    let mut head: Vec<&str> = header.iter().collect();
    head.push(HOSTILE_HEADER);
    w.write_record(&head).expect("header");
    for (i, rec) in r.records().enumerate() {
        let rec = rec.expect("row");
        let row: Vec<String> = rec
            .iter()
            .enumerate()
            .map(|(c, v)| match c {
                c if c == name => HOSTILE_NAMES[i % HOSTILE_NAMES.len()].to_string(),
                c if c == brand && i % 3 == 0 && !v.is_empty() => HOSTILE_BRAND.to_string(),
                _ => v.to_string(),
            })
            .chain([format!("note\u{1b}[2J {i}")])
            .collect();
        w.write_record(&row).expect("row");
    }
    w.flush().expect("flush");
    path
}

/// Raw bytes that act on a terminal: C0 controls other than the line feed, DEL, C1 controls,
/// bidi overrides, isolates and marks. Returns the first one found.
fn raw_hostile(text: &str) -> Option<char> {
    text.chars().find(|&c| c != '\n' && is_hostile(c))
}

fn assert_terminal_safe(what: &str, text: &str) {
    if let Some(c) = raw_hostile(text) {
        panic!("{what} holds a raw {c:?}:\n{}", text.escape_debug());
    }
}

fn audit(dir: &Path, input: &Path, extra: &[&str]) -> std::process::Output {
    wx_in(dir)
        .arg("audit")
        .arg(input)
        .args(["--as-of", AS_OF])
        .args(extra)
        .output()
        .expect("run wxaudit")
}

#[test]
fn account_names_cannot_retitle_or_clear_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_inventory(dir.path());
    let out = audit(dir.path(), &input, &[]);
    let text = stdout(&out);
    assert_terminal_safe("the text summary", &text);
    assert_terminal_safe("stderr", &stderr(&out));
    assert!(text.contains("\\u{1b}]0;pwned\\u{7}Acme title"), "{text}");
    assert!(text.contains("\\u{1b}[2J\\u{1b}[HAcme clear"), "{text}");
    assert!(text.contains("Acme\\u{202e}gnp.exe"), "{text}");
    assert!(text.contains("Brand\\u{1b}[2J"), "{text}");
    // A typed "\u{1b}" is not mistaken for a real escape.
    assert!(text.contains("\\\\u{1b} typed escape"), "{text}");
    assert!(
        text.contains("HIGH ("),
        "the HIGH section is still there:\n{text}"
    );
}

#[test]
fn headers_and_paths_in_error_messages_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("headers.csv");
    std::fs::write(&input, "n\u{1b}[2Jame,f\u{1b}]0;t\u{7}oo\nx,y\n").unwrap();
    let out = audit(dir.path(), &input, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_terminal_safe("the error", &err);
    assert!(err.contains("n\\u{1b}[2Jame"), "{err}");

    let missing = dir.path().join("gone\u{1b}]0;x\u{7}.csv");
    let out = audit(dir.path(), &missing, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_terminal_safe("the error", &err);
    assert!(err.contains("gone\\u{1b}]0;x\\u{7}.csv"), "{err}");
}

#[test]
fn import_diagnostics_on_stderr_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // The file's own name is file text too: it is quoted on every diagnostic line.
    let input = dir.path().join("extra\u{1b}]0;t\u{7}.csv");
    std::fs::write(
        &input,
        "id,name,n\u{1b}[2Jote\ngh_1,Acme,x\ngh_2,Acme,y\n,,\u{1b}]0;t\u{7}\n",
    )
    .unwrap();
    let out = audit(
        dir.path(),
        &input,
        &["--format", "json", "-o", "r\u{1b}[2J.json"],
    );
    let err = stderr(&out);
    assert_terminal_safe("stderr", &err);
    assert!(err.contains("wrote r\\u{1b}[2J.json"), "{err}");
    assert!(err.contains("n\\u{1b}[2Jote"), "{err}");
    assert!(err.contains("extra\\u{1b}]0;t\\u{7}.csv"), "{err}");
}

#[test]
fn diff_text_shows_names_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    // Old: another company's inventory; new: the hostile one (every account is added).
    audit(
        dir.path(),
        &common::clean(),
        &["--format", "json", "-o", "old.json"],
    );
    let input = hostile_inventory(dir.path());
    audit(dir.path(), &input, &["--format", "json", "-o", "new.json"]);
    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .output()
        .expect("diff");
    let text = stdout(&out);
    assert_terminal_safe("diff text", &text);
    assert!(text.contains("\\u{1b}[2J\\u{1b}[HAcme clear"), "{text}");

    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "csv"])
        .output()
        .expect("diff csv");
    assert_no_formula_cells("diff CSV", &out.stdout);
    let out = wx_in(dir.path())
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "md"])
        .output()
        .expect("diff md");
    assert_markdown_inert("diff Markdown", &stdout(&out));
}

#[test]
fn json_reports_show_no_raw_terminal_controls_yet_read_back_every_name_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_inventory(dir.path());
    // To the terminal, as `wxaudit audit … --format json` without -o prints it.
    let out = audit(dir.path(), &input, &["--format", "json"]);
    let text = stdout(&out);
    assert_terminal_safe("the JSON report", &text);
    assert!(text.contains("Acme\\u202egnp.exe"), "{text}");
    assert!(text.contains("\\u009b31mAcme C1"), "{text}");
    // Any JSON reader gets the names exactly as the inventory wrote them.
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let names: Vec<&str> = doc["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    for want in &HOSTILE_NAMES[..4] {
        assert!(names.contains(&want.trim()), "{want:?} not in {names:?}");
    }

    // A diff of two such reports, in JSON, is as safe.
    audit(
        dir.path(),
        &common::clean(),
        &["--format", "json", "-o", "old.json"],
    );
    audit(dir.path(), &input, &["--format", "json", "-o", "new.json"]);
    let out = wx_in(dir.path())
        .args(["diff", "old.json", "new.json", "--format", "json"])
        .output()
        .expect("diff json");
    let text = stdout(&out);
    assert_terminal_safe("the JSON diff", &text);
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON diff");
    assert!(
        doc.to_string().contains('\u{202e}'),
        "the diff keeps the names"
    );
}

/// Number of `|` not escaped by a backslash (a run of backslashes before it counted).
fn unescaped_pipes(line: &str) -> usize {
    let b = line.as_bytes();
    (0..b.len())
        .filter(|&i| {
            b[i] == b'|' && b[..i].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0
        })
        .count()
}

/// Every table keeps its shape, and neither the Markdown nor its HTML carries a link, image,
/// script or raw HTML from the file.
fn assert_markdown_inert(what: &str, md: &str) {
    let mut columns: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = unescaped_pipes(line);
            let expected = *columns.get_or_insert(n);
            assert_eq!(n, expected, "{what}: a row with another shape: {line}");
        } else {
            columns = None;
        }
        assert!(!line.contains("<script"), "{what}: {line}");
        assert!(!line.contains("<img"), "{what}: {line}");
        assert!(!line.contains("]("), "{what}: a raw link: {line}");
        let bare_ticks = line
            .match_indices('`')
            .filter(|(i, _)| !line[..*i].ends_with('\\'))
            .count();
        assert!(bare_ticks % 2 == 0, "{what}: an unpaired backtick: {line}");
    }
    let mut html = String::new();
    let opts =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(md, opts));
    for bad in [
        "<script",
        "<a href",
        "<img",
        "<b>",
        "<h1>heading",
        "<blockquote>\n<p>quote",
    ] {
        assert!(!html.contains(bad), "{what}: the HTML holds {bad}:\n{html}");
    }
    assert_terminal_safe(what, md);
}

#[test]
fn markdown_report_tables_keep_their_shape_and_carry_no_html_or_links() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_inventory(dir.path());
    let out = audit(dir.path(), &input, &["--format", "md"]);
    let md = stdout(&out);
    assert!(md.contains("### High"), "{md}");
    assert!(md.contains("&lt;script&gt;"), "{md}");
    assert!(
        md.contains("&lt;i&gt;mgr&lt;/i&gt;"),
        "the header is escaped too:\n{md}"
    );
    assert_markdown_inert("the Markdown report", &md);
}

/// Each CSV cell (after the BOM); quotes handled by the csv crate.
fn csv_cells(bytes: &[u8]) -> Vec<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    r.records()
        .flat_map(|rec| {
            rec.expect("CSV record")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn starts_like_a_formula(cell: &str) -> bool {
    let first = cell
        .chars()
        .find(|c| !(c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')));
    matches!(
        first,
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')
    ) || cell.starts_with(['\t', '\r', '\n'])
}

fn assert_no_formula_cells(what: &str, bytes: &[u8]) {
    let cells = csv_cells(bytes);
    assert!(cells.len() > 10, "{what}: no rows?");
    for c in &cells {
        assert!(!starts_like_a_formula(c), "{what}: formula cell {c:?}");
    }
}

#[test]
fn csv_report_neutralises_full_width_and_space_led_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_inventory(dir.path());
    let out = audit(dir.path(), &input, &["--format", "csv"]);
    assert_no_formula_cells("the CSV report", &out.stdout);
    let cells = csv_cells(&out.stdout);
    // Printed to a terminal (`wxaudit audit … --format csv`, or `cat` of the file), the report
    // runs no escape sequence: control codes and bidi overrides are shown as `\u{…}`, only the
    // line breaks and tabs of multi-line cells are kept.
    let text = String::from_utf8(out.stdout.clone()).expect("UTF-8");
    assert_cell_breaks_only("the CSV report", &text);
    assert!(
        cells
            .iter()
            .any(|c| c.contains("\\u{1b}]0;pwned\\u{7}Acme title")),
        "names are kept, escaped"
    );
    assert!(
        cells.iter().any(|c| c.contains("\\u{202e}")),
        "bidi override shown"
    );
    // The importer may trim the leading space of a name; either way the cell is guarded.
    for payload in ["＝1+1", "＠SUM(A1)", "-2+3"] {
        assert!(
            cells
                .iter()
                .any(|c| c.starts_with('\'') && c.ends_with(payload)),
            "{payload} is in the report, guarded"
        );
    }
}

#[test]
fn tui_cells_and_export_are_safe() {
    use wxaudit::tui::action::{Action, Tab};
    use wxaudit::tui::app::App;
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_inventory(dir.path());
    let opts = wxaudit::pipeline::PipelineOptions {
        input,
        as_of: Some(common::tui::as_of()),
        ..Default::default()
    };
    let report = wxaudit::pipeline::run(&opts, &|_, _, _| {}).expect("audit");
    let mut a = App::from_report(report, "hostile\u{1b}[2J.csv");
    a.settle();
    let mut seen_escape = false;
    for tab in Tab::ALL {
        a.update(Action::GoTab(tab));
        a.settle();
        for step in 0..HOSTILE_NAMES.len() {
            let s = common::tui::screen(&mut a, 160, 40);
            assert_terminal_safe(&format!("the {tab:?} tab"), &s);
            seen_escape |= s.contains("\\u{1b}");
            if matches!(tab, Tab::Accounts | Tab::Findings) {
                a.update(Action::Enter);
                a.settle();
                let s = common::tui::screen(&mut a, 160, 40);
                assert_terminal_safe(&format!("the {tab:?} detail, row {step}"), &s);
                a.update(Action::Back);
                a.settle();
            }
            a.update(Action::Down);
            a.settle();
        }
    }
    assert!(seen_escape, "hostile names are shown escaped");

    // The export writes through the same guarded CSV writer.
    let path = dir.path().join("accounts.csv");
    let typed: Vec<Action> = path
        .display()
        .to_string()
        .chars()
        .map(Action::InputChar)
        .collect();
    let steps = [
        Action::GoTab(Tab::Accounts),
        Action::Export,
        Action::InputClear,
    ];
    for x in steps.into_iter().chain(typed).chain([Action::Submit]) {
        a.update(x);
        a.settle();
    }
    let bytes = std::fs::read(&path).expect("exported");
    assert_no_formula_cells("the TUI export", &bytes);
    assert_cell_breaks_only("the TUI export", &String::from_utf8(bytes).expect("UTF-8"));
}

/// CSV text holds no raw hostile character but its byte-order mark and the line feeds, CRs
/// before them and tabs that multi-line cells and row ends are made of.
fn assert_cell_breaks_only(what: &str, text: &str) {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        let kept = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_hostile(c) && !kept {
            panic!("{what} holds a raw {c:?}:\n{}", text.escape_debug());
        }
    }
}

/// Undoes [`terminal`]: `\u{…}` is the escaped character, a run of backslashes before `u{` holds
/// half as many typed ones (an odd run ends in an escape), any other backslash is literal.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c != '\\' {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let after = rest.trim_start_matches('\\');
        let run = rest.len() - after.len();
        if !after.starts_with("u{") {
            out.push_str(&rest[..run]);
        } else {
            out.push_str(&"\\".repeat(run / 2));
            if run % 2 == 1 {
                let end = after.find('}').expect("closed escape");
                let code = u32::from_str_radix(&after[2..end], 16).expect("hex");
                out.push(char::from_u32(code).expect("char"));
                rest = &after[end + 1..];
                continue;
            }
        }
        rest = after;
    }
    out
}

/// Strings that mix ordinary text with every kind of hostile character and backslash.
fn tricky() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\\".to_string()),
        Just("u{".to_string()),
        Just("\\u{1b}".to_string()),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        prop::sample::select(vec![
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}',
            '\u{feff}', '\u{200b}', '\u{2060}'
        ])
        .prop_map(String::from),
        prop::sample::select(vec![
            '=', '+', '-', '@', '＝', '＋', '－', '＠', ' ', '\u{a0}', '\u{3000}', '|', '<', '`',
            '[', '\n'
        ])
        .prop_map(String::from),
        "[a-z阿克米 ]{0,4}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn terminal_text_never_holds_a_control_or_bidi_char(s in tricky()) {
        let t = terminal(&s);
        prop_assert!(!t.chars().any(is_hostile), "{:?} -> {:?}", s, t);
    }

    #[test]
    fn terminal_text_can_be_read_back_so_no_two_inputs_look_alike(s in tricky()) {
        prop_assert_eq!(unescape(&terminal(&s)), s);
    }

    #[test]
    fn clean_text_is_shown_unchanged(s in "[^\\\\\\p{Cc}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200e}\u{200f}\u{61c}\u{2028}\u{2029}\u{feff}\u{200b}\u{2060}]*") {
        prop_assert_eq!(terminal(&s), s.as_str());
    }

    #[test]
    fn guarded_cells_never_start_like_a_formula(s in tricky()) {
        let g = formula_guard(&s);
        prop_assert!(!starts_like_a_formula(&g), "{:?} -> {:?}", s, g);
        if !starts_like_a_formula(&s) {
            prop_assert_eq!(g.as_ref(), s.as_str(), "a clean cell is unchanged");
        } else {
            prop_assert_eq!(g.as_ref(), format!("'{s}"), "only a ' is added");
        }
    }

    #[test]
    fn csv_cells_hold_only_their_line_breaks_and_read_back(s in tricky()) {
        let c = csv_cell(&s);
        let mut chars = c.chars().peekable();
        while let Some(x) = chars.next() {
            let kept = x == '\n' || x == '\t' || (x == '\r' && chars.peek() == Some(&'\n'));
            prop_assert!(!is_hostile(x) || kept, "{:?} -> {:?}", s, c);
        }
        prop_assert!(!starts_like_a_formula(&c), "{:?} -> {:?}", s, c);
        let back = unescape(&c);
        prop_assert!(back == s || back == format!("'{s}"), "{:?} -> {:?} -> {:?}", s, c, back);
    }

    #[test]
    fn markdown_cells_hold_no_unescaped_pipe_newline_or_tag(s in tricky()) {
        let m = markdown(&s);
        prop_assert_eq!(unescaped_pipes(&m), 0, "{:?} -> {:?}", s, m);
        prop_assert!(!m.contains(['\n', '\r', '<', '>']), "{:?} -> {:?}", s, m);
    }
}
