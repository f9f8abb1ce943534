//! The zip package of an xlsx, xlsb or ods: every part's declared size checked before anything
//! is inflated, parts looked up by name as calamine looks them up, and the relationships that
//! say which part is the workbook and which part holds each sheet.
//!
//! The zip reader enforces each part's declared size while inflating, so checking the declared
//! sizes here ([`MAX_SHEET_PART`], [`MAX_OTHER_PART`]) bounds what calamine will inflate later.

use super::fail::Fail;
use super::wording::human_bytes;
use super::xml::{attr, opens, tags, unescape_xml};
use super::{MAX_OTHER_PART, MAX_SHEET_PART, MAX_VIEW_PART};
use std::io::{Cursor, Read};

/// A zip archive whose parts' sizes have been checked.
pub(super) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Each part: (name as calamine looks it up, see [`normalise`]; name in the archive).
    names: Vec<(String, String)>,
}

/// A zip central-directory entry takes at least 46 bytes: bounds a capacity taken from the
/// archive's own entry count.
const MIN_ENTRY_BYTES: usize = 46;

impl<'a> Package<'a> {
    /// Opens the archive and checks every part's declared size.
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self, Fail> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| Fail::Damaged(format!("it is not a readable zip archive ({e})")))?;
        let mut names: Vec<(String, String)> =
            Vec::with_capacity(zip.len().min(bytes.len() / MIN_ENTRY_BYTES));
        for i in 0..zip.len() {
            let entry = zip
                .by_index_data(i)
                .map_err(|e| Fail::Damaged(format!("its zip directory is damaged ({e})")))?;
            let name = match entry.name() {
                Ok(n) => n.into_owned(),
                Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
            };
            let size = entry.size();
            let norm = normalise(&name);
            let file = norm.rsplit('/').next().unwrap_or(&norm);
            let limit = if norm.starts_with("xl/worksheets/")
                || norm == "content.xml"
                || file.starts_with("sheet")
            {
                Some(MAX_SHEET_PART)
            } else if [".xml", ".bin", ".rels"].iter().any(|e| norm.ends_with(e)) {
                Some(MAX_OTHER_PART)
            } else {
                None
            };
            if let Some(limit) = limit.filter(|&l| size > l) {
                return Err(Fail::Damaged(format!(
                    "its part \"{name}\" would unpack to {} (the limit is {}), which no real \
                     inventory needs: the file is damaged or built to exhaust memory",
                    human_bytes(size),
                    human_bytes(limit)
                )));
            }
            names.push((norm, name));
        }
        Ok(Package { zip, names })
    }

    /// The archive name of the part calamine finds as `wanted` (a [`normalise`]d name).
    pub(super) fn find(&self, wanted: &str) -> Option<String> {
        self.names
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, actual)| actual.clone())
    }

    /// Up to `limit` bytes of the part named `name` in the archive (None if it cannot be read or
    /// is bigger).
    pub(super) fn read(&mut self, name: &str, limit: u64) -> Option<Vec<u8>> {
        let file = self.zip.by_name(name).ok()?;
        let mut buf = Vec::new();
        file.take(limit + 1).read_to_end(&mut buf).ok()?;
        (buf.len() as u64 <= limit).then_some(buf)
    }

    /// [`read`](Self::read) of the part calamine finds as `wanted` (see [`find`](Self::find)).
    pub(super) fn read_found(&mut self, wanted: &str, limit: u64) -> Option<Vec<u8>> {
        let name = self.find(wanted)?;
        self.read(&name, limit)
    }

    /// The archive name of the workbook part, as the package's relationships name it (as
    /// calamine finds it): the target of the `officeDocument` relationship in `_rels/.rels`.
    pub(super) fn office_document(&mut self) -> Option<String> {
        let xml = self.read_found("_rels/.rels", MAX_VIEW_PART)?;
        let tag = tags(&xml).find(|t| {
            opens(t, b"Relationship")
                && attr(t, b"Type").is_some_and(|t| t.ends_with(b"/officeDocument"))
        })?;
        let target = unescape_xml(std::str::from_utf8(attr(tag, b"Target")?).ok()?);
        self.find(&normalise(&target))
    }

    /// The archive entry of each `<sheet>` of `workbook_xml` (the part named `workbook` in the
    /// archive), in order, as calamine resolves them: `r:id` → `Target` in the workbook's
    /// relationships, relative to the workbook's folder unless absolute.
    pub(super) fn sheet_parts(
        &mut self,
        workbook: &str,
        workbook_xml: &[u8],
    ) -> Vec<Option<String>> {
        let norm = normalise(workbook);
        let (dir, file) = norm.split_at(norm.rfind('/').map_or(0, |i| i + 1));
        let rels_xml = self
            .read_found(&format!("{dir}_rels/{file}.rels"), MAX_VIEW_PART)
            .unwrap_or_default();
        let targets: Vec<(&[u8], &[u8])> = tags(&rels_xml)
            .filter(|t| opens(t, b"Relationship"))
            .filter_map(|t| Some((attr(t, b"Id")?, attr(t, b"Target")?)))
            .collect();
        tags(workbook_xml)
            .filter(|t| opens(t, b"sheet"))
            .map(|t| {
                let id = attr(t, b"id")?;
                let (_, target) = targets.iter().find(|(i, _)| *i == id)?;
                let target = std::str::from_utf8(target).ok()?;
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("{dir}{target}"),
                };
                self.find(&normalise(&path))
            })
            .collect()
    }
}

/// A zip part name as calamine looks parts up: `\` as `/`, no leading `/`, lowercase.
pub(super) fn normalise(name: &str) -> String {
    name.replace('\\', "/")
        .trim_start_matches('/')
        .to_ascii_lowercase()
}
