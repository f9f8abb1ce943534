//! CSV for people who open it in Excel: UTF-8 with a BOM (so Excel on Chinese Windows shows
//! Chinese correctly), CRLF line ends, and every cell passed through
//! [`crate::safe_text::csv_cell`]: control codes and bidi overrides from the inventory are shown
//! as `\u{…}` (a report printed with `cat` cannot retitle or clear the terminal), and a
//! spreadsheet never runs a cell as a formula (OWASP CSV injection). Every CSV wxaudit writes
//! goes through here: the report, the diff, the TUI export.

use crate::safe_text::csv_cell;
use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

/// UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rows per chunk when rows are rendered on all cores.
const CHUNK: usize = 4096;

/// The one CSV dialect of every table wxaudit writes.
fn builder() -> ::csv::WriterBuilder {
    let mut b = ::csv::WriterBuilder::new();
    b.terminator(::csv::Terminator::CRLF);
    b
}

fn put_row<W, R, S>(w: &mut ::csv::Writer<W>, cells: R) -> io::Result<()>
where
    W: Write,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for c in cells {
        w.write_field(csv_cell(c.as_ref()).as_bytes())?;
    }
    // An empty record after `write_field`s ends the row.
    w.write_record(None::<&[u8]>)?;
    Ok(())
}

/// An Excel-friendly CSV table being written: a BOM and the header first, then rows.
pub struct Table<W: Write> {
    /// Always `Some` between calls (taken while parallel chunks go straight to the output).
    w: Option<::csv::Writer<W>>,
    rows: u64,
}

impl<W: Write> Table<W> {
    /// Writes the BOM and the header.
    pub fn start(mut out: W, header: &[&str]) -> io::Result<Self> {
        out.write_all(BOM)?;
        let mut w = builder().from_writer(out);
        put_row(&mut w, header)?;
        Ok(Table {
            w: Some(w),
            rows: 0,
        })
    }

    /// Writes one row.
    pub fn row<R, S>(&mut self, cells: R) -> io::Result<()>
    where
        R: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.rows += 1;
        match &mut self.w {
            Some(w) => put_row(w, cells),
            None => Err(io::Error::other("CSV table already failed")),
        }
    }

    /// Writes one row per item, rendered on all cores in order-preserving chunks (million-row
    /// reports), holding only a few chunks in memory at a time. `ahead(chunk, k)` is called
    /// before `chunk[k]` is rendered, to prefetch what the items after it read.
    pub fn rows_par<'a, T, A, F, const N: usize>(
        &mut self,
        items: &'a [T],
        ahead: A,
        cells: F,
    ) -> io::Result<()>
    where
        T: Sync,
        A: Fn(&'a [T], usize) + Sync,
        F: Fn(&'a T) -> [Cow<'a, str>; N] + Sync,
    {
        let Some(w) = self.w.take() else {
            return Err(io::Error::other("CSV table already failed"));
        };
        let mut out = w.into_inner().map_err(|e| e.into_error())?;
        super::in_order::render_in_order(
            items,
            CHUNK,
            |_, chunk, mut buf| {
                // Room for a report row (some 450 bytes), so the buffer is not copied as it grows.
                buf.reserve(chunk.len() * 512);
                let mut w = builder().from_writer(buf);
                for (k, item) in chunk.iter().enumerate() {
                    ahead(chunk, k);
                    put_row(&mut w, cells(item))?;
                }
                w.into_inner().map_err(|e| e.into_error())
            },
            |b| out.write_all(b),
        )?;
        self.w = Some(builder().from_writer(out));
        self.rows += items.len() as u64;
        Ok(())
    }

    /// Flushes; returns the number of data rows written.
    pub fn finish(mut self) -> io::Result<u64> {
        if let Some(w) = &mut self.w {
            w.flush()?;
        }
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
