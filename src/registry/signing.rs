//! Signed registries: `snapshot.json` vouches for every index file and `search.json` by its
//! sha256, with a serial number (raised by every change) and an expiry time, and
//! `snapshot.json.minisig` signs its exact bytes with minisign (the format of the `minisign`
//! CLI, so either can sign and either can verify). Packages need no signature of their own:
//! the index files bind them by sha256.
//!
//! Keys are minisign keys: the secret key is a password-protected file (`registry keygen`), a
//! public key the base64 line `RW...` that hosts list in `[registries.NAME] public-keys`. A key
//! is named by its key id, 16 hexadecimal digits, as the minisign CLI prints it.
//!
//! Making keys and signing uses the `minisign` crate; verifying, the smaller `minisign-verify`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::Domain;
use crate::registry::FORMAT;

/// The snapshot, in the registry's root.
pub(crate) const SNAPSHOT_PATH: &str = "snapshot.json";
/// Its minisign signature, beside it.
pub(crate) const SIGNATURE_PATH: &str = "snapshot.json.minisig";
/// How long a snapshot is valid when `--expires-in` does not say, in days.
pub(crate) const DEFAULT_EXPIRY_DAYS: u64 = 30;
/// The environment variable naming the secret key, when `--sign-key` does not.
pub(crate) const KEY_VAR: &str = "PLUGINKIT_SIGNING_KEY";
/// The environment variable holding the secret key's password.
pub(crate) const PASSWORD_VAR: &str = "PLUGINKIT_SIGNING_PASSWORD";

/// `snapshot.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) format: u32,
    /// One more than the snapshot it replaced: a host refuses a lower one than it has seen.
    pub(crate) serial: u64,
    /// When it was signed, RFC 3339 in UTC.
    pub(crate) published: String,
    /// When hosts stop trusting it, RFC 3339 in UTC: a registry that is not signed again is
    /// refused rather than served frozen forever.
    pub(crate) expires: String,
    /// Every index file and `search.json`, by path in the registry, with its sha256.
    pub(crate) files: BTreeMap<String, String>,
}

/// Why a key could not be made or read, or a snapshot not be trusted.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("`{text}` is not a minisign public key: {why}")]
    BadPublicKey { text: String, why: String },
    #[error("{} already exists", .path.display())]
    KeyExists { path: PathBuf },
    #[error("cannot {action} {}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is not a minisign secret key: {why}", .path.display())]
    BadSecretKey { path: PathBuf, why: String },
    #[error("the password does not open the secret key {}", .path.display())]
    WrongPassword { path: PathBuf },
    #[error("cannot make a key pair: {why}")]
    Generate { why: String },
    #[error("cannot sign {}: {why}", .path.display())]
    Sign { path: PathBuf, why: String },
    /// The registry has a snapshot, and this change was not asked to sign a new one.
    #[error("{} is signed ({} is there), and this change was not signed", .dir.display(), SNAPSHOT_PATH)]
    Unsigned { dir: PathBuf },
    #[error("{} is not a registry snapshot", .path.display())]
    BadSnapshot {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// What a host refuses (see [`Refusal`]).
    #[error("the registry `{registry}` is not trusted: {refusal}")]
    Untrusted {
        registry: String,
        refusal: Box<Refusal>,
    },
}

