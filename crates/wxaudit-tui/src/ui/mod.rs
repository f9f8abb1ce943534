//! Drawing: one function per screen and overlay, all reading [`App`] and writing only
//! geometry back into it (for mouse hits and page sizes). Layout is tabs line, on the first
//! screen a banner naming what the file's reading left out ([`import::banner`]), body, status
//! bar, and a last line for prompts, messages or key hints; every size down to a handful of
//! cells degrades by cutting text, never by panicking.
//!
//! Widths are display widths (`unicode-width`), so Chinese names and emoji line up; control
//! characters in data are replaced before they reach the screen.

pub mod detail;
pub mod help;
pub mod import;
pub mod palette;
pub mod status;
pub mod summary;
pub mod table;

use super::action::Tab;
use super::app::{App, Load};
use super::data::{Data, Level};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use std::borrow::Cow;
use std::sync::Arc;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use wxaudit_core::model::{Platform, Severity};
use wxaudit_core::pipeline::Stage;

/// Styles that carry meaning. With `NO_COLOR` only modifiers (bold, reverse, dim) remain; every
/// coloured thing also has a word or symbol.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Critical => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::High => self.fg(Color::LightRed),
            Severity::Medium => self.fg(Color::Yellow),
            Severity::Low => self.fg(Color::Cyan),
            Severity::Info => self.fg(Color::Gray),
        }
    }

    pub fn level(&self, l: Level) -> Style {
        match l {
            Level::Bad => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Level::Warn => self.fg(Color::Yellow),
            Level::Good => self.fg(Color::Green),
            Level::Neutral => self.dim(),
        }
    }

    pub fn platform(&self, p: Platform) -> Style {
        match p {
            Platform::Weixin => self.fg(Color::Green),
            Platform::Wechat => self.fg(Color::Blue).add_modifier(Modifier::BOLD),
            Platform::Unknown => self.fg(Color::Magenta),
        }
    }

    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    pub fn highlight(&self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn bar(&self) -> Style {
        if self.color {
            Style::default().bg(Color::DarkGray).fg(Color::White)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Flag emoji are pairs of regional-indicator letters that terminals draw 1 or 2 cells wide as
/// they please, which shifts everything after them; the letters themselves (🇬🇧 → GB) always
/// line up.
fn regional_letter(c: char) -> Option<char> {
    let u = c as u32;
    (0x1F1E6..=0x1F1FF)
        .contains(&u)
        .then(|| char::from(b'A' + (u - 0x1F1E6) as u8))
}

/// Text from the file made safe for a cell: control characters, bidi overrides and marks shown
/// as `\u{…}` (see [`wxaudit_core::safe_text::terminal`]; in a ratatui cell they would corrupt the
/// screen and the width math), so one value stays on one line, and flag emoji by their country
/// letters so columns stay aligned. Every drawn text goes through here (via [`fit`], [`pad`],
/// [`wrap`] or directly).
pub fn clean(s: &str) -> Cow<'_, str> {
    let s = wxaudit_core::safe_text::terminal(s);
    if s.chars().any(|c| regional_letter(c).is_some()) {
        Cow::Owned(s.chars().map(|c| regional_letter(c).unwrap_or(c)).collect())
    } else {
        s
    }
}

/// Cuts `s` to at most `w` display columns, ending with `…` when cut.
pub fn fit(s: &str, w: usize) -> String {
    let s = clean(s);
    if width(&s) <= w {
        return s.into_owned();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// `fit` then pad with spaces to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut t = fit(s, w);
    let tw = width(&t);
    t.extend(std::iter::repeat_n(' ', w.saturating_sub(tw)));
    t
}

/// Right-aligned `pad`.
pub fn rpad(s: &str, w: usize) -> String {
    let t = fit(s, w);
    let tw = width(&t);
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(tw)).collect();
    out.push_str(&t);
    out
}

/// Wraps text to `w` columns (breaking at spaces when it can, anywhere for CJK), each line
/// prefixed by `indent` (the first by `first`).
pub fn wrap(text: &str, w: usize, first: &str, indent: &str) -> Vec<String> {
    let text = clean(text);
    let mut lines = Vec::new();
    let mut cur = first.to_string();
    let mut cur_w = width(first);
    let avail = |prefix_w: usize| w.saturating_sub(prefix_w).max(1);
    let mut words = text.split(' ').peekable();
    let start_w = cur_w;
    let mut line_start_w = start_w;
    while let Some(word) = words.next() {
        let ww = width(word);
        let sep = if cur_w > line_start_w { 1 } else { 0 };
        if cur_w + sep + ww <= w.max(line_start_w + 1) {
            if sep == 1 {
                cur.push(' ');
            }
            cur.push_str(word);
            cur_w += sep + ww;
        } else if ww <= avail(width(indent)) && cur_w > line_start_w {
            lines.push(std::mem::take(&mut cur));
            cur = format!("{indent}{word}");
            line_start_w = width(indent);
            cur_w = line_start_w + ww;
        } else {
            // Break the word by characters.
            if sep == 1 && cur_w + 1 < w {
                cur.push(' ');
                cur_w += 1;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if cur_w + cw > w.max(line_start_w + 1) {
                    lines.push(std::mem::take(&mut cur));
                    cur = indent.to_string();
                    line_start_w = width(indent);
                    cur_w = line_start_w;
                }
                cur.push(c);
                cur_w += cw;
            }
        }
        let _ = words.peek();
    }
    lines.push(cur);
    lines
}

/// Draws the whole screen.
pub fn draw(f: &mut Frame, app: &mut App) {
    let theme = Theme { color: app.color };
    let area = f.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    // What the tool could not use is named on the first screen, above everything else on it.
    let banner = match (&app.data, app.tab) {
        (Some(d), Tab::Summary) if area.height >= 8 => {
            import::banner(d, area.width as usize, &theme)
        }
        _ => Vec::new(),
    };
    let rows = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner.len() as u16),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(if area.height >= 4 { 1 } else { 0 }),
    ])
    .split(area);
    draw_tabs(f, rows[0], app, &theme);
    app.geom.banner = rows[1];
    if !banner.is_empty() {
        f.render_widget(Paragraph::new(banner), rows[1]);
    }
    let rows = [rows[0], rows[2], rows[3], rows[4]];
    let body = rows[1];
    app.geom.page = body.height.saturating_sub(1).max(1);
    app.geom.matrix_rows.clear();
    match (&app.data, &app.load) {
        (None, Load::Failed(e)) => {
            let e = e.clone();
            draw_failed(f, body, &e, &theme)
        }
        (None, _) => draw_loading(f, body, app, &theme),
        (Some(_), _) => match app.tab {
            Tab::Summary => summary::draw(f, body, app, &theme),
            Tab::Accounts => table::draw(f, body, app, super::view::TableKind::Accounts, &theme),
            Tab::Findings => table::draw(f, body, app, super::view::TableKind::Findings, &theme),
            Tab::Detail => detail::draw(f, body, app, &theme),
            Tab::Import => import::draw(f, body, app, &theme),
        },
    }
    status::draw_status(f, rows[2], app, &theme);
    if rows[3].height > 0 {
        status::draw_bottom(f, rows[3], app, &theme);
    }
    match &app.mode {
        super::app::Mode::Help { .. } => help::draw(f, area, app, &theme),
        super::app::Mode::Palette(_) => palette::draw(f, area, app, &theme),
        super::app::Mode::Picker(_) => import::draw_picker(f, area, app, &theme),
        _ => {}
    }
}

