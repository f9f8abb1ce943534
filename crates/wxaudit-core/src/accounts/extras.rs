//! The values of the columns the importer did not recognise ("extra" columns: an `owner`, a
//! `区域`, a team's own codes), column by column.
//!
//! Why it exists: kept as (header, value) pairs per row, the `owner` column of a million-row
//! export cost 39 bytes a row — the header's text again on every row, a 16-byte pair and the
//! value — though it held a dozen distinct addresses. Here each header is one column, and a
//! column's values are two-byte codes into a dictionary while it has at most 65,535 distinct
//! values (an owner, a region, a team), text in the store's arena past that (an internal id).
//!
//! Every row gives back exactly its pairs, in its order: a row whose headers come in column
//! order (every row of a spreadsheet or CSV file) is held in the columns; a row that repeats a
//! header or lists its headers in another order (a JSON object) keeps its pairs as written, in a
//! list aside. A row is in one place or the other, never both.

use super::{arena_str, put_text, Col, Dict, StoreFull, Str};
use crate::model::Text;
use std::collections::HashMap;

/// Past this many distinct values a column keeps its values as text (a dictionary of nearly
/// all-different values costs more than the text).
const DISTINCT_MAX: usize = u16::MAX as usize;

/// How many pairs a row may have to be held in the columns (more go aside, as written).
const ROW_MAX: usize = 32;

/// How many columns a store makes: reading a row's pairs visits every column, so a file whose
/// rows each bring headers of their own (JSON keys that are ids) keeps those rows aside.
const COLUMNS_MAX: usize = 64;

#[derive(Debug, Clone)]
enum Values {
    /// Codes into a dictionary of the column's values.
    Repeating(Dict<Text>),
    /// Each row's value in the arena.
    Distinct(Col<Str>),
}

impl Default for Values {
    fn default() -> Self {
        Values::Repeating(Dict::default())
    }
}

impl Values {
    fn get<'a>(&'a self, arena: &'a str, row: usize) -> Option<&'a str> {
        match self {
            Values::Repeating(d) => d.get(row).map(Text::as_str),
            Values::Distinct(c) => arena_str(arena, c.get(row)),
        }
    }

    /// Keeps the values as text from now on, if it is time to: once there are more distinct
    /// values than [`DISTINCT_MAX`], or always when `now`.
    fn settle(&mut self, arena: &mut String, now: bool) -> Result<(), StoreFull> {
        let Values::Repeating(d) = self else {
            return Ok(());
        };
        if !now && d.values.len() <= DISTINCT_MAX {
            return Ok(());
        }
        let rows = d.rows();
        let mut v = Vec::with_capacity(rows);
        for row in 0..rows {
            v.push(match d.get(row) {
                Some(t) => put_text(arena, t)?,
                None => Str::NONE,
            });
        }
        *self = Values::Distinct(Col { v });
        Ok(())
    }

    fn heap(&self) -> usize {
        match self {
            Values::Repeating(d) => d.heap(),
            Values::Distinct(c) => c.heap(),
        }
    }
}

/// The extra columns of a store (see the module doc).
#[derive(Debug, Clone, Default)]
pub(super) struct Extras {
    /// Header as written, one per column (a column's number is its place here).
    headers: Vec<Text>,
    index: HashMap<Text, usize, foldhash::fast::FixedState>,
    cols: Vec<Values>,
    /// The columns in reading order: every row held in the columns has its pairs in this
    /// order. A header first met after column `a` (and before `b`) in a row is placed right
    /// after `a`, so a spreadsheet's columns come in its order even when its first rows leave
    /// some blank.
    order: Vec<usize>,
    /// `rank[k]`: where column `k` is in `order`.
    rank: Vec<usize>,
    /// Row `i`'s pairs held aside are `aside[aside_end[i - 1]..aside_end[i]]`.
    aside_end: Col<u32>,
    aside: Vec<(Str, Str)>,
}

impl Extras {
    /// The column of `header`, if it has one. The column at reading place `guess` is checked
    /// first (after the previous pair's, where a spreadsheet row's next header nearly always
    /// is).
    fn find(&self, header: &str, guess: usize) -> Option<usize> {
        match self.order.get(guess) {
            Some(&k) if self.headers[k] == header => Some(k),
            _ => self.index.get(header).copied(),
        }
    }

