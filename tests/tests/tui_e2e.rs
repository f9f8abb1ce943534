//! End to end: the real `wxaudit` binary in a real terminal (tmux), typed at like a person would:
//! open an inventory, see the unreachable brand on Summary, go to its accounts, filter to the
//! critical findings, export them, quit. Polls the screen with a bounded timeout instead of
//! sleeping fixed amounts. A second user does the same by mouse (clicks sent as the terminal
//! would send them). Fails (does not skip) when tmux is missing: `.ci/run` installs it.

use crate::common;

use common::tmux::Session;
use std::path::Path;
use std::time::{Duration, Instant};

const CSV: &str = "\u{feff}id,name,type,portal,phone,entity_name,entity_country,audience,brand,payments,verified,status,负责人
gh_a1b2c3d4e5f6,阿克米茶饮官方,subscription,admin.wechat.com,,Acme Tea Ltd.,HK,CN,阿克米茶饮,no,yes,active,王芳
wxid_tea_sales01,茶饮销售小王,personal,,+852 6123 4567,,,CN,阿克米茶饮,,,active,王芳
gh_lotus_cn,莲花美妆服务号,service,mp.weixin.qq.com,,莲花美妆（上海）有限公司,CN,CN,莲花美妆,yes,yes,active,李娜
wx5f3e2d1c0b9a8f7e,莲花美妆商城,mini_program,mp.weixin.qq.com,,莲花美妆（上海）有限公司,CN,CN,莲花美妆,yes,yes,active,李娜
gh_nw_travel,Northwind Travel HK,service,mp.weixin.qq.com,,Northwind Travel Ltd,HK,HK;US,Northwind Travel,yes,yes,active,Tom
gh_nw_legacy,Northwind Travel Intl,subscription,admin.wechat.com,,Northwind Travel Ltd,US,US,Northwind Travel,no,no,active,Tom
";

/// Starts the real binary on `input` in a 120×35 tmux session of its own.
fn start(dir: &Path, input: &Path) -> Session {
    assert!(
        common::tmux::installed(),
        "tmux is not installed: this end-to-end TUI test needs it (.ci/run installs it; \
         or apt-get install tmux)"
    );
    let bin = env!("CARGO_BIN_EXE_wxaudit");
    let cmd = format!(
        "cd '{}' && '{}' '{}'; sleep 5",
        dir.display(),
        bin,
        input.display()
    );
    Session::start("wxaudit-e2e", 120, 35, &[("LANG", "C.UTF-8")], &cmd)
}

