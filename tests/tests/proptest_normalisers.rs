//! Property tests for the public value normalisers (`wxaudit::import::values`, `headers::fold`)
//! and, through a one-row CSV, the identifier clean-up done per row: for arbitrary text they
//! never panic, what they produce has the documented canonical form, and feeding a canonical
//! value back in gives it back unchanged (so a report's values re-import as themselves).

use proptest::prelude::*;
use wxaudit::import::headers::fold;
use wxaudit::import::values;
use wxaudit::import::{load_bytes, ImportOptions};
use wxaudit::model::Country;

/// Text shaped like inventory cells: digits, separators, units, Chinese, full-width forms,
/// invisible characters — plus fully arbitrary strings.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9 ,.+\\-()/万亿kKmMwW年月日:T]{0,24}",
        "[a-zA-Z _\\-]{0,16}",
        "[中国香港澳门台湾大陆人民币港币微信支付小程序红包正常停用已认证是否]{0,6}",
        "[０-９Ａ-Ｚａ-ｚ＋－　\u{feff}\u{200b}\u{0}]{0,10}",
        "\\PC{0,12}",
    ]
}

fn upper_ascii(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_uppercase())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_normaliser_survives_any_text(s in cell()) {
        let _ = values::account_type(&s);
        let _ = values::platform(&s);
        let _ = values::portal(&s);
        let _ = values::phone(&s);
        let _ = values::boolean(&s);
        let _ = values::entity_type(&s);
        let _ = values::country(&s);
        let _ = values::market(&s);
        let _ = values::currency(&s);
        let _ = values::date(&s);
        let _ = values::split_list(&s).count();
        let _ = values::feature(&s);
        let _ = values::merchant_track(&s);
        let _ = values::admin_status(&s);
        let _ = values::status(&s);
        let _ = values::followers(&s);
        let _ = values::credit_code(&s);
    }

    #[test]
    fn a_country_is_two_upper_case_letters_and_reads_back_as_itself(s in cell()) {
        if let Ok(Country::Code(c)) = values::country(&s) {
            prop_assert!(upper_ascii(&c, 2), "{s:?} → {c:?}");
            prop_assert_eq!(values::country(&c), Ok(Country::Code(c.clone())));
        }
    }

    #[test]
    fn a_market_is_an_iso_code_or_global_and_reads_back_as_itself(s in cell()) {
        if let Ok(m) = values::market(&s) {
            prop_assert!(m == "GLOBAL" || upper_ascii(&m, 2), "{s:?} → {m:?}");
            prop_assert_eq!(values::market(&m), Ok(m.clone()));
        }
    }

    #[test]
    fn a_currency_is_an_iso_code_or_none_and_reads_back_as_itself(s in cell()) {
        if let Ok(c) = values::currency(&s) {
            prop_assert!(c == "NONE" || upper_ascii(&c, 3), "{s:?} → {c:?}");
            prop_assert_eq!(values::currency(&c), Ok(c.clone()));
        }
    }

    #[test]
    fn a_date_reads_back_from_its_iso_form(s in cell()) {
        if let Ok(d) = values::date(&s) {
            let iso = d.format("%Y-%m-%d").to_string();
            prop_assert_eq!(values::date(&iso), Ok(d), "{:?} → {}", s, iso);
        }
    }

    #[test]
    fn any_calendar_date_reads_back(y in 1900i32..2200, doy in 0u32..365) {
        let d = chrono::NaiveDate::from_yo_opt(y, doy + 1).unwrap();
        prop_assert_eq!(values::date(&d.to_string()), Ok(d));
        prop_assert_eq!(values::date(&d.format("%Y/%-m/%-d").to_string()), Ok(d));
        prop_assert_eq!(values::date(&d.format("%Y年%-m月%-d日").to_string()), Ok(d));
    }

    #[test]
    fn a_follower_count_reads_back_from_its_digits(s in cell()) {
        if let Ok(n) = values::followers(&s) {
            prop_assert_eq!(values::followers(&n.to_string()), Ok(n), "{:?}", s);
        }
    }

    #[test]
    fn follower_counts_with_thousands_separators_and_units(n in 0u64..1_000_000_000) {
        let grouped = n
            .to_string()
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(",");
        prop_assert_eq!(values::followers(&grouped), Ok(n));
        prop_assert_eq!(values::followers(&format!("{n}万")), Ok(n * 10_000));
    }

    #[test]
    fn a_phone_is_digits_with_an_optional_code_and_reads_back_as_itself(s in cell()) {
        if let Ok(p) = values::phone(&s) {
            prop_assert!(p.number.bytes().all(|b| b.is_ascii_digit()), "{s:?} → {p:?}");
            if let Some(cc) = &p.country_code {
                prop_assert!(!cc.is_empty() && cc.len() <= 4 && cc.bytes().all(|b| b.is_ascii_digit()), "{p:?}");
            }
            let text = values::phone_text(&p);
            prop_assert_eq!(values::phone(&text), Ok(p.clone()), "{:?} → {}", s, text);
        }
    }

    #[test]
    fn a_platform_reads_back_as_itself(s in cell()) {
        if let Ok(Some(p)) = values::platform(&s) {
            let name = serde_json::to_value(p).unwrap();
            prop_assert_eq!(values::platform(name.as_str().unwrap()), Ok(Some(p)));
        }
    }

    #[test]
    fn a_feature_id_is_lower_snake_case_and_reads_back_as_itself(s in cell()) {
        if let Ok(f) = values::feature(&s) {
            prop_assert!(
                !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{s:?} → {f:?}"
            );
            prop_assert_eq!(values::feature(&f), Ok(f.clone()));
        }
    }

    #[test]
    fn enumerated_values_read_back_from_their_canonical_names(s in cell()) {
        fn back<T: serde::Serialize + PartialEq + std::fmt::Debug>(
            v: T,
            f: fn(&str) -> Result<T, values::Expected>,
        ) -> Result<(), TestCaseError> {
            let name = serde_json::to_value(&v).unwrap();
            let name = name.as_str().unwrap().to_string();
            prop_assert_eq!(f(&name), Ok(v), "{}", name);
            Ok(())
        }
        if let Ok(v) = values::account_type(&s) { back(v, values::account_type)?; }
        if let Ok(v) = values::status(&s) { back(v, values::status)?; }
        if let Ok(v) = values::admin_status(&s) { back(v, values::admin_status)?; }
        if let Ok(v) = values::merchant_track(&s) { back(v, values::merchant_track)?; }
    }

    #[test]
    fn credit_codes_and_folded_keys_are_stable(s in cell()) {
        let c = values::credit_code(&s);
        prop_assert!(!c.bytes().any(|b| b.is_ascii_lowercase()));
        prop_assert_eq!(values::credit_code(&c), c.clone());
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f.clone(), "{:?}", s);
    }

    /// The per-row id clean-up is private to the importer: it is checked through a one-row CSV.
    /// An id the importer kept re-imports as itself, and the row is never lost.
    #[test]
    fn an_imported_id_reimports_as_itself(id in "[^,\"\r\n]{1,24}") {
        let csv = |id: &str| format!("id,name,type\n{id},Shop,service\n");
        let read = |text: String| {
            load_bytes("one.csv", text.as_bytes(), &ImportOptions::default(), &|_, _| {})
                .expect("a two-line CSV with an id header imports")
        };
        let inv = read(csv(&id));
        prop_assert_eq!(inv.accounts.len() as u64 + inv.input.rejected_rows, inv.input.rows);
        // Every kept id is a real one (never empty) and round-trips.
        let kept = inv.accounts.get(0).and_then(|a| a.id().map(String::from));
        if let Some(kept) = kept {
            prop_assert!(!kept.is_empty(), "{:?} was kept as an empty id", id);
            let again = read(csv(&kept));
            prop_assert_eq!(again.accounts.get(0).and_then(|a| a.id().map(String::from)), Some(kept));
        }
    }
}

