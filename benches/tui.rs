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
//! ```

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use std::collections::BTreeMap;
use std::time::Duration;
use wxaudit::model::Severity;
use wxaudit::tui::data::Data;
use wxaudit::tui::view::{self, Cancel, Col, Filter, Sort, TableKind};

fn sort(col: Col, desc: bool) -> Option<Sort> {
    Some(Sort { col, desc })
}

fn bench(c: &mut Criterion) {
    let Some(input) = common::csv("tui") else {
        return;
    };
    let report = common::audited(&input.path);
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
        input.describe(),
        report.accounts.len(),
        report.findings.len()
    );

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
