//! Every account's classification, parallel to the accounts: [`Classifications`].
//!
//! Why it exists: a report keeps a verdict for every account, and as a `Vec<Classification>`
//! that was 32 bytes each (the conflict list's empty `Vec` alone is 24), 32 MB at a million
//! accounts. A verdict is two bytes here; the accounts whose signals disagree keep their
//! conflicts aside, by account index, and each distinct list of conflicts is kept once: a
//! generated million-account inventory had some 140,000 conflicting accounts repeating a few
//! dozen lists ("phone +60 says WeChat, but wallet CNY says Weixin; …"), 20 MB as one list
//! each.

use super::{Classification, Confidence, Conflict, Platform};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// The classifications of a report's accounts, in account order (see the module doc).
#[derive(Debug, Clone, Default)]
pub struct Classifications {
    verdicts: Vec<(Platform, Confidence)>,
    conflicts: ConflictLists,
}

/// Accounts' conflict lists, each distinct list held once.
#[derive(Debug, Clone, Default)]
pub struct ConflictLists {
    /// (account index, its list in `lists`); by index once [`ConflictLists::sort`]ed.
    by_account: Vec<(u32, u32)>,
    lists: Vec<Vec<Conflict>>,
    /// A list's hash → its place in `lists` (a list whose hash is taken by another list is
    /// kept again: rare, and only costs its memory).
    seen: HashMap<u64, u32, foldhash::fast::FixedState>,
}

impl ConflictLists {
    pub fn new() -> ConflictLists {
        ConflictLists::default()
    }

    /// Account `i`'s conflicts (an empty list is not kept).
    pub fn add(&mut self, i: u32, list: Vec<Conflict>) {
        if list.is_empty() {
            return;
        }
        let hash = self.seen.hasher().hash_one(&list);
        let at = match self.seen.get(&hash) {
            Some(&k) if self.lists[k as usize] == list => k,
            found => {
                let k = self.lists.len() as u32;
                self.lists.push(list);
                if found.is_none() {
                    self.seen.insert(hash, k);
                }
                k
            }
        };
        self.by_account.push((i, at));
    }

    fn sort(&mut self) {
        if !self.by_account.is_sorted_by_key(|&(i, _)| i) {
            self.by_account.sort_by_key(|&(i, _)| i);
        }
    }

    fn get(&self, i: usize) -> &[Conflict] {
        match self
            .by_account
            .binary_search_by_key(&(i as u32), |&(k, _)| k)
        {
            Ok(p) => &self.lists[self.by_account[p].1 as usize],
            Err(_) => &[],
        }
    }
}

impl PartialEq for Classifications {
    fn eq(&self, other: &Classifications) -> bool {
        fn lists(c: &ConflictLists) -> Vec<(u32, &[Conflict])> {
            let at = |&(i, k): &(u32, u32)| (i, c.lists[k as usize].as_slice());
            c.by_account.iter().map(at).collect()
        }
        self.verdicts == other.verdicts && lists(&self.conflicts) == lists(&other.conflicts)
    }
}

impl Eq for Classifications {}

impl Classifications {
    pub fn new() -> Classifications {
        Classifications::default()
    }

    /// From the verdicts in account order and the conflicts by account index (added in any
    /// order).
    pub fn from_parts(
        verdicts: Vec<(Platform, Confidence)>,
        mut conflicts: ConflictLists,
    ) -> Classifications {
        conflicts.sort();
        Classifications {
            verdicts,
            conflicts,
        }
    }

    pub fn len(&self) -> usize {
        self.verdicts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
    }

    /// Account `i`'s platform.
    #[inline]
    pub fn platform(&self, i: usize) -> Option<Platform> {
        self.verdicts.get(i).map(|v| v.0)
    }

    /// Account `i`'s confidence in its platform.
    #[inline]
    pub fn confidence(&self, i: usize) -> Option<Confidence> {
        self.verdicts.get(i).map(|v| v.1)
    }

    /// The signals of account `i` that disagree (usually none).
    pub fn conflicts(&self, i: usize) -> &[Conflict] {
        self.conflicts.get(i)
    }

