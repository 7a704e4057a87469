//! A walker over the spanned TOML tree that remembers which keys were read, so that every
//! key left over is reported as unknown (a typo must never fall back to a default), and
//! that collects every problem instead of stopping at the first.
//!
//! serde's derive with `deny_unknown_fields` stops at the first error and, through tagged
//! enums, loses the spans of inner values (toml-rs/toml issues 535 and 589); walking
//! `toml::de::DeTable` keeps the span of every key and value.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, SourceMap};
use super::{Assumption, Param};

/// A value of the tree with its span.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// Shared state of one file's walk.
pub struct Ctx<'s> {
    /// The file's own text (what was parsed, without the overrides' prefix).
    pub original: &'s str,
    /// Length of the overrides' prefix in `src`.
    pub offset: usize,
    /// Byte range of each override in `src`, with its `--set KEY=VALUE` text.
    pub flags: Vec<(Range<usize>, String)>,
    /// The file's text indexed once, at the first problem, so that each problem is placed
    /// without rescanning the file.
    map: std::cell::OnceCell<SourceMap<'s>>,
    /// The file, for messages.
    pub file: &'s Path,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
    /// Inputs as used, for the report's assumptions table.
    pub assumptions: Vec<Assumption>,
    /// Every uncertain input read so far, under its key path.
    pub inputs: Vec<Param>,
    /// Things allowed but probably not meant.
    pub warnings: Vec<String>,
    /// The keys the overrides set (`--set`, or a question's value at a point).
    pub set: Vec<String>,
}

impl<'s> Ctx<'s> {
    /// A new walk over `src` (a file's text, without overrides).
    pub fn new(src: &'s str, file: &'s Path) -> Self {
        Ctx {
            original: src,
            offset: 0,
            flags: Vec::new(),
            map: std::cell::OnceCell::new(),
            file,
            diags: Vec::new(),
            assumptions: Vec::new(),
            inputs: Vec::new(),
            warnings: Vec::new(),
            set: Vec::new(),
        }
    }

    /// Record a problem.
    pub fn error(
        &mut self,
        span: Range<usize>,
        key: &str,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) {
        let d = self.diagnostic(span, key, found, allowed);
        self.diags.push(d);
    }

    /// A diagnostic for `span` of `src`: against the override it falls in, or against the
    /// file's own line and column.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        key: &str,
        found: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Diagnostic {
        if let Some((_, flag)) = self.flags.iter().find(|(r, _)| r.contains(&span.start)) {
            return Diagnostic::on_flag(self.file, flag.clone(), key, found, allowed);
        }
        let span = span.start.saturating_sub(self.offset)..span.end.saturating_sub(self.offset);
        let map = self.map.get_or_init(|| SourceMap::new(self.original));
        Diagnostic::in_source(self.file, map, span, key, found, allowed)
    }

    /// Record a warning about `span` (allowed, but probably not meant), placed as a problem
    /// is: `line L, column C: key: message`, or on the `--set` it comes from.
    pub fn warn_at(&mut self, span: Range<usize>, key: &str, message: &str) {
        let at = self.place(span);
        self.warnings.push(format!("{at}: {key}: {message}"));
    }

    /// Where `span` is, for a warning: `line L, column C` of the file, or the `--set` it is
    /// in.
    pub fn place(&self, span: Range<usize>) -> String {
        let d = self.diagnostic(span, "", "", "");
        match d.flag {
            Some(flag) => flag,
            None => format!("line {}, column {}", d.line, d.column),
        }
    }

    /// Record an input as used.
    pub fn assume(&mut self, key: &str, value: impl Into<String>, default: bool) {
        self.assumptions.push(Assumption {
            key: key.to_string(),
            value: value.into(),
            default,
            overridden: false,
        });
    }

