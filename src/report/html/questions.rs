//! "What would have to be true": the answers to a scenario's thresholds and sweeps in words,
//! in the scenario's report, in the batch index and in each sweep's own page
//! (`sweep.html`). Every text from the scenario is escaped.

use super::table::{Cell, num_col, table, text_col};
use super::{close_page, escape, figure, open_page, section};
use crate::report::format::{money, percent, percent_to};
use crate::scenario::questions::{Level, Metric};
use crate::stats::point::PointPath;
use crate::stats::summary::ScenarioSummary;
use crate::sweep::SweepResult;
use crate::text::the;
use crate::threshold::ThresholdResult;

/// A sweep as shown in a report: its result, its chart (PNG bytes) if drawn, and the
/// relative link to its folder.
pub struct SweepShown<'a> {
    /// The sweep.
    pub result: &'a SweepResult,
    /// `sweep.png`, if drawn.
    pub png: Option<&'a [u8]>,
    /// The folder of its files, relative to the report (`sweep_paths.x.placement`).
    pub folder: String,
}

/// A threshold as shown in a report: its answer, and the relative link to its folder when
/// its chart and page were written there.
pub struct ThresholdShown<'a> {
    /// The answer.
    pub result: &'a ThresholdResult,
    /// The folder of its page (`threshold_paths.x.placement__x`), if written.
    pub folder: Option<String>,
}

/// The section "What would have to be true" of a scenario's report: each threshold in
/// words (with a link to its page), each sweep's chart and its findings. Empty when the
/// scenario asks nothing.
pub fn questions_section(thresholds: &[ThresholdShown<'_>], sweeps: &[SweepShown<'_>]) -> String {
    if thresholds.is_empty() && sweeps.is_empty() {
        return String::new();
    }
    let mut body = String::from(
        "<p class=\"muted\">Each answer reruns the whole simulation at other values of one \
         assumption, with the same simulated lives (the same seed and trials), so that the \
         differences come from that assumption alone.</p>\n",
    );
    if !thresholds.is_empty() {
        body.push_str("<ul>\n");
        for t in thresholds {
            body.push_str(&format!("<li>{}</li>\n", threshold_item(t)));
        }
        body.push_str("</ul>\n");
    }
    for s in sweeps {
        body.push_str(&format!(
            "<h3>{}</h3>\n{}",
            escape(&sweep_title(s.result)),
            findings(s.result)
        ));
        if let Some(png) = s.png {
            body.push_str(&figure(&sweep_caption(s.result), "", png));
        }
        body.push_str(&format!(
            "<p class=\"muted\">Every point's figures: <a href=\"{0}/sweep.html\">{0}/sweep.html</a>, \
             <a href=\"{0}/sweep.csv\">sweep.csv</a>.</p>\n",
            escape(&s.folder)
        ));
    }
    section(
        "what-would-have-to-be-true",
        "What would have to be true",
        &body,
    )
}

/// A threshold in a list: its answer, and a link to its page when it has one.
fn threshold_item(t: &ThresholdShown<'_>) -> String {
    let link = t.folder.as_ref().map_or_else(String::new, |f| {
        format!(
            " <a href=\"{}/threshold.html\">Its chart and every value tried</a>.",
            escape(f)
        )
    });
    format!("{}{link}", threshold_words(t.result))
}

/// A threshold's answer in HTML: the sentence, and the 95% range or the figure at both ends.
pub fn threshold_words(t: &ThresholdResult) -> String {
    let mut s = format!("<strong>{}</strong>", escape(&t.sentence()));
    if let Some(range) = t.range_words() {
        s.push_str(&format!(
            " <span class=\"muted\">95% range: {} ({} at each of {} searched).</span>",
            escape(&range),
            crate::text::lives(t.trials),
            crate::text::count(t.evaluations() as u64, "value")
        ));
    }
    if let Some(a) = &t.assumed {
        s.push_str(&format!(
            " <span class=\"muted\">The scenario assumes {}.</span>",
            escape(a)
        ));
    }
    s
}

/// Insert the questions' section into a scenario's report, before its assumptions (or at
/// the end of the page if it has none).
pub fn with_questions(page: String, section: &str) -> String {
    if section.is_empty() {
        return page;
    }
    let at = page
        .find("<section id=\"assumptions\">")
        .or_else(|| page.rfind("<footer>"))
        .or_else(|| page.rfind("</body>"))
        .unwrap_or(page.len());
    let mut out = page;
    out.insert_str(at, section);
    out
}

