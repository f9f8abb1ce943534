//! The Accounts and Findings tables: one generic drawer over a [`TableState`] that builds text
//! only for the rows inside the window (`view[offset..offset + height]`, like bottom's data
//! table), keeps the leading columns (id and name; severity and rule) frozen while the rest
//! scrolls horizontally, and highlights search matches. The Findings screen adds a preview of
//! the selected finding (what is wrong, the evidence and the fix) under the table.

use super::{clean, fit, pad, severity_mark, width, Theme};
use crate::app::App;
use crate::data::Data;
use crate::strings as s;
use crate::view::{account_cell, finding_cell, searched, Col, Fuzzy, Sort, TableKind};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::borrow::Cow;

fn cell<'a>(d: &'a Data, kind: TableKind, row: u32, col: Col) -> Cow<'a, str> {
    match kind {
        TableKind::Accounts => account_cell(d, row as usize, col),
        TableKind::Findings => finding_cell(d, row, col),
    }
}

fn cell_style(d: &Data, kind: TableKind, row: u32, col: Col, theme: &Theme) -> Style {
    match (kind, col) {
        (TableKind::Accounts, Col::Platform) => theme.platform(d.platform(row as usize)),
        (TableKind::Accounts, Col::Worst) => match d.worst.get(row as usize).copied().flatten() {
            Some(s) => theme.severity(s),
            None => theme.dim(),
        },
        (TableKind::Findings, Col::Severity) => theme.severity(d.finding(row).severity),
        (TableKind::Findings, Col::Account | Col::AccName) if d.finding(row).account.is_none() => {
            theme.dim()
        }
        _ => Style::default(),
    }
}

/// Cell text as drawn: severities get a marker so they never depend on colour.
fn display_text<'a>(d: &'a Data, kind: TableKind, row: u32, col: Col) -> Cow<'a, str> {
    match (kind, col) {
        (TableKind::Findings, Col::Severity) => {
            let s = d.finding(row).severity;
            Cow::Owned(format!("{} {}", severity_mark(s), s.as_str()))
        }
        (TableKind::Accounts, Col::Worst) => match d.worst.get(row as usize).copied().flatten() {
            Some(s) => Cow::Owned(format!("{} {}", severity_mark(s), s.as_str())),
            None => Cow::Borrowed("none"),
        },
        (TableKind::Findings, Col::Account) if d.finding(row).account.is_none() => {
            let f = d.finding(row);
            Cow::Borrowed(if f.brand(&d.report.accounts).is_some() {
                "(whole brand)"
            } else {
                "(company)"
            })
        }
        _ => cell(d, kind, row, col),
    }
}

fn header_label(col: Col, sort: Option<Sort>, data: &Data) -> String {
    let mut h = col.header(Some(data)).into_owned();
    if let Some(s) = sort {
        if s.col == col {
            h.push_str(if s.desc { " ↓" } else { " ↑" });
        }
    }
    h
}

/// Spans for a cell cut to `w` columns, with fuzzy-match positions highlighted.
fn cell_spans(
    text: &str,
    w: usize,
    base: Style,
    fz: Option<&mut Fuzzy>,
    hl: Style,
) -> Vec<Span<'static>> {
    let shown = pad(text, w);
    let Some(fz) = fz else {
        return vec![Span::styled(shown, base)];
    };
    let idx: Vec<u32> = fz.indices(&clean(text)).to_vec();
    if idx.is_empty() {
        return vec![Span::styled(shown, base)];
    }
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    for (i, c) in shown.chars().enumerate() {
        let on = idx.binary_search(&(i as u32)).is_ok() && c != '…';
        if on != cur_hl && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                if cur_hl { base.patch(hl) } else { base },
            ));
        }
        cur_hl = on;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(
            cur,
            if cur_hl { base.patch(hl) } else { base },
        ));
    }
    spans
}

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, kind: TableKind, theme: &Theme) {
    let Some(data) = app.data.clone() else {
        return;
    };
    // Findings: a preview of the selected finding below the table when there is room.
    let preview_h = if kind == TableKind::Findings && area.height >= 16 {
        (area.height / 3).clamp(6, 10)
    } else {
        0
    };
    let table_area = Rect {
        height: area.height - preview_h,
        ..area
    };
    draw_table(f, table_area, app, kind, &data, theme);
    if preview_h > 0 {
        let pa = Rect {
            y: area.y + table_area.height,
            height: preview_h,
            ..area
        };
        draw_preview(f, pa, app, &data, theme);
    }
}

