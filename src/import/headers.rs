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
/// case, traditional Chinese characters simplified (帳號 → 账号), and without the separators
/// space, `-` and `_` (so `Account ID`, `account-id`, `account_id` and `accountId` all fold to
/// `accountid`). A leading BOM / zero-width space is
/// dropped too, because Excel sometimes leaves one on the first header.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let skip = |c: char| c.is_whitespace() || matches!(c, '-' | '_' | '\u{feff}' | '\u{200b}');
    if s.is_ascii() {
        for c in s.chars() {
            if !skip(c) {
                out.push(c.to_ascii_lowercase());
            }
        }
    } else {
        for c in s.nfkc() {
            if !skip(c) {
                out.extend(simplified(c).to_lowercase());
            }
        }
    }
    out
}

/// Traditional → simplified for the characters that occur in headers and keyword values, so a
/// Big5 / Hong Kong / Taiwan spreadsheet (帳號名稱, 服務號, 已認證) matches the same aliases.
fn simplified(c: char) -> char {
    match c {
        '並' => '并',
        '亞' => '亚',
        '來' => '来',
        '個' => '个',
        '備' => '备',
        '傳' => '传',
        '僅' => '仅',
        '價' => '价',
        '內' => '内',
        '冊' => '册',
        '別' => '别',
        '劃' => '划',
        '動' => '动',
        '務' => '务',
        '匯' => '汇',
        '區' => '区',
        '員' => '员',
        '啟' => '启',
        '單' => '单',
        '國' => '国',
        '圓' => '圆',
        '團' => '团',
        '執' => '执',
        '場' => '场',
        '壽' => '寿',
        '實' => '实',
        '審' => '审',
        '寫' => '写',
        '專' => '专',
        '對' => '对',
        '屬' => '属',
        '帳' => '账',
        '幣' => '币',
        '庫' => '库',
        '廣' => '广',
        '廳' => '厅',
        '後' => '后',
        '態' => '态',
        '戰' => '战',
        '戲' => '戏',
        '戶' => '户',
        '據' => '据',
        '數' => '数',
        '時' => '时',
        '暱' => '昵',
        '會' => '会',
        '東' => '东',
        '業' => '业',
        '標' => '标',
        '機' => '机',
        '檔' => '档',
        '檢' => '检',
        '權' => '权',
        '歐' => '欧',
        '氣' => '气',
        '況' => '况',
        '測' => '测',
        '灣' => '湾',
        '為' => '为',
        '無' => '无',
        '營' => '营',
        '狀' => '状',
        '現' => '现',
        '療' => '疗',
        '發' => '发',
        '眾' => '众',
        '碼' => '码',
        '稅' => '税',
        '種' => '种',
        '稱' => '称',
        '簡' => '简',
        '約' => '约',
        '紅' => '红',
        '紐' => '纽',
        '級' => '级',
        '結' => '结',
        '統' => '统',
        '絲' => '丝',
        '綁' => '绑',
        '經' => '经',
        '網' => '网',
        '線' => '线',
        '總' => '总',
        '羅' => '罗',
        '義' => '义',
        '聯' => '联',
        '職' => '职',
        '臺' => '台',
        '與' => '与',
        '舊' => '旧',
        '華' => '华',
        '藥' => '药',
        '蘭' => '兰',
        '處' => '处',
        '號' => '号',
        '視' => '视',
        '親' => '亲',
        '訂' => '订',
        '訊' => '讯',
        '註' => '注',
        '証' => '证',
        '試' => '试',
        '認' => '认',
        '誤' => '误',
        '證' => '证',
        '識' => '识',
        '讀' => '读',
        '變' => '变',
        '貨' => '货',
        '貸' => '贷',
        '費' => '费',
        '資' => '资',
        '賬' => '账',
        '購' => '购',
        '贊' => '赞',
        '躍' => '跃',
        '車' => '车',
        '轉' => '转',
        '這' => '这',
        '遊' => '游',
        '運' => '运',
        '達' => '达',
        '醫' => '医',
        '銀' => '银',
        '銷' => '销',
        '鋪' => '铺',
        '錄' => '录',
        '錢' => '钱',
        '錯' => '错',
        '鎊' => '镑',
        '門' => '门',
        '開' => '开',
        '間' => '间',
        '閱' => '阅',
        '關' => '关',
        '陸' => '陆',
        '隊' => '队',
        '際' => '际',
        '險' => '险',
        '離' => '离',
        '韓' => '韩',
        '頁' => '页',
        '頻' => '频',
        '額' => '额',
        '類' => '类',
        '顯' => '显',
        '飲' => '饮',
        '館' => '馆',
        '馬' => '马',
        '驗' => '验',
        '體' => '体',
        '麥' => '麦',
        '龍' => '龙',
        _ => c,
    }
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
        assert_eq!(lookup("帳號名稱"), Some(Column::Name));
        assert_eq!(lookup("統一社會信用代碼"), Some(Column::CreditCode));
        assert_eq!(lookup("owner"), None);
        assert_eq!(lookup(""), None);
    }
}
