//! Header alias table: maps the many ways teams name a column (English, Chinese, full-width,
//! `Account ID` / `account-id` / `accountId`) to one canonical [`Column`].
//!
//! It exists apart from the readers because CSV headers and JSON keys share the same table, and
//! because folding rules (NFKC, case, separators) must be identical everywhere they are used.

use crate::model::Column;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Every alias of inventory-format.md, plus the spellings people commonly write (`Admin Portal`,
/// `主体`, `认证`, `粉丝量`, …). Matching uses [`fold_header`] on both sides, so case, spaces,
/// punctuation, `-`/`_`, camelCase and full-width forms need no entries of their own.
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
            "app_id",
            "gh_id",
            "biz",
            "__biz",
            "fakeid",
            "原始ID",
            "原始账号",
            "公众号原始ID",
            "账号ID",
            "小程序AppID",
            "AppID",
        ],
    ),
    (
        Column::WechatId,
        &[
            "wechat_id",
            "alias",
            "weixin_id",
            "weixin_account",
            "微信号",
            "公众号ID",
            "微信ID",
            "公众号微信号",
        ],
    ),
    (
        Column::Name,
        &[
            "name",
            "account",
            "account_name",
            "display_name",
            "nickname",
            "nick_name",
            "official_account",
            "账号名称",
            "账号名",
            "名称",
            "名字",
            "公众号",
            "公众号名称",
            "小程序名称",
            "昵称",
        ],
    ),
    (
        Column::Type,
        &[
            "type",
            "kind",
            "account_type",
            "service_type",
            "账号类型",
            "账号类别",
            "类型",
            "类别",
        ],
    ),
    (
        Column::Platform,
        &["platform", "region", "wechat_platform", "平台", "版本"],
    ),
    (
        Column::Portal,
        &[
            "portal",
            "admin_portal",
            "portal_url",
            "backend",
            "admin_url",
            "login_url",
            "registration_portal",
            "后台",
            "管理后台",
            "后台地址",
            "管理平台",
            "登录地址",
        ],
    ),
    (
        Column::Phone,
        &[
            "phone",
            "phone_number",
            "mobile",
            "mobile_number",
            "telephone",
            "tel",
            "phone_cc",
            "registration_phone",
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "联系电话",
            "绑定手机",
            "绑定手机号",
            "注册手机",
            "管理员手机号",
        ],
    ),
    (
        Column::EntityName,
        &[
            "entity_name",
            "entity",
            "legal_entity",
            "principal_name",
            "company",
            "company_name",
            "主体",
            "主体名称",
            "认证主体",
            "运营主体",
            "公司",
            "公司名称",
            "企业名称",
        ],
    ),
    (
        Column::EntityType,
        &["entity_type", "principal_type", "主体类型", "主体性质"],
    ),
    (
        Column::EntityCountry,
        &[
            "entity_country",
            "entity_region",
            "country",
            "country_of_registration",
            "registration_country",
            "主体所在地",
            "主体国家",
            "注册地",
            "注册国家",
            "注册国家/地区",
            "国家",
            "国家/地区",
        ],
    ),
    (
        Column::CreditCode,
        &[
            "credit_code",
            "uscc",
            "business_licence_no",
            "business_license_no",
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "营业执照号",
        ],
    ),
    (
        Column::IcpFiling,
        &[
            "icp_filing",
            "icp",
            "icp_number",
            "备案号",
            "ICP备案号",
            "ICP备案",
        ],
    ),
    (
        Column::WalletCurrency,
        &[
            "wallet_currency",
            "wallet",
            "currency",
            "钱包币种",
            "币种",
            "结算币种",
        ],
    ),
    (
        Column::Verified,
        &[
            "verified",
            "verification",
            "verification_status",
            "is_verified",
            "认证",
            "认证状态",
            "认证情况",
            "是否认证",
        ],
    ),
    (
        Column::VerificationExpiry,
        &[
            "verification_expiry",
            "verification_expires",
            "verified_until",
            "annual_review",
            "认证到期时间",
            "认证到期",
            "认证有效期",
            "年审时间",
            "年审到期",
            "有效期至",
        ],
    ),
    (
        Column::Payments,
        &[
            "payments",
            "payments_enabled",
            "open_pay",
            "wechat_pay",
            "weixin_pay",
            "微信支付",
            "已开通支付",
            "是否开通支付",
            "支付",
        ],
    ),
    (
        Column::MerchantId,
        &["merchant_id", "mchid", "mch_id", "商户号", "微信支付商户号"],
    ),
    (
        Column::MerchantTrack,
        &["merchant_track", "merchant_type", "商户类型"],
    ),
    (Column::MerchantEntity, &["merchant_entity", "商户主体"]),
    (
        Column::Admin,
        &[
            "admin",
            "admin_wechat_id",
            "administrator",
            "管理员微信号",
            "管理员微信",
            "管理员",
        ],
    ),
    (
        Column::AdminStatus,
        &["admin_status", "管理员状态", "管理员在职状态"],
    ),
    (
        Column::Operators,
        &[
            "operators",
            "operator",
            "运营者",
            "运营者微信号",
            "运营人员",
        ],
    ),
    (
        Column::Audience,
        &[
            "audience",
            "target_markets",
            "target_market",
            "markets",
            "market",
            "目标市场",
            "目标地区",
            "受众",
        ],
    ),
    (
        Column::Features,
        &["features", "features_used", "功能", "使用功能"],
    ),
    (
        Column::Brand,
        &[
            "brand",
            "brand_name",
            "business_unit",
            "品牌",
            "品牌名称",
            "事业部",
        ],
    ),
    (
        Column::Status,
        &["status", "account_status", "状态", "账号状态"],
    ),
    (
        Column::Followers,
        &[
            "followers",
            "follower_count",
            "followers_count",
            "fans",
            "粉丝数",
            "粉丝量",
            "粉丝",
            "粉丝总数",
            "关注人数",
            "用户数",
        ],
    ),
    (
        Column::LastActive,
        &[
            "last_active",
            "last_activity",
            "last_post",
            "last_post_date",
            "最近活跃",
            "最近发文",
            "最近发文日期",
            "最近发文时间",
            "最后发文",
        ],
    ),
    (
        Column::Notes,
        &["notes", "note", "remarks", "comments", "备注", "说明"],
    ),
    (
        Column::Terms,
        &["terms", "agreement", "service_agreement", "服务协议"],
    ),
    (
        Column::Email,
        &[
            "email",
            "e_mail",
            "registration_email",
            "邮箱",
            "注册邮箱",
            "登录邮箱",
        ],
    ),
];

