//! The order findings are reported in: most severe first, then rule (catalogue order), then what
//! the finding is about (its account's id, else its name, else its brand), then fingerprint, so
//! the order is total and the same on every run.
//!
//! Why it is a module of its own: with a million accounts the audit yields millions of findings,
//! and comparing their labels as strings made sorting a fifth of the whole audit (ids such as
//! `gh_000078815955` share their first bytes, so every comparison went to `memcmp`). Here each
//! distinct label is ranked once — the accounts' labels sorted on integer prefixes — and
//! the findings are then sorted on two integers. Fingerprints (SHA-256) are computed only for
//! findings that tie on rule and label, once each.

use crate::accounts::Accounts;
use crate::audit::finding_fingerprint;
use crate::model::{Finding, Severity, Sym, Text};
use crate::rules::context::FxHashMap;
use crate::rules::id_order;
use rayon::prelude::*;

/// Sorts `findings` into report order. `accounts`: what their account indexes point into.
///
/// The sort itself moves integer keys — rule rank, label rank and position packed into 8 bytes
/// when they fit (they do for any inventory the store holds with fewer than ~16M distinct
/// labels), else 16 — and the findings are then put in that order in place.
pub fn sort_findings(findings: &mut [Finding], accounts: &Accounts) {
    sort_with(findings, accounts, false)
}

/// [`sort_findings`]; `wide`: with 16-byte keys even where 8 would do (for the test that checks
/// both give the same order).
fn sort_with(findings: &mut [Finding], accounts: &Accounts, wide: bool) {
    if findings.len() < 2 {
        return;
    }
    let rule_rank = rule_ranks(findings);
    let labels = LabelRanks::new(findings, accounts);
    let rank = |f: &Finding| {
        let r = rule_rank.get(&(f.severity, f.rule_id)).copied();
        debug_assert!(r.is_some(), "every finding's rule is ranked");
        u64::from(r.unwrap_or(0))
    };
    let bits = |max: u64| u64::BITS - max.leading_zeros();
    let (rule_bits, label_bits) = (bits(rule_rank.len() as u64), bits(labels.max as u64));
    let index_bits = bits(findings.len() as u64 - 1);
    let mut order: Vec<u32> = if !wide && rule_bits + label_bits + index_bits <= 64 {
        // rule rank | label rank | position, in one u64.
        let (shift, mask) = (index_bits, (1u64 << index_bits) - 1);
        let mut keys: Vec<u64> = findings
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                (rank(f) << (label_bits + index_bits))
                    | (u64::from(labels.of(f, accounts)) << shift)
                    | i as u64
            })
            .collect();
        drop(labels);
        keys.par_sort_unstable();
        break_ties_by_fingerprint(
            &mut keys,
            |k| k >> shift,
            |k| (k & mask) as u32,
            |k, i| (k & !mask) | u64::from(i),
            findings,
            accounts,
        );
        keys.par_iter().map(|&k| (k & mask) as u32).collect()
    } else {
        // (rule rank << 32 | label rank, position): 16 bytes each.
        let mut keys: Vec<(u64, u32)> = findings
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    (rank(f) << 32) | u64::from(labels.of(f, accounts)),
                    i as u32,
                )
            })
            .collect();
        drop(labels);
        keys.par_sort_unstable();
        break_ties_by_fingerprint(
            &mut keys,
            |k| k.0,
            |k| k.1,
            |k, i| (k.0, i),
            findings,
            accounts,
        );
        keys.par_iter().map(|&(_, i)| i).collect()
    };
    permute(findings, &mut order);
}

/// Whether an audit puts its findings in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindingOrder {
    /// Sorted into report order ([`sort_findings`]): what every report that lists them all
    /// (CSV, JSON, Markdown, the TUI, a saved baseline) needs.
    #[default]
    Report,
    /// Left in the order the rules found them, for the terminal summary and the Markdown page,
    /// which show the first fifty of each severity and pick them themselves
    /// ([`first_in_order`]): sorting millions of findings to show fifty was a tenth of a summary
    /// audit.
    AsFound,
}

/// How many findings a worker looks at before its best are merged with the others'.
const PICK_CHUNK: usize = 1 << 16;

