//! The Import screen and what leads to it: the first screen names what the file's reading left
//! out (a banner above the Summary), `i` opens the list of every header and the column it became,
//! Enter on a header opens a fuzzy list of columns, picking one re-audits at once through the
//! same pipeline as `wxaudit audit`, and `s` saves the mapping into wxaudit.toml keeping the
//! file's other settings and comments. Driven through the key map and `App::update` like a user,
//! over real CSV files in a temp dir; screens at 80×24 are insta snapshots.

use crate::common;

use common::tui;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use wxaudit::model::Column;
use wxaudit::tui::action::{Action, Tab};
use wxaudit::tui::app::{App, Choice, Load, Mode, MsgLevel};
use wxaudit::tui::keymap::{self, Context};
use wxaudit::tui::ui;

/// An inventory whose account kind is under a header wxaudit does not know.
const ACCT_TYPE: &str = "name,id,brand,Acct Type,platform,audience\n\
                         Lotus CN,gh_lotus_cn,Lotus Beauty,service,wechat,CN\n\
                         Lotus News,gh_lotus_news,Lotus Beauty,subscription,wechat,CN\n\
                         Acme Tea HK,gh_tea_hk,Acme Tea,service,wechat,HK\n";

/// A sheet as a Chinese team keeps it: a title row, a unit in brackets, a brand written once per
/// group, a totals row, and two headers wxaudit does not know (负责人, 账户类型).
const ZH: &str = "Acme 公众号清单 2026Q3,,,,,,,\n\
                  账号名称,原始ID,平台,粉丝数(万),负责人,品牌,目标市场,账户类型\n\
                  莲花美妆服务号,gh_lotus_cn,微信,12.8,李娜,莲花美妆,CN,服务号\n\
                  莲花美妆国际,gh_lotus_intl,海外版,3.2,李娜,,HK,订阅号\n\
                  阿克米茶饮,gh_tea_cn,微信,1.5,王芳,阿克米茶饮,CN,订阅号\n\
                  合计,,,17.5,,,,\n";

/// Opens `csv` the way `wxaudit FILE` does (App::new → the background load, run here
/// synchronously), saving mappings to `dir/wxaudit.toml`.
fn open(dir: &Path, csv: &str) -> App {
    let mut a = App::new(tui::inventory(dir, csv));
    a.color = false;
    a.config_path = dir.join("wxaudit.toml");
    a.settle();
    assert!(a.data.is_some(), "loaded: {:?}", a.load);
    a
}

/// A key press as the terminal delivers it, through the key map for the current context.
fn press(a: &mut App, code: KeyCode) {
    let ev = KeyEvent::new(code, KeyModifiers::NONE);
    if let Some(act) = keymap::lookup(&a.keymap, a.context(), &ev) {
        a.update(act);
    }
    a.settle();
}

fn typed(a: &mut App, s: &str) {
    for c in s.chars() {
        press(a, KeyCode::Char(c));
    }
}

/// Enter on the selected header, `column` typed into the picker, Enter: a header mapped as a
/// user maps it.
fn choose(a: &mut App, column: &str) {
    press(a, KeyCode::Enter);
    typed(a, column);
    press(a, KeyCode::Enter);
}

/// The Import screen's row for `header` (the selected one is marked ▶).
fn header_row<'a>(s: &'a str, header: &str) -> &'a str {
    tui::find_line(s, header, |l| {
        l.trim_start_matches(['▶', ' ']).starts_with(header)
    })
}

fn not_evaluated(a: &App) -> Vec<String> {
    let d = a.data.as_ref().expect("loaded");
    d.report
        .not_evaluated
        .iter()
        .map(|n| n.rule_id.to_string())
        .collect()
}

fn header<'a>(a: &'a App, h: &str) -> &'a wxaudit::import::ColumnUse {
    let d = a.data.as_ref().expect("loaded");
    d.column_use(h).unwrap_or_else(|| panic!("no header {h}"))
}

fn message(a: &App) -> (String, MsgLevel) {
    a.visible_message().cloned().expect("a message")
}

