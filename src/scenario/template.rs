//! The commented template `worthit init` writes, generated from the declared keys: every
//! section and every key, each with its doc, unit and default, filled with an example person
//! (figures from public sources where one exists). A test keeps it valid; a key added to the
//! format appears here by itself.

use super::param::fmt_num;
use super::schema::{self, IfAbsent, KeyDef, Section, Ty};

/// The example values of the template, by section: (key, TOML value). Keys left out take
/// their default (written out, so the file shows every key).
const SIMULATION: &[(&str, &str)] = &[("trials", "100_000"), ("seed", "1")];
const ECONOMY: &[(&str, &str)] = &[("discount_rate", "0.03"), ("inflation", "0.025")];
const TAX: &[(&str, &str)] = &[
    ("standard_deduction", "16_100"),
    (
        "brackets",
        "[[0, 0.10], [12_400, 0.12], [50_400, 0.22], [105_700, 0.24], [201_775, 0.32], [256_225, 0.35], [640_600, 0.37]]",
    ),
    (
        "payroll",
        "[{ rate = 0.062, cap = 184_500 }, { rate = 0.0145 }]",
    ),
    ("state_rate", "0.05"),
];
const PERSON: &[(&str, &str)] = &[
    ("description", "\"A data analyst weighing an ML master's\""),
    ("age", "27"),
    ("retirement_age", "65"),
    ("salary", "72_000"),
    (
        "annual_raise",
        "{ dist = \"normal\", mean = 0.012, sd = 0.02 }",
    ),
    ("unemployment_rate", "0.03"),
    (
        "unemployment_months",
        "{ dist = \"uniform\", min = 1, max = 6 }",
    ),
];
const ML_ENGINEER: &[(&str, &str)] = &[
    ("label", "\"ML engineer\""),
    (
        "salary",
        "{ dist = \"lognormal\", p10 = 79_850, p90 = 140_910 }",
    ),
    (
        "annual_raise",
        "{ dist = \"normal\", mean = 0.02, sd = 0.02 }",
    ),
    ("unemployment_rate", "0.04"),
    (
        "unemployment_months",
        "{ dist = \"uniform\", min = 1, max = 6 }",
    ),
];
const DATA_SCIENTIST: &[(&str, &str)] = &[
    ("label", "\"Data scientist\""),
    (
        "salary",
        "{ dist = \"lognormal\", p10 = 63_650, p90 = 112_590 }",
    ),
    ("annual_raise", "0.02"),
];
const STAY: &[(&str, &str)] = &[("label", "\"Keep the current job\""), ("baseline", "true")];
const MASTERS: &[(&str, &str)] = &[
    ("label", "\"Two-year in-person ML master's\""),
    ("description", "\"Full-time, 24 months, federal loans\""),
    ("duration_months", "24"),
    ("completion", "{ dist = \"beta\", mean = 0.85, sd = 0.05 }"),
    ("placement", "{ dist = \"beta\", mean = 0.8, sd = 0.08 }"),
    ("search_months", "{ dist = \"uniform\", min = 1, max = 9 }"),
    (
        "fallback_months",
        "{ dist = \"uniform\", min = 1, max = 4 }",
    ),
    ("roles", "{ ml_engineer = 0.5, data_scientist = 0.5 }"),
    ("promotion_rate", "0.10"),
    ("promotion_raise", "0.20"),
];
const MASTERS_COSTS: &[(&str, &str)] = &[
    (
        "tuition_per_year",
        "{ dist = \"triangular\", min = 12_171, mode = 27_776, max = 52_000 }",
    ),
    ("fees_per_year", "1_500"),
    ("living_extra_per_month", "1_000"),
    ("one_time", "3_000"),
];
const MASTERS_FINANCING: &[(&str, &str)] = &[
    ("savings", "15_000"),
    ("federal", "true"),
    ("federal_rate", "0.0794"),
    (
        "private_rate",
        "{ dist = \"uniform\", min = 0.045, max = 0.148 }",
    ),
];
const BOOTCAMP: &[(&str, &str)] = &[
    ("label", "\"Data-science bootcamp\""),
    ("duration_months", "4"),
    ("completion", "{ dist = \"beta\", mean = 0.8, sd = 0.08 }"),
    ("placement", "{ dist = \"beta\", mean = 0.5, sd = 0.1 }"),
    ("search_months", "{ dist = \"uniform\", min = 3, max = 6 }"),
    ("fallback_months", "2"),
    ("roles", "{ data_scientist = 1 }"),
    ("salary_premium", "-0.15"),
];
const BOOTCAMP_COSTS: &[(&str, &str)] = &[("one_time", "15_000")];
const ABILITY: &[(&str, &str)] = &[
    ("description", "\"How strong a candidate this person is\""),
    (
        "loadings",
        "{ \"paths.*.completion\" = 0.4, \"paths.*.placement\" = 0.4, \"roles.*.salary\" = 0.3 }",
    ),
];