/// The first `k` of the `items` that `keep` keeps, in report order — the same findings, in the
/// same order, that sorting them all ([`sort_findings`]) and taking the first `k` gives —
/// without sorting them all: each worker keeps the best `k` of its part (most findings lose to
/// the worst of those on the rule alone), and the parts' bests are merged. `finding`: the
/// finding an item is (a suppressed finding's own, say).
pub fn first_in_order<'a, T: Sync>(
    items: &'a [T],
    finding: impl Fn(&T) -> &Finding + Sync,
    keep: impl Fn(&Finding) -> bool + Sync,
    accounts: &Accounts,
    k: usize,
) -> Vec<&'a T> {
    let bucket = |f: &Finding| keep(f).then_some(0);
    let [(_, first)] = pick_in_order(items, finding, bucket, accounts, k, PICK_CHUNK);
    first
}

/// [`first_in_order`] for each severity at once, in one pass over the findings (a summary shows
/// the first `k` of each, and a pass over millions of findings is bounded by memory, not by
/// the comparisons): for [`Severity::DESC`] in turn, how many findings it has and its first `k`.
pub fn first_by_severity<'a>(
    findings: &'a [Finding],
    accounts: &Accounts,
    k: usize,
) -> [(usize, Vec<&'a Finding>); 5] {
    let bucket = |f: &Finding| Some(f.severity.desc_index());
    pick_in_order(findings, |f| f, bucket, accounts, k, PICK_CHUNK)
}

/// The picking of [`first_in_order`] into `B` buckets at once (`bucket` says which, `None` for
/// none), each worker taking `chunk` items at a time: per bucket, how many items it holds and
/// its first `k`.
fn pick_in_order<'a, T: Sync, const B: usize>(
    items: &'a [T],
    finding: impl Fn(&T) -> &Finding + Sync,
    bucket: impl Fn(&Finding) -> Option<usize> + Sync,
    accounts: &Accounts,
    k: usize,
    chunk: usize,
) -> [(usize, Vec<&'a T>); B] {
    // Each rule's place in the catalogue, looked up once per distinct rule (a few dozen).
    let mut places: FxHashMap<Sym, (usize, &'static str)> = Default::default();
    let mut last = None;
    for item in items {
        let r = finding(item).rule_id;
        if last != Some(r) {
            places.entry(r).or_insert_with(|| id_order(r.as_str()));
            last = Some(r);
        }
    }
    let by_rule = |a: &Finding, b: &Finding| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| places[&a.rule_id].cmp(&places[&b.rule_id]))
    };
    // Positions are the last tie-break, as in `sort_findings`'s keys.
    let cmp = |a: usize, b: usize| {
        let (fa, fb) = (finding(&items[a]), finding(&items[b]));
        by_rule(fa, fb)
            .then_with(|| label(fa, accounts).cmp(label(fb, accounts)))
            .then_with(|| finding_fingerprint(fa, accounts).cmp(&finding_fingerprint(fb, accounts)))
            .then(a.cmp(&b))
    };
    let merge = |a: Vec<usize>, b: Vec<usize>| {
        let mut out = Vec::with_capacity(k.min(a.len() + b.len()));
        let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
        while out.len() < k {
            let next = match (a.peek(), b.peek()) {
                (Some(&x), Some(&y)) if cmp(x, y).is_le() => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            match next {
                Some(i) => out.push(i),
                None => break,
            }
        }
        out
    };
    /// One bucket's best so far in a part of the items.
    #[derive(Default)]
    struct Best<'l> {
        count: usize,
        /// In order; once full, its last is the bar to pass.
        top: Vec<usize>,
        /// The rule of the last finding that lost on its rule alone: most of a part's
        /// findings lose the same way, without a string comparison.
        losing: Option<(Severity, Sym)>,
        /// The worst kept, once `top` is full: its rule and label, so that a finding of the
        /// same rule is judged on one label comparison.
        bar: Option<((Severity, Sym), &'l str)>,
    }
    let parts: Vec<[Best; B]> = items
        .par_chunks(chunk.max(1))
        .enumerate()
        .map(|(c, part)| {
            let mut best: [Best; B] = std::array::from_fn(|_| Best::default());
            for (j, item) in part.iter().enumerate() {
                let f = finding(item);
                let Some(b) = bucket(f).and_then(|b| best.get_mut(b)) else {
                    continue;
                };
                b.count += 1;
                let rule = (f.severity, f.rule_id);
                if k == 0 || b.losing == Some(rule) {
                    continue;
                }
                let i = c * chunk.max(1) + j;
                if let Some((bar_rule, bar_label)) = b.bar {
                    if rule == bar_rule {
                        if label(f, accounts) > bar_label {
                            continue;
                        }
                    } else if by_rule(f, finding(&items[b.top[k - 1]])).is_gt() {
                        b.losing = Some(rule);
                        continue;
                    }
                    if cmp(i, b.top[k - 1]).is_gt() {
                        continue;
                    }
                }
                let at = b.top.partition_point(|&t| cmp(t, i).is_lt());
                b.top.insert(at, i);
                b.top.truncate(k);
                if b.top.len() == k {
                    let worst = finding(&items[b.top[k - 1]]);
                    b.bar = Some(((worst.severity, worst.rule_id), label(worst, accounts)));
                }
            }
            best
        })
        .collect();
    let mut all: [(usize, Vec<usize>); B] = std::array::from_fn(|_| Default::default());
    for part in parts {
        for ((count, top), best) in all.iter_mut().zip(part) {
            *count += best.count;
            *top = merge(std::mem::take(top), best.top);
        }
    }
    all.map(|(count, top)| (count, top.into_iter().map(|i| &items[i]).collect()))
}

/// Each (severity, rule) pair present, ranked most severe first and then in catalogue order.
fn rule_ranks(findings: &[Finding]) -> FxHashMap<(Severity, Sym), u32> {
    let mut ranks: FxHashMap<(Severity, Sym), u32> = Default::default();
    for f in findings {
        ranks.entry((f.severity, f.rule_id)).or_insert(0);
    }
    let mut ordered: Vec<(Severity, Sym)> = ranks.keys().copied().collect();
    ordered.sort_by(|(sa, ra), (sb, rb)| sb.cmp(sa).then_with(|| id_order(ra).cmp(&id_order(rb))));
    for (rank, k) in ordered.into_iter().enumerate() {
        ranks.insert(k, rank as u32);
    }
    ranks
}

/// What a finding is "about" for sorting: its account id (or name), else its brand.
fn label<'a>(f: &'a Finding, accounts: &'a Accounts) -> &'a str {
    f.account_id(accounts)
        .or_else(|| f.brand(accounts))
        .unwrap_or("")
}

/// Dense ranks of the labels findings sort on: equal labels share a rank, and ranks order as the
/// labels do.
struct LabelRanks<'a> {
    /// Per account: the rank of the label its plain findings (worded on demand) have.
    account: Vec<u32>,
    /// The labels of the other findings (brand- and company-level, read back from a report).
    other: FxHashMap<&'a str, u32>,
    /// The highest rank given.
    max: u32,
}

