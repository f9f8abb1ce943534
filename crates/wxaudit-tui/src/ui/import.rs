//! How the file was read: the Import screen (every header and the column it became, or why it
//! was not read; the sheet and header row chosen; rows skipped and values filled in; the user's
//! own mappings), the column picker opened on a header, and the banner that names on the first
//! screen anything the tool could not use.
//!
//! Everything said here is worded by [`wxaudit_core::report::reading`], the same words every report
//! uses; this module only lays them out. A verdict is only as good as what was read, so the
//! banner leads with the checks that could not run although the file seems to hold what they
//! need, and says which key opens this screen to fix it.

use super::{fit, pad, width, wrap, Theme, SPINNER};
use crate::app::{shown_path, App, Load, Mode};
use crate::data::{Data, Level};
use crate::strings as s;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use wxaudit_core::import::{ColumnUse, FillKind, InputInfo};
use wxaudit_core::model::Column;
use wxaudit_core::report::reading;

/// Checks that could not run for want of a column an ignored header looks like, grouped by
/// (header, column) as [`reading::cautions`] groups them.
pub fn caution_groups(data: &Data) -> Vec<(String, Column, Vec<String>)> {
    reading::cautions(&data.report)
        .into_iter()
        .map(|c| (c.header, c.column, c.rule_ids))
        .collect()
}

