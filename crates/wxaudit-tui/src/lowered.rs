//! Every account's id and name, ASCII-lower-cased, kept one after another so that the text
//! filter finds a term in a million accounts with one substring search over one buffer (on
//! every core) instead of testing each account's fields in turn, which took 0.3–0.6 s per key
//! press at a million accounts against a target of 100 ms.
//!
//! It costs the bytes of the ids and names once (about 45 MB at a million accounts), made on
//! the first filter of a load. Entities and brands are not copied: the store keeps each
//! distinct one once (see [`Accounts::entity_names`], [`Accounts::brands`]), so the filter tests
//! those few values and each account looks its bits up by code.
//!
//! Fields are separated by a NUL byte, so a hit never spans two fields (or two accounts) unless
//! the term itself holds a NUL; [`Lowered::mark`] refuses such a term and the caller tests it
//! field by field.

use memchr::memmem::Finder;
use rayon::prelude::*;
use wxaudit_core::accounts::Accounts;

/// Accounts per piece of work (and per piece of the buffer searched on one core).
const CHUNK: usize = 32 * 1024;
const SEP: u8 = 0;

/// See the module doc.
#[derive(Debug, Default)]
pub struct Lowered {
    text: Vec<u8>,
    /// Account `i`'s fields are `text[starts[i]..starts[i + 1]]`.
    starts: Vec<u64>,
}

impl Lowered {
    /// The id and name of every account in `accounts`.
    pub fn build(accounts: &Accounts) -> Lowered {
        let n = accounts.len();
        let parts: Vec<(Vec<u8>, Vec<u64>)> = (0..n)
            .into_par_iter()
            .step_by(CHUNK)
            .map(|start| {
                let end = (start + CHUNK).min(n);
                let mut text = Vec::new();
                let mut ends = Vec::with_capacity(end - start);
                for i in start..end {
                    for f in [accounts.id(i), accounts.name(i)] {
                        if let Some(f) = f {
                            text.extend(f.bytes().map(|b| b.to_ascii_lowercase()));
                        }
                        text.push(SEP);
                    }
                    ends.push(text.len() as u64);
                }
                (text, ends)
            })
            .collect();
        let mut out = Lowered {
            text: Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum()),
            starts: Vec::with_capacity(n + 1),
        };
        out.starts.push(0);
        for (text, ends) in parts {
            let base = out.text.len() as u64;
            out.text.extend_from_slice(&text);
            out.starts.extend(ends.into_iter().map(|e| base + e));
        }
        out
    }

    /// The accounts held.
    pub fn accounts(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Sets `bit` in `bits[i]` for every account `i` whose id or name holds `term` (already
    /// ASCII-lower-cased). False, doing nothing, when the term holds the separator byte.
    pub fn mark(&self, term: &[u8], bit: u64, bits: &mut [u64]) -> bool {
        if term.contains(&SEP) || bits.len() != self.accounts() {
            return false;
        }
        let finder = Finder::new(term);
        bits.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, bits)| self.mark_chunk(&finder, c * CHUNK, bit, bits));
        true
    }

    /// [`Lowered::mark`] for the accounts from `first` on, one for each of `bits`.
    fn mark_chunk(&self, finder: &Finder, first: usize, bit: u64, bits: &mut [u64]) {
        let lo = self.starts[first] as usize;
        let hi = self.starts[first + bits.len()] as usize;
        let hay = &self.text[lo..hi];
        let mut k = first;
        let mut from = 0;
        while let Some(p) = finder.find(&hay[from..]) {
            let at = (lo + from + p) as u64;
            while self.starts[k + 1] <= at {
                k += 1;
            }
            bits[k - first] |= bit;
            // One hit per account is enough: go on from the next account.
            from = self.starts[k + 1] as usize - lo;
            if from >= hay.len() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wxaudit_core::model::Account;

    fn store(rows: &[(Option<&str>, Option<&str>)]) -> Accounts {
        let mut s = Accounts::new();
        for (i, (id, name)) in rows.iter().enumerate() {
            let a = Account {
                line: i as u64 + 2,
                id: id.map(Into::into),
                name: name.map(Into::into),
                ..Account::default()
            };
            s.push(&a).unwrap();
        }
        s
    }

    fn marked(l: &Lowered, term: &str) -> Vec<usize> {
        let mut bits = vec![0u64; l.accounts()];
        assert!(l.mark(term.as_bytes(), 1 << 3, &mut bits));
        (0..bits.len()).filter(|&i| bits[i] == 1 << 3).collect()
    }

    #[test]
    fn a_term_is_found_in_ids_and_names_ignoring_ascii_case_but_never_across_fields() {
        let s = store(&[
            (Some("gh_Lotus1"), Some("莲花 Shop")),
            (None, Some("LOTUS 美妆")),
            (Some("gh_2"), None),
            (Some("gh_lot"), Some("us")),
            (Some("gh_x"), Some("Acme lotuslotus")),
        ]);
        let l = Lowered::build(&s);
        // Not account 3: its "gh_lot" and "us" are two fields.
        assert_eq!(marked(&l, "lotus"), [0, 1, 4]);
        assert_eq!(marked(&l, "莲花"), [0]);
        assert_eq!(marked(&l, "gh_"), [0, 2, 3, 4]);
        assert!(marked(&l, "zzz").is_empty());
        let mut bits = vec![0u64; l.accounts()];
        assert!(
            !l.mark(b"a\0b", 1, &mut bits),
            "a term with the separator is refused"
        );
    }

    #[test]
    fn every_account_of_many_chunks_is_found_once() {
        let ids: Vec<String> = (0..CHUNK * 2 + 77).map(|i| format!("gh_{i:06}")).collect();
        let rows: Vec<(Option<&str>, Option<&str>)> =
            ids.iter().map(|i| (Some(i.as_str()), None)).collect();
        let l = Lowered::build(&store(&rows));
        assert_eq!(marked(&l, "gh_").len(), rows.len());
        let sevens: Vec<usize> = (0..rows.len()).filter(|i| ids[*i].contains('7')).collect();
        assert_eq!(marked(&l, "7"), sevens);
        assert_eq!(marked(&l, &ids[CHUNK]), [CHUNK]);
    }
}
