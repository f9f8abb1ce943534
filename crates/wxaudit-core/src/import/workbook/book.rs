//! A workbook opened by calamine, whatever its format: its sheets, a sheet's cells and its
//! merged regions, each read the way that format allows (a streaming cell reader for xlsx and
//! xlsb, a whole range for xls and ods) and every call into calamine run under [`guard`].

use super::cells::Cells;
use super::fail::{guard, Fail};
use super::merges::{ods_merges, scan_merges};
use calamine::{Dimensions, Ods, Reader, Sheet, Xls, Xlsb, Xlsx};
use std::io::Cursor;

/// A workbook opened by calamine, over the caller's bytes.
pub(super) enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>, SheetParts<'a>),
    Xlsb(Xlsb<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
    /// The reader and the file's bytes (its merged regions are scanned from `content.xml`).
    Ods(Ods<Cursor<&'a [u8]>>, &'a [u8]),
}

/// Where each sheet of an xlsx lives in the archive, to find its merged cells quickly.
pub(super) struct SheetParts<'a> {
    pub(super) bytes: &'a [u8],
    /// Archive entry of each sheet, in `sheets_metadata()` order (None: not found).
    pub(super) parts: Vec<Option<String>>,
}

impl Book<'_> {
    pub(super) fn sheets(&self) -> Vec<Sheet> {
        match self {
            Book::Xlsx(b, _) => b.sheets_metadata().to_vec(),
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b, _) => b.sheets_metadata().to_vec(),
        }
    }

    /// The cells of sheet `name`: all of them, or (`head`) those of the first `head` rows from
    /// its first row holding a value.
    pub(super) fn cells(&mut self, name: &str, head: Option<usize>) -> Result<Cells, Fail> {
        match self {
            Book::Xlsx(b, _) => xlsx_cells(b, name, head),
            Book::Xlsb(b) => sheet_cells(name, head, |cells| {
                let mut reader = b.worksheet_cells_reader(name)?;
                cells.put_all(|| Ok(reader.next_cell()?))
            }),
            Book::Xls(b) => sheet_cells(name, head, |cells| {
                cells.put_range(&b.worksheet_range(name)?)
            }),
            Book::Ods(b, _) => sheet_cells(name, head, |cells| {
                cells.put_range(&b.worksheet_range(name)?)
            }),
        }
    }

    /// All cells of sheet number `index` (named `name`) and its merged regions. For xlsx, the
    /// merged regions are found by [`scan_merges`] on the other core while calamine reads the
    /// cells (asking calamine for them means parsing the whole sheet a second time); for ods,
    /// by [`ods_merges`] once the cells are read (none if the scan fails).
    pub(super) fn cells_and_merges(
        &mut self,
        index: usize,
        name: &str,
    ) -> Result<(Cells, Vec<Dimensions>), Fail> {
        if let Book::Xlsx(b, parts) = self {
            if let Some(part) = parts.parts.get(index).cloned().flatten() {
                let bytes = parts.bytes;
                let scan = || {
                    let scan = std::panic::AssertUnwindSafe(|| scan_merges(bytes, &part));
                    std::panic::catch_unwind(scan).ok().flatten()
                };
                let (cells, merges) = rayon::join(|| xlsx_cells(b, name, None), scan);
                let cells = cells?;
                let merges = match merges {
                    Some(m) => m,
                    None => self.merges(name)?,
                };
                return Ok((cells, merges));
            }
        }
        let cells = self.cells(name, None)?;
        if let Book::Ods(_, bytes) = self {
            // calamine does not expose them: scanned from `content.xml`, within the used cells.
            let bytes: &[u8] = bytes;
            let scan = std::panic::AssertUnwindSafe(|| ods_merges(bytes, name, cells.extent()));
            let merges = std::panic::catch_unwind(scan).ok().flatten();
            return Ok((cells, merges.unwrap_or_default()));
        }
        let merges = self.merges(name)?;
        Ok((cells, merges))
    }

    /// The merged regions of sheet `name`, where calamine exposes them (xlsx, xls; ods's are
    /// scanned by [`ods_merges`] in [`cells_and_merges`](Self::cells_and_merges)).
    fn merges(&mut self, name: &str) -> Result<Vec<Dimensions>, Fail> {
        let fail = |f: Fail| f.within(&format!("the merged cells of sheet \"{name}\""));
        match self {
            Book::Xlsx(b, _) => guard(|| Ok(b.merge_cells_by_sheet_name(name)?)).map_err(fail),
            Book::Xls(b) => guard(|| Ok(b.merge_cells_by_sheet_name(name)?)).map_err(fail),
            Book::Xlsb(_) | Book::Ods(..) => Ok(Vec::new()),
        }
    }
}

/// The cells of xlsx sheet `name` (see [`Book::cells`]), streamed from calamine's cell reader.
fn xlsx_cells(b: &mut Xlsx<Cursor<&[u8]>>, name: &str, head: Option<usize>) -> Result<Cells, Fail> {
    sheet_cells(name, head, |cells| {
        let mut reader = b.worksheet_cells_reader(name)?;
        cells.put_all(|| Ok(reader.next_cell()?))
    })
}

/// The cells `read` stores for sheet `name` (see [`Book::cells`]), read under [`guard`]; a
/// damaged sheet's failure names it.
fn sheet_cells(
    name: &str,
    head: Option<usize>,
    read: impl FnOnce(&mut Cells) -> Result<(), Fail>,
) -> Result<Cells, Fail> {
    let mut cells = Cells::new(name, head);
    guard(|| read(&mut cells)).map_err(|f| f.within(&format!("sheet \"{name}\"")))?;
    Ok(cells)
}
