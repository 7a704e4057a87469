//! The HTML pages: one self-contained report per scenario and an index of a batch.
//!
//! A report must be readable offline and sent as one file: no server, no network, no
//! external CSS, script or font; the charts are embedded as base64 data URIs. Every text
//! that comes from a scenario file (names, labels, descriptions, keys) is escaped.

mod headline;
mod limits;
mod loans;
pub mod questions;
mod table;
mod tables;
mod why;

use serde::Serialize;

use table::{Cell, num_col, table_with, text_col};

use super::base64;
use super::format::{self, money, thousands};
use super::margin::{median_words, share_pm};
use super::paths::baseline_label;
use crate::scenario::Assumption;
use crate::stats::summary::ScenarioSummary;

/// How a run went, shown at the foot of a report so that a reader can tell which program,
/// input and machine produced the numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// Version of worthit that produced the report.
    pub version: String,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock time of the simulation, seconds.
    pub elapsed_seconds: f64,
    /// Trials simulated per second.
    pub trials_per_second: f64,
    /// Path of the scenario file as given on the command line.
    pub scenario_file: String,
    /// SHA-256 of the scenario file, hex.
    pub sha256: String,
    /// More fields for `run.json`: how long the run was and why it stopped (a run to a
    /// target precision), the shards merged; an empty object when there is nothing more.
    pub extra: serde_json::Value,
}

/// A chart as the report shows it: the PNG and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The caption, under the chart.
    pub caption: String,
    /// What the chart shows, in its figures, for a reader who cannot see it (the image's
    /// alternative text); empty: the caption stands in.
    pub alt: String,
    /// The PNG bytes.
    pub png: Vec<u8>,
}

/// The report of one scenario as a single self-contained HTML page: the key numbers of each
/// path in words, the summary and head-to-head tables, the charts (embedded, in the order
/// given, as listed by [`artifacts`](super::artifacts)) and the assumptions.
pub fn scenario_report(
    summary: &ScenarioSummary,
    assumptions: &[Assumption],
    charts: &[Figure],
    run: &RunInfo,
) -> String {
    let mut page = open_page(&format!("{} · worthit", summary.name));
    page.push_str(&format!("<h1>{}</h1>\n", escape(&summary.name)));
    if !summary.description.is_empty() {
        page.push_str(&format!(
            "<p class=\"lead\">{}</p>\n",
            escape(&summary.description)
        ));
    }
    if !summary.person.is_empty() {
        page.push_str(&format!("<p>{}</p>\n", escape(&summary.person)));
    }
    // What each path is, in the scenario's own words.
    let described: Vec<String> = summary
        .paths
        .iter()
        .filter(|p| !p.description.is_empty())
        .map(|p| {
            format!(
                "<li><strong>{}</strong>: {}</li>",
                escape(&p.label),
                escape(&p.description)
            )
        })
        .collect();
    if !described.is_empty() {
        page.push_str(&format!(
            "<ul class=\"paths\">{}</ul>\n",
            described.join("")
        ));
    }
    page.push_str(&format!(
        "<p class=\"muted\">{}, seed {}. Age {} at the decision, retirement at {}. Net \
         return is a path's lifetime net present value minus that of staying put ({}) in the \
         same trial, in today's dollars: {}</p>\n",
        crate::text::count(summary.trials, "trial"),
        format::seed(summary.seed),
        summary.age,
        summary.retirement_age,
        escape(baseline_label(summary)),
        escape(&discounting(assumptions)),
    ));
    page.push_str(&what_if(assumptions));
    page.push_str(&section(
        "in-short",
        "In short",
        &format!(
            "{}<p class=\"muted\">{}</p>\n",
            headline::headlines(summary),
            escape(&margins_meaning(&[summary]))
        ),
    ));
    page.push_str(&section(
        "net-return",
        "Net return by path",
        &format!(
            "{}{}",
            tables::net_return_table(summary),
            tables::breakdown_table(summary)
        ),
    ));
    page.push_str(&section(
        "outcomes",
        "How lives turn out",
        &why::outcomes(summary),
    ));
    page.push_str(&section(
        "decides",
        "What decides it",
        &why::decides(summary),
    ));
    page.push_str(&section(
        "over-time",
        "Net return over time",
        &why::milestones(summary),
    ));
    page.push_str(&section(
        "programme",
        "Program and debt",
        &tables::programme_table(summary),
    ));
    page.push_str(&loans::loans_section(summary, assumptions));
    page.push_str(&section(
        "head-to-head",
        "Head to head",
        &tables::pairwise_table(summary),
    ));
    if !charts.is_empty() {
        let figures: String = charts
            .iter()
            .map(|f| figure(&f.caption, &f.alt, &f.png))
            .collect();
        page.push_str(&section("charts", "Charts", &figures));
    }
    page.push_str(&limits::leaves_out(summary, assumptions));
    let assumptions = format!(
        "<p class=\"muted\">Every input as it was used; inputs left out of the scenario file \
         took the default marked here.</p>\n{}",
        tables::assumptions_table(assumptions, summary.seed)
    );
    page.push_str(&section("assumptions", "Assumptions", &assumptions));
    page.push_str(&footer(run));
    close_page(page)
}

