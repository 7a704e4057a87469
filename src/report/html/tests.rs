//! The report page holds everything a reader needs, offline, with scenario text escaped.

use super::*;
use crate::report::artifacts::{self, figures};
use crate::report::fixture;

fn run_info() -> RunInfo {
    RunInfo {
        version: "0.1.0".to_string(),
        threads: 2,
        elapsed_seconds: 1.25,
        trials_per_second: 16_000.0,
        scenario_file: "scenarios/analyst.toml".to_string(),
        sha256: "ab".repeat(32),
        extra: serde_json::json!({}),
    }
}

/// A few bytes stand in for charts where the page, not the image, is under test.
fn fake_charts(summary: &ScenarioSummary) -> Vec<Figure> {
    artifacts::scenario(summary, true)
        .into_iter()
        .filter(|a| matches!(a.renderer, artifacts::Renderer::Chart(_)))
        .enumerate()
        .map(|(i, a)| Figure {
            caption: a.caption,
            alt: String::new(),
            png: vec![0x89, b'P', b'N', b'G', i as u8],
        })
        .collect()
}

#[test]
fn the_report_holds_every_path_chart_and_assumption() {
    let summary = fixture::realistic();
    let charts = figures(&summary).unwrap();
    let html = scenario_report(&summary, &fixture::assumptions(), &charts, &run_info());
    for path in &summary.paths {
        assert!(html.contains(&escape(&path.label)), "{}", path.label);
    }
    for f in &charts {
        let uri = format!("src=\"data:image/png;base64,{}\"", base64::encode(&f.png));
        assert!(html.contains(&uri));
    }
    assert_eq!(html.matches("<img ").count(), charts.len());
    for a in fixture::assumptions() {
        assert!(html.contains(&a.key) && html.contains(&escape(&a.value)));
    }
    let defaults = fixture::assumptions().iter().filter(|a| a.default).count();
    assert!(defaults > 0);
    assert_eq!(html.matches(">default<").count(), defaults);
    assert!(html.contains(&"ab".repeat(32)));
}

