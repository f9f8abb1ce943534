//! JSON strings written by hand into a report's buffer, byte for byte as `serde_json` writes
//! them (`"` and `\` escaped, `\b \f \n \r \t`, other C0 controls as `\u00xx`, everything else as
//! it is).
//!
//! Why it exists: a million-account JSON report holds two gigabytes of strings, and
//! `serde_json` escapes them a byte at a time; here the text is tested a block at a time
//! ([`crate::safe_text::next_block`]) and only a block with something to escape is looked at
//! byte by byte. The characters hostile on a terminal are escaped afterwards over the whole
//! buffer, as for everything else in the report ([`crate::safe_text::json_escape_in_place`]).

use crate::safe_text::{next_block, BLOCK};

/// Whether JSON needs `x` escaped inside a string.
#[inline(always)]
fn needs_escape(x: u8) -> bool {
    (x < 0x20) | (x == b'"') | (x == b'\\')
}

/// Appends `s` as a JSON string.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let (mut i, mut copied) = (0, 0);
    while let Some(start) = next_block(b, i, needs_escape) {
        let end = (start + BLOCK).min(b.len());
        for (j, &x) in b.iter().enumerate().take(end).skip(start) {
            if !needs_escape(x) {
                continue;
            }
            out.extend_from_slice(&b[copied..j]);
            match x {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(x >> 4)]);
                    out.push(HEX[usize::from(x & 0xf)]);
                }
            }
            copied = j + 1;
        }
        i = end;
    }
    out.extend_from_slice(&b[copied..]);
    out.push(b'"');
}

/// Appends `s` as a JSON string, or `null`.
pub(crate) fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => put_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends `"key":` (a key of the report's own, never in need of escapes).
pub(crate) fn put_key(out: &mut Vec<u8>, key: &str) {
    debug_assert!(!key.bytes().any(needs_escape));
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        put_str(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "",
            "plain",
            "\"quoted\" (gh_1)",
            "back\\slash",
            "tab\there\r\nline",
            "\u{0}\u{1}\u{8}\u{c}\u{1b}\u{1f}\u{7f}",
            "阿克米茶饮 ≈99 USD",
            "a block of thirty-two bytes and then a \"quote\" at its end\"",
        ] {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    /// Any character, and often the ones JSON escapes (every C0 control, `"`, `\\`).
    fn chars() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            any::<char>(),
            (0u8..0x20).prop_map(char::from),
            prop::sample::select(vec!['"', '\\', '\u{7f}', '\u{85}', '\u{202e}', 'a', '阿']),
        ]
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(
            s in proptest::collection::vec(chars(), 0..80).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            proptest::prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