#[test]
fn the_first_screen_names_the_ignored_header_and_the_check_it_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = open(dir.path(), ACCT_TYPE);
    assert_eq!(a.tab, Tab::Summary);
    let s = tui::screen(&mut a, 80, 24);
    let banner = s.lines().nth(1).expect("line under the tabs");
    assert!(banner.starts_with("⚠ \"Acct Type\" not read"), "{s}");
    assert!(banner.contains("REACH-001"), "{s}");
    assert!(banner.contains("need `type`"), "{s}");
    assert!(banner.ends_with("press i to review"), "{s}");
    // Wide enough, it is one line; narrow, never more than two, and never past the edge.
    for w in [40u16, 60, 80, 120] {
        let s = tui::screen(&mut a, w, 24);
        let lines: Vec<&str> = s
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with(['⚠', ' ']))
            .collect();
        assert!(!lines.is_empty() && lines.len() <= 2, "{w}: {s}");
        assert!(
            lines.iter().any(|l| l.contains("press i")),
            "{w}: the way to fix it stays visible\n{s}"
        );
    }
    // Clicking the banner opens the Import screen.
    let _ = tui::screen(&mut a, 80, 24);
    a.update(Action::Click { x: 3, y: 1 });
    assert_eq!(a.tab, Tab::Import);
}

#[test]
fn a_file_read_plainly_has_no_banner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = open(
        dir.path(),
        "id,name,type,platform,audience\ngh_1,Lotus CN,service,weixin,CN\n",
    );
    let s = tui::screen(&mut a, 80, 24);
    assert!(!s.contains('⚠'), "{s}");
    assert!(!s.contains("press i"), "{s}");
}

