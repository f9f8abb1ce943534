//! "Did you mean …?" for the side files (suppressions, profile, rules overrides, wxaudit.toml):
//! an unknown key or id is always named with the closest known spelling, so a typo is fixed in
//! one look instead of by reading the README.
//!
//! Why a module of its own: four readers report unknown keys, and they must word it the same way.

/// The known word closest to `word` (case-insensitive), when it is close enough to be a typo or
/// a part of the known word (`entities` → `legal_entities`).
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let w = word.trim().to_lowercase();
    let score = |k: &str| {
        let k = k.to_lowercase();
        let near = strsim::normalized_damerau_levenshtein(&w, &k);
        let part = w.len() >= 4 && (k.contains(&w) || w.contains(&k));
        if part {
            near.max(0.75)
        } else {
            near
        }
    };
    known
        .iter()
        .map(|k| (score(k), *k))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// `unknown key `KEY` (did you mean `K`? allowed: a, b, c)` — the wording every side file uses.
/// A dotted `word` (`knowledge.dormant_days`) is shown whole and its last part is compared.
pub fn unknown(what: &str, word: &str, known: &[&str]) -> String {
    let last = word.rsplit('.').next().unwrap_or(word);
    let hint = closest(last, known)
        .map(|k| format!("did you mean `{k}`? "))
        .unwrap_or_default();
    format!(
        "unknown {what} `{word}` ({hint}allowed: {})",
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_gets_the_closest_known_word_and_nonsense_gets_none() {
        assert_eq!(closest("targetz", &["name", "targets"]), Some("targets"));
        assert_eq!(
            closest("RECH-002", &["REACH-001", "REACH-002"]),
            Some("REACH-002")
        );
        assert_eq!(closest("zzzzzzzz", &["name", "targets"]), None);
        let m = unknown("key", "reson", &["rule", "reason"]);
        assert_eq!(
            m,
            "unknown key `reson` (did you mean `reason`? allowed: rule, reason)"
        );
        let m = unknown("key", "company.entities", &["name", "legal_entities"]);
        assert!(
            m.starts_with("unknown key `company.entities` (did you mean `legal_entities`?"),
            "{m}"
        );
    }
}
