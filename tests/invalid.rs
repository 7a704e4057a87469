//! The corpus of malformed scenarios in `tests/invalid/`: each file has one mistake (a few
//! have several, on purpose) and this table pins every diagnostic the loader reports for it,
//! by line and key path. A file added to the folder without a row here fails the test, so
//! the corpus cannot rot; a change in what the loader reports (a cascade of extra errors, a
//! lost key path, a line that moved) fails it too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use worthit::scenario::{Diagnostic, LoadError, load, load_str};

/// (file, every diagnostic as (line, key path), in the order reported). A syntax error has
/// an empty key path: the TOML parser reports it outside any key.
const CASES: &[(&str, &[(usize, &str)])] = &[
    // TOML syntax, a duplicate key or table, files that are not TOML at all.
    ("syntax_unclosed_table.toml", &[(3, "")]),
    ("syntax_missing_equals.toml", &[(4, "")]),
    ("syntax_number_with_commas.toml", &[(7, "")]),
    ("syntax_bad_string.toml", &[(2, "")]),
    ("syntax_duplicate_key.toml", &[(7, "")]),
    ("syntax_duplicate_table.toml", &[(11, "")]),
    ("control_character.toml", &[(2, "")]),
    ("binary_garbage.toml", &[(1, "")]),
    ("empty.toml", &[(1, "")]),
    ("comments_only.toml", &[(1, "")]),
    // Wrong types.
    ("type_string_for_number.toml", &[(4, "person.age")]),
    ("type_string_for_salary.toml", &[(6, "person.salary")]),
    // Questions whose sure values the file does not take: a parameter the distribution
    // does not have, a parameter of a plain number, a beta whose sd cannot go with a mean
    // of 0.9 (its last value).
    (
        "question_parameter_not_taken.toml",
        &[
            (23, "thresholds[0].vary"),
            (30, "sweeps[0].y.vary"),
            (33, "thresholds[1].vary"),
        ],
    ),
    // A path with an error of its own: the questions naming it add none; a question naming
    // a path not in the file still has its error.
    (
        "question_on_broken_path.toml",
        &[(17, "paths.course.placement"), (34, "thresholds[1].path")],
    ),
    // One factor loading one input twice.
    (
        "factor_input_loaded_twice.toml",
        &[(21, "factors.ability.loadings.roles.analyst.salary")],
    ),
    // Every problem of a question, not only its first.
    (
        "question_every_problem.toml",
        &[
            (23, "thresholds[0].to"),
            (25, "thresholds[0].versus"),
            (26, "thresholds[0].metric"),
            (34, "thresholds[1].versus"),
            (35, "thresholds[1].target"),
            (38, "sweeps[0].x.values[1]"),
            (39, "sweeps[0].y.vary"),
            (40, "sweeps[0].versus"),
        ],
    ),
    (
        "percentages_and_lists.toml",
        &[
            (12, "tax.payroll[0].rate"),
            (30, "thresholds[0].target"),
            (38, "thresholds[2]"),
            (45, "sweeps[0].x.values[1]"),
            (48, "sweeps[1].x.values[2]"),
            (51, "sweeps[2].x.values[1]"),
        ],
    ),
    (
        "duration_between_months.toml",
        &[
            (24, "sweeps[0].x.values"),
            (28, "paths.short.duration_months"),
        ],
    ),
    ("type_number_for_table.toml", &[(17, "paths.course.costs")]),
    ("type_array_for_table.toml", &[(16, "paths.course.roles")]),
    ("type_float_for_integer.toml", &[(4, "person.age")]),
    (
        "type_bool_for_baseline_string.toml",
        &[(12, "paths.stay.baseline")],
    ),
    ("path_not_a_table.toml", &[(13, "paths.course")]),
    // Unknown keys, at every level.
    ("unknown_key_top.toml", &[(2, "nmae")]),
    ("unknown_section.toml", &[(3, "simulaton")]),
    ("unknown_key_person.toml", &[(7, "person.dependants")]),
    ("unknown_key_path.toml", &[(16, "paths.course.complition")]),
    (
        "unknown_key_costs.toml",
        &[(19, "paths.course.costs.tuition")],
    ),
    (
        "unknown_key_financing.toml",
        &[(20, "paths.course.financing.interest")],
    ),
    (
        "unknown_key_in_dist.toml",
        &[(7, "person.unemployment_months.step")],
    ),
    // Missing required keys (reported at the header of the table that lacks them).
    (
        "negative_spell_months.toml",
        &[(8, "person.unemployment_months")],
    ),
    ("missing_person_table.toml", &[(1, "person")]),
    ("missing_person_salary.toml", &[(3, "person.salary")]),
    ("missing_person_age.toml", &[(3, "person.age")]),
    (
        "missing_retirement_age.toml",
        &[(3, "person.retirement_age")],
    ),
    ("missing_role_salary.toml", &[(8, "roles.analyst.salary")]),
    (
        "missing_duration.toml",
        &[(14, "paths.course.duration_months")],
    ),
    ("missing_path_roles.toml", &[(14, "paths.course.roles")]),
    (
        "federal_without_rate.toml",
        &[(18, "paths.course.financing.federal_rate")],
    ),
    (
        "financing_without_private_rate.toml",
        &[(18, "paths.course.financing.private_rate")],
    ),
    // Impossible values.
    (
        "negative_duration_fixed.toml",
        &[(15, "paths.course.duration_months")],
    ),
    (
        "absurd_duration.toml",
        &[(15, "paths.course.duration_months")],
    ),
    ("absurd_salary_spread.toml", &[(9, "roles.analyst.salary")]),
    ("too_many_paths.toml", &[(58, "paths")]),
    (
        "negative_duration_normal.toml",
        &[(15, "paths.course.duration_months")],
    ),
    (
        "probability_above_one.toml",
        &[(16, "paths.course.completion")],
    ),
    (
        "probability_unbounded_normal.toml",
        &[(16, "paths.course.placement")],
    ),
    // However unlikely the values outside [0, 1] (the salary's normal, as unlikely below 0,
    // is accepted).
    (
        "probability_unbounded_narrow.toml",
        &[(18, "paths.course.completion")],
    ),
    ("role_weights_empty.toml", &[(16, "paths.course.roles")]),
    (
        "role_weight_negative.toml",
        &[(16, "paths.course.roles.analyst")],
    ),
    ("role_weights_zero_sum.toml", &[(16, "paths.course.roles")]),
    (
        "role_undefined.toml",
        &[(16, "paths.course.roles.data_scientist")],
    ),
    (
        "retirement_not_above_age.toml",
        &[(5, "person.retirement_age")],
    ),
    ("baseline_none.toml", &[(11, "paths.stay")]),
    ("baseline_only.toml", &[(11, "paths")]),
    ("baseline_none_all_alternatives.toml", &[(11, "paths")]),
    (
        "baseline_key_typo.toml",
        &[(11, "paths.stay"), (12, "paths.stay.baselin")],
    ),
    ("baseline_two.toml", &[(15, "paths.stay_too.baseline")]),
    ("pair_chart_names_collide.toml", &[(22, "paths.z")]),
    (
        "baseline_with_alternative_keys.toml",
        &[(13, "paths.stay.completion")],
    ),
    ("trials_zero.toml", &[(4, "simulation.trials")]),
    ("tax_both_forms.toml", &[(5, "tax.brackets")]),
    (
        "repayment_unknown.toml",
        &[(21, "paths.course.financing.repayment")],
    ),
    // Distributions.
    (
        "uniform_min_above_max.toml",
        &[(15, "paths.course.duration_months")],
    ),
    (
        "truncation_min_above_max.toml",
        &[(15, "paths.course.duration_months")],
    ),
    ("lognormal_p90_below_median.toml", &[(6, "person.salary")]),
    (
        "lognormal_mean_with_percentile.toml",
        &[(6, "person.salary")],
    ),
    ("lognormal_three_keys.toml", &[(6, "person.salary")]),
    (
        "beta_impossible_moments.toml",
        &[(16, "paths.course.completion")],
    ),
    (
        "beta_mean_outside_rescale.toml",
        &[(15, "paths.course.duration_months")],
    ),
    (
        "dist_unknown_name.toml",
        &[(15, "paths.course.duration_months.dist")],
    ),
    (
        "dist_without_name.toml",
        &[(15, "paths.course.duration_months")],
    ),
    (
        "normal_with_median.toml",
        &[(6, "person.salary"), (6, "person.salary.median")],
    ),
    (
        "choice_weight_count.toml",
        &[(15, "paths.course.duration_months")],
    ),
    ("value_nan.toml", &[(15, "paths.course.duration_months")]),
    ("value_inf.toml", &[(6, "person.salary")]),
    (
        "value_inf_in_dist.toml",
        &[(15, "paths.course.duration_months.max")],
    ),
    // Empirical data (CSV files in tests/invalid/data/).
    (
        "empirical_missing_file.toml",
        &[(15, "paths.course.duration_months.file")],
    ),
    (
        "empirical_empty_file.toml",
        &[(15, "paths.course.duration_months.column")],
    ),
    (
        "empirical_non_numeric.toml",
        &[(15, "paths.course.duration_months.column")],
    ),
    (
        "empirical_missing_column.toml",
        &[(15, "paths.course.duration_months.column")],
    ),
    // Names: keys that would name files outside the output folder, labels too long for a
    // chart or on two lines, a terminal escape in a key; data files that are not files.
    ("key_path_parent_dir.toml", &[(14, "paths.../../x")]),
    ("key_path_absolute.toml", &[(14, "paths./tmp/x")]),
    ("key_role_separators.toml", &[(14, "roles.a.b/c")]),
    (
        "key_too_long.toml",
        &[(
            14,
            "paths.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…",
        )],
    ),
    ("label_too_long.toml", &[(15, "paths.course.label")]),
    ("label_line_break.toml", &[(15, "paths.course.label")]),
    (
        "key_escape_sequence.toml",
        &[(15, "paths.course.\u{241b}[2J")],
    ),
    (
        "empirical_folder.toml",
        &[(15, "paths.course.duration_months.file")],
    ),
    (
        "empirical_device.toml",
        &[(15, "paths.course.duration_months.file")],
    ),
    // Several independent mistakes: every one is reported.
    (
        "three_mistakes.toml",
        &[
            (4, "person.age"),
            (16, "paths.course.complition"),
            (17, "paths.course.roles.data_scientist"),
        ],
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid")
}

/// Every `*.toml` file of the corpus folder.
fn corpus_files() -> BTreeSet<String> {
    std::fs::read_dir(corpus_dir())
        .expect("tests/invalid exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn load_err(path: &Path) -> LoadError {
    match load(path) {
        Ok(s) => panic!(
            "{} loaded without error (scenario {:?}), but it is in the invalid corpus",
            path.display(),
            s.name
        ),
        Err(e) => e,
    }
}

/// What every diagnostic must carry, whatever the mistake.
fn check_diagnostic(d: &Diagnostic, path: &Path) {
    let ctx = format!("{}: {d:?}", path.display());
    assert_eq!(d.file, path, "{ctx}");
    assert!(d.line >= 1 && d.column >= 1, "{ctx}");
    assert!(!d.found.trim().is_empty(), "empty `found`: {ctx}");
    assert!(!d.allowed.trim().is_empty(), "empty `allowed`: {ctx}");
    let text = d.to_string();
    let at = format!("{}:{}:{}", path.display(), d.line, d.column);
    assert!(text.contains(&at), "rendered text lacks {at}:\n{text}");
    assert!(text.contains(&d.found), "{text}");
    assert!(text.contains(&d.allowed), "{text}");
    if !d.key.is_empty() {
        assert!(text.contains(&format!("{}: ", d.key)), "{text}");
    }
    // The snippet is safe to print: no raw control characters from the file.
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in the rendered text: {text:?}"
    );
}

#[test]
fn the_corpus_is_large_and_every_file_is_listed() {
    let files = corpus_files();
    assert!(
        files.len() >= 30,
        "only {} files in tests/invalid: the corpus went missing?",
        files.len()
    );
    let listed: BTreeSet<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(listed.len(), CASES.len(), "a file is listed twice");
    let unlisted: Vec<_> = files.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "files in tests/invalid with no row in CASES (add their expected diagnostics): {unlisted:?}"
    );
    let missing: Vec<_> = listed.difference(&files).collect();
    assert!(
        missing.is_empty(),
        "rows in CASES with no file: {missing:?}"
    );
}

