//! Text from an inventory made safe for where it is shown: a terminal, a Markdown page, a
//! spreadsheet.
//!
//! Account names, brands, headers and sheet names come from files the user did not write and
//! may be hostile: an escape sequence retitles or clears the terminal, a `|` or `<script>` breaks
//! a wiki table, `=HYPERLINK(…)` runs in Excel. Every output path passes file text through one of
//! the three guards here, at the point where it is written:
//!
//! - [`terminal`] / [`TerminalOut`]: control characters (C0 including tab and newlines, DEL, C1),
//!   bidi overrides, isolates and marks become visible escapes like `\u{1b}`;
//! - [`markdown`]: Markdown punctuation backslash-escaped, `<`, `>`, `&` as entities, line breaks
//!   as spaces, so a value is always plain text in one table cell;
//! - [`csv_cell`]: the terminal escapes but for a cell's line breaks and tabs, then
//!   [`formula_guard`]: a CSV cell a spreadsheet would run as a formula gets a leading `'`.
//!
//! JSON reports keep every value as it was, but [`JsonOut`] writes the characters JSON would
//! leave raw (DEL, C1 controls, bidi controls, invisible characters) as `\uXXXX` escapes — the
//! same text to any JSON reader, inert on a terminal (JSON escapes C0 controls itself).

use std::borrow::Cow;
use std::io::{self, Write};

/// A character that acts on a terminal or reorders what is shown instead of being shown:
/// C0 controls (tab, CR and LF too), DEL, C1 controls, bidi embeddings/overrides
/// (U+202A–U+202E), isolates (U+2066–U+2069), directional marks (U+200E, U+200F, U+061C) and the
/// Unicode line and paragraph separators (U+2028, U+2029), and the invisible characters that
/// hide inside a pasted id (BOM U+FEFF, zero-width space U+200B, word joiner U+2060) so a message
/// about them shows where they are.
pub fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{feff}'
                | '\u{200b}'
                | '\u{2060}'
        )
}

/// Text for a terminal, on one line: every [`is_hostile`] character is shown as `\u{…}`.
///
/// Different inputs never look the same: a run of backslashes right before `u{` or before an
/// escaped character is doubled, so the text `\u{1b}` (typed into a cell) shows as `\\u{1b}`
/// while a real ESC shows as `\u{1b}`. Any other backslash (`C:\Users\Li`) is left alone, and
/// text with nothing to escape is returned as it is, without copying.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape(s, Keep::Nothing)
}

/// [`terminal`] that keeps line feeds: for messages that are several lines on purpose.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    escape(s, Keep::LineFeeds)
}

/// A CSV cell: [`terminal`] escapes for everything but the line breaks (LF, CRLF) and tabs a
/// multi-line cell legitimately holds (the CSV writer quotes those), so a report printed with
/// `cat` or opened in a spreadsheet never runs an escape sequence or reorders text; then
/// [`formula_guard`].
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match escape(s, Keep::CellBreaks) {
        Cow::Borrowed(b) => formula_guard(b),
        Cow::Owned(o) => match formula_guard(&o) {
            Cow::Borrowed(_) => Cow::Owned(o),
            Cow::Owned(g) => Cow::Owned(g),
        },
    }
}

/// Which [`is_hostile`] characters an escape leaves as they are.
#[derive(Clone, Copy)]
enum Keep {
    Nothing,
    /// LF.
    LineFeeds,
    /// LF, tab, and CR right before LF.
    CellBreaks,
}

/// Whether the character `rest` starts with is shown as an escape.
fn escaped_here(rest: &str, keep: Keep) -> bool {
    let mut chars = rest.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    is_hostile(c)
        && !match keep {
            Keep::Nothing => false,
            Keep::LineFeeds => c == '\n',
            Keep::CellBreaks => c == '\n' || c == '\t' || (c == '\r' && chars.next() == Some('\n')),
        }
}

/// Whether a run of backslashes followed by `rest` is doubled: when `rest` would read as (or
/// is) an escape.
fn doubled(rest: &str, keep: Keep) -> bool {
    rest.starts_with("u{") || escaped_here(rest, keep)
}

