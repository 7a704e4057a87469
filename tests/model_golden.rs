//! Golden lives: scenarios whose inputs are all fixed give the same life in every trial, and
//! each path's NPV and net return are derived here step by step from the model (docs/model.md), independently
//! of the model's code.

use std::path::Path;

use worthit::model::rng::Gen;
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};
use worthit::scenario::load_str;

fn simulate(src: &str, keys: &[u64]) -> (Model, Vec<TrialOutcome>) {
    let scenario = load_str(src, Path::new("golden.toml")).unwrap_or_else(|e| panic!("{e}"));
    let model = Model::new(&scenario);
    let mut scratch = Scratch::new(&model);
    let outs = keys
        .iter()
        .map(|&k| {
            let mut out = TrialOutcome::new(&model);
            run_trial::<Gen>(&model, k, &mut scratch, &mut out);
            out
        })
        .collect();
    (model, outs)
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() < 1e-6 * b.abs().max(1.0),
        "{what}: got {a}, expected {b}"
    );
}

const COURSE: &str = r#"
name = "golden course"
[economy]
discount_rate = 0.03
inflation = 0.0
[tax]
effective_rate = 0.2
[person]
age = 30
retirement_age = 33
salary = 60_000
[roles.mle]
salary = 90_000
[paths.stay]
baseline = true
[paths.course]
duration_months = 6
work_fraction = 0.5
search_months = 3
roles = { mle = 1 }
[paths.course.costs]
tuition_per_year = 12_000
one_time = 2_000
"#;

#[test]
fn a_part_time_course_then_a_new_job() {
    let (_, outs) = simulate(COURSE, &[1, 2, 99]);
    // Discount factors, beginning-of-year: 1, 1/1.03, 1/1.03^2.
    let disc = [1.0, 1.0 / 1.03, 1.0 / 1.0609];
    // Baseline: 60,000 a year, 20% tax -> 48,000 net each year.
    let base_net = [48_000.0; 3];
    let npv_base: f64 = (0..3).map(|t| disc[t] * base_net[t]).sum();
    // Course, year 0: 6 study months at half the baseline, 0.5 x 60,000 / 12 = 2,500 a month
    // -> 15,000; then 3 months of search, still keeping half the job (a part-time searcher):
    // 3 x 2,500 = 7,500; the job starts at month 6 + 3 = 9, so 3 months at 90,000 / 12 =
    // 7,500 -> 22,500. Gross 45,000, net of tax 36,000. Costs out of pocket: 6 x 12,000 / 12 =
    // 6,000 plus the one-time 2,000 -> 8,000. Net 28,000.
    // Years 1 and 2: 90,000 gross, 72,000 net.
    let course_net = [28_000.0, 72_000.0, 72_000.0];
    let npv_course: f64 = (0..3).map(|t| disc[t] * course_net[t]).sum();
    for out in &outs {
        close(out.paths[0].npv, npv_base, "baseline npv");
        close(out.paths[1].npv, npv_course, "course npv");
        close(out.paths[1].net_return, npv_course - npv_base, "net return");
        for (got, want) in out.net(1).iter().zip(course_net) {
            close(*got, want, "course net cash flow");
        }
        // Cumulative: -20,000; then + 24,000 / 1.03 = +3,300.97, and it stays above 0.
        close(out.cum(1)[0], -20_000.0, "cum 0");
        close(out.cum(1)[1], -20_000.0 + 24_000.0 / 1.03, "cum 1");
        assert_eq!(out.paths[1].breakeven, Some(1));
        assert!(out.paths[1].completed && out.paths[1].placed);
        assert_eq!(out.paths[1].debt, 0.0);
        // The net return's parts: 8,000 of costs paid in year 0 (not discounted), no loans,
        // so the pay gained is the net return plus 8,000 (year 0: 36,000 against 48,000 net;
        // then 24,000 a year more).
        close(out.paths[1].costs_pv, 8_000.0, "costs paid as they come");
        assert_eq!(out.paths[1].loans_pv, 0.0);
        close(
            out.paths[1].net_return + out.paths[1].costs_pv,
            -12_000.0 + 24_000.0 / 1.03 + 24_000.0 / 1.0609,
            "pay gained",
        );
    }
    // Pinned: 28,000 + 69,902.91 + 67,866.90 = 165,769.81; 48,000 x 2.913470 = 139,846.54;
    // the difference is 25,923.27 (to the cent).
    assert!(
        (outs[0].paths[1].net_return - 25_923.27).abs() < 0.01,
        "{}",
        outs[0].paths[1].net_return
    );
}

/// An offer below the old pay, in a field that grows no faster: declined.
const DECLINE: &str = r#"
[economy]
discount_rate = 0.0
inflation = 0.0
[person]
age = 40
retirement_age = 43
salary = 60_000
[roles.r]
salary = 55_000
[paths.stay]
baseline = true
[paths.p]
duration_months = 12
search_months = 3
fallback_months = 2
roles = { r = 1 }
"#;

