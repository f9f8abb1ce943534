//! The `?` overlay, generated from [`crate::keymap::bindings`] — the same table that
//! dispatches keys — so the help can never describe a key that does something else.

use super::{fit, pad, popup, width, Theme};
use crate::app::{App, Mode};
use crate::keymap::{Binding, Section};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// The help text as lines (also used by tests).
pub fn lines(table: &[Binding], w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let key_w = table
        .iter()
        .map(|b| {
            let labels: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            width(&labels.join(" "))
        })
        .max()
        .unwrap_or(10)
        .min(w / 3);
    for sec in Section::ALL {
        let items: Vec<&Binding> = table.iter().filter(|b| b.section == sec).collect();
        if items.is_empty() {
            continue;
        }
        out.push(Line::from(Span::styled(fit(sec.title(), w), theme.title())));
        for b in items {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            let keys = keys.join(" ");
            let desc_w = w.saturating_sub(key_w + 3);
            out.push(Line::from(vec![
                Span::styled(format!("  {} ", pad(&keys, key_w)), theme.header()),
                Span::raw(fit(b.help, desc_w)),
            ]));
        }
        out.push(Line::from(""));
    }
    out.push(Line::from(Span::styled(
        fit("Mouse: wheel scrolls, click selects a row or a tab.", w),
        theme.dim(),
    )));
    out
}

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let w = area.width.saturating_sub(2).min(90);
    let h = area.height.saturating_sub(2);
    let r = popup(f, area, w + 2, h + 2);
    let title = " Keys — ↑↓/PgDn scroll, any other key closes ";
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit(title, r.width.saturating_sub(2) as usize));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let all = lines(&app.keymap, inner.width as usize, theme);
    let max = all.len().saturating_sub(inner.height as usize) as u16;
    if let Mode::Help { scroll } = &mut app.mode {
        if *scroll > max {
            *scroll = max;
        }
        let s = *scroll as usize;
        let visible: Vec<Line> = all
            .into_iter()
            .skip(s)
            .take(inner.height as usize)
            .collect();
        f.render_widget(Paragraph::new(visible), inner);
    }
}