/// A scenario's answered questions, as the batch index lists them.
pub struct Asked<'a> {
    /// The scenario's results.
    pub summary: &'a ScenarioSummary,
    /// Its `[[thresholds]]`, answered, with links relative to the index.
    pub thresholds: &'a [ThresholdShown<'a>],
    /// Its `[[sweeps]]`: (title, link to the sweep's page relative to the index).
    pub sweeps: &'a [(String, String)],
}

/// Add the questions of every scenario of a batch to its index page, under the table: each
/// threshold in a sentence, each sweep as a link to its page.
pub fn index_with_thresholds(page: String, all: &[Asked<'_>]) -> String {
    let items: String = all
        .iter()
        .flat_map(|a| {
            let (s, ts, sweeps) = (a.summary, a.thresholds, a.sweeps);
            ts.iter()
                .map(move |t| format!("<li>{}: {}</li>\n", escape(&s.name), threshold_item(t)))
                .chain(sweeps.iter().map(move |(title, link)| {
                    format!(
                        "<li>{}: <a href=\"{}\">{}</a></li>\n",
                        escape(&s.name),
                        escape(link),
                        escape(title)
                    )
                }))
        })
        .collect();
    if items.is_empty() {
        return page;
    }
    let html = section(
        "thresholds",
        "What would have to be true",
        &format!("<ul>\n{items}</ul>\n"),
    );
    let at = page.rfind("</body>").unwrap_or(page.len());
    let mut out = page;
    out.insert_str(at, &html);
    out
}

/// A sweep's title: "What if the placement changes".
pub fn sweep_title(r: &SweepResult) -> String {
    match &r.sweep.y {
        None => format!("What if {} {}", the(r.key_words(0)), r.changes()),
        Some(_) => format!(
            "What if {} and {} change",
            the(r.key_words(0)),
            the(r.key_words(1))
        ),
    }
}

fn sweep_caption(r: &SweepResult) -> String {
    match &r.sweep.y {
        None => format!(
            "Share of lives in which each path beats staying put, and its median net return, as {} {}.",
            the(r.key_words(0)),
            r.changes()
        ),
        Some(_) => format!(
            "Share of lives in which each path beats {}, over {} (across) and {} (up); the black line is even odds.",
            r.sweep
                .versus
                .as_deref()
                .map_or("staying put", |v| r.label(v)),
            the(r.key_words(0)),
            the(r.key_words(1))
        ),
    }
}

/// The value of `figure` crossing `level` between neighbouring points, by linear
/// interpolation: (value, rising).
fn crossings(xs: &[f64], ys: &[f64], level: f64) -> Vec<(f64, bool)> {
    xs.windows(2)
        .zip(ys.windows(2))
        .filter(|(_, y)| (y[0] >= level) != (y[1] >= level))
        .map(|(x, y)| {
            let t = (level - y[0]) / (y[1] - y[0]);
            (x[0] + t * (x[1] - x[0]), y[1] >= level)
        })
        .collect()
}

/// What the sweep shows, path by path, in words.
fn findings(r: &SweepResult) -> String {
    let Some(first) = r.points.first() else {
        return String::new();
    };
    let versus = r.sweep.versus.as_deref();
    let against = versus.map_or_else(|| "staying put".to_string(), |v| r.label(v).to_string());
    let prob = |p: &PointPath| match (versus, &p.versus) {
        (Some(_), Some(v)) => v.prob,
        _ => p.net.prob,
    };
    let mut items = Vec::new();
    for (i, path) in first.paths.iter().enumerate() {
        if path.baseline || Some(path.key.as_str()) == versus {
            continue;
        }
        let all: Vec<f64> = r.points.iter().map(|pt| prob(&pt.paths[i])).collect();
        let (lo, hi) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let odds = if percent(lo) == percent(hi) {
            format!("in {} of lives at every point", percent(lo))
        } else {
            format!("in {} to {} of lives", percent(lo), percent(hi))
        };
        // Against the path compared with, the median of the life-by-life differences; the
        // lowest and highest over the points (not in the order of the points).
        let (what, medians): (String, Vec<f64>) = match versus {
            Some(_) => (
                format!("median life-by-life gain over {against}"),
                r.points
                    .iter()
                    .filter_map(|pt| pt.paths[i].versus.map(|v| v.p50()))
                    .collect(),
            ),
            None => (
                "median net return".to_string(),
                r.points.iter().map(|pt| pt.paths[i].net.p50()).collect(),
            ),
        };
        let (mlo, mhi) = medians
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let median = if medians.is_empty() {
            String::new()
        } else if money(mlo) == money(mhi) {
            format!(" ({} {})", escape(&what), money(mlo))
        } else {
            format!(
                " ({} between {} and {})",
                escape(&what),
                money(mlo),
                money(mhi)
            )
        };
        let mut text = format!(
            "<strong>{}</strong> beats {} {odds}{median}",
            escape(&path.label),
            escape(&against),
        );
        if r.sweep.y.is_none() {
            let levels = r.levels(0);
            let xs: Vec<Option<f64>> = levels.iter().map(Level::number).collect();
            // A few values of a key (repayment plans): the loans at each, side by side.
            if levels.len() <= 4 {
                text.push_str(&loans_side_by_side(r, i));
            }
            if xs.iter().all(Option::is_some) {
                let xs: Vec<f64> = xs.into_iter().flatten().collect();
                let c = crossings(&xs, &all, 0.5);
                if let [(x, rising)] = c.as_slice() {
                    text.push_str(&format!(
                        "; at least half of lives when {} is about {} or {}",
                        escape(&the(r.key_words(0))),
                        escape(&crate::threshold::value_words(
                            x.to_owned(),
                            crate::threshold::unit(&r.sweep.x.key)
                        )),
                        if *rising { "more" } else { "less" }
                    ));
                    // A threshold's search may give another figure: this one is read off the
                    // straight line between two of the values tried.
                    text.push_str(" (read between the two values tried around it)");
                } else if c.len() > 1 {
                    text.push_str("; it crosses even odds more than once");
                }
            }
        } else {
            let above = all.iter().filter(|&&x| x >= 0.5).count();
            text.push_str(&format!(
                "; at least half of lives at {above} of {} points",
                all.len()
            ));
        }
        text.push('.');
        items.push(format!("<li>{text}</li>\n"));
    }
    if items.is_empty() {
        return String::new();
    }
    let unmoved = if r.unmoved() {
        format!("<p>{}</p>\n", escape(&unmoved_words(r)))
    } else {
        String::new()
    };
    format!("{unmoved}<ul>\n{}</ul>\n", items.concat())
}

/// Said when no figure moved across a sweep's points: "Nothing moves: ... so in this
/// scenario the number of dependents changes nothing."
pub fn unmoved_words(r: &SweepResult) -> String {
    let what = match &r.sweep.y {
        None => format!("{} {}", the(r.key_words(0)), r.changes()),
        Some(_) => format!("{} and {} change", the(r.key_words(0)), the(r.key_words(1))),
    };
    format!(
        "Nothing moves: every path has the same figures at every value tried, so in this scenario {what} nothing."
    )
}

/// "; loans (nominal, median borrower): first payment $489 at standard, $427 at rap; ..."
/// when path `i`'s loans differ between the points of a one-key sweep; else nothing.
fn loans_side_by_side(r: &SweepResult, i: usize) -> String {
    let loans: Vec<_> = r.points.iter().map(|pt| pt.paths[i].loans).collect();
    let Some(all) = loans.iter().copied().collect::<Option<Vec<_>>>() else {
        return String::new();
    };
    if all.windows(2).all(|w| w[0] == w[1]) {
        return String::new();
    }
    let levels = r.levels(0);
    let figure = |name: &str, f: &dyn Fn(&crate::stats::loans::LoanSummary) -> String| {
        let at: Vec<String> = all
            .iter()
            .zip(&levels)
            .map(|(l, v)| format!("{} at {}", f(l), escape(&v.words())))
            .collect();
        format!("{name} {}", at.join(", "))
    };
    format!(
        "; loans (nominal, the median borrower): {}; {}; {}; {}",
        figure("first monthly payment", &|l| escape(
            &super::loans::first_payment(l)
        )),
        figure("total paid", &|l| money(l.total_paid_p50)),
        figure("interest", &|l| money(l.interest_p50)),
        figure("forgiven", &|l| money(l.forgiven_p50)),
    )
}

/// The start of a question's own page (`sweep.html`, `threshold.html`): its title and the
/// scenario's name, and a link to the scenario's report when one is beside its folder.
fn question_page(title: &str, scenario: &str, report: bool) -> String {
    let mut page = open_page(&format!("{title} · {scenario} · worthit"));
    page.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
        escape(title),
        escape(scenario)
    ));
    if report {
        page.push_str(
            "<p><a href=\"../report.html\">The scenario's report</a>, from its last run.</p>\n",
        );
    }
    page
}

