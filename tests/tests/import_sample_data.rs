//! The sample data shipped in `sample-data/` imports cleanly in every form.

use wxaudit::import::{load, ImportOptions, Inventory};
use wxaudit::model::{AccountType, Column};

fn sample(name: &str) -> Inventory {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name);
    load(&path, &ImportOptions::default(), &|_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sample_files_import_without_row_errors() {
    for f in [
        "acme-accounts.csv",
        "acme-accounts.json",
        "acme-accounts-excel-gb18030.csv",
        "clean-accounts.csv",
        "openplatform-export.json",
    ] {
        let inv = sample(f);
        for e in &inv.row_errors {
            eprintln!("{f}: {e:?}");
        }
        assert!(inv.accounts.len() >= 2, "{f}");
        assert!(inv.row_errors.is_empty(), "{f}: {:?}", inv.row_errors);
    }
}

#[test]
fn the_excel_export_matches_the_utf8_csv() {
    let utf8 = sample("acme-accounts.csv");
    let gb = sample("acme-accounts-excel-gb18030.csv");
    assert_eq!(gb.input.encoding, "GB18030");
    assert_eq!(utf8.accounts.len(), gb.accounts.len());
    for (a, b) in utf8.accounts.iter().zip(&gb.accounts) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.account_type(), b.account_type(), "{:?}", a.id());
        assert_eq!(a.declared_platform(), b.declared_platform(), "{:?}", a.id());
        assert_eq!(a.portal(), b.portal(), "{:?}", a.id());
        assert_eq!(a.phone(), b.phone(), "{:?}", a.id());
        assert_eq!(a.entity_type(), b.entity_type(), "{:?}", a.id());
        assert_eq!(a.entity_overseas(), b.entity_overseas(), "{:?}", a.id());
        assert_eq!(a.entity_country(), b.entity_country(), "{:?}", a.id());
        assert_eq!(a.wallet_currency(), b.wallet_currency(), "{:?}", a.id());
        assert_eq!(a.verified(), b.verified(), "{:?}", a.id());
        assert_eq!(
            a.verification_expiry(),
            b.verification_expiry(),
            "{:?}",
            a.id()
        );
        assert_eq!(a.payments(), b.payments(), "{:?}", a.id());
        assert_eq!(a.merchant_track(), b.merchant_track(), "{:?}", a.id());
        assert_eq!(a.admin_status(), b.admin_status(), "{:?}", a.id());
        assert_eq!(a.audience(), b.audience(), "{:?}", a.id());
        assert_eq!(a.features(), b.features(), "{:?}", a.id());
        assert_eq!(a.status(), b.status(), "{:?}", a.id());
        assert_eq!(a.followers(), b.followers(), "{:?}", a.id());
        assert_eq!(a.last_active(), b.last_active(), "{:?}", a.id());
    }
    assert!(gb.columns.contains(Column::Portal));
}

#[test]
fn the_open_platform_export_maps_authorizer_info() {
    let inv = sample("openplatform-export.json");
    assert_eq!(inv.input.format, "open_platform");
    let a = &inv.accounts.at(0).to_account();
    assert_eq!(a.id.as_deref(), Some("gh_a1c3e5f7a901"));
    assert_eq!(a.account_type, Some(AccountType::Service));
    assert_eq!(a.portal.as_deref(), Some("open-platform"));
    assert_eq!(a.verified, Some(true));
    assert_eq!(a.payments, Some(true));
    assert!(inv.extra_columns.iter().any(|c| c == "appid"));
}