    /// Account `i`'s classification.
    pub fn get(&self, i: usize) -> Option<Classification> {
        let &(platform, confidence) = self.verdicts.get(i)?;
        Some(Classification {
            platform,
            confidence,
            conflicts: self.conflicts(i).to_vec(),
        })
    }

    /// Every classification, in account order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Classification> + '_ {
        (0..self.len()).map(|i| self.get(i).expect("in range"))
    }

    /// Adds the classification of the next account.
    pub fn push(&mut self, c: Classification) {
        let i = self.verdicts.len() as u32;
        self.verdicts.push((c.platform, c.confidence));
        self.conflicts.add(i, c.conflicts);
    }

    /// Takes out account `i`'s classification; those after it move up one (as `Vec::remove`).
    pub fn remove(&mut self, i: usize) -> Classification {
        let c = self.get(i).expect("classification index in range");
        self.verdicts.remove(i);
        let by_account = &mut self.conflicts.by_account;
        by_account.retain(|&(k, _)| k as usize != i);
        for (k, _) in by_account.iter_mut() {
            if *k as usize > i {
                *k -= 1;
            }
        }
        c
    }

    pub fn clear(&mut self) {
        self.verdicts.clear();
        self.conflicts = ConflictLists::default();
    }
}

impl FromIterator<Classification> for Classifications {
    fn from_iter<I: IntoIterator<Item = Classification>>(iter: I) -> Classifications {
        let mut out = Classifications::new();
        for c in iter {
            out.push(c);
        }
        out
    }
}

impl From<Vec<Classification>> for Classifications {
    fn from(v: Vec<Classification>) -> Classifications {
        v.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Signal;

    fn c(platform: Platform, conflicts: usize) -> Classification {
        Classification {
            platform,
            confidence: Confidence::High,
            conflicts: (0..conflicts)
                .map(|k| Conflict {
                    signals: (Signal::Portal, Signal::DeclaredPlatform),
                    message: format!("conflict {k}"),
                })
                .collect(),
        }
    }

    #[test]
    fn reads_back_what_was_pushed_and_removes_like_a_list() {
        let list = vec![
            c(Platform::Weixin, 0),
            c(Platform::Wechat, 2),
            c(Platform::Unknown, 0),
            c(Platform::Weixin, 1),
        ];
        let mut all: Classifications = list.clone().into();
        assert_eq!(all.iter().collect::<Vec<_>>(), list);
        assert_eq!(all.platform(1), Some(Platform::Wechat));
        assert_eq!(all.conflicts(3).len(), 1);
        assert!(all.conflicts(2).is_empty() && all.get(4).is_none());
        let mut v = list.clone();
        assert_eq!(all.remove(1), v.remove(1));
        assert_eq!(all.iter().collect::<Vec<_>>(), v);
        all.push(list[1].clone());
        v.push(list[1].clone());
        assert_eq!(all.iter().collect::<Vec<_>>(), v);
        let mut lists = ConflictLists::new();
        for (i, c) in v.iter().enumerate().rev() {
            lists.add(i as u32, c.conflicts.clone());
        }
        let parts = Classifications::from_parts(
            v.iter().map(|c| (c.platform, c.confidence)).collect(),
            lists,
        );
        assert_eq!(parts, all);
        assert_eq!(parts.iter().collect::<Vec<_>>(), v);
    }

    /// A list of conflicts that many accounts share is held once, and each still reads back
    /// its own.
    #[test]
    fn a_shared_list_is_held_once() {
        let mut all = Classifications::new();
        for i in 0..1_000 {
            all.push(c(Platform::Wechat, i % 3));
        }
        assert_eq!(
            all.conflicts.lists.len(),
            2,
            "lists of one and two conflicts"
        );
        assert_eq!(all.conflicts(0).len(), 0);
        assert_eq!(all.conflicts(998).len(), 2);
        assert_eq!(
            all.conflicts(997),
            c(Platform::Wechat, 1).conflicts.as_slice()
        );
    }
}
