//! Errors a person can act on: file, line, column, key path, what was found, what is
//! allowed, and the offending line with a caret under the value (rustc style).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The scenario file.
    pub file: PathBuf,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// Key path of the offending value (`paths.bootcamp.completion`); empty for syntax errors
    /// outside any key.
    pub key: String,
    /// What was found.
    pub found: String,
    /// What is allowed.
    pub allowed: String,
    /// The source line, and the caret under the span, pre-rendered.
    snippet: String,
    /// The command-line override (`--set KEY=VALUE`) the problem is in, if not the file.
    pub flag: Option<String>,
}

impl Diagnostic {
    /// A diagnostic for byte range `span` of `src`.
    pub fn new(
        file: &Path,
        src: &str,
        span: Range<usize>,
        key: impl Into<String>,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.clamp(start, src.len()));
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let line = src[..start].matches('\n').count() + 1;
        let column = src[line_start..start].chars().count() + 1;
        // Control characters are shown as visible symbols, one for one so the caret stays
        // aligned: raw, they would garble the terminal (an escape sequence, a NUL from a
        // binary file) and a tab would shift the text away from the caret.
        let text: String = src[line_start..line_end]
            .trim_end_matches('\r')
            .chars()
            .map(visible)
            .collect();
        // The caret covers the span, but never past the end of its first line.
        let width = src[start..end.min(line_end).max(start)]
            .chars()
            .count()
            .max(1);
        let gutter = line.to_string().len();
        let snippet = format!(
            "{:gutter$} |\n{line} | {text}\n{:gutter$} | {}{}",
            "",
            "",
            " ".repeat(column - 1),
            "^".repeat(width.min(text.chars().count().saturating_sub(column - 1).max(1))),
        );
        Diagnostic {
            file: file.to_path_buf(),
            line,
            column,
            key: key.into(),
            found: found.into(),
            allowed: allowed.into(),
            snippet,
            flag: None,
        }
    }

    /// A problem in a command-line override `--set KEY=VALUE` (`flag` is that text) rather
    /// than in the file.
    pub fn on_flag(
        file: &Path,
        flag: impl Into<String>,
        key: impl Into<String>,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            key: key.into(),
            found: found.into(),
            allowed: allowed.into(),
            snippet: String::new(),
            flag: Some(flag.into()),
        }
    }
}

/// A character safe to print: a space for a tab, a control picture (U+2400 block) for the
/// other C0 controls and DEL, the replacement character for C1 controls.
fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = if self.key.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.key)
        };
        if let Some(flag) = &self.flag {
            writeln!(f, "error: --set {key}found {}", self.found)?;
            writeln!(
                f,
                "  --> {flag} (on the command line, for {})",
                self.file.display()
            )?;
            return write!(f, "  = allowed: {}", self.allowed);
        }
        writeln!(f, "error: {key}found {}", self.found)?;
        writeln!(
            f,
            "  --> {}:{}:{}",
            self.file.display(),
            self.line,
            self.column
        )?;
        writeln!(f, "{}", self.snippet)?;
        write!(f, "  = allowed: {}", self.allowed)
    }
}

/// Every problem found in one scenario file (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The scenario file.
    pub file: PathBuf,
    /// The problems, in the order of the file.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let n = self.diagnostics.len();
        write!(
            f,
            "{}: {n} error{}",
            self.file.display(),
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for LoadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_and_caret() {
        let src = "a = 1\nb = { dist = \"nrmal\" }\n";
        let start = src.find("\"nrmal\"").unwrap();
        let d = Diagnostic::new(
            Path::new("x.toml"),
            src,
            start..start + 7,
            "b.dist",
            "`nrmal`",
            "normal, ...",
        );
        assert_eq!((d.line, d.column), (2, 14));
        let text = d.to_string();
        assert!(text.contains("--> x.toml:2:14"), "{text}");
        assert!(text.contains("2 | b = { dist = \"nrmal\" }"), "{text}");
        assert!(text.contains("  |              ^^^^^^^"), "{text}");
        assert!(text.starts_with("error: b.dist: found `nrmal`"), "{text}");
    }

    #[test]
    fn spans_at_the_end_and_in_multibyte_text_do_not_panic() {
        let src = "name = \"Café ☕\"";
        for s in 0..=src.len() + 2 {
            let d = Diagnostic::new(Path::new("x"), src, s..s + 3, "", "x", "y");
            assert_eq!(d.line, 1);
            let _ = d.to_string();
        }
        let d = Diagnostic::new(Path::new("x"), "", 0..0, "", "an empty file", "a scenario");
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn control_characters_are_shown_as_symbols() {
        let src = "name = \"\u{1b}[31m\0\tx\u{9b}\"";
        let at = src.find('x').unwrap();
        let d = Diagnostic::new(Path::new("x"), src, at..at + 1, "name", "x", "y");
        let text = d.to_string();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("1 | name = \"\u{241b}[31m\u{2400} x\u{fffd}\""),
            "{text}"
        );
        // One symbol per character: the caret stays under the `x`.
        assert!(text.contains(&format!("  | {}^", " ".repeat(at))), "{text}");
    }
}
