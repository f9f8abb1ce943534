//! The machine-readable JSON report (`schema/report.schema.json`) and its reader.
//!
//! Why hand-streamed: a million-account report is several hundred megabytes; building one
//! `serde_json::Value` for it would double peak memory. The writer emits the top-level object key
//! by key and the `accounts` array one account per line, each serialised straight into the
//! (buffered) output. One element per line also keeps saved reports readable and diffable.
//!
//! Conventions (also stated in the schema): every account carries `id` and `name` (null when the
//! inventory had none), `platform`, `confidence`, `evidence` and `conflicts`; every other
//! canonical field is present only when the inventory had a usable value, under its canonical
//! column name (`type`, `followers` as a number, dates ISO `YYYY-MM-DD`, lists as arrays). The
//! declared platform column is `declared_platform` because `platform` is the classified one.
//! Values as written that differ from their normalised form are under `raw`; unknown columns
//! under `extra`.
//!
//! The reader ([`read`]) parses a saved report back for baselines and diffs, ignoring fields it
//! does not know so that newer reports stay readable.

use super::{finding_platform, json_text, Overview};
use crate::accounts::Accounts;
use crate::audit::{Fingerprinter, Report};
use crate::model::saved::RawFinding;
use crate::model::{
    Confidence, Finding, NotEvaluated, Platform, SuppressedFinding, SuppressionEntry,
};
use crate::safe_text::json_escape_in_place;
use chrono::NaiveDate;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Version of the report layout; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

fn value<T: Serialize + ?Sized>(w: &mut dyn Write, v: &T) -> io::Result<()> {
    let mut buf = Vec::new();
    serde_json::to_writer(&mut buf, v).map_err(io::Error::from)?;
    json_escape_in_place(&mut buf, 0);
    w.write_all(&buf)
}

fn key(w: &mut dyn Write, k: &str, first: bool) -> io::Result<()> {
    if !first {
        w.write_all(b",\n")?;
    }
    write!(w, "  \"{k}\": ")
}

fn array<I, T>(w: &mut dyn Write, k: &str, items: I) -> io::Result<()>
where
    I: IntoIterator<Item = T>,
    T: Serialize,
{
    key(w, k, false)?;
    // Each element is serialised into a reused buffer (static dispatch, no per-token virtual
    // call) and handed to the writer in one piece: several times faster for million-row arrays.
    let mut buf = Vec::with_capacity(4096);
    let mut empty = true;
    for item in items {
        buf.clear();
        buf.extend_from_slice(if empty { b"[\n    " } else { b",\n    " });
        serde_json::to_writer(&mut buf, &item).map_err(io::Error::from)?;
        json_escape_in_place(&mut buf, 0);
        w.write_all(&buf)?;
        empty = false;
    }
    w.write_all(if empty { b"[]" } else { b"\n  ]" })
}

