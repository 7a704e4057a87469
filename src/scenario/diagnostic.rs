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
    /// A diagnostic for byte range `span` of `src`. Indexes `src` for this one diagnostic:
    /// code that reports many problems of one text builds a [`SourceMap`] once and calls
    /// [`Diagnostic::in_source`].
    pub fn new(
        file: &Path,
        src: &str,
        span: Range<usize>,
        key: impl Into<String>,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Self::in_source(file, &SourceMap::new(src), span, key, found, allowed)
    }

    /// A diagnostic for byte range `span` of the text `map` indexes. Costs a binary search
    /// and a bounded scan, whatever the size of the text or the length of its lines, so that
    /// a file with thousands of mistakes is still reported in linear time.
    pub fn in_source(
        file: &Path,
        map: &SourceMap<'_>,
        span: Range<usize>,
        key: impl Into<String>,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        let src = map.src;
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.clamp(start, src.len()));
        let (line, line_start) = map.line_of(start);
        let line_end = map.line_end(line);
        let column = map.chars_between(line_start, start) + 1;
        // A long line (minified or generated text) is shown as a window around the span, so
        // that a snippet stays readable and a file of one long line is not printed once per
        // mistake.
        let (from, cut_left) = if line_end - line_start <= LONG_LINE {
            (line_start, false)
        } else {
            let from = ceil_char_boundary(src, start.saturating_sub(WINDOW_BEFORE).max(line_start));
            (from, from > line_start)
        };
        let (to, cut_right) = if line_end - from <= LONG_LINE {
            (line_end, false)
        } else {
            let to = floor_char_boundary(src, (start + WINDOW_AFTER).min(line_end)).max(start);
            (to, to < line_end)
        };
        // Control characters are shown as visible symbols, one for one so the caret stays
        // aligned: raw, they would garble the terminal (an escape sequence, a NUL from a
        // binary file) and a tab would shift the text away from the caret.
        let mut text: String = String::new();
        if cut_left {
            text.push('…');
        }
        text.extend(src[from..to].trim_end_matches('\r').chars().map(visible));
        if cut_right {
            text.push('…');
        }
        let caret_at = usize::from(cut_left) + map.chars_between(from, start);
        // The caret covers the span, but never past the end of its first line.
        let width = map.chars_between(start, end.min(to).max(start)).max(1);
        let gutter = line.to_string().len();
        let snippet = format!(
            "{:gutter$} |\n{line} | {text}\n{:gutter$} | {}{}",
            "",
            "",
            " ".repeat(caret_at),
            "^".repeat(width.min(text.chars().count().saturating_sub(caret_at).max(1))),
        );
        Diagnostic {
            file: file.to_path_buf(),
            line,
            column,
            key: printable(key.into()),
            found: printable(found.into()),
            allowed: printable(allowed.into()),
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

/// Lines longer than this many bytes are shown as a window around the span.
const LONG_LINE: usize = 400;
/// Bytes of a long line shown before the span ...
const WINDOW_BEFORE: usize = 120;
/// ... and from its start on.
const WINDOW_AFTER: usize = 240;

/// A text indexed once for placing diagnostics: where each line starts, and how many
/// characters precede every [`CHAR_MARK`]-th byte, so that a line and a column cost a binary
/// search and a short count instead of a scan from the start of the file.
#[derive(Debug, Clone)]
pub struct SourceMap<'s> {
    src: &'s str,
    /// Byte offset of the start of each line; the first is 0.
    line_starts: Vec<usize>,
    /// `char_marks[i]`: characters in `src[..i * CHAR_MARK]` (counted as UTF-8 lead bytes).
    char_marks: Vec<usize>,
}

/// Bytes between two entries of [`SourceMap::char_marks`].
const CHAR_MARK: usize = 256;

impl<'s> SourceMap<'s> {
    /// Index `src`: one pass over its bytes.
    pub fn new(src: &'s str) -> Self {
        let bytes = src.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut char_marks = Vec::with_capacity(bytes.len() / CHAR_MARK + 1);
        let mut count = 0;
        for chunk in bytes.chunks(CHAR_MARK) {
            char_marks.push(count);
            count += chunk.iter().filter(|b| is_lead(**b)).count();
        }
        char_marks.push(count);
        SourceMap {
            src,
            line_starts,
            char_marks,
        }
    }

    /// The text indexed.
    pub fn src(&self) -> &'s str {
        self.src
    }

    /// The 1-based line holding byte `at`, and the byte where that line starts.
    fn line_of(&self, at: usize) -> (usize, usize) {
        let i = self.line_starts.partition_point(|&s| s <= at) - 1;
        (i + 1, self.line_starts[i])
    }

    /// The byte where 1-based line `line` ends (its newline, or the end of the text).
    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.src.len(), |next| next - 1)
    }

    /// Characters in `src[..at]`.
    fn chars_before(&self, at: usize) -> usize {
        let mark = at / CHAR_MARK;
        let from = mark * CHAR_MARK;
        self.char_marks[mark]
            + self.src.as_bytes()[from..at]
                .iter()
                .filter(|b| is_lead(**b))
                .count()
    }

    /// Characters in `src[from..to]` (both char boundaries, `from <= to`).
    fn chars_between(&self, from: usize, to: usize) -> usize {
        self.chars_before(to) - self.chars_before(from)
    }
}

