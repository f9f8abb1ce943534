//! Value normalisers: one small pure function per kind of cell (account type, phone, country,
//! date, follower count, …), each turning text as a marketing team writes it into the canonical
//! form of inventory-format.md.
//!
//! They live apart from the readers so CSV and JSON share them, and so each can be unit-tested
//! alone. Every normaliser is written for the hot path of a million-row import: the canonical
//! spelling is matched first with plain byte comparisons, and only unusual input pays for Unicode
//! folding ([`fold`]). A value that cannot be normalised yields [`Expected`], the plain-words
//! description of what was expected, which the caller turns into a row diagnostic.

use super::headers::fold;
use crate::model::{
    AccountType, AdminStatus, Country, EntityType, MerchantTrack, Phone, Platform, Status, Text,
};
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// What a value should have looked like, e.g. "expected yes/no (是/否, 已认证/未认证, true/false, 1/0)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected(pub &'static str);

type R<T> = Result<T, Expected>;

/// Finds `key` (already folded) in a table of (folded-or-plain ASCII/Chinese spelling, value).
fn table<T: Copy>(key: &str, rows: &[(&[&str], T)]) -> Option<T> {
    rows.iter()
        .find(|(names, _)| names.contains(&key))
        .map(|(_, v)| *v)
}

/// Account type: 订阅号 → subscription, 服务号 → service, 小程序 → mini_program, …;
/// `service_type_info` 0/1 → subscription, 2 → service.
pub fn account_type(s: &str) -> R<AccountType> {
    use AccountType::*;
    const EXP: Expected = Expected(
        "expected an account type: subscription, service, mini_program, personal, wecom or channels \
         (订阅号, 服务号, 小程序, 个人号, 企业微信, 视频号)",
    );
    match s {
        "subscription" => return Ok(Subscription),
        "service" => return Ok(Service),
        "mini_program" => return Ok(MiniProgram),
        "personal" => return Ok(Personal),
        "wecom" => return Ok(Wecom),
        "channels" => return Ok(Channels),
        "订阅号" => return Ok(Subscription),
        "服务号" => return Ok(Service),
        "小程序" => return Ok(MiniProgram),
        "个人号" | "个人微信" => return Ok(Personal),
        "企业微信" => return Ok(Wecom),
        "视频号" => return Ok(Channels),
        "0" | "1" => return Ok(Subscription),
        "2" => return Ok(Service),
        _ => {}
    }
    let k = fold(s);
    table(
        &k,
        &[
            (
                &[
                    "subscription",
                    "subscriptionaccount",
                    "订阅号",
                    "订阅",
                    "公众号订阅号",
                    "officialaccountsubscription",
                ],
                Subscription,
            ),
            (
                &[
                    "service",
                    "serviceaccount",
                    "服务号",
                    "公众号服务号",
                    "officialaccountservice",
                ],
                Service,
            ),
            (
                &[
                    "miniprogram",
                    "miniprograms",
                    "miniapp",
                    "mini",
                    "小程序",
                    "小程式",
                    "微信小程序",
                ],
                MiniProgram,
            ),
            (
                &[
                    "personal",
                    "personalaccount",
                    "individual",
                    "个人号",
                    "个人微信",
                    "个人",
                    "个人账号",
                    "微信个人号",
                ],
                Personal,
            ),
            (
                &["wecom", "wework", "weixinwork", "企业微信", "企微"],
                Wecom,
            ),
            (
                &[
                    "channels",
                    "channel",
                    "videochannel",
                    "videochannels",
                    "wechatchannels",
                    "weixinchannels",
                    "视频号",
                ],
                Channels,
            ),
        ],
    )
    .ok_or(EXP)
}

/// Platform as declared: weixin (微信, mainland, china) or wechat (international, intl, 海外版).
/// Blank-ish answers ("unknown", "未知", "-") give `None` without complaint.
pub fn platform(s: &str) -> R<Option<Platform>> {
    match s {
        "weixin" => return Ok(Some(Platform::Weixin)),
        "wechat" => return Ok(Some(Platform::Wechat)),
        _ => {}
    }
    let k = fold(s);
    table(
        &k,
        &[
            (
                &[
                    "weixin",
                    "微信",
                    "mainland",
                    "china",
                    "mainlandchina",
                    "cn",
                    "中国",
                    "中国大陆",
                    "大陆",
                    "内地",
                    "国内",
                    "国内版",
                    "大陆版",
                    "weixinmainland",
                ][..],
                Some(Platform::Weixin),
            ),
            (
                &[
                    "wechat",
                    "international",
                    "intl",
                    "海外版",
                    "国际版",
                    "海外",
                    "wechatinternational",
                    "wechatintl",
                ][..],
                Some(Platform::Wechat),
            ),
            (
                &["unknown", "未知", "不详", "na", "n/a", "?", "none"][..],
                None,
            ),
        ],
    )
    .or_else(|| {
        // Combined labels such as "WeChat海外版", "微信（国内版）", "Weixin mainland".
        let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
        if has(&["wechat", "海外", "国际", "international", "intl"]) {
            Some(Some(Platform::Wechat))
        } else if has(&["weixin", "微信", "国内", "大陆", "内地", "mainland"]) {
            Some(Some(Platform::Weixin))
        } else {
            None
        }
    })
    .ok_or(Expected(
        "expected a platform: weixin (微信, mainland) or wechat (international, 海外版)",
    ))
}

