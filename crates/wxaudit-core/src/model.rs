//! The plain data every part of wxaudit shares: accounts as imported and normalised, their
//! classification, findings, and the report that bundles them.
//!
//! This module holds no behaviour beyond naming and ordering: importing lives in `import`,
//! classification in `classify`, rules in `rules`, and rendering in `report`. Keeping the data
//! apart lets the headless CLI and the TUI be two views over exactly the same model. It depends on
//! nothing else in the crate (a test, `module_dependencies`, checks this): how a saved report's
//! finding is read back is `model::saved`, not `report`.
//!
//! Strings use [`CompactString`] (inline up to 24 bytes) because a million-account inventory holds
//! tens of millions of short values; a heap allocation per value would dominate memory.

use chrono::NaiveDate;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

pub(crate) mod saved;
mod suppression;
pub use suppression::{SuppressedFinding, SuppressionEntry};
mod classifications;
mod sym;
pub use classifications::{Classifications, ConflictLists};
pub use sym::Sym;

/// Short string type used for account values.
pub type Text = CompactString;

/// Which of the two platforms an account lives on (domain.md §1–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// Mainland-China platform (mp.weixin.qq.com, +86 phones, China wallet).
    Weixin,
    /// International platform (legacy admin.wechat.com, non-+86 phones, foreign wallet).
    Wechat,
    /// Not enough evidence to tell.
    Unknown,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Weixin, Platform::Wechat, Platform::Unknown];
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Weixin => "weixin",
            Platform::Wechat => "wechat",
            Platform::Unknown => "unknown",
        }
    }
    /// Human label: "Weixin", "WeChat", "unknown".
    pub fn label(self) -> &'static str {
        match self {
            Platform::Weixin => "Weixin",
            Platform::Wechat => "WeChat",
            Platform::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kind of account (inventory-format.md `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Subscription,
    Service,
    MiniProgram,
    Personal,
    Wecom,
    Channels,
}

impl AccountType {
    pub const ALL: [AccountType; 6] = [
        AccountType::Subscription,
        AccountType::Service,
        AccountType::MiniProgram,
        AccountType::Personal,
        AccountType::Wecom,
        AccountType::Channels,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Subscription => "subscription",
            AccountType::Service => "service",
            AccountType::MiniProgram => "mini_program",
            AccountType::Personal => "personal",
            AccountType::Wecom => "wecom",
            AccountType::Channels => "channels",
        }
    }
    /// Official accounts (subscription/service) are classified by their admin portal.
    pub fn is_official(self) -> bool {
        matches!(self, AccountType::Subscription | AccountType::Service)
    }
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    Enterprise,
    Individual,
    IndividualBusiness,
    Government,
    Media,
    Other,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Enterprise => "enterprise",
            EntityType::Individual => "individual",
            EntityType::IndividualBusiness => "individual_business",
            EntityType::Government => "government",
            EntityType::Media => "media",
            EntityType::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantTrack {
    Domestic,
    CrossBorder,
    Hk,
}

impl MerchantTrack {
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantTrack::Domestic => "domestic",
            MerchantTrack::CrossBorder => "cross_border",
            MerchantTrack::Hk => "hk",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminStatus {
    Company,
    Employee,
    Departed,
    Agency,
    Unknown,
}

impl AdminStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AdminStatus::Company => "company",
            AdminStatus::Employee => "employee",
            AdminStatus::Departed => "departed",
            AdminStatus::Agency => "agency",
            AdminStatus::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Dormant,
    Suspended,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Dormant => "dormant",
            Status::Suspended => "suspended",
            Status::Closed => "closed",
        }
    }
}

/// Entity country after normalisation. A bare "China"/"中国" is ambiguous (mainland vs HK/MO/TW).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Country {
    /// ISO 3166-1 alpha-2, upper case. `CN` means mainland China only.
    Code(Text),
    /// "China"/"中国" without saying which part.
    AmbiguousChina,
}

impl Country {
    pub fn code(&self) -> Option<&str> {
        match self {
            Country::Code(c) => Some(c.as_str()),
            Country::AmbiguousChina => None,
        }
    }
    pub fn display(&self) -> &str {
        match self {
            Country::Code(c) => c.as_str(),
            Country::AmbiguousChina => "China (ambiguous)",
        }
    }
}

/// A phone number split into its country calling code (digits only, e.g. "86", "852") and the rest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone {
    pub country_code: Option<Text>,
    pub number: Text,
}

/// Every canonical inventory column (inventory-format.md). The order here is the display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Id,
    Name,
    Type,
    Platform,
    Portal,
    Phone,
    EntityName,
    EntityType,
    EntityCountry,
    CreditCode,
    IcpFiling,
    WalletCurrency,
    Verified,
    VerificationExpiry,
    Payments,
    MerchantId,
    MerchantTrack,
    MerchantEntity,
    Admin,
    AdminStatus,
    Operators,
    Audience,
    Features,
    Brand,
    Status,
    Followers,
    LastActive,
    Notes,
    /// The searchable WeChat ID (微信号, alias): a second identifier.
    WechatId,
    /// The service agreement the account is under (Weixin or WeChat terms).
    Terms,
    Email,
}

impl Column {
    pub const ALL: [Column; 31] = [
        Column::Id,
        Column::Name,
        Column::Type,
        Column::Platform,
        Column::Portal,
        Column::Phone,
        Column::EntityName,
        Column::EntityType,
        Column::EntityCountry,
        Column::CreditCode,
        Column::IcpFiling,
        Column::WalletCurrency,
        Column::Verified,
        Column::VerificationExpiry,
        Column::Payments,
        Column::MerchantId,
        Column::MerchantTrack,
        Column::MerchantEntity,
        Column::Admin,
        Column::AdminStatus,
        Column::Operators,
        Column::Audience,
        Column::Features,
        Column::Brand,
        Column::Status,
        Column::Followers,
        Column::LastActive,
        Column::Notes,
        Column::WechatId,
        Column::Terms,
        Column::Email,
    ];

    /// Canonical snake_case name, as used in reports and the JSON schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Name => "name",
            Column::Type => "type",
            Column::Platform => "platform",
            Column::Portal => "portal",
            Column::Phone => "phone",
            Column::EntityName => "entity_name",
            Column::EntityType => "entity_type",
            Column::EntityCountry => "entity_country",
            Column::CreditCode => "credit_code",
            Column::IcpFiling => "icp_filing",
            Column::WalletCurrency => "wallet_currency",
            Column::Verified => "verified",
            Column::VerificationExpiry => "verification_expiry",
            Column::Payments => "payments",
            Column::MerchantId => "merchant_id",
            Column::MerchantTrack => "merchant_track",
            Column::MerchantEntity => "merchant_entity",
            Column::Admin => "admin",
            Column::AdminStatus => "admin_status",
            Column::Operators => "operators",
            Column::Audience => "audience",
            Column::Features => "features",
            Column::Brand => "brand",
            Column::Status => "status",
            Column::Followers => "followers",
            Column::LastActive => "last_active",
            Column::Notes => "notes",
            Column::WechatId => "wechat_id",
            Column::Terms => "terms",
            Column::Email => "email",
        }
    }

    pub fn from_canonical(s: &str) -> Option<Column> {
        Column::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    pub fn bit(self) -> u32 {
        1u32 << (self as u32)
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which canonical columns an inventory carries (a rule needing an absent column is "not evaluated").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnSet(pub u32);

impl ColumnSet {
    pub fn insert(&mut self, c: Column) {
        self.0 |= c.bit();
    }
    pub fn contains(self, c: Column) -> bool {
        self.0 & c.bit() != 0
    }
    pub fn iter(self) -> impl Iterator<Item = Column> {
        Column::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

/// One account, normalised. `None` / empty means the inventory had no (usable) value.
///
/// A value that could not be normalised is kept as written in `raw` and reported as a
/// [`RowError`]; the field stays `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Where the account came from: the 1-based line of the CSV record (or JSON Lines line), or the
    /// 1-based position in a JSON array.
    pub line: u64,
    pub id: Option<Text>,
    pub name: Option<Text>,
    pub account_type: Option<AccountType>,
    /// Platform as declared by the team (never trusted over stronger evidence).
    pub declared_platform: Option<Platform>,
    /// Admin portal host, lower-case, without scheme/path (e.g. `mp.weixin.qq.com`), or a
    /// pseudo-host `open-platform` for Open Platform exports.
    pub portal: Option<Text>,
    pub phone: Option<Phone>,
    pub entity_name: Option<Text>,
    pub entity_type: Option<EntityType>,
    /// True when the entity type said "overseas" (境外主体/海外主体).
    pub entity_overseas: bool,
    pub entity_country: Option<Country>,
    pub credit_code: Option<Text>,
    pub icp_filing: Option<Text>,
    /// ISO 4217 upper case, or "NONE".
    pub wallet_currency: Option<Text>,
    pub verified: Option<bool>,
    pub verification_expiry: Option<NaiveDate>,
    pub payments: Option<bool>,
    pub merchant_id: Option<Text>,
    pub merchant_track: Option<MerchantTrack>,
    pub merchant_entity: Option<Text>,
    pub admin: Option<Text>,
    pub admin_status: Option<AdminStatus>,
    pub operators: Vec<Text>,
    /// ISO codes upper case, or "GLOBAL".
    pub audience: Vec<Text>,
    /// Feature ids, lower snake_case (domain.md §5).
    pub features: Vec<Text>,
    pub brand: Option<Text>,
    pub status: Option<Status>,
    pub followers: Option<u64>,
    pub last_active: Option<NaiveDate>,
    pub notes: Option<Text>,
    /// The WeChat ID people search for (微信号 / alias), NFKC-folded.
    pub wechat_id: Option<Text>,
    /// The service agreement the account's admin sees (Me › Settings › About): decisive evidence.
    pub terms: Option<Platform>,
    /// Registration e-mail of an official account.
    pub email: Option<Text>,
    /// The text as written for every canonical field whose normalised form differs from it
    /// (or that failed to normalise). Shown in the TUI detail view as "as imported".
    pub raw: Vec<(Column, Text)>,
    /// Columns the importer did not recognise, kept as (header as written, value).
    pub extra: Vec<(Text, Text)>,
}

impl Account {
    /// Empties the account for the next row, keeping the room its lists have (an importer reuses
    /// one account per row instead of allocating them a million times).
    pub fn clear(&mut self) {
        // Field by field rather than `*self = default` around the lists: that moved the whole
        // account (about a kilobyte) twice per row.
        let Account {
            line,
            id,
            name,
            account_type,
            declared_platform,
            portal,
            phone,
            entity_name,
            entity_type,
            entity_overseas,
            entity_country,
            credit_code,
            icp_filing,
            wallet_currency,
            verified,
            verification_expiry,
            payments,
            merchant_id,
            merchant_track,
            merchant_entity,
            admin,
            admin_status,
            operators,
            audience,
            features,
            brand,
            status,
            followers,
            last_active,
            notes,
            wechat_id,
            terms,
            email,
            raw,
            extra,
        } = self;
        *line = 0;
        for t in [
            id,
            name,
            portal,
            entity_name,
            credit_code,
            icp_filing,
            wallet_currency,
            merchant_id,
            merchant_entity,
            admin,
            brand,
            notes,
            wechat_id,
            email,
        ] {
            *t = None;
        }
        *account_type = None;
        *declared_platform = None;
        *phone = None;
        *entity_type = None;
        *entity_overseas = false;
        *entity_country = None;
        *verified = None;
        *verification_expiry = None;
        *payments = None;
        *merchant_track = None;
        *admin_status = None;
        *status = None;
        *followers = None;
        *last_active = None;
        *terms = None;
        operators.clear();
        audience.clear();
        features.clear();
        raw.clear();
        extra.clear();
    }

    /// The identity shown to people: id, else name, else `line N`.
    pub fn label(&self) -> String {
        match (&self.id, &self.name) {
            (Some(id), _) => id.to_string(),
            (None, Some(n)) => n.to_string(),
            _ => format!("line {}", self.line),
        }
    }
    pub fn raw_value(&self, c: Column) -> Option<&str> {
        self.raw
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, v)| v.as_str())
    }
    pub fn has_feature(&self, f: &str) -> bool {
        self.features.iter().any(|x| x == f)
    }
    pub fn targets_market(&self, m: &str) -> bool {
        self.audience.iter().any(|x| x == m)
    }
}

