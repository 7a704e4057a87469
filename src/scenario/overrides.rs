//! Command-line overrides, `--set KEY=VALUE`: applied to the parsed file before validation,
//! as if written in it, so that they are checked like the file and a run with `--set k=v`
//! is the same run as the file edited to say `k = v`.
//!
//! The values are parsed as TOML together with the file: they are placed as root keys in
//! front of the file's text (root keys before the first table are valid TOML), then moved to
//! the key they name. Their spans fall in that prefix, so a problem with an override is
//! reported against `--set KEY=VALUE`, and a problem with the file at the file's own line.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::param::DISTS;
use super::schema::{self, Section, Ty};

/// One `--set KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// Key path (`paths.bootcamp.placement`, or a distribution's parameter
    /// `paths.bootcamp.placement.mean`).
    pub key: String,
    /// A TOML value as typed (`0.7`, `rap`, `'{ dist = "beta", mean = 0.7, sd = 0.1 }'`).
    pub value: String,
}

impl Override {
    /// Parse `KEY=VALUE`.
    ///
    /// # Errors
    /// No `=`, or an empty key: a message saying what is expected.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok(Override {
                key: k.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err(format!(
                "--set {text:?}: expected KEY=VALUE, like paths.bootcamp.placement=0.7"
            )),
        }
    }

    /// As typed on the command line.
    pub fn flag(&self) -> String {
        format!("--set {}={}", self.key, self.value)
    }
}

/// The first pair of the command line's `--set` flags that set one key twice, or a value
/// and one of its own parameters (`placement` and `placement.sd`): one would silently win
/// over the other, by their order. A one-line error naming both; `None` when each key is set
/// once. Only the person's own flags: a question's value for its key comes after them and
/// wins at each point, as it should.
pub fn repeated(set: &[Override]) -> Option<String> {
    set.iter().enumerate().find_map(|(i, o)| {
        let first = set[..i].iter().find(|e| {
            e.key == o.key || within(&e.key, &o.key) || within(&o.key, &e.key)
        })?;
        Some(if first.key == o.key {
            format!(
                "{} and {}: `{}` set twice; allowed: each key set once",
                first.flag(),
                o.flag(),
                o.key
            )
        } else {
            format!(
                "{} and {}: a value and one of its own parameters; allowed: one of them (a whole value with the parameter in it)",
                first.flag(),
                o.flag()
            )
        })
    })
}

/// Whether key `a` lies within key `b`: `b.mean` is a parameter of `b`.
pub fn within(a: &str, b: &str) -> bool {
    a.strip_prefix(b).is_some_and(|r| r.starts_with('.'))
}

/// The text parsed: the overrides' prefix and the file, and where each override's value is.
pub struct Prepared {
    /// The prefix followed by the file's text.
    pub text: String,
    /// Length of the prefix: file spans are offset by it.
    pub offset: usize,
    /// Byte range of each override's line in `text`, with its flag text.
    pub flags: Vec<(Range<usize>, String)>,
}

/// The name of the root key that carries override `i` until it is moved.
fn carrier(i: usize) -> String {
    format!("worthit-set-{i}")
}

/// Check each override's key against the format and lay out the text to parse.
///
/// # Errors
/// Every override whose key the format does not have, or whose value is not TOML.
pub fn prepare(
    src: &str,
    file: &Path,
    overrides: &[Override],
) -> Result<Prepared, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut text = String::new();
    let mut flags = Vec::new();
    for (i, o) in overrides.iter().enumerate() {
        if let Err((found, allowed)) = check_key(&o.key) {
            errors.push(Diagnostic::on_flag(file, o.flag(), &o.key, found, allowed));
            continue;
        }
        let Some(value) = toml_value(&o.value) else {
            errors.push(Diagnostic::on_flag(
                file,
                o.flag(),
                &o.key,
                format!("{:?}, which is not a TOML value", o.value),
                "a TOML value on one line: a number (0.7), a word (rap) or a quoted string, true or false, or an inline table in quotes ('{ dist = \"beta\", mean = 0.7, sd = 0.1 }')",
            ));
            continue;
        };
        let start = text.len();
        text.push_str(&format!("{} = {value}\n", carrier(i)));
        flags.push((start..text.len(), o.flag()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let offset = text.len();
    text.push_str(src);
    Ok(Prepared {
        text,
        offset,
        flags,
    })
}

/// The value as TOML text: as typed when it parses as a TOML value, else a bare word quoted.
fn toml_value(v: &str) -> Option<String> {
    if v.contains(['\n', '\r']) {
        return None;
    }
    let parses = |s: &str| {
        let doc = format!("x = {s}\n");
        DeTable::parse(&doc).is_ok()
    };
    if parses(v) {
        return Some(v.to_string());
    }
    let word = !v.is_empty()
        && v.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | '/'));
    word.then(|| format!("\"{v}\""))
}

