//! The `:` command palette: every key binding plus every filter facet value, sort and column
//! toggle, fuzzy-matched as you type, so a user who knows what they want but not the key finds it.

use super::{fit, pad, width, Theme};
use crate::tui::app::{App, Mode};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let Mode::Palette(p) = &app.mode else {
        return;
    };
    let w = area.width.saturating_sub(4).min(80);
    let h = area
        .height
        .saturating_sub(2)
        .min(20)
        .min(p.matches.len().max(1) as u16 + 1);
    let r = popup_top(f, area, w + 2, h + 2);
    let block = Block::default().borders(Borders::ALL).title(fit(
        " Commands — type to find, Enter runs, Esc closes ",
        r.width.saturating_sub(2) as usize,
    ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let iw = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", theme.title()),
        Span::raw(fit(&p.query, iw.saturating_sub(3))),
        Span::styled("█", theme.dim()),
    ])];
    let rows = inner.height.saturating_sub(1) as usize;
    let offset = p.sel.saturating_sub(rows.saturating_sub(1));
    if p.matches.is_empty() {
        lines.push(Line::from(Span::styled(
            "  no matching command",
            theme.dim(),
        )));
    }
    for (k, &ci) in p.matches.iter().enumerate().skip(offset).take(rows) {
        let Some(c) = p.commands.get(ci) else {
            continue;
        };
        let keys_w = width(&c.keys);
        let title_w = iw.saturating_sub(keys_w + 3);
        let style = if k == p.sel {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", pad(&c.title, title_w)), style),
            Span::styled(c.keys.clone(), style.patch(theme.dim())),
        ]));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Like [`super::popup`] but near the top, so the screen below stays readable.
pub(super) fn popup_top(f: &mut Frame, area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h).min(2),
        width: w,
        height: h,
    };
    f.render_widget(ratatui::widgets::Clear, r);
    super::clear_edges(f, r);
    r
}
