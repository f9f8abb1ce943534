//! The header row → what each field position means, for every table reader (CSV, workbooks) and
//! for JSON keys: the alias table, the user's own mappings (`--column "HEADER=column"`, the
//! `[columns]` table of `wxaudit.toml`), the precedence when two headers mean one column, and
//! the [`ColumnUse`] record that reports show.
//!
//! It is one module so that a header means the same thing in every form, and so that the record
//! of what was understood is made where the decision is made.

use super::headers::{self, MatchKind};
use super::info::ColumnUse;
use super::ImportError;
use crate::model::{Column, ColumnSet, Text};
use std::collections::HashMap;

/// What the user said a header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Column(Column),
    /// Keep the values as an extra field, not as any column.
    Ignore,
}

/// The user's header mappings, by folded header.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    map: HashMap<String, (String, Target)>,
}

impl Overrides {
    /// Parses `HEADER=column` pairs (`column` a canonical name, a known spelling, or `ignore`).
    /// `source` names where they came from, for messages (`--column`, `wxaudit.toml [columns]`).
    pub fn parse(pairs: &[(String, String)], source: &str) -> Result<Overrides, ImportError> {
        let mut map = HashMap::new();
        for (header, column) in pairs {
            let key = headers::fold_header(header);
            if key.is_empty() {
                return Err(ImportError::invalid(source, format!("the mapping \"{header}={column}\" names no header; write it as \"HEADER=column\", e.g. \"Admin Portal=portal\""
                )));
            }
            let target = match column.trim() {
                c if c.eq_ignore_ascii_case("ignore") || c == "-" => Target::Ignore,
                c => match headers::column_named(c) {
                    Some(col) => Target::Column(col),
                    None => {
                        let names: Vec<&str> = Column::ALL.iter().map(|c| c.as_str()).collect();
                        return Err(ImportError::invalid(source, format!("\"{header}={column}\": `{c}` is not a column; use one of {} (or `ignore`)",
                            names.join(", ")
                        )));
                    }
                },
            };
            map.insert(key, (header.trim().to_string(), target));
        }
        Ok(Overrides { map })
    }

    /// Adds `other`'s mappings over these (command line over configuration file).
    pub fn extend(&mut self, other: Overrides) {
        self.map.extend(other.map);
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn get(&self, header: &str) -> Option<Target> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&headers::fold_header(header)).map(|(_, t)| *t)
    }

    /// Notes for mappings that matched none of `headers` (a shared wxaudit.toml may name
    /// columns that only some files have).
    pub fn unmatched<'a>(&'a self, headers: &'a [ColumnUse]) -> impl Iterator<Item = String> + 'a {
        let seen: std::collections::HashSet<String> = headers
            .iter()
            .map(|c| headers::fold_header(&c.header))
            .collect();
        let mut out: Vec<&(String, Target)> = self
            .map
            .iter()
            .filter(|(k, _)| !seen.contains(*k))
            .map(|(_, v)| v)
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.into_iter().map(|(h, t)| {
            let t = match t {
                Target::Column(c) => c.as_str(),
                Target::Ignore => "ignore",
            };
            format!("the mapping \"{h}={t}\" matched no header of this file")
        })
    }
}

/// What a field position means.
#[derive(Debug, Clone)]
pub(crate) enum Slot {
    /// A canonical column; the factor its values are scaled by (`粉丝数(万)`).
    Col(Column, Option<u64>),
    /// Unknown, duplicate or user-ignored column: header as written.
    Extra(Text),
    /// Column with an empty header: values (rare) are kept under "(column N)".
    Unnamed(Text),
}

/// The meaning of a header row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mapping {
    pub slots: Vec<Slot>,
    /// One per header, in order (empty headers whose column held no value are dropped later).
    pub uses: Vec<ColumnUse>,
    pub columns: ColumnSet,
    /// The headers as written (trimmed), to recognise the header row repeated further down.
    pub header_cells: Vec<String>,
    /// Field positions of the identifier columns (`id`, `wechat_id`).
    pub id_positions: Vec<usize>,
}