    /// The columns for the `n` headers `header(0..n)`, a row's (or a joined store's) headers
    /// in their order, into `out`: the columns they have, new ones placed so that the order
    /// holds. None, and nothing placed, when they cannot be held in reading order: a known
    /// header out of it, a header twice, or more than [`COLUMNS_MAX`] columns.
    fn place<'h>(
        &mut self,
        n: usize,
        header: impl Fn(usize) -> &'h str,
        out: &mut [usize],
    ) -> Option<()> {
        // First look only: the known headers in reading order, the new ones each once.
        let (mut last, mut place, mut new) = (None, 0, 0);
        for i in 0..n {
            let h = header(i);
            match self.find(h, place) {
                Some(k) => {
                    if last.is_some_and(|r| self.rank[k] <= r) {
                        return None;
                    }
                    last = Some(self.rank[k]);
                    place = self.rank[k] + 1;
                }
                None if (0..i).any(|j| header(j) == h) => return None,
                None => new += 1,
            }
        }
        if self.headers.len() + new > COLUMNS_MAX {
            return None;
        }
        // Then place the new ones, each right after the pair before it.
        let mut place = 0;
        for (i, slot) in out[..n].iter_mut().enumerate() {
            let h = header(i);
            let k = match self.find(h, place) {
                Some(k) => k,
                None => {
                    let k = self.headers.len();
                    self.headers.push(Text::from(h));
                    self.index.insert(Text::from(h), k);
                    self.cols.push(Values::default());
                    self.order.insert(place, k);
                    self.rank.push(0);
                    for (r, &c) in self.order.iter().enumerate() {
                        self.rank[c] = r;
                    }
                    k
                }
            };
            *slot = k;
            place = self.rank[k] + 1;
        }
        Some(())
    }

    /// Adds row `row`'s pairs (headers as written, non-empty values).
    pub(super) fn push(
        &mut self,
        arena: &mut String,
        row: usize,
        pairs: &[(Text, Text)],
    ) -> Result<(), StoreFull> {
        if pairs.is_empty() {
            // No extra value in this row (the usual case): only its end in the side list.
            self.aside_end.push(row, self.aside.len() as u32);
            return Ok(());
        }
        let mut ks = [0usize; ROW_MAX];
        let fits = pairs.len() <= ROW_MAX
            && self
                .place(pairs.len(), |i| pairs[i].0.as_str(), &mut ks)
                .is_some();
        if fits {
            for (&k, (_, v)) in ks.iter().zip(pairs) {
                match &mut self.cols[k] {
                    Values::Repeating(d) => {
                        d.push_by(row, Some(v.as_str()), |s: &str| Text::from(s))
                    }
                    Values::Distinct(c) => c.push(row, put_text(arena, v)?),
                }
                self.cols[k].settle(arena, false)?;
            }
        } else {
            for (h, v) in pairs {
                let pair = (put_text(arena, h)?, put_text(arena, v)?);
                self.aside.push(pair);
            }
        }
        self.aside_end.push(row, self.aside.len() as u32);
        Ok(())
    }

    /// Appends `other`'s `other_len` rows to these `len` rows. `other`'s text is already in
    /// `arena`, where `moved` finds it.
    pub(super) fn append(
        &mut self,
        arena: &mut String,
        len: usize,
        mut other: Extras,
        other_len: usize,
        moved: impl Fn(Str) -> Str,
    ) -> Result<(), StoreFull> {
        let names: Vec<&str> = other
            .order
            .iter()
            .map(|&k| other.headers[k].as_str())
            .collect();
        let mut placed = vec![0; names.len()];
        let fits = self.place(names.len(), |i| names[i], &mut placed).is_some();
        drop(names);
        if !fits {
            // The columns come in another order here, or there are too many for both: each of
            // `other`'s rows is added as if read here, into the columns when it fits them.
            return self.push_rows(arena, len, &other, other_len, &moved);
        }
        // `placed` is in `other`'s reading order; `map[k]` is the column of other's `k`.
        let mut map = vec![0; other.cols.len()];
        for (&k, &to) in other.order.iter().zip(&placed) {
            map[k] = to;
        }
        let aside: Vec<(Str, Str)> = other
            .aside
            .iter()
            .map(|&(h, v)| (moved(h), moved(v)))
            .collect();
        let aside_end = std::mem::take(&mut other.aside_end);
        for (values, &k) in other.cols.drain(..).zip(&map) {
            self.append_column(arena, k, len, values, other_len, &moved)?;
        }
        let base = self.aside.len() as u32;
        self.aside_end.append_ends(len, aside_end, other_len, base);
        self.aside.extend(aside);
        Ok(())
    }

    /// Adds `other`'s rows one by one after these `len` rows, as [`Extras::push`] does (its
    /// text, in `arena` already, is found with `moved`).
    fn push_rows(
        &mut self,
        arena: &mut String,
        len: usize,
        other: &Extras,
        rows: usize,
        moved: &impl Fn(Str) -> Str,
    ) -> Result<(), StoreFull> {
        let mut pairs: Vec<(Text, Text)> = Vec::new();
        for row in 0..rows {
            pairs.clear();
            let text = |s: Str| Text::from(arena_str(arena, moved(s)).unwrap_or_default());
            pairs.extend(other.aside(row).iter().map(|&(h, v)| (text(h), text(v))));
            for &k in &other.order {
                let v = match &other.cols[k] {
                    Values::Repeating(d) => d.get(row).cloned(),
                    Values::Distinct(c) => arena_str(arena, moved(c.get(row))).map(Text::from),
                };
                if let Some(v) = v {
                    pairs.push((other.headers[k].clone(), v));
                }
            }
            self.push(arena, len + row, &pairs)?;
        }
        Ok(())
    }

    fn append_column(
        &mut self,
        arena: &mut String,
        k: usize,
        len: usize,
        mut values: Values,
        other_len: usize,
        moved: &impl Fn(Str) -> Str,
    ) -> Result<(), StoreFull> {
        if let (Values::Repeating(a), Values::Repeating(b)) = (&mut self.cols[k], &mut values) {
            a.append(len, std::mem::take(b), other_len);
            return self.cols[k].settle(arena, false);
        }
        // One side keeps text: both do. Text made here for `values` is in place already.
        let made_here = matches!(values, Values::Repeating(_));
        values.settle(arena, true)?;
        self.cols[k].settle(arena, true)?;
        let (Values::Distinct(a), Values::Distinct(b)) = (&mut self.cols[k], values) else {
            unreachable!("both settled as text above");
        };
        if made_here {
            a.append(len, b, other_len, |s| s);
        } else {
            a.append(len, b, other_len, moved);
        }
        Ok(())
    }

    /// Row `row`'s pairs held aside, as handles into the arena.
    pub(super) fn aside(&self, row: usize) -> &[(Str, Str)] {
        &self.aside[self.aside_end.span(row)]
    }

    /// Row `row`'s pairs held in the columns, in column order.
    pub(super) fn in_columns<'a>(
        &'a self,
        arena: &'a str,
        row: usize,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.order.iter().filter_map(move |&k| {
            let v = self.cols[k].get(arena, row)?;
            Some((self.headers[k].as_str(), v))
        })
    }

    pub(super) fn shrink(&mut self) {
        for values in &mut self.cols {
            match values {
                Values::Repeating(d) => d.shrink(),
                Values::Distinct(c) => c.shrink(),
            }
        }
        self.aside.shrink_to_fit();
        self.aside_end.shrink();
    }

    /// Heap bytes, and the arena bytes this part's text takes.
    pub(super) fn heap(&self) -> (usize, usize) {
        let in_arena = self
            .aside
            .iter()
            .map(|(h, v)| h.len as usize + v.len as usize)
            .sum::<usize>()
            + self
                .cols
                .iter()
                .map(|values| match values {
                    Values::Distinct(c) => c.text_len(),
                    Values::Repeating(_) => 0,
                })
                .sum::<usize>();
        let own = self.cols.iter().map(Values::heap).sum::<usize>()
            + self.headers.capacity() * std::mem::size_of::<Text>()
            + self.aside.capacity() * std::mem::size_of::<(Str, Str)>()
            + self.aside_end.heap();
        (own, in_arena)
    }
}

