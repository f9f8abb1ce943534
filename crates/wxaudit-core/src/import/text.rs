//! The text a CSV reader parses: the whole text in one piece, or UTF-8 read in parts that are
//! let go of once parsing has passed them.
//!
//! Why it exists: a million-row inventory is a 200 MB file, and holding all of it while the
//! accounts store fills (another 200 MB) was one of the audit's two memory peaks. A file is
//! read in 8 MiB parts; a UTF-8 file's parts are cut where a character starts, a file in
//! another encoding (GB18030, UTF-16…) is decoded part by part into UTF-8 parts, each read part
//! let go of once decoded. The CSV reader parses the parts in order and drops each once nothing
//! can read it again. JSON, and the rare UTF-8 file with a few bad bytes, are read whole
//! ([`Source::whole`]).
//!
//! What "nothing can read it again" means: after a record is read, the reader may still look at
//! the text from that record's first byte on (a quote left open is re-read from the line after
//! it; the blank lines before the next record are counted back to the end of this one), never
//! before it. So [`Source::release_before`] is only ever given the start of the last record read.
//!
//! A [`Source`] is owned by the `csv::Reader` reading it (the reader is moved to the thread that
//! parses): the CSV reader looks at the text through `get_ref`, and moves it to read again from
//! another offset with `into_inner` and [`Source::seek`].

use sha2::{Digest as _, Sha256};
use std::cell::Cell;
use std::io::Read;
use std::sync::Arc;

/// Size of one part of a file read in parts.
pub(crate) const PART: usize = 8 << 20;

/// Valid UTF-8 text held as parts in file order (see the module doc).
pub(crate) struct Parts {
    /// None once released.
    parts: Vec<Option<Arc<Vec<u8>>>>,
    /// `ends[i]` is the offset just past part `i`.
    ends: Vec<usize>,
    /// The part the last lookup found (lookups move forward through the text).
    last: Cell<usize>,
}

impl Parts {
    /// Parts that join into valid UTF-8: each must be valid UTF-8 on its own (cut where a
    /// character starts). Empty parts are left out.
    pub(crate) fn new(parts: Vec<Arc<Vec<u8>>>) -> Parts {
        debug_assert!(parts.iter().all(|p| std::str::from_utf8(p).is_ok()));
        let parts: Vec<Arc<Vec<u8>>> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        let mut end = 0;
        let ends = parts
            .iter()
            .map(|p| {
                end += p.len();
                end
            })
            .collect();
        Parts {
            parts: parts.into_iter().map(Some).collect(),
            ends,
            last: Cell::new(0),
        }
    }

    fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    fn start_of(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1]
        }
    }

    /// The part holding offset `off` (< len).
    fn part_of(&self, off: usize) -> usize {
        let last = self.last.get();
        if last < self.ends.len() && self.start_of(last) <= off && off < self.ends[last] {
            return last;
        }
        let i = self.ends.partition_point(|&e| e <= off);
        self.last.set(i);
        i
    }

    /// Calls `f` with the pieces of `from..to`, in order.
    fn each_piece(&self, from: usize, to: usize, mut f: impl FnMut(&[u8])) {
        let to = to.min(self.len());
        let mut at = from;
        while at < to {
            let i = self.part_of(at);
            let start = self.start_of(i);
            let part = self.parts[i]
                .as_ref()
                .expect("text read after it was released (see the module doc)");
            let end = self.ends[i].min(to);
            f(&part[at - start..end - start]);
            at = end;
        }
    }
}

enum Held<'a> {
    Whole(&'a str),
    Parts(Parts),
}

/// What a CSV reader parses, and where it reads next (see the module doc).
pub(crate) struct Source<'a> {
    text: Held<'a>,
    at: usize,
}

