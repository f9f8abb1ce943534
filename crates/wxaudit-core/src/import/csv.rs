//! CSV/TSV reader: sniffs the delimiter from the header line, maps headers to columns once, and
//! streams records.
//!
//! Why it looks the way it does: a million-row inventory must import in a couple of seconds on a
//! small machine. The `csv` crate parses on one thread into batches of `ByteRecord`s (the header →
//! column mapping is a plain `Vec` indexed by field position, computed once), and each batch is
//! normalised on the rayon pool while parsing continues. Batches are stitched back in file order.
//! Records are `flexible`: a row with too many or too few fields is a row diagnostic, not a failure.

use super::headers::identifying_examples;
use super::info::{HeaderRow, SkipReason, SkippedRow};
use super::layout::{self, Header, HEADER_SEARCH_ROWS};
use super::mapping::{self, Mapping, Overrides, Slot};
use super::row::{Row, RowCtx};
use super::text::Source;
use super::{ImportError, Progress, Rows};
use crate::accounts::{Accounts, StoreFull};
use crate::model::RowError;
use csv::ByteRecord;
use std::borrow::Cow;

const BATCH: usize = 8192;

/// Picks the delimiter among `,` `;` tab `|`: the one that occurs most often (outside quotes) on
/// the first line that has any of them — the header line, or a title row above it that Excel
/// padded with delimiters; a bare title line (`Acme 公众号清单`) is looked past. `,` when none
/// occurs in the first lines.
pub(crate) fn sniff_delimiter(text: impl Iterator<Item = u8>) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let pick = |counts: &[usize; 4]| {
        let mut best = 0;
        for i in 1..4 {
            if counts[i] > counts[best] {
                best = i;
            }
        }
        CANDIDATES[best]
    };
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let mut lines = 0;
    for b in text {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                if counts.iter().any(|&c| c > 0) {
                    return pick(&counts);
                }
                lines += 1;
                if lines == HEADER_SEARCH_ROWS {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    pick(&counts)
}

/// How a delimiter is named in messages: "tab", or the character in backticks.
pub(crate) fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_string(),
        d => format!("`{}`", d as char),
    }
}

fn field_str(f: &[u8]) -> Cow<'_, str> {
    // The whole text is valid UTF-8 and fields are cut at ASCII bytes, so this never copies.
    String::from_utf8_lossy(f)
}

struct BatchOut {
    /// The batch's accounts, packed on the worker that read them (see [`Accounts::append`]).
    accounts: Accounts,
    /// Set when the batch's accounts did not fit the store.
    full: Option<StoreFull>,
    errors: Vec<RowError>,
    skipped: Vec<SkippedRow>,
    rows: u64,
    rejected: u64,
    unnamed_used: Vec<bool>,
}

/// Whether a record holds nothing but whitespace (Excel leaves such rows, often at the end).
fn is_blank(rec: &ByteRecord) -> bool {
    rec.iter().all(|f| match f.first() {
        None => true,
        // A visible ASCII character: the usual cell, and not blank (no text is decoded).
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => {
            f.iter().all(u8::is_ascii_whitespace) || mapping::trim_cell(&field_str(f)).is_empty()
        }
    })
}

fn record_line(rec: &ByteRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}