#[test]
fn every_invalid_file_reports_the_expected_diagnostics() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, expected) in CASES {
        let path = corpus_dir().join(file);
        let err = load_err(&path);
        assert_eq!(err.file, path);
        assert!(
            !err.diagnostics.is_empty(),
            "{file}: an error with no diagnostic"
        );
        for d in &err.diagnostics {
            check_diagnostic(d, &path);
        }
        let got: Vec<(usize, &str)> = err
            .diagnostics
            .iter()
            .map(|d| (d.line, d.key.as_str()))
            .collect();
        if got != *expected {
            failures.push(format!("{file}: expected {expected:?}, got {got:?}\n{err}"));
        }
        // Diagnostics come in file order.
        let positions: Vec<_> = err.diagnostics.iter().map(|d| (d.line, d.column)).collect();
        let mut sorted = positions.clone();
        sorted.sort();
        assert_eq!(positions, sorted, "{file}: diagnostics out of order");
        let n = err.diagnostics.len();
        let summary = format!("{n} error{}", if n == 1 { "" } else { "s" });
        assert!(err.to_string().ends_with(&summary), "{err}");
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(checked, CASES.len());
    assert!(checked >= 30);
}

#[test]
fn load_str_reports_what_load_reports() {
    let mut compared = 0;
    for (file, _) in CASES {
        let path = corpus_dir().join(file);
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8: only `load` can see it
        };
        let from_str = load_str(&src, &path).expect_err(file);
        assert_eq!(from_str, load_err(&path), "{file}");
        compared += 1;
    }
    assert!(compared >= 30, "{compared}");
}

