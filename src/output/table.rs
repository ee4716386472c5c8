//! Plain-text tables for `list` and friends: columns padded to their widest cell, measured in
//! terminal columns so CJK summaries line up.

use unicode_width::UnicodeWidthStr;

pub(crate) struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns; `list` adds one when a server runs.
    pub(crate) fn new(header: impl Into<Vec<&'static str>>) -> Self {
        Table {
            header: header.into(),
            rows: Vec::new(),
        }
    }

    /// A row: as many cells as the header has columns.
    pub(crate) fn row(&mut self, row: impl Into<Vec<String>>) {
        let row = row.into();
        debug_assert_eq!(row.len(), self.header.len(), "a row has a cell per column");
        self.rows.push(row);
    }

    /// The table as text; `style_header` may colour the header row. The last column is not
    /// padded, so lines carry no trailing blanks.
    pub(crate) fn render(&self, style_header: impl Fn(&str) -> String) -> String {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(visible_width(cell));
            }
        }
        let mut lines = Vec::with_capacity(self.rows.len() + 1);
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate() {
                out.push_str(cell);
                if i + 1 < n {
                    out.push_str(&" ".repeat(widths[i] - visible_width(cell) + 2));
                }
            }
            out
        };
        let header: Vec<String> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let padded = if i + 1 < n {
                    format!("{h:<w$}", w = widths[i])
                } else {
                    (*h).to_owned()
                };
                style_header(&padded)
            })
            .collect();
        lines.push(header.join("  "));
        for row in &self.rows {
            lines.push(line(row));
        }
        lines.join("\n")
    }
}

/// Width on screen, ignoring ANSI colour sequences.
fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut rest = text;
    while let Some(start) = rest.find('\x1b') {
        width += rest[..start].width();
        rest = match rest[start..].find('m') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    width + rest.width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_with_wide_characters() {
        let mut table = Table::new(["NAME", "SUMMARY"]);
        table.row(["dict".into(), "数据字典".into()]);
        table.row(["code_generator".into(), "x".into()]);
        let text = table.render(str::to_owned);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "NAME            SUMMARY");
        assert_eq!(lines[1], "dict            数据字典");
        assert_eq!(visible_width("\x1b[1mab\x1b[0m"), 2);
    }
}