/// How sure the classification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    None,
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::None => "none",
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// The kind of signal a piece of evidence comes from (domain.md §2, strongest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    AccountType,
    Portal,
    Phone,
    DeclaredPlatform,
    EntityCountry,
    CreditCode,
    IcpFiling,
    WalletCurrency,
    /// The service agreement the account is under (`terms`): decisive for personal accounts.
    Terms,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::AccountType => "account_type",
            Signal::Portal => "portal",
            Signal::Phone => "phone",
            Signal::DeclaredPlatform => "declared_platform",
            Signal::EntityCountry => "entity_country",
            Signal::CreditCode => "credit_code",
            Signal::IcpFiling => "icp_filing",
            Signal::WalletCurrency => "wallet_currency",
            Signal::Terms => "terms",
        }
    }
}

/// One signal used in classification: what it was, its value, and what it implied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub signal: Signal,
    pub value: Text,
    /// The platform this signal points to, if it points to one.
    pub implies: Option<Platform>,
    /// Plain-words explanation, e.g. "admin portal mp.weixin.qq.com is the Weixin platform".
    pub note: std::borrow::Cow<'static, str>,
}

/// Two signals that disagree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Conflict {
    pub signals: (Signal, Signal),
    pub message: String,
}

/// An account's platform verdict, kept for every account of a report.
///
/// The evidence behind it is not kept: a million accounts carry some five pieces each (≈300 MB).
/// [`crate::classify::explain`] recomputes it, identically, for the one account a person or a
/// report writer looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub platform: Platform,
    pub confidence: Confidence,
    /// Signals that disagree (rare; an empty list allocates nothing).
    pub conflicts: Vec<Conflict>,
}