/// `sweep.html`: one self-contained page with the sweep's chart, its findings in words and
/// every point's figures.
pub fn sweep_page(r: &SweepResult, png: Option<&[u8]>, report: bool) -> String {
    let title = sweep_title(r);
    let mut page = question_page(&title, &r.scenario, report);
    page.push_str(&format!(
        "<p class=\"muted\">Every point reruns the whole simulation with {} from seed {}, \
         the same lives at every point: only {}. Net return is a path's \
         lifetime net present value minus that of staying put ({}) in the same life, in \
         today's dollars; loan figures are in dollars of the day they are paid (nominal), \
         over the lives that borrow.</p>\n",
        crate::text::lives(r.trials),
        r.seed,
        if r.sweep.y.is_some() {
            "the two keys' values differ"
        } else {
            "the key's value differs"
        },
        escape(r.baseline_label())
    ));
    page.push_str(&findings(r));
    if let Some(png) = png {
        page.push_str(&figure(&sweep_caption(r), "", png));
    }
    page.push_str(&section("points", "Every point", &points_table(r)));
    page.push_str(&format!(
        "<footer>worthit {} · {} a point, seed {} · the same figures, and their 95% \
         intervals, are in sweep.csv beside this page</footer>\n",
        escape(env!("CARGO_PKG_VERSION")),
        crate::text::count(r.trials, "trial"),
        r.seed
    ));
    close_page(page)
}

