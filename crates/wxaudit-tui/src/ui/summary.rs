//! The Summary screen: the answer at a glance. The reachability matrix comes first because it
//! is the question marketers open the tool for ("can our mainland customers find us?"); then
//! findings by severity as a bar chart, accounts by platform, the input facts, rules that could
//! not be evaluated and the import problems.
//!
//! It is one scrolling page of lines rather than a grid of boxes so that it stays readable from
//! 20×5 to a full screen: small terminals scroll, nothing is squeezed into unreadable boxes.

use super::{fit, level_mark, pad, rpad, severity_mark, width, wrap, Theme};
use crate::app::App;
use crate::data::{market_name, Data, Level, MatrixCol, MatrixRow};
use crate::strings as s;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use wxaudit_core::model::ProfileSource;
use wxaudit_core::model::{Column, Platform, Severity};

const MATRIX_HEADERS: [&str; 4] = ["Weixin official", "WeChat", "Personal", "Payments"];

fn row_label(r: &MatrixRow) -> String {
    match &r.brand {
        Some(b) => format!("{} · {b}", r.market),
        None => {
            let n = market_name(&r.market);
            if n.is_empty() {
                r.market.to_string()
            } else {
                format!("{} {n}", r.market)
            }
        }
    }
}

/// The verdict of a row whose deciding REACH rule was not evaluated: a symbol and words, so it
/// reads without colour and cannot be taken for a gap or for "reachable".
const NOT_EVALUATED: &str = "? NOT EVALUATED";

fn verdict_text(r: &MatrixRow) -> String {
    if r.is_not_evaluated() {
        return NOT_EVALUATED.to_string();
    }
    let v = r.verdict();
    let own_risk = r.reach_rules.iter().any(|(_, s)| *s >= Severity::Medium);
    let words = match v {
        Level::Bad if r.unreachable() => "UNREACHABLE",
        Level::Bad => "gap",
        Level::Warn => "at risk",
        Level::Good => "reachable",
        Level::Neutral if r.accounts == 0 => "no accounts",
        Level::Neutral => "no gap reported",
    };
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    if r.brands_unreachable > 0 {
        let mut t = level_mark(v).to_string();
        let n = r.brands_unreachable;
        t.push_str(&format!(" {n} brand gap{}", plural(n)));
        return t;
    }
    if r.brands_at_risk > 0 && !own_risk {
        let n = r.brands_at_risk;
        return format!("{} {n} brand{} at risk", level_mark(v), plural(n));
    }
    let mut t = format!("{} {words}", level_mark(v));
    for (id, _) in r.reach_rules.iter().take(2) {
        t.push(' ');
        t.push_str(id);
    }
    if !r.accepted_rules.is_empty() {
        t.push_str(" (accepted risk)");
    }
    t
}

