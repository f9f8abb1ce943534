//! Spreadsheets as people keep them: where the header row is, which rows are not accounts
//! (totals, notes, the header repeated, blank lines), and grouped layouts whose brand or entity
//! is written only on the first row of each group.
//!
//! These are decisions about the *shape* of a table, the same for CSV and workbooks, so they live
//! apart from the readers. Every decision made here is recorded ([`SkippedRow`], [`Fill`]) so that
//! reports can say what was skipped or filled in.

use super::info::{ColumnUse, Fill, FillKind, HeaderRow, SkipReason, SkippedRow};
use super::mapping::{header_score, trim_cell, Mapping, Overrides, Slot};
use crate::accounts::Accounts;
use crate::model::Column;

/// The header row of a table, how it was found, and what it means.
pub(crate) struct Header {
    pub row: HeaderRow,
    /// Rows above the header (titles, notes, blank lines).
    pub skipped: Vec<SkippedRow>,
    pub mapping: Mapping,
}

/// The header is looked for among this many first rows.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// Index of the header among `rows` (the first rows of a table): the row that names the most
/// known columns, the earliest among equals; `None` when no row names any.
pub(crate) fn find_header<S: AsRef<str>>(rows: &[Vec<S>], overrides: &Overrides) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let s = header_score(r, overrides);
        if s > 0 && best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

/// The first non-empty cells of a row, joined and shortened, for "what the row said".
pub(crate) fn row_text<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut last = "";
    // A merged title repeats its value in every cell it spans: show it once.
    let distinct = cells
        .map(trim_cell)
        .filter(|c| !c.is_empty())
        .filter(move |c| {
            let new = *c != last;
            last = c;
            new
        });
    for c in distinct.take(4) {
        if !out.is_empty() {
            out.push_str(" | ");
        }
        out.push_str(c);
        if out.chars().count() > 80 {
            let cut: String = out.chars().take(80).collect();
            return cut + "…";
        }
    }
    out
}

/// Totals labels: Chinese ones open the cell (`合计`, `总计（12个账号）`); English ones are the
/// whole cell, case aside, before any colon or bracket (`Total`, `Grand total:`, `Sum (CN)`).
const TOTALS_ZH: &[&str] = &[
    "合计", "总计", "小计", "总数", "共计", "汇总", "合計", "總計", "小計", "總數", "共計", "匯總",
];
const TOTALS_EN: &[&str] = &[
    "total",
    "totals",
    "sum",
    "subtotal",
    "sub total",
    "sub-total",
    "grand total",
    "grandtotal",
];

const NOTE_PREFIXES: &[&str] = &[
    "备注",
    "注",
    "说明",
    "注意",
    "備註",
    "note",
    "notes",
    "remark",
    "remarks",
    "source",
    "数据截至",
    "数据来源",
];

/// Every character a totals label or a note can open with (a test keeps it in step with the
/// lists above), so that most rows are told apart from totals and notes by one look.
const OPENERS: &str = "合总小共汇總匯TtSsGg备注说備数*※#NnRr";

/// The first two letters, lower case, of every English totals label and note prefix (a test
/// keeps it in step): ids such as `gh_…` open with a listed letter but never with these.
const ASCII_OPENERS: [&[u8; 2]; 6] = [b"to", b"su", b"gr", b"no", b"re", b"so"];

/// Whether a cell may open a totals label or a note: one look at its first character, or for an
/// ASCII letter its first two.
fn may_open_label(cell: &str) -> bool {
    match cell.as_bytes() {
        [a, rest @ ..] if a.is_ascii_alphabetic() => rest.first().is_some_and(|b| {
            ASCII_OPENERS.contains(&&[a.to_ascii_lowercase(), b.to_ascii_lowercase()])
        }),
        _ => cell.starts_with(|c: char| OPENERS.contains(c)),
    }
}

/// Whether a cell opens a totals row: `合计`, `Total:`, `总计（12个账号）`. No allocation: this
/// runs on the first cell of every row.
fn is_totals_word(cell: &str) -> bool {
    if cell.len() > 40 {
        return false;
    }
    if TOTALS_ZH.iter().any(|t| cell.starts_with(t)) {
        return true;
    }
    if !cell.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let label = cell
        .split(['(', '（', ':', '：'])
        .next()
        .unwrap_or(cell)
        .trim();
    TOTALS_EN.iter().any(|t| label.eq_ignore_ascii_case(t))
}

