//! CSV/TSV reader: sniffs the delimiter from the header line, maps headers to columns once, and
//! streams records.
//!
//! Why it looks the way it does: a million-row inventory must import in a couple of seconds on a
//! small machine. The `csv` crate parses on one thread into batches of `ByteRecord`s (the header →
//! column mapping is a plain `Vec` indexed by field position, computed once), and each batch is
//! normalised on the rayon pool while parsing continues. Batches are stitched back in file order.
//! Records are `flexible`: a row with too many or too few fields is a row diagnostic, not a failure.

use super::headers::{self, identifying_examples};
use super::row::{Row, RowCtx};
use super::{ImportError, Progress, Rows};
use crate::model::{Account, Column, ColumnSet, RowError, Text};
use csv::ByteRecord;
use std::borrow::Cow;

const BATCH: usize = 8192;

/// What a field position means.
enum Slot {
    Col(Column),
    /// Unknown column: header as written.
    Extra(Text),
    /// Column with an empty header: values (rare) are kept under "(column N)".
    Unnamed(Text),
}

/// Picks the delimiter among `,` `;` tab `|` that occurs most often (outside quotes) in the
/// header line; `,` when none does.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let mut in_quotes = false;
    for &b in text.as_bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

fn field_str(f: &[u8]) -> Cow<'_, str> {
    // The whole text is valid UTF-8 and fields are cut at ASCII bytes, so this never copies.
    String::from_utf8_lossy(f)
}

struct BatchOut {
    accounts: Vec<Account>,
    errors: Vec<RowError>,
    rows: u64,
    rejected: u64,
    unnamed_used: Vec<bool>,
}

