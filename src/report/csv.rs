//! CSV for people who open it in Excel: UTF-8 with a BOM (so Excel on Chinese Windows shows
//! Chinese correctly), CRLF line ends, and every text cell that starts with `=`, `+`, `-`, `@`,
//! tab, CR or LF prefixed with `'` so a spreadsheet never runs it as a formula (OWASP CSV
//! injection). Used by the headless report and the TUI export alike.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

/// UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Neutralises a cell that a spreadsheet would treat as a formula.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
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
    let mut out = out;
    out.write_all(BOM)?;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(header.iter().map(|h| safe_cell(h).into_owned()))?;
    let mut n = 0u64;
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| safe_cell(c.as_ref()).into_owned())
            .collect();
        w.write_record(&cells)?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
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
    fn formula_like_cells_are_prefixed() {
        for s in ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert_eq!(safe_cell(s), format!("'{s}"), "{s:?}");
        }
        for s in ["normal", "阿克米", "", "1=1", "a-b"] {
            assert_eq!(safe_cell(s), s);
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
