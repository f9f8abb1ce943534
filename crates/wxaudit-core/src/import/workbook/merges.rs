//! An xlsx sheet's merged regions, found without parsing the sheet a second time.
//!
//! calamine finds them by parsing the whole sheet again (`Xlsx::merge_cells_by_sheet_name`),
//! which costs as much as reading its cells. The `<mergeCells>` element follows the cells, so
//! [`scan_merges`] inflates the sheet part and searches the bytes for it, reading only that
//! element as XML; `book` runs it on the other core while calamine reads the cells, and asks
//! calamine when it fails (the regions are the same either way).
//!
//! calamine does not expose an ods sheet's merged regions at all (covered cells read as
//! empty), so [`ods_merges`] finds them in `content.xml`: the cells of the sheet's
//! `<table:table>` that span more than one row or column.

use super::package::Package;
use super::xml::{attr, tag_name, tags, unescape_xml};
use super::{MAX_COLUMNS, MAX_ROWS, MAX_SHEET_PART};
use calamine::Dimensions;
use std::io::{Cursor, Read};

/// The merged regions of the worksheet in archive entry `part`, found without parsing the sheet
/// as XML: the part is inflated in chunks and searched for its `<mergeCells>` element (which
/// follows the cells), and only that element is read. None when this fails in any way (calamine
/// is asked then, and reports what is wrong).
pub(super) fn scan_merges(bytes: &[u8], part: &str) -> Option<Vec<Dimensions>> {
    const CHUNK: usize = 1 << 20;
    /// Bytes kept between chunks: a match may straddle them, and its tag prefix precede it.
    const KEEP: usize = 256;
    /// Most bytes read after `<mergeCells` (the element and whatever follows it).
    const MAX_TAIL: u64 = 256 << 20;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut file = zip.by_name(part).ok()?;
    let finder = memchr::memmem::Finder::new(b"mergeCells");
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + KEEP);
    loop {
        let mut from = 0;
        while let Some(i) = finder.find(&buf[from..]) {
            let at = from + i;
            from = at + 1;
            match start_tag_at(&buf, at, b"mergeCells".len()) {
                Some(Some(lt)) => {
                    let mut tail = buf.split_off(lt);
                    (&mut file).take(MAX_TAIL).read_to_end(&mut tail).ok()?;
                    if tail.len() as u64 >= MAX_TAIL {
                        return None;
                    }
                    return Some(merge_cells(&tail));
                }
                Some(None) => {}
                // Too near the end of what has been read to tell: look again with more.
                None => break,
            }
        }
        let keep_from = buf.len().saturating_sub(KEEP);
        buf.drain(..keep_from);
        let old = buf.len();
        buf.resize(old + CHUNK, 0);
        let mut got = 0;
        while got < CHUNK {
            match file.read(&mut buf[old + got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        buf.truncate(old + got);
        if got == 0 {
            return Some(Vec::new());
        }
    }
}

/// Whether the name matched at `buf[at..at + len]` is the name of a start tag: Some(Some(index
/// of its `<`)) if it is, Some(None) if not, None if the bytes after it are not read yet.
fn start_tag_at(buf: &[u8], at: usize, len: usize) -> Option<Option<usize>> {
    let after = *buf.get(at + len)?;
    if !(after.is_ascii_whitespace() || after == b'>' || after == b'/') {
        return Some(None);
    }
    let name_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
    let lt = match at.checked_sub(1).map(|i| buf[i]) {
        Some(b'<') => at - 1,
        Some(b':') => {
            let prefix = buf[..at - 1].iter().rposition(|&b| !name_char(b));
            match prefix {
                Some(p) if buf[p] == b'<' && p + 1 < at - 1 => p,
                _ => return Some(None),
            }
        }
        _ => return Some(None),
    };
    Some(Some(lt))
}

/// The regions of the `<mergeCells>` element at the start of `xml`.
fn merge_cells(xml: &[u8]) -> Vec<Dimensions> {
    let mut regions = Vec::new();
    for tag in tags(xml) {
        match tag_name(tag) {
            (b"mergeCells", true) => break,
            (b"mergeCells", false) if tag.ends_with(b"/") => break,
            (b"mergeCell", false) => {
                if let Some(d) = attr(tag, b"ref").and_then(cell_range) {
                    regions.push(d);
                }
            }
            _ => {}
        }
    }
    regions
}

/// Most merged regions an ods scan records (about as many as a `<mergeCells>` element of the
/// size [`scan_merges`] reads holds).
const MAX_ODS_REGIONS: usize = 1 << 23;

/// The merged regions of ods sheet `sheet` (its `<table:table table:name>`, unescaped), in
/// absolute sheet coordinates: every `<table:table-cell>` with `table:number-rows-spanned` or
/// `table:number-columns-spanned` above 1, at its position counting `table:number-rows-repeated`
/// and `table:number-columns-repeated` (rows inside header rows and row groups count as rows).
/// `extent` is the (last row, last column) holding a value: regions whose top-left lies beyond
/// it, or beyond [`MAX_ROWS`]/[`MAX_COLUMNS`], are not recorded, and the scan stops at the first
/// row past it; repeats are added, never counted out one by one. None when `content.xml` cannot
/// be read or the sheet is not found (no merges are applied then).
pub(super) fn ods_merges(
    bytes: &[u8],
    sheet: &str,
    extent: Option<(u32, u32)>,
) -> Option<Vec<Dimensions>> {
    let (last_row, last_col) = extent?;
    let last_row = u64::from(last_row).min(MAX_ROWS - 1);
    let last_col = u64::from(last_col).min(MAX_COLUMNS - 1);
    let xml = Package::open(bytes)
        .ok()?
        .read_found("content.xml", MAX_SHEET_PART)?;
    let mut all = tags(&xml);
    all.find(|t| {
        tag_name(t) == (b"table", false)
            && attr(t, b"name")
                .and_then(|n| std::str::from_utf8(n).ok())
                .is_some_and(|n| unescape_xml(n) == sheet)
    })
    .filter(|t| !t.ends_with(b"/"))?;
    let count = |tag: &[u8], name: &[u8]| -> u64 {
        attr(tag, name)
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(1, |n| n.clamp(1, u64::from(u32::MAX)))
    };
    let mut regions = Vec::new();
    // Tables nested inside this one (their rows are not the sheet's).
    let mut nested = 0usize;
    let (mut row, mut col) = (0u64, 0u64);
    // Times the current row repeats (None: not inside a row).
    let mut row_repeat: Option<u64> = None;
    for tag in all {
        let closed = tag.ends_with(b"/");
        match tag_name(tag) {
            (b"table", false) if !closed => nested += 1,
            (b"table", true) if nested == 0 => break,
            (b"table", true) => nested -= 1,
            _ if nested > 0 => {}
            (b"table-row", false) => {
                if row > last_row {
                    break;
                }
                let repeat = count(tag, b"number-rows-repeated");
                if closed {
                    row = row.saturating_add(repeat);
                } else {
                    row_repeat = Some(repeat);
                    col = 0;
                }
            }
            (b"table-row", true) => {
                row = row.saturating_add(row_repeat.take().unwrap_or(1));
            }
            (name @ (b"table-cell" | b"covered-table-cell"), false) if row_repeat.is_some() => {
                let repeat = count(tag, b"number-columns-repeated");
                if name == b"table-cell" && col <= last_col {
                    let rows = count(tag, b"number-rows-spanned");
                    let cols = count(tag, b"number-columns-spanned");
                    if rows > 1 || cols > 1 {
                        let row_end = row
                            .saturating_add(row_repeat.unwrap_or(1) - 1)
                            .min(last_row);
                        let col_end = col.saturating_add(repeat - 1).min(last_col);
                        for r in row..=row_end {
                            for c in col..=col_end {
                                if regions.len() >= MAX_ODS_REGIONS {
                                    return Some(regions);
                                }
                                let end = |start: u64, span: u64| {
                                    start.saturating_add(span - 1).min(u64::from(u32::MAX)) as u32
                                };
                                regions.push(Dimensions::new(
                                    (r as u32, c as u32),
                                    (end(r, rows), end(c, cols)),
                                ));
                            }
                        }
                    }
                }
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    Some(regions)
}

/// `A1:C3` (or `B2`) as 0-based dimensions.
fn cell_range(r: &[u8]) -> Option<Dimensions> {
    let cell = |c: &[u8]| -> Option<(u32, u32)> {
        let c: Vec<u8> = c.iter().copied().filter(|&b| b != b'$').collect();
        let letters = c.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if letters == 0 || letters > 4 || letters == c.len() {
            return None;
        }
        let mut col = 0u32;
        for b in &c[..letters] {
            col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
        }
        let row: u32 = std::str::from_utf8(&c[letters..]).ok()?.parse().ok()?;
        Some((row.checked_sub(1)?, col - 1))
    };
    let mut ends = r.split(|&b| b == b':');
    let start = cell(ends.next()?)?;
    let end = match ends.next() {
        Some(e) => cell(e)?,
        None => start,
    };
    Some(Dimensions::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::super::book::Book;
    use super::super::open::open;
    use super::super::tests::{sheet, xlsx};
    use super::*;
    use calamine::{Reader, Xlsx};

    #[test]
    fn merged_regions_are_found_as_calamine_finds_them() {
        let plain = rust_xlsxwriter::Format::new();
        let bytes = xlsx(|wb| {
            let ws = sheet(wb, "Accounts");
            ws.write_string(0, 0, "id").unwrap();
            // Text that looks like markup must not be taken for the element.
            ws.write_string(1, 0, "a:mergeCells <mergeCells>").unwrap();
            for r in 0..300u32 {
                ws.merge_range(r * 3 + 2, 1, r * 3 + 4, 2, "Lotus", &plain)
                    .unwrap();
            }
        });
        let mut calamine: Xlsx<_> = Xlsx::new(Cursor::new(&bytes[..])).unwrap();
        let mut want = calamine.merge_cells_by_sheet_name("Accounts").unwrap();
        let Ok((Book::Xlsx(_, parts), _)) = open(&bytes) else {
            panic!("an xlsx")
        };
        let part = parts.parts[0].clone().expect("sheet part found");
        assert_eq!(part, "xl/worksheets/sheet1.xml");
        let mut got = scan_merges(&bytes, &part).expect("scanned");
        want.sort();
        got.sort();
        assert_eq!(got.len(), 300);
        assert_eq!(got, want);

        // A prefixed element, split across tags as writers do.
        let xml = br#"<x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell ref="$B$2:B4"/></x:mergeCells><x:mergeCell ref="Z9"/>"#;
        assert_eq!(
            merge_cells(xml),
            vec![
                Dimensions::new((0, 0), (0, 2)),
                Dimensions::new((1, 1), (3, 1))
            ]
        );
        assert_eq!(start_tag_at(b"<x:mergeCells>", 3, 10), Some(Some(0)));
        assert_eq!(start_tag_at(b">a:mergeCells ", 3, 10), Some(None));
        assert_eq!(start_tag_at(b"<mergeCellsX", 1, 10), Some(None));
        assert_eq!(start_tag_at(b"<mergeCells", 1, 10), None);
        assert_eq!(
            cell_range(b"XFD1048576"),
            Some(Dimensions::new((1_048_575, 16_383), (1_048_575, 16_383)))
        );
        assert_eq!(cell_range(b"A0"), None);
        assert_eq!(cell_range(b"12"), None);
    }
}