impl<'a> LabelRanks<'a> {
    fn new(findings: &'a [Finding], accounts: &'a Accounts) -> Self {
        // Every account's label, plus those of the findings that are not plainly an account's.
        let n = accounts.len();
        let account_label = |i: usize| {
            accounts
                .id(i)
                .or_else(|| accounts.name(i))
                .or_else(|| accounts.brand(i))
                .unwrap_or("")
        };
        let mut others: Vec<&'a str> = findings
            .iter()
            .filter(|f| !plain(f, accounts))
            .map(|f| label(f, accounts))
            .collect();
        others.sort_unstable();
        others.dedup();
        let text = |k: u32| -> &'a str {
            let k = k as usize;
            if k < n {
                account_label(k)
            } else {
                others[k - n]
            }
        };
        // Sorted as 16-byte keys: 12 bytes of the label, from where the labels first differ
        // (ids such as `gh_000078815955` share their first bytes), above the label's number.
        // Labels equal on those bytes are compared as text.
        let total = (n + others.len()) as u32;
        let skip = common_prefix_len((0..total).map(text));
        let key = |k: u32| -> u128 {
            let tail = &text(k).as_bytes()[skip..];
            let mut b = [0u8; 16];
            let m = tail.len().min(12);
            b[..m].copy_from_slice(&tail[..m]);
            b[12..].copy_from_slice(&k.to_be_bytes());
            u128::from_be_bytes(b)
        };
        let (prefix, number) = (|key: u128| key >> 32, |key: u128| key as u32);
        let mut order: Vec<u128> = (0..total).into_par_iter().map(key).collect();
        order.par_sort_unstable_by(|&a, &b| {
            prefix(a)
                .cmp(&prefix(b))
                .then_with(|| text(number(a)).cmp(text(number(b))))
        });
        let mut account = vec![0u32; n];
        let mut other = FxHashMap::default();
        let mut rank = 0u32;
        for (j, &key) in order.iter().enumerate() {
            let k = number(key);
            if j > 0 {
                let before = order[j - 1];
                if prefix(key) != prefix(before) || text(number(before)) != text(k) {
                    rank += 1;
                }
            }
            if (k as usize) < n {
                account[k as usize] = rank;
            } else {
                other.insert(text(k), rank);
            }
        }
        LabelRanks {
            account,
            other,
            max: rank,
        }
    }

    fn of(&self, f: &Finding, accounts: &Accounts) -> u32 {
        if plain(f, accounts) {
            self.account[f.account.unwrap_or(0) as usize]
        } else {
            self.other.get(label(f, accounts)).copied().unwrap_or(0)
        }
    }
}

