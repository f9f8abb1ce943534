//! Who a finding is about, defined once: the normalised names accounts and brands are compared
//! by, an account's identity, and the fingerprint that lets a finding be recognised across audits.
//!
//! Baselines and suppressions match findings by fingerprint, so these functions must give the same
//! answer for the same finding in every version: a change here breaks every saved baseline (the
//! tests pin known fingerprints).

use crate::accounts::AccountRef;
use crate::model::Text;
use sha2::{Digest, Sha256};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Normalised name for identity comparisons: NFKC, trimmed, lower-case.
pub fn norm_name(s: &str) -> String {
    if s.is_ascii() {
        s.trim().to_ascii_lowercase()
    } else if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        // Already in NFKC (nearly every Chinese name): the same as below without rebuilding
        // the text a character at a time (brands are normalised once per finding written).
        s.trim().to_lowercase()
    } else {
        s.nfkc().collect::<String>().trim().to_lowercase()
    }
}

/// The identity of an account for fingerprints: `id:<id>` (trimmed), else `name:<name>`
/// normalised (NFKC, trimmed, lower-case); None when it has neither.
pub fn account_identity<'a>(a: impl Into<AccountRef<'a>>) -> Option<String> {
    let a = a.into();
    identity_of(a.id(), a.name())
}

/// [`account_identity`] from an account's id and name.
pub fn identity_of(id: Option<&str>, name: Option<&str>) -> Option<String> {
    if let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) {
        return Some(format!("id:{id}"));
    }
    name.map(norm_name)
        .filter(|n| !n.is_empty())
        .map(|n| format!("name:{n}"))
}

/// Stable fingerprint of a finding: the first 16 hex digits of SHA-256 over rule id, identity
/// (see [`account_identity`]; for company-level findings None or e.g. `entity:<name>`), brand
/// (NFKC, trimmed, lower-case) and market (upper-case). Never the row number, so re-sorting the
/// spreadsheet or renaming its columns keeps every fingerprint.
pub fn fingerprint(
    rule_id: &str,
    identity: Option<&str>,
    brand: Option<&str>,
    market: Option<&str>,
) -> Text {
    let rule = rule_upper(rule_id);
    let brand = brand.map(norm_name).unwrap_or_default();
    fingerprint_parts(&rule, &[identity.unwrap_or("")], &brand, market)
}

/// The fingerprint of a finding about account `a` (its brand is the account's, unless `brand`).
pub fn account_fingerprint(
    rule_id: &str,
    a: &AccountRef,
    brand: Option<&str>,
    market: Option<&str>,
) -> Text {
    fingerprint_of(rule_id, a.id(), a.name(), brand.or(a.brand()), market)
}

/// [`account_fingerprint`] from the account's id, name and the finding's brand.
pub fn fingerprint_of(
    rule_id: &str,
    id: Option<&str>,
    name: Option<&str>,
    brand: Option<&str>,
    market: Option<&str>,
) -> Text {
    fingerprint_of_normed(rule_id, id, name, &norm_name(brand.unwrap_or("")), market)
}

/// [`fingerprint_of`] with the brand already normalised ([`norm_name`]): for writers of many
/// findings, which normalise each brand once.
pub fn fingerprint_of_normed(
    rule_id: &str,
    id: Option<&str>,
    name: Option<&str>,
    brand_norm: &str,
    market: Option<&str>,
) -> Text {
    let rule = rule_upper(rule_id);
    match id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => fingerprint_parts(&rule, &["id:", id], brand_norm, market),
        None => {
            let ident = identity_of(None, name).unwrap_or_default();
            fingerprint_parts(&rule, &[&ident], brand_norm, market)
        }
    }
}

/// A rule id as fingerprints hash it: trimmed, upper-case (borrowed when it is so already, as
/// every catalogue id is).
fn rule_upper(rule_id: &str) -> std::borrow::Cow<'_, str> {
    let t = rule_id.trim();
    if t.bytes().any(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Owned(t.to_ascii_uppercase())
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

/// [`fingerprint`] over already-normalised parts: `identity` is given in pieces (e.g.
/// `["id:", id]`) that are hashed as if concatenated.
pub fn fingerprint_parts(
    rule_upper: &str,
    identity: &[&str],
    brand_norm: &str,
    market: Option<&str>,
) -> Text {
    let mut h = Sha256::new();
    h.update(rule_upper.as_bytes());
    h.update([0x1f]);
    for part in identity {
        h.update(part.as_bytes());
    }
    h.update([0x1f]);
    h.update(brand_norm.as_bytes());
    h.update([0x1f]);
    if let Some(m) = market.map(str::trim) {
        if m.bytes().any(|b| b.is_ascii_lowercase()) {
            h.update(m.to_ascii_uppercase());
        } else {
            h.update(m);
        }
    }
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, b) in digest.iter().take(8).enumerate() {
        out[2 * i] = HEX[(b >> 4) as usize];
        out[2 * i + 1] = HEX[(b & 0xf) as usize];
    }
    // Only ASCII hex digits were written.
    Text::from_utf8(&out[..]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hash_as_one_text_with_the_market_upper_cased() {
        let long = "品牌".repeat(100);
        let mut h = Sha256::new();
        h.update(b"REACH-001\x1fid:gh_1\x1f");
        h.update(long.as_bytes());
        h.update(b"\x1fCN");
        let want: String = h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            fingerprint_parts("REACH-001", &["id:", "gh_1"], &long, Some(" cn ")).as_str(),
            want
        );
    }

    /// The definition spelled out: NFKC, trimmed, lower-case.
    fn by_definition(s: &str) -> String {
        s.nfkc().collect::<String>().trim().to_lowercase()
    }

    #[test]
    fn names_normalise_as_defined() {
        for s in [
            " 阿克米茶饮 ",
            "ＡＣＭＥ　茶",
            "Café Noir",
            "Cafe\u{301} Noir",
            "ǅemal",
            "ΣΊΣΥΦΟΣ",
            "\u{3000}品牌\u{3000}",
            "ﬁne",
        ] {
            assert_eq!(norm_name(s), by_definition(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_name_normalises_as_defined(s in "\\PC{0,12}") {
            proptest::prop_assert_eq!(norm_name(&s), by_definition(&s));
        }
    }
}
