//! The Detail screen: everything about one account — every field as imported and as
//! normalised, how its platform was decided (each piece of evidence and each conflict), its
//! findings with the advice, and the import problems of its row. For a finding about a brand or
//! the company as a whole it shows that finding and offers the accounts behind it.
//!
//! Built as wrapped lines so it reads the same at any width and scrolls line by line.

use super::{fit, pad, severity_mark, width, wrap, Theme};
use crate::app::{App, DetailTarget};
use crate::data::{Data, FRef};
use crate::strings as s;
use crate::view::field_text;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use wxaudit_core::model::Column;

fn finding_lines(data: &Data, r: FRef, w: usize, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let f = data.finding(r);
    let sup = data.suppression(r);
    let dim = if sup.is_some() {
        theme.dim()
    } else {
        Style::default()
    };
    let mut head = format!(
        "{} {:<8} {}",
        severity_mark(f.severity),
        f.severity.as_str(),
        f.rule_id
    );
    if let Some(m) = &f.market {
        head.push_str(&format!("  market {m}"));
    }
    if let Some(b) = f.brand(&data.report.accounts) {
        head.push_str(&format!("  brand {b}"));
    }
    lines.push(Line::from(Span::styled(
        fit(&format!("  {head}"), w),
        dim.patch(theme.severity(f.severity)),
    )));
    if let Some(sf) = sup {
        let mut t = format!("suppressed (accepted risk): {}", sf.reason);
        if let Some(o) = &sf.owner {
            t.push_str(&format!(" — owner {o}"));
        }
        if let Some(e) = sf.expires {
            t.push_str(&format!(" — until {e}"));
        }
        for l in wrap(&t, w, "    ", "      ") {
            lines.push(Line::from(Span::styled(l, theme.dim())));
        }
    }
    let text = data.report.text(f);
    for l in wrap(&text.message, w, "    Why: ", "         ") {
        lines.push(Line::from(Span::styled(l, dim)));
    }
    for e in text.evidence.iter() {
        for l in wrap(e, w, "    • ", "      ") {
            lines.push(Line::from(Span::styled(l, theme.dim())));
        }
    }
    for l in wrap(text.advice, w, "    Fix: ", "         ") {
        lines.push(Line::from(Span::styled(
            l,
            dim.add_modifier(Modifier::BOLD),
        )));
    }
}

