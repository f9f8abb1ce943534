//! JSON readers: an array of account objects, `{"company": {...}, "accounts": [...]}`, JSON Lines,
//! and WeChat Open Platform `authorizer_info` exports (alone or in an array).
//!
//! Why a hand-written serde visitor instead of `serde_json::Value`: a 200 MB inventory would take
//! gigabytes as one `Value` tree. The visitors here walk the document once and turn each account
//! object into an [`Account`] as soon as it is read; field values are borrowed from the input when
//! they need no unescaping, and each key is mapped to its column through a small cache. Only the
//! small nested objects of Open Platform exports and unknown fields become `Value`s. JSON Lines
//! are independent per line, so they are split into chunks and read in parallel.

use super::headers::{self, MatchKind};
use super::info::ColumnUse;
use super::mapping::{self, Overrides};
use super::row::{Row, RowCtx};
use super::values;
use super::{ImportError, Progress, Rows};
use crate::model::{Account, Column, ColumnSet, Profile, RowError, Text};
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// What an object key means.
#[derive(Clone)]
enum KeyKind {
    Col(Column),
    Authorizer,
    Authorization,
    Extra(Text),
}

/// Key → meaning, computed once per distinct key; also remembers every key in the order first
/// seen, and what it became, for the report.
#[derive(Default)]
struct Keys {
    cache: HashMap<String, KeyKind>,
    extra_names: Names,
    /// Suggestions worked out so far (each compares with every alias: bounded).
    suggested: usize,
    /// Each distinct key (canonical names included) and what it became.
    uses: Vec<ColumnUse>,
    /// Canonical keys already in `uses` (they skip the cache).
    canon_seen: ColumnSet,
    overrides: Overrides,
}

impl Keys {
    fn new(overrides: &Overrides) -> Keys {
        Keys {
            overrides: overrides.clone(),
            ..Keys::default()
        }
    }

    fn kind(&mut self, k: &str) -> KeyKind {
        if self.overrides.is_empty() {
            if let Some(c) = Column::from_canonical(k) {
                if !self.canon_seen.contains(c) {
                    self.canon_seen.insert(c);
                    self.note(k, Some((c, MatchKind::Canonical, None)), false);
                }
                return KeyKind::Col(c);
            }
        }
        if let Some(kind) = self.cache.get(k) {
            return kind.clone();
        }
        let kind = match k {
            "authorizer_info" => KeyKind::Authorizer,
            "authorization_info" => KeyKind::Authorization,
            _ => match mapping::resolve(k, &self.overrides) {
                (Some(hm), _) => {
                    self.note(k, Some((hm.column, hm.kind, hm.scale)), false);
                    KeyKind::Col(hm.column)
                }
                (None, ignored) => {
                    self.note(k, None, ignored);
                    let t = Text::from(k);
                    self.extra_names.add(&t);
                    KeyKind::Extra(t)
                }
            },
        };
        self.cache.insert(k.to_string(), kind.clone());
        kind
    }

    fn note(&mut self, k: &str, m: Option<(Column, MatchKind, Option<u64>)>, ignored: bool) {
        if self.uses.len() >= MAX_SHOWN {
            return;
        }
        let mut u = ColumnUse::unknown(k, self.uses.len() as u32 + 1);
        match m {
            Some((c, kind, scale)) => {
                u.column = Some(c);
                u.matched = Some(kind);
                u.scale = scale;
            }
            None if !ignored => {
                if self.suggested < mapping::MAX_SUGGESTIONS {
                    self.suggested += 1;
                    u.suggestion = headers::suggest(k);
                }
            }
            None => u.ignored_by_user = true,
        }
        self.uses.push(u);
    }
}

/// Keys recorded for the report at most (each with what it became).
const MAX_SHOWN: usize = 1000;

/// Merges the key records of parallel parts, first seen first.
fn merge_uses(into: &mut Vec<ColumnUse>, from: &[ColumnUse]) {
    for u in from {
        if into.len() >= MAX_SHOWN {
            return;
        }
        if !into.iter().any(|x| x.header == u.header) {
            let mut u = u.clone();
            u.position = into.len() as u32 + 1;
            into.push(u);
        }
    }
}

/// Names of extra fields in the order first seen, with constant-time membership (a file may
/// hold thousands of distinct keys).
#[derive(Default)]
struct Names {
    list: Vec<Text>,
    seen: std::collections::HashSet<Text>,
}

impl Names {
    fn add(&mut self, name: &Text) {
        if self.seen.insert(name.clone()) {
            self.list.push(name.clone());
        }
    }
}

