//! Where each format records its active sheet (the tab the workbook was saved on), which
//! calamine 0.38 does not expose: xlsx `<workbookView activeTab>`, xlsb `BrtBookView.itabCur`,
//! xls `Window1.itabCur`, ods `settings.xml` `ActiveTable`. `open` finds the part or record and
//! hands it here; the sheet chosen from it is `select`'s business.

use super::binary::{u16_at, u32_at};
use super::xml::{attr, opens, tags, unescape_xml};

/// `<workbookView activeTab="N">` of `xl/workbook.xml`; 0 (the first sheet) when absent, as in
/// Excel.
pub(super) fn xlsx_active_tab(xml: &[u8]) -> usize {
    tags(xml)
        .find(|t| opens(t, b"workbookView"))
        .and_then(|t| attr(t, b"activeTab"))
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok())
        .unwrap_or(0)
}

/// `itabCur` of the first `BrtBookView` record of `xl/workbook.bin`.
pub(super) fn xlsb_active_tab(bin: &[u8]) -> Option<usize> {
    const BRT_BOOK_VIEW: usize = 0x9E;
    const BRT_BEGIN_BUNDLE_SHS: usize = 0x8F;
    let mut at = 0usize;
    while at < bin.len() {
        // Record type: 1–2 bytes of 7 bits; size: 1–4 bytes of 7 bits (MS-XLSB 2.1.4).
        let typ = xlsb_varint(bin, &mut at, 2)?;
        let len = xlsb_varint(bin, &mut at, 4)?;
        let data = bin.get(at..at.checked_add(len)?)?;
        at += len;
        match typ {
            BRT_BOOK_VIEW => return Some(u32_at(data, 24)? as usize),
            BRT_BEGIN_BUNDLE_SHS => return None,
            _ => {}
        }
    }
    None
}

/// A record header field of at most `bytes` bytes at `*at` (moved past it): 7 bits a byte, the
/// high bit set on every byte but the last.
fn xlsb_varint(bin: &[u8], at: &mut usize, bytes: usize) -> Option<usize> {
    let mut value = 0usize;
    for i in 0..bytes {
        let b = *bin.get(*at)?;
        *at += 1;
        value |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    Some(value)
}

/// `itabCur` of an `.xls` `Window1` record's data (`biff` passes the first one it meets).
pub(super) fn xls_active_tab(window1: &[u8]) -> Option<usize> {
    u16_at(window1, 10).map(usize::from)
}

/// The `ActiveTable` setting of an ODS `settings.xml` (a sheet name).
pub(super) fn ods_active_table(xml: &[u8]) -> Option<String> {
    let at = memchr::memmem::find(xml, b"\"ActiveTable\"")?;
    let rest = &xml[at..];
    let start = memchr::memchr(b'>', rest)? + 1;
    let end = memchr::memchr(b'<', &rest[start..])? + start;
    let name = unescape_xml(std::str::from_utf8(&rest[start..end]).ok()?);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_tab_parsers() {
        assert_eq!(
            xlsx_active_tab(br#"<bookViews><workbookView xWindow="0" activeTab="2"/></bookViews>"#),
            2
        );
        assert_eq!(
            xlsx_active_tab(br#"<x:workbookView firstSheet="1" activeTab='1'>"#),
            1
        );
        assert_eq!(
            xlsx_active_tab(br#"<workbookView xWindow="0"/><sheet activeTab="3"/>"#),
            0
        );
        assert_eq!(xlsx_active_tab(b"<workbook/>"), 0);
        let settings = r#"<config:config-item config:name="ActiveTable" config:type="string">R&amp;D 账号</config:config-item>"#.as_bytes();
        assert_eq!(ods_active_table(settings).as_deref(), Some("R&D 账号"));
        // BrtBeginBookViews (0x87), BrtBookView (0x9E) with itabCur = 3, BrtBeginBundleShs.
        let mut view = vec![0u8; 29];
        view[24] = 3;
        let mut bin = vec![0x87, 0x01, 0x00, 0x9E, 0x01, 29];
        bin.extend_from_slice(&view);
        bin.extend_from_slice(&[0x8F, 0x01, 0x00]);
        assert_eq!(xlsb_active_tab(&bin), Some(3));
        assert_eq!(xlsb_active_tab(&[0x8F, 0x01, 0x00]), None);
        assert_eq!(xlsb_active_tab(&[0x9E, 0x01, 0x7F]), None);
    }
}
