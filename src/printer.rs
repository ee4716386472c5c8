//! The one output gateway. Results go to stdout; diagnostics, notes and progress to stderr.
//! Colour is used only on a terminal (or with `--color always`), never with `NO_COLOR`.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
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
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Writes everything the user sees.
#[derive(Debug, Clone)]
pub struct Printer {
    verbosity: Verbosity,
    color_out: bool,
    color_err: bool,
}

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const HINT: Style = AnsiColor::Cyan.on_default().bold();
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();

impl Printer {
    pub fn new(verbosity: Verbosity, color: ColorChoice, no_color: bool) -> Self {
        Printer {
            verbosity,
            color_out: color.enabled(io::stdout().is_terminal(), no_color),
            color_err: color.enabled(io::stderr().is_terminal(), no_color),
        }
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Whether stdout is coloured.
    pub fn color_stdout(&self) -> bool {
        self.color_out
    }

    /// Whether stderr is coloured.
    pub fn color_stderr(&self) -> bool {
        self.color_err
    }

    /// `text` in `style` when stdout is coloured.
    pub fn paint_out(&self, style: Style, text: impl Display) -> String {
        paint(self.color_out, style, text)
    }

    /// `text` in `style` when stderr is coloured.
    pub fn paint_err(&self, style: Style, text: impl Display) -> String {
        paint(self.color_err, style, text)
    }

    /// Write a result to stdout. A closed pipe surfaces as an error that `main` treats as
    /// success.
    pub fn out(&self, text: impl Display) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{text}")?;
        stdout.flush()
    }

    /// Write text to stdout without a newline.
    pub fn out_raw(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        stdout.flush()
    }

    /// A line for stderr, shown unless `--quiet`.
    pub fn note(&self, text: impl Display) {
        if self.verbosity != Verbosity::Quiet {
            eprintln_safe(text);
        }
    }

    /// Detail shown with `--verbose`.
    pub fn debug(&self, text: impl Display) {
        if self.verbosity == Verbosity::Verbose {
            eprintln_safe(format!("{} {text}", self.paint_err(DIM, "debug:")));
        }
    }

    /// An error report, always shown.
    pub fn error_text(&self, text: impl Display) {
        eprintln_safe(text);
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
