//! "How the file was read", worded once for every report and the TUI: the sheet and header row
//! chosen, the headers used and ignored, rows skipped, values filled in, and the guesses made —
//! plus the warning that leads a report when a check was not evaluated although an ignored header
//! looks like the column it needs, and each input problem's line ([`row_error_line`]).
//!
//! The importer records the facts ([`InputInfo`]); this module only words them, so the text
//! summary, the Markdown report, the stderr summary next to a CSV/JSON report and the TUI all say
//! the same thing.

use crate::audit::Report;
use crate::import::headers::{fold_header, MatchKind};
use crate::import::{ColumnUse, FillKind, InputInfo, SkipReason};
use crate::model::{Column, RowError};

/// Checks that could not run although the file seems to hold what they need, under a header
/// the importer did not know: one per (header, column), with every check it blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caution {
    /// The checks not evaluated, in the order the audit lists them.
    pub rule_ids: Vec<String>,
    pub column: Column,
    /// The ignored header that looks like `column`.
    pub header: String,
}

impl Caution {
    /// "REACH-001 was not evaluated: it needs `type`, and the header "Acct Type" looks like it
    /// but was not read" (several checks: "REACH-001, REACH-002 and 7 more checks were …").
    pub fn text(&self) -> String {
        const SHOWN: usize = 3;
        let (who, verb, pron) = match self.rule_ids.as_slice() {
            [one] => (one.clone(), "was", "it needs"),
            many if many.len() <= SHOWN => (many.join(", "), "were", "they need"),
            many => (
                format!(
                    "{} and {} more checks",
                    many[..SHOWN].join(", "),
                    many.len() - SHOWN
                ),
                "were",
                "they need",
            ),
        };
        format!(
            "{who} {verb} not evaluated: {pron} `{}`, and the header \"{}\" looks like it but was not read",
            self.column, self.header
        )
    }

    /// The mapping that would read it: `--column "账户种类=type"`.
    pub fn fix(&self) -> String {
        format!(
            "--column \"{}={}\" (or \"{}\" = \"{}\" under [columns] in wxaudit.toml)",
            self.header, self.column, self.header, self.column
        )
    }
}

/// Every not-evaluated check whose missing column an ignored header resembles, grouped by
/// (header, column) in the order the audit lists the checks.
pub fn cautions(report: &Report) -> Vec<Caution> {
    let mut out: Vec<Caution> = Vec::new();
    for n in &report.not_evaluated {
        for c in &n.missing_columns {
            let Some(u) = report.input.ignored_like(*c) else {
                continue;
            };
            match out
                .iter_mut()
                .find(|g| g.header == u.header && g.column == *c)
            {
                Some(g) => {
                    if !g.rule_ids.iter().any(|r| r == n.rule_id.as_str()) {
                        g.rule_ids.push(n.rule_id.to_string());
                    }
                }
                None => out.push(Caution {
                    rule_ids: vec![n.rule_id.to_string()],
                    column: *c,
                    header: u.header.clone(),
                }),
            }
        }
    }
    out
}

/// What to say about a header beside the column it became: "values ×10,000", "your mapping",
/// "a second `verified` column; "认证" was used", "unknown; is it `followers`? …".
pub fn column_note(u: &ColumnUse) -> String {
    if u.column.is_some() {
        let mut notes = Vec::new();
        if let Some(k) = u.scale {
            notes.push(format!("values ×{}", group_digits(k)));
        }
        if u.matched == Some(MatchKind::User) {
            notes.push("your mapping".to_string());
        }
        return notes.join(", ");
    }
    if let Some(first) = &u.duplicate_of {
        let c = u.suggestion.map(|c| c.as_str()).unwrap_or("?");
        return format!("a second `{c}` column; \"{first}\" was used");
    }
    if u.ignored_by_user {
        return "ignored by your mapping".to_string();
    }
    match u.suggestion {
        Some(c) => format!("unknown; is it `{c}`? --column \"{}={c}\"", u.header),
        None => "not a known column".to_string(),
    }
}

/// "粉丝数(万) → followers (values ×10,000)"; a header that is the column's own name alone.
pub fn used_text(u: &ColumnUse) -> String {
    let mut s = match u.column {
        Some(c) if fold_header(&u.header) == fold_header(c.as_str()) => u.header.clone(),
        Some(c) => format!("{} → {c}", u.header),
        None => u.header.clone(),
    };
    let note = column_note(u);
    if !note.is_empty() {
        s.push_str(&format!(" ({note})"));
    }
    s
}

/// "认证状态 (a second `verified` column; "认证" was used)".
pub fn ignored_text(u: &ColumnUse) -> String {
    format!("{} ({})", u.header, column_note(u))
}

/// "1 row", "128,400 rows": a count with its noun, digits grouped.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_digits(n), if n == 1 { one } else { many })
}

/// 128400 → "128,400": digits grouped in threes with commas.
pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn lines_range(first: u64, last: u64) -> String {
    if first == last {
        format!("{first}")
    } else {
        format!("{first}–{last}")
    }
}

