//! Every account's classification, parallel to the accounts: [`Classifications`].
//!
//! Why it exists: a report keeps a verdict for every account, and as a `Vec<Classification>`
//! that was 32 bytes each (the conflict list's empty `Vec` alone is 24), 32 MB at a million
//! accounts. A verdict is two bytes here; the few accounts whose signals disagree keep their
//! conflicts aside, by account index.

use super::{Classification, Confidence, Conflict, Platform};

/// The classifications of a report's accounts, in account order (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classifications {
    verdicts: Vec<(Platform, Confidence)>,
    /// (account index, its conflicts), by index; only accounts that have some.
    conflicts: Vec<(u32, Vec<Conflict>)>,
}

impl Classifications {
    pub fn new() -> Classifications {
        Classifications::default()
    }

    /// From the verdicts in account order and the conflicts by account index (in any order).
    pub fn from_parts(
        verdicts: Vec<(Platform, Confidence)>,
        mut conflicts: Vec<(u32, Vec<Conflict>)>,
    ) -> Classifications {
        conflicts.retain(|(_, c)| !c.is_empty());
        conflicts.sort_by_key(|(i, _)| *i);
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
        match self
            .conflicts
            .binary_search_by_key(&(i as u32), |(k, _)| *k)
        {
            Ok(p) => &self.conflicts[p].1,
            Err(_) => &[],
        }
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
        if !c.conflicts.is_empty() {
            self.conflicts.push((i, c.conflicts));
        }
    }

    /// Takes out account `i`'s classification; those after it move up one (as `Vec::remove`).
    pub fn remove(&mut self, i: usize) -> Classification {
        let c = self.get(i).expect("classification index in range");
        self.verdicts.remove(i);
        self.conflicts.retain(|(k, _)| *k as usize != i);
        for (k, _) in &mut self.conflicts {
            if *k as usize > i {
                *k -= 1;
            }
        }
        c
    }

    pub fn clear(&mut self) {
        self.verdicts.clear();
        self.conflicts.clear();
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
        let parts = Classifications::from_parts(
            v.iter().map(|c| (c.platform, c.confidence)).collect(),
            v.iter()
                .enumerate()
                .rev()
                .map(|(i, c)| (i as u32, c.conflicts.clone()))
                .collect(),
        );
        assert_eq!(parts, all);
    }
}
