//! A small, hand-built [`Report`] for the TUI's tests and snapshots: Chinese and emoji names,
//! findings of every severity (one of them about a brand with no account), a suppressed finding,
//! rules not evaluated, row errors and an extra column. It does not go through the importer or
//! the rules, so the TUI can be tested on its own; the values mirror what those produce.

use chrono::NaiveDate;
use wxaudit_core::audit::Report;
use wxaudit_core::import::InputInfo;
use wxaudit_core::model::*;
use wxaudit_core::suppress::SuppressedFinding;

fn t(s: &str) -> Text {
    Text::from(s)
}

struct Acc {
    id: &'static str,
    name: &'static str,
    ty: AccountType,
    portal: Option<&'static str>,
    phone: Option<(&'static str, &'static str)>,
    entity: Option<&'static str>,
    country: Option<&'static str>,
    audience: &'static [&'static str],
    brand: Option<&'static str>,
    platform: Platform,
    payments: Option<bool>,
    owner: &'static str,
}

const ACCOUNTS: &[Acc] = &[
    Acc {
        id: "gh_a1b2c3d4e5f6",
        name: "阿克米茶饮官方",
        ty: AccountType::Subscription,
        portal: Some("admin.wechat.com"),
        phone: None,
        entity: Some("Acme Tea Ltd."),
        country: Some("HK"),
        audience: &["CN"],
        brand: Some("阿克米茶饮"),
        platform: Platform::Wechat,
        payments: Some(false),
        owner: "王芳",
    },
    Acc {
        id: "wxid_tea_sales01",
        name: "茶饮销售小王",
        ty: AccountType::Personal,
        portal: None,
        phone: Some(("852", "6123 4567")),
        entity: None,
        country: None,
        audience: &["CN"],
        brand: Some("阿克米茶饮"),
        platform: Platform::Wechat,
        payments: None,
        owner: "王芳",
    },
    Acc {
        id: "gh_lotus_cn",
        name: "莲花美妆服务号",
        ty: AccountType::Service,
        portal: Some("mp.weixin.qq.com"),
        phone: None,
        entity: Some("莲花美妆（上海）有限公司"),
        country: Some("CN"),
        audience: &["CN"],
        brand: Some("莲花美妆"),
        platform: Platform::Weixin,
        payments: Some(true),
        owner: "李娜",
    },
    Acc {
        id: "wx5f3e2d1c0b9a8f7e",
        name: "莲花美妆商城",
        ty: AccountType::MiniProgram,
        portal: Some("mp.weixin.qq.com"),
        phone: None,
        entity: Some("莲花美妆（上海）有限公司"),
        country: Some("CN"),
        audience: &["CN"],
        brand: Some("莲花美妆"),
        platform: Platform::Weixin,
        payments: Some(true),
        owner: "李娜",
    },
    Acc {
        id: "gh_nw_travel",
        name: "Northwind Travel HK",
        ty: AccountType::Service,
        portal: Some("mp.weixin.qq.com"),
        phone: None,
        entity: Some("Northwind Travel Ltd"),
        country: Some("HK"),
        audience: &["HK", "US"],
        brand: Some("Northwind Travel"),
        platform: Platform::Weixin,
        payments: Some(true),
        owner: "Tom Lee",
    },
    Acc {
        id: "gh_nw_legacy",
        name: "Northwind Travel Intl",
        ty: AccountType::Subscription,
        portal: Some("admin.wechat.com"),
        phone: None,
        entity: Some("Northwind Travel Ltd"),
        country: Some("US"),
        audience: &["US"],
        brand: Some("Northwind Travel"),
        platform: Platform::Wechat,
        payments: Some(false),
        owner: "Tom Lee",
    },
    Acc {
        id: "wxid_9x8y7z",
        name: "😀 客服小美",
        ty: AccountType::Personal,
        portal: None,
        phone: Some(("86", "138 0013 8000")),
        entity: None,
        country: None,
        audience: &["CN"],
        brand: Some("莲花美妆"),
        platform: Platform::Weixin,
        payments: None,
        owner: "李娜",
    },
    Acc {
        id: "gh_unknown_01",
        name: "未知账号",
        ty: AccountType::Subscription,
        portal: None,
        phone: None,
        entity: Some("中国某公司"),
        country: None,
        audience: &["CN"],
        brand: None,
        platform: Platform::Unknown,
        payments: None,
        owner: "",
    },
    Acc {
        id: "gh_conflict",
        name: "冲突示例服务号",
        ty: AccountType::Service,
        portal: Some("mp.weixin.qq.com"),
        phone: Some(("86", "139 0000 0000")),
        entity: Some("莲花美妆（上海）有限公司"),
        country: Some("CN"),
        audience: &["CN", "HK"],
        brand: Some("莲花美妆"),
        platform: Platform::Weixin,
        payments: Some(false),
        owner: "李娜",
    },
    Acc {
        id: "gh_formula",
        name: "=1+1 测试",
        ty: AccountType::Subscription,
        portal: Some("mp.weixin.qq.com"),
        phone: None,
        entity: Some("Acme Tea Ltd."),
        country: Some("HK"),
        audience: &["HK"],
        brand: Some("阿克米茶饮"),
        platform: Platform::Weixin,
        payments: Some(false),
        owner: "-",
    },
    Acc {
        id: "gh_dormant",
        name: "旧活动号",
        ty: AccountType::Subscription,
        portal: Some("mp.weixin.qq.com"),
        phone: None,
        entity: Some("莲花美妆（上海）有限公司"),
        country: Some("CN"),
        audience: &["CN"],
        brand: Some("莲花美妆"),
        platform: Platform::Weixin,
        payments: Some(false),
        owner: "",
    },
    Acc {
        id: "gh_myr_pay",
        name: "马来西亚店",
        ty: AccountType::Service,
        portal: Some("admin.wechat.com"),
        phone: Some(("60", "12 345 6789")),
        entity: Some("Acme Tea Sdn Bhd"),
        country: Some("MY"),
        audience: &["MY"],
        brand: Some("阿克米茶饮"),
        platform: Platform::Wechat,
        payments: Some(true),
        owner: "Ahmad",
    },
];