#[test]
fn map_an_ignored_header_in_the_picker_reaudit_and_save_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("wxaudit.toml");
    let before = "# Acme's weekly audit — owned by the brand team\n\
                  fail_on = \"high\"   # page someone\n\
                  \n\
                  [profile]\n\
                  targets = [\"CN\", \"HK\"]\n\
                  \n\
                  [columns]\n\
                  # the agency's export\n\
                  \"Admin Portal\" = \"portal\"\n";
    std::fs::write(&cfg, before).expect("write config");
    let mut a = open(dir.path(), ACCT_TYPE);
    assert!(not_evaluated(&a).contains(&"REACH-001".to_string()));

    // i opens the Import screen on the header worth a look.
    press(&mut a, KeyCode::Char('i'));
    assert_eq!(a.tab, Tab::Import);
    assert_eq!(a.context(), Context::Import);
    let d = a.data.clone().expect("loaded");
    assert_eq!(d.report.input.columns[a.import.sel].header, "Acct Type");
    // Arrows move the selection; back to it.
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Up);
    assert_eq!(d.report.input.columns[a.import.sel].header, "Acct Type");
    let s = tui::screen(&mut a, 80, 24);
    let row = header_row(&s, "Acct Type");
    assert!(row.contains("— not read"), "{row}");
    assert!(row.contains("is it `type`?"), "{row}");

    // Enter opens the picker: every column and "ignore", the suggestion first.
    press(&mut a, KeyCode::Enter);
    let Mode::Picker(p) = &a.mode else {
        panic!("no picker: {:?}", a.mode);
    };
    assert_eq!(p.header, "Acct Type");
    assert_eq!(p.items.len(), Column::ALL.len() + 1);
    assert_eq!(p.items[p.matches[0]].choice, Choice::Column(Column::Type));
    assert!(p.items.iter().all(|i| !i.meaning.is_empty()));
    // Typing narrows it; `type` stays first over entity_type, merchant type…
    typed(&mut a, "type");
    let Mode::Picker(p) = &a.mode else {
        panic!("picker closed while typing");
    };
    assert_eq!(p.query, "type");
    assert_eq!(p.items[p.matches[p.sel]].name, "type");
    assert!(p.matches.len() > 1, "other columns about types match too");

    // Enter applies it and re-audits at once; the old report stays on screen meanwhile.
    let ev = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    let act = keymap::lookup(&a.keymap, a.context(), &ev).expect("Enter");
    a.update(act);
    assert!(matches!(a.mode, Mode::Normal));
    assert!(matches!(a.load, Load::Running { reload: true, .. }));
    assert!(a.busy() && a.data.is_some());
    let s = tui::screen(&mut a, 80, 24);
    assert!(s.contains("re-auditing"), "progress is shown\n{s}");
    a.settle();
    assert!(matches!(a.load, Load::Idle));
    let ne = not_evaluated(&a);
    assert!(!ne.contains(&"REACH-001".to_string()), "{ne:?}");
    let u = header(&a, "Acct Type");
    assert_eq!(u.column, Some(Column::Type));
    assert_eq!(a.import.session, vec![("Acct Type".into(), "type".into())]);
    let (m, level) = message(&a);
    assert_eq!(level, MsgLevel::Info);
    assert!(m.starts_with("\"Acct Type\" → type · re-audited"), "{m}");
    assert!(m.contains("REACH-001"), "{m}");
    let s = tui::screen(&mut a, 80, 24);
    let row = header_row(&s, "Acct Type");
    assert!(row.contains("→ type"), "{row}");
    assert!(row.contains("your mapping, not saved"), "{row}");
    assert!(s.contains("1 not saved — s saves to"), "{s}");
    // With the account kinds read, the audit finds the mainland gap the file really has.
    let d = a.data.clone().expect("loaded");
    assert!(d.report.findings.iter().any(|f| f.rule_id == "REACH-001"));
    // The first screen has nothing left to warn about.
    press(&mut a, KeyCode::Char('1'));
    let s = tui::screen(&mut a, 80, 24);
    assert!(!s.contains("press i to review"), "{s}");

    // s on the Import screen saves it (on other screens s sorts).
    press(&mut a, KeyCode::Char('i'));
    press(&mut a, KeyCode::Char('s'));
    let (m, level) = message(&a);
    assert_eq!(level, MsgLevel::Info, "{m}");
    assert_eq!(m, format!("Saved 1 mapping to {}", cfg.display()));
    let after = std::fs::read_to_string(&cfg).expect("config");
    assert!(
        after.starts_with(before),
        "comments and keys kept:\n{after}"
    );
    assert!(
        after.ends_with("\"Admin Portal\" = \"portal\"\n\"Acct Type\" = \"type\"\n"),
        "{after}"
    );
    assert_eq!(a.import.unsaved(), 0);
    let s = tui::screen(&mut a, 80, 24);
    assert!(s.contains("saved in"), "{s}");

    // The saved file reads the next audit the same way.
    let c = wxaudit::config::load(Some(&cfg))
        .expect("config parses")
        .expect("config");
    assert!(c
        .columns
        .contains(&("Acct Type".to_string(), "type".to_string())));
    assert_eq!(c.fail_on, Some(wxaudit::model::Severity::High));
    let opts = wxaudit::pipeline::PipelineOptions {
        input: dir.path().join("inventory.csv"),
        import: wxaudit::import::ImportOptions {
            columns: wxaudit::import::Overrides::parse(&c.columns, "wxaudit.toml")
                .expect("mappings"),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = wxaudit::pipeline::run(&opts, &|_, _, _| {}).expect("audit");
    assert!(!r.not_evaluated.iter().any(|n| n.rule_id == "REACH-001"));
}

#[test]
fn change_a_used_header_then_remove_the_mapping() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("wxaudit.toml");
    let mut a = open(dir.path(), ACCT_TYPE);
    press(&mut a, KeyCode::Char('i'));
    press(&mut a, KeyCode::Home);
    let d = a.data.clone().expect("loaded");
    let i = d
        .report
        .input
        .columns
        .iter()
        .position(|u| u.header == "platform")
        .expect("platform header");
    for _ in 0..i {
        press(&mut a, KeyCode::Down);
    }
    // The picker marks the current column; choose "ignore".
    press(&mut a, KeyCode::Enter);
    let Mode::Picker(p) = &a.mode else {
        panic!("no picker");
    };
    let cur = p
        .items
        .iter()
        .find(|it| it.choice == Choice::Column(Column::Platform))
        .expect("platform item");
    assert_eq!(cur.note, "current");
    typed(&mut a, "ignore");
    press(&mut a, KeyCode::Enter);
    let u = header(&a, "platform");
    assert_eq!(u.column, None);
    assert!(u.ignored_by_user);
    let (m, _) = message(&a);
    assert!(m.starts_with("\"platform\" ignored · re-audited"), "{m}");
    // A header the user chose to ignore is not news on the first screen.
    let s = tui::screen(&mut a, 80, 24);
    assert!(
        s.contains("platform  — not read ignored by your mapping"),
        "{s}"
    );
    press(&mut a, KeyCode::Char('s'));
    assert!(std::fs::read_to_string(&cfg)
        .expect("saved")
        .contains("platform = \"ignore\""));

    // d removes the mapping made here: the header is read as before, and the next save takes
    // it out of the file too.
    press(&mut a, KeyCode::Char('d'));
    let u = header(&a, "platform");
    assert_eq!(u.column, Some(Column::Platform));
    assert!(a.import.session.is_empty());
    assert_eq!(a.import.unsaved(), 1);
    press(&mut a, KeyCode::Char('s'));
    let text = std::fs::read_to_string(&cfg).expect("saved");
    assert!(!text.contains("platform"), "{text}");
    let (m, _) = message(&a);
    assert!(m.contains("removed 1"), "{m}");

    // d on a header without a mapping of this session says so.
    press(&mut a, KeyCode::Char('d'));
    let (m, _) = message(&a);
    assert!(m.contains("no mapping of yours"), "{m}");
    // A choice from the picker can also remove it.
    choose(&mut a, "ignore");
    press(&mut a, KeyCode::Enter);
    let Mode::Picker(p) = &a.mode else {
        panic!("no picker");
    };
    assert!(p.items.iter().any(|it| it.choice == Choice::Remove));
    typed(&mut a, "remove");
    press(&mut a, KeyCode::Enter);
    assert_eq!(header(&a, "platform").column, Some(Column::Platform));

    // Turning off a header a check needs says what can no longer run.
    press(&mut a, KeyCode::Up);
    let d = a.data.clone().expect("loaded");
    assert_eq!(d.report.input.columns[a.import.sel].header, "Acct Type");
    choose(&mut a, "type");
    assert!(!not_evaluated(&a).contains(&"REACH-001".to_string()));
    choose(&mut a, "ignore");
    assert!(not_evaluated(&a).contains(&"REACH-001".to_string()));
    let (m, _) = message(&a);
    assert!(m.contains("can no longer run"), "{m}");
}