fn process_batch(
    slots: &[Slot],
    ctx: RowCtx,
    batch: &[ByteRecord],
    accounts: Vec<Account>,
) -> BatchOut {
    let mut out = BatchOut {
        accounts,
        errors: Vec::new(),
        rows: 0,
        rejected: 0,
        unnamed_used: vec![false; slots.len()],
    };
    for rec in batch {
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank row (Excel leaves them at the end); not data
        }
        out.rows += 1;
        let line = rec.position().map_or(0, |p| p.line());
        let mut row = Row::new(line, &mut out.errors, ctx);
        let mut overflow: Vec<String> = Vec::new();
        // The text is valid UTF-8 and fields are cut at ASCII bytes: validate once per record,
        // then slice fields out of it.
        let whole = std::str::from_utf8(rec.as_slice()).ok();
        for (i, f) in rec.iter().enumerate() {
            let s = match (whole, rec.range(i)) {
                (Some(w), Some(r)) => match w.get(r) {
                    Some(s) => Cow::Borrowed(s),
                    None => field_str(f),
                },
                _ => field_str(f),
            };
            match slots.get(i) {
                Some(Slot::Col(c)) => row.text(*c, &s),
                Some(Slot::Extra(h)) => row.extra(h, &s),
                Some(Slot::Unnamed(h)) => {
                    if !s.trim().is_empty() {
                        out.unnamed_used[i] = true;
                        row.extra(h, &s);
                    }
                }
                None => {
                    if !s.trim().is_empty() {
                        overflow.push(s.into_owned());
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
            Some(a) => out.accounts.push(a),
            None => out.rejected += 1,
        }
    }
    out
}

pub(crate) fn read(
    name: &str,
    text: &str,
    delimiter: Option<u8>,
    ctx: RowCtx,
    progress: Progress,
) -> Result<Rows, ImportError> {
    let delim = delimiter.unwrap_or_else(|| sniff_delimiter(text));
    let total = text.len() as u64;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .buffer_capacity(1 << 20)
        .from_reader(text.as_bytes());
    let bad = |e: csv::Error| ImportError::Invalid(format!("{name}: cannot read as CSV: {e}"));

    // Header.
    let mut header = ByteRecord::new();
    if !rdr.read_byte_record(&mut header).map_err(bad)? {
        return Err(ImportError::Invalid(format!("{name}: the file is empty")));
    }
    let mut slots = Vec::with_capacity(header.len());
    let mut first_of: Vec<Option<String>> = vec![None; Column::ALL.len()];
    let mut columns = ColumnSet::default();
    let mut found = Vec::new();
    for (i, f) in header.iter().enumerate() {
        let h = field_str(f);
        let h = h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        found.push(h.to_string());
        if h.is_empty() {
            slots.push(Slot::Unnamed(Text::from(format!("(column {})", i + 1))));
            continue;
        }
        match headers::lookup(h) {
            Some(c) => {
                if let Some(prev) = &first_of[c as usize] {
                    return Err(ImportError::Invalid(format!(
                        "{name}: the columns \"{prev}\" and \"{h}\" both mean `{c}`; keep one of them or rename the other"
                    )));
                }
                first_of[c as usize] = Some(h.to_string());
                columns.insert(c);
                slots.push(Slot::Col(c));
            }
            None => {
                slots.push(Slot::Extra(Text::from(h)));
            }
        }
    }
    if !columns.contains(Column::Id) && !columns.contains(Column::Name) {
        const SHOWN: usize = 20;
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
        let sep = match delim {
            b'\t' => "tab".to_string(),
            d => format!("`{}`", d as char),
        };
        return Err(ImportError::Invalid(format!(
            "{name}: no column identifies the accounts: expected {} in the header line; found {found} (delimiter {sep})",
            identifying_examples()
        )));
    }

    // Records: parse here, normalise batches on the pool, append finished batches in file order
    // as they arrive (so the accounts are never held twice), and recycle the record buffers.
    let (tx, rx) = std::sync::mpsc::channel::<(usize, BatchOut)>();
    let (recycle_tx, recycle_rx) = std::sync::mpsc::channel::<Vec<ByteRecord>>();
    let mut read_error = None;
    let slots_ref = &slots;
    // Upper bound of the records (a quoted cell may span lines): reserve once, no regrowth.
    let estimate = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut rows = Rows {
        accounts: Vec::with_capacity(estimate),
        columns,
        ..Rows::default()
    };
    let mut unnamed_used = vec![false; slots.len()];
    let mut pending = std::collections::BTreeMap::new();
    let mut next = 0usize;
    // Emptied batch account buffers go back to the workers, so their pages are touched once.
    let pool: std::sync::Mutex<Vec<Vec<Account>>> = std::sync::Mutex::new(Vec::new());
    let pool_ref = &pool;
    let mut append = |rows: &mut Rows, mut o: BatchOut| {
        rows.accounts.append(&mut o.accounts);
        if let Ok(mut p) = pool_ref.lock() {
            p.push(o.accounts);
        }
        rows.row_errors.extend(o.errors);
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
        let (mut counted_to, mut line_at) = (0usize, 1u64);
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
                        // csv-core's line numbers miss the blank lines it skips: recount physical
                        // lines from the record's byte offset (memchr, once over the file).
                        let rec = &mut batch[n];
                        if let Some(pos) = rec.position() {
                            // The reported offset is where the skipped blank lines begin.
                            let mut byte = (pos.byte() as usize).min(text.len());
                            while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
                                byte += 1;
                            }
                            if byte >= counted_to {
                                line_at +=
                                    memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..byte])
                                        .count() as u64;
                                counted_to = byte;
                            }
                            let mut fixed = pos.clone();
                            fixed.set_line(line_at);
                            rec.set_position(Some(fixed));
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
            if !batch.is_empty() {
                let tx = tx.clone();
                let recycle = recycle_tx.clone();
                let i = idx;
                scope.spawn(move |_| {
                    let buf = pool_ref
                        .lock()
                        .ok()
                        .and_then(|mut p| p.pop())
                        .unwrap_or_else(|| Vec::with_capacity(BATCH));
                    let out = process_batch(slots_ref, ctx, &batch, buf);
                    let _ = tx.send((i, out));
                    let _ = recycle.send(batch);
                });
                idx += 1;
            }
            progress(rdr.position().byte(), total);
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
    // Unknown columns in file order, including empty-header columns that held values.
    for (i, s) in slots.iter().enumerate() {
        match s {
            Slot::Extra(h) => rows.extra_columns.push(h.to_string()),
            Slot::Unnamed(h) if unnamed_used[i] => rows.extra_columns.push(h.to_string()),
            _ => {}
        }
    }
    progress(total, total);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_sniffing() {
        assert_eq!(sniff_delimiter("id,name,type\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter("id;name;type\n"), b';');
        assert_eq!(sniff_delimiter("id\tname\ttype"), b'\t');
        assert_eq!(sniff_delimiter("id|name|type"), b'|');
        assert_eq!(sniff_delimiter("\"a;b;c\",name\n"), b',');
        assert_eq!(sniff_delimiter("id"), b',');
    }
}