/// Why a host does not trust what a registry served. Each names the file and the key.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Refusal {
    #[error("it has no {SNAPSHOT_PATH} ({shown}), and public keys are configured for it")]
    NoSnapshot { shown: String },
    #[error("{SNAPSHOT_PATH} has no signature ({shown} is missing)")]
    NoSignature { shown: String },
    #[error("{shown} is not a minisign signature")]
    MalformedSignature { shown: String },
    #[error(
        "{SNAPSHOT_PATH} is signed by the key {key}, which is not one of its public keys ({})",
        .listed.join(", ")
    )]
    UnknownKey { key: String, listed: Vec<String> },
    #[error("the signature {shown} does not verify {SNAPSHOT_PATH} with the key {key}")]
    BadSignature { shown: String, key: String },
    #[error("{shown} (signed by the key {key}) cannot be read: {why}")]
    MalformedSnapshot {
        shown: String,
        key: String,
        why: String,
    },
    #[error("{SNAPSHOT_PATH} (signed by the key {key}) expired at {expires}")]
    Expired { key: String, expires: String },
    #[error(
        "{SNAPSHOT_PATH} (signed by the key {key}) has serial {serial}, older than the serial {seen} this host has seen"
    )]
    Rollback { key: String, serial: u64, seen: u64 },
    #[error("{shown} is not listed in {SNAPSHOT_PATH} (serial {serial}, signed by the key {key})")]
    Unlisted {
        shown: String,
        serial: u64,
        key: String,
    },
    #[error(
        "{shown} has sha256 {got}, but {SNAPSHOT_PATH} (serial {serial}, signed by the key {key}) says {expected}"
    )]
    Mismatch {
        shown: String,
        got: String,
        expected: String,
        serial: u64,
        key: String,
    },
    #[error(
        "{shown} is missing, but {SNAPSHOT_PATH} (serial {serial}, signed by the key {key}) lists it"
    )]
    Missing {
        shown: String,
        serial: u64,
        key: String,
    },
}

impl Domain for Error {
    fn hint(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Error::BadPublicKey { .. } => {
                "give the second line of the key's .pub file (`registry keygen` prints it), e.g. \"RWQ...\"".into()
            }
            Error::KeyExists { .. } => {
                "a key is never overwritten: choose another --output, or delete the old key if it was never used".into()
            }
            Error::BadSecretKey { .. } => {
                "give the secret key file `pluginkit registry keygen` (or `minisign -G`) wrote".into()
            }
            Error::WrongPassword { .. } => {
                format!("set {PASSWORD_VAR} to the password the key was made with").into()
            }
            Error::Unsigned { .. } => format!(
                "pass --sign-key FILE (or set {KEY_VAR}) so that the snapshot is signed again; hosts that list the registry's public keys refuse an unsigned change"
            )
            .into(),
            Error::BadSnapshot { .. } => {
                "sign it again with `pluginkit registry resign --sign-key FILE`".into()
            }
            Error::Untrusted { refusal, .. } => match **refusal {
                Refusal::UnknownKey { .. } => "if the registry's key was changed, add its new public key to `public-keys` in pluginkit.toml; otherwise the registry was tampered with; nothing was installed".into(),
                Refusal::Expired { .. } => "the registry was not signed again in time (`pluginkit registry resign`), or it is served frozen; tell its maintainer; nothing was installed".into(),
                Refusal::Rollback { .. } => "the registry serves an older state than it did (a replay, or a mirror that is behind); nothing was installed".into(),
                _ => "the registry was changed without its key, or is half-copied; tell its maintainer; nothing was installed".into(),
            },
            Error::Io { .. } | Error::Generate { .. } | Error::Sign { .. } => return None,
        })
    }

    fn is_usage(&self) -> bool {
        matches!(self, Error::KeyExists { .. })
    }
}

/// A public key a host trusts: its key id and the key.
#[derive(Clone)]
pub(crate) struct TrustedKey {
    pub(crate) id: String,
    key: minisign_verify::PublicKey,
}

impl std::fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TrustedKey").field(&self.id).finish()
    }
}

/// A key id as the minisign CLI prints it: the 8 bytes, read little-endian, in hexadecimal.
fn key_id(bytes: &[u8]) -> String {
    let mut id = [0u8; 8];
    id.copy_from_slice(&bytes[..8]);
    format!("{:016X}", u64::from_le_bytes(id))
}

/// Read a public key written as the base64 line of a `.pub` file (`RWQ...`).
pub(crate) fn parse_public_key(text: &str) -> Result<TrustedKey, Error> {
    let bad = |why: &str| Error::BadPublicKey {
        text: text.to_owned(),
        why: why.to_owned(),
    };
    let trimmed = text.trim();
    let key = minisign_verify::PublicKey::from_base64(trimmed)
        .map_err(|e| bad(&e.to_string().to_lowercase()))?;
    let parsed = minisign::PublicKey::from_base64(trimmed).map_err(|e| bad(&e.to_string()))?;
    Ok(TrustedKey {
        id: key_id(parsed.keynum()),
        key,
    })
}

/// A secret key, opened, ready to sign.
pub(crate) struct Signer {
    pub(crate) id: String,
    secret: minisign::SecretKey,
    public: Option<minisign::PublicKey>,
}