/// One skipped-rows phrase per reason: "totals row: line 15 ("合计 | 128400")".
pub fn skipped_phrases(info: &InputInfo) -> Vec<String> {
    const SHOWN: usize = 3;
    let mut out = Vec::new();
    for reason in [
        SkipReason::AboveHeader,
        SkipReason::Totals,
        SkipReason::Note,
        SkipReason::RepeatedHeader,
        SkipReason::Blank,
    ] {
        let rows: Vec<_> = info
            .skipped_rows
            .iter()
            .filter(|s| s.reason == reason)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let count: u64 = rows.iter().map(|s| s.last_line - s.line + 1).sum();
        let mut shown: Vec<String> = rows
            .iter()
            .take(SHOWN)
            .map(|s| {
                let at = lines_range(s.line, s.last_line);
                if s.text.is_empty() {
                    at
                } else {
                    format!("{at} \"{}\"", s.text)
                }
            })
            .collect();
        if rows.len() > SHOWN {
            shown.push(format!("… {} more", rows.len() - SHOWN));
        }
        out.push(format!(
            "{count} {} ({}: {})",
            if count == 1 { "row" } else { "rows" },
            reason.describe(),
            shown.join(", ")
        ));
    }
    out
}

/// One phrase per fill: "brand filled down into 5 rows (…)".
pub fn fill_phrases(info: &InputInfo) -> Vec<String> {
    info.fills
        .iter()
        .map(|f| match f.kind {
            FillKind::FillDown => format!(
                "`{}` (\"{}\") filled down into {} {} — it is written only on the first row of each group; --no-fill-down turns this off",
                f.column.map(|c| c.as_str()).unwrap_or("?"),
                f.header,
                f.count,
                if f.count == 1 { "row" } else { "rows" }
            ),
            FillKind::MergedCells => format!(
                "{} merged {} — each value applied to every row it spans",
                f.count,
                if f.count == 1 { "cell" } else { "cells" }
            ),
        })
        .collect()
}

/// The lines of "how the file was read", as (label, text), in reading order.
pub fn lines(info: &InputInfo) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(why) = &info.encoding_reason {
        out.push(("Encoding", format!("{} ({why})", info.encoding)));
    }
    if let Some(s) = &info.sheet {
        out.push(("Sheet", format!("\"{}\" ({})", s.name, s.why)));
    }
    if let Some(h) = &info.header_row {
        let how = if h.given {
            "as given by --header-row"
        } else {
            "found"
        };
        let unit = if info.format == "workbook" {
            "row"
        } else {
            "line"
        };
        out.push(("Header", format!("{unit} {} ({how})", h.line)));
    }
    if info.format == "open_platform" {
        out.push((
            "Columns",
            "Open Platform fields: nick_name → name, user_name → id, alias → wechat_id, \
             service_type_info → type, MiniProgramInfo → mini_program, verify_type_info → verified, \
             principal_name → entity_name, business_info.open_pay → payments; portal: open platform (Weixin)"
                .to_string(),
        ));
    }
    let used: Vec<String> = info
        .columns
        .iter()
        .filter(|u| !u.is_ignored())
        .map(used_text)
        .collect();
    if !used.is_empty() {
        out.push((
            "Columns",
            format!("{} read: {}", used.len(), used.join(", ")),
        ));
    }
    let ignored: Vec<String> = info.ignored_columns().map(ignored_text).collect();
    if !ignored.is_empty() {
        out.push((
            "Ignored",
            format!(
                "{} not read (kept as extra fields): {}",
                ignored.len(),
                ignored.join("; ")
            ),
        ));
    }
    for s in skipped_phrases(info) {
        out.push(("Skipped", s));
    }
    for f in fill_phrases(info) {
        out.push(("Filled", f));
    }
    for n in &info.notes {
        out.push(("Note", n.clone()));
    }
    out
}

/// True when the reading did something a reader should know before trusting the verdict: a
/// header ignored, a row skipped, a value filled in, an encoding guessed, a mapping that matched
/// nothing, or a file that changed while it was read.
pub fn needs_attention(info: &InputInfo) -> bool {
    // A header the user's own mapping ignores is not news on every run.
    info.ignored_columns().any(|c| !c.ignored_by_user)
        || !info.skipped_rows.is_empty()
        || !info.fills.is_empty()
        || info.encoding_reason.is_some()
        || info.notes.iter().any(|n| {
            n.contains("matched no header")
                || n.starts_with(crate::import::source::CHANGED_WHILE_READ)
        })
}

/// "line 7, column followers, value "abc": expected a number (row skipped)"; `unit` is "line"
/// (text files) or "row" (workbook sheets), see [`line_unit`].
pub fn row_error_line(e: &RowError, unit: &str) -> String {
    let mut s = format!("{unit} {}", e.line);
    if let Some(c) = &e.column {
        s.push_str(&format!(", column {c}"));
    }
    if let Some(v) = &e.value {
        // Quoted as is: the terminal, Markdown and CSV writers each make it safe for themselves.
        s.push_str(&format!(", value \"{v}\""));
    }
    s.push_str(&format!(": {}", e.message));
    if e.skipped {
        s.push_str(" (row skipped)");
    }
    s
}

/// What a position in the input is called: "row" in a workbook sheet, "line" in a text file.
pub fn line_unit(input: &crate::import::InputInfo) -> &'static str {
    if input.format == "workbook" {
        "row"
    } else {
        "line"
    }
}
