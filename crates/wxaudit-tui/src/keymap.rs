//! Keys → actions, each binding with a description. The dispatcher and the `?` help overlay both
//! read [`bindings`], so the help can never drift from what the keys do (like yazi's keymap).

use super::action::{Action, Tab};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing (no prompt or overlay open).
    Normal,
    /// Browsing the Import screen: its own keys first, then the [`Context::Normal`] ones.
    Import,
    /// Typing into a prompt (search, filter, export path) or the command palette.
    Prompt,
    /// The help overlay.
    Help,
}

/// Help sections, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Screens,
    Move,
    Find,
    Table,
    Import,
    Other,
    Prompt,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Screens,
        Section::Move,
        Section::Find,
        Section::Table,
        Section::Import,
        Section::Other,
        Section::Prompt,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Section::Screens => "Screens",
            Section::Move => "Moving around",
            Section::Find => "Search and filter",
            Section::Table => "Tables",
            Section::Import => "Import screen (5 or i)",
            Section::Other => "Other",
            Section::Prompt => "In a prompt or the palette",
        }
    }
}

/// A key with modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// How the key is written in the help, e.g. `Ctrl-c`, `↑`, `PgDn`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    fn matches(&self, ev: &KeyEvent) -> bool {
        if self.code != ev.code {
            return false;
        }
        // Shifted characters arrive with SHIFT set on some terminals; the char already says it.
        let mods = if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            ev.modifiers - KeyModifiers::SHIFT
        } else {
            ev.modifiers
        };
        mods == self.mods
    }
}

/// One binding: keys, what they do, and the words shown in the help.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub section: Section,
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
}

fn b(section: Section, keys: &[Key], action: Action, help: &'static str) -> Binding {
    Binding {
        context: match section {
            Section::Prompt => Context::Prompt,
            Section::Import => Context::Import,
            _ => Context::Normal,
        },
        section,
        keys: keys.to_vec(),
        action,
        help,
    }
}