/// Whether a cell is a note: `备注：数据截至 9 月`, `Note: …`, `*数据来源…`.
fn is_note(cell: &str) -> bool {
    let c = cell.trim_start_matches(['*', '※', '#', ' ']);
    NOTE_PREFIXES.iter().any(|p| {
        let Some(rest) = strip_prefix_ignore_case(c, p) else {
            return false;
        };
        // "备注：…" / "Note: …" need their colon; "数据截至…" stands on its own.
        p.starts_with('数') || rest.starts_with([':', '：'])
    })
}

fn strip_prefix_ignore_case<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.get(..p.len())?;
    head.eq_ignore_ascii_case(p).then(|| &s[p.len()..])
}

/// Why a data row is not an account, if it is not: a totals row, a note, or the header again.
/// `cell(i)` gives the text of field `i`; `n` is the number of fields.
pub(crate) fn non_account<'a>(
    mapping: &Mapping,
    n: usize,
    cell: impl Fn(usize) -> &'a str,
) -> Option<SkipReason> {
    let (fi, first) = (0..n).find_map(|i| {
        let c = trim_cell(cell(i));
        (!c.is_empty()).then_some((i, c))
    })?;
    // Cheap tests on the first cell first: this runs on every row of a million-row file, and
    // almost every row is an account.
    // Most rows stop here: their first cell cannot open a totals label or a note.
    if !may_open_label(first) {
        let header = mapping.header_cells.get(fi).map(String::as_str) == Some(first);
        if !header {
            return None;
        }
    }
    let totals = is_totals_word(first);
    let note = !totals && is_note(first);
    let header = mapping.header_cells.get(fi).map(String::as_str) == Some(first);
    if !totals && !note && !header {
        return None;
    }
    // An identifier in its own column means an account, whatever the name says.
    let has_id = mapping
        .id_positions
        .iter()
        .any(|&p| p != fi && p < n && !trim_cell(cell(p)).is_empty());
    if !has_id {
        if totals {
            return Some(SkipReason::Totals);
        }
        let filled = (fi..n).filter(|&i| !trim_cell(cell(i)).is_empty()).count();
        if note && filled <= 2 {
            return Some(SkipReason::Note);
        }
    }
    // The header again: most named columns hold their own header.
    if header {
        let (mut same, mut named) = (0, 0);
        for (i, s) in mapping.slots.iter().enumerate() {
            if matches!(s, Slot::Col(..)) {
                named += 1;
                if i < n && trim_cell(cell(i)) == mapping.header_cells[i] {
                    same += 1;
                }
            }
        }
        if named > 0 && same * 2 >= named {
            return Some(SkipReason::RepeatedHeader);
        }
    }
    None
}

/// Records a row above the header: blank, or a title/note (with what it said).
pub(crate) fn push_above_header<'a>(
    list: &mut Vec<SkippedRow>,
    line: u64,
    cells: impl Iterator<Item = &'a str>,
) {
    let text = row_text(cells);
    let reason = if text.is_empty() {
        SkipReason::Blank
    } else {
        SkipReason::AboveHeader
    };
    push_skipped(list, line, reason, text);
}

/// Adds a skipped row, merging a blank row into the run of blank rows just before it.
pub(crate) fn push_skipped(
    list: &mut Vec<SkippedRow>,
    line: u64,
    reason: SkipReason,
    text: String,
) {
    if reason == SkipReason::Blank {
        if let Some(last) = list.last_mut() {
            if last.reason == SkipReason::Blank && last.last_line + 1 == line {
                last.last_line = line;
                return;
            }
        }
    }
    list.push(SkippedRow {
        line,
        last_line: line,
        reason,
        text,
    });
}

/// Columns that group rows (a brand's accounts, an entity's accounts).
const GROUPING: [Column; 2] = [Column::Brand, Column::EntityName];