#[test]
fn a_worse_offer_is_declined_and_the_person_falls_back() {
    let (_, outs) = simulate(DECLINE, &[5, 6]);
    for out in &outs {
        let p = &out.paths[1];
        // The job would start at month 15, year j = 1, with n = 2 years left. At a 0 discount
        // rate and no raises, A(0) = 2 for both careers: 55,000 x 2 < 60,000 x 2: declined.
        assert!(p.completed && !p.placed && p.declined, "{p:?}");
        assert_eq!(p.role, None);
        // Declined, they fall back like the not placed: 3 months of search and 2 more, with
        // work_fraction 0 earning nothing, then the old job from month 17.
        // Year 0: studying full-time, 0. Year 1: months 12-17 nothing, 17-24: 7 x 5,000 =
        // 35,000. Year 2: 60,000. No tax, no costs.
        for (got, want) in out.net(1).iter().zip([0.0, 35_000.0, 60_000.0]) {
            close(*got, want, "declined net cash flow");
        }
        close(p.net_return, 95_000.0 - 180_000.0, "net return");
    }
    // The same offer in a field whose pay grows 20% a year is worth taking: 55,000 x (1 +
    // 1.2) = 121,000 >= 60,000 x 2 = 120,000.
    let growing = DECLINE.replace("salary = 55_000", "salary = 55_000\nannual_raise = 0.2");
    let (_, outs) = simulate(&growing, &[5]);
    let p = &outs[0].paths[1];
    assert!(p.placed && !p.declined, "{p:?}");
    // ...and at 10% it is not: 55,000 x 2.1 = 115,500 < 120,000.
    let slow = DECLINE.replace("salary = 55_000", "salary = 55_000\nannual_raise = 0.1");
    let (_, outs) = simulate(&slow, &[5]);
    assert!(outs[0].paths[1].declined);
}

/// A job that would start at or after retirement is no job: finished, not placed, and no
/// offer to decline (however it compares with the old pay).
#[test]
fn a_job_that_would_start_after_retirement_is_no_placement() {
    // The offer of DECLINE (a pay cut, declined when it comes in time), with the search
    // ending at month 12 + 23 = 35 (year 2, the last: declined), 12 + 24 = 36 (the horizon's
    // end) and 12 + 30 = 42 (after it).
    for (search, declined) in [(23, true), (24, false), (30, false)] {
        let src = DECLINE.replace("search_months = 3", &format!("search_months = {search}"));
        let (_, outs) = simulate(&src, &[5]);
        let p = &outs[0].paths[1];
        assert!(
            p.completed && !p.placed && p.role.is_none(),
            "{search}: {p:?}"
        );
        assert_eq!(p.declined, declined, "{search}: {p:?}");
        // Either way the person studies in year 0 and earns nothing after (work_fraction 0):
        // every life is the same, -180,000 against the old job.
        close(p.net_return, -180_000.0, "net return");
    }
    // The same with an offer worth taking (more pay): the job at month 35 is taken for the
    // last month, and one at month 36 is still no job.
    let better = DECLINE.replace("salary = 55_000", "salary = 66_000");
    for (search, placed, net) in [(23, true, -180_000.0 + 5_500.0), (24, false, -180_000.0)] {
        let src = better.replace("search_months = 3", &format!("search_months = {search}"));
        let (_, outs) = simulate(&src, &[5]);
        let p = &outs[0].paths[1];
        assert_eq!((p.placed, p.declined), (placed, false), "{search}: {p:?}");
        close(p.net_return, net, "net return");
    }
}

const LOAN: &str = r#"
[economy]
discount_rate = 0.0
inflation = 0.02
[person]
age = 40
retirement_age = 43
salary = 50_000
[roles.r]
salary = 50_000
[paths.stay]
baseline = true
[paths.loan]
duration_months = 1
work_fraction = 1
roles = { r = 1 }
[paths.loan.costs]
one_time = 10_000
[paths.loan.financing]
grace_months = 0
private_rate = 0.06
private_term_years = 1
"#;