/// Whether the format has `key`: an input, a setting, or a parameter of an input's
/// distribution table. `Err((found, allowed))` otherwise.
pub(crate) fn check_key(key: &str) -> Result<(), (String, String)> {
    if let Some((def, _)) = schema::lookup(key) {
        return match def.ty {
            // A table is set one of its values at a time.
            Ty::Table(section) => {
                let values: Vec<&str> = schema::keys(section)
                    .filter(|k| !matches!(k.ty, Ty::Table(_) | Ty::Named(_) | Ty::Tables(_)))
                    .map(|k| k.name)
                    .collect();
                // An example that works: loans need their rate first; else the first
                // uncertain input, else the first value.
                let example = if section == Section::Financing {
                    "private_rate"
                } else {
                    schema::keys(section)
                        .find(|k| k.is_input())
                        .map(|k| k.name)
                        .or(values.first().copied())
                        .unwrap_or("NAME")
                };
                Err((
                    format!("`{key}`, a table, which is not set whole"),
                    format!(
                        "one of its values at a time, as --set {key}.{example}=...: {}",
                        crate::text::code_list(values)
                    ),
                ))
            }
            Ty::Named(_) | Ty::Tables(_) => Err((
                format!("`{key}`, a table"),
                "a key that holds a value, like paths.NAME.placement or simulation.trials".into(),
            )),
            _ => Ok(()),
        };
    }
    if let Some((parent, param)) = key.rsplit_once('.')
        && let Some((def, _)) = schema::lookup(parent)
        && def.is_input()
    {
        let params: Vec<&str> = DISTS
            .iter()
            .flat_map(|(_, ks)| ks.iter().copied())
            .collect();
        return if params.contains(&param) {
            Ok(())
        } else if param == "dist" {
            // The kind is not a parameter: a new kind needs its own parameters with it.
            Err((
                format!("`{param}`, the kind of distribution, alone"),
                format!(
                    "the whole input with its parameters, as one value: {parent}={{ dist = \"normal\", mean = ..., sd = ... }}"
                ),
            ))
        } else {
            Err((
                format!("`{param}`, which no distribution takes"),
                format!(
                    "a parameter of the distribution of `{parent}`: {}",
                    DISTS
                        .iter()
                        .map(|(n, ks)| format!("{n}: {}", ks.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ))
        };
    }
    // The same name in another table: say where it belongs.
    let parts: Vec<&str> = key.split('.').collect();
    if let ["paths", path, "roles", role] = parts.as_slice() {
        return Err((
            format!("`{role}`, one role's weight alone"),
            format!(
                "the path's whole roles table, as one value: paths.{path}.roles={{ {role} = 1, ... }}"
            ),
        ));
    }
    let last = parts.last().copied().unwrap_or_default();
    let name = match parts.as_slice() {
        ["paths" | "roles", n, ..] => *n,
        _ => "NAME",
    };
    let homes: Vec<String> = schema::KEYS
        .iter()
        .filter(|k| k.name == last && !matches!(k.ty, Ty::Table(_) | Ty::Named(_) | Ty::Tables(_)))
        .map(|k| match k.section {
            Section::Root => last.to_string(),
            Section::Simulation => format!("simulation.{last}"),
            Section::Economy => format!("economy.{last}"),
            Section::Tax => format!("tax.{last}"),
            Section::Person => format!("person.{last}"),
            Section::Role => format!("roles.{name}.{last}"),
            Section::Path => format!("paths.{name}.{last}"),
            Section::Costs => format!("paths.{name}.costs.{last}"),
            Section::Financing => format!("paths.{name}.financing.{last}"),
            Section::Factor => format!("factors.NAME.{last}"),
            Section::Threshold => format!("`{last}` of [[thresholds]]"),
            Section::Sweep => format!("`{last}` of [[sweeps]]"),
            Section::Axis => format!("`{last}` of x or y in [[sweeps]]"),
        })
        .collect();
    if homes.is_empty()
        && let Some((table, names)) = table_of(&parts)
    {
        // A misspelt key of a known table: the closest key there, and the table's keys.
        let suggestion = super::reader::closest(last, &names)
            .map(|s| format!(" (did you mean `{table}.{s}`?)"))
            .unwrap_or_default();
        return Err((
            format!("`{key}`, which is not a key of the scenario format{suggestion}"),
            format!(
                "a key of `{table}`: {} (see docs/scenario-format.md)",
                crate::text::code_list(names)
            ),
        ));
    }
    Err((
        format!("`{key}`, which is not a key of the scenario format"),
        if homes.is_empty() {
            "a key path such as paths.NAME.placement, roles.NAME.salary, economy.discount_rate (see docs/scenario-format.md)".into()
        } else {
            format!(
                "`{last}` is set as {} (see docs/scenario-format.md)",
                homes.join(" or ")
            )
        },
    ))
}

/// The table a key path is in (`paths.bootcamp`, `paths.bootcamp.costs`, `economy`) and the
/// names of the values that table holds; `None` for a path the format has no table for.
fn table_of(parts: &[&str]) -> Option<(String, Vec<&'static str>)> {
    let (section, table) = match parts {
        ["paths", n, "costs", _] => (Section::Costs, format!("paths.{n}.costs")),
        ["paths", n, "financing", _] => (Section::Financing, format!("paths.{n}.financing")),
        ["paths", n, _] => (Section::Path, format!("paths.{n}")),
        ["roles", n, _] => (Section::Role, format!("roles.{n}")),
        ["factors", n, _] => (Section::Factor, format!("factors.{n}")),
        ["person", _] => (Section::Person, "person".to_string()),
        ["economy", _] => (Section::Economy, "economy".to_string()),
        ["tax", _] => (Section::Tax, "tax".to_string()),
        ["simulation", _] => (Section::Simulation, "simulation".to_string()),
        _ => return None,
    };
    let names = schema::KEYS
        .iter()
        .filter(|k| {
            k.section == section && !matches!(k.ty, Ty::Table(_) | Ty::Named(_) | Ty::Tables(_))
        })
        .map(|k| k.name)
        .collect();
    Some((table, names))
}

/// What [`apply`] found: errors (a path or role the file does not define, a parameter of a
/// value that is not a distribution table) as (flag, key, found, allowed), and warnings
/// (what an override did that the person may not expect), each in words after its flag.
#[derive(Debug, Default)]
pub struct Applied {
    /// The errors.
    pub errors: Vec<(String, String, String, String)>,
    /// The warnings.
    pub warnings: Vec<String>,
}

/// Move each override's value from its carrier key to the key it names.
pub fn apply(root: &mut DeTable<'_>, overrides: &[Override]) -> Applied {
    let mut applied = Applied::default();
    // A loan rate that gives a path loans comes first, so that the path's other loan
    // settings apply to those loans whatever the order of the flags.
    let mut order: Vec<(usize, &Override)> = overrides.iter().enumerate().collect();
    order.sort_by_key(|(_, o)| !gives_loans(&o.key));
    for (i, o) in order {
        let Some(value) = root.remove(carrier(i).as_str()) else {
            continue;
        };
        match place(root, &o.key, value) {
            Ok(Some(warning)) => applied.warnings.push(format!("{}: {warning}", o.flag())),
            Ok(None) => {}
            Err((found, allowed)) => {
                applied
                    .errors
                    .push((o.flag(), o.key.clone(), found, allowed));
            }
        }
    }
    applied
}

/// Whether `key` is a path's loan rate, which gives loans to a path without them.
fn gives_loans(key: &str) -> bool {
    matches!(
        key.split('.').collect::<Vec<_>>().as_slice(),
        ["paths", _, "financing", "private_rate"]
    )
}

/// The path that a question varying `key` gives loans to, when `key` is the loan rate of one
/// of `paths` that has none (it pays out of pocket): each value searched or swept then makes
/// it borrow, as `--set` does, which the person should be told.
pub fn gives_loans_to<'s>(paths: &'s [super::PathSpec], key: &str) -> Option<&'s str> {
    if !gives_loans(key) {
        return None;
    }
    let name = key.split('.').nth(1)?;
    paths
        .iter()
        .find(|p| {
            p.key == name
                && p.alternative
                    .as_ref()
                    .is_some_and(|a| a.financing.is_none())
        })
        .map(|p| p.key.as_str())
}

/// The warning of a question that gives loans to path `path` ([`gives_loans_to`]).
pub fn loans_given_words(path: &str) -> String {
    format!(
        "[paths.{path}] has no [financing] in the file: at each value it borrows what its costs take (no savings, private loans at that rate), as that table with `private_rate` would"
    )
}

/// Puts `value` at `key`, creating the tables on the way as the file would have them; a
/// warning when that turns a path without loans into one with them.
fn place<'i>(
    root: &mut DeTable<'i>,
    key: &str,
    value: Spanned<DeValue<'i>>,
) -> Result<Option<String>, (String, String)> {
    let parts: Vec<&str> = key.split('.').collect();
    let span = value.span();
    // A path or role must exist in the file: an override does not create one.
    if let [group @ ("paths" | "roles"), name, ..] = parts.as_slice() {
        let defined: Vec<String> = match root.get(*group).map(|v| v.get_ref()) {
            Some(DeValue::Table(t)) => t.keys().map(|k| k.get_ref().to_string()).collect(),
            _ => Vec::new(),
        };
        if !defined.iter().any(|d| d == name) {
            let what = if *group == "paths" { "path" } else { "role" };
            return Err((
                format!("no {what} `{name}` in the scenario"),
                format!("one of its {group}: {}", defined.join(", ")),
            ));
        }
    }
    let is_param = schema::lookup(key).is_none();
    let mut table = root;
    let mut warning = None;
    for (depth, part) in parts[..parts.len() - 1].iter().enumerate() {
        let exists = table.contains_key(*part);
        if !exists {
            // A path without financing pays out of pocket. Its loans' rate, as written in the
            // file, gives it loans: done, and said. Another loan setting would turn it into a
            // path with loans that then lacks their rate: refused, saying how.
            if let ["paths", name, ..] = parts.as_slice()
                && depth == 2
                && gives_loans(key)
            {
                warning = Some(format!(
                    "[paths.{name}] had no [financing] in the file: it now borrows what its costs take (no savings, private loans at this rate), as that table with `private_rate` would"
                ));
            } else if let ["paths", name, "financing", ..] = parts.as_slice()
                && depth == 2
            {
                return Err((
                    format!(
                        "no [paths.{name}.financing] in the file: the path pays its costs out of pocket, so a loan setting changes nothing"
                    ),
                    format!(
                        "a key of a path with loans; to give `{name}` loans, set its rate (--set paths.{name}.financing.private_rate=0.09) or add [paths.{name}.financing] with `private_rate` to the file"
                    ),
                ));
            }
            if is_param && depth == parts.len() - 2 {
                return Err((
                    format!(
                        "no `{}` in the file to change a parameter of",
                        parts[..=depth].join(".")
                    ),
                    format!(
                        "the whole value: --set {}='{{ dist = \"...\", ... }}'",
                        parts[..=depth].join(".")
                    ),
                ));
            }
            table.insert(
                Spanned::new(span.clone(), Cow::Owned((*part).to_string())),
                Spanned::new(span.clone(), DeValue::Table(DeTable::new())),
            );
        }
        let next = table.get_mut(*part).expect("inserted above");
        match next.get_mut() {
            DeValue::Table(t) => table = t,
            other => {
                let found = match other {
                    DeValue::Table(_) => unreachable!(),
                    DeValue::Integer(_) | DeValue::Float(_) => "a plain number",
                    _ => "a value that is not a table",
                };
                return Err((
                    format!(
                        "`{}`, {found} in the file, not a distribution table",
                        parts[..=depth].join(".")
                    ),
                    format!(
                        "set the whole value instead: --set {}='{{ dist = \"...\", ... }}'",
                        parts[..=depth].join(".")
                    ),
                ));
            }
        }
    }
    let last = parts[parts.len() - 1];
    table.insert(Spanned::new(span, Cow::Owned(last.to_string())), value);
    Ok(warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_value() {
        let o = Override::parse("paths.b.placement = 0.7").unwrap();
        assert_eq!(
            (o.key.as_str(), o.value.as_str()),
            ("paths.b.placement", "0.7")
        );
        assert!(Override::parse("novalue").is_err());
        assert!(Override::parse("=1").is_err());
    }

    #[test]
    fn values_are_toml_or_bare_words() {
        assert_eq!(toml_value("0.7").as_deref(), Some("0.7"));
        assert_eq!(toml_value("rap").as_deref(), Some("\"rap\""));
        assert_eq!(toml_value("\"rap\"").as_deref(), Some("\"rap\""));
        assert_eq!(
            toml_value("{ dist = \"beta\", mean = 0.7, sd = 0.1 }").as_deref(),
            Some("{ dist = \"beta\", mean = 0.7, sd = 0.1 }")
        );
        assert_eq!(toml_value("{ broken"), None);
        assert_eq!(toml_value("a\nb"), None);
    }

    #[test]
    fn keys_are_checked_against_the_format() {
        assert!(check_key("paths.x.placement").is_ok());
        assert!(check_key("paths.x.placement.mean").is_ok());
        assert!(check_key("paths.x.costs.tuition_per_year").is_ok());
        assert!(check_key("simulation.trials").is_ok());
        assert!(check_key("paths.x.financing.repayment").is_ok());
        assert!(check_key("paths.x.placement.average").is_err());
        assert!(check_key("paths.x.costs").is_err());
        let (found, allowed) = check_key("paths.x.tuition_per_year").unwrap_err();
        assert!(found.contains("not a key"), "{found}");
        assert!(
            allowed.contains("paths.x.costs.tuition_per_year"),
            "{allowed}"
        );
    }
}
