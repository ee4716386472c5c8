//! The one output gateway. Results go to stdout; diagnostics, notes and progress to stderr.
//! Colour is used only on a terminal (or with `--color always`), never with `NO_COLOR`.
//! Plain-text tables are in [`table`].

pub(crate) mod json;
pub(crate) mod table;

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::findings::render::human;
use crate::findings::rules::Severity;
use crate::findings::{Finding, Tally};

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self, is_terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        }
    }
}

/// How chatty to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Writes everything the user sees.
#[derive(Debug, Clone)]
pub(crate) struct Printer {
    verbosity: Verbosity,
    color_out: bool,
    color_err: bool,
    /// Whether progress bars are drawn: on a terminal, unless `--quiet`.
    progress: bool,
    /// Whether anything was written to stdout yet (shared by the clones).
    wrote: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

pub(crate) const ERROR: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const HINT: Style = AnsiColor::Cyan.on_default().bold();
pub(crate) const GOOD: Style = AnsiColor::Green.on_default().bold();
pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

impl Printer {
    pub(crate) fn new(verbosity: Verbosity, color: ColorChoice, no_color: bool) -> Self {
        Printer {
            verbosity,
            color_out: color.enabled(io::stdout().is_terminal(), no_color),
            color_err: color.enabled(io::stderr().is_terminal(), no_color),
            progress: verbosity != Verbosity::Quiet && io::stderr().is_terminal(),
            wrote: Default::default(),
        }
    }

    /// Whether anything was written to stdout: a failed run's document is printed only on a
    /// stdout that holds nothing yet, so it is never a second document.
    pub(crate) fn wrote_stdout(&self) -> bool {
        self.wrote.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A progress bar on stderr counting `len` bytes, drawn only on a terminal and not with
    /// `--quiet` (hidden in pipes, CI logs and tests). Finish it with `finish_and_clear`.
    pub(crate) fn progress_bytes(&self, len: u64, message: impl Into<String>) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Some(style) = bar_style(BYTES_TEMPLATE) {
            bar.set_style(style);
        }
        bar.set_message(message.into());
        bar
    }

    /// A progress bar for a download of `len` bytes, or of an unknown size (a counter of bytes
    /// and the rate, without a bar); drawn under the same conditions as [`Self::progress_bytes`].
    pub(crate) fn progress_download(
        &self,
        len: Option<u64>,
        message: impl Into<String>,
    ) -> ProgressBar {
        if let Some(len) = len {
            return self.progress_bytes(len, message);
        }
        if !self.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {spinner} {binary_bytes} {binary_bytes_per_sec}")
        {
            bar.set_style(style);
        }
        bar.set_message(message.into());
        bar
    }

    /// The progress of a git fetch: a spinner with what the remote says it is doing (counting
    /// and compressing objects, which on a big repository takes a while before a byte comes),
    /// until [`FetchProgress::received`] first gives the number of objects; then a bar in bytes
    /// with the rate and ETA, as a download's, and the objects counted after it. Never a bar of
    /// no length. Drawn under the same conditions as [`Self::progress_bytes`].
    pub(crate) fn progress_fetch(&self, message: impl Into<String>) -> FetchProgress {
        let bar = self.progress_spinner(message);
        bar.set_message("connecting");
        FetchProgress { bar }
    }

    /// A spinner after `message`, turning while work of no known length goes on (its message
    /// may say what); drawn under the same conditions as [`Self::progress_bytes`].
    pub(crate) fn progress_spinner(&self, message: impl Into<String>) -> ProgressBar {
        if !self.progress {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{prefix} {spinner} {wide_msg}") {
            bar.set_style(style);
        }
        bar.set_prefix(message.into());
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    }

    pub(crate) fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Whether stdout is coloured.
    pub(crate) fn color_stdout(&self) -> bool {
        self.color_out
    }

    /// `text` in `style` when stdout is coloured.
    pub(crate) fn paint_out(&self, style: Style, text: impl Display) -> String {
        paint(self.color_out, style, text)
    }

    /// `text` in `style` when stderr is coloured.
    pub(crate) fn paint_err(&self, style: Style, text: impl Display) -> String {
        paint(self.color_err, style, text)
    }

    /// Write a result to stdout. A closed pipe surfaces as an error that `main` treats as
    /// success.
    pub(crate) fn out(&self, text: impl Display) -> io::Result<()> {
        self.wrote.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{text}")?;
        stdout.flush()
    }

    /// Write text to stdout without a newline.
    pub(crate) fn out_raw(&self, text: &str) -> io::Result<()> {
        self.wrote.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
    }

    /// A line for stderr, shown unless `--quiet`. Never an error or a failure: those go through
    /// [`Self::error`], which `--quiet` does not silence.
    pub(crate) fn note(&self, text: impl Display) {
        if self.verbosity != Verbosity::Quiet {
            eprintln_safe(text);
        }
    }

    /// `warning: ...` on stderr, shown unless `--quiet`.
    pub(crate) fn warn(&self, text: impl Display) {
        self.note(format!("{} {text}", self.paint_err(WARNING, "warning:")));
    }