fn process_batch(map: &Mapping, ctx: RowCtx, batch: &[ByteRecord]) -> BatchOut {
    let slots = &map.slots;
    let mut out = BatchOut {
        accounts: Accounts::new(),
        full: None,
        errors: Vec::new(),
        skipped: Vec::new(),
        rows: 0,
        rejected: 0,
        unnamed_used: vec![false; slots.len()],
    };
    // One account filled row after row (see `Row::reusing`).
    let mut spare: Option<Box<crate::model::Account>> = None;
    for rec in batch {
        let line = record_line(rec);
        // The text is valid UTF-8 (a `&str`), and a record's bytes are the text's less ASCII
        // quotes, delimiters and line ends, which never split a character: slice fields out of
        // it without validating it again (that was 5% of a million-row audit).
        debug_assert!(std::str::from_utf8(rec.as_slice()).is_ok());
        // SAFETY: see above — removing ASCII bytes from valid UTF-8 leaves valid UTF-8.
        let whole = unsafe { std::str::from_utf8_unchecked(rec.as_slice()) };
        // Fields are cut at ASCII bytes, so each range is on character boundaries.
        let cell = |i: usize| rec.range(i).and_then(|r| whole.get(r)).unwrap_or("");
        if is_blank(rec) {
            layout::push_skipped(&mut out.skipped, line, SkipReason::Blank, String::new());
            continue;
        }
        if let Some(reason) = layout::non_account(map, rec.len(), cell) {
            let text = layout::row_text((0..rec.len()).map(cell));
            layout::push_skipped(&mut out.skipped, line, reason, text);
            continue;
        }
        out.rows += 1;
        let mut row = Row::reusing(spare.take().unwrap_or_default(), line, &mut out.errors, ctx);
        let mut overflow: Vec<String> = Vec::new();
        for i in 0..rec.len() {
            let s = cell(i);
            match slots.get(i) {
                Some(Slot::Col(c, None)) => row.text(*c, s),
                Some(Slot::Col(c, scale)) => row.text_scaled(*c, s, *scale),
                Some(Slot::Extra(h)) => row.extra(h, s),
                Some(Slot::Unnamed(h)) => {
                    if !s.trim().is_empty() {
                        out.unnamed_used[i] = true;
                        row.extra(h, s);
                    }
                }
                None => {
                    if !s.trim().is_empty() {
                        overflow.push(s.to_string());
                    }
                }
            }
        }
        if !overflow.is_empty() {
            let msg = format!(
                "row has {} values but the header has {} columns; the extra values were ignored",
                rec.len(),
                slots.len()
            );
            row.error(None, Some(&overflow.join(", ")), msg);
        } else if rec.len() < slots.len() {
            let msg = format!(
                "row has {} values but the header has {} columns; the missing ones were left empty",
                rec.len(),
                slots.len()
            );
            row.error(None, None, msg);
        }
        match row.finish() {
            Some(a) => {
                if let Err(e) = out.accounts.push(&a) {
                    out.full.get_or_insert(e);
                }
                spare = Some(a);
            }
            None => out.rejected += 1,
        }
    }
    out
}

/// Finds the header: `--header-row` when given, else the best-matching of the first rows.
fn find_header(
    name: &str,
    rdr: &mut csv::Reader<Source>,
    header_row: Option<u64>,
    overrides: &Overrides,
) -> Result<(usize, Header), ImportError> {
    let bad = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        let err = ImportError::invalid(name, format!("cannot read as CSV: {e}"));
        match line {
            Some(l) => err.at(l, None),
            None => err,
        }
    };
    let mut first: Vec<ByteRecord> = Vec::new();
    let mut rec = ByteRecord::new();
    let limit = match header_row {
        Some(n) => n.min(1_000_000) as usize,
        None => HEADER_SEARCH_ROWS,
    };
    let mut line_of = LineCounter::default();
    while first.len() < limit && rdr.read_byte_record(&mut rec).map_err(bad)? {
        line_of.fix(rdr.get_ref(), &mut rec);
        // Checked before any header matching: that work grows with the width.
        if rec.len() > mapping::MAX_COLUMNS {
            return Err(mapping::too_wide(
                name,
                &format!("columns on line {}", record_line(&rec)),
                rec.len(),
            ));
        }
        if header_row.is_some_and(|n| record_line(&rec) > n) {
            break;
        }
        first.push(rec.clone());
    }
    if first.is_empty() {
        return Err(ImportError::invalid(name, "the file is empty"));
    }
    let cells: Vec<Vec<String>> = first
        .iter()
        .map(|r| r.iter().map(|f| field_str(f).into_owned()).collect())
        .collect();
    let idx = match header_row {
        Some(n) => match first.iter().position(|r| record_line(r) == n) {
            Some(i) => i,
            None => {
                return Err(ImportError::invalid(name, format!("--header-row {n}: line {n} is not the start of a row of this file (it has {} lines before the data ends, or line {n} continues a quoted cell)",
                    first.last().map_or(0, record_line)
                ))
                .at(n, None))
            }
        },
        None => layout::find_header(&cells, overrides).unwrap_or(0),
    };
    let mut skipped = Vec::new();
    for (r, c) in first.iter().zip(&cells).take(idx) {
        layout::push_above_header(&mut skipped, record_line(r), c.iter().map(String::as_str));
    }
    let mapping = mapping::map_headers(&cells[idx], overrides);
    Ok((
        idx,
        Header {
            row: HeaderRow {
                line: record_line(&first[idx]),
                given: header_row.is_some(),
            },
            skipped,
            mapping,
        },
    ))
}

