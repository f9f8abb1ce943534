//! Nothing the tool writes may destroy data: an output that is one of the inputs is refused
//! (however it is spelled), a device, FIFO, folder or socket is never replaced, an interrupted
//! write leaves the previous report and no temp file, the `-o DIR/` set is written as a unit, a
//! broken `latest.json` does not block later runs, and the TUI export refuses the inventory.
//!
//! Signal cases run the real binary with the test-only pause (`WXAUDIT_TEST_PAUSE_BEFORE_RENAME`,
//! see `wxaudit::atomic`), wait for its temp file to appear, then signal it: deterministic, no
//! sleeping to pass.

use crate::common;

use common::{acme, clean, stderr, wx_in, AS_OF};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PAUSE: &str = "WXAUDIT_TEST_PAUSE_BEFORE_RENAME";

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn temp_files(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".wxaudit-") && n.ends_with(".tmp"))
        .collect()
}

fn copy_in(dir: &Path, from: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::copy(from, &p).unwrap();
    p
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Polls `cond` for up to 30 s.
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits for `child` to exit (at most 30 s) and returns its exit code.
fn exit_code(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Starts `wxaudit audit <args>` in `dir`, paused before its renames.
fn paused(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wxaudit"))
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .args(["--as-of", AS_OF])
        .env(PAUSE, "1")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn kill(child: &Child, sig: i32) {
    // SAFETY: signalling our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, sig) }, 0);
}

#[test]
fn output_that_is_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inv = copy_in(dir.path(), &acme(), "x.csv");
    let before = std::fs::read(&inv).unwrap();
    std::fs::hard_link(&inv, dir.path().join("hard.csv")).unwrap();
    std::os::unix::fs::symlink(&inv, dir.path().join("link.csv")).unwrap();
    for out in ["x.csv", "./x.csv", "hard.csv", "link.csv"] {
        let o = wx_in(dir.path())
            .args(["audit", "x.csv", "--format", "csv", "-o", out])
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "-o {out}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(out) && err.contains("inventory") && err.contains("nothing was written"),
            "-o {out}: {err}"
        );
        assert_eq!(std::fs::read(&inv).unwrap(), before, "-o {out} changed it");
    }
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn output_that_is_a_side_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_in(dir.path(), &acme(), "inv.csv");
    let profile = copy_in(
        dir.path(),
        &common::sample("acme-profile.toml"),
        "profile.toml",
    );
    let supp = copy_in(
        dir.path(),
        &common::sample("accepted-risks.toml"),
        "ok.toml",
    );
    std::fs::write(dir.path().join("wxaudit.toml"), "fail_on = \"critical\"\n").unwrap();
    let o = wx_in(dir.path())
        .args(["audit", "inv.csv", "--format", "json", "--as-of", AS_OF])
        .output()
        .unwrap();
    std::fs::write(dir.path().join("last.json"), &o.stdout).unwrap();
    for (flags, out, what) in [
        (vec!["--profile", "profile.toml"], "profile.toml", "profile"),
        (vec!["--suppressions", "ok.toml"], "ok.toml", "suppressions"),
        (vec!["--config", "wxaudit.toml"], "wxaudit.toml", "config"),
        (vec!["--baseline", "last.json"], "last.json", "baseline"),
    ] {
        let before = std::fs::read(dir.path().join(out)).unwrap();
        let o = wx_in(dir.path())
            .args(["audit", "inv.csv", "--format", "json", "-o", out])
            .args(&flags)
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{flags:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(what), "{flags:?}: {}", stderr(&o));
        assert_eq!(std::fs::read(dir.path().join(out)).unwrap(), before);
    }
    let _ = (profile, supp);
}

#[test]
fn diff_output_that_is_old_or_new_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, file) in [("a.json", acme()), ("b.json", clean())] {
        let o = wx_in(dir.path())
            .arg("audit")
            .arg(file)
            .args(["--format", "json", "--as-of", AS_OF])
            .output()
            .unwrap();
        std::fs::write(dir.path().join(name), &o.stdout).unwrap();
    }
    for out in ["a.json", "./b.json"] {
        let before = std::fs::read(dir.path().join(out)).unwrap();
        let o = wx_in(dir.path())
            .args(["diff", "a.json", "b.json", "-o", out])
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains("report"), "{}", stderr(&o));
        assert_eq!(std::fs::read(dir.path().join(out)).unwrap(), before);
    }
}

