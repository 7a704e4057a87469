//! `worthit schema`: a JSON Schema (draft 2020-12) of the scenario format, generated from the
//! declared keys, so that editors (Taplo, the Even Better TOML extension) complete keys, show
//! each key's doc and flag typos as the file is typed. worthit's own validation remains the
//! reference: it also checks what a schema cannot say (a lognormal's pair of percentiles, a
//! probability's whole support, roles named by paths).

use serde_json::{Map, Value, json};

use super::names::MAX_KEY_LEN;
use super::param::{DISTS, Domain, MAX_AMOUNT};
use super::parse::MAX_PATHS;
use super::schema::{self, IfAbsent, KeyDef, Section, Ty};

/// The JSON Schema, pretty-printed, with a final newline.
pub fn json_schema() -> String {
    let mut defs = Map::new();
    for s in Section::ALL.into_iter().filter(|s| *s != Section::Root) {
        defs.insert(def_name(s).to_string(), section(s));
    }
    defs.insert("distribution".into(), distribution());
    let mut root = section(Section::Root);
    let obj = root.as_object_mut().expect("an object");
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    obj.insert(
        "title".into(),
        json!("worthit scenario: one person, the roles they could land, the paths open to them"),
    );
    obj.insert("$defs".into(), Value::Object(defs));
    let mut s = serde_json::to_string_pretty(&root).expect("a JSON value serializes");
    s.push('\n');
    s
}

fn def_name(s: Section) -> &'static str {
    match s {
        Section::Root => "scenario",
        Section::Simulation => "simulation",
        Section::Economy => "economy",
        Section::Tax => "tax",
        Section::Person => "person",
        Section::Role => "role",
        Section::Path => "path",
        Section::Costs => "costs",
        Section::Financing => "financing",
        Section::Factor => "factor",
        Section::Threshold => "threshold",
        Section::Sweep => "sweep",
        Section::Axis => "axis",
    }
}

fn reference(s: Section) -> Value {
    json!({ "$ref": format!("#/$defs/{}", def_name(s)) })
}

fn section(s: Section) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for k in schema::keys(s) {
        props.insert(k.name.to_string(), property(k));
        // A path's `duration_months` and `roles` are required of alternatives only, and the
        // financing's `private_rate` with financing: the schema keeps to what always holds.
        if k.default == IfAbsent::Required
            && !matches!((s, k.name), (Section::Path, "duration_months" | "roles"))
        {
            required.push(json!(k.name));
        }
    }
    let mut o = Map::new();
    o.insert("type".into(), json!("object"));
    o.insert("description".into(), json!(format!("{}", s.header())));
    o.insert("properties".into(), Value::Object(props));
    o.insert("additionalProperties".into(), json!(false));
    if !required.is_empty() {
        o.insert("required".into(), Value::Array(required));
    }
    Value::Object(o)
}