/// The `.pub` file beside a secret key: `reg.key` -> `reg.pub`, `reg` -> `reg.pub`.
pub(crate) fn public_key_path(secret: &Path) -> PathBuf {
    match secret.extension() {
        Some(ext) if ext == "key" => secret.with_extension("pub"),
        _ => {
            let mut name = secret.as_os_str().to_owned();
            name.push(".pub");
            PathBuf::from(name)
        }
    }
}

/// What [`generate`] wrote.
pub(crate) struct Generated {
    pub(crate) id: String,
    /// The base64 line of the public key.
    pub(crate) public_key: String,
    pub(crate) public_path: PathBuf,
}

/// Make a key pair: the secret key at `secret_path`, protected by `password`, readable by its
/// owner only, and the public key beside it ([`public_key_path`]). Neither file may exist.
pub(crate) fn generate(secret_path: &Path, password: &str) -> Result<Generated, Error> {
    let public_path = public_key_path(secret_path);
    for path in [secret_path, &public_path] {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(Error::KeyExists {
                path: path.to_path_buf(),
            });
        }
    }
    let pair = minisign::KeyPair::generate_encrypted_keypair(Some(password.to_owned()))
        .map_err(|e| Error::Generate { why: e.to_string() })?;
    let id = key_id(pair.pk.keynum());
    let generated = |e: minisign::PError| Error::Generate { why: e.to_string() };
    let secret_box = pair
        .sk
        .to_box(Some(&format!("pluginkit registry secret key {id}")))
        .map_err(generated)?;
    let public_box = pair.pk.to_box().map_err(generated)?;
    let public_key = pair.pk.to_base64();
    write_new(secret_path, &secret_box.to_bytes(), 0o600)?;
    if let Err(e) = write_new(&public_path, &public_box.to_bytes(), 0o644) {
        let _ = std::fs::remove_file(secret_path);
        return Err(e);
    }
    Ok(Generated {
        id,
        public_key,
        public_path,
    })
}

/// Write a new file (never replacing one) with `mode` on Unix, flushed to disk.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Error> {
    use std::io::Write;
    let cannot = |source| Error::Io {
        action: "write",
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::KeyExists {
                path: path.to_path_buf(),
            }
        } else {
            cannot(e)
        }
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(cannot)
}