/// Admin portal: a URL or host → lower-case host (`https://MP.weixin.qq.com/cgi-bin` →
/// `mp.weixin.qq.com`). A few names are understood too (微信公众平台, 企业微信后台, 开放平台).
pub fn portal(s: &str) -> R<Text> {
    const EXP: Expected =
        Expected("expected an admin portal URL or host, e.g. mp.weixin.qq.com or admin.wechat.com");
    let mut rest = s;
    if let Some(i) = rest.find("://") {
        rest = &rest[i + 3..];
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(i) = host.rfind('@') {
        host = &host[i + 1..];
    }
    if let Some(i) = host.rfind(':') {
        if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
            host = &host[..i];
        }
    }
    let host = host.trim_end_matches('.');
    let valid = !host.is_empty()
        && host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if valid {
        return Ok(Text::from(host.to_ascii_lowercase()));
    }
    let k = fold(s);
    table(
        &k,
        &[
            (
                &[
                    "公众平台",
                    "微信公众平台",
                    "mp",
                    "微信公众号平台",
                    "小程序后台",
                    "公众号后台",
                ][..],
                "mp.weixin.qq.com",
            ),
            (
                &["企业微信后台", "企业微信管理后台", "企业微信"][..],
                "work.weixin.qq.com",
            ),
            (
                &["openplatform", "开放平台", "微信开放平台"][..],
                "open-platform",
            ),
        ],
    )
    .map(Text::from)
    .ok_or(EXP)
}

/// Length of the ITU-T E.164 country calling code at the start of `d` (digits only).
fn calling_code_len(d: &[u8]) -> usize {
    let two = |a: u8, b: u8| (a - b'0') * 10 + (b - b'0');
    match d {
        [b'1', ..] | [b'7', ..] => 1,
        [a @ b'2'..=b'9', b, ..] => {
            let n = two(*a, *b);
            let two_digit = matches!(
                n,
                20 | 27
                    | 30..=34
                    | 36
                    | 39
                    | 40
                    | 41
                    | 43..=49
                    | 51..=58
                    | 60..=66
                    | 81
                    | 82
                    | 84
                    | 86
                    | 90..=95
                    | 98
            );
            if two_digit {
                2
            } else {
                3
            }
        }
        _ => 0,
    }
}

/// Phone: `+86 138 0000 0000`, `0086…`, `86-…`, `+852 …` → country code + digits. A bare
/// number without a code keeps `country_code: None` (even an 11-digit mainland-looking one:
/// the auditor must not invent evidence).
pub fn phone(s: &str) -> R<Phone> {
    const EXP: Expected = Expected(
        "expected a phone number with its country code, e.g. +86 138 0000 0000 or +852 5123 4567",
    );
    let folded;
    let s = if s.is_ascii() {
        s
    } else {
        folded = s.nfkc().collect::<String>();
        folded.as_str()
    };
    // Groups of digits separated by space, '-', '.', '(', ')', '/'.
    // No allocation: this runs once per row of a million-row file.
    let mut plus = false;
    let mut group_buf: [&str; 8] = [""; 8];
    let mut n_groups = 0;
    let mut digit_buf = [0u8; 18];
    let mut n_digits = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if n_groups == group_buf.len() || n_digits + (i - start) > digit_buf.len() {
                return Err(EXP);
            }
            group_buf[n_groups] = &s[start..i];
            n_groups += 1;
            digit_buf[n_digits..n_digits + (i - start)].copy_from_slice(&bytes[start..i]);
            n_digits += i - start;
            continue;
        }
        match b {
            b'+' if n_groups == 0 && !plus => plus = true,
            b' ' | b'-' | b'.' | b'(' | b')' | b'/' | b'\t' => {}
            _ => return Err(EXP),
        }
        i += 1;
    }
    let groups = &group_buf[..n_groups];
    let digits = std::str::from_utf8(&digit_buf[..n_digits]).map_err(|_| EXP)?;
    if digits.len() < 5 {
        return Err(EXP);
    }
    let split = |d: &str, explicit_first_group: Option<&str>| -> R<Phone> {
        let n = match explicit_first_group {
            Some(g) if (1..=3).contains(&g.len()) && g.len() < d.len() => g.len(),
            _ => calling_code_len(d.as_bytes()),
        };
        if n == 0 || d.starts_with('0') {
            return Err(EXP);
        }
        Ok(Phone {
            country_code: Some(Text::from(&d[..n])),
            number: Text::from(&d[n..]),
        })
    };
    if plus {
        return split(digits, groups.first().copied());
    }
    if let Some(rest) = digits.strip_prefix("00") {
        if rest.len() < 5 {
            return Err(EXP);
        }
        let first = groups.first().and_then(|g| g.strip_prefix("00"));
        let first = first.filter(|g| !g.is_empty());
        return split(rest, first);
    }
    // A bare mainland mobile number: 11 digits starting with 1. No code given.
    if digits.len() == 11 && digits.starts_with('1') {
        return Ok(Phone {
            country_code: None,
            number: Text::from(digits),
        });
    }
    // `86-138…`, `852 5123 4567`: a short first group that is a calling code.
    if groups.len() >= 2 {
        let g = groups[0];
        if (1..=3).contains(&g.len()) && calling_code_len(g.as_bytes()) == g.len() {
            return Ok(Phone {
                country_code: Some(Text::from(g)),
                number: Text::from(&digits[g.len()..]),
            });
        }
    }
    // `8613800000000`: 86 glued to a mainland mobile number.
    if digits.len() == 13 && digits.starts_with("861") {
        return Ok(Phone {
            country_code: Some(Text::from("86")),
            number: Text::from(&digits[2..]),
        });
    }
    Ok(Phone {
        country_code: None,
        number: Text::from(digits),
    })
}

/// Canonical text of a phone, used to decide whether "as imported" differs.
pub fn phone_text(p: &Phone) -> String {
    match &p.country_code {
        Some(cc) => format!("+{cc} {}", p.number),
        None => p.number.to_string(),
    }
}

