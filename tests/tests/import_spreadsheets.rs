//! Spreadsheets as people keep them (inventory-format.md): title rows above the header, headers
//! as people write them, the agency layout, totals and notes rows, grouped layouts, pasted text,
//! standard input, the user's own column mappings — and that every report says how the file was
//! read. Each fixture is written here, in the layout a marketing team really sends.

use crate::common;

use common::{audit_json, schema_errors, stderr, stdout, wx_in, AS_OF};
use wxaudit::import::{load_bytes, FillKind, ImportOptions, Inventory, Overrides, SkipReason};
use wxaudit::model::{AccountType, Column, Platform};
use wxaudit::pipeline::{self, PipelineOptions};

fn import_with(name: &str, text: &str, opts: &ImportOptions) -> Inventory {
    load_bytes(name, text.as_bytes(), opts, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn import(name: &str, text: &str) -> Inventory {
    import_with(name, text, &ImportOptions::default())
}

fn names(inv: &Inventory) -> Vec<&str> {
    inv.accounts
        .iter()
        .map(|a| a.name().unwrap_or("?"))
        .collect()
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn audit(path: &std::path::Path, targets: &[&str]) -> wxaudit::audit::Report {
    let opts = PipelineOptions {
        input: path.to_path_buf(),
        as_of: chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").ok(),
        profile: wxaudit::profile::ProfileArgs {
            targets: targets.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        },
        ..Default::default()
    };
    pipeline::run(&opts, &|_, _, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

const TITLED: &str = "\
Acme 公众号清单 2026Q3,,,\n\
更新：2026-09-30,,,\n\
,,,\n\
账号名称,原始ID,账号类型,品牌\n\
阿克米茶饮,gh_a1,服务号,Acme Tea\n\
Lotus HK,gh_b2,订阅号,Lotus Beauty\n";

#[test]
fn a_title_row_above_the_header_is_skipped_and_reported() {
    let inv = import("titled.csv", TITLED);
    assert_eq!(names(&inv), ["阿克米茶饮", "Lotus HK"]);
    assert_eq!(inv.accounts.at(0).to_account().line, 5);
    assert_eq!(
        inv.accounts.at(1).to_account().account_type,
        Some(AccountType::Subscription)
    );
    let h = inv.input.header_row.expect("header row reported");
    assert_eq!((h.line, h.given), (4, false));
    let above: Vec<_> = inv
        .input
        .skipped_rows
        .iter()
        .filter(|s| s.reason == SkipReason::AboveHeader)
        .collect();
    assert_eq!(above.len(), 2);
    assert_eq!(above[0].line, 1);
    assert!(
        above[0].text.contains("Acme 公众号清单 2026Q3"),
        "{:?}",
        above[0]
    );
    assert_eq!(inv.input.rows, 2);
}

#[test]
fn header_row_option_overrides_the_search() {
    let text = "note,here\nid,name\ngh_1,A\n";
    let opts = ImportOptions {
        header_row: Some(1),
        ..Default::default()
    };
    // Line 1 names no identifying column: a clear error that says what to do.
    let e = load_bytes("h.csv", text.as_bytes(), &opts, &|_, _| {}).unwrap_err();
    assert!(e.to_string().contains("no column identifies"), "{e}");
    let opts = ImportOptions {
        header_row: Some(2),
        ..Default::default()
    };
    let inv = import_with("h.csv", text, &opts);
    assert_eq!(inv.accounts.len(), 1);
    assert!(inv.input.header_row.unwrap().given);
}

#[test]
fn headers_as_people_write_them_are_read() {
    let inv = import(
        "people.csv",
        "brandName,账号名称,账号类型（订阅号/服务号）,Admin Portal,Verified?,粉丝数(万),最近发文日期,主体,Target Markets\n\
         Acme Tea,阿克米茶饮,服务号,mp.weixin.qq.com,是,12.8,2026-09-01,阿克米茶饮(上海)有限公司,CN\n\
         Lotus Beauty,Lotus HK,订阅号,admin.wechat.com,否,0.35,2026-08-15,Lotus Ltd.,CN;HK\n",
    );
    assert!(inv.row_errors.is_empty(), "{:?}", inv.row_errors);
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.brand.as_deref(), Some("Acme Tea"));
    assert_eq!(a.account_type, Some(AccountType::Service));
    assert_eq!(a.portal.as_deref(), Some("mp.weixin.qq.com"));
    assert_eq!(a.verified, Some(true));
    assert_eq!(a.followers, Some(128_000), "粉丝数(万) is ten thousands");
    assert_eq!(
        a.last_active.map(|d| d.to_string()).as_deref(),
        Some("2026-09-01")
    );
    assert_eq!(a.entity_name.as_deref(), Some("阿克米茶饮(上海)有限公司"));
    assert_eq!(inv.accounts.at(1).to_account().followers, Some(3_500));
    assert_eq!(inv.accounts.at(1).to_account().audience, ["CN", "HK"]);
    let uses = &inv.input.columns;
    assert_eq!(uses.len(), 9);
    assert!(uses.iter().all(|u| u.column.is_some()), "{uses:?}");
    assert_eq!(uses[5].scale, Some(10_000));
}

#[test]
fn the_portal_column_decides_the_platform_when_written_as_admin_portal() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "portal.csv",
        "Account Name,Account ID,Account Type,Admin Portal,Platform,Brand,Target Markets\n\
         Lotus CN,gh_l1,service,admin.wechat.com,weixin,Lotus Beauty,CN\n",
    );
    let r = audit(&p, &["CN"]);
    let ev = wxaudit::classify::explain(r.accounts.at(0), wxaudit::knowledge::Knowledge::builtin());
    assert_eq!(r.classifications.platform(0), Some(Platform::Wechat));
    assert!(
        ev.evidence
            .iter()
            .any(|e| e.signal == wxaudit::model::Signal::Portal),
        "the portal is the evidence: {:?}",
        ev.evidence
    );
    // REACH-001 is evaluated (type is known) and fires for the brand.
    assert!(!r.not_evaluated.iter().any(|n| n.rule_id == "REACH-001"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule_id == "REACH-001" && f.brand(&r.accounts) == Some("Lotus Beauty")));
}

#[test]
fn the_agency_layout_reads_wechat_id_and_original_id_as_two_columns() {
    let inv = import(
        "agency.csv",
        "公众号名称,微信号,原始ID,类型\n\
         阿克米茶饮,acme_tea,gh_a1,服务号\n\
         阿克米咖啡,acme_coffee,gh_a2,订阅号\n",
    );
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.id.as_deref(), Some("gh_a1"));
    assert_eq!(a.wechat_id.as_deref(), Some("acme_tea"));
    assert!(inv.input.columns.iter().all(|u| u.column.is_some()));
}

#[test]
fn without_an_id_column_the_wechat_id_identifies_accounts_and_finds_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "alias.csv",
        "名称,微信号\n阿克米茶饮,acme_tea\n阿克米茶饮 (copy),acme_tea\n",
    );
    let r = audit(&p, &["CN"]);
    assert_eq!(
        r.accounts.at(0).to_account().id.as_deref(),
        Some("acme_tea")
    );
    assert!(!r.not_evaluated.iter().any(|n| n.rule_id == "DATA-001"));
    assert!(r.findings.iter().any(|f| f.rule_id == "DATA-001"));
}

