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
    ("1-5", "screens"),
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
pub const HINTS_IMPORT: &[(&str, &str)] = &[
    ("?", "help"),
    ("↑↓", "select"),
    ("Enter", "choose its column"),
    ("s", "save to wxaudit.toml"),
    ("d", "remove mapping"),
    ("q", "quit"),
];
pub const NO_REAUDIT: &str =
    "This view was opened on a report, not a file: there is nothing to re-audit.";
pub const NO_MAPPINGS_TO_SAVE: &str =
    "Nothing to save: choose a column for a header first (Enter on the Import screen).";
pub const NO_HEADERS: &str = "No headers or keys were recorded for this file.";
/// The picker's entry that turns a header off.
pub const PICK_IGNORE: &str = "ignore";
pub const PICK_IGNORE_MEANING: &str = "do not read this header; keep its values as an extra field";
pub const PICK_REMOVE: &str = "(remove your mapping)";
pub const PICK_REMOVE_MEANING: &str = "read this header as wxaudit would without your choice";

/// One line about what a column holds, for the column picker (inventory-format.md, "Columns").
pub fn column_meaning(c: wxaudit_core::model::Column) -> &'static str {
    use wxaudit_core::model::Column::*;
    match c {
        Id => "account identifier: original ID (gh_…), AppID (wx…) or wxid_…",
        Name => "display name of the account",
        Type => "kind of account: subscription, service, mini_program, personal, wecom, channels",
        Platform => "platform as declared: weixin (mainland) or wechat (international)",
        Portal => "admin backend: mp.weixin.qq.com, admin.wechat.com, …",
        Phone => "registration or bound phone, with country code",
        EntityName => "registered entity (主体)",
        EntityType => "kind of entity: enterprise, individual, government, media, …",
        EntityCountry => "the entity's country/region (CN is mainland only)",
        CreditCode => "Unified Social Credit Code or other registration number",
        IcpFiling => "ICP filing number (备案号)",
        WalletCurrency => "the wallet region's currency: CNY, HKD, USD, …",
        Verified => "verification status: yes/no (认证)",
        VerificationExpiry => "date of the next annual review (年审)",
        Payments => "takes payments (WeChat Pay / Weixin Pay): yes/no",
        MerchantId => "WeChat Pay merchant ID (商户号)",
        MerchantTrack => "merchant type: domestic, cross_border, hk",
        MerchantEntity => "the merchant's registered entity",
        Admin => "the administrator's WeChat ID (管理员)",
        AdminStatus => "who holds the admin ID: company, employee, departed, agency",
        Operators => "operator IDs (运营者)",
        Audience => "markets the account is meant to reach: CN, HK, global, …",
        Features => "features the account relies on",
        Brand => "brand or business unit",
        Status => "lifecycle: active, dormant, suspended, closed",
        Followers => "follower count",
        LastActive => "date of the last post or activity",
        Notes => "free text",
        WechatId => "the WeChat ID people search for (微信号, alias)",
        Terms => "service agreement the account is under: weixin or wechat",
        Email => "registration e-mail of an official account",
    }
}
pub const NOT_A_TERMINAL: &str = "wxaudit: the interactive view needs a terminal, but standard output is not one.\nFor a report you can save or pipe, run: wxaudit audit FILE";
pub const MATRIX_LEGEND: &str =
    "✓ reaches it   ! at risk   ✗ gap   · none   (Enter on a row lists its accounts)";
