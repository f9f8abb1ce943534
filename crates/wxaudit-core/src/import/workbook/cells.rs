//! A sheet's cells as this module keeps them: calamine's values turned into typed [`Cell`]s
//! (integers as integers, dates as dates, times as text), stored at their sheet positions with
//! the row, column and cell limits checked as each arrives, merged regions copied in, and the
//! result trimmed to the used rows and columns.
//!
//! The limits are checked here, while reading, because a sheet's declared size is not trusted:
//! only cells actually present count, and reading stops at the first one past a limit.

use super::super::cell::Cell;
use super::fail::Fail;
use super::wording::{column_letters, thousands};
use super::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use calamine::{Data, DataRef, Dimensions};

/// Cells collected at their sheet positions, within the limits.
pub(super) struct Cells {
    sheet: String,
    /// Collect only this many rows from the first one holding a value.
    head: Option<usize>,
    /// Sheet row of `rows[0]` (meaningful once `rows` is not empty).
    base: u32,
    /// Rows from `base`, indexed by absolute column (trimmed in `finish`).
    rows: Vec<Vec<Cell>>,
    min_col: u32,
    max_col: u32,
    /// Cell slots held (row lengths summed), for [`MAX_CELLS`].
    slots: u64,
}

impl Cells {
    /// Cells of sheet `sheet` (named in size errors): all of them, or (`head`) those of the
    /// first `head` rows from its first row holding a value.
    pub(super) fn new(sheet: &str, head: Option<usize>) -> Self {
        Cells {
            sheet: sheet.to_string(),
            head,
            base: 0,
            rows: Vec::new(),
            min_col: 0,
            max_col: 0,
            slots: 0,
        }
    }

    /// Whether no cell holds a value.
    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// (last sheet row, last column) holding a value; None when no cell does.
    pub(super) fn extent(&self) -> Option<(u32, u32)> {
        let last = self.rows.len().checked_sub(1)?;
        Some((self.base + last as u32, self.max_col))
    }

    fn too_large(&self, what: String) -> Fail {
        Fail::TooLarge(Some(self.sheet.clone()), what)
    }