#[cfg(test)]
mod tests {
    use crate::accounts::Accounts;
    use crate::model::{Account, Text};

    /// Deterministic accounts whose extras are what importers give: the headers of a file in
    /// file order with some blanks; JSON objects with their keys in other orders; a header
    /// twice; more pairs than a row may hold in the columns; a column of nearly all-different
    /// values (past the dictionary's limit) and one of a few repeating values.
    fn accounts(n: usize) -> Vec<Account> {
        let mut next = crate::test_random::xorshift(0x2545_f491_4f6c_dd1d);
        let headers = ["owner", "区域", "team", "internal id", "备注"];
        (0..n)
            .map(|i| {
                let r = next();
                let mut extra: Vec<(Text, Text)> = Vec::new();
                for (k, h) in headers.iter().enumerate() {
                    if (r >> k) & 3 == 0 && *h != "internal id" {
                        continue; // a blank cell
                    }
                    let v = match *h {
                        "internal id" => format!("id-{i}"),
                        "owner" => format!("person{}@acme.example", r % 7),
                        _ => format!("{h} {}", (r >> 20) % 3),
                    };
                    extra.push((Text::from(*h), Text::from(v)));
                }
                match r % 23 {
                    0 => extra.reverse(),
                    1 if !extra.is_empty() => extra.push(extra[0].clone()),
                    2 => extra
                        .extend((0..40).map(|j| (Text::from(format!("k{j}")), Text::from("v")))),
                    3 => extra.insert(0, (Text::from(format!("only {i}")), Text::from("x"))),
                    4 => extra.push((Text::from(format!("tail {i}")), Text::from("y"))),
                    _ => {}
                }
                Account {
                    line: i as u64 + 2,
                    id: Some(Text::from(format!("gh_{i}"))),
                    extra,
                    ..Account::default()
                }
            })
            .collect()
    }

