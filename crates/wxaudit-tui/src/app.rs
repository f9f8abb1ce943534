//! The TUI's whole state and its single entry point, [`App::update`]. Keys, palette commands,
//! mouse events and job results all arrive as [`Action`]s; `update` changes the state and queues
//! [`Cmd`]s (background work) in `cmds` for the runtime to start. Nothing here touches a terminal,
//! so every behaviour is testable by calling `update` and then [`App::settle`], which runs the
//! queued work synchronously.

use super::action::{Action, JobMsg, Tab};
use super::data::{Data, FRef};
use super::jobs::{self, Cmd};
use super::keymap::{self, Binding, Context};
use super::strings as s;
use super::view::{self, Cancel, Col, Facet, Filter, Sort, TableKind, Viewport, FINDING_COLUMNS};
use ratatui::layout::Rect;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wxaudit_core::audit::Report;
use wxaudit_core::import::headers::fold_header;
use wxaudit_core::import::Overrides;
use wxaudit_core::model::{AccountType, Column, Platform, Severity};
use wxaudit_core::pipeline::{PipelineOptions, Stage};

/// One table screen's state: the view index, selection, columns and sort.
#[derive(Debug)]
pub struct TableState {
    pub kind: TableKind,
    /// Row indices (accounts or finding refs) after filter and sort.
    pub view: Arc<Vec<u32>>,
    pub vp: Viewport,
    /// Every column, in order.
    pub cols: Vec<Col>,
    pub hidden: Vec<Col>,
    /// Selected column, as an index into [`TableState::visible_cols`].
    pub col: usize,
    /// First scrolled (non-frozen) visible column drawn.
    pub hscroll: usize,
    pub sort: Option<Sort>,
    gen: Arc<AtomicU64>,
    /// A view job is running.
    pub pending: bool,
    /// The row to keep selected when the next view arrives.
    keep: Option<u32>,
    /// The current view matches the current data (false right after a load).
    pub ready: bool,
    /// Select the first row when the next view arrives (after a new sort).
    to_top: bool,
}

impl TableState {
    fn new(kind: TableKind) -> TableState {
        TableState {
            kind,
            view: Arc::new(Vec::new()),
            vp: Viewport::default(),
            cols: Vec::new(),
            hidden: Vec::new(),
            col: 0,
            hscroll: 0,
            sort: None,
            gen: Arc::new(AtomicU64::new(0)),
            pending: false,
            keep: None,
            ready: false,
            to_top: false,
        }
    }

    pub fn visible_cols(&self) -> Vec<Col> {
        self.cols
            .iter()
            .copied()
            .filter(|c| !self.hidden.contains(c))
            .collect()
    }

    /// How many leading visible columns stay put while scrolling horizontally.
    pub fn frozen(&self) -> usize {
        let vis = self.visible_cols();
        let want: &[Col] = match self.kind {
            TableKind::Accounts => &[Col::Id, Col::Name],
            TableKind::Findings => &[Col::Severity, Col::Rule],
        };
        vis.iter().take_while(|c| want.contains(c)).count()
    }

    pub fn selected_row(&self) -> Option<u32> {
        self.view.get(self.vp.sel).copied()
    }

    pub fn selected_col(&self) -> Option<Col> {
        self.visible_cols().get(self.col).copied()
    }

    fn next_gen(&self) -> Cancel {
        let mine = self.gen.fetch_add(1, Ordering::SeqCst) + 1;
        Cancel {
            current: Arc::clone(&self.gen),
            mine,
        }
    }

    fn current_gen(&self) -> u64 {
        self.gen.load(Ordering::SeqCst)
    }
}

/// What the Detail screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailTarget {
    Account(usize),
    /// A finding about a brand or the company as a whole (no account).
    Finding(FRef),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Filter,
    Export(TableKind),
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// State to go back to on Esc: (selection, filter text).
    origin: (usize, String),
}

/// A command in the palette.
#[derive(Debug, Clone)]
pub struct Command {
    pub title: String,
    pub keys: String,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub struct Palette {
    pub query: String,
    pub sel: usize,
    pub commands: Vec<Command>,
    /// Indices into `commands` matching the query, best first.
    pub matches: Vec<usize>,
}

/// What can be chosen for a header in the column picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Column(Column),
    /// Do not read the header as any column (`HEADER = "ignore"`).
    Ignore,
    /// Drop the mapping made in this session.
    Remove,
}

/// One entry of the column picker.
#[derive(Debug, Clone)]
pub struct PickItem {
    /// `type`, `ignore`, …
    pub name: String,
    /// One line about what the column holds.
    pub meaning: &'static str,
    /// "current", "suggested", "now from \"类型\"" (empty when nothing to say).
    pub note: String,
    pub choice: Choice,
}

/// The fuzzy list of columns opened with Enter on a header of the Import screen.
#[derive(Debug, Clone)]
pub struct Picker {
    /// The header as written.
    pub header: String,
    pub query: String,
    pub sel: usize,
    pub items: Vec<PickItem>,
    /// Indices into `items` matching the query, best first.
    pub matches: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum Mode {
    Normal,
    Prompt(Prompt),
    Palette(Palette),
    Picker(Picker),
    Help { scroll: u16 },
}

/// Header mappings as (header as written, column name or `ignore`).
pub type Mappings = Vec<(String, String)>;

/// The Import screen's selection and the header mappings made in this session.
#[derive(Debug, Clone, Default)]
pub struct ImportState {
    /// Selected header (index into `report.input.columns`).
    pub sel: usize,
    /// First header row drawn.
    pub offset: usize,
    /// Mappings made in this session, one per header: (header as written, column name or
    /// `ignore`), in the order they were made. They apply over `--column` and wxaudit.toml.
    pub session: Mappings,
    /// The mappings as last saved by this session.
    pub saved: Mappings,
    /// Headers whose saved mapping was removed since: removed from the file on the next save.
    pub unsave: Vec<String>,
    /// A save is running: what it writes (set, removed).
    saving: Option<(Mappings, Vec<String>)>,
    /// A re-audit for a changed mapping is running: what changed, and the checks that were not
    /// evaluated before it.
    reaudit: Option<(String, Vec<String>)>,
    /// Another change arrived while a re-audit was running: run again when it ends.
    rerun: bool,
    /// Quitting with unsaved mappings was warned about once.
    quit_warned: bool,
}

impl ImportState {
    fn find(list: &[(String, String)], header: &str) -> Option<usize> {
        let key = fold_header(header);
        list.iter().position(|(h, _)| fold_header(h) == key)
    }

    /// The column (or `ignore`) this session chose for `header`.
    pub fn mapping(&self, header: &str) -> Option<&str> {
        Self::find(&self.session, header).map(|i| self.session[i].1.as_str())
    }

    /// True when this session's mapping for `header` is not in the file yet.
    pub fn is_unsaved(&self, header: &str) -> bool {
        match Self::find(&self.session, header) {
            Some(i) => {
                Self::find(&self.saved, header).map(|j| &self.saved[j].1)
                    != Some(&self.session[i].1)
            }
            None => false,
        }
    }

    /// Changes not saved yet: mappings made or changed, saved mappings removed.
    pub fn unsaved(&self) -> usize {
        self.session
            .iter()
            .filter(|(h, _)| self.is_unsaved(h))
            .count()
            + self.unsave.len()
    }

    pub fn saving(&self) -> bool {
        self.saving.is_some()
    }

    /// A re-audit for a changed mapping is running.
    pub fn reauditing(&self) -> bool {
        self.reaudit.is_some()
    }

