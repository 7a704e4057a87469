//! The declared format and what is generated from it: the JSON Schema validates every bundled
//! scenario (and refuses broken ones), and docs/scenario-format.md documents exactly the keys
//! the format has.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use toml::de::{DeTable, DeValue};
use worthit::scenario::schema::{self, Section, Ty};

fn schema_json() -> Value {
    let out = Command::cargo_bin("worthit")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("worthit schema prints JSON")
}

/// A TOML document as JSON, as editors see it.
fn to_json(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            Value::from(i64::from_str_radix(i.as_str(), i.radix()).expect("an i64"))
        }
        DeValue::Float(f) => {
            let x: f64 = f.as_str().replace('_', "").parse().expect("a float");
            serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
        }
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|x| to_json(x.get_ref())).collect()),
        DeValue::Table(t) => table_json(t),
    }
}

fn table_json(t: &DeTable<'_>) -> Value {
    Value::Object(
        t.iter()
            .map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref())))
            .collect(),
    )
}

/// A small JSON Schema validator for the keywords `worthit schema` uses (type, properties,
/// additionalProperties, required, enum, const, minimum, maximum, exclusiveMinimum, items,
/// prefixItems, minItems, maxItems, anyOf, oneOf, $ref to #/$defs). Returns the first
/// problem's path.
fn validate(root: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let fail = |what: &str| Err(format!("{at}: {what}"));
    let Some(s) = schema.as_object() else {
        return if schema == &Value::Bool(false) {
            fail("not allowed")
        } else {
            Ok(())
        };
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("a local ref");
        return validate(root, &root["$defs"][name], v, at);
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            other => panic!("type {other}"),
        };
        if !ok {
            return fail(&format!("not a {t}: {v}"));
        }
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        return fail(&format!("{v} is not {c}"));
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return fail(&format!("{v} not in {e:?}"));
    }
    if let Some(x) = v.as_f64() {
        if s.get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x < m)
        {
            return fail(&format!("{x} below the minimum"));
        }
        if s.get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x > m)
        {
            return fail(&format!("{x} above the maximum"));
        }
        if s.get("exclusiveMinimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| x <= m)
        {
            return fail(&format!("{x} not above the minimum"));
        }
    }
    if let Some(o) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for (k, x) in o {
            match props.and_then(|p| p.get(k)) {
                Some(p) => validate(root, p, x, &format!("{at}.{k}"))?,
                None => {
                    if let Some(a) = s.get("additionalProperties") {
                        validate(root, a, x, &format!("{at}.{k}"))?;
                    }
                }
            }
        }
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !o.contains_key(r.as_str().unwrap()) {
                return fail(&format!("missing {r}"));
            }
        }
    }
    if let Some(a) = v.as_array() {
        let n = a.len() as u64;
        if s.get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n < m)
        {
            return fail("too few items");
        }
        if s.get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| n > m)
        {
            return fail("too many items");
        }
        let prefix = s.get("prefixItems").and_then(Value::as_array);
        for (i, x) in a.iter().enumerate() {
            let item = prefix.and_then(|p| p.get(i)).or_else(|| s.get("items"));
            if let Some(item) = item {
                validate(root, item, x, &format!("{at}[{i}]"))?;
            }
        }
    }
    if let Some(any) = s.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(|b| validate(root, b, v, at).is_ok())
    {
        return fail(&format!("matches none of anyOf: {v}"));
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
        let n = one
            .iter()
            .filter(|b| validate(root, b, v, at).is_ok())
            .count();
        if n != 1 {
            return fail(&format!("matches {n} branches of oneOf: {v}"));
        }
    }
    Ok(())
}

fn check_file(schema: &Value, text: &str) -> Result<(), String> {
    let doc = DeTable::parse(text).map_err(|e| e.to_string())?;
    validate(schema, schema, &table_json(doc.get_ref()), "")
}

#[test]
fn every_bundled_scenario_and_the_template_validate_against_the_printed_schema() {
    let schema = schema_json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let mut n = 0;
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            check_file(&schema, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            n += 1;
        }
    }
    assert!(n >= 5, "{n} scenarios");
    check_file(&schema, &worthit::scenario::template::template()).unwrap();
}