fn property(k: &KeyDef) -> Value {
    let mut v = match k.ty {
        Ty::Text => json!({ "type": "string" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Int { lo, hi } => json!({ "type": "integer", "minimum": lo, "maximum": hi }),
        Ty::Number { lo, hi } => json!({ "type": "number", "minimum": lo, "maximum": hi }),
        Ty::Input(d) => {
            let mut number = json!({ "type": "number" });
            match d {
                Domain::Any => {}
                // An amount (or months) up to a billion; a program lasts a month at least.
                Domain::NonNegative => {
                    let least = if (k.section, k.name) == (Section::Path, "duration_months") {
                        1
                    } else {
                        0
                    };
                    number["minimum"] = json!(least);
                    number["maximum"] = json!(MAX_AMOUNT);
                }
                Domain::Probability => {
                    number["minimum"] = json!(0);
                    number["maximum"] = json!(1);
                }
                Domain::Rate { lo } => {
                    number["minimum"] = json!(lo);
                    number["maximum"] = json!(1);
                }
            }
            json!({ "anyOf": [number, { "$ref": "#/$defs/distribution" }] })
        }
        Ty::Word(words) => json!({ "type": "string", "enum": words }),
        Ty::Table(s) => reference(s),
        // Paths and roles: their names as the format takes them (they name output files),
        // and at most MAX_PATHS paths. A factor's name is free.
        Ty::Named(s) => {
            let mut named = json!({ "type": "object", "additionalProperties": reference(s) });
            if matches!(s, Section::Path | Section::Role) {
                named["propertyNames"] = json!({
                    "pattern": "^[A-Za-z0-9_][A-Za-z0-9_-]*$",
                    "maxLength": MAX_KEY_LEN
                });
            }
            if s == Section::Path {
                named["maxProperties"] = json!(MAX_PATHS);
            }
            named
        }
        Ty::Tables(s) => json!({ "type": "array", "items": reference(s) }),
        Ty::Values => json!({
            "type": "array",
            "minItems": 1,
            "items": { "anyOf": [{ "type": "number" }, { "type": "string" }, { "type": "boolean" }] }
        }),
        Ty::Brackets => json!({
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "array",
                "prefixItems": [
                    { "type": "number", "minimum": 0 },
                    { "type": "number", "minimum": 0, "maximum": 1 }
                ],
                "minItems": 2,
                "maxItems": 2
            }
        }),
        Ty::Payroll => json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rate": { "type": "number", "minimum": 0, "maximum": 1 },
                    "cap": { "type": "number", "exclusiveMinimum": 0 }
                },
                "required": ["rate"],
                "additionalProperties": false
            }
        }),
        Ty::RoleWeights => json!({
            "type": "object",
            "additionalProperties": { "type": "number", "minimum": 0 }
        }),
        Ty::Loadings => json!({
            "type": "object",
            "minProperties": 1,
            "additionalProperties": { "type": "number", "minimum": -1, "maximum": 1 }
        }),
    };
    let o = v.as_object_mut().expect("an object");
    let mut doc = k.doc.to_string();
    if !k.unit_words().is_empty() {
        doc.push_str(&format!(" Unit: {}.", k.unit_words()));
    }
    match k.default {
        IfAbsent::Required => doc.push_str(" Required."),
        // A whole number's default is written as one (`seed = 1`, not `1.0`, which the
        // format refuses).
        IfAbsent::Num(x) if matches!(k.ty, Ty::Int { .. }) => {
            o.insert("default".into(), json!(x as i64));
        }
        IfAbsent::Num(x) => {
            o.insert("default".into(), json!(x));
        }
        IfAbsent::Bool(b) => {
            o.insert("default".into(), json!(b));
        }
        IfAbsent::Word(w) => {
            o.insert("default".into(), json!(w));
        }
        IfAbsent::Absent(what) => doc.push_str(&format!(" If left out: {what}.")),
    }
    o.insert("title".into(), json!(k.label));
    o.insert("description".into(), json!(doc));
    v
}

/// `{ dist = "...", ... }`: one branch per distribution with the keys it takes.
fn distribution() -> Value {
    let branches: Vec<Value> = DISTS
        .iter()
        .map(|(name, keys)| {
            let mut props = Map::new();
            props.insert("dist".into(), json!({ "const": name }));
            for k in keys.iter() {
                let v = match *k {
                    "values" | "weights" => {
                        json!({ "type": "array", "items": { "type": "number" } })
                    }
                    "file" | "column" => json!({ "type": "string" }),
                    _ => json!({ "type": "number" }),
                };
                props.insert((*k).to_string(), v);
            }
            // The keys a distribution always needs; a lognormal and a beta take one of
            // several pairs, which validation checks.
            let needs: &[&str] = match *name {
                "fixed" => &["value"],
                "uniform" => &["min", "max"],
                "normal" => &["mean", "sd"],
                "triangular" | "pert" => &["min", "mode", "max"],
                "choice" => &["values"],
                "empirical" => &["file", "column"],
                _ => &[],
            };
            let required: Vec<&str> = std::iter::once("dist")
                .chain(needs.iter().copied())
                .collect();
            json!({
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": false
            })
        })
        .collect();
    json!({
        "description": "A distribution: { dist = \"lognormal\", median = 72_000, p90 = 95_000 }, { dist = \"beta\", mean = 0.85, sd = 0.05 }, ... (see docs/scenario-format.md)",
        "oneOf": branches
    })
}