/// Why the rows marked [`NOT_EVALUATED`] have no verdict, from the audit's own list of rules it
/// could not run: one sentence per deciding rule, naming what the inventory lacks.
fn not_evaluated_notes(data: &Data) -> Vec<String> {
    let mut ids: Vec<&str> = Vec::new();
    for r in data.matrix.iter().filter(|r| r.is_not_evaluated()) {
        if let Some(id) = r.not_evaluated.as_deref() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.into_iter()
        .map(|id| {
            let ne = data.report.not_evaluated.iter().find(|n| n.rule_id == id);
            let missing = ne.map(|n| n.missing_columns.as_slice()).unwrap_or(&[]);
            let cols: Vec<String> = missing
                .iter()
                .map(|c| format!("`{}`", c.as_str()))
                .collect();
            let mut t = format!("? Reachability not evaluated ({id}): ");
            match ne.and_then(|n| n.reason.as_deref()) {
                _ if !cols.is_empty() => {
                    t.push_str(&format!(
                        "the inventory has no {} column",
                        cols.join(" or ")
                    ));
                    if missing.contains(&Column::Type) {
                        t.push_str(
                            ", so official accounts and mini programs cannot be told from \
                             personal ones",
                        );
                    }
                    let it = if cols.len() == 1 { "it" } else { "them" };
                    t.push_str(&format!(". Add {it} and reload (r)."));
                }
                Some(reason) => t.push_str(&format!("{reason}.")),
                None => t.push_str("the inventory lacks what it needs."),
            }
            t
        })
        .collect()
}

/// Builds the page; returns the lines and, for each matrix row, the line it is on.
fn build(data: &Data, w: usize, sel: usize, theme: &Theme) -> (Vec<Line<'static>>, Vec<usize>) {
    let rep = &data.report;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let section = |t: &str| Line::from(Span::styled(fit(t, w), theme.title()));

    // Headline: the answer in one line.
    let sum = data.summary.clone();
    let gaps = data
        .matrix
        .iter()
        .filter(|r| r.verdict() == Level::Bad)
        .count();
    let unevaluated = data.matrix.iter().any(|r| r.is_not_evaluated());
    let mut head = vec![Span::styled(
        format!(
            "{}{} accounts · ",
            rep.profile
                .name
                .as_deref()
                .map(|n| format!("{n} · "))
                .unwrap_or_default(),
            sum.accounts
        ),
        theme.header(),
    )];
    if gaps > 0 {
        head.push(Span::styled(
            format!(
                "✗ {gaps} market/brand gap{} ",
                if gaps == 1 { "" } else { "s" }
            ),
            theme.level(Level::Bad),
        ));
    }
    if unevaluated {
        // Never "no reach gaps" when the audit could not look.
        head.push(Span::styled(
            "? reachability not evaluated ",
            theme.level(Level::Warn),
        ));
    } else if data.matrix.is_empty() {
        head.push(Span::styled(
            "! no target markets to check ",
            theme.level(Level::Warn),
        ));
    } else if gaps == 0 {
        head.push(Span::styled("✓ no reach gaps ", theme.level(Level::Good)));
    }
    head.push(Span::styled(
        format!("· {} critical ", sum.critical),
        theme.severity(Severity::Critical),
    ));
    head.push(Span::styled(
        format!("· {} high", sum.high),
        theme.severity(Severity::High),
    ));
    lines.push(clip(head, w));

    // Reachability matrix.
    lines.push(section(
        "Reachability — can each target market and brand find you?",
    ));
    for note in not_evaluated_notes(data) {
        for l in wrap(&note, w, "  ", "    ") {
            lines.push(Line::from(Span::styled(l, theme.level(Level::Warn))));
        }
    }
    // Each count column is as wide as its header or its largest "count mark".
    let col_w: Vec<usize> = MatrixCol::ALL
        .iter()
        .zip(MATRIX_HEADERS)
        .map(|(c, h)| {
            let max = data.matrix.iter().map(|r| r.count(*c)).max().unwrap_or(0);
            width(h).max(max.to_string().len() + 2)
        })
        .collect();
    let counts_w: usize = col_w.iter().map(|w| w + 1).sum();
    let verdict_w = if unevaluated {
        width(NOT_EVALUATED)
    } else {
        14
    };
    let label_w = data
        .matrix
        .iter()
        .map(|r| width(&row_label(r)))
        .max()
        .unwrap_or(10)
        .clamp(14, 24)
        // Leave the verdict room for "✗ UNREACHABLE" (or "? NOT EVALUATED") on an 80-column
        // terminal.
        .min(w.saturating_sub(2 + counts_w + 2 + verdict_w).max(8));
    let mut head = vec![Span::styled(
        format!("  {}", pad("Market / brand", label_w)),
        theme.header(),
    )];
    for (h, &cw) in MATRIX_HEADERS.iter().zip(&col_w) {
        head.push(Span::styled(format!(" {}", rpad(h, cw)), theme.header()));
    }
    head.push(Span::styled("  Verdict", theme.header()));
    if !data.matrix.is_empty() {
        lines.push(clip(head, w));
    }
    let mut row_lines = Vec::with_capacity(data.matrix.len());
    if data.matrix.is_empty() {
        for l in wrap(
            "No target markets known: add an audience column to the inventory, or give a \
             profile (--target CN,HK or --profile FILE).",
            w,
            "  ",
            "  ",
        ) {
            lines.push(Line::from(Span::styled(l, theme.level(Level::Warn))));
        }
    }
    for (i, r) in data.matrix.iter().enumerate() {
        if r.brand.is_some()
            && data
                .matrix
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.brand.is_none())
        {
            lines.push(Line::from(Span::styled(
                fit("  by brand, gaps first:", w),
                theme.dim(),
            )));
        }
        row_lines.push(lines.len());
        let is_sel = i == sel;
        let base = if is_sel {
            theme.selected()
        } else {
            Style::default()
        };
        let marker = if is_sel { "▶ " } else { "  " };
        let label_style = if r.brand.is_none() {
            base.add_modifier(Modifier::BOLD)
        } else {
            base
        };
        let mut spans = vec![
            Span::styled(marker.to_string(), base),
            Span::styled(pad(&row_label(r), label_w), label_style),
        ];
        for (c, &cw) in MatrixCol::ALL.iter().zip(&col_w) {
            let l = r.level(*c);
            let txt = format!("{} {}", r.count(*c), level_mark(l));
            spans.push(Span::styled(" ", base));
            spans.push(Span::styled(rpad(&txt, cw), base.patch(theme.level(l))));
        }
        spans.push(Span::styled("  ", base));
        spans.push(Span::styled(
            verdict_text(r),
            base.patch(theme.level(r.verdict())),
        ));
        lines.push(clip(spans, w));
    }
    if data.matrix_hidden > 0 {
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    "  … and {} more brand rows (the worst are listed above); F filters by brand or market",
                    data.matrix_hidden
                ),
                w,
            ),
            theme.dim(),
        )));
    }
    if !data.matrix.is_empty() {
        lines.push(Line::from(Span::styled(
            fit(s::MATRIX_LEGEND, w),
            theme.dim(),
        )));
    }
    for l in wrap(
        "Weixin official = official accounts and mini programs on the Weixin platform; \
         mainland (+86) users cannot find WeChat-international official accounts. \
         Payments = accounts with payments on. Closed and suspended accounts are not counted.",
        w,
        "",
        "",
    ) {
        lines.push(Line::from(Span::styled(l, theme.dim())));
    }
    lines.push(Line::from(""));

    // Findings by severity.
    let counts = [
        (Severity::Critical, sum.critical),
        (Severity::High, sum.high),
        (Severity::Medium, sum.medium),
        (Severity::Low, sum.low),
        (Severity::Info, sum.info),
    ];
    let total: u64 = counts.iter().map(|c| c.1).sum();
    lines.push(section(&format!(
        "Findings by severity — {total} active{}",
        if sum.suppressed > 0 {
            format!(", {} suppressed (accepted risks)", sum.suppressed)
        } else {
            String::new()
        }
    )));
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    let bar_w = w.saturating_sub(24).min(50);
    for (sv, n) in counts {
        let len = if n == 0 {
            0
        } else {
            ((n as f64 / max as f64) * bar_w as f64).ceil() as usize
        };
        lines.push(clip(
            vec![
                Span::styled(
                    format!("  {} {:<9}", severity_mark(sv), sv.as_str()),
                    theme.severity(sv),
                ),
                Span::raw(format!("{n:>8} ")),
                Span::styled("█".repeat(len), theme.severity(sv)),
            ],
            w,
        ));
    }
    lines.push(Line::from(""));

    // Accounts by platform.
    lines.push(section(&format!(
        "Accounts by platform — {} accounts",
        sum.accounts
    )));
    let mut spans = vec![Span::raw("  ")];
    for (p, n) in [
        (Platform::Weixin, sum.weixin),
        (Platform::Wechat, sum.wechat),
        (Platform::Unknown, sum.unknown),
    ] {
        spans.push(Span::styled(format!("{} ", p.label()), theme.platform(p)));
        spans.push(Span::raw(format!("{n}   ")));
    }
    lines.push(clip(spans, w));
    lines.push(Line::from(""));

    // Input facts.
    lines.push(section("Input"));
    let inp = &rep.input;
    let facts = [
        ("file", inp.path.clone()),
        (
            "format",
            format!(
                "{} · encoding {}",
                if inp.format.is_empty() {
                    "?"
                } else {
                    &inp.format
                },
                if inp.encoding.is_empty() {
                    "?"
                } else {
                    &inp.encoding
                }
            ),
        ),
        (
            "rows",
            format!(
                "{} read · {} accounts · {} rejected · {} row problems",
                inp.rows,
                rep.accounts.len(),
                inp.rejected_rows,
                rep.row_errors.len()
            ),
        ),
        (
            "targets",
            format!(
                "{} ({})",
                if rep.profile.targets.is_empty() {
                    "none".to_string()
                } else {
                    rep.profile.targets.join(", ")
                },
                match rep.profile_source {
                    ProfileSource::CommandLine => "from the command line",
                    ProfileSource::ProfileFile => "from the profile file",
                    ProfileSource::Inventory => "from the inventory's company",
                    ProfileSource::Inferred => "inferred from the accounts' audiences",
                }
            ),
        ),
        ("as of", rep.as_of.to_string()),
    ];
    for (k, v) in facts {
        for l in wrap(&v, w, &format!("  {k:<8} "), "           ") {
            lines.push(Line::from(l));
        }
    }
    if !rep.extra_columns.is_empty() {
        for l in wrap(
            &rep.extra_columns.join(", "),
            w,
            "  extra    ",
            "           ",
        ) {
            lines.push(Line::from(l));
        }
    }
    lines.push(Line::from(""));

    // Suppressions and baseline.
    let sup = &rep.suppressed;
    let exp = &rep.expired_suppressions;
    let stale = &rep.stale_suppressions;
    if !sup.is_empty() || !exp.is_empty() || !stale.is_empty() || rep.baseline.is_some() {
        lines.push(section("Accepted risks and changes"));
        if !sup.is_empty() {
            lines.push(Line::from(fit(
                &format!(
                    "  {} findings suppressed as accepted risks (shown dimmed at the end of Findings)",
                    sup.len()
                ),
                w,
            )));
        }
        for e in exp {
            for l in wrap(
                &format!(
                    "{} {} — expired {}: the finding is active again",
                    e.rule,
                    e.account.as_deref().or(e.brand.as_deref()).unwrap_or(""),
                    e.expires.map(|d| d.to_string()).unwrap_or_default()
                ),
                w,
                "  ! ",
                "    ",
            ) {
                lines.push(Line::from(Span::styled(
                    l,
                    theme.severity(Severity::Medium),
                )));
            }
        }
        for e in stale {
            for l in wrap(
                &format!(
                    "{} {} — matches no finding any more; remove it from the suppressions file",
                    e.rule,
                    e.account.as_deref().or(e.brand.as_deref()).unwrap_or("")
                ),
                w,
                "  · ",
                "    ",
            ) {
                lines.push(Line::from(Span::styled(l, theme.dim())));
            }
        }
        if let Some(b) = &rep.baseline {
            let new = data.new_findings;
            for l in wrap(
                &format!(
                    "compared with {b}: {new} new findings, {} resolved",
                    rep.resolved.len()
                ),
                w,
                "  ",
                "  ",
            ) {
                lines.push(Line::from(l));
            }
        }
        lines.push(Line::from(""));
    }

    // Not evaluated.
    if !rep.not_evaluated.is_empty() {
        lines.push(section(&format!(
            "Rules not evaluated ({}) — the inventory lacks what they need",
            rep.not_evaluated.len()
        )));
        for ne in &rep.not_evaluated {
            let cols: Vec<&str> = ne.missing_columns.iter().map(|c| c.as_str()).collect();
            let text = match (cols.is_empty(), &ne.reason) {
                (false, Some(r)) => format!("needs {} — {r}", cols.join(", ")),
                (false, None) => format!("needs {}", cols.join(", ")),
                (true, Some(r)) => r.clone(),
                (true, None) => "needs information the inventory does not have".into(),
            };
            for l in wrap(&text, w, &format!("  {:<9} ", ne.rule_id), "            ") {
                lines.push(Line::from(l));
            }
        }
        lines.push(Line::from(""));
    }

    // Import problems.
    let errs = &rep.row_errors;
    if errs.is_empty() {
        lines.push(section("Import problems — none"));
    } else {
        lines.push(section(&format!(
            "Import problems ({}) — rows or values the importer could not use",
            errs.len()
        )));
        const SHOW: usize = 200;
        for e in errs.iter().take(SHOW) {
            let mut t = String::new();
            if e.skipped {
                t.push_str("row skipped: ");
            }
            if let Some(c) = &e.column {
                t.push_str(c);
                if let Some(v) = &e.value {
                    t.push_str(&format!(" = \"{v}\""));
                }
                t.push_str(": ");
            }
            t.push_str(&e.message);
            let style = if e.skipped {
                theme.error()
            } else {
                Style::default()
            };
            for l in wrap(&t, w, &format!("  line {:<6} ", e.line), "              ") {
                lines.push(Line::from(Span::styled(l, style)));
            }
        }
        if errs.len() > SHOW {
            lines.push(Line::from(Span::styled(
                fit(
                    &format!(
                        "  … and {} more (each shows on its account's Detail)",
                        errs.len() - SHOW
                    ),
                    w,
                ),
                theme.dim(),
            )));
        }
    }
    (lines, row_lines)
}

