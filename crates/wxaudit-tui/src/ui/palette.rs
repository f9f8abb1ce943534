//! The `:` command palette: every key binding plus every filter facet value, sort and column
//! toggle, fuzzy-matched as you type, so a user who knows what they want but not the key finds it.

use super::{fit, pad, width, Theme};
use crate::app::{App, Mode};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let Mode::Palette(p) = &app.mode else {
        return;
    };
    let list = FuzzyList {
        max_w: 80,
        max_rows: 20,
        title: " Commands — type to find, Enter runs, Esc closes ",
        query: &p.query,
        sel: p.sel,
        matches: &p.matches,
        none: "  no matching command",
    };
    list.draw(f, area, theme, |iw, ci, style| {
        let c = p.commands.get(ci)?;
        let keys_w = width(&c.keys);
        let title_w = iw.saturating_sub(keys_w + 3);
        Some(Line::from(vec![
            Span::styled(format!(" {} ", pad(&c.title, title_w)), style),
            Span::styled(c.keys.clone(), style.patch(theme.dim())),
        ]))
    });
}

/// A fuzzy-matched list in a popup near the top (the palette, the column picker): the query on
/// the first line, then the matches, scrolled to keep the selection in view.
pub(super) struct FuzzyList<'a> {
    /// Inner width at the most.
    pub max_w: u16,
    /// Inner height at the most (the query line and the matches).
    pub max_rows: u16,
    pub title: &'a str,
    pub query: &'a str,
    pub sel: usize,
    /// Indices of the entries shown, best first.
    pub matches: &'a [usize],
    /// What is said when nothing matches.
    pub none: &'a str,
}

impl FuzzyList<'_> {
    /// Draws the list over `area`; `row(inner width, entry index, style)` draws one entry, in
    /// the selected style for the selection (`None` leaves it out).
    pub fn draw(
        &self,
        f: &mut Frame,
        area: Rect,
        theme: &Theme,
        mut row: impl FnMut(usize, usize, Style) -> Option<Line<'static>>,
    ) {
        let w = area.width.saturating_sub(4).min(self.max_w);
        let h = area
            .height
            .saturating_sub(2)
            .min(self.max_rows)
            .min(self.matches.len().max(1) as u16 + 1);
        let r = popup_top(f, area, w + 2, h + 2);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(fit(self.title, r.width.saturating_sub(2) as usize));
        let inner = block.inner(r);
        f.render_widget(block, r);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let iw = inner.width as usize;
        let mut lines = vec![Line::from(vec![
            Span::styled("> ", theme.title()),
            Span::raw(fit(self.query, iw.saturating_sub(3))),
            Span::styled("█", theme.dim()),
        ])];
        let rows = inner.height.saturating_sub(1) as usize;
        let offset = self.sel.saturating_sub(rows.saturating_sub(1));
        if self.matches.is_empty() {
            lines.push(Line::from(Span::styled(self.none.to_string(), theme.dim())));
        }
        for (k, &i) in self.matches.iter().enumerate().skip(offset).take(rows) {
            let style = if k == self.sel {
                theme.selected()
            } else {
                Style::default()
            };
            if let Some(l) = row(iw, i, style) {
                lines.push(l);
            }
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
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
