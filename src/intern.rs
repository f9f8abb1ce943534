//! One shared copy of each distinct finding text: evidence lists and message wordings.
//!
//! A million-account audit produces millions of findings whose evidence repeats a handful of facts
//! ("declared_platform = wechat", "audience = CN") and whose messages, once the account's name is
//! cut out (see [`crate::model::Message`]), repeat a handful of wordings. Keeping each once and
//! sharing it saves most of a gigabyte. Each set is split into shards behind their own locks so
//! the rules' parallel pass rarely waits.

use crate::rules::context::FxHashSet;
use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};
use std::sync::{Arc, Mutex};

const SHARDS: usize = 16;

/// One finding's evidence, shared.
pub type Evidence = Arc<[Box<str>]>;

/// A set of shared values; equal values get the same allocation.
pub struct Interner<T: ?Sized> {
    shards: [Mutex<FxHashSet<Arc<T>>>; SHARDS],
}

impl<T: ?Sized> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            shards: std::array::from_fn(|_| Mutex::default()),
        }
    }
}

impl<T: ?Sized + Hash + Eq> Interner<T> {
    /// The shared copy of `value`, made from it the first time it is seen.
    pub fn share<V>(&self, value: V) -> Arc<T>
    where
        V: Borrow<T>,
        Arc<T>: From<V>,
    {
        let hash = crate::rules::context::FxBuild::default().hash_one(value.borrow());
        // The set hashes the same bits again: pick the shard from other bits than its buckets use.
        let shard = &self.shards[((hash >> 32) as usize) % SHARDS];
        // A poisoned shard only means another rule thread panicked; its set is still valid.
        let mut set = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(shared) = set.get(value.borrow()) {
            return Arc::clone(shared);
        }
        let shared = Arc::from(value);
        set.insert(Arc::clone(&shared));
        shared
    }
}

/// The texts of one audit's findings.
#[derive(Default)]
pub struct FindingTexts {
    evidence: Interner<[Box<str>]>,
    wordings: Interner<str>,
}

impl FindingTexts {
    pub fn new() -> FindingTexts {
        FindingTexts::default()
    }

    /// The shared copy of an evidence list.
    pub fn evidence(&self, items: Vec<String>) -> Evidence {
        let items: Vec<Box<str>> = items.into_iter().map(String::into_boxed_str).collect();
        self.evidence.share(items)
    }

    /// The shared copy of a message wording.
    pub fn wording(&self, text: &str) -> Arc<str> {
        self.wordings.share(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lists_share_one_copy_and_different_lists_do_not() {
        let t = FindingTexts::new();
        let a = t.evidence(vec!["audience = CN".into(), "platform = wechat".into()]);
        let b = t.evidence(vec!["audience = CN".into(), "platform = wechat".into()]);
        let c = t.evidence(vec!["audience = CN".into()]);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, &["audience = CN".into()] as &[Box<str>]);
        assert!(t.evidence(Vec::new()).is_empty());
    }

    #[test]
    fn equal_wordings_share_one_copy() {
        let t = FindingTexts::new();
        let a = t.wording("is a legacy account");
        let b = t.wording(&String::from("is a legacy account"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*t.wording("other"), "other");
    }
}
