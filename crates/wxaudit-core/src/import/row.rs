//! Builds one [`Account`] from the cells of one row, whatever the file form: each cell goes
//! through its column's normaliser (`values`), "as imported" text is kept in `Account::raw`
//! when it differs from the normalised form, and anything that cannot be normalised becomes a
//! [`RowError`] for that row and column while the rest of the row is still used.
//!
//! CSV and JSON readers both feed this builder, so a value means the same thing in either form.

use super::mapping::trim_cell as trim_value;
use super::values::{self, Expected};
use crate::model::{Account, Column, ColumnSet, RowError, Text};
use unicode_normalization::UnicodeNormalization;

/// Characters that are invisible in a cell and never part of an identifier: whitespace
/// (including no-break spaces), zero-width spaces and joiners, BOMs, NUL.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\0'
        )
}

/// Invisible characters that are not whitespace, with the names a message gives them.
const HIDDEN: [(char, &str); 6] = [
    ('\0', "NUL"),
    ('\u{feff}', "byte-order mark U+FEFF"),
    ('\u{200b}', "zero-width space U+200B"),
    ('\u{200c}', "zero-width non-joiner U+200C"),
    ('\u{200d}', "zero-width joiner U+200D"),
    ('\u{2060}', "word joiner U+2060"),
];

/// An identifier, host or code as pasted: NFKC-folded (`ｇｈ＿ａ１` → `gh_a1`,
/// `ｍｐ．ｗｅｉｘｉｎ．ｑｑ．ｃｏｍ`), with no spaces or invisible characters inside. Borrowed when
/// the text is visible ASCII already (almost every cell).
fn fold_pasted(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii_graphic()) {
        std::borrow::Cow::Borrowed(s)
    } else {
        // Removing a character can bring a letter and a combining mark together (`c´` is
        // `c`, space, U+0301 after NFKC): normalise again then, so folding a folded id is a
        // no-op and the same id read twice is the same id.
        let mut removed = false;
        let once: String = s
            .nfkc()
            .filter(|c| {
                let invisible = is_invisible(*c);
                removed |= invisible;
                !invisible
            })
            .collect();
        std::borrow::Cow::Owned(if removed { once.nfkc().collect() } else { once })
    }
}

/// Facts about the decoded input every row needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowCtx<'a> {
    /// True when decoding replaced undecodable bytes with U+FFFD (then cells are checked for it).
    pub lossy: bool,
    /// Encoding used, for the undecodable-bytes message.
    pub encoding: &'a str,
}

pub(crate) struct Row<'e, 'c> {
    /// Boxed: an account is about a kilobyte, and a row hands it on (or back for reuse) by
    /// pointer rather than copying it each time.
    pub acc: Box<Account>,
    /// Columns that had a key/cell in this row (JSON: used for duplicate keys and `columns`).
    pub seen: ColumnSet,
    errors: &'e mut Vec<RowError>,
    ctx: RowCtx<'c>,
}

