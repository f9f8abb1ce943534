//! State changes of the TUI driven through `App::update(Action)` without a terminal: the path a
//! new user takes (Summary → the unreachable brand → its accounts → why → critical findings →
//! export), plus search, sort, columns, palette, reload and mouse.

use crate::common;

use common::tui;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;
use wxaudit::model::Severity;
use wxaudit::tui::action::{Action, JobMsg, Tab};
use wxaudit::tui::app::{App, DetailTarget, Mode, MsgLevel};
use wxaudit::tui::data::{Data, Level, MatrixRow};
use wxaudit::tui::fixtures::sample_report;
use wxaudit::tui::keymap;
use wxaudit::tui::ui;
use wxaudit::tui::view::{Col, TableKind};

fn app() -> App {
    let mut a = App::from_report(sample_report(), "acme-accounts.csv");
    a.settle();
    a
}

fn act(a: &mut App, actions: &[Action]) {
    for x in actions {
        a.update(x.clone());
        a.settle();
    }
}

fn typed(a: &mut App, s: &str) {
    for c in s.chars() {
        a.update(Action::InputChar(c));
        a.settle();
    }
}

fn draw(a: &mut App, w: u16, h: u16) {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("backend");
    t.draw(|f| ui::draw(f, a)).expect("draw");
}

fn ids(a: &App, k: TableKind) -> Vec<String> {
    let d = a.data.as_ref().expect("loaded");
    a.table(k)
        .view
        .iter()
        .map(|&r| match k {
            TableKind::Accounts => d.report.accounts.at(r as usize).to_account().label(),
            TableKind::Findings => d.finding(r).rule_id.to_string(),
        })
        .collect()
}

#[test]
fn summary_matrix_shows_unreachable_brand_and_enter_lists_its_accounts() {
    let mut a = app();
    let d = a.data.clone().expect("data");
    let pos = d
        .matrix
        .iter()
        .position(|r| r.brand.as_deref() == Some("阿克米茶饮") && r.market == "CN")
        .expect("brand row for CN");
    let row = &d.matrix[pos];
    assert_eq!(row.verdict(), Level::Bad);
    assert_eq!(row.wx_official, 0);
    // The CN market row says a brand is unreachable there.
    let cn = d
        .matrix
        .iter()
        .find(|r| r.brand.is_none() && r.market == "CN");
    assert_eq!(cn.map(|r| r.brands_unreachable), Some(1));

    // The first gap is selected from the start.
    assert_eq!(a.summary_sel, pos);
    a.update(Action::Top);
    for _ in 0..pos {
        a.update(Action::Down);
    }
    act(&mut a, &[Action::Enter]);
    assert_eq!(a.tab, Tab::Accounts);
    assert_eq!(a.filter.brand.as_deref(), Some("阿克米茶饮"));
    assert_eq!(a.filter.market.as_deref(), Some("CN"));
    assert_eq!(
        ids(&a, TableKind::Accounts),
        vec!["gh_a1b2c3d4e5f6", "wxid_tea_sales01"]
    );

    // Enter reads why.
    act(&mut a, &[Action::Enter]);
    assert_eq!(a.tab, Tab::Detail);
    assert_eq!(a.detail, Some(DetailTarget::Account(0)));
    // Esc goes back, x clears the filter.
    act(&mut a, &[Action::Back]);
    assert_eq!(a.tab, Tab::Accounts);
    act(&mut a, &[Action::ClearFilter]);
    assert!(a.filter.is_empty());
    assert_eq!(a.accounts.view.len(), 12);
}

#[test]
fn critical_findings_filter_and_export_keeps_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = app();
    act(
        &mut a,
        &[Action::GoTab(Tab::Findings), Action::CycleSeverity],
    );
    assert_eq!(a.filter.min_severity, Some(Severity::Critical));
    assert_eq!(ids(&a, TableKind::Findings), vec!["REACH-001", "OWN-001"]);

    act(&mut a, &[Action::Export]);
    match &a.mode {
        Mode::Prompt(p) => assert!(p.text.ends_with("-findings-critical.csv"), "{}", p.text),
        m => panic!("expected export prompt, got {m:?}"),
    }
    let path = dir.path().join("critical.csv");
    act(&mut a, &[Action::InputClear]);
    typed(&mut a, &path.display().to_string());
    act(&mut a, &[Action::Submit]);
    let (msg, level) = a.message.clone().expect("message");
    assert_eq!(level, MsgLevel::Info, "{msg}");
    assert!(msg.contains("Exported 2 rows"), "{msg}");
    assert!(msg.contains("critical.csv"), "{msg}");
    let bytes = std::fs::read(&path).expect("exported file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.contains("阿克米茶饮"));
    assert!(text.contains("茶饮销售小王"));
    assert!(text.contains("\r\n"));
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with("severity,rule,account,name,brand,market,"));
}

