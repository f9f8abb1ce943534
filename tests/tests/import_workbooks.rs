//! A marketer's own workbook, audited as the user would: `sample-data/acme-marketing.xlsx`
//! (written by `cargo run --example sample_workbook`) has a notes sheet first, a merged title
//! row, brand cells merged down each group, phones typed as numbers, follower counts in 万, a
//! failed lookup (`#N/A`), an unknown owner column, a totals row, a note and a hidden sheet.

use crate::common;

use common::{audit_json, sample, schema_errors, stdout, wx_in, AS_OF};
use wxaudit::import::{FillKind, SkipReason};
use wxaudit::model::{AccountType, Platform, Severity};
use wxaudit::pipeline::{self, PipelineOptions};

fn audit(extra: impl FnOnce(&mut PipelineOptions)) -> wxaudit::audit::Report {
    let mut opts = PipelineOptions {
        input: sample("acme-marketing.xlsx"),
        as_of: chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").ok(),
        ..Default::default()
    };
    extra(&mut opts);
    pipeline::run(&opts, &|_, _, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_marketing_workbook_gives_the_right_accounts() {
    let r = audit(|_| {});
    let sheet = r.input.sheet.as_ref().expect("sheet reported");
    assert_eq!(
        sheet.name, "账号清单",
        "the notes sheet in front is passed over"
    );
    assert!(sheet.why.contains("说明"), "{}", sheet.why);
    assert_eq!(r.input.header_row.map(|h| h.line), Some(4));
    let ids: Vec<&str> = r.accounts.iter().filter_map(|a| a.id()).collect();
    assert_eq!(
        ids,
        [
            "gh_a1c3e5f7a901",
            "wx4f2a6c8e0b1d3579",
            "gh_a1c3e5f7a910",
            "gh_b2d4f6a8c001",
            "gh_b2d4f6a8c002",
            "gh_c3e5a7b9d001"
        ],
        "no title, totals or note row became an account; the hidden sheet was not read"
    );
    let a = &r.accounts.at(0).to_account();
    assert_eq!(a.brand.as_deref(), Some("Acme Tea"));
    assert_eq!(a.wechat_id.as_deref(), Some("acmetea"));
    assert_eq!(a.account_type, Some(AccountType::Service));
    let phone = a.phone.as_ref().expect("phone");
    assert_eq!(
        (phone.country_code.as_deref(), phone.number.as_str()),
        (Some("86"), "13912345678"),
        "the number cell got its +86 back"
    );
    assert_eq!(a.followers, Some(128_400), "12.84 万");
    assert_eq!(a.verified, Some(true), "a boolean cell");
    assert_eq!(
        a.last_active.map(|d| d.to_string()).as_deref(),
        Some("2026-11-20"),
        "a date cell"
    );
    assert_eq!(a.audience, ["CN"]);
    // Brand cells merged down each group belong to every row they span.
    let brands: Vec<_> = r.accounts.iter().map(|a| a.brand()).collect();
    assert_eq!(
        brands,
        [
            Some("Acme Tea"),
            Some("Acme Tea"),
            Some("Acme Tea"),
            Some("Lotus Beauty"),
            Some("Lotus Beauty"),
            Some("Acme Coffee")
        ]
    );
    let hk = r.accounts.at(2).phone().unwrap();
    assert_eq!(hk.country_code, Some("852"));
    assert_eq!(r.accounts.at(3).to_account().audience, ["CN", "SG"]);
}

#[test]
fn the_marketing_workbook_says_what_it_skipped_filled_and_ignored() {
    let r = audit(|_| {});
    let reasons: Vec<(u64, SkipReason)> = r
        .input
        .skipped_rows
        .iter()
        .map(|s| (s.line, s.reason))
        .collect();
    assert!(
        reasons.contains(&(1, SkipReason::AboveHeader)),
        "{reasons:?}"
    );
    assert!(reasons.contains(&(11, SkipReason::Totals)), "{reasons:?}");
    assert!(reasons.contains(&(12, SkipReason::Note)), "{reasons:?}");
    assert!(r
        .input
        .fills
        .iter()
        .any(|f| f.kind == FillKind::MergedCells && f.count >= 2));
    let owner = r
        .input
        .columns
        .iter()
        .find(|c| c.header == "负责人")
        .expect("every header is listed");
    assert_eq!(owner.column, None);
    // The failed lookup is a row problem on its row, and the account is still audited.
    let e = r
        .row_errors
        .iter()
        .find(|e| e.value.as_deref() == Some("#N/A"))
        .expect("#N/A reported");
    assert_eq!((e.line, e.column.as_deref()), (8, Some("last_active")));
    assert!(!e.skipped);
}

#[test]
fn the_marketing_workbook_gives_the_right_findings() {
    let r = audit(|_| {});
    let lotus_cn = r
        .findings
        .iter()
        .find(|f| f.rule_id == "REACH-001")
        .expect("Lotus Beauty cannot be reached in mainland China");
    assert_eq!(lotus_cn.brand(&r.accounts), Some("Lotus Beauty"));
    assert_eq!(lotus_cn.severity, Severity::Critical);
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.rule_id == "REACH-001")
            .count(),
        1,
        "Acme Tea and Acme Coffee reach the mainland"
    );
    assert_eq!(r.classifications.platform(0), Some(Platform::Weixin));
    assert_eq!(r.classifications.platform(3), Some(Platform::Wechat));
    assert!(!r.not_evaluated.iter().any(|n| n.rule_id == "REACH-001"));
}