/// Whether `s` equals `items` joined with `;` (no allocation).
fn joined_eq(items: &[Text], s: &str) -> bool {
    let mut rest = s;
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix(';') {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(it.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

impl<'e, 'c> Row<'e, 'c> {
    pub fn new(line: u64, errors: &'e mut Vec<RowError>, ctx: RowCtx<'c>) -> Self {
        Self::reusing(Box::default(), line, errors, ctx)
    }

    /// [`Row::new`] filling `acc` (emptied first), so the room its lists have is reused.
    pub fn reusing(
        mut acc: Box<Account>,
        line: u64,
        errors: &'e mut Vec<RowError>,
        ctx: RowCtx<'c>,
    ) -> Self {
        acc.clear();
        acc.line = line;
        Row {
            acc,
            seen: ColumnSet::default(),
            errors,
            ctx,
        }
    }

    pub fn error(&mut self, column: Option<&str>, value: Option<&str>, message: String) {
        self.errors.push(RowError {
            line: self.acc.line,
            column: column.map(str::to_string),
            value: value.map(str::to_string),
            message,
            skipped: false,
        });
    }

    fn bad(&mut self, col: Column, s: &str, e: Expected) {
        self.acc.raw.push((col, Text::from(s)));
        self.error(Some(col.as_str()), Some(s), e.0.to_string());
    }

    fn raw(&mut self, col: Column, s: &str) {
        self.acc.raw.push((col, Text::from(s)));
    }

    fn check_decoding(&mut self, column: &str, s: &str) {
        if self.ctx.lossy && s.contains('\u{fffd}') {
            let msg = format!(
                "contains bytes that are not valid {} (shown as \u{fffd}); check the file's encoding or use --encoding",
                self.ctx.encoding
            );
            self.error(Some(column), Some(s), msg);
        }
    }

    /// One cell of a column whose header carried a unit (`粉丝数(万)`): a plain number is
    /// multiplied by `scale`; a value with a unit of its own (`1.2万`) is read as written.
    pub fn text_scaled(&mut self, col: Column, s: &str, scale: Option<u64>) {
        let Some(scale) = scale else {
            return self.text(col, s);
        };
        let t = trim_value(s);
        let plain: String = t.chars().filter(|c| *c != ',').collect();
        match plain.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => {
                self.seen.insert(col);
                let n = (v * scale as f64).round();
                if n < u64::MAX as f64 {
                    self.raw(col, t);
                    self.acc.followers = Some(n as u64);
                } else {
                    self.bad(col, t, Expected("expected a follower count"));
                }
            }
            _ => self.text(col, s),
        }
    }

    /// An identifier as pasted: NFKC-folded (`ｇｈ＿ａ１` → `gh_a1`), with no spaces or invisible
    /// characters inside; the text as written is kept in `raw` when it differs.
    /// Invisible characters that are not spaces (NUL, a byte-order mark, zero-width characters:
    /// left by concatenated exports or a damaged file) are reported, since the id as written would
    /// never match the same id elsewhere.
    /// `written` is the cell before trimming (a BOM at the start of a line is trimmed as well).
    /// None when nothing is left of the id once its invisible characters are removed (a cell
    /// of only a BOM or NUL is an empty cell, not an empty id).
    fn ident(&mut self, col: Column, s: &str, written: &str) -> Option<Text> {
        let folded = fold_pasted(s);
        let written = if written.len() == s.len() {
            s
        } else {
            written.trim()
        };
        if folded != written {
            self.raw(col, written);
            let hidden: Vec<&str> = HIDDEN
                .iter()
                .filter(|(c, _)| written.contains(*c))
                .map(|(_, name)| *name)
                .collect();
            if !hidden.is_empty() {
                let msg = format!(
                    "contains invisible characters ({}) that were removed from the identifier, so it matches the same id elsewhere; the value as written is kept in `raw`",
                    hidden.join(", ")
                );
                // The value as written: each output escapes it for itself (the terminal
                // shows `\u{feff}gh_1`, JSON keeps the character).
                self.error(Some(col.as_str()), Some(written), msg);
            }
        }
        (!folded.is_empty()).then(|| Text::from(folded.as_ref()))
    }

    /// One cell of a canonical column, as text.
    pub fn text(&mut self, col: Column, s: &str) {
        self.seen.insert(col);
        let written = s;
        let s = trim_value(s);
        if s.is_empty() {
            return;
        }
        self.check_decoding(col.as_str(), s);
        match col {
            Column::Id => self.acc.id = self.ident(col, s, written),
            Column::WechatId => self.acc.wechat_id = self.ident(col, s, written),
            Column::IcpFiling => self.acc.icp_filing = self.ident(col, s, written),
            Column::MerchantId => self.acc.merchant_id = self.ident(col, s, written),
            Column::Admin => self.acc.admin = self.ident(col, s, written),
            Column::Email => self.acc.email = self.ident(col, s, written),
            Column::Name => self.acc.name = Some(Text::from(s)),
            Column::EntityName => self.acc.entity_name = Some(Text::from(s)),
            Column::MerchantEntity => self.acc.merchant_entity = Some(Text::from(s)),
            Column::Brand => self.acc.brand = Some(Text::from(s)),
            Column::Notes => self.acc.notes = Some(Text::from(s)),
            Column::Terms => match values::platform(s) {
                Ok(Some(p)) => {
                    if p.as_str() != s {
                        self.raw(col, s);
                    }
                    self.acc.terms = Some(p);
                }
                Ok(None) => {}
                Err(_) => self.bad(
                    col,
                    s,
                    Expected("expected the service agreement the account is under: weixin (Weixin terms, mainland) or wechat (WeChat terms, international)"),
                ),
            },
            Column::CreditCode => {
                let v = values::credit_code(&fold_pasted(s));
                if v != s {
                    self.raw(col, s);
                }
                self.acc.credit_code = Some(v);
            }
            Column::Type => match values::account_type(s) {
                Ok(t) => {
                    if t.as_str() != s {
                        self.raw(col, s);
                    }
                    self.acc.account_type = Some(t);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Platform => match values::platform(s) {
                Ok(p) => {
                    if p.map(|p| p.as_str()) != Some(s) {
                        self.raw(col, s);
                    }
                    self.acc.declared_platform = p;
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Portal => match values::portal(&fold_pasted(s)) {
                Ok(h) => {
                    if h != s {
                        self.raw(col, s);
                    }
                    self.acc.portal = Some(h);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Phone => match values::phone(s) {
                Ok(p) => {
                    let canonical = match &p.country_code {
                        Some(cc) => {
                            s.strip_prefix('+')
                                .and_then(|r| r.strip_prefix(cc.as_str()))
                                .and_then(|r| r.strip_prefix(' '))
                                == Some(p.number.as_str())
                        }
                        None => s == p.number,
                    };
                    if !canonical {
                        self.raw(col, s);
                    }
                    self.acc.phone = Some(p);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::EntityType => match values::entity_type(s) {
                Ok((t, overseas)) => {
                    if t.as_str() != s {
                        self.raw(col, s);
                    }
                    self.acc.entity_type = Some(t);
                    self.acc.entity_overseas |= overseas;
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::EntityCountry => match values::country(s) {
                Ok(c) => {
                    if c.code() != Some(s) {
                        self.raw(col, s);
                    }
                    self.acc.entity_country = Some(c);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::WalletCurrency => match values::currency(s) {
                Ok(c) => {
                    if c != s {
                        self.raw(col, s);
                    }
                    self.acc.wallet_currency = Some(c);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Verified | Column::Payments => match values::boolean(s) {
                Ok(b) => {
                    if s != if b { "true" } else { "false" } {
                        self.raw(col, s);
                    }
                    self.set_bool(col, b);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::VerificationExpiry | Column::LastActive => match values::date(s) {
                Ok(d) => {
                    let b = s.as_bytes();
                    if !(b.len() == 10 && b[4] == b'-' && b[7] == b'-') {
                        self.raw(col, s);
                    }
                    if col == Column::LastActive {
                        self.acc.last_active = Some(d);
                    } else {
                        self.acc.verification_expiry = Some(d);
                    }
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::MerchantTrack => match values::merchant_track(s) {
                Ok(t) => {
                    if t.as_str() != s {
                        self.raw(col, s);
                    }
                    self.acc.merchant_track = Some(t);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::AdminStatus => match values::admin_status(s) {
                Ok(t) => {
                    if t.as_str() != s {
                        self.raw(col, s);
                    }
                    self.acc.admin_status = Some(t);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Status => match values::status(s) {
                Ok(t) => {
                    if t.as_str() != s {
                        self.raw(col, s);
                    }
                    self.acc.status = Some(t);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Followers => match values::followers(s) {
                Ok(n) => {
                    if !s.bytes().all(|b| b.is_ascii_digit()) {
                        self.raw(col, s);
                    }
                    self.acc.followers = Some(n);
                }
                Err(e) => self.bad(col, s, e),
            },
            Column::Operators | Column::Audience | Column::Features => {
                // Usually a handful of items: keep them on the stack.
                let mut buf: [&str; 16] = [""; 16];
                let mut n = 0;
                for it in values::split_list(s) {
                    if n == buf.len() {
                        let all: Vec<&str> = values::split_list(s).collect();
                        return self.list(col, &all, s);
                    }
                    buf[n] = it;
                    n += 1;
                }
                self.list(col, &buf[..n], s);
            }
        }
    }

    /// The items of a list column; `written` is the text as imported (for `raw`).
    pub fn list(&mut self, col: Column, items: &[&str], written: &str) {
        self.seen.insert(col);
        // Filled in the account's own list, which keeps its room from row to row (see
        // `Account::clear`): a fresh one was two allocations a row.
        let mut out = std::mem::take(match col {
            Column::Audience => &mut self.acc.audience,
            Column::Features => &mut self.acc.features,
            _ => &mut self.acc.operators,
        });
        out.clear();
        let mut failed = false;
        for item in items {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let v = match col {
                Column::Audience => values::market(item),
                Column::Features => values::feature(item),
                _ => Ok(Text::from(item)),
            };
            match v {
                Ok(v) => out.push(v),
                Err(e) => {
                    failed = true;
                    self.error(Some(col.as_str()), Some(item), e.0.to_string());
                }
            }
        }
        if failed || !joined_eq(&out, written) {
            self.raw(col, written);
        }
        match col {
            Column::Audience => self.acc.audience = out,
            Column::Features => self.acc.features = out,
            _ => self.acc.operators = out,
        }
    }

    /// A boolean given as a boolean (JSON).
    pub fn set_bool(&mut self, col: Column, b: bool) {
        self.seen.insert(col);
        match col {
            Column::Verified => self.acc.verified = Some(b),
            Column::Payments => self.acc.payments = Some(b),
            _ => self.text(col, if b { "true" } else { "false" }),
        }
    }

    /// A follower count given as a number (JSON).
    pub fn set_followers(&mut self, n: u64) {
        self.seen.insert(Column::Followers);
        self.acc.followers = Some(n);
    }

    /// An unknown column, kept as (header as written, value).
    pub fn extra(&mut self, header: &Text, s: &str) {
        let s = trim_value(s);
        if s.is_empty() {
            return;
        }
        self.check_decoding(header, s);
        self.acc.extra.push((header.clone(), Text::from(s)));
    }

    /// Ends the row: the account, or `None` (and a skipped-row error) when it has neither id
    /// nor name.
    pub fn finish(self) -> Option<Box<Account>> {
        if self.acc.id.is_none() && self.acc.name.is_none() && self.acc.wechat_id.is_none() {
            self.errors.push(RowError {
                line: self.acc.line,
                column: None,
                value: None,
                message: "row has neither an id nor a name, so it cannot be identified; skipped"
                    .to_string(),
                skipped: true,
            });
            return None;
        }
        let mut acc = self.acc;
        // Without an id, the WeChat ID people search for identifies the account.
        if acc.id.is_none() {
            acc.id = acc.wechat_id.clone();
        }
        Some(acc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountType, Country};

    const CTX: RowCtx = RowCtx {
        lossy: false,
        encoding: "UTF-8",
    };

    #[test]
    fn normalised_values_keep_what_was_written() {
        let mut errs = Vec::new();
        let mut r = Row::new(7, &mut errs, CTX);
        r.text(Column::Name, " 茶饮 ");
        r.text(Column::Type, "订阅号");
        r.text(Column::EntityCountry, "CN");
        r.text(Column::Audience, "CN;HK");
        r.text(Column::Features, "红包、payments");
        let a = r.finish().unwrap();
        assert_eq!(a.account_type, Some(AccountType::Subscription));
        assert_eq!(a.raw_value(Column::Type), Some("订阅号"));
        assert_eq!(a.entity_country, Some(Country::Code("CN".into())));
        assert_eq!(a.raw_value(Column::EntityCountry), None);
        assert_eq!(a.raw_value(Column::Audience), None);
        assert_eq!(a.features, ["red_packets", "payments"]);
        assert_eq!(a.raw_value(Column::Features), Some("红包、payments"));
        assert_eq!(a.name.as_deref(), Some("茶饮"));
        assert!(errs.is_empty());
    }

    #[test]
    fn a_bad_value_is_flagged_and_the_row_still_used() {
        let mut errs = Vec::new();
        let mut r = Row::new(3, &mut errs, CTX);
        r.text(Column::Id, "gh_1");
        r.text(Column::LastActive, "last spring");
        r.text(Column::Followers, "12,345");
        let a = r.finish().unwrap();
        assert_eq!(a.last_active, None);
        assert_eq!(a.raw_value(Column::LastActive), Some("last spring"));
        assert_eq!(a.followers, Some(12_345));
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].column.as_deref(), Some("last_active"));
        assert_eq!(errs[0].value.as_deref(), Some("last spring"));
        assert!(errs[0].message.starts_with("expected"));
        assert!(!errs[0].skipped);
    }

    /// One account is reused row after row: a list is the row's own, never the last row's.
    #[test]
    fn a_reused_account_holds_only_its_own_row_s_lists() {
        let mut errs = Vec::new();
        let mut r = Row::new(2, &mut errs, CTX);
        r.text(Column::Id, "gh_1");
        r.text(Column::Audience, "CN;HK");
        r.text(Column::Features, "红包");
        let a = r.finish().unwrap();
        assert_eq!(a.audience, ["CN", "HK"]);
        let mut r = Row::reusing(a, 3, &mut errs, CTX);
        r.text(Column::Id, "gh_2");
        r.text(Column::Audience, "US");
        let b = r.finish().unwrap();
        assert_eq!(b.audience, ["US"]);
        assert!(b.features.is_empty(), "{:?}", b.features);
        // Written twice in one row (a JSON object may): the second is the value.
        let mut r = Row::reusing(b, 4, &mut errs, CTX);
        r.text(Column::Id, "gh_3");
        r.text(Column::Features, "payments");
        r.text(Column::Features, "red_packets");
        let c = r.finish().unwrap();
        assert_eq!(c.features, ["red_packets"]);
        assert!(c.audience.is_empty());
    }

    #[test]
    fn a_row_without_id_or_name_is_skipped() {
        let mut errs = Vec::new();
        let mut r = Row::new(9, &mut errs, CTX);
        r.text(Column::Brand, "Acme");
        assert!(r.finish().is_none());
        assert!(errs[0].skipped);
        assert_eq!(errs[0].line, 9);
    }

    #[test]
    fn joined_eq_matches_only_the_canonical_join() {
        let v = [Text::from("CN"), Text::from("HK")];
        assert!(joined_eq(&v, "CN;HK"));
        assert!(!joined_eq(&v, "CN; HK"));
        assert!(!joined_eq(&v, "CN;HK;"));
        assert!(joined_eq(&[], ""));
    }
}