#[test]
fn export_error_is_in_plain_words() {
    let mut a = app();
    act(
        &mut a,
        &[
            Action::GoTab(Tab::Accounts),
            Action::Export,
            Action::InputClear,
        ],
    );
    typed(&mut a, "/nonexistent-folder-wxaudit/x.csv");
    act(&mut a, &[Action::Submit]);
    let (msg, level) = a.message.clone().expect("message");
    assert_eq!(level, MsgLevel::Error);
    assert!(msg.contains("the folder does not exist"), "{msg}");
}

#[test]
fn exported_accounts_are_the_filtered_sorted_rows_with_visible_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = app();
    act(
        &mut a,
        &[
            Action::GoTab(Tab::Accounts),
            Action::SortBy(TableKind::Accounts, Col::Name, true),
            Action::Filter,
        ],
    );
    typed(&mut a, "莲花");
    act(&mut a, &[Action::Submit]);
    let shown = ids(&a, TableKind::Accounts);
    assert!(!shown.is_empty() && shown.len() < 12, "{shown:?}");
    let path = dir.path().join("acc.csv");
    act(&mut a, &[Action::Export, Action::InputClear]);
    typed(&mut a, &path.display().to_string());
    act(&mut a, &[Action::Submit]);
    let text = std::fs::read_to_string(&path).expect("file");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), shown.len() + 1);
    for (l, id) in lines[1..].iter().zip(&shown) {
        assert!(l.starts_with(id.as_str()), "{l} vs {id}");
    }
    // Hidden columns are not exported.
    assert!(!lines[0].contains("merchant_id"));
}

#[test]
fn search_jumps_and_n_cycles() {
    let mut a = app();
    act(&mut a, &[Action::GoTab(Tab::Accounts), Action::Search]);
    typed(&mut a, "lotus");
    let first = a.accounts.vp.sel;
    assert_eq!(ids(&a, TableKind::Accounts)[first], "gh_lotus_cn");
    act(&mut a, &[Action::Submit]);
    assert_eq!(a.search, "lotus");
    act(&mut a, &[Action::SearchNext]);
    let d = a.data.clone().expect("data");
    // Whatever it lands on matches; and N comes back.
    act(&mut a, &[Action::SearchPrev]);
    assert_eq!(a.accounts.vp.sel, first);
    drop(d);
    // Esc during a new search restores the selection.
    act(&mut a, &[Action::Search]);
    typed(&mut a, "myr");
    assert_ne!(a.accounts.vp.sel, first);
    act(&mut a, &[Action::Cancel]);
    assert_eq!(a.accounts.vp.sel, first);
}

#[test]
fn sort_toggles_and_columns_hide_and_show() {
    let mut a = app();
    act(&mut a, &[Action::GoTab(Tab::Accounts), Action::Right]);
    assert_eq!(a.accounts.selected_col(), Some(Col::Name));
    act(&mut a, &[Action::Sort]);
    let asc = ids(&a, TableKind::Accounts);
    act(&mut a, &[Action::Sort]);
    let desc = ids(&a, TableKind::Accounts);
    let mut rev = asc.clone();
    rev.reverse();
    assert_eq!(desc, rev);
    // Numeric columns sort descending first.
    let nfind = a
        .accounts
        .visible_cols()
        .iter()
        .position(|c| *c == Col::NFind)
        .expect("findings column");
    a.accounts.col = nfind;
    act(&mut a, &[Action::Sort]);
    assert_eq!(ids(&a, TableKind::Accounts)[0], "gh_a1b2c3d4e5f6");

    let before = a.accounts.visible_cols().len();
    act(&mut a, &[Action::HideColumn]);
    assert_eq!(a.accounts.visible_cols().len(), before - 1);
    act(&mut a, &[Action::ShowAllColumns]);
    assert!(a.accounts.visible_cols().len() >= before);
}