/// [`array`] for the million-element arrays (findings, accounts): elements are serialised on all
/// cores in order-preserving chunks, a few chunks in memory at a time. `ser` gets each element's
/// index too.
fn array_par<T, F>(w: &mut dyn Write, k: &str, items: &[T], ser: F) -> io::Result<()>
where
    T: Sync,
    F: Fn(usize, &T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
{
    array_par_n(w, k, items.len(), |i, buf| ser(i, &items[i], buf))
}

/// [`array_par`] for `len` elements addressed by index.
fn array_par_n<F>(w: &mut dyn Write, k: &str, len: usize, ser: F) -> io::Result<()>
where
    F: Fn(usize, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
{
    const CHUNK: usize = 4096;
    key(w, k, false)?;
    if len == 0 {
        return w.write_all(b"[]");
    }
    w.write_all(b"[\n    ")?;
    super::in_order::render_ranges_in_order(
        len,
        CHUNK,
        |range, mut buf| {
            buf.reserve(range.len() * 512);
            for i in range {
                if i > 0 {
                    buf.extend_from_slice(b",\n    ");
                }
                ser(i, &mut buf)?;
            }
            json_escape_in_place(&mut buf, 0);
            Ok(buf)
        },
        |b| w.write_all(b),
    )?;
    w.write_all(b"\n  ]")
}

/// A finding as written in the report: the finding's fields plus its account's platform.
/// (Written by hand rather than with `#[serde(flatten)]`, which is markedly slower.)
pub(crate) struct FindingOut<'a> {
    finding: &'a Finding,
    /// The report the finding is from (None for findings read back from a saved report).
    report: Option<&'a Report>,
    /// The report's fingerprints, when many of its findings are written.
    fingerprints: Option<&'a Fingerprinter<'a>>,
    platform: Option<Platform>,
}

impl<'a> FindingOut<'a> {
    pub(crate) fn new(
        finding: &'a Finding,
        report: Option<&'a Report>,
        platform: Option<Platform>,
    ) -> FindingOut<'a> {
        FindingOut {
            finding,
            report,
            fingerprints: None,
            platform,
        }
    }

    /// The finding's words, its fingerprint and the accounts it points into.
    fn parts(
        &self,
    ) -> (
        crate::model::FindingText<'a>,
        crate::model::Text,
        &'a Accounts,
    ) {
        let f = self.finding;
        let accounts = self.report.map_or(Accounts::empty(), |r| &r.accounts);
        let (text, fingerprint) = match self.report {
            Some(r) => (
                r.text(f),
                self.fingerprints
                    .map_or_else(|| r.fingerprint(f), |fp| fp.of(f)),
            ),
            None => (
                f.said_text().unwrap_or(crate::model::FindingText {
                    message: "".into(),
                    evidence: Vec::new().into(),
                    advice: "",
                }),
                f.said_fingerprint().into(),
            ),
        };
        (text, fingerprint, accounts)
    }

    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let f = self.finding;
        let (text, fingerprint, accounts) = self.parts();
        m.serialize_entry("rule_id", &f.rule_id)?;
        m.serialize_entry("severity", &f.severity)?;
        m.serialize_entry("account_id", &f.account_id(accounts))?;
        m.serialize_entry("account_name", &f.account_name(accounts))?;
        m.serialize_entry("brand", &f.brand(accounts))?;
        m.serialize_entry("market", &f.market)?;
        m.serialize_entry("message", &text.message)?;
        m.serialize_entry("evidence", &text.evidence)?;
        m.serialize_entry("advice", text.advice)?;
        m.serialize_entry("fingerprint", &fingerprint)?;
        if let Some(b) = &f.baseline_state {
            m.serialize_entry("baseline_state", b)?;
        }
        m.serialize_entry("platform", &self.platform)
    }

    /// The finding as `serde_json::to_writer` writes it, written by hand ([`json_text`]): the
    /// same bytes (a test holds the two to each other) at a fraction of the cost, for the
    /// millions of findings of a large report.
    fn write_json(&self, out: &mut Vec<u8>) {
        let f = self.finding;
        let (text, fingerprint, accounts) = self.parts();
        let field = |out: &mut Vec<u8>, key: &str, first: bool| {
            if !first {
                out.push(b',');
            }
            json_text::put_key(out, key);
        };
        out.push(b'{');
        field(out, "rule_id", true);
        json_text::put_str(out, f.rule_id.as_str());
        field(out, "severity", false);
        json_text::put_str(out, f.severity.as_str());
        field(out, "account_id", false);
        json_text::put_opt_str(out, f.account_id(accounts));
        field(out, "account_name", false);
        json_text::put_opt_str(out, f.account_name(accounts));
        field(out, "brand", false);
        json_text::put_opt_str(out, f.brand(accounts));
        field(out, "market", false);
        json_text::put_opt_str(out, f.market.as_ref().map(|m| m.as_str()));
        field(out, "message", false);
        json_text::put_str(out, &text.message);
        field(out, "evidence", false);
        out.push(b'[');
        for (k, e) in text.evidence.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            json_text::put_str(out, e);
        }
        out.push(b']');
        field(out, "advice", false);
        json_text::put_str(out, text.advice);
        field(out, "fingerprint", false);
        json_text::put_str(out, &fingerprint);
        if let Some(b) = f.baseline_state {
            field(out, "baseline_state", false);
            json_text::put_str(out, b.as_str());
        }
        field(out, "platform", false);
        json_text::put_opt_str(out, self.platform.map(|p| p.as_str()));
        out.push(b'}');
    }
}

impl Serialize for FindingOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.entries(&mut m)?;
        m.end()
    }
}

struct SuppressedOut<'a> {
    finding: FindingOut<'a>,
    reason: &'a str,
    owner: Option<&'a str>,
    expires: Option<NaiveDate>,
}

impl Serialize for SuppressedOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.finding.entries(&mut m)?;
        m.serialize_entry("reason", self.reason)?;
        m.serialize_entry("owner", &self.owner)?;
        m.serialize_entry("expires", &self.expires)?;
        m.end()
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct SummaryOut {
    accounts: u64,
    platforms: PlatformCounts,
    severities: SeverityCounts,
    findings: u64,
    suppressed: u64,
    row_errors: u64,
    not_evaluated: u64,
    expired_suppressions: u64,
    stale_suppressions: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unchanged: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<u64>,
}

#[derive(Serialize)]
struct PlatformCounts {
    weixin: u64,
    wechat: u64,
    unknown: u64,
}

#[derive(Serialize)]
struct SeverityCounts {
    critical: u64,
    high: u64,
    medium: u64,
    low: u64,
    info: u64,
}