fn escape(s: &str, keep: Keep) -> Cow<'_, str> {
    if !needs_escape(s, keep) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let after = rest.trim_start_matches('\\');
            let run = &rest[..rest.len() - after.len()];
            out.push_str(run);
            if doubled(after, keep) {
                out.push_str(run);
            }
            rest = after;
            continue;
        }
        if escaped_here(rest, keep) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Whether an escaped character or a backslash run can start at a byte `a` followed by `b` and
/// `c` (spaces past the end of the text): ASCII controls and `\\`, and the exact UTF-8 forms of
/// the non-ASCII hostile characters ([`starts_json_escaped`]). Never at a continuation byte.
#[inline(always)]
fn starts_escape(a: u8, b: u8, c: u8) -> bool {
    (a < 0x20) | (a == b'\\') | starts_json_escaped(a, b, c)
}

/// Whether a character [`json_escaped`] picks starts at a byte `a` followed by `b` and `c`: DEL,
/// and the UTF-8 forms of the non-ASCII [`is_hostile`] characters — C1 controls (`C2 80`–`C2
/// 9F`), U+061C (`D8 9C`), U+200B, U+200E, U+200F and U+2028–U+202E (`E2 80 8B`, `8E`, `8F`,
/// `A8`–`AE`), U+2060
/// and U+2066–U+2069 (`E2 81 A0`, `A6`–`A9`), U+FEFF (`EF BB BF`). Tested on three bytes, not
/// on the lead byte alone: `—`, `…`, `≈` and `·` (`E2 80 94`, `E2 80 A6`, `E2 89 88`, `C2 B7`)
/// share lead bytes with them and stand in most messages, and a block holding one was looked at
/// byte by byte. A test holds this to [`json_escaped`] for every character.
#[inline(always)]
fn starts_json_escaped(a: u8, b: u8, c: u8) -> bool {
    let in_range = |x: u8, lo: u8, hi: u8| x.wrapping_sub(lo) <= hi - lo;
    let e2 = ((b == 0x80) & ((c == 0x8b) | in_range(c, 0x8e, 0x8f) | in_range(c, 0xa8, 0xae)))
        | ((b == 0x81) & ((c == 0xa0) | in_range(c, 0xa6, 0xa9)));
    (a == 0x7f)
        | ((a == 0xc2) & in_range(b, 0x80, 0x9f))
        | ((a == 0xd8) & (b == 0x9c))
        | ((a == 0xe2) & e2)
        | ((a == 0xef) & (b == 0xbb) & (c == 0xbf))
}

/// The bytes at `i`, `i + 1` and `i + 2` of `b`, spaces past its end.
#[inline(always)]
fn three_at(b: &[u8], i: usize) -> (u8, u8, u8) {
    let at = |k: usize| b.get(k).copied().unwrap_or(b' ');
    (at(i), at(i + 1), at(i + 2))
}

pub(crate) const BLOCK: usize = 32;

/// Whether any byte of a block passes `hit`: the whole block tested at once, with no early exit,
/// which the compiler turns into a few vector compares.
#[inline(always)]
fn block_any(block: &[u8; BLOCK], hit: &impl Fn(u8) -> bool) -> bool {
    block.iter().fold(false, |any, &x| any | hit(x))
}

/// `rest` (shorter than a block) padded with spaces to a block: the scans here test whole
/// blocks, and a space passes none of their tests.
#[inline(always)]
fn padded(rest: &[u8]) -> [u8; BLOCK] {
    let mut block = [b' '; BLOCK];
    block[..rest.len()].copy_from_slice(rest);
    block
}

/// The start of the first stretch of [`BLOCK`] bytes of `b` (or of the shorter rest) from `i` on
/// that holds a byte `hit` accepts (`hit(b' ')` must be false).
#[inline(always)]
pub(crate) fn next_block(b: &[u8], mut i: usize, hit: impl Fn(u8) -> bool) -> Option<usize> {
    while let Some(block) = b.get(i..i + BLOCK) {
        if block_any(block.try_into().expect("a block is BLOCK bytes"), &hit) {
            return Some(i);
        }
        i += BLOCK;
    }
    let rest = b.get(i..).filter(|r| !r.is_empty())?;
    block_any(&padded(rest), &hit).then_some(i)
}