    /// Stores the cells a calamine cell reader yields (`next` gives the next one), until it
    /// ends or the `head` rows are complete.
    pub(super) fn put_all<'a>(
        &mut self,
        mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, Fail>,
    ) -> Result<(), Fail> {
        while let Some(c) = next()? {
            let (row, col) = c.get_position();
            if let Some(cell) = from_data_ref(c.get_value()) {
                if !self.put(row, col, cell)? {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Stores the cells of a range calamine has read, until the `head` rows are complete.
    pub(super) fn put_range(&mut self, range: &calamine::Range<Data>) -> Result<(), Fail> {
        let Some((r0, c0)) = range.start() else {
            return Ok(());
        };
        for (i, row) in range.rows().enumerate() {
            for (j, v) in row.iter().enumerate() {
                if let Some(cell) = from_data(v) {
                    if !self.put(r0 + i as u32, c0 + j as u32, cell)? {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    /// Stores a non-empty cell at sheet position (`row`, `col`). Ok(false): the `head` rows are
    /// complete, stop reading.
    fn put(&mut self, row: u32, col: u32, cell: Cell) -> Result<bool, Fail> {
        if u64::from(col) >= MAX_COLUMNS {
            return Err(self.too_large(format!(
                "it has a value in column {} (column number {})",
                column_letters(col),
                thousands(u64::from(col) + 1)
            )));
        }
        if self.rows.is_empty() {
            self.base = row;
            self.rows.push(Vec::new());
            self.min_col = col;
            self.max_col = col;
        } else if row < self.base {
            // Rows out of order (allowed in xlsx): grow upwards.
            let extra = (self.base - row) as usize;
            self.check_rows(self.rows.len() + extra, row)?;
            self.rows.splice(0..0, (0..extra).map(|_| Vec::new()));
            self.base = row;
        } else {
            let idx = (row - self.base) as usize;
            if self.head.is_some_and(|h| idx >= h) {
                return Ok(false);
            }
            if idx >= self.rows.len() {
                self.check_rows(idx + 1, row)?;
                self.rows.resize_with(idx + 1, Vec::new);
            }
        }
        self.min_col = self.min_col.min(col);
        self.max_col = self.max_col.max(col);
        let idx = (row - self.base) as usize;
        let col = col as usize;
        let len = self.rows[idx].len();
        if col >= len {
            self.grow(idx, col + 1 - len)?;
        }
        self.rows[idx][col] = cell;
        Ok(true)
    }

    fn check_rows(&self, span: usize, row: u32) -> Result<(), Fail> {
        if span as u64 > MAX_ROWS {
            let (a, b) = (self.base.min(row), self.base.max(row));
            return Err(self.too_large(format!(
                "its values span more than {} rows (row {} to row {})",
                thousands(MAX_ROWS),
                thousands(u64::from(a) + 1),
                thousands(u64::from(b) + 1)
            )));
        }
        Ok(())
    }

    /// Extends row `idx` by `by` empty cells.
    fn grow(&mut self, idx: usize, by: usize) -> Result<(), Fail> {
        self.slots += by as u64;
        if self.slots > MAX_CELLS {
            return Err(
                self.too_large(format!("it holds more than {} cells", thousands(MAX_CELLS)))
            );
        }
        let row = &mut self.rows[idx];
        row.resize(row.len() + by, Cell::Empty);
        Ok(())
    }

    /// Copies each region's top-left value into its other cells (clipped to the used cells).
    /// Returns the number of regions applied.
    pub(super) fn apply_merges(&mut self, regions: &[Dimensions]) -> Result<usize, Fail> {
        if self.rows.is_empty() {
            return Ok(0);
        }
        let last_row = self.base + (self.rows.len() - 1) as u32;
        let mut applied = 0;
        let mut written = 0u64;
        for d in regions {
            let ((r0, c0), (r1, c1)) = (d.start, d.end);
            if r1 < r0 || c1 < c0 || r0 < self.base || r0 > last_row {
                continue;
            }
            if c0 < self.min_col || c0 > self.max_col {
                continue;
            }
            let (r1, c1) = (r1.min(last_row), c1.min(self.max_col));
            if (r0, c0) == (r1, c1) {
                continue;
            }
            let top = (r0 - self.base) as usize;
            let value = match self.rows[top].get(c0 as usize) {
                Some(v) if !v.is_blank() => v.clone(),
                _ => continue,
            };
            written += u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if written > MAX_CELLS {
                return Err(self.too_large(format!(
                    "its merged cells cover more than {} cells",
                    thousands(MAX_CELLS)
                )));
            }
            for r in r0..=r1 {
                let idx = (r - self.base) as usize;
                let len = self.rows[idx].len();
                if c1 as usize >= len {
                    self.grow(idx, c1 as usize + 1 - len)?;
                }
                let row = &mut self.rows[idx];
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        row[c as usize] = value.clone();
                    }
                }
            }
            applied += 1;
        }
        Ok(applied)
    }

    /// (sheet row of the first row, rows from the leftmost used column).
    pub(super) fn finish(mut self) -> (u32, Vec<Vec<Cell>>) {
        if let Some(h) = self.head {
            self.rows.truncate(h);
        }
        let skip = self.min_col as usize;
        if skip > 0 {
            for row in &mut self.rows {
                row.drain(..skip.min(row.len()));
            }
        }
        (self.base, self.rows)
    }
}

/// A number cell: an integer when it holds one exactly (Excel stores every number as a float).
fn number(f: f64) -> Cell {
    // 2^63 is exact as f64; every integral float in [-2^63, 2^63) converts to i64 exactly.
    if f.is_finite()
        && f.fract() == 0.0
        && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
    {
        Cell::Int(f as i64)
    } else {
        Cell::Float(f)
    }
}

/// A date/time cell: a date, or text for a time of day or a duration (`12:30:00`, `36:00:00`).
fn date_time(dt: &calamine::ExcelDateTime) -> Cell {
    let v = dt.as_f64();
    // Within Excel's calendar (9999-12-31 is serial 2,958,465); calamine's conversion panics
    // far outside it.
    if !(v.is_finite() && (0.0..2_958_466.0).contains(&v)) {
        return number(v);
    }
    if dt.is_duration() || v < 1.0 {
        return Cell::Text(clock(v));
    }
    match dt.as_datetime() {
        Some(d) => Cell::Date(d.date()),
        None => number(v),
    }
}

/// `h:mm:ss` of a fraction of days.
fn clock(days: f64) -> String {
    let secs = (days * 86_400.0).round() as i64;
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// An ISO date or date-time (ODS date cells) as a date; anything else as text.
fn date_iso(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .filter(|_| s.len() == 10 || s.as_bytes()[10] == b'T' || s.as_bytes()[10] == b' ')
        .map_or_else(|| Cell::Text(s.to_string()), Cell::Date)
}

fn text(s: &str) -> Option<Cell> {
    (!s.is_empty()).then(|| Cell::Text(s.to_string()))
}

/// A value from a cell reader (xlsx, xlsb). The arms match [`from_data`]'s; calamine's two
/// value types have no common trait, and converting one into the other would copy every string.
fn from_data_ref(v: &DataRef<'_>) -> Option<Cell> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => return text(s),
        DataRef::SharedString(s) => return text(s),
        DataRef::Int(i) => Cell::Int(*i),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => date_iso(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    })
}

/// A value from a range (xls, ods).
fn from_data(v: &Data) -> Option<Cell> {
    Some(match v {
        Data::Empty => return None,
        Data::String(s) => return text(s),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) => date_iso(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::text;
    use super::super::wording::{human_bytes, truncate};
    use super::super::xml::unescape_xml;
    use super::*;

    #[test]
    fn limits_are_checked_while_reading() {
        let mut cells = Cells::new("Big", None);
        assert!(cells.put(0, 0, text("id")).unwrap());
        let e = cells
            .put(MAX_ROWS as u32, 0, text("x"))
            .expect_err("too many rows");
        assert!(
            matches!(&e, Fail::TooLarge(Some(s), w) if s == "Big" && w.contains("5,000,000 rows")),
            "{e:?}"
        );
        let e = cells
            .put(1, MAX_COLUMNS as u32, text("x"))
            .expect_err("too many columns");
        assert!(
            matches!(&e, Fail::TooLarge(_, w) if w.contains("column ACOG")),
            "{e:?}"
        );
        let msg = e.into_error("big.xlsx").to_string();
        assert!(
            msg.starts_with("big.xlsx: sheet \"Big\" is too large to import"),
            "{msg}"
        );

        // Probing stops after HEAD_ROWS rows.
        let mut head = Cells::new("Notes", Some(2));
        assert!(head.put(4, 0, text("a")).unwrap());
        assert!(head.put(5, 0, text("b")).unwrap());
        assert!(!head.put(6, 0, text("c")).unwrap());
        assert_eq!(head.finish(), (4, vec![vec![text("a")], vec![text("b")]]));
    }

    #[test]
    fn merges_are_clipped_to_the_used_cells() {
        let mut cells = Cells::new("S", None);
        cells.put(0, 0, text("brand")).unwrap();
        cells.put(1, 0, text("Lotus")).unwrap();
        cells.put(1, 1, text("gh_1")).unwrap();
        // A whole-column merge and one whose top-left is empty.
        let regions = [
            Dimensions::new((1, 0), (1_048_575, 0)),
            Dimensions::new((0, 1), (0, 16_383)),
        ];
        assert_eq!(cells.apply_merges(&regions).unwrap(), 0);
        cells.put(2, 1, text("gh_2")).unwrap();
        assert_eq!(cells.apply_merges(&regions).unwrap(), 1);
        let (_, rows) = cells.finish();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], vec![text("Lotus"), text("gh_2")]);
        assert_eq!(rows[0], vec![text("brand")]);
    }

    /// The cell conversions here, and the message helpers of `wording` and `xml`.
    #[test]
    fn helpers() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(thousands(5_000_000), "5,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(human_bytes(4 << 30), "4.0 GiB");
        assert_eq!(truncate("账号名称账号名称", 4), "账号名称…");
        assert_eq!(number(3.0), Cell::Int(3));
        assert_eq!(number(1e300), Cell::Float(1e300));
        assert_eq!(clock(1.5), "36:00:00");
        let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 31).unwrap();
        assert_eq!(date_iso("2024-03-31"), Cell::Date(d));
        assert_eq!(date_iso("2024-03-31T08:00:00"), Cell::Date(d));
        assert_eq!(date_iso("2024-03-31x"), text("2024-03-31x"));
        assert_eq!(
            unescape_xml("a&lt;b&#x4E2D;&#25991;&bogus;"),
            "a<b中文&bogus;"
        );
    }
}