/// Whether a byte starts a UTF-8 character (is not a continuation byte).
fn is_lead(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// Longest key path, `found` or `allowed` shown, in characters: a megabyte-long key, or the
/// list of 100,000 role names, is cut with an ellipsis rather than printed whole.
const MAX_FIELD_CHARS: usize = 500;

/// Text from a scenario (a key, a value quoted in `found`) made safe to print on one line:
/// tabs and line breaks become spaces, other control characters visible symbols, and text
/// beyond [`MAX_FIELD_CHARS`] characters is cut.
fn printable(text: String) -> String {
    let long = text.len() > MAX_FIELD_CHARS && text.chars().nth(MAX_FIELD_CHARS).is_some();
    if !long && !text.chars().any(char::is_control) {
        return text;
    }
    let mut out: String = text
        .chars()
        .take(MAX_FIELD_CHARS)
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c => visible(c),
        })
        .collect();
    if long {
        out.push('…');
    }
    out
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

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl Diagnostic {
    /// `key: ` before what was found, or nothing for a problem outside any key.
    fn key_prefix(&self) -> String {
        if self.key.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.key)
        }
    }

    /// The problem in one line, for a page read away from the terminal (the batch index):
    /// `file:line:column: key: found X (allowed: Y)`, or `--set ...` for an override.
    pub fn one_line(&self) -> String {
        let at = match &self.flag {
            Some(flag) => format!("{} (on the command line)", flag),
            None => format!(
                "{}:{}:{}",
                printable(self.file.display().to_string()),
                self.line,
                self.column
            ),
        };
        format!(
            "{at}: {}found {} (allowed: {})",
            self.key_prefix(),
            self.found,
            self.allowed
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.key_prefix();
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
            printable(self.file.display().to_string()),
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
            printable(self.file.display().to_string()),
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

    /// The line and column of the old scan from the start of the text, for comparison.
    fn naive(src: &str, at: usize) -> (usize, usize) {
        let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        (
            src[..at].matches('\n').count() + 1,
            src[line_start..at].chars().count() + 1,
        )
    }

    #[test]
    fn the_index_places_every_byte_as_a_scan_from_the_start_would() {
        // Multibyte characters straddling the index's marks, empty lines, a final newline.
        let mut src = String::new();
        for i in 0..400 {
            src.push_str(&"é☕a".repeat(i % 7));
            src.push_str(if i % 5 == 0 { "\n\n" } else { "\n" });
        }
        let map = SourceMap::new(&src);
        for at in (0..=src.len()).filter(|&i| src.is_char_boundary(i)) {
            let d = Diagnostic::in_source(Path::new("x"), &map, at..at + 1, "", "x", "y");
            assert_eq!((d.line, d.column), naive(&src, at), "byte {at}");
        }
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_span() {
        let src = format!("a = [{}]\n", "1, ".repeat(100_000));
        let at = src.len() / 2;
        let d = Diagnostic::new(Path::new("x"), &src, at..at + 1, "a", "x", "y");
        assert_eq!((d.line, d.column), (1, at + 1));
        let text = d.to_string();
        assert!(text.len() < 1_000, "{} bytes", text.len());
        let lines: Vec<&str> = text.lines().collect();
        // The caret is under the span's character in the window.
        let caret = lines[4].find('^').unwrap();
        assert_eq!(
            lines[3].chars().nth(lines[4][..caret].chars().count()),
            src[at..].chars().next()
        );
        assert!(lines[3].contains('…'), "{text}");
    }

    #[test]
    fn the_header_shows_no_raw_control_character_from_a_key() {
        let d = Diagnostic::new(
            Path::new("x"),
            "a = 1",
            0..1,
            "paths.\u{1b}[31mred",
            "an unknown key `\u{1b}[31mred`\n",
            "one of `a`",
        );
        let text = d.to_string();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.starts_with("error: paths.\u{241b}[31mred: found"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 6, "{text}");
    }

    #[test]
    fn an_overlong_key_is_cut_in_the_message() {
        let key = "k".repeat(1_000_000);
        let d = Diagnostic::new(
            Path::new("x"),
            "a = 1",
            0..1,
            key.as_str(),
            format!("`{key}`"),
            "y",
        );
        assert_eq!(d.key.chars().count(), MAX_FIELD_CHARS + 1);
        assert!(d.key.ends_with('…') && d.found.ends_with('…'));
        assert!(d.to_string().len() < 2_000);
    }
}