#[test]
fn palette_finds_and_runs_commands() {
    let mut a = app();
    act(&mut a, &[Action::Palette]);
    typed(&mut a, "brand 莲花");
    act(&mut a, &[Action::Submit]);
    assert_eq!(a.filter.brand.as_deref(), Some("莲花美妆"));
    act(&mut a, &[Action::Facets]);
    typed(&mut a, "critical only");
    act(&mut a, &[Action::Submit]);
    assert_eq!(a.filter.min_severity, Some(Severity::Critical));
    assert!(matches!(a.mode, Mode::Normal));
}

#[test]
fn findings_enter_opens_account_or_brand_finding() {
    let mut a = app();
    act(&mut a, &[Action::GoTab(Tab::Findings), Action::Enter]);
    // First finding is REACH-001 about a brand: Detail shows the finding.
    assert_eq!(a.tab, Tab::Detail);
    assert!(matches!(a.detail, Some(DetailTarget::Finding(_))));
    // Enter there lists the brand's accounts in that market.
    act(&mut a, &[Action::Enter]);
    assert_eq!(a.tab, Tab::Accounts);
    assert_eq!(a.filter.brand.as_deref(), Some("阿克米茶饮"));
    act(
        &mut a,
        &[
            Action::ClearFilter,
            Action::GoTab(Tab::Findings),
            Action::Down,
            Action::Enter,
        ],
    );
    assert_eq!(a.detail, Some(DetailTarget::Account(1)));
    act(&mut a, &[Action::Back]);
    assert_eq!(a.tab, Tab::Findings);
}

#[test]
fn suppressed_findings_are_listed_with_reason() {
    let a = app();
    let d = a.data.clone().expect("data");
    let last = *a.findings.view.last().expect("rows");
    let s = d.suppression(last).expect("suppressed is last");
    assert_eq!(s.reason, "Campaign account, closing in Q1");
    assert_eq!(a.findings.view.len(), 13);
}

#[test]
fn reload_keeps_tab_filter_and_selection() {
    let mut a = app();
    a.opts = Some(wxaudit::pipeline::PipelineOptions {
        input: "acme.csv".into(),
        ..Default::default()
    });
    act(&mut a, &[Action::GoTab(Tab::Accounts), Action::Filter]);
    typed(&mut a, "gh_");
    act(&mut a, &[Action::Submit, Action::Down, Action::Down]);
    let sel_id = ids(&a, TableKind::Accounts)[a.accounts.vp.sel].clone();
    a.update(Action::Reload);
    assert!(a.busy());
    // Stand in for the pipeline: the file changed, one account moved to the end.
    let _ = a.take_cmds();
    let mut r = sample_report();
    let mut accounts = r.accounts.to_vec();
    let moved = accounts.remove(0);
    let cls = r.classifications.remove(0);
    accounts.push(moved);
    r.accounts = accounts.into();
    r.classifications.push(cls);
    for f in &mut r.findings {
        f.account = f.account.map(|i| if i == 0 { 11 } else { i - 1 });
    }
    a.update(Action::Job(JobMsg::Loaded(Ok(Arc::new(Data::build(
        r,
        std::time::Duration::ZERO,
    ))))));
    a.settle();
    assert_eq!(a.tab, Tab::Accounts);
    assert_eq!(a.filter.text, "gh_");
    assert_eq!(ids(&a, TableKind::Accounts)[a.accounts.vp.sel], sel_id);
    assert!(!a.busy());
}

#[test]
fn load_failure_is_shown_not_fatal() {
    let mut a = App::new(wxaudit::pipeline::PipelineOptions {
        input: "missing.csv".into(),
        ..Default::default()
    });
    let _ = a.take_cmds();
    a.update(Action::Job(JobMsg::Loaded(Err(
        "missing.csv: cannot read the file: No such file".into(),
    ))));
    assert!(matches!(a.load, wxaudit::tui::app::Load::Failed(_)));
    draw(&mut a, 80, 24);
    act(&mut a, &[Action::GoTab(Tab::Accounts), Action::Quit]);
    assert!(a.quit);
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut a = app();
    act(&mut a, &[Action::GoTab(Tab::Accounts)]);
    draw(&mut a, 100, 30);
    let y = a.geom.rows.y + 3;
    act(&mut a, &[Action::Click { x: 5, y }]);
    assert_eq!(a.accounts.vp.sel, 3);
    act(&mut a, &[Action::ScrollDown]);
    assert_eq!(a.accounts.vp.sel, 6);
    // Clicking a tab title switches screens.
    let (x0, _, t) = a.geom.tabs[2];
    let ty = a.geom.tabs_y;
    act(&mut a, &[Action::Click { x: x0 + 1, y: ty }]);
    assert_eq!(t, Tab::Findings);
    assert_eq!(a.tab, Tab::Findings);
}