/// What the margins after shares mean, and what a range after a median means when a median
/// of `summaries` has one.
fn margins_meaning(summaries: &[&ScenarioSummary]) -> String {
    let ranged = summaries.iter().any(|s| {
        s.paths
            .iter()
            .any(|p| !p.baseline && super::margin::median_uncertain(p.net.q.p50, &p.precision.p50))
    });
    if ranged {
        format!(
            "{} {}",
            super::margin::MEANING,
            super::margin::MEDIAN_MEANING
        )
    } else {
        super::margin::MEANING.to_string()
    }
}

/// The assumptions changed on the command line (`--set`), as (key, value in words): what
/// makes a run's pages a what-if. The trials and the seed do not count.
pub fn changed_on_command_line(assumptions: &[Assumption]) -> Vec<(String, String)> {
    assumptions
        .iter()
        .filter(|a| a.overridden && !a.key.starts_with("simulation."))
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect()
}

/// The batch index with a callout above its table naming each scenario run with assumptions
/// changed on the command line (`changed`: its name and the (key, value) pairs), as its
/// report has: the index's figures are then what-ifs too.
pub fn index_with_what_ifs(page: String, changed: &[(&str, &[(String, String)])]) -> String {
    let items: String = changed
        .iter()
        .filter(|(_, set)| !set.is_empty())
        .map(|(name, set)| format!("<li>{}: {}</li>\n", escape(name), changed_words(set)))
        .collect();
    if items.is_empty() {
        return page;
    }
    under_title(
        page,
        &format!(
            "<div class=\"callout\"><p><strong>What-ifs</strong>: these scenarios ran with \
             assumptions changed on the command line (<code>--set</code>), not as their files \
             have them.</p>\n<ul>\n{items}</ul>\n</div>\n"
        ),
    )
}