    /// A finite number (TOML integer or float).
    pub fn number(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        let found = match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => return Some(n as f64),
                Err(_) => format!("the integer {i}, too large"),
            },
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(x) if x.is_finite() => return Some(x),
                _ => format!("the non-finite number {f}"),
            },
            other => describe(other),
        };
        self.error(v.span(), key, found, "a finite number");
        None
    }

    /// An integer within `[lo, hi]`.
    pub fn integer(&mut self, v: &Value<'_>, key: &str, lo: i64, hi: i64) -> Option<i64> {
        let allowed = format!("a whole number from {} to {}", fmt_int(lo), fmt_int(hi));
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        match parsed {
            Some(n) if (lo..=hi).contains(&n) => Some(n),
            Some(n) => {
                self.error(v.span(), key, format!("{n}"), allowed);
                None
            }
            None => {
                let found = describe(v.get_ref());
                self.error(v.span(), key, found, allowed);
                None
            }
        }
    }

    /// A string.
    pub fn string(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                let found = describe(other);
                self.error(v.span(), key, found, "a string in quotes");
                None
            }
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, v: &Value<'_>, key: &str) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let found = describe(other);
                self.error(v.span(), key, found, "true or false");
                None
            }
        }
    }

    /// A table, wrapped for key tracking.
    pub fn table<'a, 'i>(&mut self, v: &'a Value<'i>, key: &str) -> Option<Table<'a, 'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, v.span(), key)),
            other => {
                let found = describe(other);
                self.error(v.span(), key, found, "a table");
                None
            }
        }
    }
}

/// A whole number with thousands separators: `-1,234`.
pub fn fmt_int(n: i64) -> String {
    let digits = crate::text::thousands(n.unsigned_abs());
    if n < 0 { format!("-{digits}") } else { digits }
}

/// "the string \"x\"", "the integer 3", ... for messages.
pub fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string {s:?}{}", unquoted_hint(s)),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(f) => format!("the number {f}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// For a string found where it is not allowed, what the user probably meant when it reads
/// as a number, a percentage or a boolean in quotes: `"85%"` is 0.85, `"$72,000"` is
/// 72_000, `"true"` is true. Empty when it reads as none of them.
fn unquoted_hint(s: &str) -> String {
    let t = s.trim();
    if t == "true" || t == "false" {
        return format!(": write {t} without quotes");
    }
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b.trim_end(), true),
        None => (t, false),
    };
    let body = body.strip_prefix('$').unwrap_or(body);
    let digits: String = body.chars().filter(|&c| c != ',' && c != '_').collect();
    let Ok(x) = digits.parse::<f64>() else {
        return String::new();
    };
    if !x.is_finite() {
        return String::new();
    }
    if percent {
        let share = super::param::from_percent(x);
        return format!(": a percentage is written as a share, {share}, without quotes");
    }
    // As TOML writes it: digits grouped by underscores, not the commas `fmt_num` uses.
    let n = super::param::fmt_num(x).replace(',', "_");
    let grouped = if n.contains('_') {
        " (underscores may group digits, commas may not)"
    } else {
        ""
    };
    format!(": write the number without quotes, {n}{grouped}")
}

/// A table being read: remembers which keys were taken.
pub struct Table<'a, 'i> {
    map: &'a DeTable<'i>,
    /// Span of the table (its header, or the inline table).
    pub span: Range<usize>,
    /// Key path of the table (`paths.bootcamp`); empty at the root.
    pub path: String,
    used: HashSet<String>,
}

impl<'a, 'i> Table<'a, 'i> {
    /// Wrap a table found at `path`.
    pub fn new(map: &'a DeTable<'i>, span: Range<usize>, path: &str) -> Self {
        Table {
            map,
            span,
            path: path.to_string(),
            used: HashSet::new(),
        }
    }

    /// The key path of a key of this table.
    pub fn key(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Take a key (marking it read).
    pub fn get(&mut self, key: &str) -> Option<&'a Value<'i>> {
        self.used.insert(key.to_string());
        self.map.get(key)
    }

    /// Whether the key is present (without taking it).
    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some()
    }

    /// Every entry, in file order: (key, key span, value).
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Range<usize>, &'a Value<'i>)> {
        self.map
            .iter()
            .map(|(k, v)| (k.get_ref().as_ref(), k.span(), v))
    }

    /// Take every remaining key (for tables whose keys are names, like `[roles]`).
    pub fn take_all(&mut self) -> Vec<(&'a str, Range<usize>, &'a Value<'i>)> {
        let all: Vec<_> = self.entries().collect();
        for (k, _, _) in &all {
            self.used.insert((*k).to_string());
        }
        all
    }

    /// Whether the key was taken.
    pub fn is_used(&self, key: &str) -> bool {
        self.used.contains(key)
    }

    /// Report every key that was not read as unknown, with the allowed keys and the closest
    /// one as a suggestion.
    pub fn finish(&self, ctx: &mut Ctx<'_>, allowed: &[&str]) {
        self.finish_except(ctx, allowed, &[]);
    }

    /// As [`Table::finish`], leaving out the keys in `skip` (already reported otherwise).
    pub fn finish_except(&self, ctx: &mut Ctx<'_>, allowed: &[&str], skip: &[&str]) {
        for (k, span, _) in self.entries() {
            if self.used.contains(k) || skip.contains(&k) {
                continue;
            }
            let suggestion = closest(k, allowed)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let found = format!("an unknown key `{k}`{suggestion}");
            let allowed = if allowed.is_empty() {
                "no keys here".to_string()
            } else {
                format!("one of {}", crate::text::code_list(allowed))
            };
            let key = self.key(k);
            ctx.error(span, &key, found, allowed);
        }
    }
}

