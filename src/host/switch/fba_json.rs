//! FBA's plugin record, the JSON string it keeps in Redis, read and written as FBA's Python
//! reads and writes it: `json.loads`, then `json.dumps(record, ensure_ascii=False)`
//! (backend/plugin/core.py `parse_plugin_config`, backend/app/admin/service/plugin_service.py
//! `update_status`, FBA 2e86d79). So objects keep their keys in order (a Python dict does), the
//! separators are `", "` and `": "`, text is not escaped beyond what JSON needs, and a float is
//! written as Python's `repr` writes it (`1e-05`, `1.5e+20`). A record pluginkit rewrites is the
//! one FBA would write for the same change; one it writes whole is the one FBA's start-up builds
//! from `plugin.toml` (read by rtoml, which keeps the file's order).

use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value, objects in their order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// `json.loads`: the value, or what is wrong with the text.
    pub(crate) fn parse(text: &str) -> Result<Json, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The value of `key` in an object (the last one, as Python's dict keeps it).
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Set `key` in an object: in place where it is (every copy), else at the end, as
    /// `dict[key] = value` does. Nothing for a value that is no object.
    pub(crate) fn set(&mut self, key: &str, value: Json) {
        if let Json::Object(entries) = self {
            let mut found = false;
            for (k, v) in entries.iter_mut() {
                if k == key {
                    *v = value.clone();
                    found = true;
                }
            }
            if !found {
                entries.push((key.to_owned(), value));
            }
        }
    }

    /// The value of `key` in an object, to change.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries
                .iter_mut()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// `json.dumps(value, ensure_ascii=False)`.
    pub(crate) fn dumps(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Json::Float(f) => out.push_str(&python_float(*f)),
            Json::Str(s) => write_str(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_str(out, key);
                    out.push_str(": ");
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The record FBA's start-up builds from a `plugin.toml` (rtoml's reading of it), before it
    /// adds `plugin.name` and `plugin.enable`; or why FBA could not store it (a date-time, which
    /// `json.dumps` refuses).
    pub(crate) fn from_toml(text: &str) -> Result<Json, String> {
        let doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| e.message().trim_end().to_owned())?;
        table(doc.as_table())
    }
}

fn table(table: &toml_edit::Table) -> Result<Json, String> {
    table
        .iter()
        .map(|(key, item)| Ok((key.to_owned(), item_json(key, item)?)))
        .collect::<Result<_, String>>()
        .map(Json::Object)
}

fn item_json(key: &str, item: &toml_edit::Item) -> Result<Json, String> {
    match item {
        toml_edit::Item::None => Ok(Json::Null),
        toml_edit::Item::Value(value) => value_json(key, value),
        toml_edit::Item::Table(t) => table(t),
        toml_edit::Item::ArrayOfTables(tables) => tables
            .iter()
            .map(table)
            .collect::<Result<_, _>>()
            .map(Json::Array),
    }
}

fn value_json(key: &str, value: &toml_edit::Value) -> Result<Json, String> {
    use toml_edit::Value;
    Ok(match value {
        Value::String(s) => Json::Str(s.value().clone()),
        Value::Integer(i) => Json::Int(i128::from(*i.value())),
        Value::Float(f) => Json::Float(*f.value()),
        Value::Boolean(b) => Json::Bool(*b.value()),
        Value::Datetime(_) => {
            return Err(format!(
                "`{key}` is a date-time, which FBA cannot store (json.dumps refuses it)"
            ));
        }
        Value::Array(items) => Json::Array(
            items
                .iter()
                .map(|v| value_json(key, v))
                .collect::<Result<_, _>>()?,
        ),
        Value::InlineTable(t) => Json::Object(
            t.iter()
                .map(|(k, v)| Ok((k.to_owned(), value_json(k, v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// A string as `json.dumps(..., ensure_ascii=False)` writes it: `"`, `\` and the control
/// characters escaped (`\n`, `\u001f`), everything else as it is. serde_json escapes the same
/// set the same way.
fn write_str(out: &mut String, s: &str) {
    // Writing a string into JSON text cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// A float as Python's `repr` writes it: the shortest digits that read back the same, in
/// positional form for exponents -4 to 15 (always with a `.`), else as `1.5e+20` / `1e-05`.
pub(crate) fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: `1.5e20`, `-1e-5`, `0e0`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    if (-4..16).contains(&exp) {
        let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
        let point = exp + 1;
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exp_sign}{:02}", exp.unsigned_abs())
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Int(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            entries.push((key, value));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_python_repr_writes_them() {
        for (f, python) in [
            (1.5e20, "1.5e+20"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (123.456, "123.456"),
            (-2.5e-7, "-2.5e-07"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ] {
            assert_eq!(python_float(f), python, "{f}");
        }
    }

    #[test]
    fn a_record_is_rewritten_as_json_dumps_writes_it() {
        // What Python 3 printed for this record, read back and dumped again.
        let text = r#"{"plugin": {"summary": "é \"x\"\n", "zeta": 1, "alpha": 1.5e+20, "tiny": 1e-05, "name": "n", "enable": "1"}, "app": {"router": ["v1"]}, "api": {"a": {"prefix": "/a"}}, "e": {}, "l": []}"#;
        let mut json = Json::parse(text).unwrap();
        assert_eq!(json.dumps(), text);
        json.get_mut("plugin")
            .unwrap()
            .set("enable", Json::Str("0".into()));
        assert_eq!(
            json.dumps(),
            text.replace(r#""enable": "1""#, r#""enable": "0""#)
        );
    }

    #[test]
    fn a_plugin_toml_becomes_the_record_fba_builds() {
        // rtoml 0.13 and json.dumps printed this for the same file.
        let toml = "[plugin]\nsummary = \"x\"\nzeta = 1\nalpha = 1.5e20\ntiny = 0.00001\n[app]\nrouter = [\"v1\"]\n[api.a]\nprefix = \"/a\"\n";
        let mut json = Json::from_toml(toml).unwrap();
        let plugin = json.get_mut("plugin").unwrap();
        plugin.set("name", Json::Str("n".into()));
        plugin.set("enable", Json::Str("1".into()));
        assert_eq!(
            json.dumps(),
            r#"{"plugin": {"summary": "x", "zeta": 1, "alpha": 1.5e+20, "tiny": 1e-05, "name": "n", "enable": "1"}, "app": {"router": ["v1"]}, "api": {"a": {"prefix": "/a"}}}"#
        );
        assert!(Json::from_toml("[plugin]\nat = 1979-05-27T07:32:00Z\n").is_err());
    }
}