#[test]
fn two_headers_for_one_column_never_reject_the_file() {
    let inv = import(
        "twice.csv",
        "账号名称,公众号名称,id\n阿克米茶饮,Acme Tea,gh_1\n",
    );
    assert_eq!(
        inv.accounts.at(0).to_account().name.as_deref(),
        Some("阿克米茶饮")
    );
    let second = &inv.input.columns[1];
    assert_eq!(second.column, None);
    assert_eq!(second.duplicate_of.as_deref(), Some("账号名称"));
    assert_eq!(
        inv.accounts.at(0).to_account().extra,
        [("公众号名称".into(), "Acme Tea".into())]
    );
}

#[test]
fn totals_and_notes_rows_are_skipped_not_audited() {
    let inv = import(
        "totals.csv",
        "账号名称,原始ID,粉丝数\n\
         阿克米茶饮,gh_1,1000\n\
         Lotus HK,gh_2,2000\n\
         合计,,3000\n\
         Total,,3000\n\
         备注：数据截至 2026-09-30,,\n",
    );
    assert_eq!(names(&inv), ["阿克米茶饮", "Lotus HK"]);
    let reasons: Vec<_> = inv
        .input
        .skipped_rows
        .iter()
        .map(|s| (s.line, s.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (4, SkipReason::Totals),
            (5, SkipReason::Totals),
            (6, SkipReason::Note)
        ]
    );
    assert!(inv.row_errors.is_empty(), "{:?}", inv.row_errors);
    // Counts add up: header + accounts + skipped = lines of the file.
    assert_eq!(1 + inv.input.rows + inv.input.skipped_row_count(), 6);
}