    fn set(&mut self, header: &str, target: &str) {
        match Self::find(&self.session, header) {
            Some(i) => self.session[i].1 = target.to_string(),
            None => self.session.push((header.to_string(), target.to_string())),
        }
        let key = fold_header(header);
        self.unsave.retain(|h| fold_header(h) != key);
    }

    /// Removes this session's mapping for `header`; false when there was none.
    fn remove(&mut self, header: &str) -> bool {
        let Some(i) = Self::find(&self.session, header) else {
            return false;
        };
        self.session.remove(i);
        if Self::find(&self.saved, header).is_some() {
            self.unsave.push(header.to_string());
        }
        true
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgLevel {
    Info,
    Error,
}

/// Loading state of the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Idle,
    Running {
        stage: Stage,
        done: u64,
        total: u64,
        reload: bool,
    },
    Failed(String),
}

/// Screen geometry from the last frame, for mouse hits and page sizes.
#[derive(Debug, Clone, Default)]
pub struct Geom {
    /// (x range, tab) of each tab title.
    pub tabs: Vec<(u16, u16, Tab)>,
    pub tabs_y: u16,
    /// The banner on the first screen (a click opens the Import screen).
    pub banner: Rect,
    /// Where table rows are drawn (first row at `rows.y`).
    pub rows: Rect,
    /// Summary: screen row → matrix row.
    pub matrix_rows: Vec<(u16, usize)>,
    /// Height of the scrolling area of the current screen.
    pub page: u16,
    /// Summary selection and height at the last frame (scroll follows the selection only when
    /// it moves or the window is resized).
    pub last_summary_sel: Option<(usize, usize)>,
}

/// What a reload selects again, by label and fingerprint: the accounts row, the findings row
/// (rule id, fingerprint) and the detail.
#[derive(Debug, Clone)]
struct Restore {
    account: Option<String>,
    finding: Option<(String, String)>,
    detail: Option<RestoreDetail>,
}

#[derive(Debug, Clone)]
enum RestoreDetail {
    Account(String),
    Finding((String, String)),
}

pub struct App {
    pub opts: Option<PipelineOptions>,
    pub file_label: String,
    pub data: Option<Arc<Data>>,
    pub load: Load,
    /// When the current load started (for the elapsed time on the loading screen).
    pub load_started: std::time::Instant,
    pub tab: Tab,
    pub prev_tab: Tab,
    pub filter: Filter,
    /// The active search query (highlighted; `n`/`N` jump).
    pub search: String,
    search_gen: Arc<AtomicU64>,
    /// The view a running search scans (its answer is a position in that view).
    search_view: Option<Arc<Vec<u32>>>,
    pub accounts: TableState,
    pub findings: TableState,
    pub summary_sel: usize,
    pub summary_scroll: u16,
    pub detail: Option<DetailTarget>,
    pub detail_scroll: u16,
    pub mode: Mode,
    pub message: Option<(String, MsgLevel)>,
    /// User actions since the message was set.
    message_ticks: u32,
    message_at: std::time::Instant,
    pub exporting: bool,
    pub searching: bool,
    pub spinner: usize,
    pub quit: bool,
    /// Colours on (off when `NO_COLOR` is set).
    pub color: bool,
    pub geom: Geom,
    pub keymap: Vec<Binding>,
    /// Work for the runtime to start.
    pub cmds: VecDeque<Cmd>,
    /// An export waiting for a filter/sort to finish.
    deferred_export: Option<(TableKind, PathBuf)>,
    /// What to select again after a reload (row indices mean nothing in the new data).
    restore: Option<Restore>,
    /// The Import screen and the header mappings made in this session.
    pub import: ImportState,
    /// Where `s` on the Import screen saves the mappings: the `--config` file, else
    /// `wxaudit.toml` in the working directory.
    pub config_path: PathBuf,
}

impl App {
    fn blank(file_label: String) -> App {
        App {
            opts: None,
            file_label,
            data: None,
            load: Load::Idle,
            load_started: std::time::Instant::now(),
            tab: Tab::Summary,
            prev_tab: Tab::Summary,
            filter: Filter::default(),
            search: String::new(),
            search_gen: Arc::new(AtomicU64::new(0)),
            search_view: None,
            accounts: TableState::new(TableKind::Accounts),
            findings: TableState::new(TableKind::Findings),
            summary_sel: 0,
            summary_scroll: 0,
            detail: None,
            detail_scroll: 0,
            mode: Mode::Normal,
            message: None,
            message_ticks: 0,
            message_at: std::time::Instant::now(),
            exporting: false,
            searching: false,
            spinner: 0,
            quit: false,
            color: super::ui::Theme::from_env().color,
            geom: Geom::default(),
            keymap: keymap::bindings(),
            cmds: VecDeque::new(),
            restore: None,
            deferred_export: None,
            import: ImportState::default(),
            config_path: PathBuf::from(wxaudit_core::config::DEFAULT_FILE),
        }
    }

    /// A new app that starts loading `opts.input` in the background.
    pub fn new(opts: PipelineOptions) -> App {
        let label = opts
            .input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| opts.input.display().to_string());
        let mut app = App::blank(label);
        app.load = Load::Running {
            stage: Stage::Reading,
            done: 0,
            total: 0,
            reload: false,
        };
        app.cmds.push_back(Cmd::Load(Box::new(opts.clone())));
        app.opts = Some(opts);
        app
    }

    /// An app over an already-built report (tests, and anything that has a report in hand).
    pub fn from_report(report: Report, file_label: &str) -> App {
        let mut app = App::blank(file_label.to_string());
        app.update(Action::Job(JobMsg::Loaded(Ok(Arc::new(Data::build(
            report,
            Duration::ZERO,
        ))))));
        app
    }

    /// Runs queued work synchronously until none is left (tests).
    pub fn settle(&mut self) {
        while let Some(cmd) = self.cmds.pop_front() {
            if let Some(m) = jobs::execute(cmd, &|_| {}) {
                self.update(Action::Job(m));
            }
        }
    }

    pub fn take_cmds(&mut self) -> Vec<Cmd> {
        self.cmds.drain(..).collect()
    }

    pub fn context(&self) -> Context {
        match self.mode {
            Mode::Normal if self.tab == Tab::Import => Context::Import,
            Mode::Normal => Context::Normal,
            Mode::Prompt(_) | Mode::Palette(_) | Mode::Picker(_) => Context::Prompt,
            Mode::Help { .. } => Context::Help,
        }
    }

    pub fn table(&self, k: TableKind) -> &TableState {
        match k {
            TableKind::Accounts => &self.accounts,
            TableKind::Findings => &self.findings,
        }
    }

    fn table_mut(&mut self, k: TableKind) -> &mut TableState {
        match k {
            TableKind::Accounts => &mut self.accounts,
            TableKind::Findings => &mut self.findings,
        }
    }

    /// The table on the current screen, if it has one.
    pub fn current_table(&self) -> Option<TableKind> {
        match self.tab {
            Tab::Accounts => Some(TableKind::Accounts),
            Tab::Findings => Some(TableKind::Findings),
            _ => None,
        }
    }

    pub fn busy(&self) -> bool {
        matches!(self.load, Load::Running { .. })
            || self.accounts.pending
            || self.findings.pending
            || self.exporting
            || self.searching
            || self.import.saving()
    }

    pub fn set_message(&mut self, text: impl Into<String>, level: MsgLevel) {
        self.message = Some((text.into(), level));
        self.message_ticks = 0;
        self.message_at = std::time::Instant::now();
    }

    fn page(&self) -> usize {
        (self.geom.page as usize).max(1)
    }

    /// Starts recomputing a table's view with the current filter and sort.
    fn refresh(&mut self, k: TableKind) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let filter = self.filter.clone();
        let t = self.table_mut(k);
        if t.keep.is_none() && !t.to_top {
            t.keep = t.selected_row();
        }
        let cancel = t.next_gen();
        t.pending = true;
        let sort = t.sort;
        self.cmds.push_back(Cmd::View {
            table: k,
            data,
            filter,
            sort,
            cancel,
        });
    }