#[test]
fn new_user_finds_unreachable_brand_and_exports_critical_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("acme.csv");
    std::fs::write(&input, CSV).expect("write fixture");
    let out = dir.path().join("critical.csv");
    let s = start(dir.path(), &input);

    // Summary: the brand targeting mainland China is unreachable, in words (not only colour).
    let screen = s.wait_for("the Summary with the reachability matrix", |t| {
        t.contains("Reachability") && t.contains("阿克米茶饮")
    });
    assert!(screen.contains("UNREACHABLE"), "{screen}");
    assert!(
        screen.contains("acme.csv"),
        "status bar names the file:\n{screen}"
    );

    // Go to the brand's row (the ▶ marks the selection) and open its accounts.
    s.keys(&["g"]);
    s.wait_for("the first matrix row to be selected", |t| {
        let lines: Vec<&str> = t.lines().collect();
        lines
            .iter()
            .position(|l| l.contains("Market / brand"))
            .and_then(|h| lines.get(h + 1))
            .is_some_and(|l| l.contains('▶'))
    });
    let mut found = false;
    for _ in 0..40 {
        let now = s.wait_for("the selection marker", |t| t.contains('▶'));
        let sel = now.lines().find(|l| l.contains('▶')).unwrap_or_default();
        if sel.contains("阿克米茶饮") && sel.contains("UNREACHABLE") {
            found = true;
            break;
        }
        s.keys(&["Down"]);
        s.wait_for("the selection to move", |t| {
            t.lines().find(|l| l.contains('▶')) != Some(sel)
        });
    }
    assert!(
        found,
        "no selectable unreachable-brand row:\n{}",
        s.screen()
    );
    s.keys(&["Enter"]);
    // The filter shows in the status bar at once; the row count changes when the rows have.
    let screen = s.wait_for("the brand's accounts", |t| {
        t.contains("brand=阿克米茶饮") && t.contains("2/6 accounts")
    });
    assert!(screen.contains("gh_a1b2c3d4e5f6"), "{screen}");
    assert!(screen.contains("wxid_tea_sales01"), "{screen}");
    assert!(!screen.contains("gh_lotus_cn"), "{screen}");

    // Read why.
    s.keys(&["Enter"]);
    s.wait_for("the account's detail", |t| t.contains("Why this platform"));
    s.keys(&["Escape", "x"]);

    // Critical findings, exported.
    s.keys(&["3", "!"]);
    s.wait_for("the critical filter", |t| t.contains("severity=critical"));
    s.keys(&["e"]);
    s.wait_for("the export prompt", |t| t.contains("Export findings to:"));
    s.keys(&["C-u"]);
    s.literal(&out.display().to_string());
    s.keys(&["Enter"]);
    let screen = s.wait_for("the export confirmation", |t| {
        t.contains("Exported") || t.contains("Could not export")
    });
    assert!(screen.contains("Exported"), "{screen}");
    let bytes = std::fs::read(&out).expect("exported CSV");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.lines().next().is_some_and(|l| l.contains("severity")));
    assert!(
        text.lines().skip(1).all(|l| l.starts_with("critical")),
        "only critical rows:\n{text}"
    );

    // q quits and the shell gets its screen back.
    s.keys(&["q"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen = s.screen();
        if !screen.contains("Reachability") && !screen.contains("severity=critical") {
            break;
        }
        assert!(s.alive(), "session ended");
        assert!(Instant::now() < deadline, "q did not quit:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(Path::new(&out).exists());
}

#[test]
fn a_mouse_user_picks_a_brand_a_tab_and_an_account_by_clicking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("acme.csv");
    std::fs::write(&input, CSV).expect("write fixture");
    let s = start(dir.path(), &input);
    let screen = s.wait_for("the Summary", |t| {
        t.contains("Reachability") && t.contains("莲花美妆")
    });

    // Click a matrix row: the selection marker moves to it.
    let row = |screen: &str, pred: &dyn Fn(&str) -> bool| {
        screen
            .lines()
            .position(pred)
            .unwrap_or_else(|| panic!("no such row on screen:\n{screen}"))
    };
    // The last brand row (market · brand), which is not the one selected at the start.
    let lines: Vec<&str> = screen.lines().collect();
    let target = lines
        .iter()
        .rposition(|l| {
            // "  CN · 莲花美妆 …": a market code, then the brand.
            let t = l.trim_start_matches([' ', '▶']);
            !l.contains('▶') && t.get(2..6) == Some(" · ")
        })
        .unwrap_or_else(|| panic!("no unselected brand row:\n{screen}"));
    s.click(4, target);
    s.wait_for("the clicked row to be selected", |t| {
        t.lines().nth(target).is_some_and(|l| l.contains('▶'))
            && t.lines().filter(|l| l.contains('▶')).count() == 1
    });

    // Click the Accounts tab, then an account row, and open it with Enter.
    let tab_col = screen
        .lines()
        .next()
        .and_then(|l| l.find("2 Accounts"))
        .expect("tab bar");
    s.click(tab_col + 2, 0);
    let screen = s.wait_for("the Accounts table", |t| {
        t.lines().any(|l| l.starts_with("gh_nw_legacy"))
    });
    let target = row(&screen, &|l| l.starts_with("gh_nw_legacy"));
    s.click(2, target);
    s.keys(&["Enter"]);
    let screen = s.wait_for("the clicked account's detail", |t| {
        t.contains("Why this platform")
    });
    assert!(
        screen
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("gh_nw_legacy")),
        "detail of the clicked account:\n{screen}"
    );
    s.keys(&["q"]);
}
