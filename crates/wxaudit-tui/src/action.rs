//! Everything that can change the TUI's state, as one enum: key bindings, palette commands,
//! mouse events and background-job results all become an [`Action`] handed to
//! [`super::app::App::update`]. One entry point is what makes the state testable without a
//! terminal.

use super::data::Data;
use super::view::{Col, Facet, TableKind};
use std::path::PathBuf;
use std::sync::Arc;
use wxaudit_core::pipeline::Stage;

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Summary,
    Accounts,
    Findings,
    Detail,
    /// How the file was read: every header and the column it became; the user's mappings.
    Import,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Summary,
        Tab::Accounts,
        Tab::Findings,
        Tab::Detail,
        Tab::Import,
    ];
    pub fn index(self) -> usize {
        match self {
            Tab::Summary => 0,
            Tab::Accounts => 1,
            Tab::Findings => 2,
            Tab::Detail => 3,
            Tab::Import => 4,
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Tab::Summary => "Summary",
            Tab::Accounts => "Accounts",
            Tab::Findings => "Findings",
            Tab::Detail => "Detail",
            Tab::Import => "Import",
        }
    }
}

/// A result coming back from a background job.
#[derive(Debug, Clone)]
pub enum JobMsg {
    Progress {
        stage: Stage,
        done: u64,
        total: u64,
    },
    Loaded(Result<Arc<Data>, String>),
    View {
        table: TableKind,
        gen: u64,
        view: Arc<Vec<u32>>,
    },
    Searched {
        gen: u64,
        pos: Option<usize>,
    },
    Exported(Result<(PathBuf, u64), String>),
    /// The user's header mappings were saved into the configuration file (or why not).
    SavedColumns(Result<wxaudit_core::config_edit::SavedColumns, String>),
    /// A job stopped on an internal error (a bug); the UI says so and carries on.
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    GoTab(Tab),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    Enter,
    Back,
    Search,
    SearchNext,
    SearchPrev,
    Filter,
    Facets,
    CycleSeverity,
    CyclePlatform,
    ClearFilter,
    Sort,
    HideColumn,
    ShowAllColumns,
    Export,
    Reload,
    /// Import screen: save the mappings made in this session into wxaudit.toml.
    SaveMappings,
    /// Import screen: remove the mapping made in this session for the selected header.
    RemoveMapping,
    Help,
    Palette,
    /// Set one facet of the filter (palette, summary).
    SetFacet(Facet),
    /// Sort a table by a column.
    SortBy(TableKind, Col, bool),
    /// Show or hide one accounts column.
    ToggleColumn(Col),
    // Editing a prompt (search, filter, export path, palette).
    InputChar(char),
    InputBackspace,
    InputClear,
    InputDeleteWord,
    Submit,
    Cancel,
    // Mouse and terminal.
    ScrollUp,
    ScrollDown,
    Click {
        x: u16,
        y: u16,
    },
    Tick,
    Job(JobMsg),
}
