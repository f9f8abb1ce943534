//! The side-file readers: suppressions, `wxaudit.toml`, profile (TOML and JSON), rules overrides
//! (TOML and JSON). Byte 0 picks the reader. Property: no panic; an accepted file holds only
//! values the readers promise (known rule ids, known features, numbers in range).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((sel, bytes)) = wxaudit_fuzz::split(data) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match sel % 6 {
        0 => {
            if let Ok(entries) = wxaudit::suppress::parse(text) {
                let rules = wxaudit::rules::RuleSet::builtin();
                for e in &entries {
                    assert!(
                        rules.explain(&e.rule).is_some(),
                        "unknown rule {:?} accepted",
                        e.rule
                    );
                    assert!(!e.reason.trim().is_empty());
                }
            }
        }
        1 => {
            if let Ok(c) = wxaudit::config::parse(text, Path::new("/etc/wxaudit/wxaudit.toml")) {
                assert!(
                    c.header_row.is_none_or(|n| n >= 1),
                    "header_row {:?}",
                    c.header_row
                );
            }
        }
        2 | 3 => {
            if let Ok(p) = wxaudit::profile::parse_str("profile", text, Some(sel % 6 == 2)) {
                for t in &p.targets {
                    assert!(
                        t == "GLOBAL"
                            || (t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase())),
                        "target {t:?}"
                    );
                }
            }
        }
        4 | 5 => {
            let name = if sel % 6 == 4 {
                "rules.toml"
            } else {
                "rules.json"
            };
            if let Ok(set) = wxaudit::rules::overrides::parse_str(name, text) {
                let k = set.knowledge();
                assert!((1..=3650).contains(&k.dormancy_days.value));
                assert!((1..=3650).contains(&k.verification_renewal_days.value));
            }
        }
        _ => unreachable!(),
    }
});