#[test]
fn help_is_generated_from_the_keymap() {
    let table = keymap::bindings();
    let theme = ui::Theme { color: false };
    let text: String = ui::help::lines(&table, 200, &theme)
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    for b in &table {
        assert!(text.contains(b.help), "help lacks {:?}", b.help);
        for k in &b.keys {
            assert!(text.contains(&k.label()), "help lacks key {}", k.label());
        }
    }
    // Every normal-mode key dispatches to the action the help names.
    use crossterm::event::KeyEvent;
    for b in table
        .iter()
        .filter(|b| b.context == keymap::Context::Normal)
    {
        for k in &b.keys {
            let ev = KeyEvent::new(k.code, k.mods);
            let got = keymap::lookup(&table, keymap::Context::Normal, &ev);
            assert_eq!(
                format!("{got:?}"),
                format!("{:?}", Some(b.action.clone())),
                "key {}",
                k.label()
            );
        }
    }
}

#[test]
fn quit_keys() {
    let mut a = app();
    act(&mut a, &[Action::Quit]);
    assert!(a.quit);
    // q while typing a search is a letter; Ctrl-C still quits.
    let table = keymap::bindings();
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let q = keymap::lookup(
        &table,
        keymap::Context::Prompt,
        &KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE),
    );
    assert!(matches!(q, Some(Action::InputChar('q'))));
    let cc = keymap::lookup(
        &table,
        keymap::Context::Prompt,
        &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    assert!(matches!(cc, Some(Action::Quit)));
}

#[test]
fn filter_and_sort_scale() {
    let r = wxaudit::tui::fixtures::large_report(60_000);
    let mut a = App::from_report(r, "big.csv");
    a.settle();
    assert_eq!(a.accounts.view.len(), 60_000);
    act(&mut a, &[Action::GoTab(Tab::Accounts), Action::Filter]);
    typed(&mut a, "莲花美妆");
    act(&mut a, &[Action::Submit]);
    // 5 of every 12 generated accounts belong to the brand.
    assert_eq!(a.accounts.view.len(), 25_000);
    act(
        &mut a,
        &[Action::SortBy(TableKind::Accounts, Col::Id, true)],
    );
    assert_eq!(ids(&a, TableKind::Accounts)[0], "gh_000059998");
}

#[test]
fn export_waits_for_a_running_filter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = app();
    a.update(Action::GoTab(Tab::Findings));
    // The filter job has not run yet when the export is confirmed.
    a.update(Action::CycleSeverity);
    a.update(Action::Export);
    a.update(Action::InputClear);
    let path = dir.path().join("later.csv");
    for c in path.display().to_string().chars() {
        a.update(Action::InputChar(c));
    }
    a.update(Action::Submit);
    assert!(a.busy());
    a.settle();
    let text = std::fs::read_to_string(&path).expect("file");
    assert_eq!(text.lines().count(), 3, "header + 2 critical:\n{text}");
    assert!(!a.busy());
}

#[test]
fn severity_key_on_summary_shows_critical_findings() {
    let mut a = app();
    act(&mut a, &[Action::CycleSeverity]);
    assert_eq!(a.tab, Tab::Findings);
    assert_eq!(ids(&a, TableKind::Findings), vec!["REACH-001", "OWN-001"]);
    act(
        &mut a,
        &[Action::GoTab(Tab::Summary), Action::CyclePlatform],
    );
    assert_eq!(a.tab, Tab::Accounts);
}

#[test]
fn export_to_a_folder_uses_the_default_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = app();
    act(
        &mut a,
        &[
            Action::GoTab(Tab::Findings),
            Action::Export,
            Action::InputClear,
        ],
    );
    typed(&mut a, &dir.path().display().to_string());
    act(&mut a, &[Action::Submit]);
    let (msg, _) = a.message.clone().expect("message");
    assert!(msg.contains("Exported 13 rows"), "{msg}");
    assert!(dir.path().join("wxaudit-findings.csv").exists(), "{msg}");
}

#[test]
fn summary_paging_scrolls_the_page_and_steps_move_the_selection() {
    let mut a = app();
    draw(&mut a, 80, 12);
    let sel = a.summary_sel;
    act(&mut a, &[Action::PageDown]);
    assert_eq!(a.summary_sel, sel);
    assert!(a.summary_scroll > 0);
    act(&mut a, &[Action::Top]);
    draw(&mut a, 80, 12);
    assert_eq!(a.summary_sel, 0);
    assert_eq!(
        a.summary_scroll, 0,
        "the page follows the selection back up"
    );
}

