//! Plain-text tables for `list` and friends: columns padded to their widest cell, measured in
//! terminal columns so CJK summaries line up; fitted to the terminal's width, when there is one,
//! by cutting the cells of the columns that may be cut, with `…`.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub(crate) struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Per column: where its cells may be cut, and the narrowest it may become.
    cuts: Vec<Option<(Cut, usize)>>,
    /// The columns that may be cut, in the order they give way.
    order: Vec<usize>,
}

/// Where a cell that is too wide loses its characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// `A long summa…`: for text read from the start.
    End,
    /// `plugins/…/hello`: for paths and sources, whose two ends say the most.
    Middle,
}

impl Table {
    /// A table with these columns; `list` adds one when a server runs.
    pub(crate) fn new(header: impl Into<Vec<&'static str>>) -> Self {
        let header = header.into();
        Table {
            cuts: vec![None; header.len()],
            order: Vec::new(),
            header,
            rows: Vec::new(),
        }
    }

    /// Let the column `header` be cut (at its `cut`), down to `min` columns, when the table is
    /// fitted to a width; the columns give way in the order this is called for them, each down
    /// to its narrowest before the next is cut. A column whose narrowest is 0 is left out whole.
    pub(crate) fn cut(&mut self, header: &str, cut: Cut, min: usize) {
        if let Some(i) = self.header.iter().position(|h| *h == header) {
            let min = if min == 0 {
                0
            } else {
                min.max(self.header[i].width())
            };
            self.cuts[i] = Some((cut, min));
            self.order.push(i);
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
        self.render_within(None, style_header)
    }

    /// [`render`](Self::render), fitted to `width` columns when one is given: the columns that
    /// may be cut give way in their order until every line fits (or each is at its narrowest),
    /// and the cells wider than their column are cut with `…`.
    pub(crate) fn render_within(
        &self,
        width: Option<usize>,
        style_header: impl Fn(&str) -> String,
    ) -> String {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(visible_width(cell));
            }
        }
        let mut shown = vec![true; n];
        if let Some(limit) = width {
            let natural = widths.clone();
            let gaps = 2 * n.saturating_sub(1);
            let mut excess = (widths.iter().sum::<usize>() + gaps).saturating_sub(limit);
            for &i in &self.order {
                match self.cuts[i] {
                    Some((_, 0)) if excess > 0 => {
                        shown[i] = false;
                        let freed = natural[i] + 2;
                        // What a column left out frees beyond the excess goes back to the
                        // columns cut before it, the last cut first.
                        let mut slack = freed.saturating_sub(excess);
                        excess = excess.saturating_sub(freed);
                        let before = self.order.iter().position(|&j| j == i).unwrap_or(0);
                        for &j in self.order[..before].iter().rev() {
                            let back = slack.min(natural[j] - widths[j]);
                            widths[j] += back;
                            slack -= back;
                        }
                    }
                    Some((_, min)) => {
                        let give = excess.min(widths[i].saturating_sub(min));
                        widths[i] -= give;
                        excess -= give;
                    }
                    None => {}
                }
            }
        }
        // The columns left out are taken out of every row, the header's too.
        let keep = |cells: Vec<String>| -> Vec<String> {
            cells
                .into_iter()
                .zip(&shown)
                .filter_map(|(cell, &shown)| shown.then_some(cell))
                .collect()
        };
        let fitted: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                keep(
                    row.iter()
                        .enumerate()
                        .map(|(i, cell)| match self.cuts[i] {
                            Some((cut, _)) if visible_width(cell) > widths[i] => {
                                cut_to(&strip_colour(cell), widths[i], cut)
                            }
                            _ => cell.clone(),
                        })
                        .collect(),
                )
            })
            .collect();
        let headers: Vec<&str> = self
            .header
            .iter()
            .zip(&shown)
            .filter_map(|(h, &shown)| shown.then_some(*h))
            .collect();
        let widths: Vec<usize> = widths
            .into_iter()
            .zip(&shown)
            .filter_map(|(w, &shown)| shown.then_some(w))
            .collect();
        let n = headers.len();
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
        let header: Vec<String> = headers
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
        for row in &fitted {
            lines.push(line(row));
        }
        lines.join("\n")
    }
}

/// `text` (no colour) cut to `width` columns, `…` where it was cut.
fn cut_to(text: &str, width: usize, cut: Cut) -> String {
    if width == 0 {
        return String::new();
    }
    // Take characters from one end while they fit in `room` columns.
    let take = |chars: &mut dyn Iterator<Item = char>, room: usize| {
        let mut taken = String::new();
        let mut used = 0;
        for c in chars {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            taken.push(c);
        }
        taken
    };
    let room = width - 1;
    match cut {
        Cut::End => format!("{}…", take(&mut text.chars(), room)),
        Cut::Middle => {
            let head = take(&mut text.chars(), room / 2);
            let tail: String = take(&mut text.chars().rev(), room - room / 2)
                .chars()
                .rev()
                .collect();
            format!("{head}…{tail}")
        }
    }
}

/// `text` without its ANSI colour sequences: a cell that is cut loses its colour rather than
/// keep half a sequence.
fn strip_colour(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('\x1b') {
        out.push_str(&rest[..start]);
        rest = match rest[start..].find('m') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
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

    #[test]
    fn a_table_fits_its_width_by_cutting_the_columns_that_may_be_cut() {
        let mut table = Table::new(["NAME", "PATH", "SOURCE", "SUMMARY"]);
        // The summary gives way first, then the path goes, then the source is cut.
        table.cut("SUMMARY", Cut::End, 10);
        table.cut("PATH", Cut::Middle, 0);
        table.cut("SOURCE", Cut::Middle, 8);
        table.row([
            "hello".into(),
            "plugins/hello".into(),
            "url example.com/…/hello-1.0.0.zip".into(),
            "Greets everyone who visits the site, in their own language".into(),
        ]);
        let text = table.render_within(Some(40), str::to_owned);
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?} is {} wide", line.width());
        }
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("NAME   SOURCE"), "{text}");
        assert!(!text.contains("plugins/hello"), "{text}");
        assert!(lines[1].starts_with("hello  url examp"), "{text}");
        assert!(lines[1].ends_with("Greets ev…"), "{text}");
        // Where leaving the path out is enough, the summary gets back what it can.
        let text = table.render_within(Some(80), str::to_owned);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].width() <= 80 && lines[1].width() > 70, "{text}");
        assert!(
            lines[1].contains("url example.com/…/hello-1.0.0.zip"),
            "{text}"
        );
        assert_eq!(cut_to("plugins/hello", 7, Cut::Middle), "plu…llo");
        assert_eq!(cut_to("数据字典", 5, Cut::End), "数据…");
        // Wide enough: as it is.
        assert_eq!(
            table.render_within(Some(200), str::to_owned),
            table.render(str::to_owned)
        );
    }
}
