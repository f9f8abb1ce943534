//! Stage 5, the TUI's data and view layer (`wxaudit::tui::data`, `wxaudit::tui::view`), without a
//! terminal: building the TUI's tables from a report (`Data::build`, what happens between the
//! audit and the Accounts tab appearing), then every kind of filter and sort the Accounts and
//! Findings tables answer with (`view::compute`, which the TUI runs on a worker for each key
//! press), and the search (`view::search`, `/` and `n`). The report is `wxaudit audit` of a
//! generated `WXAUDIT_BENCH_ROWS`-account CSV inventory (default 100,000), audited once outside
//! the timing. Issue 10's target: every sort and filter within 100 ms on 1,000,000 accounts.
//!
//! ```text
//! cargo bench --bench tui
//! cargo bench --bench tui -- "findings sort"
//! # One timing per case, in a minute or two at a million accounts: every column's first sort
//! # with and without the warm-up a load starts, the warm-up column by column, every filter
//! WXAUDIT_BENCH_ONE_SHOT=1 WXAUDIT_BENCH_INPUT=big.csv cargo bench --bench tui
//! ```
//!
//! `WXAUDIT_BENCH_INPUT=FILE` audits an inventory already on disk instead of a generated one.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use wxaudit::model::Severity;
use wxaudit::tui::data::Data;
use wxaudit::tui::view::{self, Cancel, Col, Filter, Sort, TableKind};

fn sort(col: Col, desc: bool) -> Option<Sort> {
    Some(Sort { col, desc })
}

/// Milliseconds since `t`.
fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// The best and the worst of `n` runs of `f`, in milliseconds.
fn best_worst(n: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            ms(t)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[n - 1])
}