/// Messages are stored with the account's name cut out (see `model::Message`) and compared
/// without being rebuilt: sorting must still order rows exactly by the text on screen.
#[test]
fn sorting_by_message_or_evidence_orders_rows_by_the_text_shown() {
    let report = tui::acme_report();
    let mut a = App::from_report(report, "acme-accounts.csv");
    a.settle();
    assert!(a.findings.view.len() > 20);
    for col in [Col::Message, Col::Evidence] {
        assert_sorted_by_shown_text(&mut a, col);
    }
}

/// Sorts the findings by `col` both ways and checks the rows follow the text the column shows.
fn assert_sorted_by_shown_text(a: &mut App, col: Col) {
    for desc in [false, true] {
        act(a, &[Action::SortBy(TableKind::Findings, col, desc)]);
        let d = a.data.clone().expect("loaded");
        let shown: Vec<String> = a
            .findings
            .view
            .iter()
            .map(|&r| wxaudit::tui::view::finding_cell(&d, r, col).into_owned())
            .collect();
        let mut sorted = shown.clone();
        sorted.sort();
        if desc {
            sorted.reverse();
        }
        // Not assert_eq: a large table's diff would drown the message.
        assert!(shown == sorted, "{col:?} desc={desc} out of order");
    }
}

/// Past 50,000 rows, text columns sort by a per-row prefix first: the order must still be
/// exactly the order of the text shown, both ways.
#[test]
fn sorting_a_large_findings_table_by_text_orders_rows_by_the_text_shown() {
    let r = wxaudit::tui::fixtures::large_report(60_000);
    let mut a = App::from_report(r, "big.csv");
    a.settle();
    assert!(a.findings.view.len() > 50_000, "{}", a.findings.view.len());
    for col in [Col::Message, Col::Account, Col::Evidence] {
        assert_sorted_by_shown_text(&mut a, col);
    }
}

/// The Summary's row for `brand` in mainland China.
fn cn_row<'a>(d: &'a Data, brand: &str) -> &'a MatrixRow {
    d.matrix
        .iter()
        .find(|r| r.market == "CN" && r.brand.as_deref() == Some(brand))
        .unwrap_or_else(|| panic!("no {brand} row for CN"))
}

/// Runs the real pipeline (the one `wxaudit audit` uses) on `csv`, with an optional rules file,
/// and opens the result as the TUI does.
fn app_for_csv(dir: &std::path::Path, csv: &str, rules: Option<&str>) -> App {
    let mut opts = tui::inventory(dir, csv);
    opts.rules = rules.map(|text| {
        let p = dir.join("rules.toml");
        std::fs::write(&p, text).expect("write rules");
        p
    });
    let report = wxaudit::pipeline::run(&opts, &|_, _, _| {}).expect("audit");
    let mut a = App::from_report(report, "inventory.csv");
    a.color = false;
    a.settle();
    a
}

/// Without a `type` column the audit cannot tell official accounts from personal ones, so it
/// reports REACH-001 as not evaluated and finds no REACH gap. The Summary must say the same: no
/// brand is "UNREACHABLE", the mainland rows say they were not evaluated, and the page names the
/// missing column. The counts stay what the inventory says.
#[test]
fn summary_without_type_column_says_reach_not_evaluated_not_unreachable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = "id,name,brand,platform,audience\n\
               gh_lotus_intl,Lotus Beauty 莲花美妆,Lotus Beauty,wechat,CN\n\
               gh_tea_cn,Acme Tea 阿克米茶饮,Acme Tea,weixin,CN\n\
               wxid_tea_hk,Acme Tea HK,Acme Tea,wechat,HK\n";
    let mut a = app_for_csv(dir.path(), csv, None);
    let d = a.data.clone().expect("loaded");

    // What the headless audit says about this file.
    let ne = d
        .report
        .not_evaluated
        .iter()
        .find(|n| n.rule_id == "REACH-001")
        .expect("REACH-001 not evaluated");
    assert_eq!(ne.missing_columns, vec![wxaudit::model::Column::Type]);
    assert!(
        !d.report
            .findings
            .iter()
            .any(|f| f.rule_id.starts_with("REACH")),
        "no REACH finding"
    );

    // No row claims a gap the audit did not find.
    for r in &d.matrix {
        assert!(
            !matches!(r.verdict(), Level::Bad | Level::Warn),
            "{:?} {:?}: {:?}",
            r.market,
            r.brand,
            r.verdict()
        );
        for c in wxaudit::tui::data::MatrixCol::ALL {
            assert_ne!(r.level(c), Level::Bad, "{:?} {:?} {c:?}", r.market, r.brand);
        }
    }
    let lotus = cn_row(&d, "Lotus Beauty");
    assert_eq!(
        (
            lotus.accounts,
            lotus.wx_official,
            lotus.wechat,
            lotus.personal,
            lotus.payments
        ),
        (1, 0, 1, 0, 0),
        "counts are kept"
    );

    // On an 80-column screen: the verdict is whole, the reason is given, nothing is a gap.
    let s = tui::screen(&mut a, 80, 24);
    assert!(!s.contains("UNREACHABLE"), "{s}");
    assert!(!s.contains("no reach gaps"), "{s}");
    assert!(!s.contains("market/brand gap"), "{s}");
    assert!(s.contains("Reachability not evaluated"), "{s}");
    assert!(s.contains("no `type` column"), "{s}");
    for label in ["CN · Lotus Beauty", "CN · Acme Tea", "CN mainland China"] {
        let row = tui::line_with(&s, label);
        assert!(row.ends_with("? NOT EVALUATED"), "{row}\n{s}");
    }
    // Outside the mainland any account on either platform can be found: HK is reachable.
    let hk = tui::line_with(&s, "HK · Acme Tea");
    assert!(hk.ends_with("✓ reachable"), "{hk}");
}