#[test]
fn the_report_is_self_contained() {
    let summary = fixture::realistic();
    let html = scenario_report(&summary, &[], &fake_charts(&summary), &run_info());
    for external in ["http://", "https://", "<script", "<link", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn the_headline_gives_odds_median_bad_case_debt_and_break_even() {
    let mut summary = fixture::realistic();
    let p = &mut summary.paths[1];
    p.prob_beats_baseline = 0.63;
    p.precision.prob_beats_baseline = crate::stats::precision::Interval { lo: 0.62, hi: 0.64 };
    p.net.q.p50 = 83_000.0;
    p.precision.p50 = crate::stats::precision::Interval {
        lo: 80_000.0,
        hi: 86_000.0,
    };
    p.net.q.p10 = -12_391.0;
    p.mean_debt = 41_000.0;
    p.prob_debt = 0.7;
    p.repaid_p50_years = Some(8.5);
    p.breakeven_p50_years = Some(5.0);
    p.breakeven_p50_years_if_ever = Some(4.0);
    p.prob_no_breakeven = 0.37;
    let point = |age: u32, p50: f64| fixture::flat_point(age - 27, age, p50);
    p.timeline = vec![point(27, -5_000.0), point(28, -1_000.0), point(29, 2_000.0)];
    summary.paths[3].breakeven_p50_years_if_ever = Some(2.0);
    summary.paths[3].prob_no_breakeven = 0.6;
    summary.paths[3].timeline = vec![point(27, -5_000.0), point(28, 2_000.0), point(29, -3_810.0)];
    summary.paths[2].breakeven_p50_years_if_ever = None;
    summary.paths[2].prob_no_breakeven = 1.0;
    let html = scenario_report(&summary, &[], &[], &run_info());
    let masters = html
        .lines()
        .find(|l| l.contains("headline") && l.contains("ML master"))
        .unwrap();
    for expected in [
        "in <strong>63% ±1.0</strong> of lives",
        "Bootcamp in ",
        "Self-study in ",
        "<strong>$83k</strong>",
        "-$12.4k",
        "Mean debt when repayment starts: $41k",
        "repays 8.5 years after the first payment",
        "Breaks even in 63% of lives, those that do at a median age of <strong>31</strong>; the other 37% never do. The median life is ahead from age 29 on.",
    ] {
        assert!(
            masters.contains(expected),
            "{expected} missing from {masters}"
        );
    }
    assert!(
        html.contains("the other 60% never do. The median life is still behind at 29 (-$3.81k).")
    );
    assert!(html.contains("Never breaks even: in no life is the cost earned back."));
    // The table says the same: the age among the lives that break even, and how many never.
    assert!(html.contains(">31 (37% never)<"));
}

/// The mean net return in parts: a row per path (not the baseline) that reads as a sum, the
/// costs and loans as amounts taken away, a path without them at $0 (not -$0).
#[test]
fn the_report_says_where_the_mean_net_return_comes_from() {
    let mut summary = fixture::realistic();
    let p = &mut summary.paths[1];
    p.net.mean = 436_000.0;
    p.breakdown = crate::stats::breakdown::Breakdown {
        pay: 523_000.0,
        costs: 20_000.0,
        loans: 67_000.0,
    };
    let html = scenario_report(&summary, &[], &[], &run_info());
    let at = html.find("Where the mean net return comes from").unwrap();
    let table = &html[at..html[at..].find("</table>").unwrap() + at];
    let row = table
        .split("<tr")
        .find(|r| r.contains("ML master"))
        .unwrap();
    let cells: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap())
        .collect();
    assert_eq!(cells, ["$523k", "-$20k", "-$67k", "$436k"], "{row}");
    assert!(!table.contains("(baseline)"), "{table}");
    assert!(!table.contains("-$0<"), "{table}");
}

#[test]
fn scenario_text_is_escaped() {
    let mut summary = fixture::realistic();
    summary.name = "Tom & Jerry's <plan>".to_string();
    summary.description = "\"quoted\" <b>bold</b>".to_string();
    summary.paths[1].label = "<script>alert(1)</script>".to_string();
    let mut assumptions = fixture::assumptions();
    assumptions[0].value = "<img src=x onerror=alert(1)>".to_string();
    let html = scenario_report(&summary, &assumptions, &fake_charts(&summary), &run_info());
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<plan>") && html.contains("Tom &amp; Jerry&#39;s &lt;plan&gt;"));
    assert!(!html.contains("<b>bold</b>"));
    assert!(!html.contains("<img src=x"));
    let index = batch_index(&[(&summary, "a\"b/report.html".to_string())]);
    assert!(!index.contains("<script>") && index.contains("href=\"a&quot;b/report.html\""));
}

#[test]
fn money_and_probabilities_read_as_such() {
    let summary = fixture::realistic();
    let html = scenario_report(&summary, &[], &[], &run_info());
    let p = &summary.paths[1];
    // Its median with its range: at 6,000 trials, it lies between two groups of lives.
    let median = crate::report::margin::median_words(p.net.q.p50, &p.precision.p50);
    assert!(median.contains(" to "), "{median}");
    assert!(html.contains(&format!(">{median}<")));
    assert!(html.contains(&escape(crate::report::margin::MEDIAN_MEANING)));
    let odds =
        crate::report::margin::share_pm(p.prob_beats_baseline, &p.precision.prob_beats_baseline);
    assert!(html.contains(&format!(">{odds}<")) && odds.contains('±'));
    assert!(html.contains(&escape(crate::report::margin::MEANING)));
    assert!(html.contains("6,000 trials"));
}

#[test]
fn a_degenerate_summary_still_makes_a_page() {
    let summary = fixture::degenerate();
    let charts = figures(&summary).unwrap();
    let html = scenario_report(&summary, &[], &charts, &run_info());
    assert!(html.contains("no head-to-head"));
    assert!(html.contains("Never breaks even"));
    assert!(html.contains("Nothing uncertain moves this path's net return"));
    assert!(html.contains("No assumptions were recorded"));
}

#[test]
fn the_index_has_a_row_per_scenario_and_path() {
    let mut realistic = fixture::realistic();
    // Shares whose whole percentages would not add up to 100% (34%, 34%, 33%): written to a
    // tenth, as the report writes them, "33.7%" on both pages, not "34%".
    let key = realistic.paths[1].key.clone();
    let mut others = [0.337, 0.326, 0.0].into_iter();
    for r in realistic.outcomes.iter_mut().filter(|r| r.path == key) {
        r.share = if r.outcome == "placed" {
            0.337
        } else {
            others.next().unwrap()
        };
    }
    let degenerate = fixture::degenerate();
    let index = batch_index(&[
        (&realistic, "analyst/report.html".to_string()),
        (&degenerate, "degenerate/report.html".to_string()),
    ]);
    assert_eq!(index.matches("<tr>").count(), 1 + 4 + 2);
    // Each scenario's name links to its report, once: its other rows name it to a screen
    // reader only.
    assert_eq!(index.matches("href=\"analyst/report.html\"").count(), 1);
    assert_eq!(
        index
            .matches(&format!(
                "<span class=\"sr\">{}</span>",
                escape(&realistic.name)
            ))
            .count(),
        3
    );
    assert!(index.contains(&money(realistic.paths[1].net.q.p50)));
    assert!(index.contains("Bootcamp"));
    // Beside the median, the share of lives placed and their median.
    let placed = realistic
        .outcomes
        .iter()
        .find(|r| r.path == realistic.paths[1].key && r.outcome == "placed")
        .unwrap();
    assert!(index.contains("Takes a job in the new field"));
    // The downside beside the odds: the 10th percentile and the mean debt, in that order.
    let p = &realistic.paths[1];
    assert!(
        index.contains(&format!(
            ">{}</td><td class=\"num\">{}<",
            money(p.net.q.p10),
            money(p.mean_debt)
        )),
        "{index}"
    );
    assert_eq!(placed.share, 0.337);
    assert!(
        index.contains(&format!(
            ">33.7%</td><td class=\"num\">{}<",
            money(placed.p50)
        )),
        "{index}"
    );
    // Without failures the page is as it was; with them, they come first, escaped.
    assert_eq!(index_with_failures(index.clone(), &[]), index);
    let failed = index_with_failures(index, &["b.toml: 1 problem <here>".to_string()]);
    let (note, table) = (
        failed.find("A scenario is not in this index").unwrap(),
        failed.find("<table").unwrap(),
    );
    assert!(note < table);
    assert!(failed.contains("<li>b.toml: 1 problem &lt;here&gt;</li>"));
}

#[test]
fn the_seed_reads_as_typed_and_digit_grouping_is_left_to_counts() {
    let mut summary = fixture::realistic();
    summary.seed = 20_261_121;
    let assumptions = [Assumption {
        key: "simulation.seed".to_string(),
        value: "20,261,121 (--seed)".to_string(),
        default: false,
        overridden: true,
    }];
    let html = scenario_report(&summary, &assumptions, &[], &run_info());
    assert!(html.contains("seed 20261121."), "the run line");
    assert!(
        html.contains(">20261121 (--seed)<"),
        "the assumptions table"
    );
    assert!(!html.contains("20,261,121"));
}

#[test]
fn tables_scroll_on_narrow_screens_and_units_are_said() {
    let summary = fixture::realistic();
    let html = scenario_report(&summary, &fixture::assumptions(), &[], &run_info());
    let tables = html.matches("<table>").count();
    assert!(tables >= 4, "{tables} tables");
    // Each in a scroller that a keyboard can reach and a screen reader names, and each
    // named by a caption.
    assert_eq!(
        html.matches("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"")
            .count(),
        tables
    );
    assert_eq!(html.matches("<caption class=\"sr\">").count(), tables);
    assert!(html.contains("aria-label=\"Net return by path\">\n<table>"));
    assert!(html.contains(".scroll { overflow-x: auto;"));
    // On a phone a chart keeps a width at which its text reads (12 px of its 20), and
    // scrolls sideways, rather than shrinking to a third.
    let phone = &html[html
        .find("@media (max-width: 700px) {")
        .expect("a phone's rules")..];
    let phone = &phone[..phone.find("\n}").unwrap()];
    assert!(phone.contains("figure { overflow-x: auto; }"), "{phone}");
    assert!(
        phone.contains("figure img { width: 720px; max-width: none; }"),
        "{phone}"
    );
    // Headers say which column and row a figure is in.
    assert!(!html.contains("<th>") && !html.contains("<th class"));
    assert!(html.contains("<th scope=\"col\" class=\"num\">Median</th>"));
    assert_eq!(
        html.matches("<tr><th scope=\"row\">").count()
            + html.matches("<tr><th scope=\"row\" class=\"num\">").count(),
        html.matches("<tr>").count() - tables,
        "every body row starts with a row header"
    );
    // On paper the tables are not cut at the page's edge, and charts keep their captions.
    assert!(html.contains("@media print {") && html.contains(".scroll { overflow: visible; }"));
    assert!(html.contains("figure, tr, .headline, .callout { break-inside: avoid; }"));
    // Debt is nominal, net returns are in today's dollars: the page says so.
    assert!(html.contains("in dollars of that time (nominal)"));
    assert!(html.contains("Median net return: <strong>"));
    // The 10th percentile as a bound the worst tenth reach, true when many lives tie at it
    // (every failed life at the same small loss), not "one in ten ends below it".
    assert!(html.contains("The worst tenth of lives end at "));
    assert!(!html.contains("One trial in ten ends below"));
    assert!(html.contains("in today's dollars"));
    // The 10% figure is named for what it is.
    assert!(html.contains("not that test itself"));
}

#[test]
fn the_page_says_how_future_money_is_discounted() {
    let at = |value: &str| {
        discounting(&[Assumption {
            key: "economy.discount_rate".to_string(),
            value: value.to_string(),
            default: false,
            overridden: false,
        }])
    };
    // 1 / 1.03^20 = 0.5537: 55 cents.
    assert!(
        at("0.03").contains("discounted at 3% a year"),
        "{}",
        at("0.03")
    );
    assert!(at("0.03").contains("counts as 55 cents today"));
    // 1 / 1.05^20 = 0.3769: 38 cents.
    assert!(at("0.05").contains("38 cents"));
    assert!(at("0").contains("not discounted further"));
    assert!(at("uniform(min 0, max 0.06)").contains("drawn in each trial from uniform"));
}

#[test]
fn a_report_lists_its_sections_and_marks_its_main_part() {
    let summary = fixture::realistic();
    let page = scenario_report(&summary, &fixture::assumptions(), &[], &run_info());
    let page = questions::with_questions(
        page,
        "<section id=\"what-would-have-to-be-true\">\n<h2>What would have to be true</h2>\n</section>\n",
    );
    let html = with_contents(page);
    let nav = &html[html.find("<nav").expect("a contents line")..];
    let nav = &nav[..nav.find("</nav>").expect("closed")];
    // Every section, in the page's order, the one added after the page was written too.
    let ids: Vec<&str> = html
        .match_indices("<section id=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').expect("quoted")]
        })
        .collect();
    assert!(ids.len() >= 8, "{ids:?}");
    let mut from = 0;
    for id in &ids {
        let at = nav[from..]
            .find(&format!("<a href=\"#{id}\">"))
            .unwrap_or_else(|| panic!("{id} listed in order: {nav}"));
        from += at + 1;
    }
    assert!(nav.contains("<a href=\"#in-short\">In short</a>"));
    assert!(nav.contains(">What would have to be true</a>"));
    assert!(html.find("<nav").expect("nav") < html.find("<section").expect("a section"));
    // One main part, from the title to the footer.
    assert_eq!(html.matches("<main>").count(), 1);
    assert!(html.find("<main>").expect("main") < html.find("<h1>").expect("title"));
    assert!(html.find("</main>").expect("end") < html.find("<footer>").expect("footer"));
    // The path headings of "What decides it" are told from those of "In short".
    assert!(html.contains("<h3><span class=\"sr\">What decides </span>"));
}

#[test]
fn a_what_if_says_so_before_any_figure() {
    let summary = fixture::realistic();
    let mut assumptions = fixture::assumptions();
    let plain = scenario_report(&summary, &assumptions, &[], &run_info());
    assert!(!plain.contains("A what-if"));
    // The trials and the seed from the command line are not a what-if.
    assumptions.push(Assumption {
        key: "simulation.trials".to_string(),
        value: "20,000".to_string(),
        default: false,
        overridden: true,
    });
    assert!(!scenario_report(&summary, &assumptions, &[], &run_info()).contains("A what-if"));
    assumptions.push(Assumption {
        key: "paths.masters_in_person.placement".to_string(),
        value: "0.5".to_string(),
        default: false,
        overridden: true,
    });
    let html = scenario_report(&summary, &assumptions, &[], &run_info());
    let callout = html.find("<strong>A what-if</strong>").expect("said");
    assert!(callout < html.find("id=\"in-short\"").expect("in short"));
    assert!(html.contains(
        "with an assumption changed on the command line (<code>--set</code>), not as its file \
         has it: <code>paths.masters_in_person.placement</code> = 0.5."
    ));
}

#[test]
fn the_index_says_which_scenarios_are_what_ifs() {
    let summary = fixture::realistic();
    let index = batch_index(&[(&summary, "analyst/report.html".to_string())]);
    let none = index_with_what_ifs(index.clone(), &[(&summary.name, &[])]);
    assert_eq!(none, index);
    let set = [("paths.masters.placement".to_string(), "0.5".to_string())];
    let page = index_with_what_ifs(index, &[(&summary.name, &set)]);
    let callout = page.find("<strong>What-ifs</strong>").expect("said");
    assert!(callout > page.find("</h1>").expect("title"));
    assert!(callout < page.find("<table>").expect("table"));
    assert!(page.contains(&format!(
        "<li>{}: <code>paths.masters.placement</code> = 0.5</li>",
        escape(&summary.name)
    )));
    // The trials and seed from the command line are not a what-if.
    let assumptions = [
        Assumption {
            key: "simulation.seed".to_string(),
            value: "7".to_string(),
            default: false,
            overridden: true,
        },
        Assumption {
            key: "paths.masters.placement".to_string(),
            value: "0.5".to_string(),
            default: false,
            overridden: true,
        },
    ];
    assert_eq!(changed_on_command_line(&assumptions), set);
}

#[test]
fn a_thresholds_page_answers_and_lists_every_value_tried() {
    use crate::scenario::questions::Metric;
    use crate::threshold::fixture::result;
    use crate::threshold::{Crossing, End, Evaluation};
    let c = Crossing {
        value: 0.654,
        rising: true,
        range: (End::At(0.645), End::At(0.663)),
    };
    let mut r = result(Metric::ProbBeats, 0.5, (0.2, 0.7), Some(c));
    // Values that 3 digits would write alike, and a figure whose interval holds the target.
    r.tried = [
        (0.1, 0.2),
        (0.6539, 0.4998),
        (0.654, 0.5001),
        (0.6541, 0.5003),
        (0.9, 0.7),
    ]
    .map(|(value, metric)| Evaluation {
        value,
        metric,
        ci: (metric - 0.005, metric + 0.005),
    })
    .to_vec();
    let page = questions::threshold_page(&r, Some(&[1, 2, 3]), false);
    assert!(
        page.contains("<h1>What the placement would have to be</h1>"),
        "{page}"
    );
    assert!(
        page.contains("The master&#39;s beats staying put in at least half of lives when placement is 65.4% or more."),
        "{page}"
    );
    assert!(page.contains("data:image/png;base64,"), "{page}");
    // The chart's caption names the figure in full, as a sweep's does.
    assert!(
        page.contains(
            "<figcaption>Share of lives in which The master&#39;s beats staying put, against \
             placement: each value tried"
        ),
        "{page}"
    );
    // A row per value tried, each value to the digits that tell it from its neighbours,
    // the figures to the hundredth of a percent that tells them apart.
    for v in ["10%", "65.39%", "65.4%", "65.41%", "90%"] {
        assert!(
            page.contains(&format!("<th scope=\"row\">{v}</th>")),
            "{v}: {page}"
        );
    }
    assert!(page.contains("49.98%") && page.contains("50.03%"), "{page}");
    assert!(
        page.contains("cannot be told apart") && page.contains("not reached"),
        "{page}"
    );
    // No run came before: no link to a report that is not there; self-contained.
    assert!(
        !page.contains("report.html") && !page.contains("src=\"http"),
        "{page}"
    );
    assert!(questions::threshold_page(&r, None, true).contains("../report.html"));
    assert!(page.contains("until it has the crossing to 3 significant digits"));
    // Without a crossing, the page does not speak of one: the search stopped at the ends.
    let none = questions::threshold_page(
        &result(Metric::ProbBeats, 0.6, (0.2, 0.45), None),
        None,
        false,
    );
    assert!(
        none.contains("The search tried the range's two ends")
            && !none.contains("until it has the crossing"),
        "{none}"
    );
    // A key's words keep their article, as in the chart's title.
    for (words, title) in [
        (
            "the discount rate",
            "What the discount rate would have to be",
        ),
        (
            "the max of its tuition per year",
            "What the max of its tuition per year would have to be",
        ),
        ("its placement", "What its placement would have to be"),
    ] {
        r.key_words = words.into();
        let page = questions::threshold_page(&r, None, false);
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
    }
}
