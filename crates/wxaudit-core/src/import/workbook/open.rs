//! Opening a workbook: recognising what the bytes are (zip package, OLE compound file, or
//! something else that deserves a plain explanation), doing the checks that must come before
//! calamine sees the file, finding the active sheet, and opening it with calamine.
//!
//! Order matters: calamine inflates zip parts and parses a whole `.xls` as soon as it opens
//! them, so the package's part sizes (`package`), the OLE container (`cfb`) and the `.xls`
//! record stream (`biff`) are checked first, and encryption is recognised here too.

use super::active::{ods_active_table, xlsb_active_tab, xlsx_active_tab};
use super::book::{Book, SheetParts};
use super::cfb::Cfb;
use super::fail::{guard, Fail};
use super::package::{normalise, Package};
use super::{biff, is_zip, CFB_SIG, MAX_VIEW_PART};
use calamine::{Ods, Reader, Xls, Xlsb, Xlsx};
use std::io::Cursor;

/// Where the active sheet is recorded, before it is matched to a sheet index.
enum Active {
    Index(usize),
    Name(String),
}

/// The kinds of zip-based workbook.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

/// Opens the workbook and finds its active sheet (an index into `sheets_metadata()`).
pub(super) fn open(bytes: &[u8]) -> Result<(Book<'_>, Option<usize>), Fail> {
    let (book, active) = if is_zip(bytes) {
        open_zip(bytes)?
    } else if bytes.starts_with(CFB_SIG) {
        open_cfb(bytes)?
    } else {
        return Err(not_a_workbook(bytes));
    };
    let active = match active {
        Some(Active::Index(i)) => Some(i),
        Some(Active::Name(name)) => book.sheets().iter().position(|s| s.name == name),
        None => None,
    };
    Ok((book, active))
}

/// Explains bytes without a workbook signature.
fn not_a_workbook(bytes: &[u8]) -> Fail {
    let head = &bytes[..bytes.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Fail::Other("the file is empty".into());
    }
    if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Fail::Other(
            "this is an Excel 2003 XML spreadsheet, which is not read directly; open it in Excel \
             and save it as .xlsx (File › Save As › Excel Workbook), then import that"
                .into(),
        );
    }
    if text.starts_with('<') {
        return Fail::Other(
            "this is a web page (HTML) named like a workbook, as web systems' \"Export to Excel\" \
             often write; open it in Excel and save it as .xlsx (File › Save As › Excel \
             Workbook), then import that"
                .into(),
        );
    }
    Fail::Damaged(
        "it has neither the signature of an .xlsx/.xlsb/.ods file (a zip archive) nor that of an \
         .xls file (an OLE compound file)"
            .into(),
    )
}

fn open_zip(bytes: &[u8]) -> Result<(Book<'_>, Option<Active>), Fail> {
    let mut package = Package::open(bytes)?;
    let (kind, workbook_part) = match package.office_document() {
        Some(p) if normalise(&p) == "xl/workbook.bin" => (ZipKind::Xlsb, Some(p)),
        Some(p) if p.to_ascii_lowercase().ends_with(".xml") => (ZipKind::Xlsx, Some(p)),
        _ => match (
            package.find("xl/workbook.xml"),
            package.find("xl/workbook.bin"),
        ) {
            (Some(p), _) => (ZipKind::Xlsx, Some(p)),
            (None, Some(p)) => (ZipKind::Xlsb, Some(p)),
            (None, None) => (ZipKind::Ods, None),
        },
    };
    if kind == ZipKind::Ods {
        check_opendocument_spreadsheet(&mut package)?;
    }
    let mut parts = Vec::new();
    let active = match kind {
        ZipKind::Xlsx => {
            let part = workbook_part.unwrap_or_default();
            let xml = package.read(&part, MAX_VIEW_PART);
            if let Some(xml) = &xml {
                // The sheets' parts: `<sheet r:id>` → the workbook's relationships.
                parts = package.sheet_parts(&part, xml);
            }
            xml.map(|xml| Active::Index(xlsx_active_tab(&xml)))
        }
        ZipKind::Xlsb => workbook_part
            .and_then(|p| package.read(&p, MAX_VIEW_PART))
            .and_then(|bin| xlsb_active_tab(&bin))
            .map(Active::Index),
        ZipKind::Ods => package
            .read_found("settings.xml", MAX_VIEW_PART)
            .and_then(|xml| ods_active_table(&xml))
            .map(Active::Name),
    };
    drop(package);
    let book = guard(|| {
        Ok(match kind {
            ZipKind::Xlsx => {
                Book::Xlsx(Xlsx::new(Cursor::new(bytes))?, SheetParts { bytes, parts })
            }
            ZipKind::Xlsb => Book::Xlsb(Xlsb::new(Cursor::new(bytes))?),
            ZipKind::Ods => Book::Ods(Ods::new(Cursor::new(bytes))?, bytes),
        })
    })?;
    Ok((book, active))
}

/// A zip without an Excel workbook part must be an OpenDocument spreadsheet; says what it is
/// when it is not (another OpenDocument file, a Word or PowerPoint file, some other archive).
fn check_opendocument_spreadsheet(package: &mut Package<'_>) -> Result<(), Fail> {
    if package.find("content.xml").is_some() {
        let mime = package.read_found("mimetype", 256).unwrap_or_default();
        let mime = String::from_utf8_lossy(&mime).trim().to_string();
        if mime.starts_with("application/vnd.oasis.opendocument.") && !mime.contains("spreadsheet")
        {
            return Err(Fail::Other(format!(
                "this is an OpenDocument file of type {mime}, not a spreadsheet (.ods)"
            )));
        }
        Ok(())
    } else if package.find("word/document.xml").is_some() {
        Err(Fail::Other(
            "this is a Word document (.docx), not a workbook".into(),
        ))
    } else if package.find("ppt/presentation.xml").is_some() {
        Err(Fail::Other(
            "this is a PowerPoint presentation (.pptx), not a workbook".into(),
        ))
    } else {
        Err(Fail::Other(
            "this is a zip archive without a workbook in it (no xl/workbook.xml or \
             content.xml); if it holds the inventory file, extract that and import it"
                .into(),
        ))
    }
}

fn open_cfb(bytes: &[u8]) -> Result<(Book<'_>, Option<Active>), Fail> {
    let cfb = Cfb::parse(bytes)
        .map_err(|e| Fail::Damaged(format!("its OLE compound-file structure is damaged ({e})")))?;
    // An encrypted .xlsx/.xlsb is an OLE file holding the encrypted package.
    if cfb.has("EncryptionInfo") || cfb.has("EncryptedPackage") {
        return Err(Fail::Password);
    }
    let stream =
        match cfb.stream("Workbook").or_else(|| cfb.stream("Book")) {
            Some(s) => {
                s.map_err(|e| Fail::Damaged(format!("its workbook stream cannot be read ({e})")))?
            }
            None => return Err(Fail::Other(
                "this is an OLE compound document without a workbook in it (for example a Word \
                 .doc), not an Excel workbook"
                    .into(),
            )),
        };
    let scan = biff::scan(&stream)?;
    drop(stream);
    let book = guard(|| Ok(Book::Xls(Xls::new(Cursor::new(bytes))?)))?;
    Ok((book, scan.active_tab.map(Active::Index)))
}
