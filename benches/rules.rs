//! Stage 3, rules: `wxaudit::audit::audit` — classify every account, run every built-in rule,
//! sort the findings — on a generated `WXAUDIT_BENCH_ROWS`-account CSV inventory (default
//! 100,000), imported once outside the timing; each iteration audits a fresh copy of it (the copy
//! is not timed). `WXAUDIT_BENCH_PER_RULE=1` adds one audit per rule with only that rule enabled
//! (through a rules file, as `--rules` would), to find the slow ones; that takes a while.
//!
//! ```text
//! cargo bench --bench rules
//! WXAUDIT_BENCH_PER_RULE=1 cargo bench --bench rules -- --sample-size 10
//! ```

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use std::collections::BTreeMap;
use wxaudit::audit::{audit, AuditOptions};
use wxaudit::import::{self, ImportOptions, Inventory};
use wxaudit::model::{Profile, ProfileSource};
use wxaudit::profile;
use wxaudit::rules::RuleSet;

/// The inventory with the profile `wxaudit audit` would resolve for it (no profile file).
fn prepared(inv: &Inventory) -> (Inventory, Profile, ProfileSource) {
    let (p, src) = profile::resolve(&Default::default(), inv.company.as_ref(), &inv.accounts)
        .expect("profile");
    (inv.clone(), p, src)
}

fn bench(c: &mut Criterion) {
    let Some(input) = common::csv("rules") else {
        return;
    };
    let inv = import::load(&input.path, &ImportOptions::default(), &common::quiet).expect("import");
    let opts = AuditOptions {
        as_of: common::as_of(),
        order: Default::default(),
    };
    let rules = RuleSet::builtin();
    let (i, p, src) = prepared(&inv);
    let once = audit(i, p, src, &rules, &opts);
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &once.findings {
        *by_rule.entry(f.rule_id.as_str()).or_default() += 1;
    }
    println!(
        "rules: audit::audit (classify + {} rules + sort) of a generated CSV ({}): {} accounts -> {} findings, {} rules not evaluated",
        rules.catalogue().len(),
        input.describe(),
        once.accounts.len(),
        once.findings.len(),
        once.not_evaluated.len()
    );
    println!("rules: findings by rule {by_rule:?}");
    drop(once);

    let n = inv.accounts.len();
    let mut g = c.benchmark_group("rules");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function(format!("audit {n} accounts, all rules"), |b| {
        b.iter_batched(
            || prepared(&inv),
            |(i, p, src)| audit(i, p, src, &rules, &opts),
            BatchSize::PerIteration,
        )
    });
    if std::env::var_os("WXAUDIT_BENCH_PER_RULE").is_some() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let ids: Vec<String> = rules.catalogue().into_iter().map(|r| r.id).collect();
        for id in &ids {
            let others: Vec<String> = ids
                .iter()
                .filter(|x| *x != id)
                .map(|x| format!("{x:?}"))
                .collect();
            let file = dir.path().join(format!("only-{id}.toml"));
            std::fs::write(&file, format!("disable = [{}]\n", others.join(", ")))
                .expect("write rules file");
            let one = RuleSet::with_overrides(&file).expect("rules file");
            g.bench_function(format!("audit {n} accounts, only {id}"), |b| {
                b.iter_batched(
                    || prepared(&inv),
                    |(i, p, src)| audit(i, p, src, &one, &opts),
                    BatchSize::PerIteration,
                )
            });
        }
    }
    g.finish();
    println!(
        "rules: peak memory of the bench process {} MiB",
        common::peak_rss_mib()
    );
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench
}
criterion_main!(benches);