/// Changed assumptions as a page lists them: "`key` = value; ...".
fn changed_words(set: &[(String, String)]) -> String {
    set.iter()
        .map(|(k, v)| format!("<code>{}</code> = {}", escape(k), escape(v)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `html` inserted right under the page's title, where a reader looks first.
fn under_title(page: String, html: &str) -> String {
    let at = page
        .find("</h1>\n")
        .map_or(page.len(), |i| i + "</h1>\n".len());
    let mut out = page;
    out.insert_str(at, html);
    out
}

/// A callout above every figure when assumptions were changed on the command line
/// (`--set`): the page answers a what-if, not the scenario file as written, and a reader who
/// sees only its top must know. The trials and the seed say nothing of the person and do not
/// count.
fn what_if(assumptions: &[Assumption]) -> String {
    let set = changed_on_command_line(assumptions);
    if set.is_empty() {
        return String::new();
    }
    let (what, it) = if set.len() == 1 {
        ("an assumption", "it")
    } else {
        ("assumptions", "them")
    };
    format!(
        "<div class=\"callout\"><p><strong>A what-if</strong>: these figures are of the \
         scenario with {what} changed on the command line (<code>--set</code>), not as its \
         file has {it}: {}. The assumptions table marks {it}.</p></div>\n",
        changed_words(&set)
    )
}

/// The index of a batch run (`output/index.html`): a row per scenario and path with its
/// median net return and the odds of beating the baseline; each scenario's name links to its
/// report.
/// `entries` pair each summary with the relative link to its `report.html`.
pub fn batch_index(entries: &[(&ScenarioSummary, String)]) -> String {
    let mut page = open_page("worthit · all scenarios");
    page.push_str("<h1>All scenarios</h1>\n");
    page.push_str(&format!(
        "<p class=\"muted\">Lifetime net return of each path versus staying put in its \
         scenario, in today's dollars; the worst tenth is the 10th percentile (one life in ten \
         does this badly or worse); mean debt is owed when repayment starts, in dollars of \
         that time. {}</p>\n",
        escape(&margins_meaning(
            &entries.iter().map(|(s, _)| *s).collect::<Vec<_>>()
        ))
    ));
    // The median of a path whose lives split between placed and not is often the small
    // loss of those not placed: the placed lives' share and median say the rest.
    let columns = [
        text_col("Scenario"),
        text_col("Path"),
        num_col("Median net return"),
        num_col("Beats staying put"),
        num_col("Worst tenth"),
        num_col("Mean debt"),
        num_col("Takes a job in the new field"),
        num_col("Median if so"),
    ];
    let mut rows = Vec::new();
    for (summary, link) in entries {
        for (i, path) in summary.paths.iter().enumerate() {
            // The downside beside the odds: how bad a bad case is, and what is owed.
            let (worst, debt) = if path.baseline {
                ("—".to_string(), "—".to_string())
            } else {
                (money(path.net.q.p10), money(path.mean_debt))
            };
            let (median, odds, placed, if_placed) = if path.baseline {
                let none = || "—".to_string();
                ("baseline".to_string(), none(), none(), none())
            } else {
                let ci = &path.precision.prob_beats_baseline;
                // As the report's "How lives turn out" gives it.
                let taken = crate::report::paths::outcomes(summary, &path.key)
                    .into_iter()
                    .find(|(r, _)| r.outcome == "placed");
                (
                    median_words(path.net.q.p50, &path.precision.p50),
                    share_pm(path.prob_beats_baseline, ci),
                    taken
                        .as_ref()
                        .map_or_else(|| "—".to_string(), |(_, share)| share.clone()),
                    taken
                        .filter(|(r, _)| r.trials > 0)
                        .map_or_else(|| "—".to_string(), |(r, _)| money(r.p50)),
                )
            };
            rows.push(vec![
                // The scenario's name links to its report (a link read out of context says
                // where it goes), once; its other rows name it to a screen reader only.
                Cell::Html(if i == 0 {
                    format!("<a href=\"{}\">{}</a>", escape(link), escape(&summary.name))
                } else {
                    format!("<span class=\"sr\">{}</span>", escape(&summary.name))
                }),
                Cell::Text(path.label.clone()),
                Cell::Num(median),
                Cell::Num(odds),
                Cell::Num(worst),
                Cell::Num(debt),
                Cell::Num(placed),
                Cell::Num(if_placed),
            ]);
        }
    }
    page.push_str(&table_with("All scenarios", &columns, &rows, false));
    close_page(page)
}

/// The batch index with the scenarios that failed in its run, each in one line (`failed`),
/// above the table: a reader must not take the table for the whole batch.
pub fn index_with_failures(page: String, failed: &[String]) -> String {
    if failed.is_empty() {
        return page;
    }
    let items: String = failed
        .iter()
        .map(|f| format!("<li>{}</li>\n", escape(f)))
        .collect();
    let (who, they, have, them) = if failed.len() == 1 {
        ("A scenario is", "it", "has", "it")
    } else {
        ("Some scenarios are", "they", "have", "them")
    };
    under_title(
        page,
        &format!(
            "<div class=\"callout\"><p><strong>{who} not in this index</strong>: {they} failed \
             in this run, and {have} no results here. Mend {them} and run the folder again.</p>\n\
             <ul>\n{items}</ul>\n</div>\n"
        ),
    )
}

/// A report with a line of links to its sections above the first of them, and its content
/// between the title and the footer marked as the page's main part: a long page read on a
/// phone or by a screen reader can go straight to a section. The sections are read off the
/// page as written (`<section id="...">` and its `<h2>`), so a section added later (the
/// questions') is listed too.
pub fn with_contents(page: String) -> String {
    const OPEN: &str = "<section id=\"";
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(i) = page[from..].find(OPEN).map(|i| i + from + OPEN.len()) {
        from = i;
        let rest = &page[i..];
        let (Some(q), Some(h)) = (rest.find('"'), rest.find("<h2>")) else {
            break;
        };
        let Some(end) = rest[h..].find("</h2>") else {
            break;
        };
        // Both already escaped where the section was written.
        links.push(format!(
            "<a href=\"#{}\">{}</a>",
            &rest[..q],
            &rest[h + 4..h + end]
        ));
    }
    let Some(first) = page.find(OPEN) else {
        return page;
    };
    let nav = format!(
        "<nav class=\"contents\" aria-label=\"Contents\"><strong>On this page:</strong> {}</nav>\n",
        links.join(" · ")
    );
    let mut out = page;
    out.insert_str(first, &nav);
    let end = out
        .rfind("<footer>")
        .or_else(|| out.rfind("</body>"))
        .unwrap_or(out.len());
    out.insert_str(end, "</main>\n");
    if let Some(start) = out.find("<body>\n").map(|i| i + "<body>\n".len()) {
        out.insert_str(start, "<main>\n");
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Simple, readable styling with the reader's system fonts; nothing is fetched.
const CSS: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; color: #1b1b1b; line-height: 1.5; background: #fff; }
h1 { font-size: 1.9rem; margin: 0.4rem 0 0.3rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.25rem; border-bottom: 1px solid #ddd; }
.lead { font-size: 1.1rem; margin: 0.2rem 0 0.4rem; }
.muted { color: #5f5f5f; }
.headline { margin: 0.9rem 0; }
.headline h3 { font-size: 1.05rem; margin: 0 0 0.2rem; }
.headline ul { margin: 0; padding-left: 1.3rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; margin: 0.4rem 0 1rem; }
th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
tbody tr { background: #fff; }
tbody tr:nth-child(even) { background: #fafafa; }
tbody th { font-weight: inherit; background: inherit; }
.scroll { overflow-x: auto; margin: 0.4rem 0 1rem; }
.scroll:focus-visible { outline: 2px solid #24415f; outline-offset: 2px; }
.scroll th:first-child { position: sticky; left: 0; z-index: 1; }
.scroll.free th:first-child { position: static; }
.scroll table { margin: 0; }
.note { font-size: 0.85rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
thead th { vertical-align: bottom; }
tbody th:first-child { min-width: 9rem; }
figure { margin: 1.6rem 0; }
figure img { width: 100%; height: auto; border: 1px solid #e8e8e8; }
figcaption { color: #5f5f5f; font-size: 0.9rem; margin-top: 0.3rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.badge { background: #e8eef7; color: #24415f; border-radius: 4px; padding: 0.05rem 0.45rem; font-size: 0.8rem; }
.callout { background: #fff6e5; border-left: 4px solid #d08a00; padding: 0.5rem 0.9rem; margin: 0.8rem 0; }
.callout ul { margin: 0.2rem 0 0.3rem; padding-left: 1.3rem; }
footer { margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid #ddd; color: #5f5f5f; font-size: 0.85rem; }
footer code { word-break: break-all; }
.sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
nav.contents { font-size: 0.9rem; margin: 0.8rem 0; }
nav.contents a { margin-right: 0.2rem; }
@media (max-width: 700px) {
  body { padding: 16px 14px 40px; }
  figure { overflow-x: auto; }
  figure img { width: 720px; max-width: none; }
}
@page { margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .scroll { overflow: visible; }
  .scroll th:first-child { position: static; }
  table { font-size: 8pt; }
  tbody th:first-child { min-width: 0; }
  code { word-break: break-all; }
  h2, h3 { break-after: avoid; }
  figure, tr, .headline, .callout { break-inside: avoid; }
  figure { margin: 0.5rem 0; }
  figure img { width: auto; max-width: 100%; max-height: 38vh; }
  nav.contents { display: none; }
  a[href]:not([href^=\"#\"])::after { content: \" (\" attr(href) \")\"; font-size: 0.85em; color: #5f5f5f; }
}
";

/// A titled section of the page, with an id to link to.
fn section(id: &str, title: &str, body: &str) -> String {
    format!("<section id=\"{id}\">\n<h2>{title}</h2>\n{body}</section>\n")
}

/// The start of a page with its title and embedded style.
fn open_page(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(title)
    )
}

/// The end of a page.
fn close_page(mut page: String) -> String {
    page.push_str("</body>\n</html>\n");
    page
}

/// A chart embedded as a data URI, with its caption under it and, as its alternative text,
/// what it shows (`alt`; the caption when empty, so a screen reader does not read the
/// caption twice for nothing).
fn figure(caption: &str, alt: &str, png: &[u8]) -> String {
    format!(
        "<figure>\n<img src=\"data:image/png;base64,{}\" alt=\"{}\">\n\
         <figcaption>{}</figcaption>\n</figure>\n",
        base64::encode(png),
        escape(if alt.is_empty() { caption } else { alt }),
        escape(caption),
    )
}

/// The run's provenance.
fn footer(run: &RunInfo) -> String {
    format!(
        "<footer>worthit {} · scenario <code>{}</code> (SHA-256 <code>{}</code>) · {}, \
         {}, {} trials/s</footer>\n",
        escape(&run.version),
        escape(&run.scenario_file),
        escape(&run.sha256),
        crate::text::count(run.threads as u64, "thread"),
        crate::text::seconds(run.elapsed_seconds),
        thousands(run.trials_per_second.round() as u64),
    )
}

/// The value of input `key` as the run used it, in the assumptions table's words ("20,500",
/// "rap", "uniform(min = 0.045, max = 0.148)").
fn assumed<'a>(assumptions: &'a [Assumption], key: &str) -> Option<&'a str> {
    assumptions
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}

/// An assumption's words as a number when it is one ("20,500", "0.1"); `None` for a
/// distribution or a word.
fn as_number(words: &str) -> Option<f64> {
    words.replace([',', '_'], "").parse().ok()
}

/// How future money is counted, in words: after inflation, and discounted at the scenario's
/// discount rate, with what that makes of a dollar 20 years on when the rate is one number
/// (the figures hang on it: the same life is worth much more at 0% than at 3%).
fn discounting(assumptions: &[Assumption]) -> String {
    match assumed(assumptions, "economy.discount_rate").map(|v| (v, as_number(v))) {
        Some((_, Some(r))) if r != 0.0 => format!(
            "each future year's money after inflation, and discounted at {} a year, so that a \
             dollar 20 years from now counts as {:.0} cents today.",
            crate::threshold::value_words(r, crate::scenario::schema::Unit::Rate),
            100.0 / (1.0 + r).powi(20)
        ),
        Some((_, Some(_))) => {
            "each future year's money after inflation, not discounted further (a discount \
             rate of 0%)."
                .to_string()
        }
        Some((v, None)) => format!(
            "each future year's money after inflation, and discounted at the scenario's \
             discount rate, drawn in each trial from {v}."
        ),
        None => "each future year's money after inflation, and discounted.".to_string(),
    }
}
#[cfg(test)]
mod tests;