/// The bundled sample, where REACH-001 does run and fires for Lotus Beauty: the Summary still
/// shows the brand unreachable in mainland China, and nothing as not evaluated.
#[test]
fn sample_data_still_shows_lotus_beauty_unreachable_in_mainland_china() {
    let report = tui::acme_report();
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule_id == "REACH-001" && f.brand(&report.accounts) == Some("Lotus Beauty")));
    let mut a = App::from_report(report, "acme-accounts.csv");
    a.color = false;
    a.settle();
    let d = a.data.clone().expect("loaded");
    let lotus = cn_row(&d, "Lotus Beauty");
    assert_eq!(lotus.verdict(), Level::Bad);
    for (w, h) in [(80, 24), (100, 30)] {
        let s = tui::screen(&mut a, w, h);
        let row = tui::line_with(&s, "CN · Lotus Beauty");
        assert!(row.contains("✗ UNREACHABLE"), "{row}\n{s}");
        assert!(!s.contains("NOT EVALUATED"), "{s}");
        assert!(!s.contains("Reachability not evaluated"), "{s}");
    }
}

/// REACH-001 decides a mainland row even when the counts look fine (a dormant Weixin account is
/// still counted) and even when a rules file lowered its severity: the row is a gap because the
/// audit says so.
#[test]
fn reach_001_finding_makes_the_row_a_gap_whatever_the_counts_and_severity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = "id,name,type,platform,portal,audience,brand,status\n\
               gh_lotus_sleepy,莲花美妆中国,service,weixin,https://mp.weixin.qq.com,CN,Lotus Beauty,dormant\n\
               gh_tea_cn,Acme Tea 阿克米茶饮,service,weixin,https://mp.weixin.qq.com,CN,Acme Tea,active\n";
    let rules = "[rules.\"REACH-001\"]\nseverity = \"high\"\n";
    let mut a = app_for_csv(dir.path(), csv, Some(rules));
    let d = a.data.clone().expect("loaded");
    let f = d
        .report
        .findings
        .iter()
        .find(|f| f.rule_id == "REACH-001")
        .expect("REACH-001 fires for the dormant brand");
    assert_eq!(f.brand(&d.report.accounts), Some("Lotus Beauty"));
    assert_eq!(f.severity, Severity::High);
    let lotus = cn_row(&d, "Lotus Beauty");
    assert_eq!(lotus.wx_official, 1, "the dormant account is counted");
    assert_eq!(lotus.verdict(), Level::Bad);
    assert_eq!(
        lotus.level(wxaudit::tui::data::MatrixCol::WeixinOfficial),
        Level::Bad
    );
    let tea = cn_row(&d, "Acme Tea");
    assert_eq!(tea.verdict(), Level::Good);
    let s = tui::screen(&mut a, 80, 24);
    let row = tui::line_with(&s, "CN · Lotus Beauty");
    assert!(row.contains("✗ UNREACHABLE"), "{row}\n{s}");
    assert!(s.contains("✗ 1 market/brand gap"), "{s}");
}