fn draw_table(
    f: &mut Frame,
    area: Rect,
    app: &mut App,
    kind: TableKind,
    data: &Data,
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let rows_h = area.height.saturating_sub(1) as usize;
    app.geom.page = rows_h.max(1) as u16;
    app.geom.rows = Rect {
        y: area.y + 1,
        height: rows_h as u16,
        ..area
    };
    let search = app.search.clone();
    let t = match kind {
        TableKind::Accounts => &mut app.accounts,
        TableKind::Findings => &mut app.findings,
    };
    let len = t.view.len();
    t.vp.fit(rows_h, len);
    let vis = t.visible_cols();
    let frozen = t.frozen();
    let start = t.vp.offset.min(len);
    let end = (start + rows_h).min(len);
    let rows: Vec<u32> = t.view[start..end].to_vec();

    // Column widths from the header and the rows on screen.
    let mut widths: Vec<usize> = vis
        .iter()
        .map(|&c| {
            let mut w = width(&c.header(Some(data))) + 2;
            for &r in &rows {
                w = w.max(width(&display_text(data, kind, r, c)));
            }
            w.clamp(c.min_width() as usize, c.max_width() as usize)
        })
        .collect();
    let total_w = area.width as usize;
    // Frozen columns never take more than 2/3 of the width.
    let max_frozen = total_w * 2 / 3;
    loop {
        let fw: usize = widths[..frozen].iter().map(|w| w + 1).sum();
        if fw <= max_frozen {
            break;
        }
        match (0..frozen).rev().find(|&i| widths[i] > 4) {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    let frozen_w: usize =
        widths[..frozen].iter().map(|w| w + 1).sum::<usize>() + if frozen > 0 { 2 } else { 0 };
    let avail = total_w.saturating_sub(frozen_w);
    // Keep the selected column in view.
    let sel_col = t.col.min(vis.len().saturating_sub(1));
    if t.hscroll < frozen {
        t.hscroll = frozen;
    }
    if sel_col >= frozen {
        if sel_col < t.hscroll {
            t.hscroll = sel_col;
        }
        while t.hscroll < sel_col {
            let used: usize = widths[t.hscroll..=sel_col].iter().map(|w| w + 1).sum();
            if used <= avail {
                break;
            }
            t.hscroll += 1;
        }
    }
    let hscroll = t.hscroll;
    let mut shown: Vec<usize> = (0..frozen).collect();
    {
        let mut used = 0;
        for (i, w) in widths.iter().enumerate().skip(hscroll) {
            if used >= avail {
                break;
            }
            shown.push(i);
            used += w + 1;
        }
    }
    let sel = t.vp.sel;
    let sort = t.sort;
    let ready = t.ready;
    let pending = t.pending;
    let more_left = hscroll > frozen;
    let more_right = shown.last().is_some_and(|&l| l + 1 < vis.len());

    let buf = f.buffer_mut();
    // Header.
    let mut x = area.x;
    let right = area.x + area.width;
    for (k, &ci) in shown.iter().enumerate() {
        if x >= right {
            break;
        }
        let col = vis[ci];
        let mut style = theme.header();
        if ci == sel_col {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let w = widths[ci];
        let mut h = header_label(col, sort, data);
        if k == frozen && more_left {
            h = format!("‹{h}");
        }
        buf.set_stringn(x, area.y, pad(&h, w), (right - x) as usize, style);
        x = x.saturating_add(w as u16 + 1);
        if k + 1 == frozen && frozen > 0 && x < right {
            buf.set_stringn(x, area.y, "│", 1, theme.dim());
            x = x.saturating_add(2);
        }
    }
    if more_right && area.width > 2 {
        buf.set_stringn(right - 1, area.y, "›", 1, theme.header());
    }

    if rows.is_empty() {
        let msg = if !ready || pending {
            "Working…"
        } else if !app.filter.is_empty() {
            s::NO_ROWS_FILTER
        } else {
            s::NO_ROWS
        };
        if rows_h > 0 {
            buf.set_stringn(
                area.x + 1,
                area.y + 1,
                fit(msg, total_w.saturating_sub(1)),
                total_w.saturating_sub(1),
                theme.dim(),
            );
        }
        return;
    }

    let mut fz = (!search.is_empty()).then(|| Fuzzy::new(&search));
    let hl = theme.highlight();
    for (ri, &row) in rows.iter().enumerate() {
        let y = area.y + 1 + ri as u16;
        let is_sel = start + ri == sel;
        let suppressed = kind == TableKind::Findings && data.suppression(row).is_some();
        let mut row_style = Style::default();
        if suppressed {
            row_style = row_style.add_modifier(Modifier::DIM);
        }
        if is_sel {
            row_style = row_style.add_modifier(Modifier::REVERSED);
            buf.set_stringn(area.x, y, " ".repeat(total_w), total_w, row_style);
        }
        let mut x = area.x;
        for (k, &ci) in shown.iter().enumerate() {
            if x >= right {
                break;
            }
            let col = vis[ci];
            let w = widths[ci];
            let text = display_text(data, kind, row, col);
            let base = row_style.patch(cell_style(data, kind, row, col, theme));
            let z = if searched(col) { fz.as_mut() } else { None };
            let spans = cell_spans(&text, w, base, z, hl);
            let line = Line::from(spans);
            buf.set_line(x, y, &line, right - x);
            x = x.saturating_add(w as u16 + 1);
            if k + 1 == frozen && x < right {
                buf.set_stringn(x, y, "│", 1, row_style.patch(theme.dim()));
                x = x.saturating_add(2);
            }
        }
    }
}

fn draw_preview(f: &mut Frame, area: Rect, app: &App, data: &Data, theme: &Theme) {
    let w = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::from(Span::styled("─".repeat(w), theme.dim())));
    let Some(r) = app.findings.selected_row() else {
        f.render_widget(Paragraph::new(lines), area);
        return;
    };
    let fi = data.finding(r);
    let accounts = &data.report.accounts;
    let who = match (
        fi.account_id(accounts),
        fi.account_name(accounts),
        fi.brand(accounts),
        &fi.market,
    ) {
        (Some(id), Some(n), _, _) => format!("{id} {n}"),
        (Some(id), None, _, _) => id.to_string(),
        (None, _, Some(b), Some(m)) => format!("brand {b}, market {m}"),
        (None, _, Some(b), None) => format!("brand {b}"),
        (None, _, None, Some(m)) => format!("market {m}"),
        _ => "the company".into(),
    };
    lines.push(Line::from(vec![
        Span::styled(
            format!("{} {} ", severity_mark(fi.severity), fi.severity.as_str()),
            theme.severity(fi.severity),
        ),
        Span::styled(format!("{} ", fi.rule_id), theme.header()),
        Span::raw(fit(&who, w.saturating_sub(20))),
    ]));
    if let Some(sf) = data.suppression(r) {
        for l in super::wrap(
            &format!("Suppressed (accepted risk): {}", sf.reason),
            w,
            "",
            "  ",
        ) {
            lines.push(Line::from(Span::styled(l, theme.dim())));
        }
    }
    let text = data.report.text(fi);
    for l in super::wrap(&text.message, w, "Why: ", "     ") {
        lines.push(Line::from(l));
    }
    if !text.evidence.is_empty() {
        for l in super::wrap(&text.evidence_line(), w, "Evidence: ", "     ") {
            lines.push(Line::from(Span::styled(l, theme.dim())));
        }
    }
    for l in super::wrap(text.advice, w, "Fix: ", "     ") {
        lines.push(Line::from(Span::styled(
            l,
            Style::default().add_modifier(Modifier::BOLD),
        )));
    }
    let hint = if fi.account.is_some() {
        "Enter: the account's full detail"
    } else {
        "Enter: this finding in full, then Enter again lists the accounts behind it"
    };
    lines.push(Line::from(Span::styled(fit(hint, w), theme.dim())));
    lines.truncate(area.height as usize);
    f.render_widget(Paragraph::new(lines), area);
}