#[test]
fn report_folder_holding_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    // The inventory saved in the folder under the name today's CSV report would get.
    let inv = copy_in(&reports, &acme(), &format!("audit-{AS_OF}.csv"));
    let before = std::fs::read(&inv).unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(&inv)
        .args(["--as-of", AS_OF, "-o", "reports/"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("inventory"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&inv).unwrap(), before);
    assert_eq!(names(&reports), vec![format!("audit-{AS_OF}.csv")]);

    // latest.json as a hard link to the profile: refused too.
    std::fs::remove_file(&inv).unwrap();
    let profile = copy_in(dir.path(), &common::sample("acme-profile.toml"), "p.toml");
    std::fs::hard_link(&profile, reports.join("latest.json")).unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--as-of", AS_OF, "-o", "reports/", "--profile", "p.toml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("profile"), "{}", stderr(&o));
    assert_eq!(names(&reports), vec!["latest.json"]);
}

#[test]
fn baseline_auto_replaces_latest_json_after_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let o = wx_in(dir.path())
            .arg("audit")
            .arg(acme())
            .args(["--as-of", AS_OF, "-o", "r/", "--baseline", "auto"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 1, "{}", stderr(&o));
    }
    let latest = common::read_json(&dir.path().join("r/latest.json"));
    assert!(
        latest["baseline"].as_str().is_some(),
        "{}",
        latest["baseline"]
    );
}

#[test]
fn output_onto_a_device_or_fifo_is_written_as_a_stream() {
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    // Other programs on the machine may have damaged /dev/null: what matters is that this run
    // writes into whatever is there and replaces nothing.
    let before = std::fs::metadata("/dev/null").unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .args(["--format", "csv", "-o", "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let after = std::fs::metadata("/dev/null").unwrap();
    assert_eq!(
        (after.ino(), after.file_type().is_char_device()),
        (before.ino(), before.file_type().is_char_device()),
        "/dev/null was replaced"
    );
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .args(["--format", "csv", "-o", "/dev/full"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "a full device is an error");
    assert!(
        stderr(&o).contains("/dev/full: cannot write the report"),
        "{}",
        stderr(&o)
    );

    let fifo = dir.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .args(["--format", "csv", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = reader.join().unwrap();
    assert!(got.contains("status,severity,rule_id"), "{got}");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(names(dir.path()), vec!["pipe"]);
}

#[test]
fn output_onto_a_socket_or_dangling_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("s.csv");
    let _l = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.csv"), dir.path().join("dangling.csv"))
        .unwrap();
    for out in ["s.csv", "dangling.csv"] {
        let o = wx_in(dir.path())
            .arg("audit")
            .arg(clean())
            .args(["--format", "csv", "-o", out])
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(stderr(&o).contains(out), "{}", stderr(&o));
        assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&sock)
        .unwrap()
        .file_type()
        .is_socket());
    assert!(!dir.path().join("gone.csv").exists());
}

#[test]
fn output_through_a_symlink_replaces_the_file_it_points_at() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let real = dir.path().join("real/findings.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("findings.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--format", "csv", "-o", "findings.csv"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("REACH-001"));
}

#[test]
fn write_errors_name_the_destination_not_the_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .args(["--format", "csv", "-o", "no-such-folder/out.csv"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("no-such-folder/out.csv"), "{err}");
    assert!(!err.contains(".tmp"), "{err}");
}

#[test]
fn interrupted_write_removes_its_temp_file_and_keeps_the_previous_report() {
    for (sig, status) in [
        (libc::SIGINT, 130),
        (libc::SIGTERM, 143),
        (libc::SIGHUP, 129),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("out.csv"), "previous report").unwrap();
        let mut child = paused(
            dir.path(),
            &[acme().to_str().unwrap(), "--format", "csv", "-o", "out.csv"],
        );
        wait_until("the temp file", || !temp_files(dir.path()).is_empty());
        kill(&child, sig);
        assert_eq!(exit_code(&mut child), Some(status), "signal {sig}");
        assert_eq!(names(dir.path()), vec!["out.csv"], "signal {sig}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out.csv")).unwrap(),
            "previous report"
        );
    }
}

#[test]
fn temp_files_of_a_killed_run_are_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let unrelated = dir.path().join(".out.csv.abc123.tmp");
    std::fs::write(&unrelated, "someone else's").unwrap();
    let inv = acme();
    let args = [inv.to_str().unwrap(), "--format", "csv", "-o", "out.csv"];
    let mut child = paused(dir.path(), &args);
    wait_until("the temp file", || !temp_files(dir.path()).is_empty());
    kill(&child, libc::SIGKILL);
    assert_eq!(exit_code(&mut child), None, "killed by a signal");
    assert_eq!(temp_files(dir.path()).len(), 1, "kill -9 leaves it");

    let o = wx_in(dir.path()).arg("audit").args(args).output().unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(temp_files(dir.path()).is_empty(), "{:?}", names(dir.path()));
    assert!(unrelated.exists(), "a file not ours was removed");
}