/// Open the secret key file `path` with `password` (`None`: a key without a password, as
/// `minisign -G -W` makes).
pub(crate) fn open_secret_key(path: &Path, password: Option<&str>) -> Result<Signer, Error> {
    let text =
        crate::util::read::read_regular_text(path, 64 * 1024).map_err(|source| Error::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
    let bad = |why: String| Error::BadSecretKey {
        path: path.to_path_buf(),
        why,
    };
    let secret_box = minisign::SecretKeyBox::from_string(&text).map_err(|e| bad(e.to_string()))?;
    let secret = match minisign::SecretKey::from_unencrypted_box(secret_box.clone()) {
        Ok(secret) => secret,
        // A key without a password whose checksum is not there: what the minisign CLI (0.11)
        // writes for `-G -W`, which the minisign crate cannot read.
        Err(e) if e.to_string().contains("Corrupted key") => {
            return Err(bad(
                "it has no password and no valid checksum (as `minisign -G -W` writes); make a key with `pluginkit registry keygen`, or `minisign -G` with a password".to_owned(),
            ));
        }
        Err(_) => {
            let password = password.unwrap_or_default().to_owned();
            minisign::SecretKey::from_box(secret_box, Some(password)).map_err(|e| {
                if e.to_string().contains("Wrong password") {
                    Error::WrongPassword {
                        path: path.to_path_buf(),
                    }
                } else {
                    bad(e.to_string())
                }
            })?
        }
    };
    let public = minisign::PublicKey::from_secret_key(&secret).ok();
    Ok(Signer {
        id: key_id(secret.keynum()),
        secret,
        public,
    })
}

/// Whether the secret key file `path` needs a password (reading it fails otherwise, and is
/// reported when it is opened).
pub(crate) fn needs_password(path: &Path) -> bool {
    let Ok(text) = crate::util::read::read_regular_text(path, 64 * 1024) else {
        return false;
    };
    minisign::SecretKeyBox::from_string(&text)
        .is_ok_and(|secret_box| minisign::SecretKey::from_unencrypted_box(secret_box).is_err())
}

impl Signer {
    /// The text of a `.minisig` file for `bytes` (the file `path`, for messages), with
    /// `trusted` as its trusted comment.
    pub(crate) fn sign(&self, path: &Path, bytes: &[u8], trusted: &str) -> Result<String, Error> {
        let signature = minisign::sign(
            self.public.as_ref(),
            &self.secret,
            bytes,
            Some(trusted),
            Some(&format!("signature from pluginkit, key {}", self.id)),
        )
        .map_err(|e| Error::Sign {
            path: path.to_path_buf(),
            why: e.to_string(),
        })?;
        Ok(signature.into_string())
    }
}

/// The key id a `.minisig` file's text says signed it, when it is one.
fn signature_key_id(text: &str) -> Option<String> {
    let signature = minisign::SignatureBox::from_string(text).ok()?;
    Some(key_id(signature.keynum()))
}

/// Check `signature` (a `.minisig` file's text, `shown` in messages) over `snapshot` with
/// `keys`; returns the id of the key that verified it.
pub(crate) fn verify_signature(
    keys: &[TrustedKey],
    snapshot: &[u8],
    signature: &str,
    shown: &str,
) -> Result<String, Refusal> {
    let malformed = || Refusal::MalformedSignature {
        shown: shown.to_owned(),
    };
    let decoded = minisign_verify::Signature::decode(signature).map_err(|_| malformed())?;
    let id = signature_key_id(signature).ok_or_else(malformed)?;
    let Some(key) = keys.iter().find(|k| k.id == id) else {
        return Err(Refusal::UnknownKey {
            key: id,
            listed: keys.iter().map(|k| k.id.clone()).collect(),
        });
    };
    key.key
        .verify(snapshot, &decoded, false)
        .map_err(|_| Refusal::BadSignature {
            shown: shown.to_owned(),
            key: id.clone(),
        })?;
    Ok(id)
}

/// The verified snapshot of a registry, and the key that signed it.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    pub(crate) snapshot: Snapshot,
    pub(crate) key: String,
}

impl Verified {
    /// Check a registry file (`relative` in the registry, `shown` in messages) against the
    /// snapshot: `bytes` `None` when the registry has no such file.
    pub(crate) fn vouch(
        &self,
        relative: &str,
        shown: &str,
        bytes: Option<&[u8]>,
    ) -> Result<(), Refusal> {
        let listed = self.snapshot.files.get(relative);
        match (bytes, listed) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(Refusal::Missing {
                shown: shown.to_owned(),
                serial: self.snapshot.serial,
                key: self.key.clone(),
            }),
            (Some(_), None) => Err(Refusal::Unlisted {
                shown: shown.to_owned(),
                serial: self.snapshot.serial,
                key: self.key.clone(),
            }),
            (Some(bytes), Some(expected)) => {
                let got = crate::util::hash::sha256_hex(bytes);
                if got.eq_ignore_ascii_case(expected) {
                    Ok(())
                } else {
                    Err(Refusal::Mismatch {
                        shown: shown.to_owned(),
                        got,
                        expected: expected.clone(),
                        serial: self.snapshot.serial,
                        key: self.key.clone(),
                    })
                }
            }
        }
    }
}

/// Verify a snapshot a registry served: the signature with one of `keys`, then what it says,
/// not expired at `now` (seconds since 1970) and not older than the serial `seen`.
pub(crate) fn verify_snapshot(
    keys: &[TrustedKey],
    snapshot: &[u8],
    signature: &str,
    shown: (&str, &str),
    now: i64,
    seen: Option<u64>,
) -> Result<Verified, Refusal> {
    let (snapshot_shown, signature_shown) = shown;
    let key = verify_signature(keys, snapshot, signature, signature_shown)?;
    let malformed = |why: String| Refusal::MalformedSnapshot {
        shown: snapshot_shown.to_owned(),
        key: key.clone(),
        why,
    };
    let parsed: Snapshot =
        serde_json::from_slice(snapshot).map_err(|e| malformed(e.to_string()))?;
    if parsed.format > FORMAT {
        return Err(malformed(format!(
            "it is in registry format {}, but this pluginkit reads format {FORMAT}; upgrade pluginkit",
            parsed.format
        )));
    }
    let expires = crate::util::time::parse_rfc3339(&parsed.expires).ok_or_else(|| {
        malformed(format!(
            "`expires` is `{}`, not an RFC 3339 time",
            parsed.expires
        ))
    })?;
    if now >= expires {
        return Err(Refusal::Expired {
            key,
            expires: parsed.expires,
        });
    }
    if let Some(seen) = seen
        && parsed.serial < seen
    {
        return Err(Refusal::Rollback {
            key,
            serial: parsed.serial,
            seen,
        });
    }
    Ok(Verified {
        snapshot: parsed,
        key,
    })
}