#[test]
fn three_independent_mistakes_are_all_reported() {
    let path = corpus_dir().join("three_mistakes.toml");
    let err = load_err(&path);
    assert_eq!(err.diagnostics.len(), 3, "{err}");
    let keys: Vec<&str> = err.diagnostics.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "person.age",
            "paths.course.complition",
            "paths.course.roles.data_scientist"
        ]
    );
    assert!(err.diagnostics[0].found.contains("30.5"), "{err}");
    assert!(
        err.diagnostics[1]
            .found
            .contains("did you mean `completion`"),
        "{err}"
    );
    assert!(err.diagnostics[2].allowed.contains("`analyst`"), "{err}");
    assert!(err.to_string().ends_with("3 errors"), "{err}");
}

#[test]
fn messages_name_what_was_found() {
    // Spot checks that the words, not only the positions, help.
    let found = |file: &str| -> Vec<String> {
        load_err(&corpus_dir().join(file))
            .diagnostics
            .iter()
            .map(|d| format!("{} | {}", d.found, d.allowed))
            .collect()
    };
    let one = |file: &str| found(file).remove(0);
    assert!(one("syntax_duplicate_key.toml").contains("duplicate key `age`"));
    assert!(one("syntax_duplicate_table.toml").contains("duplicate key `person`"));
    assert_eq!(
        one("syntax_number_with_commas.toml"),
        "invalid TOML: `90,000`, a number with commas | a number without commas: 90000 or 90_000 (TOML separates thousands with `_`, not commas)"
    );
    assert!(one("type_float_for_integer.toml").contains("27.5"));
    assert!(one("value_nan.toml").contains("nan"));
    assert!(one("value_inf.toml").contains("inf"));
    assert!(one("dist_unknown_name.toml").contains("`gaussian`"));
    assert!(one("repayment_unknown.toml").contains("\"ibr\""));
    assert!(one("baseline_two.toml").contains("[paths.stay]"));
    assert!(one("baseline_with_alternative_keys.toml").contains("on the baseline path"));
    assert!(one("baseline_none.toml").contains("`baseline = true` in [paths.stay]"));
    assert!(one("negative_duration_fixed.toml").starts_with("-3 |"));
    assert!(one("lognormal_p90_below_median.toml").contains("p90"));
    assert!(one("lognormal_mean_with_percentile.toml").contains("two solutions or none"));
    assert!(one("beta_mean_outside_rescale.toml").contains("mean = 30 outside (6, 24)"));
    assert!(one("empirical_missing_column.toml").contains("\"months\", \"program\""));
    assert!(one("empirical_non_numeric.toml").contains("\"two years\" in row 4"));
    assert!(one("empirical_empty_file.toml").contains("no data rows"));
    assert!(one("binary_garbage.toml").contains("not UTF-8"));
    assert!(one("unknown_key_person.toml").contains("did you mean `dependents`"));
}