/// Fills grouping columns down when they are written only on the first row of each group: the
/// first account has a value, some accounts have none, and no value is written twice (people who
/// repeat the brand on every row write it on every row). Returns what was filled.
pub(crate) fn fill_down(accounts: &mut Accounts, uses: &[ColumnUse]) -> Vec<Fill> {
    let mut fills = Vec::new();
    for c in GROUPING {
        let Some(header) = uses.iter().find(|u| u.column == Some(c)) else {
            continue;
        };
        let mut blanks = 0u64;
        let mut seen = std::collections::HashSet::new();
        let mut values = accounts.group_values(c).peekable();
        let mut grouped = values.peek().is_some_and(|v| v.is_some());
        for v in values {
            match v {
                None => blanks += 1,
                Some(v) => {
                    if !seen.insert(v) {
                        grouped = false;
                        break;
                    }
                }
            }
        }
        if !grouped || blanks == 0 {
            continue;
        }
        accounts.fill_down(c);
        fills.push(Fill {
            kind: FillKind::FillDown,
            column: Some(c),
            header: header.header.clone(),
            count: blanks,
        });
    }
    fills
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::mapping::map_headers;
    use crate::model::Account;

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn the_header_is_found_below_a_title_and_a_blank_row() {
        let t = rows(&[
            &["Acme 公众号清单 2026Q3", "", ""],
            &["", "", ""],
            &["账号名称", "原始ID", "品牌"],
            &["茶饮", "gh_1", "Acme"],
        ]);
        assert_eq!(find_header(&t, &Overrides::default()), Some(2));
        assert_eq!(
            find_header(&rows(&[&["hello"]]), &Overrides::default()),
            None
        );
    }

    #[test]
    fn totals_notes_and_repeated_headers_are_not_accounts() {
        let m = map_headers(&["账号名称", "原始ID", "粉丝数"], &Overrides::default());
        let check = |r: &[&str]| non_account(&m, r.len(), |i| r[i]);
        assert_eq!(check(&["合计", "", "12000"]), Some(SkipReason::Totals));
        assert_eq!(check(&["Total:", "", "12000"]), Some(SkipReason::Totals));
        assert_eq!(
            check(&["Grand Total (CN)", "", "1"]),
            Some(SkipReason::Totals)
        );
        assert_eq!(
            check(&["总计（12个账号）", "", "1"]),
            Some(SkipReason::Totals)
        );
        assert_eq!(check(&["Totally Tea", "", "1"]), None);
        assert_eq!(
            check(&["备注：数据截至 2026-09-30", "", ""]),
            Some(SkipReason::Note)
        );
        assert_eq!(
            check(&["Note: figures from the portal", "", ""]),
            Some(SkipReason::Note)
        );
        assert_eq!(
            check(&["账号名称", "原始ID", "粉丝数"]),
            Some(SkipReason::RepeatedHeader)
        );
        assert_eq!(check(&["茶饮", "gh_1", "100"]), None);
        // An account really named "Total" keeps its id, so it stays an account.
        assert_eq!(check(&["Total", "gh_2", "5"]), None);
        assert_eq!(check(&["备注号", "", ""]), None);
    }

    #[test]
    fn every_totals_label_and_note_prefix_opens_with_a_listed_character() {
        for w in TOTALS_ZH.iter().chain(TOTALS_EN).chain(NOTE_PREFIXES) {
            for c in [w.chars().next().unwrap()]
                .into_iter()
                .chain(w.chars().next().unwrap().to_uppercase())
            {
                assert!(OPENERS.contains(c), "{w}: {c}");
            }
            for cased in [w.to_string(), w.to_uppercase()] {
                assert!(may_open_label(&cased), "{cased}");
            }
        }
        for id in ["gh_1", "Gh_2", "tea", "S", "go", "nx"] {
            assert!(!may_open_label(id), "{id}");
        }
    }

    #[test]
    fn grouped_brands_are_filled_down_but_repeated_ones_are_left_alone() {
        let m = map_headers(&["name", "brand"], &Overrides::default());
        let acc = |n: &str, b: Option<&str>| Account {
            name: Some(n.into()),
            brand: b.map(Into::into),
            ..Account::default()
        };
        let mut grouped: Accounts = vec![
            acc("a", Some("Lotus")),
            acc("b", None),
            acc("c", Some("Acme")),
            acc("d", None),
            acc("e", None),
        ]
        .into();
        let fills = fill_down(&mut grouped, &m.uses);
        let brands: Vec<_> = grouped.iter().map(|a| a.brand()).collect();
        assert_eq!(
            brands,
            [
                Some("Lotus"),
                Some("Lotus"),
                Some("Acme"),
                Some("Acme"),
                Some("Acme")
            ]
        );
        assert_eq!(fills.len(), 1);
        assert_eq!(fills[0].count, 3);
        let mut repeated: Accounts = vec![
            acc("a", Some("Lotus")),
            acc("b", Some("Lotus")),
            acc("c", None),
        ]
        .into();
        assert!(fill_down(&mut repeated, &m.uses).is_empty());
        assert_eq!(repeated.at(2).brand(), None);
    }

    #[test]
    fn blank_rows_are_merged_into_runs() {
        let mut l = Vec::new();
        push_skipped(&mut l, 5, SkipReason::Blank, String::new());
        push_skipped(&mut l, 6, SkipReason::Blank, String::new());
        push_skipped(&mut l, 9, SkipReason::Blank, String::new());
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].line, l[0].last_line), (5, 6));
    }
}
