//! [`Sym`]: a short string that repeats across millions of records (a rule id, a market code),
//! held once per process and referred to by a 4-byte number.
//!
//! Why it exists: a million-account audit holds millions of findings, and each named its rule and
//! market with a 24-byte string of its own. A `Sym` is `Copy`, compares and hashes as a number,
//! and reads as the `&str` it stands for. The table only grows: every distinct text is kept for
//! the life of the process (there are a few dozen rule ids and a few hundred market codes; a
//! saved report read back adds at most the distinct values it holds).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::sync::{OnceLock, RwLock};

/// An interned string (see the module doc).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sym(u32);

/// Text → number, taken only to add or look up a text.
fn index() -> &'static RwLock<HashMap<&'static str, u32>> {
    static INDEX: OnceLock<RwLock<HashMap<&'static str, u32>>> = OnceLock::new();
    INDEX.get_or_init(Default::default)
}

/// Number → text, read without a lock: chunks of slots, each chunk made when first needed and
/// each slot written once (under the index's write lock) before its number is handed out.
const CHUNK: usize = 4096;
const CHUNKS: usize = 4096;
type Slots = [OnceLock<&'static str>];
static TEXTS: [OnceLock<Box<Slots>>; CHUNKS] = [const { OnceLock::new() }; CHUNKS];

/// Texts past the 16.7 million the chunks hold (read under a lock; no real inventory gets here).
fn overflow() -> &'static RwLock<Vec<&'static str>> {
    static OVERFLOW: OnceLock<RwLock<Vec<&'static str>>> = OnceLock::new();
    OVERFLOW.get_or_init(Default::default)
}

fn slot(i: usize) -> Option<&'static OnceLock<&'static str>> {
    let chunk = TEXTS.get(i / CHUNK)?;
    let slots = chunk.get_or_init(|| (0..CHUNK).map(|_| OnceLock::new()).collect());
    slots.get(i % CHUNK)
}

impl Sym {
    /// The symbol for `s`, adding it to the table the first time.
    pub fn new(s: &str) -> Sym {
        if let Some(&i) = index().read().unwrap_or_else(|e| e.into_inner()).get(s) {
            return Sym(i);
        }
        let mut index = index().write().unwrap_or_else(|e| e.into_inner());
        if let Some(&i) = index.get(s) {
            return Sym(i);
        }
        let text: &'static str = Box::leak(s.into());
        let i = index.len();
        match slot(i) {
            Some(slot) => {
                let _ = slot.set(text);
            }
            None => overflow()
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .push(text),
        }
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        index.insert(text, i);
        Sym(i)
    }

    /// The text the symbol stands for.
    pub fn as_str(self) -> &'static str {
        let i = self.0 as usize;
        match slot(i) {
            Some(slot) => slot.get().copied().unwrap_or_default(),
            None => overflow()
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(i - CHUNK * CHUNKS)
                .copied()
                .unwrap_or_default(),
        }
    }
}

impl std::ops::Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Sym {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Sym {
        Sym::new(s)
    }
}

impl From<&String> for Sym {
    fn from(s: &String) -> Sym {
        Sym::new(s)
    }
}

impl From<String> for Sym {
    fn from(s: String) -> Sym {
        Sym::new(&s)
    }
}

impl From<super::Text> for Sym {
    fn from(s: super::Text) -> Sym {
        Sym::new(&s)
    }
}

impl From<&super::Text> for Sym {
    fn from(s: &super::Text) -> Sym {
        Sym::new(s)
    }
}

impl PartialEq<str> for Sym {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Sym {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Sym {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<super::Text> for Sym {
    fn eq(&self, other: &super::Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Sym> for &str {
    fn eq(&self, other: &Sym) -> bool {
        *self == other.as_str()
    }
}

/// Ordered by text, like the strings it replaces.
impl PartialOrd for Sym {
    fn partial_cmp(&self, other: &Sym) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Sym {
    fn cmp(&self, other: &Sym) -> std::cmp::Ordering {
        if self.0 == other.0 {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Sym {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Sym {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sym, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(Sym::new(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_the_same_symbol_and_reads_back() {
        let a = Sym::new("PAY-001");
        let b = Sym::from(String::from("PAY-001"));
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "PAY-001");
        assert_eq!(a, "PAY-001");
        assert_ne!(a, Sym::new("PAY-002"));
        assert!(Sym::new("CN") < Sym::new("HK"));
        assert!(Sym::new("zz-later") > Sym::new("AA"));
        assert_eq!(format!("{a} {a:?}"), "PAY-001 \"PAY-001\"");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"PAY-001\"");
        assert_eq!(serde_json::from_str::<Sym>(&json).unwrap(), a);
    }

    #[test]
    fn symbols_made_on_many_threads_agree() {
        let syms: Vec<Sym> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| Sym::new("shared-on-threads")))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(syms.windows(2).all(|w| w[0] == w[1]));
    }
}
