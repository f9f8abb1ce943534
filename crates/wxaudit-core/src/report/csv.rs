//! CSV for people who open it in Excel: UTF-8 with a BOM (so Excel on Chinese Windows shows
//! Chinese correctly), CRLF line ends, and every cell passed through
//! [`crate::safe_text::csv_cell`]: control codes and bidi overrides from the inventory are shown
//! as `\u{…}` (a report printed with `cat` cannot retitle or clear the terminal), and a
//! spreadsheet never runs a cell as a formula (OWASP CSV injection). Every CSV wxaudit writes
//! goes through here: the report, the diff, the TUI export.

use crate::safe_text::csv_cell_and;
use std::io::{self, Write};
use std::path::Path;

/// UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rows per chunk when rows are rendered on all cores.
const CHUNK: usize = 4096;

/// Bytes a table gathers before it hands them to its output.
const FLUSH_AT: usize = 64 * 1024;

/// Whether a cell must be quoted: it holds the delimiter, a quote or a line break.
#[inline(always)]
fn needs_quotes(x: u8) -> bool {
    (x == b',') | (x == b'"') | (x == b'\r') | (x == b'\n')
}

/// Appends one cell as the one CSV dialect of every table wxaudit writes: the text through
/// [`crate::safe_text::csv_cell`], quoted only when it holds a comma, a quote or a line break, a quote inside
/// doubled (RFC 4180; what the `csv` crate writes with `QuoteStyle::Necessary`).
///
/// Written straight into the row's buffer: a million-row report is a gigabyte of cells, and
/// going through a CSV writer's state machine after the guard's own copy was a sixth of its
/// rendering.
fn put_cell(out: &mut Vec<u8>, s: &str) {
    let (cell, quoted) = csv_cell_and(s, needs_quotes);
    let b = cell.as_bytes();
    if !quoted {
        out.extend_from_slice(b);
        return;
    }
    out.reserve(b.len() + 8);
    out.push(b'"');
    let mut rest = b;
    while let Some(q) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..=q]);
        out.push(b'"');
        rest = &rest[q + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// A cell of a row: text (guarded and quoted as it goes in, see [`put_cell`]) or a cell
/// [`Encoded`] once for many rows.
pub trait PutCell {
    fn put_into(&self, out: &mut Vec<u8>);
}

impl<T: AsRef<str> + ?Sized> PutCell for T {
    #[inline]
    fn put_into(&self, out: &mut Vec<u8>) {
        put_cell(out, self.as_ref())
    }
}

/// A cell in its finished CSV form (guarded, quoted where needed), made once for text that
/// stands in many rows: a rule's advice is the same in each of its findings, a fifth of a
/// million-row report's bytes, and was guarded and quoted again in every row.
#[derive(Debug, Clone)]
pub struct Encoded(Vec<u8>);

impl Encoded {
    pub fn new(s: &str) -> Self {
        let mut b = Vec::new();
        put_cell(&mut b, s);
        Encoded(b)
    }
}

impl PutCell for Encoded {
    #[inline]
    fn put_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0)
    }
}

/// Appends one row, CRLF-terminated. A row of a single empty cell is written `""`, so it is
/// not read back as a blank line.
fn put_row<R, S>(out: &mut Vec<u8>, cells: R)
where
    R: IntoIterator<Item = S>,
    S: PutCell,
{
    let start = out.len();
    for (k, c) in cells.into_iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        c.put_into(out);
    }
    if out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.extend_from_slice(b"\r\n");
}

/// An Excel-friendly CSV table being written: a BOM and the header first, then rows.
pub struct Table<W: Write> {
    out: W,
    /// Rows not yet handed to `out`.
    buf: Vec<u8>,
    rows: u64,
}

impl<W: Write> Table<W> {
    /// Writes the BOM and the header.
    pub fn start(out: W, header: &[&str]) -> io::Result<Self> {
        let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
        buf.extend_from_slice(BOM);
        put_row(&mut buf, header);
        Ok(Table { out, buf, rows: 0 })
    }

    /// Hands what is gathered to the output.
    fn drain(&mut self) -> io::Result<()> {
        let written = self.out.write_all(&self.buf);
        self.buf.clear();
        written
    }

    /// Writes one row.
    pub fn row<R, S>(&mut self, cells: R) -> io::Result<()>
    where
        R: IntoIterator<Item = S>,
        S: PutCell,
    {
        self.rows += 1;
        put_row(&mut self.buf, cells);
        if self.buf.len() >= FLUSH_AT {
            self.drain()?;
        }
        Ok(())
    }

