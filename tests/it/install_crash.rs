//! The crash test: `pluginkit add`, `add --force`, `remove`, `restore` and `sync --locked` killed
//! with SIGKILL at many points, at each named step of the transaction (`PLUGINKIT_TEST_PAUSE_AT`
//! makes the child stop there; `install-staged` is before the host lock is taken) and after
//! random delays over the time a run takes. After every kill the plugins folder holds the old
//! plugin or the new one, whole, never a mix; the next `pluginkit list` and `pluginkit verify`
//! work, recovery says what it finished or undid, and then the lockfile, `[plugins]`, the receipts
//! and the plugins folder agree, no staging folder is left, and nothing that was replaced or
//! removed was lost from the backups. A restore finished puts back the receipt, lock entry and
//! `[plugins]` entry the plugin had before it was removed, and drops its backup; `sync --locked`
//! never changes `pluginkit.toml` or `pluginkit.lock`, however far it got.
//!
//! A failure prints the seed of the random delays; `PLUGINKIT_CRASH_SEED=N` replays it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::install;
use crate::support::install::{Host, installed_files, package_files, versioned_files};

/// Files per plugin version: enough for a kill to land in the middle of unpacking and hashing.
const FILES: usize = 40;
/// Kills at random delays per command, counted only when the signal really ended the child.
const RANDOM_KILLS: usize = 40;
/// Kills at each named step.
const KILLS_PER_STEP: usize = 4;

type Files = BTreeMap<String, Vec<u8>>;

/// What the plugins folder holds of `hello`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Absent,
    Version(usize),
}

struct Lab {
    host: Host,
    /// The files of `hello` 1.0.0 and 2.0.0.
    versions: [Files; 2],
    rng: u64,
    seed: u64,
    /// How many times each recovery note was seen.
    notes: BTreeMap<&'static str, usize>,
    /// `pluginkit.toml`, `pluginkit.lock` and hello's receipt with hello 1.0.0 installed, the
    /// two files as a team edits them by hand ([`Lab::hand_written`]): what a finished
    /// `restore` puts back, and what `sync --locked` keeps (the two files) whatever happens.
    installed_records: Option<Records>,
    /// Whether the two files are to stay as `installed_records` has them (`sync --locked`).
    fixed_files: bool,
}

/// `pluginkit.toml`, `pluginkit.lock` and hello's receipt, as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Records {
    toml: String,
    lock: String,
    receipt: String,
}

const NOTES: &[(&str, &str)] = &[
    ("finished-install", "pluginkit: finished installing `hello`"),
    (
        "undid-install",
        "pluginkit: undid an interrupted install of `hello`",
    ),
    ("finished-remove", "pluginkit: finished removing `hello`"),
    (
        "not-removed",
        "pluginkit: an interrupted run had not removed `hello` yet",
    ),
    (
        "staging-only",
        "staging folder that an interrupted run left",
    ),
];