/// `threshold.html`: one self-contained page with a threshold's answer in words, its chart
/// and every value the search tried, with its figure and 95% interval.
pub fn threshold_page(t: &ThresholdResult, png: Option<&[u8]>, report: bool) -> String {
    let q = &t.question;
    // As the chart's title has it: "What the discount rate would have to be", "What the max
    // of its tuition per year would have to be".
    let title = format!("What {} would have to be", crate::text::the(&t.key_words));
    let mut page = question_page(&title, &t.scenario, report);
    page.push_str(&format!("<p>{}</p>\n", threshold_words(t)));
    // How the search went: on to the crossing, or no further than the range's ends.
    let search = if t.crossing.is_some() {
        "The search tries values until it has the crossing to 3 significant digits, and the \
         95% range: the values at which the trials run cannot tell the figure from the target."
    } else {
        "The search tried the range's two ends: the figure is on the same side of the target \
         at both, so it looked no further (it could still cross and cross back in between)."
    };
    page.push_str(&format!(
        "<p class=\"muted\">Every value tried reruns the whole simulation with {} from seed {}, \
         the same lives at every value: only {} differs. {search} Net return is a path's \
         lifetime net present value minus that of {} in the same life, in today's dollars.</p>\n",
        crate::text::lives(t.trials),
        t.seed,
        escape(&t.key_words),
        escape(&t.versus_words())
    ));
    if let Some(png) = png {
        // "Share of lives in which ... beats staying put", as a sweep's caption says it, not
        // the column's short "Beats staying put".
        let figure_words = match q.metric {
            Metric::ProbBeats => format!(
                "Share of lives in which {} beats {}",
                t.path_label,
                t.versus_words()
            ),
            _ => crate::text::upper_first(&t.figure_name()),
        };
        let caption = format!(
            "{figure_words}, against {}: each value tried, with its 95% interval; the dashed \
             line is the target",
            t.key_words
        );
        page.push_str(&figure(&caption, "", png));
    }
    // Digits enough to tell apart the values tried near the crossing, and their figures.
    let values: Vec<f64> = t.tried.iter().map(|e| e.value).collect();
    let digits = crate::threshold::digits_apart(&values, t.unit);
    let mut metrics: Vec<f64> = t.tried.iter().map(|e| e.metric).collect();
    metrics.sort_by(f64::total_cmp);
    let decimals = (1..=3)
        .find(|&d| {
            metrics
                .windows(2)
                .all(|w| w[0] == w[1] || percent_to(w[0], d) != percent_to(w[1], d))
        })
        .unwrap_or(3);
    let show = |x: f64| match q.metric {
        Metric::ProbBeats => percent_to(x, decimals),
        _ => crate::threshold::dollars(x),
    };
    let (key, figure_title) = (
        crate::text::upper_first(&t.key_words),
        crate::text::upper_first(&t.figure_name()),
    );
    let columns = [
        text_col(&key),
        num_col(&figure_title),
        num_col("95% interval"),
        text_col("Against the target"),
    ];
    let rows: Vec<Vec<Cell>> = t
        .tried
        .iter()
        .map(|e| {
            let interval = if e.ci.0.is_finite() && e.ci.1.is_finite() {
                format!("{} to {}", show(e.ci.0), show(e.ci.1))
            } else {
                "too few lives to bound".to_string()
            };
            let side = if e.ci.0 <= q.target && q.target <= e.ci.1 {
                "cannot be told apart"
            } else if e.metric >= q.target {
                "reached"
            } else {
                "not reached"
            };
            vec![
                Cell::Text(crate::threshold::value_words_to(e.value, t.unit, digits)),
                Cell::Num(show(e.metric)),
                Cell::Num(interval),
                Cell::Text(side.to_string()),
            ]
        })
        .collect();
    page.push_str(&section(
        "values-tried",
        "Every value tried",
        &table("Every value tried", &columns, &rows),
    ));
    page.push_str(&format!(
        "<footer>worthit {} · {} a value, seed {} · the answer is in threshold.csv beside \
         this page</footer>\n",
        escape(env!("CARGO_PKG_VERSION")),
        crate::text::count(t.trials, "trial"),
        t.seed
    ));
    close_page(page)
}