#[test]
fn an_unreadable_file_is_one_diagnostic_at_line_1() {
    let path = corpus_dir().join("no_such_scenario.toml");
    let err = load_err(&path);
    assert_eq!(err.diagnostics.len(), 1);
    let d = &err.diagnostics[0];
    assert_eq!((d.line, d.key.as_str()), (1, ""));
    assert!(d.found.contains("cannot be read"), "{d}");
    check_diagnostic(d, &path);
}

#[test]
fn binary_bytes_written_by_the_test_are_reported_not_panicked_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.toml");
    // Every byte value, twice, in a fixed scrambled order.
    let bytes: Vec<u8> = (0..512u32)
        .map(|i| (i.wrapping_mul(167) % 256) as u8)
        .collect();
    std::fs::write(&path, &bytes).unwrap();
    let err = load_err(&path);
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    check_diagnostic(&err.diagnostics[0], &path);
}

/// An amount whose distribution reaches past the cap says how far, as a number one reads.
#[test]
fn an_amount_past_the_cap_says_how_far_in_digits() {
    let src = std::fs::read_to_string(corpus_dir().join("absurd_salary_spread.toml"))
        .unwrap()
        .replace("p90 = 1e300", "p90 = 30_000_000")
        .replace("median = 80_000", "median = 8_000_000");
    let err = load_str(&src, Path::new("s.toml")).unwrap_err();
    let found = &err.diagnostics[0].found;
    let (_, reach) = found.split_once(", which reaches ").expect(found);
    assert!(reach.starts_with("1,0"), "{found}");
    assert!(
        reach.chars().all(|c| c.is_ascii_digit() || c == ','),
        "{found}"
    );
}