fn summary_out(report: &Report) -> SummaryOut {
    let o = Overview::of(report);
    let with_baseline = report.baseline.is_some();
    SummaryOut {
        accounts: o.summary.accounts,
        platforms: PlatformCounts {
            weixin: o.summary.weixin,
            wechat: o.summary.wechat,
            unknown: o.summary.unknown,
        },
        severities: SeverityCounts {
            critical: o.summary.critical,
            high: o.summary.high,
            medium: o.summary.medium,
            low: o.summary.low,
            info: o.summary.info,
        },
        findings: o.findings,
        suppressed: o.summary.suppressed,
        row_errors: o.summary.row_errors,
        not_evaluated: o.not_evaluated,
        expired_suppressions: o.expired_suppressions,
        stale_suppressions: o.stale_suppressions,
        new: with_baseline.then_some(o.new),
        unchanged: with_baseline.then_some(o.unchanged),
        resolved: with_baseline.then_some(o.resolved),
    }
}

/// One account with its classification, serialised field by field (absent fields omitted).
struct AccountOut<'a> {
    a: crate::accounts::AccountRef<'a>,
    /// The account's platform and confidence (None: not classified).
    verdict: Option<(Platform, Confidence)>,
    conflicts: &'a [crate::model::Conflict],
    /// The knowledge the audit classified with (to rebuild the same evidence).
    k: &'a crate::knowledge::Knowledge,
}

/// The account through serde, field by field: the reference [`AccountOut::write_json`] is
/// held to (a test compares the two on every sample inventory); the report itself is written
/// by the hand-made writer.
#[cfg(test)]
impl Serialize for AccountOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.a;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &a.id())?;
        m.serialize_entry("name", &a.name())?;
        m.serialize_entry("platform", &self.verdict.map_or(Platform::Unknown, |v| v.0))?;
        m.serialize_entry(
            "confidence",
            &self.verdict.map_or(Confidence::None, |v| v.1),
        )?;
        m.serialize_entry("line", &a.line())?;
        macro_rules! opt {
            ($k:literal, $v:expr) => {
                if let Some(v) = &$v {
                    m.serialize_entry($k, v)?;
                }
            };
        }
        macro_rules! list {
            ($k:literal, $v:expr) => {
                if !$v.is_empty() {
                    m.serialize_entry($k, &$v)?;
                }
            };
        }
        opt!("type", a.account_type());
        opt!("declared_platform", a.declared_platform());
        opt!("portal", a.portal());
        if let Some(p) = &a.phone() {
            let text = match &p.country_code {
                Some(cc) => format!("+{cc} {}", p.number),
                None => p.number.to_string(),
            };
            m.serialize_entry("phone", &text)?;
        }
        opt!("entity_name", a.entity_name());
        opt!("entity_type", a.entity_type());
        if a.entity_overseas() {
            m.serialize_entry("entity_overseas", &true)?;
        }
        // An ambiguous "China" has no ISO code; the text as written is under `raw`.
        opt!("entity_country", a.entity_country().and_then(|c| c.code()));
        opt!("credit_code", a.credit_code());
        opt!("icp_filing", a.icp_filing());
        opt!("wallet_currency", a.wallet_currency());
        opt!("verified", a.verified());
        opt!("verification_expiry", a.verification_expiry());
        opt!("payments", a.payments());
        opt!("merchant_id", a.merchant_id());
        opt!("merchant_track", a.merchant_track());
        opt!("merchant_entity", a.merchant_entity());
        opt!("admin", a.admin());
        opt!("admin_status", a.admin_status());
        list!("operators", a.operators());
        list!("audience", a.audience());
        list!("features", a.features());
        opt!("brand", a.brand());
        opt!("status", a.status());
        opt!("followers", a.followers());
        opt!("last_active", a.last_active());
        opt!("notes", a.notes());
        opt!("wechat_id", a.wechat_id());
        opt!("terms", a.terms());
        opt!("email", a.email());
        if !a.raw().is_empty() {
            m.serialize_entry("raw", &Pairs(|| a.raw().iter()))?;
        }
        if !a.extra().is_empty() {
            m.serialize_entry("extra", &Pairs(|| a.extra().iter()))?;
        }
        // Rebuilt here rather than kept for every account (see `classify::explain`).
        let evidence = match self.verdict {
            Some(_) => crate::classify::explain(a, self.k).evidence,
            None => Vec::new(),
        };
        m.serialize_entry("evidence", &evidence)?;
        m.serialize_entry("conflicts", self.conflicts)?;
        m.end()
    }
}