    /// Detail shown with `--verbose`.
    pub(crate) fn debug(&self, text: impl Display) {
        if self.verbosity == Verbosity::Verbose {
            eprintln_safe(format!("{} {text}", self.paint_err(DIM, "debug:")));
        }
    }

    /// Findings on stderr, drawn by the one renderer of findings ([`human::render_list`], which
    /// `validate` prints on stdout, its report being its result). Returns their tally.
    ///
    /// `add`, `new`, `package` and `registry publish` all show findings this one way, the way
    /// cargo shows a compiler's: an error is always drawn, also with `--quiet` (which never hides
    /// an error), and a warning unless `--quiet` (as every other warning). No summary line
    /// follows: the error that ends the command says how many errors there were, as cargo's
    /// "could not compile ... due to 2 previous errors" does.
    pub(crate) fn findings(&self, findings: &[Finding]) -> Tally {
        let tally = Tally::of(findings);
        let mut shown: Vec<&Finding> = findings
            .iter()
            .filter(|f| self.verbosity != Verbosity::Quiet || f.severity() == Severity::Error)
            .collect();
        // In the order a reader scans the files, whatever order the checks found them in.
        shown.sort_by(|a, b| a.place().cmp(&b.place()));
        let _ = io::stderr()
            .lock()
            .write_all(human::render_list(shown, self.color_err).as_bytes());
        tally
    }

    /// The one writer of errors on stderr, never silenced by `--quiet`: `error: MESSAGE`, a
    /// `Caused by:` line for each cause, and `hint: HINT`.
    pub(crate) fn error(&self, message: impl Display, causes: &[String], hint: Option<&str>) {
        let mut text = format!("{}: {message}", self.paint_err(ERROR, "error"));
        for cause in causes {
            text.push_str(&format!("\n  Caused by: {cause}"));
        }
        if let Some(hint) = hint {
            text.push_str(&format!("\n{}: {hint}", self.paint_err(HINT, "hint")));
        }
        eprintln_safe(text);
    }

    /// A diagnostic that ends the command, drawn as a snippet; never silenced by `--quiet`.
    pub(crate) fn diagnostic(&self, finding: &Finding) {
        eprintln_safe(human::render(finding, self.color_err));
    }
}

/// A download's bar: bytes, of how many, the rate and the time left.
const BYTES_TEMPLATE: &str =
    "{msg} [{wide_bar}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta}";

fn bar_style(template: &str) -> Option<ProgressStyle> {
    ProgressStyle::with_template(template)
        .ok()
        .map(|style| style.progress_chars("=> "))
}

/// The progress of a git fetch ([`Printer::progress_fetch`]); shared by libgit2's callbacks.
#[derive(Debug, Clone)]
pub(crate) struct FetchProgress {
    bar: ProgressBar,
}

impl FetchProgress {
    /// What the remote said (git's "remote:" lines: `Counting objects:  40% (4/10)`), shown
    /// while no object has come.
    pub(crate) fn remote_says(&self, text: &[u8]) {
        if self.bar.length().is_some() {
            return;
        }
        let text = String::from_utf8_lossy(text);
        // Its last line, whole or being rewritten (`\r`).
        if let Some(line) = text
            .split(['\r', '\n'])
            .map(str::trim)
            .rfind(|line| !line.is_empty())
        {
            let line: String = line.chars().filter(|c| !c.is_control()).take(100).collect();
            self.bar.set_message(format!("remote: {line}"));
        }
    }

    /// `objects` of `total` received, in `bytes` so far; then `deltas` of `total_deltas`
    /// resolved. Nothing changes while `total` is unknown (0).
    pub(crate) fn received(
        &self,
        (objects, total): (usize, usize),
        bytes: usize,
        (deltas, total_deltas): (usize, usize),
    ) {
        if total == 0 {
            return;
        }
        if self.bar.length().is_none() {
            self.bar.disable_steady_tick();
            if let Some(style) = bar_style(
                "{prefix} [{wide_bar}] {binary_bytes} {binary_bytes_per_sec} {eta}, {msg}",
            ) {
                self.bar.set_style(style);
            }
        }
        // The bytes to come are not known: what came so far per object, times the objects.
        let bytes = bytes as u64;
        let expected = match objects {
            0 => bytes,
            n => bytes.saturating_mul(total as u64) / n as u64,
        };
        self.bar.set_length(expected.max(bytes).max(1));
        self.bar.set_position(bytes);
        self.bar
            .set_message(if objects < total || total_deltas == 0 {
                format!("{objects}/{total} objects")
            } else {
                format!("resolving deltas {deltas}/{total_deltas}")
            });
    }

    pub(crate) fn finish_and_clear(&self) {
        self.bar.finish_and_clear();
    }
}

fn paint(enabled: bool, style: Style, text: impl Display) -> String {
    if enabled {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// `eprintln!` panics when stderr is closed; a closed stderr is not worth a crash.
fn eprintln_safe(text: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}