/// Now, in seconds since 1970.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The trusted comment of a snapshot's signature: what it is, its serial and its sha256, so
/// that `minisign -V` shows them.
pub(crate) fn trusted_comment(snapshot: &Snapshot, bytes: &[u8]) -> String {
    format!(
        "pluginkit registry snapshot serial:{} sha256:{}",
        snapshot.serial,
        crate::util::hash::sha256_hex(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(serial: u64, expires: &str) -> Vec<u8> {
        let snapshot = Snapshot {
            format: FORMAT,
            serial,
            published: "2026-01-01T00:00:00Z".into(),
            expires: expires.into(),
            files: BTreeMap::from([("search.json".to_owned(), "ab".repeat(32))]),
        };
        serde_json::to_vec_pretty(&snapshot).unwrap()
    }

    #[test]
    fn a_signature_verifies_with_its_key_only_and_its_checks_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reg.key");
        let made = generate(&path, "pw").unwrap();
        assert_eq!(made.public_path, dir.path().join("reg.pub"));
        assert!(matches!(
            generate(&path, "pw"),
            Err(Error::KeyExists { .. })
        ));
        assert!(matches!(
            open_secret_key(&path, Some("wrong")),
            Err(Error::WrongPassword { .. })
        ));
        let signer = open_secret_key(&path, Some("pw")).unwrap();
        assert_eq!(signer.id, made.id);
        let key = parse_public_key(&made.public_key).unwrap();
        assert_eq!(key.id, made.id);

        let bytes = snapshot(7, "2030-01-01T00:00:00Z");
        let signature = signer.sign(&path, &bytes, "t").unwrap();
        let keys = [key];
        let now = 1_800_000_000;
        let verified =
            verify_snapshot(&keys, &bytes, &signature, ("s", "m"), now, Some(7)).unwrap();
        assert_eq!(
            (verified.snapshot.serial, verified.key.as_str()),
            (7, made.id.as_str())
        );
        assert!(verified.vouch("search.json", "s", Some(b"x")).is_err());
        assert!(verified.vouch("index/x.json", "i", Some(b"x")).is_err());
        assert!(verified.vouch("index/x.json", "i", None).is_ok());
        assert!(verified.vouch("search.json", "s", None).is_err());

        let check =
            |bytes: &[u8], seen| verify_snapshot(&keys, bytes, &signature, ("s", "m"), now, seen);
        assert!(matches!(
            check(&bytes, Some(8)),
            Err(Refusal::Rollback { .. })
        ));
        let mut changed = bytes.clone();
        changed[20] ^= 1;
        assert!(matches!(
            check(&changed, None),
            Err(Refusal::BadSignature { .. })
        ));
        let expired = snapshot(8, "2020-01-01T00:00:00Z");
        let signature = signer.sign(&path, &expired, "t").unwrap();
        assert!(matches!(
            verify_snapshot(&keys, &expired, &signature, ("s", "m"), now, None),
            Err(Refusal::Expired { .. })
        ));

        let other = dir.path().join("other.key");
        let other_made = generate(&other, "pw").unwrap();
        let other_keys = [parse_public_key(&other_made.public_key).unwrap()];
        let error =
            verify_snapshot(&other_keys, &expired, &signature, ("s", "m"), now, None).unwrap_err();
        assert!(
            matches!(&error, Refusal::UnknownKey { key, listed } if *key == made.id && *listed == [other_made.id.clone()]),
            "{error}"
        );
        assert!(parse_public_key("RWQnot-a-key").is_err());
    }
}