/// Yes/no: true/false, 1/0, yes/no, y/n, 是/否, 已认证/未认证, 已开通/未开通; `-1` (the
/// Open Platform's `verify_type_info` for "not verified") → no.
pub fn boolean(s: &str) -> R<bool> {
    match s {
        "yes" | "true" | "1" | "是" | "已认证" | "Y" | "y" => return Ok(true),
        "no" | "false" | "0" | "否" | "未认证" | "N" | "n" | "-1" => return Ok(false),
        _ => {}
    }
    let k = fold(s);
    table(
        &k,
        &[
            (
                &[
                    "yes",
                    "true",
                    "y",
                    "t",
                    "1",
                    "是",
                    "已认证",
                    "认证",
                    "verified",
                    "已开通",
                    "开通",
                    "有",
                    "on",
                    "enabled",
                    "✓",
                    "√",
                    "对",
                ][..],
                true,
            ),
            (
                &[
                    "no",
                    "false",
                    "n",
                    "f",
                    "0",
                    "否",
                    "未认证",
                    "unverified",
                    "notverified",
                    "未开通",
                    "无",
                    "没有",
                    "off",
                    "disabled",
                    "✗",
                    "×",
                ][..],
                false,
            ),
        ],
    )
    .ok_or(Expected(
        "expected yes or no (是/否, 已认证/未认证, true/false, 1/0)",
    ))
}

/// Entity type → (type, overseas). 境外主体/海外主体 → enterprise, overseas.
pub fn entity_type(s: &str) -> R<(EntityType, bool)> {
    use EntityType::*;
    match s {
        "enterprise" => return Ok((Enterprise, false)),
        "individual" => return Ok((Individual, false)),
        "individual_business" => return Ok((IndividualBusiness, false)),
        "government" => return Ok((Government, false)),
        "media" => return Ok((Media, false)),
        "other" => return Ok((Other, false)),
        _ => {}
    }
    let k = fold(s);
    table(
        &k,
        &[
            (
                &[
                    "境外主体",
                    "海外主体",
                    "境外企业",
                    "海外企业",
                    "overseas",
                    "overseasenterprise",
                    "overseasentity",
                    "foreignenterprise",
                ][..],
                (Enterprise, true),
            ),
            (
                &[
                    "enterprise",
                    "company",
                    "corporate",
                    "business",
                    "企业",
                    "公司",
                    "企业法人",
                    "企业主体",
                ][..],
                (Enterprise, false),
            ),
            (
                &["individual", "person", "personal", "个人", "个人主体"][..],
                (Individual, false),
            ),
            (
                &[
                    "individualbusiness",
                    "soleproprietor",
                    "soleproprietorship",
                    "个体工商户",
                    "个体户",
                ][..],
                (IndividualBusiness, false),
            ),
            (
                &["government", "gov", "政府", "政府机关", "政府机构"][..],
                (Government, false),
            ),
            (&["media", "媒体", "新闻媒体"][..], (Media, false)),
            (
                &["other", "其他", "其它", "其他组织", "组织", "ngo"][..],
                (Other, false),
            ),
        ],
    )
    .ok_or(Expected(
        "expected an entity type: enterprise, individual, individual_business, government, media, other \
         (企业, 个人, 个体工商户, 政府, 媒体, 其他, 境外主体)",
    ))
}

const COUNTRY_NAMES: &[(&[&str], &str)] = &[
    (
        &[
            "cn",
            "chn",
            "mainland",
            "mainlandchina",
            "chinamainland",
            "中国大陆",
            "大陆",
            "内地",
            "中国内地",
        ],
        "CN",
    ),
    (
        &[
            "hk",
            "hkg",
            "hongkong",
            "hongkongsar",
            "hongkongchina",
            "香港",
            "中国香港",
            "香港特别行政区",
            "中國香港",
        ],
        "HK",
    ),
    (
        &[
            "mo",
            "mac",
            "macau",
            "macao",
            "macausar",
            "澳门",
            "中国澳门",
            "澳門",
            "中國澳門",
        ],
        "MO",
    ),
    (
        &[
            "tw",
            "twn",
            "taiwan",
            "台湾",
            "中国台湾",
            "台灣",
            "臺灣",
            "中國台灣",
        ],
        "TW",
    ),
    (
        &[
            "us",
            "usa",
            "unitedstates",
            "unitedstatesofamerica",
            "america",
            "美国",
            "美國",
        ],
        "US",
    ),
    (&["sg", "sgp", "singapore", "新加坡"], "SG"),
    (&["my", "mys", "malaysia", "马来西亚", "馬來西亞"], "MY"),
    (
        &[
            "gb",
            "gbr",
            "uk",
            "unitedkingdom",
            "greatbritain",
            "britain",
            "england",
            "英国",
            "英國",
        ],
        "GB",
    ),
    (&["jp", "jpn", "japan", "日本"], "JP"),
    (&["de", "deu", "germany", "德国", "德國"], "DE"),
    (&["au", "aus", "australia", "澳大利亚", "澳洲"], "AU"),
    (
        &["kr", "kor", "korea", "southkorea", "韩国", "韓國", "南韩"],
        "KR",
    ),
    (&["fr", "fra", "france", "法国"], "FR"),
    (&["ca", "can", "canada", "加拿大"], "CA"),
    (&["th", "tha", "thailand", "泰国"], "TH"),
    (&["vn", "vnm", "vietnam", "越南"], "VN"),
    (&["id", "idn", "indonesia", "印度尼西亚", "印尼"], "ID"),
    (&["ph", "phl", "philippines", "菲律宾"], "PH"),
    (&["in", "ind", "india", "印度"], "IN"),
    (&["ae", "are", "uae", "unitedarabemirates", "阿联酋"], "AE"),
    (&["nz", "nzl", "newzealand", "新西兰"], "NZ"),
    (&["it", "ita", "italy", "意大利"], "IT"),
    (&["es", "esp", "spain", "西班牙"], "ES"),
    (&["nl", "nld", "netherlands", "holland", "荷兰"], "NL"),
    (&["ch", "che", "switzerland", "瑞士"], "CH"),
    (&["ru", "rus", "russia", "俄罗斯"], "RU"),
    (&["br", "bra", "brazil", "巴西"], "BR"),
    (&["mx", "mex", "mexico", "墨西哥"], "MX"),
    (&["ie", "irl", "ireland", "爱尔兰"], "IE"),
    (&["se", "swe", "sweden", "瑞典"], "SE"),
    (&["sa", "sau", "saudiarabia", "沙特", "沙特阿拉伯"], "SA"),
];