const THRESHOLD: &[(&str, &str)] = &[
    ("vary", "\"paths.masters.placement\""),
    ("from", "0.1"),
    ("to", "1.0"),
    ("path", "\"masters\""),
];
const SWEEP: &[(&str, &str)] = &[];
const SWEEP_X: &[(&str, &str)] = &[
    ("vary", "\"paths.masters.costs.tuition_per_year\""),
    ("from", "10_000"),
    ("to", "60_000"),
    ("points", "6"),
];

/// The template scenario, covering every section and key, which validates as written.
pub fn template() -> String {
    let mut t = String::from(
        "#:schema ./worthit-scenario.schema.json\n\
# (Editors: `worthit schema > worthit-scenario.schema.json` makes the line above complete and\n\
# check keys as you type, in Taplo and the Even Better TOML extension.)\n\
#\n\
# A worthit scenario: one person, the roles they could land, and the paths open to them.\n\
# Every uncertain number may be a plain number or a distribution, e.g.\n\
#   { dist = \"uniform\", min = 1, max = 6 }\n\
#   { dist = \"lognormal\", median = 120_883, p90 = 170_000 }\n\
#   { dist = \"beta\", mean = 0.85, sd = 0.05 }\n\
# Rates and shares are fractions: write 3% as 0.03. docs/scenario-format.md lists every key.\n\
# Check with: worthit validate FILE\n\n",
    );
    t.push_str("name = \"My decision\"\n");
    t.push_str("description = \"What I am weighing, and where the figures come from.\"\n\n");
    block(&mut t, Section::Simulation, "simulation", SIMULATION, true);
    block(&mut t, Section::Economy, "economy", ECONOMY, true);
    t.push_str("# Either a flat share of gross income (effective_rate = 0.24) or a schedule; this is\n# the US 2026 single-filer schedule.\n");
    block(&mut t, Section::Tax, "tax", TAX, true);
    block(&mut t, Section::Person, "person", PERSON, true);
    t.push_str(
        "# The roles the new paths can lead to. Salaries are entry pay, for the year the job\n\
         # starts: an all-experience average or median overstates it. All figures on one survey,\n\
         # BLS Occupational Employment and Wage Statistics, May 2024 (other surveys pay the same\n\
         # jobs differently: do not mix them). Replace with your market's figures.\n\
         # ML engineer (no BLS occupation of its own): from the software developers' 10th\n\
         # percentile, $79,850 (15-1252), to the median of computer and information research\n\
         # scientists, $140,910 (15-1221), read as the 10th and 90th percentiles.\n",
    );
    block(
        &mut t,
        Section::Role,
        "roles.ml_engineer",
        ML_ENGINEER,
        true,
    );
    t.push_str(
        "# Data scientist (15-2051): from its 10th percentile, $63,650, to its median, $112,590,\n\
         # read as the 10th and 90th percentiles of entry pay.\n",
    );
    block(
        &mut t,
        Section::Role,
        "roles.data_scientist",
        DATA_SCIENTIST,
        false,
    );
    t.push_str("# Exactly one path is the baseline: staying put.\n");
    block(&mut t, Section::Path, "paths.stay", STAY, false);
    block(&mut t, Section::Path, "paths.masters", MASTERS, true);
    block(
        &mut t,
        Section::Costs,
        "paths.masters.costs",
        MASTERS_COSTS,
        true,
    );
    t.push_str("# Leave the financing table out to pay every cost out of pocket, with no limit.\n");
    block(
        &mut t,
        Section::Financing,
        "paths.masters.financing",
        MASTERS_FINANCING,
        true,
    );
    block(&mut t, Section::Path, "paths.bootcamp", BOOTCAMP, false);
    block(
        &mut t,
        Section::Costs,
        "paths.bootcamp.costs",
        BOOTCAMP_COSTS,
        false,
    );
    t.push_str(
        "# Optional: a hidden trait that moves several inputs together (see docs/scenario-format.md).\n",
    );
    block(&mut t, Section::Factor, "factors.ability", ABILITY, true);
    t.push_str(
        "# Optional: what would have to be true. From what placement rate does the master's beat\n\
         # staying put in at least half of lives? (A header in double brackets can repeat.)\n",
    );
    block(&mut t, Section::Threshold, "[thresholds]", THRESHOLD, true);
    t.push_str("# Optional: every path's figures over a range of tuitions (add `y` for a grid).\n");
    block(&mut t, Section::Sweep, "[sweeps]", SWEEP, true);
    block(&mut t, Section::Axis, "sweeps.x", SWEEP_X, true);
    t
}