/// "REACH-001 needs `type`" / "REACH-001 and 8 more checks need `type`" (`short`: "REACH-001
/// +8 need `type`").
fn rules_need(rules: &[String], column: Column, short: bool) -> String {
    match rules {
        [] => String::new(),
        [one] => format!("{one} needs `{column}`"),
        [first, rest @ ..] if short => format!("{first} +{} need `{column}`", rest.len()),
        [first, rest @ ..] => format!(
            "{first} and {} more check{} need `{column}`",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

use reading::count as plural;

fn list_headers(headers: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut v: Vec<String> = headers.iter().take(SHOWN).map(|h| h.to_string()).collect();
    if headers.len() > SHOWN {
        v.push("…".into());
    }
    v.join(", ")
}

/// Short phrases for what the reading did beyond the plain: headers not read (other than those
/// in `skip`, and those the user's own mapping ignores), rows skipped, values filled in,
/// mappings that matched nothing.
fn reading_phrases(info: &InputInfo, skip: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let ignored: Vec<&str> = info
        .ignored_columns()
        .filter(|u| !u.ignored_by_user)
        .map(|u| u.header.as_str())
        .filter(|h| !skip.iter().any(|s| s == h))
        .collect();
    if !ignored.is_empty() {
        let n = ignored.len() as u64;
        let what = if skip.is_empty() {
            plural(n, "header", "headers")
        } else {
            plural(n, "more header", "more headers")
        };
        out.push(format!("{what} not read ({})", list_headers(&ignored)));
    }
    let skipped = info.skipped_row_count();
    if skipped > 0 {
        out.push(format!("{} skipped", plural(skipped, "row", "rows")));
    }
    for f in &info.fills {
        out.push(match f.kind {
            FillKind::FillDown => format!(
                "`{}` filled down into {}",
                f.column.map(|c| c.as_str()).unwrap_or("?"),
                plural(f.count, "row", "rows")
            ),
            FillKind::MergedCells => plural(f.count, "merged cell", "merged cells"),
        });
    }
    let unmatched = info
        .notes
        .iter()
        .filter(|n| n.contains("matched no header"))
        .count() as u64;
    if unmatched > 0 {
        out.push(format!(
            "{} matched no header",
            plural(unmatched, "mapping", "mappings")
        ));
    }
    out
}

const REVIEW: &str = " — press i to review";

/// The first screen's banner (at most two lines of at most `w` columns), or nothing when the
/// file was read plainly ([`reading::needs_attention`] and [`reading::cautions`]; a header the
/// user's own mapping ignores is not news, so it alone raises no banner). Checks that could not
/// run come first.
pub fn banner_lines(data: &Data, w: usize) -> Vec<String> {
    let info = &data.report.input;
    let groups = caution_groups(data);
    if groups.is_empty() && !reading::needs_attention(info) {
        return Vec::new();
    }
    let skip: Vec<String> = groups.iter().map(|g| g.0.clone()).collect();
    // Headers from the file, shown with control codes escaped before any width is measured.
    let b = super::clean(&reading_phrases(info, &skip).join(" · ")).into_owned();
    if groups.is_empty() && b.is_empty() {
        return Vec::new();
    }
    let a: Vec<String> = groups
        .iter()
        .map(|(h, c, rules)| format!("\"{h}\" not read — {}", rules_need(rules, *c, true)))
        .collect();
    let a = super::clean(&a.join("; ")).into_owned();
    let one = match (a.is_empty(), b.is_empty()) {
        (false, false) => format!("⚠ {a} · {b}"),
        (false, true) => format!("⚠ {a}"),
        (true, _) => format!("⚠ {b}"),
    };
    let with_suffix = |t: &str, lead: &str| {
        let room = w.saturating_sub(width(REVIEW));
        if width(t) <= room {
            format!("{t}{REVIEW}")
        } else if room > width(lead) + 1 {
            format!("{}{REVIEW}", fit(t, room))
        } else {
            fit(t, w)
        }
    };
    if width(&one) + width(REVIEW) <= w {
        return vec![format!("{one}{REVIEW}")];
    }
    if !a.is_empty() && !b.is_empty() {
        return vec![
            fit(&format!("⚠ {a}"), w),
            with_suffix(&format!("  {b}"), "  "),
        ];
    }
    let mut lines = wrap(&one, w, "", "  ");
    let cut = lines.len() > 2;
    lines.truncate(2);
    let n = lines.len();
    if n > 0 {
        let lead = if n > 1 { "  " } else { "" };
        let mut t = lines[n - 1].clone();
        if cut {
            t.push_str(" …");
        }
        lines[n - 1] = with_suffix(&t, lead);
    }
    lines
}

/// The banner styled: warning colour, bold for the checks that could not run.
pub fn banner(data: &Data, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let cautions = !caution_groups(data).is_empty();
    banner_lines(data, w)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let mut st = theme.level(Level::Warn);
            if i == 0 && cautions {
                st = st.add_modifier(Modifier::BOLD);
            }
            Line::from(Span::styled(l, st))
        })
        .collect()
}

/// What the Column cell of the table says: "→ type" or "— not read".
fn column_cell(u: &ColumnUse) -> String {
    match u.column {
        Some(c) => format!("→ {c}"),
        None => "— not read".to_string(),
    }
}

/// The note beside a header: [`reading::column_note`], plus whether a mapping of this session is
/// still to be saved.
fn note_cell(app: &App, u: &ColumnUse) -> String {
    let mut n = reading::column_note(u);
    if app.import.mapping(&u.header).is_some() {
        let state = if app.import.is_unsaved(&u.header) {
            "not saved"
        } else {
            "saved"
        };
        if u.ignored_by_user || n.is_empty() || !n.contains("your mapping") {
            n = if n.is_empty() {
                format!("your mapping, {state}")
            } else {
                format!("{n}, {state}")
            };
        } else {
            n = n.replace("your mapping", &format!("your mapping, {state}"));
        }
    }
    n
}

/// The sentence about the selected header under the table.
fn selected_text(app: &App, data: &Data, u: &ColumnUse) -> String {
    let mut t = format!("\"{}\" ", u.header);
    match u.column {
        Some(c) => {
            t.push_str(&format!("is read as `{c}`"));
            let note = reading::column_note(u);
            if !note.is_empty() {
                t.push_str(&format!(" ({note})"));
            }
            t.push_str(". Enter chooses another column");
        }
        None => {
            t.push_str(&format!("was not read: {}", reading::column_note(u)));
            if let Some((_, c, rules)) = caution_groups(data)
                .into_iter()
                .find(|(h, _, _)| *h == u.header)
            {
                t.push_str(&format!(". {}", rules_need(&rules, c, false)));
            }
            t.push_str(". Enter chooses its column");
        }
    }
    if app.import.mapping(&u.header).is_some() {
        t.push_str("; d removes your mapping");
    }
    t.push('.');
    t
}

/// The mappings line at the foot of the screen.
fn mappings_line(app: &App) -> String {
    let path = shown_path(&app.config_path);
    let sess = &app.import.session;
    let running = matches!(app.load, Load::Running { .. });
    let spin = if running || app.import.saving() {
        format!("{} ", SPINNER[app.spinner % SPINNER.len()])
    } else {
        String::new()
    };
    if sess.is_empty() && app.import.unsave.is_empty() {
        return format!("{spin}Your mappings: none yet — Enter on a header chooses its column");
    }
    let shown: Vec<String> = sess
        .iter()
        .take(3)
        .map(|(h, c)| format!("\"{h}\" → {c}"))
        .collect();
    let mut t = format!("{spin}Your mappings: {}", shown.join(", "));
    if sess.len() > 3 {
        t.push_str(&format!(", +{}", sess.len() - 3));
    }
    if sess.is_empty() {
        t.push_str("none");
    }
    let unsaved = app.import.unsaved();
    if unsaved > 0 {
        t.push_str(&format!(" · {unsaved} not saved — s saves to {path}"));
    } else {
        t.push_str(&format!(" · saved in {path}"));
    }
    t
}

/// Lines that fit in `w`, each at most `max` lines long when wrapped, prefixed by a label.
fn labelled(label: &str, text: &str, w: usize, max: usize) -> Vec<String> {
    let first = format!(" {} ", pad(label, 7));
    let indent = " ".repeat(width(&first));
    let mut v = wrap(text, w, &first, &indent);
    if v.len() > max {
        v.truncate(max);
        if let Some(l) = v.last_mut() {
            let t = format!("{l} …");
            *l = fit(&t, w);
            if !l.ends_with('…') {
                l.push('…');
            }
        }
    }
    v.into_iter().map(|l| fit(&l, w)).collect()
}

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let Some((data, w, h)) = super::loaded(app, area) else {
        return;
    };
    let info = &data.report.input;
    let cols = &info.columns;

    // Above the table: the file, the sheet and header row, the checks that could not run.
    let mut top: Vec<Line> = Vec::new();
    let mut file = format!("{} ({}", app.file_label, info.format);
    if !info.encoding.is_empty() && info.encoding != info.format {
        file.push_str(&format!(", {}", info.encoding));
    }
    file.push_str(&format!(") · {} read", plural(info.rows, "row", "rows")));
    if info.rejected_rows > 0 {
        file.push_str(&format!(
            ", {} rejected",
            plural(info.rejected_rows, "row", "rows")
        ));
    }
    top.push(Line::from(Span::styled(
        labelled("File", &file, w, 1).concat(),
        theme.header(),
    )));
    let read = reading::lines(info);
    let mut about: Vec<Line> = Vec::new();
    for (label, text) in read
        .iter()
        .filter(|(l, _)| matches!(*l, "Sheet" | "Header"))
    {
        for l in labelled(label, text, w, 1) {
            about.push(Line::from(l));
        }
    }
    let mut cautions: Vec<Line> = Vec::new();
    for (hd, c, rules) in caution_groups(&data) {
        let t = format!("⚠ {}; \"{hd}\" looks like it", rules_need(&rules, c, false));
        cautions.push(Line::from(Span::styled(
            fit(&format!(" {t}"), w),
            theme.level(Level::Warn).add_modifier(Modifier::BOLD),
        )));
    }
    cautions.truncate(2);

    // Below the table: the selected header, rows skipped, fills, notes, the user's mappings.
    let sel = app.import.sel.min(cols.len().saturating_sub(1));
    let mut detail: Vec<String> = match cols.get(sel) {
        Some(u) => wrap(&selected_text(app, &data, u), w, " ", " "),
        None => vec![format!(" {}", s::NO_HEADERS)],
    };
    detail.truncate(2);
    let mut facts: Vec<String> = Vec::new();
    for (label, text) in read
        .iter()
        .filter(|(l, _)| matches!(*l, "Skipped" | "Filled" | "Note"))
    {
        facts.extend(labelled(label, text, w, 2));
    }
    let mapping = mappings_line(app);

    // Fit it all: the table keeps at least 3 rows (or all of them); facts give way first,
    // then the lines about the selected header, the file, the sheet and header row.
    let n = cols.len();
    let want_rows = n.clamp(1, 3);
    let fixed = |top: usize, about: usize, cautions: usize, detail: usize, facts: usize| {
        top + about + cautions + 1 + 1 + detail + facts + 1
    };
    loop {
        let used = fixed(
            top.len(),
            about.len(),
            cautions.len(),
            detail.len(),
            facts.len(),
        );
        if used + want_rows <= h {
            break;
        }
        if !facts.is_empty() {
            facts.pop();
        } else if detail.len() > 1 {
            detail.pop();
        } else if !about.is_empty() {
            about.pop();
        } else if !detail.is_empty() {
            detail.pop();
        } else if cautions.len() > 1 {
            cautions.pop();
        } else if !top.is_empty() {
            top.pop();
        } else {
            break;
        }
    }
    let mut lines: Vec<Line> = Vec::new();
    lines.append(&mut top);
    lines.append(&mut about);
    lines.append(&mut cautions);
    lines.push(Line::from(""));

    // The table.
    let hw = cols
        .iter()
        .map(|u| width(&u.header))
        .max()
        .unwrap_or(0)
        .clamp(6, (w.saturating_sub(4) * 2 / 5).max(6));
    let cw = cols
        .iter()
        .map(|u| width(&column_cell(u)))
        .max()
        .unwrap_or(0)
        .max(width("— not read"));
    let nw = w.saturating_sub(hw + cw + 4);
    lines.push(Line::from(Span::styled(
        fit(
            &format!(" {} {} {}", pad("Header", hw), pad("Column", cw), "Note"),
            w,
        ),
        theme.header(),
    )));
    let table_y = area.y + lines.len() as u16;
    let below = detail.len() + facts.len() + 1;
    let rows = h.saturating_sub(lines.len() + below);
    // Keep the selection in view.
    let mut off = app.import.offset.min(n.saturating_sub(rows.max(1)));
    if sel < off {
        off = sel;
    } else if rows > 0 && sel >= off + rows {
        off = sel + 1 - rows;
    }
    app.import.offset = off;
    app.import.sel = sel;
    app.geom.rows = Rect {
        x: area.x,
        y: table_y,
        width: area.width,
        height: rows.min(n.saturating_sub(off)) as u16,
    };
    app.geom.page = rows.max(1) as u16;
    let flagged: Vec<String> = caution_groups(&data).into_iter().map(|g| g.0).collect();
    for (i, u) in cols.iter().enumerate().skip(off).take(rows) {
        let selected = i == sel;
        let base = if selected {
            theme.selected()
        } else {
            Style::default()
        };
        let col_style = match u.column {
            None if flagged.contains(&u.header) => theme
                .level(Level::Warn)
                .add_modifier(Modifier::BOLD)
                .patch(base),
            None => theme.level(Level::Warn).patch(base),
            Some(_) => base,
        };
        let note = note_cell(app, u);
        lines.push(Line::from(vec![
            Span::styled(if selected { "▶" } else { " " }, base),
            Span::styled(pad(&u.header, hw), base),
            Span::styled(" ", base),
            Span::styled(pad(&column_cell(u), cw), col_style),
            Span::styled(" ", base),
            Span::styled(pad(&note, nw), if selected { base } else { theme.dim() }),
            Span::styled(" ", base),
        ]));
    }
    if n == 0 && rows > 0 {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", s::NO_HEADERS), w),
            theme.dim(),
        )));
    }
    while lines.len() < h.saturating_sub(below) {
        lines.push(Line::from(""));
    }
    for d in detail {
        lines.push(Line::from(fit(&d, w)));
    }
    for l in facts {
        lines.push(Line::from(Span::styled(l, theme.dim())));
    }
    let unsaved = app.import.unsaved() > 0;
    lines.push(Line::from(Span::styled(
        fit(&format!(" {mapping}"), w),
        if unsaved {
            theme.highlight()
        } else {
            theme.dim()
        },
    )));
    lines.truncate(h);
    f.render_widget(Paragraph::new(lines), area);
}