const AMBIGUOUS_CHINA: &[&str] = &[
    "china",
    "中国",
    "中國",
    "prc",
    "thepeoplesrepublicofchina",
    "peoplesrepublicofchina",
    "people'srepublicofchina",
    "中华人民共和国",
];

/// Entity country: ISO 3166-1 alpha-2 (any case), or a name (中国香港 / Hong Kong → HK,
/// 中国大陆 / mainland China → CN, 美国 / USA → US …). Bare 中国 / China / PRC is
/// [`Country::AmbiguousChina`].
pub fn country(s: &str) -> R<Country> {
    let b = s.as_bytes();
    if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
        let up = s.to_ascii_uppercase();
        return Ok(Country::Code(Text::from(if up == "UK" {
            "GB"
        } else {
            up.as_str()
        })));
    }
    let k = fold(s);
    if AMBIGUOUS_CHINA.contains(&k.as_str()) {
        return Ok(Country::AmbiguousChina);
    }
    table(&k, COUNTRY_NAMES)
        .map(|c| Country::Code(Text::from(c)))
        .ok_or(Expected(
            "expected a country or region: an ISO code such as CN, HK, MO, TW, US, or a name such as 中国香港 or Hong Kong",
        ))
}

/// One audience market: an ISO code upper case or `GLOBAL`. 大陆/中国大陆 → CN. A bare
/// "China"/"中国" in an audience is read as CN: a market someone wants to reach in "China" is
/// the mainland one (HK/MO/TW are named on their own); the text is kept as imported.
pub fn market(s: &str) -> R<Text> {
    let b = s.as_bytes();
    if b.len() == 2 && b.iter().all(u8::is_ascii_uppercase) && s != "UK" {
        return Ok(Text::from(s));
    }
    if s == "GLOBAL" {
        return Ok(Text::from(s));
    }
    let k = fold(s);
    if matches!(
        k.as_str(),
        "global" | "全球" | "worldwide" | "international" | "国际" | "海外"
    ) {
        return Ok(Text::from("GLOBAL"));
    }
    match country(s) {
        Ok(Country::Code(c)) => Ok(c),
        Ok(Country::AmbiguousChina) => Ok(Text::from("CN")),
        Err(_) => Err(Expected(
            "expected markets as ISO codes (CN, HK, US, …), names (中国大陆, 香港, …) or global",
        )),
    }
}

/// Wallet currency: ISO 4217 upper case, or `NONE`. 人民币/RMB → CNY, 港币 → HKD, 令吉/马币 → MYR.
pub fn currency(s: &str) -> R<Text> {
    let b = s.as_bytes();
    if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) && s != "RMB" {
        return Ok(Text::from(s));
    }
    let k = fold(s);
    let named = table(
        &k,
        &[
            (
                &["rmb", "cny", "人民币", "元", "yuan", "renminbi", "cnh"][..],
                "CNY",
            ),
            (&["hkd", "港币", "港元", "港幣", "hk$"][..], "HKD"),
            (
                &["myr", "令吉", "马币", "林吉特", "ringgit", "rm"][..],
                "MYR",
            ),
            (&["usd", "美元", "美金", "us$"][..], "USD"),
            (&["eur", "欧元", "euro"][..], "EUR"),
            (&["gbp", "英镑", "pound"][..], "GBP"),
            (&["jpy", "日元", "yen"][..], "JPY"),
            (&["sgd", "新加坡元", "新币", "s$"][..], "SGD"),
            (&["aud", "澳元", "a$"][..], "AUD"),
            (&["twd", "台币", "新台币", "nt$"][..], "TWD"),
            (&["mop", "澳门元", "澳门币"][..], "MOP"),
            (
                &[
                    "none",
                    "无",
                    "没有",
                    "na",
                    "n/a",
                    "nil",
                    "null",
                    "nowallet",
                    "无钱包",
                ][..],
                "NONE",
            ),
        ],
    );
    if let Some(c) = named {
        return Ok(Text::from(c));
    }
    if k.len() == 3 && k.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(Text::from(k.to_ascii_uppercase()));
    }
    Err(Expected(
        "expected a currency: an ISO code such as CNY, HKD, MYR, USD (人民币, 港币, 令吉) or none",
    ))
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Dates: `2024-03-31`, `2024/3/31`, `2024.3.31`, `2024年3月31日`, `20240331`, ISO datetimes
/// (`2024-03-31T08:00:00Z`, `2024-03-31 08:00`), `31/03/2024` when the day cannot be a month,
/// and Excel serial day numbers (e.g. `45382`).
pub fn date(s: &str) -> R<NaiveDate> {
    const EXP: Expected =
        Expected("expected a date such as 2024-03-31, 2024/3/31 or 2024年3月31日");
    let b = s.as_bytes();
    // Fast path: YYYY-MM-DD.
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (num(&s[..4]), num(&s[5..7]), num(&s[8..])) {
            return ymd(y, m, d).ok_or(EXP);
        }
    }
    let folded;
    let s = if s.is_ascii() {
        s
    } else {
        folded = s.nfkc().collect::<String>();
        folded.as_str()
    };
    // Cut a time part: "2024-03-31T08:00:00Z", "2024-03-31 08:00:00".
    let mut date_part = s;
    if let Some(i) = s.find(['T', ' ']) {
        let time = s[i + 1..].trim();
        let time_ok = time
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b':' | b'.' | b'Z' | b'+' | b'-' | b' '));
        if !time_ok || !time.contains(':') {
            return Err(EXP);
        }
        date_part = &s[..i];
    }
    let date_part = date_part.trim_end_matches('日');
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (
            num(&date_part[..4]),
            num(&date_part[4..6]),
            num(&date_part[6..]),
        );
        return match (y, m, d) {
            (Some(y), Some(m), Some(d)) => ymd(y, m, d).ok_or(EXP),
            _ => Err(EXP),
        };
    }
    if (4..=5).contains(&date_part.len()) && date_part.bytes().all(|b| b.is_ascii_digit()) {
        // Excel serial date (1900 system): day 1 = 1900-01-01, with Excel's 1900 leap bug.
        let n: i64 = date_part.parse().map_err(|_| EXP)?;
        if (20_000..=80_000).contains(&n) {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or(EXP)?;
            return base
                .checked_add_days(chrono::Days::new(n as u64))
                .ok_or(EXP);
        }
        return Err(EXP);
    }
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', '年', '月'])
        .map(str::trim)
        .collect();
    if parts.len() != 3 {
        return Err(EXP);
    }
    let (a, m, c) = (num(parts[0]), num(parts[1]), num(parts[2]));
    let (Some(a), Some(m), Some(c)) = (a, m, c) else {
        return Err(EXP);
    };
    if parts[0].len() == 4 {
        return ymd(a, m, c).ok_or(EXP);
    }
    if parts[2].len() == 4 {
        // d/m/Y or m/d/Y: only when one reading is impossible.
        return match (a > 12, m > 12) {
            (true, false) => ymd(c, m, a).ok_or(EXP),
            (false, true) => ymd(c, a, m).ok_or(EXP),
            _ => Err(Expected(
                "expected a date with the year first, e.g. 2024-03-31 (day and month order is ambiguous)",
            )),
        };
    }
    Err(EXP)
}