#[test]
fn a_repeated_header_row_and_blank_rows_are_reported() {
    let inv = import("pages.csv", "name,id\nA,gh_1\n,\n,\nname,id\nB,gh_2\n");
    assert_eq!(names(&inv), ["A", "B"]);
    let s = &inv.input.skipped_rows;
    assert_eq!(
        (s[0].line, s[0].last_line, s[0].reason),
        (3, 4, SkipReason::Blank)
    );
    assert_eq!((s[1].line, s[1].reason), (5, SkipReason::RepeatedHeader));
}

const GROUPED: &str = "\
品牌,账号名称,原始ID,账号类型,平台,目标市场\n\
Acme Tea,阿克米茶饮,gh_a1,服务号,微信,CN\n\
,阿克米茶饮小程序,wx_a2,小程序,微信,CN\n\
Lotus Beauty,Lotus HK,gh_l1,服务号,海外版,HK\n\
,Lotus CN,gh_l2,订阅号,微信,CN\n";

#[test]
fn a_grouped_layout_is_filled_down_and_gives_no_false_critical() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "grouped.csv", GROUPED);
    let r = audit(&p, &["CN", "HK"]);
    let brands: Vec<_> = r.accounts.iter().map(|a| a.brand()).collect();
    assert_eq!(
        brands,
        [
            Some("Acme Tea"),
            Some("Acme Tea"),
            Some("Lotus Beauty"),
            Some("Lotus Beauty")
        ]
    );
    let fill = &r.input.fills[0];
    assert_eq!(
        (fill.kind, fill.column, fill.count),
        (FillKind::FillDown, Some(Column::Brand), 2)
    );
    // No "accounts without a brand" gap: every REACH-001 names a real brand.
    assert!(
        r.findings
            .iter()
            .filter(|f| f.rule_id == "REACH-001")
            .all(|f| f.brand(&r.accounts).is_some()),
        "{:?}",
        r.findings
            .iter()
            .map(|f| (&f.rule_id, f.brand(&r.accounts)))
            .collect::<Vec<_>>()
    );
    // Without fill-down the user asked for the literal reading.
    let inv = import_with(
        "grouped.csv",
        GROUPED,
        &ImportOptions {
            no_fill_down: true,
            ..Default::default()
        },
    );
    assert_eq!(inv.accounts.at(1).to_account().brand, None);
    assert!(inv.input.fills.is_empty());
}

#[test]
fn pasted_full_width_ids_and_no_break_spaces_are_folded() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "pasted.csv",
        "id,name,portal\n\
         ｇｈ＿ａ１,\u{a0}阿克米茶饮\u{a0},ｍｐ．ｗｅｉｘｉｎ．ｑｑ．ｃｏｍ\n\
         gh_a1\u{200b},Acme Tea copy,mp.weixin.qq.com\n",
    );
    let r = audit(&p, &["CN"]);
    assert_eq!(r.accounts.at(0).to_account().id.as_deref(), Some("gh_a1"));
    assert_eq!(
        r.accounts.at(0).to_account().name.as_deref(),
        Some("阿克米茶饮")
    );
    assert_eq!(
        r.accounts.at(0).to_account().portal.as_deref(),
        Some("mp.weixin.qq.com")
    );
    assert_eq!(r.accounts.at(1).to_account().id.as_deref(), Some("gh_a1"));
    assert!(
        r.findings.iter().any(|f| f.rule_id == "DATA-001"),
        "the two spellings are one duplicated id"
    );
    // The id as written is kept for the detail view.
    assert_eq!(
        r.accounts.at(0).to_account().raw_value(Column::Id),
        Some("ｇｈ＿ａ１")
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .args([
            "audit", "-", "--format", "json", "--as-of", AS_OF, "--target", "CN",
        ])
        .write_stdin(TITLED)
        .output()
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(v["input"]["path"], "(standard input)");
    assert_eq!(v["summary"]["accounts"], 2);
}