/// A quoted cell spanning more lines than this is a quote left open, not a value: real cells
/// (an address, a note) hold a few lines.
pub(crate) const MAX_CELL_LINES: usize = 30;
/// A cell longer than this is a quote left open: it is more than Excel holds in a cell
/// (32,767 characters, 98,301 bytes of Chinese in UTF-8).
pub(crate) const MAX_CELL_BYTES: usize = 128 * 1024;

/// A record holding a cell beyond [`MAX_CELL_LINES`] or [`MAX_CELL_BYTES`]: a quote opened on
/// its first line and never closed where it should have been, so the cell swallowed the rows
/// after it. The row error for its first line (the row is rejected; reading restarts on the
/// next line, so the rows it swallowed are read as rows).
fn runaway(rec: &ByteRecord, slots: &[Slot]) -> Option<RowError> {
    let (i, f) = rec.iter().enumerate().find(|(_, f)| {
        f.len() > MAX_CELL_BYTES
            || (f.len() > MAX_CELL_LINES
                && memchr::memchr_iter(b'\n', f).nth(MAX_CELL_LINES).is_some())
    })?;
    let lines = memchr::memchr_iter(b'\n', f).count() + 1;
    let column = match slots.get(i) {
        Some(Slot::Col(c, _)) => c.as_str().to_string(),
        Some(Slot::Extra(h) | Slot::Unnamed(h)) => h.to_string(),
        None => format!("(column {})", i + 1),
    };
    let text = field_str(f);
    let start: String = text.chars().take(40).collect();
    Some(RowError {
        line: record_line(rec),
        column: Some(column),
        value: Some(format!("{start}…")),
        message: format!(
            "a quote (\") opened in this cell is not closed on this line, so the cell ran on over {lines} lines ({} bytes) \
             — more than a real value ({MAX_CELL_LINES} lines or {} KiB); this row was skipped and reading went on \
             from the next line. Check the quotes on this line: a quote inside a value must be written twice (\"\")",
            f.len(),
            MAX_CELL_BYTES / 1024
        ),
        skipped: true,
    })
}

/// The byte offset of the line after the one `rec` starts on.
fn next_line_start(text: &Source, rec: &ByteRecord) -> usize {
    let start = rec
        .position()
        .map_or(0, |p| p.byte() as usize)
        .min(text.len());
    match text.next_newline(start) {
        Some(i) => i + 1,
        None => text.len(),
    }
}

/// csv-core's line numbers miss the blank lines it skips: recounts physical lines from each
/// record's byte offset (memchr, once over the file).
#[derive(Default)]
struct LineCounter {
    counted_to: usize,
    line_at: u64,
    /// Where the current reader starts in the text (it restarts after a runaway quote), so
    /// records' byte offsets are made absolute here.
    base: usize,
    /// Runs of empty lines csv-core passed over, (first, last): reported as blank rows so the
    /// report's counts add up to the lines of the file.
    blank: Vec<(u64, u64)>,
}