impl Mapping {
    /// Once every row is read: the headers of columns kept as extra fields, in file order
    /// (an empty header only when its column held a value, `unnamed_used[i]`), and the same
    /// pruning of the report's `uses`.
    pub fn finish(&mut self, unnamed_used: &[bool]) -> Vec<String> {
        let used = |i: usize| unnamed_used.get(i).copied().unwrap_or(false);
        let mut extra = Vec::new();
        for (i, s) in self.slots.iter().enumerate() {
            match s {
                Slot::Extra(h) => extra.push(h.to_string()),
                Slot::Unnamed(h) if used(i) => extra.push(h.to_string()),
                _ => {}
            }
        }
        let mut i = 0;
        self.uses.retain(|u| {
            i += 1;
            !u.header.is_empty() || used(i - 1)
        });
        for u in self.uses.iter_mut().filter(|u| u.header.is_empty()) {
            u.header = format!("(column {})", u.position);
        }
        extra
    }

    /// True when the header identifies accounts (an id, a WeChat ID or a name).
    pub fn identifies(&self) -> bool {
        [Column::Id, Column::WechatId, Column::Name]
            .iter()
            .any(|c| self.columns.contains(*c))
    }
}

/// Trims what Excel and pasted text leave around a header or value: whitespace (including
/// no-break spaces), zero-width spaces and joiners, BOMs.
pub(crate) fn trim_cell(s: &str) -> &str {
    // Fast path for the usual cell: it starts and ends with a visible ASCII character or a CJK
    // ideograph (U+4000–U+9FFF, lead bytes E4–E9, none of which is a space or invisible; the
    // ideographic space U+3000 leads with E3), so nothing is trimmed.
    let b = s.as_bytes();
    let cjk = |lead: u8| (0xe4..=0xe9).contains(&lead);
    let visible_start = b.first().is_some_and(|&x| x.is_ascii_graphic() || cjk(x));
    let visible_end = match b {
        [.., x] if x.is_ascii_graphic() => true,
        // E4–E9 never continue a character: three bytes from the end, it starts the last one.
        [.., lead, _, _] => cjk(*lead),
        _ => false,
    };
    if visible_start && visible_end {
        return s;
    }
    s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
            )
    })
}

/// How one header is read: the user's mapping first, else the alias table.
pub(crate) fn resolve(header: &str, overrides: &Overrides) -> (Option<headers::HeaderMatch>, bool) {
    match overrides.get(header) {
        Some(Target::Column(c)) => (
            Some(headers::HeaderMatch {
                column: c,
                kind: MatchKind::User,
                scale: headers::match_header(header)
                    .filter(|m| m.column == c)
                    .and_then(|m| m.scale),
            }),
            false,
        ),
        Some(Target::Ignore) => (None, true),
        None => (headers::match_header(header), false),
    }
}

/// Unknown headers (or JSON keys) for which a suggestion is worked out at most: each compares
/// with every alias, so a file with thousands of unknown names is not slowed down by them.
pub(crate) const MAX_SUGGESTIONS: usize = 200;

/// Columns in a table, or distinct keys in a JSON document, at most: a real inventory has a few
/// dozen; more than this is a wrong file (or a transposed one) and is refused with a clear error.
pub const MAX_COLUMNS: usize = 10_000;

/// The error for a file wider than [`MAX_COLUMNS`]: names the file, the count and the limit.
pub(crate) fn too_wide(name: &str, what: &str, count: usize) -> ImportError {
    ImportError::invalid(
        name,
        format!(
            "the file has {count} {what}, more than the {MAX_COLUMNS} any inventory needs; \
         check that this is the account inventory (one account per row, one column per field), \
         or that it was not saved transposed"
        ),
    )
}