    fn refresh_all(&mut self) {
        self.refresh(TableKind::Accounts);
        self.refresh(TableKind::Findings);
    }

    fn set_filter(&mut self, f: Filter) {
        if f != self.filter {
            self.filter = f;
            self.refresh_all();
        }
    }

    /// Handles one action. Background work is queued in `cmds`.
    pub fn update(&mut self, action: Action) {
        if !matches!(action, Action::Tick | Action::Job(_)) {
            self.message_ticks = self.message_ticks.saturating_add(1);
        }
        match self.mode.clone() {
            Mode::Prompt(p) if !matches!(action, Action::Job(_) | Action::Tick) => {
                return self.update_prompt(p, action);
            }
            list @ (Mode::Palette(_) | Mode::Picker(_))
                if !matches!(action, Action::Job(_) | Action::Tick) =>
            {
                return self.update_list(list, action);
            }
            Mode::Help { scroll } if !matches!(action, Action::Job(_) | Action::Tick) => {
                let page = self.page() as u16;
                self.mode = match action {
                    Action::Up | Action::ScrollUp => Mode::Help {
                        scroll: scroll.saturating_sub(1),
                    },
                    Action::Down | Action::ScrollDown => Mode::Help {
                        scroll: scroll.saturating_add(1),
                    },
                    Action::PageUp => Mode::Help {
                        scroll: scroll.saturating_sub(page),
                    },
                    Action::PageDown => Mode::Help {
                        scroll: scroll.saturating_add(page),
                    },
                    Action::Top => Mode::Help { scroll: 0 },
                    Action::Bottom => Mode::Help { scroll: u16::MAX },
                    Action::Quit => {
                        self.quit = true;
                        Mode::Normal
                    }
                    _ => Mode::Normal,
                };
                return;
            }
            _ => {}
        }
        match action {
            Action::Quit => {
                // Mappings chosen here are work: say so once before they are lost.
                let n = self.import.unsaved();
                if n > 0 && !self.import.quit_warned {
                    self.import.quit_warned = true;
                    self.set_message(
                        format!(
                            "{n} mapping change{} not saved: s on the Import screen saves {}; q again quits",
                            if n == 1 { "" } else { "s" },
                            if n == 1 { "it" } else { "them" }
                        ),
                        MsgLevel::Error,
                    );
                } else {
                    self.quit = true;
                }
            }
            Action::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
            }
            Action::Job(m) => self.on_job(m),
            Action::NextTab => self.go_tab(Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()]),
            Action::PrevTab => {
                self.go_tab(Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()])
            }
            Action::GoTab(t) => self.go_tab(t),
            Action::Up => self.move_rows(-1),
            Action::Down => self.move_rows(1),
            Action::ScrollUp => self.move_rows(-3),
            Action::ScrollDown => self.move_rows(3),
            Action::PageUp => self.move_rows(-(self.page() as isize)),
            Action::PageDown => self.move_rows(self.page() as isize),
            Action::Top => self.move_rows(isize::MIN / 2),
            Action::Bottom => self.move_rows(isize::MAX / 2),
            Action::Left => self.move_col(-1),
            Action::Right => self.move_col(1),
            Action::Enter => self.enter(),
            Action::Back => {
                if self.tab == Tab::Detail {
                    let t = if self.prev_tab == Tab::Detail {
                        Tab::Accounts
                    } else {
                        self.prev_tab
                    };
                    self.tab = t;
                } else {
                    self.clear_filter();
                }
            }
            Action::Search => self.open_prompt(PromptKind::Search),
            Action::Filter => self.open_prompt(PromptKind::Filter),
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            Action::Facets => self.open_palette("filter "),
            Action::Palette => self.open_palette(""),
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::CycleSeverity => {
                let next = match self.filter.min_severity {
                    None => Some(Severity::Critical),
                    Some(Severity::Critical) => Some(Severity::High),
                    Some(Severity::High) => Some(Severity::Medium),
                    Some(Severity::Medium) => Some(Severity::Low),
                    Some(_) => None,
                };
                self.set_facet(Facet::Severity(next));
            }
            Action::CyclePlatform => {
                let next = match self.filter.platform {
                    None => Some(Platform::Weixin),
                    Some(Platform::Weixin) => Some(Platform::Wechat),
                    Some(Platform::Wechat) => Some(Platform::Unknown),
                    Some(Platform::Unknown) => None,
                };
                self.set_facet(Facet::Platform(next));
            }
            Action::ClearFilter => self.clear_filter(),
            Action::SetFacet(f) => self.set_facet(f),
            Action::Sort => {
                if let Some(k) = self.current_table() {
                    if let Some(c) = self.table(k).selected_col() {
                        let desc = match self.table(k).sort {
                            Some(s) if s.col == c => !s.desc,
                            _ => c.numeric(),
                        };
                        self.sort_by(k, c, desc);
                    }
                } else {
                    self.set_message(s::SORT_WHERE, MsgLevel::Info);
                }
            }
            Action::SortBy(k, c, desc) => self.sort_by(k, c, desc),
            Action::HideColumn => self.hide_column(),
            Action::ShowAllColumns => {
                if let Some(k) = self.current_table() {
                    self.table_mut(k).hidden.clear();
                }
            }
            Action::ToggleColumn(c) => {
                let t = &mut self.accounts;
                if let Some(p) = t.hidden.iter().position(|h| *h == c) {
                    t.hidden.remove(p);
                } else if t.visible_cols().len() > 1 {
                    t.hidden.push(c);
                }
                let n = t.visible_cols().len();
                t.col = t.col.min(n.saturating_sub(1));
            }
            Action::Export => self.start_export(),
            Action::Reload => self.reload(),
            Action::SaveMappings => self.save_mappings(),
            Action::RemoveMapping => self.remove_mapping(),
            Action::Click { x, y } => self.click(x, y),
            Action::InputChar(_)
            | Action::InputBackspace
            | Action::InputClear
            | Action::InputDeleteWord
            | Action::Submit
            | Action::Cancel => {}
        }
    }

    fn go_tab(&mut self, t: Tab) {
        if t == Tab::Detail && self.tab != Tab::Detail {
            self.prev_tab = self.tab;
            if self.tab == Tab::Findings {
                self.open_finding_detail();
                return;
            }
            if self.detail.is_none() || self.tab == Tab::Accounts {
                if let Some(r) = self.accounts.selected_row() {
                    self.set_detail(DetailTarget::Account(r as usize));
                }
            }
        }
        self.tab = t;
    }

    fn set_detail(&mut self, t: DetailTarget) {
        if self.detail != Some(t) {
            self.detail_scroll = 0;
        }
        self.detail = Some(t);
    }

    fn move_rows(&mut self, delta: isize) {
        match self.tab {
            // Paging and the wheel scroll the page (to reach the sections below the matrix);
            // single steps and Home/End move the matrix selection, which the page follows.
            Tab::Summary if delta.abs() >= 3 && delta.abs() < isize::MAX / 4 => {
                let s = (self.summary_scroll as isize).saturating_add(delta);
                self.summary_scroll = s.clamp(0, u16::MAX as isize) as u16;
            }
            Tab::Summary => {
                let n = self.data.as_ref().map(|d| d.matrix.len()).unwrap_or(0);
                if n > 0 {
                    let s = (self.summary_sel as isize).saturating_add(delta);
                    self.summary_sel = s.clamp(0, n as isize - 1) as usize;
                }
            }
            Tab::Detail => {
                let s = (self.detail_scroll as isize).saturating_add(delta);
                self.detail_scroll = s.clamp(0, u16::MAX as isize) as u16;
            }
            Tab::Accounts | Tab::Findings => {
                let k = self.current_table().unwrap_or(TableKind::Accounts);
                let t = self.table_mut(k);
                let len = t.view.len();
                t.vp.move_by(delta, len);
            }
            Tab::Import => {
                let n = self
                    .data
                    .as_ref()
                    .map(|d| d.report.input.columns.len())
                    .unwrap_or(0);
                if n > 0 {
                    let s = (self.import.sel as isize).saturating_add(delta);
                    self.import.sel = s.clamp(0, n as isize - 1) as usize;
                }
            }
        }
    }

    fn move_col(&mut self, delta: isize) {
        if let Some(k) = self.current_table() {
            let t = self.table_mut(k);
            let n = t.visible_cols().len();
            if n > 0 {
                t.col = (t.col as isize + delta).clamp(0, n as isize - 1) as usize;
            }
        }
    }

    fn enter(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        match self.tab {
            Tab::Summary => {
                let Some(row) = data.matrix.get(self.summary_sel) else {
                    return;
                };
                let mut f = self.filter.clone();
                f.market = Some(row.market.clone());
                f.brand = row.brand.clone();
                self.set_filter(f);
                let what = match &row.brand {
                    Some(b) => format!("{} · {b}", row.market),
                    None => row.market.to_string(),
                };
                self.set_message(
                    format!(
                        "Accounts aimed at {what}. Enter on one shows why; x clears the filter."
                    ),
                    MsgLevel::Info,
                );
                self.tab = Tab::Accounts;
            }
            Tab::Accounts => {
                if let Some(r) = self.accounts.selected_row() {
                    self.prev_tab = Tab::Accounts;
                    self.set_detail(DetailTarget::Account(r as usize));
                    self.tab = Tab::Detail;
                }
            }
            Tab::Findings => {
                self.prev_tab = Tab::Findings;
                self.open_finding_detail();
            }
            Tab::Import => self.open_picker(),
            Tab::Detail => {
                if let Some(DetailTarget::Finding(r)) = self.detail {
                    let f = data.finding(r);
                    let flt = Filter {
                        brand: f.brand(&data.report.accounts).map(Into::into),
                        market: f.market.map(|m| m.as_str().into()),
                        ..Filter::default()
                    };
                    self.set_filter(flt);
                    self.tab = Tab::Accounts;
                }
            }
        }
    }

    fn open_finding_detail(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if let Some(r) = self.findings.selected_row() {
            match data.finding_account(r) {
                Some(a) => self.set_detail(DetailTarget::Account(a)),
                None => self.set_detail(DetailTarget::Finding(r)),
            }
            self.tab = Tab::Detail;
        }
    }

    fn clear_filter(&mut self) {
        self.search.clear();
        self.set_filter(Filter::default());
    }

    /// Sets one facet. From Summary or Detail, where a filter has nothing to narrow, it also
    /// shows the table it narrows: severity and rule filters show findings, the rest accounts.
    fn set_facet(&mut self, f: Facet) {
        let to = match (&f, self.tab) {
            (_, Tab::Accounts | Tab::Findings) => None,
            (Facet::Severity(Some(_)) | Facet::Rule(Some(_)), _) => Some(Tab::Findings),
            (Facet::Severity(None) | Facet::Rule(None), _) => None,
            (_, _) => Some(Tab::Accounts),
        };
        let mut nf = self.filter.clone();
        nf.set(f);
        self.set_filter(nf);
        if let Some(t) = to {
            self.go_tab(t);
        }
    }

    fn sort_by(&mut self, k: TableKind, c: Col, desc: bool) {
        let t = self.table_mut(k);
        t.sort = Some(Sort { col: c, desc });
        t.to_top = true;
        t.keep = None;
        self.refresh(k);
    }

    fn hide_column(&mut self) {
        let Some(k) = self.current_table() else {
            return;
        };
        let t = self.table_mut(k);
        let vis = t.visible_cols();
        if vis.len() <= 1 {
            return;
        }
        if let Some(c) = vis.get(t.col) {
            t.hidden.push(*c);
            t.col = t.col.min(vis.len() - 2);
            let name = c.header(None).into_owned();
            self.set_message(
                format!("Hid column {name}. C shows all columns."),
                MsgLevel::Info,
            );
        }
    }

    fn open_prompt(&mut self, kind: PromptKind) {
        if matches!(kind, PromptKind::Search | PromptKind::Filter) && self.current_table().is_none()
        {
            self.tab = Tab::Accounts;
        }
        let origin_sel = self
            .current_table()
            .map(|k| self.table(k).vp.sel)
            .unwrap_or(0);
        let text = match kind {
            PromptKind::Search => String::new(),
            PromptKind::Filter => self.filter.text.clone(),
            PromptKind::Export(k) => self.default_export_name(k),
        };
        self.mode = Mode::Prompt(Prompt {
            kind,
            text,
            origin: (origin_sel, self.filter.text.clone()),
        });
        if kind == PromptKind::Search {
            self.search.clear();
        }
    }

    fn update_prompt(&mut self, mut p: Prompt, action: Action) {
        let edited = match action {
            Action::InputChar(c) => {
                p.text.push(c);
                true
            }
            Action::InputBackspace => {
                p.text.pop();
                true
            }
            Action::InputClear => {
                p.text.clear();
                true
            }
            Action::InputDeleteWord => {
                let t = p.text.trim_end().to_string();
                let cut = t.rfind(' ').map(|i| i + 1).unwrap_or(0);
                p.text.truncate(cut);
                true
            }
            Action::Quit => {
                self.quit = true;
                return;
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                match p.kind {
                    PromptKind::Search => {
                        self.search.clear();
                        self.searching = false;
                        self.search_gen.fetch_add(1, Ordering::SeqCst);
                        if let Some(k) = self.current_table() {
                            self.table_mut(k).vp.sel = p.origin.0;
                        }
                    }
                    PromptKind::Filter => {
                        let mut f = self.filter.clone();
                        f.text = p.origin.1.clone();
                        self.set_filter(f);
                    }
                    PromptKind::Export(_) => {}
                }
                return;
            }
            Action::Submit => {
                self.mode = Mode::Normal;
                match p.kind {
                    PromptKind::Search => {
                        self.search = p.text.trim().to_string();
                    }
                    PromptKind::Filter => {}
                    PromptKind::Export(k) => self.export_to(k, p.text.trim()),
                }
                return;
            }
            _ => false,
        };
        if edited {
            match p.kind {
                PromptKind::Search => {
                    self.search = p.text.trim().to_string();
                    self.start_search(p.origin.0, true, true);
                }
                PromptKind::Filter => {
                    let mut f = self.filter.clone();
                    f.text = p.text.clone();
                    self.set_filter(f);
                }
                PromptKind::Export(_) => {}
            }
        }
        self.mode = Mode::Prompt(p);
    }

    fn start_search(&mut self, from: usize, forward: bool, include_from: bool) {
        let (Some(k), Some(data)) = (self.current_table(), self.data.clone()) else {
            return;
        };
        let mine = self.search_gen.fetch_add(1, Ordering::SeqCst) + 1;
        let cancel = Cancel {
            current: Arc::clone(&self.search_gen),
            mine,
        };
        if self.search.is_empty() {
            self.searching = false;
            return;
        }
        self.searching = true;
        let view = Arc::clone(&self.table(k).view);
        self.search_view = Some(Arc::clone(&view));
        self.cmds.push_back(Cmd::Search {
            table: k,
            data,
            view,
            query: self.search.clone(),
            from,
            forward,
            include_from,
            cancel,
        });
    }

    fn search_step(&mut self, forward: bool) {
        if self.search.is_empty() {
            self.set_message(s::NO_SEARCH, MsgLevel::Info);
            return;
        }
        if self.current_table().is_none() {
            self.tab = Tab::Accounts;
        }
        let from = self
            .current_table()
            .map(|k| self.table(k).vp.sel)
            .unwrap_or(0);
        self.start_search(from, forward, false);
    }

    fn open_palette(&mut self, query: &str) {
        let commands = self.palette_commands();
        self.open_list(Mode::Palette(Palette {
            query: query.to_string(),
            sel: 0,
            commands,
            matches: Vec::new(),
        }));
    }

    /// Shows a fuzzy list (the palette, the column picker), ranked for its query.
    fn open_list(&mut self, mut list: Mode) {
        rank_list(&mut list);
        self.mode = list;
    }

    /// A key in a fuzzy list (the palette, the column picker): typing edits the query (and ranks
    /// the list again), arrows and the wheel move the selection, Esc closes the list, quit quits
    /// and Enter closes it and runs the selected entry.
    fn update_list(&mut self, mut list: Mode, action: Action) {
        // Ctrl-W cuts back to a word; column names are words joined by `_`.
        let word_breaks: &[char] = match list {
            Mode::Picker(_) => &[' ', '_'],
            _ => &[' '],
        };
        let Some((query, sel, len)) = list_state(&mut list) else {
            return;
        };
        let edited = match action {
            Action::InputChar(c) => {
                query.push(c);
                true
            }
            Action::InputBackspace => {
                query.pop();
                true
            }
            Action::InputClear => {
                query.clear();
                true
            }
            Action::InputDeleteWord => {
                let t = query.trim_end().to_string();
                let cut = t.rfind(word_breaks).map(|i| i + 1).unwrap_or(0);
                query.truncate(cut);
                true
            }
            Action::Up | Action::ScrollUp => {
                *sel = sel.saturating_sub(1);
                false
            }
            Action::Down | Action::ScrollDown => {
                if *sel + 1 < len {
                    *sel += 1;
                }
                false
            }
            Action::Quit => {
                self.quit = true;
                return;
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                return;
            }
            Action::Submit => {
                self.mode = Mode::Normal;
                return self.run_selected(list);
            }
            _ => false,
        };
        if edited {
            rank_list(&mut list);
        }
        self.mode = list;
    }

    /// Enter in a fuzzy list: runs the palette's command, or applies the picker's choice.
    fn run_selected(&mut self, list: Mode) {
        match list {
            Mode::Palette(p) => {
                if let Some(c) = p.matches.get(p.sel).and_then(|&i| p.commands.get(i)) {
                    self.update(c.action.clone());
                }
            }
            Mode::Picker(p) => {
                if let Some(it) = p.matches.get(p.sel).and_then(|&i| p.items.get(i)) {
                    self.apply_choice(&p.header, it.choice);
                }
            }
            _ => {}
        }
    }

    /// Every command the palette offers: all key bindings plus filters, sorts and columns.
    pub fn palette_commands(&self) -> Vec<Command> {
        let mut v = Vec::new();
        for b in &self.keymap {
            let skip = match b.context {
                Context::Normal => {
                    matches!(b.action, Action::Up | Action::Down | Action::Palette)
                }
                // Enter needs a selected header; the palette has none.
                Context::Import => matches!(b.action, Action::Enter),
                Context::Prompt | Context::Help => true,
            };
            if skip {
                continue;
            }
            v.push(Command {
                title: capitalise(b.help),
                keys: b.keys.first().map(|k| k.label()).unwrap_or_default(),
                action: b.action.clone(),
            });
        }
        let f = |t: String, a: Facet| Command {
            title: t,
            keys: String::new(),
            action: Action::SetFacet(a),
        };
        v.push(f(
            "filter severity: critical only".into(),
            Facet::Severity(Some(Severity::Critical)),
        ));
        for sv in [Severity::High, Severity::Medium, Severity::Low] {
            v.push(f(
                format!("filter severity: {sv} or worse"),
                Facet::Severity(Some(sv)),
            ));
        }
        for p in Platform::ALL {
            v.push(f(
                format!("filter platform: {}", p.label()),
                Facet::Platform(Some(p)),
            ));
        }
        for t in AccountType::ALL {
            v.push(f(format!("filter type: {t}"), Facet::Type(Some(t))));
        }
        if let Some(d) = &self.data {
            for b in d.brands.iter().take(500) {
                v.push(f(
                    format!("filter brand: {b}"),
                    Facet::Brand(Some(b.clone())),
                ));
            }
            for m in d.markets.iter().take(300) {
                let name = super::data::market_name(m);
                v.push(f(
                    format!("filter market: {m} {name}").trim_end().to_string(),
                    Facet::Market(Some(m.clone())),
                ));
            }
            for r in &d.rules {
                v.push(f(format!("filter rule: {r}"), Facet::Rule(Some(r.clone()))));
            }
        }
        for (name, facet) in [
            ("severity", Facet::Severity(None)),
            ("platform", Facet::Platform(None)),
            ("type", Facet::Type(None)),
            ("brand", Facet::Brand(None)),
            ("market", Facet::Market(None)),
            ("rule", Facet::Rule(None)),
        ] {
            v.push(f(format!("filter {name}: any (remove)"), facet));
        }
        for k in [TableKind::Accounts, TableKind::Findings] {
            let t = self.table(k);
            let what = match k {
                TableKind::Accounts => "accounts",
                TableKind::Findings => "findings",
            };
            for c in t.visible_cols() {
                let h = c.header(self.data.as_deref());
                v.push(Command {
                    title: format!("sort {what} by {h}, ascending"),
                    keys: String::new(),
                    action: Action::SortBy(k, c, false),
                });
                v.push(Command {
                    title: format!("sort {what} by {h}, descending"),
                    keys: String::new(),
                    action: Action::SortBy(k, c, true),
                });
            }
        }
        for c in &self.accounts.cols {
            let h = c.header(self.data.as_deref());
            let verb = if self.accounts.hidden.contains(c) {
                "show"
            } else {
                "hide"
            };
            v.push(Command {
                title: format!("{verb} column {h}"),
                keys: String::new(),
                action: Action::ToggleColumn(*c),
            });
        }
        v
    }

    fn default_export_name(&self, k: TableKind) -> String {
        let stem = self
            .opts
            .as_ref()
            .and_then(|o| o.input.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "wxaudit".into());
        let what = match k {
            TableKind::Accounts => "accounts",
            TableKind::Findings => "findings",
        };
        let mut name = format!("{stem}-{what}");
        if let Some(sv) = self.filter.min_severity {
            name.push('-');
            name.push_str(sv.as_str());
        }
        if self.filter != Filter::default()
            && (self.filter.min_severity.is_none()
                || Filter {
                    min_severity: None,
                    ..self.filter.clone()
                } != Filter::default())
        {
            name.push_str("-filtered");
        }
        let mut candidate = format!("{name}.csv");
        let mut n = 2;
        while std::path::Path::new(&candidate).exists() && n < 1000 {
            candidate = format!("{name}-{n}.csv");
            n += 1;
        }
        candidate
    }

    fn start_export(&mut self) {
        match self.current_table() {
            Some(k) if self.data.is_some() => self.open_prompt(PromptKind::Export(k)),
            Some(_) => self.set_message(s::NOTHING_LOADED, MsgLevel::Info),
            None => self.set_message(s::EXPORT_WHERE, MsgLevel::Info),
        }
    }

    fn export_to(&mut self, k: TableKind, path: &str) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if path.is_empty() {
            self.set_message(s::EXPORT_NO_PATH, MsgLevel::Error);
            return;
        }
        // `~/…` means the home folder, as in a shell.
        let mut path = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(path),
        };
        // A folder means "put the file there, with the usual name".
        if path.is_dir() {
            path = path.join(self.default_export_name(k));
        }
        if path.extension().is_none() {
            path.set_extension("csv");
        }
        // Never over a file this session reads (the inventory, profile, rules, …).
        if let Some(opts) = &self.opts {
            let inputs = wxaudit_core::output_guard::Inputs::of(opts, Some(&self.config_path));
            if let Some(msg) = inputs.clash(&path) {
                self.set_message(format!("Not exported: {msg}"), MsgLevel::Error);
                return;
            }
        }
        self.exporting = true;
        if self.table(k).pending || !self.table(k).ready {
            // The rows on screen are about to change: export them once they have.
            self.deferred_export = Some((k, path));
            return;
        }
        let view = Arc::clone(&self.table(k).view);
        let cols = self.table(k).visible_cols();
        self.exporting = true;
        self.cmds.push_back(Cmd::Export {
            path,
            table: k,
            data,
            view,
            cols,
        });
    }

    /// The options a load uses: the ones the TUI was opened with, and the header mappings made
    /// in this session over their `--column`/wxaudit.toml ones.
    pub fn effective_opts(&self) -> Option<Result<PipelineOptions, String>> {
        let mut opts = self.opts.clone()?;
        if !self.import.session.is_empty() {
            match Overrides::parse(&self.import.session, "your mappings") {
                Ok(o) => opts.import.columns.extend(o),
                Err(e) => return Some(Err(e.to_string())),
            }
        }
        Some(Ok(opts))
    }

    fn reload(&mut self) {
        let opts = match self.effective_opts() {
            None => {
                self.set_message(s::NO_FILE_TO_RELOAD, MsgLevel::Info);
                return;
            }
            Some(Err(e)) => {
                self.import.reaudit = None;
                self.set_message(e, MsgLevel::Error);
                return;
            }
            Some(Ok(o)) => o,
        };
        if matches!(self.load, Load::Running { .. }) {
            if self.import.reaudit.is_some() {
                self.import.rerun = true;
            }
            return;
        }
        let data = self.data.clone();
        let acc_label = data.as_ref().and_then(|d| {
            self.accounts
                .selected_row()
                .and_then(|r| d.report.accounts.get(r as usize))
                .map(|a| a.label())
        });
        let key = |d: &Data, r: FRef| {
            let f = d.finding(r);
            (f.rule_id.to_string(), d.report.fingerprint(f).to_string())
        };
        let fin = data
            .as_ref()
            .and_then(|d| self.findings.selected_row().map(|r| key(d, r)));
        let det = data.as_ref().and_then(|d| match self.detail {
            Some(DetailTarget::Account(i)) => d
                .report
                .accounts
                .get(i)
                .map(|a| RestoreDetail::Account(a.label())),
            Some(DetailTarget::Finding(r)) => Some(RestoreDetail::Finding(key(d, r))),
            None => None,
        });
        self.restore = Some(Restore {
            account: acc_label,
            finding: fin,
            detail: det,
        });
        self.load = Load::Running {
            stage: Stage::Reading,
            done: 0,
            total: 0,
            reload: true,
        };
        self.load_started = std::time::Instant::now();
        self.cmds.push_back(Cmd::Load(Box::new(opts)));
    }

    fn click(&mut self, x: u16, y: u16) {
        if !matches!(self.mode, Mode::Normal) {
            return;
        }
        if y == self.geom.tabs_y {
            if let Some(&(_, _, t)) = self
                .geom
                .tabs
                .iter()
                .find(|(a, b, _)| (*a..*b).contains(&x))
            {
                self.go_tab(t);
            }
            return;
        }
        let b = self.geom.banner;
        if b.height > 0 && y >= b.y && y < b.y + b.height {
            self.go_tab(Tab::Import);
            return;
        }
        match self.tab {
            Tab::Summary => {
                if let Some(&(_, i)) = self.geom.matrix_rows.iter().find(|(ry, _)| *ry == y) {
                    self.summary_sel = i;
                }
            }
            Tab::Accounts | Tab::Findings => {
                let r = self.geom.rows;
                if y >= r.y && y < r.y + r.height && x >= r.x && x < r.x + r.width {
                    let k = self.current_table().unwrap_or(TableKind::Accounts);
                    let t = self.table_mut(k);
                    let pos = t.vp.offset + (y - r.y) as usize;
                    if pos < t.view.len() {
                        t.vp.sel = pos;
                    }
                }
            }
            Tab::Import => {
                let r = self.geom.rows;
                let n = self
                    .data
                    .as_ref()
                    .map(|d| d.report.input.columns.len())
                    .unwrap_or(0);
                if y >= r.y && y < r.y + r.height && x >= r.x && x < r.x + r.width {
                    let pos = self.import.offset + (y - r.y) as usize;
                    if pos < n {
                        self.import.sel = pos;
                    }
                }
            }
            Tab::Detail => {}
        }
    }

    fn on_job(&mut self, m: JobMsg) {
        match m {
            JobMsg::Progress { stage, done, total } => {
                if let Load::Running { reload, .. } = self.load {
                    self.load = Load::Running {
                        stage,
                        done,
                        total,
                        reload,
                    };
                }
            }
            JobMsg::Loaded(Err(e)) => {
                let had = self.data.is_some();
                self.load = if had {
                    Load::Idle
                } else {
                    Load::Failed(e.clone())
                };
                if had && std::mem::take(&mut self.import.rerun) {
                    // A newer mapping is waiting: audit with it.
                    self.reload();
                    return;
                }
                if had {
                    let what = if self.import.reaudit.take().is_some() {
                        "Re-audit"
                    } else {
                        "Reload"
                    };
                    self.set_message(format!("{what} failed: {e}"), MsgLevel::Error);
                }
                self.import.reaudit = None;
            }
            JobMsg::Loaded(Ok(data)) => self.on_loaded(data),
            JobMsg::View { table, gen, view } => {
                let t = self.table_mut(table);
                if gen != t.current_gen() {
                    return;
                }
                t.pending = false;
                let keep = t.keep.take();
                let to_top = std::mem::take(&mut t.to_top);
                t.vp.sel = match keep.and_then(|k| view.iter().position(|&r| r == k)) {
                    _ if to_top => 0,
                    Some(p) => p,
                    None if t.ready => t.vp.sel,
                    None => 0,
                };
                t.view = view;
                t.ready = true;
                let len = t.view.len();
                t.vp.clamp(len);
                if !t.pending {
                    if let Some((dk, path)) = self.deferred_export.take() {
                        if dk == table {
                            self.export_to(table, &path.to_string_lossy());
                        } else {
                            self.deferred_export = Some((dk, path));
                        }
                    }
                }
            }
            JobMsg::Searched { gen, pos } => {
                if gen != self.search_gen.load(Ordering::SeqCst) {
                    return;
                }
                self.searching = false;
                let same_view = match (self.current_table(), &self.search_view) {
                    (Some(k), Some(v)) => Arc::ptr_eq(v, &self.table(k).view),
                    _ => false,
                };
                match (pos, self.current_table()) {
                    (Some(p), Some(k)) if same_view => self.table_mut(k).vp.sel = p,
                    (Some(_), _) => {}
                    (None, _) => {
                        let q = self.search.clone();
                        self.set_message(format!("No match for \"{q}\""), MsgLevel::Info)
                    }
                }
            }
            JobMsg::Failed(e) => {
                self.accounts.pending = false;
                self.findings.pending = false;
                self.searching = false;
                self.exporting = false;
                self.set_message(
                    format!("Internal error (please report): {e}"),
                    MsgLevel::Error,
                );
            }
            JobMsg::Exported(res) => {
                self.exporting = false;
                match res {
                    Ok((path, n)) => self.set_message(
                        format!("Exported {n} rows to {}", path.display()),
                        MsgLevel::Info,
                    ),
                    Err(e) => self.set_message(e, MsgLevel::Error),
                }
            }
            JobMsg::SavedColumns(res) => {
                let Some((set, removed)) = self.import.saving.take() else {
                    return;
                };
                match res {
                    Ok(saved) => {
                        self.import.saved = set;
                        self.import.unsave.retain(|h| !removed.contains(h));
                        let n = saved.set;
                        let mut m = format!(
                            "Saved {n} mapping{} to {}",
                            if n == 1 { "" } else { "s" },
                            shown_path(&self.config_path)
                        );
                        if saved.removed > 0 {
                            m.push_str(&format!(" (removed {})", saved.removed));
                        }
                        if saved.created {
                            m.push_str(" (new file)");
                        }
                        self.set_message(m, MsgLevel::Info);
                    }
                    Err(e) => self.set_message(format!("Mappings not saved: {e}"), MsgLevel::Error),
                }
            }
        }
    }

    fn on_loaded(&mut self, data: Arc<Data>) {
        let first = self.data.is_none();
        self.load = Load::Idle;
        let acc_cols = view::account_columns(&data);
        if first {
            self.accounts.hidden = view::default_hidden(&data);
            self.findings.hidden = vec![Col::Evidence];
            // Most severe first, then by rule; accepted (suppressed) risks last.
            self.findings.sort = Some(Sort {
                col: Col::Severity,
                desc: true,
            });
        } else {
            // Keep the user's hidden columns, but hide new empty ones too.
            let old_hidden = std::mem::take(&mut self.accounts.hidden);
            self.accounts.hidden = old_hidden
                .into_iter()
                .filter(|c| acc_cols.contains(c))
                .collect();
        }
        self.accounts.cols = acc_cols;
        self.findings.cols = FINDING_COLUMNS.to_vec();
        for t in [&mut self.accounts, &mut self.findings] {
            if t.sort.is_some_and(|s| !t.cols.contains(&s.col)) {
                t.sort = None;
            }
            let n = t.visible_cols().len();
            t.col = t.col.min(n.saturating_sub(1));
            t.ready = false;
            t.keep = None;
            // Old row indices mean nothing in the new data.
            t.view = Arc::new(Vec::new());
        }
        self.summary_sel = if first {
            // Start on the first gap, so Enter shows the accounts behind it.
            data.matrix
                .iter()
                .position(|r| r.brand.is_some() && r.verdict() == super::data::Level::Bad)
                .or_else(|| {
                    data.matrix
                        .iter()
                        .position(|r| r.verdict() == super::data::Level::Bad)
                })
                .unwrap_or(0)
        } else {
            self.summary_sel.min(data.matrix.len().saturating_sub(1))
        };
        if let Some(Restore {
            account,
            finding,
            detail,
        }) = self.restore.take()
        {
            self.accounts.keep = account
                .and_then(|l| data.find_account_by_label(&l))
                .map(|i| i as u32);
            // The first finding with each fingerprint, both found in one parallel pass.
            let det_fp = match &detail {
                Some(RestoreDetail::Finding(k)) => Some(k),
                _ => None,
            };
            let wanted: Vec<(&str, &str)> = [finding.as_ref(), det_fp]
                .into_iter()
                .flatten()
                .map(|(rule, fp)| (rule.as_str(), fp.as_str()))
                .collect();
            let mut found = super::index::find_fingerprints(&data, &wanted).into_iter();
            if finding.is_some() {
                self.findings.keep = found.next().flatten();
            } else {
                self.findings.keep = None;
            }
            self.detail = match detail {
                Some(RestoreDetail::Finding(_)) => {
                    found.next().flatten().map(DetailTarget::Finding)
                }
                Some(RestoreDetail::Account(l)) => {
                    data.find_account_by_label(&l).map(DetailTarget::Account)
                }
                None => None,
            };
            if self.detail.is_none() && self.tab == Tab::Detail {
                self.tab = self.prev_tab;
            }
            let n = data.report.accounts.len();
            self.set_message(
                format!("Reloaded {}: {n} accounts", self.file_label),
                MsgLevel::Info,
            );
        } else {
            self.detail = None;
        }
        // The Import screen starts on the header most worth a look: one a check needs, else
        // any header that was not read.
        let n = data.report.input.columns.len();
        self.import.sel = if first {
            let cautions = wxaudit_core::report::reading::cautions(&data.report);
            let cols = &data.report.input.columns;
            cols.iter()
                .position(|u| cautions.iter().any(|c| c.header == u.header))
                .or_else(|| cols.iter().position(|u| u.is_ignored()))
                .unwrap_or(0)
        } else {
            self.import.sel.min(n.saturating_sub(1))
        };
        // A mapping changed while this audit ran: audit again with it, and tell the news once
        // that one is done.
        let rerun = std::mem::take(&mut self.import.rerun);
        if !rerun {
            if let Some((what, before)) = self.import.reaudit.take() {
                let msg = self.reaudit_message(&what, &before, &data.report);
                self.set_message(msg, MsgLevel::Info);
            }
        }
        // Until the views arrive, show everything unfiltered in report order (cheap, instant).
        // The old data's warm-up stops, and the old data is freed off the UI thread (a
        // million-account report takes a second or two to free).
        if let Some(old) = self.data.replace(Arc::clone(&data)) {
            old.index.retire();
            if Arc::strong_count(&old) == 1 {
                let _ = std::thread::Builder::new()
                    .name("wxaudit-free".into())
                    .spawn(move || drop(old));
            }
        }
        self.refresh_all();
        // Then make the ranks of the columns people sort by, and the filter's indexes, in the
        // background (lowest priority), so the first sort by a message does not wait seconds.
        self.cmds.push_back(Cmd::WarmUp(Arc::downgrade(&data)));
        if rerun {
            self.reload();
        }
    }

    /// "\"Acct Type\" → type · re-audited: 9 more checks evaluated (REACH-001, REACH-002, …) ·
    /// s saves it to ./wxaudit.toml".
    fn reaudit_message(&self, what: &str, before: &[String], report: &Report) -> String {
        let after: Vec<&str> = report
            .not_evaluated
            .iter()
            .map(|n| n.rule_id.as_ref())
            .collect();
        let now_run: Vec<&str> = before
            .iter()
            .map(|s| s.as_str())
            .filter(|id| !after.contains(id))
            .collect();
        let lost = after
            .iter()
            .filter(|id| !before.iter().any(|b| b == *id))
            .count();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut m = format!("{what} · re-audited");
        if !now_run.is_empty() {
            let mut ids: Vec<&str> = now_run.iter().take(2).copied().collect();
            if now_run.len() > 2 {
                ids.push("…");
            }
            m.push_str(&format!(
                ": {} more check{} evaluated ({})",
                now_run.len(),
                plural(now_run.len()),
                ids.join(", ")
            ));
        }
        if lost > 0 {
            m.push_str(&format!(
                "{} {lost} check{} can no longer run",
                if now_run.is_empty() { ":" } else { ";" },
                plural(lost)
            ));
        }
        if self.import.unsaved() > 0 {
            m.push_str(" · s saves it");
        }
        m
    }

    /// Enter on the Import screen: the column picker for the selected header.
    fn open_picker(&mut self) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let cols = &data.report.input.columns;
        let Some(u) = cols.get(self.import.sel) else {
            self.set_message(s::NO_HEADERS, MsgLevel::Info);
            return;
        };
        let suggested = u.suggestion.filter(|_| u.column.is_none());
        let order = suggested.into_iter().chain(
            Column::ALL
                .iter()
                .copied()
                .filter(|c| Some(*c) != suggested),
        );
        let mut items: Vec<PickItem> = order
            .into_iter()
            .map(|c| {
                let note = if u.column == Some(c) {
                    "current".to_string()
                } else if u.suggestion == Some(c) && u.column.is_none() {
                    "suggested".to_string()
                } else if let Some(o) = cols.iter().find(|o| o.column == Some(c)) {
                    format!("now from \"{}\"", o.header)
                } else {
                    String::new()
                };
                PickItem {
                    name: c.as_str().to_string(),
                    meaning: s::column_meaning(c),
                    note,
                    choice: Choice::Column(c),
                }
            })
            .collect();
        items.push(PickItem {
            name: s::PICK_IGNORE.to_string(),
            meaning: s::PICK_IGNORE_MEANING,
            note: if u.ignored_by_user {
                "current".into()
            } else {
                String::new()
            },
            choice: Choice::Ignore,
        });
        if self.import.mapping(&u.header).is_some() {
            items.push(PickItem {
                name: s::PICK_REMOVE.to_string(),
                meaning: s::PICK_REMOVE_MEANING,
                note: String::new(),
                choice: Choice::Remove,
            });
        }
        self.open_list(Mode::Picker(Picker {
            header: u.header.clone(),
            query: String::new(),
            sel: 0,
            items,
            matches: Vec::new(),
        }));
    }

    /// Records the user's choice for `header` and re-audits with it.
    fn apply_choice(&mut self, header: &str, choice: Choice) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if self.opts.is_none() {
            self.set_message(s::NO_REAUDIT, MsgLevel::Info);
            return;
        }
        let u = data.column_use(header);
        let (target, what) = match choice {
            Choice::Remove => return self.remove_mapping_of(header),
            Choice::Column(c) => {
                if u.is_some_and(|u| u.column == Some(c)) {
                    self.set_message(
                        format!("\"{header}\" is already read as `{c}`."),
                        MsgLevel::Info,
                    );
                    return;
                }
                (c.as_str(), format!("\"{header}\" → {c}"))
            }
            Choice::Ignore => {
                if u.is_some_and(|u| u.ignored_by_user) {
                    self.set_message(
                        format!("\"{header}\" is already ignored by your mapping."),
                        MsgLevel::Info,
                    );
                    return;
                }
                (s::PICK_IGNORE, format!("\"{header}\" ignored"))
            }
        };
        self.import.set(header, target);
        self.start_reaudit(what, &data.report);
    }

    fn start_reaudit(&mut self, what: String, report: &Report) {
        let before = report
            .not_evaluated
            .iter()
            .map(|n| n.rule_id.to_string())
            .collect();
        self.import.reaudit = Some((what, before));
        self.reload();
    }

    /// `d` on the Import screen.
    fn remove_mapping(&mut self) {
        if self.tab != Tab::Import {
            self.tab = Tab::Import;
        }
        let Some(data) = self.data.clone() else {
            return;
        };
        let Some(u) = data.report.input.columns.get(self.import.sel) else {
            return;
        };
        let header = u.header.clone();
        self.remove_mapping_of(&header);
    }

    fn remove_mapping_of(&mut self, header: &str) {
        let Some(data) = self.data.clone() else {
            return;
        };
        if self.import.remove(header) {
            self.start_reaudit(format!("\"{header}\": your mapping removed"), &data.report);
            return;
        }
        let u = data.column_use(header);
        let from_config = u.is_some_and(|u| {
            u.ignored_by_user || u.matched == Some(wxaudit_core::import::headers::MatchKind::User)
        });
        let m = if from_config {
            format!(
                "The mapping for \"{header}\" comes from --column or {}: Enter chooses another column; remove it there to drop it.",
                shown_path(&self.config_path)
            )
        } else {
            format!(
                "\"{header}\" has no mapping of yours to remove; Enter chooses a column for it."
            )
        };
        self.set_message(m, MsgLevel::Info);
    }

    /// `s` on the Import screen: saves this session's mappings into the configuration file.
    fn save_mappings(&mut self) {
        if self.import.session.is_empty() && self.import.unsave.is_empty() {
            self.set_message(s::NO_MAPPINGS_TO_SAVE, MsgLevel::Info);
            return;
        }
        if self.import.saving() {
            return;
        }
        let set = self.import.session.clone();
        let remove = self.import.unsave.clone();
        self.import.saving = Some((set.clone(), remove.clone()));
        self.cmds.push_back(Cmd::SaveColumns {
            path: self.config_path.clone(),
            set,
            remove,
        });
    }

    /// The status message, until the user has moved on (a few key presses later, or after
    /// 10 seconds for news that is not an error).
    pub fn visible_message(&self) -> Option<&(String, MsgLevel)> {
        let fresh = self.message_at.elapsed() < Duration::from_secs(10);
        match &self.message {
            Some(m) if m.1 == MsgLevel::Error && self.message_ticks < 4 => Some(m),
            Some(m) if self.message_ticks < 4 && fresh => Some(m),
            _ => None,
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How a path is shown in messages: `./wxaudit.toml` for a file in the working directory.
pub fn shown_path(p: &std::path::Path) -> String {
    let has_dir = p.parent().is_some_and(|d| !d.as_os_str().is_empty());
    if p.is_absolute() || has_dir {
        p.display().to_string()
    } else {
        format!("./{}", p.display())
    }
}

/// The query, the selection and the number of matches of the fuzzy list `mode` shows (the
/// palette, the column picker).
fn list_state(mode: &mut Mode) -> Option<(&mut String, &mut usize, usize)> {
    match mode {
        Mode::Palette(p) => Some((&mut p.query, &mut p.sel, p.matches.len())),
        Mode::Picker(p) => Some((&mut p.query, &mut p.sel, p.matches.len())),
        _ => None,
    }
}

/// Orders the fuzzy list `mode` shows for its query, keeping the selection on a match.
fn rank_list(mode: &mut Mode) {
    match mode {
        // By fuzzy score of the command's title.
        Mode::Palette(p) => {
            let commands = &p.commands;
            p.matches = rank(&p.query, commands.len(), |fz, _, i| {
                fz.score(&commands[i].title)
            });
        }
        // Names matching the query first (an exact name before all), then entries whose meaning
        // matches; the list's own order (suggestion first) among equals.
        Mode::Picker(p) => {
            let items = &p.items;
            p.matches = rank(&p.query, items.len(), |fz, q, i| {
                let it = &items[i];
                let name = fz.score(&it.name);
                let meaning = fz.score(it.meaning);
                if name.is_none() && meaning.is_none() {
                    return None;
                }
                let exact = it.name.eq_ignore_ascii_case(q);
                Some((exact, name.unwrap_or(0), meaning.unwrap_or(0)))
            });
        }
        _ => {}
    }
    if let Some((_, sel, len)) = list_state(mode) {
        if *sel >= len {
            *sel = len.saturating_sub(1);
        }
    }
}

/// The entries of a fuzzy list matching `query`: all `len` in order for a blank query, else
/// those `score` (given the trimmed query) scores, best first and in list order among equals.
fn rank<K: Ord>(
    query: &str,
    len: usize,
    mut score: impl FnMut(&mut view::Fuzzy, &str, usize) -> Option<K>,
) -> Vec<usize> {
    let q = query.trim();
    if q.is_empty() {
        return (0..len).collect();
    }
    let mut fz = view::Fuzzy::new(q);
    let mut scored: Vec<(K, usize)> = (0..len)
        .filter_map(|i| score(&mut fz, q, i).map(|k| (k, i)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}