impl LineCounter {
    fn fix(&mut self, text: &Source, rec: &mut ByteRecord) {
        if self.line_at == 0 {
            self.line_at = 1;
        }
        if let Some(pos) = rec.position() {
            // The reported offset is where the skipped blank lines begin.
            let mut byte = (self.base + pos.byte() as usize).min(text.len());
            while matches!(text.byte(byte), Some(b'\r' | b'\n')) {
                byte += 1;
            }
            if byte >= self.counted_to {
                self.line_at += text.count_newlines(self.counted_to, byte);
                self.counted_to = byte;
            }
            let mut fixed = pos.clone();
            fixed.set_line(self.line_at);
            fixed.set_byte(byte as u64);
            rec.set_position(Some(fixed));
            // Empty lines just before the record (csv-core passes over them): the line breaks in
            // the run of them, less the one that ended the previous record's line.
            if byte > 0
                && text.byte(byte - 1) == Some(b'\n')
                && (byte == 1 || matches!(text.byte(byte - 2), Some(b'\n' | b'\r')))
            {
                let blank = empty_lines_before(text, byte);
                if blank > 0 {
                    self.blank.push((self.line_at - blank, self.line_at - 1));
                }
            }
        }
    }
}

/// The empty lines in the run of line breaks that ends at `end` (before a record, or at the end
/// of the file): its line breaks, less the one that ended the line before the run.
fn empty_lines_before(text: &Source, end: usize) -> u64 {
    let run_start = text.line_break_run_start(end);
    let breaks = text.count_newlines(run_start, end);
    breaks.saturating_sub(u64::from(run_start > 0))
}

impl LineCounter {
    /// The empty lines csv-core passed over, with those after the last record, as blank rows.
    fn blank_rows(mut self, text: &Source) -> Vec<(u64, u64)> {
        let blank = empty_lines_before(text, text.len());
        if blank > 0 {
            // The line feeds before `counted_to` are counted already (and that text may be
            // let go of): `line_at` is one more than them.
            let lines =
                self.line_at.saturating_sub(1) + text.count_newlines(self.counted_to, text.len());
            self.blank.push((lines - blank + 1, lines));
        }
        self.blank
    }
}

/// What the CSV reader was told.
pub(crate) struct CsvOptions<'a> {
    pub delimiter: Option<u8>,
    pub header_row: Option<u64>,
    pub overrides: &'a Overrides,
}

