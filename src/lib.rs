//! # worthit
//!
//! A Monte Carlo simulator of the lifetime net return of retraining paths (an ML master's,
//! a bootcamp, self-study, ...) versus staying in the current job.
//!
//! The data flow is one line, and each stage is a module:
//!
//! ```text
//! scenarios/x.toml -> scenario (load + validate) -> model (compiled samplers, economics)
//!   -> engine (fixed seeded batches on rayon) -> stats (mergeable accumulators -> summary)
//!   -> report (CSV, PNG, HTML)
//! ```
//!
//! The whole pipeline on a small scenario: a six-month course against staying put.
//!
//! ```
//! use std::path::Path;
//! use worthit::{engine, model::Model, report, scenario};
//!
//! let toml = r#"
//! [person]
//! age = 30
//! retirement_age = 40
//! salary = 60_000
//! [roles.analyst]
//! salary = { dist = "lognormal", median = 80_000, p90 = 110_000 }
//! [paths.stay]
//! baseline = true
//! [paths.course]
//! duration_months = 6
//! completion = { dist = "beta", mean = 0.8, sd = 0.1 }
//! roles = { analyst = 1 }
//! "#;
//! let s = scenario::load_str(toml, Path::new("example.toml")).expect("a valid scenario");
//! let model = Model::new(&s);
//! let stats = engine::run(&model, 10_000, s.simulation.seed, 2, None).expect("a finite run");
//! let summary = stats.summarize(&model, &worthit::app::about(&s));
//! // Most lives gain from a free course that leads to a better-paid role...
//! assert!(summary.paths[1].prob_beats_baseline > 0.5);
//! // ...and the CSV writers turn the summary into bytes.
//! let csv = String::from_utf8(report::csv::summary(&summary)).unwrap();
//! assert!(csv.starts_with("scenario,path,label,trials,mean"));
//! ```
#![deny(missing_docs)]

pub mod app;
pub mod ask;
pub mod cli;
pub mod console;
pub mod dist;
pub mod engine;
pub mod merge;
pub mod model;
pub mod precision_run;
pub mod report;
pub mod scenario;
pub mod shard;
pub mod signals;
pub mod stats;
pub mod sweep;
pub mod text;
pub mod threshold;