impl AccountOut<'_> {
    /// The account as its `Serialize` writes it, written by hand ([`json_text`]): the same bytes
    /// (a test holds the two to each other), for the million accounts of a large report. Values
    /// of the report's own closed sets (types, statuses, signals) still go through serde.
    fn write_json(&self, out: &mut Vec<u8>) {
        use json_text::{put_key, put_opt_str, put_str};
        let a = &self.a;
        // Serialising a closed-set value, a number or a date into a Vec cannot fail.
        fn put_serde<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
            serde_json::to_writer(&mut *out, v).expect("a value serialises into memory");
        }
        fn field(out: &mut Vec<u8>, key: &str) {
            out.push(b',');
            put_key(out, key);
        }
        fn list(out: &mut Vec<u8>, key: &str, items: &[crate::model::Text]) {
            if items.is_empty() {
                return;
            }
            field(out, key);
            out.push(b'[');
            for (k, t) in items.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                put_str(out, t);
            }
            out.push(b']');
        }
        macro_rules! text {
            ($k:literal, $v:expr) => {
                if let Some(v) = $v {
                    field(out, $k);
                    put_str(out, v);
                }
            };
        }
        macro_rules! value {
            ($k:literal, $v:expr) => {
                if let Some(v) = &$v {
                    field(out, $k);
                    put_serde(out, v);
                }
            };
        }
        out.push(b'{');
        put_key(out, "id");
        put_opt_str(out, a.id());
        field(out, "name");
        put_opt_str(out, a.name());
        field(out, "platform");
        put_serde(out, &self.verdict.map_or(Platform::Unknown, |v| v.0));
        field(out, "confidence");
        put_serde(out, &self.verdict.map_or(Confidence::None, |v| v.1));
        field(out, "line");
        put_serde(out, &a.line());
        value!("type", a.account_type());
        value!("declared_platform", a.declared_platform());
        text!("portal", a.portal());
        if let Some(p) = &a.phone() {
            field(out, "phone");
            match &p.country_code {
                Some(cc) => put_str(out, &format!("+{cc} {}", p.number)),
                None => put_str(out, p.number),
            }
        }
        text!("entity_name", a.entity_name());
        value!("entity_type", a.entity_type());
        if a.entity_overseas() {
            field(out, "entity_overseas");
            out.extend_from_slice(b"true");
        }
        text!("entity_country", a.entity_country().and_then(|c| c.code()));
        text!("credit_code", a.credit_code());
        text!("icp_filing", a.icp_filing());
        text!("wallet_currency", a.wallet_currency());
        value!("verified", a.verified());
        value!("verification_expiry", a.verification_expiry());
        value!("payments", a.payments());
        text!("merchant_id", a.merchant_id());
        value!("merchant_track", a.merchant_track());
        text!("merchant_entity", a.merchant_entity());
        text!("admin", a.admin());
        value!("admin_status", a.admin_status());
        list(out, "operators", a.operators());
        list(out, "audience", a.audience());
        list(out, "features", a.features());
        text!("brand", a.brand());
        value!("status", a.status());
        value!("followers", a.followers());
        value!("last_active", a.last_active());
        text!("notes", a.notes());
        text!("wechat_id", a.wechat_id());
        value!("terms", a.terms());
        text!("email", a.email());
        if !a.raw().is_empty() {
            field(out, "raw");
            out.push(b'{');
            for (k, (col, v)) in a.raw().iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                put_serde(out, &col);
                out.push(b':');
                put_str(out, v);
            }
            out.push(b'}');
        }
        if !a.extra().is_empty() {
            field(out, "extra");
            out.push(b'{');
            for (k, (h, v)) in a.extra().iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                put_str(out, h);
                out.push(b':');
                put_str(out, v);
            }
            out.push(b'}');
        }
        field(out, "evidence");
        out.push(b'[');
        if self.verdict.is_some() {
            for (k, e) in crate::classify::explain(a, self.k)
                .evidence
                .iter()
                .enumerate()
            {
                if k > 0 {
                    out.push(b',');
                }
                out.push(b'{');
                put_key(out, "signal");
                put_serde(out, &e.signal);
                field(out, "value");
                put_str(out, &e.value);
                field(out, "implies");
                put_serde(out, &e.implies);
                field(out, "note");
                put_str(out, &e.note);
                out.push(b'}');
            }
        }
        out.push(b']');
        field(out, "conflicts");
        put_serde(out, self.conflicts);
        out.push(b'}');
    }
}

/// (key, value) pairs written as a JSON object; the function lists them (for the reference
/// `Serialize` of [`AccountOut`]).
#[cfg(test)]
struct Pairs<F>(F);

#[cfg(test)]
impl<K: Serialize, V: Serialize, I: Iterator<Item = (K, V)>, F: Fn() -> I> Serialize for Pairs<F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (k, v) in (self.0)() {
            m.serialize_entry(&k, &v)?;
        }
        m.end()
    }
}

/// Account `i` of `report` as the report writes it.
fn account_out(report: &Report, i: usize) -> AccountOut<'_> {
    AccountOut {
        a: report.accounts.at(i),
        // Borrowed: a classification built for each account would copy its conflicts.
        verdict: report
            .classifications
            .platform(i)
            .zip(report.classifications.confidence(i)),
        conflicts: report.classifications.conflicts(i),
        k: report.rules.knowledge(),
    }
}