pub(crate) fn read<'t>(
    name: &str,
    text: Source<'t>,
    opts: &CsvOptions,
    ctx: RowCtx,
    progress: Progress,
) -> Result<(Rows, Header, u8), ImportError> {
    let delim = opts
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(text.each_byte()));
    let total = text.len() as u64;
    // A reader of the text from `from` on (the text moves from reader to reader).
    let rdr_at = |mut text: Source<'t>, from: usize| {
        text.seek(from);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delim)
            .buffer_capacity(1 << 20)
            .from_reader(text)
    };
    let bad = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        let err = ImportError::invalid(name, format!("cannot read as CSV: {e}"));
        match line {
            Some(l) => err.at(l, None),
            None => err,
        }
    };
    let mut rdr = rdr_at(text, 0);
    let (header_idx, header) = find_header(name, &mut rdr, opts.header_row, opts.overrides)?;
    let mut rdr = rdr_at(rdr.into_inner(), 0);
    let mut lines = LineCounter::default();
    let mut runaways: Vec<RowError> = Vec::new();
    {
        let mut skip = ByteRecord::new();
        for _ in 0..=header_idx {
            rdr.read_byte_record(&mut skip).map_err(bad)?;
            lines.fix(rdr.get_ref(), &mut skip);
        }
    }
    let map = &header.mapping;
    let slots = &map.slots;
    let columns = map.columns;
    if !map.identifies() {
        const SHOWN: usize = 20;
        let found = &map.header_cells;
        let mut list = found
            .iter()
            .take(SHOWN)
            .map(|h| match h.char_indices().nth(40) {
                Some((i, _)) => format!("\"{}…\"", &h[..i]),
                None => format!("\"{h}\""),
            })
            .collect::<Vec<_>>()
            .join(", ");
        if found.len() > SHOWN {
            list.push_str(&format!(" and {} more", found.len() - SHOWN));
        }
        let found = list;
        let sep = delimiter_name(delim);
        let line = header.row.line;
        let hint = if header.row.given {
            String::new()
        } else {
            format!(
                "; no row among the first {HEADER_SEARCH_ROWS} looks like a header, so line {line} was taken — \
                 pass --header-row N if the header is elsewhere, or --column \"HEADER=id\" to name the identifying column"
            )
        };
        return Err(ImportError::invalid(name, format!("no column identifies the accounts: expected {} in the header (line {line}); found {found} (delimiter {sep}){hint}{}",
            identifying_examples(),
            mapping::identifying_suggestions(map)
        ))
        .at(line, None));
    }

    // Records: parse here, normalise batches on the pool, append finished batches in file order
    // as they arrive (so the accounts are never held twice), and recycle the record buffers.
    let (tx, rx) = std::sync::mpsc::channel::<(usize, BatchOut)>();
    let (recycle_tx, recycle_rx) = std::sync::mpsc::channel::<Vec<ByteRecord>>();
    let mut read_error = None;
    let slots_ref = &slots;
    let mut rows = Rows {
        accounts: crate::accounts::Accounts::new(),
        columns,
        ..Rows::default()
    };
    let mut unnamed_used = vec![false; slots.len()];
    let mut pending = std::collections::BTreeMap::new();
    let mut next = 0usize;
    // Set when the store cannot take more accounts; the import then fails as a whole.
    let mut full = None;
    let mut append = |rows: &mut Rows, o: BatchOut| {
        if let Some(e) = o.full {
            full.get_or_insert(e);
        }
        if let Err(e) = rows.accounts.append(o.accounts) {
            full.get_or_insert(e);
        }
        rows.row_errors.extend(o.errors);
        for sk in o.skipped {
            layout::push_skipped(&mut rows.skipped, sk.line, sk.reason, sk.text);
            if let Some(last) = rows.skipped.last_mut() {
                last.last_line = last.last_line.max(sk.last_line);
            }
        }
        rows.rows += o.rows;
        rows.rejected += o.rejected;
        for (u, x) in unnamed_used.iter_mut().zip(o.unnamed_used) {
            *u |= x;
        }
    };
    // Files arrived batches and appends those now in order; returns how many are appended.
    let mut drain = |rows: &mut Rows, arrived: &mut dyn Iterator<Item = (usize, BatchOut)>| {
        for (i, o) in arrived {
            pending.insert(i, o);
        }
        while let Some(o) = pending.remove(&next) {
            append(rows, o);
            next += 1;
        }
        next
    };
    let rx = rayon::scope(|scope| {
        // Receivers are not Sync: move them into this closure.
        let (rx, recycle_rx) = (rx, recycle_rx);
        let mut idx = 0usize;
        // Backpressure: with too many batches outstanding, this thread helps normalising (or
        // waits for one to finish) instead of parsing ahead, so memory stays bounded.
        let max_in_flight = 2 * rayon::current_num_threads() + 2;
        loop {
            while idx - drain(&mut rows, &mut rx.try_iter()) >= max_in_flight {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    if let Ok(m) = rx.recv() {
                        drain(&mut rows, &mut std::iter::once(m));
                    }
                }
            }
            let mut batch = recycle_rx
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(BATCH));
            let mut n = 0;
            let mut done = false;
            while n < BATCH {
                if n == batch.len() {
                    batch.push(ByteRecord::with_capacity(256, slots_ref.len().max(1)));
                }
                match rdr.read_byte_record(&mut batch[n]) {
                    Ok(true) => {
                        // csv-core's own count of the lines the record took (its line numbers
                        // leave out empty lines, never lines inside a cell): a free first check.
                        let first = batch[n].position().map_or(0, |p| p.line());
                        let span = rdr.position().line().saturating_sub(first);
                        lines.fix(rdr.get_ref(), &mut batch[n]);
                        if span > MAX_CELL_LINES as u64
                            || batch[n].as_slice().len() > MAX_CELL_BYTES
                        {
                            if let Some(e) = runaway(&batch[n], slots_ref) {
                                // Read again from the line after the one the quote opened on.
                                let at = next_line_start(rdr.get_ref(), &batch[n]);
                                lines.base = at;
                                runaways.push(e);
                                let text = std::mem::replace(rdr.get_mut(), Source::whole(""));
                                rdr = rdr_at(text, at);
                                continue;
                            }
                        }
                        n += 1
                    }
                    Ok(false) => {
                        done = true;
                        break;
                    }
                    Err(e) => {
                        read_error = Some(e);
                        done = true;
                        break;
                    }
                }
            }
            batch.truncate(n);
            if let Some(last) = batch.last() {
                // Nothing reads the text before the last record read again (see `text`).
                let start = last.position().map_or(0, |p| p.byte() as usize);
                rdr.get_mut().release_before(start);
            }
            if !batch.is_empty() {
                let tx = tx.clone();
                let recycle = recycle_tx.clone();
                let i = idx;
                scope.spawn(move |_| {
                    let out = process_batch(map, ctx, &batch);
                    let _ = tx.send((i, out));
                    let _ = recycle.send(batch);
                });
                idx += 1;
            }
            progress(lines.base as u64 + rdr.position().byte(), total);
            if done {
                break;
            }
        }
        // Finish the outstanding batches the same way.
        while drain(&mut rows, &mut rx.try_iter()) < idx {
            if rayon::yield_now() != Some(rayon::Yield::Executed) {
                if let Ok(m) = rx.recv() {
                    drain(&mut rows, &mut std::iter::once(m));
                }
            }
        }
        rx
    });
    drop(tx);
    drain(&mut rows, &mut rx.into_iter());
    if let Some(e) = read_error {
        return Err(bad(e));
    }
    if let Some(e) = full {
        return Err(super::store_full(name, e));
    }
    let blank = lines.blank_rows(rdr.get_ref());
    if !blank.is_empty() {
        for (first, last) in blank {
            rows.skipped.push(SkippedRow {
                line: first,
                last_line: last,
                reason: SkipReason::Blank,
                text: String::new(),
            });
        }
        rows.skipped.sort_by_key(|r| r.line);
        // Adjacent blank runs (passed over, or whitespace-only records) become one.
        rows.skipped.dedup_by(|next, prev| {
            let joins = prev.reason == SkipReason::Blank
                && next.reason == SkipReason::Blank
                && next.line <= prev.last_line + 1;
            if joins {
                prev.last_line = prev.last_line.max(next.last_line);
            }
            joins
        });
    }
    if !runaways.is_empty() {
        rows.rows += runaways.len() as u64;
        rows.rejected += runaways.len() as u64;
        rows.row_errors.append(&mut runaways);
        // Already in line order but for these: a stable sort keeps each row's own order.
        rows.row_errors.sort_by_key(|e| e.line);
    }
    let mut header = header;
    rows.extra_columns = header.mapping.finish(&unnamed_used);
    progress(total, total);
    Ok((rows, header, delim))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_sniffing() {
        assert_eq!(sniff_delimiter("id,name,type\n1;2;3;4;5".bytes()), b',');
        assert_eq!(sniff_delimiter("id;name;type\n".bytes()), b';');
        assert_eq!(sniff_delimiter("id\tname\ttype".bytes()), b'\t');
        assert_eq!(sniff_delimiter("id|name|type".bytes()), b'|');
        assert_eq!(sniff_delimiter("\"a;b;c\",name\n".bytes()), b',');
        assert_eq!(sniff_delimiter("id".bytes()), b',');
        assert_eq!(sniff_delimiter("Acme 公众号清单\nid;name\n".bytes()), b';');
        assert_eq!(
            sniff_delimiter("Acme 公众号清单,,\nid,name,x\n".bytes()),
            b','
        );
    }
}