/// Fails when the parts of a document hold more distinct keys than any inventory has.
fn check_key_count<'k>(
    name: &str,
    keys: impl Iterator<Item = &'k Keys>,
) -> Result<(), ImportError> {
    let mut all: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for k in keys {
        all.extend(k.cache.keys().map(String::as_str));
    }
    if all.len() > mapping::MAX_COLUMNS {
        return Err(mapping::too_wide(
            name,
            "distinct keys in its objects",
            all.len(),
        ));
    }
    Ok(())
}

/// Per-reader state all elements write into.
struct State<'a> {
    keys: Keys,
    ctx: RowCtx<'a>,
    accounts: Vec<Account>,
    errors: Vec<RowError>,
    columns: ColumnSet,
    rows: u64,
    rejected: u64,
    objects: u64,
    open_platform: u64,
    first_non_object: Option<&'static str>,
    /// Progress: start of the text, furthest key offset seen, callback.
    base: usize,
    pos: usize,
    total: u64,
    progress: Option<Progress<'a>>,
}

impl<'a> State<'a> {
    fn new(
        ctx: RowCtx<'a>,
        overrides: &Overrides,
        text: &str,
        progress: Option<Progress<'a>>,
    ) -> Self {
        State {
            keys: Keys::new(overrides),
            ctx,
            accounts: Vec::new(),
            errors: Vec::new(),
            columns: ColumnSet::default(),
            rows: 0,
            rejected: 0,
            objects: 0,
            open_platform: 0,
            first_non_object: None,
            base: text.as_ptr() as usize,
            pos: 0,
            total: text.len() as u64,
            progress,
        }
    }

    fn into_rows(self, name: &str) -> Result<Rows, ImportError> {
        let mut accounts = crate::accounts::Accounts::new();
        accounts
            .extend_owned(self.accounts)
            .map_err(|e| super::store_full(name, e))?;
        Ok(Rows {
            accounts,
            row_errors: self.errors,
            columns: self.columns,
            extra_columns: self
                .keys
                .extra_names
                .list
                .iter()
                .map(|t| t.to_string())
                .collect(),
            uses: self.keys.uses,
            skipped: Vec::new(),
            rows: self.rows,
            rejected: self.rejected,
            company: None,
            open_platform: self.open_platform > 0 && self.open_platform == self.objects,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Field values

/// One field value, borrowing strings from the input when possible.
enum JField<'a> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'a, str>),
    List(Vec<JField<'a>>),
    Object,
}

impl<'de> de::Deserialize<'de> for JField<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JFieldVisitor)
    }
}

struct JFieldVisitor;

