//! The interactive audit workspace (ratatui + crossterm): Summary, Accounts, Findings, Detail and
//! Import (how the file was read, and the header mappings the user makes, re-audits with and
//! saves into `wxaudit.toml`) over the same [`wxaudit_core::audit::Report`] the headless reports use.
//!
//! Module map (after csvlens and gitui):
//! - [`app`]: all state and `update(Action)`; no terminal in it.
//! - [`action`]: the `Action` enum everything becomes.
//! - [`keymap`]: keys → actions with descriptions; the help overlay is generated from it.
//! - [`event`]: one channel for terminal input and job messages.
//! - [`jobs`]: background load/audit (via [`wxaudit_core::pipeline::run`]), filter, sort, search, export.
//! - [`data`]: indices derived once per load (findings per account, reachability matrix).
//! - [`index`]: sort ranks, the text filter, search and selection-restore speed-ups.
//! - [`view`]: columns, cell text, filter/sort into a `Vec<u32>` view, viewport.
//! - [`ui`]: drawing, one module per screen/overlay; [`strings`]: shared UI text.
//!
//! Scale: the first frame (with a progress bar) is drawn before any loading starts; on a
//! generated 1,000,000-account inventory it appears in ~0.05 s, and the screens fill in when the
//! pipeline finishes (~3–10 s on two cores, almost all of it import + audit). Then a
//! low-priority warm-up ([`index`]) makes every column's sort ranks, most likely first: the
//! findings' messages are ready ~2 s after the load, every column after ~7 s (up to twice that
//! on two cores shared with other builds). Once a column's ranks are made its sorts take ~8–60
//! ms; a sort asked for earlier waits for them (~2 s by message, ~1.6 s by evidence, under
//! 0.25 s for any other column) while the status says it is sorting. Filters take ~6–70 ms
//! (text, facets and rules alike) and a full export ~1.5 s, all in background jobs while keys
//! keep working (`cargo bench --bench tui` with `WXAUDIT_BENCH_ONE_SHOT=1` prints each figure).
//!
//! The terminal is always restored: on quit, on an error (a guard), on a panic in the UI
//! thread (a panic hook installed over ratatui's), and on SIGTERM, SIGHUP or SIGINT sent to the
//! process (a hook run by [`wxaudit_core::interrupt`]'s signal thread, which then exits 143/129/130). A panic inside a background job does not touch
//! the terminal: the job catches it and the UI shows it as an error.

pub mod action;
pub mod app;
pub mod data;
pub mod event;
#[doc(hidden)]
pub mod fixtures;
pub mod index;
pub mod jobs;
pub mod keymap;
pub mod lowered;
pub mod strings;
pub mod ui;
pub mod view;

use action::Action;
use app::App;
use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers, MouseButton, MouseEventKind,
};
use event::Event;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;
use wxaudit_core::pipeline::PipelineOptions;

/// Opens the TUI on the inventory described by `opts`. Header mappings made on the Import
/// screen are saved into `config_path` (the `--config` file), else `wxaudit.toml` in the
/// working directory.
pub fn run(opts: PipelineOptions, config_path: Option<PathBuf>) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("{}", strings::NOT_A_TERMINAL);
    }
    let mut app = App::new(opts);
    if let Some(p) = config_path {
        app.config_path = p;
    }
    run_app(app)
}

/// Runs an already-built app in the terminal (used by [`run`]; handy for demos over a report).
#[doc(hidden)]
pub fn run_app(app: App) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("{}", strings::NOT_A_TERMINAL);
    }
    let mut terminal = ratatui::try_init()?;
    let _guard = RestoreGuard;
    install_panic_hook();
    wxaudit_core::interrupt::set_exit_hook(Some(restore_for_exit));
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    event_loop(&mut terminal, app)
}

/// Restores the terminal when dropped (normal exit and `?` errors alike).
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        wxaudit_core::interrupt::set_exit_hook(None);
        restore();
    }
}

fn restore() {
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        crossterm::cursor::Show
    );
    ratatui::restore();
}

/// Run by the signal thread on SIGTERM/SIGHUP/SIGINT just before the process exits: takes
/// standard output for good (so the UI thread cannot draw over the restored screen), then
/// restores the terminal.
fn restore_for_exit() {
    std::mem::forget(std::io::stdout().lock());
    restore();
}

/// ratatui's hook restores the terminal on any panic; a panic in a background job must not
/// (the job catches it and reports an error while the UI carries on), and must not print over
/// the screen either.
fn install_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let name = std::thread::current().name().map(|s| s.to_string());
        let in_job = name.as_deref().is_some_and(|n| n.starts_with("wxaudit-")) || name.is_none();
        if in_job {
            return;
        }
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        prev(info);
    }));
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, mut app: App) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel::<Event>();
    event::spawn_input_reader(tx.clone());
    let runner = jobs::Runner::new(tx);
    for cmd in app.take_cmds() {
        runner.spawn(cmd);
    }
    loop {
        terminal.draw(|f| ui::draw(f, &mut app))?;
        let timeout = if app.busy() { 80 } else { 500 };
        let first = match rx.recv_timeout(Duration::from_millis(timeout)) {
            Ok(e) => Some(e),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        match first {
            Some(e) => handle(&mut app, e),
            None => app.update(Action::Tick),
        }
        // Take everything already waiting before drawing again (coalesces key repeats and
        // progress messages).
        while let Ok(e) = rx.try_recv() {
            handle(&mut app, e);
            if app.quit {
                break;
            }
        }
        if app.busy() {
            app.update(Action::Tick);
        }
        for cmd in app.take_cmds() {
            runner.spawn(cmd);
        }
        if app.quit {
            break;
        }
    }
    // A file that never loaded is a run that could not complete: say why once more on the
    // restored terminal, and let the CLI exit with 2.
    let failed = match &app.load {
        app::Load::Failed(e) => Some(e.clone()),
        _ => None,
    };
    // Freeing a million-account report takes a second or two: let it happen off the UI thread
    // so the terminal is restored at once (the process usually exits before it finishes).
    let _ = std::thread::Builder::new()
        .name("wxaudit-free".into())
        .spawn(move || drop(app));
    match failed {
        Some(e) => anyhow::bail!("{e}"),
        None => Ok(()),
    }
}

fn handle(app: &mut App, e: Event) {
    match e {
        Event::Job(m) => app.update(Action::Job(m)),
        Event::Input(TermEvent::Key(mut k)) if k.kind == KeyEventKind::Press => {
            // Esc quickly followed by a key arrives as Alt+key: treat it as the two presses.
            if k.modifiers.contains(KeyModifiers::ALT) && matches!(k.code, KeyCode::Char(_)) {
                let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
                if let Some(a) = keymap::lookup(&app.keymap, app.context(), &esc) {
                    app.update(a);
                }
                k.modifiers.remove(KeyModifiers::ALT);
            }
            if let Some(a) = keymap::lookup(&app.keymap, app.context(), &k) {
                app.update(a);
            }
        }
        Event::Input(TermEvent::Mouse(m)) => match m.kind {
            MouseEventKind::ScrollDown => app.update(Action::ScrollDown),
            MouseEventKind::ScrollUp => app.update(Action::ScrollUp),
            MouseEventKind::Down(MouseButton::Left) => app.update(Action::Click {
                x: m.column,
                y: m.row,
            }),
            _ => {}
        },
        Event::Input(TermEvent::Paste(s)) => {
            for c in s.chars().filter(|c| !c.is_control()) {
                app.update(Action::InputChar(c));
            }
        }
        _ => {}
    }
}
