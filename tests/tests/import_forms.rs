//! Each form an inventory comes in (CSV/TSV with any delimiter, JSON array, JSON with a company
//! profile, JSON Lines, Open Platform exports), header aliases, and what happens to bad rows,
//! bad values and unreadable files.

use wxaudit::import::{load_bytes, ImportOptions, Inventory};
use wxaudit::model::{
    AccountType, AdminStatus, Column, Country, EntityType, MerchantTrack, Phone, Platform, Status,
};

fn import(name: &str, text: &str) -> Inventory {
    load_bytes(name, text.as_bytes(), &ImportOptions::default(), &|_, _| {})
        .unwrap_or_else(|e| panic!("{e}"))
}

fn error(name: &str, text: &str) -> String {
    match load_bytes(name, text.as_bytes(), &ImportOptions::default(), &|_, _| {}) {
        Ok(inv) => panic!("{name} imported: {:?}", inv.accounts),
        Err(e) => e.to_string(),
    }
}

#[test]
fn csv_with_every_column_normalised() {
    let inv = import(
        "inv.csv",
        "id,name,type,platform,portal,phone,entity_name,entity_type,entity_country,credit_code,icp_filing,\
wallet_currency,verified,verification_expiry,payments,merchant_id,merchant_track,merchant_entity,admin,\
admin_status,operators,audience,features,brand,status,followers,last_active,notes,wechat_id,terms,email\n\
gh_1,Acme HK,服务号,海外版,https://admin.wechat.com/cgi,+852 5123 4567,Acme Ltd.,境外主体,中国香港,91310000ma1k4ac3xe,\
沪ICP备12345678号-2X,港币,是,2024年3月31日,yes,1650000001,跨境,Acme Ltd.,acme_admin,离职,li;wang,\
global、HK,Red Packets;payments,Acme,封禁,1.2万,2024/3/31,first,acme_hk,WeChat,ops@acme.example\n",
    );
    assert!(inv.row_errors.is_empty(), "{:?}", inv.row_errors);
    assert_eq!(inv.input.format, "csv");
    assert_eq!(inv.input.rows, 1);
    assert_eq!(inv.input.sha256.len(), 64);
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.line, 2);
    assert_eq!(a.account_type, Some(AccountType::Service));
    assert_eq!(a.declared_platform, Some(Platform::Wechat));
    assert_eq!(a.portal.as_deref(), Some("admin.wechat.com"));
    assert_eq!(
        a.phone,
        Some(Phone {
            country_code: Some("852".into()),
            number: "51234567".into()
        })
    );
    assert_eq!(a.entity_type, Some(EntityType::Enterprise));
    assert!(a.entity_overseas);
    assert_eq!(a.entity_country, Some(Country::Code("HK".into())));
    assert_eq!(a.credit_code.as_deref(), Some("91310000MA1K4AC3XE"));
    assert_eq!(a.icp_filing.as_deref(), Some("沪ICP备12345678号-2X"));
    assert_eq!(a.wallet_currency.as_deref(), Some("HKD"));
    assert_eq!(a.verified, Some(true));
    assert_eq!(
        a.verification_expiry.map(|d| d.to_string()).as_deref(),
        Some("2024-03-31")
    );
    assert_eq!(a.payments, Some(true));
    assert_eq!(a.merchant_id.as_deref(), Some("1650000001"));
    assert_eq!(a.merchant_track, Some(MerchantTrack::CrossBorder));
    assert_eq!(a.admin_status, Some(AdminStatus::Departed));
    assert_eq!(a.operators, ["li", "wang"]);
    assert_eq!(a.audience, ["GLOBAL", "HK"]);
    assert_eq!(a.features, ["red_packets", "payments"]);
    assert_eq!(a.status, Some(Status::Suspended));
    assert_eq!(a.followers, Some(12_000));
    assert_eq!(
        a.last_active.map(|d| d.to_string()).as_deref(),
        Some("2024-03-31")
    );
    assert_eq!(a.notes.as_deref(), Some("first"));
    assert_eq!(a.wechat_id.as_deref(), Some("acme_hk"));
    assert_eq!(a.terms, Some(Platform::Wechat));
    assert_eq!(a.email.as_deref(), Some("ops@acme.example"));
    // "As imported" for everything that changed, nothing for what did not.
    assert_eq!(a.raw_value(Column::Type), Some("服务号"));
    assert_eq!(a.raw_value(Column::Followers), Some("1.2万"));
    assert_eq!(a.raw_value(Column::EntityCountry), Some("中国香港"));
    assert_eq!(
        a.raw_value(Column::Portal),
        Some("https://admin.wechat.com/cgi")
    );
    assert_eq!(a.raw_value(Column::Id), None);
    assert_eq!(a.raw_value(Column::MerchantId), None);
    for c in Column::ALL {
        assert!(inv.columns.contains(c), "{c}");
    }
}