/// [`block_any`] for a test of each position of a block with the two bytes after it: `w` is the
/// block and the two bytes that follow it.
#[inline(always)]
fn block_any3(w: &[u8; BLOCK + 2], hit: &impl Fn(u8, u8, u8) -> bool) -> bool {
    (0..BLOCK).fold(false, |any, j| any | hit(w[j], w[j + 1], w[j + 2]))
}

/// The blocks of `b` from `i` on, each with the two bytes after it (spaces past the end of `b`),
/// handed to `visit` until it returns true; returns the start of the block it returned true for.
#[inline(always)]
fn find_window(
    b: &[u8],
    mut i: usize,
    mut visit: impl FnMut(&[u8; BLOCK + 2]) -> bool,
) -> Option<usize> {
    while let Some(w) = b.get(i..i + BLOCK + 2) {
        if visit(w.try_into().expect("a block and two bytes")) {
            return Some(i);
        }
        i += BLOCK;
    }
    while i < b.len() {
        let rest = &b[i..];
        let mut w = [b' '; BLOCK + 2];
        w[..rest.len()].copy_from_slice(rest);
        if visit(&w) {
            return Some(i);
        }
        i += BLOCK;
    }
    None
}

/// [`next_block`] for a test of each position with the two bytes after it (spaces past the end of
/// `b`; `hit` must be false at a space).
#[inline(always)]
fn next_block3(b: &[u8], i: usize, hit: impl Fn(u8, u8, u8) -> bool) -> Option<usize> {
    find_window(b, i, |w| block_any3(w, &hit))
}

/// Whether some position of `b` passes `p` (a test of its byte and the two after it, see
/// [`next_block3`]), and whether some byte passes `q`, found in one pass a block at a time
/// (neither may accept a space).
#[inline(always)]
fn any_of_two(b: &[u8], p: impl Fn(u8, u8, u8) -> bool, q: impl Fn(u8) -> bool) -> (bool, bool) {
    let (mut hp, mut hq) = (false, false);
    find_window(b, 0, |w| {
        hp |= block_any3(w, &p);
        hq |= block_any(w[..BLOCK].try_into().expect("a block"), &q);
        false
    });
    (hp, hq)
}

/// [`csv_cell`], and whether any byte of the cell passes `special` (a CSV writer's test for a
/// cell it must quote; never true of a space), found in the same pass over the text: every cell
/// of a million-row CSV report, a gigabyte of text, passes here.
pub(crate) fn csv_cell_and(s: &str, special: impl Fn(u8) -> bool) -> (Cow<'_, str>, bool) {
    let (opener, hit) = any_of_two(s.as_bytes(), starts_escape, &special);
    if !opener || !needs_escape(s, Keep::CellBreaks) {
        return (formula_guard(s), hit);
    }
    let cell = csv_cell(s);
    let hit = next_block(cell.as_bytes(), 0, special).is_some();
    (cell, hit)
}

/// Whether [`escape`] changes `s`. Every cell of a million-row CSV report passes here (a
/// gigabyte of text), so the text is tested a block at a time for any place an escape can
/// [`starts_escape`] at; only a block that has one is looked at byte by byte, and only at such
/// places — which are all character boundaries — is a character decoded.
fn needs_escape(s: &str, keep: Keep) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(start) = next_block3(b, i, starts_escape) {
        i = start;
        let end = (start + BLOCK).min(b.len());
        while i < end {
            let (x, y, z) = three_at(b, i);
            if !starts_escape(x, y, z) {
                i += 1;
                continue;
            }
            let rest = &s[i..];
            if x == b'\\' {
                let after = rest.trim_start_matches('\\');
                if doubled(after, keep) {
                    return true;
                }
                i = s.len() - after.len();
            } else if escaped_here(rest, keep) {
                return true;
            } else {
                i += 1;
            }
        }
    }
    false
}

/// Whether [`JsonOut`] writes `c` as an escape: DEL and every non-ASCII [`is_hostile`]
/// character (a JSON writer escapes the C0 controls inside strings itself, and the line breaks
/// outside them are the document's own).
fn json_escaped(c: char) -> bool {
    c == '\u{7f}' || (!c.is_ascii() && is_hostile(c))
}