/// Found by `an_imported_id_reimports_as_itself`: a NUL-only id was kept as an empty id, so the
/// account neither had an id nor was reported as missing one.
#[test]
fn an_id_of_only_invisible_characters_is_absent_not_empty() {
    for id in ["\0", "\u{feff}", "\u{200b}\0"] {
        let text = format!("id,name,type\n{id},Shop,service\n");
        let inv = load_bytes(
            "one.csv",
            text.as_bytes(),
            &ImportOptions::default(),
            &|_, _| {},
        )
        .expect("imports");
        let got = inv.accounts.get(0).and_then(|a| a.id().map(String::from));
        assert!(
            got.as_deref().is_none_or(|i| !i.is_empty()),
            "{id:?} → {got:?}"
        );
    }
}

/// Found by `an_imported_id_reimports_as_itself`: a spacing accent after a letter (`c´`, as typed
/// on some keyboards) folded to `c` + a combining accent, which folded again to `ć` — so the same
/// id read twice (a report re-imported, a baseline) was two different ids.
#[test]
fn an_id_folds_to_the_same_text_every_time() {
    for id in ["gh_c\u{b4}", "gh_a\u{2dc}x"] {
        let read = |id: &str| {
            let text = format!("id,name,type\n{id},Shop,service\n");
            load_bytes(
                "one.csv",
                text.as_bytes(),
                &ImportOptions::default(),
                &|_, _| {},
            )
            .expect("imports")
            .accounts
            .get(0)
            .and_then(|a| a.id().map(String::from))
        };
        let once = read(id).expect("an id");
        assert_eq!(read(&once), Some(once.clone()), "{id:?}");
    }
}

/// Found by `credit_codes_and_folded_keys_are_stable`: a spacing accent after a letter (`i΄`, Greek
/// tonos) folded to `i` + a combining accent once its space was dropped, and folded again to `í`,
/// so a header or keyword folded twice no longer matched itself.
#[test]
fn a_header_folds_to_the_same_text_every_time() {
    for s in ["i\u{384}", "Acct\u{b4} Type", "c\u{2dc}x"] {
        let once = fold(s);
        assert_eq!(fold(&once), once, "{s:?}");
    }
}