/// The allowed key closest to `key`: for a percentile (`p95`), the nearest allowed one
/// (`p90`, or `median` for `p50`); else the only allowed key that begins with it as a word
/// (`tuition` for `tuition_per_year`); else the only one sharing its first six letters
/// (`triangular` for `triangle`); else the closest by edit distance, if close enough to be a
/// typo.
pub fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let percent = |k: &str| k.strip_prefix('p')?.parse::<u32>().ok();
    if let Some(q) = percent(key) {
        let mut near: Vec<(u32, &str)> = allowed
            .iter()
            .filter_map(|a| match *a {
                "median" => Some((50, *a)),
                _ => percent(a).map(|p| (p, *a)),
            })
            .collect();
        near.sort_by_key(|&(p, _)| (p.abs_diff(q), p));
        if let Some(&(_, a)) = near.first() {
            return Some(a);
        }
    }
    let mut starting = allowed.iter().filter(|a| {
        a.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('_'))
    });
    if let (Some(a), None) = (starting.next(), starting.next()) {
        return Some(a);
    }
    // The same word with another ending (`triangle` for `triangular`): the one name sharing
    // its first six letters.
    if let Some(stem) = key.get(..6) {
        let mut sharing = allowed.iter().filter(|a| a.starts_with(stem));
        if let (Some(a), None) = (sharing.next(), sharing.next()) {
            return Some(a);
        }
    }
    allowed
        .iter()
        .map(|a| (levenshtein(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_quotes_get_a_hint() {
        let hint = |s: &str| describe(&DeValue::String(s.into()));
        assert_eq!(
            hint("85%"),
            "the string \"85%\": a percentage is written as a share, 0.85, without quotes"
        );
        assert_eq!(
            hint("$72,000"),
            "the string \"$72,000\": write the number without quotes, 72_000 (underscores may group digits, commas may not)"
        );
        assert_eq!(
            hint("0.5"),
            "the string \"0.5\": write the number without quotes, 0.5"
        );
        assert_eq!(
            hint("true"),
            "the string \"true\": write true without quotes"
        );
        assert_eq!(hint("lognormal"), "the string \"lognormal\"");
        assert_eq!(hint("%"), "the string \"%\"");
        assert_eq!(hint("inf"), "the string \"inf\"");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("complition", &["completion", "placement"]),
            Some("completion")
        );
        assert_eq!(closest("zzz", &["completion", "placement"]), None);
        // Percentiles: the nearest allowed one, `median` for the 50th.
        let pcts = ["mean", "sd", "median", "p10", "p25", "p75", "p90"];
        assert_eq!(closest("p95", &pcts), Some("p90"));
        assert_eq!(closest("p5", &pcts), Some("p10"));
        assert_eq!(closest("p50", &pcts), Some("median"));
        assert_eq!(closest("p80", &pcts), Some("p75"));
        // A key that is the first words of exactly one allowed key.
        let costs = ["tuition_per_year", "fees_per_year", "one_time"];
        assert_eq!(closest("tuition", &costs), Some("tuition_per_year"));
        assert_eq!(closest("fees", &costs), Some("fees_per_year"));
        assert_eq!(closest("one", &costs), Some("one_time"));
        assert_eq!(closest("per", &costs), None);
        // Another ending of the same word, when only one name shares its first six letters.
        let dists = [
            "fixed",
            "uniform",
            "normal",
            "lognormal",
            "triangular",
            "pert",
        ];
        assert_eq!(closest("triangle", &dists), Some("triangular"));
        assert_eq!(closest("uniformly", &dists), Some("uniform"));
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