/// A classification with every piece of evidence that led to it (see [`crate::classify::explain`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    #[serde(flatten)]
    pub classification: Classification,
    /// In the order the signals were read.
    pub evidence: Vec<Evidence>,
}

impl std::ops::Deref for Explanation {
    type Target = Classification;
    fn deref(&self) -> &Classification {
        &self.classification
    }
}

/// Finding severity, ordered `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Most severe first.
    pub const DESC: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
    /// Where the severity stands in [`Severity::DESC`] (0 for critical).
    pub fn desc_index(self) -> usize {
        Severity::Critical as usize - self as usize
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    /// One level less severe (e.g. the "expiring soon" form of an "expired" finding).
    pub fn one_lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Relation of a finding to the baseline audit it was compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    New,
    Unchanged,
}

impl BaselineState {
    /// The state as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        }
    }
}

/// One problem found by one rule, about one account or about the company/brand as a whole.
///
/// A million-account audit holds millions of these, so a finding is a small record: which rule,
/// how severe, which account (an index into `Report::accounts`) and market. The words of an
/// account-level finding of a live audit — message, evidence, advice — and its fingerprint are
/// made only when it is shown, written or compared (`Report::text`, `Report::fingerprint`), by
/// running its rule again for that one account. Company- and brand-level findings, and every
/// finding read back from a saved report, carry their words in [`Said`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "saved::RawFinding")]
pub struct Finding {
    pub rule_id: Sym,
    pub severity: Severity,
    /// Index into `Report::accounts` (None for company- or brand-level findings).
    pub account: Option<u32>,
    /// Market the finding is about, when it is about one (e.g. "CN").
    pub market: Option<Sym>,
    pub baseline_state: Option<BaselineState>,
    /// The finding's words, when they are not made on demand (see above).
    pub said: Option<Arc<Said>>,
}

