//! UI strings that are shown in more than one place or worth finding quickly (gitui keeps every
//! string in one `strings.rs`; this follows that where it helps). One-off labels stay next to the
//! widget that draws them.

pub const APP: &str = "wxaudit";
pub const NOTHING_LOADED: &str = "Nothing loaded yet — wait for the progress bar to finish.";
pub const SORT_WHERE: &str = "Sorting works on Accounts (2) and Findings (3).";
pub const EXPORT_WHERE: &str =
    "Export works on Accounts (2) and Findings (3): it saves the rows you see there.";
pub const EXPORT_NO_PATH: &str = "Export cancelled: no file name given.";
pub const NO_SEARCH: &str = "No search yet: press / and type.";
pub const NO_FILE_TO_RELOAD: &str = "There is no file to reload.";
pub const NO_DETAIL: &str =
    "Nothing selected. Choose an account on Accounts (2) or a finding on Findings (3) and press Enter.";
pub const LOAD_FAILED: &str = "Could not open the inventory";
pub const LOAD_FAILED_HINT: &str = "Fix the file and press r to try again, or q to quit.";
pub const NO_ROWS_FILTER: &str = "No rows match the filter. Press x to clear it.";
pub const NO_ROWS: &str = "No rows.";
/// Key hints for the last line, most important first; as many as fit are shown.
pub const HINTS_SUMMARY: &[(&str, &str)] = &[
    ("?", "help"),
    ("Enter", "accounts behind a row"),
    ("1-4", "screens"),
    (":", "commands"),
    ("!", "severity"),
    ("q", "quit"),
];
pub const HINTS_TABLE: &[(&str, &str)] = &[
    ("?", "help"),
    ("Enter", "detail"),
    ("/", "search"),
    ("f", "filter"),
    ("!", "severity"),
    ("F", "facets"),
    ("e", "export"),
    ("s", "sort"),
    (":", "commands"),
    ("x", "clear"),
    ("q", "quit"),
];
pub const HINTS_DETAIL: &[(&str, &str)] = &[
    ("?", "help"),
    ("Esc", "back"),
    ("↑↓", "scroll"),
    (":", "commands"),
    ("q", "quit"),
];
pub const NOT_A_TERMINAL: &str = "wxaudit: the interactive view needs a terminal, but standard output is not one.\nFor a report you can save or pipe, run: wxaudit audit FILE";
pub const MATRIX_LEGEND: &str =
    "✓ reaches it   ! at risk   ✗ gap   · none   (Enter on a row lists its accounts)";