/// A row per point and path: the key values, then the path's odds, median, debt and loans.
fn points_table(r: &SweepResult) -> String {
    let axes = r.sweep.axes();
    let versus = r.sweep.versus.as_deref();
    // The keys and their values as the chart and the sentences say them ("Placement",
    // "65%", "RAP"); sweep.csv has them as written in the file.
    let titles: Vec<String> = (0..axes.len())
        .map(|i| crate::text::upper_first(r.key_words(i)))
        .collect();
    let units: Vec<_> = axes
        .iter()
        .map(|a| crate::threshold::unit(&a.key))
        .collect();
    let mut columns: Vec<_> = titles.iter().map(|t| text_col(t)).collect();
    let vs_title = versus.map(|v| format!("Beats {}", r.label(v)));
    columns.extend([
        text_col("Path"),
        num_col("Beats staying put"),
        num_col("Median net return"),
        num_col("Mean debt"),
        num_col("First payment (nominal)"),
        num_col("Total paid (nominal)"),
        num_col("Interest (nominal)"),
        num_col("Forgiven (nominal)"),
    ]);
    if let Some(t) = &vs_title {
        columns.push(num_col(t));
    }
    let mut rows = Vec::new();
    for pt in &r.points {
        for p in pt.paths.iter().filter(|p| !p.baseline) {
            let mut row: Vec<Cell> = pt
                .levels
                .iter()
                .zip(&units)
                .map(|(l, &unit)| {
                    Cell::Text(match l {
                        Level::Num(x) => crate::threshold::value_words(*x, unit),
                        Level::Word(_) => l.words(),
                    })
                })
                .collect();
            row.push(Cell::Text(p.label.clone()));
            row.push(Cell::Num(percent(p.net.prob)));
            row.push(Cell::Num(money(p.net.p50())));
            row.push(Cell::Num(money(p.mean_debt)));
            match &p.loans {
                Some(l) => {
                    row.push(Cell::Num(super::loans::first_payment(l)));
                    row.extend(
                        [l.total_paid_p50, l.interest_p50, l.forgiven_p50]
                            .map(|x| Cell::Num(money(x))),
                    );
                }
                None => row.extend((0..4).map(|_| Cell::Num("—".into()))),
            }
            if versus.is_some() {
                row.push(Cell::Num(p.versus.map_or("—".into(), |v| percent(v.prob))));
            }
            rows.push(row);
        }
    }
    table("Every point", &columns, &rows)
}