impl Lab {
    fn new() -> Lab {
        let host = Host::new();
        let versions = [
            versioned_files("hello", "1.0.0", FILES),
            versioned_files("hello", "2.0.0", FILES),
        ];
        for (i, files) in versions.iter().enumerate() {
            host.put(
                &format!("hello-{}.zip", i + 1),
                &package_files("hello", files),
            );
        }
        // A second plugin that stays installed throughout: recovery must not touch it.
        host.put(
            "other.zip",
            &package_files("other", &versioned_files("other", "1.0.0", 3)),
        );
        let (code, _, stderr) = host.run(&["add", "other.zip"]);
        assert_eq!(code, 0, "{stderr}");
        let seed = std::env::var("PLUGINKIT_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
                    | 1
            });
        Lab {
            host,
            versions,
            rng: seed,
            seed,
            notes: BTreeMap::new(),
            installed_records: None,
            fixed_files: false,
        }
    }

    fn records(&self) -> Records {
        let read = |rel: &str| std::fs::read_to_string(self.host.path(rel)).unwrap_or_default();
        Records {
            toml: read("pluginkit.toml"),
            lock: read("pluginkit.lock"),
            receipt: read(".pluginkit/receipts/hello.json"),
        }
    }

    /// xorshift64: enough randomness for delays, and replayable from the seed.
    fn random(&mut self, below: u64) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % below.max(1)
    }

    fn spawn(&self, args: &[&str], pause_at: Option<&str>) -> Child {
        let pluginkit = self.host.pluginkit().args(args).stdout(Stdio::null());
        match pause_at {
            Some(step) => pluginkit.pause_at(step),
            None => pluginkit.stderr(Stdio::null()),
        }
        .spawn()
    }

    /// Run `args` until it pauses at `step`, then kill it there.
    fn kill_at(&self, args: &[&str], step: &str) {
        let mut child = self.spawn(args, Some(step));
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut seen = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let paused = line.contains("pluginkit: paused at");
                seen.push_str(&line);
                seen.push('\n');
                if paused {
                    let _ = tx.send(Ok(()));
                    return;
                }
            }
            let _ = tx.send(Err(seen));
        });
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(())) => {}
            Ok(Err(stderr)) => {
                let status = child.wait().expect("wait");
                panic!("pluginkit {args:?} never paused at {step} ({status}):\n{stderr}");
            }
            Err(_) => {
                let _ = child.kill();
                panic!("pluginkit {args:?} did not pause at {step} within 20 s");
            }
        }
        child.kill().expect("kill");
        let status = child.wait().expect("wait");
        assert_eq!(status.signal(), Some(9), "{args:?} at {step}: {status}");
    }

    /// Run `args` and kill it after `delay`; whether the signal ended it.
    fn kill_after(&self, args: &[&str], delay: Duration) -> bool {
        let mut child = self.spawn(args, None);
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("wait");
        match status.signal() {
            Some(9) => true,
            _ => {
                assert!(status.success(), "{args:?} failed unkilled: {status}");
                false
            }
        }
    }

    /// How long a run of `scenario` takes when nothing interrupts it.
    fn duration(&mut self, scenario: &Scenario) -> Duration {
        let mut total = Duration::ZERO;
        for round in 0..3 {
            let (_, _, args) = self.prepare(scenario, round);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let start = Instant::now();
            let (code, _, stderr) = self.host.run(&args);
            total += start.elapsed();
            assert_eq!(code, 0, "{args:?}: {stderr}");
        }
        total / 3
    }

    /// Bring the host to where a run of `scenario` starts; returns the state hello is in, the
    /// state the run takes it to, and the run's arguments.
    fn prepare(&mut self, scenario: &Scenario, round: usize) -> (State, State, Vec<String>) {
        match scenario.name {
            "add" => {
                self.ensure(State::Absent);
                (
                    State::Absent,
                    State::Version(0),
                    vec!["add".into(), "hello-1.zip".into()],
                )
            }
            "add --force" => {
                // Alternate: replace 1.0.0 with 2.0.0 and back.
                let current = match self.state() {
                    State::Absent => {
                        self.ensure(State::Version(0));
                        0
                    }
                    State::Version(i) => i,
                };
                let next = 1 - current;
                (
                    State::Version(current),
                    State::Version(next),
                    vec![
                        "add".into(),
                        format!("hello-{}.zip", next + 1),
                        "--force".into(),
                    ],
                )
            }
            "remove" => {
                self.ensure(State::Version(0));
                let mut args = vec!["remove".to_owned(), "hello".to_owned()];
                if round % 4 == 3 {
                    args.push("--no-backup".into());
                }
                (State::Version(0), State::Absent, args)
            }
            "restore" => {
                // Installed, recorded by hand, then removed with a backup, which is restored.
                self.ensure(State::Version(0));
                let records = self.hand_written();
                std::fs::write(self.host.path("pluginkit.toml"), &records.toml).unwrap();
                std::fs::write(self.host.path("pluginkit.lock"), &records.lock).unwrap();
                let (code, _, stderr) = self.host.run(&["remove", "hello"]);
                assert_eq!(code, 0, "remove before restore: {stderr}");
                (
                    State::Absent,
                    State::Version(0),
                    vec!["restore".into(), "hello".into()],
                )
            }
            "sync --locked" => {
                // A checkout whose pluginkit.toml and lock list hello, not installed here.
                self.ensure(State::Version(0));
                let records = self.hand_written();
                self.fixed_files = true;
                let (code, _, stderr) = self.host.run(&["remove", "--no-backup", "hello"]);
                assert_eq!(code, 0, "remove before sync --locked: {stderr}");
                std::fs::write(self.host.path("pluginkit.toml"), &records.toml).unwrap();
                std::fs::write(self.host.path("pluginkit.lock"), &records.lock).unwrap();
                (
                    State::Absent,
                    State::Version(0),
                    vec!["sync".into(), "--locked".into()],
                )
            }
            other => panic!("no scenario {other}"),
        }
    }

    /// The records of hello 1.0.0, installed, with `pluginkit.toml` and `pluginkit.lock` as a
    /// team edits them by hand: comments above and beside hello's `[plugins]` entry, which pins
    /// no sha256 (the lock has it), and a comment above its lock entry. Made from what `add`
    /// recorded the first time; the receipt is the same every time.
    fn hand_written(&mut self) -> Records {
        let now = self.records();
        if let Some(records) = &self.installed_records {
            assert_eq!(now.receipt, records.receipt, "hello's receipt changed");
            return records.clone();
        }
        let toml: String = now
            .toml
            .lines()
            .map(|line| {
                if line.starts_with("hello = ") {
                    "# hello, as the team pins it\nhello = { zip = \"hello-1.zip\" }  # the lock has its sha256\n".to_owned()
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
        let lock = now.lock.replacen(
            "\n[[plugin]]\nname = \"hello\"",
            "\n# hello 1.0.0, from CI\n[[plugin]]\nname = \"hello\"",
            1,
        );
        assert!(toml.contains("# the lock") && lock.contains("from CI"));
        let records = Records {
            toml,
            lock,
            receipt: now.receipt,
        };
        self.installed_records = Some(records.clone());
        records
    }

    fn state(&self) -> State {
        let dir = self.host.plugins().join("hello");
        if std::fs::symlink_metadata(&dir).is_err() {
            return State::Absent;
        }
        let mut files = installed_files(&dir);
        // An interrupted install's marker, which recovery removes.
        files.remove(".pluginkit-txn");
        match self.versions.iter().position(|v| *v == files) {
            Some(i) => State::Version(i),
            None => panic!(
                "plugins/hello is neither version but a mix (seed {}): {:?}",
                self.seed,
                files
                    .iter()
                    .map(|(k, v)| format!(
                        "{k}: {}",
                        String::from_utf8_lossy(v).lines().next().unwrap_or("")
                    ))
                    .collect::<Vec<_>>()
            ),
        }
    }

    fn backup_ids(&self) -> Vec<PathBuf> {
        self.host.backups("hello")
    }

    /// Everything that must hold after a kill that happened in `from` -> `to`; returns the
    /// state the host is in and the recovery notes the next run (`list`) printed.
    fn check_after_kill(
        &mut self,
        what: &str,
        from: State,
        to: State,
    ) -> (State, Vec<&'static str>) {
        let context = format!("{what} (seed {})", self.seed);
        let journal = self.host.path(".pluginkit/journal.json").exists();
        let staging = !self.host.staging().is_empty();
        let state = self.state();
        assert!(
            state == from || state == to,
            "{context}: hello is {state:?}, neither {from:?} nor {to:?}"
        );

        // `list`, the next run, finishes or undoes what was left, says so, and lists what is
        // there.
        let (code, stdout, list_stderr) = self.host.run(&["list", "--format", "json"]);
        assert_eq!(code, 0, "{context}: list failed: {stdout}\n{list_stderr}");
        let list: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{context}: list printed no JSON ({e}): {stdout}"));
        let listed = |list: &serde_json::Value| -> BTreeMap<String, String> {
            list["plugins"]
                .as_array()
                .expect("plugins")
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        p["version"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        let expected_listing: BTreeMap<String, String> = [("other", "1.0.0")]
            .into_iter()
            .chain(match state {
                State::Absent => None,
                State::Version(i) => Some(("hello", ["1.0.0", "2.0.0"][i])),
            })
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        assert_eq!(listed(&list), expected_listing, "{context}: list");

        // `verify` then finds every plugin intact, with nothing more to recover.
        let (code, stdout, stderr) = self.host.run(&["verify", "--format", "json"]);
        let verified: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("{context}: verify printed no JSON ({e}): {stdout}\n{stderr}")
        });
        assert_eq!(code, 0, "{context}: verify: {verified}\n{stderr}");
        assert!(
            stderr.is_empty(),
            "{context}: verify after list still had something to say: {stderr:?}"
        );
        let stderr = list_stderr;
        let seen: Vec<&str> = NOTES
            .iter()
            .filter(|(_, text)| stderr.contains(text))
            .map(|(key, _)| *key)
            .collect();
        if journal {
            assert!(
                seen.len() == 1 && seen[0] != "staging-only",
                "{context}: a journal was left, but verify said: {stderr:?}"
            );
        } else if staging {
            assert_eq!(seen, ["staging-only"], "{context}: {stderr:?}");
        } else {
            assert!(
                seen.is_empty(),
                "{context}: nothing was left, but: {stderr:?}"
            );
        }
        for key in &seen {
            *self.notes.entry(key).or_default() += 1;
        }
        let statuses: BTreeMap<String, String> = verified["plugins"]
            .as_array()
            .expect("an array")
            .iter()
            .map(|v| {
                (
                    v["name"].as_str().unwrap().to_owned(),
                    v["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected_statuses: BTreeMap<String, String> = expected_listing
            .keys()
            .map(|name| (name.clone(), "ok".to_owned()))
            .collect();
        assert_eq!(statuses, expected_statuses, "{context}: verify");

        // Recovery changed nothing in the plugins folder but its own leftovers.
        assert_eq!(self.state(), state, "{context}: recovery changed hello");
        let marker = self.host.plugins().join("hello/.pluginkit-txn");
        assert!(!marker.exists(), "{context}: the marker is left");
        assert!(self.host.staging().is_empty(), "{context}: staging left");
        assert!(
            !self.host.path(".pluginkit/journal.json").exists(),
            "{context}: journal left"
        );
        if self.fixed_files {
            let (now, fixed) = (self.records(), self.installed_records.clone());
            let fixed = fixed.expect("the files sync --locked installs from");
            assert!(
                now.toml == fixed.toml && now.lock == fixed.lock,
                "{context}: sync --locked changed pluginkit.toml or pluginkit.lock"
            );
        } else {
            let locked: BTreeMap<String, String> = self.host.locked().into_iter().collect();
            assert_eq!(locked, expected_listing, "{context}: pluginkit.lock");
            let host_toml: toml::Table = std::fs::read_to_string(self.host.path("pluginkit.toml"))
                .expect("pluginkit.toml")
                .parse()
                .expect("pluginkit.toml stays TOML");
            let recorded: Vec<&String> = host_toml
                .get("plugins")
                .and_then(|p| p.as_table())
                .map(|t| t.keys().collect())
                .unwrap_or_default();
            assert_eq!(
                recorded,
                expected_listing.keys().collect::<Vec<_>>(),
                "{context}: [plugins] in pluginkit.toml"
            );
        }
        let receipts = install::names_with_prefix(&self.host.path(".pluginkit/receipts"), "");
        assert_eq!(
            receipts.len(),
            expected_listing.len(),
            "{context}: receipts {receipts:?}"
        );

        // What left the plugins folder is in the backups, unless it was not to be kept.
        let now = self.backup_ids();
        assert!(now.len() <= 3, "{context}: {} backups", now.len());
        (state, seen)
    }

    fn expect_backup_of(&self, context: &str, version: usize, before: &[PathBuf]) {
        let now = self.backup_ids();
        let newest = now.last().unwrap_or_else(|| panic!("{context}: no backup"));
        assert!(
            !before.contains(newest),
            "{context}: no new backup (before {before:?}, now {now:?})"
        );
        assert_eq!(
            installed_files(newest),
            self.versions[version],
            "{context}: the newest backup is not what was replaced"
        );
    }

    fn ensure(&self, state: State) {
        let current = self.state();
        if current == state {
            return;
        }
        let (code, _, stderr) = match state {
            State::Absent => self.host.run(&["remove", "--no-backup", "hello"]),
            State::Version(i) => {
                let zip = format!("hello-{}.zip", i + 1);
                let mut args = vec!["add", zip.as_str()];
                if current != State::Absent {
                    args.push("--force");
                }
                self.host.run(&args)
            }
        };
        assert_eq!(code, 0, "resetting to {state:?}: {stderr}");
    }
}

/// A command to kill (`add`, `add --force`, `remove`, `restore` or `sync --locked`), and the
/// named steps to kill it at.
struct Scenario {
    name: &'static str,
    steps: &'static [&'static str],
}

/// Kill one run of `scenario` (at `step`, or after `delay`); returns whether it was killed.
fn one_kill(lab: &mut Lab, scenario: &Scenario, round: usize, kill: Kill) -> bool {
    let (from, to, args) = lab.prepare(scenario, round);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let before = lab.backup_ids();
    let (killed, what) = match kill {
        Kill::At(step) => {
            lab.kill_at(&args, step);
            (true, format!("{args:?} killed at {step}"))
        }
        Kill::After(delay) => (
            lab.kill_after(&args, delay),
            format!("{args:?} killed after {delay:?}"),
        ),
    };
    let (state, notes) = lab.check_after_kill(&what, from, to);
    if let Kill::At(step) = kill {
        // Before the swap (or the move) the run is undone; after it, finished.
        let expected = match step {
            // Staged, before the host lock: the staging folder is all there is to sweep.
            "install-staged" => ("staging-only", from),
            "install-journaled" => ("undid-install", from),
            "remove-journaled" => ("not-removed", from),
            _ if step.starts_with("install-") => ("finished-install", to),
            _ => ("finished-remove", to),
        };
        assert_eq!(
            (notes.as_slice(), state),
            (&[expected.0][..], expected.1),
            "{what}"
        );
    }
    let keeps_backup = !args.contains(&"--no-backup");
    if state == to && from != State::Absent && keeps_backup {
        let State::Version(old) = from else {
            unreachable!()
        };
        lab.expect_backup_of(&what, old, &before);
    }
    if scenario.name == "restore" {
        let now = lab.backup_ids();
        if state == to {
            // Back as it was recorded before the removal; its backup gone with the restore.
            let recorded = lab.installed_records.clone().expect("remembered");
            assert_eq!(lab.records(), recorded, "{what}: the records restored");
            assert_eq!(now.len() + 1, before.len(), "{what}: backups {now:?}");
            assert!(!now.contains(&before[before.len() - 1]), "{what}");
        } else {
            assert_eq!(now, before, "{what}: an undone restore keeps the backup");
        }
    }
    killed
}

#[derive(Debug, Clone, Copy)]
enum Kill {
    At(&'static str),
    After(Duration),
}

fn crash(scenario: Scenario) {
    let mut lab = Lab::new();
    let started = Instant::now();
    let mut kills = 0;
    let mut round = 0;
    for step in scenario.steps {
        for _ in 0..KILLS_PER_STEP {
            assert!(one_kill(&mut lab, &scenario, round, Kill::At(step)));
            kills += 1;
            round += 1;
        }
    }
    // Random delays over the time an uninterrupted run takes (measured here: about 10 to 50 ms
    // for a debug build), so that the kills fall all along the run.
    let window = lab
        .duration(&scenario)
        .min(Duration::from_millis(200))
        .as_micros() as u64;
    let mut random_kills = 0;
    let mut attempts = 0;
    while random_kills < RANDOM_KILLS {
        attempts += 1;
        assert!(
            attempts < 20 * RANDOM_KILLS,
            "only {random_kills} of {attempts} random kills landed before the child finished"
        );
        let delay = Duration::from_micros(lab.random(window + 1));
        if one_kill(&mut lab, &scenario, round, Kill::After(delay)) {
            random_kills += 1;
        }
        round += 1;
    }
    kills += random_kills;
    eprintln!(
        "{}: {kills} kills ({random_kills} at random in {window} us, of {attempts} tries), seed {}, {:?}; recovery: {:?}",
        scenario.name,
        lab.seed,
        started.elapsed(),
        lab.notes
    );
    assert!(kills >= 50);
    // The host stays usable, and no temporary file of an interrupted write is left.
    lab.ensure(State::Version(0));
    let (code, _, stderr) = lab.host.run(&["add", "hello-2.zip", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    for dir in ["", ".pluginkit", ".pluginkit/receipts"] {
        let left = install::names_with_prefix(&lab.host.path(dir), ".pluginkit-write-");
        assert!(left.is_empty(), "{dir}: {left:?}");
    }
}

#[test]
fn add_killed_anywhere_leaves_nothing_or_the_whole_plugin() {
    crash(Scenario {
        name: "add",
        steps: &[
            "install-staged",
            "install-journaled",
            "install-swapped",
            "install-backed-up",
            "install-recorded",
        ],
    });
}

#[test]
fn add_force_killed_anywhere_leaves_the_old_or_the_new_plugin() {
    crash(Scenario {
        name: "add --force",
        steps: &[
            "install-staged",
            "install-journaled",
            "install-swapped",
            "install-backed-up",
            "install-recorded",
        ],
    });
}

#[test]
fn remove_killed_anywhere_leaves_the_plugin_or_its_backup() {
    crash(Scenario {
        name: "remove",
        steps: &[
            "remove-journaled",
            "remove-moved",
            "remove-backed-up",
            "remove-recorded",
        ],
    });
}

#[test]
fn restore_killed_anywhere_leaves_the_backup_or_the_plugin_with_its_records() {
    crash(Scenario {
        name: "restore",
        steps: &[
            "install-journaled",
            "install-swapped",
            "install-backed-up",
            "install-recorded",
        ],
    });
}

#[test]
fn sync_locked_killed_anywhere_never_writes_pluginkit_toml_or_the_lock() {
    crash(Scenario {
        name: "sync --locked",
        steps: &[
            "install-journaled",
            "install-swapped",
            "install-backed-up",
            "install-recorded",
        ],
    });
}

/// Recovery is itself a transaction that can be killed: a run killed after the swap, then the
/// `verify` that finishes it killed in turn at each later step, and the next run still ends
/// with the new plugin whole, recorded and the old one in the backups.
#[test]
fn a_killed_recovery_is_finished_by_the_next_run() {
    let mut lab = Lab::new();
    let cases: [(&[&str], &str, &[&str]); 2] = [
        (
            &["add", "hello-2.zip", "--force"],
            "install-swapped",
            &["install-backed-up", "install-recorded"],
        ),
        (
            &["remove", "hello"],
            "remove-moved",
            &["remove-backed-up", "remove-recorded"],
        ),
    ];
    for (args, first, later) in cases {
        for step in later {
            lab.ensure(State::Version(0));
            let before = lab.backup_ids();
            lab.kill_at(args, first);
            lab.kill_at(&["verify"], step);
            let what = format!("{args:?} killed at {first}, then its recovery at {step}");
            let to = if args[0] == "add" {
                State::Version(1)
            } else {
                State::Absent
            };
            let (state, notes) = lab.check_after_kill(&what, State::Version(0), to);
            assert_eq!(state, to, "{what}");
            let finished = if args[0] == "add" {
                "finished-install"
            } else {
                "finished-remove"
            };
            assert_eq!(notes, [finished], "{what}");
            lab.expect_backup_of(&what, 0, &before);
        }
    }
}

/// A change that fails after the swap (here the backup of the replaced plugin cannot be made: a
/// file stands where hello's backups folder goes) must not take the replaced plugin with it:
/// the swap put it in the staging folder, which stays for recovery instead of going with the
/// failed run, and once the cause is gone the next run keeps it in the backups.
#[test]
fn a_failure_after_the_swap_keeps_the_replaced_plugin_for_recovery() {
    let lab = Lab::new();
    lab.ensure(State::Version(0));
    let before = lab.backup_ids();
    let running = lab
        .host
        .pluginkit()
        .args(["add", "hello-2.zip", "--force"])
        .spawn_paused("install-swapped");
    let backups = lab.host.path(".pluginkit/backups/hello");
    let aside = lab.host.path(".pluginkit/backups/hello.aside");
    if backups.exists() {
        std::fs::rename(&backups, &aside).unwrap();
    }
    std::fs::create_dir_all(backups.parent().unwrap()).unwrap();
    std::fs::write(&backups, "in the way").unwrap();
    let outcome = running.resume();
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert_eq!(lab.state(), State::Version(1), "the new plugin is in place");
    assert!(
        !lab.host.staging().is_empty(),
        "the staging folder holding the replaced plugin was removed:\n{}",
        outcome.stderr
    );

    std::fs::remove_file(&backups).unwrap();
    if aside.exists() {
        std::fs::rename(&aside, &backups).unwrap();
    }
    let (code, _, stderr) = lab.host.run(&["verify"]);
    assert!(
        stderr.contains("pluginkit: finished installing `hello`"),
        "{code}: {stderr}"
    );
    assert_eq!(lab.state(), State::Version(1));
    lab.expect_backup_of("a backup that failed after the swap", 0, &before);
    assert!(lab.host.staging().is_empty());
}