fn draw_tabs(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let mut spans = Vec::new();
    let mut x = area.x;
    app.geom.tabs.clear();
    app.geom.tabs_y = area.y;
    let long = area.width >= 60;
    if area.width >= 50 {
        let name = format!(" {} ", super::strings::APP);
        x += width(&name) as u16;
        spans.push(Span::styled(name, theme.title()));
    }
    for t in Tab::ALL {
        let label = if long || t == app.tab {
            format!(" {} {} ", t.index() + 1, t.title())
        } else {
            format!(" {} ", t.index() + 1)
        };
        let w = width(&label) as u16;
        let style = if t == app.tab {
            theme.selected().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        app.geom.tabs.push((x, x.saturating_add(w), t));
        x = x.saturating_add(w + 1);
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_loading(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let (stage, done, total) = match app.load {
        Load::Running {
            stage, done, total, ..
        } => (stage, done, total),
        _ => (Stage::Reading, 0, 0),
    };
    let spin = SPINNER[app.spinner % SPINNER.len()];
    let audited = stage == Stage::Auditing && total > 0 && done >= total;
    let what = match stage {
        Stage::Reading => "Reading and checking rows",
        Stage::Auditing if audited => "Preparing the screens",
        Stage::Auditing => "Classifying accounts and running the rules",
    };
    let bar_w = (area.width as usize).saturating_sub(12).min(50);
    let bar = if stage == Stage::Reading || total > 0 {
        let pct = (done.min(total) * 100).checked_div(total).unwrap_or(0) as usize;
        let filled = bar_w * pct / 100;
        format!(
            "{}{} {pct:>3}%",
            "█".repeat(filled),
            "░".repeat(bar_w - filled)
        )
    } else {
        // Nothing counted yet: a moving block shows it is alive.
        let block = 6.min(bar_w);
        let span = bar_w.saturating_sub(block).max(1);
        let pos = app.spinner % (2 * span);
        let pos = if pos < span { pos } else { 2 * span - pos };
        let pos = pos.min(bar_w - block);
        format!(
            "{}{}{}",
            "░".repeat(pos),
            "█".repeat(block),
            "░".repeat(bar_w - block - pos)
        )
    };
    let secs = app.load_started.elapsed().as_secs();
    let elapsed = if secs >= 2 {
        format!(" ({secs} s)")
    } else {
        String::new()
    };
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled(
            fit(&format!(" Opening {}", app.file_label), area.width as usize),
            theme.header(),
        )),
        Line::from(fit(
            &format!(" {spin} {what}…{elapsed}"),
            area.width as usize,
        )),
        Line::from(format!(" {bar}")),
        Line::from(Span::styled(
            fit(
                " The screens fill in when the audit is done; keys already work.",
                area.width as usize,
            ),
            theme.dim(),
        )),
    ];
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_failed(f: &mut Frame, area: Rect, err: &str, theme: &Theme) {
    let w = area.width as usize;
    let mut lines = vec![
        Line::from(""),
        Line::from(Span::styled(
            fit(&format!(" {}", super::strings::LOAD_FAILED), w),
            theme.error(),
        )),
    ];
    for l in wrap(err, w, " ", " ") {
        lines.push(Line::from(l));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(fit(
        &format!(" {}", super::strings::LOAD_FAILED_HINT),
        w,
    )));
    f.render_widget(Paragraph::new(lines), area);
}

/// What a screen of the loaded report draws from: the data and `area`'s width and height in
/// cells, or `None` when there is nothing to draw (no report yet, or no room).
fn loaded(app: &App, area: Rect) -> Option<(Arc<Data>, usize, usize)> {
    let data = app.data.clone()?;
    let w = area.width as usize;
    let h = area.height as usize;
    if w == 0 || h == 0 {
        return None;
    }
    Some((data, w, h))
}

/// Clears and returns a centred rectangle of at most `w`×`h` inside `area`.
pub fn popup(f: &mut Frame, area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, r);
    clear_edges(f, r);
    r
}

/// A wide (CJK) character just left of an overlay would paint over its border: blank it.
pub fn clear_edges(f: &mut Frame, r: Rect) {
    let buf = f.buffer_mut();
    let area = buf.area;
    for y in r.y..r.y.saturating_add(r.height).min(area.y + area.height) {
        if r.x > area.x {
            let c = &mut buf[(r.x - 1, y)];
            if width(c.symbol()) > 1 {
                c.set_symbol(" ");
            }
        }
        let right = r.x.saturating_add(r.width);
        if right < area.x + area.width {
            let c = &mut buf[(right, y)];
            if c.symbol().is_empty() {
                c.set_symbol(" ");
            }
        }
    }
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Marker shown next to a severity so it is never conveyed by colour alone.
pub fn severity_mark(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "‼",
        Severity::High => "!",
        Severity::Medium => "▲",
        Severity::Low => "·",
        Severity::Info => "i",
    }
}

pub fn level_mark(l: Level) -> &'static str {
    match l {
        Level::Bad => "✗",
        Level::Warn => "!",
        Level::Good => "✓",
        Level::Neutral => "·",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_and_pad_use_display_width() {
        assert_eq!(fit("阿克米茶饮官方", 6), "阿克…");
        assert_eq!(width(&fit("阿克米茶饮官方", 7)), 7);
        assert_eq!(width(&pad("😀 客服", 10)), 10);
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("a\nb", 8), "a\\u{a}b");
        assert_eq!(rpad("12", 5), "   12");
        assert_eq!(fit("Desk 🇬🇧", 10), "Desk GB");
    }

    #[test]
    fn wrap_never_exceeds_width() {
        let text = "Register a service account on the Weixin platform (mp.weixin.qq.com) — 境外主体可以注册服务号并完成海外认证";
        for w in [1, 5, 12, 30, 80] {
            for l in wrap(text, w, "Fix: ", "     ") {
                assert!(width(&l) <= w.max(7), "{w}: {l:?}");
            }
        }
    }
}
