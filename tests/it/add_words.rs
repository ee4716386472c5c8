//! What `add`'s words mean: a bare word is a plugin name looked up in the registry, whatever
//! folder of that name is here (a folder is `./hello`, as pip reads `pip install hello` and cargo
//! `cargo add hello`); a name the registry lacks gets a did-you-mean from its search.json, or,
//! when it is a folder here, how to write the folder; pip's requirement spellings get
//! pluginkit's; and outside a host `add` refuses instead of making a plugins folder, records and
//! a lock wherever it was run.

use std::path::Path;

use crate::support::install::{Host, tree};
use crate::support::registry::{Plugin, RegistryDir};
use crate::support::{TestContext, native_plugin};

/// A registry folder `reg/` holding `hello` 1.0.0 and `greeter` 0.3.0, and a host in `app/`
/// whose default registry it is.
fn registry_and_host() -> (TestContext, Host) {
    let context = TestContext::new();
    let reg = RegistryDir::new(&context, &context.path("reg"), &context.path("packages"));
    reg.publish(&Plugin::new("hello", "1.0.0"));
    reg.publish(&Plugin::new("greeter", "0.3.0"));
    let host = Host::at(&context, &context.path("app"));
    host.put(
        "pluginkit.toml",
        format!(
            "[host]\nplugins-dir = \"plugins\"\n\n[registries.default]\nindex = \"{}\"\n",
            context.path("reg").display()
        )
        .as_bytes(),
    );
    (context, host)
}

fn manifest_version(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("plugin.toml")).unwrap();
    let line = text.lines().find(|l| l.starts_with("version")).unwrap();
    line.split('"').nth(1).unwrap().to_owned()
}

#[test]
fn a_bare_word_is_the_registrys_plugin_and_a_folder_needs_dot_slash() {
    let (_context, host) = registry_and_host();
    // An unpublished plugin of the same name, in a folder here.
    native_plugin(host.root(), "hello", "");
    host.put(
        "hello/plugin.toml",
        b"[plugin]\nname = \"hello\"\nversion = \"9.9.9\"\nsummary = \"Mine\"\nauthor = \"Ada <ada@example.com>\"\nlicense = \"MIT\"\n",
    );

    let (code, _, stderr) = host.run(&["add", "hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(manifest_version(&host.plugins().join("hello")), "1.0.0");
    let lock = std::fs::read_to_string(host.path("pluginkit.lock")).unwrap();
    assert!(lock.contains("registry+"), "{lock}");

    // Written as a path, the folder is installed.
    let (code, _, stderr) = host.run(&["add", "--force", "./hello"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(manifest_version(&host.plugins().join("hello")), "9.9.9");
    let lock = std::fs::read_to_string(host.path("pluginkit.lock")).unwrap();
    assert!(lock.contains("path+./hello"), "{lock}");
}

#[test]
fn a_name_the_registry_lacks_that_is_a_folder_here_says_to_write_dot_slash() {
    let (_context, host) = registry_and_host();
    native_plugin(host.root(), "mine", "");
    let before = tree(host.root());

    let (code, stdout, stderr) = host.run(&["add", "mine"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert_eq!(
        stderr,
        "error: the registry has no plugin named `mine`\n\
         hint: there is a folder mine here: a folder is written with ./ (pluginkit add ./mine)\n"
    );
    assert_eq!(tree(host.root()), before);

    // With no registry configured, a bare word still names a plugin, not the folder: bad usage.
    let host = Host::new();
    native_plugin(host.root(), "mine", "");
    let (code, _, stderr) = host.run(&["add", "mine"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "error: `mine` is a plugin name, and no registry is configured to find it in\n\
         hint: to install the folder mine, write ./mine (a folder is written with ./, ../ or /, as pip and cargo read it)\n"
    );
    assert!(!host.plugins().join("mine").exists());
    let (code, _, stderr) = host.run(&["add", "./mine"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(host.plugins().join("mine/plugin.toml").is_file());
}

#[test]
fn a_typo_gets_a_did_you_mean_from_the_registry() {
    let (_context, host) = registry_and_host();
    let (code, _, stderr) = host.run(&["add", "helo"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "error: the registry has no plugin named `helo`\nhint: did you mean `hello`?\n"
    );
    let (code, _, stderr) = host.run(&["add", "greter@^0.3"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.ends_with("hint: did you mean `greeter`?\n"),
        "{stderr}"
    );
    assert!(!host.plugins().exists());
}

#[test]
fn pip_spellings_get_pluginkits() {
    let (_context, host) = registry_and_host();
    for (typed, meant) in [
        ("hello==0.1.0", "hello@=0.1.0"),
        ("hello>=1", "'hello@>=1'"),
        ("hello~=1.0", "'hello@>=1.0, <2'"),
        ("hello@==1.0.0", "hello@=1.0.0"),
    ] {
        let (code, stdout, stderr) = host.run(&["add", typed]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{typed}: {stderr}");
        assert!(
            stderr.ends_with(&format!(
                "hint: pluginkit writes a requirement after `@`: did you mean {meant}?\n"
            )),
            "{typed}: {stderr}"
        );
    }
    assert!(!host.plugins().exists());
    // What it suggests works.
    let (code, _, stderr) = host.run(&["add", "hello@=1.0.0"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn outside_a_host_add_refuses_and_makes_nothing() {
    let context = TestContext::new();
    let plugin = native_plugin(&context.path("src"), "hello", "");
    let work = context.path("work");
    std::fs::create_dir(&work).unwrap();
    let source = plugin.to_string_lossy().into_owned();

    let (code, stdout, stderr) = context.run_in(&work, &["add", &source]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert_eq!(
        stderr,
        "error: . is not in a host: no pluginkit.toml here or above, and no plugins folder plugins\n\
         hint: run `pluginkit init` in the application's folder first, or name the plugins folder with --plugins-dir DIR\n"
    );
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0);

    // Told where the plugins go, it installs.
    let (code, _, stderr) = context.run_in(&work, &["--plugins-dir", "plugins", "add", &source]);
    assert_eq!(code, 0, "{stderr}");
    assert!(work.join("plugins/hello/plugin.toml").is_file());
}

/// Every change outside a host is refused the way `add` is, and leaves the folder empty: `sync`
/// said an empty folder was "in sync with pluginkit.toml" (there was none), and `sync`,
/// `upgrade`, `remove`, `restore` made `.pluginkit/` wherever they were run.
#[test]
fn outside_a_host_every_change_refuses_and_makes_nothing() {
    let context = TestContext::new();
    let work = context.path("work");
    std::fs::create_dir(&work).unwrap();
    for args in [
        &["sync"][..],
        &["sync", "--locked"],
        &["upgrade"],
        &["upgrade", "hello"],
        &["remove", "hello"],
        &["restore", "hello"],
        &["restore", "--list"],
        &["enable", "hello"],
        &["disable", "--all"],
    ] {
        let (code, stdout, stderr) = context.run_in(&work, args);
        assert_eq!((code, stdout.as_str()), (2, ""), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: . is not in a host: no pluginkit.toml here or above"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(&work).unwrap().count(),
            0,
            "{args:?} wrote into the folder"
        );
    }
    // A pluginkit.toml makes it a host: sync has nothing to do and says so.
    std::fs::write(work.join("pluginkit.toml"), "[host]\n").unwrap();
    let (code, _, stderr) = context.run_in(&work, &["sync"]);
    assert_eq!(code, 0, "{stderr}");
}