/// Folds a header or a keyword for matching: Unicode NFKC (full-width → ASCII), trimmed, lower
/// case, traditional Chinese characters simplified (帳號 → 账号), and without the separators
/// space, `-` and `_` (so `Account ID`, `account-id`, `account_id` and `accountId` all fold to
/// `accountid`). A leading BOM / zero-width space is
/// dropped too, because Excel sometimes leaves one on the first header.
pub fn fold(s: &str) -> String {
    let (mut out, again) = fold_once(s);
    // Removing a space can bring a letter and a combining mark together (`i΄` is `i`, space,
    // U+0301 after NFKC), and lower-casing can leave text NFKC would change: fold again until
    // nothing changes, so a folded key folds to itself. Rare, and bounded.
    if again {
        for _ in 0..3 {
            let (next, _) = fold_once(&out);
            if next == out {
                break;
            }
            out = next;
        }
    }
    out
}

/// One pass of [`fold`], and whether another pass might change the result.
fn fold_once(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let skip = |c: char| c.is_whitespace() || matches!(c, '-' | '_' | '\u{feff}' | '\u{200b}');
    if s.is_ascii() {
        for c in s.chars() {
            if !skip(c) {
                out.push(c.to_ascii_lowercase());
            }
        }
        return (out, false);
    }
    let mut removed = false;
    for c in s.nfkc() {
        if skip(c) {
            removed = true;
        } else {
            out.extend(simplified(c).to_lowercase());
        }
    }
    let again = removed
        || unicode_normalization::is_nfkc_quick(out.chars())
            != unicode_normalization::IsNormalized::Yes;
    (out, again)
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

/// Folds a header for matching: [`fold`], then only letters and digits are kept (so
/// punctuation such as a trailing `?`, `/`, `.` or `#` does not matter: `Verified?` is
/// `verified`, `国家/地区` is `国家地区`).
pub fn fold_header(s: &str) -> String {
    let mut f = fold(s);
    f.retain(char::is_alphanumeric);
    f
}

/// How a header was matched to its column, strongest first (the stated precedence when two
/// headers mean the same column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Named by the user (`--column` or `[columns]` in wxaudit.toml).
    User,
    /// The canonical column name itself (`followers`).
    Canonical,
    /// A known spelling (`粉丝数`, `Target Markets`).
    Alias,
    /// A known spelling once a note in brackets is set aside (`粉丝数(万)`, `账号类型（订阅号/服务号）`).
    Annotated,
}

/// A header's column, how it was matched, and the factor a unit in its brackets gives the
/// values (`粉丝数(万)`: 10,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderMatch {
    pub column: Column,
    pub kind: MatchKind,
    pub scale: Option<u64>,
}

/// Folded alias → column, built once (lookups are one hash probe per header or key).
fn alias_map() -> &'static HashMap<String, Column> {
    static MAP: OnceLock<HashMap<String, Column>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for c in Column::ALL {
            m.insert(fold_header(c.as_str()), c);
        }
        for (c, names) in ALIASES {
            for n in *names {
                m.entry(fold_header(n)).or_insert(*c);
            }
        }
        m
    })
}