/// A JSON document being written, with every character [`json_escaped`] picks written as a
/// `\uXXXX` escape. Such characters are never part of JSON's own syntax, so they only ever
/// stand inside strings, where the escape means the same character: every JSON reader reads
/// the same document, while `cat report.json` on a terminal shows `\u202e` instead of
/// reordering the line or acting on a C1 control.
///
/// The text is tested a block at a time for the bytes that can start such a character; a
/// character cut between two writes is held back until the rest of it comes.
pub struct JsonOut<W: Write> {
    inner: W,
    /// The start of a character the last write ended in the middle of.
    held: Vec<u8>,
    /// What a write with something to escape hands on.
    out: Vec<u8>,
}

impl<W: Write> JsonOut<W> {
    pub fn new(inner: W) -> Self {
        JsonOut {
            inner,
            held: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Writes `text` (whole characters only), escaping what needs it.
    fn put(&mut self, text: &[u8]) -> io::Result<()> {
        self.out.clear();
        if json_escapes_into(text, &mut self.out) {
            self.inner.write_all(&self.out)
        } else {
            self.inner.write_all(text)
        }
    }

    /// Writes what was held back and flushes; the writer inside.
    pub fn finish(mut self) -> io::Result<W> {
        let held = std::mem::take(&mut self.held);
        self.inner.write_all(&held)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

/// Appends `text` (whole characters) to `out` with every [`json_escaped`] character written as
/// a `\uXXXX` escape, when it holds one; returns whether it did (`out` is left alone if not).
fn json_escapes_into(text: &[u8], out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    let mut copied = 0;
    while let Some(start) = next_block3(text, i, starts_json_escaped) {
        i = start;
        let end = (start + BLOCK).min(text.len());
        while i < end {
            let (x, y, z) = three_at(text, i);
            if !starts_json_escaped(x, y, z) {
                i += 1;
                continue;
            }
            let len = utf8_len(text[i]);
            let c = std::str::from_utf8(&text[i..(i + len).min(text.len())])
                .ok()
                .and_then(|s| s.chars().next());
            match c {
                Some(c) if json_escaped(c) => {
                    out.extend_from_slice(&text[copied..i]);
                    let _ = write!(out, "\\u{:04x}", c as u32);
                    i += len;
                    copied = i;
                }
                _ => i += 1,
            }
        }
    }
    if copied == 0 {
        return false;
    }
    out.extend_from_slice(&text[copied..]);
    true
}

/// [`JsonOut`]'s escapes applied to the JSON text in `buf` from `from` on (whole values
/// rendered into a buffer, such as the chunks of a million-row report rendered on all cores).
pub fn json_escape_in_place(buf: &mut Vec<u8>, from: usize) {
    let mut escaped = Vec::new();
    if json_escapes_into(&buf[from..], &mut escaped) {
        buf.truncate(from);
        buf.extend_from_slice(&escaped);
    }
}

/// How many bytes the UTF-8 character that starts with `lead` has.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        _ => 1,
    }
}

/// Where the last whole character of `b` ends: `b.len()`, unless `b` ends part-way through one.
fn whole_chars_end(b: &[u8]) -> usize {
    for back in 1..=b.len().min(3) {
        let x = b[b.len() - back];
        if x & 0xc0 != 0x80 {
            // The last lead byte: is its character complete?
            return if utf8_len(x) > back {
                b.len() - back
            } else {
                b.len()
            };
        }
    }
    b.len()
}

impl<W: Write> Write for JsonOut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.held.is_empty() {
            let end = whole_chars_end(buf);
            self.put(&buf[..end])?;
            self.held.extend_from_slice(&buf[end..]);
            return Ok(());
        }
        let mut joined = std::mem::take(&mut self.held);
        joined.extend_from_slice(buf);
        let end = whole_chars_end(&joined);
        self.put(&joined[..end])?;
        self.held.extend_from_slice(&joined[end..]);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A terminal report being written: file text goes through [`terminal`] (so it can never move
/// the cursor, clear the screen or start a new line), colour codes are written by this type only,
/// and only [`TerminalOut::end`] ends a line.
pub struct TerminalOut<'a> {
    w: &'a mut dyn Write,
    color: bool,
}

impl<'a> TerminalOut<'a> {
    /// `color`: whether [`TerminalOut::styled`] emits colour codes (a TTY without `NO_COLOR`).
    pub fn new(w: &'a mut dyn Write, color: bool) -> Self {
        TerminalOut { w, color }
    }

    /// Writes text, control characters escaped.
    pub fn text(&mut self, s: &str) -> io::Result<&mut Self> {
        self.w.write_all(terminal(s).as_bytes())?;
        Ok(self)
    }

    /// Writes text in an SGR style (`"1"` bold, `"31"` red, …) when colour is on.
    pub fn styled(&mut self, sgr: &str, s: &str) -> io::Result<&mut Self> {
        if self.color {
            write!(self.w, "\x1b[{sgr}m")?;
            self.text(s)?;
            self.w.write_all(b"\x1b[0m")?;
            Ok(self)
        } else {
            self.text(s)
        }
    }

    /// Ends the line.
    pub fn end(&mut self) -> io::Result<()> {
        self.w.write_all(b"\n")
    }

    /// One whole line of text.
    pub fn line(&mut self, s: &str) -> io::Result<()> {
        self.text(s)?.end()
    }

    /// One whole line in a style.
    pub fn styled_line(&mut self, sgr: &str, s: &str) -> io::Result<()> {
        self.styled(sgr, s)?.end()
    }

    /// An empty line.
    pub fn blank(&mut self) -> io::Result<()> {
        self.end()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Markdown punctuation that can start emphasis, code, links, images, HTML, tables, headings or
/// strike-through anywhere in a line.
fn md_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~' | '{' | '}'
    )
}

/// Text for one Markdown table cell or list item: always plain text on one line. Markdown
/// punctuation is backslash-escaped, `<`, `>` and `&` become entities (no HTML, no autolinks),
/// line breaks and tabs become spaces, other control characters are shown as `\u{…}` (see
/// [`terminal`]), and a leading `-`, `+` or `1.` cannot start a list.
pub fn markdown(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let shown = terminal(&flat);
    let mut out = String::with_capacity(shown.len() + 8);
    for (i, c) in shown.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if md_special(c) => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '.' if i == 0 || (c == '.' && leading_number(&shown[..i])) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// "12" in "12. text": an ordered-list marker if it began a line.
fn leading_number(before: &str) -> bool {
    !before.is_empty() && before.bytes().all(|b| b.is_ascii_digit())
}

/// Text for inside a Markdown code span (`` `…` ``): backticks become `'` and line breaks and
/// control characters are shown as `\u{…}`, so the span can neither end early nor span lines.
pub fn markdown_code(s: &str) -> String {
    terminal(&s.replace('`', "'")).into_owned()
}

/// What a spreadsheet reads as the start of a formula (OWASP CSV injection), ASCII and the
/// full-width forms Excel also accepts.
fn formula_starter(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
    )
}

/// Space a spreadsheet skips before a formula: Unicode white space (NBSP, the ideographic space
/// U+3000, …) and the zero-width space and BOM.
fn leading_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

/// A CSV cell a spreadsheet would run as a formula, prefixed with `'`: one that starts with
/// `=`, `+`, `-`, `@` or their full-width forms `＝ ＋ － ＠`, possibly after white space, or
/// that starts with a tab, CR or LF. `|` and `%` are left alone: no spreadsheet starts a formula
/// with them (a DDE payload `=cmd|…` starts with `=` and is caught by that).
///
/// The usual cell (first byte printable ASCII and not a starter) is returned without copying.
pub fn formula_guard(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        None => return Cow::Borrowed(s),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n') => {
            return Cow::Owned(format!("'{s}"))
        }
        Some(&b) if b.is_ascii() && !b.is_ascii_whitespace() && !b.is_ascii_control() => {
            return Cow::Borrowed(s)
        }
        _ => {}
    }
    let first = s.chars().find(|c| !leading_space(*c));
    if first.is_some_and(formula_starter) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three-byte tests the scans skip blocks by are exact: for every character, at its
    /// first byte (whatever follows it), they say what [`json_escaped`] and [`is_hostile`] say,
    /// and they never hold inside a character.
    #[test]
    fn the_three_byte_tests_pick_exactly_the_escaped_characters() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes().to_vec();
            for after in [b' ', 0x80, 0xbf, b'\\'] {
                let mut b = bytes.clone();
                b.extend([after, after]);
                let (x, y, z) = three_at(&b, 0);
                assert_eq!(starts_json_escaped(x, y, z), json_escaped(c), "{c:?}");
                assert_eq!(starts_escape(x, y, z), is_hostile(c) || c == '\\', "{c:?}");
                for k in 1..bytes.len() {
                    let (x, y, z) = three_at(&b, k);
                    assert!(!starts_escape(x, y, z), "{c:?} byte {k}");
                }
            }
        }
    }

    /// Block scans find a hit at every position of a block and in the short tail, and only there.
    #[test]
    fn block_scans_find_a_hostile_character_wherever_it_stands() {
        for len in 0..(3 * BLOCK + 5) {
            for at in 0..len {
                for hostile in ["\u{202e}", "\u{7f}"] {
                    let mut s = "a".repeat(len);
                    s.replace_range(at..at + 1, hostile);
                    let b = s.as_bytes();
                    let found = next_block3(b, 0, starts_json_escaped);
                    assert_eq!(found, Some(at / BLOCK * BLOCK), "len {len} at {at}");
                    assert_eq!(any_of_two(b, starts_escape, |_| false), (true, false));
                }
            }
            let plain = "a—≈·…".repeat(len);
            assert_eq!(next_block3(plain.as_bytes(), 0, starts_json_escaped), None);
            assert_eq!(
                any_of_two(plain.as_bytes(), starts_escape, |x| x == b'a'),
                (false, len > 0)
            );
        }
    }

    /// `values` as JSON through [`JsonOut`], handed over in pieces of `piece` bytes (so
    /// characters are cut between writes).
    fn json_through_guard(values: &[String], piece: usize) -> Vec<u8> {
        let plain = serde_json::to_vec(values).unwrap();
        let mut out = JsonOut::new(Vec::new());
        for part in plain.chunks(piece.max(1)) {
            out.write_all(part).unwrap();
        }
        out.finish().unwrap()
    }

    #[test]
    fn json_shows_terminal_controls_as_escapes_and_means_the_same() {
        let values: Vec<String> = [
            "Acme\u{202e}gnp.exe",
            "\u{9b}31m C1",
            "del\u{7f}",
            "\u{feff}gh_1",
            "阿克米茶饮 ≈99 USD — ok",
            "esc \u{1b}[2J",
        ]
        .map(String::from)
        .to_vec();
        for piece in [1, 2, 3, 7, 4096] {
            let out = String::from_utf8(json_through_guard(&values, piece)).unwrap();
            assert!(!out.chars().any(json_escaped), "{piece}: {out}");
            assert!(out.contains("Acme\\u202egnp.exe"), "{out}");
            assert!(out.contains("\\u009b31m"), "{out}");
            assert!(out.contains("阿克米茶饮 ≈99 USD — ok"), "{out}");
            let back: Vec<String> = serde_json::from_str(&out).unwrap();
            assert_eq!(back, values);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_json_reads_back_the_same_with_nothing_raw_to_act_on_a_terminal(
            values in proptest::collection::vec("(\\PC|[\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{feff}\u{200b}\u{2028}\u{1b}\n])*", 0..4),
            piece in 1usize..9,
        ) {
            let out = json_through_guard(&values, piece);
            let text = String::from_utf8(out).unwrap();
            proptest::prop_assert!(!text.chars().any(json_escaped));
            let back: Vec<String> = serde_json::from_str(&text).unwrap();
            proptest::prop_assert_eq!(&back, &values);
            if !values.iter().any(|v| v.chars().any(json_escaped)) {
                // Nothing to escape: the very bytes serde_json wrote.
                proptest::prop_assert_eq!(text.into_bytes(), serde_json::to_vec(&values).unwrap());
            }
        }
    }

    #[test]
    fn control_codes_are_shown_not_run() {
        assert_eq!(terminal("Evil\u{1b}]0;x\u{7}"), "Evil\\u{1b}]0;x\\u{7}");
        assert_eq!(terminal("a\u{202e}b\u{200f}"), "a\\u{202e}b\\u{200f}");
        assert_eq!(terminal("a\tb\nc"), "a\\u{9}b\\u{a}c");
        assert_eq!(terminal_lines("a\tb\nc"), "a\\u{9}b\nc");
        assert!(matches!(terminal("阿克米 ok"), Cow::Borrowed(_)));
        assert!(matches!(terminal("C:\\Users\\Li"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_csv_cell_shows_control_codes_but_keeps_its_line_breaks() {
        assert_eq!(csv_cell("Evil\u{1b}]0;x\u{7}"), "Evil\\u{1b}]0;x\\u{7}");
        assert_eq!(csv_cell("a\u{202e}b\u{9b}c"), "a\\u{202e}b\\u{9b}c");
        assert_eq!(csv_cell("line 1\r\nline 2\nA\tB"), "line 1\r\nline 2\nA\tB");
        assert_eq!(csv_cell("over\rwrite"), "over\\u{d}write");
        assert_eq!(csv_cell("\\u{1b}"), "\\\\u{1b}");
        // Escaped first, then guarded: a cell that opens with a formula is still guarded.
        assert_eq!(
            csv_cell("=HYPERLINK(\"x\")\u{1b}"),
            "'=HYPERLINK(\"x\")\\u{1b}"
        );
        assert_eq!(csv_cell("\u{1b}=1"), "\\u{1b}=1");
        for plain in ["阿克米茶饮 ≈99 USD/yr › Settings", "C:\\Users\\Li", "plain"] {
            assert!(matches!(csv_cell(plain), Cow::Borrowed(_)), "{plain}");
        }
    }

    #[test]
    fn the_quick_scan_agrees_with_a_char_by_char_one() {
        // Every hostile character, each lead byte's harmless neighbours, and backslash runs.
        let mut samples: Vec<String> = Vec::new();
        let chars = ('\0'..='\u{2fff}').chain('\u{fe00}'..='\u{ffff}');
        for c in chars.filter(|c| {
            (*c as u32) < 0x300
                || (0x600..0x700).contains(&(*c as u32))
                || (0x2000..0x2100).contains(&(*c as u32))
                || (*c as u32) >= 0xfe00
        }) {
            samples.push(format!("a{c}b"));
            // Before, across and after the 32-byte blocks the quick scan tests at once.
            for pad in [30, 31, 32, 33, 63, 64] {
                samples.push(format!("{}{c}{}", "x".repeat(pad), "y".repeat(40)));
            }
            samples.push(format!("\\{c}"));
            samples.push(format!("{c}\n"));
        }
        for keep in [Keep::Nothing, Keep::LineFeeds, Keep::CellBreaks] {
            for s in &samples {
                let slow = s.char_indices().any(|(i, c)| {
                    escaped_here(&s[i..], keep)
                        || (c == '\\' && doubled(s[i..].trim_start_matches('\\'), keep))
                });
                assert_eq!(needs_escape(s, keep), slow, "{s:?}");
            }
        }
    }

    #[test]
    fn typed_escape_text_is_distinguishable_from_a_real_escape() {
        assert_eq!(terminal("\\u{1b}"), "\\\\u{1b}");
        assert_eq!(terminal("\u{1b}"), "\\u{1b}");
        assert_eq!(terminal("\\\u{1b}"), "\\\\\\u{1b}");
        assert_ne!(terminal("\\u{1b}"), terminal("\\\u{1b}"));
    }

    #[test]
    fn markdown_cell_is_plain_text() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("[x](y)"), "\\[x\\]\\(y\\)");
        assert_eq!(markdown("# h\nx"), "\\# h x");
        assert_eq!(markdown("- x"), "\\- x");
        assert_eq!(markdown("12. x"), "12\\. x");
        assert_eq!(markdown("a-b 1.5"), "a-b 1.5");
        assert_eq!(markdown("阿克米茶饮"), "阿克米茶饮");
    }

    #[test]
    fn formula_starters_are_guarded_full_width_and_after_space() {
        for s in [
            "=1",
            "+1",
            "-1",
            "@x",
            "\tx",
            "\rx",
            "\nx",
            "＝1+1",
            "＋1",
            "－1",
            "＠x",
            " =1",
            "\u{a0}=1",
            "\u{3000}＝1",
            "\u{feff}=1",
            "\u{2003}@x",
        ] {
            assert!(formula_guard(s).starts_with('\''), "{s:?}");
        }
        for s in [
            "gh_1",
            "阿克米",
            " x",
            "",
            "a=1",
            "|x",
            "%x",
            "\u{3000}阿克米",
        ] {
            assert!(matches!(formula_guard(s), Cow::Borrowed(_)), "{s:?}");
        }
    }
}
