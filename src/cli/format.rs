//! `--format`: each command declares the formats it supports as a value enum ([`HumanJson`],
//! [`ListFormat`], [`ValidateFormat`]) in a [`FormatArg`], so an unsupported one is a usage
//! error (exit 2) that names the command and its formats.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, ValueEnum};

/// The formats of a command's `--format`, as a value enum listing exactly those it supports;
/// the default one is [`Default`].
pub(crate) trait Formats:
    ValueEnum + Default + Copy + Send + Sync + std::fmt::Debug + 'static
{
}

/// `--format`, for a command whose formats are `F`.
#[derive(Debug, Clone, Args)]
pub(crate) struct FormatArg<F: Formats> {
    /// Output format [default: human]
    #[arg(long = "format", value_name = "FORMAT", value_parser = FormatParser::<F>(PhantomData))]
    format: Option<F>,
}

impl<F: Formats> FormatArg<F> {
    /// The format asked for, or the command's default.
    pub(crate) fn get(&self) -> F {
        self.format.unwrap_or_default()
    }

    /// The format asked for, by the name `--format` takes.
    pub(crate) fn name(&self) -> String {
        self.get()
            .to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }

    /// Take `text` (a `--format` before the command's name) unless the command has its own.
    pub(super) fn or_parse(&mut self, command: &str, text: &str) -> Result<(), clap::Error> {
        if self.format.is_none() {
            self.format = Some(parse_format(&format!("pluginkit {command}"), text)?);
        }
        Ok(())
    }
}

/// Parses `--format` into the command's value enum; an unsupported format is a usage error
/// (exit 2) that names the command and its formats.
#[derive(Clone)]
struct FormatParser<F>(PhantomData<F>);

impl<F: Formats> TypedValueParser for FormatParser<F> {
    type Value = F;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<F, clap::Error> {
        let command = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
        parse_format(command, &value.to_string_lossy()).map_err(|e| e.with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            F::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// `text` as one of `F`, for `command` (as typed, e.g. `pluginkit list`).
fn parse_format<F: Formats>(command: &str, text: &str) -> Result<F, clap::Error> {
    F::from_str(text, false).map_err(|_| {
        let names: Vec<String> = F::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|v| v.get_name().to_owned())
            .collect();
        unsupported(command, text, &names)
    })
}

pub(super) fn unsupported(command: &str, text: &str, supported: &[String]) -> clap::Error {
    let hint = if supported.is_empty() {
        "it prints no formats; leave --format out".to_owned()
    } else {
        format!("use one of: {}", supported.join(", "))
    };
    clap::Error::raw(
        ErrorKind::InvalidValue,
        format!("`{command}` has no `{text}` format\nhint: {hint}\n"),
    )
}

/// The formats of most commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum HumanJson {
    /// Text for people (also accepted as `table`)
    #[default]
    #[value(alias = "table")]
    Human,
    /// JSON, stable and documented in the README
    Json,
}

impl Formats for HumanJson {}

/// The formats of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ListFormat {
    /// A table for people (also accepted as `table`)
    #[default]
    #[value(alias = "table")]
    Human,
    /// JSON, stable and documented in the README
    Json,
    /// Comma-separated values with a header row
    Csv,
}

impl Formats for ListFormat {}

/// The formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ValidateFormat {
    /// Text for people (also accepted as `table`)
    #[default]
    #[value(alias = "table")]
    Human,
    /// JSON, stable and documented in the README
    Json,
    /// GitHub Actions workflow annotations
    Github,
    /// SARIF 2.1.0 for code scanning
    Sarif,
}

impl Formats for ValidateFormat {}