#[test]
fn delimiters_are_sniffed_and_can_be_forced() {
    for (sep, name) in [
        (",", "a.csv"),
        (";", "a.csv"),
        ("\t", "a.tsv"),
        ("|", "a.txt"),
    ] {
        let text = format!("id{sep}name{sep}audience\ngh_1{sep}Acme{sep}CN\n");
        let inv = import(name, &text);
        assert_eq!(inv.accounts.len(), 1, "{sep:?}");
        assert_eq!(
            inv.accounts.at(0).to_account().name.as_deref(),
            Some("Acme"),
            "{sep:?}"
        );
    }
    let opts = ImportOptions {
        delimiter: Some(b';'),
        ..ImportOptions::default()
    };
    let inv = load_bytes("a.csv", b"id;name\ngh_1;A,B\n", &opts, &|_, _| {}).unwrap();
    assert_eq!(inv.accounts.at(0).to_account().name.as_deref(), Some("A,B"));
}

#[test]
fn chinese_and_variant_headers_map_to_columns() {
    let inv = import(
        "zh.csv",
        "\u{feff}原始ID,公众号名称,账号类型,平台,管理后台,绑定手机,认证主体,国家/地区,统一社会信用代码,\
ICP备案号,币种,认证情况,年审时间,已开通支付,商户号,商户类型,商户主体,管理员微信号,管理员状态,运营者,受众,\
功能,品牌,状态,关注人数,最近发文,备注,负责人\n\
gh_1,阿克米,订阅号,微信,mp.weixin.qq.com,0086 138 0000 0000,阿克米（上海）,中国大陆,91310000MA1K4AC3XE,\
沪ICP备1号,人民币,已认证,2025-01-01,否,1,境内,阿克米,admin1,在职,li,大陆,红包,Acme,正常,\"12,345\",2024-03-31,备注,张伟\n",
    );
    assert!(inv.row_errors.is_empty(), "{:?}", inv.row_errors);
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.name.as_deref(), Some("阿克米"));
    assert_eq!(a.declared_platform, Some(Platform::Weixin));
    assert_eq!(
        a.phone.as_ref().and_then(|p| p.country_code.as_deref()),
        Some("86")
    );
    assert_eq!(a.entity_country, Some(Country::Code("CN".into())));
    assert_eq!(a.wallet_currency.as_deref(), Some("CNY"));
    assert_eq!(a.payments, Some(false));
    assert_eq!(a.admin_status, Some(AdminStatus::Employee));
    assert_eq!(a.audience, ["CN"]);
    assert_eq!(a.followers, Some(12_345));
    assert_eq!(a.extra, [("负责人".into(), "张伟".into())]);
    assert_eq!(inv.extra_columns, ["负责人"]);
    assert!(inv.columns.contains(Column::Features));
    // English variants: case, spaces, dashes, full-width.
    let inv = import(
        "en.csv",
        "Account ID, NICK-NAME ,Ｔｙｐｅ\ngh_2,Beta,mini program\n",
    );
    assert_eq!(inv.accounts.at(0).to_account().id.as_deref(), Some("gh_2"));
    assert_eq!(
        inv.accounts.at(0).to_account().name.as_deref(),
        Some("Beta")
    );
    assert_eq!(
        inv.accounts.at(0).to_account().account_type,
        Some(AccountType::MiniProgram)
    );
}