impl<'a> Source<'a> {
    /// The whole text in one piece.
    pub(crate) fn whole(text: &'a str) -> Source<'a> {
        Source {
            text: Held::Whole(text),
            at: 0,
        }
    }

    /// Text held in parts.
    pub(crate) fn parts(parts: Parts) -> Source<'a> {
        Source {
            text: Held::Parts(parts),
            at: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match &self.text {
            Held::Whole(t) => t.len(),
            Held::Parts(p) => p.len(),
        }
    }

    /// Reads from `at` on from now.
    pub(crate) fn seek(&mut self, at: usize) {
        self.at = at.min(self.len());
    }

    /// The byte at `off`, if the text is that long.
    pub(crate) fn byte(&self, off: usize) -> Option<u8> {
        match &self.text {
            Held::Whole(t) => t.as_bytes().get(off).copied(),
            Held::Parts(p) => {
                if off >= p.len() {
                    return None;
                }
                let mut b = None;
                p.each_piece(off, off + 1, |s| b = s.first().copied());
                b
            }
        }
    }

    /// Line feeds in `from..to`.
    pub(crate) fn count_newlines(&self, from: usize, to: usize) -> u64 {
        let mut n = 0;
        self.pieces(from, to, |s| {
            n += memchr::memchr_iter(b'\n', s).count() as u64
        });
        n
    }

    /// The offset of the first line feed at or after `from`.
    pub(crate) fn next_newline(&self, from: usize) -> Option<usize> {
        let mut at = from;
        let mut found = None;
        // Pieces come in order: stop looking once one holds it.
        self.pieces(from, self.len(), |s| {
            if found.is_none() {
                match memchr::memchr(b'\n', s) {
                    Some(i) => found = Some(at + i),
                    None => at += s.len(),
                }
            }
        });
        found
    }

    /// Where the run of line breaks (`\r`, `\n`) that ends at `end` starts.
    pub(crate) fn line_break_run_start(&self, end: usize) -> usize {
        let mut at = end;
        while at > 0 && matches!(self.byte(at - 1), Some(b'\n' | b'\r')) {
            at -= 1;
        }
        at
    }

    /// Every byte, in order (for the delimiter sniffer, which stops after a few lines).
    pub(crate) fn each_byte(&self) -> impl Iterator<Item = u8> + '_ {
        let len = self.len();
        let mut piece: Vec<u8> = Vec::new();
        let (mut at, mut i) = (0usize, 0usize);
        std::iter::from_fn(move || {
            if i == piece.len() {
                if at >= len {
                    return None;
                }
                let to = (at + 64 * 1024).min(len);
                piece.clear();
                self.pieces(at, to, |s| piece.extend_from_slice(s));
                at = to;
                i = 0;
            }
            i += 1;
            Some(piece[i - 1])
        })
    }

    fn pieces(&self, from: usize, to: usize, mut f: impl FnMut(&[u8])) {
        match &self.text {
            Held::Whole(t) => {
                let b = t.as_bytes();
                let to = to.min(b.len());
                if from < to {
                    f(&b[from..to]);
                }
            }
            Held::Parts(p) => p.each_piece(from, to, f),
        }
    }

    /// Lets go of the parts wholly before `off`: nothing reads the text before it again.
    pub(crate) fn release_before(&mut self, off: usize) {
        if let Held::Parts(p) = &mut self.text {
            for (part, &end) in p.parts.iter_mut().zip(&p.ends) {
                if end > off {
                    break;
                }
                *part = None;
            }
        }
    }
}

impl Read for Source<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let (from, len) = (self.at, self.len());
        if from >= len || buf.is_empty() {
            return Ok(0);
        }
        let to = match &self.text {
            // One part at a time: the reader asks again for the rest.
            Held::Parts(p) => p.ends[p.part_of(from)],
            Held::Whole(_) => len,
        }
        .min(from + buf.len());
        let mut n = 0;
        self.pieces(from, to, |s| {
            buf[n..n + s.len()].copy_from_slice(s);
            n += s.len();
        });
        self.at += n;
        Ok(n)
    }
}

/// Whether `bytes` are valid UTF-8: the check every byte of a file read goes through, with
/// SIMD (`simdutf8`), which is several times faster than `std::str::from_utf8` on text that is
/// not ASCII (std's fast path covers ASCII only; a Chinese inventory is a third multi-byte).
pub(crate) fn is_utf8(bytes: &[u8]) -> bool {
    simdutf8::basic::from_utf8(bytes).is_ok()
}

/// Where to cut `buf` so that it ends where a UTF-8 character starts: before a trailing
/// character whose bytes are not all there yet (they start the next part). Bytes that are not
/// UTF-8 are cut anywhere; such a file is decoded whole.
pub(crate) fn char_cut(buf: &[u8]) -> usize {
    let n = buf.len();
    for back in 1..=3.min(n) {
        let b = buf[n - back];
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte: the character starts further back
        }
        let width = match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1, // never starts a character
        };
        return if width > back { n - back } else { n };
    }
    n
}