/// Every binding, in help order.
pub fn bindings() -> Vec<Binding> {
    use Section::*;
    vec![
        b(
            Screens,
            &[k('1')],
            Action::GoTab(Tab::Summary),
            "Summary: the answer at a glance",
        ),
        b(
            Screens,
            &[k('2')],
            Action::GoTab(Tab::Accounts),
            "Accounts table",
        ),
        b(
            Screens,
            &[k('3')],
            Action::GoTab(Tab::Findings),
            "Findings table",
        ),
        b(
            Screens,
            &[k('4')],
            Action::GoTab(Tab::Detail),
            "Detail of the selected account",
        ),
        b(
            Screens,
            &[k('5'), k('i')],
            Action::GoTab(Tab::Import),
            "Import: how the file was read; choose columns for headers",
        ),
        b(
            Screens,
            &[code(KeyCode::Tab)],
            Action::NextTab,
            "next screen",
        ),
        b(
            Screens,
            &[code(KeyCode::BackTab)],
            Action::PrevTab,
            "previous screen",
        ),
        b(
            Screens,
            &[code(KeyCode::Enter)],
            Action::Enter,
            "open: matrix row → its accounts; account/finding → Detail",
        ),
        b(
            Screens,
            &[code(KeyCode::Esc), code(KeyCode::Backspace)],
            Action::Back,
            "Detail: go back; elsewhere: clear filter and search",
        ),
        b(Move, &[code(KeyCode::Up), k('k')], Action::Up, "up"),
        b(Move, &[code(KeyCode::Down), k('j')], Action::Down, "down"),
        b(
            Move,
            &[code(KeyCode::PageUp), ctrl('b'), ctrl('u')],
            Action::PageUp,
            "page up",
        ),
        b(
            Move,
            &[code(KeyCode::PageDown), ctrl('f'), ctrl('d'), k(' ')],
            Action::PageDown,
            "page down",
        ),
        b(
            Move,
            &[code(KeyCode::Home), k('g')],
            Action::Top,
            "first row",
        ),
        b(
            Move,
            &[code(KeyCode::End), k('G')],
            Action::Bottom,
            "last row",
        ),
        b(
            Move,
            &[code(KeyCode::Left), k('h')],
            Action::Left,
            "previous column (scrolls right part)",
        ),
        b(
            Move,
            &[code(KeyCode::Right), k('l')],
            Action::Right,
            "next column (scrolls right part)",
        ),
        b(
            Find,
            &[k('/')],
            Action::Search,
            "search id, name, entity, brand (fuzzy, as you type)",
        ),
        b(Find, &[k('n')], Action::SearchNext, "next match"),
        b(Find, &[k('N')], Action::SearchPrev, "previous match"),
        b(
            Find,
            &[k('f')],
            Action::Filter,
            "filter: keep rows whose id, name, entity or brand contain text",
        ),
        b(
            Find,
            &[k('F')],
            Action::Facets,
            "filter by platform, type, severity, brand, market, rule",
        ),
        b(
            Find,
            &[k('!')],
            Action::CycleSeverity,
            "severity filter: critical → high+ → medium+ → off",
        ),
        b(
            Find,
            &[k('p')],
            Action::CyclePlatform,
            "platform filter: Weixin → WeChat → unknown → off",
        ),
        b(
            Find,
            &[k('x')],
            Action::ClearFilter,
            "clear filter and search",
        ),
        b(
            Table,
            &[k('s')],
            Action::Sort,
            "sort by the selected column (again: reverse)",
        ),
        b(
            Table,
            &[k('c')],
            Action::HideColumn,
            "hide the selected column",
        ),
        b(Table, &[k('C')], Action::ShowAllColumns, "show all columns"),
        b(
            Import,
            &[code(KeyCode::Enter)],
            Action::Enter,
            "pick the selected header's column (type to filter); re-audits",
        ),
        b(
            Import,
            &[k('d'), code(KeyCode::Delete)],
            Action::RemoveMapping,
            "remove the mapping you made for the selected header",
        ),
        b(
            Import,
            &[k('s')],
            Action::SaveMappings,
            "save your mappings into wxaudit.toml (or the --config file)",
        ),
        b(
            Other,
            &[k('e')],
            Action::Export,
            "export the rows on screen to CSV",
        ),
        b(
            Other,
            &[k('r')],
            Action::Reload,
            "reload the file (keeps screen, filter, selection)",
        ),
        b(
            Other,
            &[k(':'), ctrl('p')],
            Action::Palette,
            "command palette (type to find any command)",
        ),
        b(Other, &[k('?')], Action::Help, "this help"),
        b(Other, &[k('q'), ctrl('c')], Action::Quit, "quit"),
        b(Prompt, &[code(KeyCode::Enter)], Action::Submit, "confirm"),
        b(Prompt, &[code(KeyCode::Esc)], Action::Cancel, "cancel"),
        b(
            Prompt,
            &[code(KeyCode::Up), ctrl('k')],
            Action::Up,
            "palette: previous command",
        ),
        b(
            Prompt,
            &[code(KeyCode::Down), ctrl('j')],
            Action::Down,
            "palette: next command",
        ),
        b(
            Prompt,
            &[code(KeyCode::Backspace)],
            Action::InputBackspace,
            "delete a character",
        ),
        b(
            Prompt,
            &[ctrl('w')],
            Action::InputDeleteWord,
            "delete a word",
        ),
        b(Prompt, &[ctrl('u')], Action::InputClear, "clear the line"),
        b(Prompt, &[ctrl('c')], Action::Quit, "quit"),
    ]
}

/// The action for a key press in a context.
pub fn lookup(table: &[Binding], ctx: Context, ev: &KeyEvent) -> Option<Action> {
    match ctx {
        Context::Help => {
            // Any key closes the help except scrolling keys and quit.
            let nav = lookup(table, Context::Normal, ev);
            match nav {
                Some(
                    a @ (Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Top
                    | Action::Bottom
                    | Action::Quit),
                ) => {
                    if matches!(a, Action::Quit) && ev.code == KeyCode::Char('q') {
                        Some(Action::Cancel)
                    } else {
                        Some(a)
                    }
                }
                _ => Some(Action::Cancel),
            }
        }
        Context::Prompt => {
            if let Some(bd) = table
                .iter()
                .find(|b| b.context == Context::Prompt && b.keys.iter().any(|k| k.matches(ev)))
            {
                return Some(bd.action.clone());
            }
            if let KeyCode::Char(c) = ev.code {
                if !ev.modifiers.contains(KeyModifiers::CONTROL)
                    && !ev.modifiers.contains(KeyModifiers::ALT)
                {
                    return Some(Action::InputChar(c));
                }
            }
            None
        }
        Context::Import => table
            .iter()
            .find(|b| b.context == Context::Import && b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action.clone())
            .or_else(|| lookup(table, Context::Normal, ev)),
        Context::Normal => table
            .iter()
            .find(|b| b.context == Context::Normal && b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action.clone()),
    }
}

/// The key labels of the first binding for an action (for hints), e.g. "e".
pub fn keys_for(table: &[Binding], pred: impl Fn(&Action) -> bool) -> String {
    table
        .iter()
        .find(|b| b.context == Context::Normal && pred(&b.action))
        .and_then(|b| b.keys.first())
        .map(|k| k.label())
        .unwrap_or_default()
}
