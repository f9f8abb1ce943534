//! Turns the raw bytes of an inventory into text, whatever Excel or an agency saved it as.
//!
//! Order of evidence: an explicit `--encoding` label; a byte-order mark (UTF-8, UTF-16 LE/BE);
//! valid UTF-8 (borrowed, no copy — the common case costs one validation pass); UTF-8 but for a
//! few bad bytes (see [`mostly_utf8`]: one stray byte must not turn every Chinese name into
//! mojibake); otherwise chardetng's guess from up to 64 KiB starting at the first non-ASCII
//! byte (GBK is upgraded to its superset GB18030). Undecodable bytes become U+FFFD and `lossy`
//! is set so rows can report them with their line and column.
//!
//! The last two are guesses: they come with a `reason` that every report prints, with the
//! `--encoding` flag that settles it.

use super::ImportError;
use chardetng::EncodingDetector;
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
use std::borrow::Cow;

/// Decoded text and how it was obtained.
pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// Shown in reports: "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", "Big5", …
    pub label: String,
    /// Some bytes could not be decoded and were replaced by U+FFFD.
    pub lossy: bool,
    /// Why this encoding, when it was a guess (not given, no BOM, not clean UTF-8).
    pub reason: Option<String>,
}

/// At most this many bad sequences for a file to still count as UTF-8 with bad bytes…
const MAX_BAD_SEQUENCES: usize = 1000;
/// …and at least this many valid non-ASCII characters per bad sequence (GBK or Big5 text read
/// as UTF-8 fails on almost every character; a UTF-8 file with a stray byte almost never does).
const GOOD_PER_BAD: usize = 20;

/// The number of invalid UTF-8 sequences when `bytes` is UTF-8 except for a few of them:
/// at most [`MAX_BAD_SEQUENCES`], with [`GOOD_PER_BAD`] valid multi-byte characters for each.
fn mostly_utf8(bytes: &[u8]) -> Option<usize> {
    utf8_bad_sequences(&[bytes]).filter(|&bad| bad > 0)
}

const SNIFF_BYTES: usize = 64 * 1024;

