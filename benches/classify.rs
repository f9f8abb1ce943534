//! Stage 2, classify: `wxaudit::classify::classify` over every account of a generated
//! `WXAUDIT_BENCH_ROWS`-account CSV inventory (default 100,000), on all cores as the audit does it
//! and on one thread (the cost per account). Deciding each account's platform from its evidence;
//! no rules. The inventory is imported once, outside the timing.
//!
//! ```text
//! cargo bench --bench classify
//! ```

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use wxaudit::classify::classify;
use wxaudit::import::{self, ImportOptions};
use wxaudit::knowledge::Knowledge;
use wxaudit::model::{Classification, Platform};

fn bench(c: &mut Criterion) {
    let Some(input) = common::csv("classify") else {
        return;
    };
    let inv = import::load(&input.path, &ImportOptions::default(), &common::quiet).expect("import");
    let accounts = &inv.accounts;
    let k = Knowledge::builtin();
    let once: Vec<Classification> = accounts.par_iter().map(|a| classify(a, k)).collect();
    let count = |p: Platform| once.iter().filter(|c| c.platform == p).count();
    println!(
        "classify: classify::classify of every account of a generated CSV ({}): {} accounts -> {} Weixin, {} WeChat, {} unknown",
        input.describe(),
        accounts.len(),
        count(Platform::Weixin),
        count(Platform::Wechat),
        count(Platform::Unknown)
    );
    let n = accounts.len();
    let mut g = c.benchmark_group("classify");
    g.bench_function(format!("{n} accounts, all cores"), |b| {
        b.iter(|| {
            accounts
                .par_iter()
                .map(|a| classify(a, k))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function(format!("{n} accounts, one thread"), |b| {
        b.iter(|| accounts.iter().map(|a| classify(a, k)).collect::<Vec<_>>())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench
}
criterion_main!(benches);