/// Cuts a line of spans to `w` display columns.
fn clip(spans: Vec<Span<'static>>, w: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for sp in spans {
        let sw = width(&sp.content);
        if used + sw <= w {
            used += sw;
            out.push(sp);
        } else {
            let rest = w.saturating_sub(used);
            if rest > 0 {
                out.push(Span::styled(fit(&sp.content, rest), sp.style));
            }
            break;
        }
    }
    Line::from(out)
}

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let Some((data, w, h)) = super::loaded(app, area) else {
        return;
    };
    let (lines, row_lines) = build(&data, w, app.summary_sel, theme);
    let first = row_lines.first().copied().unwrap_or(0);
    // Follow the selection when it moved.
    if let (true, Some(&line)) = (
        app.geom.last_summary_sel != Some((app.summary_sel, h)),
        row_lines.get(app.summary_sel),
    ) {
        let scroll = app.summary_scroll as usize;
        if line < h {
            // It fits with the headline and column header in view: show the top.
            app.summary_scroll = 0;
        } else if line < scroll {
            app.summary_scroll = if line <= first + 1 { 0 } else { line as u16 };
        } else if line >= scroll + h {
            app.summary_scroll = (line + 1 - h) as u16;
        }
        app.geom.last_summary_sel = Some((app.summary_sel, h));
    }
    let max_scroll = lines.len().saturating_sub(h);
    if app.summary_scroll as usize > max_scroll {
        app.summary_scroll = max_scroll as u16;
    }
    let scroll = app.summary_scroll as usize;
    app.geom.page = h as u16;
    for (i, &line) in row_lines.iter().enumerate() {
        if line >= scroll && line < scroll + h {
            app.geom
                .matrix_rows
                .push((area.y + (line - scroll) as u16, i));
        }
    }
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    f.render_widget(Paragraph::new(visible), area);
}