#[test]
fn duplicate_headers_keep_the_stronger_and_report_the_other() {
    // `Name` is the column's own name, so it outranks the alias 账号名称 (stated precedence).
    let inv = import("dup.csv", "id,账号名称,Name\ngh_1,a,b\n");
    assert_eq!(inv.accounts.at(0).to_account().name.as_deref(), Some("b"));
    assert_eq!(
        inv.accounts.at(0).to_account().extra,
        [("账号名称".into(), "a".into())]
    );
    let u = &inv.input.columns[1];
    assert_eq!((u.column, u.duplicate_of.as_deref()), (None, Some("Name")));
}

#[test]
fn missing_identifying_column_lists_expected_and_found() {
    let m = error("noid.csv", "brand;status\nAcme;active\n");
    assert!(
        m.starts_with("noid.csv: no column identifies the accounts"),
        "{m}"
    );
    assert!(
        m.contains("`id`") && m.contains("`name`") && m.contains("账号名称"),
        "{m}"
    );
    assert!(m.contains("found \"brand\", \"status\""), "{m}");
}

#[test]
fn empty_files_are_errors() {
    for text in ["", "  \n\r\n", "\u{feff}"] {
        let m = error("empty.csv", text);
        assert_eq!(m, "empty.csv: the file is empty");
    }
    assert_eq!(error("e.json", "\n"), "e.json: the file is empty");
}

#[test]
fn bad_values_and_rows_are_row_errors_with_lines() {
    let inv = import(
        "rows.csv",
        "id,name,type,last_active,notes\n\
gh_1,A,subscription,2024-03-31,ok\n\
gh_2,B,newsletter,someday,\"two\nlines\"\n\
,,subscription,2024-01-01,no id or name\n\
gh_4,D,service,2024-01-01,x,extra\n\
gh_5,E\n\
\n\
gh_6,F,service,2024-01-01,\n",
    );
    assert_eq!(inv.input.rows, 6);
    assert_eq!(inv.input.rejected_rows, 1);
    let ids: Vec<_> = inv.accounts.iter().map(|a| a.id().unwrap_or("")).collect();
    assert_eq!(ids, ["gh_1", "gh_2", "gh_4", "gh_5", "gh_6"]);
    let lines: Vec<u64> = inv.accounts.iter().map(|a| a.line()).collect();
    assert_eq!(lines, [2, 3, 6, 7, 9]);

    let b = &inv.accounts.at(1).to_account();
    assert_eq!(b.account_type, None);
    assert_eq!(b.raw_value(Column::Type), Some("newsletter"));
    assert_eq!(b.notes.as_deref(), Some("two\nlines"));

    let errs: Vec<(u64, Option<&str>, Option<&str>, bool)> = inv
        .row_errors
        .iter()
        .map(|e| (e.line, e.column.as_deref(), e.value.as_deref(), e.skipped))
        .collect();
    assert_eq!(
        errs,
        [
            (3, Some("type"), Some("newsletter"), false),
            (3, Some("last_active"), Some("someday"), false),
            (5, None, None, true),
            (6, None, Some("extra"), false),
            (7, None, None, false),
        ]
    );
    assert!(inv.row_errors[0]
        .message
        .starts_with("expected an account type"));
    assert!(inv.row_errors[3]
        .message
        .contains("has 6 values but the header has 5 columns"));
}