impl<'de> Visitor<'de> for JFieldVisitor {
    type Value = JField<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(JField::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(JField::U64(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(JField::I64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(JField::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(JField::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(JField::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(JField::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(JField::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(JField::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element::<JField<'de>>()? {
            v.push(x);
        }
        Ok(JField::List(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(JField::Object)
    }
}

fn is_list(c: Column) -> bool {
    matches!(c, Column::Operators | Column::Audience | Column::Features)
}

/// Text of a scalar field, `None` for null/list/object.
fn scalar_text<'x>(v: &'x JField<'x>) -> Option<Cow<'x, str>> {
    match v {
        JField::Str(s) => Some(Cow::Borrowed(s.as_ref())),
        JField::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        JField::U64(n) => Some(Cow::Owned(n.to_string())),
        JField::I64(n) => Some(Cow::Owned(n.to_string())),
        JField::F64(n) => Some(Cow::Owned(n.to_string())),
        JField::Null | JField::List(_) | JField::Object => None,
    }
}

fn apply_field(row: &mut Row, c: Column, v: JField) {
    match v {
        JField::Null => row.seen.insert(c),
        JField::Str(s) => row.text(c, &s),
        JField::Bool(b) => row.set_bool(c, b),
        JField::U64(n) if c == Column::Followers => row.set_followers(n),
        JField::F64(f) if c == Column::Followers && f >= 0.0 && f.fract() == 0.0 && f < 1e19 => {
            row.set_followers(f as u64)
        }
        JField::U64(_) | JField::I64(_) | JField::F64(_) => {
            let t = scalar_text(&v).unwrap_or_default();
            row.text(c, &t)
        }
        JField::List(items) if is_list(c) => {
            let texts: Vec<Cow<str>> = items.iter().filter_map(scalar_text).collect();
            if texts.len() != items.iter().filter(|i| !matches!(i, JField::Null)).count() {
                row.error(
                    Some(c.as_str()),
                    None,
                    "expected a list of text values; nested lists/objects were ignored".into(),
                );
            }
            let refs: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
            let written = refs.join(";");
            row.list(c, &refs, &written);
        }
        JField::List(mut items) if items.len() == 1 => {
            if let Some(x) = items.pop() {
                apply_field(row, c, x)
            }
        }
        JField::List(items) if items.is_empty() => row.seen.insert(c),
        JField::List(_) => {
            row.seen.insert(c);
            row.error(
                Some(c.as_str()),
                None,
                "expected a single value, found a list".into(),
            )
        }
        JField::Object => {
            row.seen.insert(c);
            row.error(
                Some(c.as_str()),
                None,
                "expected a value, found an object".into(),
            )
        }
    }
}

fn value_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s)),
        other => Some(Cow::Owned(other.to_string())),
    }
}

// ---------------------------------------------------------------------------------------------
// Open Platform

/// Maps one `api_get_authorizer_info` response (inventory-format.md "WeChat Open Platform export").
fn apply_open_platform(
    row: &mut Row,
    extra_names: &mut Names,
    info: &Value,
    authz: Option<&Value>,
) {
    fn text(v: Option<&Value>) -> Option<Cow<'_, str>> {
        v.and_then(value_text)
    }
    if let Some(u) = text(info.get("user_name")) {
        row.text(Column::Id, &u);
    }
    if let Some(n) = text(info.get("nick_name")) {
        row.text(Column::Name, &n);
    }
    if let Some(w) = text(info.get("alias")) {
        row.text(Column::WechatId, &w);
    }
    if info.get("MiniProgramInfo").is_some_and(|v| !v.is_null()) {
        row.text(Column::Type, "mini_program");
    } else if let Some(id) = info.pointer("/service_type_info/id") {
        match id.as_i64() {
            Some(0 | 1) => row.text(Column::Type, "subscription"),
            Some(2) => row.text(Column::Type, "service"),
            _ => {
                if let Some(t) = value_text(id) {
                    row.text(Column::Type, &t)
                }
            }
        }
    }
    if let Some(id) = info.pointer("/verify_type_info/id") {
        match id.as_i64() {
            Some(n) => row.set_bool(Column::Verified, n != -1),
            None => row.error(
                Some("verified"),
                Some(&id.to_string()),
                "expected verify_type_info.id to be a number".into(),
            ),
        }
    }
    if let Some(p) = text(info.get("principal_name")) {
        row.text(Column::EntityName, &p);
    }
    if let Some(p) = info.pointer("/business_info/open_pay") {
        match p.as_i64() {
            Some(n) => row.set_bool(Column::Payments, n == 1),
            None => row.error(
                Some("payments"),
                Some(&p.to_string()),
                "expected business_info.open_pay to be 0 or 1".into(),
            ),
        }
    }
    let mut extra = |row: &mut Row, name: &str, v: Option<Cow<str>>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            let t = Text::from(name);
            extra_names.add(&t);
            row.extra(&t, &v);
        }
    };
    extra(
        row,
        "appid",
        text(authz.and_then(|a| a.get("authorizer_appid"))),
    );
    row.seen.insert(Column::Portal);
    row.acc.portal = Some(Text::from("open-platform"));
}

// ---------------------------------------------------------------------------------------------
// Elements (one account object each)

struct ElemSeed<'s, 'a> {
    st: &'s mut State<'a>,
    line: u64,
}

impl<'de> DeserializeSeed<'de> for ElemSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl ElemSeed<'_, '_> {
    fn not_object(self, kind: &'static str) {
        let st = self.st;
        st.rows += 1;
        st.rejected += 1;
        st.first_non_object.get_or_insert(kind);
        st.errors.push(RowError {
            line: self.line,
            column: None,
            value: None,
            message: format!("expected an account object, found {}; skipped", kind),
            skipped: true,
        });
    }
}

struct KeySeed<'k> {
    keys: &'k mut Keys,
    base: usize,
    pos: &'k mut usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = KeyKind;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeyKind, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = KeyKind;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<KeyKind, E> {
        *self.pos = (v.as_ptr() as usize).wrapping_sub(self.base);
        Ok(self.keys.kind(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<KeyKind, E> {
        Ok(self.keys.kind(v))
    }
}

impl<'de> Visitor<'de> for ElemSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an account object")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.not_object("a boolean");
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.not_object("a number");
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.not_object("a number");
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.not_object("a number");
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.not_object("a string");
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.not_object("null");
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.not_object("null");
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_object("an array");
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let st = self.st;
        st.rows += 1;
        st.objects += 1;
        let mut authorizer: Option<Value> = None;
        let mut authorization: Option<Value> = None;
        let mut row = Row::new(self.line, &mut st.errors, st.ctx);
        while let Some(kind) = map.next_key_seed(KeySeed {
            keys: &mut st.keys,
            base: st.base,
            pos: &mut st.pos,
        })? {
            match kind {
                KeyKind::Col(c) => {
                    let v: JField = map.next_value()?;
                    if row.seen.contains(c) {
                        // Two keys meaning the same column: keep the first, show the second.
                        let name = Text::from(format!("{c} (again)"));
                        st.keys.extra_names.add(&name);
                        if let Some(t) = scalar_text(&v) {
                            row.extra(&name, &t);
                        }
                        row.error(
                            Some(c.as_str()),
                            scalar_text(&v).as_deref(),
                            format!("`{c}` is given twice in this object; the first value is used"),
                        );
                    } else {
                        apply_field(&mut row, c, v);
                    }
                }
                KeyKind::Authorizer => authorizer = Some(map.next_value()?),
                KeyKind::Authorization => authorization = Some(map.next_value()?),
                KeyKind::Extra(name) => {
                    let v: Value = map.next_value()?;
                    if let Some(t) = value_text(&v) {
                        row.extra(&name, &t);
                    }
                }
            }
        }
        if let Some(info) = &authorizer {
            st.open_platform += 1;
            apply_open_platform(
                &mut row,
                &mut st.keys.extra_names,
                info,
                authorization.as_ref(),
            );
        } else if let Some(a) = &authorization {
            // An authorization without authorizer details still names the app.
            if let Some(id) = a.get("authorizer_appid").and_then(value_text) {
                row.text(Column::Id, &id);
            }
        }
        let seen = row.seen;
        match row.finish() {
            Some(mut a) => {
                // Held until the whole file is read: without the spare room of the first push.
                a.raw.shrink_to_fit();
                a.extra.shrink_to_fit();
                st.accounts.push(*a)
            }
            None => st.rejected += 1,
        }
        st.columns.0 |= seen.0;
        if st.objects.is_multiple_of(4096) {
            if let Some(p) = st.progress {
                p(st.pos as u64, st.total);
            }
        }
        Ok(())
    }
}

/// A sequence of account objects (the top-level array or `accounts`).
struct AccountsSeed<'s, 'a> {
    st: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for AccountsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for AccountsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`accounts` to be an array of account objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut line = 1u64;
        while seq
            .next_element_seed(ElemSeed { st: self.st, line })?
            .is_some()
        {
            line += 1;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Top level

enum Top {
    Array,
    Object {
        accounts: bool,
        company: Option<Value>,
        single: bool,
        keys: Vec<String>,
    },
    Scalar(&'static str),
}

struct TopSeed<'s, 'a> {
    st: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an inventory")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Top, E> {
        Ok(Top::Scalar("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Top, E> {
        Ok(Top::Scalar("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Top, E> {
        Ok(Top::Scalar("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Top, E> {
        Ok(Top::Scalar("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Top, E> {
        Ok(Top::Scalar("a string"))
    }
    fn visit_unit<E>(self) -> Result<Top, E> {
        Ok(Top::Scalar("null"))
    }
    fn visit_none<E>(self) -> Result<Top, E> {
        Ok(Top::Scalar("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        AccountsSeed { st: self.st }.visit_seq(seq)?;
        Ok(Top::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut accounts = false;
        let mut company = None;
        let mut single = false;
        let mut keys = Vec::new();
        while let Some(k) = map.next_key::<Cow<'de, str>>()? {
            match k.as_ref() {
                "accounts" => {
                    map.next_value_seed(AccountsSeed { st: self.st })?;
                    accounts = true;
                }
                "company" => company = Some(map.next_value::<Value>()?),
                other => {
                    if other == "authorizer_info"
                        || matches!(headers::lookup(other), Some(Column::Id | Column::Name))
                    {
                        single = true;
                    }
                    map.next_value::<IgnoredAny>()?;
                    keys.push(other.to_string());
                }
            }
        }
        Ok(Top::Object {
            accounts,
            company,
            single,
            keys,
        })
    }
}

/// "… at line 3 column 7" → (message without position, line, column).
fn json_error(name: &str, what: &str, e: &serde_json::Error) -> ImportError {
    let full = e.to_string();
    let core = match full.rfind(" at line ") {
        Some(i) if e.line() > 0 => &full[..i],
        _ => full.as_str(),
    };
    let kind = match e.classify() {
        serde_json::error::Category::Data => "not an inventory",
        _ => what,
    };
    if e.line() > 0 {
        ImportError::invalid(
            name,
            format!("{kind} at line {}, column {}: {core}", e.line(), e.column()),
        )
        .at(e.line() as u64, Some(e.column() as u64))
    } else {
        ImportError::invalid(name, format!("{kind}: {core}"))
    }
}

fn not_objects(name: &str, st: &State, container: &str) -> Option<ImportError> {
    match st.first_non_object {
        Some(kind) if st.accounts.is_empty() => Some(ImportError::invalid(name, format!("not an inventory: expected {container} of account objects, but no element is an account (the first that is not an object is {kind})"
        ))),
        _ => None,
    }
}

fn text_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => values::split_list(s).map(str::to_string).collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(value_text)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// The `company` object → profile (targets normalised like `audience`, features like `features`).
fn company_profile(
    name: &str,
    v: Value,
    errors: &mut Vec<RowError>,
) -> Result<Option<Profile>, ImportError> {
    let m = match v {
        Value::Null => return Ok(None),
        Value::Object(m) => m,
        _ => return Err(ImportError::invalid(
            name,
            "`company` must be an object with name, legal_entities, targets and planned_features"
                .to_string(),
        )),
    };
    let mut p = Profile {
        name: m
            .get("name")
            .and_then(value_text)
            .map(|s| s.trim().to_string()),
        legal_entities: m.get("legal_entities").map(text_list).unwrap_or_default(),
        ..Profile::default()
    };
    let mut flag = |column: &str, value: &str, msg: &str| {
        errors.push(RowError {
            line: 0,
            column: Some(column.to_string()),
            value: Some(value.to_string()),
            message: msg.to_string(),
            skipped: false,
        })
    };
    for t in m.get("targets").map(text_list).unwrap_or_default() {
        match values::market(&t) {
            Ok(c) => {
                if !p.targets.iter().any(|x| x == c.as_str()) {
                    p.targets.push(c.to_string())
                }
            }
            Err(e) => flag("company.targets", &t, e.0),
        }
    }
    for f in m.get("planned_features").map(text_list).unwrap_or_default() {
        match values::feature(&f) {
            Ok(c) => p.planned_features.push(c.to_string()),
            Err(e) => flag("company.planned_features", &f, e.0),
        }
    }
    Ok(Some(p))
}

/// Is this `{`-text really JSON Lines? True when its first line is a complete JSON value and
/// something else follows.
pub(crate) fn looks_like_json_lines(text: &str) -> bool {
    let t = text.trim_start();
    let Some(nl) = t.find('\n') else {
        return false;
    };
    let (first, rest) = t.split_at(nl);
    !rest.trim().is_empty() && serde_json::from_str::<IgnoredAny>(first.trim()).is_ok()
}

/// A JSON document: array, `{"company","accounts"}`, a single Open Platform or account object.
pub(crate) fn read_json(
    name: &str,
    text: &str,
    ctx: RowCtx,
    overrides: &Overrides,
    progress: Progress,
) -> Result<Rows, ImportError> {
    match read_json_parallel(name, text, ctx, overrides, progress, PARALLEL_MIN_ELEMENTS) {
        Some(result) => result,
        None => read_json_sequential(name, text, ctx, overrides, progress),
    }
}

/// Below this many accounts the single-pass reader is as fast and simpler.
const PARALLEL_MIN_ELEMENTS: usize = 4096;

/// Structural scanning of JSON text: finds where values start and end without building them.
/// It only checks punctuation between values; every value it delimits is parsed by serde_json.
mod scan {
    pub fn ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    }

    /// End (exclusive) of the string starting at `b[i] == '"'`.
    pub fn string(b: &[u8], i: usize) -> Option<usize> {
        let mut j = i + 1;
        loop {
            let k = memchr::memchr2(b'"', b'\\', b.get(j..)?)? + j;
            if b[k] == b'\\' {
                j = k + 2;
            } else {
                return Some(k + 1);
            }
        }
    }

    /// End (exclusive) of the value starting at `b[i]`.
    pub fn value(b: &[u8], i: usize) -> Option<usize> {
        match *b.get(i)? {
            b'"' => string(b, i),
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut j = i;
                while j < b.len() {
                    match b[j] {
                        b'"' => {
                            j = string(b, j)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                return Some(j + 1);
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                None
            }
            _ => {
                let mut j = i;
                while j < b.len()
                    && !matches!(b[j], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    j += 1;
                }
                (j > i).then_some(j)
            }
        }
    }

    /// Element ranges of the array starting at `b[i] == '['`, and where the array ends.
    pub fn array(b: &[u8], i: usize) -> Option<(Vec<(usize, usize)>, usize)> {
        let mut out = Vec::new();
        let mut j = ws(b, i + 1);
        if b.get(j) == Some(&b']') {
            return Some((out, j + 1));
        }
        loop {
            let end = value(b, j)?;
            out.push((j, end));
            j = ws(b, end);
            match b.get(j)? {
                b',' => j = ws(b, j + 1),
                b']' => return Some((out, j + 1)),
                _ => return None,
            }
        }
    }
}

/// Large arrays (top level or `accounts`): split into elements with [`scan`], then parse and
/// normalise chunks of elements on all cores. `None` when the text is anything else or not
/// perfectly valid — the sequential reader then handles it and reports exact error positions.
fn read_json_parallel(
    name: &str,
    text: &str,
    ctx: RowCtx,
    overrides: &Overrides,
    progress: Progress,
    min_elements: usize,
) -> Option<Result<Rows, ImportError>> {
    let b = text.as_bytes();
    let start = scan::ws(b, 0);
    let (elems, end, company, container) = match b.get(start)? {
        b'[' => {
            let (e, end) = scan::array(b, start)?;
            (e, end, None, "an array")
        }
        b'{' => {
            let mut j = scan::ws(b, start + 1);
            let (mut accounts, mut company) = (None, None);
            loop {
                if b.get(j) != Some(&b'"') {
                    return None;
                }
                let kend = scan::string(b, j)?;
                let key = text.get(j + 1..kend - 1)?;
                j = scan::ws(b, kend);
                if b.get(j) != Some(&b':') {
                    return None;
                }
                j = scan::ws(b, j + 1);
                match key {
                    "accounts" if accounts.is_none() && b.get(j) == Some(&b'[') => {
                        let (e, end) = scan::array(b, j)?;
                        accounts = Some(e);
                        j = end;
                    }
                    "company" if company.is_none() => {
                        let end = scan::value(b, j)?;
                        company = Some(text.get(j..end)?);
                        j = end;
                    }
                    _ => return None,
                }
                j = scan::ws(b, j);
                match b.get(j)? {
                    b',' => j = scan::ws(b, j + 1),
                    b'}' => break,
                    _ => return None,
                }
            }
            (accounts?, j + 1, company, "`accounts` to be an array")
        }
        _ => return None,
    };
    if scan::ws(b, end) != b.len() || elems.len() < min_elements {
        return None;
    }
    let company: Option<Value> = match company {
        Some(c) => Some(serde_json::from_str(c).ok()?),
        None => None,
    };

    const CHUNK: usize = 8192;
    let total = text.len() as u64;
    let done = AtomicU64::new(0);
    let parts: Option<Vec<State>> = elems
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(ci, els)| {
            let mut st = State::new(ctx, overrides, text, None);
            for (k, &(s, e)) in els.iter().enumerate() {
                let mut de = serde_json::Deserializer::from_str(text.get(s..e)?);
                let line = (ci * CHUNK + k + 1) as u64;
                ElemSeed { st: &mut st, line }
                    .deserialize(&mut de)
                    .and_then(|()| de.end())
                    .ok()?;
            }
            let bytes = els.last().map_or(0, |l| l.1) - els.first().map_or(0, |f| f.0);
            let d = done.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
            progress(d, total);
            Some(st)
        })
        .collect();
    let parts = parts?;
    if let Err(e) = check_key_count(name, parts.iter().map(|p| &p.keys)) {
        return Some(Err(e));
    }

    let mut errors = Vec::new();
    let company = match company {
        Some(v) => match company_profile(name, v, &mut errors) {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        },
        None => None,
    };
    let mut out = Rows::default();
    let (mut objects, mut op) = (0u64, 0u64);
    let mut first_non_object = None;
    let mut extra = Names::default();
    out.row_errors = errors;
    for p in parts {
        objects += p.objects;
        op += p.open_platform;
        out.rows += p.rows;
        out.rejected += p.rejected;
        out.columns.0 |= p.columns.0;
        if first_non_object.is_none() {
            first_non_object = p.first_non_object;
        }
        for e in &p.keys.extra_names.list {
            extra.add(e);
        }
        merge_uses(&mut out.uses, &p.keys.uses);
        if let Err(e) = out.accounts.extend_owned(p.accounts) {
            return Some(Err(super::store_full(name, e)));
        }
        out.row_errors.extend(p.errors);
    }
    if let Some(kind) = first_non_object.filter(|_| out.accounts.is_empty()) {
        return Some(Err(ImportError::invalid(name, format!("not an inventory: expected {container} of account objects, but no element is an account (the first that is not an object is {kind})"
        ))));
    }
    out.extra_columns = extra.list.iter().map(|t| t.to_string()).collect();
    out.open_platform = op > 0 && op == objects;
    out.company = company;
    progress(total, total);
    Some(Ok(out))
}

/// Single pass over the document (small files, unusual shapes, and exact syntax errors).
fn read_json_sequential(
    name: &str,
    text: &str,
    ctx: RowCtx,
    overrides: &Overrides,
    progress: Progress,
) -> Result<Rows, ImportError> {
    let mut st = State::new(ctx, overrides, text, Some(progress));
    let mut de = serde_json::Deserializer::from_str(text);
    let top = TopSeed { st: &mut st }
        .deserialize(&mut de)
        .and_then(|t| de.end().map(|()| t))
        .map_err(|e| json_error(name, "not valid JSON", &e))?;
    let company = match top {
        Top::Scalar(kind) => {
            return Err(ImportError::invalid(name, format!("not an inventory: expected an array of account objects or an object with `accounts`, found {kind}"
            )))
        }
        Top::Array => {
            if let Some(e) = not_objects(name, &st, "an array") {
                return Err(e);
            }
            None
        }
        Top::Object {
            accounts: true,
            company,
            ..
        } => {
            if let Some(e) = not_objects(name, &st, "`accounts` to be an array") {
                return Err(e);
            }
            company
        }
        Top::Object {
            single: true,
            company,
            ..
        } => {
            // One account (or one Open Platform response) on its own: read it as an element.
            let mut de = serde_json::Deserializer::from_str(text);
            ElemSeed {
                st: &mut st,
                line: 1,
            }
            .deserialize(&mut de)
            .map_err(|e| json_error(name, "not valid JSON", &e))?;
            company
        }
        Top::Object {
            keys, company: c, ..
        } => {
            let mut keys = keys;
            if c.is_some() {
                keys.insert(0, "company".into());
            }
            let found = if keys.is_empty() {
                "an empty object".to_string()
            } else {
                format!(
                    "an object with {}",
                    keys.iter()
                        .take(12)
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(ImportError::invalid(name, format!("not an inventory: expected an array of account objects, an object with `accounts`, \
                 or an Open Platform export with `authorizer_info`; found {found}"
            )));
        }
    };
    let mut errors = Vec::new();
    let company = match company {
        Some(v) => company_profile(name, v, &mut errors)?,
        None => None,
    };
    check_key_count(name, std::iter::once(&st.keys))?;
    progress(st.total, st.total);
    let mut rows = st.into_rows(name)?;
    errors.append(&mut rows.row_errors);
    rows.row_errors = errors;
    rows.company = company;
    Ok(rows)
}

/// JSON Lines: one account object per line, read in parallel chunks.
pub(crate) fn read_json_lines(
    name: &str,
    text: &str,
    ctx: RowCtx,
    overrides: &Overrides,
    progress: Progress,
) -> Result<Rows, ImportError> {
    let total = text.len() as u64;
    // Chunk boundaries just after a '\n'.
    let target = (text.len() / (rayon::current_num_threads() * 8)).max(1 << 20);
    let bytes = text.as_bytes();
    let mut chunks: Vec<(u64, &str)> = Vec::new();
    let (mut start, mut line) = (0usize, 1u64);
    while start < bytes.len() {
        let mut end = (start + target).min(bytes.len());
        if end < bytes.len() {
            end = match memchr::memchr(b'\n', &bytes[end..]) {
                Some(i) => end + i + 1,
                None => bytes.len(),
            };
        }
        chunks.push((line, &text[start..end]));
        line += memchr::memchr_iter(b'\n', &bytes[start..end]).count() as u64;
        start = end;
    }
    let done = AtomicU64::new(0);
    let parts: Vec<State> = chunks
        .par_iter()
        .map(|&(first_line, chunk)| {
            let mut st = State::new(ctx, overrides, chunk, None);
            for (i, l) in chunk.split('\n').enumerate() {
                let l = l.trim();
                if l.is_empty() {
                    continue;
                }
                let line = first_line + i as u64;
                let (n_acc, n_err, rows, objects, rejected, op) = (
                    st.accounts.len(),
                    st.errors.len(),
                    st.rows,
                    st.objects,
                    st.rejected,
                    st.open_platform,
                );
                let mut de = serde_json::Deserializer::from_str(l);
                let r = ElemSeed { st: &mut st, line }
                    .deserialize(&mut de)
                    .and_then(|()| de.end());
                if let Err(e) = r {
                    st.accounts.truncate(n_acc);
                    st.errors.truncate(n_err);
                    (st.rows, st.objects, st.rejected, st.open_platform) =
                        (rows + 1, objects, rejected + 1, op);
                    let msg = e.to_string();
                    let core = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
                    st.errors.push(RowError {
                        line,
                        column: None,
                        value: None,
                        message: format!(
                            "not valid JSON at column {}: {core}; skipped",
                            e.column()
                        ),
                        skipped: true,
                    });
                }
            }
            let d = done.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            progress(d, total);
            st
        })
        .collect();
    check_key_count(name, parts.iter().map(|p| &p.keys))?;
    let mut out = Rows::default();
    let (mut objects, mut op) = (0u64, 0u64);
    let mut extra = Names::default();
    for p in parts {
        objects += p.objects;
        op += p.open_platform;
        out.rows += p.rows;
        out.rejected += p.rejected;
        out.columns.0 |= p.columns.0;
        for e in &p.keys.extra_names.list {
            extra.add(e);
        }
        merge_uses(&mut out.uses, &p.keys.uses);
        if let Err(e) = out.accounts.extend_owned(p.accounts) {
            return Err(super::store_full(name, e));
        }
        out.row_errors.extend(p.errors);
    }
    if objects == 0 {
        let first = out
            .row_errors
            .iter()
            .find(|e| e.skipped)
            .map(|e| format!("; line {}: {}", e.line, e.message))
            .unwrap_or_default();
        return Err(ImportError::invalid(
            name,
            format!("not valid JSON Lines: no line holds an account object{first}"),
        ));
    }
    out.extra_columns = extra.list.iter().map(|t| t.to_string()).collect();
    out.open_platform = op > 0 && op == objects;
    progress(total, total);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: RowCtx = RowCtx {
        lossy: false,
        encoding: "UTF-8",
    };

    fn same(text: &str) {
        let o = Overrides::default();
        let seq = read_json_sequential("t.json", text, CTX, &o, &|_, _| {});
        let par = read_json_parallel("t.json", text, CTX, &o, &|_, _| {}, 0);
        match (seq, par) {
            (_, None) => {}
            (Ok(a), Some(Ok(b))) => {
                assert_eq!(a.accounts, b.accounts);
                assert_eq!(a.row_errors, b.row_errors);
                assert_eq!(a.columns, b.columns);
                assert_eq!(a.extra_columns, b.extra_columns);
                assert_eq!((a.rows, a.rejected), (b.rows, b.rejected));
                assert_eq!(a.company, b.company);
                assert_eq!(a.open_platform, b.open_platform);
            }
            (Err(a), Some(Err(b))) => assert_eq!(a.to_string(), b.to_string()),
            (a, Some(b)) => panic!("{text}: sequential {a:?}, parallel {b:?}"),
        }
    }

    #[test]
    fn parallel_and_sequential_readers_agree() {
        let mut big = String::from(
            "{\"company\": {\"name\": \"A\", \"targets\": [\"cn\", \"moon\"]}, \"accounts\": [",
        );
        for i in 0..20_000 {
            if i > 0 {
                big.push(',');
            }
            match i % 5 {
                0 => big.push_str(&format!("{{\"id\": \"gh_{i}\", \"type\": \"订阅号\", \"x\": [1, {{\"y\": \"]\\\"\"}}]}}")),
                1 => big.push_str(&format!("{{\"name\": \"n\\u00e9{i}\", \"followers\": \"lots\", \"owner{}\": 1}}", i % 3)),
                2 => big.push_str("{\"brand\": \"no id\"}"),
                3 => big.push_str("  17 "),
                _ => big.push_str(&format!("{{\"authorizer_info\": {{\"user_name\": \"gh_{i}\"}}}}")),
            }
        }
        big.push_str("]}\n");
        let rows = read_json_parallel("t.json", &big, CTX, &Overrides::default(), &|_, _| {}, 0);
        assert!(
            matches!(rows, Some(Ok(_))),
            "the parallel reader must take this file"
        );
        same(&big);
        for text in [
            "[]",
            "[{\"id\": 1}]",
            "[1, 2]",
            "[{\"id\": 1},]",
            "[{\"id\": 1} {\"id\": 2}]",
            "[{\"id\": 1}] x",
            "{\"accounts\": [{\"id\": \"a\"}], \"company\": null}",
            "{\"accounts\": [{\"id\": \"a\"}], \"accounts\": []}",
            "{\"accounts\": {}}",
            "{\"company\": 3, \"accounts\": [{\"id\": \"a\"}]}",
            "{\"id\": \"solo\"}",
            "[{\"id\": \"a\\\"]\"}, {\"id\": [\"}\"]}]",
            "[{\"id\": \"a\"}, {\"id\": \"b\"]",
            "[\"\\",
        ] {
            same(text);
        }
    }

    #[test]
    fn parallel_and_sequential_readers_agree_on_mutations() {
        let seed = r#"{"company": {"targets": ["CN"]}, "accounts": [{"id": "gh_1", "audience": ["CN", "hk"]}, {"name": "B\"}", "x": {"a": [1, 2]}}, 3, {"authorizer_info": {"user_name": "gh_3"}}]}"#;
        let mut next = crate::test_random::xorshift(0x2545_F491_4F6C_DD1D);
        let alphabet = b"{}[],:\"\\ 1ax";
        for _ in 0..4000 {
            let mut b = seed.as_bytes().to_vec();
            for _ in 0..1 + next() % 3 {
                let at = (next() % b.len() as u64) as usize;
                b[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            if let Ok(text) = std::str::from_utf8(&b) {
                same(text);
            }
        }
    }
}