#[test]
fn interrupted_report_set_leaves_the_previous_set_whole() {
    let dir = tempfile::tempdir().unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(clean())
        .args(["--as-of", AS_OF, "-o", "r/"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = dir.path().join("r");
    let snapshot = |r: &Path| -> Vec<(String, Vec<u8>)> {
        names(r)
            .into_iter()
            .map(|n| (n.clone(), std::fs::read(r.join(&n)).unwrap()))
            .collect()
    };
    let before = snapshot(&r);
    assert_eq!(before.len(), 4);
    for sig in [libc::SIGTERM, libc::SIGKILL] {
        let mut child = paused(
            dir.path(),
            &[acme().to_str().unwrap(), "-o", "r/", "--baseline", "auto"],
        );
        wait_until("all four temp files", || temp_files(&r).len() == 4);
        kill(&child, sig);
        exit_code(&mut child);
        if sig != libc::SIGKILL {
            assert!(temp_files(&r).is_empty(), "{:?}", names(&r));
        }
        let after: Vec<_> = snapshot(&r)
            .into_iter()
            .filter(|(n, _)| !n.ends_with(".tmp"))
            .collect();
        assert_eq!(after, before, "signal {sig} mixed the sets");
    }
}

fn audit_dir(dir: &Path, as_of: &str) -> std::process::Output {
    wx_in(dir)
        .arg("audit")
        .arg(acme())
        .args(["--as-of", as_of, "-o", "r/", "--baseline", "auto"])
        .output()
        .unwrap()
}

#[test]
fn broken_latest_json_falls_back_to_the_newest_dated_report() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&audit_dir(dir.path(), "2026-10-30")), 1);
    assert_eq!(code(&audit_dir(dir.path(), "2026-11-20")), 1);
    let r = dir.path().join("r");
    std::fs::write(r.join("latest.json"), "{ half a rep").unwrap();
    // The newest dated report is broken as well: the one before it is used.
    std::fs::write(r.join("audit-2026-11-20.json"), "").unwrap();
    let o = audit_dir(dir.path(), AS_OF);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("latest.json"), "{err}");
    assert!(err.contains("audit-2026-11-20.json"), "{err}");
    assert!(err.contains("baseline: r/audit-2026-10-30.json"), "{err}");
    let latest = common::read_json(&r.join("latest.json"));
    let label = latest["baseline"].as_str().unwrap_or_default().to_string();
    assert!(label.contains("audit-2026-10-30.json"), "{label}");
    assert!(label.contains("latest.json could not be read"), "{label}");
}

#[test]
fn broken_latest_json_without_dated_reports_runs_without_baseline() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(dir.path().join("r/latest.json"), "not json").unwrap();
    let o = audit_dir(dir.path(), AS_OF);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("no baseline"), "{err}");
    let latest = common::read_json(&dir.path().join("r/latest.json"));
    assert!(latest["baseline"].is_null());
}

#[test]
fn broken_explicit_baseline_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("last.json"), "not json").unwrap();
    let o = wx_in(dir.path())
        .arg("audit")
        .arg(acme())
        .args(["--baseline", "last.json", "-o", "r/"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("last.json"), "{}", stderr(&o));
}

#[test]
fn tui_export_onto_the_inventory_is_refused() {
    use wxaudit::tui::action::{Action, Tab};
    use wxaudit::tui::app::{App, MsgLevel};
    let dir = tempfile::tempdir().unwrap();
    let inv = copy_in(dir.path(), &acme(), "inv.csv");
    let before = std::fs::read(&inv).unwrap();
    let mut a = App::new(wxaudit::pipeline::PipelineOptions {
        input: inv.clone(),
        ..Default::default()
    });
    a.settle();
    for x in [
        Action::GoTab(Tab::Findings),
        Action::Export,
        Action::InputClear,
    ] {
        a.update(x);
        a.settle();
    }
    for c in inv.display().to_string().chars() {
        a.update(Action::InputChar(c));
    }
    a.update(Action::Submit);
    a.settle();
    let (msg, level) = a.message.clone().expect("a message");
    assert_eq!(level, MsgLevel::Error, "{msg}");
    assert!(
        msg.contains("inventory") && msg.contains("Not exported"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&inv).unwrap(), before);
}