/// Maps a header row. Two headers for one column never fail: the stronger match wins (the
/// user's mapping, then the column's own name, then a known spelling, then one with a note in
/// brackets), the leftmost among equals; the other is kept as an extra field and reported.
pub(crate) fn map_headers<S: AsRef<str>>(headers: &[S], overrides: &Overrides) -> Mapping {
    let mut suggested = 0;
    let mut m = Mapping::default();
    let mut matches = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let h = trim_cell(h.as_ref());
        m.header_cells.push(h.to_string());
        let pos = (i + 1).min(u32::MAX as usize) as u32;
        let mut used = ColumnUse::unknown(h, pos);
        if h.is_empty() {
            matches.push(None);
            m.uses.push(used);
            continue;
        }
        let (hm, ignored) = resolve(h, overrides);
        used.ignored_by_user = ignored;
        // Suggestions compare with every alias: bounded, for files with absurd headers.
        if hm.is_none() && !ignored && suggested < MAX_SUGGESTIONS {
            suggested += 1;
            used.suggestion = headers::suggest(h);
        }
        matches.push(hm);
        m.uses.push(used);
    }
    // The winner of each column: strongest kind, then leftmost.
    let mut winner: HashMap<Column, usize> = HashMap::new();
    for (i, hm) in matches.iter().enumerate() {
        if let Some(hm) = hm {
            winner
                .entry(hm.column)
                .and_modify(|w| {
                    if matches[*w].is_some_and(|prev| hm.kind < prev.kind) {
                        *w = i;
                    }
                })
                .or_insert(i);
        }
    }
    for (i, hm) in matches.iter().enumerate() {
        let header = m.header_cells[i].clone();
        let slot = match hm {
            _ if header.is_empty() => Slot::Unnamed(Text::from(format!("(column {})", i + 1))),
            Some(hm) if winner.get(&hm.column) == Some(&i) => {
                let u = &mut m.uses[i];
                u.column = Some(hm.column);
                u.matched = Some(hm.kind);
                u.scale = hm.scale;
                m.columns.insert(hm.column);
                if matches!(hm.column, Column::Id | Column::WechatId) {
                    m.id_positions.push(i);
                }
                Slot::Col(hm.column, hm.scale)
            }
            Some(hm) => {
                let w = winner[&hm.column];
                m.uses[i].duplicate_of = Some(m.header_cells[w].clone());
                m.uses[i].suggestion = Some(hm.column);
                Slot::Extra(Text::from(header))
            }
            None => Slot::Extra(Text::from(header)),
        };
        m.slots.push(slot);
    }
    m
}

/// For "no column identifies the accounts": the headers that look like an identifying column,
/// as the mappings that would read them (`; "Account" may be `name`: --column "Account=name"`).
pub(crate) fn identifying_suggestions(m: &Mapping) -> String {
    let ident = [Column::Id, Column::WechatId, Column::Name];
    let hints: Vec<String> = m
        .uses
        .iter()
        .filter_map(|u| {
            let c = u.suggestion.filter(|c| ident.contains(c))?;
            Some(format!(
                "\"{}\" may be `{c}`: --column \"{}={c}\"",
                u.header, u.header
            ))
        })
        .take(3)
        .collect();
    if hints.is_empty() {
        String::new()
    } else {
        format!("; {}", hints.join("; "))
    }
}

/// Whether a row of cells could be a header: it names an identifying column.
pub(crate) fn names_identifier<S: AsRef<str>>(cells: &[S], overrides: &Overrides) -> bool {
    cells.iter().any(|c| {
        let c = trim_cell(c.as_ref());
        !c.is_empty()
            && c.len() <= 80
            && matches!(
                resolve(c, overrides).0.map(|m| m.column),
                Some(Column::Id | Column::WechatId | Column::Name)
            )
    })
}