/// One timing per case, printed, without criterion's repetitions: what a person waits for once
/// (every column's first sort on a fresh load, with and without the warm-up) and every filter
/// path (typing a text, each facet, both together, on both tables). At a million accounts this
/// takes a minute or two where the criterion cases take half an hour.
fn one_shot(d: &Data) {
    let never = Cancel::never();
    let text = |t: &str| Filter {
        text: t.to_string(),
        ..Filter::default()
    };
    let columns = || {
        let mut v: Vec<(TableKind, Col)> = view::FINDING_COLUMNS
            .iter()
            .map(|&c| (TableKind::Findings, c))
            .collect();
        v.extend(
            view::account_columns(d)
                .into_iter()
                .map(|c| (TableKind::Accounts, c)),
        );
        v
    };
    // First sorts of a fresh load, no warm-up: each column makes its ranks.
    let fresh = Data::build(d.report.clone(), Duration::ZERO);
    let mut slow = Vec::new();
    let mut total = 0.0;
    for (table, col) in columns() {
        let t = Instant::now();
        view::compute(&fresh, table, &Filter::default(), sort(col, false), &never)
            .expect("not cancelled");
        let took = ms(t);
        total += took;
        println!("tui one-shot first sort {table:?} {col:?}, no warm-up: {took:.0} ms");
        if took > 100.0 {
            slow.push(format!("{table:?} {col:?} {took:.0} ms"));
        }
    }
    println!(
        "tui one-shot: ranks of every column made in {total:.0} ms; first sorts over 100 ms: {}",
        if slow.is_empty() {
            "none".to_string()
        } else {
            slow.join(", ")
        }
    );
    drop(fresh);
    // The same after the warm-up a load starts (`Index::warm_up`, here on the global pool):
    // how long it takes, column by column, and the first sorts once it is done.
    let fresh = std::sync::Arc::new(Data::build(d.report.clone(), Duration::ZERO));
    let t = Instant::now();
    let f0 = Instant::now();
    view::compute(&fresh, TableKind::Findings, &text("Lotus"), None, &never).expect("done");
    println!(
        "tui one-shot first text filter of a load, no warm-up (makes the filter's indexes): {:.0} ms",
        ms(f0)
    );
    let mut last: Option<(TableKind, Col, Instant)> = None;
    let mut report_step = |now: Option<(TableKind, Col)>| {
        if let Some((tk, c, at)) = last.take() {
            println!("tui one-shot warm-up {tk:?} {c:?}: {:.0} ms", ms(at));
        }
        last = now.map(|(tk, c)| (tk, c, Instant::now()));
    };
    let done =
        wxaudit::tui::index::Index::warm_up(&std::sync::Arc::downgrade(&fresh), &mut |tk, c| {
            report_step(Some((tk, c)))
        });
    report_step(None);
    println!(
        "tui one-shot warm-up {done:?} in {:.0} ms; ranks kept: {:.1} MB",
        ms(t),
        fresh.index.ranked_bytes() as f64 / 1e6
    );
    let mut worst = (0.0, String::new());
    for (table, col) in columns() {
        let t = Instant::now();
        view::compute(&fresh, table, &Filter::default(), sort(col, false), &never)
            .expect("not cancelled");
        let took = ms(t);
        println!("tui one-shot first sort {table:?} {col:?}, after the warm-up: {took:.0} ms");
        if took > worst.0 {
            worst = (took, format!("{table:?} {col:?}"));
        }
    }
    println!(
        "tui one-shot: slowest first sort after the warm-up: {} {:.0} ms",
        worst.1, worst.0
    );
    drop(fresh);
    // Filters (each after a warm first run, so the per-load indexes exist): the findings table
    // with its default sort, the accounts table unsorted, as the TUI asks for them.
    let facets: Vec<(&str, Filter)> = vec![
        ("text L", text("L")),
        ("text Lo", text("Lo")),
        ("text Lotus", text("Lotus")),
        ("text Lotus Be", text("Lotus Be")),
        ("text 莲花", text("莲花")),
        ("text gh_", text("gh_")),
        ("text REACH (a rule id)", text("REACH")),
        ("text zzqx (no match)", text("zzqx")),
        (
            "severity>=high",
            Filter {
                min_severity: Some(Severity::High),
                ..Filter::default()
            },
        ),
        (
            "platform weixin",
            Filter {
                platform: Some(wxaudit::model::Platform::Weixin),
                ..Filter::default()
            },
        ),
        (
            "type service",
            Filter {
                account_type: Some(wxaudit::model::AccountType::Service),
                ..Filter::default()
            },
        ),
        (
            "brand Lotus Beauty",
            Filter {
                brand: Some("Lotus Beauty".into()),
                ..Filter::default()
            },
        ),
        (
            "market CN",
            Filter {
                market: Some("CN".into()),
                ..Filter::default()
            },
        ),
        (
            "rule REACH-001",
            Filter {
                rule: Some("REACH-001".into()),
                ..Filter::default()
            },
        ),
        (
            "text Lotus + severity>=high + market CN",
            Filter {
                min_severity: Some(Severity::High),
                market: Some("CN".into()),
                ..text("Lotus")
            },
        ),
    ];
    let mut over = Vec::new();
    for (label, f) in &facets {
        for (table, s) in [
            (TableKind::Findings, sort(Col::Severity, true)),
            (TableKind::Accounts, None),
            (TableKind::Findings, sort(Col::Message, false)),
        ] {
            let mut rows = 0;
            view::compute(d, table, f, s, &never).expect("not cancelled");
            let (best, worst) = best_worst(3, || {
                rows = view::compute(d, table, f, s, &never)
                    .expect("not cancelled")
                    .len()
            });
            let by = s.map_or("unsorted".to_string(), |s| format!("by {:?}", s.col));
            println!(
                "tui one-shot filter {table:?} {label} {by}: {best:.0}–{worst:.0} ms ({rows} rows)"
            );
            if worst > 100.0 {
                over.push(format!("{table:?} {label} {by} {worst:.0} ms"));
            }
        }
        // Both tables at once, as a key press in the TUI asks for them.
        let (best, worst) = best_worst(3, || {
            rayon::join(
                || view::compute(d, TableKind::Findings, f, sort(Col::Severity, true), &never),
                || view::compute(d, TableKind::Accounts, f, None, &never),
            );
        });
        println!("tui one-shot filter both tables {label}: {best:.0}–{worst:.0} ms");
        if worst > 100.0 {
            over.push(format!("both {label} {worst:.0} ms"));
        }
    }
    println!(
        "tui one-shot: filters over 100 ms: {}",
        if over.is_empty() {
            "none".to_string()
        } else {
            over.join(", ")
        }
    );
}