#[test]
fn the_schema_refuses_what_the_format_refuses() {
    let schema = schema_json();
    let good = worthit::scenario::template::template();
    for (from, to, why) in [
        ("trials = 100_000", "trials = 0", "trials below 1"),
        ("trials = 100_000", "trails = 100_000", "an unknown key"),
        (
            "completion = { dist = \"beta\", mean = 0.85, sd = 0.05 }",
            "completion = 1.5",
            "a probability above 1",
        ),
        (
            "completion = { dist = \"beta\", mean = 0.85, sd = 0.05 }",
            "completion = { dist = \"betta\", mean = 0.85 }",
            "an unknown distribution",
        ),
        (
            "completion = { dist = \"beta\", mean = 0.85, sd = 0.05 }",
            "completion = { dist = \"beta\", median = 0.85 }",
            "a key the distribution does not take",
        ),
        (
            "federal = true",
            "federal = \"yes\"",
            "a string for a boolean",
        ),
        (
            "duration_months = 24 ",
            "duration_months = 0 ",
            "no month of study",
        ),
        (
            "unemployment_months = { dist = \"uniform\", min = 1, max = 6 }",
            "unemployment_months = { dist = \"uniform\", min = 1 }",
            "a uniform without its max",
        ),
        (
            "one_time = 3_000 ",
            "one_time = 1e13 ",
            "an amount above a billion",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        let bad = good.replacen(from, to, 1);
        assert!(check_file(&schema, &bad).is_err(), "{why}");
    }
}

/// A whole number's default is one in the schema (an editor that fills in `seed = 1.0` would
/// write what the format refuses), and a share's unit words do not contradict its range.
#[test]
fn defaults_and_units_are_what_the_format_takes() {
    let schema = schema_json();
    for k in worthit::scenario::schema::KEYS {
        let Some(def) = schema["$defs"]
            .as_object()
            .and_then(|d| d.values().find_map(|s| s["properties"].get(k.name)))
        else {
            continue;
        };
        if matches!(k.ty, worthit::scenario::schema::Ty::Int { .. })
            && let Some(d) = def.get("default")
        {
            assert!(d.is_i64() || d.is_u64(), "{}: default {d}", k.name);
        }
    }
    let fee = &schema["$defs"]["financing"]["properties"]["federal_fee"]["description"];
    assert!(
        fee.as_str().unwrap().contains("share from 0 to 0.5"),
        "{fee}"
    );
}

/// The keys documented under each table's heading of docs/scenario-format.md: the first
/// cell of every table row that is a key in backticks.
fn documented() -> Vec<(Section, BTreeSet<String>)> {
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let mut out: Vec<(Section, BTreeSet<String>)> = Vec::new();
    let mut current: Option<Section> = None;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = Section::ALL.into_iter().find(|s| {
                let header = s.header();
                h.contains(&format!("`{header}`"))
                    || (header == "top level" && h.eq_ignore_ascii_case("top level"))
            });
            if let Some(s) = current
                && !out.iter().any(|(x, _)| *x == s)
            {
                out.push((s, BTreeSet::new()));
            }
            continue;
        }
        let (Some(s), Some(rest)) = (current, line.strip_prefix("| `")) else {
            continue;
        };
        let key = rest.split('`').next().unwrap_or_default();
        if !key.is_empty() && !key.contains(' ') {
            out.iter_mut()
                .find(|(x, _)| *x == s)
                .unwrap()
                .1
                .insert(key.to_string());
        }
    }
    out
}

#[test]
fn the_format_docs_document_exactly_the_keys_of_the_format() {
    let docs = documented();
    for s in Section::ALL {
        let declared: BTreeSet<String> = schema::keys(s)
            .filter(|k| !matches!(k.ty, Ty::Table(_) | Ty::Named(_) | Ty::Tables(_)))
            .map(|k| k.name.to_string())
            .collect();
        // A sub-table written inline (a sweep's `x` and `y`) may be documented in its parent's
        // table too.
        let inline: BTreeSet<String> = schema::keys(s)
            .filter(|k| matches!(k.ty, Ty::Table(_)))
            .map(|k| k.name.to_string())
            .collect();
        let found = docs
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, k)| k.clone())
            .unwrap_or_else(|| panic!("docs/scenario-format.md has no heading for {}", s.header()));
        let missing: Vec<_> = declared.difference(&found).collect();
        let unknown: Vec<_> = found
            .difference(&declared)
            .filter(|k| !inline.contains(*k))
            .collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "{}: undocumented {missing:?}; documented but not in the format {unknown:?}",
            s.header()
        );
    }
    assert!(Path::new("docs/scenario-format.md").exists());
}
