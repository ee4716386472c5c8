//! The LICENSE texts `pluginkit new` can write, by SPDX identifier, with the year and the
//! author filled in.

const TEXTS: &[(&str, &str)] = &[
    ("MIT", include_str!("licenses/MIT.txt")),
    ("Apache-2.0", include_str!("licenses/Apache-2.0.txt")),
    ("BSD-3-Clause", include_str!("licenses/BSD-3-Clause.txt")),
    ("ISC", include_str!("licenses/ISC.txt")),
];

/// The text of the license `spdx` (case-insensitive), or `None` when pluginkit has none.
pub(crate) fn license_text(spdx: &str, author: &str, year: i64) -> Option<String> {
    let (_, text) = TEXTS
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(spdx.trim()))?;
    Some(
        text.replace("{year}", &year.to_string())
            .replace("{author}", author),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_in_year_and_author() {
        let text = license_text("mit", "Ada", 2026).unwrap();
        assert!(text.contains("Copyright (c) 2026 Ada"));
        assert!(
            license_text("Apache-2.0", "Ada", 2026)
                .unwrap()
                .contains("Copyright 2026 Ada")
        );
        assert!(license_text("GPL-3.0-only", "Ada", 2026).is_none());
    }
}