fn bench(c: &mut Criterion) {
    // `WXAUDIT_BENCH_INPUT=FILE` times an inventory already on disk instead of generating one.
    let given = std::env::var_os("WXAUDIT_BENCH_INPUT").map(std::path::PathBuf::from);
    let generated = match given {
        Some(_) => None,
        None => match common::csv("tui") {
            Some(i) => Some(i),
            None => return,
        },
    };
    let (path, describe) = match (&given, &generated) {
        (Some(p), _) => (p.clone(), p.display().to_string()),
        (None, Some(i)) => (i.path.clone(), i.describe()),
        (None, None) => return,
    };
    let t = Instant::now();
    let report = common::audited(&path);
    println!(
        "tui: audited {describe} in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *by_rule.entry(f.rule_id.as_str()).or_default() += 1;
    }
    let top_rule = by_rule
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(r, _)| r.to_string())
        .unwrap_or_default();
    println!(
        "tui: the TUI's tables over the audit of a generated CSV ({}): {} accounts, {} findings",
        describe,
        report.accounts.len(),
        report.findings.len()
    );
    if std::env::var_os("WXAUDIT_BENCH_ONE_SHOT").is_some() {
        one_shot(&Data::build(report, Duration::ZERO));
        return;
    }

    let mut g = c.benchmark_group("tui");
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function(
        format!("load Data::build {} accounts", report.accounts.len()),
        |b| {
            b.iter_batched(
                || report.clone(),
                |r| Data::build(r, Duration::ZERO),
                BatchSize::PerIteration,
            )
        },
    );
    let d = Data::build(report, Duration::ZERO);
    let never = Cancel::never();
    let text = |t: &str| Filter {
        text: t.to_string(),
        ..Filter::default()
    };
    let cases: Vec<(&str, TableKind, Filter, Option<Sort>)> = vec![
        ("accounts all", TableKind::Accounts, Filter::default(), None),
        (
            "accounts sort id",
            TableKind::Accounts,
            Filter::default(),
            sort(Col::Id, false),
        ),
        (
            "accounts sort name desc",
            TableKind::Accounts,
            Filter::default(),
            sort(Col::Name, true),
        ),
        (
            "accounts sort worst severity",
            TableKind::Accounts,
            Filter::default(),
            sort(Col::Worst, true),
        ),
        (
            "accounts sort platform",
            TableKind::Accounts,
            Filter::default(),
            sort(Col::Platform, false),
        ),
        (
            "accounts filter text 莲花",
            TableKind::Accounts,
            text("莲花"),
            None,
        ),
        (
            "accounts filter brand + sort followers",
            TableKind::Accounts,
            Filter {
                brand: Some("Lotus Beauty".into()),
                ..Filter::default()
            },
            sort(Col::Field(wxaudit::model::Column::Followers), true),
        ),
        (
            "accounts filter severity>=high",
            TableKind::Accounts,
            Filter {
                min_severity: Some(Severity::High),
                ..Filter::default()
            },
            None,
        ),
        (
            "findings sort severity (the default)",
            TableKind::Findings,
            Filter::default(),
            sort(Col::Severity, true),
        ),
        (
            "findings sort rule",
            TableKind::Findings,
            Filter::default(),
            sort(Col::Rule, false),
        ),
        (
            "findings sort account",
            TableKind::Findings,
            Filter::default(),
            sort(Col::Account, false),
        ),
        (
            "findings sort message",
            TableKind::Findings,
            Filter::default(),
            sort(Col::Message, false),
        ),
        (
            "findings filter text Lotus",
            TableKind::Findings,
            text("Lotus"),
            sort(Col::Severity, true),
        ),
        (
            "findings filter top rule",
            TableKind::Findings,
            Filter {
                rule: Some(top_rule.as_str().into()),
                ..Filter::default()
            },
            sort(Col::Severity, true),
        ),
        (
            "findings filter severity>=high",
            TableKind::Findings,
            Filter {
                min_severity: Some(Severity::High),
                ..Filter::default()
            },
            sort(Col::Severity, true),
        ),
    ];
    for (label, table, filter, s) in &cases {
        let rows = view::compute(&d, *table, filter, *s, &never).map_or(0, |v| v.len());
        println!("tui {label}: view::compute -> {rows} rows");
        g.bench_function(*label, |b| {
            b.iter(|| view::compute(&d, *table, filter, *s, &never).expect("not cancelled"))
        });
    }
    // Every column's first sort on a fresh load, once each (the ranks it makes are kept for
    // the load): which columns a person waits for the first time they sort by them.
    for (table, cols) in [
        (TableKind::Accounts, view::account_columns(&d)),
        (TableKind::Findings, view::FINDING_COLUMNS.to_vec()),
    ] {
        for col in cols {
            let fresh = Data::build(d.report.clone(), Duration::ZERO);
            let t = std::time::Instant::now();
            view::compute(&fresh, table, &Filter::default(), sort(col, false), &never)
                .expect("not cancelled");
            println!(
                "tui first sort {table:?} {col:?}: {:.0} ms",
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    // The first sort by a column of a fresh load makes that column's ranks (wording every
    // finding once for a text column); the cases above measure the sorts after it.
    for (label, col) in [
        (
            "findings sort message, first time (ranks made)",
            Col::Message,
        ),
        (
            "findings sort account, first time (ranks made)",
            Col::Account,
        ),
        (
            "findings sort severity, first time (ranks made)",
            Col::Severity,
        ),
    ] {
        g.bench_function(label, |b| {
            b.iter_batched(
                || Data::build(d.report.clone(), Duration::ZERO),
                |fresh| {
                    view::compute(
                        &fresh,
                        TableKind::Findings,
                        &Filter::default(),
                        sort(col, false),
                        &never,
                    )
                    .expect("not cancelled");
                    fresh
                },
                BatchSize::PerIteration,
            )
        });
    }
    // Typing a filter: each key press filters again (and sorts by the default sort).
    for q in ["L", "Lo", "Lotus", "Lotus Be"] {
        let f = text(q);
        g.bench_function(format!("findings filter keystroke {q:?}"), |b| {
            b.iter(|| {
                view::compute(
                    &d,
                    TableKind::Findings,
                    &f,
                    sort(Col::Severity, true),
                    &never,
                )
                .expect("not cancelled")
            })
        });
    }
    // Restoring the findings selection and the detail after a reload (two fingerprints: the
    // last finding's and one that no longer exists).
    let last = d.finding_count() as u32 - 1;
    let (rule, fp) = {
        let f = d.finding(last);
        (f.rule_id.to_string(), d.report.fingerprint(f).to_string())
    };
    g.bench_function("reload restore: find 2 fingerprints", |b| {
        b.iter(|| {
            wxaudit::tui::index::find_fingerprints(&d, &[(&rule, &fp), (&rule, "0000000000000000")])
        })
    });
    println!(
        "tui: sort ranks kept after these sorts: {:.1} MB",
        d.index.ranked_bytes() as f64 / 1e6
    );
    let findings = view::compute(
        &d,
        TableKind::Findings,
        &Filter::default(),
        sort(Col::Severity, true),
        &never,
    )
    .expect("not cancelled");
    for (label, query) in [
        ("findings search 北风 (next match)", "北风"),
        (
            "findings search without a match (whole table)",
            "zzqx no such",
        ),
    ] {
        let at = view::search(
            &d,
            TableKind::Findings,
            &findings,
            query,
            0,
            true,
            false,
            &never,
        );
        println!("tui {label}: view::search -> row {at:?}");
        g.bench_function(label, |b| {
            b.iter(|| {
                view::search(
                    &d,
                    TableKind::Findings,
                    &findings,
                    query,
                    0,
                    true,
                    false,
                    &never,
                )
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bench
}
criterion_main!(benches);
