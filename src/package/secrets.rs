//! Files that look like secrets: what `pluginkit package` refuses to pack (unless
//! `--allow-secret PATH`) and what `pluginkit add` warns about in a package it installs. One
//! detector for both, by name and, for files small enough to be keys, by content:
//!
//! - private keys by content: a PEM block `-----BEGIN ... PRIVATE KEY-----` (PKCS#1, PKCS#8,
//!   SEC1, OpenSSH, encrypted or not; PGP's `PRIVATE KEY BLOCK` too) anywhere in the file, or a
//!   PuTTY key (`PuTTY-User-Key-File-`) at its start;
//! - SSH private keys by name: `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` (and their `_sk`
//!   forms; the `.pub` halves are public);
//! - credentials by name: `.aws/credentials`, `.git-credentials`, `.netrc`/`_netrc`, `.pypirc`;
//!   and by name and content: `.npmrc` with an `_authToken`, a JSON file (a GCP service account
//!   key, `credentials.json` or any other name) with a `"private_key"`.
//!
//! Only regular files are read (links never), and only those of at most [`READ_CAP`] bytes: a
//! key or a credentials file is far smaller, and a larger file is judged by its name alone.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest file whose content is read to judge it: keys and credential files are a few KiB.
pub(crate) const READ_CAP: u64 = 64 << 10;

/// Why `rel` (a `/`-separated path inside a plugin) looks like a secret, judged by its name
/// and the start of its content, or `None`.
pub(crate) fn judge(rel: &str, content: &[u8]) -> Option<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let parent = rel
        .rsplit('/')
        .nth(1)
        .filter(|_| rel.contains('/'))
        .unwrap_or("");
    if matches!(
        name,
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk"
    ) {
        return Some("an SSH private key");
    }
    if parent == ".aws" && name == "credentials" {
        return Some("AWS credentials");
    }
    match name {
        ".git-credentials" => return Some("git credentials"),
        ".netrc" | "_netrc" => return Some("a .netrc with login passwords"),
        ".pypirc" => return Some("a .pypirc with package index credentials"),
        ".npmrc" if has(content, b"_authToken") || has(content, b"_auth=") => {
            return Some("an .npmrc with an npm token");
        }
        _ => {}
    }
    if content.starts_with(b"PuTTY-User-Key-File-") {
        return Some("a PuTTY private key");
    }
    if has_pem_private_key(content) {
        return Some("a private key");
    }
    if name.ends_with(".json") && has(content, b"\"private_key\"") {
        return Some("a service account key (\"private_key\")");
    }
    None
}

/// Judge the file at `disk` (inside a plugin, at `rel`): a regular file, by its content when it
/// is at most [`READ_CAP`] bytes; never a link's target.
pub(crate) fn judge_file(rel: &str, disk: &Path) -> io::Result<Option<&'static str>> {
    let metadata = std::fs::symlink_metadata(disk)?;
    if !metadata.is_file() {
        return Ok(None);
    }
    if metadata.len() > READ_CAP {
        return Ok(judge(rel, b""));
    }
    let mut content = Vec::with_capacity(metadata.len() as usize);
    // The cap again, should the file grow meanwhile.
    File::open(disk)?.take(READ_CAP).read_to_end(&mut content)?;
    Ok(judge(rel, &content))
}

/// Whether `content` holds a PEM (or PGP armour) line `-----BEGIN ... PRIVATE KEY...-----`.
fn has_pem_private_key(content: &[u8]) -> bool {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let mut rest = content;
    while let Some(at) = find(rest, BEGIN) {
        let after = &rest[at + BEGIN.len()..];
        // The label: upper-case words up to the closing dashes, on the same line.
        let label_end = after
            .iter()
            .position(|&b| !(b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit()))
            .unwrap_or(after.len());
        let label = &after[..label_end];
        if after[label_end..].starts_with(b"-----") && has(label, b"PRIVATE KEY") {
            return true;
        }
        rest = after;
    }
    false
}

fn has(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_by_content() {
        for pem in [
            "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n",
            "-----BEGIN EC PRIVATE KEY-----\n",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n",
            "KEY = \"\"\"\n-----BEGIN RSA PRIVATE KEY-----\n",
        ] {
            assert_eq!(
                judge("a/key.txt", pem.as_bytes()),
                Some("a private key"),
                "{pem}"
            );
        }
        assert!(judge("k.ppk", b"PuTTY-User-Key-File-3: ssh-ed25519\n").is_some());
        for public in [
            "-----BEGIN CERTIFICATE-----\nMIIE\n",
            "-----BEGIN PUBLIC KEY-----\n",
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
            "the words PRIVATE KEY in prose\n",
            "-----BEGIN private key-----\n",
        ] {
            assert_eq!(judge("cert.pem", public.as_bytes()), None, "{public}");
        }
    }

    #[test]
    fn credentials_by_name() {
        assert!(judge("id_ed25519", b"").is_some());
        assert!(judge("keys/id_rsa", b"").is_some());
        assert!(judge("id_rsa.pub", b"ssh-rsa AAAA").is_none());
        assert!(judge(".aws/credentials", b"[default]\n").is_some());
        assert!(judge("credentials", b"[default]\n").is_none());
        assert!(judge(".git-credentials", b"").is_some());
        assert!(judge("conf/.netrc", b"").is_some());
        assert!(judge(".pypirc", b"").is_some());
        assert!(judge(".npmrc", b"//registry.npmjs.org/:_authToken=x\n").is_some());
        assert!(judge(".npmrc", b"save-exact=true\n").is_none());
        assert!(
            judge(
                "credentials.json",
                br#"{"type": "service_account", "private_key": "x"}"#
            )
            .is_some()
        );
        assert!(judge("credentials.json", br#"{"type": "authorized_user"}"#).is_none());
        assert!(judge("plugin.toml", b"[plugin]\nsummary = \"ssh keys\"\n").is_none());
    }
}