/// How many distinct known columns a row of cells names (0 for a title or data row).
pub(crate) fn header_score<S: AsRef<str>>(cells: &[S], overrides: &Overrides) -> usize {
    let mut seen = ColumnSet::default();
    let mut n = 0;
    for c in cells {
        let c = trim_cell(c.as_ref());
        // A header is short; long cells are titles, notes or data.
        if c.is_empty() || c.len() > 80 {
            continue;
        }
        if let (Some(hm), _) = resolve(c, overrides) {
            if !seen.contains(hm.column) {
                seen.insert(hm.column);
                n += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`trim_cell`] is defined as, without its fast path.
    fn trimmed_by_definition(s: &str) -> &str {
        s.trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
                )
        })
    }

    #[test]
    fn cells_are_trimmed_of_spaces_and_invisible_characters_only() {
        for s in [
            "阿克米茶饮",
            "\u{3000}阿克米\u{3000}",
            "阿克米 ",
            " 莲花 美妆",
            "\u{feff}茶",
            "茶\u{200b}",
            "gh_1\u{a0}",
            "ＡＣＭＥ",
            "",
        ] {
            assert_eq!(trim_cell(s), trimmed_by_definition(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_cell_is_trimmed_as_defined(s in "[ \u{3000}\u{a0}\u{feff}\u{200b}a茶é\u{9fff}\u{4000}\u{3fff}]{0,6}") {
            proptest::prop_assert_eq!(trim_cell(&s), trimmed_by_definition(&s));
        }
    }

    fn cols(m: &Mapping) -> Vec<Option<Column>> {
        m.uses.iter().map(|u| u.column).collect()
    }

    #[test]
    fn headers_as_people_write_them() {
        let h = [
            "Admin Portal",
            "Verified?",
            "brandName",
            "账号类型（订阅号/服务号）",
            "粉丝数(万)",
            "最近发文日期",
            "主体",
        ];
        let m = map_headers(&h, &Overrides::default());
        assert_eq!(
            cols(&m),
            [
                Some(Column::Portal),
                Some(Column::Verified),
                Some(Column::Brand),
                Some(Column::Type),
                Some(Column::Followers),
                Some(Column::LastActive),
                Some(Column::EntityName),
            ]
        );
        assert_eq!(m.uses[4].scale, Some(10_000));
        assert_eq!(m.uses[3].matched, Some(MatchKind::Annotated));
        let m = map_headers(
            &["认证状态（是/否）", "认证", "粉丝量"],
            &Overrides::default(),
        );
        // 认证 (a known spelling) outranks 认证状态 with a note in brackets.
        assert_eq!(
            cols(&m),
            [None, Some(Column::Verified), Some(Column::Followers)]
        );
        assert_eq!(m.uses[0].duplicate_of.as_deref(), Some("认证"));
    }

    #[test]
    fn wechat_id_and_original_id_are_two_columns() {
        let m = map_headers(&["公众号名称", "微信号", "原始ID"], &Overrides::default());
        assert_eq!(
            cols(&m),
            [Some(Column::Name), Some(Column::WechatId), Some(Column::Id)]
        );
    }

    #[test]
    fn two_headers_for_one_column_keep_the_first_and_say_so() {
        let m = map_headers(&["账号名称", "公众号名称", "id"], &Overrides::default());
        assert_eq!(cols(&m), [Some(Column::Name), None, Some(Column::Id)]);
        assert_eq!(m.uses[1].duplicate_of.as_deref(), Some("账号名称"));
        assert!(matches!(&m.slots[1], Slot::Extra(h) if h == "公众号名称"));
    }

    #[test]
    fn the_users_mapping_wins_and_unknown_headers_get_a_suggestion() {
        let o = Overrides::parse(
            &[
                ("Owner Team".into(), "brand".into()),
                ("Name".into(), "ignore".into()),
            ],
            "--column",
        )
        .unwrap();
        let m = map_headers(&["Owner Team", "Name", "Follwers", "账号昵称"], &o);
        assert_eq!(m.uses[0].column, Some(Column::Brand));
        assert_eq!(m.uses[0].matched, Some(MatchKind::User));
        assert!(m.uses[1].ignored_by_user && m.uses[1].column.is_none());
        assert_eq!(m.uses[2].column, None);
        assert_eq!(m.uses[2].suggestion, Some(Column::Followers));
        assert_eq!(m.uses[3].suggestion, Some(Column::Name));
    }

    #[test]
    fn a_mapping_to_no_column_is_an_error_naming_it() {
        let e = Overrides::parse(&[("X".into(), "teleport".into())], "--column").unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("`teleport` is not a column"), "{msg}");
        assert!(msg.contains("portal"), "{msg}");
    }

    #[test]
    fn title_rows_score_zero_and_headers_score_their_columns() {
        let o = Overrides::default();
        assert_eq!(header_score(&["Acme 公众号清单 2026Q3", "", ""], &o), 0);
        assert_eq!(header_score(&["账号名称", "原始ID", "类型", "备注"], &o), 4);
    }
}
