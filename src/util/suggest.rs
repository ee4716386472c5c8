//! "Did you mean" suggestions, for unknown manifest keys and unknown plugin names.

/// The candidate closest to `word`, when one is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    close(word, candidates).into_iter().next()
}

/// Every candidate close enough to `word` to be a likely typo, closest first.
pub(crate) fn close<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let normal = normalise(word);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let other = normalise(candidate);
            if other == normal {
                return Some((0, candidate));
            }
            let distance = strsim::damerau_levenshtein(&normal, &other);
            let allowed = (other.chars().count().max(normal.chars().count()) / 3).max(1);
            (distance <= allowed).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().map(|(_, candidate)| candidate).collect()
}

/// Case and `-`/`_` differences are the commonest slips; compare without them.
fn normalise(word: &str) -> String {
    word.to_lowercase().replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_and_case_slips() {
        let keys = ["name", "version", "summary", "author", "license"];
        assert_eq!(closest("verison", keys), Some("version"));
        assert_eq!(closest("Summary", keys), Some("summary"));
        assert_eq!(closest("licence", keys), Some("license"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(
            closest("plugin-dir", ["plugins-dir", "pidfile"]),
            Some("plugins-dir")
        );
    }
}