#[test]
fn json_array_of_accounts() {
    let inv = import(
        "a.json",
        r#"[
  {"id": "gh_1", "name": "Acme", "type": "订阅号", "verified": true, "followers": 1200,
   "audience": ["CN", "hk"], "features": "red_packets;payments", "merchant_id": 1650000001,
   "owner": "li", "meta": {"x": 1}},
  {"name": "Beta", "followers": "3亿", "last_active": "2024-03-31T08:00:00Z", "verified": "未认证"},
  {"brand": "no id"},
  {"id": "gh_4", "type": 7, "audience": [["CN"]]}
]"#,
    );
    assert_eq!(inv.input.format, "json");
    assert_eq!(inv.input.rows, 4);
    assert_eq!(inv.input.rejected_rows, 1);
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.line, 1);
    assert_eq!(a.account_type, Some(AccountType::Subscription));
    assert_eq!(a.verified, Some(true));
    assert_eq!(a.followers, Some(1200));
    assert_eq!(a.audience, ["CN", "HK"]);
    assert_eq!(a.raw_value(Column::Audience), Some("CN;hk"));
    assert_eq!(a.features, ["red_packets", "payments"]);
    assert_eq!(a.merchant_id.as_deref(), Some("1650000001"));
    assert_eq!(
        a.extra,
        [
            ("owner".into(), "li".into()),
            ("meta".into(), r#"{"x":1}"#.into())
        ]
    );
    assert_eq!(inv.extra_columns, ["owner", "meta"]);
    let b = &inv.accounts.at(1).to_account();
    assert_eq!(b.line, 2);
    assert_eq!(b.followers, Some(300_000_000));
    assert_eq!(b.verified, Some(false));
    assert_eq!(
        b.last_active.map(|d| d.to_string()).as_deref(),
        Some("2024-03-31")
    );
    let d = &inv.accounts.at(2).to_account();
    assert_eq!(d.line, 4);
    assert_eq!(d.account_type, None);
    let lines: Vec<(u64, bool)> = inv.row_errors.iter().map(|e| (e.line, e.skipped)).collect();
    assert_eq!(lines, [(3, true), (4, false), (4, false)]);
}

#[test]
fn json_with_company_profile() {
    let inv = import(
        "acme.json",
        r#"{"company": {"name": "Acme Group", "legal_entities": ["Acme Tea Ltd."],
                        "targets": ["CN", "hk", "美国", "中国大陆"],
                        "planned_features": ["payments", "Mini Program"]},
            "accounts": [{"id": "gh_1", "name": "Acme"}]}"#,
    );
    let p = inv.company.expect("company profile");
    assert_eq!(p.name.as_deref(), Some("Acme Group"));
    assert_eq!(p.legal_entities, ["Acme Tea Ltd."]);
    assert_eq!(p.targets, ["CN", "HK", "US"]);
    assert_eq!(p.planned_features, ["payments", "mini_program"]);
    assert_eq!(inv.accounts.len(), 1);
}

#[test]
fn json_lines_by_extension_and_by_content() {
    let text = "{\"id\": \"gh_1\", \"name\": \"A\"}\n\n{\"id\": \"gh_2\", \"type\": \"bogus\"}\nnot json\n[1]\n{\"id\": \"gh_5\"}\n";
    for name in ["a.jsonl", "a.ndjson", "a.json", "inventory"] {
        let inv = import(name, text);
        assert_eq!(inv.input.format, "json_lines", "{name}");
        assert_eq!(inv.input.rows, 5);
        assert_eq!(inv.input.rejected_rows, 2);
        let lines: Vec<u64> = inv.accounts.iter().map(|a| a.line()).collect();
        assert_eq!(lines, [1, 3, 6]);
        let errs: Vec<(u64, bool)> = inv.row_errors.iter().map(|e| (e.line, e.skipped)).collect();
        assert_eq!(errs, [(3, false), (4, true), (5, true)]);
        assert!(inv.row_errors[1]
            .message
            .contains("not valid JSON at column"));
    }
}

#[test]
fn open_platform_export_alone_and_in_an_array() {
    let one = r#"{"authorizer_info": {"nick_name": "Acme 小程序", "user_name": "gh_abc", "alias": "acme",
        "service_type_info": {"id": 0}, "verify_type_info": {"id": -1},
        "principal_name": "阿克米(上海)有限公司", "business_info": {"open_pay": 0},
        "MiniProgramInfo": {"network": {}}},
        "authorization_info": {"authorizer_appid": "wx0123456789abcdef"}}"#;
    let inv = import("op.json", one);
    assert_eq!(inv.input.format, "open_platform");
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.id.as_deref(), Some("gh_abc"));
    assert_eq!(a.name.as_deref(), Some("Acme 小程序"));
    assert_eq!(a.account_type, Some(AccountType::MiniProgram));
    assert_eq!(a.verified, Some(false));
    assert_eq!(a.payments, Some(false));
    assert_eq!(a.entity_name.as_deref(), Some("阿克米(上海)有限公司"));
    assert_eq!(a.portal.as_deref(), Some("open-platform"));
    assert_eq!(a.wechat_id.as_deref(), Some("acme"));
    assert_eq!(a.extra, [("appid".into(), "wx0123456789abcdef".into())]);

    let many = r#"[{"authorizer_info": {"nick_name": "S", "user_name": "gh_1", "service_type_info": {"id": 2},
                     "verify_type_info": {"id": 0}, "business_info": {"open_pay": 1}}},
                   {"authorizer_info": {"nick_name": "T", "user_name": "gh_2", "service_type_info": {"id": 1},
                     "verify_type_info": {"id": 3}}}]"#;
    let inv = import("ops.json", many);
    assert_eq!(inv.input.format, "open_platform");
    assert_eq!(
        inv.accounts.at(0).to_account().account_type,
        Some(AccountType::Service)
    );
    assert_eq!(inv.accounts.at(0).to_account().verified, Some(true));
    assert_eq!(inv.accounts.at(0).to_account().payments, Some(true));
    assert_eq!(
        inv.accounts.at(1).to_account().account_type,
        Some(AccountType::Subscription)
    );
    assert_eq!(inv.accounts.at(1).to_account().verified, Some(true));
    assert!(inv.columns.contains(Column::Portal));
}