/// Splits a list cell on `;` `,` `、` `|` (and full-width `；` `，` `｜`, and line breaks),
/// trimming items and dropping empty ones.
pub fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', ',', '、', '|', '；', '，', '｜', '\n', '\r'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

/// One feature id (domain.md §5), lower snake_case: `Red Packets` → `red_packets`,
/// 红包 → red_packets, 微信支付 → payments.
pub fn feature(s: &str) -> R<Text> {
    let b = s.as_bytes();
    if b.iter()
        .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && !b.is_empty()
    {
        return Ok(Text::from(s));
    }
    let named = table(
        &fold(s),
        &[
            (
                &["支付", "微信支付", "收款", "wechatpay", "weixinpay"][..],
                "payments",
            ),
            (
                &["转账", "p2ptransfer", "transfer", "transfers"][..],
                "p2p_transfer",
            ),
            (
                &[
                    "红包",
                    "redpacket",
                    "redpackets",
                    "redenvelope",
                    "redenvelopes",
                ][..],
                "red_packets",
            ),
            (
                &["aa收款", "群收款", "aa", "splitbill", "splitthebill"][..],
                "split_bill",
            ),
            (&["打车", "出行", "taxi", "ridehailing"][..], "taxi"),
            (
                &["小程序", "miniprogram", "miniprograms"][..],
                "mini_program",
            ),
            (&["视频号", "channels"][..], "channels"),
            (&["直播", "livestreaming", "live"][..], "live_streaming"),
            (
                &["游戏", "游戏中心", "gamecenter", "games"][..],
                "game_center",
            ),
            (&["朋友圈", "moments"][..], "moments"),
            (&["聊天", "chat"][..], "chat"),
            (&["客服", "customerservice"][..], "customer_service"),
            (
                &["模板消息", "templatemessages", "templatemessage"][..],
                "template_messages",
            ),
            (&["菜单", "自定义菜单", "menu"][..], "menu"),
            (&["正在输入", "typingindicator"][..], "typing_indicator"),
            (&["weixinout", "wechatout"][..], "wechat_out"),
        ],
    );
    if let Some(f) = named {
        return Ok(Text::from(f));
    }
    // Generic: NFKC, lower case, runs of space/'-'/'_' → one '_'.
    let mut out = String::with_capacity(s.len());
    let mut sep = false;
    for c in s.nfkc() {
        if c.is_whitespace() || c == '-' || c == '_' {
            sep = true;
            continue;
        }
        if !(c.is_ascii_alphanumeric()) {
            return Err(Expected(
                "expected feature ids such as payments, red_packets, mini_program, channels (domain.md §5)",
            ));
        }
        if sep && !out.is_empty() {
            out.push('_');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    if out.is_empty() {
        return Err(Expected("expected a feature id"));
    }
    Ok(Text::from(out))
}

/// Merchant track: domestic (境内), cross_border (跨境), hk (香港).
pub fn merchant_track(s: &str) -> R<MerchantTrack> {
    use MerchantTrack::*;
    match s {
        "domestic" => return Ok(Domestic),
        "cross_border" => return Ok(CrossBorder),
        "hk" => return Ok(Hk),
        _ => {}
    }
    table(
        &fold(s),
        &[
            (
                &[
                    "domestic",
                    "境内",
                    "国内",
                    "境内商户",
                    "普通商户",
                    "mainland",
                ][..],
                Domestic,
            ),
            (
                &[
                    "crossborder",
                    "跨境",
                    "跨境商户",
                    "境外",
                    "境外商户",
                    "overseas",
                ][..],
                CrossBorder,
            ),
            (
                &["hk", "香港", "hongkong", "香港商户", "wechatpayhk"][..],
                Hk,
            ),
        ],
    )
    .ok_or(Expected(
        "expected a merchant track: domestic (境内), cross_border (跨境) or hk (香港)",
    ))
}

/// Who holds the admin ID: company, employee (在职), departed (离职), agency (代运营), unknown.
pub fn admin_status(s: &str) -> R<AdminStatus> {
    use AdminStatus::*;
    match s {
        "company" => return Ok(Company),
        "employee" => return Ok(Employee),
        "departed" => return Ok(Departed),
        "agency" => return Ok(Agency),
        "unknown" => return Ok(Unknown),
        _ => {}
    }
    table(
        &fold(s),
        &[
            (&["company", "公司", "企业", "corporate", "官方"][..], Company),
            (&["employee", "在职", "员工", "staff", "在职员工"][..], Employee),
            (
                &[
                    "departed",
                    "离职",
                    "已离职",
                    "离职员工",
                    "formeremployee",
                    "exemployee",
                    "left",
                ][..],
                Departed,
            ),
            (
                &["agency", "代运营", "agent", "第三方", "服务商", "vendor", "外包"][..],
                Agency,
            ),
            (&["unknown", "未知", "不明", "不详", "?"][..], Unknown),
        ],
    )
    .ok_or(Expected(
        "expected who holds the admin ID: company, employee (在职), departed (离职), agency (代运营) or unknown (未知)",
    ))
}

/// Lifecycle: active (正常), dormant (停用), suspended (封禁), closed (注销).
pub fn status(s: &str) -> R<Status> {
    use Status::*;
    match s {
        "active" => return Ok(Active),
        "dormant" => return Ok(Dormant),
        "suspended" => return Ok(Suspended),
        "closed" => return Ok(Closed),
        _ => {}
    }
    table(
        &fold(s),
        &[
            (
                &[
                    "active",
                    "正常",
                    "活跃",
                    "运营中",
                    "启用",
                    "enabled",
                    "normal",
                    "live",
                ][..],
                Active,
            ),
            (
                &[
                    "dormant",
                    "停用",
                    "休眠",
                    "不活跃",
                    "inactive",
                    "停更",
                    "闲置",
                ][..],
                Dormant,
            ),
            (
                &[
                    "suspended",
                    "封禁",
                    "冻结",
                    "banned",
                    "blocked",
                    "封号",
                    "限制",
                ][..],
                Suspended,
            ),
            (
                &[
                    "closed",
                    "注销",
                    "已注销",
                    "deleted",
                    "关闭",
                    "terminated",
                    "已关闭",
                ][..],
                Closed,
            ),
        ],
    )
    .ok_or(Expected(
        "expected a status: active (正常), dormant (停用), suspended (封禁) or closed (注销)",
    ))
}

/// Follower count: `12345`, `12,345`, `1.2万`, `3亿`, `1.5k`, `2M`, `10万+`.
pub fn followers(s: &str) -> R<u64> {
    const EXP: Expected = Expected("expected a follower count such as 12345, 12,345, 1.2万 or 3亿");
    if !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_err(|_| EXP);
    }
    let mut t: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '_' | ' ' | '\u{a0}' | '\'' | '+'))
        .collect();
    let mult: u64 = if let Some(x) = t.strip_suffix('万') {
        t = x.to_string();
        10_000
    } else if let Some(x) = t.strip_suffix('亿') {
        t = x.to_string();
        100_000_000
    } else if let Some(x) = t.strip_suffix(['w', 'W']) {
        t = x.to_string();
        10_000
    } else if let Some(x) = t.strip_suffix(['k', 'K', '千']) {
        t = x.to_string();
        1_000
    } else if let Some(x) = t.strip_suffix(['m', 'M']) {
        t = x.to_string();
        1_000_000
    } else {
        1
    };
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t.as_str(), ""),
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > 9 {
        return Err(EXP);
    }
    let int: u64 = int.parse().map_err(|_| EXP)?;
    let mut total = int.checked_mul(mult).ok_or(EXP)?;
    if !frac.is_empty() {
        let f: u64 = frac.parse().map_err(|_| EXP)?;
        let scale = 10u64.pow(frac.len() as u32);
        let part = (u128::from(f) * u128::from(mult) + u128::from(scale) / 2) / u128::from(scale);
        if mult == 1 && f != 0 {
            return Err(Expected("expected a whole number of followers"));
        }
        total = total.checked_add(part as u64).ok_or(EXP)?;
    }
    Ok(total)
}

