//! The names a scenario gives things: path and role keys, which name output files
//! (`<a>_vs_<b>.png`) and CSV cells, and labels, which are drawn on charts and printed in the
//! terminal. Both are checked here, with a located error, so that no name can write outside
//! the output folder, garble a terminal, or make a chart or a report unreadably long.

use std::ops::Range;

use super::reader::{Ctx, Value};

/// Longest path or role key, in bytes: a chart's file name holds two of them.
pub const MAX_KEY_LEN: usize = 64;

/// Longest label or scenario name, in characters: longer text cannot be read on a chart
/// title or in a table cell anyway.
pub const MAX_LABEL_CHARS: usize = 200;

/// Whether `key` may name a path or a role: ASCII letters, digits, `_` and `-`, not starting
/// with `-` (a file name that reads as an option), at most [`MAX_KEY_LEN`] bytes. No `.`, `/`
/// or `\`, so a key can never climb out of, or hide in, the output folder.
pub fn safe_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && !key.starts_with('-')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}

/// Report `key` (of `[<table>.<key>]`, written at `span`) unless it is a [`safe_key`];
/// returns whether it is.
pub fn check_key(ctx: &mut Ctx<'_>, table: &str, key: &str, span: Range<usize>) -> bool {
    if safe_key(key) {
        return true;
    }
    let what = if key.len() > MAX_KEY_LEN {
        format!("a key of {} characters", key.chars().count())
    } else {
        format!("the key {key:?}")
    };
    ctx.error(
        span,
        &format!("{table}.{}", shorten(key)),
        what,
        format!(
            "a key of ASCII letters, digits, '_' and '-', not starting with '-', at most \
             {MAX_KEY_LEN} characters (keys name output files such as <a>_vs_<b>.png; put any \
             other text in `label`)"
        ),
    );
    false
}

/// A label (or the scenario's `name`) at key path `key`: a string on one line, without
/// control characters, of at most [`MAX_LABEL_CHARS`] characters. `None` after reporting
/// anything else.
pub fn label(ctx: &mut Ctx<'_>, v: &Value<'_>, key: &str) -> Option<String> {
    let text = ctx.string(v, key)?;
    let chars = text.chars().count();
    let found = if chars > MAX_LABEL_CHARS {
        format!("a text of {chars} characters")
    } else if text.chars().any(char::is_control) {
        format!("the text {text:?}, with a line break or a control character")
    } else {
        return Some(text);
    };
    ctx.error(
        v.span(),
        key,
        found,
        format!(
            "a label on one line, at most {MAX_LABEL_CHARS} characters (longer text belongs in \
             `description`)"
        ),
    );
    None
}

/// A key cut for a key path in a message: an overlong key is named by its start.
fn shorten(key: &str) -> String {
    if key.chars().count() <= MAX_KEY_LEN {
        key.to_string()
    } else {
        let head: String = key.chars().take(MAX_KEY_LEN).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_could_escape_or_mislead_are_refused() {
        for bad in [
            "",
            "..",
            ".",
            "../../x",
            "/tmp/x",
            "a/b",
            "a\\b",
            "a.b",
            "-rf",
            "x y",
            "é",
            "\u{1b}[31m",
            &"k".repeat(MAX_KEY_LEN + 1),
        ] {
            assert!(!safe_key(bad), "{bad:?}");
        }
        for good in [
            "stay",
            "masters_in_person",
            "boot-camp",
            "2yr",
            "_x",
            &"k".repeat(MAX_KEY_LEN),
        ] {
            assert!(safe_key(good), "{good:?}");
        }
    }

    #[test]
    fn a_long_key_is_named_by_its_start() {
        let long = "é".repeat(500);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), MAX_KEY_LEN + 1);
        assert_eq!(shorten("stay"), "stay");
    }
}