#[test]
fn a_save_that_fails_says_why_and_keeps_the_mappings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = open(dir.path(), ACCT_TYPE);
    a.config_path = dir.path().to_path_buf();
    press(&mut a, KeyCode::Char('i'));
    // Nothing chosen yet: nothing to save.
    press(&mut a, KeyCode::Char('s'));
    let (m, _) = message(&a);
    assert!(m.starts_with("Nothing to save"), "{m}");
    choose(&mut a, "type");
    press(&mut a, KeyCode::Char('s'));
    let (m, level) = message(&a);
    assert_eq!(level, MsgLevel::Error);
    assert!(m.starts_with("Mappings not saved: "), "{m}");
    assert!(m.contains("is a directory"), "{m}");
    assert_eq!(a.import.unsaved(), 1);
}

#[test]
fn import_keys_are_in_the_help_and_s_saves_only_on_the_import_screen() {
    let table = keymap::bindings();
    let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert!(matches!(
        keymap::lookup(&table, Context::Import, &key('s')),
        Some(Action::SaveMappings)
    ));
    assert!(matches!(
        keymap::lookup(&table, Context::Normal, &key('s')),
        Some(Action::Sort)
    ));
    assert!(matches!(
        keymap::lookup(&table, Context::Import, &key('d')),
        Some(Action::RemoveMapping)
    ));
    // Everything else still works on the Import screen.
    assert!(matches!(
        keymap::lookup(&table, Context::Import, &key('2')),
        Some(Action::GoTab(Tab::Accounts))
    ));
    for c in ['i', '5'] {
        assert!(matches!(
            keymap::lookup(&table, Context::Normal, &key(c)),
            Some(Action::GoTab(Tab::Import))
        ));
    }
    let theme = ui::Theme { color: false };
    let help: String = ui::help::lines(&table, 200, &theme)
        .iter()
        .map(|l| l.to_string() + "\n")
        .collect();
    assert!(help.contains("Import screen"), "{help}");
    assert!(
        help.contains("save your mappings into wxaudit.toml"),
        "{help}"
    );
    assert!(help.contains("remove the mapping you made"), "{help}");
    // The palette offers saving too.
    let dir = tempfile::tempdir().expect("tempdir");
    let a = open(dir.path(), ACCT_TYPE);
    assert!(a
        .palette_commands()
        .iter()
        .any(|c| matches!(c.action, Action::SaveMappings)));
}