fn build(data: &Data, target: DetailTarget, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let section = |t: &str| Line::from(Span::styled(fit(t, w), theme.title()));
    match target {
        DetailTarget::Finding(r) => {
            lines.push(section("Finding about a brand or the whole company"));
            finding_lines(data, r, w, theme, &mut lines);
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                fit("  Enter: list the accounts of this brand and market", w),
                theme.dim(),
            )));
        }
        DetailTarget::Account(i) => {
            let Some(a) = data.report.accounts.get(i) else {
                lines.push(Line::from(s::NO_DETAIL));
                return lines;
            };
            let platform = data.platform(i);
            let cls = data.report.classifications.get(i);
            let title = format!("{} {}", a.id().unwrap_or("(no id)"), a.name().unwrap_or(""));
            lines.push(Line::from(Span::styled(
                fit(title.trim_end(), w),
                theme.header().add_modifier(Modifier::UNDERLINED),
            )));
            let mut spans = vec![
                Span::raw(fit(
                    &format!(
                        "{} · line {} · ",
                        a.account_type()
                            .map(|t| t.as_str())
                            .unwrap_or("type unknown"),
                        a.line()
                    ),
                    w,
                )),
                Span::styled(format!("{} ", platform.label()), theme.platform(platform)),
            ];
            if let Some(c) = &cls {
                spans.push(Span::raw(format!("({} confidence)", c.confidence.as_str())));
            }
            let n = data.nfind.get(i).copied().unwrap_or(0);
            spans.push(Span::raw(format!(" · {n} findings")));
            lines.push(Line::from(spans));
            lines.push(Line::from(""));

            // Classification.
            lines.push(section("Why this platform — each piece of evidence"));
            // Rebuilt for the one account shown rather than kept for every account.
            let evidence = match cls {
                Some(_) => {
                    wxaudit_core::classify::explain(a, data.report.rules.knowledge()).evidence
                }
                None => Vec::new(),
            };
            match evidence {
                ref e if !e.is_empty() => {
                    // Signals that point to a platform first.
                    let mut ev: Vec<_> = e.iter().collect();
                    ev.sort_by_key(|e| e.implies.is_none());
                    for e in ev {
                        let implies = e.implies.map(|p| p.label()).unwrap_or("nothing");
                        let head = format!("  {} = {} → {implies}", e.signal.as_str(), e.value);
                        let style = match e.implies {
                            Some(p) => theme.platform(p),
                            None => theme.dim(),
                        };
                        lines.push(Line::from(Span::styled(fit(&head, w), style)));
                        if !e.note.is_empty() {
                            for l in wrap(&e.note, w, "      ", "      ") {
                                lines.push(Line::from(Span::styled(l, theme.dim())));
                            }
                        }
                    }
                }
                _ => lines.push(Line::from(Span::styled(
                    fit("  No signal in this row says which platform it is on.", w),
                    theme.dim(),
                ))),
            }
            if let Some(c) = &cls {
                for cf in &c.conflicts {
                    let t = format!(
                        "{} vs {}: {}",
                        cf.signals.0.as_str(),
                        cf.signals.1.as_str(),
                        cf.message
                    );
                    for l in wrap(&t, w, "  ! conflict: ", "      ") {
                        lines.push(Line::from(Span::styled(
                            l,
                            theme.severity(wxaudit_core::model::Severity::Medium),
                        )));
                    }
                }
            }
            lines.push(Line::from(""));

            // Findings.
            let fs = data.account_findings(i);
            lines.push(section(&format!("Findings ({})", fs.len())));
            if fs.is_empty() {
                lines.push(Line::from(Span::styled(
                    fit("  None for this account.", w),
                    theme.dim(),
                )));
            }
            for &r in fs {
                finding_lines(data, r, w, theme, &mut lines);
            }
            lines.push(Line::from(""));

            // Findings about the account's brand as a whole (e.g. the brand is unreachable).
            let brand_fs: Vec<FRef> = a
                .brand()
                .and_then(|b| data.brand_findings.get(b))
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&r| {
                            data.finding(r).market.as_ref().is_none_or(|m| {
                                a.audience().iter().any(|x| x == m || x == "GLOBAL")
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let (false, Some(b)) = (brand_fs.is_empty(), &a.brand()) {
                lines.push(section(&format!(
                    "About its brand {b} ({}) — findings about the brand as a whole",
                    brand_fs.len()
                )));
                for r in brand_fs {
                    finding_lines(data, r, w, theme, &mut lines);
                }
                lines.push(Line::from(""));
            }

            // Row diagnostics.
            let errs: Vec<_> = data.row_errors_for_line(a.line()).collect();
            lines.push(section(&format!(
                "Import problems on line {} ({})",
                a.line(),
                errs.len()
            )));
            if errs.is_empty() {
                lines.push(Line::from(Span::styled(fit("  None.", w), theme.dim())));
            }
            for e in errs {
                let mut t = String::new();
                if let Some(c) = &e.column {
                    t.push_str(c);
                    if let Some(v) = &e.value {
                        t.push_str(&format!(" = \"{v}\""));
                    }
                    t.push_str(": ");
                }
                t.push_str(&e.message);
                for l in wrap(&t, w, "  ⚠ ", "    ") {
                    lines.push(Line::from(Span::styled(
                        l,
                        theme.severity(wxaudit_core::model::Severity::Medium),
                    )));
                }
            }
            lines.push(Line::from(""));

            // Fields.
            lines.push(section("Fields — as imported → as normalised"));
            let name_w = Column::ALL
                .iter()
                .map(|c| width(c.as_str()))
                .max()
                .unwrap_or(10)
                .min(w / 3);
            let errs_cols: Vec<String> = data
                .row_errors_for_line(a.line())
                .filter_map(|e| e.column.clone())
                .collect();
            for c in Column::ALL {
                let norm = field_text(&a, c);
                let raw = a.raw_value(c);
                if norm.is_empty() && raw.is_none() {
                    continue;
                }
                let flag = if errs_cols.iter().any(|e| e == c.as_str()) {
                    "⚠"
                } else {
                    " "
                };
                let value = match raw {
                    Some(r) if r != norm => {
                        if norm.is_empty() {
                            format!("\"{r}\" → (not usable)")
                        } else {
                            format!("\"{r}\" → {norm}")
                        }
                    }
                    _ => norm.into_owned(),
                };
                let prefix = format!("{flag} {} ", pad(c.as_str(), name_w));
                let indent = " ".repeat(width(&prefix));
                for l in wrap(&value, w, &prefix, &indent) {
                    lines.push(Line::from(l));
                }
            }
            let empty: Vec<&str> = Column::ALL
                .iter()
                .filter(|c| field_text(&a, **c).is_empty() && a.raw_value(**c).is_none())
                .map(|c| c.as_str())
                .collect();
            if !empty.is_empty() {
                for l in wrap(&empty.join(", "), w, "  empty: ", "         ") {
                    lines.push(Line::from(Span::styled(l, theme.dim())));
                }
            }
            if !a.extra().is_empty() {
                lines.push(Line::from(""));
                lines.push(section(
                    "Extra columns (not known to wxaudit, kept as written)",
                ));
                for (k, v) in a.extra().iter() {
                    let prefix = format!("  {} ", pad(k, name_w));
                    let indent = " ".repeat(width(&prefix));
                    for l in wrap(v, w, &prefix, &indent) {
                        lines.push(Line::from(l));
                    }
                }
            }
        }
    }
    lines
}

pub fn draw(f: &mut Frame, area: Rect, app: &mut App, theme: &Theme) {
    let w = area.width as usize;
    let h = area.height as usize;
    if w == 0 || h == 0 {
        return;
    }
    let (Some(data), Some(target)) = (app.data.clone(), app.detail) else {
        let lines: Vec<Line> = wrap(s::NO_DETAIL, w, " ", " ")
            .into_iter()
            .map(Line::from)
            .collect();
        f.render_widget(Paragraph::new(lines), area);
        return;
    };
    let lines = build(&data, target, w, theme);
    let max = lines.len().saturating_sub(h);
    if app.detail_scroll as usize > max {
        app.detail_scroll = max as u16;
    }
    app.geom.page = h as u16;
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(app.detail_scroll as usize)
        .take(h)
        .collect();
    f.render_widget(Paragraph::new(visible), area);
}