#[test]
fn json_errors_name_the_file_and_position() {
    let m = error(
        "inventory.json",
        "[\n  {\"id\": \"gh_1\"},\n  {\"id\" \"gh_2\"}\n]",
    );
    assert!(
        m.starts_with("inventory.json: not valid JSON at line 3, column 9:"),
        "{m}"
    );
    let m = error("inventory.json", "42");
    assert!(
        m.contains("not an inventory") && m.contains("found a number"),
        "{m}"
    );
    let m = error("inventory.json", "[1, 2, 3]");
    assert!(
        m.contains("not an inventory") && m.contains("a number"),
        "{m}"
    );
    let m = error("inventory.json", r#"{"data": [1]}"#);
    assert!(
        m.contains("not an inventory") && m.contains("`data`"),
        "{m}"
    );
    let m = error("inventory.json", r#"{"accounts": {"id": 1}}"#);
    assert!(
        m.contains("inventory.json: not an inventory at line 1"),
        "{m}"
    );
}

#[test]
fn a_single_account_object_is_an_inventory_of_one() {
    let inv = import("one.json", r#"{"id": "gh_1", "name": "Solo"}"#);
    assert_eq!(inv.accounts.len(), 1);
    assert_eq!(
        inv.accounts.at(0).to_account().name.as_deref(),
        Some("Solo")
    );
}

#[test]
fn progress_is_reported_up_to_the_total() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let last = AtomicU64::new(0);
    let total = AtomicU64::new(0);
    let text = "id,name\ngh_1,A\ngh_2,B\n";
    load_bytes(
        "p.csv",
        text.as_bytes(),
        &ImportOptions::default(),
        &|d, t| {
            last.store(d, Ordering::Relaxed);
            total.store(t, Ordering::Relaxed);
        },
    )
    .unwrap();
    assert!(total.load(Ordering::Relaxed) > 0);
    assert_eq!(last.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
}

#[test]
fn a_damaged_workbook_is_a_clear_error() {
    let e = load_bytes(
        "accounts.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00",
        &ImportOptions::default(),
        &|_, _| {},
    )
    .expect_err("xlsx");
    let m = e.to_string();
    assert!(m.starts_with("accounts.xlsx:"), "{m}");
    assert!(m.contains("workbook"), "{m}");
}

#[test]
fn many_batches_keep_file_order_and_lines() {
    let mut text = String::from("id,name,followers\n");
    for i in 0..20_000 {
        if i % 1000 == 7 {
            text.push_str(&format!("gh_{i},N{i},lots\n"));
        } else {
            text.push_str(&format!("gh_{i},N{i},{i}\n"));
        }
    }
    let inv = import("big.csv", &text);
    assert_eq!(inv.accounts.len(), 20_000);
    for (i, a) in inv.accounts.iter().enumerate() {
        assert_eq!(a.line(), i as u64 + 2);
        assert_eq!(a.id(), Some(format!("gh_{i}").as_str()));
    }
    let lines: Vec<u64> = inv.row_errors.iter().map(|e| e.line).collect();
    let want: Vec<u64> = (0..20).map(|k| k * 1000 + 7 + 2).collect();
    assert_eq!(lines, want);
}
