//! One shared copy of each distinct evidence list.
//!
//! A million-account audit produces millions of findings whose evidence repeats a handful of facts
//! ("declared_platform = wechat", "audience = CN"); keeping each list once and sharing it saves
//! hundreds of megabytes. The set is split into shards behind their own locks so the rules'
//! parallel pass rarely waits.

use crate::rules::context::FxHashSet;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

const SHARDS: usize = 16;

/// One finding's evidence, shared.
pub type Evidence = Arc<[Box<str>]>;

/// Hands out shared evidence lists; equal lists get the same allocation.
#[derive(Default)]
pub struct EvidenceInterner {
    shards: [Mutex<FxHashSet<Evidence>>; SHARDS],
}

impl EvidenceInterner {
    pub fn new() -> EvidenceInterner {
        EvidenceInterner::default()
    }

    /// The shared copy of `items`, made from them the first time they are seen.
    pub fn intern(&self, items: Vec<String>) -> Evidence {
        let items: Vec<Box<str>> = items.into_iter().map(String::into_boxed_str).collect();
        let hash = crate::rules::context::FxBuild::default().hash_one(&items[..]);
        // The set hashes the same bits again: pick the shard from other bits than its buckets use.
        let shard = &self.shards[((hash >> 32) as usize) % SHARDS];
        // A poisoned shard only means another rule thread panicked; its set is still valid.
        let mut set = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(shared) = set.get(&items[..]) {
            return Arc::clone(shared);
        }
        let shared: Evidence = Arc::from(items);
        set.insert(Arc::clone(&shared));
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lists_share_one_copy_and_different_lists_do_not() {
        let i = EvidenceInterner::new();
        let a = i.intern(vec!["audience = CN".into(), "platform = wechat".into()]);
        let b = i.intern(vec!["audience = CN".into(), "platform = wechat".into()]);
        let c = i.intern(vec!["audience = CN".into()]);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, &["audience = CN".into()] as &[Box<str>]);
        let empty = i.intern(Vec::new());
        assert!(empty.is_empty());
    }
}