/// encoding_rs names, except gb18030 which it spells in lower case.
fn display_name(enc: &'static Encoding) -> &'static str {
    if enc == GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// `bytes` as text when they are valid UTF-8, checked on every core: a large file is cut
/// into pieces at the start of a character, and pieces that are each valid UTF-8 are valid
/// together.
fn valid_utf8(bytes: &[u8]) -> Option<&str> {
    use rayon::prelude::*;
    const PIECE: usize = 8 << 20;
    if bytes.len() <= PIECE {
        return simdutf8::basic::from_utf8(bytes).ok();
    }
    let mut cuts = vec![0];
    let mut at = PIECE;
    while at < bytes.len() {
        // Back up over continuation bytes (10xxxxxx) to where a character starts.
        let mut cut = at;
        while cut > at - 4 && bytes[cut] & 0xC0 == 0x80 {
            cut -= 1;
        }
        cuts.push(cut);
        at += PIECE;
    }
    cuts.push(bytes.len());
    let valid = cuts
        .par_windows(2)
        .all(|w| super::text::is_utf8(&bytes[w[0]..w[1]]));
    // SAFETY: every piece is valid UTF-8, so the pieces joined are.
    valid.then(|| unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// How a file read in parts is to be decoded when it is not plain UTF-8 (see [`plan_parts`]).
pub(crate) struct Plan {
    pub enc: &'static Encoding,
    /// Bytes of a byte-order mark to leave out at the start.
    pub skip: usize,
    pub label: String,
    /// The encoding was guessed (the reason then says so and how to settle it).
    pub guessed: bool,
}

/// What [`decode`] would do with the bytes `parts` hold joined, for the files it decodes with
/// an encoding: a `--encoding` label, a byte-order mark, or a guess. None when it would do
/// something else — read them as UTF-8 (clean or with a few bad bytes), or refuse an unknown
/// label — which the caller does on the joined bytes. `head` is the start of the bytes.
pub(crate) fn plan_parts(head: &[u8], parts: &[Vec<u8>], label: Option<&str>) -> Option<Plan> {
    if let Some(label) = label {
        let enc = Encoding::for_label(label.trim().as_bytes())?;
        let bom = Encoding::for_bom(head)
            .filter(|(e, _)| *e == enc)
            .map(|(_, n)| n);
        return Some(Plan {
            enc,
            skip: bom.unwrap_or(0),
            label: match bom {
                Some(_) => format!("{} (BOM)", display_name(enc)),
                None => display_name(enc).to_string(),
            },
            guessed: false,
        });
    }
    if let Some((enc, n)) = Encoding::for_bom(head) {
        if enc == UTF_8 {
            return None;
        }
        return Some(Plan {
            enc,
            skip: n,
            label: display_name(enc).to_string(),
            guessed: false,
        });
    }
    // UTF-8, clean or but for a few bad bytes: read as UTF-8 by the caller.
    if utf8_bad_sequences(parts).is_some() {
        return None;
    }
    // Not UTF-8 at all (valid UTF-8 is never "mostly" so): guess from 64 KiB starting at the
    // first non-ASCII byte, as `decode` does.
    let mut window = Vec::new();
    let mut at_end = true;
    let mut started = false;
    let total: usize = parts.iter().map(Vec::len).sum();
    let mut offset = 0usize;
    let mut start = 0usize;
    for p in parts {
        let from = if started {
            0
        } else {
            match p.iter().position(|b| !b.is_ascii()) {
                Some(i) => {
                    started = true;
                    start = offset + i;
                    i
                }
                None => {
                    offset += p.len();
                    continue;
                }
            }
        };
        let want = SNIFF_BYTES - window.len();
        let piece = &p[from..];
        window.extend_from_slice(&piece[..piece.len().min(want)]);
        offset += p.len();
        if window.len() == SNIFF_BYTES {
            break;
        }
    }
    if !started {
        // All ASCII (then valid UTF-8, handled by the caller); `decode` sniffs from byte 0.
        return None;
    }
    if start + window.len() < total {
        at_end = false;
    }
    let mut det = EncodingDetector::new();
    det.feed(&window, at_end);
    let mut enc = det.guess(None, false);
    if enc == GBK {
        enc = GB18030;
    }
    Some(Plan {
        enc,
        skip: 0,
        label: display_name(enc).to_string(),
        guessed: true,
    })
}

/// Some(0) when the bytes `parts` hold joined are valid UTF-8, Some(bad) when [`mostly_utf8`]
/// says they are UTF-8 but for `bad` sequences, else None — without joining them: a sequence
/// cut by the end of a part is checked with the next part's first bytes, as it would be joined.
fn utf8_bad_sequences<P: AsRef<[u8]>>(parts: &[P]) -> Option<usize> {
    let (mut bad, mut good) = (0usize, 0usize);
    let mut carry: Vec<u8> = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        let joined: Vec<u8>;
        let mut rest = if carry.is_empty() {
            p.as_ref()
        } else {
            joined = [std::mem::take(&mut carry).as_slice(), p.as_ref()].concat();
            &joined[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    good += s.bytes().filter(|b| *b >= 0xC0).count();
                    break;
                }
                Err(e) => {
                    let valid = &rest[..e.valid_up_to()];
                    good += valid.iter().filter(|b| **b >= 0xC0).count();
                    if e.error_len().is_none() && !last {
                        // Cut by the end of this part: finished by the next one's bytes.
                        carry = rest[e.valid_up_to()..].to_vec();
                        break;
                    }
                    bad += 1;
                    if bad > MAX_BAD_SEQUENCES {
                        return None;
                    }
                    let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                    rest = &rest[e.valid_up_to() + skip..];
                }
            }
        }
    }
    (bad == 0 || good >= bad * GOOD_PER_BAD).then_some(bad)
}

/// The reason a guessed encoding is reported with.
pub(crate) fn guess_reason(label: &str, lossy: bool) -> String {
    format!(
        "guessed {label} from the bytes: the file is not UTF-8 and has no byte-order mark{}; if names look garbled, pass --encoding with the file's encoding (utf-8, gb18030, big5, utf-16le…)",
        if lossy {
            ", and some bytes are not valid in it either (shown as \u{fffd})"
        } else {
            ""
        }
    )
}

/// Decodes `parts` by `plan` into UTF-8 parts, each input part let go of once decoded (so the
/// file is held about once, not as read and as decoded). Returns the parts and whether some
/// bytes could not be decoded.
pub(crate) fn decode_parts(
    parts: Vec<std::sync::Arc<Vec<u8>>>,
    plan: &Plan,
) -> (Vec<Vec<u8>>, bool) {
    let mut decoder = plan.enc.new_decoder_without_bom_handling();
    let mut out = Vec::with_capacity(parts.len());
    let mut lossy = false;
    let mut skip = plan.skip;
    let n = parts.len();
    for (k, p) in parts.into_iter().enumerate() {
        let take = skip.min(p.len());
        skip -= take;
        let src = &p[take..];
        let last = k + 1 == n;
        let cap = decoder
            .max_utf8_buffer_length(src.len())
            .unwrap_or(src.len() * 3 + 16);
        let mut dst = String::with_capacity(cap);
        let mut read = 0;
        loop {
            let (result, n, had_errors) = decoder.decode_to_string(&src[read..], &mut dst, last);
            lossy |= had_errors;
            read += n;
            match result {
                encoding_rs::CoderResult::InputEmpty => break,
                encoding_rs::CoderResult::OutputFull => dst.reserve(src.len() - read + 16),
            }
        }
        dst.shrink_to_fit();
        out.push(dst.into_bytes());
    }
    (out, lossy)
}

pub(crate) fn decode<'a>(
    name: &str,
    bytes: &'a [u8],
    label: Option<&str>,
) -> Result<Decoded<'a>, ImportError> {
    if let Some(label) = label {
        let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            ImportError::invalid(name, format!("unknown encoding `{label}` (try utf-8, gb18030, gbk, big5, utf-16le or utf-16be)"
            ))
        })?;
        let bom = Encoding::for_bom(bytes)
            .filter(|(e, _)| *e == enc)
            .map(|(_, n)| n);
        let body = &bytes[bom.unwrap_or(0)..];
        let (text, lossy) = enc.decode_without_bom_handling(body);
        let label = match bom {
            Some(_) => format!("{} (BOM)", display_name(enc)),
            None => display_name(enc).to_string(),
        };
        return Ok(Decoded {
            text,
            label,
            lossy,
            reason: None,
        });
    }
    if let Some((enc, n)) = Encoding::for_bom(bytes) {
        let (text, lossy) = enc.decode_without_bom_handling(&bytes[n..]);
        let label = if enc == UTF_8 {
            "UTF-8 (BOM)".to_string()
        } else {
            display_name(enc).to_string()
        };
        return Ok(Decoded {
            text,
            label,
            lossy,
            reason: None,
        });
    }
    if let Some(text) = valid_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            label: "UTF-8".to_string(),
            lossy: false,
            reason: None,
        });
    }
    if let Some(bad) = mostly_utf8(bytes) {
        return Ok(Decoded {
            text: String::from_utf8_lossy(bytes),
            label: "UTF-8".to_string(),
            lossy: true,
            reason: Some(format!(
                "read as UTF-8: the file is UTF-8 except for {bad} {} that {} not (shown as \u{fffd}, and each row holding one is reported); if names look garbled, pass --encoding with the file's encoding (e.g. --encoding gb18030)",
                if bad == 1 { "byte sequence" } else { "byte sequences" },
                if bad == 1 { "is" } else { "are" },
            )),
        });
    }
    let start = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
    let end = bytes.len().min(start + SNIFF_BYTES);
    let mut det = EncodingDetector::new();
    det.feed(&bytes[start..end], end == bytes.len());
    let mut enc = det.guess(None, false);
    if enc == GBK {
        enc = GB18030;
    }
    let (text, lossy) = enc.decode_without_bom_handling(bytes);
    let label = display_name(enc).to_string();
    let reason = guess_reason(&label, lossy);
    Ok(Decoded {
        text,
        label,
        lossy,
        reason: Some(reason),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn large_text_is_validated_in_pieces_whatever_characters_straddle_the_cuts() {
        // Three- and four-byte characters, shifted so every byte of one lands on a cut.
        let unit = "莲花😀é,";
        for shift in 0..4 {
            let mut text = "a".repeat(shift);
            while text.len() < 20 << 20 {
                text.push_str(unit);
            }
            assert_eq!(
                valid_utf8(text.as_bytes()),
                Some(text.as_str()),
                "shift {shift}"
            );
            // One stray byte anywhere, here just after the first cut, is found.
            let mut bytes = text.into_bytes();
            bytes[(8 << 20) + 1] = 0xFF;
            assert_eq!(valid_utf8(&bytes), None, "shift {shift}");
        }
        assert_eq!(valid_utf8("短".as_bytes()), Some("短"));
    }

    use super::*;

    fn dec(bytes: &[u8], label: Option<&str>) -> (String, String, bool) {
        let d = decode("t.csv", bytes, label).unwrap();
        (d.text.into_owned(), d.label, d.lossy)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            dec("名称".as_bytes(), None),
            ("名称".into(), "UTF-8".into(), false)
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("名称".as_bytes());
        assert_eq!(dec(&b, None), ("名称".into(), "UTF-8 (BOM)".into(), false));
    }

    #[test]
    fn utf16_by_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "id\t名称".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(dec(&le, None).0, "id\t名称");
        assert_eq!(dec(&le, None).1, "UTF-16LE");
        let mut be = vec![0xFE, 0xFF];
        for u in "id".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(dec(&be, None), ("id".into(), "UTF-16BE".into(), false));
    }

    #[test]
    fn gb18030_and_big5_detected() {
        let text = "原始ID,账号名称,账号类型\ngh_1,阿克米茶饮官方账号,订阅号\ngh_2,莲花美妆会员中心,服务号\n";
        let (gb, _, _) = GB18030.encode(text);
        assert_eq!(dec(&gb, None), (text.into(), "GB18030".into(), false));
        let big5_text = "原始ID,帳號名稱\ngh_1,臺灣茶飲官方帳號會員中心\n";
        let (b5, _, _) = encoding_rs::BIG5.encode(big5_text);
        let (t, l, _) = dec(&b5, None);
        assert_eq!(l, "Big5");
        assert_eq!(t, big5_text);
    }

    #[test]
    fn label_overrides_and_unknown_label_is_an_error() {
        let (gb, _, _) = GB18030.encode("名称");
        assert_eq!(dec(&gb, Some("gbk")).0, "名称");
        assert!(decode("t.csv", b"x", Some("klingon")).is_err());
        let (t, _, lossy) = dec(b"a\xffb", Some("utf-8"));
        assert_eq!(t, "a\u{fffd}b");
        assert!(lossy);
    }

    #[test]
    fn one_bad_byte_in_chinese_utf8_stays_utf8_with_a_reason() {
        let mut b = "id,名称\ngh_1,阿克米茶饮\ngh_2,莲花美妆会员中心\n"
            .repeat(5)
            .into_bytes();
        b.insert(20, 0xFF);
        let d = decode("t.csv", &b, None).unwrap();
        assert_eq!(d.label, "UTF-8");
        assert!(d.lossy);
        assert!(d.text.contains("莲花美妆会员中心"));
        assert!(d.reason.unwrap().contains("--encoding"));
        // GB18030 text is not "mostly UTF-8", and a guess says so.
        let (gb, _, _) = GB18030.encode("原始ID,账号名称\ngh_1,阿克米茶饮官方账号\n");
        let d = decode("t.csv", &gb, None).unwrap();
        assert_eq!(d.label, "GB18030");
        assert!(d.reason.unwrap().contains("guessed GB18030"));
    }
}
