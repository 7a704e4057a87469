//! A minimal HTML table writer: header, rows, numbers right-aligned, every text escaped.

use super::escape;

/// One cell of a table.
pub(super) enum Cell {
    /// Text, escaped, left-aligned.
    Text(String),
    /// A figure, escaped, right-aligned so that digits line up.
    Num(String),
    /// Markup built by this module's callers from escaped parts (links, badges).
    Html(String),
}

/// A column: its header and whether it holds figures (right-aligned header).
pub(super) struct Column<'a> {
    /// Header text.
    pub title: &'a str,
    /// Right-align the header over figures.
    pub numeric: bool,
}

/// Shorthand for a text column.
pub(super) fn text_col(title: &str) -> Column<'_> {
    Column {
        title,
        numeric: false,
    }
}

/// Shorthand for a numeric column.
pub(super) fn num_col(title: &str) -> Column<'_> {
    Column {
        title,
        numeric: true,
    }
}

/// Writes a table with the given columns and rows, in a wrapper that scrolls sideways when
/// the page is narrower than the table (a phone), rather than overflowing the page.
pub(super) fn table(columns: &[Column], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("<div class=\"scroll\">\n<table>\n<thead><tr>");
    for c in columns {
        let class = if c.numeric { " class=\"num\"" } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", escape(c.title)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            match cell {
                Cell::Text(t) => out.push_str(&format!("<td>{}</td>", escape(t))),
                Cell::Num(t) => out.push_str(&format!("<td class=\"num\">{}</td>", escape(t))),
                Cell::Html(h) => out.push_str(&format!("<td>{h}</td>")),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}
