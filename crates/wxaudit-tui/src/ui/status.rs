//! The status bar (file, rows shown / total, filter, sort, background work, import problems) and
//! the last line (prompt being typed, a message such as an export confirmation or error, or key
//! hints). Both are always present so the user always knows what they are looking at.

use super::{fit, width, Theme, SPINNER};
use crate::action::Tab;
use crate::app::{App, Load, Mode, MsgLevel, PromptKind};
use crate::strings as s;
use crate::view::TableKind;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use wxaudit_core::pipeline::Stage;

fn work(app: &App) -> Option<String> {
    let spin = SPINNER[app.spinner % SPINNER.len()];
    if let Load::Running {
        stage,
        done,
        total,
        reload,
    } = &app.load
    {
        let verb = match (stage, reload) {
            (Stage::Reading, false) => "loading",
            (Stage::Reading, true) if app.import.reauditing() => "re-auditing",
            (Stage::Reading, true) => "reloading",
            (Stage::Auditing, _) => "auditing",
        };
        let pct = match (stage, total) {
            (Stage::Reading, t) if *t > 0 => format!(" {}%", done.min(total) * 100 / total),
            _ => String::new(),
        };
        return Some(format!("{spin} {verb}{pct}"));
    }
    if app.exporting {
        return Some(format!("{spin} exporting"));
    }
    if app.import.saving() {
        return Some(format!("{spin} saving"));
    }
    if app.accounts.pending || app.findings.pending {
        let sorting = app.current_table().is_some_and(|k| {
            let t = app.table(k);
            t.pending && t.sort.is_some() && app.filter.is_empty()
        });
        return Some(format!(
            "{spin} {}",
            if sorting { "sorting" } else { "filtering" }
        ));
    }
    if app.searching {
        return Some(format!("{spin} searching"));
    }
    None
}

pub fn draw_status(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let w = area.width as usize;
    let mut parts: Vec<(String, Style)> = Vec::new();
    parts.push((format!(" {} ", app.file_label), theme.bar()));
    if let Some(d) = &app.data {
        let (k, what) = match app.tab {
            Tab::Findings => (TableKind::Findings, "findings"),
            _ => (TableKind::Accounts, "accounts"),
        };
        let t = app.table(k);
        let total = match k {
            TableKind::Accounts => d.report.accounts.len(),
            TableKind::Findings => d.finding_count(),
        };
        let shown = if t.ready { t.view.len() } else { total };
        parts.push((format!(" {shown}/{total} {what} "), theme.bar()));
        if !app.filter.is_empty() {
            parts.push((
                format!(" filter: {} ", app.filter.describe()),
                theme.bar().patch(theme.highlight()),
            ));
        }
        if !app.search.is_empty() {
            parts.push((format!(" search: {} ", app.search), theme.bar()));
        }
        if let Some(k) = app.current_table() {
            if let Some(sort) = app.table(k).sort {
                parts.push((
                    format!(
                        " sort: {} {} ",
                        sort.col.header(Some(d)),
                        if sort.desc { "↓" } else { "↑" }
                    ),
                    theme.bar(),
                ));
            }
        }
        let n = d.report.row_errors.len();
        if n > 0 {
            parts.push((
                format!(
                    " ⚠ {} ",
                    wxaudit_core::report::reading::count(
                        n as u64,
                        "import problem",
                        "import problems"
                    )
                ),
                theme
                    .bar()
                    .patch(theme.severity(wxaudit_core::model::Severity::Medium)),
            ));
        }
    }
    if let Some(wk) = work(app) {
        parts.push((format!(" {wk} "), theme.bar()));
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, (t, st)) in parts.into_iter().enumerate() {
        let t = super::clean(&t).into_owned();
        let sep = if i > 0 { "│" } else { "" };
        let tw = width(&t) + width(sep);
        if used + tw > w {
            let rest = w.saturating_sub(used + width(sep));
            if rest > 1 {
                spans.push(Span::styled(sep.to_string(), theme.bar()));
                spans.push(Span::styled(fit(&t, rest), st));
                used += rest + width(sep);
            }
            break;
        }
        spans.push(Span::styled(sep.to_string(), theme.bar()));
        spans.push(Span::styled(t, st));
        used += tw;
    }
    if used < w {
        spans.push(Span::styled(" ".repeat(w - used), theme.bar()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn draw_bottom(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let w = area.width as usize;
    let line = match &app.mode {
        Mode::Prompt(p) => {
            let (label, hint) = match p.kind {
                PromptKind::Search => ("Search: ", "  Enter keeps, Esc cancels, n/N next/prev"),
                PromptKind::Filter => ("Filter: ", "  Enter keeps, Esc cancels"),
                PromptKind::Export(TableKind::Accounts) => {
                    ("Export accounts to: ", "  Enter saves, Esc cancels")
                }
                PromptKind::Export(TableKind::Findings) => {
                    ("Export findings to: ", "  Enter saves, Esc cancels")
                }
            };
            // Keep the end of long input visible.
            let room = w.saturating_sub(width(label) + 1 + width(hint)).max(1);
            let mut text = super::clean(&p.text).into_owned();
            while width(&text) > room {
                text.remove(0);
            }
            Line::from(vec![
                Span::styled(label, theme.title()),
                Span::raw(text),
                Span::styled("█", theme.dim()),
                Span::styled(
                    fit(hint, w.saturating_sub(width(label) + room + 1)),
                    theme.dim(),
                ),
            ])
        }
        _ => match app.visible_message() {
            Some((m, MsgLevel::Error)) => Line::from(Span::styled(fit(m, w), theme.error())),
            Some((m, MsgLevel::Info)) => Line::from(Span::raw(fit(m, w))),
            None => {
                let hints = match app.tab {
                    Tab::Summary => s::HINTS_SUMMARY,
                    Tab::Accounts | Tab::Findings => s::HINTS_TABLE,
                    Tab::Detail => s::HINTS_DETAIL,
                    Tab::Import => s::HINTS_IMPORT,
                };
                let mut spans = Vec::new();
                let mut used = 0;
                for (k, what) in hints {
                    let wk = width(k) + width(what) + 3;
                    if used + wk > w {
                        break;
                    }
                    used += wk;
                    spans.push(Span::styled(format!(" {k}"), theme.header()));
                    spans.push(Span::styled(format!(" {what} "), theme.dim()));
                }
                Line::from(spans)
            }
        },
    };
    f.render_widget(Paragraph::new(line), area);
}