#[test]
fn the_users_mapping_reads_an_unknown_header_from_the_command_line_and_wxaudit_toml() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "team.csv",
        "Acct Name,Owner Team,Acct Kind\nAcme Tea,Tea BU,service\n",
    );
    // Nothing identifies the accounts: the error suggests the mapping that would.
    let out = wx_in(dir.path()).arg("audit").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--column \"Acct Name=name\""),
        "{}",
        stderr(&out)
    );
    // Unknown without a mapping.
    let (_, v) = audit_json(
        dir.path(),
        &p,
        &["--target", "CN", "--column", "Acct Name=name"],
    );
    let cols = v["input"]["columns"].as_array().unwrap();
    assert_eq!(cols[1]["column"], serde_json::Value::Null);
    let (_, v) = audit_json(
        dir.path(),
        &p,
        &[
            "--target",
            "CN",
            "--column",
            "Owner Team=brand",
            "--column",
            "acct kind=type",
            "--column",
            "acct name=name",
        ],
    );
    assert_eq!(v["accounts"][0]["brand"], "Tea BU");
    assert_eq!(v["accounts"][0]["type"], "service");
    assert_eq!(v["input"]["columns"][1]["matched"], "user");
    // The same from wxaudit.toml.
    write(
        dir.path(),
        "wxaudit.toml",
        "# team settings\n[columns]\n\"Owner Team\" = \"brand\"\n\"Acct Kind\" = \"type\"\n\"Acct Name\" = \"name\"\n",
    );
    let (_, v) = audit_json(dir.path(), &p, &["--target", "CN"]);
    assert_eq!(v["accounts"][0]["brand"], "Tea BU");
    // A mapping to a column that does not exist is an error naming it (exit 2).
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(&p)
        .args(["--column", "Owner Team=teleport"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`teleport` is not a column"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unread_column_that_a_check_needs_leads_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "kind.csv",
        "name,id,brand,Acct Type,platform,audience\nLotus CN,gh_1,Lotus Beauty,service,wechat,CN\n",
    );
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(&p)
        .args(["--as-of", AS_OF, "--target", "CN"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let warn = text.find("CHECK THE COLUMNS FIRST").expect(&text);
    let findings = text.find("Findings").expect(&text);
    assert!(
        warn < findings,
        "the warning comes before the verdict:\n{text}"
    );
    assert!(
        text.contains("REACH-001, REACH-002, REACH-003 and")
            && text.contains("were not evaluated: they need `type`, and the header \"Acct Type\""),
        "one warning names the checks the header blocks:\n{text}"
    );
    assert!(text.contains("--column \"Acct Type=type\""), "{text}");
    // With the mapping, the check runs.
    let (_, v) = audit_json(
        dir.path(),
        &p,
        &["--target", "CN", "--column", "Acct Type=type"],
    );
    let ne: Vec<&str> = v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["rule_id"].as_str())
        .collect();
    assert!(!ne.contains(&"REACH-001"), "{ne:?}");
}

#[test]
fn every_report_says_how_the_file_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "mixed.csv",
        "Acme 公众号清单,,\n账号名称,原始ID,负责人\n阿克米茶饮,gh_1,王\n合计,,\n",
    );
    let run = |fmt: &str| {
        let out = wx_in(dir.path())
            .arg("audit")
            .arg(&p)
            .args(["--as-of", AS_OF, "--target", "CN", "--format", fmt])
            .output()
            .unwrap();
        (stdout(&out), stderr(&out))
    };
    let (text, _) = run("text");
    assert!(text.contains("HOW THE FILE WAS READ"), "{text}");
    assert!(text.contains("负责人"), "{text}");
    assert!(text.contains("a totals row"), "{text}");
    let (md, _) = run("md");
    assert!(md.contains("## How the file was read"), "{md}");
    assert!(md.contains("| 负责人 | — (extra field) |"), "{md}");
    let (_, err) = run("csv");
    assert!(
        err.contains("how") && err.contains("负责人"),
        "CSV's summary on stderr: {err}"
    );
    let (json, _) = run("json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let errors = schema_errors(&v);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(v["input"]["header_row"]["line"], 2);
    assert_eq!(v["input"]["skipped_rows"][0]["reason"], "above_header");
    assert_eq!(v["input"]["skipped_rows"][1]["reason"], "totals");
    assert_eq!(v["input"]["columns"][2]["header"], "负责人");
}

#[test]
fn overrides_parse_rejects_an_empty_header() {
    let e = Overrides::parse(&[(" ".into(), "brand".into())], "--column").unwrap_err();
    assert!(e.to_string().contains("names no header"), "{e}");
}
