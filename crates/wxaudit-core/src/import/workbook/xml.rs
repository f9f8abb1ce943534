//! Just enough XML to read a few tags and attributes out of a workbook's parts (relationships,
//! `workbook.xml`, `settings.xml`, a sheet's `<mergeCells>`) without a full parser: the parts
//! read this way are small or only a tail of them is read, and calamine parses the rest.

/// The tags of `xml`, each as the bytes between `<` and `>` (`/name` for an end tag).
pub(super) fn tags(xml: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + memchr::memchr(b'<', xml.get(at..)?)? + 1;
        let end = memchr::memchr(b'>', &xml[start..]).map_or(xml.len(), |e| start + e);
        at = end;
        Some(&xml[start..end])
    })
}

/// The local name of a tag from [`tags`] (after any `prefix:`), and whether it is an end tag.
pub(super) fn tag_name(tag: &[u8]) -> (&[u8], bool) {
    let (tag, end) = match tag.strip_prefix(b"/") {
        Some(t) => (t, true),
        None => (tag, false),
    };
    let len = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..len];
    (name.rsplit(|&b| b == b':').next().unwrap_or(name), end)
}

/// Whether a tag from [`tags`] starts (or is) an element whose local name is `local`.
pub(super) fn opens(tag: &[u8], local: &[u8]) -> bool {
    tag_name(tag) == (local, false)
}

/// The value of the attribute whose local name (after any `prefix:`) is `local`, in a tag from
/// [`tags`]; not unescaped.
pub(super) fn attr<'x>(tag: &'x [u8], local: &[u8]) -> Option<&'x [u8]> {
    let skip = tag
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(tag.len());
    let mut rest = &tag[skip..];
    loop {
        rest = rest.trim_ascii_start();
        let eq = memchr::memchr(b'=', rest)?;
        let name = rest[..eq].trim_ascii_end();
        let value = rest[eq + 1..].trim_ascii_start();
        let quote = *value.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let close = memchr::memchr(quote, &value[1..])?;
        if name.rsplit(|&b| b == b':').next() == Some(local) {
            return Some(&value[1..1 + close]);
        }
        rest = &value[close + 2..];
    }
}

/// Replaces the five XML entities and numeric character references.
pub(super) fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