/// Splits `粉丝数（万）` into `粉丝数` and the bracketed notes `["万"]`. Brackets of either width
/// (`()`, `（）`, `[]`, `【】`, `〔〕`) count; a header that is nothing but brackets is kept whole.
fn strip_annotations(s: &str) -> Option<(String, Vec<String>)> {
    let open = |c: char| matches!(c, '(' | '（' | '[' | '［' | '【' | '〔' | '〖');
    let close = |c: char| matches!(c, ')' | '）' | ']' | '］' | '】' | '〕' | '〗');
    if !s.chars().any(open) {
        return None;
    }
    let (mut base, mut notes, mut cur) = (String::new(), Vec::new(), String::new());
    let mut depth = 0usize;
    for c in s.chars() {
        if open(c) {
            depth += 1;
        } else if close(c) && depth > 0 {
            depth -= 1;
            if depth == 0 {
                notes.push(std::mem::take(&mut cur));
            }
        } else if depth > 0 {
            cur.push(c);
        } else {
            base.push(c);
        }
    }
    if depth > 0 {
        notes.push(cur);
    }
    (!base.trim().is_empty()).then_some((base, notes))
}

/// The factor a unit note gives a count: 万 10,000; 千/k 1,000; 百万/M 1,000,000; 亿 10⁸.
fn unit_scale(note: &str) -> Option<u64> {
    match fold_header(note).as_str() {
        "万" | "万人" | "w" => Some(10_000),
        "千" | "k" | "thousand" | "thousands" | "000" => Some(1_000),
        "百万" | "m" | "mn" | "million" | "millions" => Some(1_000_000),
        "亿" => Some(100_000_000),
        _ => None,
    }
}

/// The canonical column a header (or JSON key) stands for, with how it matched.
pub fn match_header(header: &str) -> Option<HeaderMatch> {
    if let Some(c) = Column::from_canonical(header) {
        return Some(HeaderMatch {
            column: c,
            kind: MatchKind::Canonical,
            scale: None,
        });
    }
    let key = fold_header(header);
    if key.is_empty() {
        return None;
    }
    let map = alias_map();
    if let Some(&c) = map.get(&key) {
        let kind = if key == fold_header(c.as_str()) {
            MatchKind::Canonical
        } else {
            MatchKind::Alias
        };
        return Some(HeaderMatch {
            column: c,
            kind,
            scale: None,
        });
    }
    let (base, notes) = strip_annotations(header)?;
    let &c = map.get(&fold_header(&base))?;
    let scale = if c == Column::Followers {
        notes.iter().find_map(|n| unit_scale(n))
    } else {
        None
    };
    Some(HeaderMatch {
        column: c,
        kind: MatchKind::Annotated,
        scale,
    })
}

/// The canonical column a header (or JSON key) stands for, if any.
pub fn lookup(header: &str) -> Option<Column> {
    match_header(header).map(|m| m.column)
}

/// The known column an unknown header most resembles, offered to the user as a suggestion
/// (never applied on its own): a header that contains a known spelling (`粉丝总数量` holds
/// `粉丝`), or one a few typing mistakes away (`Follwers`).
pub fn suggest(header: &str) -> Option<Column> {
    let key = match strip_annotations(header) {
        Some((base, _)) => fold_header(&base),
        None => fold_header(header),
    };
    let n = key.chars().count();
    if !(2..=60).contains(&n) {
        return None;
    }
    let mut best: Option<(f64, Column)> = None;
    for (alias, &c) in alias_map() {
        let an = alias.chars().count();
        // Containment counts for Chinese spellings of two or more characters, and for ASCII
        // ones of four or more (so `id` alone does not match every header with "id" in it).
        let min = if alias.is_ascii() { 4 } else { 2 };
        let score = if an >= min && key.contains(alias.as_str()) {
            0.8 + 0.2 * an as f64 / n as f64
        } else {
            // The edit distance is at least the difference in length, so this is the best score
            // the alias could reach: skip the (costly) distance when it cannot pass 0.75 or beat
            // the best so far. Exact: the same column is suggested as without the shortcut.
            let longest = n.max(an);
            let bound = 1.0 - n.abs_diff(an) as f64 / longest as f64;
            if bound < 0.75 || best.is_some_and(|(s, _)| bound <= s) {
                continue;
            }
            strsim::normalized_damerau_levenshtein(&key, alias)
        };
        if score >= 0.75 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The column a user named in a mapping (`--column "Admin Portal=portal"`): a canonical name
/// or any known spelling of one.
pub fn column_named(name: &str) -> Option<Column> {
    lookup(name.trim())
}

/// A short list of accepted identifying headers, for "no identifying column" messages.
pub fn identifying_examples() -> &'static str {
    "`id` (or account_id, original_id, appid, 原始ID), `wechat_id` (微信号) or `name` \
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
        // The entity's country as exports and teams write it: not the entity's name.
        for h in [
            "注册国家",
            "主体国家",
            "注册国家/地区",
            "Country of registration",
        ] {
            assert_eq!(lookup(h), Some(Column::EntityCountry), "{h}");
        }
        assert_eq!(lookup("Wallet Currency"), Some(Column::WalletCurrency));
        assert_eq!(lookup("帳號名稱"), Some(Column::Name));
        assert_eq!(lookup("統一社會信用代碼"), Some(Column::CreditCode));
        assert_eq!(lookup("owner"), None);
        assert_eq!(lookup(""), None);
    }
}