#[allow(clippy::too_many_arguments)]
fn finding(
    rule: &str,
    sev: Severity,
    acc: Option<usize>,
    brand: Option<&str>,
    market: Option<&str>,
    message: &str,
    evidence: &[&str],
    advice: &str,
) -> Finding {
    let id = acc.and_then(|i| ACCOUNTS.get(i)).map(|a| t(a.id));
    let fp = format!(
        "{rule}|{}|{}|{}",
        id.as_deref().unwrap_or(""),
        brand.unwrap_or(""),
        market.unwrap_or("")
    );
    Finding {
        rule_id: rule.into(),
        severity: sev,
        account: acc.map(|i| i as u32),
        market: market.map(Into::into),
        baseline_state: None,
        said: Some(std::sync::Arc::new(wxaudit_core::model::Said {
            recorded: None,
            brand: brand.map(t),
            message: message.into(),
            evidence: evidence.iter().map(|s| s.to_string()).collect(),
            advice: advice.into(),
            fingerprint: t(&fp),
        })),
    }
}

/// The sample report: 12 accounts, 4 brands, findings of every severity.
pub fn sample_report() -> Report {
    let mut accounts = Vec::new();
    let mut classifications = Vec::new();
    for (i, a) in ACCOUNTS.iter().enumerate() {
        let mut acc = Account {
            line: i as u64 + 2,
            id: Some(t(a.id)),
            name: Some(t(a.name)),
            account_type: Some(a.ty),
            portal: a.portal.map(t),
            phone: a.phone.map(|(cc, n)| Phone {
                country_code: Some(t(cc)),
                number: t(n),
            }),
            entity_name: a.entity.map(t),
            entity_type: a.entity.map(|_| EntityType::Enterprise),
            entity_country: a.country.map(|c| Country::Code(t(c))),
            audience: a.audience.iter().map(|s| t(s)).collect(),
            brand: a.brand.map(t),
            payments: a.payments,
            status: Some(Status::Active),
            verified: Some(i % 3 != 0),
            followers: Some(1000 * (i as u64 + 1) * (i as u64 + 1)),
            last_active: NaiveDate::from_ymd_opt(2025, 12, 1 + i as u32),
            extra: vec![(t("负责人"), t(a.owner))],
            ..Account::default()
        };
        if a.id == "gh_dormant" {
            acc.status = Some(Status::Dormant);
            acc.last_active = NaiveDate::from_ymd_opt(2024, 1, 1);
        }
        if a.id == "gh_conflict" {
            acc.declared_platform = Some(Platform::Wechat);
            acc.raw.push((Column::Platform, t("海外版")));
        }
        if a.id == "gh_lotus_cn" {
            acc.raw.push((Column::Followers, t("abc")));
            acc.followers = None;
            acc.raw
                .push((Column::Portal, t("https://mp.weixin.qq.com/cgi-bin/home")));
        }
        if a.id == "gh_a1b2c3d4e5f6" {
            acc.raw.push((Column::Audience, t("中国大陆")));
        }
        accounts.push(acc);
        let mut conflicts = Vec::new();
        if a.id == "gh_conflict" {
            conflicts.push(Conflict {
                signals: (Signal::Portal, Signal::DeclaredPlatform),
                message: "declared wechat, but the admin portal mp.weixin.qq.com is Weixin".into(),
            });
        }
        let confidence = match a.platform {
            Platform::Unknown => Confidence::None,
            _ if conflicts.is_empty() => Confidence::High,
            _ => Confidence::Medium,
        };
        classifications.push(Classification {
            platform: a.platform,
            confidence,
            conflicts,
        });
    }

    let findings = vec![
        finding(
            "REACH-001",
            Severity::Critical,
            None,
            Some("阿克米茶饮"),
            Some("CN"),
            "Mainland customers cannot find 阿克米茶饮: it targets mainland China but has no active Weixin-platform official account or mini program.",
            &["brand 阿克米茶饮 audience includes CN", "official accounts: gh_a1b2c3d4e5f6 on WeChat international"],
            "Register a service account on the Weixin platform (mp.weixin.qq.com) — overseas entities can, with overseas verification, ≈99 USD/yr — then migrate followers.",
        ),
        finding(
            "OWN-001",
            Severity::Critical,
            Some(1),
            None,
            None,
            "The admin of this account is a departed employee: whoever holds that WeChat ID controls logins and broadcasts.",
            &["admin_status = departed"],
            "Transfer the admin to a company-held WeChat ID now.",
        ),
        finding(
            "REACH-002",
            Severity::High,
            Some(0),
            None,
            Some("CN"),
            "Legacy WeChat-international official account: Weixin (+86) users cannot search, scan or follow it.",
            &["portal = admin.wechat.com"],
            "Open a Weixin-platform service account and move followers to it.",
        ),
        finding(
            "REACH-004",
            Severity::High,
            Some(0),
            None,
            Some("CN"),
            "This official account's own audience is mainland China, but it lives on the WeChat international platform.",
            &["audience = CN", "platform = wechat"],
            "Serve mainland followers from a Weixin-platform account.",
        ),
        finding(
            "REACH-002",
            Severity::High,
            Some(5),
            None,
            None,
            "Legacy WeChat-international official account: Weixin (+86) users cannot search, scan or follow it.",
            &["portal = admin.wechat.com"],
            "Open a Weixin-platform service account and move followers to it.",
        ),
        finding(
            "CMP-001",
            Severity::High,
            Some(3),
            None,
            None,
            "Mainland-entity mini program without an ICP filing number.",
            &["entity_country = CN", "icp_filing is empty"],
            "File for ICP (备案) through the mini program admin.",
        ),
        finding(
            "PAY-006",
            Severity::High,
            Some(11),
            None,
            Some("MY"),
            "Wallet currency MYR: WeChat Pay Malaysia ended local payments on 1 Sep 2024.",
            &["wallet_currency = MYR"],
            "Move payments to a cross-border merchant account.",
        ),
        finding(
            "REG-002",
            Severity::Medium,
            Some(8),
            None,
            None,
            "Signals disagree: the team declared WeChat, but the admin portal is Weixin.",
            &["platform = wechat (declared)", "portal = mp.weixin.qq.com"],
            "Correct the platform column in the inventory.",
        ),
        finding(
            "VER-002",
            Severity::Medium,
            Some(2),
            None,
            None,
            "Verification expires within 90 days (2026-03-01).",
            &["verification_expiry = 2026-03-01"],
            "Renew the verification (≈300 RMB) before it lapses.",
        ),
        finding(
            "DATA-003",
            Severity::Medium,
            Some(9),
            None,
            None,
            "The name looks like a spreadsheet formula (=1+1 测试).",
            &["name starts with ="],
            "Fix the cell in the spreadsheet.",
        ),
        finding(
            "REG-001",
            Severity::Low,
            Some(7),
            None,
            None,
            "Platform cannot be determined: no portal, phone or declared platform.",
            &[],
            "Add the admin portal (mp.weixin.qq.com or admin.wechat.com) to the inventory.",
        ),
        finding(
            "LIM-001",
            Severity::Info,
            Some(2),
            None,
            None,
            "莲花美妆（上海）有限公司 holds 3 official accounts; the per-entity limit is 2.",
            &[],
            "No action needed for existing accounts; new ones need another entity.",
        ),
    ];
    let suppressed = vec![SuppressedFinding {
        finding: finding(
            "DATA-004",
            Severity::Low,
            Some(10),
            None,
            Some("CN"),
            "Dormant for more than 180 days while its audience is a target.",
            &["last_active = 2024-01-01"],
            "Post again or close the account.",
        ),
        reason: "Campaign account, closing in Q1".into(),
        owner: Some("李娜".into()),
        expires: NaiveDate::from_ymd_opt(2026, 3, 31),
    }];
    let row_errors = vec![
        RowError {
            line: 4,
            column: Some("followers".into()),
            value: Some("abc".into()),
            message: "not a number".into(),
            skipped: false,
        },
        RowError {
            line: 11,
            column: Some("verification_expiry".into()),
            value: Some("明年".into()),
            message: "not a date (expected e.g. 2026-03-31)".into(),
            skipped: false,
        },
        RowError {
            line: 14,
            column: None,
            value: None,
            message: "no id and no name; the row was skipped".into(),
            skipped: true,
        },
    ];
    Report {
        input: InputInfo {
            path: "sample-data/acme-accounts.csv".into(),
            sha256: "0".repeat(64),
            encoding: "UTF-8 (BOM)".into(),
            format: "csv".into(),
            rows: 13,
            rejected_rows: 1,
            ..InputInfo::default()
        },
        profile: Profile {
            name: Some("Acme Group".into()),
            legal_entities: vec!["Acme Tea Ltd.".into()],
            targets: vec!["CN".into(), "HK".into(), "US".into()],
            planned_features: vec![],
        },
        profile_source: ProfileSource::ProfileFile,
        as_of: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default(),
        accounts: accounts.into(),
        classifications: classifications.into(),
        findings,
        order: Default::default(),
        // Through serde so the fixture keeps compiling when NotEvaluated gains optional fields.
        not_evaluated: [
            r#"{"rule_id": "PAY-003", "missing_columns": ["merchant_track"]}"#,
            r#"{"rule_id": "OWN-003", "missing_columns": ["admin", "operators"]}"#,
            r#"{"rule_id": "OWN-002", "missing_columns": [], "reason": "the company profile lists no legal entities"}"#,
        ]
        .iter()
        .filter_map(|j| serde_json::from_str::<NotEvaluated>(j).ok())
        .collect(),
        row_errors,
        extra_columns: vec!["负责人".into()],
        suppressed,
        expired_suppressions: vec![],
        stale_suppressions: vec![],
        resolved: vec![],
        baseline: None,
        rules: Default::default(),
        facts: Default::default(),
        columns: Default::default(),
    }
}

/// A synthetic report of `n` accounts (for performance tests of filter and sort).
pub fn large_report(n: usize) -> Report {
    let mut r = sample_report();
    let base_acc = r.accounts.to_vec();
    let base_cls = r.classifications.clone();
    let base_f = r.findings.clone();
    let mut accounts = Vec::with_capacity(n);
    r.classifications.clear();
    r.findings.clear();
    r.suppressed.clear();
    for i in 0..n {
        let k = i % base_acc.len();
        let mut a = base_acc[k].clone();
        a.id = Some(Text::from(format!("gh_{i:09}")));
        a.line = i as u64 + 2;
        accounts.push(a);
        r.classifications.push(base_cls.get(k).expect("classified"));
        for f in base_f.iter().filter(|f| f.account == Some(k as u32)) {
            let mut f = f.clone();
            f.account = Some(i as u32);
            r.findings.push(f);
        }
    }
    r.accounts = accounts.into();
    r.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    r
}