#[test]
fn import_screen_with_chinese_headers_80x24() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = open(dir.path(), ZH);
    let s = tui::screen(&mut a, 80, 24);
    insta::assert_snapshot!("summary_banner_zh_80x24", s);
    press(&mut a, KeyCode::Char('i'));
    let s = tui::screen(&mut a, 80, 24);
    // Every line fits; the columns line up whatever the script.
    for l in s.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(l) <= 80, "{l}");
    }
    let col = |l: &str| {
        let at = l
            .find('→')
            .or_else(|| l.find("— not read"))
            .expect("column");
        unicode_width::UnicodeWidthStr::width(&l[..at])
    };
    let rows: Vec<&str> = s
        .lines()
        .filter(|l| l.contains(" → ") || l.contains("— not read"))
        .filter(|l| !l.starts_with(" \""))
        .collect();
    assert_eq!(rows.len(), 8, "{s}");
    assert!(rows.iter().all(|l| col(l) == col(rows[0])), "{s}");
    insta::assert_snapshot!("import_zh_80x24", s);
    // Select 账户类型 and open the picker.
    press(&mut a, KeyCode::End);
    press(&mut a, KeyCode::Enter);
    let s = tui::screen(&mut a, 80, 24);
    insta::assert_snapshot!("import_picker_zh_80x24", s);
    typed(&mut a, "type");
    press(&mut a, KeyCode::Enter);
    let u = header(&a, "账户类型");
    assert_eq!(u.column, Some(Column::Type));
    let s = tui::screen(&mut a, 120, 40);
    assert!(s.contains("账户类型"), "{s}");
}

#[test]
fn the_import_screen_never_panics_on_small_terminals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = open(dir.path(), ZH);
    press(&mut a, KeyCode::Char('i'));
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 8), (80, 10), (200, 60)] {
        let _ = tui::screen(&mut a, w, h);
        press(&mut a, KeyCode::Enter);
        let _ = tui::screen(&mut a, w, h);
        press(&mut a, KeyCode::Esc);
        press(&mut a, KeyCode::Char('1'));
        let _ = tui::screen(&mut a, w, h);
        press(&mut a, KeyCode::Char('i'));
    }
}

#[test]
fn a_second_choice_during_a_reaudit_wins_and_quitting_warns_about_unsaved_mappings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = open(dir.path(), ACCT_TYPE);
    press(&mut a, KeyCode::Char('i'));
    // Choose `type`, and before that audit is done, change it to "ignore".
    a.update(Action::Enter);
    for c in "type".chars() {
        a.update(Action::InputChar(c));
    }
    a.update(Action::Submit);
    assert!(matches!(a.load, Load::Running { .. }));
    a.update(Action::Enter);
    assert!(
        matches!(a.mode, Mode::Picker(_)),
        "the picker works meanwhile"
    );
    for c in "ignore".chars() {
        a.update(Action::InputChar(c));
    }
    a.update(Action::Submit);
    a.settle();
    assert!(matches!(a.load, Load::Idle));
    let u = header(&a, "Acct Type");
    assert!(u.ignored_by_user && u.column.is_none(), "{u:?}");
    assert_eq!(
        a.import.session,
        vec![("Acct Type".into(), "ignore".into())]
    );
    let (m, _) = message(&a);
    assert!(m.starts_with("\"Acct Type\" ignored · re-audited"), "{m}");

    // q with a mapping not saved warns once; q again quits.
    press(&mut a, KeyCode::Char('q'));
    assert!(!a.quit);
    let (m, level) = message(&a);
    assert_eq!(level, MsgLevel::Error);
    assert!(m.starts_with("1 mapping change not saved"), "{m}");
    press(&mut a, KeyCode::Char('q'));
    assert!(a.quit);
}