/// Examples of optional keys with no default, written commented out (`# precision = 0.005`)
/// rather than as `# precision = ...`: what a value looks like.
const COMMENTED: &[(&str, &str)] = &[
    ("precision", "0.005"),
    ("effective_rate", "0.24"),
    ("versus", "\"bootcamp\""),
    ("target", "0.5"),
    ("values", "[20_000, 30_000, 40_000]"),
];

/// One table: every key of the section when `every`, else only the example's, each with its
/// doc and default in a comment.
fn block(t: &mut String, s: Section, header: &str, values: &[(&str, &str)], every: bool) {
    t.push_str(&format!("[{header}]\n"));
    for k in schema::keys(s) {
        if matches!(k.ty, Ty::Table(_) | Ty::Named(_) | Ty::Tables(_)) {
            continue;
        }
        let example = values.iter().find(|(n, _)| *n == k.name).map(|(_, v)| *v);
        let line = match (example, every) {
            (Some(v), _) => format!("{} = {v}", k.name),
            (None, false) => continue,
            (None, true) => match default_value(k) {
                Some(v) => format!("{} = {v}", k.name),
                None => match COMMENTED.iter().find(|(n, _)| *n == k.name) {
                    Some((_, v)) => format!("# {} = {v}", k.name),
                    None => format!("# {} = ...", k.name),
                },
            },
        };
        t.push_str(&format!("{line:<40} # {}\n", comment(k)));
    }
    t.push('\n');
}

fn default_value(k: &KeyDef) -> Option<String> {
    match k.default {
        IfAbsent::Num(x) => Some(fmt_num(x).replace(',', "_")),
        IfAbsent::Bool(b) => Some(b.to_string()),
        IfAbsent::Word(w) => Some(format!("\"{w}\"")),
        _ => None,
    }
}

fn comment(k: &KeyDef) -> String {
    let default = match k.default {
        IfAbsent::Required => "required".to_string(),
        IfAbsent::Absent(what) => format!("if left out: {what}"),
        _ => format!("default {}", default_value(k).unwrap_or_default()),
    };
    // A whole number says its range (a distribution is refused there).
    let unit = match k.ty {
        Ty::Int { lo, hi } => {
            let range = if hi == i64::MAX {
                format!("whole number, at least {lo}")
            } else {
                let hi = crate::text::thousands(u64::try_from(hi).unwrap_or(u64::MAX));
                format!("whole number from {lo} to {hi}")
            };
            match k.unit_words() {
                u if u.is_empty() || u == "count" => {
                    return format!("{} A {range}; {default}.", k.doc);
                }
                u => format!("{u}, a {range}"),
            }
        }
        _ => k.unit_words().into_owned(),
    };
    if unit.is_empty() {
        format!("{} ({default})", k.doc)
    } else {
        format!("{} In {unit}; {default}.", k.doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_validates_and_shows_every_key() {
        let text = template();
        let s = crate::scenario::load_str(&text, std::path::Path::new("scenario.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(s.paths.len(), 3);
        // Every key of the format is in the template, set or commented.
        for k in schema::KEYS {
            let shown = text.contains(&format!("\n{} = ", k.name))
                || text.contains(&format!("\n# {} = ", k.name))
                || matches!(k.ty, Ty::Table(_) | Ty::Named(_) | Ty::Tables(_));
            assert!(shown, "{} is not in the template", k.name);
        }
        assert!(text.starts_with("#:schema "));
        assert!(text.contains("In share from 0.00001 to 0.5;"), "{text}");
        // A whole number says its range.
        assert!(
            text.contains("In years, a whole number from 0 to 119; required."),
            "{text}"
        );
        // The commented examples that go with the rest of the template are valid when
        // uncommented (`effective_rate` replaces the brackets, `values` a sweep's range).
        let mut on = text.clone();
        for key in ["precision", "versus", "target"] {
            let (_, v) = COMMENTED.iter().find(|(k, _)| *k == key).unwrap();
            on = on.replace(&format!("\n# {key} = {v}"), &format!("\n{key} = {v}"));
            assert!(on.contains(&format!("\n{key} = {v}")), "{key}");
        }
        let s = crate::scenario::load_str(&on, std::path::Path::new("scenario.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{on}"));
        assert_eq!(s.simulation.precision, Some(0.005));
        assert_eq!(s.thresholds[0].versus.as_deref(), Some("bootcamp"));
        assert_eq!(s.sweeps[0].versus.as_deref(), Some("bootcamp"));
    }
}