    /// Whether `store` holds `header`'s values as text (past the dictionary's limit).
    fn as_text(store: &Accounts, header: &str) -> bool {
        let e = &store.extras;
        let k = e.headers.iter().position(|h| h == header).unwrap();
        matches!(e.cols[k], super::Values::Distinct(_))
    }

    fn pairs(store: &Accounts, i: usize) -> Vec<(String, String)> {
        store
            .at(i)
            .extra()
            .iter()
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect()
    }

    /// Row `i` of `store` reads back `a`'s pairs (checked without allocating: 90,000 rows).
    fn same(store: &Accounts, i: usize, a: &Account) -> bool {
        let written = a.extra.iter().map(|(h, v)| (h.as_str(), v.as_str()));
        store.at(i).extra().iter().eq(written)
    }

    fn written(a: &Account) -> Vec<(String, String)> {
        a.extra
            .iter()
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect()
    }

    /// Every row gives back exactly its pairs in its order, from one store or from stores
    /// joined at any cut (each batch meeting the headers in its own order).
    #[test]
    fn every_row_gives_back_its_pairs_in_its_order() {
        let all = accounts(90_000);
        let one = Accounts::from(all.clone());
        for (i, a) in all.iter().enumerate() {
            assert!(same(&one, i, a), "row {i}: {:?}", pairs(&one, i));
            assert_eq!(one.at(i).extra().len(), a.extra.len(), "row {i}");
        }
        assert!(as_text(&one, "internal id") && !as_text(&one, "owner"));
        for cuts in [vec![1, 3, 4], vec![100, 30_000, 30_001], vec![89_999]] {
            let mut joined = Accounts::new();
            let mut from = 0;
            for &cut in cuts.iter().chain([&all.len()]) {
                joined
                    .append(Accounts::from(all[from..cut].to_vec()))
                    .unwrap();
                from = cut;
            }
            for (i, a) in all.iter().enumerate() {
                assert!(
                    same(&joined, i, a),
                    "cuts {cuts:?}, row {i}: {:?}",
                    pairs(&joined, i)
                );
            }
            assert!(as_text(&joined, "internal id") && !as_text(&joined, "owner"));
        }
    }

    /// A batch that met the headers in another order (a JSON file read on two threads) is
    /// joined without its rows reading back in the other batch's order.
    #[test]
    fn batches_that_met_the_headers_in_other_orders_join() {
        let row = |line: u64, extra: &[(&str, &str)]| Account {
            line,
            id: Some(Text::from(format!("gh_{line}"))),
            extra: extra
                .iter()
                .map(|(h, v)| (Text::from(*h), Text::from(*v)))
                .collect(),
            ..Account::default()
        };
        let first = vec![row(1, &[("a", "1"), ("b", "2")]), row(2, &[("b", "3")])];
        let second = vec![
            row(3, &[("b", "4"), ("a", "5")]),
            row(4, &[("b", "6")]),
            row(5, &[("a", "7")]),
            row(6, &[]),
            row(7, &[("b", "8"), ("b", "9")]),
        ];
        let mut joined = Accounts::from(first.clone());
        joined.append(Accounts::from(second.clone())).unwrap();
        for (i, a) in first.iter().chain(&second).enumerate() {
            assert_eq!(pairs(&joined, i), written(a), "row {i}");
        }
        assert!(joined.at(5).extra().is_empty());
    }

    /// An owner column repeated on a million rows costs its codes, not its text per row.
    #[test]
    fn a_repeating_column_is_held_as_codes() {
        let rows: Vec<Account> = (0..10_000u64)
            .map(|i| Account {
                line: i + 2,
                id: Some(Text::from("gh_1")),
                extra: vec![(
                    Text::from("owner"),
                    Text::from(format!("person{}@acme.example", i % 5)),
                )],
                ..Account::default()
            })
            .collect();
        let store = Accounts::from(rows);
        let (_, bytes) = store
            .heap_parts()
            .into_iter()
            .find(|(name, _)| *name == "extra columns")
            .unwrap();
        assert!(bytes < 10_000 * 3, "{bytes} bytes for 10,000 rows");
        assert_eq!(
            pairs(&store, 9_999),
            [("owner".to_string(), "person4@acme.example".to_string())]
        );
    }
}
