//! A key in words, as the sentences of answers say it.

use crate::scenario::Scenario;
use crate::scenario::schema;

/// A path's keys said by their label ("length of study"), not their key ("duration months").
const NOUN_LABELS: [&str; 5] = [
    "duration_months",
    "work_fraction",
    "study_income_per_year",
    "search_months",
    "fallback_months",
];

/// A key in words for a sentence about path `path`: "placement", "tuition per year",
/// "placement of the bootcamp" (a key of another path), "the mean of placement" (a
/// parameter), "the discount rate".
pub fn key_words(key: &str, path: &str, sc: &Scenario) -> String {
    let (input, param) = match schema::lookup(key) {
        Some(_) => (key, None),
        None => key
            .rsplit_once('.')
            .map_or((key, None), |(p, k)| (p, Some(k))),
    };
    let parts: Vec<&str> = input.split('.').collect();
    let last = match (parts.as_slice(), schema::lookup(input)) {
        // A cost or a loan term by its label, a noun ("one-time costs", "federal loans",
        // "grace period"), not its key ("federal", "grace months"); so too the path's keys
        // whose label is a noun ("length of study", "months of job search"). The others
        // ("placement", "completion", "promotion rate") read better as their key.
        (["paths", _, "costs" | "financing", _], Some((d, _))) => lower_first(d.label),
        (["paths", _, key], Some((d, _))) if NOUN_LABELS.contains(key) => lower_first(d.label),
        _ => parts.last().copied().unwrap_or_default().replace('_', " "),
    };
    let words = match parts.as_slice() {
        // The path the sentence is about: "when its placement is 62% or more" (both paths
        // of a comparison may have a placement).
        ["paths", name, ..] if *name == path => format!("its {last}"),
        ["paths", name, ..] => {
            let label = sc
                .paths
                .iter()
                .find(|p| p.key == *name)
                .map_or(*name, |p| p.label.as_str());
            format!("{last} of {label}")
        }
        // As the sensitivity analysis names it: "starting salary as ML engineer".
        ["roles", name, ..] => {
            let role = sc.roles.iter().find(|r| r.key == *name).map_or_else(
                || crate::text::role_name(name, name),
                |r| crate::text::role_name(&r.key, &r.label),
            );
            let what = schema::lookup(input).map_or(last, |(d, _)| lower_first(d.label));
            format!("{what} as {role}")
        }
        // A key of the person, the economy or the tax: "the discount rate".
        _ => format!(
            "the {}",
            schema::lookup(input).map_or(last, |(d, _)| lower_first(d.label))
        ),
    };
    match param {
        Some(p) => format!("the {p} of {words}"),
        None => words,
    }
}

/// Whether a sentence says "are", not "is", of a key in words ([`key_words`]): its head
/// noun names several things ("its one-time costs are", "the months out of work per layoff
/// are", "the number of dependents is", "the max of its one-time costs is").
pub fn words_are_plural(words: &str) -> bool {
    let words = words.to_lowercase();
    // The head noun: the last word before what qualifies it ("months" of "months out of
    // work per layoff", "costs" of "extra living costs").
    let head = [
        " of ", " per ", " for ", " out ", " before ", " in ", " as ",
    ]
    .iter()
    .filter_map(|q| words.find(q))
    .min()
    .map_or(words.as_str(), |i| &words[..i]);
    let noun = head.rsplit(' ').next().unwrap_or_default();
    noun.ends_with('s') && !noun.ends_with("ss") && !noun.ends_with("us")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::questions::versus_of;

    /// A key in words, as sentences say it: a role's by the role's name in words and its
    /// input's label (as the sensitivity analysis names it), another path's with the path's
    /// label, the path asked about's as "its".
    #[test]
    fn keys_in_words() {
        let src = r#"
[person]
age = 30
retirement_age = 65
salary = 60_000
[roles.ml_engineer]
salary = 100_000
[roles.analyst]
label = "Senior analyst"
salary = 80_000
[paths.stay]
baseline = true
[paths.bootcamp]
label = "The bootcamp"
duration_months = 4
roles = { ml_engineer = 0.5, analyst = 0.5 }
[paths.masters]
duration_months = 12
roles = { ml_engineer = 1.0 }
"#;
        let sc = crate::scenario::load_str(src, std::path::Path::new("k.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let words = |k: &str| key_words(k, "masters", &sc);
        assert_eq!(
            words("roles.ml_engineer.salary"),
            "starting salary as ML engineer"
        );
        assert_eq!(
            words("roles.analyst.salary"),
            "starting salary as Senior analyst"
        );
        assert_eq!(
            words("roles.ml_engineer.salary.p90"),
            "the p90 of starting salary as ML engineer"
        );
        assert_eq!(words("paths.masters.placement"), "its placement");
        assert_eq!(
            words("paths.bootcamp.placement"),
            "placement of The bootcamp"
        );
        assert_eq!(words("economy.discount_rate"), "the discount rate");
        // Loan terms and some of a path's keys by their label, a noun.
        assert_eq!(
            words("paths.bootcamp.financing.federal"),
            "federal loans of The bootcamp"
        );
        assert_eq!(
            words("paths.masters.financing.repayment"),
            "its federal repayment plan"
        );
        assert_eq!(
            words("paths.masters.duration_months"),
            "its length of study"
        );
        assert_eq!(
            words("paths.masters.search_months"),
            "its months of job search"
        );
        // A cost by its label, a noun.
        assert_eq!(words("paths.masters.costs.one_time"), "its one-time costs");
        assert_eq!(
            words("paths.masters.costs.tuition_per_year"),
            "its tuition per year"
        );
        // A plural head noun says "are".
        for (key, plural) in [
            ("paths.masters.costs.one_time", true),
            ("paths.masters.costs.fees_per_year", true),
            ("paths.masters.costs.living_extra_per_month", true),
            ("paths.masters.search_months", true),
            ("paths.masters.duration_months", false),
            ("paths.masters.financing.federal", true),
            ("paths.masters.financing.grace_months", false),
            ("person.unemployment_months", true),
            ("roles.analyst.unemployment_months", true),
            ("paths.masters.financing.savings", true),
            ("paths.masters.costs.tuition_per_year", false),
            ("paths.masters.costs.one_time.max", false),
            ("paths.masters.promotion_raise", false),
            ("person.dependents", false),
            ("person.unemployment_rate", false),
            ("economy.discount_rate", false),
        ] {
            let w = words(key);
            assert_eq!(words_are_plural(&w), plural, "{key}: {w}");
        }
        // A `versus` naming the baseline is the question without one.
        let versus = |v: &str| versus_of(Some(v.to_string()), &sc.paths);
        assert_eq!(versus("stay"), None);
        assert_eq!(versus("bootcamp").as_deref(), Some("bootcamp"));
    }
}