/// The words of a finding that carries them: what a rule said about a brand or the company, or
/// what a saved report recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Said {
    /// For a finding read back from a saved report (no `account` index then): the account id and
    /// name that report recorded.
    pub recorded: Option<RecordedAccount>,
    pub brand: Option<Text>,
    /// What is wrong and why it matters, in a marketer's words.
    pub message: Box<str>,
    /// The facts that triggered the rule, e.g. "portal = admin.wechat.com".
    pub evidence: Vec<String>,
    /// What to do.
    pub advice: Arc<str>,
    /// Stable identity across audits: rule id + account identity + brand (+ market); never the row.
    pub fingerprint: Text,
}

/// A finding's words, borrowed where they are kept and made where they are not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingText<'a> {
    pub message: std::borrow::Cow<'a, str>,
    pub evidence: std::borrow::Cow<'a, [String]>,
    pub advice: &'a str,
}

impl<'a> FindingText<'a> {
    /// The evidence on one line, its facts joined with `; ` (how the CSV report, the TUI's
    /// Evidence column and its detail show it).
    pub fn evidence_line(&self) -> String {
        let mut out = String::new();
        self.push_evidence_line(&mut out);
        out
    }

    /// The message, the evidence on one line ([`FindingText::evidence_line`]) and the advice,
    /// for a writer that takes the words apart: a single fact (the usual case) is handed on as it
    /// is, without copying it into a line of its own.
    pub fn into_line_parts(
        self,
    ) -> (
        std::borrow::Cow<'a, str>,
        std::borrow::Cow<'a, str>,
        &'a str,
    ) {
        use std::borrow::Cow;
        let line = match self.evidence {
            Cow::Borrowed([one]) => Cow::Borrowed(one.as_str()),
            Cow::Owned(mut v) if v.len() == 1 => Cow::Owned(v.pop().unwrap_or_default()),
            _ => Cow::Owned(self.evidence_line()),
        };
        (self.message, line, self.advice)
    }