/// A finding whose label is its account's (an index into `accounts`, no words of its own).
fn plain(f: &Finding, accounts: &Accounts) -> bool {
    f.said.is_none() && f.account.is_some_and(|i| (i as usize) < accounts.len())
}

/// An integer ordered as the texts are wherever two differ, for sorting many texts on integers
/// first and comparing in full only equal prefixes: 0 for `None`, else a 1 byte and then the
/// text's first 15 bytes, zero-padded (a zero pad sorts first, as a shorter text does).
pub fn sort_prefix(s: Option<&[u8]>) -> u128 {
    let Some(s) = s else { return 0 };
    let mut b = [0u8; 16];
    b[0] = 1;
    let n = s.len().min(15);
    b[1..1 + n].copy_from_slice(&s[..n]);
    u128::from_be_bytes(b)
}

/// How many leading bytes every one of `labels` shares (0 for none, or when one is empty).
fn common_prefix_len<'a>(mut labels: impl Iterator<Item = &'a str>) -> usize {
    let Some(first) = labels.next() else { return 0 };
    let mut len = first.len();
    for l in labels {
        len = first.as_bytes()[..len]
            .iter()
            .zip(l.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        if len == 0 {
            break;
        }
    }
    len
}

/// Within each run of sorted keys equal on rule and label (`group`), orders by fingerprint (each
/// computed once), then by position (`index`; `with_index` puts another in a key), so the order
/// is total.
fn break_ties_by_fingerprint<K: Copy>(
    keys: &mut [K],
    group: impl Fn(K) -> u64,
    index: impl Fn(K) -> u32,
    with_index: impl Fn(K, u32) -> K,
    findings: &[Finding],
    accounts: &Accounts,
) {
    let mut start = 0;
    while start < keys.len() {
        let g = group(keys[start]);
        let mut end = start + 1;
        while end < keys.len() && group(keys[end]) == g {
            end += 1;
        }
        if end - start > 1 {
            let run = &mut keys[start..end];
            let mut prints: Vec<(Text, u32)> = run
                .iter()
                .map(|&k| {
                    let i = index(k);
                    (finding_fingerprint(&findings[i as usize], accounts), i)
                })
                .collect();
            prints.sort_unstable();
            for (slot, (_, i)) in run.iter_mut().zip(prints) {
                *slot = with_index(*slot, i);
            }
        }
        start = end;
    }
}

/// Puts the finding at `order[k]` at position k.
fn permute(findings: &mut [Finding], order: &mut [u32]) {
    // In place, so the findings are never held twice (at millions of findings this was the
    // audit's memory peak): the swaps `slice::sort_by_cached_key` makes. Position `i` takes the
    // finding that was at `order[i]`; an earlier swap may have moved it, to where `order` of
    // its old place says.
    for i in 0..findings.len() {
        let mut from = order[i] as usize;
        while from < i {
            from = order[from] as usize;
        }
        order[i] = from as u32;
        findings.swap(i, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Account, Said};
    use std::cmp::Ordering;
    use std::sync::Arc;

    /// The order spelled out plainly, comparing strings and fingerprints directly.
    fn plain_order(a: &Finding, b: &Finding, accounts: &Accounts) -> Ordering {
        b.severity
            .cmp(&a.severity)
            .then_with(|| id_order(&a.rule_id).cmp(&id_order(&b.rule_id)))
            .then_with(|| label(a, accounts).cmp(label(b, accounts)))
            .then_with(|| finding_fingerprint(a, accounts).cmp(&finding_fingerprint(b, accounts)))
    }

    fn finding(
        rule: &str,
        severity: Severity,
        account: Option<u32>,
        market: Option<&str>,
    ) -> Finding {
        Finding {
            rule_id: Sym::new(rule),
            severity,
            account,
            market: market.map(Sym::new),
            baseline_state: None,
            said: None,
        }
    }

    #[test]
    fn the_first_k_picked_are_the_first_k_of_the_sorted_findings() {
        // Accounts whose ids share long prefixes, one known only by name, brand-level findings,
        // several markets per account (ties on rule and label, settled by fingerprint) and exact
        // duplicates, in a scrambled order.
        let mut store = Accounts::new();
        for i in 0..40u64 {
            let a = Account {
                line: i + 2,
                id: (i != 7).then(|| format!("gh_00000000000{}", (i * 37) % 41).into()),
                name: Some(format!("Shop {i}").into()),
                brand: Some(["Acme", "Zed", "Bo"][i as usize % 3].into()),
                ..Account::default()
            };
            store.push(&a).unwrap();
        }
        let rules = [
            ("REACH-001", Severity::High),
            ("PAY-001", Severity::High),
            ("DATA-001", Severity::Low),
            ("OWN-003", Severity::Low),
            ("REG-002", Severity::Critical),
        ];
        let mut findings = Vec::new();
        let mut x = 12345u64;
        for _ in 0..600 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (rule, sev) = rules[(x >> 33) as usize % rules.len()];
            let market = [None, Some("HK"), Some("CN")][(x >> 40) as usize % 3];
            if (x >> 50).is_multiple_of(9) {
                let brand = ["Acme", "Zed"][(x >> 45) as usize % 2];
                let mut f = finding(rule, sev, None, market);
                f.said = Some(Arc::new(Said {
                    brand: Some(brand.into()),
                    fingerprint: crate::identity::fingerprint(rule, None, Some(brand), market),
                    ..Said::default()
                }));
                findings.push(f);
            } else {
                findings.push(finding(rule, sev, Some((x >> 20) as u32 % 40), market));
            }
        }
        findings.extend_from_within(..30);
        let mut sorted = findings.clone();
        sort_findings(&mut sorted, &store);
        let show = |f: &Finding| {
            format!(
                "{} {} {} {}",
                f.severity,
                f.rule_id,
                label(f, &store),
                finding_fingerprint(f, &store)
            )
        };
        type Keep<'k> = &'k (dyn Fn(&Finding) -> bool + Sync);
        let keeps: [(&str, Keep); 3] = [
            ("all", &|_| true),
            ("low", &|f| f.severity == Severity::Low),
            ("with a market", &|f| f.market.is_some()),
        ];
        for (what, keep) in keeps {
            let want: Vec<String> = sorted.iter().filter(|f| keep(f)).map(show).collect();
            for k in [0, 1, 2, 5, 50, want.len(), want.len() + 3] {
                for chunk in [1, 7, 64, PICK_CHUNK] {
                    let bucket = |f: &Finding| keep(f).then_some(0);
                    let [(count, picked)] =
                        pick_in_order(&findings, |f| f, bucket, &store, k, chunk);
                    assert_eq!(count, want.len());
                    let got: Vec<String> = picked.into_iter().map(show).collect();
                    let k_want = &want[..k.min(want.len())];
                    assert_eq!(got, k_want, "{what}, first {k}, parts of {chunk}");
                }
            }
        }
        // Every severity at once: each its own count and first ones.
        for k in [0, 1, 5, 50] {
            let all = first_by_severity(&findings, &store, k);
            for (s, (count, picked)) in Severity::DESC.iter().zip(all) {
                let want: Vec<String> = sorted
                    .iter()
                    .filter(|f| f.severity == *s)
                    .map(show)
                    .collect();
                assert_eq!(count, want.len(), "{s}");
                let got: Vec<String> = picked.into_iter().map(show).collect();
                assert_eq!(got, want[..k.min(want.len())], "{s}, first {k}");
            }
        }
    }

    #[test]
    fn findings_sort_by_severity_rule_label_then_fingerprint() {
        // Ids sharing their first 16 bytes and more, ids that are prefixes of others, accounts
        // known only by name or by brand, and brand-level findings among them.
        let ids = [
            Some("gh_0000000000000000b"),
            Some("gh_0000000000000000a"),
            Some("gh_00000000000000"),
            Some("gh_000000000000000"),
            None,
            Some("gh_1"),
            None,
            Some("gh_0000000000000000a"),
        ];
        let mut store = Accounts::new();
        for (i, id) in ids.iter().enumerate() {
            let a = Account {
                line: i as u64 + 2,
                id: id.map(Into::into),
                name: (i == 4).then(|| "Acme 服务号".into()),
                brand: Some(
                    if i % 2 == 0 {
                        "Acme"
                    } else {
                        "gh_0000000000000000a"
                    }
                    .into(),
                ),
                ..Account::default()
            };
            store.push(&a).unwrap();
        }
        let mut findings = Vec::new();
        for (rule, sev) in [
            ("REACH-001", Severity::High),
            ("DATA-001", Severity::Low),
            ("PAY-001", Severity::High),
        ] {
            for i in (0..ids.len() as u32).rev() {
                findings.push(finding(rule, sev, Some(i), None));
                findings.push(finding(rule, sev, Some(i), Some("HK")));
                findings.push(finding(rule, sev, Some(i), Some("CN")));
            }
            for brand in ["Acme", "gh_0000000000000000a", "Zed"] {
                let mut f = finding(rule, sev, None, Some("CN"));
                f.said = Some(Arc::new(Said {
                    brand: Some(brand.into()),
                    fingerprint: crate::identity::fingerprint(rule, None, Some(brand), Some("CN")),
                    ..Said::default()
                }));
                findings.push(f);
            }
        }
        let mut want = findings.clone();
        want.sort_by(|a, b| plain_order(a, b, &store));
        let mut wide = findings.clone();
        sort_with(&mut wide, &store, true);
        sort_findings(&mut findings, &store);
        let show = |fs: &[Finding]| -> Vec<String> {
            fs.iter()
                .map(|f| {
                    format!(
                        "{} {} {}",
                        f.rule_id,
                        label(f, &store),
                        finding_fingerprint(f, &store)
                    )
                })
                .collect()
        };
        assert_eq!(show(&findings), show(&want));
        assert_eq!(show(&wide), show(&want), "16-byte keys");
        assert_eq!(findings[0].rule_id, "REACH-001");
        assert_eq!(findings.last().unwrap().rule_id, "DATA-001");
    }

    /// Labels that all begin alike (sequential ids, one of them the shared beginning itself,
    /// characters that share their first byte) still sort as text.
    #[test]
    fn labels_that_all_begin_alike_sort_as_text() {
        let ids = [
            "gh_000000000000000000012",
            "gh_00000000",
            "gh_000000000000000000002",
            "gh_0000000000000000000011",
            "gh_00000000é",
            "gh_00000000è",
            "gh_000000001",
            "gh_0000000000000000000011",
        ];
        let mut store = Accounts::new();
        for (i, id) in ids.iter().enumerate() {
            let a = Account {
                line: i as u64 + 2,
                id: Some((*id).into()),
                ..Account::default()
            };
            store.push(&a).unwrap();
        }
        assert_eq!(common_prefix_len(ids.iter().copied()), "gh_00000000".len());
        let mut findings: Vec<Finding> = (0..ids.len() as u32)
            .rev()
            .map(|i| finding("REACH-001", Severity::High, Some(i), None))
            .collect();
        let mut want = findings.clone();
        want.sort_by(|a, b| plain_order(a, b, &store));
        sort_findings(&mut findings, &store);
        let labels = |fs: &[Finding]| -> Vec<String> {
            fs.iter().map(|f| label(f, &store).to_string()).collect()
        };
        assert_eq!(labels(&findings), labels(&want));
    }
}