/// Writes the JSON report. `out` should be buffered (the atomic writer and the CLI's stdout are).
///
/// Values stay as the inventory wrote them; the characters JSON leaves raw that act on a
/// terminal or reorder a line are written as escapes ([`crate::safe_text::JsonOut`]; the
/// million-element arrays escape each chunk where it is rendered, on all cores).
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let w = out;
    w.write_all(b"{\n")?;
    key(w, "schema_version", true)?;
    value(w, &SCHEMA_VERSION)?;
    key(w, "tool", false)?;
    value(
        w,
        &Tool {
            // The tool, not this crate (whose package name is wxaudit-core).
            name: "wxaudit",
            version: env!("CARGO_PKG_VERSION"),
        },
    )?;
    key(w, "input", false)?;
    value(w, &report.input)?;
    key(w, "as_of", false)?;
    value(w, &report.as_of)?;
    key(w, "profile", false)?;
    value(w, &report.profile)?;
    key(w, "profile_source", false)?;
    value(w, &report.profile_source)?;
    key(w, "baseline", false)?;
    value(w, &report.baseline)?;
    key(w, "summary", false)?;
    value(w, &summary_out(report))?;
    let fingerprints = Fingerprinter::new(&report.accounts);
    array_par(w, "findings", &report.findings, |i, f, buf| {
        report.prefetch_ahead(&report.findings, i);
        FindingOut {
            finding: f,
            report: Some(report),
            fingerprints: Some(&fingerprints),
            platform: finding_platform(report, f),
        }
        .write_json(buf);
        Ok(())
    })?;
    array(w, "not_evaluated", &report.not_evaluated)?;
    array(
        w,
        "suppressed",
        report.suppressed.iter().map(|s| SuppressedOut {
            finding: FindingOut {
                finding: &s.finding,
                report: Some(report),
                fingerprints: Some(&fingerprints),
                platform: finding_platform(report, &s.finding),
            },
            reason: &s.reason,
            owner: s.owner.as_deref(),
            expires: s.expires,
        }),
    )?;
    array(w, "expired_suppressions", &report.expired_suppressions)?;
    array(w, "stale_suppressions", &report.stale_suppressions)?;
    array(
        w,
        "resolved",
        report.resolved.iter().map(|f| FindingOut {
            finding: f,
            report: None,
            fingerprints: None,
            platform: None,
        }),
    )?;
    array(w, "row_errors", &report.row_errors)?;
    array_par_n(w, "accounts", report.accounts.len(), |i, buf| {
        account_out(report, i).write_json(buf);
        Ok(())
    })?;
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// An account as read back from a saved report (only what baselines and diffs need).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedAccount {
    pub id: Option<String>,
    pub name: Option<String>,
    pub platform: Option<Platform>,
    pub confidence: Option<Confidence>,
    pub brand: Option<String>,
}

/// Input facts as read back (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SavedInput {
    pub path: String,
    pub sha256: String,
    pub rows: u64,
}

/// A finding as read back: the finding plus the platform the report recorded for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "RawFinding")]
pub struct SavedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    #[serde(default)]
    pub platform: Option<Platform>,
}

impl From<RawFinding> for SavedFinding {
    fn from(r: RawFinding) -> SavedFinding {
        let (finding, platform) = r.into_finding_and_platform();
        SavedFinding { finding, platform }
    }
}

/// A saved JSON report, parsed back. Unknown fields are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedReport {
    pub schema_version: u32,
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    #[serde(default)]
    pub input: SavedInput,
    #[serde(default)]
    pub accounts: Vec<SavedAccount>,
    pub findings: Vec<SavedFinding>,
    #[serde(default)]
    pub suppressed: Vec<SuppressedFinding>,
    #[serde(default)]
    pub not_evaluated: Vec<NotEvaluated>,
    #[serde(default)]
    pub expired_suppressions: Vec<SuppressionEntry>,
    #[serde(default)]
    pub stale_suppressions: Vec<SuppressionEntry>,
}

/// A saved report that could not be read; the message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: cannot read the report: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: not a wxaudit JSON report ({message}); use a file written by `wxaudit audit --format json`")]
    Invalid { path: PathBuf, message: String },
}

/// Reads a saved JSON report.
pub fn read(path: &Path) -> Result<SavedReport, ReadError> {
    let file = std::fs::File::open(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(path, io::BufReader::with_capacity(1 << 20, file))
}

/// [`read`] from bytes in memory; `path` names them in messages (the fuzz targets use this).
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<SavedReport, ReadError> {
    read_from(path, bytes)
}

fn read_from(path: &Path, reader: impl io::Read) -> Result<SavedReport, ReadError> {
    let r: SavedReport = serde_json::from_reader(reader).map_err(|e| ReadError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if r.schema_version > SCHEMA_VERSION {
        return Err(ReadError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "schema_version {} is newer than this wxaudit understands ({SCHEMA_VERSION})",
                r.schema_version
            ),
        });
    }
    Ok(r)
}