    /// [`FindingText::evidence_line`] appended to `out` (no copy of its own).
    pub fn push_evidence_line(&self, out: &mut String) {
        for (k, e) in self.evidence.iter().enumerate() {
            if k > 0 {
                out.push_str("; ");
            }
            out.push_str(e);
        }
    }
}

/// The account a saved report named for one of its findings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordedAccount {
    pub id: Option<Text>,
    pub name: Option<Text>,
}

impl Finding {
    /// The words the finding carries (see [`Said`]); None for a finding worded on demand.
    pub fn said_text(&self) -> Option<FindingText<'_>> {
        let s = self.said.as_ref()?;
        Some(FindingText {
            message: std::borrow::Cow::Borrowed(&s.message),
            evidence: std::borrow::Cow::Borrowed(&s.evidence),
            advice: &s.advice,
        })
    }

    /// The fingerprint the finding carries ("" for one worded on demand: ask the report).
    pub fn said_fingerprint(&self) -> &str {
        self.said.as_ref().map_or("", |s| s.fingerprint.as_str())
    }

    /// The message the finding carries ("" for one worded on demand: ask the report).
    pub fn said_message(&self) -> &str {
        self.said.as_ref().map_or("", |s| &*s.message)
    }

    /// The advice the finding carries ("" for one worded on demand: ask the report).
    pub fn said_advice(&self) -> &str {
        self.said.as_ref().map_or("", |s| &*s.advice)
    }

    /// The account a saved report recorded for this finding.
    pub fn recorded(&self) -> Option<&RecordedAccount> {
        self.said.as_ref()?.recorded.as_ref()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotEvaluated {
    pub rule_id: Text,
    pub missing_columns: Vec<Column>,
    /// Why, when it is not (only) missing columns, e.g. "the company profile lists no legal
    /// entities" for OWN-002.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A problem with one row or value of the input; the rest of the row/file is still used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line (CSV, JSON Lines) or record position (JSON array).
    pub line: u64,
    /// Canonical column when known, else the header as written; None for whole-row problems.
    pub column: Option<String>,
    pub value: Option<String>,
    /// What was expected / what went wrong, in plain words.
    pub message: String,
    /// True when the whole row was skipped (e.g. no id and no name).
    pub skipped: bool,
}

/// How the company profile was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileSource {
    CommandLine,
    ProfileFile,
    Inventory,
    /// No profile given: targets are the union of the accounts' audiences.
    Inferred,
}

/// What the company wants to reach and who it is (inventory-format.md "The company profile").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub legal_entities: Vec<String>,
    /// ISO codes upper case ("CN" = mainland China).
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub planned_features: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn the_evidence_taken_apart_is_the_evidence_line() {
        let facts = |n: usize| -> Vec<String> { (0..n).map(|k| format!("fact {k}")).collect() };
        for n in 0..4 {
            for evidence in [Cow::Owned(facts(n)), Cow::Borrowed(&facts(n)[..])] {
                let text = FindingText {
                    message: Cow::Borrowed("m"),
                    evidence: evidence.clone(),
                    advice: "a",
                };
                let line = text.evidence_line();
                let (message, got, advice) = text.into_line_parts();
                assert_eq!((&*message, &*got, advice), ("m", line.as_str(), "a"));
            }
        }
    }
}
