//! Helpers shared by the `tui_*` integration tests: audit an inventory as the TUI does, and read
//! a drawn screen back as text.

use super::{sample, AS_OF};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;
use wxaudit::audit::Report;
use wxaudit::pipeline::PipelineOptions;
use wxaudit::tui::app::App;
use wxaudit::tui::ui;

/// [`AS_OF`] as a date.
pub fn as_of() -> chrono::NaiveDate {
    AS_OF.parse().expect("AS_OF is a date")
}

/// Writes `csv` to `dir/inventory.csv`; the options `wxaudit audit` runs on it as of [`AS_OF`].
pub fn inventory(dir: &Path, csv: &str) -> PipelineOptions {
    let input = dir.join("inventory.csv");
    std::fs::write(&input, csv).expect("write inventory");
    PipelineOptions {
        input,
        as_of: Some(as_of()),
        ..Default::default()
    }
}

/// The bundled Acme inventory with its profile, audited as of [`AS_OF`] by the pipeline
/// `wxaudit audit` uses.
pub fn acme_report() -> Report {
    let opts = PipelineOptions {
        input: sample("acme-accounts.csv"),
        profile: wxaudit::profile::ProfileArgs {
            file: Some(sample("acme-profile.toml")),
            ..Default::default()
        },
        as_of: Some(as_of()),
        ..Default::default()
    };
    wxaudit::pipeline::run(&opts, &|_, _, _| {}).expect("audit")
}

/// The screen as text: one line per terminal row, wide characters once, trailing blanks cut.
pub fn screen(a: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    // Draw twice, like the real loop: the first frame measures (page sizes, scroll positions).
    term.draw(|f| ui::draw(f, a)).expect("draw");
    term.draw(|f| ui::draw(f, a)).expect("draw");
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The first line of `screen` that `is` accepts; panics naming `what` and showing the screen
/// when there is none.
pub fn find_line<'a>(screen: &'a str, what: &str, is: impl Fn(&str) -> bool) -> &'a str {
    screen
        .lines()
        .find(|l| is(l))
        .unwrap_or_else(|| panic!("no {what} row:\n{screen}"))
}

/// The first line of `screen` that contains `text`.
pub fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    find_line(screen, text, |l| l.contains(text))
}