#[test]
fn the_hidden_sheet_is_read_only_when_named() {
    let r = audit(|o| o.import.sheet = Some("旧版清单".into()));
    assert_eq!(r.accounts.len(), 1);
    assert_eq!(
        r.accounts.at(0).to_account().id.as_deref(),
        Some("gh_old000000001")
    );
    let r = audit(|o| o.import.sheet = Some("2".into()));
    assert_eq!(r.input.sheet.unwrap().name, "账号清单");
}

#[test]
fn the_summary_of_the_workbook_names_what_was_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let out = wx_in(dir.path())
        .arg("audit")
        .arg(sample("acme-marketing.xlsx"))
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    let text = stdout(&out);
    let read = text.find("HOW THE FILE WAS READ").expect(&text);
    let verdict = text.find("CRITICAL").expect(&text);
    assert!(read < verdict, "what was not read comes first:\n{text}");
    assert!(text.contains("\"账号清单\""), "{text}");
    assert!(text.contains("负责人"), "{text}");
    assert!(
        text.contains("row 8, column last_active, value \"#N/A\""),
        "{text}"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a critical finding fails the run"
    );
}

#[test]
fn the_json_report_of_the_workbook_documents_how_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let (_, v) = audit_json(dir.path(), &sample("acme-marketing.xlsx"), &[]);
    let errors = schema_errors(&v);
    assert!(errors.is_empty(), "{errors:#?}");
    let input = &v["input"];
    assert_eq!(input["format"], "workbook");
    assert_eq!(input["sheet"]["name"], "账号清单");
    assert_eq!(input["header_row"]["line"], 4);
    assert_eq!(input["columns"][9]["header"], "粉丝数(万)");
    assert_eq!(input["columns"][9]["scale"], 10000);
    assert_eq!(input["fills"][0]["kind"], "merged_cells");
    let reasons: Vec<&str> = input["skipped_rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["reason"].as_str())
        .collect();
    assert!(
        reasons.contains(&"totals") && reasons.contains(&"note"),
        "{reasons:?}"
    );
}

#[test]
fn a_value_right_of_the_last_header_is_kept_and_reported_not_dropped() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "账号名称").unwrap();
    ws.write_string(0, 1, "原始ID").unwrap();
    ws.write_string(1, 0, "阿克米茶饮").unwrap();
    ws.write_string(1, 1, "gh_a1").unwrap();
    ws.write_string(1, 3, "ask Li Na").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let inv = wxaudit::import::load_bytes("w.xlsx", &bytes, &Default::default(), &|_, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        inv.accounts.at(0).to_account().extra,
        [("(column 4)".into(), "ask Li Na".into())]
    );
    assert!(inv.input.columns.iter().any(|c| c.header == "(column 4)"));
}

/// A fuzzed workbook whose cell reference overflows calamine 0.38's row arithmetic (a panic in
/// builds with overflow checks, an XML error without): the sheet is reported as unreadable by
/// name, the other sheets are still listed, and nothing crashes.
#[test]
fn a_sheet_the_workbook_reader_chokes_on_is_named_unreadable_not_a_crash() {
    let kept = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions/import_workbook/calamine-cell-ref-mul-overflow.xlsx.bin"),
    )
    .unwrap();
    // Byte 0 is the fuzz target's option byte; the workbook follows.
    let err = wxaudit::import::load_bytes("book.xlsx", &kept[1..], &Default::default(), &|_, _| {})
        .map(|_| ())
        .expect_err("the damaged sheet cannot give an inventory")
        .to_string();
    assert!(
        err.contains("2. \"账号清单\": could not be read: "),
        "{err}"
    );
    assert!(
        !err.contains("could not be read: sheet \"账号清单\""),
        "{err}"
    );
    assert!(err.contains("1. \"说明\" (active)"), "{err}");
    assert!(err.contains("Pass --sheet NAME"), "{err}");
}
