//! Header alias table: maps the many ways teams name a column (English, Chinese, full-width,
//! `Account ID` / `account-id` / `accountId`) to one canonical [`Column`].
//!
//! It exists apart from the readers because CSV headers and JSON keys share the same table, and
//! because folding rules (NFKC, case, separators) must be identical everywhere they are used.

use crate::model::Column;
use unicode_normalization::UnicodeNormalization;

/// Every alias of inventory-format.md, as written there. Matching uses [`fold`] on both sides.
const ALIASES: &[(Column, &[&str])] = &[
    (
        Column::Id,
        &[
            "id",
            "account_id",
            "original_id",
            "user_name",
            "username",
            "appid",
            "wechat_id",
            "alias",
            "原始ID",
            "账号ID",
            "微信号",
            "AppID",
        ],
    ),
    (
        Column::Name,
        &[
            "name",
            "account_name",
            "nickname",
            "nick_name",
            "账号名称",
            "名称",
            "公众号名称",
            "小程序名称",
            "昵称",
        ],
    ),
    (
        Column::Type,
        &["type", "kind", "account_type", "账号类型", "类型"],
    ),
    (Column::Platform, &["platform", "region", "平台", "版本"]),
    (
        Column::Portal,
        &[
            "portal",
            "backend",
            "admin_url",
            "registration_portal",
            "后台",
            "管理后台",
        ],
    ),
    (
        Column::Phone,
        &[
            "phone",
            "mobile",
            "phone_cc",
            "手机号",
            "绑定手机",
            "管理员手机号",
        ],
    ),
    (
        Column::EntityName,
        &[
            "entity_name",
            "entity",
            "principal_name",
            "company",
            "主体名称",
            "认证主体",
            "运营主体",
        ],
    ),
    (Column::EntityType, &["entity_type", "主体类型"]),
    (
        Column::EntityCountry,
        &[
            "entity_country",
            "country",
            "主体所在地",
            "注册地",
            "国家/地区",
        ],
    ),
    (
        Column::CreditCode,
        &[
            "credit_code",
            "uscc",
            "business_licence_no",
            "统一社会信用代码",
            "营业执照号",
        ],
    ),
    (
        Column::IcpFiling,
        &["icp_filing", "icp", "备案号", "ICP备案号"],
    ),
    (
        Column::WalletCurrency,
        &["wallet_currency", "wallet", "currency", "钱包币种", "币种"],
    ),
    (
        Column::Verified,
        &["verified", "verification_status", "认证状态", "认证情况"],
    ),
    (
        Column::VerificationExpiry,
        &[
            "verification_expiry",
            "认证到期时间",
            "年审时间",
            "有效期至",
        ],
    ),
    (
        Column::Payments,
        &[
            "payments",
            "payments_enabled",
            "open_pay",
            "微信支付",
            "已开通支付",
        ],
    ),
    (Column::MerchantId, &["merchant_id", "mchid", "商户号"]),
    (Column::MerchantTrack, &["merchant_track", "商户类型"]),
    (Column::MerchantEntity, &["merchant_entity", "商户主体"]),
    (
        Column::Admin,
        &["admin", "admin_wechat_id", "管理员微信号", "管理员"],
    ),
    (Column::AdminStatus, &["admin_status", "管理员状态"]),
    (Column::Operators, &["operators", "运营者"]),
    (
        Column::Audience,
        &["audience", "target_markets", "market", "目标市场", "受众"],
    ),
    (Column::Features, &["features", "features_used", "功能"]),
    (Column::Brand, &["brand", "business_unit", "品牌"]),
    (Column::Status, &["status", "状态"]),
    (
        Column::Followers,
        &["followers", "fans", "粉丝数", "关注人数", "用户数"],
    ),
    (
        Column::LastActive,
        &["last_active", "last_post", "最近活跃", "最近发文"],
    ),
    (Column::Notes, &["notes", "remarks", "备注"]),
];

/// Folds a header or a keyword for matching: Unicode NFKC (full-width → ASCII), trimmed, lower
/// case, and without the separators space, `-` and `_` (so `Account ID`, `account-id`,
/// `account_id` and `accountId` all fold to `accountid`). A leading BOM / zero-width space is
/// dropped too, because Excel sometimes leaves one on the first header.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let skip = |c: char| {
        c.is_whitespace() || matches!(c, '-' | '_' | '\u{feff}' | '\u{200b}')
    };
    if s.is_ascii() {
        for c in s.chars() {
            if !skip(c) {
                out.push(c.to_ascii_lowercase());
            }
        }
    } else {
        for c in s.nfkc() {
            if !skip(c) {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// The canonical column a header (or JSON key) stands for, if any.
pub fn lookup(header: &str) -> Option<Column> {
    // Fast path: the canonical names themselves.
    if let Some(c) = Column::from_canonical(header) {
        return Some(c);
    }
    let key = fold(header);
    if key.is_empty() {
        return None;
    }
    ALIASES
        .iter()
        .find(|(_, names)| names.iter().any(|n| fold(n) == key))
        .map(|(c, _)| *c)
}

/// A short list of accepted identifying headers, for "no identifying column" messages.
pub fn identifying_examples() -> &'static str {
    "`id` (or account_id, original_id, appid, 原始ID, 微信号) or `name` \
     (or account_name, nickname, 账号名称, 名称, 公众号名称)"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_map_to_themselves() {
        for c in Column::ALL {
            assert_eq!(lookup(c.as_str()), Some(c));
        }
    }

    #[test]
    fn every_alias_maps_to_its_column() {
        for (col, names) in ALIASES {
            for n in *names {
                assert_eq!(lookup(n), Some(*col), "alias {n}");
            }
        }
    }

    #[test]
    fn no_alias_folds_to_two_columns() {
        let mut seen = std::collections::HashMap::new();
        for (col, names) in ALIASES {
            for n in *names {
                if let Some(prev) = seen.insert(fold(n), *col) {
                    assert_eq!(prev, *col, "alias {n} is ambiguous");
                }
            }
        }
    }

    #[test]
    fn case_spaces_separators_and_full_width_do_not_matter() {
        assert_eq!(lookup("Account ID"), Some(Column::Id));
        assert_eq!(lookup("account-id"), Some(Column::Id));
        assert_eq!(lookup("accountId"), Some(Column::Id));
        assert_eq!(lookup(" ＡｐｐＩＤ "), Some(Column::Id));
        assert_eq!(lookup("原始ＩＤ"), Some(Column::Id));
        assert_eq!(lookup("\u{feff}name"), Some(Column::Name));
        assert_eq!(lookup("国家／地区"), Some(Column::EntityCountry));
        assert_eq!(lookup("Wallet Currency"), Some(Column::WalletCurrency));
        assert_eq!(lookup("owner"), None);
        assert_eq!(lookup(""), None);
    }
}