#[test]
fn a_private_loan_repaid_over_one_year_with_inflation() {
    let (_, outs) = simulate(LOAN, &[7]);
    let out = &outs[0];
    // No tax, no discounting. The one study month keeps the full salary, and the job pays the
    // same from month 1: income is 50,000 every year on both paths.
    // Month 0: 10,000 real is 10,000 nominal (month 0), borrowed privately. Study ends after
    // month 0, grace 0: repayment starts at month 1 with one month of simple interest at 6%:
    // 10,000 x (1 + 0.005) = 10,050.
    let balance = 10_050.0;
    let i: f64 = 0.06 / 12.0;
    let pay = balance * i / (1.0 - (1.0 + i).powi(-12));
    assert!((out.paths[1].debt - balance).abs() < 1e-9);
    // Payments in months 1..=12: eleven in year 0, one in year 1 (month 12). A nominal payment
    // in month m is worth pay / 1.02^(m/12) real dollars.
    let real = |m: i32| pay / 1.02f64.powf(m as f64 / 12.0);
    let year0: f64 = (1..12).map(real).sum();
    let year1 = real(12);
    close(out.net(1)[0], 50_000.0 - year0, "year 0 net");
    close(out.net(1)[1], 50_000.0 - year1, "year 1 net");
    close(out.net(1)[2], 50_000.0, "year 2 net");
    close(out.paths[1].net_return, -(year0 + year1), "net return");
    // Borrowed, so no cost is paid as it comes: the loans cost every payment, in real dollars.
    assert_eq!(out.paths[1].costs_pv, 0.0);
    close(out.paths[1].loans_pv, year0 + year1, "the loans' cost");
    assert_eq!(out.paths[1].repaid_months, Some(12));
    // 10% test: year 0 pays 11 x 864.97 = 9,514.64 nominal, above 10% of the year's nominal
    // gross income, 50,000 x 1.02^0 = 50,000.
    assert!((pay - 864.97).abs() < 0.005);
    assert!(out.paths[1].over_10pct);
    assert_eq!(out.paths[1].breakeven, None);
}

#[test]
fn debt_owed_at_the_horizon_is_subtracted() {
    // The same loan over 10 years: at the end of year 2 (month 36), 36 - 1 = 35 payments are
    // made; the rest is owed, deflated by 1.02^3 (valued at the end of the horizon).
    let src = LOAN.replace("private_term_years = 1", "private_term_years = 10");
    let (_, outs) = simulate(&src, &[3]);
    let out = &outs[0];
    let (b, i): (f64, f64) = (10_050.0, 0.005);
    let pay = b * i / (1.0 - (1.0 + i).powi(-120));
    let owed = b * (1.0 + i).powi(35) - pay * ((1.0 + i).powi(35) - 1.0) / i;
    let paid_real: f64 = (1..36).map(|m| pay / 1.02f64.powf(m as f64 / 12.0)).sum();
    let expected = -(paid_real + owed / 1.02f64.powi(3));
    close(
        out.paths[1].net_return,
        expected,
        "net return with terminal debt",
    );
    close(
        out.cum(1)[2],
        expected,
        "the last cumulative value equals the net return",
    );
    // The loans' cost counts the debt left at the end as well as the payments.
    close(
        out.paths[1].loans_pv,
        -expected,
        "the loans' cost with debt left",
    );
    assert_eq!(out.paths[1].repaid_months, None);
}

/// A loan whose grace outlasts the working life: the debt reported is what is owed at the
/// end of the horizon, the figure the net return counts, not the larger balance of a
/// repayment start after retirement.
#[test]
fn debt_whose_repayment_would_start_after_retirement_is_owed_at_the_horizon() {
    // 10,000 borrowed in month 0 at 6%, grace 120 months: repayment would start at month 121,
    // nine years after the horizon's end (month 36). Simple interest of 50 a month: 11,800
    // owed at month 36 (12,000 would be at month 120, 16,050 at 121).
    let src = LOAN
        .replace("grace_months = 0", "grace_months = 120")
        .replace("inflation = 0.02", "inflation = 0.0");
    let (_, outs) = simulate(&src, &[3]);
    let p = &outs[0].paths[1];
    close(p.debt, 11_800.0, "debt at the horizon");
    close(p.net_return, -11_800.0, "net return");
    close(p.loan.interest, 1_800.0, "interest");
    assert_eq!((p.loan.first_payment, p.loan.total_paid), (0.0, 0.0));
    assert_eq!(p.repaid_months, None);
}

/// The worked mini-example of docs/model.md, so the docs cannot drift from the program.
#[test]
fn the_worked_example_in_the_docs() {
    let src = r#"
[economy]
discount_rate = 0.03
[tax]
effective_rate = 0.2
[person]
age = 30
retirement_age = 38
salary = 60_000
[roles.new]
salary = 80_000
[paths.stay]
baseline = true
[paths.program]
duration_months = 12
search_months = 3
roles = { new = 1 }
[paths.program.costs]
tuition_per_year = 20_000
"#;
    let (_, outs) = simulate(src, &[5]);
    let p = &outs[0].paths[1];
    // The table in docs/model.md: -68,000, -68,000, -52,918, ..., +3,141, +16,151.
    let cum = outs[0].cum(1);
    for (t, want) in [
        (0, -68_000.0),
        (2, -52_918.0),
        (5, -10_259.0),
        (6, 3_141.0),
        (7, 16_151.0),
    ] {
        assert!(
            (cum[t] - want).abs() < 1.0,
            "year {t}: {} vs {want}",
            cum[t]
        );
    }
    assert_eq!(p.breakeven, Some(6));
    assert!((p.net_return - 16_151.0).abs() < 1.0);
}
