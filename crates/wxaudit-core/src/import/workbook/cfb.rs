//! The OLE compound-file container of an `.xls` (and of an encrypted `.xlsx`/`.xlsb`), read
//! before calamine is given the file.
//!
//! calamine follows the container's sector chains without a cycle check and reads every sheet
//! when it opens the file, so a damaged or hostile container must be refused first: [`Cfb`]
//! reads just enough of MS-CFB to find the streams (`Workbook`, `EncryptionInfo`, …), and fails
//! on chains that loop, sectors past the end and tables listing more sectors than the file has.

use super::binary::{u16_at, u16s, u32_at, u32s, u64_at};
use super::CFB_SIG;

/// A compound file's tables and directory, read as calamine reads them, so that what is
/// checked is what it will read.
pub(super) struct Cfb<'a> {
    data: &'a [u8],
    sector: usize,
    /// Highest sector id calamine accepts.
    max_id: u64,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
    /// (name, first sector, length)
    entries: Vec<(String, u32, u64)>,
}

pub(super) const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const DIF_SECT: u32 = 0xFFFF_FFFC;
const MAX_REGSECT: u32 = 0xFFFF_FFFA;

impl<'a> Cfb<'a> {
    /// Reads the header, the sector allocation tables, the directory and the mini stream;
    /// fails (saying why) on anything calamine would loop on or read past the end for.
    pub(super) fn parse(data: &'a [u8]) -> Result<Cfb<'a>, String> {
        if data.len() < 512 || !data.starts_with(CFB_SIG) {
            return Err("too short for a compound file".into());
        }
        let sector = match u16_at(data, 30) {
            Some(9) => 512,
            Some(12) if data.len() >= 4096 => 4096,
            _ => return Err("bad sector size".into()),
        };
        if u16_at(data, 32) != Some(6) {
            return Err("bad mini sector size".into());
        }
        let field = |at| u32_at(data, at).ok_or_else(|| "truncated header".to_string());
        let dir_start = field(48)?;
        let mini_fat_start = field(60)?;
        let mini_fat_len = u64::from(field(64)?);
        let mut difat_next = field(68)?;
        let max_id = (data.len() / sector) as u64;
        let mut cfb = Cfb {
            data,
            sector,
            max_id,
            fat: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
            entries: Vec::new(),
        };
        let mut difat: Vec<u32> = u32s(&data[76..512]).collect();
        let mut difat_sectors = 0u64;
        while difat_next < MAX_REGSECT {
            difat_sectors += 1;
            if difat_sectors > max_id + 1 {
                return Err("its sector allocation table chain loops".into());
            }
            difat.extend(u32s(cfb.sector_at(difat_next)?));
            difat_next = difat
                .pop()
                .ok_or_else(|| "its sector allocation table is empty".to_string())?;
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIF_SECT).collect();
        if fat_sectors.len() as u64 > max_id + 1 {
            return Err("its sector allocation table lists more sectors than the file has".into());
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector / 4);
        for id in fat_sectors {
            fat.extend(u32s(cfb.sector_at(id)?));
        }
        cfb.fat = fat;
        let dirs = cfb.chain(dir_start, u64::MAX)?;
        for d in dirs.chunks_exact(128) {
            let units: Vec<u16> = u16s(&d[..64]).collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(nul) = name.find('\0') {
                name.truncate(nul);
            }
            let start = u32_at(d, 116).unwrap_or(END_OF_CHAIN);
            let len = if sector == 512 {
                u64::from(u32_at(d, 120).unwrap_or(0))
            } else {
                u64_at(d, 120).unwrap_or(0)
            };
            cfb.entries.push((name, start, len));
        }
        let Some(&(_, root_start, root_len)) = cfb.entries.first() else {
            return Err("it has no directory".into());
        };
        if mini_fat_len > 0 {
            cfb.mini_stream = cfb.chain(root_start, root_len)?;
            let mini_fat = cfb.chain(mini_fat_start, mini_fat_len * sector as u64)?;
            cfb.mini_fat = u32s(&mini_fat).collect();
        }
        Ok(cfb)
    }

    /// Sector `id` (short or empty at the end of the file, as calamine reads it).
    fn sector_at(&self, id: u32) -> Result<&'a [u8], String> {
        if u64::from(id) > self.max_id {
            return Err(format!("sector {id} lies past the end of the file"));
        }
        let start = (id as usize + 1) * self.sector;
        let start = start.min(self.data.len());
        let end = (start + self.sector).min(self.data.len());
        Ok(&self.data[start..end])
    }

    /// The bytes of the sector chain from `start`, at most `len` of them.
    fn chain(&self, start: u32, len: u64) -> Result<Vec<u8>, String> {
        follow(
            &self.fat,
            start,
            len,
            |id| self.sector_at(id),
            |id| format!("a sector chain leads to sector {id}, outside the table"),
            "a sector chain loops",
        )
    }

    /// The bytes of the mini sector chain (64-byte sectors in the mini stream) from `start`, at
    /// most `len` of them.
    fn mini_chain(&self, start: u32, len: u64) -> Result<Vec<u8>, String> {
        let sector = |id: u32| {
            let at = id as usize * 64;
            self.mini_stream
                .get(at..at + 64)
                .ok_or_else(|| format!("mini sector {id} lies past the mini stream"))
        };
        follow(
            &self.mini_fat,
            start,
            len,
            sector,
            |id| format!("mini sector {id} is outside the mini table"),
            "a mini sector chain loops",
        )
    }

    /// Whether the directory has an entry named `name` (case-insensitive).
    pub(super) fn has(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|(n, ..)| n.eq_ignore_ascii_case(name))
    }

    /// The stream named `name` (first match, case-insensitive, as calamine looks it up).
    pub(super) fn stream(&self, name: &str) -> Option<Result<Vec<u8>, String>> {
        let &(_, start, len) = self
            .entries
            .iter()
            .find(|(n, ..)| n.eq_ignore_ascii_case(name))?;
        // A small stream lives in the mini stream.
        Some(if len >= 4096 {
            self.chain(start, len)
        } else {
            self.mini_chain(start, len)
        })
    }
}

/// The bytes of a sector chain from `start`, at most `len` of them: `sector` gives a sector's
/// bytes, `table[id]` the sector after `id`. Fails when the chain leaves the table (`outside`
/// says so) or takes more steps than the table has entries (it loops: `loops`).
fn follow<'s>(
    table: &[u32],
    start: u32,
    len: u64,
    sector: impl Fn(u32) -> Result<&'s [u8], String>,
    outside: impl Fn(u32) -> String,
    loops: &str,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut id = start;
    let mut steps = 0usize;
    while id != END_OF_CHAIN {
        let s = sector(id)?;
        let room = len - out.len() as u64;
        out.extend_from_slice(&s[..s.len().min(usize::try_from(room).unwrap_or(usize::MAX))]);
        if out.len() as u64 >= len {
            break;
        }
        id = *table.get(id as usize).ok_or_else(|| outside(id))?;
        steps += 1;
        if steps > table.len() {
            return Err(loops.into());
        }
    }
    Ok(out)
}