/// Reads `r` in parts of [`PART`] bytes (the last one shorter), each cut with [`char_cut`]; at
/// most `cap` bytes in all. `part(p)` is handed each part as soon as it is read (before the next
/// is read), for work that can go on while the rest is read.
pub(crate) fn read_parts(
    r: &mut dyn Read,
    cap: u64,
    part: &mut dyn FnMut(&Arc<Vec<u8>>),
) -> std::io::Result<Vec<Arc<Vec<u8>>>> {
    let mut r = r.take(cap);
    let mut parts = Vec::new();
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut buf = Vec::with_capacity(PART);
        buf.append(&mut carry);
        let want = (PART - buf.len()) as u64;
        let got = (&mut r).take(want).read_to_end(&mut buf)? as u64;
        if got < want {
            if !buf.is_empty() {
                let buf = Arc::new(buf);
                part(&buf);
                parts.push(buf);
            }
            return Ok(parts);
        }
        let cut = char_cut(&buf);
        carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        let buf = Arc::new(buf);
        part(&buf);
        parts.push(buf);
    }
}

/// What is known of a file's bytes once read: their SHA-256 (every report names the input by
/// it) and whether they are UTF-8 — worked out part by part on a thread of its own while the
/// file is still being read ([`Digester`]), so that neither waits for the whole file nor takes a
/// core from the parse after it.
#[derive(Debug, Clone)]
pub(crate) struct Digest {
    /// Lower-case hex.
    pub sha256: String,
    /// Whether every part is valid UTF-8 (parts are cut where characters start, so then the
    /// whole text is).
    pub utf8: bool,
}

impl Digest {
    /// The digest of parts already in memory: hashed on one core while checked on the others.
    pub(crate) fn of<P: AsRef<[u8]> + Sync>(parts: &[P]) -> Digest {
        use rayon::prelude::*;
        let (sha256, utf8) = rayon::join(
            || {
                let mut h = Sha256::new();
                for p in parts {
                    h.update(p.as_ref());
                }
                super::hex(&h.finalize())
            },
            || parts.par_iter().all(|p| is_utf8(p.as_ref())),
        );
        Digest { sha256, utf8 }
    }
}

/// Works out a [`Digest`] on a thread of its own from parts handed to it as they are read.
pub(crate) struct Digester {
    tx: Option<std::sync::mpsc::Sender<Arc<Vec<u8>>>>,
    worker: Option<std::thread::JoinHandle<Digest>>,
}

impl Digester {
    pub(crate) fn start() -> Digester {
        let (tx, rx) = std::sync::mpsc::channel::<Arc<Vec<u8>>>();
        let worker = std::thread::Builder::new()
            .name("wxaudit-digest".into())
            .spawn(move || {
                let mut h = Sha256::new();
                let mut utf8 = true;
                for p in rx {
                    h.update(&p[..]);
                    utf8 &= is_utf8(&p);
                }
                Digest {
                    sha256: super::hex(&h.finalize()),
                    utf8,
                }
            })
            .ok();
        Digester {
            tx: worker.is_some().then_some(tx),
            worker,
        }
    }

    /// Hands one part on (in file order).
    pub(crate) fn part(&mut self, p: &Arc<Vec<u8>>) {
        if let Some(tx) = &self.tx {
            if tx.send(Arc::clone(p)).is_err() {
                self.tx = None;
            }
        }
    }

    /// The digest of the parts handed on; `all` are those parts, for the digest made here when
    /// the thread could not start or did not finish.
    pub(crate) fn finish(mut self, all: &[Arc<Vec<u8>>]) -> Digest {
        drop(self.tx.take());
        match self.worker.take().map(|w| w.join()) {
            Some(Ok(d)) => d,
            _ => Digest::of(&all.iter().map(|p| &p[..]).collect::<Vec<&[u8]>>()),
        }
    }
}

