//! Every encoding an inventory arrives in: UTF-8 with/without BOM, UTF-16 LE/BE (Excel "Unicode
//! text", tab-separated), GB18030 (Excel CSV on Chinese Windows), Big5, and `--encoding`.

use encoding_rs::{BIG5, GB18030};
use wxaudit::import::{load_bytes, ImportOptions, Inventory};
use wxaudit::model::{AccountType, Column};

const ZH_CSV: &str = "原始ID,账号名称,账号类型,认证状态,目标市场\r\n\
gh_0001,阿克米茶饮官方,订阅号,已认证,中国大陆;香港\r\n\
\r\n\
gh_0002,莲花美妆会员中心,服务号,未认证,CN\r\n";

fn import(name: &str, bytes: &[u8], opts: &ImportOptions) -> Inventory {
    load_bytes(name, bytes, opts, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_zh_accounts(inv: &Inventory) {
    assert_eq!(inv.accounts.len(), 2, "{:?}", inv.row_errors);
    assert!(inv.row_errors.is_empty(), "{:?}", inv.row_errors);
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.id.as_deref(), Some("gh_0001"));
    assert_eq!(a.name.as_deref(), Some("阿克米茶饮官方"));
    assert_eq!(a.account_type, Some(AccountType::Subscription));
    assert_eq!(a.raw_value(Column::Type), Some("订阅号"));
    assert_eq!(a.verified, Some(true));
    assert_eq!(a.audience, ["CN", "HK"]);
    assert_eq!(
        inv.accounts.at(1).to_account().account_type,
        Some(AccountType::Service)
    );
    assert_eq!(inv.accounts.at(1).to_account().line, 4);
    assert_eq!(inv.accounts.at(1).to_account().verified, Some(false));
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf8_without_bom() {
    let inv = import("a.csv", ZH_CSV.as_bytes(), &ImportOptions::default());
    assert_eq!(inv.input.encoding, "UTF-8");
    assert_zh_accounts(&inv);
}

#[test]
fn utf8_with_bom() {
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(ZH_CSV.as_bytes());
    let inv = import("a.csv", &b, &ImportOptions::default());
    assert_eq!(inv.input.encoding, "UTF-8 (BOM)");
    assert_zh_accounts(&inv);
}

#[test]
fn utf16_le_and_be_tab_separated() {
    let tsv = ZH_CSV.replace(',', "\t");
    let inv = import("export.txt", &utf16(&tsv, true), &ImportOptions::default());
    assert_eq!(inv.input.encoding, "UTF-16LE");
    assert_zh_accounts(&inv);
    let inv = import("export.txt", &utf16(&tsv, false), &ImportOptions::default());
    assert_eq!(inv.input.encoding, "UTF-16BE");
    assert_zh_accounts(&inv);
}

#[test]
fn gb18030_without_bom_is_detected() {
    let (bytes, _, _) = GB18030.encode(ZH_CSV);
    let inv = import("excel.csv", &bytes, &ImportOptions::default());
    assert_eq!(inv.input.encoding, "GB18030");
    assert_zh_accounts(&inv);
}

#[test]
fn big5_is_detected() {
    let text =
        "原始ID,名稱,類型\r\ngh_0001,臺灣茶飲官方帳號,服務號\r\ngh_0002,香港會員中心,小程序\r\n";
    let (bytes, _, _) = BIG5.encode(text);
    let inv = import("tw.csv", &bytes, &ImportOptions::default());
    assert_eq!(inv.input.encoding, "Big5");
    assert_eq!(inv.accounts.len(), 2);
    assert_eq!(
        inv.accounts.at(0).to_account().name.as_deref(),
        Some("臺灣茶飲官方帳號")
    );
    assert_eq!(
        inv.accounts.at(1).to_account().account_type,
        Some(AccountType::MiniProgram)
    );
}

#[test]
fn encoding_option_overrides_detection() {
    let (bytes, _, _) = GB18030.encode(ZH_CSV);
    let opts = ImportOptions {
        encoding: Some("gbk".into()),
        ..ImportOptions::default()
    };
    let inv = import("excel.csv", &bytes, &opts);
    assert_eq!(inv.input.encoding, "GBK");
    assert_zh_accounts(&inv);

    let e = load_bytes(
        "excel.csv",
        &bytes,
        &ImportOptions {
            encoding: Some("klingon".into()),
            ..ImportOptions::default()
        },
        &|_, _| {},
    )
    .expect_err("unknown label");
    assert!(
        e.to_string()
            .contains("excel.csv: unknown encoding `klingon`"),
        "{e}"
    );
}

#[test]
fn undecodable_bytes_are_reported_on_their_row_and_column() {
    // Valid UTF-8 except one stray byte in the name of the account on line 3.
    let mut b = b"id,name,brand\ngh_1,Alpha,Acme\ngh_2,Be".to_vec();
    b.push(0xFF);
    b.extend_from_slice(b"ta,Acme\n");
    let opts = ImportOptions {
        encoding: Some("utf-8".into()),
        ..ImportOptions::default()
    };
    let inv = import("bad.csv", &b, &opts);
    assert_eq!(inv.accounts.len(), 2);
    assert_eq!(
        inv.accounts.at(1).to_account().name.as_deref(),
        Some("Be\u{fffd}ta")
    );
    assert_eq!(inv.row_errors.len(), 1, "{:?}", inv.row_errors);
    let e = &inv.row_errors[0];
    assert_eq!(e.line, 3);
    assert_eq!(e.column.as_deref(), Some("name"));
    assert!(e.message.contains("not valid UTF-8"), "{}", e.message);
    assert!(!e.skipped);
}

#[test]
fn json_in_utf16_and_gb18030() {
    let json = r#"[{"id": "gh_1", "name": "阿克米", "type": "小程序"}]"#;
    let inv = import("a.json", &utf16(json, true), &ImportOptions::default());
    assert_eq!(inv.input.encoding, "UTF-16LE");
    assert_eq!(
        inv.accounts.at(0).to_account().account_type,
        Some(AccountType::MiniProgram)
    );
    let long = r#"[{"id": "gh_1", "name": "阿克米茶饮官方账号会员中心", "type": "小程序", "entity_name": "阿克米茶饮（上海）有限公司"}]"#;
    let (bytes, _, _) = GB18030.encode(long);
    let inv = import("a.json", &bytes, &ImportOptions::default());
    assert_eq!(inv.input.encoding, "GB18030");
    assert_eq!(
        inv.accounts.at(0).to_account().name.as_deref(),
        Some("阿克米茶饮官方账号会员中心")
    );
}
