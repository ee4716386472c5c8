//! The catalogue of validation rules. Every finding carries one of these; the codes are stable
//! (CI configurations and SARIF consumers key on them), so a rule is never renumbered: a retired
//! rule keeps its code unused.

use std::fmt;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One validation rule.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `PK0101`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `toml-syntax`.
    pub name: &'static str,
    pub severity: Severity,
    /// One sentence saying what the rule checks.
    pub(crate) summary: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $code:literal, $name:literal, $severity:ident, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub(crate) static $ident: Rule = Rule {
                code: $code,
                name: $name,
                severity: Severity::$severity,
                summary: $summary,
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    NOT_A_PLUGIN = "PK0001", "not-a-plugin", Warning,
        "A folder inside the plugins folder holds no manifest that any flavor recognises.";
    UNREADABLE = "PK0002", "unreadable-file", Error,
        "A manifest or metadata file cannot be read, or is not UTF-8 text.";
    // PK0003 (flavor-unavailable) is retired: every flavor has a reader. Never reuse it.
    HOST_CONFIG = "PK0004", "invalid-host-config", Error,
        "The host's pluginkit.toml is malformed.";

    TOML_SYNTAX = "PK0101", "toml-syntax", Error,
        "The manifest is not valid TOML.";
    DUPLICATE_KEY = "PK0102", "duplicate-key", Error,
        "A key or table is defined twice.";
    UNKNOWN_KEY = "PK0103", "unknown-key", Warning,
        "A key or table that the flavor does not know; often a typo.";
    WRONG_TYPE = "PK0104", "wrong-type", Error,
        "A value has the wrong TOML type, or a table is given where a value belongs (or the reverse).";
    MISSING_KEY = "PK0105", "missing-key", Error,
        "A required key or table is missing.";

    INVALID_NAME = "PK0201", "invalid-name", Error,
        "The plugin name is not allowed: it must match ^[a-z][a-z0-9_]{0,63}$.";
    NAME_FOLDER_MISMATCH = "PK0202", "name-folder-mismatch", Error,
        "The plugin name differs from the name of the folder that holds it.";
    INVALID_VERSION = "PK0203", "invalid-version", Error,
        "The version is not a SemVer 2.0 version.";
    INVALID_SUMMARY = "PK0204", "invalid-summary", Error,
        "The summary is empty, longer than 100 characters, or more than one line.";
    EMPTY_AUTHOR = "PK0205", "empty-author", Error,
        "The author is empty.";
    MISSING_LICENSE = "PK0206", "missing-license", Warning,
        "The plugin declares no license.";
    MISSING_README = "PK0207", "missing-readme", Error,
        "The readme file named by the manifest (README.md by default) does not exist.";
    INVALID_STATE = "PK0208", "invalid-state", Error,
        "The declared state is neither `enabled` nor `disabled`.";
    INVALID_REQUIRES = "PK0209", "invalid-requires", Error,
        "The host version requirement is not a valid version requirement.";
    INVALID_DEPENDENCY = "PK0210", "invalid-dependency", Error,
        "A dependency has an invalid name or version requirement, or names the plugin itself.";
    INVALID_HOMEPAGE = "PK0211", "invalid-homepage", Warning,
        "The homepage is not an http or https URL.";
    HOST_VERSION_MISMATCH = "PK0212", "host-version-mismatch", Error,
        "The plugin requires a host version that the host (`[host] version`) is not.";
    EMPTY_FIELD = "PK0213", "empty-field", Warning,
        "An optional text field is present but empty.";
    EXPECTED_VERSION = "PK0214", "expected-version", Error,
        "The plugin's version is not the one `validate --expect-version` names (the release tag being pushed; `v1.2.0` matches 1.2.0).";

    FBA_INVALID_NAME = "PK0301", "fba-invalid-name", Error,
        "An FBA plugin's folder name must match ^[a-zA-Z0-9_]+$.";
    FBA_INVALID_VERSION = "PK0302", "fba-invalid-version", Error,
        "An FBA plugin's version must be x.y.z (^\\d+\\.\\d+\\.\\d+$).";
    FBA_TEXT_LENGTH = "PK0303", "fba-text-length", Error,
        "An FBA summary (1-100), description (1-500) or author (1-50) has the wrong length.";
    FBA_INVALID_TAGS = "PK0304", "fba-invalid-tags", Error,
        "FBA tags must be a non-empty list of ai, mcp, agent, auth, storage, notification, task, payment, other.";
    FBA_INVALID_DATABASE = "PK0305", "fba-invalid-database", Error,
        "FBA database must be a non-empty list of mysql, postgresql.";
    FBA_INVALID_DEPENDS_ON = "PK0306", "fba-invalid-depends-on", Error,
        "FBA depends_on entries must be non-empty plugin names other than the plugin itself.";
    FBA_MISSING_EXTEND = "PK0307", "fba-missing-extend", Error,
        "An extend-level FBA plugin (one with [api]) must name the app it extends in [app].extend.";
    FBA_INVALID_ROUTER = "PK0308", "fba-invalid-router", Error,
        "An app-level FBA plugin must list its routers in [app].router.";
    FBA_INVALID_API_NAME = "PK0309", "fba-invalid-api-name", Error,
        "An [api.<name>] table name must match ^[a-zA-Z_][a-zA-Z0-9_]*$.";
    FBA_INVALID_API_PREFIX = "PK0310", "fba-invalid-api-prefix", Error,
        "An API prefix must match ^/[a-zA-Z0-9_/-]*$.";
    FBA_INVALID_API_TAGS = "PK0311", "fba-invalid-api-tags", Error,
        "An API's tags must be a non-empty string.";
    FBA_MISSING_API_FILE = "PK0312", "fba-missing-api-file", Warning,
        "An [api.<name>] table matches no <name>.py anywhere under api/, so FBA ignores it.";
    FBA_SETTINGS_CASE = "PK0313", "fba-settings-case", Error,
        "FBA [settings] keys must be upper case.";
    FBA_MISSING_SQL = "PK0314", "fba-missing-sql", Error,
        "An FBA plugin with a model/ folder must ship its SQL scripts under sql/mysql/ or sql/postgresql/.";
    FBA_MISSING_FILE = "PK0315", "fba-missing-file", Error,
        "An FBA plugin folder has no __init__.py (FBA does not load it), or an FBA package has no README.md (FBA's ZIP install refuses it).";
    FBA_MISSING_ROUTER_MODULE = "PK0316", "fba-missing-router-module", Error,
        "An app-level FBA plugin has no api/router.py, from which FBA imports its routers at start-up.";
    FBA_PARTIAL_SQL = "PK0317", "fba-partial-sql", Warning,
        "A database listed in [plugin].database has no complete set of SQL scripts.";
    FBA_API_FILE_WITHOUT_TABLE = "PK0318", "fba-api-file-without-table", Error,
        "A .py file under an extend-level FBA plugin's api/ has no [api.<stem>] table: FBA 1.4.0 and later stop at start-up (KeyError).";
    FBA_API_FILE_AT_API_ROOT = "PK0319", "fba-api-file-at-api-root", Error,
        "An extend-level FBA plugin's API file sits directly in api/: FBA mounts each file on the extended app's package at the same path under api/ (e.g. api/v1/sys/), and there is none for api/ itself.";
    FBA_MISSING_API_FOLDER = "PK0320", "fba-missing-api-folder", Error,
        "An extend-level FBA plugin (one with [api]) has no api/ folder.";
    FBA_DEPRECATED_INCLUDE = "PK0321", "fba-deprecated-include", Warning,
        "[app].include, FBA's first name for extend: FBA 1.6.0 to 1.10.x warn about it (1.11.0 and later do not read it).";
    FBA_CAPABILITY_TABLE = "PK0322", "fba-capability-table", Error,
        "A capability-level FBA plugin (FBA 1.15 and later; neither [app] nor [api]) holds a table other than [plugin] and [settings].";
    FBA_MODEL_NEEDS_DATABASE = "PK0323", "fba-model-needs-database", Error,
        "An FBA plugin with a model/ folder does not declare `database` in [plugin] (FBA 1.15 and later).";
    // @@fba-rules@@

    DUPLICATE_PLUGIN = "PK0401", "duplicate-plugin", Error,
        "Two plugins in one plugins folder have the same name.";
    MISSING_DEPENDENCY = "PK0402", "missing-dependency", Error,
        "A plugin depends on a plugin that is not in the plugins folder.";
    DEPENDENCY_CYCLE = "PK0403", "dependency-cycle", Error,
        "Plugins depend on each other in a cycle.";
    DEPENDENCY_VERSION = "PK0404", "dependency-version", Error,
        "An installed dependency's version does not match the requirement.";

    ARCHIVE_UNREADABLE = "PK0501", "archive-unreadable", Error,
        "The package is not a readable ZIP archive.";
    UNSAFE_PATH = "PK0502", "unsafe-path", Error,
        "An archive entry's path is absolute, has a drive letter, or leads out of the plugin with `..`.";
    ARCHIVE_LINK = "PK0503", "archive-link", Error,
        "An archive entry is a symbolic link or a special file.";
    DUPLICATE_ENTRY = "PK0504", "duplicate-entry", Error,
        "Two archive entries have the same name, or names that differ only in case.";
    ENCRYPTED_ENTRY = "PK0505", "encrypted-entry", Error,
        "An archive entry is encrypted.";
    ARCHIVE_LAYOUT = "PK0506", "archive-layout", Error,
        "The archive holds no plugin manifest at its root or in its single top-level folder.";
    ARCHIVE_TOO_LARGE = "PK0507", "archive-too-large", Error,
        "An archive has too many entries, or entries too large or too highly compressed (a ZIP bomb).";
    SECRET_FILE = "PK0508", "secret-file", Warning,
        "A file of the plugin folder looks like a secret (a private key, credentials), and `pluginkit package` would refuse to pack it.";

    // PK06xx: the Python flavors (flask-pluginkit, fastcms).
    PYTHON_SYNTAX = "PK0601", "python-syntax", Error,
        "`__init__.py` is not valid Python as the host's Python reads it (a Python 2 form such as `except X, e:`, or syntax newer than that Python), so the host cannot import the plugin.";
    PYTHON_ENCODING = "PK0602", "python-encoding", Error,
        "`__init__.py` is not in the encoding it declares (UTF-8 unless a PEP 263 line says otherwise).";
    NOT_STATIC_REQUIRED = "PK0603", "not-static-required", Error,
        "Required metadata is computed (an f-string, a call, an import...) and cannot be read without running Python.";
    NOT_STATIC = "PK0604", "not-static", Warning,
        "Optional metadata is computed and cannot be read without running Python.";
    MISSING_REGISTER = "PK0605", "missing-register", Error,
        "The module defines, assigns or imports no `register` at its top level.";
    INVALID_APPVERSION = "PK0606", "invalid-appversion", Error,
        "`__appversion__` is not a comma-separated list of versions or comparisons Flask-PluginKit can evaluate.";
    PLUGINS_NOT_PACKAGE = "PK0607", "plugins-folder-not-package", Error,
        "Flask-PluginKit loads plugins only from a plugins folder that is a Python package (has `__init__.py`).";
    INVALID_PACKAGE_NAME = "PK0608", "invalid-package-name", Error,
        "A Flask-PluginKit plugin's folder name is one the host's version cannot load: not a Python identifier (skipped since 3.11.0), or, before 3.11.0, holding a dot (the import fails).";
    FLAVOR_CONFLICT = "PK0609", "flavor-conflict", Warning,
        "A folder holds manifests of two flavors that disagree on the plugin's name or version.";
    DECLARED_FILE_MISSING = "PK0610", "declared-file-missing", Warning,
        "`__license_file__` or `__readme_file__` names a file that does not exist.";
    INVALID_PLUGIN_META = "PK0611", "invalid-plugin-meta", Error,
        "FastCMS's `PLUGIN_META` is not a dict, so FastCMS skips the plugin.";
    METADATA_TYPE = "PK0612", "metadata-type", Warning,
        "Optional metadata is not a string.";
    PYTHON_TOO_DEEP = "PK0613", "python-too-deep", Error,
        "`__init__.py` nests brackets, blocks or operators deeper than pluginkit reads (200 levels, as CPython's limit on brackets), so it is not read.";
    UNKNOWN_EXTENSION_POINT = "PK0614", "unknown-extension-point", Error,
        "`register()` returns an extension point the host's Flask-PluginKit version does not have, so it raises PEPError at start-up.";
    UNKNOWN_HOOK = "PK0615", "unknown-hook", Error,
        "A `hep` names a hook the host's Flask-PluginKit version does not have (`before_first_request` was removed in 3.7.2), so it raises PEPError at start-up.";
    REGISTER_RETURN_TYPE = "PK0616", "register-return-type", Error,
        "`register()` returns a literal that is not a dict (or, on Flask-PluginKit 3.0.0, an empty one), so Flask-PluginKit raises PEPError.";
    DISABLED_UNKNOWN_EXTENSION = "PK0617", "disabled-unknown-extension", Warning,
        "A disabled plugin's `register()` names an extension point or hook the host does not have: the app fails to start once the plugin is enabled.";
    REGISTER_SIGNATURE = "PK0618", "register-signature", Error,
        "`register` cannot be called the way the host calls it (Flask-PluginKit: `register()`; FastCMS: `register(ctx)`), so the call raises TypeError.";
    FASTCMS_META_VALUE = "PK0619", "fastcms-meta-value", Warning,
        "A required `PLUGIN_META` entry is empty or not a string: FastCMS checks only that the keys exist, and loads the plugin with it.";
    // @@python-rules@@

    // PK07xx: the crate flavor.
    CRATE_INHERITED_UNRESOLVED = "PK0701", "crate-inherited-unresolved", Error,
        "A required field of a crate plugin (version, or the authors that stand in for author) is inherited from the workspace, and cargo could not resolve it.";
    CRATE_INHERITED_OPTIONAL_UNRESOLVED = "PK0702", "crate-inherited-optional-unresolved", Warning,
        "An optional field of a crate plugin (license, readme, homepage, repository, description) is inherited from the workspace, and cargo could not resolve it, so it goes unchecked.";
    // @@crate-rules@@

    // PK08xx: the class-based flavor (the Flask-Plugin pattern: `Name/Name.py` with `class Info`).
    CLASS_BASED_NO_INFO = "PK0801", "class-based-no-info", Error,
        "A class-based plugin's `Name.py` has no module-level `class Info`, so the loader's `module.Info` raises AttributeError and the plugin is skipped.";
    CLASS_BASED_NO_CLASS = "PK0802", "class-based-no-class", Error,
        "`Info.classname` names no class of the module, so the loader finds nothing to instantiate and the plugin never loads.";
    CLASS_BASED_INIT = "PK0803", "class-based-init", Error,
        "The plugin class cannot be instantiated with the app (`cls(app)`): its `__init__` takes no second positional parameter, or requires more.";
    CLASS_BASED_MAIN = "PK0804", "class-based-main", Error,
        "The plugin class has no `main(self)` method the loader can call without arguments.";
    CLASS_BASED_ENDPOINT_FORM = "PK0805", "class-based-endpoint-form", Warning,
        "`Info.endpoint` does not start with `/`, or ends with `/`: the pattern's routes are built as `f'{Info.endpoint}/...'`.";
    CLASS_BASED_ROUTE_SLASH = "PK0806", "class-based-route-slash", Error,
        "A route the plugin registers does not start with `/`, which Flask refuses with a ValueError at start-up.";
    CLASS_BASED_DOUBLE_SLASH = "PK0807", "class-based-double-slash", Warning,
        "A route holds `//` (often `f'/{Info.endpoint}'` with an endpoint that starts with `/`): Flask serves it only because Werkzeug merges repeated slashes, which an app can turn off (`url_map.merge_slashes`) and Werkzeug before 1.0 did not do.";
    CLASS_BASED_STRAY_MODULE = "PK0808", "class-based-stray-module", Warning,
        "A top-level `.py` file of the plugin folder has no `Info`, but the loader imports every top-level `.py` file as a plugin.";
    CLASS_BASED_LOADED_TWICE = "PK0809", "class-based-loaded-twice", Error,
        "A second top-level `.py` file imports `Info` and the plugin class, so the loader instantiates the plugin again and Flask refuses its routes a second time.";
    CLASS_BASED_VIEW_COLLISION = "PK0810", "class-based-view-collision", Error,
        "Two plugins (or a plugin and Flask's own `static`) register views under one endpoint name, which Flask refuses with an AssertionError at start-up.";
    CLASS_BASED_ROUTE_COLLISION = "PK0811", "class-based-route-collision", Error,
        "Two plugins register the same URL rule for the same method: Flask serves only the one the loader happens to load first.";
    CLASS_BASED_PLUGIN_TYPE = "PK0812", "class-based-plugin-type", Warning,
        "`Info.plugin_type` is neither `Builtin` nor `Portable`.";
    CLASS_BASED_VERSION = "PK0813", "class-based-version", Warning,
        "`Info.version` is not a SemVer 2.0 version, which packages, registries and upgrades compare by.";

    // PK09xx: what a plugin ships besides its metadata.
    REQUIREMENTS_SYNTAX = "PK0901", "requirements-syntax", Error,
        "A line of the plugin's requirements.txt is not one pip and uv read: a malformed PEP 508 requirement, an unknown option, or an include that is not a file inside the plugin.";
}

/// The rule with the given code or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in ALL {
            assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
            assert!(rule.code.len() == 6 && rule.code.starts_with("PK"));
            assert!(rule.summary.ends_with('.'), "{}", rule.code);
        }
        assert_eq!(find("pk0101"), Some(&TOML_SYNTAX));
        assert_eq!(find("unknown-key"), Some(&UNKNOWN_KEY));
    }
}
