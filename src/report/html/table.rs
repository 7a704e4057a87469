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
/// the page is narrower than the table (a phone), rather than overflowing the page. The
/// wrapper is a named region that takes the keyboard's focus, so that a keyboard can scroll
/// it and a screen reader names it; `caption` names the table (read aloud, not shown: the
/// section's heading says it on screen). Column headers and each row's first cell are header
/// cells, so that a screen reader says which row and column a figure is in.
pub(super) fn table(caption: &str, columns: &[Column], rows: &[Vec<Cell>]) -> String {
    table_with(caption, columns, rows, true)
}

/// [`table`], with the first column kept in view while the table scrolls sideways only when
/// `sticky`: a first column that names each row's subject once for a group of rows (the
/// batch index's scenarios) would stay in view blank.
pub(super) fn table_with(
    caption: &str,
    columns: &[Column],
    rows: &[Vec<Cell>],
    sticky: bool,
) -> String {
    let caption = escape(caption);
    let class = if sticky { "scroll" } else { "scroll free" };
    let mut out = format!(
        "<div class=\"{class}\" role=\"region\" tabindex=\"0\" aria-label=\"{caption}\">\n\
         <table>\n<caption class=\"sr\">{caption}</caption>\n<thead><tr>"
    );
    for c in columns {
        let class = if c.numeric { " class=\"num\"" } else { "" };
        out.push_str(&format!(
            "<th scope=\"col\"{class}>{}</th>",
            escape(c.title)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let (tag, scope) = if i == 0 {
                ("th", " scope=\"row\"")
            } else {
                ("td", "")
            };
            match cell {
                Cell::Text(t) => out.push_str(&format!("<{tag}{scope}>{}</{tag}>", escape(t))),
                Cell::Num(t) => out.push_str(&format!(
                    "<{tag}{scope} class=\"num\">{}</{tag}>",
                    escape(t)
                )),
                Cell::Html(h) => out.push_str(&format!("<{tag}{scope}>{h}</{tag}>")),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}