/// The column picker: every column with a line about what it holds, fuzzy-matched as you type.
pub fn draw_picker(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let Mode::Picker(p) = &app.mode else {
        return;
    };
    let title = format!(
        " Column for \"{}\" — type to find, Enter applies, Esc closes ",
        p.header
    );
    let list = super::palette::FuzzyList {
        max_w: 90,
        max_rows: 18,
        title: &title,
        query: &p.query,
        sel: p.sel,
        matches: &p.matches,
        none: "  no such column (Backspace edits, Esc closes)",
    };
    let widest = p.items.iter().map(|i| width(&i.name)).max().unwrap_or(0);
    list.draw(f, area, theme, |iw, ii, style| {
        let it = p.items.get(ii)?;
        let name_w = widest.min(iw / 3);
        let note = if it.note.is_empty() {
            String::new()
        } else {
            format!(" {}", it.note)
        };
        let note_w = width(&note).min(iw / 3);
        let meaning_w = iw.saturating_sub(name_w + 3 + note_w);
        Some(Line::from(vec![
            Span::styled(format!(" {} ", pad(&it.name, name_w)), style),
            Span::styled(pad(it.meaning, meaning_w), style.patch(theme.dim())),
            Span::styled(fit(&note, note_w), style.patch(theme.title())),
            Span::styled(" ", style),
        ]))
    });
}