/// What [`read_findings`] learns about a saved report besides its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedHeader {
    pub schema_version: u32,
    pub as_of: Option<NaiveDate>,
}

/// Streams the findings of a saved report (the open ones, then or before the suppressed ones,
/// in file order) through `each`, without holding the rest of the report in memory: a baseline
/// with millions of findings costs only what the caller keeps.
pub fn read_findings(
    path: &Path,
    each: &mut dyn FnMut(SavedFinding),
) -> Result<SavedHeader, ReadError> {
    read_streaming(path, each, None)
}

/// [`read_findings`], also reading the report's accounts into `accounts` when given.
pub fn read_streaming(
    path: &Path,
    each: &mut dyn FnMut(SavedFinding),
    accounts: Option<&mut Vec<SavedAccount>>,
) -> Result<SavedHeader, ReadError> {
    let file = std::fs::File::open(path).map_err(|source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_streaming_from(
        path,
        io::BufReader::with_capacity(1 << 20, file),
        each,
        accounts,
    )
}

/// [`read_streaming`] from any reader (bytes in memory: `&[u8]`); `path` names it in messages.
pub fn read_streaming_from(
    path: &Path,
    reader: impl io::Read,
    each: &mut dyn FnMut(SavedFinding),
    accounts: Option<&mut Vec<SavedAccount>>,
) -> Result<SavedHeader, ReadError> {
    use serde::de::DeserializeSeed;
    let invalid = |message: String| ReadError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let (version, as_of) = stream::Top { each, accounts }
        .deserialize(&mut de)
        .map_err(|e| invalid(e.to_string()))?;
    de.end().map_err(|e| invalid(e.to_string()))?;
    let schema_version = version.ok_or_else(|| invalid("no schema_version".into()))?;
    if schema_version > SCHEMA_VERSION {
        return Err(invalid(format!(
            "schema_version {schema_version} is newer than this wxaudit understands ({SCHEMA_VERSION})"
        )));
    }
    Ok(SavedHeader {
        schema_version,
        as_of,
    })
}

/// serde seeds for [`read_findings`].
mod stream {
    use super::{SavedAccount, SavedFinding};
    use chrono::NaiveDate;
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    pub struct Top<'a> {
        pub each: &'a mut dyn FnMut(SavedFinding),
        /// Where to read the accounts into; skipped when None.
        pub accounts: Option<&'a mut Vec<SavedAccount>>,
    }

    impl<'de> DeserializeSeed<'de> for Top<'_> {
        type Value = (Option<u32>, Option<NaiveDate>);
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Top<'_> {
        type Value = (Option<u32>, Option<NaiveDate>);
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a wxaudit JSON report (an object)")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let each = self.each;
            let mut accounts = self.accounts;
            let (mut version, mut as_of) = (None, None);
            while let Some(k) = map.next_key::<String>()? {
                match k.as_str() {
                    "schema_version" => version = Some(map.next_value::<u32>()?),
                    "as_of" => as_of = map.next_value::<Option<NaiveDate>>()?,
                    "findings" | "suppressed" => {
                        map.next_value_seed(Findings { each: &mut *each })?
                    }
                    "accounts" => match accounts.as_deref_mut() {
                        Some(list) => *list = map.next_value()?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    },
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok((version, as_of))
        }
    }

    struct Findings<'a> {
        each: &'a mut dyn FnMut(SavedFinding),
    }

    impl<'de> DeserializeSeed<'de> for Findings<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Findings<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of findings")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(f) = seq.next_element::<SavedFinding>()? {
                (self.each)(f);
            }
            Ok(())
        }
    }
}

