//! `~/.netrc` (or the file `$NETRC` names): the login and password for a host, as curl and git
//! read it. Tokens are separated by white space; `machine NAME` starts an entry, `default` is
//! the entry for any other host, `macdef` defines a macro that runs to the next empty line.

use std::path::Path;

/// The login and password the `.netrc` file `path` gives for `host`.
pub(crate) fn lookup(path: &Path, host: &str) -> Option<(String, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    find(&text, host)
}

/// The entry for `host` in the text of a `.netrc`.
fn find(text: &str, host: &str) -> Option<(String, String)> {
    #[derive(Default)]
    struct Entry {
        login: Option<String>,
        password: Option<String>,
    }
    let mut matched: Option<Entry> = None;
    let mut default: Option<Entry> = None;
    // Which entry the tokens being read belong to: the host's, the default, or another.
    enum Current {
        Host,
        Default,
        Other,
        None,
    }
    let mut current = Current::None;
    let mut lines = text.lines();
    let mut pending: Vec<String> = Vec::new();
    loop {
        if pending.is_empty() {
            let Some(line) = lines.next() else { break };
            pending = line.split_whitespace().rev().map(str::to_owned).collect();
            continue;
        }
        let token = pending.pop().unwrap_or_default();
        match token.as_str() {
            "machine" => {
                let name = pending.pop().unwrap_or_default();
                current = if name.eq_ignore_ascii_case(host) && matched.is_none() {
                    matched = Some(Entry::default());
                    Current::Host
                } else {
                    Current::Other
                };
            }
            "default" => {
                default = Some(Entry::default());
                current = Current::Default;
            }
            "macdef" => {
                pending.clear();
                for line in lines.by_ref() {
                    if line.trim().is_empty() {
                        break;
                    }
                }
                current = Current::None;
            }
            "login" | "password" | "account" => {
                let value = pending.pop().unwrap_or_default();
                let entry = match current {
                    Current::Host => matched.as_mut(),
                    Current::Default => default.as_mut(),
                    Current::Other | Current::None => None,
                };
                if let Some(entry) = entry {
                    match token.as_str() {
                        "login" => entry.login = Some(value),
                        "password" => entry.password = Some(value),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let entry = matched.or(default)?;
    Some((entry.login.unwrap_or_default(), entry.password?))
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn finds_the_host_then_the_default() {
        let text = "machine other.example login o password op\n\
                    machine git.example.com\n  login ada\n  password s3cret\n\
                    macdef init\nmachine git.example.com login evil password evil\n\n\
                    default login anon password guest\n";
        assert_eq!(
            find(text, "git.example.com"),
            Some(("ada".into(), "s3cret".into()))
        );
        assert_eq!(find(text, "GIT.example.com").unwrap().0, "ada");
        assert_eq!(
            find(text, "elsewhere"),
            Some(("anon".into(), "guest".into()))
        );
        assert_eq!(
            find("machine a login x\n", "a"),
            None,
            "no password, no entry"
        );
        assert_eq!(find("", "a"), None);
    }
}