/// Credit code: trimmed and upper-cased; validation (GB 32100 checksum) is the classifier's job.
pub fn credit_code(s: &str) -> Text {
    if s.bytes().any(|b| b.is_ascii_lowercase()) {
        Text::from(s.to_ascii_uppercase())
    } else {
        Text::from(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn code(c: &str) -> Country {
        Country::Code(Text::from(c))
    }
    fn ph(cc: Option<&str>, n: &str) -> Phone {
        Phone {
            country_code: cc.map(Text::from),
            number: Text::from(n),
        }
    }

    #[test]
    fn account_types() {
        use AccountType::*;
        for (s, t) in [
            ("订阅号", Subscription),
            ("服务号", Service),
            ("小程序", MiniProgram),
            ("个人号", Personal),
            ("个人微信", Personal),
            ("企业微信", Wecom),
            ("视频号", Channels),
            ("Subscription Account", Subscription),
            ("Mini Program", MiniProgram),
            ("mini-program", MiniProgram),
            ("WeCom", Wecom),
            ("0", Subscription),
            ("1", Subscription),
            ("2", Service),
            ("channels", Channels),
        ] {
            assert_eq!(account_type(s), Ok(t), "{s}");
        }
        assert_eq!(account_type("服務號"), Ok(Service));
        assert_eq!(account_type("訂閱號"), Ok(Subscription));
        assert!(account_type("公众号").is_err());
        assert!(account_type("3").is_err());
    }

    #[test]
    fn platforms() {
        assert_eq!(platform("微信"), Ok(Some(Platform::Weixin)));
        assert_eq!(platform("Mainland"), Ok(Some(Platform::Weixin)));
        assert_eq!(platform("China"), Ok(Some(Platform::Weixin)));
        assert_eq!(platform("WeChat"), Ok(Some(Platform::Wechat)));
        assert_eq!(platform("International"), Ok(Some(Platform::Wechat)));
        assert_eq!(platform("intl"), Ok(Some(Platform::Wechat)));
        assert_eq!(platform("海外版"), Ok(Some(Platform::Wechat)));
        assert_eq!(platform("unknown"), Ok(None));
        assert_eq!(platform("WeChat海外版"), Ok(Some(Platform::Wechat)));
        assert_eq!(platform("微信（国内版）"), Ok(Some(Platform::Weixin)));
        assert!(platform("line").is_err());
    }

    #[test]
    fn portals() {
        assert_eq!(
            portal("https://MP.weixin.qq.com/cgi-bin/home?t=1").unwrap(),
            "mp.weixin.qq.com"
        );
        assert_eq!(portal("admin.wechat.com").unwrap(), "admin.wechat.com");
        assert_eq!(
            portal("http://user@work.weixin.qq.com:443/wework_admin").unwrap(),
            "work.weixin.qq.com"
        );
        assert_eq!(portal("微信公众平台").unwrap(), "mp.weixin.qq.com");
        assert_eq!(portal("开放平台").unwrap(), "open-platform");
        assert!(portal("the new one").is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(
            phone("+86 138 0000 0000"),
            Ok(ph(Some("86"), "13800000000"))
        );
        assert_eq!(phone("+8613800000000"), Ok(ph(Some("86"), "13800000000")));
        assert_eq!(phone("0086 13800000000"), Ok(ph(Some("86"), "13800000000")));
        assert_eq!(phone("008613800000000"), Ok(ph(Some("86"), "13800000000")));
        assert_eq!(phone("86-13800000000"), Ok(ph(Some("86"), "13800000000")));
        assert_eq!(phone("8613800000000"), Ok(ph(Some("86"), "13800000000")));
        assert_eq!(phone("+852 5123 4567"), Ok(ph(Some("852"), "51234567")));
        assert_eq!(phone("+85251234567"), Ok(ph(Some("852"), "51234567")));
        assert_eq!(phone("+853 6612 3456"), Ok(ph(Some("853"), "66123456")));
        assert_eq!(phone("+886 912 345 678"), Ok(ph(Some("886"), "912345678")));
        assert_eq!(phone("+1 415 555 0100"), Ok(ph(Some("1"), "4155550100")));
        assert_eq!(phone("+60 123456789"), Ok(ph(Some("60"), "123456789")));
        assert_eq!(
            phone("＋８６ １３８００００００００"),
            Ok(ph(Some("86"), "13800000000"))
        );
        assert_eq!(phone("13800000000"), Ok(ph(None, "13800000000")));
        assert_eq!(phone("138 0000 0000"), Ok(ph(None, "13800000000")));
        assert!(phone("call Li").is_err());
        assert!(phone("123").is_err());
        assert_eq!(
            phone_text(&ph(Some("86"), "13800000000")),
            "+86 13800000000"
        );
    }

    #[test]
    fn booleans() {
        for s in [
            "true",
            "1",
            "yes",
            "Yes",
            "Y",
            "y",
            "是",
            "已认证",
            "TRUE",
            "已認證",
        ] {
            assert_eq!(boolean(s), Ok(true), "{s}");
        }
        for s in ["false", "0", "no", "NO", "n", "N", "否", "未认证", "-1"] {
            assert_eq!(boolean(s), Ok(false), "{s}");
        }
        assert!(boolean("maybe").is_err());
    }

    #[test]
    fn entity_types() {
        use EntityType::*;
        assert_eq!(entity_type("境外主体"), Ok((Enterprise, true)));
        assert_eq!(entity_type("海外主体"), Ok((Enterprise, true)));
        assert_eq!(entity_type("企业"), Ok((Enterprise, false)));
        assert_eq!(entity_type("个人"), Ok((Individual, false)));
        assert_eq!(entity_type("个体工商户"), Ok((IndividualBusiness, false)));
        assert_eq!(entity_type("政府"), Ok((Government, false)));
        assert_eq!(entity_type("媒体"), Ok((Media, false)));
        assert_eq!(entity_type("其他"), Ok((Other, false)));
        assert_eq!(
            entity_type("Individual Business"),
            Ok((IndividualBusiness, false))
        );
        assert!(entity_type("club").is_err());
    }

    #[test]
    fn countries() {
        for (s, c) in [
            ("CN", "CN"),
            ("hk", "HK"),
            ("中国香港", "HK"),
            ("香港", "HK"),
            ("Hong Kong", "HK"),
            ("中国澳门", "MO"),
            ("台湾", "TW"),
            ("中国台湾", "TW"),
            ("中国大陆", "CN"),
            ("大陆", "CN"),
            ("内地", "CN"),
            ("mainland China", "CN"),
            ("美国", "US"),
            ("USA", "US"),
            ("新加坡", "SG"),
            ("马来西亚", "MY"),
            ("英国", "GB"),
            ("UK", "GB"),
            ("日本", "JP"),
            ("德国", "DE"),
            ("澳大利亚", "AU"),
        ] {
            assert_eq!(country(s), Ok(code(c)), "{s}");
        }
        for s in ["中国", "China", "PRC", "china", "中华人民共和国"] {
            assert_eq!(country(s), Ok(Country::AmbiguousChina), "{s}");
        }
        assert!(country("Atlantis").is_err());
    }

    #[test]
    fn markets() {
        assert_eq!(market("CN").unwrap(), "CN");
        assert_eq!(market("global").unwrap(), "GLOBAL");
        assert_eq!(market("大陆").unwrap(), "CN");
        assert_eq!(market("中国大陆").unwrap(), "CN");
        assert_eq!(market("hk").unwrap(), "HK");
        assert_eq!(market("Hong Kong").unwrap(), "HK");
        assert_eq!(market("中国").unwrap(), "CN");
        assert!(market("everywhere-ish").is_err());
    }

    #[test]
    fn currencies() {
        assert_eq!(currency("CNY").unwrap(), "CNY");
        assert_eq!(currency("hkd").unwrap(), "HKD");
        assert_eq!(currency("人民币").unwrap(), "CNY");
        assert_eq!(currency("RMB").unwrap(), "CNY");
        assert_eq!(currency("港币").unwrap(), "HKD");
        assert_eq!(currency("令吉").unwrap(), "MYR");
        assert_eq!(currency("马币").unwrap(), "MYR");
        assert_eq!(currency("none").unwrap(), "NONE");
        assert_eq!(currency("无").unwrap(), "NONE");
        assert!(currency("dollars-ish").is_err());
    }

    #[test]
    fn dates() {
        let want = d(2024, 3, 31);
        for s in [
            "2024-03-31",
            "2024/3/31",
            "2024.3.31",
            "2024年3月31日",
            "2024-03-31T08:00:00Z",
            "2024-03-31 08:00",
            "20240331",
            "31/03/2024",
            "03/31/2024",
            "45382",
            "２０２４－０３－３１",
        ] {
            assert_eq!(date(s), Ok(want), "{s}");
        }
        assert!(date("2024-02-30").is_err());
        assert!(date("03/04/2024").is_err());
        assert!(date("soon").is_err());
        assert!(date("2024-03-31Tnoon").is_err());
    }

    #[test]
    fn lists() {
        let v: Vec<&str> = split_list("CN; HK,US、SG|MY；JP，GB").collect();
        assert_eq!(v, ["CN", "HK", "US", "SG", "MY", "JP", "GB"]);
        assert_eq!(split_list(" ; ").count(), 0);
    }

    #[test]
    fn features() {
        assert_eq!(feature("red_packets").unwrap(), "red_packets");
        assert_eq!(feature("Red Packets").unwrap(), "red_packets");
        assert_eq!(feature("red-packets").unwrap(), "red_packets");
        assert_eq!(feature("红包").unwrap(), "red_packets");
        assert_eq!(feature("微信支付").unwrap(), "payments");
        assert_eq!(feature("Mini Program").unwrap(), "mini_program");
        assert!(feature("神秘功能").is_err());
    }

    #[test]
    fn merchant_tracks_admins_statuses() {
        assert_eq!(merchant_track("境内"), Ok(MerchantTrack::Domestic));
        assert_eq!(merchant_track("跨境"), Ok(MerchantTrack::CrossBorder));
        assert_eq!(
            merchant_track("cross-border"),
            Ok(MerchantTrack::CrossBorder)
        );
        assert_eq!(
            merchant_track("Cross Border"),
            Ok(MerchantTrack::CrossBorder)
        );
        assert_eq!(merchant_track("香港"), Ok(MerchantTrack::Hk));
        assert_eq!(merchant_track("HK"), Ok(MerchantTrack::Hk));
        assert!(merchant_track("moon").is_err());

        assert_eq!(admin_status("在职"), Ok(AdminStatus::Employee));
        assert_eq!(admin_status("离职"), Ok(AdminStatus::Departed));
        assert_eq!(admin_status("代运营"), Ok(AdminStatus::Agency));
        assert_eq!(admin_status("公司"), Ok(AdminStatus::Company));
        assert_eq!(admin_status("未知"), Ok(AdminStatus::Unknown));
        assert_eq!(admin_status("Agency"), Ok(AdminStatus::Agency));
        assert!(admin_status("cat").is_err());

        assert_eq!(status("正常"), Ok(Status::Active));
        assert_eq!(status("停用"), Ok(Status::Dormant));
        assert_eq!(status("封禁"), Ok(Status::Suspended));
        assert_eq!(status("注销"), Ok(Status::Closed));
        assert_eq!(status("Active"), Ok(Status::Active));
        assert!(status("meh").is_err());
    }

    #[test]
    fn follower_counts() {
        assert_eq!(followers("12345"), Ok(12_345));
        assert_eq!(followers("12,345"), Ok(12_345));
        assert_eq!(followers("1.2万"), Ok(12_000));
        assert_eq!(followers("3亿"), Ok(300_000_000));
        assert_eq!(followers("1.5k"), Ok(1_500));
        assert_eq!(followers("2M"), Ok(2_000_000));
        assert_eq!(followers("10万+"), Ok(100_000));
        assert_eq!(followers("1.2w"), Ok(12_000));
        assert_eq!(followers("12345.0"), Ok(12_345));
        assert!(followers("12.5").is_err());
        assert!(followers("-3").is_err());
        assert!(followers("lots").is_err());
        assert!(followers("99999999999999999999亿").is_err());
    }

    #[test]
    fn credit_codes() {
        assert_eq!(credit_code("91310000ma1k4ac3xe"), "91310000MA1K4AC3XE");
        assert_eq!(credit_code("91310000MA1K4AC3XE"), "91310000MA1K4AC3XE");
    }
}