    /// Writes one row per item, rendered on all cores in order-preserving chunks (million-row
    /// reports), holding only a few chunks in memory at a time. `ahead(chunk, k)` is called
    /// before `chunk[k]` is rendered, to prefetch what the items after it read.
    pub fn rows_par<'a, T, A, F, C, const N: usize>(
        &mut self,
        items: &'a [T],
        ahead: A,
        cells: F,
    ) -> io::Result<()>
    where
        T: Sync,
        A: Fn(&'a [T], usize) + Sync,
        F: Fn(&'a T) -> [C; N] + Sync,
        C: PutCell,
    {
        self.drain()?;
        let out = &mut self.out;
        super::in_order::render_in_order(
            items,
            CHUNK,
            |_, chunk, mut buf| {
                // Room for a report row (some 450 bytes), so the buffer is not copied as it grows.
                buf.reserve(chunk.len() * 512);
                for (k, item) in chunk.iter().enumerate() {
                    ahead(chunk, k);
                    put_row(&mut buf, cells(item));
                }
                Ok(buf)
            },
            |b| out.write_all(b),
        )?;
        self.rows += items.len() as u64;
        Ok(())
    }

    /// Flushes; returns the number of data rows written.
    pub fn finish(mut self) -> io::Result<u64> {
        self.drain()?;
        self.out.flush()?;
        Ok(self.rows)
    }
}

/// Writes a BOM, then `header` and `rows` as Excel-friendly CSV (CRLF, formula-safe).
/// Returns the number of data rows written.
pub fn write_table<W, I, R, S>(out: W, header: &[&str], rows: I) -> io::Result<u64>
where
    W: Write,
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut t = Table::start(out, header)?;
    for row in rows {
        t.row(row)?;
    }
    t.finish()
}

/// [`write_table`] into `path`, atomically (see [`crate::atomic`]).
pub fn write_table_file<I, R, S>(path: &Path, header: &[&str], rows: I) -> io::Result<u64>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut count = 0;
    crate::atomic::write_file(path, |w| {
        count = write_table(w, header, rows)?;
        Ok(())
    })?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn rows_on_all_cores_come_out_in_order_and_identical() {
        let items: Vec<u32> = (0..20_000).collect();
        fn cells(i: &u32) -> [Cow<'_, str>; 3] {
            [
                Cow::Owned(format!("id{i}")),
                Cow::Owned(format!("={i}")),
                Cow::Borrowed("阿克米"),
            ]
        }
        let mut seq = Vec::new();
        write_table(
            &mut seq,
            &["id", "formula", "name"],
            items.iter().map(cells),
        )
        .unwrap();
        let mut par = Vec::new();
        let mut t = Table::start(&mut par, &["id", "formula", "name"]).unwrap();
        t.row(["first", "-1", "x"]).unwrap();
        t.rows_par(&items, |_, _| {}, cells).unwrap();
        assert_eq!(t.finish().unwrap(), 20_001);
        let seq_body = &seq[seq.iter().position(|&b| b == b'\n').unwrap() + 1..];
        let expected = [
            &seq[..seq.iter().position(|&b| b == b'\n').unwrap() + 1],
            b"first,'-1,x\r\n".as_slice(),
            seq_body,
        ]
        .concat();
        assert_eq!(par, expected);
    }

    /// What the `csv` crate writes for `cells` guarded by `csv_cell` (QuoteStyle::Necessary,
    /// CRLF): the dialect this writer keeps.
    fn by_the_csv_crate(cells: &[String]) -> Vec<u8> {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(
            cells
                .iter()
                .map(|c| crate::safe_text::csv_cell(c).into_owned()),
        )
        .unwrap();
        w.into_inner().unwrap()
    }

    fn ours(cells: &[String]) -> Vec<u8> {
        let mut out = Vec::new();
        put_row(&mut out, cells);
        out
    }

    #[test]
    fn rows_are_written_as_the_csv_crate_writes_them() {
        for cells in [
            vec![String::new()],
            vec![String::new(), String::new()],
            vec!["a,b".into(), "say \"hi\"".into(), "two\nlines".into()],
            vec![
                "cr\rhere".into(),
                "=1+1".into(),
                "tab\tin".into(),
                "\u{1b}[2J".into(),
            ],
            vec![
                "x".repeat(31) + ",",
                "y".repeat(32) + "\"",
                "z".repeat(33) + "\r\n",
            ],
        ] {
            assert_eq!(ours(&cells), by_the_csv_crate(&cells), "{cells:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_row_is_written_as_the_csv_crate_writes_it(
            cells in proptest::collection::vec("(\\PC|[,\"\r\n\t\u{1b}\u{85}\u{202e}\\\\=+-]){0,40}", 1..5)
        ) {
            proptest::prop_assert_eq!(ours(&cells), by_the_csv_crate(&cells));
        }
    }

    proptest::proptest! {
        #[test]
        fn a_cell_encoded_once_is_the_cell_written_in_place(
            cells in proptest::collection::vec("(\\PC|[,\"\r\n\t\u{1b}\u{85}\u{202e}\\\\=+-]){0,40}", 1..5)
        ) {
            let encoded: Vec<Encoded> = cells.iter().map(|c| Encoded::new(c)).collect();
            let mut out = Vec::new();
            put_row(&mut out, encoded);
            proptest::prop_assert_eq!(out, ours(&cells));
        }
    }

    #[test]
    fn table_has_bom_crlf_and_guarded_cells() {
        let mut buf = Vec::new();
        let n = write_table(
            &mut buf,
            &["id", "name"],
            vec![
                vec!["gh_1", "=HYPERLINK(\"x\")"],
                vec!["gh_2", "阿克米茶饮"],
            ],
        )
        .unwrap();
        assert_eq!(n, 2);
        assert!(buf.starts_with(BOM));
        let text = std::str::from_utf8(&buf[3..]).unwrap();
        assert_eq!(
            text,
            "id,name\r\ngh_1,\"'=HYPERLINK(\"\"x\"\")\"\r\ngh_2,阿克米茶饮\r\n"
        );
    }
}
