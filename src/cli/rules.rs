//! `wxaudit rules` (the catalogue as a table) and `wxaudit rules explain ID`.

use super::args::{RulesArgs, RulesCommand};
use super::emit;
use anyhow::{anyhow, Result};
use std::io::Write;
use unicode_width::UnicodeWidthStr;
use wxaudit::rules::{RuleInfo, RuleSet};
// A rules file can override titles and texts: shown with control codes escaped.
use wxaudit::safe_text::{terminal, terminal_lines};

pub fn run(a: RulesArgs) -> Result<i32> {
    let rules_path = match &a.rules {
        Some(p) => Some(p.clone()),
        None => wxaudit::config::load(a.config.as_deref())?.and_then(|c| c.rules),
    };
    let set = match &rules_path {
        Some(p) => RuleSet::with_overrides(p)?,
        None => RuleSet::builtin(),
    };
    match a.command {
        None => {
            let list = set.catalogue();
            emit(None, |w| write_table(&list, w))?;
            Ok(0)
        }
        Some(RulesCommand::Explain { id }) => match set.explain(id.trim()) {
            Some(info) => {
                emit(None, |w| write_explain(&info, w))?;
                Ok(0)
            }
            None => {
                let ids: Vec<String> = set.catalogue().into_iter().map(|r| r.id).collect();
                let close = close_ids(&id, &ids);
                Err(if close.is_empty() {
                    anyhow!("no rule {id:?}; `wxaudit rules` lists them all")
                } else {
                    anyhow!(
                        "no rule {id:?}; did you mean {}? (`wxaudit rules` lists them all)",
                        close.join(", ")
                    )
                })
            }
        },
    }
}

fn write_table(list: &[RuleInfo], w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(w, "{:<10} {:<9} TITLE", "ID", "SEVERITY")?;
    for r in list {
        let off = if r.enabled { "" } else { "  (turned off)" };
        writeln!(
            w,
            "{:<10} {:<9} {}{off}",
            terminal(&r.id),
            r.severity.as_str(),
            terminal(&r.title)
        )?;
    }
    writeln!(
        w,
        "\n{} rules. `wxaudit rules explain ID` says what one checks, why, and how to fix it.",
        list.len()
    )?;
    w.flush()
}

fn field(w: &mut dyn Write, label: &str, text: &str) -> std::io::Result<()> {
    let pad = 10usize.saturating_sub(label.width());
    writeln!(
        w,
        "{label}{}{}",
        " ".repeat(pad),
        terminal_lines(text.trim())
    )
}

fn write_explain(r: &RuleInfo, w: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        w,
        "{} · {} · {}",
        terminal(&r.id),
        r.severity.as_str(),
        terminal(&r.title)
    )?;
    if !r.enabled {
        writeln!(w, "(turned off by the rules file)")?;
    }
    writeln!(w)?;
    field(w, "Checks", &r.checks)?;
    field(w, "Why", &r.why)?;
    field(w, "Fix", &r.fix)?;
    let needs: Vec<&str> = r.needs.iter().map(|c| c.as_str()).collect();
    field(
        w,
        "Needs",
        &if needs.is_empty() {
            "no particular column".to_string()
        } else {
            format!(
                "columns {} (without them the rule is reported as not evaluated)",
                needs.join(", ")
            )
        },
    )?;
    if !r.sources.is_empty() {
        writeln!(w, "Sources")?;
        for s in &r.sources {
            writeln!(w, "  - {}", terminal(s))?;
        }
    }
    w.flush()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Rule ids close to what was typed: small edit distance, or the same family (`REACH-…`) or
/// number.
pub fn close_ids(typed: &str, ids: &[String]) -> Vec<String> {
    let t = typed.trim().to_uppercase().replace(['_', ' '], "-");
    let family = t.split('-').next().unwrap_or("").to_string();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let mut scored: Vec<(usize, &String)> = ids
        .iter()
        .filter_map(|id| {
            let d = levenshtein(&t, id);
            let same_family = !family.is_empty() && id.starts_with(&format!("{family}-"));
            let same_number = digits.len() >= 2 && id.ends_with(&digits);
            (d <= 2 || same_family || same_number).then_some((d, id))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(5)
        .map(|(_, id)| id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids() {
        let ids: Vec<String> = ["REACH-001", "REACH-002", "REG-001", "PAY-006", "OWN-001"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(close_ids("reach-01", &ids)[0], "REACH-001");
        assert!(close_ids("REACH-009", &ids).contains(&"REACH-002".to_string()));
        assert_eq!(close_ids("pay6", &ids), Vec::<String>::new());
        assert_eq!(close_ids("PAY-06", &ids), vec!["PAY-006".to_string()]);
        assert!(close_ids("zzz", &ids).is_empty());
    }
}