/// The parts joined into one buffer, each let go of as it is copied (so the bytes are held about
/// once, not twice).
pub(crate) fn join(parts: Vec<Vec<u8>>) -> Vec<u8> {
    let total = parts.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    for p in parts {
        out.extend_from_slice(&p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `s` in parts of about `size` bytes, cut where characters start as the file reader does.
    fn parts_of(s: &str, size: usize) -> Source<'static> {
        let mut out = Vec::new();
        let mut rest: Vec<u8> = Vec::new();
        for chunk in s.as_bytes().chunks(size) {
            rest.extend_from_slice(chunk);
            let cut = char_cut(&rest);
            out.push(Arc::new(rest[..cut].to_vec()));
            rest.drain(..cut);
        }
        out.push(Arc::new(rest));
        Source::parts(Parts::new(out))
    }

    #[test]
    fn parts_read_like_the_whole_text_at_every_cut() {
        let s = "id,名称\r\n\n\ngh_1,茶饮 Official 🍵\n\r\ngh_2,\"a\nb\"\n\n";
        let w = Source::whole(s);
        for size in 1..=s.len() {
            let mut t = parts_of(s, size);
            assert_eq!(t.len(), w.len());
            for off in 0..=s.len() {
                assert_eq!(t.byte(off), w.byte(off), "size {size} byte {off}");
                assert_eq!(t.next_newline(off), w.next_newline(off));
                assert_eq!(t.line_break_run_start(off), w.line_break_run_start(off));
                for to in off..=s.len() {
                    assert_eq!(t.count_newlines(off, to), w.count_newlines(off, to));
                }
                t.seek(off);
                let mut a = Vec::new();
                t.read_to_end(&mut a).unwrap();
                assert_eq!(a, &s.as_bytes()[off..], "size {size} from {off}");
            }
            assert!(t.each_byte().eq(s.bytes()), "size {size}");
        }
    }

    #[test]
    fn parts_are_cut_where_characters_start() {
        assert_eq!(char_cut("ab".as_bytes()), 2);
        let tea = "茶".as_bytes(); // 3 bytes
        assert_eq!(char_cut(tea), 3);
        assert_eq!(char_cut(&tea[..2]), 0);
        assert_eq!(char_cut(&[b'a', tea[0]]), 1);
        let cup = "🍵".as_bytes(); // 4 bytes
        assert_eq!(char_cut(&cup[..3]), 0);
        assert_eq!(char_cut(cup), 4);
        // Not UTF-8: cut anywhere.
        assert_eq!(char_cut(&[0xFF, 0xFE]), 2);
    }

    #[test]
    fn read_parts_cuts_a_file_where_characters_start() {
        let s = "茶".repeat(PART / 3 + 5);
        let mut handed = Vec::new();
        let parts =
            read_parts(&mut s.as_bytes(), u64::MAX, &mut |p| handed.push(p.clone())).unwrap();
        assert!(parts.len() == 2 && parts.iter().all(|p| std::str::from_utf8(p).is_ok()));
        // Each part is handed on as it is read, in order.
        assert_eq!(handed, parts);
        let whole: Vec<Vec<u8>> = parts.iter().map(|p| p.to_vec()).collect();
        assert_eq!(join(whole), s.as_bytes());
        assert!(read_parts(&mut &b""[..], u64::MAX, &mut |_| {})
            .unwrap()
            .is_empty());
        // The cap bounds what is read.
        let parts = read_parts(&mut s.as_bytes(), 10, &mut |_| {}).unwrap();
        assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), 10);
    }

    /// The digest made on its own thread while a file is read is the SHA-256 of the whole file
    /// and says whether it is UTF-8, as the digest of the parts in memory does.
    #[test]
    fn the_digest_made_while_reading_is_the_digest_of_the_whole_file() {
        let tea = "茶,Acme\n".repeat(PART / 5);
        let mut bad = tea.clone().into_bytes();
        bad[PART + 7] = 0xff;
        for (bytes, utf8) in [(tea.as_bytes(), true), (&bad[..], false), (&b""[..], true)] {
            let mut digester = Digester::start();
            let parts = read_parts(&mut &bytes[..], u64::MAX, &mut |p| digester.part(p)).unwrap();
            let d = digester.finish(&parts);
            let mut h = Sha256::new();
            h.update(bytes);
            assert_eq!(d.sha256, super::super::hex(&h.finalize()));
            assert_eq!(d.utf8, utf8);
            let views: Vec<&[u8]> = parts.iter().map(|p| &p[..]).collect();
            let in_memory = Digest::of(&views);
            assert_eq!((in_memory.sha256, in_memory.utf8), (d.sha256, d.utf8));
        }
    }

    #[test]
    fn released_parts_are_gone_and_later_ones_still_read() {
        let s = "a\nbb\nccc\n";
        let mut t = parts_of(s, 2);
        t.release_before(5);
        assert_eq!(t.byte(5), Some(b'c'));
        let Held::Parts(p) = &t.text else {
            unreachable!()
        };
        assert!(p.parts[0].is_none() && p.parts[1].is_none() && p.parts[2].is_some());
        assert_eq!(t.count_newlines(4, s.len()), 2);
    }
}