/// Severity order helper for readers of saved findings.
pub fn by_severity_desc(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.rule_id.cmp(&b.rule_id))
        .then_with(|| a.said_fingerprint().cmp(b.said_fingerprint()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_arrays_match_the_sequential_writer_across_chunks_and_windows() {
        let items: Vec<u32> = (0..40_000).collect();
        for n in [0usize, 1, 4096, 4097, 40_000] {
            let mut seq = Vec::new();
            array(&mut seq, "x", &items[..n]).unwrap();
            let mut par = Vec::new();
            array_par(&mut par, "x", &items[..n], |i, v, buf| {
                assert_eq!(i as u32, *v, "index handed to the serialiser");
                serde_json::to_writer(buf, v)
            })
            .unwrap();
            assert_eq!(
                String::from_utf8(par).unwrap(),
                String::from_utf8(seq).unwrap()
            );
        }
    }
    use crate::report::testutil::sample_report;
    use serde_json::Value;

    #[test]
    fn an_account_written_by_hand_is_what_serde_json_writes() {
        // Every inventory of the sample data (every form, raw values, extra columns, conflicts,
        // dates, lists) and the hand-built report (a formula-like name, an ambiguous country).
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-data");
        let mut reports = vec![sample_report()];
        for name in [
            "acme-accounts.csv",
            "acme-accounts.json",
            "acme-accounts-excel-gb18030.csv",
            "acme-marketing.xlsx",
            "clean-accounts.csv",
            "openplatform-export.json",
        ] {
            let opts = crate::pipeline::PipelineOptions {
                input: dir.join(name),
                as_of: NaiveDate::from_ymd_opt(2026, 12, 1),
                ..Default::default()
            };
            reports.push(crate::pipeline::run(&opts, &|_, _, _| {}).unwrap());
        }
        let mut seen = 0;
        for r in &reports {
            for i in 0..r.accounts.len() {
                let out = account_out(r, i);
                let mut ours = Vec::new();
                out.write_json(&mut ours);
                let theirs = serde_json::to_vec(&out).unwrap();
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(theirs).unwrap()
                );
                seen += 1;
            }
        }
        assert!(seen > 50, "{seen} accounts compared");
    }

    #[test]
    fn a_finding_written_by_hand_is_what_serde_json_writes() {
        use crate::model::{BaselineState, Severity, Sym};
        let mut r = sample_report();
        // Every shape a finding takes: its own words or its rule's, with and without an
        // account, a market, a baseline state, a platform; text with quotes, backslashes,
        // controls, several evidence lines.
        let mut all = Vec::new();
        for (k, f) in r.findings.iter().enumerate() {
            for said in [true, false] {
                for state in [
                    None,
                    Some(BaselineState::New),
                    Some(BaselineState::Unchanged),
                ] {
                    let mut g = f.clone();
                    if !said {
                        g.said = None;
                    }
                    g.baseline_state = state;
                    g.market = (k % 2 == 0).then(|| Sym::new("CN"));
                    g.severity = Severity::DESC[k % Severity::DESC.len()];
                    all.push(g);
                }
            }
        }
        let mut hostile = crate::report::testutil::finding(
            "DATA-003",
            Severity::Low,
            Some("gh_\"q\"\\1"),
            Some("tab\there\u{1b}[2J\u{0}"),
            Some("品牌 \u{202e}"),
        );
        if let Some(s) = hostile.said.as_mut().and_then(std::sync::Arc::get_mut) {
            s.evidence = vec!["a = \"1\"".into(), String::new(), "line\nbreak".into()];
        }
        all.push(hostile);
        r.findings = all;
        let fingerprints = Fingerprinter::new(&r.accounts);
        for f in &r.findings {
            for platform in [None, Some(Platform::Weixin), Some(Platform::Wechat)] {
                let out = FindingOut {
                    finding: f,
                    report: Some(&r),
                    fingerprints: Some(&fingerprints),
                    platform,
                };
                let mut ours = Vec::new();
                out.write_json(&mut ours);
                let theirs = serde_json::to_vec(&out).unwrap();
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(theirs).unwrap()
                );
            }
        }
    }

    fn render(r: &Report) -> Value {
        let mut buf = Vec::new();
        write(r, &mut buf).unwrap();
        serde_json::from_slice(&buf).unwrap()
    }

    #[test]
    fn report_has_the_documented_top_level_shape() {
        let v = render(&sample_report());
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["tool"]["name"], "wxaudit");
        assert_eq!(v["input"]["encoding"], "UTF-8");
        assert_eq!(v["input"]["rejected_rows"], 1);
        assert_eq!(v["as_of"], "2026-11-27");
        assert_eq!(v["profile_source"], "inferred");
        assert_eq!(v["summary"]["platforms"]["wechat"], 1);
        assert_eq!(v["summary"]["severities"]["critical"], 1);
        assert_eq!(v["summary"]["row_errors"], 1);
        assert!(
            v["summary"].get("new").is_none(),
            "no baseline, no new count"
        );
        assert_eq!(v["findings"].as_array().unwrap().len(), 3);
        assert_eq!(v["not_evaluated"][0]["missing_columns"][0], "icp_filing");
        assert_eq!(v["row_errors"][0]["line"], 4);
        for k in [
            "suppressed",
            "expired_suppressions",
            "stale_suppressions",
            "resolved",
        ] {
            assert_eq!(v[k], Value::Array(vec![]), "{k}");
        }
        assert_eq!(v["baseline"], Value::Null);
    }

    #[test]
    fn findings_carry_ids_platform_and_null_account_for_brand_gaps() {
        let v = render(&sample_report());
        let f = &v["findings"];
        assert_eq!(f[0]["rule_id"], "REACH-001");
        assert_eq!(f[0]["severity"], "critical");
        assert_eq!(f[0]["account_id"], Value::Null);
        assert_eq!(f[0]["brand"], "Acme Coffee");
        assert_eq!(f[0]["market"], "CN");
        assert_eq!(f[1]["account_id"], "gh_hk01");
        assert_eq!(f[1]["platform"], "wechat");
        assert!(f[1]["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("REACH-002"));
        assert!(f[1].get("baseline_state").is_none());
    }

    #[test]
    fn accounts_use_canonical_names_and_typed_values() {
        let v = render(&sample_report());
        let a = &v["accounts"][0];
        assert_eq!(a["id"], "gh_cn01");
        assert_eq!(a["platform"], "weixin");
        assert_eq!(a["confidence"], "high");
        assert_eq!(a["type"], "service");
        assert_eq!(a["followers"], 12345);
        assert_eq!(a["verification_expiry"], "2027-03-31");
        assert_eq!(a["audience"], serde_json::json!(["CN"]));
        assert_eq!(a["phone"], "+86 13800000000");
        assert_eq!(a["verified"], true);
        assert_eq!(a["raw"]["followers"], "1.2万");
        assert_eq!(a["extra"]["Region manager"], "Li Na");
        assert_eq!(a["evidence"][0]["signal"], "portal");
        assert!(a.get("notes").is_none(), "absent fields are omitted");
        let b = &v["accounts"][1];
        assert!(
            b.get("entity_country").is_none(),
            "ambiguous China has no code"
        );
        assert_eq!(b["name"], "=Acme | HK", "JSON keeps raw values");
    }

    #[test]
    fn a_written_report_reads_back() {
        let mut r = sample_report();
        let f = r.findings.pop().unwrap();
        r.suppressed.push(SuppressedFinding {
            finding: f,
            reason: "one admin by design".into(),
            owner: Some("li.na@example.com".into()),
            expires: None,
        });
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        crate::atomic::write_file(&p, |w| write(&r, w)).unwrap();
        let saved = read(&p).unwrap();
        assert_eq!(saved.findings.len(), 2);
        let mut expected = r.findings[1].clone();
        expected.account = None; // the in-memory account index is not part of the report
        assert_eq!(saved.findings[1].finding, expected);
        assert_eq!(saved.findings[1].platform, Some(Platform::Wechat));
        assert_eq!(saved.suppressed[0].reason, "one admin by design");
        assert_eq!(saved.accounts[1].platform, Some(Platform::Wechat));
        assert_eq!(saved.as_of, Some(r.as_of));
    }

    #[test]
    fn reader_tolerates_unknown_fields_and_rejects_non_reports() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        std::fs::write(
            &p,
            r#"{"schema_version":1,"future":{"x":1},"findings":[{"rule_id":"R","severity":"low",
            "account_id":null,"account_name":null,"brand":null,"market":null,"message":"m",
            "evidence":[],"advice":"a","fingerprint":"fp","new_field":true}]}"#,
        )
        .unwrap();
        assert_eq!(
            read(&p).unwrap().findings[0].finding.said_fingerprint(),
            "fp"
        );
        std::fs::write(&p, r#"[{"id":"gh_1"}]"#).unwrap();
        let e = read(&p).unwrap_err().to_string();
        assert!(
            e.contains("r.json") && e.contains("not a wxaudit JSON report"),
            "{e}"
        );
        let e = read(&dir.path().join("missing.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing.json"), "{e}");
    }

    /// Every error of `instance` against the published schema, as readable lines.
    pub(crate) fn schema_errors(instance: &Value) -> Vec<String> {
        let schema: Value =
            serde_json::from_str(include_str!("../../../../schema/report.schema.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn reports_validate_against_the_published_schema() {
        let mut r = sample_report();
        assert_eq!(schema_errors(&render(&r)), Vec::<String>::new());
        // With a baseline, suppressions of every kind and resolved findings too.
        r.baseline = Some("latest.json".into());
        for f in &mut r.findings {
            f.baseline_state = Some(crate::model::BaselineState::New);
        }
        let f = r.findings.pop().unwrap();
        r.resolved.push(f.clone());
        let entry = SuppressionEntry {
            rule: "OWN-003".into(),
            account: None,
            brand: Some("Acme Tea".into()),
            reason: "one admin by design".into(),
            owner: None,
            expires: chrono::NaiveDate::from_ymd_opt(2027, 1, 1),
        };
        r.suppressed.push(SuppressedFinding {
            finding: f,
            reason: entry.reason.clone(),
            owner: None,
            expires: entry.expires,
        });
        r.expired_suppressions.push(entry.clone());
        r.stale_suppressions.push(entry);
        let v = render(&r);
        assert_eq!(v["summary"]["new"], 2);
        assert_eq!(schema_errors(&v), Vec::<String>::new());
        // And the schema does reject a broken report.
        let mut broken = v.clone();
        broken["findings"][0]["severity"] = Value::from("severe");
        assert!(!schema_errors(&broken).is_empty());
    }
}
